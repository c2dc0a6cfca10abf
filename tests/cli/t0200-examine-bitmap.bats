#!/usr/bin/env bats
# --examine-bitmap on member images from the real kernel: classic bitmaps
# exactly as upstream prints them, lockless bitmaps counted state by state
# and compared with what the kernel showed in md/llbitmap/bits.

bats_require_minimum_version 1.5.0
load lib

kernel_count() { # kernel_count SCENARIO LABEL
    awk -v l="$2" '{ v = $NF; $NF = ""; sub(/ $/, ""); if ($0 == l) print v }' \
        "$FIXTURES/$1/kernel-bits.txt"
}

# Our count of a state; for a bitmap still marked first-use (the kernel
# initialised the region but had not rewritten the superblock yet) the count
# the kernel will have after the next start, which is what it showed.
our_count() { # our_count JSONFILE KEY
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
key = sys.argv[2]
if d["first_use"]:
    print(d["first_use_chunks"] if d["first_use_state"] == key else 0)
else:
    print(d["states"][key])' "$1" "$2"
}

lockless_scenarios() {
    local s
    for s in $(scenarios); do
        [ "$(meta "$s" BITMAP)" = lockless ] && echo "$s"
    done
}

@test "classic bitmaps: -X matches upstream exactly (and --brief drops the Bitmap line)" {
    local scen dev img n=0
    for scen in $(scenarios); do
        [ "$(meta "$scen" BITMAP)" = internal ] || continue
        for dev in $(members "$scen"); do
            img=$(fixture_img "$scen" "$dev")
            diff -u <(peer_out "$scen" "examine-bitmap-$dev.txt" "$img" "$dev") \
                    <("$MDADM" --examine-bitmap "$img")
            run "$MDADM" -X --brief "$img"
            [ "$status" -eq 0 ]
            [[ ! $output =~ "Bitmap :" ]]
            [[ $output =~ "Sync Size :" ]]
            n=$((n + 1))
        done
    done
    [ "$n" -gt 0 ]
}

@test "lockless bitmaps: per-state counts equal the kernel's md/llbitmap/bits" {
    # Captured while running: the on-disk bytes are what the kernel counted.
    # Captured after a clean stop: the stop flushes dirty chunks as clean.
    local scen dev img json s k o n=0
    for scen in $(lockless_scenarios); do
        for dev in $(members "$scen"); do
            img=$(fixture_img "$scen" "$dev")
            json=$BATS_TEST_TMPDIR/$scen-$dev.json
            "$MDADM" --examine-bitmap --json "$img" > "$json"
            for s in unwritten clean dirty "need sync" syncing "need sync unwritten" \
                     "syncing unwritten" "clean unwritten"; do
                k=$(kernel_count "$scen" "$s")
                o=$(our_count "$json" "${s// /_}")
                if [ "$(meta "$scen" CAPTURE)" = stopped ]; then
                    [ "$s" = clean ] && k=$((k + $(kernel_count "$scen" dirty)))
                    [ "$s" = dirty ] && k=0
                fi
                echo "$scen/$dev $s: kernel $k ours $o"
                [ "$k" = "$o" ]
            done
            grep -q '"first_use": true' "$json" || [ "$(our_count "$json" invalid)" = 0 ]
            n=$((n + 1))
        done
    done
    [ "$n" -gt 0 ]
}

@test "lockless -X text: header like upstream, then type, flags, counts" {
    img=$(fixture_img r1-lockless-dirty vda)
    run --separate-stderr "$MDADM" -X "$img"
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "        Filename : $img" ]]
    [[ ${lines[1]} == "           Magic : 6d746962" ]]
    [[ ${lines[2]} == "         Version : 6" ]]
    [[ $output =~ "Chunksize : 64 KB" ]]
    [[ $output =~ "Daemon : 30s flush period" ]]
    [[ $output =~ "Bitmap Type : lockless" ]]
    [[ $output =~ "Reserved Space : 256 sectors" ]]
    [[ $output =~ "Bitmap : 5104 bits (chunks), 513 dirty (10.1%)" ]]
    [[ $output =~ "               unwritten : 4591" ]]
    [[ $output =~ "                   dirty : 513" ]]
    [[ ! $output =~ "Chunk Ranges" ]]
    uuid=$(awk '/Array UUID/{print $4}' "$FIXTURES/r1-lockless-dirty/examine-vda.txt")
    [[ $output =~ "UUID : $uuid" ]]
}

@test "lockless -X --verbose lists ranges as chunks and array sectors" {
    img=$(fixture_img r1-lockless-dirty vda)
    run "$MDADM" -X --verbose "$img"
    [ "$status" -eq 0 ]
    # 8 MiB at 0 dirtied the first 512-chunk bitmap block; 4 KiB at 200 MiB
    # one chunk (3200 = 200 MiB / 64 KiB); 64 KiB chunks are 128 sectors
    [[ $output =~ "dirty : chunks 0-511 (512), array sectors 0-65535" ]]
    [[ $output =~ "dirty : chunk 3200 (1), array sectors 409600-409727" ]]
    [[ $output =~ "unwritten : chunks 512-3199 (2688), array sectors 65536-409599" ]]
}

