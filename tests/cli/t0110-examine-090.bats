#!/usr/bin/env bats
# --examine of 0.90 members: images of arrays the peer (mdadm 4.6) created
# on the real kernel (tests/fixtures/images-090), compared with what the
# peer printed there and, when it is installed, with the peer run here.

bats_require_minimum_version 1.5.0
load lib

FIX090=$TOP/tests/fixtures/images-090
PEER=${PEER:-$TOP/build/peer/mdadm}

scenarios090() { local d; for d in "$FIX090"/*/; do basename "$d"; done; }
members090() { local f; for f in "$FIX090/$1"/*.img.tar.xz; do basename "$f" .img.tar.xz; done; }
img090() { # img090 SCEN DEV: unpacked once per file
    local dir="$BATS_FILE_TMPDIR/img090/$1"
    if [ ! -e "$dir/$2.img" ]; then
        mkdir -p "$dir"
        tar -xSJf "$FIX090/$1/$2.img.tar.xz" -C "$dir"
    fi
    echo "$dir/$2.img"
}
copy090() { # a private writable copy
    local dst="$BATS_TEST_TMPDIR/$1-$2.img"
    cp --sparse=always "$(img090 "$1" "$2")" "$dst"
    echo "$dst"
}

# The descriptor table names devices by their major:minor on the machine
# that prints it (the guest's /dev/vdX there, whatever has that number
# here): compare without that column.
no_names() { sed -E 's#   /dev/[^ ]+$##'; }

# patch_word IMG WORD VALUE: overwrite one 32-bit word of the 0.90
# superblock (little-endian, as the fixtures were written)
patch_word() {
    python3 - "$@" <<'PY'
import os, struct, sys
img, word, value = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 0)
size = os.path.getsize(img) // 512
off = ((size & ~127) - 128) * 512 + 4 * word
with open(img, "r+b") as f:
    f.seek(off)
    f.write(struct.pack("<I", value & 0xffffffff))
PY
}
# fix_csum IMG: recompute the checksum as the kernel does
fix_csum() {
    python3 - "$1" <<'PY'
import os, struct, sys
img = sys.argv[1]
off = ((os.path.getsize(img) // 512 & ~127) - 128) * 512
with open(img, "r+b") as f:
    f.seek(off)
    w = list(struct.unpack("<1024I", f.read(4096)))
    w[38] = 0
    s = sum(w)
    f.seek(off + 4 * 38)
    f.write(struct.pack("<I", ((s & 0xffffffff) + (s >> 32)) & 0xffffffff))
PY
}

@test "0.90 --examine matches upstream's text on every fixture member (plain, --homehost, --export)" {
    local scen dev img bad=0
    for scen in $(scenarios090); do
        for dev in $(members090 "$scen"); do
            img=$(img090 "$scen" "$dev")
            diff -u <(sed "s#^/dev/$dev:#$img:#" "$FIX090/$scen/examine-$dev.txt" | no_names) \
                    <("$MDADM" --examine "$img" | no_names) || bad=1
            diff -u <(sed "s#^/dev/$dev:#$img:#" "$FIX090/$scen/examine-homehost-$dev.txt" | no_names) \
                    <("$MDADM" --examine --homehost=fixturehost "$img" | no_names) || bad=1
            diff -u "$FIX090/$scen/examine-export-$dev.txt" \
                    <("$MDADM" --examine --export "$img") || bad=1
        done
    done
    [ $bad -eq 0 ]
}

@test "0.90 --examine --brief and --brief --verbose match upstream (spares=, devices=)" {
    local scen dev imgs exp_v bad=0
    for scen in $(scenarios090); do
        imgs=()
        exp_v=$(cat "$FIX090/$scen/examine-brief-verbose.txt")
        for dev in $(members090 "$scen"); do
            imgs+=("$(img090 "$scen" "$dev")")
            exp_v=${exp_v//\/dev\/$dev/$(img090 "$scen" "$dev")}
        done
        diff -u "$FIX090/$scen/examine-brief.txt" <("$MDADM" --examine --brief "${imgs[@]}") || bad=1
        diff -u "$FIX090/$scen/examine-brief-homehost.txt" \
                <("$MDADM" -Eb --homehost=fixturehost "${imgs[@]}") || bad=1
        diff -u <(echo "$exp_v") <("$MDADM" --examine --brief --verbose "${imgs[@]}") || bad=1
    done
    [ $bad -eq 0 ]
}

@test "0.90 --examine is byte-identical to the peer run on this machine, device names included" {
    [ -x "$PEER" ] || skip "peer mdadm not installed (tests/install-deps)"
    local scen dev img imgs bad=0 a
    for scen in $(scenarios090); do
        imgs=()
        for dev in $(members090 "$scen"); do
            img=$(img090 "$scen" "$dev")
            imgs+=("$img")
            for a in "" --export --homehost=fixturehost --homehost=other; do
                # shellcheck disable=SC2086
                diff -u <("$PEER" --examine $a "$img" 2>&1) <("$MDADM" --examine $a "$img" 2>&1) || bad=1
            done
        done
        diff -u <("$PEER" -Ebv "${imgs[@]}") <("$MDADM" -Ebv "${imgs[@]}") || bad=1
    done
    [ $bad -eq 0 ]
}

@test "0.90 and 1.2 members examined together: one ARRAY line each, newest first" {
    run --separate-stderr "$MDADM" --examine --brief "$(img090 v090-r1-none vda)" \
        "$(fixture_img r1-none vda)" "$(img090 v090-r1-none vdb)"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 2 ]
    [[ ${lines[0]} =~ ^ARRAY\ /dev/md/r1-none\ +metadata=1.2 ]]
    [[ ${lines[1]} =~ ^ARRAY\ /dev/md0\ UUID= ]]
}

@test "0.90 --examine --json is one valid document" {
    run --separate-stderr "$MDADM" --examine --json "$(img090 v090-r5-internal vda)" "$(img090 v090-r1-spare vdc)"
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"]
assert d[0]["metadata"] == "0.90" and d[0]["level_name"] == "raid5", d[0]
assert d[0]["bitmap"] is True and d[0]["checksum"]["ok"] is True
assert d[1]["this_state"] == 0 and d[1]["bitmap"] is False, d[1]
'
    # the keys and units of the v1 report: chunk and size in sectors
    chunk=$(sed -n 's/^ *Chunk Size : \([0-9]*\)K$/\1/p' "$FIX090/v090-r5-internal/examine-vda.txt")
    used=$(sed -n 's/^ *Used Dev Size : \([0-9]*\) .*/\1/p' "$FIX090/v090-r5-internal/examine-vda.txt")
    [ -n "$chunk" ] && [ -n "$used" ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["level"] == 5 and d["chunk_size_sectors"] == int(sys.argv[1]) * 2, d
assert d["used_dev_size_sectors"] == int(sys.argv[2]) * 2, d
assert "chunk_size_bytes" not in d and "used_dev_size_kib" not in d
' "$chunk" "$used"
}

@test "0.90 superblock with a wrong checksum: shown with the expected sum (as upstream), exit 1" {
    local img
    img=$(copy090 v090-r1-none vda)
    patch_word "$img" 100 7        # a reserved personality word
    run --separate-stderr "$MDADM" --examine "$img"
    [ "$status" -eq 1 ]
    [[ $output =~ Checksum\ :\ [0-9a-f]+\ -\ expected\ [0-9a-f]+ ]]
    [[ $stderr =~ "superblock checksum is wrong" ]]
    if [ -x "$PEER" ]; then
        diff <("$PEER" --examine "$img" 2>/dev/null | no_names) <(echo "$output" | no_names)
    fi
}

@test "0.90 superblocks with impossible counts are refused with the reason, nothing printed" {
    local img
    for case in "10 28 raid_disks 28" "10 0 raid_disks 0" "37 4000000000 slots" \
                "992 27 number 27" "8 4294967295 runs into the superblock" "2 89 0.89"; do
        set -- $case
        img=$(copy090 v090-r1-spare vda)
        patch_word "$img" "$1" "$2"
        fix_csum "$img"
        run --separate-stderr "$MDADM" --examine "$img"
        echo "case $case: status=$status stderr=$stderr"
        [ "$status" -eq 1 ]
        [ -z "$output" ]
        [[ $stderr =~ "superblock is not usable: ".*"${*:3}" ]]
    done
}

@test "0.90 superblock of the other byte order: named, exit 1 (upstream sees no superblock)" {
    local img
    img=$(copy090 v090-r1-none vda)
    python3 - "$img" <<'PY'
import os, struct, sys
img = sys.argv[1]
off = ((os.path.getsize(img) // 512 & ~127) - 128) * 512
with open(img, "r+b") as f:
    f.seek(off)
    w = list(struct.unpack("<1024I", f.read(4096)))
    w[39], w[40] = w[40], w[39]
    w[41], w[42] = w[42], w[41]
    w[44], w[45] = w[45], w[44]
    f.seek(off)
    f.write(struct.pack(">1024I", *w))
PY
    run --separate-stderr "$MDADM" --examine "$img"
    [ "$status" -eq 1 ]
    [[ $stderr =~ "other byte order" ]]
    run --separate-stderr "$MDADM" --examine --brief "$img"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "a 0.90 magic with major version 1 is damaged, not absent" {
    local img
    img=$(copy090 v090-r1-none vda)
    patch_word "$img" 1 1
    run --separate-stderr "$MDADM" --examine "$img"
    [ "$status" -eq 1 ]
    [[ $stderr =~ "major version 1" ]]
}

@test "0.90 --examine-bitmap of the classic bitmap after the superblock matches upstream's text" {
    local scen dev img f bad=0
    for scen in v090-r1-internal v090-r5-internal; do
        for dev in $(members090 "$scen"); do
            img=$(img090 "$scen" "$dev")
            f=$FIX090/$scen/examine-bitmap-$dev
            diff -u <(sed "s#/dev/$dev\b#$img#" "$f.txt"; cat "$f.rc") \
                    <("$MDADM" --examine-bitmap "$img"; echo $?) || bad=1
        done
    done
    [ $bad -eq 0 ]
}

@test "0.90 member without a bitmap: -X says so, exit 1 (upstream prints a zeroed header and warnings)" {
    local img
    img=$(img090 v090-r1-none vda)
    run --separate-stderr "$MDADM" -X "$img"
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: $img doesn't have bitmap" ]
}

@test "--assemble reads 0.90 members; image files are refused as for v1, nothing written" {
    local a b
    a=$(copy090 v090-r1-none vda)
    b=$(copy090 v090-r1-none vdb)
    expect_refusal "$a" "is not a block device" --assemble /dev/md90 "$a" "$b"
    expect_refusal "$b" "is not a block device" --assemble /dev/md90 "$a" "$b"
}

@test "--query of 0.90 members: upstream's member line" {
    local scen dev img bad=0
    for scen in v090-r10 v090-r1-spare v090-linear; do
        for dev in $(members090 "$scen"); do
            img=$(img090 "$scen" "$dev")
            run "$MDADM" --query "$img"
            [ "$status" -eq 0 ] || bad=1
            [[ ${lines[1]} =~ ^$img:\ device\ [0-9]+\ in\ [0-9]+\ device\ inactive\ (raid10|raid1|linear)\ array\.\ \ Use\ mdadm\ --examine\ for\ more\ detail\.$ ]] || { echo "$output"; bad=1; }
            if [ -x "$PEER" ]; then
                diff <("$PEER" --query "$img" 2>&1) <("$MDADM" --query "$img" 2>&1) || bad=1
            fi
        done
    done
    [ $bad -eq 0 ]
}
