/* test_llbitmap.c - unit tests for the lockless bitmap region codec
 *
 * Real state regions come from the reference transcripts: hexdumps of the
 * 128 KiB bitmap area at member offset 8192, copied verbatim as xxd text and
 * expanded by xxd_expand(). On-disk bytes may lag the kernel's in-memory
 * state (the daemon does not rewrite them), so these tests assert what the
 * dump bytes say and compare with md/llbitmap/bits only where the
 * transcript shows both agree. */
#include <stdint.h>

#include "bitmap.h"
#include "llbitmap.h"
#include "tests/unit/unit.h"

#define AREA_BASE  0x2000u    /* bitmap area offset on the member */
#define AREA_BYTES 131072u    /* 256 reserved sectors */

#include "xxd.h"

/* ---- golden dumps (verbatim from shared/vm/reference) ------------------ */

/* raid1-lockless.txt: right after create */
static const char dump_r1_create[] =
"00002000: 6269 746d 0600 0000 8817 8bba bb3e db61  bitm.........>.a\n"
"00002010: b346 c944 f77b b357 0300 0000 0000 0000  .F.D.{.W........\n"
"00002020: 0000 0000 0000 0000 00f0 1f00 0000 0000  ................\n"
"00002030: 0000 0000 8000 0000 1e00 0000 0000 0000  ................\n"
"00002040: 0001 0000 0000 0000 0000 0000 0000 0000  ................\n"
"00002050: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00002100: ffff ffff ffff ffff ffff ffff ffff ffff  ................\n"
"*\n"
"00002400: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00021ff0: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
;

/* raid1-lockless.txt: right after the 64 MiB + 4 KiB writes */
static const char dump_r1_written[] =
"00002000: 6269 746d 0600 0000 8817 8bba bb3e db61  bitm.........>.a\n"
"00002010: b346 c944 f77b b357 0400 0000 0000 0000  .F.D.{.W........\n"
"00002020: 0000 0000 0000 0000 00f0 1f00 0000 0000  ................\n"
"00002030: 0000 0000 8000 0000 1e00 0000 0000 0000  ................\n"
"00002040: 0001 0000 0000 0000 0000 0000 0000 0000  ................\n"
"00002050: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00002100: ffff ffff ffff ffff ffff ffff ffff ffff  ................\n"
"*\n"
"00002400: 0202 0202 0202 0202 0202 0202 0202 0202  ................\n"
"*\n"
"00002800: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00005400: 0200 0000 0000 0000 0000 0000 0000 0000  ................\n"
"00005410: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00021ff0: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
;

/* raid1-lockless.txt: after the daemon ran (kernel: clean 1025) */
static const char dump_r1_daemon[] =
"00002000: 6269 746d 0600 0000 8817 8bba bb3e db61  bitm.........>.a\n"
"00002010: b346 c944 f77b b357 0300 0000 0000 0000  .F.D.{.W........\n"
"00002020: 0000 0000 0000 0000 00f0 1f00 0000 0000  ................\n"
"00002030: 0000 0000 8000 0000 1e00 0000 0000 0000  ................\n"
"00002040: 0001 0000 0000 0000 0000 0000 0000 0000  ................\n"
"00002050: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00002100: ffff ffff ffff ffff ffff ffff ffff ffff  ................\n"
"*\n"
"00002400: 0202 0202 0202 0202 0202 0202 0202 0202  ................\n"
"*\n"
"00002800: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00005400: 0200 0000 0000 0000 0000 0000 0000 0000  ................\n"
"00005410: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00021ff0: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
;

/* raid1-lockless.txt: after stop */
static const char dump_r1_stopped[] =
"00002000: 6269 746d 0600 0000 8817 8bba bb3e db61  bitm.........>.a\n"
"00002010: b346 c944 f77b b357 0300 0000 0000 0000  .F.D.{.W........\n"
"00002020: 0000 0000 0000 0000 00f0 1f00 0000 0000  ................\n"
"00002030: 0000 0000 8000 0000 1e00 0000 0000 0000  ................\n"
"00002040: 0001 0000 0000 0000 0000 0000 0000 0000  ................\n"
"00002050: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00002100: ffff ffff ffff ffff ffff ffff ffff ffff  ................\n"
"*\n"
"00002400: 0101 0101 0101 0101 0101 0101 0101 0101  ................\n"
"*\n"
"00002800: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00005400: 0100 0000 0000 0000 0000 0000 0000 0000  ................\n"
"00005410: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00021ff0: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
;

/* raid1-lockless-assume-clean.txt: after create (sb still first-use) */
static const char dump_r1_assume_clean[] =
"00002000: 6269 746d 0600 0000 fd19 e874 4ad1 d8b2  bitm.......tJ...\n"
"00002010: 9bf7 27b3 385b d71b 0000 0000 0000 0000  ..'.8[..........\n"
"00002020: 0000 0000 0000 0000 00f0 1f00 0000 0000  ................\n"
"00002030: 1800 0000 0000 0004 0500 0000 0000 0000  ................\n"
"00002040: 0001 0000 0000 0000 0000 0000 0000 0000  ................\n"
"00002050: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00002100: ffff ffff ffff ffff ffff ffff ffff ffff  ................\n"
"*\n"
"00002400: 0101 0101 0101 0101 0101 0101 0101 0101  ................\n"
"*\n"
"000063e0: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00021ff0: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
;

/* raid5-lockless.txt: after proactive_sync */
static const char dump_r5_proactive[] =
"00002000: 6269 746d 0600 0000 aa22 3e10 1f69 4d38  bitm.....\">..iM8\n"
"00002010: a321 c11d ef7e bac0 0d00 0000 0000 0000  .!...~..........\n"
"00002020: 0000 0000 0000 0000 00f0 1f00 0000 0000  ................\n"
"00002030: 0000 0000 8000 0000 1e00 0000 0000 0000  ................\n"
"00002040: 0001 0000 0000 0000 0000 0000 0000 0000  ................\n"
"00002050: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00002100: ffff ffff ffff ffff ffff ffff ffff ffff  ................\n"
"*\n"
"00002400: 0101 0101 0101 0101 0101 0101 0101 0101  ................\n"
"*\n"
"00002600: 0707 0707 0707 0707 0707 0707 0707 0707  ................\n"
"*\n"
"00003000: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00004400: 0203 0303 0303 0303 0303 0303 0303 0303  ................\n"
"00004410: 0303 0303 0303 0303 0303 0303 0303 0303  ................\n"
"*\n"
"00004600: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00021ff0: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
;

/* Expand a whole 128 KiB area dump; returns a malloc'd buffer or NULL. */
static uint8_t *load_area(const char *dump)
{
	uint8_t *area = malloc(AREA_BYTES);

	if (!area)
		return NULL;
	memset(area, 0xee, AREA_BYTES);
	if (xxd_expand(dump, AREA_BASE, area, AREA_BYTES) != AREA_BYTES) {
		free(area);
		return NULL;
	}
	return area;
}

/* Load an area, decode its header and return the chunk count. */
static uint8_t *load_area_sb(const char *dump, struct bitmap_sb *sb,
			     uint64_t *chunks)
{
	struct diag d = { 0 };
	uint8_t *area = load_area(dump);

	*chunks = 0;
	if (!area)
		return NULL;
	if (bitmap_sb_decode(area, AREA_BYTES, sb, &d) ||
	    bitmap_sb_validate(sb, &d)) {
		free(area);
		return NULL;
	}
	*chunks = bitmap_chunks(sb);
	return area;
}

static void check_counts(const struct llb_counts *c, uint64_t unwritten,
			 uint64_t clean, uint64_t dirty, uint64_t need_sync,
			 uint64_t syncing, uint64_t nsu, uint64_t su, uint64_t cu)
{
	CHECK_EQ_U(c->n[LLB_UNWRITTEN], unwritten);
	CHECK_EQ_U(c->n[LLB_CLEAN], clean);
	CHECK_EQ_U(c->n[LLB_DIRTY], dirty);
	CHECK_EQ_U(c->n[LLB_NEED_SYNC], need_sync);
	CHECK_EQ_U(c->n[LLB_SYNCING], syncing);
	CHECK_EQ_U(c->n[LLB_NEED_SYNC_UNWRITTEN], nsu);
	CHECK_EQ_U(c->n[LLB_SYNCING_UNWRITTEN], su);
	CHECK_EQ_U(c->n[LLB_CLEAN_UNWRITTEN], cu);
}

/* Collect all runs of a region into runs[] (at most max); returns count. */
static size_t collect_runs(const uint8_t *states, uint64_t n,
			   struct llb_run *runs, size_t max)
{
	struct llb_run run;
	uint64_t pos = 0;
	size_t got = 0;

	while (got < max && llb_next_run(states, n, pos, &run)) {
		runs[got++] = run;
		pos = run.first + run.count;
	}
	return got;
}

static void check_run(const struct llb_run *r, uint64_t first, uint64_t count,
		      uint8_t value)
{
	CHECK_EQ_U(r->first, first);
	CHECK_EQ_U(r->count, count);
	CHECK_EQ_U(r->value, value);
}

/* ---- state table ------------------------------------------------------- */

