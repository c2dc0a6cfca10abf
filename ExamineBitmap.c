/* ExamineBitmap.c - --examine-bitmap (-X): the bitmap of a member
 *
 * Classic bitmaps (v3-v5) are shown exactly as mdadm 4.6 shows them. The
 * lockless bitmap (v6), which mdadm 4.6 cannot read at all, is shown with
 * the same header lines plus its flags, reserved space, per-state chunk
 * counts and, with --verbose, the ranges of chunks in every state but
 * clean, as chunk numbers and array sectors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap_kind.h"
#include "json.h"
#include "member.h"
#include "modes.h"
#include "outname.h"
#include "util.h"

#define STATE_LABEL_WIDTH 24

/* Everything learned about one device's bitmap, shared by text and JSON. */
struct bitmap_report {
	const char *dev;
	struct member m;
	bool v090;                   /* m is the bitmap view of a 0.90 member */
	bool lockless;
	bool have_states;            /* lockless region read and counted */
	uint8_t *states;
	uint64_t nchunks;
	struct llb_counts counts;
	uint64_t classic_bits, classic_dirty;
	bool have_classic_bits;
	struct diag problem;         /* fatal problem after the header */
};

/* ---- JSON pieces shared with --examine ----------------------------------- */

void json_bitmap_superblock(struct json *j, const struct bitmap_sb *bsb)
{
	char buf[128];

	json_obj_begin(j);
	json_kv_u64(j, "magic", bsb->magic);
	json_kv_u64(j, "version", bsb->version);
	format_uuid(bsb->uuid, buf, sizeof(buf));
	json_kv_str(j, "uuid", buf);
	json_kv_u64(j, "events", bsb->events);
	json_kv_u64(j, "events_cleared", bsb->events_cleared);
	json_kv_u64(j, "sync_size_sectors", bsb->sync_size);
	json_kv_u64(j, "state", bsb->state);
	bitmap_state_text(bsb->state, buf, sizeof(buf));
	json_kv_str(j, "state_flags", buf);
	json_kv_u64(j, "chunksize_field", bsb->chunksize);
	json_key(j, "chunk_bytes");
	if (bitmap_chunk_bytes(bsb))
		json_u64(j, bitmap_chunk_bytes(bsb));
	else
		json_null(j);
	json_kv_u64(j, "daemon_sleep", bsb->daemon_sleep);
	json_kv_u64(j, "write_behind", bsb->write_behind);
	json_kv_u64(j, "sectors_reserved", bsb->sectors_reserved);
	json_kv_u64(j, "nodes", bsb->nodes);
	json_obj_end(j);
}

/* ---- gathering ------------------------------------------------------------ */

/* States an older kernel (before 7.1) would not know are present. */
static bool states_are_pre_71(const struct llb_counts *c)
{
	for (unsigned s = 0; s < LLB_NR_STATES; s++)
		if (c->n[s] && llb_state_since(s) > 618)
			return true;
	return false;
}

static void gather_lockless(struct bitmap_report *r, struct devio *io)
{
	if (bitmap_first_use(&r->m.bsb))
		return;
	if (bitmap_sb_validate(&r->m.bsb, &r->problem) != 0)
		return;
	if (member_read_llb_states(&r->m, io, &r->states, &r->nchunks, &r->problem) != 0)
		return;
	llb_count(r->states, r->nchunks, &r->counts);
	r->have_states = true;
}

static void gather_classic(struct bitmap_report *r, struct devio *io)
{
	if (bitmap_sb_validate(&r->m.bsb, &r->problem) != 0)
		return;
	r->have_classic_bits = member_count_classic_bits(&r->m, io, &r->classic_bits,
							 &r->classic_dirty, &r->problem) == 0;
}

/* Bytes of a removed lockless bitmap look like a bitmap to anyone who
 * reads there; say so, and that nothing uses them. */
