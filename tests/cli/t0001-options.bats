#!/usr/bin/env bats
# The command line: modes, option table, errors (exit 2), help, version.

bats_require_minimum_version 1.5.0
load lib

@test "--version prints the version on stderr and exits 0" {
    run --separate-stderr "$MDADM" --version
    [ "$status" -eq 0 ]
    [[ $stderr =~ ^mdadm\ -\ v4\.6\ - ]]
    run --separate-stderr "$MDADM" -V
    [ "$status" -eq 0 ]
}

@test "--help prints general help; MODE --help prints that mode's options" {
    run "$MDADM" --help
    [ "$status" -eq 0 ]
    [[ $output =~ "mdadm --create device options" ]]
    run "$MDADM" --examine --help
    [ "$status" -eq 0 ]
    [[ $output =~ "--examine-bitmap" ]]
    [[ $output =~ "--json" ]]
    run "$MDADM" --create --help
    [ "$status" -eq 0 ]
    [[ $output =~ "--bitmap=TYPE -b" ]]
    [[ $output =~ "--logical-block-size" ]]
    [[ ! $output =~ "--brief" ]]
    run "$MDADM" --help-options
    [ "$status" -eq 0 ]
    [[ $output =~ "--examine-badblocks" ]]
}

@test "no arguments: usage on stderr, exit 2" {
    run --separate-stderr "$MDADM"
    [ "$status" -eq 2 ]
    [[ $stderr =~ "Usage: mdadm --help" ]]
}

@test "unknown long and short options exit 2 with a message" {
    run --separate-stderr "$MDADM" --frobnicate
    [ "$status" -eq 2 ]
    [[ $stderr =~ "unrecognized option '--frobnicate'" ]]
    run --separate-stderr "$MDADM" -E -J x
    [ "$status" -eq 2 ]
    [[ $stderr =~ "invalid option -- 'J'" ]]
}

@test "conflicting modes exit 2 naming both" {
    run --separate-stderr "$MDADM" --examine --create /dev/null
    [ "$status" -eq 2 ]
    [[ $stderr =~ '--create would set mdadm mode to "create", but it is already set to "misc".' ]]
    run --separate-stderr "$MDADM" -A -C
    [ "$status" -eq 2 ]
    [[ $stderr =~ 'already set to "assemble"' ]]
}

@test "an option that is not valid in the mode exits 2" {
    run --separate-stderr "$MDADM" --examine --level=1 x
    [ "$status" -eq 2 ]
    [[ $stderr =~ "option --level not valid in misc mode" ]]
    run --separate-stderr "$MDADM" --create --brief
    [ "$status" -eq 2 ]
    [[ $stderr =~ "not valid in create mode" ]]
}

@test "a value-taking option without a value exits 2" {
    run --separate-stderr "$MDADM" --examine --homehost
    [ "$status" -eq 2 ]
    [[ $stderr =~ "requires an argument" ]]
    run --separate-stderr "$MDADM" --examine --homehost=
    [ "$status" -eq 2 ]
    run --separate-stderr "$MDADM" --examine --brief=yes x
    [ "$status" -eq 2 ]
    [[ $stderr =~ "doesn't allow an argument" ]]
}

@test "options that may be given once are refused twice" {
    run --separate-stderr "$MDADM" --examine --homehost=a --homehost=b x
    [ "$status" -eq 2 ]
    [[ $stderr =~ "may only be given once" ]]
}

@test "unique prefixes of long options are accepted, ambiguous ones are not" {
    img=$(fixture_img r1-internal vda)
    run "$MDADM" --examine-bi "$img"
    [ "$status" -eq 0 ]
    [[ $output =~ "Magic : 6d746962" ]]
    run "$MDADM" --exam --homeh=x "$img"
    [ "$status" -eq 2 ]
    run --separate-stderr "$MDADM" --exa "$img"
    [ "$status" -eq 2 ]
    [[ $stderr =~ "option '--exa' is ambiguous; possibilities: '--examine' '--examine-bitmap' '--examine-badblocks'" ]]
}

@test "a non-mode option cannot come first; two devices need a mode" {
    run --separate-stderr "$MDADM" --level=1
    [ "$status" -eq 2 ]
    [[ $stderr =~ "does not set the mode, and so cannot be the first option" ]]
    run --separate-stderr "$MDADM" /dev/null /dev/zero
    [ "$status" -eq 2 ]
    [[ $stderr =~ "An option must be given to set the mode before a second device" ]]
    run --separate-stderr "$MDADM" /dev/null --examine
    [ "$status" -eq 2 ]
    [[ $stderr =~ "No action given for /dev/null in --misc mode" ]]
}

@test "short options change meaning with the mode (-b brief vs bitmap)" {
    img=$(fixture_img r1-internal vda)
    run "$MDADM" -E -b "$img"
    [ "$status" -eq 0 ]
    [[ $output =~ ^ARRAY\ /dev/md/r1-internal ]]
    # in create mode -b takes a value: parsing succeeds and create itself
    # refuses the members (exit 2 as mdadm 4.6, with create's message)
    run --separate-stderr "$MDADM" -C /dev/md0 -b internal -l1 -n2 /dev/null /dev/zero
    [ "$status" -eq 2 ]
    [[ $stderr =~ "/dev/null is not a block device" ]]
}

@test "modes that are not built yet say so and exit 1" {
    for args in "--grow /dev/md0 --continue" \
                "--auto-detect"; do
        run --separate-stderr "$MDADM" $args
        echo "$args -> $status $stderr"
        [ "$status" -eq 1 ]
        [[ $stderr =~ "is not implemented yet in this version of mdadm" ]]
    done
}

@test "--build: usage errors as mdadm 4.6's, before any device is opened" {
    run --separate-stderr "$MDADM" --build /dev/md0 -n2 /dev/null /dev/null
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: a RAID level is needed to Build an array." ]
    run --separate-stderr "$MDADM" --build /dev/md0 -l raid5 -n2 /dev/null /dev/null
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: Raid level raid5 not permitted with --build." ]
    run --separate-stderr "$MDADM" --build /dev/md0 -l1 /dev/null /dev/null
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: no raid-devices specified." ]
    run --separate-stderr "$MDADM" --build /dev/md0 -l1 -n3 /dev/null /dev/null
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: requested 3 devices in array but listed 2" ]
    run --separate-stderr "$MDADM" --build /dev/md0 -l1 -n2 --bitmap=internal /dev/null /dev/null
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: --build argument only compatible with --bitmap=none" ]
    run --separate-stderr "$MDADM" --build /dev/md0 -l1 -n2 -x1 /dev/null /dev/null /dev/null
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: option -x not valid in build mode" ]
    run --separate-stderr "$MDADM" --build /dev/md0 -l1 -n2 /dev/null /dev/null
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: /dev/null is not a block device." ]
}

@test "--assemble --no-degraded: only with --scan, never with --run" {
    run --separate-stderr "$MDADM" --assemble /dev/md0 --no-degraded /dev/null
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: --no-degraded not meaningful without a --scan assembly." ]
    run --separate-stderr "$MDADM" --assemble --scan --no-degraded --run
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: Cannot both Stop and Run an array" ]
}

@test "-- ends options: a device may start with a dash" {
    run --separate-stderr "$MDADM" --examine -- -nonexistent
    [ "$status" -eq 1 ]
    [[ $stderr =~ "cannot open -nonexistent" ]]
}

@test "--examine-bitmap without a device exits 2 with 4.6's words" {
    run --separate-stderr "$MDADM" --examine-bitmap
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: No devices given." ]
    run --separate-stderr "$MDADM" --examine
    [ "$status" -eq 2 ]
}
