/* super0.c - pure codec for the md 0.90 superblock
 *
 * Word numbers follow mdp_super_t as the kernel lays it out (md_p.h): 32
 * constant words, 32 state words, 64 personality words, 27 descriptors of
 * 32 words and this device's descriptor in the last 32. Everything read
 * from disk is hostile: every count that indexes the descriptor table or
 * sizes an area is bounded by sb0_check before anyone uses it. */
#include <inttypes.h>
#include <string.h>

#include "sha1.h"
#include "super0.h"

/* word indexes */
enum {
	W_MAGIC = 0, W_MAJOR, W_MINOR, W_PATCH, W_GVALID, W_UUID0, W_CTIME, W_LEVEL,
	W_SIZE, W_NR_DISKS, W_RAID_DISKS, W_MD_MINOR, W_NOT_PERSISTENT, W_UUID1,
	W_UUID2, W_UUID3, W_CRESERVED,
	W_UTIME = 32, W_STATE, W_ACTIVE, W_WORKING, W_FAILED, W_SPARE, W_CSUM,
	W_EVENTS = 39,          /* 64 bits in the superblock's byte order */
	W_CP_EVENTS = 41,       /* likewise */
	W_RECOVERY_CP = 43,
	W_RESHAPE_POS = 44,     /* 64 bits */
	W_NEW_LEVEL = 46, W_DELTA_DISKS, W_NEW_LAYOUT, W_NEW_CHUNK, W_SRESERVED,
	W_LAYOUT = 64, W_CHUNK, W_ROOT_PV, W_ROOT_BLOCK, W_PRESERVED,
	W_DISKS = 128,
	W_THIS_DISK = 992,
};

#define SB0_WORDS (SB0_BYTES / 4)
#define DESC_WORDS 32u

bool sb0_host_is_big_endian(void)
{
	const uint32_t probe = 1;
	uint8_t first;

	memcpy(&first, &probe, 1);
	return first == 0;
}

/* ---- words in either byte order ----------------------------------------- */

