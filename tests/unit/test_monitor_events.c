/* test_monitor_events.c - the events --monitor derives from one array's looks */
#include "monitor_events.h"
#include "unit.h"

/* ---- building looks --------------------------------------------------------- */

#define VDA 252, 0
#define VDB 252, 16
#define VDC 252, 32

static struct mon_member member(unsigned maj, unsigned min, const char *name, bool in_sync,
				bool faulty)
{
	struct mon_member m = { maj, min, "", in_sync, faulty, !in_sync && !faulty };

	snprintf(m.name, sizeof(m.name), "%s", name);
	return m;
}

/* a running raid1 with the given members, idle, nothing degraded */
static struct mon_look raid1(const struct mon_member *m, size_t n)
{
	struct mon_look l = { 0 };

	l.running = l.redundant = true;
	l.level = 1;
	l.percent = MON_SYNC_NONE;
	l.members = m;
	l.nmembers = n;
	l.sync_idle = true;
	for (size_t i = 0; i < n; i++)
		if (!m[i].in_sync && !m[i].faulty)
			l.spares++;
	return l;
}

static struct mon_track t;
static struct mon_events ev;
static char got[512];

/* One step; `got` holds the events as "Name[ component][: description]"
 * lines joined by '|'. */
static const char *step(const struct mon_look *l, unsigned increment)
{
	size_t used = 0;

	ev.n = 0;
	got[0] = '\0';
	CHECK(mon_step(&t, l, increment, &ev, NULL) == 0);
	for (size_t i = 0; i < ev.n; i++) {
		char name[32];

		mon_event_name(&ev.v[i], name, sizeof(name));
		used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%s%s%s%s%s",
					 i ? "|" : "", name, ev.v[i].component[0] ? " " : "",
					 ev.v[i].component, ev.v[i].description[0] ? ": " : "",
					 ev.v[i].description);
	}
	return got;
}

static void start(bool from_config, int expected_spares, bool found_by_scan)
{
	mon_track_free(&t);
	mon_track_init(&t, from_config, expected_spares, found_by_scan);
}

/* ---- first looks ------------------------------------------------------------ */

static void test_degraded_reported_on_first_look_only(void)
{
	struct mon_member m[] = { member(VDA, "/dev/vda", true, false) };
	struct mon_look l = raid1(m, 1);

	l.degraded = true;
	start(false, -1, false);
	CHECK_EQ_S(step(&l, 20), "DegradedArray");
	CHECK_EQ_S(step(&l, 20), "");
	CHECK_EQ_S(step(&l, 20), "");
	/* a healthy array: nothing at all */
	start(false, -1, false);
	l.degraded = false;
	CHECK_EQ_S(step(&l, 20), "");
}

static void test_found_by_scan_is_new(void)
{
	struct mon_member m[] = { member(VDA, "/dev/vda", true, false) };
	struct mon_look l = raid1(m, 1);

	l.degraded = true;
	start(false, -1, true);
	CHECK_EQ_S(step(&l, 20), "NewArray|DegradedArray");
	CHECK_EQ_S(step(&l, 20), "");
	/* found while a sync runs: that is reported as started too */
	start(false, -1, true);
	l.percent = 7;
	CHECK_EQ_S(step(&l, 20), "NewArray|DegradedArray|RebuildStarted");
}

static void test_spares_missing(void)
{
	struct mon_member m[] = { member(VDA, "/dev/vda", true, false),
				  member(VDB, "/dev/vdb", true, false),
				  member(VDC, "/dev/vdc", false, false) };
	struct mon_look l = raid1(m, 3);

	start(true, 2, false);
	CHECK_EQ_S(step(&l, 20), "SparesMissing");
	CHECK_EQ_S(step(&l, 20), "");
	start(true, 1, false);
	CHECK_EQ_S(step(&l, 20), "");
	start(true, -1, false);
	CHECK_EQ_S(step(&l, 20), "");
}

/* ---- a member fails, a new one recovers ------------------------------------ */

