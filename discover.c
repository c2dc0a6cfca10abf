/* discover.c - finding md member devices quickly */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discover.h"
#include "dynlib.h"

static bool probe_md_member(const struct blkid_api *b, const char *path)
{
	static const char *const types[] = { "linux_raid_member", NULL };
	blkid_probe pr;
	const char *type = NULL;
	bool yes = false;

	/* without libblkid we cannot rule the device out: our own superblock
	 * reader, which the caller runs next, decides */
	if (!b->handle)
		return true;
	pr = b->new_probe_from_filename(path);
	if (!pr)
		return false;
	b->probe_enable_superblocks(pr, 1);
	b->probe_filter_superblocks_type(pr, BLKID_FLTR_ONLYIN, (char **)types);
	b->probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	if (b->do_probe(pr) == 0 && b->probe_lookup_value(pr, "TYPE", &type, NULL) == 0)
		yes = type && strcmp(type, "linux_raid_member") == 0;
	b->free_probe(pr);
	return yes;
}

bool discover_is_md_member(const char *path)
{
	struct blkid_api b;
	bool yes;

	dynlib_blkid_open(&b);
	yes = probe_md_member(&b, path);
	dynlib_close(b.handle);
	return yes;
}

static bool add_path(char **out, size_t max, size_t *n, const char *path)
{
	if (*n >= max)
		return false;
	out[*n] = strdup(path);
	if (out[*n])
		(*n)++;
	return true;
}

static bool udev_has_database(void)
{
	return access("/run/udev/control", F_OK) == 0 || access("/run/udev/data", F_OK) == 0;
}

/* One udev device: use its ID_FS_TYPE when udev probed it, else blkid. */
static void consider_udev_device(const struct udev_api *u, const struct blkid_api *b,
				 struct udev_device *dev, char **out, size_t max, size_t *n)
{
	const char *node = u->device_get_devnode(dev);
	const char *sysname = u->device_get_sysname(dev);
	const char *fstype = u->device_get_property_value(dev, "ID_FS_TYPE");
	const char *ready = u->device_get_property_value(dev, "SYSTEMD_READY");

	if (!node || !sysname || strncmp(sysname, "md", 2) == 0)
		return;
	if (ready && strcmp(ready, "0") == 0 && !fstype)
		return;
	if (fstype ? strcmp(fstype, "linux_raid_member") == 0 : probe_md_member(b, node))
		add_path(out, max, n, node);
}

static size_t discover_udev(const struct udev_api *u, const struct blkid_api *b,
			    char **out, size_t max)
{
	struct udev *udev = u->new_ctx();
	struct udev_enumerate *en;
	size_t n = 0;

	if (!udev)
		return 0;
	en = u->enumerate_new(udev);
	if (en && u->enumerate_add_match_subsystem(en, "block") == 0 &&
	    u->enumerate_scan_devices(en) == 0) {
		for (struct udev_list_entry *e = u->enumerate_get_list_entry(en); e;
		     e = u->list_entry_get_next(e)) {
			struct udev_device *dev =
				u->device_new_from_syspath(udev, u->list_entry_get_name(e));

			if (!dev)
				continue;
			consider_udev_device(u, b, dev, out, max, &n);
			u->device_unref(dev);
		}
	}
	if (en)
		u->enumerate_unref(en);
	u->unref(udev);
	return n;
}

static size_t discover_partitions(const struct blkid_api *b, char **out, size_t max)
{
	FILE *f = fopen("/proc/partitions", "r");
	char line[256], name[128], path[160];
	size_t n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		unsigned long long blocks;

		if (sscanf(line, " %u %u %llu %127s", &maj, &min, &blocks, name) != 4 ||
		    strncmp(name, "md", 2) == 0)
			continue;
		snprintf(path, sizeof(path), "/dev/%s", name);
		if (probe_md_member(b, path) && !add_path(out, max, &n, path))
			break;
	}
	fclose(f);
	return n;
}

size_t discover_md_members(char **out, size_t max)
{
	struct udev_api u = { 0 };
	struct blkid_api b;
	size_t n;

	dynlib_blkid_open(&b);
	if (udev_has_database() && dynlib_udev_open(&u))
		n = discover_udev(&u, &b, out, max);
	else
		n = discover_partitions(&b, out, max);
	dynlib_close(u.handle);
	dynlib_close(b.handle);
	return n;
}
