/* mdadm.c - entry point: parse the command line, dispatch to the mode */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modes.h"
#include "options.h"
#include "util.h"

static const char general_help[] =
	"mdadm is used for building, managing, and monitoring\n"
	"Linux md devices (aka RAID arrays), including arrays with the\n"
	"lockless bitmap (llbitmap).\n"
	"Usage: mdadm --create device options...\n"
	"            Create a new array from unused devices.\n"
	"       mdadm --assemble device options...\n"
	"            Assemble a previously created array.\n"
	"       mdadm --detail device options...\n"
	"            Show detailed status of an array.\n"
	"       mdadm --examine device...\n"
	"            Show the md superblock of member devices or image files.\n"
	"       mdadm --examine-bitmap device...\n"
	"            Show the bitmap of a member, including every lockless state.\n"
	"       mdadm --build device options...\n"
	"            Create or assemble an array without metadata.\n"
	"       mdadm --manage device options...\n"
	"            Make changes to an existing array.\n"
	"       mdadm --misc options... devices\n"
	"            Report on or modify various md related devices.\n"
	"       mdadm --grow options device\n"
	"            Resize/reshape an active array.\n"
	"       mdadm --incremental device\n"
	"            Add/remove a device to/from an array as appropriate.\n"
	"       mdadm --monitor options...\n"
	"            Monitor one or more arrays for significant changes.\n"
	"       mdadm device options...\n"
	"            Shorthand for --manage.\n"
	"Any parameter that does not start with '-' is treated as a device name\n"
	"or, for --examine and --examine-bitmap, a device or image file name.\n"
	"\n"
	" For detailed help on the above major modes use --help after the mode\n"
	" e.g.\n"
	"         mdadm --assemble --help\n"
	" For general help on options use\n"
	"         mdadm --help-options\n";

static void print_option_line(const struct opt_def *o)
{
	char left[64];
	int n;

	if (o->short_name)
		n = snprintf(left, sizeof(left), "  --%s%s%s -%c", o->name,
			     o->metavar ? (o->arg == ARG_OPTIONAL ? "[=" : "=") : "",
			     o->metavar ? o->metavar : "", o->short_name);
	else
		n = snprintf(left, sizeof(left), "  --%s%s%s", o->name,
			     o->metavar ? (o->arg == ARG_OPTIONAL ? "[=" : "=") : "",
			     o->metavar ? o->metavar : "");
	if (o->metavar && o->arg == ARG_OPTIONAL && n > 0 && (size_t)n < sizeof(left) - 1) {
		/* close the optional bracket before the short form */
		char *dash = o->short_name ? strrchr(left, ' ') : NULL;

		if (dash) {
			memmove(dash + 1, dash, strlen(dash) + 1);
			*dash = ']';
		} else {
			strcat(left, "]");
		}
	}
	printf("%-34s: %s\n", left, o->help);
}

/* Options listed for a mode: everything valid in it that is not hidden,
 * mode selectors other than the mode itself left out. */
static void print_mode_help(enum mode m)
{
	printf("Usage: mdadm --%s [options] devices...\n\n", mode_name(m));
	printf("Options that are valid in %s mode:\n", mode_name(m));
	for (size_t i = 0; i < option_table_len; i++) {
		const struct opt_def *o = &option_table[i];

		if (o->flags & OF_HIDDEN || !(o->modes & MB(m)))
			continue;
		if (o->selects != MODE_NONE && o->selects != m && !(o->flags & OF_MISC_ACTION))
			continue;
		if (o->selects == m && !(o->flags & (OF_MISC_ACTION | OF_MANAGE_ACTION)) &&
		    o->id != OPT_NO_SHARING)
			continue;
		print_option_line(o);
	}
}

static void print_all_options(void)
{
	puts("Any parameter that does not start with '-' is treated as a device name\n"
	     "or, for --examine and --examine-bitmap, a device or image file name.\n"
	     "Options (some are valid only in some modes, see mdadm --MODE --help):");
	for (size_t i = 0; i < option_table_len; i++)
		if (!(option_table[i].flags & OF_HIDDEN))
			print_option_line(&option_table[i]);
}


/* Run the misc actions over the device list, grouping consecutive devices
 * that share an action (examine needs all of them together for --brief). */
