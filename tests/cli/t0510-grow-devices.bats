#!/usr/bin/env bats
# --grow --raid-devices, --consistency-policy and --write-behind: what is
# refused before any array is looked at (messages and exit statuses of
# mdadm 4.6, recorded in the md VM), and a missing array. The kernel paths
# are tested in tests/vm/48-grow-devices.bats.

bats_require_minimum_version 1.5.0
load lib

grow() { MDADM_SYSFS_ROOT=$BATS_TEST_TMPDIR run --separate-stderr "$MDADM" --grow /dev/md99 "$@"; }

@test "--raid-devices: one mirror needs --force, sizes are changed on their own" {
    grow -n1
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: '1' is an unusual number of drives for an array, so it is probably
     a mistake.  If you really mean it you will need to specify --force before
     setting the number of drives." ]
    grow -n2 -Z 1000
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: cannot change array size in same operation as changing raiddisks or level.
    Change size first, then check that data is still intact." ]
}

@test "--raid-devices: devices only after --add, other changes not combined" {
    grow -n3 /dev/sdz
    [ "$status" -eq 2 ]
    [[ $stderr == *"/dev/sdz: devices are named in --grow mode only after --add"* ]]
    grow -n3 -c 64
    [ "$status" -eq 2 ]
    [[ $stderr == *"--raid-devices cannot be combined with other --grow changes yet"* ]]
}

@test "--consistency-policy: journal as mdadm 4.6, ppl not implemented, nothing combined" {
    grow -k journal
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: Operation not supported for consistency policy journal" ]
    grow -k ppl
    [ "$status" -eq 1 ]
    [[ $stderr == *"--grow --consistency-policy=ppl is not implemented yet in this version of mdadm"* ]]
    grow -k resync --write-behind=5
    [ "$status" -eq 2 ]
}

@test "no such array: said as mdadm 4.6 says it, exit 1" {
    for args in "-n3" "-n3 --add /dev/sdz" "-k resync" "--write-behind=5"; do
        grow $args
        echo "$args -> $status $stderr"
        [ "$status" -eq 1 ]
        [ "$stderr" = "mdadm: error opening /dev/md99: No such file or directory" ]
    done
}
