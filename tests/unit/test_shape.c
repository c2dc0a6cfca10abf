/* test_shape.c - unit tests for the option value parsers of --create
 *
 * Every accepted spelling is checked for the exact number md stores
 * (level, layout, sectors, bytes), every refused one for a reason naming
 * the value. */
#include <errno.h>
#include <stdint.h>

#include "shape.h"
#include "tests/unit/unit.h"

/* ---- levels ------------------------------------------------------------ */

static int level_of(const char *s)
{
	struct diag d = { 0 };
	int level = 12345;

	if (shape_parse_level(s, &level, &d) != 0)
		return 12345;
	return level;
}

static void test_levels_accepted(void)
{
	CHECK(level_of("linear") == -1);
	CHECK(level_of("raid0") == 0);
	CHECK(level_of("0") == 0);
	CHECK(level_of("stripe") == 0);
	CHECK(level_of("raid1") == 1);
	CHECK(level_of("1") == 1);
	CHECK(level_of("mirror") == 1);
	CHECK(level_of("raid4") == 4);
	CHECK(level_of("4") == 4);
	CHECK(level_of("raid5") == 5);
	CHECK(level_of("5") == 5);
	CHECK(level_of("raid6") == 6);
	CHECK(level_of("6") == 6);
	CHECK(level_of("raid10") == 10);
	CHECK(level_of("10") == 10);
}

static void test_levels_refused(void)
{
	static const char *const unsupported[] = { "multipath", "mp", "faulty", "container" };
	static const char *const invalid[] = { "raid7", "2", "3", "", "RAID1x", "raid", "-1", "raid01" };
	struct diag d = { 0 };
	int level = 77;

	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
		d.msg[0] = '\0';
		CHECK(shape_parse_level(unsupported[i], &level, &d) == -1);
		CHECK_CONTAINS(d.msg, "not supported");
		CHECK_CONTAINS(d.msg, unsupported[i]);
	}
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		d.msg[0] = '\0';
		CHECK(shape_parse_level(invalid[i], &level, &d) == -1);
		CHECK_CONTAINS(d.msg, "invalid raid level");
	}
	CHECK(level == 77);   /* never written on failure */
	CHECK(shape_parse_level("raid7", &level, NULL) == -1);   /* NULL diag allowed */
}

/* ---- layouts ------------------------------------------------------------- */

static long layout_of(int level, const char *s)
{
	struct diag d = { 0 };
	uint32_t layout = 0xdeadbeef;

	if (shape_parse_layout(level, s, &layout, &d) != 0)
		return -1;
	return (long)layout;
}

static void test_layout_defaults(void)
{
	CHECK_EQ_U(shape_default_layout(0), 1);        /* original */
	CHECK_EQ_U(shape_default_layout(4), 5);        /* parity-last */
	CHECK_EQ_U(shape_default_layout(5), 2);        /* left-symmetric */
	CHECK_EQ_U(shape_default_layout(6), 2);
	CHECK_EQ_U(shape_default_layout(10), 0x102);   /* n2 */
	CHECK_EQ_U(shape_default_layout(1), 0);
	CHECK_EQ_U(shape_default_layout(-1), 0);
}

static void test_layout_raid0(void)
{
	CHECK(layout_of(0, "original") == 1);
	CHECK(layout_of(0, "alternate") == 2);
	CHECK(layout_of(0, "1") == 1);
	CHECK(layout_of(0, "2") == 2);
	CHECK(layout_of(0, "3") == -1);
	CHECK(layout_of(0, "left-symmetric") == -1);
	CHECK(layout_of(0, "n2") == -1);
}

static void test_layout_raid4(void)
{
	CHECK(layout_of(4, "parity-last") == 5);
	CHECK(layout_of(4, "parity-first") == 4);
	CHECK(layout_of(4, "left-symmetric") == -1);
	CHECK(layout_of(4, "ls") == -1);
}

