/* md_ioctl.c - access to an md device node where sysfs cannot do the job */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/major.h>
#include <linux/raid/md_p.h>
#include <linux/raid/md_u.h>

#include "md_ioctl.h"
#include "super1.h"

int md_probe_exclusive(const char *node)
{
	int fd = open(node, O_RDONLY | O_EXCL | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

int md_hot_add(const char *node, dev_t rdev, int number, int role, uint32_t devflags,
	       struct diag *d)
{
	mdu_disk_info_t di;
	int fd, rc = 0;

	memset(&di, 0, sizeof(di));
	di.number = number;
	di.major = (int)major(rdev);
	di.minor = (int)minor(rdev);
	di.raid_disk = role;
	if (role >= 0)
		di.state = (1 << MD_DISK_SYNC) | (1 << MD_DISK_ACTIVE);
	if (devflags & SB1_DEVFLAG_WRITEMOSTLY)
		di.state |= 1 << MD_DISK_WRITEMOSTLY;
	if (devflags & SB1_DEVFLAG_FAILFAST)
		di.state |= 1 << MD_DISK_FAILFAST;
	fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return diag_fail(d, "cannot open %s: %s", node, strerror(errno));
	if (ioctl(fd, ADD_NEW_DISK, &di) != 0)
		rc = diag_fail(d, "%s", strerror(errno));
	close(fd);
	return rc;
}

int md_clear_bitmap_present(const char *node, struct diag *d)
{
	mdu_array_info_t info;
	int fd = open(node, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return diag_errno(d, errno, "cannot open %s: %s", node, strerror(errno));
	if (ioctl(fd, GET_ARRAY_INFO, &info) != 0) {
		rc = diag_errno(d, errno, "cannot read the array information of %s: %s", node,
				strerror(errno));
	} else if (info.state & (1 << MD_SB_BITMAP_PRESENT)) {
		info.state &= ~(1 << MD_SB_BITMAP_PRESENT);
		if (ioctl(fd, SET_ARRAY_INFO, &info) != 0)
			rc = diag_errno(d, errno, "the kernel refused to remove the bitmap of %s: %s",
					node, strerror(errno));
	}
	close(fd);
	return rc;
}

int md_legacy_set_info(int fd, const char *node, const struct md_legacy_array *a,
		       struct diag *d)
{
	mdu_array_info_t info;
	struct stat st;

	memset(&info, 0, sizeof(info));
	info.level = a->level;
	info.size = (int)a->size_kib;
	info.nr_disks = a->raid_disks;
	info.raid_disks = a->raid_disks;
	if (fstat(fd, &st) == 0 && S_ISBLK(st.st_mode))
		info.md_minor = (int)minor(st.st_rdev);
	info.not_persistent = 1;
	info.state = a->clean ? 1 << MD_SB_CLEAN : 0;
	info.active_disks = a->raid_disks - a->missing;
	info.working_disks = a->raid_disks - a->missing;
	info.failed_disks = a->missing;
	info.chunk_size = (int)a->chunk_bytes;
	info.layout = a->layout;
	if (ioctl(fd, SET_ARRAY_INFO, &info) != 0)
		return diag_errno(d, errno, "md_set_array_info() failed for %s: %s", node,
				  strerror(errno));
	return 0;
}

int md_legacy_add(int fd, dev_t rdev, int slot, bool write_mostly, const char *path,
		  struct diag *d)
{
	mdu_disk_info_t di;

	memset(&di, 0, sizeof(di));
	di.number = slot;
	di.raid_disk = slot;
	di.major = (int)major(rdev);
	di.minor = (int)minor(rdev);
	di.state = (1 << MD_DISK_SYNC) | (1 << MD_DISK_ACTIVE);
	if (write_mostly)
		di.state |= 1 << MD_DISK_WRITEMOSTLY;
	if (ioctl(fd, ADD_NEW_DISK, &di) != 0)
		return diag_errno(d, errno, "ADD_NEW_DISK failed for %s: %s", path, strerror(errno));
	return 0;
}

int md_legacy_run(int fd, struct diag *d)
{
	mdu_param_t param;

	memset(&param, 0, sizeof(param));
	if (ioctl(fd, RUN_ARRAY, &param) != 0)
		return diag_errno(d, errno, "RUN_ARRAY failed: %s", strerror(errno));
	return 0;
}

void md_legacy_stop(int fd)
{
	/* best effort: the array was never started or just failed to */
	(void)ioctl(fd, STOP_ARRAY, NULL);
}

int md_array_ctime(const char *node, uint64_t *ctime, struct diag *d)
{
	mdu_array_info_t info;
	int fd = open(node, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return diag_errno(d, errno, "cannot open %s: %s", node, strerror(errno));
	if (ioctl(fd, GET_ARRAY_INFO, &info) != 0)
		rc = diag_errno(d, errno, "cannot read the array information of %s: %s", node,
				strerror(errno));
	else
		*ctime = (uint32_t)info.ctime;
	close(fd);
	return rc;
}
