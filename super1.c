/* super1.c - pure codec for the md v1.x superblock
 *
 * Byte offsets follow struct mdp_superblock_1 as the kernel lays it out
 * (shared/docs/md-on-disk-and-sysfs.md section 2). Everything read from
 * disk is treated as hostile: every length is checked before it is used and
 * all sector arithmetic is done in 64 bits with explicit overflow checks. */
#include <inttypes.h>
#include <string.h>

#include "endian.h"
#include "super1.h"

/* field offsets inside the 256-byte fixed part */
enum {
	OFF_MAGIC = 0,
	OFF_MAJOR = 4,
	OFF_FEATURE = 8,
	OFF_PAD0 = 12,
	OFF_SET_UUID = 16,
	OFF_SET_NAME = 32,
	OFF_CTIME = 64,
	OFF_LEVEL = 72,
	OFF_LAYOUT = 76,
	OFF_SIZE = 80,
	OFF_CHUNK = 88,
	OFF_RAID_DISKS = 92,
	OFF_BITMAP = 96,        /* le32 bitmap_offset, or le16 ppl offset ... */
	OFF_PPL_SIZE = 98,      /* ... followed by le16 ppl size */
	OFF_NEW_LEVEL = 100,
	OFF_RESHAPE_POS = 104,
	OFF_DELTA_DISKS = 112,
	OFF_NEW_LAYOUT = 116,
	OFF_NEW_CHUNK = 120,
	OFF_NEW_OFFSET = 124,
	OFF_DATA_OFFSET = 128,
	OFF_DATA_SIZE = 136,
	OFF_SUPER_OFFSET = 144,
	OFF_RECOVERY = 152,
	OFF_DEV_NUMBER = 160,
	OFF_CORRECTED = 164,
	OFF_DEVICE_UUID = 168,
	OFF_DEVFLAGS = 184,
	OFF_BBLOG_SHIFT = 185,
	OFF_BBLOG_SIZE = 186,
	OFF_BBLOG_OFFSET = 188,
	OFF_UTIME = 192,
	OFF_EVENTS = 200,
	OFF_RESYNC = 208,
	OFF_CSUM = 216,
	OFF_MAX_DEV = 220,
	OFF_LBS = 224,
	OFF_PAD3 = 228,
	OFF_ROLES = 256,
};

#define SECTOR_BYTES 512u
#define PPL_FEATURES (SB1_FEAT_PPL | SB1_FEAT_MULTIPLE_PPLS)
/* smallest device sb1_location accepts, in sectors */
#define MIN_DEV_SECTORS 24u
/* kernel refuses a data area smaller than this many sectors */
#define MIN_DATA_SECTORS 10u

/* ---- sizes ----------------------------------------------------------- */

/* 256 + 2*max_dev without overflowing a 32-bit size_t */
static uint64_t used_bytes(uint32_t max_dev)
{
	return (uint64_t)SB1_FIXED_SIZE + 2u * (uint64_t)max_dev;
}

size_t sb1_used_size(const struct sb1 *sb)
{
	uint64_t n = used_bytes(sb->max_dev);

	return n > SIZE_MAX ? SIZE_MAX : (size_t)n;
}

/* sectors the superblock occupies (used size rounded up to 512 bytes) */
static uint64_t sb_sectors(uint32_t max_dev)
{
	return (used_bytes(max_dev) + SECTOR_BYTES - 1) / SECTOR_BYTES;
}

/* ---- decode ---------------------------------------------------------- */

static void decode_identity(const uint8_t *b, struct sb1 *sb)
{
	sb->magic = get_le32(b + OFF_MAGIC);
	sb->major_version = get_le32(b + OFF_MAJOR);
	sb->feature_map = get_le32(b + OFF_FEATURE);
	sb->pad0 = get_le32(b + OFF_PAD0);
	memcpy(sb->set_uuid, b + OFF_SET_UUID, sizeof(sb->set_uuid));
	memcpy(sb->set_name, b + OFF_SET_NAME, sizeof(sb->set_name));
	sb->ctime = get_le64(b + OFF_CTIME);
}

