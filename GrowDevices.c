/* GrowDevices.c - --grow on a running array's number of mirrors and its
 * policies
 *
 *   mdadm --grow /dev/md0 --raid-devices=3 [--add /dev/sdc]
 *   mdadm --grow /dev/md0 --consistency-policy=resync|bitmap
 *   mdadm --grow /dev/md0 --write-behind=N
 *
 * --raid-devices changes the number of slots of a RAID1 (md/raid_disks);
 * the kernel takes it at once, spares then recover into the new slots,
 * whatever the bitmap (the lockless one included: a recovery onto a new
 * mirror of a degraded array skips only the chunks never written). Fewer
 * slots are refused while more members than that hold one: mirrors are
 * failed and removed first. The sync thread stays frozen from before the
 * --add devices come in until the new count is set, because a recovery
 * that an added spare started would make the kernel refuse the count
 * (EBUSY). RAID4/5/6 get more members through a reshape (GrowReshape.c);
 * other levels are not reshaped yet.
 *
 * The kernel changes md/consistency_policy itself only between ppl and
 * resync (RAID5); an array's policy is otherwise "bitmap" exactly while it
 * has a bitmap, so resync and bitmap are reached by taking the bitmap off
 * and putting a classic one on (GrowBitmap.c). mdadm 4.6 refuses both.
 *
 * --write-behind sets the classic bitmap's limit (md/bitmap/backlog); the
 * lockless bitmap has none, and mdadm 4.6 ignores the option in Grow
 * mode ("no changes to --grow"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap_kind.h"
#include "mdarray.h"
#include "mdkernel.h"
#include "modes.h"
#include "shape.h"
#include "super1.h"
#include "sysfs.h"
#include "util.h"

#define DEFAULT_WRITE_BEHIND 256u  /* --write-behind without a value */

struct grow_dev {
	struct sysfs sys;
	const char *name;             /* the array as the user named it */
	char devnm[MD_DEVNM_MAX];
	struct md_array a;
};

/* Anything given besides these (and the mode, -v, -q) is another change. */
static bool only_options(const struct cmdline *c, const enum opt_id *allowed, size_t n)
{
	for (size_t i = 0; i < option_table_len; i++) {
		enum opt_id id = option_table[i].id;
		bool ok = id == OPT_GROW || id == OPT_VERBOSE || id == OPT_QUIET;

		for (size_t k = 0; k < n && !ok; k++)
			ok = id == allowed[k];
		if (cmd_has(c, id) && !ok)
			return false;
	}
	return true;
}

static int open_array(struct grow_dev *g, const char *name)
{
	struct diag d = { 0 };

	memset(g, 0, sizeof(*g));
	g->name = name;
	sysfs_init(&g->sys);
	if (md_find_array(&g->sys, name, g->devnm, sizeof(g->devnm), &d) != 0) {
		pr_err("%s\n", d.msg);
		return -1;
	}
	if (md_array_load(&g->sys, NULL, g->devnm, &g->a, &d) != 0) {
		pr_err("cannot read the state of %s: %s\n", name, d.msg);
		return -1;
	}
	if (!g->a.active) {
		pr_err("%s is not an active md array - aborting\n", name);
		return -1;
	}
	return 0;
}

static bool read_only(const struct md_array *a)
{
	return md_array_state_word_read_only(a->array_state);
}

/* ---- --raid-devices ---------------------------------------------------------- */

/* Counted as the kernel counts them for GET_ARRAY_INFO: working members
 * that are not in sync (spares and members still recovering). */
static unsigned count_spares(const struct md_array *a)
{
	unsigned n = 0;

	for (size_t i = 0; i < a->nmembers; i++)
		n += !(a->members[i].flags & (MDM_FAULTY | MDM_IN_SYNC | MDM_JOURNAL));
	return n;
}

/* Members holding a slot: the kernel will not drop below their number. */
static unsigned count_in_slots(const struct md_array *a)
{
	unsigned n = 0;

	for (size_t i = 0; i < a->nmembers; i++)
		n += a->members[i].slot >= 0;
	return n;
}

static size_t count_added(const struct cmdline *c)
{
	return c->ndevs - 1;
}

