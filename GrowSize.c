/* GrowSize.c - --grow --size and --grow --array-size
 *
 * Arrays without a bitmap or with a classic one change size online, the
 * way mdadm 4.6 does it: each member's md/dev-X/size first (0: all it
 * has), then md/component_size in KiB; the kernel resyncs the new region.
 * --array-size writes md/array_size ("default" for max).
 *
 * A running array with a lockless bitmap must never get a larger
 * component_size on Linux 7.2: the llbitmap keeps its old state pages and
 * the resync of the new region reads past them and oopses. Such an array
 * is resized with the array stopped, only when nothing holds it open:
 * the state region is re-laid for the new chunk count (the chunk size
 * doubled, states merged, when the count would not fit the reserved
 * space), the new region NeedSync so that it is resynced as upstream
 * expects, then the superblocks get the new size and the array starts
 * again under the same device.
 *
 * Write order, so that a power loss after any single write leaves members
 * that assemble with their data (the kernel reads the bitmap from one
 * member and takes the size from the freshest superblock):
 *   1  every member's state bytes: with the chunk size kept, the new
 *      layout (old chunks unchanged, the chunk reaching past the old end
 *      and every new one NeedSync: right under the old header too); with
 *      a doubled chunk size, first all NeedSync, right under either;
 *   2  every member's bitmap header (new chunk size and sync_size);
 *   3  with a doubled chunk size, the merged states;
 *   4  every member's superblock (size, data_size).
 * The header's sync_size is what tells the next --assemble that a resize
 * was under way (members disagree on size or on the header): it finishes
 * it from a member that has the new header (finish_lockless_resize). A
 * power loss after the last header and before the first superblock leaves
 * members that agree on the old size: they assemble as before the resize
 * (the new layout is valid for it), and --grow --size does it again.
 * Every byte overwritten is saved first; on any error it is put back and
 * the array is started as it was. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bitmap_convert.h"
#include "mapfile.h"
#include "md_ioctl.h"
#include "mdarray.h"
#include "mdkernel.h"
#include "member_set.h"
#include "modes.h"
#include "offline.h"
#include "util.h"


struct gs_member {
	struct asm_member *am;
	uint8_t *states;             /* old state bytes */
	uint64_t nchunks;
	uint64_t area_byte;          /* where the bitmap area starts */
	struct sb1 sb_new;
	struct offline_undo undo;    /* superblock, header sector, state bytes */
};

struct gs_resize {
	struct sysfs sys;
	char devnm[MD_DEVNM_MAX];
	char node[PATH_MAX];
	const char *array;
	char paths[ASM_MAX_MEMBERS][PATH_MAX];
	struct asm_set *set;
	struct gs_member gm[ASM_MAX_MEMBERS];
	bool max;
	uint64_t want;               /* sectors per member asked for (0: max) */
	uint64_t old_size, new_size; /* component size, sectors */
	uint64_t old_chunk, new_chunk, new_nchunks, need_sync;
	uint8_t *states;             /* new state bytes, same on every member */
	size_t body_len;             /* state bytes written, sector-rounded */
	bool written;
	bool quiet;                  /* -q: no component size report */
};

/* ---- online: arrays without a lockless bitmap ------------------------------ */

/* mdadm 4.6 reports a failed sysfs write with the path it wrote. */
static int sysfs_str(const struct gs_resize *r, const char *kname, const char *attr,
		     const char *val)
{
	struct diag d = { 0 };
	int rc;

	rc = kname ? md_member_write(&r->sys, r->devnm, kname, attr, val, &d)
		   : md_write(&r->sys, r->devnm, attr, val, &d);
	if (rc) {
		pr_err("failed to write '%s' to '/sys/block/%s/md/%s%s/%s' (%s)\n", val, r->devnm,
		       kname ? "dev-" : "", kname ? kname : "", attr, strerror(d.err ? d.err : EIO));
		errno = d.err ? d.err : EIO;
		return -1;
	}
	return 0;
}

static int sysfs_num(const struct gs_resize *r, const char *kname, const char *attr,
		     unsigned long long v)
{
	char val[32];

	snprintf(val, sizeof(val), "%llu", v);
	return sysfs_str(r, kname, attr, val);
}