static void decode_array(const uint8_t *b, struct sb1 *sb)
{
	sb->level = (int32_t)get_le32(b + OFF_LEVEL);
	sb->layout = get_le32(b + OFF_LAYOUT);
	sb->size = get_le64(b + OFF_SIZE);
	sb->chunksize = get_le32(b + OFF_CHUNK);
	sb->raid_disks = get_le32(b + OFF_RAID_DISKS);
	sb->bitmap_offset = (int32_t)get_le32(b + OFF_BITMAP);
	sb->ppl_offset = (int16_t)get_le16(b + OFF_BITMAP);
	sb->ppl_size = get_le16(b + OFF_PPL_SIZE);
}

static void decode_reshape(const uint8_t *b, struct sb1 *sb)
{
	sb->new_level = get_le32(b + OFF_NEW_LEVEL);
	sb->reshape_position = get_le64(b + OFF_RESHAPE_POS);
	sb->delta_disks = (int32_t)get_le32(b + OFF_DELTA_DISKS);
	sb->new_layout = get_le32(b + OFF_NEW_LAYOUT);
	sb->new_chunk = get_le32(b + OFF_NEW_CHUNK);
	sb->new_offset = (int32_t)get_le32(b + OFF_NEW_OFFSET);
}

static void decode_member(const uint8_t *b, struct sb1 *sb)
{
	sb->data_offset = get_le64(b + OFF_DATA_OFFSET);
	sb->data_size = get_le64(b + OFF_DATA_SIZE);
	sb->super_offset = get_le64(b + OFF_SUPER_OFFSET);
	sb->recovery_offset = get_le64(b + OFF_RECOVERY);
	sb->dev_number = get_le32(b + OFF_DEV_NUMBER);
	sb->cnt_corrected_read = get_le32(b + OFF_CORRECTED);
	memcpy(sb->device_uuid, b + OFF_DEVICE_UUID, sizeof(sb->device_uuid));
	sb->devflags = b[OFF_DEVFLAGS];
	sb->bblog_shift = b[OFF_BBLOG_SHIFT];
	sb->bblog_size = get_le16(b + OFF_BBLOG_SIZE);
	sb->bblog_offset = (int32_t)get_le32(b + OFF_BBLOG_OFFSET);
}

static void decode_state(const uint8_t *b, struct sb1 *sb)
{
	sb->utime = get_le64(b + OFF_UTIME);
	sb->events = get_le64(b + OFF_EVENTS);
	sb->resync_offset = get_le64(b + OFF_RESYNC);
	sb->sb_csum = get_le32(b + OFF_CSUM);
	sb->max_dev = get_le32(b + OFF_MAX_DEV);
	sb->logical_block_size = get_le32(b + OFF_LBS);
	memcpy(sb->pad3, b + OFF_PAD3, sizeof(sb->pad3));
}

/* caller has checked max_dev <= SB1_MAX_DEV and the buffer length */
static void decode_roles(const uint8_t *b, struct sb1 *sb)
{
	for (uint32_t i = 0; i < sb->max_dev; i++)
		sb->dev_roles[i] = get_le16(b + OFF_ROLES + 2u * i);
}

static int check_header(const uint8_t *buf, size_t len, struct diag *d)
{
	uint32_t magic, major, max_dev;

	if (len < SB1_FIXED_SIZE)
		return diag_fail(d, "superblock buffer is %zu bytes, need at least %u",
				 len, SB1_FIXED_SIZE);
	magic = get_le32(buf + OFF_MAGIC);
	if (magic != SB1_MAGIC)
		return diag_fail(d, "bad magic 0x%08" PRIx32 " (expected 0x%08x)",
				 magic, SB1_MAGIC);
	major = get_le32(buf + OFF_MAJOR);
	if (major != 1)
		return diag_fail(d, "major version %" PRIu32 " is not 1", major);
	max_dev = get_le32(buf + OFF_MAX_DEV);
	if (max_dev > SB1_MAX_DEV)
		return diag_fail(d, "max_dev %" PRIu32 " exceeds the kernel limit of %u",
				 max_dev, SB1_MAX_DEV);
	if (used_bytes(max_dev) > len)
		return diag_fail(d, "superblock with max_dev %" PRIu32 " needs %" PRIu64
				 " bytes but only %zu were read",
				 max_dev, used_bytes(max_dev), len);
	return 0;
}

