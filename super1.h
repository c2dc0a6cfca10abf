/* super1.h - pure codec for the md v1.x superblock (metadata 1.0, 1.1, 1.2)
 *
 * No I/O here: callers hand in the bytes read from the superblock location
 * (at least 256 + 2*max_dev bytes; the kernel always reads 4096) and get a
 * host-order struct back, or encode a struct into bytes. */
#ifndef MDADM_SUPER1_H
#define MDADM_SUPER1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define SB1_MAGIC            0xa92b4efcu
#define SB1_FIXED_SIZE       256u
#define SB1_MAX_DEV          1920u   /* kernel refuses more dev_roles */
#define SB1_IO_SIZE          4096u   /* bytes the kernel reads at the sb location */

/* feature_map bits */
#define SB1_FEAT_BITMAP_OFFSET     0x0001u
#define SB1_FEAT_RECOVERY_OFFSET   0x0002u
#define SB1_FEAT_RESHAPE_ACTIVE    0x0004u
#define SB1_FEAT_BAD_BLOCKS        0x0008u
#define SB1_FEAT_REPLACEMENT       0x0010u
#define SB1_FEAT_RESHAPE_BACKWARDS 0x0020u
#define SB1_FEAT_NEW_OFFSET        0x0040u
#define SB1_FEAT_RECOVERY_BITMAP   0x0080u
#define SB1_FEAT_CLUSTERED         0x0100u
#define SB1_FEAT_JOURNAL           0x0200u
#define SB1_FEAT_PPL               0x0400u
#define SB1_FEAT_MULTIPLE_PPLS     0x0800u
#define SB1_FEAT_RAID0_LAYOUT      0x1000u
#define SB1_FEAT_ALL               0x1fffu

/* dev_roles values */
#define SB1_ROLE_MAX      0xfeffu   /* highest active slot number */
#define SB1_ROLE_JOURNAL  0xfffdu
#define SB1_ROLE_FAULTY   0xfffeu
#define SB1_ROLE_SPARE    0xffffu

/* devflags */
#define SB1_DEVFLAG_WRITEMOSTLY 0x01u
#define SB1_DEVFLAG_FAILFAST    0x02u

/* resync_offset value meaning "fully in sync" */
#define SB1_MAX_SECTOR UINT64_MAX

/* levels as stored (signed) */
#define MD_LEVEL_LINEAR    (-1)
#define MD_LEVEL_MULTIPATH (-4)
#define MD_LEVEL_FAULTY    (-5)

/* Every field of struct mdp_superblock_1, host order. Byte arrays are kept
 * raw so that decode followed by encode reproduces the input exactly. */
struct sb1 {
	uint32_t magic;
	uint32_t major_version;
	uint32_t feature_map;
	uint32_t pad0;
	uint8_t  set_uuid[16];
	uint8_t  set_name[32];          /* NUL padded, not always terminated */
	uint64_t ctime;                 /* low 40 bits seconds, high 24 usec */
	int32_t  level;
	uint32_t layout;
	uint64_t size;                  /* sectors used per member */
	uint32_t chunksize;             /* sectors */
	uint32_t raid_disks;
	int32_t  bitmap_offset;         /* sectors from sb; shares bytes with ppl */
	int16_t  ppl_offset;            /* view of the same 4 bytes (offset 96) */
	uint16_t ppl_size;              /* view of the same 4 bytes (offset 98) */
	uint32_t new_level;
	uint64_t reshape_position;
	int32_t  delta_disks;
	uint32_t new_layout;
	uint32_t new_chunk;
	int32_t  new_offset;
	uint64_t data_offset;
	uint64_t data_size;
	uint64_t super_offset;
	uint64_t recovery_offset;       /* also journal_tail */
	uint32_t dev_number;
	uint32_t cnt_corrected_read;
	uint8_t  device_uuid[16];
	uint8_t  devflags;
	uint8_t  bblog_shift;
	uint16_t bblog_size;
	int32_t  bblog_offset;
	uint64_t utime;
	uint64_t events;
	uint64_t resync_offset;
	uint32_t sb_csum;
	uint32_t max_dev;
	uint32_t logical_block_size;    /* bytes, 0 = not recorded (offset 224) */
	uint8_t  pad3[28];
	uint16_t dev_roles[SB1_MAX_DEV];
};

/* Size in bytes covered by the checksum and by encode: 256 + 2*max_dev. */
size_t sb1_used_size(const struct sb1 *sb);

