/* Run.c - `mdadm --run /dev/mdX` (misc mode): start an array that is
 * partly assembled (inactive, members present), the way
 * mdadm-last-resort@.service uses it after a timeout.
 *
 * Like upstream this is --incremental --run --scan limited to one array
 * (the map names it), but the start goes through member_set.c, so
 * md/bitmap_type is set from the bitmap superblock first — a lockless
 * array started degraded this way does not depend on the kernel's
 * version fallback. An array that is already running is left alone. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "mdarray.h"
#include "modes.h"
#include "sysfs.h"
#include "util.h"

static int run_one(const struct cmdline *c, const struct sysfs *s, const char *dev)
{
	char devnm[MD_DEVNM_MAX], node[PATH_MAX];
	struct diag d = { 0 };
	int fd;

	if (md_find_array(s, dev, devnm, sizeof(devnm), &d)) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	md_node_path(s, devnm, node, sizeof(node));
	fd = open(strchr(dev, '/') ? dev : node, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pr_err("error opening %s: %s\n", dev, strerror(errno));
		return EXIT_FAIL;
	}
	close(fd);
	if (!md_present(s, devnm)) {
		pr_err("Cannot find %s in sysfs!!\n", dev);
		return EXIT_FAIL;
	}
	return incremental_run_scan(c, devnm);
}

int Run(const struct cmdline *c, const char *const *devs, size_t ndevs)
{
	struct sysfs s;
	int rc = EXIT_OK;

	sysfs_init(&s);
	for (size_t i = 0; i < ndevs; i++)
		rc |= run_one(c, &s, devs[i]);
	return rc;
}
