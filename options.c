/* options.c - the option table and the command-line parser
 *
 * Syntax follows upstream mdadm: the first option (or a device followed by a
 * per-device action) picks the mode; short letters may mean different things
 * in different modes (-b is --bitmap in create/build/grow, --brief
 * elsewhere), which the table expresses as several rows with disjoint mode
 * sets. Long options may be abbreviated to any unique prefix. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "bitmap_type.h"
#include "options.h"
#include "shape.h"
#include "util.h"

/* ---- value types -------------------------------------------------------- */

struct parser;

struct opt_word {
	const char *word;
	int value;
};

struct opt_type {
	/* Converts s into *v; 0, or the exit status after printing why not. */
	int (*convert)(struct parser *p, const struct opt_type *t, const char *s,
		       struct opt_value *v);
	int64_t lo, hi;                 /* the numbers accepted */
	const char *special;            /* a word accepted instead of a number */
	const char *bad;                /* message for a bad value (%s: the value);
					   NULL: the value parser's own reason */
	const struct opt_word *words;   /* NULL-terminated */
	bool after_all;                 /* depends on other options: converted
					   once the whole line is read */
};

static int conv_number(struct parser *p, const struct opt_type *t, const char *s,
		       struct opt_value *v);
static int conv_size(struct parser *p, const struct opt_type *t, const char *s,
		     struct opt_value *v);
static int conv_chunk(struct parser *p, const struct opt_type *t, const char *s,
		      struct opt_value *v);
static int conv_word(struct parser *p, const struct opt_type *t, const char *s,
		     struct opt_value *v);
static int conv_level(struct parser *p, const struct opt_type *t, const char *s,
		      struct opt_value *v);
static int conv_layout(struct parser *p, const struct opt_type *t, const char *s,
		       struct opt_value *v);
static int conv_metadata(struct parser *p, const struct opt_type *t, const char *s,
			 struct opt_value *v);
static int conv_bitmap(struct parser *p, const struct opt_type *t, const char *s,
		       struct opt_value *v);
static int conv_uuid(struct parser *p, const struct opt_type *t, const char *s,
		     struct opt_value *v);
static int conv_lbs(struct parser *p, const struct opt_type *t, const char *s,
		    struct opt_value *v);
static int conv_update(struct parser *p, const struct opt_type *t, const char *s,
		       struct opt_value *v);

static const struct opt_type T_CHUNK = {
	.convert = conv_chunk, .bad = "invalid chunk/rounding value: %s" };
static const struct opt_type T_BITMAP_CHUNK = {
	.convert = conv_chunk, .bad = "invalid bitmap chunksize: %s" };
static const struct opt_type T_SIZE = {
	.convert = conv_size, .lo = 1, .special = "max", .bad = "invalid size: %s" };
static const struct opt_type T_ARRAY_SIZE = {
	.convert = conv_size, .lo = 1, .special = "max", .bad = "invalid array size: %s" };
static const struct opt_type T_DATA_OFFSET = {
	.convert = conv_size, .bad = "invalid data-offset: %s" };
static const struct opt_type T_RAID_DEVICES = {
	.convert = conv_number, .lo = 1, .hi = INT32_MAX,
	.bad = "invalid number of raid devices: %s" };
static const struct opt_type T_SPARE_DEVICES = {
	.convert = conv_number, .lo = 0, .hi = INT32_MAX,
	.bad = "invalid number of spare-devices: %s" };
static const struct opt_type T_DELAY = {
	.convert = conv_number, .lo = 0, .hi = UINT32_MAX, .bad = "invalid delay: %s" };
static const struct opt_type T_BARRIER_IDLE = {
	.convert = conv_number, .lo = 0, .hi = UINT32_MAX,
	.bad = "--barrier-idle=%s: not a number of seconds" };
static const struct opt_type T_WRITE_BEHIND = {
	.convert = conv_number, .lo = 0, .hi = BITMAP_MAX_WRITE_BEHIND,
	.bad = "Invalid value for maximum outstanding write-behind writes: %s.\n\tMust be between 0 and 16383." };
static const struct opt_type T_NODES = {
	.convert = conv_number, .lo = 2, .hi = INT32_MAX,
	.bad = "clustered array needs two nodes at least: %s" };
static const struct opt_type T_INCREMENT = {
	.convert = conv_number, .lo = 1, .hi = 99,
	.bad = "please specify positive integer between 1 and 99 as rebuild increments." };
static const struct opt_type T_LEVEL = { .convert = conv_level };
static const struct opt_type T_LAYOUT = { .convert = conv_layout, .after_all = true };
static const struct opt_type T_METADATA = { .convert = conv_metadata };
static const struct opt_type T_BITMAP = { .convert = conv_bitmap };
static const struct opt_type T_UUID = { .convert = conv_uuid, .bad = "Bad uuid: %s" };
static const struct opt_type T_LBS = { .convert = conv_lbs };
static const struct opt_type T_UPDATE = { .convert = conv_update };
static const struct opt_word policy_words[] = {
	{ .word = "resync", .value = CP_RESYNC }, { .word = "bitmap", .value = CP_BITMAP },
	{ .word = "journal", .value = CP_JOURNAL }, { .word = "ppl", .value = CP_PPL }, { NULL, 0 } };
static const struct opt_type T_CONSISTENCY_POLICY = {
	.convert = conv_word, .bad = "Invalid consistency policy: %s", .words = policy_words };
static const struct opt_word action_words[] = {
	{ .word = "idle", .value = SYNC_IDLE }, { .word = "frozen", .value = SYNC_FROZEN },
	{ .word = "check", .value = SYNC_CHECK }, { .word = "repair", .value = SYNC_REPAIR }, { NULL, 0 } };
static const struct opt_type T_ACTION = {
	.convert = conv_word, .bad = "action must be one of idle, frozen, check, repair",
	.words = action_words };

#define GEOM (M_CREATE | M_BUILD | M_GROW)
#define ARR  (M_ASSEMBLE | M_BUILD | M_CREATE | M_GROW | M_INCREMENTAL)

