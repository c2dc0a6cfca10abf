#!/usr/bin/env bats
# --monitor: usage errors and exit statuses as mdadm 4.6 has them, and the
# events on a fake md tree (sysfs, /dev and /proc/mdstat as files) whose
# state the test changes under a running monitor. The same events on the
# real kernel, compared with the peer, are in tests/vm/62-monitor.bats.

bats_require_minimum_version 1.5.0
load lib
load lib-detail

m() { run --separate-stderr "$MDADM" "$@"; }

setup() {
    FAKE=$BATS_TEST_TMPDIR/fake
    mkdir -p "$FAKE/sys/block" "$FAKE/dev" "$FAKE/run"
    fake_env
    # autorebuild.pid and the map stay in the test's directory
    export MDADM_MAP_FILE=$FAKE/run/map MDADM_CONF=$FAKE/mdadm.conf
    : > "$MDADM_CONF"
    EVENTS=$BATS_TEST_TMPDIR/events
    PROGRAM=$BATS_TEST_TMPDIR/record
    printf '#!/bin/sh\necho "$#:$*" >> %s\n' "$EVENTS" > "$PROGRAM"
    chmod +x "$PROGRAM"
}

teardown() {
    [ -n "${MONPID:-}" ] && kill "$MONPID" 2>/dev/null
    [ -s "$FAKE/hang.pid" ] && kill "$(cat "$FAKE/hang.pid")" 2>/dev/null
    [ -s "$FAKE/pid" ] && kill "$(cat "$FAKE/pid")" 2>/dev/null
    return 0
}

# raid1 md0 with members vda (in_sync) and vdb (STATE), mdstat PATTERN
# and an optional progress line
fake_raid1() {
    local vdb_state=${1:-in_sync} pattern=${2:-UU} progress=${3:-}
    mkdir -p "$FAKE/sys/block/md0/md"
    : > "$FAKE/dev/md0"
    fake_put block/md0/md/metadata_version 1.2
    fake_put block/md0/md/level raid1
    fake_put block/md0/md/raid_disks 2
    fake_put block/md0/md/array_state clean
    fake_put block/md0/md/sync_action idle
    fake_put block/md0/md/mismatch_cnt 0
    fake_member md0 vda 0 in_sync 253:0
    set_member vdb "$vdb_state"
    set_mdstat "$pattern" "$progress"
}

# set_member KNAME STATE: (re)make member KNAME of md0 (253:16 for vdb,
# 253:32 for vdc) in STATE; "gone" removes it
set_member() {
    local minor=16
    [ "$1" = vdc ] && minor=32
    if [ "$2" = gone ]; then
        rm -rf "$FAKE/sys/block/md0/md/dev-$1"
        return
    fi
    fake_member md0 "$1" none "$2" "253:$minor"
}

# set_mdstat PATTERN [PROGRESS]: md0's /proc/mdstat entry
set_mdstat() {
    local members="vda[0] vdb[1]"
    [ -d "$FAKE/sys/block/md0/md/dev-vdc" ] && members="$members vdc[2]"
    {
        echo "Personalities : [raid1]"
        echo "md0 : active raid1 $members"
        echo "      1046528 blocks super 1.2 [2/${#1}] [$1]"
        [ -n "${2:-}" ] && echo "      $2"
        echo
        echo "unused devices: <none>"
    } > "$FAKE/mdstat.new"
    mv "$FAKE/mdstat.new" "$FAKE/mdstat"
}

# wait_events N: until the program recorded N events (at most 10 s)
wait_events() {
    local i
    for ((i = 0; i < 100; i++)); do
        [ -f "$EVENTS" ] && [ "$(wc -l < "$EVENTS")" -ge "$1" ] && return 0
        sleep 0.1
    done
    echo "want $1 events, have:"; cat "$EVENTS" 2>/dev/null
    return 1
}

@test "what mdadm 4.6 refuses before watching, with its words and statuses" {
    m --monitor
    [ "$status" -eq 1 ]; [ "$stderr" = "mdadm: Cannot monitor: need --scan or at least one device" ]
    m --monitor --scan
    [ "$status" -eq 1 ]; [ "$stderr" = "mdadm: No mail address or alert command - not monitoring." ]
    m --monitor --pid-file=/tmp/never /dev/md0
    [ "$status" -eq 1 ]; [ "$stderr" = "mdadm: Cannot write a pid file when not in daemon mode" ]
    [ ! -e /tmp/never ]
    m --monitor --scan --oneshot --program="$PROGRAM" /dev/md0
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: Devices list and --scan option cannot be combined - not monitoring." ]
    for v in 0 100 -1 x; do
        m --monitor --increment="$v" /dev/md0
        [ "$status" -eq 2 ]
        [ "$stderr" = "mdadm: please specify positive integer between 1 and 99 as rebuild increments." ]
    done
    for v in 0 x -5; do
        m --monitor --delay="$v" /dev/md0
        [ "$status" -eq 2 ]; [ "$stderr" = "mdadm: invalid delay: $v" ]
    done
    m --monitor --force --oneshot /dev/md0
    [ "$status" -eq 2 ]; [[ $stderr == *"--force not valid in monitor mode" ]]
    [ ! -e "$EVENTS" ]
}

