/* Build.c - --build: start an array that has no superblocks (linear,
 * raid0, raid1, as mdadm 4.6 allows)
 *
 * Nothing is written to the members: the kernel is told the geometry and
 * the members' order through the md ioctls, and the data is where the same
 * command put it before. Building again with another order or chunk size
 * shows other data, which is the user's responsibility, as with upstream. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bitmap_kind.h"
#include "md_ioctl.h"
#include "mdkernel.h"
#include "modes.h"
#include "policy.h"
#include "util.h"

#define BUILD_DEFAULT_CHUNK_KIB 64

struct build_run {
	const struct cmdline *c;
	struct sysfs sys;
	const char *array;
	char devnm[MD_DEVNM_MAX];
	char link[MD_NAME_PATH_MAX];
	struct md_legacy_array a;
	dev_t rdev[CMD_MAX_DEVS];      /* per listed member; 0 for "missing" */
};

/* Levels the kernel runs without a superblock; mdadm 4.6 lets raid10,
 * multipath and faulty through as well and leaves the refusal to the
 * kernel, and so do we. */
static bool build_level_allowed(int level)
{
	switch (level) {
	case -1: case 0: case 1: case 10: case -4: case -5:
		return true;
	default:
		return false;
	}
}

static int parse_geometry(struct build_run *b)
{
	const struct cmdline *c = b->c;
	int level;

	if (!cmd_has(c, OPT_LEVEL)) {
		pr_err("a RAID level is needed to Build an array.\n");
		return EXIT_FAIL;
	}
	level = (int)cmd_num(c, OPT_LEVEL);
	if (!build_level_allowed(level)) {
		pr_err("Raid level %s not permitted with --build.\n", cmd_val(c, OPT_LEVEL));
		return EXIT_USAGE;
	}
	if (!cmd_has(c, OPT_RAID_DEVICES)) {
		pr_err("no raid-devices specified.\n");
		return EXIT_FAIL;
	}
	if (cmd_has(c, OPT_BITMAP) && cmd_num(c, OPT_BITMAP) != BITMAP_KIND_NONE) {
		pr_err("--build argument only compatible with --bitmap=none\n");
		return EXIT_FAIL;
	}
	b->a.level = level;
	b->a.raid_disks = (int)cmd_num(c, OPT_RAID_DEVICES);
	if (c->ndevs - 1 != (size_t)b->a.raid_disks) {
		pr_err("requested %d devices in array but listed %zu\n", b->a.raid_disks, c->ndevs - 1);
		return EXIT_FAIL;
	}
	if (cmd_has(c, OPT_CHUNK))
		b->a.chunk_bytes = (uint32_t)(cmd_num(c, OPT_CHUNK) * 512);
	else if (cmd_has(c, OPT_ROUNDING))
		b->a.chunk_bytes = (uint32_t)(cmd_num(c, OPT_ROUNDING) * 512);
	else if (level == 0 || level == -1)
		b->a.chunk_bytes = BUILD_DEFAULT_CHUNK_KIB * 1024;
	/* no layout given: the kernel gets "unset" (-1), as from mdadm 4.6 */
	b->a.layout = cmd_has(c, OPT_LAYOUT) ? (int)cmd_num(c, OPT_LAYOUT) : -1;
	if (cmd_has(c, OPT_SIZE) && !cmd_value(c, OPT_SIZE)->special)
		b->a.size_kib = (uint64_t)cmd_num(c, OPT_SIZE) / 2;
	b->a.clean = cmd_has(c, OPT_ASSUME_CLEAN);
	return EXIT_OK;
}

/* /dev/mdN, mdN, /dev/md_X; /dev/md/X gets a free md device and the link. */
static int parse_name(struct build_run *b)
{
	struct md_name n;
	struct diag d = { 0 };

	if (policy_md_name(b->array, &n, &d) != 0) {
		pr_err("%s\n", d.msg);
		return EXIT_USAGE;
	}
	if (n.kind == MD_NAME_LINKED) {
		if (md_find_free(&b->sys, b->devnm, sizeof(b->devnm), &d)) {
			pr_err("%s\n", d.msg);
			return EXIT_FAIL;
		}
		snprintf(b->link, sizeof(b->link), "%s", n.link);
		return EXIT_OK;
	}
	snprintf(b->devnm, sizeof(b->devnm), "%s", n.devnm);
	return EXIT_OK;
}

/* Every listed member must be a block device nobody holds. */
static int check_members(struct build_run *b)
{
	for (size_t i = 1; i < b->c->ndevs; i++) {
		const char *path = b->c->devs[i].name;
		struct stat st;
		int fd;

		if (strcmp(path, "missing") == 0) {
			b->a.missing++;
			continue;
		}
		if (stat(path, &st) != 0) {
			pr_err("cannot open %s: %s\n", path, strerror(errno));
			return EXIT_FAIL;
		}
		if (!S_ISBLK(st.st_mode)) {
			pr_err("%s is not a block device.\n", path);
			return EXIT_FAIL;
		}
		fd = open(path, O_RDONLY | O_EXCL | O_CLOEXEC);
		if (fd < 0) {
			pr_err("Cannot open %s: %s\n", path, strerror(errno));
			return EXIT_FAIL;
		}
		close(fd);
		b->rdev[i] = st.st_rdev;
	}
	return EXIT_OK;
}

static int hand_to_kernel(struct build_run *b, int fd, const char *node, struct diag *d)
{
	if (md_legacy_set_info(fd, node, &b->a, d))
		return -1;
	for (size_t i = 1; i < b->c->ndevs; i++) {
		if (!b->rdev[i])
			continue;
		if (md_legacy_add(fd, b->rdev[i], (int)i - 1,
				  b->c->devs[i].action == OPT_WRITE_MOSTLY, b->c->devs[i].name, d))
			return -1;
	}
	return md_legacy_run(fd, d);
}

static int start(struct build_run *b)
{
	char node[300];
	struct diag d = { 0 };
	int fd;

	if (md_array_is_active(&b->sys, b->devnm)) {
		pr_err("%s is already in use.\n", b->array);
		return EXIT_FAIL;
	}
	if (!md_present(&b->sys, b->devnm) && md_alloc(&b->sys, b->devnm, &d)) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	md_node_path(&b->sys, b->devnm, node, sizeof(node));
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		pr_err("cannot open %s: %s\n", node, strerror(errno));
		return EXIT_FAIL;
	}
	if (hand_to_kernel(b, fd, b->array, &d)) {
		pr_err("%s\n", d.msg);
		md_legacy_stop(fd);
		close(fd);
		return EXIT_FAIL;
	}
	close(fd);
	if (b->link[0] && md_make_link(b->link, b->devnm, &d))
		pr_err("warning: %s\n", d.msg);
	if (b->c->verbose >= 0)
		pr_err("array %s built and started.\n", b->array);
	return EXIT_OK;
}

int Build(const struct cmdline *c)
{
	struct build_run *b = calloc(1, sizeof(*b));
	int rc;

	if (!b) {
		pr_err("out of memory\n");
		return EXIT_FAIL;
	}
	if (c->ndevs == 0) {
		free(b);
		pr_err("an md device must be given in this mode\n");
		return EXIT_USAGE;
	}
	b->c = c;
	b->array = c->devs[0].name;
	sysfs_init(&b->sys);
	if ((rc = parse_geometry(b)) == EXIT_OK && (rc = parse_name(b)) == EXIT_OK &&
	    (rc = check_members(b)) == EXIT_OK)
		rc = start(b);
	free(b);
	return rc;
}
