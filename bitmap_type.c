/* bitmap_type.c - choosing the bitmap kind and telling the kernel */
#include <string.h>

#include "bitmap_type.h"

static const char *const kind_names[] = { "none", "internal", "lockless" };
static const char *const sysfs_names[] = { "none", "bitmap", "llbitmap" };

const char *bitmap_kind_name(enum bitmap_kind k)
{
	return k <= BITMAP_KIND_LOCKLESS ? kind_names[k] : "?";
}

const char *bitmap_kind_sysfs_name(enum bitmap_kind k)
{
	return k <= BITMAP_KIND_LOCKLESS ? sysfs_names[k] : "?";
}

int bitmap_kind_parse(const char *s, enum bitmap_kind *k, struct diag *d)
{
	for (unsigned i = 0; i <= BITMAP_KIND_LOCKLESS; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum bitmap_kind)i;
			return 0;
		}
	if (strcmp(s, "clustered") == 0)
		return diag_fail(d, "clustered bitmaps (md-cluster) are not supported by this mdadm");
	if (strchr(s, '/'))
		return diag_fail(d, "Custom write-intent bitmap file option is not supported.");
	return diag_fail(d, "--bitmap value must be 'none', 'internal' or 'lockless', not \"%s\"", s);
}

static int kind_from_sysfs_word(const char *w, size_t n)
{
	for (unsigned i = 0; i <= BITMAP_KIND_LOCKLESS; i++)
		if (strlen(sysfs_names[i]) == n && strncmp(w, sysfs_names[i], n) == 0)
			return (int)i;
	return -1;
}

int bitmap_type_parse(const char *text, struct bitmap_type_list *l, struct diag *d)
{
	const char *p = text;

	memset(l, 0, sizeof(*l));
	l->current = -1;
	while (*p) {
		bool bracket = false;
		size_t n;
		int k;

		p += strspn(p, " \t\n");
		if (!*p)
			break;
		if (*p == '[') {
			bracket = true;
			p++;
		}
		n = strcspn(p, " \t\n]");
		k = kind_from_sysfs_word(p, n);
		if (k >= 0) {
			l->offered[k] = true;
			if (bracket)
				l->current = k;
		}
		p += n;
		if (*p == ']')
			p++;
	}
	if (!l->offered[BITMAP_KIND_NONE] && !l->offered[BITMAP_KIND_CLASSIC])
		return diag_fail(d, "unexpected md/bitmap_type contents \"%s\"", text);
	return 0;
}

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
