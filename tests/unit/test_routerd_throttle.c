/*
 * Limits (routerd/throttle.c): per-peer token buckets, the transit
 * bandwidth share and its load, the proposal 162 caps, the bandwidth
 * class letters.  Time is passed in: nothing sleeps.
 */
#include <check.h>
#include <string.h>

#include "../../routerd/throttle.h"
#include "unit.h"

START_TEST(test_bucket)
{
	static struct bucket_set	 s;
	uint8_t				 a[32] = { 1 }, b[32] = { 2 };
	int				 i, n = 0;

	/* a burst of 5, then one a second (rate 1) */
	for (i = 0; i < 10; i++)
		n += bucket_take(&s, a, 1, 5, 1000);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(bucket_take(&s, a, 1, 5, 1500), 0);
	ck_assert_int_eq(bucket_take(&s, a, 1, 5, 2100), 1);
	ck_assert_int_eq(bucket_take(&s, a, 1, 5, 2100), 0);
	/* refills to the burst, not beyond */
	for (i = 0, n = 0; i < 10; i++)
		n += bucket_take(&s, a, 1, 5, 100000);
	ck_assert_int_eq(n, 5);
	/* another peer (almost surely another bucket) is not affected */
	for (i = 0, n = 0; i < 3; i++)
		n += bucket_take(&s, b, 1, 5, 100000);
	ck_assert_int_eq(n, 3);
	/* time going backwards takes nothing away, gives nothing */
	ck_assert_int_eq(bucket_take(&s, b, 1, 5, 50), 1);
}
END_TEST

/* one bucket for all peers: the same arithmetic */
START_TEST(test_token)
{
	struct bucket	all = { 0, 0 };
	int		i, n = 0;

	for (i = 0; i < 10; i++)
		n += token_take(&all, 2, 3, 1000);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(token_take(&all, 2, 3, 1400), 0);
	ck_assert_int_eq(token_take(&all, 2, 3, 1500), 1);
}
END_TEST

/* a peer's share: counted up to the cap, given back, never below 0 */
START_TEST(test_share)
{
	static struct share_set	 s;
	uint8_t			 a[32] = { 1 };
	uint16_t		 slot = share_slot(&s, a);
	int			 i;

	ck_assert_uint_lt(slot, SHARE_SLOTS);
	ck_assert_uint_eq(share_slot(&s, a), slot);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(share_room(&s, slot, 3), 1);
		share_add(&s, slot);
	}
	ck_assert_int_eq(share_room(&s, slot, 3), 0);
	ck_assert_int_eq(share_room(&s, slot, 4), 1);
	share_del(&s, slot);
	ck_assert_int_eq(share_room(&s, slot, 3), 1);
	for (i = 0; i < 5; i++)
		share_del(&s, slot);
	share_add(&s, slot);
	ck_assert_int_eq(share_room(&s, slot, 1), 0);
}
END_TEST

START_TEST(test_bandwidth)
{
	static struct bandwidth	 bw, none;
	uint64_t		 share = 10000;	/* bytes/s */
	int			 i, n = 0;

	/* a second's worth at once, then the share per second */
	for (i = 0; i < 20; i++)
		n += bw_take(&bw, share, 1000, 1000);
	ck_assert_int_eq(n, 10);
	ck_assert_int_eq(bw_take(&bw, share, 1000, 1050), 0);
	ck_assert_int_eq(bw_take(&bw, share, 1000, 1100), 1);
	/* 22,000 bytes offered (11,000 taken) in 0.1 s of a 10 s window */
	ck_assert_uint_eq(bw_load(&bw, share, 1100), 22000 * 100 /
	    (share * 101 / 10));
	/* a quiet 20 s later: nothing used */
	ck_assert_uint_eq(bw_load(&bw, share, 30000), 0);
	/* no limit: everything goes, load 0 */
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(bw_take(&none, 0, 65536, 1000), 1);
	ck_assert_uint_eq(bw_load(&none, 0, 1000), 0);
}
END_TEST

START_TEST(test_caps)
{
	ck_assert_int_eq(congestion_cap(0, 0, 0), 'G');
	ck_assert_int_eq(congestion_cap(10, 100, 0), 0);
	ck_assert_int_eq(congestion_cap(70, 100, 0), 'D');
	ck_assert_int_eq(congestion_cap(10, 100, 75), 'D');
	ck_assert_int_eq(congestion_cap(90, 100, 0), 'E');
	ck_assert_int_eq(congestion_cap(10, 100, 95), 'E');
	ck_assert_int_eq(bandwidth_class(0), 'X');
	ck_assert_int_eq(bandwidth_class(11 * 1024), 'K');
	ck_assert_int_eq(bandwidth_class(12 * 1024), 'L');
	ck_assert_int_eq(bandwidth_class(50 * 1024), 'M');
	ck_assert_int_eq(bandwidth_class(100 * 1024), 'N');
	ck_assert_int_eq(bandwidth_class(200 * 1024), 'O');
	ck_assert_int_eq(bandwidth_class(2000 * 1024), 'P');
	ck_assert_int_eq(bandwidth_class(2001 * 1024), 'X');
}
END_TEST

static Suite *
throttle_suite(void)
{
	Suite	*s = suite_create("throttle");
	TCase	*tc = tcase_create("throttle");

	tcase_add_test(tc, test_bucket);
	tcase_add_test(tc, test_token);
	tcase_add_test(tc, test_share);
	tcase_add_test(tc, test_bandwidth);
	tcase_add_test(tc, test_caps);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(throttle_suite());
}
