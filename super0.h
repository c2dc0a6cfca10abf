/* super0.h - pure codec for the md 0.90 superblock
 *
 * The 0.90 superblock is 4 KiB of 32-bit words (two 64-bit ones) at the
 * start of the last 64 KiB-aligned 64 KiB of the device, written in the
 * byte order of the host that wrote it. Decoding detects that order from
 * the magic and keeps it, so that encode writes the superblock back the way
 * it came (and --update=byteorder is a flip of sb->big_endian). No I/O. */
#ifndef MDADM_SUPER0_H
#define MDADM_SUPER0_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define SB0_MAGIC            0xa92b4efcu
#define SB0_BYTES            4096u
#define SB0_DISKS            27u          /* descriptor slots */
#define SB0_RESERVED_SECTORS 128u         /* the 64 KiB at the end */
#define SB0_MINOR            90u
#define SB0_MINOR_RESHAPE    91u          /* written while reshaping */

/* state bits */
#define SB0_STATE_CLEAN          0u
#define SB0_STATE_ERRORS         1u
#define SB0_STATE_BITMAP_PRESENT 8u

/* disk descriptor state bits */
#define SB0_DISK_FAULTY      0u
#define SB0_DISK_ACTIVE      1u
#define SB0_DISK_SYNC        2u
#define SB0_DISK_REMOVED     3u
#define SB0_DISK_WRITEMOSTLY 9u
#define SB0_DISK_FAILFAST    10u

struct sb0_disk {
	uint32_t number;
	uint32_t major;
	uint32_t minor;
	uint32_t raid_disk;
	uint32_t state;
	uint32_t reserved[27];
};

/* Every word of the superblock, host order; reserved words are kept so
 * that decode followed by encode gives back the input byte for byte. */
struct sb0 {
	bool big_endian;                 /* byte order on disk */
	/* constant generic words 0..31 */
	uint32_t md_magic;
	uint32_t major_version;
	uint32_t minor_version;
	uint32_t patch_version;
	uint32_t gvalid_words;
	uint32_t set_uuid0;
	uint32_t ctime;
	int32_t  level;
	uint32_t size;                   /* KiB used on each member */
	uint32_t nr_disks;
	uint32_t raid_disks;
	uint32_t md_minor;
	uint32_t not_persistent;
	uint32_t set_uuid1;
	uint32_t set_uuid2;
	uint32_t set_uuid3;
	uint32_t gstate_creserved[16];
	/* generic state words 32..63 */
	uint32_t utime;
	uint32_t state;
	uint32_t active_disks;
	uint32_t working_disks;
	uint32_t failed_disks;
	uint32_t spare_disks;
	uint32_t sb_csum;
	uint64_t events;
	uint64_t cp_events;
	uint32_t recovery_cp;
	uint64_t reshape_position;       /* minor 91 only */
	int32_t  new_level;
	int32_t  delta_disks;
	uint32_t new_layout;
	uint32_t new_chunk;              /* bytes */
	uint32_t gstate_sreserved[14];
	/* personality words 64..127 */
	uint32_t layout;
	uint32_t chunk_size;             /* bytes */
	uint32_t root_pv;
	uint32_t root_block;
	uint32_t pstate_reserved[60];
	/* descriptors: words 128..991, then this device's own at 992 */
	struct sb0_disk disks[SB0_DISKS];
	struct sb0_disk this_disk;
};

/* Byte order of the host this runs on. */
bool sb0_host_is_big_endian(void);

/* Sector where the superblock of a device of dev_sectors sectors starts;
 * -1 when the device is smaller than the 64 KiB the superblock reserves. */
int sb0_location(uint64_t dev_sectors, uint64_t *sector);

/* Is there a 0.90 magic at the start of buf, in either byte order? */
bool sb0_has_magic(const uint8_t *buf, size_t len);

/* Decode SB0_BYTES bytes. Rejects a short buffer, a missing magic (in
 * both byte orders) and a major version other than 0. Checksum and
 * structure are checked separately (sb0_csum_ok, sb0_check) so that
 * --examine can still show a damaged superblock when it is safe to. */
int sb0_decode(const uint8_t *buf, size_t len, struct sb0 *sb, struct diag *d);

/* Encode into buf (len >= SB0_BYTES) in sb->big_endian's byte order; the
 * stored sb_csum is written as it is (see sb0_set_csum). */
int sb0_encode(const struct sb0 *sb, uint8_t *buf, size_t len, struct diag *d);

/* The kernel's checksum: the 1024 words summed in 64 bits (sb_csum taken
 * as 0), high and low halves added, in the superblock's own byte order. */
uint32_t sb0_csum_compute(const struct sb0 *sb);
bool sb0_csum_ok(const struct sb0 *sb);
void sb0_set_csum(struct sb0 *sb);

/* Structural checks of everything a tool indexes or divides by: minor
 * version 90/91, 1..27 raid disks, descriptor counts inside the 27 slots,
 * this_disk's number, the data area inside the device before the
 * superblock, a RAID10 layout with at least one copy. */
int sb0_check(const struct sb0 *sb, uint64_t dev_sectors, struct diag *d);

/* The UUID as 16 bytes: the four words in host memory order, which is
 * what the kernel and a bitmap superblock's uuid hold. */
void sb0_uuid_bytes(const struct sb0 *sb, uint8_t out[16]);

/* The UUID as mdadm identifies the array (--detail, --brief, the map
 * file): each word's bytes most significant first, so that printing the
 * 16 bytes in order shows the four words. */
void sb0_uuid_id(const struct sb0 *sb, uint8_t out[16]);

/* Does the second half of the UUID carry the mark of `homehost` (the first
 * 8 bytes of its SHA-1)? False for an empty or NULL name. */
bool sb0_uuid_is_local(const struct sb0 *sb, const char *homehost);

/* Mark the UUID as belonging to `homehost` (as --create and
 * --update=homehost do); a NULL or empty name leaves it unchanged. */
void sb0_uuid_set_local(struct sb0 *sb, const char *homehost);

/* Descriptor slots upstream's examine table lists: raid_disks, plus the
 * disks a shrinking reshape still has, plus spares (bounded by sb0_check). */
unsigned sb0_table_slots(const struct sb0 *sb);

/* Per-member size relation: array KiB = size * num / den for raid
 * 1/4/5/6/10; false for other levels or a degenerate RAID10 layout. */
bool sb0_data_ratio(const struct sb0 *sb, unsigned *num, unsigned *den);

#endif
