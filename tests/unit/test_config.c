/* test_config.c - mdadm.conf parsing */
#include "config.h"
#include "unit.h"

static struct conf conf;

static unsigned nwarn;
static void count_warn(const char *msg, void *arg)
{
	(void)msg;
	(void)arg;
	nwarn++;
}

static void test_array_lines_and_continuations(void)
{
	const char *text =
		"# comment\n"
		"DEVICE /dev/vd* partitions\n"
		"ARRAY /dev/md/data metadata=1.2 UUID=ca7978a9:54c23ba3:8e9b8a25:446391cb\n"
		"   name=host:data  # trailing comment\n"
		"ARRAY /dev/md0 level=raid5 num-devices=3 spares=1 uuid=00112233-44556677-8899aabb-ccddeeff\n"
		"HOMEHOST <system>\n"
		"MAILADDR root@example.org\n";

	nwarn = 0;
	CHECK(conf_parse(text, &conf, count_warn, NULL, NULL) == 0);
	CHECK_EQ_U(nwarn, 0);
	CHECK_EQ_U(conf.ndevices, 2);
	CHECK_EQ_S(conf.devices[0], "/dev/vd*");
	CHECK_EQ_S(conf.devices[1], "partitions");
	CHECK_EQ_U(conf.narrays, 2);
	CHECK_EQ_S(conf.arrays[0].devname, "/dev/md/data");
	CHECK(conf.arrays[0].has_uuid);
	CHECK_EQ_U(conf.arrays[0].uuid[0], 0xca);
	CHECK_EQ_U(conf.arrays[0].uuid[15], 0xcb);
	CHECK_EQ_S(conf.arrays[0].name, "host:data");
	CHECK_EQ_S(conf.arrays[0].metadata, "1.2");
	CHECK_EQ_U(conf.arrays[1].level, 5);
	CHECK_EQ_U(conf.arrays[1].num_devices, 3);
	CHECK_EQ_U(conf.arrays[1].spares, 1);
	CHECK_EQ_U(conf.arrays[1].uuid[4], 0x44);
	CHECK_EQ_S(conf.homehost, "<system>");
	CHECK_EQ_S(conf.mailaddr, "root@example.org");
}

/* the facts of one member: uuid, superblock name, level, raid disks, the
 * device's names */
static bool matches(size_t line, const uint8_t *uuid, const char *name, int level,
		    unsigned disks, const char *dev)
{
	const char *names[2] = { dev, "/dev/disk/by-id/some-link" };
	struct conf_array_facts f = { uuid, name, level, disks, names, 2 };

	return conf_array_matches(&conf.arrays[line], &f);
}

static void test_matching(void)
{
	uint8_t uuid[16] = { 0xca, 0x79, 0x78, 0xa9 };

	CHECK(conf_parse("ARRAY /dev/md/x name=data\nARRAY /dev/md/y uuid=ca7978a9:00000000:00000000:00000000\n"
			 "ARRAY /dev/md/z level=1\n"
			 "ARRAY /dev/md/w name=data level=raid5 num-devices=3 devices=/dev/sd[ab],/dev/vdc\n",
			 &conf, NULL, NULL, NULL) == 0);
	CHECK(matches(0, uuid, "host:data", 1, 2, "/dev/sda"));
	CHECK(matches(0, uuid, "data", 1, 2, "/dev/sda"));
	CHECK(!matches(0, uuid, "host:other", 1, 2, "/dev/sda"));
	CHECK(!matches(0, uuid, "datas", 1, 2, "/dev/sda"));
	CHECK(matches(1, uuid, "whatever", 5, 3, "/dev/sda"));
	/* every field the line sets must agree */
	CHECK(matches(3, uuid, "h:data", 5, 3, "/dev/sdb"));
	CHECK(matches(3, uuid, "h:data", 5, 3, "/dev/vdc"));
	CHECK(!matches(3, uuid, "h:data", 5, 3, "/dev/sdc"));
	CHECK(!matches(3, uuid, "h:data", 6, 3, "/dev/sda"));
	CHECK(!matches(3, uuid, "h:data", 5, 4, "/dev/sda"));
	uuid[1] = 0;
	CHECK(!matches(1, uuid, "whatever", 5, 3, "/dev/sda"));
	/* a line without uuid or name identifies nothing */
	CHECK(conf_array_identifies(&conf.arrays[0]));
	CHECK(conf_array_identifies(&conf.arrays[1]));
	CHECK(!conf_array_identifies(&conf.arrays[2]));
}

static void test_bad_words_are_counted_not_fatal(void)
{
	nwarn = 0;
	CHECK(conf_parse("FROBNICATE yes\nARRAY /dev/md0 uuid=zz bogus=1 stray\n", &conf, count_warn,
			 NULL, NULL) == 0);
	CHECK_EQ_U(nwarn, 4);
	CHECK_EQ_U(conf.warnings, 4);
	CHECK_EQ_U(conf.narrays, 1);
	CHECK(!conf.arrays[0].has_uuid);
}

static void test_short_device_name(void)
{
	nwarn = 0;
	CHECK(conf_parse("ARRAY metadata=1.2 UUID=67c296cc:62e521c5:52f4ffbe:2e8f958b other\n", &conf,
			 count_warn, NULL, NULL) == 0);
	CHECK_EQ_U(nwarn, 0);
	CHECK_EQ_S(conf.arrays[0].devname, "other");
}

