#!/usr/bin/env bats
# --detail, --query and --stop on a fake sysfs tree (lib-detail.bash): the
# values the real kernel showed for each fixture scenario, the scenario's
# member images as devices. This checks the pure logic — formats, exit
# codes, messages, the table — against the peer's own --detail output that
# was captured with the scenario. Everything the kernel does is tested
# for real in tests/vm/20-detail.bats.

bats_require_minimum_version 1.5.0
load lib
load lib-detail

# without the lines that change when an array is stopped (the images of
# "stopped" scenarios were taken after the stop)
without_stop_changes() {
    grep -v -e '^       Update Time : ' -e '^            Events : '
}

# check_scenario SCEN: our --detail (our added lines removed) equals the
# peer's captured one
check_scenario() {
    local scen=$1 capture
    fake_array "$scen"
    capture=$(meta "$scen" CAPTURE)
    run --separate-stderr ours_fake --detail "$FAKE/dev/md0"
    [ "$status" -eq 0 ]
    if [ "$capture" = running ]; then
        diff -u "$FIXTURES/$scen/detail.txt" <(without_ours <<< "$output")
    else
        diff -u <(without_stop_changes < "$FIXTURES/$scen/detail.txt") \
            <(without_ours <<< "$output" | without_stop_changes)
    fi
}

@test "--detail matches the peer's capture: every fixture scenario" {
    local scen failed=()
    for scen in $(scenarios); do
        check_scenario "$scen" || failed+=("$scen")
    done
    echo "mismatch in: ${failed[*]}"
    [ "${#failed[@]}" -eq 0 ]
}

@test "--detail of a lockless array adds the type and the kernel's chunk counts" {
    fake_array r1-lockless-dirty
    run ours_fake --detail "$FAKE/dev/md0"
    [ "$status" -eq 0 ]
    [[ $output == *$'     Intent Bitmap : Internal\n       Bitmap Type : lockless\n\n'* ]]
    [[ $output == *$'Consistency Policy : bitmap\n\n  Bitmap Chunksize : 64 KB\n     Bitmap Chunks : 5104\n      Daemon Sleep : 30s\n      Barrier Idle : 5s\n      Chunk States :\n                 unwritten : 4591\n                     clean : 0\n                     dirty : 513\n'* ]]
    [[ $output == *$'           clean unwritten : 0\n\n              Name : '* ]]
    # a classic bitmap gets the type line only
    fake_array r1-internal
    run ours_fake --detail "$FAKE/dev/md0"
    [[ $output == *$'       Bitmap Type : internal\n'* ]]
    [[ $output != *"Chunk States"* ]]
    # no bitmap: neither
    fake_array r1-none
    run ours_fake --detail "$FAKE/dev/md0"
    [[ $output != *"Bitmap Type"* ]]
}

