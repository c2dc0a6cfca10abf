/* mdstat_file.c - read /proc/mdstat and hand the text to the parser */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mdstat.h"

#define MDSTAT_READ_MAX (4u << 20)

/* Read the whole file into a malloc'd buffer (procfs files have no size).
 * *missing is set when the file does not exist. */
static int slurp(const char *path, char **out, size_t *len, bool *missing, struct diag *d)
{
	size_t cap = 16384, n = 0;
	char *buf = malloc(cap);
	int fd;

	if (!buf)
		return diag_fail(d, "out of memory reading %s", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		free(buf);
		*missing = e == ENOENT;
		return diag_fail(d, "cannot read %s: %s", path, strerror(e));
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb = cap >= MDSTAT_READ_MAX ? NULL : realloc(buf, cap * 2);

			if (!nb) {
				close(fd);
				free(buf);
				return diag_fail(d, "%s is too large or memory is short", path);
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			free(buf);
			return diag_fail(d, "cannot read %s: %s", path, strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*out = buf;
	*len = n;
	return 0;
}

int mdstat_read_file(struct mdstat *ms, struct diag *d)
{
	const char *env = getenv("MDADM_MDSTAT");
	const char *path = env && *env ? env : "/proc/mdstat";
	bool missing = false;
	char *text = NULL;
	size_t len = 0;
	int rc;

	memset(ms, 0, sizeof(*ms));
	if (slurp(path, &text, &len, &missing, d) != 0)
		return missing ? 0 : -1;
	rc = mdstat_parse(text, len, ms, d);
	free(text);
	return rc;
}

int mdstat_watch_open(void)
{
	const char *env = getenv("MDADM_MDSTAT");

	if (env && *env)
		return -1;
	return open("/proc/mdstat", O_RDONLY | O_CLOEXEC);
}

void mdstat_watch_wait(int fd, unsigned timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLPRI };
	struct timespec t = { .tv_sec = timeout_ms / 1000,
			      .tv_nsec = (long)(timeout_ms % 1000) * 1000000L };

	if (fd < 0 || poll(&p, 1, (int)timeout_ms) < 0)
		nanosleep(&t, NULL);
}

void mdstat_watch_close(int fd)
{
	if (fd >= 0)
		close(fd);
}
