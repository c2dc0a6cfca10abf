/* Misc.c - misc-mode actions on running arrays: --stop, --readonly,
 * --readwrite, --wait, --wait-clean, --action, and --detail-platform
 *
 * Stopping goes through sysfs: "clear" written to md/array_state stops the
 * array and releases its members (the kernel refuses with EBUSY while the
 * device is open). As mdadm 4.6 does, an exclusive open is tried first,
 * and a busy array is retried for five seconds. On Linux >= 6.17 the md
 * device itself disappears after the stop; we wait for that (bounded) and
 * never reuse the name (mdkernel.c's md_array_stop). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "member_set.h"
#include "mapfile.h"
#include "md_ioctl.h"
#include "mdkernel.h"
#include "mdarray.h"
#include "mdstat.h"
#include "modes.h"
#include "shape.h"
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

/* ---- --wait, --wait-clean, --action --------------------------------------- */

#define WAIT_EVENT_MS 5000u
#define WAIT_FROZEN_ROUNDS 3
#define WAIT_CLEAN_MS 5000u

/* A block device node, checked as mdadm 4.6 checks it (exit 2 when not). */
static bool is_block_node(const char *name)
{
	struct stat st;

	if (stat(name, &st) != 0) {
		pr_err("stat failed for %s: %s\n", name, strerror(errno));
		return false;
	}
	if (!S_ISBLK(st.st_mode)) {
		pr_err("%s is not a block device.\n", name);
		return false;
	}
	return true;
}

/* Whether devnm still has something to wait for: a sync in /proc/mdstat
 * (running, pending or delayed), or one sync_action names before mdstat
 * shows it. A frozen array counts for a few rounds only: someone may be
 * about to release it, or no one. */
static bool sync_pending(const struct sysfs *s, const struct mdstat_array *a, int *frozen_left)
{
	enum md_sync_action act;

	if (a->sync.kind != MDSTAT_SYNC_NONE || a->sync.wait != MDSTAT_WAIT_NONE)
		return true;
	if (md_get_sync_action(s, a->devnm, &act, NULL) != 0 || act == MD_SYNC_IDLE)
		return false;
	if (act != MD_SYNC_FROZEN)
		return true;
	return (*frozen_left)-- > 0;
}

/* On a terminal: one line, rewritten as the sync goes on. */
static void show_progress(const struct mdstat_array *a)
{
	const struct mdstat_progress *p = &a->sync;

	if (p->has_percent)
		printf("\r%s: %s %u.%u%%   ", a->devnm, mdstat_sync_name(p->kind), p->permille / 10,
		       p->permille % 10);
	else
		printf("\r%s: waiting for %s   ", a->devnm,
		       p->kind != MDSTAT_SYNC_NONE ? mdstat_sync_name(p->kind) : "the sync thread");
	fflush(stdout);
}

/* 0 after waiting for a sync to end, 1 when there was none, 2 when `name`
 * is no block device (mdadm 4.6's statuses). */
static int wait_one(const struct sysfs *s, const char *name)
{
	char devnm[MD_DEVNM_MAX];
	bool tty = isatty(STDOUT_FILENO), shown = false;
	int frozen_left = WAIT_FROZEN_ROUNDS, rc = 1;
	struct diag d = { 0 };
	dev_t rdev;

	if (!is_block_node(name))
		return 2;
	if (blockdev_identify(name, devnm, sizeof(devnm), &rdev, s, &d)) {
		pr_err("Cannot get md device name.\n");
		return 2;
	}
	for (;;) {
		int watch = mdstat_watch_open();
		const struct mdstat_array *a;
		struct mdstat ms;
		bool pending;

		if (mdstat_read_file(&ms, &d) != 0) {
			mdstat_watch_close(watch);
			pr_err("%s\n", d.msg);
			return 2;
		}
		a = mdstat_find(&ms, devnm);
		pending = a && sync_pending(s, a, &frozen_left);
		if (pending && tty) {
			show_progress(a);
			shown = true;
		}
		mdstat_free(&ms);
		if (!pending) {
			mdstat_watch_close(watch);
			if (shown)
				printf("\r%s: done%20s\n", devnm, "");
			return rc;
		}
		rc = 0;
		mdstat_watch_wait(watch, WAIT_EVENT_MS);
		mdstat_watch_close(watch);
	}
}

int Wait(const struct cmdline *c, const char *const *devs, size_t ndevs)
{
	struct sysfs s;
	int rc = 0;

	(void)c;
	sysfs_init(&s);
	for (size_t i = 0; i < ndevs; i++)
		rc |= wait_one(&s, devs[i]);
	return rc;
}

/* The md device an open node is, or false (not a block device, no md). */
static bool open_md_node(const struct sysfs *s, const char *name, char *devnm, size_t len,
			 int *err)
{
	int fd = open(name, O_RDONLY | O_CLOEXEC);
	struct diag d = { 0 };
	struct stat st;
	dev_t rdev;
	bool md;

	*err = 0;
	if (fd < 0) {
		*err = errno;
		return false;
	}
	md = fstat(fd, &st) == 0 && S_ISBLK(st.st_mode) &&
	     blockdev_identify(name, devnm, len, &rdev, s, &d) == 0 && md_present(s, devnm);
	close(fd);
	return md;
}

/* The kernel marks a native array clean by itself once writes stop for
 * md/safe_mode_delay; this waits for that (the delay shortened meanwhile),
 * so that a power-off right after finds clean superblocks. mdadm 4.6
 * exits 0 for every native array, whatever happened. */
