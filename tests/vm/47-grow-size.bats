#!/usr/bin/env bats
# --grow --size and --grow --array-size.
#
# Arrays without a bitmap or with a classic one are resized online, as
# mdadm 4.6 does; the kernel resyncs the new region. A running lockless
# array must never get a larger md/component_size on Linux 7.2 (its
# bitmap oopses in the resync of the new region), so ours resizes it with
# the array stopped: state region re-laid for the new chunk count, the new
# region NeedSync, new size in the superblocks.

bats_require_minimum_version 1.5.0
load lib
load lib-data

setup() {
    clean_vm_setup
    dmesg -C
}

teardown() {
    [ -z "${HOLDER:-}" ] || kill "$HOLDER" 2>/dev/null || :
    stop_all || :
    local l
    for l in ${LOOPS:-}; do losetup -d "$l" || :; done
    rm -f /tmp/grow-size-a.img /tmp/grow-size-b.img
}

# check_clean DEV: a `check` pass finds no mismatch
check_clean() {
    local sys
    sys=$(md_sys "$1")
    wait_settled "$1" 300
    echo check > "$sys/sync_action"
    sleep 0.5
    wait_idle "$1" 300
    [ "$(cat "$sys/mismatch_cnt")" = 0 ]
}

# zero_start DEVS...: zero the first 72 MiB of each member. A fresh lockless
# RAID1 is all Unwritten and the kernel turns a chunk Clean after a partial
# write, so `check` would count whatever older tests left different on the
# mirrors in the never-written rest of such chunks.
zero_start() {
    local d
    for d in "$@"; do
        dd if=/dev/zero of="$d" bs=1M count=72 oflag=direct status=none
    done
}

no_oops() {
    ! dmesg | grep -E "BUG|Oops|invalid bit|general protection"
}

holder_ready() { [ "$(readlink "/proc/$HOLDER/fd/0")" = /dev/md0 ]; }

llb_meta() { sed -n "s/^$1 //p" "$(md_sys /dev/md0)/llbitmap/metadata"; }

@test "no bitmap, RAID1: online grow and shrink, data kept, check clean, the peer assembles" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=none --size=64M /dev/vda /dev/vdb
    wait_idle /dev/md0
    fill_array /dev/md0 >/dev/null
    sum=$(array_sum /dev/md0)
    run ours --grow /dev/md0 --size=128M
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"component size of /dev/md0 has been set to 131072K"* ]]
    [ "$(cat "$(md_sys /dev/md0)/component_size")" = 131072 ]
    write_pattern /dev/md0 65536 $((120 * 1048576))
    check_clean /dev/md0
    [ "$(array_sum /dev/md0)" = "$sum" ]
    run ours --grow /dev/md0 --size=32M
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"has been set to 32768K"* ]]
    run ours --grow /dev/md0 --size=32M
    [[ $output == *"/dev/md0: no change requested"* ]]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vda /dev/vdb
    [ "$(cat "$(md_sys /dev/md0)/component_size")" = 32768 ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
}

@test "classic bitmap, RAID5: online grow (the kernel widens the bitmap chunk) and shrink" {
    ours --create /dev/md0 --run -l5 -n3 --bitmap=internal --size=32M /dev/vda /dev/vdb /dev/vdc
    wait_idle /dev/md0
    fill_array /dev/md0 >/dev/null
    sum=$(array_sum /dev/md0)
    run ours --grow /dev/md0 --size=96M
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"has been set to 98304K"* ]]
    [ "$(cat "$(md_sys /dev/md0)/bitmap/location")" = +8 ]
    check_clean /dev/md0
    [ "$(array_sum /dev/md0)" = "$sum" ]
    run ours --grow /dev/md0 --size=48M
    [ "$status" -eq 0 ]
    [ "$(cat "$(md_sys /dev/md0)/component_size")" = 49152 ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    ours --stop /dev/md0
    peer --assemble /dev/md0 /dev/vda /dev/vdb /dev/vdc
    [ "$(array_sum /dev/md0)" = "$sum" ]
}

