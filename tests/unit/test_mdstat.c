/* test_mdstat.c - the /proc/mdstat parser on text the real kernel printed
 * (the transcripts in shared/vm/reference and the VM tier) and on hostile text. */
#include "unit.h"

#include "mdstat.h"

#define PERS "Personalities : [raid0] [raid1] [raid4] [raid5] [raid6] [raid10] [linear] \n"
#define UNUSED "unused devices: <none>\n"

static int parse(const char *text, struct mdstat *ms)
{
	struct diag d = { 0 };
	int rc = mdstat_parse(text, strlen(text), ms, &d);

	if (rc)
		fprintf(stderr, "  parse failed: %s\n", d.msg);
	return rc;
}

/* raid1-lockless.txt right after create: the llbitmap "0B chunk" oddity */
static void test_lockless_fresh(void)
{
	struct mdstat ms;
	const struct mdstat_array *a;

	CHECK(parse(PERS
		    "md0 : active raid1 vdb[1] vda[0]\n"
		    "      1046528 blocks super 1.2 [2/2] [UU]\n"
		    "      bitmap: 5/5 pages [20KB], 0B chunk\n"
		    "\n" UNUSED, &ms) == 0);
	CHECK_EQ_U(ms.narrays, 1);
	a = mdstat_find(&ms, "md0");
	CHECK(a != NULL);
	if (!a)
		return;
	CHECK(a->active);
	CHECK(!a->broken && !a->read_only && !a->auto_read_only);
	CHECK_EQ_S(a->level, "raid1");
	CHECK_EQ_U(a->nmembers, 2);
	CHECK_EQ_S(a->members[0].name, "vdb");
	CHECK_EQ_U(a->members[0].number, 1);
	CHECK_EQ_S(a->members[1].name, "vda");
	CHECK_EQ_U(a->members[1].number, 0);
	CHECK(!a->members[0].faulty && !a->members[0].spare);
	CHECK(a->has_blocks);
	CHECK_EQ_U(a->blocks, 1046528);
	CHECK_EQ_S(a->super, "1.2");
	CHECK_EQ_U(a->raid_disks, 2);
	CHECK_EQ_U(a->working, 2);
	CHECK_EQ_S(a->pattern, "UU");
	CHECK(a->bitmap.present);
	CHECK_EQ_U(a->bitmap.pages_used, 5);
	CHECK_EQ_U(a->bitmap.pages_total, 5);
	CHECK_EQ_U(a->bitmap.kib, 20);
	CHECK_EQ_U(a->bitmap.chunk_bytes, 0);
	CHECK(!a->bitmap.has_file);
	CHECK_EQ_U(a->sync.kind, MDSTAT_SYNC_NONE);
	CHECK(mdstat_percent(&a->sync) == -1);
	CHECK(mdstat_find(&ms, "md1") == NULL);
	mdstat_free(&ms);
}

/* after re-assembly the llbitmap chunk shows as "128B" (really 64 KiB) */
static void test_lockless_reassembled_readonly_pending(void)
{
	struct mdstat ms;
	const struct mdstat_array *a;

	CHECK(parse(PERS
		    "md0 : active (read-only) raid1 vda[0] vdb[1]\n"
		    "      1046528 blocks super 1.2 [2/2] [UU]\n"
		    "      \tresync=PENDING\n"
		    "      bitmap: 5/5 pages [20KB], 128B chunk\n"
		    "\n" UNUSED, &ms) == 0);
	a = ms.narrays == 1 ? &ms.arrays[0] : NULL;
	CHECK(a != NULL);
	if (!a)
		return;
	CHECK(a->active && a->read_only && !a->auto_read_only);
	CHECK_EQ_S(a->level, "raid1");
	CHECK_EQ_U(a->members[0].number, 0);
	CHECK_EQ_U(a->sync.kind, MDSTAT_SYNC_RESYNC);
	CHECK_EQ_U(a->sync.wait, MDSTAT_WAIT_PENDING);
	CHECK(!a->sync.has_percent);
	CHECK(mdstat_percent(&a->sync) == -1);
	CHECK_EQ_U(a->bitmap.chunk_bytes, 128);
	mdstat_free(&ms);
}

