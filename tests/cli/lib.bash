# lib.bash - helpers for the command-line tests (no kernel needed)
# shellcheck shell=bash

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
MDADM=${MDADM:-$TOP/mdadm}
FIXTURES=$TOP/tests/fixtures/images
REFBIN=$TOP/tests/fixtures/reference
IMGEDIT=$TOP/tests/tools/imgedit.py
export TZ=UTC
# pyenv's python3 is a shell-script shim that costs 0.1-0.6 s a call, and the
# tests call python3 hundreds of times; the system interpreter does the job
if [ -x /usr/bin/python3 ]; then PATH=/usr/bin:$PATH; fi

# Every fixture scenario directory name.
scenarios() {
    local d
    for d in "$FIXTURES"/*/; do basename "$d"; done
}

# Member names of a scenario (vda vdb ...).
members() {
    local f
    for f in "$FIXTURES/$1"/*.img.tar.xz; do basename "$f" .img.tar.xz; done
}

# Unpack a fixture member image into the test's temp dir; print its path.
# Cached per file so a test can unpack many members cheaply.
fixture_img() {
    local scen=$1 dev=$2 dir="$BATS_FILE_TMPDIR/img/$1"
    if [ ! -e "$dir/$dev.img" ]; then
        mkdir -p "$dir"
        tar -xSJf "$FIXTURES/$scen/$dev.img.tar.xz" -C "$dir"
    fi
    echo "$dir/$dev.img"
}

# A private, writable copy of a fixture image (for damage tests).
fixture_copy() {
    local src dst="$BATS_TEST_TMPDIR/$1-$2.img"
    src=$(fixture_img "$1" "$2")
    cp --sparse=always "$src" "$dst"
    echo "$dst"
}

meta() { # meta SCENARIO KEY
    ( . "$FIXTURES/$1/meta.env"; eval "echo \"\${$2}\"" )
}

# The peer's output with /dev/vdX replaced by our image path.
peer_out() { # peer_out SCENARIO FILE IMGPATH DEV
    sed "s#/dev/$4\\b#$3#g" "$FIXTURES/$1/$2"
}

# What "unchanged" compares: a digest of the image's size and data extents
# (the images are sparse 320 MiB files; hashing them whole took seconds)
sum() { "$IMGEDIT" "$1" digest; }

# Run mdadm, expect failure (exit 1..125, not a crash), a message naming
# the problem on stderr, and the image unchanged.
expect_refusal() { # expect_refusal IMG PATTERN mdadm-args...
    local img=$1 pattern=$2 before after
    shift 2
    before=$(sum "$img")
    run --separate-stderr "$MDADM" "$@"
    after=$(sum "$img")
    echo "status=$status stdout=$output stderr=$stderr"
    [ "$status" -ge 1 ] && [ "$status" -lt 126 ]
    [[ $stderr =~ $pattern ]]
    [ "$before" = "$after" ]
}
