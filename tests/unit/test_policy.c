/* test_policy.c - enough members, homehost, md names */
#include "policy.h"
#include "unit.h"

#define MAXD 8

/* slots given as a string: "1001" = slots 0 and 3 present */
static bool enough_s(int level, uint32_t layout, const char *slots)
{
	bool present[MAXD] = { false };
	unsigned n = (unsigned)strlen(slots);

	for (unsigned i = 0; i < n; i++)
		present[i] = slots[i] == '1';
	return policy_enough(level, n, layout, present);
}

#define N2   0x102u
#define N3   0x103u
#define F2   0x201u
#define F3   0x301u
#define O2   0x10201u
#define N2F2 0x202u

/* Written out by hand: which 4-disk raid10 arrays with some slots missing
 * the kernel runs. In f2 and o2 a chunk's second copy sits on the next
 * slot, so any two neighbours (0-1, 1-2, 2-3, 3-0) missing loses data;
 * in n2 only the pairs 0-1 and 2-3 hold the same chunks. */
static const struct {
	uint32_t layout;
	const char *slots;
	bool enough;
} raid10_table[] = {
	{ N2, "1111", true }, { F2, "1111", true }, { O2, "1111", true }, { N2F2, "1111", true },
	{ N2, "0111", true }, { N2, "1011", true }, { N2, "1101", true }, { N2, "1110", true },
	{ F2, "0111", true }, { F2, "1011", true }, { F2, "1101", true }, { F2, "1110", true },
	{ O2, "0111", true }, { O2, "1011", true }, { O2, "1101", true }, { O2, "1110", true },
	{ N2F2, "0111", true }, { N2F2, "1011", true }, { N2F2, "1101", true }, { N2F2, "1110", true },
	/* two missing */
	{ N2, "0011", false }, { N2, "1001", true },  { N2, "1100", false },
	{ N2, "0110", true },  { N2, "0101", true },  { N2, "1010", true },
	{ F2, "0011", false }, { F2, "1001", false }, { F2, "1100", false },
	{ F2, "0110", false }, { F2, "0101", true },  { F2, "1010", true },
	{ O2, "0011", false }, { O2, "1001", false }, { O2, "1100", false },
	{ O2, "0110", false }, { O2, "0101", true },  { O2, "1010", true },
	/* n2f2 on 4 disks: every chunk on all four slots */
	{ N2F2, "0011", true }, { N2F2, "1001", true }, { N2F2, "1100", true },
	{ N2F2, "0110", true }, { N2F2, "0101", true }, { N2F2, "1010", true },
	{ N2F2, "1000", true }, { N2F2, "0000", false },
	/* three missing */
	{ N2, "1000", false }, { F2, "0001", false },
	/* 5 disks: n2 groups wrap (0-1, 2-3, 4-0, 1-2, 3-4) */
	{ N2, "10111", true }, { N2, "00111", false }, { N2, "10011", false },
	{ N2, "01101", true }, { F2, "10111", true }, { F2, "10101", true }, { F2, "11001", false },
	/* 6 disks, n3: slots 0-2 and 3-5 */
	{ N3, "001001", true }, { N3, "000111", false }, { N3, "011011", true },
};

static void test_raid10_table(void)
{
	for (size_t i = 0; i < sizeof(raid10_table) / sizeof(raid10_table[0]); i++) {
		bool got = enough_s(10, raid10_table[i].layout, raid10_table[i].slots);

		if (got != raid10_table[i].enough) {
			fprintf(stderr, "  layout %#x slots %s: got %d\n", raid10_table[i].layout,
				raid10_table[i].slots, got);
			unit_failures_in_test++;
		}
	}
}

/* An independent statement of the kernel's rule, from where raid10 puts
 * the copies of each chunk rather than from the grouping: chunk c's
 * first near copy is on slot c*near mod disks, the other near copies on
 * the following slots, and each far (or offset) copy of a near copy is
 * near slots further on. The array runs when every chunk keeps a copy. */
