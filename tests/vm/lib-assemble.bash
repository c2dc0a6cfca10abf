# tests/vm/lib-assemble.bash: helpers for 50-assemble.bats and 60-udev.bats
# (load after lib). An array /dev/md/asm is made (by our --create or the
# peer's), filled with a known pattern and stopped; the helpers then check
# an assembled array against what was recorded before the stop: data
# checksum, md/bitmap_type, and for the lockless bitmap the kernel's
# md/llbitmap/bits (Dirty chunks become Clean on a clean stop).
#
# The arrays are created without --homehost, so their names are
# "vm-run:asm" and they are local to the guest (hostname vm-run): local
# arrays start read-write under --incremental and get /dev/md/asm.

NAME=asm
ARRAY=/dev/md/$NAME

# members_for LEVEL: the scratch disks an array of that level uses
members_for() {
    case $1 in
    1) echo "${DISKS[0]} ${DISKS[1]}" ;;
    5) echo "${DISKS[0]} ${DISKS[1]} ${DISKS[2]}" ;;
    10) echo "${DISKS[0]} ${DISKS[1]} ${DISKS[2]} ${DISKS[3]}" ;;
    *) echo "members_for: no layout for level $1" >&2; return 1 ;;
    esac
}

# devnm_of DEV: md127 for /dev/md/asm -> ../md127
devnm_of() { basename "$(readlink -f "$1")"; }

# array_state DEVNM
array_state() { cat "/sys/block/$1/md/array_state" 2>/dev/null || echo absent; }

# state_is DEVNM STATE: md/array_state is STATE now
state_is() { [ "$(array_state "$1")" = "$2" ]; }

# bitmap_type_now DEVNM: the bracketed word of md/bitmap_type
bitmap_type_now() { sed -n 's/.*\[\([a-z]*\)\].*/\1/p' "/sys/block/$1/md/bitmap_type"; }

# sysfs_type BITMAP: what md/bitmap_type should say for --bitmap=BITMAP
sysfs_type() {
    case $1 in none) echo none ;; internal) echo bitmap ;; lockless) echo llbitmap ;; esac
}

# The pattern make_array writes: 4 MiB at 0 (full stripes) and 64 KiB at
# 20 MiB (a partial stripe for RAID5), in 64 KiB O_DIRECT writes.
PATTERN_REGIONS="0:$((4 << 20)) $((20 << 20)):65536"

# put_pattern DEV: write the pattern regions
put_pattern() {
    local r off len
    for r in $PATTERN_REGIONS; do
        off=${r%%:*} len=${r#*:}
        head -c "$len" < <(yes mdadm-assemble-test) |
            dd of="$1" bs=65536 seek=$((off / 65536)) oflag=direct conv=notrunc status=none ||
            return 1
    done
}

# sum_of DEV: md5 of the pattern regions plus 1 MiB around each, read with
# O_DIRECT (reading and hashing whole arrays is slow under TCG)
sum_of() {
    local r off len
    for r in $PATTERN_REGIONS; do
        off=${r%%:*} len=${r#*:}
        dd if="$1" bs=65536 skip=$((off / 65536)) count=$(((len + (1 << 20)) / 65536)) \
            iflag=direct status=none || return 1
    done | md5sum | cut -d' ' -f1
}

# disk_sums DEV...: md5 of the first 8 MiB of each member (superblock,
# bitmap and the start of the data area)
disk_sums() {
    local d
    for d in "$@"; do
        echo "$d $(dd if="$d" bs=1M count=8 iflag=direct status=none | md5sum | cut -d' ' -f1)"
    done
}

# make_array TOOL LEVEL BITMAP [CREATE-ARGS...]: create $ARRAY on the
# level's members (component size $ASM_SIZE, default 32M), wait until the initial sync is done, write the pattern
# (PATTERN_REGIONS), wait until
# the bitmap settled, and record SUM, BITS (lockless) and MEMBERS
make_array() {
    local tool=$1 level=$2 bitmap=$3 out rc=0
    shift 3
    read -r -a MEMBERS <<< "$(members_for "$level")"
    BITMAP=$bitmap
    out=$("$tool" --create "$ARRAY" --run -l "$level" -n "${#MEMBERS[@]}" --bitmap="$bitmap" \
        --size="${ASM_SIZE:-32M}" "$@" "${MEMBERS[@]}" 2>&1 < /dev/null) || rc=$?
    if [ "$rc" != 0 ]; then
        echo "$tool --create failed ($rc): $out"
        return 1
    fi
    wait_settled "$ARRAY" || return 1
    put_pattern "$ARRAY" || return 1
    wait_settled "$ARRAY" || return 1
    SUM=$(sum_of "$ARRAY")
    BITS=
    if [ "$bitmap" = lockless ]; then
        BITS=$(kernel_bits "$ARRAY") || return 1
    fi
}

# stop_array [DEV]: stop (with the peer) and wait until it is gone
stop_array() {
    local dev=${1:-$ARRAY} devnm
    devnm=$(devnm_of "$dev")
    [ -e "/sys/block/$devnm/md" ] || return 0
    peer --stop "$dev" >/dev/null || { echo "could not stop $dev"; return 1; }
    poll_until 10 test ! -e "/sys/block/$devnm/md"
}

# check_array DEV [RUNNING-STATE-RE]: the assembled array is running, has
# the expected bitmap type, the same data, and (lockless) the same bitmap
# counts as before the stop with Dirty folded into Clean
check_array() {
    local dev=$1 devnm want bits
    devnm=$(devnm_of "$dev")
    [ -e "/sys/block/$devnm/md" ] || { echo "$dev ($devnm) is not an md device"; return 1; }
    case $(array_state "$devnm") in
    clean|active|active-idle|read-auto|readonly) ;;
    *) echo "$dev: array_state $(array_state "$devnm")"; return 1 ;;
    esac
    want=$(sysfs_type "$BITMAP")
    if [ "$(bitmap_type_now "$devnm")" != "$want" ]; then
        echo "$dev: bitmap_type '$(cat "/sys/block/$devnm/md/bitmap_type")', want [$want]"
        return 1
    fi
    if [ "$BITMAP" = lockless ]; then
        bits=$(kernel_bits "$dev") || return 1
        if [ "$(fold_dirty <<< "$bits")" != "$(fold_dirty <<< "$BITS")" ]; then
            echo "$dev: llbitmap counts changed"
            diff <(fold_dirty <<< "$BITS") <(fold_dirty <<< "$bits")
            return 1
        fi
    fi
    if [ "$(sum_of "$dev")" != "$SUM" ]; then
        echo "$dev: data checksum differs"
        return 1
    fi
}

