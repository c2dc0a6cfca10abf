/* mdarray.c - the state of one md array as the kernel reports it */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "mdarray.h"
#include "mdkernel.h"
#include "util.h"

/* ---- small readers ---------------------------------------------------------- */

/* An md attribute into buf; "" (and false) when it cannot be read. */
static bool md_text(const struct sysfs *s, const char *devnm, const char *attr,
		    char *buf, size_t len)
{
	if (md_read(s, devnm, attr, buf, len, NULL) != 0) {
		buf[0] = '\0';
		return false;
	}
	return true;
}

/* "2" -> 2; "4 (3)" (a reshape: new (old)) -> *cur 4, *old 3; "" -> false */
static bool parse_pair(const char *txt, uint64_t *cur, uint64_t *old)
{
	char *end;
	unsigned long long a, b;

	if (*txt < '0' || *txt > '9')
		return false;
	errno = 0;
	a = strtoull(txt, &end, 10);
	if (errno)
		return false;
	*cur = *old = a;
	if (*end == '\0')
		return true;
	if (end[0] != ' ' || end[1] != '(' || end[2] < '0' || end[2] > '9')
		return false;
	b = strtoull(end + 2, &end, 10);
	if (errno || strcmp(end, ")") != 0)
		return false;
	*old = b;
	return true;
}

/* An attribute that is a number, or "new (old)" during a reshape. */
static uint64_t md_pair(const struct sysfs *s, const char *devnm, const char *attr,
			bool want_old)
{
	char buf[64];
	uint64_t cur = 0, old = 0;

	if (!md_text(s, devnm, attr, buf, sizeof(buf)) || !parse_pair(buf, &cur, &old))
		return 0;
	return want_old ? old : cur;
}

struct name_level {
	const char *name;
	int level;
};

/* every spelling mdadm accepts for a personality */
static const struct name_level level_names[] = {
	{ "linear", -1 }, { "raid0", 0 }, { "0", 0 }, { "stripe", 0 },
	{ "raid1", 1 }, { "1", 1 }, { "mirror", 1 }, { "raid4", 4 }, { "4", 4 },
	{ "raid5", 5 }, { "5", 5 }, { "multipath", -4 }, { "mp", -4 },
	{ "raid6", 6 }, { "6", 6 }, { "raid10", 10 }, { "10", 10 },
	{ "faulty", -5 }, { "container", -100 },
};

bool md_level_from_name(const char *name, int *level)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (strcmp(level_names[i].name, name) == 0) {
			*level = level_names[i].level;
			return true;
		}
	return false;
}

/* "none", "1.2", "external:/md127/0" */
static void parse_metadata(struct md_array *a)
{
	int maj, min;

	a->meta_major = a->meta_minor = -1;
	if (strncmp(a->metadata, "external:", 9) == 0)
		a->meta_minor = -2;
	else if (sscanf(a->metadata, "%d.%d", &maj, &min) == 2) {
		a->meta_major = maj;
		a->meta_minor = min;
	}
}

/* ---- the lockless bitmap ---------------------------------------------------- */

static void load_llb_bits(const struct sysfs *s, const char *devnm, struct md_llbitmap *l)
{
	(void)md_get_llb_bits(s, devnm, &l->bits, NULL);   /* what it understood is shown */
}

static void load_llb_metadata(const struct sysfs *s, const char *devnm, struct md_llbitmap *l)
{
	char buf[512], *save = NULL, *line;
	unsigned seen = 0;

	if (!md_text(s, devnm, "llbitmap/metadata", buf, sizeof(buf)))
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char key[32];
		unsigned long long v;

		if (sscanf(line, "%31s %llu", key, &v) != 2)
			continue;
		if (strcmp(key, "chunksize") == 0) {
			l->chunk_sectors = v;
			seen++;
		} else if (strcmp(key, "chunks") == 0) {
			l->chunks = v;
			seen++;
		} else if (strcmp(key, "offset") == 0)
			l->offset = v;
		else if (strcmp(key, "daemon_sleep") == 0)
			l->meta_daemon_sleep = v;
	}
	l->meta_ok = seen == 2;
}

