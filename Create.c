/* Create.c - --create: write new superblocks and start the array
 *
 * Order of work, so that bad input never touches a disk: parse and check
 * every option, open every member exclusively and check sizes, block sizes
 * and existing contents (asking before overwriting), plan the layout, then
 * put up udev's creating marker, allocate the md device, zero the data
 * areas (--write-zeroes), write superblocks and bitmaps, hand the members
 * to the kernel through sysfs and start the array. A failure after the md
 * device was allocated stops it again; the marker goes on every path. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bitmap.h"
#include "bitmap_type.h"
#include "config.h"
#include "dynlib.h"
#include "geometry.h"
#include "llbitmap.h"
#include "mapfile.h"
#include "mdkernel.h"
#include "member.h"
#include "modes.h"
#include "policy.h"
#include "shape.h"
#include "super0.h"
#include "super1.h"
#include "sysfs.h"
#include "util.h"

#define CREATE_MAX_MEMBERS 384u
#define DEFAULT_WRITE_BEHIND 256u      /* --write-behind without a value */
#define DEFAULT_CHUNK_SECTORS 1024u        /* 512 KiB */
#define CLASSIC_DEFAULT_DELAY 5u
#define LBS_HAZARD_MIN 2048u

struct create_opts {
	const char *array;              /* as given: /dev/md0, /dev/md/name */
	char devnm[MD_DEVNM_MAX];
	char link[256];                 /* /dev/md/NAME symlink to make, or "" */
	char map_name[256];             /* what the map records: /dev/md/NAME, /dev/mdN */
	char name[64];                  /* array name part of set_name */
	char homehost[64];
	int level;
	unsigned raid_disks, spares;
	uint32_t layout;
	uint64_t chunk_sectors;
	uint64_t size;                  /* GEOM_UNSET = as large as possible */
	uint64_t data_offset;           /* GEOM_UNSET = choose */
	enum bitmap_kind bitmap;
	bool bitmap_given;
	uint64_t bitmap_chunk;          /* bytes, 0 = choose */
	unsigned delay, write_behind;
	int minor;
	bool minor_given;
	uint32_t lbs;                   /* 0 = not asked */
	uint8_t uuid[16];
	bool assume_clean, run, force, readonly;
	bool write_zeroes;
};

struct create_member {
	const char *path;
	bool missing;
	bool spare;
	unsigned slot;
	uint8_t devflags;
	struct devio io;
	char kname[MD_DEVNM_MAX];
	dev_t rdev;
	uint64_t sectors;
	struct member_geometry mg;
};

struct create_run {
	const struct cmdline *c;
	struct sysfs sys;
	struct conf conf;               /* mdadm.conf: HOMEHOST, CREATE names= */
	struct create_opts o;
	struct create_member m[CREATE_MAX_MEMBERS];
	size_t n;
	struct geometry g;
	struct geometry_request rq;
	bool md_allocated;
	bool marked_creating;       /* /run/mdadm/creating-<devnm> is ours */
	bool spare_rebuild;         /* RAID4/5 started degraded, its last member a spare */
};

/* ---- options ----------------------------------------------------------- */

static int opt_fail(struct diag *d)
{
	pr_err("%s\n", d->msg);
	return EXIT_USAGE;
}

static int count_opt(const struct cmdline *c, enum opt_id id, const char *what, unsigned *out)
{
	if (cmd_num(c, id) > CREATE_MAX_MEMBERS) {
		pr_err("invalid number of %s: %s\n", what, cmd_val(c, id));
		return EXIT_USAGE;
	}
	*out = (unsigned)cmd_num(c, id);
	return 0;
}

/* /dev/md0 -> md0; /dev/md/name (or a bare name) -> a free mdN plus the
 * link; md_name kept. */
static int parse_array_name(struct create_run *r, struct diag *d)
{
	struct create_opts *o = &r->o;
	const char *base = strrchr(o->array, '/');
	struct md_name n;
	struct diag why = { 0 };

	base = base ? base + 1 : o->array;
	if (o->array[0] == '<')
		return diag_fail(d, "%s is an invalid name for an md device", o->array);
	if (strchr(o->array, '/')) {
		policy_md_name(o->array, &n, &why);
	} else {
		/* a bare name is the array's name, as for mdadm 4.6: "md0"
		 * too becomes /dev/md/md0 on a free device */
		char in_dir[MD_NAME_PATH_MAX];

		snprintf(in_dir, sizeof(in_dir), "/dev/md/%s", o->array);
		policy_md_name(in_dir, &n, &why);
	}
	if (n.kind == MD_NAME_INVALID) {
		if (strncmp(o->array, "/dev/md/", 8) == 0)
			return diag_fail(d, "%s", why.msg);
		if (strcmp(base, "md_") == 0)
			return diag_fail(d, "%s is an invalid name for an md device", o->array);
		return diag_fail(d, "%s is an invalid name for an md device; use /dev/mdN, /dev/md/NAME or /dev/md_NAME",
				 o->array);
	}
	snprintf(o->map_name, sizeof(o->map_name), "%s", n.map_name);
	if (n.kind == MD_NAME_LINKED) {
		if (!(r->conf.create_names && policy_names_devnm(n.name, o->devnm, sizeof(o->devnm))) &&
		    md_find_free(&r->sys, o->devnm, sizeof(o->devnm), d))
			return -1;
		snprintf(o->link, sizeof(o->link), "%s", n.link);
	} else {
		snprintf(o->devnm, sizeof(o->devnm), "%s", n.devnm);
	}
	if (!o->name[0])
		snprintf(o->name, sizeof(o->name), "%.*s", (int)sizeof(o->name) - 1, n.name);
	return 0;
}

