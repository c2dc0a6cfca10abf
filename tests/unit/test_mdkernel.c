/* test_mdkernel.c - unit tests for the md kernel facade
 *
 * The array_state words are the kernel's (drivers/md/md.c array_states[]
 * as Linux 7.2 prints them). The setters and the start sequence run on a
 * fake sysfs tree (MDADM_SYSFS_ROOT) of regular files: what they write is
 * read back from the files, errors come from files that are missing. */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mdkernel.h"
#include "tests/unit/unit.h"

/* ---- array_state words ------------------------------------------------------- */

static const struct {
	const char *word;
	enum md_array_state st;
	bool active, in_sync;
} states[] = {
	{ "clear", MD_STATE_CLEAR, false, false },
	{ "inactive", MD_STATE_INACTIVE, false, false },
	{ "suspended", MD_STATE_SUSPENDED, true, false },
	{ "readonly", MD_STATE_READONLY, true, true },
	{ "read-auto", MD_STATE_READ_AUTO, true, true },
	{ "clean", MD_STATE_CLEAN, true, true },
	{ "active", MD_STATE_ACTIVE, true, false },
	{ "write-pending", MD_STATE_WRITE_PENDING, true, false },
	{ "active-idle", MD_STATE_ACTIVE_IDLE, true, false },
	{ "broken", MD_STATE_BROKEN, true, true },
};
#define NSTATES (sizeof(states) / sizeof(states[0]))

static void test_state_words_round_trip(void)
{
	CHECK_EQ_U(NSTATES, MD_STATE_COUNT);
	for (size_t i = 0; i < NSTATES; i++) {
		enum md_array_state st = MD_STATE_BROKEN;

		CHECK(md_array_state_parse(states[i].word, &st) == 0);
		CHECK(st == states[i].st);
		CHECK_EQ_S(md_array_state_word(states[i].st), states[i].word);
	}
}

static void test_state_predicates(void)
{
	for (size_t i = 0; i < NSTATES; i++) {
		CHECK(md_array_state_active(states[i].st) == states[i].active);
		CHECK(md_array_state_in_sync(states[i].st) == states[i].in_sync);
	}
	CHECK(md_array_state_word_read_only("readonly"));
	CHECK(md_array_state_word_read_only("read-auto"));
	CHECK(!md_array_state_word_read_only("clean"));
	CHECK(!md_array_state_word_read_only("active"));
	CHECK(!md_array_state_word_read_only("read-only"));   /* not a kernel word */
	CHECK(!md_array_state_word_read_only(""));
}

static void test_state_unknown_words(void)
{
	static const char *const bad[] = {
		"", "Active", "active ", " active", "active\n", "read_auto", "write_pending",
		"active_idle", "activ", "cleanx", "readonly-", "\xff",
	};
	enum md_array_state st = MD_STATE_CLEAN;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(md_array_state_parse(bad[i], &st) == -EINVAL);
	CHECK(st == MD_STATE_CLEAN);   /* untouched */
	CHECK_EQ_S(md_array_state_word((enum md_array_state)MD_STATE_COUNT), "unknown");
	CHECK_EQ_S(md_array_state_word((enum md_array_state)-1), "unknown");
}

/* ---- a fake sysfs tree ------------------------------------------------------------ */

static char fake_root[64];

static int fake_dir(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", fake_root, rel);
	return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static int fake_put(const char *rel, const char *contents)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fake_root, rel);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(contents, f);
	return fclose(f);
}

static const char *fake_get(const char *rel)
{
	static char buf[128];
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", fake_root, rel);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* An md9 with md/ and the given attributes, created empty (the facade's
 * writes do not truncate, like writes to sysfs). */
