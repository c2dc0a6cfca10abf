/* ExamineBadblocks.c - --examine-badblocks: list the bad-block log of v1
 * members in mdadm 4.6's layout (one line per range, the sector right
 * aligned in 20 columns). */
#include <stdio.h>
#include <stdlib.h>

#include "member.h"
#include "modes.h"
#include "util.h"

static int list_badblocks(const struct member *m, struct devio *io)
{
	struct diag d = { 0 };
	uint64_t sector, count;
	uint8_t *log;
	size_t len, i;

	if (!sb1_has_bblog(&m->sb)) {
		printf("No bad-blocks list configured on %s\n", m->path);
		return EXIT_OK;
	}
	/* the kernel sets the feature bit while the log holds an entry */
	if (!(m->sb.feature_map & SB1_FEAT_BAD_BLOCKS)) {
		printf("Bad-blocks list is empty in %s\n", m->path);
		return EXIT_OK;
	}
	if (member_read_bblog(m, io, &log, &len, &d) != 0) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	printf("Bad-blocks on %s:\n", m->path);
	for (i = 0; sb1_bblog_entry(log, len, i, m->sb.bblog_shift, &sector, &count); i++)
		printf("%20llu for %llu sectors\n", (unsigned long long)sector,
		       (unsigned long long)count);
	free(log);
	return EXIT_OK;
}

static int examine_badblocks_one(const char *dev)
{
	struct diag d = { 0 };
	struct devio io;
	struct member m;
	enum member_load_result lr;
	int rc;

	if (devio_open(&io, dev, &d) != 0) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	lr = member_load_io(&m, &io, &d);
	switch (lr) {
	case MEMBER_OK:
		rc = list_badblocks(&m, &io);
		break;
	case MEMBER_OTHER_METADATA:
		pr_err("0.90 metadata does not support badblocks\n");
		rc = EXIT_FAIL;
		break;
	case MEMBER_NO_SUPERBLOCK:
		pr_err("No md superblock detected on %s\n", dev);
		rc = EXIT_FAIL;
		break;
	default:
		pr_err("%s\n", d.msg);
		rc = EXIT_FAIL;
	}
	devio_close(&io);
	return rc;
}

int ExamineBadblocks(const struct cmdline *c, const char *const *devs, size_t ndevs)
{
	int rc = EXIT_OK;

	(void)c;
	for (size_t i = 0; i < ndevs; i++)
		rc |= examine_badblocks_one(devs[i]);
	return rc;
}
