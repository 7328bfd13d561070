/*
 * The HTTP proxy's connections (tunneld/proxy_httpio.c): a browser's
 * request through the greeting, then the response from the I2P side
 * through the filter as proxy_conn.c feeds it (at most the chunk at a
 * time, into a fresh buffer of the connection's size): 1xx heads, a
 * long run of them, HEAD, Content-Length 0, bodies and chunks split
 * across reads, and what follows the message dropped.
 */
#include <bsd/string.h>
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "../../tunneld/proxy_http.h"
#include "../../tunneld/proxy_int.h"
#include "unit.h"

#define FEED_CHUNK	8192	/* proxy_httpio.c's HTTP_CHUNK */
#define HTTP_IN_MAX	32768	/* its HTTP_BUF */

static struct proxy	 P;
static uint8_t		 got[1 << 20];
static size_t		 gotlen;

/* a fresh proxy, with an outproxy (a name) unless NULL */
static void
proxy(const char *outproxy)
{
	memset(&P, 0, sizeof(P));
	strlcpy(P.conf.dest, "t", sizeof(P.conf.dest));
	P.conf.kind = PROXY_HTTP;
	P.fd = -1;
	TAILQ_INIT(&P.conns);
	TAILQ_INIT(&P.usess);
	if (outproxy != NULL) {
		strlcpy(P.conf.target, outproxy, sizeof(P.conf.target));
		P.conf.target_port = 3128;
		P.tkind = PT_NAME;
	}
}

/* a connection of P that sent req: what its greeting said */
static struct proxy_conn *
greeted(const char *req, int want)
{
	struct proxy_conn	*c;

	ck_assert_ptr_nonnull(c = pconn_new(&P, -1));
	ck_assert_uint_le(strlen(req), c->bufsz);
	memcpy(c->in, req, strlen(req));
	c->inlen = strlen(req);
	ck_assert_int_eq(c->proto->greet(c), want);
	c->state = PC_OPEN;
	gotlen = 0;
	return c;
}

/* a proxy connection that sent req: its greeting took it */
static struct proxy_conn *
conn(const char *req)
{
	proxy(NULL);
	return greeted(req, 1);
}

/* bytes from the stream, n at a time: the filter's last result */
static int
feed(struct proxy_conn *c, const void *data, size_t len, size_t n)
{
	const uint8_t	*p = data;
	struct wbuf	 w;
	size_t		 k;
	int		 r = 0;

	while (len > 0) {
		k = len < n ? len : n;
		wbuf_init_fixed(&w, c->out, c->bufsz);
		r = c->proto->from_i2p(c, p, k, &w);
		ck_assert_int_ne(r, -1);
		ck_assert(!wbuf_error(&w));
		ck_assert_uint_le(gotlen + wbuf_len(&w), sizeof(got));
		memcpy(got + gotlen, wbuf_data(&w), wbuf_len(&w));
		gotlen += wbuf_len(&w);
		p += k;
		len -= k;
	}
	return r;
}

static int
ends_with(const char *s)
{
	size_t	n = strlen(s);

	return gotlen >= n && memcmp(got + gotlen - n, s, n) == 0;
}

static size_t
count(const char *s)
{
	size_t	n = strlen(s), i, k = 0;

	for (i = 0; i + n <= gotlen; i++)
		if (memcmp(got + i, s, n) == 0)
			k++;
	return k;
}

#define GET	"GET http://example.i2p/ HTTP/1.1\r\nHost: example.i2p\r\n\r\n"

/*
 * A server that answers with thousands of 100 heads: taken in a loop,
 * not one stack frame (with a whole head in it) per 1xx
 */
