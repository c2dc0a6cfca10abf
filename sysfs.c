/* sysfs.c - the kernel's md interface through sysfs */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "sysfs.h"

#define MD_ALLOC_TIMEOUT_MS 10000u

static void copy_root(char *dst, size_t len, const char *env, const char *dflt)
{
	const char *v = getenv(env);

	snprintf(dst, len, "%s", v && *v ? v : dflt);
}

void sysfs_init(struct sysfs *s)
{
	copy_root(s->root, sizeof(s->root), "MDADM_SYSFS_ROOT", "/sys");
	copy_root(s->dev_root, sizeof(s->dev_root), "MDADM_DEV_ROOT", "/dev");
}

static int build_path(const struct sysfs *s, const char *rel, char *out, size_t len,
		      struct diag *d)
{
	if ((size_t)snprintf(out, len, "%s/%s", s->root, rel) >= len)
		return diag_errno(d, ENAMETOOLONG, "sysfs path too long: %s/%s", s->root, rel);
	return 0;
}

int sysfs_read(const struct sysfs *s, const char *rel, char *buf, size_t len,
	       struct diag *d)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, rc;

	rc = build_path(s, rel, path, sizeof(path), d);
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return diag_errno(d, errno, "cannot read %s: %s", path, strerror(errno));
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int e = errno;

		close(fd);
		return diag_errno(d, e, "cannot read %s: %s", path, strerror(e));
	}
	close(fd);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

static int write_failed(struct diag *d, int err, const char *val, const char *path)
{
	return diag_errno(d, err, "failed to write '%s' to '%s' (%s)", val, path, strerror(err));
}

int sysfs_write(const struct sysfs *s, const char *rel, const char *val,
		struct diag *d)
{
	char path[PATH_MAX];
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	int rc;

	rc = build_path(s, rel, path, sizeof(path), d);
	if (rc)
		return rc;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return write_failed(d, errno, val, path);
	n = write(fd, val, len);
	if (n < 0 || (size_t)n != len) {
		int e = n < 0 ? errno : EIO;

		close(fd);
		return write_failed(d, e, val, path);
	}
	if (close(fd) != 0)
		return write_failed(d, errno, val, path);
	return 0;
}

bool sysfs_exists(const struct sysfs *s, const char *rel)
{
	char path[PATH_MAX];

	if (build_path(s, rel, path, sizeof(path), NULL))
		return false;
	return access(path, F_OK) == 0;
}

static int md_rel(char *out, size_t len, const char *devnm, const char *attr)
{
	return (size_t)snprintf(out, len, "block/%s/md/%s", devnm, attr) >= len ? -1 : 0;
}

int md_read(const struct sysfs *s, const char *devnm, const char *attr,
	    char *buf, size_t len, struct diag *d)
{
	char rel[PATH_MAX];

	if (md_rel(rel, sizeof(rel), devnm, attr))
		return diag_errno(d, ENAMETOOLONG, "md attribute name too long");
	return sysfs_read(s, rel, buf, len, d);
}

int md_read_u64(const struct sysfs *s, const char *devnm, const char *attr,
		uint64_t *v, struct diag *d)
{
	char buf[64], *end;

	if (md_read(s, devnm, attr, buf, sizeof(buf), d))
		return -1;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	if (errno || end == buf)
		return diag_fail(d, "unexpected value '%s' in md/%s of %s", buf, attr, devnm);
	return 0;
}

uint64_t md_queue_lbs(const struct sysfs *s, const char *devnm)
{
	char rel[PATH_MAX], buf[32], *end;
	unsigned long long v;

	snprintf(rel, sizeof(rel), "block/%s/queue/logical_block_size", devnm);
	if (sysfs_read(s, rel, buf, sizeof(buf), NULL) != 0 || buf[0] < '0' || buf[0] > '9')
		return 512;
	errno = 0;
	v = strtoull(buf, &end, 10);
	return errno || *end || v == 0 ? 512 : v;
}

int md_write(const struct sysfs *s, const char *devnm, const char *attr,
	     const char *val, struct diag *d)
{
	char rel[PATH_MAX];

	if (md_rel(rel, sizeof(rel), devnm, attr))
		return diag_errno(d, ENAMETOOLONG, "md attribute name too long");
	return sysfs_write(s, rel, val, d);
}

bool md_has(const struct sysfs *s, const char *devnm, const char *attr)
{
	char rel[PATH_MAX];

	return md_rel(rel, sizeof(rel), devnm, attr) == 0 && sysfs_exists(s, rel);
}