static void report_stale_lockless(const struct member *m, struct devio *io)
{
	struct bitmap_sb b;
	uint64_t at;

	if (member_stale_lockless(m, io, &at, &b))
		pr_err("%s: note: a stale lockless bitmap (version 6, %llu chunks) lies at sector %llu where no bitmap is configured; the array does not use it, and a new bitmap overwrites it\n",
		       m->path, (unsigned long long)bitmap_chunks(&b), (unsigned long long)(at / 512));
}

/* A v1 member, or the bitmap view of a 0.90 one (its bitmap follows the
 * superblock at the end of the device). */
static enum member_load_result load_member_io(struct member *m, bool *v090, struct devio *io,
					      struct diag *d)
{
	enum member_load_result lr = member_load_io(m, io, d);
	struct member0 m0;

	*v090 = false;
	if (lr != MEMBER_OTHER_METADATA)
		return lr;
	diag_clear(d);
	lr = member0_load_io(&m0, io, d);
	if (lr != MEMBER_OK)
		return lr;
	if (m0.sb.big_endian != sb0_host_is_big_endian()) {
		diag_errno(d, EMEDIUMTYPE,
			   "%s: the 0.90 superblock was written by a host of the other byte order",
			   io->path);
		return MEMBER_OTHER_METADATA;
	}
	member0_bitmap_view(&m0, m);
	*v090 = true;
	if (!m0.check_ok)
		m->geometry_problem = m0.check_problem;
	return MEMBER_OK;
}

/* Returns 0 when a bitmap superblock was found (even a bad one: its header
 * is still worth showing), 1 otherwise (message printed). */
static int gather(struct bitmap_report *r, const char *dev)
{
	struct devio io;
	struct diag d = { 0 };

	memset(r, 0, sizeof(*r));
	r->dev = dev;
	if (devio_open(&io, dev, &d) != 0) {
		pr_err("%s\n", d.msg);
		return 1;
	}
	if (load_member_io(&r->m, &r->v090, &io, &d) != MEMBER_OK) {
		pr_err("%s\n", d.msg);
		devio_close(&io);
		return 1;
	}
	r->m.path = dev;
	if (!r->m.geometry_ok) {
		pr_err("%s: superblock is not usable: %s\n", dev, r->m.geometry_problem.msg);
		devio_close(&io);
		return 1;
	}
	if (!r->m.has_bitmap) {
		pr_err("%s doesn't have bitmap\n", dev);
		report_stale_lockless(&r->m, &io);
		devio_close(&io);
		return 1;
	}
	if (!r->m.bitmap_read) {
		pr_err("%s: cannot read the bitmap: %s\n", dev, r->m.bitmap_problem.msg);
		devio_close(&io);
		return 1;
	}
	r->lockless = bitmap_is_lockless(&r->m.bsb);
	if (!bitmap_version_known(r->m.bsb.version))
		diag_fail(&r->problem, "unknown bitmap version %u", r->m.bsb.version);
	else if (r->lockless)
		gather_lockless(r, &io);
	else
		gather_classic(r, &io);
	devio_close(&io);
	return 0;
}

/* ---- text ----------------------------------------------------------------- */

/* mdadm shows a bitmap's UUID the way the array's metadata shows its own:
 * for 0.90 the 16 bytes are four words in host order. */
static void bitmap_uuid_text(const struct bitmap_report *r, char *buf, size_t len)
{
	uint32_t w[4];

	if (!r->v090) {
		format_uuid(r->m.bsb.uuid, buf, len);
		return;
	}
	memcpy(w, r->m.bsb.uuid, sizeof(w));
	snprintf(buf, len, "%08x:%08x:%08x:%08x", w[0], w[1], w[2], w[3]);
}

