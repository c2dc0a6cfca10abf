#!/usr/bin/env bats
# --zero-superblock on member images: every md superblock is cleared, byte
# for byte as upstream 4.6 clears it, messages and exit statuses as its.

bats_require_minimum_version 1.5.0
load lib

PEER=${PEER:-$TOP/build/peer/mdadm}

# zero_both SCEN DEV: ours and the peer on two copies of one member; both
# exit 0, silently, and leave identical bytes
zero_both() {
    local ours peer
    ours=$(fixture_copy "$1" "$2")
    peer="$BATS_TEST_TMPDIR/peer-$1-$2.img"
    cp --sparse=always "$ours" "$peer"
    run --separate-stderr "$MDADM" --zero-superblock "$ours"
    [ "$status" -eq 0 ] && [ -z "$stderr" ] || { echo "ours: $status $stderr"; return 1; }
    run --separate-stderr "$PEER" --zero-superblock "$peer"
    [ "$status" -eq 0 ] || { echo "peer: $status $stderr"; return 1; }
    cmp "$ours" "$peer" || { echo "$1/$2: bytes differ from the peer's"; return 1; }
    echo "$ours"
}

@test "--zero-superblock clears 1.0, 1.1 and 1.2 members of every fixture as upstream does" {
    [ -x "$PEER" ] || skip "peer mdadm not installed (tests/install-deps)"
    local scen img
    for scen in r1-none r1-v10-internal r1-v11-none r1-lockless r5-internal r10-lockless; do
        img=$(zero_both "$scen" vda) || { echo "$img"; return 1; }
        run "$MDADM" --examine "$img"
        [ "$status" -ne 0 ] || { echo "$scen: still a member: $output"; return 1; }
        if command -v blkid >/dev/null; then
            run blkid -p -o value -s TYPE "$img"
            [[ $output != *linux_raid_member* ]] || { echo "$scen: blkid still sees a member"; return 1; }
        fi
    done
}

@test "a device without a superblock: upstream's message, exit 0, nothing written" {
    local img=$BATS_TEST_TMPDIR/blank.img before
    truncate -s 16M "$img"
    head -c 4096 /dev/urandom | dd of="$img" bs=4096 seek=2 conv=notrunc status=none
    before=$(sum "$img")
    run --separate-stderr "$MDADM" --zero-superblock "$img"
    [ "$status" -eq 0 ]
    [ "$stderr" = "mdadm: Unrecognised md component device - $img" ]
    [ "$(sum "$img")" = "$before" ]
}

@test "a device that cannot be opened: 'not zeroing', exit 2; the others are still zeroed" {
    local img
    img=$(fixture_copy r1-none vdb)
    run --separate-stderr "$MDADM" --zero-superblock /nonexistent/dev "$img"
    [ "$status" -eq 2 ]
    [[ $stderr == "mdadm: Couldn't open /nonexistent/dev for write - not zeroing" ]]
    run "$MDADM" --examine "$img"
    [ "$status" -ne 0 ]
}

@test "a character device is no member (upstream's message, exit 0), a directory cannot be opened (exit 2)" {
    run --separate-stderr "$MDADM" --zero-superblock /dev/null
    [ "$status" -eq 0 ]
    [ "$stderr" = "mdadm: Unrecognised md component device - /dev/null" ]
    run --separate-stderr "$MDADM" --zero-superblock "$BATS_TEST_TMPDIR"
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: Couldn't open $BATS_TEST_TMPDIR for write - not zeroing" ]
}

@test "--zero abbreviates --zero-superblock" {
    local img
    img=$(fixture_copy r1-none vda)
    run "$MDADM" --zero "$img"
    [ "$status" -eq 0 ]
    run "$MDADM" --examine "$img"
    [ "$status" -ne 0 ]
}
