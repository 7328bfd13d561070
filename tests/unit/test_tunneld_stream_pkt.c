/*
 * The streaming packet codec (tunneld/stream_pkt.c): every flag and
 * option combination built and read back; signed packets by real keys
 * of every Destination signature type, verified, then damaged byte by
 * byte; an offline-signed SYN laid out by hand; truncation at every
 * offset; NACK counts and option sizes that do not match the bytes; a
 * signature without FROM; proposal 164's hash in the SYN's NACKs.
 */
#include <check.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "../../tunneld/stream_pkt.h"
#include "sigkeys.h"
#include "unit.h"

#define NOW	1700000000u	/* s, for offline expiry */

static uint8_t	 pbuf[SP_PACKET_MAX + 64];
static uint8_t	 payload[2048];

/* a Destination for key k, parsed */
static void
make_dest(const struct tkey *k, struct i2p_ident *id)
{
	uint8_t	 raw[I2P_IDENT_MAXLEN];
	size_t	 n;

	n = tkey_dest(k, raw, sizeof(raw));
	ck_assert_int_eq(ident_parse_bytes(id, raw, n, IDENT_DEST, NULL), 0);
}

/* a packet with every field set to something recognisable */
static void
fill_pkt(struct stream_pkt *p, uint16_t flags, uint8_t nnacks, size_t plen)
{
	int	 i;

	memset(p, 0, sizeof(*p));
	p->send_id = 0x01020304;
	p->recv_id = 0xa1b2c3d4;
	p->seq = 77;
	p->ack_through = 0xfffffffe;
	p->nnacks = nnacks;
	for (i = 0; i < nnacks; i++)
		p->nacks[i] = 1000 + i;
	p->resend_delay = 9;
	p->flags = flags;
	p->delay = 60001;
	p->mtu = 1812;
	unit_fill(payload, sizeof(payload), flags);
	p->payload = plen > 0 ? payload : NULL;
	p->len = plen;
}

/* what parse must give back of what build wrote */
static void
same_pkt(const struct stream_pkt *a, const struct stream_pkt *b)
{
	ck_assert_uint_eq(a->send_id, b->send_id);
	ck_assert_uint_eq(a->recv_id, b->recv_id);
	ck_assert_uint_eq(a->seq, b->seq);
	ck_assert_uint_eq(a->ack_through, b->ack_through);
	ck_assert_uint_eq(a->nnacks, b->nnacks);
	ck_assert_mem_eq(a->nacks, b->nacks, a->nnacks * sizeof(a->nacks[0]));
	ck_assert_uint_eq(a->resend_delay, b->resend_delay);
	ck_assert_uint_eq(a->flags, b->flags);
	if (a->flags & SPF_DELAY_REQUESTED)
		ck_assert_uint_eq(a->delay, b->delay);
	if (a->flags & SPF_FROM_INCLUDED)
		ck_assert(ident_equal(&a->from, &b->from));
	if (a->flags & SPF_MAX_PACKET_SIZE_INCLUDED)
		ck_assert_uint_eq(a->mtu, b->mtu);
	ck_assert_uint_eq(a->len, b->len);
	if (a->len > 0)
		ck_assert_mem_eq(a->payload, b->payload, a->len);
}

/* builds p into pbuf; signs with k if SIGNATURE_INCLUDED */
static size_t
build_signed(const struct stream_pkt *p, const struct tkey *k)
{
	struct wbuf	 w;
	uint8_t		 sig[I2P_SIG_MAXLEN];
	size_t		 sig_off = 0, siglen = k != NULL ? k->siglen : 0;

	wbuf_init_fixed(&w, pbuf, sizeof(pbuf));
	ck_assert_int_eq(stream_pkt_build(&w, p, siglen, &sig_off, NULL), 0);
	if (p->flags & SPF_SIGNATURE_INCLUDED) {
		tkey_sign(k, pbuf, wbuf_len(&w), sig);
		stream_pkt_put_sig(pbuf, sig_off, sig, siglen);
	}
	return wbuf_len(&w);
}

