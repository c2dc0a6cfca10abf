/* outname.h - how names read from disks leave the tool
 *
 * An array name comes from a superblock anyone can write (a stranger's USB
 * stick is read by udev's mdadm --incremental as root). Every place such a
 * name is shown or handed on goes through one of these rules:
 *   terminal text   control bytes shown as '?'
 *   KEY=VALUE       (--export, imported by udev and eval'ed by scripts):
 *                   unchanged when plain, else single-quoted with unsafe
 *                   bytes replaced; never a second line, never a command
 *   link/map name   (/dev/md/NAME, /run/mdadm/map): one path component,
 *                   no blanks, no control bytes
 *   JSON            well-formed UTF-8 passed through, control bytes as
 *                   \u00XX escapes, every other byte as U+FFFD
 * Pure: no I/O. */
#ifndef MDADM_OUTNAME_H
#define MDADM_OUTNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* raw: up to n bytes, ending at the first NUL; out gets at most len-1
 * characters, control bytes (and DEL) as '?'. */
void outname_terminal(const uint8_t *raw, size_t n, char *out, size_t len);

/* Is every byte one a shell and udev take literally (letters, digits and
 * . _ - : + @ , = / %)? Such values are printed as mdadm 4.6 prints them. */
bool outname_is_plain(const char *value);

/* The VALUE of a KEY=VALUE line: value itself when plain, else '...' with
 * every byte that is not printable ASCII, and every quote and backslash,
 * replaced by '_' (udev strips the quotes on import; eval sees a literal).
 * An empty value stays empty. */
void outname_export(const char *value, char *out, size_t len);

/* A name for /dev/md/ and the map file: '/' as '-', blanks, control bytes
 * and DEL as '_'. */
void outname_link(const char *name, char *out, size_t len);

/* The length of the well-formed UTF-8 sequence at s (1 for ASCII, up to
 * 4), or 0 when s[0..n) does not start with one (stray continuation
 * bytes, overlong forms, surrogates, beyond U+10FFFF, cut short). */
size_t outname_utf8_len(const uint8_t *s, size_t n);

#endif
