/* options.h - the command line: modes, one option table, the parsed result */
#ifndef MDADM_OPTIONS_H
#define MDADM_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mode {
	MODE_NONE = 0,
	MODE_ASSEMBLE,
	MODE_BUILD,
	MODE_CREATE,
	MODE_MANAGE,
	MODE_MISC,
	MODE_MONITOR,
	MODE_GROW,
	MODE_INCREMENTAL,
	MODE_AUTODETECT,
	MODE__COUNT
};

#define MB(m) (1u << (m))
#define M_ASSEMBLE    MB(MODE_ASSEMBLE)
#define M_BUILD       MB(MODE_BUILD)
#define M_CREATE      MB(MODE_CREATE)
#define M_MANAGE      MB(MODE_MANAGE)
#define M_MISC        MB(MODE_MISC)
#define M_MONITOR     MB(MODE_MONITOR)
#define M_GROW        MB(MODE_GROW)
#define M_INCREMENTAL MB(MODE_INCREMENTAL)
#define M_AUTODETECT  MB(MODE_AUTODETECT)
#define M_ANY         (MB(MODE__COUNT) - 2u)   /* every real mode */

enum opt_id {
	OPT_NONE = 0,
	/* mode selectors */
	OPT_ASSEMBLE, OPT_BUILD, OPT_CREATE, OPT_MANAGE, OPT_MISC, OPT_MONITOR,
	OPT_GROW, OPT_INCREMENTAL, OPT_AUTODETECT,
	/* misc actions (device dispositions) */
	OPT_DETAIL, OPT_EXAMINE, OPT_EXAMINE_BITMAP, OPT_QUERY, OPT_ZERO_SUPERBLOCK,
	OPT_EXAMINE_BADBLOCKS, OPT_DETAIL_PLATFORM, OPT_KILL_SUBARRAY,
	OPT_UPDATE_SUBARRAY, OPT_UDEV_RULES, OPT_DUMP, OPT_RESTORE, OPT_ACTION,
	OPT_WAIT, OPT_WAIT_CLEAN,
	/* run/stop/readonly/readwrite: misc or manage or assemble/create */
	OPT_RUN, OPT_STOP, OPT_READONLY, OPT_READWRITE,
	/* manage actions */
	OPT_ADD, OPT_ADD_SPARE, OPT_ADD_JOURNAL, OPT_REMOVE, OPT_FAIL, OPT_REPLACE,
	OPT_WITH, OPT_RE_ADD, OPT_CLUSTER_CONFIRM,
	/* general */
	OPT_HELP, OPT_HELP_OPTIONS, OPT_VERSION, OPT_VERBOSE, OPT_QUIET, OPT_BRIEF,
	OPT_EXPORT, OPT_JSON, OPT_HOMEHOST, OPT_OFFROOT, OPT_PREFER,
	/* create / build / grow geometry */
	OPT_CHUNK, OPT_ROUNDING, OPT_LEVEL, OPT_LAYOUT, OPT_RAID_DEVICES,
	OPT_SPARE_DEVICES, OPT_SIZE, OPT_AUTO, OPT_ASSUME_CLEAN, OPT_WRITE_ZEROES,
	OPT_METADATA, OPT_BITMAP, OPT_BITMAP_CHUNK, OPT_WRITE_BEHIND,
	OPT_WRITE_MOSTLY, OPT_FAILFAST, OPT_NOFAILFAST, OPT_DATA_OFFSET, OPT_NODES,
	OPT_HOME_CLUSTER, OPT_WRITE_JOURNAL, OPT_CONSISTENCY_POLICY,
	OPT_LOGICAL_BLOCK_SIZE, OPT_ARRAY_SIZE, OPT_BACKUP_FILE,
	OPT_INVALID_BACKUP, OPT_CONTINUE, OPT_BARRIER_IDLE,
	/* assemble */
	OPT_UUID, OPT_SUPER_MINOR, OPT_NAME, OPT_CONFIG, OPT_SCAN, OPT_FORCE,
	OPT_UPDATE, OPT_NO_DEGRADED,
	/* detail / examine */
	OPT_NO_DEVICES, OPT_SPARC22, OPT_TEST,
	/* monitor */
	OPT_MAIL, OPT_PROGRAM, OPT_INCREMENT, OPT_DELAY, OPT_DAEMONISE,
	OPT_ONESHOT, OPT_PID_FILE, OPT_SYSLOG, OPT_NO_SHARING,
	/* incremental */
	OPT_REBUILD_MAP, OPT_PATH,
	OPT__COUNT
};

enum opt_arg { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL };

