/*
 * SSU2 packet headers and their protection (ssu2.rst "Packet Header",
 * "Header Encryption KDF").
 *
 * Bytes 0-7 and 8-15 are XORed with 8 bytes of ChaCha20 keystream
 * each, keyed with k_header_1 and k_header_2, the nonces being the
 * packet's last 24 bytes (12 each; all of it MAC or ciphertext, so the
 * masks change with every packet).  Long headers then have bytes 16-31
 * (with X or Y, 16-63) encrypted with k_header_2 and a zero nonce.
 * i2pd starts every one of these ChaCha20 streams at block counter 1
 * (its ChaCha20 helper, Crypto.cpp), as RFC 7539's AEAD does for the
 * payload; so do we, or nothing would interoperate.
 */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "ssu2.h"

#define MASK_LEN	8
#define IV_LEN		12
#define TAIL_LEN	(2 * IV_LEN)
#define CHACHA_CTR	1	/* as i2pd */

int
ssu2_is_long(uint8_t type)
{
	switch (type) {
	case SSU2_SESSION_REQUEST:
	case SSU2_SESSION_CREATED:
	case SSU2_PEER_TEST:
	case SSU2_RETRY:
	case SSU2_TOKEN_REQUEST:
	case SSU2_HOLE_PUNCH:
		return 1;
	default:
		return 0;
	}
}

/* how many header bytes protection covers: 16, 32, or 64 with X/Y */
static size_t
hdr_span(uint8_t type)
{
	if (type == SSU2_SESSION_REQUEST || type == SSU2_SESSION_CREATED)
		return SSU2_EPH_HDR;
	return ssu2_is_long(type) ? SSU2_LONG_HDR : SSU2_SHORT_HDR;
}

/* the smallest valid packet of a type: its header, 8 bytes, the MAC */
static size_t
min_len(uint8_t type)
{
	return hdr_span(type) + SSU2_PAYLOAD_MIN + POLY1305_TAG_LEN;
}

int
ssu2_hdr_put(struct wbuf *w, const struct ssu2_hdr *h)
{
	wbuf_put_u64(w, h->dst_id);
	wbuf_put_u32(w, h->pkt_num);
	wbuf_put_u8(w, h->type);
	wbuf_put_bytes(w, h->flags, sizeof(h->flags));
	if (ssu2_is_long(h->type)) {
		wbuf_put_u64(w, h->src_id);
		wbuf_put_u64(w, h->token);
	}
	return wbuf_error(w) ? -1 : 0;
}

static int
hdr_get(const uint8_t *p, size_t len, struct ssu2_hdr *h)
{
	struct rbuf	 r;

	memset(h, 0, sizeof(*h));
	rbuf_init(&r, p, len);
	rbuf_get_u64(&r, &h->dst_id);
	rbuf_get_u32(&r, &h->pkt_num);
	rbuf_get_u8(&r, &h->type);
	rbuf_get_bytes(&r, h->flags, sizeof(h->flags));
	if (ssu2_is_long(h->type)) {
		rbuf_get_u64(&r, &h->src_id);
		rbuf_get_u64(&r, &h->token);
	}
	return rbuf_error(&r) ? -1 : 0;
}

/* the two nonces: the packet's last 24 bytes */
static int
tail_ivs(const uint8_t *pkt, size_t len, uint8_t iv1[IV_LEN],
    uint8_t iv2[IV_LEN])
{
	struct rbuf	 r;

	if (len < SSU2_PKT_MIN)
		return -1;
	rbuf_init(&r, pkt, len);
	rbuf_skip(&r, len - TAIL_LEN);
	rbuf_get_bytes(&r, iv1, IV_LEN);
	rbuf_get_bytes(&r, iv2, IV_LEN);
	return rbuf_end(&r);
}

/* 8 bytes of keystream at counter 1 */
static int
mask(uint8_t m[MASK_LEN], const uint8_t k[32], const uint8_t iv[IV_LEN])
{
	static const uint8_t	 zero[MASK_LEN];

	return chacha20(m, k, iv, CHACHA_CTR, zero, MASK_LEN);
}

static void
xor8(uint8_t *dst, const uint8_t m[MASK_LEN])
{
	size_t	 i;

	for (i = 0; i < MASK_LEN; i++)
		dst[i] ^= m[i];
}

