#!/usr/bin/env bats
# --manage without a kernel: the command-line surface against the peer
# (upstream 4.6 runs on the host for these), and the refusals that must
# come before anything is written, on a fake sysfs tree (MDADM_SYSFS_ROOT)
# with a fake /dev (MDADM_DEV_ROOT). The kernel paths are tests/vm/70-manage.bats.

bats_require_minimum_version 1.5.0
load lib

PEER=${PEER:-$TOP/build/peer/mdadm}

setup() {
    SYS="$BATS_TEST_TMPDIR/sys"
    DEV="$BATS_TEST_TMPDIR/dev"
    mkdir -p "$SYS/block/md0/md" "$DEV"
    echo 1.2 > "$SYS/block/md0/md/metadata_version"
    : > "$DEV/md0"
}

fake() { MDADM_SYSFS_ROOT="$SYS" MDADM_DEV_ROOT="$DEV" "$MDADM" "$@"; }

# same_as_peer ARGS...: exit status and stderr identical to upstream's
same_as_peer() {
    [ -x "$PEER" ] || skip "peer mdadm not installed (tests/install-deps)"
    run --separate-stderr "$PEER" "$@"
    local pst=$status perr=$stderr
    run --separate-stderr "$MDADM" "$@"
    echo "peer: $pst $perr"
    echo "ours: $status $stderr"
    [ "$status" -eq "$pst" ]
    [ "$stderr" = "$perr" ]
}

@test "manage: no md device, a missing one, a non-md one: as upstream" {
    same_as_peer --manage
    same_as_peer --manage /dev/nonexistent --fail /dev/vdb
    same_as_peer /dev/nonexistent --add /dev/vdb
    same_as_peer /dev/null --add /dev/vdb
    same_as_peer /dev/null --re-add /dev/vdb --remove /dev/vdb
}

@test "manage: option order errors as upstream" {
    same_as_peer /dev/md0 --test --fail /dev/vdb
    same_as_peer /dev/md0 /dev/vdb
    same_as_peer /dev/md0 --stop
    same_as_peer /dev/md0 --with /dev/vdb
    same_as_peer /dev/md0 --replace /dev/vda --with /dev/vdb
}

@test "manage: members of an inactive array are not touched" {
    echo inactive > "$SYS/block/md0/md/array_state"
    img=$(fixture_copy r1-lockless vda)
    before=$(sum "$img")
    for act in --add --re-add --add-spare --fail --remove; do
        run --separate-stderr fake "$DEV/md0" "$act" "$img"
        echo "$act: $status $stderr"
        [ "$status" -eq 1 ]
        [ "$stderr" = "mdadm: $DEV/md0 is not active: start it before changing its members" ]
    done
    [ "$(sum "$img")" = "$before" ]
}

@test "manage: --update and --add-journal say they are not implemented" {
    echo clean > "$SYS/block/md0/md/array_state"
    run --separate-stderr fake "$DEV/md0" --re-add --update=devicesize /dev/vdb
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: --update in --manage mode is not implemented yet in this version of mdadm" ]
    run --separate-stderr fake "$DEV/md0" --re-add --update=resync /dev/vdb
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: only 'devicesize', 'bbl', 'no-bbl', and 'force-no-bbl' can be updated with --re-add" ]
    run --separate-stderr fake "$DEV/md0" --add-journal /dev/vdb
    [ "$status" -eq 1 ]
    [[ $stderr =~ "--add-journal is not implemented yet" ]]
}

@test "manage: a device action needs a device that exists" {
    echo clean > "$SYS/block/md0/md/array_state"
    echo raid1 > "$SYS/block/md0/md/level"
    echo 2 > "$SYS/block/md0/md/raid_disks"
    run --separate-stderr fake "$DEV/md0" --add "$BATS_TEST_TMPDIR/nonexistent"
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: stat failed for $BATS_TEST_TMPDIR/nonexistent: No such file or directory" ]
    : > "$BATS_TEST_TMPDIR/plain"
    run --separate-stderr fake "$DEV/md0" --add "$BATS_TEST_TMPDIR/plain"
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: $BATS_TEST_TMPDIR/plain is not a block device" ]
    [ ! -s "$BATS_TEST_TMPDIR/plain" ]
}

@test "manage: --help lists the manage actions and --test's meaning there" {
    run "$MDADM" --manage --help
    [ "$status" -eq 0 ]
    for o in add add-spare re-add remove fail run stop readonly readwrite test; do
        [[ $output =~ "--$o " ]] || { echo "missing --$o"; false; }
    done
    [[ $output =~ "2 when nothing changed (manage)" ]]
}

@test "array names resolve in one place: kernel name, /dev/md/NAME, bare NAME; unknown names are named in the error" {
    mkdir -p "$SYS/block/md0/md/llbitmap" "$DEV/md"
    echo 5 > "$SYS/block/md0/md/llbitmap/daemon_sleep"
    ln -s ../md0 "$DEV/md/data"
    for name in md0 "$DEV/md0" "$DEV/md/data" data; do
        run --separate-stderr fake --grow "$name" --delay=7
        echo "$name: $status $stderr"
        [ "$status" -eq 0 ]
        [ "$(cat "$SYS/block/md0/md/llbitmap/daemon_sleep")" = 7 ]
        echo 5 > "$SYS/block/md0/md/llbitmap/daemon_sleep"
    done
    run --separate-stderr fake --grow nosuch --delay=7
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: error opening nosuch: No such file or directory" ]
    : > "$DEV/notmd"
    run --separate-stderr fake --grow notmd --delay=7
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: notmd does not appear to be an md device" ]
    [ "$(cat "$SYS/block/md0/md/llbitmap/daemon_sleep")" = 5 ]
}
