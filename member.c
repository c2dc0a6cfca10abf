/* member.c - reading an md member: v1 superblock and bitmap */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endian.h"
#include "member.h"
#include "policy.h"

/* the 1.1 and 1.2 superblocks and the bitmap superblock after them */
#define HEAD_BYTES (12u << 10)
/* a v1 superblock with its role table, and a whole 0.90 superblock */
#define SB_BYTES 4096u

/* Every superblock looked for sits near one end of the device: 1.1 and
 * 1.2 (and usually their bitmap superblock) in the first HEAD_BYTES, 1.0
 * and 0.90 near the end. Each of the three places is read once, and only
 * as many bytes as a superblock takes: udev runs this for every disk at
 * boot, and under emulation every page a read fills costs a page fault.
 * Reads elsewhere go to the device. */
struct sb_areas {
	struct devio *io;
	struct area {
		uint64_t off;
		size_t len;
		uint8_t *buf;       /* NULL when not read */
	} area[3];
};

static bool sb090_sector(uint64_t sectors, uint64_t *sector)
{
	return sb0_location(sectors, sector) == 0;
}

static void area_read(struct devio *io, struct area *a, uint64_t off, uint64_t end)
{
	void *buf;

	a->buf = NULL;
	if (end > io->size)
		end = io->size;
	off -= off % io->align;
	if (end % io->align)
		end += io->align - end % io->align;
	if (end > io->size)
		end = io->size;
	if (off >= end || posix_memalign(&buf, io->align, (size_t)(end - off)) != 0)
		return;
	if (devio_read(io, off, buf, (size_t)(end - off), NULL) != 0) {
		free(buf);
		return;   /* the lookups fall back to reading the device */
	}
	a->off = off;
	a->len = (size_t)(end - off);
	a->buf = buf;
}

static void areas_load(struct sb_areas *w, struct devio *io)
{
	uint64_t sectors = devio_sectors(io), s;

	memset(w, 0, sizeof(*w));
	w->io = io;
	area_read(io, &w->area[0], 0, HEAD_BYTES);
	if (sb1_location(0, sectors, &s) == 0)
		area_read(io, &w->area[1], s * 512, s * 512 + SB_BYTES);
	if (sb090_sector(sectors, &s))
		area_read(io, &w->area[2], s * 512, s * 512 + SB_BYTES);
}

static void areas_free(struct sb_areas *w)
{
	for (size_t i = 0; i < sizeof(w->area) / sizeof(w->area[0]); i++)
		free(w->area[i].buf);
}

static bool area_has(const struct area *a, uint64_t off, size_t len)
{
	return a->buf && off >= a->off && len <= a->len && off - a->off <= a->len - len;
}

static int areas_read(struct sb_areas *w, uint64_t off, void *buf, size_t len, struct diag *d)
{
	for (size_t i = 0; i < sizeof(w->area) / sizeof(w->area[0]); i++) {
		const struct area *a = &w->area[i];

		if (area_has(a, off, len)) {
			memcpy(buf, a->buf + (off - a->off), len);
			return 0;
		}
	}
	return devio_read(w->io, off, buf, len, d);
}

static bool has_sb090(struct sb_areas *w)
{
	uint64_t sector;
	uint8_t magic[4];

	if (!sb090_sector(devio_sectors(w->io), &sector))
		return false;
	if (areas_read(w, sector * 512, magic, 4, NULL) != 0)
		return false;
	return sb0_has_magic(magic, sizeof(magic));
}

size_t member_superblock_sectors(struct devio *io, uint64_t sectors[4])
{
	uint64_t dev = devio_sectors(io), s;
	uint8_t magic[4];
	size_t n = 0;

	for (int minor = 0; minor <= 2; minor++)
		if (sb1_location(minor, dev, &s) == 0 && member_sb1_magic_at(io, s))
			sectors[n++] = s;
	if (sb090_sector(dev, &s) && devio_read(io, s * 512, magic, sizeof(magic), NULL) == 0 &&
	    sb0_has_magic(magic, sizeof(magic)))
		sectors[n++] = s;
	return n;
}