@test "--detail --brief, --verbose, --scan" {
    fake_array r5-lockless
    local uuid
    uuid=$(detail_field "$FIXTURES/r5-lockless/detail.txt" UUID)
    run ours_fake --detail --brief "$FAKE/dev/md0"
    [ "$status" -eq 0 ]
    [ "$output" = "ARRAY /dev/md0 metadata=1.2 UUID=$uuid" ]
    run ours_fake --detail --brief --verbose "$FAKE/dev/md0"
    [ "$output" = "ARRAY /dev/md0 level=raid5 num-devices=3 metadata=1.2 UUID=$uuid
   devices=/dev/vda,/dev/vdb,/dev/vdc" ]
    # --scan: every array of mdstat, named by the map when its path exists
    run ours_fake --detail --scan
    [ "$status" -eq 0 ]
    [ "$output" = "ARRAY /dev/md0 metadata=1.2 UUID=$uuid" ]
    echo "md0 1.2 00000000:00000000:00000000:00000000 $FAKE/dev/md0" > "$FAKE/map"
    run ours_fake --detail --scan
    [ "$output" = "ARRAY /dev/md0 metadata=1.2 UUID=$uuid" ]
    # --scan without --detail's devices but with -v -v: the full report
    run ours_fake --detail --scan -v -v
    [[ $output == *"Raid Level : raid5"* ]]
}

@test "--detail --export: mdadm's keys in mdadm's order, then ours" {
    fake_array r1-lockless-dirty
    # the map gives MD_DEVNAME (uuid words in the map's byte order)
    echo "md0 1.2 d635f7eb:37fb8347:acd924e2:22710c48 /dev/md/r1" > "$FAKE/map"
    run --separate-stderr ours_fake --detail --export "$FAKE/dev/md0"
    [ "$status" -eq 0 ]
    local first
    first=$(sed -n '1,6p' <<< "$output")
    [ "$first" = "MD_LEVEL=raid1
MD_DEVICES=2
MD_METADATA=1.2
MD_UUID=ebf735d6:4783fb37:e224d9ac:480c7122
MD_DEVNAME=r1
MD_RESHAPE_ACTIVE=False" ]
    [[ $output == *$'\nMD_NAME=fixturehost:r1-lockless-dirty\n'* ]]
    [[ $output == *$'\nMD_DEVICE_dev_vda_ROLE=0\nMD_DEVICE_dev_vda_DEV=/dev/vda\n'* ]]
    [[ $output == *$'\nMD_DEVICE_dev_vdb_ROLE=1\nMD_DEVICE_dev_vdb_DEV=/dev/vdb\n'* ]]
    [[ $output == *$'\nMD_BITMAP_TYPE=lockless\nMD_LLBITMAP_CHUNK_SIZE=65536\nMD_LLBITMAP_CHUNKS=5104\nMD_LLBITMAP_UNWRITTEN=4591\nMD_LLBITMAP_CLEAN=0\nMD_LLBITMAP_DIRTY=513\n'* ]]
    [[ $output == *$'\nMD_LLBITMAP_CLEAN_UNWRITTEN=0' ]]
    # our keys come after every key of mdadm's
    [ "$(grep -n '^MD_BITMAP_TYPE=' <<< "$output" | cut -d: -f1)" -gt \
      "$(grep -n '^MD_DEVICE_' <<< "$output" | tail -1 | cut -d: -f1)" ]
    # --no-devices leaves the members out; no map: no MD_DEVNAME
    : > "$FAKE/map"
    run ours_fake --detail --export --no-devices "$FAKE/dev/md0"
    [[ $output != *MD_DEVICE_* ]]
    [[ $output != *MD_DEVNAME* ]]
    [[ $output == *MD_UUID=* ]]
}

@test "--detail --json is one document with the kernel's view" {
    command -v jq >/dev/null || skip "jq is not installed"
    fake_array r10-lockless
    run --separate-stderr "$MDADM" --detail --json "$FAKE/dev/md0" /dev/null
    [ "$status" -eq 1 ]   # /dev/null is not an array: reported, not in the document
    [[ $stderr == *"/dev/null does not appear to be an md device"* ]]
    jq -e '.arrays | length == 1' <<< "$output"
    jq -e '.arrays[0] | .level == 10 and .level_name == "raid10" and .raid_devices == 4 and .layout == 258
            and .state == "clean" and .bitmap.type == "lockless" and (.members | length) == 4' <<< "$output"
    jq -e '[.arrays[0].bitmap.states[]] | add == 10176' <<< "$output"
    jq -e '.arrays[0].members[1] | .number == 1 and .raid_device == 1 and .state == ["active", "sync"]' <<< "$output"
}

# ------------------------------------------------------------ health

# fake_fail KNAME: the member is faulty and out of its slot, as the kernel
# shows it after --fail
fake_fail() {
    fake_put "block/md0/md/dev-$1/state" faulty
    fake_put "block/md0/md/dev-$1/slot" none
    sed -i "s/ $1\[\([0-9]*\)\]/ $1[\1](F)/" "$FAKE/mdstat"
}

@test "--detail --test: 0 healthy, 1 degraded, 2 failed, 4 not an array" {
    fake_array r5-lockless
    run ours_fake --detail --test "$FAKE/dev/md0"
    [ "$status" -eq 0 ]
    fake_fail vdb
    run ours_fake --detail --test "$FAKE/dev/md0"
    [ "$status" -eq 1 ]
    [[ $output == *"State : clean, degraded "* ]]
    [[ $output == *$'       -       0        0        1      removed\n       3     253       32        2      active sync   /dev/vdc\n\n       1     253       16        -      faulty   /dev/vdb'* ]]
    [[ $output == *"Failed Devices : 1"* ]]
    # without --test the status stays 0
    run ours_fake --detail "$FAKE/dev/md0"
    [ "$status" -eq 0 ]
    fake_fail vda
    run ours_fake --detail --test "$FAKE/dev/md0"
    [ "$status" -eq 2 ]
    [[ $output == *"State : clean, FAILED "* ]]
    run ours_fake --detail --test /dev/null
    [ "$status" -eq 4 ]
    run ours_fake --detail --test "$FAKE/dev/md0" /dev/null
    [ "$status" -eq 6 ]
}

@test "raid10 near=2: losing one of each pair is degraded, both of a pair FAILED" {
    fake_array r10-lockless
    fake_fail vda
    fake_fail vdc
    run ours_fake --detail --test "$FAKE/dev/md0"
    [ "$status" -eq 1 ]
    fake_fail vdb
    run ours_fake --detail --test "$FAKE/dev/md0"
    [ "$status" -eq 2 ]
}

@test "rebuilding spare and resync progress come from /proc/mdstat" {
    fake_array r1-lockless-dirty
    fake_fail vdb
    fake_member md0 vdc 1 spare 253:32
    sed -i 's/^md0 : active raid1 /md0 : active raid1 vdc[2] /;
            s/\[2\/2\] \[UU\]/[2\/1] [U_]/
            /blocks/a\      [=>...................]  recovery =  5.0% (52828/1046528) finish=0.8min speed=20060K/sec' "$FAKE/mdstat"
    run ours_fake --detail "$FAKE/dev/md0"
    [ "$status" -eq 0 ]
    [[ $output == *"State : clean, degraded, recovering "* ]]
    [[ $output == *$'    Rebuild Status : 5% complete\n\n'* ]]
    [[ $output == *"       2     253       32        1      spare rebuilding   /dev/vdc"* ]]
    [[ $output == *"Spare Devices : 1"* ]]
    run ours_fake --detail --brief "$FAKE/dev/md0"
    [[ $output == *" spares=1 UUID="* ]]
    # a pending resync
    fake_array r1-none
    sed -i '/blocks/a\      \tresync=PENDING' "$FAKE/mdstat"
    run ours_fake --detail "$FAKE/dev/md0"
    [[ $output == *"State : clean, resyncing (PENDING) "* ]]
    [[ $output != *"Resync Status"* ]]
}

@test "an inactive array, as mdadm -I leaves it" {
    fake_array r1-none
    fake_put block/md0/md/array_state inactive
    fake_put block/md0/md/level ""
    fake_put block/md0/md/raid_disks ""
    fake_put block/md0/md/consistency_policy resync
    fake_put block/md0/size 0
    rm -rf "$FAKE/sys/block/md0/md/dev-vdb" "$FAKE/sys/block/md0/md/rd"*
    fake_put block/md0/md/dev-vda/state spare
    fake_put block/md0/md/dev-vda/slot none
    printf '%s\n' "Personalities : [raid1] " "md0 : inactive vda[0](S)" \
        "      326656 blocks super 1.2" "       " "unused devices: <none>" > "$FAKE/mdstat"
    local uuid name
    uuid=$(detail_field "$FIXTURES/r1-none/detail.txt" UUID)
    name=$(detail_field "$FIXTURES/r1-none/detail.txt" Name)
    run --separate-stderr ours_fake --detail "$FAKE/dev/md0"
    [ "$status" -eq 0 ]
    [ "$output" = "/dev/md0:
           Version : 1.2
        Raid Level : raid1
     Total Devices : 1
       Persistence : Superblock is persistent

             State : inactive
    Active Devices : 0
   Working Devices : 1
    Failed Devices : 0
     Spare Devices : 1

              Name : $name
              UUID : $uuid
            Events : $(sed -n 's/^ *Events : //p' "$FIXTURES/r1-none/examine-vda.txt")

    Number   Major   Minor   RaidDevice

       -     253        0        -        /dev/vda" ]
    run ours_fake --detail --brief --verbose "$FAKE/dev/md0"
    [ "$output" = "INACTIVE-ARRAY /dev/md0 num-devices=1 metadata=1.2 UUID=$uuid
   devices=/dev/vda" ]
    run ours_fake --detail --export "$FAKE/dev/md0"
    [[ $output == "MD_DEVICES=1"$'\n'"MD_METADATA=1.2"$'\n'* ]]
    [[ $output == *"MD_DEVICE_dev_vda_ROLE=spare"* ]]
    run ours_fake --detail --test "$FAKE/dev/md0"
    [ "$status" -eq 2 ]
}

@test "an md device with nothing in it does not exist as an array" {
    FAKE=$BATS_TEST_TMPDIR/fake
    mkdir -p "$FAKE/sys/block/md5/md" "$FAKE/dev"
    : > "$FAKE/dev/md5"
    fake_put block/md5/md/metadata_version none
    fake_put block/md5/md/array_state clear
    : > "$FAKE/mdstat"
    fake_env
    run --separate-stderr ours_fake --detail "$FAKE/dev/md5"
    [ "$status" -eq 1 ]
    [[ $output == "mdadm: Array associated with md device /dev/md5 does not exist." ]]
}

@test "not an md device, missing, no devices" {
    fake_array r1-none
    run --separate-stderr "$MDADM" --detail /dev/null
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: /dev/null does not appear to be an md device" ]
    run --separate-stderr "$MDADM" --detail "$FAKE/dev"
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: $FAKE/dev does not appear to be an md device" ]
    run --separate-stderr "$MDADM" --detail /nonexistent/md0
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: cannot open /nonexistent/md0: No such file or directory" ]
    run --separate-stderr "$MDADM" --detail
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: No devices given." ]
    run --separate-stderr "$MDADM" --query
    [ "$status" -eq 2 ]
    run --separate-stderr "$MDADM" --stop
    [ "$status" -eq 2 ]
}

@test "a hostile /proc/mdstat does not break --detail (numbers unknown)" {
    fake_array r1-none
    head -c 3000 /dev/urandom > "$FAKE/mdstat"
    printf 'md0 : active raid1 vdb[x](Q vda[\n   [UU [1/ blocks super\n' >> "$FAKE/mdstat"
    run ours_fake --detail "$FAKE/dev/md0"
    [ "$status" -eq 0 ]
    [[ $output == *$'       -     253        0        0      active sync   /dev/vda'* ]]
}

# ------------------------------------------------------------ --query

@test "--query of an array, of a member and of something else" {
    fake_array r5-lockless
    run --separate-stderr ours_fake --query "$FAKE/dev/md0"
    [ "$status" -eq 0 ]
    [ "$output" = "/dev/md0: 636.00MiB raid5 3 devices, 0 spares. Use mdadm --detail for more detail." ]
    # "mdadm DEVICE" alone is a query
    run ours_fake "$FAKE/dev/md0"
    [ "$output" = "/dev/md0: 636.00MiB raid5 3 devices, 0 spares. Use mdadm --detail for more detail." ]
    # a member: not in the map -> "inactive ... array"
    run ours_fake --query "$FAKE/dev/vdc"
    [ "$status" -eq 0 ]
    [ "$output" = "/dev/vdc: is not an md array
/dev/vdc: device 3 in 3 device inactive raid5 array.  Use mdadm --examine for more detail." ]
    run ours_fake --query /dev/null
    [ "$status" -eq 0 ]
    [ "$output" = "/dev/null: is not an md array" ]
    run --separate-stderr ours_fake --query /nonexistent
    [ "$status" -eq 1 ]
}

# ------------------------------------------------------------ --stop

@test "--stop on the fake tree: writes clear, says stopped, forgets the map entry" {
    fake_array r1-none
    printf '%s\n' "md0 1.2 00000000:00000000:00000000:00000000 /dev/md0" \
        "md9 1.2 00000000:00000000:00000000:00000001 /dev/md9" > "$FAKE/map"
    run --separate-stderr ours_fake --stop "$FAKE/dev/md0"
    [ "$status" -eq 0 ]
    [ "$output" = "mdadm: stopped /dev/md0" ]
    [ "$(cat "$FAKE/sys/block/md0/md/array_state")" = clear ]
    [ "$(cat "$FAKE/map")" = "md9 1.2 00000000:00000000:00000000:00000001 /dev/md9" ]
    run --separate-stderr ours_fake --stop /dev/null
    [ "$status" -eq 1 ]
    [ "$output" = "mdadm: /dev/null does not appear to be an md device" ]
    run --separate-stderr ours_fake --stop /nonexistent/md0
    [ "$status" -eq 1 ]
    [ "$output" = "mdadm: error opening /nonexistent/md0: No such file or directory" ]
}

@test "--detail of 0.90 arrays matches the peer's capture (UUID as words, events hi.lo, no name)" {
    local scen failed=()
    FIXTURES=$TOP/tests/fixtures/images-090
    # the fake tree models every member in sync and a "raidN" level with a
    # named layout (raid0 and linear are compared in tests/vm)
    for scen in v090-r1-none v090-r1-internal v090-r5-internal v090-r10; do
        check_scenario "$scen" || failed+=("$scen")
    done
    echo "mismatch in: ${failed[*]}"
    [ "${#failed[@]}" -eq 0 ]
    fake_array v090-r1-none
    run ours_fake --detail --homehost=fixturehost "$FAKE/dev/md0"
    [[ $output == *$'              UUID : 872ba627:4dc47b45:c2d22695:3dd85a40 (local to host fixturehost)\n            Events : 0.'* ]]
    run ours_fake --detail --brief "$FAKE/dev/md0"
    [ "$output" = "ARRAY /dev/md0 metadata=0.90 UUID=872ba627:4dc47b45:c2d22695:3dd85a40" ]
    run ours_fake --detail --export "$FAKE/dev/md0"
    [[ $output == *$'MD_METADATA=0.90\nMD_UUID=872ba627:4dc47b45:c2d22695:3dd85a40\nMD_RESHAPE_ACTIVE=False\n'* ]]
    [[ $output != *MD_NAME* ]]
}

@test "--query --json: one document with schema_version, the member fields of the text line" {
    command -v jq >/dev/null || skip "jq is not installed"
    local img; img=$(fixture_img r5-lockless vdb)
    run --separate-stderr "$MDADM" --query "$img"
    [ "$status" -eq 0 ]
    [[ $output == *": device 1 in 3 device inactive raid5 array.  Use mdadm --examine for more detail." ]]
    run --separate-stderr "$MDADM" --query --json "$img" /dev/null
    [ "$status" -eq 0 ]
    [ "$(jq -r .schema_version <<< "$output")" = 2 ]
    [ "$(jq -r '.devices | length' <<< "$output")" = 2 ]
    [ "$(jq -c '.devices[0].member | [.dev_number, .raid_devices, .level, .level_name, .state, .md_device]' <<< "$output")" = '[1,3,5,"raid5","inactive",null]' ]
    [ "$(jq -c '.devices[0].array' <<< "$output")" = null ]
    [ "$(jq -c '.devices[1].member' <<< "$output")" = null ]
    # every --json document carries the version
    [ "$("$MDADM" -E --json "$img" | jq -r .schema_version)" = 2 ]
    [ "$("$MDADM" -X --json "$img" | jq -r .schema_version)" = 2 ]
}

@test "--json: one vocabulary, the same keys with the same values in -D, -E and -Q" {
    command -v jq >/dev/null || skip "jq is not installed"
    local scen keys='[.level, .level_name, .array_uuid, .name, .raid_devices, .layout,
                      .chunk_size_sectors, .array_size_sectors, .used_dev_size_sectors,
                      .events, .creation_time, .update_time]'
    for scen in r10-lockless r5-internal r1-none; do
        fake_array "$scen"
        d=$("$MDADM" --detail --json "$FAKE/dev/md0" | jq -c ".arrays[0] | $keys")
        e=$("$MDADM" --examine --json "$(fixture_img "$scen" vda)" | jq -c ".devices[0] | $keys")
        echo "$scen -D: $d"; echo "$scen -E: $e"
        [ "$d" = "$e" ]
        [[ $d != *null* ]]
        # -Q's member part: the level the same way
        q=$("$MDADM" --query --json "$(fixture_img "$scen" vda)" | jq -c '.devices[0].member | [.level, .level_name, .raid_devices]')
        [ "$q" = "$(jq -c '.[0:2] + [.[4]]' <<< "$e")" ]
    done
}
