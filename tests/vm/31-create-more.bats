#!/usr/bin/env bats
# VM tier: OUR --create on the real md/llbitmap kernel (Linux 7.2.13), part 2
# (part 1 is 30-create.bats: every level x bitmap type and the lockless
# bitmap's behaviour on the kernel). Run with tests/vm/run (4 x 320 MiB disks).
#
# Groups: --logical-block-size; metadata 1.0/1.1 and the layout against the
# peer's own; the bad-block log placement; bad input (one error line,
# non-zero exit, no byte changed on any disk); the overwrite question;
# degraded creates; the kernel's legacy_async_del_gendisk.

load lib
load lib-create

setup_file() { vm_file_start; }
teardown_file() { vm_file_end; }
setup() { create_test_setup; }
teardown() { create_test_teardown; }

# ===================================================== logical block size

# check_lbs4096 BITMAP: --logical-block-size=4096 on 512-byte disks
check_lbs4096() {
    fresh
    expect_eq "disk block size" "$(blockdev --getss "${DISKS[0]}")" 512
    create_ours --run --level=1 --raid-devices=2 --bitmap="$1" --logical-block-size=4096 \
        --size=32M "${DISKS[@]:0:2}"
    expect_eq queue/logical_block_size "$(cat /sys/block/md0/queue/logical_block_size)" 4096
    expect_eq "blockdev --getss" "$(blockdev --getss $MD)" 4096
    expect_eq md/logical_block_size "$(md_attr logical_block_size)" 4096
    wait_idle $MD 120
    stop_md $MD
    # persisted in the superblock: the peer assembles it with 4096 again
    peer --assemble $MD "${DISKS[@]:0:2}"
    expect_eq "after assemble: queue/logical_block_size" \
        "$(cat /sys/block/md0/queue/logical_block_size)" 4096
    expect_eq "after assemble: blockdev --getss" "$(blockdev --getss $MD)" 4096
    expect_eq "after assemble: raid_disks" "$(md_attr raid_disks)" 2
    stop_md $MD
    compare_tools --examine "${DISKS[0]}"
}

@test "--logical-block-size=4096 with an internal bitmap: 4096 and persisted" { check_lbs4096 internal; }
@test "--logical-block-size=4096 without a bitmap: 4096 and persisted" { check_lbs4096 none; }

@test "refused: --logical-block-size=4096 with the lockless bitmap (kernel bug)" {
    prime_disks
    expect_refused 'lockless.*4096|4096.*lockless' $MD --run --level=1 --raid-devices=2 \
        --bitmap=lockless --logical-block-size=4096 "${DISKS[@]:0:2}"
}

@test "--logical-block-size=512 on 512-byte disks: created and running" {
    local b
    for b in lockless none; do
        fresh
        create_ours --run --level=1 --raid-devices=2 --bitmap=$b --logical-block-size=512 \
            --size=32M "${DISKS[@]:0:2}"
        [[ $(md_attr array_state) =~ ^(clean|active|active-idle)$ ]]
        expect_eq queue/logical_block_size "$(cat /sys/block/md0/queue/logical_block_size)" 512
        expect_eq md/logical_block_size "$(md_attr logical_block_size)" 512
        write_pattern $MD 4096 0
        wait_idle $MD 120
        stop_md $MD
    done
}

# ===================================================== metadata 1.0 and 1.1

@test "-e 1.0 raid1: stop and assemble (peer) five times, never 'Unable to initialize sysfs'" {
    local i out
    fresh
    create_ours --run --level=1 --raid-devices=2 --metadata=1.0 --size=32M "${DISKS[@]:0:2}"
    wait_idle $MD 120
    stop_md $MD
    for ((i = 1; i <= 5; i++)); do
        out=$(peer --assemble $MD "${DISKS[@]:0:2}" 2>&1) || { echo "round $i: $out"; return 1; }
        [[ $out != *"Unable to initialize sysfs"* ]] || { echo "round $i: $out"; return 1; }
        [[ $out == *"started with 2 drives"* ]] || { echo "round $i: $out"; return 1; }
        expect_eq "round $i metadata_version" "$(md_attr metadata_version)" 1.0
        stop_md $MD
    done
}

