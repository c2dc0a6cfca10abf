/* devio.h - aligned I/O at byte offsets on block devices and image files */
#ifndef MDADM_DEVIO_H
#define MDADM_DEVIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct devio {
	int fd;
	bool is_block;      /* block device (else regular image file) */
	bool direct;        /* opened with O_DIRECT */
	uint64_t size;      /* bytes */
	unsigned lbs;       /* logical block size (512 for files) */
	unsigned align;     /* I/O alignment used for O_DIRECT */
	const char *path;
};

/* Open read-only. Accepts block devices and regular files; anything else
 * (directory, character device, fifo) is refused with a reason. Block
 * devices are read with O_DIRECT so what we see is what is on the medium,
 * not a stale page cache (md writes members underneath the cache). */
int devio_open(struct devio *io, const char *path, struct diag *d);
void devio_close(struct devio *io);

/* Open a block device for writing, exclusively (O_EXCL: fails with EBUSY
 * while the device is mounted, part of a running array or otherwise
 * claimed). Regular files are refused: md members must be block devices. */
int devio_open_rw_excl(struct devio *io, const char *path, struct diag *d);

/* The same without O_EXCL, for the metadata area of a member that a
 * running array holds (a region md does not use at that moment). */
int devio_open_rw_shared(struct devio *io, const char *path, struct diag *d);
/* Open a member for writing its metadata: a block device exclusively (as
 * devio_open_rw_excl), or a regular file (an image). */
int devio_open_rw_member(struct devio *io, const char *path, struct diag *d);
/* Write len bytes at byte offset off (read-modify-write of partial blocks,
 * O_DIRECT). Then devio_flush() makes it durable. */
int devio_write(struct devio *io, uint64_t off, const void *buf, size_t len,
		struct diag *d) MUST_CHECK;
int devio_flush(struct devio *io, struct diag *d) MUST_CHECK;

/* Zeroing by the kernel, as --create --write-zeroes does (like mdadm 4.6:
 * fallocate FALLOC_FL_ZERO_RANGE on the block device, which uses the
 * device's write-zeroes command where it has one and lets the kernel write
 * the zeroes where not). Block devices only.
 * The probe finds out without writing whether the device takes such a
 * request: one just past the end is refused with EINVAL where the kernel
 * knows the mode, with EOPNOTSUPP (or ENODEV) where it does not. 0 or
 * -errno. */
int devio_zero_probe(struct devio *io, struct diag *d);
/* Zero [off, off + len), in pieces of 1 GiB (each request blocks until the
 * device has done it). */
int devio_zero_range(struct devio *io, uint64_t off, uint64_t len, struct diag *d) MUST_CHECK;

/* Read len bytes at byte offset off. Any offset/length is allowed; an
 * aligned bounce buffer is used internally. Reading past the end of the
 * device fails with a reason. */
int devio_read(struct devio *io, uint64_t off, void *buf, size_t len,
	       struct diag *d);

static inline uint64_t devio_sectors(const struct devio *io)
{
	return io->size >> 9;
}

#endif