static int parse_geometry_opts(const struct cmdline *c, struct create_opts *o, struct diag *d)
{
	if (!cmd_has(c, OPT_LEVEL))
		return diag_fail(d, "a RAID level is needed to create an array (--level)");
	o->level = (int)cmd_num(c, OPT_LEVEL);
	o->layout = cmd_has(c, OPT_LAYOUT) ? (uint32_t)cmd_num(c, OPT_LAYOUT)
					   : shape_default_layout(o->level);
	o->chunk_sectors = (o->level == 0 || o->level >= 4) ? DEFAULT_CHUNK_SECTORS : 0;
	/* a linear array keeps --chunk: the kernel rounds each member down to it */
	if (cmd_has(c, OPT_CHUNK)) {
		if (o->level == 1)
			pr_err("chunk size ignored for this level\n");
		else
			o->chunk_sectors = (uint64_t)cmd_num(c, OPT_CHUNK);
	}
	o->size = GEOM_UNSET;
	if (cmd_has(c, OPT_SIZE) && !cmd_value(c, OPT_SIZE)->special)
		o->size = (uint64_t)cmd_num(c, OPT_SIZE);
	o->data_offset = GEOM_UNSET;
	if (cmd_has(c, OPT_DATA_OFFSET))
		o->data_offset = (uint64_t)cmd_num(c, OPT_DATA_OFFSET);
	return 0;
}

static int parse_bitmap_opts(const struct cmdline *c, struct create_opts *o, struct diag *d)
{
	o->bitmap_given = cmd_has(c, OPT_BITMAP);
	if (o->bitmap_given)
		o->bitmap = (enum bitmap_kind)cmd_num(c, OPT_BITMAP);
	if (cmd_has(c, OPT_BITMAP_CHUNK)) {
		if (o->bitmap == BITMAP_KIND_LOCKLESS)
			return diag_fail(d, "--bitmap-chunk does not apply to the lockless bitmap: the kernel chooses its chunk size from the array size");
		o->bitmap_chunk = (uint64_t)cmd_num(c, OPT_BITMAP_CHUNK) * 512;
	}
	o->delay = CLASSIC_DEFAULT_DELAY;
	if (cmd_has(c, OPT_DELAY)) {
		if (cmd_num(c, OPT_DELAY) < 1 || cmd_num(c, OPT_DELAY) > 86400)
			return diag_fail(d, "invalid delay: %s (1 to 86400 seconds)", cmd_val(c, OPT_DELAY));
		o->delay = (unsigned)cmd_num(c, OPT_DELAY);
		if (o->bitmap == BITMAP_KIND_LOCKLESS)
			return diag_fail(d, "--delay does not apply at create time to the lockless bitmap: the kernel starts it at 30s; change it afterwards with --grow --delay");
	}
	if (cmd_has(c, OPT_WRITE_BEHIND)) {
		if (o->bitmap != BITMAP_KIND_CLASSIC)
			return diag_fail(d, "--write-behind needs --bitmap=internal");
		o->write_behind = cmd_val(c, OPT_WRITE_BEHIND) ?
			(unsigned)cmd_num(c, OPT_WRITE_BEHIND) : DEFAULT_WRITE_BEHIND;
	}
	return 0;
}

static int parse_policy_opts(const struct cmdline *c, struct create_opts *o, struct diag *d)
{
	enum consistency_policy p = (enum consistency_policy)cmd_num(c, OPT_CONSISTENCY_POLICY);

	if (cmd_has(c, OPT_WRITE_JOURNAL))
		return diag_fail(d, "write journals are not supported by this mdadm, and the lockless bitmap cannot run with one");
	if (cmd_has(c, OPT_NODES) || cmd_has(c, OPT_HOME_CLUSTER))
		return diag_fail(d, "clustered arrays (md-cluster) are not supported by this mdadm");
	if (!cmd_has(c, OPT_CONSISTENCY_POLICY))
		return 0;
	if (p == CP_PPL || p == CP_JOURNAL)
		return diag_fail(d, "consistency policy %s is not supported by this mdadm",
				 cmd_val(c, OPT_CONSISTENCY_POLICY));
	if (p == CP_BITMAP && o->bitmap == BITMAP_KIND_NONE)
		return diag_fail(d, "--bitmap is required for consistency policy: bitmap");
	if (p == CP_RESYNC && o->bitmap != BITMAP_KIND_NONE)
		return diag_fail(d, "--bitmap is not compatible with consistency policy: resync");
	return 0;
}

static int parse_identity_opts(struct create_run *r, struct diag *d)
{
	const struct cmdline *c = r->c;
	struct create_opts *o = &r->o;

	o->minor_given = cmd_has(c, OPT_METADATA);
	o->minor = o->minor_given ? (int)cmd_num(c, OPT_METADATA) : 2;
	if (cmd_has(c, OPT_UUID)) {
		memcpy(o->uuid, cmd_value(c, OPT_UUID)->uuid, sizeof(o->uuid));
	} else if (getrandom(o->uuid, sizeof(o->uuid), 0) != (ssize_t)sizeof(o->uuid)) {
		return diag_fail(d, "cannot get random bytes for the array UUID: %s", strerror(errno));
	}
	if (cmd_has(c, OPT_LOGICAL_BLOCK_SIZE))
		o->lbs = (uint32_t)cmd_num(c, OPT_LOGICAL_BLOCK_SIZE);
	homehost_from_cmdline(c, &r->conf, o->homehost, sizeof(o->homehost));
	if (cmd_has(c, OPT_NAME)) {
		if (strlen(cmd_val(c, OPT_NAME)) > 32)
			return diag_fail(d, "array name %s is longer than 32 characters", cmd_val(c, OPT_NAME));
		snprintf(o->name, sizeof(o->name), "%s", cmd_val(c, OPT_NAME));
	}
	return 0;
}

static int parse_counts(struct create_run *r)
{
	const struct cmdline *c = r->c;
	int rc;

	if (!cmd_has(r->c, OPT_RAID_DEVICES)) {
		pr_err("no raid-devices specified.\n");
		return EXIT_USAGE;
	}
	rc = count_opt(c, OPT_RAID_DEVICES, "raid devices", &r->o.raid_disks);
	if (!rc && cmd_has(c, OPT_SPARE_DEVICES))
		rc = count_opt(c, OPT_SPARE_DEVICES, "spare-devices", &r->o.spares);
	if (rc)
		return rc;
	if (r->o.raid_disks == 0) {
		pr_err("invalid number of raid devices: 0\n");
		return EXIT_USAGE;
	}
	if (r->o.raid_disks + r->o.spares > CREATE_MAX_MEMBERS) {
		pr_err("too many devices requested: %u+%u > %u\n", r->o.raid_disks, r->o.spares,
		       CREATE_MAX_MEMBERS);
		return EXIT_USAGE;
	}
	return 0;
}

