/* ZeroSuperblock.c - --zero-superblock: make devices stop looking like md
 * members
 *
 * Every md superblock on the device is cleared, wherever one can sit (v1 at
 * the 1.0, 1.1 and 1.2 locations, 0.90 near the end), so that neither this
 * tool, upstream mdadm nor libblkid finds a member afterwards. A member of
 * a running array cannot be opened exclusively and is left alone, as
 * mdadm 4.6 does, with its words and exit statuses. */
#include <stdio.h>
#include <sys/stat.h>

#include "devio.h"
#include "member.h"
#include "modes.h"
#include "util.h"

#define SB_CLEAR_BYTES 4096u   /* the kernel reads 4 KiB at a superblock */

/* 0 cleared (or nothing to clear), 1 a write failed, 2 not opened. */
static int zero_one(const char *path)
{
	static const uint8_t zero[SB_CLEAR_BYTES];
	uint64_t sectors[4];
	struct devio io;
	struct diag d = { 0 };
	struct stat st;
	size_t n;
	int rc = 0;

	if (stat(path, &st) == 0 && S_ISCHR(st.st_mode)) {
		/* opens, but can hold no superblock (mdadm 4.6 reads nothing) */
		pr_err("Unrecognised md component device - %s\n", path);
		return 0;
	}
	if (devio_open_rw_member(&io, path, &d) != 0) {
		pr_err("Couldn't open %s for write - not zeroing\n", path);
		return 2;
	}
	n = member_superblock_sectors(&io, sectors);
	if (n == 0)
		pr_err("Unrecognised md component device - %s\n", path);
	for (size_t i = 0; i < n && rc == 0; i++) {
		uint64_t off = sectors[i] * 512;
		size_t len = off + SB_CLEAR_BYTES <= io.size ? SB_CLEAR_BYTES : (size_t)(io.size - off);

		if (devio_write(&io, off, zero, len, &d) != 0)
			rc = 1;
	}
	if (rc == 0 && n > 0 && devio_flush(&io, &d) != 0)
		rc = 1;
	if (rc)
		pr_err("Could not zero the superblock on %s: %s\n", path, d.msg);
	devio_close(&io);
	return rc;
}

int ZeroSuperblock(const struct cmdline *c, const char *const *devs, size_t ndevs)
{
	int rc = 0;

	(void)c;
	for (size_t i = 0; i < ndevs; i++)
		rc |= zero_one(devs[i]);
	return rc;
}
