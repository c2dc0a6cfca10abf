/* mdstat.c - /proc/mdstat text as structs (pure parser, no I/O) */
#include <stdlib.h>
#include <string.h>

#include "mdstat.h"

/* A piece of the input: not NUL-terminated. */
struct tok {
	const char *p;
	size_t n;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Next line of the text (without its newline). */
static bool next_line(const char *text, size_t len, size_t *pos, struct tok *line)
{
	size_t start = *pos, end;

	if (start >= len)
		return false;
	end = start;
	while (end < len && text[end] != '\n')
		end++;
	line->p = text + start;
	line->n = end - start;
	*pos = end < len ? end + 1 : end;
	return true;
}

/* Split off the next blank-separated word of *rest. */
static bool next_word(struct tok *rest, struct tok *w)
{
	while (rest->n && is_blank(*rest->p)) {
		rest->p++;
		rest->n--;
	}
	if (!rest->n)
		return false;
	w->p = rest->p;
	while (rest->n && !is_blank(*rest->p)) {
		rest->p++;
		rest->n--;
	}
	w->n = (size_t)(rest->p - w->p);
	return true;
}

static bool tok_eq(struct tok t, const char *s)
{
	return strlen(s) == t.n && memcmp(t.p, s, t.n) == 0;
}

static bool tok_starts(struct tok t, const char *s)
{
	size_t l = strlen(s);

	return t.n >= l && memcmp(t.p, s, l) == 0;
}

static bool tok_ends(struct tok t, const char *s)
{
	size_t l = strlen(s);

	return t.n >= l && memcmp(t.p + t.n - l, s, l) == 0;
}

/* [from, to) of t, clamped to t */
static struct tok tok_sub(struct tok t, size_t from, size_t to)
{
	struct tok r;

