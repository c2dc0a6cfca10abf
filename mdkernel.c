/* mdkernel.c - the md protocol in one place: array state, start, stop */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "bitmap_type.h"
#include "mdkernel.h"

/* the kernel retries nothing; an opener (udev's blkid right after a start
 * or a stop) usually lets go within a second */
#define STOP_BUSY_TRIES 25
#define STOP_BUSY_WAIT_MS 200
#define STOP_GONE_TIMEOUT_MS 5000u

static const char *const state_words[MD_STATE_COUNT] = {
	[MD_STATE_CLEAR] = "clear",
	[MD_STATE_INACTIVE] = "inactive",
	[MD_STATE_SUSPENDED] = "suspended",
	[MD_STATE_READONLY] = "readonly",
	[MD_STATE_READ_AUTO] = "read-auto",
	[MD_STATE_CLEAN] = "clean",
	[MD_STATE_ACTIVE] = "active",
	[MD_STATE_WRITE_PENDING] = "write-pending",
	[MD_STATE_ACTIVE_IDLE] = "active-idle",
	[MD_STATE_BROKEN] = "broken",
};

int md_array_state_parse(const char *word, enum md_array_state *st)
{
	for (int i = 0; i < MD_STATE_COUNT; i++)
		if (strcmp(word, state_words[i]) == 0) {
			*st = (enum md_array_state)i;
			return 0;
		}
	return -EINVAL;
}

const char *md_array_state_word(enum md_array_state st)
{
	return (unsigned)st < MD_STATE_COUNT ? state_words[st] : "unknown";
}

bool md_array_state_active(enum md_array_state st)
{
	return st != MD_STATE_CLEAR && st != MD_STATE_INACTIVE;
}

bool md_array_state_in_sync(enum md_array_state st)
{
	return st == MD_STATE_CLEAN || st == MD_STATE_READONLY || st == MD_STATE_READ_AUTO ||
	       st == MD_STATE_BROKEN;
}

bool md_array_state_word_read_only(const char *word)
{
	enum md_array_state st;

	return md_array_state_parse(word, &st) == 0 &&
	       (st == MD_STATE_READONLY || st == MD_STATE_READ_AUTO);
}

int md_get_component_kib(const struct sysfs *s, const char *devnm, uint64_t *kib,
			 struct diag *d)
{
	*kib = 0;
	return md_read_u64(s, devnm, "component_size", kib, d);
}

int md_get_llb_bits(const struct sysfs *s, const char *devnm, struct llb_bits *bits,
		    struct diag *d)
{
	char buf[1024];

	memset(bits, 0, sizeof(*bits));
	if (md_read(s, devnm, "llbitmap/bits", buf, sizeof(buf), d))
		return -1;
	(void)llb_bits_parse(buf, bits, NULL);
	return 0;
}

int md_get_array_state(const struct sysfs *s, const char *devnm, enum md_array_state *st,
		       struct diag *d)
{
	char word[32];
	int rc = md_read(s, devnm, "array_state", word, sizeof(word), d);

	if (rc)
		return rc;
	if (md_array_state_parse(word, st))
		return diag_errno(d, EINVAL, "unexpected md/array_state '%s' of %s", word, devnm);
	return 0;
}

int md_set_array_state(const struct sysfs *s, const char *devnm, enum md_array_state st,
		       struct diag *d)
{
	if ((unsigned)st >= MD_STATE_COUNT)
		return diag_errno(d, EINVAL, "no such array state %d", (int)st);
	return md_write(s, devnm, "array_state", state_words[st], d);
}

bool md_array_is_active(const struct sysfs *s, const char *devnm)
{
	enum md_array_state st;

	return md_present(s, devnm) && md_get_array_state(s, devnm, &st, NULL) == 0 &&
	       md_array_state_active(st);
}

int md_notify_udev(const struct sysfs *s, const char *devnm, struct diag *d)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "block/%s/uevent", devnm);
	if (!sysfs_exists(s, rel))
		return 0;
	return sysfs_write(s, rel, "change", d);
}

/* ---- starting ------------------------------------------------------------------ */

int md_add_member(const struct sysfs *s, const char *devnm, dev_t rdev, struct diag *d)
{
	char num[32];

	snprintf(num, sizeof(num), "%u:%u", major(rdev), minor(rdev));
	return md_write(s, devnm, "new_dev", num, d);
}

static int set_logical_block_size(const struct sysfs *s, const char *devnm,
				  const struct md_start *st, struct diag *d)
{
	char val[16];

	/* the kernel refuses values not above the md device's current one
	 * (512 fails with EINVAL); the superblock carries the value anyway */
	if (st->lbs == 0 || st->lbs <= md_queue_lbs(s, devnm))
		return 0;
	if (!md_has(s, devnm, "logical_block_size")) {
		if (!st->lbs_required)
			return 0;   /* an older kernel runs the array with its own */
		return diag_errno(d, EOPNOTSUPP, "this kernel cannot set an array's logical block size (md/logical_block_size appeared in Linux 6.19)");
	}
	snprintf(val, sizeof(val), "%u", st->lbs);
	return md_write(s, devnm, "logical_block_size", val, d);
}