static void test_fail_then_recovery_onto_a_new_member(void)
{
	struct mon_member both[] = { member(VDA, "/dev/vda", true, false),
				     member(VDB, "/dev/vdb", true, false) };
	struct mon_member failed[] = { member(VDA, "/dev/vda", true, false),
				       member(VDB, "/dev/vdb", false, true) };
	struct mon_member removed[] = { member(VDA, "/dev/vda", true, false) };
	struct mon_member added[] = { member(VDA, "/dev/vda", true, false),
				      member(VDC, "/dev/vdc", false, false) };
	struct mon_member synced[] = { member(VDA, "/dev/vda", true, false),
				       member(VDC, "/dev/vdc", true, false) };
	struct mon_look l;

	start(false, -1, false);
	l = raid1(both, 2);
	CHECK_EQ_S(step(&l, 20), "");
	l = raid1(failed, 2);
	l.degraded = true;
	CHECK_EQ_S(step(&l, 20), "Fail /dev/vdb");
	l = raid1(removed, 1);
	l.degraded = true;
	CHECK_EQ_S(step(&l, 20), "");
	l = raid1(added, 2);
	l.degraded = true;
	CHECK_EQ_S(step(&l, 20), "");
	l.percent = 3;
	CHECK_EQ_S(step(&l, 20), "RebuildStarted");
	l.percent = 19;
	CHECK_EQ_S(step(&l, 20), "");
	/* the percentage reached is named, not the multiple passed */
	l.percent = 24;
	CHECK_EQ_S(step(&l, 20), "Rebuild24");
	l.percent = 87;
	CHECK_EQ_S(step(&l, 20), "Rebuild87");
	l = raid1(synced, 2);
	CHECK_EQ_S(step(&l, 20), "RebuildFinished|SpareActive /dev/vdc");
	CHECK_EQ_S(step(&l, 20), "");
}

static void test_fail_and_remove_between_looks(void)
{
	struct mon_member both[] = { member(VDA, "/dev/vda", true, false),
				     member(VDB, "/dev/vdb", true, false) };
	struct mon_look l = raid1(both, 2);

	start(false, -1, false);
	CHECK_EQ_S(step(&l, 20), "");
	/* vdb failed and was removed before the next look */
	l = raid1(both, 1);
	l.degraded = true;
	CHECK_EQ_S(step(&l, 20), "Fail /dev/vdb");
}

static void test_spare_fails(void)
{
	struct mon_member m[] = { member(VDA, "/dev/vda", true, false),
				  member(VDB, "/dev/vdb", true, false),
				  member(VDC, "/dev/vdc", false, false) };
	struct mon_look l = raid1(m, 3);

	start(false, -1, false);
	CHECK_EQ_S(step(&l, 20), "");
	m[2].faulty = true;
	l = raid1(m, 3);
	CHECK_EQ_S(step(&l, 20), "FailSpare /dev/vdc");
	CHECK_EQ_S(step(&l, 20), "");
}

static void test_member_added_in_sync(void)
{
	struct mon_member one[] = { member(VDA, "/dev/vda", true, false) };
	struct mon_member two[] = { member(VDA, "/dev/vda", true, false),
				    member(VDB, "/dev/vdb", true, false) };
	struct mon_look l = raid1(one, 1);

	start(false, -1, false);
	l.degraded = true;
	CHECK_EQ_S(step(&l, 20), "DegradedArray");
	l = raid1(two, 2);
	CHECK_EQ_S(step(&l, 20), "SpareActive /dev/vdb");
}

/* ---- rebuild progress ------------------------------------------------------- */