static void load_llbitmap(const struct sysfs *s, const char *devnm, struct md_llbitmap *l)
{
	memset(l, 0, sizeof(*l));
	load_llb_bits(s, devnm, l);
	load_llb_metadata(s, devnm, l);
	l->has_daemon_sleep = md_read_u64(s, devnm, "llbitmap/daemon_sleep", &l->daemon_sleep,
					  NULL) == 0;
	l->has_barrier_idle = md_read_u64(s, devnm, "llbitmap/barrier_idle", &l->barrier_idle,
					  NULL) == 0;
}

/* Which bitmap is attached: md/llbitmap/ for the lockless one, otherwise
 * md/bitmap/location ("+8", "-24", "file", "none"). */
static void load_bitmap(const struct sysfs *s, struct md_array *a)
{
	char buf[64];

	char meta[32];
	struct bitmap_type_list types;

	if (md_text(s, a->devnm, "bitmap_type", buf, sizeof(buf))) {
		(void)bitmap_type_parse(buf, &types, NULL);
		snprintf(a->bitmap_type, sizeof(a->bitmap_type), "%s", types.current_word);
	}
	a->bitmap = BITMAP_KIND_NONE;
	if (md_has(s, a->devnm, "llbitmap")) {
		a->bitmap = BITMAP_KIND_LOCKLESS;
		load_llbitmap(s, a->devnm, &a->llb);
		return;
	}
	if (!md_text(s, a->devnm, "bitmap/location", buf, sizeof(buf)))
		return;
	a->bitmap = bitmap_kind_from_location(buf, NULL);
	/* md-cluster shows only in the classic bitmap's metadata word */
	if (a->bitmap == BITMAP_KIND_CLASSIC && md_text(s, a->devnm, "bitmap/metadata", meta, sizeof(meta)))
		a->bitmap = bitmap_kind_from_location(buf, meta);
}

/* ---- members ---------------------------------------------------------------- */

struct state_word {
	const char *word;
	unsigned flag;
};

static const struct state_word state_words[] = {
	{ "faulty", MDM_FAULTY }, { "in_sync", MDM_IN_SYNC }, { "journal", MDM_JOURNAL },
	{ "write_mostly", MDM_WRITE_MOSTLY }, { "failfast", MDM_FAILFAST },
	{ "spare", MDM_SPARE }, { "replacement", MDM_REPLACEMENT },
	{ "want_replacement", MDM_WANT_REPLACEMENT }, { "blocked", MDM_BLOCKED },
	{ "write_error", MDM_WRITE_ERROR },
};

/* "in_sync,write_mostly" */
static unsigned parse_state_words(char *txt)
{
	char *save = NULL, *w;
	unsigned flags = 0;

	for (w = strtok_r(txt, ", \n", &save); w; w = strtok_r(NULL, ", \n", &save))
		for (size_t i = 0; i < sizeof(state_words) / sizeof(state_words[0]); i++)
			if (strcmp(w, state_words[i].word) == 0)
				flags |= state_words[i].flag;
	return flags;
}

static int member_rel(char *rel, size_t len, const char *devnm, const char *sysname,
		      const char *attr)
{
	return (size_t)snprintf(rel, len, "block/%s/md/%s/%s", devnm, sysname, attr) >= len ? -1 : 0;
}

/* Fill one member. Returns false for members mdadm skips: gone (no
 * readable block/dev) or whose device is offline. */
static bool load_member(const struct sysfs *s, const char *devnm, const char *sysname,
			struct md_member *m)
{
	char rel[PATH_MAX], buf[128];
	uint64_t v;

	memset(m, 0, sizeof(*m));
	snprintf(m->sysname, sizeof(m->sysname), "%s", sysname);
	snprintf(m->kname, sizeof(m->kname), "%s", sysname + 4);
	m->number = -1;
	m->slot = -1;
	if (member_rel(rel, sizeof(rel), devnm, sysname, "block/dev") ||
	    sysfs_read(s, rel, buf, sizeof(buf), NULL) != 0 ||
	    sscanf(buf, "%u:%u", &m->major, &m->minor) != 2)
		return false;
	if (member_rel(rel, sizeof(rel), devnm, sysname, "block/device/state") == 0 &&
	    sysfs_read(s, rel, buf, sizeof(buf), NULL) == 0 && strncmp(buf, "offline", 7) == 0)
		return false;
	if (member_rel(rel, sizeof(rel), devnm, sysname, "slot") == 0 &&
	    sysfs_read(s, rel, buf, sizeof(buf), NULL) == 0 && parse_u64(buf, &v) &&
	    v <= INT_MAX)
		m->slot = (int)v;
	if (member_rel(rel, sizeof(rel), devnm, sysname, "state") == 0 &&
	    sysfs_read(s, rel, buf, sizeof(buf), NULL) == 0)
		m->flags = parse_state_words(buf);
	return true;
}

