/* test_bitmap_convert.c - unit tests for turning one bitmap kind into
 * another on an array that holds data
 *
 * The rule under test: a converted bitmap never vouches for a region the
 * array does not know to be in sync. Numbers follow the 1 GiB RAID1 member
 * of shared/vm/reference/SUMMARY.md (sync_size 2093056 sectors, 64 KiB
 * lockless chunks: 16352 of them). */
#include <stdint.h>
#include <stdlib.h>

#include "bitmap_convert.h"
#include "llbitmap.h"
#include "tests/unit/unit.h"

#define SYNC_1G 2093056ULL

static struct bconv_array array(int level, uint64_t sync, uint64_t resync)
{
	struct bconv_array a = {
		.level = level, .sync_sectors = sync, .resync_offset = resync, .events = 42,
	};
	for (int i = 0; i < 16; i++)
		a.uuid[i] = (uint8_t)(0xa0 + i);
	return a;
}

static uint64_t count_state(const uint8_t *s, uint64_t n, uint8_t v)
{
	uint64_t c = 0;

	for (uint64_t i = 0; i < n; i++)
		c += s[i] == v;
	return c;
}

static void test_unsynced_states(void)
{
	CHECK(!bconv_state_unsynced(1, LLB_CLEAN));
	CHECK(!bconv_state_unsynced(5, LLB_CLEAN_UNWRITTEN));
	CHECK(bconv_state_unsynced(1, LLB_DIRTY));
	CHECK(bconv_state_unsynced(1, LLB_NEED_SYNC));
	CHECK(bconv_state_unsynced(10, LLB_SYNCING));
	CHECK(bconv_state_unsynced(5, LLB_NEED_SYNC_UNWRITTEN));
	CHECK(bconv_state_unsynced(6, LLB_SYNCING_UNWRITTEN));
	CHECK(bconv_state_unsynced(1, 0x11));      /* invalid byte */
	CHECK(bconv_state_unsynced(1, 0xff));
	/* Unwritten: the members never agreed there, mirrors nor parity */
	CHECK(bconv_state_unsynced(1, LLB_UNWRITTEN));
	CHECK(bconv_state_unsynced(10, LLB_UNWRITTEN));
	CHECK(bconv_state_unsynced(4, LLB_UNWRITTEN));
	CHECK(bconv_state_unsynced(5, LLB_UNWRITTEN));
	CHECK(bconv_state_unsynced(6, LLB_UNWRITTEN));
}

/* An in-sync array without a bitmap: every chunk Clean, none Unwritten. */
static void test_none_in_sync_all_clean(void)
{
	struct bconv_array a = array(1, SYNC_1G, SB1_MAX_SECTOR);
	uint64_t n = 16352, need = 99;
	uint8_t *s = malloc(n);
	struct diag d = { 0 };

	CHECK_EQ_U(bconv_states_from_classic(&a, NULL, 0, 0, 128, s, n, &need, &d), 0);
	CHECK_EQ_U(need, 0);
	CHECK_EQ_U(count_state(s, n, LLB_CLEAN), n);
	CHECK_EQ_U(count_state(s, n, LLB_UNWRITTEN), 0);
	free(s);
}

/* A resync stopped at sector 1000: the chunk holding it and all after need
 * sync, the ones before are clean. */
static void test_pending_resync(void)
{
	struct bconv_array a = array(1, SYNC_1G, 1000);
	uint64_t n = 16352, need = 0;
	uint8_t *s = malloc(n);
	struct diag d = { 0 };

	CHECK_EQ_U(bconv_states_from_classic(&a, NULL, 0, 0, 128, s, n, &need, &d), 0);
	/* 1000 / 128 = chunk 7 holds the resync point */
	CHECK_EQ_U(s[6], LLB_CLEAN);
	CHECK_EQ_U(s[7], LLB_NEED_SYNC);
	CHECK_EQ_U(s[n - 1], LLB_NEED_SYNC);
	CHECK_EQ_U(need, n - 7);
	/* a resync point exactly on a chunk boundary leaves that chunk clean */
	a.resync_offset = 1024;
	CHECK_EQ_U(bconv_states_from_classic(&a, NULL, 0, 0, 128, s, n, &need, &d), 0);
	CHECK_EQ_U(s[7], LLB_CLEAN);
	CHECK_EQ_U(s[8], LLB_NEED_SYNC);
	/* nothing synced at all */
	a.resync_offset = 0;
	CHECK_EQ_U(bconv_states_from_classic(&a, NULL, 0, 0, 128, s, n, &need, &d), 0);
	CHECK_EQ_U(need, n);
	free(s);
}

