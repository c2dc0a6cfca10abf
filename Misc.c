/* Misc.c - misc-mode actions on running arrays: --stop, --readonly, --readwrite
 *
 * Stopping goes through sysfs: "clear" written to md/array_state stops the
 * array and releases its members (the kernel refuses with EBUSY while the
 * device is open). As mdadm 4.6 does, an exclusive open is tried first,
 * and a busy array is retried for five seconds. On Linux >= 6.17 the md
 * device itself disappears after the stop; we wait for that (bounded) and
 * never reuse the name (mdkernel.c's md_array_stop). */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <time.h>

#include "member_set.h"
#include "mapfile.h"
#include "md_ioctl.h"
#include "mdkernel.h"
#include "mdarray.h"
#include "mdstat.h"
#include "modes.h"
#include "util.h"

static const char busy_hint[] =
	"Perhaps a running process, mounted filesystem or active volume group?";

/* Which md device the user means. "md0" (no slash) is taken as a kernel
 * name; anything else is a path. Prints mdadm's messages on failure. */
static bool stop_target(const struct sysfs *s, const char *name, char *devnm, size_t len,
			bool report)
{
	int err = 0;

	switch (md_resolve_name(s, name, devnm, len, &err)) {
	case MD_RESOLVE_MD:
		return true;
	case MD_RESOLVE_MISSING:
		if (report)
			pr_err("error opening %s: %s\n", name, strerror(err));
		return false;
	default:
		if (report)
			pr_err("%s does not appear to be an md device\n", name);
		return false;
	}
}

/* One array; `quiet` while --scan will try again. */
static int stop_one(const struct sysfs *s, const char *name, bool quiet)
{
	char devnm[MD_DEVNM_MAX], node[PATH_MAX];
	struct diag d = { 0 };
	int err;

	if (!stop_target(s, name, devnm, sizeof(devnm), true))
		return EXIT_FAIL;
	if (strchr(name, '/'))
		snprintf(node, sizeof(node), "%s", name);
	else
		md_node_path(s, devnm, node, sizeof(node));
	err = md_probe_exclusive(node);
	if (err && err != ENOENT) {
		if (!quiet)
			pr_err("Cannot get exclusive access to %s:%s\n", name, busy_hint);
		return EXIT_FAIL;
	}
	err = md_array_stop(s, devnm, &d);
	if (err == -ETIMEDOUT) {
		pr_err("failed to stop array %s: %s\n", name, d.msg);
		return EXIT_FAIL;
	}
	if (err) {
		if (!quiet) {
			pr_err("failed to stop array %s: %s\n", name, strerror(-err));
			if (err == -EBUSY)
				fprintf(stderr, "       %s\n", busy_hint);
		}
		return EXIT_FAIL;
	}
	if (!quiet)
		pr_info("stopped %s\n", name);
	if (mapfile_remove(devnm, &d) != 0)
		pr_err("warning: %s\n", d.msg);
	return 0;
}

/* --stop --scan: everything in /proc/mdstat, round after round while some
 * fail and others succeed (arrays stacked on arrays free their members
 * only when stopped); only the last round reports failures. */
static int stop_scan(const struct sysfs *s, int verbose)
{
	bool progress = true, last = false, failed;

	do {
		struct mdstat ms;
		struct diag d = { 0 };

		if (!progress)
			last = true;
		progress = failed = false;
		if (mdstat_read_file(&ms, &d) != 0) {
			pr_err("%s\n", d.msg);
			return EXIT_FAIL;
		}
		for (size_t i = 0; i < ms.narrays; i++) {
			char name[PATH_MAX];

			md_node_path(s, ms.arrays[i].devnm, name, sizeof(name));
			if (stop_one(s, name, !last && verbose == 0) == 0)
				progress = true;
			else
				failed = true;
		}
		mdstat_free(&ms);
		if (!failed)
			return 0;
	} while (!last);
	return EXIT_FAIL;
}

int Stop(const struct cmdline *c, const char *const *devs, size_t ndevs)
{
	struct sysfs s;
	int rc = 0;

	sysfs_init(&s);
	if (ndevs == 0)
		return stop_scan(&s, c->verbose);
	for (size_t i = 0; i < ndevs; i++) {
		char devnm[MD_DEVNM_MAX];

		if (cmd_has(c, OPT_SCAN)) {
			if (stop_target(&s, devs[i], devnm, sizeof(devnm), true)) {
				pr_err("--stop not meaningful with both a --scan assembly and a device name.\n");
			}
			rc |= EXIT_FAIL;
			continue;
		}
		rc |= stop_one(&s, devs[i], c->verbose < 0);
	}
	return rc;
}

/* --readonly / --readwrite on running arrays. Switching to read-write also
 * requests the resync of lockless chunks left need-sync (the kernel does
 * not start it by itself in that case). */
static int set_rw_one(const struct sysfs *s, const char *name, bool rw)
{
	char devnm[MD_DEVNM_MAX];
	enum md_array_state st;
	struct diag d = { 0 };

	if (!stop_target(s, name, devnm, sizeof(devnm), true))
		return EXIT_FAIL;
	if (md_get_array_state(s, devnm, &st, NULL) == 0 && !md_array_state_active(st)) {
		pr_err("%s is not active\n", name);
		return EXIT_FAIL;
	}
	if (md_set_array_state(s, devnm, rw ? MD_STATE_ACTIVE : MD_STATE_READONLY, &d)) {
		pr_err("failed to set %s %s: %s\n", name, rw ? "writable" : "readonly", d.msg);
		return EXIT_FAIL;
	}
	if (rw)
		asm_resync_pending(s, devnm);
	return EXIT_OK;
}

int SetReadWrite(const struct cmdline *c, const char *const *devs, size_t ndevs, bool rw)
{
	struct sysfs s;
	int rc = EXIT_OK;

	(void)c;
	sysfs_init(&s);
	if (ndevs == 0) {
		pr_err("--%s needs an array\n", rw ? "readwrite" : "readonly");
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < ndevs; i++)
		rc |= set_rw_one(&s, devs[i], rw);
	return rc;
}
