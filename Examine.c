/* Examine.c - --examine: show the v1 superblock of members or image files
 *
 * The text layout follows mdadm 4.6 line for line (scripts parse it);
 * --brief/--scan print mdadm.conf ARRAY lines, --export KEY=VALUE lines for
 * udev, and --json one document with every field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap_kind.h"
#include "config.h"
#include "devnames.h"
#include "discover.h"
#include "json.h"
#include "member.h"
#include "modes.h"
#include "outname.h"
#include "policy.h"
#include "sysfs.h"
#include "util.h"

#define MAX_ARRAY_STATE_SLOTS 4096u

void homehost_from_cmdline(const struct cmdline *c, const struct conf *conf, char *buf,
			   size_t len)
{
	struct homehost_policy hp;
	char system_name[sizeof(hp.name)];
	struct conf loaded = { 0 };

	/* mdadm.conf's HOMEHOST counts only when --homehost is not given; an
	 * unreadable file leaves the system's name, as for mdadm 4.6 */
	if (!conf && !cmd_has(c, OPT_HOMEHOST) && conf_load(cmd_val(c, OPT_CONFIG), &loaded, NULL) == 0)
		conf = &loaded;
	default_homehost(system_name, sizeof(system_name));
	policy_homehost(&hp, cmd_val(c, OPT_HOMEHOST), conf ? conf->homehost : NULL, system_name);
	snprintf(buf, len, "%s", hp.name);
	conf_free(&loaded);
}

/* ---- small pieces of the report ------------------------------------------ */

/* set_name is 32 bytes, NUL padded and possibly unterminated; control
 * characters are shown as '?' so a hostile name cannot drive the terminal. */
static void sb_name(const struct sb1 *sb, char out[33])
{
	outname_terminal(sb->set_name, sizeof(sb->set_name), out, 33);
}

void json_checksum(struct json *j, uint32_t stored, uint32_t computed, bool ok)
{
	json_key(j, "checksum");
	json_obj_begin(j);
	json_kv_u64(j, "stored", stored);
	json_kv_u64(j, "computed", computed);
	json_kv_bool(j, "ok", ok);
	json_obj_end(j);
}

void examine_checksum_events(bool csum_ok, uint32_t stored, uint32_t computed, uint64_t events)
{
	if (csum_ok)
		printf("%15s : %x - correct\n", "Checksum", stored);
	else
		printf("%15s : %x - expected %x\n", "Checksum", stored, computed);
	printf("%15s : %llu\n", "Events", (unsigned long long)events);
	printf("\n");
}

static const char *level_text(int level)
{
	const char *n = level_name(level);

	return n ? n : "-unknown-";
}

static const char *metadata_text(const struct sb1 *sb)
{
	switch (sb1_minor_from_offset(sb->super_offset)) {
	case 1: return "1.1";
	case 2: return "1.2";
	default: return "1.0";
	}
}

static void print_time_line(const char *label, uint64_t t)
{
	char buf[64];

	format_ctime(sb1_time_seconds(t), buf, sizeof(buf));
	printf("%15s : %s\n", label, buf);
}

static void print_size_line(const char *label, uint64_t sectors)
{
	char hs[64];

	human_size(sectors << 9, hs, sizeof(hs));
	printf("%15s : %llu sectors%s\n", label, (unsigned long long)sectors, hs);
}

static void layout_text(const struct sb1 *sb, char *buf, size_t len)
{
	const char *n = NULL;

	buf[0] = '\0';
	switch (sb->level) {
	case 0:
		n = r0_layout_name(sb->layout);
		break;
	case 5:
		n = r5_layout_name(sb->layout);
		break;
	case 6:
		n = r6_layout_name(sb->layout);
		break;
	case 10:
		r10_layout_text(sb->layout, buf, len);
		return;
	default:
		return;
	}
	snprintf(buf, len, "%s", n ? n : "-unknown-");
}

static bool level_has_layout_line(const struct sb1 *sb)
{
	return sb->level == 5 || sb->level == 6 || sb->level == 10 ||
	       (sb->level == 0 && (sb->feature_map & SB1_FEAT_RAID0_LAYOUT));
}

/* Slots 0..raid_disks(+shrinking delta) as upstream's "Array State" string:
 * 'A' one member, 'R' two (replacement), '.' none, '?' inconsistent. */
