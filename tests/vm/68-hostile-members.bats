#!/usr/bin/env bats
# Hostile member images on loop devices, with a real systemd-udevd running
# our rules: every image is a real member (the fixtures: metadata 0.90,
# 1.0, 1.2; no, classic and lockless bitmap; RAID1, RAID5, RAID6, RAID10)
# damaged one way (tests/tools/mutate.py: random superblock bytes with the
# checksum right or wrong, fields at edge values, hostile array names,
# device roles, bitmap header fields, lockless state bytes, 0.90
# superblocks). Attaching it makes udev run `mdadm --incremental --export`
# from our rule; then our -I, -E, -E --export, -X and -X --json run on it
# directly. Nothing may crash or hang, udev may get no property from a
# name, every --export line is one MD_ key, output stays bounded, and the
# image is byte-identical afterwards (unless the damage made it a complete
# array that md started, which writes its superblock: counted, and the
# array stopped).
#
# CI: 24 images; tests/vm/run --full (or VM_HOSTILE_IMAGES=N): 320.

bats_require_minimum_version 1.5.0
load lib
load lib-udev

MUTATE=$TOP/tests/tools/mutate.py
BASES=(images/r1-lockless images/r1-lockless-dirty images/r5-internal images/r5-lockless
       images/r10-lockless images/r1-v10-internal images/r1-v11-none images/r6-none
       images-090/v090-r1-internal images-090/v090-r5-internal)

setup_file() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    local b
    mkdir -p "$BATS_FILE_TMPDIR/bases"
    for b in "${BASES[@]}"; do
        tar -xSJf "$TOP/tests/fixtures/$b/vda.img.tar.xz" -C "$BATS_FILE_TMPDIR/bases"
        mv "$BATS_FILE_TMPDIR/bases/vda.img" "$BATS_FILE_TMPDIR/bases/${b##*/}.img"
    done
}

setup() {
    require_vm
    need_ours
    stop_all
    rm -f /run/mdadm/map
    dmesg -C
    start_udevd
}

teardown() {
    stop_all || :
    losetup -D || :
    udevadm settle -t 10 2>/dev/null || :
    stop_udevd
}

# what our rules may add to a member's udev properties
is_ours_or_udevs() {
    case $1 in
    MD_*|ID_*|DEVPATH|DEVNAME|DEVTYPE|DISKSEQ|MAJOR|MINOR|SUBSYSTEM|ACTION|SEQNUM|USEC_INITIALIZED|DEVLINKS|TAGS|CURRENT_TAGS|PARTN|PARTNAME|UDISKS_*|SYSTEMD_WANTS) return 0 ;;
    esac
    return 1
}

# check_export FILE: one MD_ key per line, a value without control bytes
check_export() {
    local bad
    bad=$(grep -av '^MD_[A-Z0-9_]*=' "$1" | head -3)
    [ -z "$bad" ] || { echo "not an MD_ line: $bad"; return 1; }
    if LC_ALL=C grep -aq $'[\x01-\x08\x0b-\x1f\x7f]' "$1"; then
        echo "control byte in --export:"; cat -A "$1"; return 1
    fi
}

# run_bounded NAME CMD...: CMD (a program, not a shell function) with a
# time limit; it must have run (126/127: could not), not hit the limit
# (124) nor been killed by a signal (128+), and printed at most 4 MiB
run_bounded() {
    local name=$1 rc=0 out="$BATS_TEST_TMPDIR/out"
    shift
    timeout 30 "$@" > "$out" 2>&1 || rc=$?
    RB_RC=$rc
    if [ "$rc" -eq 124 ] || [ "$rc" -ge 126 ]; then
        echo "$name: exit $rc: $*"; head -c 2000 "$out"; return 1
    fi
    [ "$(stat -c %s "$out")" -le $((4 << 20)) ] || { echo "$name: $(stat -c %s "$out") bytes of output"; return 1; }
}

EXTENT_CMP=$TOP/build/extent-cmp

one_image() {
    local img=$1 loop key line started=0 props wants ready fstype
    cp --sparse=always "$img" "$img.orig"
    loop=$(losetup -f --show "$img")
    udevadm settle -t 60
    # the udev path: our rule ran --incremental --export on it
    props=$(udevadm info --query=property "$loop")
    while IFS= read -r line; do
        key=${line%%=*}
        is_ours_or_udevs "$key" || { echo "unexpected udev property: $line"; return 1; }
    done <<< "$props"
    wants=$(sed -n 's/^SYSTEMD_WANTS=//p' <<< "$props")
    case $wants in ""|mdadm-last-resort@md*.timer) ;; *) echo "SYSTEMD_WANTS=$wants"; return 1 ;; esac
    ready=$(sed -n 's/^SYSTEMD_READY=//p' <<< "$props")
    [ -z "$ready" ] || { echo "SYSTEMD_READY=$ready on a member"; return 1; }
    # blkid's own word on the type, not one a name brought in
    fstype=$(sed -n 's/^ID_FS_TYPE=//p' <<< "$props")
    [ "$fstype" = "$(blkid -p -o value -s TYPE "$loop" 2>/dev/null || :)" ] ||
        { echo "ID_FS_TYPE=$fstype, blkid says '$(blkid -p -o value -s TYPE "$loop")'"; return 1; }
    # the same calls directly
    run_bounded "-I --export" "$OURS" --incremental --export "$loop" --offroot
    check_export "$BATS_TEST_TMPDIR/out"
    run_bounded "-E" "$OURS" --examine "$loop"
    [ "$RB_RC" -ne 0 ] || EXAMINED=$((EXAMINED + 1))
    run_bounded "-E --export" "$OURS" --examine --export "$loop"
    check_export "$BATS_TEST_TMPDIR/out"
    run_bounded "-X" "$OURS" --examine-bitmap "$loop"
    run_bounded "-X --json" "$OURS" --examine-bitmap --json "$loop"
    run_bounded "-I" "$OURS" --incremental "$loop"
    grep -q '^md.* : active' /proc/mdstat && started=1
    stop_all
    losetup -d "$loop"
    udevadm settle -t 60
    if [ "$started" = 1 ]; then
        STARTED=$((STARTED + 1))
    else
        "$EXTENT_CMP" "$img" "$img.orig" || { echo "the image changed"; return 1; }
    fi
    rm -f "$img" "$img.orig"
}

@test "hostile members on loop devices, udevd running our rules: no crash, no hang, no foreign udev property, bounded output, disks untouched" {
    local total=${VM_HOSTILE_IMAGES:-24} batch=20 first i n img what seed=${VM_HOSTILE_SEED:-20261202}
    [ "${VM_FULL:-0}" = 1 ] && total=${VM_HOSTILE_IMAGES:-320}
    local dir="$BATS_TEST_TMPDIR/imgs"
    mkdir -p "$dir"
    STARTED=0 EXAMINED=0
    n=0
    for ((first = 0; first < total; first += batch)); do
        python3 "$MUTATE" "$dir" "$first" $((total - first < batch ? total - first : batch)) "$seed" "$BATS_FILE_TMPDIR"/bases/*.img > "$dir/list"
        while read -r i _ what; do
            img="$dir/$i.img"
            one_image "$img" || { echo "image $i (seed $seed): $what"; return 1; }
            n=$((n + 1))
        done < "$dir/list"
    done
    ! dmesg | grep -E 'mdadm\[[0-9]+\]: (segfault|trap)|general protection|BUG:|Oops' || false
    echo "# $n hostile images ($EXAMINED still shown by --examine with exit 0, $STARTED started an array; seed $seed)" >&3
    [ "$n" -eq "$total" ]
}
