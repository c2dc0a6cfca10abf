#!/usr/bin/env bats
# Assembly with our mdadm on the real kernel: explicit --assemble,
# --assemble --scan with a generated mdadm.conf, and --incremental one
# member at a time (what udev does), for RAID1/5/10 with no bitmap, the
# classic bitmap and the lockless bitmap. Every time: same data, the right
# md/bitmap_type, lockless counts kept. Then the paths upstream gets wrong
# for llbitmap (--run, -I --run, -IRs, mdadm --run: bitmap_type must be
# set by us, not by the kernel's fallback), interoperability with the
# peer both ways, a recorded bad block, the "Unable to initialize sysfs"
# regression, and bad input.

bats_require_minimum_version 1.5.0
load lib
load lib-assemble

setup() {
    require_vm
    need_ours
    stop_all
    wipe_disks
    rm -f /run/mdadm/map
    dmesg -C
}

teardown() {
    stop_all || :
}

# the three assembly paths for the array make_array recorded
assemble_three_ways() {
    local conf="$BATS_TEST_TMPDIR/mdadm.conf"
    stop_array

    # (a) explicit members
    run --separate-stderr ours --assemble "$ARRAY" "${MEMBERS[@]}"
    echo "(a) $status: $output $stderr"
    [ "$status" -eq 0 ]
    [[ $output =~ "has been started with ${#MEMBERS[@]} drives" ]]
    check_array "$ARRAY"
    stop_array

    # (b) --scan with a generated config
    ours --examine --scan > "$conf"
    cat "$conf"
    grep -q "^ARRAY $ARRAY " "$conf"
    run --separate-stderr ours --assemble --scan --config="$conf"
    echo "(b) $status: $output $stderr"
    [ "$status" -eq 0 ]
    check_array "$ARRAY"
    stop_array

    # (c) incrementally, one member at a time, random order
    incremental_all
    check_array "/dev/$INC_DEVNM"
    [ "$(readlink -f "$ARRAY")" = "/dev/$INC_DEVNM" ]
    grep -q "^$INC_DEVNM 1.2 [0-9a-f:]* $ARRAY\$" /run/mdadm/map
}

# level x bitmap kind; CI takes every level with the lockless bitmap and
# raid1/raid5 without one, raid1 with the classic one (the full matrix has
# all nine)
@test "raid1, no bitmap: explicit, --scan with a generated conf, incremental" {
    make_array ours 1 none
    assemble_three_ways
}

@test "raid1, internal bitmap: explicit, --scan with a generated conf, incremental" {
    make_array ours 1 internal
    assemble_three_ways
}

@test "raid1, lockless bitmap: explicit, --scan with a generated conf, incremental" {
    make_array ours 1 lockless
    assemble_three_ways
}

@test "raid5, no bitmap: explicit, --scan with a generated conf, incremental" {
    make_array ours 5 none
    assemble_three_ways
}

@test "raid5, internal bitmap: explicit, --scan with a generated conf, incremental" {
    full_only
    make_array ours 5 internal
    assemble_three_ways
}

@test "raid5, lockless bitmap: explicit, --scan with a generated conf, incremental" {
    make_array ours 5 lockless
    assemble_three_ways
}

@test "raid10, no bitmap: explicit, --scan with a generated conf, incremental" {
    full_only
    make_array ours 10 none
    assemble_three_ways
}

@test "raid10, internal bitmap: explicit, --scan with a generated conf, incremental" {
    full_only
    make_array ours 10 internal
    assemble_three_ways
}

@test "raid10, lockless bitmap: explicit, --scan with a generated conf, incremental" {
    make_array ours 10 lockless
    assemble_three_ways
}

# ------------------------------------------------------------ regressions

@test "metadata 1.0 raid1: create, stop, assemble five times (no 'Unable to initialize sysfs')" {
    # (our --create refuses the lockless bitmap with 1.0: the classic one)
    make_array ours 1 internal -e 1.0
    for round in 1 2 3 4 5; do
        stop_array
        run --separate-stderr ours --assemble "$ARRAY" "${MEMBERS[@]}"
        echo "round $round: $status: $output $stderr"
        [ "$status" -eq 0 ]
        [[ ! $stderr =~ "Unable to initialize sysfs" ]]
        check_array "$ARRAY"
    done
}

