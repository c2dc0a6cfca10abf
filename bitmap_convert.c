/* bitmap_convert.c - an existing array's bitmap turned into another kind */
#include <string.h>

#include "bitmap_convert.h"
#include "bitmap_kind.h"
#include "geometry.h"
#include "llbitmap.h"

#define LOCKLESS_DAEMON_SLEEP 30u   /* seconds, what the kernel picks itself */
#define CLASSIC_DAEMON_SLEEP  5u

bool bconv_state_unsynced(int level, uint8_t s)
{
	(void)level;
	/* never written: mirrors may hold different old bytes there (a
	 * classic bitmap would let reads and checks meet either), parity was
	 * never built */
	return !llb_state_valid(s) || llb_state_unsynced(s) || s == LLB_UNWRITTEN;
}

uint64_t bconv_chunks(uint64_t sync_sectors, uint64_t chunk_bytes)
{
	uint64_t chunk = chunk_bytes / 512;

	return chunk ? (sync_sectors + chunk - 1) / chunk : 0;
}

static bool bit_is_set(const uint8_t *bits, uint64_t j)
{
	return (bits[j / 8] >> (j % 8)) & 1;
}

/* Is any bit of [first, last] set? Bits the bitmap does not have count as
 * set: nothing vouches for those regions. */
static bool any_bit_set(const uint8_t *bits, uint64_t nbits, uint64_t first, uint64_t last)
{
	for (uint64_t j = first; j <= last; j++)
		if (j >= nbits || bit_is_set(bits, j))
			return true;
	return false;
}

static bool any_state_unsynced(int level, const uint8_t *states, uint64_t nchunks,
			       uint64_t first, uint64_t last)
{
	for (uint64_t i = first; i <= last; i++)
		if (i >= nchunks || bconv_state_unsynced(level, states[i]))
			return true;
	return false;
}

/* End of the sync-range region [start, start + len), clipped to the range. */
static uint64_t region_end(const struct bconv_array *a, uint64_t start, uint64_t len)
{
	uint64_t end = start + len;

	return end > a->sync_sectors ? a->sync_sectors : end;
}

int bconv_states_from_classic(const struct bconv_array *a, const uint8_t *bits,
			      uint64_t nbits, uint64_t classic_chunk_bytes,
			      uint64_t chunk_sectors, uint8_t *states, uint64_t nchunks,
			      uint64_t *need_sync, struct diag *d)
{
	uint64_t cb = classic_chunk_bytes / 512;

	if (!chunk_sectors || a->sync_sectors == 0)
		return diag_fail(d, "no sync range or chunk size to convert");
	if (bits && cb == 0)
		return diag_fail(d, "classic bitmap chunk of %llu bytes is below one sector",
				 (unsigned long long)classic_chunk_bytes);
	if (nchunks < (a->sync_sectors + chunk_sectors - 1) / chunk_sectors)
		return diag_fail(d, "%llu chunks of %llu sectors do not cover %llu sectors",
				 (unsigned long long)nchunks, (unsigned long long)chunk_sectors,
				 (unsigned long long)a->sync_sectors);
	*need_sync = 0;
	for (uint64_t i = 0; i < nchunks; i++) {
		uint64_t start = i * chunk_sectors;
		uint64_t end = region_end(a, start, chunk_sectors);
		bool unsynced;

		if (start >= a->sync_sectors) {
			states[i] = LLB_CLEAN;   /* past the range: never used */
			continue;
		}
		unsynced = end > a->resync_offset ||
			   (bits && any_bit_set(bits, nbits, start / cb, (end - 1) / cb));
		states[i] = unsynced ? LLB_NEED_SYNC : LLB_CLEAN;
		*need_sync += unsynced;
	}
	return 0;
}

