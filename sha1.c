/* sha1.c - SHA-1 (FIPS 180-4), one buffer at a time */
#include <string.h>

#include "sha1.h"

static uint32_t rol32(uint32_t v, unsigned n)
{
	return v << n | v >> (32 - n);
}

static uint32_t get_be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32_at(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* f(t) and K(t) of the four 20-round stages */
static uint32_t stage_mix(unsigned t, uint32_t b, uint32_t c, uint32_t d, uint32_t *k)
{
	if (t < 20) {
		*k = 0x5a827999u;
		return (b & c) | (~b & d);
	}
	if (t < 40) {
		*k = 0x6ed9eba1u;
		return b ^ c ^ d;
	}
	if (t < 60) {
		*k = 0x8f1bbcdcu;
		return (b & c) | (b & d) | (c & d);
	}
	*k = 0xca62c1d6u;
	return b ^ c ^ d;
}

static void compress_block(uint32_t h[5], const uint8_t block[64])
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

	for (unsigned t = 0; t < 16; t++)
		w[t] = get_be32_at(block + 4 * t);
	for (unsigned t = 16; t < 80; t++)
		w[t] = rol32(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
	for (unsigned t = 0; t < 80; t++) {
		uint32_t k, f = stage_mix(t, b, c, d, &k);
		uint32_t next = rol32(a, 5) + f + e + k + w[t];

		e = d;
		d = c;
		c = rol32(b, 30);
		b = a;
		a = next;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void sha1_digest(const void *data, size_t len, uint8_t out[SHA1_DIGEST_BYTES])
{
	uint32_t h[5] = { 0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u };
	const uint8_t *p = data;
	uint64_t bits = (uint64_t)len * 8;
	uint8_t tail[128];
	size_t rest, tail_len;

	for (; len >= 64; p += 64, len -= 64)
		compress_block(h, p);
	/* the last bytes, a 1 bit, zeros and the length fill one or two blocks */
	rest = len;
	memset(tail, 0, sizeof(tail));
	if (rest)
		memcpy(tail, p, rest);
	tail[rest] = 0x80;
	tail_len = rest + 1 + 8 <= 64 ? 64 : 128;
	for (unsigned i = 0; i < 8; i++)
		tail[tail_len - 1 - i] = (uint8_t)(bits >> (8 * i));
	compress_block(h, tail);
	if (tail_len == 128)
		compress_block(h, tail + 64);
	for (unsigned i = 0; i < 5; i++)
		put_be32_at(out + 4 * i, h[i]);
}
