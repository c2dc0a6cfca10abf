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

@test "--update=devicesize offers a grown member's new space; --grow --size=max uses it" {
    local f l1 l2 before after
    stop_all
    for f in a b; do truncate -s 40M /var/tmp/grow-$f.img; done
    l1=$(losetup -f --show /var/tmp/grow-a.img)
    l2=$(losetup -f --show /var/tmp/grow-b.img)
    ours --create /dev/md1 --run -l1 -n2 --bitmap=none "$l1" "$l2"
    wait_idle /dev/md1
    peer --stop /dev/md1
    before=$(field <(peer --examine "$l1") 'Avail Dev Size')
    truncate -s 56M /var/tmp/grow-a.img /var/tmp/grow-b.img
    losetup -c "$l1"; losetup -c "$l2"
    ours --assemble /dev/md1 --update=devicesize "$l1" "$l2"
    peer --stop /dev/md1
    after=$(field <(peer --examine "$l1") 'Avail Dev Size')
    [[ $(peer --examine "$l1") =~ "Checksum : "[0-9a-f]+" - correct" ]]
    # 16 MiB more: 32768 sectors
    [ "${after%% *}" -eq $((${before%% *} + 32768)) ] || { echo "before $before, after $after"; return 1; }
    ours --assemble /dev/md1 "$l1" "$l2"
    ours --grow /dev/md1 --size=max
    [ "$(cat /sys/block/md1/md/component_size)" -gt 40000 ] ||
        { echo "component_size $(cat /sys/block/md1/md/component_size)"; return 1; }
    peer --stop /dev/md1
    losetup -d "$l1" "$l2"
    rm -f /var/tmp/grow-a.img /var/tmp/grow-b.img
}

@test "--update=layout-alternate|original set a RAID0's zone layout; refused for other levels" {
    local before
    stop_all
    ours --create /dev/md1 --run -l0 -n2 --size=16M /dev/vdc /dev/vdd
    peer --stop /dev/md1
    ours --assemble /dev/md1 --update=layout-alternate /dev/vdc /dev/vdd
    [ "$(cat /sys/block/md1/md/layout)" = 2 ]
    peer --stop /dev/md1
    [[ $(peer --examine /dev/vdc) =~ "Layout : alternate" ]]
    ours --assemble /dev/md1 --update=layout-original /dev/vdc /dev/vdd
    [ "$(cat /sys/block/md1/md/layout)" = 1 ]
    peer --stop /dev/md1
    [[ $(peer --examine /dev/vdc) =~ "Layout : original" ]]
    before=$(disk_writes /dev/vda /dev/vdb)
    run --separate-stderr ours --assemble /dev/md0 --update=layout-original /dev/vda /dev/vdb
    [ "$status" -ne 0 ] && [[ $stderr == *"only supported for RAID0"* ]]
    [ "$(disk_writes /dev/vda /dev/vdb)" = "$before" ]
    [ ! -e /sys/block/md0/md/dev-vda ]
}