static void print_header(const struct bitmap_report *r)
{
	const struct bitmap_sb *b = &r->m.bsb;
	char buf[96];

	printf("        Filename : %s\n", r->dev);
	printf("           Magic : %08x\n", b->magic);
	printf("         Version : %u\n", b->version);
	if (!bitmap_version_known(b->version))
		return;
	bitmap_uuid_text(r, buf, sizeof(buf));
	printf("            UUID : %s\n", buf);
	if (b->nodes == 0) {
		printf("          Events : %llu\n", (unsigned long long)b->events);
		printf("  Events Cleared : %llu\n", (unsigned long long)b->events_cleared);
		if (r->lockless)
			printf("           State : %s\n",
			       b->state & BITMAP_STATE_STALE ? "Out of date" : "OK");
		else
			printf("           State : %s\n", b->state == 0 ? "OK" :
			       b->state == BITMAP_STATE_STALE ? "Out of date" : "Unknown");
	}
}

static void print_classic_body(const struct bitmap_report *r, bool brief)
{
	const struct bitmap_sb *b = &r->m.bsb;
	char buf[64];

	human_chunksize(b->chunksize, buf, sizeof(buf));
	printf("       Chunksize : %s\n", buf);
	printf("          Daemon : %us flush period\n", b->daemon_sleep);
	if (b->write_behind)
		printf("      Write Mode : Allow write behind, max %u\n", b->write_behind);
	else
		printf("      Write Mode : Normal\n");
	human_size(b->sync_size * 512, buf, sizeof(buf));
	printf("       Sync Size : %llu%s\n", (unsigned long long)(b->sync_size / 2), buf);
	if (b->nodes) {
		char cluster[sizeof(b->cluster_name) + 1];

		outname_terminal(b->cluster_name, sizeof(b->cluster_name), cluster, sizeof(cluster));
		printf("   Cluster nodes : %u\n    Cluster name : %-64s\n", b->nodes, cluster);
	}
	if (brief || b->nodes || !r->have_classic_bits)
		return;
	printf("          Bitmap : %llu bits (chunks), %llu dirty (%2.1f%%)\n",
	       (unsigned long long)r->classic_bits, (unsigned long long)r->classic_dirty,
	       100.0 * (double)r->classic_dirty /
	       (double)(r->classic_bits ? r->classic_bits : 1));
}

/* Chunks that are not known to be in sync: what a "dirty" count means for
 * the lockless bitmap in the upstream-shaped "Bitmap :" line. */
static uint64_t lockless_unsynced(const struct llb_counts *c)
{
	uint64_t n = 0;

	for (unsigned s = 0; s < LLB_NR_STATES; s++)
		if (llb_state_unsynced(s))
			n += c->n[s];
	return n;
}

/* What the kernel does with a first-use bitmap at the next start (see
 * llb_first_use_state) */
static uint64_t first_use_chunks(const struct bitmap_sb *b)
{
	return llb_first_use_chunks(b->sync_size, bitmap_space_sectors(b));
}

static uint8_t first_use_state(const struct bitmap_sb *b)
{
	return llb_first_use_state(b->state & BITMAP_STATE_CLEAN, false);
}

static void first_use_state_text(const struct bitmap_report *r, char *buf, size_t len)
{
	uint8_t st = first_use_state(&r->m.bsb), zeroed = llb_first_use_state(false, true);

	if (st == llb_first_use_state(false, false) && llb_first_use_may_zero(r->m.sb.level))
		snprintf(buf, len, "%s (%s on Linux %u.%u+ when every member supports write-zeroes with unmap)",
			 llb_state_label(st), llb_state_label(zeroed), llb_state_since(zeroed) / 100,
			 llb_state_since(zeroed) % 100);
	else
		snprintf(buf, len, "%s", llb_state_label(st));
}

