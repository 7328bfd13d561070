/*
 * Lease2, OfflineSignature and LeaseSet2 (common-structures.rst;
 * proposal 123), the DatabaseStore type 3 entry, and its relatives
 * MetaLeaseSet (type 7) and EncryptedLeaseSet (type 5).
 *
 * Signed data is the store type byte followed by everything before
 * the signature.  With an offline signature the destination's key (the
 * blinded key in an EncryptedLeaseSet) signs only "expires || sigtype ||
 * transient key", and the transient key signs the rest; only Ed25519
 * and RedDSA transient keys are accepted.
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

/* the transient key types: 32-byte keys, as struct offline_sig holds */
static int
offline_sigtype_ok(uint16_t sigtype)
{
	return sigtype == SIGTYPE_ED25519 || sigtype == SIGTYPE_REDDSA;
}

int
offline_sig_verify(const struct offline_sig *os, const struct i2p_ident *dest,
    uint32_t now, struct i2p_err *err)
{
	uint8_t	 msg[38];

	if (!offline_sigtype_ok(os->sigtype))
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
	if (!offline_sigtype_ok(os->sigtype) ||
	    i2p_sigtype_len(os->sigtype, &publen, NULL) == -1 ||
	    publen != sizeof(os->transient_pub))
		return i2p_seterr(err, I2PE_SIGTYPE, os->sigtype,
		    "offline signature");
	if (ident_siglen(dest) == 0 || ident_siglen(dest) > sizeof(os->sig) ||
	    rbuf_get_bytes(r, os->transient_pub, publen) == -1 ||
	    rbuf_get_bytes(r, os->sig, ident_siglen(dest)) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "offline signature");
	return 0;
}

/* signer: the key that made the offline signature */
static int
offline_sig_write(const struct offline_sig *os, const struct i2p_ident *signer,
    struct wbuf *w)
{
	wbuf_put_u32(w, os->expires);
	wbuf_put_u16(w, os->sigtype);
	wbuf_put_bytes(w, os->transient_pub, sizeof(os->transient_pub));
	return wbuf_put_bytes(w, os->sig, ident_siglen(signer));
}

/*
 * The header fields every LeaseSet2 variant has after its key:
 * published, expires, flags and, if flagged, the offline signature made
 * by key.
 */
struct ls2_times {
	uint32_t		*published;
	uint16_t		*expires;
	uint16_t		*flags;
	struct offline_sig	*offline;
};

static int
ls2_parse_times(const struct ls2_times *t, struct rbuf *r,
    const struct i2p_ident *key, const char *where, struct i2p_err *err)
{
	if (rbuf_get_u32(r, t->published) == -1 ||
	    rbuf_get_u16(r, t->expires) == -1 ||
	    rbuf_get_u16(r, t->flags) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, where);
	if ((*t->flags & LS2_F_OFFLINE) &&
	    offline_sig_parse(t->offline, r, key, err) == -1)
		return -1;
	return 0;
}

static void
ls2_write_times(uint32_t published, uint16_t expires, uint16_t flags,
    const struct offline_sig *os, const struct i2p_ident *key,
    struct wbuf *w)
{
	wbuf_put_u32(w, published);
	wbuf_put_u16(w, expires);
	wbuf_put_u16(w, flags);
	if (flags & LS2_F_OFFLINE)
		offline_sig_write(os, key, w);
}

/* the signer's signature length: the transient key's or key's */
static size_t
signer_siglen(uint16_t flags, const struct offline_sig *os,
    const struct i2p_ident *key)
{
	size_t	 siglen = 0;

	if (flags & LS2_F_OFFLINE) {
		(void)i2p_sigtype_len(os->sigtype, NULL, &siglen);
		return siglen;
	}
	return ident_siglen(key);
}

/*
 * What a LeaseSet2 variant's signature covers (the store type, then the
 * bytes before the signature) and whose it is: key's, or with an
 * offline signature the transient key's.
 */
struct ls2_signed {
	uint8_t			 type;
	const uint8_t		*raw;
	size_t			 rawlen, signedlen;
	const uint8_t		*sig;
	size_t			 siglen;
	const struct i2p_ident	*key;
	uint16_t		 flags;
	const struct offline_sig *offline;
	const char		*where;
};

