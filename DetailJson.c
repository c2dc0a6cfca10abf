/* DetailJson.c - --detail --json: one object per array with everything the
 * text report shows, in plain units, plus the kernel's raw words. */
#include <string.h>

#include "detail.h"
#include "util.h"

static void json_kv_str_or_null(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	if (v)
		json_str(j, v);
	else
		json_null(j);
}

static void json_sync(struct json *j, const struct md_array *a)
{
	const struct mdstat_progress *p = &a->sync;
	static const char *const waits[] = { "", "pending", "delayed", "remote" };

	json_key(j, "sync");
	if (p->kind == MDSTAT_SYNC_NONE) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kv_str(j, "action", mdstat_sync_name(p->kind));
	if (p->wait != MDSTAT_WAIT_NONE)
		json_kv_str(j, "waiting", waits[p->wait]);
	if (p->has_percent) {
		json_kv_i64(j, "percent", mdstat_percent(p));
		json_kv_u64(j, "permille", p->permille);
	}
	if (p->has_counts) {
		json_kv_u64(j, "done_kib", p->done);
		json_kv_u64(j, "total_kib", p->total);
	}
	if (p->has_finish)
		json_kv_u64(j, "finish_seconds", p->finish_tenths * 6);
	if (p->has_speed)
		json_kv_u64(j, "speed_kib_per_second", p->speed_kib);
	json_obj_end(j);
}

static void json_llbitmap(struct json *j, const struct md_llbitmap *l)
{
	if (l->meta_ok) {
		json_kv_u64(j, "chunk_bytes", l->chunk_sectors * 512);
		json_kv_u64(j, "chunks", l->chunks);
		json_kv_u64(j, "offset_sectors", l->offset);
	}
	if (l->has_daemon_sleep)
		json_kv_u64(j, "daemon_sleep", l->daemon_sleep);
	if (l->has_barrier_idle)
		json_kv_u64(j, "barrier_idle", l->barrier_idle);
	json_key(j, "states");
	if (!l->bits.ok) {
		json_null(j);
		if (l->bits.text[0])
			json_kv_str(j, "states_text", l->bits.text);
		return;
	}
	json_obj_begin(j);
	for (unsigned st = 0; st < l->bits.nstates && st < LLB_NR_STATES; st++)
		json_kv_u64(j, llb_state_key(st), l->bits.count[st]);
	json_obj_end(j);
}

static void json_bitmap(struct json *j, const struct detail *dt)
{
	enum bitmap_kind k = detail_bitmap_kind(dt);

	json_key(j, "bitmap");
	if (k == BITMAP_KIND_NONE) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kv_str(j, "type", bitmap_kind_name(k));
	if (dt->a.bitmap_type[0])
		json_kv_str(j, "kernel_type", dt->a.bitmap_type);
	if (k == BITMAP_KIND_FILE && dt->a.bitmap_file[0])
		json_kv_str(j, "file", dt->a.bitmap_file);
	if (k == BITMAP_KIND_LOCKLESS && !dt->inactive)
		json_llbitmap(j, &dt->a.llb);
	json_obj_end(j);
}

static void json_identity(struct json *j, struct detail_run *r, const struct detail *dt)
{
	const struct sb1 *sb = &dt->sb.sb;
	char name[33], uuid[40];

	if (!dt->have_sb) {
		json_key(j, "array_uuid");
		json_null(j);
		return;
	}
	detail_sb_name(sb, name);
	json_key(j, "name");      /* as on disk: JSON escapes what it must */
	json_strn(j, (const char *)sb->set_name, sizeof(sb->set_name));
	json_kv_bool(j, "local", dt->v090 ? sb0_uuid_is_local(&dt->sb0.sb, r->homehost) :
					    policy_name_is_local(name, r->homehost));
	format_uuid(dt->uuid, uuid, sizeof(uuid));
	json_kv_str(j, "array_uuid", uuid);
	json_kv_u64(j, "events", sb->events);
	json_kv_u64(j, "creation_time", sb1_time_seconds(sb->ctime));
	json_kv_u64(j, "update_time", sb1_time_seconds(sb->utime));
	json_kv_bool(j, "reshape_active", sb->feature_map & SB1_FEAT_RESHAPE_ACTIVE);
}