/* Classic 64 MiB bits onto 64 KiB chunks: one dirty bit makes 1024 chunks
 * NeedSync; a small classic chunk spanning part of a lockless one marks
 * that whole chunk. */
static void test_classic_dirty_bits(void)
{
	struct bconv_array a = array(1, SYNC_1G, SB1_MAX_SECTOR);
	uint64_t nbits = bconv_chunks(SYNC_1G, 64ULL << 20), n = 16352, need = 0;
	uint8_t bits[4] = { 0 }, *s = malloc(n);
	struct diag d = { 0 };

	CHECK_EQ_U(nbits, 16);                   /* 1022 MiB / 64 MiB, rounded up */
	bits[0] = 0x04;                          /* bit 2: MiB 128..191 */
	CHECK_EQ_U(bconv_states_from_classic(&a, bits, nbits, 64ULL << 20, 128, s, n, &need, &d), 0);
	CHECK_EQ_U(need, 1024);
	CHECK_EQ_U(s[2047], LLB_CLEAN);
	CHECK_EQ_U(s[2048], LLB_NEED_SYNC);
	CHECK_EQ_U(s[3071], LLB_NEED_SYNC);
	CHECK_EQ_U(s[3072], LLB_CLEAN);
	/* the last, partial classic chunk */
	bits[0] = 0; bits[1] = 0x80;             /* bit 15 */
	CHECK_EQ_U(bconv_states_from_classic(&a, bits, nbits, 64ULL << 20, 128, s, n, &need, &d), 0);
	CHECK_EQ_U(need, n - 15 * 1024);
	CHECK_EQ_U(s[n - 1], LLB_NEED_SYNC);
	/* 4 KiB classic chunks: bit 17 (sectors 136..143) lies in chunk 1 */
	{
		uint64_t nb = bconv_chunks(SYNC_1G, 4096);
		uint8_t *b = calloc(1, (size_t)(nb + 7) / 8);

		b[2] = 0x02;
		CHECK_EQ_U(bconv_states_from_classic(&a, b, nb, 4096, 128, s, n, &need, &d), 0);
		CHECK_EQ_U(need, 1);
		CHECK_EQ_U(s[1], LLB_NEED_SYNC);
		free(b);
	}
	/* a classic bitmap too short for the range: the uncovered end needs sync */
	bits[1] = 0;
	CHECK_EQ_U(bconv_states_from_classic(&a, bits, 8, 64ULL << 20, 128, s, n, &need, &d), 0);
	CHECK_EQ_U(s[8 * 1024 - 1], LLB_CLEAN);
	CHECK_EQ_U(s[8 * 1024], LLB_NEED_SYNC);
	free(s);
}

static void test_states_refusals(void)
{
	struct bconv_array a = array(1, SYNC_1G, SB1_MAX_SECTOR);
	uint8_t s[16], bits[1] = { 0 };
	uint64_t need;
	struct diag d = { 0 };

	CHECK(bconv_states_from_classic(&a, NULL, 0, 0, 128, s, 16, &need, &d) != 0);
	CHECK_CONTAINS(d.msg, "do not cover");
	CHECK(bconv_states_from_classic(&a, NULL, 0, 0, 0, s, 16, &need, &d) != 0);
	CHECK(bconv_states_from_classic(&a, bits, 1, 256, 1ULL << 20, s, 16, &need, &d) != 0);
	CHECK_CONTAINS(d.msg, "below one sector");
}

/* Lockless to classic: clean and clean-unwritten give clear bits, anything
 * unsynced a set bit, Unwritten too (the members never agreed there). */
