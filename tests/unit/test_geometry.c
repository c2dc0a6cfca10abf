/* test_geometry.c - unit tests for the placement of a new array's metadata
 *
 * Expected numbers come from the md on-disk format and from what the real
 * kernel and mdadm 4.6 do (shared/vm/reference/SUMMARY.md: a 1 GiB RAID1
 * member has its data at sector 4096, sync_size 2093056 = 16352 chunks of
 * 64 KiB; the kernel may rewrite bitmap sectors +0..+263 with 256 sectors
 * reserved; mdadm 4.6 puts the bad-block log right after 8 sectors of
 * bitmap, so with the lockless bitmap's chunk states beyond chunk 3072 the
 * kernel overwrites it -- ours puts it after the whole extent). */
#include <stdint.h>

#include "geometry.h"
#include "llbitmap.h"
#include "tests/unit/unit.h"

#define GIB   2097152ULL          /* sectors */
#define MIB   2048ULL
#define TIB   (GIB * 1024)

static struct geometry_request req(int minor, enum bitmap_kind bitmap, int level,
				   unsigned disks, uint64_t member)
{
	struct geometry_request rq = {
		.minor = minor, .bitmap = bitmap, .level = level, .raid_disks = disks,
		.layout = level == 10 ? 0x102 : level == 5 || level == 6 ? 2 : 0,
		.chunk_sectors = level == 1 ? 0 : 1024,
		.smallest_member = member, .data_offset = GEOM_UNSET, .size = GEOM_UNSET,
		.classic_chunk_bytes = 0,
	};
	return rq;
}

static int plan(const struct geometry_request *rq, struct geometry *g, struct diag *d)
{
	d->msg[0] = '\0';
	memset(g, 0x5a, sizeof(*g));
	return geometry_plan(rq, g, d);
}

/* ---- 1.2 on a 1 GiB member ------------------------------------------------- */

static void test_v12_none(void)
{
	struct geometry_request rq = req(2, BITMAP_KIND_NONE, 1, 2, GIB);
	struct member_geometry mg;
	struct diag d;
	struct geometry g;

	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.data_offset, 4096);
	CHECK_EQ_U(g.bblog_offset, 16);          /* after 8 sectors of bitmap room */
	CHECK_EQ_U(g.bblog_size, 8);             /* 512 entries */
	CHECK_EQ_U(g.size, GIB - 4096);          /* 2093056, a multiple of 64 KiB */
	CHECK_EQ_U(g.llb_space, 0);
	CHECK(geometry_member(&rq, &g, GIB, &mg, &d) == 0);
	CHECK_EQ_U(mg.super_offset, 8);
	CHECK_EQ_U(mg.data_size, GIB - 4096);
}

static void test_v12_internal(void)
{
	struct geometry_request rq = req(2, BITMAP_KIND_CLASSIC, 1, 2, GIB);
	struct diag d;
	struct geometry g;

	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.data_offset, 4096);
	CHECK_EQ_U(g.bitmap_offset, 8);
	CHECK_EQ_U(g.bitmap_sectors, 8);          /* 256-byte header + 17 bits */
	CHECK_EQ_U(g.classic_chunk_bytes, 64ULL << 20);
	CHECK_EQ_U(g.bblog_offset, 16);
	CHECK_EQ_U(g.bblog_size, 8);
	CHECK_EQ_U(g.size, GIB - 4096);
	CHECK_EQ_U(g.bitmap_sync_size, GIB - 4096);
}

