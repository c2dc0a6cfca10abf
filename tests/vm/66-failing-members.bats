#!/usr/bin/env bats
# Failing members: a member of a lockless RAID1 or RAID5 is a device-mapper
# device over a scratch disk. While a workload writes to the array, its
# table is switched so that it fails writes (the `error` target, or
# dm-flakey with error_writes), and md fails the member itself. Then: the
# array runs degraded, --detail shows the member faulty, a running
# --monitor (ours and the peer) reports Fail and a --oneshot one
# DegradedArray; more is written while degraded; the device is "repaired"
# (linear again), removed and re-added with our mdadm, and the recovery
# copies only the chunks the lockless bitmap holds as written meanwhile
# (sectors the kernel wrote to the member, against those chunks x the
# chunk size our --examine-bitmap reads), with the data unchanged and a
# `check` finding no mismatch.

bats_require_minimum_version 1.5.0
load lib

MD=/dev/md0
DM=failing0

setup_file() { vm_file_start; }

setup() {
    require_vm
    need_ours
    need_jq
    stop_all
    dmsetup remove "$DM" 2>/dev/null || :
    wipe_disks
    rm -f /run/mdadm/map
    EV=$BATS_TEST_TMPDIR
    event_recorders "$EV"
    PIDS=()
}

teardown() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    stop_all || :
    dmsetup remove "$DM" 2>/dev/null || :
}

# dm_linear_table DISK: the table that passes everything to DISK
dm_linear_table() { echo "0 $(blockdev --getsz "$1") linear $1 0"; }

# dm_create DISK: $DM over DISK (linear); sets DMDEV=/dev/dm-N and the
# kernel name DMK=dm-N
dm_create() {
    dmsetup create "$DM" --table "$(dm_linear_table "$1")" || return 1
    DMK=dm-$(dmsetup info -c --noheadings -o minor "$DM" | tr -d ' ')
    DMDEV=/dev/$DMK
    [ -b "$DMDEV" ] || { echo "no $DMDEV"; return 1; }
}

# dm_switch TABLE: load TABLE into $DM and swap it in (I/O in flight
# completes on the old table first)
dm_switch() { dmsetup reload "$DM" --table "$1" && dmsetup resume "$DM"; }

# written_sectors KNAME: sectors the kernel wrote to /sys/block/KNAME
written_sectors() {
    local f
    read -r -a f < "/sys/block/$1/stat"
    echo "${f[6]}"
}

# pattern TAG BYTES: BYTES of text naming TAG
pattern() { head -c "$2" < <(yes "failing-members $1"); }

# put TAG MIB AT_MIB: write the pattern in 64 KiB O_DIRECT writes
put() {
    pattern "$1" $(($2 << 20)) |
        dd of="$MD" bs=64K seek=$(($3 << 4)) oflag=direct conv=notrunc status=none
}

# region_sum MIB AT_MIB [DEV]: md5 of a region, read with O_DIRECT
region_sum() {
    dd if="${3:-$MD}" bs=1M skip="$2" count="$1" iflag=direct status=none | md5sum | cut -d' ' -f1
}

# array_md5: md5 of the array's first 72 MiB (everything written is there)
array_md5() { region_sum 72 0; }

# events_have WHO PATTERN: WHO's program recorded a line matching PATTERN
events_have() { grep -Eq "$2" "$EV/$1.events" 2>/dev/null; }

# same_events: the running monitors (and the --oneshot ones, which
# write to the same files) recorded the same events, RebuildNN lines left out
# (which percentages each saw depends on when it looked); the recovery
# and the check each show up as RebuildStarted and RebuildFinished
finished_twice() { [ "$(grep -c "^2:RebuildFinished $MD\$" "$EV/$1.events")" -ge 2 ]; }
same_events() {
    poll_until 10 finished_twice ours && poll_until 5 finished_twice peer ||
        { cat "$EV/ours.events" "$EV/peer.events"; return 1; }
    # the same events; SpareActive and the end of a short recovery may
    # come in either order, depending on when each monitor looked
    diff -u <(grep -Ev '^2:Rebuild[0-9]+ ' "$EV/peer.events" | sort) \
            <(grep -Ev '^2:Rebuild[0-9]+ ' "$EV/ours.events" | sort) || return 1
    grep -E '^2:Rebuild(Started|Finished) ' "$EV/ours.events" | head -1 | grep -q '^2:RebuildStarted ' ||
        { cat "$EV/ours.events"; return 1; }
    grep -qx "3:SpareActive $MD $DMDEV" "$EV/ours.events" || { cat "$EV/ours.events"; return 1; }
}