# check_meta MINOR BITMAP: our create with -e 1.MINOR; the peer examines,
# details and assembles it
check_meta() {
    local minor=$1 bitmap=$2 m
    fresh
    create_ours --run --level=1 --raid-devices=2 --metadata=1.$minor --bitmap="$bitmap" \
        --size=32M "${DISKS[@]:0:2}"
    expect_eq md/metadata_version "$(md_attr metadata_version)" "1.$minor"
    wait_idle $MD 120
    expect_eq "detail Version" "$(field <(peer --detail $MD) Version)" "1.$minor"
    stop_md $MD
    for m in "${DISKS[@]:0:2}"; do
        compare_examine "$m"
        expect_eq "$m Version" "$(field <(peer --examine "$m") Version)" "1.$minor"
        [ "$bitmap" = internal ] && compare_tools --examine-bitmap "$m"
    done
    [[ $(peer --assemble $MD "${DISKS[@]:0:2}" 2>&1) == *"started with 2 drives"* ]]
    stop_md $MD
}

@test "-e 1.0, no bitmap: the peer examines and assembles it" { check_meta 0 none; }
@test "-e 1.0, internal bitmap: the peer examines and assembles it" { check_meta 0 internal; }
@test "-e 1.1, no bitmap: the peer examines and assembles it" { check_meta 1 none; }
@test "-e 1.1, internal bitmap: the peer examines and assembles it" { check_meta 1 internal; }

@test "layout equals the peer's own create (raid1 none/internal x 1.0/1.1/1.2, raid0, linear, raid5; lockless: only the bad-block log moves)" {
    local cfg bad=0 p=$BATS_TEST_TMPDIR/peer o=$BATS_TEST_TMPDIR/ours
    # CI: each metadata version, bitmap kind and level once; the full
    # matrix (tests/vm/run --full) every combination below
    local cfgs=("1 2 1.0 internal" "1 2 1.1 none" "1 2 1.2 lockless" "0 2 1.2 none"
                "linear 2 1.0 none" "5 3 1.2 internal")
    [ "${VM_FULL:-0}" = 1 ] && cfgs+=("1 2 1.0 none" "1 2 1.1 internal" "1 2 1.2 none"
                                      "1 2 1.2 internal" "0 2 1.0 none" "linear 2 1.2 none")
    for cfg in "${cfgs[@]}"; do
        set -- $cfg
        local e=(--level=$1 --raid-devices=$2 --metadata=$3 --bitmap=$4)
        local members=("${DISKS[@]:0:$2}")
        fresh
        peer --create $MD --run --assume-clean "${e[@]}" "${members[@]}" > /dev/null 2>&1 ||
            { echo "peer --create ${e[*]} failed"; return 1; }
        layout_lines "${DISKS[0]}" > "$p"
        stop_md $MD
        wipe_disks
        create_ours --run --assume-clean "${e[@]}" "${members[@]}"
        layout_lines "${DISKS[0]}" > "$o"
        stop_md $MD
        if [ "$4" = lockless ]; then
            # ours keeps the log clear of the 264 sectors the kernel may write
            grep -qx ' *Bad Block Log : 512 entries available at offset 16 sectors' "$p"
            grep -qx ' *Bad Block Log : 512 entries available at offset 272 sectors' "$o"
            sed -i '/Bad Block Log\|Unused Space/d' "$p" "$o"
        fi
        diff -u --label "peer ${e[*]}" --label "ours ${e[*]}" "$p" "$o" || bad=1
    done
    return $bad
}

# ===================================================== bad-block log placement

