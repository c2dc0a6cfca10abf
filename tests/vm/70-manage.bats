#!/usr/bin/env bats
# --manage on the real kernel: --fail, --remove, --re-add, --add,
# --add-spare on arrays with the lockless bitmap (and the classic one and
# none where it matters). The heart of it: a member that comes back after
# being away (assembled degraded with --run, or failed and removed) gets
# only the chunks written meanwhile, measured in sectors the kernel wrote
# to it and compared with the lockless bitmap's count of such chunks.
# Then what must be refused without touching anything, and the peer on the
# same arrays both ways.

bats_require_minimum_version 1.5.0
load lib
load lib-assemble

setup() {
    require_vm
    need_ours
    stop_all
    wipe_disks
    rm -f /run/mdadm/map
}

teardown() {
    stop_all || :
}

# written_sectors DEV: sectors written to DEV since boot (/sys/block/X/stat)
written_sectors() {
    local f
    read -r -a f < "/sys/block/${1#/dev/}/stat"
    echo "${f[6]}"
}

# llb_chunk_sectors DEV: the lockless bitmap's chunk size in sectors
llb_chunk_sectors() { sed -n 's/^chunksize //p' "$(md_sys "$1")/llbitmap/metadata"; }

# need_sync DEV: chunks the lockless bitmap has as needing a sync now
need_sync() { kernel_bits "$1" | llb_states sum needs-sync; }

# region_sum DEV OFFSET_MIB COUNT_MIB
region_sum() {
    dd if="$1" bs=1M skip="$2" count="$3" iflag=direct status=none | md5sum | cut -d' ' -f1
}

# write_meanwhile DEV: 3 MiB at $AT1 MiB and one 4 KiB block at $AT2 MiB
# (default 40 and 100: other 32 MiB bitmap blocks than make_array's
# pattern), then give the bitmap a moment
AT1=40 AT2=100
write_meanwhile() {
    head -c $((3 << 20)) < <(yes manage-meanwhile) |
        dd of="$1" bs=1M seek="$AT1" oflag=direct conv=notrunc status=none || return 1
    head -c 4096 < <(yes manage-meanwhile-2) |
        dd of="$1" bs=4096 seek=$((AT2 << 8)) oflag=direct conv=notrunc status=none || return 1
    sleep 1
}

# pending_chunks DEV: chunks a recovery copies now (Dirty, NeedSync, ...)
pending_chunks() {
    local b
    b=$(kernel_bits "$1") || return 1
    llb_states sum recovered <<< "$b"
}

# clean_restart: stop $ARRAY and assemble it again with our tool; the
# clean stop turns every Dirty chunk Clean, so that what a later recovery
# copies is exactly what was written afterwards (the bitmap daemon would
# take some 30 s to get there)
clean_restart() {
    stop_array || return 1
    ours --assemble "$ARRAY" "${MEMBERS[@]}" > /dev/null || return 1
    [ "$(state_of "$(kernel_bits "$ARRAY")" dirty)" = 0 ] || {
        echo "Dirty chunks after a clean restart: $(kernel_bits "$ARRAY" | tr '\n' ' ')"
        return 1
    }
}

# expect_partial_recovery DEV MEMBER BEFORE PENDING NEED [SHARE]: after the
# recovery of MEMBER (its written-sector counter was BEFORE; PENDING chunks
# were Dirty or NeedSync, NEED of them NeedSync, when it came back) MEMBER
# got at least its SHARE (1: all; 2: half, RAID10 on 4 disks, where the
# odd 4 KiB write may sit on the other pair) of the NeedSync chunks, at
# most the pending chunks plus its metadata, and less than half of what a
# full recovery writes
expect_partial_recovery() {
    local dev=$1 member=$2 before=$3 pending=$4 need=$5 share=${6:-1} chunk wrote full
    wait_idle "$dev" || return 1
    chunk=$(llb_chunk_sectors "$dev")
    wrote=$(($(written_sectors "$member") - before))
    full=$(($(cat "$(md_sys "$dev")/component_size") * 2))
    echo "pending $pending chunks ($need need sync) x $chunk sectors; $member got $wrote sectors (full recovery: $full)"
    [ "$need" -gt 0 ] || { echo "no chunk was recorded as written meanwhile"; return 1; }
    [ "$wrote" -ge $(((need - share + 1) * chunk / share)) ] || { echo "fewer sectors than the written chunks"; return 1; }
    [ "$wrote" -le $((pending * chunk + 1024)) ] || { echo "more than the pending chunks"; return 1; }
    [ "$wrote" -lt $((full / 2)) ] || { echo "looks like a full recovery"; return 1; }
}

