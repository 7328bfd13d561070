/*
 * A tunnel's connections (tunneld/proxy_conn.c) with a real stream
 * host: a server connection whose local socket is up on loopback and
 * whose stream ends (the connect times out) must go with its stream
 * and leave no stream behind, whatever state it is in.  Run under
 * make sanitize, the frees are checked too.  And an HTTP proxy's
 * greeting read from a real socket.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <bsd/string.h>
#include <check.h>
#include <event.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "i2pdata.h"
#include "../../tunneld/proxy_int.h"
#include "../../tunneld/stream.h"
#include "unit.h"

#define T0	1000

static int	 scheduled;

static void
t_schedule(void)
{
	scheduled++;
}

static int
t_send(void *arg, const uint8_t remote[32], uint16_t sp, uint16_t dp,
    const uint8_t *lead, size_t leadlen, const uint8_t *pkt, size_t len)
{
	return 0;
}

/* signatures come back at once, so that the SYN goes */
static int
t_sign(void *arg, uint64_t cookie, const uint8_t *msg, size_t len)
{
	static const uint8_t	 sig[64];
	struct stream_host	**h = arg;

	stream_host_signed(*h, cookie, sig, sizeof(sig), T0);
	return 0;
}

static int
t_accept(void *arg, struct stream *s)
{
	return -1;
}

static void
make_dest(struct i2p_ident *id)
{
	uint8_t	 seed[32], pub[32];

	ck_assert_int_eq(ed25519_keygen(seed, pub), 0);
	ck_assert_int_eq(ident_build(id, IDENT_DEST, NULL, pub, NULL), 0);
}

static struct {
	struct stream_host	*h;
	struct i2p_ident	 me, remote;
	struct proxy		 p;
	struct event_base	*base;
	int			 lfd;
} T;

