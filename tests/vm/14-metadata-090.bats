#!/usr/bin/env bats
# VM tier: metadata 0.90 beyond --examine, against the PEER (mdadm 4.6) on
# the real kernel: --detail (text, --brief, --export, --test) of running
# 0.90 arrays the peer made. Our added lines are removed by label
# (lib-detail.bash) before the byte comparison.

bats_require_minimum_version 1.5.0

load lib
load lib-detail

setup_file() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    stop_all
    wipe_disks
}

teardown_file() {
    [ "${MDADM_VM:-}" = 1 ] || return 0
    stop_all
    wipe_disks
}

setup() {
    require_vm
    need_ours
}

# peer090 CREATE-ARGS... DEVICES...: peer --create -e 0.90 on $MD, settled
peer090() {
    local out rc=0
    stop_all
    wipe_disks
    out=$(peer --create $MD --run --metadata=0.90 --homehost="$HOMEHOST" "$@" 2>&1) || rc=$?
    [ "$rc" = 0 ] || { echo "peer --create $* failed ($rc):"; echo "$out"; return 1; }
    settle $MD
}

# detail_forms DEV: every --detail form we compare with the peer
detail_forms() {
    local rc=0
    compare_filtered --detail "$1" || rc=1
    compare_filtered --detail --homehost="$HOMEHOST" "$1" || rc=1
    compare_filtered --detail --brief "$1" || rc=1
    compare_filtered --detail --brief --verbose "$1" || rc=1
    compare_export "$1" || rc=1
    return $rc
}

@test "--detail of 0.90 raid1 and of raid5 with a classic bitmap, then degraded" {
    peer090 --level=1 --raid-devices=2 "${DISKS[0]}" "${DISKS[1]}"
    write_pattern $MD $((1 << 20)) 0
    settle $MD
    detail_forms $MD
    compare_filtered --detail --scan
    check_test_status $MD 0

    peer090 --level=5 --raid-devices=3 --bitmap=internal --assume-clean "${DISKS[@]:0:3}"
    write_pattern $MD $((1 << 20)) 0
    detail_forms $MD
    ours --detail $MD | grep -q '^       Bitmap Type : internal$'

    peer --fail $MD "${DISKS[1]}" >/dev/null 2>&1
    peer --remove $MD "${DISKS[1]}" >/dev/null 2>&1
    detail_forms $MD
    check_test_status $MD 1
}

@test "--detail of 0.90 raid0 and linear; --json names the array by its 0.90 UUID" {
    peer090 --level=0 --raid-devices=2 "${DISKS[0]}" "${DISKS[1]}"
    detail_forms $MD
    uuid=$(peer --detail --brief $MD | sed -n 's/.* UUID=//p')
    [ -n "$uuid" ]
    run ours --detail --json $MD
    [ "$status" -eq 0 ]
    [[ $output == *"\"uuid\": \"$uuid\""* ]] || [[ $output == *"\"uuid\":\"$uuid\""* ]]
    peer090 --level=linear --raid-devices=2 "${DISKS[0]}" "${DISKS[1]}"
    detail_forms $MD
}