/* a new key of sigtype, and a SYN from its Destination, signed */
static void
syn_pkt(struct stream_pkt *p, struct tkey *k, uint16_t sigtype,
    uint16_t more, uint8_t nnacks, size_t plen)
{
	tkey_new(k, sigtype);
	fill_pkt(p, SPF_SYNCHRONIZE | SPF_FROM_INCLUDED |
	    SPF_SIGNATURE_INCLUDED | more, nnacks, plen);
	make_dest(k, &p->from);
}

/* all 2048 combinations of flag bits 0-10, the unused 12-15 too */
START_TEST(test_round_trip_flags)
{
	static const uint8_t	 nn[] = { 0, 1, 8, 255 };
	static const size_t	 pl[] = { 0, 1, 1812 };
	struct stream_pkt	 p, q;
	struct i2p_ident	 dest;
	struct tkey		 k;
	struct i2p_err		 err;
	unsigned		 f;
	size_t			 n;

	tkey_new(&k, SIGTYPE_ED25519);
	make_dest(&k, &dest);
	for (f = 0; f < 0x800; f++) {
		fill_pkt(&p, f | (f & 0xf) << 12, nn[f % 4], pl[f % 3]);
		p.from = dest;
		n = build_signed(&p, &k);
		ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, &dest, &err),
		    0);
		same_pkt(&p, &q);
		if (f & SPF_SIGNATURE_INCLUDED) {
			ck_assert_uint_eq(q.siglen, 64);
			ck_assert_int_eq(stream_pkt_verify(&q, pbuf, n, &dest,
			    NOW, &err), 0);
		}
	}
}
END_TEST

/* a SYN as a peer sends it: FROM, MTU, signature; every sig type */
START_TEST(test_signed_syn_sigtypes)
{
	static const uint16_t	 types[] = { SIGTYPE_DSA_SHA1,
	    SIGTYPE_ECDSA_P256, SIGTYPE_ECDSA_P384, SIGTYPE_ECDSA_P521,
	    SIGTYPE_ED25519, SIGTYPE_REDDSA };
	struct stream_pkt	 p, q;
	struct tkey		 k;
	struct i2p_err		 err;
	size_t			 i, n;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		syn_pkt(&p, &k, types[i], SPF_MAX_PACKET_SIZE_INCLUDED |
		    SPF_NO_ACK, 0, 100);
		n = build_signed(&p, &k);
		ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), 0);
		same_pkt(&p, &q);
		ck_assert_uint_eq(q.siglen, k.siglen);
		ck_assert_int_eq(stream_pkt_verify(&q, pbuf, n, NULL, NOW,
		    &err), 0);
		tkey_free(&k);
	}
}
END_TEST

/* every damaged byte: refused by parse, or by verify */
START_TEST(test_tampered)
{
	struct stream_pkt	 p, q;
	struct tkey		 k;
	struct i2p_err		 err;
	size_t			 i, n;
	int			 bit;

	syn_pkt(&p, &k, SIGTYPE_ED25519, SPF_MAX_PACKET_SIZE_INCLUDED |
	    SPF_DELAY_REQUESTED, 8, 40);
	n = build_signed(&p, &k);
	for (i = 0; i < n; i++) {
		for (bit = 0; bit < 8; bit += 7) {
			pbuf[i] ^= 1 << bit;
			if (stream_pkt_parse(&q, pbuf, n, NULL, &err) == 0)
				ck_assert_int_eq(stream_pkt_verify(&q, pbuf,
				    n, NULL, NOW, &err), -1);
			pbuf[i] ^= 1 << bit;
		}
	}
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), 0);
	ck_assert_int_eq(stream_pkt_verify(&q, pbuf, n, NULL, NOW, &err), 0);
	/* a signature by another key */
	tkey_new(&k, SIGTYPE_ED25519);
	n = build_signed(&p, &k);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), 0);
	ck_assert_int_eq(stream_pkt_verify(&q, pbuf, n, NULL, NOW, &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGNATURE);
}
END_TEST

