/* bitmap_kind.c - the bitmap kinds md knows, as one table */
#include <stdio.h>
#include <string.h>

#include "bitmap.h"
#include "bitmap_kind.h"
#include "llbitmap.h"

#define PAGE_BYTES 4096u
#define CLASSIC_ALL_DIRTY 0xffu
#define CLASSIC_ALL_CLEAN 0x00u

struct bitmap_kind_info {
	const char *name;          /* --bitmap=, --detail Bitmap Type, --json */
	const char *sysfs;         /* md/bitmap_type */
	const char *intent;        /* --detail Intent Bitmap; NULL: none / the path */
	const char *refusal;       /* why --bitmap= cannot make it; NULL: creatable */
	uint32_t version;          /* bitmap superblock version written */
	uint32_t min_version, max_version;   /* versions read */
};

static const struct bitmap_kind_info kinds[BITMAP_KIND_NR] = {
	[BITMAP_KIND_NONE] = { "none", "none", NULL, NULL, 0, 0, 0 },
	[BITMAP_KIND_CLASSIC] = { "internal", "bitmap", "Internal", NULL,
				  BITMAP_MAJOR_HI, BITMAP_MAJOR_LO, BITMAP_MAJOR_CLUSTERED },
	[BITMAP_KIND_LOCKLESS] = { "lockless", "llbitmap", "Internal", NULL,
				   BITMAP_MAJOR_LOCKLESS, BITMAP_MAJOR_LOCKLESS,
				   BITMAP_MAJOR_LOCKLESS },
	[BITMAP_KIND_CLUSTERED] = { "clustered", "bitmap", "Internal(Clustered)",
				    "clustered bitmaps (md-cluster) are not supported by this mdadm",
				    BITMAP_MAJOR_CLUSTERED, BITMAP_MAJOR_LO,
				    BITMAP_MAJOR_CLUSTERED },
	[BITMAP_KIND_FILE] = { "file", "bitmap", NULL,
			       "Custom write-intent bitmap file option is not supported.",
			       BITMAP_MAJOR_HI, BITMAP_MAJOR_LO, BITMAP_MAJOR_CLUSTERED },
};

static const struct bitmap_kind_info *info(enum bitmap_kind k)
{
	return (unsigned)k < BITMAP_KIND_NR ? &kinds[k] : NULL;
}

const char *bitmap_kind_name(enum bitmap_kind k)
{
	return info(k) ? info(k)->name : "?";
}

const char *bitmap_kind_sysfs_name(enum bitmap_kind k)
{
	return info(k) ? info(k)->sysfs : "?";
}

const char *bitmap_kind_intent_text(enum bitmap_kind k)
{
	return info(k) ? info(k)->intent : NULL;
}

bool bitmap_kind_creatable(enum bitmap_kind k)
{
	return info(k) && !info(k)->refusal;
}

/* "'none', 'internal' or 'lockless'" from the creatable rows */
static void creatable_list(char *buf, size_t len)
{
	unsigned total = 0, seen = 0;
	size_t used = 0;

	for (unsigned i = 0; i < BITMAP_KIND_NR; i++)
		total += bitmap_kind_creatable((enum bitmap_kind)i);
	buf[0] = '\0';
	for (unsigned i = 0; i < BITMAP_KIND_NR && used < len; i++) {
		if (!bitmap_kind_creatable((enum bitmap_kind)i))
			continue;
		seen++;
		used += (size_t)snprintf(buf + used, len - used, "%s'%s'",
					 seen == 1 ? "" : seen == total ? " or " : ", ",
					 kinds[i].name);
	}
}

int bitmap_kind_parse(const char *s, enum bitmap_kind *k, struct diag *d)
{
	char list[96];

	/* a path names a bitmap file */
	if (strchr(s, '/'))
		return diag_fail(d, "%s", kinds[BITMAP_KIND_FILE].refusal);
	for (unsigned i = 0; i < BITMAP_KIND_NR; i++) {
		if (i == BITMAP_KIND_FILE || strcmp(s, kinds[i].name) != 0)
			continue;
		if (kinds[i].refusal)
			return diag_fail(d, "%s", kinds[i].refusal);
		*k = (enum bitmap_kind)i;
		return 0;
	}
	creatable_list(list, sizeof(list));
	return diag_fail(d, "--bitmap value must be %s, not \"%s\"", list, s);
}

int bitmap_kind_from_sysfs_word(const char *w, unsigned long n)
{
	/* the first row with the word: "bitmap" is the classic kind */
	for (unsigned i = 0; i < BITMAP_KIND_NR; i++)
		if (strlen(kinds[i].sysfs) == n && strncmp(w, kinds[i].sysfs, n) == 0)
			return (int)i;
	return -1;
}

/* the kinds md/bitmap_type can list and select */
static bool selectable(int k)
{
	return k == BITMAP_KIND_NONE || k == BITMAP_KIND_CLASSIC || k == BITMAP_KIND_LOCKLESS;
}

