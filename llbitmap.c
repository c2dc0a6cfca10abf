/* llbitmap.c - codec for the lockless bitmap state region
 *
 * The region is a flat array of one state byte per chunk. Everything here
 * works on caller-supplied bytes and numbers; nothing touches a device. */
#include <string.h>

#include "llbitmap.h"

#define LLB_FIRST_CHUNK_SECTORS 128u   /* 64 KiB, the kernel's starting point */
#define SECTOR_BYTES 512u

/* ---- state table --------------------------------------------------------
 * One row per defined state value, plus a last row used for anything else. */
struct llb_state_info {
	const char *label;   /* md/llbitmap/bits */
	const char *name;    /* kernel source docs */
	const char *key;     /* JSON */
	unsigned since;      /* major*100+minor */
};

static const struct llb_state_info llb_states[LLB_NR_STATES + 1] = {
	[LLB_UNWRITTEN]           = { "unwritten", "Unwritten", "unwritten", 618 },
	[LLB_CLEAN]               = { "clean", "Clean", "clean", 618 },
	[LLB_DIRTY]               = { "dirty", "Dirty", "dirty", 618 },
	[LLB_NEED_SYNC]           = { "need sync", "NeedSync", "need_sync", 618 },
	[LLB_SYNCING]             = { "syncing", "Syncing", "syncing", 618 },
	[LLB_NEED_SYNC_UNWRITTEN] = { "need sync unwritten", "NeedSyncUnwritten",
				      "need_sync_unwritten", 701 },
	[LLB_SYNCING_UNWRITTEN]   = { "syncing unwritten", "SyncingUnwritten",
				      "syncing_unwritten", 701 },
	[LLB_CLEAN_UNWRITTEN]     = { "clean unwritten", "CleanUnwritten",
				      "clean_unwritten", 701 },
	[LLB_INVALID]             = { "invalid", "Invalid", "invalid", 0 },
};

static const struct llb_state_info *state_info(unsigned state)
{
	return &llb_states[state < LLB_NR_STATES ? state : LLB_INVALID];
}

const char *llb_state_label(unsigned state)
{
	return state_info(state)->label;
}

const char *llb_state_name(unsigned state)
{
	return state_info(state)->name;
}

const char *llb_state_key(unsigned state)
{
	return state_info(state)->key;
}

unsigned llb_state_since(unsigned state)
{
	return state_info(state)->since;
}

bool llb_state_valid(uint8_t byte)
{
	return byte < LLB_NR_STATES;
}

/* ---- runs and counts --------------------------------------------------- */

/* Index one past the run of bytes equal to states[i], scanning 8 bytes at a
 * time while they all match. Requires i < n. */
static uint64_t run_end(const uint8_t *states, uint64_t n, uint64_t i)
{
	const uint8_t v = states[i];
	const uint64_t pattern = (uint64_t)v * 0x0101010101010101ull;
	uint64_t word;

	i++;
	while (n - i >= sizeof(word)) {
		memcpy(&word, states + i, sizeof(word));
		if (word != pattern)
			break;
		i += sizeof(word);
	}
	while (i < n && states[i] == v)
		i++;
	return i;
}

bool llb_next_run(const uint8_t *states, uint64_t nchunks, uint64_t pos,
		  struct llb_run *run)
{
	uint64_t end;

	if (!states || !run || pos >= nchunks)
		return false;
	end = run_end(states, nchunks, pos);
	run->first = pos;
	run->count = end - pos;
	run->value = states[pos];
	return true;
}

static void count_run(struct llb_counts *c, const struct llb_run *run)
{
	if (llb_state_valid(run->value)) {
		c->n[run->value] += run->count;
		return;
	}
	if (c->n[LLB_INVALID] == 0) {
		c->first_invalid = run->first;
		c->first_invalid_value = run->value;
	}
	c->n[LLB_INVALID] += run->count;
}

void llb_count(const uint8_t *states, uint64_t nchunks, struct llb_counts *c)
{
	struct llb_run run;
	uint64_t pos = 0;

	if (!c)
		return;
	memset(c, 0, sizeof(*c));
	c->first_invalid = UINT64_MAX;   /* none yet */
	while (llb_next_run(states, nchunks, pos, &run)) {
		count_run(c, &run);
		pos = run.first + run.count;
	}
}

/* ---- sizes ------------------------------------------------------------- */

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	uint64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return UINT64_MAX;
	return r;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	uint64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return UINT64_MAX;
	return r;
}

