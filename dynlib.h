/* dynlib.h - libudev and libblkid, loaded when a path needs them
 *
 * Few calls use them (--assemble --scan without DEVICE lines, --examine
 * --scan, --create's check of old contents), but linking them made every
 * process load and relocate both at exec: a large share of a udev-run
 * --incremental, which never uses them. Here they are opened with
 * dlopen() by the callers that probe or enumerate devices. */
#ifndef MDADM_DYNLIB_H
#define MDADM_DYNLIB_H

#include <blkid.h>
#include <libudev.h>
#include <stdbool.h>

struct blkid_api {
	void *handle;
	blkid_probe (*new_probe_from_filename)(const char *filename);
	int (*probe_enable_superblocks)(blkid_probe pr, int enable);
	int (*probe_filter_superblocks_type)(blkid_probe pr, int flag, char *names[]);
	int (*probe_set_superblocks_flags)(blkid_probe pr, int flags);
	int (*probe_enable_partitions)(blkid_probe pr, int enable);
	int (*do_probe)(blkid_probe pr);
	int (*do_safeprobe)(blkid_probe pr);
	int (*probe_lookup_value)(blkid_probe pr, const char *name, const char **data,
				  size_t *len);
	void (*free_probe)(blkid_probe pr);
};

struct udev_api {
	void *handle;
	struct udev *(*new_ctx)(void);
	struct udev *(*unref)(struct udev *udev);
	struct udev_enumerate *(*enumerate_new)(struct udev *udev);
	int (*enumerate_add_match_subsystem)(struct udev_enumerate *en, const char *subsystem);
	int (*enumerate_scan_devices)(struct udev_enumerate *en);
	struct udev_list_entry *(*enumerate_get_list_entry)(struct udev_enumerate *en);
	struct udev_enumerate *(*enumerate_unref)(struct udev_enumerate *en);
	struct udev_list_entry *(*list_entry_get_next)(struct udev_list_entry *e);
	const char *(*list_entry_get_name)(struct udev_list_entry *e);
	struct udev_device *(*device_new_from_syspath)(struct udev *udev, const char *syspath);
	const char *(*device_get_devnode)(struct udev_device *dev);
	const char *(*device_get_sysname)(struct udev_device *dev);
	const char *(*device_get_property_value)(struct udev_device *dev, const char *key);
	struct udev_device *(*device_unref)(struct udev_device *dev);
};

/* Load the library and fill the table; false (table zeroed) when the
 * library or one of its functions is missing. Close with dynlib_close. */
bool dynlib_blkid_open(struct blkid_api *api);
bool dynlib_udev_open(struct udev_api *api);
void dynlib_close(void *handle);

#endif
