#!/usr/bin/env bats
# "Enough members to run" on the real kernel for a layout where a simple
# grouping of copies gets it wrong: RAID10 far-2 on 4 disks keeps the
# second copy of slot N's chunks on slot N+1, so two neighbouring slots
# missing lose data even though slots 0-1 and 2-3 each keep one member.
# Our assembly and our --fail guard must agree with the kernel (and the
# peer) there, and still accept the patterns the kernel runs.

bats_require_minimum_version 1.5.0
load lib
load lib-assemble

setup() {
    require_vm
    need_ours
    stop_all
    wipe_disks
    rm -f /run/mdadm/map
    dmesg -C
}

teardown() {
    stop_all || :
}

F2_ARRAY=/dev/md/f2

# make_f2: a 4-disk far-2 RAID10 made by ours, in sync, then stopped
make_f2() {
    read -r -a MEMBERS <<< "$(members_for 10)"
    ours --create "$F2_ARRAY" --run -l10 --layout=f2 -n4 --bitmap=none --size=16M \
        "${MEMBERS[@]}" < /dev/null || return 1
    wait_idle "$F2_ARRAY" || return 1
    [ "$(cat "$(md_sys "$F2_ARRAY")/layout")" = 513 ] || { echo "not far-2"; return 1; }
}

# not_running DEVNM: no active array there (absent, or inactive/clear)
not_running() {
    case $(array_state "$1") in
    absent|inactive|clear) ;;
    *) echo "$1 is $(array_state "$1")"; return 1 ;;
    esac
}

@test "raid10 f2 on 4 disks with slots 1 and 2 missing: refused by our --assemble (with and without --run), the kernel and the peer" {
    make_f2
    stop_array "$F2_ARRAY"
    devnm=md0

    run ours --assemble /dev/$devnm "${MEMBERS[0]}" "${MEMBERS[3]}"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output =~ "assembled from 2 drives - not enough to start the array." ]]
    not_running $devnm
    stop_all

    # --run hands the members to the kernel, which refuses: the message says why
    run ours --assemble --run /dev/$devnm "${MEMBERS[0]}" "${MEMBERS[3]}"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output =~ "failed to assemble /dev/$devnm: Not enough devices to start the array." ]]
    not_running $devnm
    dmesg | grep -q "md/raid10:$devnm: not enough operational mirrors"
    stop_all

    run peer --assemble --run /dev/$devnm "${MEMBERS[0]}" "${MEMBERS[3]}"
    echo "$output"
    [ "$status" -ne 0 ]
    not_running $devnm
    stop_all

    # slots 1 and 3 missing keep a copy of every chunk: started degraded
    run ours --assemble --run /dev/$devnm "${MEMBERS[0]}" "${MEMBERS[2]}"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output =~ "has been started with 2 drives (out of 4)" ]]
    [ "$(cat /sys/block/$devnm/md/degraded)" = 2 ]
}

@test "raid10 f2 on 4 disks: --fail of the second of two neighbouring slots is refused, the array keeps working" {
    make_f2
    ours "$F2_ARRAY" --fail "${MEMBERS[1]}"
    run ours "$F2_ARRAY" --fail "${MEMBERS[2]}"
    echo "$output"
    [ "$status" -eq 1 ]
    [ "$output" = "mdadm: Cannot remove ${MEMBERS[2]} from $F2_ARRAY, array will be failed." ]
    devnm=$(devnm_of "$F2_ARRAY")
    [ "$(array_state "$devnm")" != broken ]
    grep -q in_sync "$(md_sys "$F2_ARRAY")/dev-${MEMBERS[2]#/dev/}/state"
    write_pattern "$F2_ARRAY" 65536 0
    # slot 3 is not a neighbour of slot 1: the kernel can lose it
    run ours "$F2_ARRAY" --fail "${MEMBERS[3]}"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(cat /sys/block/$devnm/md/degraded)" = 2 ]
    [ "$(array_state "$devnm")" != broken ]
}

# ---------------------------------------------- names and homehost from mdadm.conf