const struct opt_def option_table[] = {
	/* ---- modes ---- */
	{ "assemble", 'A', ARG_NONE, OPT_ASSEMBLE, M_ASSEMBLE, MODE_ASSEMBLE, 0, NULL,
	  "Assemble a previously created array", NULL },
	{ "build", 'B', ARG_NONE, OPT_BUILD, M_BUILD, MODE_BUILD, 0, NULL,
	  "Build an array without metadata", NULL },
	{ "create", 'C', ARG_NONE, OPT_CREATE, M_CREATE, MODE_CREATE, 0, NULL,
	  "Create a new array", NULL },
	{ "manage", 0, ARG_NONE, OPT_MANAGE, M_MANAGE, MODE_MANAGE, 0, NULL,
	  "Make changes to an existing array", NULL },
	{ "misc", 0, ARG_NONE, OPT_MISC, M_MISC, MODE_MISC, 0, NULL,
	  "Report on or modify various md related devices", NULL },
	{ "monitor", 'F', ARG_NONE, OPT_MONITOR, M_MONITOR, MODE_MONITOR, 0, NULL,
	  "Monitor arrays for significant changes", NULL },
	{ "follow", 'F', ARG_NONE, OPT_MONITOR, M_MONITOR, MODE_MONITOR, OF_HIDDEN, NULL,
	  "Same as --monitor", NULL },
	{ "grow", 'G', ARG_NONE, OPT_GROW, M_GROW, MODE_GROW, 0, NULL,
	  "Resize or reshape an active array", NULL },
	{ "incremental", 'I', ARG_NONE, OPT_INCREMENTAL, M_INCREMENTAL, MODE_INCREMENTAL, 0, NULL,
	  "Add a device to (or remove it from) an array as appropriate", NULL },
	{ "auto-detect", 0, ARG_NONE, OPT_AUTODETECT, M_AUTODETECT, MODE_AUTODETECT, 0, NULL,
	  "Ask the kernel to auto-detect arrays", NULL },

	/* ---- misc actions ---- */
	{ "detail", 'D', ARG_NONE, OPT_DETAIL, M_MISC, MODE_MISC, OF_MISC_ACTION, NULL,
	  "Print details of md arrays", NULL },
	{ "examine", 'E', ARG_NONE, OPT_EXAMINE, M_MISC, MODE_MISC, OF_MISC_ACTION, NULL,
	  "Print the md superblock of member devices or image files", NULL },
	{ "examine-bitmap", 'X', ARG_NONE, OPT_EXAMINE_BITMAP, M_MISC, MODE_MISC, OF_MISC_ACTION, NULL,
	  "Print the bitmap (classic or lockless) of member devices or image files", NULL },
	{ "query", 'Q', ARG_NONE, OPT_QUERY, M_MISC, MODE_MISC, OF_MISC_ACTION, NULL,
	  "Print a short summary of what a device is", NULL },
	{ "zero-superblock", 0, ARG_NONE, OPT_ZERO_SUPERBLOCK, M_MISC, MODE_MISC, OF_MISC_ACTION, NULL,
	  "Erase the md superblock of devices", NULL },
	{ "examine-badblocks", 0, ARG_NONE, OPT_EXAMINE_BADBLOCKS, M_MISC, MODE_MISC, OF_MISC_ACTION, NULL,
	  "List the bad blocks recorded in a member's superblock", NULL },
	{ "detail-platform", 0, ARG_NONE, OPT_DETAIL_PLATFORM, M_MISC, MODE_MISC, OF_MISC_ACTION, NULL,
	  "Print platform RAID capabilities", NULL },
	{ "kill-subarray", 0, ARG_REQUIRED, OPT_KILL_SUBARRAY, M_MISC, MODE_MISC, OF_MISC_ACTION, "N",
	  "Delete a subarray from a container", NULL },
	{ "update-subarray", 0, ARG_REQUIRED, OPT_UPDATE_SUBARRAY, M_MISC, MODE_MISC, OF_MISC_ACTION, "N",
	  "Update a subarray of a container", NULL },
	{ "udev-rules", 0, ARG_OPTIONAL, OPT_UDEV_RULES, M_MISC, MODE_MISC, OF_MISC_ACTION, "FILE",
	  "Write udev rules for md devices", NULL },
	{ "dump", 0, ARG_REQUIRED, OPT_DUMP, M_MISC, MODE_MISC, OF_MISC_ACTION, "DIR",
	  "Save metadata of devices into DIR", NULL },
	{ "restore", 0, ARG_REQUIRED, OPT_RESTORE, M_MISC, MODE_MISC, OF_MISC_ACTION, "DIR",
	  "Restore metadata of devices from DIR", NULL },
	{ "action", 0, ARG_REQUIRED, OPT_ACTION, M_MISC, MODE_MISC, OF_MISC_ACTION, "ACTION",
	  "Set the sync action of arrays: idle, frozen, check or repair", &T_ACTION },
	{ "wait", 'W', ARG_NONE, OPT_WAIT, M_MISC, MODE_MISC, OF_MISC_ACTION, NULL,
	  "Wait for resync, recovery or reshape to finish", NULL },
	{ "wait-clean", 0, ARG_NONE, OPT_WAIT_CLEAN, M_MISC, MODE_MISC, OF_MISC_ACTION, NULL,
	  "Wait for arrays to be marked clean", NULL },

	/* ---- run/stop etc: actions in misc and manage, flags elsewhere ---- */
	{ "run", 'R', ARG_NONE, OPT_RUN, M_ANY, MODE_MISC, OF_MISC_ACTION, NULL,
	  "Start an array (even if degraded)", NULL },
	{ "stop", 'S', ARG_NONE, OPT_STOP, M_MISC | M_MANAGE, MODE_MISC, OF_MISC_ACTION, NULL,
	  "Stop arrays", NULL },
	{ "readonly", 'o', ARG_NONE, OPT_READONLY, M_MISC | M_MANAGE | M_ASSEMBLE | M_CREATE | M_INCREMENTAL,
	  MODE_MISC, OF_MISC_ACTION, NULL, "Mark arrays read-only", NULL },
	{ "readwrite", 'w', ARG_NONE, OPT_READWRITE, M_MISC | M_MANAGE, MODE_MISC, OF_MISC_ACTION, NULL,
	  "Mark arrays read-write", NULL },

	/* ---- manage actions ---- */
	{ "add", 'a', ARG_NONE, OPT_ADD, M_MANAGE | M_GROW, MODE_MANAGE, OF_MANAGE_ACTION, NULL,
	  "Add devices to an array (grow: as new members, with --raid-devices)", NULL },
	{ "add-spare", 0, ARG_NONE, OPT_ADD_SPARE, M_MANAGE, MODE_MANAGE, OF_MANAGE_ACTION, NULL,
	  "Add devices as spares", NULL },
	{ "add-journal", 0, ARG_NONE, OPT_ADD_JOURNAL, M_MANAGE, MODE_MANAGE, OF_MANAGE_ACTION, NULL,
	  "Add a journal device (not implemented yet)", NULL },
	{ "re-add", 0, ARG_NONE, OPT_RE_ADD, M_MANAGE, MODE_MANAGE, OF_MANAGE_ACTION, NULL,
	  "Re-add recently removed devices", NULL },
	{ "remove", 'r', ARG_NONE, OPT_REMOVE, M_MANAGE, MODE_MANAGE, OF_MANAGE_ACTION, NULL,
	  "Remove devices from an array", NULL },
	{ "fail", 'f', ARG_NONE, OPT_FAIL, M_MANAGE | M_INCREMENTAL, MODE_MANAGE, OF_MANAGE_ACTION, NULL,
	  "Mark devices as faulty (incremental: remove a vanished device)", NULL },
	{ "set-faulty", 0, ARG_NONE, OPT_FAIL, M_MANAGE, MODE_MANAGE, OF_MANAGE_ACTION | OF_HIDDEN, NULL,
	  "Same as --fail", NULL },
	{ "replace", 0, ARG_NONE, OPT_REPLACE, M_MANAGE, MODE_MANAGE, OF_MANAGE_ACTION, NULL,
	  "Replace devices with spares", NULL },
	{ "with", 0, ARG_NONE, OPT_WITH, M_MANAGE, MODE_MANAGE, OF_MANAGE_ACTION, NULL,
	  "Name the spares that take over in --replace", NULL },
	{ "cluster-confirm", 0, ARG_NONE, OPT_CLUSTER_CONFIRM, M_MANAGE, MODE_MANAGE, OF_MANAGE_ACTION, NULL,
	  "Confirm a device in a clustered array (not implemented yet)", NULL },

	/* ---- general ---- */
	{ "help", 'h', ARG_NONE, OPT_HELP, M_ANY, MODE_NONE, OF_GENERAL, NULL,
	  "Show help (for the mode, when given after a mode option)", NULL },
	{ "help-options", 0, ARG_NONE, OPT_HELP_OPTIONS, M_ANY, MODE_NONE, OF_GENERAL, NULL,
	  "List every option", NULL },
	{ "version", 'V', ARG_NONE, OPT_VERSION, M_ANY, MODE_NONE, OF_GENERAL, NULL,
	  "Print the version", NULL },
	{ "verbose", 'v', ARG_NONE, OPT_VERBOSE, M_ANY, MODE_NONE, OF_GENERAL, NULL,
	  "Be more verbose (repeatable)", NULL },
	{ "quiet", 'q', ARG_NONE, OPT_QUIET, M_ANY, MODE_NONE, OF_GENERAL, NULL,
	  "Be quieter", NULL },
	{ "brief", 'b', ARG_NONE, OPT_BRIEF, M_ANY & ~(GEOM | M_ASSEMBLE | M_INCREMENTAL), MODE_NONE, OF_GENERAL, NULL,
	  "Print brief, mdadm.conf-style output", NULL },
	{ "export", 'Y', ARG_NONE, OPT_EXPORT, M_ANY, MODE_NONE, OF_GENERAL, NULL,
	  "Print KEY=VALUE lines for udev and scripts", NULL },
	{ "json", 0, ARG_NONE, OPT_JSON, M_ANY, MODE_NONE, OF_GENERAL, NULL,
	  "Print one JSON document (examine, examine-bitmap, detail, query)", NULL },
	{ "homehost", 0, ARG_REQUIRED, OPT_HOMEHOST, M_ANY, MODE_NONE, OF_GENERAL | OF_ONCE, "NAME",
	  "Host name to treat arrays as local to", NULL },
	{ "offroot", 0, ARG_NONE, OPT_OFFROOT, M_ANY, MODE_NONE, OF_GENERAL, NULL,
	  "Accepted for compatibility (udev rules pass it); no effect", NULL },
	{ "prefer", 0, ARG_REQUIRED, OPT_PREFER, M_ANY, MODE_NONE, OF_GENERAL, "PATH",
	  "Prefer device names containing PATH in reports", NULL },

	/* ---- create / build / grow ---- */
	{ "chunk", 'c', ARG_REQUIRED, OPT_CHUNK, GEOM, MODE_NONE, OF_ONCE, "SIZE",
	  "Chunk size (KiB unless suffixed K/M/G; grow: restripe a RAID4/5/6)", &T_CHUNK },
	{ "rounding", 0, ARG_REQUIRED, OPT_ROUNDING, GEOM, MODE_NONE, OF_ONCE, "SIZE",
	  "Rounding for linear arrays", &T_CHUNK },
	{ "level", 'l', ARG_REQUIRED, OPT_LEVEL, GEOM, MODE_NONE, OF_ONCE, "LEVEL",
	  "RAID level: linear, 0, 1, 4, 5, 6, 10", &T_LEVEL },
	{ "layout", 'p', ARG_REQUIRED, OPT_LAYOUT, GEOM, MODE_NONE, OF_ONCE, "LAYOUT",
	  "Data layout (raid0/5/6/10; grow: restripe a RAID5/6)", &T_LAYOUT },
	{ "parity", 0, ARG_REQUIRED, OPT_LAYOUT, GEOM, MODE_NONE, OF_ONCE | OF_HIDDEN, "LAYOUT",
	  "Same as --layout", &T_LAYOUT },
	{ "raid-devices", 'n', ARG_REQUIRED, OPT_RAID_DEVICES, GEOM, MODE_NONE, OF_ONCE, "N",
	  "Number of active devices (grow: RAID1 mirrors, more RAID4/5/6 members)", &T_RAID_DEVICES },
	{ "raid-disks", 0, ARG_REQUIRED, OPT_RAID_DEVICES, GEOM, MODE_NONE, OF_ONCE | OF_HIDDEN, "N",
	  "Same as --raid-devices", &T_RAID_DEVICES },
	{ "spare-devices", 'x', ARG_REQUIRED, OPT_SPARE_DEVICES, M_CREATE, MODE_NONE, OF_ONCE, "N",
	  "Number of spare devices", &T_SPARE_DEVICES },
	{ "spare-disks", 0, ARG_REQUIRED, OPT_SPARE_DEVICES, M_CREATE, MODE_NONE, OF_ONCE | OF_HIDDEN, "N",
	  "Same as --spare-devices", &T_SPARE_DEVICES },
	{ "size", 'z', ARG_REQUIRED, OPT_SIZE, GEOM, MODE_NONE, OF_ONCE, "SIZE",
	  "Space to use on each member (KiB unless suffixed, or 'max'); --grow stops a lockless array for the moment it is resized", &T_SIZE },
	{ "auto", 'a', ARG_REQUIRED, OPT_AUTO, M_CREATE | M_BUILD | M_ASSEMBLE | M_INCREMENTAL, MODE_NONE,
	  OF_HIDDEN, "WHAT", "Deprecated and ignored", NULL },
	{ "assume-clean", 0, ARG_NONE, OPT_ASSUME_CLEAN, M_CREATE | M_BUILD | M_GROW, MODE_NONE, 0, NULL,
	  "Skip the initial resync (members are known to be in sync)", NULL },
	{ "write-zeroes", 0, ARG_NONE, OPT_WRITE_ZEROES, M_CREATE, MODE_NONE, 0, NULL,
	  "Zero the members at create time (implies --assume-clean)", NULL },
	{ "metadata", 'e', ARG_REQUIRED, OPT_METADATA, M_CREATE | M_ASSEMBLE | M_MISC | M_INCREMENTAL, MODE_NONE, OF_ONCE, "VERSION",
	  "Metadata version: 1.0, 1.1, 1.2 (default) or 0.90 (also 0, 0.9)", &T_METADATA },
	{ "bitmap", 'b', ARG_REQUIRED, OPT_BITMAP, GEOM | M_ASSEMBLE | M_INCREMENTAL, MODE_NONE, OF_ONCE, "TYPE",
	  "Write-intent bitmap: none, internal, clustered or lockless", &T_BITMAP },
	{ "bitmap-chunk", 0, ARG_REQUIRED, OPT_BITMAP_CHUNK, GEOM, MODE_NONE, OF_ONCE, "SIZE",
	  "Classic bitmap chunk size (create; grow --bitmap=internal)", &T_BITMAP_CHUNK },
	{ "write-behind", 0, ARG_OPTIONAL, OPT_WRITE_BEHIND, GEOM, MODE_NONE, OF_ONCE, "N",
	  "Allow write-behind to write-mostly devices (classic bitmap; grow: set the limit)", &T_WRITE_BEHIND },
	{ "write-mostly", 'W', ARG_NONE, OPT_WRITE_MOSTLY, M_CREATE | M_BUILD | M_MANAGE | M_GROW, MODE_NONE, 0, NULL,
	  "Mark the following devices write-mostly", NULL },
	{ "failfast", 0, ARG_NONE, OPT_FAILFAST, M_CREATE | M_BUILD | M_MANAGE | M_GROW, MODE_NONE, 0, NULL,
	  "Mark the following devices failfast", NULL },
	{ "nofailfast", 0, ARG_NONE, OPT_NOFAILFAST, M_BUILD | M_MANAGE | M_GROW, MODE_NONE, 0, NULL,
	  "Clear failfast on the following devices", NULL },
	{ "data-offset", 0, ARG_REQUIRED, OPT_DATA_OFFSET, M_CREATE | M_GROW, MODE_NONE, OF_ONCE, "SIZE",
	  "Where data starts on each member", &T_DATA_OFFSET },
	{ "nodes", 0, ARG_REQUIRED, OPT_NODES, M_CREATE | M_GROW, MODE_NONE, OF_ONCE, "N",
	  "Cluster nodes (clustered bitmaps)", &T_NODES },
	{ "home-cluster", 0, ARG_REQUIRED, OPT_HOME_CLUSTER, M_CREATE | M_ASSEMBLE | M_GROW, MODE_NONE, OF_ONCE, "NAME",
	  "Cluster name", NULL },
	{ "write-journal", 0, ARG_REQUIRED, OPT_WRITE_JOURNAL, M_CREATE, MODE_NONE, 0, "DEVICE",
	  "Journal device for raid4/5/6", NULL },
	{ "consistency-policy", 'k', ARG_REQUIRED, OPT_CONSISTENCY_POLICY, M_CREATE | M_GROW, MODE_NONE, OF_ONCE, "POLICY",
	  "Consistency policy: resync, bitmap, journal, ppl (grow: resync/bitmap take a bitmap off/put one on)", &T_CONSISTENCY_POLICY },
	{ "logical-block-size", 0, ARG_REQUIRED, OPT_LOGICAL_BLOCK_SIZE, M_CREATE, MODE_NONE, OF_ONCE, "BYTES",
	  "Logical block size of the array", &T_LBS },
	{ "array-size", 'Z', ARG_REQUIRED, OPT_ARRAY_SIZE, M_GROW, MODE_NONE, OF_ONCE, "SIZE",
	  "Change the size of the array seen by users ('max': all of it)", &T_ARRAY_SIZE },
	{ "backup-file", 0, ARG_REQUIRED, OPT_BACKUP_FILE, M_GROW | M_ASSEMBLE, MODE_NONE, OF_ONCE, "FILE",
	  "Backup file for critical sections of a reshape", NULL },
	{ "invalid-backup", 0, ARG_NONE, OPT_INVALID_BACKUP, M_ASSEMBLE, MODE_NONE, 0, NULL,
	  "Continue even though the backup file is invalid", NULL },
	{ "continue", 0, ARG_NONE, OPT_CONTINUE, M_GROW, MODE_NONE, 0, NULL,
	  "Continue an interrupted reshape", NULL },
	{ "barrier-idle", 0, ARG_REQUIRED, OPT_BARRIER_IDLE, M_GROW, MODE_NONE, OF_ONCE, "SECONDS",
	  "Lockless bitmap: seconds a dirtied bitmap block stays before it may be cleared", &T_BARRIER_IDLE },

	/* ---- assemble ---- */
	{ "uuid", 'u', ARG_REQUIRED, OPT_UUID, M_ASSEMBLE | M_CREATE | M_MISC, MODE_NONE, OF_ONCE, "UUID",
	  "Array UUID", &T_UUID },
	{ "super-minor", 'm', ARG_REQUIRED, OPT_SUPER_MINOR, M_ASSEMBLE, MODE_NONE, OF_ONCE, "N",
	  "Preferred minor of 0.90 arrays", NULL },
	{ "name", 'N', ARG_REQUIRED, OPT_NAME, M_ASSEMBLE | M_CREATE | M_MISC, MODE_NONE, OF_ONCE, "NAME",
	  "Array name", NULL },
	{ "config", 'c', ARG_REQUIRED, OPT_CONFIG, M_ANY, MODE_NONE, OF_ONCE, "FILE",
	  "Configuration file (default /etc/mdadm/mdadm.conf, then /etc/mdadm.conf)", NULL },
	{ "scan", 's', ARG_NONE, OPT_SCAN, M_ASSEMBLE | M_MISC | M_MONITOR | M_INCREMENTAL, MODE_NONE, 0, NULL,
	  "Scan the configuration file or all devices", NULL },
	{ "force", 'f', ARG_NONE, OPT_FORCE, M_ANY & ~M_MONITOR, MODE_NONE, 0, NULL,
	  "Override normal safety checks", NULL },
	{ "update", 'U', ARG_REQUIRED, OPT_UPDATE, M_ASSEMBLE | M_MANAGE | M_MISC, MODE_NONE, OF_ONCE, "WHAT",
	  "Update a superblock field (assemble, --re-add, misc)", &T_UPDATE },
	{ "no-degraded", 0, ARG_NONE, OPT_NO_DEGRADED, M_ASSEMBLE | M_INCREMENTAL, MODE_NONE, 0, NULL,
	  "Do not start degraded arrays", NULL },

	/* ---- detail / examine ---- */
	{ "no-devices", 0, ARG_NONE, OPT_NO_DEVICES, M_MISC, MODE_NONE, 0, NULL,
	  "Leave the member list out of --detail", NULL },
	{ "sparc2.2", 0, ARG_NONE, OPT_SPARC22, M_MISC | M_ASSEMBLE, MODE_NONE, 0, NULL,
	  "Fix superblocks from sparc 2.2 kernels (not supported)", NULL },
	{ "test", 't', ARG_NONE, OPT_TEST, M_MISC | M_MANAGE | M_MONITOR, MODE_NONE, 0, NULL,
	  "Exit status reflects array health (--detail); 2 when nothing changed (manage); a TestMessage per array (monitor)", NULL },

	/* ---- monitor ---- */
	{ "mail", 'm', ARG_REQUIRED, OPT_MAIL, M_MONITOR, MODE_NONE, OF_ONCE, "ADDRESS",
	  "Mail alerts to ADDRESS", NULL },
	{ "program", 'p', ARG_REQUIRED, OPT_PROGRAM, M_MONITOR, MODE_NONE, OF_ONCE, "PROGRAM",
	  "Run PROGRAM on events", NULL },
	{ "alert", 0, ARG_REQUIRED, OPT_PROGRAM, M_MONITOR, MODE_NONE, OF_ONCE | OF_HIDDEN, "PROGRAM",
	  "Same as --program", NULL },
	{ "increment", 'r', ARG_REQUIRED, OPT_INCREMENT, M_MONITOR, MODE_NONE, OF_ONCE, "PERCENT",
	  "Report rebuild progress every PERCENT", &T_INCREMENT },
	{ "delay", 'd', ARG_REQUIRED, OPT_DELAY, M_MONITOR | GEOM, MODE_NONE, OF_ONCE, "SECONDS",
	  "Polling interval (monitor); bitmap daemon period (create: classic; grow: both kinds)", &T_DELAY },
	{ "daemonise", 'f', ARG_NONE, OPT_DAEMONISE, M_MONITOR, MODE_NONE, 0, NULL,
	  "Run in the background", NULL },
	{ "daemonize", 0, ARG_NONE, OPT_DAEMONISE, M_MONITOR, MODE_NONE, OF_HIDDEN, NULL,
	  "Same as --daemonise", NULL },
	{ "oneshot", '1', ARG_NONE, OPT_ONESHOT, M_MONITOR, MODE_NONE, 0, NULL,
	  "Check arrays once and exit", NULL },
	{ "pid-file", 'i', ARG_REQUIRED, OPT_PID_FILE, M_MONITOR, MODE_NONE, OF_ONCE, "FILE",
	  "Write the daemon's pid to FILE", NULL },
	{ "syslog", 'y', ARG_NONE, OPT_SYSLOG, M_MONITOR, MODE_NONE, 0, NULL,
	  "Report events to syslog", NULL },
	{ "no-sharing", 0, ARG_NONE, OPT_NO_SHARING, M_MONITOR, MODE_MONITOR, 0, NULL,
	  "Do not move spares between arrays", NULL },

	/* ---- incremental ---- */
	{ "rebuild-map", 'r', ARG_NONE, OPT_REBUILD_MAP, M_INCREMENTAL, MODE_NONE, 0, NULL,
	  "Rebuild /run/mdadm/map", NULL },
	{ "path", 0, ARG_REQUIRED, OPT_PATH, M_INCREMENTAL, MODE_NONE, OF_ONCE, "PATH",
	  "Device path for removal (--fail)", NULL },
};