static void test_v12_lockless(void)
{
	struct geometry_request rq = req(2, BITMAP_KIND_LOCKLESS, 1, 2, GIB);
	struct member_geometry mg;
	struct diag d;
	struct geometry g;

	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.data_offset, 4096);
	CHECK_EQ_U(g.bitmap_offset, 8);
	CHECK_EQ_U(g.llb_space, 256);             /* sectors_reserved, as mdadm 4.6 */
	CHECK_EQ_U(g.bitmap_sectors, 264);        /* 1 KiB + 128 KiB -> whole pages */
	CHECK_EQ_U(g.bblog_offset, 8 + 264);      /* 272: past everything the kernel writes */
	CHECK_EQ_U(g.bblog_size, 8);
	CHECK_EQ_U(g.size, GIB - 4096);
	CHECK_EQ_U(g.bitmap_sync_size, GIB - 4096);
	CHECK_EQ_U(g.llb_chunk_sectors, 128);     /* 64 KiB */
	CHECK_EQ_U((g.bitmap_sync_size + g.llb_chunk_sectors - 1) / g.llb_chunk_sectors, 16352);
	/* the bad-block log starts after the last sector a full flush can write
	 * with the largest chunk count the reserved space allows */
	CHECK((uint64_t)g.bblog_offset * 512 >=
	      (uint64_t)g.bitmap_offset * 512 + LLBITMAP_DATA_OFFSET + llb_max_chunks(256));
	CHECK(geometry_member(&rq, &g, GIB, &mg, &d) == 0);
	CHECK_EQ_U(mg.super_offset, 8);
	CHECK(mg.super_offset + (uint64_t)g.bblog_offset + g.bblog_size <= g.data_offset);
}

static void test_v11_lockless(void)
{
	struct geometry_request rq = req(1, BITMAP_KIND_LOCKLESS, 1, 2, GIB);
	struct member_geometry mg;
	struct diag d;
	struct geometry g;

	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.bitmap_offset, 8);
	CHECK_EQ_U(g.bblog_offset, 272);
	CHECK_EQ_U(g.data_offset, 4096);
	CHECK(geometry_member(&rq, &g, GIB, &mg, &d) == 0);
	CHECK_EQ_U(mg.super_offset, 0);
	CHECK_EQ_U(mg.data_size, GIB - 4096);
}

/* ---- --data-offset ---------------------------------------------------------- */

static void test_data_offset_lockless(void)
{
	struct geometry_request rq = req(2, BITMAP_KIND_LOCKLESS, 1, 2, GIB);
	struct diag d;
	struct geometry g;

	/* 1.2: superblock 8 + bitmap 264 + bad-block log 8 after sector 8 */
	rq.data_offset = 288;
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.data_offset, 288);
	CHECK_EQ_U(g.bblog_offset, 272);
	CHECK_EQ_U(g.size, (GIB - 288) / 128 * 128);

	rq.data_offset = 287;
	CHECK(plan(&rq, &g, &d) == -1);
	CHECK_CONTAINS(d.msg, "lockless");
	CHECK_CONTAINS(d.msg, "at least 288");

	rq.data_offset = 200;         /* enough for a classic bitmap, not for this */
	CHECK(plan(&rq, &g, &d) == -1);
	CHECK_CONTAINS(d.msg, "no room for the lockless bitmap");

	rq.data_offset = 16;
	CHECK(plan(&rq, &g, &d) == -1);
}

static void test_data_offset_classic_and_none(void)
{
	struct geometry_request rq = req(2, BITMAP_KIND_NONE, 1, 2, GIB);
	struct diag d;
	struct geometry g;

	rq.data_offset = 2048;
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.data_offset, 2048);
	CHECK_EQ_U(g.bblog_offset, 16);
	CHECK_EQ_U(g.size, GIB - 2048);

	/* room for the superblock but not the bad-block log: no log */
	rq.data_offset = 24;
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.bblog_offset, 0);
	CHECK_EQ_U(g.bblog_size, 0);

	rq.data_offset = 8;                      /* the superblock itself is at 8 */
	CHECK(plan(&rq, &g, &d) == -1);
	CHECK_CONTAINS(d.msg, "no room for the metadata");

	rq.bitmap = BITMAP_KIND_CLASSIC;
	rq.data_offset = 24;                     /* sb 8..15, bitmap 16..23: fits, no log */
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.bblog_size, 0);
	rq.data_offset = 23;
	CHECK(plan(&rq, &g, &d) == -1);
	CHECK_CONTAINS(d.msg, "at least 24");
}

/* ---- 1.0: everything at the end ------------------------------------------------- */

