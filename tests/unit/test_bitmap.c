/* test_bitmap.c - unit tests for the bitmap superblock codec (bitmap.c)
 *
 * Golden inputs are the hexdumps in shared/vm/reference/ transcripts (member
 * offset 8192 = the bitmap area of a 1.2 member with bitmap_offset 8),
 * copied here verbatim as xxd text and expanded by xxd_expand(). */
#include <stdint.h>

#include "bitmap.h"
#include "endian.h"
#include "llbitmap.h"
#include "tests/unit/unit.h"

#define AREA_BASE 0x2000u   /* bitmap area offset on the member */

#include "xxd.h"

/* ---- golden dumps ------------------------------------------------------ */

/* raid1-lockless.txt, right after create: kernel-initialised v6 sb */
static const char dump_v6_kernel[] =
"00002000: 6269 746d 0600 0000 8817 8bba bb3e db61  bitm.........>.a\n"
"00002010: b346 c944 f77b b357 0300 0000 0000 0000  .F.D.{.W........\n"
"00002020: 0000 0000 0000 0000 00f0 1f00 0000 0000  ................\n"
"00002030: 0000 0000 8000 0000 1e00 0000 0000 0000  ................\n"
"00002040: 0001 0000 0000 0000 0000 0000 0000 0000  ................\n"
"00002050: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00002100: ffff ffff ffff ffff ffff ffff ffff ffff  ................\n";

/* raid1-lockless-assume-clean.txt, first dump: as mdadm 4.6 wrote it */
static const char dump_v6_first_use[] =
"00002000: 6269 746d 0600 0000 fd19 e874 4ad1 d8b2  bitm.......tJ...\n"
"00002010: 9bf7 27b3 385b d71b 0000 0000 0000 0000  ..'.8[..........\n"
"00002020: 0000 0000 0000 0000 00f0 1f00 0000 0000  ................\n"
"00002030: 1800 0000 0000 0004 0500 0000 0000 0000  ................\n"
"00002040: 0001 0000 0000 0000 0000 0000 0000 0000  ................\n"
"00002050: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00002100: ffff ffff ffff ffff ffff ffff ffff ffff  ................\n";

/* raid1-internal.txt, right after create: classic v4 sb */
static const char dump_v4_create[] =
"00002000: 6269 746d 0400 0000 610a 1931 8fe8 1f94  bitm....a..1....\n"
"00002010: f1d1 a808 523f 3107 0300 0000 0000 0000  ....R?1.........\n"
"00002020: 0000 0000 0000 0000 00f0 1f00 0000 0000  ................\n"
"00002030: 0000 0000 0000 0004 0500 0000 0000 0000  ................\n"
"00002040: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00002100: ffff ffff ffff ffff ffff ffff ffff ffff  ................\n";

/* raid1-internal.txt, after stop: events 0x14, events_cleared 0x13 */
static const char dump_v4_stopped[] =
"00002000: 6269 746d 0400 0000 610a 1931 8fe8 1f94  bitm....a..1....\n"
"00002010: f1d1 a808 523f 3107 1400 0000 0000 0000  ....R?1.........\n"
"00002020: 1300 0000 0000 0000 00f0 1f00 0000 0000  ................\n"
"00002030: 0000 0000 0000 0004 0500 0000 0000 0000  ................\n"
"00002040: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00002100: 0000 ffff ffff ffff ffff ffff ffff ffff  ................\n";

/* raid10-lockless.txt, after create: sync_size is the array size */
static const char dump_v6_raid10[] =
"00002000: 6269 746d 0600 0000 883a 68be 042f b5a2  bitm.....:h../..\n"
"00002010: 2006 5a5f 99f1 8638 0200 0000 0000 0000   .Z_...8........\n"
"00002020: 0000 0000 0000 0000 00e0 3f00 0000 0000  ..........?.....\n"
"00002030: 0000 0000 8000 0000 1e00 0000 0000 0000  ................\n"
"00002040: 0001 0000 0000 0000 0000 0000 0000 0000  ................\n"
"00002050: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
"*\n"
"00002100: ffff ffff ffff ffff ffff ffff ffff ffff  ................\n";

/* raid1-lockless-4k-disks.txt after the 64 MiB write: the kernel "infected"
 * every zero byte of the first KiB with 0x02 (version now 0x02020206) */