static int run_misc(const struct cmdline *c)
{
	const char *group[CMD_MAX_DEVS];
	int rc = 0;
	size_t i = 0;

	if (c->ndevs == 0) {
		if (c->last_action == OPT_EXAMINE)
			return Examine(c, NULL, 0);
		if (c->last_action == OPT_DETAIL_PLATFORM)
			return DetailPlatform(c);
		if (c->last_action == OPT_DETAIL && cmd_has(c, OPT_SCAN))
			return Detail(c, NULL, 0);
		if (c->last_action == OPT_STOP && cmd_has(c, OPT_SCAN))
			return Stop(c, NULL, 0);
		if (c->last_action == OPT_WAIT_CLEAN && cmd_has(c, OPT_SCAN))
			return WaitClean(c, NULL, 0);
		if (c->last_action == OPT_UDEV_RULES)
			return not_implemented("--udev-rules");
		/* every other action works on named devices */
		pr_err("No devices given.\n");
		return EXIT_USAGE;
	}
	while (i < c->ndevs) {
		enum opt_id action = c->devs[i].action;
		size_t n = 0;

		while (i < c->ndevs && c->devs[i].action == action)
			group[n++] = c->devs[i++].name;
		switch (action) {
		case OPT_EXAMINE:
			rc |= Examine(c, group, n);
			break;
		case OPT_EXAMINE_BITMAP:
			rc |= ExamineBitmap(c, group, n);
			break;
		case OPT_EXAMINE_BADBLOCKS:
			rc |= ExamineBadblocks(c, group, n);
			break;
		case OPT_DETAIL_PLATFORM:
			rc |= DetailPlatform(c);
			break;
		case OPT_DETAIL:
			rc |= Detail(c, group, n);
			break;
		case OPT_QUERY:
			rc |= Query(c, group, n);
			break;
		case OPT_STOP:
			rc |= Stop(c, group, n);
			break;
		case OPT_RUN:
			rc |= Run(c, group, n);
			break;
		case OPT_ZERO_SUPERBLOCK:
			rc |= ZeroSuperblock(c, group, n);
			break;
		case OPT_READONLY:
		case OPT_READWRITE:
			rc |= SetReadWrite(c, group, n, action == OPT_READWRITE);
			break;
		case OPT_WAIT:
			rc |= Wait(c, group, n);
			break;
		case OPT_WAIT_CLEAN:
			rc |= WaitClean(c, group, n);
			break;
		case OPT_ACTION:
			rc |= SetAction(c, group, n);
			break;
		default: {
			char what[80];

			snprintf(what, sizeof(what), "--%s", option_by_id(action) ?
				 option_by_id(action)->name : "this action");
			rc |= not_implemented(what);
		}
		}
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct cmdline *c = calloc(1, sizeof(*c));
	int rc;

	if (!c) {
		pr_err("out of memory\n");
		return EXIT_FAIL;
	}
	rc = cmdline_parse(c, argc, argv);
	if (rc == CMDLINE_ANSWERED) {
		rc = EXIT_OK;
		goto out;
	}
	if (rc)
		goto out;
	if (cmd_has(c, OPT_VERSION)) {
		fprintf(stderr, "mdadm - v4.6 - " VERS_DATE " - llbitmap edition " VERSION "\n");
		goto out;
	}
	if (cmd_has(c, OPT_HELP_OPTIONS)) {
		print_all_options();
		goto out;
	}
	if (cmd_has(c, OPT_HELP)) {
		if (c->mode == MODE_NONE)
			fputs(general_help, stdout);
		else
			print_mode_help(c->mode);
		goto out;
	}
	switch (c->mode) {
	case MODE_NONE:
		fputs("Usage: mdadm --help\n  for help\n", stderr);
		rc = EXIT_USAGE;
		break;
	case MODE_MISC:
		rc = run_misc(c);
		break;
	case MODE_CREATE:
		rc = Create(c);
		break;
	case MODE_GROW:
		rc = Grow(c);
		break;
	case MODE_ASSEMBLE:
		rc = Assemble(c);
		break;
	case MODE_BUILD:
		rc = Build(c);
		break;
	case MODE_INCREMENTAL:
		rc = Incremental(c);
		break;
	case MODE_MANAGE:
		rc = Manage(c);
		break;
	case MODE_MONITOR:
		rc = Monitor(c);
		break;
	default: {
		char what[64];

		snprintf(what, sizeof(what), "--%s mode", mode_name(c->mode));
		rc = not_implemented(what);
	}
	}
out:
	cmdline_free(c);
	free(c);
	return rc;
}