static void test_v10_classic(void)
{
	struct geometry_request rq = req(0, BITMAP_KIND_CLASSIC, 1, 2, GIB);
	struct member_geometry mg;
	struct diag d;
	struct geometry g;

	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.data_offset, 0);
	CHECK(g.bitmap_offset == -16);           /* 8 sectors of bitmap before the log */
	CHECK(g.bblog_offset == -8);
	CHECK_EQ_U(g.bblog_size, 8);
	CHECK_EQ_U(g.bitmap_sectors, 8);
	CHECK(geometry_member(&rq, &g, GIB, &mg, &d) == 0);
	CHECK_EQ_U(mg.super_offset, GIB - 16);   /* (size - 16) & ~7 */
	CHECK_EQ_U(mg.data_size, GIB - 32);
	CHECK_EQ_U(g.size, (GIB - 32) / 128 * 128);
	/* bitmap and log lie between the data and the superblock */
	CHECK(g.data_offset + g.size <= mg.super_offset - 16);

	/* an odd member size: superblock rounded down to 4 KiB */
	rq.smallest_member = GIB + 13;
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK(geometry_member(&rq, &g, GIB + 13, &mg, &d) == 0);
	CHECK_EQ_U(mg.super_offset, GIB - 8);
	CHECK_EQ_U(mg.data_size, GIB - 24);
}

static void test_v10_none_and_bigger_member(void)
{
	struct geometry_request rq = req(0, BITMAP_KIND_NONE, 1, 2, GIB);
	struct member_geometry mg;
	struct diag d;
	struct geometry g;

	CHECK(plan(&rq, &g, &d) == 0);
	CHECK(g.bblog_offset == -8);
	CHECK(geometry_member(&rq, &g, GIB, &mg, &d) == 0);
	CHECK_EQ_U(mg.data_size, GIB - 32);
	/* a larger member keeps its superblock at its own end */
	CHECK(geometry_member(&rq, &g, 2 * GIB, &mg, &d) == 0);
	CHECK_EQ_U(mg.super_offset, 2 * GIB - 16);
	CHECK_EQ_U(mg.data_size, 2 * GIB - 32);
	/* a smaller one than planned is refused */
	CHECK(geometry_member(&rq, &g, GIB - 4096, &mg, &d) == -1);
	CHECK_CONTAINS(d.msg, "too small");
}

static void test_v10_lockless_refused(void)
{
	struct geometry_request rq = req(0, BITMAP_KIND_LOCKLESS, 1, 2, GIB);
	struct diag d;
	struct geometry g;

	CHECK(plan(&rq, &g, &d) == -1);
	CHECK_CONTAINS(d.msg, "1.1 or 1.2");
}

/* ---- --size ---------------------------------------------------------------------- */

static void test_size(void)
{
	struct geometry_request rq = req(2, BITMAP_KIND_LOCKLESS, 1, 2, GIB);
	struct diag d;
	struct geometry g;

	rq.size = GIB - 4096;                    /* exactly the maximum */
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.size, GIB - 4096);

	rq.size = GIB - 4096 + 128;
	CHECK(plan(&rq, &g, &d) == -1);
	CHECK_CONTAINS(d.msg, "does not fit");
	CHECK_CONTAINS(d.msg, "at most 1046528 KiB");

	rq.size = 65536;                         /* 32 MiB: the bitmap follows */
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.size, 65536);
	CHECK_EQ_U(g.bitmap_sync_size, 65536);
	CHECK_EQ_U(g.llb_chunk_sectors, 128);
	CHECK_EQ_U(g.data_offset, 4096);         /* placement does not shrink */

	rq.size = 1000;                          /* rounded down to 64 KiB */
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.size, 896);

	rq.size = 100;
	CHECK(plan(&rq, &g, &d) == -1);
	CHECK_CONTAINS(d.msg, "smaller than one chunk");
}