/*
 * An offline-signed SYN by hand (the builder never writes one):
 * FROM, MTU, expires, transient type and key, the Destination's
 * signature of those, then the transient key's signature.
 */
static size_t
offline_syn(const struct tkey *d, const struct tkey *t, uint32_t expires,
    int with_from)
{
	struct wbuf	 w;
	uint8_t		 raw[I2P_IDENT_MAXLEN], sig[I2P_SIG_MAXLEN];
	size_t		 rawlen, optoff, offoff, sigoff, len;

	rawlen = tkey_dest(d, raw, sizeof(raw));
	wbuf_init_fixed(&w, pbuf, sizeof(pbuf));
	wbuf_put_u32(&w, 0);
	wbuf_put_u32(&w, 4242);
	wbuf_put_u32(&w, 0);
	wbuf_put_u32(&w, 0);
	wbuf_put_u8(&w, 0);
	wbuf_put_u8(&w, 0);
	wbuf_put_u16(&w, SPF_SYNCHRONIZE | SPF_MAX_PACKET_SIZE_INCLUDED |
	    SPF_OFFLINE_SIGNATURE | SPF_SIGNATURE_INCLUDED |
	    (with_from ? SPF_FROM_INCLUDED : 0));
	wbuf_reserve(&w, 2, &optoff);
	if (with_from)
		wbuf_put_bytes(&w, raw, rawlen);
	wbuf_put_u16(&w, 1730);
	offoff = wbuf_len(&w);
	wbuf_put_u32(&w, expires);
	wbuf_put_u16(&w, t->sigtype);
	wbuf_put_bytes(&w, t->pub, t->publen);
	tkey_sign(d, pbuf + offoff, 6 + t->publen, sig);
	wbuf_put_bytes(&w, sig, d->siglen);
	wbuf_reserve(&w, t->siglen, &sigoff);
	wbuf_set_u16(&w, optoff, wbuf_len(&w) - optoff - 2);
	wbuf_put_bytes(&w, "hello", 5);
	ck_assert_int_eq(wbuf_error(&w), 0);
	len = wbuf_len(&w);
	tkey_sign(t, pbuf, len, sig);
	stream_pkt_put_sig(pbuf, sigoff, sig, t->siglen);
	return len;
}

START_TEST(test_offline)
{
	struct stream_pkt	 q;
	struct i2p_ident	 dest;
	struct tkey		 d, t;
	struct i2p_err		 err;
	size_t			 n;

	tkey_new(&d, SIGTYPE_ED25519);
	tkey_new(&t, SIGTYPE_ECDSA_P256);	/* another sig length */
	make_dest(&d, &dest);
	n = offline_syn(&d, &t, NOW + 3600, 1);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), 0);
	ck_assert_uint_eq(q.off_expires, NOW + 3600);
	ck_assert_uint_eq(q.off_transient.sigtype, SIGTYPE_ECDSA_P256);
	ck_assert_uint_eq(q.siglen, 64);
	ck_assert_uint_eq(q.mtu, 1730);
	ck_assert_uint_eq(q.len, 5);
	ck_assert_mem_eq(q.payload, "hello", 5);
	ck_assert_int_eq(stream_pkt_verify(&q, pbuf, n, NULL, NOW, &err), 0);
	/* expired */
	ck_assert_int_eq(stream_pkt_verify(&q, pbuf, n, NULL, NOW + 3600,
	    &err), -1);
	ck_assert_int_eq(err.code, I2PE_EXPIRED);
	/* the Destination's signature of the transient key damaged */
	pbuf[n - 5 - 64 - 1] ^= 1;
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), 0);
	ck_assert_int_eq(stream_pkt_verify(&q, pbuf, n, NULL, NOW, &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGNATURE);
	/* without FROM: the caller's Destination, or refused */
	n = offline_syn(&d, &t, NOW + 3600, 0);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, &dest, &err), 0);
	ck_assert_int_eq(stream_pkt_verify(&q, pbuf, n, &dest, NOW, &err), 0);
	/* Ed25519 transient key, and a transient type nobody verifies */
	tkey_free(&t);
	tkey_new(&t, SIGTYPE_ED25519);
	n = offline_syn(&d, &t, NOW + 1, 1);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), 0);
	ck_assert_int_eq(stream_pkt_verify(&q, pbuf, n, NULL, NOW, &err), 0);
	t.sigtype = SIGTYPE_ED25519PH;
	n = offline_syn(&d, &t, NOW + 1, 1);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGTYPE);
}
END_TEST