@test "--array-size: set, too large (mdadm 4.6's messages), max; refusals as upstream" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=none --size=64M /dev/vda /dev/vdb
    wait_idle /dev/md0
    ours --grow /dev/md0 --array-size=16M
    [ "$(blockdev --getsize64 /dev/md0)" = 16777216 ]
    run ours --grow /dev/md0 --size=8M
    [ "$status" -eq 1 ]
    [[ $output == *"Cannot set device size for /dev/md0: Invalid argument"* ]]
    run ours --grow /dev/md0 --array-size=400M
    [ "$status" -eq 1 ]
    [[ $output == *"failed to write '409600' to '/sys/block/md0/md//array_size' (Argument list too long)"* ]]
    [[ $output == *"--array-size setting is too large."* ]]
    ours --grow /dev/md0 --array-size=max
    [ "$(cat "$(md_sys /dev/md0)/array_size")" = default ]
    run ours --grow /dev/md0 --size=400M
    [ "$status" -eq 1 ]
    [[ $output == *"Cannot set device size for /dev/md0: No space left on device"* ]]
    run ours --grow /dev/md0 --size=max --raid-devices=3
    [ "$status" -eq 1 ]
    [[ $output == *"cannot change component size at the same time as other changes."* ]]
    run ours --grow /dev/md0 --size=max
    [ "$status" -eq 0 ]
    [[ $output == *"component size of /dev/md0 has been set to 326656K"* ]]
    run ours --grow /dev/md0 --size=max
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"/dev/md0 is performing resync/recovery and cannot be reshaped"* ]]
    ours --stop /dev/md0
    ours --create /dev/md0 --run -l0 -n2 --size=16M /dev/vda /dev/vdb
    run ours --grow /dev/md0 --size=max
    [ "$status" -eq 1 ]
    [[ $output == *"Component size change is not supported for RAID0"* ]]
}

# grow_lockless SIZE LEVEL N DEVS...: create a lockless array of 64 MiB
# members holding data, grow it to SIZE, prove it
grow_lockless() {
    local size=$1 level=$2 n=$3 sum sum2 chunks
    shift 3
    zero_start "$@"
    ours --create /dev/md0 --run -l"$level" -n"$n" --bitmap=lockless --size=64M "$@"
    wait_settled /dev/md0
    fill_array /dev/md0 >/dev/null
    sum=$(array_sum /dev/md0)
    [ "$(llb_meta chunks)" = 1024 ]
    run ours --grow /dev/md0 --size="$size"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"stopping /dev/md0 to resize it"* ]]
    [[ $output == *"has been set to"* ]]
    no_oops
    csize=$(cat "$(md_sys /dev/md0)/component_size")
    [ "$csize" -gt 160000 ]
    chunks=$(( (csize * 2 + 127) / 128 ))
    [ "$(llb_meta chunks)" = "$chunks" ]
    [ "$(llb_meta chunksize)" = 128 ]
    [[ $(cat "$(md_sys /dev/md0)/bitmap_type") == *"[llbitmap]"* ]]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    # data in the new region
    write_pattern /dev/md0 262144 $(( (csize - 1024) * 1024 ))
    check_clean /dev/md0
    no_oops
    sum2=$(array_sum /dev/md0)
    tail2=$(dd if=/dev/md0 bs=1K skip=$((csize - 1024)) count=256 iflag=direct status=none | sha256sum)
    ours --stop /dev/md0
    run ours --examine-bitmap "$1"
    echo "$output"
    [[ $output == *"$chunks"* ]]
    ours --assemble /dev/md0 "$@"
    [ "$(llb_meta chunks)" = "$chunks" ]
    [ "$(array_sum /dev/md0)" = "$sum2" ]
    [ "$(dd if=/dev/md0 bs=1K skip=$((csize - 1024)) count=256 iflag=direct status=none | sha256sum)" = "$tail2" ]
    wait_settled /dev/md0
    ours --stop /dev/md0
    peer --assemble /dev/md0 "$@"
    [ "$(array_sum /dev/md0)" = "$sum2" ]
    no_oops
}

