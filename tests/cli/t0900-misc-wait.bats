#!/usr/bin/env bats
# --wait, --wait-clean and --action (misc mode): argument errors and what
# happens on names that are no md array, with mdadm 4.6's messages and exit
# statuses (the waits on real arrays are in tests/vm/58-misc-wait.bats).

bats_require_minimum_version 1.5.0
load lib

m() { run --separate-stderr "$MDADM" "$@"; }

@test "no device: 'No devices given.', exit 2 (--wait-clean --scan takes all arrays)" {
    for a in --wait -W --wait-clean --action=check "--wait --scan" "--action=idle --scan"; do
        # shellcheck disable=SC2086
        m $a
        echo "$a -> $status: $stderr"
        [ "$status" -eq 2 ]
        [ "$stderr" = "mdadm: No devices given." ]
    done
    MDADM_MDSTAT=/dev/null m --wait-clean --scan
    [ "$status" -eq 0 ]; [ -z "$stderr" ]; [ -z "$output" ]
}

@test "--action: one word of four, once" {
    for w in resync recover reshape "" CHECK; do
        m --action="$w" /dev/null
        echo "'$w' -> $status: $stderr"
        [ "$status" -eq 2 ]
        [ "$stderr" = "mdadm: action must be one of idle, frozen, check, repair" ] ||
            [ "$stderr" = "mdadm: option --action requires a value" ]
    done
    m --action=check --action=idle /dev/null
    [ "$status" -eq 2 ]; [ "$stderr" = "mdadm: Only one --action can be specified" ]
    m --action=check --action=bogus /dev/null
    [ "$status" -eq 2 ]; [ "$stderr" = "mdadm: Only one --action can be specified" ]
}

@test "--action on what is no md array: exit 1 with 4.6's words" {
    m --action=check /dev/null
    [ "$status" -eq 1 ]; [ "$stderr" = "mdadm: /dev/null is no an md array" ]
    m --action=frozen /nonexistent/md0
    [ "$status" -eq 1 ]
    [ "$stderr" = "mdadm: Couldn't open /nonexistent/md0: No such file or directory" ]
    m --action=idle "$BATS_TEST_FILENAME"
    [ "$status" -eq 1 ]; [[ $stderr == *" is no an md array" ]]
}

@test "--wait: 2 for what is no block device, 1 when nothing runs" {
    m --wait /nonexistent/md0
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: stat failed for /nonexistent/md0: No such file or directory" ]
    m -W /dev/null
    [ "$status" -eq 2 ]; [ "$stderr" = "mdadm: /dev/null is not a block device." ]
    m --wait "$BATS_TEST_FILENAME"
    [ "$status" -eq 2 ]; [ "$stderr" = "mdadm: $BATS_TEST_FILENAME is not a block device." ]
    # several names: the statuses are OR-ed
    m --wait /dev/null /nonexistent/md0
    [ "$status" -eq 2 ]; [ "${#stderr_lines[@]}" -eq 2 ]
}

@test "--wait-clean: 2 for what is no block device, quiet unless verbose" {
    m --wait-clean /nonexistent/md0
    [ "$status" -eq 2 ]
    [ "$stderr" = "mdadm: stat failed for /nonexistent/md0: No such file or directory" ]
    m --wait-clean /dev/null
    [ "$status" -eq 2 ]; [ "$stderr" = "mdadm: /dev/null is not a block device." ]
}

@test "the misc options are misc actions: one before the devices, not in other modes" {
    m /dev/null --wait
    [ "$status" -eq 2 ]
    [[ $stderr == "mdadm: No action given for /dev/null in --misc mode"* ]]
    m --create /dev/md0 --wait-clean /dev/a
    [ "$status" -eq 2 ]
    m --misc --wait /dev/null
    [ "$status" -eq 2 ]; [ "$stderr" = "mdadm: /dev/null is not a block device." ]
}
