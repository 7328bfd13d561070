/*
 * Unit tests of netd/ssu2_blk.c and ssu2_ack.c: every SSU2 block built,
 * walked and decoded back; ACK ranges from packet number sets and back;
 * and malformed blocks of every kind.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "crypto.h"
#include "unit.h"
#include "../../netd/ssu2.h"

#define MAXB	16

struct got {
	size_t		 n;
	struct ssu2_blk	 b[MAXB];
};

static int
collect(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	struct got	*g = arg;

	if (g->n == MAXB)
		return 2;
	ck_assert_int_eq(ssu2_blk_parse(type, body, len, &g->b[g->n]), 0);
	g->n++;
	return 0;
}

/* walks what w holds, expecting n blocks */
static void
walk(struct wbuf *w, struct got *g, size_t n)
{
	memset(g, 0, sizeof(*g));
	ck_assert_int_eq(wbuf_error(w), 0);
	ck_assert_int_eq(ssu2_blocks(wbuf_data(w), wbuf_len(w), collect, g),
	    0);
	ck_assert_uint_eq(g->n, n);
}

START_TEST(simple_blocks)
{
	uint8_t		 buf[512], more[3] = { 7, 8, 9 };
	struct ssu2_options o = { 1, 2, 3, 4, 500, 600, 700, 800, more, 3 };
	struct ssu2_addr a4 = { 9000, 4, { 198, 18, 0, 1 } }, a6;
	struct wbuf	 w;
	struct got	 g;

	memset(&a6, 0, sizeof(a6));
	a6.port = 1;
	a6.iplen = 16;
	memset(a6.ip, 0xfe, 16);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ssu2_put_datetime(&w, 1700000000);
	ssu2_put_options(&w, &o);
	ssu2_put_address(&w, &a4);
	ssu2_put_address(&w, &a6);
	ssu2_put_relay_tag_request(&w);
	ssu2_put_relay_tag(&w, 0xdeadbeef);
	ssu2_put_new_token(&w, 1700003600, 0x0102030405060708ULL);
	ssu2_put_first_pn(&w, 77);
	ssu2_put_congestion(&w, 3);
	ssu2_put_termination(&w, 12345, SSU2_R_IDLE_TIMEOUT);
	ssu2_put_padding(&w, 17);
	walk(&w, &g, 11);
	ck_assert_uint_eq(g.b[0].u.datetime, 1700000000);
	ck_assert_uint_eq(g.b[1].u.options.rmax, 4);
	ck_assert_uint_eq(g.b[1].u.options.rdelay, 800);
	ck_assert_uint_eq(g.b[1].u.options.morelen, 3);
	ck_assert_mem_eq(g.b[1].u.options.more, more, 3);
	ck_assert_uint_eq(g.b[2].u.addr.port, 9000);
	ck_assert_uint_eq(g.b[2].u.addr.iplen, 4);
	ck_assert_mem_eq(g.b[2].u.addr.ip, a4.ip, 4);
	ck_assert_uint_eq(g.b[3].u.addr.iplen, 16);
	ck_assert_mem_eq(g.b[3].u.addr.ip, a6.ip, 16);
	ck_assert_uint_eq(g.b[4].type, SSU2_B_RELAY_TAG_REQUEST);
	ck_assert_uint_eq(g.b[5].u.relay_tag, 0xdeadbeef);
	ck_assert_uint_eq(g.b[6].u.new_token.expires, 1700003600);
	ck_assert(g.b[6].u.new_token.token == 0x0102030405060708ULL);
	ck_assert_uint_eq(g.b[7].u.first_pn, 77);
	ck_assert_uint_eq(g.b[8].u.congestion, 3);
	ck_assert(g.b[9].u.term.received == 12345);
	ck_assert_uint_eq(g.b[9].u.term.reason, SSU2_R_IDLE_TIMEOUT);
	ck_assert_uint_eq(g.b[10].type, SSU2_B_PADDING);
}
END_TEST