static bool array_state_text(const struct sb1 *sb, char *buf, size_t len)
{
	unsigned extra = 0, slots;
	bool inconsistent = false;
	size_t pos = 0;

	if ((sb->feature_map & SB1_FEAT_RESHAPE_ACTIVE) && sb->delta_disks < 0)
		extra = (unsigned)-(int64_t)sb->delta_disks;
	slots = sb->raid_disks + extra;
	if (slots > MAX_ARRAY_STATE_SLOTS)
		slots = MAX_ARRAY_STATE_SLOTS;
	for (unsigned d = 0; d < slots && pos + 1 < len; d++) {
		unsigned cnt = 0;
		char ch;

		for (unsigned i = 0; i < sb->max_dev && i < SB1_MAX_DEV; i++)
			cnt += sb->dev_roles[i] == d;
		if (cnt == 2 && sb->level > 0)
			ch = 'R';
		else if (cnt == 1)
			ch = 'A';
		else if (cnt == 0)
			ch = '.';
		else {
			ch = '?';
			inconsistent = true;
		}
		buf[pos++] = ch;
	}
	buf[pos] = '\0';
	for (unsigned i = 0; i < sb->max_dev && i < SB1_MAX_DEV; i++)
		if (sb->dev_roles[i] <= SB1_ROLE_MAX && sb->dev_roles[i] > slots)
			inconsistent = true;
	return inconsistent;
}

static const char *role_text(const struct sb1 *sb, char *buf, size_t len)
{
	uint16_t role = sb1_role(sb);

	if (role >= SB1_ROLE_FAULTY)
		return "spare";
	if (role == SB1_ROLE_JOURNAL)
		return "Journal";
	snprintf(buf, len, "%s device %u",
		 (sb->feature_map & SB1_FEAT_REPLACEMENT) ? "Replacement" : "Active", role);
	return buf;
}

/* ---- the full report ------------------------------------------------------ */

static void print_identity(const struct member *m, const char *homehost)
{
	const struct sb1 *sb = &m->sb;
	char uuid[40], name[33];

	printf("%15s : %08x\n", "Magic", sb->magic);
	printf("%15s : %s\n", "Version", metadata_text(sb));
	printf("%15s : 0x%x\n", "Feature Map", sb->feature_map);
	format_uuid(sb->set_uuid, uuid, sizeof(uuid));
	printf("%15s : %s\n", "Array UUID", uuid);
	sb_name(sb, name);
	printf("%15s : %s", "Name", name);
	if (policy_name_is_local(name, homehost))
		printf("  (local to host %s)", homehost);
	printf("\n");
	if (m->bitmap_read && m->bitmap_uuid_ok && m->bsb.nodes > 0) {
		char cluster[sizeof(m->bsb.cluster_name) + 1];

		outname_terminal(m->bsb.cluster_name, sizeof(m->bsb.cluster_name), cluster,
				 sizeof(cluster));
		printf("%15s : %-64s\n", "Cluster Name", cluster);
	}
	print_time_line("Creation Time", sb->ctime);
	printf("%15s : %s\n", "Raid Level", level_text(sb->level));
	printf("%15s : %u\n", "Raid Devices", sb->raid_disks);
	printf("\n");
}

static void print_sizes(const struct member *m)
{
	const struct sb1 *sb = &m->sb;
	uint64_t before, after;
	unsigned num, den;

	print_size_line("Avail Dev Size", sb->data_size);
	/* mdadm 4.6 tests the level as unsigned: linear (-1) is "> 0" too */
	if (sb->level != 0) {
		if (sb1_data_ratio(sb, &num, &den)) {
			uint64_t bytes = (uint64_t)((__uint128_t)(sb->size << 9) * num / den);
			char hs[64];

			human_size(bytes, hs, sizeof(hs));
			printf("%15s : %llu KiB%s\n", "Array Size",
			       (unsigned long long)(bytes >> 10), hs);
		}
		if (sb->size != sb->data_size)
			print_size_line("Used Dev Size", sb->size);
	}
	if (sb->data_offset)
		printf("%15s : %llu sectors\n", "Data Offset", (unsigned long long)sb->data_offset);
	if (sb->new_offset && (sb->feature_map & SB1_FEAT_NEW_OFFSET))
		printf("%15s : %llu sectors\n", "New Offset",
		       (unsigned long long)(sb->data_offset + (int64_t)sb->new_offset));
	printf("%15s : %llu sectors\n", "Super Offset", (unsigned long long)sb->super_offset);
	if (sb->feature_map & SB1_FEAT_RECOVERY_OFFSET)
		printf("%15s : %llu sectors\n", "Recovery Offset",
		       (unsigned long long)sb->recovery_offset);
	if (member_unused_space(m, &before, &after)) {
		printf("%15s : before=%llu sectors, ", "Unused Space", (unsigned long long)before);
		if (after <= INT64_MAX)
			printf("after=%llu sectors\n", (unsigned long long)after);
		else
			printf("after=-%llu sectors DEVICE TOO SMALL\n",
			       (unsigned long long)(UINT64_MAX - after));
	} else {
		after = 0;
	}
	printf("%15s : %s%s\n", "State", sb->resync_offset == SB1_MAX_SECTOR ? "clean" : "active",
	       after > INT64_MAX ? " TRUNCATED DEVICE" : "");
}

