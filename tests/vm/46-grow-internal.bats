#!/usr/bin/env bats
# --grow --bitmap=internal: a classic bitmap added online to an array
# without one (as mdadm 4.6 adds it, compared with the peer), and a
# lockless bitmap turned into a classic one with the array stopped for a
# moment (dirty chunks become set bits). Refusals leave every disk as it was.

bats_require_minimum_version 1.5.0
load lib
load lib-create

setup() {
    require_vm
    need_ours
    stop_all
    wipe_disks
}

teardown() {
    stop_all || :
}

DATA_MIB=8

# fill_array DEV: DATA_MIB MiB of varied data from the start (every byte
# read back is written: members of --assume-clean arrays differ elsewhere);
# prints its checksum
fill_array() {
    local salt
    salt=$(head -c 24 /dev/urandom | base64)
    head -c $((DATA_MIB << 20)) < <(yes "grow-internal test data $salt") |
        dd of="$1" bs=1M oflag=direct status=none
    array_sum "$1"
}

array_sum() {
    dd if="$1" bs=1M count=$DATA_MIB iflag=direct status=none | sha256sum | cut -c1-64
}

# bitmap_head DISK: the classic bitmap header of a 1.2 member (sector 16)
# without its event counts (bytes 24-39), which the kernel advances
bitmap_head() {
    dd if="$1" bs=512 skip=16 count=1 iflag=direct status=none |
        od -An -tx1 -v | tr -s ' \n' ' ' | cut -d' ' -f2-25,42-257
}

# detail_same DEV: --detail of both tools equal but for ours' added
# "Bitmap Type" line
detail_same() {
    diff -u <(peer --detail "$1") <(ours --detail "$1" | grep -v '^ *Bitmap Type : ')
}

# xb DISK: peer -X without the lines the kernel changes as it runs
xb() { peer -X "$1" | grep -v -e Events -e 'dirty'; }

@test "none -> internal online on a RAID1 with data: the same bitmap as mdadm 4.6 writes" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=none --assume-clean --size=32M /dev/vda /dev/vdb
    sum=$(fill_array /dev/md0)
    peer --grow /dev/md0 --bitmap=internal
    peer_head=$(bitmap_head /dev/vda)
    peer_x=$(xb /dev/vda)
    peer --grow /dev/md0 --bitmap=none
    run --separate-stderr ours --grow /dev/md0 --bitmap=internal
    echo "$stderr"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    sys=$(md_sys /dev/md0)
    [[ $(cat "$sys/bitmap_type") == *"[bitmap]"* ]]
    [ "$(cat "$sys/bitmap/location")" = +8 ]
    [ "$(bitmap_head /dev/vda)" = "$peer_head" ]
    [ "$(bitmap_head /dev/vdb)" = "$peer_head" ]
    [ "$(xb /dev/vda)" = "$peer_x" ]
    [[ $peer_x == *"Chunksize : 64 MB"* ]]
    run ours -X /dev/vda
    [[ $output == *"Version : 4"* ]]
    detail_same /dev/md0
    compare_examine /dev/vda
    [ "$(array_sum /dev/md0)" = "$sum" ]
    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vda /dev/vdb
    [[ $(cat "$(md_sys /dev/md0)/bitmap_type") == *"[bitmap]"* ]]
    [ "$(array_sum /dev/md0)" = "$sum" ]
}

@test "none -> internal online on a RAID5 with --bitmap-chunk; the peer assembles it" {
    ours --create /dev/md0 --run -l5 -n3 --bitmap=none --assume-clean --size=32M /dev/vda /dev/vdb /dev/vdc
    sum=$(fill_array /dev/md0)
    peer --grow /dev/md0 --bitmap=internal --bitmap-chunk=4M
    peer_head=$(bitmap_head /dev/vdc)
    peer --grow /dev/md0 --bitmap=none
    run ours --grow /dev/md0 --bitmap=internal --bitmap-chunk=4M
    [ "$status" -eq 0 ]
    [ "$(bitmap_head /dev/vdc)" = "$peer_head" ]
    run ours -X /dev/vda
    echo "$output"
    [[ $output == *"Chunksize : 4 MB"* ]]
    [[ $output == *"Bitmap : 8 bits"* ]]
    detail_same /dev/md0
    [ "$(array_sum /dev/md0)" = "$sum" ]
    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vda /dev/vdb /dev/vdc
    [ "$(array_sum /dev/md0)" = "$sum" ]
}

