#!/usr/bin/env bats
# VM tier: metadata 0.90 beyond --examine, against the PEER (mdadm 4.6) on
# the real kernel: --detail (text, --brief, --export, --test) of running
# 0.90 arrays the peer made. Our added lines are removed by label
# (lib-detail.bash) before the byte comparison.

bats_require_minimum_version 1.5.0

load lib
load lib-detail

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

# peer090 CREATE-ARGS... DEVICES...: peer --create -e 0.90 on $MD, settled
peer090() {
    local out rc=0
    stop_all
    wipe_disks
    out=$(peer --create $MD --run --metadata=0.90 --homehost="$HOMEHOST" "$@" 2>&1) || rc=$?
    [ "$rc" = 0 ] || { echo "peer --create $* failed ($rc):"; echo "$out"; return 1; }
    settle $MD
}

# detail_forms DEV: every --detail form we compare with the peer
detail_forms() {
    local rc=0
    compare_filtered --detail "$1" || rc=1
    compare_filtered --detail --homehost="$HOMEHOST" "$1" || rc=1
    compare_filtered --detail --brief "$1" || rc=1
    compare_filtered --detail --brief --verbose "$1" || rc=1
    compare_export "$1" || rc=1
    return $rc
}

@test "--detail of 0.90 raid1 and of raid5 with a classic bitmap, then degraded" {
    peer090 --level=1 --raid-devices=2 "${DISKS[0]}" "${DISKS[1]}"
    write_pattern $MD $((1 << 20)) 0
    settle $MD
    detail_forms $MD
    compare_filtered --detail --scan
    check_test_status $MD 0

    peer090 --level=5 --raid-devices=3 --bitmap=internal --assume-clean "${DISKS[@]:0:3}"
    write_pattern $MD $((1 << 20)) 0
    detail_forms $MD
    ours --detail $MD | grep -q '^       Bitmap Type : internal$'

    peer --fail $MD "${DISKS[1]}" >/dev/null 2>&1
    peer --remove $MD "${DISKS[1]}" >/dev/null 2>&1
    detail_forms $MD
    check_test_status $MD 1
}

@test "--detail of 0.90 raid0 and linear; --json names the array by its 0.90 UUID" {
    peer090 --level=0 --raid-devices=2 "${DISKS[0]}" "${DISKS[1]}"
    detail_forms $MD
    uuid=$(peer --detail --brief $MD | sed -n 's/.* UUID=//p')
    [ -n "$uuid" ]
    run ours --detail --json $MD
    [ "$status" -eq 0 ]
    [[ $output == *"\"array_uuid\": \"$uuid\""* ]] || [[ $output == *"\"array_uuid\":\"$uuid\""* ]]
    peer090 --level=linear --raid-devices=2 "${DISKS[0]}" "${DISKS[1]}"
    detail_forms $MD
}

# ------------------------------------------------------------ assembly

# both_ro ARGS...: `mdadm ARGS` (an --assemble with --readonly, which
# writes no superblock) by the peer, stop, then by ours, stop: same output,
# same exit status, same number of members the kernel took. Ours says why
# it leaves a member out ("... is not included: ..."), the peer does not:
# those lines go to OURS_LEFT_OUT and are not compared.
both_ro() {
    local p o rp=0 ro=0 np no
    p=$(peer "$@" 2>&1) || rp=$?
    np=$(ls -d /sys/block/md*/md/dev-* 2>/dev/null | wc -l)
    stop_all
    o=$(ours "$@" 2>&1) || ro=$?
    OURS_LEFT_OUT=$(grep ' is not included: ' <<< "$o" || :)
    o=$(grep -v ' is not included: ' <<< "$o" || :)
    no=$(ls -d /sys/block/md*/md/dev-* 2>/dev/null | wc -l)
    stop_all
    [ "$p" = "$o" ] && [ "$rp" = "$ro" ] && [ "$np" = "$no" ] && return 0
    echo "MISMATCH: mdadm $*: peer ($rp, $np members) / ours ($ro, $no members)"
    diff -u --label peer --label ours <(echo "$p") <(echo "$o")
    return 1
}

# pattern_sum DEV: md5 of the first 2 MiB (O_DIRECT)
pattern_sum() { dd if="$1" bs=1M count=2 iflag=direct status=none | md5sum | cut -d' ' -f1; }