START_TEST(message_blocks)
{
	uint8_t		 buf[1500], body[300], ri[400], path[8];
	struct ssu2_i2np m = { 19, 0x11223344, 1700000060, body, 300 };
	struct ssu2_follow f = { 127, 1, 0x11223344, body, 10 };
	struct wbuf	 w;
	struct got	 g;

	unit_fill(body, sizeof(body), 4);
	unit_fill(ri, sizeof(ri), 5);
	unit_fill(path, sizeof(path), 6);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ssu2_put_routerinfo(&w, SSU2_RI_FLOOD | SSU2_RI_GZIP, ri, sizeof(ri));
	ssu2_put_i2np(&w, SSU2_B_I2NP, &m);
	ssu2_put_i2np(&w, SSU2_B_FIRST_FRAG, &m);
	ssu2_put_follow(&w, &f);
	ssu2_put_path(&w, SSU2_B_PATH_CHALLENGE, path, sizeof(path));
	ssu2_put_path(&w, SSU2_B_PATH_RESPONSE, path, sizeof(path));
	walk(&w, &g, 6);
	ck_assert_uint_eq(g.b[0].u.ri.flag, SSU2_RI_FLOOD | SSU2_RI_GZIP);
	ck_assert_uint_eq(g.b[0].u.ri.len, sizeof(ri));
	ck_assert_mem_eq(g.b[0].u.ri.data, ri, sizeof(ri));
	ck_assert_uint_eq(g.b[1].u.i2np.type, 19);
	ck_assert_uint_eq(g.b[1].u.i2np.msg_id, 0x11223344);
	ck_assert_uint_eq(g.b[1].u.i2np.expires, 1700000060);
	ck_assert_uint_eq(g.b[1].u.i2np.bodylen, 300);
	ck_assert_mem_eq(g.b[2].u.i2np.body, body, 300);
	ck_assert_uint_eq(g.b[3].u.follow.num, 127);
	ck_assert_int_eq(g.b[3].u.follow.last, 1);
	ck_assert_uint_eq(g.b[3].u.follow.bodylen, 10);
	ck_assert_uint_eq(g.b[4].u.path.len, 8);
	ck_assert_mem_eq(g.b[5].u.path.data, path, 8);
	/* builders refuse what the spec forbids */
	f.num = 0;
	ck_assert_int_eq(ssu2_put_follow(&w, &f), -1);
	f.num = 128;
	ck_assert_int_eq(ssu2_put_follow(&w, &f), -1);
	ck_assert_int_eq(ssu2_put_relay_tag(&w, 0), -1);
	ck_assert_int_eq(ssu2_put_i2np(&w, SSU2_B_ACK, &m), -1);
	ck_assert_int_eq(ssu2_put_path(&w, SSU2_B_ACK, path, 1), -1);
}
END_TEST