static int wait_clean_one(const struct sysfs *s, const char *name, int verbose)
{
	char devnm[MD_DEVNM_MAX];
	struct diag d = { 0 };
	int err;

	if (!is_block_node(name))
		return 2;
	if (!open_md_node(s, name, devnm, sizeof(devnm), &err)) {
		if (err) {
			if (verbose)
				pr_err("Couldn't open %s: %s\n", name, strerror(err));
			return EXIT_FAIL;
		}
		if (verbose)
			pr_err("Failed to read sysfs attributes for %s\n", name);
		return EXIT_OK;
	}
	if (md_wait_clean(s, devnm, WAIT_CLEAN_MS, &d) && verbose)
		pr_err("Error waiting for %s to be clean: %s\n", name, d.msg);
	return EXIT_OK;
}

int WaitClean(const struct cmdline *c, const char *const *devs, size_t ndevs)
{
	struct sysfs s;
	int rc = 0;

	sysfs_init(&s);
	if (ndevs > 0) {
		for (size_t i = 0; i < ndevs; i++)
			rc |= wait_clean_one(&s, devs[i], c->verbose);
		return rc;
	}
	/* --scan: every array in /proc/mdstat */
	{
		struct mdstat ms;
		struct diag d = { 0 };

		if (mdstat_read_file(&ms, &d) != 0) {
			pr_err("%s\n", d.msg);
			return EXIT_FAIL;
		}
		for (size_t i = 0; i < ms.narrays; i++) {
			char name[PATH_MAX];

			md_node_path(&s, ms.arrays[i].devnm, name, sizeof(name));
			rc |= wait_clean_one(&s, name, c->verbose);
		}
		mdstat_free(&ms);
	}
	return rc;
}

static enum md_sync_action requested_action(const struct cmdline *c)
{
	switch ((enum sync_action)cmd_num(c, OPT_ACTION)) {
	case SYNC_FROZEN:
		return MD_SYNC_FROZEN;
	case SYNC_CHECK:
		return MD_SYNC_CHECK;
	case SYNC_REPAIR:
		return MD_SYNC_REPAIR;
	case SYNC_IDLE:
	default:
		return MD_SYNC_IDLE;
	}
}

static int set_action_one(const struct sysfs *s, const char *name, enum md_sync_action a)
{
	char devnm[MD_DEVNM_MAX];
	struct diag d = { 0 };
	int err;

	if (!open_md_node(s, name, devnm, sizeof(devnm), &err)) {
		if (err)
			pr_err("Couldn't open %s: %s\n", name, strerror(err));
		else
			pr_err("%s is no an md array\n", name);   /* sic, as mdadm 4.6 */
		return EXIT_FAIL;
	}
	err = md_set_sync_action(s, devnm, a, &d);
	if (err) {
		pr_err("%s\n", d.msg);
		pr_err("Count not set action for %s to %s: %s\n", name, md_sync_action_word(a),
		       strerror(-err));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int SetAction(const struct cmdline *c, const char *const *devs, size_t ndevs)
{
	enum md_sync_action a = requested_action(c);
	struct sysfs s;
	int rc = 0;

	sysfs_init(&s);
	for (size_t i = 0; i < ndevs; i++)
		rc |= set_action_one(&s, devs[i], a);
	return rc;
}

/* ---- --detail-platform ---------------------------------------------------- */

/* The formats mdadm 4.6 asks about, in its order. Only the first two are
 * written by this mdadm; both are platform independent, so no platform
 * capabilities are ever found (exit 2 as 4.6 on a host without a RAID
 * controller; 1 when the one format asked for is platform independent). */
static const struct {
	const char *name;
	bool supported;
	bool platform_specific;
} platform_formats[] = {
	{ "0.90", true, false }, { "1.x", true, false }, { "ddf", false, false },
	{ "imsm", false, true }, { "mbr", false, false }, { "gpt", false, false },
};

static int platform_format(size_t i, bool verbose, bool announce)
{
	if (verbose && announce)
		pr_err("checking metadata %s\n", platform_formats[i].name);
	if (verbose) {
		if (platform_formats[i].supported)
			pr_err("%s metadata is platform independent\n", platform_formats[i].name);
		else
			pr_err("%s metadata is not supported by this mdadm: no platform checked\n",
			       platform_formats[i].name);
	}
	return platform_formats[i].platform_specific ? 2 : 1;
}

static size_t platform_format_index(const struct cmdline *c)
{
	const char *e = cmd_val(c, OPT_METADATA);
	size_t n = sizeof(platform_formats) / sizeof(platform_formats[0]);

	if (cmd_num(c, OPT_METADATA) >= 0 && cmd_num(c, OPT_METADATA) != SHAPE_METADATA_090)
		return 1;
	if (cmd_num(c, OPT_METADATA) == SHAPE_METADATA_090)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (strcmp(e, platform_formats[i].name) == 0)
			return i;
	return 1;
}

int DetailPlatform(const struct cmdline *c)
{
	size_t n = sizeof(platform_formats) / sizeof(platform_formats[0]);
	bool verbose = c->verbose > 0;

	if (cmd_has(c, OPT_METADATA))
		return platform_format(platform_format_index(c), verbose, false);
	for (size_t i = 0; i < n; i++)
		platform_format(i, verbose, true);
	return 2;
}