/* raid1-internal.txt: resync running, classic bitmap */
static void test_resync_internal(void)
{
	struct mdstat ms;
	const struct mdstat_array *a;

	CHECK(parse(PERS
		    "md0 : active raid1 vdb[1] vda[0]\n"
		    "      1046528 blocks super 1.2 [2/2] [UU]\n"
		    "      [===>.................]  resync = 16.2% (170240/1046528) finish=0.0min speed=170240K/sec\n"
		    "      bitmap: 1/1 pages [4KB], 65536KB chunk\n"
		    "\n" UNUSED, &ms) == 0);
	a = mdstat_find(&ms, "md0");
	CHECK(a != NULL);
	if (!a)
		return;
	CHECK_EQ_U(a->sync.kind, MDSTAT_SYNC_RESYNC);
	CHECK_EQ_S(mdstat_sync_name(a->sync.kind), "resync");
	CHECK(a->sync.has_percent);
	CHECK_EQ_U(a->sync.permille, 162);
	CHECK_EQ_U(mdstat_percent(&a->sync), 16);
	CHECK(a->sync.has_counts);
	CHECK_EQ_U(a->sync.done, 170240);
	CHECK_EQ_U(a->sync.total, 1046528);
	CHECK(a->sync.has_finish);
	CHECK_EQ_U(a->sync.finish_tenths, 0);
	CHECK(a->sync.has_speed);
	CHECK_EQ_U(a->sync.speed_kib, 170240);
	CHECK_EQ_U(a->bitmap.chunk_bytes, 64ull << 20);
	CHECK_EQ_U(a->bitmap.kib, 4);
	mdstat_free(&ms);
}

/* raid5 create (VM): degraded start, recovery onto the last disk, a
 * hot-added spare with a descriptor number that is not its role */
static void test_raid5_recovery_spare(void)
{
	struct mdstat ms;
	const struct mdstat_array *a;
	const struct mdstat_member *m;

	CHECK(parse(PERS
		    "md0 : active raid5 vdd[4](S) vdc[3] vdb[1] vda[0]\n"
		    "      651264 blocks super 1.2 level 5, 512k chunk, algorithm 2 [3/2] [UU_]\n"
		    "      [>....................]  recovery =  0.6% (2304/325632) finish=4.6min speed=1152K/sec\n"
		    "      bitmap: 1/1 pages [4KB], 65536KB chunk\n"
		    "\n" UNUSED, &ms) == 0);
	a = mdstat_find(&ms, "md0");
	CHECK(a != NULL);
	if (!a)
		return;
	CHECK_EQ_S(a->level, "raid5");
	CHECK_EQ_U(a->nmembers, 4);
	m = mdstat_find_member(a, "vdd");
	CHECK(m && m->spare && !m->faulty && m->number == 4);
	m = mdstat_find_member(a, "vdc");
	CHECK(m && !m->spare && m->number == 3);
	CHECK(mdstat_find_member(a, "vde") == NULL);
	CHECK_EQ_U(a->blocks, 651264);
	CHECK_EQ_U(a->raid_disks, 3);
	CHECK_EQ_U(a->working, 2);
	CHECK_EQ_S(a->pattern, "UU_");
	CHECK_EQ_U(a->sync.kind, MDSTAT_SYNC_RECOVERY);
	CHECK_EQ_U(a->sync.permille, 6);
	CHECK_EQ_U(mdstat_percent(&a->sync), 0);
	CHECK_EQ_U(a->sync.finish_tenths, 46);
	CHECK_EQ_U(a->sync.speed_kib, 1152);
	mdstat_free(&ms);
}