static void print_reshape(const struct sb1 *sb)
{
	char hs[64], lay[64];

	human_size(sb->reshape_position << 9, hs, sizeof(hs));
	printf("%15s : %llu%s\n", "Reshape pos'n", (unsigned long long)(sb->reshape_position / 2), hs);
	if (sb->delta_disks)
		printf("%15s : %d (%d->%u)\n", "Delta Devices", sb->delta_disks,
		       (int)(sb->raid_disks - (uint32_t)sb->delta_disks), sb->raid_disks);
	if ((int32_t)sb->new_level != sb->level)
		printf("%15s : %s\n", "New Level", level_text((int32_t)sb->new_level));
	if (sb->new_layout != sb->layout) {
		struct sb1 tmp = *sb;

		tmp.layout = sb->new_layout;
		if (sb->level == 5 || sb->level == 6) {
			layout_text(&tmp, lay, sizeof(lay));
			printf("%15s : %s\n", "New Layout", lay);
		} else if (sb->level == 10) {
			layout_text(&tmp, lay, sizeof(lay));
			printf("%15s :%s\n", "New Layout", lay);
		}
	}
	if (sb->new_chunk != sb->chunksize)
		printf("%15s : %uK\n", "New Chunksize", sb->new_chunk / 2);
	printf("\n");
}

static void print_device_state(const struct member *m)
{
	const struct sb1 *sb = &m->sb;
	char uuid[40];

	format_uuid(sb->device_uuid, uuid, sizeof(uuid));
	printf("%15s : %s\n", "Device UUID", uuid);
	printf("\n");
	if (sb->feature_map & SB1_FEAT_BITMAP_OFFSET &&
	    !(sb->feature_map & (SB1_FEAT_PPL | SB1_FEAT_MULTIPLE_PPLS)))
		printf("%15s : %d sectors from superblock\n", "Internal Bitmap", sb->bitmap_offset);
	else if (sb->feature_map & (SB1_FEAT_PPL | SB1_FEAT_MULTIPLE_PPLS))
		printf("%15s : %u sectors at offset %d sectors from superblock\n", "PPL",
		       sb->ppl_size, sb->ppl_offset);
	if (sb->feature_map & SB1_FEAT_RESHAPE_ACTIVE)
		print_reshape(sb);
	if (sb->devflags) {
		printf("%15s :", "Flags");
		if (sb->devflags & SB1_DEVFLAG_WRITEMOSTLY)
			printf(" write-mostly");
		if (sb->devflags & SB1_DEVFLAG_FAILFAST)
			printf(" failfast");
		printf("\n");
	}
	print_time_line("Update Time", sb->utime);
	if (sb->bblog_size && sb->bblog_offset) {
		printf("%15s : %u entries available at offset %d sectors", "Bad Block Log",
		       (unsigned)sb->bblog_size * 512 / 8, sb->bblog_offset);
		if (sb->feature_map & SB1_FEAT_BAD_BLOCKS)
			printf(" - bad blocks present.");
		printf("\n");
	}
	examine_checksum_events(m->csum_ok, sb->sb_csum, m->csum_computed, sb->events);
}

