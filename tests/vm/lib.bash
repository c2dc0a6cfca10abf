# tests/vm/lib.bash: helpers for the VM tier (bats files run INSIDE vm-run,
# see tests/vm/run). Load with `load lib` from a .bats file in tests/vm/.
#
# Environment (all optional):
#   PEER      the peer mdadm (upstream 4.6)   default $TOP/build/peer/mdadm
#   OURS      our mdadm                       default $TOP/mdadm
#   HOMEHOST  homehost given to --create      default vmtest
#   LLB_STATES the llbitmap state table tool   default $TOP/build/llb-states
# The guest's hostname is "vm-run", so arrays created with
# --homehost=$HOMEHOST are *not* local unless --homehost=$HOMEHOST is passed
# to --examine as well (both tools accept --homehost in misc mode); the
# compare helpers check both branches.

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
PEER=${PEER:-$TOP/build/peer/mdadm}
OURS=${OURS:-$TOP/mdadm}
HOMEHOST=${HOMEHOST:-vmtest}
LLB_STATES=${LLB_STATES:-$TOP/build/llb-states}
export TZ=UTC LC_ALL=C MDADM_NO_SYSTEMCTL=1

# the scratch disks (vm-run exports VM_RUN_DISKS="/dev/vda /dev/vdb ...")
read -r -a DISKS <<< "${VM_RUN_DISKS:-}"

# ------------------------------------------------------------ the two tools
peer() { "$PEER" "$@"; }
ours() { "$OURS" "$@"; }
# llb_states ARGS...: what a lockless bitmap state means, from mdadm's own
# table (llbitmap.c; see tests/tools/llb-states.c)
llb_states() { "$LLB_STATES" "$@"; }

require_vm() {
    [ "${MDADM_VM:-}" = 1 ] || skip "not inside vm-run (use tests/vm/run)"
    [ "${#DISKS[@]}" -ge 4 ] || skip "need 4 scratch disks, VM_RUN_DISKS='${VM_RUN_DISKS:-}'"
    [ -x "$PEER" ] || { echo "peer mdadm missing: $PEER (tests/vm/run installs it)" >&2; return 1; }
}
# The usual file fixtures: a file starts with nothing running and wiped
# disks (vm_file_start) and leaves nothing running (vm_file_end).
vm_file_start() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    stop_all
    wipe_disks
}

vm_file_end() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    stop_all
}

# full_only [WHAT]: the rest of this test belongs to the full matrix (more
# levels, bitmap kinds and flags of what CI already covers): it runs with
# `tests/vm/run --full` (VM_FULL=1), whose results the README records, and
# is skipped in CI to keep the suite inside its time budget
full_only() {
    [ "${VM_FULL:-0}" = 1 ] || skip "full matrix only${1:+ ($1)}: tests/vm/run --full"
}

need_ours() {
    [ -x "$OURS" ] || { echo "our mdadm is not built: $OURS (run make)" >&2; return 1; }
}
# the usual setup of a VM test: nothing running, the disks' ends zeroed
clean_vm_setup() {
    require_vm
    need_ours
    stop_all
    wipe_disks
}
need_jq() {
    command -v jq >/dev/null || { echo "jq is not installed (needed to parse --json)" >&2; return 1; }
}

# ------------------------------------------------------------ disks, arrays
# zero the first and the last 4 MiB of every /dev/vd* (1.0 superblocks and
# their bitmaps live at the end, 1.1/1.2 ones at the start), in one process
# (build/wipe-ends; tests/vm/run builds it)
WIPE_ENDS=${WIPE_ENDS:-$TOP/build/wipe-ends}
wipe_disks() {
    local disks=(/dev/vd[a-z])
    [ -b "${disks[0]}" ] || return 0
    "$WIPE_ENDS" $((4 << 20)) "${disks[@]}"
}

# stop every running md array with the peer
stop_all() {
    local s rc=0
    for s in /sys/block/md*; do
        [ -e "$s" ] || continue
        peer --stop "/dev/${s##*/}" >/dev/null 2>&1 || { echo "could not stop /dev/${s##*/}" >&2; rc=1; }
    done
    return $rc
}