static int parse_opts(struct create_run *r)
{
	struct diag d = { 0 };
	int rc;

	if (r->c->ndevs < 1) {
		pr_err("an md device must be given in --create mode\n");
		return EXIT_USAGE;
	}
	r->o.array = r->c->devs[0].name;
	r->o.assume_clean = cmd_has(r->c, OPT_ASSUME_CLEAN);
	r->o.write_zeroes = cmd_has(r->c, OPT_WRITE_ZEROES);
	if (r->o.write_zeroes && !r->o.assume_clean) {
		pr_info("Disk zeroing requested, setting --assume-clean to skip resync\n");
		r->o.assume_clean = true;
	}
	r->o.run = cmd_has(r->c, OPT_RUN);
	r->o.force = cmd_has(r->c, OPT_FORCE);
	r->o.readonly = cmd_has(r->c, OPT_READONLY);
	if ((rc = parse_counts(r)) != 0)
		return rc;
	if (conf_load(cmd_val(r->c, OPT_CONFIG), &r->conf, &d)) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	if (parse_geometry_opts(r->c, &r->o, &d) || parse_bitmap_opts(r->c, &r->o, &d) ||
	    parse_policy_opts(r->c, &r->o, &d) || parse_identity_opts(r, &d) ||
	    parse_array_name(r, &d))
		return opt_fail(&d);
	return 0;
}

/* ---- levels and bitmap combinations --------------------------------------- */

static unsigned min_devices(int level)
{
	switch (level) {
	case 4: case 5: return 2;
	case 6: return 4;
	case 10: return 2;
	default: return 1;
	}
}

/* What 0.90 cannot record, refused before any device is opened. */
static int check_090(const struct create_run *r)
{
	const struct create_opts *o = &r->o;
	const struct cmdline *c = r->c;

	if (o->raid_disks + o->spares > SB0_DISKS) {
		pr_err("0.90 metadata supports at most %u devices per array\n", SB0_DISKS);
		return EXIT_USAGE;
	}
	if (o->data_offset != GEOM_UNSET) {
		pr_err("--data-offset cannot be used with 0.90 metadata: its data starts at sector 0\n");
		return EXIT_USAGE;
	}
	if (o->lbs) {
		pr_err("--logical-block-size needs version 1 metadata: 0.90 cannot record it\n");
		return EXIT_USAGE;
	}
	/* the kernel keeps a RAID0's zone layout only in a v1 feature bit */
	if (o->level == 0 && cmd_has(c, OPT_LAYOUT)) {
		pr_err("--layout for RAID0 needs version 1 metadata: 0.90 cannot record it\n");
		return EXIT_USAGE;
	}
	return 0;
}

static int check_combinations(struct create_run *r)
{
	struct create_opts *o = &r->o;

	if (o->raid_disks < min_devices(o->level)) {
		pr_err("at least %u raid-devices needed for level %s\n", min_devices(o->level),
		       level_name(o->level));
		return EXIT_USAGE;
	}
	if (o->raid_disks == 1 && min_devices(o->level) <= 1 && !o->force) {
		pr_err("'1' is an unusual number of drives for an array, so it is probably\n"
		       "     a mistake.  If you really mean it you will need to specify --force before\n"
		       "     setting the number of drives.\n");
		return EXIT_USAGE;
	}
	if (o->spares && o->level <= 0) {
		pr_err("raid level %s is incompatible with spare-devices setting.\n",
		       level_name(o->level));
		return EXIT_USAGE;
	}
	if (o->bitmap != BITMAP_KIND_NONE && o->level <= 0) {
		pr_err("bitmaps are not meaningful with level %s: it has no redundancy to resync\n",
		       level_name(o->level));
		return EXIT_USAGE;
	}
	if (o->bitmap == BITMAP_KIND_LOCKLESS && o->minor == SHAPE_METADATA_090) {
		pr_err("the lockless bitmap needs version 1 metadata (1.1 or 1.2): the kernel's llbitmap cannot run with 0.90\n");
		return EXIT_USAGE;
	}
	if (o->bitmap == BITMAP_KIND_LOCKLESS && o->minor == 0) {
		pr_err("the lockless bitmap needs metadata 1.1 or 1.2: with 1.0 the kernel sizes it from its offset and its state bytes could reach the superblock\n");
		return EXIT_USAGE;
	}
	if (o->level == 10 && ((o->layout & 0xff) * ((o->layout >> 8) & 0xff)) > o->raid_disks) {
		pr_err("raid10 layout needs more copies than there are devices\n");
		return EXIT_USAGE;
	}
	if (o->minor == SHAPE_METADATA_090)
		return check_090(r);
	return 0;
}

/* ---- members ---------------------------------------------------------------- */

static int open_member(struct create_run *r, struct create_member *m, struct diag *d)
{
	if (blockdev_identify(m->path, m->kname, sizeof(m->kname), &m->rdev, &r->sys, d))
		return -1;
	/* before opening: a second O_EXCL open of the same disk fails as "busy" */
	for (const struct create_member *o = r->m; o < m; o++)
		if (!o->missing && o->rdev == m->rdev)
			return diag_fail(d, "%s is listed twice (also as %s)", m->path, o->path);
	if (devio_open_rw_excl(&m->io, m->path, d)) {
		if (d->err == EBUSY)
			diag_errno(d, EBUSY, "cannot open %s: Device or resource busy (mounted, part of an array or otherwise in use)",
				   m->path);
		return -1;
	}
	m->sectors = devio_sectors(&m->io);
	return 0;
}

/* --write-mostly / --failfast before a member: its superblock's flags,
 * which the kernel takes over when the member is handed to it. */
static uint8_t member_devflags(unsigned marks)
{
	uint8_t f = 0;

	if (marks & DEVARG_WRITE_MOSTLY)
		f |= SB1_DEVFLAG_WRITEMOSTLY;
	if (marks & DEVARG_FAILFAST)
		f |= SB1_DEVFLAG_FAILFAST;
	return f;
}

