# tests/vm/lib-create.bash: helpers for 30-create.bats (load after lib).
# Our --create makes the arrays; the peer (upstream mdadm 4.6) and the
# kernel's sysfs are the references they are checked against. Process
# starts are slow under TCG, so the state helpers are plain bash.

MD=/dev/md0
MDSYS=/sys/block/md0/md

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
md_attr() { local v=; read -r v < "$MDSYS/$1" || :; echo "$v"; }

# expect_eq WHAT GOT WANT
expect_eq() {
    [ "$2" = "$3" ] && return 0
    echo "$1: got '$2', want '$3'"
    return 1
}

# ------------------------------------------------------------ llbitmap states
# Lists are 'key=value' lines with the keys of lib's STATE_KEYS (+ invalid).

# kv KEY LINES: the value of KEY
kv() {
    local k v
    while IFS='=' read -r k v; do
        [ "$k" = "$1" ] && { echo "$v"; return 0; }
    done <<< "$2"
    return 1
}

# bits_now: md/llbitmap/bits of md0 as a list
bits_now() { llb_states bits "$MDSYS/llbitmap/bits"; }

# bits_of KEY: one count of md0's md/llbitmap/bits
bits_of() { kv "$1" "$(bits_now)"; }

# llb_chunks: md/llbitmap/metadata's chunk count
llb_chunks() {
    local k v
    while read -r k v; do [ "$k" = chunks ] && { echo "$v"; return 0; }; done < "$MDSYS/llbitmap/metadata"
    return 1
}

# folded LIST: the counts a clean stop writes (Dirty becomes Clean)
folded() { llb_states apply daemon <<< "$1"; }

# check_states_equal WANT GOT: every state of WANT has the same count in GOT
check_states_equal() {
    local k bad=0 w g
    for k in $STATE_KEYS; do
        w=$(kv "$k" "$1"); g=$(kv "$k" "$2")
        [ "$w" = "$g" ] || { echo "state $k: want '$w', got '$g'"; bad=1; }
    done
    [ "$bad" = 0 ] || { echo "want: $(echo $1)"; echo "got:  $(echo $2)"; }
    return $bad
}

# check_member_states WANT MEMBER: our --examine-bitmap of MEMBER counts
# exactly WANT and no invalid state byte
check_member_states() {
    local got
    got=$(ours_states "$2") || return 1
    check_states_equal "$1" "$got" || { echo "(member $2)"; return 1; }
    expect_eq "$2 invalid state bytes" "$(kv invalid "$got")" 0
}

# no_progress: md0 neither resyncs nor recovers now (sysfs and /proc/mdstat)
no_progress() {
    [ "$(md_attr sync_action)" = idle ] && [ "$(md_attr sync_completed)" = none ] &&
        ! grep -A3 '^md0 :' /proc/mdstat | grep -Eq '(resync|recovery|check|repair) *='
}

# throttle_resync / unthrottle_resync: md's resync speed limit at 5 MiB/s
# (a real initial resync of these disks then runs for a minute) and back to
# the default (teardown restores it too)
throttle_resync() { echo 5000 > /proc/sys/dev/raid/speed_limit_max; }
unthrottle_resync() { echo 200000 > /proc/sys/dev/raid/speed_limit_max; }

# expect_no_initial_resync: md0 is idle within 2 s of its creation (the
# kernel's pass over a new lockless bitmap skips every chunk at once) and
# stays idle for 2 s more, with nothing left to resync
expect_no_initial_resync() {
    local i
    for ((i = 0; i < 9; i++)); do
        if { [ "$i" = 0 ] && ! poll_until 2 no_progress; } || ! no_progress; then
            echo "initial sync running: $(md_attr sync_action) $(md_attr sync_completed)"
            cat /proc/mdstat
            return 1
        fi
        sleep 0.25
    done
    expect_eq md/resync_start "$(md_attr resync_start)" none
}

# ------------------------------------------------------------ disk contents