int sb1_decode(const uint8_t *buf, size_t len, struct sb1 *sb, struct diag *d)
{
	if (check_header(buf, len, d) < 0)
		return -1;
	memset(sb, 0, sizeof(*sb));
	decode_identity(buf, sb);
	decode_array(buf, sb);
	decode_reshape(buf, sb);
	decode_member(buf, sb);
	decode_state(buf, sb);
	decode_roles(buf, sb);
	return 0;
}

/* ---- encode ---------------------------------------------------------- */

static void encode_identity(const struct sb1 *sb, uint8_t *b)
{
	put_le32(b + OFF_MAGIC, sb->magic);
	put_le32(b + OFF_MAJOR, sb->major_version);
	put_le32(b + OFF_FEATURE, sb->feature_map);
	put_le32(b + OFF_PAD0, sb->pad0);
	memcpy(b + OFF_SET_UUID, sb->set_uuid, sizeof(sb->set_uuid));
	memcpy(b + OFF_SET_NAME, sb->set_name, sizeof(sb->set_name));
	put_le64(b + OFF_CTIME, sb->ctime);
}

static void encode_array(const struct sb1 *sb, uint8_t *b)
{
	put_le32(b + OFF_LEVEL, (uint32_t)sb->level);
	put_le32(b + OFF_LAYOUT, sb->layout);
	put_le64(b + OFF_SIZE, sb->size);
	put_le32(b + OFF_CHUNK, sb->chunksize);
	put_le32(b + OFF_RAID_DISKS, sb->raid_disks);
	/* the 4 bytes at 96 are either bitmap_offset or the ppl pair */
	if (sb->feature_map & PPL_FEATURES) {
		put_le16(b + OFF_BITMAP, (uint16_t)sb->ppl_offset);
		put_le16(b + OFF_PPL_SIZE, sb->ppl_size);
	} else {
		put_le32(b + OFF_BITMAP, (uint32_t)sb->bitmap_offset);
	}
}

static void encode_reshape(const struct sb1 *sb, uint8_t *b)
{
	put_le32(b + OFF_NEW_LEVEL, sb->new_level);
	put_le64(b + OFF_RESHAPE_POS, sb->reshape_position);
	put_le32(b + OFF_DELTA_DISKS, (uint32_t)sb->delta_disks);
	put_le32(b + OFF_NEW_LAYOUT, sb->new_layout);
	put_le32(b + OFF_NEW_CHUNK, sb->new_chunk);
	put_le32(b + OFF_NEW_OFFSET, (uint32_t)sb->new_offset);
}

static void encode_member(const struct sb1 *sb, uint8_t *b)
{
	put_le64(b + OFF_DATA_OFFSET, sb->data_offset);
	put_le64(b + OFF_DATA_SIZE, sb->data_size);
	put_le64(b + OFF_SUPER_OFFSET, sb->super_offset);
	put_le64(b + OFF_RECOVERY, sb->recovery_offset);
	put_le32(b + OFF_DEV_NUMBER, sb->dev_number);
	put_le32(b + OFF_CORRECTED, sb->cnt_corrected_read);
	memcpy(b + OFF_DEVICE_UUID, sb->device_uuid, sizeof(sb->device_uuid));
	b[OFF_DEVFLAGS] = sb->devflags;
	b[OFF_BBLOG_SHIFT] = sb->bblog_shift;
	put_le16(b + OFF_BBLOG_SIZE, sb->bblog_size);
	put_le32(b + OFF_BBLOG_OFFSET, (uint32_t)sb->bblog_offset);
}

static void encode_state(const struct sb1 *sb, uint8_t *b)
{
	put_le64(b + OFF_UTIME, sb->utime);
	put_le64(b + OFF_EVENTS, sb->events);
	put_le64(b + OFF_RESYNC, sb->resync_offset);
	put_le32(b + OFF_CSUM, sb->sb_csum);
	put_le32(b + OFF_MAX_DEV, sb->max_dev);
	put_le32(b + OFF_LBS, sb->logical_block_size);
	memcpy(b + OFF_PAD3, sb->pad3, sizeof(sb->pad3));
}