int md_array_prepare(const struct sysfs *s, const char *devnm, const struct md_start *st,
		     struct diag *d)
{
	char mv[8];
	int rc;

	if (st->v090)
		snprintf(mv, sizeof(mv), "0.90");
	else
		snprintf(mv, sizeof(mv), "1.%d", st->minor);
	rc = md_write(s, devnm, "metadata_version", mv, d);
	if (rc)
		return rc;
	if (bitmap_type_set(s, devnm, st->bitmap, d))
		return d && d->err ? -d->err : -EINVAL;
	for (size_t i = 0; i < st->nmembers; i++) {
		const struct md_start_member *m = &st->members[i];

		rc = md_add_member(s, devnm, m->rdev, d);
		if (rc) {
			diag_prefix(d, "the kernel refused %s", m->path);
			return rc;
		}
	}
	return set_logical_block_size(s, devnm, st, d);
}

int md_array_run(const struct sysfs *s, const char *devnm, enum md_array_state how,
		 struct diag *d)
{
	enum md_array_state now;
	int rc = md_set_array_state(s, devnm, how, d);

	if (rc)
		return rc;
	rc = md_get_array_state(s, devnm, &now, d);
	if (rc)
		return rc;
	if (!md_array_state_active(now))
		return diag_errno(d, EIO, "the kernel did not start %s (array_state %s)", devnm,
				  md_array_state_word(now));
	return 0;
}

int md_array_start(const struct sysfs *s, const char *devnm, const struct md_start *st,
		   enum md_array_state how, struct diag *d)
{
	int rc = md_array_prepare(s, devnm, st, d);

	return rc ? rc : md_array_run(s, devnm, how, d);
}

/* ---- taking apart ---------------------------------------------------------------- */