int bconv_bits_from_states(const struct bconv_array *a, const uint8_t *states,
			   uint64_t nchunks, uint64_t chunk_sectors,
			   uint64_t classic_chunk_bytes, uint8_t *bits, uint64_t nbits,
			   uint64_t *set, struct diag *d)
{
	uint64_t cb = classic_chunk_bytes / 512;

	if (!chunk_sectors || cb == 0)
		return diag_fail(d, "no chunk size to convert");
	if (nbits < bconv_chunks(a->sync_sectors, classic_chunk_bytes))
		return diag_fail(d, "%llu bits of %llu bytes do not cover %llu sectors",
				 (unsigned long long)nbits, (unsigned long long)classic_chunk_bytes,
				 (unsigned long long)a->sync_sectors);
	memset(bits, 0, (size_t)((nbits + 7) / 8));
	*set = 0;
	for (uint64_t j = 0; j < nbits; j++) {
		uint64_t start = j * cb;
		uint64_t end = region_end(a, start, cb);

		if (start >= a->sync_sectors)
			break;
		if (end > a->resync_offset ||
		    any_state_unsynced(a->level, states, nchunks, start / chunk_sectors,
				       (end - 1) / chunk_sectors)) {
			bits[j / 8] |= (uint8_t)(1u << (j % 8));
			(*set)++;
		}
	}
	return 0;
}