static void print_lockless_first_use(const struct bitmap_report *r)
{
	const struct bitmap_sb *b = &r->m.bsb;
	uint64_t space = bitmap_space_sectors(b);
	uint64_t chunk = llb_initial_chunk_sectors(b->sync_size, space);
	char buf[64], state[160];

	human_chunksize(chunk * 512, buf, sizeof(buf));
	printf("       Chunksize : not set yet (first use; the kernel will choose %s)\n", buf);
	printf("          Daemon : %us flush period (the kernel uses 30s on first use)\n",
	       b->daemon_sleep);
	printf("      Write Mode : Normal\n");
	human_size(b->sync_size * 512, buf, sizeof(buf));
	printf("       Sync Size : %llu%s\n", (unsigned long long)(b->sync_size / 2), buf);
	printf("     Bitmap Type : lockless\n");
	bitmap_state_text(b->state, buf, sizeof(buf));
	printf("           Flags : %s\n", buf);
	printf("  Reserved Space : %llu sectors\n", (unsigned long long)space);
	first_use_state_text(r, state, sizeof(state));
	printf("    Chunk States : not initialised yet; at the next start the kernel marks all %llu chunks %s\n",
	       (unsigned long long)first_use_chunks(b), state);
}

static void print_state_counts(const struct llb_counts *c)
{
	printf("    Chunk States :\n");
	for (unsigned s = 0; s < LLB_NR_STATES; s++)
		printf("%*s : %llu\n", STATE_LABEL_WIDTH, llb_state_label(s),
		       (unsigned long long)c->n[s]);
	printf("%*s : %llu\n", STATE_LABEL_WIDTH, "invalid",
	       (unsigned long long)c->n[LLB_INVALID]);
}

static void print_range_line(const struct bitmap_report *r, const struct llb_geometry *g,
			     const struct llb_run *run)
{
	uint64_t start, end;
	struct diag d;
	char label[32];

	if (llb_state_valid(run->value))
		snprintf(label, sizeof(label), "%s", llb_state_label(run->value));
	else
		snprintf(label, sizeof(label), "invalid 0x%02x", run->value);
	printf("%*s : ", STATE_LABEL_WIDTH, label);
	if (run->count == 1)
		printf("chunk %llu (1)", (unsigned long long)run->first);
	else
		printf("chunks %llu-%llu (%llu)", (unsigned long long)run->first,
		       (unsigned long long)(run->first + run->count - 1),
		       (unsigned long long)run->count);
	if (llb_chunks_to_array_sectors(g, run->first, run->count, &start, &end, &d) == 0 &&
	    end > start)
		printf(", array sectors %llu-%llu", (unsigned long long)start,
		       (unsigned long long)(end - 1));
	printf("\n");
	(void)r;
}

/* A hostile member can claim millions of chunks in alternating states:
 * list at most this many ranges and say how many more there are (the
 * counts above them stay exact). */
#define MAX_LISTED_RANGES 65536u

static void print_ranges(const struct bitmap_report *r)
{
	struct llb_geometry g;
	struct llb_run run;
	uint64_t pos = 0, listed = 0, omitted = 0;

	member_llb_geometry(&r->m, &g);
	printf("    Chunk Ranges : every state but clean\n");
	while (llb_next_run(r->states, r->nchunks, pos, &run)) {
		if (run.value != LLB_CLEAN) {
			if (listed < MAX_LISTED_RANGES) {
				print_range_line(r, &g, &run);
				listed++;
			} else {
				omitted++;
			}
		}
		pos = run.first + run.count;
	}
	if (omitted)
		printf("                 ... and %llu more ranges, not listed (at most %u are)\n",
		       (unsigned long long)omitted, MAX_LISTED_RANGES);
}

static void print_lockless_body(const struct bitmap_report *r, bool brief, bool verbose)
{
	const struct bitmap_sb *b = &r->m.bsb;
	char buf[96];

	if (bitmap_first_use(b)) {
		print_lockless_first_use(r);
		return;
	}
	human_chunksize(bitmap_chunk_bytes(b), buf, sizeof(buf));
	printf("       Chunksize : %s\n", buf);
	printf("          Daemon : %us flush period\n", b->daemon_sleep);
	printf("      Write Mode : Normal\n");
	human_size(b->sync_size * 512, buf, sizeof(buf));
	printf("       Sync Size : %llu%s\n", (unsigned long long)(b->sync_size / 2), buf);
	printf("     Bitmap Type : lockless\n");
	bitmap_state_text(b->state, buf, sizeof(buf));
	printf("           Flags : %s\n", buf);
	printf("  Reserved Space : %llu sectors\n", (unsigned long long)bitmap_space_sectors(b));
	if (brief || !r->have_states)
		return;
	printf("          Bitmap : %llu bits (chunks), %llu dirty (%2.1f%%)\n",
	       (unsigned long long)r->nchunks, (unsigned long long)lockless_unsynced(&r->counts),
	       100.0 * (double)lockless_unsynced(&r->counts) / (double)r->nchunks);
	print_state_counts(&r->counts);
	if (verbose)
		print_ranges(r);
}

