/* bitmap.h - pure codec for the md bitmap superblock (bitmap_super_t)
 *
 * One 256-byte header serves both bitmap kinds: the classic write-intent
 * bitmap (versions 3, 4, 5) and the lockless bitmap (version 6). They differ
 * in units: classic `chunksize` is bytes, lockless is 512-byte sectors (once
 * the kernel has initialised it; while FIRST_USE is set the field holds
 * whatever the creating tool wrote and must not be trusted). */
#ifndef MDADM_BITMAP_H
#define MDADM_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define BITMAP_MAGIC            0x6d746962u   /* "bitm" */
#define BITMAP_SB_SIZE          256u
#define BITMAP_MAJOR_LO         3u   /* host-endian bits, deprecated */
#define BITMAP_MAJOR_HI         4u
#define BITMAP_MAJOR_CLUSTERED  5u
#define BITMAP_MAJOR_LOCKLESS   6u

/* state flags (values, not bit numbers) */
#define BITMAP_STATE_STALE       0x02u
#define BITMAP_STATE_WRITE_ERROR 0x04u
#define BITMAP_STATE_FIRST_USE   0x08u
#define BITMAP_STATE_CLEAN       0x10u
#define BITMAP_STATE_DAEMON_BUSY 0x20u
#define BITMAP_STATE_SHUTDOWN    0x40u   /* in-memory only on 7.x */

#define BITMAP_MAX_WRITE_BEHIND  16383u

struct bitmap_sb {
	uint32_t magic;
	uint32_t version;
	uint8_t  uuid[16];
	uint64_t events;
	uint64_t events_cleared;
	uint64_t sync_size;        /* sectors */
	uint32_t state;
	uint32_t chunksize;        /* v3-5: bytes; v6: sectors (see above) */
	uint32_t daemon_sleep;     /* seconds */
	uint32_t write_behind;
	uint32_t sectors_reserved;
	uint32_t nodes;
	uint8_t  cluster_name[64];
	uint8_t  pad[120];
};

/* Decode the first 256 bytes. Rejects: short buffer, wrong magic. The
 * version is NOT checked here (callers report unknown versions themselves,
 * with the version number); see bitmap_version_known. */
int bitmap_sb_decode(const uint8_t *buf, size_t len, struct bitmap_sb *sb,
		     struct diag *d);

/* Encode into the first 256 bytes of buf. */
int bitmap_sb_encode(const struct bitmap_sb *sb, uint8_t *buf, size_t len,
		     struct diag *d);

bool bitmap_version_known(uint32_t version);      /* 3..6 */
bool bitmap_is_lockless(const struct bitmap_sb *sb);
bool bitmap_first_use(const struct bitmap_sb *sb); /* v6 FIRST_USE set */

/* Chunk size in bytes as the kernel will use it: classic -> chunksize;
 * lockless -> chunksize * 512. Returns 0 when unknown (lockless FIRST_USE). */
uint64_t bitmap_chunk_bytes(const struct bitmap_sb *sb);

/* Number of chunks covering sync_size (ceil(sync_size*512 / chunk_bytes));
 * 0 when the chunk size is unknown or zero. */
uint64_t bitmap_chunks(const struct bitmap_sb *sb);

/* Room the bitmap may use, in sectors: sectors_reserved for lockless (the
 * kernel's default of 6 sectors when 0). */
uint64_t bitmap_space_sectors(const struct bitmap_sb *sb);

/* Validation as the kernel does at load, plus bounds a careful reader needs:
 * version known; classic: chunksize power of two >= 512, daemon_sleep >= 1,
 * write_behind <= 16383; lockless (not first-use): chunksize a non-zero power
 * of two, daemon_sleep >= 1, chunk count fits the reserved space. Returns 0
 * or -1 with the first problem in *d. A first-use lockless bitmap passes
 * (its numbers are placeholders the kernel replaces). */
int bitmap_sb_validate(const struct bitmap_sb *sb, struct diag *d);

/* Upstream-compatible size of the bitmap area in bytes as mdadm 4.6 computes
 * it (bits from sync_size and the raw chunksize field treated as bytes, one
 * bit per chunk, plus the 256-byte header, rounded up to `boundary`).
 * Used only where our output must match upstream's numbers. Returns 0 when
 * chunksize is 0. */
uint64_t bitmap_upstream_area_bytes(const struct bitmap_sb *sb,
				    unsigned boundary);

/* Human text of the state flags, e.g. "first-use,clean" or "none". */
void bitmap_state_text(uint32_t state, char *buf, size_t len);

/* The bitmap area as written to a member: `sb` encoded at the start, then
 * the data of `chunks` chunks set to `fill` (lockless: one state byte per
 * chunk from byte 1024; classic: one bit per chunk from byte 256, in whole
 * bytes). The rest of buf is left as the caller zeroed it. Fails when the
 * data does not fit in len. bitmap_area_used() is header plus data. */
int bitmap_area_encode(const struct bitmap_sb *sb, uint64_t chunks, uint8_t fill,
		       uint8_t *buf, size_t len, struct diag *d);
uint64_t bitmap_area_used(const struct bitmap_sb *sb, uint64_t chunks);

#endif