/* XOR both masks into hdr[0..15], the 16 bytes at the packet's start */
static int
mask16(uint8_t hdr[SSU2_SHORT_HDR], const uint8_t *pkt, size_t len,
    const uint8_t k1[32], const uint8_t k2[32])
{
	uint8_t	 iv1[IV_LEN], iv2[IV_LEN], m1[MASK_LEN], m2[MASK_LEN];

	if (tail_ivs(pkt, len, iv1, iv2) == -1 || mask(m1, k1, iv1) == -1 ||
	    mask(m2, k2, iv2) == -1)
		return -1;
	xor8(hdr, m1);
	xor8(hdr + MASK_LEN, m2);
	return 0;
}

/* bytes 16 onwards of a long header: ChaCha20, zero nonce */
static int
crypt_rest(uint8_t *out, const uint8_t *in, size_t n, const uint8_t k2[32])
{
	static const uint8_t	 nonce[CHACHA_NONCE_LEN];

	return chacha20(out, k2, nonce, CHACHA_CTR, in, n);
}

int
ssu2_hdr_seal(uint8_t *pkt, size_t len, const uint8_t k1[32],
    const uint8_t k2[32])
{
	struct ssu2_hdr	 h;
	uint8_t		 hdr[SSU2_EPH_HDR];
	size_t		 span;

	if (len < SSU2_PKT_MIN || hdr_get(pkt, len, &h) == -1 ||
	    len < min_len(h.type))
		return -1;
	span = hdr_span(h.type);
	memcpy(hdr, pkt, span);
	if (span > SSU2_SHORT_HDR && crypt_rest(hdr + SSU2_SHORT_HDR,
	    hdr + SSU2_SHORT_HDR, span - SSU2_SHORT_HDR, k2) == -1)
		return -1;
	/* the masks come from the tail, which no step here changes */
	if (mask16(hdr, pkt, len, k1, k2) == -1)
		return -1;
	memcpy(pkt, hdr, span);
	crypto_wipe(hdr, sizeof(hdr));
	return 0;
}

/* the message type, byte 12, of an unmasked header */
static uint8_t
hdr_type(const uint8_t plain[SSU2_SHORT_HDR])
{
	struct rbuf	 r;
	uint8_t		 type = 0;

	rbuf_init(&r, plain, SSU2_SHORT_HDR);
	rbuf_skip(&r, 12);
	rbuf_get_u8(&r, &type);
	return type;
}

int
ssu2_hdr_open(const uint8_t *pkt, size_t len, const uint8_t k1[32],
    const uint8_t k2[32], uint8_t plain[SSU2_EPH_HDR], struct ssu2_hdr *h)
{
	struct rbuf	 r;
	uint8_t		 type;
	size_t		 span;

	rbuf_init(&r, pkt, len);
	if (len < SSU2_PKT_MIN || rbuf_get_bytes(&r, plain, SSU2_SHORT_HDR)
	    == -1 || mask16(plain, pkt, len, k1, k2) == -1)
		return -1;
	type = hdr_type(plain);
	span = hdr_span(type);
	if (len < min_len(type))
		return -1;
	if (span > SSU2_SHORT_HDR && (rbuf_get_bytes(&r,
	    plain + SSU2_SHORT_HDR, span - SSU2_SHORT_HDR) == -1 ||
	    crypt_rest(plain + SSU2_SHORT_HDR, plain + SSU2_SHORT_HDR,
	    span - SSU2_SHORT_HDR, k2) == -1))
		return -1;
	if (hdr_get(plain, span, h) == -1)
		return -1;
	return (int)span;
}

int
ssu2_hdr_peek_id(const uint8_t *pkt, size_t len, const uint8_t k1[32],
    uint64_t *dst_id)
{
	struct rbuf	 r;
	uint8_t		 iv1[IV_LEN], iv2[IV_LEN], m[MASK_LEN], id[MASK_LEN];

	rbuf_init(&r, pkt, len);
	if (tail_ivs(pkt, len, iv1, iv2) == -1 || mask(m, k1, iv1) == -1 ||
	    rbuf_get_bytes(&r, id, sizeof(id)) == -1)
		return -1;
	xor8(id, m);
	rbuf_init(&r, id, sizeof(id));
	return rbuf_get_u64(&r, dst_id);
}