static const char dump_v6_infected[] =
"00002000: 6269 746d 0602 0202 087c 53ca c338 b9ee  bitm.....|S..8..\n"
"00002010: 6abc 7ee8 4243 c979 0402 0202 0202 0202  j.~.BC.y........\n"
"00002020: 0202 0202 0202 0202 02f0 1f02 0202 0202  ................\n"
"00002030: 0202 0202 8002 0202 1e02 0202 0202 0202  ................\n"
"00002040: 0202 0202 0202 0202 0202 0202 0202 0202  ................\n"
"*\n"
"00002100: ffff ffff ffff ffff ffff ffff ffff ffff  ................\n";

static const uint8_t uuid_raid1[16] = {
	0x88, 0x17, 0x8b, 0xba, 0xbb, 0x3e, 0xdb, 0x61,
	0xb3, 0x46, 0xc9, 0x44, 0xf7, 0x7b, 0xb3, 0x57,
};

/* Expand a golden dump and decode its superblock; returns 0 on success. */
static int load_sb(const char *dump, uint8_t raw[272], struct bitmap_sb *sb)
{
	struct diag d = { 0 };

	memset(raw, 0, 272);
	if (xxd_expand(dump, AREA_BASE, raw, 272) != 272)
		return -1;
	return bitmap_sb_decode(raw, 272, sb, &d);
}

/* A valid kernel-initialised v6 header built by hand (1 GiB raid1). */
static void make_v6(struct bitmap_sb *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->magic = BITMAP_MAGIC;
	sb->version = BITMAP_MAJOR_LOCKLESS;
	sb->sync_size = 2093056;
	sb->chunksize = 128;
	sb->daemon_sleep = 30;
	sb->sectors_reserved = 256;
}

static void make_v4(struct bitmap_sb *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->magic = BITMAP_MAGIC;
	sb->version = BITMAP_MAJOR_HI;
	sb->sync_size = 2093056;
	sb->chunksize = 64u << 20;
	sb->daemon_sleep = 5;
}

/* ---- tests ------------------------------------------------------------- */

static void test_xxd_helper(void)
{
	uint8_t raw[272];

	/* the helper itself: repeat fill and the final line land correctly */
	memset(raw, 0xaa, sizeof(raw));
	CHECK_EQ_U(xxd_expand(dump_v6_kernel, AREA_BASE, raw, sizeof(raw)), 272);
	CHECK_EQ_U(raw[0x60], 0);
	CHECK_EQ_U(raw[0xff], 0);
	CHECK_EQ_U(raw[0x100], 0xff);
	CHECK_EQ_U(raw[0x10f], 0xff);
	CHECK_EQ_U(xxd_expand("garbage\n", AREA_BASE, raw, sizeof(raw)), 0);
}

static void test_decode_v6_kernel(void)
{
	uint8_t raw[272];
	struct bitmap_sb sb;
	struct diag d = { 0 };
	char text[64];

	CHECK(load_sb(dump_v6_kernel, raw, &sb) == 0);
	CHECK_EQ_U(sb.magic, BITMAP_MAGIC);
	CHECK_EQ_U(sb.version, 6);
	CHECK(memcmp(sb.uuid, uuid_raid1, 16) == 0);
	CHECK_EQ_U(sb.events, 3);
	CHECK_EQ_U(sb.events_cleared, 0);
	CHECK_EQ_U(sb.sync_size, 0x1ff000);
	CHECK_EQ_U(sb.sync_size, 2093056);
	CHECK_EQ_U(sb.state, 0);
	CHECK_EQ_U(sb.chunksize, 0x80);
	CHECK_EQ_U(sb.daemon_sleep, 0x1e);
	CHECK_EQ_U(sb.write_behind, 0);
	CHECK_EQ_U(sb.sectors_reserved, 0x100);
	CHECK_EQ_U(sb.nodes, 0);
	CHECK(bitmap_version_known(sb.version));
	CHECK(bitmap_is_lockless(&sb));
	CHECK(!bitmap_first_use(&sb));
	CHECK_EQ_U(bitmap_chunk_bytes(&sb), 65536);
	/* matches md/llbitmap/metadata "chunks 16352" */
	CHECK_EQ_U(bitmap_chunks(&sb), 16352);
	CHECK_EQ_U(bitmap_space_sectors(&sb), 256);
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
	bitmap_state_text(sb.state, text, sizeof(text));
	CHECK_EQ_S(text, "none");
}

