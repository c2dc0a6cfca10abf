/* bitmap_type.h - telling the kernel which bitmap kind an array uses
 *
 * md/bitmap_type (parsed by bitmap_type_parse in bitmap_kind.c) must be
 * written before the array starts; kernels without llbitmap do not list
 * it, and kernels before 6.18 have no such attribute at all. */
#ifndef MDADM_BITMAP_TYPE_H
#define MDADM_BITMAP_TYPE_H

#include <stdbool.h>

#include "bitmap_kind.h"
#include "diag.h"
#include "sysfs.h"

/* Read md/bitmap_type of devnm. */
int bitmap_type_read(const struct sysfs *s, const char *devnm,
		     struct bitmap_type_list *l, struct diag *d);

/* Select kind for a not-yet-started array and read it back. Clear errors
 * when the kernel has no md/bitmap_type (before 6.18) or does not offer
 * the kind (llbitmap not built in). */
int bitmap_type_set(const struct sysfs *s, const char *devnm, enum bitmap_kind k,
		    struct diag *d);

#endif
