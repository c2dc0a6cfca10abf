/* powerloss-io - the writer and the checker of the power-loss tests
 * (tests/vm/multiboot/guest-powerloss)
 *
 *   powerloss-io write DEVICE DIR SEED CRASH_MS [RECORDS]
 *   powerloss-io verify DEVICE DIR SEED
 *
 * The device's first half holds SLOTS 64 KiB slots at offsets drawn from
 * SEED; the rest of the device is never written. WRITERS processes each own
 * every WRITERS-th slot, so one slot has one writer and its records are
 * ordered. A record is self-describing sector by sector: every 512-byte
 * sector carries the seed, writer, sequence number, device offset and its
 * index, followed by a pattern derived from all of them.
 *
 * write: each writer writes records to slots drawn from SEED through
 * O_DIRECT|O_SYNC and logs, in DIR/journal.W with fdatasync after each
 * journal write, "begin SEQ OFFSET" before the write and "ack SEQ OFFSET
 * DIGEST" once it has completed (DIGEST: 64-bit FNV-1a of the record).
 * CRASH_MS after every writer's first ack, the parent logs "crash CRASH_MS" to
 * DIR/journal.crash and crashes the machine with sysrq b while the writers
 * are still writing (only inside the test VM: VM_RUN=1). With CRASH_MS 0
 * each writer stops after RECORDS records instead (to try the tool on a
 * file).
 *
 * verify: reads the whole device. A slot must hold, sector by sector, its
 * last acknowledged record, or the record its writer had begun and not
 * acknowledged (a write cut by a crash may leave any mix of old and new
 * sectors); a slot never acknowledged may still read as zeros. Everything
 * outside the slots must read as zeros. Prints one line of counts; exit 1
 * with the first problems listed when anything else is found, 2 on bad
 * usage. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RECORD_BYTES  65536u
#define SECTOR_BYTES  512u
#define SECTORS       (RECORD_BYTES / SECTOR_BYTES)
#define SLOTS         256u
#define WRITERS       4u
#define READ_BYTES    (16u * RECORD_BYTES)
#define MAX_REPORTS   10

static const char magic[8] = { 'P', 'W', 'R', 'L', 'O', 'S', 'S', '1' };

/* the header at the start of every sector of a record */
struct sector_head {
	char magic[8];
	uint64_t seed;
	uint64_t seq;
	uint64_t offset;
	uint32_t writer;
	uint32_t index;
};

struct layout {
	uint64_t seed;
	uint64_t device_bytes;
	uint64_t slot_offset[SLOTS];
};

/* what the journals say about one slot */
struct slot_expect {
	uint64_t acked_seq;     /* 0: never acknowledged */
	uint64_t pending_seq;   /* begun, not acknowledged; 0: none */
};

struct verify_counts {
	uint64_t acked;
	unsigned unacked;       /* writers whose last begun record has no ack */
	unsigned last_acked, newer, torn, never_written;
	uint64_t zero_units;
	unsigned problems;
};

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t next_random(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ull;
	return splitmix64(*state);
}

static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* ---- layout and records ------------------------------------------------ */

static int layout_init(struct layout *l, uint64_t seed, uint64_t device_bytes)
{
	uint64_t units = device_bytes / 2 / RECORD_BYTES;
	uint64_t stride = units / SLOTS;

	if (stride == 0)
		return -1;
	l->seed = seed;
	l->device_bytes = device_bytes;
	for (unsigned i = 0; i < SLOTS; i++) {
		uint64_t within = splitmix64(seed ^ splitmix64(0x510750ull + i)) % stride;

		l->slot_offset[i] = (i * stride + within) * RECORD_BYTES;
	}
	return 0;
}