/* Upstream's checks before it looks at the array, in its order. */
static int check_raid_devices_command(const struct cmdline *c, unsigned want)
{
	static const enum opt_id allowed[] = {
		OPT_RAID_DEVICES, OPT_FORCE, OPT_ADD, OPT_LEVEL, OPT_SIZE, OPT_ARRAY_SIZE,
		OPT_WRITE_MOSTLY, OPT_FAILFAST, OPT_NOFAILFAST, OPT_BACKUP_FILE, OPT_CHUNK,
		OPT_LAYOUT,
	};

	if (want == 1 && !cmd_has(c, OPT_FORCE)) {
		pr_err("'1' is an unusual number of drives for an array, so it is probably\n"
		       "     a mistake.  If you really mean it you will need to specify --force before\n"
		       "     setting the number of drives.\n");
		return EXIT_USAGE;
	}
	if (!only_options(c, allowed, sizeof(allowed) / sizeof(allowed[0]))) {
		pr_err("--raid-devices, --chunk and --layout cannot be combined with other --grow changes yet\n");
		return EXIT_USAGE;
	}
	if (cmd_has(c, OPT_ARRAY_SIZE)) {
		pr_err("cannot change array size in same operation as changing raiddisks or level.\n"
		       "    Change size first, then check that data is still intact.\n");
		return EXIT_FAIL;
	}
	for (size_t i = 1; i < c->ndevs; i++)
		if (c->devs[i].action != OPT_ADD) {
			pr_err("%s: devices are named in --grow mode only after --add\n",
			       c->devs[i].name);
			return EXIT_USAGE;
		}
	return 0;
}

/* What the array must be for its count of mirrors to change now. */
static int check_raid_devices_array(const struct cmdline *c, const struct grow_dev *g,
				    unsigned want)
{
	const struct md_array *a = &g->a;
	unsigned spares = count_spares(a) + (unsigned)count_added(c), in_slots;

	if (cmd_has(c, OPT_SIZE)) {
		pr_err("cannot change component size at the same time as other changes.\n"
		       "   Change size first, then check data is intact before making other changes.\n");
		return EXIT_FAIL;
	}
	if (!a->level_known || a->level != 1) {
		char what[96];

		snprintf(what, sizeof(what), "--grow --raid-devices on a %s array (a reshape)",
			 a->level_text[0] ? a->level_text : "non-RAID1");
		return not_implemented(what);
	}
	if (cmd_has(c, OPT_LEVEL) && cmd_num(c, OPT_LEVEL) != a->level)
		return not_implemented("--grow --level (a level change)");
	if (want > SB1_MAX_DEV) {
		pr_err("Cannot increase raid-disks on this array beyond %u\n", SB1_MAX_DEV);
		return EXIT_FAIL;
	}
	if (a->meta_major != 1) {
		pr_err("%s: only arrays with version 1 metadata can change their number of mirrors here\n",
		       g->name);
		return EXIT_FAIL;
	}
	if (read_only(a)) {
		pr_err("%s is read-only: switch it to read-write (--readwrite) before changing its mirrors\n",
		       g->name);
		return EXIT_FAIL;
	}
	if (want > a->raid_disks && spares < want - a->raid_disks && !cmd_has(c, OPT_FORCE)) {
		unsigned need = want - a->raid_disks;

		pr_err("Need %u spare%s to avoid degraded array, and only have %u.\n"
		       "       Use --force to over-ride this check.\n",
		       need, need == 1 ? "" : "s", spares);
		return EXIT_FAIL;
	}
	in_slots = count_in_slots(a);
	if (want < a->raid_disks && in_slots > want) {
		pr_err("failed to set raid disks: %u members of %s hold a slot; fail and remove %u of them first\n",
		       in_slots, g->name, in_slots - want);
		return EXIT_FAIL;
	}
	return 0;
}

static bool is_raid456(const struct md_array *a)
{
	return a->level_known && (a->level == 4 || a->level == 5 || a->level == 6);
}

/* The --add devices, through --manage's add (a former member goes back
 * into its slot, any other device becomes a spare). --force there would
 * overwrite another array's member: in Grow mode it only overrides the
 * check for spares, as in mdadm 4.6. */
static int add_devices(const struct cmdline *c)
{
	struct cmdline *mc;
	int rc;

	if (c->ndevs < 2)
		return EXIT_OK;
	mc = malloc(sizeof(*mc));
	if (!mc) {
		pr_err("out of memory\n");
		return EXIT_FAIL;
	}
	*mc = *c;
	mc->count[OPT_FORCE] = 0;
	rc = Manage(mc);
	free(mc);
	return rc;
}

/* Freeze the sync thread; *ours tells whether we must release it. A
 * recovery may be interrupted (it resumes), a resync or check may not. */
static int freeze(const struct grow_dev *g, bool *ours)
{
	struct diag d = { 0 };
	const char *act = g->a.sync_action;

	*ours = false;
	if (md_sync_word_is(act, MD_SYNC_FROZEN))
		return 0;
	if (md_sync_word_running(act) && !md_sync_word_is(act, MD_SYNC_RECOVER)) {
		pr_err("%s is performing resync/recovery and cannot be reshaped\n", g->name);
		return -1;
	}
	if (md_sync_freeze(&g->sys, g->devnm, &d) != 0) {
		pr_err("cannot freeze the sync thread of %s: %s\n", g->name, d.msg);
		return -1;
	}
	*ours = true;
	return 0;
}

