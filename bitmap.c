/* bitmap.c - codec for the 256-byte md bitmap superblock
 *
 * Pure functions only: bytes in, struct out (and back), plus the arithmetic
 * that turns the header's numbers into chunk counts and sizes. All sizes
 * taken from the header are treated as hostile: every multiplication is
 * checked and saturates instead of wrapping. */
#include <stdio.h>
#include <string.h>

#include "bitmap.h"
#include "endian.h"
#include "llbitmap.h"

/* Byte offsets of the fields inside the on-disk header. */
enum bsb_offset {
	BSB_OFF_MAGIC = 0,
	BSB_OFF_VERSION = 4,
	BSB_OFF_UUID = 8,
	BSB_OFF_EVENTS = 24,
	BSB_OFF_EVENTS_CLEARED = 32,
	BSB_OFF_SYNC_SIZE = 40,
	BSB_OFF_STATE = 48,
	BSB_OFF_CHUNKSIZE = 52,
	BSB_OFF_DAEMON_SLEEP = 56,
	BSB_OFF_WRITE_BEHIND = 60,
	BSB_OFF_SECTORS_RESERVED = 64,
	BSB_OFF_NODES = 68,
	BSB_OFF_CLUSTER_NAME = 72,
	BSB_OFF_PAD = 136,
};

_Static_assert(BSB_OFF_CLUSTER_NAME + sizeof(((struct bitmap_sb *)0)->cluster_name)
	       == BSB_OFF_PAD, "cluster_name must end where pad starts");
_Static_assert(BSB_OFF_PAD + sizeof(((struct bitmap_sb *)0)->pad) == BITMAP_SB_SIZE,
	       "pad must end at byte 256");

/* Space the kernel assumes for a 1.1/1.2 lockless bitmap when the header's
 * sectors_reserved is 0. */
#define LLB_DEFAULT_SPACE_SECTORS 6u

#define SECTOR_BYTES 512u
#define CLASSIC_MIN_CHUNK_BYTES 512u

/* ---- small arithmetic helpers ------------------------------------------ */

static bool is_pow2_u64(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	uint64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return UINT64_MAX;
	return r;
}

/* ceil(sectors * 512 / bytes) without forming sectors * 512. Returns false
 * (and UINT64_MAX in *out) when the true result does not fit in 64 bits.
 * bytes must be non-zero. */
static bool sectors_over_bytes_ceil(uint64_t sectors, uint64_t bytes,
				    uint64_t *out)
{
	uint64_t whole = sectors / bytes;
	uint64_t rest = sectors % bytes;   /* < bytes */
	uint64_t tail, scaled;

	*out = UINT64_MAX;
	if (rest > UINT64_MAX / SECTOR_BYTES)
		return false;
	tail = (rest * SECTOR_BYTES + bytes - 1) / bytes;
	if (__builtin_mul_overflow(whole, SECTOR_BYTES, &scaled) ||
	    __builtin_add_overflow(scaled, tail, out)) {
		*out = UINT64_MAX;
		return false;
	}
	return true;
}