/* raid1 after --fail (VM) and the recovery line of raid1-lockless.txt */
static void test_faulty_and_recovery(void)
{
	struct mdstat ms;
	const struct mdstat_array *a;

	CHECK(parse(PERS
		    "md0 : active raid1 vdb[1](F) vda[0]\n"
		    "      326656 blocks super 1.2 [2/1] [U_]\n"
		    "      [=>...................]  recovery =  5.0% (52828/1046528) finish=0.8min speed=20060K/sec\n"
		    "      bitmap: 2/2 pages [8KB], 0B chunk\n"
		    "\n" UNUSED, &ms) == 0);
	a = mdstat_find(&ms, "md0");
	CHECK(a != NULL);
	if (!a)
		return;
	CHECK(a->members[0].faulty && !a->members[0].spare);
	CHECK_EQ_U(a->working, 1);
	CHECK_EQ_S(a->pattern, "U_");
	CHECK_EQ_U(a->sync.kind, MDSTAT_SYNC_RECOVERY);
	CHECK_EQ_U(a->sync.permille, 50);
	CHECK_EQ_U(mdstat_percent(&a->sync), 5);
	CHECK_EQ_U(a->sync.done, 52828);
	CHECK_EQ_U(a->sync.finish_tenths, 8);
	CHECK_EQ_U(a->sync.speed_kib, 20060);
	mdstat_free(&ms);
}

/* mdadm -I of one member (VM): inactive, the member shown as spare; the
 * status line is 7 blanks */
static void test_inactive(void)
{
	struct mdstat ms;
	const struct mdstat_array *a;

	CHECK(parse(PERS
		    "md127 : inactive vda[0](S)\n"
		    "      326656 blocks super 1.2\n"
		    "       \n" UNUSED, &ms) == 0);
	a = mdstat_find(&ms, "md127");
	CHECK(a != NULL);
	if (!a)
		return;
	CHECK(!a->active);
	CHECK_EQ_S(a->level, "");
	CHECK_EQ_U(a->nmembers, 1);
	CHECK(a->members[0].spare);
	CHECK_EQ_U(a->members[0].number, 0);
	CHECK_EQ_U(a->blocks, 326656);
	CHECK_EQ_S(a->super, "1.2");
	CHECK(a->raid_disks == -1);
	CHECK(a->pattern == NULL);
	CHECK(!a->bitmap.present);
	mdstat_free(&ms);
}

/* two arrays without bitmaps (VM): raid10 far layout and a named one */
static void test_two_arrays_no_bitmap(void)
{
	struct mdstat ms;

	CHECK(parse(PERS
		    "md127 : active raid10 vdd[1] vdc[0]\n"
		    "      325632 blocks super 1.2 512K chunks 2 far-copies [2/2] [UU]\n"
		    "      \n"
		    "md1 : active raid1 vdb[1] vda[0]\n"
		    "      326656 blocks super 1.2 [2/2] [UU]\n"
		    "      \n"
		    "md_home : active (auto-read-only) raid0 vdb1[1] vda1[0]\n"
		    "      651264 blocks super 1.2 512k chunks\n"
		    "      \n" UNUSED, &ms) == 0);
	CHECK_EQ_U(ms.narrays, 3);
	if (ms.narrays != 3)
		return;
	CHECK_EQ_S(ms.arrays[0].devnm, "md127");
	CHECK_EQ_S(ms.arrays[0].level, "raid10");
	CHECK_EQ_U(ms.arrays[0].raid_disks, 2);
	CHECK(!ms.arrays[0].bitmap.present);
	CHECK_EQ_S(ms.arrays[1].devnm, "md1");
	CHECK_EQ_U(ms.arrays[1].blocks, 326656);
	CHECK_EQ_S(ms.arrays[2].devnm, "md_home");
	CHECK(ms.arrays[2].auto_read_only);
	CHECK_EQ_S(ms.arrays[2].level, "raid0");
	CHECK_EQ_S(ms.arrays[2].members[1].name, "vda1");
	CHECK(ms.arrays[2].raid_disks == -1);
	mdstat_free(&ms);
}

