/* llbitmap.h - pure codec for the lockless bitmap (md-llbitmap) state region
 *
 * After the 1024-byte header area (bitmap superblock + padding) the lockless
 * bitmap stores one byte per chunk: the chunk's state. Linux 6.18 has five
 * states, 7.1 added three. Any other byte value is invalid. */
#ifndef MDADM_LLBITMAP_H
#define MDADM_LLBITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define LLBITMAP_DATA_OFFSET 1024u   /* state byte i at area + 1024 + i */

enum llb_state {
	LLB_UNWRITTEN = 0,
	LLB_CLEAN = 1,
	LLB_DIRTY = 2,
	LLB_NEED_SYNC = 3,
	LLB_SYNCING = 4,
	LLB_NEED_SYNC_UNWRITTEN = 5,   /* 7.1 */
	LLB_SYNCING_UNWRITTEN = 6,     /* 7.1 */
	LLB_CLEAN_UNWRITTEN = 7,       /* 7.1 */
	LLB_NR_STATES = 8,
	LLB_INVALID = LLB_NR_STATES    /* index for "not a state" in counts */
};

/* Kernel label as in md/llbitmap/bits ("need sync"), or "invalid". */
const char *llb_state_label(unsigned state);
/* CamelCase name as in the kernel source docs ("NeedSync"), or "Invalid". */
const char *llb_state_name(unsigned state);
/* JSON-friendly key ("need_sync"), or "invalid". */
const char *llb_state_key(unsigned state);
/* First kernel version (major*100+minor) that knows the state: 618 or 701;
 * 0 for an invalid value. */
unsigned llb_state_since(unsigned state);
/* True for bytes that are a defined state (0..7). */
bool llb_state_valid(uint8_t byte);

struct llb_counts {
	uint64_t n[LLB_NR_STATES + 1];  /* last slot: invalid bytes */
	uint64_t first_invalid;         /* chunk index of the first invalid byte */
	uint8_t first_invalid_value;
};

/* Count the states of `nchunks` state bytes. */
void llb_count(const uint8_t *states, uint64_t nchunks, struct llb_counts *c);

/* A maximal run of equal state bytes [first, first+count). */
struct llb_run {
	uint64_t first;
	uint64_t count;
	uint8_t value;      /* raw byte (may be invalid) */
};

/* Next run starting at or after `pos`. Returns false at the end. */
bool llb_next_run(const uint8_t *states, uint64_t nchunks, uint64_t pos,
		  struct llb_run *run);

/* Geometry needed to translate chunk numbers into array sectors. */
struct llb_geometry {
	uint64_t chunk_sectors;      /* llbitmap chunk size in sectors */
	uint64_t sync_sectors;       /* sync range covered (bitmap sync_size) */
	int level;                   /* md level */
	unsigned raid_disks;
	uint32_t layout;
	uint64_t raid_chunk_sectors; /* md chunk size in sectors (raid4/5/6/10) */
	uint64_t array_sectors;      /* clamp for the result; 0 = no clamp */
};

/* The array-sector extent [*start, *end) enclosing chunks
 * [first, first+count). For raid1 and raid10 the sync range is the array
 * range itself (raid10: sync_size is the array size); for raid4/5/6 a member
 * range maps to whole stripes, so the result encloses every data block of
 * the affected stripe rows. Returns -1 with a reason on impossible geometry. */
int llb_chunks_to_array_sectors(const struct llb_geometry *g, uint64_t first,
				uint64_t count, uint64_t *start, uint64_t *end,
				struct diag *d);

/* Sectors of the member range covered by chunks [first, first+count):
 * [first*chunk, min((first+count)*chunk, sync_sectors)). */
void llb_chunks_to_sync_sectors(const struct llb_geometry *g, uint64_t first,
				uint64_t count, uint64_t *start, uint64_t *end);

/* Maximum number of chunks the kernel can track in `space_sectors` of
 * reserved bitmap space (it counts state bytes only). */
uint64_t llb_max_chunks(uint64_t space_sectors);

/* Chunk size (sectors) the kernel picks on first use for a sync range of
 * sync_sectors with space_sectors reserved: start at 128 sectors (64 KiB) and
 * double while the chunks would not fit. */
uint64_t llb_initial_chunk_sectors(uint64_t sync_sectors, uint64_t space_sectors);

/* Bytes of the whole llbitmap area for `chunks` chunks: 1024 + chunks. */
uint64_t llb_area_bytes(uint64_t chunks);

#endif
