/*
 * ECIES garlic payload blocks (common/garlicblk.c): every block written
 * and read back, unknown blocks skipped, and malformed input refused:
 * truncation at every length, wrong fixed sizes, blocks after padding,
 * bad clove flags, bad NextKey flags and key IDs.
 */
#include <check.h>
#include <string.h>

#include "garlicblk.h"
#include "unit.h"

static const uint8_t	body[] = "an I2NP message body";

static void
mkclove(struct gblk_clove *c, enum gblk_delivery d)
{
	memset(c, 0, sizeof(*c));
	c->delivery = d;
	memset(c->hash, 0xab, 32);
	c->tunnel_id = 0x01020304;
	c->hdr.type = 3;
	c->hdr.msg_id = 0xdeadbeef;
	c->hdr.expiration = 1790000000000ULL;
	c->msg = body;
	c->msglen = sizeof(body);
}

/* one of each block, and an unknown one in the middle */
static size_t
write_all(uint8_t *out, size_t cap)
{
	struct gblk_options	 o;
	struct gblk_ack		 a[2] = { { 1, 2 }, { 65535, 7 } };
	struct gblk_clove	 c;
	struct wbuf		 w;
	uint8_t			 key[32];
	int			 d;

	memset(key, 0x42, sizeof(key));
	memset(&o, 0, sizeof(o));
	o.stl = 8;
	o.sotw = 160;
	o.rdelay = 9;
	o.more = (const uint8_t *)"xy";
	o.morelen = 2;
	wbuf_init_fixed(&w, out, cap);
	gblk_put_datetime(&w, 1790000000);
	gblk_put_options(&w, &o);
	gblk_put_msgnum(&w, 4095);
	gblk_put_nextkey(&w, GBLK_NK_REQUEST, 3, key);
	gblk_put_nextkey(&w, GBLK_NK_REVERSE | GBLK_NK_KEY, 2, NULL);
	gblk_put_ack(&w, a, 2);
	gblk_put_ackreq(&w);
	/* an unknown type 200 with 2 bytes */
	wbuf_put_u8(&w, 200);
	wbuf_put_u16(&w, 2);
	wbuf_put_u16(&w, 0xffff);
	for (d = GBLK_LOCAL; d <= GBLK_TUNNEL; d++) {
		mkclove(&c, d);
		gblk_put_clove(&w, &c);
	}
	gblk_put_termination(&w, 1);
	gblk_put_padding(&w, 5);
	ck_assert_int_eq(wbuf_error(&w), 0);
	return wbuf_len(&w);
}

static void
check_clove(const struct gblk *b, enum gblk_delivery d)
{
	ck_assert_uint_eq(b->type, GBLK_CLOVE);
	ck_assert_int_eq(b->u.clove.delivery, d);
	ck_assert_uint_eq(b->u.clove.hdr.type, 3);
	ck_assert_uint_eq(b->u.clove.hdr.msg_id, 0xdeadbeef);
	ck_assert(b->u.clove.hdr.expiration == 1790000000000ULL);
	ck_assert_uint_eq(b->u.clove.msglen, sizeof(body));
	ck_assert_mem_eq(b->u.clove.msg, body, sizeof(body));
	if (d != GBLK_LOCAL)
		ck_assert_uint_eq(b->u.clove.hash[31], 0xab);
	if (d == GBLK_TUNNEL)
		ck_assert_uint_eq(b->u.clove.tunnel_id, 0x01020304);
}

