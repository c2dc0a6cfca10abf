/* member_set.c - the members of one existing array: choosing them, counting
 * whether they are enough, and handing them to the kernel */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "member_set.h"
#include "bitmap.h"
#include "bitmap_type.h"
#include "mdkernel.h"
#include "policy.h"
#include "util.h"

struct asm_set *asm_set_new(size_t cap)
{
	struct asm_set *set;

	if (cap > ASM_MAX_MEMBERS)
		cap = ASM_MAX_MEMBERS;
	set = calloc(1, sizeof(*set) + cap * sizeof(set->ms[0]));
	if (set)
		set->cap = cap;
	return set;
}

int asm_add(struct asm_set *set, const char *path, const struct member *m,
	    const struct sysfs *s, struct diag *d)
{
	struct asm_member *am;

	if (set->n >= set->cap)
		return diag_fail(d, "too many members (limit %zu)", set->cap);
	am = &set->ms[set->n];
	memset(am, 0, sizeof(*am));
	am->path = path;
	am->m = *m;
	am->m.path = path;
	if (blockdev_identify(path, am->kname, sizeof(am->kname), &am->rdev, s, d))
		return -1;
	for (size_t i = 0; i < set->n; i++)
		if (set->ms[i].rdev == am->rdev)
			return diag_fail(d, "%s is listed twice (also as %s)", path, set->ms[i].path);
	set->n++;
	return 0;
}

static int role_of(const struct sb1 *freshest, const struct sb1 *sb)
{
	uint16_t r;

	if (sb->dev_number >= freshest->max_dev || sb->dev_number >= SB1_MAX_DEV)
		return -1;
	r = freshest->dev_roles[sb->dev_number];
	return r <= SB1_ROLE_MAX && r < freshest->raid_disks ? r : -1;
}

void asm_choose(struct asm_set *set)
{
	uint64_t best = 0;

	set->freshest = 0;
	for (size_t i = 0; i < set->n; i++)
		if (set->ms[i].m.sb.events > best) {
			best = set->ms[i].m.sb.events;
			set->freshest = i;
		}
	for (size_t i = 0; i < set->n; i++) {
		struct asm_member *am = &set->ms[i];
		const struct sb1 *fresh = &set->ms[set->freshest].m.sb;

		uint16_t own = sb1_role(&am->m.sb);

		am->role = role_of(fresh, &am->m.sb);
		am->chosen = true;
		am->forced = false;
		am->why_not = NULL;
		/* stale: behind, and either the freshest or its own superblock
		 * gives it a slot (a member dropped while the array ran
		 * degraded is no longer a working slot in the fresher ones) */
		if ((am->role >= 0 || (own <= SB1_ROLE_MAX && own < am->m.sb.raid_disks)) &&
		    am->m.sb.events + 1 < best) {
			am->chosen = false;
			am->why_not = "stale (its event count is behind the others)";
		}
	}
	/* one member per slot: keep the freshest */
	for (size_t i = 0; i < set->n; i++)
		for (size_t j = 0; j < set->n; j++) {
			struct asm_member *a = &set->ms[i], *b = &set->ms[j];

			if (i == j || !a->chosen || !b->chosen || a->role < 0 || a->role != b->role)
				continue;
			if (a->m.sb.events < b->m.sb.events || (a->m.sb.events == b->m.sb.events && i > j)) {
				a->chosen = false;
				a->why_not = "another member with the same slot is fresher";
			}
		}
}

/* The slot a member's own superblock gives it within the freshest's
 * array, or -1. */
static int own_slot(const struct sb1 *freshest, const struct sb1 *sb)
{
	uint16_t r = sb1_role(sb);

	return r <= SB1_ROLE_MAX && r < freshest->raid_disks ? r : -1;
}

/* a chosen member holds that slot already */
static bool slot_taken(const struct asm_set *set, int slot)
{
	for (size_t i = 0; slot >= 0 && i < set->n; i++)
		if (set->ms[i].chosen && set->ms[i].role == slot)
			return true;
	return false;
}

static bool partly_rebuilt(const struct sb1 *sb)
{
	return (sb->feature_map & SB1_FEAT_RECOVERY_OFFSET) && sb->recovery_offset != SB1_MAX_SECTOR;
}