static uint64_t component_kib(const struct gs_resize *r)
{
	uint64_t v;

	return md_get_component_kib(&r->sys, r->devnm, &v, NULL) == 0 ? v : 0;
}

static void report_size(const struct gs_resize *r, uint64_t orig_kib, uint64_t now_kib)
{
	if (r->quiet)
		return;
	if (now_kib == orig_kib)
		pr_err("component size of %s unchanged at %lluK\n", r->array,
		       (unsigned long long)now_kib);
	else
		pr_err("component size of %s has been set to %lluK\n", r->array,
		       (unsigned long long)now_kib);
}

/* mdadm 4.6's order: the sync thread frozen, each member's size (0: all
 * it has; the kernel refuses some, which upstream reports and ignores),
 * then the component size; the thread released, the added space resyncs. */
static int online_size(struct gs_resize *r, const struct md_array *ma)
{
	uint64_t kib = r->max ? 0 : r->want / 2, orig = component_kib(r);
	struct diag d = { 0 };
	int rc = EXIT_OK;

	if (orig == 0) {
		pr_err("Cannot set device size in this type of array.\n");
		return EXIT_FAIL;
	}
	if (!md_sync_is_idle(&r->sys, r->devnm)) {
		pr_err("%s is performing resync/recovery and cannot be reshaped\n", r->array);
		return EXIT_FAIL;
	}
	if (md_sync_freeze(&r->sys, r->devnm, &d)) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < ma->nmembers; i++)
		if (ma->members[i].slot >= 0 || (ma->members[i].flags & MDM_SPARE))
			(void)sysfs_num(r, ma->members[i].kname, "size", kib);
	if (sysfs_num(r, NULL, "component_size", kib)) {
		int err = errno;

		pr_err("Cannot set device size for %s: %s\n", r->array, strerror(err));
		if (err == EBUSY && ma->bitmap != BITMAP_KIND_NONE)
			fprintf(stderr, "       Bitmap must be removed before size can be changed\n");
		rc = EXIT_FAIL;
	} else {
		report_size(r, orig, component_kib(r));
	}
	if (md_sync_unfreeze(&r->sys, r->devnm, &d)) {
		pr_err("%s\n", d.msg);
		rc = EXIT_FAIL;
	}
	return rc;
}

static int set_array_size(struct gs_resize *r, const struct cmdline *c)
{
	const struct opt_value *v = cmd_value(c, OPT_ARRAY_SIZE);
	int rc = v->special ? sysfs_str(r, NULL, "array_size", "default")
			    : sysfs_num(r, NULL, "array_size", (unsigned long long)v->num / 2);

	if (rc == 0)
		return 0;
	if (errno == E2BIG)
		pr_err("--array-size setting is too large.\n");
	else
		pr_err("current kernel does not support setting --array-size\n");
	return -1;
}

/* ---- offline: lockless arrays --------------------------------------------- */

static void free_saved(struct gs_member *g)
{
	offline_forget(&g->undo);
	free(g->states);
	g->states = NULL;
}

static void restore_all(struct gs_resize *r)
{
	bool ok = true;

	for (size_t i = r->set->n; i-- > 0;)
		ok = offline_restore(&r->gm[i].undo, r->gm[i].am->path) == 0 && ok;
	if (!ok)
		pr_err("some members of %s could not be restored\n", r->array);
	offline_reload_members(r->set);
}

static void restore_all_cb(void *r)
{
	restore_all(r);
}

/* Sectors a member offers for data (1.1/1.2: everything after the data
 * offset), the kernel's limit for the component size. */
static uint64_t member_room(const struct member *m)
{
	return m->dev_sectors > m->sb.data_offset ? m->dev_sectors - m->sb.data_offset : 0;
}

static int load_members(struct gs_resize *r, const struct md_array *ma, struct diag *d)
{
	if (offline_load_members(&r->sys, ma, r->array, r->paths, &r->set, d))
		return -1;
	for (size_t i = 0; i < r->set->n; i++) {
		struct asm_member *am = &r->set->ms[i];

		if (asm_bitmap_kind(&am->m) != BITMAP_KIND_LOCKLESS)
			return diag_fail(d, "%s has no readable lockless bitmap: nothing was changed",
					 am->path);
		r->gm[i].am = am;
	}
	return 0;
}

