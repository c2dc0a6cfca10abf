/* llbitmap.c - codec for the lockless bitmap state region
 *
 * The region is a flat array of one state byte per chunk. Everything here
 * works on caller-supplied bytes and numbers; nothing touches a device. */
#include <stdio.h>
#include <string.h>

#include "llbitmap.h"

#define LLB_FIRST_CHUNK_SECTORS 128u   /* 64 KiB, the kernel's starting point */
#define SECTOR_BYTES 512u

/* ---- state table --------------------------------------------------------
 * One row per defined state value, plus a last row used for anything else. */
enum llb_trait {
	LLB_T_NEEDS_SYNC = 1u << 0,
	LLB_T_SYNCING = 1u << 1,
	LLB_T_UNSYNCED = 1u << 2,
	LLB_T_UNWRITTEN = 1u << 3,
	LLB_T_DIRTIES_BLOCK = 1u << 4,
};

struct llb_state_info {
	const char *label;   /* md/llbitmap/bits */
	const char *name;    /* kernel source docs */
	const char *key;     /* JSON */
	unsigned since;      /* major*100+minor */
	unsigned traits;     /* LLB_T_* */
};

static const struct llb_state_info llb_states[LLB_NR_STATES + 1] = {
	[LLB_UNWRITTEN]           = { "unwritten", "Unwritten", "unwritten", 618,
				      LLB_T_UNWRITTEN },
	[LLB_CLEAN]               = { "clean", "Clean", "clean", 618, 0 },
	[LLB_DIRTY]               = { "dirty", "Dirty", "dirty", 618,
				      LLB_T_UNSYNCED | LLB_T_DIRTIES_BLOCK },
	[LLB_NEED_SYNC]           = { "need sync", "NeedSync", "need_sync", 618,
				      LLB_T_NEEDS_SYNC | LLB_T_UNSYNCED | LLB_T_DIRTIES_BLOCK },
	[LLB_SYNCING]             = { "syncing", "Syncing", "syncing", 618,
				      LLB_T_SYNCING | LLB_T_UNSYNCED },
	[LLB_NEED_SYNC_UNWRITTEN] = { "need sync unwritten", "NeedSyncUnwritten",
				      "need_sync_unwritten", 701,
				      LLB_T_NEEDS_SYNC | LLB_T_UNSYNCED | LLB_T_UNWRITTEN },
	[LLB_SYNCING_UNWRITTEN]   = { "syncing unwritten", "SyncingUnwritten",
				      "syncing_unwritten", 701,
				      LLB_T_SYNCING | LLB_T_UNSYNCED | LLB_T_UNWRITTEN },
	[LLB_CLEAN_UNWRITTEN]     = { "clean unwritten", "CleanUnwritten",
				      "clean_unwritten", 701, LLB_T_UNWRITTEN },
	[LLB_INVALID]             = { "invalid", "Invalid", "invalid", 0, 0 },
};

static const struct llb_state_info *state_info(unsigned state)
{
	return &llb_states[state < LLB_NR_STATES ? state : LLB_INVALID];
}

const char *llb_state_label(unsigned state)
{
	return state_info(state)->label;
}

const char *llb_state_name(unsigned state)
{
	return state_info(state)->name;
}

const char *llb_state_key(unsigned state)
{
	return state_info(state)->key;
}

unsigned llb_state_since(unsigned state)
{
	return state_info(state)->since;
}

bool llb_state_valid(uint8_t byte)
{
	return byte < LLB_NR_STATES;
}

static bool has_trait(unsigned state, unsigned trait)
{
	return (state_info(state)->traits & trait) != 0;
}

bool llb_state_needs_sync(unsigned state)
{
	return has_trait(state, LLB_T_NEEDS_SYNC);
}

bool llb_state_syncing(unsigned state)
{
	return has_trait(state, LLB_T_SYNCING);
}

bool llb_state_unsynced(unsigned state)
{
	return has_trait(state, LLB_T_UNSYNCED);
}

bool llb_state_unwritten(unsigned state)
{
	return has_trait(state, LLB_T_UNWRITTEN);
}

bool llb_state_dirties_block(unsigned state)
{
	return has_trait(state, LLB_T_DIRTIES_BLOCK);
}