static int collect_members(struct create_run *r)
{
	const struct cmdline *c = r->c;
	size_t given = c->ndevs - 1;
	struct diag d = { 0 };
	unsigned slot = 0;

	if (given < r->o.raid_disks + r->o.spares) {
		pr_err("You haven't given enough devices (real or missing) to create this array\n");
		return EXIT_USAGE;
	}
	if (given > r->o.raid_disks + r->o.spares) {
		pr_err("You have listed more devices (%zu) than are in the array(%u)!\n", given,
		       r->o.raid_disks + r->o.spares);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < given; i++) {
		struct create_member *m = &r->m[r->n];

		memset(m, 0, sizeof(*m));
		m->io.fd = -1;
		m->path = c->devs[i + 1].name;
		m->devflags = member_devflags(c->devs[i + 1].marks);
		m->missing = strcasecmp(m->path, "missing") == 0;
		m->spare = slot >= r->o.raid_disks;
		m->slot = slot++;
		if (m->missing && m->spare) {
			pr_err("'missing' is only valid for active devices, not spares\n");
			return EXIT_USAGE;
		}
		r->n++;
		if (!m->missing && open_member(r, m, &d)) {
			pr_err("%s\n", d.msg);
			return EXIT_USAGE;
		}
	}
	return 0;
}

static unsigned members_max_lbs(const struct create_run *r)
{
	unsigned lbs = 512;

	for (size_t i = 0; i < r->n; i++)
		if (!r->m[i].missing && r->m[i].io.lbs > lbs)
			lbs = r->m[i].io.lbs;
	return lbs;
}

static int check_block_sizes(struct create_run *r)
{
	unsigned member_lbs = members_max_lbs(r);
	uint32_t effective = r->o.lbs > member_lbs ? r->o.lbs : member_lbs;
	long page = sysconf(_SC_PAGESIZE);

	if (r->o.lbs && r->o.lbs < member_lbs) {
		pr_err("logical block size %u is below the %u bytes of a member: the array cannot use smaller blocks than its disks\n",
		       r->o.lbs, member_lbs);
		return EXIT_FAIL;
	}
	if (page > 0 && effective > (unsigned long)page) {
		pr_err("logical block size %u exceeds the page size (%ld): the kernel cannot run such an array\n",
		       effective, page);
		return EXIT_FAIL;
	}
	if (r->o.bitmap == BITMAP_KIND_LOCKLESS && effective >= LBS_HAZARD_MIN) {
		pr_err("refusing the lockless bitmap with a %u-byte logical block size: the kernel writes its bitmap in blocks of that size and overwrites the bitmap superblock with chunk states after the first large write, after which the array no longer assembles; use --bitmap=internal, or 512-byte blocks\n",
		       effective);
		return EXIT_FAIL;
	}
	return 0;
}

static uint64_t smallest_member(const struct create_run *r)
{
	uint64_t s = UINT64_MAX;

	for (size_t i = 0; i < r->n; i++)
		if (!r->m[i].missing && r->m[i].sectors < s)
			s = r->m[i].sectors;
	return s;
}

static int plan_layout(struct create_run *r)
{
	struct diag d = { 0 };

	r->rq = (struct geometry_request){
		.minor = r->o.minor, .bitmap = r->o.bitmap, .level = r->o.level,
		.raid_disks = r->o.raid_disks, .layout = r->o.layout,
		.chunk_sectors = r->o.chunk_sectors, .smallest_member = smallest_member(r),
		.data_offset = r->o.data_offset, .size = r->o.size,
		.classic_chunk_bytes = r->o.bitmap_chunk,
	};
	if (r->rq.smallest_member == UINT64_MAX) {
		pr_err("no real devices given: every member is 'missing'\n");
		return EXIT_FAIL;
	}
	if (geometry_plan(&r->rq, &r->g, &d)) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < r->n; i++) {
		struct create_member *m = &r->m[i];

		if (!m->missing && geometry_member(&r->rq, &r->g, m->sectors, &m->mg, &d)) {
			pr_err("%s: %s\n", m->path, d.msg);
			return EXIT_FAIL;
		}
	}
	return 0;
}

/* ---- existing contents and questions --------------------------------------- */

static bool ask_yes(const char *question)
{
	char line[64];

	fprintf(stderr, "%s", question);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return line[0] == 'y' || line[0] == 'Y';
}

static bool report_md_member(struct create_member *m)
{
	struct member old;
	struct diag d = { 0 };
	char when[64];

	if (member_load_io_any(&old, &m->io, &d) != MEMBER_OK)
		return false;
	format_ctime(sb1_time_seconds(old.sb.ctime), when, sizeof(when));
	pr_err("%s appears to be part of a raid array:\n       level=%s devices=%u ctime=%s\n",
	       m->path, level_name(old.sb.level) ? level_name(old.sb.level) : "-unknown-",
	       old.sb.raid_disks, when);
	return true;
}

static bool report_other_content(struct create_member *m)
{
	struct blkid_api b;
	blkid_probe pr = dynlib_blkid_open(&b) ? b.new_probe_from_filename(m->path) : NULL;
	const char *type = NULL, *usage = NULL;
	bool found = false;

	if (!pr) {
		dynlib_close(b.handle);
		return false;
	}
	b.probe_enable_partitions(pr, 1);
	if (b.do_safeprobe(pr) == 0) {
		if (b.probe_lookup_value(pr, "TYPE", &type, NULL) == 0 && type) {
			b.probe_lookup_value(pr, "USAGE", &usage, NULL);
			pr_err("%s appears to contain %s %s%s\n", m->path,
			       usage && strcmp(usage, "filesystem") == 0 ? "a" : "",
			       type, usage && strcmp(usage, "filesystem") == 0 ? " file system" : " data");
			found = true;
		} else if (b.probe_lookup_value(pr, "PTTYPE", &type, NULL) == 0 && type) {
			pr_err("%s appears to contain a partition table (%s)\n", m->path, type);
			found = true;
		}
	}
	b.free_probe(pr);
	dynlib_close(b.handle);
	return found;
}

static int confirm_overwrite(struct create_run *r)
{
	bool found = false;

	for (size_t i = 0; i < r->n; i++) {
		struct create_member *m = &r->m[i];

		if (m->missing)
			continue;
		if (!report_md_member(m))
			found |= report_other_content(m);
		else
			found = true;
	}
	if (!found || r->o.run || r->o.force)
		return 0;
	if (!ask_yes("Continue creating array [y/N]? ")) {
		pr_err("create aborted.\n");
		return EXIT_FAIL;
	}
	return 0;
}

