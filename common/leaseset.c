/*
 * LeaseSet (common-structures.rst "LeaseSet"), the DatabaseStore type 1
 * entry of ElGamal destinations, which are DSA-SHA1 or ECDSA signed:
 * Destination, 256-byte ElGamal key, a signing key of the destination's
 * type ("currently unused"), up to 16 Leases of 44 bytes (gateway,
 * tunnel ID, end date in ms), and the destination's signature over all
 * of it, with no store type byte in front.
 */
#include <string.h>

#include "buf.h"
#include "i2pdata.h"

#define LEASE1_LEN	44

static int
ls1_parse_leases(struct leaseset1 *ls, struct rbuf *r, struct i2p_err *err)
{
	struct lease1	*l;
	size_t		 i;

	if (rbuf_get_u8(r, &ls->nleases) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "LeaseSet leases");
	if (ls->nleases > LS1_MAX_LEASES)
		return i2p_seterr(err, I2PE_TOO_MANY, 0, "LeaseSet leases");
	for (i = 0; i < ls->nleases; i++) {
		l = &ls->leases[i];
		if (rbuf_get_bytes(r, l->gateway, sizeof(l->gateway)) == -1 ||
		    rbuf_get_u32(r, &l->tunnel_id) == -1 ||
		    rbuf_get_u64(r, &l->end_date) == -1)
			return i2p_seterr(err, I2PE_TRUNCATED, 0,
			    "LeaseSet leases");
	}
	return 0;
}

int
ls1_parse(struct leaseset1 *ls, const void *data, size_t len,
    struct i2p_err *err)
{
	struct rbuf	 r;

	memset(ls, 0, sizeof(*ls));
	if (len > LS2_MAXLEN)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "LeaseSet");
	rbuf_init(&r, data, len);
	if (ident_parse(&ls->dest, &r, IDENT_DEST, err) == -1)
		goto bad;
	if (rbuf_get_bytes(&r, ls->enc_key, sizeof(ls->enc_key)) == -1 ||
	    rbuf_get_bytes(&r, ls->sign_key, ls->dest.sign_publen) == -1) {
		i2p_seterr(err, I2PE_TRUNCATED, 0, "LeaseSet");
		goto bad;
	}
	if (ls1_parse_leases(ls, &r, err) == -1)
		goto bad;
	ls->signedlen = len - rbuf_left(&r);
	ls->siglen = ident_siglen(&ls->dest);
	if (ls->siglen == 0 || ls->siglen > sizeof(ls->sig) ||
	    rbuf_get_bytes(&r, ls->sig, ls->siglen) == -1) {
		i2p_seterr(err, I2PE_TRUNCATED, 0, "LeaseSet signature");
		goto bad;
	}
	if (rbuf_end(&r) == -1) {
		i2p_seterr(err, I2PE_TRAILING, 0, "LeaseSet");
		goto bad;
	}
	memcpy(ls->raw, data, len);
	ls->rawlen = len;
	return 0;
 bad:
	memset(ls, 0, sizeof(*ls));
	return -1;
}

int
ls1_verify(const struct leaseset1 *ls, struct i2p_err *err)
{
	if (ls->rawlen == 0 || ls->signedlen >= ls->rawlen)
		return i2p_seterr(err, I2PE_ARG, 0, "LeaseSet");
	if (ident_verify(&ls->dest, ls->raw, ls->signedlen, ls->sig,
	    ls->siglen, err) == -1) {
		if (err != NULL)
			err->where = "LeaseSet";
		return -1;
	}
	return 0;
}

int
ls1_write_body(const struct leaseset1 *ls, struct wbuf *w)
{
	const struct lease1	*l;
	size_t			 i;

	if (ls->nleases > LS1_MAX_LEASES ||
	    ls->dest.sign_publen > sizeof(ls->sign_key))
		return -1;
	ident_write(&ls->dest, w);
	wbuf_put_bytes(w, ls->enc_key, sizeof(ls->enc_key));
	wbuf_put_bytes(w, ls->sign_key, ls->dest.sign_publen);
	wbuf_put_u8(w, ls->nleases);
	for (i = 0; i < ls->nleases; i++) {
		l = &ls->leases[i];
		wbuf_put_bytes(w, l->gateway, sizeof(l->gateway));
		wbuf_put_u32(w, l->tunnel_id);
		wbuf_put_u64(w, l->end_date);
	}
	return wbuf_error(w);
}

int
ls1_lease_range(const struct leaseset1 *ls, uint64_t *first, uint64_t *last)
{
	size_t	 i;

	if (ls->nleases == 0)
		return -1;
	*first = *last = ls->leases[0].end_date;
	for (i = 1; i < ls->nleases && i < LS1_MAX_LEASES; i++) {
		if (ls->leases[i].end_date < *first)
			*first = ls->leases[i].end_date;
		if (ls->leases[i].end_date > *last)
			*last = ls->leases[i].end_date;
	}
	return 0;
}