/* ---- first use ------------------------------------------------------------ */

uint8_t llb_first_use_state(bool clean_flag, bool zeroed)
{
	if (clean_flag)
		return LLB_CLEAN;
	return zeroed ? LLB_CLEAN_UNWRITTEN : LLB_UNWRITTEN;
}

bool llb_first_use_may_zero(int level)
{
	return level == 4 || level == 5 || level == 6;
}

/* ---- transitions ------------------------------------------------------------ */

#define LLB_SAME 0xffu   /* the action leaves the state alone */

static const char *const llb_action_names[LLB_NR_ACTIONS] = {
	[LLB_ACT_STARTWRITE] = "startwrite",
	[LLB_ACT_STARTSYNC] = "startsync",
	[LLB_ACT_ENDSYNC] = "endsync",
	[LLB_ACT_ABORTSYNC] = "abortsync",
	[LLB_ACT_RELOAD] = "reload",
	[LLB_ACT_DAEMON] = "daemon",
	[LLB_ACT_DISCARD] = "discard",
	[LLB_ACT_STALE] = "stale",
	[LLB_ACT_PROACTIVE_SYNC] = "proactive-sync",
	[LLB_ACT_CLEAR_UNWRITTEN] = "clear-unwritten",
};

/* Actions the kernel has had since 6.18; the rest came with 7.1. */
#define LLB_NR_ACTIONS_618 (LLB_ACT_STALE + 1)

/* For a whole, non-parity array; llb_transition() applies the rest. */
static const uint8_t llb_next[LLB_NR_STATES][LLB_NR_ACTIONS] = {
#define S LLB_SAME
	/*                          write           startsync              endsync              abortsync      reload         daemon     discard        stale          proactive                clear-unwritten */
	[LLB_UNWRITTEN]           = { LLB_DIRTY,      S,                     S,                   S,             S,             S,         S,             S,             LLB_NEED_SYNC_UNWRITTEN, S },
	[LLB_CLEAN]               = { LLB_DIRTY,      S,                     S,                   S,             S,             S,         LLB_UNWRITTEN, LLB_NEED_SYNC, S,                       S },
	[LLB_DIRTY]               = { S,              S,                     S,                   S,             LLB_NEED_SYNC, LLB_CLEAN, LLB_UNWRITTEN, LLB_NEED_SYNC, S,                       S },
	[LLB_NEED_SYNC]           = { S,              LLB_SYNCING,           S,                   S,             S,             S,         LLB_UNWRITTEN, S,             S,                       S },
	[LLB_SYNCING]             = { S,              LLB_SYNCING,           LLB_DIRTY,           LLB_NEED_SYNC, LLB_NEED_SYNC, S,         LLB_UNWRITTEN, LLB_NEED_SYNC, S,                       S },
	[LLB_NEED_SYNC_UNWRITTEN] = { LLB_NEED_SYNC,  LLB_SYNCING_UNWRITTEN, S,                   LLB_UNWRITTEN, LLB_UNWRITTEN, S,         LLB_UNWRITTEN, LLB_UNWRITTEN, S,                       LLB_UNWRITTEN },
	[LLB_SYNCING_UNWRITTEN]   = { LLB_SYNCING,    LLB_SYNCING_UNWRITTEN, LLB_CLEAN_UNWRITTEN, LLB_UNWRITTEN, LLB_UNWRITTEN, S,         LLB_UNWRITTEN, LLB_UNWRITTEN, S,                       LLB_UNWRITTEN },
	[LLB_CLEAN_UNWRITTEN]     = { LLB_DIRTY,      S,                     S,                   S,             S,             S,         LLB_UNWRITTEN, LLB_UNWRITTEN, S,                       LLB_UNWRITTEN },
#undef S
};

const char *llb_action_name(enum llb_action a)
{
	return (unsigned)a < LLB_NR_ACTIONS ? llb_action_names[a] : "?";
}

int llb_action_from_name(const char *name)
{
	for (unsigned a = 0; a < LLB_NR_ACTIONS; a++)
		if (strcmp(name, llb_action_names[a]) == 0)
			return (int)a;
	return -1;
}

