/* md_ioctl.h - access to an md device node where sysfs cannot do the job
 *
 * Today only the exclusive-open probe --stop makes before it asks sysfs
 * to stop an array: an O_EXCL open fails with EBUSY while the device is
 * mounted or claimed by another driver (a stacked array, device-mapper),
 * which sysfs does not say directly. And hot-adding a member to a running
 * array with its saved slot (ADD_NEW_DISK), which sysfs cannot express but
 * the kernel needs for a bitmap-based re-add. And arrays without
 * superblocks (--build), which only the ioctls can describe. */
#ifndef MDADM_MD_IOCTL_H
#define MDADM_MD_IOCTL_H

/* Open `node` read-only with O_EXCL and close it again. Returns 0, or the
 * errno of the failed open (EBUSY: someone holds the device). */
int md_probe_exclusive(const char *node);

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag.h"

/* ADD_NEW_DISK on the running array at `node`: member `rdev` with
 * descriptor `number`, in slot `role` (in sync) or as a spare (role < 0),
 * write-mostly/failfast as SB1_DEVFLAG_* in `devflags` say. */
int md_hot_add(const char *node, dev_t rdev, int number, int role, uint32_t devflags,
	       struct diag *d);

/* Remove the bitmap of the running array at `node` (either kind): clear
 * MD_SB_BITMAP_PRESENT through GET/SET_ARRAY_INFO, the kernel's way for a
 * lockless bitmap, which has no md/bitmap/location. 0 or -errno. */
int md_clear_bitmap_present(const char *node, struct diag *d);

/* ---- arrays without superblocks (--build) --------------------------------
 * The kernel learns such an array only through the ioctls: SET_ARRAY_INFO
 * with not_persistent, one ADD_NEW_DISK per member in its slot, RUN_ARRAY.
 * Each returns 0 or -errno; the diag says which step failed, in mdadm
 * 4.6's words. */
struct md_legacy_array {
	int level;
	int raid_disks;
	int missing;               /* slots given as "missing" */
	uint64_t size_kib;         /* per member; 0: the whole device */
	uint32_t chunk_bytes;      /* chunk, or rounding for linear */
	int layout;
	bool clean;                /* --assume-clean: no initial resync */
};

int md_legacy_set_info(int fd, const char *node, const struct md_legacy_array *a,
		       struct diag *d);
int md_legacy_add(int fd, dev_t rdev, int slot, bool write_mostly, const char *path,
		  struct diag *d);
int md_legacy_run(int fd, struct diag *d);
/* When the running array at `node` was set up (GET_ARRAY_INFO's ctime,
 * the only record of it for an array without superblocks). */
int md_array_ctime(const char *node, uint64_t *ctime, struct diag *d);
/* Take a half-built array apart again (STOP_ARRAY). */
void md_legacy_stop(int fd);

#endif