int member_sb1_magic_word(const char *path, int minor, uint32_t *word, struct diag *d)
{
	struct devio io;
	uint8_t magic[4];
	uint64_t sector;
	int rc;

	if (devio_open(&io, path, d))
		return -1;
	rc = sb1_location(minor, devio_sectors(&io), &sector) == 0 ? 0 : diag_fail(d, "%s is too small", path);
	if (rc == 0)
		rc = devio_read(&io, sector * 512, magic, sizeof(magic), d);
	devio_close(&io);
	if (rc == 0)
		*word = get_le32(magic);
	return rc;
}

bool member_sb1_magic_at(struct devio *io, uint64_t sector)
{
	uint8_t magic[4];

	return devio_read(io, sector * 512, magic, sizeof(magic), NULL) == 0 &&
	       get_le32(magic) == SB1_MAGIC;
}

size_t member_other_superblocks(struct devio *io, int keep_minor, uint64_t sectors[3])
{
	size_t n = 0;

	for (int other = 0; other <= 2; other++) {
		uint64_t sector;

		if (other != keep_minor && sb1_location(other, devio_sectors(io), &sector) == 0 &&
		    member_sb1_magic_at(io, sector))
			sectors[n++] = sector;
	}
	return n;
}

int member_clear_other_superblocks(struct devio *io, int keep_minor, struct diag *d)
{
	static const uint8_t zero[SB1_IO_SIZE];
	uint64_t sectors[3];
	size_t n = member_other_superblocks(io, keep_minor, sectors);

	for (size_t i = 0; i < n; i++)
		if (devio_write(io, sectors[i] * 512, zero, sizeof(zero), d))
			return -1;
	return 0;
}

/* Try one minor version's location. Returns 0 and fills *sb when a
 * superblock that claims to live there decodes; otherwise -1 with a reason
 * when something md-like was found (magic present), or -2 for nothing. */
static int try_minor(struct sb_areas *w, int minor, struct sb1 *sb, struct diag *d)
{
	uint8_t buf[SB1_IO_SIZE];
	uint64_t sector;

	if (sb1_location(minor, devio_sectors(w->io), &sector) != 0)
		return -2;
	if ((sector + 8) * 512 > w->io->size)
		return -2;
	if (areas_read(w, sector * 512, buf, sizeof(buf), d) != 0)
		return -1;
	if (get_le32(buf) != SB1_MAGIC)
		return -2;
	if (sb1_decode(buf, sizeof(buf), sb, d) != 0)
		return -1;
	if (sb->super_offset != sector) {
		diag_fail(d, "superblock at sector %llu claims to be at sector %llu",
			  (unsigned long long)sector,
			  (unsigned long long)sb->super_offset);
		return -1;
	}
	return 0;
}

static void load_bitmap_sb(struct member *m, struct sb_areas *w)
{
	const struct devio *io = w->io;
	int64_t sector = (int64_t)m->sb.super_offset + m->sb.bitmap_offset;
	uint8_t buf[BITMAP_SB_SIZE];

	m->has_bitmap = (m->sb.feature_map & SB1_FEAT_BITMAP_OFFSET) &&
			!(m->sb.feature_map & (SB1_FEAT_PPL | SB1_FEAT_MULTIPLE_PPLS));
	if (!m->has_bitmap)
		return;
	if (m->sb.bitmap_offset == 0 || sector < 0 ||
	    (uint64_t)sector * 512 + BITMAP_SB_SIZE > io->size) {
		diag_fail(&m->bitmap_problem,
			  "bitmap offset %d sectors from the superblock lies outside the device",
			  m->sb.bitmap_offset);
		return;
	}
	m->bitmap_byte_offset = (uint64_t)sector * 512;
	if (areas_read(w, m->bitmap_byte_offset, buf, sizeof(buf), &m->bitmap_problem) != 0)
		return;
	if (bitmap_sb_decode(buf, sizeof(buf), &m->bsb, &m->bitmap_problem) != 0)
		return;
	m->bitmap_read = true;
	m->bitmap_uuid_ok = memcmp(m->bsb.uuid, m->sb.set_uuid, 16) == 0;
	if (!m->bitmap_uuid_ok)
		diag_fail(&m->bitmap_problem,
			  "bitmap superblock belongs to another array (uuid mismatch)");
}

enum member_load_result member_load_io(struct member *m, struct devio *io,
				       struct diag *d)
{
	static const int order[] = { 1, 2, 0 };
	struct diag why = { 0 };
	struct sb_areas w;
	bool found = false;