static void test_rebuild_increments(void)
{
	struct mon_member m[] = { member(VDA, "/dev/vda", true, false) };
	struct mon_look l = raid1(m, 1);

	start(false, -1, false);
	/* a sync already running at the first look is not "started" */
	l.percent = 12;
	CHECK_EQ_S(step(&l, 10), "");
	l.percent = 19;
	CHECK_EQ_S(step(&l, 10), "");
	l.percent = 20;
	CHECK_EQ_S(step(&l, 10), "Rebuild20");
	/* several multiples passed at once: one event */
	l.percent = 55;
	CHECK_EQ_S(step(&l, 10), "Rebuild55");
	l.percent = 5;   /* a new sync between two looks: no event */
	CHECK_EQ_S(step(&l, 10), "");
	l.percent = 6;
	CHECK_EQ_S(step(&l, 1), "Rebuild06");
	/* delayed or pending is not finished */
	l.percent = MON_SYNC_DELAYED;
	CHECK_EQ_S(step(&l, 10), "");
	l.percent = 0;
	CHECK_EQ_S(step(&l, 10), "RebuildStarted");
	l.percent = MON_SYNC_NONE;
	l.mismatches = 128;
	CHECK_EQ_S(step(&l, 10), "RebuildFinished  mismatches found: 128 (on raid level 1)");
	CHECK_EQ_S(step(&l, 10), "");
}

/* ---- arrays that go away ---------------------------------------------------- */

static void test_disappears_and_comes_back(void)
{
	struct mon_member m[] = { member(VDA, "/dev/vda", true, false) };
	struct mon_look l = raid1(m, 1), gone = { 0 };

	l.degraded = true;
	start(false, -1, false);
	CHECK_EQ_S(step(&l, 20), "DegradedArray");
	CHECK_EQ_S(step(&gone, 20), "DeviceDisappeared");
	CHECK_EQ_S(step(&gone, 20), "");
	CHECK_EQ_S(step(&gone, 20), "");
	CHECK_EQ_U(t.err, 3);
	/* back: new, its first-look events are not repeated, its members
	 * are not compared with the old ones */
	CHECK_EQ_S(step(&l, 20), "NewArray");
	CHECK_EQ_U(t.err, 0);
	/* an array named on the command line that never ran */
	start(false, -1, false);
	CHECK_EQ_S(step(&gone, 20), "DeviceDisappeared");
}

static void test_replaced_between_looks(void)
{
	struct mon_member a[] = { member(VDA, "/dev/vda", true, false),
				  member(VDB, "/dev/vdb", true, false) };
	struct mon_member b[] = { member(VDC, "/dev/vdc", true, false) };
	struct mon_look la = raid1(a, 2), lb = raid1(b, 1);

	snprintf(la.uuid, sizeof(la.uuid), "%s", "3f1d9a6e-52b0-4c7e-9d1a-0b8f5e2c7a41");
	snprintf(lb.uuid, sizeof(lb.uuid), "%s", "c07a2b19-8e4d-4f3a-a6b5-91d2e0f4c358");
	lb.degraded = true;
	start(false, -1, true);
	CHECK_EQ_S(step(&la, 20), "NewArray");
	CHECK_EQ_S(step(&la, 20), "");
	/* stopped, another array made under the name, no look in between:
	 * no Fail for vda and vdb, no SpareActive for vdc */
	CHECK_EQ_S(step(&lb, 20), "DeviceDisappeared|NewArray");
	CHECK_EQ_U(t.err, 0);
	CHECK_EQ_S(t.uuid, lb.uuid);
	CHECK_EQ_S(step(&lb, 20), "");
	/* members of the new one are compared from now on */
	b[0].in_sync = false;
	b[0].faulty = true;
	CHECK_EQ_S(step(&lb, 20), "Fail /dev/vdc");
	CHECK_EQ_S(step(&lb, 20), "");
	/* a kernel without md/uuid: members are compared as before */
	la.uuid[0] = lb.uuid[0] = '\0';
	b[0] = member(VDC, "/dev/vdc", true, false);
	start(false, -1, false);
	CHECK_EQ_S(step(&la, 20), "");
	CHECK_EQ_S(step(&lb, 20), "Fail /dev/vda|Fail /dev/vdb|SpareActive /dev/vdc");
}

static void test_wrong_level(void)
{
	struct mon_member m[] = { member(VDA, "/dev/vda", true, false) };
	struct mon_look l = raid1(m, 1);

	l.redundant = false;
	l.level = 0;
	start(false, -1, false);
	CHECK_EQ_S(step(&l, 20), "DeviceDisappeared: Wrong-Level");
	CHECK_EQ_S(step(&l, 20), "");
	start(true, -1, false);
	CHECK_EQ_S(step(&l, 20), "");
	CHECK(t.err > 0);
}