/* the signature alone, by whichever key signed it */
static int
ls2_check_sig(const struct ls2_signed *s, struct i2p_err *err)
{
	uint8_t			 msg[1 + LS2_MAXLEN];
	struct i2p_ident	 transient;
	const struct i2p_ident	*signer = s->key;

	if (s->rawlen == 0 || s->signedlen >= s->rawlen ||
	    s->signedlen > LS2_MAXLEN)
		return i2p_seterr(err, I2PE_ARG, 0, s->where);
	if (s->flags & LS2_F_OFFLINE) {
		if (ident_signer(&transient, s->offline->sigtype,
		    s->offline->transient_pub,
		    sizeof(s->offline->transient_pub)) == -1)
			return i2p_seterr(err, I2PE_SIGTYPE,
			    s->offline->sigtype, "offline signature");
		signer = &transient;
	}
	msg[0] = s->type;
	memcpy(&msg[1], s->raw, s->signedlen);
	if (ident_verify(signer, msg, 1 + s->signedlen, s->sig, s->siglen,
	    err) == -1) {
		if (err != NULL)
			err->where = s->where;
		return -1;
	}
	return 0;
}

/* the offline signature (if any), unexpired at now, then the signature */
static int
ls2_check_all(const struct ls2_signed *s, uint32_t now, struct i2p_err *err)
{
	if ((s->flags & LS2_F_OFFLINE) &&
	    offline_sig_verify(s->offline, s->key, now, err) == -1)
		return -1;
	return ls2_check_sig(s, err);
}

/* the signature after the signed bytes, and nothing after it */
static int
ls2_parse_sig(struct rbuf *r, uint8_t *sig, size_t siglen, const char *where,
    struct i2p_err *err)
{
	if (siglen == 0 || siglen > I2P_SIG_MAXLEN ||
	    rbuf_get_bytes(r, sig, siglen) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, where);
	if (rbuf_end(r) == -1)
		return i2p_seterr(err, I2PE_TRAILING, 0, where);
	return 0;
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
	struct ls2_times	 t = { &ls->published, &ls->expires,
				    &ls->flags, &ls->offline };

	if (ls2_parse_times(&t, r, &ls->dest, "LeaseSet2", err) == -1 ||
	    mapping_parse(&ls->options, r, MAPPING_SORTED, err) == -1 ||
	    ls2_parse_keys(ls, r, err) == -1 ||
	    ls2_parse_leases(ls, r, err) == -1)
		return -1;
	return 0;
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
	ls->siglen = signer_siglen(ls->flags, &ls->offline, &ls->dest);
	if (ls2_parse_sig(&r, ls->sig, ls->siglen, "LeaseSet2", err) == -1)
		goto bad;
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

static void
ls2_signed_of(const struct leaseset2 *ls, struct ls2_signed *s)
{
	memset(s, 0, sizeof(*s));
	s->type = LS2_STORE_TYPE;
	s->raw = ls->raw;
	s->rawlen = ls->rawlen;
	s->signedlen = ls->signedlen;
	s->sig = ls->sig;
	s->siglen = ls->siglen;
	s->key = &ls->dest;
	s->flags = ls->flags;
	s->offline = &ls->offline;
	s->where = "LeaseSet2";
}

int
ls2_verify(const struct leaseset2 *ls, uint32_t now, struct i2p_err *err)
{
	struct ls2_signed	 s;

	ls2_signed_of(ls, &s);
	return ls2_check_all(&s, now, err);
}

int
ls2_write_body(const struct leaseset2 *ls, struct wbuf *w)
{
	const struct lease2	*l;
	size_t			 i;

	if (ls->nkeys > LS2_MAX_KEYS || ls->nleases > LS2_MAX_LEASES)
		return -1;
	ident_write(&ls->dest, w);
	ls2_write_times(ls->published, ls->expires, ls->flags, &ls->offline,
	    &ls->dest, w);
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
	uint8_t			 msg[1 + LS2_MAXLEN];
	struct wbuf		 w;
	struct ls2_signed	 s;

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
	ls2_signed_of(ls, &s);
	if (ls2_check_sig(&s, err) == -1) {
		ls->rawlen = ls->signedlen = 0;
		return -1;
	}
	return 0;
}

/*
 * MetaLeaseSet (type 7)
 */

static int
lsm_parse_entries(struct meta_leaseset *m, struct rbuf *r, struct i2p_err *err)
{
	struct meta_lease	*e;
	uint8_t			 flags[3];
	size_t			 i;

	if (rbuf_get_u8(r, &m->nentries) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "MetaLeaseSet");
	if (m->nentries > LSM_MAX_ENTRIES)
		return i2p_seterr(err, I2PE_TOO_MANY, 0, "MetaLeaseSet");
	if (m->nentries == 0)
		return i2p_seterr(err, I2PE_FIELD, 0, "MetaLeaseSet");
	for (i = 0; i < m->nentries; i++) {
		e = &m->entries[i];
		if (rbuf_get_bytes(r, e->hash, sizeof(e->hash)) == -1 ||
		    rbuf_get_bytes(r, flags, sizeof(flags)) == -1 ||
		    rbuf_get_u8(r, &e->cost) == -1 ||
		    rbuf_get_u32(r, &e->end_date) == -1)
			return i2p_seterr(err, I2PE_TRUNCATED, 0,
			    "MetaLeaseSet");
		e->flags = (uint32_t)flags[0] << 16 | flags[1] << 8 | flags[2];
	}
	if (rbuf_get_u8(r, &m->nrevoked) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "MetaLeaseSet");
	if (m->nrevoked > LSM_MAX_REVOKED)
		return i2p_seterr(err, I2PE_TOO_MANY, 0, "MetaLeaseSet");
	for (i = 0; i < m->nrevoked; i++)
		if (rbuf_get_bytes(r, m->revoked[i], I2P_HASH_LEN) == -1)
			return i2p_seterr(err, I2PE_TRUNCATED, 0,
			    "MetaLeaseSet");
	return 0;
}

int
lsm_parse(struct meta_leaseset *m, const void *data, size_t len,
    struct i2p_err *err)
{
	struct ls2_times	 t = { &m->published, &m->expires, &m->flags,
				    &m->offline };
	struct rbuf		 r;

