/* test_bitmap_type.c - unit tests for writing md/bitmap_type
 *
 * bitmap_type_set() is exercised on a fake sysfs tree (MDADM_SYSFS_ROOT)
 * for the paths that must not write; the parser of the attribute's text
 * is tested in test_bitmap_kind.c. */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bitmap_type.h"
#include "tests/unit/unit.h"

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
	UNIT_CASE(test_set_already_current),
	UNIT_CASE(test_set_not_offered),
	UNIT_CASE(test_set_old_kernel),
	UNIT_CASE(test_set_garbage))