START_TEST(relay_blocks)
{
	uint8_t		 buf[1024], sig[64], sd[64];
	struct ssu2_relay x;
	struct wbuf	 w, s;
	struct got	 g;

	unit_fill(sig, sizeof(sig), 7);
	memset(&x, 0, sizeof(x));
	x.nonce = 0xa0a0a0a0;
	x.tag = 42;
	x.ts = 1700000000;
	x.ver = 2;
	x.addr.port = 1234;
	x.addr.iplen = 4;
	memcpy(x.addr.ip, "\xc6\x12\x00\x05", 4);
	x.sig = sig;
	x.siglen = sizeof(sig);
	memset(x.hash, 0x5a, 32);
	x.token = 0x99;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ssu2_put_relay(&w, SSU2_B_RELAY_REQUEST, &x);
	ssu2_put_relay(&w, SSU2_B_RELAY_INTRO, &x);
	ssu2_put_relay(&w, SSU2_B_RELAY_RESPONSE, &x);	/* code 0 */
	x.code = 5;					/* Bob: no tag */
	x.addr.iplen = 0;
	x.ts = 0;
	x.siglen = 0;
	ssu2_put_relay(&w, SSU2_B_RELAY_RESPONSE, &x);
	walk(&w, &g, 4);
	ck_assert_uint_eq(g.b[0].u.relay.nonce, 0xa0a0a0a0);
	ck_assert_uint_eq(g.b[0].u.relay.tag, 42);
	ck_assert_uint_eq(g.b[0].u.relay.addr.port, 1234);
	ck_assert_uint_eq(g.b[0].u.relay.siglen, 64);
	ck_assert_mem_eq(g.b[0].u.relay.sig, sig, 64);
	/* the signed part is what ssu2_relay_signed makes */
	x.code = 0;
	x.addr.iplen = 4;
	x.ts = 1700000000;
	wbuf_init_fixed(&s, sd, sizeof(sd));
	ck_assert_int_eq(ssu2_relay_signed(&s, SSU2_B_RELAY_REQUEST, &x), 0);
	ck_assert_uint_eq(g.b[0].u.relay.signed_len, wbuf_len(&s));
	ck_assert_mem_eq(g.b[0].u.relay.signed_data, sd, wbuf_len(&s));
	ck_assert_mem_eq(g.b[1].u.relay.hash, x.hash, 32);
	ck_assert_uint_eq(g.b[1].u.relay.siglen, 64);
	ck_assert_uint_eq(g.b[2].u.relay.code, 0);
	ck_assert(g.b[2].u.relay.token == 0x99);
	ck_assert_uint_eq(g.b[2].u.relay.siglen, 64);
	ck_assert_uint_eq(g.b[2].u.relay.ts, 1700000000);
	ck_assert_uint_eq(g.b[3].u.relay.code, 5);
	ck_assert_uint_eq(g.b[3].u.relay.nonce, 0xa0a0a0a0);
	ck_assert_uint_eq(g.b[3].u.relay.siglen, 0);
	/* Alice's endpoint is required in a request */
	x.addr.iplen = 0;
	ck_assert_int_eq(ssu2_put_relay(&w, SSU2_B_RELAY_REQUEST, &x), -1);
	ck_assert_int_eq(ssu2_put_relay(&w, SSU2_B_ACK, &x), -1);
}
END_TEST

START_TEST(peertest_blocks)
{
	uint8_t		 buf[1024], sig[64];
	struct ssu2_peertest t;
	struct wbuf	 w;
	struct got	 g;
	int		 msg;

	unit_fill(sig, sizeof(sig), 8);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	for (msg = 1; msg <= 7; msg++) {
		memset(&t, 0, sizeof(t));
		t.msg = msg;
		t.code = msg == 4 ? 66 : 0;
		t.ver = 2;
		t.nonce = msg;
		t.ts = 1700000000;
		t.addr.port = 5;
		t.addr.iplen = 16;
		memset(t.addr.ip, msg, 16);
		memset(t.hash, 0x33, 32);
		t.sig = sig;
		t.siglen = msg <= 4 ? 64 : 0;	/* optional in 5-7 */
		ck_assert_int_eq(ssu2_put_peertest(&w, &t), 0);
	}
	walk(&w, &g, 7);
	for (msg = 1; msg <= 7; msg++) {
		ck_assert_uint_eq(g.b[msg - 1].u.peertest.msg, msg);
		ck_assert_uint_eq(g.b[msg - 1].u.peertest.nonce, msg);
		ck_assert_uint_eq(g.b[msg - 1].u.peertest.addr.ip[15], msg);
		ck_assert_uint_eq(g.b[msg - 1].u.peertest.siglen,
		    msg <= 4 ? 64 : 0);
		ck_assert_uint_eq(g.b[msg - 1].u.peertest.hash[0],
		    msg == 2 || msg == 4 ? 0x33 : 0);
	}
	ck_assert_uint_eq(g.b[3].u.peertest.code, 66);
	/* ver, nonce, ts, asz, port, IPv6 */
	ck_assert_uint_eq(g.b[0].u.peertest.signed_len, 1 + 4 + 4 + 1 + 18);
	t.msg = 8;
	ck_assert_int_eq(ssu2_put_peertest(&w, &t), -1);
}
END_TEST