static void test_decode_v6_first_use(void)
{
	uint8_t raw[272];
	struct bitmap_sb sb;
	struct diag d = { 0 };
	char text[64];

	CHECK(load_sb(dump_v6_first_use, raw, &sb) == 0);
	CHECK_EQ_U(sb.version, 6);
	CHECK_EQ_U(sb.uuid[0], 0xfd);
	CHECK_EQ_U(sb.uuid[15], 0x1b);
	CHECK_EQ_U(sb.events, 0);
	CHECK_EQ_U(sb.sync_size, 2093056);
	CHECK_EQ_U(sb.state, 0x18);
	CHECK_EQ_U(sb.chunksize, 0x04000000);
	CHECK_EQ_U(sb.daemon_sleep, 5);
	CHECK_EQ_U(sb.sectors_reserved, 256);
	CHECK(bitmap_is_lockless(&sb));
	CHECK(bitmap_first_use(&sb));
	/* the chunksize field is a placeholder: no chunk size, no chunks */
	CHECK_EQ_U(bitmap_chunk_bytes(&sb), 0);
	CHECK_EQ_U(bitmap_chunks(&sb), 0);
	CHECK_EQ_U(bitmap_space_sectors(&sb), 256);
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
	bitmap_state_text(sb.state, text, sizeof(text));
	CHECK_EQ_S(text, "first-use,clean");

	/* first use passes even with numbers that would otherwise fail */
	sb.chunksize = 3;
	sb.daemon_sleep = 0;
	sb.sync_size = UINT64_MAX;
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
	/* FIRST_USE means nothing to a classic header */
	sb.version = 4;
	CHECK(!bitmap_first_use(&sb));
	CHECK_EQ_U(bitmap_chunk_bytes(&sb), 3);
}

static void test_decode_v4_classic(void)
{
	uint8_t raw[272];
	struct bitmap_sb sb;
	struct diag d = { 0 };

	CHECK(load_sb(dump_v4_create, raw, &sb) == 0);
	CHECK_EQ_U(sb.version, 4);
	CHECK_EQ_U(sb.uuid[0], 0x61);
	CHECK_EQ_U(sb.uuid[15], 0x07);
	CHECK_EQ_U(sb.events, 3);
	CHECK_EQ_U(sb.sync_size, 2093056);
	CHECK_EQ_U(sb.chunksize, 64u << 20);
	CHECK_EQ_U(sb.daemon_sleep, 5);
	CHECK_EQ_U(sb.sectors_reserved, 0);
	CHECK(!bitmap_is_lockless(&sb));
	CHECK(!bitmap_first_use(&sb));
	CHECK_EQ_U(bitmap_chunk_bytes(&sb), 67108864);
	/* mdadm -X: "Bitmap : 16 bits (chunks)" */
	CHECK_EQ_U(bitmap_chunks(&sb), 16);
	/* classic: no default space */
	CHECK_EQ_U(bitmap_space_sectors(&sb), 0);
	CHECK(bitmap_sb_validate(&sb, &d) == 0);

	CHECK(load_sb(dump_v4_stopped, raw, &sb) == 0);
	CHECK_EQ_U(sb.events, 0x14);
	CHECK_EQ_U(sb.events_cleared, 0x13);
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
}

static void test_decode_v6_raid10(void)
{
	uint8_t raw[272];
	struct bitmap_sb sb;
	struct diag d = { 0 };

	CHECK(load_sb(dump_v6_raid10, raw, &sb) == 0);
	CHECK_EQ_U(sb.events, 2);
	CHECK_EQ_U(sb.sync_size, 4186112);
	/* md/llbitmap/metadata on raid10: "chunks 32704" */
	CHECK_EQ_U(bitmap_chunks(&sb), 32704);
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
}

