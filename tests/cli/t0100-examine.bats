#!/usr/bin/env bats
# --examine on member images captured from the real kernel, compared with
# what upstream mdadm 4.6 printed for the same members (fixtures).

bats_require_minimum_version 1.5.0
load lib

# Compare our output with a peer capture for every member of every
# scenario; print every difference before failing.
compare_all() { # compare_all CAPTURE-PREFIX [mdadm args...]
    local prefix=$1 scen dev img bad=0
    shift
    for scen in $(scenarios); do
        for dev in $(members "$scen"); do
            [ -e "$FIXTURES/$scen/$prefix-$dev.txt" ] || continue
            img=$(fixture_img "$scen" "$dev")
            if ! diff -u <(peer_out "$scen" "$prefix-$dev.txt" "$img" "$dev") \
                         <("$MDADM" "$@" "$img"); then
                echo "^^^ $scen/$dev differs"
                bad=1
            fi
        done
    done
    return $bad
}

@test "--examine matches upstream line for line on every fixture member" {
    compare_all examine --examine --homehost=vm-run
}

@test "--examine --homehost marks arrays local to that host, like upstream" {
    compare_all examine-homehost --examine --homehost=fixturehost
}

@test "--examine --export matches upstream" {
    compare_all examine-export --examine --export
}

@test "--examine --brief and --brief --verbose match upstream (one ARRAY line per array)" {
    local scen imgs dev bad=0
    for scen in $(scenarios); do
        imgs=()
        for dev in $(members "$scen"); do imgs+=("$(fixture_img "$scen" "$dev")"); done
        # the peer printed /dev/vdX paths in devices=; map them to ours
        exp_v=$(cat "$FIXTURES/$scen/examine-brief-verbose.txt")
        for dev in $(members "$scen"); do
            exp_v=${exp_v//\/dev\/$dev/$(fixture_img "$scen" "$dev")}
        done
        diff -u "$FIXTURES/$scen/examine-brief.txt" <("$MDADM" --examine --brief "${imgs[@]}") || bad=1
        diff -u <(echo "$exp_v") <("$MDADM" --examine --brief --verbose "${imgs[@]}") || bad=1
        diff -u "$FIXTURES/$scen/examine-brief.txt" <("$MDADM" -Eb "${imgs[@]}") || bad=1
    done
    [ $bad -eq 0 ]
}

@test "--examine of two arrays' members groups them into two ARRAY lines" {
    a=$(fixture_img r1-internal vda)
    b=$(fixture_img r1-lockless vda)
    run "$MDADM" --examine --brief "$a" "$b" "$(fixture_img r1-internal vdb)"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 2 ]
    # upstream lists the array seen last first
    [[ ${lines[0]} =~ /dev/md/r1-lockless ]]
    [[ ${lines[1]} =~ /dev/md/r1-internal ]]
}

@test "--examine --json is one valid JSON document with the same facts" {
    img=$(fixture_img r1-lockless vda)
    run --separate-stderr "$MDADM" --examine --json "$img"
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
dev = d["devices"][0]
assert dev["metadata"] == "1.2", dev["metadata"]
assert dev["level_name"] == "raid1"
assert dev["raid_devices"] == 2
assert dev["checksum"]["ok"] is True
assert dev["bitmap"]["type"] == "lockless", dev["bitmap"]
assert dev["bitmap"]["superblock"]["version"] == 6
assert dev["name"] == "fixturehost:r1-lockless", dev["name"]
assert dev["slot_states"] == "AA"
assert dev["role"] == 0
'
    uuid=$(grep "Array UUID" "$FIXTURES/r1-lockless/examine-vda.txt" | awk '{print $4}')
    [[ $output =~ \"array_uuid\":\ \"$uuid\" ]]
}

@test "--examine on several devices prints each, continues past a bad one, exits 1" {
    a=$(fixture_img r1-internal vda)
    run --separate-stderr "$MDADM" --examine "$a" /nonexistent "$(fixture_img r1-internal vdb)"
    [ "$status" -eq 1 ]
    [[ $stderr =~ "cannot open /nonexistent" ]]
    [ "$(grep -c 'Magic : a92b4efc' <<<"$output")" -eq 2 ]
}

@test "--examine --scan with no device lists arrays found on block devices" {
    # no md members on this machine's block devices: no output, status 0
    run --separate-stderr "$MDADM" --examine --scan
    [ "$status" -eq 0 ]
    [[ ! $output =~ "ARRAY /dev/md/r1" ]]
}

@test "--examine --sparc2.2 is refused" {
    run --separate-stderr "$MDADM" --examine --sparc2.2 "$(fixture_img r1-internal vda)"
    [ "$status" -eq 2 ]
    [[ $stderr =~ "not supported" ]]
}