/* raw bytes, then the walker must refuse (or accept) them */
static int
walk_raw(const void *p, size_t len)
{
	struct got	 g = { 0 };

	return ssu2_blocks(p, len, collect, &g);
}

static int
parse_raw(uint8_t type, const void *p, size_t len)
{
	struct ssu2_blk	 b;

	return ssu2_blk_parse(type, p, len, &b);
}

START_TEST(walker_rules)
{
	/* DateTime, then padding, then DateTime: padding not last */
	static const uint8_t	 pad_mid[] = { 0, 0, 4, 1, 2, 3, 4,
	    254, 0, 1, 0, 0, 0, 4, 1, 2, 3, 4 };
	static const uint8_t	 two_pads[] = { 254, 0, 0, 254, 0, 0 };
	/* termination, then DateTime */
	static const uint8_t	 term_mid[] = { 6, 0, 9, 0, 0, 0, 0, 0, 0, 0,
	    0, 2, 0, 0, 4, 1, 2, 3, 4 };
	static const uint8_t	 term_pad[] = { 6, 0, 9, 0, 0, 0, 0, 0, 0, 0,
	    0, 2, 254, 0, 0 };
	/* unknown 11, 14 and 200 skipped, even after padding */
	static const uint8_t	 unknown[] = { 11, 0, 2, 9, 9, 14, 0, 0,
	    254, 0, 1, 7, 200, 0, 1, 5 };
	static const uint8_t	 trunc_hdr[] = { 0, 0 };
	static const uint8_t	 over[] = { 0, 0, 5, 1, 2, 3, 4 };
	struct got		 g = { 0 };

	ck_assert_int_eq(walk_raw(pad_mid, sizeof(pad_mid)), -1);
	ck_assert_int_eq(walk_raw(two_pads, sizeof(two_pads)), -1);
	ck_assert_int_eq(walk_raw(term_mid, sizeof(term_mid)), -1);
	ck_assert_int_eq(walk_raw(term_pad, sizeof(term_pad)), 0);
	ck_assert_int_eq(ssu2_blocks(unknown, sizeof(unknown), collect, &g),
	    0);
	ck_assert_uint_eq(g.n, 1);
	ck_assert_uint_eq(g.b[0].type, SSU2_B_PADDING);
	ck_assert_int_eq(walk_raw(trunc_hdr, sizeof(trunc_hdr)), -1);
	ck_assert_int_eq(walk_raw(over, sizeof(over)), -1);
	ck_assert_int_eq(walk_raw(NULL, 0), 0);
	ck_assert_int_eq(parse_raw(11, "", 0), 1);
}
END_TEST