	if (from > t.n)
		from = t.n;
	if (to > t.n)
		to = t.n;
	r.p = t.p + from;
	r.n = to > from ? to - from : 0;
	return r;
}

/* Decimal digits only, no overflow. */
static bool tok_u64(struct tok t, uint64_t *v)
{
	uint64_t x = 0;

	if (t.n == 0 || t.n > 20)
		return false;
	for (size_t i = 0; i < t.n; i++) {
		unsigned dgt;

		if (!is_digit(t.p[i]))
			return false;
		dgt = (unsigned)(t.p[i] - '0');
		if (x > (UINT64_MAX - dgt) / 10)
			return false;
		x = x * 10 + dgt;
	}
	*v = x;
	return true;
}

/* "12.3" -> 123 tenths; "12" -> 120; more decimals are cut. */
static bool tok_tenths(struct tok t, uint64_t *v)
{
	size_t dot = 0;
	uint64_t whole, frac = 0;

	while (dot < t.n && t.p[dot] != '.')
		dot++;
	if (!tok_u64(tok_sub(t, 0, dot), &whole) || whole > UINT64_MAX / 10 - 9)
		return false;
	if (dot < t.n) {
		if (dot + 1 >= t.n || !is_digit(t.p[dot + 1]))
			return false;
		for (size_t i = dot + 1; i < t.n; i++)
			if (!is_digit(t.p[i]))
				return false;
		frac = (uint64_t)(t.p[dot + 1] - '0');
	}
	*v = whole * 10 + frac;
	return true;
}

static void tok_copy(struct tok t, char *dst, size_t len)
{
	size_t n = t.n < len - 1 ? t.n : len - 1;

	memcpy(dst, t.p, n);
	dst[n] = '\0';
}

/* ---- members and names ------------------------------------------------------ */

/* md device names as the kernel makes them: "md" + digits, or "md_" + name */
static bool is_md_name(struct tok t)
{
	if (t.n < 3 || t.n >= MDSTAT_NAME_MAX || !tok_starts(t, "md"))
		return false;
	if (t.p[2] != '_' && !is_digit(t.p[2]))
		return false;
	for (size_t i = 3; i < t.n; i++)
		if ((unsigned char)t.p[i] < 0x21 || (unsigned char)t.p[i] > 0x7e ||
		    t.p[i] == '[' || t.p[i] == ':')
			return false;
	return true;
}

/* "(F)(S)" suffix flags; unknown letters are skipped. */
static void member_flags(struct tok t, struct mdstat_member *m)
{
	for (size_t i = 0; i + 2 < t.n; i++) {
		if (t.p[i] != '(' || t.p[i + 2] != ')')
			continue;
		switch (t.p[i + 1]) {
		case 'F': m->faulty = true; break;
		case 'S': m->spare = true; break;
		case 'W': m->write_mostly = true; break;
		case 'J': m->journal = true; break;
		case 'R': m->replacement = true; break;
		default: break;
		}
		i += 2;
	}
}

/* "vdb[1](F)": false when the token is not a member. */
static bool parse_member(struct tok t, struct mdstat_member *m)
{
	size_t open = 0, close;
	uint64_t num;

	while (open < t.n && t.p[open] != '[')
		open++;
	if (open == 0 || open >= t.n || open >= MDSTAT_NAME_MAX)
		return false;
	close = open + 1;
	while (close < t.n && t.p[close] != ']')
		close++;
	memset(m, 0, sizeof(*m));
	tok_copy(tok_sub(t, 0, open), m->name, sizeof(m->name));
	m->number = -1;
	if (close < t.n && tok_u64(tok_sub(t, open + 1, close), &num) && num <= INT32_MAX)
		m->number = (int)num;
	if (close < t.n)
		member_flags(tok_sub(t, close + 1, t.n), m);
	return true;
}

static int add_member(struct mdstat_array *a, const struct mdstat_member *m, size_t *cap,
		      struct diag *d)
{
	if (a->nmembers >= MDSTAT_MAX_MEMBERS)
		return diag_fail(d, "more than %u members listed for %s", MDSTAT_MAX_MEMBERS,
				 a->devnm);
	if (a->nmembers == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct mdstat_member *nm = realloc(a->members, ncap * sizeof(*nm));

		if (!nm)
			return diag_fail(d, "out of memory parsing mdstat");
		a->members = nm;
		*cap = ncap;
	}
	a->members[a->nmembers++] = *m;
	return 0;
}

/* ---- the header line: "md0 : active (read-only) raid1 vdb[1] vda[0]" -------- */

static int parse_header(struct tok rest, struct mdstat_array *a, struct diag *d)
{
	size_t cap = 0;
	struct tok w;
	bool first = true;

	while (next_word(&rest, &w)) {
		struct mdstat_member m;

		if (first && (tok_eq(w, "active") || tok_eq(w, "broken"))) {
			a->active = true;
			a->broken = tok_eq(w, "broken");
		} else if (first && tok_eq(w, "inactive")) {
			a->active = false;
		} else if (tok_eq(w, "(read-only)")) {
			a->read_only = true;
		} else if (tok_eq(w, "(auto-read-only)")) {
			a->auto_read_only = true;
		} else if (parse_member(w, &m)) {
			if (add_member(a, &m, &cap, d))
				return -1;
		} else if (a->active && !a->level[0] && a->nmembers == 0 && w.p[0] != '(' &&
			   w.n < MDSTAT_NAME_MAX) {
			tok_copy(w, a->level, sizeof(a->level));
		}
		first = false;
	}
	return 0;
}

/* ---- continuation lines ----------------------------------------------------- */

static bool is_progress_bar(struct tok w)
{
	if (w.n < 2 || w.p[0] != '[' || w.p[w.n - 1] != ']')
		return false;
	for (size_t i = 1; i + 1 < w.n; i++)
		if (w.p[i] != '=' && w.p[i] != '>' && w.p[i] != '.')
			return false;
	return true;
}

/* "[UU_]" */
static bool is_pattern(struct tok w)
{
	if (w.n < 3 || w.p[0] != '[' || w.p[w.n - 1] != ']')
		return false;
	for (size_t i = 1; i + 1 < w.n; i++)
		if (w.p[i] != 'U' && w.p[i] != '_')
			return false;
	return true;
}

/* "[2/1]" */
static bool parse_disks(struct tok w, int *n, int *m)
{
	size_t slash = 1;
	uint64_t a, b;

	if (w.n < 5 || w.p[0] != '[' || w.p[w.n - 1] != ']')
		return false;
	while (slash < w.n && w.p[slash] != '/')
		slash++;
	if (slash >= w.n - 1 || !tok_u64(tok_sub(w, 1, slash), &a) ||
	    !tok_u64(tok_sub(w, slash + 1, w.n - 1), &b) || a > INT32_MAX || b > INT32_MAX)
		return false;
	*n = (int)a;
	*m = (int)b;
	return true;
}

static enum mdstat_sync sync_kind(struct tok w)
{
	if (tok_starts(w, "resync"))
		return MDSTAT_SYNC_RESYNC;
	if (tok_starts(w, "recovery"))
		return MDSTAT_SYNC_RECOVERY;
	if (tok_starts(w, "reshape"))
		return MDSTAT_SYNC_RESHAPE;
	if (tok_starts(w, "check"))
		return MDSTAT_SYNC_CHECK;
	return MDSTAT_SYNC_NONE;
}

/* "14.8%" */
static bool parse_percent(struct tok w, struct mdstat_progress *p)
{
	uint64_t t;

	if (!w.n || !tok_ends(w, "%") || !tok_tenths(tok_sub(w, 0, w.n - 1), &t) || t > 100000)
		return false;
	p->has_percent = true;
	p->permille = (unsigned)t;
	return true;
}

/* "resync=PENDING", "recovery=12.5%" (older kernels) */
static void parse_kind_value(struct tok w, struct mdstat_progress *p)
{
	size_t eq = 0;
	struct tok v;

	while (eq < w.n && w.p[eq] != '=')
		eq++;
	if (eq >= w.n)
		return;
	v = tok_sub(w, eq + 1, w.n);
	if (tok_eq(v, "PENDING"))
		p->wait = MDSTAT_WAIT_PENDING;
	else if (tok_eq(v, "DELAYED"))
		p->wait = MDSTAT_WAIT_DELAYED;
	else if (tok_eq(v, "REMOTE"))
		p->wait = MDSTAT_WAIT_REMOTE;
	else
		parse_percent(v, p);
}

/* "(155712/1046528)" */
static bool parse_counts(struct tok w, struct mdstat_progress *p)
{
	size_t slash = 1;

	if (w.n < 5 || w.p[0] != '(' || w.p[w.n - 1] != ')')
		return false;
	while (slash < w.n && w.p[slash] != '/')
		slash++;
	if (slash >= w.n - 1 || !tok_u64(tok_sub(w, 1, slash), &p->done) ||
	    !tok_u64(tok_sub(w, slash + 1, w.n - 1), &p->total))
		return false;
	p->has_counts = true;
	return true;
}

static void parse_finish_speed(struct tok w, struct mdstat_progress *p)
{
	if (tok_starts(w, "finish=") && tok_ends(w, "min") && w.n > 10)
		p->has_finish = tok_tenths(tok_sub(w, 7, w.n - 3), &p->finish_tenths);
	else if (tok_starts(w, "speed=") && tok_ends(w, "K/sec") && w.n > 11)
		p->has_speed = tok_u64(tok_sub(w, 6, w.n - 5), &p->speed_kib);
}

/* "65536KB", "0B" */
static bool parse_chunk(struct tok w, uint64_t *bytes)
{
	uint64_t v;

	if (tok_ends(w, "KB") && tok_u64(tok_sub(w, 0, w.n - 2), &v) && v <= UINT64_MAX >> 10) {
		*bytes = v << 10;
		return true;
	}
	if (tok_ends(w, "B") && tok_u64(tok_sub(w, 0, w.n - 1), &v)) {
		*bytes = v;
		return true;
	}
	return false;
}

/* "bitmap: 5/5 pages [20KB], 0B chunk[, file: /path]" (after "bitmap:") */
static void parse_bitmap(struct tok rest, struct mdstat_bitmap *b)
{
	struct tok w, prev = { NULL, 0 };

	b->present = true;
	while (next_word(&rest, &w)) {
		size_t slash = 0;

		while (slash < w.n && w.p[slash] != '/')
			slash++;
		if (tok_eq(w, "file:")) {
			/* the path is the rest of the line */
			while (rest.n && is_blank(*rest.p)) {
				rest.p++;
				rest.n--;
			}
			b->has_file = true;
			tok_copy(rest, b->file, sizeof(b->file));
			return;
		}
		if (!prev.p && slash < w.n) {
			if (!tok_u64(tok_sub(w, 0, slash), &b->pages_used) ||
			    !tok_u64(tok_sub(w, slash + 1, w.n), &b->pages_total))
				b->pages_used = b->pages_total = 0;
		} else if (w.n > 5 && w.p[0] == '[' && tok_ends(w, "KB],")) {
			if (!tok_u64(tok_sub(w, 1, w.n - 4), &b->kib))
				b->kib = 0;
		} else if ((tok_eq(w, "chunk") || tok_eq(w, "chunk,")) && prev.p) {
			if (!parse_chunk(prev, &b->chunk_bytes))
				b->chunk_bytes = 0;
		}
		prev = w;
	}
}

static int set_pattern(struct mdstat_array *a, struct tok w, struct diag *d)
{
	char *p;

	if (a->pattern)
		return 0;
	p = malloc(w.n - 1);
	if (!p)
		return diag_fail(d, "out of memory parsing mdstat");
	memcpy(p, w.p + 1, w.n - 2);
	p[w.n - 2] = '\0';
	a->pattern = p;
	return 0;
}

/* One word of a continuation line (blocks/status or progress). `next` is
 * the word after it (for "N blocks" and "super X"). Returns -1 on
 * allocation failure. */
static int parse_status_word(struct mdstat_array *a, struct tok w, struct tok next,
			     struct diag *d)
{
	struct mdstat_progress *p = &a->sync;
	uint64_t v;

