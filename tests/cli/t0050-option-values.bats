#!/usr/bin/env bats
# Option values are converted while the command line is parsed: a bad value
# exits 2 with upstream's message before any device is opened, whatever the
# mode would have done with it.

bats_require_minimum_version 1.5.0
load lib

setup() {
    A=$BATS_TEST_TMPDIR/a
    B=$BATS_TEST_TMPDIR/b
    C=$BATS_TEST_TMPDIR/c
    # existing files: if anything opened them, the open would succeed and
    # show in the trace
    truncate -s 64M "$A" "$B" "$C"
}

# Run mdadm under strace; $status/$stderr/$output as bats' run, and fail if
# any file system call named one of the members or an md device.
untouched() {
    local log=$BATS_TEST_TMPDIR/strace.log
    run --separate-stderr strace -f -qq -e trace=%file -o "$log" "$MDADM" "$@"
    if grep -v 'execve(' "$log" | grep -E "\"($BATS_TEST_TMPDIR/|/dev/md)"; then
        echo "a device was touched: $*"
        return 1
    fi
}

@test "--assemble --update=bogus exits 2 listing upstream's words (and ours after them), nothing opened" {
    untouched -A /dev/md0 --update=bogus "$A" "$B"
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: '--update=bogus' is invalid update option. Valid --update options are:
	'name', 'ppl', 'no-ppl', 'bitmap', 'no-bitmap', 
	'sparc2.2', 'super-minor', 'summaries', 'resync', 'uuid', 
	'homehost', 'home-cluster', 'nodes', 'devicesize', 'bbl', 
	'no-bbl', 'force-no-bbl', 'metadata', 'revert-reshape', 'layout-original', 
	'layout-alternate', 'layout-unspecified', 'byteorder', 'lockless-bitmap'," ]
    [ -z "$output" ]
}

@test "--assemble --update=help (or ?) prints the words on stdout and exits 0" {
    for w in help '?'; do
        untouched -A /dev/md0 --update="$w" "$A"
        [ "$status" -eq 0 ]
        [ -z "$stderr" ]
        [ "${lines[0]}" = "Valid --update options are:" ]
        [[ ${lines[1]} =~ "'name', 'ppl'" ]]
    done
}

@test "--assemble --update= a word upstream knows but this mdadm does not do: exit 2, nothing opened" {
    untouched -A /dev/md0 --update=summaries "$A" "$B"
    [ "$status" -eq 2 ]
    [[ $stderr =~ "--update=summaries is not supported by this mdadm for assembly (supported: name, homehost, uuid, resync, no-bitmap, lockless-bitmap, bbl, no-bbl, devicesize, layout-original, layout-alternate, layout-unspecified)" ]]
}

@test "--update in misc mode needs --update-subarray, whose words are few" {
    untouched -E --update=name "$A"
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: Only subarrays can be updated in misc mode" ]
    untouched --misc --update=name --update-subarray=0 "$A"
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: Only subarrays can be updated in misc mode" ]
    untouched --misc --update-subarray=0 --update=resync "$A"
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: '--update=resync' is invalid update-subarray option. Valid --update options for update-subarray are:
	'name', 'ppl', 'no-ppl', 'bitmap', 'no-bitmap'," ]
}

@test "--update in manage mode: only after --re-add, only the --re-add words" {
    untouched /dev/md0 --re-add --update=name "$A"
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: only 'devicesize', 'bbl', 'no-bbl', and 'force-no-bbl' can be updated with --re-add" ]
    untouched --manage /dev/md0 --update=bbl --re-add "$A"
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: --update in Manage mode only allowed with --re-add." ]
    untouched --manage /dev/md0 --add --update=devicesize "$A"
    [ "$status" -eq 1 ]
}

@test "--update is not an incremental option" {
    untouched -I --update=name "$A"
    [ "$status" -eq 2 ]
    [[ $stderr =~ "option --update not valid in incremental mode" ]]
}

@test "an ambiguous abbreviation lists the candidates as getopt does" {
    untouched --re "$A"
    [ "$status" -eq 2 ]
    [ "${stderr%%$'\n'*}" = "mdadm: option '--re' is ambiguous; possibilities: '--restore' '--readonly' '--readwrite' '--re-add' '--remove' '--replace' '--rebuild-map'" ]
    [[ $stderr =~ "Usage: mdadm --help" ]]
    untouched -A /dev/md0 --up=bogus "$A"
    [ "$status" -eq 2 ]
    [ "${stderr%%$'\n'*}" = "mdadm: option '--up=bogus' is ambiguous; possibilities: '--update-subarray' '--update'" ]
    # two spellings of one option are not ambiguous
    untouched -C /dev/md0 -l1 --raid-d=abc "$A" "$B"
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: invalid number of raid devices: abc" ]
}

@test "--create: bad values exit 2 with upstream's message, nothing opened" {
    while IFS='|' read -r args msg; do
        # shellcheck disable=SC2086
        untouched -C /dev/md0 --run $args "$A" "$B"
        echo "$args -> $status: $stderr"
        [ "$status" -eq 2 ]
        [ "$stderr" = "mdadm: $msg" ]
    done <<'EOF'
-l1 -n2 --chunk=abc|invalid chunk/rounding value: abc
-l5 -n2 --chunk=3K|invalid chunk/rounding value: 3K
-l1 -n2 --size=0|invalid size: 0
-l1 -n2 --size=12X|invalid size: 12X
-l1 -n2 --data-offset=abc|invalid data-offset: abc
-l1 -n2 --bitmap-chunk=3K|invalid bitmap chunksize: 3K
-l1 -n2 --bitmap-chunk=auto|invalid bitmap chunksize: auto
-l1 -n2 --delay=abc|invalid delay: abc
-l1 -nabc|invalid number of raid devices: abc
-l1 -n0|invalid number of raid devices: 0
-l1 -n-1|invalid number of raid devices: -1
-l1 -n2 -xabc|invalid number of spare-devices: abc
-l1 -n2 -k none|Invalid consistency policy: none
-l1 -n2 --consistency-policy=foo|Invalid consistency policy: foo
-l1 -n2 --nodes=1|clustered array needs two nodes at least: 1
-l7 -n2|invalid raid level: 7
-l5 -n2 --layout=bogus|layout bogus not understood for raid5.
-l1 -n2 --layout=n2|layout not meaningful for raid1 arrays.
-llinear -n2 -p original|layout not meaningful for linear arrays.
-l1 -n2 -e bogus|unrecognised metadata identifier: bogus
-l1 -n2 -e 1.3|unrecognised metadata identifier: 1.3
-l1 -n2 --uuid=123|Bad uuid: 123
EOF
}