static void test_decode_infected(void)
{
	uint8_t raw[272];
	struct bitmap_sb sb;
	struct diag d = { 0 };

	/* magic survives, the version does not: decode accepts, validate says
	 * what the kernel said ("unknown bitmap version 33686022") */
	CHECK(load_sb(dump_v6_infected, raw, &sb) == 0);
	CHECK_EQ_U(sb.version, 0x02020206);
	CHECK_EQ_U(sb.version, 33686022);
	CHECK_EQ_U(sb.uuid[0], 0x08);            /* non-zero bytes survive */
	CHECK_EQ_U(sb.events, 0x0202020202020204ull);
	CHECK_EQ_U(sb.sync_size, 0x02020202021ff002ull);
	CHECK_EQ_U(sb.state, 0x02020202);
	CHECK_EQ_U(sb.chunksize, 0x02020280);
	CHECK_EQ_U(sb.daemon_sleep, 0x0202021e);
	CHECK(!bitmap_version_known(sb.version));
	CHECK(!bitmap_is_lockless(&sb));
	CHECK_EQ_U(bitmap_chunk_bytes(&sb), 0);
	CHECK_EQ_U(bitmap_chunks(&sb), 0);
	CHECK(bitmap_sb_validate(&sb, &d) == -1);
	CHECK_EQ_S(d.msg, "unknown bitmap version 33686022");
}

static void test_round_trip_golden(void)
{
	const char *dumps[] = { dump_v6_kernel, dump_v6_first_use,
				dump_v4_create, dump_v4_stopped, dump_v6_raid10 };
	struct diag d = { 0 };

	for (size_t i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		uint8_t raw[272], out[300];
		struct bitmap_sb sb;

		memset(out, 0x5a, sizeof(out));
		CHECK(load_sb(dumps[i], raw, &sb) == 0);
		CHECK(bitmap_sb_encode(&sb, out, sizeof(out), &d) == 0);
		CHECK(memcmp(out, raw, BITMAP_SB_SIZE) == 0);
		/* nothing written past the 256 bytes */
		CHECK_EQ_U(out[BITMAP_SB_SIZE], 0x5a);
		CHECK_EQ_U(out[sizeof(out) - 1], 0x5a);
	}
}

static void test_round_trip_all_fields(void)
{
	struct bitmap_sb in, back;
	struct diag d = { 0 };
	uint8_t buf[256];

	memset(&in, 0, sizeof(in));
	in.magic = BITMAP_MAGIC;
	in.version = 5;
	for (int i = 0; i < 16; i++)
		in.uuid[i] = (uint8_t)(0xa0 + i);
	in.events = 0x0102030405060708ull;
	in.events_cleared = 0x1112131415161718ull;
	in.sync_size = 0xfedcba9876543210ull;
	in.state = 0x80000021u;
	in.chunksize = 0x00010000u;
	in.daemon_sleep = 0x11223344u;
	in.write_behind = 0x55667788u;
	in.sectors_reserved = 0x99aabbccu;
	in.nodes = 0xddeeff00u;
	memcpy(in.cluster_name, "cluster-of-four", 15);
	in.cluster_name[63] = 0x7f;
	in.pad[0] = 1;
	in.pad[119] = 0xee;

	CHECK(bitmap_sb_encode(&in, buf, sizeof(buf), &d) == 0);
	/* explicit little-endian placement of a few fields */
	CHECK_EQ_U(get_le32(buf + 0), BITMAP_MAGIC);
	CHECK(memcmp(buf, "bitm", 4) == 0);
	CHECK_EQ_U(buf[4], 5);
	CHECK_EQ_U(buf[8], 0xa0);
	CHECK_EQ_U(buf[24], 0x08);
	CHECK_EQ_U(buf[31], 0x01);
	CHECK_EQ_U(buf[32], 0x18);
	CHECK_EQ_U(buf[40], 0x10);
	CHECK_EQ_U(buf[47], 0xfe);
	CHECK_EQ_U(buf[48], 0x21);
	CHECK_EQ_U(buf[51], 0x80);
	CHECK_EQ_U(get_le32(buf + 52), 0x00010000u);
	CHECK_EQ_U(buf[56], 0x44);
	CHECK_EQ_U(buf[60], 0x88);
	CHECK_EQ_U(buf[64], 0xcc);
	CHECK_EQ_U(buf[68], 0x00);
	CHECK_EQ_U(buf[71], 0xdd);
	CHECK_EQ_U(buf[72], 'c');
	CHECK_EQ_U(buf[135], 0x7f);
	CHECK_EQ_U(buf[136], 1);
	CHECK_EQ_U(buf[255], 0xee);

	CHECK(bitmap_sb_decode(buf, sizeof(buf), &back, &d) == 0);
	CHECK_EQ_U(back.magic, in.magic);
	CHECK_EQ_U(back.version, in.version);
	CHECK(memcmp(back.uuid, in.uuid, 16) == 0);
	CHECK_EQ_U(back.events, in.events);
	CHECK_EQ_U(back.events_cleared, in.events_cleared);
	CHECK_EQ_U(back.sync_size, in.sync_size);
	CHECK_EQ_U(back.state, in.state);
	CHECK_EQ_U(back.chunksize, in.chunksize);
	CHECK_EQ_U(back.daemon_sleep, in.daemon_sleep);
	CHECK_EQ_U(back.write_behind, in.write_behind);
	CHECK_EQ_U(back.sectors_reserved, in.sectors_reserved);
	CHECK_EQ_U(back.nodes, in.nodes);
	CHECK(memcmp(back.cluster_name, in.cluster_name, 64) == 0);
	CHECK(memcmp(back.pad, in.pad, 120) == 0);
}

