/* test_outname.c - the rules for names that leave the tool */
#include "outname.h"
#include "unit.h"

static void test_terminal(void)
{
	const uint8_t raw[32] = "h:x\nSYSTEMD\x1b[31m\x7f";
	char out[33];

	outname_terminal(raw, sizeof(raw), out, sizeof(out));
	CHECK_EQ_S(out, "h:x?SYSTEMD?[31m?");
	/* 32 bytes without a NUL: all of them, terminated */
	outname_terminal((const uint8_t *)"0123456789abcdef0123456789abcdefXX", 32, out, sizeof(out));
	CHECK_EQ_S(out, "0123456789abcdef0123456789abcdef");
	outname_terminal(raw, sizeof(raw), out, 4);
	CHECK_EQ_S(out, "h:x");
}

static void test_export_plain_is_unchanged(void)
{
	static const char *const plain[] = { "vm-run:data", "md0", "host.example.org:r1_2", "a+b@c,d=e/f%g", "" };
	char out[80];

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		CHECK(outname_is_plain(plain[i]));
		outname_export(plain[i], out, sizeof(out));
		CHECK_EQ_S(out, plain[i]);
	}
}

static void test_export_hostile_is_quoted(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "h:x\nSYSTEMD_WANTS=pwned.service", "'h:x_SYSTEMD_WANTS=pwned.service'" },
		{ "$(touch /tmp/pwned)", "'$(touch /tmp/pwned)'" },
		{ "`id`", "'`id`'" },
		{ "a b;c|d&&e>f", "'a b;c|d&&e>f'" },
		{ "it's", "'it_s'" },
		{ "q\"\\", "'q__'" },
		{ "\xc3\xa9t\xc3\xa9", "'__t__'" },
		{ "esc\x1b[0m\r", "'esc_[0m_'" },
	};
	char out[80];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(!outname_is_plain(cases[i].in));
		outname_export(cases[i].in, out, sizeof(out));
		CHECK_EQ_S(out, cases[i].out);
		CHECK(strchr(out, '\n') == NULL);
	}
}

static void test_export_truncation_keeps_quotes(void)
{
	char out[6];

	outname_export("a b c d e", out, sizeof(out));
	CHECK_EQ_S(out, "'a b'");
	outname_export("a b", out, 2);
	CHECK_EQ_S(out, "");
}

static void test_link(void)
{
	char out[40];

	outname_link("a/b c\td\ne\x7f", out, sizeof(out));
	CHECK_EQ_S(out, "a-b_c_d_e_");
	outname_link("data", out, sizeof(out));
	CHECK_EQ_S(out, "data");
	outname_link("abcdef", out, 4);
	CHECK_EQ_S(out, "abc");
}

static void test_utf8_len(void)
{
	static const struct { const char *s; size_t n, want; } cases[] = {
		{ "a", 1, 1 },
		{ "\xc3\xa9", 2, 2 },              /* é */
		{ "\xe2\x82\xac", 3, 3 },          /* € */
		{ "\xf0\x9f\x98\x80", 4, 4 },      /* U+1F600 */
		{ "\xc3\xa9", 1, 0 },              /* cut short */
		{ "\xa9", 1, 0 },                  /* stray continuation byte */
		{ "\xc0\xaf", 2, 0 },              /* overlong '/' */
		{ "\xe0\x80\xaf", 3, 0 },          /* overlong, 3 bytes */
		{ "\xed\xa0\x80", 3, 0 },          /* surrogate U+D800 */
		{ "\xf4\x90\x80\x80", 4, 0 },      /* beyond U+10FFFF */
		{ "\xc3\x41", 2, 0 },              /* continuation missing */
		{ "\xff", 1, 0 },
		{ "", 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_EQ_U(outname_utf8_len((const uint8_t *)cases[i].s, cases[i].n), cases[i].want);
}

UNIT_MAIN("outname",
	  UNIT_CASE(test_terminal),
	  UNIT_CASE(test_export_plain_is_unchanged),
	  UNIT_CASE(test_export_hostile_is_quoted),
	  UNIT_CASE(test_export_truncation_keeps_quotes),
	  UNIT_CASE(test_link),
	  UNIT_CASE(test_utf8_len))
