/* fuzz_image.c - libFuzzer target for a whole crafted member image
 *
 * Input: a 3-byte header, then the payload.
 *   byte 0     bits 0-1, where the payload goes: 0 = at the start of the
 *              image (the 1.1 and 1.2 superblocks at 0 and 4 KiB, their
 *              bitmaps after them), 1 = ending at the image's end (the 1.0
 *              superblock in the last 8 KiB, its bitmap before it), 2 or 3
 *              = from the 0.90 superblock (the last 64 KiB of the image,
 *              its bitmap in them); bit 2: the mdadm.conf --incremental
 *              reads (empty, or one with ARRAY, CREATE and AUTO lines);
 *              bits 3-5: the command (one per input: a run is then a
 *              fraction of the time, and each command's paths count as
 *              coverage of their own)
 *   bytes 1-2  image size in 64 KiB units, little-endian (at least the
 *              payload)
 * The image is a sparse memfd opened by path (/proc/self/fd/N), and goes
 * through the same code the commands run: 0-3 --examine (full text,
 * --export, --brief --verbose, --json), 4-6 --examine-bitmap (text,
 * --verbose, --json) and 7, for --incremental --export, the superblock
 * judgement, the trust and name decisions and the export lines
 * (Incremental.c itself is compiled in below, to reach them without a
 * kernel: a fake sysfs holds md0 and md1, and a map names them; its
 * names are then taken from this file, not from the archive's object).
 * Every output is captured and must keep the rules of outname.h:
 * KEY=VALUE lines that udev and eval take literally, ARRAY lines with no
 * keyword but ours and a one-word device, JSON that is well-formed UTF-8,
 * text without control bytes, at most 64 MiB. Any violation aborts and
 * names the rule. */
#include "Incremental.c"

#include <ftw.h>
#include <sys/mman.h>   /* memfd_create */

#include "modes.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define UNIT (64u * 1024u)
#define OUT_LIMIT (64u << 20)   /* more output than this is a finding */

enum out_kind { OUT_TEXT, OUT_EXPORT, OUT_ARRAY, OUT_JSON };

struct variant {
	const char *label;
	const char *args[6];
	int (*run)(const struct cmdline *c, const char *const *devs, size_t ndevs);
	enum out_kind kind;
	struct cmdline c;
};

static struct variant variants[] = {
	{ "-E", { "-E", NULL }, Examine, OUT_TEXT, { 0 } },
	{ "-E --export", { "-E", "--export", NULL }, Examine, OUT_EXPORT, { 0 } },
	{ "-E --brief --verbose", { "-E", "--brief", "--verbose", NULL }, Examine, OUT_ARRAY, { 0 } },
	{ "-E --json", { "-E", "--json", NULL }, Examine, OUT_JSON, { 0 } },
	{ "-X", { "-X", NULL }, ExamineBitmap, OUT_TEXT, { 0 } },
	{ "-X --verbose", { "-X", "--verbose", NULL }, ExamineBitmap, OUT_TEXT, { 0 } },
	{ "-X --json", { "-X", "--json", NULL }, ExamineBitmap, OUT_JSON, { 0 } },
};
#define NVARIANTS (sizeof(variants) / sizeof(variants[0]))

static int img_fd, out_fd;
static char img_path[64], dir[64];
static struct cmdline inc_cmd[2];       /* by mdadm.conf */
static struct mapfile inc_map;

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) == EOF || fclose(f) != 0)
		abort();
}

