/* test_bitmap_kind.c - unit tests for the bitmap kind table
 *
 * Names, --bitmap= values, md/bitmap_type text, superblock versions, how
 * new bitmaps are filled and the room they need. The md/bitmap_type texts
 * are what Linux prints (a space after every word, the current type in
 * brackets): 7.2 with llbitmap "none bitmap [llbitmap] ", a classic array
 * "none [bitmap] llbitmap ", a kernel built without CONFIG_MD_LLBITMAP
 * "none [bitmap] ". */
#include <stdint.h>

#include "bitmap.h"
#include "bitmap_kind.h"
#include "llbitmap.h"
#include "tests/unit/unit.h"

/* ---- --bitmap= ------------------------------------------------------------ */

static void test_kind_parse(void)
{
	struct diag d = { 0 };
	enum bitmap_kind k = BITMAP_KIND_LOCKLESS;

	CHECK(bitmap_kind_parse("none", &k, &d) == 0 && k == BITMAP_KIND_NONE);
	CHECK(bitmap_kind_parse("internal", &k, &d) == 0 && k == BITMAP_KIND_CLASSIC);
	CHECK(bitmap_kind_parse("lockless", &k, &d) == 0 && k == BITMAP_KIND_LOCKLESS);
}

static void test_kind_refused(void)
{
	static const char *const bad[] = {
		"", "Internal", "llbitmap", "bitmap", "lockless ", "yes", "intern",
	};
	struct diag d;
	enum bitmap_kind k = BITMAP_KIND_CLASSIC;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.msg[0] = '\0';
		CHECK(bitmap_kind_parse(bad[i], &k, &d) == -1);
		CHECK_CONTAINS(d.msg, "'none', 'internal' or 'lockless'");
	}
	d.msg[0] = '\0';
	CHECK(bitmap_kind_parse("clustered", &k, &d) == -1);
	CHECK_CONTAINS(d.msg, "clustered");
	d.msg[0] = '\0';
	CHECK(bitmap_kind_parse("/var/md0-bitmap", &k, &d) == -1);
	CHECK_CONTAINS(d.msg, "bitmap file");
	CHECK(k == BITMAP_KIND_CLASSIC);
}

static void test_kind_names(void)
{
	CHECK_EQ_S(bitmap_kind_name(BITMAP_KIND_NONE), "none");
	CHECK_EQ_S(bitmap_kind_name(BITMAP_KIND_CLASSIC), "internal");
	CHECK_EQ_S(bitmap_kind_name(BITMAP_KIND_LOCKLESS), "lockless");
	CHECK_EQ_S(bitmap_kind_sysfs_name(BITMAP_KIND_NONE), "none");
	CHECK_EQ_S(bitmap_kind_sysfs_name(BITMAP_KIND_CLASSIC), "bitmap");
	CHECK_EQ_S(bitmap_kind_sysfs_name(BITMAP_KIND_LOCKLESS), "llbitmap");
	CHECK_EQ_S(bitmap_kind_name((enum bitmap_kind)7), "?");
}

/* ---- md/bitmap_type text ------------------------------------------------------ */

static void test_parse_llbitmap_current(void)
{
	struct bitmap_type_list l;
	struct diag d = { 0 };

	CHECK(bitmap_type_parse("none bitmap [llbitmap] ", &l, &d) == 0);
	CHECK(l.offered[BITMAP_KIND_NONE]);
	CHECK(l.offered[BITMAP_KIND_CLASSIC]);
	CHECK(l.offered[BITMAP_KIND_LOCKLESS]);
	CHECK(l.current == BITMAP_KIND_LOCKLESS);
	/* with the newline sysfs ends it with (when not stripped) */
	CHECK(bitmap_type_parse("none bitmap [llbitmap] \n", &l, &d) == 0);
	CHECK(l.current == BITMAP_KIND_LOCKLESS);
}

static void test_parse_classic_current(void)
{
	struct bitmap_type_list l;
	struct diag d = { 0 };

	CHECK(bitmap_type_parse("none [bitmap] llbitmap ", &l, &d) == 0);
	CHECK(l.offered[BITMAP_KIND_NONE] && l.offered[BITMAP_KIND_CLASSIC] &&
	      l.offered[BITMAP_KIND_LOCKLESS]);
	CHECK(l.current == BITMAP_KIND_CLASSIC);
	CHECK(bitmap_type_parse("[none] bitmap llbitmap ", &l, &d) == 0);
	CHECK(l.current == BITMAP_KIND_NONE);
}