static bool kernel_knows_state(const struct llb_context *ctx, uint8_t state)
{
	return llb_state_valid(state) &&
	       (ctx->kernel == 0 || llb_states[state].since <= ctx->kernel);
}

static bool kernel_knows_action(const struct llb_context *ctx, enum llb_action a)
{
	return ctx->kernel == 0 || ctx->kernel >= 701 || (unsigned)a < LLB_NR_ACTIONS_618;
}

/* A degraded array keeps what it writes as NeedSync (the missing member
 * will need it), syncs its Dirty chunks and does not clean them. */
static uint8_t degraded_next(uint8_t state, enum llb_action a, uint8_t next)
{
	if (a == LLB_ACT_STARTWRITE && next == LLB_DIRTY)
		return LLB_NEED_SYNC;
	if (a == LLB_ACT_STARTSYNC && state == LLB_DIRTY)
		return LLB_SYNCING;
	if (a == LLB_ACT_DAEMON)
		return LLB_SAME;
	return next;
}

uint8_t llb_transition(uint8_t state, enum llb_action a, const struct llb_context *ctx)
{
	static const struct llb_context whole = { false, false, 0 };
	uint8_t next;

	if (!ctx)
		ctx = &whole;
	if ((unsigned)a >= LLB_NR_ACTIONS || !kernel_knows_action(ctx, a))
		return state;
	if (!kernel_knows_state(ctx, state))
		return LLB_NEED_SYNC;
	next = llb_next[state][a];
	/* raid4/5/6 build the parity of a first-written chunk lazily */
	if (ctx->parity && a == LLB_ACT_STARTWRITE && state == LLB_UNWRITTEN)
		next = LLB_NEED_SYNC;
	if (ctx->degraded)
		next = degraded_next(state, a, next);
	return next == LLB_SAME ? state : next;
}

/* ---- md/llbitmap/bits ------------------------------------------------------------ */

static bool parse_count(const char *s, size_t n, uint64_t *v)
{
	uint64_t r = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    __builtin_mul_overflow(r, 10, &r) ||
		    __builtin_add_overflow(r, (uint64_t)(s[i] - '0'), &r))
			return false;
	}
	*v = r;
	return true;
}

/* one "label count" line of n bytes */
static bool bits_line(struct llb_bits *b, const char *line, size_t n)
{
	const char *sp = NULL;
	uint64_t v;

	for (size_t i = n; i-- > 0;)
		if (line[i] == ' ') {
			sp = line + i;
			break;
		}
	if (!sp || !parse_count(sp + 1, n - (size_t)(sp + 1 - line), &v))
		return false;
	for (unsigned st = 0; st < LLB_NR_STATES; st++) {
		const char *label = llb_states[st].label;

		if (strlen(label) == (size_t)(sp - line) &&
		    strncmp(line, label, (size_t)(sp - line)) == 0) {
			b->count[st] = v;
			b->nstates++;
			return true;
		}
	}
	return false;
}

int llb_bits_parse(const char *text, struct llb_bits *b, struct diag *d)
{
	const char *p = text;
	bool all = true;

	memset(b, 0, sizeof(*b));
	while (*p) {
		size_t n = strcspn(p, "\n");

		if (n && !bits_line(b, p, n)) {
			if (!b->text[0])
				snprintf(b->text, sizeof(b->text), "%.*s",
					 (int)(n < sizeof(b->text) ? n : sizeof(b->text) - 1), p);
			all = false;
		}
		p += n;
		if (*p)
			p++;
	}
	b->ok = all && b->nstates > 0;
	if (!b->ok)
		return diag_fail(d, "md/llbitmap/bits: %s", b->text[0] ? b->text : "no states");
	return 0;
}

uint64_t llb_bits_sum(const struct llb_bits *b, bool (*pred)(unsigned state))
{
	uint64_t total = 0;

	for (unsigned st = 0; st < LLB_NR_STATES; st++)
		if (pred(st) && __builtin_add_overflow(total, b->count[st], &total))
			return UINT64_MAX;
	return total;
}

/* ---- runs and counts --------------------------------------------------- */

/* Index one past the run of bytes equal to states[i], scanning 8 bytes at a
 * time while they all match. Requires i < n. */
