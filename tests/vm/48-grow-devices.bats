#!/usr/bin/env bats
# --grow --raid-devices on RAID1 (mirrors added from spares or from --add
# devices in the same command, removed after fail/remove), for arrays
# without a bitmap, with a classic one and with a lockless one;
# --grow --consistency-policy and --grow --write-behind.
#
# The proof that a new mirror really holds the data: the original members
# are failed after the recovery and the data read back from the new ones
# alone is the data written before; the peer then assembles the result.
# Refusals leave every disk byte-identical (the refusal arrays are made
# --assume-clean and never written, so the kernel writes nothing either).

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

md_attr() { cat "$(md_sys /dev/md0)/$1"; }

# in_sync_count: members of /dev/md0 whose state says in_sync
in_sync_count() { grep -l in_sync "$(md_sys /dev/md0)"/dev-*/state | wc -l; }

# mirrors_cycle BITMAP: 2 -> 3 (a spare) -> 4 (--add in the same command),
# originals failed, data read from the new mirrors, 4 -> 2, peer assembles
mirrors_cycle() {
    ours --create /dev/md0 --run -l1 -n2 --bitmap="$1" --size=32M /dev/vda /dev/vdb
    wait_idle /dev/md0 300
    sum=$(fill_array /dev/md0)

    ours --manage /dev/md0 --add /dev/vdc
    run --separate-stderr ours --grow /dev/md0 --raid-devices=3
    echo "$output $stderr"
    [ "$status" -eq 0 ]
    [ "$output" = "raid_disks for /dev/md0 set to 3" ]
    wait_idle /dev/md0 300
    [ "$(md_attr raid_disks)" = 3 ]
    [ "$(md_attr degraded)" = 0 ]

    run --separate-stderr ours --grow /dev/md0 -n4 --add /dev/vdd
    echo "$output $stderr"
    [ "$status" -eq 0 ]
    [ "$output" = $'mdadm: added /dev/vdd\nraid_disks for /dev/md0 set to 4' ]
    wait_idle /dev/md0 300
    [ "$(md_attr degraded)" = 0 ]
    [ "$(in_sync_count)" = 4 ]

    # only the new mirrors are left to read from
    ours --manage /dev/md0 --fail /dev/vda --fail /dev/vdb
    echo 3 > /proc/sys/vm/drop_caches
    [ "$(array_sum /dev/md0)" = "$sum" ]
    ours --manage /dev/md0 --remove /dev/vda --remove /dev/vdb

    run --separate-stderr ours --grow /dev/md0 -n2
    echo "$output $stderr"
    [ "$status" -eq 0 ]
    [ "$output" = "raid_disks for /dev/md0 set to 2" ]
    [ "$(md_attr raid_disks)" = 2 ]
    [ "$(md_attr degraded)" = 0 ]
    echo check > "$(md_sys /dev/md0)/sync_action"
    wait_idle /dev/md0 300
    [ "$(md_attr mismatch_cnt)" = 0 ]

    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vdc /dev/vdd
    [ "$(md_attr raid_disks)" = 2 ]
    [ "$(md_attr degraded)" = 0 ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
}

@test "RAID1 without a bitmap: mirrors added from a spare and with --add, data on the new ones, 4 -> 2" {
    mirrors_cycle none
}

@test "RAID1 with a classic bitmap: the same cycle, the bitmap stays" {
    mirrors_cycle internal
    [ "$(md_attr bitmap/location)" != none ]
}

@test "RAID1 with a lockless bitmap: new mirrors recover every written chunk, the bitmap stays lockless" {
    mirrors_cycle lockless
    [[ $(md_attr bitmap_type) == *"[llbitmap]"* ]]
    ! dmesg | grep -E 'BUG:|Oops|Call Trace|invalid bit|general protection'
}

@test "refusals as mdadm 4.6 says them, disks byte-identical" {
    ours --create /dev/md0 --run --assume-clean -l1 -n2 --bitmap=lockless --size=32M /dev/vda /dev/vdb
    before=$(disk_sums)
    # no spare for the new slot: peer and ours say the same
    run --separate-stderr peer --grow /dev/md0 -n3
    peer_err=$stderr peer_status=$status
    run --separate-stderr ours --grow /dev/md0 -n3
    [ "$status" -eq "$peer_status" ] && [ "$status" -eq 1 ]
    [ "$stderr" = "$peer_err" ]
    [[ $stderr == *"Need 1 spare to avoid degraded array, and only have 0."* ]]
    # the same count: nothing to do, and an --add device is not added
    run --separate-stderr ours --grow /dev/md0 -n2 --add /dev/vdc
    [ "$status" -eq 0 ]
    [ "$stderr" = "mdadm: /dev/md0: no change requested" ]
    # one mirror needs --force (usage), fewer slots than members in them
    run --separate-stderr ours --grow /dev/md0 -n1
    [ "$status" -eq 2 ]
    [[ $stderr == *"'1' is an unusual number of drives"* ]]
    run --separate-stderr ours --grow /dev/md0 -n1 --force
    [ "$status" -eq 1 ]
    [[ $stderr == *"failed to set raid disks: 2 members of /dev/md0 hold a slot"* ]]
    run --separate-stderr peer --grow /dev/md0 -n3 -z 1000
    peer_err=$stderr
    run --separate-stderr ours --grow /dev/md0 -n3 -z 1000
    [ "$status" -eq 1 ] && [ "$stderr" = "$peer_err" ]
    [ "$(md_attr raid_disks)" = 2 ]
    [ "$(disk_sums)" = "$before" ]
    ours --stop /dev/md0

    # RAID0 (RAID4/5/6 are reshaped: 49-grow-reshape.bats): not built yet
    wipe_disks
    ours --create /dev/md0 --run -l0 -n3 --size=32M /dev/vda /dev/vdb /dev/vdc
    before=$(disk_sums)
    run --separate-stderr ours --grow /dev/md0 -n4 --add /dev/vdd
    echo "$stderr"
    [ "$status" -eq 1 ]
    [[ $stderr == *"--grow --raid-devices on a raid0 array (a reshape) is not implemented yet"* ]]
    [ "$(md_attr raid_disks)" = 3 ]
    [ ! -e "$(md_sys /dev/md0)/dev-vdd" ]
    [ "$(disk_sums)" = "$before" ]
}

@test "--consistency-policy: resync takes the bitmap off, bitmap puts one on, ppl <-> resync on RAID5" {
    ours --create /dev/md0 --run --assume-clean -l1 -n2 --bitmap=lockless --size=32M /dev/vda /dev/vdb
    sum=$(fill_array /dev/md0)
    [ "$(md_attr consistency_policy)" = bitmap ]
    run --separate-stderr ours --grow /dev/md0 --consistency-policy=resync
    echo "$stderr"
    [ "$status" -eq 0 ]
    [ "$(md_attr consistency_policy)" = resync ]
    # the same again, and the words mdadm 4.6 refuses
    before=$(disk_sums)
    run --separate-stderr ours --grow /dev/md0 -k resync
    [ "$status" -eq 1 ] && [ "$stderr" = "mdadm: Consistency policy is already resync" ]
    run --separate-stderr peer --grow /dev/md0 -k journal
    peer_err=$stderr
    run --separate-stderr ours --grow /dev/md0 -k journal
    [ "$status" -eq 1 ] && [ "$stderr" = "$peer_err" ]
    run --separate-stderr ours --grow /dev/md0 -k ppl
    [ "$status" -eq 1 ] && [[ $stderr == *"is not implemented yet"* ]]
    [ "$(disk_sums)" = "$before" ]
    # and back: a classic bitmap, as --grow --bitmap=internal puts it on
    run --separate-stderr ours --grow /dev/md0 -k bitmap
    echo "$stderr"
    if [ "$status" -eq 0 ]; then
        [ "$(md_attr consistency_policy)" = bitmap ]
        [ "$(md_attr bitmap/location)" != none ]
    else
        # a build without --grow --bitmap=internal says so, and changes nothing
        [[ $stderr == *"--grow --bitmap=internal is not implemented yet"* ]]
        [ "$(md_attr consistency_policy)" = resync ]
    fi
    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vda /dev/vdb
    [ "$(array_sum /dev/md0)" = "$sum" ]
    ours --stop /dev/md0

    # RAID5 with a partial parity log (made by the peer): off, on again with
    # the peer, off again
    wipe_disks
    peer --create /dev/md0 --run --assume-clean -l5 -n3 --consistency-policy=ppl --size=32M \
        /dev/vda /dev/vdb /dev/vdc
    [ "$(md_attr consistency_policy)" = ppl ]
    run --separate-stderr ours --grow /dev/md0 -k resync
    [ "$status" -eq 0 ]
    [ "$(md_attr consistency_policy)" = resync ]
    peer --grow /dev/md0 -k ppl
    [ "$(md_attr consistency_policy)" = ppl ]
    run --separate-stderr ours --grow /dev/md0 -k resync
    [ "$status" -eq 0 ]
    [ "$(md_attr consistency_policy)" = resync ]
    [ "$(peer --detail /dev/md0 | field /dev/stdin 'Consistency Policy')" = resync ]
}

@test "--write-behind: the classic bitmap's limit is set and recorded; lockless, none and no write-mostly member refused" {
    ours --create /dev/md0 --run --assume-clean -l1 -n2 --bitmap=internal --size=32M /dev/vda /dev/vdb
    echo writemostly > "$(md_sys /dev/md0)/dev-vdb/state"
    run --separate-stderr ours --grow /dev/md0 --write-behind=100
    echo "$stderr"
    [ "$status" -eq 0 ]
    [ "$(md_attr bitmap/backlog)" = 100 ]
    run --separate-stderr ours --grow /dev/md0 --write-behind
    [ "$status" -eq 0 ]
    [ "$(md_attr bitmap/backlog)" = 256 ]
    ours --grow /dev/md0 --write-behind=77
    ours --stop /dev/md0
    [ "$(peer -X /dev/vda | field /dev/stdin 'Write Mode')" = "Allow write behind, max 77" ]
    ours --assemble /dev/md0 /dev/vda /dev/vdb
    [ "$(md_attr bitmap/backlog)" = 77 ]
    ours --stop /dev/md0

    wipe_disks
    ours --create /dev/md0 --run --assume-clean -l1 -n2 --bitmap=internal --size=32M /dev/vda /dev/vdb
    before=$(disk_sums)
    run --separate-stderr ours --grow /dev/md0 --write-behind=10
    [ "$status" -eq 1 ] && [[ $stderr == *"no write-mostly member"* ]]
    [ "$(disk_sums)" = "$before" ]
    ours --stop /dev/md0

    wipe_disks
    ours --create /dev/md0 --run --assume-clean -l1 -n2 --bitmap=lockless --size=32M /dev/vda /dev/vdb
    echo writemostly > "$(md_sys /dev/md0)/dev-vdb/state"
    before=$(disk_sums)
    run --separate-stderr ours --grow /dev/md0 --write-behind=10
    [ "$status" -eq 1 ] && [[ $stderr == *"lockless bitmap, which has no write-behind"* ]]
    [ "$(disk_sums)" = "$before" ]
    ours --stop /dev/md0

    wipe_disks
    ours --create /dev/md0 --run --assume-clean -l1 -n2 --bitmap=none --size=32M /dev/vda /dev/vdb
    run --separate-stderr ours --grow /dev/md0 --write-behind=10
    [ "$status" -eq 1 ] && [ "$stderr" = "mdadm: write-behind mode requires a bitmap." ]
}