# llb_chunk_bytes MEMBER: the lockless bitmap's chunk size, as our
# --examine-bitmap reads it from the member's bitmap superblock
llb_chunk_bytes() {
    ours --examine-bitmap --json "$1" |
        jq -er '[.. | objects | .chunk_bytes? | numbers] | first'
}

# pending_chunks, need_sync: chunks a recovery copies (Dirty, NeedSync,
# ...) and those of them written while degraded (NeedSync)
pending_chunks() { kernel_bits "$MD" | llb_states sum recovered; }
need_sync() { kernel_bits "$MD" | llb_states sum needs-sync; }

# fail_under_load LEVEL TABLE MEMBERS...: create $MD (lockless; $DMDEV is
# among MEMBERS), write a first pattern, then a workload of 16 MiB during
# which $DM is switched to TABLE; md must fail $DMDEV, nothing of it may
# reach the workload, and both monitors report the Fail
fail_under_load() {
    local level=$1 table=$2 wpid wrc=0
    shift 2
    ours --create "$MD" --run --homehost="$HOMEHOST" --level="$level" --raid-devices=$# \
        --bitmap=lockless --size=128M "$@" > /dev/null 2>&1 < /dev/null || {
        echo "create failed"; return 1; }
    wait_settled "$MD" || return 1
    put first 8 0 || return 1
    # the monitors watch while the member goes
    "$OURS" --monitor --delay=1 --program="$EV/ours.rec" "$MD" 2> "$EV/ours.err" 3>&- &
    PIDS+=($!)
    "$PEER" --monitor --delay=1 --program="$EV/peer.rec" "$MD" 2> "$EV/peer.err" 3>&- &
    PIDS+=($!)
    sleep 1.5
    put workload 16 16 &
    wpid=$!
    sleep 0.5
    dm_switch "$table" || return 1
    wait "$wpid" || wrc=$?
    [ "$wrc" = 0 ] || { echo "the workload saw an error ($wrc)"; return 1; }
    poll_until 20 grep -qx 1 "$(md_sys "$MD")/degraded" || {
        echo "not degraded:"; cat /proc/mdstat; return 1; }
    # what the workload wrote reads back, the member gone or not
    [ "$(region_sum 16 16)" = "$(pattern workload $((16 << 20)) | md5sum | cut -d' ' -f1)" ] ||
        { echo "workload data differs"; return 1; }
    [ "$(region_sum 8 0)" = "$(pattern first $((8 << 20)) | md5sum | cut -d' ' -f1)" ] ||
        { echo "first data differs"; return 1; }
    poll_until 20 events_have ours "^3:Fail $MD $DMDEV\$" &&
        poll_until 10 events_have peer "^3:Fail $MD " || {
        echo "ours:"; cat "$EV/ours.events" "$EV/ours.err"; echo "peer:"; cat "$EV/peer.events"
        return 1; }
    # the same words as the peer's
    diff -u "$EV/peer.events" "$EV/ours.events" || return 1
}

