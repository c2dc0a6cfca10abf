# lib-detail.bash - a fake md sysfs tree for the --detail/--query/--stop
# command-line tests (no kernel). Load after lib.bash.
#
# The tree holds what the real kernel showed for a fixture scenario
# (tests/fixtures/images/<scenario>: meta.env, detail.txt, mdstat.txt,
# kernel-bits.txt, kernel-metadata.txt) and the scenario's member images as
# the "devices" (our mdadm reads superblocks from plain files too):
#
#   $FAKE/sys/block/md0/size, md/{level,raid_disks,...}, md/dev-vdX/...
#   $FAKE/dev/md0 (plain file), $FAKE/dev/vdX -> member image
#   $FAKE/mdstat, $FAKE/map
#
# and exports MDADM_SYSFS_ROOT, MDADM_DEV_ROOT, MDADM_MDSTAT,
# MDADM_MAP_FILE so that our mdadm looks there. A fake tree cannot stand in
# for the kernel: everything kernel-facing is tested in tests/vm too.

# fake_put FILE VALUE: write VALUE (and a newline) to FILE under $FAKE/sys
fake_put() {
    mkdir -p "$(dirname "$FAKE/sys/$1")"
    printf '%s\n' "$2" > "$FAKE/sys/$1"
}

# detail_field FILE LABEL: value of 'LABEL : value' in a --detail text
detail_field() {
    sed -n "s/^ *$2 : //p" "$1" | head -1
}

# fake_member DEVNM KNAME SLOT STATE MAJOR:MINOR [IMAGE]
fake_member() {
    local md=$1 k=$2 d="block/$1/md/dev-$2"
    fake_put "$d/slot" "$3"
    fake_put "$d/state" "$4"
    fake_put "$d/block/dev" "$5"
    if [ -n "${6:-}" ]; then
        ln -sf "$6" "$FAKE/dev/$k"
    else
        : > "$FAKE/dev/$k"
    fi
    [ "$3" = none ] || ln -sfn "dev-$k" "$FAKE/sys/block/$md/md/rd$3"
}

# fake_env: point our mdadm at $FAKE
fake_env() {
    export MDADM_SYSFS_ROOT=$FAKE/sys MDADM_DEV_ROOT=$FAKE/dev
    export MDADM_MDSTAT=$FAKE/mdstat MDADM_MAP_FILE=$FAKE/map
}

# fake_array SCENARIO: md0 as the fixture scenario's running array
# (members vda, vdb, ... in slots 0, 1, ... with their images)
fake_array() {
    local scen=$1 dir=$FIXTURES/$1 level n bitmap layout=0 chunk=0 i k
    FAKE=$BATS_TEST_TMPDIR/fake
    rm -rf "$FAKE"
    mkdir -p "$FAKE/sys/block/md0/md" "$FAKE/dev"
    : > "$FAKE/dev/md0"
    level=$(meta "$scen" LEVEL)
    n=$(meta "$scen" DEVICES)
    bitmap=$(meta "$scen" BITMAP)
    case $level in 0|4|5|6|10) chunk=524288 ;; esac
    case $(detail_field "$dir/detail.txt" Layout) in
    original) layout=1 ;;
    alternate|left-symmetric) layout=2 ;;
    near=2) layout=258 ;;
    far=2) layout=513 ;;
    offset=2) layout=66049 ;;
    esac
    fake_put block/md0/md/metadata_version "$(meta "$scen" METADATA)"
    fake_put block/md0/md/level "raid$level"
    fake_put block/md0/md/raid_disks "$n"
    fake_put block/md0/md/layout "$layout"
    fake_put block/md0/md/chunk_size "$chunk"
    fake_put block/md0/md/component_size "$(detail_field "$dir/detail.txt" 'Used Dev Size' | cut -d' ' -f1)"
    fake_put block/md0/size $(( $(detail_field "$dir/detail.txt" 'Array Size' | cut -d' ' -f1) * 2 ))
    fake_put block/md0/md/array_state clean
    fake_put block/md0/md/sync_action idle
    fake_put block/md0/md/degraded 0
    fake_put block/md0/md/consistency_policy "$(detail_field "$dir/detail.txt" 'Consistency Policy')"
    fake_put block/md0/md/bitmap_type "$(cat "$dir/bitmap-type.txt")"
    case $bitmap in
    lockless)
        fake_put block/md0/md/llbitmap/bits "$(cat "$dir/kernel-bits.txt")"
        fake_put block/md0/md/llbitmap/metadata "$(cat "$dir/kernel-metadata.txt")"
        fake_put block/md0/md/llbitmap/daemon_sleep 30
        fake_put block/md0/md/llbitmap/barrier_idle 5 ;;
    internal)
        fake_put block/md0/md/bitmap/location +8
        fake_put block/md0/md/bitmap/metadata internal ;;
    *)  fake_put block/md0/md/bitmap/location none ;;
    esac
    for ((i = 0; i < n; i++)); do
        k=vd$(printf "\\x$(printf %x $((97 + i)))")
        fake_member md0 "$k" "$i" in_sync "253:$((16 * i))" "$(fixture_img "$scen" "$k")"
    done
    cp "$dir/mdstat.txt" "$FAKE/mdstat"
    : > "$FAKE/map"
    fake_env
}

# ours_fake ARGS...: run our mdadm, $FAKE/dev/ shown as /dev/ (like the peer)
ours_fake() {
    "$MDADM" "$@" 2>&1 | sed "s#$FAKE/dev/#/dev/#g"
    return "${PIPESTATUS[0]}"
}

# without_ours: drop the lines --detail adds to mdadm's report (Bitmap Type,
# and the lockless block from "Bitmap Chunksize" to its blank line)
without_ours() {
    awk '
        /^ *Bitmap Type : / { next }
        /^ *Bitmap Chunksize : / { skip = 1 }
        skip { if ($0 == "") skip = 0; next }
        { print }'
}