	memset(m, 0, sizeof(*m));
	m->path = io->path;
	m->dev_sectors = devio_sectors(io);
	m->lbs = io->lbs;
	if (m->dev_sectors < 24) {
		diag_errno(d, ENODATA, "%s is too small for md: size is %llu sectors", io->path,
			   (unsigned long long)m->dev_sectors);
		return MEMBER_NO_SUPERBLOCK;
	}
	areas_load(&w, io);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		struct sb1 cand;
		struct diag cd = { 0 };
		int rc = try_minor(&w, order[i], &cand, &cd);

		if (rc == -1 && !why.msg[0])
			why = cd;
		if (rc != 0)
			continue;
		if (!found || sb1_time_seconds(cand.ctime) > sb1_time_seconds(m->sb.ctime)) {
			m->sb = cand;
			m->minor = order[i];
			found = true;
		}
	}
	if (!found) {
		if (why.msg[0]) {
			diag_errno(d, why.err, "no usable md superblock on %s: %s", io->path, why.msg);
			areas_free(&w);
			return MEMBER_DAMAGED;
		}
		if (has_sb090(&w)) {
			diag_errno(d, EMEDIUMTYPE, "%s holds 0.90 metadata: not implemented yet for 0.90 in this version of mdadm (only --examine reads it)",
				   io->path);
			areas_free(&w);
			return MEMBER_OTHER_METADATA;
		}
		diag_errno(d, ENODATA, "No md superblock detected on %s.", io->path);
		areas_free(&w);
		return MEMBER_NO_SUPERBLOCK;
	}
	m->csum_computed = sb1_csum_compute(&m->sb);
	m->csum_ok = m->csum_computed == m->sb.sb_csum;
	m->geometry_ok = sb1_check_geometry(&m->sb, m->minor, m->dev_sectors,
					    &m->geometry_problem) == 0;
	if (m->geometry_ok)
		load_bitmap_sb(m, &w);
	areas_free(&w);
	return MEMBER_OK;
}

/* Open path, load it with one of the io loaders, close it. */
static enum member_load_result load_path(struct member *m, const char *path,
					 enum member_load_result (*load)(struct member *,
									 struct devio *,
									 struct diag *),
					 struct diag *d)
{
	struct devio io;
	enum member_load_result rc;

	if (devio_open(&io, path, d) != 0)
		return MEMBER_IO_ERROR;
	rc = load(m, &io, d);
	m->path = path;
	devio_close(&io);
	return rc;
}

enum member_load_result member_load(struct member *m, const char *path,
				    struct diag *d)
{
	return load_path(m, path, member_load_io, d);
}

/* The classic bitmap superblock right after a 0.90 superblock; upstream
 * treats a missing or foreign one as no bitmap at all. */
static void load_sb0_bitmap(struct member0 *m, struct devio *io)
{
	uint8_t buf[BITMAP_SB_SIZE], uuid[16];
	uint64_t off = m->sb_sector * 512 + SB0_BYTES;

	if (!(m->sb.state & (1u << SB0_STATE_BITMAP_PRESENT)))
		return;
	if (off + sizeof(buf) > io->size) {
		diag_fail(&m->bitmap_problem, "bitmap superblock lies outside the device");
		return;
	}
	if (devio_read(io, off, buf, sizeof(buf), &m->bitmap_problem) != 0 ||
	    bitmap_sb_decode(buf, sizeof(buf), &m->bsb, &m->bitmap_problem) != 0)
		return;
	sb0_uuid_bytes(&m->sb, uuid);
	if (memcmp(m->bsb.uuid, uuid, 16) != 0) {
		diag_fail(&m->bitmap_problem,
			  "bitmap superblock belongs to another array (uuid mismatch)");
		return;
	}
	m->bitmap_read = true;
}

enum member_load_result member0_load_io(struct member0 *m, struct devio *io,
					struct diag *d)
{
	uint8_t buf[SB0_BYTES];
	struct diag why = { 0 };

