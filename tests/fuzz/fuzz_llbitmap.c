/* fuzz_llbitmap.c - libFuzzer target for the lockless bitmap region codec
 *
 * Input: 256 bytes of bitmap superblock, then the state bytes (packed right
 * after the header here, unlike on disk, so short inputs reach the region).
 * A valid non-first-use v6 header drives counting, run iteration and the
 * chunk -> array sector mapping over min(chunks, available bytes). The
 * mapping geometry comes from the header's pad bytes, which the codec
 * itself never interprets. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "llbitmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ASSERT(c) do { if (!(c)) abort(); } while (0)

static const int levels[] = { 1, 10, 4, 5, 6, 0, -1, 7 };

static void geometry_from(const struct bitmap_sb *sb, struct llb_geometry *g)
{
	const uint8_t *p = sb->pad;

	memset(g, 0, sizeof(*g));
	g->chunk_sectors = sb->chunksize;
	g->sync_sectors = sb->sync_size;
	g->level = levels[p[0] % (sizeof(levels) / sizeof(levels[0]))];
	g->raid_disks = p[1] == 0xff ? UINT32_MAX : p[1] % 20u;
	g->layout = p[2];
	g->raid_chunk_sectors = p[3] == 0xff ? UINT64_MAX
				: (p[3] % 48 == 47 ? 0 : 1ull << (p[3] % 48));
	if (p[4] & 1) {
		uint64_t a;

		memcpy(&a, p + 8, sizeof(a));
		g->array_sectors = a;
	}
}

/* Check that llb_count agrees with a run walk and with the byte total. */
static void check_counts(const uint8_t *states, uint64_t n,
			 const struct llb_counts *c)
{
	uint64_t total = 0, per_state[LLB_NR_STATES + 1] = { 0 };
	uint64_t pos = 0, nruns = 0;
	struct llb_run run, prev = { 0, 0, 0 };

	while (llb_next_run(states, n, pos, &run)) {
		ASSERT(run.first == pos && run.count >= 1);
		ASSERT(run.count <= n - pos);
		ASSERT(run.value == states[run.first]);
		ASSERT(run.value == states[run.first + run.count - 1]);
		ASSERT(!nruns || prev.value != run.value);
		per_state[llb_state_valid(run.value) ? run.value : LLB_INVALID] +=
			run.count;
		prev = run;
		pos += run.count;
		nruns++;
	}
	ASSERT(pos == n);
	for (unsigned s = 0; s <= LLB_NR_STATES; s++) {
		ASSERT(per_state[s] == c->n[s]);
		total += c->n[s];
	}
	ASSERT(total == n);
	if (c->n[LLB_INVALID]) {
		ASSERT(c->first_invalid < n);
		ASSERT(states[c->first_invalid] == c->first_invalid_value);
		ASSERT(!llb_state_valid(c->first_invalid_value));
		for (uint64_t i = 0; i < c->first_invalid; i++)
			ASSERT(llb_state_valid(states[i]));
	}
}

static void check_mapping(const struct llb_geometry *g, const struct llb_run *r)
{
	uint64_t s, e, ms, me;
	struct diag d;

	llb_chunks_to_sync_sectors(g, r->first, r->count, &ms, &me);
	ASSERT(ms <= me && me <= g->sync_sectors);
	d.msg[0] = '\0';
	if (llb_chunks_to_array_sectors(g, r->first, r->count, &s, &e, &d)) {
		ASSERT(d.msg[0] != '\0');
		return;
	}
	ASSERT(s <= e);
	if (g->array_sectors)
		ASSERT(e <= g->array_sectors);
	if (g->level == 1 || g->level == 10) {
		uint64_t cs = g->array_sectors && ms > g->array_sectors
			      ? g->array_sectors : ms;
		uint64_t ce = g->array_sectors && me > g->array_sectors
			      ? g->array_sectors : me;

		ASSERT(s == cs && e == ce);
	} else if (!g->array_sectors) {
		/* striped: the extent is at least as long as the member range */
		ASSERT(e - s >= me - ms);
		ASSERT(s >= ms);
	}
}

static void check_initial_chunk(const struct bitmap_sb *sb)
{
	uint64_t space = bitmap_space_sectors(sb);
	uint64_t room = llb_max_chunks(space);
	uint64_t c = llb_initial_chunk_sectors(sb->sync_size, space);

	if (c == 0)
		return;
	ASSERT(c >= 128 && (c & (c - 1)) == 0);
	ASSERT(sb->sync_size / c + (sb->sync_size % c != 0) <= room);
	if (c > 128) {
		uint64_t h = c / 2;

		ASSERT(sb->sync_size / h + (sb->sync_size % h != 0) > room);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bitmap_sb sb;
	struct llb_geometry g;
	struct llb_counts c;
	struct llb_run run;
	struct diag d;
	const uint8_t *states;
	uint64_t chunks, n, pos = 0;

	if (bitmap_sb_decode(data, size, &sb, &d))
		return 0;
	check_initial_chunk(&sb);
	if (bitmap_sb_validate(&sb, &d) || !bitmap_is_lockless(&sb) ||
	    bitmap_first_use(&sb))
		return 0;
	chunks = bitmap_chunks(&sb);
	states = data + BITMAP_SB_SIZE;
	n = size - BITMAP_SB_SIZE;
	if (chunks < n)
		n = chunks;
	ASSERT(llb_area_bytes(chunks) == LLBITMAP_DATA_OFFSET + chunks);

	llb_count(states, n, &c);
	check_counts(states, n, &c);
	geometry_from(&sb, &g);
	while (llb_next_run(states, n, pos, &run)) {
		check_mapping(&g, &run);
		pos = run.first + run.count;
	}
	return 0;
}
