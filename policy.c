/* policy.c - array policy: enough members, homehost, md names (no I/O) */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "policy.h"

/* ---- enough members to run ------------------------------------------------- */

/* A raid10 layout word: near copies in the low byte, far copies in the
 * next; bit 16 (offset) and bit 17 (far sets) do not change which slots
 * hold a chunk's copies as far as running is concerned. */
static bool raid10_enough(unsigned raid_disks, uint32_t layout, const bool *present)
{
	unsigned near = layout & 0xff, far = (layout >> 8) & 0xff;
	unsigned copies = near * far, first = 0;

	if (copies == 0 || copies > raid_disks)
		return false;
	do {
		bool covered = false;

		for (unsigned k = 0; k < copies && !covered; k++)
			covered = present[(first + k) % raid_disks];
		if (!covered)
			return false;
		first = (first + near) % raid_disks;
	} while (first != 0);
	return true;
}

bool policy_enough(int level, unsigned raid_disks, uint32_t layout, const bool *slot_present)
{
	unsigned have = 0;

	if (raid_disks == 0)
		return false;
	for (unsigned i = 0; i < raid_disks; i++)
		have += slot_present[i];
	switch (level) {
	case -1:                                   /* linear */
	case 0:
		return have == raid_disks;
	case 1:
	case -4:                                   /* multipath */
		return have > 0;
	case 4:
	case 5:
		return have + 1 >= raid_disks;
	case 6:
		return have + 2 >= raid_disks;
	case 10:
		return raid10_enough(raid_disks, layout, slot_present);
	default:
		return false;
	}
}

/* ---- --assemble --force ------------------------------------------------- */

/* Slots the up-to-date members fill; false when one lies outside. */
static void filled_slots(const struct force_member *m, size_t n, unsigned raid_disks,
			 bool *present)
{
	memset(present, 0, raid_disks * sizeof(*present));
	for (size_t i = 0; i < n; i++)
		if (m[i].uptodate && m[i].slot >= 0 && (unsigned)m[i].slot < raid_disks)
			present[m[i].slot] = true;
}

static bool forceable(const struct force_member *m, unsigned raid_disks, const bool *present)
{
	return !m->uptodate && !m->recovering && m->slot >= 0 &&
	       (unsigned)m->slot < raid_disks && !present[m->slot];
}

/* the forceable member with the most events, or n */
static size_t freshest_stale(const struct force_member *m, size_t n, unsigned raid_disks,
			     const bool *present)
{
	size_t best = n;

	for (size_t i = 0; i < n; i++)
		if (forceable(&m[i], raid_disks, present) &&
		    (best == n || m[i].events > m[best].events))
			best = i;
	return best;
}

unsigned policy_force_stale(int level, unsigned raid_disks, uint32_t layout,
			    struct force_member *m, size_t n)
{
	bool present[POLICY_MAX_SLOTS];
	unsigned forced = 0;

	if (raid_disks == 0 || raid_disks > POLICY_MAX_SLOTS)
		return 0;
	for (;;) {
		size_t pick;
		uint64_t vintage;

		filled_slots(m, n, raid_disks, present);
		if (policy_enough(level, raid_disks, layout, present))
			return forced;
		pick = freshest_stale(m, n, raid_disks, present);
		if (pick == n)
			return forced;
		vintage = m[pick].events;
		/* the others of that vintage cannot hurt and may help */
		for (size_t i = pick; i < n; i++) {
			if (m[i].events != vintage || !forceable(&m[i], raid_disks, present))
				continue;
			m[i].uptodate = m[i].forced = true;
			present[m[i].slot] = true;
			forced++;
		}
	}
}

bool policy_force_marks_clean(int level, unsigned raid_disks, unsigned active)
{
	switch (level) {
	case 4:
	case 5:
		return active < raid_disks;
	case 6:
		return active + 1 < raid_disks;
	default:
		return false;
	}
}

/* ---- homehost ---------------------------------------------------------------- */

void policy_homehost(struct homehost_policy *hp, const char *cmdline_value,
		     const char *conf_value, const char *system_name)
{
	const char *src = cmdline_value;

	hp->require = true;
	hp->name[0] = '\0';
	if (src && strcasecmp(src, "<ignore>") == 0) {
		hp->require = false;
		src = NULL;
	} else if (!src && conf_value && conf_value[0]) {
		if (strcasecmp(conf_value, "<ignore>") == 0)
			hp->require = false;
		else
			src = conf_value;
	}
	if (!src || strcasecmp(src, "<system>") == 0) {
		snprintf(hp->name, sizeof(hp->name), "%s", system_name ? system_name : "");
	} else if (!*src || strcasecmp(src, "<none>") == 0) {
		hp->require = false;
	} else {
		snprintf(hp->name, sizeof(hp->name), "%s", src);
	}
}

