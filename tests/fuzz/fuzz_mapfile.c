/* fuzz_mapfile.c - libFuzzer target for the map file (/run/mdadm/map)
 *
 * The input is the map file's text. It is parsed as text and read as a
 * file (MDADM_MAP_FILE in a private directory); both must give the same
 * entries. Every entry must format into a line that parses back to itself,
 * the whole map must survive mapfile_write + mapfile_read unchanged, and
 * the lookups and edits the tool makes must keep the map consistent. Any
 * mismatch aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapfile.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char map_dir[64], map_path[256];

static void cleanup(void)
{
	char path[300];

	unlink(map_path);
	snprintf(path, sizeof(path), "%s.new", map_path);
	unlink(path);
	rmdir(map_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* in memory: the file round trips are most of the time spent */
	snprintf(map_dir, sizeof(map_dir), "/dev/shm/fuzz_mapfile.XXXXXX");
	if (!mkdtemp(map_dir))
		abort();
	snprintf(map_path, sizeof(map_path), "%s/map", map_dir);
	setenv("MDADM_MAP_FILE", map_path, 1);
	atexit(cleanup);
	return 0;
}

static bool same_entry(const struct map_entry *a, const struct map_entry *b)
{
	return strcmp(a->devnm, b->devnm) == 0 && strcmp(a->metadata, b->metadata) == 0 &&
	       memcmp(a->uuid, b->uuid, 16) == 0 && strcmp(a->path, b->path) == 0;
}

static bool same_map(const struct mapfile *a, const struct mapfile *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!same_entry(&a->entries[i], &b->entries[i]))
			return false;
	return true;
}

/* the file as written: raw bytes, NULs included */
static void put_file(const uint8_t *data, size_t size)
{
	FILE *f = fopen(map_path, "w");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
}

static void line_roundtrip(const struct map_entry *e)
{
	char line[sizeof(*e) + 64], uuid[40];
	struct mapfile one = { 0 };
	uint8_t back[16];
	int n = mapfile_format_line(e, line, sizeof(line));

	if (n <= 0 || line[n - 1] != '\n' || memchr(line, '\n', (size_t)n - 1))
		abort();
	if (mapfile_parse(line, &one, NULL) != 0 || one.n != 1 || !same_entry(e, one.entries))
		abort();
	mapfile_free(&one);
	mapfile_format_uuid(e->uuid, uuid, sizeof(uuid));
	if (!mapfile_parse_uuid(uuid, back) || memcmp(back, e->uuid, 16) != 0)
		abort();
}

static void lookups(struct mapfile *m)
{
	size_t n = m->n;

	for (size_t i = 0; i < n; i++) {
		const struct map_entry *e = &m->entries[i];
		const struct map_entry *u = mapfile_by_uuid(m, e->uuid, NULL);
		const struct map_entry *d = mapfile_by_devnm(m, e->devnm, NULL);

		if (!u || u > e || !d || d > e)
			abort();
		if (strncmp(e->path, "/dev/md/", 8) == 0 && !mapfile_by_name(m, e->path + 8, NULL))
			abort();
	}
	if (n == 0)
		return;
	/* replacing an entry keeps the count; deleting removes every line
	 * with that devnm */
	{
		struct map_entry e = m->entries[n - 1];

		if (mapfile_set(m, e.devnm, e.metadata, e.uuid, e.path, NULL) != 0 || m->n != n)
			abort();
		mapfile_del(m, e.devnm);
		if (mapfile_by_devnm(m, e.devnm, NULL) || m->n >= n)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mapfile parsed = { 0 }, read, again;
	char *text = malloc(size + 1);
	bool missing = true;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (mapfile_parse(text, &parsed, NULL) != 0) {
		/* only more entries than the map may hold fail */
		if (size < 65536u * 8)
			abort();
		goto out;
	}
	put_file(data, size);
	if (mapfile_read_ex(&read, &missing, NULL) != 0 || missing || !same_map(&parsed, &read))
		abort();
	mapfile_free(&read);
	for (size_t i = 0; i < parsed.n; i++)
		line_roundtrip(&parsed.entries[i]);
	if (mapfile_write(&parsed, NULL) != 0)
		abort();
	if (mapfile_read_ex(&again, &missing, NULL) != 0 || missing || !same_map(&parsed, &again))
		abort();
	mapfile_free(&again);
	lookups(&parsed);
out:
	mapfile_free(&parsed);
	free(text);
	return 0;
}
