# tests/vm/lib-create.bash: helpers for 30-create.bats (load after lib).
# Our --create makes the arrays; the peer (upstream mdadm 4.6) and the
# kernel's sysfs are the references they are checked against.

MD=/dev/md0
MDSYS=/sys/block/md0/md

# poll_for SECONDS CMD...: run CMD every 0.25 s until it succeeds; fails
# (status 1) when it did not within SECONDS
poll_for() {
    local max=$1 i
    shift
    for ((i = 0; i < max * 4; i++)); do
        "$@" && return 0
        sleep 0.25
    done
    "$@"
}

# stop_md DEV: our --stop once it is implemented, the peer's until then
stop_md() {
    local out rc=0
    [ -e "/sys/block/$(basename "$1")/md" ] || return 0
    out=$(ours --stop "$1" 2>&1) || rc=$?
    [ "$rc" = 0 ] && return 0
    if [[ $out == *"not implemented"* ]]; then
        peer --stop "$1" >/dev/null && return 0
    fi
    echo "stopping $1 failed ($rc): $out" >&2
    return 1
}

# fresh: nothing running, first and last 4 MiB of every disk zeroed
fresh() {
    stop_all && wipe_disks
}

# create_ours ARGS...: ours --create $MD --homehost=$HOMEHOST ARGS; the
# combined output is in CREATE_OUT; prints it when the create failed
create_ours() {
    local rc=0
    CREATE_OUT=$(ours --create "$MD" --homehost="$HOMEHOST" "$@" 2>&1 < /dev/null) || rc=$?
    if [ "$rc" != 0 ]; then
        echo "ours --create $MD $* failed ($rc):"
        echo "$CREATE_OUT"
    fi
    return $rc
}

# md_attr NAME: md/NAME of md0
md_attr() { cat "$MDSYS/$1"; }

# expect_eq WHAT GOT WANT
expect_eq() {
    [ "$2" = "$3" ] && return 0
    echo "$1: got '$2', want '$3'"
    return 1
}

# bits_of KEY: one count from md/llbitmap/bits of md0 (key as in STATE_KEYS)
bits_of() { state_of "$(kernel_bits "$MDSYS/llbitmap/bits")" "$1"; }

# llb_chunks: md/llbitmap/metadata's chunk count
llb_chunks() { awk '$1 == "chunks" { print $2 }' "$MDSYS/llbitmap/metadata"; }

# no_progress: md0 neither resyncs nor recovers now (sysfs and /proc/mdstat)
no_progress() {
    [ "$(md_attr sync_action)" = idle ] &&
        [ "$(md_attr sync_completed)" = none ] &&
        ! grep -A3 '^md0 :' /proc/mdstat | grep -Eq '(resync|recovery|check|repair) *='
}

# disk_sums: sha256 of the first and the last 8 MiB of every scratch disk
disk_sums() {
    local d sz
    for d in "${DISKS[@]}"; do
        sz=$(blockdev --getsize64 "$d") || return 1
        printf '%s %s %s\n' "$d" \
            "$(dd if="$d" bs=1M count=8 iflag=direct status=none | sha256sum | cut -c1-16)" \
            "$(dd if="$d" bs=1M count=8 skip=$((sz / 1048576 - 8)) iflag=direct status=none |
               sha256sum | cut -c1-16)"
    done
}

# no_array_left DEVNM: no md device DEVNM with members is left behind
no_array_left() {
    local s=/sys/block/$1/md st
    [ -d "$s" ] || return 0
    if compgen -G "$s/dev-*" > /dev/null; then
        echo "$1 has members: $(ls -d "$s"/dev-* | xargs -n1 basename | tr '\n' ' ')"
        return 1
    fi
    st=$(cat "$s/array_state" 2>/dev/null) || return 0
    case $st in clear|inactive) return 0 ;; esac
    echo "$1 is $st"
    return 1
}

# prime_disks: every scratch disk holds a member of an array of ours (so a
# wrongly written byte changes a checksum, not zeros into zeros); reused
# while still in place
prime_disks() {
    local d ok=1
    stop_all || return 1
    for d in "${DISKS[@]}"; do
        [[ $(peer --examine "$d" 2>/dev/null) == *"Name : $HOMEHOST:primed"* ]] || ok=0
    done
    [ "$ok" = 1 ] && return 0
    wipe_disks || return 1
    create_ours --run --level=6 --raid-devices=4 --bitmap=internal --size=16M --assume-clean \
        --name=primed "${DISKS[@]}" || return 1
    stop_md $MD
}

# expect_refused REGEX ARGS...: `ours --create ARGS` (stdin /dev/null) must
# fail (status 1 or 2) with exactly one line on stderr, starting with
# "mdadm: " and matching REGEX (extended, case-insensitive), nothing on
# stdout, md0 not left behind, and not a byte changed in the first and last
# 8 MiB of any scratch disk
expect_refused() {
    local re=$1 before after rc=0 t bad=0
    shift
    t=$(mktemp -d "${BATS_TEST_TMPDIR:-/tmp}/refused.XXXXXX")
    before=$(disk_sums) || return 1
    ours --create "$@" > "$t/out" 2> "$t/err" < /dev/null || rc=$?
    after=$(disk_sums) || return 1
    case $rc in 1|2) ;; *) echo "exit status $rc, want 1 or 2"; bad=1 ;; esac
    if [ "$(grep -c '' "$t/err")" != 1 ]; then
        echo "want exactly one line on stderr, got:"; cat "$t/err"; bad=1
    elif ! grep -q '^mdadm: ' "$t/err" || ! grep -Eqi -- "$re" "$t/err"; then
        echo "stderr does not match /$re/:"; cat "$t/err"; bad=1
    fi
    [ -s "$t/out" ] && { echo "unexpected stdout:"; cat "$t/out"; bad=1; }
    no_array_left md0 || bad=1
    if [ "$before" != "$after" ]; then
        echo "disk contents changed:"; diff <(echo "$before") <(echo "$after"); bad=1
    fi
    return $bad
}

# peer_field DEV MODE LABEL: the value of LABEL in `peer MODE DEV`
peer_field() { field <(peer "$2" "$1" 2>/dev/null) "$3"; }

# check_states_equal WANT GOT: two 'key=value' lists (STATE_KEYS [+ invalid])
# agree on every key of WANT
check_states_equal() {
    local k w g bad=0
    for k in $STATE_KEYS; do
        w=$(state_of "$1" "$k"); g=$(state_of "$2" "$k")
        [ "$w" = "$g" ] || { echo "state $k: want $w, got $g"; bad=1; }
    done
    [ "$bad" = 0 ] || { echo "want: $(echo $1)"; echo "got:  $(echo $2)"; }
    return $bad
}

# layout_lines DEV: the layout part of `peer --examine DEV`
layout_lines() {
    peer --examine "$1" | grep -E '^ *(Avail Dev Size|Array Size|Used Dev Size|Data Offset|Super Offset|Unused Space|Internal Bitmap|Bad Block Log|Chunk Size|Layout) :'
}