	if (next.p && tok_eq(next, "blocks") && tok_u64(w, &v)) {
		a->has_blocks = true;
		a->blocks = v;
	} else if (tok_eq(w, "super") && next.p) {
		tok_copy(next, a->super, sizeof(a->super));
	} else if (parse_disks(w, &a->raid_disks, &a->working)) {
		/* done */
	} else if (is_pattern(w)) {
		return set_pattern(a, w, d);
	} else if (is_progress_bar(w)) {
		/* the bar carries nothing the numbers do not */
	} else if (sync_kind(w) != MDSTAT_SYNC_NONE && p->kind == MDSTAT_SYNC_NONE) {
		p->kind = sync_kind(w);
		parse_kind_value(w, p);
	} else if (p->kind != MDSTAT_SYNC_NONE && !p->has_percent && w.n && is_digit(w.p[0]) &&
		   parse_percent(w, p)) {
		/* done */
	} else if (p->kind != MDSTAT_SYNC_NONE && parse_counts(w, p)) {
		/* done */
	} else if (p->kind != MDSTAT_SYNC_NONE) {
		parse_finish_speed(w, p);
	}
	return 0;
}

static int parse_continuation(struct tok line, struct mdstat_array *a, struct diag *d)
{
	struct tok rest = line, w, next;
	bool have_next;

	if (!next_word(&rest, &w))
		return 0;
	if (tok_eq(w, "bitmap:")) {
		parse_bitmap(rest, &a->bitmap);
		return 0;
	}
	have_next = next_word(&rest, &next);
	for (;;) {
		struct tok none = { NULL, 0 };

		if (parse_status_word(a, w, have_next ? next : none, d))
			return -1;
		if (!have_next)
			return 0;
		w = next;
		have_next = next_word(&rest, &next);
	}
}

/* ---- driver ----------------------------------------------------------------- */

static struct mdstat_array *new_array(struct mdstat *ms, size_t *cap, struct tok name,
				      struct diag *d)
{
	struct mdstat_array *a;

