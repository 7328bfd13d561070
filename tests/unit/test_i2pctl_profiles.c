/*
 * i2pctl show profiles: rows sorted by tier then capacity, the tiers'
 * counts and thresholds, the JSON document.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../i2pctl/i2pctl.h"
#include "unit.h"

static char *
capture(int json, struct ctl_profile *p, size_t n,
    const struct ctl_profiles *sum)
{
	char	*out;
	size_t	 len;
	FILE	*fp = open_memstream(&out, &len);

	if (json)
		print_profiles_json(fp, 0, p, n, sum, 1000);
	else
		print_profiles_text(fp, p, n, sum, 1000);
	fclose(fp);
	return out;
}

static void
sample(struct ctl_profile p[3], struct ctl_profiles *sum)
{
	memset(p, 0, 3 * sizeof(p[0]));
	memset(sum, 0, sizeof(*sum));
	memset(p[0].hash, 0xff, 32);		/* "~~~~~~~~" */
	p[0].tier = 3;
	p[0].no_reply = 4;
	p[0].capacity = -8;
	p[0].last_seen = 990;
	memset(p[1].hash, 0, 32);		/* "AAAAAAAA" */
	p[1].tier = 1;
	p[1].agreed = 5;
	p[1].capacity = 5;
	p[1].lat_ms = 40;
	p[1].last_seen = 940;
	memset(p[2].hash, 0x10, 32);		/* "EBAQEBAQ" */
	p[2].tier = 1;
	p[2].agreed = 9;
	p[2].tests_ok = 2;
	p[2].capacity = 10;
	p[2].last_seen = 1000;
	sum->cap_threshold = 5;
	sum->lat_threshold = 30;
	sum->tiers[1] = 2;
	sum->tiers[3] = 1;
}

START_TEST(test_text)
{
	struct ctl_profile	 p[3];
	struct ctl_profiles	 sum;
	char			*out, *a, *b, *c;

	sample(p, &sum);
	out = capture(0, p, 3, &sum);
	ck_assert_ptr_nonnull(strstr(out, "3 peers: 0 fast, 2 high capacity, "
	    "0 not failing, 1 failing\nHigh capacity from 5, fast up to "
	    "30 ms\n"));
	ck_assert_ptr_nonnull(a = strstr(out, "EBAQEBAQ high capacity      9"
	    "       0        0 2/0                10       - 00:00:00\n"));
	ck_assert_ptr_nonnull(b = strstr(out, "AAAAAAAA high capacity      5"
	    "       0        0 0/0                 5    40ms 00:01:00\n"));
	ck_assert_ptr_nonnull(c = strstr(out, "~~~~~~~~ failing"));
	ck_assert_int_lt(a - out, b - out);
	ck_assert_int_lt(b - out, c - out);
	free(out);
}
END_TEST

START_TEST(test_json)
{
	struct ctl_profile	 p[3];
	struct ctl_profiles	 sum;
	char			*out;

	sample(p, &sum);
	out = capture(1, p, 1, &sum);
	ck_assert_str_eq(out, "{\"profiles\":{\"capacity_threshold\":5,"
	    "\"latency_threshold_ms\":30,\"tiers\":{\"fast\":0,"
	    "\"high_capacity\":2,\"not_failing\":0,\"failing\":1},"
	    "\"peers\":[{\"hash\":\"~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"
	    "8=\",\"tier\":\"failing\",\"agreed\":0,\"refused\":0,"
	    "\"no_reply\":4,\"tests_ok\":0,\"tests_failed\":0,"
	    "\"capacity\":-8,\"latency_ms\":0,\"last_seen_ago\":10}]}}\n");
	free(out);
}
END_TEST

static Suite *
profiles_suite(void)
{
	Suite	*s = suite_create("i2pctl_profiles");
	TCase	*tc = tcase_create("profiles");

	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_json);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(profiles_suite());
}