	memset(m, 0, sizeof(*m));
	m->path = io->path;
	m->dev_sectors = devio_sectors(io);
	if (!sb090_sector(m->dev_sectors, &m->sb_sector)) {
		diag_errno(d, ENODATA, "%s is too small for md: size is %llu sectors.", io->path,
			   (unsigned long long)m->dev_sectors);
		return MEMBER_NO_SUPERBLOCK;
	}
	if (devio_read(io, m->sb_sector * 512, buf, sizeof(buf), d) != 0)
		return MEMBER_IO_ERROR;
	if (!sb0_has_magic(buf, sizeof(buf))) {
		diag_errno(d, ENODATA, "No md superblock detected on %s.", io->path);
		return MEMBER_NO_SUPERBLOCK;
	}
	if (sb0_decode(buf, sizeof(buf), &m->sb, &why) != 0) {
		diag_errno(d, EINVAL, "no usable md superblock on %s: %s", io->path, why.msg);
		return MEMBER_DAMAGED;
	}
	m->csum_computed = sb0_csum_compute(&m->sb);
	m->csum_ok = m->csum_computed == m->sb.sb_csum;
	m->check_ok = sb0_check(&m->sb, m->dev_sectors, &m->check_problem) == 0;
	if (m->check_ok)
		load_sb0_bitmap(m, io);
	return MEMBER_OK;
}

enum member_load_result member0_load(struct member0 *m, const char *path,
				     struct diag *d)
{
	struct devio io;
	enum member_load_result rc;

	if (devio_open(&io, path, d) != 0)
		return MEMBER_IO_ERROR;
	rc = member0_load_io(m, &io, d);
	m->path = path;
	devio_close(&io);
	return rc;
}

void member0_bitmap_view(const struct member0 *m0, struct member *m)
{
	memset(m, 0, sizeof(*m));
	m->path = m0->path;
	m->dev_sectors = m0->dev_sectors;
	m->geometry_ok = m0->check_ok;
	m->csum_ok = m0->csum_ok;
	m->has_bitmap = (m0->sb.state & (1u << SB0_STATE_BITMAP_PRESENT)) != 0;
	m->bitmap_read = m0->bitmap_read;
	m->bitmap_uuid_ok = m0->bitmap_read;
	m->bitmap_problem = m0->bitmap_problem;
	m->bsb = m0->bsb;
	m->bitmap_byte_offset = m0->sb_sector * 512 + SB0_BYTES;
	m->sb.level = m0->sb.level;
	m->sb.raid_disks = m0->sb.raid_disks;
	m->sb.layout = m0->sb.layout;
	m->sb.chunksize = m0->sb.chunk_size / 512;
	m->sb.size = (uint64_t)m0->sb.size * 2;
	m->sb.data_size = m->sb.size;
	sb0_uuid_bytes(&m0->sb, m->sb.set_uuid);
}

static uint16_t sb0_role(const struct sb0 *sb, const struct sb0_disk *dd)
{
	if (dd->state & (1u << SB0_DISK_FAULTY))
		return SB1_ROLE_FAULTY;
	if ((dd->state & (1u << SB0_DISK_SYNC)) && dd->raid_disk < sb->raid_disks)
		return (uint16_t)dd->raid_disk;
	return SB1_ROLE_SPARE;
}

void member0_view(const struct member0 *m0, struct member *m)
{
	const struct sb0 *sb0 = &m0->sb;
	struct sb1 *sb = &m->sb;

	member0_bitmap_view(m0, m);
	m->v090 = true;
	m->csum_computed = m0->csum_computed;
	if (!m0->check_ok) {
		m->geometry_problem = m0->check_problem;
	} else if (sb0->big_endian != sb0_host_is_big_endian()) {
		m->geometry_ok = false;
		diag_fail(&m->geometry_problem,
			  "the 0.90 superblock was written by a host of the other byte order");
	}
	sb->magic = SB1_MAGIC;
	sb->major_version = 0;
	if (m->has_bitmap)
		sb->feature_map |= SB1_FEAT_BITMAP_OFFSET;
	sb0_uuid_id(sb0, sb->set_uuid);
	snprintf((char *)sb->set_name, sizeof(sb->set_name), "%u", sb0->md_minor);
	sb->ctime = sb0->ctime;
	sb->utime = sb0->utime;
	sb->events = sb0->events;
	sb->resync_offset = (sb0->state & (1u << SB0_STATE_CLEAN)) ? SB1_MAX_SECTOR : 0;
	sb->super_offset = m0->sb_sector;
	sb->dev_number = sb0->this_disk.number;
	if (sb0->this_disk.state & (1u << SB0_DISK_WRITEMOSTLY))
		sb->devflags |= SB1_DEVFLAG_WRITEMOSTLY;
	if (sb0->this_disk.state & (1u << SB0_DISK_FAILFAST))
		sb->devflags |= SB1_DEVFLAG_FAILFAST;
	sb->max_dev = SB0_DISKS;
	for (unsigned i = 0; i < SB0_DISKS; i++)
		sb->dev_roles[i] = sb0_role(sb0, &sb0->disks[i]);
}