static void test_decode_rejects(void)
{
	uint8_t raw[272];
	struct bitmap_sb sb;
	struct diag d = { 0 };

	CHECK(load_sb(dump_v6_kernel, raw, &sb) == 0);

	CHECK(bitmap_sb_decode(raw, 255, &sb, &d) == -1);
	CHECK_CONTAINS(d.msg, "truncated");
	CHECK_CONTAINS(d.msg, "255 of 256");
	CHECK(bitmap_sb_decode(raw, 0, &sb, &d) == -1);
	CHECK_CONTAINS(d.msg, "truncated");
	CHECK(bitmap_sb_decode(NULL, 256, &sb, &d) == -1);
	CHECK(bitmap_sb_decode(raw, 256, &sb, NULL) == 0);   /* NULL diag ok */

	raw[0] ^= 0x01;   /* "citm" */
	CHECK(bitmap_sb_decode(raw, 256, &sb, &d) == -1);
	CHECK_CONTAINS(d.msg, "bad bitmap magic 0x6d746963");
	CHECK(bitmap_sb_decode(raw, 256, &sb, NULL) == -1);

	/* the md superblock magic is not a bitmap */
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 0xa92b4efc);
	CHECK(bitmap_sb_decode(raw, 256, &sb, &d) == -1);
	CHECK_CONTAINS(d.msg, "0xa92b4efc");

	CHECK(bitmap_sb_encode(&sb, raw, 100, &d) == -1);
	CHECK_CONTAINS(d.msg, "100 of 256");
}

static void expect_invalid(const struct bitmap_sb *sb, const char *reason)
{
	struct diag d = { 0 };

	CHECK(bitmap_sb_validate(sb, &d) == -1);
	CHECK_CONTAINS(d.msg, reason);
	CHECK(bitmap_sb_validate(sb, NULL) == -1);
}

static void test_validate_common(void)
{
	struct bitmap_sb sb;

	make_v6(&sb);
	sb.magic = 0;
	expect_invalid(&sb, "bad bitmap magic");

	make_v6(&sb);
	for (uint32_t v = 0; v < 3; v++) {
		sb.version = v;
		expect_invalid(&sb, "unknown bitmap version");
	}
	sb.version = 7;
	expect_invalid(&sb, "unknown bitmap version 7");
	sb.version = UINT32_MAX;
	expect_invalid(&sb, "unknown bitmap version 4294967295");
	CHECK(!bitmap_version_known(2));
	CHECK(bitmap_version_known(3));
	CHECK(bitmap_version_known(6));
	CHECK(!bitmap_version_known(7));
}

