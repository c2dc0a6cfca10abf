/* mapfile.h - the map of md arrays: /run/mdadm/map
 *
 * One line per array, fields separated by single spaces:
 *   <devnm> <metadata> <uuid> <path>
 * e.g. "md127 1.2 1ea012cb:bbd5eadd:a6f1c47e:1d24888f /dev/md/foo".
 * The uuid is written the way mdadm 4.6 writes it: the 16 superblock bytes
 * taken as four host-order 32-bit words, each printed as 8 hex digits (on
 * x86 every group of four bytes appears reversed compared with --detail;
 * checked against the peer's own map file in the VM). Incremental assembly
 * finds arrays by uuid here; udev rules get MD_DEVNAME from the path.
 *
 * Writers take an flock on map.lock; the holder unlinks it before
 * releasing, and a waiter that then holds a lock on an unlinked file
 * starts again — the protocol upstream uses, so both tools can share the
 * file. map.new is written and renamed over map.
 *
 * Location: MDADM_MAP_FILE (the map file itself) or MDADM_MAP_DIR (its
 * directory) in the environment, else /run/mdadm/map. */
#ifndef MDADM_MAPFILE_H
#define MDADM_MAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "diag.h"
#include "policy.h"
#include "sysfs.h"

#define MAP_DEFAULT_DIR "/run/mdadm"
#define MAP_PATH_MAX 201          /* upstream reads at most 200 characters */
#define MAP_LOCK_TIMEOUT_MS 30000u

struct map_entry {
	char devnm[MD_DEVNM_MAX];     /* "md127" */
	char metadata[32];            /* "1.2" */
	uint8_t uuid[16];             /* superblock byte order */
	char path[MAP_PATH_MAX];      /* "/dev/md/name" */
};

struct mapfile {
	struct map_entry *entries;
	size_t n, cap;
};

struct map_lock {
	int fd;                       /* -1 when not held */
	char path[300];
};

/* Path of the map file, or of a sibling with a suffix (".new", ".lock"). */
void mapfile_path(char *buf, size_t len, const char *suffix);

/* ---- the text format (pure) ---- */

/* Lines that do not parse are skipped (as upstream does); only
 * out-of-memory fails. Appends to m. */
int mapfile_parse(const char *text, struct mapfile *m, struct diag *d);
/* One line with its newline; returns its length or -1 if it does not fit. */
int mapfile_format_line(const struct map_entry *e, char *buf, size_t len);
/* uuid <-> "xxxxxxxx:xxxxxxxx:xxxxxxxx:xxxxxxxx" in map-file word order. */
void mapfile_format_uuid(const uint8_t uuid[16], char *buf, size_t len);
bool mapfile_parse_uuid(const char *s, uint8_t uuid[16]);

/* ---- the file ---- */

/* Read the map (m is initialised first). A missing file gives an empty
 * map; *missing (may be NULL) tells whether it was missing. */
int mapfile_read_ex(struct mapfile *m, bool *missing, struct diag *d);
int mapfile_read(struct mapfile *m, struct diag *d);
void mapfile_free(struct mapfile *m);
/* Write map.new and rename it over map (creating the directory). */
int mapfile_write(const struct mapfile *m, struct diag *d);

/* Exclusive lock on map.lock, waiting at most timeout_ms. */
int mapfile_lock(struct map_lock *l, unsigned timeout_ms, struct diag *d);
void mapfile_unlock(struct map_lock *l);

/* ---- entries ---- */

/* Lookups skip entries whose md device does not exist (s != NULL), so a
 * stale line never captures a new array. */
const struct map_entry *mapfile_by_uuid(const struct mapfile *m, const uint8_t uuid[16],
					const struct sysfs *s);
const struct map_entry *mapfile_by_devnm(const struct mapfile *m, const char *devnm,
					 const struct sysfs *s);
/* By the name under /dev/md/ ("foo" for /dev/md/foo). */
const struct map_entry *mapfile_by_name(const struct mapfile *m, const char *name,
					const struct sysfs *s);

/* Add an entry or replace the one with the same devnm. */
int mapfile_set(struct mapfile *m, const char *devnm, const char *metadata,
		const uint8_t uuid[16], const char *path, struct diag *d);
void mapfile_del(struct mapfile *m, const char *devnm);
/* Drop entries whose md device no longer exists. */
void mapfile_prune(struct mapfile *m, const struct sysfs *s);

/* Lock, read, update one entry, write, unlock: what --create and
 * --assemble call once they have an md device for an array. */
int mapfile_record(const char *devnm, const char *metadata, const uint8_t uuid[16],
		   const char *path, struct diag *d);
/* Lock, read, drop devnm's entry, write, unlock (after --stop). A missing
 * map is not an error. */
int mapfile_remove(const char *devnm, struct diag *d);

/* A file beside the map, in its directory: "/run/mdadm/<name>" (the
 * place mdadm 4.6 keeps its run-time files, e.g. autorebuild.pid). */
void mapfile_dir_path(const char *name, char *buf, size_t len);

/* ---- the creating marker ----
 * <map dir>/creating-<devnm> (/run/mdadm/creating-md0, the name mdadm 4.6
 * uses) exists while mdadm sets up a new md device; udev's rule 01 keeps
 * systemd away from the device meanwhile. */
void mapfile_creating_path(const char *devnm, char *buf, size_t len);
/* Create it (and the map directory): 0 or -errno. */
int mapfile_creating_mark(const char *devnm, struct diag *d) MUST_CHECK;
/* Remove it; 0 when it is gone (or was never there), else -errno. */
int mapfile_creating_clear(const char *devnm, struct diag *d);

/* ---- names and the rebuild ---- */

/* Is `name` (as in /dev/md/<name>) free of ARRAY lines in mdadm.conf —
 * neither their device name nor their name=? "/dev/md/", "/dev/" and an
 * "md" before a number are ignored when comparing. */
bool mapfile_conf_name_is_free(const struct conf *conf, const char *name);

/* policy_homehost() with the machine's name and mdadm.conf's HOMEHOST. */
void homehost_policy_init(struct homehost_policy *hp, const char *cmdline_value,
			  const struct conf *conf);
/* "host:name" with host equal to homehost (1..31 characters). */
bool sb_name_is_local(const uint8_t set_name[32], const char *homehost);

/* Rebuild the map from the md devices present: one member's superblock
 * gives uuid and metadata; the path is an existing /dev/md/ link to the
 * device, else the matching ARRAY line's device name, else one made from
 * the superblock name (with a _N suffix when needed). After writing it
 * every md device gets a "change" uevent. Takes the lock itself. */
int mapfile_rebuild(const struct sysfs *s, const struct conf *conf,
		    const struct homehost_policy *hp, struct diag *d);
/* The same into m (initialised, appended to), without lock, write or
 * uevents: for a caller that holds the lock and found no map. */
int mapfile_build(const struct sysfs *s, const struct conf *conf,
		  const struct homehost_policy *hp, struct mapfile *m, struct diag *d);

#endif
