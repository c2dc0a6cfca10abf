/* mapfile.c - /run/mdadm/map: the text format, the file, its lock, and
 * rebuilding it from the md devices present */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mapfile.h"
#include "mdkernel.h"
#include "member.h"
#include "util.h"

#define MAP_MAX_ENTRIES 65536u
#define MAP_MAX_BYTES (8u << 20)
#define MAP_MEMBERS_SCAN 384u
#define MAP_MAX_ARRAYS 1024u
#define MAP_MAX_SUFFIX 100000   /* "_N" suffixes tried before giving up */

/* ---- location ------------------------------------------------------------ */

void mapfile_path(char *buf, size_t len, const char *suffix)
{
	const char *file = getenv("MDADM_MAP_FILE");
	const char *dir = getenv("MDADM_MAP_DIR");

	if (file && *file)
		snprintf(buf, len, "%s%s", file, suffix);
	else
		snprintf(buf, len, "%s/map%s", dir && *dir ? dir : MAP_DEFAULT_DIR, suffix);
}

/* Create the map's directory if needed. A failure is not reported here:
 * opening the file in it fails next, with the reason. */
static void make_map_dir(void)
{
	char path[PATH_MAX];
	char *slash;

	mapfile_path(path, sizeof(path), "");
	slash = strrchr(path, '/');
	if (!slash || slash == path)
		return;
	*slash = '\0';
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return;
}

/* ---- the creating marker ---------------------------------------------------- */

void mapfile_dir_path(const char *name, char *buf, size_t len)
{
	char map[PATH_MAX - 64];
	char *slash;

	mapfile_path(map, sizeof(map), "");
	slash = strrchr(map, '/');
	if (slash)
		*slash = '\0';
	snprintf(buf, len, "%s/%s", slash ? map : ".", name);
}

void mapfile_creating_path(const char *devnm, char *buf, size_t len)
{
	char name[MD_DEVNM_MAX + 16];

	snprintf(name, sizeof(name), "creating-%s", devnm);
	mapfile_dir_path(name, buf, len);
}

int mapfile_creating_mark(const char *devnm, struct diag *d)
{
	char path[PATH_MAX];
	int fd;

	make_map_dir();
	mapfile_creating_path(devnm, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return diag_errno(d, errno, "cannot create %s: %s", path, strerror(errno));
	close(fd);
	return 0;
}

int mapfile_creating_clear(const char *devnm, struct diag *d)
{
	char path[PATH_MAX];

	mapfile_creating_path(devnm, path, sizeof(path));
	if (unlink(path) != 0 && errno != ENOENT)
		return diag_errno(d, errno, "cannot remove %s: %s", path, strerror(errno));
	return 0;
}

/* ---- text format ----------------------------------------------------------- */

void mapfile_format_uuid(const uint8_t uuid[16], char *buf, size_t len)
{
	uint32_t w[4];

	memcpy(w, uuid, sizeof(w));   /* host-order words, as upstream prints */
	snprintf(buf, len, "%08x:%08x:%08x:%08x", w[0], w[1], w[2], w[3]);
}

static bool parse_hex_word(const char **sp, uint32_t *out)
{
	const char *s = *sp;
	uint32_t v = 0;
	int n = 0;

	while (isxdigit((unsigned char)*s) && n < 9) {
		int c = tolower((unsigned char)*s++);

		v = (v << 4) | (uint32_t)(c <= '9' ? c - '0' : c - 'a' + 10);
		n++;
	}
	if (n == 0 || n > 8)
		return false;
	*out = v;
	*sp = s;
	return true;
}

bool mapfile_parse_uuid(const char *s, uint8_t uuid[16])
{
	uint32_t w[4];

	for (int i = 0; i < 4; i++) {
		if (i > 0 && *s++ != ':')
			return false;
		if (!parse_hex_word(&s, &w[i]))
			return false;
	}
	if (*s != '\0')
		return false;
	memcpy(uuid, w, sizeof(w));
	return true;
}

int mapfile_format_line(const struct map_entry *e, char *buf, size_t len)
{
	char uuid[40];
	int n;

	mapfile_format_uuid(e->uuid, uuid, sizeof(uuid));
	n = snprintf(buf, len, "%s %s %s %s\n", e->devnm, e->metadata, uuid, e->path);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

static int grow(struct mapfile *m, struct diag *d)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	struct map_entry *ne;

	if (m->n < m->cap)
		return 0;
	if (m->n >= MAP_MAX_ENTRIES)
		return diag_fail(d, "the map has more than %u entries", MAP_MAX_ENTRIES);
	ne = realloc(m->entries, cap * sizeof(*ne));
	if (!ne)
		return diag_fail(d, "out of memory for the map");
	m->entries = ne;
	m->cap = cap;
	return 0;
}

/* Split off the next blank-separated word of a line; NULL at the end. */
static char *next_word(char **p)
{
	char *s = *p, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	w = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return w;
}

/* One line, NUL-terminated without its newline. The path is required and
 * cut at 200 characters, like upstream's reader. */
static bool parse_line(char *line, struct map_entry *e)
{
	char *p = line, *f[4];

	for (int i = 0; i < 4; i++)
		if (!(f[i] = next_word(&p)))
			return false;
	if (strlen(f[0]) >= sizeof(e->devnm) || strlen(f[1]) >= sizeof(e->metadata) ||
	    !mapfile_parse_uuid(f[2], e->uuid))
		return false;
	snprintf(e->devnm, sizeof(e->devnm), "%s", f[0]);
	snprintf(e->metadata, sizeof(e->metadata), "%s", f[1]);
	snprintf(e->path, sizeof(e->path), "%.*s", MAP_PATH_MAX - 1, f[3]);
	return true;
}

int mapfile_parse(const char *text, struct mapfile *m, struct diag *d)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, l);
		struct map_entry e;

		if (!line)
			return diag_fail(d, "out of memory for the map");
		if (parse_line(line, &e)) {
			if (grow(m, d)) {
				free(line);
				return -1;
			}
			m->entries[m->n++] = e;
		}
		free(line);
		p += l + (nl ? 1 : 0);
	}
	return 0;
}