START_TEST(roundtrip)
{
	uint8_t			 buf[1024];
	struct gblk_iter	 it;
	struct gblk		 b;
	struct gblk_ack		 a;
	const char		*why;
	size_t			 len;
	int			 d;

	len = write_all(buf, sizeof(buf));
	gblk_iter_init(&it, buf, len);
	ck_assert_int_eq(gblk_next(&it, &b, &why), 1);
	ck_assert_uint_eq(b.type, GBLK_DATETIME);
	ck_assert_uint_eq(b.u.datetime, 1790000000);
	ck_assert_int_eq(gblk_next(&it, &b, &why), 1);
	ck_assert_uint_eq(b.type, GBLK_OPTIONS);
	ck_assert_uint_eq(b.u.opts.stl, 8);
	ck_assert_uint_eq(b.u.opts.sotw, 160);
	ck_assert_uint_eq(b.u.opts.rdelay, 9);
	ck_assert_uint_eq(b.u.opts.morelen, 2);
	ck_assert_int_eq(gblk_next(&it, &b, &why), 1);
	ck_assert_uint_eq(b.type, GBLK_MSGNUM);
	ck_assert_uint_eq(b.u.pn, 4095);
	ck_assert_int_eq(gblk_next(&it, &b, &why), 1);
	ck_assert_uint_eq(b.type, GBLK_NEXTKEY);
	ck_assert_uint_eq(b.u.nextkey.flags, GBLK_NK_REQUEST | GBLK_NK_KEY);
	ck_assert_uint_eq(b.u.nextkey.key_id, 3);
	ck_assert_uint_eq(b.u.nextkey.key[0], 0x42);
	ck_assert_int_eq(gblk_next(&it, &b, &why), 1);
	ck_assert_uint_eq(b.u.nextkey.flags, GBLK_NK_REVERSE);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(gblk_next(&it, &b, &why), 1);
	ck_assert_uint_eq(b.type, GBLK_ACK);
	ck_assert_uint_eq(b.u.nacks, 2);
	ck_assert_int_eq(gblk_ack_get(&b, 1, &a), 0);
	ck_assert_uint_eq(a.tagset_id, 65535);
	ck_assert_uint_eq(a.n, 7);
	ck_assert_int_eq(gblk_ack_get(&b, 2, &a), -1);
	ck_assert_int_eq(gblk_next(&it, &b, &why), 1);
	ck_assert_uint_eq(b.type, GBLK_ACKREQ);
	for (d = GBLK_LOCAL; d <= GBLK_TUNNEL; d++) {
		ck_assert_int_eq(gblk_next(&it, &b, &why), 1);
		check_clove(&b, d);
	}
	ck_assert_int_eq(gblk_next(&it, &b, &why), 1);
	ck_assert_uint_eq(b.type, GBLK_TERMINATION);
	ck_assert_uint_eq(b.u.term.reason, 1);
	ck_assert_int_eq(gblk_next(&it, &b, &why), 1);
	ck_assert_uint_eq(b.type, GBLK_PADDING);
	ck_assert_uint_eq(b.len, 5);
	ck_assert_int_eq(gblk_next(&it, &b, &why), 0);
}
END_TEST

/* every proper prefix that cuts a block is refused, never read past */
START_TEST(truncated)
{
	uint8_t			 buf[1024], *cut;
	struct gblk_iter	 it;
	struct gblk		 b;
	const char		*why;
	size_t			 len, n, ends[32], nends = 0, off;
	int			 rv, boundary;

	len = write_all(buf, sizeof(buf));
	/* block boundaries: every prefix ending on one parses */
	for (off = 0; off < len; ) {
		off += 3 + (buf[off + 1] << 8 | buf[off + 2]);
		ends[nends++] = off;
	}
	for (n = 1; n < len; n++) {
		cut = malloc(n);
		memcpy(cut, buf, n);
		gblk_iter_init(&it, cut, n);
		while ((rv = gblk_next(&it, &b, &why)) == 1)
			;
		boundary = 0;
		for (off = 0; off < nends; off++)
			if (ends[off] == n)
				boundary = 1;
		ck_assert_int_eq(rv, boundary ? 0 : -1);
		free(cut);
	}
}
END_TEST

static int
parse1(const uint8_t *p, size_t len)
{
	struct gblk_iter	 it;
	struct gblk		 b;
	const char		*why = NULL;
	int			 rv;

	gblk_iter_init(&it, p, len);
	while ((rv = gblk_next(&it, &b, &why)) == 1)
		;
	if (rv == -1)
		ck_assert_ptr_nonnull(why);
	return rv;
}