static void ask_for_bitmap(struct create_run *r)
{
	if (r->o.bitmap_given || r->o.run || r->o.level <= 0)
		return;
	if (ask_yes("To optimize recovery speed, it is recommended to enable write-intent bitmap, do you want to enable it now? [y/N]? "))
		r->o.bitmap = r->o.minor == 0 ? BITMAP_KIND_CLASSIC : BITMAP_KIND_LOCKLESS;
	else
		fprintf(stderr, "assuming no.\n");
}

/* From Linux 7.1 a first-use lockless bitmap on raid4/5/6 whose members
 * all support write-zeroes with unmap zeroes the members (CleanUnwritten). */
static void warn_write_zeroes(struct create_run *r)
{
	uint64_t v;
	char rel[128];
	char buf[32];

	if (r->o.bitmap != BITMAP_KIND_LOCKLESS || r->o.assume_clean ||
	    !llb_first_use_may_zero(r->o.level))
		return;
	for (size_t i = 0; i < r->n; i++) {
		if (r->m[i].missing)
			continue;
		snprintf(rel, sizeof(rel), "block/%s/queue/write_zeroes_unmap_max_bytes", r->m[i].kname);
		if (sysfs_read(&r->sys, rel, buf, sizeof(buf), NULL) || !parse_u64(buf, &v) || v == 0)
			return;
	}
	pr_err("warning: every member supports write-zeroes: from Linux 7.1 the kernel may zero the whole data area of this new %s array when it first starts (use --assume-clean if the members hold data you need)\n",
	       level_name(r->o.level));
}

/* ---- writing the metadata ------------------------------------------------------ */

static void fill_name(const struct create_opts *o, uint8_t set_name[32])
{
	char full[sizeof(o->homehost) + sizeof(o->name) + 1];

	if (o->homehost[0] && !strchr(o->name, ':') &&
	    strlen(o->homehost) + 1 + strlen(o->name) < 32)
		snprintf(full, sizeof(full), "%s:%s", o->homehost, o->name);
	else
		snprintf(full, sizeof(full), "%s", o->name);
	memset(set_name, 0, 32);
	memcpy(set_name, full, strlen(full) > 32 ? 32 : strlen(full));
}

/* Whether a new array can start without the initial resync: with
 * --assume-clean, or when members are missing and nothing is left to
 * compare (the kernel refuses to start a degraded raid4/5/6 that is not
 * clean, and a mirror with one present copy has nothing to sync). A
 * degraded RAID1 or RAID10 with several present copies must still make
 * them equal. */
static bool starts_in_sync(const struct create_run *r)
{
	unsigned present = 0, missing = 0;

	if (r->o.assume_clean || r->spare_rebuild)
		return true;
	for (size_t i = 0; i < r->n; i++) {
		if (r->m[i].spare)
			continue;
		if (r->m[i].missing)
			missing++;
		else
			present++;
	}
	if (missing == 0)
		return false;
	if (r->o.level == 1 || r->o.level == 10)
		return present < 2;
	return true;
}

/* mdadm 4.6 starts a new RAID4/5 degraded with its last member as a spare:
 * the recovery onto it writes the parity in one pass where a resync would
 * read and compare every stripe. As 4.6: not with --force, --assume-clean
 * or a member given as missing; and not with the lockless bitmap, which
 * needs no initial pass at all. */
static void plan_spare_rebuild(struct create_run *r)
{
	struct create_member *last = NULL;

	if ((r->o.level != 4 && r->o.level != 5) || r->o.raid_disks < 3 || r->o.assume_clean ||
	    r->o.force || r->o.bitmap == BITMAP_KIND_LOCKLESS)
		return;
	for (size_t i = 0; i < r->n; i++) {
		if (r->m[i].missing)
			return;
		if (!r->m[i].spare && r->m[i].slot == r->o.raid_disks - 1)
			last = &r->m[i];
	}
	if (!last)
		return;
	last->spare = true;
	r->spare_rebuild = true;
}

static void build_template(const struct create_run *r, struct sb1 *sb)
{
	const struct create_opts *o = &r->o;
	uint64_t now = (uint64_t)time(NULL);
	unsigned dev = 0;

	memset(sb, 0, sizeof(*sb));
	sb->magic = SB1_MAGIC;
	sb->major_version = 1;
	if (o->bitmap != BITMAP_KIND_NONE)
		sb->feature_map |= SB1_FEAT_BITMAP_OFFSET;
	if (o->level == 0)
		sb->feature_map |= SB1_FEAT_RAID0_LAYOUT;
	memcpy(sb->set_uuid, o->uuid, 16);
	fill_name(o, sb->set_name);
	sb->ctime = sb->utime = now;
	sb->level = o->level;
	sb->layout = o->level == 1 || o->level == -1 ? 0 : o->layout;
	/* raid0 and linear use each member's whole data area; like mdadm 4.6
	 * record no component size unless --size asked for one */
	sb->size = o->level <= 0 && o->size == GEOM_UNSET ? 0 : r->g.size;
	sb->chunksize = (uint32_t)o->chunk_sectors;
	sb->raid_disks = o->raid_disks;
	sb->bitmap_offset = o->bitmap != BITMAP_KIND_NONE ? r->g.bitmap_offset : 0;
	sb->data_offset = r->g.data_offset;
	sb->bblog_offset = r->g.bblog_offset;
	sb->bblog_size = r->g.bblog_size;
	sb->events = 0;
	sb->resync_offset = starts_in_sync(r) ? SB1_MAX_SECTOR : 0;
	sb->max_dev = (uint32_t)((((SB1_FIXED_SIZE + 2 * r->n) + 511) / 512 * 512 - SB1_FIXED_SIZE) / 2);
	sb->logical_block_size = o->lbs;
	for (unsigned i = 0; i < SB1_MAX_DEV; i++)
		sb->dev_roles[i] = SB1_ROLE_SPARE;
	for (size_t i = 0; i < r->n; i++) {
		if (r->m[i].missing)
			continue;
		sb->dev_roles[dev++] = r->m[i].spare ? SB1_ROLE_SPARE : (uint16_t)r->m[i].slot;
	}
}

static int write_superblock(struct create_member *m, const struct sb1 *tmpl, unsigned dev_number,
			    struct diag *d)
{
	uint8_t buf[SB1_IO_SIZE] = { 0 };
	struct sb1 sb = *tmpl;