unsigned asm_force_plan(struct asm_set *set)
{
	const struct sb1 *fresh = &set->ms[set->freshest].m.sb;
	struct force_member *fm = calloc(set->n ? set->n : 1, sizeof(*fm));
	unsigned forced;

	if (!fm)
		return 0;
	for (size_t i = 0; i < set->n; i++) {
		struct asm_member *am = &set->ms[i];

		/* up to date, but the freshest records it as failed: its own
		 * superblock's slot counts (the role is written back later) */
		if (am->chosen && am->role < 0 && !slot_taken(set, own_slot(fresh, &am->m.sb)))
			am->role = own_slot(fresh, &am->m.sb);
		fm[i] = (struct force_member){
			.events = am->m.sb.events,
			.slot = am->role >= 0 ? am->role : own_slot(fresh, &am->m.sb),
			.recovering = partly_rebuilt(&am->m.sb),
			.uptodate = am->chosen,
		};
	}
	forced = policy_force_stale(fresh->level, fresh->raid_disks, fresh->layout, fm, set->n);
	for (size_t i = 0; i < set->n; i++) {
		struct asm_member *am = &set->ms[i];

		if (!fm[i].forced)
			continue;
		am->chosen = am->forced = true;
		am->role = fm[i].slot;
		am->why_not = NULL;
	}
	free(fm);
	return forced;
}

uint16_t asm_wanted_role(const struct asm_set *set, size_t i)
{
	int role = set->ms[i].role;

	return role >= 0 ? (uint16_t)role : SB1_ROLE_SPARE;
}

void asm_count(const struct asm_set *set, struct asm_count *c)
{
	const struct sb1 *fresh = &set->ms[set->freshest].m.sb;
	bool present[SB1_MAX_DEV] = { false };

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < set->n; i++) {
		const struct asm_member *am = &set->ms[i];

		if (!am->chosen)
			continue;
		if (am->role >= 0 && (am->m.sb.feature_map & SB1_FEAT_RECOVERY_OFFSET)) {
			/* md resumes its recovery: counted, not in sync */
			c->rebuilding++;
		} else if (am->role >= 0) {
			c->active++;
			present[am->role] = true;
		} else {
			c->spares++;
		}
	}
	for (unsigned i = 0; i < fresh->max_dev && i < SB1_MAX_DEV; i++)
		if (fresh->dev_roles[i] <= SB1_ROLE_MAX && fresh->dev_roles[i] < fresh->raid_disks)
			c->expected++;
	c->clean = fresh->resync_offset == SB1_MAX_SECTOR;
	c->enough = fresh->raid_disks <= SB1_MAX_DEV &&
		    policy_enough(fresh->level, fresh->raid_disks, fresh->layout, present);
	c->unclean_degraded = !c->clean &&
			      policy_force_marks_clean(fresh->level, fresh->raid_disks, c->active);
}

enum bitmap_kind asm_bitmap_kind(const struct member *m)
{
	if (!m->has_bitmap)
		return BITMAP_KIND_NONE;
	/* an unreadable bitmap is left to the kernel's default backend */
	if (!m->bitmap_read)
		return BITMAP_KIND_CLASSIC;
	return bitmap_kind_of_version(m->bsb.version);
}

int asm_load_members(const struct sysfs *s, const char *devnm, struct asm_set *set,
		     struct diag *d)
{
	const struct asm_member *fresh = &set->ms[set->freshest];
	struct md_start_member members[ASM_MAX_MEMBERS];
	struct md_start st = {
		.minor = fresh->m.minor,
		.v090 = fresh->m.v090,
		.bitmap = asm_bitmap_kind(&fresh->m),
		.members = members,
		.lbs = fresh->m.sb.logical_block_size,
	};

	/* the freshest last, as mdadm 4.6 does: among members with equal event
	 * counts md takes the array's state (clean or not, from the one --force
	 * may have marked clean) from the member given last */
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < set->n; i++) {
			const struct asm_member *am = &set->ms[i];

			if (am->chosen && (pass == 1) == (i == set->freshest))
				members[st.nmembers++] = (struct md_start_member){ am->rdev, am->path };
		}
	return md_array_prepare(s, devnm, &st, d);
}

/* Chunks the lockless bitmap marks as needing a resync; 0 when unknown. */
static uint64_t llb_pending_sync(const struct sysfs *s, const char *devnm)
{
	struct llb_bits bits;

	if (md_get_llb_bits(s, devnm, &bits, NULL))
		return 0;
	return llb_bits_sum(&bits, llb_state_needs_sync);
}

/* Linux 7.2: after a crash, when md had already marked its superblock
 * clean, the kernel loads dirty chunks as need-sync but starts no resync
 * for them; they would stay unsynchronised. Ask for the resync. */
struct md_ref {
	const struct sysfs *s;
	const char *devnm;
};

