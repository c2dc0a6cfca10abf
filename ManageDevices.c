/* ManageDevices.c - --manage: members in and out of a running array
 *
 *   mdadm /dev/md0 --fail /dev/sdb --remove /dev/sdb --re-add /dev/sdb
 *
 * --fail and --remove are member state writes ("faulty", "remove") through
 * sysfs. --re-add hands a former member back to the kernel in its old slot
 * (ADD_NEW_DISK); with a bitmap the kernel then recovers only the chunks
 * written while it was away. --add tries that first for a former member and
 * otherwise gives the device new metadata as a spare of the array, copied
 * from a working member. --replace marks a member for replacement (the
 * kernel rebuilds it onto a spare while it stays in service), --with names
 * the spare. Array-wide flags given in manage mode (--run,
 * --readonly, --readwrite, --stop) act on the array itself.
 *
 * Lockless bitmap: the kernel reads chunk states at assembly from the first
 * in-sync member and rewrites the whole bitmap on every member only at a
 * clean stop. A new member's state area therefore gets every chunk as
 * NeedSync (like the classic bitmap's all-ones): should the kernel read it
 * after a crash, the cost is a resync, never a skipped one. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "member_set.h"
#include "bitmap.h"
#include "geometry.h"
#include "md_ioctl.h"
#include "mdarray.h"
#include "mdkernel.h"
#include "mdstat.h"
#include "member.h"
#include "modes.h"
#include "policy.h"
#include "util.h"

/* A member marked for replacement that no --with device has been paired
 * with yet (a --with takes the oldest). */
struct replace_pending {
	char kname[SYSFS_NAME_MAX];
	const char *shown;
	int slot;
};

#define MANAGE_MAX_REPLACE 64

struct manage_ctx {
	const struct cmdline *c;
	struct replace_pending replace[MANAGE_MAX_REPLACE];
	size_t nreplace, replace_used;
	struct sysfs sys;
	const char *name;             /* the array as the user named it */
	char devnm[MD_DEVNM_MAX];
	char node[PATH_MAX];
	struct md_array a;
	bool changed;                 /* for --test: did anything change? */
};

enum add_kind { ADD_ANY, ADD_REBUILD_ONLY, ADD_SPARE_ONLY };

/* ---- the array and its members ------------------------------------------------ */

static int load_array(struct manage_ctx *x)
{
	struct diag d = { 0 };
	struct mdstat ms;
	bool have_ms;
	int rc;

	md_array_free(&x->a);
	memset(&x->a, 0, sizeof(x->a));
	/* /proc/mdstat has the descriptor numbers; without it they are unknown */
	have_ms = mdstat_read_file(&ms, NULL) == 0;
	rc = md_array_load(&x->sys, have_ms ? &ms : NULL, x->devnm, &x->a, &d);
	if (have_ms)
		mdstat_free(&ms);
	if (rc != 0)
		pr_err("cannot read the state of %s: %s\n", x->name, d.msg);
	return rc ? -1 : 0;
}

static const struct md_member *member_by_kname(const struct manage_ctx *x, const char *kname)
{
	for (size_t i = 0; i < x->a.nmembers; i++)
		if (strcmp(x->a.members[i].kname, kname) == 0)
			return &x->a.members[i];
	return NULL;
}

static bool member_working(const struct md_member *m)
{
	return (m->flags & MDM_IN_SYNC) && !(m->flags & MDM_FAULTY) && m->slot >= 0;
}

/* A member whose device has gone away underneath the array. */
static bool member_detached(const struct manage_ctx *x, const struct md_member *m)
{
	char node[PATH_MAX];
	int fd;

	md_member_node(&x->sys, m, node, sizeof(node));
	if (!node[0])
		return true;
	fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENXIO || errno == ENODEV || errno == ENOENT;
	close(fd);
	return false;
}

/* A device argument: a path, or the kernel name of a current member
 * ("sdb"), which still works after the node has disappeared. */
struct target {
	const char *arg;
	char kname[SYSFS_NAME_MAX];
	dev_t rdev;
};

static int resolve_target(const struct manage_ctx *x, const char *arg, struct target *t)
{
	struct diag d = { 0 };
	struct stat st;

	memset(t, 0, sizeof(*t));
	t->arg = arg;
	if (!strchr(arg, '/') && member_by_kname(x, arg)) {
		snprintf(t->kname, sizeof(t->kname), "%s", arg);
		return 0;
	}
	if (stat(arg, &st) != 0) {
		pr_err("stat failed for %s: %s\n", arg, strerror(errno));
		return -1;
	}
	if (blockdev_identify(arg, t->kname, sizeof(t->kname), &t->rdev, &x->sys, &d) != 0) {
		pr_err("%s\n", d.msg);
		return -1;
	}
	return 0;
}

/* ---- --fail and --remove ------------------------------------------------------ */

/* Would the array still work without this member? The kernel does refuse
 * to fail the last member that holds the data, but it marks the whole
 * array broken on the way (every later write fails with EIO), so ask
 * before telling it. */
static bool array_survives_without(const struct manage_ctx *x, const char *kname)
{
	unsigned n = x->a.raid_disks;
	bool *present;
	bool ok;

	if (!x->a.level_known || n == 0 || n > SB1_MAX_DEV)
		return true;       /* nothing to judge by: let the kernel decide */
	present = calloc(n, sizeof(*present));
	if (!present)
		return false;
	for (size_t i = 0; i < x->a.nmembers; i++) {
		const struct md_member *m = &x->a.members[i];

		if (member_working(m) && (unsigned)m->slot < n && strcmp(m->kname, kname) != 0)
			present[m->slot] = true;
	}
	ok = policy_enough(x->a.level, n, x->a.layout, present);
	free(present);
	return ok;
}

