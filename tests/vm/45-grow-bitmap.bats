#!/usr/bin/env bats
# --grow --bitmap=lockless on arrays that hold data, --grow --bitmap=none.
#
# The lockless bitmap is written with every chunk Clean (NeedSync where the
# array is not known to be in sync), never Unwritten: recovery skips
# Unwritten chunks, so a replaced disk would silently lack the data. The
# proof: after the conversion the original members are failed one by one
# while blank disks take their place, and the data read back from the new
# disks alone is the data written before.

bats_require_minimum_version 1.5.0
load lib
load lib-create
load lib-data

setup() {
    clean_vm_setup
}

teardown() {
    stop_all || :
}

# bits_line NAME: the count of llbitmap state NAME of /dev/md0
bits_line() { sed -n "s/^$1 \([0-9]*\)$/\1/p" "$(md_sys /dev/md0)/llbitmap/bits"; }

# replace_all DEV... : for each original member, fail and remove it, add
# the next blank disk, wait for recovery; the array ends on blank disks only
replace_member() {
    ours --manage /dev/md0 --fail "$1" --remove "$1"
    ours --manage /dev/md0 --add "$2"
    wait_idle /dev/md0 300
}

@test "none -> lockless on a RAID1 holding data: all chunks clean, data survives replacing every member" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=none --size=64M /dev/vda /dev/vdb
    wait_idle /dev/md0 300
    sum=$(fill_array /dev/md0)
    run ours --grow /dev/md0 --bitmap=lockless
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"stopping /dev/md0"* && $output == *"running again with a lockless bitmap"* ]]
    [[ $output == *"need sync"* ]]
    sys=$(md_sys /dev/md0)
    [[ $(cat "$sys/bitmap_type") == *"[llbitmap]"* ]]
    [ "$(bits_line unwritten)" = 0 ]
    [ "$(bits_line clean)" -gt 0 ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    run ours --detail /dev/md0
    [[ $output == *"Bitmap Type : lockless"* ]] || [[ $output == *"lockless"* ]]
    # writes after the conversion are tracked
    write_pattern /dev/md0 65536 $((40 * 1048576))
    sum2=$(array_sum /dev/md0)
    replace_member /dev/vda /dev/vdc
    replace_member /dev/vdb /dev/vdd
    [ "$(array_sum /dev/md0)" = "$sum2" ]
    echo check > "$sys/sync_action"; wait_idle /dev/md0 300
    [ "$(cat "$sys/mismatch_cnt")" = 0 ]
    # the peer assembles the result
    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vdc /dev/vdd
    [[ $(cat "$(md_sys /dev/md0)/bitmap_type") == *"[llbitmap]"* ]]
    [ "$(array_sum /dev/md0)" = "$sum2" ]
}

@test "classic -> lockless on a RAID5 holding data; recovery onto a blank disk restores it" {
    ours --create /dev/md0 --run -l5 -n3 --bitmap=internal --size=32M /dev/vda /dev/vdb /dev/vdc
    wait_idle /dev/md0 300
    sum=$(fill_array /dev/md0)
    run --separate-stderr ours --grow /dev/md0 --bitmap=lockless
    echo "$stderr"
    [ "$status" -eq 0 ]
    [[ $(cat "$(md_sys /dev/md0)/bitmap_type") == *"[llbitmap]"* ]]
    [ "$(bits_line unwritten)" = 0 ]
    run ours -X /dev/vda
    [[ $output == *"Version : 6"* ]] || [[ $output == *"lockless"* ]]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    replace_member /dev/vda /dev/vdd
    [ "$(array_sum /dev/md0)" = "$sum" ]
    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vdb /dev/vdc /dev/vdd
    [ "$(array_sum /dev/md0)" = "$sum" ]
}