static void parse_cmd(struct cmdline *c, const char *const *args, const char *conf)
{
	char homehost[] = "--homehost=fuzzhost", config[128];
	char *argv[12];
	int argc = 0;

	snprintf(config, sizeof(config), "--config=%s", conf);
	argv[argc++] = (char *)"mdadm";
	for (size_t i = 0; args[i]; i++)
		argv[argc++] = (char *)args[i];
	argv[argc++] = homehost;
	argv[argc++] = config;
	argv[argc++] = img_path;
	argv[argc] = NULL;
	if (cmdline_parse(c, argc, argv) != 0 || c->ndevs != 1)
		abort();
	/* the values live as long as the process */
	for (size_t i = 0; i < OPT__COUNT; i++)
		if (c->val[i])
			c->val[i] = strdup(c->val[i]);
	c->devs[0].name = img_path;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void fake_system(void)
{
	char path[256], conf[2][160];
	static const char *const md[] = { "md0", "md1" };
	static const char *const inc_args[] = { "-I", "--export", NULL };

	snprintf(dir, sizeof(dir), "/dev/shm/fuzz_image.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/dev", dir);
	if (mkdir(path, 0700))
		abort();
	setenv("MDADM_DEV_ROOT", path, 1);
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/sys/block/%s/md", dir, md[i]);
		for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
			*s = '\0';
			mkdir(path, 0700);
			*s = '/';
		}
		if (mkdir(path, 0700))
			abort();
	}
	snprintf(path, sizeof(path), "%s/sys", dir);
	setenv("MDADM_SYSFS_ROOT", path, 1);
	snprintf(path, sizeof(path), "%s/map", dir);
	setenv("MDADM_MAP_FILE", path, 1);
	setenv("MDADM_NO_UDEV", "1", 1);
	snprintf(conf[0], sizeof(conf[0]), "%s/empty.conf", dir);
	put(conf[0], "");
	snprintf(conf[1], sizeof(conf[1]), "%s/arrays.conf", dir);
	put(conf[1], "CREATE names=yes\nAUTO +1.x homehost -all\n"
		     "ARRAY /dev/md/fuzz name=fuzzhost:fuzz\n"
		     "ARRAY /dev/md/7 UUID=00000000:00000000:00000000:00000000\n");
	for (size_t i = 0; i < NVARIANTS; i++)
		parse_cmd(&variants[i].c, variants[i].args, conf[0]);
	for (size_t i = 0; i < 2; i++)
		parse_cmd(&inc_cmd[i], inc_args, conf[i]);
	if (mapfile_parse("md0 1.2 00000000:00000000:00000000:00000000 /dev/md/fuzz\n"
			  "md1 1.2 00000001:00000000:00000000:00000000 /dev/md/fuzzhost:x\n",
			  &inc_map, NULL))
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *null = fopen("/dev/null", "w");

	(void)argc;
	(void)argv;
	img_fd = memfd_create("member", 0);
	out_fd = memfd_create("stdout", 0);
	if (!null || img_fd < 0 || out_fd < 0)
		abort();
	snprintf(img_path, sizeof(img_path), "/proc/self/fd/%d", img_fd);
	/* messages; libFuzzer and the sanitizers keep fd 2 */
	stderr = null;
	fflush(stdout);
	if (dup2(out_fd, STDOUT_FILENO) < 0)
		abort();
	fake_system();
	return 0;
}

/* ---- output rules ------------------------------------------------------------ */

static const char *current;             /* the command whose output is checked */
static const char *out_text;            /* its output */
static size_t out_len;

/* name the broken rule and show the output (fd 2 stays libFuzzer's) */
static void fail(const char *rule, size_t at)
{
	size_t from = at > 200 ? at - 200 : 0;
	size_t to = at + 200 < out_len ? at + 200 : out_len;

	dprintf(2, "fuzz_image: %s: %s at byte %zu of %zu; output near it:\n", current, rule,
		at, out_len);
	if (out_text && to > from && write(2, out_text + from, to - from) < 0)
		abort();
	dprintf(2, "\n");
	abort();
}

static bool is_plain_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("._-:+@,=/%", c);
}

/* KEY=VALUE, the value plain or '...' with printable ASCII but quotes
 * and backslashes inside */