static bool placement_oracle(unsigned disks, uint32_t layout, const bool *present)
{
	unsigned near = layout & 0xff, far = (layout >> 8) & 0xff;

	if (near * far == 0 || near * far > disks)
		return false;
	for (unsigned c = 0; c < disks; c++) {
		bool kept = false;

		for (unsigned n = 0; n < near; n++) {
			unsigned slot = (c * near + n) % disks;

			for (unsigned f = 0; f < far; f++)
				kept |= present[(slot + f * near) % disks];
		}
		if (!kept)
			return false;
	}
	return true;
}

static void test_raid10_every_pattern_against_placement(void)
{
	static const uint32_t layouts[] = { N2, N3, F2, F3, O2, N2F2, 0x10301u, 0x10202u, 0x104u };

	for (unsigned disks = 2; disks <= MAXD; disks++)
		for (size_t l = 0; l < sizeof(layouts) / sizeof(layouts[0]); l++)
			for (unsigned mask = 0; mask < (1u << disks); mask++) {
				bool present[MAXD];

				for (unsigned i = 0; i < disks; i++)
					present[i] = mask & (1u << i);
				if (policy_enough(10, disks, layouts[l], present) !=
				    placement_oracle(disks, layouts[l], present)) {
					fprintf(stderr, "  %u disks layout %#x mask %#x\n", disks,
						layouts[l], mask);
					unit_failures_in_test++;
				}
			}
}

static void test_raid10_impossible_geometry(void)
{
	CHECK(!enough_s(10, 0, "1111"));
	CHECK(!enough_s(10, 0x100u, "1111"));    /* far 1, near 0 */
	CHECK(!enough_s(10, N3, "11"));          /* more copies than disks */
	CHECK(!policy_enough(10, 0, N2, NULL));
}

static void test_other_levels(void)
{
	/* linear and raid0: all */
	CHECK(enough_s(-1, 0, "111"));
	CHECK(!enough_s(-1, 0, "101"));
	CHECK(enough_s(0, 0, "11"));
	CHECK(!enough_s(0, 0, "01"));
	/* raid1 and multipath: one */
	CHECK(enough_s(1, 0, "001"));
	CHECK(!enough_s(1, 0, "000"));
	CHECK(enough_s(-4, 0, "01"));
	/* raid4/5: all but one */
	CHECK(enough_s(4, 0, "110"));
	CHECK(!enough_s(4, 0, "100"));
	CHECK(enough_s(5, 2, "1011"));
	CHECK(!enough_s(5, 2, "1001"));
	/* raid6: all but two */
	CHECK(enough_s(6, 2, "1001"));
	CHECK(!enough_s(6, 2, "1000"));
	CHECK(enough_s(6, 2, "11100"));
	/* unknown levels never */
	CHECK(!enough_s(7, 0, "111"));
}

static void test_homehost_choice(void)
{
	struct homehost_policy hp;

	policy_homehost(&hp, NULL, NULL, "box");
	CHECK_EQ_S(hp.name, "box");
	CHECK(hp.require);
	policy_homehost(&hp, "<SYSTEM>", "other", "box");
	CHECK_EQ_S(hp.name, "box");
	policy_homehost(&hp, "given", "other", "box");
	CHECK_EQ_S(hp.name, "given");
	CHECK(hp.require);
	policy_homehost(&hp, NULL, "conf", "box");
	CHECK_EQ_S(hp.name, "conf");
	policy_homehost(&hp, NULL, "<system>", "box");
	CHECK_EQ_S(hp.name, "box");
	policy_homehost(&hp, "<None>", "conf", "box");
	CHECK_EQ_S(hp.name, "");
	CHECK(!hp.require);
	policy_homehost(&hp, "", NULL, "box");
	CHECK_EQ_S(hp.name, "");
	CHECK(!hp.require);
	policy_homehost(&hp, NULL, "<none>", "box");
	CHECK_EQ_S(hp.name, "");
	CHECK(!hp.require);
	/* <ignore>: the machine's name, not required; the config is not read */
	policy_homehost(&hp, "<Ignore>", "conf", "box");
	CHECK_EQ_S(hp.name, "box");
	CHECK(!hp.require);
	policy_homehost(&hp, NULL, "<IGNORE>", "box");
	CHECK_EQ_S(hp.name, "box");
	CHECK(!hp.require);
	/* no machine name known */
	policy_homehost(&hp, NULL, NULL, NULL);
	CHECK_EQ_S(hp.name, "");
}

