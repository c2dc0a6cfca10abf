/* fuzz_bitmap.c - libFuzzer target for the bitmap superblock codec
 *
 * bytes -> bitmap_sb_decode -> encode must give the same 256 bytes back and
 * decode again to the same struct; validate and the size helpers must not
 * misbehave on anything decode accepts, and what validate accepts must obey
 * the rules it claims to check. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "llbitmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ASSERT(c) do { if (!(c)) abort(); } while (0)

static bool pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static void check_round_trip(const uint8_t *data, const struct bitmap_sb *sb)
{
	uint8_t out[BITMAP_SB_SIZE];
	struct bitmap_sb again;
	struct diag d;

	ASSERT(bitmap_sb_encode(sb, out, sizeof(out), &d) == 0);
	ASSERT(memcmp(out, data, BITMAP_SB_SIZE) == 0);
	ASSERT(bitmap_sb_decode(out, sizeof(out), &again, &d) == 0);
	ASSERT(memcmp(&again, sb, sizeof(again)) == 0);
	ASSERT(bitmap_sb_encode(sb, out, BITMAP_SB_SIZE - 1, &d) == -1);
}

static void check_valid(const struct bitmap_sb *sb)
{
	uint64_t bytes = bitmap_chunk_bytes(sb);

	ASSERT(bitmap_version_known(sb->version));
	if (bitmap_first_use(sb)) {
		ASSERT(bytes == 0 && bitmap_chunks(sb) == 0);
		return;
	}
	ASSERT(pow2(bytes));
	ASSERT(sb->daemon_sleep >= 1);
	if (bitmap_is_lockless(sb)) {
		ASSERT(bytes == (uint64_t)sb->chunksize * 512);
		ASSERT(sb->sync_size > 0);
		ASSERT(bitmap_chunks(sb) >= 1);
		ASSERT(bitmap_chunks(sb) <=
		       llb_max_chunks(bitmap_space_sectors(sb)));
		ASSERT(bitmap_space_sectors(sb) >= 1);
	} else {
		ASSERT(bytes >= 512);
		ASSERT(sb->write_behind <= BITMAP_MAX_WRITE_BEHIND);
	}
}

static void check_chunks(const struct bitmap_sb *sb)
{
	uint64_t bytes = bitmap_chunk_bytes(sb), chunks = bitmap_chunks(sb);

	if (bytes == 0) {
		ASSERT(chunks == 0);
		return;
	}
	if (sb->sync_size == 0)
		ASSERT(chunks == 0);
	/* for 512-multiples the result is plain ceil(sync / (bytes/512)) */
	if (bytes % 512 == 0) {
		uint64_t per = bytes / 512;

		ASSERT(chunks == sb->sync_size / per + (sb->sync_size % per != 0));
	}
}

static void check_area(const struct bitmap_sb *sb, unsigned boundary)
{
	uint64_t area = bitmap_upstream_area_bytes(sb, boundary);

	if (sb->chunksize == 0) {
		ASSERT(area == 0);
		return;
	}
	ASSERT(area >= BITMAP_SB_SIZE);
	if (boundary && area != UINT64_MAX)
		ASSERT(area % boundary == 0);
}

static void check_text(uint32_t state)
{
	char big[160], small[5];

	memset(small, 'x', sizeof(small));
	bitmap_state_text(state, big, sizeof(big));
	bitmap_state_text(state, small, sizeof(small));
	ASSERT(strlen(big) < sizeof(big) && strlen(big) > 0);
	ASSERT(strlen(small) < sizeof(small));
	ASSERT(strncmp(big, small, strlen(small)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bitmap_sb sb;
	struct diag d;
	unsigned boundary = 4096;

	if (bitmap_sb_decode(data, size, &sb, &d) != 0) {
		ASSERT(size < BITMAP_SB_SIZE || memcmp(data, "bitm", 4) != 0);
		return 0;
	}
	check_round_trip(data, &sb);
	if (bitmap_sb_validate(&sb, &d) == 0)
		check_valid(&sb);
	else
		ASSERT(d.msg[0] != '\0');
	check_chunks(&sb);
	if (size > BITMAP_SB_SIZE + 1)
		boundary = (unsigned)data[BITMAP_SB_SIZE] << 8 | data[BITMAP_SB_SIZE + 1];
	check_area(&sb, boundary);
	check_area(&sb, 0);
	check_text(sb.state);
	(void)llb_initial_chunk_sectors(sb.sync_size, sb.sectors_reserved);
	return 0;
}
