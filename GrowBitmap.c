/* GrowBitmap.c - --grow --bitmap=none|internal|lockless on a running array
 *
 * Removing a bitmap of either kind is online, as the kernel allows it
 * (md/bitmap/location for the classic bitmap, SET_ARRAY_INFO for the
 * lockless one, which has no location attribute).
 *
 * The kernel cannot change the bitmap type of a running array
 * (md/bitmap_type answers EBUSY while it runs), so a lockless bitmap is
 * given to an array by stopping it for the moment it takes to rewrite its
 * members' metadata, then starting it again under the same md device. Only
 * when nothing holds the array open: a mounted array is refused.
 *
 * The states written say what the array knows (bitmap_convert.c): Clean
 * where it is in sync, NeedSync where a resync is pending or a classic
 * bitmap had dirty bits; never Unwritten, which recovery would skip.
 *
 * Write order, so that a crash after any single write leaves members that
 * assemble with their data:
 *   A  a bad-block log inside the new bitmap's extent is copied behind it,
 *      then the member's superblock points at the copy (one sector each);
 *   B  the bitmap area from byte 512 on, then its first sector with the
 *      version-6 header. Until the header lands, a classic bitmap's reader
 *      sees only more bits set (state bytes are never 0): a longer resync,
 *      never a shorter one;
 *   C  for an array without a bitmap, the superblocks get the bitmap
 *      feature; the areas are complete on every member by then, so
 *      whichever member the kernel takes the bitmap from is whole.
 * Every byte overwritten is saved first; on any error it is put back and
 * the array is started as it was. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "member_set.h"
#include "bitmap_convert.h"
#include "bitmap_type.h"
#include "mapfile.h"
#include "md_ioctl.h"
#include "mdarray.h"
#include "mdkernel.h"
#include "modes.h"
#include "offline.h"
#include "util.h"

#define GB_STOP_TIMEOUT_MS 10000u

struct gb_member {
	struct asm_member *am;
	struct bconv_place place;
	struct sb1 sb_log_moved;     /* phase A superblock */
	struct sb1 sb_final;         /* phase C superblock */
	struct offline_undo undo;
};

struct gb_conv {
	struct sysfs sys;
	char devnm[MD_DEVNM_MAX];
	char node[PATH_MAX];
	const char *array;           /* as the user named it */
	char paths[ASM_MAX_MEMBERS][PATH_MAX];
	struct asm_set *set;
	struct gb_member gm[ASM_MAX_MEMBERS];
	enum bitmap_kind from;
	struct bconv_array a;
	uint64_t chunk_sectors, nchunks, need_sync;
	uint8_t *area;               /* the new bitmap area, same on every member */
	size_t area_len;
	bool written;                /* some member changed: restore on failure */
	const char *goal;            /* "a lockless bitmap" or "a classic bitmap" */
	uint64_t classic_chunk;      /* bytes, converting to the classic bitmap */
	uint64_t nbits;
	bool lower_resync;           /* sb_final's resync offset brings unsynced chunks back */
};

/* ---- stopping and starting ------------------------------------------------- */

static const char *stop_hint(const struct gb_conv *cv)
{
	return cv->from == BITMAP_KIND_LOCKLESS ? "" :
	       ", or convert it when assembling with --update=lockless-bitmap";
}

static int stop_array(struct gb_conv *cv, struct diag *d)
{
	char why[160];

	snprintf(why, sizeof(why), "%s can only be given to it while nothing uses the array for a moment",
		 cv->goal);
	return offline_stop(&cv->sys, cv->devnm, cv->node, cv->array, why, stop_hint(cv), d);
}

/* ---- loading the stopped members ------------------------------------------- */

/* Every member chosen and at the same event count: a conversion writes
 * the same bitmap to all of them, so they must agree on the array. */
static int members_usable(struct gb_conv *cv, struct diag *d)
{
	if (offline_members_agree(cv->set, cv->array, d))
		return -1;
	for (size_t i = 0; i < cv->set->n; i++)
		cv->gm[i].am = &cv->set->ms[i];
	return 0;
}

static int load_members(struct gb_conv *cv, const struct md_array *ma, struct diag *d)
{
	if (offline_load_members(&cv->sys, ma, cv->array, cv->paths, &cv->set, d))
		return -1;
	return members_usable(cv, d);
}

/* ---- planning ------------------------------------------------------------ */

/* Dirty bits of a classic bitmap, merged over every member: a bit set on
 * any of them counts. */
static int classic_bits(struct gb_conv *cv, uint8_t **bits, uint64_t *nbits, uint64_t *chunk,
			struct diag *d)
{
	*bits = NULL;
	for (size_t i = 0; i < cv->set->n; i++) {
		const struct member *m = &cv->set->ms[i].m;
		uint8_t *b;
		uint64_t n;
		struct devio io;
		int rc;

		if (devio_open(&io, m->path, d))
			return -1;
		rc = member_read_classic_bits(m, &io, &b, &n, d);
		devio_close(&io);
		if (rc)
			return -1;
		if (!*bits) {
			*bits = b;
			*nbits = n;
			*chunk = bitmap_chunk_bytes(&m->bsb);
			continue;
		}
		if (n != *nbits || bitmap_chunk_bytes(&m->bsb) != *chunk) {
			free(b);
			return diag_fail(d, "the classic bitmaps of %s differ between members: nothing was changed",
					 cv->array);
		}
		for (uint64_t j = 0; j < (n + 7) / 8; j++)
			(*bits)[j] |= b[j];
		free(b);
	}
	return 0;
}

static void fill_array(struct gb_conv *cv)
{
	const struct sb1 *sb = &cv->set->ms[cv->set->freshest].m.sb;

	memset(&cv->a, 0, sizeof(cv->a));
	cv->a.level = sb->level;
	cv->a.sync_sectors = sb->level == 10 ? member_array_sectors(sb) : sb->size;
	cv->a.resync_offset = sb->resync_offset;
	cv->a.events = sb->events;
	memcpy(cv->a.uuid, sb->set_uuid, sizeof(cv->a.uuid));
}