static int fail_member(struct manage_ctx *x, const char *shown, const char *kname)
{
	const struct md_member *m = member_by_kname(x, kname);
	int err;

	if (m && member_working(m) && !array_survives_without(x, kname)) {
		pr_err("Cannot remove %s from %s, array will be failed.\n", shown, x->name);
		return EXIT_FAIL;
	}
	err = -md_member_write(&x->sys, x->devnm, kname, "state", "faulty", NULL);
	if (err == EBUSY) {
		pr_err("Cannot remove %s from %s, array will be failed.\n", shown, x->name);
		return EXIT_FAIL;
	}
	if (err) {
		pr_err("set device faulty failed for %s: %s\n", shown,
		       strerror(err == ENOENT ? ENODEV : err));
		return EXIT_FAIL;
	}
	x->changed = true;
	if (x->c->verbose > 0)
		pr_info("set %s faulty in %s\n", shown, x->name);
	return EXIT_OK;
}

#define REMOVE_TRIES   100
#define REMOVE_WAIT_MS 50

static bool member_faulty_now(const struct manage_ctx *x, const char *kname)
{
	char state[128] = "";

	return md_member_read(&x->sys, x->devnm, kname, "state", state, sizeof(state), NULL) == 0 &&
	       strstr(state, "faulty") != NULL;
}

/* Right after --fail the md thread still has to take the member out of
 * its slot; until then "remove" says EBUSY. Wait for that (bounded), but
 * never for a member that is working. */
static int remove_member(struct manage_ctx *x, const char *shown, const char *kname)
{
	int err = -md_member_write(&x->sys, x->devnm, kname, "state", "remove", NULL);

	for (int i = 0; err == EBUSY && i < REMOVE_TRIES && member_faulty_now(x, kname); i++) {
		sleep_ms(REMOVE_WAIT_MS);
		err = -md_member_write(&x->sys, x->devnm, kname, "state", "remove", NULL);
	}
	if (err) {
		pr_err("hot remove failed for %s: %s\n", shown,
		       strerror(err == ENOENT ? ENXIO : err));
		return EXIT_FAIL;
	}
	x->changed = true;
	if (x->c->verbose >= 0)
		pr_info("hot removed %s from %s\n", shown, x->name);
	return EXIT_OK;
}

/* "failed" (every faulty member) and "detached" (every member whose device
 * is gone) instead of a device name. */
static int for_each_keyword_member(struct manage_ctx *x, const char *keyword, bool fail)
{
	int rc = EXIT_OK;

	for (size_t i = 0; i < x->a.nmembers; i++) {
		const struct md_member *m = &x->a.members[i];
		bool pick = strcmp(keyword, "failed") == 0 ? (m->flags & MDM_FAULTY) != 0
							   : member_detached(x, m);

		if (!pick)
			continue;
		rc |= fail ? fail_member(x, m->kname, m->kname) : remove_member(x, m->kname, m->kname);
	}
	return rc;
}

static int do_fail(struct manage_ctx *x, const char *arg)
{
	struct target t;

	if (strcmp(arg, "detached") == 0)
		return for_each_keyword_member(x, arg, true);
	if (resolve_target(x, arg, &t) != 0)
		return EXIT_FAIL;
	return fail_member(x, arg, t.kname);
}

static int do_remove(struct manage_ctx *x, const char *arg)
{
	struct target t;

	if (strcmp(arg, "failed") == 0 || strcmp(arg, "detached") == 0)
		return for_each_keyword_member(x, arg, false);
	if (resolve_target(x, arg, &t) != 0)
		return EXIT_FAIL;
	return remove_member(x, arg, t.kname);
}

/* ---- --re-add ----------------------------------------------------------------- */

/* The metadata of a working member: the template for new members and the
 * yardstick for former ones. */
static int load_working_member(const struct manage_ctx *x, struct member *m)
{
	struct diag d = { 0 };

	for (size_t i = 0; i < x->a.nmembers; i++) {
		char node[PATH_MAX];

		if (!member_working(&x->a.members[i]))
			continue;
		md_member_node(&x->sys, &x->a.members[i], node, sizeof(node));
		if (node[0] && member_load(m, node, &d) == MEMBER_OK && m->csum_ok &&
		    m->geometry_ok)
			return 0;
	}
	pr_err("cannot read the metadata of any working member of %s%s%s\n", x->name,
	       d.msg[0] ? ": " : "", d.msg);
	return -1;
}

static bool slot_taken(const struct manage_ctx *x, int slot)
{
	for (size_t i = 0; i < x->a.nmembers; i++)
		if (x->a.members[i].slot == slot && !(x->a.members[i].flags & MDM_FAULTY))
			return true;
	return false;
}

/* Why the kernel would not take `dev` back in its old slot, or NULL. */
static const char *readd_obstacle(const struct manage_ctx *x, const struct member *work,
				  const struct member *dev, char *buf, size_t len)
{
	uint16_t role = sb1_role(&dev->sb);

	if (memcmp(dev->sb.set_uuid, work->sb.set_uuid, 16) != 0)
		return "it belongs to another array";
	if (role == SB1_ROLE_SPARE || role == SB1_ROLE_FAULTY || role >= work->sb.raid_disks)
		return "it has no active slot in the array";
	if (slot_taken(x, role)) {
		snprintf(buf, len, "slot %u is in use", role);
		return buf;
	}
	if (x->a.bitmap == BITMAP_KIND_NONE && dev->sb.events != work->sb.events) {
		snprintf(buf, len, "the array has no bitmap and the device is out of date "
			 "(events %llu, array %llu)", (unsigned long long)dev->sb.events,
			 (unsigned long long)work->sb.events);
		return buf;
	}
	return NULL;
}