/* the 256-byte fixed part; b must hold SB1_FIXED_SIZE bytes */
static void encode_fixed(const struct sb1 *sb, uint8_t *b)
{
	encode_identity(sb, b);
	encode_array(sb, b);
	encode_reshape(sb, b);
	encode_member(sb, b);
	encode_state(sb, b);
}

int sb1_encode(const struct sb1 *sb, uint8_t *buf, size_t len, struct diag *d)
{
	if (sb->max_dev > SB1_MAX_DEV)
		return diag_fail(d, "max_dev %" PRIu32 " exceeds the kernel limit of %u",
				 sb->max_dev, SB1_MAX_DEV);
	if (used_bytes(sb->max_dev) > len)
		return diag_fail(d, "encoding needs %" PRIu64 " bytes, buffer has %zu",
				 used_bytes(sb->max_dev), len);
	encode_fixed(sb, buf);
	for (uint32_t i = 0; i < sb->max_dev; i++)
		put_le16(buf + OFF_ROLES + 2u * i, sb->dev_roles[i]);
	return 0;
}

/* ---- checksum -------------------------------------------------------- */

/* sum of the 64 LE words of the fixed part, sb_csum counted as zero */
static uint64_t csum_fixed(const uint8_t *b)
{
	uint64_t sum = 0;

	for (unsigned off = 0; off < SB1_FIXED_SIZE; off += 4)
		if (off != OFF_CSUM)
			sum += get_le32(b + off);
	return sum;
}

static uint32_t csum_fold(uint64_t sum)
{
	return (uint32_t)((sum & 0xffffffffu) + (sum >> 32));
}

int sb1_csum_bytes(const uint8_t *buf, size_t len, uint32_t *out)
{
	uint64_t used, sum, off;

	if (len < SB1_FIXED_SIZE)
		return -1;
	used = used_bytes(get_le32(buf + OFF_MAX_DEV));
	if (used > len)
		return -1;
	sum = csum_fixed(buf);
	for (off = SB1_FIXED_SIZE; off + 4 <= used; off += 4)
		sum += get_le32(buf + off);
	if (off < used)         /* odd max_dev: one trailing half-word */
		sum += get_le16(buf + off);
	*out = csum_fold(sum);
	return 0;
}

/* Entry i of dev_roles lands in the low (even i) or high (odd i) half of a
 * 32-bit word; a missing partner half is zero, which also covers the odd
 * max_dev tail. Entries past SB1_MAX_DEV cannot be held by the struct and
 * count as zero, so no loop runs longer than SB1_MAX_DEV. */
static uint64_t csum_roles(const struct sb1 *sb)
{
	uint32_t n = sb->max_dev < SB1_MAX_DEV ? sb->max_dev : SB1_MAX_DEV;
	uint64_t sum = 0;

	for (uint32_t i = 0; i < n; i++)
		sum += (uint64_t)sb->dev_roles[i] << (i & 1 ? 16 : 0);
	return sum;
}

uint32_t sb1_csum_compute(const struct sb1 *sb)
{
	uint8_t fixed[SB1_FIXED_SIZE];

	encode_fixed(sb, fixed);
	return csum_fold(csum_fixed(fixed) + csum_roles(sb));
}

bool sb1_csum_ok(const struct sb1 *sb)
{
	return sb1_csum_compute(sb) == sb->sb_csum;
}

void sb1_set_csum(struct sb1 *sb)
{
	sb->sb_csum = sb1_csum_compute(sb);
}

/* ---- location -------------------------------------------------------- */

int sb1_location(int minor, uint64_t dev_sectors, uint64_t *sector)
{
	if (dev_sectors < MIN_DEV_SECTORS)
		return -1;
	switch (minor) {
	case 0:
		*sector = (dev_sectors - 16) & ~(uint64_t)7;
		return 0;
	case 1:
		*sector = 0;
		return 0;
	case 2:
		*sector = 8;
		return 0;
	default:
		return -1;
	}
}