/* every prefix: a clean failure, or (in the payload) a failed verify */
START_TEST(test_truncated)
{
	struct stream_pkt	 p, q;
	struct tkey		 k;
	struct i2p_err		 err;
	size_t			 i, n, start;

	syn_pkt(&p, &k, SIGTYPE_ECDSA_P256, SPF_MAX_PACKET_SIZE_INCLUDED |
	    SPF_DELAY_REQUESTED, 3, 10);
	n = build_signed(&p, &k);
	start = n - p.len;
	for (i = 0; i < n; i++) {
		memset(&err, 0, sizeof(err));
		if (i < start) {
			ck_assert_int_eq(stream_pkt_parse(&q, pbuf, i, NULL,
			    &err), -1);
			ck_assert_int_ne(err.code, I2PE_OK);
			ck_assert_ptr_null(q.payload);
			ck_assert_ptr_null(q.sig);
			continue;
		}
		ck_assert_int_eq(stream_pkt_parse(&q, pbuf, i, NULL, &err), 0);
		ck_assert_uint_eq(q.len, i - start);
		ck_assert_int_eq(stream_pkt_verify(&q, pbuf, i, NULL, NOW,
		    &err), -1);
	}
	tkey_free(&k);
}
END_TEST

/* a header by hand: nc NACKs claimed, have of them present */
static size_t
nack_pkt(uint8_t nc, size_t have)
{
	struct wbuf	 w;
	size_t		 i;

	wbuf_init_fixed(&w, pbuf, sizeof(pbuf));
	wbuf_put_zero(&w, 16);
	wbuf_put_u8(&w, nc);
	for (i = 0; i < have; i++)
		wbuf_put_u32(&w, i);
	wbuf_put_u8(&w, 0);
	wbuf_put_u16(&w, 0);
	wbuf_put_u16(&w, 0);
	return wbuf_len(&w);
}

START_TEST(test_nack_count)
{
	struct stream_pkt	 q;
	struct i2p_err		 err;
	size_t			 n;

	n = nack_pkt(2, 2);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), 0);
	ck_assert_uint_eq(q.nnacks, 2);
	ck_assert_uint_eq(q.nacks[1], 1);
	n = nack_pkt(3, 2);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	n = nack_pkt(255, 254);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	/* all 255 there */
	n = nack_pkt(255, 255);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), 0);
	ck_assert_uint_eq(q.nacks[254], 254);
	ck_assert_uint_eq(q.len, 0);
}
END_TEST

/* flags, then an option size and that many option bytes, payload */
static size_t
opt_pkt(uint16_t flags, uint16_t optsize, size_t extra)
{
	static uint8_t	 bytes[SP_PACKET_MAX];
	struct wbuf	 w;

	ck_assert_uint_le(optsize + extra, sizeof(bytes));
	unit_fill(bytes, optsize + extra, optsize);
	wbuf_init_fixed(&w, pbuf, sizeof(pbuf));
	wbuf_put_zero(&w, 17);
	wbuf_put_u8(&w, 0);
	wbuf_put_u16(&w, flags);
	wbuf_put_u16(&w, optsize);
	wbuf_put_bytes(&w, bytes, optsize + extra);
	ck_assert_int_eq(wbuf_error(&w), 0);
	return wbuf_len(&w);
}