@test "names that are no array: left out with the reason; nothing left to watch is exit 0" {
    m --monitor --oneshot /dev/null
    [ "$status" -eq 0 ]; [ "$stderr" = "mdadm: /dev/null does not appear to be an md device" ]
    m --monitor --oneshot /nonexistent/md0
    [ "$status" -eq 0 ]
    [ "$stderr" = "mdadm: error opening /nonexistent/md0: No such file or directory" ]
    # not --oneshot: it stops at once instead of waiting for nothing
    m --monitor --delay=60 /nonexistent/md0
    [ "$status" -eq 0 ]
    [ "${stderr_lines[1]}" = "mdadm: No array with redundancy detected, stopping" ]
}

@test "--help lists the monitor options" {
    m --monitor --help
    [ "$status" -eq 0 ]
    for o in --mail= --program= --increment= --delay= --daemonise --oneshot --pid-file= \
             --syslog --no-sharing --scan --test --config=; do
        [[ $output == *"  $o"* ]] || { echo "missing $o"; return 1; }
    done
}

@test "--oneshot: DegradedArray once per degraded array, on stderr and to the program" {
    fake_raid1 gone U_
    m --monitor --oneshot --program="$PROGRAM" "$FAKE/dev/md0"
    [ "$status" -eq 0 ]; [ -z "$output" ]
    [ "$stderr" = "mdadm: DegradedArray event detected on md device $FAKE/dev/md0" ]
    [ "$(cat "$EVENTS")" = "2:DegradedArray $FAKE/dev/md0" ]
    # a healthy array: nothing
    rm -f "$EVENTS"
    fake_raid1 in_sync UU
    m --monitor --oneshot --program="$PROGRAM" "$FAKE/dev/md0"
    [ "$status" -eq 0 ]; [ -z "$stderr" ]; [ ! -e "$EVENTS" ]
}

@test "--scan --oneshot: every redundant array is new, then degraded; --test sends a TestMessage first" {
    fake_raid1 gone U_
    m --monitor --scan --oneshot --test --program="$PROGRAM"
    [ "$status" -eq 0 ]
    diff -u - "$EVENTS" <<EOF
2:TestMessage $FAKE/dev/md0
2:NewArray $FAKE/dev/md0
2:DegradedArray $FAKE/dev/md0
EOF
    # the program may come from mdadm.conf, and MONITORDELAY is accepted
    rm -f "$EVENTS"
    printf 'PROGRAM %s\nMONITORDELAY 7\n' "$PROGRAM" > "$MDADM_CONF"
    m --monitor --scan --oneshot -v
    [ "$status" -eq 0 ]
    [ "${stderr_lines[0]}" = "mdadm: Monitor is started with delay 7s" ]
    [ "${stderr_lines[1]}" = "mdadm: Monitor using program $PROGRAM" ]
    [ "$(wc -l < "$EVENTS")" -eq 2 ]
    # an array of a level that cannot degrade is not watched
    fake_put block/md0/md/level raid0
    sed -i 's/ raid1 / raid0 /' "$FAKE/mdstat"
    rm -f "$EVENTS"
    m --monitor --scan --oneshot
    [ "$status" -eq 0 ]; [ ! -e "$EVENTS" ]
    m --monitor --oneshot --program="$PROGRAM" "$FAKE/dev/md0"
    [ "$stderr" = "mdadm: DeviceDisappeared event detected on md device $FAKE/dev/md0: Wrong-Level" ]
}