int sb1_minor_from_offset(uint64_t super_offset)
{
	if (super_offset <= 4)
		return 1;
	if (super_offset <= 8)
		return 2;
	return 0;
}

/* ---- geometry -------------------------------------------------------- */

/* A run of sectors [start, start + len). */
struct span {
	uint64_t start;
	uint64_t len;
};

/* true when [start, start+len) lies inside a device of dev sectors */
static bool span_in_device(struct span s, uint64_t dev)
{
	return s.len <= dev && s.start <= dev - s.len;
}

/* both spans must already be inside the device (no overflow possible) */
static bool spans_overlap(struct span a, struct span b)
{
	if (a.len == 0 || b.len == 0)
		return false;
	return a.start < b.start + b.len && b.start < a.start + a.len;
}

/* base + rel as an absolute sector; false if it falls below 0 or past
 * UINT64_MAX */
static bool sector_at(uint64_t base, int64_t rel, uint64_t *out)
{
	if (rel < 0) {
		uint64_t back = (uint64_t)(-(rel + 1)) + 1;  /* |rel| without UB */

		if (back > base)
			return false;
		*out = base - back;
		return true;
	}
	if ((uint64_t)rel > UINT64_MAX - base)
		return false;
	*out = base + (uint64_t)rel;
	return true;
}

static int check_location(const struct sb1 *sb, int minor, uint64_t dev,
			  struct diag *d)
{
	uint64_t want;

	if (minor < 0 || minor > 2)
		return diag_fail(d, "unknown metadata minor version 1.%d", minor);
	if (sb1_location(minor, dev, &want) < 0)
		return diag_fail(d, "device of %" PRIu64 " sectors is too small for a "
				 "superblock (need at least %u)", dev, MIN_DEV_SECTORS);
	if (sb->super_offset != want)
		return diag_fail(d, "superblock says it is at sector %" PRIu64
				 " but a 1.%d superblock lives at sector %" PRIu64,
				 sb->super_offset, minor, want);
	return 0;
}

static int check_features(const struct sb1 *sb, struct diag *d)
{
	uint32_t f = sb->feature_map;

	if (f & ~SB1_FEAT_ALL)
		return diag_fail(d, "unknown feature bits 0x%" PRIx32, f & ~SB1_FEAT_ALL);
	if ((f & SB1_FEAT_PPL) && (f & SB1_FEAT_MULTIPLE_PPLS))
		return diag_fail(d, "features PPL and MULTIPLE_PPLS are mutually exclusive");
	if ((f & PPL_FEATURES) && (f & (SB1_FEAT_BITMAP_OFFSET | SB1_FEAT_JOURNAL)))
		return diag_fail(d, "a partial parity log cannot be combined with a "
				 "bitmap or a journal (feature map 0x%" PRIx32 ")", f);
	if ((f & SB1_FEAT_RAID0_LAYOUT) && sb->level != 0)
		return diag_fail(d, "RAID0_LAYOUT feature set on a level %" PRId32 " array",
				 sb->level);
	return 0;
}

static bool known_level(int32_t level)
{
	switch (level) {
	case -5: case -4: case -1: case 0: case 1: case 4: case 5: case 6: case 10:
		return true;
	default:
		return false;
	}
}

static bool power_of_two(uint32_t v) { return v && !(v & (v - 1)); }

/* Why the kernel would refuse to run this level with these members,
 * layout and chunk (sectors), or NULL. Only what no kernel accepts:
 * refusing a shape some kernel runs would hide an array from its owner. */
