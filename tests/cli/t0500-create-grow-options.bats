#!/usr/bin/env bats
# --create and --grow option checking that happens before any device is
# touched (the kernel paths are tested in tests/vm/30-create.bats).

bats_require_minimum_version 1.5.0
load lib

create() { run --separate-stderr "$MDADM" --create /dev/md0 --run "$@"; }

@test "lockless bitmap refused where the kernel cannot run it" {
    create -l0 -n2 --bitmap=lockless /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "bitmaps are not meaningful with level raid0" ]]
    create -llinear -n2 --bitmap=lockless /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "not meaningful with level linear" ]]
    create -l1 -n2 -e1.0 --bitmap=lockless /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "lockless bitmap needs metadata 1.1 or 1.2" ]]
    create -l1 -n2 -e0.90 --bitmap=lockless /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "lockless bitmap needs version 1 metadata".*"cannot run with 0.90" ]]
    create -l1 -n2 -e imsm --bitmap=lockless /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "external metadata (imsm) is not supported" ]]
    create -l1 -n2 --bitmap=lockless --bitmap-chunk=64M /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "--bitmap-chunk does not apply to the lockless bitmap" ]]
    create -l5 -n3 --bitmap=lockless --write-journal=/dev/c /dev/a /dev/b /dev/d
    [ "$status" -eq 2 ]; [[ $stderr =~ "write journals are not supported" ]]
    create -l1 -n2 --bitmap=lockless --consistency-policy=ppl /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "consistency policy ppl is not supported" ]]
    create -l1 -n2 --bitmap=lockless --delay=10 /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "--delay does not apply at create time to the lockless bitmap" ]]
}

@test "--bitmap values: none, internal, lockless; others refused" {
    create -l1 -n2 --bitmap=clustered /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "clustered bitmaps" ]]
    create -l1 -n2 --bitmap=/tmp/file /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "Custom write-intent bitmap file option is not supported." ]]
    create -l1 -n2 --bitmap=fancy /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "--bitmap value must be 'none', 'internal' or 'lockless'" ]]
    create -l1 -n2 --bitmap=none --consistency-policy=bitmap /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "--bitmap is required for consistency policy: bitmap" ]]
}

@test "--logical-block-size must be a power of two from 512 to 64 KiB" {
    for v in 1000 131072 256 0 abc 4097; do
        create -l1 -n2 --logical-block-size=$v /dev/a /dev/b
        echo "$v: $status $stderr"
        [ "$status" -eq 2 ]
        [[ $stderr =~ "logical block size" ]]
    done
}

@test "levels, layouts, chunks, sizes and counts are checked" {
    create -l7 -n2 /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "invalid raid level: 7" ]]
    create -lmultipath -n2 /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "not supported" ]]
    create -l5 -n3 --layout=n2 /dev/a /dev/b /dev/c
    [ "$status" -eq 2 ]; [[ $stderr =~ "layout n2 not understood for raid5" ]]
    create -l10 -n4 --layout=x2 /dev/a /dev/b /dev/c /dev/d
    [ "$status" -eq 2 ]; [[ $stderr =~ "layout for raid10 must be" ]]
    create -l5 -n3 --chunk=3K /dev/a /dev/b /dev/c
    [ "$status" -eq 2 ]; [[ $stderr =~ "invalid chunk" ]]
    create -l1 -n2 --size=12X /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "invalid size: 12X" ]]
    create -l1 /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "no raid-devices specified" ]]
    create -l1 -n3 /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "haven't given enough devices" ]]
    create -l1 -n2 /dev/a /dev/b /dev/c
    [ "$status" -eq 2 ]; [[ $stderr =~ "more devices" ]]
    create -l6 -n3 /dev/a /dev/b /dev/c
    [ "$status" -eq 2 ]; [[ $stderr =~ "at least 4 raid-devices needed" ]]
    create -l1 -n1 /dev/a
    [ "$status" -eq 2 ]; [[ $stderr =~ "unusual number of drives" ]]
    create -l1 -n2 --uuid=1234 /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "Bad uuid" ]]
    run --separate-stderr "$MDADM" --create /dev/sda --run -l1 -n2 /dev/a /dev/b
    [ "$status" -eq 2 ]; [[ $stderr =~ "invalid name for an md device" ]]
}

@test "members that are not block devices are refused before anything is written" {
    f=$BATS_TEST_TMPDIR/img
    truncate -s 64M "$f"
    before=$(sum "$f")
    create -l1 -n2 "$f" /nonexistent
    [ "$status" -eq 2 ]
    [[ $stderr =~ "is not a block device" ]]
    [ "$(sum "$f")" = "$before" ]
    create -l1 -n2 missing /nonexistent
    [ "$status" -eq 2 ]
    [[ $stderr =~ "cannot open /nonexistent: No such file or directory" ]]
}

