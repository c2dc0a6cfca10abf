/* member.h - reading an md member (device or image): its v1 superblock and
 * its bitmap. This layer does the I/O and hands bytes to the codecs; modes
 * use the decoded results and never parse raw bytes themselves. */
#ifndef MDADM_MEMBER_H
#define MDADM_MEMBER_H

#include <stdbool.h>
#include <stdint.h>

#include "bitmap.h"
#include "devio.h"
#include "diag.h"
#include "llbitmap.h"
#include "super0.h"
#include "super1.h"

/* Upper bound on lockless state bytes we are willing to read: far above
 * anything the kernel creates (mdadm reserves 128 KiB), low enough that a
 * hostile superblock cannot make us allocate gigabytes. */
#define MEMBER_MAX_LLB_CHUNKS (16u << 20)

struct member {
	const char *path;
	uint64_t dev_sectors;
	unsigned lbs;
	int minor;                  /* 0, 1 or 2 for metadata 1.0/1.1/1.2 */
	bool v090;                  /* a 0.90 member seen as v1 (member0_view) */
	struct sb1 sb;
	bool csum_ok;
	uint32_t csum_computed;
	bool geometry_ok;
	struct diag geometry_problem;

	/* bitmap superblock, when the feature bit says there is one */
	bool has_bitmap;            /* BITMAP_OFFSET set */
	bool bitmap_read;           /* 256 bytes read and magic ok */
	bool bitmap_uuid_ok;        /* uuid matches the array */
	struct bitmap_sb bsb;
	uint64_t bitmap_byte_offset; /* where the bitmap area starts */
	struct diag bitmap_problem;
};

/* What a device holds; callers decide on this, the diag says it in words. */
enum member_load_result {
	MEMBER_OK = 0,
	MEMBER_IO_ERROR = 1,        /* could not open/read the device */
	MEMBER_NO_SUPERBLOCK = 2,   /* not md: nothing md-like anywhere (or too small) */
	MEMBER_DAMAGED = 3,         /* a v1 magic, but no superblock that decodes */
	MEMBER_OTHER_METADATA = 4,  /* 0.90 metadata, which this mdadm does not read */
};

/* A member with 0.90 metadata: its superblock, whether it is sound, and the
 * classic bitmap superblock that follows it when the state says so. */
struct member0 {
	const char *path;
	uint64_t dev_sectors;
	uint64_t sb_sector;         /* where the superblock starts */
	struct sb0 sb;
	bool csum_ok;
	uint32_t csum_computed;
	bool check_ok;              /* sb0_check passed */
	struct diag check_problem;
	bool bitmap_read;           /* state bit set, magic and uuid match */
	struct bitmap_sb bsb;
	struct diag bitmap_problem;
};

/* Decode the 0.90 superblock at the end of the device. MEMBER_OK with
 * *m filled when one decodes (checksum and structure are recorded, not
 * fatal); MEMBER_NO_SUPERBLOCK when no 0.90 magic is there; MEMBER_DAMAGED
 * when the magic is there but the rest cannot be decoded. */
enum member_load_result member0_load_io(struct member0 *m, struct devio *io,
					struct diag *d);
enum member_load_result member0_load(struct member0 *m, const char *path,
				     struct diag *d);

/* The view of a 0.90 member the bitmap readers (member_read_*,
 * member_llb_geometry, --examine-bitmap) work on: its bitmap superblock and
 * where the bitmap lies, with the array's level, disks, layout, chunk and
 * per-member size in the v1 fields' units. Nothing else of *m is set. */
void member0_bitmap_view(const struct member0 *m0, struct member *m);

/* The view of a 0.90 member assembly works on: the bitmap view plus the
 * UUID as mdadm names it (sb0_uuid_id), the preferred minor as the name,
 * times, events, clean state, this member's descriptor number and every
 * descriptor's role (in sync: its slot; faulty; else spare) in the v1
 * fields, v090 set. geometry_ok is false, with the reason, for a
 * superblock that fails sb0_check or was written in the other byte order. */
void member0_view(const struct member0 *m0, struct member *m);

/* member_load, and for a 0.90 member member0_load seen through
 * member0_view (MEMBER_OK then, m->v090 set). */
enum member_load_result member_load_any(struct member *m, const char *path,
					struct diag *d);
enum member_load_result member_load_io_any(struct member *m, struct devio *io,
					   struct diag *d);

/* Does the array belong to homehost: v1, its name is "homehost:..."; a
 * 0.90 view, its UUID carries the homehost's mark. */
bool member_is_local(const struct member *m, const char *homehost);