static bool sync_running_or_done(const void *arg)
{
	const struct md_ref *r = arg;

	/* unreadable counts as running: nothing more to wait for */
	return !md_sync_is_idle(r->s, r->devnm) || llb_pending_sync(r->s, r->devnm) == 0;
}

void asm_resync_pending(const struct sysfs *s, const char *devnm)
{
	struct md_ref ref = { s, devnm };
	struct diag d = { 0 };
	uint64_t pending = llb_pending_sync(s, devnm), degraded = 0;

	/* a degraded array cannot resync; recovery will handle those chunks */
	if (md_read_u64(s, devnm, "degraded", &degraded, NULL) == 0 && degraded > 0)
		return;
	/* give the kernel a moment to start the resync it may have planned */
	if (pending == 0 || poll_until(sync_running_or_done, &ref, 1500, 50))
		return;
	pending = llb_pending_sync(s, devnm);
	/* "resync" alone does nothing while md believes the array is in sync
	 * (resync_start "none"); rewinding resync_start, which the kernel
	 * only allows while frozen, makes it run a resync pass, and the
	 * lockless bitmap limits that pass to the need-sync chunks */
	if (md_sync_freeze(s, devnm, &d) != 0) {
		fprintf(stderr, "mdadm: %s: warning: %llu lockless bitmap chunks need a resync and it could not be started: %s\n",
			devnm, (unsigned long long)pending, d.msg);
		return;
	}
	if (md_sync_resync_from_start(s, devnm, &d) == 0) {
		fprintf(stderr, "mdadm: %s: %llu lockless bitmap chunks need a resync the kernel did not start; resync requested\n",
			devnm, (unsigned long long)pending);
		return;
	}
	fprintf(stderr, "mdadm: %s: warning: %llu lockless bitmap chunks need a resync and it could not be started: %s\n",
		devnm, (unsigned long long)pending, d.msg);
	/* frozen, the array would never resync or recover again */
	if (md_sync_unfreeze(s, devnm, &d) != 0)
		fprintf(stderr, "mdadm: %s: warning: recovery stays frozen (%s); write 'idle' to md/sync_action to release it\n",
			devnm, d.msg);
}

int asm_start(const struct sysfs *s, const char *devnm, const struct asm_set *set,
	      enum asm_start how, struct diag *d)
{
	static const enum md_array_state states[] = {
		[ASM_START_RW] = MD_STATE_ACTIVE,
		[ASM_START_RO] = MD_STATE_READONLY,
		[ASM_START_AUTO_RO] = MD_STATE_READ_AUTO,
	};
	int rc;

	(void)set;
	rc = md_array_run(s, devnm, states[how], d);
	if (rc)
		return rc;
	if (how == ASM_START_RW)
		asm_resync_pending(s, devnm);
	return 0;
}

int asm_rewrite_member(struct asm_member *am, const struct sb1 *sb, struct diag *d)
{
	uint8_t buf[SB1_IO_SIZE];
	struct devio io;
	struct sb1 copy = *sb;
	int rc;

	if (am->m.v090)
		return diag_errno(d, EOPNOTSUPP, "%s: rewriting a 0.90 superblock is not implemented yet for 0.90 in this version of mdadm",
				  am->path);
	if (devio_open_rw_excl(&io, am->path, d))
		return -1;
	rc = devio_read(&io, copy.super_offset * 512, buf, sizeof(buf), d);
	sb1_set_csum(&copy);
	if (rc == 0)
		rc = sb1_encode(&copy, buf, sizeof(buf), d);
	if (rc == 0)
		rc = devio_write(&io, copy.super_offset * 512, buf, sizeof(buf), d);
	if (rc == 0 && memcmp(copy.set_uuid, am->m.sb.set_uuid, 16) != 0 && am->m.bitmap_read) {
		struct bitmap_sb b = am->m.bsb;
		uint8_t bbuf[BITMAP_SB_SIZE];

		memcpy(b.uuid, copy.set_uuid, 16);
		rc = devio_read(&io, am->m.bitmap_byte_offset, bbuf, sizeof(bbuf), d);
		if (rc == 0)
			rc = bitmap_sb_encode(&b, bbuf, sizeof(bbuf), d);
		if (rc == 0)
			rc = devio_write(&io, am->m.bitmap_byte_offset, bbuf, sizeof(bbuf), d);
	}
	if (rc == 0)
		rc = devio_flush(&io, d);
	devio_close(&io);
	if (rc == 0) {
		am->m.sb = copy;
		if (am->m.bitmap_read)
			memcpy(am->m.bsb.uuid, copy.set_uuid, 16);
	}
	return rc;
}
