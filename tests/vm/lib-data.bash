# tests/vm/lib-data.bash: data written to an array before a change and
# checked after it (load after lib). One 4 KiB block of varied text in each
# of the first DATA_MIB MiB, at offsets that differ from MiB to MiB.

DATA_MIB=${DATA_MIB:-24}

# fill_array DEV: write the blocks; prints the checksum array_sum gives
fill_array() {
    local i
    for ((i = 0; i < DATA_MIB; i++)); do
        printf 'block %d of %s %s\n' "$i" "${BATS_TEST_FILENAME##*/}" "$(head -c 48 /dev/urandom | base64)" |
            head -c 4096 > "$BATS_TEST_TMPDIR/blk"
        dd if="$BATS_TEST_TMPDIR/blk" of="$1" bs=4096 seek=$((i * 256 + i % 7)) \
            oflag=direct conv=notrunc,sync status=none || return 1
    done
    array_sum "$1"
}

# array_sum DEV [MIB]: checksum of the first MIB (default DATA_MIB+1) MiB
array_sum() {
    dd if="$1" bs=1M count="${2:-$((DATA_MIB + 1))}" iflag=direct status=none | sha256sum | cut -c1-64
}