static void print_geometry_and_roles(const struct sb1 *sb)
{
	char buf[MAX_ARRAY_STATE_SLOTS + 1];
	bool inconsistent;

	if (level_has_layout_line(sb)) {
		layout_text(sb, buf, sizeof(buf));
		printf("%15s :%s%s\n", "Layout", sb->level == 10 ? "" : " ", buf);
	}
	switch (sb->level) {
	case 0: case 4: case 5: case 6: case 10:
		printf("%15s : %uK\n", "Chunk Size", sb->chunksize / 2);
		break;
	case MD_LEVEL_LINEAR:
		printf("%15s : %uK\n", "Rounding", sb->chunksize / 2);
		break;
	default:
		break;
	}
	printf("\n");
	printf("%14s : %s\n", "Device Role", role_text(sb, buf, sizeof(buf)));
	inconsistent = array_state_text(sb, buf, sizeof(buf));
	printf("%14s : %s ('A' == active, '.' == missing, 'R' == replacing)\n",
	       "Array State", buf);
	if (inconsistent) {
		printf("WARNING Array state is inconsistent - each number should appear only once\n");
		for (unsigned d = 0; d < sb->max_dev && d < SB1_MAX_DEV; d++)
			if (sb->dev_roles[d] >= SB1_ROLE_FAULTY)
				printf(" %u:-", d);
			else
				printf(" %u:%u", d, sb->dev_roles[d]);
		printf("\n");
	}
}

static void examine_full(const struct member *m, const char *homehost)
{
	printf("%s:\n", m->path);
	print_identity(m, homehost);
	print_sizes(m);
	print_device_state(m);
	print_geometry_and_roles(&m->sb);
}

/* ---- --export ------------------------------------------------------------ */

static void examine_export(const struct member *m)
{
	const struct sb1 *sb = &m->sb;
	char uuid[40], name[33], val[40];
	unsigned num, den;

	printf("MD_LEVEL=%s\n", level_text(sb->level));
	printf("MD_DEVICES=%u\n", sb->raid_disks);
	sb_name(sb, name);
	outname_export(name, val, sizeof(val));
	if (name[0])
		printf("MD_NAME=%s\n", val);
	if (sb->level > 0 && sb1_data_ratio(sb, &num, &den)) {
		char hs[32];

		human_size_brief((uint64_t)((__uint128_t)(sb->size << 9) * num / den), false,
				 hs, sizeof(hs));
		printf("MD_ARRAY_SIZE=%s\n", hs);
	}
	format_uuid(sb->set_uuid, uuid, sizeof(uuid));
	printf("MD_UUID=%s\n", uuid);
	printf("MD_UPDATE_TIME=%llu\n", (unsigned long long)sb1_time_seconds(sb->utime));
	format_uuid(sb->device_uuid, uuid, sizeof(uuid));
	printf("MD_DEV_UUID=%s\n", uuid);
	printf("MD_EVENTS=%llu\n", (unsigned long long)sb->events);
}

/* ---- --brief: one ARRAY line per array ------------------------------------- */

struct array_group {
	bool v090;                  /* first0 holds the member, not first */
	struct member first;
	struct member0 first0;
	const char **devs;
	size_t ndevs;
	unsigned spares;
	struct array_group *next;
};

/* m or m0 (0.90) is given; arrays match by UUID within one metadata kind */
static bool group_matches(const struct array_group *g, const struct member *m,
			  const struct member0 *m0)
{
	if (m0)
		return g->v090 && m0->sb.set_uuid0 == g->first0.sb.set_uuid0 &&
		       m0->sb.set_uuid1 == g->first0.sb.set_uuid1 &&
		       m0->sb.set_uuid2 == g->first0.sb.set_uuid2 &&
		       m0->sb.set_uuid3 == g->first0.sb.set_uuid3;
	return !g->v090 && memcmp(g->first.sb.set_uuid, m->sb.set_uuid, 16) == 0;
}

static int group_add(struct array_group **list, const struct member *m,
		     const struct member0 *m0)
{
	struct array_group *g = *list;
	const char **devs;

	while (g && !group_matches(g, m, m0))
		g = g->next;
	if (!g) {
		g = calloc(1, sizeof(*g));
		if (!g)
			return -1;
		g->v090 = m0 != NULL;
		if (m0)
			g->first0 = *m0;
		else
			g->first = *m;
		g->next = *list;     /* newest first, as upstream lists them */
		*list = g;
	}
	devs = realloc(g->devs, (g->ndevs + 1) * sizeof(*devs));
	if (!devs)
		return -1;
	g->devs = devs;
	g->devs[g->ndevs++] = m0 ? m0->path : m->path;
	if (m0 ? examine0_is_spare(&m0->sb) : sb1_role(&m->sb) > SB1_ROLE_MAX)
		g->spares++;
	return 0;
}