const size_t option_table_len = sizeof(option_table) / sizeof(option_table[0]);

static const char *const mode_names[MODE__COUNT] = {
	[MODE_NONE] = "none", [MODE_ASSEMBLE] = "assemble", [MODE_BUILD] = "build",
	[MODE_CREATE] = "create", [MODE_MANAGE] = "manage", [MODE_MISC] = "misc",
	[MODE_MONITOR] = "monitor", [MODE_GROW] = "grow",
	[MODE_INCREMENTAL] = "incremental", [MODE_AUTODETECT] = "auto-detect",
};

const char *mode_name(enum mode m)
{
	return m < MODE__COUNT ? mode_names[m] : "unknown";
}

const struct opt_def *option_by_id(enum opt_id id)
{
	for (size_t i = 0; i < option_table_len; i++)
		if (option_table[i].id == id)
			return &option_table[i];
	return NULL;
}

/* ---- lookup -------------------------------------------------------------- */

/* Can this row apply when the current mode is `mode`? Before a mode is
 * chosen, rows that choose a mode, per-device actions and general options
 * apply; --fail/-f, --remove/-r and --add/-a need a device first (manage). */
static bool row_applies(const struct opt_def *o, enum mode mode)
{
	if (mode != MODE_NONE)
		return (o->modes & MB(mode)) != 0;
	return o->selects != MODE_NONE || (o->flags & (OF_GENERAL | OF_MANAGE_ACTION));
}

