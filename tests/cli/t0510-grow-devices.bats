#!/usr/bin/env bats
# --grow --raid-devices, --consistency-policy and --write-behind: what is
# refused before any array is looked at (messages and exit statuses of
# mdadm 4.6, recorded in the md VM), and a missing array. The kernel paths
# are tested in tests/vm/48-grow-devices.bats.

bats_require_minimum_version 1.5.0
load lib
load lib-detail

grow() { MDADM_SYSFS_ROOT=$BATS_TEST_TMPDIR run --separate-stderr "$MDADM" --grow /dev/md99 "$@"; }

@test "--raid-devices: one mirror needs --force, sizes are changed on their own" {
    grow -n1
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: '1' is an unusual number of drives for an array, so it is probably
     a mistake.  If you really mean it you will need to specify --force before
     setting the number of drives." ]
    grow -n2 -Z 1000
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: cannot change array size in same operation as changing raiddisks or level.
    Change size first, then check that data is still intact." ]
}

@test "--raid-devices: devices only after --add, other changes not combined" {
    grow -n3 /dev/sdz
    [ "$status" -eq 2 ]
    [[ $stderr == *"/dev/sdz: devices are named in --grow mode only after --add"* ]]
    # --chunk and --layout go with it (one reshape); other changes do not
    grow -n3 --write-behind=5
    [ "$status" -eq 2 ]
    [[ $stderr == *"--raid-devices, --chunk and --layout cannot be combined with other --grow changes yet"* ]]
}

@test "--consistency-policy: journal as mdadm 4.6, ppl not implemented, nothing combined" {
    grow -k journal
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: Operation not supported for consistency policy journal" ]
    grow -k ppl
    [ "$status" -eq 1 ]
    [[ $stderr == *"--grow --consistency-policy=ppl is not implemented yet in this version of mdadm"* ]]
    grow -k resync --write-behind=5
    [ "$status" -eq 2 ]
}

@test "no such array: said as mdadm 4.6 says it, exit 1" {
    for args in "-n3" "-n3 --add /dev/sdz" "-k resync" "--write-behind=5"; do
        grow $args
        echo "$args -> $status $stderr"
        [ "$status" -eq 1 ]
        [ "$stderr" = "mdadm: error opening /dev/md99: No such file or directory" ]
    done
}

# ---- RAID4/5/6 reshapes on a fake sysfs tree (lib-detail.bash): what is
# refused before the kernel is asked, and the writes the reshape makes
# (their effect on a real array: tests/vm/49-grow-reshape.bats)

# reshape_array: the r5-internal scenario as a running RAID5 of 3 with a
# spare vdd (a copy of vdc's image: the same room before the data), every
# member's data offset and new offset as the kernel shows them
reshape_array() {
    local k
    fake_array r5-internal
    fake_member md0 vdd none spare 253:48 "$(fixture_copy r5-internal vdc "$BATS_TEST_TMPDIR/vdd.img")"
    for k in vda vdb vdc vdd; do
        fake_put "block/md0/md/dev-$k/offset" 4096
        fake_put "block/md0/md/dev-$k/new_offset" 4096
    done
    fake_put block/md0/md/stripe_cache_size 256
}

