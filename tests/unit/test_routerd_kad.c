/*
 * Routing keys and XOR distance (routerd/kad.c).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "../../routerd/kad.h"
#include "unit.h"

static void
unhex(uint8_t *out, const char *hex)
{
	size_t	i;

	for (i = 0; hex[2 * i] != '\0'; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

START_TEST(test_day)
{
	ck_assert_uint_eq(kad_day(0), 19700101);
	ck_assert_uint_eq(kad_day(1795305600 - 1), 20261121);
	ck_assert_uint_eq(kad_day(1795305600), 20261122);
	ck_assert_uint_eq(kad_day(1798761599), 20261231);
	ck_assert_uint_eq(kad_day(1798761600), 20270101);
}
END_TEST

/* SHA256(hash || "yyyyMMdd"), computed independently (Python hashlib) */
START_TEST(test_routing_key)
{
	uint8_t	hash[32], rk[32], want[32];
	int	i;

	for (i = 0; i < 32; i++)
		hash[i] = i;
	ck_assert_int_eq(kad_routing_key(rk, hash, 20261122), 0);
	unhex(want, "797948e1b9ac90ac76e1e8cf5713020e"
	    "a9368972ca9bfeb82bcb901c5c69b4d0");
	ck_assert_mem_eq(rk, want, 32);
	ck_assert_int_eq(kad_routing_key(rk, hash, 20270101), 0);
	unhex(want, "b25b908af01da88ce07b19f9777880c8"
	    "16b871ae0eaecf0b72adae150bfc8476");
	ck_assert_mem_eq(rk, want, 32);
	ck_assert_int_eq(kad_routing_key(rk, hash, 100000000), -1);
}
END_TEST

START_TEST(test_cmp)
{
	uint8_t	t[32] = { 0 }, a[32] = { 0 }, b[32] = { 0 };

	a[31] = 1;
	b[0] = 1;
	ck_assert_int_lt(kad_cmp(t, a, b), 0);
	ck_assert_int_gt(kad_cmp(t, b, a), 0);
	ck_assert_int_eq(kad_cmp(t, a, a), 0);
	/* distance is XOR, not difference: 0x80 is farther from 0x7f */
	t[0] = 0x7f;
	a[0] = 0x00;
	a[31] = 0;
	b[0] = 0x80;
	ck_assert_int_lt(kad_cmp(t, a, b), 0);
}
END_TEST

static const uint8_t	*sort_target;

static int
by_distance(const void *a, const void *b)
{
	return kad_cmp(sort_target, a, b);
}

/* against a full sort, for several set sizes */
START_TEST(test_closest)
{
	static uint8_t		 keys[1000][32];
	struct kad_near		 near[16];
	struct kad_closest	 c;
	uint8_t			 target[32], hash[32];
	size_t			 max, i;

	crypto_random(keys, sizeof(keys));
	crypto_random(target, sizeof(target));
	for (max = 0; max <= 16; max++) {
		kad_closest_init(&c, target, near, max);
		for (i = 0; i < 1000; i++) {
			memset(hash, 0, 32);
			memcpy(hash, &i, sizeof(i));
			kad_closest_offer(&c, keys[i], hash);
		}
		ck_assert_uint_eq(c.n, max);
		for (i = 0; i + 1 < c.n; i++)
			ck_assert_int_lt(kad_cmp(target, near[i].rkey,
			    near[i + 1].rkey), 0);
		/* each kept key carries its own hash */
		for (i = 0; i < c.n; i++) {
			size_t	idx;

			memcpy(&idx, near[i].hash, sizeof(idx));
			ck_assert_mem_eq(keys[idx], near[i].rkey, 32);
		}
	}
	sort_target = target;
	qsort(keys, 1000, 32, by_distance);
	for (i = 0; i < 16; i++)
		ck_assert_mem_eq(near[i].rkey, keys[i], 32);
	/* fewer offered than room */
	kad_closest_init(&c, target, near, 16);
	kad_closest_offer(&c, keys[5], hash);
	kad_closest_offer(&c, keys[2], hash);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_mem_eq(near[0].rkey, keys[2], 32);
}
END_TEST

static Suite *
kad_suite(void)
{
	Suite	*s = suite_create("kad");
	TCase	*tc = tcase_create("kad");

	tcase_add_test(tc, test_day);
	tcase_add_test(tc, test_routing_key);
	tcase_add_test(tc, test_cmp);
	tcase_add_test(tc, test_closest);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(kad_suite());
}