static int plan_members(struct gb_conv *cv, struct diag *d)
{
	for (size_t i = 0; i < cv->set->n; i++) {
		struct gb_member *g = &cv->gm[i];
		const struct sb1 *sb = &g->am->m.sb;

		if (bconv_place_lockless(sb, g->am->m.minor, &g->place, d)) {
			diag_prefix(d, "%s", g->am->path);
			return -1;
		}
		if (cv->from == BITMAP_KIND_CLASSIC && sb->bitmap_offset != g->place.bitmap_offset)
			return diag_fail(d, "%s: its classic bitmap is at offset %d, not %d: converting it is not supported",
					 g->am->path, sb->bitmap_offset, g->place.bitmap_offset);
		if ((uint64_t)g->place.extent * 512 != cv->gm[0].place.extent * 512)
			return diag_fail(d, "the members of %s need bitmap extents of different sizes",
					 cv->array);
		g->sb_log_moved = *sb;
		g->sb_log_moved.bblog_offset = g->place.bblog_offset;
		g->sb_final = g->sb_log_moved;
		g->sb_final.feature_map |= SB1_FEAT_BITMAP_OFFSET;
		g->sb_final.bitmap_offset = g->place.bitmap_offset;
	}
	return 0;
}

static int plan_area(struct gb_conv *cv, struct diag *d)
{
	uint8_t *bits = NULL, *states;
	uint64_t nbits = 0, classic_chunk = 0;
	struct bitmap_sb bsb;
	int rc;

	fill_array(cv);
	if (cv->a.sync_sectors == 0)
		return diag_fail(d, "cannot tell the size %s's bitmap must cover", cv->array);
	if (cv->from == BITMAP_KIND_CLASSIC && classic_bits(cv, &bits, &nbits, &classic_chunk, d))
		return -1;
	cv->chunk_sectors = llb_initial_chunk_sectors(cv->a.sync_sectors, BITMAP_LLB_SPACE_SECTORS);
	cv->nchunks = (cv->a.sync_sectors + cv->chunk_sectors - 1) / cv->chunk_sectors;
	cv->area_len = (size_t)cv->gm[0].place.extent * 512;
	if (LLBITMAP_DATA_OFFSET + cv->nchunks > cv->area_len) {
		free(bits);
		return diag_fail(d, "internal: %llu chunks do not fit the bitmap extent",
				 (unsigned long long)cv->nchunks);
	}
	cv->area = calloc(1, cv->area_len);
	if (!cv->area) {
		free(bits);
		return diag_errno(d, ENOMEM, "out of memory");
	}
	states = cv->area + LLBITMAP_DATA_OFFSET;
	rc = bconv_states_from_classic(&cv->a, bits, nbits, classic_chunk, cv->chunk_sectors,
				       states, cv->nchunks, &cv->need_sync, d);
	free(bits);
	if (rc)
		return -1;
	bconv_lockless_sb(&cv->a, cv->chunk_sectors, BITMAP_LLB_SPACE_SECTORS, &bsb);
	if (bitmap_sb_encode(&bsb, cv->area, cv->area_len, d))
		return -1;
	/* the header's unused tail as mdadm 4.6 leaves it: never read */
	memset(cv->area + BITMAP_SB_SIZE, 0xff, LLBITMAP_DATA_OFFSET - BITMAP_SB_SIZE);
	return 0;
}

/* ---- writing ------------------------------------------------------------ */

static uint64_t sb_byte(const struct sb1 *sb, int64_t sectors_from_sb)
{
	return (uint64_t)((int64_t)sb->super_offset + sectors_from_sb) * 512;
}

static int save_member(struct gb_conv *cv, struct gb_member *g, struct diag *d)
{
	const struct sb1 *sb = &g->am->m.sb;

	if (offline_save(&g->undo, g->am->path, sb->super_offset * 512, SB1_IO_SIZE, d) ||
	    offline_save(&g->undo, g->am->path, sb_byte(sb, g->place.bitmap_offset), cv->area_len, d))
		return -1;
	if (g->place.bblog_moves &&
	    offline_save(&g->undo, g->am->path, sb_byte(sb, g->place.bblog_offset), (size_t)sb->bblog_size * 512, d))
		return -1;
	return 0;
}

static int phase_move_log(struct gb_conv *cv, struct gb_member *g, struct diag *d)
{
	const struct sb1 *sb = &g->am->m.sb;
	size_t len = (size_t)sb->bblog_size * 512;
	uint8_t *log;
	struct devio io;
	int rc;

	if (!g->place.bblog_moves)
		return 0;
	log = malloc(len);
	if (!log)
		return diag_errno(d, ENOMEM, "out of memory");
	rc = devio_open(&io, g->am->path, d);
	if (rc == 0) {
		rc = devio_read(&io, sb_byte(sb, sb->bblog_offset), log, len, d);
		devio_close(&io);
	}
	cv->written = true;
	if (rc == 0)
		rc = offline_write(g->am->path, sb_byte(sb, g->place.bblog_offset), log, len, d);
	free(log);
	if (rc == 0)
		rc = asm_rewrite_member(g->am, &g->sb_log_moved, d);
	return rc;
}

static int phase_area(struct gb_conv *cv, struct gb_member *g, struct diag *d)
{
	uint64_t start = sb_byte(&g->am->m.sb, g->place.bitmap_offset);

	cv->written = true;
	if (offline_write(g->am->path, start + 512, cv->area + 512, cv->area_len - 512, d))
		return -1;
	offline_crash_point("area-body");
	return offline_write(g->am->path, start, cv->area, 512, d);
}

