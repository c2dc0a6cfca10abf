/* Assemble.c - --assemble: start existing arrays from their members
 *
 * Members come from the command line, from mdadm.conf (--scan) or from
 * every block device; they are grouped by array UUID, the freshest
 * superblock decides the roles, stale members are left out unless
 * --force, and the array starts when enough are present (or with --run).
 * Before starting, the bitmap type is set from the bitmap superblock
 * (version 6 -> llbitmap) rather than left to the kernel's fallback. */
#include <errno.h>
#include <ctype.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "member_set.h"
#include "config.h"
#include "discover.h"
#include "jobs.h"
#include "mapfile.h"
#include "mdarray.h"
#include "mdkernel.h"
#include "modes.h"
#include "outname.h"
#include "policy.h"
#include "util.h"

#define MAX_CANDIDATES 1024
#define MAX_CLAIMED_ARRAYS 64

struct assemble_ctx {
	const struct cmdline *c;
	struct sysfs sys;
	char homehost[64];
	bool names;                     /* CREATE names=yes: /dev/md/X runs as md_X */
	bool force, run, readonly, scan;
	bool partial_ok;           /* start an array that can run degraded */
	/* --scan: arrays start side by side; what the started ones use */
	struct jobs *jobs;
	char claimed_md[MAX_CLAIMED_ARRAYS][MD_DEVNM_MAX];
	size_t nclaimed_md;
	const char *claimed_dev[MAX_CANDIDATES];
	size_t nclaimed_dev;
};

/* ---- arrays started side by side --------------------------------------------- */

/* Every started array done, its messages out; nothing claimed any more. */
static void settle(struct assemble_ctx *x)
{
	if (x->jobs)
		jobs_settle(x->jobs);
	x->nclaimed_md = 0;
	x->nclaimed_dev = 0;
}

static bool md_claimed(const struct assemble_ctx *x, const char *devnm)
{
	for (size_t i = 0; i < x->nclaimed_md; i++)
		if (strcmp(x->claimed_md[i], devnm) == 0)
			return true;
	return false;
}

static bool dev_claimed(const struct assemble_ctx *x, const char *path)
{
	for (size_t i = 0; i < x->nclaimed_dev; i++)
		if (strcmp(x->claimed_dev[i], path) == 0)
			return true;
	return false;
}

/* Record what a start about to run beside others will use: the md device
 * and the members. False when there is no room to record it. */
static bool claim(struct assemble_ctx *x, const char *devnm, const struct asm_set *set)
{
	if (x->nclaimed_md == MAX_CLAIMED_ARRAYS || x->nclaimed_dev + set->n > MAX_CANDIDATES)
		return false;
	snprintf(x->claimed_md[x->nclaimed_md++], MD_DEVNM_MAX, "%s", devnm);
	for (size_t i = 0; i < set->n; i++)
		x->claimed_dev[x->nclaimed_dev++] = set->ms[i].path;
	return true;
}

/* ---- candidates ------------------------------------------------------------ */

/* The identity (an ARRAY line, or --uuid/--name as one) against the
 * member found at path. */
static bool identity_matches(const struct conf_array *id, const struct member *m,
			     const char *path)
{
	char name[33];
	struct conf_array_facts f = { m->sb.set_uuid, name, m->sb.level, m->sb.raid_disks,
				      &path, 1 };

	memcpy(name, m->sb.set_name, 32);
	name[32] = '\0';
	return conf_array_matches(id, &f);
}

/* DEVICE lines: globs, or "partitions" for all block devices. */
static size_t conf_devices(const struct conf *conf, char **out, size_t max)
{
	size_t n = 0;

	if (conf->ndevices == 0)
		return discover_md_members(out, max);
	for (size_t i = 0; i < conf->ndevices && n < max; i++) {
		glob_t g;

		if (strcmp(conf->devices[i], "partitions") == 0) {
			n += discover_md_members(out + n, max - n);
			continue;
		}
		if (strcmp(conf->devices[i], "containers") == 0)
			continue;
		if (glob(conf->devices[i], 0, NULL, &g) != 0)
			continue;
		for (size_t k = 0; k < g.gl_pathc && n < max; k++)
			out[n++] = strdup(g.gl_pathv[k]);
		globfree(&g);
	}
	return n;
}

/* ---- one array ------------------------------------------------------------- */

/* Does running md device devnm hold the array with this uuid (md/uuid is
 * the 16 bytes in order, as 8-4-4-4-12 hex)? Unknown counts as yes. */
static bool md_holds_uuid(const struct sysfs *s, const char *devnm, const uint8_t uuid[16])
{
	char buf[64], hex[33], want[33];
	size_t n = 0;

	if (md_read(s, devnm, "uuid", buf, sizeof(buf), NULL))
		return true;
	for (const char *p = buf; *p && n < 32; p++)
		if (isxdigit((unsigned char)*p))
			hex[n++] = (char)tolower((unsigned char)*p);
	hex[n] = '\0';
	for (int i = 0; i < 16; i++)
		snprintf(want + 2 * i, 3, "%02x", uuid[i]);
	return strcmp(hex, want) == 0;
}

/* "host:name" with our homehost, or a name without a host part */
static bool local_name(const struct assemble_ctx *x, const uint8_t set_name[32])
{
	return !memchr(set_name, ':', strnlen((const char *)set_name, 32)) ||
	       sb_name_is_local(set_name, x->homehost);
}

