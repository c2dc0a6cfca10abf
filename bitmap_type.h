/* bitmap_type.h - choosing the bitmap kind and telling the kernel
 *
 * md/bitmap_type lists the kernel's bitmap backends with the current one in
 * brackets ("none [bitmap] llbitmap"). It must be written before the array
 * starts; kernels without llbitmap do not list it, and kernels before 6.18
 * have no such attribute at all. */
#ifndef MDADM_BITMAP_TYPE_H
#define MDADM_BITMAP_TYPE_H

#include <stdbool.h>

#include "diag.h"
#include "geometry.h"
#include "sysfs.h"

struct bitmap_type_list {
	bool offered[3];           /* indexed by enum bitmap_kind */
	int current;               /* enum bitmap_kind, -1 if none bracketed */
};

/* --bitmap= value: "none", "internal", "lockless"; "clustered" and file
 * paths are refused with a reason. */
int bitmap_kind_parse(const char *s, enum bitmap_kind *k, struct diag *d);
const char *bitmap_kind_name(enum bitmap_kind k);       /* none/internal/lockless */
const char *bitmap_kind_sysfs_name(enum bitmap_kind k); /* none/bitmap/llbitmap */

/* Parse the attribute's text (pure). */
int bitmap_type_parse(const char *text, struct bitmap_type_list *l, struct diag *d);

/* Read md/bitmap_type of devnm. */
int bitmap_type_read(const struct sysfs *s, const char *devnm,
		     struct bitmap_type_list *l, struct diag *d);

/* Select kind for a not-yet-started array and read it back. Clear errors
 * when the kernel has no md/bitmap_type (before 6.18) or does not offer
 * the kind (llbitmap not built in). */
int bitmap_type_set(const struct sysfs *s, const char *devnm, enum bitmap_kind k,
		    struct diag *d);

#endif