static void test_state_table(void)
{
	static const struct {
		const char *label, *name, *key;
		unsigned since;
	} want[LLB_NR_STATES] = {
		{ "unwritten", "Unwritten", "unwritten", 618 },
		{ "clean", "Clean", "clean", 618 },
		{ "dirty", "Dirty", "dirty", 618 },
		{ "need sync", "NeedSync", "need_sync", 618 },
		{ "syncing", "Syncing", "syncing", 618 },
		{ "need sync unwritten", "NeedSyncUnwritten",
		  "need_sync_unwritten", 701 },
		{ "syncing unwritten", "SyncingUnwritten",
		  "syncing_unwritten", 701 },
		{ "clean unwritten", "CleanUnwritten", "clean_unwritten", 701 },
	};
	const unsigned bad[] = { LLB_INVALID, 9, 0x80, 0xff, 0x100, UINT32_MAX };

	for (unsigned s = 0; s < LLB_NR_STATES; s++) {
		CHECK_EQ_S(llb_state_label(s), want[s].label);
		CHECK_EQ_S(llb_state_name(s), want[s].name);
		CHECK_EQ_S(llb_state_key(s), want[s].key);
		CHECK_EQ_U(llb_state_since(s), want[s].since);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ_S(llb_state_label(bad[i]), "invalid");
		CHECK_EQ_S(llb_state_name(bad[i]), "Invalid");
		CHECK_EQ_S(llb_state_key(bad[i]), "invalid");
		CHECK_EQ_U(llb_state_since(bad[i]), 0);
	}
	/* enum values are the on-disk bytes */
	CHECK_EQ_U(LLB_NEED_SYNC, 3);
	CHECK_EQ_U(LLB_CLEAN_UNWRITTEN, 7);
}

static void test_state_valid(void)
{
	for (unsigned b = 0; b < 256; b++)
		CHECK(llb_state_valid((uint8_t)b) == (b < 8));
}

/* ---- counting ---------------------------------------------------------- */

static void test_count_all_states(void)
{
	/* state s appears s+1 times; invalid bytes 8, 0x80, 0xff sprinkled */
	uint8_t region[64];
	size_t n = 0;
	struct llb_counts c;

	for (unsigned s = 0; s < LLB_NR_STATES; s++) {
		for (unsigned i = 0; i <= s; i++)
			region[n++] = (uint8_t)s;
		if (s == 2)
			region[n++] = 0x08;   /* index 6: first invalid */
		if (s == 5)
			region[n++] = 0x80;
	}
	region[n++] = 0xff;
	region[n++] = 0xff;
	CHECK_EQ_U(n, 36 + 4);

	llb_count(region, n, &c);
	check_counts(&c, 1, 2, 3, 4, 5, 6, 7, 8);
	CHECK_EQ_U(c.n[LLB_INVALID], 4);
	CHECK_EQ_U(c.first_invalid, 6);
	CHECK_EQ_U(c.first_invalid_value, 0x08);

	/* counting a prefix only looks at that prefix */
	llb_count(region, 6, &c);
	check_counts(&c, 1, 2, 3, 0, 0, 0, 0, 0);
	CHECK_EQ_U(c.n[LLB_INVALID], 0);
	CHECK_EQ_U(c.first_invalid, UINT64_MAX);

	/* first invalid is 0xff at the very end */
	llb_count(region + 30, 10, &c);
	CHECK_EQ_U(c.n[LLB_INVALID], 2);
	CHECK_EQ_U(c.first_invalid, 8);
	CHECK_EQ_U(c.first_invalid_value, 0xff);
}

static void test_count_empty(void)
{
	struct llb_counts c;
	uint8_t one = LLB_SYNCING;

	memset(&c, 0x55, sizeof(c));
	llb_count(&one, 0, &c);
	check_counts(&c, 0, 0, 0, 0, 0, 0, 0, 0);
	CHECK_EQ_U(c.n[LLB_INVALID], 0);
	CHECK_EQ_U(c.first_invalid, UINT64_MAX);

	llb_count(NULL, 0, &c);
	CHECK_EQ_U(c.n[LLB_INVALID], 0);

	llb_count(&one, 1, &c);
	check_counts(&c, 0, 0, 0, 0, 1, 0, 0, 0);
	llb_count(&one, 1, NULL);   /* must not crash */
}

static void test_count_every_byte_value(void)
{
	uint8_t region[256];
	struct llb_counts c;

	for (unsigned i = 0; i < 256; i++)
		region[i] = (uint8_t)(255 - i);
	llb_count(region, sizeof(region), &c);
	check_counts(&c, 1, 1, 1, 1, 1, 1, 1, 1);
	CHECK_EQ_U(c.n[LLB_INVALID], 248);
	CHECK_EQ_U(c.first_invalid, 0);
	CHECK_EQ_U(c.first_invalid_value, 0xff);
}

/* ---- runs -------------------------------------------------------------- */

static void test_runs_basic(void)
{
	const uint8_t region[] = { 1, 2, 2, 0xff, 0xff, 0xff, 3 };
	struct llb_run runs[8], run;

	CHECK_EQ_U(collect_runs(region, sizeof(region), runs, 8), 4);
	check_run(&runs[0], 0, 1, 1);
	check_run(&runs[1], 1, 2, 2);
	check_run(&runs[2], 3, 3, 0xff);   /* invalid bytes form runs too */
	check_run(&runs[3], 6, 1, 3);

	/* a run starting mid-run begins at pos */
	CHECK(llb_next_run(region, sizeof(region), 4, &run));
	check_run(&run, 4, 2, 0xff);
	/* at and past the end */
	CHECK(!llb_next_run(region, sizeof(region), 7, &run));
	CHECK(!llb_next_run(region, sizeof(region), UINT64_MAX, &run));
	CHECK(!llb_next_run(region, 0, 0, &run));
	CHECK(!llb_next_run(NULL, 5, 0, &run));
	CHECK(!llb_next_run(region, 5, 0, NULL));

	/* single byte region */
	CHECK(llb_next_run(region, 1, 0, &run));
	check_run(&run, 0, 1, 1);
	/* single-byte runs throughout */
	{
		const uint8_t alt[] = { 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0 };

		CHECK_EQ_U(collect_runs(alt, sizeof(alt), runs, 8), 8);
		for (size_t i = 0; i < 8; i++)
			check_run(&runs[i], i, 1, (uint8_t)(i & 1));
	}
}

static void test_runs_word_boundaries(void)
{
	/* every split point of two runs a^i b^(len-i), for lengths around the
	 * 8-byte fast path, and for a start offset that is unaligned */
	uint8_t buf[48];
	struct llb_run runs[3];

	for (size_t off = 0; off < 3; off++) {
		for (size_t len = 1; len <= 40; len++) {
			for (size_t split = 0; split <= len; split++) {
				uint8_t *r = buf + off;
				size_t want = (split == 0 || split == len) ? 1 : 2;
				size_t got;

				memset(r, 7, split);
				memset(r + split, 0xc3, len - split);
				got = collect_runs(r, len, runs, 3);
				CHECK_EQ_U(got, want);
				if (got != want)
					return;
				if (want == 1) {
					check_run(&runs[0], 0, len, split ? 7 : 0xc3);
				} else {
					check_run(&runs[0], 0, split, 7);
					check_run(&runs[1], split, len - split, 0xc3);
				}
			}
		}
	}
}

static void test_runs_whole_region(void)
{
	uint8_t *region = malloc(AREA_BYTES);
	struct llb_run run;
	struct llb_counts c;

	CHECK(region != NULL);
	if (!region)
		return;
	memset(region, LLB_CLEAN_UNWRITTEN, AREA_BYTES);
	CHECK(llb_next_run(region, AREA_BYTES, 0, &run));
	check_run(&run, 0, AREA_BYTES, LLB_CLEAN_UNWRITTEN);
	CHECK(!llb_next_run(region, AREA_BYTES, run.first + run.count, &run));
	llb_count(region, AREA_BYTES, &c);
	CHECK_EQ_U(c.n[LLB_CLEAN_UNWRITTEN], AREA_BYTES);

	/* one odd byte at the very end */
	region[AREA_BYTES - 1] = 0x80;
	CHECK(llb_next_run(region, AREA_BYTES, 0, &run));
	check_run(&run, 0, AREA_BYTES - 1, LLB_CLEAN_UNWRITTEN);
	CHECK(llb_next_run(region, AREA_BYTES, AREA_BYTES - 1, &run));
	check_run(&run, AREA_BYTES - 1, 1, 0x80);
	llb_count(region, AREA_BYTES, &c);
	CHECK_EQ_U(c.n[LLB_INVALID], 1);
	CHECK_EQ_U(c.first_invalid, AREA_BYTES - 1);
	free(region);
}

/* Deterministic pseudo-random region: runs must tile it and agree with a
 * byte-by-byte count. */
