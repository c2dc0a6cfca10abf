/* devnames.h - the name under /dev to show for a block device
 *
 * mdadm 4.6 walks /dev once and, for a major:minor, shows a name under
 * /dev/md/ or one containing the --prefer string if there is one, else the
 * shortest name (symlinks count). The walk is done lazily, once per run. */
#ifndef MDADM_DEVNAMES_H
#define MDADM_DEVNAMES_H

#include <stdbool.h>
#include <stddef.h>

struct devname_ent {
	char *path;
	unsigned major, minor;
};

struct devnames {
	char root[256];             /* "/dev" or $MDADM_DEV_ROOT */
	bool scanned;
	struct devname_ent *e;
	size_t n, cap;
};

void devnames_init(struct devnames *dn, const char *dev_root);
void devnames_free(struct devnames *dn);

/* Best name for major:minor; `prefer` is the --prefer value (may be NULL).
 * NULL when no node has that number. The string lives in `dn`. */
const char *devnames_find(struct devnames *dn, unsigned major, unsigned minor,
			  const char *prefer);

/* The same, falling back to <dev root>/<kname> when that exists (in any
 * form: fake trees use plain files); the name is kept in `dn`. */
const char *devnames_find_kname(struct devnames *dn, unsigned major, unsigned minor,
				const char *prefer, const char *kname);

#endif
