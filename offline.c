/* offline.c - rewriting the members of an array stopped for a moment (see
 * offline.h) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devio.h"
#include "mapfile.h"
#include "md_ioctl.h"
#include "mdkernel.h"
#include "member.h"
#include "offline.h"
#include "util.h"

void offline_crash_point(const char *name)
{
	const char *want = getenv("MDADM_TEST_CRASH_POINT");
	FILE *f;

	if (!want || strcmp(want, name) != 0)
		return;
	sync();
	f = fopen("/proc/sysrq-trigger", "w");
	if (f) {
		fputc('b', f);
		fclose(f);
	}
}

/* ---- member I/O and the undo log -------------------------------------------- */

int offline_write(const char *path, uint64_t off, const void *buf, size_t len, struct diag *d)
{
	struct devio io;
	int rc;

	if (devio_open_rw_excl(&io, path, d))
		return -1;
	rc = devio_write(&io, off, buf, len, d);
	if (rc == 0)
		rc = devio_flush(&io, d);
	devio_close(&io);
	return rc;
}

int offline_read(const char *path, uint64_t off, void *buf, size_t len, struct diag *d)
{
	struct devio io;
	int rc;

	if (devio_open(&io, path, d))
		return -1;
	rc = devio_read(&io, off, buf, len, d);
	devio_close(&io);
	return rc;
}

int offline_save(struct offline_undo *u, const char *path, uint64_t off, size_t len,
		 struct diag *d)
{
	struct offline_saved *sv;

	if (u->nsaved >= OFFLINE_MAX_SAVED)
		return diag_fail(d, "internal: too many saved regions on %s", path);
	sv = &u->saved[u->nsaved];
	sv->old = malloc(len);
	if (!sv->old)
		return diag_errno(d, ENOMEM, "out of memory saving %zu bytes of %s", len, path);
	if (offline_read(path, off, sv->old, len, d)) {
		free(sv->old);
		sv->old = NULL;
		return -1;
	}
	sv->off = off;
	sv->len = len;
	u->nsaved++;
	return 0;
}

int offline_restore(struct offline_undo *u, const char *path)
{
	int rc = 0;

	while (u->nsaved > 0) {
		struct offline_saved *sv = &u->saved[--u->nsaved];
		struct diag d = { 0 };

		if (offline_write(path, sv->off, sv->old, sv->len, &d) != 0) {
			pr_err("could not restore %zu bytes at %llu of %s: %s\n", sv->len,
			       (unsigned long long)sv->off, path, d.msg);
			rc = -1;
		}
		free(sv->old);
		sv->old = NULL;
	}
	return rc;
}

void offline_forget(struct offline_undo *u)
{
	while (u->nsaved > 0) {
		free(u->saved[--u->nsaved].old);
		u->saved[u->nsaved].old = NULL;
	}
}

/* ---- stopping and starting ------------------------------------------------- */

/* A process other than this one with node's device open: its pid, or 0. */
static pid_t process_holding(dev_t rdev)
{
	DIR *proc = opendir("/proc");
	struct dirent *e;
	pid_t found = 0, self = getpid();

	if (!proc)
		return 0;
	while (!found && (e = readdir(proc)) != NULL) {
		char dir[64];
		DIR *fds;
		struct dirent *f;
		pid_t pid = (pid_t)strtol(e->d_name, NULL, 10);

		if (pid <= 0 || pid == self)
			continue;
		snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
		fds = opendir(dir);
		if (!fds)
			continue;   /* gone, or not ours to look at */
		while (!found && (f = readdir(fds)) != NULL) {
			struct stat st;

			if (fstatat(dirfd(fds), f->d_name, &st, 0) == 0 && S_ISBLK(st.st_mode) &&
			    st.st_rdev == rdev)
				found = pid;
		}
		closedir(fds);
	}
	closedir(proc);
	return found;
}

int offline_check_unused(const struct sysfs *s, const char *devnm, const char *node,
			 const char *array, const char *why, struct diag *d)
{
	struct stat st;
	pid_t pid;
	int err = md_probe_exclusive(node);

	if (err)
		return diag_errno(d, err, "%s is in use (mounted or held open: %s): %s. Unmount it first",
				  array, strerror(err), why);
	if (blockdev_is_held(s, devnm))
		return diag_errno(d, EBUSY, "%s is held by another device (a stacked array or device-mapper): %s. Stop that first",
				  array, why);
	if (stat(node, &st) == 0 && (pid = process_holding(st.st_rdev)) != 0)
		return diag_errno(d, EBUSY, "%s is held open by process %d: %s. Close it first",
				  array, (int)pid, why);
	return 0;
}

int offline_stop(const struct sysfs *s, const char *devnm, const char *node, const char *array,
		 const char *why, const char *hint, struct diag *d)
{
	int err = md_probe_exclusive(node), rc;

	if (err)
		return diag_errno(d, err, "%s is in use (mounted or held open: %s): %s. Unmount it first%s",
				  array, strerror(err), why, hint);
	if (blockdev_is_held(s, devnm))
		return diag_errno(d, EBUSY, "%s is held by another device (a stacked array or device-mapper); stop that first",
				  array);
	rc = md_array_stop(s, devnm, d);
	if (rc == -EBUSY)
		return diag_errno(d, EBUSY, "%s is in use (held open by a process): %s. Close it first%s",
				  array, why, hint);
	return rc;
}

