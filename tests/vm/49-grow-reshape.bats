#!/usr/bin/env bats
# --grow --raid-devices=N on RAID4/5/6: a reshape onto spares, without a
# backup file, by moving every member's data offset down (GrowReshape.c).
#
# Data written before is read back after the reshape, after a stop in
# the middle of it and our --assemble (which must resume it), and under
# the peer. Refusals leave every disk unwritten (the kernel's count of
# written sectors is unchanged). Arrays are small (8 MiB per member,
# 64 KiB chunks) so that each reshape takes seconds under TCG.

bats_require_minimum_version 1.5.0
load lib
load lib-data

# the whole of each array before the reshape: 16 MiB of random data
# written in one go (lib-data's block-by-block fill costs a process start
# per MiB under TCG), checked by lib-data's array_sum
DATA_MIB=15

fill_all() {
    head -c $(((DATA_MIB + 1) << 20)) /dev/urandom |
        dd of="$1" bs=1M oflag=direct status=none || return 1
    array_sum "$1"
}

setup() {
    clean_vm_setup
    dmesg -C
}

teardown() {
    stop_all || :
    [ -z "${LOOP:-}" ] || losetup -d "$LOOP" || :
    rm -f /tmp/reshape-5th.img
    echo 1000 > /proc/sys/dev/raid/speed_limit_min
    echo 200000 > /proc/sys/dev/raid/speed_limit_max
}

# the array looked at: /dev/md0, or what --incremental named it
MD=/dev/md0
md_attr() { cat "$(md_sys "$MD")/$1"; }

no_oops() {
    ! dmesg | grep -E "BUG|Oops|general protection|Call Trace"
}

# slow: keep the reshape running long enough to look at it and stop it
slow() {
    echo 1 > "$(md_sys "$MD")/sync_speed_min"
    echo "$1" > "$(md_sys "$MD")/sync_speed_max"
}

check_clean() {
    echo check > "$(md_sys /dev/md0)/sync_action"
    sleep 0.5
    wait_idle /dev/md0 300
    [ "$(md_attr mismatch_cnt)" = 0 ]
}

# --detail of both tools, the progress figure left out (it moves)
detail_as_peer() {
    local p o
    p=$(peer --detail /dev/md0 | sed 's/[0-9]*% complete/N% complete/')
    o=$(ours --detail /dev/md0 | sed 's/[0-9]*% complete/N% complete/')
    diff <(echo "$p") <(echo "$o")
}