static void test_bits_from_states(void)
{
	struct bconv_array a = array(1, SYNC_1G, SB1_MAX_SECTOR);
	uint64_t n = 16352, nbits = 16, set = 0;
	uint8_t *s = malloc(n), bits[2];
	struct diag d = { 0 };

	memset(s, LLB_CLEAN, n);
	s[5000] = LLB_DIRTY;                     /* classic chunk 4 (1024 per bit) */
	s[100] = LLB_UNWRITTEN;
	CHECK_EQ_U(bconv_bits_from_states(&a, s, n, 128, 64ULL << 20, bits, nbits, &set, &d), 0);
	CHECK_EQ_U(set, 2);
	CHECK_EQ_U(bits[0], 0x11);
	CHECK_EQ_U(bits[1], 0);
	s[100] = LLB_CLEAN_UNWRITTEN;            /* raid456 initialised by write-zeroes */
	CHECK_EQ_U(bconv_bits_from_states(&a, s, n, 128, 64ULL << 20, bits, nbits, &set, &d), 0);
	CHECK_EQ_U(set, 1);
	CHECK_EQ_U(bits[0], 0x10);
	s[100] = LLB_UNWRITTEN;
	/* a pending resync sets the bits from its point on */
	a.level = 1;
	a.resync_offset = 15 * 131072 + 5;
	CHECK_EQ_U(bconv_bits_from_states(&a, s, n, 128, 64ULL << 20, bits, nbits, &set, &d), 0);
	CHECK_EQ_U(set, 3);
	CHECK_EQ_U(bits[1], 0x80);
	/* too few bits for the range */
	CHECK(bconv_bits_from_states(&a, s, n, 128, 64ULL << 20, bits, 15, &set, &d) != 0);
	free(s);
}

/* Round trip: classic -> lockless -> classic keeps every dirty region. */
static void test_round_trip_keeps_dirty(void)
{
	struct bconv_array a = array(10, SYNC_1G * 2, SB1_MAX_SECTOR);
	uint64_t n = bconv_chunks(a.sync_sectors, 65536), nbits = bconv_chunks(a.sync_sectors, 1 << 20);
	uint8_t *s = malloc(n), *b = calloc(1, (size_t)(nbits + 7) / 8), *b2 = calloc(1, (size_t)(nbits + 7) / 8);
	uint64_t need, set;
	struct diag d = { 0 };

	for (uint64_t j = 0; j < nbits; j += 97)
		b[j / 8] |= (uint8_t)(1u << (j % 8));
	CHECK_EQ_U(bconv_states_from_classic(&a, b, nbits, 1 << 20, 128, s, n, &need, &d), 0);
	CHECK_EQ_U(bconv_bits_from_states(&a, s, n, 128, 1 << 20, b2, nbits, &set, &d), 0);
	CHECK(memcmp(b, b2, (size_t)(nbits + 7) / 8) == 0);
	CHECK_EQ_U(need, set * 16);              /* 16 lockless chunks per 1 MiB bit */
	free(s);
	free(b);
	free(b2);
}

static void test_resync_offsets(void)
{
	struct bconv_array a = array(1, SYNC_1G, SB1_MAX_SECTOR);
	uint8_t s[16352], bits[2] = { 0, 0 };

	memset(s, LLB_CLEAN, sizeof(s));
	CHECK_EQ_U(bconv_resync_offset_from_states(&a, s, 16352, 128), SB1_MAX_SECTOR);
	s[300] = LLB_NEED_SYNC;
	CHECK_EQ_U(bconv_resync_offset_from_states(&a, s, 16352, 128), 300 * 128);
	a.resync_offset = 1000;
	CHECK_EQ_U(bconv_resync_offset_from_states(&a, s, 16352, 128), 1000);
	a.resync_offset = SB1_MAX_SECTOR;
	s[300] = LLB_UNWRITTEN;
	CHECK_EQ_U(bconv_resync_offset_from_states(&a, s, 16352, 128), 300 * 128);
	a.level = 6;
	CHECK_EQ_U(bconv_resync_offset_from_states(&a, s, 16352, 128), 300 * 128);
	/* fewer states than the range: the rest is not vouched for */
	a.level = 1;
	s[300] = LLB_CLEAN;
	CHECK_EQ_U(bconv_resync_offset_from_states(&a, s, 100, 128), 100 * 128);

	CHECK_EQ_U(bconv_resync_offset_from_bits(&a, bits, 16, 64ULL << 20), SB1_MAX_SECTOR);
	bits[1] = 0x01;
	CHECK_EQ_U(bconv_resync_offset_from_bits(&a, bits, 16, 64ULL << 20), 8 * 131072);
}

