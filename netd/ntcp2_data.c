/*
 * NTCP2 data phase (ntcp2.rst "Data Phase"): frames and the blocks
 * inside them.
 *
 * A frame is a 2-byte length, obfuscated with SipHash as in obfs4, then
 * one ChaCha20-Poly1305 AEAD with no associated data and a per-direction
 * counter as nonce.  The length mask is the low 16 bits of the next IV,
 * IV[n] = SipHash-2-4(k1, k2, IV[n-1]), taken as a little-endian 64-bit
 * number; the masked length is sent big-endian.  This is i2pd's
 * htobe16(len ^ le16toh(iv)), not a bytewise XOR of the IV's first two
 * bytes into the wire bytes.
 */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "ntcp2.h"

/* largest block body: a frame's plaintext less one block header */
#define NTCP2_BLOCK_MAX		(NTCP2_FRAME_MAX - POLY1305_TAG_LEN - 3)
#define NTCP2_PLAIN_MAX		(NTCP2_FRAME_MAX - POLY1305_TAG_LEN)
#define DATETIME_LEN		4
#define TERMINATION_MIN		9	/* frames received, reason */
#define OPTIONS_MIN		12	/* tmin ... rdelay */
#define I2NP_MIN		9	/* the short I2NP header */

/* advances the IV and gives the next length mask */
static uint16_t
sip_next(struct ntcp2_dir *d)
{
	struct wbuf	 w;
	uint64_t	 iv;

	iv = siphash24(d->sip, d->sip_iv, sizeof(d->sip_iv));
	wbuf_init_fixed(&w, d->sip_iv, sizeof(d->sip_iv));
	wbuf_put_u64le(&w, iv);
	return (uint16_t)iv;
}

int
ntcp2_frame_len(struct ntcp2_dir *d, const uint8_t hdr[2], size_t *len)
{
	struct rbuf	 r;
	uint16_t	 v;

	rbuf_init(&r, hdr, 2);
	if (rbuf_get_u16(&r, &v) == -1)
		return NTCP2_ERROR;
	v ^= sip_next(d);
	/* shorter than a tag: treated as an AEAD failure (ntcp2.rst) */
	if (v < POLY1305_TAG_LEN)
		return NTCP2_ERROR;
	*len = v;
	return NTCP2_OK;
}

int
ntcp2_frame_open(struct ntcp2_dir *d, uint8_t *buf, size_t len,
    size_t *plen)
{
	/* nonce 2^64 - 1 must never be used: the session is over */
	if (len < POLY1305_TAG_LEN || len > NTCP2_FRAME_MAX ||
	    d->n == UINT64_MAX)
		return NTCP2_ERROR;
	if (chachapoly_decrypt(buf, d->k, d->n, NULL, 0, buf, len) == -1)
		return NTCP2_ERROR;
	d->n++;
	*plen = len - POLY1305_TAG_LEN;
	return NTCP2_OK;
}

int
ntcp2_frame_seal(struct ntcp2_dir *d, const uint8_t *p, size_t plen,
    struct wbuf *out)
{
	size_t		 off;
	uint16_t	 len;

	if (plen > NTCP2_PLAIN_MAX || d->n == UINT64_MAX)
		return NTCP2_ERROR;
	len = plen + POLY1305_TAG_LEN;
	/* room first: neither the nonce nor the IV moves on failure */
	if (wbuf_reserve(out, 2 + len, &off) == -1)
		return NTCP2_ERROR;
	if (chachapoly_encrypt(out->data + off + 2, d->k, d->n, NULL, 0, p,
	    plen) == -1) {
		out->err = 1;
		return NTCP2_ERROR;
	}
	d->n++;
	return wbuf_set_u16(out, off, len ^ sip_next(d));
}

void
ntcp2_session_wipe(struct ntcp2_session *s)
{
	crypto_wipe(s, sizeof(*s));
}

/*
 * Blocks: type (1), size (2, big-endian), body.
 */

