#!/usr/bin/env bats
# --examine-badblocks on member images: the bad-block log listed in
# mdadm 4.6's layout (compared with the peer run here when it is
# installed), its messages for an empty log, no log, 0.90 and non-md
# devices, and a hostile log read without harm.

bats_require_minimum_version 1.5.0
load lib

PEER=${PEER:-$TOP/build/peer/mdadm}

# bblog_at IMG: byte offset of the member's bad-block log
bblog_at() {
    local sb_off super bbl
    sb_off=$(python3 "$IMGEDIT" "$1" sb-offset)
    super=$(od -An -t u8 -j $((sb_off + 144)) -N 8 "$1" | tr -d ' ')
    bbl=$(od -An -t d4 -j $((sb_off + 188)) -N 4 "$1" | tr -d ' ')
    echo $(((super + bbl) * 512))
}

# entry SECTOR COUNT: one log entry as little-endian hex bytes
entry() {
    python3 -c 'import struct,sys; print(struct.pack("<Q", (int(sys.argv[1]) << 10) | int(sys.argv[2])).hex())' "$1" "$2"
}

# both IMG: ours and (when installed) the peer print the same, exit the same
both() {
    run --separate-stderr "$MDADM" --examine-badblocks "$@"
    local ours=$output ours_err=$stderr ours_rc=$status
    if [ -x "$PEER" ]; then
        run --separate-stderr "$PEER" --examine-badblocks "$@"
        [ "$status" = "$ours_rc" ] || { echo "exit: ours $ours_rc, peer $status ($stderr)"; return 1; }
        [ "$output" = "$ours" ] || { diff <(echo "$ours") <(echo "$output"); return 1; }
        [ "$stderr" = "$ours_err" ] || { echo "stderr: ours '$ours_err', peer '$stderr'"; return 1; }
    fi
    output=$ours stderr=$ours_err status=$ours_rc
}

@test "an empty bad-block log: upstream's line, exit 0" {
    local img
    img=$(fixture_copy r1-none vda)
    both "$img"
    [ "$status" -eq 0 ]
    [ "$output" = "Bad-blocks list is empty in $img" ]
}

@test "recorded bad blocks are listed as ranges in sectors" {
    local img at
    img=$(fixture_copy r1-none vda)
    at=$(bblog_at "$img")
    python3 "$IMGEDIT" "$img" poke "$at" "$(entry 1000 8)$(entry 4096 16)ffffffffffffffff"
    # entries count only while the superblock's bad-blocks feature bit is set
    both "$img"
    [ "$status" -eq 0 ] && [ "$output" = "Bad-blocks list is empty in $img" ]
    python3 "$IMGEDIT" "$img" set-sb feature_map $(($(od -An -t u4 -j $(($(python3 "$IMGEDIT" "$img" sb-offset) + 8)) -N 4 "$img") | 8))
    both "$img"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "Bad-blocks on $img:" ]
    [ "${lines[1]}" = "                1000 for 8 sectors" ]
    [ "${lines[2]}" = "                4096 for 16 sectors" ]
    [ "${#lines[@]}" -eq 3 ]
}

@test "no bad-block log configured; several devices in one call" {
    local a b sb_off
    a=$(fixture_copy r1-none vda)
    b=$(fixture_copy r1-none vdb)
    python3 "$IMGEDIT" "$b" set-sb bblog_offset 0
    both "$a" "$b"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "Bad-blocks list is empty in $a" ]
    [ "${lines[1]}" = "No bad-blocks list configured on $b" ]
}

@test "not an md member, a missing file, no device: upstream's messages and exit codes" {
    local blank=$BATS_TEST_TMPDIR/blank.img
    truncate -s 4M "$blank"
    both "$blank"
    [ "$status" -eq 1 ] && [ "$stderr" = "mdadm: No md superblock detected on $blank" ]
    both "$BATS_TEST_TMPDIR/nonexistent"
    [ "$status" -eq 1 ] && [[ $stderr == *"cannot open $BATS_TEST_TMPDIR/nonexistent"* ]]
    run --separate-stderr "$MDADM" --examine-badblocks
    [ "$status" -eq 2 ] && [ "$stderr" = "mdadm: No devices given." ]
}

@test "a 0.90 member has no bad-block log: upstream's message, exit 1" {
    local scen img
    scen=$(ls "$TOP/tests/fixtures/images-090" | head -1)
    mkdir -p "$BATS_TEST_TMPDIR/090"
    tar -xSJf "$TOP/tests/fixtures/images-090/$scen/vda.img.tar.xz" -C "$BATS_TEST_TMPDIR/090"
    img=$BATS_TEST_TMPDIR/090/vda.img
    both "$img"
    [ "$status" -eq 1 ] && [ "$stderr" = "mdadm: 0.90 metadata does not support badblocks" ]
}

@test "a hostile log (huge size, log outside the device) is refused without reading past it" {
    local img sb_off before
    img=$(fixture_copy r1-none vda)
    sb_off=$(python3 "$IMGEDIT" "$img" sb-offset)
    # bblog_size (le16 at 186) claims 65535 sectors
    python3 "$IMGEDIT" "$img" poke $((sb_off + 186)) ffff
    python3 "$IMGEDIT" "$img" set-sb feature_map 8
    before=$(sum "$img")
    run --separate-stderr "$MDADM" --examine-badblocks "$img"
    [ "$status" -eq 1 ] && [[ $stderr == *"bad-block log of $img is implausible"* ]]
    [ "$(sum "$img")" = "$before" ]
    img=$(fixture_copy r1-none vdb)
    python3 "$IMGEDIT" "$img" set-sb feature_map 8
    python3 "$IMGEDIT" "$img" set-sb bblog_offset 2000000000
    run --separate-stderr "$MDADM" --examine-badblocks "$img"
    [ "$status" -eq 1 ] && [[ $stderr == *"lies outside the device"* ]]
}
