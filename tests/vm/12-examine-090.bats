#!/usr/bin/env bats
# VM tier: OUR --examine of 0.90 members against the PEER (mdadm 4.6) on
# arrays the peer made on the real kernel: every member, plain, with the
# array's homehost, --export, --brief, --brief --verbose and --scan, exact
# text (the descriptor table names the guest's devices, so this is the one
# place it is compared with the names). Arrays are stopped before the
# comparison so that both tools read the same bytes.

load lib

setup_file() { vm_file_start; }

teardown_file() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    stop_all
    wipe_disks
}

setup() {
    require_vm
    need_ours
}

# make090 CREATE-ARGS... DEVICES...: peer --create -e 0.90 on /dev/md0
make090() {
    stop_all
    wipe_disks
    peer --create /dev/md0 --run --metadata=0.90 --homehost="$HOMEHOST" "$@" >/dev/null 2>&1 ||
        { echo "peer --create $* failed"; peer --create /dev/md0 --run --metadata=0.90 "$@"; return 1; }
}

# compare_members DEVICES...: every form of --examine, ours against the peer
compare_members() {
    local d rc=0
    for d in "$@"; do
        compare_examine "$d" || rc=1
        compare_tools --examine --export "$d" || rc=1
    done
    compare_examine "$@" --brief || rc=1
    compare_tools --examine --brief --verbose "$@" || rc=1
    return $rc
}

# --scan walks every block device: once per test is enough
compare_scan() {
    local rc=0
    compare_tools --examine --scan || rc=1
    compare_tools --examine --scan --verbose || rc=1
    return $rc
}

@test "0.90 raid1, no bitmap" {
    make090 --level=1 --raid-devices=2 --assume-clean "${DISKS[0]}" "${DISKS[1]}"
    peer --stop /dev/md0
    compare_members "${DISKS[0]}" "${DISKS[1]}"
    compare_scan
}

@test "0.90 raid1 with a classic internal bitmap, written to" {
    make090 --level=1 --raid-devices=2 --bitmap=internal --assume-clean "${DISKS[0]}" "${DISKS[1]}"
    write_pattern /dev/md0 $((4 << 20)) 0
    peer --stop /dev/md0
    compare_members "${DISKS[0]}" "${DISKS[1]}"
    run ours --examine "${DISKS[0]}"
    [[ $output == *"Internal Bitmap : present"* ]]
}

@test "0.90 raid5 with a bitmap, raid6, raid10 (offset layout), raid0 and linear" {
    make090 --level=5 --raid-devices=3 --bitmap=internal --assume-clean "${DISKS[@]:0:3}"
    peer --stop /dev/md0
    compare_members "${DISKS[@]:0:3}"
    make090 --level=6 --raid-devices=4 --assume-clean --chunk=128 "${DISKS[@]:0:4}"
    peer --stop /dev/md0
    compare_members "${DISKS[@]:0:4}"
    make090 --level=10 --raid-devices=4 --layout=o2 --assume-clean "${DISKS[@]:0:4}"
    peer --stop /dev/md0
    compare_members "${DISKS[@]:0:4}"
    make090 --level=0 --raid-devices=2 "${DISKS[@]:0:2}"
    peer --stop /dev/md0
    compare_members "${DISKS[@]:0:2}"
    make090 --level=linear --raid-devices=3 "${DISKS[@]:0:3}"
    peer --stop /dev/md0
    compare_members "${DISKS[@]:0:3}"
}

@test "0.90 degraded raid1, a spare, a failed member" {
    make090 --level=1 --raid-devices=2 --assume-clean "${DISKS[0]}" missing
    peer --stop /dev/md0
    compare_members "${DISKS[0]}"
    make090 --level=1 --raid-devices=2 --assume-clean --spare-devices=1 \
        "${DISKS[0]}" "${DISKS[1]}" "${DISKS[2]}"
    peer --stop /dev/md0
    compare_members "${DISKS[0]}" "${DISKS[1]}" "${DISKS[2]}"
    compare_scan
    make090 --level=1 --raid-devices=3 --assume-clean "${DISKS[0]}" "${DISKS[1]}" \
        --write-mostly "${DISKS[2]}"
    peer /dev/md0 --fail "${DISKS[1]}" >/dev/null 2>&1
    peer --stop /dev/md0
    compare_members "${DISKS[0]}" "${DISKS[1]}" "${DISKS[2]}"
    run ours --examine "${DISKS[0]}"
    [[ $output == *"      faulty removed"* ]]
}

@test "0.90 members of a running array, preferred minor 3" {
    stop_all
    wipe_disks
    peer --create /dev/md3 --run --metadata=0.90 --level=1 --raid-devices=2 --assume-clean \
        "${DISKS[0]}" "${DISKS[1]}" >/dev/null 2>&1
    run ours --examine --brief "${DISKS[0]}"
    [[ $output == "ARRAY /dev/md3 UUID="* ]]
    peer --stop /dev/md3
    compare_members "${DISKS[0]}" "${DISKS[1]}"
}

# edge_sums DISK...: checksum of the first and last 4 MiB of each disk,
# where any superblock, bitmap or bad-block log would be written
edge_sums() {
    local d sz
    for d in "$@"; do
        sz=$(blockdev --getsize64 "$d")
        dd if="$d" bs=1M count=4 iflag=direct status=none
        dd if="$d" bs=1M skip=$((sz / 1048576 - 4)) iflag=direct status=none
    done | md5sum
}

@test "still not implemented yet for 0.90: --re-add, --assemble --update; nothing written" {
    local sums
    make090 --level=1 --raid-devices=2 --assume-clean "${DISKS[0]}" "${DISKS[1]}"
    sums=$(edge_sums "${DISKS[2]}")
    run ours /dev/md0 --re-add "${DISKS[2]}"
    [ "$status" -eq 1 ] && [[ $output == *"not implemented yet for 0.90"* ]]
    [ "$(edge_sums "${DISKS[2]}")" = "$sums" ]
    peer --stop /dev/md0
    sums=$(edge_sums "${DISKS[@]:0:4}")
    run ours --assemble --update=resync /dev/md0 "${DISKS[0]}" "${DISKS[1]}"
    [ "$status" -eq 1 ] && [[ $output == *"not implemented yet for 0.90"* ]]
    [ ! -e /sys/block/md0/md/array_state ] || [ "$(cat /sys/block/md0/md/array_state)" = clear ] ||
        [ "$(cat /sys/block/md0/md/array_state)" = inactive ]
    [ "$(edge_sums "${DISKS[@]:0:4}")" = "$sums" ]
    # what the peer made still assembles with the peer
    peer --assemble /dev/md0 "${DISKS[0]}" "${DISKS[1]}" >/dev/null 2>&1
    [ "$(cat /sys/block/md0/md/array_state)" != inactive ]
}
