/* bitmap_convert.h - an existing array's bitmap turned into another kind
 * (pure, no I/O)
 *
 * When an array that holds data gets a lockless bitmap, every chunk must
 * say what the array knows about it: Clean where the members are known to
 * agree, NeedSync where they are not (a pending resync, or a chunk a
 * classic bitmap marks dirty). Never Unwritten: recovery skips Unwritten
 * chunks, so a replaced disk would silently lack data that exists.
 *
 * The other way round a classic bitmap gets a set bit for every region a
 * lockless chunk does not vouch for, and an array losing its bitmap gets a
 * resync offset at the first such region. Both bitmaps cover the same
 * "sync range" (per-member data for raid1/4/5/6, the array for raid10), so
 * chunk i of either kind starts at sector i * chunk size of that range. */
#ifndef MDADM_BITMAP_CONVERT_H
#define MDADM_BITMAP_CONVERT_H

#include <stdbool.h>
#include <stdint.h>

#include "bitmap.h"
#include "diag.h"
#include "super1.h"

/* What the array's superblocks say, taken from its freshest member. */
struct bconv_array {
	int level;
	uint64_t sync_sectors;     /* range a bitmap covers */
	uint64_t resync_offset;    /* first sector not known in sync; SB1_MAX_SECTOR: none */
	uint64_t events;           /* highest md event count among the members */
	uint8_t uuid[16];          /* array uuid (bitmap superblocks carry it) */
};

/* Does a lockless chunk in state `s` hold data the members may disagree
 * on? Dirty, NeedSync, Syncing (and their Unwritten forms) do; so does any
 * invalid byte, and Unwritten itself: nothing ever made the members agree
 * there (mirrors keep whatever old bytes they had, parity was never
 * built), which a classic bitmap or no bitmap would take as in sync. The
 * level is kept for callers; every level is treated alike. */
bool bconv_state_unsynced(int level, uint8_t s);

/* Lockless states for an array without a bitmap (bits == NULL) or with a
 * classic bitmap of `classic_chunk_bytes` per bit (`nbits` bits): NeedSync
 * where a set bit or the pending resync covers any part of the chunk,
 * Clean elsewhere. *need_sync counts the NeedSync chunks. */
int bconv_states_from_classic(const struct bconv_array *a, const uint8_t *bits,
			      uint64_t nbits, uint64_t classic_chunk_bytes,
			      uint64_t chunk_sectors, uint8_t *states, uint64_t nchunks,
			      uint64_t *need_sync, struct diag *d);

/* Classic bits (`nbits`, one per `classic_chunk_bytes`) from lockless
 * states: a bit is set when any chunk it overlaps is unsynced (see
 * bconv_state_unsynced) or lies past the resync offset. *set counts them. */
int bconv_bits_from_states(const struct bconv_array *a, const uint8_t *states,
			   uint64_t nchunks, uint64_t chunk_sectors,
			   uint64_t classic_chunk_bytes, uint8_t *bits, uint64_t nbits,
			   uint64_t *set, struct diag *d);

/* Resync offset for the array once its bitmap is gone: the start of the
 * first region the bitmap does not vouch for, or the array's own resync
 * offset when that comes first (SB1_MAX_SECTOR: everything in sync). */
uint64_t bconv_resync_offset_from_states(const struct bconv_array *a,
					 const uint8_t *states, uint64_t nchunks,
					 uint64_t chunk_sectors);
uint64_t bconv_resync_offset_from_bits(const struct bconv_array *a, const uint8_t *bits,
				       uint64_t nbits, uint64_t classic_chunk_bytes);

/* Number of chunks of `chunk_bytes` covering the sync range. */
uint64_t bconv_chunks(uint64_t sync_sectors, uint64_t chunk_bytes);

/* Lockless states for an array whose sync range changes from old_sync to
 * new_sync sectors (a --grow --size with the array stopped). The chunk
 * size grows from old_chunk to new_chunk sectors (a power-of-two
 * multiple, so that new_nchunks fit the reserved space); the parts of a
 * grown chunk merge by llb_merge_states. A chunk reaching past old_sync
 * covers space the array never synced: NeedSync, so the kernel resyncs
 * the new region as it does for arrays without a bitmap. Fills
 * new_nchunks bytes of out; *need_sync counts the NeedSync chunks. */
