/* sysfs.h - the kernel's md interface through sysfs
 *
 * Every path is built from a root (default "/sys"; MDADM_SYSFS_ROOT in the
 * environment overrides it so pure logic can be tested against a fake
 * tree). Errors come back with the path and the kernel's errno text in the
 * diag and the errno itself: every call returns 0 or -errno (also with a
 * NULL diag), so callers decide on the code, never on the text. */
#ifndef MDADM_SYSFS_H
#define MDADM_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag.h"

#define MD_DEVNM_MAX 32

struct sysfs {
	char root[256];        /* "/sys" or the override */
	char dev_root[256];    /* "/dev" or MDADM_DEV_ROOT */
};

/* Root from MDADM_SYSFS_ROOT / MDADM_DEV_ROOT or the defaults. */
void sysfs_init(struct sysfs *s);

/* Generic reads/writes below the root: path relative to it, e.g.
 * "block/md0/md/array_state". Reads strip one trailing newline. */
int sysfs_read(const struct sysfs *s, const char *rel, char *buf, size_t len,
	       struct diag *d);
int sysfs_write(const struct sysfs *s, const char *rel, const char *val,
		struct diag *d) MUST_CHECK;
bool sysfs_exists(const struct sysfs *s, const char *rel);

/* md attributes: /sys/block/<devnm>/md/<attr> */
int md_read(const struct sysfs *s, const char *devnm, const char *attr,
	    char *buf, size_t len, struct diag *d);
int md_read_u64(const struct sysfs *s, const char *devnm, const char *attr,
		uint64_t *v, struct diag *d);
int md_write(const struct sysfs *s, const char *devnm, const char *attr,
	     const char *val, struct diag *d) MUST_CHECK;
bool md_has(const struct sysfs *s, const char *devnm, const char *attr);

/* The md device's logical block size (queue/logical_block_size), 512 when
 * it cannot be read. */
uint64_t md_queue_lbs(const struct sysfs *s, const char *devnm);

/* per-member attributes: /sys/block/<devnm>/md/dev-<kname>/<attr> */
int md_member_read(const struct sysfs *s, const char *devnm, const char *kname,
		   const char *attr, char *buf, size_t len, struct diag *d);
int md_member_write(const struct sysfs *s, const char *devnm, const char *kname,
		    const char *attr, const char *val, struct diag *d) MUST_CHECK;

/* Kernel name ("vda", "sdb1", "md127") and dev_t of a block device node. */
int blockdev_identify(const char *path, char *kname, size_t len, dev_t *rdev,
		      const struct sysfs *s, struct diag *d);

/* Is this md device present (its md/ directory exists)? */
bool md_present(const struct sysfs *s, const char *devnm);

/* Allocate an md device through md_mod's new_array parameter: "md0" for a
 * numbered one, "md_<name>" for a named one. Waits (bounded, by polling)
 * until its md/ directory and its /dev node exist; creates the node when
 * no udev or devtmpfs did. -EEXIST from the kernel is reported as "in use". */
int md_alloc(const struct sysfs *s, const char *devnm, struct diag *d) MUST_CHECK;

/* First free "mdN" counting down from 127 (what upstream does for named
 * arrays without a number). */
int md_find_free(const struct sysfs *s, char *devnm, size_t len, struct diag *d);

/* Path of the device node, "/dev/md0". */
void md_node_path(const struct sysfs *s, const char *devnm, char *buf, size_t len);

/* Wait (bounded) until the md device is gone after a stop. */
int md_wait_gone(const struct sysfs *s, const char *devnm, unsigned timeout_ms,
		 struct diag *d) MUST_CHECK;

/* Names of all md devices present (md*, with an md/ directory). */
int md_list(const struct sysfs *s, char (*names)[MD_DEVNM_MAX], size_t max,
	    size_t *n, struct diag *d);

/* Is the block device `kname` held by another device (a running array,
 * device-mapper)? Looks at /sys/class/block/<kname>/holders. */
bool blockdev_is_held(const struct sysfs *s, const char *kname);

/* Make the /dev/md/NAME symlink pointing at ../<devnm> (mkdir /dev/md). */
int md_make_link(const char *link, const char *devnm, struct diag *d);

/* Bounded polling helper: sleep `step_ms` until pred(arg) or timeout. */
bool poll_until(bool (*pred)(const void *arg), const void *arg,
		unsigned timeout_ms, unsigned step_ms);

/* ---- added for --detail/--query/--stop (Detail.c, mdarray.c) ---- */

#define SYSFS_NAME_MAX 64

/* Entries of the directory `rel` below the root whose names start with
 * `prefix` (all when ""), in the kernel's readdir order (which is the order
 * mdadm 4.6 reports members in). Names too long for SYSFS_NAME_MAX are
 * skipped; at most `max` are returned. */
int sysfs_list_dir(const struct sysfs *s, const char *rel, const char *prefix,
		   char (*names)[SYSFS_NAME_MAX], size_t max, size_t *n,
		   struct diag *d);

#endif
