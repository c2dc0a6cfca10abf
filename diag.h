/* diag.h - one-line error reasons, with the errno behind them, carried up
 * from codecs and I/O */
#ifndef MDADM_DIAG_H
#define MDADM_DIAG_H

#include <stddef.h>

/* A diagnostic holds a single human-readable reason and the kind of
 * failure as a positive errno. Callers decide on `err`, never on the text;
 * they prefix the text with context (a device name) and print it.
 * `msg` comes first so that `struct diag d = { "" };` stays valid. */
struct diag {
	char msg[256];
	int err;               /* positive errno; 0 while nothing failed */
};

/* On a function whose result says whether something was written or
 * changed: ignoring the result is a compiler warning (an error in our
 * -Werror builds; a (void) cast does not silence it), so a deliberate
 * ignore has to be written out, with the reason. */
#define MUST_CHECK __attribute__((warn_unused_result))

/* Record a reason (printf-style) for input that is wrong (errno EINVAL).
 * Always returns -1 so callers can write `return diag_fail(d, "...")`.
 * A NULL diag is allowed and ignored. */
int diag_fail(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Record a reason with the errno that caused it; returns -err (or -EIO
 * when err is not positive), so `return diag_errno(d, errno, ...)` hands
 * the code to the caller as well. */
int diag_errno(struct diag *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Put `prefix: ` in front of the recorded text, keeping the errno. */
void diag_prefix(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Forget a recorded failure. */
void diag_clear(struct diag *d);

#endif