START_TEST(malformed)
{
	static const uint8_t dt5[] = { 0, 0, 5, 1, 2, 3, 4, 5 };
	static const uint8_t dt3[] = { 0, 0, 3, 1, 2, 3 };
	static const uint8_t pn3[] = { 6, 0, 3, 1, 2, 3 };
	static const uint8_t ack0[] = { 8, 0, 0 };
	static const uint8_t ack5[] = { 8, 0, 5, 1, 2, 3, 4, 5 };
	static const uint8_t ackreq2[] = { 9, 0, 2, 0, 0 };
	static const uint8_t nk_both[] = { 7, 0, 3, 0x06, 0, 1 };
	static const uint8_t nk_id[] = { 7, 0, 3, 0x00, 0x80, 0 };
	static const uint8_t nk_nokey[] = { 7, 0, 3, 0x01, 0, 1 };
	static const uint8_t nk_extra[] = { 7, 0, 4, 0x00, 0, 1, 9 };
	static const uint8_t term0[] = { 4, 0, 0 };
	static const uint8_t opt20[23] = { 5, 0, 20 };
	static const uint8_t clove_enc[] = { 11, 0, 10, 0x80, 1, 0, 0, 0, 1,
	    0, 0, 0, 1 };
	static const uint8_t clove_delay[] = { 11, 0, 10, 0x10, 1, 0, 0, 0, 1,
	    0, 0, 0, 1 };
	static const uint8_t clove_short[] = { 11, 0, 9, 0x00, 1, 0, 0, 0, 1,
	    0, 0, 0 };
	static const uint8_t clove_dest[] = { 11, 0, 12, 0x20, 1, 0, 0, 0, 1,
	    0, 0, 0, 1, 2, 3 };
	static const uint8_t pad_twice[] = { 254, 0, 1, 0, 254, 0, 0 };
	static const uint8_t after_pad[] = { 254, 0, 0, 9, 0, 1, 0 };
	static const uint8_t unk_after_pad[] = { 254, 0, 0, 200, 0, 0 };
	static const uint8_t long_size[] = { 200, 0xff, 0xff, 0 };

	ck_assert_int_eq(parse1(dt5, sizeof(dt5)), -1);
	ck_assert_int_eq(parse1(dt3, sizeof(dt3)), -1);
	ck_assert_int_eq(parse1(pn3, sizeof(pn3)), -1);
	ck_assert_int_eq(parse1(ack0, sizeof(ack0)), -1);
	ck_assert_int_eq(parse1(ack5, sizeof(ack5)), -1);
	ck_assert_int_eq(parse1(ackreq2, sizeof(ackreq2)), -1);
	ck_assert_int_eq(parse1(nk_both, sizeof(nk_both)), -1);
	ck_assert_int_eq(parse1(nk_id, sizeof(nk_id)), -1);
	ck_assert_int_eq(parse1(nk_nokey, sizeof(nk_nokey)), -1);
	ck_assert_int_eq(parse1(nk_extra, sizeof(nk_extra)), -1);
	ck_assert_int_eq(parse1(term0, sizeof(term0)), -1);
	ck_assert_int_eq(parse1(opt20, sizeof(opt20)), -1);
	ck_assert_int_eq(parse1(clove_enc, sizeof(clove_enc)), -1);
	ck_assert_int_eq(parse1(clove_delay, sizeof(clove_delay)), -1);
	ck_assert_int_eq(parse1(clove_short, sizeof(clove_short)), -1);
	ck_assert_int_eq(parse1(clove_dest, sizeof(clove_dest)), -1);
	ck_assert_int_eq(parse1(pad_twice, sizeof(pad_twice)), -1);
	ck_assert_int_eq(parse1(after_pad, sizeof(after_pad)), -1);
	ck_assert_int_eq(parse1(unk_after_pad, sizeof(unk_after_pad)), -1);
	ck_assert_int_eq(parse1(long_size, sizeof(long_size)), -1);
	/* empty payloads are fine: padding-only and nothing at all */
	ck_assert_int_eq(parse1(term0, 0), 0);
	ck_assert_int_eq(parse1((const uint8_t *)"\xfe\0\0", 3), 0);
}
END_TEST

/* an error sticks: later calls fail too */
START_TEST(sticky)
{
	static const uint8_t bad[] = { 0, 0, 3, 1, 2, 3, 0, 0, 4, 1, 2, 3, 4 };
	struct gblk_iter	 it;
	struct gblk		 b;
	const char		*why;

	gblk_iter_init(&it, bad, sizeof(bad));
	ck_assert_int_eq(gblk_next(&it, &b, &why), -1);
	ck_assert_int_eq(gblk_next(&it, &b, &why), -1);
}
END_TEST

START_TEST(writer_limits)
{
	uint8_t			 buf[64];
	struct wbuf		 w;
	struct gblk_clove	 c;
	struct gblk_ack		 a = { 0, 0 };

	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(gblk_put_nextkey(&w, 0, 32768, NULL), -1);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(gblk_put_ack(&w, &a, 0), -1);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(gblk_put_padding(&w, 65517), -1);
	/* does not fit: the fixed buffer refuses */
	wbuf_init_fixed(&w, buf, sizeof(buf));
	mkclove(&c, GBLK_TUNNEL);
	c.msglen = 40;
	ck_assert_int_eq(gblk_put_clove(&w, &c), -1);
	mkclove(&c, GBLK_ROUTER);
	ck_assert_uint_eq(gblk_clove_size(&c), 3 + 1 + 32 + 9 + sizeof(body));
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("garlicblk");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, roundtrip);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, sticky);
	tcase_add_test(tc, writer_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}