static void test_parse_no_llbitmap(void)
{
	struct bitmap_type_list l;
	struct diag d = { 0 };

	CHECK(bitmap_type_parse("none [bitmap] ", &l, &d) == 0);
	CHECK(l.offered[BITMAP_KIND_NONE]);
	CHECK(l.offered[BITMAP_KIND_CLASSIC]);
	CHECK(!l.offered[BITMAP_KIND_LOCKLESS]);
	CHECK(l.current == BITMAP_KIND_CLASSIC);
	/* CONFIG_MD_BITMAP off: only none */
	CHECK(bitmap_type_parse("[none] ", &l, &d) == 0);
	CHECK(l.offered[BITMAP_KIND_NONE] && !l.offered[BITMAP_KIND_CLASSIC] &&
	      !l.offered[BITMAP_KIND_LOCKLESS]);
	CHECK(l.current == BITMAP_KIND_NONE);
}

static void test_parse_unknown_words(void)
{
	struct bitmap_type_list l;
	struct diag d = { 0 };

	/* a future backend is ignored; bracketed, nothing known is current */
	CHECK(bitmap_type_parse("none bitmap llbitmap [newbitmap] ", &l, &d) == 0);
	CHECK(l.offered[BITMAP_KIND_LOCKLESS]);
	CHECK(l.current == -1);
	/* a prefix or suffix of a known name is not that name */
	CHECK(bitmap_type_parse("none [bitmapx] llbit ", &l, &d) == 0);
	CHECK(!l.offered[BITMAP_KIND_CLASSIC]);
	CHECK(!l.offered[BITMAP_KIND_LOCKLESS]);
	CHECK(l.current == -1);
}

static void test_parse_garbage(void)
{
	static const char *const bad[] = {
		"", " \n", "garbage", "[llbitmap] ", "llbitmap", "nonebitmap", "[[[",
		"]]] [", "\xff\xfe", "NONE [BITMAP] ",
	};
	struct bitmap_type_list l;
	struct diag d;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.msg[0] = '\0';
		CHECK(bitmap_type_parse(bad[i], &l, &d) == -1);
		CHECK_CONTAINS(d.msg, "unexpected md/bitmap_type contents");
	}
}

static void test_kind_words(void)
{
	CHECK_EQ_S(bitmap_kind_name(BITMAP_KIND_CLUSTERED), "clustered");
	CHECK_EQ_S(bitmap_kind_name(BITMAP_KIND_FILE), "file");
	CHECK_EQ_S(bitmap_kind_sysfs_name(BITMAP_KIND_CLUSTERED), "bitmap");
	CHECK_EQ_S(bitmap_kind_sysfs_name(BITMAP_KIND_FILE), "bitmap");
	CHECK_EQ_S(bitmap_kind_sysfs_name(BITMAP_KIND_NR), "?");
	/* --detail's Intent Bitmap line, as mdadm 4.6 prints it */
	CHECK(bitmap_kind_intent_text(BITMAP_KIND_NONE) == NULL);
	CHECK_EQ_S(bitmap_kind_intent_text(BITMAP_KIND_CLASSIC), "Internal");
	CHECK_EQ_S(bitmap_kind_intent_text(BITMAP_KIND_LOCKLESS), "Internal");
	CHECK_EQ_S(bitmap_kind_intent_text(BITMAP_KIND_CLUSTERED), "Internal(Clustered)");
	CHECK(bitmap_kind_intent_text(BITMAP_KIND_FILE) == NULL);
	CHECK(bitmap_kind_creatable(BITMAP_KIND_NONE));
	CHECK(bitmap_kind_creatable(BITMAP_KIND_CLASSIC));
	CHECK(bitmap_kind_creatable(BITMAP_KIND_LOCKLESS));
	CHECK(!bitmap_kind_creatable(BITMAP_KIND_CLUSTERED));
	CHECK(!bitmap_kind_creatable(BITMAP_KIND_FILE));
	CHECK(!bitmap_kind_creatable(BITMAP_KIND_NR));
}

static void test_kind_refused_words(void)
{
	struct diag d = { 0 };
	enum bitmap_kind k = BITMAP_KIND_NONE;

	/* the table's word for a file bitmap is not a value */
	CHECK(bitmap_kind_parse("file", &k, &d) == -1);
	CHECK_EQ_S(d.msg, "--bitmap value must be 'none', 'internal' or 'lockless', not \"file\"");
	CHECK(bitmap_kind_parse("/b", &k, &d) == -1);
	CHECK_EQ_S(d.msg, "Custom write-intent bitmap file option is not supported.");
	CHECK(k == BITMAP_KIND_NONE);
}