static uint64_t earlier(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t bconv_resync_offset_from_states(const struct bconv_array *a,
					 const uint8_t *states, uint64_t nchunks,
					 uint64_t chunk_sectors)
{
	for (uint64_t i = 0; i < nchunks && i * chunk_sectors < a->sync_sectors; i++)
		if (bconv_state_unsynced(a->level, states[i]))
			return earlier(a->resync_offset, i * chunk_sectors);
	if (nchunks * chunk_sectors < a->sync_sectors)
		return earlier(a->resync_offset, nchunks * chunk_sectors);
	return a->resync_offset;
}

uint64_t bconv_resync_offset_from_bits(const struct bconv_array *a, const uint8_t *bits,
				       uint64_t nbits, uint64_t classic_chunk_bytes)
{
	uint64_t cb = classic_chunk_bytes / 512;

	if (cb == 0)
		return 0;
	for (uint64_t j = 0; j < nbits && j * cb < a->sync_sectors; j++)
		if (bit_is_set(bits, j))
			return earlier(a->resync_offset, j * cb);
	if (nbits * cb < a->sync_sectors)
		return earlier(a->resync_offset, nbits * cb);
	return a->resync_offset;
}

uint64_t bconv_fitting_chunk(uint64_t old_chunk, uint64_t sync_sectors, uint64_t max_chunks)
{
	uint64_t c = old_chunk;

	if (c == 0 || max_chunks == 0)
		return 0;
	while ((sync_sectors + c - 1) / c > max_chunks) {
		if (c > UINT64_MAX / 4)
			return 0;
		c <<= 1;
	}
	return c;
}

int bconv_resize_states(const uint8_t *old, uint64_t old_nchunks, uint64_t old_chunk,
			uint64_t old_sync, uint64_t new_sync, uint64_t new_chunk,
			uint8_t *out, uint64_t new_nchunks, uint64_t *need_sync,
			struct diag *d)
{
	uint64_t f;

	if (old_chunk == 0 || new_chunk < old_chunk || new_chunk % old_chunk != 0 ||
	    ((new_chunk / old_chunk) & (new_chunk / old_chunk - 1)) != 0)
		return diag_fail(d, "chunk size %llu is not a power-of-two multiple of %llu",
				 (unsigned long long)new_chunk, (unsigned long long)old_chunk);
	if (new_nchunks < (new_sync + new_chunk - 1) / new_chunk)
		return diag_fail(d, "%llu chunks of %llu sectors do not cover %llu sectors",
				 (unsigned long long)new_nchunks, (unsigned long long)new_chunk,
				 (unsigned long long)new_sync);
	f = new_chunk / old_chunk;
	*need_sync = 0;
	for (uint64_t i = 0; i < new_nchunks; i++) {
		uint64_t first = i * f, n = f;
		uint8_t s;

		if (new_sync > old_sync && (i + 1) * new_chunk > old_sync)
			s = LLB_NEED_SYNC;   /* reaches into space never synced */
		else if (first >= old_nchunks)
			s = LLB_NEED_SYNC;   /* no old state vouches for it */
		else {
			if (n > old_nchunks - first)
				n = old_nchunks - first;
			s = llb_merge_states(old + first, (size_t)n);
		}
		out[i] = s;
		*need_sync += s == LLB_NEED_SYNC;
	}
	return 0;
}

static void common_sb(const struct bconv_array *a, struct bitmap_sb *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->magic = BITMAP_MAGIC;
	memcpy(sb->uuid, a->uuid, sizeof(sb->uuid));
	sb->events = a->events;
	sb->events_cleared = a->events;
	sb->sync_size = a->sync_sectors;
}

void bconv_lockless_sb(const struct bconv_array *a, uint64_t chunk_sectors,
		       uint32_t space_sectors, struct bitmap_sb *sb)
{
	common_sb(a, sb);
	sb->version = BITMAP_MAJOR_LOCKLESS;
	sb->chunksize = (uint32_t)chunk_sectors;
	sb->daemon_sleep = LOCKLESS_DAEMON_SLEEP;
	sb->sectors_reserved = space_sectors;
}

void bconv_classic_sb(const struct bconv_array *a, uint64_t chunk_bytes,
		      struct bitmap_sb *sb)
{
	common_sb(a, sb);
	sb->version = BITMAP_MAJOR_HI;
	sb->chunksize = (uint32_t)chunk_bytes;
	sb->daemon_sleep = CLASSIC_DAEMON_SLEEP;
}

static bool overlaps(int64_t a_start, int64_t a_len, int64_t b_start, int64_t b_len)
{
	return a_start < b_start + b_len && b_start < a_start + a_len;
}

int bconv_place_lockless(const struct sb1 *sb, int minor, struct bconv_place *p,
			 struct diag *d)
{
	int64_t room, end, log_len = sb->bblog_size;
	bool has_log = sb->bblog_offset != 0 && sb->bblog_size != 0;

	if (minor != 1 && minor != 2)
		return diag_fail(d, "the lockless bitmap needs metadata 1.1 or 1.2 (this array has 1.%d)",
				 minor);
	memset(p, 0, sizeof(*p));
	p->bitmap_offset = 8;
	p->space = BITMAP_LLB_SPACE_SECTORS;
	p->extent = bitmap_llb_extent(p->space);
	p->bblog_offset = sb->bblog_offset;
	if (sb->data_offset <= sb->super_offset)
		return diag_fail(d, "the data starts before the superblock");
	room = (int64_t)(sb->data_offset - sb->super_offset);
	end = p->bitmap_offset + (int64_t)p->extent;
	if (room < end)
		return diag_fail(d, "no room for the lockless bitmap: it needs sectors %lld-%lld after the superblock, the data starts at %lld",
				 (long long)p->bitmap_offset, (long long)end - 1, (long long)room);
	if (has_log && overlaps(sb->bblog_offset, log_len, p->bitmap_offset, (int64_t)p->extent)) {
		if (room < end + log_len)
			return diag_fail(d, "no room for the lockless bitmap and the bad-block log: they need %lld sectors after the superblock, the data starts at %lld",
					 (long long)(end + log_len), (long long)room);
		p->bblog_offset = (int32_t)end;
		p->bblog_moves = true;
	}
	return 0;
}

/* Sectors between the superblock and the next metadata, as mdadm 4.6
 * counts them: up to the bad-block log, else up to 4 KiB before the data;
 * the 4 KiB of the superblock itself excluded. */
static int64_t room_after_super(const struct sb1 *sb)
{
	int64_t room;

	if (sb->bblog_size)
		room = sb->bblog_offset;
	else
		room = (int64_t)(sb->data_offset - sb->super_offset) - 8;
	return room - 8;
}

/* 1.0: the room between the end of the data and the superblock, less the
 * bad-block log (at least 4 KiB, as mdadm 4.6 keeps it). */
static int64_t room_before_super(const struct sb1 *sb, int64_t *log_len)
{
	int64_t log = sb->bblog_size;

	if (log < 8)
		log = 8;
	if (sb->bblog_offset < 0 && log < -(int64_t)sb->bblog_offset)
		log = -(int64_t)sb->bblog_offset;
	*log_len = log;
	return (int64_t)sb->super_offset - (int64_t)(sb->data_offset + sb->data_size) - log;
}

static uint64_t round_up_u64(uint64_t v, uint64_t m)
{
	return (v + m - 1) / m * m;
}

int bconv_place_classic(const struct sb1 *sb, int minor, uint64_t sync_sectors,
			uint64_t asked_chunk_bytes, struct bconv_classic *c,
			struct diag *d)
{
	struct bitmap_sb b = { 0 };
	int64_t room, log_len = 0;

	memset(c, 0, sizeof(*c));
	if (minor == 0) {
		if (sb->super_offset < sb->data_offset + sb->data_size)
			return diag_fail(d, "the data reaches the superblock");
		room = room_before_super(sb, &log_len);
	} else {
		if (sb->data_offset <= sb->super_offset)
			return diag_fail(d, "the data starts before the superblock");
		room = room_after_super(sb);
	}
	if (room < 2)
		return diag_fail(d, "no room for a bitmap: %lld sectors free beside the superblock",
				 (long long)(room < 0 ? 0 : room));
	c->room = (uint64_t)room;
	if (geometry_classic_chunk(sync_sectors, c->room, asked_chunk_bytes, &c->chunk_bytes, d))
		return -1;
	b.sync_size = sync_sectors;
	b.chunksize = (uint32_t)c->chunk_bytes;
	if ((uint64_t)b.chunksize != c->chunk_bytes)
		return diag_fail(d, "bitmap chunk of %llu bytes is too large",
				 (unsigned long long)c->chunk_bytes);
	c->area_bytes = bitmap_upstream_area_bytes(&b, 4096);
	if (minor == 0) {
		/* mdadm 4.6 sizes the place with one bit more than it writes */
		uint64_t bits = sync_sectors * 512 / c->chunk_bytes + 1;
		uint64_t sectors = round_up_u64((bits + 7) / 8 + BITMAP_SB_SIZE, 4096) / 512;

		if ((int64_t)sectors > room)
			return diag_fail(d, "no room for a bitmap of %llu sectors: %lld sectors free before the superblock",
					 (unsigned long long)sectors, (long long)room);
		c->bitmap_offset = -(int32_t)(sectors + (uint64_t)log_len);
	} else {
		c->bitmap_offset = 8;
		if (c->area_bytes > c->room * 512)
			c->area_bytes = c->room * 512;
	}
	return 0;
}

int bconv_in_place_chunk(uint64_t sync_sectors, uint64_t asked_chunk_bytes,
			 uint64_t *chunk_bytes, struct diag *d)
{
	if (geometry_classic_chunk(sync_sectors, BCONV_IN_PLACE_BYTES / 512, asked_chunk_bytes,
				   chunk_bytes, d)) {
		diag_prefix(d, "converting in place keeps the classic bits within %u bytes",
			    BCONV_IN_PLACE_BYTES - BITMAP_SB_SIZE);
		return -1;
	}
	return 0;
}

int bconv_classic_area_from_states(const struct bconv_array *a, const uint8_t *states,
				   uint64_t nchunks, uint64_t chunk_sectors,
				   uint64_t classic_chunk_bytes, uint8_t *buf, size_t len,
				   uint64_t *nbits, uint64_t *set, struct diag *d)
{
	struct bitmap_sb b;

	*nbits = bconv_chunks(a->sync_sectors, classic_chunk_bytes);
	if (len < BITMAP_SB_SIZE || *nbits == 0 || (*nbits + 7) / 8 > len - BITMAP_SB_SIZE)
		return diag_fail(d, "%llu bits of %llu bytes do not fit %zu bytes",
				 (unsigned long long)*nbits,
				 (unsigned long long)classic_chunk_bytes, len);
	memset(buf, 0, len);
	bconv_classic_sb(a, classic_chunk_bytes, &b);
	if (bitmap_sb_encode(&b, buf, len, d))
		return -1;
	return bconv_bits_from_states(a, states, nchunks, chunk_sectors, classic_chunk_bytes,
				      buf + BITMAP_SB_SIZE, *nbits, set, d);
}
