#!/usr/bin/env bats
# --wait, --wait-clean and --action (misc mode) on real arrays: what the
# kernel's sync thread does after each, and the peer's (upstream 4.6)
# output and exit status for the same command. Resyncs are kept short
# (32 MiB members, md's speed limit at 5 MiB/s while a wait is timed).

bats_require_minimum_version 1.5.0
load lib
load lib-create

setup_file() { vm_file_start; }

setup() {
    require_vm
    need_ours
    stop_all
}

teardown() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    unthrottle_resync 2>/dev/null || :
    stop_all || :
}

# mirror ARGS...: a 2-disk RAID1 of 32 MiB members on vda/vdb
mirror() {
    create_ours --run --level=1 --raid-devices=2 --size=32M "$@" "${DISKS[0]}" "${DISKS[1]}"
}

# quiet_ok STATUS: `run` ended with STATUS and printed nothing
quiet_ok() {
    [ "$status" -eq "$1" ] || { echo "status $status, want $1; out '$output' err '$stderr'"; return 1; }
    [ -z "$output" ] && [ -z "$stderr" ] || { echo "out '$output' err '$stderr'"; return 1; }
}

@test "--wait on a resyncing array returns when the resync has ended: 0, nothing printed" {
    throttle_resync
    mirror
    poll_until 5 grep -q 'resync' /proc/mdstat
    run --separate-stderr ours --wait $MD
    quiet_ok 0
    expect_eq md/sync_action "$(md_attr sync_action)" idle
    expect_eq md/resync_start "$(md_attr resync_start)" none
    ! grep -A3 '^md0 :' /proc/mdstat | grep -Eq 'resync|recovery' || false
    # nothing more to wait for: 1, as the peer says
    run --separate-stderr ours --wait $MD
    quiet_ok 1
    compare_tools --wait $MD
    compare_tools -W $MD
}

@test "--action=check runs a check, counts mismatches, --wait ends with it; repair makes the copies equal" {
    local off=$((8 << 20)) sz=$((4 << 20))
    wipe_disks
    # one copy differs inside the data area: --assume-clean keeps it so
    write_pattern "${DISKS[1]}" "$sz" "$off"
    mirror --assume-clean
    expect_eq md/sync_action "$(md_attr sync_action)" idle
    throttle_resync
    run --separate-stderr ours --action=check $MD
    quiet_ok 0
    [[ $(md_attr sync_action) =~ ^(check|idle)$ ]]
    # a second request while the check runs: the kernel says busy, and we
    # say it as the peer does
    run --separate-stderr ours --action=repair $MD
    if [ "$status" -ne 0 ]; then
        [ "$status" -eq 1 ]
        [[ $stderr == *"mdadm: Count not set action for $MD to repair: Device or resource busy" ]]
    fi
    unthrottle_resync
    run --separate-stderr ours --wait $MD
    [ "$status" -le 1 ]
    expect_eq md/sync_action "$(md_attr sync_action)" idle
    [ "$(md_attr mismatch_cnt)" -gt 0 ] || { echo "mismatch_cnt $(md_attr mismatch_cnt)"; return 1; }
    # repair, then a check finds nothing
    ours --action=repair $MD
    ours --wait $MD || [ $? -eq 1 ]
    ours --action=check $MD
    ours --wait $MD || [ $? -eq 1 ]
    expect_eq mismatch_cnt "$(md_attr mismatch_cnt)" 0
    # the peer waits for our check the same way
    throttle_resync
    ours --action=check $MD
    run --separate-stderr peer --wait $MD
    quiet_ok 0
    ours --action=check $MD
    run --separate-stderr ours --wait $MD
    quiet_ok 0
}

@test "--action=frozen and --action=idle: md/sync_action reads them back; --wait gives up on a frozen array" {
    mirror --assume-clean
    run --separate-stderr ours --action=frozen $MD
    quiet_ok 0
    expect_eq md/sync_action "$(md_attr sync_action)" frozen
    # frozen: a few rounds, then 0 (the peer's rule), about 15 s
    run --separate-stderr ours --wait $MD
    quiet_ok 0
    run --separate-stderr ours --action=idle $MD
    quiet_ok 0
    expect_eq md/sync_action "$(md_attr sync_action)" idle
    compare_tools --action=idle $MD
    compare_tools --action=frozen $MD
    expect_eq md/sync_action "$(md_attr sync_action)" frozen
    compare_tools --action=idle $MD
}

@test "--wait-clean: the array is marked clean when it returns, safe_mode_delay as before" {
    local delay
    mirror --assume-clean
    delay=$(md_attr safe_mode_delay)
    # a long delay: without the wait the array would stay active
    echo 10 > "$MDSYS/safe_mode_delay"
    dd if=/dev/zero of=$MD bs=4k count=16 oflag=direct status=none
    expect_eq md/array_state "$(md_attr array_state)" active
    run --separate-stderr ours --wait-clean $MD
    quiet_ok 0
    expect_eq md/array_state "$(md_attr array_state)" clean
    expect_eq md/safe_mode_delay "$(md_attr safe_mode_delay)" 10.000
    echo "$delay" > "$MDSYS/safe_mode_delay"
    run --separate-stderr ours --wait-clean --scan
    quiet_ok 0
    compare_tools --wait-clean $MD
    compare_tools --wait-clean --scan
}

@test "names that are no running array: the peer's statuses" {
    compare_tools --wait "${DISKS[2]}"
    compare_tools --wait-clean "${DISKS[2]}"
    compare_tools --action=check "${DISKS[2]}"
    compare_tools --wait /dev/md99
    compare_tools --action=idle /dev/md99
    run --separate-stderr ours --action=check "${DISKS[2]}"
    [ "$status" -eq 1 ]; [ "$stderr" = "mdadm: ${DISKS[2]} is no an md array" ]
    run --separate-stderr ours -v --wait-clean "${DISKS[2]}"
    [ "$status" -eq 0 ]; [ "$stderr" = "mdadm: Failed to read sysfs attributes for ${DISKS[2]}" ]
}

@test "on a terminal --wait shows the sync going on" {
    command -v script >/dev/null || skip "no script(1) for a pseudo-terminal"
    throttle_resync
    mirror
    poll_until 5 grep -q 'resync' /proc/mdstat
    run script -qec "$OURS --wait $MD" /dev/null
    [ "$status" -eq 0 ]
    [[ $output == *"md0: resync "*"%"* ]] || { echo "output: $output"; return 1; }
    [[ $output == *"md0: done"* ]]
}
