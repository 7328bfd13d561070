/*
 * The SOCKS proxy's connections (tunneld/proxy_socksio.c): the
 * greeting's target as the connection takes it.  A host name longer
 * than a connection holds is refused, never cut to another name.
 */
#include <bsd/string.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../tunneld/proxy_int.h"
#include "unit.h"

static struct proxy	 P;

static struct proxy_conn *
conn_to(const char *outproxy)
{
	struct proxy_conn	*c;

	memset(&P, 0, sizeof(P));
	if (outproxy != NULL) {
		strlcpy(P.conf.target, outproxy, sizeof(P.conf.target));
		P.tkind = PT_NAME;
	}
	strlcpy(P.conf.dest, "t", sizeof(P.conf.dest));
	P.conf.kind = PROXY_SOCKS;
	P.auth.user = P.conf.user;
	P.auth.pass = P.conf.password;
	P.fd = -1;
	TAILQ_INIT(&P.conns);
	TAILQ_INIT(&P.usess);
	ck_assert_ptr_nonnull(c = pconn_new(&P, -1));
	return c;
}

static struct proxy_conn *
conn(void)
{
	return conn_to(NULL);
}

/* SOCKS 4a CONNECT to host port 80, no user id */
static void
socks4a(struct proxy_conn *c, const char *host)
{
	static const uint8_t	 head[] = { 4, 1, 0, 80, 0, 0, 0, 1, 0 };

	memcpy(c->in, head, sizeof(head));
	memcpy(c->in + sizeof(head), host, strlen(host) + 1);
	c->inlen = sizeof(head) + strlen(host) + 1;
}

START_TEST(test_name_fits)
{
	struct proxy_conn	*c = conn();
	char			 name[PROXY_NAME_MAX + 1];

	memset(name, 'a', sizeof(name));
	memcpy(name + PROXY_NAME_MAX - 4, ".i2p", 5);
	socks4a(c, name);
	ck_assert_int_eq(c->proto->greet(c), 1);
	ck_assert_int_eq(c->tkind, PT_NAME);
	ck_assert_str_eq(c->tname, name);
	ck_assert_uint_eq(c->tport, 80);
	pconn_free(c, NULL);
}
END_TEST

/* "<63 a>.i2p.x.i2p" would have become "<63 a>.i2p" */
START_TEST(test_name_too_long)
{
	struct proxy_conn	*c = conn();
	char			 name[PROXY_NAME_MAX + 7];

	memset(name, 'a', PROXY_NAME_MAX - 4);
	strlcpy(name + PROXY_NAME_MAX - 4, ".i2p.x.i2p", sizeof(name) -
	    (PROXY_NAME_MAX - 4));
	socks4a(c, name);
	ck_assert_int_eq(c->proto->greet(c), -1);
	ck_assert_str_eq(c->tname, "");
	/* SOCKS 4: rejected or failed */
	ck_assert_uint_eq(c->outlen, 8);
	ck_assert_uint_eq(c->out[1], 0x5b);
	pconn_free(c, NULL);
}
END_TEST


/* SOCKS 5, no authentication, CONNECT to an IPv4 address, port 443 */
static void
socks5_ip(struct proxy_conn *c)
{
	static const uint8_t	 req[] = { 5, 1, 0, 5, 1, 0, 1,
	    192, 0, 2, 1, 1, 187 };

	memcpy(c->in, req, sizeof(req));
	c->inlen = sizeof(req);
}

/* the reply code of the last SOCKS 5 reply in out */
static uint8_t
reply5(const struct wbuf *w)
{
	ck_assert_uint_ge(wbuf_len(w), 10);
	ck_assert_uint_eq(wbuf_data(w)[0], 5);
	return wbuf_data(w)[1];
}

/* the outproxy's bytes through the filter, n at a time */
static int
from_outproxy(struct proxy_conn *c, const char *s, size_t n,
    struct wbuf *w)
{
	size_t	 len = strlen(s), k;
	int	 r = 0;