static const struct opt_def *find_short(char ch, enum mode mode)
{
	const struct opt_def *any = NULL;

	for (size_t i = 0; i < option_table_len; i++) {
		const struct opt_def *o = &option_table[i];

		if (o->short_name != ch)
			continue;
		if (row_applies(o, mode))
			return o;
		if (!any)
			any = o;
	}
	return any;
}

/* Exact long name, else a unique prefix. *ambiguous is set when several
 * different options share the prefix. */
static const struct opt_def *find_long(const char *name, size_t len, bool *ambiguous)
{
	const struct opt_def *hit = NULL;

	*ambiguous = false;
	for (size_t i = 0; i < option_table_len; i++) {
		const struct opt_def *o = &option_table[i];

		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	}
	for (size_t i = 0; i < option_table_len; i++) {
		const struct opt_def *o = &option_table[i];

		if (strncmp(o->name, name, len) != 0)
			continue;
		if (hit && hit->id != o->id)
			*ambiguous = true;
		if (!hit)
			hit = o;
	}
	return *ambiguous ? NULL : hit;
}

static bool prefix_of(const struct opt_def *o, const char *name, size_t len)
{
	return strncmp(o->name, name, len) == 0;
}

/* "option '--re' is ambiguous; possibilities: '--readonly' ..." as getopt
 * says it, each option once however many rows spell it. */
