/* offline.h - rewriting the members of an array stopped for a moment
 *
 * Some changes the kernel cannot make while an array runs (its bitmap's
 * type; a lockless bitmap's size on Linux 7.2). For those the array is
 * stopped while nothing uses it, its members are rewritten with every
 * overwritten byte saved first (put back, last first, on any failure),
 * and it is started again under the same device and name. GrowBitmap.c
 * and GrowSize.c plan the writes; this is the part they share. */
#ifndef MDADM_OFFLINE_H
#define MDADM_OFFLINE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "mdarray.h"
#include "member_set.h"
#include "sysfs.h"

#define OFFLINE_MAX_SAVED 4

/* A region of a member saved before it is overwritten. */
struct offline_saved {
	uint64_t off;
	size_t len;
	uint8_t *old;
};

/* What was overwritten on one member, in the order it was saved. */
struct offline_undo {
	struct offline_saved saved[OFFLINE_MAX_SAVED];
	size_t nsaved;
};

/* A test sets MDADM_TEST_CRASH_POINT=name to crash the machine (sysrq b)
 * at that point of a write order, to prove the order is safe. */
void offline_crash_point(const char *name);

/* len bytes at off of the member at path, written and flushed (the member
 * opened exclusively), or read. */
MUST_CHECK int offline_write(const char *path, uint64_t off, const void *buf, size_t len,
			     struct diag *d);
int offline_read(const char *path, uint64_t off, void *buf, size_t len, struct diag *d);

/* Save len bytes at off of path before they are overwritten. */
int offline_save(struct offline_undo *u, const char *path, uint64_t off, size_t len,
		 struct diag *d);
/* Put the saved regions back, the last saved first; each failure is
 * reported (a member left half-restored must be named). -1 if any. */
int offline_restore(struct offline_undo *u, const char *path);
/* Drop what was saved (the change is complete). */
void offline_forget(struct offline_undo *u);

/* Refused (reason in d) while a sync runs or the array is read-only:
 * neither may be interrupted by the stop. */
int offline_check_idle(const struct sysfs *s, const char *devnm, const char *array,
		       const struct md_array *ma, struct diag *d);

/* Before changing anything: nothing may hold the array (mounted, claimed
 * by another device, or open in a process: /proc/PID/fd is searched, so
 * that a plain open is found too). The reason names the process. */
int offline_check_unused(const struct sysfs *s, const char *devnm, const char *node,
			 const char *array, const char *why, struct diag *d);

/* Stop the array, refused with the reason when it is mounted, held open
 * or held by another device: "ARRAY is in use (...): why. Unmount it
 * first<hint>". */
int offline_stop(const struct sysfs *s, const char *devnm, const char *node, const char *array,
		 const char *why, const char *hint, struct diag *d);

/* Start the stopped array again from set (read-write) under devnm and
 * record it in the map under `array`. */
int offline_start(const struct sysfs *s, const char *devnm, const char *array,
		  struct asm_set *set, struct diag *d);

/* Start the array with its changed members; when it does not start, say
 * so ("ARRAY did not start with WHAT") and call restore(ctx) to put the
 * old bytes back (then offline_restart()). 0 when it runs. */
int offline_start_changed(const struct sysfs *s, const char *devnm, const char *array,
			  struct asm_set *set, const char *what, void (*restore)(void *), void *ctx);

/* After a failure: start the array again as it was, and say how it went. */
void offline_restart(const struct sysfs *s, const char *devnm, const char *array,
		     struct asm_set *set);

/* The running array's members (active and spares) as a set, loaded from
 * their nodes into paths[]; every one must be chosen and at the same
 * event count, since the same change is written to all of them. */
int offline_load_members(const struct sysfs *s, const struct md_array *ma, const char *array,
			 char (*paths)[PATH_MAX], struct asm_set **set, struct diag *d);

/* Every member of set chosen and at the same event count. */
int offline_members_agree(const struct asm_set *set, const char *array, struct diag *d);

/* The superblocks again after the stop (the stop writes them); a member
 * that cannot be read leaves the set as it was. */
int offline_refresh_members(struct asm_set *set, const char *array, struct diag *d);

/* After a restore: every member's superblock read again, failures named. */
void offline_reload_members(struct asm_set *set);

#endif