/* other spellings the kernel uses */
static void test_misc_forms(void)
{
	struct mdstat ms;
	const struct mdstat_array *a;

	CHECK(parse("md9 : broken raid0 sdb[1](W)(J)(R) sda[0]\n"
		    "      100 blocks super external:/md127/0 64k chunks\n"
		    "      [>..]  check = 99.9% (1/2) finish=123.4min speed=5K/sec\n"
		    "      bitmap: 0/1 pages [0KB], 64KB chunk, file: /var/bitmap file\n",
		    &ms) == 0);
	a = mdstat_find(&ms, "md9");
	CHECK(a != NULL);
	if (!a)
		return;
	CHECK(a->active && a->broken);
	CHECK(a->members[0].write_mostly && a->members[0].journal && a->members[0].replacement);
	CHECK_EQ_S(a->super, "external:/md127/0");
	CHECK_EQ_U(a->sync.kind, MDSTAT_SYNC_CHECK);
	CHECK_EQ_U(a->sync.permille, 999);
	CHECK_EQ_U(mdstat_percent(&a->sync), 99);
	CHECK_EQ_U(a->sync.finish_tenths, 1234);
	CHECK_EQ_U(a->bitmap.chunk_bytes, 65536);
	CHECK(a->bitmap.has_file);
	CHECK_EQ_S(a->bitmap.file, "/var/bitmap file");
	mdstat_free(&ms);

	CHECK(parse("md0 : active raid5 sda[0]\n"
		    "      \tresync=DELAYED\n"
		    "md1 : active raid5 sda[0]\n"
		    "      reshape = 1.5% (3/200)\n"
		    "md2 : active raid5 sda[0]\n"
		    "      recovery=12.3%\n", &ms) == 0);
	CHECK_EQ_U(ms.narrays, 3);
	if (ms.narrays == 3) {
		CHECK_EQ_U(ms.arrays[0].sync.wait, MDSTAT_WAIT_DELAYED);
		CHECK_EQ_U(ms.arrays[1].sync.kind, MDSTAT_SYNC_RESHAPE);
		CHECK_EQ_U(ms.arrays[1].sync.permille, 15);
		CHECK_EQ_U(ms.arrays[2].sync.kind, MDSTAT_SYNC_RECOVERY);
		CHECK_EQ_U(mdstat_percent(&ms.arrays[2].sync), 12);
	}
	mdstat_free(&ms);
}

/* hostile and odd text: no crash, nothing invented */
static void test_hostile(void)
{
	static const char *const junk[] = {
		"",
		"\n\n\n",
		"md0",
		"md0 :",
		"md0 : ",
		"md0 : active",
		"md0 : active raid1 [",
		"md0 : active raid1 [1]",
		"md0 : active raid1 x[",
		"md0 : active raid1 x[99999999999999999999999](F",
		"md0 : active raid1 x[1](",
		"md0 : active raid1 vda[0]\n      [",
		"md0 : active raid1 vda[0]\n      [/]",
		"md0 : active raid1 vda[0]\n      [1/]",
		"md0 : active raid1 vda[0]\n      [UU",
		"md0 : active raid1 vda[0]\n      99999999999999999999999999 blocks super",
		"md0 : active raid1 vda[0]\n      resync = .%",
		"md0 : active raid1 vda[0]\n      resync = 1.%",
		"md0 : active raid1 vda[0]\n      resync = 100000000000000000000.1%",
		"md0 : active raid1 vda[0]\n      resync = 5% (/) finish=min speed=K/sec",
		"md0 : active raid1 vda[0]\n      resync=",
		"md0 : active raid1 vda[0]\n      bitmap:",
		"md0 : active raid1 vda[0]\n      bitmap: x/ pages [KB], B chunk, file:",
		"  md0 : active raid1 vda[0]",
		"md : active raid1 vda[0]",
		"mdx : active raid1 vda[0]",
		"md0123456789012345678901234567890123 : active raid1 vda[0]",
		"md0 : active raid1 a23456789012345678901234567890123456[0]",
		"\t\t\t      blocks super 1.2 [2/2] [UU]",
		"md0 : active raid1 vda[0]\r\n      1 blocks\r\n",
	};
	struct mdstat ms;

	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		CHECK(parse(junk[i], &ms) == 0);
		for (size_t k = 0; k < ms.narrays; k++) {
			const struct mdstat_array *a = &ms.arrays[k];

			CHECK(strlen(a->devnm) < MDSTAT_NAME_MAX);
			CHECK(a->sync.permille <= 100000);
			for (size_t m = 0; m < a->nmembers; m++)
				CHECK(strlen(a->members[m].name) < MDSTAT_NAME_MAX);
		}
		mdstat_free(&ms);
	}
	/* names that are too long are not arrays; an over-long member name is
	 * skipped */
	CHECK(parse("md0123456789012345678901234567890123 : active raid1 vda[0]\n", &ms) == 0);
	CHECK_EQ_U(ms.narrays, 0);
	mdstat_free(&ms);
	CHECK(parse("md0 : active raid1 a23456789012345678901234567890123456[0] vdb[1]\n", &ms) == 0);
	CHECK_EQ_U(ms.narrays, 1);
	CHECK_EQ_U(ms.narrays ? ms.arrays[0].nmembers : 0, 1);
	mdstat_free(&ms);
	/* an overflowing number is not taken */
	CHECK(parse("md0 : active raid1 x[99999999999999999999999]\n"
		    "      99999999999999999999999999 blocks\n", &ms) == 0);
	CHECK(ms.narrays == 1 && ms.arrays[0].members[0].number == -1 && !ms.arrays[0].has_blocks);
	mdstat_free(&ms);
}

