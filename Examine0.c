/* Examine0.c - the --examine report of a 0.90 member, in mdadm 4.6's
 * layout (its own, older than the v1 one: a descriptor table instead of
 * roles), and its --export and --brief forms. */
#include <stdio.h>
#include <string.h>

#include "devnames.h"
#include "json.h"
#include "member.h"
#include "modes.h"
#include "util.h"

static const char *level_text0(int level)
{
	const char *n = level_name(level);

	return n ? n : "-unknown-";
}

static void format_uuid0(const struct sb0 *sb, char *buf, size_t len)
{
	snprintf(buf, len, "%08x:%08x:%08x:%08x", sb->set_uuid0, sb->set_uuid1,
		 sb->set_uuid2, sb->set_uuid3);
}

static void print_time0(const char *label, uint32_t t)
{
	char buf[64];

	format_ctime(t, buf, sizeof(buf));
	printf("%15s : %s\n", label, buf);
}

static bool reshape_active0(const struct sb0 *sb)
{
	return sb->minor_version > SB0_MINOR && sb->reshape_position != UINT64_MAX;
}

static void print_identity0(const struct sb0 *sb, const char *homehost)
{
	char uuid[40], hs[64];
	unsigned num, den;

	printf("%15s : %08x\n", "Magic", sb->md_magic);
	printf("%15s : %u.%02u.%02u\n", "Version", sb->major_version, sb->minor_version,
	       sb->patch_version);
	format_uuid0(sb, uuid, sizeof(uuid));
	printf("%15s : %s", "UUID", uuid);
	if (sb0_uuid_is_local(sb, homehost))
		printf(" (local to host %s)", homehost);
	printf("\n");
	if (sb->not_persistent)
		printf("%15s : not persistent\n", "Eedk");
	print_time0("Creation Time", sb->ctime);
	printf("%15s : %s\n", "Raid Level", level_text0(sb->level));
	if (sb->level > 0) {
		human_size((uint64_t)sb->size << 10, hs, sizeof(hs));
		printf("%15s : %u%s\n", "Used Dev Size", sb->size, hs);
		if (sb0_data_ratio(sb, &num, &den)) {
			uint64_t bytes = ((uint64_t)sb->size << 10) * num / den;

			human_size(bytes, hs, sizeof(hs));
			printf("%15s : %llu%s\n", "Array Size", (unsigned long long)(bytes >> 10), hs);
		}
	}
	printf("%15s : %u\n", "Raid Devices", sb->raid_disks);
	printf("%15s : %u\n", "Total Devices", sb->nr_disks);
	printf("%15s : %u\n", "Preferred Minor", sb->md_minor);
	printf("\n");
}

static void print_new_layout0(const struct sb0 *sb)
{
	const char *n;

	switch (sb->level) {
	case 5:
		n = r5_layout_name(sb->new_layout);
		printf("%15s : %s\n", "New Layout", n ? n : "-unknown-");
		break;
	case 6:
		n = r6_layout_name(sb->new_layout);
		printf("%15s : %s\n", "New Layout", n ? n : "-unknown-");
		break;
	case 10:
		printf("%15s : near=%u, %s=%u\n", "New Layout", sb->new_layout & 0xff,
		       (sb->new_layout & 0x10000) ? "offset" : "far", (sb->new_layout >> 8) & 0xff);
		break;
	default:
		break;
	}
}

static void print_reshape0(const struct sb0 *sb)
{
	char hs[64];

	human_size(sb->reshape_position << 9, hs, sizeof(hs));
	printf("%15s : %llu%s\n", "Reshape pos'n",
	       (unsigned long long)(sb->reshape_position / 2), hs);
	if (sb->delta_disks)
		printf("%15s : %d (%d->%u)\n", "Delta Devices", sb->delta_disks,
		       (int)(sb->raid_disks - (uint32_t)sb->delta_disks), sb->raid_disks);
	if (sb->new_level != sb->level)
		printf("%15s : %s\n", "New Level", level_text0(sb->new_level));
	if (sb->new_layout != sb->layout)
		print_new_layout0(sb);
	/* mdadm 4.6 prints this one in bytes, without a unit */
	if (sb->new_chunk != sb->chunk_size)
		printf("%15s : %u\n", "New Chunksize", sb->new_chunk);
	printf("\n");
}

static void print_state0(const struct member0 *m)
{
	const struct sb0 *sb = &m->sb;

	print_time0("Update Time", sb->utime);
	printf("%15s : %s\n", "State", (sb->state & (1u << SB0_STATE_CLEAN)) ? "clean" : "active");
	if (m->bitmap_read)
		printf("%15s : present\n", "Internal Bitmap");
	printf("%15s : %u\n", "Active Devices", sb->active_disks);
	printf("%15s : %u\n", "Working Devices", sb->working_disks);
	printf("%15s : %u\n", "Failed Devices", sb->failed_disks);
	printf("%15s : %u\n", "Spare Devices", sb->spare_disks);
	examine_checksum_events(m->csum_ok, sb->sb_csum, m->csum_computed, sb->events);
}

static void print_geometry0(const struct sb0 *sb)
{
	char buf[64];
	const char *n;

	switch (sb->level) {
	case 5:
		n = r5_layout_name(sb->layout);
		printf("%15s : %s\n", "Layout", n ? n : "-unknown-");
		break;
	case 6:
		n = r6_layout_name(sb->layout);
		printf("%15s : %s\n", "Layout", n ? n : "-unknown-");
		break;
	case 10:
		r10_layout_text(sb->layout, buf, sizeof(buf));
		printf("%15s :%s\n", "Layout", buf);
		break;
	default:
		break;
	}
	switch (sb->level) {
	case 0: case 4: case 5: case 6: case 10:
		printf("%15s : %uK\n", "Chunk Size", sb->chunk_size / 1024);
		break;
	case -1:
		printf("%15s : %uK\n", "Rounding", sb->chunk_size / 1024);
		break;
	default:
		break;
	}
	printf("\n");
}

