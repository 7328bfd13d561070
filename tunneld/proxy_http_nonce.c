/*
 * The address helper's confirmation (naming.html "Addresshelper"): a
 * page may link to name.i2p/?i2paddresshelper=DEST, but only the user,
 * on our confirmation page, may add the name.  The page's form carries
 * a nonce that no other page can know: HMAC-SHA256 under a per-process
 * random key over the name, the destination's hash and the minute it
 * was made.  A confirm is accepted for 10 minutes (PROXY_HTTP_NONCE_SPAN
 * buckets of PROXY_HTTP_NONCE_BUCKET seconds) and only for that name and
 * destination.  The key dies with the process: a restart voids every
 * open confirmation page, which costs a user one more click at most.
 *
 * A nonce is 8 hex digits of the minute, then 64 of the HMAC.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "proxy_http.h"

#define NAME_LEN_MAX	255

int
phttp_nonce_key_init(struct phttp_nonce_key *k)
{
	return crypto_random(k->key, sizeof(k->key));
}

void
phttp_nonce_key_wipe(struct phttp_nonce_key *k)
{
	crypto_wipe(k->key, sizeof(k->key));
}

/* HMAC over: name length (1 byte), name, hash, bucket (4 bytes) */
static int
nonce_mac(const struct phttp_nonce_key *k, const char *name,
    const uint8_t hash[I2P_HASH_LEN], uint32_t bucket,
    uint8_t mac[HMAC_SHA256_LEN])
{
	uint8_t		 msg[1 + NAME_LEN_MAX + I2P_HASH_LEN + 4];
	struct wbuf	 w;
	size_t		 n = strlen(name);

	if (n > NAME_LEN_MAX)
		return -1;
	wbuf_init_fixed(&w, msg, sizeof(msg));
	wbuf_put_u8(&w, n);
	wbuf_put_bytes(&w, name, n);
	wbuf_put_bytes(&w, hash, I2P_HASH_LEN);
	wbuf_put_u32(&w, bucket);
	if (wbuf_error(&w))
		return -1;
	return hmac_sha256(mac, k->key, sizeof(k->key), msg, wbuf_len(&w));
}

static uint32_t
bucket_of(time_t now)
{
	return (uint64_t)now / PROXY_HTTP_NONCE_BUCKET;
}

int
phttp_nonce_make(const struct phttp_nonce_key *k, const char *name,
    const uint8_t hash[I2P_HASH_LEN], time_t now, char *out, size_t outsz)
{
	uint8_t		 mac[HMAC_SHA256_LEN];
	uint32_t	 b = bucket_of(now);
	size_t		 i;

	if (now < 0 || outsz < PROXY_HTTP_NONCE_SZ ||
	    nonce_mac(k, name, hash, b, mac) == -1)
		return -1;
	snprintf(out, outsz, "%08x", b);
	for (i = 0; i < sizeof(mac); i++)
		snprintf(out + 8 + 2 * i, outsz - 8 - 2 * i, "%02x", mac[i]);
	return 0;
}

/* we write lower case: one nonce has one spelling */
static int
hexval(uint8_t c)
{
	return c >= 'A' && c <= 'F' ? -1 : phttp_hexval(c);
}

/* lower-case hex of n bytes from rb into out */
static int
get_hex(struct rbuf *rb, uint8_t *out, size_t n)
{
	uint8_t	 c[2];
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (rbuf_get_bytes(rb, c, 2) == -1 || hexval(c[0]) < 0 ||
		    hexval(c[1]) < 0)
			return -1;
		out[i] = hexval(c[0]) * 16 + hexval(c[1]);
	}
	return 0;
}

int
phttp_nonce_check(const struct phttp_nonce_key *k, const char *name,
    const uint8_t hash[I2P_HASH_LEN], time_t now, const char *nonce)
{
	uint8_t		 got[HMAC_SHA256_LEN], want[HMAC_SHA256_LEN], b[4];
	struct rbuf	 rb;
	uint32_t	 bucket, cur = bucket_of(now);
	int		 ok;

	rbuf_init(&rb, nonce, strlen(nonce));
	if (now < 0 || get_hex(&rb, b, sizeof(b)) == -1 ||
	    get_hex(&rb, got, sizeof(got)) == -1 || rbuf_end(&rb) == -1)
		return -1;
	bucket = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	/* not from the future, not older than the span */
	if (bucket > cur || cur - bucket >= PROXY_HTTP_NONCE_SPAN)
		return -1;
	if (nonce_mac(k, name, hash, bucket, want) == -1)
		return -1;
	ok = crypto_memcmp(got, want, sizeof(got)) == 0;
	crypto_wipe(want, sizeof(want));
	return ok ? 0 : -1;
}
