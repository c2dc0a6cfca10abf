#!/usr/bin/env bats
# The scrub script the mdcheck_* units run (systemd/mdcheck), on a real
# array: a check limited by --duration stops and remembers where it got to,
# --continue goes on from there and reports the kernel's mismatch count,
# arrays that cannot be checked are passed over.

bats_require_minimum_version 1.5.0
load lib
load lib-create

MDCHECK=$BATS_TEST_DIRNAME/../../systemd/mdcheck

setup_file() { vm_file_start; }

setup() {
    require_vm
    need_ours
    stop_all
    STATE=$BATS_TEST_TMPDIR/state
    export MDCHECK_POLL=1
}

teardown() { vm_file_end || :; }

# saved_position: the sector the state file of md0 holds
saved_position() {
    local f; f="$STATE/MD_UUID_$(md_attr uuid)"
    [ -f "$f" ] || { echo "no $f" >&2; return 1; }
    cat "$f"
}

@test "a check limited by --duration pauses and saves its place; --continue finishes it and reports mismatches" {
    # one copy differs at 24 MiB: the full pass must find it, the first
    # slice (at most ~8 MiB at 2 MiB/s) must not reach it
    write_pattern "${DISKS[1]}" $((1 << 20)) $((24 << 20))
    create_ours --run --assume-clean --level=1 --raid-devices=2 --size=32M "${DISKS[0]}" "${DISKS[1]}"
    echo 2000 > "$MDSYS/sync_speed_max"
    run "$MDCHECK" --duration 3 --state-dir "$STATE" $MD
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"check of $MD started at sector 0"* ]]
    [[ $output == *"check of $MD paused at sector "* ]]
    expect_eq sync_action "$(md_attr sync_action)" idle
    expect_eq sync_min "$(md_attr sync_min)" 0
    local pos; pos=$(saved_position)
    [ "$pos" -gt 0 ] && [ "$pos" -lt $((24 << 11)) ] || { echo "paused at $pos"; return 1; }
    expect_eq mismatch_cnt "$(md_attr mismatch_cnt)" 0

    echo system > "$MDSYS/sync_speed_max"
    run "$MDCHECK" --continue --state-dir "$STATE"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"check of $MD started at sector $pos"* ]]
    [[ $output =~ "check of $MD finished: mismatch_cnt "([0-9]+) ]]
    [ "${BASH_REMATCH[1]}" -gt 0 ]
    [ ! -e "$STATE/MD_UUID_$(md_attr uuid)" ]
    expect_eq sync_min "$(md_attr sync_min)" 0
    # nothing saved any more: --continue has nothing to do
    run "$MDCHECK" --continue --state-dir "$STATE"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    expect_eq sync_action "$(md_attr sync_action)" idle
}

@test "arrays without redundancy and degraded ones are passed over" {
    create_ours --run --level=0 --raid-devices=2 --size=16M "${DISKS[0]}" "${DISKS[1]}"
    run "$MDCHECK" --duration 5 --state-dir "$STATE"
    [ "$status" -eq 0 ]
    [[ $output == *"$MD passed over"* ]]
    stop_md $MD
    wipe_disks
    create_ours --run --assume-clean --level=1 --raid-devices=2 --size=16M "${DISKS[0]}" missing
    run "$MDCHECK" --duration 5 --state-dir "$STATE" $MD
    [ "$status" -eq 0 ]
    [[ $output == *"$MD passed over"* ]]
    expect_eq sync_action "$(md_attr sync_action)" idle
    [ -z "$(ls -A "$STATE")" ]
}
