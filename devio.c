/* devio.c - aligned I/O at byte offsets on block devices and image files */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devio.h"

#define DEVIO_MIN_ALIGN 4096u
#define DEVIO_ZERO_STEP (1ull << 30)
#define DEVIO_ZERO_MODE (FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE)

static int devio_probe_block(struct devio *io, struct diag *d)
{
	uint64_t bytes;
	int ssz;

	if (ioctl(io->fd, BLKGETSIZE64, &bytes) != 0)
		return diag_errno(d, errno, "cannot get size of %s: %s", io->path, strerror(errno));
	if (ioctl(io->fd, BLKSSZGET, &ssz) != 0 || ssz < 512)
		ssz = 512;
	io->size = bytes;
	io->lbs = (unsigned)ssz;
	io->align = io->lbs > DEVIO_MIN_ALIGN ? io->lbs : DEVIO_MIN_ALIGN;
	return 0;
}

int devio_open(struct devio *io, const char *path, struct diag *d)
{
	struct stat st;

	memset(io, 0, sizeof(*io));
	io->fd = -1;
	io->path = path;
	if (stat(path, &st) != 0)
		return diag_errno(d, errno, "cannot open %s: %s", path, strerror(errno));
	if (S_ISBLK(st.st_mode)) {
		io->is_block = true;
		io->fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
		io->direct = io->fd >= 0;
		if (io->fd < 0 && errno == EINVAL)
			io->fd = open(path, O_RDONLY | O_CLOEXEC);
	} else if (S_ISREG(st.st_mode)) {
		io->fd = open(path, O_RDONLY | O_CLOEXEC);
	} else {
		return diag_fail(d, "%s is not a block device or an image file", path);
	}
	if (io->fd < 0)
		return diag_errno(d, errno, "cannot open %s: %s", path, strerror(errno));
	if (io->is_block) {
		if (devio_probe_block(io, d) != 0) {
			devio_close(io);
			return -1;
		}
	} else {
		io->size = (uint64_t)st.st_size;
		io->lbs = 512;
		io->align = DEVIO_MIN_ALIGN;
	}
	return 0;
}

void devio_close(struct devio *io)
{
	if (io->fd >= 0)
		close(io->fd);
	io->fd = -1;
}

static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;   /* short file */
		done += (size_t)n;
	}
	return 0;
}

int devio_read(struct devio *io, uint64_t off, void *buf, size_t len,
	       struct diag *d)
{
	uint64_t start, end;
	size_t span;
	void *bounce;
	int rc;

	if (len == 0)
		return 0;
	if (off > io->size || len > io->size - off)
		return diag_fail(d, "%s: read of %zu bytes at offset %llu is past the end of the device (%llu bytes)",
				 io->path, len, (unsigned long long)off,
				 (unsigned long long)io->size);
	if (!io->direct || (off % io->align == 0 && len % io->lbs == 0 &&
			    (uintptr_t)buf % io->align == 0)) {
		/* buffered, or already aligned as O_DIRECT wants it */
		rc = pread_full(io->fd, buf, len, off);
		if (rc)
			return diag_errno(d, -rc, "%s: read at offset %llu failed: %s", io->path,
					  (unsigned long long)off, strerror(-rc));
		return 0;
	}
	start = off - off % io->align;
	end = off + len;
	end += (io->align - end % io->align) % io->align;
	if (end > io->size)
		end = io->size;   /* block device sizes are lbs multiples */
	span = (size_t)(end - start);
	if (posix_memalign(&bounce, io->align, span) != 0)
		return diag_errno(d, ENOMEM, "out of memory reading %s", io->path);
	rc = pread_full(io->fd, bounce, span, start);
	if (rc == 0)
		memcpy(buf, (char *)bounce + (off - start), len);
	free(bounce);
	if (rc)
		return diag_errno(d, -rc, "%s: read at offset %llu failed: %s", io->path,
				  (unsigned long long)off, strerror(-rc));
	return 0;
}

static int open_rw(struct devio *io, const char *path, int excl, struct diag *d);

