#!/usr/bin/env bats
# VM tier: OUR --create on the real md/llbitmap kernel (Linux 7.2.13).
# Run with tests/vm/run (host side; boots the VM with 4 x 320 MiB disks).
#
# The references are the kernel (sysfs, /proc/mdstat, md/llbitmap/bits)
# and the peer, upstream mdadm 4.6: its --examine must print exactly what
# ours prints on the members we wrote, its --detail must describe the
# running array, its --assemble must start it again. Arrays are stopped
# with our --stop once that exists, else with the peer's.
#
# Groups: every level x bitmap type; the lockless bitmap's behaviour on the
# kernel (no initial resync, unwritten -> dirty -> clean, raid5's lazy
# parity, counts after the stop). The rest of --create is in
# 31-create-more.bats (two files, so that neither VM runs long).

load lib
load lib-create

setup_file() { vm_file_start; }
teardown_file() { vm_file_end; }
setup() { create_test_setup; }
teardown() { create_test_teardown; }

# ===================================================== level x bitmap type
# CI runs each level once per bitmap kind where the kind's code differs:
# raid4 (raid5's parity code with another layout) and the classic bitmap
# on raid6/raid10 (as on raid1/raid5) are left to the full matrix

# check_level LEVEL NDEVICES BITMAP: create with ours; the kernel runs what
# was asked; the peer's --detail, --examine and (classic) --examine-bitmap
# agree; for lockless every chunk is unwritten and our -X says so
check_level() {
    local level=$1 n=$2 bitmap=$3 m st det ex want_bt want_chunk policy kb sizek
    local members=("${DISKS[@]:0:$n}") size=()
    fresh
    case $level in raid0|linear) ;; *) size=(--size=32M) ;; esac
    create_ours --run --level="$level" --raid-devices="$n" --bitmap="$bitmap" \
        --name="$level-$bitmap" "${size[@]}" "${members[@]}"

    # the kernel runs what was asked
    expect_eq md/level "$(md_attr level)" "$level"
    expect_eq md/raid_disks "$(md_attr raid_disks)" "$n"
    case $level in raid1|linear) want_chunk=0 ;; *) want_chunk=524288 ;; esac
    expect_eq md/chunk_size "$(md_attr chunk_size)" "$want_chunk"
    st=$(md_attr array_state)
    # write-pending: running, a superblock update on its way (seen under load)
    [[ $st =~ ^(clean|active|active-idle|write-pending)$ ]] || { echo "md/array_state: $st"; return 1; }
    case $bitmap in
    none) want_bt='[none]' ;; internal) want_bt='[bitmap]' ;; lockless) want_bt='[llbitmap]' ;;
    esac
    [[ $(md_attr bitmap_type) == *"$want_bt"* ]] ||
        { echo "md/bitmap_type: $(md_attr bitmap_type), want $want_bt"; return 1; }
    [ "${#size[@]}" = 0 ] || expect_eq md/component_size "$(md_attr component_size)" 32768
    # raid4/5 without a lockless bitmap start degraded and recover onto
    # their last member, as mdadm 4.6 builds them: wait for it first
    [ "${#size[@]}" = 0 ] || [ "$bitmap" = lockless ] || wait_idle $MD 300
    for m in "${members[@]}"; do
        [[ $(cat "$MDSYS/dev-${m##*/}/state") == *in_sync* ]] ||
            { echo "$m: $(cat "$MDSYS/dev-${m##*/}/state")"; return 1; }
    done
    if [ "$bitmap" = lockless ]; then
        kb=$(bits_now)
        expect_eq "unwritten chunks" "$(kv unwritten "$kb")" "$(llb_chunks)"
        for m in clean dirty need_sync syncing; do expect_eq "$m chunks" "$(kv $m "$kb")" 0; done
    fi
    [ "${#size[@]}" = 0 ] || wait_idle $MD 300

    # the peer's --detail of our running array
    det=$(peer --detail $MD) || { echo "peer --detail $MD failed"; return 1; }
    expect_eq "Raid Level" "$(field <(echo "$det") 'Raid Level')" "$level"
    expect_eq "Raid Devices" "$(field <(echo "$det") 'Raid Devices')" "$n"
    expect_eq "Active Devices" "$(field <(echo "$det") 'Active Devices')" "$n"
    sizek=$(($(cat /sys/block/md0/size) / 2))
    [[ $(field <(echo "$det") 'Array Size') == "$sizek "* ]] ||
        { echo "Array Size: $(field <(echo "$det") 'Array Size'), kernel $sizek KiB"; return 1; }
    case $bitmap:$level in
    none:raid0|none:linear) policy=none ;; none:*) policy=resync ;; *) policy=bitmap ;;
    esac
    expect_eq "Consistency Policy" "$(field <(echo "$det") 'Consistency Policy')" "$policy"
    if [ "$bitmap" = none ]; then
        expect_eq "Intent Bitmap" "$(field <(echo "$det") 'Intent Bitmap')" ""
    else
        expect_eq "Intent Bitmap" "$(field <(echo "$det") 'Intent Bitmap')" Internal
    fi

    stop_md $MD
    # the peer reads every member exactly as we do
    for m in "${members[@]}"; do
        compare_tools --examine "$m"
    done
    compare_tools --examine --homehost="$HOMEHOST" "${members[0]}"
    ex=$(peer --examine "${members[0]}")
    expect_eq "examine Raid Level" "$(examine_field "$ex" 'Raid Level')" "$level"
    expect_eq "examine Raid Devices" "$(examine_field "$ex" 'Raid Devices')" "$n"
    case $bitmap in
    none)
        expect_eq "Internal Bitmap" "$(examine_field "$ex" 'Internal Bitmap')" "" ;;
    internal)
        expect_eq "Internal Bitmap" "$(examine_field "$ex" 'Internal Bitmap')" \
            "8 sectors from superblock"
        for m in "${members[@]}"; do compare_tools --examine-bitmap "$m"; done ;;
    lockless)
        # nothing was written: the disk holds what the kernel had
        for m in "${members[@]}"; do check_member_states "$kb" "$m"; done ;;
    esac
}

