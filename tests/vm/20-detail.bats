#!/usr/bin/env bats
# VM tier: OUR --detail (text, --brief, --verbose, --scan, --export,
# --no-devices, --test, --json), --query and --stop against the PEER
# (upstream mdadm 4.6) on live arrays the peer made on the real kernel.
# Run with tests/vm/run (4 x 320 MiB disks).
#
# Our --detail adds lines of its own (Bitmap Type; for lockless bitmaps
# a block with the chunk size, chunk count, daemon settings and chunk
# state counts); lib-detail.bash removes exactly those by their labels and
# then requires byte equality with the peer, the same exit status and the
# same stderr. --export: the peer's lines must come first, unchanged; after
# them only MD_BITMAP_TYPE and MD_LLBITMAP_* keys. Our llbitmap counts must
# equal md/llbitmap/bits read at the same moment.

bats_require_minimum_version 1.5.0

load lib
load lib-detail

setup_file() { vm_file_start; }

teardown_file() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    unthrottle_sync
    stop_all
}

setup() {
    require_vm
    need_ours
}

teardown() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    exec 7<&- 2>/dev/null || true
    unthrottle_sync
}

# ------------------------------------------------------------ every level x bitmap

# [ALL=1] check_level LEVEL N BITMAP [CREATE-ARGS...]: create, write (not
# with --assume-clean, where the first writes would turn chunks dirty
# while we look), compare the report forms (ALL=1: every form), --test 0,
# counts
check_level() {
    local level=$1 n=$2 bitmap=$3
    make_array "$@"
    if [[ " $* " != *" --assume-clean "* ]]; then
        write_pattern $MD $((4 << 20)) 0
        settle $MD
    fi
    check_reports $MD "$([ "${ALL:-0}" = 1 ] && echo all)"
    check_test_status $MD 0
    if [ "$bitmap" = lockless ]; then
        check_llb_counts $MD
        ours --detail $MD | grep -q '^       Bitmap Type : lockless$'
        ours --detail --export $MD | grep -qx 'MD_BITMAP_TYPE=lockless'
    fi
    [ "$bitmap" != internal ] || ours --detail $MD | grep -q '^       Bitmap Type : internal$'
}

# CI: each level and bitmap kind once (and raid6, raid0, raid10 far); the
# --assume-clean variants of the same levels run with tests/vm/run --full
@test "raid1 lockless" { ALL=1 check_level 1 2 lockless; }
@test "raid1 lockless --assume-clean" { full_only; check_level 1 2 lockless --assume-clean; }
@test "raid1 internal" { check_level 1 2 internal; }
@test "raid1 none --assume-clean" { full_only; check_level 1 2 none --assume-clean; }
@test "raid5 lockless" { ALL=1 check_level 5 3 lockless; }
@test "raid5 internal --assume-clean" { full_only; check_level 5 3 internal --assume-clean; }
@test "raid5 none" { check_level 5 3 none; }
@test "raid10 lockless --assume-clean" { full_only; check_level 10 4 lockless --assume-clean; }
@test "raid10 internal" { ALL=1 check_level 10 4 internal; }
@test "raid10 none, far layout" { check_level 10 2 none --layout=f2; }
@test "raid0 (no redundancy, no bitmap)" { check_level 0 2 none; }
@test "raid6 lockless --assume-clean" { check_level 6 4 lockless --assume-clean; }

@test "llbitmap counts follow the kernel after writes (dirty chunks)" {
    make_array 1 2 lockless
    write_pattern $MD $((16 << 20)) 0
    write_pattern $MD 4096 $((200 << 20))
    check_llb_counts $MD
    [ "$(ours --detail --export $MD | sed -n 's/^MD_LLBITMAP_DIRTY=//p')" -gt 0 ] ||
        [ "$(ours --detail --export $MD | sed -n 's/^MD_LLBITMAP_CLEAN=//p')" -gt 0 ]
}

