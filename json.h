/* json.h - a small streaming JSON writer for --json output */
#ifndef MDADM_JSON_H
#define MDADM_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool after_key;
};

void json_init(struct json *j, FILE *out);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
/* Object member name; the next value call provides its value. */
void json_key(struct json *j, const char *key);

void json_str(struct json *j, const char *s);
/* String from a fixed-size byte field that may lack a NUL. */
void json_strn(struct json *j, const char *s, size_t maxlen);
void json_u64(struct json *j, uint64_t v);
void json_i64(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* key + value shorthands */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_u64(struct json *j, const char *key, uint64_t v);
void json_kv_i64(struct json *j, const char *key, int64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

/* Finish the document with a newline. */
void json_end(struct json *j);

/* Every --json document: {"schema_version": N, "<list_key>": [ ... ]}.
 * N changes only when a key changes meaning or goes away. */
#define JSON_SCHEMA_VERSION 2
void json_document_begin(struct json *j, FILE *out, const char *list_key);
void json_document_end(struct json *j);

#endif
