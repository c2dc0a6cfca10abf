#!/usr/bin/env bats
# The checker of the power-loss rounds (tests/tools/powerloss-io.c, used by
# tests/vm/multiboot/guest-powerloss) on a plain file: it must pass what a
# crash may leave and catch a lost acknowledged write, a damaged record,
# a stray write and a journal out of order. The writer runs without its
# crash here.

bats_require_minimum_version 1.5.0
load lib

setup_file() {
    cc -std=gnu11 -D_GNU_SOURCE -O1 -Wall -Wextra -Werror -o "$BATS_FILE_TMPDIR/powerloss-io" \
        "$TOP/tests/tools/powerloss-io.c"
    # the same seed twice: 49 then 50 records per writer; the 50-record run
    # differs from the 49-record one only in each writer's last slot
    local n
    for n in 49 50; do
        mkdir -p "$BATS_FILE_TMPDIR/r$n"
        truncate -s 64M "$BATS_FILE_TMPDIR/r$n/dev"
        "$BATS_FILE_TMPDIR/powerloss-io" write "$BATS_FILE_TMPDIR/r$n/dev" "$BATS_FILE_TMPDIR/r$n" 7 0 $n
    done
}

setup() {
    IO=$BATS_FILE_TMPDIR/powerloss-io
    R=$BATS_TEST_TMPDIR/r
    cp -a "$BATS_FILE_TMPDIR/r50" "$R"
    # writer 2's last record, the one the tests tamper with
    OFF=$(awk '$1 == "ack" { off = $3 } END { print off }' "$R/journal.2")
}

# copy SECTORS sectors of the 49-record image at OFF into this test's image
old_sectors() {
    dd if="$BATS_FILE_TMPDIR/r49/dev" of="$R/dev" bs=512 skip=$((OFF / 512)) seek=$((OFF / 512)) \
       count="$1" conv=notrunc status=none
}

poke() { printf '\001' | dd of="$R/dev" bs=1 seek="$1" conv=notrunc status=none; }

@test "what the writer acknowledged reads back: 200 records, no problem" {
    run "$IO" verify "$R/dev" "$R" 7
    [ "$status" -eq 0 ]
    [[ "$output" == "acked=200 unacked=0 "*" torn=0 "*" problems=0" ]]
}

@test "a slot that lost its last acknowledged record fails, naming the offset" {
    old_sectors 128
    run "$IO" verify "$R/dev" "$R" 7
    [ "$status" -eq 1 ]
    [[ "$output" == *"offset $OFF sector 0: "*"expected writer 2's record 50"* ]]
}

@test "the unacknowledged record, whole, half written or not at all, passes" {
    sed -i '$d' "$R/journal.2"             # the ack never reached the journal
    run "$IO" verify "$R/dev" "$R" 7
    [ "$status" -eq 0 ]
    [[ "$output" == *"acked=199 unacked=1 "*"newer_unacked=1 torn=0"*"problems=0" ]]
    old_sectors 64
    run "$IO" verify "$R/dev" "$R" 7
    [ "$status" -eq 0 ]
    [[ "$output" == *"newer_unacked=0 torn=1"*"problems=0" ]]
    old_sectors 128
    run "$IO" verify "$R/dev" "$R" 7
    [ "$status" -eq 0 ]
    [[ "$output" == *"newer_unacked=0 torn=0"*"problems=0" ]]
}

@test "one byte changed inside a record fails as damaged" {
    poke $((OFF + 1000))
    run "$IO" verify "$R/dev" "$R" 7
    [ "$status" -eq 1 ]
    [[ "$output" == *"offset $OFF sector 1: damaged sector 1 of writer 2's record 50"* ]]
}

@test "a sector of a record at another sector's place fails" {
    dd if="$R/dev" of="$R/dev" bs=512 skip=$((OFF / 512)) seek=$((OFF / 512 + 5)) count=1 \
       conv=notrunc status=none
    run "$IO" verify "$R/dev" "$R" 7
    [ "$status" -eq 1 ]
    [[ "$output" == *"sector 5: intact sector 0 of writer 2's record 50"* ]]
}

@test "a byte outside every slot fails" {
    poke $(( (64 << 20) - 1 ))
    run "$IO" verify "$R/dev" "$R" 7
    [ "$status" -eq 1 ]
    [[ "$output" == *"never written, does not read as zeros"* ]]
}

@test "a journal with a line missing or a wrong digest fails" {
    sed -i '5d' "$R/journal.1"
    run "$IO" verify "$R/dev" "$R" 7
    [ "$status" -eq 1 ]
    [[ "$output" == *"journal.1: "*"without its begin"* ]]
    cp "$BATS_FILE_TMPDIR/r50/journal.1" "$R/journal.1"
    sed -i '2s/ [0-9a-f]*$/ 0123456789abcdef/' "$R/journal.3"
    run "$IO" verify "$R/dev" "$R" 7
    [ "$status" -eq 1 ]
    [[ "$output" == *"journal.3: record 1: digest 0123456789abcdef is not the record's"* ]]
}

@test "a journal line cut by the crash is left out" {
    printf 'begin 51 12' >> "$R/journal.0"
    run "$IO" verify "$R/dev" "$R" 7
    [ "$status" -eq 0 ]
    [[ "$output" == *"problems=0" ]]
}

@test "the crash is refused outside the test VM, before anything is written" {
    mkdir "$BATS_TEST_TMPDIR/c"
    truncate -s 64M "$BATS_TEST_TMPDIR/c/dev"
    run env -u VM_RUN "$IO" write "$BATS_TEST_TMPDIR/c/dev" "$BATS_TEST_TMPDIR/c" 7 500
    [ "$status" -eq 2 ]
    [[ "$output" == *"only inside the test VM"* ]]
    [ -z "$(find "$BATS_TEST_TMPDIR/c" -name 'journal*')" ]
}