static void report_ambiguous(const char *given, const char *name, size_t len)
{
	char list[1024] = "";
	size_t used = 0;

	for (size_t i = 0; i < option_table_len; i++) {
		const struct opt_def *o = &option_table[i];
		bool listed = false;
		int n;

		if (!prefix_of(o, name, len))
			continue;
		for (size_t j = 0; j < i && !listed; j++)
			listed = option_table[j].id == o->id && prefix_of(&option_table[j], name, len);
		if (listed)
			continue;
		n = snprintf(list + used, sizeof(list) - used, " '--%s'", o->name);
		if (n < 0 || (size_t)n >= sizeof(list) - used)
			break;
		used += (size_t)n;
	}
	pr_err("option '%s' is ambiguous; possibilities:%s\n", given, list);
}

/* The same long name can have mode-specific rows (none today, but the
 * short letters do); resolve to the row valid in `mode` if any. */
static const struct opt_def *resolve_mode_row(const struct opt_def *o, enum mode mode)
{
	if (row_applies(o, mode))
		return o;
	for (size_t i = 0; i < option_table_len; i++) {
		const struct opt_def *r = &option_table[i];

		if (r->id == o->id && r != o && row_applies(r, mode))
			return r;
	}
	return o;
}

/* ---- parsing ------------------------------------------------------------- */