static void test_superblocks(void)
{
	struct bconv_array a = array(1, SYNC_1G, SB1_MAX_SECTOR);
	struct bitmap_sb sb;
	struct diag d = { 0 };

	bconv_lockless_sb(&a, 128, 256, &sb);
	CHECK_EQ_U(sb.magic, BITMAP_MAGIC);
	CHECK_EQ_U(sb.version, 6);
	CHECK(!bitmap_first_use(&sb));
	CHECK_EQ_U(sb.events, 42);
	CHECK_EQ_U(sb.sync_size, SYNC_1G);
	CHECK_EQ_U(sb.chunksize, 128);
	CHECK_EQ_U(sb.sectors_reserved, 256);
	CHECK_EQ_U(sb.uuid[15], 0xaf);
	CHECK_EQ_U(bitmap_sb_validate(&sb, &d), 0);
	CHECK_EQ_U(bitmap_chunks(&sb), 16352);

	bconv_classic_sb(&a, 64ULL << 20, &sb);
	CHECK_EQ_U(sb.version, 4);
	CHECK_EQ_U(sb.chunksize, 64ULL << 20);
	CHECK_EQ_U(sb.events_cleared, 42);
	CHECK_EQ_U(bitmap_sb_validate(&sb, &d), 0);
	CHECK_EQ_U(bitmap_chunks(&sb), 16);
}

static struct sb1 member_sb(uint64_t super_offset, uint64_t data_offset, int32_t bblog)
{
	struct sb1 sb;

	memset(&sb, 0, sizeof(sb));
	sb.super_offset = super_offset;
	sb.data_offset = data_offset;
	sb.bblog_offset = bblog;
	sb.bblog_size = bblog ? 8 : 0;
	return sb;
}

static void test_placement(void)
{
	struct bconv_place p;
	struct diag d = { 0 };
	struct sb1 sb;

	/* mdadm 4.6's 1.2 layout: log at +8 lies inside the extent, moves */
	sb = member_sb(8, 2048, 8);
	CHECK_EQ_U(bconv_place_lockless(&sb, 2, &p, &d), 0);
	CHECK_EQ_U(p.bitmap_offset, 8);
	CHECK_EQ_U(p.extent, 264);
	CHECK_EQ_U(p.space, 256);
	CHECK(p.bblog_moves);
	CHECK_EQ_U(p.bblog_offset, 272);
	/* ours (log after the extent) or none: stays */
	sb = member_sb(8, 2048, 272);
	CHECK_EQ_U(bconv_place_lockless(&sb, 2, &p, &d), 0);
	CHECK(!p.bblog_moves);
	CHECK_EQ_U(p.bblog_offset, 272);
	sb = member_sb(0, 2048, 0);
	CHECK_EQ_U(bconv_place_lockless(&sb, 1, &p, &d), 0);
	CHECK(!p.bblog_moves);
	/* room for the bitmap but not for the moved log */
	sb = member_sb(8, 8 + 276, 8);
	CHECK(bconv_place_lockless(&sb, 2, &p, &d) != 0);
	CHECK_CONTAINS(d.msg, "bad-block log");
	/* no room at all */
	sb = member_sb(8, 8 + 200, 0);
	CHECK(bconv_place_lockless(&sb, 2, &p, &d) != 0);
	CHECK_CONTAINS(d.msg, "no room for the lockless bitmap");
	/* exactly the extent, no log */
	sb = member_sb(8, 8 + 272, 0);
	CHECK_EQ_U(bconv_place_lockless(&sb, 2, &p, &d), 0);
	/* 1.0 refused */
	sb = member_sb(2000000, 0, -8);
	CHECK(bconv_place_lockless(&sb, 0, &p, &d) != 0);
	CHECK_CONTAINS(d.msg, "1.1 or 1.2");
}

/* Growing the range with the chunk size kept: old states stay, the chunk
 * reaching past the old end and every new chunk need a sync. */
static void test_resize_same_chunk(void)
{
	uint8_t old[4] = { LLB_CLEAN, LLB_DIRTY, LLB_UNWRITTEN, LLB_CLEAN };
	uint8_t out[8];
	uint64_t need = 0;
	struct diag d = { 0 };

	/* old range ends inside chunk 3 (3.5 chunks of 128) */
	CHECK_EQ_U(bconv_resize_states(old, 4, 128, 448, 1024, 128, out, 8, &need, &d), 0);
	CHECK_EQ_U(out[0], LLB_CLEAN);
	CHECK_EQ_U(out[1], LLB_DIRTY);
	CHECK_EQ_U(out[2], LLB_UNWRITTEN);
	CHECK_EQ_U(out[3], LLB_NEED_SYNC);
	for (int i = 4; i < 8; i++)
		CHECK_EQ_U(out[i], LLB_NEED_SYNC);
	CHECK_EQ_U(need, 5);
	/* a shrink keeps the prefix as it is */
	CHECK_EQ_U(bconv_resize_states(old, 4, 128, 512, 256, 128, out, 2, &need, &d), 0);
	CHECK_EQ_U(out[0], LLB_CLEAN);
	CHECK_EQ_U(out[1], LLB_DIRTY);
	CHECK_EQ_U(need, 0);
}