static void note_current(struct bitmap_type_list *l, const char *w, size_t n, int k)
{
	l->current = selectable(k) ? k : -1;
	snprintf(l->current_word, sizeof(l->current_word), "%.*s",
		 (int)(n < sizeof(l->current_word) ? n : sizeof(l->current_word) - 1), w);
}

int bitmap_type_parse(const char *text, struct bitmap_type_list *l, struct diag *d)
{
	const char *p = text;

	memset(l, 0, sizeof(*l));
	l->current = -1;
	while (*p) {
		bool bracket = false;
		size_t n;
		int k;

		p += strspn(p, " \t\n");
		if (!*p)
			break;
		if (*p == '[') {
			bracket = true;
			p++;
		}
		n = strcspn(p, " \t\n]");
		k = bitmap_kind_from_sysfs_word(p, n);
		if (selectable(k))
			l->offered[k] = true;
		if (bracket)
			note_current(l, p, n, k);
		p += n;
		if (*p == ']')
			p++;
	}
	if (!l->offered[BITMAP_KIND_NONE] && !l->offered[BITMAP_KIND_CLASSIC])
		return diag_fail(d, "unexpected md/bitmap_type contents \"%s\"", text);
	return 0;
}

enum bitmap_kind bitmap_kind_of_version(uint32_t version)
{
	return bitmap_kind_reads_version(BITMAP_KIND_LOCKLESS, version) ? BITMAP_KIND_LOCKLESS
									: BITMAP_KIND_CLASSIC;
}

uint32_t bitmap_kind_version(enum bitmap_kind k)
{
	return info(k) ? info(k)->version : 0;
}

bool bitmap_kind_reads_version(enum bitmap_kind k, uint32_t version)
{
	const struct bitmap_kind_info *i = info(k);

	return i && i->version && version >= i->min_version && version <= i->max_version;
}

enum bitmap_kind bitmap_kind_from_location(const char *location, const char *metadata)
{
	if (strncmp(location, "file", 4) == 0)
		return BITMAP_KIND_FILE;
	if (location[0] != '+' && location[0] != '-')
		return BITMAP_KIND_NONE;
	if (metadata && strcmp(metadata, "clustered") == 0)
		return BITMAP_KIND_CLUSTERED;
	return BITMAP_KIND_CLASSIC;
}

/* ---- new bitmaps ---------------------------------------------------------------- */

uint32_t bitmap_kind_new_array_flags(enum bitmap_kind k, bool assume_clean)
{
	if (k != BITMAP_KIND_LOCKLESS)
		return 0;
	/* the kernel initialises the states itself; CLEAN tells it the
	 * members already agree */
	return BITMAP_STATE_FIRST_USE | (assume_clean ? BITMAP_STATE_CLEAN : 0);
}

uint8_t bitmap_kind_new_array_fill(enum bitmap_kind k, bool assume_clean)
{
	if (k == BITMAP_KIND_LOCKLESS)
		/* what the kernel itself writes at first use (it may instead
		 * zero a raid4/5/6 and use CleanUnwritten, which it decides) */
		return llb_first_use_state(assume_clean, false);
	return assume_clean ? CLASSIC_ALL_CLEAN : CLASSIC_ALL_DIRTY;
}

uint32_t bitmap_kind_new_member_flags(enum bitmap_kind k, uint32_t working_flags)
{
	/* FIRST_USE would make the kernel initialise the states from the
	 * flags instead of reading them (other kinds ignore the flag) */
	(void)k;
	return working_flags & ~(uint32_t)BITMAP_STATE_FIRST_USE;
}

uint8_t bitmap_kind_new_member_fill(enum bitmap_kind k)
{
	return k == BITMAP_KIND_LOCKLESS ? LLB_NEED_SYNC : CLASSIC_ALL_DIRTY;
}

/* ---- room on disk ------------------------------------------------------------------ */

static uint64_t round_up(uint64_t x, uint64_t m)
{
	return (x + m - 1) / m * m;
}

uint64_t bitmap_llb_extent(uint32_t space)
{
	return round_up(LLBITMAP_DATA_OFFSET + (uint64_t)space * 512, PAGE_BYTES) / 512;
}

uint64_t bitmap_extent_of(const struct bitmap_sb *sb)
{
	if (bitmap_kind_of_version(sb->version) == BITMAP_KIND_LOCKLESS)
		return bitmap_llb_extent(sb->sectors_reserved);
	return bitmap_upstream_area_bytes(sb, PAGE_BYTES) / 512;
}

uint64_t bitmap_classic_extent(uint64_t sync_sectors, uint64_t chunk_bytes)
{
	uint64_t bits = sync_sectors * 512 / chunk_bytes + 1;

	return round_up((bits + 7) / 8 + BITMAP_SB_SIZE, PAGE_BYTES) / 512;
}

bool bitmap_kind_level_allows(int level)
{
	return level == 1 || level == 4 || level == 5 || level == 6 || level == 10;
}