/* text with NUL bytes and no final newline; a length that cuts a line */
static void test_binary_and_truncated(void)
{
	static const char text[] = "md0 : active raid1 vd\0a[0] vdb[1]\n      10 blocks super 1.2 [2/2] [UU]";
	struct diag d = { 0 };
	struct mdstat ms;

	CHECK(mdstat_parse(text, sizeof(text) - 1, &ms, &d) == 0);
	CHECK_EQ_U(ms.narrays, 1);
	if (ms.narrays == 1) {
		CHECK_EQ_U(ms.arrays[0].nmembers, 2);
		CHECK_EQ_S(ms.arrays[0].pattern, "UU");
	}
	mdstat_free(&ms);
	CHECK(mdstat_parse(text, 40, &ms, &d) == 0);
	CHECK_EQ_U(ms.narrays, 1);
	mdstat_free(&ms);
}

/* limits: too many members fails cleanly */
static void test_limits(void)
{
	size_t n = (MDSTAT_MAX_MEMBERS + 1) * 12 + 64;
	char *buf = malloc(n);
	struct diag d = { 0 };
	struct mdstat ms;
	size_t pos;

	CHECK(buf != NULL);
	if (!buf)
		return;
	pos = (size_t)snprintf(buf, n, "md0 : active raid1");
	for (unsigned i = 0; i <= MDSTAT_MAX_MEMBERS; i++)
		pos += (size_t)snprintf(buf + pos, n - pos, " sd%u[%u]", i % 1000, i);
	CHECK(mdstat_parse(buf, pos, &ms, &d) == -1);
	CHECK_CONTAINS(d.msg, "members");
	CHECK_EQ_U(ms.narrays, 0);
	free(buf);
	CHECK(mdstat_parse("x", MDSTAT_MAX_TEXT + 1, &ms, &d) == -1);
}

UNIT_MAIN("mdstat",
	  UNIT_CASE(test_lockless_fresh),
	  UNIT_CASE(test_lockless_reassembled_readonly_pending),
	  UNIT_CASE(test_resync_internal),
	  UNIT_CASE(test_raid5_recovery_spare),
	  UNIT_CASE(test_faulty_and_recovery),
	  UNIT_CASE(test_inactive),
	  UNIT_CASE(test_two_arrays_no_bitmap),
	  UNIT_CASE(test_misc_forms),
	  UNIT_CASE(test_hostile),
	  UNIT_CASE(test_binary_and_truncated),
	  UNIT_CASE(test_limits))
