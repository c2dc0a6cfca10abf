/* Detail.c - --detail: what a running (or assembled but inactive) array is
 *
 * The text, --brief, --export and --test forms follow mdadm 4.6 line for
 * line. The kernel's view comes from sysfs and /proc/mdstat (mdarray.c);
 * name, UUID, events and the creation/update times come from the
 * superblock of one in-sync member, as in mdadm. Added to mdadm's output
 * (lines with labels of their own, so that scripts can skip them):
 *   "Bitmap Type" after "Intent Bitmap"; for a lockless bitmap a block
 *   after "Consistency Policy" with the chunk size, chunk count, daemon
 *   settings and the chunk count of every state from md/llbitmap/bits;
 *   MD_BITMAP_TYPE and MD_LLBITMAP_* after mdadm's --export keys; --json. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "detail.h"
#include "md_ioctl.h"
#include "modes.h"
#include "outname.h"
#include "util.h"

#define DETAIL_MAX_RAID_DISKS 4096u

/* ---- small helpers ------------------------------------------------------------ */

void detail_sb_name(const struct sb1 *sb, char out[33])
{
	outname_terminal(sb->set_name, sizeof(sb->set_name), out, 33);
}

/* "1.2", or the text after "external:" for external metadata */
static const char *metadata_text(const struct md_array *a, char *buf, size_t len)
{
	if (a->meta_major >= 0)
		snprintf(buf, len, "%d.%d", a->meta_major, a->meta_minor);
	else if (strncmp(a->metadata, "external:", 9) == 0)
		snprintf(buf, len, "%s", a->metadata + 9);
	else
		buf[0] = '\0';
	return buf;
}

static const char *sync_word(enum mdstat_sync k)
{
	switch (k) {
	case MDSTAT_SYNC_RESYNC: return ", resyncing";
	case MDSTAT_SYNC_RESHAPE: return ", reshaping";
	case MDSTAT_SYNC_CHECK: return ", checking";
	default: return ", recovering";
	}
}

static const char *sync_status_label(enum mdstat_sync k)
{
	switch (k) {
	case MDSTAT_SYNC_RESYNC: return "Resync";
	case MDSTAT_SYNC_RESHAPE: return "Reshape";
	case MDSTAT_SYNC_CHECK: return "Check";
	default: return "Rebuild";
	}
}

/* Bitmap type for an inactive array: the kernel has none attached yet,
 * so the member's bitmap superblock tells. */
enum bitmap_kind detail_bitmap_kind(const struct detail *dt)
{
	if (!dt->inactive)
		return dt->a.bitmap;
	if (!dt->have_sb || !dt->sb.has_bitmap || !dt->sb.bitmap_read)
		return BITMAP_KIND_NONE;
	return bitmap_kind_of_version(dt->sb.bsb.version);
}

/* ---- what mdadm computes from the kernel's answers ------------------------------ */

/* mdadm asks this (for an array that is clean) to tell "degraded" from
 * "FAILED" and exit status 1 from 2. */
bool detail_enough(const struct detail *dt)
{
	return policy_enough(dt->level, dt->a.raid_disks, dt->a.layout, dt->avail);
}

/* The state bits GET_DISK_INFO would report for a member. */
static unsigned disk_state(const struct md_member *m, bool inactive)
{
	unsigned st = 0;

	if (inactive)
		return (m->flags & MDM_FAULTY) ? DS_FAULTY : (m->flags & MDM_IN_SYNC) ? DS_SYNC : 0;
	if (m->flags & MDM_FAULTY)
		st |= DS_FAULTY;
	else if (m->flags & MDM_IN_SYNC)
		st |= DS_ACTIVE | DS_SYNC;
	if (m->flags & MDM_JOURNAL)
		st |= DS_JOURNAL;
	if (m->flags & MDM_WRITE_MOSTLY)
		st |= DS_WRITEMOSTLY;
	if (m->flags & MDM_FAILFAST)
		st |= DS_FAILFAST;
	return st;
}

static int by_number(const void *x, const void *y)
{
	const struct md_member *a = *(const struct md_member *const *)x;
	const struct md_member *b = *(const struct md_member *const *)y;
	unsigned na = (unsigned)a->number, nb = (unsigned)b->number;  /* -1 sorts last */

	return na < nb ? -1 : na > nb;
}

/* Put a member into its slot row (first come first served, by descriptor
 * number, as mdadm does), the replacement row, or after the slots. */
