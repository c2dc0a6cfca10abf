/* mdkernel.h - the md protocol in one place: the array's state, starting
 * an array from its members, taking it apart again
 *
 * Built on sysfs.c. Modes say what they want ("start it read-only", "stop
 * it") and never spell out md attributes, their words or their order.
 * Every setter returns 0 or -errno and fills the diag (path, errno text). */
#ifndef MDADM_MDKERNEL_H
#define MDADM_MDKERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag.h"
#include "geometry.h"
#include "llbitmap.h"
#include "sysfs.h"

/* md/array_state, in the kernel's order */
enum md_array_state {
	MD_STATE_CLEAR,
	MD_STATE_INACTIVE,
	MD_STATE_SUSPENDED,
	MD_STATE_READONLY,
	MD_STATE_READ_AUTO,
	MD_STATE_CLEAN,
	MD_STATE_ACTIVE,
	MD_STATE_WRITE_PENDING,
	MD_STATE_ACTIVE_IDLE,
	MD_STATE_BROKEN,
};
#define MD_STATE_COUNT (MD_STATE_BROKEN + 1)

/* The word to and from the kernel ("read-auto"); parse fails (-EINVAL)
 * on anything the kernel does not write. Pure. */
int md_array_state_parse(const char *word, enum md_array_state *st);
const char *md_array_state_word(enum md_array_state st);

/* Running: anything but clear and inactive. */
bool md_array_state_active(enum md_array_state st);
/* States in which the kernel's in_sync flag is set (--detail's "clean"). */
bool md_array_state_in_sync(enum md_array_state st);
/* An array_state word of a running array that takes no writes (readonly,
 * read-auto); false for words the kernel does not write. Pure. */
bool md_array_state_word_read_only(const char *word);

/* Read / write md/array_state of devnm. */
int md_get_array_state(const struct sysfs *s, const char *devnm, enum md_array_state *st,
		       struct diag *d);
int md_set_array_state(const struct sysfs *s, const char *devnm, enum md_array_state st,
		       struct diag *d) MUST_CHECK;

/* md/component_size of devnm: KiB used on each member (0: not set). */
int md_get_component_kib(const struct sysfs *s, const char *devnm, uint64_t *kib,
			 struct diag *d);

/* md/llbitmap/bits of devnm, parsed: the lines it understood count (a
 * newer kernel may print more states). -1 when it cannot be read. */
int md_get_llb_bits(const struct sysfs *s, const char *devnm, struct llb_bits *bits,
		    struct diag *d);

/* Present and running (false when the state cannot be read). */
bool md_array_is_active(const struct sysfs *s, const char *devnm);

/* Ask udev to look at devnm again (a "change" uevent): links and
 * properties follow what changed. 0 when the device has no uevent file. */
int md_notify_udev(const struct sysfs *s, const char *devnm, struct diag *d) MUST_CHECK;

/* ---- starting ---- */

struct md_start_member {
	dev_t rdev;
	const char *path;          /* for messages */
};

/* What the kernel needs before an array can run. */
struct md_start {
	int minor;                 /* metadata 1.<minor> (unless v090) */
	bool v090;                 /* metadata 0.90: the kernel reads the
	                              array's shape from the members as for v1 */
	enum bitmap_kind bitmap;
	const struct md_start_member *members;   /* in the order to hand over */
	size_t nmembers;
	uint32_t lbs;              /* logical block size to set; 0: the kernel's */
	bool lbs_required;         /* fail when this kernel cannot set it */
};

/* Hand one member device to a not yet running array (md/new_dev). */
int md_add_member(const struct sysfs *s, const char *devnm, dev_t rdev,
		  struct diag *d) MUST_CHECK;

/* metadata_version, bitmap_type, new_dev for each member, then the
 * logical block size (the kernel only takes it once members are there,
 * and only values above the current one). */
int md_array_prepare(const struct sysfs *s, const char *devnm, const struct md_start *st,
		     struct diag *d) MUST_CHECK;