static void print_descriptor0(const char *label, const struct sb0_disk *dk,
			      struct devnames *dn)
{
	uint32_t state = dk->state & ~((1u << SB0_DISK_WRITEMOSTLY) | (1u << SB0_DISK_FAILFAST));
	const char *name;

	printf("%4s %5d   %5d    %5d    %5d     ", label, (int)dk->number, (int)dk->major,
	       (int)dk->minor, (int)dk->raid_disk);
	if (state & (1u << SB0_DISK_FAULTY))
		printf(" faulty");
	if (state & (1u << SB0_DISK_ACTIVE))
		printf(" active");
	if (state & (1u << SB0_DISK_SYNC))
		printf(" sync");
	if (state & (1u << SB0_DISK_REMOVED))
		printf(" removed");
	if (dk->state & (1u << SB0_DISK_WRITEMOSTLY))
		printf(" write-mostly");
	if (dk->state & (1u << SB0_DISK_FAILFAST))
		printf(" failfast");
	if (state == 0)
		printf(" spare");
	name = devnames_find(dn, dk->major, dk->minor, NULL);
	if (name)
		printf("   %s", name);
	printf("\n");
}

static void print_table0(const struct sb0 *sb, struct devnames *dn)
{
	unsigned slots = sb0_table_slots(sb);

	printf("      Number   Major   Minor   RaidDevice State\n");
	print_descriptor0("this", &sb->this_disk, dn);
	printf("\n");
	for (unsigned i = 0; i < slots && i < SB0_DISKS; i++) {
		char nb[16];

		snprintf(nb, sizeof(nb), "%4u", i);
		print_descriptor0(nb, &sb->disks[i], dn);
	}
}

void examine0_full(const struct member0 *m, const char *homehost, struct devnames *dn)
{
	printf("%s:\n", m->path);
	print_identity0(&m->sb, homehost);
	if (reshape_active0(&m->sb))
		print_reshape0(&m->sb);
	print_state0(m);
	print_geometry0(&m->sb);
	print_table0(&m->sb, dn);
}

void examine0_export(const struct member0 *m)
{
	const struct sb0 *sb = &m->sb;
	char uuid[40];

	printf("MD_LEVEL=%s\n", level_text0(sb->level));
	printf("MD_DEVICES=%u\n", sb->raid_disks);
	format_uuid0(sb, uuid, sizeof(uuid));
	printf("MD_UUID=%s\n", uuid);
	/* mdadm 4.6 reports the creation time under this name */
	printf("MD_UPDATE_TIME=%u\n", sb->ctime);
	printf("MD_EVENTS=%llu\n", (unsigned long long)sb->events);
}

void examine0_array_line(const struct sb0 *sb, bool verbose)
{
	char uuid[40];

	if (verbose)
		printf("ARRAY /dev/md%d level=%s num-devices=%u", (int)sb->md_minor,
		       level_text0(sb->level), sb->raid_disks);
	else
		printf("ARRAY /dev/md%d", (int)sb->md_minor);
	format_uuid0(sb, uuid, sizeof(uuid));
	printf(" UUID=%s\n", uuid);
}

bool examine0_is_spare(const struct sb0 *sb)
{
	return !(sb->this_disk.state & (1u << SB0_DISK_SYNC));
}

void examine0_json(struct json *j, const struct member0 *m, const char *homehost)
{
	const struct sb0 *sb = &m->sb;
	char uuid[40];

	json_obj_begin(j);
	json_kv_str(j, "device", m->path);
	json_kv_str(j, "metadata", "0.90");
	json_kv_bool(j, "big_endian", sb->big_endian);
	format_uuid0(sb, uuid, sizeof(uuid));
	json_kv_str(j, "array_uuid", uuid);
	json_kv_bool(j, "local", sb0_uuid_is_local(sb, homehost));
	json_kv_u64(j, "preferred_minor", sb->md_minor);
	json_kv_u64(j, "creation_time", sb->ctime);
	json_kv_i64(j, "level", sb->level);
	json_kv_str(j, "level_name", level_text0(sb->level));
	json_kv_u64(j, "layout", sb->layout);
	json_kv_u64(j, "chunk_size_sectors", sb->chunk_size / 512);
	json_kv_u64(j, "raid_devices", sb->raid_disks);
	json_kv_u64(j, "total_devices", sb->nr_disks);
	json_kv_u64(j, "used_dev_size_sectors", (uint64_t)sb->size * 2);
	json_kv_u64(j, "super_offset_sectors", m->sb_sector);
	json_kv_u64(j, "device_size_sectors", m->dev_sectors);
	json_kv_str(j, "state", (sb->state & (1u << SB0_STATE_CLEAN)) ? "clean" : "active");
	json_kv_u64(j, "update_time", sb->utime);
	json_kv_u64(j, "events", sb->events);
	json_checksum(j, sb->sb_csum, m->csum_computed, m->csum_ok);
	json_kv_u64(j, "this_number", sb->this_disk.number);
	json_kv_u64(j, "this_raid_disk", sb->this_disk.raid_disk);
	json_kv_u64(j, "this_state", sb->this_disk.state);
	json_kv_bool(j, "bitmap", m->bitmap_read);
	json_obj_end(j);
}
