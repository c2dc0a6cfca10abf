/* wipe-ends - zero the first and the last BYTES of block devices, for the
 * VM tests' setup (tests/vm/lib.bash: wipe_disks)
 *
 *   wipe-ends BYTES DEVICE...
 *
 * One process for all disks: in the emulated VM every process start costs
 * a tenth of a second or more, and the shell version (dd and blockdev per
 * disk) cost two seconds per test. Writes with O_DIRECT, then flushes the
 * device's buffer cache so that later buffered reads see the zeros. Exit
 * status 2 on bad usage, 1 when a device cannot be written. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int write_all(int fd, const void *buf, size_t len, uint64_t off)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf = (const char *)buf + n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int wipe(const char *path, void *zeros, size_t bytes)
{
	uint64_t size;
	int fd = open(path, O_WRONLY | O_DIRECT | O_CLOEXEC);
	int rc = 0;

	if (fd < 0) {
		fprintf(stderr, "wipe-ends: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (ioctl(fd, BLKGETSIZE64, &size) != 0 || size < bytes) {
		fprintf(stderr, "wipe-ends: %s: no size or smaller than %zu bytes\n", path, bytes);
		close(fd);
		return 1;
	}
	if (write_all(fd, zeros, bytes, 0) != 0 || write_all(fd, zeros, bytes, size - bytes) != 0 ||
	    fsync(fd) != 0) {
		fprintf(stderr, "wipe-ends: %s: %s\n", path, strerror(errno));
		rc = 1;
	}
	/* buffered readers (blkid, the peer) must not see old cached bytes */
	if (ioctl(fd, BLKFLSBUF, 0) != 0) {
		fprintf(stderr, "wipe-ends: %s: flushing buffers: %s\n", path, strerror(errno));
		rc = 1;
	}
	if (close(fd) != 0)
		rc = 1;
	return rc;
}

int main(int argc, char **argv)
{
	char *end;
	unsigned long long bytes;
	void *zeros;
	int rc = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: wipe-ends BYTES DEVICE...\n");
		return 2;
	}
	errno = 0;
	bytes = strtoull(argv[1], &end, 10);
	if (errno || *end || bytes == 0 || bytes % 4096 || bytes > (64ull << 20)) {
		fprintf(stderr, "wipe-ends: BYTES must be a multiple of 4096 up to 64 MiB\n");
		return 2;
	}
	if (posix_memalign(&zeros, 4096, (size_t)bytes) != 0) {
		fprintf(stderr, "wipe-ends: out of memory\n");
		return 1;
	}
	memset(zeros, 0, (size_t)bytes);
	for (int i = 2; i < argc; i++)
		rc |= wipe(argv[i], zeros, (size_t)bytes);
	free(zeros);
	return rc;
}
