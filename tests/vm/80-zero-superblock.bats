#!/usr/bin/env bats
# --zero-superblock on real disks: members of running arrays are refused
# with nothing written; 0.90, 1.0 and 1.2 members made by upstream 4.6 stop
# being members for the peer, for us and for libblkid.

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

not_a_member() {
    run peer --examine "$1"
    [ "$status" -ne 0 ] || { echo "peer still sees a member on $1"; return 1; }
    run ours --examine "$1"
    [ "$status" -ne 0 ] || { echo "ours still sees a member on $1"; return 1; }
    run blkid -p -o value -s TYPE "$1"
    [[ $output != *linux_raid_member* ]] || { echo "blkid still sees a member on $1"; return 1; }
}

@test "a member of a running array is refused, nothing written" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=lockless --size=32M /dev/vda /dev/vdb
    before=$(disk_sum /dev/vda)
    run --separate-stderr ours --zero-superblock /dev/vda
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: Couldn't open /dev/vda for write - not zeroing" ]
    [ "$(disk_sum /dev/vda)" = "$before" ]
    [[ $(cat "$(md_sys /dev/md0)/array_state") =~ ^(clean|active|active-idle)$ ]]
}

@test "0.90, 1.0 and 1.2 members made by the peer are members no more" {
    local meta
    for meta in 0.90 1.0 1.2; do
        peer --create /dev/md0 --run -e "$meta" -l1 -n2 --size=32M /dev/vda /dev/vdb 2>/dev/null
        peer --stop /dev/md0
        run ours --zero-superblock /dev/vda /dev/vdb
        [ "$status" -eq 0 ] || { echo "$meta: $output"; return 1; }
        not_a_member /dev/vda
        not_a_member /dev/vdb
        # and both tools can make a new array there at once
        ours --create /dev/md0 --run -l1 -n2 --size=32M /dev/vda /dev/vdb
        ours --stop /dev/md0
        ours --zero-superblock /dev/vda /dev/vdb
    done
}