START_TEST(malformed_bodies)
{
	uint8_t	 z[64];

	memset(z, 0, sizeof(z));
	ck_assert_int_eq(parse_raw(SSU2_B_DATETIME, z, 3), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_DATETIME, z, 5), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_OPTIONS, z, 11), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_OPTIONS, z, 12), 0);
	/* RouterInfo: frag must be 0/1, something must follow */
	ck_assert_int_eq(parse_raw(SSU2_B_ROUTERINFO, "\x00\x01", 2), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_ROUTERINFO, "\x00\x02x", 3), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_ROUTERINFO, "\x00\x01x", 3), 0);
	ck_assert_int_eq(parse_raw(SSU2_B_I2NP, z, 8), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_I2NP, z, 9), 0);
	ck_assert_int_eq(parse_raw(SSU2_B_FIRST_FRAG, z, 9), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_FIRST_FRAG, z, 10), 0);
	/* Follow-on: number 0 not allowed, body required */
	ck_assert_int_eq(parse_raw(SSU2_B_FOLLOW_FRAG, z, 6), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_FOLLOW_FRAG, "\x02\0\0\0\0", 5),
	    -1);
	ck_assert_int_eq(parse_raw(SSU2_B_FOLLOW_FRAG, "\x02\0\0\0\0x", 6),
	    0);
	ck_assert_int_eq(parse_raw(SSU2_B_TERMINATION, z, 8), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_TERMINATION, z, 20), 0);
	ck_assert_int_eq(parse_raw(SSU2_B_ADDRESS, z, 7), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_ADDRESS, z, 0), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_ADDRESS, z, 18), 0);
	ck_assert_int_eq(parse_raw(SSU2_B_RELAY_TAG_REQUEST, z, 1), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_RELAY_TAG, z, 4), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_RELAY_TAG, "\0\0\0\1", 4), 0);
	ck_assert_int_eq(parse_raw(SSU2_B_NEW_TOKEN, z, 11), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_NEW_TOKEN, z, 13), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_FIRST_PN, z, 3), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_CONGESTION, z, 0), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_CONGESTION, z, 3), 0);
	/* relay request: asz 7 is neither IPv4 nor IPv6 */
	z[1 + 12 + 1] = 7;
	ck_assert_int_eq(parse_raw(SSU2_B_RELAY_REQUEST, z, 40), -1);
	z[1 + 12 + 1] = 0;
	ck_assert_int_eq(parse_raw(SSU2_B_RELAY_REQUEST, z, 40), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_RELAY_INTRO, z, 30), -1);
	/* accepted response without room for its token */
	ck_assert_int_eq(parse_raw(SSU2_B_RELAY_RESPONSE,
	    "\0\0\1\2\3\4\0\0\0\0\2\0", 12), -1);
	/* peer test: message 0 and 8, truncated hash */
	ck_assert_int_eq(parse_raw(SSU2_B_PEER_TEST, "\0\0\0", 3), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_PEER_TEST, "\x08\0\0", 3), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_PEER_TEST, "\x02\0\0", 3), -1);
}
END_TEST

/* every number in [0, top] is in the ACK exactly when in the set */
static void
ack_matches(const struct ssu2_ack *a, const uint32_t *pns, size_t n,
    uint32_t top)
{
	size_t		 i;
	uint32_t	 pn;
	int		 in;

	for (pn = 0; pn <= top; pn++) {
		in = 0;
		for (i = 0; i < n; i++)
			if (pns[i] == pn)
				in = 1;
		ck_assert_msg(ssu2_ack_has(a, pn) == in, "pn %u", pn);
	}
}

/* through ack via the wire: build, put, walk, parse */
static void
ack_wire(const struct ssu2_ack *a, struct ssu2_ack *back)
{
	uint8_t		 buf[512];
	struct wbuf	 w;
	struct got	 g;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ssu2_put_ack(&w, a), 0);
	walk(&w, &g, 1);
	*back = g.b[0].u.ack;
}

START_TEST(ack_spec_example)
{
	/* ssu2.rst: ACK 10 9 8 6 5 2 1 0, NACK 7 4 3 */
	static const uint32_t	 pns[] = { 10, 9, 8, 6, 5, 2, 1, 0 };
	struct ssu2_ack		 a, b;

	ck_assert_int_eq(ssu2_ack_build(&a, pns, 8, 8), 0);
	ck_assert_uint_eq(a.through, 10);
	ck_assert_uint_eq(a.acnt, 2);
	ck_assert_uint_eq(a.nranges, 2);
	ck_assert_uint_eq(a.nack[0], 1);
	ck_assert_uint_eq(a.ack[0], 2);
	ck_assert_uint_eq(a.nack[1], 2);
	ck_assert_uint_eq(a.ack[1], 3);
	ack_wire(&a, &b);
	ack_matches(&b, pns, 8, 20);
}
END_TEST

