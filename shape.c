/* shape.c - parsing the values of the geometry options (pure) */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shape.h"

struct word_num {
	const char *word;
	long num;
};

static bool lookup(const struct word_num *t, const char *s, long *num)
{
	for (; t->word; t++)
		if (strcmp(t->word, s) == 0) {
			*num = t->num;
			return true;
		}
	return false;
}

static const struct word_num levels[] = {
	{ "linear", -1 }, { "raid0", 0 }, { "0", 0 }, { "stripe", 0 },
	{ "raid1", 1 }, { "1", 1 }, { "mirror", 1 }, { "raid4", 4 }, { "4", 4 },
	{ "raid5", 5 }, { "5", 5 }, { "raid6", 6 }, { "6", 6 },
	{ "raid10", 10 }, { "10", 10 }, { NULL, 0 }
};

static const char *const unsupported_levels[] = {
	"multipath", "mp", "faulty", "container", NULL
};

int shape_parse_level(const char *s, int *level, struct diag *d)
{
	long v;

	if (lookup(levels, s, &v)) {
		*level = (int)v;
		return 0;
	}
	for (int i = 0; unsupported_levels[i]; i++)
		if (strcmp(s, unsupported_levels[i]) == 0)
			return diag_fail(d, "raid level %s is not supported by this mdadm", s);
	return diag_fail(d, "invalid raid level: %s", s);
}

static const struct word_num parity_layouts[] = {
	{ "left-asymmetric", 0 }, { "right-asymmetric", 1 }, { "left-symmetric", 2 },
	{ "right-symmetric", 3 }, { "default", 2 }, { "la", 0 }, { "ra", 1 },
	{ "ls", 2 }, { "rs", 3 }, { "parity-first", 4 }, { "parity-last", 5 },
	{ "ddf-zero-restart", 8 }, { "ddf-N-restart", 9 }, { "ddf-N-continue", 10 },
	{ "left-asymmetric-6", 16 }, { "right-asymmetric-6", 17 },
	{ "left-symmetric-6", 18 }, { "right-symmetric-6", 19 }, { "parity-first-6", 20 },
	{ NULL, 0 }
};

static const struct word_num raid0_layouts[] = {
	{ "original", 1 }, { "alternate", 2 }, { "1", 1 }, { "2", 2 }, { NULL, 0 }
};

uint32_t shape_default_layout(int level)
{
	switch (level) {
	case 0: return 1;          /* original */
	case 4: return 5;          /* parity-last */
	case 5:
	case 6: return 2;          /* left-symmetric */
	case 10: return 0x102;     /* n2 */
	default: return 0;
	}
}

static int parse_raid10_layout(const char *s, uint32_t *layout, struct diag *d)
{
	char *end;
	unsigned long copies;

	if ((s[0] != 'n' && s[0] != 'f' && s[0] != 'o') || !isdigit((unsigned char)s[1]))
		goto bad;
	errno = 0;
	copies = strtoul(s + 1, &end, 10);
	if (errno || *end || copies < 1 || copies > 64)
		goto bad;
	if (s[0] == 'n')
		*layout = 0x100 | (uint32_t)copies;
	else
		*layout = ((uint32_t)copies << 8) | 1 | (s[0] == 'o' ? 0x10000 : 0);
	return 0;
bad:
	return diag_fail(d, "layout for raid10 must be 'nNN', 'oNN' or 'fNN' where NN is a number, not %s", s);
}

int shape_parse_layout(int level, const char *s, uint32_t *layout, struct diag *d)
{
	long v;

	switch (level) {
	case 0:
		if (!lookup(raid0_layouts, s, &v))
			return diag_fail(d, "layout %s not understood for raid0.", s);
		break;
	case 4:
		if (strcmp(s, "parity-last") && strcmp(s, "parity-first"))
			return diag_fail(d, "layout %s not understood for raid4.", s);
		v = strcmp(s, "parity-last") == 0 ? 5 : 4;
		break;
	case 5:
		if (!lookup(parity_layouts, s, &v) || v > 5)
			return diag_fail(d, "layout %s not understood for raid5.", s);
		break;
	case 6:
		if (!lookup(parity_layouts, s, &v))
			return diag_fail(d, "layout %s not understood for raid6.", s);
		break;
	case 10:
		return parse_raid10_layout(s, layout, d);
	case -1:
		return diag_fail(d, "layout not meaningful for linear arrays.");
	default:
		return diag_fail(d, "layout not meaningful for raid%d arrays.", level);
	}
	*layout = (uint32_t)v;
	return 0;
}

