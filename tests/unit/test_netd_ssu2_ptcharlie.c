/*
 * Unit tests of the peer test's Charlie rate limit (netd/ssu2_ptcharlie.c):
 * message 5 goes to an address a stranger chose, so per Alice address
 * (an IPv6 /64) first, then in all, per minute.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "../../netd/ssu2_io.h"

static struct sockaddr_storage
addr(const char *host)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1)
		sin->sin_family = AF_INET;
	else {
		ck_assert_int_eq(inet_pton(AF_INET6, host, &sin6->sin6_addr),
		    1);
		sin6->sin6_family = AF_INET6;
	}
	return ss;
}

START_TEST(test_per_source_then_all)
{
	struct sockaddr_storage	 a = addr("198.18.0.1"), v6;
	char			 host[32];
	int64_t			 now = 6000;	/* minute 100 */
	int			 i;

	for (i = 0; i < 4; i++)
		ck_assert_int_eq(s2pt_charlie_rate(&a, now), 0);
	ck_assert_int_eq(s2pt_charlie_rate(&a, now + 59), -1);
	/* one /64: two IPv6 addresses share its 4 */
	v6 = addr("2001:db8::1");
	ck_assert_int_eq(s2pt_charlie_rate(&v6, now), 0);
	ck_assert_int_eq(s2pt_charlie_rate(&v6, now), 0);
	v6 = addr("2001:db8::2");
	ck_assert_int_eq(s2pt_charlie_rate(&v6, now), 0);
	ck_assert_int_eq(s2pt_charlie_rate(&v6, now), 0);
	ck_assert_int_eq(s2pt_charlie_rate(&v6, now), -1);
	/* 8 counted; 24 more from others, then nobody this minute */
	for (i = 0; i < 24; i++) {
		snprintf(host, sizeof(host), "198.18.1.%d", i);
		v6 = addr(host);
		ck_assert_int_eq(s2pt_charlie_rate(&v6, now), 0);
	}
	v6 = addr("198.18.2.1");
	ck_assert_int_eq(s2pt_charlie_rate(&v6, now), -1);
	/* the next minute starts again */
	ck_assert_int_eq(s2pt_charlie_rate(&v6, now + 60), 0);
	ck_assert_int_eq(s2pt_charlie_rate(&a, now + 60), 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("netd_ssu2_ptcharlie");
	TCase	*tc = tcase_create("rate");

	tcase_add_test(tc, test_per_source_then_all);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}