static void place_member(struct detail *dt, const struct md_member *m, size_t *next)
{
	unsigned rd = dt->a.raid_disks;
	struct disk_row r = { m->number, m->major, m->minor, m->slot,
			      disk_state(m, dt->inactive), m };
	bool slotted = !dt->inactive && m->slot >= 0 && (unsigned)m->slot < rd &&
		       !(r.state & DS_JOURNAL);

	if (dt->inactive)
		r.number = -1;
	if (slotted && dt->rows[m->slot * 2].state == DS_REMOVED)
		dt->rows[m->slot * 2] = r;
	else if (slotted && dt->rows[m->slot * 2 + 1].state == DS_REMOVED)
		dt->rows[m->slot * 2 + 1] = r;
	else
		dt->rows[(*next)++] = r;
}

static int build_rows(struct detail *dt, struct diag *d)
{
	unsigned rd = dt->a.raid_disks;
	const struct md_member **order;
	size_t next = (size_t)rd * 2;

	dt->nrows = (size_t)rd * 2 + dt->a.nmembers;
	dt->rows = calloc(dt->nrows ? dt->nrows : 1, sizeof(*dt->rows));
	order = dt->order = calloc(dt->a.nmembers ? dt->a.nmembers : 1, sizeof(*order));
	if (!dt->rows || !order)
		return diag_fail(d, "out of memory");
	for (size_t i = 0; i < (size_t)rd * 2; i++) {
		dt->rows[i].number = -1;
		dt->rows[i].raid_disk = (int)(i / 2);
		dt->rows[i].state = DS_REMOVED;
	}
	for (size_t i = 0; i < dt->a.nmembers; i++)
		order[i] = &dt->a.members[i];
	if (!dt->inactive)
		qsort(order, dt->a.nmembers, sizeof(*order), by_number);
	for (size_t i = 0; i < dt->a.nmembers; i++)
		place_member(dt, order[i], &next);
	dt->nrows = next;
	return 0;
}

static void count_members(struct detail *dt)
{
	for (size_t i = 0; i < dt->a.nmembers; i++) {
		unsigned f = dt->a.members[i].flags;

		dt->nr++;
		if (f & MDM_FAULTY) {
			dt->failed += !dt->inactive;
			continue;
		}
		dt->working++;
		if (f & MDM_IN_SYNC)
			dt->active++;
		else if (!(f & MDM_JOURNAL) || dt->inactive)
			dt->spare++;
	}
	if (dt->inactive && dt->a.raid_disks)
		dt->failed = dt->a.raid_disks - dt->active - dt->spare;
}

static int compute_avail(struct detail *dt, struct diag *d)
{
	unsigned rd = dt->a.raid_disks;

	dt->avail = calloc(rd ? rd : 1, sizeof(*dt->avail));
	if (!dt->avail)
		return diag_fail(d, "out of memory");
	for (unsigned s = 0; s < rd; s++) {
		const struct disk_row *p = &dt->rows[s * 2], *r = &dt->rows[s * 2 + 1];

		if (((p->major | p->minor) && (p->state & DS_SYNC)) ||
		    ((r->major | r->minor) && (r->state & DS_SYNC))) {
			dt->avail[s] = true;
			dt->avail_disks++;
		}
	}
	return 0;
}

/* ---- loading -------------------------------------------------------------------- */

/* Node to open for a member: /dev/<kname>, else any name for its number. */
static const char *member_path(struct detail_run *r, const struct md_member *m, char *buf,
			       size_t len)
{
	md_member_node(&r->sys, m, buf, len);
	if (buf[0])
		return buf;
	return devnames_find(&r->names, m->major, m->minor, NULL);
}

/* A 0.90 member: mdadm's report reads the same fields from it, the
 * bitmap view gives the level and the bitmap the v1 paths look at. */
static bool try_superblock0(struct detail *dt, const char *path)
{
	struct diag d = { 0 };

	if (member0_load(&dt->sb0, path, &d) != MEMBER_OK || !dt->sb0.check_ok)
		return false;
	const struct sb0 *sb0 = &dt->sb0.sb;
	struct sb1 *sb = &dt->sb.sb;

	member0_bitmap_view(&dt->sb0, &dt->sb);
	sb0_uuid_id(sb0, dt->uuid);
	/* what the report shows besides the bitmap, in the v1 fields' units */
	sb->ctime = sb0->ctime;
	sb->utime = sb0->utime;
	sb->events = sb0->events;
	if (sb0->minor_version == SB0_MINOR_RESHAPE) {
		sb->feature_map |= SB1_FEAT_RESHAPE_ACTIVE;
		sb->reshape_position = sb0->reshape_position;
		sb->new_level = (uint32_t)sb0->new_level;
		sb->delta_disks = sb0->delta_disks;
		sb->new_layout = sb0->new_layout;
		sb->new_chunk = sb0->new_chunk / 512;
	}
	dt->v090 = true;
	return true;
}