	sb.dev_number = dev_number;
	sb.devflags = m->devflags;
	sb.super_offset = m->mg.super_offset;
	sb.data_size = m->mg.data_size;
	if (getrandom(sb.device_uuid, 16, 0) != 16)
		return diag_fail(d, "cannot get random bytes: %s", strerror(errno));
	sb1_set_csum(&sb);
	if (sb1_encode(&sb, buf, sizeof(buf), d))
		return -1;
	return devio_write(&m->io, sb.super_offset * 512, buf, sizeof(buf), d);
}

static void fill_bitmap_sb(const struct create_run *r, struct bitmap_sb *b)
{
	const struct create_opts *o = &r->o;

	memset(b, 0, sizeof(*b));
	b->magic = BITMAP_MAGIC;
	memcpy(b->uuid, o->uuid, 16);
	b->sync_size = r->g.bitmap_sync_size;
	b->version = bitmap_kind_version(o->bitmap);
	b->state = bitmap_kind_new_array_flags(o->bitmap, o->assume_clean);
	if (o->bitmap == BITMAP_KIND_LOCKLESS) {
		/* first use: these are the values the kernel will pick */
		b->chunksize = (uint32_t)r->g.llb_chunk_sectors;
		b->daemon_sleep = LLB_DEFAULT_DAEMON_SLEEP;
		b->sectors_reserved = r->g.llb_space;
	} else {
		b->chunksize = (uint32_t)r->g.classic_chunk_bytes;
		b->daemon_sleep = o->delay;
		b->write_behind = o->write_behind;
	}
}

/* The whole bitmap extent: header, then lockless state bytes or classic
 * bits as a new array's (bitmap_kind_new_array_fill), zeros to the end of
 * the reserved extent. */
static uint8_t *build_bitmap_area(const struct create_run *r, size_t *len, struct diag *d)
{
	uint8_t fill = bitmap_kind_new_array_fill(r->o.bitmap, r->o.assume_clean);
	struct bitmap_sb b;
	uint8_t *area;
	uint64_t chunks;

	fill_bitmap_sb(r, &b);
	*len = (size_t)r->g.bitmap_sectors * 512;
	area = calloc(1, *len);
	if (!area) {
		diag_fail(d, "out of memory");
		return NULL;
	}
	/* FIRST_USE is set on a lockless one, so the header does not give
	 * the chunk count */
	chunks = r->o.bitmap == BITMAP_KIND_LOCKLESS ?
		llb_first_use_chunks(r->g.bitmap_sync_size, r->g.llb_space) : bitmap_chunks(&b);
	if (bitmap_area_encode(&b, chunks, fill, area, *len, d)) {
		free(area);
		return NULL;
	}
	return area;
}

static int write_member(struct create_run *r, struct create_member *m, const struct sb1 *tmpl,
			unsigned dev_number, const uint8_t *bitmap, size_t bitmap_len,
			struct diag *d)
{
	int64_t bm = (int64_t)m->mg.super_offset + r->g.bitmap_offset;

	if (member_clear_other_superblocks(&m->io, r->o.minor, d))
		return -1;
	if (bitmap && devio_write(&m->io, (uint64_t)bm * 512, bitmap, bitmap_len, d))
		return -1;
	if (r->g.bblog_size) {
		static const uint8_t zero[GEOM_BBLOG_SECTORS * 512];
		int64_t bb = (int64_t)m->mg.super_offset + r->g.bblog_offset;

		if (devio_write(&m->io, (uint64_t)bb * 512, zero, sizeof(zero), d))
			return -1;
	}
	if (write_superblock(m, tmpl, dev_number, d))
		return -1;
	return devio_flush(&m->io, d);
}

/* ---- 0.90 ----------------------------------------------------------------- */

/* The descriptor of member m numbered `number`: its slot, its device
 * number, in sync unless a spare (write-mostly and failfast as state bits).
 * A 'missing' slot stays all zeros, as mdadm 4.6 leaves it (the kernel
 * marks such a slot faulty and removed when it writes the superblock). */
static void fill_descriptor0(const struct create_member *m, unsigned number, struct sb0_disk *dd)
{
	memset(dd, 0, sizeof(*dd));
	if (m->missing)
		return;
	dd->number = number;
	dd->raid_disk = m->slot;
	dd->major = major(m->rdev);
	dd->minor = minor(m->rdev);
	if (!m->spare)
		dd->state = (1u << SB0_DISK_ACTIVE) | (1u << SB0_DISK_SYNC);
	if (m->devflags & SB1_DEVFLAG_WRITEMOSTLY)
		dd->state |= 1u << SB0_DISK_WRITEMOSTLY;
	if (m->devflags & SB1_DEVFLAG_FAILFAST)
		dd->state |= 1u << SB0_DISK_FAILFAST;
}

/* The array's words: the given UUID's four words as they are written
 * (or random ones with the homehost's mark), the preferred minor from
 * the md device, the shape, every member's descriptor, events 1. */
static void build_template0(const struct create_run *r, struct sb0 *sb)
{
	const struct create_opts *o = &r->o;
	uint32_t *words[4] = { &sb->set_uuid0, &sb->set_uuid1, &sb->set_uuid2, &sb->set_uuid3 };
	unsigned number = 0, active = 0, spares = 0;

	memset(sb, 0, sizeof(*sb));
	sb->big_endian = sb0_host_is_big_endian();
	sb->md_magic = SB0_MAGIC;
	sb->minor_version = SB0_MINOR;
	for (unsigned i = 0; i < 4; i++)
		*words[i] = (uint32_t)o->uuid[4 * i] << 24 | (uint32_t)o->uuid[4 * i + 1] << 16 |
			    (uint32_t)o->uuid[4 * i + 2] << 8 | o->uuid[4 * i + 3];
	if (!cmd_has(r->c, OPT_UUID))
		sb0_uuid_set_local(sb, o->homehost);
	sb->ctime = sb->utime = (uint32_t)time(NULL);
	sb->level = o->level;
	sb->size = (uint32_t)(r->g.size / 2);
	sb->raid_disks = o->raid_disks;
	sb->md_minor = (uint32_t)strtoul(o->devnm + 2, NULL, 10);
	if (starts_in_sync(r))
		sb->state |= 1u << SB0_STATE_CLEAN;
	if (o->bitmap == BITMAP_KIND_CLASSIC)
		sb->state |= 1u << SB0_STATE_BITMAP_PRESENT;
	sb->layout = o->level == 1 || o->level == -1 ? 0 : o->layout;
	sb->chunk_size = (uint32_t)(o->chunk_sectors * 512);
	sb->events = 1;
	for (size_t i = 0; i < r->n; i++) {
		const struct create_member *m = &r->m[i];

		/* mdadm 4.6 counts a missing slot in nr_disks too */
		fill_descriptor0(m, number++, &sb->disks[i]);
		if (m->missing)
			continue;
		if (m->spare)
			spares++;
		else
			active++;
	}
	sb->nr_disks = number;
	sb->active_disks = active;
	sb->working_disks = active + spares;
	sb->spare_disks = spares;
	sb->failed_disks = o->raid_disks > active ? o->raid_disks - active : 0;
}