# mismatch_after_check DEV: run a check and print mismatch_cnt
mismatch_after_check() {
    local sys
    sys=$(md_sys "$1")
    echo check > "$sys/sync_action"
    sleep 0.5
    wait_idle "$1" 300 >&2 || return 1
    cat "$sys/mismatch_cnt"
}

# the data written while degraded must be on the returned member alone:
# fail every other member of a RAID1 and read it back through the array
only_member_has() {
    local dev=$1 member=$2 sum=$3 m
    for m in "${MEMBERS[@]}"; do
        [ "$m" = "$member" ] && continue
        ours "$dev" --fail "$m" || return 1
    done
    [ "$(region_sum "$dev" "$AT1" 3)" = "$sum" ] || { echo "data differs on $member"; return 1; }
}

@test "raid1 lockless: assembled degraded with --run, written, --re-add resyncs only the written chunks" {
    ASM_SIZE=256M make_array ours 1 lockless
    stop_array
    run ours --assemble --run "$ARRAY" "${MEMBERS[0]}"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output =~ "started with 1 drive (out of 2)" ]]
    [ "$(bitmap_type_now "$(devnm_of "$ARRAY")")" = llbitmap ]
    write_meanwhile "$ARRAY"
    sum=$(region_sum "$ARRAY" "$AT1" 3)
    pending=$(pending_chunks "$ARRAY")
    need=$(need_sync "$ARRAY")
    before=$(written_sectors "${MEMBERS[1]}")
    run ours "$ARRAY" --re-add "${MEMBERS[1]}"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$output" = "mdadm: re-added ${MEMBERS[1]}" ]
    expect_partial_recovery "$ARRAY" "${MEMBERS[1]}" "$before" "$pending" "$need"
    # the array came up from a clean stop: nothing but the new writes
    [ "$pending" = "$need" ]
    grep -q "\[2/2\] \[UU\]" /proc/mdstat
    [ "$(mismatch_after_check "$ARRAY")" = 0 ]
    [ "$(sum_of "$ARRAY")" = "$SUM" ]
    only_member_has "$ARRAY" "${MEMBERS[1]}" "$sum"
}

@test "raid5 lockless: --fail, --remove, write, --re-add: only the written chunks, parity consistent" {
    ASM_SIZE=128M make_array ours 5 lockless
    clean_restart
    run ours "$ARRAY" --fail "${MEMBERS[2]}" --remove "${MEMBERS[2]}"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$output" = "mdadm: hot removed ${MEMBERS[2]} from $ARRAY" ]
    [ ! -e "$(md_sys "$ARRAY")/dev-${MEMBERS[2]#/dev/}" ]
    write_meanwhile "$ARRAY"
    pending=$(pending_chunks "$ARRAY")
    need=$(need_sync "$ARRAY")
    before=$(written_sectors "${MEMBERS[2]}")
    run ours "$ARRAY" --re-add "${MEMBERS[2]}"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$output" = "mdadm: re-added ${MEMBERS[2]}" ]
    expect_partial_recovery "$ARRAY" "${MEMBERS[2]}" "$before" "$pending" "$need"
    [ "$pending" = "$need" ]
    [ "$(mismatch_after_check "$ARRAY")" = 0 ]
    [ "$(sum_of "$ARRAY")" = "$SUM" ]
}

@test "raid10 lockless: --add of a former member re-adds it; --verbose --fail says so" {
    ASM_SIZE=128M make_array ours 10 lockless
    run ours -v "$ARRAY" --fail "${MEMBERS[1]}"
    [ "$status" -eq 0 ]
    [ "$output" = "mdadm: set ${MEMBERS[1]} faulty in $ARRAY" ]
    run ours "$ARRAY" --remove failed
    [ "$status" -eq 0 ]
    [ "$output" = "mdadm: hot removed ${MEMBERS[1]#/dev/} from $ARRAY" ]
    write_meanwhile "$ARRAY"
    pending=$(pending_chunks "$ARRAY")
    need=$(need_sync "$ARRAY")
    before=$(written_sectors "${MEMBERS[1]}")
    run ours "$ARRAY" --add "${MEMBERS[1]}"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$output" = "mdadm: re-added ${MEMBERS[1]}" ]
    expect_partial_recovery "$ARRAY" "${MEMBERS[1]}" "$before" "$pending" "$need" 2
    [ "$(sum_of "$ARRAY")" = "$SUM" ]
}

