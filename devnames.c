/* devnames.c - the name under /dev to show for a block device */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "devnames.h"

#define DEVNAMES_MAX_DEPTH 8
#define DEVNAMES_MAX 200000u

void devnames_init(struct devnames *dn, const char *dev_root)
{
	memset(dn, 0, sizeof(*dn));
	snprintf(dn->root, sizeof(dn->root), "%s", dev_root);
}

void devnames_free(struct devnames *dn)
{
	for (size_t i = 0; i < dn->n; i++)
		free(dn->e[i].path);
	free(dn->e);
	dn->e = NULL;
	dn->n = dn->cap = 0;
	dn->scanned = false;
}

static void add_name(struct devnames *dn, const char *path, const struct stat *st)
{
	char *p;

	if (dn->n >= DEVNAMES_MAX)
		return;
	if (dn->n == dn->cap) {
		size_t ncap = dn->cap ? dn->cap * 2 : 64;
		struct devname_ent *ne = realloc(dn->e, ncap * sizeof(*ne));

		if (!ne)
			return;     /* a name less to choose from; not an error */
		dn->e = ne;
		dn->cap = ncap;
	}
	p = strdup(path);
	if (!p)
		return;
	dn->e[dn->n].path = p;
	dn->e[dn->n].major = major(st->st_rdev);
	dn->e[dn->n].minor = minor(st->st_rdev);
	dn->n++;
}

/* Block devices and symlinks to block devices below `dir`; real
 * directories are descended into, symlinked ones are not. */
static void walk(struct devnames *dn, const char *dir, int depth)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		if (lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth < DEVNAMES_MAX_DEPTH)
				walk(dn, path, depth + 1);
			continue;
		}
		if (S_ISLNK(st.st_mode) && stat(path, &st) != 0)
			continue;
		if (S_ISBLK(st.st_mode))
			add_name(dn, path, &st);
	}
	closedir(d);
}

/* Is `a` a better pick than the current `best` within one class? */
static bool shorter(const char *a, const char *best)
{
	size_t la = strlen(a), lb;

	if (!best)
		return true;
	lb = strlen(best);
	return la < lb || (la == lb && strcmp(a, best) < 0);
}

const char *devnames_find(struct devnames *dn, unsigned maj, unsigned min,
			  const char *prefer)
{
	const char *regular = NULL, *preferred = NULL;
	char mddir[300], pref[300] = "";

	if (maj == 0 && min == 0)
		return NULL;
	if (!dn->scanned) {
		walk(dn, dn->root, 0);
		dn->scanned = true;
	}
	snprintf(mddir, sizeof(mddir), "%s/md/", dn->root);
	if (prefer && *prefer)
		snprintf(pref, sizeof(pref), "/%s/", prefer);
	for (size_t i = 0; i < dn->n; i++) {
		const char *p = dn->e[i].path;

		if (dn->e[i].major != maj || dn->e[i].minor != min)
			continue;
		if (strncmp(p, mddir, strlen(mddir)) == 0 || (pref[0] && strstr(p, pref))) {
			if (shorter(p, preferred))
				preferred = p;
		} else if (shorter(p, regular)) {
			regular = p;
		}
	}
	return preferred ? preferred : regular;
}

const char *devnames_find_kname(struct devnames *dn, unsigned maj, unsigned min,
				const char *prefer, const char *kname)
{
	const char *p = devnames_find(dn, maj, min, prefer);
	char path[PATH_MAX];
	struct stat st;
	size_t before = dn->n;

	if (p || !kname || !kname[0] || strchr(kname, '/'))
		return p;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dn->root, kname) >= sizeof(path) ||
	    stat(path, &st) != 0)
		return NULL;
	st.st_rdev = makedev(maj, min);
	add_name(dn, path, &st);
	return dn->n > before ? dn->e[dn->n - 1].path : NULL;
}
