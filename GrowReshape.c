/* GrowReshape.c - --grow --raid-devices=N, --chunk=C, --layout=L on a
 * running RAID4/5/6: more members, another chunk size or parity layout
 * through a reshape
 *
 *   mdadm --grow /dev/md0 --raid-devices=4 [--add /dev/sdd]
 *   mdadm --grow /dev/md0 --chunk=128 [--layout=left-asymmetric]
 *
 * The kernel restripes the array onto its spares by itself; what makes
 * that safe against a crash without a backup file is that every member's
 * data moves to a lower offset (md/dev-X/new_offset) by at least one
 * stretch of whole old and new stripes (policy_reshape_offset_shift): new
 * stripes are then always written below the old ones still to be read,
 * and the kernel records its position in the superblocks, from which
 * --assemble (and the kernel at start) resume after a crash or a stop.
 *
 * Kernel order: freeze the sync thread, new_offset on every member,
 * stripe cache, the new chunk size and layout, raid_disks, then
 * sync_action=reshape (which unfreezes).
 * Each step is checked and undone on failure, last first.
 *
 * With as many data members before as after (a new chunk size or layout)
 * one such stretch can be a single chunk, which is not enough: the move
 * must exceed the kernel's margin (see policy_reshape_offset_shift; a
 * crash test lost data with one chunk). And Linux 7.2 works out that
 * margin from the data offsets only when the array starts: a reshape
 * started on the running array counts it as 0, and an in-place one then
 * records its position only every 10 seconds (a crash test lost the
 * stretch after the recorded position). So an in-place reshape is
 * started held at 0 (md/sync_max), which records it in the superblocks,
 * and the array is stopped and started again, which makes the kernel
 * take the margin and run it safely; it must not be in use.
 *
 * Refused before anything changes, with the reason: fewer members, a
 * lockless bitmap (Linux 7.2's llbitmap does not follow the array's new
 * size), no room before the data (1.0 metadata, or a data offset too small:
 * a reshape through --backup-file is not built), degraded, syncing or
 * read-only arrays, too few spares, a chunk size that does not divide the
 * member size, another layout for RAID4, and what is not built yet (0.90
 * metadata, level changes, PPL, journal, bitmap files). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "member.h"
#include "mdarray.h"
#include "mdkernel.h"
#include "modes.h"
#include "offline.h"
#include "policy.h"
#include "super1.h"
#include "util.h"

struct reshape_member {
	char kname[SYSFS_NAME_MAX];
	char path[PATH_MAX];
	uint64_t offset;              /* data offset now (the kernel's) */
	bool offset_set;              /* new_offset written: to be undone */
};

struct reshape {
	const struct grow_request *rq;
	unsigned old_disks;
	uint64_t shift;               /* sectors every data offset moves down */
	unsigned cache_need, cache_was;
	bool cache_set, chunk_set, layout_set, disks_set, frozen;   /* what undo() puts back */
	bool in_place;                /* as many data members after as before */
	struct reshape_member *m;
	size_t n;
};

static bool read_only(const struct md_array *a)
{
	return md_array_state_word_read_only(a->array_state);
}

static bool busy(const struct md_array *a)
{
	return md_sync_word_running(a->sync_action);
}

/* What this build does not reshape, each said as such. */
static int check_built(const struct grow_request *rq)
{
	const struct cmdline *c = rq->c;
	const struct md_array *a = rq->a;

	if (cmd_has(c, OPT_LEVEL) && cmd_num(c, OPT_LEVEL) != a->level)
		return not_implemented("--grow --level (a level change)");
	if (rq->want < a->raid_disks) {
		char what[96];

		snprintf(what, sizeof(what), "--grow --raid-devices below the current %u of a %s",
			 a->raid_disks, a->level_text);
		return not_implemented(what);
	}
	if (cmd_has(c, OPT_BACKUP_FILE))
		return not_implemented("a reshape with --backup-file");
	if (a->level == 4 && rq->layout != a->layout) {
		pr_err("%s is a RAID4 array: its parity stays on the last member (no other layout)\n",
		       rq->name);
		return EXIT_FAIL;
	}
	if (a->meta_major != 1) {
		pr_err("a reshape of a 0.90 array is not implemented yet for 0.90 in this version of mdadm\n");
		return EXIT_FAIL;
	}
	if (strcmp(a->policy, "ppl") == 0 || strcmp(a->policy, "journal") == 0) {
		char what[96];

		snprintf(what, sizeof(what), "a reshape of an array with consistency policy %s",
			 a->policy);
		return not_implemented(what);
	}
	if (a->bitmap == BITMAP_KIND_FILE)
		return not_implemented("a reshape of an array with a bitmap file");
	return 0;
}