@test "--assemble of 0.90 members (explicit, --scan, stale member left out) and the peer takes over" {
    local sum before
    peer090 --level=5 --raid-devices=3 --bitmap=internal --assume-clean "${DISKS[@]:0:3}"
    write_pattern $MD $((2 << 20)) 0
    sum=$(pattern_sum $MD)
    peer --stop $MD
    both_ro --assemble --readonly $MD "${DISKS[@]:0:3}"
    # rewriting 0.90 superblocks is refused before anything is written
    before=$(examine_all "${DISKS[@]:0:3}")
    run ours --assemble --update=uuid $MD "${DISKS[@]:0:3}"
    [ "$status" -eq 1 ]
    [ "$output" = "mdadm: --update of 0.90 members is not implemented yet for 0.90 in this version of mdadm" ]
    [ ! -e /sys/block/md0/md/dev-vda ]
    [ "$(examine_all "${DISKS[@]:0:3}")" = "$before" ]
    # read-write with ours: the data, then every --detail form as the peer
    run ours --assemble $MD "${DISKS[@]:0:3}"
    [ "$status" -eq 0 ]
    [ "$output" = "mdadm: /dev/md0 has been started with 3 drives." ]
    [ "$(pattern_sum $MD)" = "$sum" ]
    grep -q "\[bitmap\]" /sys/block/md0/md/bitmap_type
    detail_forms $MD
    grep -q '^md0 0.90 ' /run/mdadm/map
    compare_filtered --query "${DISKS[0]}"
    ours --stop $MD
    # what ours wrote on stopping, the peer assembles, and back
    peer --assemble $MD "${DISKS[@]:0:3}" >/dev/null 2>&1
    [ "$(pattern_sum $MD)" = "$sum" ]
    peer --stop $MD
    both_ro --assemble --readonly --scan
    # a member that missed writes is left out by both
    peer --assemble --run $MD "${DISKS[0]}" "${DISKS[1]}" >/dev/null 2>&1
    write_pattern $MD $((1 << 20)) $((4 << 20))
    peer --stop $MD
    both_ro --assemble --readonly $MD "${DISKS[@]:0:3}"
    [ "$OURS_LEFT_OUT" = "mdadm: ${DISKS[2]} is not included: stale (its event count is behind the others)" ]
    # (--scan here: the peer also tries the stale member as a second array
    # and says "Found some drive for an array that is already active"; ours
    # does not)
    run ours --assemble --readonly --scan
    [ "$status" -eq 0 ]
    [[ $output == *"mdadm: /dev/md/0_0 has been started with 2 drives (out of 3)."* ]]
}

@test "--incremental of 0.90 members starts the array as the peer does" {
    local sum p o md
    peer090 --level=1 --raid-devices=2 "${DISKS[0]}" "${DISKS[1]}"
    write_pattern $MD $((1 << 20)) 0
    settle $MD
    sum=$(pattern_sum $MD)
    peer --stop $MD
    rm -f /run/mdadm/map
    p=$(for d in "${DISKS[0]}" "${DISKS[1]}"; do peer --incremental "$d" 2>&1; echo "rc=$?"; done)
    stop_all
    rm -f /run/mdadm/map
    o=$(for d in "${DISKS[0]}" "${DISKS[1]}"; do ours --incremental "$d" 2>&1; echo "rc=$?"; done)
    [ "$p" = "$o" ] || { diff -u --label peer --label ours <(echo "$p") <(echo "$o"); false; }
    md=/dev/$(basename /sys/block/md*)
    [ "$(pattern_sum "$md")" = "$sum" ]
    detail_forms "$md"
    compare_filtered --query "${DISKS[0]}"
}

# ------------------------------------------------------------ --create

UUID090=0a1b2c3d:4e5f6071:8293a4b5:c6d7e8f9

# examine_all DEVICES...: the peer's --examine of each member, without the
# lines that differ between two creations (times, checksum)
examine_all() {
    local d
    for d in "$@"; do
        peer --examine "$d" | grep -v -e 'Creation Time :' -e 'Update Time :' -e 'Checksum :'
        peer --examine-bitmap "$d" 2>&1 | grep -v -e 'Events' || :
    done
}

# same_as_peer DEVICES -- CREATE-ARGS...: the peer creates, the array
# settles, it is stopped and its members examined; then ours creates the
# same: same message, and after settling and stopping the peer examines
# the same superblocks; then the peer assembles ours
same_as_peer() {
    local devs=() real=() p o pe oe
    while [ "$1" != -- ]; do
        devs+=("$1")
        [ "$1" = missing ] || real+=("$1")
        shift
    done
    shift
    stop_all; wipe_disks
    p=$(peer --create $MD --run -e 0.90 --homehost="$HOMEHOST" --uuid=$UUID090 "$@" "${devs[@]}" 2>&1)
    settle $MD
    peer --stop $MD >/dev/null
    pe=$(examine_all "${real[@]}")
    stop_all; wipe_disks
    o=$(ours --create $MD --run -e 0.90 --homehost="$HOMEHOST" --uuid=$UUID090 "$@" "${devs[@]}" 2>&1)
    # with --size the peer warns that the members are larger; this mdadm
    # does not print that warning (for any metadata)
    p=$(grep -v 'exceeds size (.*) by more than 1%' <<< "$p")
    [ "$p" = "$o" ] || { echo "create output:"; diff -u --label peer --label ours <(echo "$p") <(echo "$o"); return 1; }
    settle $MD
    detail_forms $MD
    peer --stop $MD >/dev/null
    oe=$(examine_all "${real[@]}")
    [ "$pe" = "$oe" ] || { echo "examine after create $*:"; diff -u --label peer-created --label ours-created <(echo "$pe") <(echo "$oe"); return 1; }
    run peer --assemble $MD "${real[@]}"
    [ "$status" -eq 0 ] || { echo "peer cannot assemble ours: $output"; return 1; }
    stop_all
}