@test "lockless RAID1 grown to max with the array stopped: no oops, chunks re-laid, data intact, check clean" {
    grow_lockless max 1 2 /dev/vda /dev/vdb
}

@test "lockless RAID5 grown to 160M: no oops, chunks re-laid, data intact, check clean" {
    grow_lockless 160M 5 3 /dev/vda /dev/vdb /dev/vdc
}

@test "lockless RAID1 shrunk: bitmap kept, data below the new size intact" {
    zero_start /dev/vda /dev/vdb
    ours --create /dev/md0 --run -l1 -n2 --bitmap=lockless --size=64M /dev/vda /dev/vdb
    wait_settled /dev/md0
    fill_array /dev/md0 >/dev/null
    sum=$(array_sum /dev/md0)
    run ours --grow /dev/md0 --size=40M
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(cat "$(md_sys /dev/md0)/component_size")" = 40960 ]
    [ "$(llb_meta chunks)" = 640 ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    check_clean /dev/md0
    ours --stop /dev/md0
    ours --assemble /dev/md0 /dev/vda /dev/vdb
    [ "$(llb_meta chunks)" = 640 ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    no_oops
}

@test "lockless array in use: refused with the reason, every disk byte-identical" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=lockless --size=64M /dev/vda /dev/vdb
    wait_settled /dev/md0
    fill_array /dev/md0 >/dev/null
    sleep 1
    sleep 600 < /dev/md0 &      # a process holding the array open
    HOLDER=$!
    poll_until 30 holder_ready
    before=$(for d in /dev/vda /dev/vdb; do dd if=$d bs=1M count=8 iflag=direct status=none | sha256sum; done)
    run ours --grow /dev/md0 --size=max
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"in use"* ]]
    [ "$(cat "$(md_sys /dev/md0)/component_size")" = 65536 ]
    after=$(for d in /dev/vda /dev/vdb; do dd if=$d bs=1M count=8 iflag=direct status=none | sha256sum; done)
    [ "$before" = "$after" ]
    kill "$HOLDER"; HOLDER=
    no_oops
}

@test "lockless RAID1 grown past its bitmap's room: chunk size doubled, states merged, data intact" {
    command -v losetup >/dev/null || skip "no losetup"
    local f1=/tmp/grow-size-a.img f2=/tmp/grow-size-b.img l1 l2
    truncate -s 8300M "$f1" "$f2"
    l1=$(losetup --find --show "$f1")
    l2=$(losetup --find --show "$f2")
    LOOPS="$l1 $l2"
    # 8 GiB of 64 KiB chunks: exactly the 131072 states 256 reserved sectors hold
    ours --create /dev/md0 --run -l1 -n2 --bitmap=lockless --size=8G "$l1" "$l2"
    wait_settled /dev/md0
    [ "$(llb_meta chunks)" = 131072 ]
    fill_array /dev/md0 >/dev/null
    sum=$(array_sum /dev/md0)
    ours --grow /dev/md0 --size=8256M
    no_oops
    [ "$(llb_meta chunksize)" = 256 ]
    [ "$(llb_meta chunks)" = 66048 ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    wait_settled /dev/md0 600
    [ "$(array_sum /dev/md0)" = "$sum" ]
    ours --stop /dev/md0
    run ours --examine-bitmap "$l1"
    echo "$output"
    [[ $output == *"66048"* ]]
    ours --assemble /dev/md0 "$l1" "$l2"
    [ "$(llb_meta chunksize)" = 256 ]
    [ "$(array_sum /dev/md0)" = "$sum" ]
    no_oops
}
