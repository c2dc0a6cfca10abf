/* diag.h - one-line error reasons carried up from codecs and I/O */
#ifndef MDADM_DIAG_H
#define MDADM_DIAG_H

#include <stddef.h>

/* A diagnostic holds a single human-readable reason. Codecs fill it when
 * they reject input; callers prefix it with context (device name) and print. */
struct diag {
	char msg[256];
};

/* Record a reason (printf-style). Always returns -1 so callers can write
 * `return diag_fail(d, "...")`. A NULL diag is allowed and ignored. */
int diag_fail(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
