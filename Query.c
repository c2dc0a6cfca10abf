/* Query.c - --query (and "mdadm DEVICE" alone): one line on what a device
 * is as an md array, and one on what it is as a member, worded as
 * mdadm 4.6 words them. Always exit 0 unless the device cannot be opened. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
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

/* What --query found out about one device, printed as mdadm 4.6's two
 * lines or, with --json, as one object. */
struct query_result {
	const char *path;
	enum { Q_NOT_MD, Q_ARRAY, Q_ARRAY_UNREADABLE } as_array;
	char array_problem[sizeof(((struct diag *)0)->msg)];
	uint64_t size_sectors;
	bool level_known;
	int level;
	unsigned raid_disks, spares;
	bool is_member;
	int number;
	unsigned member_raid_disks;
	int member_level;
	const char *activity;        /* active, mismatch, undetected, inactive */
	const char *mddev;           /* from the map file, or NULL */
};

static void query_array(struct query_run *q, const char *devnm, struct query_result *r)
{
	struct md_array a;
	struct diag d = { 0 };

	if (md_array_load(&q->sys, &q->ms, devnm, &a, &d) != 0) {
		r->as_array = Q_ARRAY_UNREADABLE;
		snprintf(r->array_problem, sizeof(r->array_problem), "%s", d.msg);
		return;
	}
	r->as_array = Q_ARRAY;
	for (size_t i = 0; i < a.nmembers; i++)
		if (!(a.members[i].flags & (MDM_FAULTY | MDM_IN_SYNC)))
			r->spares++;
	r->size_sectors = a.size_sectors;
	r->level_known = a.level_known;
	r->level = a.level;
	r->raid_disks = a.raid_disks;
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

static void query_member(struct query_run *q, const char *path, struct query_result *r)
{
	const struct map_entry *e;
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
	r->is_member = true;
	r->number = id.number;
	r->member_raid_disks = id.raid_disks;
	r->member_level = id.level;
	r->activity = "inactive";
	e = mapfile_by_uuid(&q->map, id.uuid, &q->sys);
	if (e) {
		r->mddev = e->path;
		r->activity = member_activity(q, path, e, id.number);
	}
}

/* "/dev/md0: 319.00MiB raid1 2 devices, 0 spares. Use mdadm --detail ..."
 * and "/dev/vda: device 0 in 2 device active raid1 /dev/md0.  Use ..." */
static void print_text(const struct query_result *r)
{
	char size[32];

	if (r->as_array == Q_NOT_MD) {
		printf("%s: is not an md array\n", r->path);
	} else if (r->as_array == Q_ARRAY_UNREADABLE) {
		printf("%s: is an md device, but gives \"%s\" when queried\n", r->path,
		       r->array_problem);
	} else {
		human_size_brief(r->size_sectors << 9, true, size, sizeof(size));
		printf("%s: %s %s %u devices, %u spare%s. Use mdadm --detail for more detail.\n",
		       r->path, size, r->level_known ? level_text(r->level) : "-unknown-",
		       r->raid_disks, r->spares, r->spares == 1 ? "" : "s");
	}
	if (r->is_member)
		printf("%s: device %d in %u device %s %s %s.  Use mdadm --examine for more detail.\n",
		       r->path, r->number, r->member_raid_disks, r->activity,
		       level_text(r->member_level), r->mddev ? r->mddev : "array");
}

static void json_level(struct json *j, bool known, int level)
{
	const char *n = known ? level_name(level) : NULL;

	json_kv_i64(j, "level", level);
	if (n)
		json_kv_str(j, "level_name", n);
	else
		json_kv_str(j, "level_name", "unknown");
}

static void print_json(struct json *j, const struct query_result *r)
{
	json_obj_begin(j);
	json_kv_str(j, "device", r->path);
	json_key(j, "array");
	if (r->as_array == Q_ARRAY) {
		json_obj_begin(j);
		json_kv_u64(j, "array_size_sectors", r->size_sectors);
		json_level(j, r->level_known, r->level);
		json_kv_u64(j, "raid_devices", r->raid_disks);
		json_kv_u64(j, "spare_devices", r->spares);
		json_obj_end(j);
	} else if (r->as_array == Q_ARRAY_UNREADABLE) {
		json_obj_begin(j);
		json_kv_str(j, "problem", r->array_problem);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "member");
	if (r->is_member) {
		json_obj_begin(j);
		json_kv_i64(j, "dev_number", r->number);
		json_kv_u64(j, "raid_devices", r->member_raid_disks);
		json_level(j, true, r->member_level);
		json_kv_str(j, "state", r->activity);
		json_key(j, "md_device");
		if (r->mddev)
			json_str(j, r->mddev);
		else
			json_null(j);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	json_obj_end(j);
}



static int query_one(struct query_run *q, const char *path, struct json *j)
{
	char devnm[MD_DEVNM_MAX];
	int err = 0, fd = open(path, O_RDONLY | O_CLOEXEC);
	struct query_result r = { .path = path, .as_array = Q_NOT_MD };

	if (fd < 0) {
		pr_err("cannot open %s: %s\n", path, strerror(errno));
		return EXIT_FAIL;
	}
	close(fd);
	switch (md_resolve_name(&q->sys, path, devnm, sizeof(devnm), &err)) {
	case MD_RESOLVE_MD:
		query_array(q, devnm, &r);
		break;
	case MD_RESOLVE_MISSING:
		pr_err("cannot open %s: %s\n", path, strerror(err));
		return EXIT_FAIL;
	case MD_RESOLVE_NOT_MD:
		break;
	}
	query_member(q, path, &r);
	if (j)
		print_json(j, &r);
	else
		print_text(&r);
	return 0;
}

int Query(const struct cmdline *c, const char *const *devs, size_t ndevs)
{
	struct query_run q;
	struct diag d = { 0 };
	struct json j;
	bool as_json = cmd_has(c, OPT_JSON);
	int rc = 0;

	memset(&q, 0, sizeof(q));
	sysfs_init(&q.sys);
	if (mdstat_read_file(&q.ms, &d) != 0)
		pr_err("warning: %s\n", d.msg);
	if (mapfile_read(&q.map, &d) != 0)
		pr_err("warning: %s\n", d.msg);
	if (as_json)
		json_document_begin(&j, stdout, "devices");
	for (size_t i = 0; i < ndevs; i++)
		rc |= query_one(&q, devs[i], as_json ? &j : NULL);
	if (as_json)
		json_document_end(&j);
	mdstat_free(&q.ms);
	mapfile_free(&q.map);
	return rc;
}