static void json_row_state(struct json *j, const struct disk_row *row, unsigned raid_disks)
{
	static const struct { unsigned bit; const char *word; } words[] = {
		{ DS_FAULTY, "faulty" }, { DS_ACTIVE, "active" }, { DS_SYNC, "sync" },
		{ DS_REMOVED, "removed" }, { DS_WRITEMOSTLY, "writemostly" },
		{ DS_FAILFAST, "failfast" }, { DS_JOURNAL, "journal" },
	};

	json_key(j, "state");
	json_arr_begin(j);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (row->state & words[i].bit)
			json_str(j, words[i].word);
	if (!(row->state & (DS_ACTIVE | DS_SYNC | DS_REMOVED | DS_FAULTY | DS_JOURNAL))) {
		json_str(j, "spare");
		if (row->raid_disk >= 0 && (unsigned)row->raid_disk < raid_disks)
			json_str(j, "rebuilding");
	}
	json_arr_end(j);
}

static void json_row(struct json *j, struct detail_run *r, const struct detail *dt,
		     const struct disk_row *row)
{
	json_obj_begin(j);
	json_key(j, "number");
	if (row->number >= 0)
		json_i64(j, row->number);
	else
		json_null(j);
	json_kv_u64(j, "major", row->major);
	json_kv_u64(j, "minor", row->minor);
	json_key(j, "raid_device");
	if (row->raid_disk >= 0 && !(row->state & DS_JOURNAL))
		json_i64(j, row->raid_disk);
	else
		json_null(j);
	json_row_state(j, row, dt->a.raid_disks);
	json_kv_str_or_null(j, "device", detail_dev_name(r, row));
	json_kv_str_or_null(j, "kernel_name", row->m ? row->m->kname : NULL);
	json_obj_end(j);
}

static void json_rows(struct json *j, struct detail_run *r, const struct detail *dt)
{
	size_t slots = (size_t)dt->a.raid_disks * 2;

	json_key(j, "members");
	json_arr_begin(j);
	for (size_t i = 0; i < dt->nrows; i++)
		if (dt->rows[i].m || (i < slots && !(i & 1)))
			json_row(j, r, dt, &dt->rows[i]);
	json_arr_end(j);
}

static void json_geometry(struct json *j, const struct detail *dt)
{
	const struct md_array *a = &dt->a;

	json_key(j, "level");
	if (dt->a.level_known)
		json_i64(j, dt->a.level);
	else
		json_null(j);
	json_kv_str_or_null(j, "level_name", dt->level_str);
	json_kv_u64(j, "raid_devices", a->raid_disks);
	json_kv_u64(j, "total_devices", dt->nr);
	json_kv_u64(j, "active_devices", dt->active);
	json_kv_u64(j, "working_devices", dt->working);
	json_kv_u64(j, "failed_devices", dt->failed);
	json_kv_u64(j, "spare_devices", dt->spare);
	json_kv_u64(j, "array_size_sectors", a->size_sectors);
	json_kv_u64(j, "used_dev_size_sectors", a->component_kib * 2);
	if (!dt->inactive) {
		json_kv_u64(j, "layout", a->layout);
		json_kv_u64(j, "chunk_size_sectors", a->chunk_bytes / 512);
	}
}

static void json_state(struct json *j, const struct detail *dt)
{
	char st[256];

	json_kv_bool(j, "active", !dt->inactive);
	json_kv_str(j, "array_state", dt->a.array_state);
	if (dt->a.raid_disks) {
		detail_state_text(dt, st, sizeof(st));
		json_kv_str(j, "state", st);
	} else {
		json_kv_str(j, "state", "inactive");
	}
	json_kv_bool(j, "degraded", dt->avail_disks < dt->a.raid_disks);
	json_kv_bool(j, "runnable", detail_enough(dt));
	if (dt->a.has_policy)
		json_kv_str(j, "consistency_policy", dt->a.policy);
	if (dt->a.sync_action[0])
		json_kv_str(j, "sync_action", dt->a.sync_action);
}

void detail_json(struct detail_run *r, const struct detail *dt)
{
	struct json *j = &r->j;

	json_obj_begin(j);
	json_kv_str(j, "device", dt->path);
	json_kv_str(j, "kernel_name", dt->a.devnm);
	json_kv_str(j, "metadata", dt->a.metadata);
	json_geometry(j, dt);
	json_state(j, dt);
	json_sync(j, &dt->a);
	json_bitmap(j, dt);
	json_identity(j, r, dt);
	if (!r->no_devices)
		json_rows(j, r, dt);
	json_obj_end(j);
}
