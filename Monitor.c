/* Monitor.c - --monitor: look at arrays every --delay seconds (and at
 * every md event), report what changed as mdadm 4.6 does: on stderr, to
 * a --program, by mail, to syslog. The events come from monitor_events.c;
 * this file looks at the kernel and delivers. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/pidfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "mapfile.h"
#include "mdarray.h"
#include "mdkernel.h"
#include "bitmap.h"
#include "mdstat.h"
#include "member.h"
#include "modes.h"
#include "monitor_events.h"
#include "sysfs.h"
#include "util.h"

#define SENDMAIL "/usr/sbin/sendmail"
#define DEFAULT_DELAY 60u
/* after an md event, look again sooner: a new array or a starting sync
 * usually brings more changes right behind it (mdadm 4.6 does the same) */
#define EVENT_DELAY 5u
/* arrays --scan found are forgotten after this many looks without them */
#define AUTO_FORGET 5u

/* Where and how events are delivered. */
struct alerts {
	const char *mailaddr;
	const char *mailfrom;
	const char *program;
	bool syslog;
	char hostname[256];
};

struct watched {
	char dev[PATH_MAX];        /* the name reported: as given, the ARRAY line's, /dev/mdN */
	char devnm[MD_DEVNM_MAX];
	bool from_auto;            /* found by --scan in /proc/mdstat */
	char spare_group[64];      /* its ARRAY line's spare-group=, "" */
	struct mon_track track;
};

struct monitor {
	struct sysfs sys;
	struct alerts al;
	struct watched *w;         /* in the order they are looked at */
	size_t n, cap;
	unsigned delay, increment;
	bool oneshot, scan, test;
	const char *pidfile;
	bool wrote_autorebuild;
	bool share;                /* not --no-sharing: move spares in spare groups */
	int sigfd;                 /* SIGTERM/SIGINT/SIGHUP: stop and clean up */
	bool stop;                 /* one of them came */
};

/* ---- delivering an event ---------------------------------------------------- */

/* SIGTERM, SIGINT and SIGHUP stay blocked while the monitor runs and are
 * read from a signalfd: it ends between two looks (or while waiting for
 * its program) and removes its files. */
static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
}

/* Has a stop signal come? (It stays pending, so this can be asked
 * again.) */
static bool stop_requested(struct monitor *m)
{
	struct pollfd p = { .fd = m->sigfd, .events = POLLIN };

	if (!m->stop && m->sigfd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & POLLIN))
		m->stop = true;
	return m->stop;
}

/* The child of a fork that is about to exec: signals as a fresh process
 * has them. */
static void child_signals(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
}

/* Wait for a program the monitor started. A stop signal meanwhile ends
 * the wait (the program is left to finish on its own): a hanging
 * --program does not keep the monitor from stopping. */
