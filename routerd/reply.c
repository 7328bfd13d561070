/*
 * Reply wrapping; see reply.h.
 *
 * Garlic (ecies.rst 1h and "Garlic Clove"): I2NP Garlic payload is a
 * 4-byte length, the 8-byte tag, then ChaCha20-Poly1305 with the
 * one-time key, nonce 0 and the tag as associated data over one Garlic
 * Clove block: type 11, 2-byte size, delivery instructions "local" (one
 * zero byte), the message's type, ID and expiration (seconds), and its
 * payload.
 * ElGamal/AES (elgamal-aes.html, "Existing Session Message"): the
 * 32-byte session tag, then AES-256-CBC under the session key, IV the
 * first 16 bytes of SHA-256(tag), over: tag count (0), payload size,
 * SHA-256 of the payload, flag (0), the payload, random padding to a
 * whole block.  The payload is a clove set (i2np.rst "Garlic"): one
 * clove (delivery "local", the message with its 16-byte header, clove
 * ID, expiration in ms, null certificate), a null certificate, message
 * ID, expiration.
 * TunnelGateway (i2np.rst): tunnel ID, 2-byte length, the message with
 * its 16-byte header.
 */
#include <string.h>

#include "crypto.h"
#include "reply.h"

#define ECIES_B_GARLIC_CLOVE	11
#define DELIVERY_LOCAL		0x00

static int
wrap_garlic(struct wbuf *out, const struct reply_to *rt,
    const struct i2np_hdr *h, const uint8_t *payload, size_t len)
{
	struct wbuf	 p;
	uint8_t		*ct;
	size_t		 off;
	int		 rv = -1;

	if (wbuf_init_dynamic(&p, len + 32, I2NP_MAX_PAYLOAD) == -1)
		return -1;
	wbuf_put_u8(&p, ECIES_B_GARLIC_CLOVE);
	wbuf_put_u16(&p, 1 + I2NP_SHORT_HDRLEN + len);
	wbuf_put_u8(&p, DELIVERY_LOCAL);
	wbuf_put_u8(&p, h->type);
	wbuf_put_u32(&p, h->msg_id);
	wbuf_put_u32(&p, h->expiration / 1000);
	wbuf_put_bytes(&p, payload, len);
	if (wbuf_error(&p) || 1 + I2NP_SHORT_HDRLEN + len > UINT16_MAX)
		goto out;
	wbuf_put_u32(out, 8 + wbuf_len(&p) + 16);
	wbuf_put_bytes(out, rt->tag, 8);
	if (wbuf_reserve(out, wbuf_len(&p) + 16, &off) == -1)
		goto out;
	ct = (uint8_t *)wbuf_data(out) + off;
	rv = chachapoly_encrypt(ct, rt->key, 0, rt->tag, 8, wbuf_data(&p),
	    wbuf_len(&p));
 out:
	crypto_wipe((void *)wbuf_data(&p), wbuf_len(&p));
	wbuf_free(&p);
	return rv;
}

/* the clove set of one message, for delivery "local" */
static int
aes_cloves(struct wbuf *p, const struct i2np_hdr *inner,
    const uint8_t *payload, size_t len)
{
	static const uint8_t	 null_cert[3];
	struct i2np_hdr		 h = *inner;

	wbuf_put_u8(p, 1);
	wbuf_put_u8(p, DELIVERY_LOCAL);
	if (i2np_msg_write_long(&h, payload, len, p) == -1)
		return -1;
	wbuf_put_u32(p, crypto_random_id());
	wbuf_put_u64(p, h.expiration);
	wbuf_put_bytes(p, null_cert, sizeof(null_cert));
	wbuf_put_bytes(p, null_cert, sizeof(null_cert));
	wbuf_put_u32(p, crypto_random_id());
	wbuf_put_u64(p, h.expiration);
	return wbuf_error(p);
}