static void pause_ms(unsigned ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

int md_array_stop(const struct sysfs *s, const char *devnm, struct diag *d)
{
	enum md_array_state st;
	int rc = 0;

	for (int i = 0; i < STOP_BUSY_TRIES; i++) {
		rc = md_set_array_state(s, devnm, MD_STATE_CLEAR, d);
		if (rc != -EBUSY)
			break;
		pause_ms(STOP_BUSY_WAIT_MS);
	}
	if (rc)
		return rc;
	if (md_wait_gone(s, devnm, STOP_GONE_TIMEOUT_MS, NULL) == 0)
		return 0;
	/* an md device that stays (async deletion) but reads clear is stopped */
	if (md_get_array_state(s, devnm, &st, NULL) != 0 || st == MD_STATE_CLEAR)
		return 0;
	return diag_errno(d, ETIMEDOUT, "it is still %s", md_array_state_word(st));
}

/* ---- the shape and policies of a running array ---------------------------- */

/* A number to an md attribute. */
static int md_write_u64(const struct sysfs *s, const char *devnm, const char *attr, uint64_t v,
			struct diag *d)
{
	char val[24];

	snprintf(val, sizeof(val), "%llu", (unsigned long long)v);
	return md_write(s, devnm, attr, val, d);
}

int md_set_raid_disks(const struct sysfs *s, const char *devnm, unsigned n, struct diag *d)
{
	return md_write_u64(s, devnm, "raid_disks", n, d);
}

int md_set_new_chunk(const struct sysfs *s, const char *devnm, uint64_t bytes, struct diag *d)
{
	return md_write_u64(s, devnm, "chunk_size", bytes, d);
}

int md_set_new_layout(const struct sysfs *s, const char *devnm, uint32_t layout, struct diag *d)
{
	return md_write_u64(s, devnm, "layout", layout, d);
}

int md_set_sync_max(const struct sysfs *s, const char *devnm, uint64_t sectors, struct diag *d)
{
	return md_write_u64(s, devnm, "sync_max", sectors, d);
}

int md_set_sync_max_unlimited(const struct sysfs *s, const char *devnm, struct diag *d)
{
	return md_write(s, devnm, "sync_max", "max", d);
}

/* ---- reshapes of RAID4/5/6 ------------------------------------------------ */

static int parse_sectors(const char *text, const char *what, uint64_t *v, struct diag *d)
{
	char *end;

	errno = 0;
	*v = strtoull(text, &end, 10);
	if (errno || end == text || *end)
		return diag_errno(d, EINVAL, "unexpected value '%s' in %s", text, what);
	return 0;
}

int md_member_get_offsets(const struct sysfs *s, const char *devnm, const char *kname,
			  uint64_t *offset, uint64_t *new_offset, struct diag *d)
{
	char buf[32];
	int rc;

	if ((rc = md_member_read(s, devnm, kname, "offset", buf, sizeof(buf), d)) ||
	    (rc = parse_sectors(buf, "dev-X/offset", offset, d)) ||
	    (rc = md_member_read(s, devnm, kname, "new_offset", buf, sizeof(buf), d)) ||
	    (rc = parse_sectors(buf, "dev-X/new_offset", new_offset, d)))
		return rc;
	return 0;
}

int md_member_set_new_offset(const struct sysfs *s, const char *devnm, const char *kname,
			     uint64_t sectors, struct diag *d)
{
	uint64_t off = 0, now = 0;
	char val[32];
	int rc;

	snprintf(val, sizeof(val), "%llu", (unsigned long long)sectors);
	if ((rc = md_member_write(s, devnm, kname, "new_offset", val, d)) ||
	    (rc = md_member_get_offsets(s, devnm, kname, &off, &now, d)))
		return rc;
	if (now != sectors)
		return diag_errno(d, EIO, "the kernel kept the new data offset of %s at %llu after writing %s",
				  kname, (unsigned long long)now, val);
	return 0;
}

int md_get_stripe_cache(const struct sysfs *s, const char *devnm, unsigned *n, struct diag *d)
{
	uint64_t v = 0;
	int rc = md_read_u64(s, devnm, "stripe_cache_size", &v, d);

	if (rc)
		return rc;
	if (v > UINT32_MAX)
		return diag_errno(d, ERANGE, "md/stripe_cache_size of %s reads %llu", devnm,
				  (unsigned long long)v);
	*n = (unsigned)v;
	return 0;
}

int md_set_stripe_cache(const struct sysfs *s, const char *devnm, unsigned n, struct diag *d)
{
	char val[16];
	unsigned back = 0;
	int rc;

	snprintf(val, sizeof(val), "%u", n);
	if ((rc = md_write(s, devnm, "stripe_cache_size", val, d)) ||
	    (rc = md_get_stripe_cache(s, devnm, &back, d)))
		return rc;
	if (back != n)
		return diag_errno(d, EIO, "the kernel kept md/stripe_cache_size of %s at %u after writing %u",
				  devnm, back, n);
	return 0;
}

int md_get_reshape_position(const struct sysfs *s, const char *devnm, bool *active,
			    uint64_t *sector, struct diag *d)
{
	char buf[32];
	int rc = md_read(s, devnm, "reshape_position", buf, sizeof(buf), d);

	if (rc)
		return rc;
	*active = strcmp(buf, "none") != 0;
	*sector = 0;
	return *active ? parse_sectors(buf, "md/reshape_position", sector, d) : 0;
}

int md_get_consistency_policy(const struct sysfs *s, const char *devnm, char *buf, size_t len,
			      struct diag *d)
{
	return md_read(s, devnm, "consistency_policy", buf, len, d);
}

int md_set_consistency_policy(const struct sysfs *s, const char *devnm, const char *word,
			      struct diag *d)
{
	return md_write(s, devnm, "consistency_policy", word, d);
}

int md_set_write_behind(const struct sysfs *s, const char *devnm, unsigned n, struct diag *d)
{
	uint64_t back = 0;
	char val[16];
	int rc;

	snprintf(val, sizeof(val), "%u", n);
	rc = md_write(s, devnm, "bitmap/backlog", val, d);
	if (rc)
		return rc;
	if (md_read_u64(s, devnm, "bitmap/backlog", &back, d))
		return d && d->err ? -d->err : -EINVAL;
	if (back != n)
		return diag_errno(d, EIO, "the kernel kept bitmap/backlog at %llu after writing %u",
				  (unsigned long long)back, n);
	return 0;
}

/* ---- the sync thread ----------------------------------------------------- */

int md_sync_freeze(const struct sysfs *s, const char *devnm, struct diag *d)
{
	return md_write(s, devnm, "sync_action", "frozen", d);
}

int md_sync_unfreeze(const struct sysfs *s, const char *devnm, struct diag *d)
{
	return md_write(s, devnm, "sync_action", "idle", d);
}

int md_sync_resync_from_start(const struct sysfs *s, const char *devnm, struct diag *d)
{
	int rc = md_write(s, devnm, "resync_start", "0", d);

	return rc ? rc : md_write(s, devnm, "sync_action", "resync", d);
}

bool md_sync_is_idle(const struct sysfs *s, const char *devnm)
{
	char action[32];

	return md_read(s, devnm, "sync_action", action, sizeof(action), NULL) == 0 &&
	       md_sync_word_is(action, MD_SYNC_IDLE);
}

static const char *const sync_words[MD_SYNC_COUNT] = {
	[MD_SYNC_IDLE] = "idle",
	[MD_SYNC_FROZEN] = "frozen",
	[MD_SYNC_RESYNC] = "resync",
	[MD_SYNC_RECOVER] = "recover",
	[MD_SYNC_CHECK] = "check",
	[MD_SYNC_REPAIR] = "repair",
	[MD_SYNC_RESHAPE] = "reshape",
};

int md_sync_action_parse(const char *word, enum md_sync_action *a)
{
	for (int i = 0; i < MD_SYNC_COUNT; i++)
		if (strcmp(word, sync_words[i]) == 0) {
			*a = (enum md_sync_action)i;
			return 0;
		}
	return -EINVAL;
}

bool md_sync_word_is(const char *word, enum md_sync_action a)
{
	enum md_sync_action got;

	return md_sync_action_parse(word, &got) == 0 && got == a;
}

bool md_sync_word_running(const char *word)
{
	return word[0] && !md_sync_word_is(word, MD_SYNC_IDLE) &&
	       !md_sync_word_is(word, MD_SYNC_FROZEN);
}

const char *md_sync_action_word(enum md_sync_action a)
{
	return (unsigned)a < MD_SYNC_COUNT ? sync_words[a] : "unknown";
}

int md_get_sync_action(const struct sysfs *s, const char *devnm, enum md_sync_action *a,
		       struct diag *d)
{
	char word[32];
	int rc = md_read(s, devnm, "sync_action", word, sizeof(word), d);

	if (rc)
		return rc;
	if (md_sync_action_parse(word, a))
		return diag_errno(d, EINVAL, "unexpected md/sync_action '%s' of %s", word, devnm);
	return 0;
}

int md_set_sync_action(const struct sysfs *s, const char *devnm, enum md_sync_action a,
		       struct diag *d)
{
	if ((unsigned)a >= MD_SYNC_COUNT)
		return diag_errno(d, EINVAL, "no such sync action %d", (int)a);
	return md_write(s, devnm, "sync_action", sync_words[a], d);
}

/* ---- safe mode ------------------------------------------------------------ */

#define CLEAN_POLL_MS 20u

int md_safe_mode_parse(const char *text, unsigned *ms)
{
	unsigned long secs = 0, frac = 0;
	const char *p = text;
	int digits = 0;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		secs = secs * 10 + (unsigned long)(*p - '0');
		if (secs > 4000000)
			return -EINVAL;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++)
			if (digits < 3)
				frac = frac * 10 + (unsigned long)(*p - '0');
		if (digits == 0)
			return -EINVAL;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (*p)
		return -EINVAL;
	*ms = (unsigned)(secs * 1000 + frac);
	return 0;
}

