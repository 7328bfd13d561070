/*
 * Short tunnel build records: Noise N for the request, ChaCha20-Poly1305
 * for the hop's reply (nonce: the record's index), ChaCha20 over the
 * other records, and the key derivation of "Short Record Specification /
 * KDF".  Requests are parsed through the buffer reader.
 */
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "buildrec.h"

#define MAPPING_MAX	98	/* build options, length field included */

int
brec_find_len(const uint8_t *recs, size_t n, size_t reclen,
    const uint8_t hash[32])
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (memcmp(recs + i * reclen, hash, 16) == 0)
			return i;
	return -1;
}

int
brec_find(const uint8_t *recs, size_t n, const uint8_t hash[32])
{
	return brec_find_len(recs, n, BREC_LEN, hash);
}

const uint8_t *
brec_ephemeral(const uint8_t rec[BREC_LEN])
{
	return rec + 16;
}

static int
kdf(const uint8_t ck[32], const char *info, uint8_t out[64])
{
	return hkdf_sha256(out, 64, ck, 32, NULL, 0, info, strlen(info));
}

/* from the chaining key after the request: the hop's keys */
static int
derive(const struct noise_ss *ss, int obep, struct brec_keys *k)
{
	uint8_t	ck[32], kd[64];
	int	rv = -1;

	memset(k, 0, sizeof(*k));
	memcpy(k->h, ss->h, 32);
	if (kdf(ss->ck, "SMTunnelReplyKey", kd) == -1)
		goto out;
	memcpy(k->reply_key, kd + 32, 32);
	memcpy(ck, kd, 32);
	if (kdf(ck, "SMTunnelLayerKey", kd) == -1)
		goto out;
	memcpy(k->layer_key, kd + 32, 32);
	if (!obep) {
		memcpy(k->iv_key, kd, 32);
		rv = 0;
		goto out;
	}
	memcpy(ck, kd, 32);
	if (kdf(ck, "TunnelLayerIVKey", kd) == -1)
		goto out;
	memcpy(k->iv_key, kd + 32, 32);
	memcpy(ck, kd, 32);
	if (kdf(ck, "RGarlicKeyAndTag", kd) == -1)
		goto out;
	memcpy(k->garlic_key, kd + 32, 32);
	memcpy(k->garlic_tag, kd, 8);
	rv = 0;
out:
	crypto_wipe(ck, sizeof(ck));
	crypto_wipe(kd, sizeof(kd));
	return rv;
}

/* request time to build options: the same in both record formats */
static void
put_req_tail(struct wbuf *w, const struct brec_req *r)
{
	wbuf_put_u32(w, r->request_min);
	wbuf_put_u32(w, r->expiration);
	wbuf_put_u32(w, r->next_msg_id);
	wbuf_put_u16(w, 0);			/* no build options */
}

static void
put_req(struct wbuf *w, const struct brec_req *r)
{
	wbuf_put_u32(w, r->recv_tunnel);
	wbuf_put_u32(w, r->next_tunnel);
	wbuf_put_bytes(w, r->next_hash, 32);
	wbuf_put_u8(w, r->flags);
	wbuf_put_u16(w, 0);			/* more flags */
	wbuf_put_u8(w, r->layer_type);
	put_req_tail(w, r);
}

/*
 * A record: the hop's hash, a fresh ephemeral key, the request under
 * Noise N to the hop's static key; ss is left after the request.
 */
static int
noise_seal(uint8_t *rec, const uint8_t hop_hash[32], const uint8_t hop_pub[32],
    const uint8_t *clear, size_t clearlen, struct noise_ss *ss)
{
	uint8_t	eph[32], shared[32];
	int	rv;

	memset(ss, 0, sizeof(*ss));
	memcpy(rec, hop_hash, 16);
	rv = x25519_keygen(eph, rec + 16) == 0 &&
	    x25519(shared, eph, hop_pub) == 0 &&
	    noise_n_start(ss, hop_pub, rec + 16, shared) == 0 &&
	    noise_encrypt_and_hash(ss, rec + 48, clear, clearlen) == 0 ? 0 : -1;
	crypto_wipe(eph, sizeof(eph));
	crypto_wipe(shared, sizeof(shared));
	return rv;
}