/* the AES block around the clove set, padded to whole blocks */
static int
aes_block(struct wbuf *b, const struct wbuf *p)
{
	uint8_t		 hash[32], pad[AES_BLOCK_LEN];
	size_t		 n;

	if (sha256(hash, wbuf_data(p), wbuf_len(p)) == -1)
		return -1;
	wbuf_put_u16(b, 0);
	wbuf_put_u32(b, wbuf_len(p));
	wbuf_put_bytes(b, hash, sizeof(hash));
	wbuf_put_u8(b, 0);
	wbuf_put_bytes(b, wbuf_data(p), wbuf_len(p));
	n = (AES_BLOCK_LEN - wbuf_len(b) % AES_BLOCK_LEN) % AES_BLOCK_LEN;
	crypto_random_fill(pad, n);
	wbuf_put_bytes(b, pad, n);
	return wbuf_error(b);
}

static int
wrap_aes(struct wbuf *out, const struct reply_to *rt,
    const struct i2np_hdr *h, const uint8_t *payload, size_t len)
{
	struct wbuf	 p, b;
	uint8_t		 iv[32], *ct;
	size_t		 off;
	int		 rv = -1;

	if (wbuf_init_dynamic(&p, len + 64, I2NP_MAX_PAYLOAD) == -1)
		return -1;
	if (wbuf_init_dynamic(&b, len + 128, I2NP_MAX_PAYLOAD) == -1) {
		wbuf_free(&p);
		return -1;
	}
	if (aes_cloves(&p, h, payload, len) == -1 || aes_block(&b, &p) == -1 ||
	    sha256(iv, rt->tag, 32) == -1 ||
	    4 + 32 + wbuf_len(&b) > I2NP_MAX_PAYLOAD)
		goto out;
	wbuf_put_u32(out, 32 + wbuf_len(&b));
	wbuf_put_bytes(out, rt->tag, 32);
	if (wbuf_reserve(out, wbuf_len(&b), &off) == -1)
		goto out;
	ct = (uint8_t *)wbuf_data(out) + off;
	rv = aes256_cbc_encrypt(ct, rt->key, iv, wbuf_data(&b), wbuf_len(&b));
 out:
	crypto_wipe((void *)wbuf_data(&p), wbuf_len(&p));
	crypto_wipe((void *)wbuf_data(&b), wbuf_len(&b));
	wbuf_free(&p);
	wbuf_free(&b);
	return rv;
}

static int
wrap_any(struct wbuf *out, const struct reply_to *rt,
    const struct i2np_hdr *h, const uint8_t *payload, size_t len)
{
	return rt->enc == REPLY_AES ? wrap_aes(out, rt, h, payload, len) :
	    wrap_garlic(out, rt, h, payload, len);
}

static int
wrap_tunnel(struct wbuf *out, uint32_t tunnel, struct i2np_hdr *h,
    const uint8_t *payload, size_t len)
{
	if (len + I2NP_LONG_HDRLEN > UINT16_MAX)
		return -1;
	wbuf_put_u32(out, tunnel);
	wbuf_put_u16(out, I2NP_LONG_HDRLEN + len);
	return i2np_msg_write_long(h, payload, len, out);
}

int
reply_wrap(struct wbuf *out, uint8_t *type, const struct reply_to *rt,
    const struct i2np_hdr *inner, const uint8_t *payload, size_t len)
{
	struct i2np_hdr	 h = *inner;
	struct wbuf	 g;
	int		 rv;

	if (rt->enc == REPLY_PLAIN) {
		if (rt->tunnel == 0) {
			*type = h.type;
			return wbuf_put_bytes(out, payload, len);
		}
		*type = I2NP_TUNNEL_GATEWAY;
		return wrap_tunnel(out, rt->tunnel, &h, payload, len);
	}
	if (rt->tunnel == 0) {
		*type = I2NP_GARLIC;
		return wrap_any(out, rt, &h, payload, len);
	}
	if (wbuf_init_dynamic(&g, len + 128, I2NP_MAX_PAYLOAD) == -1)
		return -1;
	rv = wrap_any(&g, rt, &h, payload, len);
	h.type = I2NP_GARLIC;
	crypto_random_fill(&h.msg_id, sizeof(h.msg_id));
	if (rv == 0)
		rv = wrap_tunnel(out, rt->tunnel, &h, wbuf_data(&g),
		    wbuf_len(&g));
	wbuf_free(&g);
	*type = I2NP_TUNNEL_GATEWAY;
	return rv;
}