/* The superblocks and states once the array is stopped (the stop writes
 * both). */
static int read_members(struct gs_resize *r, struct diag *d)
{
	for (size_t i = 0; i < r->set->n; i++) {
		struct gs_member *g = &r->gm[i];
		struct asm_member *am = g->am;
		struct devio io;
		int rc;

		if (member_load(&am->m, am->path, d) != MEMBER_OK)
			return -1;
		am->m.path = am->path;
		if (asm_bitmap_kind(&am->m) != BITMAP_KIND_LOCKLESS)
			return diag_fail(d, "%s has no readable lockless bitmap", am->path);
		free(g->states);
		g->states = NULL;
		if (devio_open(&io, am->path, d))
			return -1;
		rc = member_read_llb_states(&am->m, &io, &g->states, &g->nchunks, d);
		devio_close(&io);
		if (rc)
			return -1;
		g->area_byte = am->m.bitmap_byte_offset;
	}
	for (size_t i = 1; i < r->set->n; i++)
		if (r->set->ms[i].m.sb.events != r->set->ms[0].m.sb.events ||
		    r->set->ms[i].m.sb.size != r->set->ms[0].m.sb.size ||
		    r->set->ms[i].m.bsb.chunksize != r->set->ms[0].m.bsb.chunksize)
			return diag_fail(d, "the members of %s disagree on their events, size or bitmap chunk size",
					 r->array);
	return 0;
}

static uint64_t round_chunk(const struct sb1 *sb, uint64_t sectors)
{
	if ((sb->level == 4 || sb->level == 5 || sb->level == 6) && sb->chunksize)
		return sectors - sectors % sb->chunksize;
	return sectors;
}

/* The new size, chunk size and states: the same on every member. Checks
 * everything that can refuse. */
static int plan(struct gs_resize *r, struct diag *d)
{
	const struct member *f = &r->set->ms[r->set->freshest].m;
	uint64_t room = UINT64_MAX, max_chunks, state_room;
	const struct gs_member *g0 = &r->gm[0];

	for (size_t i = 0; i < r->set->n; i++) {
		uint64_t m = member_room(&r->set->ms[i].m);

		room = m < room ? m : room;
	}
	r->old_size = f->sb.size;
	r->new_size = round_chunk(&f->sb, r->max ? room : r->want);
	if (r->new_size > room)
		return diag_errno(d, ENOSPC, "Cannot set device size for %s: %s", r->array,
				  strerror(ENOSPC));
	if (r->new_size == 0)
		return diag_fail(d, "Cannot set device size for %s: %s", r->array, strerror(EINVAL));
	r->old_chunk = f->bsb.chunksize;
	max_chunks = llb_max_chunks(f->bsb.sectors_reserved);
	r->new_chunk = bconv_fitting_chunk(r->old_chunk, r->new_size, max_chunks);
	if (r->new_chunk == 0 || r->new_chunk > UINT32_MAX)
		return diag_fail(d, "the lockless bitmap of %s cannot cover %llu sectors in its %u reserved sectors",
				 r->array, (unsigned long long)r->new_size, f->bsb.sectors_reserved);
	r->new_nchunks = (r->new_size + r->new_chunk - 1) / r->new_chunk;
	{
		uint64_t most = r->new_nchunks > g0->nchunks ? r->new_nchunks : g0->nchunks;

		r->body_len = (size_t)((most + 511) / 512 * 512);
	}
	/* the area must stay before the data (and off the bad-block log) */
	for (size_t i = 0; i < r->set->n; i++) {
		const struct sb1 *sb = &r->set->ms[i].m.sb;
		int64_t end = sb->bitmap_offset + (int64_t)(LLBITMAP_DATA_OFFSET + r->body_len) / 512;
		bool log = sb->bblog_offset && sb->bblog_size;

		state_room = sb->data_offset - sb->super_offset;
		if (sb->bitmap_offset <= 0 || (uint64_t)end > state_room ||
		    (log && sb->bblog_offset < end && sb->bblog_offset + sb->bblog_size > sb->bitmap_offset))
			return diag_fail(d, "%s: the lockless bitmap's %llu state bytes would not fit before the data",
					 r->set->ms[i].path, (unsigned long long)r->new_nchunks);
	}
	free(r->states);
	r->states = calloc(1, r->body_len);
	if (!r->states)
		return diag_errno(d, ENOMEM, "out of memory");
	return bconv_resize_states(g0->states, g0->nchunks, r->old_chunk, r->old_size,
				   r->new_size, r->new_chunk, r->states, r->new_nchunks,
				   &r->need_sync, d);
}

