/*
 * HTTP heads of the proxy and the server tunnels
 * (tunneld/proxy_http_parse.c, proxy_http_chunk.c): request and status
 * lines, headers and their lookup, "need more" at every cut, the
 * bounds (head, line, header count), the refused forms (bare CR and LF,
 * obs-fold, space before the colon, NUL, bad versions, unknown
 * methods), body framing and keep-alive, the chunked body scanner.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tunneld/proxy_http.h"
#include "unit.h"

static struct phttp_head	H;
static struct phttp_err		E;

static int
req(const char *s)
{
	return phttp_req_parse(s, strlen(s), &H, &E);
}

static int
resp(const char *s, int head_req)
{
	return phttp_resp_parse(s, strlen(s), head_req, &H, &E);
}

/* PHTTP_ERR with that status */
static void
refused(const char *s, int status)
{
	ck_assert_msg(req(s) == PHTTP_ERR && E.status == status,
	    "%s: rv/status %d (%s)", s, E.status, E.why ? E.why : "-");
}

START_TEST(request_basic)
{
	const char	*s = "GET /index.html?q=1 HTTP/1.1\r\nHost: a.i2p\r\n"
	    "User-Agent:  x y \t\r\nAccept:\r\n\r\nBODY";

	ck_assert_int_eq(req(s), PHTTP_OK);
	ck_assert_str_eq(H.method, "GET");
	ck_assert_str_eq(H.target, "/index.html?q=1");
	ck_assert_int_eq(H.minor, 1);
	ck_assert_uint_eq(H.nhdrs, 3);
	ck_assert_uint_eq(H.head_len, strlen(s) - 4);
	ck_assert_str_eq(phttp_header(&H, "host"), "a.i2p");
	ck_assert_str_eq(phttp_header(&H, "USER-AGENT"), "x y");
	ck_assert_str_eq(phttp_header(&H, "Accept"), "");
	ck_assert_ptr_null(phttp_header(&H, "Referer"));
	ck_assert_int_eq(H.body, PHTTP_BODY_NONE);
	ck_assert_int_eq(H.keep_alive, 1);
}
END_TEST

START_TEST(need_more)
{
	const char	*s = "POST http://a.i2p/x HTTP/1.0\r\nContent-Length: "
	    "5\r\n\r\n";
	size_t		 i, n = strlen(s);

	/* every cut before the end of the empty line asks for more */
	for (i = 0; i < n; i++)
		ck_assert_int_eq(phttp_req_parse(s, i, &H, &E), PHTTP_MORE);
	ck_assert_int_eq(phttp_req_parse(s, n, &H, &E), PHTTP_OK);
	ck_assert_int_eq(H.body, PHTTP_BODY_LENGTH);
	ck_assert_uint_eq(H.content_length, 5);
	ck_assert_int_eq(H.minor, 0);
	ck_assert_int_eq(H.keep_alive, 0);
	ck_assert_int_eq(req("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"),
	    PHTTP_OK);
	ck_assert_int_eq(H.keep_alive, 1);
	ck_assert_int_eq(req("GET / HTTP/1.1\r\nHost: a\r\nConnection: "
	    "foo, close\r\n\r\n"), PHTTP_OK);
	ck_assert_int_eq(H.keep_alive, 0);
}
END_TEST