@test "CREATE names=yes: /dev/md/NAME runs as md_NAME for --create and --assemble --scan; -S takes the short name; HOMEHOST from the config names the array" {
    conf=$BATS_TEST_TMPDIR/mdadm.conf
    printf 'CREATE names=yes\nHOMEHOST confhost\n' > "$conf"
    ours -CR --config="$conf" /dev/md/raid0 -l0 -n2 "${DISKS[0]}" "${DISKS[1]}" < /dev/null
    [ -d /sys/class/block/md_raid0/md ]
    grep -q '^md_raid0 : active raid0' /proc/mdstat
    run ours -E --config="$conf" "${DISKS[0]}"
    [[ $output == *"Name : confhost:raid0  (local to host confhost)"* ]] || { echo "$output"; false; }
    # the peer reads the same name from the member
    run peer -E "${DISKS[0]}"
    [[ $output == *"Name : confhost:raid0"* ]] || { echo "$output"; false; }

    run ours -S md_raid0
    [ "$status" = 0 ] || { echo "$output"; false; }
    [ ! -e /sys/class/block/md_raid0/md ] || [ "$(cat /sys/class/block/md_raid0/md/array_state 2>/dev/null)" = clear ]

    # assembled again by name: the config's names=yes and homehost make it local
    run ours -A --scan --config="$conf"
    [ "$status" = 0 ] || { echo "$output"; false; }
    grep -q '^md_raid0 : active raid0' /proc/mdstat || { cat /proc/mdstat; false; }
    run ours -S /dev/md/raid0
    [ "$status" = 0 ] || { echo "$output"; false; }

    # without names=yes the same name gets a numbered device
    printf 'HOMEHOST confhost\n' > "$conf"
    run ours -A --scan --config="$conf"
    [ "$status" = 0 ] || { echo "$output"; false; }
    grep -q '^md127 : active raid0' /proc/mdstat || { cat /proc/mdstat; false; }
}

@test "hostile array names: -D --export and -I --export print one quoted value that eval takes literally" {
    marker=/run/pw
    name='$(touch /run/pw)'
    rm -f "$marker"
    ours --create /dev/md0 --run -l1 -n2 --bitmap=none --size=8M --homehost="$HOMEHOST" \
        --name="$name" "${DISKS[0]}" "${DISKS[1]}" < /dev/null
    run ours -D --export /dev/md0
    [ "$status" = 0 ]
    ! grep -qv '^[A-Za-z_0-9]*=' <<< "$output" || { echo "$output"; false; }
    (eval "$output"; [ "$MD_NAME" = "$HOMEHOST:$name" ]) || { echo "$output"; false; }
    [ ! -e "$marker" ]
    ours -S /dev/md0
    rm -f /run/mdadm/map
    for d in "${DISKS[0]}" "${DISKS[1]}"; do
        run ours -I --export --homehost="$HOMEHOST" "$d"
        [ "$status" = 0 ] || { echo "$output"; false; }
        ! grep -qv '^[A-Za-z_0-9]*=' <<< "$output" || { echo "$output"; false; }
        (eval "$output"; [ "$MD_DEVNAME" = '$(touch_-run-pw)' ]) || { echo "$output"; false; }
    done
    [ ! -e "$marker" ]
    # the /dev/md/ link is one path component without blanks
    [ -L '/dev/md/$(touch_-run-pw)' ] || { ls -la /dev/md/; false; }
}

@test "names as mdadm 4.6 takes them: --create with a bare name (md0 too) makes /dev/md/NAME on a free device; an ARRAY line's short device name stands for /dev/md/NAME" {
    for name in name md0; do
        ours -CR "$name" -l0 -n1 --force "${DISKS[0]}" < /dev/null
        [ -b /dev/md127 ]
        [ -L "/dev/md/$name" ] || { ls -la /dev/md; false; }
        run ours -D --export /dev/md127
        [[ $output == *$'\n'"MD_DEVNAME=$name"* ]] || { echo "$output"; false; }
        ours -S /dev/md127
    done
    run ours -CR '<ignore>' -l0 -n1 --force "${DISKS[0]}" < /dev/null
    [ "$status" -ne 0 ]

    ours -CR /dev/md/name -l0 -n1 --force "${DISKS[0]}" < /dev/null
    uuid=$(ours -D --export /dev/md127 | sed -n 's/^MD_UUID=//p')
    ours -S /dev/md127
    rm -f /run/mdadm/map
    conf=$BATS_TEST_TMPDIR/mdadm.conf
    echo "ARRAY metadata=1.2 UUID=$uuid other" > "$conf"
    ours -I "${DISKS[0]}" --config="$conf"
    run ours -D --export /dev/md127
    [[ $output == *$'\n'"MD_DEVNAME=other"* ]] || { echo "$output"; false; }
    [ -L /dev/md/other ]
}