static void test_runs_match_naive_count(void)
{
	enum { N = 5000 };
	uint8_t region[N];
	uint64_t naive[LLB_NR_STATES + 1] = { 0 }, per_value[256] = { 0 };
	uint32_t x = 12345;
	struct llb_counts c;
	struct llb_run run, prev = { 0, 0, 0 };
	uint64_t pos = 0, nruns = 0;

	for (size_t i = 0; i < N; ) {
		size_t len;
		uint8_t v;

		x = x * 1103515245u + 12345u;
		len = 1 + (x >> 16) % 23;
		v = (uint8_t)((x >> 8) % 11 == 10 ? 0x90 : (x >> 8) % 11);
		for (size_t j = 0; j < len && i < N; j++)
			region[i++] = v;
	}
	for (size_t i = 0; i < N; i++)
		naive[region[i] < 8 ? region[i] : LLB_INVALID]++;

	while (llb_next_run(region, N, pos, &run)) {
		CHECK_EQ_U(run.first, pos);
		CHECK(run.count > 0);
		if (nruns)
			CHECK(run.value != prev.value);   /* maximal */
		for (uint64_t i = run.first; i < run.first + run.count; i++)
			CHECK_EQ_U(region[i], run.value);
		per_value[run.value] += run.count;
		prev = run;
		pos += run.count;
		nruns++;
	}
	CHECK_EQ_U(pos, N);
	llb_count(region, N, &c);
	for (unsigned s = 0; s <= LLB_NR_STATES; s++)
		CHECK_EQ_U(c.n[s], naive[s]);
	for (unsigned s = 0; s < LLB_NR_STATES; s++)
		CHECK_EQ_U(per_value[s], naive[s]);
	/* generated values 8, 9 and 0x90 are the invalid ones */
	CHECK_EQ_U(per_value[8] + per_value[9] + per_value[0x90],
		   naive[LLB_INVALID]);
	CHECK(per_value[0x90] > 0 && per_value[8] > 0);
}

/* ---- sizes ------------------------------------------------------------- */

static void test_sizes(void)
{
	CHECK_EQ_U(llb_max_chunks(256), 131072);
	CHECK_EQ_U(llb_max_chunks(6), 3072);
	CHECK_EQ_U(llb_max_chunks(0), 0);
	CHECK_EQ_U(llb_max_chunks(UINT64_MAX), UINT64_MAX);   /* saturates */

	CHECK_EQ_U(LLBITMAP_DATA_OFFSET, 1024);
	CHECK_EQ_U(llb_area_bytes(0), 1024);
	CHECK_EQ_U(llb_area_bytes(16352), 17376);
	CHECK_EQ_U(llb_area_bytes(UINT64_MAX), UINT64_MAX);
}

static void test_initial_chunk(void)
{
	/* the VM's 1 GiB members: 2093056 sectors -> 64 KiB, 16352 chunks */
	CHECK_EQ_U(llb_initial_chunk_sectors(2093056, 256), 128);
	/* doc 4.3: exactly 1 GiB -> 64 KiB; 1 TiB -> 8 MiB */
	CHECK_EQ_U(llb_initial_chunk_sectors(1ull << 21, 256), 128);
	CHECK_EQ_U(llb_initial_chunk_sectors(1ull << 31, 256), 16384);
	/* raid10 on the VM: the array size 4186112 */
	CHECK_EQ_U(llb_initial_chunk_sectors(4186112, 256), 128);
	/* boundary: 131072 chunks of 128 fit, one more sector does not */
	CHECK_EQ_U(llb_initial_chunk_sectors(131072ull * 128, 256), 128);
	CHECK_EQ_U(llb_initial_chunk_sectors(131072ull * 128 + 1, 256), 256);
	/* kernel default space of 6 sectors: 3072 chunks */
	CHECK_EQ_U(llb_initial_chunk_sectors(2093056, 6), 1024);
	CHECK_EQ_U(llb_initial_chunk_sectors(0, 256), 128);
	CHECK_EQ_U(llb_initial_chunk_sectors(1, 256), 128);
	/* no space: nothing fits, no endless loop */
	CHECK_EQ_U(llb_initial_chunk_sectors(1, 0), 0);
	CHECK_EQ_U(llb_initial_chunk_sectors(0, 0), 128);
	/* hostile sizes: ceil((2^64-1)/c) <= 512 needs c = 2^55 */
	CHECK_EQ_U(llb_initial_chunk_sectors(UINT64_MAX, 1), 1ull << 55);
	CHECK_EQ_U(llb_initial_chunk_sectors(UINT64_MAX, UINT64_MAX), 128);
}

/* ---- chunk -> sector mapping ------------------------------------------- */

static void test_sync_sectors(void)
{
	struct llb_geometry g = { .chunk_sectors = 128, .sync_sectors = 1000,
				  .level = 1 };
	uint64_t s, e;

	llb_chunks_to_sync_sectors(&g, 0, 1, &s, &e);
	CHECK_EQ_U(s, 0);
	CHECK_EQ_U(e, 128);
	llb_chunks_to_sync_sectors(&g, 7, 1, &s, &e);   /* partial last chunk */
	CHECK_EQ_U(s, 896);
	CHECK_EQ_U(e, 1000);
	llb_chunks_to_sync_sectors(&g, 0, 8, &s, &e);
	CHECK_EQ_U(s, 0);
	CHECK_EQ_U(e, 1000);
	llb_chunks_to_sync_sectors(&g, 3, 0, &s, &e);   /* empty */
	CHECK_EQ_U(s, 384);
	CHECK_EQ_U(e, 384);
	llb_chunks_to_sync_sectors(&g, 10, 1, &s, &e);  /* beyond: empty, clamped */
	CHECK_EQ_U(s, 1000);
	CHECK_EQ_U(e, 1000);
	llb_chunks_to_sync_sectors(&g, UINT64_MAX, UINT64_MAX, &s, &e);
	CHECK_EQ_U(s, 1000);
	CHECK_EQ_U(e, 1000);
}

