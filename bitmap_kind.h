/* bitmap_kind.h - the bitmap kinds md knows, as one table (pure, no I/O)
 *
 * Every name a kind goes by (the --bitmap= word, the md/bitmap_type word,
 * the --detail wording), the bitmap superblock version it is written with
 * and the versions it reads, how a new array's and a new member's bitmap
 * are filled, and the room it needs on disk. Creatable kinds are none,
 * classic ("internal") and lockless; clustered and file bitmaps are only
 * recognised on running arrays, never made. */
#ifndef MDADM_BITMAP_KIND_H
#define MDADM_BITMAP_KIND_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"

enum bitmap_kind {
	BITMAP_KIND_NONE = 0,
	BITMAP_KIND_CLASSIC,       /* write-intent bitmap in the metadata area */
	BITMAP_KIND_LOCKLESS,      /* llbitmap: one state byte per chunk */
	BITMAP_KIND_CLUSTERED,     /* classic, shared by md-cluster nodes */
	BITMAP_KIND_FILE,          /* classic, in a file */
	BITMAP_KIND_NR
};

/* State bytes the lockless bitmap gets on a new member: 128 KiB, room for
 * 131072 chunks (the kernel counts only state bytes against it). */
#define BITMAP_LLB_SPACE_SECTORS 256u

/* "none", "internal", "lockless", "clustered", "file"; "?" out of range.
 * What --detail prints as Bitmap Type and the --json/--export value. */
const char *bitmap_kind_name(enum bitmap_kind k);
/* md/bitmap_type word: "none", "bitmap" (classic, clustered, file),
 * "llbitmap"; "?" out of range. */
const char *bitmap_kind_sysfs_name(enum bitmap_kind k);
/* --detail "Intent Bitmap" value ("Internal", "Internal(Clustered)");
 * NULL for none and for a file bitmap, which shows its path. */
const char *bitmap_kind_intent_text(enum bitmap_kind k);
/* Whether an array of this md level can have a bitmap at all (a level
 * with redundancy to resync: 1, 4, 5, 6, 10). */
bool bitmap_kind_level_allows(int level);
/* The kind --create and --add can make. */
bool bitmap_kind_creatable(enum bitmap_kind k);

/* --bitmap= value: "none", "internal", "lockless"; "clustered" and file
 * paths are refused with a reason. */
int bitmap_kind_parse(const char *s, enum bitmap_kind *k, struct diag *d);

/* Kind selected by an md/bitmap_type word (n bytes at w); -1 if unknown.
 * "bitmap" is the classic kind. */
int bitmap_kind_from_sysfs_word(const char *w, unsigned long n);

/* md/bitmap_type lists the kernel's bitmap backends with the current one
 * in brackets ("none [bitmap] llbitmap ", a space after every word). */
struct bitmap_type_list {
	bool offered[BITMAP_KIND_NR];  /* none, classic, lockless only */
	int current;                   /* enum bitmap_kind, -1 if none bracketed
					* or the bracketed word is unknown */
	char current_word[16];         /* the bracketed word as written, "" */
};

/* Parse the attribute's text. Fails when neither "none" nor "bitmap" is
 * listed (not md/bitmap_type). */
int bitmap_type_parse(const char *text, struct bitmap_type_list *l, struct diag *d);

/* Kind of a present bitmap from its superblock version: 6 is lockless;
 * anything else is left to the classic backend, which reads 3 to 5 and
 * refuses the rest with its own message. */
enum bitmap_kind bitmap_kind_of_version(uint32_t version);
/* Version a kind's bitmap superblock is written with (0: none written). */
uint32_t bitmap_kind_version(enum bitmap_kind k);
/* Versions a kind reads. */
bool bitmap_kind_reads_version(enum bitmap_kind k, uint32_t version);

/* Kind of a running array's classic bitmap from md/bitmap/location
 * ("+8", "-24", "file", "none") and md/bitmap/metadata ("internal",
 * "clustered", "external"; NULL when unread): none, classic, clustered or
 * file. (The lockless bitmap has its own md/llbitmap/ directory.) */
enum bitmap_kind bitmap_kind_from_location(const char *location, const char *metadata);

/* ---- new bitmaps --------------------------------------------------------------
 * A new array: lockless gets FIRST_USE (plus CLEAN for --assume-clean) and
 * the state the kernel will give every chunk at first use; classic gets
 * every bit set unless --assume-clean. A new member of a running array:
 * the working member's header without FIRST_USE, lockless every chunk
 * NeedSync and classic every bit set, so that should the kernel ever read
 * this member's bitmap (after a crash) it resyncs rather than skips. */
uint32_t bitmap_kind_new_array_flags(enum bitmap_kind k, bool assume_clean);
uint8_t bitmap_kind_new_array_fill(enum bitmap_kind k, bool assume_clean);
uint32_t bitmap_kind_new_member_flags(enum bitmap_kind k, uint32_t working_flags);
uint8_t bitmap_kind_new_member_fill(enum bitmap_kind k);

/* ---- room on disk ----------------------------------------------------------- */

/* Sectors the kernel may touch from the start of a lockless bitmap with
 * `space` sectors of state bytes reserved: the 1 KiB header plus the state
 * bytes, in whole 4 KiB pages (it flushes whole pages). 264 for 256. */
uint64_t bitmap_llb_extent(uint32_t space);

/* Sectors an existing bitmap occupies from its start: lockless as
 * bitmap_llb_extent(sectors_reserved), classic as mdadm 4.6 sizes it
 * (header and bits, whole 4 KiB pages). */
struct bitmap_sb;
uint64_t bitmap_extent_of(const struct bitmap_sb *sb);

/* Sectors of a classic bitmap for sync_sectors in chunks of chunk_bytes:
 * the 256-byte header and one bit per chunk (counted as mdadm 4.6 does),
 * in whole 4 KiB pages. */
uint64_t bitmap_classic_extent(uint64_t sync_sectors, uint64_t chunk_bytes);

#endif