int md_get_safe_mode_ms(const struct sysfs *s, const char *devnm, unsigned *ms,
			struct diag *d)
{
	char text[32];
	int rc = md_read(s, devnm, "safe_mode_delay", text, sizeof(text), d);

	if (rc)
		return rc;
	if (md_safe_mode_parse(text, ms))
		return diag_errno(d, EINVAL, "unexpected md/safe_mode_delay '%s' of %s", text, devnm);
	return 0;
}

int md_set_safe_mode_ms(const struct sysfs *s, const char *devnm, unsigned ms, struct diag *d)
{
	char text[32];

	snprintf(text, sizeof(text), "%u.%03u", ms / 1000, ms % 1000);
	return md_write(s, devnm, "safe_mode_delay", text, d);
}

/* array_state says the kernel has nothing to mark clean any more */
static bool marked_clean(const struct sysfs *s, const char *devnm)
{
	enum md_array_state st;

	if (md_get_array_state(s, devnm, &st, NULL))
		return true;   /* gone: nothing left to wait for */
	return !md_array_state_active(st) || md_array_state_in_sync(st);
}

int md_wait_clean(const struct sysfs *s, const char *devnm, unsigned timeout_ms,
		  struct diag *d)
{
	unsigned delay, waited = 0;
	int rc;

	if (md_get_safe_mode_ms(s, devnm, &delay, NULL) || delay == 0 || marked_clean(s, devnm))
		return 0;
	/* the kernel rounds a delay of 1 ms up to one jiffy */
	rc = md_set_safe_mode_ms(s, devnm, 1, d);
	if (rc)
		return rc;
	while (!marked_clean(s, devnm) && waited < timeout_ms) {
		pause_ms(CLEAN_POLL_MS);
		waited += CLEAN_POLL_MS;
	}
	rc = md_set_safe_mode_ms(s, devnm, delay, d);
	if (rc)
		return rc;
	if (!marked_clean(s, devnm))
		return diag_errno(d, ETIMEDOUT, "%s was still being written after %u ms", devnm,
				  timeout_ms);
	return 0;
}