static void test_sysfs_words(void)
{
	CHECK(bitmap_kind_from_sysfs_word("none", 4) == BITMAP_KIND_NONE);
	CHECK(bitmap_kind_from_sysfs_word("bitmap", 6) == BITMAP_KIND_CLASSIC);
	CHECK(bitmap_kind_from_sysfs_word("llbitmap", 8) == BITMAP_KIND_LOCKLESS);
	CHECK(bitmap_kind_from_sysfs_word("bitmapx", 6) == BITMAP_KIND_CLASSIC);
	CHECK(bitmap_kind_from_sysfs_word("bitmapx", 7) == -1);
	CHECK(bitmap_kind_from_sysfs_word("internal", 8) == -1);
}

static void test_parse_current_word(void)
{
	struct bitmap_type_list l;
	struct diag d = { 0 };

	CHECK(bitmap_type_parse("none bitmap [llbitmap] \n", &l, &d) == 0);
	CHECK_EQ_S(l.current_word, "llbitmap");
	CHECK(bitmap_type_parse("none bitmap llbitmap [newbitmap] ", &l, &d) == 0);
	CHECK_EQ_S(l.current_word, "newbitmap");
	CHECK(l.current == -1);
	CHECK(bitmap_type_parse("none bitmap llbitmap ", &l, &d) == 0);
	CHECK_EQ_S(l.current_word, "");
	/* a long word is cut, not overrun */
	CHECK(bitmap_type_parse("none [abcdefghijklmnopqrstuvwxyz] ", &l, &d) == 0);
	CHECK_EQ_U(strlen(l.current_word), sizeof(l.current_word) - 1);
}

/* ---- versions ------------------------------------------------------------------ */

static void test_versions(void)
{
	CHECK_EQ_U(bitmap_kind_version(BITMAP_KIND_NONE), 0);
	CHECK_EQ_U(bitmap_kind_version(BITMAP_KIND_CLASSIC), 4);
	CHECK_EQ_U(bitmap_kind_version(BITMAP_KIND_LOCKLESS), 6);
	CHECK_EQ_U(bitmap_kind_version(BITMAP_KIND_CLUSTERED), 5);
	for (uint32_t v = 0; v < 10; v++) {
		CHECK(bitmap_kind_reads_version(BITMAP_KIND_CLASSIC, v) == (v >= 3 && v <= 5));
		CHECK(bitmap_kind_reads_version(BITMAP_KIND_LOCKLESS, v) == (v == 6));
		CHECK(!bitmap_kind_reads_version(BITMAP_KIND_NONE, v));
		/* a present bitmap that is not lockless is the classic backend's */
		CHECK(bitmap_kind_of_version(v) == (v == 6 ? BITMAP_KIND_LOCKLESS
							 : BITMAP_KIND_CLASSIC));
	}
	/* the header the kernel overwrote with chunk states (0x02020206) */
	CHECK(bitmap_kind_of_version(0x02020206u) == BITMAP_KIND_CLASSIC);
}

static void test_location(void)
{
	CHECK(bitmap_kind_from_location("+8", NULL) == BITMAP_KIND_CLASSIC);
	CHECK(bitmap_kind_from_location("-24", "internal") == BITMAP_KIND_CLASSIC);
	CHECK(bitmap_kind_from_location("+8", "clustered") == BITMAP_KIND_CLUSTERED);
	CHECK(bitmap_kind_from_location("file", NULL) == BITMAP_KIND_FILE);
	CHECK(bitmap_kind_from_location("file", "clustered") == BITMAP_KIND_FILE);
	CHECK(bitmap_kind_from_location("none", NULL) == BITMAP_KIND_NONE);
	CHECK(bitmap_kind_from_location("none", "clustered") == BITMAP_KIND_NONE);
	CHECK(bitmap_kind_from_location("", NULL) == BITMAP_KIND_NONE);
}

/* ---- new bitmaps ------------------------------------------------------------------ */