static void test_layout_raid5(void)
{
	CHECK(layout_of(5, "left-asymmetric") == 0);
	CHECK(layout_of(5, "la") == 0);
	CHECK(layout_of(5, "right-asymmetric") == 1);
	CHECK(layout_of(5, "ra") == 1);
	CHECK(layout_of(5, "left-symmetric") == 2);
	CHECK(layout_of(5, "ls") == 2);
	CHECK(layout_of(5, "default") == 2);
	CHECK(layout_of(5, "right-symmetric") == 3);
	CHECK(layout_of(5, "rs") == 3);
	CHECK(layout_of(5, "parity-first") == 4);
	CHECK(layout_of(5, "parity-last") == 5);
	/* raid6-only and ddf layouts are not raid5 layouts */
	CHECK(layout_of(5, "left-symmetric-6") == -1);
	CHECK(layout_of(5, "ddf-zero-restart") == -1);
	CHECK(layout_of(5, "n2") == -1);
	CHECK(layout_of(5, "") == -1);
}

static void test_layout_raid6(void)
{
	CHECK(layout_of(6, "left-symmetric") == 2);
	CHECK(layout_of(6, "right-asymmetric") == 1);
	CHECK(layout_of(6, "parity-first") == 4);
	CHECK(layout_of(6, "ddf-zero-restart") == 8);
	CHECK(layout_of(6, "ddf-N-restart") == 9);
	CHECK(layout_of(6, "ddf-N-continue") == 10);
	CHECK(layout_of(6, "left-asymmetric-6") == 16);
	CHECK(layout_of(6, "right-asymmetric-6") == 17);
	CHECK(layout_of(6, "left-symmetric-6") == 18);
	CHECK(layout_of(6, "right-symmetric-6") == 19);
	CHECK(layout_of(6, "parity-first-6") == 20);
	CHECK(layout_of(6, "f2") == -1);
}

static void test_layout_raid10(void)
{
	struct diag d = { 0 };
	uint32_t l;

	CHECK(layout_of(10, "n2") == 0x102);
	CHECK(layout_of(10, "f2") == 0x201);
	CHECK(layout_of(10, "o2") == 0x10201);
	CHECK(layout_of(10, "n3") == 0x103);
	CHECK(layout_of(10, "f3") == 0x301);
	CHECK(layout_of(10, "o3") == 0x10301);
	CHECK(layout_of(10, "n1") == 0x101);
	CHECK(layout_of(10, "n64") == 0x140);
	CHECK(layout_of(10, "n65") == -1);
	CHECK(layout_of(10, "n0") == -1);
	CHECK(layout_of(10, "x2") == -1);
	CHECK(layout_of(10, "n") == -1);
	CHECK(layout_of(10, "n2x") == -1);
	CHECK(layout_of(10, "n-2") == -1);
	CHECK(layout_of(10, "n99999999999999999999999") == -1);
	CHECK(layout_of(10, "left-symmetric") == -1);
	CHECK(shape_parse_layout(10, "q2", &l, &d) == -1);
	CHECK_CONTAINS(d.msg, "q2");
}

static void test_layout_other_levels(void)
{
	struct diag d = { 0 };
	uint32_t l = 42;

	CHECK(shape_parse_layout(1, "n2", &l, &d) == -1);
	CHECK_CONTAINS(d.msg, "layout not meaningful for raid1 arrays.");
	CHECK(shape_parse_layout(-1, "original", &l, &d) == -1);
	CHECK_CONTAINS(d.msg, "layout not meaningful for linear arrays.");
	CHECK(l == 42);
}

/* ---- sizes ----------------------------------------------------------------- */

static int size_ok(const char *s, uint64_t *sectors)
{
	struct diag d = { 0 };

	*sectors = 0xabcdef;
	return shape_parse_size(s, sectors, &d) == 0;
}

static void test_size_suffixes(void)
{
	uint64_t v;

	CHECK(size_ok("100", &v) && v == 200);             /* KiB by default */
	CHECK(size_ok("100K", &v) && v == 200);
	CHECK(size_ok("100k", &v) && v == 200);
	CHECK(size_ok("32M", &v) && v == 65536);
	CHECK(size_ok("32m", &v) && v == 65536);
	CHECK(size_ok("1G", &v) && v == 2097152);
	CHECK(size_ok("1g", &v) && v == 2097152);
	CHECK(size_ok("2T", &v) && v == 1ULL << 32);
	CHECK(size_ok("2t", &v) && v == 1ULL << 32);
	CHECK(size_ok("2048s", &v) && v == 2048);          /* sectors */
	CHECK(size_ok("0", &v) && v == 0);
	/* largest that fits: 2^24-1 TiB is 2^64 - 2^40 bytes */
	CHECK(size_ok("16777215T", &v) && v == (16777215ULL << 40) >> 9);
}