# ------------------------------------------------------------ bitmap_type on every start path

@test "--assemble --run with a member missing: we write llbitmap, the kernel does not fall back" {
    make_array ours 1 lockless
    stop_array
    traced "$BATS_TEST_TMPDIR/trace" ours --assemble --run "$ARRAY" "${MEMBERS[0]}"
    strace_llbitmap "$BATS_TEST_TMPDIR/trace"
    devnm=$(devnm_of "$ARRAY")
    [ "$(bitmap_type_now "$devnm")" = llbitmap ]
    [ "$(cat "/sys/block/$devnm/md/degraded")" = 1 ]
    no_kernel_fallback
    [ "$(sum_of "$ARRAY")" = "$SUM" ]
}

@test "-I --run on an array the peer left incomplete: we write llbitmap before starting degraded" {
    make_array ours 5 lockless
    stop_array
    # upstream's -I does not set the type until it starts the array itself
    # (without udev, links are left behind by --stop; upstream ignores
    # ones it did not make, so start from a clean /dev/md as udev keeps it)
    rm -f "$ARRAY"
    peer -I "${MEMBERS[0]}"
    devnm=$(sed -n 's/^\(md[0-9]*\) .*/\1/p' /run/mdadm/map)
    [ "$(array_state "$devnm")" = inactive ]
    [ "$(bitmap_type_now "$devnm")" = bitmap ]
    traced "$BATS_TEST_TMPDIR/trace" ours -I --run --export "${MEMBERS[1]}" > "$BATS_TEST_TMPDIR/out"
    cat "$BATS_TEST_TMPDIR/out"
    grep -qx MD_STARTED=yes "$BATS_TEST_TMPDIR/out"
    grep -qx "MD_DEVICE=$devnm" "$BATS_TEST_TMPDIR/out"
    strace_llbitmap "$BATS_TEST_TMPDIR/trace"
    [ "$(bitmap_type_now "$devnm")" = llbitmap ]
    # not every member: started auto-read-only, degraded
    [ "$(array_state "$devnm")" = read-auto ]
    [ "$(cat "/sys/block/$devnm/md/degraded")" = 1 ]
    no_kernel_fallback
    [ "$(sum_of "/dev/$devnm")" = "$SUM" ]
}

@test "-IRs and mdadm --run on arrays the peer left incomplete: we write llbitmap" {
    make_array ours 1 lockless
    stop_array
    for how in "-IRs" "--run"; do
        rm -f "$ARRAY"
        peer -I "${MEMBERS[0]}"
        devnm=$(sed -n 's/^\(md[0-9]*\) .*/\1/p' /run/mdadm/map)
        [ "$(bitmap_type_now "$devnm")" = bitmap ]
        if [ "$how" = -IRs ]; then
            run --separate-stderr traced "$BATS_TEST_TMPDIR/trace" ours -IRs
        else
            run --separate-stderr traced "$BATS_TEST_TMPDIR/trace" ours --run "/dev/$devnm"
        fi
        echo "$how: $status $output $stderr"
        [ "$status" -eq 0 ]
        [[ $stderr =~ "started array $ARRAY" ]]
        strace_llbitmap "$BATS_TEST_TMPDIR/trace"
        [ "$(bitmap_type_now "$devnm")" = llbitmap ]
        [ "$(array_state "$devnm")" = read-auto ]
        no_kernel_fallback
        [ "$(sum_of "/dev/$devnm")" = "$SUM" ]
        # a second run finds nothing to start
        run --separate-stderr ours -IRs
        [ "$status" -eq 0 ]; [ -z "$stderr" ]
        stop_array "/dev/$devnm"
    done
}

@test "our -I writes llbitmap when it allocates the md device for the first member" {
    make_array ours 10 lockless
    stop_array
    traced "$BATS_TEST_TMPDIR/trace" ours -I "${MEMBERS[2]}"
    strace_llbitmap "$BATS_TEST_TMPDIR/trace"
    # the other three, in random order
    all=("${MEMBERS[@]}")
    MEMBERS=("${all[0]}" "${all[1]}" "${all[3]}")
    incremental_all
    MEMBERS=("${all[@]}")
    check_array "/dev/$INC_DEVNM"
    no_kernel_fallback
}

