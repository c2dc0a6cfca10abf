/* mdstat_file.c - read /proc/mdstat and hand the text to the parser */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
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

const char *mdstat_path(void)
{
	const char *env = getenv("MDADM_MDSTAT");

	return env && *env ? env : "/proc/mdstat";
}

int mdstat_read_file(struct mdstat *ms, struct diag *d)
{
	const char *path = mdstat_path();
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

enum mdstat_wake mdstat_watch_wait_or(int fd, int other, unsigned timeout_ms)
{
	struct pollfd p[2] = { { .fd = fd, .events = POLLPRI }, { .fd = other, .events = POLLIN } };
	struct timespec t = { .tv_sec = timeout_ms / 1000,
			      .tv_nsec = (long)(timeout_ms % 1000) * 1000000L };
	int n;

	if (fd < 0 && other < 0) {
		nanosleep(&t, NULL);
		return MDSTAT_WAKE_TIMEOUT;
	}
	/* a negative fd is ignored by poll(): a fake tree still sleeps here */
	n = poll(p, 2, timeout_ms > INT_MAX ? INT_MAX : (int)timeout_ms);
	if (n < 0) {
		if (errno != EINTR)
			nanosleep(&t, NULL);
		return MDSTAT_WAKE_TIMEOUT;
	}
	if (p[1].revents & POLLIN)
		return MDSTAT_WAKE_OTHER;
	if (p[0].revents & (POLLPRI | POLLERR))
		return MDSTAT_WAKE_EVENT;
	return MDSTAT_WAKE_TIMEOUT;
}

void mdstat_watch_wait(int fd, unsigned timeout_ms)
{
	(void)mdstat_watch_wait_or(fd, -1, timeout_ms);
}

void mdstat_watch_close(int fd)
{
	if (fd >= 0)
		close(fd);
}