/* ---- diagnostics ------------------------------------------------------------ */

/* Linux 7.2 llbitmap with a 2048/4096-byte logical block size spreads a
 * block-dirtying state (Dirty/NeedSync) over the bytes of its own
 * superblock: the version then reads 0x02020206. */
static bool looks_like_lbs_infection(uint32_t version)
{
	uint8_t hi[3] = { (uint8_t)(version >> 8), (uint8_t)(version >> 16),
			  (uint8_t)(version >> 24) };

	if ((version & 0xff) != BITMAP_MAJOR_LOCKLESS)
		return false;
	for (int i = 0; i < 3; i++)
		if (!llb_state_dirties_block(hi[i]))
			return false;
	return true;
}

/* Print problems and notes to stderr; returns the exit status. */
static int report_problems(const struct bitmap_report *r)
{
	const struct bitmap_sb *b = &r->m.bsb;
	int rc = EXIT_OK;

	if (!bitmap_version_known(b->version)) {
		pr_err("unknown bitmap version %u, either the bitmap file\n", b->version);
		pr_err("is corrupted or you need to upgrade your tools\n");
		if (looks_like_lbs_infection(b->version))
			pr_err("%s: this looks like the lockless bitmap header overwritten with chunk states by the kernel (Linux 7.2 with a 2048/4096-byte logical block size); the array will not assemble until the bitmap superblock is repaired\n",
			       r->dev);
		return EXIT_FAIL;
	}
	if (!r->m.bitmap_uuid_ok)
		pr_err("%s: warning: %s\n", r->dev, r->m.bitmap_problem.msg);
	if (r->problem.msg[0]) {
		pr_err("%s: bitmap superblock is not usable: %s\n", r->dev, r->problem.msg);
		rc = EXIT_FAIL;
	}
	if (r->lockless && bitmap_first_use(b))
		pr_err("%s: note: the lockless bitmap is marked first-use; the kernel will initialise it when the array next starts\n",
		       r->dev);
	if (r->have_states && r->counts.n[LLB_INVALID]) {
		pr_err("%s: %llu lockless bitmap bytes hold no valid state (first: chunk %llu = 0x%02x); the kernel forces such chunks to resync\n",
		       r->dev, (unsigned long long)r->counts.n[LLB_INVALID],
		       (unsigned long long)r->counts.first_invalid, r->counts.first_invalid_value);
		rc = EXIT_FAIL;
	}
	if (r->have_states && states_are_pre_71(&r->counts))
		pr_err("%s: note: states 5-7 (unwritten parity states) need Linux 7.1 or later; older kernels treat those chunks as invalid and resync them\n",
		       r->dev);
	return rc;
}

/* ---- JSON ------------------------------------------------------------------ */

static void json_range(struct json *j, const struct llb_geometry *g, const struct llb_run *run)
{
	uint64_t start, end;

	json_obj_begin(j);
	json_kv_str(j, "state", llb_state_valid(run->value) ? llb_state_key(run->value)
							   : "invalid");
	json_kv_u64(j, "value", run->value);
	json_kv_u64(j, "first_chunk", run->first);
	json_kv_u64(j, "last_chunk", run->first + run->count - 1);
	json_kv_u64(j, "chunks", run->count);
	if (llb_chunks_to_array_sectors(g, run->first, run->count, &start, &end, NULL) == 0 &&
	    end > start) {
		json_kv_u64(j, "array_sector_first", start);
		json_kv_u64(j, "array_sector_last", end - 1);
	}
	json_obj_end(j);
}

