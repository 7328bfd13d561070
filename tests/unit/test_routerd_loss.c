/*
 * "test drop client-tunnel N%" (routerd/loss.c): the drop decision.
 * 0% draws nothing and drops nothing; 100% drops everything; N% drops
 * close to N of 100 over many draws; what is dropped is counted each
 * way; the configured share is taken on reconfiguration and a share
 * out of range is fatal.
 */
#include <check.h>

#include "i2prd.h"
#include "../../routerd/client.h"
#include "unit.h"

#define DRAWS	100000

/* how many of DRAWS outbound messages were dropped; the count agrees */
static int
drops(int percent)
{
	uint64_t	out0, in0, out, in;
	int		i, n = 0;

	loss_stats(&out0, &in0);
	loss_set(percent);
	for (i = 0; i < DRAWS; i++)
		n += loss_drop(LOSS_OUT);
	loss_stats(&out, &in);
	ck_assert_uint_eq(out - out0, n);
	ck_assert_uint_eq(in, in0);
	return n;
}

START_TEST(test_zero_drops_none)
{
	ck_assert_int_eq(drops(0), 0);
}
END_TEST

START_TEST(test_all_drops_all)
{
	ck_assert_int_eq(drops(TEST_DROP_MAX), DRAWS);
}
END_TEST

/*
 * Binomial: at 5% of 100000 the mean is 5000 and sigma about 69; the
 * bounds are over 7 sigma away, so a correct draw never fails them
 * while a share off by a point (4% or 6%: 4000, 6000) always does.
 */
START_TEST(test_share_in_bounds)
{
	int	n = drops(5);

	ck_assert_int_gt(n, 4500);
	ck_assert_int_lt(n, 5500);
	/* 50%: sigma about 158 */
	n = drops(50);
	ck_assert_int_gt(n, 48800);
	ck_assert_int_lt(n, 51200);
	/* 1%: sigma about 31 */
	n = drops(1);
	ck_assert_int_gt(n, 780);
	ck_assert_int_lt(n, 1220);
}
END_TEST

/* the configured share, and back to none */
START_TEST(test_reconf)
{
	struct i2prd_conf	*conf = conf_new();
	uint64_t		 out0, in0, out, in;

	loss_stats(&out0, &in0);
	conf->test_drop = TEST_DROP_MAX;
	loss_reconf(conf);
	ck_assert_int_eq(loss_drop(LOSS_IN), 1);
	conf->test_drop = 0;
	loss_reconf(conf);
	ck_assert_int_eq(loss_drop(LOSS_IN), 0);
	/* the one dropped, inbound */
	loss_stats(&out, &in);
	ck_assert_uint_eq(out, out0);
	ck_assert_uint_eq(in, in0 + 1);
	conf_free(conf);
}
END_TEST

START_TEST(test_out_of_range_fatal)
{
	loss_set(TEST_DROP_MAX + 1);
}
END_TEST

START_TEST(test_negative_fatal)
{
	loss_set(-1);
}
END_TEST

static Suite *
loss_suite(void)
{
	Suite	*s = suite_create("routerd_loss");
	TCase	*tc = tcase_create("loss");

	tcase_add_test(tc, test_zero_drops_none);
	tcase_add_test(tc, test_all_drops_all);
	tcase_add_test(tc, test_share_in_bounds);
	tcase_add_test(tc, test_reconf);
	tcase_add_exit_test(tc, test_out_of_range_fatal, 1);
	tcase_add_exit_test(tc, test_negative_fatal, 1);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(loss_suite());
}