# ------------------------------------------------------------ interoperability

peer_made_assembles_with_ours() {
    make_array peer "$1" lockless
    stop_array
    run --separate-stderr ours --assemble "$ARRAY" "${MEMBERS[@]}"
    echo "$status: $output $stderr"
    [ "$status" -eq 0 ]
    check_array "$ARRAY"
    stop_array
    incremental_all
    check_array "/dev/$INC_DEVNM"
    no_kernel_fallback
}

@test "raid1 made by the peer with --bitmap=lockless assembles with ours (explicit, -I)" {
    peer_made_assembles_with_ours 1
}

@test "raid5 made by the peer with --bitmap=lockless assembles with ours (explicit, -I)" {
    peer_made_assembles_with_ours 5
}

@test "raid10 made by the peer with --bitmap=lockless assembles with ours (explicit, -I)" {
    peer_made_assembles_with_ours 10
}

@test "lockless raid1/5/10 made by ours assemble with the peer (explicit and -I)" {
    for level in 1 5 10; do
        make_array ours "$level" lockless
        stop_array
        run --separate-stderr peer --assemble "$ARRAY" "${MEMBERS[@]}"
        echo "raid$level: $status: $output $stderr"
        [ "$status" -eq 0 ]
        check_array "$ARRAY"
        stop_array
        incremental_all peer
        check_array "/dev/$INC_DEVNM"
        stop_array "/dev/$INC_DEVNM"
        wipe_disks
    done
}

@test "the map: ours and the peer write the same lines, each reads the other's" {
    make_array ours 1 lockless
    # our --create recorded it; the peer rebuilds the same from the kernel
    cp /run/mdadm/map "$BATS_TEST_TMPDIR/ours-create"
    peer -Ir
    diff -u "$BATS_TEST_TMPDIR/ours-create" /run/mdadm/map
    ours -Ir
    diff -u "$BATS_TEST_TMPDIR/ours-create" /run/mdadm/map
    # the uuid words are --detail's with each 4-byte group reversed
    uuid=$(peer --detail --export "$ARRAY" | sed -n 's/^MD_UUID=//p')
    word=${uuid%%:*}
    grep -q " ${word:6:2}${word:4:2}${word:2:2}${word:0:2}:" /run/mdadm/map
    # the peer's --detail --export finds our name in the map
    rm /run/mdadm/map
    ours -Ir
    peer --detail --export "$ARRAY" | grep -qx "MD_DEVNAME=$NAME"
    # a member added by the peer's -I is found by ours through the map
    stop_array
    peer -I "${MEMBERS[1]}"
    run --separate-stderr ours -I --export "${MEMBERS[0]}"
    echo "$output $stderr"
    [ "$status" -eq 0 ]
    [[ $output =~ MD_STARTED=yes ]]
    devnm=$(export_value "$output" MD_DEVICE)
    [ "$(wc -l < /run/mdadm/map)" -eq 1 ]
    check_array "/dev/$devnm"
    # and the other way round
    stop_array "/dev/$devnm"
    ours -I "${MEMBERS[0]}"
    run --separate-stderr peer -I --export "${MEMBERS[1]}"
    [[ $output =~ MD_STARTED=yes ]]
    [ "$(export_value "$output" MD_DEVICE)" = "$(cut -d' ' -f1 /run/mdadm/map)" ]
}

@test "all members handed to -I at once, in parallel: one array, started once" {
    make_array ours 10 lockless
    stop_array
    pids=()
    for m in "${MEMBERS[@]}"; do
        ours -I --export "$m" > "$BATS_TEST_TMPDIR/out.${m##*/}" 2>&1 &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    cat "$BATS_TEST_TMPDIR"/out.*
    [ "$(grep -lx MD_STARTED=yes "$BATS_TEST_TMPDIR"/out.* | wc -l)" -eq 1 ]
    [ "$(cat "$BATS_TEST_TMPDIR"/out.* | sed -n 's/^MD_DEVICE=//p' | sort -u | wc -l)" -eq 1 ]
    [ "$(ls -d /sys/block/md*/md | wc -l)" -eq 1 ]
    devnm=$(cat "$BATS_TEST_TMPDIR"/out.* | sed -n 's/^MD_DEVICE=//p' | head -1)
    check_array "/dev/$devnm"
    [ "$(ls /sys/block/$devnm/md | grep -c '^dev-')" -eq 4 ]
}

