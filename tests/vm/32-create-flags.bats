#!/usr/bin/env bats
# --create's per-device marks and its udev and zeroing behaviour on the real
# kernel, against the peer (upstream 4.6): --write-mostly / --failfast
# mark the members named after them (superblock dev_flags, which the kernel
# takes over: md/dev-*/state), /run/mdadm/creating-<devnm> exists while the
# array is set up and never after, --write-zeroes zeroes the members' data
# areas through the kernel and skips the initial sync.

bats_require_minimum_version 1.5.0
load lib
load lib-create

MARKER=/run/mdadm/creating-md0

setup() {
    require_vm
    need_ours
    stop_all
}

teardown() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    stop_all || :
    local t
    for t in slow0 bad0; do dmsetup remove "$t" 2>/dev/null || :; done
}

# member_state DISK: md/dev-<disk>/state of md0
member_state() { cat "$MDSYS/dev-${1##*/}/state"; }

@test "--write-mostly and --failfast mark the devices after them, as the peer reads them" {
    local a=${DISKS[0]} b=${DISKS[1]} c=${DISKS[2]} m
    create_ours --run -l1 -n3 --size=32M --assume-clean "$a" --write-mostly "$b" --failfast "$c"
    expect_eq "$a" "$(member_state "$a")" in_sync
    expect_eq "$b" "$(member_state "$b")" in_sync,write_mostly
    expect_eq "$c" "$(member_state "$c")" in_sync,write_mostly,failfast
    grep -q "${b##*/}\[1\](W)" /proc/mdstat
    compare_tools --detail $MD
    [[ $(ours --detail $MD) == *"active sync writemostly failfast   $c"* ]]
    for m in "$a" "$b" "$c"; do compare_examine "$m"; done
    [[ $(ours --examine "$c") == *"Flags : write-mostly failfast"* ]]
    [[ $(ours --examine "$a") != *"Flags :"* ]]
    # the marks are in the superblocks: the peer assembles them back
    stop_md $MD
    peer --assemble $MD "$a" "$b" "$c" 2>/dev/null
    expect_eq "$b" "$(member_state "$b")" in_sync,write_mostly
    expect_eq "$c" "$(member_state "$c")" in_sync,write_mostly,failfast
}

@test "-W before the members marks them all; --failfast alone marks only what follows" {
    create_ours --run -l1 -n3 --size=32M --assume-clean -W "${DISKS[@]:0:3}"
    for m in "${DISKS[@]:0:3}"; do expect_eq "$m" "$(member_state "$m")" in_sync,write_mostly; done
    stop_md $MD
    create_ours --run -l1 -n3 --size=32M --assume-clean "${DISKS[0]}" "${DISKS[1]}" --failfast "${DISKS[2]}"
    expect_eq "${DISKS[1]}" "$(member_state "${DISKS[1]}")" in_sync
    expect_eq "${DISKS[2]}" "$(member_state "${DISKS[2]}")" in_sync,failfast
}

# slow_disk NAME DISK MS: a dm-delay device over DISK (every I/O waits MS);
# prints its node
slow_disk() {
    dmsetup create "$1" --table "0 $(blockdev --getsz "$2") delay $2 0 $3" || return 1
    echo "/dev/dm-$(dmsetup info -c --noheadings -o minor "$1" | tr -d ' ')"
}

@test "/run/mdadm/creating-md0 exists while the array is set up, and is gone after" {
    local slow seen=0 pid rc=0
    wipe_disks
    rm -f "$MARKER"
    slow=$(slow_disk slow0 "${DISKS[3]}" 150)
    ours --create $MD --run -l1 -n2 --size=32M --assume-clean "${DISKS[0]}" "$slow" \
        > "$BATS_TEST_TMPDIR/out" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        [ -e "$MARKER" ] && seen=1
        sleep 0.05
    done
    wait "$pid" || rc=$?
    [ "$rc" = 0 ] || { cat "$BATS_TEST_TMPDIR/out"; return 1; }
    [ "$seen" = 1 ] || { echo "never saw $MARKER"; return 1; }
    [ ! -e "$MARKER" ]
    [[ $(md_attr array_state) =~ ^(clean|active|active-idle)$ ]]
    stop_md $MD
}

