#!/usr/bin/env bats
# --build: arrays without superblocks (linear, raid0, raid1). Ours builds,
# data goes in, the array is stopped and built again from the same members
# in the same order (by ours and by the peer): the data reads back the
# same; --detail is the peer's text; refusals as the peer's, nothing
# written to the members.

bats_require_minimum_version 1.5.0
load lib
load lib-assemble

setup() {
    require_vm
    need_ours
    stop_all
    wipe_disks
    A=${DISKS[0]} B=${DISKS[1]} C=${DISKS[2]}
    MD=/dev/md0
}

teardown() {
    stop_all || :
}

data_sum() { dd if="$MD" bs=1M count=8 skip="${1:-0}" iflag=direct status=none | md5sum; }

# build_both LEVEL ARGS...: build with ours, write 8 MiB, compare --detail
# with the peer's, stop, build again with ours and with the peer: same data
build_both() {
    local level=$1 sum
    shift
    run --separate-stderr ours --build "$MD" -l "$level" "$@"
    echo "ours: $status $output / $stderr"
    [ "$status" -eq 0 ]
    [ "$stderr" = "mdadm: array $MD built and started." ]
    [ "$(cat /sys/block/md0/md/metadata_version)" = none ]
    [ "$(cat /sys/block/md0/md/level)" = "$level" ]
    [ "$level" != raid1 ] || wait_idle "$MD"
    write_pattern "$MD" $((8 << 20)) $((1 << 20))
    sum=$(data_sum 1)
    # a mirror reads "active" until md marks it clean after the writes:
    # both tools must see the same state
    [ "$level" != raid1 ] || poll_until 10 grep -qx clean /sys/block/md0/md/array_state
    compare_tools --detail "$MD"
    compare_tools --detail --brief "$MD"
    ours --stop "$MD"
    for t in ours peer; do
        run --separate-stderr "$t" --build "$MD" -l "$level" "$@"
        echo "$t again: $status $stderr"
        [ "$status" -eq 0 ]
        [ "$(data_sum 1)" = "$sum" ]
        [ "$level" != raid1 ] || wait_idle "$MD"
        compare_tools --detail "$MD"
        "$t" --stop "$MD"
    done
}

@test "--build linear: data back after stop and rebuild; --detail as the peer" {
    build_both linear -n2 "$A" "$B"
}

@test "--build raid0 (default and given chunk): data back after stop and rebuild; --detail as the peer" {
    build_both raid0 -n2 "$A" "$B"
    build_both raid0 -n3 -c 128 "$A" "$B" "$C"
}

@test "--build raid1 (resync, --assume-clean, missing, write-mostly): data back; --detail as the peer" {
    build_both raid1 -n2 "$A" "$B"
    build_both raid1 -n2 --assume-clean -z 64M "$A" "$B"
    build_both raid1 -n2 "$A" missing
    build_both raid1 -n2 --write-mostly "$A" "$B"
}

@test "--build refusals as the peer's, members untouched" {
    before=$(disk_sums "$A" "$B" "$C")
    for args in "-l raid5 -n3 $A $B $C" "-l1 -n2 --bitmap=internal $A $B" "-l1 -n3 $A $B" \
                "-n2 $A $B" "-l1 $A $B" "-l1 -n2 -x1 $A $B $C" "-l1 -n2 -e1.2 $A $B" \
                "-l1 -n2 --bitmap=/tmp/bm $A $B"; do
        run --separate-stderr peer --build "$MD" $args
        ps=$status pe=$stderr
        run --separate-stderr ours --build "$MD" $args
        echo "$args: peer $ps $pe / ours $status $stderr"
        [ "$status" = "$ps" ]
        [ "$status" -ne 0 ]
        case $args in
        *-x1*|*-e1.2*) ;;   # the peer's words differ only in how it names the option
        *) [ "$stderr" = "$pe" ] ;;
        esac
        [ ! -e /sys/block/md0/md ] || [ "$(cat /sys/block/md0/md/array_state)" != active ]
        stop_all
    done
    [ "$(disk_sums "$A" "$B" "$C")" = "$before" ]
    # a member held by another array
    ours --build /dev/md1 -l linear -n1 "$C"
    run --separate-stderr ours --build "$MD" -l1 -n2 "$A" "$C"
    echo "$status $stderr"
    [ "$status" -eq 1 ]
    [[ $stderr =~ "Cannot open $C: Device or resource busy" ]]
}
