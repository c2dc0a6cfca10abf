/* config.c - mdadm.conf parsing */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "shape.h"

#define CONF_MAX_SIZE (1u << 20)

static void warnf(void (*warn)(const char *, void *), void *arg, struct conf *c,
		  const char *fmt, const char *a, const char *b)
{
	char msg[512];

	c->warnings++;
	if (!warn)
		return;
	snprintf(msg, sizeof(msg), fmt, a, b ? b : "");
	warn(msg, arg);
}

/* Split a logical line (continuations already joined) into words. */
static size_t split_words(char *line, char **words, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p && n < max) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (*p == '"' || *p == '\'') {
			char q = *p++;

			words[n++] = p;
			while (*p && *p != q)
				p++;
		} else {
			words[n++] = p;
			while (*p && !isspace((unsigned char)*p))
				p++;
		}
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static bool keyword_is(const char *w, const char *kw)
{
	/* upstream accepts any abbreviation of at least 3 letters */
	size_t n = strlen(w);

	return n >= 3 && n <= strlen(kw) && strncasecmp(w, kw, n) == 0;
}

/* A decimal without sign or trailing junk (config.c is pure: no util.c). */
static bool parse_u64_word(const char *w, uint64_t *v)
{
	char *end;

	if (*w < '0' || *w > '9')
		return false;
	errno = 0;
	*v = strtoull(w, &end, 10);
	return errno == 0 && *end == '\0';
}

static void join_rest(char **w, size_t n, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? " " : "", w[i]);
}

static void parse_array_word(struct conf_array *a, char *w, struct conf *c,
			     void (*warn)(const char *, void *), void *arg)
{
	char *eq = strchr(w, '=');
	const char *v;

	if (!eq) {
		/* the device: a path, <ignore>, or a short name standing for
		 * /dev/md/NAME, as mdadm 4.6 reads it */
		if (!a->devname[0])
			snprintf(a->devname, sizeof(a->devname), "%s", w);
		else
			warnf(warn, arg, c, "ARRAY line: unrecognised word %s%s", w, NULL);
		return;
	}
	*eq = '\0';
	v = eq + 1;
	if (strcasecmp(w, "uuid") == 0) {
		a->has_uuid = shape_parse_uuid(v, a->uuid, NULL) == 0;
		if (!a->has_uuid)
			warnf(warn, arg, c, "ARRAY line: bad uuid=%s%s", v, NULL);
	} else if (strcasecmp(w, "name") == 0) {
		snprintf(a->name, sizeof(a->name), "%s", v);
	} else if (strcasecmp(w, "metadata") == 0) {
		snprintf(a->metadata, sizeof(a->metadata), "%s", v);
	} else if (strcasecmp(w, "devices") == 0) {
		snprintf(a->devices, sizeof(a->devices), "%s", v);
	} else if (strcasecmp(w, "level") == 0) {
		if (shape_parse_level(v, &a->level, NULL))
			warnf(warn, arg, c, "ARRAY line: bad level=%s%s", v, NULL);
	} else if (strcasecmp(w, "spare-group") == 0) {
		snprintf(a->spare_group, sizeof(a->spare_group), "%s", v);
	} else if (strcasecmp(w, "num-devices") == 0) {
		a->num_devices = atoi(v);
	} else if (strcasecmp(w, "spares") == 0) {
		a->spares = atoi(v);
	} else if (strcasecmp(w, "super-minor") && strcasecmp(w, "auto") &&
		   strcasecmp(w, "bitmap") && strcasecmp(w, "container") &&
		   strcasecmp(w, "member") && strcasecmp(w, "type")) {
		warnf(warn, arg, c, "ARRAY line: unrecognised word %s=%s", w, v);
	}
}

/* Room for element n of *items (elements of `size` bytes). A config has
 * a handful of lines: growing one at a time keeps it at what the file
 * holds. */
static int grow_one(void **items, size_t n, size_t size, struct diag *d)
{
	void *p = realloc(*items, (n + 1) * size);

	if (!p)
		return diag_errno(d, ENOMEM, "out of memory");
	*items = p;
	return 0;
}