# bad_block_after_high_writes CREATOR: a lockless raid1 made by CREATOR
# (ours/peer); writes at 200 and 300 MiB (state bytes beyond chunk 3072, i.e.
# past the first 4 KiB of the bitmap), a bad block recorded on vda, stop.
# Leaves the kernel's bits before the stop in KB.
bad_block_after_high_writes() {
    fresh
    if [ "$1" = ours ]; then
        create_ours --run --level=1 --raid-devices=2 --bitmap=lockless "${DISKS[@]:0:2}"
    else
        peer --create $MD --run --level=1 --raid-devices=2 --bitmap=lockless \
            "${DISKS[@]:0:2}" > /dev/null 2>&1
    fi
    write_pattern $MD $((8 << 20)) $((200 << 20))
    write_pattern $MD $((8 << 20)) $((300 << 20))
    echo "1000 8" > "$MDSYS/dev-${DISKS[0]##*/}/bad_blocks"
    expect_eq "recorded bad blocks" "$(cat "$MDSYS/dev-${DISKS[0]##*/}/bad_blocks")" "1000 8"
    # let md write the superblock and the log
    poll_until 10 bash -c "[ -z \"\$(cat $MDSYS/dev-${DISKS[0]##*/}/unacknowledged_bad_blocks)\" ]"
    sleep 1
    KB=$(folded "$(bits_now)")
    stop_md $MD
}

@test "bad-block log after the whole lockless extent: a recorded bad block survives high writes" {
    local m got list
    bad_block_after_high_writes ours
    expect_eq "Bad Block Log" "$(field <(peer --examine "${DISKS[0]}") 'Bad Block Log')" \
        "512 entries available at offset 272 sectors - bad blocks present."
    list=$(peer --examine-badblocks "${DISKS[0]}")
    expect_eq "bad blocks on ${DISKS[0]}" "$(sed 1d <<< "$list" | tr -s ' ' | sed 's/^ //')" "1000 for 8 sectors"
    [[ $(peer --examine-badblocks "${DISKS[1]}") == *"list is empty"* ]]
    for m in "${DISKS[@]:0:2}"; do
        check_member_states "$KB" "$m"
        compare_tools --examine "$m"
    done
    # both members come back, with the bad block
    [[ $(peer --assemble $MD "${DISKS[@]:0:2}" 2>&1) == *"started with 2 drives"* ]]
    expect_eq degraded "$(md_attr degraded)" 0
    expect_eq "bad blocks after assemble" "$(cat "$MDSYS/dev-${DISKS[0]##*/}/bad_blocks")" "1000 8"
    stop_md $MD
}

# The same on mdadm 4.6's layout (log at 16 sectors, inside the bitmap's
# second page): the kernel's bitmap flush and its log writes overwrite each
# other, so either the bad block is lost or state bytes are garbage. This
# documents why ours moves the log; it asserts the peer's failure.
@test "contrast: on mdadm 4.6's lockless layout the bad-block log and the bitmap collide" {
    local list got lost=0 invalid
    bad_block_after_high_writes peer
    expect_eq "peer's Bad Block Log" "$(field <(peer --examine "${DISKS[0]}") 'Bad Block Log' | sed 's/ - bad.*//')" \
        "512 entries available at offset 16 sectors"
    list=$(peer --examine-badblocks "${DISKS[0]}" 2>&1)
    [[ $list == *"1000 for 8 sectors"* ]] || lost=1
    got=$(ours_states "${DISKS[0]}")
    invalid=$(kv invalid "$got")
    echo "# peer layout: bad block lost=$lost, invalid state bytes=$invalid" >&3
    [ "$lost" = 1 ] || [ "$invalid" != 0 ] || ! check_states_equal "$KB" "$got" ||
        { echo "the peer's layout survived: $list"; return 1; }
}

# ===================================================== bad input

@test "refused: the lockless bitmap with metadata 0.90" {
    prime_disks
    expect_refused 'lockless bitmap needs version 1 metadata' $MD --run --level=1 --raid-devices=2 \
        --metadata=0.90 --bitmap=lockless "${DISKS[@]:0:2}"
}
@test "refused: the lockless bitmap with metadata 1.0" {
    prime_disks
    expect_refused 'lockless.*1\.[12]|1\.[12].*lockless' $MD --run --level=1 --raid-devices=2 \
        --metadata=1.0 --bitmap=lockless "${DISKS[@]:0:2}"
}
@test "refused: --bitmap-chunk with the lockless bitmap" {
    prime_disks
    expect_refused 'bitmap-chunk' $MD --run --level=1 --raid-devices=2 --bitmap=lockless \
        --bitmap-chunk=64M "${DISKS[@]:0:2}"
}
@test "refused: --logical-block-size=1000" {
    prime_disks
    expect_refused 'logical block size.*1000' $MD --run --level=1 --raid-devices=2 \
        --logical-block-size=1000 "${DISKS[@]:0:2}"
}
@test "refused: --logical-block-size=131072 (128 KiB)" {
    prime_disks
    expect_refused 'logical block size.*131072' $MD --run --level=1 --raid-devices=2 \
        --logical-block-size=131072 "${DISKS[@]:0:2}"
}
@test "refused: a member given twice" {
    prime_disks
    expect_refused "${DISKS[1]}.*twice" $MD --run --level=5 --raid-devices=3 \
        "${DISKS[0]}" "${DISKS[1]}" "${DISKS[1]}"
}
@test "refused: a member given twice under another name (symlink)" {
    prime_disks
    ln -sf "${DISKS[0]}" "$BATS_TEST_TMPDIR/alias"
    expect_refused "alias.*twice" $MD --run --level=1 --raid-devices=2 \
        "${DISKS[0]}" "$BATS_TEST_TMPDIR/alias"
}
@test "refused: a member too small (1 MiB loop device)" {
    prime_disks
    truncate -s 1M /tmp/create-small.img
    LOOPDEV=$(losetup --find --show /tmp/create-small.img)
    expect_refused 'too small' $MD --run --level=1 --raid-devices=2 "${DISKS[0]}" "$LOOPDEV"
    losetup -d "$LOOPDEV"
    LOOPDEV=
}
@test "refused: a member in use by another array" {
    local st
    prime_disks
    peer --create /dev/md1 --run --assume-clean --level=1 --raid-devices=2 --bitmap=none \
        "${DISKS[@]:0:2}" > /dev/null 2>&1
    peer --readonly /dev/md1      # no superblock updates while we checksum
    expect_refused "${DISKS[1]}.*(busy|in use)" $MD --run --level=1 --raid-devices=2 \
        "${DISKS[1]}" "${DISKS[2]}"
    st=$(cat /sys/block/md1/md/array_state)
    [ "$st" = readonly ] || { echo "md1 is $st"; return 1; }
    expect_eq "md1 degraded" "$(cat /sys/block/md1/md/degraded)" 0
    stop_md /dev/md1
}
@test "refused: a regular file as member" {
    prime_disks
    truncate -s 400M /tmp/create-file.img
    expect_refused 'create-file.img.*not a block device' $MD --run --level=1 --raid-devices=2 \
        "${DISKS[0]}" /tmp/create-file.img
}
@test "refused: a member that does not exist" {
    prime_disks
    expect_refused '/dev/nonexistent-disk.*(no such|not exist)' $MD --run --level=1 \
        --raid-devices=2 "${DISKS[0]}" /dev/nonexistent-disk
}

# ===================================================== the overwrite question

@test "without --run: old superblocks ask; no answer or 'n' aborts and writes nothing" {
    local before after t=$BATS_TEST_TMPDIR rc
    prime_disks
    before=$(disk_sums)
    rc=0
    ours --create $MD --level=1 --raid-devices=2 --homehost="$HOMEHOST" "${DISKS[@]:0:2}" \
        < /dev/null > "$t/out" 2> "$t/err" || rc=$?
    expect_eq "exit status (stdin /dev/null)" "$rc" 1
    grep -q "${DISKS[0]} appears to be part of a raid array" "$t/err"
    grep -q 'Continue creating array' "$t/err"
    grep -q 'create aborted' "$t/err"
    rc=0
    printf 'n\n' | ours --create $MD --level=1 --raid-devices=2 --homehost="$HOMEHOST" \
        "${DISKS[@]:0:2}" > "$t/out" 2> "$t/err" || rc=$?
    expect_eq "exit status (answer n)" "$rc" 1
    grep -q 'create aborted' "$t/err"
    after=$(disk_sums)
    [ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after"); return 1; }
    no_array_left md0
}

@test "without --run: the bitmap question comes first (as in mdadm 4.6); 'n' then 'y' creates without one" {
    local t=$BATS_TEST_TMPDIR rc=0
    prime_disks
    printf 'n\ny\n' | ours --create $MD --level=1 --raid-devices=2 --size=32M \
        --homehost="$HOMEHOST" "${DISKS[@]:0:2}" > "$t/out" 2> "$t/err" || rc=$?
    expect_eq "exit status" "$rc" 0
    # the bitmap question, then the overwrite question
    grep -n -e 'write-intent bitmap' -e 'Continue creating array' "$t/err" | cut -d: -f1 |
        tr '\n' ' ' | { read -r a b; [ -n "$b" ] && [ "$a" -lt "$b" ]; } ||
        { echo "question order:"; cat "$t/err"; return 1; }
    [[ $(md_attr array_state) =~ ^(clean|active|active-idle)$ ]]
    [[ $(md_attr bitmap_type) == *'[none]'* ]] || { echo "bitmap_type $(md_attr bitmap_type)"; return 1; }
    wait_idle $MD 120
    stop_md $MD
}

@test "without --run: answering y creates the array (and the bitmap it offers)" {
    local t=$BATS_TEST_TMPDIR rc=0
    prime_disks
    { yes 2>/dev/null || :; } | ours --create $MD --level=1 --raid-devices=2 --size=32M --homehost="$HOMEHOST" \
        "${DISKS[@]:0:2}" > "$t/out" 2> "$t/err" || rc=$?
    cat "$t/err"
    expect_eq "exit status" "$rc" 0
    grep -q 'Continue creating array' "$t/err"
    grep -q 'write-intent bitmap' "$t/err"
    [[ $(md_attr array_state) =~ ^(clean|active|active-idle)$ ]]
    expect_eq md/raid_disks "$(md_attr raid_disks)" 2
    # "y" to the bitmap question: metadata 1.2 gets the lockless bitmap
    [[ $(md_attr bitmap_type) == *'[llbitmap]'* ]]
    expect_eq unwritten "$(bits_of unwritten)" "$(llb_chunks)"
    stop_md $MD
    expect_eq Name "$(field <(peer --examine "${DISKS[0]}") Name)" "$HOMEHOST:0"
}

@test "a degraded RAID1 with two present mirrors resyncs them: they end equal" {
    fresh
    # different old contents on the two present disks, where the data goes
    dd if=/dev/urandom of="${DISKS[1]}" bs=1M seek=8 count=24 oflag=direct status=none
    create_ours --run --level=1 --raid-devices=3 --bitmap=none --size=32M \
        "${DISKS[0]}" "${DISKS[1]}" missing
    [ "$(md_attr degraded)" = 1 ]
    wait_idle $MD 300
    expect_eq md/resync_start "$(md_attr resync_start)" none
    echo check > $MDSYS/sync_action
    wait_idle $MD 300
    expect_eq mismatch_cnt "$(md_attr mismatch_cnt)" 0
    stop_md $MD
}

@test "a degraded RAID5 (one member missing) starts clean, without a resync it could not do" {
    fresh
    create_ours --run --level=5 --raid-devices=3 --bitmap=none --size=32M \
        "${DISKS[0]}" "${DISKS[1]}" missing
    [[ $(md_attr array_state) =~ ^(clean|active|active-idle)$ ]]
    expect_eq md/resync_start "$(md_attr resync_start)" none
    stop_md $MD
}

# ===================================================== legacy_async_del_gendisk

ASYNC_PARAM=/sys/module/md_mod/parameters/legacy_async_del_gendisk

# async_lines: how many "async del_gendisk" lines the kernel has logged
async_lines() { dmesg | grep -c 'async del_gendisk' || :; }

@test "--create and --stop leave no 'async del_gendisk' line in the kernel log: N is set before the md device is allocated" {
    [ -e "$ASYNC_PARAM" ] || skip "this kernel has no legacy_async_del_gendisk"
    local before
    fresh
    # the kernel's default (the peer may have switched it already)
    echo Y > "$ASYNC_PARAM"
    before=$(async_lines)
    create_ours --run --level=1 --raid-devices=2 --bitmap=lockless --size=32M "${DISKS[@]:0:2}"
    expect_eq legacy_async_del_gendisk "$(cat "$ASYNC_PARAM")" N
    ours --stop $MD
    # synchronous deletion: the md device is gone when --stop returns
    [ ! -e /sys/block/md0 ] || { echo "md0 still in sysfs after --stop"; return 1; }
    expect_eq "async del_gendisk lines" "$(async_lines)" "$before"
    # and again by assembly, which allocates a new md device
    echo Y > "$ASYNC_PARAM"
    ours --assemble $MD "${DISKS[@]:0:2}"
    expect_eq legacy_async_del_gendisk "$(cat "$ASYNC_PARAM")" N
    ours --stop $MD
    expect_eq "async del_gendisk lines" "$(async_lines)" "$before"
}