/* ---- the lockless bitmap ---------------------------------------------------- */

static void test_lockless_need_sync(void)
{
	struct mon_member m[] = { member(VDA, "/dev/vda", true, false),
				  member(VDB, "/dev/vdb", true, false) };
	struct mon_look l = raid1(m, 2);

	l.lockless = true;
	start(false, -1, false);
	CHECK_EQ_S(step(&l, 20), "");
	l.llb_need_sync = 3;
	/* seen once: may be the moment before the sync thread takes them */
	CHECK_EQ_S(step(&l, 20), "");
	CHECK_EQ_S(step(&l, 20), "LocklessNeedSync: 3 chunks need sync, no resync running");
	CHECK_EQ_S(step(&l, 20), "");
	/* a resync runs: cleared, reported again when it comes back */
	l.percent = 40;
	CHECK_EQ_S(step(&l, 20), "RebuildStarted");
	l.percent = MON_SYNC_NONE;
	l.llb_need_sync = 1;
	CHECK_EQ_S(step(&l, 20), "RebuildFinished");
	CHECK_EQ_S(step(&l, 20), "LocklessNeedSync: 1 chunk need sync, no resync running");
	/* not while degraded (the degraded array is the news), not while
	 * sync_action says a sync is under way, not for other bitmaps */
	start(false, -1, false);
	l.degraded = true;
	step(&l, 20);
	CHECK_EQ_S(step(&l, 20), "");
	start(false, -1, false);
	l.degraded = false;
	l.sync_idle = false;
	step(&l, 20);
	CHECK_EQ_S(step(&l, 20), "");
	start(false, -1, false);
	l.sync_idle = true;
	l.lockless = false;
	step(&l, 20);
	CHECK_EQ_S(step(&l, 20), "");
}

static void test_lockless_hazards(void)
{
	struct mon_member m[] = { member(VDA, "/dev/vda", true, false),
				  member(VDB, "/dev/vdb", true, false) };
	struct mon_look l = raid1(m, 2);
	struct mon_event e = { .kind = MON_LOCKLESS_BITMAP_INVALID };

	l.lockless = true;
	start(false, -1, false);
	l.llb_daemon_sleep_zero = true;
	CHECK_EQ_S(step(&l, 20), "LocklessDaemonSleepZero: md/llbitmap/daemon_sleep is 0, which the kernel stores and then refuses at the next assembly; set it with mdadm --grow --delay=SECONDS");
	CHECK_EQ_S(step(&l, 20), "");          /* once */
	l.llb_daemon_sleep_zero = false;
	CHECK_EQ_S(step(&l, 20), "");
	l.llb_daemon_sleep_zero = true;        /* again after it was fixed */
	CHECK(strncmp(step(&l, 20), "LocklessDaemonSleepZero:", 24) == 0);
	l.llb_daemon_sleep_zero = false;
	l.llb_invalid_member = m[1].name;
	l.llb_invalid_reason = "bitmap daemon_sleep is 0";
	CHECK_EQ_S(step(&l, 20), "LocklessBitmapInvalid /dev/vdb: the kernel would refuse this lockless bitmap header at the next assembly: bitmap daemon_sleep is 0");
	CHECK_EQ_S(step(&l, 20), "");
	/* not for other bitmaps */
	start(false, -1, false);
	l.lockless = false;
	l.llb_daemon_sleep_zero = true;
	CHECK_EQ_S(step(&l, 20), "");
	/* critical and mailed: the array would not come back at the next boot */
	CHECK(mon_event_mailed(&e) && mon_event_severity(&e) == MON_SEV_CRITICAL);
}

/* ---- names, messages, routing ----------------------------------------------- */

