/* member_set.h - what Assemble and Incremental share: choosing the members
 * of one array from candidate devices, deciding whether enough are present,
 * and handing them to the kernel with the right bitmap type. */
#ifndef MDADM_MEMBER_SET_H
#define MDADM_MEMBER_SET_H

#include <stdbool.h>
#include <sys/types.h>

#include "diag.h"
#include "geometry.h"
#include "member.h"
#include "sysfs.h"

#define ASM_MAX_MEMBERS 384

struct asm_member {
	const char *path;
	char kname[MD_DEVNM_MAX];
	dev_t rdev;
	struct member m;
	int role;                  /* slot from the freshest superblock, -1 spare */
	bool chosen;               /* will be given to the kernel */
	bool forced;               /* stale, brought forward by --force */
	const char *why_not;       /* reason when not chosen */
};

struct asm_set {
	size_t n;
	size_t cap;                /* room in ms[] */
	size_t freshest;           /* index of the member with the most events */
	struct asm_member ms[];
};

/* An empty set with room for cap members (at most ASM_MAX_MEMBERS), to be
 * released with free(); NULL when out of memory. */
struct asm_set *asm_set_new(size_t cap);

/* Add a member already loaded with member_load (path must outlive set). */
int asm_add(struct asm_set *set, const char *path, const struct member *m,
	    const struct sysfs *s, struct diag *d);

/* Pick the members to use: the freshest superblock decides roles; members
 * more than one event behind are stale and left out; two members claiming
 * one slot: the fresher wins. */
void asm_choose(struct asm_set *set);

/* --force, after asm_choose: when the chosen members are not enough to
 * run, choose the stale members policy_force_stale() brings forward
 * (forced, in the slot their own superblock gives them), and give an
 * up-to-date member the freshest superblock records as failed its own
 * slot back. Writes nothing; returns how many were forced. */
unsigned asm_force_plan(struct asm_set *set);

/* The role the freshest superblock should record for chosen member i:
 * its slot, or spare. */
uint16_t asm_wanted_role(const struct asm_set *set, size_t i);

struct asm_count {
	unsigned active;           /* chosen members with a role, in sync */
	unsigned rebuilding;       /* chosen members with a role, recovery under way */
	unsigned spares;           /* chosen members without a role */
	unsigned expected;         /* members the freshest sb calls working */
	bool enough;               /* the level can run with the members in sync */
	bool clean;                /* freshest sb says in sync */
	bool unclean_degraded;     /* not clean and short of the members md needs to
				      start such an array (it refuses: --force) */
};
void asm_count(const struct asm_set *set, struct asm_count *c);

/* Bitmap kind a member's superblocks ask for (v6 -> lockless). */
enum bitmap_kind asm_bitmap_kind(const struct member *m);

enum asm_start { ASM_START_RW, ASM_START_RO, ASM_START_AUTO_RO };

/* Give the chosen members to md device devnm (allocated already) and start
 * it: metadata_version, bitmap_type (lockless when the bitmap superblock is
 * version 6 — mandatory before Linux 7.1), logical_block_size recorded in
 * the superblock, new_dev for each member, array_state. With start false,
 * only the members are added (incremental assembly in progress). */
int asm_load_members(const struct sysfs *s, const char *devnm, struct asm_set *set,
		     struct diag *d) MUST_CHECK;
int asm_start(const struct sysfs *s, const char *devnm, const struct asm_set *set,
	      enum asm_start how, struct diag *d) MUST_CHECK;

/* Lockless arrays: when chunks are marked need-sync and the kernel starts
 * no resync for them (Linux 7.2 after a crash, once md had marked its
 * superblock clean, or after --readonly then --readwrite), request one. */
void asm_resync_pending(const struct sysfs *s, const char *devnm);

/* Rewrite the superblock of a member (and its bitmap superblock's uuid when
 * uuid is not NULL) — used by --update and --force. */
int asm_rewrite_member(struct asm_member *am, const struct sb1 *sb,
		       struct diag *d) MUST_CHECK;

#endif