/* write-mostly and failfast: what the device had, changed by --write-mostly,
 * --failfast and --nofailfast on the command line */
static uint32_t wanted_devflags(const struct manage_ctx *x, const struct sb1 *sb)
{
	uint32_t f = sb ? sb->devflags & (SB1_DEVFLAG_WRITEMOSTLY | SB1_DEVFLAG_FAILFAST) : 0;

	if (cmd_has(x->c, OPT_WRITE_MOSTLY))
		f |= SB1_DEVFLAG_WRITEMOSTLY;
	if (cmd_has(x->c, OPT_FAILFAST))
		f |= SB1_DEVFLAG_FAILFAST;
	if (cmd_has(x->c, OPT_NOFAILFAST))
		f &= ~SB1_DEVFLAG_FAILFAST;
	return f;
}

/* ADD_NEW_DISK in the old slot. Returns 0 or the kernel's refusal. */
static int hand_back(struct manage_ctx *x, const struct target *t, const struct member *dev,
		     struct diag *d)
{
	return md_hot_add(x->node, t->rdev, (int)dev->sb.dev_number, sb1_role(&dev->sb),
			  wanted_devflags(x, &dev->sb), d);
}

static int report_readd(struct manage_ctx *x, const struct target *t)
{
	x->changed = true;
	if (x->c->verbose >= 0)
		pr_info("re-added %s\n", t->arg);
	return EXIT_OK;
}

/* ---- a new member -------------------------------------------------------------- */

struct region {
	uint64_t off;
	size_t len;
	uint8_t *data;                /* what we write */
	uint8_t *saved;               /* what was there, for the way back */
};

/* old superblocks at the two other v1 locations, bitmap, bad-block log,
 * superblock */
#define NEW_MEMBER_REGIONS 5

struct new_member {
	struct sb1 sb;
	struct region r[NEW_MEMBER_REGIONS];
	size_t nr;
};

static void new_member_free(struct new_member *nm)
{
	for (size_t i = 0; i < nm->nr; i++) {
		free(nm->r[i].data);
		free(nm->r[i].saved);
	}
	nm->nr = 0;
}

static int add_region(struct new_member *nm, uint64_t off, size_t len, struct diag *d)
{
	struct region *r = &nm->r[nm->nr];

	r->off = off;
	r->len = len;
	r->data = calloc(1, len);
	r->saved = calloc(1, len);
	if (!r->data || !r->saved) {
		free(r->data);
		free(r->saved);
		return diag_fail(d, "out of memory");
	}
	nm->nr++;
	return 0;
}

/* The lowest descriptor number no member has (the kernel picks another
 * itself should it clash after all). */
static unsigned free_dev_number(const struct manage_ctx *x)
{
	for (unsigned n = 0;; n++) {
		bool used = false;

		for (size_t i = 0; i < x->a.nmembers && !used; i++)
			used = x->a.members[i].number == (int)n;
		if (!used)
			return n;
	}
}

/* Superblock for the new device: the working member's, with this device's
 * own number, identity, place and size, as a spare. */
static int plan_superblock(const struct manage_ctx *x, const struct member *work,
			   uint64_t dev_sectors, struct sb1 *sb, struct diag *d)
{
	unsigned number = free_dev_number(x);
	uint64_t super_offset, data_offset, data_size;

	if (number >= SB1_MAX_DEV)
		return diag_fail(d, "the array has no free device number left");
	if (sb1_location(work->minor, dev_sectors, &super_offset) != 0)
		return diag_fail(d, "too small for version 1.%d metadata", work->minor);
	if (work->minor == 0) {
		/* 1.0: data from sector 0, the same gap before the superblock */
		uint64_t gap = work->sb.super_offset - work->sb.data_offset - work->sb.data_size;

		data_offset = 0;
		if (super_offset < gap)
			return diag_fail(d, "not large enough to join array");
		data_size = super_offset - gap;
	} else {
		data_offset = work->sb.data_offset;
		if (dev_sectors <= data_offset)
			return diag_fail(d, "not large enough to join array");
		data_size = dev_sectors - data_offset;
	}
	if (data_size < work->sb.size)
		return diag_fail(d, "not large enough to join array");

	*sb = work->sb;
	sb->feature_map &= ~(SB1_FEAT_RECOVERY_OFFSET | SB1_FEAT_REPLACEMENT |
			     SB1_FEAT_RECOVERY_BITMAP);
	sb->recovery_offset = 0;
	sb->dev_number = number;
	if (sb->max_dev <= number)
		sb->max_dev = number + 1;
	sb->dev_roles[number] = SB1_ROLE_SPARE;
	sb->super_offset = super_offset;
	sb->data_offset = data_offset;
	sb->data_size = data_size;
	sb->devflags = (uint8_t)wanted_devflags(x, NULL);
	sb->utime = (uint64_t)time(NULL);
	if (getrandom(sb->device_uuid, 16, 0) != 16)
		return diag_fail(d, "cannot get random bytes: %s", strerror(errno));
	sb1_set_csum(sb);
	return 0;
}

/* Far above any bitmap the kernel makes (lockless: 1 KiB + 128 KiB); a
 * working member claiming more is damaged, and we would not copy its
 * damage onto a new member. */