/* ---- the file -------------------------------------------------------------- */

static int slurp(int fd, const char *path, char **out, struct diag *d)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return diag_fail(d, "out of memory reading %s", path);
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			char *nb;

			if (cap >= MAP_MAX_BYTES) {
				free(buf);
				return diag_fail(d, "%s is larger than %u bytes", path, MAP_MAX_BYTES);
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return diag_fail(d, "out of memory reading %s", path);
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(buf);
			return diag_fail(d, "cannot read %s: %s", path, strerror(e));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

int mapfile_read_ex(struct mapfile *m, bool *missing, struct diag *d)
{
	char path[PATH_MAX], *text = NULL;
	int fd, rc;

	memset(m, 0, sizeof(*m));
	if (missing)
		*missing = false;
	mapfile_path(path, sizeof(path), "");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			if (missing)
				*missing = true;
			return 0;
		}
		return diag_fail(d, "cannot open %s: %s", path, strerror(errno));
	}
	rc = slurp(fd, path, &text, d);
	close(fd);
	if (rc)
		return -1;
	rc = mapfile_parse(text, m, d);
	free(text);
	if (rc)
		mapfile_free(m);
	return rc;
}

int mapfile_read(struct mapfile *m, struct diag *d)
{
	return mapfile_read_ex(m, NULL, d);
}

void mapfile_free(struct mapfile *m)
{
	free(m->entries);
	memset(m, 0, sizeof(*m));
}

