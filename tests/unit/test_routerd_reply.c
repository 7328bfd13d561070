/*
 * Reply wrapping (routerd/reply.c): direct, into a tunnel, in garlic,
 * and both; each unwrapped here the way the receiver would.
 */
#include <check.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "../../routerd/reply.h"
#include "unit.h"

static uint8_t		payload[300];
static struct i2np_hdr	inner = { .type = I2NP_DATABASE_SEARCH_REPLY,
			    .msg_id = 0x01020304,
			    .expiration = 1795305600000ULL };

static void
reply_init(struct reply_to *rt, uint32_t tunnel, enum reply_enc enc)
{
	size_t	i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = i * 7;
	memset(rt, 0, sizeof(*rt));
	memset(rt->router, 0xaa, 32);
	rt->tunnel = tunnel;
	rt->enc = enc;
	memset(rt->key, 0x5c, 32);
	memset(rt->tag, 0x3e, 32);
}

static size_t
wrap(uint8_t *buf, size_t len, uint8_t *type, const struct reply_to *rt)
{
	struct wbuf	 w;

	wbuf_init_fixed(&w, buf, len);
	ck_assert_int_eq(reply_wrap(&w, type, rt, &inner, payload,
	    sizeof(payload)), 0);
	return wbuf_len(&w);
}

/* the garlic a requester gets; returns the clove's message payload */
static void
check_garlic(const uint8_t *g, size_t len, const struct reply_to *rt)
{
	struct rbuf	 r;
	uint8_t		 plain[1024], tag[8], blk, dlv, type;
	const uint8_t	*ct;
	uint32_t	 glen, id, exp;
	uint16_t	 size;

	rbuf_init(&r, g, len);
	ck_assert_int_eq(rbuf_get_u32(&r, &glen), 0);
	ck_assert_uint_eq(glen, len - 4);
	rbuf_get_bytes(&r, tag, 8);
	ck_assert_mem_eq(tag, rt->tag, 8);
	ck_assert_int_eq(rbuf_get_ptr(&r, &ct, glen - 8), 0);
	ck_assert_int_eq(chachapoly_decrypt(plain, rt->key, 0, tag, 8, ct,
	    glen - 8), 0);
	/* a wrong key must not open it */
	{
		uint8_t	bad[32], junk[1024];

		memset(bad, 0x5d, 32);
		ck_assert_int_eq(chachapoly_decrypt(junk, bad, 0, tag, 8, ct,
		    glen - 8), -1);
	}
	rbuf_init(&r, plain, glen - 8 - 16);
	rbuf_get_u8(&r, &blk);
	rbuf_get_u16(&r, &size);
	rbuf_get_u8(&r, &dlv);
	rbuf_get_u8(&r, &type);
	rbuf_get_u32(&r, &id);
	rbuf_get_u32(&r, &exp);
	ck_assert_uint_eq(blk, 11);
	ck_assert_uint_eq(size, 1 + 9 + sizeof(payload));
	ck_assert_uint_eq(dlv, 0);
	ck_assert_uint_eq(type, inner.type);
	ck_assert_uint_eq(id, inner.msg_id);
	ck_assert_uint_eq(exp, inner.expiration / 1000);
	ck_assert_uint_eq(rbuf_left(&r), sizeof(payload));
	ck_assert_mem_eq(plain + 13, payload, sizeof(payload));
}

/*
 * The ElGamal/AES garlic an ElGamal destination gets, opened as i2pd's
 * GarlicDestination::HandleGarlicMessage and HandleAESBlock do: tag,
 * AES-CBC (IV from the tag's hash) over tag count, payload size and
 * hash, flag, payload, padding; the payload one local clove holding the
 * message with its long header.
 */