@test "a running monitor: Fail, RebuildStarted, RebuildNN, RebuildFinished, SpareActive, DeviceDisappeared" {
    fake_raid1 in_sync UU
    "$MDADM" --monitor --delay=1 --increment=30 --program="$PROGRAM" "$FAKE/dev/md0" \
        2> "$BATS_TEST_TMPDIR/stderr" &
    MONPID=$!
    sleep 1.5
    set_member vdb faulty
    set_mdstat U_
    wait_events 1
    set_member vdb gone
    set_member vdc spare
    set_mdstat U_ "[=>...]  recovery =  5.0% (52828/1046528) finish=0.8min speed=20060K/sec"
    wait_events 2
    set_mdstat U_ "[=====>...]  recovery = 41.7% (436380/1046528) finish=0.4min speed=20060K/sec"
    wait_events 3
    # (progress line first: a look between the two updates then sees the
    # rebuild finished before the member in sync, one answer either way)
    set_mdstat UU
    set_member vdc in_sync
    wait_events 5
    rm -rf "$FAKE/sys/block/md0"
    wait_events 6
    # the only array is gone: the monitor stops by itself
    for ((i = 0; i < 50; i++)); do kill -0 "$MONPID" 2>/dev/null || break; sleep 0.1; done
    run wait "$MONPID"
    [ "$status" -eq 0 ]
    MONPID=
    diff -u - "$EVENTS" <<EOF
3:Fail $FAKE/dev/md0 $FAKE/dev/vdb
2:RebuildStarted $FAKE/dev/md0
2:Rebuild41 $FAKE/dev/md0
2:RebuildFinished $FAKE/dev/md0
3:SpareActive $FAKE/dev/md0 $FAKE/dev/vdc
2:DeviceDisappeared $FAKE/dev/md0
EOF
    grep -qx "mdadm: Fail event detected on md device $FAKE/dev/md0, component device $FAKE/dev/vdb" \
        "$BATS_TEST_TMPDIR/stderr"
    tail -1 "$BATS_TEST_TMPDIR/stderr" | grep -qx "mdadm: No array with redundancy detected, stopping"
}

@test "--daemonise prints the pid (or writes --pid-file); TERM ends it and removes its files" {
    fake_raid1 in_sync UU
    run "$MDADM" --monitor --daemonise --delay=60 --program="$PROGRAM" "$FAKE/dev/md0"
    [ "$status" -eq 0 ]
    [[ $output =~ ^[0-9]+$ ]]
    kill -0 "$output"
    [ "$(cat "$FAKE/run/autorebuild.pid")" = "$output" ]
    kill "$output"
    for ((i = 0; i < 50; i++)); do kill -0 "$output" 2>/dev/null || break; sleep 0.1; done
    ! kill -0 "$output" 2>/dev/null || false
    [ ! -e "$FAKE/run/autorebuild.pid" ]
    # with --pid-file nothing is printed
    run "$MDADM" --monitor -f --pid-file="$FAKE/pid" --delay=60 --program="$PROGRAM" "$FAKE/dev/md0"
    [ "$status" -eq 0 ]; [ -z "$output" ]
    pid=$(cat "$FAKE/pid")
    kill -0 "$pid"
    [[ $(cat "/proc/$pid/comm") == mdadm* ]]
    kill "$pid"
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    ! kill -0 "$pid" 2>/dev/null || false
    [ ! -e "$FAKE/pid" ]
}

@test "a --program that hangs does not keep TERM from ending the monitor" {
    fake_raid1 gone U_
    printf '#!/bin/sh\necho $$ > %s/hang.pid\nexec sleep 60\n' "$FAKE" > "$FAKE/hang"
    chmod +x "$FAKE/hang"
    "$MDADM" --monitor --oneshot --program="$FAKE/hang" "$FAKE/dev/md0" 2> /dev/null &
    MONPID=$!
    for ((i = 0; i < 100; i++)); do [ -s "$FAKE/hang.pid" ] && break; sleep 0.1; done
    [ -s "$FAKE/hang.pid" ]
    kill "$MONPID"
    for ((i = 0; i < 50; i++)); do kill -0 "$MONPID" 2>/dev/null || break; sleep 0.1; done
    run wait "$MONPID"
    [ "$status" -eq 0 ]
    MONPID=
    # the program itself was left alone
    kill -0 "$(cat "$FAKE/hang.pid")"
}

@test "--scan: one monitor at a time unless --no-sharing; a spare-group with nothing to move says nothing" {
    fake_raid1 in_sync UU
    run "$MDADM" --monitor --scan --daemonise --pid-file="$FAKE/pid" --program="$PROGRAM"
    [ "$status" -eq 0 ]
    kill -0 "$(cat "$FAKE/pid")"
    m --monitor --scan --oneshot --program="$PROGRAM"
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: Only one autorebuild process allowed in scan mode, aborting" ]
    m --monitor --scan --oneshot --no-sharing --program="$PROGRAM"
    [ "$status" -eq 0 ]
    # named arrays: a warning only
    m --monitor --oneshot --program="$PROGRAM" "$FAKE/dev/md0"
    [ "$status" -eq 0 ]
    [ "$stderr" = "mdadm: Warning: One autorebuild process already running." ]
    kill "$(cat "$FAKE/pid")"
    printf 'ARRAY %s/dev/md0 spare-group=shelf\n' "$FAKE" > "$MDADM_CONF"
    for ((i = 0; i < 50; i++)); do [ -e "$FAKE/run/autorebuild.pid" ] || break; sleep 0.1; done
    m --monitor --scan --oneshot --program="$PROGRAM"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
}
