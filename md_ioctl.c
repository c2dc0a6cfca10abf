/* md_ioctl.c - access to an md device node where sysfs cannot do the job */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "md_ioctl.h"

int md_probe_exclusive(const char *node)
{
	int fd = open(node, O_RDONLY | O_EXCL | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}
