#!/usr/bin/env bats
# --detail-platform: no platform-specific metadata is supported, so no
# platform is checked; the exit statuses are mdadm 4.6's on a machine
# without a RAID controller (compared with the peer run here).

bats_require_minimum_version 1.5.0
load lib

PEER=${PEER:-$TOP/build/peer/mdadm}

# same_status ARGS...: ours and (when installed) the peer exit the same
same_status() {
    run --separate-stderr "$MDADM" "$@"
    local ours=$status
    if [ -x "$PEER" ]; then
        run --separate-stderr "$PEER" "$@"
        [ "$status" = "$ours" ] || { echo "$*: ours $ours, peer $status"; return 1; }
    fi
    status=$ours
}

@test "--detail-platform exits 2 (no platform found), silent unless verbose" {
    same_status --detail-platform
    [ "$status" -eq 2 ]
    run --separate-stderr "$MDADM" --detail-platform
    [ -z "$output" ] && [ -z "$stderr" ]
    same_status --detail-platform --brief
    [ "$status" -eq 2 ]
}

@test "--detail-platform -e FORMAT: platform independent formats exit 1, imsm exits 2" {
    local e
    for e in 1.2 1.0 0.90 ddf; do
        same_status --detail-platform -e "$e"
        [ "$status" -eq 1 ] || { echo "-e $e: $status"; return 1; }
    done
    same_status --detail-platform -e imsm
    [ "$status" -eq 2 ]
}

@test "--detail-platform --verbose says what it checked for every format" {
    run --separate-stderr "$MDADM" --detail-platform --verbose
    [ "$status" -eq 2 ]
    [[ $stderr == *"mdadm: 1.x metadata is platform independent"* ]]
    [[ $stderr == *"mdadm: 0.90 metadata is platform independent"* ]]
    [[ $stderr == *"mdadm: imsm metadata is not supported by this mdadm: no platform checked"* ]]
    run --separate-stderr "$MDADM" --detail-platform -v -e 1.2
    [ "$status" -eq 1 ] && [ "$stderr" = "mdadm: 1.x metadata is platform independent" ]
}
