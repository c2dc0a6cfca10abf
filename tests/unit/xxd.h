/* xxd.h - expand the reference transcripts' hexdumps into bytes (tests) */
#ifndef MDADM_TEST_XXD_H
#define MDADM_TEST_XXD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- xxd text expander (test helper) ------------------------------------
 * Understands `xxd -o OFF` output with repeated lines collapsed to "*", as
 * in the reference transcripts. Fills buf, which holds bytes
 * [base, base + len); returns the number of bytes covered, 0 on error. */
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int parse_line(const char *p, uint64_t *addr, uint8_t row[16])
{
	char *end;

	*addr = strtoull(p, &end, 16);
	if (end == p || end[0] != ':' || end[1] != ' ')
		return -1;
	p = end + 2;
	for (int i = 0; i < 16; i++) {
		int hi = hexval(p[0]), lo = hexval(p[1]);

		if (hi < 0 || lo < 0)
			return -1;
		row[i] = (uint8_t)(hi << 4 | lo);
		p += 2;
		if (i % 2 == 1)
			p++;   /* space after each group of two bytes */
	}
	return 0;
}

static int put_row(uint8_t *buf, size_t len, uint64_t base, uint64_t addr,
		   const uint8_t row[16])
{
	if (addr < base || addr - base + 16 > len)
		return -1;
	memcpy(buf + (addr - base), row, 16);
	return 0;
}

static size_t xxd_expand(const char *text, uint64_t base, uint8_t *buf,
			 size_t len)
{
	uint8_t row[16], prev[16] = { 0 };
	uint64_t addr, next = base;
	int repeat = 0;
	const char *p = text;

	while (*p) {
		if (*p == '*') {
			repeat = 1;
		} else {
			if (parse_line(p, &addr, row))
				return 0;
			for (; repeat && next < addr; next += 16)
				if (put_row(buf, len, base, next, prev))
					return 0;
			if (addr != next || put_row(buf, len, base, addr, row))
				return 0;
			memcpy(prev, row, 16);
			next = addr + 16;
			repeat = 0;
		}
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return (size_t)(next - base);
}

#endif