static int convert_members(struct gb_conv *cv, struct diag *d)
{
	for (size_t i = 0; i < cv->set->n; i++)
		if (save_member(cv, &cv->gm[i], d))
			return -1;
	for (size_t i = 0; i < cv->set->n; i++)
		if (phase_move_log(cv, &cv->gm[i], d))
			return -1;
	offline_crash_point("log-moved");
	for (size_t i = 0; i < cv->set->n; i++) {
		if (phase_area(cv, &cv->gm[i], d))
			return -1;
		if (i == 0)
			offline_crash_point("first-area");
	}
	offline_crash_point("areas-written");
	if (cv->from == BITMAP_KIND_NONE)
		for (size_t i = 0; i < cv->set->n; i++) {
			if (asm_rewrite_member(cv->gm[i].am, &cv->gm[i].sb_final, d))
				return -1;
			if (i == 0)
				offline_crash_point("first-feature");
		}
	return 0;
}

/* The members now carry the lockless bitmap: what assembly reads. */
static int reload_members(struct gb_conv *cv, struct diag *d)
{
	for (size_t i = 0; i < cv->set->n; i++) {
		struct asm_member *am = &cv->set->ms[i];

		if (member_load(&am->m, am->path, d) != MEMBER_OK)
			return -1;
		if (asm_bitmap_kind(&am->m) != BITMAP_KIND_LOCKLESS)
			return diag_fail(d, "%s does not read back as a lockless bitmap member",
					 am->path);
	}
	return 0;
}

static void restore_all(struct gb_conv *cv);

/* Write the planned bitmap to every member of the (stopped) set and read
 * the members back; on failure every byte written is put back. */
static int commit_lockless(struct gb_conv *cv, struct diag *d)
{
	if (convert_members(cv, d) || reload_members(cv, d)) {
		diag_prefix(d, "writing the lockless bitmap failed (the old metadata was put back)");
		if (cv->written)
			restore_all(cv);
		return -1;
	}
	pr_info("wrote a lockless bitmap to %zu members: %llu chunks of %llu KiB, %llu clean, %llu need sync\n",
		cv->set->n, (unsigned long long)cv->nchunks,
		(unsigned long long)cv->chunk_sectors / 2,
		(unsigned long long)(cv->nchunks - cv->need_sync),
		(unsigned long long)cv->need_sync);
	return 0;
}

static void restore_all(struct gb_conv *cv)
{
	bool ok = true;

	for (size_t i = cv->set->n; i-- > 0;)
		ok = offline_restore(&cv->gm[i].undo, cv->gm[i].am->path) == 0 && ok;
	if (!ok)
		pr_err("some members of %s could not be restored: they were not assembled\n",
		       cv->array);
	offline_reload_members(cv->set);
}

static void restore_all_cb(void *cv)
{
	restore_all(cv);
}

/* ---- the lockless conversion ---------------------------------------------- */

static bool lockless_offered(const struct sysfs *s, const char *devnm)
{
	struct bitmap_type_list l;

	return bitmap_type_read(s, devnm, &l, NULL) == 0 && l.offered[BITMAP_KIND_LOCKLESS];
}

static int check_convertible(const struct gb_conv *cv, const struct md_array *ma,
			     struct diag *d)
{
	if (ma->meta_major != 1 || (ma->meta_minor != 1 && ma->meta_minor != 2))
		return diag_fail(d, "%s has metadata %s: the lockless bitmap needs 1.1 or 1.2",
				 cv->array, ma->metadata);
	if (!ma->level_known || !bitmap_kind_level_allows(ma->level))
		return diag_fail(d, "%s is %s: a bitmap needs a level with redundancy (1, 4, 5, 6 or 10)",
				 cv->array, ma->level_text[0] ? ma->level_text : "of an unknown level");
	if (ma->bitmap == BITMAP_KIND_FILE || ma->bitmap == BITMAP_KIND_CLUSTERED)
		return diag_fail(d, "%s has a %s bitmap: remove it first (--bitmap=none)", cv->array,
				 ma->bitmap == BITMAP_KIND_FILE ? "file" : "clustered");
	if (ma->has_degraded && ma->degraded > 0)
		return diag_fail(d, "%s is degraded: a lockless bitmap made now could not vouch for what the missing member lacks; add it back (or a new one) and let recovery finish first",
				 cv->array);
	return offline_check_idle(&cv->sys, cv->devnm, cv->array, ma, d);
}

static int to_lockless(struct gb_conv *cv, const struct md_array *ma)
{
	struct diag d = { 0 };
	int rc = EXIT_FAIL;

	cv->from = ma->bitmap == BITMAP_KIND_CLASSIC ? BITMAP_KIND_CLASSIC : BITMAP_KIND_NONE;
	if (check_convertible(cv, ma, &d))
		goto refuse;
	if (!lockless_offered(&cv->sys, cv->devnm)) {
		diag_fail(&d, "this kernel has no lockless bitmap (md/bitmap_type does not offer llbitmap)");
		goto refuse;
	}
	/* everything that can refuse is checked before the array stops */
	if (load_members(cv, ma, &d) || plan_members(cv, &d) || plan_area(cv, &d))
		goto refuse;
	pr_info("stopping %s to give it a lockless bitmap (the kernel cannot change the bitmap type of a running array)\n",
		cv->array);
	if (stop_array(cv, &d))
		goto refuse;
	free(cv->area);
	cv->area = NULL;
	if (offline_refresh_members(cv->set, cv->array, &d) || plan_members(cv, &d) || plan_area(cv, &d)) {
		pr_err("%s\n", d.msg);
		goto restart;
	}
	if (commit_lockless(cv, &d)) {
		pr_err("%s\n", d.msg);
		goto restart;
	}
	if (offline_start_changed(&cv->sys, cv->devnm, cv->array, cv->set, "the lockless bitmap",
				  restore_all_cb, cv))
		goto restart;
	for (size_t i = 0; i < cv->set->n; i++)
		offline_forget(&cv->gm[i].undo);
	pr_info("%s is running again with a lockless bitmap\n", cv->array);
	return EXIT_OK;
restart:
	offline_restart(&cv->sys, cv->devnm, cv->array, cv->set);
	return rc;
refuse:
	pr_err("%s\n", d.msg);
	return rc;
}