/* Clear the v1 superblocks (a 0.90 member must not also look like a v1
 * one), the classic bitmap in the 60 KiB after the superblock, then the
 * superblock with this member's own descriptor. */
static int write_member0(struct create_run *r, struct create_member *m, const struct sb0 *tmpl,
			 unsigned number, const uint8_t *bitmap, size_t bitmap_len, struct diag *d)
{
	uint8_t buf[SB0_BYTES];
	struct sb0 sb = *tmpl;

	if (member_clear_other_superblocks(&m->io, -1, d))
		return -1;
	if (bitmap && devio_write(&m->io, (m->mg.super_offset + r->g.bitmap_offset) * 512, bitmap,
				  bitmap_len, d))
		return -1;
	sb.this_disk = sb.disks[number];
	sb0_set_csum(&sb);
	if (sb0_encode(&sb, buf, sizeof(buf), d))
		return -1;
	if (devio_write(&m->io, m->mg.super_offset * 512, buf, sizeof(buf), d))
		return -1;
	return devio_flush(&m->io, d);
}

static int write_metadata0(struct create_run *r)
{
	struct diag d = { 0 };
	uint8_t *bitmap = NULL;
	size_t bitmap_len = 0;
	struct sb0 tmpl;
	int rc = 0;

	build_template0(r, &tmpl);
	/* from here on the UUID is the words in host memory order: how the
	 * bitmap superblock and the map name a 0.90 array */
	sb0_uuid_bytes(&tmpl, r->o.uuid);
	if (r->o.bitmap == BITMAP_KIND_CLASSIC) {
		bitmap = build_bitmap_area(r, &bitmap_len, &d);
		if (!bitmap) {
			pr_err("%s\n", d.msg);
			return EXIT_FAIL;
		}
	}
	for (size_t i = 0; i < r->n && rc == 0; i++) {
		if (r->m[i].missing)
			continue;
		if (write_member0(r, &r->m[i], &tmpl, (unsigned)i, bitmap, bitmap_len, &d)) {
			pr_err("Failed to write metadata to %s: %s\n", r->m[i].path, d.msg);
			rc = EXIT_FAIL;
		}
	}
	free(bitmap);
	return rc;
}

static int write_metadata(struct create_run *r)
{
	struct diag d = { 0 };
	uint8_t *bitmap = NULL;
	size_t bitmap_len = 0;
	unsigned dev_number = 0;
	struct sb1 tmpl;
	int rc = 0;

	if (r->o.minor == SHAPE_METADATA_090)
		return write_metadata0(r);
	build_template(r, &tmpl);
	if (r->o.bitmap != BITMAP_KIND_NONE && !(bitmap = build_bitmap_area(r, &bitmap_len, &d))) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < r->n && rc == 0; i++) {
		struct create_member *m = &r->m[i];

		if (m->missing)
			continue;
		if (write_member(r, m, &tmpl, dev_number++, bitmap, bitmap_len, &d)) {
			pr_err("Failed to write metadata to %s: %s\n", m->path, d.msg);
			rc = EXIT_FAIL;
		}
	}
	free(bitmap);
	return rc;
}

/* ---- --write-zeroes ------------------------------------------------------------ */

/* Every member must take the kernel's zeroing request; found out before
 * anything is written. */
static int check_zeroing(struct create_run *r)
{
	struct diag d = { 0 };

	if (!r->o.write_zeroes)
		return 0;
	for (size_t i = 0; i < r->n; i++) {
		struct create_member *m = &r->m[i];

		if (m->missing || devio_zero_probe(&m->io, &d) == 0)
			continue;
		pr_err("--write-zeroes is not supported by %s: %s; nothing was written\n", m->path,
		       strerror(d.err));
		return EXIT_FAIL;
	}
	return 0;
}

/* The part of a member the array uses: from the data offset, the
 * component size (raid0 and linear without --size: the whole data area). */
static uint64_t zero_bytes(const struct create_run *r, const struct create_member *m)
{
	if (r->o.level <= 0 && r->o.size == GEOM_UNSET)
		return m->mg.data_size * 512;
	return r->g.size * 512;
}

/* One process per member, as the zeroing of a large disk takes long and
 * the disks work in parallel; returns its pid, or -1. The child takes
 * Ctrl-C as usual (`orig`: the mask before zero_members blocked it). */
static pid_t zero_member(struct create_run *r, struct create_member *m, const sigset_t *orig)
{
	uint64_t off = r->g.data_offset * 512, len = zero_bytes(r, m);
	struct diag d = { 0 };
	pid_t pid;

	pr_info("zeroing data from %llu to %llu on: %s\n", (unsigned long long)off,
		(unsigned long long)len, m->path);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		pr_err("Could not fork to zero disks: %s\n", strerror(errno));
		return -1;
	}
	if (pid > 0)
		return pid;
	sigprocmask(SIG_SETMASK, orig, NULL);
	if (devio_zero_range(&m->io, off, len, &d) != 0) {
		pr_err("zeroing %s failed: %s\n", m->path, d.msg);
		_exit(1);
	}
	_exit(0);
}

/* Ctrl-C (or a TERM, HUP) that came while the children zeroed: taken
 * here, so that the caller still removes what it set up. */
static bool take_interrupt(const sigset_t *stops)
{
	struct timespec none = { 0, 0 };
	bool got = false;

	while (sigtimedwait(stops, NULL, &none) > 0)
		got = true;
	return got;
}

/* Before any superblock is written: a failure leaves the members without
 * a new array, and a crash in the middle too. This process ignores Ctrl-C
 * until every child has ended, then fails, so that the md device and the
 * creating marker do not stay behind. */