#define MANAGE_MAX_BITMAP_BYTES (16u << 20)

/* The bitmap area: the working member's bitmap superblock, then a new
 * member's fill (bitmap_kind_new_member_fill: every chunk to be synced). */
static int plan_bitmap(const struct member *work, struct new_member *nm, struct diag *d)
{
	uint64_t start = (uint64_t)((int64_t)nm->sb.super_offset + work->sb.bitmap_offset) * 512;
	enum bitmap_kind kind = bitmap_kind_of_version(work->bsb.version);
	struct bitmap_sb bsb = work->bsb;
	uint64_t chunks, used;
	struct region *r;

	if (!work->bitmap_read || !work->bitmap_uuid_ok)
		return diag_fail(d, "the bitmap of the working member is unreadable: %s",
				 work->bitmap_problem.msg);
	bsb.state = bitmap_kind_new_member_flags(kind, bsb.state);
	chunks = bitmap_chunks(&bsb);
	used = bitmap_area_used(&bsb, chunks);
	if (used > MANAGE_MAX_BITMAP_BYTES)
		return diag_fail(d, "implausibly large bitmap (%llu bytes)", (unsigned long long)used);
	if (add_region(nm, start, (size_t)((used + 511) / 512 * 512), d))
		return -1;
	r = &nm->r[nm->nr - 1];
	return bitmap_area_encode(&bsb, chunks, bitmap_kind_new_member_fill(kind), r->data, r->len, d);
}

/* An old superblock at another v1 location would make the device look like
 * a member of some other array: it is zeroed (and put back on failure). */
static int plan_stale_superblocks(struct devio *io, int minor, struct new_member *nm,
				  struct diag *d)
{
	uint64_t sectors[3];
	size_t n = member_other_superblocks(io, minor, sectors);

	for (size_t i = 0; i < n; i++)
		if (add_region(nm, sectors[i] * 512, SB1_IO_SIZE, d))
			return -1;
	return 0;
}

/* Everything to write, in order; the superblock comes last. */
static int plan_new_member(const struct manage_ctx *x, const struct member *work,
			   struct devio *io, struct new_member *nm, struct diag *d)
{
	memset(nm, 0, sizeof(*nm));
	if (plan_superblock(x, work, devio_sectors(io), &nm->sb, d))
		return -1;
	if (plan_stale_superblocks(io, work->minor, nm, d))
		return -1;
	if ((nm->sb.feature_map & SB1_FEAT_BITMAP_OFFSET) && plan_bitmap(work, nm, d))
		return -1;
	if (nm->sb.bblog_size) {
		int64_t bb = (int64_t)nm->sb.super_offset + nm->sb.bblog_offset;

		if (add_region(nm, (uint64_t)bb * 512, GEOM_BBLOG_SECTORS * 512, d))
			return -1;
	}
	if (add_region(nm, nm->sb.super_offset * 512, SB1_IO_SIZE, d))
		return -1;
	return sb1_encode(&nm->sb, nm->r[nm->nr - 1].data, SB1_IO_SIZE, d);
}

static bool regions_fit(const struct new_member *nm, uint64_t dev_bytes)
{
	for (size_t i = 0; i < nm->nr; i++)
		if (nm->r[i].off > dev_bytes || nm->r[i].len > dev_bytes - nm->r[i].off)
			return false;
	return true;
}

/* Put back what the first `n` regions held before we wrote them: every
 * region is tried, the first failure is the one reported. */
static int put_back(struct devio *io, const struct new_member *nm, size_t n, struct diag *d)
{
	int rc = 0;

	while (n-- > 0)
		if (devio_write(io, nm->r[n].off, nm->r[n].saved, nm->r[n].len, rc ? NULL : d) != 0)
			rc = -1;
	if (devio_flush(io, rc ? NULL : d) != 0)
		rc = -1;
	return rc;
}

static void report_put_back_failure(const char *path, const struct diag *d)
{
	pr_err("%s may now hold part of the new metadata: putting its old contents back failed: %s\n",
	       path, d->msg);
}

/* Write everything, keeping what was there; on any failure put it back. */
static int write_new_member(struct devio *io, struct new_member *nm, struct diag *d)
{
	struct diag pd = { 0 };
	size_t done = 0;

	if (!regions_fit(nm, io->size))
		return diag_fail(d, "metadata would lie outside the device");
	for (size_t i = 0; i < nm->nr; i++)
		if (devio_read(io, nm->r[i].off, nm->r[i].saved, nm->r[i].len, d))
			return -1;
	for (; done < nm->nr; done++)
		if (devio_write(io, nm->r[done].off, nm->r[done].data, nm->r[done].len, d))
			break;
	if (done == nm->nr && devio_flush(io, d) == 0)
		return 0;
	if (put_back(io, nm, done, &pd) != 0)
		report_put_back_failure(io->path, &pd);
	return -1;
}

/* The kernel refused the device: it gets its old bytes back. */
static void restore_new_member(const char *path, struct new_member *nm)
{
	struct diag d = { 0 };
	struct devio io;

	if (devio_open_rw_excl(&io, path, &d) != 0) {
		report_put_back_failure(path, &d);
		return;
	}
	if (put_back(&io, nm, nm->nr, &d) != 0)
		report_put_back_failure(path, &d);
	devio_close(&io);
}

/* Write a planned new member (v1 or 0.90 alike), hand it to the kernel,
 * and put its old bytes back when the kernel refuses it. Closes io. */
static int commit_new_member(struct manage_ctx *x, const struct target *t, struct devio *io,
			     struct new_member *nm)
{
	struct diag d = { 0 };