static int load_members(const struct sysfs *s, struct md_array *a, const struct mdstat_array *ms,
			struct diag *d)
{
	char (*names)[SYSFS_NAME_MAX] = malloc(MDA_MAX_MEMBERS * sizeof(*names));
	char rel[PATH_MAX];
	size_t n = 0;

	if (!names)
		return diag_fail(d, "out of memory");
	snprintf(rel, sizeof(rel), "block/%s/md", a->devnm);
	if (sysfs_list_dir(s, rel, "dev-", names, MDA_MAX_MEMBERS, &n, d) != 0) {
		free(names);
		return -1;
	}
	a->members = calloc(n ? n : 1, sizeof(*a->members));
	if (!a->members) {
		free(names);
		return diag_fail(d, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct md_member *m = &a->members[a->nmembers];
		const struct mdstat_member *sm;

		if (!load_member(s, a->devnm, names[i], m))
			continue;
		sm = ms ? mdstat_find_member(ms, m->kname) : NULL;
		if (sm)
			m->number = sm->number;
		a->nmembers++;
	}
	free(names);
	return 0;
}

/* ---- the array ------------------------------------------------------------- */

static void load_geometry(const struct sysfs *s, struct md_array *a)
{
	char rel[PATH_MAX], buf[64];

	md_text(s, a->devnm, "level", a->level_text, sizeof(a->level_text));
	a->level_known = md_level_from_name(a->level_text, &a->level);
	a->raid_disks = (unsigned)md_pair(s, a->devnm, "raid_disks", false);
	a->layout = (uint32_t)md_pair(s, a->devnm, "layout", true);
	a->new_layout = (uint32_t)md_pair(s, a->devnm, "layout", false);
	/* an array built without a layout (--build) shows the kernel's -1 */
	if (md_text(s, a->devnm, "layout", buf, sizeof(buf)) && strcmp(buf, "-1") == 0)
		a->layout = UINT32_MAX;
	a->chunk_bytes = md_pair(s, a->devnm, "chunk_size", true);
	a->new_chunk_bytes = md_pair(s, a->devnm, "chunk_size", false);
	a->has_component = md_get_component_kib(s, a->devnm, &a->component_kib, NULL) == 0;
	snprintf(rel, sizeof(rel), "block/%s/size", a->devnm);
	if (sysfs_read(s, rel, buf, sizeof(buf), NULL) != 0 || !parse_u64(buf, &a->size_sectors))
		a->size_sectors = 0;
}

static void load_state(const struct sysfs *s, struct md_array *a)
{
	enum md_array_state st;
	bool known;

	md_text(s, a->devnm, "array_state", a->array_state, sizeof(a->array_state));
	known = md_array_state_parse(a->array_state, &st) == 0;
	a->active = known && md_array_state_active(st);
	a->in_sync = known && md_array_state_in_sync(st);
	a->has_policy = md_text(s, a->devnm, "consistency_policy", a->policy, sizeof(a->policy));
	md_text(s, a->devnm, "sync_action", a->sync_action, sizeof(a->sync_action));
	a->has_degraded = md_read_u64(s, a->devnm, "degraded", &a->degraded, NULL) == 0;
}

int md_array_load(const struct sysfs *s, const struct mdstat *ms, const char *devnm,
		  struct md_array *a, struct diag *d)
{
	const struct mdstat_array *e = ms ? mdstat_find(ms, devnm) : NULL;

