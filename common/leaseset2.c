/*
 * Lease2, OfflineSignature and LeaseSet2 (common-structures.rst;
 * proposal 123), the DatabaseStore type 3 entry.
 *
 * Signed data is the store type byte (3) followed by everything before
 * the signature.  With an offline signature the destination's key signs
 * only "expires || sigtype || transient key", and the transient key
 * signs the LeaseSet2; only Ed25519 transient keys are accepted.
 *
 * Encryption keys of types we know must have their type's length; keys
 * of unknown types are kept by length, as the spec intends ("so that
 * floodfills and clients may parse the structure even if not all
 * encryption types are known").
 */
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"

#define LEASE2_LEN	40

void
ls2_init(struct leaseset2 *ls)
{
	memset(ls, 0, sizeof(*ls));
	mapping_init(&ls->options);
}

int
ls2_add_key(struct leaseset2 *ls, uint16_t type, const void *data,
    size_t len, struct i2p_err *err)
{
	size_t	 want;

	if (ls->nkeys >= LS2_MAX_KEYS)
		return i2p_seterr(err, I2PE_TOO_MANY, 0, "LeaseSet2 keys");
	if (i2p_cryptotype_len(type, &want) == 0 && want != len)
		return i2p_seterr(err, I2PE_KEYLEN, 0, "LeaseSet2 keys");
	if (len > sizeof(ls->keydata) - ls->keydatalen)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "LeaseSet2 keys");
	if (len > 0)
		memcpy(&ls->keydata[ls->keydatalen], data, len);
	ls->keys[ls->nkeys].type = type;
	ls->keys[ls->nkeys].len = len;
	ls->keys[ls->nkeys].off = ls->keydatalen;
	ls->keydatalen += len;
	ls->nkeys++;
	return 0;
}

const uint8_t *
ls2_find_key(const struct leaseset2 *ls, uint16_t type)
{
	size_t	 i;

	for (i = 0; i < ls->nkeys && i < LS2_MAX_KEYS; i++)
		if (ls->keys[i].type == type)
			return &ls->keydata[ls->keys[i].off];
	return NULL;
}

/*
 * Offline signature
 */

/* the bytes the destination signs */
static int
offline_sig_msg(const struct offline_sig *os, uint8_t buf[38])
{
	struct wbuf	 w;

	wbuf_init_fixed(&w, buf, 38);
	wbuf_put_u32(&w, os->expires);
	wbuf_put_u16(&w, os->sigtype);
	wbuf_put_bytes(&w, os->transient_pub, sizeof(os->transient_pub));
	return wbuf_error(&w);
}

int
offline_sig_sign(struct offline_sig *os, uint32_t expires,
    const uint8_t transient_pub[32], i2p_sign_fn sign, void *arg,
    struct i2p_err *err)
{
	uint8_t	 msg[38];

	memset(os, 0, sizeof(*os));
	os->expires = expires;
	os->sigtype = SIGTYPE_ED25519;
	memcpy(os->transient_pub, transient_pub, sizeof(os->transient_pub));
	if (offline_sig_msg(os, msg) == -1 ||
	    sign(arg, msg, sizeof(msg), os->sig) == -1)
		return i2p_seterr(err, I2PE_SIGN, 0, "offline signature");
	return 0;
}

int
offline_sig_verify(const struct offline_sig *os, const struct i2p_ident *dest,
    uint32_t now, struct i2p_err *err)
{
	uint8_t	 msg[38];

	if (os->sigtype != SIGTYPE_ED25519)
		return i2p_seterr(err, I2PE_SIGTYPE, os->sigtype,
		    "offline signature");
	if (offline_sig_msg(os, msg) == -1 ||
	    ident_verify(dest, msg, sizeof(msg), os->sig, ident_siglen(dest),
	    err) == -1) {
		if (err != NULL)
			err->where = "offline signature";
		return -1;
	}
	if (os->expires <= now)
		return i2p_seterr(err, I2PE_EXPIRED, 0, "offline signature");
	return 0;
}

static int
offline_sig_parse(struct offline_sig *os, struct rbuf *r,
    const struct i2p_ident *dest, struct i2p_err *err)
{
	size_t	 publen;

	if (rbuf_get_u32(r, &os->expires) == -1 ||
	    rbuf_get_u16(r, &os->sigtype) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "offline signature");
	if (os->sigtype != SIGTYPE_ED25519 ||
	    i2p_sigtype_len(os->sigtype, &publen, NULL) == -1)
		return i2p_seterr(err, I2PE_SIGTYPE, os->sigtype,
		    "offline signature");
	if (rbuf_get_bytes(r, os->transient_pub, publen) == -1 ||
	    rbuf_get_bytes(r, os->sig, ident_siglen(dest)) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "offline signature");
	return 0;
}

static int
offline_sig_write(const struct offline_sig *os, struct wbuf *w)
{
	wbuf_put_u32(w, os->expires);
	wbuf_put_u16(w, os->sigtype);
	wbuf_put_bytes(w, os->transient_pub, sizeof(os->transient_pub));
	return wbuf_put_bytes(w, os->sig, ED25519_SIG_LEN);
}