START_TEST(request_refused)
{
	refused("GET / HTTP/1.1\nHost: a\r\n\r\n", 400);	/* bare LF */
	refused("GET / HTTP/1.1\r\nHost: a\r\rX: y\r\n\r\n", 400);
	refused("GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n  folded\r\n\r\n", 400);
	refused("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400);
	refused("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400);
	refused("GET / HTTP/1.1\r\nHost: a\r\n: empty\r\n\r\n", 400);
	refused("GET / HTTP/1.1\r\nHost: a\r\nX: a\x01z\r\n\r\n", 400);
	refused("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505);
	refused("GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505);
	refused("GET / HTTP/0.9\r\n\r\n", 505);
	refused("GET / HTTP/1.10\r\n\r\n", 400);
	refused("GET / http/1.1\r\n\r\n", 400);
	refused("GET /\r\n\r\n", 400);
	refused("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
	refused("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400);
	refused("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
	refused("BREW / HTTP/1.1\r\nHost: a\r\n\r\n", 501);
	refused("get / HTTP/1.1\r\nHost: a\r\n\r\n", 501);
	refused("\r\n\r\n", 400);
	/* HTTP/1.1 needs exactly one Host */
	refused("GET / HTTP/1.1\r\n\r\n", 400);
	refused("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
	/* framing: one valid Content-Length, not beside chunked */
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
	    "Content-Length: 5\r\n\r\n", 400);
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n",
	    400);
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
	    400);
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", 400);
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: "
	    "99999999999999999999\r\n\r\n", 400);
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", 400);
	refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
	    400);
	refused("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
	refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", 400);
}
END_TEST

START_TEST(nul_bytes)
{
	const char	 s[] = "GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n";
	const char	 t[] = "GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n";

	ck_assert_int_eq(phttp_req_parse(s, sizeof(s) - 1, &H, &E), PHTTP_ERR);
	ck_assert_int_eq(E.status, 400);
	ck_assert_int_eq(phttp_req_parse(t, sizeof(t) - 1, &H, &E), PHTTP_ERR);
	/* a NUL in a line not yet complete is found when it completes */
	ck_assert_int_eq(phttp_req_parse(t, 6, &H, &E), PHTTP_MORE);
}
END_TEST

START_TEST(framing)
{
	ck_assert_int_eq(req("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
	    "gzip, Chunked\r\n\r\n"), PHTTP_OK);
	ck_assert_int_eq(H.body, PHTTP_BODY_CHUNKED);
	ck_assert_int_eq(req("POST / HTTP/1.1\r\nHost: a\r\ncontent-length: "
	    "0\r\n\r\n"), PHTTP_OK);
	ck_assert_int_eq(H.body, PHTTP_BODY_NONE);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\n\r\n", 0), PHTTP_OK);
	ck_assert_int_eq(H.body, PHTTP_BODY_CLOSE);
	ck_assert_int_eq(H.keep_alive, 0);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n",
	    1), PHTTP_OK);
	ck_assert_int_eq(H.body, PHTTP_BODY_NONE);
	ck_assert_int_eq(H.keep_alive, 1);
	ck_assert_int_eq(resp("HTTP/1.1 304 Not Modified\r\nContent-Length: "
	    "10\r\n\r\n", 0), PHTTP_OK);
	ck_assert_int_eq(H.body, PHTTP_BODY_NONE);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
	    "chunked\r\n\r\n", 0), PHTTP_OK);
	ck_assert_int_eq(H.body, PHTTP_BODY_CHUNKED);
	/* a response coding we cannot frame: until close */
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
	    "gzip\r\n\r\n", 0), PHTTP_OK);
	ck_assert_int_eq(H.body, PHTTP_BODY_CLOSE);
	ck_assert_int_eq(H.keep_alive, 0);
	ck_assert(phttp_header_has(&H, "transfer-encoding", "GZIP"));
	ck_assert(!phttp_header_has(&H, "transfer-encoding", "gz"));
	ck_assert_int_eq(resp("HTTP/1.0 200 OK\r\nTransfer-Encoding: "
	    "chunked\r\n\r\n", 0), PHTTP_OK);
	ck_assert_int_eq(H.body, PHTTP_BODY_CLOSE);
}
END_TEST

