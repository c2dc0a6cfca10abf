/* Query.c - --query (and "mdadm DEVICE" alone): one line on what a device
 * is as an md array, and one on what it is as a member, worded as
 * mdadm 4.6 words them. Always exit 0 unless the device cannot be opened. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mapfile.h"
#include "mdarray.h"
#include "mdkernel.h"
#include "mdstat.h"
#include "member.h"
#include "modes.h"
#include "util.h"

struct query_run {
	struct sysfs sys;
	struct mdstat ms;
	struct mapfile map;
};

static const char *level_text(int level)
{
	const char *n = level_name(level);

	return n ? n : "-unknown-";
}

/* "/dev/md0: 319.00MiB raid1 2 devices, 0 spares. Use mdadm --detail ..." */
static void query_array(struct query_run *q, const char *path, const char *devnm)
{
	struct md_array a;
	struct diag d = { 0 };
	unsigned spares = 0;
	char size[32];

	if (md_array_load(&q->sys, &q->ms, devnm, &a, &d) != 0) {
		printf("%s: is an md device, but gives \"%s\" when queried\n", path, d.msg);
		return;
	}
	for (size_t i = 0; i < a.nmembers; i++)
		if (!(a.members[i].flags & (MDM_FAULTY | MDM_IN_SYNC)))
			spares++;
	human_size_brief(a.size_sectors << 9, true, size, sizeof(size));
	printf("%s: %s %s %u devices, %u spare%s. Use mdadm --detail for more detail.\n",
	       path, size, a.level_known ? level_text(a.level) : "-unknown-", a.raid_disks, spares,
	       spares == 1 ? "" : "s");
	md_array_free(&a);
}

/* "active" when the running array has this very device at the member's
 * descriptor number, "mismatch" when it has another one there,
 * "undetected" when the array is not running. */
static const char *member_activity(struct query_run *q, const char *path,
				   const struct map_entry *e, int number)
{
	const struct mdstat_array *ma = mdstat_find(&q->ms, e->devnm);
	char kname[SYSFS_NAME_MAX];
	dev_t rdev;

	if (!md_array_is_active(&q->sys, e->devnm) || !ma)
		return "undetected";
	if (blockdev_identify(path, kname, sizeof(kname), &rdev, &q->sys, NULL) != 0)
		return "mismatch";
	for (size_t i = 0; i < ma->nmembers; i++)
		if (ma->members[i].number == number)
			return strcmp(ma->members[i].name, kname) == 0 ? "active" : "mismatch";
	return "mismatch";
}

/* What the member line says about a member, whatever its metadata. */
struct member_identity {
	uint8_t uuid[16];           /* as the map file holds it */
	int number;
	unsigned raid_disks;
	int level;
};

static int identity_of_sb0(const char *path, struct member_identity *id)
{
	struct member0 m0;
	struct diag d = { 0 };

	if (member0_load(&m0, path, &d) != MEMBER_OK || !m0.check_ok ||
	    m0.sb.big_endian != sb0_host_is_big_endian())
		return -1;
	sb0_uuid_bytes(&m0.sb, id->uuid);
	id->number = (int)m0.sb.this_disk.number;
	id->raid_disks = m0.sb.raid_disks;
	id->level = m0.sb.level;
	return 0;
}

/* "/dev/vda: device 0 in 2 device active raid1 /dev/md0.  Use mdadm ..." */
static void query_member(struct query_run *q, const char *path)
{
	const struct map_entry *e;
	const char *activity = "inactive", *mddev = "array";
	struct member m;
	struct diag d = { 0 };

	enum member_load_result lr = member_load(&m, path, &d);
	struct member_identity id;

	if (lr == MEMBER_OTHER_METADATA) {
		if (identity_of_sb0(path, &id) != 0)
			return;
	} else if (lr != MEMBER_OK || !m.geometry_ok) {
		return;
	} else {
		memcpy(id.uuid, m.sb.set_uuid, sizeof(id.uuid));
		id.number = (int)m.sb.dev_number;
		id.raid_disks = m.sb.raid_disks;
		id.level = m.sb.level;
	}
	e = mapfile_by_uuid(&q->map, id.uuid, &q->sys);
	if (e) {
		mddev = e->path;
		activity = member_activity(q, path, e, id.number);
	}
	printf("%s: device %d in %u device %s %s %s.  Use mdadm --examine for more detail.\n",
	       path, id.number, id.raid_disks, activity, level_text(id.level), mddev);
}

static int query_one(struct query_run *q, const char *path)
{
	char devnm[MD_DEVNM_MAX];
	int err = 0, fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		pr_err("cannot open %s: %s\n", path, strerror(errno));
		return EXIT_FAIL;
	}
	close(fd);
	switch (md_resolve_name(&q->sys, path, devnm, sizeof(devnm), &err)) {
	case MD_RESOLVE_MD:
		query_array(q, path, devnm);
		break;
	case MD_RESOLVE_MISSING:
		pr_err("cannot open %s: %s\n", path, strerror(err));
		return EXIT_FAIL;
	case MD_RESOLVE_NOT_MD:
		printf("%s: is not an md array\n", path);
		break;
	}
	query_member(q, path);
	return 0;
}

int Query(const struct cmdline *c, const char *const *devs, size_t ndevs)
{
	struct query_run q;
	struct diag d = { 0 };
	int rc = 0;

	(void)c;
	memset(&q, 0, sizeof(q));
	sysfs_init(&q.sys);
	if (mdstat_read_file(&q.ms, &d) != 0)
		pr_err("warning: %s\n", d.msg);
	if (mapfile_read(&q.map, &d) != 0)
		pr_err("warning: %s\n", d.msg);
	for (size_t i = 0; i < ndevs; i++)
		rc |= query_one(&q, devs[i]);
	mdstat_free(&q.ms);
	mapfile_free(&q.map);
	return rc;
}