@test "-If takes a vanished member out; -I --run adds it back into the running array" {
    make_array ours 1 lockless
    devnm=$(devnm_of "$ARRAY")
    run --separate-stderr ours -If "${MEMBERS[1]}"
    [ "$status" -eq 0 ]
    [ ! -e "/sys/block/$devnm/md/dev-${MEMBERS[1]##*/}" ]
    [ "$(cat "/sys/block/$devnm/md/degraded")" = 1 ]
    # without --run a working member is not pushed into a running array
    run --separate-stderr ours -I "${MEMBERS[1]}"
    [ "$status" -eq 2 ]
    [[ $stderr =~ "not adding ${MEMBERS[1]} to active array (without --run) $ARRAY" ]]
    run --separate-stderr ours -I --run "${MEMBERS[1]}"
    echo "$status $output $stderr"
    [ "$status" -eq 0 ]
    [ -e "/sys/block/$devnm/md/dev-${MEMBERS[1]##*/}" ]
    peer --readwrite "$ARRAY" 2>/dev/null || :
    wait_settled "$ARRAY"
    [ "$(cat "/sys/block/$devnm/md/degraded")" = 0 ]
    check_array "$ARRAY"
}

# ------------------------------------------------------------ bad blocks

@test "lockless raid1 on 320 MiB members with a recorded bad block assembles with all members" {
    read -r -a MEMBERS <<< "$(members_for 1)"
    ours --create "$ARRAY" --run -l1 -n2 --bitmap=lockless "${MEMBERS[@]}" < /dev/null
    wait_settled "$ARRAY" 300
    # a bad block recorded on the first member, then data past 192 MiB:
    # md writes its superblocks, and with them the bad-block log, when the
    # writes end and the array turns clean (a stop of an array that is
    # clean already writes nothing, so the order matters)
    devnm=$(devnm_of "$ARRAY")
    echo "1000 8" > "/sys/block/$devnm/md/dev-${MEMBERS[0]##*/}/bad_blocks"
    grep -q '^1000 8$' "/sys/block/$devnm/md/dev-${MEMBERS[0]##*/}/bad_blocks"
    PATTERN_REGIONS="$((200 << 20)):$((1 << 20))"
    put_pattern "$ARRAY"
    wait_settled "$ARRAY"
    BITMAP=lockless
    BITS=$(kernel_bits "$ARRAY")
    SUM=$(sum_of "$ARRAY")
    stop_array
    # the log survived on disk: the bitmap's extent never reaches it
    run peer --examine-badblocks "${MEMBERS[0]}"
    echo "$output"
    [[ $output =~ "1000 for 8 sectors" ]]
    run --separate-stderr ours --assemble "$ARRAY" "${MEMBERS[@]}"
    echo "$status: $output $stderr"
    [ "$status" -eq 0 ]
    [[ $output =~ "has been started with 2 drives." ]]
    devnm=$(devnm_of "$ARRAY")
    cat "/sys/block/$devnm/md/dev-${MEMBERS[0]##*/}/bad_blocks"
    grep -q '^1000 8$' "/sys/block/$devnm/md/dev-${MEMBERS[0]##*/}/bad_blocks"
    check_array "$ARRAY"
}

# ------------------------------------------------------------ bad input

@test "members of two different arrays given together: refused by both tools, nothing written" {
    make_array ours 1 lockless
    stop_array
    ours --create /dev/md/other --run -l1 -n2 --size=32M "${DISKS[2]}" "${DISKS[3]}" < /dev/null
    wait_settled /dev/md/other
    stop_array /dev/md/other
    before=$(disk_sums "${DISKS[@]}")
    run --separate-stderr peer --assemble "$ARRAY" "${DISKS[0]}" "${DISKS[2]}"
    p_status=$status p_err=$stderr
    run --separate-stderr ours --assemble "$ARRAY" "${DISKS[0]}" "${DISKS[2]}"
    echo "peer $p_status: $p_err / ours $status: $stderr"
    [ "$status" -eq 1 ]; [ "$status" -eq "$p_status" ]
    [ "$stderr" = "$p_err" ]
    [ ! -e /sys/block/md127/md ] && [ ! -e /sys/block/md126/md ]
    [ "$(disk_sums "${DISKS[@]}")" = "$before" ]
    # both still assemble
    ours --assemble "$ARRAY" "${MEMBERS[@]}"
    check_array "$ARRAY"
    ours --assemble /dev/md/other "${DISKS[2]}" "${DISKS[3]}"
}