static int fake_md9(struct sysfs *s, const char *const *attrs)
{
	static const char *const dirs[] = { "block", "block/md9", "block/md9/md" };
	char rel[128];

	snprintf(fake_root, sizeof(fake_root), "/tmp/mdadm-unit-mk.XXXXXX");
	if (!mkdtemp(fake_root))
		return -1;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (fake_dir(dirs[i]))
			return -1;
	for (; attrs && *attrs; attrs++) {
		snprintf(rel, sizeof(rel), "block/md9/md/%s", *attrs);
		if (fake_put(rel, ""))
			return -1;
	}
	setenv("MDADM_SYSFS_ROOT", fake_root, 1);
	sysfs_init(s);
	return 0;
}

static void fake_remove(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fake_root);
	if (system(cmd) != 0)
		fprintf(stderr, "  could not remove %s\n", fake_root);
}

/* ---- get/set --------------------------------------------------------------------- */

static void test_get_state(void)
{
	struct diag d = { 0 };
	enum md_array_state st;
	struct sysfs s;

	if (fake_md9(&s, NULL) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	CHECK(fake_put("block/md9/md/array_state", "read-auto\n") == 0);
	CHECK(md_get_array_state(&s, "md9", &st, &d) == 0 && st == MD_STATE_READ_AUTO);
	CHECK(md_array_is_active(&s, "md9"));
	CHECK(fake_put("block/md9/md/array_state", "inactive\n") == 0);
	CHECK(!md_array_is_active(&s, "md9"));
	CHECK(fake_put("block/md9/md/array_state", "sleeping\n") == 0);
	CHECK(md_get_array_state(&s, "md9", &st, &d) == -EINVAL && d.err == EINVAL);
	CHECK_CONTAINS(d.msg, "unexpected md/array_state 'sleeping' of md9");
	CHECK(!md_array_is_active(&s, "md9"));
	/* no such md device: the errno of the read, not EINVAL */
	diag_clear(&d);
	CHECK(md_get_array_state(&s, "md7", &st, &d) == -ENOENT && d.err == ENOENT);
	CHECK(!md_array_is_active(&s, "md7"));
	fake_remove();
}

static void test_set_state_returns_errno(void)
{
	static const char *const attrs[] = { "array_state", NULL };
	struct diag d = { 0 };
	struct sysfs s;

	if (fake_md9(&s, attrs) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	CHECK(md_set_array_state(&s, "md9", MD_STATE_READ_AUTO, &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/array_state"), "read-auto");
	CHECK(md_set_array_state(&s, "md8", MD_STATE_CLEAR, &d) == -ENOENT);
	CHECK(d.err == ENOENT);
	CHECK_CONTAINS(d.msg, "failed to write 'clear' to '");
	CHECK_CONTAINS(d.msg, "/block/md8/md/array_state' (No such file or directory)");
	/* no diag: the errno still comes back */
	CHECK(md_set_array_state(&s, "md8", MD_STATE_CLEAR, NULL) == -ENOENT);
	CHECK(md_set_array_state(&s, "md9", (enum md_array_state)42, &d) == -EINVAL);
	/* md_write itself: the errno instead of -1 */
	CHECK(md_write(&s, "md9", "no_such_attr", "1", NULL) == -ENOENT);
	CHECK(md_member_write(&s, "md9", "vdb", "state", "faulty", NULL) == -ENOENT);
	fake_remove();
}

/* ---- the start sequence ------------------------------------------------------------ */

static void test_prepare_writes_in_order(void)
{
	static const char *const attrs[] = { "metadata_version", "new_dev", NULL };
	const struct md_start_member members[] = {
		{ makedev(252, 16), "/dev/vdb" },
		{ makedev(252, 32), "/dev/vdc" },
	};
	struct md_start st = {
		.minor = 2, .bitmap = BITMAP_KIND_NONE, .members = members, .nmembers = 2,
	};
	struct diag d = { 0 };
	struct sysfs s;

	if (fake_md9(&s, attrs) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	/* a kernel before 6.18 (no md/bitmap_type) takes "no bitmap" */
	CHECK(md_array_prepare(&s, "md9", &st, &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/metadata_version"), "1.2");
	CHECK_EQ_S(fake_get("block/md9/md/new_dev"), "252:32");   /* the last one */
	CHECK(fake_put("block/md9/md/new_dev", "") == 0);
	CHECK(md_add_member(&s, "md9", makedev(8, 1), &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/new_dev"), "8:1");
	fake_remove();
}

static void test_prepare_names_the_refused_member(void)
{
	static const char *const attrs[] = { "metadata_version", NULL };   /* no new_dev */
	const struct md_start_member members[] = { { makedev(252, 16), "/dev/vdb" } };
	struct md_start st = {
		.minor = 1, .bitmap = BITMAP_KIND_NONE, .members = members, .nmembers = 1,
	};
	struct diag d = { 0 };
	struct sysfs s;

	if (fake_md9(&s, attrs) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	CHECK(md_array_prepare(&s, "md9", &st, &d) == -ENOENT && d.err == ENOENT);
	CHECK_CONTAINS(d.msg, "the kernel refused /dev/vdb: failed to write '252:16'");
	fake_remove();
}

static void test_prepare_logical_block_size(void)
{
	static const char *const attrs[] = { "metadata_version", "new_dev", NULL };
	const struct md_start_member members[] = { { makedev(252, 16), "/dev/vdb" } };
	struct md_start st = {
		.minor = 2, .bitmap = BITMAP_KIND_NONE, .members = members, .nmembers = 1,
		.lbs = 4096, .lbs_required = true,
	};
	struct diag d = { 0 };
	struct sysfs s;

	if (fake_md9(&s, attrs) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	/* no md/logical_block_size (before 6.19): refused when required... */
	CHECK(md_array_prepare(&s, "md9", &st, &d) == -EOPNOTSUPP && d.err == EOPNOTSUPP);
	CHECK_CONTAINS(d.msg, "md/logical_block_size appeared in Linux 6.19");
	/* ...left to the kernel when not (assembly of an existing array) */
	st.lbs_required = false;
	CHECK(md_array_prepare(&s, "md9", &st, &d) == 0);
	/* present: written when above the md device's current size */
	CHECK(fake_put("block/md9/md/logical_block_size", "") == 0);
	CHECK(md_array_prepare(&s, "md9", &st, &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/logical_block_size"), "4096");
	/* not above it: nothing written (the kernel would say EINVAL) */
	CHECK(fake_dir("block/md9/queue") == 0);
	CHECK(fake_put("block/md9/queue/logical_block_size", "4096\n") == 0);
	CHECK(fake_put("block/md9/md/logical_block_size", "") == 0);
	CHECK(md_array_prepare(&s, "md9", &st, &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/logical_block_size"), "");
	fake_remove();
}

static void test_run_checks_the_state(void)
{
	static const char *const attrs[] = { "array_state", NULL };
	struct diag d = { 0 };
	struct sysfs s;

	if (fake_md9(&s, attrs) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	CHECK(md_array_run(&s, "md9", MD_STATE_READONLY, &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/array_state"), "readonly");
	/* what the kernel reads back decides: a state that is not running */
	CHECK(fake_put("block/md9/md/array_state", "") == 0);
	CHECK(md_array_run(&s, "md9", MD_STATE_INACTIVE, &d) == -EIO && d.err == EIO);
	CHECK_CONTAINS(d.msg, "the kernel did not start md9 (array_state inactive)");
	fake_remove();
}

/* ---- taking apart, udev ------------------------------------------------------------- */

static void test_stop_reports_the_write(void)
{
	struct diag d = { 0 };
	struct sysfs s;

	if (fake_md9(&s, NULL) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	CHECK(md_array_stop(&s, "md9", &d) == -ENOENT && d.err == ENOENT);
	CHECK_CONTAINS(d.msg, "failed to write 'clear'");
	fake_remove();
}

static void test_sync_thread_words(void)
{
	static const char *const attrs[] = { "sync_action", "resync_start", NULL };
	struct diag d = { 0 };
	struct sysfs s;

	if (fake_md9(&s, attrs) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	CHECK(md_sync_freeze(&s, "md9", &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/sync_action"), "frozen");
	CHECK(!md_sync_is_idle(&s, "md9"));
	CHECK(md_sync_resync_from_start(&s, "md9", &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/resync_start"), "0");
	CHECK_EQ_S(fake_get("block/md9/md/sync_action"), "resync");
	CHECK(fake_put("block/md9/md/sync_action", "") == 0);
	CHECK(md_sync_unfreeze(&s, "md9", &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/sync_action"), "idle");
	CHECK(md_sync_is_idle(&s, "md9"));
	fake_remove();
	/* no array: the unfreeze reports the errno, and nothing reads idle */
	if (fake_md9(&s, NULL) != 0)
		return;
	CHECK(md_sync_unfreeze(&s, "md9", &d) == -ENOENT && d.err == ENOENT);
	CHECK(!md_sync_is_idle(&s, "md9"));
	fake_remove();
}

static void test_sync_action_words(void)
{
	static const char *const words[] = {
		"idle", "frozen", "resync", "recover", "check", "repair", "reshape",
	};
	static const char *const bad[] = { "", "Idle", "idle ", "recovery", "frozen\n", "chec" };
	enum md_sync_action a = MD_SYNC_CHECK;

	CHECK_EQ_U(sizeof(words) / sizeof(words[0]), MD_SYNC_COUNT);
	for (size_t i = 0; i < MD_SYNC_COUNT; i++) {
		CHECK(md_sync_action_parse(words[i], &a) == 0 && a == (enum md_sync_action)i);
		CHECK_EQ_S(md_sync_action_word(a), words[i]);
	}
	a = MD_SYNC_CHECK;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(md_sync_action_parse(bad[i], &a) == -EINVAL);
	CHECK(a == MD_SYNC_CHECK);
	CHECK_EQ_S(md_sync_action_word((enum md_sync_action)MD_SYNC_COUNT), "unknown");
	/* the predicates modes use on a word they already hold */
	CHECK(md_sync_word_is("frozen", MD_SYNC_FROZEN));
	CHECK(!md_sync_word_is("frozen\n", MD_SYNC_FROZEN));
	CHECK(!md_sync_word_is("", MD_SYNC_IDLE));
	CHECK(!md_sync_word_running("idle"));
	CHECK(!md_sync_word_running("frozen"));
	CHECK(!md_sync_word_running(""));
	CHECK(md_sync_word_running("resync"));
	CHECK(md_sync_word_running("reshape"));
	CHECK(md_sync_word_running("something-new"));
}

static void test_sync_action_get_set(void)
{
	static const char *const attrs[] = { "sync_action", NULL };
	enum md_sync_action a = MD_SYNC_IDLE;
	struct diag d = { 0 };
	struct sysfs s;

	if (fake_md9(&s, attrs) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	CHECK(md_set_sync_action(&s, "md9", MD_SYNC_REPAIR, &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/sync_action"), "repair");
	CHECK(fake_put("block/md9/md/sync_action", "recover\n") == 0);
	CHECK(md_get_sync_action(&s, "md9", &a, &d) == 0 && a == MD_SYNC_RECOVER);
	CHECK(fake_put("block/md9/md/sync_action", "busy\n") == 0);
	CHECK(md_get_sync_action(&s, "md9", &a, &d) == -EINVAL && d.err == EINVAL);
	CHECK_CONTAINS(d.msg, "unexpected md/sync_action 'busy' of md9");
	CHECK(md_set_sync_action(&s, "md9", (enum md_sync_action)99, &d) == -EINVAL);
	/* no such array: the errno of the access */
	CHECK(md_set_sync_action(&s, "md7", MD_SYNC_CHECK, &d) == -ENOENT && d.err == ENOENT);
	CHECK_CONTAINS(d.msg, "failed to write 'check'");
	CHECK(md_get_sync_action(&s, "md7", &a, NULL) == -ENOENT);
	fake_remove();
}

static void test_safe_mode_parse(void)
{
	static const struct {
		const char *text;
		unsigned ms;
	} good[] = {
		{ "0.203", 203 }, { "0.000", 0 }, { "0", 0 }, { "1.5", 1500 }, { "2.0011", 2001 },
		{ "12", 12000 },
	};
	static const char *const bad[] = { "", ".5", "0.", "-1", "0.2s", "1e3", " 0.2", "abc",
					   "99999999" };
	unsigned ms = 7;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		CHECK(md_safe_mode_parse(good[i].text, &ms) == 0);
		CHECK_EQ_U(ms, good[i].ms);
	}
	ms = 7;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(md_safe_mode_parse(bad[i], &ms) == -EINVAL);
	CHECK_EQ_U(ms, 7);
}

static void test_wait_clean(void)
{
	static const char *const attrs[] = { "safe_mode_delay", "array_state", NULL };
	struct diag d = { 0 };
	unsigned ms = 0;
	struct sysfs s;

	if (fake_md9(&s, attrs) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	/* clean already: nothing written */
	CHECK(fake_put("block/md9/md/safe_mode_delay", "0.200\n") == 0);
	CHECK(fake_put("block/md9/md/array_state", "clean\n") == 0);
	CHECK(md_wait_clean(&s, "md9", 60, &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/safe_mode_delay"), "0.200\n");
	/* safe mode off (raid0, linear): never dirty, nothing to wait for */
	CHECK(fake_put("block/md9/md/safe_mode_delay", "0.000\n") == 0);
	CHECK(fake_put("block/md9/md/array_state", "active\n") == 0);
	CHECK(md_wait_clean(&s, "md9", 60, &d) == 0);
	/* a fake kernel that never marks it clean: the delay is shortened,
	 * put back, and the wait ends with ETIMEDOUT */
	CHECK(fake_put("block/md9/md/safe_mode_delay", "0.200\n") == 0);
	CHECK(md_wait_clean(&s, "md9", 60, &d) == -ETIMEDOUT && d.err == ETIMEDOUT);
	CHECK_CONTAINS(d.msg, "md9 was still being written after 60 ms");
	CHECK(md_get_safe_mode_ms(&s, "md9", &ms, &d) == 0);
	CHECK_EQ_U(ms, 200);
	/* the setter's words */
	CHECK(md_set_safe_mode_ms(&s, "md9", 1, &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/safe_mode_delay"), "0.001\n");   /* over "0.200\\n" */
	CHECK(md_set_safe_mode_ms(&s, "md7", 1, &d) == -ENOENT);
	CHECK(md_get_safe_mode_ms(&s, "md7", &ms, NULL) == -ENOENT);
	fake_remove();
}

static void test_notify_udev(void)
{
	struct diag d = { 0 };
	struct sysfs s;

	if (fake_md9(&s, NULL) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	CHECK(md_notify_udev(&s, "md9", &d) == 0);   /* no uevent file: nothing to tell */
	CHECK(fake_put("block/md9/uevent", "") == 0);
	CHECK(md_notify_udev(&s, "md9", &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/uevent"), "change");
	fake_remove();
}

/* ---- md_alloc and legacy_async_del_gendisk ------------------------------------------ */

static int fake_md_mod(const char *async_value)
{
	static const char *const dirs[] = { "module", "module/md_mod", "module/md_mod/parameters" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (fake_dir(dirs[i]))
			return -1;
	if (async_value &&
	    fake_put("module/md_mod/parameters/legacy_async_del_gendisk", async_value))
		return -1;
	return 0;
}

static void test_alloc_opts_into_sync_del_gendisk(void)
{
	struct diag d = { 0 };
	struct sysfs s;

	if (fake_md9(&s, NULL) != 0 || fake_md_mod("Y\n") != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	/* no new_array file: the allocation fails at once, after the switch */
	CHECK(md_alloc(&s, "md3", &d) != 0);
	CHECK_CONTAINS(d.msg, "cannot create md device md3");
	CHECK_EQ_S(fake_get("module/md_mod/parameters/legacy_async_del_gendisk"), "N\n");
	/* already N: left alone */
	CHECK(fake_put("module/md_mod/parameters/legacy_async_del_gendisk", "N\n") == 0);
	CHECK(md_alloc(&s, "md3", &d) != 0);
	CHECK_EQ_S(fake_get("module/md_mod/parameters/legacy_async_del_gendisk"), "N\n");
	/* an md device that exists is refused before anything is written */
	CHECK(fake_put("module/md_mod/parameters/legacy_async_del_gendisk", "Y\n") == 0);
	CHECK(md_alloc(&s, "md9", &d) != 0);
	CHECK_CONTAINS(d.msg, "md9 is already in use");
	CHECK_EQ_S(fake_get("module/md_mod/parameters/legacy_async_del_gendisk"), "Y\n");
	fake_remove();
}

static void test_alloc_without_the_parameter(void)
{
	struct diag d = { 0 };
	struct sysfs s;

	/* a kernel before 6.18: no such parameter, nothing created */
	if (fake_md9(&s, NULL) != 0 || fake_md_mod(NULL) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	CHECK(md_alloc(&s, "md3", &d) != 0);
	CHECK_CONTAINS(d.msg, "cannot create md device md3");
	CHECK(fake_get("module/md_mod/parameters/legacy_async_del_gendisk") == NULL);
	fake_remove();
}

static void test_shape_and_policy_setters(void)
{
	static const char *const attrs[] = { "raid_disks", "consistency_policy", NULL };
	struct diag d = { 0 };
	char policy[32];
	struct sysfs s;

	if (fake_md9(&s, attrs) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	CHECK(md_set_raid_disks(&s, "md9", 3, &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/raid_disks"), "3");
	CHECK(md_set_consistency_policy(&s, "md9", "resync", &d) == 0);
	CHECK(md_get_consistency_policy(&s, "md9", policy, sizeof(policy), &d) == 0);
	CHECK_EQ_S(policy, "resync");
	/* no classic bitmap: its backlog is not there */
	CHECK(md_set_write_behind(&s, "md9", 100, &d) == -ENOENT && d.err == ENOENT);
	CHECK(fake_dir("block/md9/md/bitmap") == 0 && fake_put("block/md9/md/bitmap/backlog", "") == 0);
	CHECK(md_set_write_behind(&s, "md9", 100, &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/bitmap/backlog"), "100");
	/* another value read back is caught (the fake write does not
	 * truncate: "5" over "1000" reads "5000") */
	CHECK(fake_put("block/md9/md/bitmap/backlog", "1000") == 0);
	CHECK(md_set_write_behind(&s, "md9", 5, &d) == -EIO && d.err == EIO);
	CHECK_CONTAINS(d.msg, "kept bitmap/backlog at 5000");
	fake_remove();
}

static void test_llb_bits(void)
{
	struct sysfs s;
	struct llb_bits b;
	struct diag d = { 0 };

	if (fake_md9(&s, NULL) != 0) {
		CHECK(false);
		return;
	}
	CHECK(md_get_llb_bits(&s, "md9", &b, &d) != 0);   /* no bitmap */
	CHECK(fake_dir("block/md9/md/llbitmap") == 0);
	CHECK(fake_put("block/md9/md/llbitmap/bits",
		       "unwritten 3\nclean 5\ndirty 0\nneed sync 2\nsyncing 0\n") == 0);
	CHECK_EQ_U(md_get_llb_bits(&s, "md9", &b, &d), 0);
	CHECK_EQ_U(b.count[LLB_CLEAN], 5);
	CHECK_EQ_U(llb_bits_sum(&b, llb_state_needs_sync), 2);
	fake_remove();
}

static void test_reshape_setters(void)
{
	static const char *const attrs[] = { "stripe_cache_size", "reshape_position", NULL };
	struct diag d = { 0 };
	uint64_t off = 0, now = 0, pos = 1;
	unsigned cache = 0;
	bool active = true;
	struct sysfs s;

	if (fake_md9(&s, attrs) != 0) {
		CHECK(!"fake sysfs tree");
		return;
	}
	CHECK(fake_dir("block/md9/md/dev-vda") == 0);
	CHECK(fake_put("block/md9/md/dev-vda/offset", "2048\n") == 0);
	CHECK(fake_put("block/md9/md/dev-vda/new_offset", "2048\n") == 0);
	CHECK(md_member_set_new_offset(&s, "md9", "vda", 1664, &d) == 0);
	CHECK(md_member_get_offsets(&s, "md9", "vda", &off, &now, &d) == 0);
	CHECK_EQ_U(off, 2048);
	CHECK_EQ_U(now, 1664);
	/* a value the kernel did not take is caught ("16" over "1664") */
	CHECK(md_member_set_new_offset(&s, "md9", "vda", 16, &d) == -EIO && d.err == EIO);
	CHECK_CONTAINS(d.msg, "kept the new data offset of vda at 1664");
	CHECK(md_member_set_new_offset(&s, "md9", "vdb", 16, &d) == -ENOENT);

	CHECK(fake_put("block/md9/md/stripe_cache_size", "256") == 0);
	CHECK(md_get_stripe_cache(&s, "md9", &cache, &d) == 0);
	CHECK_EQ_U(cache, 256);
	CHECK(md_set_stripe_cache(&s, "md9", 513, &d) == 0);
	CHECK_EQ_S(fake_get("block/md9/md/stripe_cache_size"), "513");

	CHECK(fake_put("block/md9/md/reshape_position", "none\n") == 0);
	CHECK(md_get_reshape_position(&s, "md9", &active, &pos, &d) == 0);
	CHECK(!active && pos == 0);
	CHECK(fake_put("block/md9/md/reshape_position", "11520\n") == 0);
	CHECK(md_get_reshape_position(&s, "md9", &active, &pos, &d) == 0);
	CHECK(active && pos == 11520);
	CHECK(fake_put("block/md9/md/reshape_position", "soon\n") == 0);
	CHECK(md_get_reshape_position(&s, "md9", &active, &pos, &d) == -EINVAL);
	fake_remove();
}

UNIT_MAIN("mdkernel",
	  UNIT_CASE(test_reshape_setters),
	  UNIT_CASE(test_llb_bits),
	  UNIT_CASE(test_state_words_round_trip),
	  UNIT_CASE(test_state_predicates),
	  UNIT_CASE(test_state_unknown_words),
	  UNIT_CASE(test_get_state),
	  UNIT_CASE(test_set_state_returns_errno),
	  UNIT_CASE(test_prepare_writes_in_order),
	  UNIT_CASE(test_prepare_names_the_refused_member),
	  UNIT_CASE(test_prepare_logical_block_size),
	  UNIT_CASE(test_run_checks_the_state),
	  UNIT_CASE(test_stop_reports_the_write),
	  UNIT_CASE(test_sync_thread_words),
	  UNIT_CASE(test_sync_action_words),
	  UNIT_CASE(test_sync_action_get_set),
	  UNIT_CASE(test_safe_mode_parse),
	  UNIT_CASE(test_wait_clean),
	  UNIT_CASE(test_notify_udev),
	  UNIT_CASE(test_alloc_opts_into_sync_del_gendisk),
	  UNIT_CASE(test_alloc_without_the_parameter),
	  UNIT_CASE(test_shape_and_policy_setters))