	wbuf_init_fixed(w, c->out, c->bufsz);
	for (; len > 0 && r == 0; s += k, len -= k) {
		k = len < n ? len : n;
		r = c->proto->from_i2p(c, (const uint8_t *)s, k, w);
	}
	return r;
}

/* without an outproxy a host outside I2P is not allowed (0x02) */
START_TEST(test_no_outproxy)
{
	struct proxy_conn	*c = conn();

	socks5_ip(c);
	ck_assert_int_eq(c->proto->greet(c), -1);
	/* method selection, then the reply */
	ck_assert_uint_eq(c->outlen, 2 + 10);
	ck_assert_uint_eq(c->out[3], 0x02);
	ck_assert_uint_eq(P.st.outproxied, 0);
	pconn_free(c, NULL);
}
END_TEST

/*
 * With one: CONNECT host:port first on its stream, then what the client
 * sent after its request; its 200 is the success reply, what followed
 * it the tunnel's
 */
START_TEST(test_outproxy_ok)
{
	static const char	 connect[] = "CONNECT 192.0.2.1:443 HTTP/1.1\r\n"
	    "Host: 192.0.2.1:443\r\n";
	struct proxy_conn	*c = conn_to("exit.i2p");
	struct wbuf		 w;

	socks5_ip(c);
	memcpy(c->in + c->inlen, "early", 5);
	c->inlen += 5;
	ck_assert_int_eq(c->proto->greet(c), 1);
	ck_assert_str_eq(c->tname, "exit.i2p");
	ck_assert_uint_eq(P.st.outproxied, 1);
	ck_assert_uint_gt(c->inlen, sizeof(connect) + 5);
	ck_assert_mem_eq(c->in, connect, sizeof(connect) - 1);
	ck_assert_mem_eq(c->in + c->inlen - 9, "\r\n\r\nearly", 9);
	c->outlen = 0;
	c->state = PC_OPEN;
	c->proto->connected(c);
	ck_assert_uint_eq(c->outlen, 0);	/* the outproxy answers */
	ck_assert_int_eq(from_outproxy(c, "HTTP/1.1 200 Connection "
	    "established\r\nX: 1\r\n\r\nhello", 3, &w), 0);
	ck_assert_uint_eq(reply5(&w), 0x00);
	ck_assert_uint_eq(wbuf_len(&w), 10 + 5);
	ck_assert_mem_eq(wbuf_data(&w) + 10, "hello", 5);
	/* and then bytes as they are, an HTTP head too */
	ck_assert_int_eq(from_outproxy(c, "HTTP/1.1 403 x\r\n\r\n", 100, &w),
	    0);
	ck_assert_uint_eq(wbuf_len(&w), 18);
	pconn_free(c, NULL);
}
END_TEST

/* its refusals as SOCKS 5 codes; nothing more passes after one */
START_TEST(test_outproxy_refused)
{
	static const struct {
		const char	*answer;
		uint8_t		 code;
	} t[] = {
		{ "HTTP/1.1 403 Forbidden\r\n\r\n", 0x02 },
		{ "HTTP/1.1 407 Auth\r\nContent-Length: 0\r\n\r\n", 0x02 },
		{ "HTTP/1.1 502 Bad Gateway\r\n\r\nbody", 0x04 },
		{ "HTTP/1.1 503 x\r\n\r\n", 0x04 },
		{ "HTTP/1.1 504 x\r\n\r\n", 0x06 },
		{ "HTTP/1.1 500 x\r\n\r\n", 0x05 },
		{ "HTTP/1.1 301 x\r\n\r\n", 0x05 },
		{ "HTTP/1.1 101 x\r\n\r\n", 0x05 },
		{ "SSH-2.0-OpenSSH\r\n\r\n", 0x01 },
		{ "HTTP/1.1 2000 x\r\n\r\n", 0x01 },
	};
	struct proxy_conn	*c;
	struct wbuf		 w;
	size_t			 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c = conn_to("exit.i2p");
		socks5_ip(c);
		ck_assert_int_eq(c->proto->greet(c), 1);
		c->state = PC_OPEN;
		c->proto->connected(c);
		ck_assert_int_eq(from_outproxy(c, t[i].answer, 7, &w), 1);
		ck_assert_msg(reply5(&w) == t[i].code, "%s", t[i].answer);
		ck_assert_uint_eq(wbuf_len(&w), 10);
		ck_assert_int_eq(c->proto->to_i2p(c, (const uint8_t *)"x", 1,
		    &w), 1);
		pconn_free(c, NULL);
	}
}
END_TEST