static int save_member(struct gs_resize *r, struct gs_member *g, struct diag *d)
{
	const struct sb1 *sb = &g->am->m.sb;

	return offline_save(&g->undo, g->am->path, sb->super_offset * 512, SB1_IO_SIZE, d) ||
	       offline_save(&g->undo, g->am->path, g->area_byte, 512, d) ||
	       offline_save(&g->undo, g->am->path, g->area_byte + LLBITMAP_DATA_OFFSET, r->body_len, d) ? -1 : 0;
}

/* The member's state bytes as they are on disk with `n` of them replaced
 * by `states` (NULL: all NeedSync). */
static int write_states(struct gs_resize *r, struct gs_member *g, const uint8_t *states,
			uint64_t n, struct diag *d)
{
	uint8_t *body = malloc(r->body_len);
	int rc;

	if (!body)
		return diag_errno(d, ENOMEM, "out of memory");
	memcpy(body, g->undo.saved[2].old, r->body_len);
	if (states)
		memcpy(body, states, (size_t)n);
	else
		memset(body, LLB_NEED_SYNC, (size_t)n);
	r->written = true;
	rc = offline_write(g->am->path, g->area_byte + LLBITMAP_DATA_OFFSET, body, r->body_len, d);
	free(body);
	return rc;
}

static int write_header(struct gs_resize *r, struct gs_member *g, struct diag *d)
{
	uint8_t sector[512];
	struct bitmap_sb b = g->am->m.bsb;

	memcpy(sector, g->undo.saved[1].old, sizeof(sector));
	b.chunksize = (uint32_t)r->new_chunk;
	b.sync_size = r->new_size;
	if (bitmap_sb_encode(&b, sector, sizeof(sector), d))
		return -1;
	r->written = true;
	return offline_write(g->am->path, g->area_byte, sector, sizeof(sector), d);
}

static int write_members(struct gs_resize *r, struct diag *d)
{
	bool merged = r->new_chunk != r->old_chunk;
	uint64_t all = r->body_len;

	for (size_t i = 0; i < r->set->n; i++)
		if (save_member(r, &r->gm[i], d))
			return -1;
	for (size_t i = 0; i < r->set->n; i++) {
		struct gs_member *g = &r->gm[i];
		uint64_t n = g->nchunks > r->new_nchunks ? g->nchunks : r->new_nchunks;

		if (merged ? write_states(r, g, NULL, n < all ? n : all, d)
			   : write_states(r, g, r->states, r->new_nchunks, d))
			return -1;
	}
	offline_crash_point("resize-states");
	for (size_t i = 0; i < r->set->n; i++) {
		if (write_header(r, &r->gm[i], d))
			return -1;
		if (i == 0)
			offline_crash_point("resize-first-header");
	}
	offline_crash_point("resize-headers");
	if (merged)
		for (size_t i = 0; i < r->set->n; i++)
			if (write_states(r, &r->gm[i], r->states, r->new_nchunks, d))
				return -1;
	for (size_t i = 0; i < r->set->n; i++) {
		struct gs_member *g = &r->gm[i];

		g->sb_new = g->am->m.sb;
		g->sb_new.size = r->new_size;
		if (g->sb_new.data_size < r->new_size || r->max)
			g->sb_new.data_size = r->max ? member_room(&g->am->m) : r->new_size;
		if (asm_rewrite_member(g->am, &g->sb_new, d))
			return -1;
		if (i == 0)
			offline_crash_point("resize-first-sb");
	}
	return 0;
}