@test "none -> lockless on a RAID10: clean states, peer assembles, data equal" {
    ours --create /dev/md0 --run -l10 -n4 --bitmap=none --size=32M "${DISKS[@]}"
    wait_idle /dev/md0 300
    sum=$(fill_array /dev/md0)
    run ours --grow /dev/md0 --bitmap=lockless
    [ "$status" -eq 0 ]
    [ "$(bits_line unwritten)" = 0 ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    ours --stop /dev/md0
    peer --assemble /dev/md0 "${DISKS[@]}"
    [[ $(cat "$(md_sys /dev/md0)/bitmap_type") == *"[llbitmap]"* ]]
    [ "$(array_sum /dev/md0)" = "$sum" ]
}

@test "lockless -> none -> lockless, then stop and assemble with both tools" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=lockless --size=32M /dev/vda /dev/vdb
    sum=$(fill_array /dev/md0)
    wait_settled /dev/md0
    run ours --grow /dev/md0 --bitmap=none
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $(cat "$(md_sys /dev/md0)/bitmap_type") == *"[none]"* ]]
    # the stale version-6 header is cleared: nothing finds a bitmap there
    [[ $output == *"cleared the old lockless bitmap header on 2 members"* ]]
    for d in /dev/vda /dev/vdb; do
        [ "$(dd if=$d bs=512 skip=16 count=1 iflag=direct status=none | head -c 4)" != bitm ]
    done
    run ours -X /dev/vda
    [ "$status" -ne 0 ]
    [[ $output != *"stale lockless bitmap"* ]]
    run ours --grow /dev/md0 --bitmap=lockless
    [ "$status" -eq 0 ]
    [[ $(cat "$(md_sys /dev/md0)/bitmap_type") == *"[llbitmap]"* ]]
    [ "$(bits_line unwritten)" = 0 ]
    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vda /dev/vdb
    [ "$(array_sum /dev/md0)" = "$sum" ]
    peer --stop /dev/md0
    ours --assemble /dev/md0 /dev/vda /dev/vdb
    [[ $(cat "$(md_sys /dev/md0)/bitmap_type") == *"[llbitmap]"* ]]
    [ "$(array_sum /dev/md0)" = "$sum" ]
}

@test "the peer's --grow --bitmap=none leaves the version-6 header behind: our -X says it is stale and unused" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=lockless --size=32M /dev/vda /dev/vdb
    wait_settled /dev/md0
    run peer --grow /dev/md0 --bitmap=none
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    [ "$(dd if=/dev/vda bs=512 skip=16 count=1 iflag=direct status=none | head -c 4)" = bitm ]
    run --separate-stderr ours -X /dev/vda
    echo "$stderr"
    [ "$status" -eq 1 ]
    [[ ${stderr_lines[0]} == "mdadm: /dev/vda doesn't have bitmap" ]]
    [[ ${stderr_lines[1]} == "mdadm: /dev/vda: note: a stale lockless bitmap (version 6, "*" chunks) lies at sector 16 where no bitmap is configured; the array does not use it, and a new bitmap overwrites it" ]]
    ours --stop /dev/md0
}

@test "--assemble --update=lockless-bitmap converts a stopped classic RAID1 before it starts" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=internal --size=32M /dev/vda /dev/vdb
    wait_idle /dev/md0 300
    sum=$(fill_array /dev/md0)
    ours --stop /dev/md0
    run ours --assemble /dev/md0 --update=lockless-bitmap /dev/vda /dev/vdb
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"wrote a lockless bitmap to 2 members"* ]]
    [[ $(cat "$(md_sys /dev/md0)/bitmap_type") == *"[llbitmap]"* ]]
    [ "$(bits_line unwritten)" = 0 ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
}

@test "refusals change nothing: array held open, raid0, metadata 1.0, degraded" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=none --size=32M /dev/vda /dev/vdb
    wait_idle /dev/md0 300
    before=$(disk_sum /dev/vda; disk_sum /dev/vdb)
    sleep 600 < /dev/md0 &      # a process holding the array open
    holder=$!
    run --separate-stderr ours --grow /dev/md0 --bitmap=lockless
    kill "$holder"; wait "$holder" || :
    echo "$stderr"
    [ "$status" -eq 1 ]
    [[ $stderr == *"in use"* ]]
    [ "$(cat "$(md_sys /dev/md0)/array_state")" != inactive ]
    [ "$(disk_sum /dev/vda; disk_sum /dev/vdb)" = "$before" ]
    # degraded
    ours --manage /dev/md0 --fail /dev/vdb --remove /dev/vdb
    run --separate-stderr ours --grow /dev/md0 --bitmap=lockless
    [ "$status" -eq 1 ]
    [[ $stderr == *"degraded"* ]]
    ours --stop /dev/md0
    # raid0 and 1.0
    wipe_disks
    ours --create /dev/md0 --run -l0 -n2 --size=32M /dev/vda /dev/vdb
    run --separate-stderr ours --grow /dev/md0 --bitmap=lockless
    [ "$status" -eq 1 ]
    [[ $stderr == *"redundancy"* ]]
    ours --stop /dev/md0
    wipe_disks
    ours --create /dev/md0 --run -l1 -n2 -e1.0 --size=32M /dev/vda /dev/vdb
    wait_idle /dev/md0 300
    run --separate-stderr ours --grow /dev/md0 --bitmap=lockless
    [ "$status" -eq 1 ]
    [[ $stderr == *"1.1 or 1.2"* ]]
}