static void test_size_refused(void)
{
	static const char *const bad[] = {
		"", "M", "-1", "+5", " 5", "5 ", "1.5G", "12X", "12MB", "0x10", "1GG",
		"16777216T",                   /* 2^64 bytes */
		"18014398509481984K",          /* 2^54 KiB = 2^64 bytes */
		"99999999999999999999",        /* > UINT64_MAX */
		"36028797018963968s",          /* 2^55 sectors = 2^64 bytes */
	};
	struct diag d;
	uint64_t v;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.msg[0] = '\0';
		v = 7;
		CHECK(shape_parse_size(bad[i], &v, &d) == -1);
		CHECK_CONTAINS(d.msg, "invalid size");
		if (shape_parse_size(bad[i], &v, NULL) == 0)
			fprintf(stderr, "  accepted: \"%s\"\n", bad[i]);
	}
	/* largest in each unit just below the overflow limit is fine */
	CHECK(size_ok("18014398509481983K", &v) && v == 18014398509481983ULL * 2);
	CHECK(size_ok("36028797018963967s", &v) && v == 36028797018963967ULL);
}

static void test_chunk(void)
{
	struct diag d = { 0 };
	uint64_t v = 0;

	CHECK(shape_parse_chunk("4", &v, &d) == 0 && v == 8);
	CHECK(shape_parse_chunk("64", &v, &d) == 0 && v == 128);
	CHECK(shape_parse_chunk("512K", &v, &d) == 0 && v == 1024);
	CHECK(shape_parse_chunk("1M", &v, &d) == 0 && v == 2048);
	CHECK(shape_parse_chunk("1G", &v, &d) == 0 && v == 2097152);
	CHECK(shape_parse_chunk("8s", &v, &d) == 0 && v == 8);
	/* below 4 KiB, not a power of two, junk */
	CHECK(shape_parse_chunk("2", &v, &d) == -1);
	CHECK_CONTAINS(d.msg, "2");
	CHECK_CONTAINS(d.msg, "power of two");
	CHECK(shape_parse_chunk("4s", &v, &d) == -1);
	CHECK(shape_parse_chunk("0", &v, &d) == -1);
	CHECK(shape_parse_chunk("48", &v, &d) == -1);
	CHECK(shape_parse_chunk("96K", &v, &d) == -1);
	CHECK(shape_parse_chunk("12s", &v, &d) == -1);
	CHECK(shape_parse_chunk("abc", &v, &d) == -1);
	CHECK(shape_parse_chunk("16777216T", &v, &d) == -1);
}

/* ---- uuid ---------------------------------------------------------------- */

static void test_uuid(void)
{
	static const uint8_t want[16] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10
	};
	static const char *const good[] = {
		"01234567:89abcdef:fedcba98:76543210",       /* mdadm's form */
		"0123456789abcdef fedcba9876543210",
		"01234567-89ab-cdef-fedc-ba9876543210",      /* RFC form */
		"0123456789ABCDEFFEDCBA9876543210",
		"01.23.45.67.89.ab.cd.ef.fe.dc.ba.98.76.54.32.10",
	};
	static const char *const bad[] = {
		"", "0123", "01234567:89abcdef:fedcba98:7654321",       /* 31 digits */
		"01234567:89abcdef:fedcba98:765432100",                 /* 33 digits */
		"01234567:89abcdef:fedcba98:7654321g",
		"01234567/89abcdef/fedcba98/76543210",
	};
	struct diag d;
	uint8_t u[16];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(u, 0, sizeof(u));
		d.msg[0] = '\0';
		CHECK(shape_parse_uuid(good[i], u, &d) == 0);
		CHECK(memcmp(u, want, 16) == 0);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.msg[0] = '\0';
		CHECK(shape_parse_uuid(bad[i], u, &d) == -1);
		CHECK_CONTAINS(d.msg, "Bad uuid");
	}
}

/* ---- logical block size ------------------------------------------------------ */