static void test_name_is_local(void)
{
	CHECK(policy_name_is_local("box:data", "box"));
	CHECK(!policy_name_is_local("Box:data", "box"));     /* exact, as upstream */
	CHECK(!policy_name_is_local("boxer:data", "box"));
	CHECK(!policy_name_is_local("box", "box"));
	CHECK(!policy_name_is_local("data", ""));
	CHECK(!policy_name_is_local(":data", ""));
	CHECK(!policy_name_is_local("0123456789012345678901234567890123:x",
				    "0123456789012345678901234567890123"));
}

static const struct {
	const char *given;
	enum md_name_kind kind;
	bool bare;
	const char *devnm, *link, *map_name, *name;
} md_names[] = {
	{ "/dev/md0", MD_NAME_NUMBERED, false, "md0", "", "/dev/md0", "0" },
	{ "md127", MD_NAME_NUMBERED, true, "md127", "", "/dev/md127", "127" },
	{ "/dev/md/3", MD_NAME_NUMBERED, false, "md3", "", "/dev/md/3", "3" },
	{ "0", MD_NAME_NUMBERED, true, "md0", "", "/dev/md/0", "0" },
	{ "/dev/md/data", MD_NAME_LINKED, false, "", "/dev/md/data", "/dev/md/data", "data" },
	{ "data", MD_NAME_LINKED, true, "", "/dev/md/data", "/dev/md/data", "data" },
	{ "/dev/md_home", MD_NAME_UNDERSCORE, false, "md_home", "", "/dev/md_home", "home" },
	{ "md_home", MD_NAME_UNDERSCORE, true, "md_home", "", "/dev/md_home", "home" },
	/* the last part decides, as --create always did */
	{ "/other/md4", MD_NAME_NUMBERED, false, "md4", "", "/dev/md4", "4" },
	{ "md", MD_NAME_LINKED, true, "", "/dev/md/md", "/dev/md/md", "md" },
};

static void test_md_names(void)
{
	for (size_t i = 0; i < sizeof(md_names) / sizeof(md_names[0]); i++) {
		struct md_name n;
		struct diag d = { 0 };

		CHECK(policy_md_name(md_names[i].given, &n, &d) == 0);
		CHECK_EQ_U(n.kind, md_names[i].kind);
		CHECK_EQ_U(n.bare, md_names[i].bare);
		CHECK_EQ_U(n.in_md_dir, strncmp(md_names[i].given, "/dev/md/", 8) == 0);
		CHECK_EQ_S(n.devnm, md_names[i].devnm);
		CHECK_EQ_S(n.link, md_names[i].link);
		CHECK_EQ_S(n.map_name, md_names[i].map_name);
		CHECK_EQ_S(n.name, md_names[i].name);
	}
}

static void test_md_names_refused(void)
{
	static const char *const bad[] = {
		"", "/dev/sda", "/dev/md", "/dev/md_", "/dev/md/", "/dev/md/a/b", "/dev/mdx",
		"/dev/md_0123456789012345678901234567890", "md12345678901234567890123456789012",
	};
	struct md_name n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct diag d = { 0 };

		if (policy_md_name(bad[i], &n, &d) == 0 || n.kind != MD_NAME_INVALID || !d.msg[0]) {
			fprintf(stderr, "  accepted: \"%s\"\n", bad[i]);
			unit_failures_in_test++;
		}
	}
	CHECK(policy_md_name("/dev/md/a/b", &n, NULL) != 0);
}