@test "raid5 lockless ranges map member chunks to enclosing array stripes" {
    img=$(fixture_img r5-lockless vda)
    run "$MDADM" -X --json "$img"
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"][0]
# 3 disks, 2 data disks, 512 KiB md chunk (1024 sectors), 64 KiB bitmap chunks
r = [x for x in d["ranges"] if x["first_chunk"] == 0][0]
first, last = r["first_chunk"], r["last_chunk"]
assert r["array_sector_first"] == 0, r
rows_end = ((last + 1) * 128 - 1) // 1024
assert r["array_sector_last"] == rows_end * 2048 + 1024 + ((last + 1) * 128 - 1) % 1024, r
assert sum(x["chunks"] for x in d["ranges"]) == d["chunks"]
'
}

@test "--examine-bitmap --json is valid and has states for every state and invalid" {
    img=$(fixture_img r1-lockless vda)
    run "$MDADM" --examine-bitmap --json "$img" "$(fixture_img r1-internal vda)"
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"]
ll, cl = d
keys = ["unwritten","clean","dirty","need_sync","syncing","need_sync_unwritten",
        "syncing_unwritten","clean_unwritten","invalid"]
assert sorted(ll["states"]) == sorted(keys), ll["states"]
assert sum(ll["states"].values()) == ll["chunks"]
assert ll["type"] == "lockless" and ll["superblock"]["version"] == 6
assert ll["superblock"]["chunk_bytes"] == 65536
assert cl["type"] == "internal" and "states" not in cl and cl["chunks"] == 5
'
}

@test "-X on a member without a bitmap says so like upstream, exit 1" {
    img=$(fixture_img r1-none vda)
    run --separate-stderr "$MDADM" -X "$img"
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: $img doesn't have bitmap" ]
}

@test "-X --brief on lockless stops after the header facts" {
    run "$MDADM" -X --brief "$(fixture_img r1-lockless vda)"
    [ "$status" -eq 0 ]
    [[ $output =~ "Bitmap Type : lockless" ]]
    [[ ! $output =~ "Chunk States" ]]
}

@test "assume-clean lockless member still marked first-use: predicted all clean, with a note" {
    # mdadm 4.6 leaves events 0 with --assume-clean, so the kernel never
    # rewrote the bitmap superblock: FIRST_USE|CLEAN and the byte chunk size
    # mdadm wrote are still on disk; the next start re-initialises.
    img=$(fixture_img r1-lockless-clean vdb)
    run --separate-stderr "$MDADM" -X "$img"
    [ "$status" -eq 0 ]
    [[ $output =~ "Flags : first-use,clean" ]]
    [[ $output =~ "Chunksize : not set yet (first use; the kernel will choose 64 KB)" ]]
    [[ $output =~ "the kernel marks all 5104 chunks clean" ]]
    [[ $stderr =~ "marked first-use" ]]
    run "$MDADM" -X --json "$img"
    [[ $output =~ \"first_use_chunks\":\ 5104 ]]
    [[ $output =~ \"first_use_state\":\ \"clean\" ]]
}

@test "a lockless bitmap of 163328 chunks in alternating states: at most 65536 ranges listed, the rest counted" {
    local img off
    img=$(fixture_img r1-lockless vda)
    cp --sparse=always "$img" "$BATS_TEST_TMPDIR/alt.img"
    img=$BATS_TEST_TMPDIR/alt.img
    "$IMGEDIT" "$img" set-bitmap chunksize 4          # sectors: 2 KiB chunks
    "$IMGEDIT" "$img" set-bitmap sectors_reserved 512
    off=$("$IMGEDIT" "$img" sb-offset)
    python3 - "$img" "$off" <<'PY'
import struct, sys
img, off = sys.argv[1], int(sys.argv[2])
with open(img, "r+b") as f:
    f.seek(off + 96)
    start = off + struct.unpack("<i", f.read(4))[0] * 512 + 1024
    f.seek(start)
    f.write(bytes([1, 2]) * (163328 // 2))      # clean, dirty, clean, ...
PY
    run "$MDADM" -X --verbose "$img"
    [ "$status" -eq 0 ]
    [ "$(grep -c ': chunk ' <<< "$output")" -eq 65536 ]
    [[ $output == *"... and 16128 more ranges, not listed (at most 65536 are)"* ]]
    run "$MDADM" -X --json "$img"
    [ "$status" -eq 0 ]
    [ "${#output}" -lt 20000000 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["chunks"] == 163328 and d["states"]["dirty"] == 81664, d["states"]
assert len(d["ranges"]) == 65536 and d["ranges_omitted"] == 163328 - 65536
'
}
