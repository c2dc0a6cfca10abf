#!/usr/bin/env bats
# Parallel udev: every scratch disk is cut into 8 partitions, and 8 arrays
# of 4 members each (one partition of every disk; lockless RAID5, RAID1
# and RAID10, classic bitmaps, no bitmap) are made with our mdadm and
# stopped. Then, round after round, all 32 members are announced to our
# `mdadm --incremental` at once and in a new random order, as udev does
# at boot (half of them the way our rule calls it, `-I --export DEV
# --offroot`, half as plain `-I DEV`). Each array must start exactly once,
# with its 4 members, under its own name; /run/mdadm/map must hold one
# line per array pointing at the running device; no lock may be left
# behind. Half of the rounds run with our `mdadm --monitor --scan`
# watching, which must change nothing and end cleanly on SIGTERM.

bats_require_minimum_version 1.5.0
load lib

NARRAYS=8
LEVELS=(5 1 10 5 5 1 10 10)
BITMAPS=(lockless lockless lockless internal lockless internal lockless none)
# a process still running after this long holds or waits for a lock
# that nobody gives back
INC_TIMEOUT=90
MAP=/run/mdadm/map

# part DISK N: the N-th partition of DISK (/dev/vda 3 -> /dev/vda3)
part() { echo "$1$2"; }

# members K: the partitions array K is made of (partition K+1 of each disk)
members() {
    local d
    for d in "${DISKS[@]:0:4}"; do part "$d" $(($1 + 1)); done
}

# partition_disks: 8 partitions of 38 MiB on every disk (GPT)
partition_disks() {
    local d i
    for d in "${DISKS[@]:0:4}"; do
        { echo "label: gpt"; for ((i = 0; i < NARRAYS; i++)); do echo "size=38MiB"; done; } |
            sfdisk -q "$d" || return 1
    done
    for d in "${DISKS[@]:0:4}"; do
        poll_until 10 test -b "$(part "$d" "$NARRAYS")" || { echo "no partitions on $d"; return 1; }
    done
}

# unpartition_disks: the md superblocks and bitmaps zeroed, the tables gone
unpartition_disks() {
    local d
    "$WIPE_ENDS" $((1 << 20)) /dev/vd[a-z][0-9]* 2> /dev/null || :
    for d in "${DISKS[@]:0:4}"; do
        sfdisk -q --delete "$d" 2> /dev/null || :
        wipefs -q -a "$d" 2> /dev/null || :
        blockdev --rereadpt "$d" 2> /dev/null || :
    done
}

setup_file() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    vm_file_start
    rm -f "$MAP"
    partition_disks
    local k extra
    for ((k = 0; k < NARRAYS; k++)); do
        extra=()
        [ "${BITMAPS[k]}" = lockless ] || extra=(--assume-clean)
        # shellcheck disable=SC2046
        "$OURS" --create "/dev/md/p$k" --name="p$k" --run --level="${LEVELS[k]}" --raid-devices=4 \
            --bitmap="${BITMAPS[k]}" "${extra[@]}" $(members "$k") > /dev/null 2>&1 < /dev/null ||
            { echo "creating p$k failed"; return 1; }
    done
    for ((k = 0; k < NARRAYS; k++)); do wait_idle "/dev/md/p$k" 120; done
    # the uuid of each array as the map writes it
    for ((k = 0; k < NARRAYS; k++)); do
        awk -v p="/dev/md/p$k" '$4 == p { print $3 }' "$MAP"
    done > "$BATS_FILE_TMPDIR/uuids"
    "$OURS" --stop /dev/md/p[0-7] > /dev/null 2>&1 || { echo "stopping failed"; return 1; }
}

teardown_file() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    stop_all || :
    unpartition_disks
    rm -f "$MAP"
}

setup() {
    require_vm
    need_ours
    mapfile -t UUIDS < "$BATS_FILE_TMPDIR/uuids"
    [ "${#UUIDS[@]}" = "$NARRAYS" ] || { echo "uuids: ${UUIDS[*]}"; return 1; }
    ALL=()
    for ((k = 0; k < NARRAYS; k++)); do
        mapfile -t -O "${#ALL[@]}" ALL < <(members "$k")
    done
    ANCHOR=
    MON=
}

teardown() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    [ -n "$MON" ] && kill "$MON" 2> /dev/null
    stop_all || :
    for l in ${LOOPS:-}; do losetup -d "$l" 2> /dev/null || :; done
}