static int write_entries(FILE *f, const struct mapfile *m)
{
	char line[sizeof(struct map_entry) + 64];

	for (size_t i = 0; i < m->n; i++) {
		if (mapfile_format_line(&m->entries[i], line, sizeof(line)) < 0)
			continue;
		if (fputs(line, f) == EOF)
			return -1;
	}
	return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

int mapfile_write(const struct mapfile *m, struct diag *d)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	FILE *f;
	int fd, rc;

	mapfile_path(path, sizeof(path), "");
	mapfile_path(tmp, sizeof(tmp), ".new");
	make_map_dir();
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return diag_fail(d, "cannot write %s: %s", tmp, strerror(errno));
	f = fdopen(fd, "w");
	if (!f) {
		rc = diag_fail(d, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return rc;
	}
	rc = write_entries(f, m);
	if (fclose(f) != 0 || rc != 0) {
		unlink(tmp);
		return diag_fail(d, "cannot write %s", tmp);
	}
	if (rename(tmp, path) != 0) {
		rc = diag_fail(d, "cannot replace %s: %s", path, strerror(errno));
		unlink(tmp);
		return rc;
	}
	return 0;
}

/* ---- the lock -------------------------------------------------------------- */

static uint64_t monotonic_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/* The timer only has to end a blocked flock(); nothing to do here. */
static void lock_wait_over(int sig)
{
	(void)sig;
}

/* flock(LOCK_EX) on fd, waiting at most until deadline (monotonic ms;
 * timeout_ms is what it was set from, for the message).
 * The wait sleeps in the kernel, ended by a one-shot SIGALRM (installed
 * without SA_RESTART) when time runs out: at boot udev starts dozens of
 * --incremental at once, and waiters polling the lock would take the CPU
 * from the process holding it. */
static int flock_until(int fd, const char *path, uint64_t deadline, unsigned timeout_ms,
		       struct diag *d)
{
	struct sigaction wake = { .sa_handler = lock_wait_over }, saved;
	const struct itimerval off = { { 0, 0 }, { 0, 0 } };
	int rc, e;

	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK && errno != EINTR)
		return diag_fail(d, "cannot lock %s: %s", path, strerror(errno));
	sigemptyset(&wake.sa_mask);
	if (sigaction(SIGALRM, &wake, &saved) != 0)
		return diag_fail(d, "cannot wait for the lock on %s: %s", path, strerror(errno));
	do {
		uint64_t now = monotonic_ms();
		struct itimerval t = { { 0, 0 }, { 0, 0 } };

		if (now >= deadline) {
			rc = -1;
			e = ETIMEDOUT;
			break;
		}
		t.it_value.tv_sec = (time_t)((deadline - now) / 1000u);
		t.it_value.tv_usec = (suseconds_t)((deadline - now) % 1000u * 1000u);
		if (setitimer(ITIMER_REAL, &t, NULL) != 0) {
			rc = -1;
			e = errno;
			break;
		}
		rc = flock(fd, LOCK_EX);
		e = errno;
		setitimer(ITIMER_REAL, &off, NULL);
	} while (rc != 0 && e == EINTR);
	sigaction(SIGALRM, &saved, NULL);
	if (rc == 0)
		return 0;
	if (e == ETIMEDOUT)
		return diag_fail(d, "gave up waiting for the lock on %s after %u s", path,
				 timeout_ms / 1000u);
	return diag_fail(d, "cannot lock %s: %s", path, strerror(e));
}

int mapfile_lock(struct map_lock *l, unsigned timeout_ms, struct diag *d)
{
	uint64_t deadline = monotonic_ms() + timeout_ms;

	l->fd = -1;
	mapfile_path(l->path, sizeof(l->path), ".lock");
	make_map_dir();
	for (;;) {
		struct stat st;
		int fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

		if (fd < 0)
			return diag_fail(d, "cannot open %s: %s", l->path, strerror(errno));
		if (flock_until(fd, l->path, deadline, timeout_ms, d)) {
			close(fd);
			return -1;
		}
		if (fstat(fd, &st) != 0) {
			int e = errno;

			close(fd);
			return diag_fail(d, "cannot stat %s: %s", l->path, strerror(e));
		}
		if (st.st_nlink > 0) {
			l->fd = fd;
			return 0;
		}
		/* the previous holder unlinked it while we waited: lock the new one */
		close(fd);
	}
}

void mapfile_unlock(struct map_lock *l)
{
	if (l->fd < 0)
		return;
	/* only the holder may remove the file, and it must do so before
	 * letting go, so that waiters notice and start again */
	if (unlink(l->path) != 0 && errno != ENOENT)
		pr_err("warning: cannot remove %s: %s\n", l->path, strerror(errno));
	close(l->fd);
	l->fd = -1;
}

/* ---- entries --------------------------------------------------------------- */