@test "RAID5 3 -> 4 onto a spare: --detail as the peer, stopped mid-way and resumed by --incremental and --assemble, data kept, the peer assembles it" {
    ours --create /dev/md0 --run -l5 -n3 --chunk=64 --size=8M /dev/vda /dev/vdb /dev/vdc
    wait_idle /dev/md0
    sum=$(fill_all /dev/md0)
    ours --manage /dev/md0 --add /dev/vdd
    slow 64

    run --separate-stderr ours --grow /dev/md0 --raid-devices=4
    echo "$output $stderr"
    [ "$status" -eq 0 ]
    [ -z "$output$stderr" ]
    [ "$(md_attr raid_disks)" = "4 (3)" ]
    [ "$(md_attr sync_action)" = reshape ]
    [ "$(md_attr dev-vda/offset)" = 2048 ]
    [ "$(md_attr dev-vda/new_offset)" = 1664 ]
    [ "$(md_attr dev-vdd/new_offset)" = 1664 ]
    detail_as_peer
    ours --detail /dev/md0 | grep -q "Delta Devices : 1, (3->4)"
    ours --detail /dev/md0 | grep -q "Reshape Status : [0-9]*% complete"

    # stopped in the middle: the superblocks say where; --incremental (as
    # udev runs it) and --assemble start the array, the kernel resumes
    ours --stop /dev/md0
    ours --examine /dev/vdd | grep -q "Reshape pos'n"
    [ "$(ours --examine /dev/vda | field /dev/stdin 'New Offset')" = "1664 sectors" ]
    compare_tools --examine /dev/vdd
    echo 1 > /proc/sys/dev/raid/speed_limit_min
    echo 64 > /proc/sys/dev/raid/speed_limit_max
    for d in /dev/vda /dev/vdb /dev/vdc /dev/vdd; do ours --incremental "$d"; done
    MD=/dev/md/0
    [ "$(md_attr raid_disks)" = "4 (3)" ]
    [ "$(md_attr sync_action)" = reshape ]
    ours --stop "$MD"
    MD=/dev/md0
    echo 1000 > /proc/sys/dev/raid/speed_limit_min
    echo 200000 > /proc/sys/dev/raid/speed_limit_max
    run --separate-stderr ours --assemble /dev/md0 /dev/vda /dev/vdb /dev/vdc /dev/vdd
    echo "$stderr"
    [ "$status" -eq 0 ]
    [[ $(md_attr sync_action) == reshape || $(md_attr raid_disks) == 4 ]]
    wait_idle /dev/md0 300
    [ "$(md_attr raid_disks)" = 4 ]
    [ "$(md_attr reshape_position)" = none ]
    [ "$(md_attr dev-vda/offset)" = 1664 ]
    [ "$(cat /sys/block/md0/size)" = $((3 * 8 * 2048)) ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    compare_tools --detail /dev/md0
    check_clean
    no_oops

    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vda /dev/vdb /dev/vdc /dev/vdd
    [ "$(md_attr raid_disks)" = 4 ]
    [ "$(md_attr degraded)" = 0 ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
}

@test "RAID6 4 -> 5 with the new member given by --add in the same command" {
    truncate -s 40M /tmp/reshape-5th.img
    LOOP=$(losetup --find --show /tmp/reshape-5th.img)
    ours --create /dev/md0 --run -l6 -n4 --chunk=64 --size=8M /dev/vda /dev/vdb /dev/vdc /dev/vdd
    wait_idle /dev/md0
    sum=$(fill_all /dev/md0)

    run --separate-stderr ours --grow /dev/md0 -n5 --add "$LOOP"
    echo "$output $stderr"
    [ "$status" -eq 0 ]
    [ "$output" = "mdadm: added $LOOP" ]
    wait_idle /dev/md0 300
    [ "$(md_attr raid_disks)" = 5 ]
    [ "$(md_attr degraded)" = 0 ]
    [ "$(cat /sys/block/md0/size)" = $((3 * 8 * 2048)) ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    ours --stop /dev/md0
    ours --assemble /dev/md0 /dev/vda /dev/vdb /dev/vdc /dev/vdd "$LOOP"
    [ "$(md_attr raid_disks)" = 5 ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    check_clean
    no_oops
}

@test "RAID5 with a classic bitmap: 3 -> 4, the bitmap stays, check clean" {
    ours --create /dev/md0 --run -l5 -n3 --chunk=64 --size=8M --bitmap=internal \
        /dev/vda /dev/vdb /dev/vdc
    wait_idle /dev/md0
    ours --manage /dev/md0 --add /dev/vdd
    sum=$(fill_all /dev/md0)
    run --separate-stderr ours --grow /dev/md0 -n4
    echo "$stderr"
    [ "$status" -eq 0 ]
    wait_idle /dev/md0 300
    [ "$(md_attr raid_disks)" = 4 ]
    [ "$(md_attr bitmap/location)" != none ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    check_clean
    ours --stop /dev/md0
    ours --assemble /dev/md0 /dev/vda /dev/vdb /dev/vdc /dev/vdd
    [ "$(md_attr raid_disks)" = 4 ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    no_oops
}

@test "refusals: one line with the reason, nothing written" {
    # 512 KiB chunks: 3 MiB would have to fit before the data (1 MiB)
    ours --create /dev/md0 --run --assume-clean -l5 -n3 --size=8M --data-offset=1M \
        /dev/vda /dev/vdb /dev/vdc
    ours --manage /dev/md0 --add /dev/vdd
    wait_idle /dev/md0
    before=$(disk_writes)
    run --separate-stderr ours --grow /dev/md0 -n4
    echo "$stderr"
    [ "$status" -eq 1 ]
    [[ $stderr == "mdadm: /dev/md0: no room to move the data offset of /dev/vd"?" (a reshape needs 3072 sectors before the data, there are 1968); a reshape with --backup-file is not supported yet" ]]
    run --separate-stderr peer --grow /dev/md0 -n5
    peer_err=$stderr
    run --separate-stderr ours --grow /dev/md0 -n5
    [ "$status" -eq 1 ] && [ "$stderr" = "$peer_err" ]
    [[ $stderr == *"Need 2 spares to avoid degraded array, and only have 1."* ]]
    run --separate-stderr ours --grow /dev/md0 -n2
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: --grow --raid-devices below the current 3 of a raid5 is not implemented yet in this version of mdadm" ]
    run --separate-stderr ours --grow /dev/md0 -n4 --backup-file=/tmp/backup
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: a reshape with --backup-file is not implemented yet in this version of mdadm" ]
    ours --readonly /dev/md0
    run --separate-stderr ours --grow /dev/md0 -n4
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: /dev/md0 is read-only: switch it to read-write (--readwrite) before reshaping it" ]
    [ "$(md_attr raid_disks)" = 3 ]
    [ "$(disk_writes)" = "$before" ]
    ours --stop /dev/md0

    # a lockless bitmap: Linux 7.2 cannot carry it through the new size
    wipe_disks
    ours --create /dev/md0 --run --assume-clean -l5 -n3 --chunk=64 --size=8M --bitmap=lockless \
        /dev/vda /dev/vdb /dev/vdc
    ours --manage /dev/md0 --add /dev/vdd
    before=$(disk_writes)
    run --separate-stderr ours --grow /dev/md0 -n4
    echo "$stderr"
    [ "$status" -eq 1 ]
    [[ $stderr == "mdadm: /dev/md0 has a lockless bitmap, which Linux 7.2 cannot carry through a reshape"*"--grow --bitmap=none"*"--grow --bitmap=internal"* ]]
    [ "$(md_attr raid_disks)" = 3 ]
    [ "$(disk_writes)" = "$before" ]
    ours --stop /dev/md0

    # 1.0 metadata: the data starts at sector 0, nothing before it; while
    # the initial resync runs, that is said first; degraded last
    wipe_disks
    echo 100 > /proc/sys/dev/raid/speed_limit_max
    ours --create /dev/md0 --run -e1.0 -l5 -n3 --chunk=64 --size=8M /dev/vda /dev/vdb /dev/vdc
    ours --manage /dev/md0 --add /dev/vdd
    run --separate-stderr ours --grow /dev/md0 -n4
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: /dev/md0 is performing resync/recovery and cannot be reshaped" ]
    echo 200000 > /proc/sys/dev/raid/speed_limit_max
    wait_idle /dev/md0
    before=$(disk_writes)
    run --separate-stderr ours --grow /dev/md0 -n4
    echo "$stderr"
    [ "$status" -eq 1 ]
    [[ $stderr == *"no room to move the data offset of /dev/vd"?" (a reshape needs 384 sectors before the data, there are 0); a reshape with --backup-file is not supported yet" ]]
    [ "$(disk_writes)" = "$before" ]
    ours --manage /dev/md0 --fail /dev/vda --remove /dev/vda
    wait_idle /dev/md0
    ours --manage /dev/md0 --fail /dev/vdd --remove /dev/vdd
    run --separate-stderr ours --grow /dev/md0 -n4
    [ "$status" -eq 1 ]
    [[ $stderr == "mdadm: /dev/md0 is degraded: a reshape needs every member in sync"* ]]
    [ "$(md_attr raid_disks)" = 3 ]
}

@test "RAID5 --chunk and --layout: restriped in place (no new member), data kept, check clean, --detail as the peer's, the peer assembles it; RAID6 --chunk" {
    ours --create /dev/md0 --run -l5 -n4 --chunk=64 --size=8M /dev/vda /dev/vdb /dev/vdc /dev/vdd
    wait_idle /dev/md0
    sum=$(fill_all /dev/md0)
    size=$(blockdev --getsz /dev/md0)
    run --separate-stderr ours --grow /dev/md0 --chunk=32 --layout=left-asymmetric
    echo "$stderr"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    wait_idle /dev/md0 300
    [ "$(md_attr chunk_size)" = $((32 << 10)) ]
    [ "$(md_attr layout)" = 0 ]
    [ "$(md_attr reshape_position)" = none ]
    [ "$(blockdev --getsz /dev/md0)" = "$size" ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    check_clean
    detail_as_peer
    ours --examine /dev/vda | grep -q "Chunk Size : 32K"
    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vda /dev/vdb /dev/vdc /dev/vdd
    [ "$(md_attr chunk_size)" = $((32 << 10)) ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    peer --stop /dev/md0

    # a larger chunk on RAID6, the layout kept
    wipe_disks
    ours --create /dev/md0 --run -l6 -n4 --chunk=32 --size=8M /dev/vda /dev/vdb /dev/vdc /dev/vdd
    wait_idle /dev/md0
    sum=$(fill_all /dev/md0)
    layout=$(md_attr layout)
    run --separate-stderr ours --grow /dev/md0 --chunk=128
    echo "$stderr"
    [ "$status" -eq 0 ]
    wait_idle /dev/md0 300
    [ "$(md_attr chunk_size)" = $((128 << 10)) ]
    [ "$(md_attr layout)" = "$layout" ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    check_clean
    no_oops
}

@test "--chunk and --layout refusals: one line with the reason, nothing written" {
    # 8 MiB + 64 KiB per member: a 128K chunk does not divide it
    ours --create /dev/md0 --run --assume-clean -l5 -n3 --chunk=64 --size=8256 /dev/vda /dev/vdb /dev/vdc
    wait_idle /dev/md0
    before=$(disk_writes)
    run --separate-stderr ours --grow /dev/md0 --chunk=128
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: New chunk size (128K) does not evenly divide the component size (8256K) of /dev/md0: reduce it first (--grow --size)" ]
    run --separate-stderr ours --grow /dev/md0 --layout=n2
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: layout n2 not understood for raid5." ]
    run --separate-stderr ours --grow /dev/md0 --chunk=64 --layout=left-symmetric
    [ "$status" -eq 0 ]
    [ "$stderr" = "mdadm: /dev/md0: no change requested" ]
    # held open: an in-place reshape restarts the array once
    sleep 60 < /dev/md0 &
    holder=$!
    run --separate-stderr ours --grow /dev/md0 --chunk=32
    kill "$holder"
    wait "$holder" || :
    [ "$status" -eq 1 ]
    echo "$stderr"
    [[ $stderr == "mdadm: /dev/md0 is held open by process $holder: a new chunk size or layout restarts the array once, so that Linux 7.2 keeps the reshape crash-safe. Close it first" ]]
    run --separate-stderr ours --grow /dev/md0 --chunk=32 --size=4M
    [ "$status" -eq 1 ]
    [[ $stderr == "mdadm: cannot change component size at the same time as other changes."* ]]
    [ "$(md_attr chunk_size)" = $((64 << 10)) ]
    [ "$(md_attr layout)" = 2 ]
    [ "$(disk_writes)" = "$before" ]
    ours --stop /dev/md0

    wipe_disks
    ours --create /dev/md0 --run --assume-clean -l4 -n3 --chunk=64 --size=8M /dev/vda /dev/vdb /dev/vdc
    before=$(disk_writes)
    run --separate-stderr ours --grow /dev/md0 --layout=parity-first
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: /dev/md0 is a RAID4 array: its parity stays on the last member (no other layout)" ]
    run --separate-stderr ours --grow /dev/md0 --layout=left-symmetric
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: layout left-symmetric not understood for raid4." ]
    [ "$(disk_writes)" = "$before" ]
    ours --stop /dev/md0

    wipe_disks
    ours --create /dev/md0 --run --assume-clean -l1 -n2 --size=8M /dev/vda /dev/vdb
    ours --create /dev/md1 --run --assume-clean -l0 -n2 --chunk=64 --size=8M /dev/vdc /dev/vdd
    before=$(disk_writes)
    run --separate-stderr ours --grow /dev/md0 --chunk=64
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: /dev/md0 is a RAID1 array: it has no chunk size or layout to change" ]
    run --separate-stderr ours --grow /dev/md1 --chunk=128
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: --grow --chunk or --layout of a raid0 array is not implemented yet in this version of mdadm" ]
    [ "$(disk_writes)" = "$before" ]
}