/* Start a loaded array in state `how` (active, readonly or read-auto) and
 * check that the kernel really runs it. */
int md_array_run(const struct sysfs *s, const char *devnm, enum md_array_state how,
		 struct diag *d) MUST_CHECK;

/* Both of the above. */
int md_array_start(const struct sysfs *s, const char *devnm, const struct md_start *st,
		   enum md_array_state how, struct diag *d) MUST_CHECK;

/* ---- taking apart ---- */

/* Stop devnm and release its members: "clear" to md/array_state, retried
 * for a few seconds while the kernel says EBUSY (a process, often udev's
 * probe, has it open), then wait until the md device is gone (Linux 6.17+
 * deletes it) or reads "clear". Returns 0, the write's -errno, or
 * -ETIMEDOUT when the array is still there ("it is still <state>"). */
int md_array_stop(const struct sysfs *s, const char *devnm, struct diag *d) MUST_CHECK;

/* ---- the shape and policies of a running array ---------------------------- */

/* Number of member slots (md/raid_disks). A RAID1 takes it at once: more
 * slots leave the array degraded until spares recover into them; fewer
 * slots are refused (EBUSY) while more members than that hold one. */
int md_set_raid_disks(const struct sysfs *s, const char *devnm, unsigned n,
		      struct diag *d) MUST_CHECK;
/* The chunk size (bytes) and layout a reshape of a running RAID4/5/6 is
 * to make (md/chunk_size, md/layout): the kernel checks them against the
 * array (EINVAL: not a power of two, smaller than a page, not dividing
 * the size; ENOSPC: stripe cache too small) and keeps the old ones until
 * sync_action=reshape; writing the current value again takes it back. */
int md_set_new_chunk(const struct sysfs *s, const char *devnm, uint64_t bytes,
		     struct diag *d) MUST_CHECK;
int md_set_new_layout(const struct sysfs *s, const char *devnm, uint32_t layout,
		      struct diag *d) MUST_CHECK;
/* Where the sync thread stops until told more (md/sync_max, sectors, a
 * multiple of the chunk; 0 holds a reshape at its start), or "max". */
int md_set_sync_max(const struct sysfs *s, const char *devnm, uint64_t sectors,
		    struct diag *d) MUST_CHECK;
int md_set_sync_max_unlimited(const struct sysfs *s, const char *devnm,
			      struct diag *d) MUST_CHECK;

/* ---- reshapes of RAID4/5/6 ------------------------------------------------
 * The kernel reshapes without a backup when every member's data moves to
 * a new offset (md/dev-X/new_offset, absolute sectors): lower for more
 * members (a forward reshape), refused while a sync runs (EBUSY), into
 * metadata or past the device (E2BIG), against the reshape's direction
 * (EINVAL); writing the current offset is always allowed and undoes it. */
int md_member_set_new_offset(const struct sysfs *s, const char *devnm, const char *kname,
			     uint64_t sectors, struct diag *d) MUST_CHECK;
int md_member_get_offsets(const struct sysfs *s, const char *devnm, const char *kname,
			  uint64_t *offset, uint64_t *new_offset, struct diag *d);

/* md/stripe_cache_size (entries of 4 KiB per member): a reshape needs
 * room for four of its chunks (policy_reshape_stripe_cache). */
int md_get_stripe_cache(const struct sysfs *s, const char *devnm, unsigned *n,
			struct diag *d);
int md_set_stripe_cache(const struct sysfs *s, const char *devnm, unsigned n,
			struct diag *d) MUST_CHECK;

/* md/reshape_position: *active false when it reads "none". */
int md_get_reshape_position(const struct sysfs *s, const char *devnm, bool *active,
			    uint64_t *sector, struct diag *d);

/* md/consistency_policy: "resync", "bitmap", "journal", "ppl", "none" or
 * "unknown" as read; writable only where the personality can switch
 * (RAID5: ppl <-> resync), elsewhere the kernel answers EBUSY or EINVAL. */