bool policy_name_is_local(const char *name, const char *homehost)
{
	size_t l = strlen(homehost);

	return l > 0 && l < 32 && strncmp(name, homehost, l) == 0 && name[l] == ':';
}

/* ---- md names ---------------------------------------------------------------- */

static bool all_digits(const char *s)
{
	return *s && s[strspn(s, "0123456789")] == '\0';
}

static int set_devnm(struct md_name *n, const char *prefix, const char *rest,
		     const char *given, struct diag *d)
{
	if (strlen(prefix) + strlen(rest) >= sizeof(n->devnm))
		return diag_fail(d, "%s is too long a name for an md device", given);
	snprintf(n->devnm, sizeof(n->devnm), "%s%s", prefix, rest);
	return 0;
}

/* X in /dev/md/X, or a bare X that is not a kernel name */
static int md_dir_name(const char *x, const char *given, struct md_name *n, struct diag *d)
{
	if (!*x || strchr(x, '/'))
		return diag_fail(d, "%s is not a valid array name", given);
	if (strlen(x) + 8 >= sizeof(n->link))
		return diag_fail(d, "%s is too long a name for an md device", given);
	snprintf(n->name, sizeof(n->name), "%s", x);
	snprintf(n->map_name, sizeof(n->map_name), "/dev/md/%s", x);
	if (all_digits(x)) {
		n->kind = MD_NAME_NUMBERED;
		return set_devnm(n, "md", x, given, d);
	}
	n->kind = MD_NAME_LINKED;
	snprintf(n->link, sizeof(n->link), "/dev/md/%s", x);
	return 0;
}

static int classify(const char *given, struct md_name *n, struct diag *d)
{
	const char *slash = strrchr(given, '/');
	const char *base = slash ? slash + 1 : given;

	memset(n, 0, sizeof(*n));
	n->bare = !slash;
	if (strncmp(given, "/dev/md/", 8) == 0) {
		n->in_md_dir = true;
		return md_dir_name(given + 8, given, n, d);
	}
	if (strncmp(base, "md", 2) == 0 && all_digits(base + 2)) {
		n->kind = MD_NAME_NUMBERED;
		snprintf(n->name, sizeof(n->name), "%s", base + 2);
	} else if (strncmp(base, "md_", 3) == 0 && base[3]) {
		n->kind = MD_NAME_UNDERSCORE;
		snprintf(n->name, sizeof(n->name), "%s", base + 3);
	} else if (n->bare && *given) {
		return md_dir_name(given, given, n, d);
	} else {
		return diag_fail(d, "%s is an invalid name for an md device", given);
	}
	if (set_devnm(n, "", base, given, d))
		return -1;
	snprintf(n->map_name, sizeof(n->map_name), "/dev/%s", base);
	return 0;
}

bool policy_names_devnm(const char *name, char *devnm, size_t len)
{
	size_t l = strlen(name);

	if (!l || all_digits(name) || strchr(name, ':') || strchr(name, '/') ||
	    l + 3 >= MD_NAME_DEVNM_MAX || l + 3 >= len)
		return false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return false;
	snprintf(devnm, len, "md_%s", name);
	return true;
}

int policy_md_name(const char *given, struct md_name *n, struct diag *d)
{
	if (classify(given, n, d) == 0)
		return 0;
	n->kind = MD_NAME_INVALID;
	return -1;
}

/* ---- reshapes of RAID4/5/6 ------------------------------------------------ */

#define STRIPE_BYTES 4096u
#define DEFAULT_STRIPE_CACHE 256u

unsigned policy_data_members(int level, unsigned raid_disks)
{
	unsigned parity = level == 6 ? 2 : (level == 4 || level == 5) ? 1 : 0;

	return parity && raid_disks > parity ? raid_disks - parity : 0;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

uint64_t policy_reshape_offset_shift(uint64_t old_chunk, uint64_t new_chunk,
				     unsigned old_data, unsigned new_data)
{
	uint64_t a = old_chunk * old_data, b = new_chunk * new_data;
	uint64_t unit = old_chunk > new_chunk ? old_chunk : new_chunk, stretch, shift;

	if (!a || !b)
		return 0;
	stretch = a / gcd64(a, b) * b / old_data;
	shift = stretch;
	while (shift * new_data <= unit * (new_data + old_data))
		shift += stretch;
	return shift;
}

unsigned policy_reshape_stripe_cache(uint64_t old_chunk_bytes, uint64_t new_chunk_bytes)
{
	uint64_t chunk = old_chunk_bytes > new_chunk_bytes ? old_chunk_bytes : new_chunk_bytes;
	uint64_t need = chunk / STRIPE_BYTES * 4 + 1;

	return need > DEFAULT_STRIPE_CACHE ? (unsigned)need : DEFAULT_STRIPE_CACHE;
}