/* The array's state: what must hold for the kernel to reshape it now. */
static int check_array(const struct grow_request *rq)
{
	const struct md_array *a = rq->a;
	const char *name = rq->name;
	unsigned need = rq->want - a->raid_disks;
	uint64_t chunk_kib = rq->chunk_bytes / 1024;

	if (cmd_has(rq->c, OPT_SIZE)) {
		pr_err("cannot change component size at the same time as other changes.\n"
		       "   Change size first, then check data is intact before making other changes.\n");
		return EXIT_FAIL;
	}
	if (rq->chunk_bytes != a->chunk_bytes) {
		if (rq->chunk_bytes < 4096 || (rq->chunk_bytes & (rq->chunk_bytes - 1))) {
			pr_err("%s: a chunk size must be a power of two of at least 4K\n", name);
			return EXIT_FAIL;
		}
		if (!a->has_component || a->component_kib % chunk_kib) {
			pr_err("New chunk size (%lluK) does not evenly divide the component size (%lluK) of %s: reduce it first (--grow --size)\n",
			       (unsigned long long)chunk_kib, (unsigned long long)a->component_kib, name);
			return EXIT_FAIL;
		}
	}
	if (rq->want > SB1_MAX_DEV) {
		pr_err("Cannot increase raid-disks on this array beyond %u\n", SB1_MAX_DEV);
		return EXIT_FAIL;
	}
	if (a->bitmap == BITMAP_KIND_LOCKLESS) {
		pr_err("%s has a lockless bitmap, which Linux 7.2 cannot carry through a reshape (its chunk states do not follow the new size): remove it first (--grow --bitmap=none) or make it internal (--grow --bitmap=internal), reshape, then put it back\n",
		       name);
		return EXIT_FAIL;
	}
	if (read_only(a)) {
		pr_err("%s is read-only: switch it to read-write (--readwrite) before reshaping it\n",
		       name);
		return EXIT_FAIL;
	}
	if (busy(a)) {
		pr_err("%s is performing resync/recovery and cannot be reshaped\n", name);
		return EXIT_FAIL;
	}
	if (!a->has_degraded || a->degraded) {
		pr_err("%s is degraded: a reshape needs every member in sync (add a spare and let it recover first)\n",
		       name);
		return EXIT_FAIL;
	}
	if (rq->spares < need) {
		if (cmd_has(rq->c, OPT_FORCE))
			return not_implemented("a reshape into a degraded array (--force with too few spares)");
		pr_err("Need %u spare%s to avoid degraded array, and only have %u.\n"
		       "       Use --force to over-ride this check.\n",
		       need, need == 1 ? "" : "s", rq->spares);
		return EXIT_FAIL;
	}
	return 0;
}

/* ---- the members and the room before their data ------------------------------- */

static bool takes_part(const struct md_member *mm)
{
	return !(mm->flags & (MDM_FAULTY | MDM_JOURNAL));
}

/* The members of the running array (active and spares) with their paths
 * and the kernel's data offsets. */
static int list_members(struct reshape *r, const struct md_array *a, struct diag *d)
{
	r->m = calloc(a->nmembers ? a->nmembers : 1, sizeof(*r->m));
	if (!r->m)
		return diag_errno(d, ENOMEM, "out of memory");
	for (size_t i = 0; i < a->nmembers; i++) {
		const struct md_member *mm = &a->members[i];
		struct reshape_member *rm = &r->m[r->n];
		uint64_t now = 0;

		if (!takes_part(mm))
			continue;
		snprintf(rm->kname, sizeof(rm->kname), "%s", mm->kname);
		md_member_node(r->rq->sys, mm, rm->path, sizeof(rm->path));
		if (!rm->path[0])
			return diag_errno(d, ENOENT, "no device node found for member %s", mm->kname);
		if (md_member_get_offsets(r->rq->sys, r->rq->devnm, mm->kname, &rm->offset, &now, d))
			return -1;
		if (now != rm->offset)
			return diag_errno(d, EBUSY, "member %s already has a new data offset pending (%llu, data at %llu)",
					  mm->kname, (unsigned long long)now,
					  (unsigned long long)rm->offset);
		r->n++;
	}
	return 0;
}

/* Room before the data of one member, from its superblock as mdadm 4.6
 * counts it (Unused Space: before=). */
