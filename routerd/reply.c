/*
 * Reply wrapping; see reply.h.
 *
 * Garlic (ecies.rst 1h and "Garlic Clove"): I2NP Garlic payload is a
 * 4-byte length, the 8-byte tag, then ChaCha20-Poly1305 with the
 * one-time key, nonce 0 and the tag as associated data over one Garlic
 * Clove block: type 11, 2-byte size, delivery instructions "local" (one
 * zero byte), the message's type, ID and expiration (seconds), and its
 * payload.
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

	if (!rt->aead) {
		if (rt->tunnel == 0) {
			*type = h.type;
			return wbuf_put_bytes(out, payload, len);
		}
		*type = I2NP_TUNNEL_GATEWAY;
		return wrap_tunnel(out, rt->tunnel, &h, payload, len);
	}
	if (rt->tunnel == 0) {
		*type = I2NP_GARLIC;
		return wrap_garlic(out, rt, &h, payload, len);
	}
	if (wbuf_init_dynamic(&g, len + 64, I2NP_MAX_PAYLOAD) == -1)
		return -1;
	rv = wrap_garlic(&g, rt, &h, payload, len);
	h.type = I2NP_GARLIC;
	crypto_random_fill(&h.msg_id, sizeof(h.msg_id));
	if (rv == 0)
		rv = wrap_tunnel(out, rt->tunnel, &h, wbuf_data(&g),
		    wbuf_len(&g));
	wbuf_free(&g);
	*type = I2NP_TUNNEL_GATEWAY;
	return rv;
}