	memset(a, 0, sizeof(*a));
	snprintf(a->devnm, sizeof(a->devnm), "%s", devnm);
	if (md_read(s, devnm, "metadata_version", a->metadata, sizeof(a->metadata), d) != 0)
		return -1;
	parse_metadata(a);
	load_geometry(s, a);
	load_state(s, a);
	load_bitmap(s, a);
	if (e) {
		a->in_mdstat = true;
		a->sync = e->sync;
		if (e->bitmap.has_file)
			snprintf(a->bitmap_file, sizeof(a->bitmap_file), "%s", e->bitmap.file);
	}
	return load_members(s, a, e, d);
}

void md_array_free(struct md_array *a)
{
	free(a->members);
	a->members = NULL;
	a->nmembers = 0;
}

/* ---- names ----------------------------------------------------------------- */

/* A fake tree: <dev root>/mdX as a plain file stands for md device mdX. */
static bool fake_md_node(const struct sysfs *s, const char *path, char *devnm, size_t len)
{
	char real[PATH_MAX], root[PATH_MAX];
	const char *base;
	size_t rl;

	if (!realpath(path, real) || !realpath(s->dev_root, root))
		return false;
	rl = strlen(root);
	base = strrchr(real, '/');
	if (!base || (size_t)(base - real) != rl || strncmp(real, root, rl) != 0 ||
	    strncmp(base + 1, "md", 2) != 0 || !md_present(s, base + 1))
		return false;
	snprintf(devnm, len, "%s", base + 1);
	return true;
}

enum md_resolve md_resolve_path(const struct sysfs *s, const char *path, char *devnm,
				size_t len, int *err)
{
	char kname[SYSFS_NAME_MAX];
	struct stat st;
	dev_t rdev;

	*err = 0;
	if (stat(path, &st) != 0) {
		*err = errno;
		return MD_RESOLVE_MISSING;
	}
	if (!S_ISBLK(st.st_mode))
		return fake_md_node(s, path, devnm, len) ? MD_RESOLVE_MD : MD_RESOLVE_NOT_MD;
	if (blockdev_identify(path, kname, sizeof(kname), &rdev, s, NULL) != 0 ||
	    !md_present(s, kname))
		return MD_RESOLVE_NOT_MD;
	snprintf(devnm, len, "%s", kname);
	return MD_RESOLVE_MD;
}

enum md_resolve md_resolve_name(const struct sysfs *s, const char *given, char *devnm,
				size_t len, int *err)
{
	char path[PATH_MAX];
	enum md_resolve r;

	if (strchr(given, '/'))
		return md_resolve_path(s, given, devnm, len, err);
	if (*given && md_present(s, given) && strlen(given) < len) {
		*err = 0;
		snprintf(devnm, len, "%s", given);
		return MD_RESOLVE_MD;
	}
	/* an array name stands for its /dev/md/ link, as for mdadm 4.6 */
	if (snprintf(path, sizeof(path), "%s/md/%s", s->dev_root, given) < (int)sizeof(path)) {
		r = md_resolve_path(s, path, devnm, len, err);
		if (r != MD_RESOLVE_MISSING)
			return r;
	}
	if (snprintf(path, sizeof(path), "%s/%s", s->dev_root, given) >= (int)sizeof(path)) {
		*err = ENAMETOOLONG;
		return MD_RESOLVE_MISSING;
	}
	return md_resolve_path(s, path, devnm, len, err);
}

int md_find_array(const struct sysfs *s, const char *given, char *devnm, size_t len,
		  struct diag *d)
{
	int err = 0;

	switch (md_resolve_name(s, given, devnm, len, &err)) {
	case MD_RESOLVE_MD:
		return 0;
	case MD_RESOLVE_MISSING:
		return diag_errno(d, err, "error opening %s: %s", given, strerror(err));
	default:
		return diag_errno(d, ENODEV, "%s does not appear to be an md device", given);
	}
}

void md_member_node(const struct sysfs *s, const struct md_member *m, char *buf, size_t len)
{
	struct stat st;

	snprintf(buf, len, "%s/%s", s->dev_root, m->kname);
	if (stat(buf, &st) != 0)
		buf[0] = '\0';
	else if (S_ISBLK(st.st_mode) &&
		 (major(st.st_rdev) != m->major || minor(st.st_rdev) != m->minor))
		buf[0] = '\0';
}