int md_member_read(const struct sysfs *s, const char *devnm, const char *kname,
		   const char *attr, char *buf, size_t len, struct diag *d)
{
	char rel[PATH_MAX];

	if ((size_t)snprintf(rel, sizeof(rel), "block/%s/md/dev-%s/%s", devnm, kname, attr) >=
	    sizeof(rel))
		return diag_errno(d, ENAMETOOLONG, "member attribute name too long");
	return sysfs_read(s, rel, buf, len, d);
}

int md_member_write(const struct sysfs *s, const char *devnm, const char *kname,
		    const char *attr, const char *val, struct diag *d)
{
	char rel[PATH_MAX];

	if ((size_t)snprintf(rel, sizeof(rel), "block/%s/md/dev-%s/%s", devnm, kname, attr) >=
	    sizeof(rel))
		return diag_errno(d, ENAMETOOLONG, "member attribute name too long");
	return sysfs_write(s, rel, val, d);
}

int blockdev_identify(const char *path, char *kname, size_t len, dev_t *rdev,
		      const struct sysfs *s, struct diag *d)
{
	char rel[64], link[PATH_MAX], target[PATH_MAX];
	struct stat st;
	ssize_t n;
	char *base;

	if (stat(path, &st) != 0)
		return diag_fail(d, "cannot open %s: %s", path, strerror(errno));
	if (!S_ISBLK(st.st_mode))
		return diag_fail(d, "%s is not a block device", path);
	*rdev = st.st_rdev;
	snprintf(rel, sizeof(rel), "dev/block/%u:%u", major(st.st_rdev), minor(st.st_rdev));
	if (build_path(s, rel, link, sizeof(link), d))
		return -1;
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return diag_fail(d, "%s: no sysfs entry %s: %s", path, link, strerror(errno));
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(kname, len, "%s", base ? base + 1 : target);
	return 0;
}

bool md_present(const struct sysfs *s, const char *devnm)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "block/%s/md", devnm);
	return sysfs_exists(s, rel);
}

bool poll_until(bool (*pred)(const void *arg), const void *arg,
		unsigned timeout_ms, unsigned step_ms)
{
	struct timespec step = { .tv_sec = step_ms / 1000,
				 .tv_nsec = (long)(step_ms % 1000) * 1000000L };
	unsigned waited = 0;

	for (;;) {
		if (pred(arg))
			return true;
		if (waited >= timeout_ms)
			return false;
		nanosleep(&step, NULL);
		waited += step_ms;
	}
}

void md_node_path(const struct sysfs *s, const char *devnm, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", s->dev_root, devnm);
}

struct md_probe {
	const struct sysfs *s;
	const char *devnm;
};

static bool probe_present(const void *arg)
{
	const struct md_probe *p = arg;

	return md_present(p->s, p->devnm);
}

static bool probe_gone(const void *arg)
{
	return !probe_present(arg);
}

/* Make sure /dev/<devnm> exists: devtmpfs or udev normally create it; a
 * system with neither gets a node made from /sys/block/<devnm>/dev. */
static int md_ensure_node(const struct sysfs *s, const char *devnm, struct diag *d)
{
	char node[PATH_MAX], rel[PATH_MAX], buf[32];
	unsigned maj, min;
	struct stat st;

	md_node_path(s, devnm, node, sizeof(node));
	for (int i = 0; i < 200; i++) {
		if (stat(node, &st) == 0 && S_ISBLK(st.st_mode))
			return 0;
		usleep(5000);
	}
	snprintf(rel, sizeof(rel), "block/%s/dev", devnm);
	if (sysfs_read(s, rel, buf, sizeof(buf), d) || sscanf(buf, "%u:%u", &maj, &min) != 2)
		return diag_fail(d, "cannot find the device number of %s", devnm);
	if (mknod(node, S_IFBLK | 0660, makedev(maj, min)) != 0 && errno != EEXIST)
		return diag_fail(d, "cannot create %s: %s", node, strerror(errno));
	return 0;
}

#define MD_ASYNC_DEL_GENDISK "module/md_mod/parameters/legacy_async_del_gendisk"

/* Linux 6.18+ deletes a stopped md device synchronously only when this
 * global parameter is N (the default Y keeps the old asynchronous removal,
 * and Linux 7.2 logs a deprecation line for every md device allocated
 * under it). Upstream mdadm 4.5+ writes N before it allocates an array;
 * so do we. Older kernels have no such parameter. */
static void md_use_sync_del_gendisk(const struct sysfs *s)
{
	char cur[8];

	if (sysfs_read(s, MD_ASYNC_DEL_GENDISK, cur, sizeof(cur), NULL) != 0 || cur[0] != 'Y')
		return;
	/* deliberately not fatal: the array works in either mode, a refused
	 * write only leaves the kernel's deprecation line in its log */
	if (sysfs_write(s, MD_ASYNC_DEL_GENDISK, "N", NULL) != 0)
		return;
}