@test "--json: one document, bitmap type and counts as the kernel says" {
    need_jq
    make_array 1 2 lockless
    write_pattern $MD $((8 << 20)) 0
    wait_settled $MD
    local js uuid sys
    sys=$(md_sys $MD)
    js=$(ours --detail --json $MD "${DISKS[3]}" 2>/dev/null) || true
    jq -e '.arrays | length == 1' <<< "$js"
    uuid=$(field <(peer --detail $MD) UUID)
    [ "$(jq -r '.arrays[0].array_uuid' <<< "$js")" = "$uuid" ]
    [ "$(jq -r '.arrays[0].bitmap.type' <<< "$js")" = lockless ]
    [ "$(jq -r '.arrays[0].bitmap.kernel_type' <<< "$js")" = llbitmap ]
    [ "$(jq -r '.arrays[0].bitmap.chunks' <<< "$js")" = "$(awk '$1 == "chunks" { print $2 }' "$sys/llbitmap/metadata")" ]
    [ "$(jq -r '.arrays[0].members | length' <<< "$js")" = 2 ]
    [ "$(jq -r '.arrays[0].state' <<< "$js")" = clean ]
    # the states sum to the chunk count
    [ "$(jq '[.arrays[0].bitmap.states[]] | add' <<< "$js")" = "$(jq '.arrays[0].bitmap.chunks' <<< "$js")" ]
}

# ------------------------------------------------------------ degraded, failed, spares

@test "degraded raid1: faulty member, removed slot, --test exits 1" {
    make_array 1 2 lockless --assume-clean
    peer $MD --fail "${DISKS[1]}"
    wait_state $MD clean
    sleep 0.5
    check_reports $MD all
    check_test_status $MD 1
    peer $MD --remove "${DISKS[1]}"
    sleep 0.5
    check_reports $MD
    check_test_status $MD 1
}

@test "raid5 with one member failed is degraded (1), with two FAILED (2)" {
    make_array 5 3 none --assume-clean
    peer $MD --fail "${DISKS[0]}"
    sleep 0.5
    compare_filtered --detail $MD
    check_test_status $MD 1
    # a second failure: the kernel refuses to fail it when that would fail
    # the array; whatever it does, both tools must say the same
    peer $MD --fail "${DISKS[1]}" || true
    sleep 0.5
    compare_filtered --detail $MD
    compare_filtered --detail --test $MD
}

@test "spare: --brief says spares=1, export lists it as spare" {
    make_array 1 2 internal --assume-clean --spare-devices=1 "${DISKS[2]}"
    check_reports $MD all
    ours --detail --brief $MD | grep -q ' spares=1 '
    ours --detail --export $MD | grep -qx "MD_DEVICE_dev_$(basename "${DISKS[2]}")_ROLE=spare"
}

@test "rebuild in progress: recovering, Rebuild Status, spare rebuilding" {
    make_array 1 2 lockless --assume-clean
    peer $MD --fail "${DISKS[1]}"
    peer $MD --remove "${DISKS[1]}"
    throttle_sync
    peer $MD --add "${DISKS[2]}"
    sleep 1
    grep -q recovery /proc/mdstat || { cat /proc/mdstat; false; }
    compare_filtered --detail $MD
    compare_filtered --detail --brief --verbose $MD
    compare_export $MD
    ours --detail $MD | grep -q 'Rebuild Status : 0% complete'
    ours --detail $MD | grep -q 'spare rebuilding'
    check_test_status $MD 1
}

@test "resync in progress: resyncing, Resync Status" {
    THROTTLE=1 NOWAIT=1 make_array 1 2 internal
    sleep 1
    grep -q resync /proc/mdstat || { cat /proc/mdstat; false; }
    compare_filtered --detail $MD
    run ours --detail $MD
    echo "$output"
    [[ $output == *"State : "*", resyncing "* ]]
    [[ $output == *"Resync Status : 0% complete"* ]]
    check_test_status $MD 0
}

@test "read-only array" {
    make_array 1 2 lockless --assume-clean
    peer --readonly $MD
    compare_filtered --detail $MD
    compare_filtered --detail --brief $MD
    peer --readwrite $MD
    compare_filtered --detail $MD
}

# ------------------------------------------------------------ inactive, named

@test "inactive array (one member given to -I): INACTIVE-ARRAY, --test 2" {
    make_array 1 2 none --assume-clean
    stop_all
    peer -I "${DISKS[0]}"
    local md
    md=/dev/$(awk '/^md/ && /inactive/ { print $1; exit }' /proc/mdstat)
    [ "$md" != /dev/ ] || { cat /proc/mdstat; false; }
    compare_filtered --detail "$md"
    compare_filtered --detail --brief --verbose "$md"
    compare_filtered --detail --scan
    compare_export "$md"
    compare_filtered --query "${DISKS[0]}"
    check_test_status "$md" 2
    # the peer aborts on -Q of an inactive array (an assertion); ours answers
    run ours -Q "$md"
    [ "$status" = 0 ]
    [[ $output == "$md: "* ]]
    run ours --stop "$md"
    [ "$status" = 0 ]
    wait_gone "$(basename "$md")"
}

