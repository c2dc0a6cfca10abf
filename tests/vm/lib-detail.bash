# tests/vm/lib-detail.bash: helpers for 20-detail.bats (runs INSIDE vm-run;
# load after lib). Our --detail prints mdadm 4.6's report plus lines of its
# own; these helpers remove exactly those (by their labels) before asking
# for equality with the peer, so anything else that differs fails.

MD=/dev/md0

# ------------------------------------------------------------ arrays
# speed limits the kernel starts with (restored after throttled tests)
SPEED_MIN_DEFAULT=1000
SPEED_MAX_DEFAULT=200000

throttle_sync() {    # keep a resync/recovery near 0% while we look at it
    echo 1 > /proc/sys/dev/raid/speed_limit_min
    echo 1 > /proc/sys/dev/raid/speed_limit_max
}
unthrottle_sync() {
    echo $SPEED_MIN_DEFAULT > /proc/sys/dev/raid/speed_limit_min
    echo $SPEED_MAX_DEFAULT > /proc/sys/dev/raid/speed_limit_max
}

# wait_state DEV WORD [SECONDS=60]: md/array_state becomes WORD (a
# lockless array goes clean only after its 30 s daemon period, later on a
# loaded host)
wait_state() {
    local sys i st
    sys=$(md_sys "$1")
    for ((i = 0; i < ${3:-60} * 10; i++)); do
        st=$(cat "$sys/array_state" 2>/dev/null) || true
        [ "$st" = "$2" ] && return 0
        sleep 0.1
    done
    echo "wait_state: $1 is '$st', not '$2'" >&2
    return 1
}

# wait_gone DEVNM [SECONDS=5]: /sys/block/DEVNM and /dev/DEVNM disappear
wait_gone() {
    local i
    for ((i = 0; i < ${2:-5} * 10; i++)); do
        [ ! -e "/sys/block/$1" ] && [ ! -e "/dev/$1" ] && return 0
        sleep 0.1
    done
    echo "wait_gone: /sys/block/$1 or /dev/$1 still there" >&2
    return 1
}

# make_array LEVEL NDEVICES BITMAP [EXTRA-CREATE-ARGS...]: fresh disks,
# peer --create $MD with the first NDEVICES disks, then the extra
# arguments (which may name spares), homehost $HOMEHOST, name "detail";
# no writes; waits until idle and clean unless NOWAIT=1; THROTTLE=1 keeps
# the initial sync crawling (see throttle_sync). Sets MEMBERS.
make_array() {
    local level=$1 n=$2 bitmap=$3 out rc=0
    shift 3
    stop_all
    unthrottle_sync
    wipe_disks
    [ "${THROTTLE:-0}" = 1 ] && throttle_sync
    MEMBERS=("${DISKS[@]:0:$n}")
    out=$(peer --create "$MD" --run --level="$level" --raid-devices="$n" \
        --metadata=1.2 --bitmap="$bitmap" --homehost="$HOMEHOST" --name=detail \
        "${MEMBERS[@]}" "$@" 2>&1) || rc=$?
    [ "$rc" = 0 ] || { echo "peer --create failed ($rc):"; echo "$out"; return 1; }
    [ "${NOWAIT:-0}" = 1 ] && return 0
    settle "$MD"
}

# settle DEV: no sync running (raid0 and linear have no sync_action), the
# llbitmap settled, array_state clean
settle() {
    if [ -e "$(md_sys "$1")/sync_action" ]; then
        wait_settled "$1" || return 1
    fi
    wait_state "$1" clean
}

# ------------------------------------------------------------ our additions
# without_ours: drop the lines --detail adds to mdadm's report: "Bitmap
# Type", and the lockless block from "Bitmap Chunksize" through the blank
# line that ends it
without_ours() {
    awk '
        /^ *Bitmap Type : / { next }
        /^ *Bitmap Chunksize : / { skip = 1 }
        skip { if ($0 == "") skip = 0; next }
        { print }'
}

# export keys we add after mdadm's
is_our_export_key() { [[ $1 == MD_BITMAP_TYPE || $1 == MD_LLBITMAP_* ]]; }

