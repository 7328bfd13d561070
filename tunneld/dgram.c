/*
 * Datagram1 and raw datagrams: building and reading (see dgram.h).
 */
#include <string.h>

#include "dgram.h"

/* the payload, or for DSA_SHA1 alone its digest (datagrams.rst) */
static int
signed_bytes(uint16_t sigtype, const uint8_t *payload, size_t len,
    uint8_t digest[SHA256_LEN], const uint8_t **msg, size_t *msglen,
    struct i2p_err *err)
{
	if (sigtype != SIGTYPE_DSA_SHA1) {
		*msg = payload;
		*msglen = len;
		return 0;
	}
	if (sha256(digest, payload, len) == -1)
		return i2p_seterr(err, I2PE_INTERNAL, 0, "datagram digest");
	*msg = digest;
	*msglen = SHA256_LEN;
	return 0;
}

int
dgram1_tosign(const struct i2p_ident *from, const uint8_t *payload,
    size_t len, uint8_t digest[SHA256_LEN], const uint8_t **msg,
    size_t *msglen, struct i2p_err *err)
{
	if (len > DGRAM1_PAYLOAD_MAX)
		return i2p_seterr(err, I2PE_ARG, 0, "datagram payload");
	return signed_bytes(from->sigtype, payload, len, digest, msg, msglen,
	    err);
}

/* i2cpdata_build's result as an i2p_err */
static int
put_message(struct wbuf *w, const struct i2cpdata_hdr *h,
    enum i2cpdata_mode mode, const struct i2cpdata_part *parts, size_t n,
    struct i2p_err *err)
{
	int	code;

	if (i2cpdata_build(w, h, mode, parts, n, &code) == 0)
		return 0;
	if (code == I2CPD_NOSPACE)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "datagram message");
	return i2p_seterr(err, I2PE_INTERNAL, 0, "datagram message");
}

int
dgram1_build(struct wbuf *w, uint16_t src_port, uint16_t dst_port,
    const struct i2p_ident *from, const uint8_t *sig, size_t siglen,
    const uint8_t *payload, size_t len, struct i2p_err *err)
{
	struct i2cpdata_hdr	 h = { src_port, dst_port,
				    I2CP_PROTO_DATAGRAM };
	struct i2cpdata_part	 parts[3] = {
		{ from->raw, from->rawlen },
		{ sig, siglen },
		{ payload, len },
	};

	if (siglen != ident_siglen(from) || siglen == 0)
		return i2p_seterr(err, I2PE_ARG, 0, "datagram signature");
	if (len > DGRAM1_PAYLOAD_MAX)
		return i2p_seterr(err, I2PE_ARG, 0, "datagram payload");
	return put_message(w, &h, I2CPDATA_COMPRESS, parts, 3, err);
}

int
dgram_raw_build(struct wbuf *w, uint16_t src_port, uint16_t dst_port,
    enum i2cpdata_mode mode, const uint8_t *payload, size_t len,
    struct i2p_err *err)
{
	struct i2cpdata_hdr	 h = { src_port, dst_port, I2CP_PROTO_RAW };
	struct i2cpdata_part	 part = { payload, len };

	if (len > DGRAM_RAW_PAYLOAD_MAX)
		return i2p_seterr(err, I2PE_ARG, 0, "datagram payload");
	return put_message(w, &h, mode, &part, 1, err);
}

/* from || signature || payload, the signature checked */
static int
dgram1_parse(struct dgram *d, const uint8_t *buf, size_t len,
    struct i2p_err *err)
{
	struct rbuf	 r;
	const uint8_t	*sig, *msg = NULL;
	uint8_t		 digest[SHA256_LEN];
	size_t		 siglen, msglen = 0;

	rbuf_init(&r, buf, len);
	if (ident_parse(&d->from, &r, IDENT_DEST, err) == -1)
		return -1;
	siglen = ident_siglen(&d->from);
	if (rbuf_get_ptr(&r, &sig, siglen) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "datagram");
	d->len = rbuf_left(&r);
	rbuf_get_ptr(&r, &d->payload, d->len);
	/* others may send more than DGRAM1_PAYLOAD_MAX: not tosign */
	if (signed_bytes(d->from.sigtype, d->payload, d->len, digest, &msg,
	    &msglen, err) == -1)
		return -1;
	return ident_verify(&d->from, msg, msglen, sig, siglen, err);
}

int
dgram_parse(struct dgram *d, const struct i2cpdata_hdr *h,
    const uint8_t *buf, size_t len, struct i2p_err *err)
{
	memset(d, 0, sizeof(*d));
	d->proto = h->proto;
	d->src_port = h->src_port;
	d->dst_port = h->dst_port;
	if (len > DGRAM_MAX)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "datagram");
	switch (h->proto) {
	case I2CP_PROTO_DATAGRAM:
		if (dgram1_parse(d, buf, len, err) == 0)
			return 0;
		/* nothing unverified for a careless caller */
		d->payload = NULL;
		d->len = 0;
		return -1;
	case I2CP_PROTO_RAW:
		d->payload = buf;
		d->len = len;
		return 0;
	}
	return i2p_seterr(err, I2PE_FIELD, h->proto, "datagram protocol");
}
