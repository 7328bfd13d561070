/*
 * Building our own tunnels (routerd/build.c), with short records and
 * long: each hop, doing what a participant does (buildrec.c), finds its
 * request as we sealed it (the pre-masking undone by the hops before
 * it), chained to the next hop; the replies read back, refusals seen;
 * replies that are not ours refused.
 */
#include <check.h>
#include <string.h>

#include "crypto.h"
#include "../../routerd/build.h"
#include "unit.h"

struct sim {
	uint8_t		 priv[BUILD_HOPS_MAX][32];
	struct brec_req	 req[BUILD_HOPS_MAX];
};

static void
setup(struct build *b, struct sim *s, size_t n, int inbound, int long_recs)
{
	size_t	i;

	memset(b, 0, sizeof(*b));
	b->inbound = inbound;
	b->long_recs = long_recs;
	b->nhops = n;
	crypto_random(b->self, 32);
	crypto_random(b->reply_gw, 32);
	b->reply_tunnel = 777;
	for (i = 0; i < n; i++) {
		crypto_random(b->hops[i].hash, 32);
		ck_assert_int_eq(x25519_keygen(s->priv[i], b->hops[i].pub), 0);
	}
}

static size_t
rl(const struct build *b)
{
	return b->long_recs ? BREC_LONG_LEN : BREC_LEN;
}

/* hop i's work on the message as it arrives; its request kept */
static void
hop(const struct build *b, struct sim *s, size_t i, uint8_t *msg,
    uint8_t code)
{
	struct brec_keys	 k;
	struct brec_long_keys	 lk;
	uint8_t			 shared[32], *recs = msg + 1, *rec;
	const char		*why;
	int			 idx, j;

	ck_assert_int_ge(idx = brec_find_len(recs, msg[0], rl(b),
	    b->hops[i].hash), 0);
	ck_assert_int_eq(idx, b->hops[i].pos);
	rec = recs + idx * rl(b);
	ck_assert_int_eq(x25519(shared, s->priv[i], brec_ephemeral(rec)), 0);
	if (b->long_recs) {
		ck_assert_int_eq(brec_long_open(rec, b->hops[i].pub, shared,
		    &s->req[i], &lk, &why), 0);
		ck_assert_mem_eq(&lk, &b->hops[i].lkeys, sizeof(lk));
		ck_assert_mem_eq(lk.layer_key, b->hops[i].keys.layer_key, 32);
		ck_assert_mem_eq(lk.iv_key, b->hops[i].keys.iv_key, 32);
		ck_assert_int_eq(brec_long_reply(rec, &lk, code), 0);
	} else {
		ck_assert_int_eq(brec_open(rec, b->hops[i].pub, shared,
		    &s->req[i], &k, &why), 0);
		ck_assert_mem_eq(&k, &b->hops[i].keys, sizeof(k));
		ck_assert_int_eq(brec_reply(rec, &k, idx, code), 0);
	}
	for (j = 0; j < msg[0]; j++) {
		if (j == idx)
			continue;
		if (b->long_recs)
			ck_assert_int_eq(brec_long_mask(recs + j * BREC_LONG_LEN,
			    &lk), 0);
		else
			ck_assert_int_eq(brec_mask(recs + j * BREC_LEN,
			    k.reply_key, j), 0);
	}
}

static void
check_chain(const struct build *b, const struct sim *s)
{
	size_t	i, n = b->nhops;

	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(s->req[i].recv_tunnel, b->hops[i].recv_id);
		ck_assert_uint_eq(s->req[i].expiration, BUILD_LIFE);
		if (i + 1 < n) {
			ck_assert_uint_eq(s->req[i].next_tunnel,
			    b->hops[i + 1].recv_id);
			ck_assert_mem_eq(s->req[i].next_hash,
			    b->hops[i + 1].hash, 32);
		}
	}
	ck_assert_uint_eq(s->req[n - 1].next_msg_id, b->reply_msg_id);
	if (b->inbound) {
		ck_assert_uint_eq(s->req[0].flags & BREC_F_IBGW, BREC_F_IBGW);
		ck_assert_uint_eq(s->req[n - 1].next_tunnel, b->end_id);
		ck_assert_mem_eq(s->req[n - 1].next_hash, b->self, 32);
	} else {
		ck_assert_uint_eq(s->req[n - 1].flags, BREC_F_OBEP);
		ck_assert_uint_eq(s->req[n - 1].next_tunnel, 777);
		ck_assert_mem_eq(s->req[n - 1].next_hash, b->reply_gw, 32);
	}
}

