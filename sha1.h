/* sha1.h - SHA-1 digest of a buffer (FIPS 180-4)
 *
 * 0.90 metadata marks an array as belonging to a host by storing the first
 * 8 bytes of the SHA-1 of the host name in the last half of its UUID; this
 * is only used to recognise that mark, never for security. */
#ifndef MDADM_SHA1_H
#define MDADM_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_BYTES 20u

void sha1_digest(const void *data, size_t len, uint8_t out[SHA1_DIGEST_BYTES]);

#endif