static int zero_members(struct create_run *r)
{
	pid_t pids[CREATE_MAX_MEMBERS];
	sigset_t stops, orig;
	size_t started = 0;
	bool failed = false, interrupted;

	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_BLOCK, &stops, &orig);
	for (size_t i = 0; i < r->n && !failed; i++) {
		if (r->m[i].missing)
			continue;
		pids[started] = zero_member(r, &r->m[i], &orig);
		if (pids[started] < 0)
			failed = true;
		else
			started++;
	}
	for (size_t i = 0; i < started; i++) {
		int status;

		while (waitpid(pids[i], &status, 0) < 0) {
			if (errno != EINTR) {
				status = 1;
				break;
			}
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = true;
	}
	interrupted = take_interrupt(&stops);
	sigprocmask(SIG_SETMASK, &orig, NULL);
	if (interrupted) {
		pr_err("zeroing interrupted!\n");
		return EXIT_FAIL;
	}
	if (failed) {
		pr_err("zeroing failed!\n");
		return EXIT_FAIL;
	}
	pr_info("zeroing finished\n");
	return 0;
}

/* ---- the kernel side ---------------------------------------------------------- */

static void close_members(struct create_run *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (!r->m[i].missing)
			devio_close(&r->m[i].io);
}

/* The members in slot order (missing ones left out), metadata version,
 * bitmap type and logical block size, then the requested state. */
static int start_array(struct create_run *r, struct diag *d)
{
	struct md_start_member members[CREATE_MAX_MEMBERS];
	struct md_start st = {
		.minor = r->o.minor,
		.v090 = r->o.minor == SHAPE_METADATA_090,
		.bitmap = r->o.bitmap,
		.members = members,
		.lbs = r->o.lbs,
		.lbs_required = true,
	};

	for (size_t i = 0; i < r->n; i++)
		if (!r->m[i].missing)
			members[st.nmembers++] = (struct md_start_member){ r->m[i].rdev, r->m[i].path };
	return md_array_start(&r->sys, r->o.devnm, &st,
			      r->o.readonly ? MD_STATE_READONLY : MD_STATE_ACTIVE, d);
}

static void stop_half_made(struct create_run *r)
{
	struct diag d = { 0 };

	if (r->md_allocated && md_array_stop(&r->sys, r->o.devnm, &d) != 0)
		pr_err("could not stop the half-made %s: %s\n", r->o.array, d.msg);
}

/* The marker udev's rule 01 looks for, from before the md device exists
 * until it runs (or is gone again). */
static int mark_creating(struct create_run *r)
{
	struct diag d = { 0 };

	if (mapfile_creating_mark(r->o.devnm, &d)) {
		pr_err("Cannot block udev: %s\n", d.msg);
		return EXIT_FAIL;
	}
	r->marked_creating = true;
	return 0;
}

static void unmark_creating(struct create_run *r)
{
	struct diag d = { 0 };

	if (!r->marked_creating)
		return;
	r->marked_creating = false;
	if (mapfile_creating_clear(r->o.devnm, &d))
		pr_err("warning: %s\n", d.msg);
}

/* Now that the marker is gone, udev looks at the device again (links,
 * systemd's readiness); best effort, as nothing of ours depends on it. */
static void tell_udev(struct create_run *r)
{
	if (md_notify_udev(&r->sys, r->o.devnm, NULL) != 0)
		return;
}

static void make_link(struct create_run *r)
{
	struct diag d = { 0 };

	if (r->o.link[0] && md_make_link(r->o.link, r->o.devnm, &d))
		pr_err("warning: %s\n", d.msg);
}

/* Record the new array in the map (/run/mdadm/map) for udev and
 * --incremental. */
static void record_in_map(const struct create_run *r)
{
	struct diag d = { 0 };
	char mv[8];

	if (r->o.minor == SHAPE_METADATA_090)
		snprintf(mv, sizeof(mv), "0.90");
	else
		snprintf(mv, sizeof(mv), "1.%d", r->o.minor);
	if (mapfile_record(r->o.devnm, mv, r->o.uuid, r->o.map_name, &d))
		pr_err("warning: could not record %s in the map: %s\n", r->o.array, d.msg);
}

static int kernel_part(struct create_run *r)
{
	struct diag d = { 0 };

	if (!sysfs_exists(&r->sys, "module/md_mod")) {
		pr_err("the running kernel has no md driver (no /sys/module/md_mod)\n");
		return EXIT_FAIL;
	}
	if (mark_creating(r))
		return EXIT_FAIL;
	if (md_alloc(&r->sys, r->o.devnm, &d)) {
		pr_err("%s\n", d.msg);
		goto fail;
	}
	r->md_allocated = true;
	if (r->o.write_zeroes && zero_members(r))
		goto fail;
	if (write_metadata(r))
		goto fail;
	close_members(r);   /* release O_EXCL so the kernel can claim them */
	if (start_array(r, &d)) {
		pr_err("failed to start %s: %s\n", r->o.array, d.msg);
		goto fail;
	}
	make_link(r);
	record_in_map(r);
	pr_info("array %s started.\n", r->o.map_name);
	unmark_creating(r);
	tell_udev(r);
	return EXIT_OK;
fail:
	stop_half_made(r);
	unmark_creating(r);
	return EXIT_FAIL;
}

int Create(const struct cmdline *c)
{
	struct create_run *r = calloc(1, sizeof(*r));
	int rc;

	if (!r) {
		pr_err("out of memory\n");
		return EXIT_FAIL;
	}
	r->c = c;
	sysfs_init(&r->sys);
	if ((rc = parse_opts(r)) || (rc = check_combinations(r)))
		goto out;
	/* asked first, as mdadm 4.6 does, so that the members are checked
	 * (block sizes, room) for the bitmap the array will really get */
	ask_for_bitmap(r);
	if ((rc = collect_members(r)) || (rc = check_block_sizes(r)) || (rc = plan_layout(r)))
		goto out;
	if (!r->o.minor_given)
		pr_info("Defaulting to version 1.2 metadata\n");
	if ((rc = confirm_overwrite(r)))
		goto out;
	if ((rc = check_zeroing(r)))
		goto out;
	warn_write_zeroes(r);
	plan_spare_rebuild(r);
	rc = kernel_part(r);
out:
	close_members(r);
	conf_free(&r->conf);
	free(r);
	return rc;
}