bool shape_layout_known(const char *s)
{
	static const int levels_with_layouts[] = { 0, 4, 5, 6, 10 };
	uint32_t layout;

	for (size_t i = 0; i < sizeof(levels_with_layouts) / sizeof(levels_with_layouts[0]); i++)
		if (shape_parse_layout(levels_with_layouts[i], s, &layout, NULL) == 0)
			return true;
	return false;
}

const char *shape_layout_choices(void)
{
	return "raid0: original, alternate; raid4: parity-first, parity-last; "
	       "raid5: left-asymmetric, right-asymmetric, left-symmetric, right-symmetric "
	       "(la, ra, ls, rs, default), parity-first, parity-last; raid6: those, "
	       "ddf-zero-restart, ddf-N-restart, ddf-N-continue and the -6 forms of the raid5 ones; "
	       "raid10: nN, fN, oN";
}

int shape_parse_size(const char *s, uint64_t *sectors, struct diag *d)
{
	unsigned long long v;
	unsigned shift = 10;   /* KiB */
	char *end;

	if (!isdigit((unsigned char)*s))
		return diag_fail(d, "invalid size: %s", s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return diag_fail(d, "invalid size: %s", s);
	switch (*end) {
	case '\0': break;
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	case 'T': case 't': shift = 40; end++; break;
	case 's': shift = 9; end++; break;
	default: return diag_fail(d, "invalid size: %s", s);
	}
	if (*end || v > (UINT64_MAX >> shift))
		return diag_fail(d, "invalid size: %s", s);
	*sectors = (v << shift) >> 9;
	if (((v << shift) & 511) != 0)
		return diag_fail(d, "invalid size: %s (not a multiple of 512 bytes)", s);
	return 0;
}

int shape_parse_chunk(const char *s, uint64_t *sectors, struct diag *d)
{
	if (shape_parse_size(s, sectors, NULL) != 0 || *sectors < 8 ||
	    (*sectors & (*sectors - 1)))
		return diag_fail(d, "invalid chunk/rounding value: %s (a power of two, at least 4K)", s);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int shape_parse_uuid(const char *s, uint8_t uuid[16], struct diag *d)
{
	unsigned n = 0;

	for (const char *p = s; *p; p++) {
		int h = hexval(*p);

		if (h < 0) {
			if (strchr(":.- ", *p))
				continue;
			return diag_fail(d, "Bad uuid: %s", s);
		}
		if (n >= 32)
			return diag_fail(d, "Bad uuid: %s (too long)", s);
		if (n % 2 == 0)
			uuid[n / 2] = (uint8_t)(h << 4);
		else
			uuid[n / 2] |= (uint8_t)h;
		n++;
	}
	if (n != 32)
		return diag_fail(d, "Bad uuid: %s (need 32 hex digits)", s);
	return 0;
}

int shape_parse_lbs(const char *s, uint32_t *lbs, struct diag *d)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return diag_fail(d, "logical block size [%s] is not a number", s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return diag_fail(d, "logical block size [%s] is not a number", s);
	if (v < 512 || v > 65536 || (v & (v - 1)))
		return diag_fail(d, "logical block size %llu is invalid: it must be a power of two from 512 to 65536",
				 v);
	*lbs = (uint32_t)v;
	return 0;
}

int shape_parse_metadata(const char *s, int *minor, struct diag *d)
{
	static const struct word_num names[] = {
		{ "1", 2 }, { "1.0", 0 }, { "1.00", 0 }, { "1.1", 1 }, { "1.01", 1 },
		{ "1.2", 2 }, { "1.02", 2 }, { "default", 2 }, { "1.x", 2 }, { NULL, 0 }
	};
	long v;

	while (*s == '0' && s[1] && s[1] != '.')
		s++;
	if (lookup(names, s, &v)) {
		*minor = (int)v;
		return 0;
	}
	if (strcmp(s, "0.90") == 0 || strcmp(s, "0") == 0 || strcmp(s, "0.9") == 0) {
		*minor = SHAPE_METADATA_090;
		return 0;
	}
	if (strcmp(s, "ddf") == 0 || strcmp(s, "imsm") == 0 || strcmp(s, "mbr") == 0 ||
	    strcmp(s, "gpt") == 0)
		return diag_errno(d, EOPNOTSUPP, "external metadata (%s) is not supported by this mdadm", s);
	return diag_fail(d, "unrecognised metadata identifier: %s", s);
}
