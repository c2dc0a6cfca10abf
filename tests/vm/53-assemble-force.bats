#!/usr/bin/env bats
# --assemble --force with stale members (the disaster-recovery path), the
# degraded start of --assemble --scan and --no-degraded, assembly by
# identity over a device list holding other devices, and the name of the
# mdadm.conf ARRAY line under --incremental, each against the peer
# (mdadm 4.6): the same members in the same state (first 8 MiB of each
# member saved and put back between the two tools), the same messages,
# the same superblocks written, the same data.

bats_require_minimum_version 1.5.0
load lib
load lib-assemble

setup() {
    require_vm
    need_ours
    stop_all
    wipe_disks
    rm -f /run/mdadm/map /dev/md/*
    A=${DISKS[0]} B=${DISKS[1]} C=${DISKS[2]} D=${DISKS[3]}
    MD=/dev/md0
}

teardown() {
    stop_all || :
}

# make_stale LEVEL N: an array of LEVEL on the first N disks with data
# (DATA_SUM); then the first two run without the others and take a write,
# so they are two events ahead and the freshest records the others as
# missing (events 4 and 2)
make_stale() {
    local level=$1 n=$2
    ours --create "$MD" --run -l "$level" -n "$n" --assume-clean -z 16M "${DISKS[@]:0:$n}" \
        >/dev/null 2>&1 || return 1
    write_pattern "$MD" $((4 << 20)) 0 || return 1
    DATA_SUM=$(dd if="$MD" bs=1M count=4 iflag=direct status=none | md5sum)
    ours --stop "$MD" >/dev/null || return 1
    ours --assemble "$MD" --run "$A" "$B" >/dev/null 2>&1 || return 1
    head -c 1048576 /dev/urandom | dd of="$MD" bs=1M seek=12 oflag=direct status=none || return 1
    ours --stop "$MD" >/dev/null
}

# the first 8 MiB of each disk (superblocks), saved and put back
save_heads() {
    local d
    for d in "${DISKS[@]}"; do
        dd if="$d" of="$BATS_TEST_TMPDIR/$(basename "$d").head" bs=1M count=8 iflag=direct status=none ||
            return 1
    done
}
restore_heads() {
    local d
    for d in "${DISKS[@]}"; do
        dd if="$BATS_TEST_TMPDIR/$(basename "$d").head" of="$d" bs=1M oflag=direct conv=notrunc \
            status=none || return 1
    done
}

# Events and Array State of each member after an assembly (the writes)
sb_facts() {
    local d
    for d in "$@"; do
        echo "$d $(peer --examine "$d" | grep -E '^ *(Events|Array State|Device Role) :' | tr -s ' ' | tr '\n' ' ')"
    done
}

# both TOOL ARGS...: run the assembly with the peer, record, put the disks
# back, run it with ours; stderr, status, the superblocks written and the
# data must be the same
both() {
    local t
    save_heads
    for t in peer ours; do
        restore_heads
        run --separate-stderr "$t" "$@"
        echo "$t: $status / $output / $stderr"
        echo "$status" > "$BATS_TEST_TMPDIR/$t.rc"
        echo "$stderr" > "$BATS_TEST_TMPDIR/$t.err"
        echo "$output" > "$BATS_TEST_TMPDIR/$t.out"
        if [ -e /sys/block/md0/md ] && [ "$(cat /sys/block/md0/md/array_state)" != inactive ]; then
            dd if="$MD" bs=1M count=4 iflag=direct status=none | md5sum > "$BATS_TEST_TMPDIR/$t.sum"
        else
            echo none > "$BATS_TEST_TMPDIR/$t.sum"
        fi
        stop_all
        sb_facts "${DISKS[@]}" > "$BATS_TEST_TMPDIR/$t.sb" 2>/dev/null
    done
    diff "$BATS_TEST_TMPDIR/peer.err" "$BATS_TEST_TMPDIR/ours.err"
    diff "$BATS_TEST_TMPDIR/peer.out" "$BATS_TEST_TMPDIR/ours.out"
    diff "$BATS_TEST_TMPDIR/peer.rc" "$BATS_TEST_TMPDIR/ours.rc"
    diff "$BATS_TEST_TMPDIR/peer.sum" "$BATS_TEST_TMPDIR/ours.sum"
    [ -n "${BOTH_NO_SB:-}" ] || diff "$BATS_TEST_TMPDIR/peer.sb" "$BATS_TEST_TMPDIR/ours.sb"
}

@test "--force: raid5 with a stale member (events 4 and 2) starts degraded with its data, as the peer" {
    make_stale 5 3
    sb_facts "$A" "$C"
    # without --force: refused, nothing written
    before=$(disk_sums "$A" "$B" "$C")
    run --separate-stderr ours --assemble "$MD" "$A" "$C"
    echo "$status $stderr"
    [ "$status" -eq 1 ]
    [[ $stderr =~ "$MD assembled from 1 drive - not enough to start the array." ]]
    stop_all
    [ "$(disk_sums "$A" "$B" "$C")" = "$before" ]

    both --assemble "$MD" --force "$A" "$C"
    grep -qx "mdadm: forcing event count in $C(2) from 2 up to 4" "$BATS_TEST_TMPDIR/ours.err"
    grep -qx "mdadm: clearing FAULTY flag for device 1 in $MD for $C" "$BATS_TEST_TMPDIR/ours.err"
    grep -qx "mdadm: Marking array $MD as 'clean'" "$BATS_TEST_TMPDIR/ours.err"
    grep -qx "mdadm: $MD has been started with 2 drives (out of 3)." "$BATS_TEST_TMPDIR/ours.out"
    [ "$(cat "$BATS_TEST_TMPDIR/ours.sum")" = "$DATA_SUM" ]
    # B was never given: untouched
    grep -q "^$B .*Events : 4 " "$BATS_TEST_TMPDIR/ours.sb"
}

@test "--force: raid6, two stale members of one vintage are both brought forward, as the peer" {
    make_stale 6 4
    # the peer's raid6 then resyncs (its events move on), ours does not:
    # the superblocks written by the assembly are compared in the raid5 test
    BOTH_NO_SB=1
    both --assemble "$MD" --force "$A" "$C" "$D"
    [ "$(grep -c "forcing event count" "$BATS_TEST_TMPDIR/ours.err")" -eq 2 ]
    [ "$(cat "$BATS_TEST_TMPDIR/ours.sum")" = "$DATA_SUM" ]
}

@test "--force: a clean array missing a member starts degraded, also with -q" {
    ours --create "$MD" --run -l5 -n3 --assume-clean -z 16M "$A" "$B" "$C" >/dev/null 2>&1
    ours --stop "$MD" >/dev/null
    run --separate-stderr ours --assemble "$MD" "$A" "$B"
    [ "$status" -eq 1 ]
    [[ $stderr =~ "need all 3 to start it (use --run to insist)" ]]
    stop_all
    both --assemble "$MD" --force "$A" "$B"
    grep -qx "mdadm: $MD has been started with 2 drives (out of 3)." "$BATS_TEST_TMPDIR/ours.out"
    both --assemble "$MD" -q --force "$A" "$B"
    [ ! -s "$BATS_TEST_TMPDIR/ours.err" ] || [ "$(cat "$BATS_TEST_TMPDIR/ours.err")" = "" ]
}

@test "--force refuses: a member of another array, a spare alone; disks byte-identical" {
    make_stale 5 3
    ours --create /dev/md1 --run -l1 -n2 -z 16M "$D" missing >/dev/null 2>&1
    ours --stop /dev/md1 >/dev/null
    before=$(disk_sums "$A" "$B" "$C" "$D")
    both --assemble "$MD" --force "$A" "$D"
    [ "$(cat "$BATS_TEST_TMPDIR/ours.rc")" = 1 ]
    grep -qx "mdadm: superblock on $D doesn't match others - assembly aborted" "$BATS_TEST_TMPDIR/ours.err"
    [ "$(disk_sums "$A" "$B" "$C" "$D")" = "$before" ]

    # a raid1 spare cannot stand in for the mirrors
    stop_all
    wipe_disks
    ours --create "$MD" --run -l1 -n2 -z 16M "$A" "$B" >/dev/null 2>&1
    wait_idle "$MD"
    ours "$MD" --add "$C" >/dev/null
    ours --stop "$MD" >/dev/null
    before=$(disk_sums "$A" "$B" "$C")
    both --assemble "$MD" --force "$C"
    [ "$(cat "$BATS_TEST_TMPDIR/ours.rc")" = 1 ]
    grep -qx "mdadm: $MD assembled from 0 drives and 1 spare - not enough to start the array." \
        "$BATS_TEST_TMPDIR/ours.err"
    [ "$(disk_sums "$A" "$B" "$C")" = "$before" ]
}

@test "--assemble --scan starts a degraded array; --no-degraded holds it back; messages as the peer" {
    ours --create /dev/md/asm --run -l5 -n3 --assume-clean -z 16M "$A" "$B" "$C" >/dev/null 2>&1
    ours --stop /dev/md/asm >/dev/null
    conf=$BATS_TEST_TMPDIR/mdadm.conf
    peer --examine --scan > "$conf"
    peer --zero-superblock "$C"
    for t in peer ours; do
        run --separate-stderr "$t" --assemble --scan
        echo "$t: $status $output $stderr"
        [ "$status" -eq 0 ]
        [ "$output" = "mdadm: /dev/md/asm has been started with 2 drives (out of 3)." ]
        [ "$(cat /sys/block/md127/md/degraded)" = 1 ]
        stop_all
        run --separate-stderr "$t" --assemble --scan --config="$conf"
        [ "$status" -eq 0 ]
        [ "$output" = "mdadm: /dev/md/asm has been started with 2 drives (out of 3)." ]
        stop_all
        run --separate-stderr "$t" --assemble --scan --config="$conf" --no-degraded
        echo "$t: $status $stderr"
        [ "$status" -eq 0 ]
        [ "$stderr" = "mdadm: /dev/md/asm assembled from 2 drives (out of 3), but not started." ]
        state_is md127 inactive
        stop_all
    done
    compare_tools --assemble /dev/md/asm --no-degraded "$A" "$B"
    compare_tools --assemble /dev/md/asm --no-degraded --run "$A" "$B"
}

@test "--assemble -u/--name over a list with other devices skips them, as the peer" {
    ours --create "$MD" --run -l5 -n3 --assume-clean -z 16M "$A" "$B" "$C" >/dev/null 2>&1
    ours --stop "$MD" >/dev/null
    uuid=$(peer --examine "$A" | sed -n 's/.*Array UUID : //p')
    peer --zero-superblock "$C"
    # C blank (the first listed: metadata unknown yet), D blank
    for args in "-u $uuid" "-q -u $uuid" "-v --name=0"; do
        run --separate-stderr peer -A /dev/md2 $args "$C" "$A" "$D" "$B"
        ps=$status pe=$stderr
        stop_all
        run --separate-stderr ours -A /dev/md2 $args "$C" "$A" "$D" "$B"
        stop_all
        echo "peer: $ps $pe"
        echo "ours: $status $stderr"
        [ "$status" = "$ps" ]
        # -v: the peer also lists what it found and added
        [ "$stderr" = "$(grep -v -e 'looking for devices' -e 'is identified as' -e 'added /dev' \
            -e 'no uptodate device' <<< "$pe")" ]
    done
    # C and D members of another array: "has wrong uuid"
    ours --create /dev/md1 --run -l1 -n2 -z 16M --name=other "$C" "$D" >/dev/null 2>&1
    ours --stop /dev/md1 >/dev/null
    run --separate-stderr peer -A /dev/md2 -u "$uuid" "$C" "$A" "$D" "$B" /dev/nonexistent
    p="$status $stderr"
    stop_all
    run --separate-stderr ours -A /dev/md2 -u "$uuid" "$C" "$A" "$D" "$B" /dev/nonexistent
    o="$status $stderr"
    stop_all
    echo "peer: $p"
    echo "ours: $o"
    [ "$o" = "$p" ]
    [[ $o =~ "$C has wrong uuid." ]]
    # nothing matches: exit 2 after the reasons
    compare_tools -A /dev/md2 --name=nomatch "$C" "$A"
    # without an identity a stranger still aborts the assembly
    run ours -A /dev/md2 "$A" "$C"
    [ "$status" -eq 1 ]
    [[ $output =~ "superblock on $C doesn't match others - assembly aborted" ]]
}

@test "--incremental takes the name of the ARRAY line with the array's uuid, as the peer" {
    ours --create /dev/md/foo --run -l1 -n2 -z 16M --name=foo "$A" "$B" >/dev/null 2>&1
    ours --stop /dev/md/foo >/dev/null
    uuid=$(peer --examine "$A" | sed -n 's/.*Array UUID : //p')
    # a name= line does not claim members under -I (the peer uses the
    # superblock's name then)
    for line in "ARRAY /dev/md/bar UUID=$uuid" "ARRAY /dev/md5 UUID=$uuid" "ARRAY /dev/md/baz name=foo"; do
        echo "$line" > "$BATS_TEST_TMPDIR/conf"
        for t in peer ours; do
            rm -f /run/mdadm/map /dev/md/*
            "$t" -I --export "$A" --config="$BATS_TEST_TMPDIR/conf" > "$BATS_TEST_TMPDIR/$t.1" 2>/dev/null
            "$t" -I --export "$B" --config="$BATS_TEST_TMPDIR/conf" > "$BATS_TEST_TMPDIR/$t.2" 2>/dev/null
            cat /run/mdadm/map > "$BATS_TEST_TMPDIR/$t.map"
            stop_all
        done
        echo "$line"
        cat "$BATS_TEST_TMPDIR"/ours.[12] "$BATS_TEST_TMPDIR/ours.map"
        diff "$BATS_TEST_TMPDIR/peer.1" "$BATS_TEST_TMPDIR/ours.1"
        diff "$BATS_TEST_TMPDIR/peer.2" "$BATS_TEST_TMPDIR/ours.2"
        diff <(cut -d' ' -f1,2,4 "$BATS_TEST_TMPDIR/peer.map") <(cut -d' ' -f1,2,4 "$BATS_TEST_TMPDIR/ours.map")
    done
}
