/* monitor_events.c - the events --monitor reports, from one array's looks */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor_events.h"

struct kind_info {
	const char *name;
	enum mon_severity severity;
	bool mailed;
};

static const struct kind_info kinds[MON__COUNT] = {
	[MON_TEST_MESSAGE] = { "TestMessage", MON_SEV_INFO, true },
	[MON_NEW_ARRAY] = { "NewArray", MON_SEV_INFO, false },
	[MON_DEVICE_DISAPPEARED] = { "DeviceDisappeared", MON_SEV_CRITICAL, false },
	[MON_DEGRADED_ARRAY] = { "DegradedArray", MON_SEV_CRITICAL, true },
	[MON_SPARES_MISSING] = { "SparesMissing", MON_SEV_WARNING, true },
	[MON_REBUILD_STARTED] = { "RebuildStarted", MON_SEV_WARNING, false },
	[MON_REBUILD] = { "Rebuild", MON_SEV_WARNING, false },
	[MON_REBUILD_FINISHED] = { "RebuildFinished", MON_SEV_WARNING, false },
	[MON_FAIL] = { "Fail", MON_SEV_CRITICAL, true },
	[MON_FAIL_SPARE] = { "FailSpare", MON_SEV_CRITICAL, true },
	[MON_SPARE_ACTIVE] = { "SpareActive", MON_SEV_INFO, false },
	/* data without its redundancy, like a degraded array: mailed */
	[MON_LOCKLESS_NEED_SYNC] = { "LocklessNeedSync", MON_SEV_WARNING, true },
	[MON_MOVE_SPARE] = { "MoveSpare", MON_SEV_INFO, false },
	/* the array will not assemble again as it is: mailed */
	[MON_LOCKLESS_DAEMON_SLEEP_ZERO] = { "LocklessDaemonSleepZero", MON_SEV_WARNING, true },
	[MON_LOCKLESS_BITMAP_INVALID] = { "LocklessBitmapInvalid", MON_SEV_CRITICAL, true },
};

int mon_percent(const struct mdstat_progress *p)
{
	switch (p->wait) {
	case MDSTAT_WAIT_DELAYED:
		return MON_SYNC_DELAYED;
	case MDSTAT_WAIT_PENDING:
		return MON_SYNC_PENDING;
	case MDSTAT_WAIT_REMOTE:
		return MON_SYNC_REMOTE;
	case MDSTAT_WAIT_NONE:
		break;
	}
	if (p->kind == MDSTAT_SYNC_NONE || mdstat_percent(p) < 0)
		return MON_SYNC_NONE;
	return mdstat_percent(p) > 100 ? 100 : mdstat_percent(p);
}

void mon_track_init(struct mon_track *t, bool from_config, int expected_spares,
		    bool found_by_scan)
{
	memset(t, 0, sizeof(*t));
	t->from_config = from_config;
	t->expected_spares = expected_spares;
	t->err = found_by_scan ? 1 : 0;
	t->percent = MON_SYNC_UNKNOWN;
}

void mon_track_free(struct mon_track *t)
{
	free(t->members);
	t->members = NULL;
	t->nmembers = 0;
}

int mon_events_add(struct mon_events *ev, enum mon_kind kind, int percent,
		   const char *component, const char *description, struct diag *d)
{
	struct mon_event *e;

	if (ev->n == ev->cap) {
		size_t cap = ev->cap ? ev->cap * 2 : 8;
		struct mon_event *v = realloc(ev->v, cap * sizeof(*v));

		if (!v)
			return diag_errno(d, ENOMEM, "out of memory");
		ev->v = v;
		ev->cap = cap;
	}
	e = &ev->v[ev->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->percent = percent;
	snprintf(e->component, sizeof(e->component), "%s", component ? component : "");
	snprintf(e->description, sizeof(e->description), "%s", description ? description : "");
	return 0;
}

void mon_events_free(struct mon_events *ev)
{
	free(ev->v);
	memset(ev, 0, sizeof(*ev));
}

static const struct mon_member *find_member(const struct mon_member *v, size_t n,
					    const struct mon_member *m)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].major == m->major && v[i].minor == m->minor)
			return &v[i];
	return NULL;
}

/* Members that left the sync (Fail), spares that failed (FailSpare) and
 * members that came into sync (SpareActive). Members are matched by
 * device number: a device that went away counts as out of sync. */
static int member_events(const struct mon_track *t, const struct mon_look *l,
			 struct mon_events *ev, struct diag *d)
{
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct mon_member *was = &t->members[i];
		const struct mon_member *now = find_member(l->members, l->nmembers, was);
		int rc = 0;