static const char *shape_problem(int32_t level, uint32_t disks, uint32_t layout,
				 uint32_t chunk)
{
	if (!known_level(level))
		return "unknown RAID level";
	if (disks == 0)
		return "no member devices";
	switch (level) {
	case 0:
		return chunk == 0 ? "RAID0 with chunk size 0" : NULL;
	case 4: case 5: case 6:
		if (level == 6 ? disks < 3 : disks < 2)
			return level == 6 ? "RAID6 needs at least 3 devices"
					  : "RAID4/5 needs at least 2 devices";
		if (!power_of_two(chunk) || chunk < 8)
			return "RAID4/5/6 chunk size is not a power of two of at least 4 KiB";
		if (level == 5 && layout > 5)
			return "unknown RAID5 layout";
		if (level == 6 && !(layout <= 5 || (layout >= 8 && layout <= 10) ||
				    (layout >= 16 && layout <= 20)))
			return "unknown RAID6 layout";
		return NULL;
	case 10: {
		uint32_t copies = (layout & 0xff) * ((layout >> 8) & 0xff);

		if ((layout >> 17) > 2)
			return "unknown RAID10 layout";
		if (copies < 2 || copies > disks)
			return "RAID10 layout needs more copies than devices, or fewer than 2";
		if (!power_of_two(chunk) || chunk < 8)
			return "RAID10 chunk size is not a power of two of at least 4 KiB";
		return NULL;
	}
	default:
		return NULL;
	}
}

/* The array's shape, and the target shape of a reshape in progress. */
static int check_shape(const struct sb1 *sb, struct diag *d)
{
	const char *why = shape_problem(sb->level, sb->raid_disks, sb->layout, sb->chunksize);

	if (why)
		return diag_fail(d, "%s (level %" PRId32 ", %" PRIu32 " devices, layout %" PRIu32
				 ", chunk %" PRIu32 " sectors)", why, sb->level, sb->raid_disks,
				 sb->layout, sb->chunksize);
	if ((sb->feature_map & SB1_FEAT_JOURNAL) && (sb->level < 4 || sb->level > 6))
		return diag_fail(d, "JOURNAL feature set on a level %" PRId32 " array", sb->level);
	if (sb->feature_map & SB1_FEAT_RESHAPE_ACTIVE) {
		int64_t target = (int64_t)sb->raid_disks + sb->delta_disks;

		if (target < 1 || target > (int64_t)sb->max_dev)
			return diag_fail(d, "reshape to %" PRId64 " devices is impossible", target);
		why = shape_problem((int32_t)sb->new_level, (uint32_t)target, sb->new_layout,
				    sb->new_chunk);
		if (why)
			return diag_fail(d, "reshape target: %s (level %" PRId32 ", %" PRId64
					 " devices, layout %" PRIu32 ", chunk %" PRIu32 " sectors)",
					 why, (int32_t)sb->new_level, target, sb->new_layout,
					 sb->new_chunk);
	}
	return 0;
}

static int check_padding(const struct sb1 *sb, struct diag *d)
{
	if (sb->pad0 != 0)
		return diag_fail(d, "non-zero padding in pad0 (0x%08" PRIx32 ")", sb->pad0);
	for (size_t i = 0; i < sizeof(sb->pad3); i++)
		if (sb->pad3[i] != 0)
			return diag_fail(d, "non-zero padding at byte %zu (0x%02x): "
					 "written by a newer kernel?",
					 (size_t)OFF_PAD3 + i, sb->pad3[i]);
	return 0;
}

/* Counts that later code indexes or sizes by. max_dev is checked first so
 * that super_offset + sb_sectors() below cannot overflow. A zero LBS means
 * "not recorded". */
static int check_counts(const struct sb1 *sb, struct diag *d)
{
	uint32_t lbs = sb->logical_block_size;

	if (sb->max_dev > SB1_MAX_DEV)
		return diag_fail(d, "max_dev %" PRIu32 " exceeds the kernel limit of %u",
				 sb->max_dev, SB1_MAX_DEV);
	if (sb->raid_disks > sb->max_dev)
		return diag_fail(d, "raid_disks %" PRIu32 " exceeds max_dev %" PRIu32
				 ": not every slot could have a member",
				 sb->raid_disks, sb->max_dev);
	if (lbs != 0 && (lbs < SECTOR_BYTES || (lbs & (lbs - 1)) != 0))
		return diag_fail(d, "logical block size %" PRIu32 " is not a power of "
				 "two of at least 512 bytes", lbs);
	/* dev_number >= max_dev is not rejected: the kernel accepts such a
	 * member (as a spare); sb1_role() reports it as faulty. */
	return 0;
}