static uint64_t run_end(const uint8_t *states, uint64_t n, uint64_t i)
{
	const uint8_t v = states[i];
	const uint64_t pattern = (uint64_t)v * 0x0101010101010101ull;
	uint64_t word;

	i++;
	while (n - i >= sizeof(word)) {
		memcpy(&word, states + i, sizeof(word));
		if (word != pattern)
			break;
		i += sizeof(word);
	}
	while (i < n && states[i] == v)
		i++;
	return i;
}

bool llb_next_run(const uint8_t *states, uint64_t nchunks, uint64_t pos,
		  struct llb_run *run)
{
	uint64_t end;

	if (!states || !run || pos >= nchunks)
		return false;
	end = run_end(states, nchunks, pos);
	run->first = pos;
	run->count = end - pos;
	run->value = states[pos];
	return true;
}

static void count_run(struct llb_counts *c, const struct llb_run *run)
{
	if (llb_state_valid(run->value)) {
		c->n[run->value] += run->count;
		return;
	}
	if (c->n[LLB_INVALID] == 0) {
		c->first_invalid = run->first;
		c->first_invalid_value = run->value;
	}
	c->n[LLB_INVALID] += run->count;
}

void llb_count(const uint8_t *states, uint64_t nchunks, struct llb_counts *c)
{
	struct llb_run run;
	uint64_t pos = 0;

	if (!c)
		return;
	memset(c, 0, sizeof(*c));
	c->first_invalid = UINT64_MAX;   /* none yet */
	while (llb_next_run(states, nchunks, pos, &run)) {
		count_run(c, &run);
		pos = run.first + run.count;
	}
}

/* ---- sizes ------------------------------------------------------------- */

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	uint64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return UINT64_MAX;
	return r;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	uint64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return UINT64_MAX;
	return r;
}