static void test_validate_lockless(void)
{
	struct bitmap_sb sb;
	struct diag d = { 0 };

	make_v6(&sb);
	CHECK(bitmap_sb_validate(&sb, &d) == 0);

	sb.chunksize = 0;
	expect_invalid(&sb, "chunksize is 0");
	sb.chunksize = 192;
	expect_invalid(&sb, "chunksize 192 is not a power of two");
	sb.chunksize = 1;   /* tiny but a power of two: fits? no */
	expect_invalid(&sb, "exceed");
	sb.chunksize = 16;  /* 130816 chunks <= 131072: fits */
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
	sb.chunksize = 0x80000000u;   /* largest 32-bit power of two */
	CHECK(bitmap_sb_validate(&sb, &d) == 0);

	make_v6(&sb);
	sb.daemon_sleep = 0;   /* the [VM] "daemon sleep 0 period out of range" */
	expect_invalid(&sb, "daemon_sleep is 0");

	make_v6(&sb);
	sb.sync_size = 0;
	expect_invalid(&sb, "sync_size is 0");

	/* chunk count vs. reserved space: 256 sectors hold 131072 chunks */
	make_v6(&sb);
	sb.sync_size = 131072ull * 128;
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
	sb.sync_size++;
	expect_invalid(&sb, "131073 chunks of 128 sectors exceed the 131072");

	/* sectors_reserved 0 -> kernel default of 6 sectors (3072 chunks) */
	make_v6(&sb);
	sb.sectors_reserved = 0;
	CHECK_EQ_U(bitmap_space_sectors(&sb), 6);
	sb.sync_size = 3072ull * 128;
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
	sb.sync_size++;
	expect_invalid(&sb, "that fit in 6 reserved sectors");

	/* absurd sync_size: no wrap-around, rejected for space */
	make_v6(&sb);
	sb.sync_size = UINT64_MAX;
	CHECK_EQ_U(bitmap_chunks(&sb), 1ull << 57);
	expect_invalid(&sb, "144115188075855872 chunks");
	sb.chunksize = 0x80000000u;
	sb.sectors_reserved = UINT32_MAX;
	/* ceil((2^64-1) / 2^31) = 2^33 <= (2^32-1)*512: fits */
	CHECK_EQ_U(bitmap_chunks(&sb), 1ull << 33);
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
}

static void test_validate_classic(void)
{
	struct bitmap_sb sb;
	struct diag d = { 0 };

	make_v4(&sb);
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
	sb.version = 3;
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
	sb.version = 5;
	CHECK(bitmap_sb_validate(&sb, &d) == 0);

	make_v4(&sb);
	sb.chunksize = 0;
	expect_invalid(&sb, "below 512");
	sb.chunksize = 256;   /* power of two but too small */
	expect_invalid(&sb, "chunksize 256 is below 512 bytes");
	sb.chunksize = 512;
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
	sb.chunksize = 768;
	expect_invalid(&sb, "chunksize 768 is not a power of two");
	/* a v6-style value (sectors) in a classic header is too small */
	sb.chunksize = 128;
	expect_invalid(&sb, "below 512");

	make_v4(&sb);
	sb.daemon_sleep = 0;
	expect_invalid(&sb, "daemon_sleep is 0");

	make_v4(&sb);
	sb.write_behind = BITMAP_MAX_WRITE_BEHIND;
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
	sb.write_behind = BITMAP_MAX_WRITE_BEHIND + 1;
	expect_invalid(&sb, "write_behind 16384 exceeds 16383");

	/* classic ignores space and sync_size at load */
	make_v4(&sb);
	sb.sync_size = UINT64_MAX;
	CHECK(bitmap_sb_validate(&sb, &d) == 0);
	/* ceil((2^64-1) * 512 / 2^26) = ceil((2^64-1) / 2^17) = 2^47 */
	CHECK_EQ_U(bitmap_chunks(&sb), 1ull << 47);
	sb.chunksize = 512;
	CHECK_EQ_U(bitmap_chunks(&sb), UINT64_MAX);   /* exact, no wrap */
	sb.chunksize = 1;   /* would be sync*512: saturates */
	CHECK_EQ_U(bitmap_chunks(&sb), UINT64_MAX);
	sb.chunksize = 0;
	CHECK_EQ_U(bitmap_chunks(&sb), 0);
}

static void test_chunk_math(void)
{
	struct bitmap_sb sb;

	make_v4(&sb);
	sb.sync_size = 1;   /* 512 bytes */
	sb.chunksize = 4096;
	CHECK_EQ_U(bitmap_chunks(&sb), 1);
	sb.sync_size = 8;   /* 4096 bytes */
	CHECK_EQ_U(bitmap_chunks(&sb), 1);
	sb.sync_size = 9;
	CHECK_EQ_U(bitmap_chunks(&sb), 2);
	sb.sync_size = 0;
	CHECK_EQ_U(bitmap_chunks(&sb), 0);
	/* non-power-of-two chunk (invalid, but the math must still be exact) */
	sb.sync_size = 3;   /* 1536 bytes */
	sb.chunksize = 1000;
	CHECK_EQ_U(bitmap_chunks(&sb), 2);

	make_v6(&sb);
	sb.sync_size = 1000;
	sb.chunksize = 128;
	CHECK_EQ_U(bitmap_chunks(&sb), 8);   /* 7 full + 1 partial */
	/* unknown version: units unknown */
	sb.version = 9;
	CHECK_EQ_U(bitmap_chunk_bytes(&sb), 0);
	CHECK_EQ_U(bitmap_chunks(&sb), 0);
}

