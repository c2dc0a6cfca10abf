#!/usr/bin/env bats
# Hostile and damaged input: every case gets a message naming the problem,
# a non-zero exit that is not a crash, and no write to the image.

bats_require_minimum_version 1.5.0
load lib

setup() {
    img=$(fixture_copy r1-lockless vda)
    sbo=$("$IMGEDIT" "$img" sb-offset)
}

edit() { "$IMGEDIT" "$img" "$@"; }

@test "nonexistent path, directory, character device, empty file" {
    run --separate-stderr "$MDADM" --examine /nonexistent/x
    [ "$status" -eq 1 ]; [[ $stderr =~ "cannot open /nonexistent/x: No such file" ]]
    run --separate-stderr "$MDADM" --examine "$BATS_TEST_TMPDIR"
    [ "$status" -eq 1 ]; [[ $stderr =~ "is not a block device or an image file" ]]
    run --separate-stderr "$MDADM" --examine-bitmap /dev/null
    [ "$status" -eq 1 ]; [[ $stderr =~ "/dev/null is not a block device or an image file" ]]
    : > "$BATS_TEST_TMPDIR/empty"
    run --separate-stderr "$MDADM" --examine "$BATS_TEST_TMPDIR/empty"
    [ "$status" -eq 1 ]; [[ $stderr =~ "too small for md" ]]
}

@test "truncated image: too small, or data area past the end" {
    truncate -s 3000 "$img"
    expect_refusal "$img" "too small for md" --examine "$img"
    img=$(fixture_copy r1-lockless vdb)
    truncate -s 100M "$img"
    expect_refusal "$img" "superblock is not usable: .*(past|beyond|end of the device)" --examine "$img"
    expect_refusal "$img" "superblock is not usable" --examine-bitmap "$img"
}

@test "wrong superblock magic: no md superblock" {
    edit poke "$sbo" 00000000
    expect_refusal "$img" "No md superblock detected on" --examine "$img"
    expect_refusal "$img" "No md superblock detected on" --examine-bitmap "$img"
}

@test "bad checksum: shown as upstream does, then an error and exit 1" {
    edit set-sb events 77 --keep-csum
    expect_refusal "$img" "superblock checksum is wrong \(stored [0-9a-f]+, computed [0-9a-f]+\)" --examine "$img"
    [[ $output =~ Checksum\ :\ [0-9a-f]+\ -\ expected\ [0-9a-f]+ ]]
    [[ $output =~ "Events : 77" ]]
}

@test "major version 2 and an absurd max_dev are refused with the reason" {
    edit set-sb major_version 2
    expect_refusal "$img" "no usable md superblock on .*major" --examine "$img"
    img=$(fixture_copy r1-lockless vdb)
    edit set-sb max_dev 5000
    expect_refusal "$img" "no usable md superblock on .*max_dev" --examine "$img"
}

@test "absurd offsets and sizes with a valid checksum are refused" {
    for f in "data_offset 0xffffffffffffff00" "data_size 0xfffffffffffffff0" \
             "super_offset 4096" "raid_disks 100000" "feature_map 0x4000" "pad3 1"; do
        img=$(fixture_copy r1-lockless vda)
        edit set-sb $f
        echo "case: $f"
        expect_refusal "$img" "(superblock is not usable|no usable md superblock)" --examine "$img"
        expect_refusal "$img" "(superblock is not usable|no usable md superblock)" -X "$img"
    done
}

@test "bitmap offset pointing outside the device" {
    edit set-sb bitmap_offset 0x7fffff00
    expect_refusal "$img" "(bitmap|superblock is not usable)" --examine-bitmap "$img"
}

@test "unknown bitmap version: header shown, two-line error, exit 1" {
    edit set-bitmap version 7
    expect_refusal "$img" "unknown bitmap version 7, either the bitmap file" --examine-bitmap "$img"
    [[ $output =~ "Version : 7" ]]
}

@test "the Linux 7.2 4K-block header corruption is recognised" {
    edit set-bitmap version 0x02020206
    expect_refusal "$img" "unknown bitmap version 33686022.*header overwritten with chunk states" \
        --examine-bitmap "$img"
}