static void json_ranges(struct json *j, const struct bitmap_report *r)
{
	struct llb_geometry g;
	struct llb_run run;
	uint64_t pos = 0, listed = 0, omitted = 0;

	member_llb_geometry(&r->m, &g);
	json_key(j, "ranges");
	json_arr_begin(j);
	while (llb_next_run(r->states, r->nchunks, pos, &run)) {
		if (listed < MAX_LISTED_RANGES) {
			json_range(j, &g, &run);
			listed++;
		} else {
			omitted++;
		}
		pos = run.first + run.count;
	}
	json_arr_end(j);
	json_kv_u64(j, "ranges_omitted", omitted);
}

static void json_report(struct json *j, const struct bitmap_report *r)
{
	const struct bitmap_sb *b = &r->m.bsb;

	json_obj_begin(j);
	json_kv_str(j, "device", r->dev);
	json_kv_u64(j, "bitmap_offset_bytes", r->m.bitmap_byte_offset);
	json_kv_str(j, "type", !bitmap_version_known(b->version) ? "unknown" :
		    bitmap_kind_name(bitmap_kind_of_version(b->version)));
	json_key(j, "superblock");
	json_bitmap_superblock(j, b);
	json_kv_bool(j, "first_use", r->lockless && bitmap_first_use(b));
	if (r->lockless && bitmap_first_use(b)) {
		uint64_t chunk = llb_initial_chunk_sectors(b->sync_size, bitmap_space_sectors(b));

		json_kv_u64(j, "first_use_chunk_bytes", chunk * 512);
		json_kv_u64(j, "first_use_chunks", first_use_chunks(b));
		json_kv_str(j, "first_use_state", llb_state_label(first_use_state(b)));
	}
	if (r->have_states) {
		json_kv_u64(j, "chunks", r->nchunks);
		json_key(j, "states");
		json_obj_begin(j);
		for (unsigned s = 0; s < LLB_NR_STATES; s++)
			json_kv_u64(j, llb_state_key(s), r->counts.n[s]);
		json_kv_u64(j, "invalid", r->counts.n[LLB_INVALID]);
		json_obj_end(j);
		json_ranges(j, r);
	}
	if (r->have_classic_bits) {
		json_kv_u64(j, "chunks", r->classic_bits);
		json_kv_u64(j, "dirty", r->classic_dirty);
	}
	if (r->problem.msg[0])
		json_kv_str(j, "problem", r->problem.msg);
	json_obj_end(j);
}

/* ---- driver ------------------------------------------------------------------ */

int ExamineBitmap(const struct cmdline *c, const char *const *devs, size_t ndevs)
{
	bool as_json = cmd_has(c, OPT_JSON);
	struct json j;
	int rc = EXIT_OK;

	if (cmd_has(c, OPT_SPARC22)) {
		pr_err("--sparc2.2 only applies to --examine of 0.90 superblocks, which this mdadm does not support\n");
		return EXIT_USAGE;
	}
	if (as_json) {
		json_document_begin(&j, stdout, "devices");
	}
	for (size_t i = 0; i < ndevs; i++) {
		struct bitmap_report r;

		if (gather(&r, devs[i]) != 0) {
			rc = EXIT_FAIL;
			continue;
		}
		if (as_json) {
			json_report(&j, &r);
		} else {
			print_header(&r);
			if (bitmap_version_known(r.m.bsb.version)) {
				if (r.lockless)
					print_lockless_body(&r, cmd_has(c, OPT_BRIEF), c->verbose > 0);
				else
					print_classic_body(&r, cmd_has(c, OPT_BRIEF));
			}
			fflush(stdout);
		}
		rc |= report_problems(&r);
		free(r.states);
	}
	if (as_json) {
		json_document_end(&j);
	}
	return rc;
}