@test "raid0, no bitmap" { check_level raid0 2 none; }
@test "linear, no bitmap" { check_level linear 2 none; }
@test "raid1, no bitmap" { check_level raid1 2 none; }
@test "raid1, internal bitmap" { check_level raid1 2 internal; }
@test "raid1, lockless bitmap" { check_level raid1 2 lockless; }
@test "raid4, no bitmap" { full_only; check_level raid4 3 none; }
@test "raid4, internal bitmap" { full_only; check_level raid4 3 internal; }
@test "raid4, lockless bitmap" { full_only; check_level raid4 3 lockless; }
@test "raid5, no bitmap" { check_level raid5 3 none; }
@test "raid5, internal bitmap" { check_level raid5 3 internal; }
@test "raid5, lockless bitmap" { check_level raid5 3 lockless; }
@test "raid6, no bitmap" { check_level raid6 4 none; }
@test "raid6, internal bitmap" { full_only; check_level raid6 4 internal; }
@test "raid6, lockless bitmap" { check_level raid6 4 lockless; }
@test "raid10, no bitmap" { check_level raid10 4 none; }
@test "raid10, internal bitmap" { full_only; check_level raid10 4 internal; }
@test "raid10, lockless bitmap" { check_level raid10 4 lockless; }

@test "refused: a lockless bitmap on raid0" {
    prime_disks
    expect_refused 'bitmap.*(not meaningful|raid0)' $MD --run --level=0 --raid-devices=2 \
        --bitmap=lockless "${DISKS[@]:0:2}"
}
@test "refused: an internal bitmap on raid0" {
    prime_disks
    expect_refused 'bitmap.*(not meaningful|raid0)' $MD --run --level=0 --raid-devices=2 \
        --bitmap=internal "${DISKS[@]:0:2}"
}
@test "refused: a lockless bitmap on linear" {
    prime_disks
    expect_refused 'bitmap.*(not meaningful|linear)' $MD --run --level=linear --raid-devices=2 \
        --bitmap=lockless "${DISKS[@]:0:2}"
}
@test "refused: an internal bitmap on linear" {
    prime_disks
    expect_refused 'bitmap.*(not meaningful|linear)' $MD --run --level=linear --raid-devices=2 \
        --bitmap=internal "${DISKS[@]:0:2}"
}

# ===================================================== lockless on the kernel

# writes_go_dirty_then_clean CHUNKS: after the caller's writes (the last
# one a moment ago) chunks are dirty, none needs a sync, the rest is still
# unwritten; with the daemon shortened (daemon_sleep 1 since the create)
# every dirty chunk becomes clean. The daemon may already have cleaned the
# first writes' chunks (barrier_idle 5 s) under a loaded host, so clean
# ones count as written too.
writes_go_dirty_then_clean() {
    local chunks=$1 b dirty clean unwritten
    b=$(bits_now)
    dirty=$(kv dirty "$b"); clean=$(kv clean "$b"); unwritten=$(kv unwritten "$b")
    [ "$dirty" -ge 1 ] && [ $((dirty + clean)) -ge 2 ] ||
        { echo "after the writes: $(echo $b)"; return 1; }
    expect_eq "unwritten + clean + dirty" $((unwritten + clean + dirty)) "$chunks"
    expect_eq "need sync" "$(kv need_sync "$b")" 0
    echo 1 > "$MDSYS/llbitmap/barrier_idle"
    poll_until 60 grep -qx 'dirty 0' "$MDSYS/llbitmap/bits" ||
        { echo "still dirty after 60 s:"; cat "$MDSYS/llbitmap/bits"; return 1; }
    expect_eq clean "$(bits_of clean)" $((dirty + clean))
    expect_eq unwritten "$(bits_of unwritten)" "$unwritten"
}

