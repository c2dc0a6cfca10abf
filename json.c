/* json.c - a small streaming JSON writer for --json output */
#include <inttypes.h>
#include <string.h>

#include "json.h"
#include "outname.h"

void json_init(struct json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

/* Separator and indentation before a value or a key. */
static void json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (j->need_comma[j->depth])
			fputc(',', j->out);
		fputc('\n', j->out);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->out);
	}
	j->need_comma[j->depth] = true;
}

static void json_open(struct json *j, char c)
{
	json_sep(j);
	fputc(c, j->out);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void json_close(struct json *j, char c)
{
	bool had_members = j->need_comma[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (had_members) {
		fputc('\n', j->out);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->out);
	}
	fputc(c, j->out);
}

void json_obj_begin(struct json *j) { json_open(j, '{'); }
void json_obj_end(struct json *j) { json_close(j, '}'); }
void json_arr_begin(struct json *j) { json_open(j, '['); }
void json_arr_end(struct json *j) { json_close(j, ']'); }

/* Names come from disks: well-formed UTF-8 passes through as it is, other
 * bytes >= 0x80 become U+FFFD (outname.h). */
static void json_escaped(struct json *j, const char *s, size_t n)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t end = strnlen(s, n);

	fputc('"', j->out);
	for (size_t i = 0; i < end;) {
		uint8_t c = u[i];
		size_t l;

		if (c == '"' || c == '\\')
			fprintf(j->out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", j->out);
		else if (c == '\t')
			fputs("\\t", j->out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(j->out, "\\u%04x", c);
		else if (c < 0x80)
			fputc(c, j->out);
		else if ((l = outname_utf8_len(u + i, end - i)) > 0) {
			fwrite(u + i, 1, l, j->out);
			i += l;
			continue;
		} else
			fputs("\\ufffd", j->out);
		i++;
	}
	fputc('"', j->out);
}

void json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_escaped(j, key, strlen(key));
	fputs(": ", j->out);
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	json_sep(j);
	json_escaped(j, s, strlen(s));
}

void json_strn(struct json *j, const char *s, size_t maxlen)
{
	json_sep(j);
	json_escaped(j, s, maxlen);
}

void json_u64(struct json *j, uint64_t v)
{
	json_sep(j);
	fprintf(j->out, "%" PRIu64, v);
}

void json_i64(struct json *j, int64_t v)
{
	json_sep(j);
	fprintf(j->out, "%" PRId64, v);
}

void json_bool(struct json *j, bool v)
{
	json_sep(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	json_sep(j);
	fputs("null", j->out);
}

void json_kv_str(struct json *j, const char *k, const char *s) { json_key(j, k); json_str(j, s); }
void json_kv_u64(struct json *j, const char *k, uint64_t v) { json_key(j, k); json_u64(j, v); }
void json_kv_i64(struct json *j, const char *k, int64_t v) { json_key(j, k); json_i64(j, v); }
void json_kv_bool(struct json *j, const char *k, bool v) { json_key(j, k); json_bool(j, v); }

void json_end(struct json *j)
{
	fputc('\n', j->out);
}

void json_document_begin(struct json *j, FILE *out, const char *list_key)
{
	json_init(j, out);
	json_obj_begin(j);
	json_kv_u64(j, "schema_version", JSON_SCHEMA_VERSION);
	json_key(j, list_key);
	json_arr_begin(j);
}

void json_document_end(struct json *j)
{
	json_arr_end(j);
	json_obj_end(j);
	json_end(j);
}