/* option flags */
#define OF_GENERAL      0x01u  /* allowed before a mode is chosen, sets none */
#define OF_MISC_ACTION  0x02u  /* a per-device action; selects misc mode */
#define OF_MANAGE_ACTION 0x04u /* a per-device action; selects manage mode */
#define OF_ONCE         0x08u  /* may be given only once */
#define OF_HIDDEN       0x10u  /* accepted for compatibility, not advertised */

/* How a row's value is checked and converted (options.c); NULL keeps the
 * text as given. */
struct opt_type;

struct opt_def {
	const char *name;       /* long name without "--" */
	char short_name;        /* 0 when none */
	enum opt_arg arg;
	enum opt_id id;
	unsigned modes;         /* modes in which the option is valid */
	enum mode selects;      /* mode this option chooses, MODE_NONE if none */
	unsigned flags;
	const char *metavar;
	const char *help;
	const struct opt_type *type;
};

/* --update= words, in the order upstream lists them. */
enum update_word {
	UPD_NAME, UPD_PPL, UPD_NO_PPL, UPD_BITMAP, UPD_NO_BITMAP, UPD_SPARC22,
	UPD_SUPER_MINOR, UPD_SUMMARIES, UPD_RESYNC, UPD_UUID, UPD_HOMEHOST,
	UPD_HOME_CLUSTER, UPD_NODES, UPD_DEVICESIZE, UPD_BBL, UPD_NO_BBL,
	UPD_FORCE_NO_BBL, UPD_METADATA, UPD_REVERT_RESHAPE, UPD_LAYOUT_ORIGINAL,
	UPD_LAYOUT_ALTERNATE, UPD_LAYOUT_UNSPECIFIED, UPD_BYTEORDER,
	UPD_LOCKLESS_BITMAP,       /* ours: a lockless bitmap before the start */
	UPD__COUNT
};

/* The word as the user types it ("layout-original"). */
const char *update_word_name(enum update_word w);

enum consistency_policy { CP_RESYNC, CP_BITMAP, CP_JOURNAL, CP_PPL };
enum sync_action { SYNC_IDLE, SYNC_FROZEN, SYNC_CHECK, SYNC_REPAIR };

/* An option's value as its row's type converted it, once, while parsing:
 * counts and seconds as numbers, sizes in 512-byte sectors, levels as md
 * level numbers, words as their enum (update_word, consistency_policy,
 * sync_action, bitmap_kind), --metadata as the 1.x minor (-1: a format
 * this mdadm only recognises), --layout as the layout of --level's level
 * (without --level only the word is checked). */
struct opt_value {
	int64_t num;
	bool special;        /* the row's word instead of a number ("max") */
	uint8_t uuid[16];    /* --uuid */
};

extern const struct opt_def option_table[];
extern const size_t option_table_len;

/* Per-device marks in force where a device is named: --write-mostly and
 * --failfast apply to the devices that follow them (--nofailfast clears). */
#define DEVARG_WRITE_MOSTLY 0x01u
#define DEVARG_FAILFAST     0x02u

struct devarg {
	const char *name;
	enum opt_id action;     /* misc/manage action in force for this device */
	unsigned marks;         /* DEVARG_* */
};

#define CMD_MAX_DEVS 1024

struct cmdline {
	enum mode mode;
	const char *val[OPT__COUNT];      /* last value given */
	unsigned count[OPT__COUNT];       /* times given */
	const char *spelled[OPT__COUNT];  /* as the user wrote it, for messages */
	struct opt_value v[OPT__COUNT];   /* the last value, converted */
	struct devarg *devs;              /* room for every argument; cmdline_free */
	size_t ndevs;
	enum opt_id last_action;          /* last misc/manage action given */
	int verbose;                      /* -v count minus -q count */
};

static inline bool cmd_has(const struct cmdline *c, enum opt_id id)
{
	return c->count[id] > 0;
}

static inline const char *cmd_val(const struct cmdline *c, enum opt_id id)
{
	return c->val[id];
}

static inline int64_t cmd_num(const struct cmdline *c, enum opt_id id)
{
	return c->v[id].num;
}

static inline const struct opt_value *cmd_value(const struct cmdline *c, enum opt_id id)
{
	return &c->v[id];
}

/* The parse itself answered (--update=help): exit 0 without running. */
#define CMDLINE_ANSWERED (-1)

/* Parse argv, converting every value as its row says. Returns 0, or the
 * exit status after printing the error (2 for a usage error or a bad value;
 * 1 where upstream exits 1), or CMDLINE_ANSWERED. */
int cmdline_parse(struct cmdline *c, int argc, char **argv);
/* what cmdline_parse allocated (c itself stays the caller's) */
void cmdline_free(struct cmdline *c);

const char *mode_name(enum mode m);
const struct opt_def *option_by_id(enum opt_id id);

#endif
