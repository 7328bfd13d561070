/*
 * The I2NP message header (i2np.rst, I2NP message header): the 16-byte
 * standard form and the 9-byte short form of NTCP2, SSU2 and ECIES
 * garlic cloves.  The message types themselves are parsed elsewhere.
 */
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"

static const char *const i2np_names[] = {
	[I2NP_DATABASE_STORE] = "DatabaseStore",
	[I2NP_DATABASE_LOOKUP] = "DatabaseLookup",
	[I2NP_DATABASE_SEARCH_REPLY] = "DatabaseSearchReply",
	[I2NP_DELIVERY_STATUS] = "DeliveryStatus",
	[I2NP_GARLIC] = "Garlic",
	[I2NP_TUNNEL_DATA] = "TunnelData",
	[I2NP_TUNNEL_GATEWAY] = "TunnelGateway",
	[I2NP_DATA] = "Data",
	[I2NP_TUNNEL_BUILD] = "TunnelBuild",
	[I2NP_TUNNEL_BUILD_REPLY] = "TunnelBuildReply",
	[I2NP_VARIABLE_TUNNEL_BUILD] = "VariableTunnelBuild",
	[I2NP_VARIABLE_TUNNEL_BUILD_REPLY] = "VariableTunnelBuildReply",
	[I2NP_SHORT_TUNNEL_BUILD] = "ShortTunnelBuild",
	[I2NP_OUTBOUND_TUNNEL_BUILD_REPLY] = "OutboundTunnelBuildReply",
};

const char *
i2np_type_name(unsigned type)
{
	if (type >= sizeof(i2np_names) / sizeof(i2np_names[0]))
		return NULL;
	return i2np_names[type];
}

int
i2np_checksum(const void *payload, size_t len, uint8_t *chks)
{
	uint8_t	 h[SHA256_LEN];

	if (sha256(h, payload, len) == -1)
		return -1;
	*chks = h[0];
	return 0;
}

int
i2np_hdr_parse_long(struct i2np_hdr *h, struct rbuf *r, struct i2p_err *err)
{
	memset(h, 0, sizeof(*h));
	if (rbuf_get_u8(r, &h->type) == -1 ||
	    rbuf_get_u32(r, &h->msg_id) == -1 ||
	    rbuf_get_u64(r, &h->expiration) == -1 ||
	    rbuf_get_u16(r, &h->size) == -1 ||
	    rbuf_get_u8(r, &h->chks) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "I2NP header");
	return 0;
}

int
i2np_hdr_parse_short(struct i2np_hdr *h, struct rbuf *r, struct i2p_err *err)
{
	uint32_t	 exp;

	memset(h, 0, sizeof(*h));
	if (rbuf_get_u8(r, &h->type) == -1 ||
	    rbuf_get_u32(r, &h->msg_id) == -1 ||
	    rbuf_get_u32(r, &exp) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "I2NP header");
	h->expiration = (uint64_t)exp * 1000;
	return 0;
}

int
i2np_hdr_write_long(const struct i2np_hdr *h, struct wbuf *w)
{
	wbuf_put_u8(w, h->type);
	wbuf_put_u32(w, h->msg_id);
	wbuf_put_u64(w, h->expiration);
	wbuf_put_u16(w, h->size);
	return wbuf_put_u8(w, h->chks);
}

int
i2np_hdr_write_short(const struct i2np_hdr *h, struct wbuf *w)
{
	/* seconds in 32 bits: wraps in 2106, refuse rather than wrap */
	if (h->expiration / 1000 > UINT32_MAX)
		return -1;
	wbuf_put_u8(w, h->type);
	wbuf_put_u32(w, h->msg_id);
	return wbuf_put_u32(w, h->expiration / 1000);
}

int
i2np_msg_parse_long(struct i2np_hdr *h, struct rbuf *payload,
    const void *data, size_t len, struct i2p_err *err)
{
	struct rbuf	 r;

	rbuf_init(&r, data, len);
	rbuf_init(payload, NULL, 0);
	if (i2np_hdr_parse_long(h, &r, err) == -1)
		return -1;
	if (rbuf_left(&r) < h->size)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "I2NP message");
	if (rbuf_left(&r) > h->size)
		return i2p_seterr(err, I2PE_TRAILING, 0, "I2NP message");
	rbuf_sub(&r, payload, h->size);
	return 0;
}

int
i2np_msg_parse_short(struct i2np_hdr *h, struct rbuf *payload,
    const void *data, size_t len, struct i2p_err *err)
{
	struct rbuf	 r;

	rbuf_init(&r, data, len);
	rbuf_init(payload, NULL, 0);
	if (i2np_hdr_parse_short(h, &r, err) == -1)
		return -1;
	if (rbuf_left(&r) > I2NP_MAX_PAYLOAD)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "I2NP message");
	h->size = rbuf_left(&r);
	rbuf_sub(&r, payload, h->size);
	return 0;
}

int
i2np_msg_write_long(struct i2np_hdr *h, const void *payload, size_t len,
    struct wbuf *w)
{
	if (len > I2NP_MAX_PAYLOAD ||
	    i2np_checksum(payload, len, &h->chks) == -1)
		return -1;
	h->size = len;
	i2np_hdr_write_long(h, w);
	return wbuf_put_bytes(w, payload, len);
}

int
i2np_msg_write_short(struct i2np_hdr *h, const void *payload, size_t len,
    struct wbuf *w)
{
	if (len > I2NP_MAX_PAYLOAD)
		return -1;
	h->size = len;
	if (i2np_hdr_write_short(h, w) == -1)
		return -1;
	return wbuf_put_bytes(w, payload, len);
}

int
i2np_expired(const struct i2np_hdr *h, uint64_t now_ms)
{
	return now_ms > I2NP_SKEW_MS && h->expiration < now_ms - I2NP_SKEW_MS;
}
