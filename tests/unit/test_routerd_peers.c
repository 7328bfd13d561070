/*
 * What routerd remembers of routers (routerd/peers.c): sessions up and
 * down, failed dials, and forgetting routers idle for an hour or past
 * PEERS_MAX (audit #8).  Sessions come as netd reports them.
 */
#include <check.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "i2prd.h"
#include "imsg.h"
#include "log.h"
#include "../../routerd/routerd.h"
#include "unit.h"

static struct imsg
mk(void *data, size_t len)
{
	struct imsg	imsg;

	memset(&imsg, 0, sizeof(imsg));
	imsg.hdr.len = IMSG_HEADER_SIZE + len;
	imsg.data = data;
	imsg.datalen = len;
	imsg.fd = -1;
	return imsg;
}

static void
session(const uint8_t hash[32], int up, uint32_t reason)
{
	struct net_session	 s;
	struct net_session_down	 d;
	struct imsg		 imsg;

	if (up) {
		memset(&s, 0, sizeof(s));
		memcpy(s.hash, hash, 32);
		imsg = mk(&s, sizeof(s));
		peers_session_up(&imsg);
	} else {
		memset(&d, 0, sizeof(d));
		memcpy(d.hash, hash, 32);
		d.reason = reason;
		imsg = mk(&d, sizeof(d));
		peers_session_down(&imsg);
	}
}

static void
setup(void)
{
	log_setlevel(LOG_WARNING);
}

static void
teardown(void)
{
	peers_shutdown();
}

/* idle for an hour: forgotten; a session up: never */
START_TEST(test_expire)
{
	uint8_t	a[32] = { 1 }, b[32] = { 2 };
	time_t	now = time(NULL);

	session(a, 1, 0);
	session(a, 0, NET_DOWN_CLOSED);
	session(b, 1, 0);
	ck_assert_uint_eq(peers_count(), 2);
	ck_assert_int_eq(peers_in_use(a), 1);
	ck_assert_uint_eq(peers_expire(now + 3000), 0);
	ck_assert_uint_eq(peers_expire(now + 3700), 1);
	ck_assert_uint_eq(peers_count(), 1);
	ck_assert_int_eq(peers_in_use(a), 0);
	ck_assert_int_eq(peers_in_use(b), 1);
	ck_assert_uint_eq(peers_expire(now + 100000), 0);
}
END_TEST

/* a failed dial keeps the router out of our tunnels, and remembered */
START_TEST(test_dial_failed)
{
	uint8_t	a[32] = { 3 };
	time_t	now = time(NULL);

	session(a, 1, 0);
	session(a, 0, NET_DOWN_CLOSED);
	ck_assert_int_eq(peers_unreachable(a), 0);
	session(a, 0, NET_DOWN_DIAL_FAILED);
	ck_assert_int_eq(peers_unreachable(a), 1);
	ck_assert_uint_eq(peers_expire(now + 600), 0);
	ck_assert_int_eq(peers_unreachable(a), 1);
	/* a session up again: reachable */
	session(a, 1, 0);
	ck_assert_int_eq(peers_unreachable(a), 0);
}
END_TEST

/* PEERS_MAX remembered: the one without a session used longest ago goes */
START_TEST(test_cap)
{
	uint8_t		h[32], up[32] = { 0xff, 0xff };
	uint32_t	i;

	session(up, 1, 0);
	memset(h, 0, sizeof(h));
	for (i = 0; i < 10000 + 5; i++) {
		memcpy(h, &i, sizeof(i));
		session(h, 1, 0);
		session(h, 0, NET_DOWN_CLOSED);
	}
	ck_assert_uint_eq(peers_count(), 10000);
	ck_assert_int_eq(peers_in_use(up), 1);
	memcpy(h, &i, sizeof(i));
	ck_assert_int_eq(peers_in_use(h), 0);
	i--;
	memcpy(h, &i, sizeof(i));
	ck_assert_int_eq(peers_in_use(h), 1);
}
END_TEST

static Suite *
peers_suite(void)
{
	Suite	*s = suite_create("peers");
	TCase	*tc = tcase_create("peers");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_expire);
	tcase_add_test(tc, test_dial_failed);
	tcase_add_test(tc, test_cap);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(peers_suite());
}