static int parse_line(char *line, struct conf *c,
		      void (*warn)(const char *, void *), void *arg, struct diag *d)
{
	char *w[128];
	size_t n = split_words(line, w, sizeof(w) / sizeof(w[0]));

	if (n == 0)
		return 0;
	if (keyword_is(w[0], "DEVICE") || keyword_is(w[0], "DEVICES")) {
		for (size_t i = 1; i < n && c->ndevices < CONF_MAX_DEVICES; i++) {
			if (grow_one((void **)&c->devices, c->ndevices, sizeof(c->devices[0]), d))
				return -1;
			snprintf(c->devices[c->ndevices++], sizeof(c->devices[0]), "%s", w[i]);
		}
	} else if (keyword_is(w[0], "ARRAY")) {
		struct conf_array *a;

		if (c->narrays >= CONF_MAX_ARRAYS)
			return diag_fail(d, "too many ARRAY lines (limit %d)", CONF_MAX_ARRAYS);
		if (grow_one((void **)&c->arrays, c->narrays, sizeof(c->arrays[0]), d))
			return -1;
		a = &c->arrays[c->narrays++];
		conf_array_init(a);
		for (size_t i = 1; i < n; i++)
			parse_array_word(a, w[i], c, warn, arg);
	} else if (keyword_is(w[0], "HOMEHOST")) {
		if (n > 1)
			snprintf(c->homehost, sizeof(c->homehost), "%s", w[1]);
	} else if (keyword_is(w[0], "MAILADDR")) {
		if (n > 1)
			snprintf(c->mailaddr, sizeof(c->mailaddr), "%s", w[1]);
	} else if (keyword_is(w[0], "MAILFROM")) {
		join_rest(w + 1, n - 1, c->mailfrom, sizeof(c->mailfrom));
	} else if (keyword_is(w[0], "PROGRAM")) {
		if (n > 1)
			snprintf(c->program, sizeof(c->program), "%s", w[1]);
	} else if (keyword_is(w[0], "MONITORDELAY")) {
		uint64_t v;

		/* the first word, a positive number of seconds */
		if (n > 1 && parse_u64_word(w[1], &v) && v > 0 && v <= UINT32_MAX)
			c->monitor_delay = (unsigned)v;
		else
			warnf(warn, arg, c, "MONITORDELAY: not a number of seconds: %s%s",
			      n > 1 ? w[1] : "", NULL);
	} else if (keyword_is(w[0], "AUTO")) {
		join_rest(w + 1, n - 1, c->auto_line, sizeof(c->auto_line));
	} else if (keyword_is(w[0], "CREATE")) {
		for (size_t i = 1; i < n; i++)
			if (strcasecmp(w[i], "names=yes") == 0)
				c->create_names = true;
	} else if (!keyword_is(w[0], "POLICY") && !keyword_is(w[0], "PART-POLICY") &&
		   !keyword_is(w[0], "SYSFS") &&
		   !keyword_is(w[0], "ENCRYPTION")) {
		warnf(warn, arg, c, "unknown keyword %s%s", w[0], NULL);
	}
	return 0;
}

int conf_parse(const char *text, struct conf *c,
	       void (*warn)(const char *msg, void *arg), void *arg, struct diag *d)
{
	size_t len = strlen(text);
	char *buf = malloc(len + 1), *line = NULL;
	size_t used = 0;
	int rc = 0;

	conf_free(c);
	if (!buf)
		return diag_fail(d, "out of memory");
	/* Join continuation lines (those starting with whitespace) onto the
	 * previous logical line; comments end a physical line. */
	for (const char *p = text; *p && rc == 0;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		bool cont = (*p == ' ' || *p == '\t') && line;

		if (!cont && line) {
			buf[used] = '\0';
			rc = parse_line(line, c, warn, arg, d);
			used = 0;
		}
		if (rc)
			break;
		line = buf;
		if (cont)
			buf[used++] = ' ';
		memcpy(buf + used, p, l);
		used += l;
		for (size_t i = used - l; i < used; i++)
			if (buf[i] == '#') {
				used = i;
				break;
			}
		p += l + (nl ? 1 : 0);
	}
	if (rc == 0 && line) {
		buf[used] = '\0';
		rc = parse_line(line, c, warn, arg, d);
	}
	free(buf);
	return rc;
}