# announce DIR: hand all members to our --incremental at once, in a new
# random order, half of them as the udev rule does; each process's
# device, way, output and status in DIR/N.{dev,out,err,rc}. The processes
# are forked first and wait for a line from a fifo, so that all 32 start
# the moment the lines arrive, not one fork after the other. One watchdog
# ends what still runs after INC_TIMEOUT s (status 143: stuck).
announce() {
    local dir=$1 i order pids=() how dog rc go
    mkdir -p "$dir"
    mkfifo "$dir/go"
    exec {go}<> "$dir/go"
    mapfile -t order < <(printf '%s\n' "${ALL[@]}" | shuf)
    for i in "${!order[@]}"; do
        if ((RANDOM % 2)); then
            how='export'
            (read -r -u "$go" _; exec "$OURS" --incremental --export "${order[i]}" --offroot {go}>&-) \
                > "$dir/$i.out" 2> "$dir/$i.err" 3>&- &
        else
            how='plain'
            (read -r -u "$go" _; exec "$OURS" -I "${order[i]}" {go}>&-) \
                > "$dir/$i.out" 2> "$dir/$i.err" 3>&- &
        fi
        pids+=($!)
        echo "${order[i]} $how" > "$dir/$i.dev"
    done
    # one line each, in one write
    printf 'go\n%.0s' "${pids[@]}" >&"$go"
    exec {go}>&-
    (
        sleep "$INC_TIMEOUT" &
        s=$!
        trap 'kill $s; exit 0' TERM
        wait "$s"
        kill "${pids[@]}"
    ) > /dev/null 2>&1 3>&- &
    dog=$!
    for i in "${!pids[@]}"; do
        rc=0
        wait "${pids[i]}" || rc=$?
        echo "$rc" > "$dir/$i.rc"
    done
    kill "$dog" 2> /dev/null
    wait "$dog" 2> /dev/null || :
}

# The checks of a round read ~100 small files; under TCG bash's own loops
# over them take seconds, so each check is one awk.

