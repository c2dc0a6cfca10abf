#!/usr/bin/env bats
# --incremental without a kernel: the command-line surface against the peer
# (upstream 4.6 runs on the host for these), and the map file
# (/run/mdadm/map) written by --rebuild-map and read by --run --scan /
# --run, on a fake sysfs tree (MDADM_SYSFS_ROOT) whose "members" are
# fixture images under a fake /dev (MDADM_DEV_ROOT).

bats_require_minimum_version 1.5.0
load lib

PEER=${PEER:-$TOP/build/peer/mdadm}

setup() {
    export MDADM_MAP_DIR="$BATS_TEST_TMPDIR/run-mdadm"
    SYS="$BATS_TEST_TMPDIR/sys"
    DEV="$BATS_TEST_TMPDIR/dev"
    mkdir -p "$SYS/block" "$DEV"
}

# fake_md DEVNM SCENARIO MEMBER...: an inactive md device in the fake sysfs
# whose members are the scenario's fixture images under the fake /dev;
# MEMBER is a fixture member (vda) or FIXTURE=NAME (vda=sdc) to give the
# fake device another kernel name
fake_md() {
    local devnm=$1 scen=$2 m src
    shift 2
    mkdir -p "$SYS/block/$devnm/md"
    echo inactive > "$SYS/block/$devnm/md/array_state"
    echo 1.2 > "$SYS/block/$devnm/md/metadata_version"
    echo "none [bitmap] llbitmap " > "$SYS/block/$devnm/md/bitmap_type"
    : > "$SYS/block/$devnm/uevent"
    : > "$DEV/$devnm"
    for m in "$@"; do
        src=${m%%=*}
        m=${m#*=}
        mkdir -p "$SYS/block/$devnm/md/dev-$m"
        cp --sparse=always "$(fixture_img "$scen" "$src")" "$DEV/$m"
    done
}

# state FILE: what was last written to a fake attribute (our writes do not
# truncate, as sysfs needs no truncation; the old tail is cut off here)
state() { head -c "${2:-9}" "$1"; }

# ours with the fake roots
fake() { MDADM_SYSFS_ROOT="$SYS" MDADM_DEV_ROOT="$DEV" "$MDADM" "$@"; }

# the uuid as the map writes it: each 4-byte group byte-reversed (x86)
map_uuid() {
    local w out=() ws
    IFS=: read -ra ws <<< "$1"
    for w in "${ws[@]}"; do out+=("${w:6:2}${w:4:2}${w:2:2}${w:0:2}"); done
    (IFS=:; echo "${out[*]}")
}

fixture_uuid() { sed -n 's/^MD_UUID=//p' "$FIXTURES/$1/examine-export-vda.txt"; }

# ------------------------------------------------------------------ CLI surface

@test "command-line errors and non-members: same messages and status as upstream" {
    [ -x "$PEER" ] || skip "peer mdadm not installed (tests/install-deps)"
    img=$(fixture_img r1-lockless vda)
    : > "$BATS_TEST_TMPDIR/garbage"
    head -c 1048576 /dev/urandom > "$BATS_TEST_TMPDIR/garbage"
    for args in "-I $img" "-I --export $img" "-I $BATS_TEST_TMPDIR/garbage" \
                "--incremental --export $img --offroot /dev/disk/by-id/x /dev/disk/by-path/y" \
                "-I /nonexistent/x" "-I /dev/null" "-Is /dev/sda" "-Is" "-I" \
                "-If /dev/disk/by-id/x" "-If a b" "-If --scan -R" \
                "--incremental --no-degraded $img" "-I -q $img" "--run /dev/md99"; do
        # shellcheck disable=SC2086
        run --separate-stderr "$PEER" $args
        p_status=$status p_out=$output p_err=$stderr
        # shellcheck disable=SC2086
        run --separate-stderr "$MDADM" $args
        echo "args: $args"
        echo "peer: $p_status [$p_out] [$p_err]"
        echo "ours: $status [$output] [$stderr]"
        [ "$status" = "$p_status" ]
        [ "$output" = "$p_out" ]
        [ "$stderr" = "$p_err" ]
    done
}

@test "-If on a device that is in no array: silent success, -v says so" {
    run --separate-stderr fake -If vdz
    [ "$status" -eq 0 ]; [ -z "$stderr" ]
    run --separate-stderr fake -v -If /dev/vdz
    [ "$status" -eq 0 ]
    [ "$stderr" = "mdadm: vdz does not appear to be a component of any array" ]
}

@test "--incremental --scan --run with no map and no arrays: nothing to do" {
    run --separate-stderr fake -IRs
    [ "$status" -eq 0 ]; [ -z "$output" ]; [ -z "$stderr" ]
    # the (empty) map was rebuilt and written
    [ -f "$MDADM_MAP_DIR/map" ]; [ ! -s "$MDADM_MAP_DIR/map" ]
    [ ! -e "$MDADM_MAP_DIR/map.lock" ]; [ ! -e "$MDADM_MAP_DIR/map.new" ]
}

# ------------------------------------------------------------------ --rebuild-map

@test "--rebuild-map: one line per md device, upstream's uuid word order, local name" {
    fake_md md127 r1-lockless vda vdb
    fake_md md126 r1-internal vda=vdc
    run --separate-stderr fake --incremental --rebuild-map --homehost=fixturehost
    [ "$status" -eq 0 ]; [ -z "$stderr" ]
    u1=$(map_uuid "$(fixture_uuid r1-lockless)")
    u2=$(map_uuid "$(fixture_uuid r1-internal)")
    sort "$MDADM_MAP_DIR/map" > "$BATS_TEST_TMPDIR/got"
    printf '%s\n' "md126 1.2 $u2 /dev/md/r1-internal" "md127 1.2 $u1 /dev/md/r1-lockless" \
        > "$BATS_TEST_TMPDIR/want"
    diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
    # every md device was told to re-read (udev "change")
    [ "$(state "$SYS/block/md127/uevent" 6)" = change ]
    [ "$(state "$SYS/block/md126/uevent" 6)" = change ]
    [ ! -e "$MDADM_MAP_DIR/map.lock" ]; [ ! -e "$MDADM_MAP_DIR/map.new" ]
}

@test "--rebuild-map: foreign names kept whole, /dev/md links and ARRAY lines win" {
    fake_md md127 r1-lockless vda
    fake_md md126 r1-internal vda=vdc
    fake_md md125 r1-none vda=vde
    u1=$(fixture_uuid r1-lockless)
    run --separate-stderr fake -Ir --homehost=otherhost
    [ "$status" -eq 0 ]
    grep -qx "md127 1.2 $(map_uuid "$u1") /dev/md/fixturehost:r1-lockless" "$MDADM_MAP_DIR/map"
    # an existing /dev/md/<x> link to the device gives its name
    mkdir -p "$DEV/md"
    ln -s ../md126 "$DEV/md/data"
    # an ARRAY line with a device name for the uuid gives that
    echo "ARRAY /dev/md/special metadata=1.2 UUID=$u1" > "$BATS_TEST_TMPDIR/conf"
    run --separate-stderr fake -Ir --homehost=otherhost --config="$BATS_TEST_TMPDIR/conf"
    [ "$status" -eq 0 ]
    grep -q "^md127 1.2 .* /dev/md/special\$" "$MDADM_MAP_DIR/map"
    grep -q "^md126 1.2 .* /dev/md/data\$" "$MDADM_MAP_DIR/map"
    grep -q "^md125 1.2 .* /dev/md/fixturehost:r1-none\$" "$MDADM_MAP_DIR/map"
    [ "$(wc -l < "$MDADM_MAP_DIR/map")" -eq 3 ]
}

@test "--rebuild-map: a device whose members have no readable superblock is left out" {
    fake_md md127 r1-lockless vda
    mkdir -p "$SYS/block/md124/md/dev-vdq"
    echo inactive > "$SYS/block/md124/md/array_state"
    head -c 65536 /dev/zero > "$DEV/vdq"
    run --separate-stderr fake -Ir --homehost=fixturehost
    [ "$status" -eq 0 ]
    [ "$(wc -l < "$MDADM_MAP_DIR/map")" -eq 1 ]
    grep -q '^md127 ' "$MDADM_MAP_DIR/map"
}

# ------------------------------------------------------------------ reading the map

@test "--run --scan reads the map: junk and stale lines skipped, bitmap_type written before array_state" {
    fake_md md127 r1-lockless vda vdb
    fake_md md126 r1-internal vda=vdc vdb=vdd
    u1=$(map_uuid "$(fixture_uuid r1-lockless)")
    u2=$(map_uuid "$(fixture_uuid r1-internal)")
    mkdir -p "$MDADM_MAP_DIR"
    cat > "$MDADM_MAP_DIR/map" <<EOF
this is not a map line
md99 1.2 $u1 /dev/md/gone
md127 1.2 ${u1^^} /dev/md/lockless
md126 1.2 $u2 /dev/md/internal
md125 1.2 $u2
md124 ddf:1 $u2 /dev/md/container
EOF
    run --separate-stderr fake -IRs
    echo "$stderr"
    [ "$status" -eq 1 ]
    # classic bitmap: the type is already right, the array is started read-auto
    [[ $stderr =~ "mdadm: started array /dev/md/internal" ]]
    [ "$(state "$SYS/block/md126/md/array_state")" = read-auto ]
    # lockless: llbitmap is written first; this fake kernel does not echo
    # it back in brackets, so the start is abandoned before array_state
    [[ $stderr =~ "mdadm: failed to start array /dev/md/lockless: unexpected md/bitmap_type contents" ]]
    # (sysfs_write does not truncate: a regular file keeps its old tail)
    [[ $(cat "$SYS/block/md127/md/bitmap_type") == llbitmap* ]]
    [ "$(state "$SYS/block/md127/md/array_state" 8)" = inactive ]
    [[ ! $stderr =~ gone|container|md125 ]]
    # reading does not rewrite the map
    grep -q '^this is not a map line$' "$MDADM_MAP_DIR/map"
}

@test "--run /dev/mdX starts only that array, through the map" {
    fake_md md127 r1-internal vda vdb
    fake_md md126 r1-internal vda=vdc
    u=$(map_uuid "$(fixture_uuid r1-internal)")
    mkdir -p "$MDADM_MAP_DIR"
    printf '%s\n' "md127 1.2 $u /dev/md/one" "md126 1.2 $u /dev/md/two" > "$MDADM_MAP_DIR/map"
    run --separate-stderr fake --run md126
    [ "$status" -eq 0 ]
    [ "$stderr" = "mdadm: started array /dev/md/two" ]
    [ "$(state "$SYS/block/md126/md/array_state")" = read-auto ]
    [ "$(state "$SYS/block/md127/md/array_state" 8)" = inactive ]
    # an array that runs already is left alone, silently
    run --separate-stderr fake --run md126
    [ "$status" -eq 0 ]; [ -z "$stderr" ]
    # -q keeps the success quiet
    run --separate-stderr fake -q --run md127
    [ "$status" -eq 0 ]; [ -z "$stderr" ]
    [ "$(state "$SYS/block/md127/md/array_state")" = read-auto ]
}

@test "a held map lock is waited for, then the map is used" {
    fake_md md126 r1-internal vda vdb
    u=$(map_uuid "$(fixture_uuid r1-internal)")
    mkdir -p "$MDADM_MAP_DIR"
    echo "md126 1.2 $u /dev/md/internal" > "$MDADM_MAP_DIR/map"
    command -v flock >/dev/null || skip "flock(1) not installed"
    # hold the lock for a moment in the background (same protocol: flock
    # on map.lock), then release it
    flock "$MDADM_MAP_DIR/map.lock" sleep 1 &
    holder=$!
    for _ in $(seq 100); do [ -e "$MDADM_MAP_DIR/map.lock" ] && break; sleep 0.01; done
    start=$(date +%s%N)
    run --separate-stderr fake -IRs
    end=$(date +%s%N)
    wait "$holder"
    [ "$status" -eq 0 ]
    [[ $stderr =~ "started array /dev/md/internal" ]]
    # it waited for the holder (about a second), it did not skip the lock
    [ $(( (end - start) / 1000000 )) -ge 500 ]
}

@test "a waiter sleeps in flock until the map lock is free, it does not poll" {
    command -v flock >/dev/null || skip "flock(1) not installed"
    command -v strace >/dev/null || skip "strace not installed"
    fake_md md126 r1-internal vda vdb
    u=$(map_uuid "$(fixture_uuid r1-internal)")
    mkdir -p "$MDADM_MAP_DIR"
    echo "md126 1.2 $u /dev/md/internal" > "$MDADM_MAP_DIR/map"
    # held for a second from the moment "held" appears
    flock "$MDADM_MAP_DIR/map.lock" -c "touch '$BATS_TEST_TMPDIR/held'; sleep 1" &
    holder=$!
    for _ in $(seq 200); do [ -e "$BATS_TEST_TMPDIR/held" ] && break; sleep 0.01; done
    [ -e "$BATS_TEST_TMPDIR/held" ]
    MDADM_SYSFS_ROOT="$SYS" MDADM_DEV_ROOT="$DEV" \
        strace -f -qq -e trace=flock -o "$BATS_TEST_TMPDIR/trace" "$MDADM" -IRs 2> "$BATS_TEST_TMPDIR/err"
    wait "$holder"
    cat "$BATS_TEST_TMPDIR/trace" "$BATS_TEST_TMPDIR/err"
    grep -q "started array /dev/md/internal" "$BATS_TEST_TMPDIR/err"
    # one try, then one call that sleeps until the holder lets go (a
    # poll every 10 ms made about a hundred calls in that second)
    grep -Eq '^[0-9]+ +flock\([0-9]+, LOCK_EX\|LOCK_NB\) += -1 EAGAIN' "$BATS_TEST_TMPDIR/trace"
    grep -Eq '^[0-9]+ +flock\([0-9]+, LOCK_EX\) += 0$' "$BATS_TEST_TMPDIR/trace"
    [ "$(grep -c 'flock(' "$BATS_TEST_TMPDIR/trace")" -le 3 ]
}
