#!/usr/bin/env bats
# The Makefile as a distro uses it: nothing is rebuilt when nothing changed,
# flags from the command line (dpkg-buildflags) add to ours instead of
# replacing them, -Werror is ours and not a distro's, -Os builds.
#
# Each test builds a copy of the sources in its own directory, so the
# checkout's own objects are never touched.

bats_require_minimum_version 1.5.0
load lib

# Copy what `make` needs into a fresh directory; print its path.
source_copy() {
    local d="$BATS_TEST_TMPDIR/src"
    mkdir -p "$d"
    (cd "$TOP" && cp -- *.c *.h Makefile mdadm.8.in mdadm.conf.5.in "$d/")
    echo "$d"
}

@test "a second make with nothing changed rebuilds and relinks nothing" {
    local d; d=$(source_copy)
    run make -C "$d" -j2
    [ "$status" -eq 0 ]
    [[ "$output" == *"-Werror"* ]]       # our default flags make warnings fatal
    local before; before=$(stat -c %Y.%s "$d/mdadm")
    sleep 1
    run make -C "$d" -j2
    [ "$status" -eq 0 ]
    [[ "$output" != *" cc "* && "$output" != *"-o mdadm"* ]]
    [ "$(stat -c %Y.%s "$d/mdadm")" = "$before" ]
    # touching one source rebuilds that object and relinks, nothing else
    touch "$d/diag.c"
    run make -C "$d" -j2
    [ "$status" -eq 0 ]
    [[ "$output" == *"-o diag.o diag.c"* ]]
    [[ "$output" != *"-o super1.o"* ]]
    [[ "$output" == *"-o mdadm "* ]]
}

@test "dpkg-buildflags CPPFLAGS/CFLAGS/LDFLAGS on the command line build, ours kept, no -Werror forced" {
    command -v dpkg-buildflags >/dev/null || skip "dpkg-buildflags not installed"
    local d; d=$(source_copy)
    export DEB_BUILD_MAINT_OPTIONS=hardening=+all
    run make -C "$d" -j2 CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS)" \
        CFLAGS="$(dpkg-buildflags --get CFLAGS)" LDFLAGS="$(dpkg-buildflags --get LDFLAGS)"
    [ "$status" -eq 0 ]
    [[ "$output" == *"-D_FORTIFY_SOURCE"* ]]    # the distro's CPPFLAGS
    [[ "$output" == *"-D_GNU_SOURCE"* ]]        # and ours beside them
    [[ "$output" == *"-fstack-protector-strong"* ]]
    [[ "$output" != *"-Werror "* ]]
    run "$d/mdadm" --version
    [ "$status" -eq 0 ]
}

@test "the same flags from the environment build too" {
    command -v dpkg-buildflags >/dev/null || skip "dpkg-buildflags not installed"
    local d; d=$(source_copy)
    CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS)" CFLAGS="$(dpkg-buildflags --get CFLAGS)" \
        LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" run make -C "$d" -j2 mdadm
    [ "$status" -eq 0 ]
    [[ "$output" == *"-D_FORTIFY_SOURCE"* && "$output" == *"-D_GNU_SOURCE"* ]]
}

@test "an -Os build passes with warnings fatal" {
    local d; d=$(source_copy)
    run make -C "$d" -j2 CFLAGS="-Os -g" WERROR=-Werror mdadm
    [ "$status" -eq 0 ]
    [[ "$output" == *"-Os"* && "$output" == *"-Werror"* ]]
}