	if (write_new_member(io, nm, &d) != 0) {
		pr_err("failed to write metadata to %s: %s\n", t->arg, d.msg);
		devio_close(io);
		return EXIT_FAIL;
	}
	devio_close(io);
	if (md_hot_add(x->node, t->rdev, (int)nm->sb.dev_number, -1,
		       wanted_devflags(x, NULL), &d) != 0) {
		pr_err("add new device failed for %s as %u: %s\n", t->arg,
		       nm->sb.dev_number, d.msg);
		restore_new_member(t->arg, nm);
		return EXIT_FAIL;
	}
	x->changed = true;
	if (x->c->verbose >= 0)
		pr_info("added %s\n", t->arg);
	return EXIT_OK;
}

static int add_as_new(struct manage_ctx *x, const struct target *t, const struct member *work)
{
	struct new_member nm;
	struct diag d = { 0 };
	struct devio io;
	int rc = EXIT_FAIL;

	if (devio_open_rw_excl(&io, t->arg, &d) != 0) {
		pr_err("Cannot open %s: %s\n", t->arg, strerror(d.err));
		return EXIT_FAIL;
	}
	if (io.lbs > md_queue_lbs(&x->sys, x->devnm)) {
		pr_err("%s has %u-byte logical blocks, larger than the %llu bytes of %s\n",
		       t->arg, io.lbs, (unsigned long long)md_queue_lbs(&x->sys, x->devnm), x->name);
		devio_close(&io);
		return EXIT_FAIL;
	}
	if (plan_new_member(x, work, &io, &nm, &d) != 0) {
		pr_err("%s %s\n", t->arg, d.msg);
		devio_close(&io);
	} else {
		rc = commit_new_member(x, t, &io, &nm);
	}
	new_member_free(&nm);
	return rc;
}

/* ---- a new member of a 0.90 array ---------------------------------------------- */

/* The 0.90 superblock of a working member, in this host's byte order
 * (the kernel reads only those). */
static int load_working_member0(const struct manage_ctx *x, struct member0 *m)
{
	struct diag d = { 0 };

	for (size_t i = 0; i < x->a.nmembers; i++) {
		char node[PATH_MAX];

		if (!member_working(&x->a.members[i]))
			continue;
		md_member_node(&x->sys, &x->a.members[i], node, sizeof(node));
		if (node[0] && member0_load(m, node, &d) == MEMBER_OK && m->csum_ok &&
		    m->check_ok && m->sb.big_endian == sb0_host_is_big_endian())
			return 0;
	}
	pr_err("cannot read the metadata of any working member of %s%s%s\n", x->name,
	       d.msg[0] ? ": " : "", d.msg);
	return -1;
}

/* A descriptor number for a new 0.90 member that no member holds now or
 * after the kernel's next superblock write: that write renumbers every
 * member (working ones to their slot, the others from raid_disks up), so
 * a number taken from a snapshot can be claimed by the time the device is
 * bound (EBUSY). Past those ranges when there is room, else the lowest
 * free one. */
static unsigned free_dev_number0(const struct manage_ctx *x)
{
	unsigned past = x->a.raid_disks + (unsigned)x->a.nmembers;

	for (unsigned n = past; n < SB0_DISKS; n++) {
		bool used = false;

		for (size_t i = 0; i < x->a.nmembers && !used; i++)
			used = x->a.members[i].number == (int)n;
		if (!used)
			return n;
	}
	return free_dev_number(x);
}

/* The working member's superblock with this device as a new spare in a
 * free descriptor, the classic bitmap (if any) with every chunk to
 * be synced, the v1 locations cleared. */
static int plan_new_member0(const struct manage_ctx *x, const struct member0 *work,
			    const struct target *t, struct devio *io, struct new_member *nm,
			    struct diag *d)
{
	unsigned number = free_dev_number0(x);
	uint64_t sector;
	struct sb0 sb = work->sb;
	struct sb0_disk *dd;

	memset(nm, 0, sizeof(*nm));
	if (number >= SB0_DISKS)
		return diag_fail(d, "the array has no free descriptor left (0.90 has %u)", SB0_DISKS);
	if (sb0_location(devio_sectors(io), &sector) != 0 || sector < (uint64_t)sb.size * 2)
		return diag_fail(d, "not large enough to join array");
	dd = &sb.disks[number];
	memset(dd, 0, sizeof(*dd));
	dd->number = number;
	dd->major = major(t->rdev);
	dd->minor = minor(t->rdev);
	dd->raid_disk = number;
	if (wanted_devflags(x, NULL) & SB1_DEVFLAG_WRITEMOSTLY)
		dd->state |= 1u << SB0_DISK_WRITEMOSTLY;
	if (wanted_devflags(x, NULL) & SB1_DEVFLAG_FAILFAST)
		dd->state |= 1u << SB0_DISK_FAILFAST;
	sb.this_disk = *dd;
	sb.nr_disks++;
	sb.working_disks++;
	sb.spare_disks++;
	sb.utime = (uint32_t)time(NULL);
	sb0_set_csum(&sb);
	nm->sb.dev_number = number;
	if (plan_stale_superblocks(io, -1, nm, d))
		return -1;
	if (sb.state & (1u << SB0_STATE_BITMAP_PRESENT)) {
		struct member view;

		member0_bitmap_view(work, &view);
		nm->sb.super_offset = sector;
		view.sb.bitmap_offset = (int32_t)(SB0_BYTES / 512);
		if (plan_bitmap(&view, nm, d))
			return -1;
	}
	if (add_region(nm, sector * 512, SB0_BYTES, d))
		return -1;
	return sb0_encode(&sb, nm->r[nm->nr - 1].data, SB0_BYTES, d);
}

