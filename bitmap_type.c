/* bitmap_type.c - telling the kernel which bitmap kind an array uses */
#include <string.h>

#include "bitmap_type.h"

int bitmap_type_read(const struct sysfs *s, const char *devnm,
		     struct bitmap_type_list *l, struct diag *d)
{
	char buf[128];

	if (!md_has(s, devnm, "bitmap_type"))
		return diag_fail(d, "this kernel has no md/bitmap_type (added in Linux 6.18)");
	if (md_read(s, devnm, "bitmap_type", buf, sizeof(buf), d))
		return -1;
	return bitmap_type_parse(buf, l, d);
}

int bitmap_type_set(const struct sysfs *s, const char *devnm, enum bitmap_kind k,
		    struct diag *d)
{
	struct bitmap_type_list l;

	struct diag why = { 0 };

	if (bitmap_type_read(s, devnm, &l, &why)) {
		/* older kernels only know the classic bitmap: that is fine */
		if (k != BITMAP_KIND_LOCKLESS)
			return 0;
		return diag_fail(d, "the lockless bitmap needs Linux 6.18 or later with CONFIG_MD_LLBITMAP: %s",
				 why.msg);
	}
	if (!l.offered[k])
		return diag_fail(d, "this kernel does not offer the %s bitmap (md/bitmap_type lists no '%s'; is CONFIG_MD_LLBITMAP enabled?)",
				 bitmap_kind_name(k), bitmap_kind_sysfs_name(k));
	if (l.current == (int)k)
		return 0;
	if (md_write(s, devnm, "bitmap_type", bitmap_kind_sysfs_name(k), d))
		return -1;
	if (bitmap_type_read(s, devnm, &l, d))
		return -1;
	if (l.current != (int)k)
		return diag_fail(d, "the kernel did not switch %s to the %s bitmap", devnm,
				 bitmap_kind_name(k));
	return 0;
}