/* The kernel name for an array known by a name: md_NAME under
 * "CREATE names=yes" when that is free, else a free mdN. */
static int devnm_for_name(const struct assemble_ctx *x, const char *name, char *devnm,
			  size_t len, struct diag *d)
{
	if (x->names && policy_names_devnm(name, devnm, len) && !md_present(&x->sys, devnm))
		return 0;
	return md_find_free(&x->sys, devnm, len, d);
}

/* /dev/md/X: the device its link points at, unless the link is stale;
 * else a new device and the link to make */
static int linked_devnm(struct assemble_ctx *x, const struct md_name *given,
			const struct member *m, char *devnm, size_t len, char *link,
			size_t linklen, struct diag *d)
{
	char target[256];
	ssize_t n = readlink(given->link, target, sizeof(target) - 1);

	if (n > 0) {
		const char *base;

		target[n] = '\0';
		base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
		if (strlen(base) >= len)
			return diag_fail(d, "%s points at %s, not an md device", given->link, target);
		/* a link left behind by another array that now runs there is
		 * stale (links outlive --stop without udev) */
		uint8_t uuid[16];

		member_map_uuid(m, uuid);   /* md/uuid holds the same bytes */
		if (!md_array_is_active(&x->sys, base) || md_holds_uuid(&x->sys, base, uuid)) {
			memcpy(devnm, base, strlen(base) + 1);
			return 0;
		}
	}
	snprintf(link, linklen, "%s", given->link);
	return devnm_for_name(x, given->name, devnm, len, d);
}

/* A 0.90 array without our homehost's mark is foreign: its name (the
 * preferred minor) gets the first free "_N" suffix, as in mdadm 4.6, and
 * a free md device. */
static int foreign090_devnm(struct assemble_ctx *x, const char *name, char *devnm,
			    size_t len, char *link, size_t linklen, struct diag *d)
{
	struct mapfile map;
	char cand[48];

	if (mapfile_read(&map, NULL) != 0)
		memset(&map, 0, sizeof(map));
	for (int unum = 0; unum < 1000; unum++) {
		snprintf(cand, sizeof(cand), "%s_%d", name, unum);
		if (!mapfile_by_name(&map, cand, &x->sys))
			break;
	}
	mapfile_free(&map);
	snprintf(link, linklen, "/dev/md/%s", cand);
	return md_find_free(&x->sys, devnm, len, d);
}

static int pick_devnm(struct assemble_ctx *x, const char *array, const struct member *m,
		      char *devnm, size_t len, char *link, size_t linklen, struct diag *d)
{
	char name[33];
	const char *nm;

	link[0] = '\0';
	if (array) {
		struct md_name given;

		if (policy_md_name(array, &given, d))
			return -1;
		if (given.kind != MD_NAME_LINKED) {
			snprintf(devnm, len, "%s", given.devnm);
			return 0;
		}
		return linked_devnm(x, &given, m, devnm, len, link, linklen, d);
	}
	/* --scan without a name: /dev/md/<name> from the superblock */
	memcpy(name, m->sb.set_name, 32);
	name[32] = '\0';
	if (m->v090 && !member_is_local(m, x->homehost))
		return foreign090_devnm(x, name, devnm, len, link, linklen, d);
	nm = strchr(name, ':') ? strchr(name, ':') + 1 : name;
	if (*nm && !strchr(nm, '/')) {
		char safe[33];

		outname_link(nm, safe, sizeof(safe));
		snprintf(link, linklen, "/dev/md/%s", safe);
	}
	/* a local array named by a number gets that md device, as mdadm 4.6
	 * and --incremental do */
	if (local_name(x, m->sb.set_name) && *nm && nm[strspn(nm, "0123456789")] == '\0' && strlen(nm) <= 6) {
		snprintf(devnm, len, "md%.6s", nm);
		if (!md_present(&x->sys, devnm))
			return 0;
	}
	return devnm_for_name(x, nm, devnm, len, d);
}

/* A partly assembled (inactive) array of that name is taken apart so the
 * assembly can start over with the members given now. */
static int release_inactive(const struct sysfs *s, const char *devnm, struct diag *d)
{
	enum md_array_state st;
	int rc;

	if (!md_present(s, devnm) || md_get_array_state(s, devnm, &st, NULL) ||
	    st != MD_STATE_INACTIVE)
		return 0;
	rc = md_array_stop(s, devnm, d);
	if (rc)
		diag_prefix(d, "cannot stop the inactive %s", devnm);
	return rc;
}

static void report_started(const char *array, const struct asm_count *n,
			   unsigned raid_disks)
{
	printf("mdadm: %s has been started with %u drive%s", array, n->active,
	       n->active == 1 ? "" : "s");
	if (n->active < raid_disks)
		printf(" (out of %u)", raid_disks);
	if (n->rebuilding)
		printf("%s %u rebuilding", n->spares ? "," : " and", n->rebuilding);
	if (n->spares)
		printf(" and %u spare%s", n->spares, n->spares == 1 ? "" : "s");
	printf(".\n");
	fflush(stdout);
}