@test "stale member: the array starts from the fresh one, the stale one is left out with a message" {
    make_array ours 1 lockless
    stop_array
    # run degraded on the first member and change data: the second is stale
    ours --assemble --run "$ARRAY" "${MEMBERS[0]}"
    write_pattern "$ARRAY" 65536 $((8 << 20))
    PATTERN_REGIONS="$PATTERN_REGIONS $((8 << 20)):65536"
    # (degraded: the written chunk stays "need sync" in the bitmap)
    wait_idle "$ARRAY"
    SUM=$(sum_of "$ARRAY")
    stop_array
    run --separate-stderr peer --assemble "$ARRAY" "${MEMBERS[@]}"
    p_status=$status p_out=$output
    stop_array
    run --separate-stderr ours --assemble "$ARRAY" "${MEMBERS[@]}"
    echo "peer $p_status: $p_out / ours $status: $output / $stderr"
    # upstream: started with the fresh member only, the kernel drops the
    # stale one; ours says so itself before starting
    [ "$status" -eq 0 ]; [ "$status" -eq "$p_status" ]
    [ "$output" = "$p_out" ]
    [[ $stderr =~ "${MEMBERS[1]} is not included: stale" ]]
    devnm=$(devnm_of "$ARRAY")
    [ "$(cat "/sys/block/$devnm/md/degraded")" = 1 ]
    [ ! -e "/sys/block/$devnm/md/dev-${MEMBERS[1]##*/}" ]
    [ "$(sum_of "$ARRAY")" = "$SUM" ]
    stop_array
    # incrementally: the stale member first, then the fresh one
    run --separate-stderr ours -I "${MEMBERS[1]}"
    [ "$status" -eq 0 ]
    run --separate-stderr ours -I "${MEMBERS[0]}"
    echo "$status $stderr"
    [ "$status" -eq 0 ]
    [[ $stderr =~ "not using ${MEMBERS[1]}" ]]
    [[ $stderr =~ "${MEMBERS[0]} attached to $ARRAY, which has been started." ]]
    devnm=$(devnm_of "$ARRAY")
    [ ! -e "/sys/block/$devnm/md/dev-${MEMBERS[1]##*/}" ]
    [ "$(sum_of "$ARRAY")" = "$SUM" ]
}

# poke DEV OFFSET HEX: overwrite bytes in place (buffered, then flushed)
poke() {
    printf "$(sed 's/\(..\)/\\x\1/g' <<< "$3")" |
        dd of="$1" bs=1 seek="$2" conv=notrunc status=none
    blockdev --flushbufs "$1"
}

# start a second array that must survive the bad-input cases untouched
second_array_running() {
    ours --create /dev/md/other --run -l1 -n2 --size=32M "${DISKS[2]}" "${DISKS[3]}" < /dev/null
    wait_settled /dev/md/other
    write_pattern /dev/md/other $((1 << 20)) 0
    poll_until 10 state_is "$(devnm_of /dev/md/other)" clean
    OTHER_SUM=$(sum_of /dev/md/other)
    OTHER_STATE=$(array_state "$(devnm_of /dev/md/other)")
}

second_array_unaffected() {
    [ "$(array_state "$(devnm_of /dev/md/other)")" = "$OTHER_STATE" ]
    [ "$(sum_of /dev/md/other)" = "$OTHER_SUM" ]
}

