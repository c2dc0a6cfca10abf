/* mdstat.h - /proc/mdstat text as structs (pure parser, no I/O)
 *
 * The kernel prints one block per md device:
 *
 *   md0 : active (auto-read-only) raid1 vdb[1](F) vda[0]
 *         1046528 blocks super 1.2 [2/1] [U_]
 *         [=>..................]  recovery =  5.0% (52828/1046528) finish=0.8min speed=20060K/sec
 *         bitmap: 5/5 pages [20KB], 0B chunk
 *
 * The number in brackets after a member is the kernel's descriptor number
 * of that member (what `mdadm --detail` shows as "Number"), not its role.
 * The parser accepts any text: unknown words are skipped, malformed tokens
 * are ignored, names and counts are bounded. mdstat_read_file() (in
 * mdstat_file.c) reads the real file. */
#ifndef MDADM_MDSTAT_H
#define MDADM_MDSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define MDSTAT_NAME_MAX 32          /* device and personality names */
#define MDSTAT_MAX_ARRAYS 4096u
#define MDSTAT_MAX_MEMBERS 4096u    /* per array */
#define MDSTAT_MAX_TEXT (16u << 20) /* refuse larger input */

enum mdstat_sync {
	MDSTAT_SYNC_NONE = 0,       /* no resync/recovery line */
	MDSTAT_SYNC_RECOVERY,
	MDSTAT_SYNC_RESYNC,
	MDSTAT_SYNC_RESHAPE,
	MDSTAT_SYNC_CHECK,
};

/* "resync=PENDING" and friends: a sync that is wanted but not running */
enum mdstat_wait {
	MDSTAT_WAIT_NONE = 0,
	MDSTAT_WAIT_PENDING,
	MDSTAT_WAIT_DELAYED,
	MDSTAT_WAIT_REMOTE,
};

struct mdstat_member {
	char name[MDSTAT_NAME_MAX]; /* kernel name: "vda", "sdb1", "dm-0" */
	int number;                 /* [N]: descriptor number, -1 if unreadable */
	bool faulty;                /* (F) */
	bool spare;                 /* (S) */
	bool write_mostly;          /* (W) */
	bool journal;               /* (J) */
	bool replacement;           /* (R) */
};

struct mdstat_progress {
	enum mdstat_sync kind;
	enum mdstat_wait wait;
	bool has_percent;
	unsigned permille;          /* "14.8%" -> 148 */
	bool has_counts;
	uint64_t done, total;       /* "(155712/1046528)", KiB */
	bool has_finish;
	uint64_t finish_tenths;     /* "finish=0.8min" -> 8 (tenths of a minute) */
	bool has_speed;
	uint64_t speed_kib;         /* "speed=20060K/sec" -> 20060 */
};

struct mdstat_bitmap {
	bool present;
	uint64_t pages_used, pages_total;
	uint64_t kib;               /* "[20KB]" */
	uint64_t chunk_bytes;       /* "65536KB chunk", "0B chunk" (llbitmap!) */
	bool has_file;
	char file[256];             /* ", file: /path" (file bitmaps) */
};

struct mdstat_array {
	char devnm[MDSTAT_NAME_MAX];
	bool active;                /* "active" or "broken": has a personality */
	bool broken;
	bool read_only;             /* "(read-only)" */
	bool auto_read_only;        /* "(auto-read-only)" */
	char level[MDSTAT_NAME_MAX];/* personality, "" when inactive */
	struct mdstat_member *members;
	size_t nmembers;
	bool has_blocks;
	uint64_t blocks;            /* KiB */
	char super[64];             /* "1.2", "external:/md127/0", "non-persistent";
	                               "" when not shown (0.90) */
	int raid_disks;             /* [n/m]: n, -1 if absent */
	int working;                /* [n/m]: m, -1 if absent */
	char *pattern;              /* "UU_" (malloc'd) or NULL */
	struct mdstat_progress sync;
	struct mdstat_bitmap bitmap;
};

struct mdstat {
	struct mdstat_array *arrays; /* in the file's order */
	size_t narrays;
};

/* Parse `len` bytes of mdstat text (need not be NUL-terminated). Fails only
 * on allocation failure or absurd input (too large, too many arrays or
 * members); everything else that does not look like mdstat is skipped. */
int mdstat_parse(const char *text, size_t len, struct mdstat *ms, struct diag *d);
void mdstat_free(struct mdstat *ms);

const struct mdstat_array *mdstat_find(const struct mdstat *ms, const char *devnm);
const struct mdstat_member *mdstat_find_member(const struct mdstat_array *a,
					       const char *name);

/* Whole percent as mdadm uses it ("14.8%" -> 14), -1 when no percentage
 * is shown. */
int mdstat_percent(const struct mdstat_progress *p);

/* "recovery", "resync", "reshape", "check" or "none". */
const char *mdstat_sync_name(enum mdstat_sync k);

/* Read /proc/mdstat (or $MDADM_MDSTAT, for tests on a fake tree) and parse
 * it. A missing file gives an empty result (no md driver), not an error. */
int mdstat_read_file(struct mdstat *ms, struct diag *d);

/* Waiting for md events (a sync starting or ending, a member failing): the
 * kernel flags /proc/mdstat for every event after the file was opened, so
 * open the watch before reading the state, then wait on it. The fd is -1
 * when the file cannot be watched (a test's $MDADM_MDSTAT): waits then
 * just sleep. */
int mdstat_watch_open(void);
void mdstat_watch_wait(int fd, unsigned timeout_ms);
void mdstat_watch_close(int fd);

/* The same wait, also ended when `other` (a signalfd, -1 for none) is
 * readable: what ended it. */
enum mdstat_wake { MDSTAT_WAKE_TIMEOUT, MDSTAT_WAKE_EVENT, MDSTAT_WAKE_OTHER };
enum mdstat_wake mdstat_watch_wait_or(int fd, int other, unsigned timeout_ms);

/* The file mdstat_read_file() reads: /proc/mdstat or $MDADM_MDSTAT. */
const char *mdstat_path(void);

#endif