START_TEST(test_many_1xx)
{
	static const char	 one[] = "HTTP/1.1 100\r\n\r\n";
	static const char	 last[] = "HTTP/1.1 200 OK\r\n"
	    "Content-Length: 5\r\n\r\nhello";
	struct proxy_conn	*c = conn(GET);
	size_t			 n = 4 * FEED_CHUNK / (sizeof(one) - 1), i;
	char			*buf;

	ck_assert_ptr_nonnull(buf = malloc(n * (sizeof(one) - 1) +
	    sizeof(last)));
	for (i = 0; i < n; i++)
		memcpy(buf + i * (sizeof(one) - 1), one, sizeof(one) - 1);
	memcpy(buf + n * (sizeof(one) - 1), last, sizeof(last));
	ck_assert_int_eq(feed(c, buf, strlen(buf), FEED_CHUNK), 1);
	ck_assert(ends_with("\r\n\r\nhello"));
	ck_assert_uint_eq(count(" 100 "), n);
	ck_assert_uint_eq(count(" 200 "), 1);
	free(buf);
	pconn_free(c, NULL);
}
END_TEST

/* a body split over reads of 1 and 7 bytes; what follows it goes */
START_TEST(test_body_split)
{
	static const char	 resp[] = "HTTP/1.1 200 OK\r\n"
	    "Content-Length: 10\r\n\r\n0123456789HTTP/1.1 200 OK\r\n\r\n";
	struct proxy_conn	*c;
	size_t			 n[] = { 1, 7 }, i;

	for (i = 0; i < 2; i++) {
		c = conn(GET);
		ck_assert_int_eq(feed(c, resp, strlen(resp), n[i]), 1);
		ck_assert(ends_with("\r\n\r\n0123456789"));
		ck_assert_uint_eq(count("HTTP/1.1"), 1);
		pconn_free(c, NULL);
	}
}
END_TEST

/* chunked, split anywhere: up to its last chunk and trailer, no more */
START_TEST(test_chunked_split)
{
	static const char	 resp[] = "HTTP/1.1 200 OK\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n"
	    "3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\nGARBAGE";
	struct proxy_conn	*c;
	size_t			 n;

	for (n = 1; n < 12; n++) {
		c = conn(GET);
		ck_assert_int_eq(feed(c, resp, strlen(resp), n), 1);
		ck_assert(ends_with("3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"));
		ck_assert_uint_eq(count("GARBAGE"), 0);
		pconn_free(c, NULL);
	}
}
END_TEST

/* HEAD: no body whatever the length says; Content-Length 0 likewise */
START_TEST(test_no_body)
{
	static const char	 head[] = "HTTP/1.1 200 OK\r\n"
	    "Content-Length: 100\r\n\r\nxyz";
	static const char	 zero[] = "HTTP/1.1 204 No Content\r\n"
	    "Content-Length: 0\r\n\r\nxyz";
	struct proxy_conn	*c;

	c = conn("HEAD http://example.i2p/ HTTP/1.1\r\nHost: example.i2p"
	    "\r\n\r\n");
	ck_assert_int_eq(feed(c, head, strlen(head), FEED_CHUNK), 1);
	ck_assert(ends_with("\r\n\r\n"));
	pconn_free(c, NULL);

	c = conn(GET);
	ck_assert_int_eq(feed(c, zero, strlen(zero), 5), 1);
	ck_assert(ends_with("\r\n\r\n"));
	ck_assert_uint_eq(count("xyz"), 0);
	pconn_free(c, NULL);
}
END_TEST

/* a 100 then the real response in the same read, then in two */
START_TEST(test_continue_then_response)
{
	static const char	 resp[] = "HTTP/1.1 100 Continue\r\n\r\n"
	    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	struct proxy_conn	*c;
	size_t			 n[] = { FEED_CHUNK, 30 }, i;

	for (i = 0; i < 2; i++) {
		c = conn(GET);
		ck_assert_int_eq(feed(c, resp, strlen(resp), n[i]), 1);
		ck_assert_uint_eq(count(" 100 "), 1);
		ck_assert(ends_with("\r\n\r\nok"));
		pconn_free(c, NULL);
	}
}
END_TEST