@test "--grow --delay / --barrier-idle: 0 and junk refused (the kernel would accept 0 and break assembly)" {
    run --separate-stderr "$MDADM" --grow /dev/md0 --delay=0
    [ "$status" -eq 2 ]; [[ $stderr =~ "--delay=0 is refused" ]]
    run --separate-stderr "$MDADM" --grow /dev/md0 --barrier-idle=0
    [ "$status" -eq 2 ]; [[ $stderr =~ "--barrier-idle=0 is refused" ]]
    run --separate-stderr "$MDADM" --grow /dev/md0 --barrier-idle=soon
    [ "$status" -eq 2 ]; [[ $stderr =~ "not a number of seconds" ]]
    run --separate-stderr "$MDADM" --grow /dev/md0 --delay=100000
    [ "$status" -eq 2 ]; [[ $stderr =~ "out of range" ]]
    run --separate-stderr "$MDADM" --grow /dev/md0 --delay=5 --size=max
    [ "$status" -eq 2 ]; [[ $stderr =~ "cannot be combined" ]]
}

@test "--grow tuning on something that is not an array says so, as upstream" {
    run --separate-stderr "$MDADM" --grow /dev/md99 --delay=5
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: error opening /dev/md99: No such file or directory" ]
}

@test "--grow --size / --array-size: combinations mdadm 4.6 refuses, bad values, no array" {
    run --separate-stderr "$MDADM" --grow /dev/md99 --size=max --raid-devices=3
    [ "$status" -eq 1 ]
    [[ $stderr =~ "cannot change component size at the same time as other changes." ]]
    run --separate-stderr "$MDADM" --grow /dev/md99 --array-size=1G --level=5
    [ "$status" -eq 1 ]
    [[ $stderr =~ "cannot change array size in same operation as changing raiddisks or level." ]]
    run --separate-stderr "$MDADM" --grow /dev/md99 --size=lots
    [ "$status" -eq 2 ]
    run --separate-stderr "$MDADM" --grow /dev/md99 --size=max --write-mostly
    [ "$status" -eq 2 ]
    [[ $stderr =~ "cannot be combined" ]]
    run --separate-stderr "$MDADM" --grow /dev/md99 --size=max
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: error opening /dev/md99: No such file or directory" ]
}

@test "--write-zeroes implies --assume-clean, said as mdadm 4.6 says it, before the members are looked at" {
    create -l1 -n2 --write-zeroes /dev/a /dev/b
    [ "$status" -eq 2 ]
    [ "$output" = "mdadm: Disk zeroing requested, setting --assume-clean to skip resync" ]
    [ "$stderr" = "mdadm: cannot open /dev/a: No such file or directory" ]
    create -l1 -n2 --write-zeroes --assume-clean /dev/a /dev/b
    [ "$status" -eq 2 ]; [ -z "$output" ]
}

@test "--write-mostly and --failfast mark the devices after them; --nofailfast is no create option" {
    create -l1 -n2 /dev/a --nofailfast /dev/b
    [ "$status" -eq 2 ]; [ "$stderr" = "mdadm: option --nofailfast not valid in create mode" ]
    # accepted anywhere among the members (the marks are checked on real
    # arrays in tests/vm/32-create-flags.bats)
    create -l1 -n3 /dev/a --write-mostly /dev/b --failfast /dev/c
    [ "$status" -eq 2 ]; [ "$stderr" = "mdadm: cannot open /dev/a: No such file or directory" ]
    create -l1 -n2 -W /dev/a /dev/b
    [ "$status" -eq 2 ]; [ "$stderr" = "mdadm: cannot open /dev/a: No such file or directory" ]
}

@test "--grow --bitmap-chunk: only with --bitmap=internal, refused before any device is touched" {
    run --separate-stderr "$MDADM" --grow /dev/md99 --bitmap=lockless --bitmap-chunk=64M
    [ "$status" -eq 2 ]; [[ $stderr =~ "--bitmap-chunk applies only to --bitmap=internal" ]]
    run --separate-stderr "$MDADM" --grow /dev/md99 --bitmap=none --bitmap-chunk=64M
    [ "$status" -eq 2 ]; [[ $stderr =~ "--bitmap-chunk applies only to --bitmap=internal" ]]
    run --separate-stderr "$MDADM" --grow /dev/md99 --bitmap=internal --bitmap-chunk=64M
    [ "$status" -eq 1 ]; [[ $stderr != *"not implemented"* ]]
}