static void wait_child(struct monitor *m, pid_t pid)
{
	int pfd = m->sigfd >= 0 ? pidfd_open(pid, 0) : -1;

	if (pfd >= 0) {
		struct pollfd p[2] = { { .fd = pfd, .events = POLLIN },
				       { .fd = m->sigfd, .events = POLLIN } };

		while (poll(p, 2, -1) < 0 && errno == EINTR)
			;
		close(pfd);
		if (!(p[0].revents & POLLIN) && stop_requested(m))
			return;
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static void run_program(struct monitor *m, const char *event, const char *dev,
			const char *component)
{
	const char *program = m->al.program;
	pid_t pid = fork();

	if (pid < 0) {
		pr_err("Cannot fork to execute alert command\n");
		return;
	}
	if (pid == 0) {
		child_signals();
		execl(program, program, event, dev, component, (char *)NULL);
		_exit(2);
	}
	wait_child(m, pid);
}

/* The envelope sender in MAILFROM: the address between <> when the line
 * has a display name ("mdadm <md@example.org>"), else the line. */
static void envelope_sender(const char *from, char *buf, size_t len)
{
	const char *lt = strchr(from, '<'), *gt = lt ? strchr(lt, '>') : NULL;

	if (lt && gt)
		snprintf(buf, len, "%.*s", (int)(gt - lt - 1), lt + 1);
	else
		snprintf(buf, len, "%s", from);
}

static void write_mail(FILE *mp, const struct alerts *al, const char *name, const char *dev,
		       const char *message)
{
	FILE *ms;
	char buf[8192];
	size_t n;

	if (al->mailfrom)
		fprintf(mp, "From: %s\n", al->mailfrom);
	else
		fprintf(mp, "From: " PROG " monitoring <root@%s>\n", al->hostname);
	fprintf(mp, "To: %s\n", al->mailaddr);
	fprintf(mp, "Subject: %s event on %s:%s\n\n", name, dev, al->hostname);
	fprintf(mp, "This is an automatically generated mail message.\n%s\n", message);
	ms = fopen(mdstat_path(), "re");
	if (!ms) {
		pr_err("Cannot open %s\n", mdstat_path());
		return;
	}
	fprintf(mp, "The /proc/mdstat file currently contains the following:\n\n");
	while ((n = fread(buf, 1, sizeof(buf), ms)) > 0)
		fwrite(buf, 1, n, mp);
	fclose(ms);
}

/* sendmail -t reads the recipients from the headers. It is run without a
 * shell, so nothing in MAILFROM or MAILADDR is interpreted. */
static void send_mail(struct monitor *m, const char *name, const char *dev,
		      const char *message)
{
	const struct alerts *al = &m->al;
	char sender[256] = "", farg[260];
	int fds[2];
	pid_t pid;
	FILE *mp;

	if (al->mailfrom)
		envelope_sender(al->mailfrom, sender, sizeof(sender));
	snprintf(farg, sizeof(farg), "-f%s", sender);
	if (pipe2(fds, O_CLOEXEC) != 0) {
		pr_err("Cannot open pipe stream for sendmail.\n");
		return;
	}
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		pr_err("Cannot open pipe stream for sendmail.\n");
		return;
	}
	if (pid == 0) {
		child_signals();
		if (dup2(fds[0], 0) < 0)
			_exit(127);
		if (sender[0])
			execl(SENDMAIL, SENDMAIL, "-t", farg, (char *)NULL);
		else
			execl(SENDMAIL, SENDMAIL, "-t", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	mp = fdopen(fds[1], "w");
	if (mp) {
		write_mail(mp, al, name, dev, message);
		fclose(mp);
	} else {
		close(fds[1]);
	}
	wait_child(m, pid);
}

static void alert(struct monitor *m, const char *dev, const struct mon_event *e)
{
	static const int priority[] = { [MON_SEV_INFO] = LOG_INFO,
					[MON_SEV_WARNING] = LOG_WARNING,
					[MON_SEV_CRITICAL] = LOG_CRIT };
	char name[32], message[512];

	mon_event_name(e, name, sizeof(name));
	mon_event_message(e, dev, message, sizeof(message));
	pr_err("%s\n", message);
	if (m->al.program)
		run_program(m, name, dev, e->component[0] ? e->component : NULL);
	if (m->al.mailaddr && mon_event_mailed(e) && !m->stop)
		send_mail(m, name, dev, message);
	if (m->al.syslog)
		syslog(priority[mon_event_severity(e)], "%s", message);
}

static void alert_test(struct monitor *m, const char *dev)
{
	struct mon_event e = { .kind = MON_TEST_MESSAGE };

	alert(m, dev, &e);
}

/* ---- looking at an array ---------------------------------------------------- */

/* The members as the events compare them; -1 when out of memory. */
static int look_members(const struct monitor *m, const struct md_array *a, struct mon_look *l,
			struct mon_member **members)
{
	*members = calloc(a->nmembers ? a->nmembers : 1, sizeof(**members));
	if (!*members)
		return -1;
	for (size_t i = 0; i < a->nmembers; i++) {
		const struct md_member *mm = &a->members[i];
		struct mon_member *mo = &(*members)[l->nmembers++];

		mo->major = mm->major;
		mo->minor = mm->minor;
		md_member_node(&m->sys, mm, mo->name, sizeof(mo->name));
		if (!mo->name[0])
			snprintf(mo->name, sizeof(mo->name), "%s/%s", m->sys.dev_root, mm->kname);
		mo->faulty = mm->flags & MDM_FAULTY;
		mo->in_sync = (mm->flags & MDM_IN_SYNC) && !mo->faulty;
		if (!mo->in_sync && !mo->faulty && !(mm->flags & MDM_JOURNAL)) {
			l->spares++;
			/* not one being rebuilt into a slot: free to move */
			mo->spare = mm->slot < 0;
		}
	}
	l->members = *members;
	return 0;
}

/* The first in-sync member whose lockless bitmap header (as on its disk
 * now) the kernel would refuse at the next assembly; the reason in why. */
static void check_lockless_headers(struct mon_look *l, char *why, size_t len)
{
	for (size_t i = 0; i < l->nmembers; i++) {
		const struct mon_member *mo = &l->members[i];
		struct member mb;
		struct diag d = { 0 };

		if (!mo->in_sync)
			continue;
		if (member_load(&mb, mo->name, &d) != MEMBER_OK) {
			continue;   /* unreadable now: Fail events tell the rest */
		}
		if (!mb.has_bitmap || !mb.bitmap_read || !mb.bitmap_uuid_ok)
			snprintf(why, len, "%.*s", (int)len - 1,
				 mb.bitmap_problem.msg[0] ? mb.bitmap_problem.msg : "no bitmap superblock");
		else if (!bitmap_is_lockless(&mb.bsb))
			snprintf(why, len, "the header is not version 6 any more");
		else if (bitmap_sb_validate(&mb.bsb, &d) != 0)
			snprintf(why, len, "%.*s", (int)len - 1, d.msg);
		else
			continue;
		l->llb_invalid_member = mo->name;
		l->llb_invalid_reason = why;
		return;
	}
}

/* One look at devnm as the kernel shows it now (not running when it
 * cannot be read). The members are put in *members (malloc'd) for the
 * look to point at; -1 when out of memory. */
static int look_at(const struct monitor *m, const char *devnm, const struct mdstat_array *e,
		   struct mon_look *l, struct mon_member **members, char *why, size_t why_len)
{
	struct md_array a;
	struct diag d = { 0 };
	int rc;

	memset(l, 0, sizeof(*l));
	*members = NULL;
	if (!e || !md_present(&m->sys, devnm))
		return 0;
	if (md_array_load(&m->sys, NULL, devnm, &a, &d) != 0) {
		md_array_free(&a);
		return 0;
	}
	l->running = a.active && e->active;
	l->level = a.level;
	l->redundant = a.level_known && a.level != 0 && a.level != -1 && a.level != -100;
	l->degraded = e->pattern && strchr(e->pattern, '_');
	l->percent = mon_percent(&e->sync);
	if (l->redundant)
		(void)md_read_u64(&m->sys, devnm, "mismatch_cnt", &l->mismatches, NULL);
	l->sync_idle = md_sync_word_is(a.sync_action, MD_SYNC_IDLE) ||
		       md_sync_word_is(a.sync_action, MD_SYNC_FROZEN);
	l->lockless = a.bitmap == BITMAP_KIND_LOCKLESS;
	if (md_read(&m->sys, devnm, "uuid", l->uuid, sizeof(l->uuid), NULL) != 0)
		l->uuid[0] = '\0';
	if (l->lockless) {
		l->llb_need_sync = llb_bits_sum(&a.llb.bits, llb_state_needs_sync);
		l->llb_daemon_sleep_zero = a.llb.has_daemon_sleep && a.llb.daemon_sleep == 0;
	}
	rc = look_members(m, &a, l, members);
	if (rc == 0 && l->lockless)
		check_lockless_headers(l, why, why_len);
	md_array_free(&a);
	return rc;
}

static size_t mdstat_index(const struct mdstat *ms, const char *devnm)
{
	for (size_t i = 0; i < ms->narrays; i++)
		if (strcmp(ms->arrays[i].devnm, devnm) == 0)
			return i;
	return SIZE_MAX;
}

/* Look at one watched array and report. `used` marks the /proc/mdstat
 * entries looked at in this round (--scan adds the others). */
static int check_array(struct monitor *m, struct watched *w, const struct mdstat *ms, bool *used)
{
	struct mon_events ev = { 0 };
	struct mon_member *members;
	struct mon_look l;
	struct diag d = { 0 };
	char why[160];
	size_t i = mdstat_index(ms, w->devnm);

	if (m->test)
		alert_test(m, w->dev);
	if (i != SIZE_MAX && used[i]) {
		/* the same array named twice: looked at once */
		w->track.err++;
		return 0;
	}
	if (i != SIZE_MAX)
		used[i] = true;
	if (look_at(m, w->devnm, i != SIZE_MAX ? &ms->arrays[i] : NULL, &l, &members, why,
		    sizeof(why)) != 0) {
		pr_err("out of memory\n");
		return -1;
	}
	if (mon_step(&w->track, &l, m->increment, &ev, &d) != 0) {
		free(members);
		pr_err("%s: %s\n", w->dev, d.msg);
		return -1;
	}
	free(members);
	for (size_t k = 0; k < ev.n && !m->stop; k++)
		alert(m, w->dev, &ev.v[k]);
	mon_events_free(&ev);
	return 0;
}

static struct watched *add_watched(struct monitor *m, bool at_front)
{
	struct watched *w;

	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 8;
		struct watched *v = realloc(m->w, cap * sizeof(*v));

		if (!v) {
			pr_err("out of memory\n");
			return NULL;
		}
		m->w = v;
		m->cap = cap;
	}
	if (at_front)
		memmove(&m->w[1], &m->w[0], m->n * sizeof(*m->w));
	w = &m->w[at_front ? 0 : m->n];
	m->n++;
	memset(w, 0, sizeof(*w));
	return w;
}

/* /dev/md0 for md0, /dev/md/name for md_name (mdadm 4.6's names) */
static void report_name(const struct sysfs *s, const char *devnm, char *buf, size_t len)
{
	if (strncmp(devnm, "md_", 3) == 0)
		snprintf(buf, len, "%s/md/%s", s->dev_root, devnm + 3);
	else
		md_node_path(s, devnm, buf, len);
}

/* --scan: running arrays in /proc/mdstat not looked at in this round,
 * except those without redundancy. New ones go to the front of the list,
 * as mdadm 4.6 keeps them (its reports come in that order). */
static int add_new_arrays(struct monitor *m, const struct mdstat *ms, const bool *used,
			  bool *found)
{
	*found = false;
	for (size_t i = 0; i < ms->narrays; i++) {
		const struct mdstat_array *e = &ms->arrays[i];
		struct watched *w;

		if (used[i] || !e->active || strcmp(e->level, "raid0") == 0 ||
		    strcmp(e->level, "linear") == 0 || !md_present(&m->sys, e->devnm))
			continue;
		w = add_watched(m, true);
		if (!w)
			return -1;
		snprintf(w->devnm, sizeof(w->devnm), "%s", e->devnm);
		report_name(&m->sys, e->devnm, w->dev, sizeof(w->dev));
		w->from_auto = true;
		mon_track_init(&w->track, false, -1, true);
		if (m->test)
			alert_test(m, w->dev);
		*found = true;
	}
	return 0;
}

static void forget_vanished(struct monitor *m)
{
	size_t k = 0;

	for (size_t i = 0; i < m->n; i++) {
		if (m->w[i].from_auto && m->w[i].track.err > AUTO_FORGET) {
			mon_track_free(&m->w[i].track);
			continue;
		}
		m->w[k++] = m->w[i];
	}
	m->n = k;
}

/* ---- the list of arrays ----------------------------------------------------- */

/* An array named on the command line or by an ARRAY line; one that is not
 * there is left out with the reason, as mdadm 4.6 does. */
static int watch_named(struct monitor *m, const char *given, bool from_config,
		       const struct conf_array *line)
{
	char devnm[MD_DEVNM_MAX];
	struct diag d = { 0 };
	struct watched *w;

	if (md_find_array(&m->sys, given, devnm, sizeof(devnm), &d) != 0) {
		pr_err("%s\n", d.msg);
		return 0;
	}
	w = add_watched(m, true);
	if (!w)
		return -1;
	snprintf(w->dev, sizeof(w->dev), "%s", given);
	snprintf(w->devnm, sizeof(w->devnm), "%s", devnm);
	if (line)
		snprintf(w->spare_group, sizeof(w->spare_group), "%s", line->spare_group);
	mon_track_init(&w->track, from_config, line ? line->spares : -1, false);
	return 0;
}

static const struct conf_array *conf_line_for(const struct conf *conf, const char *dev)
{
	for (size_t i = 0; i < conf->narrays; i++)
		if (strcmp(conf->arrays[i].devname, dev) == 0)
			return &conf->arrays[i];
	return NULL;
}

static int build_list(struct monitor *m, const struct cmdline *c, const struct conf *conf)
{
	if (c->ndevs) {
		for (size_t i = 0; i < c->ndevs; i++) {
			const struct conf_array *a = conf_line_for(conf, c->devs[i].name);

			if (watch_named(m, c->devs[i].name, false, a))
				return -1;
		}
		return 0;
	}
	for (size_t i = 0; i < conf->narrays; i++) {
		const struct conf_array *a = &conf->arrays[i];
		char dev[PATH_MAX];

		if (!a->devname[0] || strcasecmp(a->devname, "<ignore>") == 0)
			continue;
		/* a short name stands for /dev/md/NAME */
		snprintf(dev, sizeof(dev), "%s%s", a->devname[0] == '/' ? "" : "/dev/md/", a->devname);
		if (watch_named(m, dev, true, a))
			return -1;
	}
	return 0;
}

/* ---- running as a daemon ---------------------------------------------------- */

static void write_pid(const char *path, pid_t pid, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f) {
		pr_err("cannot create pid file %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	fprintf(f, "%d\n", (int)pid);
	fclose(f);
}

/* Fork: the parent prints the child's pid (or writes it to --pid-file)
 * and is done (1); the child goes on detached from the terminal (0). */
static int daemonise(const char *pidfile)
{
	pid_t pid;
	int fd;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		pr_err("daemonise: %s\n", strerror(errno));
		return -1;
	}
	if (pid > 0) {
		if (pidfile)
			write_pid(pidfile, pid, 0644);
		else
			printf("%d\n", (int)pid);
		return 1;
	}
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setsid();
	return 0;
}

/* Another monitor already moving spares? With --scan only one may run
 * (mdadm 4.6's autorebuild.pid); 0 go on, -1 stop. */
static int check_one_sharer(bool scan)
{
	char path[PATH_MAX], comm_path[64], comm[32] = "";
	FILE *f;
	int pid;

	mapfile_dir_path("autorebuild.pid", path, sizeof(path));
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		pr_err("Cannot open %s file.\n", path);
		return -1;
	}
	if (fscanf(f, "%d", &pid) != 1) {
		fclose(f);
		pr_err("Cannot read pid from %s file.\n", path);
		return -1;
	}
	fclose(f);
	if (pid <= 0 || pid == getpid())
		return 0;
	snprintf(comm_path, sizeof(comm_path), "/proc/%d/comm", pid);
	f = fopen(comm_path, "re");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	if (strncmp(comm, PROG, strlen(PROG)) != 0)
		return 0;
	if (scan) {
		pr_err("Only one autorebuild process allowed in scan mode, aborting\n");
		return -1;
	}
	pr_err("Warning: One autorebuild process already running.\n");
	return 0;
}

/* Remove our autorebuild.pid (when it still names us) and --pid-file. */
static void cleanup_files(const struct monitor *m)
{
	char path[PATH_MAX];
	FILE *f;
	int pid = 0;

	if (m->pidfile)
		unlink(m->pidfile);
	if (!m->wrote_autorebuild)
		return;
	mapfile_dir_path("autorebuild.pid", path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return;
	if (fscanf(f, "%d", &pid) == 1 && pid == getpid())
		unlink(path);
	fclose(f);
}

static int open_stop_signals(void)
{
	sigset_t set;

	stop_signals(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* ---- spare groups ------------------------------------------------------------ */

/* Give each degraded array without a spare one from another array of its
 * spare group (mdadm 4.6 does this after every look). */
static void move_spares(struct monitor *m)
{
	struct mon_group_view *v = calloc(m->n ? m->n : 1, sizeof(*v));

	if (!v) {
		pr_err("out of memory\n");
		return;
	}
	for (size_t i = 0; i < m->n; i++) {
		v[i].group = m->w[i].spare_group;
		v[i].track = &m->w[i].track;
	}
	for (size_t to = 0; to < m->n && !stop_requested(m); to++) {
		size_t from = mon_spare_donor(v, m->n, to);
		struct mon_event e = { .kind = MON_MOVE_SPARE };
		const struct mon_member *spare;

		if (from == SIZE_MAX)
			continue;
		spare = mon_track_spare(&m->w[from].track);
		if (manage_move_spare(m->w[from].dev, m->w[to].dev, spare->name) != 0)
			continue;
		mon_spare_moved(&m->w[from].track, &m->w[to].track, spare);
		snprintf(e.component, sizeof(e.component), "%.*s", (int)sizeof(e.component) - 1,
			 m->w[from].dev);
		alert(m, m->w[to].dev, &e);
	}
	free(v);
}

/* ---- the loop --------------------------------------------------------------- */

/* One round: look at every array; with --scan add the new ones. Returns
 * -1 on failure, else whether new arrays were found; *any_ok tells
 * whether some array is being watched successfully. */
static int round_once(struct monitor *m, bool *any_ok)
{
	struct mdstat ms;
	struct diag d = { 0 };
	bool *used, found = false;
	int rc = 0;

	if (mdstat_read_file(&ms, &d) != 0) {
		pr_err("%s\n", d.msg);
		return -1;
	}
	used = calloc(ms.narrays ? ms.narrays : 1, sizeof(*used));
	if (!used) {
		mdstat_free(&ms);
		pr_err("out of memory\n");
		return -1;
	}
	*any_ok = false;
	for (size_t i = 0; i < m->n && rc == 0 && !stop_requested(m); i++) {
		rc = check_array(m, &m->w[i], &ms, used);
		if (m->w[i].track.err == 0)
			*any_ok = true;
	}
	if (rc == 0 && m->scan && !m->stop)
		rc = add_new_arrays(m, &ms, used, &found);
	free(used);
	mdstat_free(&ms);
	return rc ? -1 : found;
}

static int monitor_loop(struct monitor *m)
{
	unsigned delay = m->delay;

	for (;;) {
		int watch = m->oneshot ? -1 : mdstat_watch_open();
		enum mdstat_wake why;
		bool any_ok;
		int found = round_once(m, &any_ok);

		if (found < 0 || m->stop) {
			mdstat_watch_close(watch);
			return found < 0 ? EXIT_FAIL : EXIT_OK;
		}
		m->test = false;
		forget_vanished(m);
		if (m->share)
			move_spares(m);
		if (found) {
			mdstat_watch_close(watch);
			continue;
		}
		if (m->oneshot) {
			mdstat_watch_close(watch);
			return EXIT_OK;
		}
		if (!any_ok) {
			mdstat_watch_close(watch);
			pr_err("No array with redundancy detected, stopping\n");
			return EXIT_OK;
		}
		why = mdstat_watch_wait_or(watch, m->sigfd,
					   delay > UINT_MAX / 1000u ? UINT_MAX : delay * 1000u);
		mdstat_watch_close(watch);
		if (why == MDSTAT_WAKE_OTHER)
			return EXIT_OK;
		delay = why == MDSTAT_WAKE_EVENT && m->delay > EVENT_DELAY ? EVENT_DELAY : m->delay;
	}
}

/* ---- the mode --------------------------------------------------------------- */

/* What mdadm 4.6 refuses before it starts watching; 0 when all is well. */
static int refuse_early(const struct cmdline *c)
{
	if (cmd_has(c, OPT_DELAY) && cmd_num(c, OPT_DELAY) == 0) {
		pr_err("invalid delay: %s\n", cmd_val(c, OPT_DELAY));
		return EXIT_USAGE;
	}
	if (c->ndevs == 0 && !cmd_has(c, OPT_SCAN)) {
		pr_err("Cannot monitor: need --scan or at least one device\n");
		return EXIT_FAIL;
	}
	if (cmd_has(c, OPT_PID_FILE) && !cmd_has(c, OPT_DAEMONISE)) {
		pr_err("Cannot write a pid file when not in daemon mode\n");
		return EXIT_FAIL;
	}
	if (c->ndevs && cmd_has(c, OPT_SCAN)) {
		pr_err("Devices list and --scan option cannot be combined - not monitoring.\n");
		return EXIT_FAIL;
	}
	return 0;
}

/* Everything before the first look: options and mdadm.conf, the checks
 * mdadm 4.6 makes, the daemon. Returns -1 to go on, else the exit status. */
static int setup(struct monitor *m, const struct cmdline *c, const struct conf *conf)
{
	bool share = !cmd_has(c, OPT_NO_SHARING);
	char dir[PATH_MAX], *slash;
	int rc;

	m->scan = cmd_has(c, OPT_SCAN);
	m->share = share;
	m->oneshot = cmd_has(c, OPT_ONESHOT);
	m->test = cmd_has(c, OPT_TEST);
	m->increment = cmd_has(c, OPT_INCREMENT) ? (unsigned)cmd_num(c, OPT_INCREMENT) : 20;
	m->delay = cmd_has(c, OPT_DELAY) ? (unsigned)cmd_num(c, OPT_DELAY) :
		   conf->monitor_delay ? conf->monitor_delay : DEFAULT_DELAY;
	m->pidfile = cmd_val(c, OPT_PID_FILE);
	m->al.mailaddr = cmd_has(c, OPT_MAIL) ? cmd_val(c, OPT_MAIL) :
			 conf->mailaddr[0] ? conf->mailaddr : NULL;
	m->al.program = cmd_has(c, OPT_PROGRAM) ? cmd_val(c, OPT_PROGRAM) :
			conf->program[0] ? conf->program : NULL;
	m->al.mailfrom = conf->mailfrom[0] ? conf->mailfrom : NULL;
	m->al.syslog = cmd_has(c, OPT_SYSLOG);
	if (m->scan && !m->al.mailaddr && !m->al.program && !m->al.syslog) {
		pr_err("No mail address or alert command - not monitoring.\n");
		return EXIT_FAIL;
	}
	if (c->verbose > 0) {
		pr_err("Monitor is started with delay %us\n", m->delay);
		if (m->al.mailaddr)
			pr_err("Monitor using email address %s\n", m->al.mailaddr);
		if (m->al.program)
			pr_err("Monitor using program %s\n", m->al.program);
	}
	if (gethostname(m->al.hostname, sizeof(m->al.hostname) - 1) != 0) {
		pr_err("Cannot get hostname.\n");
		return EXIT_FAIL;
	}
	mapfile_dir_path("autorebuild.pid", dir, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		pr_err("Failed to create directory %s: %s\n", dir, strerror(errno));
		return EXIT_FAIL;
	}
	if (share && check_one_sharer(m->scan) != 0)
		return EXIT_FAIL;
	if (cmd_has(c, OPT_DAEMONISE)) {
		rc = daemonise(m->pidfile);
		if (rc < 0)
			return EXIT_FAIL;
		if (rc > 0) {
			m->pidfile = NULL;
			return EXIT_OK;
		}
	}
	if (share) {
		char path[PATH_MAX];

		mapfile_dir_path("autorebuild.pid", path, sizeof(path));
		write_pid(path, getpid(), 0600);
		m->wrote_autorebuild = true;
	}
	if (m->al.syslog)
		openlog(PROG, LOG_PID, LOG_DAEMON);
	signal(SIGPIPE, SIG_IGN);
	m->sigfd = open_stop_signals();
	return -1;
}

int Monitor(const struct cmdline *c)
{
	struct monitor m;
	struct conf conf = { 0 };
	struct diag d = { 0 };
	int rc = refuse_early(c);

	if (rc)
		return rc;
	memset(&m, 0, sizeof(m));
	m.sigfd = -1;
	sysfs_init(&m.sys);
	if (conf_load(cmd_val(c, OPT_CONFIG), &conf, &d) != 0) {
		pr_err("%s\n", d.msg);
		return EXIT_FAIL;
	}
	rc = setup(&m, c, &conf);
	if (rc < 0) {
		rc = build_list(&m, c, &conf) ? EXIT_FAIL : monitor_loop(&m);
		cleanup_files(&m);
	}
	for (size_t i = 0; i < m.n; i++)
		mon_track_free(&m.w[i].track);
	free(m.w);
	if (m.sigfd >= 0)
		close(m.sigfd);
	conf_free(&conf);
	return rc;
}
