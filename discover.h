/* discover.h - finding md member devices quickly
 *
 * With a udev database, block devices and their ID_FS_TYPE come from
 * libudev (devices udev has not probed are probed with libblkid); without
 * one (early boot, containers, the test VM), every device in
 * /proc/partitions is probed with libblkid restricted to the md superblock
 * types, which reads only the few sectors where such a superblock can be. */
#ifndef MDADM_DISCOVER_H
#define MDADM_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

/* Paths (malloc'd, caller frees) of block devices that carry an md
 * superblock; md devices themselves and devices udev marks as not ready
 * are skipped. Returns the count. */
size_t discover_md_members(char **out, size_t max);

/* libblkid's verdict for one device: true for "linux_raid_member". */
bool discover_is_md_member(const char *path);

#endif