static void test_names_and_messages(void)
{
	struct mon_event e = { MON_FAIL, 0, "/dev/vdb", "" };
	char buf[256];

	mon_event_message(&e, "/dev/md0", buf, sizeof(buf));
	CHECK_EQ_S(buf, "Fail event detected on md device /dev/md0, component device /dev/vdb");
	e = (struct mon_event){ MON_DEVICE_DISAPPEARED, 0, "", "Wrong-Level" };
	mon_event_message(&e, "/dev/md/data", buf, sizeof(buf));
	CHECK_EQ_S(buf, "DeviceDisappeared event detected on md device /dev/md/data: Wrong-Level");
	e = (struct mon_event){ MON_REBUILD, 5, "", "" };
	mon_event_name(&e, buf, sizeof(buf));
	CHECK_EQ_S(buf, "Rebuild05");
	mon_event_message(&e, "/dev/md1", buf, sizeof(buf));
	CHECK_EQ_S(buf, "Rebuild05 event detected on md device /dev/md1");
	/* a short buffer is cut, never overrun */
	mon_event_message(&e, "/dev/md1", buf, 10);
	CHECK_EQ_S(buf, "Rebuild05");
	/* mdadm 4.6's syslog ranks and mailed events */
	CHECK(mon_event_severity(&(struct mon_event){ .kind = MON_FAIL }) == MON_SEV_CRITICAL);
	CHECK(mon_event_severity(&(struct mon_event){ .kind = MON_DEGRADED_ARRAY }) == MON_SEV_CRITICAL);
	CHECK(mon_event_severity(&(struct mon_event){ .kind = MON_REBUILD }) == MON_SEV_WARNING);
	CHECK(mon_event_severity(&(struct mon_event){ .kind = MON_SPARES_MISSING }) == MON_SEV_WARNING);
	CHECK(mon_event_severity(&(struct mon_event){ .kind = MON_NEW_ARRAY }) == MON_SEV_INFO);
	CHECK(mon_event_severity(&(struct mon_event){ .kind = MON_TEST_MESSAGE }) == MON_SEV_INFO);
	CHECK(mon_event_mailed(&(struct mon_event){ .kind = MON_FAIL_SPARE }));
	CHECK(mon_event_mailed(&(struct mon_event){ .kind = MON_TEST_MESSAGE }));
	CHECK(mon_event_mailed(&(struct mon_event){ .kind = MON_SPARES_MISSING }));
	CHECK(!mon_event_mailed(&(struct mon_event){ .kind = MON_REBUILD_FINISHED }));
	CHECK(!mon_event_mailed(&(struct mon_event){ .kind = MON_NEW_ARRAY }));
	CHECK(!mon_event_mailed(&(struct mon_event){ .kind = MON_SPARE_ACTIVE }));
}

static int percent_of(const char *text)
{
	struct mdstat ms = { 0 };
	int p = -100;

	CHECK(mdstat_parse(text, strlen(text), &ms, NULL) == 0);
	CHECK_EQ_U(ms.narrays, 1);
	if (ms.narrays == 1)
		p = mon_percent(&ms.arrays[0].sync);
	mdstat_free(&ms);
	return p;
}

static void test_percent_from_mdstat(void)
{
	CHECK(percent_of("md0 : active raid1 vdb[1] vda[0]\n"
			 "      1046528 blocks super 1.2 [2/2] [UU]\n") == MON_SYNC_NONE);
	CHECK(percent_of("md0 : active raid1 vdc[2] vda[0]\n"
			 "      1046528 blocks super 1.2 [2/1] [U_]\n"
			 "      [==>..................]  recovery = 14.8% (155712/1046528) finish=0.8min speed=20060K/sec\n") == 14);
	CHECK(percent_of("md0 : active raid1 vdb[1] vda[0]\n"
			 "      1046528 blocks super 1.2 [2/2] [UU]\n"
			 "        resync=DELAYED\n") == MON_SYNC_DELAYED);
	CHECK(percent_of("md0 : active (auto-read-only) raid1 vdb[1] vda[0]\n"
			 "      1046528 blocks super 1.2 [2/2] [UU]\n"
			 "        resync=PENDING\n") == MON_SYNC_PENDING);
	CHECK(percent_of("md0 : active raid5 vdc[2] vdb[1] vda[0]\n"
			 "      2093056 blocks super 1.2 level 5, 512k chunk, algorithm 2 [3/3] [UUU]\n"
			 "      [>....................]  check =  0.0% (0/1046528) finish=1.0min speed=0K/sec\n") == 0);
}

