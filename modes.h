/* modes.h - entry points of the modes (one file per mode) */
#ifndef MDADM_MODES_H
#define MDADM_MODES_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"

/* Exit statuses shared by the modes */
#define EXIT_OK      0
#define EXIT_FAIL    1
#define EXIT_USAGE   2

/* --examine on devices or image files (all of them at once, so that
 * --brief can group members of one array). */
int Examine(const struct cmdline *c, const char *const *devs, size_t ndevs);

/* The Checksum and Events lines that end --examine's report of one member
 * (both metadata formats). */
void examine_checksum_events(bool csum_ok, uint32_t stored, uint32_t computed, uint64_t events);
struct json;
/* The "checksum" object of --examine --json (both metadata formats). */
void json_checksum(struct json *j, uint32_t stored, uint32_t computed, bool ok);
/* The 0.90 forms of the --examine report (Examine0.c). */
struct member0;
struct sb0;
struct devnames;
struct json;
void examine0_full(const struct member0 *m, const char *homehost, struct devnames *dn);
void examine0_export(const struct member0 *m);
/* "ARRAY /dev/mdN ... UUID=..." and its newline */
void examine0_array_line(const struct sb0 *sb, bool verbose);
/* Is this member counted under "spares=" (not in sync)? */
bool examine0_is_spare(const struct sb0 *sb);
void examine0_json(struct json *j, const struct member0 *m, const char *homehost);

/* --examine-bitmap on member devices or image files. */
int ExamineBitmap(const struct cmdline *c, const char *const *devs, size_t ndevs);
/* --examine-badblocks (ExamineBadblocks.c) */
int ExamineBadblocks(const struct cmdline *c, const char *const *devs, size_t ndevs);
/* --detail-platform (Misc.c): no platform-specific metadata is supported */
int DetailPlatform(const struct cmdline *c);


/* --create: new superblocks, then start the array. */
int Create(const struct cmdline *c);

/* --grow: changes to a running array (bitmap daemon tuning so far). */
int Grow(const struct cmdline *c);
/* --grow --bitmap=KIND on the running array `array` (GrowBitmap.c). */
int grow_bitmap(const struct cmdline *c, const char *array, const char *kind);
/* --grow --raid-devices (RAID1 mirrors; RAID4/5/6 through a reshape, with
 * --add devices), --chunk and --layout (RAID4/5/6 reshapes),
 * --consistency-policy and --write-behind on the running array `array`
 * (GrowDevices.c). */
int grow_shape(const struct cmdline *c, const char *array);
int grow_consistency_policy(const struct cmdline *c, const char *array);
int grow_write_behind(const struct cmdline *c, const char *array);
struct diag;
struct md_array;
struct sb1;
struct sysfs;
/* --grow --raid-devices=N on a running RAID4/5/6 (GrowReshape.c): a
 * reshape onto spares; add(c) brings in the --add devices once every
 * check has passed. */
struct grow_request {
	const struct cmdline *c;
	const struct sysfs *sys;
	const char *devnm;
	const char *name;             /* the array as the user named it */
	const struct md_array *a;
	unsigned want;                /* members after the reshape */
	uint64_t chunk_bytes;         /* chunk size after it */
	uint32_t layout;              /* layout after it */
	unsigned spares;              /* spares present plus --add devices */
	int (*add)(const struct cmdline *c);
};
int grow_reshape(const struct grow_request *rq);
/* An array stopped mid-reshape (sb: one of its members) has just been
 * started and the kernel resumes the reshape: give it the stripe cache
 * the reshape needs (Assemble.c, Incremental.c). 0 for other arrays. */
int reshape_resume_prepare(const struct sysfs *s, const char *devnm, const struct sb1 *sb,
			   struct diag *d);
/* --grow --size / --array-size on a running array (GrowSize.c). */
int grow_size(const struct cmdline *c);
struct asm_set;
struct diag;
/* Give the chosen, stopped members of `set` a lockless bitmap before they
 * are assembled (--update=lockless-bitmap); 0 when it has one already. */