static int room_before(const struct reshape_member *rm, uint64_t *before, struct diag *d)
{
	struct member m;
	uint64_t after = 0;

	if (member_load(&m, rm->path, d) != MEMBER_OK)
		return -1;
	if (m.sb.feature_map & (SB1_FEAT_RESHAPE_ACTIVE | SB1_FEAT_NEW_OFFSET))
		return diag_errno(d, EBUSY, "%s records an unfinished reshape", rm->path);
	if (m.sb.data_offset != rm->offset)
		return diag_errno(d, EIO, "the superblock of %s puts the data at %llu, the kernel at %llu",
				  rm->path, (unsigned long long)m.sb.data_offset,
				  (unsigned long long)rm->offset);
	*before = 0;
	if (m.sb.data_offset > m.sb.super_offset)
		(void)member_unused_space(&m, before, &after);
	return 0;
}

static int check_room(const struct reshape *r)
{
	struct diag d = { 0 };

	for (size_t i = 0; i < r->n; i++) {
		uint64_t before = 0;

		if (room_before(&r->m[i], &before, &d)) {
			pr_err("cannot reshape %s: %s\n", r->rq->name, d.msg);
			return EXIT_FAIL;
		}
		if (before < r->shift) {
			pr_err("%s: no room to move the data offset of %s (a reshape needs %llu sectors before the data, there are %llu); a reshape with --backup-file is not supported yet\n",
			       r->rq->name, r->m[i].path, (unsigned long long)r->shift,
			       (unsigned long long)before);
			return EXIT_FAIL;
		}
	}
	return 0;
}

/* The members again once the --add devices are in. */
static int load_members(struct reshape *r, struct md_array *fresh)
{
	struct diag d = { 0 };

	free(r->m);
	r->m = NULL;
	r->n = 0;
	if (md_array_load(r->rq->sys, NULL, r->rq->devnm, fresh, &d) || list_members(r, fresh, &d)) {
		pr_err("cannot read the members of %s: %s\n", r->rq->name, d.msg);
		return EXIT_FAIL;
	}
	if (r->n < r->rq->want) {
		pr_err("%s has %zu working members, %u are needed\n", r->rq->name, r->n, r->rq->want);
		return EXIT_FAIL;
	}
	return check_room(r);
}

/* ---- the kernel's part ----------------------------------------------------------- */

/* Undo what was set, the last first; every failure is said. */
static void undo(struct reshape *r)
{
	const struct grow_request *rq = r->rq;
	struct diag d = { 0 };

	if (r->disks_set && md_set_raid_disks(rq->sys, rq->devnm, r->old_disks, &d) != 0)
		pr_err("could not set raid_disks of %s back to %u: %s\n", rq->name, r->old_disks,
		       d.msg);
	if (r->layout_set && md_set_new_layout(rq->sys, rq->devnm, rq->a->layout, &d) != 0)
		pr_err("could not set the layout of %s back to %u: %s\n", rq->name, rq->a->layout,
		       d.msg);
	if (r->chunk_set && md_set_new_chunk(rq->sys, rq->devnm, rq->a->chunk_bytes, &d) != 0)
		pr_err("could not set the chunk size of %s back to %lluK: %s\n", rq->name,
		       (unsigned long long)rq->a->chunk_bytes / 1024, d.msg);
	if (r->cache_set && md_set_stripe_cache(rq->sys, rq->devnm, r->cache_was, &d) != 0)
		pr_err("could not set the stripe cache of %s back to %u: %s\n", rq->name,
		       r->cache_was, d.msg);
	for (size_t i = r->n; i-- > 0;) {
		struct reshape_member *rm = &r->m[i];

		if (rm->offset_set &&
		    md_member_set_new_offset(rq->sys, rq->devnm, rm->kname, rm->offset, &d) != 0)
			pr_err("could not reset the new data offset of %s: %s\n", rm->path, d.msg);
	}
	if (r->frozen && md_sync_unfreeze(rq->sys, rq->devnm, &d) != 0)
		pr_err("recovery of %s stays frozen (%s); write 'idle' to md/sync_action to release it\n",
		       rq->name, d.msg);
}

static int set_offsets(struct reshape *r, struct diag *d)
{
	for (size_t i = 0; i < r->n; i++) {
		struct reshape_member *rm = &r->m[i];

		if (md_member_set_new_offset(r->rq->sys, r->rq->devnm, rm->kname,
					     rm->offset - r->shift, d))
			return -1;
		rm->offset_set = true;
	}
	return 0;
}

static int raise_cache(struct reshape *r, struct diag *d)
{
	if (md_get_stripe_cache(r->rq->sys, r->rq->devnm, &r->cache_was, d))
		return -1;
	if (r->cache_was >= r->cache_need)
		return 0;
	if (md_set_stripe_cache(r->rq->sys, r->rq->devnm, r->cache_need, d))
		return -1;
	r->cache_set = true;
	return 0;
}