static void cleanup(void)
{
	mon_track_free(&t);
	mon_events_free(&ev);
}

/* ---- spare groups ------------------------------------------------------------ */

/* A track after one look at a raid1 of `n` members (degraded when `broken`
 * of them are faulty), with `spares` idle spares. */
static void track_of(struct mon_track *tr, size_t in_sync, size_t broken, size_t spares)
{
	struct mon_member m[8];
	struct mon_events e = { 0 };
	struct mon_look l;
	size_t n = 0;

	for (size_t i = 0; i < in_sync; i++, n++)
		m[n] = member(252, (unsigned)n * 16, "/dev/vdx", true, false);
	for (size_t i = 0; i < broken; i++, n++)
		m[n] = member(252, (unsigned)n * 16, "/dev/vdy", false, true);
	for (size_t i = 0; i < spares; i++, n++)
		m[n] = member(252, (unsigned)n * 16, "/dev/vdz", false, false);
	l = raid1(m, n);
	l.degraded = broken > 0;
	mon_track_init(tr, true, -1, false);
	CHECK(mon_step(tr, &l, 20, &e, NULL) == 0);
	mon_events_free(&e);
}

static void test_spare_donor(void)
{
	struct mon_track a, b, c, d;
	struct mon_group_view v[] = { { "shelf", &a }, { "shelf", &b }, { "other", &c },
				      { "shelf", &d } };
	const struct mon_member *s;

	track_of(&a, 1, 1, 0);      /* degraded, no spare: receives */
	track_of(&b, 2, 1, 1);      /* degraded itself: keeps its spare */
	track_of(&c, 2, 0, 1);      /* another group */
	track_of(&d, 2, 0, 1);      /* gives */
	CHECK(mon_spare_donor(v, 4, 0) == 3);
	CHECK(mon_spare_donor(v, 4, 1) == SIZE_MAX);   /* has a spare: rebuilds on it */
	CHECK(mon_spare_donor(v, 4, 3) == SIZE_MAX);   /* not degraded */
	CHECK(mon_spare_donor(v, 4, 4) == SIZE_MAX);
	s = mon_track_spare(&d);
	CHECK(s && strcmp(s->name, "/dev/vdz") == 0);
	mon_spare_moved(&d, &a, s);
	CHECK(mon_track_spare(&d) == NULL && d.spares == 0 && a.spares == 1);
	CHECK(mon_spare_donor(v, 4, 0) == SIZE_MAX);
	/* no group: never */
	v[0].group = "";
	a.spares = 0;
	CHECK(mon_spare_donor(v, 4, 0) == SIZE_MAX);
	/* an array not running gives nothing */
	v[0].group = "shelf";
	mon_track_free(&d);
	track_of(&d, 2, 0, 1);
	d.err = 1;
	CHECK(mon_spare_donor(v, 4, 0) == SIZE_MAX);
	mon_track_free(&a);
	mon_track_free(&b);
	mon_track_free(&c);
	mon_track_free(&d);
}

static void test_cleanup(void)
{
	cleanup();
	CHECK(t.members == NULL && ev.v == NULL);
}

UNIT_MAIN("monitor_events",
	  UNIT_CASE(test_degraded_reported_on_first_look_only),
	  UNIT_CASE(test_found_by_scan_is_new),
	  UNIT_CASE(test_spares_missing),
	  UNIT_CASE(test_fail_then_recovery_onto_a_new_member),
	  UNIT_CASE(test_fail_and_remove_between_looks),
	  UNIT_CASE(test_spare_fails),
	  UNIT_CASE(test_member_added_in_sync),
	  UNIT_CASE(test_rebuild_increments),
	  UNIT_CASE(test_disappears_and_comes_back),
	  UNIT_CASE(test_replaced_between_looks),
	  UNIT_CASE(test_wrong_level),
	  UNIT_CASE(test_lockless_need_sync),
	  UNIT_CASE(test_lockless_hazards),
	  UNIT_CASE(test_names_and_messages),
	  UNIT_CASE(test_percent_from_mdstat),
	  UNIT_CASE(test_spare_donor),
	  UNIT_CASE(test_cleanup))