static int check_data_area(const struct sb1 *sb, int minor, uint64_t dev,
			   struct diag *d)
{
	uint64_t sb_end = sb->super_offset + sb_sectors(sb->max_dev);

	if (sb->data_size < MIN_DATA_SECTORS)
		return diag_fail(d, "data size %" PRIu64 " sectors is below the minimum "
				 "of %u", sb->data_size, MIN_DATA_SECTORS);
	if (sb->data_size > UINT64_MAX - sb->data_offset)
		return diag_fail(d, "data area (offset %" PRIu64 " + size %" PRIu64
				 " sectors) overflows 64 bits",
				 sb->data_offset, sb->data_size);
	if (sb->data_offset + sb->data_size > dev)
		return diag_fail(d, "data area (offset %" PRIu64 " + size %" PRIu64
				 " sectors) extends past the end of the device (%" PRIu64
				 " sectors)", sb->data_offset, sb->data_size, dev);
	if (minor == 0 && sb->data_offset + sb->data_size > sb->super_offset)
		return diag_fail(d, "data area (offset %" PRIu64 " + size %" PRIu64
				 " sectors) runs into the 1.0 superblock at sector %" PRIu64,
				 sb->data_offset, sb->data_size, sb->super_offset);
	if (minor != 0 && sb->data_offset < sb_end)
		return diag_fail(d, "data offset %" PRIu64 " lies inside or before the "
				 "1.%d superblock (sectors %" PRIu64 "..%" PRIu64 ")",
				 sb->data_offset, minor, sb->super_offset, sb_end - 1);
	return 0;
}

/* with NEW_OFFSET the reshape target data_offset + new_offset must also be
 * on the device and, for 1.1/1.2, after the superblock */
static int check_new_offset(const struct sb1 *sb, int minor, uint64_t dev,
			    struct diag *d)
{
	uint64_t start, sb_end = sb->super_offset + sb_sectors(sb->max_dev);

	if (!(sb->feature_map & SB1_FEAT_NEW_OFFSET))
		return 0;
	if (!sector_at(sb->data_offset, sb->new_offset, &start) || start >= dev)
		return diag_fail(d, "new data offset (%" PRIu64 " %+" PRId32 " sectors) "
				 "is outside the device (%" PRIu64 " sectors)",
				 sb->data_offset, sb->new_offset, dev);
	if (minor != 0 && start < sb_end)
		return diag_fail(d, "new data offset %" PRIu64 " lies inside or before "
				 "the 1.%d superblock", start, minor);
	return 0;
}

/* An area described relative to the superblock (bitmap, bad-block log,
 * PPL) must be on the device and clear of the superblock and the data. */
static int check_area(const struct sb1 *sb, uint64_t dev, const char *what,
		      int64_t rel, uint64_t len, struct diag *d)
{
	struct span sbs = { sb->super_offset, sb_sectors(sb->max_dev) };
	struct span data = { sb->data_offset, sb->data_size };
	struct span s = { 0, len };

	if (!sector_at(sb->super_offset, rel, &s.start) || !span_in_device(s, dev))
		return diag_fail(d, "%s offset %+" PRId64 " sectors (length %" PRIu64
				 ") points outside the device (%" PRIu64 " sectors)",
				 what, rel, len, dev);
	if (spans_overlap(s, sbs))
		return diag_fail(d, "%s offset %+" PRId64 " sectors points inside the "
				 "superblock (sectors %" PRIu64 "..%" PRIu64 ")", what, rel,
				 sbs.start, sbs.start + sbs.len - 1);
	if (spans_overlap(s, data))
		return diag_fail(d, "%s offset %+" PRId64 " sectors points inside the "
				 "data area (sectors %" PRIu64 "..%" PRIu64 ")", what, rel,
				 data.start, data.start + data.len - 1);
	return 0;
}

static int check_bitmap(const struct sb1 *sb, uint64_t dev, struct diag *d)
{
	if (!(sb->feature_map & SB1_FEAT_BITMAP_OFFSET))
		return 0;
	/* only the bitmap superblock (one sector) is known from here */
	return check_area(sb, dev, "bitmap", sb->bitmap_offset, 1, d);
}