@test "--create -e 0.90 raid1 with a classic bitmap and raid5: the same superblocks as the peer's, which assembles ours" {
    same_as_peer "${DISKS[0]}" "${DISKS[1]}" -- --level=1 --raid-devices=2 --bitmap=internal --size=16384
    same_as_peer "${DISKS[@]:0:3}" -- --level=5 --raid-devices=3 --assume-clean
}

@test "--create -e 0.90 with missing members (upstream 00raid1's shape) and a degraded raid5: the peer's superblocks after recovery" {
    same_as_peer "${DISKS[0]}" missing missing "${DISKS[1]}" "${DISKS[2]}" -- \
        --level=1 --raid-devices=3 --spare-devices=2 --size=16384
    same_as_peer "${DISKS[0]}" "${DISKS[1]}" missing -- --level=5 --raid-devices=3 --size=16384
    # and ours assembles its own degraded 0.90 array again
    ours --create $MD --run -e 0.90 --level=5 --raid-devices=3 --size=16384 \
        "${DISKS[0]}" "${DISKS[1]}" missing >/dev/null 2>&1
    settle $MD
    ours --stop $MD >/dev/null
    run ours --assemble --run $MD "${DISKS[0]}" "${DISKS[1]}"
    [ "$status" -eq 0 ] || { echo "ours --assemble: $output"; return 1; }
    [ "$(cat /sys/block/md0/md/degraded)" = 1 ]
    [ "$(cat /sys/block/md0/md/raid_disks)" = 3 ]
}

@test "--create -e 0 and -e 0.9: raid0, raid4, raid6, raid10 and linear run and read as the peer reads them" {
    local spec lvl n
    for spec in "0 2 -e0" "4 3 -e0.9" "6 4 -e0.90" "10 4 -e0" "linear 2 -e0"; do
        read -r lvl n e <<< "$spec"
        stop_all; wipe_disks
        run ours --create $MD --run $e --level=$lvl --raid-devices=$n --assume-clean --homehost="$HOMEHOST" "${DISKS[@]:0:$n}"
        [ "$status" -eq 0 ] || { echo "ours --create -l$lvl: $output"; return 1; }
        [ "$output" = "mdadm: array /dev/md0 started." ]
        compare_filtered --detail $MD
        compare_export $MD
        compare_examine "${DISKS[0]}"
        ours --detail --homehost="$HOMEHOST" $MD | grep -q '(local to host '"$HOMEHOST"')'
    done
}

# ------------------------------------------------------------ --add

@test "--add to a 0.90 array (classic bitmap): a spare that recovers; the peer reads and assembles the result" {
    local sum
    peer090 --level=1 --raid-devices=2 --bitmap=internal --size=16384 "${DISKS[0]}" "${DISKS[1]}"
    write_pattern $MD $((1 << 20)) 0
    sum=$(pattern_sum $MD)
    peer --fail $MD "${DISKS[1]}" >/dev/null 2>&1
    peer --remove $MD "${DISKS[1]}" >/dev/null 2>&1
    dd if=/dev/zero of="${DISKS[1]}" bs=1M count=4 seek=$(( $(blockdev --getsize64 "${DISKS[1]}") / 1048576 - 4 )) oflag=direct status=none
    run ours --add $MD "${DISKS[1]}"
    [ "$status" -eq 0 ]
    [ "$output" = "mdadm: added ${DISKS[1]}" ]
    run ours --add $MD "${DISKS[2]}"
    [ "$status" -eq 0 ]
    settle $MD
    detail_forms $MD
    [ "$(cat /sys/block/md0/md/degraded)" = 0 ]
    peer --examine "${DISKS[2]}" | grep -q 'spare   /dev/vdc'
    peer --stop $MD
    run peer --assemble $MD "${DISKS[@]:0:3}"
    [ "$status" -eq 0 ]
    [[ $output == *"has been started with 2 drives and 1 spare."* ]]
    [ "$(pattern_sum $MD)" = "$sum" ]
    # a device of another array is refused without --force
    run ours --re-add $MD "${DISKS[3]}"
    [ "$status" -eq 1 ]
    [[ $output == *"--re-add to a 0.90 array is not implemented yet for 0.90"* ]]
}

@test "a linear array keeps --chunk, the kernel's rounding of each member (0.90 and 1.2): the peer's array size" {
    local e p o
    for e in 0.90 1.2; do
        stop_all; wipe_disks
        peer --create $MD --run -e $e --level=linear --chunk=256 --raid-devices=3 "${DISKS[@]:0:3}" >/dev/null 2>&1
        p=$(blockdev --getsz $MD)
        stop_all; wipe_disks
        run ours --create $MD --run -e $e --level=linear --chunk=256 --raid-devices=3 "${DISKS[@]:0:3}"
        [ "$status" -eq 0 ] || { echo "$output"; return 1; }
        [[ $output != *"chunk size ignored"* ]]
        o=$(blockdev --getsz $MD)
        [ "$p" = "$o" ] || { echo "-e $e: peer $p sectors, ours $o"; return 1; }
        [ $((o % 512)) = 0 ]    # 3 members, each a multiple of 256 KiB
    done
}