static void
check_aes(const uint8_t *g, size_t len, const struct reply_to *rt)
{
	struct rbuf	 r;
	struct i2np_hdr	 h;
	uint8_t		 plain[1024], iv[32], hash[32], n, dlv, flag;
	const uint8_t	*ct, *pl;
	uint32_t	 glen, plen, msgid;
	uint16_t	 ntags;
	uint64_t	 exp;

	rbuf_init(&r, g, len);
	ck_assert_int_eq(rbuf_get_u32(&r, &glen), 0);
	ck_assert_uint_eq(glen, len - 4);
	ck_assert_uint_eq(glen % 16, 0);
	ck_assert_mem_eq(g + 4, rt->tag, 32);
	rbuf_skip(&r, 32);
	ck_assert_int_eq(rbuf_get_ptr(&r, &ct, glen - 32), 0);
	ck_assert_int_eq(sha256(iv, rt->tag, 32), 0);
	ck_assert_int_eq(aes256_cbc_decrypt(plain, rt->key, iv, ct,
	    glen - 32), 0);
	rbuf_init(&r, plain, glen - 32);
	rbuf_get_u16(&r, &ntags);
	rbuf_get_u32(&r, &plen);
	ck_assert_uint_eq(ntags, 0);
	ck_assert_int_eq(rbuf_get_bytes(&r, hash, 32), 0);
	rbuf_get_u8(&r, &flag);
	ck_assert_uint_eq(flag, 0);
	ck_assert_int_eq(rbuf_get_ptr(&r, &pl, plen), 0);
	/* no more than a block of padding */
	ck_assert_uint_lt(rbuf_left(&r), 16);
	ck_assert_int_eq(sha256(iv, pl, plen), 0);
	ck_assert_mem_eq(iv, hash, 32);

	rbuf_init(&r, pl, plen);
	rbuf_get_u8(&r, &n);
	rbuf_get_u8(&r, &dlv);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(dlv, 0);
	ck_assert_int_eq(rbuf_get_ptr(&r, &ct, I2NP_LONG_HDRLEN +
	    sizeof(payload)), 0);
	{
		struct rbuf	 m;

		ck_assert_int_eq(i2np_msg_parse_long(&h, &m, ct,
		    I2NP_LONG_HDRLEN + sizeof(payload), NULL), 0);
		ck_assert_uint_eq(h.type, inner.type);
		ck_assert_uint_eq(h.msg_id, inner.msg_id);
		ck_assert_uint_eq(h.expiration, inner.expiration);
		ck_assert_uint_eq(rbuf_left(&m), sizeof(payload));
		ck_assert_mem_eq(ct + I2NP_LONG_HDRLEN, payload,
		    sizeof(payload));
	}
	rbuf_get_u32(&r, &msgid);		/* clove ID */
	rbuf_get_u64(&r, &exp);
	ck_assert_uint_eq(exp, inner.expiration);
	rbuf_skip(&r, 3);			/* clove certificate */
	rbuf_skip(&r, 3);			/* certificate */
	rbuf_get_u32(&r, &msgid);
	rbuf_get_u64(&r, &exp);
	ck_assert_uint_eq(exp, inner.expiration);
	ck_assert_int_eq(rbuf_end(&r), 0);
}

/* the TunnelGateway a gateway gets; returns the message inside */
static const uint8_t *
check_gateway(const uint8_t *buf, size_t len, uint32_t tunnel,
    struct i2np_hdr *h, size_t *plen)
{
	struct rbuf	 r, p;
	const uint8_t	*msg;
	uint32_t	 tid;
	uint16_t	 mlen;

	rbuf_init(&r, buf, len);
	rbuf_get_u32(&r, &tid);
	rbuf_get_u16(&r, &mlen);
	ck_assert_uint_eq(tid, tunnel);
	ck_assert_uint_eq(mlen, len - 6);
	ck_assert_int_eq(rbuf_get_ptr(&r, &msg, mlen), 0);
	ck_assert_int_eq(i2np_msg_parse_long(h, &p, msg, mlen, NULL), 0);
	*plen = rbuf_left(&p);
	return msg + I2NP_LONG_HDRLEN;
}

START_TEST(test_direct)
{
	struct reply_to	 rt;
	uint8_t		 buf[2048], type;
	size_t		 n;

	reply_init(&rt, 0, REPLY_PLAIN);
	n = wrap(buf, sizeof(buf), &type, &rt);
	ck_assert_uint_eq(type, I2NP_DATABASE_SEARCH_REPLY);
	ck_assert_uint_eq(n, sizeof(payload));
	ck_assert_mem_eq(buf, payload, n);
}
END_TEST