START_TEST(response_lines)
{
	ck_assert_int_eq(resp("HTTP/1.0 404 Not  Found\r\nServer: x\r\n\r\n",
	    0), PHTTP_OK);
	ck_assert_int_eq(H.status, 404);
	ck_assert_str_eq(H.reason, "Not  Found");
	ck_assert_int_eq(H.minor, 0);
	ck_assert_int_eq(resp("HTTP/1.1 204\r\n\r\n", 0), PHTTP_OK);
	ck_assert_str_eq(H.reason, "");
	ck_assert_int_eq(resp("HTTP/1.1 200 \r\n\r\n", 0), PHTTP_OK);
	ck_assert_int_eq(resp("HTTP/1.1 20 OK\r\n\r\n", 0), PHTTP_ERR);
	ck_assert_int_eq(resp("HTTP/1.1 2000 OK\r\n\r\n", 0), PHTTP_ERR);
	ck_assert_int_eq(resp("HTTP/1.1 099 OK\r\n\r\n", 0), PHTTP_ERR);
	ck_assert_int_eq(resp("HTTP/1.1 abc OK\r\n\r\n", 0), PHTTP_ERR);
	ck_assert_int_eq(resp("HTTP/3 200 OK\r\n\r\n", 0), PHTTP_ERR);
	ck_assert_int_eq(resp("HTTP/2.0 200 OK\r\n\r\n", 0), PHTTP_ERR);
	ck_assert_int_eq(E.status, 505);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
	    "Content-Length: 2\r\n\r\n", 0), PHTTP_ERR);
	ck_assert_int_eq(resp("HTTP/1.1 200 O\x7fK\r\n\r\n", 0), PHTTP_ERR);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\n", 0), PHTTP_MORE);
}
END_TEST

START_TEST(limits)
{
	static char	 s[PROXY_HTTP_HEAD_MAX * 2];
	size_t		 n, i;

	/* a request line over 8 KiB: 414, even before it ends */
	n = snprintf(s, sizeof(s), "GET /");
	memset(s + n, 'a', PROXY_HTTP_LINE_MAX + 8);
	s[n + PROXY_HTTP_LINE_MAX + 8] = '\0';
	ck_assert_int_eq(req(s), PHTTP_ERR);
	ck_assert_int_eq(E.status, 414);
	/* a line of exactly 8 KiB passes */
	n = snprintf(s, sizeof(s), "GET /");
	memset(s + n, 'a', PROXY_HTTP_LINE_MAX - n - 9);
	strcpy(s + PROXY_HTTP_LINE_MAX - 9, " HTTP/1.0");
	strcat(s, "\r\n\r\n");
	ck_assert_int_eq(req(s), PHTTP_OK);
	/* a header line over 8 KiB: 431 */
	n = snprintf(s, sizeof(s), "GET / HTTP/1.0\r\nX: ");
	memset(s + n, 'b', PROXY_HTTP_LINE_MAX);
	strcpy(s + n + PROXY_HTTP_LINE_MAX, "\r\n\r\n");
	ck_assert_int_eq(req(s), PHTTP_ERR);
	ck_assert_int_eq(E.status, 431);
	/* 100 headers pass, 101 do not */
	n = snprintf(s, sizeof(s), "GET / HTTP/1.0\r\n");
	for (i = 0; i < PROXY_HTTP_HDRS_MAX; i++)
		n += snprintf(s + n, sizeof(s) - n, "X%zu: v\r\n", i);
	strcpy(s + n, "\r\n");
	ck_assert_int_eq(req(s), PHTTP_OK);
	ck_assert_uint_eq(H.nhdrs, PROXY_HTTP_HDRS_MAX);
	strcpy(s + n, "Y: z\r\n\r\n");
	ck_assert_int_eq(req(s), PHTTP_ERR);
	ck_assert_int_eq(E.status, 431);
	/* a whole head over 16 KiB in lines under the limit: 431 */
	n = snprintf(s, sizeof(s), "GET / HTTP/1.0\r\n");
	for (i = 0; i < 5; i++) {
		n += snprintf(s + n, sizeof(s) - n, "X%zu: ", i);
		memset(s + n, 'c', 4000);
		n += 4000;
		n += snprintf(s + n, sizeof(s) - n, "\r\n");
	}
	ck_assert_int_eq(phttp_req_parse(s, n, &H, &E), PHTTP_ERR);
	ck_assert_int_eq(E.status, 431);
	/* and without the end in sight once 16 KiB are in */
	ck_assert_int_eq(phttp_req_parse(s, PROXY_HTTP_HEAD_MAX, &H, &E),
	    PHTTP_ERR);
}
END_TEST