/*
 * LeaseSet2 parts
 */

static int
ls2_parse_keys(struct leaseset2 *ls, struct rbuf *r, struct i2p_err *err)
{
	const uint8_t	*data;
	uint16_t	 type, len;
	uint8_t		 n;
	size_t		 i;

	if (rbuf_get_u8(r, &n) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "LeaseSet2 keys");
	if (n == 0)
		return i2p_seterr(err, I2PE_FIELD, 0, "LeaseSet2 keys");
	for (i = 0; i < n; i++) {
		if (rbuf_get_u16(r, &type) == -1 ||
		    rbuf_get_u16(r, &len) == -1 ||
		    rbuf_get_ptr(r, &data, len) == -1)
			return i2p_seterr(err, I2PE_TRUNCATED, 0,
			    "LeaseSet2 keys");
		if (ls2_add_key(ls, type, data, len, err) == -1)
			return -1;
	}
	return 0;
}

static int
ls2_parse_leases(struct leaseset2 *ls, struct rbuf *r, struct i2p_err *err)
{
	struct lease2	*l;
	size_t		 i;

	if (rbuf_get_u8(r, &ls->nleases) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "LeaseSet2 leases");
	if (ls->nleases > LS2_MAX_LEASES)
		return i2p_seterr(err, I2PE_TOO_MANY, 0, "LeaseSet2 leases");
	/* "All LeaseSet2 variants require at least one Lease" */
	if (ls->nleases == 0)
		return i2p_seterr(err, I2PE_FIELD, 0, "LeaseSet2 leases");
	for (i = 0; i < ls->nleases; i++) {
		l = &ls->leases[i];
		if (rbuf_get_bytes(r, l->gateway, sizeof(l->gateway)) == -1 ||
		    rbuf_get_u32(r, &l->tunnel_id) == -1 ||
		    rbuf_get_u32(r, &l->end_date) == -1)
			return i2p_seterr(err, I2PE_TRUNCATED, 0,
			    "LeaseSet2 leases");
	}
	return 0;
}

/* everything between the destination and the signature */
static int
ls2_parse_fields(struct leaseset2 *ls, struct rbuf *r, struct i2p_err *err)
{
	if (rbuf_get_u32(r, &ls->published) == -1 ||
	    rbuf_get_u16(r, &ls->expires) == -1 ||
	    rbuf_get_u16(r, &ls->flags) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "LeaseSet2");
	if ((ls->flags & LS2_F_OFFLINE) &&
	    offline_sig_parse(&ls->offline, r, &ls->dest, err) == -1)
		return -1;
	if (mapping_parse(&ls->options, r, MAPPING_SORTED, err) == -1 ||
	    ls2_parse_keys(ls, r, err) == -1 ||
	    ls2_parse_leases(ls, r, err) == -1)
		return -1;
	return 0;
}

/* the signer's signature length: the transient key's or the dest's */
static size_t
ls2_siglen(const struct leaseset2 *ls)
{
	size_t	 siglen = 0;

	if (ls->flags & LS2_F_OFFLINE) {
		(void)i2p_sigtype_len(ls->offline.sigtype, NULL, &siglen);
		return siglen;
	}
	return ident_siglen(&ls->dest);
}

int
ls2_parse(struct leaseset2 *ls, const void *data, size_t len,
    struct i2p_err *err)
{
	struct rbuf	 r;

	ls2_init(ls);
	if (len > LS2_MAXLEN)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "LeaseSet2");
	rbuf_init(&r, data, len);
	if (ident_parse(&ls->dest, &r, IDENT_DEST, err) == -1 ||
	    ls2_parse_fields(ls, &r, err) == -1)
		goto bad;
	ls->signedlen = len - rbuf_left(&r);
	ls->siglen = ls2_siglen(ls);
	if (ls->siglen == 0 || ls->siglen > sizeof(ls->sig) ||
	    rbuf_get_bytes(&r, ls->sig, ls->siglen) == -1) {
		i2p_seterr(err, I2PE_TRUNCATED, 0, "LeaseSet2 signature");
		goto bad;
	}
	if (rbuf_end(&r) == -1) {
		i2p_seterr(err, I2PE_TRAILING, 0, "LeaseSet2");
		goto bad;
	}
	memcpy(ls->raw, data, len);
	ls->rawlen = len;
	return 0;
 bad:
	ls2_init(ls);
	return -1;
}

/*
 * Verification and building
 */