static int stop_array(struct gs_resize *r, struct diag *d)
{
	return offline_stop(&r->sys, r->devnm, r->node, r->array,
			    "a lockless array is resized with the array stopped for a moment (Linux 7.2 cannot resize its bitmap while it runs)",
			    "", d);
}

static int check_resizable(const struct gs_resize *r, const struct md_array *ma,
			   struct diag *d)
{
	char custom[32];

	if (!ma->level_known || (ma->level != 1 && ma->level != 4 && ma->level != 5 &&
				 ma->level != 6))
		return diag_fail(d, "%s: resizing a lockless %s array is not supported yet (RAID1, 4, 5 and 6 are)",
				 r->array, ma->level_text);
	if (ma->has_degraded && ma->degraded > 0)
		return diag_fail(d, "%s is degraded: add the missing member back and let recovery finish before resizing it",
				 r->array);
	if (!md_sync_is_idle(&r->sys, r->devnm))
		return diag_fail(d, "%s is performing resync/recovery and cannot be reshaped", r->array);
	if (md_array_state_word_read_only(ma->array_state))
		return diag_fail(d, "%s is read-only: switch it to read-write first", r->array);
	/* the kernel refuses a component size below an --array-size */
	if (md_read(&r->sys, r->devnm, "array_size", custom, sizeof(custom), NULL) == 0 &&
	    strncmp(custom, "default", 7) != 0 && !r->max) {
		uint64_t data = ma->component_kib ? ma->size_sectors / 2 / ma->component_kib : 0;

		if (data && r->want / 2 * data < strtoull(custom, NULL, 10))
			return diag_errno(d, EINVAL, "Cannot set device size for %s: %s", r->array,
					  strerror(EINVAL));
	}
	return 0;
}

static int lockless_size(struct gs_resize *r, const struct md_array *ma)
{
	struct diag d = { 0 };

	if (check_resizable(r, ma, &d) || load_members(r, ma, &d) || read_members(r, &d) ||
	    plan(r, &d))
		goto refuse;
	if (r->new_size == r->old_size) {
		report_size(r, r->old_size / 2, r->new_size / 2);
		return EXIT_OK;
	}
	pr_info("stopping %s to resize it (Linux 7.2 cannot resize a running array's lockless bitmap)\n",
		r->array);
	if (stop_array(r, &d))
		goto refuse;
	if (read_members(r, &d) || plan(r, &d)) {
		pr_err("%s\n", d.msg);
		goto restart;
	}
	if (write_members(r, &d)) {
		pr_err("resizing failed (the old metadata was put back): %s\n", d.msg);
		if (r->written)
			restore_all(r);
		goto restart;
	}
	for (size_t i = 0; i < r->set->n; i++) {
		if (member_load(&r->set->ms[i].m, r->set->ms[i].path, &d) != MEMBER_OK) {
			pr_err("%s; putting the old metadata back\n", d.msg);
			restore_all(r);
			goto restart;
		}
		r->set->ms[i].m.path = r->set->ms[i].path;
	}
	if (offline_start_changed(&r->sys, r->devnm, r->array, r->set, "the new size",
				  restore_all_cb, r))
		goto restart;
	pr_info("lockless bitmap of %s: %llu chunks of %llu KiB, %llu need sync\n", r->array,
		(unsigned long long)r->new_nchunks, (unsigned long long)r->new_chunk / 2,
		(unsigned long long)r->need_sync);
	report_size(r, r->old_size / 2, r->new_size / 2);
	return EXIT_OK;
restart:
	offline_restart(&r->sys, r->devnm, r->array, r->set);
	return EXIT_FAIL;
refuse:
	pr_err("%s\n", d.msg);
	return EXIT_FAIL;
}

/* ---- entry ---------------------------------------------------------------- */

