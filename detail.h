/* detail.h - internals shared by Detail.c (text, --brief, --export, the
 * driver) and DetailJson.c (--json) */
#ifndef MDADM_DETAIL_H
#define MDADM_DETAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "devnames.h"
#include "json.h"
#include "mapfile.h"
#include "mdarray.h"
#include "mdstat.h"
#include "policy.h"
#include "member.h"
#include "sysfs.h"

/* mdu_disk_info_t state bits, as mdadm 4.6 derives the table from them */
#define DS_FAULTY      0x01u
#define DS_ACTIVE      0x02u
#define DS_SYNC        0x04u
#define DS_REMOVED     0x08u
#define DS_WRITEMOSTLY 0x10u
#define DS_FAILFAST    0x20u
#define DS_JOURNAL     0x40u

/* Everything one --detail run shares between its devices. */
struct detail_run {
	struct sysfs sys;
	char homehost[256];
	bool brief, export, json, test, no_devices;
	int verbose;
	const char *prefer;
	struct mdstat ms;
	struct mapfile map;            /* /run/mdadm/map */
	struct devnames names;
	struct json j;
};

/* One row of the device table: a member, or an empty ("removed") slot. */
struct disk_row {
	int number;                 /* descriptor number; -1 prints "-" */
	unsigned major, minor;
	int raid_disk;              /* -1 prints "-" */
	unsigned state;             /* DS_* */
	const struct md_member *m;  /* NULL for an empty slot */
};

struct detail {
	const char *path;           /* as the user wrote it */
	struct md_array a;
	bool inactive;
	bool have_sb;
	struct member sb;           /* superblock of one in-sync member (for
	                               0.90: its bitmap view, see below) */
	bool v090;                  /* the superblock is 0.90: sb0 holds it */
	struct member0 sb0;
	uint8_t uuid[16];           /* the array UUID as mdadm prints it */
	int level;                  /* mdadm's array.level (0 when inactive) */
	const char *level_str;      /* its name, NULL if unknown */
	const struct md_member **order; /* members by descriptor number */
	struct disk_row *rows;      /* raid_disks*2 slot rows, then the others */
	size_t nrows;
	bool *avail;                /* per slot: an in-sync member is there */
	unsigned avail_disks;
	unsigned nr, active, working, failed, spare;
};

/* Report one array in the selected form; returns the exit status. */
int detail_one(struct detail_run *r, const char *path);

/* --json: one element of the "arrays" list. */
void detail_json(struct detail_run *r, const struct detail *dt);

/* The "State :" value without mdadm's trailing blank. */
void detail_state_text(const struct detail *dt, char *buf, size_t len);
/* Can the array run with the members it has (mdadm's "enough")? */
bool detail_enough(const struct detail *dt);
/* The bitmap in use (inactive arrays: what the member superblock says). */
enum bitmap_kind detail_bitmap_kind(const struct detail *dt);
/* Name under /dev for a row's device, NULL if none. */
const char *detail_dev_name(struct detail_run *r, const struct disk_row *row);
/* Array name from the superblock, control characters as '?'. */
void detail_sb_name(const struct sb1 *sb, char out[33]);

#endif