# degraded_views: md and our --detail show the failed member; --oneshot
# reports DegradedArray as the peer does
degraded_views() {
    local out
    # (write_error too: md saw the failed writes)
    grep -Eqx 'faulty(,.*)?' "$(md_sys "$MD")/dev-$DMK/state" ||
        { echo "md/dev-$DMK/state: $(cat "$(md_sys "$MD")/dev-$DMK/state")"; return 1; }
    out=$(ours --detail "$MD") || return 1
    echo "$out"
    grep -Eq '^ +State : (clean|active), degraded *$' <<< "$out" || return 1
    grep -Eq " faulty +$DMDEV\$" <<< "$out" || return 1
    grep -Eq '^ +Failed Devices : 1$' <<< "$out" || return 1
    rm -f "$EV"/*.events
    run --separate-stderr ours --monitor --oneshot --program="$EV/ours.rec" "$MD"
    [ "$status" = 0 ] || return 1
    [ "$stderr" = "mdadm: DegradedArray event detected on md device $MD" ] || {
        echo "ours --oneshot: $stderr"; return 1; }
    peer --monitor --oneshot --program="$EV/peer.rec" "$MD" 2> /dev/null
    grep -qx "2:DegradedArray $MD" "$EV/ours.events" || return 1
    diff -u "$EV/peer.events" "$EV/ours.events"
}

# repair_and_readd DISK DATA_MEMBERS: more writes while degraded (3 MiB,
# spread over DATA_MEMBERS members, and 4 KiB), then $DM linear over DISK
# again, --remove, --re-add; the recovery writes at least what was
# written while degraded and at most the chunks the bitmap holds as
# pending (Dirty chunks included: a degraded array does not clean them;
# RAID5 even turns what it writes degraded into Dirty ones), the data is
# what it was before, and a check finds no mismatch
repair_and_readd() {
    local disk=$1 ndata=$2 chunk pending need before wrote full sum
    put degraded 3 40 || return 1
    pattern small 4096 | dd of="$MD" bs=4096 seek=$((60 << 8)) oflag=direct conv=notrunc status=none
    sleep 1
    sum=$(array_md5)
    dm_switch "$(dm_linear_table "$disk")" || return 1
    run ours "$MD" --remove "$DMDEV"
    echo "$output"
    [ "$status" = 0 ] && [ "$output" = "mdadm: hot removed $DMDEV from $MD" ] || return 1
    pending=$(pending_chunks) need=$(need_sync)
    chunk=$(llb_chunk_bytes "$DMDEV") || return 1
    before=$(written_sectors "$DMK")
    run ours "$MD" --re-add "$DMDEV"
    echo "$output"
    [ "$status" = 0 ] && [ "$output" = "mdadm: re-added $DMDEV" ] || return 1
    wait_idle "$MD" 120 || return 1
    grep -qx 0 "$(md_sys "$MD")/degraded" || { cat /proc/mdstat; return 1; }
    grep -Eqx 'in_sync(,.*)?' "$(md_sys "$MD")/dev-$DMK/state" ||
        { echo "dev-$DMK: $(cat "$(md_sys "$MD")/dev-$DMK/state")"; return 1; }
    wrote=$(($(written_sectors "$DMK") - before))
    full=$(($(cat "$(md_sys "$MD")/component_size") * 2))
    echo "pending $pending chunks ($need need sync) x $((chunk / 512)) sectors;" \
        "$DMDEV got $wrote sectors (full recovery: $full)"
    [ "$pending" -gt 0 ] || { echo "no chunk pending"; return 1; }
    [ "$wrote" -ge $((6144 / ndata)) ] || { echo "less than was written while degraded"; return 1; }
    [ "$wrote" -le $((pending * chunk / 512 + 1024)) ] || { echo "more than the pending chunks"; return 1; }
    [ "$wrote" -lt $((full / 2)) ] || { echo "looks like a full recovery"; return 1; }
    [ "$(array_md5)" = "$sum" ] || { echo "array data changed"; return 1; }
    echo check > "$(md_sys "$MD")/sync_action"
    sleep 0.5
    wait_idle "$MD" 300 || return 1
    [ "$(cat "$(md_sys "$MD")/mismatch_cnt")" = 0 ] ||
        { echo "mismatch_cnt $(cat "$(md_sys "$MD")/mismatch_cnt")"; return 1; }
    [ "$(array_md5)" = "$sum" ]
    same_events
}

@test "raid1 lockless: a member whose writes fail (dm error) is failed, reported, re-added and gets only what it missed" {
    dm_create "${DISKS[1]}"
    fail_under_load 1 "0 $(blockdev --getsz "${DISKS[1]}") error" "${DISKS[0]}" "$DMDEV"
    degraded_views
    repair_and_readd "${DISKS[1]}" 1
    # the repaired member alone holds everything: read it with the other failed
    sum=$(array_md5)
    ours "$MD" --fail "${DISKS[0]}" 2> /dev/null
    [ "$(array_md5)" = "$sum" ]
    # which both monitors report alike
    poll_until 10 events_have ours "^3:Fail $MD ${DISKS[0]}\$"
    poll_until 5 events_have peer "^3:Fail $MD ${DISKS[0]}\$"
    same_events
}

@test "raid5 lockless: a member failing writes only (dm-flakey error_writes) is failed, reported, re-added and gets only what it missed" {
    dm_create "${DISKS[2]}"
    fail_under_load 5 "0 $(blockdev --getsz "${DISKS[2]}") flakey ${DISKS[2]} 0 0 3600 1 error_writes" \
        "${DISKS[0]}" "${DISKS[1]}" "$DMDEV"
    degraded_views
    repair_and_readd "${DISKS[2]}" 2
}