struct parser {
	struct cmdline *c;
	enum opt_id action;        /* current per-device action (misc/manage) */
	unsigned marks;            /* DEVARG_* for the devices that follow */
	const char *first_dev;     /* device given before any mode */
};

/* ---- value conversion ---------------------------------------------------- */

static int bad_value(const struct opt_type *t, const char *s, const struct diag *d)
{
	char msg[512];

	if (t->bad || !d)
		snprintf(msg, sizeof(msg), t->bad ? t->bad : "invalid value: %s", s);
	else
		snprintf(msg, sizeof(msg), "%s", d->msg);
	pr_err("%s\n", msg);
	return 2;
}

static int conv_number(struct parser *p, const struct opt_type *t, const char *s,
		       struct opt_value *v)
{
	uint64_t n;

	(void)p;
	if (!parse_u64(s, &n) || n > (uint64_t)t->hi || (int64_t)n < t->lo)
		return bad_value(t, s, NULL);
	v->num = (int64_t)n;
	return 0;
}

static int conv_size(struct parser *p, const struct opt_type *t, const char *s,
		     struct opt_value *v)
{
	struct diag d = { 0 };
	uint64_t sectors;

	(void)p;
	if (t->special && strcmp(s, t->special) == 0) {
		v->special = true;
		return 0;
	}
	if (shape_parse_size(s, &sectors, &d) || sectors > INT64_MAX || (int64_t)sectors < t->lo)
		return bad_value(t, s, &d);
	v->num = (int64_t)sectors;
	return 0;
}

static int conv_chunk(struct parser *p, const struct opt_type *t, const char *s,
		      struct opt_value *v)
{
	struct diag d = { 0 };
	uint64_t sectors;

	(void)p;
	if (shape_parse_chunk(s, &sectors, &d))
		return bad_value(t, s, &d);
	v->num = (int64_t)sectors;
	return 0;
}

static int conv_word(struct parser *p, const struct opt_type *t, const char *s,
		     struct opt_value *v)
{
	(void)p;
	for (const struct opt_word *w = t->words; w->word; w++)
		if (strcmp(w->word, s) == 0) {
			v->num = w->value;
			return 0;
		}
	return bad_value(t, s, NULL);
}

static int conv_level(struct parser *p, const struct opt_type *t, const char *s,
		      struct opt_value *v)
{
	struct diag d = { 0 };
	int level;

	(void)p;
	if (shape_parse_level(s, &level, &d))
		return bad_value(t, s, &d);
	v->num = level;
	return 0;
}

/* With --level the word must be one of that level's layouts; without it
 * (--grow keeps the array's level) one of any level's. */
static int conv_layout(struct parser *p, const struct opt_type *t, const char *s,
		       struct opt_value *v)
{
	struct diag d = { 0 };
	uint32_t layout;

	if (cmd_has(p->c, OPT_LEVEL)) {
		if (shape_parse_layout((int)cmd_num(p->c, OPT_LEVEL), s, &layout, &d))
			return bad_value(t, s, &d);
		v->num = layout;
		return 0;
	}
	if (!shape_layout_known(s)) {
		pr_err("layout %s is not a layout of any raid level (%s)\n", s, shape_layout_choices());
		return 2;
	}
	return 0;
}

/* Formats this mdadm only recognises are refused where a superblock would
 * be written, and ignored where one is only looked for. */
static int conv_metadata(struct parser *p, const struct opt_type *t, const char *s,
			 struct opt_value *v)
{
	struct diag d = { 0 };
	int minor;

	if (shape_parse_metadata(s, &minor, &d) == 0) {
		v->num = minor;
		return 0;
	}
	if (d.err == EOPNOTSUPP && p->c->mode != MODE_CREATE) {
		v->num = -1;
		return 0;
	}
	return bad_value(t, s, &d);
}

static int conv_bitmap(struct parser *p, const struct opt_type *t, const char *s,
		       struct opt_value *v)
{
	struct diag d = { 0 };
	enum bitmap_kind k;

	(void)p;
	if (bitmap_kind_parse(s, &k, &d))
		return bad_value(t, s, &d);
	v->num = k;
	return 0;
}

static int conv_uuid(struct parser *p, const struct opt_type *t, const char *s,
		     struct opt_value *v)
{
	struct diag d = { 0 };

	(void)p;
	if (shape_parse_uuid(s, v->uuid, &d))
		return bad_value(t, s, &d);
	return 0;
}

static int conv_lbs(struct parser *p, const struct opt_type *t, const char *s,
		    struct opt_value *v)
{
	struct diag d = { 0 };
	uint32_t lbs;

	(void)p;
	if (shape_parse_lbs(s, &lbs, &d))
		return bad_value(t, s, &d);
	v->num = lbs;
	return 0;
}

/* ---- --update= ------------------------------------------------------------ */

static const char *const update_names[UPD__COUNT] = {
	[UPD_NAME] = "name", [UPD_PPL] = "ppl", [UPD_NO_PPL] = "no-ppl",
	[UPD_BITMAP] = "bitmap", [UPD_NO_BITMAP] = "no-bitmap", [UPD_SPARC22] = "sparc2.2",
	[UPD_SUPER_MINOR] = "super-minor", [UPD_SUMMARIES] = "summaries",
	[UPD_RESYNC] = "resync", [UPD_UUID] = "uuid", [UPD_HOMEHOST] = "homehost",
	[UPD_HOME_CLUSTER] = "home-cluster", [UPD_NODES] = "nodes",
	[UPD_DEVICESIZE] = "devicesize", [UPD_BBL] = "bbl", [UPD_NO_BBL] = "no-bbl",
	[UPD_FORCE_NO_BBL] = "force-no-bbl", [UPD_METADATA] = "metadata",
	[UPD_REVERT_RESHAPE] = "revert-reshape", [UPD_LAYOUT_ORIGINAL] = "layout-original",
	[UPD_LAYOUT_ALTERNATE] = "layout-alternate",
	[UPD_LAYOUT_UNSPECIFIED] = "layout-unspecified", [UPD_BYTEORDER] = "byteorder",
	[UPD_LOCKLESS_BITMAP] = "lockless-bitmap",
};