/* an answer that never ends, or none before the EOF */
START_TEST(test_outproxy_no_answer)
{
	struct proxy_conn	*c;
	struct wbuf		 w;
	char			*junk;
	int			 r = 0;
	size_t			 i;

	c = conn_to("exit.i2p");
	socks5_ip(c);
	ck_assert_int_eq(c->proto->greet(c), 1);
	ck_assert_ptr_nonnull(junk = malloc(8192 + 1));
	memcpy(junk, "HTTP/1.1 200 OK\r\n", 17);
	memset(junk + 17, 'a', 8192 - 17);
	junk[8192] = '\0';
	for (i = 0; i < 3 && r == 0; i++) {
		wbuf_init_fixed(&w, c->out, c->bufsz);
		r = c->proto->from_i2p(c, (uint8_t *)junk, 8192, &w);
	}
	ck_assert_int_eq(r, 1);
	ck_assert_uint_eq(reply5(&w), 0x01);
	free(junk);
	pconn_free(c, NULL);

	c = conn_to("exit.i2p");
	socks5_ip(c);
	ck_assert_int_eq(c->proto->greet(c), 1);
	ck_assert_int_eq(from_outproxy(c, "HTTP/1.1 200", 100, &w), 0);
	ck_assert_uint_eq(wbuf_len(&w), 0);
	wbuf_init_fixed(&w, c->out, c->bufsz);
	c->proto->eof(c, &w);
	ck_assert_uint_eq(reply5(&w), 0x05);
	pconn_free(c, NULL);
}
END_TEST

/* a name that is no host name never reaches the outproxy's CONNECT */
START_TEST(test_outproxy_bad_name)
{
	static const char *const bad[] = {
		"a/b.com", "user@host", "host:81", "[::1]", "a%0d.com"
	};
	struct proxy_conn	*c;
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = conn_to("exit.i2p");
		socks4a(c, bad[i]);
		ck_assert_int_eq(c->proto->greet(c), -1);
		ck_assert_uint_eq(c->outlen, 8);
		ck_assert_uint_eq(c->out[1], 0x5b);
		ck_assert_uint_eq(P.st.outproxied, 0);
		pconn_free(c, NULL);
	}
}
END_TEST

/* SOCKS 4a to a name outside I2P: CONNECT name:80; a refusal is 0x5b */
START_TEST(test_outproxy_socks4)
{
	struct proxy_conn	*c = conn_to("exit.i2p");
	struct wbuf		 w;

	socks4a(c, "Example.COM");
	ck_assert_int_eq(c->proto->greet(c), 1);
	ck_assert_mem_eq(c->in, "CONNECT example.com:80 HTTP/1.1\r\n", 33);
	ck_assert_int_eq(from_outproxy(c, "HTTP/1.1 502 x\r\n\r\n", 100, &w),
	    1);
	ck_assert_uint_eq(wbuf_len(&w), 8);
	ck_assert_uint_eq(wbuf_data(&w)[1], 0x5b);
	pconn_free(c, NULL);
}
END_TEST

static Suite *
socksio_suite(void)
{
	Suite	*s = suite_create("proxy_socksio");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_name_fits);
	tcase_add_test(tc, test_name_too_long);
	tcase_add_test(tc, test_no_outproxy);
	tcase_add_test(tc, test_outproxy_ok);
	tcase_add_test(tc, test_outproxy_refused);
	tcase_add_test(tc, test_outproxy_no_answer);
	tcase_add_test(tc, test_outproxy_socks4);
	tcase_add_test(tc, test_outproxy_bad_name);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(socksio_suite());
}