static int
put_hdr(struct wbuf *w, uint8_t type, size_t len)
{
	if (len > NTCP2_BLOCK_MAX) {
		w->err = 1;
		return -1;
	}
	wbuf_put_u8(w, type);
	return wbuf_put_u16(w, len);
}

int
ntcp2_put_datetime(struct wbuf *w, uint32_t t)
{
	put_hdr(w, NTCP2_B_DATETIME, DATETIME_LEN);
	return wbuf_put_u32(w, t);
}

int
ntcp2_put_routerinfo(struct wbuf *w, const uint8_t *ri, size_t len,
    int flood)
{
	/* the flag byte: bit 0 asks a floodfill to flood it */
	if (len > NTCP2_BLOCK_MAX - 1) {
		w->err = 1;
		return -1;
	}
	put_hdr(w, NTCP2_B_ROUTERINFO, 1 + len);
	wbuf_put_u8(w, flood ? 1 : 0);
	return wbuf_put_bytes(w, ri, len);
}

int
ntcp2_put_i2np(struct wbuf *w, const uint8_t *msg, size_t len)
{
	if (len < I2NP_MIN) {
		w->err = 1;
		return -1;
	}
	put_hdr(w, NTCP2_B_I2NP, len);
	return wbuf_put_bytes(w, msg, len);
}

int
ntcp2_put_termination(struct wbuf *w, uint64_t frames, uint8_t reason)
{
	put_hdr(w, NTCP2_B_TERMINATION, TERMINATION_MIN);
	wbuf_put_u64(w, frames);
	return wbuf_put_u8(w, reason);
}

/* zeros: the padding is inside the AEAD, so its content never shows */
int
ntcp2_put_padding(struct wbuf *w, size_t len)
{
	put_hdr(w, NTCP2_B_PADDING, len);
	return wbuf_put_zero(w, len);
}

/*
 * A block's size fits its type, and the order rules hold: Termination
 * is last but for Padding, Padding is last (so there is at most one).
 * Unknown types are allowed, to be ignored as padding.
 */
static int
block_ok(uint8_t type, size_t len, int after_term, size_t left)
{
	if (after_term && type != NTCP2_B_PADDING)
		return 0;
	switch (type) {
	case NTCP2_B_DATETIME:
		return len == DATETIME_LEN;
	case NTCP2_B_OPTIONS:
		return len >= OPTIONS_MIN;
	case NTCP2_B_ROUTERINFO:
		return len >= 1;
	case NTCP2_B_I2NP:
		return len >= I2NP_MIN;
	case NTCP2_B_TERMINATION:
		return len >= TERMINATION_MIN;
	case NTCP2_B_PADDING:
		return left == 0;
	default:
		return 1;
	}
}

/* the next block, or -1 if it does not fit the frame */
static int
block_next(struct rbuf *r, uint8_t *type, const uint8_t **body,
    uint16_t *len)
{
	if (rbuf_get_u8(r, type) == -1 || rbuf_get_u16(r, len) == -1 ||
	    rbuf_get_ptr(r, body, *len) == -1)
		return -1;
	return 0;
}

/*
 * Two passes: the whole frame is checked before cb sees any block, so
 * a frame that turns out malformed delivers nothing.
 */
int
ntcp2_blocks(const uint8_t *p, size_t len, ntcp2_block_cb cb, void *arg)
{
	struct rbuf	 r;
	const uint8_t	*body;
	uint8_t		 type;
	uint16_t	 size;
	int		 term = 0, rv;

	rbuf_init(&r, p, len);
	while (rbuf_left(&r) > 0) {
		if (block_next(&r, &type, &body, &size) == -1 ||
		    !block_ok(type, size, term, rbuf_left(&r)))
			return -1;
		if (type == NTCP2_B_TERMINATION)
			term = 1;
	}
	rbuf_init(&r, p, len);
	while (rbuf_left(&r) > 0) {
		if (block_next(&r, &type, &body, &size) == -1)
			return -1;
		if ((rv = cb(arg, type, body, size)) != 0)
			return rv;
	}
	return 0;
}