static void test_too_small(void)
{
	struct geometry_request rq = req(2, BITMAP_KIND_NONE, 1, 2, 2048);   /* 1 MiB */
	struct diag d;
	struct geometry g;

	CHECK(plan(&rq, &g, &d) == -1);
	CHECK_CONTAINS(d.msg, "too small");
	rq.smallest_member = 32;
	CHECK(plan(&rq, &g, &d) == -1);
	CHECK_CONTAINS(d.msg, "too small");
	/* 2 MiB: a 1 MiB data offset and 1 MiB of data */
	rq.smallest_member = 4096;
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.data_offset, 2048);
	CHECK_EQ_U(g.size, 2048);
	rq.bitmap = BITMAP_KIND_LOCKLESS;
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK(g.data_offset >= 8 + 272 + 8);
	CHECK_EQ_U(g.llb_chunk_sectors, 128);
	/* 1.0 on 64 sectors: no room for data after the tail */
	rq = req(0, BITMAP_KIND_NONE, 1, 2, 64);
	CHECK(plan(&rq, &g, &d) == -1);
}

static void test_bitmap_needs_redundancy(void)
{
	struct geometry_request rq = req(2, BITMAP_KIND_LOCKLESS, 0, 2, GIB);
	struct diag d;
	struct geometry g;

	CHECK(plan(&rq, &g, &d) == -1);
	CHECK_CONTAINS(d.msg, "not meaningful");
	rq.level = -1;
	rq.bitmap = BITMAP_KIND_CLASSIC;
	CHECK(plan(&rq, &g, &d) == -1);
	rq.bitmap = BITMAP_KIND_NONE;
	CHECK(plan(&rq, &g, &d) == 0);
}

/* raid0 and linear cannot have a bitmap: mdadm 4.6 reserves no bitmap room
 * for them, so the bad-block log follows the superblock directly */
static void test_no_bitmap_room_without_redundancy(void)
{
	struct geometry_request rq = req(2, BITMAP_KIND_NONE, 0, 2, GIB);
	struct member_geometry mg;
	struct diag d;
	struct geometry g;

	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.bblog_offset, 8);
	CHECK_EQ_U(g.bblog_size, 8);
	CHECK_EQ_U(g.data_offset, 4096);
	rq.level = -1;
	rq.chunk_sectors = 0;
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.bblog_offset, 8);
	CHECK_EQ_U(g.data_offset, 4096);
	/* 1.0: only the log between data and superblock */
	rq.minor = 0;
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK(g.bblog_offset == -8);
	CHECK(geometry_member(&rq, &g, GIB, &mg, &d) == 0);
	CHECK_EQ_U(mg.super_offset, GIB - 16);
	CHECK_EQ_U(mg.data_size, GIB - 24);
	/* raid1 keeps its 8 sectors of room for a bitmap added later */
	rq.level = 1;
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK(geometry_member(&rq, &g, GIB, &mg, &d) == 0);
	CHECK_EQ_U(mg.data_size, GIB - 32);
}

/* ---- levels: array size and chunk rounding ------------------------------------------ */

static void test_raid5_size_and_rounding(void)
{
	struct geometry_request rq = req(2, BITMAP_KIND_LOCKLESS, 5, 3, GIB + 700);
	struct member_geometry mg;
	struct diag d;
	struct geometry g;

	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.data_offset, 4096);
	/* GIB + 700 - 4096 = 2093756, down to a whole 512 KiB chunk */
	CHECK_EQ_U(g.size, 2093056);
	CHECK_EQ_U(g.size % 1024, 0);
	CHECK_EQ_U(g.bitmap_sync_size, g.size);   /* raid4/5/6: per member */
	CHECK(geometry_member(&rq, &g, GIB + 700, &mg, &d) == 0);
	CHECK_EQ_U(mg.data_size, GIB + 700 - 4096);   /* the device keeps the rest */
	CHECK_EQ_U(geometry_array_sectors(5, 3, 2, 1024, g.size), 2 * 2093056ULL);
	CHECK_EQ_U(geometry_array_sectors(4, 3, 5, 1024, g.size), 2 * 2093056ULL);
	CHECK_EQ_U(geometry_array_sectors(6, 4, 2, 1024, g.size), 2 * 2093056ULL);
	CHECK_EQ_U(geometry_array_sectors(6, 5, 2, 1024, g.size), 3 * 2093056ULL);
	CHECK_EQ_U(geometry_array_sectors(5, 1, 2, 1024, g.size), 0);
	CHECK_EQ_U(geometry_array_sectors(6, 2, 2, 1024, g.size), 0);

	rq.chunk_sectors = 128;                  /* a 64 KiB chunk: 64 KiB rounding */
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.size, 2093696);
}