START_TEST(ack_long_runs)
{
	uint32_t	*pns;
	struct ssu2_ack	 a, b;
	size_t		 n = 0;
	uint32_t	 pn;

	ck_assert_ptr_nonnull(pns = calloc(2000, sizeof(*pns)));
	/* 600 in a row, a gap of 700, 300 in a row, a gap of 1, one */
	for (pn = 5000; pn > 4400; pn--)
		pns[n++] = pn;
	for (pn = 3700; pn > 3400; pn--)
		pns[n++] = pn;
	pns[n++] = 3399 - 1;
	ck_assert_int_eq(ssu2_ack_build(&a, pns, n, SSU2_ACK_RANGES_MAX), 0);
	ck_assert_uint_eq(a.acnt, 255);
	ack_wire(&a, &b);
	ack_matches(&b, pns, n, 5100);
	free(pns);
}
END_TEST

START_TEST(ack_limits)
{
	uint32_t	 pns[200];
	struct ssu2_ack	 a, b;
	size_t		 i;

	/* every other packet: one range each, only 3 ranges kept */
	for (i = 0; i < 200; i++)
		pns[i] = 1000 - 2 * i;
	ck_assert_int_eq(ssu2_ack_build(&a, pns, 200, 3), 0);
	ck_assert_uint_eq(a.nranges, 3);
	ack_wire(&a, &b);
	ack_matches(&b, pns, 4, 1000);
	ck_assert(!ssu2_ack_has(&b, pns[4]));
	/* the cap holds whatever is asked */
	ck_assert_int_eq(ssu2_ack_build(&a, pns, 200, 1000), 0);
	ck_assert_uint_eq(a.nranges, SSU2_ACK_RANGES_MAX);
	/* not strictly descending, or empty */
	pns[1] = pns[0];
	ck_assert_int_eq(ssu2_ack_build(&a, pns, 2, 8), -1);
	ck_assert_int_eq(ssu2_ack_build(&a, pns, 0, 8), -1);
	pns[0] = 0;
	ck_assert_int_eq(ssu2_ack_build(&a, pns, 1, 8), 0);
	ck_assert(ssu2_ack_has(&a, 0));
	ck_assert(!ssu2_ack_has(&a, 1));
}
END_TEST

START_TEST(ack_malformed)
{
	uint8_t		 many[5 + 2 * 100];
	struct ssu2_blk	 b;
	size_t		 i;

	/* odd range bytes; a 0/0 range; truncated */
	ck_assert_int_eq(parse_raw(SSU2_B_ACK, "\0\0\0\x0a\x02\x01", 6), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_ACK, "\0\0\0\x0a\x02\0\0", 7), -1);
	ck_assert_int_eq(parse_raw(SSU2_B_ACK, "\0\0\0", 3), -1);
	/* acnt beyond packet 0: down to 0, nothing wraps */
	ck_assert_int_eq(ssu2_blk_parse(SSU2_B_ACK,
	    (const uint8_t *)"\0\0\0\x02\x03", 5, &b), 0);
	ck_assert(ssu2_ack_has(&b.u.ack, 0) && ssu2_ack_has(&b.u.ack, 2));
	ck_assert(!ssu2_ack_has(&b.u.ack, 3));
	ck_assert(!ssu2_ack_has(&b.u.ack, UINT32_MAX));
	/* more ranges than we keep: the oldest are forgotten */
	memset(many, 0, sizeof(many));
	many[3] = 0xff;
	many[2] = 0xff;
	for (i = 5; i < sizeof(many); i++)
		many[i] = 1;
	ck_assert_int_eq(ssu2_blk_parse(SSU2_B_ACK, many, sizeof(many), &b),
	    0);
	ck_assert_uint_eq(b.u.ack.nranges, SSU2_ACK_RANGES_MAX);
	ck_assert(ssu2_ack_has(&b.u.ack, 0xffff - 2));
	ck_assert(!ssu2_ack_has(&b.u.ack, 0xffff - 1));
	/* ranges that run below 0 stop there */
	ck_assert_int_eq(ssu2_blk_parse(SSU2_B_ACK,
	    (const uint8_t *)"\0\0\0\x02\x01\xff\xff", 7, &b), 0);
	ck_assert(ssu2_ack_has(&b.u.ack, 1));
	ck_assert(!ssu2_ack_has(&b.u.ack, 0));
}
END_TEST