/* Decode. Rejects (with a reason in *d, returns -1): buffer shorter than
 * 256 bytes, wrong magic, major_version != 1, max_dev > 1920, buffer shorter
 * than 256 + 2*max_dev. Does NOT verify the checksum (see sb1_csum_ok) nor
 * the geometry (see sb1_check_geometry), so that examine can still show a
 * superblock with a bad checksum when asked. Returns 0 on success. */
int sb1_decode(const uint8_t *buf, size_t len, struct sb1 *sb, struct diag *d);

/* Encode into buf (len >= sb1_used_size(sb)); bytes beyond the used size
 * are left untouched. sb_csum is written as stored in the struct; call
 * sb1_csum_compute/sb1_set_csum to refresh it. Returns 0, or -1 if the buffer
 * is too small or max_dev > 1920. */
int sb1_encode(const struct sb1 *sb, uint8_t *buf, size_t len, struct diag *d);

/* Checksum of an encoded superblock in buf as the kernel computes it
 * (sb_csum treated as zero). len must be >= 256 + 2*max_dev taken from buf;
 * returns 0 and sets *out, or -1 when the buffer is too short. */
int sb1_csum_bytes(const uint8_t *buf, size_t len, uint32_t *out);

/* Checksum of a decoded superblock (encodes internally). */
uint32_t sb1_csum_compute(const struct sb1 *sb);
bool sb1_csum_ok(const struct sb1 *sb);
void sb1_set_csum(struct sb1 *sb);

/* Where a superblock of minor version 0/1/2 lives on a device of dev_sectors
 * sectors (1.0: end-16 rounded down to 8; 1.1: 0; 1.2: 8). Returns -1 if the
 * device is too small (< 24 sectors) or the minor is unknown. */
int sb1_location(int minor, uint64_t dev_sectors, uint64_t *sector);

/* Minor version implied by super_offset as upstream prints it:
 * <= 4 -> 1 (1.1), <= 8 -> 2 (1.2), else 0 (1.0). */
int sb1_minor_from_offset(uint64_t super_offset);

/* Structural checks against the device the superblock was read from:
 * super_offset equals the expected location for `minor`, unknown feature
 * bits, pad0/pad3 non-zero, data_size >= 10, data area inside the device,
 * 1.1/1.2 data after the superblock, 1.0 data before it, bitmap/bad-block
 * log offsets inside the device, dev_number, raid_disks <= max_dev-ish sanity.
 * Returns 0 or -1 with the first problem in *d. */
int sb1_check_geometry(const struct sb1 *sb, int minor, uint64_t dev_sectors,
		       struct diag *d);

/* Role of this member: dev_roles[dev_number], or SB1_ROLE_FAULTY when
 * dev_number is out of range (as mdadm 4.6 reports it; the kernel treats
 * such a member as a spare, and both print as "spare"). */
uint16_t sb1_role(const struct sb1 *sb);

/* Seconds part of ctime/utime (low 40 bits). */
uint64_t sb1_time_seconds(uint64_t t);

/* Number of data-bearing member equivalents for array size computation:
 * returns 0 when the level has no fixed size relation (linear/raid0 use the
 * sum, computed by the caller); sets *num and *den so that
 * array_sectors = size * num / den for raid 1, 4, 5, 6 and 10. */
bool sb1_data_ratio(const struct sb1 *sb, unsigned *num, unsigned *den);

/* A reshape is recorded that only a backup file makes safe to resume:
 * active, and the data not moving to a new offset (a reshape with
 * NEW_OFFSET writes every new stripe below the old ones still needed). */
bool sb1_reshape_needs_backup(const struct sb1 *sb);

/* The bad-block log: bblog_size sectors of little-endian 64-bit entries,
 * each a start (bits 10-63) and a length (bits 0-9) in units of
 * 2^bblog_shift sectors; an all-ones entry (or one of length 0: a log
 * never written is zeros) ends the list. The kernel
 * writes at most 8 sectors; SB1_BBLOG_MAX_SECTORS bounds what we read. */
#define SB1_BBLOG_MAX_SECTORS 64u
/* Larger shifts make no sense for sector counts (and 64 would be undefined). */
#define SB1_BBLOG_MAX_SHIFT 32u

/* Does the superblock configure a bad-block log (offset and size set)? */
bool sb1_has_bblog(const struct sb1 *sb);

/* Entry i of a bad-block log read into log[0..len): false at an end
 * marker, past the buffer or with a shift above SB1_BBLOG_MAX_SHIFT; else
 * *sector and *count in sectors. */
bool sb1_bblog_entry(const uint8_t *log, size_t len, size_t i, unsigned shift,
		     uint64_t *sector, uint64_t *count);

#endif
