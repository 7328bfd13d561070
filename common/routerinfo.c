/*
 * RouterAddress and RouterInfo (common-structures.rst).
 *
 * Strict where the spec allows it without losing real RouterInfos:
 * mappings must be sorted without duplicates (i2pd and Java both write
 * them sorted, as signed mappings must be), the unused peer list must be
 * empty, and nothing may follow the signature.  The size limit is
 * i2pd's (3072 bytes), so that what we accept i2pd accepts too.
 */
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"

int
ra_parse(struct router_address *ra, struct rbuf *r, struct i2p_err *err)
{
	uint8_t	 n;

	memset(ra, 0, sizeof(*ra));
	if (rbuf_get_u8(r, &ra->cost) == -1 ||
	    rbuf_get_u64(r, &ra->expiration) == -1 ||
	    rbuf_get_u8(r, &n) == -1 || rbuf_get_bytes(r, ra->style, n) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "RouterAddress");
	if (memchr(ra->style, '\0', n) != NULL)
		return i2p_seterr(err, I2PE_STRING, 0, "RouterAddress");
	ra->style[n] = '\0';
	if (mapping_parse(&ra->options, r, MAPPING_SORTED, err) == -1) {
		if (err != NULL && err->code == I2PE_TRUNCATED)
			err->where = "RouterAddress";
		return -1;
	}
	return 0;
}

int
ra_write(const struct router_address *ra, struct wbuf *w)
{
	wbuf_put_u8(w, ra->cost);
	wbuf_put_u64(w, ra->expiration);
	wbuf_put_str8(w, ra->style);
	return mapping_write(&ra->options, w);
}

/* the fields after the identity, up to the signature */
static int
ri_parse_fields(struct router_info *ri, struct rbuf *r, struct i2p_err *err)
{
	uint8_t	 npeers;
	size_t	 i;

	if (rbuf_get_u64(r, &ri->published) == -1 ||
	    rbuf_get_u8(r, &ri->naddrs) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "RouterInfo");
	if (ri->naddrs > RI_MAX_ADDRS)
		return i2p_seterr(err, I2PE_TOO_MANY, 0, "RouterInfo");
	for (i = 0; i < ri->naddrs; i++)
		if (ra_parse(&ri->addrs[i], r, err) == -1)
			return -1;
	if (rbuf_get_u8(r, &npeers) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "RouterInfo");
	/* "unused, always zero"; refusing it keeps ri_write_body exact */
	if (npeers != 0)
		return i2p_seterr(err, I2PE_FIELD, 0, "RouterInfo peers");
	return mapping_parse(&ri->options, r, MAPPING_SORTED, err);
}

int
ri_parse(struct router_info *ri, const void *data, size_t len,
    struct i2p_err *err)
{
	struct rbuf	 r;

	memset(ri, 0, sizeof(*ri));
	if (len > RI_MAXLEN)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "RouterInfo");
	rbuf_init(&r, data, len);
	if (ident_parse(&ri->ident, &r, IDENT_ROUTER, err) == -1 ||
	    ri_parse_fields(ri, &r, err) == -1)
		goto bad;
	ri->signedlen = len - rbuf_left(&r);
	ri->siglen = ident_siglen(&ri->ident);
	if (rbuf_get_bytes(&r, ri->sig, ri->siglen) == -1) {
		i2p_seterr(err, I2PE_TRUNCATED, 0, "RouterInfo signature");
		goto bad;
	}
	if (rbuf_end(&r) == -1) {
		i2p_seterr(err, I2PE_TRAILING, 0, "RouterInfo");
		goto bad;
	}
	memcpy(ri->raw, data, len);
	ri->rawlen = len;
	return 0;
 bad:
	memset(ri, 0, sizeof(*ri));
	return -1;
}

int
ri_verify(const struct router_info *ri, struct i2p_err *err)
{
	if (ri->rawlen == 0 || ri->signedlen >= ri->rawlen)
		return i2p_seterr(err, I2PE_ARG, 0, "RouterInfo");
	if (ident_verify(&ri->ident, ri->raw, ri->signedlen, ri->sig,
	    ri->siglen, err) == -1) {
		if (err != NULL)
			err->where = "RouterInfo";
		return -1;
	}
	return 0;
}

int
ri_write_body(const struct router_info *ri, struct wbuf *w)
{
	size_t	 i;

	if (ri->naddrs > RI_MAX_ADDRS)
		return -1;
	ident_write(&ri->ident, w);
	wbuf_put_u64(w, ri->published);
	wbuf_put_u8(w, ri->naddrs);
	for (i = 0; i < ri->naddrs; i++)
		if (ra_write(&ri->addrs[i], w) == -1)
			return -1;
	wbuf_put_u8(w, 0);		/* peers */
	return mapping_write(&ri->options, w);
}

int
ri_sign(struct router_info *ri, i2p_sign_fn sign, void *arg,
    struct i2p_err *err)
{
	struct wbuf	 w;
	uint8_t		 sig[ED25519_SIG_LEN];

	if (ri->ident.sigtype != SIGTYPE_ED25519 || ri->ident.rawlen == 0)
		return i2p_seterr(err, I2PE_ARG, 0, "RouterInfo");
	ri->rawlen = ri->signedlen = 0;
	wbuf_init_fixed(&w, ri->raw, sizeof(ri->raw));
	if (ri_write_body(ri, &w) == -1 ||
	    wbuf_len(&w) > sizeof(ri->raw) - sizeof(sig))
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "RouterInfo");
	if (sign(arg, wbuf_data(&w), wbuf_len(&w), sig) == -1)
		return i2p_seterr(err, I2PE_SIGN, 0, "RouterInfo");
	ri->signedlen = wbuf_len(&w);
	wbuf_put_bytes(&w, sig, sizeof(sig));
	memcpy(ri->sig, sig, sizeof(sig));
	ri->siglen = sizeof(sig);
	ri->rawlen = wbuf_len(&w);
	if (ri_verify(ri, err) == -1) {
		ri->rawlen = ri->signedlen = 0;
		return -1;
	}
	return 0;
}

const struct router_address *
ri_find_addr(const struct router_info *ri, const char *style)
{
	size_t	 i;

	for (i = 0; i < ri->naddrs && i < RI_MAX_ADDRS; i++)
		if (strcmp(ri->addrs[i].style, style) == 0)
			return &ri->addrs[i];
	return NULL;
}