static int unfreeze(const struct grow_dev *g, bool ours)
{
	struct diag d = { 0 };

	if (ours && md_sync_unfreeze(&g->sys, g->devnm, &d) != 0) {
		pr_err("recovery of %s stays frozen (%s); write 'idle' to md/sync_action to release it\n",
		       g->name, d.msg);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int set_mirrors(const struct cmdline *c, const struct grow_dev *g, unsigned want)
{
	struct diag d = { 0 };
	int rc = add_devices(c);

	if (rc != EXIT_OK)
		return rc;
	if (md_set_raid_disks(&g->sys, g->devnm, want, &d) != 0) {
		pr_err("failed to set raid disks: %s\n", d.msg);
		return EXIT_FAIL;
	}
	if (c->verbose >= 0)
		printf("raid_disks for %s set to %u\n", g->name, want);
	return EXIT_OK;
}

/* The chunk size and layout --chunk and --layout ask for (the array's own
 * where not given); a layout word is one of the array's level. */
static int wanted_shape(const struct cmdline *c, const struct grow_dev *g, uint64_t *chunk,
			uint32_t *layout)
{
	struct diag d = { 0 };

	*chunk = cmd_has(c, OPT_CHUNK) ? (uint64_t)cmd_num(c, OPT_CHUNK) * 512 : g->a.chunk_bytes;
	*layout = g->a.layout;
	if (!cmd_has(c, OPT_LAYOUT))
		return 0;
	if (cmd_has(c, OPT_LEVEL)) {
		*layout = (uint32_t)cmd_num(c, OPT_LAYOUT);
		return 0;
	}
	if (shape_parse_layout(g->a.level, cmd_val(c, OPT_LAYOUT), layout, &d)) {
		pr_err("layout %s not understood for %s.\n", cmd_val(c, OPT_LAYOUT), g->a.level_text);
		return -1;
	}
	return 0;
}

static int reshape_raid456(const struct cmdline *c, struct grow_dev *g, unsigned want)
{
	struct grow_request rq = {
		.c = c, .sys = &g->sys, .devnm = g->devnm, .name = g->name, .a = &g->a,
		.want = want, .spares = count_spares(&g->a) + (unsigned)count_added(c),
		.add = add_devices,
	};

	if (wanted_shape(c, g, &rq.chunk_bytes, &rq.layout))
		return EXIT_FAIL;
	return grow_reshape(&rq);
}

int grow_shape(const struct cmdline *c, const char *array)
{
	bool shape = cmd_has(c, OPT_CHUNK) || cmd_has(c, OPT_LAYOUT);
	unsigned want = cmd_has(c, OPT_RAID_DEVICES) ? (unsigned)cmd_num(c, OPT_RAID_DEVICES) : 0;
	struct grow_dev g;
	bool frozen = false;
	int rc = check_raid_devices_command(c, want);

	if (rc)
		return rc;
	if (open_array(&g, array) != 0) {
		md_array_free(&g.a);
		return EXIT_FAIL;
	}
	if (!want)
		want = g.a.raid_disks;
	if (is_raid456(&g.a)) {
		rc = reshape_raid456(c, &g, want);
		md_array_free(&g.a);
		return rc;
	}
	if (shape) {
		char what[96];

		if (g.a.level_known && g.a.level == 1) {
			pr_err("%s is a RAID1 array: it has no chunk size or layout to change\n", array);
			rc = EXIT_FAIL;
		} else {
			snprintf(what, sizeof(what), "--grow --chunk or --layout of a %s array",
				 g.a.level_text[0] ? g.a.level_text : "such");
			rc = not_implemented(what);
		}
		md_array_free(&g.a);
		return rc;
	}
	rc = check_raid_devices_array(c, &g, want);
	if (rc == 0 && freeze(&g, &frozen) != 0)
		rc = EXIT_FAIL;
	if (rc == 0) {
		if (want == g.a.raid_disks) {
			/* as mdadm 4.6: nothing is added either */
			if (c->verbose >= 0)
				pr_err("%s: no change requested\n", array);
		} else {
			rc = set_mirrors(c, &g, want);
		}
		if (unfreeze(&g, frozen) != EXIT_OK)
			rc = EXIT_FAIL;
	}
	md_array_free(&g.a);
	return rc;
}

/* ---- --consistency-policy -------------------------------------------------------- */

static const char *policy_word(enum consistency_policy p)
{
	switch (p) {
	case CP_RESYNC:
		return "resync";
	case CP_BITMAP:
		return "bitmap";
	case CP_JOURNAL:
		return "journal";
	case CP_PPL:
		return "ppl";
	}
	return "unknown";
}

static int change_policy(const struct cmdline *c, const struct grow_dev *g,
			 enum consistency_policy want, const char *now)
{
	const char *word = policy_word(want);
	struct diag d = { 0 };

	if (want == CP_RESYNC && strcmp(now, "bitmap") == 0)
		return grow_bitmap(c, g->name, "none");
	if (want == CP_BITMAP && strcmp(now, "resync") == 0)
		return grow_bitmap(c, g->name, "internal");
	if (want == CP_RESYNC && strcmp(now, "ppl") == 0) {
		if (md_set_consistency_policy(&g->sys, g->devnm, word, &d) != 0) {
			pr_err("Failed to change array consistency policy: %s\n", d.msg);
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	pr_err("Current consistency policy is %s, cannot change to %s\n", now, word);
	return EXIT_FAIL;
}

int grow_consistency_policy(const struct cmdline *c, const char *array)
{
	static const enum opt_id allowed[] = { OPT_CONSISTENCY_POLICY };
	enum consistency_policy want = (enum consistency_policy)cmd_num(c, OPT_CONSISTENCY_POLICY);
	struct diag d = { 0 };
	struct grow_dev g;
	char now[32];
	int rc = EXIT_FAIL;

	if (!only_options(c, allowed, 1) || c->ndevs != 1) {
		pr_err("--consistency-policy cannot be combined with other --grow changes yet\n");
		return EXIT_USAGE;
	}
	if (want == CP_PPL)
		return not_implemented("--grow --consistency-policy=ppl");
	if (want == CP_JOURNAL) {
		pr_err("Operation not supported for consistency policy journal\n");
		return EXIT_FAIL;
	}
	if (open_array(&g, array) != 0)
		goto out;
	if (!g.a.level_known || !bitmap_kind_level_allows(g.a.level)) {
		pr_err("Operation not supported for array level %d\n", g.a.level_known ? g.a.level : -1);
		goto out;
	}
	if (md_get_consistency_policy(&g.sys, g.devnm, now, sizeof(now), &d) != 0) {
		pr_err("cannot read the consistency policy of %s: %s\n", array, d.msg);
		goto out;
	}
	if (strcmp(now, policy_word(want)) == 0) {
		pr_err("Consistency policy is already %s\n", now);
		goto out;
	}
	rc = change_policy(c, &g, want, now);
out:
	md_array_free(&g.a);
	return rc;
}

/* ---- --write-behind ------------------------------------------------------------ */

static bool has_write_mostly(const struct md_array *a)
{
	for (size_t i = 0; i < a->nmembers; i++)
		if ((a->members[i].flags & (MDM_WRITE_MOSTLY | MDM_FAULTY)) == MDM_WRITE_MOSTLY)
			return true;
	return false;
}

int grow_write_behind(const struct cmdline *c, const char *array)
{
	static const enum opt_id allowed[] = { OPT_WRITE_BEHIND };
	unsigned n = cmd_val(c, OPT_WRITE_BEHIND) ? (unsigned)cmd_num(c, OPT_WRITE_BEHIND)
						 : DEFAULT_WRITE_BEHIND;
	struct diag d = { 0 };
	struct grow_dev g;
	int rc = EXIT_FAIL;

	if (!only_options(c, allowed, 1) || c->ndevs != 1) {
		pr_err("--write-behind cannot be combined with other --grow changes yet\n");
		return EXIT_USAGE;
	}
	if (open_array(&g, array) != 0)
		goto out;
	switch (g.a.bitmap) {
	case BITMAP_KIND_CLASSIC:
		break;
	case BITMAP_KIND_LOCKLESS:
		pr_err("%s has a lockless bitmap, which has no write-behind (the kernel offers no limit for it)\n",
		       array);
		goto out;
	case BITMAP_KIND_NONE:
		pr_err("write-behind mode requires a bitmap.\n");
		goto out;
	default:
		pr_err("%s has a %s bitmap; write-behind is set here only for an internal one\n",
		       array, bitmap_kind_name(g.a.bitmap));
		goto out;
	}
	if (!has_write_mostly(&g.a)) {
		pr_err("%s has no write-mostly member, and the kernel allows write-behind only with one (add a member with --write-mostly)\n",
		       array);
		goto out;
	}
	if (md_set_write_behind(&g.sys, g.devnm, n, &d) != 0) {
		pr_err("cannot set the write-behind limit of %s: %s\n", array, d.msg);
		goto out;
	}
	if (c->verbose > 0)
		pr_info("write-behind limit of %s set to %u\n", array, n);
	rc = EXIT_OK;
out:
	md_array_free(&g.a);
	return rc;
}
