# lib-udev.bash - a real systemd-udevd in the VM with our rules installed
# (make install into a private directory, rules copied to
# /run/udev/rules.d next to the host's stock rules in /lib/udev/rules.d);
# used by 60-udev.bats and 68-hostile-members.bats. A missing udevd is a
# failure with the reason, never a silent skip.

UDEVD=
for c in /lib/systemd/systemd-udevd /usr/lib/systemd/systemd-udevd; do
    [ -x "$c" ] && { UDEVD=$c; break; }
done

start_udevd() {
    if [ -z "$UDEVD" ]; then
        echo "systemd-udevd is not installed on the host (/lib/systemd/systemd-udevd);"
        echo "install the udev package (tests/install-deps does) to run this test"
        return 1
    fi
    command -v udevadm >/dev/null || { echo "udevadm is not installed"; return 1; }
    INST="$BATS_FILE_TMPDIR/inst"
    rm -rf "$INST"
    # the rules call BINDIR/mdadm: a directory where "mdadm" is $OURS
    BIN="$BATS_FILE_TMPDIR/bin"
    mkdir -p "$BIN"
    ln -sf "$OURS" "$BIN/mdadm"
    # the real install target, binary and man page taken as they are
    make -s -C "$TOP" -o mdadm -o mdadm.8 -o mdadm.conf.5 install DESTDIR="$INST" \
        SBINDIR="$BIN" UDEVDIR=/udev SYSTEMDDIR=/systemd > /dev/null ||
        { echo "make install failed"; return 1; }
    grep -q "IMPORT{program}=\"$BIN/mdadm --incremental --export" \
        "$INST/udev/rules.d/64-md-raid-assembly.rules" ||
        { echo "@BINDIR@ was not substituted"; return 1; }
    mkdir -p /run/udev/rules.d
    cp "$INST"/udev/rules.d/*.rules /run/udev/rules.d/
    "$UDEVD" --daemon 2> "$BATS_FILE_TMPDIR/udevd.log" ||
        { echo "systemd-udevd did not start:"; cat "$BATS_FILE_TMPDIR/udevd.log"; return 1; }
    poll_until 10 test -S /run/udev/control ||
        { echo "systemd-udevd did not create /run/udev/control"; return 1; }
    udevadm control --ping || { echo "systemd-udevd does not answer"; return 1; }
}

stop_udevd() {
    udevadm control --exit 2>/dev/null || :
    poll_until 10 sh -c '! pgrep -x systemd-udevd >/dev/null' || pkill -x systemd-udevd || :
    # later test files must not believe udev is running (mdadm makes its
    # own /dev/md links only without udev)
    rm -rf /run/udev
}