/* The words each mode takes: assembly all of them, --re-add (manage) and
 * --update-subarray (misc) a few. */
static const enum update_word readd_updates[] = {
	UPD_DEVICESIZE, UPD_BBL, UPD_NO_BBL, UPD_FORCE_NO_BBL
};
static const enum update_word subarray_updates[] = {
	UPD_NAME, UPD_PPL, UPD_NO_PPL, UPD_BITMAP, UPD_NO_BITMAP
};

const char *update_word_name(enum update_word w)
{
	return (unsigned)w < UPD__COUNT ? update_names[w] : "?";
}

static int update_lookup(const char *s)
{
	for (int i = 0; i < UPD__COUNT; i++)
		if (strcmp(s, update_names[i]) == 0)
			return i;
	return -1;
}

static bool update_in(int w, const enum update_word *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((int)set[i] == w)
			return true;
	return false;
}

/* Five quoted words to a line, each line indented by a tab, as upstream. */
static void print_update_words(FILE *f, const enum update_word *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s'%s', %s", i % 5 == 0 ? "\t" : "", update_names[set[i]],
			i % 5 == 4 || i + 1 == n ? "\n" : "");
}

static void print_all_update_words(FILE *f)
{
	enum update_word all[UPD__COUNT];

	for (int i = 0; i < UPD__COUNT; i++)
		all[i] = (enum update_word)i;
	fputs("Valid --update options are:\n", f);
	print_update_words(f, all, UPD__COUNT);
}

static int conv_update(struct parser *p, const struct opt_type *t, const char *s,
		       struct opt_value *v)
{
	int w = update_lookup(s);

	(void)t;
	switch (p->c->mode) {
	case MODE_MANAGE:
		if (p->action != OPT_RE_ADD) {
			pr_err("--update in Manage mode only allowed with --re-add.\n");
			return 1;
		}
		if (!update_in(w, readd_updates, sizeof(readd_updates) / sizeof(readd_updates[0]))) {
			pr_err("only 'devicesize', 'bbl', 'no-bbl', and 'force-no-bbl' can be updated with --re-add\n");
			return 2;
		}
		break;
	case MODE_MISC:
		if (p->action != OPT_UPDATE_SUBARRAY) {
			pr_err("Only subarrays can be updated in misc mode\n");
			return 2;
		}
		if (!update_in(w, subarray_updates,
			       sizeof(subarray_updates) / sizeof(subarray_updates[0]))) {
			pr_err("'--update=%s' is invalid update-subarray option. Valid --update options for update-subarray are:\n",
			       s);
			print_update_words(stderr, subarray_updates,
					   sizeof(subarray_updates) / sizeof(subarray_updates[0]));
			return 2;
		}
		break;
	default:
		if (strcmp(s, "?") == 0 || strcmp(s, "help") == 0) {
			print_all_update_words(stdout);
			return CMDLINE_ANSWERED;
		}
		if (w < 0) {
			pr_err("'--update=%s' is invalid update option. ", s);
			print_all_update_words(stderr);
			return 2;
		}
	}
	v->num = w;
	return 0;
}

static int usage_error(void)
{
	fputs("Usage: mdadm --help\n  for help\n", stderr);
	return 2;
}

static int add_device(struct parser *p, const char *name)
{
	struct cmdline *c = p->c;

	if (c->mode == MODE_NONE) {
		if (c->ndevs > 0) {
			pr_err("An option must be given to set the mode before a second device\n"
			       "       (%s) is listed\n", name);
			return 2;
		}
		p->first_dev = name;
	} else if (c->mode == MODE_MISC && p->action == OPT_NONE && !cmd_has(c, OPT_SCAN)) {
		pr_err("No action given for %s in --misc mode\n", name);
		return 2;
	}
	if (c->ndevs >= CMD_MAX_DEVS) {
		pr_err("too many devices on the command line (limit %d)\n", CMD_MAX_DEVS);
		return 2;
	}
	c->devs[c->ndevs].name = name;
	c->devs[c->ndevs].action = p->action;
	c->devs[c->ndevs].marks = p->marks;
	c->ndevs++;
	return 0;
}

static int set_mode(struct parser *p, const struct opt_def *o, const char *spelled)
{
	struct cmdline *c = p->c;
	enum mode want = o->selects;

	if (o->flags & OF_MANAGE_ACTION)
		want = MODE_MANAGE;
	if (c->mode == MODE_NONE) {
		if (want == MODE_NONE) {
			if (o->flags & OF_GENERAL)
				return 0;
			pr_err("%s does not set the mode, and so cannot be the first option.\n", spelled);
			return 2;
		}
		if (want == MODE_MISC && p->first_dev) {
			pr_err("No action given for %s in --misc mode\n", p->first_dev);
			fputs("       Action options must come before device names\n", stderr);
			return 2;
		}
		c->mode = want;
		return 0;
	}
	/* a mode is set: options that choose a different mode conflict, but
	 * per-device actions and flags valid in this mode are fine */
	if (o->selects != MODE_NONE && o->selects != c->mode && !(o->modes & MB(c->mode))) {
		pr_err("%s would set mdadm mode to \"%s\", but it is already set to \"%s\".\n",
		       spelled, mode_name(o->selects), mode_name(c->mode));
		return 2;
	}
	if (!(o->modes & MB(c->mode))) {
		pr_err("option %s not valid in %s mode\n", spelled, mode_name(c->mode));
		return 2;
	}
	return 0;
}

/* --examine reads members, the other misc actions act on arrays: upstream
 * refuses to mix them on one command line (a --query before --examine is
 * the one exception it lets pass). */
static int examine_conflict(const struct parser *p, const struct opt_def *o, const char *spelled)
{
	enum opt_id prev = p->action;

	if (p->c->mode != MODE_MISC || !(o->flags & OF_MISC_ACTION) || prev == OPT_NONE ||
	    prev == o->id)
		return 0;
	if (prev == OPT_EXAMINE) {
		pr_err("--examine/-E cannot be given with %s\n", spelled);
		return 2;
	}
	if (o->id == OPT_EXAMINE && prev != OPT_QUERY) {
		const struct opt_def *po = option_by_id(prev);

		if (po && po->short_name)
			pr_err("--examine/-E cannot be given with -%c\n", po->short_name);
		else
			pr_err("--examine/-E cannot be given with previous option\n");
		return 2;
	}
	return 0;
}

