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
#include <string.h>

#include "buf.h"
#include "../../tunneld/proxy_int.h"
#include "unit.h"

#define FEED_CHUNK	8192	/* proxy_httpio.c's HTTP_CHUNK */

static struct proxy	 P;
static uint8_t		 got[1 << 20];
static size_t		 gotlen;

/* a proxy connection that sent req: its greeting took it */
static struct proxy_conn *
conn(const char *req)
{
	struct proxy_conn	*c;

	memset(&P, 0, sizeof(P));
	strlcpy(P.conf.dest, "t", sizeof(P.conf.dest));
	P.conf.kind = PROXY_HTTP;
	P.fd = -1;
	TAILQ_INIT(&P.conns);
	TAILQ_INIT(&P.usess);
	ck_assert_ptr_nonnull(c = pconn_new(&P, -1));
	ck_assert_uint_le(strlen(req), c->bufsz);
	memcpy(c->in, req, strlen(req));
	c->inlen = strlen(req);
	ck_assert_int_eq(c->proto->greet(c), 1);
	c->state = PC_OPEN;
	gotlen = 0;
	return c;
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

/* a head that never ends is refused at PROXY_HTTP_HEAD_MAX */
START_TEST(test_head_too_long)
{
	struct proxy_conn	*c = conn(GET);
	static char		 buf[FEED_CHUNK];
	struct wbuf		 w;
	size_t			 i;
	int			 r = 0;

	memcpy(buf, "HTTP/1.1 200 OK\r\n", 17);
	memset(buf + 17, 'a', sizeof(buf) - 17);
	for (i = 0; i < 4 && r != -1; i++) {
		wbuf_init_fixed(&w, c->out, c->bufsz);
		r = c->proto->from_i2p(c, (uint8_t *)buf, i == 0 ? sizeof(buf) :
		    sizeof(buf) - 17, &w);
		memset(buf, 'a', sizeof(buf));
	}
	ck_assert_int_eq(r, -1);
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
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(httpio_suite());
}