int convert_set_to_lockless(struct asm_set *set, const char *name, struct diag *d);
/* Members of `set` that a power loss left behind in a conversion between
 * bitmap kinds (some members carry the lockless bitmap, these not yet, or
 * no longer: --grow --bitmap=internal) get it from a member that does,
 * before the array starts. */
int finish_lockless_conversion(struct asm_set *set, struct diag *d);
/* Members of `set` that a power loss left behind in a resize of a
 * lockless array (their size or bitmap header not yet the new one) get
 * it from a member that has it, before the array starts. */
int finish_lockless_resize(struct asm_set *set, struct diag *d);

/* --build: start an array without superblocks (Build.c). */
int Build(const struct cmdline *c);

/* --assemble: start existing arrays. */
int Assemble(const struct cmdline *c);

/* --detail (also --scan, --brief, --export, --json, --test). */
int Detail(const struct cmdline *c, const char *const *devs, size_t ndevs);

/* --query: one-line summaries of md devices and of members. */
int Query(const struct cmdline *c, const char *const *devs, size_t ndevs);

/* --stop: stop arrays (all of /proc/mdstat with --scan and no devices). */
int Stop(const struct cmdline *c, const char *const *devs, size_t ndevs);

/* --zero-superblock: clear every md superblock on the devices. */
int ZeroSuperblock(const struct cmdline *c, const char *const *devs, size_t ndevs);

/* --readonly / --readwrite on running arrays (misc mode). */
int SetReadWrite(const struct cmdline *c, const char *const *devs, size_t ndevs, bool rw);

/* --wait: until the arrays' resync, recovery, check or reshape ends (0),
 * 1 when none ran, 2 for a name that is no block device. */
int Wait(const struct cmdline *c, const char *const *devs, size_t ndevs);
/* --wait-clean: until the kernel has marked the arrays clean (all of
 * /proc/mdstat when ndevs is 0). */
int WaitClean(const struct cmdline *c, const char *const *devs, size_t ndevs);
/* --action=idle|frozen|check|repair on running arrays. */
int SetAction(const struct cmdline *c, const char *const *devs, size_t ndevs);

/* --incremental: add one device (udev), --fail it, --rebuild-map, or
 * --run --scan. */
int Incremental(const struct cmdline *c);
/* Start the inactive, partly assembled arrays the map lists (only devnm
 * when not NULL) in auto-read-only mode, bitmap type set first. */
int incremental_run_scan(const struct cmdline *c, const char *devnm);

/* --manage: --add, --re-add, --add-spare, --fail, --remove on the members
 * of a running array; --run/--readonly/--readwrite/--stop on the array. */
int Manage(const struct cmdline *c);

/* --monitor's spare groups: take the spare `dev` out of the array `from`
 * and add it to `to` as a new member (its superblock rewritten for `to`);
 * when `to` refuses it, it goes back to `from`. Reports only failures.
 * 0 when it moved. */
int manage_move_spare(const char *from, const char *to, const char *dev);

/* --monitor (--follow): watch arrays, report events to a program, mail,
 * syslog and stderr; --oneshot, --daemonise, --scan (Monitor.c). */
int Monitor(const struct cmdline *c);

/* --run /dev/mdX in misc mode: start a partly assembled array. */
int Run(const struct cmdline *c, const char *const *devs, size_t ndevs);

struct json;
struct bitmap_sb;
/* The bitmap superblock as a JSON object (shared by --examine --json and
 * --examine-bitmap --json). */
void json_bitmap_superblock(struct json *j, const struct bitmap_sb *bsb);

struct conf;
/* The homehost policy_homehost() chooses ("" for none): --homehost, else
 * conf's HOMEHOST (conf NULL: mdadm.conf as --config names it, loaded
 * here), else the machine's name. */
void homehost_from_cmdline(const struct cmdline *c, const struct conf *conf, char *buf,
			   size_t len);

#endif