static void print_array_line(const struct array_group *g, bool verbose)
{
	const struct sb1 *sb = &g->first.sb;
	char name[33], link[33], uuid[40];
	const char *nm;

	if (g->v090) {
		examine0_array_line(&g->first0.sb, verbose);
		goto spares_and_devices;
	}
	/* the device is the /dev/md/ link --incremental would make: one
	 * word, so that the name cannot add keywords to the line */
	memcpy(name, sb->set_name, sizeof(sb->set_name));
	name[32] = '\0';
	nm = strchr(name, ':');
	nm = nm ? nm + 1 : (name[0] ? name : NULL);
	printf("ARRAY ");
	if (nm) {
		outname_link(nm, link, sizeof(link));
		printf("/dev/md/%s ", link);
	}
	if (verbose && level_name(sb->level))
		printf(" level=%s", level_name(sb->level));
	printf(" metadata=%s ", metadata_text(sb));
	if (verbose)
		printf("num-devices=%u ", sb->raid_disks);
	format_uuid(sb->set_uuid, uuid, sizeof(uuid));
	printf("UUID=%s\n", uuid);
spares_and_devices:
	if (g->spares)
		printf("   spares=%u", g->spares);
	if (verbose) {
		printf("   devices");
		for (size_t i = 0; i < g->ndevs; i++)
			printf("%c%s", i ? ',' : '=', g->devs[i]);
	}
	if (g->spares || verbose)
		printf("\n");
}

static void groups_print_and_free(struct array_group *g, bool verbose)
{
	while (g) {
		struct array_group *next = g->next;

		print_array_line(g, verbose);
		free(g->devs);
		free(g);
		g = next;
	}
}

/* ---- --json ---------------------------------------------------------------- */

static void json_roles(struct json *j, const struct sb1 *sb)
{
	uint16_t role = sb1_role(sb);

	json_key(j, "role");
	if (role == SB1_ROLE_SPARE)
		json_str(j, "spare");
	else if (role == SB1_ROLE_FAULTY)
		json_str(j, "faulty");
	else if (role == SB1_ROLE_JOURNAL)
		json_str(j, "journal");
	else
		json_u64(j, role);
	json_key(j, "dev_roles");
	json_arr_begin(j);
	for (unsigned i = 0; i < sb->max_dev && i < SB1_MAX_DEV; i++)
		json_u64(j, sb->dev_roles[i]);
	json_arr_end(j);
}

static void json_sizes(struct json *j, const struct member *m)
{
	const struct sb1 *sb = &m->sb;
	uint64_t before, after;

	json_kv_u64(j, "avail_dev_size_sectors", sb->data_size);
	json_kv_u64(j, "used_dev_size_sectors", sb->size);
	json_kv_u64(j, "array_size_sectors", member_array_sectors(sb));
	json_kv_u64(j, "data_offset_sectors", sb->data_offset);
	json_kv_u64(j, "super_offset_sectors", sb->super_offset);
	json_kv_u64(j, "device_size_sectors", m->dev_sectors);
	if (sb->feature_map & SB1_FEAT_NEW_OFFSET)
		json_kv_i64(j, "new_offset_sectors", sb->new_offset);
	if (sb->feature_map & SB1_FEAT_RECOVERY_OFFSET)
		json_kv_u64(j, "recovery_offset_sectors", sb->recovery_offset);
	if (member_unused_space(m, &before, &after) && after <= INT64_MAX) {
		json_kv_u64(j, "unused_space_before_sectors", before);
		json_kv_u64(j, "unused_space_after_sectors", after);
	}
}