enum member_load_result member_load_io_any(struct member *m, struct devio *io,
					   struct diag *d)
{
	enum member_load_result rc = member_load_io(m, io, d);
	struct member0 m0;

	if (rc != MEMBER_OTHER_METADATA)
		return rc;
	rc = member0_load_io(&m0, io, d);
	if (rc == MEMBER_OK)
		member0_view(&m0, m);
	m->path = io->path;
	return rc;
}

enum member_load_result member_load_any(struct member *m, const char *path,
					struct diag *d)
{
	return load_path(m, path, member_load_io_any, d);
}

/* back from sb0_uuid_id's bytes to the words of a 0.90 view */
static void view_uuid_words(const struct member *m, struct sb0 *sb)
{
	const uint8_t *id = m->sb.set_uuid;
	uint32_t *words[4] = { &sb->set_uuid0, &sb->set_uuid1, &sb->set_uuid2, &sb->set_uuid3 };

	for (unsigned i = 0; i < 4; i++)
		*words[i] = (uint32_t)id[4 * i] << 24 | (uint32_t)id[4 * i + 1] << 16 |
			    (uint32_t)id[4 * i + 2] << 8 | id[4 * i + 3];
}

bool member_is_local(const struct member *m, const char *homehost)
{
	struct sb0 sb = { 0 };
	char name[33];

	if (!m->v090) {
		memcpy(name, m->sb.set_name, 32);
		name[32] = '\0';
		return policy_name_is_local(name, homehost);
	}
	view_uuid_words(m, &sb);
	return sb0_uuid_is_local(&sb, homehost);
}

void member_map_uuid(const struct member *m, uint8_t out[16])
{
	struct sb0 sb = { 0 };

	if (!m->v090) {
		memcpy(out, m->sb.set_uuid, 16);
		return;
	}
	view_uuid_words(m, &sb);
	sb0_uuid_bytes(&sb, out);
}

const char *member_metadata_text(const struct member *m, char *buf, size_t len)
{
	if (m->v090)
		snprintf(buf, len, "0.90");
	else
		snprintf(buf, len, "1.%d", m->minor);
	return buf;
}

int member_read_llb_states(const struct member *m, struct devio *io,
			   uint8_t **states, uint64_t *nchunks, struct diag *d)
{
	uint64_t chunks, start;
	uint8_t *buf;

	if (!m->bitmap_read || !bitmap_is_lockless(&m->bsb))
		return diag_fail(d, "no lockless bitmap on %s", m->path);
	if (bitmap_first_use(&m->bsb))
		return diag_fail(d, "the lockless bitmap on %s is not initialised yet (first use)",
				 m->path);
	if (bitmap_sb_validate(&m->bsb, d) != 0)
		return -1;
	chunks = bitmap_chunks(&m->bsb);
	if (chunks == 0)
		return diag_fail(d, "the lockless bitmap on %s covers no chunks", m->path);
	if (chunks > MEMBER_MAX_LLB_CHUNKS)
		return diag_fail(d, "the lockless bitmap on %s claims %llu chunks, more than the %u this tool accepts",
				 m->path, (unsigned long long)chunks, MEMBER_MAX_LLB_CHUNKS);
	start = m->bitmap_byte_offset + LLBITMAP_DATA_OFFSET;
	if (start > io->size || chunks > io->size - start)
		return diag_fail(d, "the lockless bitmap state region on %s (%llu bytes at offset %llu) runs past the end of the device",
				 m->path, (unsigned long long)chunks, (unsigned long long)start);
	buf = malloc(chunks);
	if (!buf)
		return diag_fail(d, "out of memory for %llu state bytes", (unsigned long long)chunks);
	if (devio_read(io, start, buf, chunks, d) != 0) {
		free(buf);
		return -1;
	}
	*states = buf;
	*nchunks = chunks;
	return 0;
}