int
brec_seal(uint8_t rec[BREC_LEN], const uint8_t hop_hash[32],
    const uint8_t hop_pub[32], const struct brec_req *r, struct brec_keys *k)
{
	struct noise_ss	 ss;
	struct wbuf	 w;
	uint8_t		 clear[BREC_CLEAR_LEN];
	int		 rv;

	wbuf_init_fixed(&w, clear, sizeof(clear));
	put_req(&w, r);
	crypto_random_fill(clear + wbuf_len(&w), sizeof(clear) - wbuf_len(&w));
	rv = noise_seal(rec, hop_hash, hop_pub, clear, sizeof(clear), &ss) ==
	    0 && derive(&ss, (r->flags & BREC_F_OBEP) != 0, k) == 0 ? 0 : -1;
	noise_wipe(&ss);
	crypto_wipe(clear, sizeof(clear));
	return rv;
}

/* what both record formats require of a request */
static int
check_req(const struct brec_req *r, const char **why)
{
	*why = "tunnel ID 0";
	if (r->recv_tunnel == 0 || r->next_tunnel == 0)
		return -1;
	*why = "both gateway and endpoint";
	return (r->flags & (BREC_F_IBGW | BREC_F_OBEP)) ==
	    (BREC_F_IBGW | BREC_F_OBEP) ? -1 : 0;
}

int
brec_parse(const uint8_t clear[BREC_CLEAR_LEN], struct brec_req *r,
    const char **why)
{
	struct rbuf	 rb;
	uint16_t	 more, maplen;

	memset(r, 0, sizeof(*r));
	rbuf_init(&rb, clear, BREC_CLEAR_LEN);
	rbuf_get_u32(&rb, &r->recv_tunnel);
	rbuf_get_u32(&rb, &r->next_tunnel);
	rbuf_get_bytes(&rb, r->next_hash, 32);
	rbuf_get_u8(&rb, &r->flags);
	rbuf_get_u16(&rb, &more);
	rbuf_get_u8(&rb, &r->layer_type);
	rbuf_get_u32(&rb, &r->request_min);
	rbuf_get_u32(&rb, &r->expiration);
	rbuf_get_u32(&rb, &r->next_msg_id);
	*why = "build options too long";
	if (rbuf_get_u16(&rb, &maplen) == -1 || maplen > MAPPING_MAX - 2 ||
	    rbuf_skip(&rb, maplen) == -1)
		return -1;
	if (check_req(r, why) == -1)
		return -1;
	*why = "layer encryption type not AES";
	return r->layer_type != 0 ? -1 : 0;
}

/* a record's request in the clear: hash, ephemeral key, AEAD */
static int
noise_open(const uint8_t *rec, size_t reclen, const uint8_t our_pub[32],
    const uint8_t shared[32], uint8_t *clear, struct noise_ss *ss)
{
	return noise_n_start(ss, our_pub, rec + 16, shared) == 0 &&
	    noise_decrypt_and_hash(ss, clear, rec + 48, reclen - 48) == 0 ?
	    0 : -1;
}

int
brec_open(const uint8_t rec[BREC_LEN], const uint8_t our_pub[32],
    const uint8_t shared[32], struct brec_req *r, struct brec_keys *k,
    const char **why)
{
	struct noise_ss	 ss;
	uint8_t		 clear[BREC_CLEAR_LEN];
	int		 rv = -1;

	*why = "cannot decrypt the record";
	if (noise_open(rec, BREC_LEN, our_pub, shared, clear, &ss) == -1)
		goto out;
	if (brec_parse(clear, r, why) == -1)
		goto out;
	*why = "key derivation failed";
	if (derive(&ss, (r->flags & BREC_F_OBEP) != 0, k) == -1)
		goto out;
	rv = 0;
out:
	noise_wipe(&ss);
	crypto_wipe(clear, sizeof(clear));
	return rv;
}