static int size_change(struct gs_resize *r, const struct md_array *ma)
{
	if (ma->level_known && ma->level == 0) {
		pr_err("Component size change is not supported for RAID0\n");
		return EXIT_FAIL;
	}
	if (!r->max && ma->component_kib && r->want / 2 == ma->component_kib) {
		if (!r->quiet)
			pr_err("%s: no change requested\n", r->array);
		return EXIT_OK;
	}
	if (ma->level_known && ma->level > 1 && !r->max && ma->chunk_bytes / 1024 > r->want / 2) {
		pr_err("component size must be larger than chunk size.\n");
		return EXIT_FAIL;
	}
	if (ma->bitmap == BITMAP_KIND_LOCKLESS)
		return lockless_size(r, ma);
	return online_size(r, ma);
}

static bool geometry_given(const struct cmdline *c)
{
	return cmd_has(c, OPT_RAID_DEVICES) || cmd_has(c, OPT_LEVEL) || cmd_has(c, OPT_CHUNK) ||
	       cmd_has(c, OPT_LAYOUT);
}

/* The combinations mdadm 4.6 refuses with its own words; the rest of
 * --grow is not combined with a size change here yet. */
static int check_combination(const struct cmdline *c)
{
	if (cmd_has(c, OPT_ARRAY_SIZE) && (cmd_has(c, OPT_RAID_DEVICES) || cmd_has(c, OPT_LEVEL))) {
		pr_err("cannot change array size in same operation as changing raiddisks or level.\n"
		       "    Change size first, then check that data is still intact.\n");
		return EXIT_FAIL;
	}
	if (cmd_has(c, OPT_SIZE) && geometry_given(c)) {
		pr_err("cannot change component size at the same time as other changes.\n"
		       "   Change size first, then check data is intact before making other changes.\n");
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < option_table_len; i++) {
		enum opt_id id = option_table[i].id;

		if (cmd_has(c, id) && id != OPT_SIZE && id != OPT_ARRAY_SIZE && id != OPT_GROW &&
		    id != OPT_VERBOSE && id != OPT_QUIET) {
			pr_err("--size and --array-size cannot be combined with other --grow changes yet\n");
			return EXIT_USAGE;
		}
	}
	if (c->ndevs != 1) {
		pr_err("--grow changes the size of one array at a time\n");
		return EXIT_USAGE;
	}
	return 0;
}

int grow_size(const struct cmdline *c)
{
	const char *array = c->devs[0].name;
	struct gs_resize *r;
	struct md_array ma;
	struct diag d = { 0 };
	int rc = check_combination(c);

	if (rc)
		return rc;
	rc = EXIT_FAIL;
	r = calloc(1, sizeof(*r));
	if (!r) {
		pr_err("out of memory\n");
		return EXIT_FAIL;
	}
	sysfs_init(&r->sys);
	r->array = array;
	r->quiet = c->verbose < 0;
	memset(&ma, 0, sizeof(ma));
	if (md_find_array(&r->sys, array, r->devnm, sizeof(r->devnm), &d)) {
		pr_err("%s\n", d.msg);
		goto out;
	}
	if (md_array_load(&r->sys, NULL, r->devnm, &ma, &d) || !ma.active) {
		pr_err("%s is not an active md array - aborting\n", array);
		goto out;
	}
	md_node_path(&r->sys, r->devnm, r->node, sizeof(r->node));
	if (cmd_has(c, OPT_ARRAY_SIZE) && set_array_size(r, c))
		goto out;
	rc = EXIT_OK;
	if (cmd_has(c, OPT_SIZE)) {
		r->max = cmd_value(c, OPT_SIZE)->special;
		r->want = r->max ? 0 : (uint64_t)cmd_num(c, OPT_SIZE);
		rc = size_change(r, &ma);
	}
out:
	md_array_free(&ma);
	if (r->set)
		for (size_t i = 0; i < r->set->n; i++) {
			free_saved(&r->gm[i]);
		}
	free(r->set);
	free(r->states);
	free(r);
	return rc;
}

/* ---- at assembly: finishing an interrupted resize ----------------------------- */

static bool header_differs(const struct member *a, const struct member *b)
{
	return a->bsb.chunksize != b->bsb.chunksize || a->bsb.sync_size != b->bsb.sync_size;
}

/* The member whose bitmap header was written by the resize: its
 * sync_size is not its own superblock's size. */