static void test_raid10_size(void)
{
	struct geometry_request rq = req(2, BITMAP_KIND_LOCKLESS, 10, 4, GIB);
	struct diag d;
	struct geometry g;

	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.size, 2093056);
	/* raid10: the bitmap covers the array, not a member */
	CHECK_EQ_U(g.bitmap_sync_size, 2 * 2093056ULL);
	CHECK_EQ_U(g.llb_chunk_sectors, 128);     /* 32704 chunks, as in the reference */
	CHECK_EQ_U((g.bitmap_sync_size + 127) / 128, 32704);

	/* whole chunks only, like the kernel: 3 devices n2, 2045 chunks each
	 * -> 3067 (not 3067.5) chunks; f2 on 2 devices, 2045 chunks each
	 * -> 1022 per copy area -> 2044 chunks */
	CHECK_EQ_U(geometry_array_sectors(10, 3, 0x102, 1024, 2045 * 1024ULL), 3067 * 1024ULL);
	CHECK_EQ_U(geometry_array_sectors(10, 2, 0x201, 1024, 2045 * 1024ULL), 2044 * 1024ULL);
	CHECK_EQ_U(geometry_array_sectors(10, 2, 0x10201, 1024, 2045 * 1024ULL), 2044 * 1024ULL);
	CHECK_EQ_U(geometry_array_sectors(10, 4, 0x102, 1024, 2044 * 1024ULL), 4088 * 1024ULL);
	CHECK_EQ_U(geometry_array_sectors(10, 3, 0x103, 1024, 2044 * 1024ULL), 2044 * 1024ULL);
	CHECK_EQ_U(geometry_array_sectors(10, 4, 0, 1024, 2044 * 1024ULL), 0);
}

static void test_raid0_linear_raid1_size(void)
{
	CHECK_EQ_U(geometry_array_sectors(0, 3, 1, 1024, 2048), 3 * 2048);
	CHECK_EQ_U(geometry_array_sectors(-1, 2, 0, 0, 4096), 8192);
	CHECK_EQ_U(geometry_array_sectors(1, 5, 0, 0, 4096), 4096);
	CHECK_EQ_U(geometry_array_sectors(7, 5, 0, 0, 4096), 0);
}

/* ---- the lockless chunk size for big members ----------------------------------------- */

static void test_llb_chunk_big_members(void)
{
	struct geometry_request rq = req(2, BITMAP_KIND_LOCKLESS, 1, 2, TIB);
	struct diag d;
	struct geometry g;

	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.llb_chunk_sectors, 16384);   /* 8 MiB */
	CHECK((g.bitmap_sync_size + 16383) / 16384 <= 131072);
	CHECK_EQ_U(g.data_offset, 264192);        /* 128 MiB headroom + metadata, MiB-aligned */
	CHECK_EQ_U(g.bblog_offset, 272);

	rq.smallest_member = 4 * TIB;
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.llb_chunk_sectors, 65536);   /* 32 MiB */

	/* the chunk depends on the sync range: --size=1T on bigger members */
	rq.size = TIB - 2 * 1024 * MIB;
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.llb_chunk_sectors, 16384);

	/* raid10 n2 on four 1 TiB members: 2 TiB of array to cover */
	rq = req(2, BITMAP_KIND_LOCKLESS, 10, 4, TIB);
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.llb_chunk_sectors, 32768);
}

static void test_classic_chunk(void)
{
	struct geometry_request rq = req(2, BITMAP_KIND_CLASSIC, 1, 2, GIB);
	struct diag d;
	struct geometry g;

	rq.classic_chunk_bytes = 1 << 20;        /* --bitmap-chunk=1M: 1022 bits fit 8 sectors */
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.classic_chunk_bytes, 1 << 20);
	CHECK_EQ_U(g.bitmap_sectors, 8);
	rq.classic_chunk_bytes = 4096;           /* 261632 bits: far more than 8 sectors hold */
	CHECK(plan(&rq, &g, &d) == -1);
	CHECK_CONTAINS(d.msg, "too small");
}