/* The kernel took the new shape ("4 (3)" while reshaping, "4" once a tiny
 * array is done already). */
static int check_started(const struct reshape *r, struct diag *d)
{
	const struct grow_request *rq = r->rq;
	struct md_array now = { 0 };
	int rc = md_array_load(rq->sys, NULL, rq->devnm, &now, d);

	if (rc == 0 && now.raid_disks != rq->want)
		rc = diag_errno(d, EIO, "the kernel reports %u devices", now.raid_disks);
	else if (rc == 0 && now.new_chunk_bytes != rq->chunk_bytes)
		rc = diag_errno(d, EIO, "the kernel reports a chunk size of %lluK",
				(unsigned long long)now.new_chunk_bytes / 1024);
	else if (rc == 0 && now.new_layout != rq->layout)
		rc = diag_errno(d, EIO, "the kernel reports layout %u", now.new_layout);
	md_array_free(&now);
	return rc;
}

static int start(struct reshape *r)
{
	const struct grow_request *rq = r->rq;
	struct diag d = { 0 };
	const char *step;

	step = "cannot freeze the sync thread";
	if (md_sync_freeze(rq->sys, rq->devnm, &d))
		goto fail;
	/* frozen by someone else before: left frozen on failure */
	r->frozen = !md_sync_word_is(rq->a->sync_action, MD_SYNC_FROZEN);
	step = "cannot set the new data offset";
	if (set_offsets(r, &d))
		goto fail;
	step = "cannot enlarge the stripe cache";
	if (raise_cache(r, &d))
		goto fail;
	step = "cannot set the new chunk size";
	if (rq->chunk_bytes != rq->a->chunk_bytes) {
		if (md_set_new_chunk(rq->sys, rq->devnm, rq->chunk_bytes, &d))
			goto fail;
		r->chunk_set = true;
	}
	step = "cannot set the new layout";
	if (rq->layout != rq->a->layout) {
		if (md_set_new_layout(rq->sys, rq->devnm, rq->layout, &d))
			goto fail;
		r->layout_set = true;
	}
	step = "failed to set raid disks";
	if (rq->want != r->old_disks) {
		if (md_set_raid_disks(rq->sys, rq->devnm, rq->want, &d))
			goto fail;
		r->disks_set = true;
	}
	step = "cannot hold the reshape at its start";
	if (r->in_place && md_set_sync_max(rq->sys, rq->devnm, 0, &d))
		goto fail;
	step = "cannot start the reshape";
	if (md_set_sync_action(rq->sys, rq->devnm, MD_SYNC_RESHAPE, &d)) {
		if (r->in_place && md_set_sync_max_unlimited(rq->sys, rq->devnm, &d) != 0)
			pr_err("could not release md/sync_max of %s: %s\n", rq->name, d.msg);
		goto fail;
	}
	r->frozen = false;
	if (check_started(r, &d) != 0) {
		pr_err("the reshape of %s did not start as asked: %s\n", rq->name, d.msg);
		return EXIT_FAIL;
	}
	return EXIT_OK;
fail:
	pr_err("%s of %s: %s\n", step, rq->name, d.msg);
	undo(r);
	return EXIT_FAIL;
}

static int restart_in_place(struct reshape *r, struct asm_set *set);

/* In place: the members as a set first (to start the array again from),
 * then the reshape held at 0, then the restart. */
static int start_in_place(struct reshape *r, const struct md_array *a)
{
	char (*paths)[PATH_MAX] = calloc(ASM_MAX_MEMBERS, sizeof(*paths));
	struct asm_set *set = NULL;
	struct diag d = { 0 };
	int rc;

	if (!paths) {
		pr_err("out of memory\n");
		return EXIT_FAIL;
	}
	if (offline_load_members(r->rq->sys, a, r->rq->name, paths, &set, &d)) {
		pr_err("cannot reshape %s: %s\n", r->rq->name, d.msg);
		rc = EXIT_FAIL;
	} else if ((rc = start(r)) == EXIT_OK) {
		rc = restart_in_place(r, set);
	}
	free(set);
	free(paths);
	return rc;
}

/* The members record the reshape (held at its start). */
static bool recorded(const struct reshape *r)
{
	struct member m;

	return member_load(&m, r->m[0].path, NULL) == MEMBER_OK &&
	       (m.sb.feature_map & SB1_FEAT_RESHAPE_ACTIVE);
}

static bool recorded_cb(const void *arg)
{
	return recorded(arg);
}