static uint64_t div_ceil_u64(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

/* ---- decode / encode --------------------------------------------------- */

static void decode_fields(const uint8_t *buf, struct bitmap_sb *sb)
{
	sb->magic = get_le32(buf + BSB_OFF_MAGIC);
	sb->version = get_le32(buf + BSB_OFF_VERSION);
	memcpy(sb->uuid, buf + BSB_OFF_UUID, sizeof(sb->uuid));
	sb->events = get_le64(buf + BSB_OFF_EVENTS);
	sb->events_cleared = get_le64(buf + BSB_OFF_EVENTS_CLEARED);
	sb->sync_size = get_le64(buf + BSB_OFF_SYNC_SIZE);
	sb->state = get_le32(buf + BSB_OFF_STATE);
	sb->chunksize = get_le32(buf + BSB_OFF_CHUNKSIZE);
	sb->daemon_sleep = get_le32(buf + BSB_OFF_DAEMON_SLEEP);
	sb->write_behind = get_le32(buf + BSB_OFF_WRITE_BEHIND);
	sb->sectors_reserved = get_le32(buf + BSB_OFF_SECTORS_RESERVED);
	sb->nodes = get_le32(buf + BSB_OFF_NODES);
	memcpy(sb->cluster_name, buf + BSB_OFF_CLUSTER_NAME,
	       sizeof(sb->cluster_name));
	memcpy(sb->pad, buf + BSB_OFF_PAD, sizeof(sb->pad));
}

int bitmap_sb_decode(const uint8_t *buf, size_t len, struct bitmap_sb *sb,
		     struct diag *d)
{
	uint32_t magic;

	if (!buf || !sb)
		return diag_fail(d, "no bitmap superblock buffer");
	if (len < BITMAP_SB_SIZE)
		return diag_fail(d, "bitmap superblock truncated: %zu of %u bytes",
				 len, BITMAP_SB_SIZE);
	magic = get_le32(buf + BSB_OFF_MAGIC);
	if (magic != BITMAP_MAGIC)
		return diag_fail(d, "bad bitmap magic 0x%08x (expected 0x%08x)",
				 magic, BITMAP_MAGIC);
	decode_fields(buf, sb);
	return 0;
}

static void encode_fields(const struct bitmap_sb *sb, uint8_t *buf)
{
	put_le32(buf + BSB_OFF_MAGIC, sb->magic);
	put_le32(buf + BSB_OFF_VERSION, sb->version);
	memcpy(buf + BSB_OFF_UUID, sb->uuid, sizeof(sb->uuid));
	put_le64(buf + BSB_OFF_EVENTS, sb->events);
	put_le64(buf + BSB_OFF_EVENTS_CLEARED, sb->events_cleared);
	put_le64(buf + BSB_OFF_SYNC_SIZE, sb->sync_size);
	put_le32(buf + BSB_OFF_STATE, sb->state);
	put_le32(buf + BSB_OFF_CHUNKSIZE, sb->chunksize);
	put_le32(buf + BSB_OFF_DAEMON_SLEEP, sb->daemon_sleep);
	put_le32(buf + BSB_OFF_WRITE_BEHIND, sb->write_behind);
	put_le32(buf + BSB_OFF_SECTORS_RESERVED, sb->sectors_reserved);
	put_le32(buf + BSB_OFF_NODES, sb->nodes);
	memcpy(buf + BSB_OFF_CLUSTER_NAME, sb->cluster_name,
	       sizeof(sb->cluster_name));
	memcpy(buf + BSB_OFF_PAD, sb->pad, sizeof(sb->pad));
}

int bitmap_sb_encode(const struct bitmap_sb *sb, uint8_t *buf, size_t len,
		     struct diag *d)
{
	if (!buf || !sb)
		return diag_fail(d, "no bitmap superblock buffer");
	if (len < BITMAP_SB_SIZE)
		return diag_fail(d, "buffer too small for a bitmap superblock: "
				 "%zu of %u bytes", len, BITMAP_SB_SIZE);
	encode_fields(sb, buf);
	return 0;
}

/* ---- classification ---------------------------------------------------- */

bool bitmap_version_known(uint32_t version)
{
	return version >= BITMAP_MAJOR_LO && version <= BITMAP_MAJOR_LOCKLESS;
}

static bool version_is_classic(uint32_t version)
{
	return version >= BITMAP_MAJOR_LO && version <= BITMAP_MAJOR_CLUSTERED;
}

bool bitmap_is_lockless(const struct bitmap_sb *sb)
{
	return sb->version == BITMAP_MAJOR_LOCKLESS;
}

bool bitmap_first_use(const struct bitmap_sb *sb)
{
	return bitmap_is_lockless(sb) && (sb->state & BITMAP_STATE_FIRST_USE);
}

uint64_t bitmap_chunk_bytes(const struct bitmap_sb *sb)
{
	if (version_is_classic(sb->version))
		return sb->chunksize;
	if (!bitmap_is_lockless(sb) || bitmap_first_use(sb))
		return 0;
	return (uint64_t)sb->chunksize * SECTOR_BYTES;
}

uint64_t bitmap_chunks(const struct bitmap_sb *sb)
{
	uint64_t bytes = bitmap_chunk_bytes(sb), chunks;

	if (bytes == 0)
		return 0;
	/* on overflow chunks is UINT64_MAX, which no space can hold */
	(void)sectors_over_bytes_ceil(sb->sync_size, bytes, &chunks);
	return chunks;
}

uint64_t bitmap_space_sectors(const struct bitmap_sb *sb)
{
	if (bitmap_is_lockless(sb) && sb->sectors_reserved == 0)
		return LLB_DEFAULT_SPACE_SECTORS;
	return sb->sectors_reserved;
}

/* ---- validation -------------------------------------------------------- */

static int validate_classic(const struct bitmap_sb *sb, struct diag *d)
{
	if (sb->chunksize < CLASSIC_MIN_CHUNK_BYTES)
		return diag_fail(d, "bitmap chunksize %u is below %u bytes",
				 sb->chunksize, CLASSIC_MIN_CHUNK_BYTES);
	if (!is_pow2_u64(sb->chunksize))
		return diag_fail(d, "bitmap chunksize %u is not a power of two",
				 sb->chunksize);
	if (sb->daemon_sleep < 1)
		return diag_fail(d, "bitmap daemon_sleep is 0");
	if (sb->write_behind > BITMAP_MAX_WRITE_BEHIND)
		return diag_fail(d, "bitmap write_behind %u exceeds %u",
				 sb->write_behind, BITMAP_MAX_WRITE_BEHIND);
	return 0;
}

static int validate_lockless_space(const struct bitmap_sb *sb, struct diag *d)
{
	uint64_t space = bitmap_space_sectors(sb);
	uint64_t chunks = div_ceil_u64(sb->sync_size, sb->chunksize);
	uint64_t room = llb_max_chunks(space);

	if (chunks > room)
		return diag_fail(d, "%llu chunks of %u sectors exceed the %llu "
				 "that fit in %llu reserved sectors",
				 (unsigned long long)chunks, sb->chunksize,
				 (unsigned long long)room,
				 (unsigned long long)space);
	return 0;
}

static int validate_lockless(const struct bitmap_sb *sb, struct diag *d)
{
	if (bitmap_first_use(sb))
		return 0;
	if (sb->chunksize == 0)
		return diag_fail(d, "lockless bitmap chunksize is 0");
	if (!is_pow2_u64(sb->chunksize))
		return diag_fail(d, "lockless bitmap chunksize %u is not a power "
				 "of two", sb->chunksize);
	if (sb->daemon_sleep < 1)
		return diag_fail(d, "lockless bitmap daemon_sleep is 0");
	if (sb->sync_size == 0)
		return diag_fail(d, "lockless bitmap sync_size is 0");
	return validate_lockless_space(sb, d);
}

int bitmap_sb_validate(const struct bitmap_sb *sb, struct diag *d)
{
	if (!sb)
		return diag_fail(d, "no bitmap superblock");
	if (sb->magic != BITMAP_MAGIC)
		return diag_fail(d, "bad bitmap magic 0x%08x (expected 0x%08x)",
				 sb->magic, BITMAP_MAGIC);
	if (!bitmap_version_known(sb->version))
		return diag_fail(d, "unknown bitmap version %u", sb->version);
	if (bitmap_is_lockless(sb))
		return validate_lockless(sb, d);
	return validate_classic(sb, d);
}

/* ---- upstream-compatible area size ------------------------------------- */

static uint64_t round_up_sat(uint64_t v, uint64_t boundary)
{
	uint64_t rem;

	if (boundary == 0)
		return v;
	rem = v % boundary;
	if (rem == 0)
		return v;
	return sat_add(v, boundary - rem);
}

uint64_t bitmap_upstream_area_bytes(const struct bitmap_sb *sb,
				    unsigned boundary)
{
	uint64_t bits, bytes;

	if (sb->chunksize == 0)
		return 0;
	if (!sectors_over_bytes_ceil(sb->sync_size, sb->chunksize, &bits))
		return UINT64_MAX;
	bytes = sat_add(div_ceil_u64(bits, 8), BITMAP_SB_SIZE);
	return round_up_sat(bytes, boundary);
}

/* ---- the area written to a member ------------------------------------- */

static void area_layout(const struct bitmap_sb *sb, uint64_t chunks, uint64_t *head,
			uint64_t *body)
{
	if (bitmap_is_lockless(sb)) {
		*head = LLBITMAP_DATA_OFFSET;
		*body = chunks;
	} else {
		*head = BITMAP_SB_SIZE;
		*body = div_ceil_u64(chunks, 8);
	}
}

uint64_t bitmap_area_used(const struct bitmap_sb *sb, uint64_t chunks)
{
	uint64_t head, body;

	area_layout(sb, chunks, &head, &body);
	return sat_add(head, body);
}

int bitmap_area_encode(const struct bitmap_sb *sb, uint64_t chunks, uint8_t fill,
		       uint8_t *buf, size_t len, struct diag *d)
{
	uint64_t head, body;

	if (bitmap_sb_encode(sb, buf, len, d))
		return -1;
	area_layout(sb, chunks, &head, &body);
	if (head > len || body > len - head)
		return diag_fail(d, "bitmap data of %llu chunks does not fit in %zu bytes",
				 (unsigned long long)chunks, len);
	memset(buf + head, fill, (size_t)body);
	return 0;
}

/* ---- state flags as text ----------------------------------------------- */

struct state_flag {
	uint32_t value;
	const char *name;
};

static const struct state_flag state_flags[] = {
	{ BITMAP_STATE_STALE,       "stale" },
	{ BITMAP_STATE_WRITE_ERROR, "write-error" },
	{ BITMAP_STATE_FIRST_USE,   "first-use" },
	{ BITMAP_STATE_CLEAN,       "clean" },
	{ BITMAP_STATE_DAEMON_BUSY, "daemon-busy" },
	{ BITMAP_STATE_SHUTDOWN,    "shutdown" },
};

/* Append `word` to buf (comma-separated), truncating safely. */
static void append_word(char *buf, size_t len, const char *word)
{
	size_t used = strnlen(buf, len);

	if (used + 1 >= len)
		return;
	snprintf(buf + used, len - used, "%s%s", used ? "," : "", word);
}

void bitmap_state_text(uint32_t state, char *buf, size_t len)
{
	uint32_t rest = state;
	char hex[16];

	if (!buf || len == 0)
		return;
	buf[0] = '\0';
	if (state == 0) {
		snprintf(buf, len, "none");
		return;
	}
	for (size_t i = 0; i < sizeof(state_flags) / sizeof(state_flags[0]); i++) {
		if (!(state & state_flags[i].value))
			continue;
		append_word(buf, len, state_flags[i].name);
		rest &= ~state_flags[i].value;
	}
	if (rest) {
		snprintf(hex, sizeof(hex), "0x%x", rest);
		append_word(buf, len, hex);
	}
}