/* An array is either started or stopped by one manage command. */
static int runstop_conflict(const struct parser *p, const struct opt_def *o)
{
	const struct cmdline *c = p->c;

	if (c->mode != MODE_MANAGE)
		return 0;
	if (o->id == OPT_STOP && c->count[OPT_RUN] > 0) {
		pr_err("Cannot both Run and Stop an array\n");
		return 2;
	}
	if (o->id == OPT_RUN && c->count[OPT_STOP] > 0) {
		pr_err("Cannot both Stop and Run an array\n");
		return 2;
	}
	return 0;
}

static int record_option(struct parser *p, const struct opt_def *o, const char *spelled,
			 const char *value)
{
	struct cmdline *c = p->c;
	int rc;

	o = resolve_mode_row(o, c->mode);
	rc = set_mode(p, o, spelled);
	if (rc)
		return rc;
	o = resolve_mode_row(o, c->mode);
	rc = examine_conflict(p, o, spelled);
	if (!rc)
		rc = runstop_conflict(p, o);
	if (rc)
		return rc;
	if (o->id == OPT_ACTION && c->count[o->id] > 0) {
		pr_err("Only one --action can be specified\n");
		return 2;
	}
	if ((o->flags & OF_ONCE) && c->count[o->id] > 0) {
		pr_err("%s may only be given once (second value: %s)\n", spelled,
		       value ? value : "(none)");
		return 2;
	}
	if (o->arg == ARG_REQUIRED && (!value || !*value)) {
		pr_err("option %s requires a value\n", spelled);
		return 2;
	}
	if (o->type && value && !o->type->after_all) {
		rc = o->type->convert(p, o->type, value, &c->v[o->id]);
		if (rc)
			return rc;
	}
	c->count[o->id]++;
	c->val[o->id] = value;
	c->spelled[o->id] = o->name;
	if (o->id == OPT_WRITE_MOSTLY)
		p->marks |= DEVARG_WRITE_MOSTLY;
	if (o->id == OPT_FAILFAST)
		p->marks |= DEVARG_FAILFAST;
	if (o->id == OPT_NOFAILFAST)
		p->marks &= ~DEVARG_FAILFAST;
	if (o->id == OPT_VERBOSE)
		c->verbose++;
	if (o->id == OPT_QUIET)
		c->verbose--;
	/* --build marks the members listed after --write-mostly */
	if (o->id == OPT_WRITE_MOSTLY && c->mode == MODE_BUILD)
		p->action = o->id;
	if (o->flags & (OF_MISC_ACTION | OF_MANAGE_ACTION))
		if ((c->mode == MODE_MISC && (o->flags & OF_MISC_ACTION)) ||
		    (c->mode == MODE_MANAGE && (o->flags & OF_MANAGE_ACTION)) ||
		    (c->mode == MODE_GROW && o->id == OPT_ADD))
			p->action = c->last_action = o->id;
	return 0;
}

static int parse_long(struct parser *p, int argc, char **argv, int *i)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const char *value = eq ? eq + 1 : NULL;
	const struct opt_def *o;
	char spelled[64];
	bool ambiguous;

	o = find_long(arg, len, &ambiguous);
	if (!o && ambiguous) {
		report_ambiguous(argv[*i], arg, len);
		return usage_error();
	}
	if (!o) {
		pr_err("unrecognized option '--%.*s'\n", (int)len, arg);
		return usage_error();
	}
	if (o->arg == ARG_NONE && value) {
		pr_err("option '--%s' doesn't allow an argument\n", o->name);
		return usage_error();
	}
	if (o->arg == ARG_REQUIRED && !value) {
		if (*i + 1 >= argc) {
			pr_err("option '--%s' requires an argument\n", o->name);
			return usage_error();
		}
		value = argv[++*i];
	}
	snprintf(spelled, sizeof(spelled), "--%s", o->name);
	return record_option(p, o, spelled, value);
}

static int parse_short_cluster(struct parser *p, int argc, char **argv, int *i)
{
	const char *s = argv[*i] + 1;

	for (; *s; s++) {
		const struct opt_def *o = find_short(*s, p->c->mode);
		char spelled[3] = { '-', *s, 0 };
		const char *value = NULL;
		int rc;

		if (!o) {
			pr_err("invalid option -- '%c'\n", *s);
			return usage_error();
		}
		o = resolve_mode_row(o, p->c->mode);
		if (o->arg != ARG_NONE && s[1]) {
			value = s + 1;
		} else if (o->arg == ARG_REQUIRED) {
			if (*i + 1 >= argc) {
				pr_err("option requires an argument -- '%c'\n", *s);
				return usage_error();
			}
			value = argv[++*i];
		}
		rc = record_option(p, o, spelled, value);
		if (rc)
			return rc;
		if (value)
			break;
	}
	return 0;
}

/* Values that depend on other options (the layout on the level), converted
 * once every option is known. */
static int convert_after_all(struct parser *p)
{
	struct cmdline *c = p->c;

	for (size_t i = 0; i < option_table_len; i++) {
		const struct opt_def *o = &option_table[i];

		if (!o->type || !o->type->after_all || !c->val[o->id] ||
		    strcmp(c->spelled[o->id], o->name) != 0)
			continue;
		if (o->type->convert(p, o->type, c->val[o->id], &c->v[o->id]))
			return 2;
	}
	return 0;
}

int cmdline_parse(struct cmdline *c, int argc, char **argv)
{
	struct parser p = { .c = c, .action = OPT_NONE, .marks = 0, .first_dev = NULL };
	bool only_devices = false;

	memset(c, 0, sizeof(*c));
	/* sized to the arguments, so that a short command line touches few
	 * pages (udev starts one per disk at boot) */
	c->devs = calloc(argc > 1 ? (size_t)argc - 1 : 1, sizeof(*c->devs));
	if (!c->devs) {
		pr_err("out of memory\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int rc;

		if (only_devices || a[0] != '-' || a[1] == '\0')
			rc = add_device(&p, a);
		else if (strcmp(a, "--") == 0) {
			only_devices = true;
			continue;
		} else if (a[1] == '-')
			rc = parse_long(&p, argc, argv, &i);
		else
			rc = parse_short_cluster(&p, argc, argv, &i);
		if (rc)
			return rc;
	}
	if (convert_after_all(&p))
		return 2;
	if (c->mode == MODE_NONE && c->ndevs > 0 && !cmd_has(c, OPT_HELP)) {
		/* "mdadm /dev/md0" alone is a query */
		c->mode = MODE_MISC;
		c->devs[0].action = OPT_QUERY;
	}
	return 0;
}

void cmdline_free(struct cmdline *c)
{
	free(c->devs);
	c->devs = NULL;
	c->ndevs = 0;
}