# stopped_counts_match MEMBERS...: stop md0; our -X on every member shows
# the counts the kernel had before the stop (dirty ones clean), no invalid
stopped_counts_match() {
    local kb m got
    kb=$(folded "$(bits_now)")
    stop_md $MD
    for m in "$@"; do check_member_states "$kb" "$m"; done
}

@test "lockless raid1: no initial resync, all unwritten; writes go dirty, then clean; -X after stop" {
    local chunks
    fresh
    throttle_resync
    create_ours --run --level=1 --raid-devices=2 --bitmap=lockless "${DISKS[@]:0:2}"
    expect_no_initial_resync
    unthrottle_resync
    chunks=$(llb_chunks)
    [ "$chunks" -gt 3072 ] || { echo "only $chunks chunks"; return 1; }
    expect_eq unwritten "$(bits_of unwritten)" "$chunks"
    echo 1 > "$MDSYS/llbitmap/daemon_sleep"
    write_pattern $MD $((4 << 20)) 0
    write_pattern $MD 4096 $((100 << 20))
    writes_go_dirty_then_clean "$chunks"
    stopped_counts_match "${DISKS[@]:0:2}"
}

@test "lockless raid1 --assume-clean: every chunk clean, no resync" {
    fresh
    throttle_resync
    create_ours --run --level=1 --raid-devices=2 --bitmap=lockless --assume-clean --size=32M \
        "${DISKS[@]:0:2}"
    expect_no_initial_resync
    expect_eq clean "$(bits_of clean)" "$(llb_chunks)"
    expect_eq unwritten "$(bits_of unwritten)" 0
    expect_eq "chunks for 32 MiB" "$(llb_chunks)" 512
    stopped_counts_match "${DISKS[@]:0:2}"
}

@test "lockless raid10: writes go dirty, then clean; -X after stop" {
    local chunks
    fresh
    throttle_resync
    create_ours --run --level=10 --raid-devices=4 --bitmap=lockless --size=64M "${DISKS[@]}"
    expect_no_initial_resync
    unthrottle_resync
    chunks=$(llb_chunks)
    expect_eq "chunks for 128 MiB" "$chunks" 2048
    expect_eq unwritten "$(bits_of unwritten)" "$chunks"
    echo 1 > "$MDSYS/llbitmap/daemon_sleep"
    write_pattern $MD $((1 << 20)) 0
    write_pattern $MD 4096 $((100 << 20))
    writes_go_dirty_then_clean "$chunks"
    stopped_counts_match "${DISKS[@]}"
}

@test "lockless raid5: the first write needs sync, the lazy recovery makes it dirty/clean" {
    local chunks ns
    fresh
    throttle_resync
    create_ours --run --level=5 --raid-devices=3 --bitmap=lockless --size=64M "${DISKS[@]:0:3}"
    expect_no_initial_resync
    unthrottle_resync
    chunks=$(llb_chunks)
    expect_eq unwritten "$(bits_of unwritten)" "$chunks"
    # frozen: the lazy recovery cannot run, so the state stays visible
    echo frozen > "$MDSYS/sync_action"
    write_pattern $MD 4096 $((10 << 20))
    ns=$(bits_of need_sync)
    [ "$ns" -ge 1 ] || { echo "no need-sync chunk after a partial-stripe write:"; cat "$MDSYS/llbitmap/bits"; return 1; }
    expect_eq "unwritten + need sync" $(($(bits_of unwritten) + ns)) "$chunks"
    expect_eq dirty "$(bits_of dirty)" 0
    echo idle > "$MDSYS/sync_action"
    poll_until 60 bash -c "! grep -Eq '^(need sync|syncing) [1-9]' $MDSYS/llbitmap/bits" ||
        { echo "lazy recovery did not finish:"; cat "$MDSYS/llbitmap/bits"; return 1; }
    wait_idle $MD 60
    expect_eq "dirty + clean" $(($(bits_of dirty) + $(bits_of clean))) "$ns"
    stopped_counts_match "${DISKS[@]:0:3}"
}

@test "initial resync: full for none and internal, none for lockless" {
    local b seen i
    throttle_resync
    for b in none internal; do
        fresh
        create_ours --run --level=1 --raid-devices=2 --bitmap=$b "${DISKS[@]:0:2}"
        seen=0
        for ((i = 0; i < 40; i++)); do
            if [ "$(md_attr sync_action)" = resync ] &&
               grep -A3 '^md0 :' /proc/mdstat | grep -q 'resync *='; then
                seen=1; break
            fi
            sleep 0.25
        done
        [ "$seen" = 1 ] || { echo "$b: no resync seen"; cat /proc/mdstat; return 1; }
        [ "$(md_attr sync_completed)" != none ]
        stop_md $MD
    done
    fresh
    create_ours --run --level=1 --raid-devices=2 --bitmap=lockless "${DISKS[@]:0:2}"
    expect_no_initial_resync
    expect_eq unwritten "$(bits_of unwritten)" "$(llb_chunks)"
}