	memset(m, 0, sizeof(*m));
	mapping_init(&m->options);
	if (len > LS2_MAXLEN)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "MetaLeaseSet");
	rbuf_init(&r, data, len);
	if (ident_parse(&m->dest, &r, IDENT_DEST, err) == -1 ||
	    ls2_parse_times(&t, &r, &m->dest, "MetaLeaseSet", err) == -1 ||
	    mapping_parse(&m->options, &r, MAPPING_SORTED, err) == -1 ||
	    lsm_parse_entries(m, &r, err) == -1)
		goto bad;
	m->signedlen = len - rbuf_left(&r);
	m->siglen = signer_siglen(m->flags, &m->offline, &m->dest);
	if (ls2_parse_sig(&r, m->sig, m->siglen, "MetaLeaseSet", err) == -1)
		goto bad;
	memcpy(m->raw, data, len);
	m->rawlen = len;
	return 0;
 bad:
	memset(m, 0, sizeof(*m));
	mapping_init(&m->options);
	return -1;
}

int
lsm_verify(const struct meta_leaseset *m, uint32_t now, struct i2p_err *err)
{
	struct ls2_signed	 s = { LSM_STORE_TYPE, m->raw, m->rawlen,
				    m->signedlen, m->sig, m->siglen, &m->dest,
				    m->flags, &m->offline, "MetaLeaseSet" };

	return ls2_check_all(&s, now, err);
}

int
lsm_write_body(const struct meta_leaseset *m, struct wbuf *w)
{
	const struct meta_lease	*e;
	size_t			 i;

	if (m->nentries > LSM_MAX_ENTRIES || m->nrevoked > LSM_MAX_REVOKED)
		return -1;
	ident_write(&m->dest, w);
	ls2_write_times(m->published, m->expires, m->flags, &m->offline,
	    &m->dest, w);
	mapping_write(&m->options, w);
	wbuf_put_u8(w, m->nentries);
	for (i = 0; i < m->nentries; i++) {
		e = &m->entries[i];
		wbuf_put_bytes(w, e->hash, sizeof(e->hash));
		wbuf_put_u8(w, e->flags >> 16);
		wbuf_put_u16(w, e->flags & 0xffff);
		wbuf_put_u8(w, e->cost);
		wbuf_put_u32(w, e->end_date);
	}
	wbuf_put_u8(w, m->nrevoked);
	for (i = 0; i < m->nrevoked; i++)
		wbuf_put_bytes(w, m->revoked[i], I2P_HASH_LEN);
	return wbuf_error(w);
}

/*
 * EncryptedLeaseSet (type 5)
 */