int devio_open_rw_excl(struct devio *io, const char *path, struct diag *d)
{
	return open_rw(io, path, O_EXCL, d);
}

int devio_open_rw_shared(struct devio *io, const char *path, struct diag *d)
{
	return open_rw(io, path, 0, d);
}

int devio_open_rw_member(struct devio *io, const char *path, struct diag *d)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		memset(io, 0, sizeof(*io));
		io->path = path;
		io->fd = open(path, O_RDWR | O_CLOEXEC);
		if (io->fd < 0)
			return diag_errno(d, errno, "cannot open %s: %s", path, strerror(errno));
		io->size = (uint64_t)st.st_size;
		io->lbs = 512;
		io->align = 512;
		return 0;
	}
	return open_rw(io, path, O_EXCL, d);
}

static int open_rw(struct devio *io, const char *path, int excl, struct diag *d)
{
	struct stat st;
	int rc;

	memset(io, 0, sizeof(*io));
	io->fd = -1;
	io->path = path;
	if (stat(path, &st) != 0)
		return diag_errno(d, errno, "cannot open %s: %s", path, strerror(errno));
	if (!S_ISBLK(st.st_mode))
		return diag_errno(d, ENOTBLK, "%s is not a block device", path);
	io->is_block = true;
	io->fd = open(path, O_RDWR | excl | O_DIRECT | O_CLOEXEC);
	if (io->fd < 0)
		return diag_errno(d, errno, "cannot open %s: %s", path, strerror(errno));
	io->direct = true;
	rc = devio_probe_block(io, d);
	if (rc) {
		devio_close(io);
		return rc;
	}
	return 0;
}

static int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

int devio_write(struct devio *io, uint64_t off, const void *buf, size_t len,
		struct diag *d)
{
	uint64_t start, end;
	size_t span;
	void *bounce;
	int rc = 0;

	if (len == 0)
		return 0;
	if (off > io->size || len > io->size - off)
		return diag_errno(d, ENOSPC, "%s: write of %zu bytes at offset %llu is past the end of the device",
				 io->path, len, (unsigned long long)off);
	start = off - off % io->align;
	end = off + len;
	end += (io->align - end % io->align) % io->align;
	if (end > io->size)
		end = io->size;
	span = (size_t)(end - start);
	if (posix_memalign(&bounce, io->align, span) != 0)
		return diag_errno(d, ENOMEM, "out of memory writing %s", io->path);
	/* keep the bytes around the range we were asked to write */
	if ((start != off || end != off + len) && (rc = pread_full(io->fd, bounce, span, start)) != 0)
		goto out;
	memcpy((char *)bounce + (off - start), buf, len);
	rc = pwrite_full(io->fd, bounce, span, start);
out:
	free(bounce);
	if (rc)
		return diag_errno(d, -rc, "%s: write at offset %llu failed: %s", io->path,
				  (unsigned long long)off, strerror(-rc));
	return 0;
}

int devio_flush(struct devio *io, struct diag *d)
{
	if (fsync(io->fd) != 0)
		return diag_errno(d, errno, "%s: flush failed: %s", io->path, strerror(errno));
	return 0;
}

int devio_zero_probe(struct devio *io, struct diag *d)
{
	if (!io->is_block)
		return diag_errno(d, EOPNOTSUPP, "%s is not a block device", io->path);
	if (fallocate(io->fd, DEVIO_ZERO_MODE, (off_t)io->size, (off_t)io->lbs) == 0 ||
	    errno == EINVAL)
		return 0;
	return diag_errno(d, errno, "%s cannot zero a range: %s", io->path, strerror(errno));
}

int devio_zero_range(struct devio *io, uint64_t off, uint64_t len, struct diag *d)
{
	while (len > 0) {
		uint64_t n = len < DEVIO_ZERO_STEP ? len : DEVIO_ZERO_STEP;

		if (fallocate(io->fd, DEVIO_ZERO_MODE, (off_t)off, (off_t)n) != 0) {
			if (errno == EINTR)
				continue;
			return diag_errno(d, errno, "%s", strerror(errno));
		}
		off += n;
		len -= n;
	}
	return 0;
}