static void
nonce(uint8_t n[12], int i)
{
	memset(n, 0, 12);
	n[4] = i;
}

int
brec_reply(uint8_t rec[BREC_LEN], const struct brec_keys *k, int i,
    uint8_t code)
{
	uint8_t	clear[BREC_REPLY_CLEAR_LEN], n[12];

	clear[0] = clear[1] = 0;		/* no reply options */
	crypto_random_fill(clear + 2, sizeof(clear) - 3);
	clear[sizeof(clear) - 1] = code;
	nonce(n, i);
	return chachapoly_encrypt_n(rec, k->reply_key, n, k->h, 32, clear,
	    sizeof(clear));
}

/*
 * The spec says ChaCha20 with the record's nonce; the block counter
 * starts at 1, as in the AEAD's payload, which is what i2pd 2.45.1
 * and the Java router do.
 */
int
brec_mask(uint8_t rec[BREC_LEN], const uint8_t reply_key[32], int i)
{
	uint8_t	n[12];

	nonce(n, i);
	return chacha20(rec, reply_key, n, 1, rec, BREC_LEN);
}

int
brec_reply_open(const uint8_t rec[BREC_LEN], const struct brec_keys *k,
    int i, uint8_t *code)
{
	uint8_t	clear[BREC_REPLY_CLEAR_LEN], n[12];

	nonce(n, i);
	if (chachapoly_decrypt_n(clear, k->reply_key, n, k->h, 32, rec,
	    BREC_LEN) == -1)
		return -1;
	*code = clear[sizeof(clear) - 1];
	return 0;
}

/* long records: the request's fields, then the keys written out */
int
brec_long_parse(const uint8_t clear[BREC_LONG_CLEAR_LEN], struct brec_req *r,
    struct brec_long_keys *k, const char **why)
{
	struct rbuf	 rb;
	uint8_t		 more[3];
	uint16_t	 maplen;

	memset(r, 0, sizeof(*r));
	rbuf_init(&rb, clear, BREC_LONG_CLEAR_LEN);
	rbuf_get_u32(&rb, &r->recv_tunnel);
	rbuf_get_u32(&rb, &r->next_tunnel);
	rbuf_get_bytes(&rb, r->next_hash, 32);
	rbuf_get_bytes(&rb, k->layer_key, 32);
	rbuf_get_bytes(&rb, k->iv_key, 32);
	rbuf_get_bytes(&rb, k->reply_key, 32);
	rbuf_get_bytes(&rb, k->reply_iv, 16);
	rbuf_get_u8(&rb, &r->flags);
	rbuf_get_bytes(&rb, more, sizeof(more));
	rbuf_get_u32(&rb, &r->request_min);
	rbuf_get_u32(&rb, &r->expiration);
	rbuf_get_u32(&rb, &r->next_msg_id);
	*why = "build options too long";
	if (rbuf_get_u16(&rb, &maplen) == -1 || maplen > 294 ||
	    rbuf_skip(&rb, maplen) == -1)
		return -1;
	return check_req(r, why);
}

int
brec_long_open(const uint8_t rec[BREC_LONG_LEN], const uint8_t our_pub[32],
    const uint8_t shared[32], struct brec_req *r, struct brec_long_keys *k,
    const char **why)
{
	struct noise_ss	 ss;
	uint8_t		 clear[BREC_LONG_CLEAR_LEN];
	int		 rv = -1;

	*why = "cannot decrypt the record";
	if (noise_open(rec, BREC_LONG_LEN, our_pub, shared, clear, &ss) == -1)
		goto out;
	if (brec_long_parse(clear, r, k, why) == -1)
		goto out;
	/* the reply: the chaining key, the hash over the request */
	memcpy(k->ck, ss.ck, 32);
	memcpy(k->h, ss.h, 32);
	rv = 0;
out:
	noise_wipe(&ss);
	crypto_wipe(clear, sizeof(clear));
	return rv;
}