		if (was->in_sync && !(now && now->in_sync))
			rc = mon_events_add(ev, MON_FAIL, 0, was->name, NULL, d);
		else if (now && now->faulty && !was->faulty)
			rc = mon_events_add(ev, MON_FAIL_SPARE, 0, now->name, NULL, d);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < l->nmembers; i++) {
		const struct mon_member *now = &l->members[i];
		const struct mon_member *was = find_member(t->members, t->nmembers, now);

		if (now->in_sync && !(was && was->in_sync) &&
		    mon_events_add(ev, MON_SPARE_ACTIVE, 0, now->name, NULL, d))
			return -1;
	}
	return 0;
}

/* RebuildStarted when a sync shows up (not on the very first look of an
 * array that was not new), RebuildNN each time the percentage passes a
 * multiple of `increment`, RebuildFinished when the progress line is gone
 * (with the mismatch count a check or resync found). */
static int rebuild_events(const struct mon_track *t, const struct mon_look *l,
			  unsigned increment, struct mon_events *ev, struct diag *d)
{
	int was = t->percent, now = l->percent;
	int inc = (int)(increment ? increment : 20);

	if (was < 0 && was != MON_SYNC_UNKNOWN && now >= 0 &&
	    mon_events_add(ev, MON_REBUILD_STARTED, 0, NULL, NULL, d))
		return -1;
	if (was >= 0 && now >= 0 && now / inc > was / inc &&
	    mon_events_add(ev, MON_REBUILD, now, NULL, NULL, d))
		return -1;
	if (now == MON_SYNC_NONE && was >= 0) {
		char cnt[96] = "";

		if (l->mismatches > 0)
			snprintf(cnt, sizeof(cnt), " mismatches found: %" PRIu64 " (on raid level %d)",
				 l->mismatches, l->level);
		if (mon_events_add(ev, MON_REBUILD_FINISHED, 0, cnt, NULL, d))
			return -1;
	}
	return 0;
}

/* A complete lockless array with need-sync chunks and no sync running:
 * those chunks have one good copy only until something syncs them. The
 * kernel marks chunks need-sync for a moment before its sync thread takes
 * them, so the state must have lasted from one look to the next; it is
 * reported once until it clears. */
/* What Linux 7.2 accepts from a running array and then refuses at the next
 * assembly: reported once each until the look no longer sees it. */
static int lockless_hazards(struct mon_track *t, const struct mon_look *l,
			    struct mon_events *ev, struct diag *d)
{
	bool zero = l->lockless && l->llb_daemon_sleep_zero;
	bool invalid = l->lockless && l->llb_invalid_member;

	if (zero && !t->llb_sleep_zero_reported &&
	    mon_events_add(ev, MON_LOCKLESS_DAEMON_SLEEP_ZERO, 0, NULL,
			   "md/llbitmap/daemon_sleep is 0, which the kernel stores and then refuses at the next assembly; set it with mdadm --grow --delay=SECONDS",
			   d))
		return -1;
	t->llb_sleep_zero_reported = zero;
	if (invalid && !t->llb_invalid_reported) {
		char what[192];

		snprintf(what, sizeof(what), "the kernel would refuse this lockless bitmap header at the next assembly: %.100s",
			 l->llb_invalid_reason ? l->llb_invalid_reason : "unusable");
		if (mon_events_add(ev, MON_LOCKLESS_BITMAP_INVALID, 0, l->llb_invalid_member, what, d))
			return -1;
	}
	t->llb_invalid_reported = invalid;
	return 0;
}

static int lockless_events(struct mon_track *t, const struct mon_look *l,
			   struct mon_events *ev, struct diag *d)
{
	bool stale = l->lockless && !l->degraded && l->llb_need_sync > 0 && l->sync_idle &&
		     l->percent < 0;

	if (stale && t->llb_stale && !t->llb_reported) {
		char what[64];

		snprintf(what, sizeof(what), "%" PRIu64 " chunk%s need sync, no resync running",
			 l->llb_need_sync, l->llb_need_sync == 1 ? "" : "s");
		if (mon_events_add(ev, MON_LOCKLESS_NEED_SYNC, 0, NULL, what, d))
			return -1;
		t->llb_reported = true;
	}
	if (!stale)
		t->llb_reported = false;
	t->llb_stale = stale;
	return lockless_hazards(t, l, ev, d);
}

static int remember_members(struct mon_track *t, const struct mon_look *l, struct diag *d)
{
	struct mon_member *copy = NULL;

	if (l->nmembers) {
		copy = malloc(l->nmembers * sizeof(*copy));
		if (!copy)
			return diag_errno(d, ENOMEM, "out of memory");
		memcpy(copy, l->members, l->nmembers * sizeof(*copy));
	}
	free(t->members);
	t->members = copy;
	t->nmembers = l->nmembers;
	return 0;
}

/* Between two looks the md device was stopped and another array started
 * under its name: md/uuid is another one. Comparing members would report
 * the old ones failed and the new ones as spares that became active. */
