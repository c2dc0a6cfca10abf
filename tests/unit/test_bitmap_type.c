/* test_bitmap_type.c - unit tests for --bitmap= values and md/bitmap_type
 *
 * The attribute texts are what Linux prints (a space after every word, the
 * current type in brackets): 7.2 with llbitmap "none bitmap [llbitmap] ",
 * a classic array "none [bitmap] llbitmap ", a kernel built without
 * CONFIG_MD_LLBITMAP "none [bitmap] ". bitmap_type_set() is exercised on
 * a fake sysfs tree (MDADM_SYSFS_ROOT) for the paths that must not write. */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bitmap_type.h"
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

/* ---- bitmap_type_set on a fake sysfs ---------------------------------------------- */

static char fake_root[64];

static int fake_tree(const char *contents)
{
	char path[256];
	FILE *f;

	snprintf(fake_root, sizeof(fake_root), "/tmp/mdadm-unit-bt.XXXXXX");
	if (!mkdtemp(fake_root))
		return -1;
	snprintf(path, sizeof(path), "%s/block", fake_root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/block/md9", fake_root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/block/md9/md", fake_root);
	if (mkdir(path, 0755) != 0)
		return -1;
	if (!contents)
		return 0;
	snprintf(path, sizeof(path), "%s/block/md9/md/bitmap_type", fake_root);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(contents, f);
	return fclose(f);
}

static char *fake_contents(void)
{
	static char buf[128];
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/block/md9/md/bitmap_type", fake_root);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void fake_remove(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fake_root);
	if (system(cmd) != 0)
		fprintf(stderr, "  could not remove %s\n", fake_root);
}

static int set_on(const char *contents, enum bitmap_kind k, struct diag *d)
{
	struct sysfs s;

	if (fake_tree(contents) != 0) {
		fprintf(stderr, "  cannot make a fake sysfs tree: %s\n", strerror(errno));
		return 99;
	}
	setenv("MDADM_SYSFS_ROOT", fake_root, 1);
	sysfs_init(&s);
	d->msg[0] = '\0';
	return bitmap_type_set(&s, "md9", k, d);
}

static void test_set_already_current(void)
{
	struct diag d;

	CHECK(set_on("none bitmap [llbitmap] \n", BITMAP_KIND_LOCKLESS, &d) == 0);
	CHECK_EQ_S(fake_contents(), "none bitmap [llbitmap] \n");   /* nothing written */
	fake_remove();
	CHECK(set_on("none [bitmap] llbitmap \n", BITMAP_KIND_CLASSIC, &d) == 0);
	CHECK_EQ_S(fake_contents(), "none [bitmap] llbitmap \n");
	fake_remove();
}

static void test_set_not_offered(void)
{
	struct diag d;

	CHECK(set_on("none [bitmap] \n", BITMAP_KIND_LOCKLESS, &d) == -1);
	CHECK_CONTAINS(d.msg, "does not offer the lockless bitmap");
	CHECK_CONTAINS(d.msg, "CONFIG_MD_LLBITMAP");
	CHECK_EQ_S(fake_contents(), "none [bitmap] \n");
	fake_remove();
}

static void test_set_old_kernel(void)
{
	struct diag d;

	/* no md/bitmap_type at all (before 6.18): classic and none are what
	 * such a kernel does anyway, lockless is impossible */
	CHECK(set_on(NULL, BITMAP_KIND_CLASSIC, &d) == 0);
	fake_remove();
	CHECK(set_on(NULL, BITMAP_KIND_NONE, &d) == 0);
	fake_remove();
	CHECK(set_on(NULL, BITMAP_KIND_LOCKLESS, &d) == -1);
	CHECK_CONTAINS(d.msg, "6.18");
	CHECK(fake_contents() == NULL);
	fake_remove();
}

static void test_set_garbage(void)
{
	struct diag d;

	CHECK(set_on("garbage\n", BITMAP_KIND_LOCKLESS, &d) == -1);
	CHECK_EQ_S(fake_contents(), "garbage\n");
	fake_remove();
}

UNIT_MAIN("bitmap_type",
	UNIT_CASE(test_kind_parse),
	UNIT_CASE(test_kind_refused),
	UNIT_CASE(test_kind_names),
	UNIT_CASE(test_parse_llbitmap_current),
	UNIT_CASE(test_parse_classic_current),
	UNIT_CASE(test_parse_no_llbitmap),
	UNIT_CASE(test_parse_unknown_words),
	UNIT_CASE(test_parse_garbage),
	UNIT_CASE(test_set_already_current),
	UNIT_CASE(test_set_not_offered),
	UNIT_CASE(test_set_old_kernel),
	UNIT_CASE(test_set_garbage))