static bool try_superblock(struct detail_run *r, struct detail *dt, const struct md_member *m)
{
	char buf[512];
	const char *path = member_path(r, m, buf, sizeof(buf));
	struct diag d = { 0 };
	static const uint8_t zero[16];

	if (!path)
		return false;
	if (dt->a.meta_major == 0) {
		if (!try_superblock0(dt, path))
			return false;
	} else {
		if (member_load(&dt->sb, path, &d) != MEMBER_OK || !dt->sb.geometry_ok)
			return false;
		memcpy(dt->uuid, dt->sb.sb.set_uuid, 16);
	}
	if (memcmp(dt->uuid, zero, 16) == 0)
		return false;
	if (!dt->inactive && dt->a.level_known && dt->sb.sb.level != dt->a.level)
		return false;
	dt->sb.path = NULL;     /* points into buf */
	dt->sb0.path = NULL;
	return true;
}

/* mdadm reads the superblock of the first in-sync member (by descriptor
 * number); of an inactive array, of the first member that has one. */
static void load_superblock(struct detail_run *r, struct detail *dt)
{
	for (size_t i = 0; i < dt->a.nmembers && !dt->have_sb; i++) {
		const struct md_member *m = dt->order[i];

		if (!dt->inactive && dt->a.raid_disks > 0 &&
		    (m->flags & (MDM_FAULTY | MDM_IN_SYNC)) != MDM_IN_SYNC)
			continue;
		dt->have_sb = try_superblock(r, dt, m);
	}
}

static void detail_free(struct detail *dt)
{
	md_array_free(&dt->a);
	free(dt->order);
	free(dt->rows);
	free(dt->avail);
}

/* Resolve, load and derive everything; prints mdadm's messages. Returns
 * 0, or the exit status for this device. */
static int detail_load(struct detail_run *r, const char *path, struct detail *dt)
{
	int fail = r->test ? 4 : 1, err;
	char devnm[MD_DEVNM_MAX];
	struct diag d = { 0 };

	memset(dt, 0, sizeof(*dt));
	dt->path = path;
	switch (md_resolve_name(&r->sys, path, devnm, sizeof(devnm), &err)) {
	case MD_RESOLVE_MISSING:
		pr_err("cannot open %s: %s\n", path, strerror(err));
		return fail;
	case MD_RESOLVE_NOT_MD:
		pr_err("%s does not appear to be an md device\n", path);
		return fail;
	case MD_RESOLVE_MD:
		break;
	}
	if (md_array_load(&r->sys, &r->ms, devnm, &dt->a, &d) != 0) {
		pr_err("cannot get array detail for %s: %s\n", path, d.msg);
		return fail;
	}
	dt->inactive = !dt->a.active;
	if (dt->inactive && dt->a.meta_major == -1 && dt->a.meta_minor == -1 &&
	    dt->a.nmembers == 0) {
		pr_err("Array associated with md device %s does not exist.\n", path);
		return fail;
	}
	if (dt->a.raid_disks > DETAIL_MAX_RAID_DISKS) {
		pr_err("%s: implausible raid_disks %u\n", path, dt->a.raid_disks);
		return fail;
	}
	if (build_rows(dt, &d) != 0 || compute_avail(dt, &d) != 0) {
		pr_err("%s: %s\n", path, d.msg);
		return fail;
	}
	count_members(dt);
	load_superblock(r, dt);
	dt->level = dt->inactive ? 0 : dt->a.level;
	if (dt->inactive)
		dt->level_str = dt->have_sb ? level_name(dt->sb.sb.level) : NULL;
	else
		dt->level_str = dt->a.level_known ? level_name(dt->a.level) : NULL;
	return 0;
}

/* ---- --export ------------------------------------------------------------------- */

static void export_names(struct detail_run *r, const struct detail *dt)
{
	const struct map_entry *e = NULL;
	char uuid[40];

	if (dt->have_sb) {
		uint8_t key[16];

		/* the map keys a 0.90 array by its words in host order */
		if (dt->v090)
			sb0_uuid_bytes(&dt->sb0.sb, key);
		else
			memcpy(key, dt->uuid, 16);
		e = mapfile_by_uuid(&r->map, key, &r->sys);
	}
	if (!e)
		e = mapfile_by_devnm(&r->map, dt->a.devnm, &r->sys);
	if (dt->have_sb || e) {
		format_uuid(dt->have_sb ? dt->uuid : e->uuid, uuid, sizeof(uuid));
		printf("MD_UUID=%s\n", uuid);
	}
	if (e && strncmp(e->path, "/dev/md/", 8) == 0) {
		char val[sizeof(e->path) + 2];

		outname_export(e->path + 8, val, sizeof(val));
		printf("MD_DEVNAME=%s\n", val);
	}
}