static uint64_t div_ceil_u64(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint8_t llb_merge_states(const uint8_t *parts, size_t n)
{
	bool written = false, dirty = false, unwritten = false, all_zeroed = true;

	if (n == 0)
		return LLB_NEED_SYNC;
	for (size_t i = 0; i < n; i++) {
		uint8_t s = parts[i];

		if (!llb_state_valid(s) || llb_state_needs_sync(s) || llb_state_syncing(s))
			return LLB_NEED_SYNC;
		if (llb_state_unwritten(s)) {
			unwritten = true;
			all_zeroed = all_zeroed && s == LLB_CLEAN_UNWRITTEN;
		} else {
			written = true;
			dirty = dirty || s == LLB_DIRTY;
		}
	}
	if (written && unwritten)
		return LLB_NEED_SYNC;
	if (written)
		return dirty ? LLB_DIRTY : LLB_CLEAN;
	return all_zeroed ? LLB_CLEAN_UNWRITTEN : LLB_UNWRITTEN;
}

uint64_t llb_max_chunks(uint64_t space_sectors)
{
	return sat_mul(space_sectors, SECTOR_BYTES);
}

uint64_t llb_initial_chunk_sectors(uint64_t sync_sectors, uint64_t space_sectors)
{
	const uint64_t room = llb_max_chunks(space_sectors);
	uint64_t chunk = LLB_FIRST_CHUNK_SECTORS;

	while (div_ceil_u64(sync_sectors, chunk) > room) {
		if (chunk > UINT64_MAX / 2)
			return 0;   /* cannot fit at all (no space) */
		chunk <<= 1;
	}
	return chunk;
}

uint64_t llb_first_use_chunks(uint64_t sync_sectors, uint64_t space_sectors)
{
	uint64_t chunk = llb_initial_chunk_sectors(sync_sectors, space_sectors);

	return chunk ? div_ceil_u64(sync_sectors, chunk) : 0;
}

uint64_t llb_area_bytes(uint64_t chunks)
{
	return sat_add(LLBITMAP_DATA_OFFSET, chunks);
}

/* ---- chunk ranges to sectors ------------------------------------------- */

void llb_chunks_to_sync_sectors(const struct llb_geometry *g, uint64_t first,
				uint64_t count, uint64_t *start, uint64_t *end)
{
	uint64_t s = sat_mul(first, g->chunk_sectors);
	uint64_t e = sat_mul(sat_add(first, count), g->chunk_sectors);

	e = min_u64(e, g->sync_sectors);
	*start = min_u64(s, e);
	*end = e;
}

/* Number of parity members for the striped-parity levels, 0 otherwise. */
static unsigned parity_disks(int level)
{
	switch (level) {
	case 4:
	case 5:
		return 1;
	case 6:
		return 2;
	default:
		return 0;
	}
}

static int check_level(const struct llb_geometry *g, struct diag *d)
{
	switch (g->level) {
	case 1:
	case 10:
	case 4:
	case 5:
	case 6:
		return 0;
	case 0:
	case -1:
		return diag_fail(d, "no bitmap for level %d", g->level);
	default:
		return diag_fail(d, "unsupported level %d for a bitmap", g->level);
	}
}

/* Data disks of a raid4/5/6 geometry, or -1 with a reason. */
static int data_disks(const struct llb_geometry *g, uint64_t *k, struct diag *d)
{
	unsigned parity = parity_disks(g->level);

	if (g->raid_disks <= parity)
		return diag_fail(d, "raid%d with %u disks has no data disks",
				 g->level, g->raid_disks);
	if (g->raid_chunk_sectors == 0)
		return diag_fail(d, "raid%d chunk size is 0", g->level);
	*k = g->raid_disks - parity;
	return 0;
}

/* Lowest array sector stored at member sector m (data disk 0 of its row). */
static int stripe_low(uint64_t m, uint64_t c, uint64_t row_len, uint64_t *out)
{
	uint64_t base;

	if (__builtin_mul_overflow(m / c, row_len, &base) ||
	    __builtin_add_overflow(base, m % c, out))
		return -1;
	return 0;
}

/* One past the highest array sector stored at member sector m (last data
 * disk of its row). */
static int stripe_high(uint64_t m, uint64_t c, uint64_t k, uint64_t *out)
{
	uint64_t row_len = c * k;   /* caller checked it does not overflow */
	uint64_t base, r;

	if (__builtin_mul_overflow(m / c, row_len, &base) ||
	    __builtin_add_overflow(base, (k - 1) * c, &r) ||
	    __builtin_add_overflow(r, m % c + 1, out))
		return -1;
	return 0;
}

static int map_parity(const struct llb_geometry *g, uint64_t a, uint64_t b,
		      uint64_t *start, uint64_t *end, struct diag *d)
{
	uint64_t k = 0, c = g->raid_chunk_sectors, row_len;

	if (data_disks(g, &k, d))
		return -1;
	if (__builtin_mul_overflow(c, k, &row_len) ||
	    stripe_low(a, c, row_len, start))
		return diag_fail(d, "array sector out of range");
	if (a == b) {
		*end = *start;
		return 0;
	}
	if (stripe_high(b - 1, c, k, end))
		return diag_fail(d, "array sector out of range");
	return 0;
}

static int map_member_range(const struct llb_geometry *g, uint64_t a,
			    uint64_t b, uint64_t *start, uint64_t *end,
			    struct diag *d)
{
	if (parity_disks(g->level))
		return map_parity(g, a, b, start, end, d);
	/* raid1: member == array; raid10: the sync range is the array range */
	*start = a;
	*end = b;
	return 0;
}

int llb_chunks_to_array_sectors(const struct llb_geometry *g, uint64_t first,
				uint64_t count, uint64_t *start, uint64_t *end,
				struct diag *d)
{
	uint64_t a, b, s = 0, e = 0;

	if (!g || !start || !end)
		return diag_fail(d, "no geometry");
	if (check_level(g, d))
		return -1;
	if (g->chunk_sectors == 0)
		return diag_fail(d, "bitmap chunk size is 0");
	if (__builtin_mul_overflow(first, g->chunk_sectors, &a))
		return diag_fail(d, "chunk %llu out of range",
				 (unsigned long long)first);
	if (a >= g->sync_sectors)
		return diag_fail(d, "chunk %llu is beyond the sync range",
				 (unsigned long long)first);
	llb_chunks_to_sync_sectors(g, first, count, &a, &b);
	if (map_member_range(g, a, b, &s, &e, d))
		return -1;
	if (g->array_sectors)
		e = min_u64(e, g->array_sectors);
	*start = min_u64(s, e);
	*end = e;
	return 0;
}