/* mdadm 4.6's getinfo_super1 arithmetic for "Unused Space : before=" on a
 * 1.1/1.2 member: earliest = max(super_offset + 72, bitmap_offset + area
 * sectors (bitmap_offset NOT added to super_offset), bad block log end). */
static uint64_t upstream_space_before(uint64_t data_offset, uint64_t super_offset,
				      uint64_t bitmap_offset, uint64_t area_bytes,
				      uint64_t bblog_offset, uint64_t bblog_size)
{
	uint64_t earliest = super_offset + 72;
	uint64_t bmend = bitmap_offset + area_bytes / 512;
	uint64_t bbend = super_offset + bblog_offset + bblog_size;

	if (bmend > earliest)
		earliest = bmend;
	if (bbend > earliest)
		earliest = bbend;
	return earliest < data_offset ? data_offset - earliest : 0;
}

static void test_upstream_area(void)
{
	uint8_t raw[272];
	struct bitmap_sb sb;

	/* kernel-initialised v6: chunksize field 128 read as BYTES by mdadm:
	 * bits = 2093056*512/128 = 8372224, bytes = 1046528 + 256 = 1046784,
	 * rounded to 4096 -> 1048576 (2048 sectors) */
	CHECK(load_sb(dump_v6_kernel, raw, &sb) == 0);
	CHECK_EQ_U(bitmap_upstream_area_bytes(&sb, 4096), 1048576);
	CHECK_EQ_U(bitmap_upstream_area_bytes(&sb, 512), 1047040);
	CHECK_EQ_U(bitmap_upstream_area_bytes(&sb, 0), 1046784);
	/* examine of raid1-lockless.txt: data_offset 4096, super_offset 8,
	 * bitmap_offset 8, bad block log at 16 for 8 sectors -> before=2040 */
	CHECK_EQ_U(upstream_space_before(4096, 8, 8,
					 bitmap_upstream_area_bytes(&sb, 4096),
					 16, 8), 2040);

	/* classic v4 (64 MiB chunks): 16 bits -> 2 + 256 -> 4096 bytes;
	 * examine of raid1-internal.txt says before=4016 */
	CHECK(load_sb(dump_v4_create, raw, &sb) == 0);
	CHECK_EQ_U(bitmap_upstream_area_bytes(&sb, 4096), 4096);
	CHECK_EQ_U(bitmap_upstream_area_bytes(&sb, 0), 258);
	CHECK_EQ_U(upstream_space_before(4096, 8, 8,
					 bitmap_upstream_area_bytes(&sb, 4096),
					 16, 8), 4016);

	/* mdadm's own first-use v6 header (chunksize 64 MiB as bytes) gives
	 * the same 4096 as the classic one */
	CHECK(load_sb(dump_v6_first_use, raw, &sb) == 0);
	CHECK_EQ_U(bitmap_upstream_area_bytes(&sb, 4096), 4096);

	/* odd boundary, zero chunksize, saturation */
	make_v4(&sb);
	sb.sync_size = 8;
	sb.chunksize = 512;   /* 8 bits -> 1 byte + 256 = 257 */
	CHECK_EQ_U(bitmap_upstream_area_bytes(&sb, 1000), 1000);
	CHECK_EQ_U(bitmap_upstream_area_bytes(&sb, 257), 257);
	sb.chunksize = 0;
	CHECK_EQ_U(bitmap_upstream_area_bytes(&sb, 4096), 0);
	sb.chunksize = 1;
	sb.sync_size = UINT64_MAX;
	CHECK_EQ_U(bitmap_upstream_area_bytes(&sb, 4096), UINT64_MAX);
	sb.chunksize = 512;   /* bits = 2^64-1 -> bytes 2^61 + 256 */
	CHECK_EQ_U(bitmap_upstream_area_bytes(&sb, 4096), (1ull << 61) + 4096);
}

