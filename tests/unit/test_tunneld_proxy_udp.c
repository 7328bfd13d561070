/*
 * UDP tunnels (tunneld/proxy_udp.c): a server tunnel's sessions, one
 * per remote destination and source port, bounded per remote first
 * and per tunnel second, so that one remote's source ports cannot push
 * the other remotes out.  The tunnel's destination is not up (no
 * dests): its key id is 0.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <bsd/string.h>
#include <check.h>
#include <event.h>
#include <string.h>
#include <unistd.h>

#include "i2cpdata.h"
#include "../../tunneld/proxy_int.h"
#include "unit.h"

static struct {
	struct proxy		 p;
	struct event_base	*base;
	int			 fd;		/* the local target */
} T;

static void
setup(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof(sin);

	memset(&T, 0, sizeof(T));
	T.base = event_init();
	ck_assert_int_ne(T.fd = socket(AF_INET, SOCK_DGRAM, 0), -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(T.fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(T.fd, (struct sockaddr *)&sin, &sl), 0);
	strlcpy(T.p.conf.dest, "t", sizeof(T.p.conf.dest));
	T.p.conf.kind = PROXY_UDP_SERVER;
	T.p.conf.family = 4;
	memcpy(T.p.conf.addr, &sin.sin_addr, 4);
	T.p.conf.port = ntohs(sin.sin_port);
	T.p.fd = -1;
	TAILQ_INIT(&T.p.conns);
	ck_assert_int_eq(pudp_start(&T.p), 0);
}

static void
teardown(void)
{
	pudp_stop(&T.p);
	ck_assert_uint_eq(T.p.nusess, 0);
	close(T.fd);
	event_base_free(T.base);
}

/* a repliable datagram from remote `who`, source port sport */
static void
from(uint8_t who, uint16_t sport)
{
	static const uint8_t	 payload[] = "x";
	struct dgram		 d;
	uint8_t			 hash[32];

	memset(&d, 0, sizeof(d));
	memset(hash, who, sizeof(hash));
	d.proto = I2CP_PROTO_DATAGRAM;
	d.src_port = sport;
	d.dst_port = 7;
	d.payload = payload;
	d.len = 1;
	ck_assert_int_eq(pudp_in(&T.p, 0, &d, hash), 0);
}

static uint32_t
sessions_of(uint8_t who)
{
	struct udp_sess	*u;
	uint8_t		 hash[32];
	uint32_t	 n = 0;

	memset(hash, who, sizeof(hash));
	TAILQ_FOREACH(u, &T.p.usess, entry)
		if (memcmp(u->peer, hash, 32) == 0)
			n++;
	return n;
}

START_TEST(test_per_remote)
{
	uint16_t	 port;

	setup();
	/* remote 1 takes its share from many source ports */
	for (port = 1000; port < 1000 + 3 * PROXY_UDP_SESS_MAX; port++)
		from(1, port);
	ck_assert_uint_eq(sessions_of(1), PROXY_UDP_SESS_PER_PEER);
	ck_assert_uint_eq(T.p.nusess, PROXY_UDP_SESS_PER_PEER);
	/* and its latest ports are the ones kept */
	ck_assert_uint_eq(TAILQ_LAST(&T.p.usess, udp_sessions)->port,
	    1000 + 3 * PROXY_UDP_SESS_MAX - 1);
	/* the others still come in */
	from(2, 5);
	from(3, 5);
	ck_assert_uint_eq(sessions_of(2), 1);
	ck_assert_uint_eq(sessions_of(3), 1);
	ck_assert_uint_eq(T.p.nusess, PROXY_UDP_SESS_PER_PEER + 2);
	/* one session per remote and port: the same again is no new one */
	from(2, 5);
	ck_assert_uint_eq(sessions_of(2), 1);
	teardown();
}
END_TEST

/* many remotes: the tunnel's bound holds */
START_TEST(test_per_tunnel)
{
	unsigned	 who;

	setup();
	for (who = 1; who < 200; who++)
		from(who, 5);
	ck_assert_uint_eq(T.p.nusess, PROXY_UDP_SESS_MAX);
	teardown();
}
END_TEST

static Suite *
udp_suite(void)
{
	Suite	*s = suite_create("proxy_udp");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_per_remote);
	tcase_add_test(tc, test_per_tunnel);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(udp_suite());
}