@test "raid1 lockless: --add of a blank device makes a spare; it rebuilds written chunks only and assembles with both tools" {
    ASM_SIZE=256M make_array ours 1 lockless
    spare=${DISKS[2]}
    run ours "$ARRAY" --add "$spare"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$output" = "mdadm: added $spare" ]
    grep -q "${spare#/dev/}\[2\](S)" /proc/mdstat
    # its own copy of the bitmap says "resync everything" until the kernel
    # writes the real states at the next clean stop
    states=$(ours_states "$spare")
    echo "$states"
    [ "$(state_of "$states" need_sync)" -gt 0 ]
    [ "$(state_of "$states" need_sync)" = "$(awk -F= '{ s += $2 } END { print s }' <<< "$states")" ]
    [ "$(peer --examine "$spare" | field /dev/stdin 'Device Role')" = spare ]
    before=$(written_sectors "$spare")
    ours "$ARRAY" --fail "${MEMBERS[1]}"
    wait_idle "$ARRAY"
    wrote=$(($(written_sectors "$spare") - before))
    echo "spare got $wrote sectors of $(blockdev --getsz "$spare")"
    [ "$wrote" -lt $(($(blockdev --getsz "$spare") / 4)) ]
    [ "$(sum_of "$ARRAY")" = "$SUM" ]
    stop_array
    run ours --assemble "$ARRAY" "${MEMBERS[0]}" "$spare"
    echo "$output"
    [ "$status" -eq 0 ]
    BITS=$(fold_dirty <<< "$BITS")
    check_array "$ARRAY"
    # the states on the new member are the real ones now, not NeedSync
    stop_array
    states=$(ours_states "$spare")
    [ "$(state_of "$states" need_sync)" = 0 ]
    run peer --assemble "$ARRAY" "$spare" "${MEMBERS[0]}"
    echo "$output"
    [ "$status" -eq 0 ]
    check_array "$ARRAY"
}

@test "raid1 1.0 internal bitmap: --add-spare on a device at the end; the peer reads and assembles it" {
    make_array ours 1 internal -e 1.0
    spare=${DISKS[3]}
    run ours "$ARRAY" --add-spare "$spare"
    [ "$status" -eq 0 ]
    [ "$output" = "mdadm: added $spare" ]
    ours "$ARRAY" --fail "${MEMBERS[0]}"
    wait_idle "$ARRAY"
    grep -q "\[2/2\] \[UU\]" /proc/mdstat
    peer --examine "$spare" > "$BATS_TEST_TMPDIR/ex"
    cat "$BATS_TEST_TMPDIR/ex"
    [ "$(field "$BATS_TEST_TMPDIR/ex" Version)" = 1.0 ]
    [[ $(field "$BATS_TEST_TMPDIR/ex" 'Device Role') = "Active device 0" ]]
    [[ $(field "$BATS_TEST_TMPDIR/ex" Checksum) =~ correct ]]
    stop_array
    run peer --assemble "$ARRAY" "${MEMBERS[1]}" "$spare"
    echo "$output"
    [ "$status" -eq 0 ]
    check_array "$ARRAY"
}

@test "the peer re-adds into our array and we re-add into the peer's (raid1 lockless)" {
    ASM_SIZE=128M make_array peer 1 lockless
    ours "$ARRAY" --fail "${MEMBERS[0]}" --remove "${MEMBERS[0]}"
    write_meanwhile "$ARRAY"
    pending=$(pending_chunks "$ARRAY")
    need=$(need_sync "$ARRAY")
    before=$(written_sectors "${MEMBERS[0]}")
    run ours "$ARRAY" --re-add "${MEMBERS[0]}"
    [ "$status" -eq 0 ]
    expect_partial_recovery "$ARRAY" "${MEMBERS[0]}" "$before" "$pending" "$need"
    stop_all
    wipe_disks
    ASM_SIZE=128M make_array ours 1 lockless
    peer "$ARRAY" --fail "${MEMBERS[1]}" --remove "${MEMBERS[1]}"
    write_meanwhile "$ARRAY"
    pending=$(pending_chunks "$ARRAY")
    need=$(need_sync "$ARRAY")
    before=$(written_sectors "${MEMBERS[1]}")
    run peer "$ARRAY" --re-add "${MEMBERS[1]}"
    [ "$status" -eq 0 ]
    expect_partial_recovery "$ARRAY" "${MEMBERS[1]}" "$before" "$pending" "$need"
}