/* ---- at assembly: --update=lockless-bitmap -------------------------------- */

static unsigned active_members(const struct asm_set *set)
{
	unsigned n = 0;

	for (size_t i = 0; i < set->n; i++)
		n += set->ms[i].chosen && set->ms[i].role >= 0;
	return n;
}

int convert_set_to_lockless(struct asm_set *set, const char *name, struct diag *d)
{
	const struct sb1 *sb = &set->ms[set->freshest].m.sb;
	struct gb_conv *cv;
	int rc;

	if (asm_bitmap_kind(&set->ms[set->freshest].m) == BITMAP_KIND_LOCKLESS)
		return 0;
	if (!bitmap_kind_level_allows(sb->level))
		return diag_fail(d, "%s: a bitmap needs a level with redundancy (1, 4, 5, 6 or 10)",
				 name);
	if (active_members(set) < sb->raid_disks)
		return diag_fail(d, "%s is degraded (%u of %u members): a lockless bitmap made now could not vouch for what the missing member lacks",
				 name, active_members(set), sb->raid_disks);
	cv = calloc(1, sizeof(*cv));
	if (!cv)
		return diag_errno(d, ENOMEM, "out of memory");
	cv->set = set;
	cv->array = name;
	cv->from = asm_bitmap_kind(&set->ms[set->freshest].m);
	rc = members_usable(cv, d) || plan_members(cv, d) || plan_area(cv, d) ||
	     commit_lockless(cv, d) ? -1 : 0;
	for (size_t i = 0; i < set->n; i++)
		offline_forget(&cv->gm[i].undo);
	free(cv->area);
	free(cv);
	return rc;
}

/* ---- finishing an interrupted conversion ------------------------------------ */

/* A lockless bitmap superblock at `sector` of the member that belongs to
 * its array, at its event count (written by phase B, maybe before the
 * superblock's bitmap feature was set). */
static bool lockless_area_at(const struct member *m, uint64_t byte_off, bool same_events,
			     struct bitmap_sb *out)
{
	struct devio io;
	struct diag d = { 0 };
	bool ok;

	if (devio_open(&io, m->path, &d))
		return false;
	ok = member_lockless_header_at(m, &io, byte_off, same_events, out);
	devio_close(&io);
	return ok;
}

static int copy_area(const struct asm_member *from, struct asm_member *to, size_t len,
		     struct diag *d)
{
	uint64_t src = from->m.bitmap_byte_offset;
	uint64_t dst = (uint64_t)((int64_t)to->m.sb.super_offset + from->m.sb.bitmap_offset) * 512;
	uint8_t *buf = malloc(len);
	struct devio io;
	int rc;

	if (!buf)
		return diag_errno(d, ENOMEM, "out of memory");
	rc = devio_open(&io, from->m.path, d);
	if (rc == 0) {
		rc = devio_read(&io, src, buf, len, d);
		devio_close(&io);
	}
	if (rc == 0)
		rc = offline_write(to->path, dst + 512, buf + 512, len - 512, d);
	if (rc == 0)
		rc = offline_write(to->path, dst, buf, 512, d);
	free(buf);
	return rc;
}

int finish_lockless_conversion(struct asm_set *set, struct diag *d)
{
	const struct asm_member *src = NULL;
	size_t fixed = 0;

	for (size_t i = 0; i < set->n && !src; i++)
		if (set->ms[i].chosen && asm_bitmap_kind(&set->ms[i].m) == BITMAP_KIND_LOCKLESS)
			src = &set->ms[i];
	if (!src)
		return 0;
	for (size_t i = 0; i < set->n; i++) {
		struct asm_member *am = &set->ms[i];
		enum bitmap_kind k = asm_bitmap_kind(&am->m);
		struct bconv_place p;
		struct bitmap_sb b;

		if (!am->chosen || k == BITMAP_KIND_LOCKLESS || am->m.sb.events != src->m.sb.events ||
		    memcmp(am->m.sb.set_uuid, src->m.sb.set_uuid, 16) != 0)
			continue;
		if (bconv_place_lockless(&am->m.sb, am->m.minor, &p, d))
			return -1;
		if (p.bblog_moves || p.bitmap_offset != src->m.sb.bitmap_offset)
			continue;   /* not a member of the interrupted conversion */
		if (k == BITMAP_KIND_CLASSIC) {
			/* a conversion to the lockless bitmap stopped before this
			 * member's area, or one to the classic bitmap after it */
			if (copy_area(src, am, (size_t)p.extent * 512, d))
				return -1;
		} else if (lockless_area_at(&am->m, (uint64_t)((int64_t)am->m.sb.super_offset +
								 p.bitmap_offset) * 512, true, &b)) {
			/* the area is written, the superblock not yet */
			struct sb1 sb = am->m.sb;

			sb.feature_map |= SB1_FEAT_BITMAP_OFFSET;
			sb.bitmap_offset = p.bitmap_offset;
			if (asm_rewrite_member(am, &sb, d))
				return -1;
		} else {
			continue;
		}
		if (member_load(&am->m, am->path, d) != MEMBER_OK)
			return -1;
		am->m.path = am->path;
		fixed++;
	}
	if (fixed)
		pr_info("an interrupted bitmap conversion had left %zu member%s without the lockless bitmap of the others: now they have it\n",
			fixed, fixed == 1 ? "" : "s");
	return 0;
}

/* ---- removing a bitmap (online) ------------------------------------------- */