/* A doubled chunk size merges pairs; a merged chunk vouches for no more
 * than both halves. */
static void test_resize_doubled_chunk(void)
{
	uint8_t old[8] = { LLB_CLEAN, LLB_CLEAN, LLB_CLEAN, LLB_DIRTY,
			   LLB_UNWRITTEN, LLB_CLEAN, LLB_UNWRITTEN, LLB_UNWRITTEN };
	uint8_t out[6];
	uint64_t need = 0;
	struct diag d = { 0 };

	CHECK_EQ_U(bconv_resize_states(old, 8, 128, 1024, 1536, 256, out, 6, &need, &d), 0);
	CHECK_EQ_U(out[0], LLB_CLEAN);
	CHECK_EQ_U(out[1], LLB_DIRTY);
	CHECK_EQ_U(out[2], LLB_NEED_SYNC);   /* written next to unwritten */
	CHECK_EQ_U(out[3], LLB_UNWRITTEN);
	CHECK_EQ_U(out[4], LLB_NEED_SYNC);   /* new space */
	CHECK_EQ_U(out[5], LLB_NEED_SYNC);
	CHECK_EQ_U(need, 3);
	/* refusals: not a power-of-two multiple, too few chunks */
	CHECK(bconv_resize_states(old, 8, 128, 1024, 1536, 384, out, 6, &need, &d) != 0);
	CHECK(bconv_resize_states(old, 8, 128, 1024, 1536, 64, out, 6, &need, &d) != 0);
	CHECK(bconv_resize_states(old, 8, 128, 1024, 1536, 256, out, 5, &need, &d) != 0);
	CHECK_CONTAINS(d.msg, "do not cover");
}

static void test_fitting_chunk(void)
{
	CHECK_EQ_U(bconv_fitting_chunk(128, 128 * 100, 100), 128);
	CHECK_EQ_U(bconv_fitting_chunk(128, 128 * 101, 100), 256);
	CHECK_EQ_U(bconv_fitting_chunk(128, 128 * 401, 100), 1024);
	CHECK_EQ_U(bconv_fitting_chunk(128, 1000, 0), 0);
	CHECK_EQ_U(bconv_fitting_chunk(0, 1000, 10), 0);
}

/* A classic bitmap added to a running array, placed as mdadm 4.6 places
 * it: 1 GiB members of its 1.2 layout (log at +16) get 64 MiB chunks,
 * 16 bits, one 4 KiB page at +8 (the VM reference of grow-switch-type). */
static void test_classic_placement(void)
{
	struct bconv_classic c;
	struct diag d = { 0 };
	struct sb1 sb;

	sb = member_sb(8, 2048, 16);
	CHECK_EQ_U(bconv_place_classic(&sb, 2, 1046528 * 2, 0, &c, &d), 0);
	CHECK_EQ_U(c.bitmap_offset, 8);
	CHECK_EQ_U(c.room, 8);
	CHECK_EQ_U(c.chunk_bytes, 64ULL << 20);
	CHECK_EQ_U(c.area_bytes, 4096);
	/* asked chunk: honoured when the bits fit the room */
	CHECK_EQ_U(bconv_place_classic(&sb, 2, 1046528 * 2, 1 << 20, &c, &d), 0);
	CHECK_EQ_U(c.chunk_bytes, 1 << 20);
	CHECK_EQ_U(c.area_bytes, 4096);
	CHECK(bconv_place_classic(&sb, 2, 1046528 * 2, 4096, &c, &d) != 0);
	CHECK_CONTAINS(d.msg, "too small");
	/* no log: up to 4 KiB before the data */
	sb = member_sb(0, 2048, 0);
	CHECK_EQ_U(bconv_place_classic(&sb, 1, 2000000, 0, &c, &d), 0);
	CHECK_EQ_U(c.room, 2048 - 16);
	/* a log right after the superblock leaves no room: refused */
	sb = member_sb(8, 2048, 8);
	CHECK(bconv_place_classic(&sb, 2, 2000000, 0, &c, &d) != 0);
	CHECK_CONTAINS(d.msg, "no room");
	/* room smaller than a page: the write stays inside it */
	sb = member_sb(8, 2048, 12);
	CHECK_EQ_U(bconv_place_classic(&sb, 2, 2000000, 0, &c, &d), 0);
	CHECK_EQ_U(c.area_bytes, 2048);
	/* 1.0: below the superblock, in front of the 4 KiB log */
	sb = member_sb(2097136, 0, -8);
	sb.data_size = 2097136 - 8 - 128;
	CHECK_EQ_U(bconv_place_classic(&sb, 0, sb.data_size, 0, &c, &d), 0);
	CHECK_EQ_U(c.bitmap_offset, -16);
	sb.data_size = 2097136 - 12;
	CHECK(bconv_place_classic(&sb, 0, sb.data_size, 0, &c, &d) != 0);
	CHECK_CONTAINS(d.msg, "no room");
}