/* Nothing may hold the array: it is stopped once before the reshape runs. */
static int check_unused(const struct grow_request *rq)
{
	char node[64];
	struct diag d = { 0 };

	snprintf(node, sizeof(node), "/dev/%s", rq->devnm);
	if (offline_check_unused(rq->sys, rq->devnm, node, rq->name,
				 "a new chunk size or layout restarts the array once, so that Linux 7.2 keeps the reshape crash-safe",
				 &d)) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	return 0;
}

/* The reshape is recorded and held at 0: stop the array and start it
 * again from its members; the kernel then resumes the reshape with the
 * margin of the new data offsets. Whatever fails leaves members that
 * --assemble starts and whose reshape it resumes. */
static int restart_in_place(struct reshape *r, struct asm_set *set)
{
	const struct grow_request *rq = r->rq;
	char node[64];
	struct diag d = { 0 };

	snprintf(node, sizeof(node), "/dev/%s", rq->devnm);
	if (!poll_until(recorded_cb, r, 10000, 50)) {
		pr_err("the members of %s do not record the reshape; it is held at its start (md/sync_max 0): stop the array and --assemble it to run the reshape\n",
		       rq->name);
		return EXIT_FAIL;
	}
	if (offline_stop(rq->sys, rq->devnm, node, rq->name, "the reshape is recorded and held at its start",
			 "; then --assemble it: the reshape runs", &d)) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	if (offline_refresh_members(set, rq->name, &d) || offline_start(rq->sys, rq->devnm, rq->name, set, &d)) {
		pr_err("cannot start %s again for its reshape: %s; --assemble it: the reshape resumes\n",
		       rq->name, d.msg);
		return EXIT_FAIL;
	}
	if (reshape_resume_prepare(rq->sys, rq->devnm, &set->ms[set->freshest].m.sb, &d) != 0)
		pr_err("%s resumes its reshape with too small a stripe cache: %s\n", rq->name, d.msg);
	return EXIT_OK;
}

int grow_reshape(const struct grow_request *rq)
{
	const struct md_array *a = rq->a;
	struct reshape r = { .rq = rq, .old_disks = a->raid_disks };
	struct md_array fresh = { 0 };
	unsigned old_data = policy_data_members(a->level, a->raid_disks);
	unsigned new_data = policy_data_members(a->level, rq->want);
	uint64_t chunk = a->chunk_bytes / 512, new_chunk = rq->chunk_bytes / 512;
	struct diag d = { 0 };
	int rc;

	if ((rc = check_built(rq)))
		return rc;
	if (rq->want == a->raid_disks && rq->chunk_bytes == a->chunk_bytes &&
	    rq->layout == a->layout) {
		if (rq->c->verbose >= 0)
			pr_err("%s: no change requested\n", rq->name);
		return EXIT_OK;
	}
	if ((rc = check_array(rq)))
		return rc;
	r.in_place = old_data == new_data;
	if (r.in_place && (rc = check_unused(rq)))
		return rc;
	r.shift = policy_reshape_offset_shift(chunk, new_chunk, old_data, new_data);
	r.cache_need = policy_reshape_stripe_cache(a->chunk_bytes, rq->chunk_bytes);
	if (!r.shift) {
		pr_err("cannot reshape %s: no chunk size or data members known\n", rq->name);
		return EXIT_FAIL;
	}
	if (list_members(&r, a, &d)) {
		pr_err("cannot reshape %s: %s\n", rq->name, d.msg);
		rc = EXIT_FAIL;
	} else if ((rc = check_room(&r)) == 0 && (rc = rq->add(rq->c)) == 0 &&
		   (rc = load_members(&r, &fresh)) == 0) {
		if (r.in_place)
			rc = start_in_place(&r, &fresh);
		else
			rc = start(&r);
	}
	if (rc == EXIT_OK && rq->c->verbose > 0)
		pr_info("reshape of %s to %u devices, chunk %lluK, layout %u started\n", rq->name,
			rq->want, (unsigned long long)rq->chunk_bytes / 1024, rq->layout);
	md_array_free(&fresh);
	free(r.m);
	return rc;
}

int reshape_resume_prepare(const struct sysfs *s, const char *devnm, const struct sb1 *sb,
			   struct diag *d)
{
	unsigned need, now = 0;

	if (!(sb->feature_map & SB1_FEAT_RESHAPE_ACTIVE) ||
	    (sb->level != 4 && sb->level != 5 && sb->level != 6))
		return 0;
	need = policy_reshape_stripe_cache((uint64_t)sb->chunksize * 512,
					   (uint64_t)sb->new_chunk * 512);
	if (md_get_stripe_cache(s, devnm, &now, d))
		return -1;
	return now >= need ? 0 : md_set_stripe_cache(s, devnm, need, d);
}
