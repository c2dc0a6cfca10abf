/* Grow.c - --grow: changes to a running array
 *
 * Implemented so far: tuning the bitmap daemon of a running array
 * (--delay for both bitmap kinds, --barrier-idle for the lockless bitmap).
 * The kernel accepts 0 for llbitmap's daemon_sleep, stores it in the bitmap
 * superblock and then refuses to assemble the array, so 0 is refused here. */
#include <stdio.h>
#include <string.h>

#include "bitmap_type.h"
#include "mdarray.h"
#include "modes.h"
#include "sysfs.h"
#include "util.h"

#define MAX_TUNING_SECONDS 86400u

static int check_seconds(const struct cmdline *c, enum opt_id id, uint64_t *out)
{
	const char *opt = c->spelled[id];

	*out = (uint64_t)cmd_num(c, id);
	if (*out == 0) {
		pr_err("--%s=0 is refused: the kernel would store 0 in the bitmap superblock and the array would then fail to assemble (\"daemon sleep period out of range\")\n",
		       opt);
		return EXIT_USAGE;
	}
	if (*out > MAX_TUNING_SECONDS) {
		pr_err("--%s=%s is out of range (1 to %u seconds)\n", opt, cmd_val(c, id),
		       MAX_TUNING_SECONDS);
		return EXIT_USAGE;
	}
	return 0;
}

static int current_kind(const struct sysfs *s, const char *devnm, const char *array,
			enum bitmap_kind *k, struct diag *d)
{
	struct bitmap_type_list l;

	if (!md_present(s, devnm))
		return diag_fail(d, "%s is not an active md array", array);
	if (md_has(s, devnm, "llbitmap/daemon_sleep")) {
		*k = BITMAP_KIND_LOCKLESS;
		return 0;
	}
	if (md_has(s, devnm, "bitmap/time_base") &&
	    (bitmap_type_read(s, devnm, &l, NULL) != 0 || l.current == BITMAP_KIND_CLASSIC)) {
		char loc[32];

		if (md_read(s, devnm, "bitmap/location", loc, sizeof(loc), NULL) == 0 &&
		    strcmp(loc, "none") != 0) {
			*k = BITMAP_KIND_CLASSIC;
			return 0;
		}
	}
	*k = BITMAP_KIND_NONE;
	return 0;
}

static int set_tuning(const struct sysfs *s, const char *devnm, const char *array,
		      enum bitmap_kind k, const char *attr_ll, const char *attr_classic,
		      uint64_t v, struct diag *d)
{
	const char *attr = k == BITMAP_KIND_LOCKLESS ? attr_ll : attr_classic;
	char val[32], back[32];

	if (!attr)
		return diag_fail(d, "%s has no lockless bitmap; --barrier-idle applies only to the lockless bitmap",
				 array);
	snprintf(val, sizeof(val), "%llu", (unsigned long long)v);
	if (md_write(s, devnm, attr, val, d) || md_read(s, devnm, attr, back, sizeof(back), d))
		return -1;
	if (strncmp(back, val, strlen(val)) != 0)
		return diag_fail(d, "the kernel kept %s at %s after writing %s", attr, back, val);
	return 0;
}

static int grow_tuning(const struct cmdline *c, const char *array)
{
	struct sysfs s;
	char devnm[MD_DEVNM_MAX];
	struct diag d = { 0 };
	enum bitmap_kind k = BITMAP_KIND_NONE;
	uint64_t delay = 0, idle = 0;
	int rc;

	if (cmd_has(c, OPT_DELAY) && (rc = check_seconds(c, OPT_DELAY, &delay)))
		return rc;
	if (cmd_has(c, OPT_BARRIER_IDLE) && (rc = check_seconds(c, OPT_BARRIER_IDLE, &idle)))
		return rc;
	sysfs_init(&s);
	if (md_find_array(&s, array, devnm, sizeof(devnm), &d) ||
	    current_kind(&s, devnm, array, &k, &d))
		goto fail;
	if (k == BITMAP_KIND_NONE) {
		diag_fail(&d, "%s has no bitmap to tune", array);
		goto fail;
	}
	if (delay && set_tuning(&s, devnm, array, k, "llbitmap/daemon_sleep", "bitmap/time_base",
				delay, &d))
		goto fail;
	if (idle && set_tuning(&s, devnm, array, k, "llbitmap/barrier_idle", NULL, idle, &d))
		goto fail;
	return EXIT_OK;
fail:
	pr_err("%s\n", d.msg);
	return EXIT_FAIL;
}

int Grow(const struct cmdline *c)
{
	if (c->ndevs < 1) {
		pr_err("no array given to --grow\n");
		return EXIT_USAGE;
	}
	if (cmd_has(c, OPT_DELAY) || cmd_has(c, OPT_BARRIER_IDLE)) {
		for (size_t i = 0; i < option_table_len; i++) {
			enum opt_id id = option_table[i].id;

			if (cmd_has(c, id) && id != OPT_DELAY && id != OPT_BARRIER_IDLE &&
			    id != OPT_GROW && id != OPT_VERBOSE && id != OPT_QUIET) {
				pr_err("--delay and --barrier-idle cannot be combined with other --grow changes yet\n");
				return EXIT_USAGE;
			}
		}
		if (c->ndevs != 1) {
			pr_err("--grow tunes one array at a time\n");
			return EXIT_USAGE;
		}
		return grow_tuning(c, c->devs[0].name);
	}
	if (cmd_has(c, OPT_BITMAP)) {
		for (size_t i = 0; i < option_table_len; i++) {
			enum opt_id id = option_table[i].id;

			if (cmd_has(c, id) && id != OPT_BITMAP && id != OPT_BITMAP_CHUNK &&
			    id != OPT_GROW && id != OPT_VERBOSE && id != OPT_QUIET) {
				pr_err("--bitmap cannot be combined with other --grow changes yet\n");
				return EXIT_USAGE;
			}
		}
		if (c->ndevs != 1) {
			pr_err("--grow changes the bitmap of one array at a time\n");
			return EXIT_USAGE;
		}
		return grow_bitmap(c, c->devs[0].name, cmd_val(c, OPT_BITMAP));
	}
	if (cmd_has(c, OPT_SIZE) || cmd_has(c, OPT_ARRAY_SIZE))
		return grow_size(c);
	if (cmd_has(c, OPT_RAID_DEVICES) || cmd_has(c, OPT_CHUNK) || cmd_has(c, OPT_LAYOUT))
		return grow_shape(c, c->devs[0].name);
	if (cmd_has(c, OPT_CONSISTENCY_POLICY))
		return grow_consistency_policy(c, c->devs[0].name);
	if (cmd_has(c, OPT_WRITE_BEHIND))
		return grow_write_behind(c, c->devs[0].name);
	pr_err("this --grow operation is not implemented yet in this version of mdadm (only --bitmap, --size, --array-size, --raid-devices, --chunk and --layout of RAID4/5/6, --consistency-policy, --write-behind, --delay and --barrier-idle are)\n");
	return EXIT_FAIL;
}