START_TEST(test_tunnel)
{
	struct reply_to	 rt;
	struct i2np_hdr	 h;
	const uint8_t	*p;
	uint8_t		 buf[2048], type;
	size_t		 n, plen;

	reply_init(&rt, 0x11223344, REPLY_PLAIN);
	n = wrap(buf, sizeof(buf), &type, &rt);
	ck_assert_uint_eq(type, I2NP_TUNNEL_GATEWAY);
	p = check_gateway(buf, n, 0x11223344, &h, &plen);
	ck_assert_uint_eq(h.type, inner.type);
	ck_assert_uint_eq(h.msg_id, inner.msg_id);
	ck_assert_uint_eq(h.expiration, inner.expiration);
	ck_assert_uint_eq(plen, sizeof(payload));
	ck_assert_mem_eq(p, payload, plen);
}
END_TEST

START_TEST(test_garlic)
{
	struct reply_to	 rt;
	uint8_t		 buf[2048], type;
	size_t		 n;

	reply_init(&rt, 0, REPLY_AEAD);
	n = wrap(buf, sizeof(buf), &type, &rt);
	ck_assert_uint_eq(type, I2NP_GARLIC);
	check_garlic(buf, n, &rt);
}
END_TEST

START_TEST(test_garlic_in_tunnel)
{
	struct reply_to	 rt;
	struct i2np_hdr	 h;
	const uint8_t	*p;
	uint8_t		 buf[2048], type;
	size_t		 n, plen;

	reply_init(&rt, 7, REPLY_AEAD);
	n = wrap(buf, sizeof(buf), &type, &rt);
	ck_assert_uint_eq(type, I2NP_TUNNEL_GATEWAY);
	p = check_gateway(buf, n, 7, &h, &plen);
	ck_assert_uint_eq(h.type, I2NP_GARLIC);
	ck_assert_uint_eq(h.expiration, inner.expiration);
	check_garlic(p, plen, &rt);
}
END_TEST

START_TEST(test_aes)
{
	struct reply_to	 rt;
	uint8_t		 buf[2048], type;
	size_t		 n;

	reply_init(&rt, 0, REPLY_AES);
	n = wrap(buf, sizeof(buf), &type, &rt);
	ck_assert_uint_eq(type, I2NP_GARLIC);
	check_aes(buf, n, &rt);
}
END_TEST

START_TEST(test_aes_in_tunnel)
{
	struct reply_to	 rt;
	struct i2np_hdr	 h;
	const uint8_t	*p;
	uint8_t		 buf[2048], type;
	size_t		 n, plen;

	reply_init(&rt, 9, REPLY_AES);
	n = wrap(buf, sizeof(buf), &type, &rt);
	ck_assert_uint_eq(type, I2NP_TUNNEL_GATEWAY);
	p = check_gateway(buf, n, 9, &h, &plen);
	ck_assert_uint_eq(h.type, I2NP_GARLIC);
	check_aes(p, plen, &rt);
}
END_TEST

/* a reply that cannot fit an I2NP message is refused, not cut */
START_TEST(test_too_large)
{
	static uint8_t	 big[65535], out[70000];
	struct reply_to	 rt;
	struct wbuf	 w;
	uint8_t		 type;

	reply_init(&rt, 7, REPLY_PLAIN);
	wbuf_init_fixed(&w, out, sizeof(out));
	ck_assert_int_eq(reply_wrap(&w, &type, &rt, &inner, big,
	    sizeof(big) - 10), -1);
	reply_init(&rt, 0, REPLY_AEAD);
	wbuf_init_fixed(&w, out, sizeof(out));
	ck_assert_int_eq(reply_wrap(&w, &type, &rt, &inner, big,
	    sizeof(big) - 5), -1);
	reply_init(&rt, 0, REPLY_AES);
	wbuf_init_fixed(&w, out, sizeof(out));
	ck_assert_int_eq(reply_wrap(&w, &type, &rt, &inner, big,
	    sizeof(big) - 40), -1);
}
END_TEST

static Suite *
reply_suite(void)
{
	Suite	*s = suite_create("reply");
	TCase	*tc = tcase_create("reply");

	tcase_add_test(tc, test_direct);
	tcase_add_test(tc, test_tunnel);
	tcase_add_test(tc, test_garlic);
	tcase_add_test(tc, test_garlic_in_tunnel);
	tcase_add_test(tc, test_aes);
	tcase_add_test(tc, test_aes_in_tunnel);
	tcase_add_test(tc, test_too_large);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(reply_suite());
}