int md_alloc(const struct sysfs *s, const char *devnm, struct diag *d)
{
	struct md_probe p = { s, devnm };
	struct diag wd = { 0 };

	if (md_present(s, devnm))
		return diag_fail(d, "%s is already in use", devnm);
	md_use_sync_del_gendisk(s);
	if (sysfs_write(s, "module/md_mod/parameters/new_array", devnm, &wd) != 0) {
		if (wd.err == EEXIST)
			return diag_fail(d, "%s is already in use (the kernel still has it)", devnm);
		return diag_fail(d, "cannot create md device %s: %s", devnm, wd.msg);
	}
	if (!poll_until(probe_present, &p, MD_ALLOC_TIMEOUT_MS, 5))
		return diag_fail(d, "md device %s did not appear in sysfs", devnm);
	return md_ensure_node(s, devnm, d);
}

int md_find_free(const struct sysfs *s, char *devnm, size_t len, struct diag *d)
{
	for (int minor = 127; minor >= 0; minor--) {
		snprintf(devnm, len, "md%d", minor);
		if (!md_present(s, devnm))
			return 0;
	}
	return diag_fail(d, "no free md device number");
}

int md_wait_gone(const struct sysfs *s, const char *devnm, unsigned timeout_ms,
		 struct diag *d)
{
	struct md_probe p = { s, devnm };

	if (!poll_until(probe_gone, &p, timeout_ms, 5))
		return diag_fail(d, "%s is still present after being stopped", devnm);
	return 0;
}

int md_list(const struct sysfs *s, char (*names)[MD_DEVNM_MAX], size_t max,
	    size_t *n, struct diag *d)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *dir;

	*n = 0;
	if (build_path(s, "block", path, sizeof(path), d))
		return -1;
	dir = opendir(path);
	if (!dir)
		return diag_fail(d, "cannot list %s: %s", path, strerror(errno));
	while ((e = readdir(dir)) != NULL && *n < max) {
		if (strncmp(e->d_name, "md", 2) != 0 || strlen(e->d_name) >= MD_DEVNM_MAX)
			continue;
		if (!md_present(s, e->d_name))
			continue;
		snprintf(names[*n], MD_DEVNM_MAX, "%.*s", MD_DEVNM_MAX - 1, e->d_name);
		(*n)++;
	}
	closedir(dir);
	return 0;
}

int md_make_link(const char *link, const char *devnm, struct diag *d)
{
	char target[PATH_MAX], dir[PATH_MAX];
	const char *slash = strrchr(link, '/');

	if (!slash)
		return diag_fail(d, "%s is not a path", link);
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - link), link);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return diag_fail(d, "cannot create %s: %s", dir, strerror(errno));
	/* an absolute target: mdadm 4.6 only trusts links to /dev/mdN */
	snprintf(target, sizeof(target), "/dev/%s", devnm);
	if (unlink(link) != 0 && errno != ENOENT)
		return diag_fail(d, "cannot replace %s: %s", link, strerror(errno));
	if (symlink(target, link) != 0)
		return diag_fail(d, "cannot create %s: %s", link, strerror(errno));
	return 0;
}

bool blockdev_is_held(const struct sysfs *s, const char *kname)
{
	char path[PATH_MAX];
	struct dirent *e;
	bool held = false;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/class/block/%s/holders", s->root, kname);
	dir = opendir(path);
	if (!dir)
		return false;
	while (!held && (e = readdir(dir)) != NULL)
		held = e->d_name[0] != '.';
	closedir(dir);
	return held;
}

/* ---- added for --detail/--query/--stop: directory listing ---------------- */

int sysfs_list_dir(const struct sysfs *s, const char *rel, const char *prefix,
		   char (*names)[SYSFS_NAME_MAX], size_t max, size_t *n,
		   struct diag *d)
{
	size_t plen = strlen(prefix);
	char path[PATH_MAX];
	struct dirent *e;
	DIR *dir;

	*n = 0;
	if (build_path(s, rel, path, sizeof(path), d))
		return -1;
	dir = opendir(path);
	if (!dir)
		return diag_fail(d, "cannot list %s: %s", path, strerror(errno));
	while ((e = readdir(dir)) != NULL && *n < max) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, plen) != 0 ||
		    strlen(e->d_name) >= SYSFS_NAME_MAX)
			continue;
		memcpy(names[*n], e->d_name, strlen(e->d_name) + 1);
		(*n)++;
	}
	closedir(dir);
	return 0;
}