static uint64_t count_bits(const uint8_t *buf, uint64_t bits)
{
	uint64_t n = 0, full = bits / 8;

	for (uint64_t i = 0; i < full; i++)
		n += (uint64_t)__builtin_popcount(buf[i]);
	if (bits % 8)
		n += (uint64_t)__builtin_popcount(buf[full] & ((1u << (bits % 8)) - 1));
	return n;
}

int member_read_classic_bits(const struct member *m, struct devio *io,
			     uint8_t **bits, uint64_t *nbits, struct diag *d)
{
	uint64_t n, nbytes, start;
	uint8_t *buf;

	if (!m->bitmap_read || bitmap_is_lockless(&m->bsb))
		return diag_fail(d, "no classic bitmap on %s", m->path);
	n = bitmap_chunks(&m->bsb);
	nbytes = (n + 7) / 8;
	if (nbytes > MEMBER_MAX_LLB_CHUNKS)
		return diag_fail(d, "the bitmap on %s claims %llu bits, implausibly many",
				 m->path, (unsigned long long)n);
	start = m->bitmap_byte_offset + BITMAP_SB_SIZE;
	if (start > io->size || nbytes > io->size - start)
		return diag_fail(d, "the bitmap on %s runs past the end of the device", m->path);
	buf = malloc(nbytes ? nbytes : 1);
	if (!buf)
		return diag_fail(d, "out of memory");
	if (devio_read(io, start, buf, nbytes, d) != 0) {
		free(buf);
		return -1;
	}
	*bits = buf;
	*nbits = n;
	return 0;
}

int member_count_classic_bits(const struct member *m, struct devio *io,
			      uint64_t *bits, uint64_t *dirty, struct diag *d)
{
	uint8_t *buf;

	if (member_read_classic_bits(m, io, &buf, bits, d) != 0)
		return -1;
	*dirty = count_bits(buf, *bits);
	free(buf);
	return 0;
}

int member_read_bblog(const struct member *m, struct devio *io, uint8_t **log,
		      size_t *len, struct diag *d)
{
	const struct sb1 *sb = &m->sb;
	int64_t start = (int64_t)sb->super_offset + sb->bblog_offset;
	size_t bytes = (size_t)sb->bblog_size * 512;
	uint8_t *buf;

	if (!sb1_has_bblog(sb))
		return diag_errno(d, ENOENT, "no bad-block log on %s", m->path);
	if (sb->bblog_size > SB1_BBLOG_MAX_SECTORS || sb->bblog_shift > SB1_BBLOG_MAX_SHIFT)
		return diag_errno(d, EINVAL,
				  "the bad-block log of %s is implausible (%u sectors, shift %u)",
				  m->path, (unsigned)sb->bblog_size, (unsigned)sb->bblog_shift);
	if (start < 0 || (uint64_t)start + sb->bblog_size > m->dev_sectors)
		return diag_errno(d, EINVAL, "the bad-block log of %s lies outside the device",
				  m->path);
	buf = malloc(bytes);
	if (!buf)
		return diag_errno(d, ENOMEM, "out of memory");
	if (devio_read(io, (uint64_t)start * 512, buf, bytes, d) != 0) {
		free(buf);
		return -1;
	}
	*log = buf;
	*len = bytes;
	return 0;
}

uint64_t member_array_sectors(const struct sb1 *sb)
{
	unsigned num, den;

	if (!sb1_data_ratio(sb, &num, &den) || den == 0)
		return 0;
	return (uint64_t)((__uint128_t)sb->size * num / den);
}

void member_llb_geometry(const struct member *m, struct llb_geometry *g)
{
	memset(g, 0, sizeof(*g));
	g->chunk_sectors = m->bsb.chunksize;
	g->sync_sectors = m->bsb.sync_size;
	g->level = m->sb.level;
	g->raid_disks = m->sb.raid_disks;
	g->layout = m->sb.layout;
	g->raid_chunk_sectors = m->sb.chunksize;
	g->array_sectors = member_array_sectors(&m->sb);
}