/* After the kernel dropped a lockless bitmap, its header still lies on
 * every member; zero it so that nothing later takes the stale states for
 * a bitmap (the member's superblock no longer points there). */
static void clear_stale_lockless(struct gb_conv *cv, const struct md_array *ma,
				 const uint64_t *old_byte, size_t n)
{
	size_t cleared = 0;

	for (size_t i = 0; i < ma->nmembers && i < n; i++) {
		char path[PATH_MAX];
		struct member m;
		struct bitmap_sb b;
		struct devio io;
		struct diag d = { 0 };
		uint8_t zero[512] = { 0 };
		int64_t log_lo, log_hi, at;

		if (old_byte[i] == 0)
			continue;
		md_member_node(&cv->sys, &ma->members[i], path, sizeof(path));
		if (!path[0] || member_load(&m, path, &d) != MEMBER_OK || m.has_bitmap ||
		    !lockless_area_at(&m, old_byte[i], false, &b))
			continue;
		at = (int64_t)old_byte[i] / 512 - (int64_t)m.sb.super_offset;
		log_lo = m.sb.bblog_offset;
		log_hi = log_lo + m.sb.bblog_size;
		if (m.sb.bblog_size && at >= log_lo && at < log_hi)
			continue;
		if (devio_open_rw_shared(&io, path, &d) == 0) {
			if (devio_write(&io, old_byte[i], zero, sizeof(zero), &d) == 0 &&
			    devio_flush(&io, &d) == 0)
				cleared++;
			devio_close(&io);
		}
		if (d.msg[0])
			pr_err("warning: could not clear the old lockless bitmap header on %s: %s\n",
			       path, d.msg);
	}
	if (cleared)
		pr_info("cleared the old lockless bitmap header on %zu member%s\n", cleared,
			cleared == 1 ? "" : "s");
}

/* Where each member's bitmap starts, before it is removed (0: unknown). */
static uint64_t *bitmap_positions(struct gb_conv *cv, const struct md_array *ma)
{
	uint64_t *pos = calloc(ma->nmembers ? ma->nmembers : 1, sizeof(*pos));

	for (size_t i = 0; pos && i < ma->nmembers; i++) {
		char path[PATH_MAX];
		struct member m;
		struct diag d = { 0 };

		md_member_node(&cv->sys, &ma->members[i], path, sizeof(path));
		if (path[0] && member_load(&m, path, &d) == MEMBER_OK && m.bitmap_read &&
		    bitmap_is_lockless(&m.bsb))
			pos[i] = m.bitmap_byte_offset;
	}
	return pos;
}