static int add_as_new0(struct manage_ctx *x, const struct target *t, const struct member0 *work)
{
	struct new_member nm;
	struct diag d = { 0 };
	struct devio io;
	int rc = EXIT_FAIL;

	if (devio_open_rw_excl(&io, t->arg, &d) != 0) {
		pr_err("Cannot open %s: %s\n", t->arg, strerror(d.err));
		return EXIT_FAIL;
	}
	if (plan_new_member0(x, work, t, &io, &nm, &d) != 0) {
		pr_err("%s %s\n", t->arg, d.msg);
		devio_close(&io);
	} else {
		rc = commit_new_member(x, t, &io, &nm);
	}
	new_member_free(&nm);
	return rc;
}

/* --add to a 0.90 array: always as a new spare (the kernel recovers it
 * in full); a former member is not put back in its slot. */
static int do_add090(struct manage_ctx *x, const struct target *t, enum add_kind kind)
{
	struct member0 work;
	struct member dev;
	struct diag d = { 0 };
	uint8_t id[16];

	if (kind == ADD_REBUILD_ONLY) {
		pr_err("--re-add to a 0.90 array is not implemented yet for 0.90 in this version of mdadm\n");
		return EXIT_FAIL;
	}
	if (load_working_member0(x, &work) != 0)
		return EXIT_FAIL;
	sb0_uuid_id(&work.sb, id);
	if (member_load_any(&dev, t->arg, &d) == MEMBER_OK && memcmp(dev.sb.set_uuid, id, 16) != 0 &&
	    !cmd_has(x->c, OPT_FORCE)) {
		char uuid[40];

		format_uuid(dev.sb.set_uuid, uuid, sizeof(uuid));
		pr_err("%s is a member of another array (UUID %s); use --force to overwrite it\n",
		       t->arg, uuid);
		return EXIT_FAIL;
	}
	return add_as_new0(x, t, &work);
}

/* ---- --add, --re-add, --add-spare --------------------------------------------- */

static int device_already_here(struct manage_ctx *x, const struct target *t,
			       const struct md_member *m, enum add_kind kind)
{
	int err;

	if (!(m->flags & MDM_FAULTY) || kind == ADD_SPARE_ONLY) {
		pr_err("%s is already a member of %s\n", t->arg, x->name);
		return EXIT_FAIL;
	}
	err = -md_member_write(&x->sys, x->devnm, t->kname, "state", "re-add", NULL);
	if (err) {
		pr_err("%s is still in %s as a faulty device (%s): --remove it first\n", t->arg,
		       x->name, strerror(err));
		return EXIT_FAIL;
	}
	x->changed = true;
	if (x->c->verbose >= 0)
		pr_info("re-added %s\n", t->arg);
	return EXIT_OK;
}

static bool level_takes_members(int level)
{
	return level == 1 || level == 4 || level == 5 || level == 6 || level == 10;
}

static int do_add(struct manage_ctx *x, const char *arg, enum add_kind kind)
{
	struct member work, dev;
	struct diag d = { 0 };
	char why[160];
	const char *obstacle = "there is no md superblock on it";
	const struct md_member *here;
	struct target t;
	enum member_load_result lr;

	if (resolve_target(x, arg, &t) != 0)
		return EXIT_FAIL;
	if (t.rdev == 0) {
		pr_err("%s: give the device node, not its kernel name\n", arg);
		return EXIT_FAIL;
	}
	if ((here = member_by_kname(x, t.kname)))
		return device_already_here(x, &t, here, kind);
	if (!x->a.level_known || !level_takes_members(x->a.level)) {
		pr_err("cannot add %s: %s arrays have no redundancy to rebuild into\n", arg,
		       x->a.level_known ? x->a.level_text : "these");
		return EXIT_FAIL;
	}
	if (x->a.meta_major == 0)
		return do_add090(x, &t, kind);
	if (x->a.meta_major != 1) {
		pr_err("cannot add %s: only version 1 metadata is supported\n", arg);
		return EXIT_FAIL;
	}
	if (load_working_member(x, &work) != 0)
		return EXIT_FAIL;
	lr = member_load(&dev, arg, &d);
	if (lr == MEMBER_IO_ERROR) {
		pr_err("cannot read %s: %s\n", arg, d.msg);
		return EXIT_FAIL;
	}
	if (lr == MEMBER_OK && kind != ADD_SPARE_ONLY) {
		obstacle = readd_obstacle(x, &work, &dev, why, sizeof(why));
		if (!obstacle) {
			if (hand_back(x, &t, &dev, &d) == 0)
				return report_readd(x, &t);
			if (kind == ADD_ANY) {
				pr_err("%s reports being an active member of %s, but a --re-add fails "
				       "(%s); not turning it into a spare (--add-spare does that)\n",
				       arg, x->name, d.msg);
				return EXIT_FAIL;
			}
			snprintf(why, sizeof(why), "the kernel refused it: %.120s", d.msg);
			obstacle = why;
		}
	}
	if (kind == ADD_REBUILD_ONLY) {
		pr_err("--re-add for %s to %s is not possible: %s\n", arg, x->name, obstacle);
		return EXIT_FAIL;
	}
	if (lr == MEMBER_OK && memcmp(dev.sb.set_uuid, work.sb.set_uuid, 16) != 0 &&
	    !cmd_has(x->c, OPT_FORCE)) {
		char uuid[40];

		format_uuid(dev.sb.set_uuid, uuid, sizeof(uuid));
		pr_err("%s is a member of another array (UUID %s); use --force to overwrite it\n",
		       arg, uuid);
		return EXIT_FAIL;
	}
	return add_as_new(x, &t, &work);
}