static void report_not_started(const char *array, const struct asm_count *n,
			       unsigned raid_disks)
{
	pr_err("%s assembled from %u drive%s", array, n->active, n->active == 1 ? "" : "s");
	if (n->spares)
		fprintf(stderr, " and %u spare%s", n->spares, n->spares == 1 ? "" : "s");
	if (n->rebuilding)
		fprintf(stderr, "%s %u rebuilding", n->spares ? "," : " and", n->rebuilding);
	if (!n->enough)
		fprintf(stderr, " - not enough to start the array.\n");
	else if (n->unclean_degraded)
		fprintf(stderr, " - not enough to start the array while not clean - consider --force.\n");
	else if (n->expected == raid_disks)
		fprintf(stderr, " - need all %u to start it (use --run to insist).\n", raid_disks);
	else
		fprintf(stderr, " - need %u to start (use --run to insist).\n", n->expected);
}

static void report_held_back(const char *array, const struct asm_count *n, unsigned raid_disks)
{
	pr_err("%s assembled from %u drive%s", array, n->active, n->active == 1 ? "" : "s");
	if (n->spares)
		fprintf(stderr, " and %u spare%s", n->spares, n->spares == 1 ? "" : "s");
	fprintf(stderr, " (out of %u), but not started.\n", raid_disks);
}

static void make_link(const char *link, const char *devnm)
{
	struct diag d = { 0 };

	if (link[0] && md_make_link(link, devnm, &d))
		pr_err("warning: %s\n", d.msg);
}

/* --update=bbl adds a bad-block log where the metadata area has room for
 * one after the bitmap (for a lockless bitmap: after its whole extent);
 * --update=no-bbl removes an empty one. */
static int update_bbl(const struct asm_member *am, struct sb1 *sb, bool add, struct diag *d)
{
	uint64_t after_bitmap;

	if (!add) {
		if (sb->feature_map & SB1_FEAT_BAD_BLOCKS)
			return diag_fail(d, "bad blocks are recorded; the log cannot be removed");
		sb->bblog_offset = 0;
		sb->bblog_size = 0;
		return 0;
	}
	if (sb->bblog_size)
		return 0;
	if (sb->data_offset < sb->super_offset)
		return diag_fail(d, "--update=bbl is not supported for metadata 1.0 by this mdadm");
	if (!(sb->feature_map & SB1_FEAT_BITMAP_OFFSET))
		after_bitmap = 16;
	else if (am->m.bitmap_read)
		after_bitmap = (uint64_t)sb->bitmap_offset + bitmap_extent_of(&am->m.bsb);
	else
		return diag_fail(d, "the bitmap cannot be read, so there is no safe place for a bad-block log");
	if (sb->super_offset + after_bitmap + 8 > sb->data_offset)
		return diag_fail(d, "no room for a bad-block log before the data");
	sb->bblog_offset = (int32_t)after_bitmap;
	sb->bblog_size = 8;
	sb->bblog_shift = 0;
	return 0;
}

/* --update=devicesize: a 1.1/1.2 member whose device grew offers all of
 * it to the array (the data area runs to the end of the device). A 1.0
 * superblock sits at the end, so there nothing can change. */
static void update_devicesize(const struct asm_member *am, struct sb1 *sb)
{
	if (sb->super_offset < sb->data_offset && am->m.dev_sectors > sb->data_offset)
		sb->data_size = am->m.dev_sectors - sb->data_offset;
}

/* --update=layout-original|alternate|unspecified: which of the kernel's two
 * RAID0 zone layouts a multi-zone RAID0 uses (feature bit and layout 1 or
 * 2), or none recorded (the kernel then refuses to guess). */
static int update_raid0_layout(struct sb1 *sb, enum update_word w, struct diag *d)
{
	if (sb->level != 0)
		return diag_errno(d, EINVAL, "--update=%s is only supported for RAID0",
				  update_word_name(w));
	if (w == UPD_LAYOUT_UNSPECIFIED) {
		sb->feature_map &= ~SB1_FEAT_RAID0_LAYOUT;
		sb->layout = 0;
	} else {
		sb->feature_map |= SB1_FEAT_RAID0_LAYOUT;
		sb->layout = w == UPD_LAYOUT_ORIGINAL ? 1 : 2;
	}
	return 0;
}

/* The --update= words assembly carries out; the others upstream knows are
 * refused before any device is opened. */
static bool update_supported(enum update_word w)
{
	switch (w) {
	case UPD_NAME: case UPD_HOMEHOST: case UPD_UUID: case UPD_RESYNC:
	case UPD_NO_BITMAP: case UPD_BBL: case UPD_NO_BBL: case UPD_LOCKLESS_BITMAP:
	case UPD_DEVICESIZE: case UPD_LAYOUT_ORIGINAL: case UPD_LAYOUT_ALTERNATE:
	case UPD_LAYOUT_UNSPECIFIED:
		return true;
	default:
		return false;
	}
}

