/* dynlib.c - libudev and libblkid, loaded when a path needs them */
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#include "dynlib.h"

struct sym {
	const char *name;
	size_t offset;          /* of the function pointer in the table */
};

#define BLKID_SYM(field, name) { name, offsetof(struct blkid_api, field) }
#define UDEV_SYM(field, name) { name, offsetof(struct udev_api, field) }

static const struct sym blkid_syms[] = {
	BLKID_SYM(new_probe_from_filename, "blkid_new_probe_from_filename"),
	BLKID_SYM(probe_enable_superblocks, "blkid_probe_enable_superblocks"),
	BLKID_SYM(probe_filter_superblocks_type, "blkid_probe_filter_superblocks_type"),
	BLKID_SYM(probe_set_superblocks_flags, "blkid_probe_set_superblocks_flags"),
	BLKID_SYM(probe_enable_partitions, "blkid_probe_enable_partitions"),
	BLKID_SYM(do_probe, "blkid_do_probe"),
	BLKID_SYM(do_safeprobe, "blkid_do_safeprobe"),
	BLKID_SYM(probe_lookup_value, "blkid_probe_lookup_value"),
	BLKID_SYM(free_probe, "blkid_free_probe"),
};

static const struct sym udev_syms[] = {
	UDEV_SYM(new_ctx, "udev_new"),
	UDEV_SYM(unref, "udev_unref"),
	UDEV_SYM(enumerate_new, "udev_enumerate_new"),
	UDEV_SYM(enumerate_add_match_subsystem, "udev_enumerate_add_match_subsystem"),
	UDEV_SYM(enumerate_scan_devices, "udev_enumerate_scan_devices"),
	UDEV_SYM(enumerate_get_list_entry, "udev_enumerate_get_list_entry"),
	UDEV_SYM(enumerate_unref, "udev_enumerate_unref"),
	UDEV_SYM(list_entry_get_next, "udev_list_entry_get_next"),
	UDEV_SYM(list_entry_get_name, "udev_list_entry_get_name"),
	UDEV_SYM(device_new_from_syspath, "udev_device_new_from_syspath"),
	UDEV_SYM(device_get_devnode, "udev_device_get_devnode"),
	UDEV_SYM(device_get_sysname, "udev_device_get_sysname"),
	UDEV_SYM(device_get_property_value, "udev_device_get_property_value"),
	UDEV_SYM(device_unref, "udev_device_unref"),
};

/* dlopen the library (by its soname) and resolve every symbol into table;
 * the handle goes first in each table. */
static bool load(const char *soname, const struct sym *syms, size_t n, void *table,
		 size_t table_size)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	memset(table, 0, table_size);
	if (!h)
		return false;
	for (size_t i = 0; i < n; i++) {
		void *f = dlsym(h, syms[i].name);

		if (!f) {
			dlclose(h);
			memset(table, 0, table_size);
			return false;
		}
		/* a data pointer from dlsym into a function pointer slot */
		memcpy((char *)table + syms[i].offset, &f, sizeof(f));
	}
	memcpy(table, &h, sizeof(h));
	return true;
}

bool dynlib_blkid_open(struct blkid_api *api)
{
	return load("libblkid.so.1", blkid_syms, sizeof(blkid_syms) / sizeof(blkid_syms[0]),
		    api, sizeof(*api));
}

bool dynlib_udev_open(struct udev_api *api)
{
	return load("libudev.so.1", udev_syms, sizeof(udev_syms) / sizeof(udev_syms[0]),
		    api, sizeof(*api));
}

void dynlib_close(void *handle)
{
	if (handle)
		dlclose(handle);
}