@test "a create that fails after the marker was made removes it too" {
    local bad
    rm -f "$MARKER"
    dmsetup create bad0 --table "0 $(blockdev --getsz "${DISKS[3]}") error"
    bad=/dev/dm-$(dmsetup info -c --noheadings -o minor bad0 | tr -d ' ')
    run --separate-stderr ours --create $MD --run -l1 -n2 --size=32M "${DISKS[0]}" "$bad"
    [ "$status" -ne 0 ]
    [ ! -e "$MARKER" ]
    no_array_left md0
}

# zeros DEV OFFSET BYTES: the range reads as zeros
zeros() {
    cmp -s -n "$3" <(dd if="$1" bs=1M skip=$(($2 / 1048576)) count=$((($3 + 1048575) / 1048576)) \
        iflag=direct status=none) /dev/zero
}

@test "--write-zeroes: data areas zeroed through the kernel, no initial sync, the peer's messages" {
    local d off want
    wipe_disks
    # small members: reading them back is slow under TCG
    for d in "${DISKS[@]:0:3}"; do write_pattern "$d" $((4 << 20)) $((4 << 20)); done
    create_ours --run -l5 -n3 --size=8M --write-zeroes "${DISKS[@]:0:3}"
    off=$(( $(examine_field "$(ours --examine "${DISKS[0]}")" "Data Offset" | cut -d' ' -f1) * 512 ))
    # the peer's lines in its order (it prints them more than once when
    # stdout is no terminal: its zeroing processes inherit the buffer)
    want="mdadm: Disk zeroing requested, setting --assume-clean to skip resync"
    want+=$'\n'"mdadm: Defaulting to version 1.2 metadata"
    for d in "${DISKS[@]:0:3}"; do
        want+=$'\n'"mdadm: zeroing data from $off to 8388608 on: $d"
    done
    want+=$'\n'"mdadm: zeroing finished"$'\n'"mdadm: array $MD started."
    [ "$CREATE_OUT" = "$want" ] || { echo "got:"; echo "$CREATE_OUT"; echo "want:"; echo "$want"; return 1; }
    expect_no_initial_resync
    for d in "${DISKS[@]:0:3}"; do zeros "$d" "$off" $((8 << 20)) || { echo "$d not zeroed"; return 1; }; done
    zeros $MD 0 $((16 << 20))
    # parity agrees with the zeroed data: a check finds nothing
    ours --action=check $MD
    ours --wait $MD || [ $? -eq 1 ]
    expect_eq mismatch_cnt "$(md_attr mismatch_cnt)" 0
    compare_tools --detail $MD
}

@test "--write-zeroes with the lockless bitmap: every chunk clean, not the kernel's first-use zeroing" {
    create_ours --run -l1 -n2 --size=32M --bitmap=lockless --write-zeroes "${DISKS[0]}" "${DISKS[1]}"
    expect_no_initial_resync
    expect_eq "clean chunks" "$(bits_of clean)" "$(llb_chunks)"
    expect_eq "unwritten chunks" "$(bits_of unwritten)" 0
    compare_examine "${DISKS[0]}"
}

@test "--write-zeroes stopped by a signal: no array, no marker, no superblock left" {
    local slow pid rc=0
    wipe_disks
    rm -f "$MARKER"
    # every write to the slow member waits 3 s (reads do not, so the
    # checks before the create are quick): the zeroing is still going on
    # when the signal comes
    dmsetup create slow0 --table "0 $(blockdev --getsz "${DISKS[3]}") delay ${DISKS[3]} 0 0 ${DISKS[3]} 0 3000"
    slow=/dev/dm-$(dmsetup info -c --noheadings -o minor slow0 | tr -d ' ')
    # mdadm itself in the background (not the shell function), so that the
    # signal reaches it
    "$OURS" --create $MD --run -l1 -n2 --size=32M --write-zeroes "${DISKS[0]}" "$slow" \
        > "$BATS_TEST_TMPDIR/out" 2>&1 &
    pid=$!
    poll_until 60 grep -q "zeroing data from .* on: $slow" "$BATS_TEST_TMPDIR/out"
    [ -e "$MARKER" ]
    kill -TERM "$pid"
    wait "$pid" || rc=$?
    cat "$BATS_TEST_TMPDIR/out"
    [ "$rc" = 1 ]
    grep -q "^mdadm: zeroing interrupted!$" "$BATS_TEST_TMPDIR/out"
    [ ! -e "$MARKER" ]
    no_array_left md0
    run ours --examine "${DISKS[0]}"
    [ "$status" -ne 0 ]
}
