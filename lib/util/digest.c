/* digest.c - SHA-256 as hex, computed by Nettle */
#include "config.h"

#include <stdint.h>

#include <nettle/sha2.h>

#include "digest.h"

/* digest_sha256_hex - the SHA-256 of p[0..len) as lower-case hex */
void
digest_sha256_hex(const void *p, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	uint8_t	 d[SHA256_DIGEST_SIZE];
	size_t	 i;

	sha256_init(&ctx);
	sha256_update(&ctx, len, p);
	sha256_digest(&ctx, sizeof(d), d);
	for (i = 0; i < sizeof(d); i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 0xf];
	}
	out[2 * sizeof(d)] = '\0';
}
