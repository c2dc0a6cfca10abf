#!/usr/bin/env bats
# Every line of bad-invocations.tsv run against our mdadm: the exit status
# the table gives (mdadm 4.6's, or a stricter one the note explains), no
# crash, the stderr line count and a message matching the pattern, and every
# member image byte-identical afterwards.  The upstream column is recorded
# by tests/tools/bad-invocations; this test does not need the peer.

bats_require_minimum_version 1.5.0
load lib

# the images are shared by the whole file, so its tests run one after another
export BATS_NO_PARALLELIZE_WITHIN_FILE=true

TABLE=$BATS_TEST_DIRNAME/bad-invocations.tsv
MODES="general create build assemble incremental manage examine detail query examine-bitmap
examine-badblocks zero-superblock wait action stop run readonly misc grow monitor"

# size, modification and change time of every file in the image directory:
# any write to a file changes its times, which no process can set back
stamps() { stat -c '%n %s %Y.%y %Z.%z' "$D"/*; }

setup_file() {
    local d=$BATS_FILE_TMPDIR/d
    mkdir -p "$d"
    cp --sparse=always "$(fixture_img r1-lockless vda)" "$d/img1.img"
    cp --sparse=always "$(fixture_img r1-lockless vdb)" "$d/img2.img"
    cp --sparse=always "$(fixture_img r5-internal vda)" "$d/img3.img"
    cp --sparse=always "$(fixture_img r1-none vda)" "$d/img4.img"
    truncate -s 64M "$d/blank.img"
    echo "DEVICE $d/*.img" > "$d/mdadm.conf"
    for f in "$d"/*.img; do echo "$(basename "$f") $(sum "$f")"; done > "$BATS_FILE_TMPDIR/digests"
}

setup() {
    D=$BATS_FILE_TMPDIR/d
    if [ -e /dev/md0 ] || [ -e /dev/md1 ] || [ -e /dev/md ]; then
        skip "this host has md devices: the table needs /dev/md0 and /dev/md1 not to exist"
    fi
}

expand() { # expand ARGS: the placeholders replaced
    local a=$1
    a=${a//@IMG1@/$D/img1.img}
    a=${a//@IMG2@/$D/img2.img}
    a=${a//@IMG3@/$D/img3.img}
    a=${a//@IMG4@/$D/img4.img}
    a=${a//@BLANK@/$D/blank.img}
    a=${a//@MISSING@/$D/missing}
    a=${a//@CONF@/$D/mdadm.conf}
    a=${a//@TMP@/$D}
    printf '%s\n' "$a"
}

# Run every line of one mode; report every failing line, then fail.
table() {
    local mode want upstream nlines args pattern note err first before n=0 bad=0
    local -a argv why
    before=$(stamps)
    while IFS=$'\t' read -r mode want upstream nlines args pattern note; do
        [ "$mode" = "$1" ] || continue
        n=$((n + 1))
        read -ra argv <<< "$(expand "$args")"
        run --separate-stderr timeout 20 "$MDADM" "${argv[@]}" < /dev/null
        err=${stderr//$D/@TMP@}
        first=${err%%$'\n'*}
        why=()
        [ "$status" -lt 126 ] || why+=("crashed or timed out")
        [ "$status" -eq "$want" ] || why+=("exit status $status, want $want")
        [ "${#stderr_lines[@]}" -eq "$nlines" ] ||
            why+=("${#stderr_lines[@]} lines on stderr, want $nlines")
        [[ $first =~ $pattern ]] || why+=("stderr does not match /$pattern/")
        [ "$(stamps)" = "$before" ] || why+=("a file in the image directory was written")
        if [ -e /dev/md0 ] || [ -e /dev/md1 ] || [ -e /dev/md ]; then
            why+=("an md device node appeared")
        fi
        if [ "${#why[@]}" -gt 0 ]; then
            bad=$((bad + 1))
            echo "mdadm $args"
            printf '    %s\n' "${why[@]}"
            printf '    stderr: %s\n' "${err//$'\n'/ | }"
            # later lines compare against the state this one left
            before=$(stamps)
        fi
    done < "$TABLE"
    echo "$n lines for mode $1, $bad failed"
    [ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
}

@test "the table: at least 150 lines, each well formed, in a mode tested here" {
    local mode want upstream nlines args pattern note count=0 differ=0
    while IFS=$'\t' read -r mode want upstream nlines args pattern note; do
        [[ -z $mode || $mode == "#"* ]] && continue
        count=$((count + 1))
        [[ " ${MODES//$'\n'/ } " == *" $mode "* ]] || { echo "unknown mode: $mode"; return 1; }
        [[ $want =~ ^[0-9]+$ && $upstream =~ ^[0-9]+$ && $nlines =~ ^[0-9]+$ ]] ||
            { echo "bad status or line count: $mode $args"; return 1; }
        [ -n "$args" ] && [ -n "$pattern" ] || { echo "empty column: $mode $args"; return 1; }
        if [ "$want" != "$upstream" ]; then
            differ=$((differ + 1))
            [ -n "$note" ] || { echo "status differs from upstream without a note: $args"; return 1; }
        fi
    done < "$TABLE"
    echo "$count lines, $differ with a status other than mdadm 4.6's"
    [ "$count" -ge 150 ]
}

@test "bad invocations: general" {
    table general
}

@test "bad invocations: create" {
    table create
}

@test "bad invocations: build" {
    table build
}

@test "bad invocations: assemble" {
    table assemble
}

@test "bad invocations: incremental" {
    table incremental
}

@test "bad invocations: manage" {
    table manage
}

@test "bad invocations: examine" {
    table examine
}

@test "bad invocations: detail" {
    table detail
}

@test "bad invocations: query" {
    table query
}

@test "bad invocations: examine-bitmap" {
    table examine-bitmap
}

@test "bad invocations: examine-badblocks" {
    table examine-badblocks
}

@test "bad invocations: zero-superblock" {
    table zero-superblock
}

@test "bad invocations: wait" {
    table wait
}

@test "bad invocations: action" {
    table action
}

@test "bad invocations: stop" {
    table stop
}

@test "bad invocations: run" {
    table run
}

@test "bad invocations: readonly" {
    table readonly
}

@test "bad invocations: misc" {
    table misc
}

@test "bad invocations: grow" {
    table grow
}

@test "bad invocations: monitor" {
    table monitor
}

@test "every image is byte-identical after the whole table" {
    local name digest
    while read -r name digest; do
        [ "$(sum "$D/$name")" = "$digest" ] || { echo "$name changed"; return 1; }
    done < "$BATS_FILE_TMPDIR/digests"
}
