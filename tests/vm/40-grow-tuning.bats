#!/usr/bin/env bats
# --grow --delay / --barrier-idle on running arrays made by our --create:
# the values reach the kernel, daemon_sleep persists across stop/assemble,
# and 0 (which the kernel would accept and then refuse at assembly) is
# refused without changing anything.

bats_require_minimum_version 1.5.0
load lib

setup() {
    require_vm
    need_ours
    stop_all
    wipe_disks
}

teardown() {
    stop_all || :
}

@test "lockless: --delay sets md/llbitmap/daemon_sleep, it survives stop/assemble" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=lockless --size=32M /dev/vda /dev/vdb
    sys=$(md_sys /dev/md0)
    [ "$(cat "$sys/llbitmap/daemon_sleep")" = 30 ]
    run ours --grow /dev/md0 --delay=7
    [ "$status" -eq 0 ]
    [ "$(cat "$sys/llbitmap/daemon_sleep")" = 7 ]
    run ours --grow /dev/md0 --barrier-idle=2
    [ "$status" -eq 0 ]
    [ "$(cat "$sys/llbitmap/barrier_idle")" = 2 ]
    # a write makes md update the bitmap superblock, then stop and assemble
    write_pattern /dev/md0 65536 0
    peer --stop /dev/md0
    run ours -X --json /dev/vda
    [[ $output =~ \"daemon_sleep\":\ 7 ]]
    peer --assemble /dev/md0 /dev/vda /dev/vdb
    [ "$(cat "$(md_sys /dev/md0)/llbitmap/daemon_sleep")" = 7 ]
}

@test "lockless: --delay=0 and --barrier-idle=0 are refused and change nothing" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=lockless --size=32M /dev/vda /dev/vdb
    sys=$(md_sys /dev/md0)
    run --separate-stderr ours --grow /dev/md0 --delay=0
    [ "$status" -eq 2 ]
    [[ $stderr =~ "--delay=0 is refused" ]]
    [ "$(cat "$sys/llbitmap/daemon_sleep")" = 30 ]
    run --separate-stderr ours --grow /dev/md0 --barrier-idle=0
    [ "$status" -eq 2 ]
    [ "$(cat "$sys/llbitmap/barrier_idle")" = 5 ]
    # and the array still assembles after a stop
    peer --stop /dev/md0
    peer --assemble /dev/md0 /dev/vda /dev/vdb
    [ "$(cat "$(md_sys /dev/md0)/array_state")" != inactive ]
}

@test "classic bitmap: --delay sets md/bitmap/time_base; --barrier-idle is lockless-only" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=internal --size=32M /dev/vda /dev/vdb
    sys=$(md_sys /dev/md0)
    run ours --grow /dev/md0 --delay=9
    [ "$status" -eq 0 ]
    [ "$(cat "$sys/bitmap/time_base")" = 9 ]
    run --separate-stderr ours --grow /dev/md0 --barrier-idle=3
    [ "$status" -eq 1 ]
    [[ $stderr =~ "applies only to the lockless bitmap" ]]
}

@test "no bitmap: tuning is refused with the reason" {
    ours --create /dev/md0 --run -l1 -n2 --bitmap=none --size=32M /dev/vda /dev/vdb
    run --separate-stderr ours --grow /dev/md0 --delay=5
    [ "$status" -eq 1 ]
    [[ $stderr =~ "has no bitmap to tune" ]]
}