# reshape ARGS...: our --grow of the fake md0, its name shown as /dev/md0
reshape() {
    run --separate-stderr "$MDADM" --grow "$FAKE/dev/md0" "$@"
    stderr=${stderr//$FAKE\/dev\//\/dev\/}
}
sys_of() { cat "$FAKE/sys/block/md0/md/$1"; }
# last_written ATTR WORD: WORD was the last value written to ATTR (a plain
# file is not truncated as a sysfs attribute is: "idle" over "frozen"
# leaves "idlen")
last_written() { [[ $(sys_of "$1") == "$2"* ]]; }

# unchanged: the fake tree holds what it held before the refused command
unchanged() {
    [ "$(sys_of raid_disks)" = 3 ]
    [ "$(sys_of sync_action)" = idle ]
    [ "$(sys_of stripe_cache_size)" = 256 ]
    [ "$(sys_of dev-vda/new_offset)" = 4096 ]
    [ "$(sys_of dev-vdd/new_offset)" = 4096 ]
}

@test "RAID5 reshape refusals before the kernel is asked: one line with the reason, nothing written" {
    reshape_array
    reshape -n2
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: --grow --raid-devices below the current 3 of a raid5 is not implemented yet in this version of mdadm" ]
    reshape -n4 --backup-file=/tmp/never-made
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: a reshape with --backup-file is not implemented yet in this version of mdadm" ]
    reshape -n4 --level=6
    [ "$status" -eq 1 ]
    [[ $stderr == *"--grow --level (a level change) is not implemented yet"* ]]
    reshape -n5
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: Need 2 spares to avoid degraded array, and only have 1.
       Use --force to over-ride this check." ]
    reshape -n5 --force
    [ "$status" -eq 1 ]
    [[ $stderr == *"a reshape into a degraded array"*"is not implemented yet"* ]]
    reshape -n3
    [ "$status" -eq 0 ]
    [ "$stderr" = "mdadm: /dev/md0: no change requested" ]
    unchanged

    fake_put block/md0/md/array_state readonly
    reshape -n4
    [ "$status" -eq 1 ]
    [[ $stderr == *"is read-only: switch it to read-write (--readwrite) before reshaping it" ]]
    fake_put block/md0/md/array_state clean
    fake_put block/md0/md/sync_action resync
    reshape -n4
    [ "$status" -eq 1 ]
    [[ $stderr == *"is performing resync/recovery and cannot be reshaped" ]]
    fake_put block/md0/md/sync_action idle
    fake_put block/md0/md/degraded 1
    reshape -n4
    [ "$status" -eq 1 ]
    [[ $stderr == *"is degraded: a reshape needs every member in sync"* ]]
    fake_put block/md0/md/degraded 0
    unchanged

    # a lockless bitmap: refused, with the way on
    fake_put block/md0/md/llbitmap/daemon_sleep 30
    fake_put block/md0/md/bitmap_type "none bitmap [llbitmap]"
    reshape -n4
    echo "$stderr"
    [ "$status" -eq 1 ]
    [[ $stderr == *"has a lockless bitmap, which Linux 7.2 cannot carry through a reshape"*"(--grow --bitmap=none)"*"(--grow --bitmap=internal)"* ]]
    unchanged
}

@test "RAID5 3 -> 4: new offsets lowered by 3072 sectors (512 KiB chunks), stripe cache for four chunks, raid_disks, then reshape" {
    reshape_array
    reshape -n4
    echo "$stderr"
    [ "$status" -eq 0 ]
    [ -z "$output$stderr" ]
    for k in vda vdb vdc vdd; do
        [ "$(sys_of "dev-$k/new_offset")" = 1024 ]
    done
    [ "$(sys_of stripe_cache_size)" = 513 ]
    [ "$(sys_of raid_disks)" = 4 ]
    [ "$(sys_of sync_action)" = reshape ]
}

@test "RAID5 3 -> 4: a step the kernel refuses undoes the ones before it" {
    reshape_array
    # the stripe cache cannot be read or written (a directory): the new
    # offsets and the frozen sync thread are put back
    rm "$FAKE/sys/block/md0/md/stripe_cache_size"
    mkdir "$FAKE/sys/block/md0/md/stripe_cache_size"
    reshape -n4
    echo "$stderr"
    [ "$status" -eq 1 ]
    [[ $stderr == "mdadm: cannot enlarge the stripe cache of /dev/md0: "* ]]
    last_written sync_action idle
    [ "$(sys_of raid_disks)" = 3 ]
    for k in vda vdb vdc vdd; do
        [ "$(sys_of "dev-$k/new_offset")" = 4096 ]
    done
    # no room before the data: said, nothing written
    rmdir "$FAKE/sys/block/md0/md/stripe_cache_size"
    fake_put block/md0/md/stripe_cache_size 256
    fake_put block/md0/md/chunk_size 1048576
    fake_put block/md0/md/sync_action idle
    reshape -n4
    echo "$stderr"
    [ "$status" -eq 1 ]
    [[ $stderr == "mdadm: /dev/md0: no room to move the data offset of /dev/vd"?" (a reshape needs 6144 sectors before the data, there are 4016); a reshape with --backup-file is not supported yet" ]]
    unchanged
}