/* ---- 0.90 ------------------------------------------------------------------ */

/* The peer's 0.90 RAID1 on two 320 MiB members (tests/fixtures/images-090):
 * Used Dev Size 327616 KiB, superblock at the start of the last 64 KiB,
 * a classic bitmap of 64 MiB chunks right after the superblock's 4 KiB. */
static void test_v090_raid1(void)
{
	struct geometry_request rq = req(GEOM_METADATA_090, BITMAP_KIND_CLASSIC, 1, 2, 655360);
	struct member_geometry mg;
	struct geometry g;
	struct diag d;

	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.data_offset, 0);
	CHECK_EQ_U(g.size, 655232);
	CHECK_EQ_U(g.bitmap_offset, 8);
	CHECK_EQ_U(g.classic_chunk_bytes, 64ull << 20);
	CHECK(geometry_member(&rq, &g, 655360 + 100, &mg, &d) == 0);
	CHECK_EQ_U(mg.super_offset, 655232);   /* 64 KiB aligned */
	CHECK_EQ_U(mg.data_size, 655232);
	/* raid5: whole chunks of the room before the superblock */
	rq = req(GEOM_METADATA_090, BITMAP_KIND_NONE, 5, 3, 655360 + 127);
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.size, 654336);
}

static void test_v090_refusals(void)
{
	struct geometry_request rq = req(GEOM_METADATA_090, BITMAP_KIND_LOCKLESS, 1, 2, GIB);
	struct geometry g;
	struct diag d;

	CHECK(plan(&rq, &g, &d) != 0);
	CHECK_CONTAINS(d.msg, "cannot run with 0.90");
	rq = req(GEOM_METADATA_090, BITMAP_KIND_NONE, 1, 2, GIB);
	rq.data_offset = 2048;
	CHECK(plan(&rq, &g, &d) != 0);
	CHECK_CONTAINS(d.msg, "no data offset");
	/* the size field is KiB in 32 bits: levels with redundancy stop at
	 * 4 TiB per member unless --size asks for less; raid0 has no limit */
	rq = req(GEOM_METADATA_090, BITMAP_KIND_NONE, 1, 2, 5 * TIB);
	CHECK(plan(&rq, &g, &d) != 0);
	CHECK_CONTAINS(d.msg, "at most 4294967295 KiB");
	rq.size = 2 * TIB;
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.size, 2 * TIB);
	rq = req(GEOM_METADATA_090, BITMAP_KIND_NONE, 0, 2, 5 * TIB);
	CHECK(plan(&rq, &g, &d) == 0);
	rq = req(GEOM_METADATA_090, BITMAP_KIND_NONE, 1, 2, 4 * TIB + 128);
	CHECK(plan(&rq, &g, &d) != 0);
	rq = req(GEOM_METADATA_090, BITMAP_KIND_NONE, 1, 2, 4 * TIB);
	CHECK(plan(&rq, &g, &d) == 0);
	CHECK_EQ_U(g.size, 4 * TIB - 128);
}

UNIT_MAIN("geometry",
	UNIT_CASE(test_v12_none),
	UNIT_CASE(test_v12_internal),
	UNIT_CASE(test_v12_lockless),
	UNIT_CASE(test_v11_lockless),
	UNIT_CASE(test_data_offset_lockless),
	UNIT_CASE(test_data_offset_classic_and_none),
	UNIT_CASE(test_v10_classic),
	UNIT_CASE(test_v10_none_and_bigger_member),
	UNIT_CASE(test_v10_lockless_refused),
	UNIT_CASE(test_size),
	UNIT_CASE(test_too_small),
	UNIT_CASE(test_bitmap_needs_redundancy),
	UNIT_CASE(test_no_bitmap_room_without_redundancy),
	UNIT_CASE(test_raid5_size_and_rounding),
	UNIT_CASE(test_raid10_size),
	UNIT_CASE(test_raid0_linear_raid1_size),
	UNIT_CASE(test_llb_chunk_big_members),
	UNIT_CASE(test_classic_chunk),
	UNIT_CASE(test_v090_raid1),
	UNIT_CASE(test_v090_refusals))