static bool alive(const struct map_entry *e, const struct sysfs *s)
{
	return !s || md_present(s, e->devnm);
}

const struct map_entry *mapfile_by_uuid(const struct mapfile *m, const uint8_t uuid[16],
					const struct sysfs *s)
{
	for (size_t i = 0; i < m->n; i++)
		if (memcmp(m->entries[i].uuid, uuid, 16) == 0 && alive(&m->entries[i], s))
			return &m->entries[i];
	return NULL;
}

const struct map_entry *mapfile_by_devnm(const struct mapfile *m, const char *devnm,
					 const struct sysfs *s)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->entries[i].devnm, devnm) == 0 && alive(&m->entries[i], s))
			return &m->entries[i];
	return NULL;
}

const struct map_entry *mapfile_by_name(const struct mapfile *m, const char *name,
					const struct sysfs *s)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct map_entry *e = &m->entries[i];

		if (strncmp(e->path, "/dev/md/", 8) == 0 && strcmp(e->path + 8, name) == 0 &&
		    alive(e, s))
			return e;
	}
	return NULL;
}

int mapfile_set(struct mapfile *m, const char *devnm, const char *metadata,
		const uint8_t uuid[16], const char *path, struct diag *d)
{
	struct map_entry *e = NULL;

	for (size_t i = 0; i < m->n && !e; i++)
		if (strcmp(m->entries[i].devnm, devnm) == 0)
			e = &m->entries[i];
	if (!e) {
		if (grow(m, d))
			return -1;
		e = &m->entries[m->n++];
	}
	memset(e, 0, sizeof(*e));
	snprintf(e->devnm, sizeof(e->devnm), "%s", devnm);
	snprintf(e->metadata, sizeof(e->metadata), "%s", metadata);
	memcpy(e->uuid, uuid, 16);
	snprintf(e->path, sizeof(e->path), "%s", path && *path ? path : devnm);
	return 0;
}

static void keep_if(struct mapfile *m, bool (*keep)(const struct map_entry *, const void *),
		    const void *arg)
{
	size_t j = 0;

	for (size_t i = 0; i < m->n; i++)
		if (keep(&m->entries[i], arg))
			m->entries[j++] = m->entries[i];
	m->n = j;
}

static bool other_devnm(const struct map_entry *e, const void *devnm)
{
	return strcmp(e->devnm, devnm) != 0;
}

static bool present(const struct map_entry *e, const void *s)
{
	return md_present(s, e->devnm);
}

void mapfile_del(struct mapfile *m, const char *devnm)
{
	keep_if(m, other_devnm, devnm);
}

void mapfile_prune(struct mapfile *m, const struct sysfs *s)
{
	keep_if(m, present, s);
}

int mapfile_record(const char *devnm, const char *metadata, const uint8_t uuid[16],
		   const char *path, struct diag *d)
{
	struct map_lock l;
	struct mapfile m;
	int rc;

	if (mapfile_lock(&l, MAP_LOCK_TIMEOUT_MS, d))
		return -1;
	rc = mapfile_read(&m, d);
	if (rc == 0)
		rc = mapfile_set(&m, devnm, metadata, uuid, path, d);
	if (rc == 0)
		rc = mapfile_write(&m, d);
	mapfile_free(&m);
	mapfile_unlock(&l);
	return rc;
}

int mapfile_remove(const char *devnm, struct diag *d)
{
	struct map_lock l;
	struct mapfile m;
	bool missing;
	size_t before;
	int rc;

	if (mapfile_lock(&l, MAP_LOCK_TIMEOUT_MS, d))
		return -1;
	rc = mapfile_read_ex(&m, &missing, d);
	before = m.n;
	if (rc == 0 && !missing) {
		mapfile_del(&m, devnm);
		if (m.n != before)
			rc = mapfile_write(&m, d);
	}
	mapfile_free(&m);
	mapfile_unlock(&l);
	return rc;
}

/* ---- names ----------------------------------------------------------------- */