@test "corrupt superblock magic on a member: clear refusal, nothing written, other arrays unaffected" {
    make_array ours 1 lockless
    stop_array
    second_array_running
    poke "${MEMBERS[1]}" 4096 00000000     # 1.2 superblock at 4 KiB
    before=$(disk_sums "${MEMBERS[@]}")
    run --separate-stderr ours --assemble "$ARRAY" "${MEMBERS[@]}"
    echo "$status: $stderr"
    [ "$status" -eq 1 ]
    [[ $stderr =~ "no usable RAID superblock on ${MEMBERS[1]}" ]]
    [[ $stderr =~ "assembly aborted" ]]
    # -I (as udev runs it) on this member and on devices that never were
    # members: exactly upstream's answer
    for dev in "${MEMBERS[1]}" /dev/nullb0 /dev/loop0; do
        [ -b "$dev" ] || continue
        run --separate-stderr peer -I --export "$dev"
        p_status=$status p_out=$output p_err=$stderr
        run --separate-stderr ours -I --export "$dev"
        echo "$dev: peer $p_status [$p_out] [$p_err] ours $status [$output] [$stderr]"
        [ "$status" -eq "$p_status" ]; [ "$output" = "$p_out" ]; [ "$stderr" = "$p_err" ]
    done
    [ "$stderr" = "mdadm: no recognisable superblock on /dev/loop0." ] ||
        [ "$stderr" = "mdadm: no recognisable superblock on /dev/nullb0." ]
    [ "$(disk_sums "${MEMBERS[@]}")" = "$before" ]
    [ "$(ls -d /sys/block/md*/md | wc -l)" -eq 1 ]
    second_array_unaffected
}

@test "corrupt bitmap superblock on a member: clear refusal, nothing written, other arrays unaffected" {
    make_array ours 1 lockless
    stop_array
    second_array_running
    # the bitmap superblock sits 8 sectors after the 1.2 superblock here
    [ "$(ours --examine "${MEMBERS[1]}" | field /dev/stdin "Internal Bitmap")" = "8 sectors from superblock" ]
    poke "${MEMBERS[1]}" $((4096 + 4096)) 00000000
    before=$(disk_sums "${MEMBERS[@]}")
    run --separate-stderr ours --assemble "$ARRAY" "${MEMBERS[@]}"
    echo "$status: $stderr"
    [ "$status" -eq 1 ]
    [[ $stderr =~ "${MEMBERS[1]}: the bitmap is not usable" ]]
    run --separate-stderr ours -I "${MEMBERS[1]}"
    echo "$status: $stderr"
    [ "$status" -eq 1 ]
    [[ $stderr =~ "${MEMBERS[1]}: the bitmap is not usable" ]]
    [ "$(disk_sums "${MEMBERS[@]}")" = "$before" ]
    [ "$(ls -d /sys/block/md*/md | wc -l)" -eq 1 ]
    second_array_unaffected
}

@test "--scan without a config file: local arrays named by a number get that md device; several ARRAY lines in one run" {
    ours --create /dev/md3 --run -l1 -n2 --bitmap=lockless --size=16M "${DISKS[0]}" "${DISKS[1]}" < /dev/null
    ours --create /dev/md/data --run -l1 -n2 --bitmap=lockless --size=16M "${DISKS[2]}" "${DISKS[3]}" < /dev/null
    conf="$BATS_TEST_TMPDIR/mdadm.conf"
    ours --examine --scan > "$conf"
    stop_all
    run ours --assemble --scan --config=none
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(array_state md3)" != absent ]
    [ "$(bitmap_type_now md3)" = llbitmap ]
    data=$(devnm_of /dev/md/data)
    [ "$(bitmap_type_now "$data")" = llbitmap ]
    stop_all
    # both ARRAY lines of one file, the devices read once for both
    run ours --assemble --scan --config="$conf"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(bitmap_type_now md3)" = llbitmap ]
    [ "$(bitmap_type_now "$(devnm_of /dev/md/data)")" = llbitmap ]
    grep -c "active raid1" /proc/mdstat | grep -qx 2
}

# four partitions of 64 MiB on every disk, the kernel's view refreshed
partition_disks() {
    local d
    for d in "${DISKS[@]}"; do
        printf 'label: gpt\n%s' "$(printf 'size=64MiB\n%.0s' 1 2 3 4)" | sfdisk --quiet --wipe always "$d" > /dev/null
        blockdev --rereadpt "$d"
    done
    udevadm settle 2> /dev/null || :
    poll_until 10 test -b "${DISKS[3]}4"
}

