/*
 * Peer profiles (routerd/profile.c): the four tiers from the data
 * (thresholds as medians), failing by what was lost, not refused;
 * counts halving with time; the file round trip and malformed files
 * refused whole; the table's bound.
 */
#include <check.h>
#include <string.h>

#include "../../routerd/profile.h"
#include "unit.h"

#define NOW	1790000000

static void
peer(uint8_t h[32], int i)
{
	memset(h, 0, 32);
	h[0] = i;
	h[1] = i >> 8;
}

static void
events(int i, int ev, int n, uint32_t lat)
{
	uint8_t	h[32];

	peer(h, i);
	while (n-- > 0)
		profile_event(h, ev, lat, NOW);
}

static enum profile_tier
tier(int i)
{
	uint8_t	h[32];

	peer(h, i);
	return profile_tier(h);
}

START_TEST(test_tiers)
{
	int64_t		cap;
	uint32_t	lat;
	size_t		counts[4];

	profile_clear();
	events(1, PEV_AGREED, 10, 20);		/* capacity 10, fast */
	events(2, PEV_AGREED, 10, 200);		/* capacity 10, slow */
	events(3, PEV_AGREED, 2, 10);		/* capacity 2 */
	events(4, PEV_AGREED, 1, 10);
	events(4, PEV_REFUSED, 5, 0);		/* refuses: low capacity */
	events(5, PEV_AGREED, 1, 10);
	events(5, PEV_NO_REPLY, 3, 0);		/* loses builds: failing */
	events(6, PEV_TEST_FAILED, 2, 0);	/* too few events to fail */
	profile_recompute(NOW);
	profile_thresholds(&cap, &lat, counts);
	/* capacities of the not failing: 10, 10, 2, -4, -4: median 2 */
	ck_assert_int_eq(cap, 2);
	ck_assert_uint_eq(lat, 20);		/* of 20, 200, 10: median */
	ck_assert_int_eq(tier(1), TIER_FAST);
	ck_assert_int_eq(tier(2), TIER_HIGHCAP);
	ck_assert_int_eq(tier(3), TIER_FAST);
	ck_assert_int_eq(tier(4), TIER_OK);
	ck_assert_int_eq(tier(5), TIER_FAILING);
	ck_assert_int_eq(tier(6), TIER_OK);
	ck_assert_int_eq(tier(99), TIER_OK);	/* unknown */
	ck_assert_uint_eq(counts[TIER_FAST], 2);
	ck_assert_uint_eq(counts[TIER_HIGHCAP], 1);
	ck_assert_uint_eq(counts[TIER_OK], 2);
	ck_assert_uint_eq(counts[TIER_FAILING], 1);
	/* a failing peer that then works: no longer failing */
	events(5, PEV_AGREED, 4, 10);
	profile_recompute(NOW);
	ck_assert_int_ne(tier(5), TIER_FAILING);
	/* quiet for longer than PROFILE_ACTIVE: not high capacity now */
	profile_recompute(NOW + PROFILE_ACTIVE);
	ck_assert_int_eq(tier(1), TIER_OK);
	profile_clear();
}
END_TEST

START_TEST(test_decay)
{
	uint8_t			 buf[256];
	const char		*why;

	profile_clear();
	events(7, PEV_AGREED, 8, 5);
	events(7, PEV_NO_REPLY, 3, 0);
	profile_recompute(NOW);
	profile_recompute(NOW + 2 * PROFILE_HALF_LIFE);
	ck_assert_uint_eq(profile_encode(buf, sizeof(buf)), 12 +
	    PROFILE_REC_LEN);
	/* 8 / 4 = 2 agreed, 3 / 4 = 0 lost */
	ck_assert_uint_eq(buf[12 + 32 + 3], 2);
	ck_assert_uint_eq(buf[12 + 32 + 11], 0);
	ck_assert_int_eq(profile_decode(buf, 12 + PROFILE_REC_LEN, &why), 0);
	profile_clear();
}
END_TEST

START_TEST(test_file)
{
	uint8_t		 buf[12 + 3 * PROFILE_REC_LEN], copy[sizeof(buf)];
	const char	*why;
	size_t		 len, i;

	profile_clear();
	events(1, PEV_AGREED, 3, 50);
	events(2, PEV_NO_REPLY, 4, 0);
	events(3, PEV_TEST_OK, 1, 0);
	profile_recompute(NOW);
	ck_assert_uint_eq(len = profile_encode(buf, sizeof(buf)),
	    sizeof(buf));
	ck_assert_uint_eq(profile_encode(buf, 10), sizeof(buf));
	memcpy(copy, buf, len);
	profile_clear();
	ck_assert_int_eq(profile_decode(copy, len, &why), 0);
	profile_recompute(NOW);
	ck_assert_int_eq(tier(2), TIER_FAILING);
	ck_assert_uint_eq(profile_encode(buf, sizeof(buf)), len);
	ck_assert_mem_eq(buf, copy, len);
	/* every cut refused before anything is stored */
	for (i = 0; i < len; i++) {
		ck_assert_int_eq(profile_decode(copy, i, &why), -1);
		ck_assert_uint_eq(profile_encode(buf, sizeof(buf)), len);
	}
	copy[0] ^= 1;
	ck_assert_int_eq(profile_decode(copy, len, &why), -1);
	ck_assert_str_eq(why, "not a profile file");
	copy[0] ^= 1;
	copy[11] = 4;				/* count beyond the records */
	ck_assert_int_eq(profile_decode(copy, len, &why), -1);
	ck_assert_str_eq(why, "bad record count");
	copy[11] = 3;
	memcpy(copy + 12 + PROFILE_REC_LEN, copy + 12, 32);
	ck_assert_int_eq(profile_decode(copy, len, &why), -1);
	ck_assert_str_eq(why, "duplicate peer");
	profile_clear();
}
END_TEST

START_TEST(test_bound)
{
	uint8_t	h[32];
	int	i;

	profile_clear();
	for (i = 0; i <= PROFILE_MAX; i++) {
		peer(h, i);
		profile_event(h, PEV_AGREED, 0, NOW + i);
	}
	/* the one heard of longest ago made room */
	ck_assert_uint_eq(profile_encode(NULL, 0), 12 +
	    (size_t)PROFILE_MAX * PROFILE_REC_LEN);
	profile_recompute(NOW + PROFILE_MAX);
	ck_assert_int_eq(tier(PROFILE_MAX), TIER_HIGHCAP);
	profile_clear();
}
END_TEST

static Suite *
profile_suite(void)
{
	Suite	*s = suite_create("profile");
	TCase	*tc = tcase_create("profile");

	tcase_add_test(tc, test_tiers);
	tcase_add_test(tc, test_decay);
	tcase_add_test(tc, test_file);
	tcase_add_test(tc, test_bound);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(profile_suite());
}