START_TEST(test_option_size)
{
	struct stream_pkt	 p, q;
	struct tkey		 k;
	struct i2p_err		 err;
	size_t			 n;

	n = opt_pkt(SPF_DELAY_REQUESTED, 2, 4);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), 0);
	ck_assert_uint_eq(q.len, 4);
	n = opt_pkt(SPF_DELAY_REQUESTED, 1, 4);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	n = opt_pkt(SPF_DELAY_REQUESTED, 3, 4);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	n = opt_pkt(0, 2, 0);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	/* more option bytes than the packet holds */
	n = opt_pkt(SPF_DELAY_REQUESTED, 2, 0);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n - 1, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_TRUNCATED);
	/* MAX_PACKET_SIZE 0 */
	n = opt_pkt(SPF_MAX_PACKET_SIZE_INCLUDED, 2, 0);
	pbuf[22] = pbuf[23] = 0;
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	/* a signed SYN whose option size is one off either way */
	syn_pkt(&p, &k, SIGTYPE_ED25519, 0, 0, 10);
	n = build_signed(&p, &k);
	pbuf[21]++;
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	pbuf[21] -= 2;
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
}
END_TEST

/* CLOSE or RESET without FROM: the caller knows the signer, or not */
START_TEST(test_signature_without_from)
{
	struct stream_pkt	 p, q;
	struct i2p_ident	 dest, other;
	struct tkey		 k, k2;
	struct i2p_err		 err;
	size_t			 n;

	tkey_new(&k, SIGTYPE_ECDSA_P384);
	tkey_new(&k2, SIGTYPE_ED25519);
	make_dest(&k, &dest);
	make_dest(&k2, &other);
	fill_pkt(&p, SPF_CLOSE | SPF_SIGNATURE_INCLUDED, 0, 0);
	n = build_signed(&p, &k);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, &dest, &err), 0);
	ck_assert_uint_eq(q.siglen, 96);
	ck_assert_int_eq(stream_pkt_verify(&q, pbuf, n, &dest, NOW, &err), 0);
	ck_assert_int_eq(stream_pkt_verify(&q, pbuf, n, NULL, NOW, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	/* another signer: its length does not fit the option size */
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, &other, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	/* an unsigned packet does not verify */
	fill_pkt(&p, SPF_CLOSE, 0, 0);
	n = build_signed(&p, NULL);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, &dest, &err), 0);
	ck_assert_int_eq(stream_pkt_verify(&q, pbuf, n, &dest, NOW, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	tkey_free(&k);
}
END_TEST

START_TEST(test_syn_hash)
{
	struct stream_pkt	 p, q;
	struct tkey		 k;
	struct i2p_err		 err;
	uint8_t			 h[32], h2[32];
	size_t			 n;

	unit_fill(h, sizeof(h), 164);
	memcpy(h2, h, sizeof(h2));
	h2[31] ^= 0x80;
	syn_pkt(&p, &k, SIGTYPE_ED25519, 0, 0, 0);
	stream_pkt_set_syn_hash(&p, h);
	n = build_signed(&p, &k);
	/* on the wire: NACK count 8, the hash's bytes as they are */
	ck_assert_uint_eq(pbuf[16], 8);
	ck_assert_mem_eq(pbuf + 17, h, 32);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), 0);
	ck_assert_int_eq(stream_pkt_verify(&q, pbuf, n, NULL, NOW, &err), 0);
	ck_assert_int_eq(stream_pkt_check_syn_hash(&q, h), 0);
	ck_assert_int_eq(stream_pkt_check_syn_hash(&q, h2), -1);
	h2[31] ^= 0x80;
	h2[0] ^= 1;
	ck_assert_int_eq(stream_pkt_check_syn_hash(&q, h2), -1);
	/* an older peer's SYN has none; other counts are not a hash */
	q.nnacks = 0;
	ck_assert_int_eq(stream_pkt_check_syn_hash(&q, h), 0);
	q.nnacks = 7;
	ck_assert_int_eq(stream_pkt_check_syn_hash(&q, h), -1);
	q.nnacks = 9;
	ck_assert_int_eq(stream_pkt_check_syn_hash(&q, h), -1);
}
END_TEST

