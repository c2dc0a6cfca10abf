#!/usr/bin/env bats
# The manual page and the built-in help agree with the option table.
#
# mdadm.8.in writes every option with escaped dashes (\-\-name, hyphens
# inside the name as \-), so a long option counts as documented when
# "\-\-name" appears there and is not just the start of a longer option.

bats_require_minimum_version 1.5.0
load lib

MANIN=$TOP/mdadm.8.in
MODES="assemble build create manage misc monitor grow incremental auto-detect"

# Long option names listed by --help-options, one per line.
listed_options() {
    "$MDADM" --help-options | sed -n 's/^  --\([A-Za-z0-9.-]*\).*/\1/p'
}

# Every long name in the option table, hidden aliases included.
table_options() {
    sed -n 's/^[[:space:]]*{ "\([A-Za-z0-9.-]*\)",.*/\1/p' "$TOP/options.c"
}

# Is option NAME written as \-\-NAME in the man page source?
in_manpage() {
    local esc=${1//-/\\-}
    grep -qP "\\Q\\-\\-${esc}\\E(?![A-Za-z0-9.]|\\\\-)" "$MANIN"
}

# Does --NAME appear in TEXT as a whole option name?
in_text() { # in_text NAME TEXT
    grep -qP -- "--\\Q$1\\E(?![A-Za-z0-9.-])" <<<"$2"
}

@test "--help-options lists a plausible number of options" {
    run listed_options
    [ "$status" -eq 0 ]
    echo "$output"
    [ "${#lines[@]}" -ge 80 ]
    # spot checks: the parse of the listing works
    [[ $output =~ (^|$'\n')examine-bitmap($'\n'|$) ]]
    [[ $output =~ (^|$'\n')logical-block-size($'\n'|$) ]]
}

@test "every option listed by --help-options is documented in mdadm.8.in" {
    local name missing=()
    while read -r name; do
        in_manpage "$name" || missing+=("$name")
    done < <(listed_options)
    echo "undocumented: ${missing[*]}"
    [ "${#missing[@]}" -eq 0 ]
}

@test "every option in the option table, hidden aliases too, is in mdadm.8.in" {
    local name missing=() n=0
    while read -r name; do
        n=$((n + 1))
        in_manpage "$name" || missing+=("$name")
    done < <(table_options)
    echo "table rows: $n; undocumented: ${missing[*]}"
    [ "$n" -ge 90 ]
    [ "${#missing[@]}" -eq 0 ]
    for name in follow parity raid-disks spare-disks set-faulty alert daemonize; do
        in_manpage "$name"
    done
}

@test "every option listed by --help-options appears in some mode's --help" {
    local mode name help="" missing=()
    for mode in $MODES; do
        run "$MDADM" "--$mode" --help
        [ "$status" -eq 0 ]
        help+="$output"$'\n'
    done
    while read -r name; do
        in_text "$name" "$help" || missing+=("$name")
    done < <(listed_options)
    echo "in no mode's --help: ${missing[*]}"
    [ "${#missing[@]}" -eq 0 ]
}

@test "mdadm.8 is generated with the placeholders filled in" {
    run make -s -C "$TOP" mdadm.8
    [ "$status" -eq 0 ]
    grep -q '^\.TH MDADM 8 ' "$TOP/mdadm.8"
    ! grep -q '@[A-Z_]*@' "$TOP/mdadm.8" || false
    grep -q '@VERSION@' "$MANIN"
    grep -q '@VERS_DATE@' "$MANIN"
}

@test "mdadm.8 renders without groff warnings" {
    command -v man >/dev/null || skip "man (man-db) is not installed"
    command -v groff >/dev/null || skip "groff is not installed"
    make -s -C "$TOP" mdadm.8
    run bash -c 'LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l -Tutf8 "$1" 2>&1 >/dev/null' _ "$TOP/mdadm.8"
    echo "$output"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    run bash -c 'groff -man -ww -z "$1" 2>&1' _ "$TOP/mdadm.8"
    echo "$output"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "mdadm.8.in states which modes are implemented" {
    grep -q '^\.SH STATUS OF THIS VERSION' "$MANIN"
    grep -q 'is not implemented yet in this version of mdadm' "$MANIN"
    grep -q '^\.SH EXIT STATUS' "$MANIN"
    grep -q '^\.SH SEE ALSO' "$MANIN"
    grep -q '^\.BR md (4)' "$MANIN"
    grep -q '^\.BR mdadm\.conf (5)' "$MANIN"
}

@test "every lockless chunk state label printed by -X is described" {
    local img label missing=()
    img=$(fixture_img r1-lockless vda)
    run --separate-stderr "$MDADM" -X "$img"
    [ "$status" -eq 0 ]
    while read -r label; do
        grep -qF "$label" "$MANIN" || missing+=("$label")
    done < <(sed -n '/Chunk States :/,$s/^ *\([a-z][a-z ]*[a-z]\) : [0-9]*$/\1/p' <<<"$output")
    echo "labels not described: ${missing[*]}"
    [ "${#missing[@]}" -eq 0 ]
    # all nine lines (eight states + invalid) were seen
    [ "$(sed -n '/Chunk States :/,$p' <<<"$output" | grep -c ' : [0-9]*$')" -eq 9 ]
}

@test "every JSON key of -E --json and -X --json is described" {
    command -v jq >/dev/null || skip "jq is not installed"
    local lockless internal firstuse key missing=() keys
    lockless=$(fixture_img r1-lockless vda)
    internal=$(fixture_img r1-internal vda)
    firstuse=$(fixture_img r1-lockless-clean vdb)   # still marked first-use
    keys=$(
        {
            "$MDADM" -E --json "$lockless" "$internal" "$firstuse"
            "$MDADM" -X -v --json "$lockless" "$internal" "$firstuse"
        } 2>/dev/null | jq -r '[paths | .[] | strings] | unique | .[]' | sort -u
    )
    [[ $keys =~ first_use_chunks ]]
    [ -n "$keys" ]
    while read -r key; do
        grep -qP "(?<![A-Za-z0-9_])\\Q$key\\E(?![A-Za-z0-9_])" "$MANIN" || missing+=("$key")
    done <<<"$keys"
    echo "keys not described: ${missing[*]}"
    [ "${#missing[@]}" -eq 0 ]
}

@test "README's layout table names every source file and the Makefile builds each one" {
    local f missing=
    for f in "$TOP"/*.c; do
        f=$(basename "$f")
        grep -q "\`$f\`" "$TOP/README.md" || missing="$missing $f"
        grep -Eq "(^|[ =])$f( |$)" "$TOP/Makefile" || missing="$missing $f(Makefile)"
    done
    [ -z "$missing" ] || { echo "not in README/Makefile:$missing"; return 1; }
}