/* in gzip format, as routers send a RouterInfo block's content */
static size_t
gzip_of(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	z_stream	 z;
	size_t		 n;

	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)in;
	z.avail_in = len;
	z.next_out = out;
	z.avail_out = cap;
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	n = cap - z.avail_out;
	deflateEnd(&z);
	return n;
}

/* RouterInfo blocks: plain, gzipped, and what must not be taken */
START_TEST(ri_plain)
{
	uint8_t		 ri[2000], gz[2400], out[2000];
	size_t		 gzlen, n;

	memset(ri, 'r', sizeof(ri));
	memcpy(ri, "a RouterInfo", 12);
	ck_assert_int_eq(ssu2_ri_plain(0, ri, 900, out, sizeof(out), &n), 0);
	ck_assert_uint_eq(n, 900);
	ck_assert_mem_eq(out, ri, 900);
	/* plain, larger than the room */
	ck_assert_int_eq(ssu2_ri_plain(SSU2_RI_FLOOD, ri, sizeof(ri), out,
	    100, &n), -1);

	gzlen = gzip_of(ri, sizeof(ri), gz, sizeof(gz));
	ck_assert_uint_lt(gzlen, 200);
	n = 0;
	ck_assert_int_eq(ssu2_ri_plain(SSU2_RI_GZIP, gz, gzlen, out,
	    sizeof(out), &n), 0);
	ck_assert_uint_eq(n, sizeof(ri));
	ck_assert_mem_eq(out, ri, sizeof(ri));
	/* inflating past the room is refused: the bound holds */
	ck_assert_int_eq(ssu2_ri_plain(SSU2_RI_GZIP, gz, gzlen, out,
	    sizeof(ri) - 1, &n), -1);
	/* cut short, trailing bytes, not gzip, empty */
	ck_assert_int_eq(ssu2_ri_plain(SSU2_RI_GZIP, gz, gzlen - 1, out,
	    sizeof(out), &n), -1);
	gz[gzlen] = 0;
	ck_assert_int_eq(ssu2_ri_plain(SSU2_RI_GZIP, gz, gzlen + 1, out,
	    sizeof(out), &n), -1);
	ck_assert_int_eq(ssu2_ri_plain(SSU2_RI_GZIP, ri, 100, out,
	    sizeof(out), &n), -1);
	ck_assert_int_eq(ssu2_ri_plain(SSU2_RI_GZIP, gz, 0, out,
	    sizeof(out), &n), -1);
	/* a corrupted body fails its CRC */
	gz[gzlen / 2] ^= 0x40;
	ck_assert_int_eq(ssu2_ri_plain(SSU2_RI_GZIP, gz, gzlen, out,
	    sizeof(out), &n), -1);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("netd_ssu2_blk");
	TCase	*tc = tcase_create("blk");

	tcase_add_test(tc, simple_blocks);
	tcase_add_test(tc, message_blocks);
	tcase_add_test(tc, relay_blocks);
	tcase_add_test(tc, peertest_blocks);
	tcase_add_test(tc, ri_plain);
	tcase_add_test(tc, walker_rules);
	tcase_add_test(tc, malformed_bodies);
	tcase_add_test(tc, ack_spec_example);
	tcase_add_test(tc, ack_long_runs);
	tcase_add_test(tc, ack_limits);
	tcase_add_test(tc, ack_malformed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