/* the slot at offset, or -1 */
static int slot_at(const struct layout *l, uint64_t offset)
{
	unsigned lo = 0, hi = SLOTS;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (l->slot_offset[mid] == offset)
			return (int)mid;
		if (l->slot_offset[mid] < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void fill_sector(uint8_t *s, uint64_t seed, unsigned writer, uint64_t seq,
			uint64_t offset, unsigned index)
{
	struct sector_head h = { .seed = seed, .seq = seq, .offset = offset,
				 .writer = writer, .index = index };
	uint64_t key = splitmix64(seed ^ splitmix64(((uint64_t)writer << 32 | index) ^
						    splitmix64(seq ^ offset)));

	memcpy(h.magic, magic, sizeof(magic));
	memcpy(s, &h, sizeof(h));
	for (size_t at = sizeof(h); at < SECTOR_BYTES; at += 8) {
		uint64_t w = splitmix64(key + at);

		memcpy(s + at, &w, 8);
	}
}

static void fill_record(uint8_t *r, uint64_t seed, unsigned writer, uint64_t seq, uint64_t offset)
{
	for (unsigned i = 0; i < SECTORS; i++)
		fill_sector(r + (size_t)i * SECTOR_BYTES, seed, writer, seq, offset, i);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* ---- small I/O helpers ---------------------------------------------------- */

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? (errno = EIO, -1) : -1;
		buf = (const uint8_t *)buf + n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	while (len > 0) {
		ssize_t n = pread(fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? (errno = EIO, -1) : -1;
		buf = (uint8_t *)buf + n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* one line appended (the journal is opened O_APPEND) and on stable storage
 * before this returns */
static int journal_line(int fd, const char *line)
{
	size_t len = strlen(line);

	while (len > 0) {
		ssize_t n = write(fd, line, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? (errno = EIO, -1) : -1;
		line += n;
		len -= (size_t)n;
	}
	return fdatasync(fd);
}

static int device_size(int fd, uint64_t *bytes)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -1;
	if (S_ISBLK(st.st_mode))
		return ioctl(fd, BLKGETSIZE64, bytes);
	*bytes = (uint64_t)st.st_size;
	return 0;
}

static int open_layout(const char *dev, int flags, uint64_t seed, struct layout *l)
{
	uint64_t bytes;
	struct stat st;
	int fd = open(dev, flags | O_DIRECT | O_CLOEXEC);

	/* tmpfs has no O_DIRECT; a file there is only for trying the tool */
	if (fd < 0 && errno == EINVAL && stat(dev, &st) == 0 && S_ISREG(st.st_mode))
		fd = open(dev, flags | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "powerloss-io: %s: %s\n", dev, strerror(errno));
		return -1;
	}
	if (device_size(fd, &bytes) != 0 || layout_init(l, seed, bytes) != 0) {
		fprintf(stderr, "powerloss-io: %s: no size or smaller than %u KiB\n",
			dev, 2 * SLOTS * RECORD_BYTES / 1024);
		close(fd);
		return -1;
	}
	return fd;
}

static void sleep_ms(unsigned ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

/* ---- write ---------------------------------------------------------------- */

static int open_journal(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/journal.%s", dir, name);
	return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
}

static uint64_t draw_offset(const struct layout *l, unsigned writer, uint64_t *state)
{
	return l->slot_offset[(next_random(state) % (SLOTS / WRITERS)) * WRITERS + writer];
}

/* Writes record seq to off. Its ack and the next record's begin go out in
 * one journal write and one fdatasync: a writer then spends most of its
 * time in the device write, so that the crash mostly finds writes there. */
static int write_one(int dev, int journal, uint8_t *rec, const struct layout *l,
		     unsigned writer, uint64_t seq, uint64_t off, const uint64_t *next_off)
{
	char lines[160];
	int n;

	fill_record(rec, l->seed, writer, seq, off);
	if (pwrite_all(dev, rec, RECORD_BYTES, off) != 0)
		return -1;
	n = snprintf(lines, sizeof(lines), "ack %" PRIu64 " %" PRIu64 " %016" PRIx64 "\n",
		     seq, off, fnv1a64(rec, RECORD_BYTES));
	if (next_off)
		snprintf(lines + n, sizeof(lines) - (size_t)n, "begin %" PRIu64 " %" PRIu64 "\n",
			 seq + 1, *next_off);
	return journal_line(journal, lines);
}

/* one writer process; tells ready_fd once its first record is acknowledged */
static int writer_main(const char *dev, const char *dir, uint64_t seed, unsigned writer,
		       uint64_t records, int ready_fd)
{
	struct layout l;
	char name[16], line[64];
	void *rec;
	uint64_t state = splitmix64(seed * 0x100 + writer), off, next;
	int fd, journal;

	snprintf(name, sizeof(name), "%u", writer);
	journal = open_journal(dir, name);
	fd = open_layout(dev, O_WRONLY | O_SYNC, seed, &l);
	if (journal < 0 || fd < 0 || posix_memalign(&rec, 4096, RECORD_BYTES) != 0) {
		fprintf(stderr, "powerloss-io: writer %u: setup: %s\n", writer, strerror(errno));
		return 1;
	}
	off = draw_offset(&l, writer, &state);
	snprintf(line, sizeof(line), "begin 1 %" PRIu64 "\n", off);
	if (journal_line(journal, line) != 0)
		goto failed;
	for (uint64_t seq = 1; records == 0 || seq <= records; seq++) {
		bool last = records != 0 && seq == records;

		next = draw_offset(&l, writer, &state);
		if (write_one(fd, journal, rec, &l, writer, seq, off, last ? NULL : &next) != 0)
			goto failed;
		if (seq == 1 && (write(ready_fd, "r", 1) != 1 || close(ready_fd) != 0))
			goto failed;
		off = next;
	}
	return 0;
failed:
	fprintf(stderr, "powerloss-io: writer %u: %s\n", writer, strerror(errno));
	return 1;
}

static int start_writers(const char *dev, const char *dir, uint64_t seed, uint64_t records,
			 pid_t *pids)
{
	int ready[2];
	char c;

	if (pipe(ready) != 0)
		return -1;
	for (unsigned w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		if (pids[w] < 0)
			return -1;
		if (pids[w] == 0) {
			close(ready[0]);
			_exit(writer_main(dev, dir, seed, w, records, ready[1]));
		}
	}
	close(ready[1]);
	for (unsigned w = 0; w < WRITERS; w++) {
		if (read(ready[0], &c, 1) != 1) {
			close(ready[0]);
			errno = ECHILD;
			return -1;
		}
	}
	close(ready[0]);
	return 0;
}

/* any writer that has stopped is a failure while the crash is pending */
static bool a_writer_stopped(const pid_t *pids)
{
	int status;

	for (unsigned w = 0; w < WRITERS; w++)
		if (waitpid(pids[w], &status, WNOHANG) != 0)
			return true;
	return false;
}

static int crash_now(const char *dir, unsigned crash_ms)
{
	char line[64];
	int journal = open_journal(dir, "crash");
	int trigger;

	snprintf(line, sizeof(line), "crash %u\n", crash_ms);
	if (journal < 0 || journal_line(journal, line) != 0)
		return -1;
	trigger = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
	if (trigger < 0 || write(trigger, "b", 1) != 1)
		return -1;
	sleep_ms(30000);
	errno = ETIMEDOUT;
	return -1;
}

static int wait_writers(const pid_t *pids)
{
	int rc = 0, status;

	for (unsigned w = 0; w < WRITERS; w++) {
		if (waitpid(pids[w], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			rc = 1;
	}
	return rc;
}

static int do_write(const char *dev, const char *dir, uint64_t seed, unsigned crash_ms,
		    uint64_t records)
{
	pid_t pids[WRITERS];

	if (start_writers(dev, dir, seed, crash_ms ? 0 : records, pids) != 0) {
		fprintf(stderr, "powerloss-io: starting the writers: %s\n", strerror(errno));
		return 1;
	}
	if (crash_ms == 0)
		return wait_writers(pids);
	for (unsigned waited = 0; waited < crash_ms; waited += 10) {
		if (a_writer_stopped(pids)) {
			fprintf(stderr, "powerloss-io: a writer stopped before the crash\n");
			return 1;
		}
		sleep_ms(crash_ms - waited < 10 ? crash_ms - waited : 10);
	}
	crash_now(dir, crash_ms);
	fprintf(stderr, "powerloss-io: crash: %s\n", strerror(errno));
	return 1;
}

/* ---- journals ----------------------------------------------------------------- */

static void problem(struct verify_counts *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct verify_counts *c, const char *fmt, ...)
{
	va_list ap;

	if (c->problems++ >= MAX_REPORTS)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

struct writer_state {
	unsigned writer;
	uint64_t last_seq;      /* of the last begin */
	uint64_t pending_off;
	bool pending;
};

static int owned_slot(const struct layout *l, unsigned writer, uint64_t off)
{
	int s = slot_at(l, off);

	return s >= 0 && (unsigned)s % WRITERS == writer ? s : -1;
}

static void journal_begin(struct writer_state *ws, const struct layout *l, uint64_t seq,
			  uint64_t off, struct verify_counts *c)
{
	if (ws->pending || seq != ws->last_seq + 1 || owned_slot(l, ws->writer, off) < 0)
		problem(c, "journal.%u: begin %" PRIu64 " %" PRIu64 " out of order", ws->writer,
			seq, off);
	ws->last_seq = seq;
	ws->pending_off = off;
	ws->pending = true;
}

static void journal_ack(struct writer_state *ws, const struct layout *l, uint64_t seq,
			uint64_t off, uint64_t digest, uint8_t *rec, struct slot_expect *slots,
			struct verify_counts *c)
{
	int s = owned_slot(l, ws->writer, off);

	if (!ws->pending || seq != ws->last_seq || off != ws->pending_off || s < 0) {
		problem(c, "journal.%u: ack %" PRIu64 " %" PRIu64 " without its begin",
			ws->writer, seq, off);
		return;
	}
	fill_record(rec, l->seed, ws->writer, seq, off);
	if (fnv1a64(rec, RECORD_BYTES) != digest)
		problem(c, "journal.%u: record %" PRIu64 ": digest %016" PRIx64
			" is not the record's", ws->writer, seq, digest);
	ws->pending = false;
	slots[s].acked_seq = seq;
	c->acked++;
}

/* a last line without its newline was cut by the crash: its write was not
 * acknowledged, so it is left out */
static int read_journal(const char *dir, struct writer_state *ws, const struct layout *l,
			uint8_t *rec, struct slot_expect *slots, struct verify_counts *c)
{
	char path[4096], line[256], word[16];
	uint64_t seq, off, digest;
	FILE *f;

	snprintf(path, sizeof(path), "%s/journal.%u", dir, ws->writer);
	f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "powerloss-io: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) && strchr(line, '\n')) {
		int n = sscanf(line, "%15s %" SCNu64 " %" SCNu64 " %" SCNx64, word, &seq, &off,
			       &digest);

		if (n == 3 && strcmp(word, "begin") == 0)
			journal_begin(ws, l, seq, off, c);
		else if (n == 4 && strcmp(word, "ack") == 0)
			journal_ack(ws, l, seq, off, digest, rec, slots, c);
		else
			problem(c, "journal.%u: bad line '%.*s'", ws->writer,
				(int)strcspn(line, "\n"), line);
	}
	fclose(f);
	return 0;
}

static int read_journals(const char *dir, const struct layout *l, uint8_t *rec,
			 struct slot_expect *slots, struct verify_counts *c)
{
	for (unsigned w = 0; w < WRITERS; w++) {
		struct writer_state ws = { .writer = w };

		if (read_journal(dir, &ws, l, rec, slots, c) != 0)
			return -1;
		if (ws.pending && owned_slot(l, w, ws.pending_off) >= 0) {
			slots[slot_at(l, ws.pending_off)].pending_seq = ws.last_seq;
			c->unacked++;
		}
	}
	return 0;
}

/* ---- verify ----------------------------------------------------------------- */

enum sector_kind { SECTOR_OLD, SECTOR_NEW, SECTOR_BAD };

static enum sector_kind classify_sector(const uint8_t *s, const struct layout *l, unsigned slot,
					unsigned index, const struct slot_expect *e)
{
	uint8_t want[SECTOR_BYTES];
	struct sector_head h;

	if (all_zero(s, SECTOR_BYTES))
		return e->acked_seq == 0 ? SECTOR_OLD : SECTOR_BAD;
	memcpy(&h, s, sizeof(h));
	if (memcmp(h.magic, magic, sizeof(magic)) != 0 || h.seq == 0)
		return SECTOR_BAD;
	fill_sector(want, l->seed, slot % WRITERS, h.seq, l->slot_offset[slot], index);
	if (memcmp(s, want, SECTOR_BYTES) != 0)
		return SECTOR_BAD;
	if (h.seq == e->acked_seq)
		return SECTOR_OLD;
	return h.seq == e->pending_seq ? SECTOR_NEW : SECTOR_BAD;
}

/* what a bad sector holds, for the report */
static void describe_sector(const uint8_t *s, uint64_t seed, char *out, size_t n)
{
	uint8_t want[SECTOR_BYTES];
	struct sector_head h;

	memcpy(&h, s, sizeof(h));
	if (all_zero(s, SECTOR_BYTES)) {
		snprintf(out, n, "zeros");
		return;
	}
	if (memcmp(h.magic, magic, sizeof(magic)) != 0) {
		snprintf(out, n, "foreign bytes");
		return;
	}
	fill_sector(want, seed, h.writer, h.seq, h.offset, h.index);
	snprintf(out, n, "%s sector %u of writer %u's record %" PRIu64 " for offset %" PRIu64,
		 memcmp(s, want, SECTOR_BYTES) == 0 ? "intact" : "damaged", h.index, h.writer,
		 h.seq, h.offset);
}

static void check_slot(const uint8_t *data, const struct layout *l, unsigned slot,
		       const struct slot_expect *e, struct verify_counts *c)
{
	unsigned old = 0, new = 0;

	for (unsigned i = 0; i < SECTORS; i++) {
		const uint8_t *s = data + (size_t)i * SECTOR_BYTES;
		char what[160];

		switch (classify_sector(s, l, slot, i, e)) {
		case SECTOR_OLD: old++; break;
		case SECTOR_NEW: new++; break;
		case SECTOR_BAD:
			describe_sector(s, l->seed, what, sizeof(what));
			problem(c, "offset %" PRIu64 " sector %u: %s; expected writer %u's record %"
				PRIu64 " (0: zeros) or the unacknowledged %" PRIu64 " (0: none)",
				l->slot_offset[slot], i, what, slot % WRITERS, e->acked_seq,
				e->pending_seq);
			return;
		}
	}
	if (new == 0 && e->acked_seq == 0)
		c->never_written++;
	else if (new == 0)
		c->last_acked++;
	else if (old == 0)
		c->newer++;
	else
		c->torn++;
}

static void check_unit(const uint8_t *data, uint64_t off, const struct layout *l,
		       const struct slot_expect *slots, struct verify_counts *c)
{
	int s = slot_at(l, off);

	if (s >= 0)
		check_slot(data, l, (unsigned)s, &slots[s], c);
	else if (all_zero(data, RECORD_BYTES))
		c->zero_units++;
	else
		problem(c, "offset %" PRIu64 ": never written, does not read as zeros", off);
}

static int check_device(int fd, const struct layout *l, const struct slot_expect *slots,
			struct verify_counts *c)
{
	uint64_t end = l->device_bytes / RECORD_BYTES * RECORD_BYTES;
	void *buf;

	if (posix_memalign(&buf, 4096, READ_BYTES) != 0)
		return -1;
	for (uint64_t at = 0; at < end; at += READ_BYTES) {
		size_t len = end - at < READ_BYTES ? (size_t)(end - at) : READ_BYTES;

		if (pread_all(fd, buf, len, at) != 0) {
			free(buf);
			return -1;
		}
		for (size_t u = 0; u < len; u += RECORD_BYTES)
			check_unit((uint8_t *)buf + u, at + u, l, slots, c);
	}
	free(buf);
	return 0;
}

static int do_verify(const char *dev, const char *dir, uint64_t seed)
{
	static struct slot_expect slots[SLOTS];
	struct verify_counts c = { 0 };
	struct layout l;
	void *rec;
	int fd = open_layout(dev, O_RDONLY, seed, &l);

	if (fd < 0 || posix_memalign(&rec, 4096, RECORD_BYTES) != 0)
		return 1;
	if (read_journals(dir, &l, rec, slots, &c) != 0)
		return 1;
	if (check_device(fd, &l, slots, &c) != 0) {
		fprintf(stderr, "powerloss-io: reading %s: %s\n", dev, strerror(errno));
		return 1;
	}
	printf("acked=%" PRIu64 " unacked=%u slots: last_acked=%u newer_unacked=%u torn=%u"
	       " never_written=%u zero_units=%" PRIu64 " problems=%u\n", c.acked, c.unacked,
	       c.last_acked, c.newer, c.torn, c.never_written, c.zero_units, c.problems);
	free(rec);
	close(fd);
	return c.problems ? 1 : 0;
}

/* ---- command line ------------------------------------------------------------ */

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-')
		return false;
	*v = x;
	return true;
}

static int usage(void)
{
	fprintf(stderr, "usage: powerloss-io write DEVICE DIR SEED CRASH_MS [RECORDS]\n"
			"       powerloss-io verify DEVICE DIR SEED\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint64_t seed, crash_ms, records = 0;

	if (argc < 5 || !parse_u64(argv[4], &seed))
		return usage();
	if (strcmp(argv[1], "verify") == 0 && argc == 5)
		return do_verify(argv[2], argv[3], seed);
	if (strcmp(argv[1], "write") != 0 || argc < 6 || argc > 7 ||
	    !parse_u64(argv[5], &crash_ms) || crash_ms > 600000 ||
	    (argc == 7 && !parse_u64(argv[6], &records)) || (crash_ms == 0 && records == 0))
		return usage();
	/* sysrq b outside the test VM would reset the machine running the tests */
	if (crash_ms != 0 && !(getenv("VM_RUN") && strcmp(getenv("VM_RUN"), "1") == 0)) {
		fprintf(stderr, "powerloss-io: crashing only inside the test VM (VM_RUN=1)\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	return do_write(argv[2], argv[3], seed, (unsigned)crash_ms, records);
}
