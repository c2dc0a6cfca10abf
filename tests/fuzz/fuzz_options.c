/* fuzz_options.c - libFuzzer target for the command line and its values
 *
 * The input, split at NUL bytes, is an argv after "mdadm". cmdline_parse
 * must return one of its documented results (it never exits: mdadm.c
 * does that) with a consistent struct cmdline. Every argument is also
 * given to each typed value parser the option table uses (sizes, chunks,
 * counts, levels, layouts, metadata names, bitmap kinds, uuids, logical
 * block sizes), whose results must satisfy what they promise and read
 * back the same when printed. Messages go to /dev/null. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap_kind.h"
#include "options.h"
#include "shape.h"
#include "util.h"

#define MAX_ARGS 64

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *null = fopen("/dev/null", "w");

	(void)argc;
	(void)argv;
	if (!null)
		abort();
	/* the parser's messages; libFuzzer and the sanitizers keep fd 2 */
	stderr = null;
	return 0;
}

static void sizes(const char *s)
{
	uint64_t sectors, again, n;
	uint32_t lbs;
	char buf[32];

	if (shape_parse_size(s, &sectors, NULL) == 0) {
		snprintf(buf, sizeof(buf), "%" PRIu64 "s", sectors);
		if (shape_parse_size(buf, &again, NULL) != 0 || again != sectors)
			abort();
	}
	if (shape_parse_chunk(s, &sectors, NULL) == 0 &&
	    (sectors < 8 || (sectors & (sectors - 1))))
		abort();
	if (shape_parse_lbs(s, &lbs, NULL) == 0 &&
	    (lbs < 512 || lbs > 65536 || (lbs & (lbs - 1))))
		abort();
	if (parse_u64(s, &n)) {
		snprintf(buf, sizeof(buf), "%" PRIu64, n);
		if (!parse_u64(buf, &again) || again != n)
			abort();
	}
}

static void level_and_layouts(const char *s)
{
	static const int levels[] = { -1, 0, 1, 4, 5, 6, 10 };
	uint32_t layout;
	char text[64];
	int level;

	if (shape_parse_level(s, &level, NULL) == 0) {
		(void)level_name(level);
		(void)shape_default_layout(level);
	}
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (shape_parse_layout(levels[i], s, &layout, NULL) != 0)
			continue;
		if (levels[i] < 0 || levels[i] == 1 || !shape_layout_known(s))
			abort();
		(void)r5_layout_name(layout);
		(void)r6_layout_name(layout);
		(void)r0_layout_name(layout);
		r10_layout_text(layout, text, sizeof(text));
	}
}

static void words(const char *s)
{
	enum bitmap_kind k;
	uint8_t uuid[16], again[16];
	char hex[40];
	int minor;

	if (shape_parse_metadata(s, &minor, NULL) == 0 && minor != 0 && minor != 1 &&
	    minor != 2 && minor != SHAPE_METADATA_090)
		abort();
	if (bitmap_kind_parse(s, &k, NULL) == 0)
		(void)bitmap_kind_name(k);
	if (shape_parse_uuid(s, uuid, NULL) == 0) {
		for (int i = 0; i < 16; i++)
			snprintf(hex + 2 * i, 3, "%02x", uuid[i]);
		if (shape_parse_uuid(hex, again, NULL) != 0 || memcmp(uuid, again, 16) != 0)
			abort();
	}
}

static bool points_into(const char *p, char **argv, int argc)
{
	for (int i = 1; i < argc; i++)
		if (p == argv[i])
			return true;
	return false;
}

/* size: the bytes of argv[1..], the most -v or -q letters there can be */
static void command_line(int argc, char **argv, size_t size)
{
	struct cmdline *c = malloc(sizeof(*c));
	int rc;

	if (!c)
		return;
	rc = cmdline_parse(c, argc, argv);
	if (rc != 0 && rc != 1 && rc != 2 && rc != CMDLINE_ANSWERED)
		abort();
	if (rc == 0) {
		if (c->mode >= MODE__COUNT || c->ndevs > (size_t)argc - 1 ||
		    c->verbose > (int)size || c->verbose < -(int)size)
			abort();
		for (size_t i = 0; i < c->ndevs; i++)
			if (!points_into(c->devs[i].name, argv, argc))
				abort();
		for (size_t i = 0; i < option_table_len; i++) {
			const struct opt_def *o = &option_table[i];

			/* a value that was required was given, and not empty */
			if (o->arg == ARG_REQUIRED && c->count[o->id] &&
			    strcmp(c->spelled[o->id], o->name) == 0 &&
			    (!c->val[o->id] || !c->val[o->id][0]))
				abort();
		}
	}
	cmdline_free(c);
	free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	char *argv[MAX_ARGS + 2];
	int argc = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = (char *)"mdadm";
	for (size_t at = 0; at <= size && argc <= MAX_ARGS; at += strlen(buf + at) + 1)
		argv[argc++] = buf + at;
	argv[argc] = NULL;
	for (int i = 1; i < argc; i++) {
		const char *v = strchr(argv[i], '=');

		/* "--chunk=64K": the value after '=' too */
		sizes(argv[i]);
		level_and_layouts(argv[i]);
		words(argv[i]);
		if (v) {
			sizes(v + 1);
			level_and_layouts(v + 1);
			words(v + 1);
		}
	}
	command_line(argc, argv, size);
	free(buf);
	return 0;
}