int bconv_resize_states(const uint8_t *old, uint64_t old_nchunks, uint64_t old_chunk,
			uint64_t old_sync, uint64_t new_sync, uint64_t new_chunk,
			uint8_t *out, uint64_t new_nchunks, uint64_t *need_sync,
			struct diag *d);

/* Smallest chunk size, old_chunk doubled as often as needed, whose chunks
 * covering sync_sectors fit max_chunks; 0 when none does. */
uint64_t bconv_fitting_chunk(uint64_t old_chunk, uint64_t sync_sectors, uint64_t max_chunks);

/* Bitmap superblocks for the converted array: lockless (version 6, not
 * first use: the states are real, so the kernel must not re-initialise
 * them; events equal to the array's so they are not taken as stale) and
 * classic (version 4). */
void bconv_lockless_sb(const struct bconv_array *a, uint64_t chunk_sectors,
		       uint32_t space_sectors, struct bitmap_sb *sb);
void bconv_classic_sb(const struct bconv_array *a, uint64_t chunk_bytes,
		      struct bitmap_sb *sb);

/* Where a lockless bitmap goes on a member that already has data: right
 * after the superblock (bitmap_offset 8), with its whole extent reserved
 * before the data. A bad-block log inside that extent moves behind it
 * (bblog_moves) when the room before the data allows. Refused with the
 * reason for metadata 1.0 and when the data starts too early. */
struct bconv_place {
	int32_t bitmap_offset;     /* sectors from the superblock */
	uint64_t extent;           /* sectors the kernel may write from there */
	uint32_t space;            /* sectors_reserved */
	int32_t bblog_offset;      /* where the bad-block log is afterwards */
	bool bblog_moves;
};
int bconv_place_lockless(const struct sb1 *sb, int minor, struct bconv_place *p,
			 struct diag *d);

/* Where a classic bitmap goes on a member that already has data, where
 * mdadm 4.6 puts one added to a running array: 1.1/1.2 right after the
 * 4 KiB superblock, up to the bad-block log (or 4 KiB before the data);
 * 1.0 in front of the bad-block log below the superblock. The chunk is
 * `asked_chunk_bytes` (0: mdadm 4.6's default, 64 MiB or more so that
 * the bits fit). area_bytes is what is written there: header and bits,
 * rounded up as mdadm 4.6 rounds, never past the room. Refused with the
 * reason when there is no room or the asked chunk is too small. */
struct bconv_classic {
	int32_t bitmap_offset;      /* sectors from the superblock */
	uint64_t room;              /* sectors the bitmap may use */
	uint64_t chunk_bytes;
	uint64_t area_bytes;
};
int bconv_place_classic(const struct sb1 *sb, int minor, uint64_t sync_sectors,
			uint64_t asked_chunk_bytes, struct bconv_classic *c,
			struct diag *d);

/* A lockless bitmap turned into a classic one in place, at the same
 * offset: the classic header and its bits fill the first
 * BCONV_IN_PLACE_BYTES of the area, where a lockless reader looks at
 * nothing but the header (its states start at byte 1024). So the bits can
 * be written before the header, and the header's one-sector write switches
 * the member from one whole bitmap to the other. The chunk is asked or
 * chosen (as bconv_place_classic) so that the bits fit. */
#define BCONV_IN_PLACE_BYTES 1024u
int bconv_in_place_chunk(uint64_t sync_sectors, uint64_t asked_chunk_bytes,
			 uint64_t *chunk_bytes, struct diag *d);

/* The classic area (BCONV_IN_PLACE_BYTES in buf) for lockless `states`:
 * the version-4 header at the array's events (so the kernel trusts the
 * bits) and a set bit wherever a state is unsynced or the resync offset
 * reaches (bconv_bits_from_states); the rest zero. *nbits and *set say
 * how many bits there are and how many are set. */
int bconv_classic_area_from_states(const struct bconv_array *a, const uint8_t *states,
				   uint64_t nchunks, uint64_t chunk_sectors,
				   uint64_t classic_chunk_bytes, uint8_t *buf, size_t len,
				   uint64_t *nbits, uint64_t *set, struct diag *d);

#endif
