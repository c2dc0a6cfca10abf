/* discover.c - finding md member devices quickly */
#include <blkid.h>
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discover.h"

bool discover_is_md_member(const char *path)
{
	static const char *const types[] = { "linux_raid_member", NULL };
	blkid_probe pr = blkid_new_probe_from_filename(path);
	const char *type = NULL;
	bool yes = false;

	if (!pr)
		return false;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_filter_superblocks_type(pr, BLKID_FLTR_ONLYIN, (char **)types);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	if (blkid_do_probe(pr) == 0 && blkid_probe_lookup_value(pr, "TYPE", &type, NULL) == 0)
		yes = type && strcmp(type, "linux_raid_member") == 0;
	blkid_free_probe(pr);
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
static void consider_udev_device(struct udev_device *dev, char **out, size_t max, size_t *n)
{
	const char *node = udev_device_get_devnode(dev);
	const char *sysname = udev_device_get_sysname(dev);
	const char *fstype = udev_device_get_property_value(dev, "ID_FS_TYPE");
	const char *ready = udev_device_get_property_value(dev, "SYSTEMD_READY");

	if (!node || !sysname || strncmp(sysname, "md", 2) == 0)
		return;
	if (ready && strcmp(ready, "0") == 0 && !fstype)
		return;
	if (fstype ? strcmp(fstype, "linux_raid_member") == 0 : discover_is_md_member(node))
		add_path(out, max, n, node);
}

static size_t discover_udev(char **out, size_t max)
{
	struct udev *udev = udev_new();
	struct udev_enumerate *en;
	struct udev_list_entry *e;
	size_t n = 0;

	if (!udev)
		return 0;
	en = udev_enumerate_new(udev);
	if (en && udev_enumerate_add_match_subsystem(en, "block") == 0 &&
	    udev_enumerate_scan_devices(en) == 0) {
		udev_list_entry_foreach(e, udev_enumerate_get_list_entry(en)) {
			struct udev_device *dev =
				udev_device_new_from_syspath(udev, udev_list_entry_get_name(e));

			if (!dev)
				continue;
			consider_udev_device(dev, out, max, &n);
			udev_device_unref(dev);
		}
	}
	udev_enumerate_unref(en);
	udev_unref(udev);
	return n;
}

static size_t discover_partitions(char **out, size_t max)
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
		if (discover_is_md_member(path) && !add_path(out, max, &n, path))
			break;
	}
	fclose(f);
	return n;
}

size_t discover_md_members(char **out, size_t max)
{
	return udev_has_database() ? discover_udev(out, max) : discover_partitions(out, max);
}