/* the sig type and blinded key: "always type 11" */
static int
lse_parse_key(struct enc_leaseset *e, struct rbuf *r, struct i2p_err *err)
{
	const uint8_t	*pub;
	uint16_t	 sigtype;
	size_t		 publen;

	if (rbuf_get_u16(r, &sigtype) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "EncryptedLeaseSet");
	if (sigtype != SIGTYPE_REDDSA ||
	    i2p_sigtype_len(sigtype, &publen, NULL) == -1)
		return i2p_seterr(err, I2PE_SIGTYPE, sigtype,
		    "EncryptedLeaseSet");
	if (rbuf_get_ptr(r, &pub, publen) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "EncryptedLeaseSet");
	if (ident_signer(&e->blinded, sigtype, pub, publen) == -1)
		return i2p_seterr(err, I2PE_SIGTYPE, sigtype,
		    "EncryptedLeaseSet");
	return 0;
}

static int
lse_parse_data(struct enc_leaseset *e, struct rbuf *r, size_t start,
    struct i2p_err *err)
{
	if (rbuf_get_u16(r, &e->datalen) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "EncryptedLeaseSet");
	/* "1 <= len" */
	if (e->datalen == 0)
		return i2p_seterr(err, I2PE_FIELD, 0, "EncryptedLeaseSet");
	e->dataoff = start - rbuf_left(r);
	if (rbuf_skip(r, e->datalen) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "EncryptedLeaseSet");
	return 0;
}

/* SHA-256(sig type || blinded key), where the DHT keeps it */
static int
lse_store_hash(struct enc_leaseset *e, struct i2p_err *err)
{
	uint8_t		 buf[2 + I2P_SIGPUB_MAXLEN];
	struct wbuf	 w;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	wbuf_put_u16(&w, e->blinded.sigtype);
	wbuf_put_bytes(&w, e->blinded.sign_pub, e->blinded.sign_publen);
	if (wbuf_error(&w) ||
	    sha256(e->store_hash, wbuf_data(&w), wbuf_len(&w)) == -1)
		return i2p_seterr(err, I2PE_INTERNAL, 0, "EncryptedLeaseSet");
	return 0;
}

int
lse_parse(struct enc_leaseset *e, const void *data, size_t len,
    struct i2p_err *err)
{
	struct ls2_times	 t = { &e->published, &e->expires, &e->flags,
				    &e->offline };
	struct rbuf		 r;

	memset(e, 0, sizeof(*e));
	if (len > LS2_MAXLEN)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "EncryptedLeaseSet");
	rbuf_init(&r, data, len);
	if (lse_parse_key(e, &r, err) == -1 ||
	    ls2_parse_times(&t, &r, &e->blinded, "EncryptedLeaseSet",
	    err) == -1 ||
	    lse_parse_data(e, &r, len, err) == -1)
		goto bad;
	e->signedlen = len - rbuf_left(&r);
	e->siglen = signer_siglen(e->flags, &e->offline, &e->blinded);
	if (ls2_parse_sig(&r, e->sig, e->siglen, "EncryptedLeaseSet",
	    err) == -1 || lse_store_hash(e, err) == -1)
		goto bad;
	memcpy(e->raw, data, len);
	e->rawlen = len;
	return 0;
 bad:
	memset(e, 0, sizeof(*e));
	return -1;
}

int
lse_verify(const struct enc_leaseset *e, uint32_t now, struct i2p_err *err)
{
	struct ls2_signed	 s = { LSE_STORE_TYPE, e->raw, e->rawlen,
				    e->signedlen, e->sig, e->siglen,
				    &e->blinded, e->flags, &e->offline,
				    "EncryptedLeaseSet" };

	return ls2_check_all(&s, now, err);
}

int
lse_write_body(const struct enc_leaseset *e, struct wbuf *w)
{
	if (e->rawlen == 0 || (size_t)e->dataoff + e->datalen > e->rawlen)
		return -1;
	wbuf_put_u16(w, e->blinded.sigtype);
	wbuf_put_bytes(w, e->blinded.sign_pub, e->blinded.sign_publen);
	ls2_write_times(e->published, e->expires, e->flags, &e->offline,
	    &e->blinded, w);
	wbuf_put_u16(w, e->datalen);
	wbuf_put_bytes(w, &e->raw[e->dataoff], e->datalen);
	return wbuf_error(w);
}