# export_value OUTPUT KEY: KEY's value in --export output
export_value() { sed -n "s/^$2=//p" <<< "$1"; }

# incremental_all [TOOL]: hand every member to TOOL -I --export in random
# order; the array must start exactly when the last one arrives. Sets
# INC_DEVNM.
incremental_all() {
    local tool=${1:-ours} order i out started n
    mapfile -t order < <(printf '%s\n' "${MEMBERS[@]}" | shuf)
    n=${#order[@]}
    INC_DEVNM=
    for ((i = 0; i < n; i++)); do
        out=$("$tool" -I --export "${order[i]}" 2>&1) || {
            echo "$tool -I ${order[i]} failed: $out"
            return 1
        }
        started=$(export_value "$out" MD_STARTED)
        INC_DEVNM=$(export_value "$out" MD_DEVICE)
        echo "-I ${order[i]} ($((i + 1))/$n): $(tr '\n' ' ' <<< "$out")"
        if [ "$(export_value "$out" MD_DEVNAME)" != "$NAME" ] ||
           [ "$(export_value "$out" MD_FOREIGN)" != no ]; then
            echo "unexpected MD_DEVNAME/MD_FOREIGN"
            return 1
        fi
        if ((i < n - 1)); then
            if [ "$started" = yes ] || [ "$(array_state "$INC_DEVNM")" != inactive ]; then
                echo "started before the last member arrived ($started, $(array_state "$INC_DEVNM"))"
                return 1
            fi
        elif [ "$started" != yes ]; then
            echo "not started after the last member: MD_STARTED=$started"
            return 1
        fi
    done
}

# strace_llbitmap LOG: the traced command wrote "llbitmap" to an fd that
# was opened on .../md/bitmap_type
strace_llbitmap() {
    local fd
    for fd in $(sed -n 's/.*openat(.*md\/bitmap_type", O_WRONLY[^)]*) *= *\([0-9]*\)$/\1/p' "$1"); do
        grep -Eq "write\($fd, \"llbitmap\", 8\) *= *8\$" "$1" && return 0
    done
    echo "no write of llbitmap to md/bitmap_type in the trace:"
    grep -E 'bitmap_type|llbitmap' "$1"
    return 1
}

# traced LOG TOOL ARGS...: run ours/peer under strace (opens and writes,
# children too); an ASan build's leak check cannot run under ptrace and
# would fail the call, so it is off for these
traced() {
    local log=$1 tool=$2
    shift 2
    case $tool in ours) tool=$OURS ;; peer) tool=$PEER ;; esac
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        strace -f -qq -e trace=openat,write -s 64 -o "$log" "$tool" "$@"
}

# no_kernel_fallback: dmesg has no "bitmap version mismatch" (the kernel
# switching the type itself because userspace did not set it)
no_kernel_fallback() {
    if dmesg | grep -q 'bitmap version mismatch'; then
        dmesg | grep 'bitmap version mismatch'
        return 1
    fi
}