static void test_empty_and_abbreviated_keywords(void)
{
	CHECK(conf_parse("", &conf, NULL, NULL, NULL) == 0);
	CHECK_EQ_U(conf.narrays, 0);
	CHECK(conf_parse("arr /dev/md1 name=a\ndev /dev/sd*\n", &conf, NULL, NULL, NULL) == 0);
	CHECK_EQ_U(conf.narrays, 1);
	CHECK_EQ_U(conf.ndevices, 1);
	/* two letters are too short to be a keyword */
	nwarn = 0;
	CHECK(conf_parse("AR /dev/md1\n", &conf, count_warn, NULL, NULL) == 0);
	CHECK_EQ_U(nwarn, 1);
}

static void test_too_many_arrays_fails(void)
{
	static char text[CONF_MAX_ARRAYS * 40 + 64];
	struct diag d = { 0 };
	size_t used = 0;

	for (int i = 0; i <= CONF_MAX_ARRAYS; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "ARRAY /dev/md%d name=a%d\n", i, i);
	CHECK(conf_parse(text, &conf, NULL, NULL, &d) != 0);
	CHECK_CONTAINS(d.msg, "too many ARRAY lines");
}

static void test_create_names(void)
{
	CHECK(conf_parse("CREATE owner=root names=yes\n", &conf, NULL, NULL, NULL) == 0);
	CHECK(conf.create_names);
	CHECK(conf_parse("CREATE owner=root\n", &conf, NULL, NULL, NULL) == 0);
	CHECK(!conf.create_names);
	CHECK(conf_parse("CREATE NAMES=YES\n", &conf, NULL, NULL, NULL) == 0);
	CHECK(conf.create_names);
}

/* two ARRAY lines giving one device name: the second is found, with the
 * first; "<ignore>" and unnamed lines may repeat */
static void test_duplicate_devname(void)
{
	const struct conf_array *first = NULL, *again;

	CHECK(conf_parse("ARRAY /dev/md/a name=a\nARRAY <ignore> name=b\nARRAY <ignore> name=c\n"
			 "ARRAY /dev/md/d name=d\n", &conf, NULL, NULL, NULL) == 0);
	CHECK(conf_duplicate_devname(&conf, &first) == NULL);
	CHECK(conf_parse("ARRAY /dev/md/a name=a\nARRAY /dev/md/b name=b\nARRAY /dev/md/a name=c\n",
			 &conf, NULL, NULL, NULL) == 0);
	again = conf_duplicate_devname(&conf, &first);
	CHECK(again == &conf.arrays[2]);
	CHECK(first == &conf.arrays[0]);
}

/* what --monitor takes from the file: the first address and program,
 * MAILFROM whole, MONITORDELAY as seconds, spare-group= per array */
static void test_monitor_keys(void)
{
	nwarn = 0;
	CHECK(conf_parse("MAILADDR ops@example.org other@example.org\n"
			 "MAILFROM mdadm monitor <md@example.org>\n"
			 "PROGRAM /usr/local/sbin/md-event --flag\n"
			 "MONITORDELAY 30\n"
			 "ARRAY /dev/md/a name=a spare-group=shelf1 spares=1\n",
			 &conf, count_warn, NULL, NULL) == 0);
	CHECK_EQ_U(nwarn, 0);
	CHECK_EQ_S(conf.mailaddr, "ops@example.org");
	CHECK_EQ_S(conf.mailfrom, "mdadm monitor <md@example.org>");
	CHECK_EQ_S(conf.program, "/usr/local/sbin/md-event");
	CHECK_EQ_U(conf.monitor_delay, 30);
	CHECK_EQ_S(conf.arrays[0].spare_group, "shelf1");
	CHECK_EQ_U(conf.arrays[0].spares, 1);
	/* abbreviated keyword (3 letters or more, any case) */
	CHECK(conf_parse("monitord 5\n", &conf, count_warn, NULL, NULL) == 0);
	CHECK_EQ_U(conf.monitor_delay, 5);
	/* not a positive number: counted, left unset */
	{
		static const char *const bad[] = { "MONITORDELAY 0\n", "MONITORDELAY -3\n",
						   "MONITORDELAY 10s\n", "MONITORDELAY\n",
						   "MONITORDELAY 99999999999\n" };

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			nwarn = 0;
			CHECK(conf_parse(bad[i], &conf, count_warn, NULL, NULL) == 0);
			CHECK_EQ_U(nwarn, 1);
			CHECK_EQ_U(conf.monitor_delay, 0);
		}
	}
	/* none of them given */
	CHECK(conf_parse("ARRAY /dev/md0 name=x\n", &conf, NULL, NULL, NULL) == 0);
	CHECK_EQ_S(conf.mailaddr, "");
	CHECK_EQ_S(conf.program, "");
	CHECK_EQ_U(conf.monitor_delay, 0);
	CHECK_EQ_S(conf.arrays[0].spare_group, "");
}

UNIT_MAIN("config",
	  UNIT_CASE(test_monitor_keys),
	  UNIT_CASE(test_create_names),
	  UNIT_CASE(test_array_lines_and_continuations),
	  UNIT_CASE(test_matching),
	  UNIT_CASE(test_bad_words_are_counted_not_fatal),
	  UNIT_CASE(test_short_device_name),
	  UNIT_CASE(test_empty_and_abbreviated_keywords),
	  UNIT_CASE(test_too_many_arrays_fails),
	  UNIT_CASE(test_duplicate_devname))