# ------------------------------------------------------------ comparisons
# compare_filtered ARGS...: peer ARGS, ours ARGS, peer ARGS again. When the
# two peer runs agree (nothing changed meanwhile) ours, without our added
# lines, must equal them, with the same exit status and stderr; when they
# differ the array changed under us and we try again (3 times).
compare_filtered() {
    local d try p1 p2 o rp1 rp2 ro
    d=$(mktemp -d "${BATS_TEST_TMPDIR:-/tmp}/cmpf.XXXXXX")
    for try in 1 2 3; do
        rp1=0 rp2=0 ro=0
        peer "$@" > "$d/p1" 2> "$d/p1.err" || rp1=$?
        ours "$@" > "$d/o.raw" 2> "$d/o.err" || ro=$?
        peer "$@" > "$d/p2" 2> "$d/p2.err" || rp2=$?
        without_ours < "$d/o.raw" > "$d/o"
        if cmp -s "$d/p1" "$d/p2" && [ "$rp1" = "$rp2" ]; then
            if cmp -s "$d/p1" "$d/o" && [ "$rp1" = "$ro" ] && cmp -s "$d/p1.err" "$d/o.err"; then
                rm -rf "$d"
                return 0
            fi
            echo "MISMATCH: mdadm $*   (exit status: peer $rp1, ours $ro)"
            diff -u --label "peer mdadm $*" --label "ours mdadm $* (our lines removed)" "$d/p1" "$d/o"
            diff -u --label "peer stderr" --label "ours stderr" "$d/p1.err" "$d/o.err"
            echo "--- ours, complete:"; cat "$d/o.raw"
            rm -rf "$d"
            return 1
        fi
        sleep 1
    done
    echo "the array kept changing while mdadm $* ran; last peer outputs:"
    diff -u "$d/p1" "$d/p2"
    rm -rf "$d"
    return 1
}

# compare_export DEV [EXTRA...]: ours --detail --export starts with exactly
# the peer's lines (same keys, values and order); what follows are only
# our keys
compare_export() {
    local dev=$1 p o n k rc=0
    shift
    p=$(peer --detail --export "$@" "$dev") || { echo "peer --detail --export $dev failed"; return 1; }
    o=$(ours --detail --export "$@" "$dev") || { echo "ours --detail --export $dev failed"; return 1; }
    n=$(wc -l <<< "$p")
    if [ "$(head -n "$n" <<< "$o")" != "$p" ]; then
        echo "MISMATCH: --detail --export $* $dev (peer's lines must come first, unchanged)"
        diff -u --label peer --label ours <(echo "$p") <(echo "$o")
        rc=1
    fi
    while IFS== read -r k _; do
        is_our_export_key "$k" || { echo "unexpected extra export key in ours: $k"; rc=1; }
    done < <(tail -n +"$((n + 1))" <<< "$o")
    return $rc
}

# llb_detail_counts DEV: the chunk state counts of our --detail as
# 'label count' lines (the kernel's md/llbitmap/bits format)
llb_detail_counts() {
    ours --detail "$1" | awk '
        /^ *Chunk States :/ { on = 1; next }
        on && $0 == "" { exit }
        on { sub(/^ +/, ""); i = index($0, " : "); print substr($0, 1, i - 1) " " substr($0, i + 3) }'
}

# check_llb_counts DEV: our counts equal md/llbitmap/bits read just before
# and just after (retried while the daemon changes them)
check_llb_counts() {
    local sys b1 b2 o try
    sys=$(md_sys "$1")
    for try in 1 2 3 4 5; do
        b1=$(cat "$sys/llbitmap/bits")
        o=$(llb_detail_counts "$1")
        b2=$(cat "$sys/llbitmap/bits")
        if [ "$b1" = "$b2" ]; then
            [ "$o" = "$b1" ] && return 0
            echo "MISMATCH: our --detail chunk states vs md/llbitmap/bits"
            diff -u --label kernel --label ours <(echo "$b1") <(echo "$o")
            return 1
        fi
        sleep 0.5
    done
    echo "md/llbitmap/bits kept changing"
    return 1
}

# status_of CMD...: the exit status of CMD (output discarded)
status_of() {
    local rc=0
    "$@" > /dev/null 2>&1 || rc=$?
    echo "$rc"
}

# check_test_status DEV WANT: --detail --test exits WANT for both tools
check_test_status() {
    local p o
    p=$(status_of peer --detail --test "$1")
    o=$(status_of ours --detail --test "$1")
    [ "$p" = "$2" ] && [ "$o" = "$2" ] && return 0
    echo "--detail --test $1: expected $2, peer $p, ours $o"
    return 1
}

# check_reports DEV [all]: the report forms against the peer: --detail
# (also as local to --homehost), --brief --verbose, --export, --query of
# the array and its members; with "all" also --brief, --scan (both),
# --no-devices (text and export) and the bare "mdadm DEV"
check_reports() {
    local rc=0
    compare_filtered --detail "$1" || rc=1
    compare_filtered --detail --homehost="$HOMEHOST" "$1" || rc=1
    compare_filtered --detail --brief --verbose "$1" || rc=1
    compare_export "$1" || rc=1
    compare_filtered --query "$1" "${MEMBERS[@]}" || rc=1
    [ "${2:-}" = all ] || return $rc
    compare_filtered --detail --brief "$1" || rc=1
    compare_filtered --detail --scan || rc=1
    compare_filtered --detail --scan --verbose || rc=1
    compare_filtered --detail --no-devices "$1" || rc=1
    compare_export "$1" --no-devices || rc=1
    compare_filtered "$1" || rc=1
    return $rc
}