static uint64_t div_ceil_u64(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t llb_max_chunks(uint64_t space_sectors)
{
	return sat_mul(space_sectors, SECTOR_BYTES);
}

uint64_t llb_initial_chunk_sectors(uint64_t sync_sectors, uint64_t space_sectors)
{
	const uint64_t room = llb_max_chunks(space_sectors);
	uint64_t chunk = LLB_FIRST_CHUNK_SECTORS;

	while (div_ceil_u64(sync_sectors, chunk) > room) {
		if (chunk > UINT64_MAX / 2)
			return 0;   /* cannot fit at all (no space) */
		chunk <<= 1;
	}
	return chunk;
}

uint64_t llb_area_bytes(uint64_t chunks)
{
	return sat_add(LLBITMAP_DATA_OFFSET, chunks);
}

/* ---- chunk ranges to sectors ------------------------------------------- */

void llb_chunks_to_sync_sectors(const struct llb_geometry *g, uint64_t first,
				uint64_t count, uint64_t *start, uint64_t *end)
{
	uint64_t s = sat_mul(first, g->chunk_sectors);
	uint64_t e = sat_mul(sat_add(first, count), g->chunk_sectors);

	e = min_u64(e, g->sync_sectors);
	*start = min_u64(s, e);
	*end = e;
}

/* Number of parity members for the striped-parity levels, 0 otherwise. */
static unsigned parity_disks(int level)
{
	switch (level) {
	case 4:
	case 5:
		return 1;
	case 6:
		return 2;
	default:
		return 0;
	}
}

static int check_level(const struct llb_geometry *g, struct diag *d)
{
	switch (g->level) {
	case 1:
	case 10:
	case 4:
	case 5:
	case 6:
		return 0;
	case 0:
	case -1:
		return diag_fail(d, "no bitmap for level %d", g->level);
	default:
		return diag_fail(d, "unsupported level %d for a bitmap", g->level);
	}
}

/* Data disks of a raid4/5/6 geometry, or -1 with a reason. */
static int data_disks(const struct llb_geometry *g, uint64_t *k, struct diag *d)
{
	unsigned parity = parity_disks(g->level);

	if (g->raid_disks <= parity)
		return diag_fail(d, "raid%d with %u disks has no data disks",
				 g->level, g->raid_disks);
	if (g->raid_chunk_sectors == 0)
		return diag_fail(d, "raid%d chunk size is 0", g->level);
	*k = g->raid_disks - parity;
	return 0;
}

/* Lowest array sector stored at member sector m (data disk 0 of its row). */
static int stripe_low(uint64_t m, uint64_t c, uint64_t row_len, uint64_t *out)
{
	uint64_t base;

	if (__builtin_mul_overflow(m / c, row_len, &base) ||
	    __builtin_add_overflow(base, m % c, out))
		return -1;
	return 0;
}

/* One past the highest array sector stored at member sector m (last data
 * disk of its row). */
static int stripe_high(uint64_t m, uint64_t c, uint64_t k, uint64_t *out)
{
	uint64_t row_len = c * k;   /* caller checked it does not overflow */
	uint64_t base, r;

	if (__builtin_mul_overflow(m / c, row_len, &base) ||
	    __builtin_add_overflow(base, (k - 1) * c, &r) ||
	    __builtin_add_overflow(r, m % c + 1, out))
		return -1;
	return 0;
}

static int map_parity(const struct llb_geometry *g, uint64_t a, uint64_t b,
		      uint64_t *start, uint64_t *end, struct diag *d)
{
	uint64_t k = 0, c = g->raid_chunk_sectors, row_len;

	if (data_disks(g, &k, d))
		return -1;
	if (__builtin_mul_overflow(c, k, &row_len) ||
	    stripe_low(a, c, row_len, start))
		return diag_fail(d, "array sector out of range");
	if (a == b) {
		*end = *start;
		return 0;
	}
	if (stripe_high(b - 1, c, k, end))
		return diag_fail(d, "array sector out of range");
	return 0;
}

static int map_member_range(const struct llb_geometry *g, uint64_t a,
			    uint64_t b, uint64_t *start, uint64_t *end,
			    struct diag *d)
{
	if (parity_disks(g->level))
		return map_parity(g, a, b, start, end, d);
	/* raid1: member == array; raid10: the sync range is the array range */
	*start = a;
	*end = b;
	return 0;
}

int llb_chunks_to_array_sectors(const struct llb_geometry *g, uint64_t first,
				uint64_t count, uint64_t *start, uint64_t *end,
				struct diag *d)
{
	uint64_t a, b, s = 0, e = 0;

	if (!g || !start || !end)
		return diag_fail(d, "no geometry");
	if (check_level(g, d))
		return -1;
	if (g->chunk_sectors == 0)
		return diag_fail(d, "bitmap chunk size is 0");
	if (__builtin_mul_overflow(first, g->chunk_sectors, &a))
		return diag_fail(d, "chunk %llu out of range",
				 (unsigned long long)first);
	if (a >= g->sync_sectors)
		return diag_fail(d, "chunk %llu is beyond the sync range",
				 (unsigned long long)first);
	llb_chunks_to_sync_sectors(g, first, count, &a, &b);
	if (map_member_range(g, a, b, &s, &e, d))
		return -1;
	if (g->array_sectors)
		e = min_u64(e, g->array_sectors);
	*start = min_u64(s, e);
	*end = e;
	return 0;
}
