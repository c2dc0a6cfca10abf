#!/usr/bin/env bats
# --monitor on the real kernel, next to the peer (upstream 4.6) watching the
# same arrays: the events it reports, the program's arguments, the mail
# text, --daemonise/--pid-file, and the lockless bitmap's LocklessNeedSync.
# Small arrays (32 MiB members), --delay=1.

bats_require_minimum_version 1.5.0
load lib
load lib-create

setup_file() { vm_file_start; }

setup() {
    require_vm
    need_ours
    stop_all
    wipe_disks
    unthrottle_resync
    EV=$BATS_TEST_TMPDIR
    event_recorders "$EV"
    PIDS=()
}

teardown() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    mountpoint -q /usr/sbin && umount /usr/sbin
    unthrottle_resync
    stop_all || :
}

# mirror DEV A B [ARGS...]: a RAID1 of 32 MiB members (B may be "missing")
mirror() {
    local dev=$1 a=$2 b=$3
    shift 3
    ours --create "$dev" --run --homehost="$HOMEHOST" --level=1 --raid-devices=2 --size=32M \
        --assume-clean "$@" "$a" "$b" > /dev/null 2>&1 < /dev/null
}

# both_watch ARGS...: start ours and the peer as `--monitor ARGS`, each with
# its own recording program; their stderr in $EV/{ours,peer}.err
both_watch() {
    ours --monitor --program="$EV/ours.rec" "$@" 2> "$EV/ours.err" &
    PIDS+=($!)
    peer --monitor --program="$EV/peer.rec" "$@" 2> "$EV/peer.err" &
    PIDS+=($!)
    sleep 1.5
}

# events_have WHO PATTERN: WHO's program recorded a line matching PATTERN
events_have() { grep -Eq "$2" "$EV/$1.events" 2>/dev/null; }
# events_lack WHO PATTERN: it did not (a failing assertion, unlike `! cmd`,
# which bats does not count)
events_lack() {
    if events_have "$@"; then echo "$1 reported /$2/:"; cat "$EV/$1.events"; return 1; fi
}
# both_have PATTERN [SECONDS=20]: both programs recorded it
both_have() {
    poll_until "${2:-20}" events_have ours "$1" && poll_until 5 events_have peer "$1" || {
        echo "want /$1/"; echo "ours:"; cat "$EV/ours.events"; echo "peer:"; cat "$EV/peer.events"
        return 1
    }
}

# same_events [FILTER]: the two recordings are equal, RebuildNN lines left
# out (how many and which percentages depend on when each looked)
same_events() {
    diff -u <(grep -Ev '^2:Rebuild[0-9]+ ' "$EV/peer.events") \
            <(grep -Ev '^2:Rebuild[0-9]+ ' "$EV/ours.events")
}