static void test_names_devnm(void)
{
	char devnm[32] = "unset";

	CHECK(policy_names_devnm("raid0", devnm, sizeof(devnm)));
	CHECK_EQ_S(devnm, "md_raid0");
	strcpy(devnm, "unset");
	CHECK(!policy_names_devnm("", devnm, sizeof(devnm)));
	CHECK(!policy_names_devnm("12", devnm, sizeof(devnm)));
	CHECK(!policy_names_devnm("host:x", devnm, sizeof(devnm)));
	CHECK(!policy_names_devnm("a/b", devnm, sizeof(devnm)));
	CHECK(!policy_names_devnm("a b", devnm, sizeof(devnm)));
	CHECK(!policy_names_devnm("a\nb", devnm, sizeof(devnm)));
	CHECK(!policy_names_devnm("a\x1b", devnm, sizeof(devnm)));
	CHECK(!policy_names_devnm("\xc3\xa9", devnm, sizeof(devnm)));
	CHECK(!policy_names_devnm("0123456789012345678901234567x", devnm, sizeof(devnm)));
	CHECK(policy_names_devnm("012345678901234567890123456x", devnm, sizeof(devnm)));
	CHECK_EQ_S(devnm, "md_012345678901234567890123456x");
	CHECK(!policy_names_devnm("abc", devnm, 6));
}

/* members as "events:slot[r]" words; uptodate: within one of the most */
static size_t force_members(const char *spec, struct force_member *m, size_t max)
{
	size_t n = 0;
	uint64_t most = 0;
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *w = strtok_r(buf, " ", &save); w && n < max; w = strtok_r(NULL, " ", &save)) {
		memset(&m[n], 0, sizeof(m[n]));
		m[n].events = strtoull(w, &w, 10);
		m[n].slot = (int)strtol(w + 1, &w, 10);
		m[n].recovering = *w == 'r';
		if (m[n].events > most)
			most = m[n].events;
		n++;
	}
	for (size_t i = 0; i < n; i++)
		m[i].uptodate = m[i].events + 1 >= most;
	return n;
}

static const char *forced_of(const struct force_member *m, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = m[i].forced ? 'F' : m[i].uptodate ? 'u' : '-';
	out[n] = '\0';
	return out;
}

