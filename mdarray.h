/* mdarray.h - the state of one md array as the kernel reports it
 *
 * Everything comes from sysfs (/sys/block/mdX/md/...) plus the descriptor
 * numbers /proc/mdstat shows next to each member ("vdc[3]": what mdadm
 * prints as "Number"). No superblock is read here and nothing is
 * written. Shared by --detail, --query and --stop. */
#ifndef MDADM_MDARRAY_H
#define MDADM_MDARRAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bitmap_kind.h"
#include "diag.h"
#include "llbitmap.h"
#include "mdstat.h"
#include "sysfs.h"

#define MDA_MAX_MEMBERS 4096u

/* dev-X/state words */
#define MDM_FAULTY           0x0001u
#define MDM_IN_SYNC          0x0002u
#define MDM_JOURNAL          0x0004u
#define MDM_WRITE_MOSTLY     0x0008u
#define MDM_FAILFAST         0x0010u
#define MDM_SPARE            0x0020u
#define MDM_REPLACEMENT      0x0040u
#define MDM_WANT_REPLACEMENT 0x0080u
#define MDM_BLOCKED          0x0100u
#define MDM_WRITE_ERROR      0x0200u

struct md_member {
	char sysname[SYSFS_NAME_MAX];  /* "dev-vda" */
	char kname[SYSFS_NAME_MAX];    /* "vda" */
	unsigned major, minor;         /* from dev-X/block/dev */
	int slot;                      /* role; -1 for "none" and journals */
	int number;                    /* descriptor number, -1 if unknown */
	unsigned flags;                /* MDM_* */
};

/* md/llbitmap/{bits,metadata,daemon_sleep,barrier_idle} */
struct md_llbitmap {
	struct llb_bits bits;          /* 5 states on 6.18, 8 on 7.1+ */
	bool meta_ok;
	uint64_t chunk_sectors, chunks, offset, meta_daemon_sleep;
	bool has_daemon_sleep, has_barrier_idle;
	uint64_t daemon_sleep, barrier_idle;   /* seconds */
};

struct md_array {
	char devnm[MD_DEVNM_MAX];
	char metadata[64];             /* md/metadata_version as read */
	int meta_major, meta_minor;    /* -1/-1 for none, -1/-2 external */
	char level_text[32];           /* md/level ("" before start) */
	int level;                     /* numeric; valid when level_known */
	bool level_known;
	unsigned raid_disks;           /* 0 when not set (inactive arrays) */
	uint32_t layout;               /* current (the old one during a reshape) */
	uint64_t chunk_bytes;          /* current (the old one during a reshape) */
	uint32_t new_layout;           /* what a reshape makes (= layout otherwise) */
	uint64_t new_chunk_bytes;      /* likewise */
	bool has_component;
	uint64_t component_kib;        /* md/component_size */
	uint64_t size_sectors;         /* /sys/block/mdX/size */
	char array_state[32];
	bool active;                   /* array_state not clear/inactive */
	bool in_sync;                  /* what the kernel reports as "clean" */
	bool has_policy;
	char policy[32];               /* md/consistency_policy */
	char sync_action[32];          /* "" when absent */
	bool has_degraded;
	uint64_t degraded;
	char bitmap_type[32];          /* selected md/bitmap_type ("" if absent) */
	enum bitmap_kind bitmap;
	char bitmap_file[256];         /* BITMAP_KIND_FILE: the path /proc/mdstat shows */
	struct md_llbitmap llb;        /* when bitmap == BITMAP_KIND_LOCKLESS */
	struct md_member *members;     /* readdir order of dev-* entries */
	size_t nmembers;
	bool in_mdstat;
	struct mdstat_progress sync;   /* from /proc/mdstat */
};

/* Fill *a for md device `devnm` (present in sysfs); ms may be NULL. */
int md_array_load(const struct sysfs *s, const struct mdstat *ms, const char *devnm,
		  struct md_array *a, struct diag *d);
void md_array_free(struct md_array *a);

/* Number for a personality name ("raid1", "1", "mirror", "linear", ...). */
bool md_level_from_name(const char *name, int *level);

/* What a user-given path is. */
enum md_resolve {
	MD_RESOLVE_MD = 0,             /* an md device: *devnm set */
	MD_RESOLVE_NOT_MD,             /* exists, but is not an md device */
	MD_RESOLVE_MISSING,            /* cannot be opened: *err is the errno */
};

/* Classify `path`: a block device is identified through
 * /sys/dev/block/MAJ:MIN; on a fake tree (MDADM_DEV_ROOT) a plain file
 * <dev root>/mdX counts as md device mdX when sysfs has it. */
enum md_resolve md_resolve_path(const struct sysfs *s, const char *path, char *devnm,
				size_t len, int *err);

/* The one place a name the user gives for a running or inactive md device
 * is resolved: a path as md_resolve_path(); without a '/', a present
 * kernel name (md0, md_x), else an array name x standing for /dev/md/x,
 * else /dev/<name>. */
enum md_resolve md_resolve_name(const struct sysfs *s, const char *given, char *devnm,
				size_t len, int *err);

/* md_resolve_name() for modes that only need the device: 0, or -errno
 * with mdadm 4.6's message ("error opening X: ...", "X does not appear to
 * be an md device") in d. */
int md_find_array(const struct sysfs *s, const char *given, char *devnm, size_t len,
		  struct diag *d);

/* Name of the member's node: /dev/<kname> when that is the right device
 * (or a plain file there, on a fake tree). Empty when not found. */
void md_member_node(const struct sysfs *s, const struct md_member *m, char *buf, size_t len);

#endif
