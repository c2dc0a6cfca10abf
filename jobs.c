/* jobs.c - steps in child processes, their messages written out in order */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jobs.h"

bool jobs_init(struct jobs *j)
{
	memset(j, 0, sizeof(*j));
	j->real_out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	j->real_err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (j->real_out >= 0 && j->real_err >= 0)
		return true;
	if (j->real_out >= 0)
		close(j->real_out);
	if (j->real_err >= 0)
		close(j->real_err);
	j->real_out = j->real_err = -1;
	return false;
}

static void copy_all(int from, int to)
{
	char buf[4096];
	off_t off = 0;
	ssize_t n;

	while ((n = pread(from, buf, sizeof(buf), off)) > 0) {
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(to, buf + done, (size_t)(n - done));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return;     /* the messages' reader is gone; nothing else to do */
			done += w;
		}
		off += n;
	}
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* The oldest held step: waited for, its stderr then its stdout written out. */
static void write_out_first(struct jobs *j)
{
	struct job *jb = &j->held[0];

	fflush(NULL);   /* what this process printed before goes out first */
	if (jb->pid > 0)
		jb->rc = wait_child(jb->pid);
	copy_all(jb->err, j->real_err);
	copy_all(jb->out, j->real_out);
	close(jb->out);
	close(jb->err);
	j->rc |= jb->rc;
	memmove(&j->held[0], &j->held[1], (j->nheld - 1) * sizeof(j->held[0]));
	j->nheld--;
}

static size_t running(const struct jobs *j)
{
	size_t n = 0;

	for (size_t i = 0; i < j->nheld; i++)
		n += j->held[i].pid > 0;
	return n;
}

static bool redirect(int out, int err)
{
	fflush(stdout);
	fflush(stderr);
	return dup2(out, STDOUT_FILENO) >= 0 && dup2(err, STDERR_FILENO) >= 0;
}

bool jobs_open(struct jobs *j)
{
	struct job *jb;

	if (j->real_out < 0 || j->open)
		return false;
	while (j->nheld == JOBS_MAX_HELD || running(j) >= JOBS_MAX_RUNNING)
		write_out_first(j);
	jb = &j->held[j->nheld];
	memset(jb, 0, sizeof(*jb));
	jb->out = memfd_create("mdadm-job-stdout", MFD_CLOEXEC);
	jb->err = memfd_create("mdadm-job-stderr", MFD_CLOEXEC);
	if (jb->out < 0 || jb->err < 0 || !redirect(jb->out, jb->err)) {
		/* what the failed redirect may have left on fd 1 or 2 goes back */
		(void)redirect(j->real_out, j->real_err);
		if (jb->out >= 0)
			close(jb->out);
		if (jb->err >= 0)
			close(jb->err);
		return false;
	}
	j->nheld++;
	j->open = true;
	return true;
}

void jobs_spawn(struct jobs *j, int (*fn)(void *), void *arg)
{
	struct job *jb = &j->held[j->nheld - 1];
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int rc = fn(arg);

		fflush(NULL);
		_exit(rc & 0xff);
	}
	if (pid < 0)
		jb->rc = fn(arg);
	else
		jb->pid = pid;
}

void jobs_close(struct jobs *j, int rc)
{
	struct job *jb = &j->held[j->nheld - 1];

	if (!j->open)
		return;
	if (!redirect(j->real_out, j->real_err))
		fprintf(stderr, "mdadm: cannot restore the standard output: %s\n", strerror(errno));
	if (jb->pid == 0)
		jb->rc = rc;
	j->open = false;
}

void jobs_settle(struct jobs *j)
{
	size_t keep = j->open ? 1 : 0;

	while (j->nheld > keep)
		write_out_first(j);
}

int jobs_finish(struct jobs *j)
{
	if (j->open)
		jobs_close(j, 0);
	jobs_settle(j);
	if (j->real_out >= 0)
		close(j->real_out);
	if (j->real_err >= 0)
		close(j->real_err);
	j->real_out = j->real_err = -1;
	return j->rc;
}