@test "wrong bitmap magic is reported" {
    edit set-bitmap magic 0x12345678
    expect_refusal "$img" "cannot read the bitmap: .*magic" --examine-bitmap "$img"
}

@test "state bytes that are no valid state: counted as invalid, warned, exit 1" {
    edit fill-states 100 3 0x80
    edit fill-states 4000 1 0xff
    expect_refusal "$img" "4 lockless bitmap bytes hold no valid state \(first: chunk 100 = 0x80\)" \
        --examine-bitmap --verbose "$img"
    [[ $output =~ "invalid : 4" ]]
    [[ $output =~ "invalid 0x80 : chunks 100-102 (3)" ]]
    run "$MDADM" --examine-bitmap --json "$img"
    [ "$status" -eq 1 ]
    [[ $output =~ \"invalid\":\ 4 ]]
}

@test "states 5-7 are valid but flagged as needing Linux 7.1" {
    edit fill-states 10 2 0x07
    edit fill-states 20 1 0x05
    run --separate-stderr "$MDADM" --examine-bitmap "$img"
    [ "$status" -eq 0 ]
    [[ $output =~ "clean unwritten : 2" ]]
    [[ $output =~ "need sync unwritten : 1" ]]
    [[ $stderr =~ "need Linux 7.1 or later" ]]
}

@test "daemon_sleep 0, chunksize 0 or not a power of two: the kernel would refuse it" {
    for f in "daemon_sleep 0" "chunksize 0" "chunksize 96" "sync_size 0"; do
        img=$(fixture_copy r1-lockless vda)
        edit set-bitmap $f
        echo "case: $f"
        expect_refusal "$img" "bitmap superblock is not usable" --examine-bitmap "$img"
    done
}

@test "a chunk count that does not fit the reserved space is refused, no huge allocation" {
    edit set-bitmap sync_size 0xffffffffffffff
    expect_refusal "$img" "bitmap superblock is not usable" --examine-bitmap "$img"
    img=$(fixture_copy r1-lockless vdb)
    edit set-bitmap sectors_reserved 0xffffffff
    edit set-bitmap sync_size 0xffffffffffff
    edit set-bitmap chunksize 1
    expect_refusal "$img" "(not usable|more than the|past the end)" --examine-bitmap "$img"
}

@test "first-use lockless bitmap: a clear note, predicted chunk size" {
    edit set-bitmap state 0x8
    run --separate-stderr "$MDADM" --examine-bitmap "$img"
    [ "$status" -eq 0 ]
    [[ $stderr =~ "marked first-use; the kernel will initialise it" ]]
    [[ $output =~ "marks all 5104 chunks unwritten" ]]
}

@test "a bare 0.90 magic is a damaged 0.90 superblock" {
    f=$BATS_TEST_TMPDIR/v090.img
    truncate -s 64M "$f"
    # 0.90 lives in the last 64 KiB-aligned 64 KiB: magic a92b4efc
    "$IMGEDIT" "$f" poke $(( (64 * 1024 * 1024) - 65536 )) fc4e2ba9
    expect_refusal "$f" "0.90 superblock is not usable: version 0.0 is not 0.90" --examine "$f"
    expect_refusal "$f" "superblock is not usable: version 0.0 is not 0.90" --examine-bitmap "$f"
}

@test "random bytes everywhere a superblock could be: no crash" {
    f=$BATS_TEST_TMPDIR/noise.img
    head -c 1048576 /dev/urandom > "$f"
    run --separate-stderr "$MDADM" --examine "$f"
    [ "$status" -eq 1 ]
    run --separate-stderr "$MDADM" --examine-bitmap --verbose --json "$f"
    [ "$status" -eq 1 ]
}

@test "hostile array names: --examine --export stays one KEY=VALUE per line, eval runs nothing, plain names unchanged" {
    marker=$BATS_TEST_TMPDIR/pwned
    names=(
        "h:x\nSYSTEMD_WANTS=pwned.service"
        "x\nSYSTEMD_READY=0\nID_FS_TYPE=x"
        "\$(touch $marker)"
        "\`touch $marker\`"
        "a;touch $marker"
        "a'\$(touch $marker)'"
        "a b"
    )
    for n in "${names[@]}"; do
        edit set-name "$(printf "$n" | head -c 32 | od -An -tx1 | tr -d ' \n')"
        run --separate-stderr "$MDADM" --examine --export "$img"
        [ "$status" -eq 0 ]
        ! grep -qv '^[A-Z_]*=' <<< "$output" || { echo "$output"; false; }
        [ "$(grep -c '^MD_NAME=' <<< "$output")" = 1 ]
        ! grep -q '^SYSTEMD_\|^ID_FS' <<< "$output" || false
        (eval "$output"; [ -n "$MD_NAME" ]) || { echo "$output"; false; }
        [ ! -e "$marker" ] || { echo "ran a command for name $n: $output"; false; }
    done
    edit set-name "$(printf 'host:data-1.2' | od -An -tx1 | tr -d ' \n')"
    run --separate-stderr "$MDADM" --examine --export "$img"
    [[ $output == *$'\nMD_NAME=host:data-1.2\n'* ]]
}

@test "--json passes a UTF-8 array name through, escapes control bytes, marks broken bytes U+FFFD" {
    command -v jq >/dev/null || skip "jq is not installed"
    # "h:dé€😀" then a tab, a stray 0xff and a lone continuation byte
    edit set-name "683a64c3a9e282acf09f988009ff41a9"
    run --separate-stderr "$MDADM" --examine --json "$img"
    [ "$status" -eq 0 ]
    [[ $output == *'"name": "h:dé€😀\t\ufffdA\ufffd"'* ]] || { echo "$output" | grep name; false; }
    # a JSON reader gets the same characters back
    [ "$(jq -r '.. | .name? // empty' <<< "$output" | head -1)" = "$(printf 'h:dé€😀\t\xef\xbf\xbdA\xef\xbf\xbd')" ]
    jq . <<< "$output" > /dev/null
}

@test "a hostile cluster name in the bitmap superblock reaches the terminal with its control bytes as '?'" {
    img=$(fixture_copy r1-internal vda)
    sbo=$("$IMGEDIT" "$img" sb-offset)
    edit set-bitmap nodes 1
    # cluster_name (64 bytes at byte 72 of the bitmap, 8 sectors after the sb):
    # "c" ESC "]0;x" BEL CR "d", NUL padded
    edit poke $((sbo + 4096 + 72)) 631b5d303b78070d64
    for args in --examine --examine-bitmap; do
        run --separate-stderr "$MDADM" $args "$img"
        echo "$args: $output"
        [[ $output == *"luster "[Nn]"ame : c?]0;x??d "* ]]
        ! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' <<< "$output"
    done
}

@test "hostile array names: --examine --brief ARRAY lines name the /dev/md/ link, one word, and gain no keyword" {
    for n in "h:a devices=/dev/null" "h:x\nARRAY /dev/md/y UUID=1" "h:a/b\tauto=yes"; do
        edit set-name "$(printf "$n" | head -c 32 | od -An -tx1 | tr -d ' \n')"
        run --separate-stderr "$MDADM" --examine --brief --verbose "$img"
        echo "$n: $output"
        [ "$status" -eq 0 ]
        [ "$(grep -c '^ARRAY ' <<< "$output")" = 1 ]
        [ "$(wc -l <<< "$output")" = 2 ]
        read -r -a words <<< "$(head -1 <<< "$output")"
        [[ ${words[1]} == /dev/md/* ]] && [[ ${words[1]} != /dev/md/*/* ]]
        for w in "${words[@]:2}"; do
            [[ $w =~ ^(level|metadata|num-devices|UUID)= ]] || { echo "extra word: $w"; false; }
        done
    done
    edit set-name "$(printf 'h:a devices=/dev/null' | od -An -tx1 | tr -d ' \n')"
    run --separate-stderr "$MDADM" --examine --brief "$img"
    [[ $output == "ARRAY /dev/md/a_devices=-dev-null  metadata=1.2 UUID="* ]]
}
