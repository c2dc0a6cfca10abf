/* test_super0.c - unit tests for the 0.90 superblock codec and SHA-1 */
#include <stdbool.h>
#include <stdint.h>

#include "unit.h"
#include "sha1.h"
#include "super0.h"

#define DEV_SECTORS 655360u     /* 320 MiB: the fixture disks */

/* 0.90 superblocks written by Linux 7.2.13 for arrays the peer created
 * (tests/fixtures/images-090; see tests/fixtures/sb0/README) */
#define SB0_DIR "tests/fixtures/sb0/"

struct golden0 {
	const char *file;
	uint32_t csum;
	uint64_t events;
	int32_t level;
	uint32_t raid_disks, nr_disks, this_number, this_state;
	bool bitmap;
};

static const struct golden0 goldens0[] = {
	{ "v090-r5-internal-vda.sb.bin", 0x28f02b10, 26, 5, 3, 3, 0, 6, true },
	{ "v090-r5-internal-vdc.sb.bin", 0x28f02b34, 26, 5, 3, 3, 2, 6, true },
	{ "v090-r1-spare-vda.sb.bin", 0x198e691, 18, 1, 2, 3, 0, 6, false },
	{ "v090-r1-spare-vdc.sb.bin", 0x198e6af, 18, 1, 2, 3, 2, 0, false },
};

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void test_sha1_vectors(void)
{
	static const struct { const char *in; const char *out; } v[] = {
		{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
		{ "The quick brown fox jumps over the lazy dog",
		  "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12" },
	};
	uint8_t dig[SHA1_DIGEST_BYTES];
	char s[41];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sha1_digest(v[i].in, strlen(v[i].in), dig);
		hex(dig, sizeof(dig), s);
		CHECK_EQ_S(s, v[i].out);
	}
}

