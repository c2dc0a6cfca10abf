/* jobs.h - steps run side by side in child processes, their messages held
 * back and written out in the order the steps began
 *
 * `--assemble --scan` starts many arrays; most of each start is the
 * kernel importing members, which waits on the disks. Run one child per
 * array and the waits overlap, while the terminal shows exactly what a
 * one-after-the-other run would have shown. Steps that touch the same
 * thing must not overlap: callers settle the outstanding jobs first, and
 * settle before printing anything outside a step. */
#ifndef MDADM_JOBS_H
#define MDADM_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define JOBS_MAX_RUNNING 16     /* children alive at once */
#define JOBS_MAX_HELD    64     /* steps whose messages are not written out yet */

struct job {
	int out, err;           /* anonymous files holding the step's stdout and stderr */
	pid_t pid;              /* its child while it runs, else 0 */
	int rc;                 /* the step's exit code once known */
};

struct jobs {
	struct job held[JOBS_MAX_HELD];
	size_t nheld;           /* steps not written out yet, oldest first */
	bool open;              /* the last held step is capturing now */
	int real_out, real_err; /* where held messages finally go */
	int rc;                 /* exit codes of the steps written out, or-ed */
};

/* Ready to run steps; false when this process cannot hold messages back
 * (then callers run every step in place, as without jobs). */
bool jobs_init(struct jobs *j);

/* Begin a step: from now until jobs_close(), stdout and stderr go to
 * the step's own files. False (nothing redirected) when that cannot be
 * done; the caller then settles and runs the step in place. */
bool jobs_open(struct jobs *j);

/* Run fn(arg) in a child for the open step; its exit code becomes the
 * step's. When no child can be made, fn runs here. */
void jobs_spawn(struct jobs *j, int (*fn)(void *), void *arg);

/* End the open step's capture; rc is its exit code unless it spawned. */
void jobs_close(struct jobs *j, int rc);

/* Wait for every child and write out every held step except an open
 * one (its messages stay captured). */
void jobs_settle(struct jobs *j);

/* Settle everything and release the jobs; returns the or-ed exit codes
 * of all steps. */
int jobs_finish(struct jobs *j);

#endif