/* scans s in pieces of step bytes; the rv of the last call, used sum */
static int
chunks(const char *s, size_t step, size_t *total)
{
	struct phttp_chunk	 c;
	size_t			 off = 0, n = strlen(s), used;
	int			 rv = 0;

	phttp_chunk_init(&c);
	*total = 0;
	while (off < n && rv == 0) {
		size_t	 k = n - off < step ? n - off : step;

		rv = phttp_chunk_scan(&c, s + off, k, &used);
		if (rv == -1)
			return -1;
		*total += used;
		off += k;
	}
	return rv;
}

START_TEST(chunked)
{
	const char	*ok = "5\r\nhello\r\n1a;ext=\"x\"\r\n"
	    "abcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: t\r\n\r\nNEXT";
	size_t		 used, step;

	for (step = 1; step < 70; step++) {
		ck_assert_int_eq(chunks(ok, step, &used), 1);
		ck_assert_uint_eq(used, strlen(ok) - 4);
	}
	ck_assert_int_eq(chunks("0\r\n\r\n", 3, &used), 1);
	ck_assert_int_eq(chunks("5\r\nhel", 100, &used), 0);
	ck_assert_uint_eq(used, 6);
	ck_assert_int_eq(chunks("x\r\n", 10, &used), -1);
	ck_assert_int_eq(chunks("\r\n", 10, &used), -1);
	ck_assert_int_eq(chunks("5\nhello\r\n0\r\n\r\n", 10, &used), -1);
	ck_assert_int_eq(chunks("5\r\nhelloX\r\n", 10, &used), -1);
	ck_assert_int_eq(chunks("5\r\nhello\r\n0\r\nT: \x01\r\n\r\n", 10,
	    &used), -1);
	/* 16 hex digits could overflow: refused */
	ck_assert_int_eq(chunks("1000000000000000\r\n", 100, &used), -1);
	ck_assert_int_eq(chunks("fffffffffffffff\r\n", 100, &used), 0);
}
END_TEST

START_TEST(chunked_bounds)
{
	static char		 s[PROXY_HTTP_HEAD_MAX * 2];
	struct phttp_chunk	 c;
	size_t			 used, n;

	/* an extension line past 8 KiB */
	n = snprintf(s, sizeof(s), "1;");
	memset(s + n, 'e', PROXY_HTTP_LINE_MAX);
	phttp_chunk_init(&c);
	ck_assert_int_eq(phttp_chunk_scan(&c, s, n + PROXY_HTTP_LINE_MAX,
	    &used), -1);
	/* the error sticks */
	ck_assert_int_eq(phttp_chunk_scan(&c, "0\r\n\r\n", 5, &used), -1);
	/* trailers past 16 KiB in lines under the limit */
	n = snprintf(s, sizeof(s), "0\r\n");
	while (n < PROXY_HTTP_HEAD_MAX + 100) {
		memcpy(s + n, "T: ", 3);
		memset(s + n + 3, 't', 4000);
		memcpy(s + n + 4003, "\r\n", 2);
		n += 4005;
	}
	phttp_chunk_init(&c);
	ck_assert_int_eq(phttp_chunk_scan(&c, s, n, &used), -1);
}
END_TEST

START_TEST(reasons)
{
	ck_assert_str_eq(phttp_reason(431), "Request Header Fields Too Large");
	ck_assert_str_eq(phttp_reason(407), "Proxy Authentication Required");
	ck_assert_str_eq(phttp_reason(299), "Error");
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("proxy_http_parse");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, request_basic);
	tcase_add_test(tc, need_more);
	tcase_add_test(tc, request_refused);
	tcase_add_test(tc, nul_bytes);
	tcase_add_test(tc, framing);
	tcase_add_test(tc, response_lines);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, chunked);
	tcase_add_test(tc, chunked_bounds);
	tcase_add_test(tc, reasons);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}