/* ---- the mode ------------------------------------------------------------------ */

static int open_array(struct manage_ctx *x)
{
	int err = 0;

	switch (md_resolve_name(&x->sys, x->name, x->devnm, sizeof(x->devnm), &err)) {
	case MD_RESOLVE_MD:
		break;
	case MD_RESOLVE_MISSING:
		pr_err("error opening %s: %s\n", x->name, strerror(err));
		return -1;
	default:
		pr_err("%s does not appear to be an md device\n", x->name);
		return -1;
	}
	if (strchr(x->name, '/'))
		snprintf(x->node, sizeof(x->node), "%s", x->name);
	else
		md_node_path(&x->sys, x->devnm, x->node, sizeof(x->node));
	return load_array(x);
}

/* ---- --replace and --with ------------------------------------------------------- */

static int do_replace(struct manage_ctx *x, const char *arg)
{
	const struct md_member *m;
	struct replace_pending *p;
	struct target t;
	char val[16];
	int err;

	if (resolve_target(x, arg, &t) != 0)
		return EXIT_FAIL;
	m = member_by_kname(x, t.kname);
	if (!m || !member_working(m)) {
		pr_err("%s is not active and so cannot be replaced.\n", arg);
		return EXIT_FAIL;
	}
	if (x->nreplace == MANAGE_MAX_REPLACE) {
		pr_err("too many --replace devices in one command (limit %d)\n", MANAGE_MAX_REPLACE);
		return EXIT_FAIL;
	}
	err = -md_member_write(&x->sys, x->devnm, t.kname, "state", "want_replacement", NULL);
	if (err) {
		pr_err("cannot mark %s for replacement: %s\n", arg, strerror(err));
		return EXIT_FAIL;
	}
	p = &x->replace[x->nreplace++];
	snprintf(p->kname, sizeof(p->kname), "%s", t.kname);
	p->shown = arg;
	p->slot = m->slot;
	x->changed = true;
	snprintf(val, sizeof(val), "%d", m->slot);
	pr_info("Marked %s (device %s in %s) for replacement\n", arg, val, x->name);
	return EXIT_OK;
}

/* A --with device that cannot serve leaves its --replace partner as it
 * was: the mark is taken back, so the failed command changed nothing. */
static int refuse_with(struct manage_ctx *x, const struct replace_pending *p)
{
	struct diag d = { 0 };

	if (md_member_write(&x->sys, x->devnm, p->kname, "state", "-want_replacement", &d) != 0)
		pr_err("%s stays marked for replacement (%s): the next spare will replace it\n",
		       p->shown, d.msg);
	return EXIT_FAIL;
}

static int do_with(struct manage_ctx *x, const char *arg)
{
	const struct replace_pending *p;
	const struct md_member *m;
	struct target t;
	char slot[16];
	int err;

	if (x->replace_used == x->nreplace) {
		pr_err("--with must follow --replace\n");
		return EXIT_USAGE;
	}
	p = &x->replace[x->replace_used++];
	if (resolve_target(x, arg, &t) != 0)
		return refuse_with(x, p);
	m = member_by_kname(x, t.kname);
	if (!m) {
		pr_err("%s is not a spare of %s: --add it first\n", arg, x->name);
		return refuse_with(x, p);
	}
	if (m->flags & MDM_FAULTY) {
		pr_err("%s is faulty and cannot be a replacement\n", arg);
		return refuse_with(x, p);
	}
	if (m->slot >= 0) {
		pr_err("%s is active and cannot be a replacement\n", arg);
		return refuse_with(x, p);
	}
	snprintf(slot, sizeof(slot), "%d", p->slot);
	err = -md_member_write(&x->sys, x->devnm, t.kname, "slot", slot, NULL);
	if (err) {
		pr_err("cannot make %s the replacement for device %d: %s\n", arg, p->slot,
		       strerror(err));
		return refuse_with(x, p);
	}
	pr_info("Marked %s in %s as replacement for device %d\n", arg, x->name, p->slot);
	return EXIT_OK;
}

/* mdadm 4.6 refuses "--with" without an earlier "--replace" as a usage
 * error, before it looks at the array. */
static bool with_before_replace(const struct cmdline *c)
{
	for (size_t i = 1; i < c->ndevs; i++) {
		if (c->devs[i].action == OPT_REPLACE)
			return false;
		if (c->devs[i].action == OPT_WITH)
			return true;
	}
	return false;
}

static int member_action(struct manage_ctx *x, enum opt_id action, const char *arg)
{
	switch (action) {
	case OPT_FAIL:
		return do_fail(x, arg);
	case OPT_REMOVE:
		return do_remove(x, arg);
	case OPT_ADD:
		return do_add(x, arg, ADD_ANY);
	case OPT_RE_ADD:
		return do_add(x, arg, ADD_REBUILD_ONLY);
	case OPT_ADD_SPARE:
		return do_add(x, arg, ADD_SPARE_ONLY);
	case OPT_REPLACE:
		return do_replace(x, arg);
	case OPT_WITH:
		return do_with(x, arg);
	default: {
		const struct opt_def *o = option_by_id(action);
		char what[80];

		snprintf(what, sizeof(what), "--%s", o ? o->name : "this action");
		return not_implemented(what);
	}
	}
}