static int check_bblog(const struct sb1 *sb, uint64_t dev, struct diag *d)
{
	bool feature = (sb->feature_map & SB1_FEAT_BAD_BLOCKS) != 0;

	if (feature && (sb->bblog_offset == 0 || sb->bblog_size == 0))
		return diag_fail(d, "BAD_BLOCKS feature set but the bad-block log has "
				 "offset %" PRId32 " and size %u",
				 sb->bblog_offset, (unsigned)sb->bblog_size);
	if (sb->bblog_size == 0)
		return 0;
	return check_area(sb, dev, "bad-block log", sb->bblog_offset,
			  sb->bblog_size, d);
}

static int check_ppl(const struct sb1 *sb, uint64_t dev, struct diag *d)
{
	if (!(sb->feature_map & PPL_FEATURES))
		return 0;
	if (sb->ppl_size == 0)
		return diag_fail(d, "PPL feature set but the PPL size is 0");
	return check_area(sb, dev, "PPL", sb->ppl_offset, sb->ppl_size, d);
}

int sb1_check_geometry(const struct sb1 *sb, int minor, uint64_t dev_sectors,
		       struct diag *d)
{
	if (check_location(sb, minor, dev_sectors, d) < 0 ||
	    check_features(sb, d) < 0 ||
	    check_padding(sb, d) < 0 ||
	    check_counts(sb, d) < 0 ||
	    check_shape(sb, d) < 0 ||
	    check_data_area(sb, minor, dev_sectors, d) < 0 ||
	    check_new_offset(sb, minor, dev_sectors, d) < 0 ||
	    check_bitmap(sb, dev_sectors, d) < 0 ||
	    check_bblog(sb, dev_sectors, d) < 0 ||
	    check_ppl(sb, dev_sectors, d) < 0)
		return -1;
	return 0;
}

/* ---- derived values -------------------------------------------------- */

uint16_t sb1_role(const struct sb1 *sb)
{
	if (sb->dev_number >= sb->max_dev || sb->dev_number >= SB1_MAX_DEV)
		return SB1_ROLE_FAULTY;
	return sb->dev_roles[sb->dev_number];
}

uint64_t sb1_time_seconds(uint64_t t)
{
	return t & ((UINT64_C(1) << 40) - 1);
}

static bool ratio(unsigned n, unsigned dn, unsigned *num, unsigned *den)
{
	*num = n;
	*den = dn;
	return true;
}

bool sb1_data_ratio(const struct sb1 *sb, unsigned *num, unsigned *den)
{
	uint32_t disks = sb->raid_disks;
	unsigned copies;

	switch (sb->level) {
	case 1:
		return ratio(1, 1, num, den);
	case 4:
	case 5:
		return disks >= 2 && ratio(disks - 1, 1, num, den);
	case 6:
		return disks >= 3 && ratio(disks - 2, 1, num, den);
	case 10:
		copies = (sb->layout & 0xffu) * ((sb->layout >> 8) & 0xffu);
		return copies != 0 && disks >= copies && ratio(disks, copies, num, den);
	default:
		return false;
	}
}

bool sb1_has_bblog(const struct sb1 *sb)
{
	return sb->bblog_size != 0 && sb->bblog_offset != 0;
}

bool sb1_bblog_entry(const uint8_t *log, size_t len, size_t i, unsigned shift,
		     uint64_t *sector, uint64_t *count)
{
	uint64_t e;

	if (i >= len / 8)
		return false;
	e = get_le64(log + i * 8);
	/* the kernel fills unused entries with ones; a log it never wrote is
	 * zeros, and it never records a range of length 0 */
	if (e == UINT64_MAX || (e & 0x3ffu) == 0 || shift > SB1_BBLOG_MAX_SHIFT)
		return false;
	*sector = (e >> 10) << shift;
	*count = (e & 0x3ffu) << shift;
	return true;
}

bool sb1_reshape_needs_backup(const struct sb1 *sb)
{
	return (sb->feature_map & SB1_FEAT_RESHAPE_ACTIVE) &&
	       !((sb->feature_map & SB1_FEAT_NEW_OFFSET) && sb->new_offset != 0);
}