static const struct asm_member *resized_header(const struct asm_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct asm_member *am = &set->ms[i];

		if (am->chosen && asm_bitmap_kind(&am->m) == BITMAP_KIND_LOCKLESS &&
		    am->m.bsb.sync_size != am->m.sb.size)
			return am;
	}
	return NULL;
}

static int copy_area(const struct asm_member *from, struct asm_member *to, struct diag *d)
{
	uint64_t n = (from->m.bsb.sync_size + from->m.bsb.chunksize - 1) / from->m.bsb.chunksize;
	size_t len = (size_t)((LLBITMAP_DATA_OFFSET + n + 511) / 512 * 512);
	uint8_t *buf;
	int rc;

	if (!from->m.bsb.chunksize || n > MEMBER_MAX_LLB_CHUNKS)
		return diag_fail(d, "%s: implausible lockless bitmap", from->path);
	buf = malloc(len);
	if (!buf)
		return diag_errno(d, ENOMEM, "out of memory");
	rc = offline_read(from->path, from->m.bitmap_byte_offset, buf, len, d);
	if (rc == 0)
		rc = offline_write(to->path, to->m.bitmap_byte_offset + 512, buf + 512, len - 512, d);
	if (rc == 0)
		rc = offline_write(to->path, to->m.bitmap_byte_offset, buf, 512, d);
	free(buf);
	return rc;
}

int finish_lockless_resize(struct asm_set *set, struct diag *d)
{
	const struct asm_member *src = NULL, *ref = NULL;
	bool differ = false;
	size_t fixed = 0;

	for (size_t i = 0; i < set->n; i++) {
		const struct asm_member *am = &set->ms[i];

		if (!am->chosen || asm_bitmap_kind(&am->m) != BITMAP_KIND_LOCKLESS ||
		    !am->m.bitmap_read || !am->m.bitmap_uuid_ok)
			continue;
		if (!ref) {
			ref = am;
			continue;
		}
		if (memcmp(am->m.sb.set_uuid, ref->m.sb.set_uuid, 16) != 0 ||
		    am->m.sb.events != ref->m.sb.events)
			return 0;   /* not the aftermath of one resize */
		differ = differ || am->m.sb.size != ref->m.sb.size || header_differs(&am->m, &ref->m);
	}
	if (!differ || !(src = resized_header(set)))
		return 0;
	/* every other header is either the resize's or an untouched one that
	 * matches its own superblock; anything else is not ours to finish */
	for (size_t i = 0; i < set->n; i++) {
		const struct asm_member *am = &set->ms[i];

		if (am->chosen && asm_bitmap_kind(&am->m) == BITMAP_KIND_LOCKLESS &&
		    header_differs(&am->m, &src->m) && am->m.bsb.sync_size != am->m.sb.size)
			return 0;
	}
	if (src->m.sb.level != 1 && src->m.sb.level != 4 && src->m.sb.level != 5 &&
	    src->m.sb.level != 6)
		return 0;
	for (size_t i = 0; i < set->n; i++) {
		struct asm_member *am = &set->ms[i];
		uint64_t target = src->m.bsb.sync_size;
		bool changed = false;

		if (!am->chosen || asm_bitmap_kind(&am->m) != BITMAP_KIND_LOCKLESS)
			continue;
		if (am != src && header_differs(&am->m, &src->m)) {
			if (copy_area(src, am, d))
				return -1;
			changed = true;
		}
		if (am->m.sb.size != target) {
			struct sb1 sb = am->m.sb;

			if (target > member_room(&am->m))
				return diag_fail(d, "%s has no room for the size %llu an interrupted resize was setting",
						 am->path, (unsigned long long)target);
			sb.size = target;
			if (sb.data_size < target)
				sb.data_size = target;
			if (asm_rewrite_member(am, &sb, d))
				return -1;
			changed = true;
		}
		if (!changed)
			continue;
		if (member_load(&am->m, am->path, d) != MEMBER_OK)
			return -1;
		am->m.path = am->path;
		fixed++;
	}
	if (fixed)
		pr_info("finished an interrupted resize on %zu member%s\n", fixed,
			fixed == 1 ? "" : "s");
	return 0;
}
