/* unit.h - a tiny unit-test harness for the codec tests
 *
 * Each test file defines `static void test_xxx(void)` functions and lists
 * them in UNIT_MAIN(...). CHECK* record a failure and continue; the runner
 * prints one line per test and ends with "N passed, N failed". */
#ifndef MDADM_UNIT_H
#define MDADM_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_failures_in_test;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
		unit_failures_in_test++; \
	} } while (0)

#define CHECK_EQ_U(a, b) do { \
	unsigned long long ua_ = (unsigned long long)(a), ub_ = (unsigned long long)(b); \
	if (ua_ != ub_) { \
		fprintf(stderr, "  %s:%d: %s == %s failed: %llu != %llu\n", \
			__FILE__, __LINE__, #a, #b, ua_, ub_); \
		unit_failures_in_test++; \
	} } while (0)

#define CHECK_EQ_S(a, b) do { \
	const char *sa_ = (a), *sb_ = (b); \
	if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0) { \
		fprintf(stderr, "  %s:%d: %s == %s failed: \"%s\" != \"%s\"\n", \
			__FILE__, __LINE__, #a, #b, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)"); \
		unit_failures_in_test++; \
	} } while (0)

#define CHECK_CONTAINS(hay, needle) do { \
	const char *h_ = (hay), *n_ = (needle); \
	if (!h_ || !strstr(h_, n_)) { \
		fprintf(stderr, "  %s:%d: \"%s\" does not contain \"%s\"\n", \
			__FILE__, __LINE__, h_ ? h_ : "(null)", n_); \
		unit_failures_in_test++; \
	} } while (0)

struct unit_case {
	const char *name;
	void (*fn)(void);
};

#define UNIT_CASE(f) { #f, f }

static inline int unit_run(const char *suite, const struct unit_case *cases, size_t n)
{
	unsigned passed = 0, failed = 0;

	for (size_t i = 0; i < n; i++) {
		unit_failures_in_test = 0;
		cases[i].fn();
		if (unit_failures_in_test) {
			printf("not ok - %s: %s\n", suite, cases[i].name);
			failed++;
		} else {
			printf("ok - %s: %s\n", suite, cases[i].name);
			passed++;
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

#define UNIT_MAIN(suite, ...) \
	int main(void) { \
		static const struct unit_case cases_[] = { __VA_ARGS__ }; \
		return unit_run(suite, cases_, sizeof(cases_) / sizeof(cases_[0])); \
	}

/* Read a whole file (fixtures); returns malloc'd buffer or NULL. */
static inline uint8_t *unit_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long sz;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)sz + 1);
		if (buf && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)sz;
	}
	fclose(f);
	return buf;
}

#endif