static void test_sha1_long(void)
{
	/* one million 'a': many blocks, and 64-byte boundaries on the way */
	size_t n = 1000000;
	char *a = malloc(n);
	uint8_t dig[SHA1_DIGEST_BYTES];
	char s[41];

	CHECK(a != NULL);
	if (!a)
		return;
	memset(a, 'a', n);
	sha1_digest(a, n, dig);
	hex(dig, sizeof(dig), s);
	CHECK_EQ_S(s, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	/* 55, 56 and 64 bytes: the padding fits, just does not, a whole block */
	sha1_digest(a, 55, dig);
	hex(dig, sizeof(dig), s);
	CHECK_EQ_S(s, "c1c8bbdc22796e28c0e15163d20899b65621d65a");
	sha1_digest(a, 56, dig);
	hex(dig, sizeof(dig), s);
	CHECK_EQ_S(s, "c2db330f6083854c99d4b5bfb6e8f29f201be699");
	sha1_digest(a, 64, dig);
	hex(dig, sizeof(dig), s);
	CHECK_EQ_S(s, "0098ba824b5c16427bd7a1122a5a442a25ec644d");
	free(a);
}

/* A plausible superblock of a 3-disk RAID5 member. */
static void sample(struct sb0 *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->big_endian = sb0_host_is_big_endian();
	sb->md_magic = SB0_MAGIC;
	sb->minor_version = 90;
	sb->set_uuid0 = 0x11223344;
	sb->set_uuid1 = 0x55667788;
	sb->set_uuid2 = 0x99aabbcc;
	sb->set_uuid3 = 0xddeeff00;
	sb->ctime = 1764547200;
	sb->level = 5;
	sb->size = 327616;
	sb->nr_disks = 3;
	sb->raid_disks = 3;
	sb->utime = 1764547300;
	sb->state = 1u << SB0_STATE_CLEAN;
	sb->active_disks = sb->working_disks = 3;
	sb->events = 0x0000000100000002ull;
	sb->cp_events = 7;
	sb->reshape_position = 0x0102030405060708ull;
	sb->layout = 2;
	sb->chunk_size = 512 << 10;
	for (unsigned i = 0; i < 3; i++) {
		sb->disks[i].number = i;
		sb->disks[i].major = 253;
		sb->disks[i].minor = 16 * i;
		sb->disks[i].raid_disk = i;
		sb->disks[i].state = 6;
	}
	sb->this_disk = sb->disks[1];
	sb0_set_csum(sb);
}

static void test_goldens(void)
{
	for (size_t i = 0; i < sizeof(goldens0) / sizeof(goldens0[0]); i++) {
		const struct golden0 *g = &goldens0[i];
		size_t len = 0;
		char path[256];
		uint8_t *buf, again[SB0_BYTES];
		struct sb0 sb;
		struct diag d = { 0 };

		snprintf(path, sizeof(path), "%s%s", SB0_DIR, g->file);
		buf = unit_read_file(path, &len);
		CHECK(buf != NULL && len == SB0_BYTES);
		if (!buf || len != SB0_BYTES) {
			free(buf);
			continue;
		}
		CHECK(sb0_decode(buf, len, &sb, &d) == 0);
		CHECK(sb.big_endian == false);
		CHECK_EQ_U(sb.sb_csum, g->csum);
		CHECK(sb0_csum_ok(&sb));
		CHECK_EQ_U(sb.events, g->events);
		CHECK_EQ_U((uint32_t)sb.level, (uint32_t)g->level);
		CHECK_EQ_U(sb.raid_disks, g->raid_disks);
		CHECK_EQ_U(sb.nr_disks, g->nr_disks);
		CHECK_EQ_U(sb.this_disk.number, g->this_number);
		CHECK_EQ_U(sb.this_disk.state, g->this_state);
		CHECK_EQ_U(!!(sb.state & (1u << SB0_STATE_BITMAP_PRESENT)), g->bitmap);
		CHECK_EQ_U(sb.minor_version, 90);
		CHECK(sb0_check(&sb, DEV_SECTORS, &d) == 0);
		CHECK(sb0_uuid_is_local(&sb, "fixturehost"));
		CHECK(sb0_encode(&sb, again, sizeof(again), NULL) == 0);
		CHECK(memcmp(buf, again, SB0_BYTES) == 0);
		free(buf);
	}
}

static void test_location(void)
{
	uint64_t s = 0;

	CHECK(sb0_location(127, &s) != 0);
	CHECK(sb0_location(128, &s) == 0);
	CHECK_EQ_U(s, 0);
	CHECK(sb0_location(255, &s) == 0);
	CHECK_EQ_U(s, 0);
	CHECK(sb0_location(DEV_SECTORS, &s) == 0);
	CHECK_EQ_U(s, DEV_SECTORS - 128);
	CHECK(sb0_location(DEV_SECTORS + 100, &s) == 0);
	CHECK_EQ_U(s, DEV_SECTORS - 128);
	CHECK(sb0_location(UINT64_MAX, &s) == 0);
	CHECK_EQ_U(s, (UINT64_MAX & ~127ull) - 128);
}

static void test_roundtrip(void)
{
	struct sb0 sb, back;
	uint8_t a[SB0_BYTES], b[SB0_BYTES];

	sample(&sb);
	/* reserved words survive too */
	sb.gstate_creserved[3] = 0xdeadbeef;
	sb.pstate_reserved[59] = 42;
	sb.this_disk.reserved[26] = 9;
	CHECK(sb0_encode(&sb, a, sizeof(a), NULL) == 0);
	CHECK(sb0_decode(a, sizeof(a), &back, NULL) == 0);
	CHECK(memcmp(&sb, &back, sizeof(sb)) == 0);
	CHECK(sb0_encode(&back, b, sizeof(b), NULL) == 0);
	CHECK(memcmp(a, b, sizeof(a)) == 0);
	CHECK(sb0_has_magic(a, sizeof(a)));
}

static void test_layout_offsets(void)
{
	struct sb0 sb;
	uint8_t a[SB0_BYTES];

	sample(&sb);
	sb.big_endian = false;
	CHECK(sb0_encode(&sb, a, sizeof(a), NULL) == 0);
	CHECK(memcmp(a, "\xfc\x4e\x2b\xa9", 4) == 0);
	CHECK_EQ_U(a[8], 90);                        /* minor_version, word 2 */
	CHECK(memcmp(a + 20, "\x44\x33\x22\x11", 4) == 0);  /* set_uuid0 */
	CHECK_EQ_U(a[28], 5);                        /* level, word 7 */
	CHECK(memcmp(a + 52, "\x88\x77\x66\x55", 4) == 0);  /* set_uuid1, word 13 */
	/* events: low word at 39, high word at 40 on a little-endian disk */
	CHECK_EQ_U(a[156], 2);
	CHECK_EQ_U(a[160], 1);
	CHECK_EQ_U(a[256], 2);                       /* layout, word 64 */
	CHECK_EQ_U(a[512 + 32 * 4 + 12], 1);         /* disks[1].raid_disk */
	CHECK_EQ_U(a[992 * 4], 1);                   /* this_disk.number */
	sb.big_endian = true;
	CHECK(sb0_encode(&sb, a, sizeof(a), NULL) == 0);
	CHECK(memcmp(a, "\xa9\x2b\x4e\xfc", 4) == 0);
	CHECK_EQ_U(a[159], 1);                       /* events high word first */
	CHECK_EQ_U(a[163], 2);
}

/* The other byte order is upstream's swap: every word reversed, then the
 * two halves of each 64-bit count exchanged. */
static void test_byte_order_swap(void)
{
	struct sb0 sb, back;
	uint8_t le[SB0_BYTES], be[SB0_BYTES], swapped[SB0_BYTES];

	sample(&sb);
	sb.big_endian = false;
	sb0_set_csum(&sb);
	CHECK(sb0_csum_ok(&sb));
	CHECK(sb0_encode(&sb, le, sizeof(le), NULL) == 0);
	for (unsigned i = 0; i < SB0_BYTES; i += 4)
		for (unsigned j = 0; j < 4; j++)
			swapped[i + j] = le[i + 3 - j];
	for (unsigned w = 39; w <= 45; w += 2) {
		uint8_t t[4];

		if (w == 43)        /* recovery_cp is one word */
			w = 44;
		memcpy(t, swapped + 4 * w, 4);
		memcpy(swapped + 4 * w, swapped + 4 * (w + 1), 4);
		memcpy(swapped + 4 * (w + 1), t, 4);
	}
	sb.big_endian = true;
	CHECK(sb0_encode(&sb, be, sizeof(be), NULL) == 0);
	CHECK(memcmp(be, swapped, sizeof(be)) == 0);
	CHECK(sb0_decode(be, sizeof(be), &back, NULL) == 0);
	CHECK(back.big_endian);
	CHECK_EQ_U(back.events, sb.events);
	CHECK_EQ_U(back.reshape_position, sb.reshape_position);
	/* the sum of the swapped words differs; the kernel of that order
	 * checks it in its own order */
	CHECK(sb0_csum_compute(&back) != sb.sb_csum || back.sb_csum == sb.sb_csum);
	sb0_set_csum(&back);
	CHECK(sb0_csum_ok(&back));
}

static void test_csum(void)
{
	struct sb0 sb;

	memset(&sb, 0, sizeof(sb));
	sb.md_magic = SB0_MAGIC;
	sb.minor_version = 90;
	CHECK_EQ_U(sb0_csum_compute(&sb), SB0_MAGIC + 90);
	/* the carry out of 32 bits is added back in: three 0xffffffff
	 * words sum to 3 * 2^32 - 3, and the fold adds the 3 back */
	sb.gstate_creserved[0] = 0xffffffffu;
	sb.gstate_creserved[1] = 0xffffffffu;
	sb.pstate_reserved[0] = 0xffffffffu;
	CHECK_EQ_U(sb0_csum_compute(&sb), SB0_MAGIC + 90);
	/* the stored checksum itself does not count */
	sb.sb_csum = 12345;
	CHECK_EQ_U(sb0_csum_compute(&sb), SB0_MAGIC + 90);
	sample(&sb);
	CHECK(sb0_csum_ok(&sb));
	sb.disks[26].state ^= 1;
	CHECK(!sb0_csum_ok(&sb));
}

static void test_decode_rejects(void)
{
	uint8_t a[SB0_BYTES];
	struct sb0 sb;
	struct diag d = { 0 };

	sample(&sb);
	CHECK(sb0_encode(&sb, a, sizeof(a), NULL) == 0);
	CHECK(sb0_decode(a, sizeof(a) - 1, &sb, &d) != 0);
	CHECK_CONTAINS(d.msg, "4096");
	CHECK(sb0_encode(&sb, a, 100, NULL) != 0);
	a[1] ^= 0xff;
	CHECK(!sb0_has_magic(a, sizeof(a)));
	diag_clear(&d);
	CHECK(sb0_decode(a, sizeof(a), &sb, &d) != 0);
	CHECK_CONTAINS(d.msg, "magic");
	a[1] ^= 0xff;
	a[sb.big_endian ? 7 : 4] = 1;       /* major version 1 */
	diag_clear(&d);
	CHECK(sb0_decode(a, sizeof(a), &sb, &d) != 0);
	CHECK_CONTAINS(d.msg, "major version 1");
}

static void expect_check_fails(const struct sb0 *sb, const char *why)
{
	struct diag d = { 0 };

	CHECK(sb0_check(sb, DEV_SECTORS, &d) != 0);
	CHECK_CONTAINS(d.msg, why);
}

static void test_check_hostile(void)
{
	struct sb0 sb, bad;
	struct diag d = { 0 };

	sample(&sb);
	CHECK(sb0_check(&sb, DEV_SECTORS, &d) == 0);
	bad = sb; bad.minor_version = 89;
	expect_check_fails(&bad, "0.89");
	bad = sb; bad.raid_disks = 0;
	expect_check_fails(&bad, "raid_disks 0");
	bad = sb; bad.raid_disks = 28;
	expect_check_fails(&bad, "raid_disks 28");
	bad = sb; bad.nr_disks = 0xffffffffu;
	expect_check_fails(&bad, "nr_disks");
	bad = sb; bad.spare_disks = 0xfffffffeu;
	expect_check_fails(&bad, "slots");
	bad = sb; bad.spare_disks = 24;
	CHECK(sb0_check(&bad, DEV_SECTORS, &d) == 0);
	bad.spare_disks = 25;
	expect_check_fails(&bad, "slots");
	bad = sb; bad.minor_version = 91; bad.delta_disks = -25;
	expect_check_fails(&bad, "slots");
	bad.reshape_position = UINT64_MAX;      /* not reshaping: delta ignored */
	CHECK(sb0_check(&bad, DEV_SECTORS, &d) == 0);
	bad = sb; bad.this_disk.number = 27;
	expect_check_fails(&bad, "number 27");
	bad = sb; bad.size = (DEV_SECTORS - 128) / 2 + 1;
	expect_check_fails(&bad, "runs into the superblock");
	bad.size--;
	CHECK(sb0_check(&bad, DEV_SECTORS, &d) == 0);
	bad = sb; bad.size = 0xffffffffu;
	expect_check_fails(&bad, "runs into");
	CHECK(sb0_check(&sb, 100, &d) != 0);
	bad = sb; bad.level = 10; bad.layout = 0x100;
	expect_check_fails(&bad, "no copy");
	bad.layout = 0x102;
	CHECK(sb0_check(&bad, DEV_SECTORS, &d) == 0);
	bad = sb; bad.level = 6; bad.raid_disks = 1;
	expect_check_fails(&bad, "raid6");
}

static void test_table_slots_and_ratio(void)
{
	struct sb0 sb;
	unsigned num, den;

	sample(&sb);
	CHECK_EQ_U(sb0_table_slots(&sb), 3);
	sb.spare_disks = 2;
	CHECK_EQ_U(sb0_table_slots(&sb), 5);
	sb.minor_version = 91;
	sb.delta_disks = -1;
	CHECK_EQ_U(sb0_table_slots(&sb), 6);
	sb.spare_disks = 0xffffffffu;
	CHECK_EQ_U(sb0_table_slots(&sb), SB0_DISKS + 1);
	sample(&sb);
	CHECK(sb0_data_ratio(&sb, &num, &den) && num == 2 && den == 1);
	sb.level = 6;
	sb.raid_disks = 4;
	CHECK(sb0_data_ratio(&sb, &num, &den) && num == 2 && den == 1);
	sb.level = 10;
	sb.layout = 0x102;
	CHECK(sb0_data_ratio(&sb, &num, &den) && num == 4 && den == 2);
	sb.layout = 0;
	CHECK(!sb0_data_ratio(&sb, &num, &den));
	sb.level = 5;
	sb.raid_disks = 1;
	CHECK(!sb0_data_ratio(&sb, &num, &den));
	sb.raid_disks = 0;
	CHECK(!sb0_data_ratio(&sb, &num, &den));
	sb.level = 0;
	CHECK(!sb0_data_ratio(&sb, &num, &den));
	sb.level = 1;
	CHECK(sb0_data_ratio(&sb, &num, &den) && num == 1);
}

static void test_homehost_mark(void)
{
	struct sb0 sb;
	uint8_t uuid[16], hash[SHA1_DIGEST_BYTES];

	sample(&sb);
	CHECK(!sb0_uuid_is_local(&sb, "fixturehost"));
	CHECK(!sb0_uuid_is_local(&sb, ""));
	CHECK(!sb0_uuid_is_local(&sb, NULL));
	sb0_uuid_set_local(&sb, "fixturehost");
	CHECK(sb0_uuid_is_local(&sb, "fixturehost"));
	CHECK(!sb0_uuid_is_local(&sb, "otherhost"));
	CHECK_EQ_U(sb.set_uuid0, 0x11223344);
	CHECK_EQ_U(sb.set_uuid1, 0x55667788);
	sha1_digest("fixturehost", 11, hash);
	sb0_uuid_bytes(&sb, uuid);
	CHECK(memcmp(uuid + 8, hash, 8) == 0);
	sb0_uuid_set_local(&sb, NULL);
	CHECK(sb0_uuid_is_local(&sb, "fixturehost"));
}

/* The identity bytes print as the four words, whatever the host order. */
static void test_uuid_id(void)
{
	struct sb0 sb;
	uint8_t id[16];
	static const uint8_t want[16] = {
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
		0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00,
	};

	sample(&sb);
	sb0_uuid_id(&sb, id);
	CHECK(memcmp(id, want, 16) == 0);
	sb.big_endian = !sb.big_endian;     /* words are decoded: no effect */
	sb0_uuid_id(&sb, id);
	CHECK(memcmp(id, want, 16) == 0);
}

UNIT_MAIN("super0",
	UNIT_CASE(test_sha1_vectors),
	UNIT_CASE(test_sha1_long),
	UNIT_CASE(test_goldens),
	UNIT_CASE(test_location),
	UNIT_CASE(test_roundtrip),
	UNIT_CASE(test_layout_offsets),
	UNIT_CASE(test_byte_order_swap),
	UNIT_CASE(test_csum),
	UNIT_CASE(test_decode_rejects),
	UNIT_CASE(test_check_hostile),
	UNIT_CASE(test_table_slots_and_ratio),
	UNIT_CASE(test_homehost_mark),
	UNIT_CASE(test_uuid_id)
)