static void test_new_array(void)
{
	/* what --create writes: lockless FIRST_USE (+CLEAN) and the state the
	 * kernel gives every chunk at first use */
	CHECK_EQ_U(bitmap_kind_new_array_flags(BITMAP_KIND_LOCKLESS, false), BITMAP_STATE_FIRST_USE);
	CHECK_EQ_U(bitmap_kind_new_array_flags(BITMAP_KIND_LOCKLESS, true),
		   BITMAP_STATE_FIRST_USE | BITMAP_STATE_CLEAN);
	CHECK_EQ_U(bitmap_kind_new_array_fill(BITMAP_KIND_LOCKLESS, false), LLB_UNWRITTEN);
	CHECK_EQ_U(bitmap_kind_new_array_fill(BITMAP_KIND_LOCKLESS, true), LLB_CLEAN);
	CHECK_EQ_U(bitmap_kind_new_array_flags(BITMAP_KIND_CLASSIC, false), 0);
	CHECK_EQ_U(bitmap_kind_new_array_flags(BITMAP_KIND_CLASSIC, true), 0);
	CHECK_EQ_U(bitmap_kind_new_array_fill(BITMAP_KIND_CLASSIC, false), 0xff);
	CHECK_EQ_U(bitmap_kind_new_array_fill(BITMAP_KIND_CLASSIC, true), 0x00);
}

static void test_new_member(void)
{
	uint32_t flags = BITMAP_STATE_FIRST_USE | BITMAP_STATE_CLEAN | BITMAP_STATE_STALE;

	CHECK_EQ_U(bitmap_kind_new_member_fill(BITMAP_KIND_LOCKLESS), LLB_NEED_SYNC);
	CHECK_EQ_U(bitmap_kind_new_member_fill(BITMAP_KIND_CLASSIC), 0xff);
	CHECK_EQ_U(bitmap_kind_new_member_flags(BITMAP_KIND_LOCKLESS, flags),
		   BITMAP_STATE_CLEAN | BITMAP_STATE_STALE);
	CHECK_EQ_U(bitmap_kind_new_member_flags(BITMAP_KIND_CLASSIC, 0), 0);
	/* the fill makes the kernel sync every chunk it loads from it */
	CHECK(llb_state_needs_sync(bitmap_kind_new_member_fill(BITMAP_KIND_LOCKLESS)));
}

/* ---- room on disk -------------------------------------------------------------------- */

static void test_llb_extent(void)
{
	CHECK_EQ_U(bitmap_llb_extent(BITMAP_LLB_SPACE_SECTORS), 264);
	CHECK_EQ_U(bitmap_llb_extent(0), 8);        /* the header alone: one page */
	CHECK_EQ_U(bitmap_llb_extent(6), 8);        /* 1 KiB + 3 KiB = one page */
	CHECK_EQ_U(bitmap_llb_extent(7), 16);
	CHECK_EQ_U(bitmap_llb_extent(512), 520);
	/* the space holds the largest chunk count the kernel makes */
	CHECK_EQ_U(llb_max_chunks(BITMAP_LLB_SPACE_SECTORS), 131072);
}

static void test_extent_of(void)
{
	struct bitmap_sb sb = { .magic = BITMAP_MAGIC, .version = 6, .sectors_reserved = 256 };

	CHECK_EQ_U(bitmap_extent_of(&sb), 264);
	/* classic: as mdadm 4.6 sizes it, 1 GiB in 64 MiB chunks */
	sb.version = 4;
	sb.sync_size = 2097152;
	sb.chunksize = 64u << 20;
	CHECK_EQ_U(bitmap_extent_of(&sb), 8);
}

static void test_classic_extent(void)
{
	/* 1 GiB of 64 MiB chunks: 17 bits + 256-byte header, one page */
	CHECK_EQ_U(bitmap_classic_extent(2097152, 64u << 20), 8);
	/* 1 TiB of 4 KiB chunks: 2^28 + 1 bits = 32 MiB + 257 bytes */
	CHECK_EQ_U(bitmap_classic_extent(2147483648ull, 4096), (32u << 11) + 8);
}

UNIT_MAIN("bitmap_kind",
	UNIT_CASE(test_kind_parse),
	UNIT_CASE(test_kind_refused),
	UNIT_CASE(test_kind_names),
	UNIT_CASE(test_kind_words),
	UNIT_CASE(test_kind_refused_words),
	UNIT_CASE(test_sysfs_words),
	UNIT_CASE(test_parse_llbitmap_current),
	UNIT_CASE(test_parse_classic_current),
	UNIT_CASE(test_parse_no_llbitmap),
	UNIT_CASE(test_parse_unknown_words),
	UNIT_CASE(test_parse_garbage),
	UNIT_CASE(test_parse_current_word),
	UNIT_CASE(test_versions),
	UNIT_CASE(test_location),
	UNIT_CASE(test_new_array),
	UNIT_CASE(test_new_member),
	UNIT_CASE(test_llb_extent),
	UNIT_CASE(test_extent_of),
	UNIT_CASE(test_classic_extent))