static int to_none(struct gb_conv *cv, const struct md_array *ma)
{
	struct diag d = { 0 };

	if (ma->bitmap == BITMAP_KIND_NONE) {
		pr_err("%s has no bitmap\n", cv->array);
		return EXIT_FAIL;
	}
	if (ma->bitmap == BITMAP_KIND_LOCKLESS) {
		bool degraded = ma->has_degraded && ma->degraded > 0;
		uint64_t pending = llb_bits_sum(&ma->llb.bits, llb_state_needs_sync) +
				   llb_bits_sum(&ma->llb.bits, llb_state_syncing);

		if (!ma->llb.bits.ok) {
			pr_err("cannot read the lockless bitmap's chunk states of %s: not removing it\n",
			       cv->array);
			return EXIT_FAIL;
		}
		/* with every member present these chunks are what a resync
		 * still has to do; the kernel forgets them with the bitmap */
		if (pending && !degraded) {
			pr_err("%s: %llu lockless bitmap chunks still need a resync; removing the bitmap now would leave them unsynchronised. Wait for the resync (mdadm --wait) and try again\n",
			       cv->array, (unsigned long long)pending);
			return EXIT_FAIL;
		}
		uint64_t *pos = bitmap_positions(cv, ma);

		if (md_clear_bitmap_present(cv->node, &d)) {
			pr_err("%s\n", d.msg);
			free(pos);
			return EXIT_FAIL;
		}
		if (pos)
			clear_stale_lockless(cv, ma, pos, ma->nmembers);
		free(pos);
		return EXIT_OK;
	}
	if (ma->bitmap == BITMAP_KIND_CLASSIC) {
		if (md_write(&cv->sys, cv->devnm, "bitmap/location", "none", &d)) {
			pr_err("%s\n", d.msg);
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	pr_err("removing a %s bitmap is not implemented yet\n",
	       ma->bitmap == BITMAP_KIND_FILE ? "file" : "clustered");
	return EXIT_FAIL;
}

/* ---- adding a classic bitmap (online) ------------------------------------ */

/* As mdadm 4.6: the header and all-ones bits are written into the free
 * space beside each in-sync member's superblock, then md/bitmap/location
 * makes the kernel load them and record the bitmap in the superblocks.
 * Until that last write nothing points at the areas, so a power loss in
 * between leaves the array as it was. */
struct gi_member {
	char path[PATH_MAX];
	struct member m;
	struct bconv_classic place;
	uint64_t at;                 /* byte where the area starts */
	uint8_t *old;                /* what was there */
	bool written;
};

struct gi_online {
	struct gi_member *gm;
	size_t n;
	uint64_t sync_sectors;
	uint64_t chunk;
	int32_t offset;
	uint8_t *area;
	size_t area_len;
};

static int online_rw(const char *path, uint64_t off, void *buf, size_t len, bool write,
		     struct diag *d)
{
	struct devio io;
	int rc;

	if ((write ? devio_open_rw_shared(&io, path, d) : devio_open(&io, path, d)))
		return -1;
	rc = write ? devio_write(&io, off, buf, len, d) : devio_read(&io, off, buf, len, d);
	if (rc == 0 && write)
		rc = devio_flush(&io, d);
	devio_close(&io);
	return rc;
}

/* The range the bitmap covers, as mdadm 4.6 takes it from the running
 * array: the component size, for raid10 spread over the copies. */
static uint64_t online_sync_sectors(const struct md_array *ma)
{
	uint64_t s = ma->component_kib * 2;

	if (ma->level == 10) {
		uint64_t copies = (ma->layout & 0xff) * ((ma->layout >> 8) & 0xff);

		s = copies ? s * ma->raid_disks / copies : 0;
	}
	return s;
}

static bool member_in_sync(const struct md_member *mm)
{
	return (mm->flags & MDM_IN_SYNC) && !(mm->flags & MDM_FAULTY) && mm->slot >= 0;
}

static int online_plan(struct gb_conv *cv, const struct md_array *ma, struct gi_online *o,
		       uint64_t asked, struct diag *d)
{
	struct bconv_array a = { 0 };
	struct bitmap_sb b;

	o->gm = calloc(ma->nmembers ? ma->nmembers : 1, sizeof(*o->gm));
	if (!o->gm)
		return diag_errno(d, ENOMEM, "out of memory");
	o->chunk = asked;
	for (size_t i = 0; i < ma->nmembers; i++) {
		struct gi_member *g = &o->gm[o->n];

		if (!member_in_sync(&ma->members[i]))
			continue;
		md_member_node(&cv->sys, &ma->members[i], g->path, sizeof(g->path));
		if (!g->path[0])
			return diag_fail(d, "no device node for member %s of %s",
					 ma->members[i].kname, cv->array);
		if (member_load(&g->m, g->path, d) != MEMBER_OK)
			return -1;
		/* the first member's chunk is asked of the others, as mdadm 4.6 */
		if (bconv_place_classic(&g->m.sb, g->m.minor, o->sync_sectors, o->chunk,
					&g->place, d)) {
			diag_prefix(d, "%s", g->path);
			return -1;
		}
		if (o->n == 0) {
			o->chunk = g->place.chunk_bytes;
			o->offset = g->place.bitmap_offset;
			o->area_len = (size_t)g->place.area_bytes;
		} else if (g->place.bitmap_offset != o->offset) {
			return diag_fail(d, "the members of %s need the bitmap at different offsets (%d and %d sectors)",
					 cv->array, o->offset, g->place.bitmap_offset);
		}
		if (g->place.area_bytes < o->area_len)
			o->area_len = (size_t)g->place.area_bytes;
		g->at = (uint64_t)((int64_t)g->m.sb.super_offset + g->place.bitmap_offset) * 512;
		o->n++;
	}
	if (o->n == 0)
		return diag_fail(d, "%s has no in-sync member to hold a bitmap", cv->array);
	o->area = malloc(o->area_len);
	if (!o->area)
		return diag_errno(d, ENOMEM, "out of memory");
	/* what mdadm 4.6 writes: a header at events 0 (the kernel takes it
	 * as out of date), every bit set */
	memset(o->area, 0xff, o->area_len);
	a.sync_sectors = o->sync_sectors;
	memcpy(a.uuid, o->gm[0].m.sb.set_uuid, sizeof(a.uuid));
	bconv_classic_sb(&a, o->chunk, &b);
	return bitmap_sb_encode(&b, o->area, o->area_len, d);
}

static void online_restore(struct gi_online *o)
{
	for (size_t i = 0; i < o->n; i++) {
		struct gi_member *g = &o->gm[i];
		struct diag d = { 0 };

		if (g->written && online_rw(g->path, g->at, g->old, o->area_len, true, &d))
			pr_err("could not restore %zu bytes at %llu of %s: %s\n", o->area_len,
			       (unsigned long long)g->at, g->path, d.msg);
	}
}

static int online_write(struct gi_online *o, struct diag *d)
{
	for (size_t i = 0; i < o->n; i++) {
		o->gm[i].old = malloc(o->area_len);
		if (!o->gm[i].old)
			return diag_errno(d, ENOMEM, "out of memory");
		if (online_rw(o->gm[i].path, o->gm[i].at, o->gm[i].old, o->area_len, false, d))
			return -1;
	}
	for (size_t i = 0; i < o->n; i++) {
		o->gm[i].written = true;
		if (online_rw(o->gm[i].path, o->gm[i].at, o->area, o->area_len, true, d))
			return -1;
		if (i == 0)
			offline_crash_point("internal-first-area");
	}
	return 0;
}

static int online_refusal(struct gb_conv *cv, const struct md_array *ma, struct diag *d)
{
	if (ma->level_known && !bitmap_kind_level_allows(ma->level))
		return diag_fail(d, "Bitmaps not meaningful with level %s",
				 ma->level_text[0] ? ma->level_text : "of this array");
	if (ma->meta_major != 1)
		return diag_fail(d, "Internal bitmaps not supported with %s metadata",
				 ma->metadata[0] ? ma->metadata : "this");
	if (ma->has_policy && strcmp(ma->policy, "ppl") == 0)
		return diag_fail(d, "Cannot add bitmap to array with PPL");
	if (!md_has(&cv->sys, cv->devnm, "bitmap/location"))
		return diag_fail(d, "this kernel offers no md/bitmap/location for %s: cannot add a bitmap to it while it runs",
				 cv->array);
	if (!md_sync_is_idle(&cv->sys, cv->devnm))
		return diag_fail(d, "Cannot add bitmap while array is resyncing or reshaping etc.\n"
				 "mdadm: failed to set internal bitmap.");
	if (!ma->has_component || online_sync_sectors(ma) == 0)
		return diag_fail(d, "Cannot reliably determine size of array to create bitmap - sorry.");
	return 0;
}

static int to_internal_online(struct gb_conv *cv, const struct md_array *ma, uint64_t asked)
{
	struct gi_online o = { 0 };
	struct diag d = { 0 };
	char loc[32];
	int rc = EXIT_FAIL;

	if (online_refusal(cv, ma, &d))
		goto out;
	o.sync_sectors = online_sync_sectors(ma);
	if (online_plan(cv, ma, &o, asked, &d))
		goto out;
	if (online_write(&o, &d)) {
		diag_prefix(&d, "writing the bitmap failed (the old bytes were put back)");
		online_restore(&o);
		goto out;
	}
	snprintf(loc, sizeof(loc), "%+d", o.offset);
	if (md_write(&cv->sys, cv->devnm, "bitmap/location", loc, &d)) {
		online_restore(&o);
		if (d.err == EBUSY)
			diag_fail(&d, "Cannot add bitmap while array is resyncing or reshaping etc.\n"
				  "mdadm: failed to set internal bitmap.");
		else
			diag_prefix(&d, "failed to set internal bitmap");
		goto out;
	}
	rc = EXIT_OK;
out:
	if (rc != EXIT_OK)
		pr_err("%s\n", d.msg);
	for (size_t i = 0; o.gm && i < o.n; i++)
		free(o.gm[i].old);
	free(o.gm);
	free(o.area);
	return rc;
}

/* ---- lockless -> classic (the array stopped for a moment) ----------------- */

/* The kernel cannot switch a running array's bitmap type, so the array
 * stops, each member's lockless area is turned into a classic one in
 * place, and the array starts again. Write order:
 *   1  when some chunk is not known in sync, every superblock's resync
 *      offset is lowered to its start (more resync under either bitmap:
 *      a classic bitmap's set bits are only resynced from there on);
 *   2  per member, the classic bits (bytes 512-1023, which the lockless
 *      reader ignores), then the sector with the version-4 header: one
 *      write turns a whole lockless member into a whole classic one.
 * A power loss leaves members of either kind; the next --assemble copies
 * the lockless area back onto the converted ones
 * (finish_lockless_conversion), after which the conversion can be run
 * again. */

static int merge_states(struct gb_conv *cv, uint8_t **merged, struct diag *d)
{
	*merged = NULL;
	for (size_t i = 0; i < cv->set->n; i++) {
		const struct member *m = &cv->set->ms[i].m;
		uint8_t *st;
		uint64_t n;
		struct devio io;
		int rc;

		if (!m->has_bitmap || !m->bitmap_read || !bitmap_is_lockless(&m->bsb) ||
		    bitmap_first_use(&m->bsb))
			return diag_fail(d, "%s has no initialised lockless bitmap: nothing was changed",
					 m->path);
		if (m->sb.bitmap_offset != cv->set->ms[0].m.sb.bitmap_offset)
			return diag_fail(d, "the lockless bitmaps of %s lie at different offsets: nothing was changed",
					 cv->array);
		if (devio_open(&io, m->path, d))
			return -1;
		rc = member_read_llb_states(m, &io, &st, &n, d);
		devio_close(&io);
		if (rc)
			return -1;
		if (!*merged) {
			*merged = st;
			cv->nchunks = n;
			cv->chunk_sectors = m->bsb.chunksize;
			continue;
		}
		if (n != cv->nchunks || m->bsb.chunksize != cv->chunk_sectors) {
			free(st);
			return diag_fail(d, "the lockless bitmaps of %s differ between members: nothing was changed",
					 cv->array);
		}
		for (uint64_t j = 0; j < n; j++)
			if (bconv_state_unsynced(cv->a.level, st[j]))
				(*merged)[j] = LLB_NEED_SYNC;
		free(st);
	}
	return 0;
}

static int plan_internal(struct gb_conv *cv, uint64_t asked, struct diag *d)
{
	uint8_t *states = NULL;
	uint64_t resync;
	int rc;

	fill_array(cv);
	if (cv->a.sync_sectors == 0)
		return diag_fail(d, "cannot tell the size %s's bitmap must cover", cv->array);
	free(cv->area);
	cv->area_len = BCONV_IN_PLACE_BYTES;
	cv->area = malloc(cv->area_len);
	if (!cv->area)
		return diag_errno(d, ENOMEM, "out of memory");
	if (merge_states(cv, &states, d) ||
	    bconv_in_place_chunk(cv->a.sync_sectors, asked, &cv->classic_chunk, d)) {
		free(states);
		return -1;
	}
	rc = bconv_classic_area_from_states(&cv->a, states, cv->nchunks, cv->chunk_sectors,
					    cv->classic_chunk, cv->area, cv->area_len,
					    &cv->nbits, &cv->need_sync, d);
	resync = bconv_resync_offset_from_states(&cv->a, states, cv->nchunks, cv->chunk_sectors);
	free(states);
	if (rc)
		return -1;
	cv->lower_resync = false;
	for (size_t i = 0; i < cv->set->n; i++) {
		struct gb_member *g = &cv->gm[i];

		g->sb_final = g->am->m.sb;
		if (resync < g->sb_final.resync_offset) {
			g->sb_final.resync_offset = resync;
			cv->lower_resync = true;
		}
	}
	return 0;
}

static int convert_to_internal(struct gb_conv *cv, struct diag *d)
{
	for (size_t i = 0; i < cv->set->n; i++) {
		struct gb_member *g = &cv->gm[i];
		const struct sb1 *sb = &g->am->m.sb;

		if (offline_save(&g->undo, g->am->path, sb->super_offset * 512, SB1_IO_SIZE, d) ||
		    offline_save(&g->undo, g->am->path, g->am->m.bitmap_byte_offset, cv->area_len, d))
			return -1;
	}
	if (cv->lower_resync) {
		for (size_t i = 0; i < cv->set->n; i++) {
			cv->written = true;
			if (asm_rewrite_member(cv->gm[i].am, &cv->gm[i].sb_final, d))
				return -1;
		}
		offline_crash_point("internal-resync-offset");
	}
	for (size_t i = 0; i < cv->set->n; i++) {
		struct gb_member *g = &cv->gm[i];
		uint64_t at = g->am->m.bitmap_byte_offset;

		cv->written = true;
		if (offline_write(g->am->path, at + 512, cv->area + 512, cv->area_len - 512, d))
			return -1;
		if (i == 0)
			offline_crash_point("internal-first-bits");
		if (offline_write(g->am->path, at, cv->area, 512, d))
			return -1;
		if (i == 0)
			offline_crash_point("internal-first-header");
	}
	offline_crash_point("internal-headers-written");
	for (size_t i = 0; i < cv->set->n; i++) {
		struct asm_member *am = &cv->set->ms[i];

		if (member_load(&am->m, am->path, d) != MEMBER_OK)
			return -1;
		am->m.path = am->path;
		if (asm_bitmap_kind(&am->m) != BITMAP_KIND_CLASSIC)
			return diag_fail(d, "%s does not read back as a classic bitmap member",
					 am->path);
	}
	return 0;
}

static int internal_refusal(const struct gb_conv *cv, const struct md_array *ma,
			    struct diag *d)
{
	if (ma->has_degraded && ma->degraded > 0)
		return diag_fail(d, "%s is degraded: its members would be converted without the missing one; add it back (or a new one) and let recovery finish first",
				 cv->array);
	return offline_check_idle(&cv->sys, cv->devnm, cv->array, ma, d);
}

static int lockless_to_internal(struct gb_conv *cv, const struct md_array *ma, uint64_t asked)
{
	struct diag d = { 0 };

	cv->goal = "a classic bitmap";
	cv->from = BITMAP_KIND_LOCKLESS;
	if (internal_refusal(cv, ma, &d) || load_members(cv, ma, &d) ||
	    plan_internal(cv, asked, &d)) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	pr_info("stopping %s to give it a classic bitmap (the kernel cannot change the bitmap type of a running array)\n",
		cv->array);
	if (stop_array(cv, &d)) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	/* the states as the stop left them are the ones to carry over */
	if (offline_refresh_members(cv->set, cv->array, &d) || plan_internal(cv, asked, &d)) {
		pr_err("%s\n", d.msg);
		goto restart;
	}
	if (convert_to_internal(cv, &d)) {
		pr_err("writing the classic bitmap failed (the old metadata was put back): %s\n",
		       d.msg);
		if (cv->written)
			restore_all(cv);
		goto restart;
	}
	pr_info("wrote a classic bitmap to %zu members: %llu bits of %llu KiB, %llu set\n",
		cv->set->n, (unsigned long long)cv->nbits,
		(unsigned long long)cv->classic_chunk / 1024,
		(unsigned long long)cv->need_sync);
	if (offline_start_changed(&cv->sys, cv->devnm, cv->array, cv->set, "the classic bitmap",
				  restore_all_cb, cv))
		goto restart;
	for (size_t i = 0; i < cv->set->n; i++)
		offline_forget(&cv->gm[i].undo);
	pr_info("%s is running again with a classic bitmap\n", cv->array);
	return EXIT_OK;
restart:
	offline_restart(&cv->sys, cv->devnm, cv->array, cv->set);
	return EXIT_FAIL;
}

/* ---- entry ---------------------------------------------------------------- */

int grow_bitmap(const struct cmdline *c, const char *array, const char *kind)
{
	uint64_t asked = c && cmd_has(c, OPT_BITMAP_CHUNK) ?
			 (uint64_t)cmd_num(c, OPT_BITMAP_CHUNK) * 512 : 0;
	struct gb_conv *cv;
	struct md_array ma;
	enum bitmap_kind want;
	struct diag d = { 0 };
	int rc = EXIT_FAIL;

	if (bitmap_kind_parse(kind, &want, &d)) {
		pr_err("%s\n", d.msg);
		return EXIT_USAGE;
	}
	if (asked && want != BITMAP_KIND_CLASSIC) {
		pr_err("--bitmap-chunk applies only to --bitmap=internal\n");
		return EXIT_USAGE;
	}
	cv = calloc(1, sizeof(*cv));
	if (!cv) {
		pr_err("out of memory\n");
		return EXIT_FAIL;
	}
	sysfs_init(&cv->sys);
	cv->array = array;
	cv->goal = "a lockless bitmap";
	memset(&ma, 0, sizeof(ma));
	if (md_find_array(&cv->sys, array, cv->devnm, sizeof(cv->devnm), &d) ||
	    md_array_load(&cv->sys, NULL, cv->devnm, &ma, &d)) {
		pr_err("%s\n", d.msg);
		goto out;
	}
	md_node_path(&cv->sys, cv->devnm, cv->node, sizeof(cv->node));
	if (!ma.active) {
		pr_err("%s is not active\n", array);
		goto out;
	}
	switch (want) {
	case BITMAP_KIND_NONE:
		rc = to_none(cv, &ma);
		break;
	case BITMAP_KIND_LOCKLESS:
		if (ma.bitmap == BITMAP_KIND_LOCKLESS) {
			pr_err("%s already has a lockless bitmap\n", array);
			break;
		}
		rc = to_lockless(cv, &ma);
		break;
	case BITMAP_KIND_CLASSIC:
		if (ma.bitmap == BITMAP_KIND_NONE)
			rc = to_internal_online(cv, &ma, asked);
		else if (ma.bitmap == BITMAP_KIND_LOCKLESS)
			rc = lockless_to_internal(cv, &ma, asked);
		else
			pr_err("bitmap already present on %s\n", array);
		break;
	default:
		pr_err("--grow --bitmap=%s is not implemented yet in this version of mdadm\n", kind);
		break;
	}
out:
	md_array_free(&ma);
	if (cv->set)
		for (size_t i = 0; i < cv->set->n; i++)
			offline_forget(&cv->gm[i].undo);
	free(cv->set);              /* grow_bitmap's own set */
	free(cv->area);
	free(cv);
	return rc;
}