START_TEST(test_round_trip)
{
	struct build	 b;
	struct sim	 s;
	uint8_t		 msg[BUILD_MSG_MAX], codes[BUILD_HOPS_MAX];
	size_t		 n = 1 + _i % BUILD_HOPS_MAX, i;
	int		 len;

	/* every hop count, inbound and outbound, short and long records */
	setup(&b, &s, n, (_i / BUILD_HOPS_MAX) % 2, _i / (2 * BUILD_HOPS_MAX));
	ck_assert_int_eq(len = build_make(&b, 1790000000, msg),
	    1 + (n <= 4 ? 4 : 8) * rl(&b));
	for (i = 0; i < n; i++)
		hop(&b, &s, i, msg, BREC_ACCEPT);
	check_chain(&b, &s);
	ck_assert_int_eq(build_reply(&b, msg, len, codes), 0);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(codes[i], BREC_ACCEPT);
	build_wipe(&b);
}
END_TEST

START_TEST(test_refusal)
{
	struct build	 b;
	struct sim	 s;
	uint8_t		 msg[BUILD_MSG_MAX], codes[BUILD_HOPS_MAX];
	int		 len;

	setup(&b, &s, 3, 0, _i);
	ck_assert_int_gt(len = build_make(&b, 1790000000, msg), 0);
	hop(&b, &s, 0, msg, BREC_ACCEPT);
	hop(&b, &s, 1, msg, BREC_REJECT_BANDWIDTH);
	hop(&b, &s, 2, msg, BREC_ACCEPT);
	ck_assert_int_eq(build_reply(&b, msg, len, codes), 1);
	ck_assert_uint_eq(codes[0], BREC_ACCEPT);
	ck_assert_uint_eq(codes[1], BREC_REJECT_BANDWIDTH);
	ck_assert_uint_eq(codes[2], BREC_ACCEPT);
}
END_TEST

START_TEST(test_not_ours)
{
	struct build	 b, other;
	struct sim	 s, s2;
	uint8_t		 msg[BUILD_MSG_MAX], codes[BUILD_HOPS_MAX];
	int		 len, i;

	setup(&b, &s, 2, 1, _i);
	ck_assert_int_gt(len = build_make(&b, 1790000000, msg), 0);
	/* unprocessed: no hop has replied */
	ck_assert_int_eq(build_reply(&b, msg, len, codes), -1);
	hop(&b, &s, 0, msg, BREC_ACCEPT);
	hop(&b, &s, 1, msg, BREC_ACCEPT);
	/* wrong lengths and record counts */
	ck_assert_int_eq(build_reply(&b, msg, len - 1, codes), -1);
	ck_assert_int_eq(build_reply(&b, msg, 0, codes), -1);
	msg[0] = 8;
	ck_assert_int_eq(build_reply(&b, msg, len, codes), -1);
	msg[0] = 4;
	/* any flipped bit in a hop's reply */
	for (i = 0; i < (int)rl(&b) * 8; i += 97) {
		msg[1 + b.hops[1].pos * rl(&b) + i / 8] ^= 1 << (i % 8);
		ck_assert_int_eq(build_reply(&b, msg, len, codes), -1);
		msg[1 + b.hops[1].pos * rl(&b) + i / 8] ^= 1 << (i % 8);
	}
	ck_assert_int_eq(build_reply(&b, msg, len, codes), 0);
	/* another build's keys */
	setup(&other, &s2, 2, 1, _i);
	ck_assert_int_eq(build_make(&other, 1790000000, msg), len);
	hop(&other, &s2, 0, msg, BREC_ACCEPT);
	hop(&other, &s2, 1, msg, BREC_ACCEPT);
	ck_assert_int_eq(build_reply(&other, msg, len, codes), 0);
	ck_assert_int_eq(build_reply(&b, msg, len, codes), -1);
}
END_TEST

START_TEST(test_bad_hops)
{
	struct build	 b;
	struct sim	 s;
	uint8_t		 msg[BUILD_MSG_MAX];

	setup(&b, &s, 1, 0, 0);
	b.nhops = 0;
	ck_assert_int_eq(build_make(&b, 1790000000, msg), -1);
	b.nhops = BUILD_HOPS_MAX + 1;
	ck_assert_int_eq(build_make(&b, 1790000000, msg), -1);
}
END_TEST

static Suite *
build_suite(void)
{
	Suite	*s = suite_create("build");
	TCase	*tc = tcase_create("build");

	tcase_add_loop_test(tc, test_round_trip, 0, 4 * BUILD_HOPS_MAX);
	tcase_add_loop_test(tc, test_refusal, 0, 2);
	tcase_add_loop_test(tc, test_not_ours, 0, 2);
	tcase_add_test(tc, test_bad_hops);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(build_suite());
}
