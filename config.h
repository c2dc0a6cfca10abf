/* config.h - mdadm.conf: DEVICE, ARRAY, HOMEHOST, AUTO, MAILADDR, MAILFROM,
 * PROGRAM, MONITORDELAY, CREATE and POLICY lines. The parser is pure (text in, structs out); a
 * separate reader loads the default files. */
#ifndef MDADM_CONFIG_H
#define MDADM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define CONF_MAX_ARRAYS 256
#define CONF_MAX_DEVICES 64

struct conf_array {
	char devname[256];          /* "/dev/md/name", or "<ignore>" */
	bool has_uuid;
	uint8_t uuid[16];
	char name[64];              /* name= */
	char metadata[16];
	char devices[512];          /* devices= glob list, comma separated */
	char spare_group[64];       /* spare-group= ("" when absent) */
	int level;                  /* -1000 when absent */
	int num_devices;            /* -1 when absent */
	int spares;                 /* -1 when absent */
};

/* The DEVICE words and ARRAY lines are allocated as the file has them:
 * release them with conf_free(). */
struct conf {
	char (*devices)[256];       /* DEVICE words (globs, "partitions", "containers") */
	size_t ndevices;
	struct conf_array *arrays;
	size_t narrays;
	char homehost[64];          /* "" unset, "<system>", "<none>", "<ignore>" */
	char mailaddr[256];
	char mailfrom[256];
	char program[256];
	unsigned monitor_delay;     /* MONITORDELAY seconds; 0 unset */
	char auto_line[256];
	bool create_names;          /* CREATE names=yes: /dev/md/X runs as md_X */
	unsigned warnings;          /* lines that were not understood */
};

/* Parse the text of mdadm.conf. Unknown keywords and malformed words are
 * counted in conf->warnings and reported through warn() (may be NULL);
 * only impossible input (out of memory, too many arrays) fails. conf must
 * be zeroed or hold an earlier result, which is released first (also by
 * conf_load). */
int conf_parse(const char *text, struct conf *conf,
	       void (*warn)(const char *msg, void *arg), void *arg, struct diag *d);

/* Load FILE ("none" and "partitions": no file, no ARRAY lines), or with
 * NULL the first existing of /etc/mdadm/mdadm.conf and
 * /etc/mdadm.conf (MDADM_CONF in the environment overrides). A missing
 * default file gives an empty config; a missing named file is an error. */
int conf_load(const char *file, struct conf *conf, struct diag *d);

/* An ARRAY line that asks nothing (level, num-devices and spares unset). */
void conf_array_init(struct conf_array *a);

/* Does the line name an array (uuid= or name=)? Lines that do not are
 * not used to find members. */
bool conf_array_identifies(const struct conf_array *a);

/* What an ARRAY line (or an identity given on the command line) is
 * matched against: one member's superblock and the device's names. */
struct conf_array_facts {
	const uint8_t *uuid;            /* 16 bytes */
	const char *name;               /* superblock name, "host:name" or "name" */
	int level;
	unsigned raid_disks;
	const char *const *devnames;    /* the device's names (node, links) */
	size_t ndevnames;
};

/* Does every field the line sets agree with the facts? uuid= exactly,
 * name= with the whole name or the part after "host:", level=,
 * num-devices=, and devices= globs against one of the device's names. */
bool conf_array_matches(const struct conf_array *a, const struct conf_array_facts *f);

/* The first ARRAY line whose device name an earlier line already gives
 * ("<ignore>" and lines without a name aside), with that earlier line in
 * *first; NULL when every name is used once. */
const struct conf_array *conf_duplicate_devname(const struct conf *conf,
						const struct conf_array **first);

/* Release what conf_parse/conf_load allocated; conf is zeroed. */
void conf_free(struct conf *conf);

#endif