static void check_export_line(const char *l, size_t n)
{
	size_t k = 0;

	while (k < n && ((l[k] >= 'A' && l[k] <= 'Z') || (l[k] >= '0' && l[k] <= '9') || l[k] == '_'))
		k++;
	if (k == 0 || k >= n || l[k] != '=')
		fail("not a KEY=VALUE line", (size_t)(l - out_text));
	l += k + 1;
	n -= k + 1;
	if (n >= 2 && l[0] == '\'') {
		if (l[n - 1] != '\'')
			fail("an unclosed quote", (size_t)(l - out_text));
		for (size_t i = 1; i + 1 < n; i++)
			if (l[i] < 0x20 || l[i] > 0x7e || l[i] == '\'' || l[i] == '\\')
				fail("an unsafe byte in a quoted value", (size_t)(l + i - out_text));
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!is_plain_byte((unsigned char)l[i]))
			fail("an unsafe byte in an unquoted value", (size_t)(l + i - out_text));
}

/* "ARRAY [/dev/md/NAME] level=.. metadata=.. num-devices=.. UUID=..", then
 * continuation lines with spares= and devices= */
static void check_array_line(const char *l, size_t n)
{
	static const char *const keys[] = { "level=", "metadata=", "num-devices=", "UUID=" };
	char *line = strndup(l, n), *save = NULL, *w;
	size_t next = 0;
	bool first = true;

	if (!line)
		return;
	if (strncmp(line, "   ", 3) == 0) {
		/* spares=N and devices=LIST only, in that order */
		for (w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			if (next == 0 && strncmp(w, "spares=", 7) == 0)
				next = 1;
			else if (next < 2 && strncmp(w, "devices=", 8) == 0)
				next = 2;
			else
				fail("a word other than spares= and devices=", (size_t)(l - out_text));
		}
		free(line);
		return;
	}
	if (strncmp(line, "ARRAY ", 6) != 0)
		fail("a line that is not an ARRAY line", (size_t)(l - out_text));
	for (w = strtok_r(line + 6, " ", &save); w; w = strtok_r(NULL, " ", &save), first = false) {
		size_t i;

		if (first && strncmp(w, "/dev/md", 7) == 0) {
			/* the device: /dev/mdN or a /dev/md/ link, one component */
			if (strlen(w) > 8 && strchr(w + 8, '/'))
				fail("a device name of more than one component", (size_t)(l - out_text));
			continue;
		}
		for (i = next; i < 4; i++)
			if (strncmp(w, keys[i], strlen(keys[i])) == 0)
				break;
		if (i == 4)
			fail("a word we never print, or a keyword twice", (size_t)(l - out_text));
		next = i + 1;
	}
	free(line);
}

static void check_bytes(const unsigned char *s, size_t n, enum out_kind kind)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' || (s[i] == '\t' && kind == OUT_TEXT))
			continue;
		if (s[i] < 0x20 || s[i] == 0x7f)
			fail("a control byte", i);
		/* text and ARRAY lines pass names' other bytes on, as the
		 * /dev/md/ links do; export values are ASCII, JSON UTF-8 */
		if ((kind == OUT_EXPORT || kind == OUT_JSON) && s[i] >= 0x80) {
			size_t u = outname_utf8_len(s + i, n - i);

			if (u == 0 || kind != OUT_JSON)
				fail(u ? "a byte above 0x7f" : "malformed UTF-8", i);
			i += u - 1;
		}
	}
}

/* strings closed, escapes known, brackets balanced */
static void check_json(const char *s, size_t n)
{
	char stack[64];
	size_t depth = 0;
	bool in_str = false;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (in_str) {
			if (c == '\\') {
				if (++i >= n || !strchr("\"\\/bfnrtu", s[i]))
					fail("an unknown escape", i);
			} else if (c == '"') {
				in_str = false;
			}
			continue;
		}
		if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (depth >= sizeof(stack))
				fail("nesting too deep", i);
			stack[depth++] = c == '{' ? '}' : ']';
		} else if (c == '}' || c == ']') {
			if (depth == 0 || stack[--depth] != c)
				fail("an unbalanced bracket", i);
		}
	}
	if (in_str || depth != 0)
		fail(in_str ? "an unclosed string" : "an unclosed bracket", n);
}