/* a server tunnel toward a loopback listener; a stream host */
static void
setup(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof(sin);
	struct stream_opts	 o;
	struct stream_ops	 ops;

	memset(&T, 0, sizeof(T));
	T.base = event_init();
	pconn_init(t_schedule);
	make_dest(&T.me);
	make_dest(&T.remote);
	stream_opts_default(&o);
	memset(&ops, 0, sizeof(ops));
	ops.send = t_send;
	ops.sign = t_sign;
	ops.accept = t_accept;
	ops.arg = &T.h;
	ck_assert_ptr_nonnull(T.h = stream_host_new(&T.me, &o, &ops));

	ck_assert_int_ne(T.lfd = socket(AF_INET, SOCK_STREAM, 0), -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(T.lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(T.lfd, 4), 0);
	ck_assert_int_eq(getsockname(T.lfd, (struct sockaddr *)&sin, &sl), 0);
	strlcpy(T.p.conf.dest, "t", sizeof(T.p.conf.dest));
	T.p.conf.kind = PROXY_SERVER;
	T.p.conf.family = 4;
	memcpy(T.p.conf.addr, &sin.sin_addr, 4);
	T.p.conf.port = ntohs(sin.sin_port);
	T.p.fd = -1;
	TAILQ_INIT(&T.p.conns);
	TAILQ_INIT(&T.p.usess);
}

static void
teardown(void)
{
	stream_host_free(T.h);
	close(T.lfd);
	event_base_free(T.base);
}

/* a server connection on an outgoing stream (what matters is its end) */
static struct proxy_conn *
conn_with_stream(struct stream **sp)
{
	struct proxy_conn	*c;
	struct stream		*s;

	ck_assert_ptr_nonnull(c = pconn_new(&T.p, -1));
	ck_assert_ptr_nonnull(s = stream_connect(T.h, &T.remote, 0, 80, T0));
	ck_assert_int_eq(pconn_server_start(c, s), 0);
	*sp = s;
	return c;
}

static uint32_t
host_streams(void)
{
	struct stream_stats	 st;

	stream_host_stats(T.h, &st);
	return st.streams;
}

/* the stream's connect times out: the connection and its stream go */
static void
time_out(void)
{
	struct stream_opts	 o;
	int64_t			 t = T0;

	stream_host_opts(T.h, &o);
	scheduled = 0;
	while (scheduled == 0 && t < T0 + 10 * (int64_t)o.connect_timeout) {
		t += 1000;
		stream_host_tick(T.h, t);
	}
	ck_assert_int_gt(scheduled, 0);
	pconn_run();
	stream_host_tick(T.h, t + 1000);
}

START_TEST(test_free_on_stream_end)
{
	struct stream	*s;

	setup();
	(void)conn_with_stream(&s);
	ck_assert_uint_eq(pconn_total(), 1);
	ck_assert_uint_eq(host_streams(), 1);
	time_out();
	ck_assert_uint_eq(pconn_total(), 0);
	ck_assert_uint_eq(T.p.nconns, 0);
	ck_assert_uint_eq(host_streams(), 0);
	teardown();
}
END_TEST

/* the same through a client's failure, which resets the stream */
START_TEST(test_fail_on_stream_end)
{
	struct proxy_conn	*c;
	struct stream		*s;

	setup();
	c = conn_with_stream(&s);
	c->state = PC_CONNECTING;
	time_out();
	ck_assert_uint_eq(pconn_total(), 0);
	ck_assert_uint_eq(host_streams(), 0);
	teardown();
}
END_TEST

/* a connection the tunnel drops (proxy_stop, an error) resets its stream */
START_TEST(test_free_resets)
{
	struct proxy_conn	*c;
	struct stream		*s;

	setup();
	c = conn_with_stream(&s);
	pconn_free(c, "test");
	stream_host_tick(T.h, T0 + 1000);
	ck_assert_uint_eq(pconn_total(), 0);
	ck_assert_uint_eq(host_streams(), 0);
	teardown();
}
END_TEST

/* an HTTP proxy tunnel beside the server one */
static void
http_proxy(struct proxy *hp)
{
	memset(hp, 0, sizeof(*hp));
	strlcpy(hp->conf.dest, "t", sizeof(hp->conf.dest));
	hp->conf.kind = PROXY_HTTP;
	hp->fd = -1;
	TAILQ_INIT(&hp->conns);
	TAILQ_INIT(&hp->usess);
}

/*
 * A POST whose body follows its small head at once: the greeting is
 * read a chunk at a time, so the rewritten head (longer than curl's)
 * and the body's start fit the buffer; read whole, they did not (431)
 */
START_TEST(test_http_greet_post)
{
	static const char	 head[] = "POST http://example.i2p/up HTTP/1.1"
	    "\r\nHost: example.i2p\r\nContent-Length: 100000\r\n\r\n";
	static const char	 sent[] = "POST /up HTTP/1.1\r\n";
	static uint8_t		 req[60000];
	struct proxy		 hp;
	struct proxy_conn	*c;
	int			 sv[2], i;

	setup();
	http_proxy(&hp);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    sv), 0);
	memset(req, 'b', sizeof(req));
	memcpy(req, head, sizeof(head) - 1);
	ck_assert_int_eq(write(sv[1], req, sizeof(req)), sizeof(req));
	ck_assert_ptr_nonnull(c = pconn_new(&hp, sv[0]));
	pconn_client_start(c);
	ck_assert_int_eq(c->state, PC_GREET);
	for (i = 0; i < 10 && pconn_total() == 1 && c->state == PC_GREET; i++)
		event_loop(EVLOOP_NONBLOCK);
	/* not answered and closed; on to the destination (no tunnels here) */
	ck_assert_uint_eq(pconn_total(), 1);
	ck_assert_int_eq(c->state, PC_WAIT_DEST);
	ck_assert_uint_eq(c->outlen, 0);
	ck_assert_uint_gt(c->inlen, sizeof(sent));
	ck_assert(memcmp(c->in, sent, sizeof(sent) - 1) == 0);
	pconn_free(c, NULL);
	close(sv[1]);
	teardown();
}
END_TEST


/*
 * Keep-alive: a connection the browser closes between two requests goes
 * quietly; one that closes before its first request was refused
 */
START_TEST(test_http_idle_close)
{
	struct proxy		 hp;
	struct proxy_conn	*c;
	int			 sv[2], i, served;

	setup();
	http_proxy(&hp);
	for (served = 1; served >= 0; served--) {
		ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM |
		    SOCK_NONBLOCK, 0, sv), 0);
		ck_assert_ptr_nonnull(c = pconn_new(&hp, sv[0]));
		c->served = served;
		pconn_client_start(c);
		close(sv[1]);
		for (i = 0; i < 10 && pconn_total() == 1; i++)
			event_loop(EVLOOP_NONBLOCK);
		ck_assert_uint_eq(pconn_total(), 0);
		ck_assert_uint_eq(hp.st.refused, served ? 0 : 1);
	}
	teardown();
}
END_TEST

static Suite *
proxy_conn_suite(void)
{
	Suite	*s = suite_create("proxy_conn");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_free_on_stream_end);
	tcase_add_test(tc, test_fail_on_stream_end);
	tcase_add_test(tc, test_free_resets);
	tcase_add_test(tc, test_http_greet_post);
	tcase_add_test(tc, test_http_idle_close);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(proxy_conn_suite());
}