static bool has_action(const struct cmdline *c, enum opt_id action)
{
	for (size_t i = 1; i < c->ndevs; i++)
		if (c->devs[i].action == action)
			return true;
	return false;
}

static int run_member_actions(struct manage_ctx *x);

/* While members are marked for replacement the md thread must not grab a
 * spare on its own before --with has named one (the slot write would then
 * fail with EBUSY): recovery stays frozen until the list is done. */
static int member_actions(struct manage_ctx *x)
{
	bool freeze = has_action(x->c, OPT_REPLACE);
	struct diag d = { 0 };
	int rc;

	if (!x->a.active) {
		pr_err("%s is not active: start it before changing its members\n", x->name);
		return EXIT_FAIL;
	}
	/* not frozen, a spare may be taken before --with names one; the slot
	 * write then reports that */
	if (freeze && md_sync_freeze(&x->sys, x->devnm, NULL) != 0)
		freeze = false;
	rc = run_member_actions(x);
	if (freeze && md_sync_unfreeze(&x->sys, x->devnm, &d) != 0) {
		pr_err("recovery of %s stays frozen (%s); write 'idle' to md/sync_action to release it\n",
		       x->name, d.msg);
		rc = EXIT_FAIL;
	}
	return rc;
}

static int run_member_actions(struct manage_ctx *x)
{
	int rc = EXIT_OK;

	for (size_t i = 1; i < x->c->ndevs; i++) {
		if (x->c->devs[i].action == OPT_NONE) {
			pr_err("no action given for %s (--add, --re-add, --remove or --fail)\n",
			       x->c->devs[i].name);
			return EXIT_FAIL;
		}
		/* like mdadm 4.6, the first failure ends the list */
		rc = member_action(x, x->c->devs[i].action, x->c->devs[i].name);
		if (rc != EXIT_OK)
			return rc;
		if (load_array(x) != 0)
			return EXIT_FAIL;
	}
	return rc;
}

static bool array_flags_given(const struct cmdline *c)
{
	return cmd_has(c, OPT_RUN) || cmd_has(c, OPT_READONLY) || cmd_has(c, OPT_READWRITE);
}

/* ---- moving a spare between arrays (--monitor) ------------------------------------ */

static bool is_idle_spare(const struct md_member *m)
{
	return m && m->slot < 0 && !(m->flags & (MDM_IN_SYNC | MDM_FAULTY | MDM_JOURNAL));
}

int manage_move_spare(const char *from, const char *to, const char *dev)
{
	/* quiet (the monitor reports MoveSpare), and --force: the spare's
	 * superblock names the other array */
	struct cmdline *quiet = calloc(1, sizeof(*quiet));
	struct manage_ctx src = { .name = from }, dst = { .name = to };
	struct target t;
	int rc = -1;

	if (!quiet) {
		pr_err("out of memory\n");
		return -1;
	}
	quiet->verbose = -1;
	quiet->count[OPT_FORCE] = 1;
	src.c = dst.c = quiet;
	sysfs_init(&src.sys);
	sysfs_init(&dst.sys);
	if (open_array(&src) != 0 || open_array(&dst) != 0 || resolve_target(&src, dev, &t) != 0)
		goto out;
	if (!is_idle_spare(member_by_kname(&src, t.kname))) {
		pr_err("%s is no longer a spare of %s: not moved to %s\n", dev, from, to);
		goto out;
	}
	if (remove_member(&src, dev, t.kname) != EXIT_OK)
		goto out;
	if (do_add(&dst, dev, ADD_SPARE_ONLY) == EXIT_OK) {
		rc = 0;
		goto out;
	}
	if (load_array(&src) != 0 || do_add(&src, dev, ADD_SPARE_ONLY) != EXIT_OK)
		pr_err("%s could be moved neither to %s nor back to %s: it is in no array now\n",
		       dev, to, from);
out:
	md_array_free(&src.a);
	md_array_free(&dst.a);
	free(quiet);
	return rc;
}

int Manage(const struct cmdline *c)
{
	struct manage_ctx x = { .c = c };
	const char *array[1];
	int rc = EXIT_OK;

	sysfs_init(&x.sys);
	if (c->ndevs == 0) {
		pr_err("an md device must be given in this mode\n");
		return EXIT_USAGE;
	}
	if (cmd_has(c, OPT_UPDATE))
		return not_implemented("--update in --manage mode");
	if (with_before_replace(c)) {
		pr_err("--with must follow --replace\n");
		return EXIT_USAGE;
	}
	x.name = array[0] = c->devs[0].name;
	if (open_array(&x) != 0) {
		md_array_free(&x.a);
		return EXIT_FAIL;
	}
	if (cmd_has(c, OPT_RUN))
		rc |= Run(c, array, 1);
	if (rc == EXIT_OK && (cmd_has(c, OPT_READONLY) || cmd_has(c, OPT_READWRITE)))
		rc |= SetReadWrite(c, array, 1, cmd_has(c, OPT_READWRITE));
	/* the array's state as the member actions start: read again only
	 * when --run, --readonly or --readwrite changed it */
	if (rc == EXIT_OK && c->ndevs > 1 && array_flags_given(c) && load_array(&x) != 0)
		rc = EXIT_FAIL;
	if (rc == EXIT_OK && c->ndevs > 1)
		rc = member_actions(&x);
	md_array_free(&x.a);
	if (rc == EXIT_OK && cmd_has(c, OPT_STOP))
		rc |= Stop(c, array, 1);
	if (rc == EXIT_OK && cmd_has(c, OPT_TEST) && c->ndevs > 1 && !x.changed)
		rc = EXIT_USAGE;
	return rc;
}