@test "none -> internal online with metadata 1.0: below the superblock, where the peer puts it" {
    ours --create /dev/md0 --run -l1 -n2 -e1.0 --bitmap=none --assume-clean --size=32M /dev/vda /dev/vdb
    sum=$(fill_array /dev/md0)
    peer --grow /dev/md0 --bitmap=internal
    peer_loc=$(cat "$(md_sys /dev/md0)/bitmap/location")
    peer_x=$(xb /dev/vda)
    peer --grow /dev/md0 --bitmap=none
    run ours --grow /dev/md0 --bitmap=internal
    [ "$status" -eq 0 ]
    [ "$(cat "$(md_sys /dev/md0)/bitmap/location")" = "$peer_loc" ]
    [[ $peer_loc == -* ]]
    [ "$(xb /dev/vda)" = "$peer_x" ]
    compare_examine /dev/vdb
    [ "$(array_sum /dev/md0)" = "$sum" ]
}

@test "lockless -> internal -> lockless on a RAID1, stop and assemble with both tools" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=lockless --size=32M /dev/vda /dev/vdb
    sum=$(fill_array /dev/md0)
    wait_settled /dev/md0
    run ours --grow /dev/md0 --bitmap=internal
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"stopping /dev/md0"* && $output == *"running again with a classic bitmap"* ]]
    [[ $output == *"wrote a classic bitmap to 2 members: 1 bits of 65536 KiB"* ]]
    sys=$(md_sys /dev/md0)
    [[ $(cat "$sys/bitmap_type") == *"[bitmap]"* ]]
    [ "$(cat "$sys/bitmap/location")" = +8 ]
    run ours -X /dev/vdb
    [[ $output == *"Version : 4"* ]]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    wait_idle /dev/md0
    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vda /dev/vdb
    [[ $(cat "$(md_sys /dev/md0)/bitmap_type") == *"[bitmap]"* ]]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    peer --stop /dev/md0
    ours --assemble /dev/md0 /dev/vda /dev/vdb
    run ours --grow /dev/md0 --bitmap=lockless
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $(cat "$(md_sys /dev/md0)/bitmap_type") == *"[llbitmap]"* ]]
    [ "$(sed -n 's/^unwritten //p' "$(md_sys /dev/md0)/llbitmap/bits")" = 0 ]
    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vda /dev/vdb
    [[ $(cat "$(md_sys /dev/md0)/bitmap_type") == *"[llbitmap]"* ]]
    [ "$(array_sum /dev/md0)" = "$sum" ]
}

@test "lockless -> internal carries dirty chunks over as set bits; the kernel resyncs them" {
    # identical members, so that a check after the conversion means something
    for d in /dev/vda /dev/vdb; do
        dd if=/dev/zero of=$d bs=1M count=72 oflag=direct status=none
    done
    ours --create /dev/md0 --run -l1 -n2 --bitmap=lockless --assume-clean --size=64M /dev/vda /dev/vdb
    sum=$(fill_array /dev/md0)
    wait_settled /dev/md0
    # with a long barrier_idle the chunks written next stay dirty
    echo 3600 > "$(md_sys /dev/md0)/llbitmap/barrier_idle"
    write_pattern /dev/md0 4096 $((50 * 1048576))
    cat "$(md_sys /dev/md0)/llbitmap/bits"
    grep -q '^dirty [1-9]' "$(md_sys /dev/md0)/llbitmap/bits"
    run ours --grow /dev/md0 --bitmap=internal --bitmap-chunk=1M
    echo "$output"
    [ "$status" -eq 0 ]
    set_bits=$(sed -n 's/.* 64 bits of 1024 KiB, \([0-9]*\) set$/\1/p' <<< "$output")
    [ -n "$set_bits" ] && [ "$set_bits" -ge 1 ] && [ "$set_bits" -le $((DATA_MIB + 1)) ]
    run ours -X /dev/vda
    echo "$output"
    wait_idle /dev/md0 300
    sys=$(md_sys /dev/md0)
    echo check > "$sys/sync_action"; wait_idle /dev/md0 300
    [ "$(cat "$sys/mismatch_cnt")" = 0 ]
    sum=$(dd if=/dev/md0 bs=1M count=64 iflag=direct status=none | sha256sum)
    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vda /dev/vdb
    [ "$(dd if=/dev/md0 bs=1M count=64 iflag=direct status=none | sha256sum)" = "$sum" ]
}

