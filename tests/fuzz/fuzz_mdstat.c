/* fuzz_mdstat.c - libFuzzer target for the /proc/mdstat parser
 *
 * Any text must parse without a crash or leak; what comes out must respect
 * the documented bounds (NUL-terminated names, percent <= 100.000%, member
 * counts within the limit) and lookups of every parsed name must succeed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mdstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ASSERT(c) do { if (!(c)) abort(); } while (0)

static void check_array(const struct mdstat *ms, const struct mdstat_array *a)
{
	ASSERT(memchr(a->devnm, 0, sizeof(a->devnm)) != NULL);
	ASSERT(memchr(a->level, 0, sizeof(a->level)) != NULL);
	ASSERT(memchr(a->super, 0, sizeof(a->super)) != NULL);
	ASSERT(memchr(a->bitmap.file, 0, sizeof(a->bitmap.file)) != NULL);
	ASSERT(a->nmembers <= MDSTAT_MAX_MEMBERS);
	ASSERT(a->sync.permille <= 100000);
	ASSERT(mdstat_percent(&a->sync) >= -1 && mdstat_percent(&a->sync) <= 10000);
	ASSERT(mdstat_find(ms, a->devnm) != NULL);
	for (size_t i = 0; i < a->nmembers; i++) {
		ASSERT(memchr(a->members[i].name, 0, sizeof(a->members[i].name)) != NULL);
		ASSERT(a->members[i].number >= -1);
	}
	if (a->pattern)
		ASSERT(strlen(a->pattern) < MDSTAT_MAX_TEXT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mdstat ms;
	struct diag d;

	if (mdstat_parse((const char *)data, size, &ms, &d) != 0)
		return 0;
	ASSERT(ms.narrays <= MDSTAT_MAX_ARRAYS);
	for (size_t i = 0; i < ms.narrays; i++)
		check_array(&ms, &ms.arrays[i]);
	mdstat_free(&ms);
	return 0;
}