static void reset_output(void)
{
	fflush(stdout);
	if (ftruncate(out_fd, 0) != 0 || lseek(out_fd, 0, SEEK_SET) != 0)
		abort();
}

static void check_output(enum out_kind kind)
{
	static char *s;
	static size_t cap;
	off_t n;

	fflush(stdout);
	n = lseek(out_fd, 0, SEEK_END);
	out_text = NULL;
	out_len = n < 0 ? 0 : (size_t)n;
	if (n < 0)
		abort();
	if (n > OUT_LIMIT)
		fail("more than 64 MiB of output", out_len);
	if (n == 0)
		return;
	if ((size_t)n > cap) {
		free(s);
		cap = (size_t)n * 2;
		if (!(s = malloc(cap)))
			abort();
	}
	if (pread(out_fd, s, (size_t)n, 0) != n)
		abort();
	out_text = s;
	check_bytes((const unsigned char *)s, (size_t)n, kind);
	if (kind == OUT_JSON)
		check_json(s, (size_t)n);
	if (kind == OUT_EXPORT || kind == OUT_ARRAY) {
		for (size_t at = 0; at < (size_t)n;) {
			const char *nl = memchr(s + at, '\n', (size_t)n - at);
			size_t len = nl ? (size_t)(nl - (s + at)) : (size_t)n - at;

			if (!nl)
				fail("a line without its newline", at);
			if (kind == OUT_EXPORT)
				check_export_line(s + at, len);
			else
				check_array_line(s + at, len);
			at += len + 1;
		}
	}
}

/* ---- --incremental --export, up to the kernel --------------------------------- */

static void incremental(const struct cmdline *c)
{
	struct inc_ctx x;
	struct inc_dev *id = calloc(1, sizeof(*id));
	const char *names[1] = { img_path };
	struct diag d = { 0 };
	enum member_load_result lr;
	struct devio io;

	if (!id || ctx_init(&x, c, false))
		abort();
	id->path = img_path;
	if (devio_open(&io, img_path, &d) != 0)
		abort();
	lr = member_load_io_any(&id->m, &io, &d);
	id->m.path = id->path;
	devio_close(&io);
	if (conf_needed(&x))
		abort();
	if (judge_superblock(&x, id, lr, &d) == 0 && conf_allows(&x, id, names, 1) == 0 &&
	    choose_md(&x, id, &inc_map) == 0) {
		if (!id->devnm[0] || strchr(id->chosen, '\n') ||
		    (strncmp(id->chosen, "/dev/md/", 8) == 0 && strchr(id->chosen + 8, '/') &&
		     !(id->match && id->match->devname[0]))) {
			out_text = id->chosen;
			out_len = strlen(id->chosen);
			fail("a link name with a newline or '/'", 0);
		}
		export_device(id);
	}
	conf_release(&x);
	free(id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t units, img_size, at;
	size_t len, cmd;

	if (size < 3)
		return 0;
	units = (uint64_t)data[1] | (uint64_t)data[2] << 8;
	len = size - 3;
	img_size = units * UNIT;
	if (img_size < len)
		img_size = (len + UNIT - 1) / UNIT * UNIT;
	if (img_size == 0)
		img_size = UNIT;
	switch (data[0] & 3) {
	case 0: at = 0; break;
	case 1: at = img_size - len; break;
	default: at = img_size - UNIT; break;
	}
	if (at + len > img_size)
		img_size = at + len;
	if (ftruncate(img_fd, 0) != 0 || ftruncate(img_fd, (off_t)img_size) != 0 ||
	    pwrite(img_fd, data + 3, len, (off_t)at) != (ssize_t)len)
		abort();
	cmd = (data[0] >> 3) & 7;
	reset_output();
	if (cmd < NVARIANTS) {
		const char *dev = img_path;

		current = variants[cmd].label;
		variants[cmd].run(&variants[cmd].c, &dev, 1);
		check_output(variants[cmd].kind);
	} else {
		current = "-I --export";
		incremental(&inc_cmd[(data[0] >> 2) & 1]);
		check_output(OUT_EXPORT);
	}
	return 0;
}