static void warn_stderr(const char *msg, void *arg)
{
	fprintf(stderr, "mdadm: %s: %s\n", (const char *)arg, msg);
}

static int load_file(const char *path, struct conf *c, bool must_exist, struct diag *d)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc;

	if (!f) {
		if (!must_exist && errno == ENOENT)
			return 1;
		return diag_fail(d, "cannot open %s: %s", path, strerror(errno));
	}
	/* the text up to a NUL (where parsing would stop anyway), in a
	 * buffer the size of the file */
	n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	if (n < 0 && !text)
		return diag_errno(d, ENOMEM, "out of memory");
	if (n < 0)
		text[0] = '\0';   /* an empty file */
	else if ((size_t)n > CONF_MAX_SIZE)
		text[CONF_MAX_SIZE] = '\0';
	rc = conf_parse(text, c, warn_stderr, (void *)path, d);
	free(text);
	return rc;
}

int conf_load(const char *file, struct conf *c, struct diag *d)
{
	const char *env = getenv("MDADM_CONF");
	static const char *const defaults[] = { "/etc/mdadm/mdadm.conf", "/etc/mdadm.conf" };

	conf_free(c);
	/* mdadm 4.6's special names: no file, every device is a candidate */
	if (file && (strcmp(file, "none") == 0 || strcmp(file, "partitions") == 0))
		return 0;
	if (file)
		return load_file(file, c, true, d) < 0 ? -1 : 0;
	if (env && *env)
		return load_file(env, c, true, d) < 0 ? -1 : 0;
	for (size_t i = 0; i < 2; i++) {
		int rc = load_file(defaults[i], c, false, d);

		if (rc <= 0)
			return rc;
	}
	return 0;
}

void conf_free(struct conf *c)
{
	free(c->devices);
	free(c->arrays);
	memset(c, 0, sizeof(*c));
}

void conf_array_init(struct conf_array *a)
{
	memset(a, 0, sizeof(*a));
	a->level = -1000;
	a->num_devices = a->spares = -1;
}

bool conf_array_identifies(const struct conf_array *a)
{
	return a->has_uuid || a->name[0];
}

const struct conf_array *conf_duplicate_devname(const struct conf *conf,
						const struct conf_array **first)
{
	for (size_t i = 0; i < conf->narrays; i++) {
		const struct conf_array *a = &conf->arrays[i];

		if (!a->devname[0] || strcmp(a->devname, "<ignore>") == 0)
			continue;
		for (size_t k = i + 1; k < conf->narrays; k++)
			if (strcmp(conf->arrays[k].devname, a->devname) == 0) {
				*first = a;
				return &conf->arrays[k];
			}
	}
	return NULL;
}

/* name= matches the superblock's name whole or without its "host:" */
static bool name_matches(const char *want, const char *name)
{
	const char *colon = strchr(name, ':');

	return strcmp(want, name) == 0 || (colon && strcmp(want, colon + 1) == 0);
}

/* devices= is a comma-separated list of globs; one of the device's names
 * must match one of them */
static bool devices_match(const char *globs, const char *const *names, size_t n)
{
	char list[sizeof(((struct conf_array *)0)->devices)], *save = NULL;

	snprintf(list, sizeof(list), "%s", globs);
	for (char *g = strtok_r(list, ",", &save); g; g = strtok_r(NULL, ",", &save))
		for (size_t k = 0; k < n; k++)
			if (fnmatch(g, names[k], 0) == 0)
				return true;
	return false;
}

bool conf_array_matches(const struct conf_array *a, const struct conf_array_facts *f)
{
	if (a->has_uuid && memcmp(a->uuid, f->uuid, 16) != 0)
		return false;
	if (a->name[0] && !name_matches(a->name, f->name))
		return false;
	if (a->level != -1000 && a->level != f->level)
		return false;
	if (a->num_devices >= 0 && (unsigned)a->num_devices != f->raid_disks)
		return false;
	if (a->devices[0] && !devices_match(a->devices, f->devnames, f->ndevnames))
		return false;
	return true;
}