@test "refused: failing the last working member leaves the array working (the kernel would break it)" {
    make_array ours 1 lockless
    ours "$ARRAY" --fail "${MEMBERS[1]}"
    run ours "$ARRAY" --fail "${MEMBERS[0]}"
    echo "$output"
    [ "$status" -eq 1 ]
    [ "$output" = "mdadm: Cannot remove ${MEMBERS[0]} from $ARRAY, array will be failed." ]
    [ "$(array_state "$(devnm_of "$ARRAY")")" != broken ]
    write_pattern "$ARRAY" 65536 0
    grep -q in_sync "$(md_sys "$ARRAY")/dev-${MEMBERS[0]#/dev/}/state"
}

@test "refused: remove an active member, re-add a blank or foreign device, add a member twice or a missing path" {
    make_array ours 1 lockless
    # another array's member, stopped
    peer --create /dev/md9 --run -l1 -n2 --bitmap=none --size=16M "${DISKS[2]}" "${DISKS[3]}" \
        >/dev/null 2>&1
    wait_idle /dev/md9
    peer --stop /dev/md9
    others=("${DISKS[2]}" "${DISKS[3]}")
    before=$(disk_sums "${others[@]}")

    run ours "$ARRAY" --remove "${MEMBERS[0]}"
    [ "$status" -eq 1 ]
    [ "$output" = "mdadm: hot remove failed for ${MEMBERS[0]}: Device or resource busy" ]
    run ours "$ARRAY" --re-add "${DISKS[2]}"
    [ "$status" -eq 1 ]
    [ "$output" = "mdadm: --re-add for ${DISKS[2]} to $ARRAY is not possible: it belongs to another array" ]
    run ours "$ARRAY" --add "${DISKS[2]}"
    [ "$status" -eq 1 ]
    [[ $output =~ ^"mdadm: ${DISKS[2]} is a member of another array (UUID ".*"); use --force to overwrite it"$ ]]
    run ours "$ARRAY" --add "${MEMBERS[0]}"
    [ "$status" -eq 1 ]
    [ "$output" = "mdadm: ${MEMBERS[0]} is already a member of $ARRAY" ]
    run ours "$ARRAY" --add /dev/nonexistent
    [ "$status" -eq 1 ]
    [ "$output" = "mdadm: stat failed for /dev/nonexistent: No such file or directory" ]
    run ours "$ARRAY" --fail "${DISKS[3]}"
    [ "$status" -eq 1 ]
    [ "$output" = "mdadm: set device faulty failed for ${DISKS[3]}: No such device" ]
    # the first failure ends the list: the member after it stays
    run ours "$ARRAY" --remove "${DISKS[3]}" --fail "${MEMBERS[1]}"
    [ "$status" -eq 1 ]
    [ "$output" = "mdadm: hot remove failed for ${DISKS[3]}: No such device or address" ]
    grep -q "\[2/2\] \[UU\]" /proc/mdstat
    [ "$(disk_sums "${others[@]}")" = "$before" ]
    # with --force the foreign member becomes our spare
    run ours "$ARRAY" --add --force "${DISKS[2]}"
    echo "$output"
    [ "$status" -eq 0 ]
    grep -q "${DISKS[2]#/dev/}\[[0-9]*\](S)" /proc/mdstat
}

@test "re-add without a bitmap needs an up-to-date member; --add then rebuilds it in full" {
    AT1=8 AT2=28
    make_array ours 1 none
    ours "$ARRAY" --fail "${MEMBERS[1]}" --remove "${MEMBERS[1]}"
    write_meanwhile "$ARRAY"
    run ours "$ARRAY" --re-add "${MEMBERS[1]}"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output =~ "--re-add for ${MEMBERS[1]} to $ARRAY is not possible: the array has no bitmap and the device is out of date" ]]
    run ours "$ARRAY" --add "${MEMBERS[1]}"
    [ "$status" -eq 0 ]
    [ "$output" = "mdadm: added ${MEMBERS[1]}" ]
    wait_idle "$ARRAY"
    grep -q "\[2/2\] \[UU\]" /proc/mdstat
    [ "$(mismatch_after_check "$ARRAY")" = 0 ]
}

