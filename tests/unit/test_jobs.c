/* test_jobs.c - steps in children, their messages written out in the order
 * the steps began, whatever order they end in */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jobs.h"
#include "unit.h"

struct step {
	const char *name;
	unsigned delay_ms;
	int rc;
};

static int run_step(void *arg)
{
	const struct step *s = arg;

	usleep(s->delay_ms * 1000);
	fprintf(stderr, "err %s\n", s->name);
	printf("out %s\n", s->name);
	return s->rc;
}

/* Point stdout and stderr at one anonymous file; returns it and the
 * saved descriptors. */
static int capture_begin(int *saved_out, int *saved_err)
{
	int fd = memfd_create("test-jobs", 0);

	fflush(NULL);
	*saved_out = dup(1);
	*saved_err = dup(2);
	dup2(fd, 1);
	dup2(fd, 2);
	return fd;
}

static void capture_end(int fd, int saved_out, int saved_err, char *buf, size_t len)
{
	ssize_t n;

	fflush(NULL);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	n = pread(fd, buf, len - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

static void test_order_kept_and_codes_or_ed(void)
{
	/* the first step ends last: its messages still come first */
	struct step steps[] = { { "a", 300, 0 }, { "b", 0, 1 }, { "c", 100, 0 } };
	struct jobs j;
	char got[512];
	int so, se, fd = capture_begin(&so, &se), rc;

	CHECK(jobs_init(&j));
	for (size_t i = 0; i < 3; i++) {
		CHECK(jobs_open(&j));
		fprintf(stderr, "before %s\n", steps[i].name);
		jobs_spawn(&j, run_step, &steps[i]);
		jobs_close(&j, 9);      /* ignored: the step's child decides */
	}
	rc = jobs_finish(&j);
	capture_end(fd, so, se, got, sizeof(got));
	CHECK_EQ_U(rc, 1);
	CHECK_EQ_S(got, "before a\nerr a\nout a\nbefore b\nerr b\nout b\nbefore c\nerr c\nout c\n");
}

static void test_in_place_steps_and_settle(void)
{
	struct step later = { "late", 50, 0 };
	struct jobs j;
	char got[512];
	int so, se, fd = capture_begin(&so, &se), rc;

	CHECK(jobs_init(&j));
	CHECK(jobs_open(&j));
	jobs_spawn(&j, run_step, &later);
	jobs_close(&j, 0);
	/* a step that spawns nothing: its code is the one given at close */
	CHECK(jobs_open(&j));
	printf("inline\n");
	/* settling inside an open step writes out the earlier one only */
	jobs_settle(&j);
	printf("still inline\n");
	jobs_close(&j, 2);
	/* messages outside a step wait until the held ones are out */
	jobs_settle(&j);
	printf("after\n");
	rc = jobs_finish(&j);
	capture_end(fd, so, se, got, sizeof(got));
	CHECK_EQ_U(rc, 2);
	CHECK_EQ_S(got, "err late\nout late\ninline\nstill inline\nafter\n");
}

static void test_more_steps_than_slots(void)
{
	enum { N = JOBS_MAX_HELD + 10 };
	static struct step steps[N];
	static char names[N][8];
	struct jobs j;
	static char got[N * 32], want[N * 32];
	size_t w = 0;
	int so, se, fd = capture_begin(&so, &se), rc;

	CHECK(jobs_init(&j));
	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "%zu", i);
		steps[i] = (struct step){ names[i], (unsigned)(i % 3), i == N - 1 ? 4 : 0 };
		w += (size_t)snprintf(want + w, sizeof(want) - w, "err %zu\nout %zu\n", i, i);
		CHECK(jobs_open(&j));
		jobs_spawn(&j, run_step, &steps[i]);
		jobs_close(&j, 0);
	}
	rc = jobs_finish(&j);
	capture_end(fd, so, se, got, sizeof(got));
	CHECK_EQ_U(rc, 4);
	CHECK_EQ_S(got, want);
}

UNIT_MAIN("jobs",
	  UNIT_CASE(test_order_kept_and_codes_or_ed),
	  UNIT_CASE(test_in_place_steps_and_settle),
	  UNIT_CASE(test_more_steps_than_slots))