@test "refusals change nothing: raid0, bitmap present, no room, array in use, degraded" {
    ours --create /dev/md0 --run -l0 -n2 --size=32M /dev/vda /dev/vdb
    before=$(disk_sum /dev/vda; disk_sum /dev/vdb)
    run --separate-stderr peer --grow /dev/md0 --bitmap=internal
    peer_err=$stderr peer_status=$status
    run --separate-stderr ours --grow /dev/md0 --bitmap=internal
    [ "$status" -eq "$peer_status" ] && [ "$status" -eq 1 ]
    [ "$stderr" = "$peer_err" ]
    ours --stop /dev/md0
    [ "$(disk_sum /dev/vda; disk_sum /dev/vdb)" = "$before" ]
    # a classic bitmap already there: upstream's words
    wipe_disks
    ours --create /dev/md0 --run -l1 -n2 --bitmap=internal --size=32M /dev/vda /dev/vdb
    wait_idle /dev/md0 300
    before=$(disk_sum /dev/vda; disk_sum /dev/vdb)
    run --separate-stderr ours --grow /dev/md0 --bitmap=internal
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: bitmap already present on /dev/md0" ]
    [ "$(disk_sum /dev/vda; disk_sum /dev/vdb)" = "$before" ]
    ours --stop /dev/md0
    # no room between the superblock and the data
    wipe_disks
    ours --create /dev/md0 --run -l1 -n2 --bitmap=none --data-offset=8K --size=32M /dev/vda /dev/vdb
    wait_idle /dev/md0 300
    before=$(disk_sum /dev/vda; disk_sum /dev/vdb)
    run --separate-stderr ours --grow /dev/md0 --bitmap=internal
    echo "$stderr"
    [ "$status" -eq 1 ]
    [[ $stderr == *"no room for a bitmap"* ]]
    [[ $(cat "$(md_sys /dev/md0)/bitmap/location") == none ]]
    [ "$(disk_sum /dev/vda; disk_sum /dev/vdb)" = "$before" ]
    ours --stop /dev/md0
    # lockless, held open; then degraded
    wipe_disks
    ours --create /dev/md0 --run -l1 -n2 --bitmap=lockless --size=32M /dev/vda /dev/vdb
    wait_settled /dev/md0
    before=$(disk_sum /dev/vda; disk_sum /dev/vdb)
    sleep 600 < /dev/md0 &
    holder=$!
    run --separate-stderr ours --grow /dev/md0 --bitmap=internal
    kill "$holder"; wait "$holder" || :
    echo "$stderr"
    [ "$status" -eq 1 ]
    [[ $stderr == *"in use"* ]]
    [[ $(cat "$(md_sys /dev/md0)/bitmap_type") == *"[llbitmap]"* ]]
    [ "$(disk_sum /dev/vda; disk_sum /dev/vdb)" = "$before" ]
    ours --manage /dev/md0 --fail /dev/vdb --remove /dev/vdb
    before=$(disk_sum /dev/vda)
    run --separate-stderr ours --grow /dev/md0 --bitmap=internal
    [ "$status" -eq 1 ]
    [[ $stderr == *"degraded"* ]]
    [ "$(disk_sum /dev/vda)" = "$before" ]
}
