/*
 * The I2NP batch reader netd and routerd share (common/netbatch.c).
 */
#include <check.h>
#include <string.h>

#include "netbatch.h"
#include "unit.h"

/* hash, then a 9-byte and a 12-byte message */
static size_t
batch(uint8_t *b)
{
	size_t	n = 0;

	memset(b, 0x55, 32);
	n = 32;
	b[n++] = 0;
	b[n++] = 9;
	memset(b + n, 1, 9);
	n += 9;
	b[n++] = 0;
	b[n++] = 12;
	memset(b + n, 2, 12);
	return n + 12;
}

START_TEST(test_records)
{
	uint8_t		 b[128], hash[32];
	struct rbuf	 r;
	const uint8_t	*msg;
	size_t		 len, n = batch(b);

	ck_assert_int_eq(netbatch_begin(&r, b, n, hash), 0);
	ck_assert_uint_eq(hash[31], 0x55);
	ck_assert_int_eq(netbatch_next(&r, &msg, &len), 1);
	ck_assert_uint_eq(len, 9);
	ck_assert_uint_eq(msg[0], 1);
	ck_assert_int_eq(netbatch_next(&r, &msg, &len), 1);
	ck_assert_uint_eq(len, 12);
	ck_assert_uint_eq(msg[11], 2);
	ck_assert_int_eq(netbatch_next(&r, &msg, &len), 0);
	/* a hash alone is an empty batch */
	ck_assert_int_eq(netbatch_begin(&r, b, 32, hash), 0);
	ck_assert_int_eq(netbatch_next(&r, &msg, &len), 0);
}
END_TEST

/* every cut inside a record is malformed, every cut between is not */
START_TEST(test_truncated)
{
	uint8_t		 b[128], hash[32];
	struct rbuf	 r;
	const uint8_t	*msg;
	size_t		 len, cut, n = batch(b);
	int		 rv;

	for (cut = 0; cut < 32; cut++)
		ck_assert_int_eq(netbatch_begin(&r, b, cut, hash), -1);
	for (cut = 32; cut < n; cut++) {
		ck_assert_int_eq(netbatch_begin(&r, b, cut, hash), 0);
		while ((rv = netbatch_next(&r, &msg, &len)) == 1)
			;
		ck_assert_int_eq(rv, cut == 32 || cut == 43 ? 0 : -1);
	}
}
END_TEST

START_TEST(test_short_record)
{
	uint8_t		 b[64], hash[32];
	struct rbuf	 r;
	const uint8_t	*msg;
	size_t		 len;

	memset(b, 0, sizeof(b));
	b[33] = 8;	/* shorter than an I2NP header */
	ck_assert_int_eq(netbatch_begin(&r, b, 34 + 8, hash), 0);
	ck_assert_int_eq(netbatch_next(&r, &msg, &len), -1);
	/* and it stays malformed */
	ck_assert_int_eq(netbatch_next(&r, &msg, &len), -1);
}
END_TEST

static Suite *
netbatch_suite(void)
{
	Suite	*s = suite_create("netbatch");
	TCase	*tc = tcase_create("netbatch");

	tcase_add_test(tc, test_records);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_short_record);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(netbatch_suite());
}