static uint32_t get32(const uint8_t *buf, unsigned word, bool big)
{
	const uint8_t *p = buf + 4u * word;

	if (big)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void put32(uint8_t *buf, unsigned word, bool big, uint32_t v)
{
	uint8_t *p = buf + 4u * word;

	for (unsigned i = 0; i < 4; i++)
		p[big ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

/* a 64-bit field is the two words in the superblock's byte order */
static uint64_t get64(const uint8_t *buf, unsigned word, bool big)
{
	uint64_t first = get32(buf, word, big), second = get32(buf, word + 1, big);

	return big ? first << 32 | second : second << 32 | first;
}

static void put64(uint8_t *buf, unsigned word, bool big, uint64_t v)
{
	put32(buf, word, big, (uint32_t)(big ? v >> 32 : v));
	put32(buf, word + 1, big, (uint32_t)(big ? v : v >> 32));
}

static void get_words(const uint8_t *buf, unsigned word, bool big, uint32_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = get32(buf, word + (unsigned)i, big);
}

static void put_words(uint8_t *buf, unsigned word, bool big, const uint32_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put32(buf, word + (unsigned)i, big, in[i]);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- location and detection ---------------------------------------------- */

int sb0_location(uint64_t dev_sectors, uint64_t *sector)
{
	if (dev_sectors < SB0_RESERVED_SECTORS)
		return -1;
	*sector = (dev_sectors & ~(uint64_t)(SB0_RESERVED_SECTORS - 1)) - SB0_RESERVED_SECTORS;
	return 0;
}

bool sb0_has_magic(const uint8_t *buf, size_t len)
{
	return len >= 4 && (get32(buf, W_MAGIC, false) == SB0_MAGIC ||
			    get32(buf, W_MAGIC, true) == SB0_MAGIC);
}

/* ---- decode ---------------------------------------------------------------- */

static void decode_disk(const uint8_t *buf, unsigned word, bool big, struct sb0_disk *dk)
{
	dk->number = get32(buf, word, big);
	dk->major = get32(buf, word + 1, big);
	dk->minor = get32(buf, word + 2, big);
	dk->raid_disk = get32(buf, word + 3, big);
	dk->state = get32(buf, word + 4, big);
	get_words(buf, word + 5, big, dk->reserved, COUNT(dk->reserved));
}

static void decode_constant(const uint8_t *b, bool big, struct sb0 *sb)
{
	sb->md_magic = get32(b, W_MAGIC, big);
	sb->major_version = get32(b, W_MAJOR, big);
	sb->minor_version = get32(b, W_MINOR, big);
	sb->patch_version = get32(b, W_PATCH, big);
	sb->gvalid_words = get32(b, W_GVALID, big);
	sb->set_uuid0 = get32(b, W_UUID0, big);
	sb->ctime = get32(b, W_CTIME, big);
	sb->level = (int32_t)get32(b, W_LEVEL, big);
	sb->size = get32(b, W_SIZE, big);
	sb->nr_disks = get32(b, W_NR_DISKS, big);
	sb->raid_disks = get32(b, W_RAID_DISKS, big);
	sb->md_minor = get32(b, W_MD_MINOR, big);
	sb->not_persistent = get32(b, W_NOT_PERSISTENT, big);
	sb->set_uuid1 = get32(b, W_UUID1, big);
	sb->set_uuid2 = get32(b, W_UUID2, big);
	sb->set_uuid3 = get32(b, W_UUID3, big);
	get_words(b, W_CRESERVED, big, sb->gstate_creserved, COUNT(sb->gstate_creserved));
}

static void decode_state(const uint8_t *b, bool big, struct sb0 *sb)
{
	sb->utime = get32(b, W_UTIME, big);
	sb->state = get32(b, W_STATE, big);
	sb->active_disks = get32(b, W_ACTIVE, big);
	sb->working_disks = get32(b, W_WORKING, big);
	sb->failed_disks = get32(b, W_FAILED, big);
	sb->spare_disks = get32(b, W_SPARE, big);
	sb->sb_csum = get32(b, W_CSUM, big);
	sb->events = get64(b, W_EVENTS, big);
	sb->cp_events = get64(b, W_CP_EVENTS, big);
	sb->recovery_cp = get32(b, W_RECOVERY_CP, big);
	sb->reshape_position = get64(b, W_RESHAPE_POS, big);
	sb->new_level = (int32_t)get32(b, W_NEW_LEVEL, big);
	sb->delta_disks = (int32_t)get32(b, W_DELTA_DISKS, big);
	sb->new_layout = get32(b, W_NEW_LAYOUT, big);
	sb->new_chunk = get32(b, W_NEW_CHUNK, big);
	get_words(b, W_SRESERVED, big, sb->gstate_sreserved, COUNT(sb->gstate_sreserved));
}

static void decode_personality(const uint8_t *b, bool big, struct sb0 *sb)
{
	sb->layout = get32(b, W_LAYOUT, big);
	sb->chunk_size = get32(b, W_CHUNK, big);
	sb->root_pv = get32(b, W_ROOT_PV, big);
	sb->root_block = get32(b, W_ROOT_BLOCK, big);
	get_words(b, W_PRESERVED, big, sb->pstate_reserved, COUNT(sb->pstate_reserved));
}

int sb0_decode(const uint8_t *buf, size_t len, struct sb0 *sb, struct diag *d)
{
	bool big;

	if (len < SB0_BYTES)
		return diag_fail(d, "0.90 superblock buffer is %zu bytes, need %u", len, SB0_BYTES);
	if (get32(buf, W_MAGIC, false) == SB0_MAGIC)
		big = false;
	else if (get32(buf, W_MAGIC, true) == SB0_MAGIC)
		big = true;
	else
		return diag_fail(d, "bad magic 0x%08" PRIx32 " (expected 0x%08x)",
				 get32(buf, W_MAGIC, sb0_host_is_big_endian()), SB0_MAGIC);
	if (get32(buf, W_MAJOR, big) != 0)
		return diag_fail(d, "major version %" PRIu32 " is not 0", get32(buf, W_MAJOR, big));
	memset(sb, 0, sizeof(*sb));
	sb->big_endian = big;
	decode_constant(buf, big, sb);
	decode_state(buf, big, sb);
	decode_personality(buf, big, sb);
	for (unsigned i = 0; i < SB0_DISKS; i++)
		decode_disk(buf, W_DISKS + i * DESC_WORDS, big, &sb->disks[i]);
	decode_disk(buf, W_THIS_DISK, big, &sb->this_disk);
	return 0;
}

/* ---- encode ---------------------------------------------------------------- */

static void encode_disk(const struct sb0_disk *dk, uint8_t *buf, unsigned word, bool big)
{
	put32(buf, word, big, dk->number);
	put32(buf, word + 1, big, dk->major);
	put32(buf, word + 2, big, dk->minor);
	put32(buf, word + 3, big, dk->raid_disk);
	put32(buf, word + 4, big, dk->state);
	put_words(buf, word + 5, big, dk->reserved, COUNT(dk->reserved));
}

static void encode_constant(const struct sb0 *sb, uint8_t *b, bool big)
{
	put32(b, W_MAGIC, big, sb->md_magic);
	put32(b, W_MAJOR, big, sb->major_version);
	put32(b, W_MINOR, big, sb->minor_version);
	put32(b, W_PATCH, big, sb->patch_version);
	put32(b, W_GVALID, big, sb->gvalid_words);
	put32(b, W_UUID0, big, sb->set_uuid0);
	put32(b, W_CTIME, big, sb->ctime);
	put32(b, W_LEVEL, big, (uint32_t)sb->level);
	put32(b, W_SIZE, big, sb->size);
	put32(b, W_NR_DISKS, big, sb->nr_disks);
	put32(b, W_RAID_DISKS, big, sb->raid_disks);
	put32(b, W_MD_MINOR, big, sb->md_minor);
	put32(b, W_NOT_PERSISTENT, big, sb->not_persistent);
	put32(b, W_UUID1, big, sb->set_uuid1);
	put32(b, W_UUID2, big, sb->set_uuid2);
	put32(b, W_UUID3, big, sb->set_uuid3);
	put_words(b, W_CRESERVED, big, sb->gstate_creserved, COUNT(sb->gstate_creserved));
}

static void encode_state(const struct sb0 *sb, uint8_t *b, bool big)
{
	put32(b, W_UTIME, big, sb->utime);
	put32(b, W_STATE, big, sb->state);
	put32(b, W_ACTIVE, big, sb->active_disks);
	put32(b, W_WORKING, big, sb->working_disks);
	put32(b, W_FAILED, big, sb->failed_disks);
	put32(b, W_SPARE, big, sb->spare_disks);
	put32(b, W_CSUM, big, sb->sb_csum);
	put64(b, W_EVENTS, big, sb->events);
	put64(b, W_CP_EVENTS, big, sb->cp_events);
	put32(b, W_RECOVERY_CP, big, sb->recovery_cp);
	put64(b, W_RESHAPE_POS, big, sb->reshape_position);
	put32(b, W_NEW_LEVEL, big, (uint32_t)sb->new_level);
	put32(b, W_DELTA_DISKS, big, (uint32_t)sb->delta_disks);
	put32(b, W_NEW_LAYOUT, big, sb->new_layout);
	put32(b, W_NEW_CHUNK, big, sb->new_chunk);
	put_words(b, W_SRESERVED, big, sb->gstate_sreserved, COUNT(sb->gstate_sreserved));
}

static void encode_personality(const struct sb0 *sb, uint8_t *b, bool big)
{
	put32(b, W_LAYOUT, big, sb->layout);
	put32(b, W_CHUNK, big, sb->chunk_size);
	put32(b, W_ROOT_PV, big, sb->root_pv);
	put32(b, W_ROOT_BLOCK, big, sb->root_block);
	put_words(b, W_PRESERVED, big, sb->pstate_reserved, COUNT(sb->pstate_reserved));
}

int sb0_encode(const struct sb0 *sb, uint8_t *buf, size_t len, struct diag *d)
{
	bool big = sb->big_endian;

	if (len < SB0_BYTES)
		return diag_fail(d, "0.90 superblock buffer is %zu bytes, need %u", len, SB0_BYTES);
	memset(buf, 0, SB0_BYTES);
	encode_constant(sb, buf, big);
	encode_state(sb, buf, big);
	encode_personality(sb, buf, big);
	for (unsigned i = 0; i < SB0_DISKS; i++)
		encode_disk(&sb->disks[i], buf, W_DISKS + i * DESC_WORDS, big);
	encode_disk(&sb->this_disk, buf, W_THIS_DISK, big);
	return 0;
}

/* ---- checksum -------------------------------------------------------------- */

uint32_t sb0_csum_compute(const struct sb0 *sb)
{
	uint8_t buf[SB0_BYTES];
	uint64_t sum = 0;
	struct sb0 tmp = *sb;

	tmp.sb_csum = 0;
	(void)sb0_encode(&tmp, buf, sizeof(buf), NULL);
	for (unsigned w = 0; w < SB0_WORDS; w++)
		sum += get32(buf, w, sb->big_endian);
	return (uint32_t)((sum & 0xffffffffu) + (sum >> 32));
}

bool sb0_csum_ok(const struct sb0 *sb)
{
	return sb0_csum_compute(sb) == sb->sb_csum;
}

void sb0_set_csum(struct sb0 *sb)
{
	sb->sb_csum = sb0_csum_compute(sb);
}

/* ---- structure ------------------------------------------------------------- */

static bool reshaping(const struct sb0 *sb)
{
	return sb->minor_version > SB0_MINOR && sb->reshape_position != UINT64_MAX;
}

unsigned sb0_table_slots(const struct sb0 *sb)
{
	uint64_t n = (uint64_t)sb->raid_disks + sb->spare_disks;

	if (reshaping(sb) && sb->delta_disks < 0)
		n += (uint64_t)-(int64_t)sb->delta_disks;
	return n > SB0_DISKS ? SB0_DISKS + 1 : (unsigned)n;
}

static int check_counts(const struct sb0 *sb, struct diag *d)
{
	if (sb->raid_disks < 1 || sb->raid_disks > SB0_DISKS)
		return diag_fail(d, "raid_disks %" PRIu32 " is outside 1..%u", sb->raid_disks,
				 SB0_DISKS);
	if (sb->nr_disks > SB0_DISKS)
		return diag_fail(d, "nr_disks %" PRIu32 " exceeds the %u descriptor slots",
				 sb->nr_disks, SB0_DISKS);
	if (sb0_table_slots(sb) > SB0_DISKS)
		return diag_fail(d, "raid disks (%" PRIu32 "), spares (%" PRIu32
				 ") and a shrinking reshape (%" PRId32 ") need more than %u slots",
				 sb->raid_disks, sb->spare_disks, sb->delta_disks, SB0_DISKS);
	if (sb->this_disk.number >= SB0_DISKS)
		return diag_fail(d, "this device's number %" PRIu32 " is outside 0..%u",
				 sb->this_disk.number, SB0_DISKS - 1);
	if (reshaping(sb) && (sb->delta_disks > (int32_t)SB0_DISKS ||
			      sb->delta_disks < -(int32_t)SB0_DISKS))
		return diag_fail(d, "reshape delta of %" PRId32 " disks is impossible",
				 sb->delta_disks);
	return 0;
}

static int check_level(const struct sb0 *sb, struct diag *d)
{
	switch (sb->level) {
	case 10:
		if ((sb->layout & 0xff) == 0 || ((sb->layout >> 8) & 0xff) == 0)
			return diag_fail(d, "raid10 layout 0x%" PRIx32 " keeps no copy", sb->layout);
		break;
	case 6:
		if (sb->raid_disks < 2)
			return diag_fail(d, "raid6 with %" PRIu32 " raid disk", sb->raid_disks);
		break;
	default:
		break;
	}
	return 0;
}

int sb0_check(const struct sb0 *sb, uint64_t dev_sectors, struct diag *d)
{
	uint64_t sector;

	if (sb->minor_version != SB0_MINOR && sb->minor_version != SB0_MINOR_RESHAPE)
		return diag_fail(d, "version 0.%" PRIu32 " is not 0.90 or 0.91", sb->minor_version);
	if (sb0_location(dev_sectors, &sector) != 0)
		return diag_fail(d, "device of %" PRIu64 " sectors is too small for 0.90 metadata",
				 dev_sectors);
	if ((uint64_t)sb->size * 2 > sector)
		return diag_fail(d, "size of %" PRIu32 " KiB runs into the superblock at sector %"
				 PRIu64, sb->size, sector);
	if (check_counts(sb, d) != 0)
		return -1;
	return check_level(sb, d);
}

/* ---- identity ---------------------------------------------------------------- */

void sb0_uuid_bytes(const struct sb0 *sb, uint8_t out[16])
{
	const uint32_t words[4] = { sb->set_uuid0, sb->set_uuid1, sb->set_uuid2, sb->set_uuid3 };

	memcpy(out, words, sizeof(words));
}

void sb0_uuid_id(const struct sb0 *sb, uint8_t out[16])
{
	const uint32_t words[4] = { sb->set_uuid0, sb->set_uuid1, sb->set_uuid2, sb->set_uuid3 };

	for (unsigned i = 0; i < 4; i++)
		for (unsigned b = 0; b < 4; b++)
			out[4 * i + b] = (uint8_t)(words[i] >> (24 - 8 * b));
}

bool sb0_uuid_is_local(const struct sb0 *sb, const char *homehost)
{
	uint8_t hash[SHA1_DIGEST_BYTES], uuid[16];

	if (!homehost || !homehost[0])
		return false;
	sha1_digest(homehost, strlen(homehost), hash);
	sb0_uuid_bytes(sb, uuid);
	return memcmp(uuid + 8, hash, 8) == 0;
}

void sb0_uuid_set_local(struct sb0 *sb, const char *homehost)
{
	uint8_t hash[SHA1_DIGEST_BYTES];

	if (!homehost || !homehost[0])
		return;
	sha1_digest(homehost, strlen(homehost), hash);
	memcpy(&sb->set_uuid2, hash, 4);
	memcpy(&sb->set_uuid3, hash + 4, 4);
}

bool sb0_data_ratio(const struct sb0 *sb, unsigned *num, unsigned *den)
{
	*den = 1;
	switch (sb->level) {
	case 1:
		*num = 1;
		break;
	case 4: case 5:
		*num = sb->raid_disks - 1;
		break;
	case 6:
		*num = sb->raid_disks - 2;
		break;
	case 10:
		*num = sb->raid_disks;
		*den = (sb->layout & 0xff) * ((sb->layout >> 8) & 0xff);
		break;
	default:
		return false;
	}
	return *num > 0 && *num <= SB0_DISKS && *den > 0;
}
