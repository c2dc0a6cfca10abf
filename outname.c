/* outname.c - how names read from disks leave the tool (see outname.h) */
#include <stdio.h>
#include <string.h>

#include "outname.h"

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

void outname_terminal(const uint8_t *raw, size_t n, char *out, size_t len)
{
	size_t i;

	if (!len)
		return;
	for (i = 0; i < n && i + 1 < len && raw[i]; i++)
		out[i] = is_control(raw[i]) ? '?' : (char)raw[i];
	out[i] = '\0';
}

static bool plain_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("._-:+@,=/%", c) != NULL;
}

bool outname_is_plain(const char *value)
{
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (!plain_byte(*p))
			return false;
	return true;
}

void outname_export(const char *value, char *out, size_t len)
{
	size_t o = 0;

	if (!len)
		return;
	if (outname_is_plain(value)) {
		snprintf(out, len, "%s", value);
		return;
	}
	if (len < 3) {
		out[0] = '\0';
		return;
	}
	out[o++] = '\'';
	for (const unsigned char *p = (const unsigned char *)value; *p && o + 2 < len; p++)
		out[o++] = (*p < 0x20 || *p >= 0x7f || *p == '\'' || *p == '"' || *p == '\\')
				   ? '_' : (char)*p;
	out[o++] = '\'';
	out[o] = '\0';
}

void outname_link(const char *name, char *out, size_t len)
{
	size_t i;

	if (!len)
		return;
	for (i = 0; name[i] && i + 1 < len; i++) {
		unsigned char c = (unsigned char)name[i];

		out[i] = c == '/' ? '-' : (c == ' ' || c == '\t' || is_control(c)) ? '_' : (char)c;
	}
	out[i] = '\0';
}