/* "/dev/md/x" -> "x", "/dev/x" -> "x", then "md12" -> "12". */
static const char *name_core(const char *s)
{
	if (strncmp(s, "/dev/md/", 8) == 0)
		s += 8;
	else if (strncmp(s, "/dev/", 5) == 0)
		s += 5;
	if (strncmp(s, "md", 2) == 0 && isdigit((unsigned char)s[2]))
		s += 2;
	return s;
}

bool mapfile_conf_name_is_free(const struct conf *conf, const char *name)
{
	const char *core = name_core(name);

	if (!conf)
		return true;
	for (size_t i = 0; i < conf->narrays; i++) {
		const struct conf_array *a = &conf->arrays[i];

		if (a->devname[0] && strcmp(core, name_core(a->devname)) == 0)
			return false;
		if (a->name[0] && strcmp(core, name_core(a->name)) == 0)
			return false;
	}
	return true;
}

void homehost_policy_init(struct homehost_policy *hp, const char *cmdline_value,
			  const struct conf *conf)
{
	char system_name[sizeof(hp->name)];

	default_homehost(system_name, sizeof(system_name));
	policy_homehost(hp, cmdline_value, conf ? conf->homehost : NULL, system_name);
}

bool sb_name_is_local(const uint8_t set_name[32], const char *homehost)
{
	char name[33];

	memcpy(name, set_name, 32);
	name[32] = '\0';
	return policy_name_is_local(name, homehost);
}

/* ---- rebuilding ------------------------------------------------------------ */