static void test_map_raid1(void)
{
	/* raid1-lockless.txt: 64 MiB at 0 dirtied chunks 0..1023 (the whole
	 * 512-byte blocks), the 4 KiB at 768 MiB chunk 12288 */
	struct llb_geometry g = { .chunk_sectors = 128, .sync_sectors = 2093056,
				  .level = 1, .raid_disks = 2,
				  .array_sectors = 2093056 };
	struct diag d = { 0 };
	uint64_t s, e;

	CHECK(llb_chunks_to_array_sectors(&g, 0, 1024, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 0);
	CHECK_EQ_U(e, 131072);
	CHECK(llb_chunks_to_array_sectors(&g, 12288, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 768ull << 11);   /* 768 MiB in sectors */
	CHECK_EQ_U(e, (768ull << 11) + 128);
	/* last chunk */
	CHECK(llb_chunks_to_array_sectors(&g, 16351, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 2092928);
	CHECK_EQ_U(e, 2093056);
	/* count running past the end is clamped to the sync range */
	CHECK(llb_chunks_to_array_sectors(&g, 16351, 100, &s, &e, &d) == 0);
	CHECK_EQ_U(e, 2093056);
	/* empty */
	CHECK(llb_chunks_to_array_sectors(&g, 5, 0, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 640);
	CHECK_EQ_U(e, 640);
	/* clamp to a smaller array */
	g.array_sectors = 2000000;
	CHECK(llb_chunks_to_array_sectors(&g, 16351, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 2000000);
	CHECK_EQ_U(e, 2000000);
	CHECK(llb_chunks_to_array_sectors(&g, 15624, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 1999872);
	CHECK_EQ_U(e, 2000000);
	/* beyond the sync range */
	CHECK(llb_chunks_to_array_sectors(&g, 16352, 1, &s, &e, &d) == -1);
	CHECK_CONTAINS(d.msg, "chunk 16352 is beyond the sync range");
}

static void test_map_raid10(void)
{
	/* raid10-lockless.txt: 4 disks near=2, sync_size = array size 4186112,
	 * 32704 chunks; the 64 MiB write showed dirty 1024 = chunks 0..1023 */
	struct llb_geometry g = { .chunk_sectors = 128, .sync_sectors = 4186112,
				  .level = 10, .raid_disks = 4, .layout = 0x102,
				  .raid_chunk_sectors = 1024,
				  .array_sectors = 4186112 };
	struct diag d = { 0 };
	uint64_t s, e;

	CHECK(llb_chunks_to_array_sectors(&g, 0, 1024, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 0);
	CHECK_EQ_U(e, 131072);   /* identity: 64 MiB */
	CHECK(llb_chunks_to_array_sectors(&g, 32703, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 4185984);
	CHECK_EQ_U(e, 4186112);
	/* the md chunk size plays no role */
	g.raid_chunk_sectors = 0;
	CHECK(llb_chunks_to_array_sectors(&g, 1, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 128);
	CHECK_EQ_U(e, 256);
}

static void test_map_raid5(void)
{
	/* raid5-lockless.txt: 3 disks (k = 2), 512 KiB md chunk (C = 1024),
	 * 64 KiB bitmap chunk, members 2093056 sectors, array 4186112 */
	struct llb_geometry g = { .chunk_sectors = 128, .sync_sectors = 2093056,
				  .level = 5, .raid_disks = 3, .layout = 2,
				  .raid_chunk_sectors = 1024,
				  .array_sectors = 4186112 };
	struct diag d = { 0 };
	uint64_t s, e;

	/* chunk 0 = member [0,128): row 0, data disk 0 -> [0,128), data
	 * disk 1 -> [1024,1152); enclosing extent [0,1152) */
	CHECK(llb_chunks_to_array_sectors(&g, 0, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 0);
	CHECK_EQ_U(e, 1152);
	/* the full-stripe 64 MiB write: dirty 512 = member [0,65536) =
	 * rows 0..63 = array [0,131072) */
	CHECK(llb_chunks_to_array_sectors(&g, 0, 512, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 0);
	CHECK_EQ_U(e, 131072);
	/* the 4 KiB write at 1 GiB (array sector 2097152) hit chunk 8192:
	 * member [1048576,1048704) = row 1024, offsets 0..127 ->
	 * [1024*2048, 1024*2048 + 1024 + 127 + 1) */
	CHECK(llb_chunks_to_array_sectors(&g, 8192, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 2097152);
	CHECK_EQ_U(e, 2098304);
	/* crossing a row: chunks 7,8 = member [896,1152): start row 0 off
	 * 896 -> 896; last sector 1151 = row 1 off 127 -> 2048+1024+128 */
	CHECK(llb_chunks_to_array_sectors(&g, 7, 2, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 896);
	CHECK_EQ_U(e, 3200);
	/* last chunk: member [2092928,2093056) = row 2043 off 896..1023 ->
	 * [2043*2048 + 896, 2043*2048 + 1024 + 1024) = [4184960, 4186112) */
	CHECK(llb_chunks_to_array_sectors(&g, 16351, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 4184960);
	CHECK_EQ_U(e, 4186112);
	/* clamp */
	g.array_sectors = 4186000;
	CHECK(llb_chunks_to_array_sectors(&g, 16351, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 4184960);
	CHECK_EQ_U(e, 4186000);
	g.array_sectors = 4184000;
	CHECK(llb_chunks_to_array_sectors(&g, 16351, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 4184000);
	CHECK_EQ_U(e, 4184000);
	g.array_sectors = 0;   /* no clamp */
	CHECK(llb_chunks_to_array_sectors(&g, 16351, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(e, 4186112);
	/* empty range: start of the mapping, nothing else */
	CHECK(llb_chunks_to_array_sectors(&g, 9, 0, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 2048 + 128);
	CHECK_EQ_U(e, 2048 + 128);

	/* raid4 maps the same way */
	g.level = 4;
	CHECK(llb_chunks_to_array_sectors(&g, 8192, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 2097152);
	CHECK_EQ_U(e, 2098304);

	/* two-disk raid5 (k = 1) is a mirror: identity */
	g.level = 5;
	g.raid_disks = 2;
	CHECK(llb_chunks_to_array_sectors(&g, 7, 2, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 896);
	CHECK_EQ_U(e, 1152);
}

static void test_map_raid6(void)
{
	/* 6 disks (k = 4), 512 KiB md chunk, 64 KiB bitmap chunk */
	struct llb_geometry g = { .chunk_sectors = 128, .sync_sectors = 2093056,
				  .level = 6, .raid_disks = 6, .layout = 2,
				  .raid_chunk_sectors = 1024 };
	struct diag d = { 0 };
	uint64_t s, e;

	CHECK(llb_chunks_to_array_sectors(&g, 0, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 0);
	CHECK_EQ_U(e, 3 * 1024 + 128);
	/* chunk 8 = member [1024,1152) = row 1 -> [4096, 4096 + 3072 + 128) */
	CHECK(llb_chunks_to_array_sectors(&g, 8, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 4096);
	CHECK_EQ_U(e, 7296);
	/* bitmap chunk == md chunk: one chunk is exactly one stripe row */
	g.raid_chunk_sectors = 128;
	CHECK(llb_chunks_to_array_sectors(&g, 3, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 1536);
	CHECK_EQ_U(e, 2048);
	/* 4 disks: k = 2 */
	g.raid_disks = 4;
	g.raid_chunk_sectors = 1024;
	CHECK(llb_chunks_to_array_sectors(&g, 8192, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 2097152);
	CHECK_EQ_U(e, 2098304);
}

static void expect_map_fail(const struct llb_geometry *g, uint64_t first,
			    uint64_t count, const char *reason)
{
	struct diag d = { 0 };
	uint64_t s = 0, e = 0;

	CHECK(llb_chunks_to_array_sectors(g, first, count, &s, &e, &d) == -1);
	CHECK_CONTAINS(d.msg, reason);
	CHECK(llb_chunks_to_array_sectors(g, first, count, &s, &e, NULL) == -1);
}

static void test_map_rejects(void)
{
	struct llb_geometry g = { .chunk_sectors = 128, .sync_sectors = 2093056,
				  .level = 0, .raid_disks = 3,
				  .raid_chunk_sectors = 1024 };
	struct diag d = { 0 };
	uint64_t s, e;

	expect_map_fail(&g, 0, 1, "no bitmap for level 0");
	g.level = -1;   /* linear */
	expect_map_fail(&g, 0, 1, "no bitmap for level -1");
	g.level = 7;
	expect_map_fail(&g, 0, 1, "unsupported level 7");
	g.level = -4;   /* multipath */
	expect_map_fail(&g, 0, 1, "unsupported level -4");

	g.level = 5;
	g.raid_chunk_sectors = 0;
	expect_map_fail(&g, 0, 1, "raid5 chunk size is 0");
	g.raid_chunk_sectors = 1024;
	g.raid_disks = 1;
	expect_map_fail(&g, 0, 1, "raid5 with 1 disks has no data disks");
	g.raid_disks = 0;
	expect_map_fail(&g, 0, 1, "no data disks");
	g.level = 6;
	g.raid_disks = 2;
	expect_map_fail(&g, 0, 1, "raid6 with 2 disks has no data disks");
	g.raid_disks = 4;
	g.chunk_sectors = 0;
	expect_map_fail(&g, 0, 1, "bitmap chunk size is 0");
	g.chunk_sectors = 128;
	CHECK(llb_chunks_to_array_sectors(&g, 0, 1, &s, &e, &d) == 0);
	CHECK(llb_chunks_to_array_sectors(NULL, 0, 1, &s, &e, &d) == -1);
	CHECK(llb_chunks_to_array_sectors(&g, 0, 1, NULL, &e, &d) == -1);
}

static void test_map_overflow(void)
{
	struct llb_geometry g = { .chunk_sectors = 1ull << 62,
				  .sync_sectors = UINT64_MAX, .level = 5,
				  .raid_disks = 3, .raid_chunk_sectors = 1024 };
	struct diag d = { 0 };
	uint64_t s, e;

	/* first * chunk overflows */
	expect_map_fail(&g, 4, 1, "chunk 4 out of range");
	/* member sector 2^63 lies in row 2^53; row * 2048 = 2^64 */
	expect_map_fail(&g, 2, 1, "out of range");
	/* member [2^62, 2^63): the start maps to 2^63, fine; the last sector
	 * is in row 2^53-1, whose base is 2^64-2048, and the last data disk
	 * at offset 1023 ends at 2^64: one past UINT64_MAX */
	expect_map_fail(&g, 1, 1, "out of range");
	/* raid1 has no multiplication: the same range maps fine */
	g.level = 1;
	CHECK(llb_chunks_to_array_sectors(&g, 2, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 1ull << 63);
	CHECK_EQ_U(e, 3ull << 62);
	/* count overflowing first + count saturates to the sync range */
	CHECK(llb_chunks_to_array_sectors(&g, 3, UINT64_MAX, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 3ull << 62);
	CHECK_EQ_U(e, UINT64_MAX);
	/* C * k overflows */
	g.level = 5;
	g.chunk_sectors = 128;
	g.raid_chunk_sectors = 1ull << 40;
	g.raid_disks = 1u << 31;
	g.raid_disks += 1;   /* k = 2^31 -> C * k = 2^71 */
	expect_map_fail(&g, 0, 1, "out of range");
	/* huge but representable: k = 2^23, C = 2^40, row_len = 2^63 */
	g.raid_disks = (1u << 23) + 1;
	CHECK(llb_chunks_to_array_sectors(&g, 0, 1, &s, &e, &d) == 0);
	CHECK_EQ_U(s, 0);
	CHECK_EQ_U(e, ((1ull << 23) - 1) * (1ull << 40) + 128);
}

/* ---- real dumps -------------------------------------------------------- */

static void test_dump_raid1_create(void)
{
	struct bitmap_sb sb;
	uint64_t chunks;
	uint8_t *area = load_area_sb(dump_r1_create, &sb, &chunks);
	struct llb_counts c;
	struct llb_run run;

	CHECK(area != NULL);
	if (!area)
		return;
	CHECK_EQ_U(chunks, 16352);
	/* bytes 256..1023 are 0xff (mdadm's fill), state bytes follow */
	CHECK_EQ_U(area[256], 0xff);
	CHECK_EQ_U(area[1023], 0xff);
	llb_count(area + LLBITMAP_DATA_OFFSET, chunks, &c);
	/* kernel md/llbitmap/bits: unwritten 16352 */
	check_counts(&c, 16352, 0, 0, 0, 0, 0, 0, 0);
	CHECK(llb_next_run(area + LLBITMAP_DATA_OFFSET, chunks, 0, &run));
	check_run(&run, 0, 16352, LLB_UNWRITTEN);
	/* counting the header area instead would find invalid 0xff bytes */
	llb_count(area + 256, 768, &c);
	CHECK_EQ_U(c.n[LLB_INVALID], 768);
	free(area);
}

static void test_dump_raid1_written(void)
{
	struct bitmap_sb sb;
	uint64_t chunks, s, e;
	uint8_t *area = load_area_sb(dump_r1_written, &sb, &chunks);
	struct llb_geometry g = { .chunk_sectors = 128, .sync_sectors = 2093056,
				  .level = 1, .raid_disks = 2 };
	struct diag d = { 0 };
	struct llb_counts c;
	struct llb_run runs[8];

	CHECK(area != NULL);
	if (!area)
		return;
	CHECK_EQ_U(sb.events, 4);
	CHECK_EQ_U(chunks, 16352);
	llb_count(area + LLBITMAP_DATA_OFFSET, chunks, &c);
	/* agrees with the kernel's bits at that moment:
	 * unwritten 15327, dirty 1025 */
	check_counts(&c, 15327, 0, 1025, 0, 0, 0, 0, 0);
	CHECK_EQ_U(c.n[LLB_INVALID], 0);

	CHECK_EQ_U(collect_runs(area + LLBITMAP_DATA_OFFSET, chunks, runs, 8), 4);
	check_run(&runs[0], 0, 1024, LLB_DIRTY);        /* 0x2400..0x27ff */
	check_run(&runs[1], 1024, 11264, LLB_UNWRITTEN);
	check_run(&runs[2], 12288, 1, LLB_DIRTY);       /* byte 0x5400 */
	check_run(&runs[3], 12289, 4063, LLB_UNWRITTEN);

	/* the dirty runs cover the writes: 64 MiB at 0 (plus the rest of the
	 * infected 512-byte block), 4 KiB at 768 MiB */
	CHECK(llb_chunks_to_array_sectors(&g, runs[0].first, runs[0].count,
					  &s, &e, &d) == 0);
	CHECK_EQ_U(s, 0);
	CHECK_EQ_U(e, 64ull << 11);
	CHECK(llb_chunks_to_array_sectors(&g, runs[2].first, runs[2].count,
					  &s, &e, &d) == 0);
	CHECK(s <= (768ull << 11) && (768ull << 11) + 8 <= e);
	CHECK_EQ_U(e - s, 128);

	/* state bytes past the last chunk are not chunks */
	llb_count(area + LLBITMAP_DATA_OFFSET, AREA_BYTES - LLBITMAP_DATA_OFFSET, &c);
	CHECK_EQ_U(c.n[LLB_UNWRITTEN], AREA_BYTES - LLBITMAP_DATA_OFFSET - 1025);
	free(area);
}

static void test_dump_raid1_daemon_and_stop(void)
{
	struct bitmap_sb sb;
	uint64_t chunks;
	uint8_t *area = load_area_sb(dump_r1_daemon, &sb, &chunks);
	struct llb_counts c;

	CHECK(area != NULL);
	if (!area)
		return;
	/* the kernel said "clean 1025" here, but the bytes on disk were not
	 * rewritten by the daemon: the dump still says dirty */
	llb_count(area + LLBITMAP_DATA_OFFSET, chunks, &c);
	check_counts(&c, 15327, 0, 1025, 0, 0, 0, 0, 0);
	free(area);

	area = load_area_sb(dump_r1_stopped, &sb, &chunks);
	CHECK(area != NULL);
	if (!area)
		return;
	CHECK_EQ_U(chunks, 16352);
	/* after stop the bytes are Clean; the kernel's bits after the next
	 * assemble agree: unwritten 15327, clean 1025 */
	llb_count(area + LLBITMAP_DATA_OFFSET, chunks, &c);
	check_counts(&c, 15327, 1025, 0, 0, 0, 0, 0, 0);
	free(area);
}

static void test_dump_assume_clean(void)
{
	struct bitmap_sb sb;
	uint64_t chunks, chunk;
	uint8_t *area = load_area_sb(dump_r1_assume_clean, &sb, &chunks);
	struct llb_counts c;
	struct llb_run runs[4];

	CHECK(area != NULL);
	if (!area)
		return;
	/* the header is still mdadm's first-use one: the chunk size has to
	 * be derived the way the kernel does on first use */
	CHECK(bitmap_first_use(&sb));
	CHECK_EQ_U(chunks, 0);
	chunk = llb_initial_chunk_sectors(sb.sync_size, bitmap_space_sectors(&sb));
	CHECK_EQ_U(chunk, 128);
	chunks = (sb.sync_size + chunk - 1) / chunk;
	CHECK_EQ_U(chunks, 16352);
	llb_count(area + LLBITMAP_DATA_OFFSET, chunks, &c);
	/* kernel md/llbitmap/bits after create: clean 16352 */
	check_counts(&c, 0, 16352, 0, 0, 0, 0, 0, 0);
	/* the last state byte is at 0x2400 + 16351 = 0x63df */
	CHECK_EQ_U(collect_runs(area + LLBITMAP_DATA_OFFSET,
				AREA_BYTES - LLBITMAP_DATA_OFFSET, runs, 4), 2);
	check_run(&runs[0], 0, 16352, LLB_CLEAN);
	free(area);
}

static void test_dump_raid5_proactive(void)
{
	struct bitmap_sb sb;
	uint64_t chunks, s, e;
	uint8_t *area = load_area_sb(dump_r5_proactive, &sb, &chunks);
	struct llb_geometry g = { .chunk_sectors = 128, .sync_sectors = 2093056,
				  .level = 5, .raid_disks = 3, .layout = 2,
				  .raid_chunk_sectors = 1024,
				  .array_sectors = 4186112 };
	struct diag d = { 0 };
	struct llb_counts c;
	struct llb_run runs[8];

	CHECK(area != NULL);
	if (!area)
		return;
	CHECK_EQ_U(sb.events, 13);
	CHECK_EQ_U(chunks, 16352);
	/* what the bytes say. The kernel showed clean 512 / dirty 512 /
	 * clean unwritten 15328 in memory at this point: the on-disk region
	 * had only partly been rewritten, so the two disagree. */
	llb_count(area + LLBITMAP_DATA_OFFSET, chunks, &c);
	check_counts(&c, 12768, 512, 1, 511, 0, 0, 0, 2560);

	CHECK_EQ_U(collect_runs(area + LLBITMAP_DATA_OFFSET, chunks, runs, 8), 6);
	check_run(&runs[0], 0, 512, LLB_CLEAN);                /* 0x2400 */
	check_run(&runs[1], 512, 2560, LLB_CLEAN_UNWRITTEN);   /* 0x2600 */
	check_run(&runs[2], 3072, 5120, LLB_UNWRITTEN);        /* 0x3000 */
	check_run(&runs[3], 8192, 1, LLB_DIRTY);               /* 0x4400 */
	check_run(&runs[4], 8193, 511, LLB_NEED_SYNC);
	check_run(&runs[5], 8704, 7648, LLB_UNWRITTEN);        /* 0x4600 */

	/* run 0 is the full-stripe 64 MiB write at array offset 0 */
	CHECK(llb_chunks_to_array_sectors(&g, runs[0].first, runs[0].count,
					  &s, &e, &d) == 0);
	CHECK_EQ_U(s, 0);
	CHECK_EQ_U(e, 131072);
	/* run 3 holds the 4 KiB partial-stripe write at 1 GiB */
	CHECK(llb_chunks_to_array_sectors(&g, runs[3].first, runs[3].count,
					  &s, &e, &d) == 0);
	CHECK(s <= 2097152 && 2097152 + 8 <= e);
	CHECK_EQ_U(s, 2097152);
	CHECK_EQ_U(e, 2098304);
	free(area);
}

/* ---- binary fixtures (tests/fixtures/reference, extracted separately) -- */

#define FIXTURE_DIR "tests/fixtures/reference/"

static uint8_t *load_fixture(const char *name, size_t *len)
{
	char path[512];
	uint8_t *buf;

	snprintf(path, sizeof(path), "%s%s", FIXTURE_DIR, name);
	buf = unit_read_file(path, len);
	if (!buf)
		fprintf(stderr, "  cannot read fixture %s\n", path);
	return buf;
}

/* The embedded xxd text and the separately extracted .bin files must hold
 * the same bytes: two independent expansions of the same transcripts. */
static void test_fixtures_match_embedded_dumps(void)
{
	static const struct {
		const char *dump, *file;
	} pairs[] = {
		{ dump_r1_create, "raid1-lockless.on-disk-layout-right-after-"
				  "create-member-dev-vda.bitmap.bin" },
		{ dump_r1_written, "raid1-lockless.bitmap-on-disk-right-after-"
				   "the-writes.bitmap.bin" },
		{ dump_r1_daemon, "raid1-lockless.bitmap-on-disk-after-the-"
				  "daemon-ran.bitmap.bin" },
		{ dump_r1_stopped, "raid1-lockless.on-disk-layout-after-stop."
				   "bitmap.bin" },
		{ dump_r1_assume_clean, "raid1-lockless-assume-clean.top."
					"bitmap.bin" },
		{ dump_r5_proactive, "raid5-lockless.proactive-sync-build-"
				     "parity-for-all-still-unwritten-regions-"
				     "raid456-only.bitmap.bin" },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		size_t len = 0;
		uint8_t *file = load_fixture(pairs[i].file, &len);
		uint8_t *area = load_area(pairs[i].dump);

		CHECK(file != NULL && area != NULL);
		if (file && area) {
			CHECK_EQ_U(len, AREA_BYTES);
			CHECK(len == AREA_BYTES &&
			      memcmp(file, area, AREA_BYTES) == 0);
		}
		free(file);
		free(area);
	}
}

/* Every lockless fixture: decode, validate, count the state bytes present
 * (min(chunks, bytes after the 1 KiB header)). Expected counts are what the
 * dump bytes hold; the comment says where md/llbitmap/bits agreed. */
struct fixture_counts {
	const char *file;
	uint64_t chunks;             /* from the header */
	uint64_t counted;            /* state bytes present in the dump */
	uint64_t n[LLB_NR_STATES];   /* expected per state */
};

static const struct fixture_counts fixture_table[] = {
	/* kernel before the crash: dirty 1024 (only 1 KiB of states dumped) */
	{ "raid1-lockless-across-crash.crash-assemble.bitmap.bin",
	  16352, 1024, { [LLB_DIRTY] = 1024 } },
	/* dumped after --readwrite, the resync, the daemon (kernel: clean
	 * 1024) and --stop */
	{ "raid1-lockless-across-crash.assemble-read-only-first-no-resync-"
	  "can-start-yet.bitmap.bin", 16352, 1024, { [LLB_CLEAN] = 1024 } },
	{ "raid1-lockless-across-crash-after-idle.crash-write-idle.bitmap.bin",
	  16352, 1024, { [LLB_DIRTY] = 1024 } },
	/* md sb already clean at the crash: --readwrite did not resync, the
	 * kernel kept need sync 1024 up to --stop, and so did the disk */
	{ "raid1-lockless-across-crash-after-idle.assemble-read-only-first-"
	  "no-resync-can-start-yet.bitmap.bin", 16352, 1024,
	  { [LLB_NEED_SYNC] = 1024 } },
	{ "raid1-lockless-across-crash-after-idle.assemble-again-read-write-"
	  "from-the-start.bitmap.bin", 16352, 1024, { [LLB_CLEAN] = 1024 } },
	/* kernel: dirty 1024 right after the write (raid10, array sectors) */
	{ "raid10-lockless.write-64-mib-at-offset-0.bitmap.bin",
	  32704, 32704, { [LLB_UNWRITTEN] = 31680, [LLB_DIRTY] = 1024 } },
	{ "raid10-lockless.top.bitmap.bin",
	  32704, 32704, { [LLB_UNWRITTEN] = 32704 } },
	/* kernel: dirty 512 after the full-stripe write */
	{ "raid5-lockless.write-64-mib-at-offset-0.bitmap.bin",
	  16352, 16352, { [LLB_UNWRITTEN] = 15840, [LLB_DIRTY] = 512 } },
	/* 4Kn disks, single 4 KiB write: kernel dirty 1 (8 KiB dumped) */
	{ "raid1-lockless-4k-disks.write-4-kib-at-offset-0.bitmap.bin",
	  16352, 7168, { [LLB_UNWRITTEN] = 7167, [LLB_DIRTY] = 1 } },
	{ "raid1-lockless-assume-clean.write-1-mib-at-offset-0.bitmap.bin",
	  16352, 16352, { [LLB_CLEAN] = 16352 } },
	/* the stale v6 bytes left behind by --grow --bitmap=none */
	{ "grow-lockless-to-none.remove-the-lockless-bitmap.bitmap.bin",
	  16352, 7168, { [LLB_UNWRITTEN] = 7168 } },
};

static void check_fixture_counts(const struct fixture_counts *f)
{
	struct bitmap_sb sb;
	struct diag d = { 0 };
	struct llb_counts c;
	size_t len = 0;
	uint8_t *buf = load_fixture(f->file, &len);
	uint64_t n;

	CHECK(buf != NULL);
	if (!buf)
		return;
	CHECK(len > LLBITMAP_DATA_OFFSET);
	CHECK(bitmap_sb_decode(buf, len, &sb, &d) == 0);
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
	CHECK(bitmap_is_lockless(&sb) && !bitmap_first_use(&sb));
	CHECK_EQ_U(bitmap_chunks(&sb), f->chunks);
	n = len - LLBITMAP_DATA_OFFSET;
	if (f->chunks < n)
		n = f->chunks;
	CHECK_EQ_U(n, f->counted);
	llb_count(buf + LLBITMAP_DATA_OFFSET, n, &c);
	for (unsigned s = 0; s < LLB_NR_STATES; s++)
		CHECK_EQ_U(c.n[s], f->n[s]);
	CHECK_EQ_U(c.n[LLB_INVALID], 0);
	free(buf);
}

static void test_fixture_counts(void)
{
	for (size_t i = 0; i < sizeof(fixture_table) / sizeof(fixture_table[0]); i++)
		check_fixture_counts(&fixture_table[i]);
}

/* The 4 KiB-block bug: the header itself was overwritten with 0x02
 * ("unknown bitmap version 33686022"); a reader must refuse it rather
 * than count garbage. */
static void test_fixture_infected_header(void)
{
	static const char *const files[] = {
		"raid1-lockless-4k-disks.bitmap-area-after-the-writes-look-at-"
		"the-bitmap-superblock-first-256-bytes.bitmap-1.bin",
		"raid1-lockless-4k-disks.bitmap-area-after-the-writes-look-at-"
		"the-bitmap-superblock-first-256-bytes.bitmap-2.bin",
		"raid1-lockless-lbs4096.bitmap-area-after-the-writes-look-at-"
		"the-bitmap-superblock-first-256-bytes.bitmap-1.bin",
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct bitmap_sb sb;
		struct diag d = { 0 };
		size_t len = 0;
		uint8_t *buf = load_fixture(files[i], &len);

		CHECK(buf != NULL);
		if (!buf)
			continue;
		CHECK(bitmap_sb_decode(buf, len, &sb, &d) == 0);
		CHECK(!bitmap_is_lockless(&sb));
		CHECK(bitmap_sb_validate(&sb, &d) == -1);
		CHECK_EQ_S(d.msg, "unknown bitmap version 33686022");
		free(buf);
	}
}

/* ---- what a state means ------------------------------------------------------ */

static void test_state_traits(void)
{
	for (unsigned st = 0; st < 256; st++) {
		CHECK(llb_state_needs_sync(st) == (st == LLB_NEED_SYNC || st == LLB_NEED_SYNC_UNWRITTEN));
		CHECK(llb_state_syncing(st) == (st == LLB_SYNCING || st == LLB_SYNCING_UNWRITTEN));
		CHECK(llb_state_unsynced(st) == (st >= LLB_DIRTY && st <= LLB_SYNCING_UNWRITTEN));
		CHECK(llb_state_unwritten(st) == (st == LLB_UNWRITTEN || (st >= 5 && st <= 7)));
		CHECK(llb_state_dirties_block(st) == (st == LLB_DIRTY || st == LLB_NEED_SYNC));
	}
}

/* The traits say what the transition table does on a whole array. */
static void test_traits_match_transitions(void)
{
	for (uint8_t st = 0; st < LLB_NR_STATES; st++) {
		uint8_t started = llb_transition(st, LLB_ACT_STARTSYNC, NULL);

		/* a sync pass takes up exactly the chunks that need it */
		CHECK((started != st) == llb_state_needs_sync(st));
		CHECK(!llb_state_needs_sync(st) || llb_state_syncing(started));
		/* only a pass in progress can finish */
		CHECK((llb_transition(st, LLB_ACT_ENDSYNC, NULL) != st) == llb_state_syncing(st));
		/* the daemon cleans only Dirty */
		CHECK((llb_transition(st, LLB_ACT_DAEMON, NULL) != st) == (st == LLB_DIRTY));
		/* a discard leaves nothing written */
		CHECK(llb_transition(st, LLB_ACT_DISCARD, NULL) == LLB_UNWRITTEN);
		/* a write never leaves the chunk without data */
		CHECK(!llb_state_unwritten(llb_transition(st, LLB_ACT_STARTWRITE, NULL)));
		/* an out-of-date bitmap syncs whatever was written */
		if (!llb_state_unwritten(st) && !llb_state_unsynced(st))
			CHECK(llb_state_needs_sync(llb_transition(st, LLB_ACT_STALE, NULL)));
	}
}

/* ---- transitions ------------------------------------------------------------ */

/* The table in the kernel's own documentation of md-llbitmap.c (6.18): the
 * five original states and eight actions. 0xff: no change. */
static const uint8_t kernel_618_table[5][8] = {
	/*               write  startsync endsync abortsync reload daemon discard stale */
	[LLB_UNWRITTEN] = { 2,   0xff,    0xff,   0xff,     0xff,  0xff,  0xff,   0xff },
	[LLB_CLEAN]     = { 2,   0xff,    0xff,   0xff,     0xff,  0xff,  0,      3    },
	[LLB_DIRTY]     = { 0xff, 0xff,   0xff,   0xff,     3,     1,     0,      3    },
	[LLB_NEED_SYNC] = { 0xff, 4,      0xff,   0xff,     0xff,  0xff,  0,      0xff },
	[LLB_SYNCING]   = { 0xff, 4,      2,      3,        3,     0xff,  0,      3    },
};

static void test_transitions_kernel_618(void)
{
	const struct llb_context ctx = { .kernel = 618 };

	for (uint8_t st = 0; st < 5; st++)
		for (unsigned a = 0; a < 8; a++) {
			uint8_t want = kernel_618_table[st][a] == 0xff ? st : kernel_618_table[st][a];

			if (llb_transition(st, (enum llb_action)a, &ctx) != want) {
				fprintf(stderr, "  %s + %s\n", llb_state_name(st),
					llb_action_name((enum llb_action)a));
				CHECK_EQ_U(llb_transition(st, (enum llb_action)a, &ctx), want);
			}
			/* 7.2 kept these rows */
			CHECK_EQ_U(llb_transition(st, (enum llb_action)a, NULL), want);
		}
	/* 6.18 knows neither the unwritten parity states nor their actions */
	for (uint8_t st = 5; st < 8; st++)
		CHECK_EQ_U(llb_transition(st, LLB_ACT_DAEMON, &ctx), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_transition(LLB_UNWRITTEN, LLB_ACT_PROACTIVE_SYNC, &ctx), LLB_UNWRITTEN);
	CHECK_EQ_U(llb_transition(LLB_UNWRITTEN, LLB_ACT_PROACTIVE_SYNC, NULL),
		   LLB_NEED_SYNC_UNWRITTEN);
}

/* The rows 7.1 added (Linux 7.2 as documented in shared/docs). */
static void test_transitions_unwritten_states(void)
{
	static const uint8_t want[3][LLB_NR_ACTIONS] = {
		/* write startsync endsync abortsync reload daemon discard stale proactive clear */
		{ 3, 6, 5, 0, 0, 5, 0, 0, 5, 0 },   /* NeedSyncUnwritten */
		{ 4, 6, 7, 0, 0, 6, 0, 0, 6, 0 },   /* SyncingUnwritten */
		{ 2, 7, 7, 7, 7, 7, 0, 0, 7, 0 },   /* CleanUnwritten */
	};

	for (uint8_t i = 0; i < 3; i++)
		for (unsigned a = 0; a < LLB_NR_ACTIONS; a++)
			CHECK_EQ_U(llb_transition((uint8_t)(5 + i), (enum llb_action)a, NULL), want[i][a]);
	for (uint8_t st = 0; st < 5; st++)
		CHECK_EQ_U(llb_transition(st, LLB_ACT_CLEAR_UNWRITTEN, NULL), st);
}

static void test_transitions_context(void)
{
	const struct llb_context parity = { .parity = true };
	const struct llb_context degraded = { .degraded = true };

	/* raid4/5/6: a first write builds the parity lazily */
	CHECK_EQ_U(llb_transition(LLB_UNWRITTEN, LLB_ACT_STARTWRITE, &parity), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_transition(LLB_CLEAN, LLB_ACT_STARTWRITE, &parity), LLB_DIRTY);
	CHECK_EQ_U(llb_transition(LLB_CLEAN_UNWRITTEN, LLB_ACT_STARTWRITE, &parity), LLB_DIRTY);
	CHECK_EQ_U(llb_transition(LLB_DIRTY, LLB_ACT_DAEMON, &parity), LLB_CLEAN);
	/* degraded: writes are kept for the missing member, Dirty is synced
	 * and never cleaned */
	CHECK_EQ_U(llb_transition(LLB_UNWRITTEN, LLB_ACT_STARTWRITE, &degraded), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_transition(LLB_CLEAN, LLB_ACT_STARTWRITE, &degraded), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_transition(LLB_CLEAN_UNWRITTEN, LLB_ACT_STARTWRITE, &degraded), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_transition(LLB_NEED_SYNC_UNWRITTEN, LLB_ACT_STARTWRITE, &degraded),
		   LLB_NEED_SYNC);
	CHECK_EQ_U(llb_transition(LLB_DIRTY, LLB_ACT_STARTSYNC, &degraded), LLB_SYNCING);
	CHECK_EQ_U(llb_transition(LLB_DIRTY, LLB_ACT_DAEMON, &degraded), LLB_DIRTY);
	CHECK_EQ_U(llb_transition(LLB_CLEAN, LLB_ACT_STARTSYNC, &degraded), LLB_CLEAN);
	/* the ends of a pass are the same */
	CHECK_EQ_U(llb_transition(LLB_SYNCING, LLB_ACT_ENDSYNC, &degraded), LLB_DIRTY);
	CHECK_EQ_U(llb_transition(LLB_SYNCING, LLB_ACT_ABORTSYNC, &degraded), LLB_NEED_SYNC);
}

/* The merge rule for a grown chunk: never vouch for more than a part. */
static void test_merge_states(void)
{
	const uint8_t clean[] = { LLB_CLEAN, LLB_CLEAN };
	const uint8_t dirty[] = { LLB_CLEAN, LLB_DIRTY };
	const uint8_t need[] = { LLB_CLEAN, LLB_NEED_SYNC };
	const uint8_t syncing[] = { LLB_SYNCING, LLB_CLEAN };
	const uint8_t need_unw[] = { LLB_UNWRITTEN, LLB_NEED_SYNC_UNWRITTEN };
	const uint8_t mixed[] = { LLB_CLEAN, LLB_UNWRITTEN };
	const uint8_t mixed_dirty[] = { LLB_CLEAN_UNWRITTEN, LLB_DIRTY };
	const uint8_t unw[] = { LLB_UNWRITTEN, LLB_UNWRITTEN };
	const uint8_t zeroed[] = { LLB_CLEAN_UNWRITTEN, LLB_CLEAN_UNWRITTEN };
	const uint8_t half_zeroed[] = { LLB_CLEAN_UNWRITTEN, LLB_UNWRITTEN };
	const uint8_t invalid[] = { LLB_CLEAN, 0xff };
	const uint8_t four[] = { LLB_CLEAN, LLB_CLEAN, LLB_CLEAN, LLB_DIRTY };

	CHECK_EQ_U(llb_merge_states(clean, 2), LLB_CLEAN);
	CHECK_EQ_U(llb_merge_states(dirty, 2), LLB_DIRTY);
	CHECK_EQ_U(llb_merge_states(need, 2), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_merge_states(syncing, 2), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_merge_states(need_unw, 2), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_merge_states(mixed, 2), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_merge_states(mixed_dirty, 2), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_merge_states(unw, 2), LLB_UNWRITTEN);
	CHECK_EQ_U(llb_merge_states(zeroed, 2), LLB_CLEAN_UNWRITTEN);
	CHECK_EQ_U(llb_merge_states(half_zeroed, 2), LLB_UNWRITTEN);
	CHECK_EQ_U(llb_merge_states(invalid, 2), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_merge_states(four, 4), LLB_DIRTY);
	CHECK_EQ_U(llb_merge_states(clean, 1), LLB_CLEAN);
	CHECK_EQ_U(llb_merge_states(clean, 0), LLB_NEED_SYNC);
}

static void test_transitions_invalid(void)
{
	static const uint8_t bad[] = { 8, 9, 0x7f, 0x80, 0xfe, 0xff };

	/* the kernel forces a resync of any byte it does not know */
	for (size_t i = 0; i < sizeof(bad); i++)
		for (unsigned a = 0; a < LLB_NR_ACTIONS; a++)
			CHECK_EQ_U(llb_transition(bad[i], (enum llb_action)a, NULL), LLB_NEED_SYNC);
	/* an action that does not exist changes nothing */
	CHECK_EQ_U(llb_transition(LLB_DIRTY, LLB_NR_ACTIONS, NULL), LLB_DIRTY);
	CHECK_EQ_U(llb_transition(0xff, (enum llb_action)99, NULL), 0xff);
}

/* The typical scenarios the kernel's documentation walks through. */
static void test_transitions_scenarios(void)
{
	const struct llb_context raid5 = { .parity = true };
	uint8_t st;

	/* raid1/10: new data, then the daemon */
	st = llb_transition(LLB_UNWRITTEN, LLB_ACT_STARTWRITE, NULL);
	CHECK_EQ_U(st, LLB_DIRTY);
	CHECK_EQ_U(llb_transition(st, LLB_ACT_DAEMON, NULL), LLB_CLEAN);
	/* raid5: new data waits for the lazy parity build, then settles */
	st = llb_transition(LLB_UNWRITTEN, LLB_ACT_STARTWRITE, &raid5);
	CHECK_EQ_U(st, LLB_NEED_SYNC);
	st = llb_transition(st, LLB_ACT_STARTSYNC, &raid5);
	CHECK_EQ_U(st, LLB_SYNCING);
	st = llb_transition(st, LLB_ACT_ENDSYNC, &raid5);
	CHECK_EQ_U(st, LLB_DIRTY);
	CHECK_EQ_U(llb_transition(st, LLB_ACT_DAEMON, &raid5), LLB_CLEAN);
	/* power failure: what was dirty is resynced after assembly */
	CHECK_EQ_U(llb_transition(LLB_DIRTY, LLB_ACT_RELOAD, NULL), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_transition(LLB_SYNCING, LLB_ACT_RELOAD, NULL), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_transition(LLB_CLEAN, LLB_ACT_RELOAD, NULL), LLB_CLEAN);
	CHECK_EQ_U(llb_transition(LLB_UNWRITTEN, LLB_ACT_RELOAD, NULL), LLB_UNWRITTEN);
	/* a stale bitmap: everything written is resynced */
	CHECK_EQ_U(llb_transition(LLB_CLEAN, LLB_ACT_STALE, NULL), LLB_NEED_SYNC);
	CHECK_EQ_U(llb_transition(LLB_UNWRITTEN, LLB_ACT_STALE, NULL), LLB_UNWRITTEN);
	/* an interrupted pass is taken up again */
	CHECK_EQ_U(llb_transition(LLB_SYNCING, LLB_ACT_ABORTSYNC, NULL), LLB_NEED_SYNC);
	/* proactive parity build on raid5 (7.1+) */
	st = llb_transition(LLB_UNWRITTEN, LLB_ACT_PROACTIVE_SYNC, &raid5);
	st = llb_transition(st, LLB_ACT_STARTSYNC, &raid5);
	CHECK_EQ_U(st, LLB_SYNCING_UNWRITTEN);
	CHECK_EQ_U(llb_transition(st, LLB_ACT_ENDSYNC, &raid5), LLB_CLEAN_UNWRITTEN);
}

static void test_action_names(void)
{
	for (unsigned a = 0; a < LLB_NR_ACTIONS; a++)
		CHECK(llb_action_from_name(llb_action_name((enum llb_action)a)) == (int)a);
	CHECK_EQ_S(llb_action_name(LLB_ACT_STARTWRITE), "startwrite");
	CHECK_EQ_S(llb_action_name(LLB_ACT_CLEAR_UNWRITTEN), "clear-unwritten");
	CHECK_EQ_S(llb_action_name(LLB_NR_ACTIONS), "?");
	CHECK(llb_action_from_name("write") == -1);
	CHECK(llb_action_from_name("") == -1);
}

/* ---- first use ------------------------------------------------------------------ */

static void test_first_use(void)
{
	CHECK_EQ_U(llb_first_use_state(true, false), LLB_CLEAN);
	CHECK_EQ_U(llb_first_use_state(true, true), LLB_CLEAN);
	CHECK_EQ_U(llb_first_use_state(false, false), LLB_UNWRITTEN);
	CHECK_EQ_U(llb_first_use_state(false, true), LLB_CLEAN_UNWRITTEN);
	CHECK(llb_first_use_may_zero(4) && llb_first_use_may_zero(5) && llb_first_use_may_zero(6));
	CHECK(!llb_first_use_may_zero(1) && !llb_first_use_may_zero(10) && !llb_first_use_may_zero(0));
	/* 1 GiB raid1 members as the kernel set them up (md/llbitmap/metadata) */
	CHECK_EQ_U(llb_first_use_chunks(2093056, 256), 16352);
	CHECK_EQ_U(llb_first_use_chunks(0, 256), 0);
	CHECK_EQ_U(llb_first_use_chunks(1, 256), 1);
	CHECK_EQ_U(llb_first_use_chunks(1000, 0), 0);   /* no room at all */
}

/* ---- md/llbitmap/bits -------------------------------------------------------------- */

static void test_bits_parse_72(void)
{
	struct llb_bits b;
	struct diag d = { 0 };

	CHECK(llb_bits_parse("unwritten 16000\nclean 300\ndirty 40\nneed sync 7\nsyncing 5\n"
			     "need sync unwritten 2\nsyncing unwritten 1\nclean unwritten 0\n",
			     &b, &d) == 0);
	CHECK(b.ok);
	CHECK_EQ_U(b.nstates, 8);
	CHECK_EQ_U(b.count[LLB_UNWRITTEN], 16000);
	CHECK_EQ_U(b.count[LLB_CLEAN], 300);
	CHECK_EQ_U(b.count[LLB_NEED_SYNC], 7);
	CHECK_EQ_U(b.count[LLB_SYNCING_UNWRITTEN], 1);
	CHECK_EQ_S(b.text, "");
	CHECK_EQ_U(llb_bits_sum(&b, llb_state_needs_sync), 9);
	CHECK_EQ_U(llb_bits_sum(&b, llb_state_syncing), 6);
	CHECK_EQ_U(llb_bits_sum(&b, llb_state_unsynced), 55);
}

static void test_bits_parse_618(void)
{
	struct llb_bits b;

	/* five lines, no trailing newline */
	CHECK(llb_bits_parse("unwritten 1\nclean 2\ndirty 3\nneed sync 4\nsyncing 5", &b, NULL) == 0);
	CHECK(b.ok);
	CHECK_EQ_U(b.nstates, 5);
	CHECK_EQ_U(b.count[LLB_SYNCING], 5);
	CHECK_EQ_U(b.count[LLB_CLEAN_UNWRITTEN], 0);
	CHECK_EQ_U(llb_bits_sum(&b, llb_state_needs_sync), 4);
}

static void test_bits_parse_messages(void)
{
	static const char *const texts[] = { "no bitmap\n", "bitmap io error\n" };
	struct llb_bits b;
	struct diag d = { 0 };

	for (size_t i = 0; i < 2; i++) {
		CHECK(llb_bits_parse(texts[i], &b, &d) == -1);
		CHECK(!b.ok);
		CHECK_EQ_U(b.nstates, 0);
		CHECK_EQ_U(strlen(b.text), strlen(texts[i]) - 1);
		CHECK(strncmp(b.text, texts[i], strlen(b.text)) == 0);
		CHECK_CONTAINS(d.msg, "md/llbitmap/bits");
	}
	CHECK(llb_bits_parse("", &b, NULL) == -1);
	CHECK(!b.ok);
	CHECK_EQ_S(b.text, "");
}

static void test_bits_parse_hostile(void)
{
	static const char *const bad[] = {
		"clean", "clean ", "clean x", "clean -1", "clean 1x", " 5", "Clean 1",
		"clean  1", "clean 99999999999999999999", "need  sync 1", "needsync 1",
	};
	char longline[300];
	struct llb_bits b;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(llb_bits_parse(bad[i], &b, NULL) == -1);
		CHECK_EQ_U(b.nstates, 0);
	}
	/* what it understood counts; the first other line is kept */
	CHECK(llb_bits_parse("clean 4\nweird 1\nneed sync 2\nodd\n", &b, NULL) == -1);
	CHECK(!b.ok);
	CHECK_EQ_U(b.nstates, 2);
	CHECK_EQ_U(b.count[LLB_CLEAN], 4);
	CHECK_EQ_S(b.text, "weird 1");
	CHECK_EQ_U(llb_bits_sum(&b, llb_state_needs_sync), 2);
	/* the biggest count, and a line longer than the kept text */
	CHECK(llb_bits_parse("dirty 18446744073709551615\n", &b, NULL) == 0);
	CHECK_EQ_U(b.count[LLB_DIRTY], UINT64_MAX);
	memset(longline, 'a', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	CHECK(llb_bits_parse(longline, &b, NULL) == -1);
	CHECK_EQ_U(strlen(b.text), sizeof(b.text) - 1);
	/* sums saturate */
	CHECK(llb_bits_parse("need sync 18446744073709551615\nneed sync unwritten 1\n", &b, NULL) == 0);
	CHECK_EQ_U(llb_bits_sum(&b, llb_state_needs_sync), UINT64_MAX);
}

UNIT_MAIN("llbitmap",
	  UNIT_CASE(test_state_table),
	  UNIT_CASE(test_state_valid),
	  UNIT_CASE(test_count_all_states),
	  UNIT_CASE(test_count_empty),
	  UNIT_CASE(test_count_every_byte_value),
	  UNIT_CASE(test_runs_basic),
	  UNIT_CASE(test_runs_word_boundaries),
	  UNIT_CASE(test_runs_whole_region),
	  UNIT_CASE(test_runs_match_naive_count),
	  UNIT_CASE(test_sizes),
	  UNIT_CASE(test_initial_chunk),
	  UNIT_CASE(test_sync_sectors),
	  UNIT_CASE(test_map_raid1),
	  UNIT_CASE(test_map_raid10),
	  UNIT_CASE(test_map_raid5),
	  UNIT_CASE(test_map_raid6),
	  UNIT_CASE(test_map_rejects),
	  UNIT_CASE(test_map_overflow),
	  UNIT_CASE(test_dump_raid1_create),
	  UNIT_CASE(test_dump_raid1_written),
	  UNIT_CASE(test_dump_raid1_daemon_and_stop),
	  UNIT_CASE(test_dump_assume_clean),
	  UNIT_CASE(test_dump_raid5_proactive),
	  UNIT_CASE(test_fixtures_match_embedded_dumps),
	  UNIT_CASE(test_fixture_counts),
	  UNIT_CASE(test_fixture_infected_header),
	  UNIT_CASE(test_state_traits),
	  UNIT_CASE(test_traits_match_transitions),
	  UNIT_CASE(test_transitions_kernel_618),
	  UNIT_CASE(test_transitions_unwritten_states),
	  UNIT_CASE(test_transitions_context),
	  UNIT_CASE(test_merge_states),
	UNIT_CASE(test_transitions_invalid),
	  UNIT_CASE(test_transitions_scenarios),
	  UNIT_CASE(test_action_names),
	  UNIT_CASE(test_first_use),
	  UNIT_CASE(test_bits_parse_72),
	  UNIT_CASE(test_bits_parse_618),
	  UNIT_CASE(test_bits_parse_messages),
	  UNIT_CASE(test_bits_parse_hostile))