/* The UUID as the map file (/run/mdadm/map) keys the array: v1, the
 * superblock's bytes; 0.90, the four words in host memory order. */
void member_map_uuid(const struct member *m, uint8_t out[16]);

/* The metadata version as md/metadata_version and the map file spell it:
 * "0.90" or "1.<minor>". */
const char *member_metadata_text(const struct member *m, char *buf, size_t len);

/* Find and decode the v1 superblock: try 1.1, 1.2 and 1.0 locations and
 * keep the one with the newest ctime among those that decode. Reads the
 * bitmap superblock too when the feature bit is set (problems with it are
 * recorded in bitmap_problem, not fatal). A damaged v1 superblock and a
 * 0.90 one (unsupported) are told apart from a device that is not md. */
enum member_load_result member_load(struct member *m, const char *path,
				    struct diag *d);

/* Sectors where an md superblock's magic sits: v1 at the 1.0, 1.1 and
 * 1.2 locations, 0.90 in the last 64 KiB-aligned 64 KiB. At most 4. */
size_t member_superblock_sectors(struct devio *io, uint64_t sectors[4]);
/* The 32-bit word where a metadata 1.<minor> superblock's magic would sit
 * on the device at path (what an assembly reports when it is not there). */
int member_sb1_magic_word(const char *path, int minor, uint32_t *word, struct diag *d);

/* Does a v1 superblock's magic sit at `sector` of the device? */
bool member_sb1_magic_at(struct devio *io, uint64_t sector);

/* A device being given new metadata may still hold an old superblock at
 * another minor version's location. member_other_superblocks() lists the
 * sectors where one sits (every location but `keep_minor`'s: -1 for all
 * three, when the new metadata is 0.90);
 * member_clear_other_superblocks() zeroes them so nothing finds a stale
 * array there. */
size_t member_other_superblocks(struct devio *io, int keep_minor, uint64_t sectors[3]);
int member_clear_other_superblocks(struct devio *io, int keep_minor,
				   struct diag *d) MUST_CHECK;

/* Same, on an already opened device. */
enum member_load_result member_load_io(struct member *m, struct devio *io,
				       struct diag *d);

/* Read the byte-per-chunk state region of a lockless bitmap into a
 * malloc'd buffer (*states, *nchunks). Fails with a reason if the bitmap
 * is not a usable lockless one, its chunk count is implausible or the
 * region is outside the device. */
int member_read_llb_states(const struct member *m, struct devio *io,
			   uint8_t **states, uint64_t *nchunks, struct diag *d);

/* The bits of a classic bitmap (v3-5) into a malloc'd buffer (*bits,
 * *nbits; bit j is bit j%8 of byte j/8). */
int member_read_classic_bits(const struct member *m, struct devio *io,
			     uint8_t **bits, uint64_t *nbits, struct diag *d);
/* Count the set bits of a classic bitmap (v3-5): *bits total chunks and
 * *dirty set among them. */
int member_count_classic_bits(const struct member *m, struct devio *io,
			      uint64_t *bits, uint64_t *dirty, struct diag *d);

/* Read the bad-block log the superblock configures into a malloc'd
 * buffer (*log, *len bytes). Fails with a reason when there is none, when
 * it is larger than SB1_BBLOG_MAX_SECTORS, has an implausible shift or
 * lies outside the device. */
int member_read_bblog(const struct member *m, struct devio *io, uint8_t **log,
		      size_t *len, struct diag *d);

/* Geometry for translating llbitmap chunks into array sectors. */
void member_llb_geometry(const struct member *m, struct llb_geometry *g);

/* Array size in sectors as computed from the superblock (0 if unknown). */
uint64_t member_array_sectors(const struct sb1 *sb);

/* A valid, initialised lockless bitmap superblock of this member's array
 * at byte_off (with the member's event count when same_events). */
bool member_lockless_header_at(const struct member *m, struct devio *io, uint64_t byte_off,
			       bool same_events, struct bitmap_sb *out);

/* A member without a configured bitmap that still holds a lockless bitmap
 * header of its array where its bitmap was (the kernel removes a bitmap
 * by clearing the superblock's feature bit only): *byte_off and the
 * decoded header. */
bool member_stale_lockless(const struct member *m, struct devio *io, uint64_t *byte_off,
			   struct bitmap_sb *out);


/* Unused space before and after the data area, in sectors, the way
 * mdadm 4.6 reports it (its numbers are what scripts and Grow compare).
 * *after > INT64_MAX means the device is truncated. Returns false when
 * upstream would omit the line (no room at all, or a new_offset pending). */
bool member_unused_space(const struct member *m, uint64_t *before, uint64_t *after);

#endif