@test "--create --write-behind out of range: upstream's two-line message" {
    untouched -C /dev/md0 -l1 -n2 -b internal --write-behind=20000 "$A" "$B"
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: Invalid value for maximum outstanding write-behind writes: 20000.
	Must be between 0 and 16383." ]
}

@test "--layout: with --level checked for that level, without it against every level's words" {
    untouched -C /dev/md0 --layout=x2 -n2 "$A" "$B"
    [ "$status" -eq 2 ]
    [[ $stderr =~ "layout x2 is not a layout of any raid level (raid0: original, alternate;" ]]
    [[ $stderr =~ "raid10: nN, fN, oN)" ]]
    # the level may come after the layout
    untouched -C /dev/md0 --layout=x2 -l10 -n2 "$A" "$B"
    [ "$status" -eq 2 ]
    [[ $stderr =~ "layout for raid10 must be 'nNN', 'oNN' or 'fNN'" ]]
    untouched --grow /dev/md0 --layout=bogus
    [ "$status" -eq 2 ]
    [[ $stderr =~ "layout bogus is not a layout of any raid level" ]]
}

@test "--chunk for a level without chunks: a good value is ignored, a bad one refused" {
    untouched -C /dev/md0 -l1 -n2 --chunk=abc "$A" "$B"
    [ "$status" -eq 2 ]
    [[ ! $stderr =~ "chunk size ignored" ]]
}

@test "--create -e 0.90 (also -e 0, -e 0.9): what 0.90 cannot record is refused, no device opened" {
    local e devs=()
    for e in 0.90 0 0.9 00.90; do
        untouched -C /dev/md0 -l1 -n2 -e "$e" --data-offset=2048 "$A" "$B"
        [ "$status" -eq 2 ] || { echo "-e $e: status $status"; return 1; }
        [ "$stderr" = "mdadm: --data-offset cannot be used with 0.90 metadata: its data starts at sector 0" ]
    done
    untouched -C /dev/md0 -l1 -n2 -e 0.90 --logical-block-size=4096 "$A" "$B"
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: --logical-block-size needs version 1 metadata: 0.90 cannot record it" ]
    for ((e = 0; e < 28; e++)); do devs+=("$A"); done
    untouched -C /dev/md0 -l5 -n28 -e 0.90 "${devs[@]}"
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: 0.90 metadata supports at most 27 devices per array" ]
    untouched -C /dev/md0 -l0 -n2 -e 0.90 --layout=original "$A" "$B"
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: --layout for RAID0 needs version 1 metadata: 0.90 cannot record it" ]
}

@test "--metadata: unknown words refused in every mode; formats only recognised are refused by --create" {
    untouched -E -e bogus "$A"
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: unrecognised metadata identifier: bogus" ]
    # --examine only looks for superblocks: a known format name is accepted
    run --separate-stderr "$MDADM" -E -e 0.90 "$BATS_TEST_TMPDIR/nonexistent"
    [ "$status" -eq 1 ]
    [[ $stderr =~ "cannot open" ]]
    untouched -C /dev/md0 -l1 -n2 -e gpt "$A" "$B"
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: external metadata (gpt) is not supported by this mdadm" ]
}

@test "--grow, --monitor and --action: bad values exit 2 before the array is looked at" {
    while IFS='|' read -r args msg; do
        # shellcheck disable=SC2086
        untouched $args
        echo "$args -> $status: $stderr"
        [ "$status" -eq 2 ]
        [ "$stderr" = "mdadm: $msg" ]
    done <<'EOF'
--grow /dev/md0 -l bogus|invalid raid level: bogus
--grow /dev/md0 -n abc|invalid number of raid devices: abc
--grow /dev/md0 --size=abc|invalid size: abc
--grow /dev/md0 -Z abc|invalid array size: abc
--grow /dev/md0 --chunk=abc|invalid chunk/rounding value: abc
--grow /dev/md0 -k bogus|Invalid consistency policy: bogus
--grow /dev/md0 --delay=soon|invalid delay: soon
--grow /dev/md0 --barrier-idle=soon|--barrier-idle=soon: not a number of seconds
--monitor --delay=abc|invalid delay: abc
--monitor -r abc|please specify positive integer between 1 and 99 as rebuild increments.
--monitor -r 100|please specify positive integer between 1 and 99 as rebuild increments.
--action=foo /dev/md0|action must be one of idle, frozen, check, repair
EOF
}

@test "good values still reach the mode" {
    run --separate-stderr "$MDADM" --grow /dev/md99 --size=max
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: error opening /dev/md99: No such file or directory" ]
    run --separate-stderr "$MDADM" --action=check /dev/null
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: /dev/null is no an md array" ]
    run --separate-stderr "$MDADM" /dev/md0 --re-add --update=devicesize "$A"
    [ "$status" -eq 1 ]
}
