/* llb-states - the lockless bitmap's state table for shell test helpers
 *
 *   llb-states keys PRED          state keys for which PRED holds
 *   llb-states labels PRED        their md/llbitmap/bits labels, one a line
 *   llb-states bits [FILE]        md/llbitmap/bits (default stdin) as
 *                                 key=count lines, in state order
 *   llb-states sum PRED           key=count lines on stdin -> the sum of
 *                                 the counts of the states PRED holds for
 *   llb-states apply ACTION [parity] [degraded]
 *                                 key=count lines on stdin -> the counts
 *                                 after every chunk went through ACTION
 *
 * PRED: needs-sync, syncing, pending (either), unsynced, unwritten,
 * recovered (what a recovery onto a returning member copies: the chunks a
 * sync pass on a degraded array takes up). ACTION: startwrite, startsync,
 * endsync, abortsync, reload, daemon (also what a clean stop does),
 * discard, stale, proactive-sync, clear-unwritten. The key "invalid"
 * counts bytes that are no state. Everything comes from llbitmap.c, so the
 * VM tests and mdadm share one definition. Exit status 2 on bad usage, 1
 * when the input is not understood. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llbitmap.h"

#define MAX_INPUT 65536

static bool is_pending(unsigned st)
{
	return llb_state_needs_sync(st) || llb_state_syncing(st);
}

static bool is_recovered(unsigned st)
{
	const struct llb_context degraded = { .degraded = true };

	return llb_state_syncing(llb_transition((uint8_t)st, LLB_ACT_STARTSYNC, &degraded));
}

struct pred {
	const char *name;
	bool (*fn)(unsigned st);
};

static const struct pred preds[] = {
	{ "needs-sync", llb_state_needs_sync },
	{ "syncing", llb_state_syncing },
	{ "pending", is_pending },
	{ "unsynced", llb_state_unsynced },
	{ "unwritten", llb_state_unwritten },
	{ "recovered", is_recovered },
};

static int usage(void)
{
	fprintf(stderr, "usage: llb-states keys|labels|sum PRED | bits [FILE] | apply ACTION [parity] [degraded]\n");
	return 2;
}

static bool (*find_pred(const char *name))(unsigned)
{
	for (size_t i = 0; i < sizeof(preds) / sizeof(preds[0]); i++)
		if (strcmp(name, preds[i].name) == 0)
			return preds[i].fn;
	fprintf(stderr, "llb-states: unknown predicate '%s'\n", name);
	return NULL;
}

static size_t read_all(FILE *f, char *buf, size_t len)
{
	size_t n = fread(buf, 1, len - 1, f);

	buf[n] = '\0';
	return n;
}

/* ---- key=count lines -------------------------------------------------------- */

struct counts {
	uint64_t n[LLB_NR_STATES + 1];   /* last: invalid */
	int order[LLB_NR_STATES + 1];    /* states in input order */
	unsigned seen;
};

static int state_of_key(const char *key)
{
	for (unsigned st = 0; st <= LLB_NR_STATES; st++)
		if (strcmp(key, llb_state_key(st)) == 0)
			return (int)st;
	return -1;
}

static int read_counts(struct counts *c)
{
	static char buf[MAX_INPUT];
	char *save = NULL;

	memset(c, 0, sizeof(*c));
	read_all(stdin, buf, sizeof(buf));
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '='), *end;
		int st;

		if (!eq)
			return -1;
		*eq = '\0';
		st = state_of_key(line);
		if (st < 0)
			return -1;
		c->n[st] = strtoull(eq + 1, &end, 10);
		if (end == eq + 1 || *end)
			return -1;
		c->order[c->seen++] = st;
	}
	return 0;
}

static bool seen(const struct counts *c, int st)
{
	for (unsigned i = 0; i < c->seen; i++)
		if (c->order[i] == st)
			return true;
	return false;
}

static int cmd_apply(int argc, char **argv)
{
	struct llb_context ctx = { 0 };
	struct counts c, after;
	int a;

	if (argc < 1 || (a = llb_action_from_name(argv[0])) < 0)
		return usage();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "parity") == 0)
			ctx.parity = true;
		else if (strcmp(argv[i], "degraded") == 0)
			ctx.degraded = true;
		else
			return usage();
	}
	if (read_counts(&c))
		return 1;
	after = c;
	memset(after.n, 0, sizeof(after.n));
	for (unsigned st = 0; st <= LLB_NR_STATES; st++) {
		/* LLB_INVALID stands for every byte that is no state */
		uint8_t next = llb_transition(st == LLB_NR_STATES ? 0xff : (uint8_t)st,
					      (enum llb_action)a, &ctx);
		int to = llb_state_valid(next) ? next : LLB_INVALID;

		after.n[to] += c.n[st];
		if (c.n[st] && !seen(&after, to))
			after.order[after.seen++] = to;
	}
	for (unsigned i = 0; i < after.seen; i++)
		printf("%s=%llu\n", llb_state_key((unsigned)after.order[i]),
		       (unsigned long long)after.n[after.order[i]]);
	return 0;
}

static int cmd_sum(bool (*pred)(unsigned))
{
	struct counts c;
	uint64_t total = 0;

	if (read_counts(&c))
		return 1;
	for (unsigned st = 0; st < LLB_NR_STATES; st++)
		if (pred(st))
			total += c.n[st];
	printf("%llu\n", (unsigned long long)total);
	return 0;
}

static int cmd_bits(const char *path)
{
	static char buf[MAX_INPUT];
	FILE *f = path ? fopen(path, "r") : stdin;
	struct llb_bits b;

	if (!f) {
		perror(path);
		return 1;
	}
	read_all(f, buf, sizeof(buf));
	if (path)
		fclose(f);
	if (llb_bits_parse(buf, &b, NULL))
		return 1;
	for (unsigned st = 0; st < b.nstates && st < LLB_NR_STATES; st++)
		printf("%s=%llu\n", llb_state_key(st), (unsigned long long)b.count[st]);
	return 0;
}

int main(int argc, char **argv)
{
	bool (*pred)(unsigned) = NULL;
	const char *sep = "";

	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "apply") == 0)
		return cmd_apply(argc - 2, argv + 2);
	if (strcmp(argv[1], "bits") == 0)
		return argc > 3 ? usage() : cmd_bits(argc == 3 ? argv[2] : NULL);
	if (argc != 3)
		return usage();
	if (!(pred = find_pred(argv[2])))
		return 2;
	if (strcmp(argv[1], "sum") == 0)
		return cmd_sum(pred);
	if (strcmp(argv[1], "keys") != 0 && strcmp(argv[1], "labels") != 0)
		return usage();
	for (unsigned st = 0; st < LLB_NR_STATES; st++) {
		if (!pred(st))
			continue;
		if (argv[1][0] == 'k')
			printf("%s%s", sep, llb_state_key(st));
		else
			printf("%s\n", llb_state_label(st));
		sep = " ";
	}
	if (argv[1][0] == 'k')
		printf("\n");
	return 0;
}
