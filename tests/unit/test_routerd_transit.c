/*
 * Transit tunnels (routerd/transit.c): build, TunnelData and
 * TunnelGateway messages that are short, long or otherwise malformed,
 * or for tunnels we do not have, are dropped and counted, nothing
 * else.  (Accepted builds and traffic are tested against i2pd in
 * tests/interop/transit.sh.)
 */
#include <check.h>
#include <string.h>

#include "i2prd.h"
#include "../../routerd/routerd.h"
#include "../../routerd/buildrec.h"
#include "../../routerd/tmsg.h"
#include "unit.h"

static const uint8_t	from[32] = { 1 };

static struct transit_stats
stats(void)
{
	struct transit_stats	ts;

	transit_stats(&ts);
	return ts;
}

START_TEST(test_builds)
{
	static uint8_t	msg[1 + 9 * BREC_LEN];
	uint64_t	before = stats().builds_malformed;

	transit_build(from, msg, 0);			/* empty */
	msg[0] = 0;
	transit_build(from, msg, 1 + BREC_LEN);		/* no records */
	msg[0] = 9;
	transit_build(from, msg, sizeof(msg));		/* too many */
	msg[0] = 2;
	transit_build(from, msg, 1 + BREC_LEN);		/* short */
	transit_build(from, msg, 1 + 3 * BREC_LEN);	/* long */
	msg[0] = 1;
	transit_build(from, msg, 1 + BREC_LEN);		/* none for us */
	ck_assert_uint_eq(stats().builds_malformed - before, 6);
	ck_assert_uint_eq(stats().accepted[TRANSIT_PARTICIPANT], 0);
}
END_TEST

START_TEST(test_data)
{
	uint8_t		td[TUNNEL_DATA_LEN + 1];
	uint64_t	before = stats().data_dropped;

	memset(td, 0x5a, sizeof(td));
	transit_data(from, td, 0);
	transit_data(from, td, TUNNEL_DATA_LEN - 1);
	transit_data(from, td, TUNNEL_DATA_LEN + 1);
	transit_data(from, td, TUNNEL_DATA_LEN);	/* no such tunnel */
	ck_assert_uint_eq(stats().data_dropped - before, 4);
	ck_assert_uint_eq(stats().data_out, 0);
}
END_TEST

START_TEST(test_gateway)
{
	/* tunnel ID, length, then the message */
	static const uint8_t	cut[] = { 0, 0, 0, 7, 0 };
	static const uint8_t	beyond[] = { 0, 0, 0, 7, 0, 9, 1, 2 };
	static const uint8_t	trailing[] = { 0, 0, 0, 7, 0, 1, 1, 2 };
	static const uint8_t	unknown[] = { 0, 0, 0, 7, 0, 2, 1, 2 };
	uint64_t		before = stats().data_dropped;

	transit_gateway(from, cut, sizeof(cut));
	transit_gateway(from, beyond, sizeof(beyond));
	transit_gateway(from, trailing, sizeof(trailing));
	transit_gateway(from, unknown, sizeof(unknown));
	ck_assert_uint_eq(stats().data_dropped - before, 4);
	ck_assert_uint_eq(stats().gateway_in, 4);
	transit_shutdown();
}
END_TEST

/* a message whose IV XOR first block stands for n */
static void
iv_msg(uint8_t msg[TMSG_LEN], uint32_t n)
{
	memset(msg, 0, TMSG_LEN);
	memcpy(msg, &n, sizeof(n));
}

/*
 * The IV filter: every IV seen once, then refused; the filter starts
 * small and grows as IVs come faster than a generation lasts, and the
 * IVs of the generation before are still refused.
 */
START_TEST(test_iv_filter)
{
	uint8_t		msg[TMSG_LEN];
	uint32_t	i;

	for (i = 0; i < 40000; i++) {
		iv_msg(msg, i);
		ck_assert_int_eq(transit_iv_seen(msg), 0);
		ck_assert_int_eq(transit_iv_seen(msg), 1);
	}
	/*
	 * Generations of 2048, 4096, 8192, 16384 and 32768 IVs (each twice
	 * the last, as they filled within a second): the last 16384 and
	 * the 9280 after them are remembered.
	 */
	for (i = 40000 - 16384 - 9280; i < 40000; i++) {
		iv_msg(msg, i);
		ck_assert_int_eq(transit_iv_seen(msg), 1);
	}
	/* another message's first block changes what is compared */
	iv_msg(msg, 7);
	msg[16] = 1;
	ck_assert_int_eq(transit_iv_seen(msg), 0);
	transit_shutdown();
}
END_TEST

static Suite *
transit_suite(void)
{
	Suite	*s = suite_create("transit");
	TCase	*tc = tcase_create("transit");

	tcase_add_test(tc, test_builds);
	tcase_add_test(tc, test_data);
	tcase_add_test(tc, test_gateway);
	tcase_add_test(tc, test_iv_filter);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(transit_suite());
}
