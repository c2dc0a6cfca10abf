/* util.c - formatting helpers shared by the modes */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>

#include "util.h"

void pr_err(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void pr_info(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* Centi-units with round-half-up, the way upstream shows sizes. */
static uint64_t centi_binary(uint64_t bytes, unsigned shift)
{
	return ((__uint128_t)bytes * 200 / ((uint64_t)1 << shift) + 1) / 2;
}

static uint64_t centi_decimal(uint64_t bytes, uint64_t unit)
{
	return (bytes / (unit / 200) + 1) / 2;
}

struct size_unit {
	uint64_t below;         /* use this unit while bytes < below */
	unsigned shift;         /* binary unit = 1 << shift */
	uint64_t decimal;       /* decimal unit */
	const char *bin_name;
	const char *dec_name;
};

static const struct size_unit size_units[] = {
	{ 2ULL << 30, 20, 1000000ULL, "MiB", "MB" },
	{ 2ULL << 40, 30, 1000000000ULL, "GiB", "GB" },
	{ UINT64_MAX, 40, 1000000000000ULL, "TiB", "TB" },
};

static const struct size_unit *pick_unit(uint64_t bytes)
{
	size_t i;

	for (i = 0; i + 1 < sizeof(size_units) / sizeof(size_units[0]); i++)
		if (bytes < size_units[i].below)
			break;
	return &size_units[i];
}

void human_size(uint64_t bytes, char *buf, size_t len)
{
	const struct size_unit *u;
	uint64_t cb, cd;

	if (bytes < 5000 * 1024) {
		snprintf(buf, len, "%s", "");
		return;
	}
	u = pick_unit(bytes);
	cb = centi_binary(bytes, u->shift);
	cd = centi_decimal(bytes, u->decimal);
	snprintf(buf, len, " (%llu.%02llu %s %llu.%02llu %s)",
		 (unsigned long long)(cb / 100), (unsigned long long)(cb % 100), u->bin_name,
		 (unsigned long long)(cd / 100), (unsigned long long)(cd % 100), u->dec_name);
}

void human_size_brief(uint64_t bytes, bool iec, char *buf, size_t len)
{
	const struct size_unit *u;
	uint64_t c;

	if (bytes < 5000 * 1024) {
		snprintf(buf, len, "%s", "");
		return;
	}
	u = pick_unit(bytes);
	c = iec ? centi_binary(bytes, u->shift) : centi_decimal(bytes, u->decimal);
	snprintf(buf, len, "%llu.%02llu%s", (unsigned long long)(c / 100),
		 (unsigned long long)(c % 100), iec ? u->bin_name : u->dec_name);
}

void human_chunksize(uint64_t bytes, char *buf, size_t len)
{
	static const char *const suffix[] = { "B", "KB", "MB", "GB", "TB", "PB", "EB" };
	unsigned i = 0;

	while (bytes >> 10) {
		bytes >>= 10;
		i++;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)bytes, suffix[i]);
}

void format_uuid(const uint8_t uuid[16], char *buf, size_t len)
{
	snprintf(buf, len,
		 "%02x%02x%02x%02x:%02x%02x%02x%02x:%02x%02x%02x%02x:%02x%02x%02x%02x",
		 uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7],
		 uuid[8], uuid[9], uuid[10], uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
}

void format_ctime(uint64_t seconds, char *buf, size_t len)
{
	time_t t = (time_t)seconds;
	struct tm tm;
	char tmp[64];

	if (!localtime_r(&t, &tm) || !asctime_r(&tm, tmp)) {
		snprintf(buf, len, "(invalid time %llu)", (unsigned long long)seconds);
		return;
	}
	snprintf(buf, len, "%.24s", tmp);
}

struct name_num {
	const char *name;
	long num;
};

static const char *lookup_name(const struct name_num *t, long num)
{
	for (; t->name; t++)
		if (t->num == num)
			return t->name;
	return NULL;
}

static const struct name_num level_names[] = {
	{ "linear", -1 }, { "raid0", 0 }, { "raid1", 1 }, { "raid4", 4 },
	{ "raid5", 5 }, { "multipath", -4 }, { "raid6", 6 }, { "raid10", 10 },
	{ "faulty", -5 }, { "container", -100 }, { NULL, 0 }
};

/* raid5 algorithms 0-5 and the DDF aliases; raid6 adds 8-10, 16-20 */
static const struct name_num r5_layouts[] = {
	{ "left-asymmetric", 0 }, { "right-asymmetric", 1 },
	{ "left-symmetric", 2 }, { "right-symmetric", 3 },
	{ "parity-first", 4 }, { "parity-last", 5 }, { NULL, 0 }
};

static const struct name_num r6_layouts[] = {
	{ "left-asymmetric", 0 }, { "right-asymmetric", 1 },
	{ "left-symmetric", 2 }, { "right-symmetric", 3 },
	{ "parity-first", 4 }, { "parity-last", 5 },
	{ "ddf-zero-restart", 8 }, { "ddf-N-restart", 9 }, { "ddf-N-continue", 10 },
	{ "left-asymmetric-6", 16 }, { "right-asymmetric-6", 17 },
	{ "left-symmetric-6", 18 }, { "right-symmetric-6", 19 },
	{ "parity-first-6", 20 }, { NULL, 0 }
};

static const struct name_num r0_layouts[] = {
	{ "dangerous", 0 }, { "original", 1 }, { "alternate", 2 }, { NULL, 0 }
};

const char *level_name(int level) { return lookup_name(level_names, level); }
const char *r5_layout_name(uint32_t l) { return lookup_name(r5_layouts, (long)l); }
const char *r6_layout_name(uint32_t l) { return lookup_name(r6_layouts, (long)l); }
const char *r0_layout_name(uint32_t l) { return lookup_name(r0_layouts, (long)l); }

void r10_layout_text(uint32_t layout, char *buf, size_t len)
{
	unsigned near = layout & 0xff, far = (layout >> 8) & 0xff;
	bool offset = layout & 0x10000;
	const char *sep = "";
	size_t used = 0;

	buf[0] = '\0';
	if (near != 1) {
		used += (size_t)snprintf(buf + used, len - used, " near=%u", near);
		sep = ",";
	}
	if (far != 1 && used < len)
		used += (size_t)snprintf(buf + used, len - used, "%s %s=%u", sep,
					 offset ? "offset" : "far", far);
	if (near * far == 1 && used < len)
		snprintf(buf + used, len - used, "NO REDUNDANCY");
}

void default_homehost(char *buf, size_t len)
{
	if (gethostname(buf, len) != 0)
		buf[0] = '\0';
	buf[len - 1] = '\0';
}

bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

int not_implemented(const char *what)
{
	pr_err("%s is not implemented yet in this version of mdadm\n", what);
	return 1;
}

void sleep_ms(unsigned ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}