@test "manage mode: --test says 2 when nothing changed; --run, --readonly, --readwrite and --stop act on the array" {
    make_array ours 1 lockless
    run ours --manage --test "$ARRAY" --remove failed
    [ "$status" -eq 2 ]
    run ours --manage "$ARRAY" --readonly
    [ "$status" -eq 0 ]
    [ "$(array_state "$(devnm_of "$ARRAY")")" = readonly ]
    run ours --manage "$ARRAY" --readwrite
    [ "$status" -eq 0 ]
    [ "$(array_state "$(devnm_of "$ARRAY")")" != readonly ]
    run ours --manage "$ARRAY" --stop
    [ "$status" -eq 0 ]
    [ ! -e "/sys/block/$(devnm_of "$ARRAY")/md" ] || poll_until 5 test ! -e "$ARRAY"
    run ours --assemble "$ARRAY" "${MEMBERS[0]}"
    [[ $output =~ "not enough to start" ]] || [[ $output =~ "assembled from 1 drive" ]]
    devnm=$(devnm_of "$ARRAY")
    run ours --manage "/dev/$devnm" --run
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(bitmap_type_now "$devnm")" = llbitmap ]
}

@test "--add the kernel refuses after our metadata was written (read-only array): the device gets its old bytes back" {
    make_array ours 1 lockless
    spare=${DISKS[2]}
    # an old 1.0 superblock at the end and a 1.2 one at the start to be overwritten
    peer --create /dev/md9 --run -l1 -n2 -e1.0 --bitmap=none --size=16M "$spare" "${DISKS[3]}" \
        >/dev/null 2>&1
    wait_idle /dev/md9
    peer --stop /dev/md9
    before=$(disk_sums "$spare"; dd if="$spare" bs=1M skip=$(($(blockdev --getsize64 "$spare") / 1048576 - 1)) \
        iflag=direct status=none | md5sum)
    ours --manage "$ARRAY" --readonly
    run ours "$ARRAY" --add --force "$spare"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output =~ ^"mdadm: add new device failed for $spare as 2: " ]]
    after=$(disk_sums "$spare"; dd if="$spare" bs=1M skip=$(($(blockdev --getsize64 "$spare") / 1048576 - 1)) \
        iflag=direct status=none | md5sum)
    [ "$after" = "$before" ]
    peer --examine "$spare" | grep -q "Version : 1.0"
    ! grep -q "${spare#/dev/}" /proc/mdstat
}

@test "raid1 lockless: --replace --with rebuilds onto the named spare (written chunks only) while the member stays in service" {
    ASM_SIZE=256M make_array ours 1 lockless
    spare=${DISKS[2]}
    ours "$ARRAY" --add "$spare"
    # a bad --with changes nothing: the mark is taken back
    run ours "$ARRAY" --replace "${MEMBERS[0]}" --with "${MEMBERS[1]}"
    echo "$output"
    [ "$status" -eq 1 ]
    [ "${lines[0]}" = "mdadm: Marked ${MEMBERS[0]} (device 0 in $ARRAY) for replacement" ]
    [ "${lines[1]}" = "mdadm: ${MEMBERS[1]} is active and cannot be a replacement" ]
    ! grep -q want_replacement "$(md_sys "$ARRAY")/dev-${MEMBERS[0]#/dev/}/state" || false
    grep -q "${spare#/dev/}\[2\](S)" /proc/mdstat
    run ours "$ARRAY" --replace /dev/nonexistent
    [ "$status" -eq 1 ]

    before=$(written_sectors "$spare")
    run ours "$ARRAY" --replace "${MEMBERS[0]}" --with "$spare"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "${lines[1]}" = "mdadm: Marked $spare in $ARRAY as replacement for device 0" ]
    sleep 0.5
    wait_idle "$ARRAY"
    poll_until 10 grep -q faulty "$(md_sys "$ARRAY")/dev-${MEMBERS[0]#/dev/}/state"
    [ "$(cat "$(md_sys "$ARRAY")/dev-${spare#/dev/}/slot")" = 0 ]
    grep -q "\[2/2\] \[UU\]" /proc/mdstat
    wrote=$(($(written_sectors "$spare") - before))
    full=$(($(cat "$(md_sys "$ARRAY")/component_size") * 2))
    echo "replacement wrote $wrote sectors of $full"
    [ "$wrote" -gt 0 ]
    [ "$wrote" -lt $((full / 2)) ]
    [ "$(sum_of "$ARRAY")" = "$SUM" ]
    [ "$(mismatch_after_check "$ARRAY")" = 0 ]
}
