/* policy.h - what mdadm decides about arrays, without doing any I/O:
 * whether the members present are enough to run, which host an array is
 * local to, and which md device, /dev/md/ link and map name a name the
 * user gave stands for. Every mode asks here, so each rule has one home. */
#ifndef MDADM_POLICY_H
#define MDADM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* ---- enough members to run ------------------------------------------------- */

/* Can an array of this level and layout run with slot_present[0..raid_disks)?
 * The kernel's rules: linear/raid0 need every slot, raid1 and multipath
 * one, raid4/5 all but one, raid6 all but two. raid10 keeps near*far
 * copies of a chunk on that many consecutive slots, and a chunk's copies
 * start on every slot that is a multiple of the near count (wrapping
 * round the slots); each such window needs one present slot. Far and
 * offset layouts place copies alike, so the offset bit does not matter.
 * Geometries the kernel refuses (no copies, more copies than slots) are
 * never enough. */
bool policy_enough(int level, unsigned raid_disks, uint32_t layout, const bool *slot_present);

/* ---- --assemble --force ------------------------------------------------- */

#define POLICY_MAX_SLOTS 1920u   /* as many as a v1 superblock can describe */

/* A member of an array being assembled, as --force weighs it. */
struct force_member {
	uint64_t events;
	int slot;              /* slot its own superblock gives it; -1: none */
	bool recovering;       /* only partly rebuilt (recovery offset short of the end) */
	bool uptodate;         /* in: within one event of the freshest; out: also when forced */
	bool forced;           /* out: its event count is to be raised to the freshest's */
};

/* While the up-to-date members' slots are not enough to run (the clean
 * rule of policy_enough), bring forward the stale member with the highest
 * event count among those with a slot below raid_disks not yet filled and
 * not partly rebuilt, and with it every other such member of that same
 * event count; spares, faulty and partly rebuilt members never. Marks
 * them uptodate and forced; returns how many. However far behind a member
 * is, it may be forced: the user asked for the array back. */
unsigned policy_force_stale(int level, unsigned raid_disks, uint32_t layout,
			    struct force_member *m, size_t n);

/* Is a not-clean array with `active` of raid_disks members one --force
 * marks clean so the kernel starts it? raid4/5 missing a member, raid6
 * missing two: the kernel refuses such a dirty degraded array (its parity
 * may not match), and other levels have no parity to distrust. */
bool policy_force_marks_clean(int level, unsigned raid_disks, unsigned active);

/* ---- homehost ---------------------------------------------------------------- */

/* The homehost in force and whether a name must carry it to count as
 * local. From --homehost if given, else mdadm.conf's HOMEHOST; "<system>"
 * (or neither given) means the machine's name, "" and "<none>" mean no
 * homehost, "<ignore>" keeps the machine's name but no longer requires
 * it. The special words are matched without regard to case. */
struct homehost_policy {
	char name[64];                /* "" when none */
	bool require;
};
void policy_homehost(struct homehost_policy *hp, const char *cmdline_value,
		     const char *conf_value, const char *system_name);

/* Is the array name "host:name" with host equal to homehost (1..31
 * characters, compared exactly)? */
bool policy_name_is_local(const char *name, const char *homehost);

/* ---- md names ---------------------------------------------------------------- */

enum md_name_kind {
	MD_NAME_INVALID = 0,
	MD_NAME_NUMBERED,              /* /dev/mdN, mdN, /dev/md/N, N: device mdN */
	MD_NAME_UNDERSCORE,            /* /dev/md_X, md_X: device md_X */
	MD_NAME_LINKED,                /* /dev/md/X, X: a /dev/md/X link to a device
					* chosen later (and the array's name X) */
};

#define MD_NAME_DEVNM_MAX 32           /* as sysfs.h's MD_DEVNM_MAX */
#define MD_NAME_PATH_MAX 256

/* What a name the user gave for an array stands for, from the text alone
 * (following links and asking the kernel is the caller's part). */
struct md_name {
	enum md_name_kind kind;
	bool bare;                     /* given without a directory */
	bool in_md_dir;                /* given as /dev/md/... */
	char devnm[MD_NAME_DEVNM_MAX]; /* kernel name; "" when LINKED */
	char link[MD_NAME_PATH_MAX];   /* /dev/md/X to make when LINKED, else "" */
	char map_name[MD_NAME_PATH_MAX]; /* the path /run/mdadm/map records */
	char name[MD_NAME_PATH_MAX];   /* the array's name: X, or N for mdN */
};

/* Classify `given`. An empty name, a /dev/md/ name that is empty or has
 * another '/', a path whose last part is neither mdN nor md_X, and a
 * kernel name too long for the kernel are invalid (-1, reason in d). */
int policy_md_name(const char *given, struct md_name *n, struct diag *d);

/* mdadm.conf's "CREATE names=yes": an array named X (not a number) runs
 * as kernel device md_X. False, devnm untouched, when X cannot be part of
 * a kernel name (empty, a host part, '/', blanks, too long). */
bool policy_names_devnm(const char *name, char *devnm, size_t len);

/* ---- reshapes of RAID4/5/6 ------------------------------------------------ */

/* Members holding data in each stripe: raid4/5 all but one, raid6 all but
 * two; 0 for other levels or too few members. */
unsigned policy_data_members(int level, unsigned raid_disks);

/* How far (sectors) every member's data offset must move so that the
 * kernel can reshape forwards without a backup: a whole number of
 * stretches that each hold whole old and new stripes (their least common
 * multiple, per old data member), and more than the kernel's margin. The
 * kernel forces its position onto the disks before a write only while
 * what it may still read lies beyond what it may write; with its unit of
 * work u (the larger chunk) that takes a move of more than
 * u * (1 + old_data / new_data): more than two chunks when the number of
 * data members stays (a new chunk size or layout), where one stretch can
 * be a single chunk and a crash then loses data. Chunks in sectors; 0
 * when an argument is 0. */
uint64_t policy_reshape_offset_shift(uint64_t old_chunk, uint64_t new_chunk,
				     unsigned old_data, unsigned new_data);

/* Stripe cache entries a RAID4/5/6 reshape needs: the kernel refuses it
 * (ENOSPC) unless the cache holds four of the larger chunk in 4 KiB
 * stripes; one more than that, never below the kernel's default 256. */
unsigned policy_reshape_stripe_cache(uint64_t old_chunk_bytes, uint64_t new_chunk_bytes);

#endif