# per_disk FUNC: FUNC DISK for every scratch disk at once (reading under
# TCG is slow; two vCPUs), outputs in disk order
per_disk() {
    local d i=0 t
    t=$(mktemp -d "${BATS_TEST_TMPDIR:-/tmp}/per-disk.XXXXXX") || return 1
    for d in "${DISKS[@]}"; do
        "$1" "$d" > "$t/$i" &
        i=$((i + 1))
    done
    wait
    for ((i = 0; i < ${#DISKS[@]}; i++)); do cat "$t/$i"; done
    rm -rf "$t"
}

# disk_sum DISK: sha256 of its first and last 8 MiB; disk_sums: all disks
disk_sum() {
    local sz
    sz=$(blockdev --getsize64 "$1") || return 1
    printf '%s %s\n' "$1" "$({ dd if="$1" bs=8M count=1 iflag=direct status=none &&
        dd if="$1" bs=8M count=1 skip=$((sz / 8388608 - 1)) iflag=direct status=none; } |
        sha256sum | cut -c1-64)"
}
disk_sums() { per_disk disk_sum; }

# disk_marks: a cheap fingerprint of every superblock/bitmap location (the
# first and last 64 KiB of each disk); any create, stop or wipe changes it
disk_mark() {
    local sz
    sz=$(blockdev --getsize64 "$1") || return 1
    { dd if="$1" bs=64K count=1 iflag=direct status=none &&
      dd if="$1" bs=64K count=1 skip=$((sz / 65536 - 1)) iflag=direct status=none; } |
        sha256sum | cut -c1-16
}
disk_marks() { per_disk disk_mark | tr '\n' ' '; }

# no_array_left DEVNM: no md device DEVNM with members is left behind
no_array_left() {
    local s=/sys/block/$1/md st
    [ -d "$s" ] || return 0
    if compgen -G "$s/dev-*" > /dev/null; then
        echo "$1 has members: $(cd "$s" && echo dev-*)"
        return 1
    fi
    read -r st < "$s/array_state" 2>/dev/null || return 0
    case $st in clear|inactive) return 0 ;; esac
    echo "$1 is $st"
    return 1
}

# prime_disks: every scratch disk holds a member of an array of ours, as an
# admin's disks hold data when a create is refused; kept while the
# fingerprint is the one the priming left
PRIMED=${BATS_FILE_TMPDIR:-/tmp}/create-primed
prime_disks() {
    stop_all || return 1
    [ -s "$PRIMED" ] && [ "$(disk_marks)" = "$(cat "$PRIMED")" ] && return 0
    wipe_disks || return 1
    create_ours --run --level=6 --raid-devices=4 --bitmap=internal --size=16M --assume-clean \
        --name=primed "${DISKS[@]}" || return 1
    stop_md $MD || return 1
    echo "$(disk_marks)" > "$PRIMED"
}

# expect_refused REGEX ARGS...: `ours --create ARGS` (stdin /dev/null) must
# fail (status 1 or 2) with exactly one line on stderr, starting with
# "mdadm: " and matching REGEX (extended, case-insensitive), nothing on
# stdout, md0 not left behind, and not a sector written to any scratch disk
expect_refused() {
    local re=$1 before after rc=0 t bad=0 err
    shift
    t=$(mktemp -d "${BATS_TEST_TMPDIR:-/tmp}/refused.XXXXXX")
    before=$(disk_writes) || return 1
    ours --create "$@" > "$t/out" 2> "$t/err" < /dev/null || rc=$?
    after=$(disk_writes) || return 1
    err=$(< "$t/err")
    case $rc in 1|2) ;; *) echo "exit status $rc, want 1 or 2"; bad=1 ;; esac
    if [ "$(grep -c '' "$t/err")" != 1 ]; then
        echo "want exactly one line on stderr, got:"; echo "$err"; bad=1
    elif [[ $err != "mdadm: "* ]] || ! grep -Eqi -- "$re" <<< "$err"; then
        echo "stderr does not match /$re/:"; echo "$err"; bad=1
    fi
    [ -s "$t/out" ] && { echo "unexpected stdout:"; cat "$t/out"; bad=1; }
    no_array_left md0 || bad=1
    if [ "$before" != "$after" ]; then
        echo "sectors written to the disks (before, after):"
        diff <(echo "$before") <(echo "$after"); bad=1
    fi
    echo "# $err" >&3
    return $bad
}

# ------------------------------------------------------------ peer output

# examine_field TEXT LABEL: LABEL's value in --examine/--detail TEXT
examine_field() { field <(echo "$1") "$2"; }

# layout_lines DEV: the layout part of `peer --examine DEV`
layout_lines() {
    peer --examine "$1" | grep -E '^ *(Feature Map|Raid Level|Raid Devices|Avail Dev Size|Array Size|Used Dev Size|Data Offset|Super Offset|Unused Space|Internal Bitmap|Bad Block Log|Chunk Size|Layout) :'
}

# setup/teardown of the --create files (30-create, 31-create-more)
create_test_setup() {
    require_vm
    need_ours
    need_jq
}

create_test_teardown() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    unthrottle_resync 2>/dev/null || :
    [ -n "${LOOPDEV:-}" ] && { stop_all; losetup -d "$LOOPDEV" 2>/dev/null || :; }
    return 0
}