int offline_start(const struct sysfs *s, const char *devnm, const char *array,
		  struct asm_set *set, struct diag *d)
{
	const struct asm_member *f = &set->ms[set->freshest];
	char mv[8];
	struct diag md = { 0 };

	if (!md_present(s, devnm) && md_alloc(s, devnm, d))
		return -1;
	if (asm_load_members(s, devnm, set, d) || asm_start(s, devnm, set, ASM_START_RW, d)) {
		struct diag sd = { 0 };

		if (md_array_stop(s, devnm, &sd))
			pr_err("warning: %s after the failed start: %s\n", devnm, sd.msg);
		return -1;
	}
	snprintf(mv, sizeof(mv), "1.%d", f->m.minor);
	if (mapfile_record(devnm, mv, f->m.sb.set_uuid, array, &md))
		pr_err("warning: could not record %s in the map: %s\n", array, md.msg);
	return 0;
}

/* ---- the members ------------------------------------------------------------- */

int offline_members_agree(const struct asm_set *set, const char *array, struct diag *d)
{
	const struct asm_member *f = &set->ms[set->freshest];

	for (size_t i = 0; i < set->n; i++) {
		const struct asm_member *am = &set->ms[i];

		if (!am->chosen)
			return diag_fail(d, "%s is not usable (%s): nothing was changed",
					 am->path, am->why_not);
		if (am->m.sb.events != f->m.sb.events)
			return diag_fail(d, "the members of %s disagree (events %llu and %llu): nothing was changed",
					 array, (unsigned long long)am->m.sb.events,
					 (unsigned long long)f->m.sb.events);
	}
	return 0;
}

int offline_load_members(const struct sysfs *s, const struct md_array *ma, const char *array,
			 char (*paths)[PATH_MAX], struct asm_set **set, struct diag *d)
{
	size_t n = 0;

	*set = asm_set_new(ma->nmembers ? ma->nmembers : 1);
	if (!*set)
		return diag_errno(d, ENOMEM, "out of memory");
	for (size_t i = 0; i < ma->nmembers; i++) {
		struct member m;

		if (ma->members[i].slot < 0 && !(ma->members[i].flags & MDM_SPARE))
			continue;
		if (n >= ASM_MAX_MEMBERS)
			return diag_fail(d, "%s has too many members", array);
		md_member_node(s, &ma->members[i], paths[n], PATH_MAX);
		if (!paths[n][0])
			return diag_fail(d, "no device node for member %s of %s",
					 ma->members[i].kname, array);
		if (member_load(&m, paths[n], d) != MEMBER_OK || asm_add(*set, paths[n], &m, s, d))
			return -1;
		n++;
	}
	asm_choose(*set);
	return offline_members_agree(*set, array, d);
}

int offline_refresh_members(struct asm_set *set, const char *array, struct diag *d)
{
	const struct asm_member *f;

	for (size_t i = 0; i < set->n; i++) {
		struct asm_member *am = &set->ms[i];
		struct member m;

		if (member_load(&m, am->path, d) != MEMBER_OK)
			return -1;
		if (memcmp(m.sb.set_uuid, am->m.sb.set_uuid, 16) != 0)
			return diag_fail(d, "%s changed arrays while stopped", am->path);
		am->m = m;
		am->m.path = am->path;
	}
	f = &set->ms[set->freshest];
	for (size_t i = 0; i < set->n; i++)
		if (set->ms[i].m.sb.events != f->m.sb.events)
			return diag_fail(d, "the members of %s disagree after the stop (events %llu and %llu)",
					 array, (unsigned long long)set->ms[i].m.sb.events,
					 (unsigned long long)f->m.sb.events);
	return 0;
}

void offline_reload_members(struct asm_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct diag d = { 0 };

		if (member_load(&set->ms[i].m, set->ms[i].path, &d) != MEMBER_OK)
			pr_err("%s: %s\n", set->ms[i].path, d.msg);
		set->ms[i].m.path = set->ms[i].path;
	}
}

int offline_start_changed(const struct sysfs *s, const char *devnm, const char *array,
			  struct asm_set *set, const char *what, void (*restore)(void *), void *ctx)
{
	struct diag d = { 0 };

	if (offline_start(s, devnm, array, set, &d) == 0)
		return 0;
	pr_err("%s did not start with %s: %s; putting the old metadata back\n", array, what, d.msg);
	restore(ctx);
	return -1;
}

void offline_restart(const struct sysfs *s, const char *devnm, const char *array,
		     struct asm_set *set)
{
	struct diag d = { 0 };

	if (!set || set->n == 0)
		return;
	if (offline_start(s, devnm, array, set, &d))
		pr_err("could not start %s again: %s\n", array, d.msg);
	else
		pr_info("%s is running again as it was\n", array);
}

int offline_check_idle(const struct sysfs *s, const char *devnm, const char *array,
		       const struct md_array *ma, struct diag *d)
{

	if (!md_sync_is_idle(s, devnm))
		return diag_fail(d, "%s is busy (%s): wait until it is idle", array, ma->sync_action);
	if (md_array_state_word_read_only(ma->array_state))
		return diag_fail(d, "%s is read-only: switch it to read-write first", array);
	return 0;
}