/* Bitmap extent in sectors as mdadm 4.6 sizes it (see
 * bitmap_upstream_area_bytes); 0 when there is no usable bitmap. */
static uint64_t upstream_bitmap_sectors(const struct member *m)
{
	if (!m->bitmap_read || !m->bitmap_uuid_ok)
		return 0;
	return bitmap_upstream_area_bytes(&m->bsb, 4096) / 512;
}

bool member_unused_space(const struct member *m, uint64_t *before, uint64_t *after)
{
	const struct sb1 *sb = &m->sb;
	uint64_t data_size = sb->level <= 0 ? sb->data_size : sb->size;
	bool bitmap = m->has_bitmap && m->bitmap_read && m->bitmap_uuid_ok;
	bool ppl = sb->feature_map & (SB1_FEAT_PPL | SB1_FEAT_MULTIPLE_PPLS);
	int64_t bm_off = bitmap ? sb->bitmap_offset : 0;
	int64_t ppl_off = ppl ? sb->ppl_offset : 0;
	bool bblog = sb->bblog_offset && sb->bblog_size;

	if (sb->data_offset < sb->super_offset) {
		/* 1.0: metadata after the data */
		uint64_t end = sb->super_offset;
		int64_t meta = (int64_t)sb->super_offset + bm_off + ppl_off;

		*before = sb->data_offset;
		if (bblog && (int64_t)sb->super_offset + sb->bblog_offset < (int64_t)end)
			end = (uint64_t)((int64_t)sb->super_offset + sb->bblog_offset);
		if (meta < (int64_t)end)
			end = (uint64_t)meta;
		*after = sb->data_offset + data_size < end ? end - data_size - sb->data_offset : 0;
	} else {
		/* 1.1/1.2: metadata before the data */
		uint64_t earliest = sb->super_offset + 72;

		if (bm_off > 0) {
			/* mdadm 4.6 leaves super_offset out of this sum */
			uint64_t bmend = (uint64_t)bm_off + upstream_bitmap_sectors(m);

			if (bmend > earliest)
				earliest = bmend;
		} else if (ppl_off > 0) {
			uint64_t pplend = (uint64_t)ppl_off + sb->ppl_size;

			if (pplend > earliest)
				earliest = pplend;
		}
		if (bblog) {
			uint64_t bbend = (uint64_t)((int64_t)sb->super_offset + sb->bblog_offset) +
					 sb->bblog_size;

			if (bbend > earliest)
				earliest = bbend;
		}
		*before = earliest < sb->data_offset ? sb->data_offset - earliest : 0;
		*after = m->dev_sectors - data_size - sb->data_offset;
	}
	if (*before == 0 && *after == 0)
		return false;
	return !(sb->feature_map & SB1_FEAT_NEW_OFFSET);
}

bool member_lockless_header_at(const struct member *m, struct devio *io, uint64_t byte_off,
			       bool same_events, struct bitmap_sb *out)
{
	uint8_t buf[BITMAP_SB_SIZE];
	struct diag d = { 0 };

	if (byte_off + sizeof(buf) > io->size ||
	    devio_read(io, byte_off, buf, sizeof(buf), &d) != 0 ||
	    bitmap_sb_decode(buf, sizeof(buf), out, &d) != 0)
		return false;
	return bitmap_is_lockless(out) && !bitmap_first_use(out) &&
	       memcmp(out->uuid, m->sb.set_uuid, 16) == 0 &&
	       (!same_events || out->events == m->sb.events) && bitmap_sb_validate(out, &d) == 0;
}

bool member_stale_lockless(const struct member *m, struct devio *io, uint64_t *byte_off,
			   struct bitmap_sb *out)
{
	int64_t rel = m->sb.bitmap_offset;
	int64_t sector;

	if (m->has_bitmap)
		return false;
	if (rel == 0 && m->minor != 0)
		rel = 8;        /* where 1.1/1.2 bitmaps are put, by us and by mdadm 4.6 */
	sector = (int64_t)m->sb.super_offset + rel;
	if (rel == 0 || sector < 0)
		return false;
	*byte_off = (uint64_t)sector * 512;
	return member_lockless_header_at(m, io, *byte_off, false, out);
}