@test "--oneshot: DegradedArray once per degraded array, TestMessage with --test, as the peer" {
    mirror /dev/md0 "${DISKS[0]}" missing
    mirror /dev/md1 "${DISKS[1]}" "${DISKS[2]}" --bitmap=lockless
    # stdout, stderr and status as the peer's (both print the events on stderr)
    for args in "--test /dev/md0 /dev/md1" "/dev/md1"; do
        # shellcheck disable=SC2086
        run --separate-stderr peer --monitor --oneshot $args
        p_status=$status p_out=$output p_err=$stderr
        # shellcheck disable=SC2086
        run --separate-stderr ours --monitor --oneshot $args
        echo "ours $status: $stderr"; echo "peer $p_status: $p_err"
        [ "$status" -eq 0 ]; [ "$status" -eq "$p_status" ]
        [ -z "$output" ]; [ "$output" = "$p_out" ]
        [ "$stderr" = "$p_err" ]
    done
    # the healthy lockless array alone: nothing to say
    [ -z "$stderr" ]
    run --separate-stderr ours --monitor --oneshot /dev/md0
    [ "$stderr" = "mdadm: DegradedArray event detected on md device /dev/md0" ]
    # --scan: every redundant array is new; the program's arguments
    rm -f "$EV"/*.events
    ours --monitor --scan --oneshot --test --program="$EV/ours.rec"
    peer --monitor --scan --oneshot --test --program="$EV/peer.rec"
    diff -u "$EV/peer.events" "$EV/ours.events"
    grep -qx "2:DegradedArray /dev/md0" "$EV/ours.events"
    grep -qx "2:TestMessage /dev/md1" "$EV/ours.events"
    [ "$(wc -l < "$EV/ours.events")" -eq 5 ]
    # an ARRAY line asking for a spare md1 does not have: SparesMissing
    echo "$(ours --detail --brief /dev/md1) spares=1" > "$EV/mdadm.conf"
    rm -f "$EV"/*.events
    ours --monitor -c "$EV/mdadm.conf" --scan --oneshot --program="$EV/ours.rec"
    peer --monitor -c "$EV/mdadm.conf" --scan --oneshot --program="$EV/peer.rec"
    diff -u "$EV/peer.events" "$EV/ours.events"
    grep -qx "2:SparesMissing /dev/md1" "$EV/ours.events"
    events_lack ours "NewArray /dev/md1"
}

@test "a running monitor: Fail, RebuildStarted, RebuildNN, RebuildFinished, SpareActive, DeviceDisappeared as the peer's" {
    mirror /dev/md0 "${DISKS[0]}" "${DISKS[1]}"
    both_watch --delay=1 /dev/md0
    ours /dev/md0 --fail "${DISKS[1]}" > /dev/null 2>&1
    both_have "^3:Fail /dev/md0 ${DISKS[1]}\$"
    ours /dev/md0 --remove "${DISKS[1]}" > /dev/null 2>&1
    # 32 MiB at 5 MiB/s: several looks see the recovery run
    throttle_resync
    ours /dev/md0 --add "${DISKS[2]}" > /dev/null 2>&1
    both_have "^2:RebuildStarted /dev/md0\$"
    both_have "^3:SpareActive /dev/md0 ${DISKS[2]}\$" 60
    unthrottle_resync
    ours --stop /dev/md0 > /dev/null 2>&1
    both_have "^2:DeviceDisappeared /dev/md0\$"
    # nothing left to watch: both stop by themselves, status 0
    for p in "${PIDS[@]}"; do
        poll_until 10 bash -c "! kill -0 $p 2>/dev/null"
        wait "$p"
    done
    PIDS=()
    cat "$EV/ours.events"
    same_events
    diff -u - <(grep -Ev '^2:Rebuild[0-9]+ ' "$EV/ours.events") <<EOF
3:Fail /dev/md0 ${DISKS[1]}
2:RebuildStarted /dev/md0
2:RebuildFinished /dev/md0
3:SpareActive /dev/md0 ${DISKS[2]}
2:DeviceDisappeared /dev/md0
EOF
    grep -Eq '^2:Rebuild[0-9]{2} /dev/md0$' "$EV/ours.events"
    grep -qx "mdadm: Fail event detected on md device /dev/md0, component device ${DISKS[1]}" "$EV/ours.err"
    tail -1 "$EV/ours.err" | grep -qx "mdadm: No array with redundancy detected, stopping"
    tail -1 "$EV/peer.err" | grep -qx "mdadm: No array with redundancy detected, stopping"
}

@test "--scan: arrays that appear and go away while it runs (NewArray, DeviceDisappeared) as the peer" {
    mirror /dev/md0 "${DISKS[0]}" "${DISKS[1]}"
    both_watch --scan --no-sharing --delay=1
    both_have "^2:NewArray /dev/md0\$"
    mirror /dev/md1 "${DISKS[2]}" missing
    # (the peer may look while md1 is being set up, take the inactive
    # array for a container and then never report it: only ours is
    # checked for the new array)
    poll_until 20 events_have ours "^2:DegradedArray /dev/md1\$"
    ours --stop /dev/md1 > /dev/null 2>&1
    both_have "^2:DeviceDisappeared /dev/md1\$"
    diff -u - "$EV/ours.events" <<EOF
2:NewArray /dev/md0
2:NewArray /dev/md1
2:DegradedArray /dev/md1
2:DeviceDisappeared /dev/md1
EOF
    diff -u <(grep -v md1 "$EV/peer.events") <(grep -v md1 "$EV/ours.events")
}

@test "--daemonise: the pid on stdout or in --pid-file, as the peer; TERM ends ours and removes the file" {
    mirror /dev/md0 "${DISKS[0]}" "${DISKS[1]}"
    run ours --monitor --daemonise --program="$EV/ours.rec" /dev/md0
    [ "$status" -eq 0 ]; [[ $output =~ ^[0-9]+$ ]]
    PIDS+=("$output")
    [[ $(cat "/proc/$output/comm") == mdadm* ]]
    # detached: a session of its own, stdin/stdout/stderr on /dev/null
    [ "$(awk '{ print $6 }' "/proc/$output/stat")" = "$output" ]
    [ "$(readlink "/proc/$output/fd/1")" = /dev/null ]
    # (the peer warns that ours runs already: it finds our autorebuild.pid)
    run --separate-stderr peer --monitor --daemonise --program="$EV/peer.rec" /dev/md0
    [ "$status" -eq 0 ]; [[ $output =~ ^[0-9]+$ ]]
    PIDS+=("$output")
    run ours --monitor -f --pid-file="$EV/ours.pid" --program="$EV/ours.rec" /dev/md0
    [ "$status" -eq 0 ]; [ -z "$output" ]
    run --separate-stderr peer --monitor -f --pid-file="$EV/peer.pid" --program="$EV/peer.rec" /dev/md0
    [ "$status" -eq 0 ]; [ -z "$output" ]
    pid=$(cat "$EV/ours.pid")
    PIDS+=("$pid" "$(cat "$EV/peer.pid")")
    kill -0 "$pid"
    kill "$pid"
    poll_until 5 bash -c "! kill -0 $pid 2>/dev/null"
    [ ! -e "$EV/ours.pid" ]
    # idle, it sleeps in poll(): no CPU time over 3 s (clock ticks)
    cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
    t0=$(cpu "${PIDS[0]}")
    sleep 3
    [ $(($(cpu "${PIDS[0]}") - t0)) -le 1 ]
    # the others still watch; the md event wakes them long before their
    # 60 s delay: a failure reaches all three within seconds
    ours /dev/md0 --fail "${DISKS[1]}" > /dev/null 2>&1
    both_have "^3:Fail /dev/md0 ${DISKS[1]}\$" 20
    poll_until 10 bash -c "[ \$(grep -c '^3:Fail' $EV/peer.events) -eq 2 ]"
}

@test "--mail: the same message as the peer's through /usr/sbin/sendmail -t" {
    mirror /dev/md0 "${DISKS[0]}" missing
    # a sendmail that keeps what it is given; nothing else of /usr/sbin is
    # needed while it hides the real directory
    mount -t tmpfs -o size=1M monitor-test /usr/sbin
    printf '#!/bin/sh\n{ echo "ARGS: $*"; cat; } >> "$MAILBOX"\n' > /usr/sbin/sendmail
    chmod +x /usr/sbin/sendmail
    MAILBOX=$EV/ours.mail ours --monitor --oneshot --test --mail=admin@example.org /dev/md0
    MAILBOX=$EV/peer.mail peer --monitor --oneshot --test --mail=admin@example.org /dev/md0
    # MAILFROM with a display name: the address goes to -f (the peer runs
    # it through a shell, which chokes on the '<')
    printf 'MAILFROM md monitor <md@example.org>\n' > "$EV/mdadm.conf"
    MAILBOX=$EV/from.mail ours --monitor -c "$EV/mdadm.conf" --oneshot --mail=admin@example.org /dev/md0
    umount /usr/sbin
    cat "$EV/ours.mail"
    diff -u "$EV/peer.mail" "$EV/ours.mail"
    grep -qx "ARGS: -t" "$EV/ours.mail"
    grep -qx "Subject: TestMessage event on /dev/md0:$(hostname)" "$EV/ours.mail"
    grep -qx "Subject: DegradedArray event on /dev/md0:$(hostname)" "$EV/ours.mail"
    grep -qx "To: admin@example.org" "$EV/ours.mail"
    grep -qx "ARGS: -t -fmd@example.org" "$EV/from.mail"
    grep -qx "From: md monitor <md@example.org>" "$EV/from.mail"
    grep -qx "Subject: DegradedArray event on /dev/md0:$(hostname)" "$EV/from.mail"
}

@test "LocklessNeedSync: need-sync chunks while the sync thread is frozen, once; gone after the resync" {
    create_ours --run --level=5 --raid-devices=3 --bitmap=lockless --size=32M "${DISKS[@]:0:3}"
    expect_no_initial_resync
    echo frozen > "$MDSYS/sync_action"
    # a partial-stripe write: its chunk needs a sync the frozen thread cannot do
    write_pattern $MD 4096 $((4 << 20))
    [ "$(bits_of need_sync)" -ge 1 ] || { cat "$MDSYS/llbitmap/bits"; return 1; }
    ours --monitor --delay=1 --program="$EV/ours.rec" $MD 2> "$EV/ours.err" &
    PIDS+=($!)
    poll_until 15 events_have ours "^2:LocklessNeedSync $MD\$"
    grep -Eq "^mdadm: LocklessNeedSync event detected on md device $MD: [0-9]+ chunks? need sync, no resync running\$" \
        "$EV/ours.err"
    sleep 2
    [ "$(grep -c LocklessNeedSync "$EV/ours.events")" -eq 1 ]
    # released: the kernel syncs the chunk, nothing more is reported
    echo idle > "$MDSYS/sync_action"
    poll_until 60 bash -c "! grep -Eq '^(need sync|syncing) [1-9]' $MDSYS/llbitmap/bits"
    sleep 2
    [ "$(grep -c LocklessNeedSync "$EV/ours.events")" -eq 1 ]
    # the peer knows no such event
    run --separate-stderr peer --monitor --oneshot $MD
    [[ $stderr != *LocklessNeedSync* ]]
}

@test "LocklessDaemonSleepZero, LocklessBitmapInvalid: what Linux 7.2 accepts now and refuses at the next assembly" {
    need_jq
    create_ours --run --level=1 --raid-devices=2 --bitmap=lockless --size=32M "${DISKS[@]:0:2}"
    # the kernel takes 0 from sysfs (and would store it in the header)
    echo 0 > "$MDSYS/llbitmap/daemon_sleep"
    [ "$(cat "$MDSYS/llbitmap/daemon_sleep")" = 0 ]
    run --separate-stderr ours --monitor --oneshot $MD
    echo "$stderr"
    [ "$status" -eq 0 ]
    [ "$stderr" = "mdadm: LocklessDaemonSleepZero event detected on md device $MD: md/llbitmap/daemon_sleep is 0, which the kernel stores and then refuses at the next assembly; set it with mdadm --grow --delay=SECONDS" ]
    ours --grow $MD --delay=30
    run --separate-stderr ours --monitor --oneshot $MD
    [ -z "$stderr" ]
    # a member's header as the kernel would refuse it (chunksize 0): the
    # member is named; its bytes are put back afterwards
    local sb bm at saved
    sb=$(ours --examine --json "${DISKS[1]}" | jq '.devices[0].super_offset_sectors')
    bm=$(ours --examine --json "${DISKS[1]}" | jq '.devices[0].bitmap.offset_sectors')
    at=$(( (sb + bm) * 512 + 52 ))
    saved=$(dd if="${DISKS[1]}" bs=1 skip=$at count=4 status=none | od -An -tx1 | tr -d ' \n')
    printf '\0\0\0\0' | dd of="${DISKS[1]}" bs=1 seek=$at conv=notrunc status=none
    run --separate-stderr ours --monitor --oneshot --program="$EV/ours.rec" $MD
    printf "$(sed 's/../\\x&/g' <<< "$saved")" | dd of="${DISKS[1]}" bs=1 seek=$at conv=notrunc status=none
    echo "$stderr"
    [[ $stderr == "mdadm: LocklessBitmapInvalid event detected on md device $MD, component device ${DISKS[1]}: the kernel would refuse this lockless bitmap header at the next assembly: "* ]]
    grep -qx "3:LocklessBitmapInvalid $MD ${DISKS[1]}" "$EV/ours.events"
    run --separate-stderr ours --monitor --oneshot $MD
    [ -z "$stderr" ]
    # the peer knows neither
    echo 0 > "$MDSYS/llbitmap/daemon_sleep"
    run --separate-stderr peer --monitor --oneshot $MD
    [[ $stderr != *Lockless* ]]
    echo 30 > "$MDSYS/llbitmap/daemon_sleep"
}

@test "--syslog: the event line at mdadm 4.6's priorities, as the peer logs it" {
    command -v python3 > /dev/null || skip "no python3 for a /dev/log listener"
    mirror /dev/md0 "${DISKS[0]}" missing
    # a syslog that keeps each datagram on a line
    python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
open(sys.argv[1] + ".ready", "w").close()
with open(sys.argv[1], "a") as f:
    while True:
        f.write(s.recv(4096).decode().rstrip("\n") + "\n")
        f.flush()
' "$EV/log" &
    PIDS+=($!)
    poll_until 10 test -e "$EV/log.ready"
    ours --monitor --oneshot --test --syslog /dev/md0 2> /dev/null
    poll_until 5 bash -c "[ \$(wc -l < $EV/log) -ge 2 ]"
    peer --monitor --oneshot --test --syslog /dev/md0 2> /dev/null
    poll_until 5 bash -c "[ \$(wc -l < $EV/log) -ge 4 ]"
    rm -f /dev/log
    cat "$EV/log"
    # <priority>, the time and the pid left out: daemon.info, daemon.crit
    sed -E 's/^(<[0-9]+>).{15} (mdadm)\[[0-9]+\]: /\1 \2: /' "$EV/log" > "$EV/log.cmp"
    diff -u - "$EV/log.cmp" <<OUT
<30> mdadm: TestMessage event detected on md device /dev/md0
<26> mdadm: DegradedArray event detected on md device /dev/md0
<30> mdadm: TestMessage event detected on md device /dev/md0
<26> mdadm: DegradedArray event detected on md device /dev/md0
OUT
}

# spare_group_setup WHO BITMAP: md0 a RAID1 of two members (BITMAP), md1 a
# one-member RAID1 with a spare, both in spare group "shelf"; WHO's monitor
# watches them (--scan over that config); then md0 loses a member
spare_group_setup() {
    local who=$1 bitmap=$2
    mirror /dev/md0 "${DISKS[0]}" "${DISKS[1]}" --bitmap="$bitmap"
    ours --create /dev/md1 --run --homehost="$HOMEHOST" --level=1 --raid-devices=1 --force \
        --spare-devices=1 --size=32M --assume-clean "${DISKS[2]}" "${DISKS[3]}" > /dev/null 2>&1 < /dev/null
    ours --detail --brief /dev/md0 /dev/md1 | sed 's/$/ spare-group=shelf/' > "$EV/mdadm.conf"
    write_pattern /dev/md0 $((16 << 20)) 0
    sum0=$(dd if=/dev/md0 bs=1M count=16 iflag=direct status=none | sha256sum)
    # the recovery onto the moved spare lasts a few looks
    throttle_resync
    "$who" --monitor -c "$EV/mdadm.conf" --scan --delay=1 --program="$EV/$who.rec" 2> "$EV/$who.err" &
    PIDS+=($!)
    sleep 1.5
    ours /dev/md0 --fail "${DISKS[1]}" > /dev/null 2>&1
}

@test "spare-group: a healthy array's spare moves to a degraded lockless one (MoveSpare, then the rebuild's events), as the peer moves it" {
    spare_group_setup ours lockless
    poll_until 20 events_have ours "^3:MoveSpare /dev/md0 /dev/md1\$" || { cat "$EV/ours.events" "$EV/ours.err"; return 1; }
    grep -qx "mdadm: MoveSpare event detected on md device /dev/md0, component device /dev/md1" "$EV/ours.err"
    poll_until 60 events_have ours "^3:SpareActive /dev/md0 ${DISKS[3]}\$"
    unthrottle_resync
    wait_idle /dev/md0 60
    # the failure and the rebuild of the lockless array, as the program got them
    cat "$EV/ours.events"
    diff -u - <(grep -Ev '^2:Rebuild[0-9]+ ' "$EV/ours.events") <<EOF
3:Fail /dev/md0 ${DISKS[1]}
3:MoveSpare /dev/md0 /dev/md1
2:RebuildStarted /dev/md0
2:RebuildFinished /dev/md0
3:SpareActive /dev/md0 ${DISKS[3]}
EOF
    # md1 gave its spare away; md0 runs on the moved disk, lockless still
    ours --detail /dev/md1 | grep -q "Spare Devices : 0"
    ours --detail /dev/md0 | grep -Eq "active sync +${DISKS[3]}\$"
    grep -q '\[llbitmap\]' /sys/block/md0/md/bitmap_type
    [ "$(ours --examine --brief "${DISKS[3]}")" = "$(ours --examine --brief "${DISKS[0]}")" ]
    # the data is on the moved disk: read it with the first member failed
    ours /dev/md0 --fail "${DISKS[0]}" > /dev/null 2>&1
    [ "$(dd if=/dev/md0 bs=1M count=16 iflag=direct status=none | sha256sum)" = "$sum0" ]
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    PIDS=()
    # the peer, given the same setup (no bitmap), reports the same move
    stop_all
    wipe_disks
    spare_group_setup peer none
    poll_until 20 events_have peer "^3:MoveSpare /dev/md0 /dev/md1\$" || { cat "$EV/peer.events" "$EV/peer.err"; return 1; }
    grep -qx "mdadm: MoveSpare event detected on md device /dev/md0, component device /dev/md1" "$EV/peer.err"
}

@test "spare-group: a degraded array keeps its spare; --no-sharing moves nothing" {
    mirror /dev/md0 "${DISKS[0]}" missing
    ours --create /dev/md1 --run --homehost="$HOMEHOST" --level=1 --raid-devices=2 --size=32M \
        --assume-clean "${DISKS[1]}" missing > /dev/null 2>&1 < /dev/null
    echo frozen > /sys/block/md1/md/sync_action
    ours /dev/md1 --add "${DISKS[2]}" > /dev/null 2>&1
    ours --detail --brief /dev/md0 /dev/md1 | sed 's/$/ spare-group=shelf/' > "$EV/mdadm.conf"
    ours --monitor -c "$EV/mdadm.conf" --scan --oneshot --program="$EV/ours.rec" 2> "$EV/ours.err"
    cat "$EV/ours.events"
    events_lack ours MoveSpare
    echo idle > /sys/block/md1/md/sync_action
    wait_idle /dev/md1 60
    # now md1 is whole but has no spare; give it one and ask with --no-sharing
    ours /dev/md1 --add "${DISKS[3]}" > /dev/null 2>&1
    rm -f "$EV/ours.events"
    ours --monitor -c "$EV/mdadm.conf" --scan --oneshot --no-sharing --program="$EV/ours.rec" 2> "$EV/ours.err"
    events_lack ours MoveSpare
    ours --detail /dev/md1 | grep -q "Spare Devices : 1"
    ours --monitor -c "$EV/mdadm.conf" --scan --oneshot --program="$EV/ours.rec" 2> "$EV/ours.err"
    grep -qx "3:MoveSpare /dev/md0 /dev/md1" "$EV/ours.events"
}

@test "an md device stopped and made again between two looks: DeviceDisappeared and NewArray, not Fail and SpareActive" {
    mirror /dev/md0 "${DISKS[0]}" "${DISKS[1]}"
    # (the tools themselves, not a shell around them, so that STOP holds them)
    "$OURS" --monitor --scan --no-sharing --delay=1 --program="$EV/ours.rec" 2> "$EV/ours.err" 3>&- &
    PIDS+=($!)
    "$PEER" --monitor --scan --no-sharing --delay=1 --program="$EV/peer.rec" 2> "$EV/peer.err" 3>&- &
    PIDS+=($!)
    both_have "^2:NewArray /dev/md0\$"
    # neither looks while md0 goes and another array (other members, its
    # own md/uuid) comes under the same name
    kill -STOP "${PIDS[@]}"
    uuid0=$(cat /sys/block/md0/md/uuid)
    ours --stop /dev/md0 > /dev/null 2>&1
    mirror /dev/md0 "${DISKS[2]}" "${DISKS[3]}"
    [ "$(cat /sys/block/md0/md/uuid)" != "$uuid0" ]
    kill -CONT "${PIDS[@]}"
    poll_until 20 bash -c "[ \$(grep -c NewArray $EV/ours.events) -ge 2 ]"
    sleep 2
    cat "$EV/ours.events"
    diff -u - "$EV/ours.events" <<EOF
2:NewArray /dev/md0
2:DeviceDisappeared /dev/md0
2:NewArray /dev/md0
EOF
    # mdadm 4.6 compares the members slot by slot: it reports nothing
    diff -u - "$EV/peer.events" <<EOF
2:NewArray /dev/md0
EOF
}