int
brec_long_reply(uint8_t rec[BREC_LONG_LEN], const struct brec_long_keys *k,
    uint8_t code)
{
	uint8_t	clear[BREC_LONG_REPLY_LEN], n[12];

	clear[0] = clear[1] = 0;		/* no reply options */
	crypto_random_fill(clear + 2, sizeof(clear) - 3);
	clear[sizeof(clear) - 1] = code;
	memset(n, 0, sizeof(n));
	return chachapoly_encrypt_n(rec, k->ck, n, k->h, 32, clear,
	    sizeof(clear));
}

int
brec_long_mask(uint8_t rec[BREC_LONG_LEN], const struct brec_long_keys *k)
{
	return aes256_cbc_encrypt(rec, k->reply_key, k->reply_iv, rec,
	    BREC_LONG_LEN);
}

/* creator: the long request's fields, the keys written out */
static void
put_long_req(struct wbuf *w, const struct brec_req *r,
    const struct brec_long_keys *k)
{
	wbuf_put_u32(w, r->recv_tunnel);
	wbuf_put_u32(w, r->next_tunnel);
	wbuf_put_bytes(w, r->next_hash, 32);
	wbuf_put_bytes(w, k->layer_key, 32);
	wbuf_put_bytes(w, k->iv_key, 32);
	wbuf_put_bytes(w, k->reply_key, 32);
	wbuf_put_bytes(w, k->reply_iv, 16);
	wbuf_put_u8(w, r->flags);
	wbuf_put_u8(w, 0);			/* more flags */
	wbuf_put_u16(w, 0);
	put_req_tail(w, r);
}

int
brec_long_seal(uint8_t rec[BREC_LONG_LEN], const uint8_t hop_hash[32],
    const uint8_t hop_pub[32], const struct brec_req *r,
    struct brec_long_keys *k)
{
	struct noise_ss	 ss;
	struct wbuf	 w;
	uint8_t		 clear[BREC_LONG_CLEAR_LEN];
	int		 rv;

	crypto_random_fill(k->layer_key, sizeof(k->layer_key));
	crypto_random_fill(k->iv_key, sizeof(k->iv_key));
	crypto_random_fill(k->reply_key, sizeof(k->reply_key));
	crypto_random_fill(k->reply_iv, sizeof(k->reply_iv));
	wbuf_init_fixed(&w, clear, sizeof(clear));
	put_long_req(&w, r, k);
	crypto_random_fill(clear + wbuf_len(&w), sizeof(clear) - wbuf_len(&w));
	rv = noise_seal(rec, hop_hash, hop_pub, clear, sizeof(clear), &ss);
	/* the hop's reply: the chaining key, the hash over the request */
	memcpy(k->ck, ss.ck, 32);
	memcpy(k->h, ss.h, 32);
	noise_wipe(&ss);
	crypto_wipe(clear, sizeof(clear));
	return rv;
}

int
brec_long_unmask(uint8_t rec[BREC_LONG_LEN], const struct brec_long_keys *k)
{
	return aes256_cbc_decrypt(rec, k->reply_key, k->reply_iv, rec,
	    BREC_LONG_LEN);
}

int
brec_long_reply_open(const uint8_t rec[BREC_LONG_LEN],
    const struct brec_long_keys *k, uint8_t *code)
{
	uint8_t	clear[BREC_LONG_REPLY_LEN], n[12];

	memset(n, 0, sizeof(n));
	if (chachapoly_decrypt_n(clear, k->ck, n, k->h, 32, rec,
	    BREC_LONG_LEN) == -1)
		return -1;
	*code = clear[sizeof(clear) - 1];
	return 0;
}