static void export_members(struct detail_run *r, const struct detail *dt)
{
	for (size_t i = 0; i < dt->a.nmembers; i++) {
		const struct md_member *m = &dt->a.members[i];
		const char *dev = devnames_find_kname(&r->names, m->major, m->minor, NULL, m->kname);
		char sysdev[SYSFS_NAME_MAX];

		snprintf(sysdev, sizeof(sysdev), "%s", m->sysname);
		for (char *p = sysdev; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9')))
				*p = '_';
		if (m->slot >= 0)
			printf("MD_DEVICE_%s_ROLE=%d\n", sysdev, m->slot);
		else
			printf("MD_DEVICE_%s_ROLE=spare\n", sysdev);
		if (dev)
			printf("MD_DEVICE_%s_DEV=%s\n", sysdev, dev);
	}
}

/* our keys, after mdadm's */
static void export_bitmap(const struct detail *dt)
{
	enum bitmap_kind k = detail_bitmap_kind(dt);
	const struct md_llbitmap *l = &dt->a.llb;

	printf("MD_BITMAP_TYPE=%s\n", bitmap_kind_name(k));
	if (k != BITMAP_KIND_LOCKLESS || dt->inactive)
		return;
	if (l->meta_ok) {
		printf("MD_LLBITMAP_CHUNK_SIZE=%llu\n", (unsigned long long)l->chunk_sectors * 512);
		printf("MD_LLBITMAP_CHUNKS=%llu\n", (unsigned long long)l->chunks);
	}
	if (!l->bits.ok)
		return;
	for (unsigned st = 0; st < l->bits.nstates && st < LLB_NR_STATES; st++) {
		char key[64];

		snprintf(key, sizeof(key), "%s", llb_state_key(st));
		for (char *p = key; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		printf("MD_LLBITMAP_%s=%llu\n", key, (unsigned long long)l->bits.count[st]);
	}
}

static void detail_export(struct detail_run *r, const struct detail *dt)
{
	char meta[64];

	if (dt->a.raid_disks) {
		if (dt->level_str)
			printf("MD_LEVEL=%s\n", dt->level_str);
		printf("MD_DEVICES=%u\n", dt->a.raid_disks);
	} else {
		printf("MD_DEVICES=%u\n", dt->nr);
	}
	printf("MD_METADATA=%s\n", metadata_text(&dt->a, meta, sizeof(meta)));
	export_names(r, dt);
	if (dt->have_sb) {
		char name[33], val[40];

		printf("MD_RESHAPE_ACTIVE=%s\n",
		       (dt->sb.sb.feature_map & SB1_FEAT_RESHAPE_ACTIVE) ? "True" : "False");
		detail_sb_name(&dt->sb.sb, name);
		outname_export(name, val, sizeof(val));
		if (name[0])
			printf("MD_NAME=%s\n", val);
	}
	if (!r->no_devices)
		export_members(r, dt);
	export_bitmap(dt);
}

/* ---- the device table and --brief --------------------------------------------- */

static void row_numbers(const struct disk_row *row)
{
	if (row->number < 0 && row->raid_disk < 0)
		printf("       -   %5u    %5u        -     ", row->major, row->minor);
	else if (row->raid_disk < 0 || (row->state & DS_JOURNAL))
		printf("   %5d   %5u    %5u        -     ", row->number, row->major, row->minor);
	else if (row->number < 0)
		printf("       -   %5u    %5u    %5d     ", row->major, row->minor, row->raid_disk);
	else
		printf("   %5d   %5u    %5u    %5d     ", row->number, row->major, row->minor,
		       row->raid_disk);
}

/* raid10 near layouts divide the members into sets A, B, ... */
static void print_set(const struct detail *dt, const struct disk_row *row)
{
	uint32_t layout = dt->a.layout;
	unsigned near = layout & 0xff, far = (layout >> 8) & 0xff, copies = near * far;

	if (dt->level != 10 || (layout & ~0x1ffffu) != 0 || far != 1 || copies == 0 ||
	    dt->a.raid_disks % copies != 0 || copies > 26 || row->raid_disk < 0)
		return;
	printf(" set-%c", (char)('A' + (unsigned)row->raid_disk % copies));
}

static void row_state(const struct detail *dt, const struct disk_row *row)
{
	unsigned st = row->state;

	if (st & DS_FAULTY)
		printf(" faulty");
	if (st & DS_ACTIVE)
		printf(" active");
	if (st & DS_SYNC) {
		printf(" sync");
		print_set(dt, row);
	}
	if (st & DS_REMOVED)
		printf(" removed");
	if (st & DS_WRITEMOSTLY)
		printf(" writemostly");
	if (st & DS_FAILFAST)
		printf(" failfast");
	if (st & DS_JOURNAL)
		printf(" journal");
	if (!(st & (DS_ACTIVE | DS_SYNC | DS_REMOVED | DS_FAULTY | DS_JOURNAL))) {
		printf(" spare");
		if (row->raid_disk >= 0 && (unsigned)row->raid_disk < dt->a.raid_disks)
			printf(" rebuilding");
	}
}

const char *detail_dev_name(struct detail_run *r, const struct disk_row *row)
{
	if (!row->m)
		return NULL;
	return devnames_find_kname(&r->names, row->major, row->minor, r->prefer, row->m->kname);
}

struct name_list {
	const char **v;
	size_t n;
	unsigned spares;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The rows, or (brief) just the spare count and the device names. */
static void walk_rows(struct detail_run *r, const struct detail *dt, struct name_list *nl)
{
	size_t slots = (size_t)dt->a.raid_disks * 2;

	for (size_t i = 0; i < dt->nrows; i++) {
		const struct disk_row *row = &dt->rows[i];
		const char *dev;

		if ((i >= slots || (i & 1)) && !row->m)
			continue;
		if (!r->brief) {
			if (i == slots)
				printf("\n");
			row_numbers(row);
			if (dt->a.raid_disks)
				row_state(dt, row);
		}
		if (row->state == 0)
			nl->spares++;
		dev = detail_dev_name(r, row);
		if (dev && r->brief)
			nl->v[nl->n++] = dev;
		else if (dev)
			printf("   %s", dev);
		else if (row->major | row->minor)
			printf("   missing");
		if (!r->brief)
			printf("\n");
	}
}

static void detail_brief(struct detail_run *r, const struct detail *dt)
{
	struct name_list nl = { NULL, 0, 0 };
	char meta[64], uuid[40];

	nl.v = calloc(dt->nrows ? dt->nrows : 1, sizeof(*nl.v));
	printf("%s %s", dt->inactive ? "INACTIVE-ARRAY" : "ARRAY", dt->path);
	if (r->verbose > 0) {
		if (dt->a.raid_disks)
			printf(" level=%s num-devices=%u",
			       dt->level_str ? dt->level_str : "-unknown-", dt->a.raid_disks);
		else
			printf(" num-devices=%u", dt->nr);
	}
	printf(" metadata=%s", metadata_text(&dt->a, meta, sizeof(meta)));
	if (!r->no_devices && nl.v)
		walk_rows(r, dt, &nl);
	if (nl.spares && dt->a.raid_disks)
		printf(" spares=%u", nl.spares);
	if (dt->have_sb) {
		format_uuid(dt->uuid, uuid, sizeof(uuid));
		printf(" UUID=%s", uuid);
	}
	if (r->verbose > 0 && nl.n) {
		qsort(nl.v, nl.n, sizeof(*nl.v), cmp_str);
		printf("\n   devices=%s", nl.v[0]);
		for (size_t i = 1; i < nl.n; i++)
			printf(",%s", nl.v[i]);
	}
	printf("\n");
	free(nl.v);
}

/* ---- the full report ---------------------------------------------------------- */

static void print_time(const char *label, uint64_t t)
{
	char buf[64];

	format_ctime(sb1_time_seconds(t), buf, sizeof(buf));
	printf("%18s : %s\n", label, buf);
}

/* An array without superblocks: the kernel's record of when it was built. */
static void print_build_time(const char *node)
{
	uint64_t t;
	char buf[64];

	if (md_array_ctime(node, &t, NULL) != 0)
		return;
	format_ctime(t, buf, sizeof(buf));
	printf("%18s : %s\n", "Creation Time", buf);
}

static void print_used_dev_size(const struct detail *dt)
{
	char hs[64];

	if (dt->a.component_kib == 0) {
		printf("     Used Dev Size : %s\n", dt->a.meta_major != 0 ? "unknown" : "0");
		return;
	}
	human_size(dt->a.component_kib << 10, hs, sizeof(hs));
	printf("     Used Dev Size : %llu%s\n", (unsigned long long)dt->a.component_kib, hs);
}

static void print_sizes(const struct detail *dt)
{
	char hs[64];

	if (dt->a.size_sectors) {
		human_size(dt->a.size_sectors << 9, hs, sizeof(hs));
		printf("        Array Size : %llu%s\n",
		       (unsigned long long)(dt->a.size_sectors >> 1), hs);
	}
	if (dt->level >= 1)
		print_used_dev_size(dt);
	if (dt->a.raid_disks)
		printf("      Raid Devices : %u\n", dt->a.raid_disks);
	printf("     Total Devices : %u\n", dt->nr);
	if (dt->a.meta_major == 0)
		printf("   Preferred Minor : %s\n", dt->a.devnm + 2);
	if (dt->a.meta_major >= 0)
		printf("       Persistence : Superblock is persistent\n");
	printf("\n");
}

static void print_bitmap_lines(const struct detail *dt)
{
	enum bitmap_kind k = dt->inactive ? BITMAP_KIND_NONE : dt->a.bitmap;
	const char *intent = bitmap_kind_intent_text(k);

	if (k == BITMAP_KIND_NONE)
		return;
	/* a file bitmap shows its path */
	if (!intent)
		intent = dt->a.bitmap_file[0] ? dt->a.bitmap_file : bitmap_kind_name(k);
	printf("     Intent Bitmap : %s\n", intent);
	printf("       Bitmap Type : %s\n", bitmap_kind_name(k));
	printf("\n");
}

/* "clean", "active, degraded, recovering", ... without the trailing blank */
void detail_state_text(const struct detail *dt, char *buf, size_t len)
{
	const struct mdstat_progress *p = &dt->a.sync;
	bool syncing = mdstat_percent(p) >= 0 || p->wait != MDSTAT_WAIT_NONE;
	const char *arrayst = "active", *health = "";

	if (dt->a.in_sync)
		arrayst = (dt->level == 0 || dt->level == -1) ? dt->a.array_state : "clean";
	if (dt->avail_disks != dt->a.raid_disks)
		health = detail_enough(dt) ? ", degraded" : ", FAILED";
	snprintf(buf, len, "%s%s%s%s%s%s%s", arrayst, health,
		 syncing ? sync_word(p->kind) : "",
		 dt->a.size_sectors ? "" : ", Not Started",
		 p->wait == MDSTAT_WAIT_DELAYED ? " (DELAYED)" : "",
		 p->wait == MDSTAT_WAIT_PENDING ? " (PENDING)" : "",
		 p->wait == MDSTAT_WAIT_REMOTE ? " (REMOTE)" : "");
}

static void print_state(const struct detail *dt)
{
	char st[256];

	if (!dt->inactive && dt->have_sb && dt->sb.sb.utime)
		print_time("Update Time", dt->sb.sb.utime);
	if (dt->a.raid_disks) {
		detail_state_text(dt, st, sizeof(st));
		printf("             State : %s \n", st);
	} else if (dt->inactive) {
		printf("             State : inactive\n");
	}
	printf("    Active Devices : %u\n", dt->active);
	printf("   Working Devices : %u\n", dt->working);
	printf("    Failed Devices : %u\n", dt->failed);
	printf("     Spare Devices : %u\n", dt->spare);
	printf("\n");
}

static void print_layout(const struct detail *dt)
{
	const char *n = NULL;
	char r10[64];

	if (dt->inactive)
		return;     /* mdadm knows neither layout nor chunk size then */
	switch (dt->level) {
	case 5: n = r5_layout_name(dt->a.layout); break;
	case 6: n = r6_layout_name(dt->a.layout); break;
	case 0:
		if (!dt->a.layout)
			return;
		n = r0_layout_name(dt->a.layout);
		break;
	case 10:
		r10_layout_text(dt->a.layout, r10, sizeof(r10));
		printf("            Layout :%s\n", r10);
		return;
	default:
		return;
	}
	printf("            Layout : %s\n", n ? n : "-unknown-");
}

static void print_chunk(const struct detail *dt)
{
	if (dt->inactive)
		return;
	switch (dt->level) {
	case 0: case 4: case 5: case 6: case 10:
		if (dt->a.chunk_bytes)
			printf("        Chunk Size : %lluK\n\n",
			       (unsigned long long)(dt->a.chunk_bytes / 1024));
		break;
	case -1:
		printf("          Rounding : %lluK\n\n", (unsigned long long)(dt->a.chunk_bytes / 1024));
		break;
	default:
		break;
	}
}

static bool known_policy(const char *p)
{
	static const char *const names[] = { "unknown", "none", "resync", "bitmap", "journal", "ppl" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(p, names[i]) == 0)
			return true;
	return false;
}

/* ours: the lockless bitmap as the kernel sees it right now */
static void print_llbitmap(const struct detail *dt)
{
	const struct md_llbitmap *l = &dt->a.llb;
	char cs[32];

	if (dt->inactive || dt->a.bitmap != BITMAP_KIND_LOCKLESS)
		return;
	if (l->meta_ok) {
		human_chunksize(l->chunk_sectors * 512, cs, sizeof(cs));
		printf("  Bitmap Chunksize : %s\n", cs);
		printf("     Bitmap Chunks : %llu\n", (unsigned long long)l->chunks);
	}
	if (l->has_daemon_sleep)
		printf("      Daemon Sleep : %llus\n", (unsigned long long)l->daemon_sleep);
	if (l->has_barrier_idle)
		printf("      Barrier Idle : %llus\n", (unsigned long long)l->barrier_idle);
	if (!l->bits.ok) {
		printf("      Chunk States : %s\n\n", l->bits.text[0] ? l->bits.text : "unknown");
		return;
	}
	printf("      Chunk States :\n");
	for (unsigned st = 0; st < l->bits.nstates && st < LLB_NR_STATES; st++)
		printf("%26s : %llu\n", llb_state_label(st), (unsigned long long)l->bits.count[st]);
	printf("\n");
}

static void print_policy_and_sync(const struct detail *dt)
{
	int pct = mdstat_percent(&dt->a.sync);

	if (dt->a.raid_disks && dt->a.has_policy && known_policy(dt->a.policy))
		printf("Consistency Policy : %s\n\n", dt->a.policy);
	print_llbitmap(dt);
	if (pct >= 0)
		printf("    %7s Status : %d%% complete\n", sync_status_label(dt->a.sync.kind), pct);
}

/* "Delta Devices", "New Level", ... from the superblock of a reshaping array */
static void print_reshape(const struct detail *dt)
{
	const struct sb1 *sb = &dt->sb.sb;
	int new_level = (int)sb->new_level;
	const char *n;

	if (sb->delta_disks)
		printf("     Delta Devices : %d, (%d->%u)\n", sb->delta_disks,
		       (int)dt->a.raid_disks - sb->delta_disks, dt->a.raid_disks);
	if (new_level != dt->level) {
		n = level_name(new_level);
		printf("         New Level : %s\n", n ? n : "-unknown-");
	}
	if (new_level != dt->level || sb->new_layout != dt->a.layout) {
		if (new_level == 5 || new_level == 6) {
			n = new_level == 5 ? r5_layout_name(sb->new_layout) :
					     r6_layout_name(sb->new_layout);
			printf("        New Layout : %s\n", n ? n : "-unknown-");
		} else if (new_level == 10) {
			printf("        New Layout : near=%u, %s=%u\n", sb->new_layout & 255,
			       (sb->new_layout & 0x10000) ? "offset" : "far",
			       (sb->new_layout >> 8) & 255);
		}
	}
	if ((uint64_t)sb->new_chunk * 512 != dt->a.chunk_bytes)
		printf("     New Chunksize : %uK\n", sb->new_chunk / 2);
	printf("\n");
}

/* 0.90 has no name; the events show as their two 32-bit halves */
static void print_identity0(struct detail_run *r, const struct detail *dt)
{
	char uuid[40];

	format_uuid(dt->uuid, uuid, sizeof(uuid));
	printf("              UUID : %s", uuid);
	if (sb0_uuid_is_local(&dt->sb0.sb, r->homehost))
		printf(" (local to host %s)", r->homehost);
	printf("\n            Events : %u.%u\n\n", (unsigned)(dt->sb0.sb.events >> 32),
	       (unsigned)dt->sb0.sb.events);
}

static void print_identity(struct detail_run *r, const struct detail *dt)
{
	const struct sb1 *sb = &dt->sb.sb;
	char name[33], uuid[40];

	if (dt->v090) {
		print_identity0(r, dt);
		return;
	}
	detail_sb_name(sb, name);
	printf("              Name : %s", name);
	if (policy_name_is_local(name, r->homehost))
		printf("  (local to host %s)", r->homehost);
	if (dt->sb.bitmap_read && dt->sb.bsb.nodes > 0 && (sb->feature_map & SB1_FEAT_BITMAP_OFFSET)) {
		char cluster[sizeof(dt->sb.bsb.cluster_name) + 1];

		outname_terminal(dt->sb.bsb.cluster_name, sizeof(dt->sb.bsb.cluster_name), cluster,
				 sizeof(cluster));
		printf("\n      Cluster Name : %-64s", cluster);
	}
	format_uuid(sb->set_uuid, uuid, sizeof(uuid));
	printf("\n              UUID : %s\n", uuid);
	printf("            Events : %llu\n\n", (unsigned long long)sb->events);
}

static void detail_full(struct detail_run *r, const struct detail *dt)
{
	char meta[64];
	bool reshape = dt->have_sb && (dt->sb.sb.feature_map & SB1_FEAT_RESHAPE_ACTIVE);

	printf("%s:\n", dt->path);
	printf("           Version : %s\n", metadata_text(&dt->a, meta, sizeof(meta)));
	if (!dt->inactive && dt->have_sb && sb1_time_seconds(dt->sb.sb.ctime))
		print_time("Creation Time", dt->sb.sb.ctime);
	else if (!dt->inactive && strcmp(dt->a.metadata, "none") == 0)
		print_build_time(dt->path);
	if (dt->level_str)
		printf("        Raid Level : %s\n", dt->level_str);
	print_sizes(dt);
	print_bitmap_lines(dt);
	print_state(dt);
	print_layout(dt);
	print_chunk(dt);
	print_policy_and_sync(dt);
	if (reshape)
		print_reshape(dt);
	else if (mdstat_percent(&dt->a.sync) >= 0)
		printf("\n");
	if (dt->have_sb)
		print_identity(r, dt);
	if (r->no_devices)
		return;
	printf(dt->a.raid_disks ? "    Number   Major   Minor   RaidDevice State\n"
				: "    Number   Major   Minor   RaidDevice\n");
	walk_rows(r, dt, &(struct name_list){ NULL, 0, 0 });
}

/* ---- one device ----------------------------------------------------------------- */

static int test_status(const struct detail *dt)
{
	int rc = dt->avail_disks < dt->a.raid_disks ? 1 : 0;

	if (!detail_enough(dt))
		rc = 2;
	return rc;
}

int detail_one(struct detail_run *r, const char *path)
{
	struct detail dt;
	int rc = detail_load(r, path, &dt);

	if (rc) {
		detail_free(&dt);
		return rc;
	}
	if (r->json)
		detail_json(r, &dt);
	else if (r->export)
		detail_export(r, &dt);
	else if (r->brief)
		detail_brief(r, &dt);
	else
		detail_full(r, &dt);
	if (r->test && !r->export)
		rc = test_status(&dt);
	detail_free(&dt);
	return rc;
}

/* ---- the mode ----------------------------------------------------------------- */

/* The node mdadm names an array by in --scan output: its map path when that
 * exists, else /dev/<devnm>. */
static void scan_name(struct detail_run *r, const char *devnm, char *buf, size_t len)
{
	const struct map_entry *e = mapfile_by_devnm(&r->map, devnm, &r->sys);
	struct stat st;

	if (e && e->path[0] && strcmp(e->path, "/unknown") != 0 && stat(e->path, &st) == 0) {
		snprintf(buf, len, "%s", e->path);
		return;
	}
	md_node_path(&r->sys, devnm, buf, len);
}

static bool is_container_member(const struct mdstat_array *a)
{
	return strncmp(a->super, "external:/", 10) == 0;
}

/* Every array in /proc/mdstat, last listed first (so that the members of
 * a stacked array come before it), container members after the rest. */
static int detail_scan(struct detail_run *r)
{
	int rc = 0;

	for (int members = 0; members <= 1; members++)
		for (size_t i = r->ms.narrays; i-- > 0;) {
			const struct mdstat_array *a = &r->ms.arrays[i];
			char name[PATH_MAX];

			if (is_container_member(a) != (members == 1))
				continue;
			scan_name(r, a->devnm, name, sizeof(name));
			rc |= detail_one(r, name);
		}
	return rc;
}

static int run_init(struct detail_run *r, const struct cmdline *c)
{
	bool scan = cmd_has(c, OPT_SCAN);
	struct diag d = { 0 };

	memset(r, 0, sizeof(*r));
	sysfs_init(&r->sys);
	r->verbose = c->verbose;
	r->brief = cmd_has(c, OPT_BRIEF) || (scan && c->verbose < 2);
	r->export = cmd_has(c, OPT_EXPORT);
	r->json = cmd_has(c, OPT_JSON);
	/* only the full report and --json say "local"; udev's --export call
	 * does not read mdadm.conf for it */
	if (r->json || (!r->export && !r->brief))
		homehost_from_cmdline(c, NULL, r->homehost, sizeof(r->homehost));
	r->test = cmd_has(c, OPT_TEST);
	r->no_devices = cmd_has(c, OPT_NO_DEVICES);
	r->prefer = cmd_val(c, OPT_PREFER);
	devnames_init(&r->names, r->sys.dev_root);
	if (mapfile_read(&r->map, &d) != 0)
		pr_err("warning: %s\n", d.msg);
	if (mdstat_read_file(&r->ms, &d) != 0) {
		pr_err("%s\n", d.msg);
		return -1;
	}
	return 0;
}

static void run_free(struct detail_run *r)
{
	mdstat_free(&r->ms);
	mapfile_free(&r->map);
	devnames_free(&r->names);
}

int Detail(const struct cmdline *c, const char *const *devs, size_t ndevs)
{
	struct detail_run r;
	int rc = 0;

	if (run_init(&r, c) != 0) {
		run_free(&r);
		return cmd_has(c, OPT_TEST) ? 4 : EXIT_FAIL;
	}
	if (r.json) {
		json_document_begin(&r.j, stdout, "arrays");
	}
	if (ndevs == 0)
		rc = detail_scan(&r);
	for (size_t i = 0; i < ndevs; i++)
		rc |= detail_one(&r, devs[i]);
	if (r.json) {
		json_document_end(&r.j);
	}
	run_free(&r);
	return rc;
}
