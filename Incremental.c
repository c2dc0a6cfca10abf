/* Incremental.c - --incremental: assemble arrays one member at a time
 *
 * udev runs `mdadm --incremental --export $devnode --offroot $env{DEVLINKS}`
 * for every device blkid calls a linux_raid_member, in any order and in
 * parallel. For each one: read its superblock (quickly refusing devices
 * that have none), find its array by uuid in the map (/run/mdadm/map) or
 * allocate an md device for it, hand the member to the kernel through
 * new_dev, and start the array once every member the superblocks call
 * working is present (or, with --run, as soon as enough are). The map lock
 * is held from the lookup until the decision is carried out, so two
 * members of one array never race each other.
 *
 * Starting always goes through member_set.c, which sets md/bitmap_type from
 * the bitmap superblock first (version 6 -> llbitmap). That also holds for
 * --incremental --run --scan and `mdadm --run /dev/mdX` (IncrementalScan),
 * where upstream leaves the type to the kernel's fallback.
 *
 * --fail (-If) is the other direction: a device vanished, so mark it
 * faulty in whatever array holds it and remove it. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "member_set.h"
#include "bitmap_type.h"
#include "config.h"
#include "mapfile.h"
#include "md_ioctl.h"
#include "mdkernel.h"
#include "modes.h"
#include "outname.h"
#include "policy.h"
#include "util.h"

#define INC_MAX_MEMBERS ASM_MAX_MEMBERS
#define REMOVE_RETRIES 25
#define REMOVE_RETRY_MS 200u

enum trust { TRUST_LOCAL, TRUST_FOREIGN };

struct inc_ctx {
	const struct cmdline *c;
	struct sysfs sys;
	struct conf *conf;               /* NULL until conf_needed() */
	struct homehost_policy hp;
	bool export, run;
	int verbose;
};

/* What one --incremental DEV works out before touching the kernel. */
struct inc_dev {
	const char *path;
	dev_t rdev;
	struct member m;
	const struct conf_array *match;  /* ARRAY line for this uuid, if any */
	enum trust trust;
	char name[40];                   /* name to use for a new md device */
	char kname[MD_DEVNM_MAX];        /* kernel name ("" when unknown) */
	char devnm[MD_DEVNM_MAX];        /* the md device it went into */
	char chosen[MAP_PATH_MAX];       /* /dev/md/name or /dev/mdN */
	struct present *others;          /* the array's members before the add */
};

/* ---- small helpers --------------------------------------------------------- */

static bool udev_available(void)
{
	struct stat st;
	const char *no = getenv("MDADM_NO_UDEV");

	if (no && *no && strcmp(no, "0") != 0)
		return false;
	return stat("/dev/.udev", &st) == 0 || stat("/run/udev", &st) == 0;
}

/* /run/mdadm/creating-<devnm> tells udev (01-md-raid-creating.rules) to
 * keep the md device away from systemd until we are done with it. */
static void udev_block(const char *devnm)
{
	struct diag d = { 0 };

	if (!udev_available())
		return;
	if (mapfile_creating_mark(devnm, &d))
		pr_err("warning: %s\n", d.msg);
}

static void udev_unblock(const char *devnm)
{
	struct diag d = { 0 };

	if (mapfile_creating_clear(devnm, &d))
		pr_err("warning: %s\n", d.msg);
}

/* Ask udev to look at the md device again (rule 63 reads --detail). */
static void md_uevent(const struct sysfs *s, const char *devnm)
{
	/* best effort, silently: without the event udev keeps what it read at
	 * the last one, and nothing of ours depends on it */
	if (md_notify_udev(s, devnm, NULL) != 0)
		return;
}

static void set_name_text(const uint8_t set_name[32], char out[33])
{
	memcpy(out, set_name, 32);
	out[32] = '\0';
}

/* ---- mdadm.conf decisions --------------------------------------------------- */

/* DEVICE lines: with none, every device may be used. Otherwise one of the
 * names udev gave (the node and its DEVLINKS) must match a pattern, or a
 * device the patterns name must be this very device. */
static bool device_permitted(const struct conf *conf, const char *const *names, size_t n,
			     dev_t rdev)
{
	if (conf->ndevices == 0)
		return true;
	for (size_t i = 0; i < conf->ndevices; i++) {
		const char *pat = conf->devices[i];

		if (strcasecmp(pat, "partitions") == 0)
			return true;
		for (size_t k = 0; k < n; k++)
			if (fnmatch(pat, names[k], FNM_PATHNAME) == 0)
				return true;
	}
	for (size_t i = 0; i < conf->ndevices; i++) {
		glob_t g;
		bool hit = false;

		if (glob(conf->devices[i], 0, NULL, &g) != 0)
			continue;
		for (size_t k = 0; k < g.gl_pathc && !hit; k++) {
			struct stat st;

			hit = stat(g.gl_pathv[k], &st) == 0 && S_ISBLK(st.st_mode) &&
			      st.st_rdev == rdev;
		}
		globfree(&g);
		if (hit)
			return true;
	}
	return false;
}

enum auto_val { AUTO_YES, AUTO_NO, AUTO_HOMEHOST };

/* Does the word name metadata 1.x ("1", "1.x", "1.2", ...)? */
static bool word_is_1x(const char *v)
{
	return strcasecmp(v, "1.x") == 0 || strcmp(v, "1") == 0 || strncmp(v, "1.", 2) == 0;
}

/* The AUTO line (with MDADM_CONF_AUTO in front) for 1.x metadata: words
 * are read in order and the first that decides wins. */