/* the LeaseSet2 signature alone, by whichever key signed it */
static int
ls2_verify_sig(const struct leaseset2 *ls, struct i2p_err *err)
{
	uint8_t			 msg[1 + LS2_MAXLEN];
	struct i2p_ident	 transient;
	const struct i2p_ident	*signer = &ls->dest;

	if (ls->rawlen == 0 || ls->signedlen >= ls->rawlen ||
	    ls->signedlen > LS2_MAXLEN)
		return i2p_seterr(err, I2PE_ARG, 0, "LeaseSet2");
	if (ls->flags & LS2_F_OFFLINE) {
		/* only the signing key of the transient identity is used */
		memset(&transient, 0, sizeof(transient));
		transient.sigtype = ls->offline.sigtype;
		memcpy(transient.sign_pub, ls->offline.transient_pub,
		    sizeof(transient.sign_pub));
		signer = &transient;
	}
	msg[0] = LS2_STORE_TYPE;
	memcpy(&msg[1], ls->raw, ls->signedlen);
	if (ident_verify(signer, msg, 1 + ls->signedlen, ls->sig, ls->siglen,
	    err) == -1) {
		if (err != NULL)
			err->where = "LeaseSet2";
		return -1;
	}
	return 0;
}

int
ls2_verify(const struct leaseset2 *ls, uint32_t now, struct i2p_err *err)
{
	if ((ls->flags & LS2_F_OFFLINE) &&
	    offline_sig_verify(&ls->offline, &ls->dest, now, err) == -1)
		return -1;
	return ls2_verify_sig(ls, err);
}

int
ls2_write_body(const struct leaseset2 *ls, struct wbuf *w)
{
	const struct lease2	*l;
	size_t			 i;

	if (ls->nkeys > LS2_MAX_KEYS || ls->nleases > LS2_MAX_LEASES)
		return -1;
	ident_write(&ls->dest, w);
	wbuf_put_u32(w, ls->published);
	wbuf_put_u16(w, ls->expires);
	wbuf_put_u16(w, ls->flags);
	if (ls->flags & LS2_F_OFFLINE)
		offline_sig_write(&ls->offline, w);
	mapping_write(&ls->options, w);
	wbuf_put_u8(w, ls->nkeys);
	for (i = 0; i < ls->nkeys; i++) {
		wbuf_put_u16(w, ls->keys[i].type);
		wbuf_put_u16(w, ls->keys[i].len);
		wbuf_put_bytes(w, &ls->keydata[ls->keys[i].off],
		    ls->keys[i].len);
	}
	wbuf_put_u8(w, ls->nleases);
	for (i = 0; i < ls->nleases; i++) {
		l = &ls->leases[i];
		wbuf_put_bytes(w, l->gateway, sizeof(l->gateway));
		wbuf_put_u32(w, l->tunnel_id);
		wbuf_put_u32(w, l->end_date);
	}
	return wbuf_error(w);
}

/*
 * What ls2_parse would refuse is refused here too, so that nothing we
 * publish fails at the floodfill.
 */
static int
ls2_check_build(const struct leaseset2 *ls, struct i2p_err *err)
{
	if (ls->dest.sigtype != SIGTYPE_ED25519 || ls->dest.rawlen == 0)
		return i2p_seterr(err, I2PE_ARG, 0, "LeaseSet2");
	if ((ls->flags & LS2_F_OFFLINE) &&
	    ls->offline.sigtype != SIGTYPE_ED25519)
		return i2p_seterr(err, I2PE_SIGTYPE, ls->offline.sigtype,
		    "offline signature");
	if (ls->nkeys == 0 || ls->nleases == 0)
		return i2p_seterr(err, I2PE_FIELD, 0, "LeaseSet2");
	if (ls->nleases > LS2_MAX_LEASES || ls->nkeys > LS2_MAX_KEYS)
		return i2p_seterr(err, I2PE_TOO_MANY, 0, "LeaseSet2");
	return 0;
}

int
ls2_sign(struct leaseset2 *ls, i2p_sign_fn sign, void *arg,
    struct i2p_err *err)
{
	uint8_t		 msg[1 + LS2_MAXLEN];
	struct wbuf	 w;

	if (ls2_check_build(ls, err) == -1)
		return -1;
	ls->rawlen = ls->signedlen = 0;
	wbuf_init_fixed(&w, msg, sizeof(msg));
	wbuf_put_u8(&w, LS2_STORE_TYPE);
	if (ls2_write_body(ls, &w) == -1 ||
	    wbuf_len(&w) - 1 > LS2_MAXLEN - ED25519_SIG_LEN)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "LeaseSet2");
	if (sign(arg, wbuf_data(&w), wbuf_len(&w), ls->sig) == -1)
		return i2p_seterr(err, I2PE_SIGN, 0, "LeaseSet2");
	ls->siglen = ED25519_SIG_LEN;
	ls->signedlen = wbuf_len(&w) - 1;
	memcpy(ls->raw, &msg[1], ls->signedlen);
	memcpy(&ls->raw[ls->signedlen], ls->sig, ls->siglen);
	ls->rawlen = ls->signedlen + ls->siglen;
	/* the signer's key must be the one the LeaseSet2 names */
	if (ls2_verify_sig(ls, err) == -1) {
		ls->rawlen = ls->signedlen = 0;
		return -1;
	}
	return 0;
}