# check_outputs DIR: every process ended well, said what --incremental
# says (--export: MD_DEVICE, MD_DEVNAME, MD_FOREIGN, MD_STARTED; plain:
# one line on stderr), and each array was started by exactly one of them
check_outputs() {
    local dir=$1 files=() i
    for ((i = 0; i < ${#ALL[@]}; i++)); do
        files+=("$dir/$i.dev" "$dir/$i.rc" "$dir/$i.out" "$dir/$i.err")
    done
    awk -v n="${#ALL[@]}" -v narrays="$NARRAYS" '
        { f = FILENAME; sub(/.*\//, "", f); split(f, p, "."); i = p[1]; kind = p[2] }
        kind == "dev" { dev[i] = $1; how[i] = $2 }
        kind == "rc" { rc[i] = $0 }
        kind == "out" { out[i, ++nout[i]] = $0 }
        kind == "err" { err[i, ++nerr[i]] = $0 }
        function show(i, j) {
            for (j = 1; j <= nout[i]; j++) print "  stdout: " out[i, j]
            for (j = 1; j <= nerr[i]; j++) print "  stderr: " err[i, j]
        }
        function problem(i, what) { print "-I " dev[i] " (" how[i] "): " what; show(i); bad = 1 }
        END {
            for (i = 0; i < n; i++) {
                match(dev[i], /[0-9]+$/)
                k = substr(dev[i], RSTART) - 1
                if (rc[i] != 0) { problem(i, "status " rc[i] (rc[i] == 143 ? ", stuck" : "")); continue }
                if (how[i] == "export") {
                    if (nerr[i] || nout[i] != 4 || out[i, 2] != "MD_DEVNAME=p" k ||
                        out[i, 3] != "MD_FOREIGN=no" || out[i, 4] !~ /^MD_STARTED=(no|unsafe|yes)$/ ||
                        out[i, 1] !~ /^MD_DEVICE=md[0-9]+$/) { problem(i, "unexpected output"); continue }
                    if (out[i, 4] == "MD_STARTED=yes") started[k]++
                } else {
                    pre = "mdadm: " dev[i] " attached to /dev/md/p" k ", "
                    if (nout[i] || nerr[i] != 1) { problem(i, "unexpected output"); continue }
                    if (err[i, 1] == pre "which has been started.") started[k]++
                    else if (index(err[i, 1], pre "not enough to start") != 1) problem(i, "unexpected output")
                }
            }
            for (k = 0; k < narrays; k++)
                if (started[k] != 1) { print "p" k " started " started[k] + 0 " times"; bad = 1 }
            exit bad
        }' "${files[@]}"
}

# check_running: the 8 arrays run, each once, with its 4 members (one
# partition of each disk, all with its number), its bitmap, its name and
# its map line; nothing else is left over
check_running() {
    local members k bad=0 dn
    printf -v members '%s\n' /sys/block/md*/md/dev-*
    awk -v anchor="$ANCHOR" -v members="$members" -v bitmaps="${BITMAPS[*]}" \
        -v uuids="${UUIDS[*]}" -v map="$MAP" -v narrays="$NARRAYS" -v pairs="$BATS_TEST_TMPDIR/pairs" '
        FILENAME == map { maps[++nmap] = $0; next }
        { split(FILENAME, q, "/"); val[q[4], q[6]] = $0; mds[q[4]] = 1 }
        END {
            split(bitmaps, bm, " "); split(uuids, uu, " ")
            nm = split(members, ml, "\n")
            for (j = 1; j <= nm; j++) {
                if (ml[j] == "") continue
                split(ml[j], q, "/")
                if (q[4] == anchor) continue
                m = substr(q[6], 5)
                match(m, /[0-9]+$/)
                mk = substr(m, RSTART) - 1
                nmem[q[4]]++
                if (q[4] in kof && kof[q[4]] != mk) { print q[4] ": member " m " with members of p" kof[q[4]]; bad = 1 }
                kof[q[4]] = mk
                disks[q[4]] = disks[q[4]] " " substr(m, 1, RSTART - 1)
            }
            for (d in mds) {
                if (d == anchor) continue
                st = val[d, "array_state"]
                if (st != "clean" && st != "active" && st != "active-idle") { print d ": array_state " st; bad = 1; continue }
                if (val[d, "raid_disks"] != 4) { print d ": raid_disks " val[d, "raid_disks"]; bad = 1 }
                if (val[d, "degraded"] != 0) { print d ": degraded " val[d, "degraded"]; bad = 1 }
                if (nmem[d] != 4) { print d ": " nmem[d] + 0 " members:" disks[d]; bad = 1 }
                if (!(d in kof)) continue
                k = kof[d]
                if (k in devof) { print "p" k " runs twice: " devof[k] " and " d; bad = 1 }
                devof[k] = d
                want = bm[k + 1] == "lockless" ? "llbitmap" : bm[k + 1] == "internal" ? "bitmap" : "none"
                if (index(val[d, "bitmap_type"], "[" want "]") == 0) {
                    print d " (p" k "): bitmap_type " val[d, "bitmap_type"] ", want [" want "]"; bad = 1
                }
                print k, d > pairs
            }
            for (k = 0; k < narrays; k++)
                if (!(k in devof)) { print "p" k " does not run"; bad = 1 }
            # the map: a line per array, naming its running device (so
            # no uuid can be there twice)
            n = 0
            for (j = 1; j <= nmap; j++) {
                split(maps[j], f, " ")
                if (f[1] == anchor) continue
                n++
                k = substr(f[4], 10)
                if (f[4] !~ /^\/dev\/md\/p[0-9]$/ || f[3] != uu[k + 1] || f[1] != devof[k] || f[2] != "1.2" || (k in inmap)) {
                    print "map line \"" maps[j] "\" (p" k " runs as " devof[k] ", uuid " uu[k + 1] ")"; bad = 1
                }
                inmap[k] = 1
            }
            if (n != narrays) { print n " map lines"; bad = 1 }
            exit bad
        }' /sys/block/md*/md/{array_state,raid_disks,degraded,bitmap_type} "$MAP" || bad=1
    # /dev/md/pK leads to its device
    while read -r k dn; do
        [ "/dev/md/p$k" -ef "/dev/$dn" ] || { echo "/dev/md/p$k is not /dev/$dn"; bad=1; }
    done < "$BATS_TEST_TMPDIR/pairs"
    rm -f "$BATS_TEST_TMPDIR/pairs"
    no_leftovers || bad=1
    return $bad
}

# no_leftovers: no lock file, no creating-* mark
no_leftovers() {
    local f bad=0
    for f in /run/mdadm/map.lock /run/mdadm/creating-*; do
        [ -e "$f" ] && { echo "left behind: $f"; bad=1; }
    done
    return $bad
}

# stop_round: our --stop of the 8 arrays; nothing of them stays, not in
# sysfs, not in the map, not under /dev/md
stop_round() {
    local s devnm k bad=0
    "$OURS" --stop /dev/md/p[0-7] > /dev/null 2> "$BATS_TEST_TMPDIR/stop.err" ||
        { echo "--stop failed:"; cat "$BATS_TEST_TMPDIR/stop.err"; return 1; }
    for s in /sys/block/md*; do
        devnm=${s##*/}
        [ -e "$s" ] && [ "$devnm" != "$ANCHOR" ] && { echo "$devnm still there"; bad=1; }
    done
    local map=
    [ -e "$MAP" ] && map=$(< "$MAP")
    for ((k = 0; k < NARRAYS; k++)); do
        [ -e "/dev/md/p$k" ] && { echo "/dev/md/p$k still there"; bad=1; }
        [[ $map == *"${UUIDS[k]}"* ]] && { echo "p$k still in the map"; bad=1; }
    done
    return $bad
}

# rounds FIRST LAST
rounds() {
    local r dir
    for ((r = $1; r <= $2; r++)); do
        dir=$BATS_TEST_TMPDIR/round$r
        announce "$dir"
        check_outputs "$dir" || { echo "round $r: the --incremental runs"; return 1; }
        check_running || { echo "round $r: what runs"; cat /proc/mdstat; return 1; }
        stop_round || { echo "round $r: the stop"; return 1; }
    done
}

@test "32 members announced at once, 10 rounds: each of 8 arrays starts once, the map is right, no lock is left" {
    rounds 1 10
}

@test "10 more rounds with our --monitor --scan watching: nothing changes, it ends on SIGTERM" {
    # an array that stays, so that the monitor keeps watching between
    # rounds (with none left it would stop by itself)
    truncate -s 24M "$BATS_TEST_TMPDIR/a.img" "$BATS_TEST_TMPDIR/b.img"
    LOOPS="$(losetup -f --show "$BATS_TEST_TMPDIR/a.img") $(losetup -f --show "$BATS_TEST_TMPDIR/b.img")"
    # shellcheck disable=SC2086
    ours --create /dev/md/anchor --name=anchor --run --level=1 --raid-devices=2 --assume-clean \
        --bitmap=none $LOOPS > /dev/null 2>&1 < /dev/null
    ANCHOR=$(basename "$(readlink -f /dev/md/anchor)")
    printf '#!/bin/sh\necho "$#:$*" >> %s/events\n' "$BATS_TEST_TMPDIR" > "$BATS_TEST_TMPDIR/rec"
    chmod +x "$BATS_TEST_TMPDIR/rec"
    "$OURS" --monitor --scan --delay=1 --program="$BATS_TEST_TMPDIR/rec" 2> "$BATS_TEST_TMPDIR/mon.err" 3>&- &
    MON=$!
    # (arrays --scan finds are reported as /dev/mdN, as mdadm 4.6 does)
    poll_until 10 grep -qx "2:NewArray /dev/$ANCHOR" "$BATS_TEST_TMPDIR/events"
    rounds 11 20
    # it watched the rounds' arrays come and go
    kill -0 "$MON"
    grep -Ev "/dev/$ANCHOR\$" "$BATS_TEST_TMPDIR/events" | grep -Eq '^2:NewArray /dev/md[0-9]+$'
    grep -Eq '^2:DeviceDisappeared /dev/md[0-9]+$' "$BATS_TEST_TMPDIR/events"
    kill -TERM "$MON"
    rc=0
    wait "$MON" || rc=$?
    MON=
    echo "monitor: status $rc"
    cat "$BATS_TEST_TMPDIR/mon.err"
    sort "$BATS_TEST_TMPDIR/events" | uniq -c
    [ "$rc" = 0 ]
    # nothing but arrays appearing and going: no alarm
    [ "$(grep -Evc '^2:(NewArray|DeviceDisappeared) /dev/md[0-9]+$' "$BATS_TEST_TMPDIR/events")" = 0 ]
    [ ! -e /run/mdadm/autorebuild.pid ]
    ours --stop /dev/md/anchor
}