int md_get_consistency_policy(const struct sysfs *s, const char *devnm, char *buf, size_t len,
			      struct diag *d);
int md_set_consistency_policy(const struct sysfs *s, const char *devnm, const char *word,
			      struct diag *d) MUST_CHECK;

/* Most write-behind writes outstanding to write-mostly members, through
 * the classic bitmap (md/bitmap/backlog, which the kernel also records in
 * the bitmap superblock); read back to check. The kernel refuses it
 * (EINVAL) while no member is write-mostly. */
int md_set_write_behind(const struct sysfs *s, const char *devnm, unsigned n,
			struct diag *d) MUST_CHECK;

/* ---- the sync thread (md/sync_action) -----------------------------------
 * Frozen, the kernel starts no resync or recovery (a spare cannot be taken
 * while --replace names its partner; resync_start may be rewound). A
 * frozen array must be released again, or it never syncs: callers check
 * the unfreeze. */
int md_sync_freeze(const struct sysfs *s, const char *devnm, struct diag *d) MUST_CHECK;
int md_sync_unfreeze(const struct sysfs *s, const char *devnm, struct diag *d) MUST_CHECK;
/* On a frozen array: rewind resync_start and ask for a resync pass. */
int md_sync_resync_from_start(const struct sysfs *s, const char *devnm,
			      struct diag *d) MUST_CHECK;
/* No resync, recovery, check or reshape running (or unreadable: false). */
bool md_sync_is_idle(const struct sysfs *s, const char *devnm);

/* md/sync_action, the words the kernel prints (and takes: writing one asks
 * for it, "idle" and "frozen" stop what runs). */
enum md_sync_action {
	MD_SYNC_IDLE,
	MD_SYNC_FROZEN,
	MD_SYNC_RESYNC,
	MD_SYNC_RECOVER,
	MD_SYNC_CHECK,
	MD_SYNC_REPAIR,
	MD_SYNC_RESHAPE,
};
#define MD_SYNC_COUNT (MD_SYNC_RESHAPE + 1)

/* Pure; parse fails (-EINVAL) on anything the kernel does not write. */
int md_sync_action_parse(const char *word, enum md_sync_action *a);
const char *md_sync_action_word(enum md_sync_action a);
/* Pure, on a word already read (struct md_array's sync_action): is it
 * that action? Is something running (not idle, not frozen; a word this
 * build does not know counts as running, "" as nothing known)? */
bool md_sync_word_is(const char *word, enum md_sync_action a);
bool md_sync_word_running(const char *word);

int md_get_sync_action(const struct sysfs *s, const char *devnm, enum md_sync_action *a,
		       struct diag *d);
/* Ask the sync thread for `a` (what --action does). */
int md_set_sync_action(const struct sysfs *s, const char *devnm, enum md_sync_action a,
		       struct diag *d) MUST_CHECK;

/* ---- safe mode ------------------------------------------------------------
 * md/safe_mode_delay: how long writes must have stopped before the kernel
 * marks the array clean; it prints seconds with three decimals ("0.203"),
 * 0 when safe mode is off (levels without redundancy, external metadata). */

/* "0.203" -> 203 ms. Pure; -EINVAL on anything else. */
int md_safe_mode_parse(const char *text, unsigned *ms);
int md_get_safe_mode_ms(const struct sysfs *s, const char *devnm, unsigned *ms,
			struct diag *d);
int md_set_safe_mode_ms(const struct sysfs *s, const char *devnm, unsigned ms,
			struct diag *d) MUST_CHECK;

/* Wait until the kernel has marked devnm clean (array_state clean,
 * readonly, read-auto, inactive, ...), at most timeout_ms, with the safe
 * mode delay shortened meanwhile and put back afterwards. 0 at once for
 * arrays that never go dirty (safe mode off: no redundancy); -ETIMEDOUT
 * when writes kept it active. */
int md_wait_clean(const struct sysfs *s, const char *devnm, unsigned timeout_ms,
		  struct diag *d) MUST_CHECK;

#endif
