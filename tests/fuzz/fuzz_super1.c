/* fuzz_super1.c - libFuzzer target for the v1.x superblock codec
 *
 * Arbitrary bytes go to sb1_decode; whatever decodes is pushed through the
 * checksum, geometry checks for a few devices and minors, role/ratio
 * helpers, and an encode/decode round trip that must reproduce the input
 * bytes and the struct exactly. Any mismatch aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "super1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint64_t dev_sizes[] = {
	0, 23, 24, 1000, 2097152, UINT64_C(1) << 40, UINT64_MAX,
};

/* a failed check must leave a reason behind */
static void geometry(const struct sb1 *sb)
{
	for (size_t i = 0; i < sizeof(dev_sizes) / sizeof(dev_sizes[0]); i++) {
		for (int minor = -1; minor <= 3; minor++) {
			struct diag d;

			d.msg[0] = '\0';
			if (sb1_check_geometry(sb, minor, dev_sizes[i], &d) < 0 &&
			    d.msg[0] == '\0')
				abort();
		}
	}
	/* the device the superblock itself implies */
	if (sb->super_offset > 16)
		sb1_check_geometry(sb, 0, sb->super_offset + 16, NULL);
}

static void helpers(const struct sb1 *sb)
{
	unsigned num = 0, den = 0;
	uint16_t role = sb1_role(sb);

	if (sb->dev_number < sb->max_dev && role != sb->dev_roles[sb->dev_number])
		abort();
	if (sb1_data_ratio(sb, &num, &den) && (num == 0 || den == 0))
		abort();
	(void)sb1_time_seconds(sb->utime);
	(void)sb1_minor_from_offset(sb->super_offset);
}

static void roundtrip(const uint8_t *data, const struct sb1 *sb)
{
	static const size_t len = SB1_IO_SIZE;
	uint8_t out[SB1_IO_SIZE];
	size_t used = sb1_used_size(sb);
	struct sb1 again;
	uint32_t c1 = 0, c2 = 0;

	if (used > len)
		abort();                /* decode limits max_dev to 1920 */
	memset(out, 0x5a, sizeof(out));
	if (sb1_encode(sb, out, len, NULL) != 0)
		abort();
	if (memcmp(out, data, used) != 0)
		abort();
	if (used < len && out[used] != 0x5a)
		abort();
	if (sb1_decode(out, used, &again, NULL) != 0)
		abort();
	if (memcmp(&again, sb, sizeof(again)) != 0)
		abort();
	/* checksum over bytes and over the struct agree */
	if (sb1_csum_bytes(data, used, &c1) != 0)
		abort();
	c2 = sb1_csum_compute(sb);
	if (c1 != c2 || sb1_csum_ok(sb) != (c1 == sb->sb_csum))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	uint32_t csum;
	struct sb1 *sb = malloc(sizeof(*sb));

	if (!sb)
		return 0;
	d.msg[0] = '\0';
	if (sb1_decode(data, size, sb, &d) != 0) {
		if (d.msg[0] == '\0')
			abort();
		free(sb);
		return 0;
	}
	if (sb1_csum_bytes(data, size, &csum) != 0)
		abort();
	roundtrip(data, sb);
	geometry(sb);
	helpers(sb);
	free(sb);
	return 0;
}