static int apply_update(struct assemble_ctx *x, struct asm_set *set, enum update_word what)
{
	uint8_t uuid[16];
	struct diag d = { 0 };

	if (set->ms[set->freshest].m.v090) {
		pr_err("--update of 0.90 members is not implemented yet for 0.90 in this version of mdadm\n");
		return EXIT_FAIL;
	}
	if (what == UPD_LOCKLESS_BITMAP) {
		if (convert_set_to_lockless(set, set->ms[set->freshest].path, &d)) {
			pr_err("%s\n", d.msg);
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	if (what == UPD_UUID) {
		if (cmd_has(x->c, OPT_UUID))
			memcpy(uuid, cmd_value(x->c, OPT_UUID)->uuid, sizeof(uuid));
		else if (getrandom(uuid, 16, 0) != 16)
			return EXIT_FAIL;
	}
	for (size_t i = 0; i < set->n; i++) {
		struct asm_member *am = &set->ms[i];
		struct sb1 sb = am->m.sb;

		if (!am->chosen)
			continue;
		switch (what) {
		case UPD_NAME:
		case UPD_HOMEHOST: {
			char full[128], name[33];
			const char *nm;

			memcpy(name, sb.set_name, 32);
			name[32] = '\0';
			nm = strchr(name, ':') ? strchr(name, ':') + 1 : name;
			if (what == UPD_NAME && cmd_has(x->c, OPT_NAME))
				nm = cmd_val(x->c, OPT_NAME);
			snprintf(full, sizeof(full), "%s%s%s", x->homehost,
				 x->homehost[0] ? ":" : "", nm);
			memset(sb.set_name, 0, 32);
			memcpy(sb.set_name, full, strlen(full) > 32 ? 32 : strlen(full));
			break;
		}
		case UPD_UUID:
			memcpy(sb.set_uuid, uuid, 16);
			break;
		case UPD_RESYNC:
			sb.resync_offset = 0;
			break;
		case UPD_NO_BITMAP:
			sb.feature_map &= ~SB1_FEAT_BITMAP_OFFSET;
			break;
		case UPD_BBL:
		case UPD_NO_BBL:
			if (update_bbl(am, &sb, what == UPD_BBL, &d)) {
				pr_err("%s: %s\n", am->path, d.msg);
				return EXIT_FAIL;
			}
			break;
		case UPD_DEVICESIZE:
			update_devicesize(am, &sb);
			break;
		case UPD_LAYOUT_ORIGINAL:
		case UPD_LAYOUT_ALTERNATE:
		case UPD_LAYOUT_UNSPECIFIED:
			if (update_raid0_layout(&sb, what, &d)) {
				pr_err("%s: %s\n", am->path, d.msg);
				return EXIT_FAIL;
			}
			break;
		default:
			return EXIT_USAGE;   /* parse_identity() refused it already */
		}
		if (asm_rewrite_member(am, &sb, &d)) {
			pr_err("Could not re-write superblock on %s: %s\n", am->path, d.msg);
			return EXIT_FAIL;
		}
		if (what == UPD_NO_BITMAP)
			am->m.has_bitmap = false;
	}
	return EXIT_OK;
}

/* The map tells --incremental, --run and udev which md device holds the
 * array (recorded before the start, like upstream, so a partly assembled
 * array can be found too). */
static void record_in_map(const char *devnm, const struct asm_set *set, const char *shown)
{
	const struct asm_member *f = &set->ms[set->freshest];
	struct diag d = { 0 };
	char mv[8];
	uint8_t uuid[16];

	member_metadata_text(&f->m, mv, sizeof(mv));
	member_map_uuid(&f->m, uuid);
	if (mapfile_record(devnm, mv, uuid, shown, &d))
		pr_err("warning: could not record %s in the map: %s\n", shown, d.msg);
}

/* --force, on disk: the forced members' event counts raised to the
 * freshest's first, then the freshest superblock's record of the chosen
 * members' roles (a forced member it lists as failed) and, for a dirty
 * degraded parity array the kernel would refuse, its resync state; a
 * power loss between the writes leaves members that --force assembles
 * again. */
static int force_superblocks(struct assemble_ctx *x, const char *shown, struct asm_set *set)
{
	struct asm_member *fresh = &set->ms[set->freshest];
	struct sb1 sb;
	struct asm_count n;
	struct diag d = { 0 };
	bool change = false, say = x->c->verbose >= 0;

	for (size_t i = 0; i < set->n; i++) {
		struct asm_member *am = &set->ms[i];

		if (!am->forced)
			continue;
		if (say)
			pr_err("forcing event count in %s(%d) from %llu up to %llu\n", am->path, am->role,
			       (unsigned long long)am->m.sb.events,
			       (unsigned long long)fresh->m.sb.events);
		sb = am->m.sb;
		sb.events = fresh->m.sb.events;
		if (asm_rewrite_member(am, &sb, &d)) {
			pr_err("Could not re-write superblock on %s: %s\n", am->path, d.msg);
			return -1;
		}
	}
	sb = fresh->m.sb;
	for (size_t i = 0; i < set->n; i++) {
		const struct asm_member *am = &set->ms[i];
		uint32_t dn = am->m.sb.dev_number;
		uint16_t want = asm_wanted_role(set, i);

		if (!am->chosen || dn >= sb.max_dev || dn >= SB1_MAX_DEV ||
		    sb.dev_roles[dn] == want || sb.dev_roles[dn] == SB1_ROLE_JOURNAL)
			continue;
		if (say)
			pr_err("clearing FAULTY flag for device %zu in %s for %s\n", i, shown, am->path);
		sb.dev_roles[dn] = want;
		change = true;
	}
	asm_count(set, &n);
	if (n.unclean_degraded) {
		sb.resync_offset = SB1_MAX_SECTOR;
		change = true;
	}
	if (!change)
		return 0;
	if (asm_rewrite_member(fresh, &sb, &d)) {
		pr_err("Could not re-write superblock on %s: %s\n", fresh->path, d.msg);
		return -1;
	}
	if (say)
		pr_err("Marking array %s as 'clean'\n", shown);
	return 0;
}

/* What starting one array needs once its md device and members are known. */
struct array_start {
	struct assemble_ctx *x;
	struct asm_set *set;
	char devnm[MD_DEVNM_MAX], link[256], shown[300];
	struct asm_count n;
	bool start;
};

/* Give the kernel the members, then start the array or say why not. */
static int load_and_start(void *arg)
{
	struct array_start *p = arg;
	struct assemble_ctx *x = p->x;
	const struct sb1 *fresh = &p->set->ms[p->set->freshest].m.sb;
	struct diag d = { 0 };

	if (asm_load_members(&x->sys, p->devnm, p->set, &d))
		goto fail;
	if (!p->start && p->n.enough && cmd_has(x->c, OPT_NO_DEGRADED)) {
		/* mdadm 4.6: left assembled, and that is success */
		report_held_back(p->shown, &p->n, fresh->raid_disks);
		make_link(p->link, p->devnm);
		return EXIT_OK;
	}
	if (!p->start) {
		report_not_started(p->shown, &p->n, fresh->raid_disks);
		make_link(p->link, p->devnm);
		return EXIT_FAIL;
	}
	if (asm_start(&x->sys, p->devnm, p->set, x->readonly ? ASM_START_RO : ASM_START_RW, &d)) {
		if (!p->n.enough)
			snprintf(d.msg, sizeof(d.msg), "Not enough devices to start the array.");
		else if (p->n.unclean_degraded)
			snprintf(d.msg, sizeof(d.msg), "Not enough devices to start the array while not clean - consider --force.");
		goto fail;
	}
	if (reshape_resume_prepare(&x->sys, p->devnm, fresh, &d) != 0)
		pr_err("%s resumes its reshape with too small a stripe cache: %s\n", p->shown, d.msg);
	make_link(p->link, p->devnm);
	if (x->c->verbose >= 0)
		report_started(p->shown, &p->n, fresh->raid_disks);
	return EXIT_OK;
fail:
	pr_err("failed to assemble %s: %s\n", p->shown, d.msg);
	if (md_array_stop(&x->sys, p->devnm, &d) != 0)
		pr_err("could not stop %s again: %s\n", p->shown, d.msg);
	return EXIT_FAIL;
}

/* Everything before the members go to the kernel: choices, updates, the
 * md device and the map entry. With side_by_side, the rest runs in a
 * child; what it uses is claimed so later arrays wait for it. */
static int prepare_and_start(struct assemble_ctx *x, const char *array, struct asm_set *set,
			     bool side_by_side)
{
	struct array_start p = { .x = x, .set = set };
	char *devnm = p.devnm, *link = p.link, *shown = p.shown;
	const size_t devnm_len = sizeof(p.devnm), link_len = sizeof(p.link), shown_len = sizeof(p.shown);
	struct diag d = { 0 };

	asm_choose(set);
	if (x->force)
		(void)asm_force_plan(set);
	for (size_t i = 0; i < set->n; i++)
		if (!set->ms[i].chosen)
			pr_err("%s is not included: %s\n", set->ms[i].path, set->ms[i].why_not);
	if (cmd_has(x->c, OPT_UPDATE)) {
		int rc = apply_update(x, set, (enum update_word)cmd_num(x->c, OPT_UPDATE));

		if (rc)
			return rc;
	}
	if (finish_lockless_conversion(set, &d)) {
		pr_err("cannot finish the interrupted conversion to the lockless bitmap: %s\n", d.msg);
		return EXIT_FAIL;
	}
	if (finish_lockless_resize(set, &d)) {
		pr_err("cannot finish the interrupted resize: %s\n", d.msg);
		return EXIT_FAIL;
	}
	if (pick_devnm(x, array, &set->ms[set->freshest].m, devnm, devnm_len, link, link_len, &d)) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	snprintf(shown, shown_len, "%s", array ? array : link[0] ? link : devnm);
	if (!array && !link[0])
		snprintf(shown, shown_len, "/dev/%s", devnm);
	if (md_claimed(x, devnm))
		settle(x);      /* an array started beside this one has that name */
	if (md_array_is_active(&x->sys, devnm)) {
		pr_err("%s is already in use.\n", shown);
		return EXIT_FAIL;
	}
	if (release_inactive(&x->sys, devnm, &d)) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	if (x->force && force_superblocks(x, shown, set) != 0)
		return EXIT_FAIL;
	asm_count(set, &p.n);
	if (!md_present(&x->sys, devnm) && md_alloc(&x->sys, devnm, &d)) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	/* in the map before the members go in, so that an array started
	 * beside this one does not take its name */
	record_in_map(devnm, set, shown);
	p.start = x->run || (p.n.enough && !p.n.unclean_degraded &&
			     (x->partial_ok || p.n.active + p.n.rebuilding >= p.n.expected));
	if (!side_by_side || !claim(x, devnm, set))
		return load_and_start(&p);
	jobs_spawn(x->jobs, load_and_start, &p);
	return EXIT_OK;
}

static int assemble_set(struct assemble_ctx *x, const char *array, struct asm_set *set)
{
	int rc;

	if (!x->jobs)
		return prepare_and_start(x, array, set, false);
	if (!jobs_open(x->jobs)) {
		settle(x);
		return prepare_and_start(x, array, set, false);
	}
	rc = prepare_and_start(x, array, set, true);
	jobs_close(x->jobs, rc);
	return EXIT_OK;     /* its exit code comes back when the jobs finish */
}

/* ---- explicit members ---------------------------------------------------------- */

/* With an identity (--uuid, --name), listed devices that are not members
 * of that array are passed over, saying why unless --quiet; without one,
 * every listed device must be a member. */
static void report_no_superblock(const struct assemble_ctx *x, const char *path,
				 const struct asm_set *set)
{
	uint32_t word = 0;

	if (x->c->verbose < 0)
		return;
	/* before any member is found the metadata type is still unknown */
	if (set->n == 0 || member_sb1_magic_word(path, set->ms[0].m.minor, &word, NULL) != 0) {
		pr_err("no recogniseable superblock on %s\n", path);
		return;
	}
	pr_err("No super block found on %s (Expected magic %08x, got %08x)\n", path, SB1_MAGIC, word);
	pr_err("no RAID superblock on %s\n", path);
}

/* 0: added; 1: passed over (not a member of the identified array); -1: abort */
static int load_one(struct assemble_ctx *x, const char *path, const struct conf_array *id,
		    struct asm_set *set)
{
	bool skip_others = conf_array_identifies(id), say = x->c->verbose >= 0;
	struct member m;
	struct diag d = { 0 };
	enum member_load_result lr = member_load_any(&m, path, &d);

	if (lr == MEMBER_IO_ERROR) {
		pr_err("cannot open device %s: %s\n", path, d.err ? strerror(d.err) : d.msg);
		return skip_others ? 1 : -1;
	}
	if (lr != MEMBER_OK || !m.geometry_ok || !m.csum_ok) {
		if (skip_others) {
			report_no_superblock(x, path, set);
			return 1;
		}
		pr_err("no usable RAID superblock on %s: %s\n", path,
		       lr != MEMBER_OK ? d.msg : !m.geometry_ok ? m.geometry_problem.msg : "bad checksum");
		pr_err("%s has no superblock - assembly aborted\n", path);
		return -1;
	}
	if (!identity_matches(id, &m, path)) {
		if (say || !skip_others)
			pr_err("%s has wrong %s.\n", path, id->has_uuid ? "uuid" : "name");
		return skip_others ? 1 : -1;
	}
	if (m.has_bitmap && (!m.bitmap_read || !m.bitmap_uuid_ok)) {
		pr_err("%s: the bitmap is not usable (%s) - assembly aborted\n", path,
		       m.bitmap_problem.msg);
		return -1;
	}
	if (set->n && memcmp(set->ms[0].m.sb.set_uuid, m.sb.set_uuid, 16) != 0) {
		pr_err("superblock on %s doesn't match others - assembly aborted\n", path);
		return -1;
	}
	if (asm_add(set, path, &m, &x->sys, &d)) {
		pr_err("%s\n", d.msg);
		return -1;
	}
	return 0;
}

static int load_explicit(struct assemble_ctx *x, const char *const *paths, size_t npaths,
			 const struct conf_array *id, struct asm_set *set)
{
	for (size_t i = 0; i < npaths; i++)
		if (load_one(x, paths[i], id, set) < 0)
			return EXIT_FAIL;
	/* mdadm 4.6 ends so, with nothing more to say than the lines above */
	return set->n ? EXIT_OK : EXIT_USAGE;
}

/* ---- searching ----------------------------------------------------------------- */

/* Load every candidate device quietly; keep those matching the identity. */
static size_t scan_members(struct assemble_ctx *x, char **paths, size_t npaths,
			   const struct conf_array *id, struct member *ms, const char **mpaths)
{
	size_t n = 0;

	for (size_t i = 0; i < npaths; i++) {
		const char *base = strrchr(paths[i], '/') ? strrchr(paths[i], '/') + 1 : paths[i];

		if (blockdev_is_held(&x->sys, base))
			continue;   /* already part of a running array */
		if (member_load_any(&ms[n], paths[i], NULL) != MEMBER_OK || !ms[n].geometry_ok ||
		    !ms[n].csum_ok || !identity_matches(id, &ms[n], paths[i]))
			continue;
		mpaths[n++] = paths[i];
	}
	return n;
}

/* Group found members by UUID and assemble each group not running yet. */
static int assemble_groups(struct assemble_ctx *x, const char *array, struct member *ms,
			   const char **mpaths, size_t n)
{
	bool *done = calloc(n ? n : 1, sizeof(bool));
	struct asm_set *set = asm_set_new(n);
	int rc = EXIT_OK, arrays = 0;

	if (!done || !set) {
		free(done);
		free(set);
		pr_err("out of memory\n");
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++) {
		if (done[i])
			continue;
		set->n = 0;
		for (size_t k = i; k < n; k++)
			if (!done[k] && memcmp(ms[k].sb.set_uuid, ms[i].sb.set_uuid, 16) == 0) {
				done[k] = true;
				if (asm_add(set, mpaths[k], &ms[k], &x->sys, NULL) != 0)
					continue;
			}
		arrays++;
		rc |= assemble_set(x, array, set);
	}
	if (arrays == 0) {
		settle(x);
		pr_err("No arrays found%s\n", array ? " for the given identity" : "");
		rc = EXIT_FAIL;
	}
	free(done);
	free(set);
	return rc;
}

/* Every candidate device of the DEVICE lines (or all found), read once. */
struct candidates {
	char **paths;
	size_t npaths;
	struct member *ms;
	const char **mpaths;
	size_t n;
};

static void candidates_free(struct candidates *cs)
{
	for (size_t i = 0; cs->paths && i < cs->npaths; i++)
		free(cs->paths[i]);
	free(cs->paths);
	free(cs->ms);
	free(cs->mpaths);
	memset(cs, 0, sizeof(*cs));
}

static int candidates_load(struct assemble_ctx *x, const struct conf *conf,
			   const struct conf_array *id, struct candidates *cs)
{
	memset(cs, 0, sizeof(*cs));
	cs->paths = calloc(MAX_CANDIDATES, sizeof(char *));
	if (cs->paths) {
		/* superblocks: as many as there are devices to read */
		cs->npaths = conf_devices(conf, cs->paths, MAX_CANDIDATES);
		cs->ms = calloc(cs->npaths ? cs->npaths : 1, sizeof(*cs->ms));
		cs->mpaths = calloc(cs->npaths ? cs->npaths : 1, sizeof(char *));
	}
	if (!cs->paths || !cs->ms || !cs->mpaths) {
		candidates_free(cs);
		pr_err("out of memory\n");
		return -1;
	}
	cs->n = scan_members(x, cs->paths, cs->npaths, id, cs->ms, cs->mpaths);
	return 0;
}

static int assemble_search(struct assemble_ctx *x, const char *array, const struct conf_array *id,
			   const struct conf *conf)
{
	struct candidates cs;
	int rc;

	if (candidates_load(x, conf, id, &cs) != 0)
		return EXIT_FAIL;
	rc = assemble_groups(x, array, cs.ms, cs.mpaths, cs.n);
	candidates_free(&cs);
	return rc;
}

/* One ARRAY line against the candidates read once for all of them. */
static int assemble_conf_array(struct assemble_ctx *x, const struct conf_array *a,
			       const struct candidates *cs)
{
	struct member *ms = calloc(cs->n ? cs->n : 1, sizeof(*ms));
	const char **mpaths = calloc(cs->n ? cs->n : 1, sizeof(char *));
	size_t n = 0;
	int rc;

	if (!ms || !mpaths) {
		free(ms);
		free(mpaths);
		pr_err("out of memory\n");
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < cs->n; i++) {
		const char *base = strrchr(cs->mpaths[i], '/');

		if (!identity_matches(a, &cs->ms[i], cs->mpaths[i]))
			continue;
		if (dev_claimed(x, cs->mpaths[i]))
			settle(x);
		/* taken by an array started for an earlier line */
		if (blockdev_is_held(&x->sys, base ? base + 1 : cs->mpaths[i]))
			continue;
		ms[n] = cs->ms[i];
		mpaths[n++] = cs->mpaths[i];
	}
	rc = assemble_groups(x, a->devname[0] ? a->devname : NULL, ms, mpaths, n);
	free(ms);
	free(mpaths);
	return rc;
}

/* --scan: every ARRAY line of mdadm.conf, or everything found. */
static int assemble_each(struct assemble_ctx *x, const struct conf *conf)
{
	struct conf_array any;
	struct candidates cs;
	int rc = EXIT_OK;

	conf_array_init(&any);

	if (conf->narrays == 0)
		return assemble_search(x, NULL, &any, conf);
	if (candidates_load(x, conf, &any, &cs) != 0)
		return EXIT_FAIL;
	for (size_t i = 0; i < conf->narrays; i++) {
		const struct conf_array *a = &conf->arrays[i];

		if (strcmp(a->devname, "<ignore>") == 0 || !conf_array_identifies(a))
			continue;
		if (a->devname[0]) {
			char devnm[MD_DEVNM_MAX];

			int err;

			if (md_resolve_name(&x->sys, a->devname, devnm, sizeof(devnm), &err) != MD_RESOLVE_MD)
				devnm[0] = '\0';
			else if (md_claimed(x, devnm))
				settle(x);
			if (devnm[0] && md_array_is_active(&x->sys, devnm))
				continue;   /* already running */
		}
		rc |= assemble_conf_array(x, a, &cs);
	}
	candidates_free(&cs);
	return rc;
}

/* The arrays start side by side: most of a start is the kernel reading
 * members, and those waits overlap; the messages come out as they would
 * one array after the other. */
static int assemble_scan(struct assemble_ctx *x, const struct conf *conf)
{
	const struct conf_array *first, *again = conf_duplicate_devname(conf, &first);
	struct jobs jobs;
	int rc;

	if (again) {
		/* which of the two would be meant is anybody's guess: as mdadm
		 * 4.6, nothing is assembled */
		if (first->has_uuid && again->has_uuid) {
			char u1[40], u2[40];

			format_uuid(first->uuid, u1, sizeof(u1));
			format_uuid(again->uuid, u2, sizeof(u2));
			pr_err("Devices UUID-%s and UUID-%s have the same name: %s\n", u1, u2,
			       first->devname);
		} else {
			pr_err("Device %s given twice in config file\n", first->devname);
		}
		pr_err("Duplicate MD device names in conf file were found.\n");
		return EXIT_FAIL;
	}

	if (jobs_init(&jobs))
		x->jobs = &jobs;
	rc = assemble_each(x, conf);
	if (x->jobs)
		rc |= jobs_finish(&jobs);
	x->jobs = NULL;
	return rc;
}

static int parse_identity(const struct cmdline *c, struct conf_array *id)
{
	bool updating = cmd_has(c, OPT_UPDATE);
	/* with --update=uuid/name the option gives the new value, not the identity */
	bool uuid_is_new = updating && cmd_num(c, OPT_UPDATE) == UPD_UUID;
	bool name_is_new = updating && cmd_num(c, OPT_UPDATE) == UPD_NAME;

	conf_array_init(id);
	if (cmd_has(c, OPT_UUID) && !uuid_is_new) {
		memcpy(id->uuid, cmd_value(c, OPT_UUID)->uuid, sizeof(id->uuid));
		id->has_uuid = true;
	}
	if (cmd_has(c, OPT_NAME) && !name_is_new)
		snprintf(id->name, sizeof(id->name), "%s", cmd_val(c, OPT_NAME));
	if (cmd_has(c, OPT_SUPER_MINOR)) {
		pr_err("--super-minor only identifies 0.90 arrays: not implemented yet for 0.90 in this version of mdadm\n");
		return EXIT_USAGE;
	}
	if (cmd_has(c, OPT_BITMAP)) {
		pr_err("no need to specify --bitmap when assembling arrays with internal bitmaps\n");
		return EXIT_USAGE;
	}
	if (updating && !update_supported((enum update_word)cmd_num(c, OPT_UPDATE))) {
		pr_err("--update=%s is not supported by this mdadm for assembly (supported: name, homehost, uuid, resync, no-bitmap, lockless-bitmap, bbl, no-bbl, devicesize, layout-original, layout-alternate, layout-unspecified)\n",
		       cmd_val(c, OPT_UPDATE));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int Assemble(const struct cmdline *c)
{
	struct assemble_ctx x = { .c = c };
	struct conf_array id;
	struct conf *conf = calloc(1, sizeof(*conf));
	struct diag d = { 0 };
	const char *array = c->ndevs ? c->devs[0].name : NULL;
	const char *members[CMD_MAX_DEVS];
	int rc;

	if (!conf)
		return EXIT_FAIL;
	sysfs_init(&x.sys);
	x.force = cmd_has(c, OPT_FORCE);
	x.run = cmd_has(c, OPT_RUN);
	x.readonly = cmd_has(c, OPT_READONLY);
	x.scan = cmd_has(c, OPT_SCAN);
	/* mdadm 4.6 starts a degraded array that can run when forced, or
	 * when it found the members itself (no members listed) */
	x.partial_ok = !cmd_has(c, OPT_NO_DEGRADED) && (x.force || c->ndevs <= 1);
	if (cmd_has(c, OPT_NO_DEGRADED) && x.run) {
		pr_err("Cannot both Stop and Run an array\n");
		rc = EXIT_USAGE;
		goto out;
	}
	if (cmd_has(c, OPT_NO_DEGRADED) && !x.scan) {
		pr_err("--no-degraded not meaningful without a --scan assembly.\n");
		rc = EXIT_FAIL;
		goto out;
	}
	if ((rc = parse_identity(c, &id)))
		goto out;
	if (conf_load(cmd_val(c, OPT_CONFIG), conf, &d)) {
		pr_err("%s\n", d.msg);
		rc = EXIT_FAIL;
		goto out;
	}
	homehost_from_cmdline(c, conf, x.homehost, sizeof(x.homehost));
	x.names = conf->create_names;
	if (!array) {
		if (!x.scan) {
			pr_err("an md device or --scan must be given in --assemble mode\n");
			rc = EXIT_USAGE;
		} else {
			rc = assemble_scan(&x, conf);
		}
		goto out;
	}
	if (c->ndevs > 1) {
		struct asm_set *set = asm_set_new(c->ndevs - 1);

		for (size_t i = 1; i < c->ndevs; i++)
			members[i - 1] = c->devs[i].name;
		rc = set ? load_explicit(&x, members, c->ndevs - 1, &id, set) : EXIT_FAIL;
		if (rc == EXIT_OK)
			rc = assemble_set(&x, array, set);
		free(set);
		goto out;
	}
	/* only the array name: identity from the options or from mdadm.conf */
	if (!conf_array_identifies(&id)) {
		for (size_t i = 0; i < conf->narrays; i++)
			if (strcmp(conf->arrays[i].devname, array) == 0)
				id = conf->arrays[i];
		if (!conf_array_identifies(&id)) {
			pr_err("%s not identified in config file.\n", array);
			rc = EXIT_FAIL;
			goto out;
		}
	}
	rc = assemble_search(&x, array, &id, conf);
out:
	conf_free(conf);
	free(conf);
	return rc;
}
