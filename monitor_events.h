/* monitor_events.h - what --monitor reports about one array: what it
 * remembers from the last look and the current look in, the events (with
 * mdadm 4.6's names) out. Pure: no I/O; Monitor.c does the looking. */
#ifndef MDADM_MONITOR_EVENTS_H
#define MDADM_MONITOR_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "mdstat.h"

enum mon_kind {
	MON_TEST_MESSAGE,
	MON_NEW_ARRAY,
	MON_DEVICE_DISAPPEARED,
	MON_DEGRADED_ARRAY,
	MON_SPARES_MISSING,
	MON_REBUILD_STARTED,
	MON_REBUILD,            /* "RebuildNN", NN the percentage reached */
	MON_REBUILD_FINISHED,
	MON_FAIL,
	MON_FAIL_SPARE,
	MON_SPARE_ACTIVE,
	MON_LOCKLESS_NEED_SYNC, /* ours: lockless chunks left unsynchronised */
	MON_MOVE_SPARE,         /* a spare taken from another array of the spare group */
	MON_LOCKLESS_DAEMON_SLEEP_ZERO, /* ours: md/llbitmap/daemon_sleep 0 */
	MON_LOCKLESS_BITMAP_INVALID,    /* ours: a member's header the kernel would refuse */
	MON__COUNT
};

/* Sync progress: 0..100 while a resync, recovery, check or reshape runs,
 * else one of these (mdadm 4.6's values, which its rules compare). */
#define MON_SYNC_NONE     (-1)
#define MON_SYNC_DELAYED  (-2)   /* resync=DELAYED and friends: wanted, not running */
#define MON_SYNC_PENDING  (-3)
#define MON_SYNC_REMOTE   (-4)
#define MON_SYNC_UNKNOWN  (-5)   /* not looked at yet */

/* /proc/mdstat's progress line as a MON_SYNC value or a percentage. */
int mon_percent(const struct mdstat_progress *p);

/* a device path (dev root + kernel name) fits */
#define MON_NAME_MAX 336

struct mon_member {
	unsigned major, minor;         /* identifies the member between looks */
	char name[MON_NAME_MAX];       /* "/dev/vdb", for the reports */
	bool in_sync;                  /* in_sync and not faulty */
	bool faulty;
	bool spare;                    /* neither in sync, faulty nor a journal */
};

/* One look at an array. */
struct mon_look {
	bool running;                  /* present and active */
	bool redundant;                /* can lose a member: not raid0 or linear */
	int level;
	bool degraded;                 /* a '_' in /proc/mdstat's [UU_] */
	int percent;                   /* mon_percent() */
	uint64_t mismatches;           /* md/mismatch_cnt */
	unsigned spares;               /* members that are neither in sync nor faulty */
	const struct mon_member *members;
	size_t nmembers;
	bool lockless;                 /* md/bitmap_type is llbitmap */
	uint64_t llb_need_sync;        /* chunks in a need-sync state (md/llbitmap/bits) */
	bool llb_daemon_sleep_zero;    /* md/llbitmap/daemon_sleep reads 0 */
	const char *llb_invalid_member; /* a member whose lockless header the kernel would
					 * refuse at the next assembly, NULL */
	const char *llb_invalid_reason; /* ... and why */
	bool sync_idle;                /* md/sync_action idle or frozen */
	char uuid[64];                 /* md/uuid, "" when the kernel has none */
};

/* What the monitor keeps about one array between looks. */
struct mon_track {
	bool from_config;              /* an ARRAY line: no "Wrong-Level" report */
	int expected_spares;           /* the line's spares=, -1 when none */
	unsigned err;                  /* looks in a row that found no running array */
	bool looked;                   /* a look found it running once */
	int percent;
	bool llb_stale;                /* last look: need-sync chunks, nothing syncing */
	bool llb_reported;             /* ... and it was reported */
	bool llb_sleep_zero_reported;  /* daemon_sleep 0 reported, not cleared since */
	bool llb_invalid_reported;     /* an invalid header reported, ... */
	struct mon_member *members;    /* the last good look's, owned */
	size_t nmembers;
	bool degraded;                 /* ... and whether it was degraded */
	unsigned spares;
	char uuid[64];                 /* ... and its md/uuid */
};

struct mon_event {
	enum mon_kind kind;
	int percent;                   /* MON_REBUILD */
	char component[MON_NAME_MAX];  /* a member, or upstream's " mismatches found: ..."; "" */
	char description[192];         /* "Wrong-Level", ...; "" */
};

/* A growing list; release with mon_events_free(). */
struct mon_events {
	struct mon_event *v;
	size_t n, cap;
};

/* found_by_scan: an array --scan found in /proc/mdstat, reported as
 * NewArray on its first good look. */
void mon_track_init(struct mon_track *t, bool from_config, int expected_spares,
		    bool found_by_scan);
void mon_track_free(struct mon_track *t);

/* Compare `look` with what t remembers, append the events mdadm 4.6 would
 * report (and LocklessNeedSync), and remember the look. `increment` is
 * --increment (1..99). Fails only when out of memory. */
int mon_step(struct mon_track *t, const struct mon_look *look, unsigned increment,
	     struct mon_events *ev, struct diag *d);

/* Append one event; fails only when out of memory. */
int mon_events_add(struct mon_events *ev, enum mon_kind kind, int percent,
		   const char *component, const char *description, struct diag *d);
void mon_events_free(struct mon_events *ev);

/* "Fail", "Rebuild40", "LocklessNeedSync" */
void mon_event_name(const struct mon_event *e, char *buf, size_t len);
/* "<name> event detected on md device <dev>[, component device <c>][: <description>]" */
void mon_event_message(const struct mon_event *e, const char *dev, char *buf, size_t len);

/* Spare migration (mdadm.conf's spare-group=): an array watched by the
 * monitor, its group ("" for none) and what its last look found. */
struct mon_group_view {
	const char *group;
	const struct mon_track *track;
};

/* The array of v[0..n) that gives `to` a spare: `to` is running, degraded
 * and has no spare of its own; the donor is another running array of the
 * same group that is not degraded itself and has a spare. SIZE_MAX when
 * `to` needs none or no array can give one. */
size_t mon_spare_donor(const struct mon_group_view *v, size_t n, size_t to);

/* The first spare of a track's last look; NULL when it has none. */
const struct mon_member *mon_track_spare(const struct mon_track *t);

/* After a move: the donor no longer has that spare, the receiver has one
 * (until the next look says how its recovery goes). */
void mon_spare_moved(struct mon_track *from, struct mon_track *to, const struct mon_member *spare);

enum mon_severity { MON_SEV_INFO, MON_SEV_WARNING, MON_SEV_CRITICAL };
/* syslog priority class, as mdadm 4.6 ranks the events */
enum mon_severity mon_event_severity(const struct mon_event *e);
/* Is the event mailed (failures, degraded, missing spares, tests)? */
bool mon_event_mailed(const struct mon_event *e);

#endif