static bool replaced(const struct mon_track *t, const struct mon_look *l)
{
	return t->looked && t->err == 0 && t->uuid[0] && l->uuid[0] && strcmp(t->uuid, l->uuid) != 0;
}

int mon_step(struct mon_track *t, const struct mon_look *l, unsigned increment,
	     struct mon_events *ev, struct diag *d)
{
	bool first, new_array = false;

	if (!l->running) {
		if (t->err == 0 && mon_events_add(ev, MON_DEVICE_DISAPPEARED, 0, NULL, NULL, d))
			return -1;
		t->err++;
		return 0;
	}
	if (!l->redundant) {
		/* nothing in it can fail on its own: not watched */
		if (t->err == 0 && !t->from_config &&
		    mon_events_add(ev, MON_DEVICE_DISAPPEARED, 0, NULL, "Wrong-Level", d))
			return -1;
		t->err++;
		return 0;
	}
	if (replaced(t, l)) {
		/* what a look in between would have reported */
		if (mon_events_add(ev, MON_DEVICE_DISAPPEARED, 0, NULL, NULL, d))
			return -1;
		t->err++;
	}
	if (t->err) {
		t->err = 0;
		t->percent = MON_SYNC_NONE;
		new_array = true;
		if (mon_events_add(ev, MON_NEW_ARRAY, 0, NULL, NULL, d))
			return -1;
	}
	first = !t->looked;
	if (first && l->degraded && mon_events_add(ev, MON_DEGRADED_ARRAY, 0, NULL, NULL, d))
		return -1;
	if (first && t->expected_spares > 0 && l->spares < (unsigned)t->expected_spares &&
	    mon_events_add(ev, MON_SPARES_MISSING, 0, NULL, NULL, d))
		return -1;
	if (rebuild_events(t, l, increment, ev, d))
		return -1;
	t->percent = l->percent;
	if (!first && !new_array && member_events(t, l, ev, d))
		return -1;
	if (lockless_events(t, l, ev, d) || remember_members(t, l, d))
		return -1;
	t->degraded = l->degraded;
	t->spares = l->spares;
	memcpy(t->uuid, l->uuid, sizeof(t->uuid));
	t->looked = true;
	return 0;
}

/* ---- spare migration ------------------------------------------------------ */

static bool running_now(const struct mon_track *t)
{
	return t->looked && t->err == 0;
}

const struct mon_member *mon_track_spare(const struct mon_track *t)
{
	for (size_t i = 0; i < t->nmembers; i++)
		if (t->members[i].spare)
			return &t->members[i];
	return NULL;
}

size_t mon_spare_donor(const struct mon_group_view *v, size_t n, size_t to)
{
	const struct mon_track *t;

	if (to >= n || !v[to].group || !v[to].group[0])
		return SIZE_MAX;
	t = v[to].track;
	if (!running_now(t) || !t->degraded || t->spares > 0)
		return SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		const struct mon_track *f = v[i].track;

		if (i == to || !v[i].group || strcmp(v[i].group, v[to].group) != 0)
			continue;
		/* a degraded donor needs its spare itself */
		if (running_now(f) && !f->degraded && f->spares > 0 && mon_track_spare(f))
			return i;
	}
	return SIZE_MAX;
}

void mon_spare_moved(struct mon_track *from, struct mon_track *to, const struct mon_member *spare)
{
	for (size_t i = 0; i < from->nmembers; i++)
		if (&from->members[i] == spare)
			from->members[i].spare = false;
	if (from->spares)
		from->spares--;
	to->spares++;
}

void mon_event_name(const struct mon_event *e, char *buf, size_t len)
{
	const char *name = e->kind < MON__COUNT ? kinds[e->kind].name : "Unknown";

	if (e->kind == MON_REBUILD)
		snprintf(buf, len, "%s%02d", name, e->percent);
	else
		snprintf(buf, len, "%s", name);
}

void mon_event_message(const struct mon_event *e, const char *dev, char *buf, size_t len)
{
	char name[32];
	int n;

	mon_event_name(e, name, sizeof(name));
	n = snprintf(buf, len, "%s event detected on md device %s", name, dev);
	if (n >= 0 && (size_t)n < len && e->component[0])
		n += snprintf(buf + n, len - (size_t)n, ", component device %s", e->component);
	if (n >= 0 && (size_t)n < len && e->description[0])
		snprintf(buf + n, len - (size_t)n, ": %s", e->description);
}

enum mon_severity mon_event_severity(const struct mon_event *e)
{
	return e->kind < MON__COUNT ? kinds[e->kind].severity : MON_SEV_INFO;
}

bool mon_event_mailed(const struct mon_event *e)
{
	return e->kind < MON__COUNT && kinds[e->kind].mailed;
}
