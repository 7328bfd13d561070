/*
 * Signed LeaseSets of store types 1, 5 and 7 written byte by byte for
 * the tests (i2prd never publishes them, so common/ has no builders):
 * each returns the length written into buf.
 */
#ifndef I2PRD_TEST_LSBUILD_H
#define I2PRD_TEST_LSBUILD_H

#include "sigkeys.h"

/* the signature of the bytes so far, prefixed with type unless it is 1 */
static inline void
lsb_sign(struct wbuf *w, uint8_t type, const struct tkey *signer)
{
	uint8_t	 msg[1 + LS2_MAXLEN], sig[I2P_SIG_MAXLEN];
	size_t	 off = type == LS1_STORE_TYPE ? 1 : 0;

	ck_assert_int_eq(wbuf_error(w), 0);
	ck_assert_uint_le(wbuf_len(w), LS2_MAXLEN);
	msg[0] = type;
	memcpy(&msg[1], wbuf_data(w), wbuf_len(w));
	tkey_sign(signer, msg + off, 1 + wbuf_len(w) - off, sig);
	wbuf_put_bytes(w, sig, signer->siglen);
}

/* times, flags and, with a transient key, the offline signature by key */
static inline void
lsb_times(struct wbuf *w, uint32_t published, uint16_t expires,
    uint16_t flags, const struct tkey *key, const struct tkey *transient,
    uint32_t tr_expires)
{
	uint8_t		 msg[38], sig[I2P_SIG_MAXLEN];
	struct wbuf	 m;

	wbuf_put_u32(w, published);
	wbuf_put_u16(w, expires);
	wbuf_put_u16(w, flags | (transient != NULL ? LS2_F_OFFLINE : 0));
	if (transient == NULL)
		return;
	wbuf_init_fixed(&m, msg, sizeof(msg));
	wbuf_put_u32(&m, tr_expires);
	wbuf_put_u16(&m, transient->sigtype);
	wbuf_put_bytes(&m, transient->pub, 32);
	ck_assert_int_eq(wbuf_error(&m), 0);
	tkey_sign(key, msg, sizeof(msg), sig);
	wbuf_put_bytes(w, msg, sizeof(msg));
	wbuf_put_bytes(w, sig, key->siglen);
}

/* LeaseSet of k's destination; leases end at first_end + i s (in ms) */
static inline size_t
lsb_ls1(uint8_t *buf, size_t sz, const struct tkey *k, int nleases,
    uint64_t first_end_ms)
{
	struct wbuf	 w;
	uint8_t		 dest[I2P_IDENT_MAXLEN], key[256], gw[32];
	size_t		 destlen;
	int		 i;

	destlen = tkey_dest(k, dest, sizeof(dest));
	memset(key, 0x6b, sizeof(key));
	wbuf_init_fixed(&w, buf, sz);
	wbuf_put_bytes(&w, dest, destlen);
	wbuf_put_bytes(&w, key, 256);
	wbuf_put_bytes(&w, key, k->publen);
	wbuf_put_u8(&w, nleases);
	for (i = 0; i < nleases; i++) {
		memset(gw, 0xa0 + i, sizeof(gw));
		wbuf_put_bytes(&w, gw, sizeof(gw));
		wbuf_put_u32(&w, 500 + i);
		wbuf_put_u64(&w, first_end_ms + 1000 * i);
	}
	lsb_sign(&w, LS1_STORE_TYPE, k);
	ck_assert_int_eq(wbuf_error(&w), 0);
	return wbuf_len(&w);
}

/* MetaLeaseSet of k's destination: one option, entries, revocations */
static inline size_t
lsb_meta(uint8_t *buf, size_t sz, const struct tkey *k, uint32_t published,
    uint16_t expires, uint16_t flags, int nentries, int nrevoked)
{
	struct wbuf	 w;
	uint8_t		 dest[I2P_IDENT_MAXLEN], h[32];
	size_t		 destlen;
	int		 i;

	destlen = tkey_dest(k, dest, sizeof(dest));
	wbuf_init_fixed(&w, buf, sz);
	wbuf_put_bytes(&w, dest, destlen);
	lsb_times(&w, published, expires, flags, k, NULL, 0);
	wbuf_put_u16(&w, 7);
	wbuf_put_str8(&w, "a");
	wbuf_put_u8(&w, '=');
	wbuf_put_str8(&w, "bc");
	wbuf_put_u8(&w, ';');
	wbuf_put_u8(&w, nentries);
	for (i = 0; i < nentries; i++) {
		memset(h, 0xc0 + i, sizeof(h));
		wbuf_put_bytes(&w, h, sizeof(h));
		wbuf_put_u8(&w, 0);
		wbuf_put_u16(&w, 3);		/* a LeaseSet2 */
		wbuf_put_u8(&w, 10 + i);
		wbuf_put_u32(&w, published + expires);
	}
	wbuf_put_u8(&w, nrevoked);
	for (i = 0; i < nrevoked; i++) {
		memset(h, 0xd0 + i, sizeof(h));
		wbuf_put_bytes(&w, h, sizeof(h));
	}
	lsb_sign(&w, LSM_STORE_TYPE, k);
	ck_assert_int_eq(wbuf_error(&w), 0);
	return wbuf_len(&w);
}

/*
 * EncryptedLeaseSet under the blinded key (sig type 11), datalen
 * bytes of "encrypted" data; signed by the transient key if there is
 * one (its offline signature by the blinded key).
 */
static inline size_t
lsb_enc(uint8_t *buf, size_t sz, const struct tkey *blinded,
    uint32_t published, uint16_t expires, uint16_t flags,
    const struct tkey *transient, uint32_t tr_expires, size_t datalen)
{
	struct wbuf	 w;
	size_t		 i;

	wbuf_init_fixed(&w, buf, sz);
	wbuf_put_u16(&w, SIGTYPE_REDDSA);
	wbuf_put_bytes(&w, blinded->pub, 32);
	lsb_times(&w, published, expires, flags, blinded, transient,
	    tr_expires);
	wbuf_put_u16(&w, datalen);
	for (i = 0; i < datalen; i++)
		wbuf_put_u8(&w, i * 7);
	lsb_sign(&w, LSE_STORE_TYPE, transient != NULL ? transient : blinded);
	ck_assert_int_eq(wbuf_error(&w), 0);
	return wbuf_len(&w);
}

#endif /* I2PRD_TEST_LSBUILD_H */
