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

/* ---- what a state means -------------------------------------------------
 * Invalid bytes answer false everywhere (the kernel turns them into
 * NeedSync at their next transition, see llb_transition). */
/* A resync or recovery pass must visit the chunk (NeedSync,
 * NeedSyncUnwritten). */
bool llb_state_needs_sync(unsigned state);
/* A pass is working on the chunk (Syncing, SyncingUnwritten). */
bool llb_state_syncing(unsigned state);
/* The chunk is not known to be in sync: written since it last was, or
 * waiting for or under a sync (Dirty and the need-sync and syncing
 * states). What an upstream-shaped "dirty" count means for this bitmap. */
bool llb_state_unsynced(unsigned state);
/* The chunk holds no user data (Unwritten and the three *Unwritten
 * states). */
bool llb_state_unwritten(unsigned state);
/* Entering the state makes the kernel write the chunk's state block before
 * the I/O it guards goes on, and spread the state over that whole block
 * when it is written again soon (Dirty, NeedSync). */
bool llb_state_dirties_block(unsigned state);

/* ---- first use ------------------------------------------------------------
 * A version-6 bitmap superblock with FIRST_USE set tells the kernel to
 * ignore the header's chunk size, daemon period and events, choose its
 * own chunk size (llb_initial_chunk_sectors), use the default daemon
 * period and give every chunk one state: Clean when CLEAN is also set;
 * otherwise Unwritten, or from 7.1 CleanUnwritten when it could zero a
 * raid4/5/6 whose members all write zeroes with unmap. */
#define LLB_DEFAULT_DAEMON_SLEEP 30u   /* seconds */

uint8_t llb_first_use_state(bool clean_flag, bool zeroed);
/* Levels on which first use may zero the members (raid4/5/6). */
bool llb_first_use_may_zero(int level);
/* Chunks the kernel makes at first use. */
uint64_t llb_first_use_chunks(uint64_t sync_sectors, uint64_t space_sectors);

/* ---- transitions ------------------------------------------------------------
 * The kernel's state x action table (md-llbitmap.c, Linux 7.2). */
enum llb_action {
	LLB_ACT_STARTWRITE = 0,    /* a user write */
	LLB_ACT_STARTSYNC,         /* a resync/recovery pass reaches the chunk */
	LLB_ACT_ENDSYNC,           /* ... and finished it */
	LLB_ACT_ABORTSYNC,         /* ... and gave up */
	LLB_ACT_RELOAD,            /* assembly: the bitmap is loaded */
	LLB_ACT_DAEMON,            /* the periodic clean-up (also at a clean stop) */
	LLB_ACT_DISCARD,           /* the data was discarded */
	LLB_ACT_STALE,             /* assembly of a bitmap older than the array */
	LLB_ACT_PROACTIVE_SYNC,    /* md/llbitmap/proactive_sync (7.1+) */
	LLB_ACT_CLEAR_UNWRITTEN,   /* before a recovery (7.1+) */
	LLB_NR_ACTIONS
};

/* What the array is like when the action happens. */
struct llb_context {
	bool parity;               /* raid4/5/6 */
	bool degraded;
	unsigned kernel;           /* major*100+minor; 0 = newest */
};

/* "startwrite", "startsync", ..., "proactive-sync", "clear-unwritten";
 * "?" out of range. */
const char *llb_action_name(enum llb_action a);
/* Action by name; -1 if unknown. */
int llb_action_from_name(const char *name);

/* State of a chunk in `state` (any byte) after `a` (ctx NULL: a whole,
 * non-parity array on the newest kernel). Returns `state` itself when the
 * action leaves it alone. Bytes the kernel does not know as a state
 * (invalid, or 5-7 before 7.1) become NeedSync. */
uint8_t llb_transition(uint8_t state, enum llb_action a, const struct llb_context *ctx);

/* ---- md/llbitmap/bits ------------------------------------------------------
 * One "label count" line per state in value order (5 lines on 6.18, 8 on
 * 7.1+), or a single message such as "no bitmap". */
struct llb_bits {
	bool ok;                       /* every line understood, at least one */
	unsigned nstates;              /* lines understood */
	uint64_t count[LLB_NR_STATES];
	char text[64];                 /* first line not understood */
};

/* Parse the attribute's text. Lines it does not understand are kept in
 * b->text (the first) and make b->ok false; returns -1 then. */
int llb_bits_parse(const char *text, struct llb_bits *b, struct diag *d);
/* Sum of the counts of the states for which `pred` holds. */
uint64_t llb_bits_sum(const struct llb_bits *b, bool (*pred)(unsigned state));

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

/* State of one chunk made of `n` chunks of half (quarter, ...) its size,
 * when a bitmap's chunk size grows: it must vouch for no more than every
 * part does. Any part needing or under a sync, or an invalid byte:
 * NeedSync. Written parts (Clean, Dirty) next to never-written ones:
 * NeedSync too (the unwritten part holds no parity or mirror copy a Clean
 * chunk would claim). Only written parts: Dirty if any is, else Clean.
 * Only never-written parts: CleanUnwritten if all are, else Unwritten.
 * n == 0 gives NeedSync. */
uint8_t llb_merge_states(const uint8_t *parts, size_t n);

/* Bytes of the whole llbitmap area for `chunks` chunks: 1024 + chunks. */
uint64_t llb_area_bytes(uint64_t chunks);

#endif
