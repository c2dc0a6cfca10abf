/* fuzz_super0.c - libFuzzer target for the 0.90 superblock codec
 *
 * Arbitrary bytes go to sb0_decode; whatever decodes is checked against a
 * few device sizes, its table and size helpers are held to their bounds,
 * and an encode/decode round trip must give back the input bytes and the
 * struct exactly, in both byte orders. Any mismatch aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "super0.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint64_t dev_sizes[] = {
	0, 127, 128, 1000, 655360, UINT64_C(1) << 40, UINT64_MAX,
};

static void checks(const struct sb0 *sb)
{
	unsigned num = 0, den = 0;

	for (size_t i = 0; i < sizeof(dev_sizes) / sizeof(dev_sizes[0]); i++) {
		struct diag d;

		d.msg[0] = '\0';
		if (sb0_check(sb, dev_sizes[i], &d) < 0) {
			if (d.msg[0] == '\0')
				abort();
		} else if (sb0_table_slots(sb) > SB0_DISKS) {
			abort();    /* a sound superblock indexes only 27 slots */
		}
	}
	if (sb0_data_ratio(sb, &num, &den) && (num == 0 || den == 0 || num > SB0_DISKS))
		abort();
	(void)sb0_uuid_is_local(sb, "fuzzhost");
}

static void round_trip(const uint8_t *data, const struct sb0 *sb)
{
	uint8_t buf[SB0_BYTES];
	struct sb0 back, flipped = *sb;

	if (sb0_encode(sb, buf, sizeof(buf), NULL) != 0 || memcmp(buf, data, SB0_BYTES) != 0)
		abort();
	flipped.big_endian = !sb->big_endian;
	if (sb0_encode(&flipped, buf, sizeof(buf), NULL) != 0 ||
	    sb0_decode(buf, sizeof(buf), &back, NULL) != 0 ||
	    memcmp(&back, &flipped, sizeof(back)) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sb0 sb;

	if (sb0_decode(data, size, &sb, NULL) != 0)
		return 0;
	checks(&sb);
	(void)sb0_csum_ok(&sb);
	round_trip(data, &sb);
	return 0;
}
