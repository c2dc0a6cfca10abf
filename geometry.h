/* geometry.h - where everything goes on a new member (pure, no I/O)
 *
 * Given the member size, the metadata minor version and the bitmap kind,
 * decide the superblock location, the bitmap offset and extent, the
 * bad-block log and the data area. The lockless bitmap gets its whole
 * possible extent reserved (1024-byte header + one byte per chunk at the
 * largest chunk count its reserved space allows, rounded up to whole pages
 * because the kernel flushes whole pages) before the bad-block log, so a
 * recorded bad block can never be overwritten by chunk states. */
#ifndef MDADM_GEOMETRY_H
#define MDADM_GEOMETRY_H

#include <stdbool.h>
#include <stdint.h>

#include "bitmap_kind.h"
#include "diag.h"

#define GEOM_BBLOG_SECTORS     8u
#define GEOM_UNSET             UINT64_MAX
#define GEOM_METADATA_090      90        /* = SHAPE_METADATA_090 */
/* 0.90: the superblock's 4 KiB, then the classic bitmap in the rest of
 * the 64 KiB it reserves at the end of each member */
#define GEOM_090_BITMAP_OFFSET 8u
#define GEOM_090_BITMAP_ROOM   120u
/* 0.90 records a member's size in KiB in 32 bits: levels with
 * redundancy use at most this much of each member (the kernel's limit) */
#define GEOM_090_MAX_SECTORS   ((2ull << 32) - 2)

struct geometry_request {
	int minor;                 /* 0, 1, 2; GEOM_METADATA_090 for 0.90 */
	enum bitmap_kind bitmap;
	int level;
	unsigned raid_disks;
	uint32_t layout;
	uint64_t chunk_sectors;    /* md chunk, 0 for raid1 */
	uint64_t smallest_member;  /* sectors */
	uint64_t data_offset;      /* sectors, GEOM_UNSET = choose */
	uint64_t size;             /* component size in sectors, GEOM_UNSET = max */
	uint64_t classic_chunk_bytes; /* --bitmap-chunk, 0 = choose */
};

struct geometry {
	uint64_t data_offset;      /* sectors */
	uint64_t size;             /* component size used by the array */
	int32_t bitmap_offset;     /* sectors from the superblock */
	uint64_t bitmap_sectors;   /* extent reserved for the bitmap */
	uint64_t classic_chunk_bytes;
	uint32_t llb_space;        /* sectors_reserved for lockless */
	uint64_t llb_chunk_sectors;/* chunk size the kernel will choose */
	int32_t bblog_offset;      /* sectors from the superblock, 0 = none */
	uint16_t bblog_size;
	uint64_t bitmap_sync_size; /* sectors the bitmap covers */
};

/* Per-member placement (0.90: the superblock at the start of the last
 * 64 KiB-aligned 64 KiB, data from sector 0): super_offset, data_size for a member of
 * dev_sectors (members may differ in size; data_offset does not). */
struct member_geometry {
	uint64_t super_offset;
	uint64_t data_size;
};

/* Plan the array. Fails with a reason when the members are too small for
 * the metadata, a given --data-offset leaves no room for the bitmap and the
 * bad-block log, or --size does not fit. */
int geometry_plan(const struct geometry_request *rq, struct geometry *g,
		  struct diag *d);

/* Placement on one member. */
int geometry_member(const struct geometry_request *rq, const struct geometry *g,
		    uint64_t dev_sectors, struct member_geometry *mg,
		    struct diag *d);

/* Classic bitmap chunk (bytes) for `sync_sectors` when the bitmap has
 * `room` sectors: small enough that the bits fit, at least 64 MiB unless
 * the user asked for a size (`asked`, 0: choose), which must be big
 * enough. Without `asked` the room counts up to 128 KiB (as mdadm 4.6). */
int geometry_classic_chunk(uint64_t sync_sectors, uint64_t room, uint64_t asked,
			   uint64_t *chunk, struct diag *d);

/* Array size in sectors for a component size (0 for unknown levels). */
uint64_t geometry_array_sectors(int level, unsigned raid_disks, uint32_t layout,
				uint64_t chunk_sectors, uint64_t size);

#endif
