/*
 * Garlic to our router (routerd/garlic.c): the one-time tag form as
 * reply.c writes it (an outbound endpoint's build reply), used once;
 * the Noise N form to our key, round trip; the ECIES block parser with
 * malformed input; every cut and flipped bit refused.
 */
#include <check.h>
#include <string.h>

#include "crypto.h"
#include "../../routerd/garlic.h"
#include "../../routerd/reply.h"
#include "unit.h"

struct got {
	int		 n;
	struct i2np_hdr	 h;
	uint8_t		 payload[64];
};

static void
collect(void *arg, const struct i2np_hdr *h, const uint8_t *p)
{
	struct got	*g = arg;

	g->n++;
	g->h = *h;
	ck_assert_uint_le(h->size, sizeof(g->payload));
	memcpy(g->payload, p, h->size);
}

static const uint8_t	msg[] = "an OutboundTunnelBuildReply";

static void
inner(struct i2np_hdr *h)
{
	memset(h, 0, sizeof(*h));
	h->type = I2NP_OUTBOUND_TUNNEL_BUILD_REPLY;
	h->msg_id = 0x01020304;
	h->expiration = 1790000000000ULL;
}

/* a Garlic payload under key and tag, as an outbound endpoint sends it */
static size_t
tagged(uint8_t *out, size_t outlen, const uint8_t key[32],
    const uint8_t tag[8])
{
	struct reply_to	 rt;
	struct i2np_hdr	 h;
	struct wbuf	 w;
	uint8_t		 type;

	memset(&rt, 0, sizeof(rt));
	rt.enc = REPLY_AEAD;
	memcpy(rt.key, key, 32);
	memcpy(rt.tag, tag, 8);
	inner(&h);
	wbuf_init_fixed(&w, out, outlen);
	ck_assert_int_eq(reply_wrap(&w, &type, &rt, &h, msg, sizeof(msg)), 0);
	ck_assert_uint_eq(type, I2NP_GARLIC);
	return wbuf_len(&w);
}

START_TEST(test_tagged)
{
	uint8_t		 key[32], tag[8], g[256], clear[256];
	struct got	 got;
	uint32_t	 dt;
	const char	*why;
	size_t		 len;
	int		 n, known;

	crypto_random(key, 32);
	crypto_random(tag, 8);
	len = tagged(g, sizeof(g), key, tag);
	/* not expected yet */
	ck_assert_int_eq(garlic_open_tagged(g, len, 1000, clear, &known,
	    &why), -1);
	ck_assert_int_eq(known, 0);
	ck_assert_int_eq(garlic_expect(key, tag, 2000), 0);
	/* a flipped bit: the tag is used up even so */
	g[len - 1] ^= 1;
	ck_assert_int_eq(garlic_open_tagged(g, len, 1000, clear, &known,
	    &why), -1);
	ck_assert_int_eq(known, 1);
	g[len - 1] ^= 1;
	ck_assert_int_eq(garlic_open_tagged(g, len, 1000, clear, &known,
	    &why), -1);
	ck_assert_int_eq(known, 0);
	/* again, whole */
	ck_assert_int_eq(garlic_expect(key, tag, 2000), 0);
	ck_assert_int_gt(n = garlic_open_tagged(g, len, 1000, clear, &known,
	    &why), 0);
	memset(&got, 0, sizeof(got));
	ck_assert_int_eq(garlic_blocks(clear, n, collect, &got, &dt, &why), 0);
	ck_assert_int_eq(got.n, 1);
	ck_assert_uint_eq(got.h.type, I2NP_OUTBOUND_TUNNEL_BUILD_REPLY);
	ck_assert_uint_eq(got.h.msg_id, 0x01020304);
	ck_assert_uint_eq(got.h.expiration, 1790000000000ULL);
	ck_assert_uint_eq(got.h.size, sizeof(msg));
	ck_assert_mem_eq(got.payload, msg, sizeof(msg));
	/* used once */
	ck_assert_int_eq(garlic_open_tagged(g, len, 1000, clear, &known,
	    &why), -1);
	/* expired */
	ck_assert_int_eq(garlic_expect(key, tag, 2000), 0);
	ck_assert_int_eq(garlic_open_tagged(g, len, 2001, clear, &known,
	    &why), -1);
	garlic_expire(2001);
	garlic_shutdown();
}
END_TEST