static enum auto_val auto_policy(const struct conf *conf)
{
	const char *env = getenv("MDADM_CONF_AUTO");
	char line[640], *save = NULL;
	bool homehost = false;

	snprintf(line, sizeof(line), "%s %s", env ? env : "", conf->auto_line);
	for (char *w = strtok_r(line, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		enum auto_val v;

		if (strcasecmp(w, "yes") == 0)
			return AUTO_YES;
		if (strcasecmp(w, "no") == 0)
			return homehost ? AUTO_HOMEHOST : AUTO_NO;
		if (strcasecmp(w, "homehost") == 0) {
			homehost = true;
			continue;
		}
		if (w[0] != '+' && w[0] != '-')
			continue;
		v = w[0] == '+' ? AUTO_YES : homehost ? AUTO_HOMEHOST : AUTO_NO;
		if (strcasecmp(w + 1, "all") == 0 || word_is_1x(w + 1))
			return v;
	}
	return AUTO_YES;
}

/* The ARRAY line with this uuid that matches the member (conf_array_matches).
 * More than one: ambiguous (*ambiguous). Lines without a uuid do not
 * claim devices here. */
static const struct conf_array *conf_match(const struct inc_ctx *x, const struct member *m,
					   const char *const *names, size_t n, bool *ambiguous)
{
	const struct conf_array *hit = NULL;
	char name[33];
	struct conf_array_facts f = { m->sb.set_uuid, name, m->sb.level, m->sb.raid_disks,
				      names, n };

	memcpy(name, m->sb.set_name, 32);
	name[32] = '\0';
	*ambiguous = false;
	for (size_t i = 0; i < x->conf->narrays; i++) {
		const struct conf_array *a = &x->conf->arrays[i];

		if (!a->has_uuid || !conf_array_matches(a, &f))
			continue;
		if (hit) {
			if (x->verbose >= 0) {
				if (hit->devname[0] && a->devname[0])
					pr_err("we match both %s and %s - cannot decide which to use.\n",
					       hit->devname, a->devname);
				else
					pr_err("multiple lines in mdadm.conf match\n");
			}
			*ambiguous = true;
			return NULL;
		}
		hit = a;
	}
	return hit;
}

/* Local or foreign, and the name a new md device gets. Returns false when
 * mdadm.conf forbids auto-assembly of this array. */
static bool decide_trust(const struct inc_ctx *x, struct inc_dev *id)
{
	char full[33];
	bool homehost_local, any;
	enum auto_val av = auto_policy(x->conf);

	set_name_text(id->m.sb.set_name, full);
	homehost_local = x->hp.name[0] && member_is_local(&id->m, x->hp.name);
	any = sb_name_is_local(id->m.sb.set_name, "any");
	id->trust = id->match || homehost_local || any ? TRUST_LOCAL : TRUST_FOREIGN;
	if (!id->match && (av == AUTO_NO || (av == AUTO_HOMEHOST && !homehost_local))) {
		if (x->verbose >= 1)
			pr_err("%s has metadata type 1.x for which auto-assembly is disabled\n",
			       id->path);
		return false;
	}
	if (full[0] && id->trust != TRUST_LOCAL && !x->hp.require &&
	    mapfile_conf_name_is_free(x->conf, full))
		id->trust = TRUST_LOCAL;
	if (id->trust == TRUST_LOCAL && strchr(full, ':'))
		snprintf(id->name, sizeof(id->name), "%s", strchr(full, ':') + 1);
	else
		snprintf(id->name, sizeof(id->name), "%s", full);
	return true;
}

/* ---- choosing an md device for a new array ------------------------------------ */

static bool all_digits(const char *s)
{
	return *s && s[strspn(s, "0123456789")] == '\0';
}

/* A free mdN counting down from 127, skipping names mdadm.conf reserves. */
static int free_devnm(const struct inc_ctx *x, char *devnm, size_t len)
{
	for (int minor = 127; minor >= 0; minor--) {
		snprintf(devnm, len, "md%d", minor);
		if (!md_present(&x->sys, devnm) && mapfile_conf_name_is_free(x->conf, devnm))
			return 0;
	}
	pr_err("No avail md devices - aborting\n");
	return -1;
}

/* From an ARRAY line's device name: cname (the /dev/md/ name) and maybe a
 * number. */
static int name_from_conf(const char *dev, char *cname, size_t len, int *num)
{
	if (strlen(dev) >= len || strlen(dev) >= MAP_PATH_MAX) {
		pr_err("%s is too long a name for an md device.\n", dev);
		return -1;
	}
	if (strncmp(dev, "/dev/md/", 8) == 0) {
		snprintf(cname, len, "%s", dev + 8);
	} else if (strncmp(dev, "/dev/", 5) == 0) {
		const char *base = dev + 5;
		size_t digits = strspn(base + 2, "0123456789");

		if (strncmp(base, "md", 2) != 0 || digits == 0 || base[2 + digits]) {
			pr_err("%s is an invalid name for an md device.  Try /dev/md/%s\n", dev, dev + 5);
			return -1;
		}
		*num = atoi(base + 2);
		snprintf(cname, len, "%d", *num);
	} else {
		snprintf(cname, len, "%.*s", (int)len - 1, dev);
	}
	if (strchr(cname, '/')) {
		pr_err("%s is an invalid name for an md device.\n", dev);
		return -1;
	}
	if (!cname[0]) {
		pr_err("%s is an invalid name for an md device (empty!).\n", dev);
		return -1;
	}
	if (strlen(cname) + 8 >= MAP_PATH_MAX) {
		pr_err("%s is too long a name for an md device.\n", dev);
		return -1;
	}
	if (*num < 0 && all_digits(cname))
		*num = atoi(cname);
	return 0;
}

/* A local array whose name is a number ("0", "md0", "/dev/md/0") asks for
 * that md device, if it is free. */
static int number_from_name(const struct inc_ctx *x, const char *name)
{
	const char *p = name;
	char devnm[MD_DEVNM_MAX];

	if (strncmp(p, "/dev/", 5) == 0)
		p += 5;
	if (strncmp(p, "md", 2) == 0)
		p += 2;
	if (*p == '/')
		p++;
	if (!all_digits(p) || strlen(p) > 6)
		return -1;
	snprintf(devnm, sizeof(devnm), "md%.6s", p);
	return md_present(&x->sys, devnm) ? -1 : atoi(p);
}

/* The /dev/md/ name from the superblock: '/' and blanks replaced; a
 * suffix "_N" when another array already has the name — always for
 * foreign arrays without a "host:" prefix. */
static void name_from_sb(const struct inc_ctx *x, const struct inc_dev *id,
			 const struct mapfile *map, char *cname, size_t len)
{
	char base[40];
	bool conflict = true;

	outname_link(id->name, base, sizeof(base));
	snprintf(cname, len, "%s", base);
	if (id->trust == TRUST_LOCAL || strchr(base, ':'))
		conflict = mapfile_by_name(map, base, &x->sys) != NULL;
	for (int unum = 0; conflict; unum++) {
		snprintf(cname, len, "%s_%d", base, unum);
		conflict = mapfile_by_name(map, cname, &x->sys) != NULL;
	}
}

/* devnm and the path shown/recorded (what upstream's create_mddev does
 * for --incremental). */
static int choose_md(const struct inc_ctx *x, struct inc_dev *id, const struct mapfile *map)
{
	const char *dev = id->match && id->match->devname[0] ? id->match->devname : NULL;
	char cname[MAP_PATH_MAX] = "";
	int num = -1;

	if (dev && name_from_conf(dev, cname, sizeof(cname), &num))
		return -1;
	if (num < 0 && id->trust == TRUST_LOCAL && id->name[0])
		num = number_from_name(x, id->name);
	if (!cname[0] && id->name[0])
		name_from_sb(x, id, map, cname, sizeof(cname));
	if (num >= 0)
		snprintf(id->devnm, sizeof(id->devnm), "md%d", num);
	else if (!(x->conf->create_names && policy_names_devnm(cname, id->devnm, sizeof(id->devnm))) &&
		 free_devnm(x, id->devnm, sizeof(id->devnm)))
		return -1;
	if (md_present(&x->sys, id->devnm)) {
		pr_err("%s is already in use.\n", dev ? dev : id->devnm);
		return -1;
	}
	if (dev && dev[0] == '/')
		snprintf(id->chosen, sizeof(id->chosen), "%.*s", MAP_PATH_MAX - 1, dev);
	else if (!cname[0])
		snprintf(id->chosen, sizeof(id->chosen), "/dev/%s", id->devnm);
	else
		snprintf(id->chosen, sizeof(id->chosen), "/dev/md/%.*s", MAP_PATH_MAX - 9, cname);
	return 0;
}

/* ---- the members an md device holds ------------------------------------------- */

/* The members an md device holds, as their superblocks say. */
struct present {
	struct asm_set *set;         /* the members whose superblock is usable */
	char (*paths)[PATH_MAX];     /* paths of the md/dev-* entries */
	struct member best;          /* freshest superblock read (also when */
	bool have_best;              /* asm_add refused the device) */
};

static void present_free(struct present *p)
{
	if (!p)
		return;
	free(p->set);
	free(p->paths);
	free(p);
}

/* The superblock of a member at path: the device being added (own, whose
 * superblock was read already), a member an earlier listing read (cache),
 * or read now. NULL when it cannot be used. */
static const struct member *member_at(const char *path, const char *kname,
				      const struct inc_dev *own, const char *own_kname,
				      const struct present *cache, struct member *tmp)
{
	if (own && own_kname[0] && strcmp(kname, own_kname) == 0)
		return &own->m;
	for (size_t i = 0; cache && i < cache->set->n; i++)
		if (strcmp(cache->set->ms[i].path, path) == 0)
			return &cache->set->ms[i].m;
	if (member_load_any(tmp, path, NULL) != MEMBER_OK || !tmp->csum_ok)
		return NULL;   /* unreadable: the kernel judges it at the start */
	return tmp;
}

/* Load the superblock of every member md/dev-* lists, each read at most
 * once per run: own (may be NULL) is the device being added, own_kname its
 * kernel name; cache (may be NULL) an earlier listing of the same inactive
 * array, whose superblocks cannot have changed since. NULL (after a
 * message) when the list cannot be read. */
static struct present *present_load(const struct inc_ctx *x, const char *devnm,
				    const struct inc_dev *own, const char *own_kname,
				    const struct present *cache)
{
	char rel[64], (*names)[SYSFS_NAME_MAX] = calloc(INC_MAX_MEMBERS, SYSFS_NAME_MAX);
	struct present *p = calloc(1, sizeof(*p));
	struct member *tmp = malloc(sizeof(*tmp));
	struct diag d = { 0 };
	size_t n = 0;

	if (!names || !p || !tmp) {
		pr_err("out of memory\n");
		goto fail;
	}
	snprintf(rel, sizeof(rel), "block/%s/md", devnm);
	if (sysfs_list_dir(&x->sys, rel, "dev-", names, INC_MAX_MEMBERS, &n, &d)) {
		pr_err("%s\n", d.msg);
		goto fail;
	}
	p->set = asm_set_new(n);
	p->paths = calloc(n ? n : 1, sizeof(*p->paths));
	if (!p->set || !p->paths) {
		pr_err("out of memory\n");
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		const char *kname = names[i] + 4;
		const struct member *m;

		snprintf(p->paths[i], PATH_MAX, "%s/%s", x->sys.dev_root, kname);
		m = member_at(p->paths[i], kname, own, own_kname, cache, tmp);
		if (!m)
			continue;
		if (!p->have_best || m->sb.events > p->best.sb.events) {
			p->best = *m;
			p->have_best = true;
		}
		(void)asm_add(p->set, p->paths[i], m, &x->sys, NULL);
	}
	free(names);
	free(tmp);
	return p;
fail:
	free(names);
	present_free(p);
	free(tmp);
	return NULL;
}

/* ---- adding the device ----------------------------------------------------------- */

/* The member's own view: does its superblock call it an active member? */
static int own_role(const struct member *m)
{
	uint16_t r = sb1_role(&m->sb);

	return r <= SB1_ROLE_MAX && r < m->sb.raid_disks ? r : -1;
}

/* Do two superblocks describe the same array? */
static bool same_array(const struct sb1 *a, const struct sb1 *b)
{
	return memcmp(a->set_uuid, b->set_uuid, 16) == 0 && a->ctime == b->ctime &&
	       a->level == b->level && a->layout == b->layout &&
	       a->raid_disks == b->raid_disks && a->chunksize == b->chunksize &&
	       a->size == b->size;
}

/* An array that is already running only takes a member through the
 * ADD_NEW_DISK ioctl (md_ioctl.c): sysfs has no way to hand over the saved
 * slot, which the kernel needs for a bitmap-based re-add. */
static int hot_add(const struct inc_ctx *x, const struct inc_dev *id, struct diag *d)
{
	char node[PATH_MAX];

	md_node_path(&x->sys, id->devnm, node, sizeof(node));
	return md_hot_add(node, id->rdev, (int)id->m.sb.dev_number, own_role(&id->m),
			  id->m.sb.devflags & (SB1_DEVFLAG_WRITEMOSTLY | SB1_DEVFLAG_FAILFAST), d);
}

/* new_dev said EBUSY: a member with the same device number is already
 * there. If it is older than ours, take it out (not on a running array). */
static void reject_older_twin(const struct inc_ctx *x, const struct inc_dev *id)
{
	struct present *p;

	if (md_array_is_active(&x->sys, id->devnm) ||
	    !(p = present_load(x, id->devnm, NULL, "", id->others)))
		return;
	for (size_t i = 0; i < p->set->n; i++) {
		const struct asm_member *am = &p->set->ms[i];

		if (am->m.sb.dev_number != id->m.sb.dev_number || am->m.sb.events >= id->m.sb.events)
			continue;
		/* a refusal shows up as the retried new_dev's EBUSY, which the
		 * caller reports */
		if (md_member_write(&x->sys, id->devnm, am->kname, "slot", "none", NULL) != 0 ||
		    md_member_write(&x->sys, id->devnm, am->kname, "state", "remove", NULL) != 0)
			continue;
		if (x->verbose >= 0)
			pr_err("removing old device %s from %s\n", am->kname, id->chosen);
	}
	present_free(p);
}

/* The first member of a new array: allocate the md device, record it in
 * the map, hand the member over (metadata version and bitmap type first,
 * through member_set.c). */
static int add_to_new(const struct inc_ctx *x, struct inc_dev *id, struct mapfile *map)
{
	struct asm_set *set = asm_set_new(1);
	struct diag d = { 0 };
	char mv[8];
	uint8_t uuid[16];
	int rc = 2;

	if (!set) {
		pr_err("out of memory\n");
		return 1;
	}
	if (choose_md(x, id, map)) {
		free(set);
		return 1;
	}
	udev_block(id->devnm);
	if (md_alloc(&x->sys, id->devnm, &d)) {
		pr_err("%s\n", d.msg);
		free(set);
		return 1;
	}
	if (asm_add(set, id->path, &id->m, &x->sys, &d) == 0) {
		asm_choose(set);
		if (asm_load_members(&x->sys, id->devnm, set, &d) == 0)
			rc = 0;
	}
	if (rc) {
		pr_err("failed to add %s to new array %s: %s.\n", id->path, id->chosen, d.msg);
		if (md_array_stop(&x->sys, id->devnm, &d) != 0)
			pr_err("could not stop %s again: %s\n", id->chosen, d.msg);
		free(set);
		return rc;
	}
	free(set);
	member_metadata_text(&id->m, mv, sizeof(mv));
	member_map_uuid(&id->m, uuid);
	mapfile_prune(map, &x->sys);
	if (mapfile_set(map, id->devnm, mv, uuid, id->chosen, &d) ||
	    mapfile_write(map, &d))
		pr_err("warning: could not record %s in the map: %s\n", id->chosen, d.msg);
	if (!udev_available() && strncmp(id->chosen, "/dev/md/", 8) == 0 &&
	    md_make_link(id->chosen, id->devnm, &d))
		pr_err("failed to create %s: %s\n", id->chosen, d.msg);
	return 0;
}

/* A further member of an array the map knows. The members read here
 * stay in id->others for the decision to start, unless the array runs
 * (the kernel rewrites their superblocks then). */
static int add_to_existing(const struct inc_ctx *x, struct inc_dev *id)
{
	struct present *p = NULL;
	struct diag d = { 0 };
	bool active = md_array_is_active(&x->sys, id->devnm);
	int rc = 2;

	if (own_role(&id->m) >= 0 && !x->run && active) {
		pr_err("not adding %s to active array (without --run) %s\n", id->path, id->chosen);
		return rc;
	}
	if (!(p = present_load(x, id->devnm, NULL, "", NULL)))
		return rc;
	if (p->have_best && !same_array(&p->best.sb, &id->m.sb)) {
		pr_err("metadata mismatch between %s and chosen array %s\n", id->path, id->chosen);
		present_free(p);
		return rc;
	}
	if (active)
		present_free(p);
	else
		id->others = p;
	if (active) {
		if (hot_add(x, id, &d) == 0)
			rc = 0;
	} else if (md_add_member(&x->sys, id->devnm, id->rdev, &d) == 0) {
		rc = 0;
	} else if (d.err == EBUSY) {
		reject_older_twin(x, id);
		if (md_add_member(&x->sys, id->devnm, id->rdev, &d) == 0)
			rc = 0;
	}
	if (rc)
		pr_err("failed to add %s to existing array %s: %s.\n", id->path, id->chosen, d.msg);
	return rc;
}

/* ---- starting ---------------------------------------------------------------------- */

/* Members the selection left out (stale, or a twin of a fresher one) go
 * before the start, so the kernel does not have to kick them. */
static void drop_unchosen(const struct inc_ctx *x, const char *devnm, const struct asm_set *set)
{
	struct diag d = { 0 };

	for (size_t i = 0; i < set->n; i++) {
		const struct asm_member *am = &set->ms[i];

		if (am->chosen)
			continue;
		if (x->verbose >= 0)
			pr_err("not using %s in %s: %s\n", am->path, devnm, am->why_not);
		if ((md_member_write(&x->sys, devnm, am->kname, "slot", "none", &d) != 0 ||
		     md_member_write(&x->sys, devnm, am->kname, "state", "remove", &d) != 0) &&
		    x->verbose >= 0)
			pr_err("could not take %s out of %s before the start (the kernel will judge it): %s\n",
			       am->path, devnm, d.msg);
	}
}

/* Set the bitmap type from the freshest member and start. */
static int start_set(const struct inc_ctx *x, const char *devnm, const struct present *p,
		     enum asm_start how, struct diag *d)
{
	if (p->have_best && bitmap_type_set(&x->sys, devnm, asm_bitmap_kind(&p->best), d))
		return -1;
	return asm_start(&x->sys, devnm, p->set, how, d);
}

static void say(const struct inc_ctx *x, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --export: MD_STARTED=<key>; otherwise the message (unless --quiet). */
static void say(const struct inc_ctx *x, const char *key, const char *fmt, ...)
{
	va_list ap;

	if (x->export) {
		printf("MD_STARTED=%s\n", key);
		return;
	}
	if (x->verbose < 0)
		return;
	fflush(stdout);
	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* After the device went in: start the array if that is now right. The
 * superblocks read before the add (id->others, and the device's own) are
 * not read again. */
static int maybe_start(const struct inc_ctx *x, const struct inc_dev *id)
{
	bool active = md_array_is_active(&x->sys, id->devnm);
	struct present *p = active ? present_load(x, id->devnm, NULL, "", NULL)
				   : present_load(x, id->devnm, id, id->kname, id->others);
	struct asm_set *set = p ? p->set : NULL;
	struct diag d = { 0 };
	struct asm_count n;
	int rc = 0;

	if (!p || set->n == 0) {
		present_free(p);
		return 1;
	}
	asm_choose(set);
	asm_count(set, &n);
	if (!n.enough) {
		say(x, "no", "%s attached to %s, not enough to start (%u).\n", id->path,
		    id->chosen, n.active);
	} else if (active) {
		say(x, "already", "%s attached to %s which is already active.\n", id->path,
		    id->chosen);
	} else if (!x->run && n.active + n.rebuilding < n.expected) {
		say(x, "unsafe", "%s attached to %s, not enough to start safely.\n", id->path,
		    id->chosen);
	} else if (n.unclean_degraded) {
		/* md refuses a dirty degraded parity array: only --assemble
		 * --force may mark it clean */
		say(x, "unsafe", "%s attached to %s, not enough to start while not clean - consider --assemble --force.\n",
		    id->path, id->chosen);
	} else if (sb1_reshape_needs_backup(&set->ms[set->freshest].m.sb)) {
		pr_err("%s: This array is being reshaped and cannot be started\n", id->chosen);
		fprintf(stderr, "       by --incremental.  Please use --assemble\n");
		rc = 1;
	} else {
		bool all = n.active + n.rebuilding >= n.expected && id->trust != TRUST_FOREIGN;

		drop_unchosen(x, id->devnm, set);
		if (start_set(x, id->devnm, p, all ? ASM_START_RW : ASM_START_AUTO_RO, &d)) {
			pr_err("%s attached to %s, but failed to start: %s.\n", id->path,
			       id->chosen, d.msg);
			rc = 1;
		} else {
			if (reshape_resume_prepare(&x->sys, id->devnm, &set->ms[set->freshest].m.sb,
						   &d) != 0)
				pr_err("%s resumes its reshape with too small a stripe cache: %s\n",
				       id->chosen, d.msg);
			say(x, "yes", "%s attached to %s, which has been started.\n", id->path,
			    id->chosen);
		}
	}
	present_free(p);
	return rc;
}

/* ---- one device ---------------------------------------------------------------------- */

/* mdadm.conf and the homehost policy, loaded the first time a decision
 * needs them (for --incremental DEV: after the device was read). */
static int conf_needed(struct inc_ctx *x)
{
	struct diag d = { 0 };

	if (x->conf)
		return 0;
	x->conf = calloc(1, sizeof(*x->conf));
	if (!x->conf) {
		pr_err("out of memory\n");
		return -1;
	}
	if (conf_load(cmd_val(x->c, OPT_CONFIG), x->conf, &d)) {
		pr_err("%s\n", d.msg);
		return -1;
	}
	homehost_policy_init(&x->hp, cmd_val(x->c, OPT_HOMEHOST), x->conf);
	return 0;
}

static void conf_release(struct inc_ctx *x)
{
	if (x->conf)
		conf_free(x->conf);
	free(x->conf);
	x->conf = NULL;
}

/* What the superblock read says: 0 for a usable member, else exit status
 * 1 with upstream's messages. */
static int judge_superblock(const struct inc_ctx *x, const struct inc_dev *id,
			    enum member_load_result lr, const struct diag *d)
{
	if (lr == MEMBER_IO_ERROR) {
		if (x->verbose >= 0)
			pr_err("cannot open %s: %s.\n", id->path, d->msg);
		return 1;
	}
	if (lr != MEMBER_OK) {
		if (x->verbose >= 0) {
			/* nothing md-like at all gets upstream's words; a damaged
			 * superblock gets the reason */
			if (lr == MEMBER_NO_SUPERBLOCK)
				pr_err("no recognisable superblock on %s.\n", id->path);
			else
				pr_err("%s\n", d->msg);
		}
		return 1;
	}
	if (!id->m.csum_ok || !id->m.geometry_ok) {
		if (x->verbose >= 0)
			pr_err("no RAID superblock on %s: %s.\n", id->path,
			       !id->m.csum_ok ? "the superblock checksum is wrong"
					      : id->m.geometry_problem.msg);
		return 1;
	}
	if (id->m.has_bitmap && (!id->m.bitmap_read || !id->m.bitmap_uuid_ok)) {
		pr_err("%s: the bitmap is not usable (%s) - not adding it\n", id->path,
		       id->m.bitmap_problem.msg);
		return 1;
	}
	return 0;
}

/* Read the device: exit status 1 with upstream's messages for what is not
 * an md member. This runs for every device udev calls an md member at
 * boot, so a non-member costs one open and the reads of the superblock
 * locations, and mdadm.conf is only consulted once the superblock is in
 * hand (the messages come in upstream's order all the same: cannot open,
 * not permitted by mdadm.conf, no superblock). */
static int read_device(struct inc_ctx *x, struct inc_dev *id, const char *const *names,
		       size_t n)
{
	enum member_load_result lr;
	struct diag d = { 0 };
	struct devio io;
	struct stat st;

	if (stat(id->path, &st) != 0) {
		pr_err("stat failed for %s: %s\n", id->path, strerror(errno));
		return 1;
	}
	if (!S_ISBLK(st.st_mode)) {
		pr_err("%s is not a block device.\n", id->path);
		return 1;
	}
	id->rdev = st.st_rdev;
	if (devio_open(&io, id->path, &d)) {
		if (x->verbose >= 0)
			pr_err("cannot open %s: %s.\n", id->path, strerror(d.err ? d.err : EIO));
		return 1;
	}
	lr = member_load_io_any(&id->m, &io, &d);
	id->m.path = id->path;
	devio_close(&io);
	if (conf_needed(x))
		return 1;
	if (!device_permitted(x->conf, names, n, id->rdev)) {
		if (x->verbose >= 0)
			pr_err("%s not permitted by mdadm.conf.\n", id->path);
		return 1;
	}
	return judge_superblock(x, id, lr, &d);
}

/* O_EXCL tells whether anyone (a running array, mdadm -A, a mount) holds
 * the device; the kernel takes it exclusively again on new_dev. */
static int check_exclusive(const struct inc_ctx *x, const struct inc_dev *id)
{
	int fd = open(id->path, O_RDONLY | O_EXCL | O_CLOEXEC);

	if (fd < 0) {
		if (x->verbose >= 0)
			pr_err("cannot reopen %s: %s.\n", id->path, strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

/* --export: the md device the member went into, for udev's import */
static void export_device(const struct inc_dev *id)
{
	char val[sizeof(id->chosen) + 2];

	outname_export(strncmp(id->chosen, "/dev/md/", 8) == 0 ? id->chosen + 8 : id->chosen,
		       val, sizeof(val));
	printf("MD_DEVICE=%s\n", id->devnm);
	printf("MD_DEVNAME=%s\n", val);
	printf("MD_FOREIGN=%s\n", id->trust == TRUST_FOREIGN ? "yes" : "no");
}

/* With the map lock held: find or create the array, add the device, and
 * start the array when that is right. */
static int add_locked(const struct inc_ctx *x, struct inc_dev *id)
{
	struct mapfile map;
	struct diag d = { 0 };
	uint8_t uuid[16];
	const struct map_entry *e;
	bool missing;
	int rc;

	if (check_exclusive(x, id))
		return 1;
	/* to tell the device among the array's members without reading it */
	if (blockdev_identify(id->path, id->kname, sizeof(id->kname), &id->rdev, &x->sys, NULL))
		id->kname[0] = '\0';
	if (mapfile_read_ex(&map, &missing, &d)) {
		pr_err("%s\n", d.msg);
		return 1;
	}
	if (missing && mapfile_build(&x->sys, x->conf, &x->hp, &map, &d))
		pr_err("warning: cannot rebuild the map: %s\n", d.msg);
	member_map_uuid(&id->m, uuid);
	e = mapfile_by_uuid(&map, uuid, &x->sys);
	if (e) {
		snprintf(id->devnm, sizeof(id->devnm), "%s", e->devnm);
		snprintf(id->chosen, sizeof(id->chosen), "%s", e->path[0] ? e->path : e->devnm);
		rc = add_to_existing(x, id);
	} else if (id->m.sb.feature_map & SB1_FEAT_CLUSTERED) {
		rc = 1;   /* clustered arrays are started by the cluster stack */
	} else {
		rc = add_to_new(x, id, &map);
	}
	mapfile_free(&map);
	if (rc)
		return rc;
	if (x->export)
		export_device(id);
	return maybe_start(x, id);
}

/* What mdadm.conf says about the array: 0 to go on, else the exit status. */
static int conf_allows(const struct inc_ctx *x, struct inc_dev *id, const char *const *names,
		       size_t n)
{
	bool ambiguous;

	id->match = conf_match(x, &id->m, names, n, &ambiguous);
	if (ambiguous)
		return 2;
	if (id->match && strcmp(id->match->devname, "<ignore>") == 0) {
		if (x->verbose >= 0)
			pr_err("array containing %s is explicitly ignored by mdadm.conf\n", id->path);
		return 1;
	}
	return decide_trust(x, id) ? 0 : 1;
}

static int incremental_add(struct inc_ctx *x, const char *const *names, size_t n)
{
	struct inc_dev *id = calloc(1, sizeof(*id));
	struct map_lock l;
	struct diag d = { 0 };
	int rc;

	if (!id) {
		pr_err("out of memory\n");
		return 1;
	}
	id->path = names[0];
	rc = read_device(x, id, names, n);
	if (rc == 0)
		rc = conf_allows(x, id, names, n);
	if (rc) {
		free(id);
		return rc;
	}
	if (mapfile_lock(&l, MAP_LOCK_TIMEOUT_MS, &d)) {
		pr_err("failed to get exclusive lock on mapfile: %s\n", d.msg);
		l.fd = -1;
	}
	rc = add_locked(x, id);
	mapfile_unlock(&l);
	if (id->devnm[0]) {
		udev_unblock(id->devnm);
		md_uevent(&x->sys, id->devnm);
	}
	present_free(id->others);
	free(id);
	return rc;
}

/* ---- --run --scan: start what is partly assembled ------------------------------ */

/* Start one inactive array in auto-read-only mode, bitmap type first
 * (stale members are left to the kernel, as upstream does). */
static int start_partial(const struct inc_ctx *x, const char *devnm, const char *shown)
{
	struct present *p = present_load(x, devnm, NULL, "", NULL);
	struct diag d = { 0 };
	int rc = 1;

	if (!p)
		return 1;
	if (start_set(x, devnm, p, ASM_START_AUTO_RO, &d)) {
		pr_err("failed to start array %s: %s\n", shown, d.msg);
	} else {
		if (x->verbose >= 0)
			pr_err("started array %s\n", shown);
		rc = 0;
	}
	present_free(p);
	return rc;
}

static int run_scan(const struct inc_ctx *x, const char *only)
{
	struct mapfile map;
	struct map_lock l;
	struct diag d = { 0 };
	bool missing;
	int rc = 0;

	if (mapfile_lock(&l, MAP_LOCK_TIMEOUT_MS, &d)) {
		pr_err("failed to get exclusive lock on mapfile: %s\n", d.msg);
		l.fd = -1;
	}
	if (mapfile_read_ex(&map, &missing, &d)) {
		pr_err("%s\n", d.msg);
		mapfile_unlock(&l);
		return 1;
	}
	if (missing) {
		if (mapfile_build(&x->sys, x->conf, &x->hp, &map, &d) || mapfile_write(&map, &d))
			pr_err("warning: cannot rebuild the map: %s\n", d.msg);
	}
	for (size_t i = 0; i < map.n; i++) {
		const struct map_entry *e = &map.entries[i];

		if (only && strcmp(e->devnm, only) != 0)
			continue;
		if (!isdigit((unsigned char)e->metadata[0]) || !md_present(&x->sys, e->devnm) ||
		    md_array_is_active(&x->sys, e->devnm))
			continue;
		rc |= start_partial(x, e->devnm, e->path[0] ? e->path : e->devnm);
		md_uevent(&x->sys, e->devnm);
	}
	mapfile_free(&map);
	mapfile_unlock(&l);
	return rc;
}

/* ---- --fail: a device went away ------------------------------------------------- */

/* "/dev/X" (directly under /dev) or a bare kernel name. */
static const char *removal_kname(const char *dev)
{
	const char *slash = strrchr(dev, '/');

	if (!slash)
		return dev;
	if (!slash[1] || strncmp(dev, "/dev/", 5) != 0 || slash != dev + 4)
		return NULL;
	return slash + 1;
}

/* The md device that has member kname. */
static bool find_holder(const struct inc_ctx *x, const char *kname, char *devnm, size_t len)
{
	char (*names)[MD_DEVNM_MAX] = calloc(1024, MD_DEVNM_MAX);
	char attr[SYSFS_NAME_MAX + 8];
	size_t n = 0;
	bool found = false;

	if (!names || md_list(&x->sys, names, 1024, &n, NULL)) {
		free(names);
		return false;
	}
	snprintf(attr, sizeof(attr), "dev-%s", kname);
	for (size_t i = 0; i < n && !found; i++)
		if (md_has(&x->sys, names[i], attr)) {
			snprintf(devnm, len, "%s", names[i]);
			found = true;
		}
	free(names);
	return found;
}

/* An array nobody has open is switched to auto-read-only first, so that
 * losing a member does not start a recovery onto a spare mid-flight (what
 * upstream does). */
static void quiesce_if_unused(const struct inc_ctx *x, const char *devnm)
{
	enum md_array_state st;
	char node[PATH_MAX];
	struct diag d = { 0 };
	int fd;

	md_node_path(&x->sys, devnm, node, sizeof(node));
	fd = open(node, O_RDONLY | O_EXCL | O_CLOEXEC);
	if (fd < 0)
		return;
	close(fd);
	if (md_get_array_state(&x->sys, devnm, &st, NULL) != 0 ||
	    (st != MD_STATE_ACTIVE && st != MD_STATE_ACTIVE_IDLE && st != MD_STATE_CLEAN))
		return;
	if (md_set_array_state(&x->sys, devnm, MD_STATE_READ_AUTO, &d) != 0 && x->verbose >= 0)
		pr_err("warning: %s stays writable, a spare may start recovering: %s\n", devnm,
		       d.msg);
}

static int incremental_remove(const struct inc_ctx *x, const char *dev)
{
	const char *kname = removal_kname(dev);
	char devnm[MD_DEVNM_MAX];
	bool running;
	int rc = -1;

	if (!kname) {
		pr_err("Cannot remove \"%s\", devnode path or kernel device name is allowed.\n", dev);
		return 1;
	}
	if (!find_holder(x, kname, devnm, sizeof(devnm))) {
		if (x->verbose > 0)
			pr_err("%s does not appear to be a component of any array\n", kname);
		return 0;
	}
	running = md_array_is_active(&x->sys, devnm);
	if (running) {
		quiesce_if_unused(x, devnm);
		if (md_member_write(&x->sys, devnm, kname, "state", "faulty", NULL)) {
			if (x->verbose >= 0)
				pr_err("Cannot fail member device %s in array %s.\n", kname, devnm);
			return 1;
		}
	}
	/* a running sync thread needs a moment to let go of the member */
	for (int i = 0; i < REMOVE_RETRIES && rc != 0; i++) {
		if (i)
			sleep_ms(REMOVE_RETRY_MS);
		rc = md_member_write(&x->sys, devnm, kname, "state", "remove", NULL);
	}
	if (rc) {
		if (x->verbose >= 0)
			pr_err("Cannot remove member device %s from %s.\n", kname, devnm);
		return 1;
	}
	md_uevent(&x->sys, devnm);
	return 0;
}

/* ---- entry points ------------------------------------------------------------------ */

/* conf_now: load mdadm.conf right away; otherwise conf_needed() does
 * when a decision needs it. */
static int ctx_init(struct inc_ctx *x, const struct cmdline *c, bool conf_now)
{
	memset(x, 0, sizeof(*x));
	x->c = c;
	sysfs_init(&x->sys);
	x->export = cmd_has(c, OPT_EXPORT);
	x->run = cmd_has(c, OPT_RUN);
	x->verbose = c->verbose;
	if (conf_now && conf_needed(x)) {
		conf_release(x);
		return -1;
	}
	return 0;
}

int incremental_run_scan(const struct cmdline *c, const char *devnm)
{
	struct inc_ctx x;
	int rc;

	if (ctx_init(&x, c, true))
		return EXIT_FAIL;
	rc = run_scan(&x, devnm);
	conf_release(&x);
	return rc;
}

static int scan_mode(const struct inc_ctx *x, const struct cmdline *c)
{
	if (c->ndevs) {
		pr_err("In --incremental mode, a device cannot be given with --scan.\n");
		return EXIT_FAIL;
	}
	if (!x->run) {
		pr_err("--incremental --scan meaningless without --run.\n");
		return EXIT_FAIL;
	}
	if (cmd_has(c, OPT_FAIL)) {
		pr_err("--incremental --scan --fail not supported.\n");
		return EXIT_FAIL;
	}
	return run_scan(x, NULL);
}

int Incremental(const struct cmdline *c)
{
	const char *names[CMD_MAX_DEVS];
	/* adding a device (the udev hot path) reads the device first */
	bool adding = c->ndevs && !cmd_has(c, OPT_FAIL) && !cmd_has(c, OPT_SCAN) &&
		      !cmd_has(c, OPT_REBUILD_MAP);
	struct inc_ctx x;
	int rc = EXIT_OK;

	if (ctx_init(&x, c, !adding))
		return EXIT_FAIL;
	if (cmd_has(c, OPT_NO_DEGRADED))
		pr_err("--no-degraded is deprecated in Incremental mode\n");
	if (cmd_has(c, OPT_REBUILD_MAP)) {
		struct diag d = { 0 };

		if (mapfile_rebuild(&x.sys, x.conf, &x.hp, &d)) {
			pr_err("cannot rebuild the map: %s\n", d.msg);
			rc = EXIT_FAIL;
		}
	}
	if (cmd_has(c, OPT_SCAN)) {
		rc = scan_mode(&x, c);
		if (c->ndevs)
			goto out;
	}
	if (c->ndevs == 0) {
		if (!cmd_has(c, OPT_REBUILD_MAP) && !cmd_has(c, OPT_SCAN)) {
			pr_err("--incremental requires a device.\n");
			rc = EXIT_FAIL;
		}
		goto out;
	}
	for (size_t i = 0; i < c->ndevs; i++)
		names[i] = c->devs[i].name;
	if (cmd_has(c, OPT_FAIL)) {
		if (c->ndevs > 1) {
			pr_err("'--incremental --fail' can only handle one device.\n");
			rc = EXIT_FAIL;
		} else {
			rc = incremental_remove(&x, names[0]);
		}
	} else {
		rc = incremental_add(&x, names, c->ndevs);
	}
out:
	conf_release(&x);
	return rc;
}
