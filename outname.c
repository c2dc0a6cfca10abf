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

size_t outname_utf8_len(const uint8_t *s, size_t n)
{
	size_t len;
	uint32_t cp, min;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2; cp = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3; cp = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4; cp = s[0] & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}
