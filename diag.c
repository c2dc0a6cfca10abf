/* diag.c - one-line error reasons with their errno */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

static void diag_vset(struct diag *d, int err, const char *fmt, va_list ap)
{
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	d->err = err;
}

int diag_fail(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return -1;
	va_start(ap, fmt);
	diag_vset(d, EINVAL, fmt, ap);
	va_end(ap);
	return -1;
}

int diag_errno(struct diag *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (err <= 0)
		err = EIO;
	if (d) {
		va_start(ap, fmt);
		diag_vset(d, err, fmt, ap);
		va_end(ap);
	}
	return -err;
}

void diag_prefix(struct diag *d, const char *fmt, ...)
{
	char head[128], old[sizeof(d->msg)];
	va_list ap;

	if (!d)
		return;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, d->msg, sizeof(old));
	snprintf(d->msg, sizeof(d->msg), "%s: %.*s", head,
		 (int)(sizeof(d->msg) - strlen(head) - 3), old);
}

void diag_clear(struct diag *d)
{
	if (!d)
		return;
	d->msg[0] = '\0';
	d->err = 0;
}