static void json_member(struct json *j, const struct member *m, const char *homehost)
{
	const struct sb1 *sb = &m->sb;
	char buf[MAX_ARRAY_STATE_SLOTS + 1], name[33];

	json_obj_begin(j);
	json_kv_str(j, "device", m->path);
	json_kv_str(j, "metadata", metadata_text(sb));
	json_kv_u64(j, "feature_map", sb->feature_map);
	format_uuid(sb->set_uuid, buf, sizeof(buf));
	json_kv_str(j, "array_uuid", buf);
	sb_name(sb, name);
	json_key(j, "name");      /* as on disk: JSON escapes what it must */
	json_strn(j, (const char *)sb->set_name, sizeof(sb->set_name));
	json_kv_bool(j, "local", policy_name_is_local(name, homehost));
	json_kv_u64(j, "creation_time", sb1_time_seconds(sb->ctime));
	json_kv_i64(j, "level", sb->level);
	json_kv_str(j, "level_name", level_text(sb->level));
	json_kv_u64(j, "layout", sb->layout);
	if (level_has_layout_line(sb)) {
		layout_text(sb, buf, sizeof(buf));
		json_kv_str(j, "layout_name", buf[0] == ' ' ? buf + 1 : buf);
	}
	json_kv_u64(j, "chunk_size_sectors", sb->chunksize);
	json_kv_u64(j, "raid_devices", sb->raid_disks);
	json_sizes(j, m);
	json_kv_str(j, "state", sb->resync_offset == SB1_MAX_SECTOR ? "clean" : "active");
	json_kv_u64(j, "resync_offset", sb->resync_offset);
	format_uuid(sb->device_uuid, buf, sizeof(buf));
	json_kv_str(j, "device_uuid", buf);
	json_kv_u64(j, "dev_number", sb->dev_number);
	json_kv_bool(j, "write_mostly", sb->devflags & SB1_DEVFLAG_WRITEMOSTLY);
	json_kv_bool(j, "failfast", sb->devflags & SB1_DEVFLAG_FAILFAST);
	json_kv_u64(j, "update_time", sb1_time_seconds(sb->utime));
	json_kv_u64(j, "events", sb->events);
	json_kv_u64(j, "logical_block_size", sb->logical_block_size);
	json_checksum(j, sb->sb_csum, m->csum_computed, m->csum_ok);
	json_key(j, "bad_block_log");
	if (sb->bblog_size && sb->bblog_offset) {
		json_obj_begin(j);
		json_kv_i64(j, "offset_sectors", sb->bblog_offset);
		json_kv_u64(j, "size_sectors", sb->bblog_size);
		json_kv_u64(j, "entries", (uint64_t)sb->bblog_size * 512 / 8);
		json_kv_bool(j, "bad_blocks_present", sb->feature_map & SB1_FEAT_BAD_BLOCKS);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	json_roles(j, sb);
	array_state_text(sb, buf, sizeof(buf));
	json_kv_str(j, "slot_states", buf);
	json_key(j, "bitmap");
	if (m->has_bitmap) {
		json_obj_begin(j);
		json_kv_i64(j, "offset_sectors", sb->bitmap_offset);
		json_kv_str(j, "type", !m->bitmap_read ? "unreadable" :
			    bitmap_kind_name(bitmap_kind_of_version(m->bsb.version)));
		if (m->bitmap_read) {
			json_key(j, "superblock");
			json_bitmap_superblock(j, &m->bsb);
		}
		if (m->bitmap_problem.msg[0])
			json_kv_str(j, "problem", m->bitmap_problem.msg);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	json_obj_end(j);
}

/* ---- driver ---------------------------------------------------------------- */

struct examine_run {
	const struct cmdline *c;
	char homehost[256];
	bool brief, scan, json;
	struct array_group *groups;
	struct json j;
	struct devnames names;      /* for the 0.90 descriptor table */
	int rc;
};

/* A member whose superblock is 0.90 (member_load said "other metadata"). */
static void examine_device0(struct examine_run *r, const char *dev)
{
	struct diag d = { 0 };
	struct member0 m;
	enum member_load_result lr = member0_load(&m, dev, &d);

	if (lr != MEMBER_OK) {
		if (!(r->scan && lr == MEMBER_IO_ERROR) && !(r->brief && lr != MEMBER_IO_ERROR)) {
			pr_err("%s\n", d.msg);
			r->rc = EXIT_FAIL;
		}
		return;
	}
	if (m.sb.big_endian != sb0_host_is_big_endian()) {
		/* mdadm 4.6 does not see such a member at all */
		if (!r->brief) {
			pr_err("%s: the 0.90 superblock was written by a host of the other byte order\n",
			       dev);
			r->rc = EXIT_FAIL;
		}
		return;
	}
	if (!m.check_ok) {
		pr_err("%s: 0.90 superblock is not usable: %s\n", dev, m.check_problem.msg);
		r->rc = EXIT_FAIL;
		return;
	}
	if (r->json)
		examine0_json(&r->j, &m, r->homehost);
	else if (r->brief) {
		if (group_add(&r->groups, NULL, &m) != 0) {
			pr_err("out of memory\n");
			r->rc = EXIT_FAIL;
		}
	} else if (cmd_has(r->c, OPT_EXPORT))
		examine0_export(&m);
	else
		examine0_full(&m, r->homehost, &r->names);
	if (!m.csum_ok) {
		pr_err("%s: superblock checksum is wrong (stored %08x, computed %08x)\n",
		       dev, m.sb.sb_csum, m.csum_computed);
		r->rc = EXIT_FAIL;
	}
}

/* Load one device; report failures unless quiet scanning. */
static bool load_for_examine(struct examine_run *r, const char *dev, struct member *m)
{
	struct diag d = { 0 };
	enum member_load_result lr = member_load(m, dev, &d);

	if (lr == MEMBER_OTHER_METADATA) {
		examine_device0(r, dev);
		return false;
	}
	if (lr != MEMBER_OK) {
		if (!(r->scan && lr == MEMBER_IO_ERROR) && !(r->brief && lr != MEMBER_IO_ERROR)) {
			pr_err("%s\n", d.msg);
			r->rc = EXIT_FAIL;
		}
		return false;
	}
	if (!m->geometry_ok) {
		pr_err("%s: superblock is not usable: %s\n", dev, m->geometry_problem.msg);
		r->rc = EXIT_FAIL;
		return false;
	}
	return true;
}

static void examine_device(struct examine_run *r, const char *dev)
{
	struct member m;

	if (!load_for_examine(r, dev, &m))
		return;
	if (r->json)
		json_member(&r->j, &m, r->homehost);
	else if (r->brief) {
		if (group_add(&r->groups, &m, NULL) != 0) {
			pr_err("out of memory\n");
			r->rc = EXIT_FAIL;
		}
	} else if (cmd_has(r->c, OPT_EXPORT))
		examine_export(&m);
	else
		examine_full(&m, r->homehost);
	if (!m.csum_ok) {
		pr_err("%s: superblock checksum is wrong (stored %08x, computed %08x)\n",
		       dev, m.sb.sb_csum, m.csum_computed);
		r->rc = EXIT_FAIL;
	}
	if (m.has_bitmap && m.bitmap_problem.msg[0] && !r->brief && !cmd_has(r->c, OPT_EXPORT))
		pr_err("%s: warning: %s\n", dev, m.bitmap_problem.msg);
}

/* Devices for --scan without names: the md members discovery finds. */
static size_t scan_devices(char ***out)
{
	char **list = calloc(1024, sizeof(char *));
	size_t n = list ? discover_md_members(list, 1024) : 0;

	/* upstream walks the device list last to first: keep its ARRAY order */
	for (size_t i = 0; i < n / 2; i++) {
		char *t = list[i];

		list[i] = list[n - 1 - i];
		list[n - 1 - i] = t;
	}
	*out = list;
	return n;
}

int Examine(const struct cmdline *c, const char *const *devs, size_t ndevs)
{
	struct examine_run r = { .c = c };
	char **scanned = NULL;
	size_t nscanned = 0;
	struct sysfs sys;

	homehost_from_cmdline(c, NULL, r.homehost, sizeof(r.homehost));
	sysfs_init(&sys);
	devnames_init(&r.names, sys.dev_root);
	r.scan = cmd_has(c, OPT_SCAN);
	r.brief = cmd_has(c, OPT_BRIEF) || r.scan;
	r.json = cmd_has(c, OPT_JSON);
	if (cmd_has(c, OPT_SPARC22)) {
		pr_err("--sparc2.2 is not supported by this mdadm\n");
		return EXIT_USAGE;
	}
	if (ndevs == 0) {
		if (!r.scan) {
			pr_err("No devices to examine\n");
			return EXIT_USAGE;
		}
		nscanned = scan_devices(&scanned);
		devs = (const char *const *)scanned;
		ndevs = nscanned;
	}
	if (r.json) {
		json_document_begin(&r.j, stdout, "devices");
	}
	for (size_t i = 0; i < ndevs; i++)
		examine_device(&r, devs[i]);
	if (r.json) {
		json_document_end(&r.j);
	} else if (r.brief) {
		groups_print_and_free(r.groups, c->verbose > 0);
	}
	for (size_t i = 0; i < nscanned; i++)
		free(scanned[i]);
	free(scanned);
	devnames_free(&r.names);
	return r.rc;
}