/* An existing /dev/md/<x> symlink whose target is devnm. */
static bool find_md_link(const struct sysfs *s, const char *devnm, char *out, size_t len)
{
	char dir[PATH_MAX], link[PATH_MAX * 2], target[PATH_MAX];
	struct dirent *e;
	bool found = false;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/md", s->dev_root);
	dp = opendir(dir);
	if (!dp)
		return false;
	while (!found && (e = readdir(dp)) != NULL) {
		ssize_t n;
		const char *base;

		if (e->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, e->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
		if (strcmp(base, devnm) == 0)
			found = snprintf(out, len, "/dev/md/%s", e->d_name) < (int)len;
	}
	closedir(dp);
	return found;
}

/* The superblock of the first readable member of devnm. */
static bool load_any_member(const struct sysfs *s, const char *devnm, struct member *m)
{
	char rel[128], (*names)[SYSFS_NAME_MAX] = calloc(MAP_MEMBERS_SCAN, SYSFS_NAME_MAX);
	size_t n = 0;
	bool ok = false;

	if (!names)
		return false;
	snprintf(rel, sizeof(rel), "block/%s/md", devnm);
	if (sysfs_list_dir(s, rel, "dev-", names, MAP_MEMBERS_SCAN, &n, NULL) != 0)
		n = 0;
	for (size_t i = 0; i < n && !ok; i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s", s->dev_root, names[i] + 4);
		ok = member_load(m, path, NULL) == MEMBER_OK && m->csum_ok;
	}
	free(names);
	return ok;
}

/* A name under /dev/md/ for an array that has none yet, the way
 * upstream's rebuild invents one: local arrays (and those an ARRAY line
 * does not claim when the homehost is not required) keep their name,
 * others get "_N"; "host:name" names are kept whole, without the host
 * when it is ours. Must not collide with /dev/md/ or the map so far. */
static void invent_name(const struct sysfs *s, const struct conf *conf,
			const struct homehost_policy *hp, const struct member *m,
			const struct mapfile *built, char *out, size_t len)
{
	char name[33], cand[80];
	const char *nm = name, *sep = "_";
	int unum;
	bool local;

	memcpy(name, m->sb.set_name, 32);
	name[32] = '\0';
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '-';
		else if (*p == ' ' || *p == '\t')
			*p = '_';
	local = (hp->name[0] && sb_name_is_local(m->sb.set_name, hp->name)) ||
		sb_name_is_local(m->sb.set_name, "any");
	unum = !local && (hp->require || !mapfile_conf_name_is_free(conf, name)) ? 0 : -1;
	if (!*nm) {
		nm = "1.x";
		if (unum == -1) {
			unum = 0;
			sep = "";
		}
	}
	if (strchr(nm, ':')) {
		size_t hl = strlen(hp->name);

		if (hl && unum == -1 && strncmp(nm, hp->name, hl) == 0 && nm[hl] == ':')
			nm += hl + 1;
		unum = -1;
	}
	for (; unum < MAP_MAX_SUFFIX; unum++) {
		char node[PATH_MAX];
		struct stat st;

		if (unum >= 0)
			snprintf(cand, sizeof(cand), "%s%s%d", nm, sep, unum);
		else
			snprintf(cand, sizeof(cand), "%s", nm);
		snprintf(node, sizeof(node), "%s/md/%s", s->dev_root, cand);
		if (lstat(node, &st) != 0 && !mapfile_by_name(built, cand, NULL))
			break;
	}
	snprintf(out, len, "/dev/md/%s", cand);
}

static void array_path(const struct sysfs *s, const struct conf *conf,
		       const struct homehost_policy *hp, const char *devnm,
		       const struct member *m, const struct mapfile *built,
		       char *out, size_t len)
{
	if (find_md_link(s, devnm, out, len))
		return;
	for (size_t i = 0; conf && i < conf->narrays; i++) {
		const struct conf_array *a = &conf->arrays[i];

		if (a->has_uuid && memcmp(a->uuid, m->sb.set_uuid, 16) == 0 &&
		    a->devname[0] == '/') {
			snprintf(out, len, "%.*s", (int)len - 1, a->devname);
			return;
		}
	}
	invent_name(s, conf, hp, m, built, out, len);
}

static int build_map(const struct sysfs *s, const struct conf *conf,
		     const struct homehost_policy *hp, struct mapfile *out,
		     char (*names)[MD_DEVNM_MAX], size_t n, struct diag *d)
{
	for (size_t i = 0; i < n; i++) {
		struct member *m = malloc(sizeof(*m));
		char path[MAP_PATH_MAX], meta[8];
		int rc = 0;

		if (!m)
			return diag_fail(d, "out of memory");
		if (load_any_member(s, names[i], m)) {
			array_path(s, conf, hp, names[i], m, out, path, sizeof(path));
			snprintf(meta, sizeof(meta), "1.%d", m->minor);
			rc = mapfile_set(out, names[i], meta, m->sb.set_uuid, path, d);
		}
		free(m);
		if (rc)
			return -1;
	}
	return 0;
}

/* The md devices present, into a malloc'd list. */
static int list_md(const struct sysfs *s, char (**names)[MD_DEVNM_MAX], size_t *n,
		   struct diag *d)
{
	*n = 0;
	*names = calloc(MAP_MAX_ARRAYS, MD_DEVNM_MAX);
	if (!*names)
		return diag_fail(d, "out of memory");
	if (md_list(s, *names, MAP_MAX_ARRAYS, n, d)) {
		free(*names);
		*names = NULL;
		return -1;
	}
	return 0;
}

int mapfile_build(const struct sysfs *s, const struct conf *conf,
		  const struct homehost_policy *hp, struct mapfile *m, struct diag *d)
{
	char (*names)[MD_DEVNM_MAX];
	size_t n;
	int rc;

	if (list_md(s, &names, &n, d))
		return -1;
	rc = build_map(s, conf, hp, m, names, n, d);
	free(names);
	return rc;
}

int mapfile_rebuild(const struct sysfs *s, const struct conf *conf,
		    const struct homehost_policy *hp, struct diag *d)
{
	char (*names)[MD_DEVNM_MAX];
	struct mapfile m = { 0 };
	struct map_lock l;
	size_t n;
	int rc;

	if (list_md(s, &names, &n, d))
		return -1;
	rc = mapfile_lock(&l, MAP_LOCK_TIMEOUT_MS, d);
	if (rc == 0) {
		rc = build_map(s, conf, hp, &m, names, n, d);
		if (rc == 0)
			rc = mapfile_write(&m, d);
		mapfile_unlock(&l);
	}
	/* tell udev, so that links and MD_DEVNAME follow the new map; best
	 * effort: the map itself is written, and udev reads it at the next
	 * event of that array anyway */
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (md_notify_udev(s, names[i], NULL) != 0)
			continue;
	mapfile_free(&m);
	free(names);
	return rc;
}
