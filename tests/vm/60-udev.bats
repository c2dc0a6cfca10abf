#!/usr/bin/env bats
# Our udev rules with a real systemd-udevd inside the VM: the rules are
# installed by `make install` (BINDIR pointing at this tree) into the
# guest's private /run/udev/rules.d, next to the host's stock rules in
# /lib/udev/rules.d (60-persistent-storage runs blkid, which sets
# ID_FS_TYPE=linux_raid_member). "add" events for the members of a
# stopped array must assemble it through `mdadm --incremental`, rule 63
# must give it its /dev/md/ and by-id links from `mdadm --detail
# --export`, a "remove" event must take a member out through `mdadm -If`,
# and the last-resort unit's command must start what is left incomplete.
#
# No systemd runs in the guest, so SYSTEMD_WANTS (the last-resort timer)
# is checked as a udev property and the unit's ExecStart is run by hand.
# udevd must be installed on the host (tests/install-deps installs the
# udev package); if it is missing or cannot start, the tests FAIL with
# the reason — they are never skipped silently.

bats_require_minimum_version 1.5.0
load lib
load lib-assemble
load lib-udev

setup() {
    require_vm
    need_ours
    stop_all
    wipe_disks
    rm -f /run/mdadm/map
    dmesg -C
    start_udevd
}

teardown() {
    stop_all || :
    udevadm settle -t 10 2>/dev/null || :
    stop_udevd
}

# trigger ACTION DEV...: synthesise uevents and wait until udev is done
trigger() {
    local action=$1
    shift
    udevadm trigger --action="$action" "$@"
    udevadm settle -t 60
}

# prop DEV KEY: a property from the udev database
prop() { udevadm info --query=property "$1" | sed -n "s/^$2=//p"; }

make_and_stop() {
    make_array ours "$@"
    udevadm settle -t 30
    stop_array
    udevadm settle -t 30
    [ "$(ls -d /sys/block/md*/md 2>/dev/null | wc -l)" -eq 0 ]
}

@test "udev add events assemble a stopped lockless raid5 through our rules" {
    make_and_stop 5 lockless
    trigger add "${MEMBERS[@]}"
    devnm=$(prop "${MEMBERS[0]}" MD_DEVICE)
    [ -n "$devnm" ]
    cat /proc/mdstat
    for m in "${MEMBERS[@]}"; do
        echo "$m: $(prop "$m" ID_FS_TYPE) $(prop "$m" MD_STARTED) $(prop "$m" SYSTEMD_WANTS)"
        [ "$(prop "$m" ID_FS_TYPE)" = linux_raid_member ]
        [ "$(prop "$m" MD_DEVICE)" = "$devnm" ]
        [ "$(prop "$m" MD_DEVNAME)" = "$NAME" ]
        [ "$(prop "$m" MD_FOREIGN)" = no ]
    done
    # exactly one member's event started it
    [ "$(for m in "${MEMBERS[@]}"; do prop "$m" MD_STARTED; done | grep -cx yes)" -eq 1 ]
    check_array "/dev/$devnm"
    # rule 63: properties from our --detail --export, and the links
    [ "$(prop "/dev/$devnm" MD_DEVNAME)" = "$NAME" ]
    [ "$(prop "/dev/$devnm" MD_LEVEL)" = raid5 ]
    uuid=$(prop "/dev/$devnm" MD_UUID)
    [ -n "$uuid" ]
    [ "$(readlink -f "$ARRAY")" = "/dev/$devnm" ]
    [ "$(readlink -f "/dev/disk/by-id/md-uuid-$uuid")" = "/dev/$devnm" ]
    [ "$(readlink -f "/dev/disk/by-id/md-name-vm-run:$NAME")" = "/dev/$devnm" ]
    no_kernel_fallback
}

@test "an incomplete array arms the last-resort timer; the unit's command starts it with llbitmap" {
    make_and_stop 1 lockless
    trigger add "${MEMBERS[0]}"
    devnm=$(prop "${MEMBERS[0]}" MD_DEVICE)
    [ "$(prop "${MEMBERS[0]}" MD_STARTED)" = unsafe ]
    [ "$(prop "${MEMBERS[0]}" SYSTEMD_WANTS)" = "mdadm-last-resort@$devnm.timer" ]
    [ "$(array_state "$devnm")" = inactive ]
    # not running: the service's condition holds
    unit="$INST/systemd/mdadm-last-resort@.service"
    grep -q '^ConditionPathExists=!/sys/devices/virtual/block/%i/md/sync_action$' "$unit"
    [ ! -e "/sys/devices/virtual/block/$devnm/md/sync_action" ]
    cmd=$(sed -n 's/^ExecStart=//p' "$unit")
    cmd=${cmd//%i/$devnm}
    echo "running: $cmd"
    run --separate-stderr $cmd
    echo "$status $output $stderr"
    [ "$status" -eq 0 ]
    [ "$(array_state "$devnm")" = read-auto ]
    [ "$(bitmap_type_now "$devnm")" = llbitmap ]
    no_kernel_fallback
    [ "$(sum_of "/dev/$devnm")" = "$SUM" ]
    grep -q "^Conflicts=sys-devices-virtual-block-%i.device$" "$INST/systemd/mdadm-last-resort@.timer"
}

@test "a remove event takes the member out (-If); its add event does not push it back into the running array" {
    make_and_stop 1 lockless
    trigger add "${MEMBERS[@]}"
    devnm=$(prop "${MEMBERS[0]}" MD_DEVICE)
    check_array "/dev/$devnm"
    trigger remove "${MEMBERS[1]}"
    [ ! -e "/sys/block/$devnm/md/dev-${MEMBERS[1]##*/}" ]
    [ "$(cat "/sys/block/$devnm/md/degraded")" = 1 ]
    trigger add "${MEMBERS[1]}"
    [ ! -e "/sys/block/$devnm/md/dev-${MEMBERS[1]##*/}" ]
    [ "$(sum_of "/dev/$devnm")" = "$SUM" ]
}

@test "a foreign array is assembled auto-read-only under its host:name" {
    make_and_stop 1 internal --homehost=elsewhere
    trigger add "${MEMBERS[@]}"
    devnm=$(prop "${MEMBERS[0]}" MD_DEVICE)
    [ "$(prop "${MEMBERS[0]}" MD_FOREIGN)" = yes ]
    [ "$(prop "${MEMBERS[0]}" MD_DEVNAME)" = "elsewhere:$NAME" ]
    [ "$(array_state "$devnm")" = read-auto ]
    [ "$(readlink -f "/dev/md/elsewhere:$NAME")" = "/dev/$devnm" ]
    # foreign: no last-resort timer for the first member
    [ -z "$(prop "${MEMBERS[0]}" SYSTEMD_WANTS)$(prop "${MEMBERS[1]}" SYSTEMD_WANTS)" ] ||
        [[ ! "$(prop "${MEMBERS[0]}" SYSTEMD_WANTS)$(prop "${MEMBERS[1]}" SYSTEMD_WANTS)" =~ last-resort ]]
    check_array "/dev/$devnm"
}