static void test_force_stale(void)
{
	static const struct {
		int level;
		unsigned raid_disks;
		const char *members, *want;
		unsigned forced;
	} cases[] = {
		/* raid5: one fresh, one stale by two events: forced */
		{ 5, 3, "4:0 2:2", "uF", 1 },
		/* enough already: nothing forced, the stale one stays out */
		{ 5, 3, "4:0 4:1 2:2", "uu-", 0 },
		{ 1, 2, "9:0 2:1", "u-", 0 },
		/* the freshest of the stale first; then enough */
		{ 5, 3, "9:0 5:1 7:2", "u-F", 1 },
		/* every other member of the same vintage comes along */
		{ 6, 4, "4:0 2:2 2:3", "uFF", 2 },
		/* far behind is no obstacle */
		{ 5, 3, "1000:0 3:1", "uF", 1 },
		/* two rounds: raid6 needs 2 of 4 */
		{ 6, 4, "10:0 6:1 3:2", "uF-", 1 },
		{ 6, 5, "10:0 6:1 3:2", "uFF", 2 },
		/* spares (-1), partly rebuilt members and slots beyond the array never */
		{ 5, 3, "4:0 2:-1", "u-", 0 },
		{ 5, 3, "4:0 2:1r", "u-", 0 },
		{ 5, 3, "4:0 2:3", "u-", 0 },
		/* a slot an up-to-date member fills is not forced again */
		{ 5, 3, "4:0 2:0", "u-", 0 },
		/* two stale for one slot: the fresher */
		{ 5, 3, "8:0 3:1 5:1", "u-F", 1 },
		/* raid0 needs every slot */
		{ 0, 3, "5:0 3:1 1:2", "uFF", 2 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct force_member m[8];
		char got[9];
		size_t n = force_members(cases[i].members, m, 8);
		unsigned forced = policy_force_stale(cases[i].level, cases[i].raid_disks, 2, m, n);

		if (forced != cases[i].forced || strcmp(forced_of(m, n, got), cases[i].want) != 0) {
			fprintf(stderr, "  raid%d/%u \"%s\": %u forced, \"%s\" (want %u, \"%s\")\n",
				cases[i].level, cases[i].raid_disks, cases[i].members, forced, got,
				cases[i].forced, cases[i].want);
			unit_failures_in_test++;
		}
	}
	CHECK_EQ_U(policy_force_stale(5, 0, 2, NULL, 0), 0);
}

static void test_force_marks_clean(void)
{
	CHECK(policy_force_marks_clean(5, 3, 2));
	CHECK(!policy_force_marks_clean(5, 3, 3));
	CHECK(policy_force_marks_clean(4, 4, 3));
	CHECK(policy_force_marks_clean(6, 4, 2));
	CHECK(!policy_force_marks_clean(6, 4, 3));
	CHECK(!policy_force_marks_clean(1, 2, 1));
	CHECK(!policy_force_marks_clean(10, 4, 3));
}

/* The shifts mdadm 4.6 chose on Linux 7.2 (RAID5 3 -> 4, 64 KiB chunks:
 * data offset 2048 -> 1664) and the cache the kernel demands. */
static void test_reshape_numbers(void)
{
	CHECK_EQ_U(policy_data_members(5, 3), 2);
	CHECK_EQ_U(policy_data_members(4, 4), 3);
	CHECK_EQ_U(policy_data_members(6, 5), 3);
	CHECK_EQ_U(policy_data_members(6, 2), 0);
	CHECK_EQ_U(policy_data_members(1, 2), 0);
	CHECK_EQ_U(policy_reshape_offset_shift(128, 128, 2, 3), 384);
	CHECK_EQ_U(policy_reshape_offset_shift(1024, 1024, 2, 3), 3072);
	CHECK_EQ_U(policy_reshape_offset_shift(128, 128, 2, 4), 256);
	CHECK_EQ_U(policy_reshape_offset_shift(128, 128, 3, 4), 512);
	CHECK_EQ_U(policy_reshape_offset_shift(0, 128, 3, 4), 0);
	/* the same data members: more than two of the larger chunk (one
	 * stretch of 256 lost data in a crash test) */
	CHECK_EQ_U(policy_reshape_offset_shift(128, 256, 3, 3), 768);
	CHECK_EQ_U(policy_reshape_offset_shift(256, 128, 3, 3), 768);
	CHECK_EQ_U(policy_reshape_offset_shift(128, 128, 3, 3), 384);
	/* more data members and a larger chunk: the stretch is enough */
	CHECK_EQ_U(policy_reshape_offset_shift(128, 256, 2, 3), 768);
	CHECK_EQ_U(policy_reshape_stripe_cache(65536, 65536), 256);
	CHECK_EQ_U(policy_reshape_stripe_cache(524288, 524288), 513);
	CHECK_EQ_U(policy_reshape_stripe_cache(65536, 1u << 20), 1025);
}

UNIT_MAIN("policy",
	  UNIT_CASE(test_reshape_numbers),
	  UNIT_CASE(test_names_devnm),
	  UNIT_CASE(test_md_names),
	  UNIT_CASE(test_md_names_refused),
	  UNIT_CASE(test_raid10_table),
	  UNIT_CASE(test_raid10_every_pattern_against_placement),
	  UNIT_CASE(test_raid10_impossible_geometry),
	  UNIT_CASE(test_other_levels),
	  UNIT_CASE(test_force_stale),
	  UNIT_CASE(test_force_marks_clean),
	  UNIT_CASE(test_homehost_choice),
	  UNIT_CASE(test_name_is_local))