	if (ms->narrays >= MDSTAT_MAX_ARRAYS) {
		diag_fail(d, "more than %u arrays in mdstat", MDSTAT_MAX_ARRAYS);
		return NULL;
	}
	if (ms->narrays == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		struct mdstat_array *na = realloc(ms->arrays, ncap * sizeof(*na));

		if (!na) {
			diag_fail(d, "out of memory parsing mdstat");
			return NULL;
		}
		ms->arrays = na;
		*cap = ncap;
	}
	a = &ms->arrays[ms->narrays++];
	memset(a, 0, sizeof(*a));
	tok_copy(name, a->devnm, sizeof(a->devnm));
	a->raid_disks = a->working = -1;
	return a;
}

/* A header line "mdX : ..." starts an array; returns it, or NULL (with
 * *failed set on a hard error) for any other line. */
static struct mdstat_array *header_line(struct mdstat *ms, size_t *cap, struct tok line,
					bool *failed, struct diag *d)
{
	struct tok rest = line, name, colon;
	struct mdstat_array *a;

	if (!next_word(&rest, &name) || !is_md_name(name) || !next_word(&rest, &colon) ||
	    !tok_eq(colon, ":"))
		return NULL;
	a = new_array(ms, cap, name, d);
	if (!a || parse_header(rest, a, d)) {
		*failed = true;
		return NULL;
	}
	return a;
}

int mdstat_parse(const char *text, size_t len, struct mdstat *ms, struct diag *d)
{
	struct mdstat_array *cur = NULL;
	size_t pos = 0, cap = 0;
	struct tok line;

	memset(ms, 0, sizeof(*ms));
	if (len > MDSTAT_MAX_TEXT)
		return diag_fail(d, "mdstat text is implausibly large (%zu bytes)", len);
	while (next_line(text, len, &pos, &line)) {
		bool failed = false;

		if (line.n == 0) {
			cur = NULL;             /* a blank line ends a block */
		} else if (is_blank(line.p[0])) {
			if (cur && parse_continuation(line, cur, d))
				failed = true;
		} else {
			cur = header_line(ms, &cap, line, &failed, d);
		}
		if (failed) {
			mdstat_free(ms);
			return -1;
		}
	}
	return 0;
}

void mdstat_free(struct mdstat *ms)
{
	for (size_t i = 0; i < ms->narrays; i++) {
		free(ms->arrays[i].members);
		free(ms->arrays[i].pattern);
	}
	free(ms->arrays);
	ms->arrays = NULL;
	ms->narrays = 0;
}

const struct mdstat_array *mdstat_find(const struct mdstat *ms, const char *devnm)
{
	for (size_t i = 0; i < ms->narrays; i++)
		if (strcmp(ms->arrays[i].devnm, devnm) == 0)
			return &ms->arrays[i];
	return NULL;
}

const struct mdstat_member *mdstat_find_member(const struct mdstat_array *a,
					       const char *name)
{
	for (size_t i = 0; i < a->nmembers; i++)
		if (strcmp(a->members[i].name, name) == 0)
			return &a->members[i];
	return NULL;
}

int mdstat_percent(const struct mdstat_progress *p)
{
	if (p->kind == MDSTAT_SYNC_NONE || !p->has_percent)
		return -1;
	return (int)(p->permille / 10);
}

const char *mdstat_sync_name(enum mdstat_sync k)
{
	switch (k) {
	case MDSTAT_SYNC_RECOVERY: return "recovery";
	case MDSTAT_SYNC_RESYNC: return "resync";
	case MDSTAT_SYNC_RESHAPE: return "reshape";
	case MDSTAT_SYNC_CHECK: return "check";
	default: return "none";
	}
}