static void test_lbs(void)
{
	static const char *const bad[] = {
		"1000", "131072", "256", "0", "511", "513", "3072", "65537", "",
		"4k", "4096 ", "-512", "0x200", "99999999999999999999999",
	};
	struct diag d;
	uint32_t v;

	for (uint32_t b = 512; b <= 65536; b <<= 1) {
		char s[16];

		snprintf(s, sizeof(s), "%u", b);
		v = 0;
		CHECK(shape_parse_lbs(s, &v, NULL) == 0);
		CHECK_EQ_U(v, b);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.msg[0] = '\0';
		v = 1;
		CHECK(shape_parse_lbs(bad[i], &v, &d) == -1);
		CHECK(v == 1);
		CHECK_CONTAINS(d.msg, "logical block size");
		if (bad[i][0])
			CHECK_CONTAINS(d.msg, bad[i]);
	}
	d.msg[0] = '\0';
	CHECK(shape_parse_lbs("1000", &v, &d) == -1);
	CHECK_CONTAINS(d.msg, "power of two");
}

/* ---- layout words before the level is known ------------------------------------ */

static void test_layout_known(void)
{
	const char *known[] = { "original", "alternate", "la", "left-symmetric", "parity-last",
				"parity-first", "ddf-N-restart", "right-symmetric-6", "n2", "f3", "o2",
				"default", "1" };
	const char *unknown[] = { "", "x2", "n0", "bogus", "left", "LS", "n", "f2x",
				  "left-symmetric-7" };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		CHECK(shape_layout_known(known[i]));
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		CHECK(!shape_layout_known(unknown[i]));
	CHECK_CONTAINS(shape_layout_choices(), "raid10: nN, fN, oN");
}

/* ---- metadata ------------------------------------------------------------------ */

static int minor_of(const char *s)
{
	struct diag d = { 0 };
	int minor = -7;

	if (shape_parse_metadata(s, &minor, &d) != 0)
		return -1;
	return minor;
}

static void test_metadata(void)
{
	struct diag d = { 0 };
	int m = 9;

	CHECK(minor_of("1.0") == 0);
	CHECK(minor_of("1.00") == 0);
	CHECK(minor_of("1.1") == 1);
	CHECK(minor_of("1.01") == 1);
	CHECK(minor_of("1.2") == 2);
	CHECK(minor_of("1.02") == 2);
	CHECK(minor_of("1") == 2);
	CHECK(minor_of("01.2") == 2);
	CHECK(minor_of("default") == 2);
	CHECK(minor_of("1.x") == 2);
	CHECK(minor_of("1.3") == -1);
	CHECK(minor_of("2") == -1);
	CHECK(minor_of("") == -1);

	/* 0.90 is a known format now: the modes decide what they do with it */
	for (size_t i = 0; i < 4; i++) {
		static const char *const spellings[] = { "0.90", "0.9", "0", "00.90" };

		m = -1;
		CHECK(shape_parse_metadata(spellings[i], &m, &d) == 0);
		CHECK(m == SHAPE_METADATA_090);
	}
	m = 9;
	CHECK(shape_parse_metadata("ddf", &m, &d) == -EOPNOTSUPP);
	CHECK(d.err == EOPNOTSUPP);
	CHECK_CONTAINS(d.msg, "external metadata");
	d.msg[0] = '\0';
	CHECK(shape_parse_metadata("imsm", &m, &d) == -EOPNOTSUPP);
	CHECK(d.err == EOPNOTSUPP);
	CHECK_CONTAINS(d.msg, "imsm");
	d.msg[0] = '\0';
	CHECK(shape_parse_metadata("gpt", &m, &d) == -EOPNOTSUPP);
	d.msg[0] = '\0';
	CHECK(shape_parse_metadata("1.3", &m, &d) == -1);
	CHECK(d.err == EINVAL);
	CHECK_CONTAINS(d.msg, "unrecognised metadata identifier: 1.3");
	CHECK(m == 9);
}

UNIT_MAIN("shape",
	UNIT_CASE(test_levels_accepted),
	UNIT_CASE(test_levels_refused),
	UNIT_CASE(test_layout_defaults),
	UNIT_CASE(test_layout_raid0),
	UNIT_CASE(test_layout_raid4),
	UNIT_CASE(test_layout_raid5),
	UNIT_CASE(test_layout_raid6),
	UNIT_CASE(test_layout_raid10),
	UNIT_CASE(test_layout_other_levels),
	UNIT_CASE(test_size_suffixes),
	UNIT_CASE(test_size_refused),
	UNIT_CASE(test_chunk),
	UNIT_CASE(test_uuid),
	UNIT_CASE(test_lbs),
	UNIT_CASE(test_layout_known),
	UNIT_CASE(test_metadata))