/* Lockless -> classic in place: the bits stay within bytes 256-1023. */
static void test_in_place_area(void)
{
	struct bconv_array a = array(1, SYNC_1G, SB1_MAX_SECTOR);
	uint64_t n = 16352, chunk = 0, nbits = 0, set = 0;
	uint8_t *s = malloc(n), buf[BCONV_IN_PLACE_BYTES];
	struct bitmap_sb b;
	struct diag d = { 0 };

	CHECK_EQ_U(bconv_in_place_chunk(SYNC_1G, 0, &chunk, &d), 0);
	CHECK_EQ_U(chunk, 64ULL << 20);
	/* 1 MiB chunks: 1022 bits, fits; 64 KiB: 16352 bits, does not */
	CHECK_EQ_U(bconv_in_place_chunk(SYNC_1G, 1 << 20, &chunk, &d), 0);
	CHECK(bconv_in_place_chunk(SYNC_1G, 64 << 10, &chunk, &d) != 0);
	CHECK_CONTAINS(d.msg, "too small");
	/* 2 TiB members: the default grows until the bits fit */
	CHECK_EQ_U(bconv_in_place_chunk(2ULL << 31, 0, &chunk, &d), 0);
	CHECK_EQ_U(chunk, 512ULL << 20);
	memset(s, LLB_CLEAN, n);
	s[5] = LLB_DIRTY;          /* in classic chunk 0 (1024 lockless chunks each) */
	s[3000] = LLB_NEED_SYNC;   /* chunk 2 */
	s[16351] = LLB_SYNCING;    /* the last one, 15 */
	CHECK_EQ_U(bconv_classic_area_from_states(&a, s, n, 128, 64ULL << 20, buf, sizeof(buf),
						  &nbits, &set, &d), 0);
	CHECK_EQ_U(nbits, 16);
	CHECK_EQ_U(set, 3);
	CHECK_EQ_U(buf[256], 0x05);
	CHECK_EQ_U(buf[257], 0x80);
	CHECK_EQ_U(buf[258], 0);
	CHECK_EQ_U(buf[1023], 0);
	CHECK_EQ_U(bitmap_sb_decode(buf, sizeof(buf), &b, &d), 0);
	CHECK_EQ_U(b.version, 4);
	CHECK_EQ_U(b.events, 42);
	CHECK_EQ_U(b.chunksize, 64ULL << 20);
	CHECK_EQ_U(bitmap_sb_validate(&b, &d), 0);
	/* bits that do not fit are refused */
	CHECK(bconv_classic_area_from_states(&a, s, n, 128, 64 << 10, buf, sizeof(buf),
					     &nbits, &set, &d) != 0);
	free(s);
}

UNIT_MAIN("bitmap_convert",
	UNIT_CASE(test_resize_same_chunk),
	UNIT_CASE(test_resize_doubled_chunk),
	UNIT_CASE(test_fitting_chunk),
	UNIT_CASE(test_unsynced_states),
	UNIT_CASE(test_none_in_sync_all_clean),
	UNIT_CASE(test_pending_resync),
	UNIT_CASE(test_classic_dirty_bits),
	UNIT_CASE(test_states_refusals),
	UNIT_CASE(test_bits_from_states),
	UNIT_CASE(test_round_trip_keeps_dirty),
	UNIT_CASE(test_resync_offsets),
	UNIT_CASE(test_superblocks),
	UNIT_CASE(test_placement),
	UNIT_CASE(test_classic_placement),
	UNIT_CASE(test_in_place_area))
