#!/usr/bin/env bats
# --assemble --update=...: the common superblock updates, checked with the
# peer's --examine, on arrays made by our --create.

bats_require_minimum_version 1.5.0
load lib

setup() {
    require_vm
    need_ours
    stop_all
    wipe_disks
    ours --create /dev/md0 --run -l1 -n2 --bitmap=lockless --size=32M /dev/vda /dev/vdb
    peer --stop /dev/md0
}

teardown() {
    stop_all || :
}

@test "--update=name and homehost rewrite the name; the array assembles" {
    run ours --assemble /dev/md0 --update=name --name=renamed --homehost=newhost /dev/vda /dev/vdb
    [ "$status" -eq 0 ]
    peer --stop /dev/md0
    [[ "$(peer --examine /dev/vda)" =~ "Name : newhost:renamed" ]]
    [[ "$(peer --examine /dev/vdb)" =~ "Name : newhost:renamed" ]]
    [[ "$(peer --examine /dev/vda)" =~ "Checksum : "[0-9a-f]+" - correct" ]]
}

@test "--update=uuid changes the array UUID and the lockless bitmap's, kernel agrees" {
    uuid=11111111:22222222:33333333:44444444
    run ours --assemble /dev/md0 --update=uuid --uuid=$uuid /dev/vda /dev/vdb
    [ "$status" -eq 0 ]
    [ "$(cat "$(md_sys /dev/md0)/bitmap_type")" = "none bitmap [llbitmap] " ] ||
        grep -q '\[llbitmap\]' "$(md_sys /dev/md0)/bitmap_type"
    peer --stop /dev/md0
    [[ "$(peer --examine /dev/vda)" =~ "Array UUID : $uuid" ]]
    run ours -X --json /dev/vda
    [[ $output =~ \"uuid\":\ \"$uuid\" ]]
}

@test "--update=no-bbl removes the log, --update=bbl puts it back after the llbitmap extent" {
    run ours --assemble /dev/md0 --update=no-bbl /dev/vda /dev/vdb
    [ "$status" -eq 0 ]
    peer --stop /dev/md0
    [[ ! "$(peer --examine /dev/vda)" =~ "Bad Block Log" ]]
    run ours --assemble /dev/md0 --update=bbl /dev/vda /dev/vdb
    [ "$status" -eq 0 ]
    peer --stop /dev/md0
    [[ "$(peer --examine /dev/vda)" =~ "Bad Block Log : 512 entries available at offset 272 sectors" ]]
}

@test "--update=resync makes the kernel resync; --update=no-bitmap drops the bitmap" {
    run ours --assemble /dev/md0 --update=no-bitmap /dev/vda /dev/vdb
    [ "$status" -eq 0 ]
    grep -q '\[none\]\|\[bitmap\]' "$(md_sys /dev/md0)/bitmap_type"
    [ ! -e "$(md_sys /dev/md0)/llbitmap" ]
    peer --stop /dev/md0
    [[ "$(peer --examine /dev/vda)" =~ "Feature Map : 0x0" ]]
    run ours --assemble /dev/md0 --update=resync /dev/vda /dev/vdb
    [ "$status" -eq 0 ]
    [[ "$(peer --detail /dev/md0)" =~ "resync" ]] || [ "$(cat "$(md_sys /dev/md0)/last_sync_action")" = resync ]
}

@test "--update with an unsupported value is refused without writing" {
    before=$(dd if=/dev/vda bs=1M count=1 status=none | sha256sum)
    run --separate-stderr ours --assemble /dev/md0 --update=sparc2.2 /dev/vda /dev/vdb
    [ "$status" -ne 0 ]
    [[ $stderr =~ "not supported by this mdadm" ]]
    [ "$(dd if=/dev/vda bs=1M count=1 status=none | sha256sum)" = "$before" ]
}

# both_badblocks DEV: ours and the peer list DEV's bad-block log alike
both_badblocks() {
    local ours peer
    ours=$(ours --examine-badblocks "$1" 2>&1) || { echo "ours: $ours"; return 1; }
    peer=$(peer --examine-badblocks "$1" 2>&1) || { echo "peer: $peer"; return 1; }
    [ "$ours" = "$peer" ] || { diff <(echo "$ours") <(echo "$peer"); return 1; }
    echo "$ours"
}

@test "--examine-badblocks lists what the kernel recorded, as the peer does" {
    local out s
    ours --assemble /dev/md0 /dev/vda /dev/vdb
    s=$(md_sys /dev/md0)
    echo "1000 8" > "$s/dev-vda/bad_blocks"
    echo "4096 16" > "$s/dev-vda/bad_blocks"
    # a write makes the kernel store the log and the superblock
    dd if=/dev/zero of=/dev/md0 bs=4k count=1 oflag=direct status=none
    peer --stop /dev/md0
    out=$(both_badblocks /dev/vda)
    [ "$out" = "Bad-blocks on /dev/vda:
                1000 for 8 sectors
                4096 for 16 sectors" ] || { echo "$out"; return 1; }
    out=$(both_badblocks /dev/vdb)
    [ "$out" = "Bad-blocks list is empty in /dev/vdb" ]
}