static void test_state_text(void)
{
	char buf[128], tiny[8];

	bitmap_state_text(0, buf, sizeof(buf));
	CHECK_EQ_S(buf, "none");
	bitmap_state_text(BITMAP_STATE_STALE, buf, sizeof(buf));
	CHECK_EQ_S(buf, "stale");
	bitmap_state_text(0x7e, buf, sizeof(buf));
	CHECK_EQ_S(buf, "stale,write-error,first-use,clean,daemon-busy,shutdown");
	bitmap_state_text(BITMAP_STATE_FIRST_USE, buf, sizeof(buf));
	CHECK_EQ_S(buf, "first-use");
	bitmap_state_text(0x1, buf, sizeof(buf));
	CHECK_EQ_S(buf, "0x1");
	bitmap_state_text(0x8012, buf, sizeof(buf));
	CHECK_EQ_S(buf, "stale,clean,0x8000");
	bitmap_state_text(0xffffffffu, buf, sizeof(buf));
	CHECK_EQ_S(buf, "stale,write-error,first-use,clean,daemon-busy,shutdown,"
		   "0xffffff81");

	/* truncation keeps a terminated prefix */
	memset(tiny, 'x', sizeof(tiny));
	bitmap_state_text(0x18, tiny, sizeof(tiny));
	CHECK_EQ_U(strlen(tiny), 7);
	CHECK_EQ_S(tiny, "first-u");
	memset(tiny, 'x', sizeof(tiny));
	bitmap_state_text(0x18, tiny, 1);
	CHECK_EQ_U(tiny[0], 0);
	bitmap_state_text(0x18, NULL, 0);   /* must not crash */
}

/* The area written to a member: header, then the chunk data with the fill
 * byte, the rest untouched; too small a buffer is refused. */
static void test_area_encode(void)
{
	struct bitmap_sb sb = { .magic = BITMAP_MAGIC, .version = BITMAP_MAJOR_LOCKLESS,
				.chunksize = 128, .sync_size = 1000 * 128, .daemon_sleep = 30 };
	struct bitmap_sb back, classic = sb;
	static uint8_t buf[4096];
	struct diag d = { 0 };

	CHECK_EQ_U(bitmap_area_used(&sb, 1000), 1024 + 1000);
	CHECK_EQ_U(bitmap_area_encode(&sb, 1000, LLB_NEED_SYNC, buf, sizeof(buf), &d), 0);
	CHECK_EQ_U(bitmap_sb_decode(buf, sizeof(buf), &back, &d), 0);
	CHECK_EQ_U(back.version, BITMAP_MAJOR_LOCKLESS);
	CHECK_EQ_U(buf[1023], 0);
	CHECK_EQ_U(buf[1024], LLB_NEED_SYNC);
	CHECK_EQ_U(buf[1024 + 999], LLB_NEED_SYNC);
	CHECK_EQ_U(buf[1024 + 1000], 0);
	CHECK(bitmap_area_encode(&sb, 4000, LLB_NEED_SYNC, buf, sizeof(buf), &d) != 0);
	CHECK_CONTAINS(d.msg, "does not fit");

	memset(buf, 0, sizeof(buf));
	classic.version = BITMAP_MAJOR_HI;
	classic.chunksize = 65536;
	CHECK_EQ_U(bitmap_area_used(&classic, 17), 256 + 3);
	CHECK_EQ_U(bitmap_area_encode(&classic, 17, 0xff, buf, sizeof(buf), &d), 0);
	CHECK_EQ_U(buf[255], 0);
	CHECK_EQ_U(buf[256], 0xff);
	CHECK_EQ_U(buf[258], 0xff);
	CHECK_EQ_U(buf[259], 0);
}

UNIT_MAIN("bitmap",
	  UNIT_CASE(test_xxd_helper),
	  UNIT_CASE(test_decode_v6_kernel),
	  UNIT_CASE(test_decode_v6_first_use),
	  UNIT_CASE(test_decode_v4_classic),
	  UNIT_CASE(test_decode_v6_raid10),
	  UNIT_CASE(test_decode_infected),
	  UNIT_CASE(test_round_trip_golden),
	  UNIT_CASE(test_round_trip_all_fields),
	  UNIT_CASE(test_decode_rejects),
	  UNIT_CASE(test_validate_common),
	  UNIT_CASE(test_validate_lockless),
	  UNIT_CASE(test_validate_classic),
	  UNIT_CASE(test_chunk_math),
	  UNIT_CASE(test_upstream_area),
	  UNIT_CASE(test_state_text),
	  UNIT_CASE(test_area_encode))
