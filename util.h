/* util.h - formatting helpers shared by the modes (no on-disk parsing) */
#ifndef MDADM_UTIL_H
#define MDADM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PROG "mdadm"

/* Messages in upstream's style: "mdadm: ..." on stderr. */
void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Notices upstream prints on stdout ("mdadm: array /dev/md0 started."). */
void pr_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* " (1022.00 MiB 1071.64 MB)" style suffix, empty below 5000 KiB. */
void human_size(uint64_t bytes, char *buf, size_t len);
/* "1071.64MB" (JEDEC) or "1022.00MiB" (IEC) without spaces; empty below
 * 5000 KiB. */
void human_size_brief(uint64_t bytes, bool iec, char *buf, size_t len);
/* "64 MB", "4 KB", "512 B": integer-divide by 1024 while possible. */
void human_chunksize(uint64_t bytes, char *buf, size_t len);

/* 16 bytes as "xxxxxxxx:xxxxxxxx:xxxxxxxx:xxxxxxxx" (disk byte order). */
void format_uuid(const uint8_t uuid[16], char *buf, size_t len);
/* ctime(3) text without the newline (24 characters), in local time. */
void format_ctime(uint64_t seconds, char *buf, size_t len);

/* Level names as upstream prints them ("raid1", "linear", ...); NULL when
 * unknown. */
const char *level_name(int level);
const char *r5_layout_name(uint32_t layout);
const char *r6_layout_name(uint32_t layout);
const char *r0_layout_name(uint32_t layout);
/* raid10 layout text as upstream: " near=2", " offset=2", " near=2, far=2",
 * "NO REDUNDANCY". */
void r10_layout_text(uint32_t layout, char *buf, size_t len);

/* The host name used for "local to host" decisions. */
void default_homehost(char *buf, size_t len);

/* Parse an unsigned decimal, strict (no sign, no trailing junk). */
bool parse_u64(const char *s, uint64_t *out);

/* "<what> is not implemented yet in this version of mdadm"; returns 1. */
int not_implemented(const char *what);

/* Sleep `ms` milliseconds, resumed across signals. */
void sleep_ms(unsigned ms);

#endif