START_TEST(test_router)
{
	uint8_t		 priv[32], pub[32], shared[32], clear[256];
	struct i2np_hdr	 h;
	struct got	 got;
	struct wbuf	 w;
	const uint8_t	*e;
	const char	*why;
	uint32_t	 dt;
	size_t		 len, i;
	int		 n;

	ck_assert_int_eq(x25519_keygen(priv, pub), 0);
	inner(&h);
	ck_assert_int_eq(wbuf_init_dynamic(&w, 64, 1024), 0);
	ck_assert_int_eq(garlic_wrap_router(&w, pub, 1790000000, &h, msg,
	    sizeof(msg)), 0);
	len = wbuf_len(&w);
	ck_assert_ptr_nonnull(e = garlic_ephemeral(wbuf_data(&w), len));
	ck_assert_int_eq(x25519(shared, priv, e), 0);
	ck_assert_int_gt(n = garlic_open_router(wbuf_data(&w), len, pub,
	    shared, clear, &why), 0);
	memset(&got, 0, sizeof(got));
	ck_assert_int_eq(garlic_blocks(clear, n, collect, &got, &dt, &why), 0);
	ck_assert_uint_eq(dt, 1790000000);
	ck_assert_int_eq(got.n, 1);
	ck_assert_mem_eq(got.payload, msg, sizeof(msg));
	/* any flipped bit after the ephemeral key, any cut */
	for (i = (4 + 32) * 8; i < len * 8; i += 7) {
		((uint8_t *)wbuf_data(&w))[i / 8] ^= 1 << (i % 8);
		ck_assert_int_eq(garlic_open_router(wbuf_data(&w), len, pub,
		    shared, clear, &why), -1);
		((uint8_t *)wbuf_data(&w))[i / 8] ^= 1 << (i % 8);
	}
	for (i = 0; i < len; i++) {
		ck_assert_int_eq(garlic_open_router(wbuf_data(&w), i, pub,
		    shared, clear, &why), -1);
		if (i < 4 + 32 + 16)
			ck_assert_ptr_null(garlic_ephemeral(wbuf_data(&w), i));
	}
	/* another key's DH */
	ck_assert_int_eq(x25519_keygen(priv, pub), 0);
	ck_assert_int_eq(x25519(shared, priv, e), 0);
	ck_assert_int_eq(garlic_open_router(wbuf_data(&w), len, pub, shared,
	    clear, &why), -1);
	wbuf_free(&w);
}
END_TEST

/* blocks as they may come: refused or skipped as the spec says */
START_TEST(test_blocks)
{
	static const struct {
		const char	*bytes;
		size_t		 len;
		int		 rv, cloves;
	} cases[] = {
		{ "", 0, 0, 0 },
		/* DateTime */
		{ "\x00\x00\x04\x6a\xb0\x1c\x80", 7, 0, 0 },
		{ "\x00\x00\x03\x6a\xb0\x1c", 6, -1, 0 },	/* short */
		{ "\x00\x00\x04\x6a\xb0", 5, -1, 0 },		/* cut */
		/* a local clove, empty payload */
		{ "\x0b\x00\x0a\x00\x0a\x00\x00\x00\x01\x6a\xb0\x1c\x80",
		    13, 0, 1 },
		/* a clove too short for its header */
		{ "\x0b\x00\x05\x00\x0a\x00\x00\x00", 8, -1, 0 },
		/* a router clove: skipped (32-byte hash) */
		{ "\x0b\x00\x2a\x40" "0123456789abcdef0123456789abcdef"
		    "\x0a\x00\x00\x00\x01\x6a\xb0\x1c\x80", 45, 0, 0 },
		/* a router clove without its hash */
		{ "\x0b\x00\x05\x40\x0a\x00\x00\x00", 8, -1, 0 },
		/* unknown block, then padding last */
		{ "\x63\x00\x01\x00\xfe\x00\x02\x00\x00", 9, 0, 0 },
		/* padding not last */
		{ "\xfe\x00\x00\x00\x00\x04\x6a\xb0\x1c\x80", 10, -1, 0 },
		/* size beyond the end */
		{ "\x0b\xff\xff\x00", 4, -1, 0 },
		{ "\x0b\x00", 2, -1, 0 },
	};
	struct got	 got;
	uint32_t	 dt;
	const char	*why;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&got, 0, sizeof(got));
		ck_assert_msg(garlic_blocks((const uint8_t *)cases[i].bytes,
		    cases[i].len, collect, &got, &dt, &why) == cases[i].rv,
		    "case %zu", i);
		ck_assert_msg(got.n == cases[i].cloves, "case %zu cloves", i);
	}
}
END_TEST

START_TEST(test_tag_table)
{
	uint8_t	key[32] = { 0 }, tag[8] = { 0 };
	size_t	i;

	for (i = 0; i < GARLIC_TAGS_MAX; i++) {
		memcpy(tag, &i, sizeof(i) < 8 ? sizeof(i) : 8);
		ck_assert_int_eq(garlic_expect(key, tag, time(NULL) + 60), 0);
	}
	/* full of live tags: refused, not an old one dropped */
	tag[7] = 0xff;
	ck_assert_int_eq(garlic_expect(key, tag, time(NULL) + 60), -1);
	garlic_shutdown();
	ck_assert_int_eq(garlic_expect(key, tag, time(NULL) + 60), 0);
	garlic_shutdown();
}
END_TEST

static Suite *
garlic_suite(void)
{
	Suite	*s = suite_create("garlic");
	TCase	*tc = tcase_create("garlic");

	tcase_add_test(tc, test_tagged);
	tcase_add_test(tc, test_router);
	tcase_add_test(tc, test_blocks);
	tcase_add_test(tc, test_tag_table);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(garlic_suite());
}