@test "named array (/dev/md/NAME): MD_DEVNAME, --scan uses the name" {
    stop_all
    wipe_disks
    peer --create /dev/md/detailtest --run --level=1 --raid-devices=2 --metadata=1.2 \
        --bitmap=lockless --assume-clean "${DISKS[0]}" "${DISKS[1]}" 2>/dev/null
    MEMBERS=("${DISKS[0]}" "${DISKS[1]}")
    compare_filtered --detail /dev/md/detailtest
    compare_export /dev/md/detailtest
    ours --detail --export /dev/md/detailtest | grep -qx MD_DEVNAME=detailtest
    compare_filtered --detail --scan
    ours --detail --scan | grep -q '^ARRAY /dev/md/detailtest '
    compare_filtered --query /dev/md/detailtest "${DISKS[0]}"
}

# ------------------------------------------------------------ not an array

@test "--detail/--query/--stop of something that is not an array" {
    stop_all
    compare_filtered --detail "${DISKS[3]}"
    compare_filtered --detail --test "${DISKS[3]}"
    compare_filtered --detail /dev/md9
    compare_filtered --detail --export "${DISKS[3]}"
    compare_filtered --query "${DISKS[3]}"
    compare_filtered --stop "${DISKS[3]}"
    compare_filtered --stop /dev/md9
    run ours --detail "${DISKS[3]}"
    [ "$status" = 1 ]
    [ "$output" = "mdadm: ${DISKS[3]} does not appear to be an md device" ]
}

# ------------------------------------------------------------ --stop

@test "--stop: says so on stdout, the device disappears, the map forgets it" {
    make_array 1 2 lockless
    grep -q '^md0 ' /run/mdadm/map
    run --separate-stderr ours --stop $MD
    [ "$status" = 0 ]
    [ "$output" = "mdadm: stopped $MD" ]
    [ -z "$stderr" ]
    [ ! -e /sys/block/md0 ]
    wait_gone md0
    [ -z "$(grep '^md0 ' /run/mdadm/map)" ]
    [ -z "$(grep '^md0 ' /proc/mdstat)" ]
}

@test "--stop of an open array fails like the peer's and the array keeps running" {
    make_array 1 2 none --assume-clean
    exec 7< $MD
    run --separate-stderr ours --stop $MD
    [ "$status" = 1 ]
    [ "$stderr" = "mdadm: failed to stop array $MD: Device or resource busy
       Perhaps a running process, mounted filesystem or active volume group?" ]
    [ -z "$output" ]
    [ "$(cat /sys/block/md0/md/array_state)" = clean ]
    compare_filtered --stop $MD
    exec 7<&-
    run ours --stop $MD
    [ "$status" = 0 ]
    wait_gone md0
}

@test "--stop of an array another array is built on: no exclusive access; --stop --scan stops both" {
    make_array 1 2 none --assume-clean
    peer --create /dev/md1 --run --level=1 --raid-devices=2 --metadata=1.2 --bitmap=none \
        --assume-clean $MD "${DISKS[2]}" 2>/dev/null
    [ -e /sys/block/md1 ]
    run --separate-stderr ours --stop $MD
    [ "$status" = 1 ]
    [ "$stderr" = "mdadm: Cannot get exclusive access to $MD:Perhaps a running process, mounted filesystem or active volume group?" ]
    compare_filtered --stop $MD
    [ -e /sys/block/md0 ]
    run --separate-stderr ours --stop --scan
    [ "$status" = 0 ]
    [ -z "$output" ]
    [ -z "$stderr" ]
    wait_gone md1
    wait_gone md0
    [ -z "$(grep '^md' /proc/mdstat)" ]
}

@test "--manage DEV --stop and --stop with -q" {
    make_array 1 2 none --assume-clean
    run --separate-stderr ours --manage $MD --stop
    [ "$status" = 0 ]
    [ "$output" = "mdadm: stopped $MD" ]
    wait_gone md0
    make_array 1 2 none --assume-clean
    run --separate-stderr ours --stop -q $MD
    [ "$status" = 0 ]
    [ -z "$output" ]
    wait_gone md0
}
