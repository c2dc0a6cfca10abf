/* fuzz_sysfs_text.c - libFuzzer target for the parsers of md's sysfs text
 *
 * Input: the text of md/bitmap_type or md/llbitmap/bits (both parsers get
 * every input, NUL-terminated). Also drives the llbitmap transition table
 * with the first bytes as state, action and context. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap_kind.h"
#include "llbitmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ASSERT(c) do { if (!(c)) abort(); } while (0)

static void check_bitmap_type(const char *text)
{
	struct bitmap_type_list l;
	struct diag d = { 0 };
	int rc = bitmap_type_parse(text, &l, &d);

	ASSERT(rc == 0 || rc == -1);
	ASSERT(rc == 0 || d.msg[0]);
	ASSERT(l.current >= -1 && l.current < BITMAP_KIND_NR);
	ASSERT(l.current < 0 || l.offered[l.current]);
	ASSERT(strlen(l.current_word) < sizeof(l.current_word));
	ASSERT(!l.offered[BITMAP_KIND_CLUSTERED] && !l.offered[BITMAP_KIND_FILE]);
}

static void check_bits(const char *text)
{
	struct llb_bits b;
	int rc = llb_bits_parse(text, &b, NULL);

	ASSERT(rc == (b.ok ? 0 : -1));
	ASSERT(b.nstates <= strlen(text));
	ASSERT(strlen(b.text) < sizeof(b.text));
	ASSERT(!b.ok || !b.text[0]);
	(void)llb_bits_sum(&b, llb_state_needs_sync);
}

static void check_transition(const uint8_t *data, size_t size)
{
	struct llb_context ctx;
	uint8_t next;

	if (size < 4)
		return;
	ctx.parity = data[2] & 1;
	ctx.degraded = data[2] & 2;
	ctx.kernel = data[3] & 1 ? 618 : 0;
	next = llb_transition(data[0], (enum llb_action)(data[1] % (LLB_NR_ACTIONS + 1)), &ctx);
	/* the kernel never stores an invalid byte it has visited */
	ASSERT(llb_state_valid(next) || (next == data[0] && data[1] % (LLB_NR_ACTIONS + 1) ==
						     LLB_NR_ACTIONS) ||
	       (next == data[0] && ctx.kernel == 618 && data[1] % (LLB_NR_ACTIONS + 1) > LLB_ACT_STALE));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check_bitmap_type(text);
	check_bits(text);
	free(text);
	check_transition(data, size);
	return 0;
}
