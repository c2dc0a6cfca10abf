#!/usr/bin/env bats
# make install / uninstall as a distro or an admin uses them, and what they
# install: systemd units that systemd accepts, man pages without warnings,
# the bash completion, the scrub script's command line.

bats_require_minimum_version 1.5.0
load lib

# install_to PREFIX: make install into a fresh DESTDIR; print the DESTDIR
install_to() {
    local dest="$BATS_TEST_TMPDIR/dest-${1//\//_}"
    mkdir -p "$dest"
    make -s -C "$TOP" install DESTDIR="$dest" PREFIX="$1" >/dev/null || return 1
    echo "$dest"
}

@test "PREFIX=/usr/local: every installed file is under /usr/local, and uninstall removes them all" {
    local dest; dest=$(install_to /usr/local)
    run bash -c 'cd "$1" && find . ! -type d | sort' _ "$dest"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -ge 17 ]
    local f
    for f in "${lines[@]}"; do
        [[ $f == ./usr/local/* ]] || { echo "outside /usr/local: $f"; return 1; }
    done
    [ -x "$dest/usr/local/sbin/mdadm" ]
    [ -x "$dest/usr/local/share/mdadm/mdcheck" ]
    [ -f "$dest/usr/local/lib/udev/rules.d/64-md-raid-assembly.rules" ]
    [ -f "$dest/usr/local/lib/systemd/system/mdmonitor.service" ]
    [ -f "$dest/usr/local/share/man/man5/mdadm.conf.5" ]
    [ -f "$dest/usr/local/share/bash-completion/completions/mdadm" ]
    # the templates point at what was installed, nothing left unfilled
    grep -q '^ExecStart=/usr/local/sbin/mdadm --monitor' "$dest/usr/local/lib/systemd/system/mdmonitor.service"
    grep -q '^ExecStart=/usr/local/share/mdadm/mdcheck ' "$dest/usr/local/lib/systemd/system/mdcheck_start.service"
    grep -q 'TEST=="/usr/local/lib/systemd/system/mdmonitor.service"' "$dest/usr/local/lib/udev/rules.d/63-md-raid-arrays.rules"
    ! grep -rIq '@[A-Z_]*@' "$dest" || false
    make -s -C "$TOP" uninstall DESTDIR="$dest" PREFIX=/usr/local
    run bash -c 'cd "$1" && find . ! -type d' _ "$dest"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "PREFIX=/usr: udev, unit and completion directories come from pkg-config" {
    command -v pkg-config >/dev/null || skip "pkg-config not installed"
    local dest udev units; dest=$(install_to /usr)
    udev=$(pkg-config --variable=udevdir udev) || skip "no udev.pc"
    units=$(pkg-config --variable=systemdsystemunitdir systemd) || skip "no systemd.pc"
    [ -f "$dest$udev/rules.d/63-md-raid-arrays.rules" ]
    [ -f "$dest$units/mdmonitor.service" ]
    [ -f "$dest$units/mdcheck_continue.timer" ]
    [ -x "$dest/usr/sbin/mdadm" ]
}

@test "the installed systemd units pass systemd-analyze verify" {
    command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed"
    local dest t; dest=$(install_to /usr/local)
    # the standard targets and slices the units order against
    mkdir -p "$dest/etc/systemd/system"
    for t in /lib/systemd/system/*.target /lib/systemd/system/*.slice; do
        cp -a "$t" "$dest/etc/systemd/system/"
    done
    run --separate-stderr env SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no \
        --root="$dest" "$dest"/usr/local/lib/systemd/system/*.service "$dest"/usr/local/lib/systemd/system/*.timer
    echo "$output $stderr"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
}

@test "mdadm.8 and mdadm.conf.5 pass mandoc -Tlint and groff -ww; SEE ALSO names our own pages" {
    make -s -C "$TOP" mdadm.8 mdadm.conf.5
    if command -v mandoc >/dev/null; then
        run mandoc -Tlint "$TOP/mdadm.8" "$TOP/mdadm.conf.5"
        echo "$output"
        [ "$status" -eq 0 ]
    fi
    command -v groff >/dev/null || skip "groff is not installed"
    run bash -c 'groff -man -ww -z "$1" 2>&1' _ "$TOP/mdadm.conf.5"
    [ -z "$output" ]
    grep -q '^\.BR mdadm (8),' "$TOP/mdadm.conf.5"
    grep -q '^\.BR mdadm.conf (5)' "$TOP/mdadm.8"
    ! grep -q 'not read by this version' "$TOP/mdadm.8"
}

# complete WORD...: the completions bash offers for the last word
complete_words() {
    bash -c 'source "$1/completion/mdadm"; shift
             COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mdadm
             printf "%s\n" "${COMPREPLY[@]}"' _ "$TOP" "$@"
}

@test "bash completion knows lockless, --json and the --update words" {
    run complete_words "$MDADM" --bitmap = l
    [ "$output" = lockless ]
    run complete_words "$MDADM" --bitmap=
    [[ $output == *--bitmap=lockless* && $output == *--bitmap=internal* ]]
    run complete_words "$MDADM" --js
    [ "$output" = --json ]
    run complete_words "$MDADM" -U lay
    [ "${#lines[@]}" -eq 3 ]
    [[ $output == *layout-alternate* ]]
    run complete_words "$MDADM" --update = lockless
    [ "$output" = lockless-bitmap ]
}

@test "mdcheck: bad options and durations are usage errors" {
    run "$TOP/systemd/mdcheck" --bogus
    [ "$status" -eq 2 ]
    [[ $output == *"unknown option --bogus"* ]]
    run "$TOP/systemd/mdcheck" --duration "not a time" --state-dir "$BATS_TEST_TMPDIR/s"
    [ "$status" -eq 2 ]
    [[ $output == *"cannot understand --duration"* ]]
    run "$TOP/systemd/mdcheck" --duration
    [ "$status" -eq 2 ]
    run "$TOP/systemd/mdcheck" --help
    [ "$status" -eq 0 ]
    [[ $output == usage:* ]]
}