/*
 * A head that never ends is refused at PROXY_HTTP_HEAD_MAX: nothing of
 * it went to the browser, which gets a page that says so instead
 */
START_TEST(test_head_too_long)
{
	struct proxy_conn	*c = conn(GET);
	static char		 buf[FEED_CHUNK];
	struct wbuf		 w;
	size_t			 i;
	int			 r = 0;

	memcpy(buf, "HTTP/1.1 200 OK\r\n", 17);
	memset(buf + 17, 'a', sizeof(buf) - 17);
	for (i = 0; i < 4 && r == 0; i++) {
		wbuf_init_fixed(&w, c->out, c->bufsz);
		r = c->proto->from_i2p(c, (uint8_t *)buf, i == 0 ? sizeof(buf) :
		    sizeof(buf) - 17, &w);
		memset(buf, 'a', sizeof(buf));
	}
	ck_assert_int_eq(r, 1);
	ck_assert_mem_eq(wbuf_data(&w), "HTTP/1.1 502 ", 13);
	ck_assert_ptr_nonnull(memmem(wbuf_data(&w), wbuf_len(&w),
	    "malformed", 9));
	pconn_free(c, NULL);
}
END_TEST


/* n bytes of p as a string */
static const char *
str(const uint8_t *p, size_t n)
{
	static char	 buf[HTTP_IN_MAX + 1];

	ck_assert_uint_lt(n, sizeof(buf));
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

/* what went on toward the stream */
static const char *
sent(struct proxy_conn *c)
{
	return str(c->in, c->inlen);
}

/* what the greeting answered the browser with */
static const char *
answered(struct proxy_conn *c)
{
	return str(c->out + c->outoff, c->outlen);
}

#define CLEAR	"GET http://192.0.2.1:8080/a?b HTTP/1.1\r\n" \
	"Host: 192.0.2.1:8080\r\nUser-Agent: curl/8\r\n" \
	"X-Forwarded-For: 10.0.0.1\r\nAccept-Language: fr\r\n\r\n"

/* no outproxy: a host outside I2P gets the 503 page, no stream */
START_TEST(test_no_outproxy)
{
	struct proxy_conn	*c;

	proxy(NULL);
	c = greeted(CLEAR, -1);
	ck_assert_ptr_nonnull(strstr(answered(c), "HTTP/1.1 503 "));
	ck_assert_ptr_nonnull(strstr(answered(c), "no outproxy"));
	ck_assert_uint_eq(P.st.outproxied, 0);
	pconn_free(c, NULL);
}
END_TEST

/*
 * With one: the request goes to it in absolute-form, filtered as for
 * an I2P host, on a stream to the outproxy's name and port
 */
START_TEST(test_outproxy_get)
{
	struct proxy_conn	*c;
	const char		*s;

	proxy("exit.i2p");
	c = greeted(CLEAR, 1);
	s = sent(c);
	ck_assert_msg(strncmp(s, "GET http://192.0.2.1:8080/a?b HTTP/1.1\r\n"
	    "Host: 192.0.2.1:8080\r\n", 61) == 0, "%s", s);
	ck_assert_ptr_null(strstr(s, "curl"));
	ck_assert_ptr_null(strstr(s, "10.0.0.1"));
	ck_assert_ptr_null(strstr(s, "Accept-Language"));
	ck_assert_ptr_nonnull(strstr(s, "Connection: close\r\n"));
	ck_assert_int_eq(c->tkind, PT_NAME);
	ck_assert_str_eq(c->tname, "exit.i2p");
	ck_assert_uint_eq(c->tport, 3128);
	ck_assert_uint_eq(P.st.outproxied, 1);
	/* its response comes back as an I2P server's would */
	ck_assert_int_eq(feed(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
	    "Connection: keep-alive\r\n\r\nok", 64, FEED_CHUNK), 1);
	ck_assert(ends_with("Connection: keep-alive\r\n\r\nok"));
	pconn_free(c, NULL);
}
END_TEST

/* .i2p hosts never go to the outproxy */
START_TEST(test_outproxy_not_i2p)
{
	struct proxy_conn	*c;

	proxy("exit.i2p");
	c = greeted(GET, 1);
	ck_assert_str_eq(c->tname, "example.i2p");
	ck_assert_uint_eq(c->tport, 80);
	ck_assert_uint_eq(P.st.outproxied, 0);
	ck_assert(strncmp(sent(c), "GET / HTTP/1.1\r\n", 16) == 0);
	pconn_free(c, NULL);
}
END_TEST

#define CONNECT	"CONNECT example.com:443 HTTP/1.1\r\n" \
	"Host: example.com:443\r\nProxy-Connection: keep-alive\r\n\r\n"

/* CONNECT: ours to the outproxy, its yes as ours, then bytes as they are */
START_TEST(test_outproxy_connect)
{
	static const char	 yes[] = "HTTP/1.1 100 Wait\r\n\r\n"
	    "HTTP/1.0 200 Connection established\r\nX: y\r\n\r\n\x16\x03";
	struct proxy_conn	*c;

	proxy("exit.i2p");
	c = greeted(CONNECT, 1);
	ck_assert_str_eq(sent(c), "CONNECT example.com:443 HTTP/1.1\r\n"
	    "Host: example.com:443\r\nUser-Agent: " PROXY_HTTP_USER_AGENT
	    "\r\n\r\n");
	c->proto->connected(c);
	ck_assert_uint_eq(c->outlen, 0);	/* the outproxy answers */
	ck_assert_int_eq(feed(c, yes, sizeof(yes) - 1, 5), 0);
	ck_assert(ends_with("HTTP/1.1 200 Connection established\r\n\r\n"
	    "\x16\x03"));
	ck_assert_uint_eq(count("X: y"), 0);
	ck_assert_int_eq(feed(c, "HTTP/1.1 200 OK\r\n\r\n", 19, 3), 0);
	ck_assert(ends_with("\x16\x03HTTP/1.1 200 OK\r\n\r\n"));
	pconn_free(c, NULL);
}
END_TEST

/* its no, with the body that says why, goes to the browser; then the end */
START_TEST(test_outproxy_connect_refused)
{
	static const char	 no[] = "HTTP/1.1 403 Forbidden\r\n"
	    "Content-Length: 4\r\n\r\nnopeMORE";
	struct proxy_conn	*c;

	proxy("exit.i2p");
	c = greeted(CONNECT, 1);
	c->proto->connected(c);
	ck_assert_int_eq(feed(c, no, sizeof(no) - 1, FEED_CHUNK), 1);
	ck_assert_mem_eq(got, "HTTP/1.1 403 Forbidden\r\n", 24);
	ck_assert(ends_with("Connection: close\r\n\r\nnope"));
	pconn_free(c, NULL);
}
END_TEST

/* a malformed answer, or none: a 502 page that says the outproxy failed */
START_TEST(test_outproxy_connect_bad)
{
	struct proxy_conn	*c;
	struct wbuf		 w;

	proxy("exit.i2p");
	c = greeted(CONNECT, 1);
	c->proto->connected(c);
	ck_assert_int_eq(feed(c, "SSH-2.0-x\r\n\r\n", 13, FEED_CHUNK), 1);
	ck_assert_mem_eq(got, "HTTP/1.1 502 ", 13);
	ck_assert_uint_eq(count("Outproxy failed"), 2);
	pconn_free(c, NULL);

	c = greeted(CONNECT, 1);
	c->proto->connected(c);
	ck_assert_int_eq(feed(c, "HTTP/1.1 2", 10, FEED_CHUNK), 0);
	wbuf_init_fixed(&w, c->out, c->bufsz);
	c->proto->eof(c, &w);
	ck_assert_mem_eq(wbuf_data(&w), "HTTP/1.1 502 ", 13);
	ck_assert_ptr_nonnull(memmem(wbuf_data(&w), wbuf_len(&w),
	    "within its response", 19));
	pconn_free(c, NULL);
}
END_TEST

/* the stream failed: the page names the outproxy, not the site */
START_TEST(test_outproxy_failed)
{
	struct proxy_conn	*c;

	proxy("exit.i2p");
	c = greeted(CLEAR, 1);
	c->outlen = 0;
	c->proto->failed(c, PF_NOT_FOUND);
	ck_assert_ptr_nonnull(strstr(answered(c), "HTTP/1.1 502 "));
	ck_assert_ptr_nonnull(strstr(answered(c),
	    "outproxy&#39;s LeaseSet"));
	pconn_free(c, NULL);
}
END_TEST

/* jump services: the tunnel's list, none, or the default one */
START_TEST(test_jumps)
{
	struct proxy_conn	*c;

	proxy(NULL);
	c = greeted("GET http://nosuch.i2p/ HTTP/1.1\r\nHost: nosuch.i2p"
	    "\r\n\r\n", 1);
	c->proto->failed(c, PF_UNKNOWN_HOST);
	ck_assert_ptr_nonnull(strstr(answered(c), "http://stats.i2p/"));
	pconn_free(c, NULL);

	P.conf.jumps_set = 1;
	P.conf.njumps = 2;
	strlcpy(P.conf.jumps[0], "http://a.i2p/j?n=", sizeof(P.conf.jumps[0]));
	strlcpy(P.conf.jumps[1], "https://b.example/", sizeof(P.conf.jumps[1]));
	c = greeted("GET http://nosuch.i2p/ HTTP/1.1\r\nHost: nosuch.i2p"
	    "\r\n\r\n", 1);
	c->proto->failed(c, PF_UNKNOWN_HOST);
	ck_assert_ptr_nonnull(strstr(answered(c),
	    "href=\"http://a.i2p/j?n=nosuch.i2p\""));
	ck_assert_ptr_nonnull(strstr(answered(c),
	    "href=\"https://b.example/nosuch.i2p\""));
	ck_assert_ptr_null(strstr(answered(c), "stats.i2p"));
	pconn_free(c, NULL);

	P.conf.njumps = 0;		/* jump { } */
	c = greeted("GET http://nosuch.i2p/ HTTP/1.1\r\nHost: nosuch.i2p"
	    "\r\n\r\n", 1);
	c->proto->failed(c, PF_UNKNOWN_HOST);
	ck_assert_ptr_nonnull(strstr(answered(c), "HTTP/1.1 404 "));
	ck_assert_ptr_null(strstr(answered(c), "Jump services"));
	pconn_free(c, NULL);
}
END_TEST


#define OK5	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"

/* the response to req: 1 if the connection takes another request */
static int
one_more(struct proxy_conn *c, const char *req, const char *resp,
    const char *conn_hdr)
{
	char	 want[64];

	ck_assert_uint_le(strlen(req), c->bufsz);
	memcpy(c->in, req, strlen(req));
	c->inlen = strlen(req);
	c->outlen = 0;
	ck_assert_int_eq(c->proto->greet(c), 1);
	gotlen = 0;
	/* a body without framing ends with the stream, not here */
	ck_assert_int_eq(feed(c, resp, strlen(resp), FEED_CHUNK),
	    strstr(resp, "Length") != NULL || strstr(resp, "chunked") != NULL ||
	    strstr(resp, " 304 ") != NULL);
	snprintf(want, sizeof(want), "Connection: %s\r\n", conn_hdr);
	ck_assert_msg(count(want) == 1, "%s", want);
	return c->proto->again(c);
}

/*
 * Keep-alive: a request that asks for it and a response whose end is
 * known leave the connection for the next request, from a fresh state
 */
START_TEST(test_keep_alive)
{
	struct proxy_conn	*c;

	proxy(NULL);
	ck_assert_ptr_nonnull(c = pconn_new(&P, -1));
	ck_assert_int_eq(one_more(c, GET, OK5, "keep-alive"), 1);
	ck_assert_int_eq(one_more(c, "GET http://b.i2p/x HTTP/1.1\r\n"
	    "Host: b.i2p\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
	    "chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n", "keep-alive"), 1);
	ck_assert_str_eq(c->tname, "b.i2p");
	/* HTTP/1.0 asks with the header */
	ck_assert_int_eq(one_more(c, "GET http://b.i2p/ HTTP/1.0\r\n"
	    "Connection: keep-alive\r\n\r\n", "HTTP/1.0 304 x\r\n\r\n",
	    "keep-alive"), 1);
	/* a response that ends with its stream ends the connection */
	ck_assert_int_eq(one_more(c, GET, "HTTP/1.1 200 OK\r\n\r\nbody",
	    "close"), 0);
	pconn_free(c, NULL);
}
END_TEST

START_TEST(test_keep_alive_not)
{
	struct proxy_conn	*c;

	proxy(NULL);
	ck_assert_ptr_nonnull(c = pconn_new(&P, -1));
	ck_assert_int_eq(one_more(c, "GET http://a.i2p/ HTTP/1.1\r\n"
	    "Host: a.i2p\r\nConnection: close\r\n\r\n", OK5, "close"), 0);
	pconn_free(c, NULL);
	ck_assert_ptr_nonnull(c = pconn_new(&P, -1));
	ck_assert_int_eq(one_more(c, "GET http://a.i2p/ HTTP/1.0\r\n\r\n",
	    OK5, "close"), 0);
	pconn_free(c, NULL);
	/* a request with bytes after it: they went, so the connection goes */
	ck_assert_ptr_nonnull(c = pconn_new(&P, -1));
	ck_assert_int_eq(one_more(c, GET "GET /next HTTP/1.1\r\n\r\n", OK5,
	    "close"), 0);
	pconn_free(c, NULL);
	/* a response before the request's body was through */
	ck_assert_ptr_nonnull(c = pconn_new(&P, -1));
	ck_assert_int_eq(one_more(c, "POST http://a.i2p/ HTTP/1.1\r\n"
	    "Host: a.i2p\r\nContent-Length: 10\r\n\r\n12345", OK5, "close"),
	    0);
	pconn_free(c, NULL);
}
END_TEST

/* at most HTTP_REQUESTS_MAX requests on one connection */
START_TEST(test_keep_alive_bounded)
{
	struct proxy_conn	*c;
	int			 i;

	proxy(NULL);
	ck_assert_ptr_nonnull(c = pconn_new(&P, -1));
	for (i = 1; i < 100; i++)
		ck_assert_int_eq(one_more(c, GET, OK5, "keep-alive"), 1);
	ck_assert_int_eq(one_more(c, GET, OK5, "close"), 0);
	pconn_free(c, NULL);
}
END_TEST

static Suite *
httpio_suite(void)
{
	Suite	*s = suite_create("proxy_httpio");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_many_1xx);
	tcase_add_test(tc, test_body_split);
	tcase_add_test(tc, test_chunked_split);
	tcase_add_test(tc, test_no_body);
	tcase_add_test(tc, test_continue_then_response);
	tcase_add_test(tc, test_head_too_long);
	tcase_add_test(tc, test_no_outproxy);
	tcase_add_test(tc, test_outproxy_get);
	tcase_add_test(tc, test_outproxy_not_i2p);
	tcase_add_test(tc, test_outproxy_connect);
	tcase_add_test(tc, test_outproxy_connect_refused);
	tcase_add_test(tc, test_outproxy_connect_bad);
	tcase_add_test(tc, test_outproxy_failed);
	tcase_add_test(tc, test_jumps);
	tcase_add_test(tc, test_keep_alive);
	tcase_add_test(tc, test_keep_alive_not);
	tcase_add_test(tc, test_keep_alive_bounded);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(httpio_suite());
}