# stopped, and what udev would remove with them removed (no udevd here)
stop_clean() {
    stop_all
    rm -f /run/mdadm/map /dev/md/*
}

head_sum() { dd if="$1" bs=1M count=2 iflag=direct status=none | md5sum | cut -d' ' -f1; }

unpartition_disks() {
    local d
    stop_all
    wipe_disks
    for d in "${DISKS[@]}"; do blockdev --rereadpt "$d" || :; done
}

@test "--scan starts many arrays side by side: the peer's messages in the peer's order, same exit code; duplicate names refused as the peer does" {
    local conf="$BATS_TEST_TMPDIR/mdadm.conf" p o i
    partition_disks
    ours --create /dev/md/a --run -l5 -n4 --bitmap=lockless "${DISKS[0]}1" "${DISKS[1]}1" "${DISKS[2]}1" "${DISKS[3]}1" < /dev/null
    ours --create /dev/md/b --run -l1 -n4 --bitmap=internal "${DISKS[0]}2" "${DISKS[1]}2" "${DISKS[2]}2" "${DISKS[3]}2" < /dev/null
    ours --create /dev/md/c --run -l10 -n4 --bitmap=none "${DISKS[0]}3" "${DISKS[1]}3" "${DISKS[2]}3" "${DISKS[3]}3" < /dev/null
    ours --create /dev/md/d --run -l5 -n4 --bitmap=lockless "${DISKS[0]}4" "${DISKS[1]}4" "${DISKS[2]}4" "${DISKS[3]}4" < /dev/null
    write_pattern /dev/md/a $((1 << 20)) 0
    write_pattern /dev/md/d $((1 << 20)) 0
    local sum_a sum_d
    sum_a=$(head_sum /dev/md/a)
    sum_d=$(head_sum /dev/md/d)
    ours --examine --scan > "$conf"
    stop_clean
    # md/d loses a member: it starts degraded, "(out of 4)"
    "$WIPE_ENDS" $((4 << 20)) "${DISKS[2]}4"
    for i in 1 2; do
        run --separate-stderr peer --assemble --scan --config="$conf"
        p="$status|$output|$stderr"
        grep -c '^md.* : active' /proc/mdstat | grep -qx 4
        stop_clean
        run --separate-stderr ours --assemble --scan --config="$conf"
        o="$status|$output|$stderr"
        [ "$o" = "$p" ] || { echo "ours: $o"; echo "peer: $p"; return 1; }
        grep -c '^md.* : active' /proc/mdstat | grep -qx 4
        [ "$(bitmap_type_now "$(devnm_of /dev/md/a)")" = llbitmap ]
        [ "$(bitmap_type_now "$(devnm_of /dev/md/d)")" = llbitmap ]
        [ "$(head_sum /dev/md/a)" = "$sum_a" ]
        [ "$(head_sum /dev/md/d)" = "$sum_d" ]
        [ "$(cat "$(md_sys /dev/md/d)/degraded")" = 1 ]
        stop_clean
    done
    # without a config file: the same arrays, the same lines (the order
    # of the search differs between the tools)
    run --separate-stderr peer --assemble --scan --config=none
    p="$status|$(sort <<< "$output")|$(sort <<< "$stderr")"
    stop_clean
    run --separate-stderr ours --assemble --scan --config=none
    o="$status|$(sort <<< "$output")|$(sort <<< "$stderr")"
    [ "$o" = "$p" ] || { echo "ours: $o"; echo "peer: $p"; return 1; }
    grep -c '^md.* : active' /proc/mdstat | grep -qx 4
    stop_clean
    # two ARRAY lines for one name: neither tool assembles anything
    grep '^ARRAY /dev/md/a ' "$conf" | sed 's/UUID=[0-9a-f:]*/UUID=01234567:89abcdef:01234567:89abcdef/' >> "$conf"
    run --separate-stderr peer --assemble --scan --config="$conf"
    p="$status|$output|$stderr"
    run --separate-stderr ours --assemble --scan --config="$conf"
    o="$status|$output|$stderr"
    [ "$o" = "$p" ] || { echo "ours: $o"; echo "peer: $p"; return 1; }
    [ "$status" -eq 1 ]
    [[ $stderr == *"Duplicate MD device names in conf file were found."* ]]
    ! grep -q '^md' /proc/mdstat || { cat /proc/mdstat; false; }
    unpartition_disks
}