START_TEST(test_build_errors)
{
	struct stream_pkt	 p;
	struct wbuf		 w;
	struct i2p_err		 err;
	struct tkey		 k;
	uint8_t			 small[SP_PACKET_MAX];
	size_t			 cap, n, off;

	syn_pkt(&p, &k, SIGTYPE_ED25519, SPF_MAX_PACKET_SIZE_INCLUDED, 8, 100);
	n = build_signed(&p, &k);
	/* every buffer too small by one byte or more */
	for (cap = 0; cap < n; cap++) {
		wbuf_init_fixed(&w, small, cap);
		ck_assert_int_eq(stream_pkt_build(&w, &p, 64, &off, &err), -1);
		ck_assert_int_eq(err.code, I2PE_TOO_LARGE);
	}
	wbuf_init_fixed(&w, small, n);
	ck_assert_int_eq(stream_pkt_build(&w, &p, 64, &off, &err), 0);
	ck_assert_uint_eq(wbuf_len(&w), n);
	/* appended after what the buffer already holds */
	wbuf_init_fixed(&w, small, sizeof(small));
	wbuf_put_u32(&w, 0xdeadbeef);
	ck_assert_int_eq(stream_pkt_build(&w, &p, 64, &off, &err), 0);
	ck_assert_mem_eq(small + 4, pbuf, off - 4);
	ck_assert_uint_eq(off + 64 + p.len, wbuf_len(&w));
	/* what the builder does not write */
	wbuf_init_fixed(&w, small, sizeof(small));
	ck_assert_int_eq(stream_pkt_build(&w, &p, 0, &off, &err), -1);
	ck_assert_int_eq(err.code, I2PE_ARG);
	p.flags |= SPF_OFFLINE_SIGNATURE;
	ck_assert_int_eq(stream_pkt_build(&w, &p, 64, &off, &err), -1);
	ck_assert_int_eq(err.code, I2PE_ARG);
	p.flags &= ~SPF_OFFLINE_SIGNATURE;
	p.from.rawlen = 0;
	ck_assert_int_eq(stream_pkt_build(&w, &p, 64, &off, &err), -1);
	ck_assert_int_eq(err.code, I2PE_ARG);
	ck_assert_uint_eq(wbuf_len(&w), 0);
}
END_TEST

/* over SP_PACKET_MAX, and the shortest packets */
START_TEST(test_sizes)
{
	struct stream_pkt	 q;
	struct i2p_err		 err;
	size_t			 n;

	n = opt_pkt(0, 0, SP_PACKET_MAX - SP_HEADER_MIN);
	ck_assert_uint_eq(n, SP_PACKET_MAX);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), 0);
	ck_assert_uint_eq(q.len, SP_PACKET_MAX - SP_HEADER_MIN);
	n = opt_pkt(0, 0, SP_PACKET_MAX - SP_HEADER_MIN + 1);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_TOO_LARGE);
	n = opt_pkt(0, 0, 0);
	ck_assert_uint_eq(n, SP_HEADER_MIN);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, n, NULL, &err), 0);
	ck_assert_uint_eq(q.len, 0);
	ck_assert_ptr_null(q.payload);
	ck_assert_int_eq(stream_pkt_parse(&q, pbuf, 0, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_TRUNCATED);
}
END_TEST

static Suite *
stream_pkt_suite(void)
{
	Suite	*s = suite_create("stream_pkt");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_round_trip_flags);
	tcase_add_test(tc, test_signed_syn_sigtypes);
	tcase_add_test(tc, test_tampered);
	tcase_add_test(tc, test_offline);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_nack_count);
	tcase_add_test(tc, test_option_size);
	tcase_add_test(tc, test_signature_without_from);
	tcase_add_test(tc, test_syn_hash);
	tcase_add_test(tc, test_build_errors);
	tcase_add_test(tc, test_sizes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(stream_pkt_suite());
}