# poll_until SECONDS CMD...: run CMD every 0.1 s until it succeeds; the
# status of a last try when it did not within SECONDS
poll_until() {
    local max=$1 i
    shift
    for ((i = 0; i < max * 10; i++)); do
        "$@" && return 0
        sleep 0.1
    done
    "$@"
}

# md_sys DEV: the md sysfs directory of array DEV (/dev/md0 -> /sys/block/md0/md)
md_sys() { echo "/sys/block/$(basename "$(readlink -f "$1")")/md"; }

# disk_writes [DISK...]: the kernel's count of sectors written to each disk
# (default: the scratch disks; /sys/block/X/stat, field 7), after flushing anything still buffered. An
# unchanged count proves that nothing at all was written, which is more
# than equal checksums say and costs no read of the disks.
disk_writes() {
    local d
    [ $# -gt 0 ] || set -- "${DISKS[@]}"
    for d in "$@"; do
        blockdev --flushbufs "$d" || return 1
        printf '%s %s\n' "$d" "$(awk '{print $7}' "/sys/block/${d##*/}/stat")"
    done
}

# wait_idle DEV [MAX_SECONDS=180]: poll md/sync_action until "idle"
wait_idle() {
    local sys a i max=${2:-180}
    sys=$(md_sys "$1")
    for ((i = 0; i < max * 4; i++)); do
        a=$(cat "$sys/sync_action" 2>/dev/null) || { echo "wait_idle: no $sys/sync_action" >&2; return 1; }
        [ "$a" = idle ] && return 0
        sleep 0.25
    done
    echo "wait_idle: $1 still '$a' after ${max}s" >&2
    return 1
}

# wait_settled DEV [MAX_SECONDS=120]: idle, and (llbitmap) no chunk left
# needing or under a sync (raid456 partial-stripe writes go through them)
wait_settled() {
    local sys i max=${2:-120}
    sys=$(md_sys "$1")
    wait_idle "$1" "$max" || return 1
    [ -e "$sys/llbitmap/bits" ] || return 0
    for ((i = 0; i < max * 4; i++)); do
        if [ "$(llb_states bits "$sys/llbitmap/bits" | llb_states sum pending)" = 0 ]; then
            wait_idle "$1" "$max" && return 0
        fi
        sleep 0.25
    done
    echo "wait_settled: bits did not settle: $(tr '\n' ' ' < "$sys/llbitmap/bits")" >&2
    return 1
}

# write_pattern DEV BYTES OFFSET: deterministic data, O_DIRECT
write_pattern() {
    head -c "$2" < <(yes mdadm-vm-test) |
        dd of="$1" bs=4096 seek=$(($3 / 4096)) oflag=direct conv=notrunc status=none
}

# ------------------------------------------------------------ text helpers
# field FILE LABEL: value of the first 'LABEL : value' line (leading blanks
# before LABEL ignored, exact label match)
field() {
    awk -v l="$2" '{
        i = index($0, " : "); if (!i) next
        k = substr($0, 1, i - 1); sub(/^[ \t]+/, "", k)
        if (k == l) { print substr($0, i + 3); exit }
    }' "$1"
}

# compare_tools ARGS...: run `peer ARGS` and `ours ARGS`; stdout and exit
# status must be identical. On mismatch print a unified diff (and both
# stderrs) and return 1.
compare_tools() {
    local d rc_p=0 rc_o=0
    d=$(mktemp -d "${BATS_TEST_TMPDIR:-/tmp}/cmp.XXXXXX")
    peer "$@" > "$d/peer.out" 2> "$d/peer.err" || rc_p=$?
    ours "$@" > "$d/ours.out" 2> "$d/ours.err" || rc_o=$?
    if cmp -s "$d/peer.out" "$d/ours.out" && [ "$rc_p" = "$rc_o" ]; then
        rm -rf "$d"
        return 0
    fi
    echo "MISMATCH: mdadm $*   (exit status: peer $rc_p, ours $rc_o)"
    diff -u --label "peer mdadm $*" --label "ours mdadm $*" "$d/peer.out" "$d/ours.out"
    [ -s "$d/peer.err" ] && sed 's/^/  peer stderr: /' "$d/peer.err"
    [ -s "$d/ours.err" ] && sed 's/^/  ours stderr: /' "$d/ours.err"
    rm -rf "$d"
    return 1
}

# compare_examine DEV [EXTRA...]: `--examine EXTRA DEV` with the machine's
# hostname (vm-run: array not local) and with --homehost=$HOMEHOST (local)
compare_examine() {
    local dev=$1 rc=0
    shift
    compare_tools --examine "$@" "$dev" || rc=1
    compare_tools --examine --homehost="$HOMEHOST" "$@" "$dev" || rc=1
    return $rc
}

# ------------------------------------------------------------ llbitmap states
STATE_KEYS="unwritten clean dirty need_sync syncing need_sync_unwritten syncing_unwritten clean_unwritten"

# kernel_bits DEV|FILE: md/llbitmap/bits as 'key=value' lines, keys as in
# STATE_KEYS ("need sync 3" -> need_sync=3)
kernel_bits() {
    local f=$1
    [ -b "$f" ] && f=$(md_sys "$f")/llbitmap/bits
    llb_states bits "$f"
}

# ours_states DEV: our `--examine-bitmap --json DEV` as 'key=value' lines
# (STATE_KEYS order, then invalid); fails when a key is missing or not a number
ours_states() {
    local json
    json=$(ours --examine-bitmap --json "$1") || { echo "ours --examine-bitmap --json $1 failed" >&2; return 1; }
    # One jq run (jq costs ~0.2 s a start under TCG). The device object is
    # the top level or, in the per-device list form, .devices[0]. Its
    # .states is used; without .states, a bitmap still marked FIRST_USE
    # (mdadm's header, which the kernel re-initialises) may instead give
    # .first_use_chunks chunks all in .first_use_state ("clean"/"unwritten").
    jq -er --arg keys "$STATE_KEYS invalid" '
        ($keys | split(" ")) as $ks |
        (if type == "object" and has("devices") then .devices[0] else . end) as $d |
        (if ($d.states | type) == "object" then $d.states
         elif $d.first_use == true and ($d.first_use_chunks | type) == "number"
              and ($d.first_use_state | type) == "string"
         then reduce $ks[] as $k ({}; .[$k] = 0)
              | .[$d.first_use_state | gsub(" "; "_")] = $d.first_use_chunks
         else error("no .states object") end) as $s |
        $ks[] as $k |
        if ($s[$k] | type) == "number" then "\($k)=\($s[$k])"
        else error("no numeric .states.\($k)") end' <<< "$json" ||
        { echo "our JSON for $1:" >&2; echo "$json" >&2; return 1; }
}

# fold_dirty: 'key=value' lines on stdin -> the counts a clean stop writes
# (it runs the daemon's pass: Dirty chunks become Clean)
fold_dirty() { llb_states apply daemon; }

# state_of LINES KEY: value of KEY in 'key=value' LINES
state_of() { sed -n "s/^$2=//p" <<< "$1"; }

# bitmap_sb_state DEV: the 'state' word of the bitmap superblock on member
# DEV (read with O_DIRECT); locates the bitmap via the peer's --examine
bitmap_sb_state() {
    local ex so bo off
    ex=$(peer --examine "$1" 2>/dev/null) || return 1
    so=$(field <(echo "$ex") "Super Offset" | awk '{ print $1 }')
    bo=$(field <(echo "$ex") "Internal Bitmap" | awk '{ print $1 }')
    [ -n "$so" ] && [ -n "$bo" ] || return 1
    off=$(( (so + bo) * 512 ))
    dd if="$1" bs=4096 skip=$((off / 4096)) count=1 iflag=direct status=none |
        tail -c +$((off % 4096 + 1)) | od -An -tu4 -j 48 -N 4 | tr -d ' '
}

# event_recorders DIR: DIR/ours.rec and DIR/peer.rec, --program scripts
# that append "argc:args" to DIR/ours.events and DIR/peer.events
event_recorders() {
    local who
    for who in ours peer; do
        printf '#!/bin/sh\necho "$#:$*" >> %s/%s.events\n' "$1" "$who" > "$1/$who.rec"
        chmod +x "$1/$who.rec"
    done
}
