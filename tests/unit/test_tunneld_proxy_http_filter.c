/*
 * The proxy's and the server tunnel's rewriting
 * (tunneld/proxy_http_filter.c, proxy_http_server.c), each checked
 * byte for byte: absolute-form to origin-form, Host, User-Agent,
 * Referer same-origin only, identifying and hop-by-hop headers gone,
 * Connection: close; the outproxy's absolute-form; X-I2P-* spoofing
 * refused and the peer's headers added; response headers stripped.
 * And Basic authentication: right, wrong, malformed, repeated.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phttp.h"

static struct phttp_head	H;
static struct phttp_target	T;
static struct phttp_err		E;
static struct wbuf		W;

static const char *
out_str(void)
{
	wbuf_put_u8(&W, '\0');
	ck_assert(!wbuf_error(&W));
	return (const char *)wbuf_data(&W);
}

static void
setup(void)
{
	ck_assert_int_eq(wbuf_init_dynamic(&W, 256,
	    PROXY_HTTP_HEAD_MAX + PROXY_HTTP_ADD_MAX), 0);
}

static void
teardown(void)
{
	wbuf_free(&W);
}

START_TEST(proxy_rewrite)
{
	phttp_test_req(&H, "GET http://Site.i2p/p?q=1 HTTP/1.1\r\n"
	    "Host: other\r\nUser-Agent: Firefox/1.0 (secret OS)\r\n"
	    "Accept: text/html\r\nAccept-Encoding: gzip\r\n"
	    "Referer: http://evil.i2p/page\r\nVia: 1.1 box\r\n"
	    "From: me@example.com\r\nForwarded: for=10.0.0.1\r\n"
	    "X-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: http\r\n"
	    "X-Real-IP: 10.0.0.1\r\nProxy-Connection: keep-alive\r\n"
	    "Proxy-Authorization: Basic eDp5\r\nProxy: http://x\r\n"
	    "Connection: keep-alive, X-Secret\r\nX-Secret: s\r\n"
	    "Keep-Alive: 300\r\nTE: trailers\r\nUpgrade: websocket\r\n"
	    "Accept-Language: de-CH\r\naccept-charset: utf-8\r\nDNT: 1\r\n"
	    "X-Requested-With: org.example.app\r\nCookie: a=b\r\n\r\n");
	ck_assert_int_eq(phttp_target_parse(&H, &T, &E), 0);
	ck_assert_int_eq(phttp_proxy_request(&H, &T, T.path, 0, &W), 0);
	ck_assert_str_eq(out_str(), "GET /p?q=1 HTTP/1.1\r\n"
	    "Host: Site.i2p\r\nAccept-Encoding: gzip\r\n"
	    "Cookie: a=b\r\nUser-Agent: MYOB/6.66 (AN/ON)\r\n"
	    "Connection: close\r\n\r\n");
}
END_TEST

START_TEST(proxy_referer_port)
{
	phttp_test_req(&H, "POST http://a.i2p:8080/f HTTP/1.0\r\n"
	    "Referer: http://a.i2p:8080/form\r\nContent-Length: 3\r\n"
	    "X-Requested-With: XMLHttpRequest\r\n"
	    "Connection: Content-Length\r\n\r\n");
	ck_assert_int_eq(phttp_target_parse(&H, &T, &E), 0);
	ck_assert_int_eq(phttp_proxy_request(&H, &T, "/g", 0, &W), 0);
	ck_assert_str_eq(out_str(), "POST /g HTTP/1.0\r\nHost: a.i2p:8080\r\n"
	    "Referer: http://a.i2p:8080/form\r\nContent-Length: 3\r\n"
	    "X-Requested-With: XMLHttpRequest\r\nUser-Agent: MYOB/6.66 (AN/ON)\r\nConnection: close\r\n\r\n");
}
END_TEST

START_TEST(proxy_outproxy)
{
	phttp_test_req(&H, "GET http://[2001:db8::1]:81/x HTTP/1.1\r\n"
	    "Host: [2001:db8::1]:81\r\nReferer: http://[2001:db8::1]:81/\r\n"
	    "\r\n");
	ck_assert_int_eq(phttp_target_parse(&H, &T, &E), 0);
	ck_assert_int_eq(phttp_proxy_request(&H, &T, T.path, 1, &W), 0);
	ck_assert_str_eq(out_str(), "GET http://[2001:db8::1]:81/x HTTP/1.1\r\n"
	    "Host: [2001:db8::1]:81\r\nReferer: http://[2001:db8::1]:81/\r\n"
	    "User-Agent: MYOB/6.66 (AN/ON)\r\nConnection: close\r\n\r\n");
}
END_TEST

START_TEST(proxy_refused)
{
	struct wbuf	small;
	uint8_t		mem[32];

	phttp_test_req(&H, "CONNECT a.i2p:443 HTTP/1.1\r\nHost: a.i2p\r\n\r\n");
	ck_assert_int_eq(phttp_target_parse(&H, &T, &E), 0);
	ck_assert_int_eq(phttp_proxy_request(&H, &T, T.path, 0, &W), -1);
	phttp_test_req(&H, "GET http://a.i2p/ HTTP/1.1\r\nHost: a\r\n\r\n");
	ck_assert_int_eq(phttp_target_parse(&H, &T, &E), 0);
	ck_assert_int_eq(phttp_proxy_request(&H, &T, "x", 0, &W), -1);
	/* no room: an error, not a cut head */
	wbuf_init_fixed(&small, mem, sizeof(mem));
	ck_assert_int_eq(phttp_proxy_request(&H, &T, T.path, 0, &small), -1);
}
END_TEST

static struct i2p_ident	PEER;
/* the three headers PEER gets, as the server tunnel must add them */
static char		PEER_HDRS[2048];

static void
server_setup(void)
{
	char	b32[I2P_B32_NAMESZ], hash[B64_ENCLEN(I2P_HASH_LEN)];
	char	b64[B64_ENCLEN(I2P_IDENT_MAXLEN)];

	phttp_test_dest(&PEER, b64, sizeof(b64), 11);
	ck_assert_int_gt(ident_b32(&PEER, b32, sizeof(b32)), 0);
	ck_assert_int_gt(b64_encode(hash, sizeof(hash), PEER.hash,
	    I2P_HASH_LEN), 0);
	snprintf(PEER_HDRS, sizeof(PEER_HDRS), "X-I2P-DestB32: %s\r\n"
	    "X-I2P-DestHash: %s\r\nX-I2P-DestB64: %s\r\n", b32, hash, b64);
	ck_assert(strstr(PEER_HDRS, ".b32.i2p\r\n") != NULL);
}

START_TEST(server_request)
{
	char	want[4096];

	server_setup();
	phttp_test_req(&H, "GET /x HTTP/1.1\r\nHost: site.i2p\r\n"
	    "X-I2P-DestB32: spoofed.b32.i2p\r\nx-i2p-desthash: spoof\r\n"
	    "X-I2P-Anything: 1\r\nProxy: http://evil\r\nAccept: */*\r\n\r\n");
	ck_assert_int_eq(phttp_server_request(&H, &PEER, NULL, &W), 0);
	snprintf(want, sizeof(want), "GET /x HTTP/1.1\r\nHost: site.i2p\r\n"
	    "Accept: */*\r\n%s\r\n", PEER_HDRS);
	ck_assert_str_eq(out_str(), want);
}
END_TEST

START_TEST(server_host_override)
{
	char	want[4096];

	server_setup();
	phttp_test_req(&H, "POST /f HTTP/1.0\r\nHost: site.i2p\r\n"
	    "Content-Length: 0\r\n\r\n");
	ck_assert_int_eq(phttp_server_request(&H, &PEER, "localhost:8080", &W),
	    0);
	snprintf(want, sizeof(want), "POST /f HTTP/1.0\r\nContent-Length: 0\r\n"
	    "Host: localhost:8080\r\n%s\r\n", PEER_HDRS);
	ck_assert_str_eq(out_str(), want);
}
END_TEST

START_TEST(server_response)
{
	const char	*r = "HTTP/1.1 200 OK\r\nServer: nginx/1.2\r\n"
	    "Date: Mon, 07 Dec 2026 13:00:00 GMT\r\nx-powered-by: PHP/8\r\n"
	    "X-Runtime: 0.1\r\nContent-Type: text/html\r\nContent-Length: 2\r\n"
	    "\r\nOK";

	ck_assert_int_eq(phttp_resp_parse(r, strlen(r), 0, &H, &E), PHTTP_OK);
	ck_assert_int_eq(phttp_server_response(&H, &W), 0);
	ck_assert_str_eq(out_str(), "HTTP/1.1 200 OK\r\n"
	    "Content-Type: text/html\r\nContent-Length: 2\r\n\r\n");
	wbuf_free(&W);
	setup();
	ck_assert_int_eq(phttp_resp_parse("HTTP/1.0 404\r\n\r\n", 16, 0, &H, &E),
	    PHTTP_OK);
	ck_assert_int_eq(phttp_server_response(&H, &W), 0);
	ck_assert_str_eq(out_str(), "HTTP/1.0 404 \r\n\r\n");
	phttp_test_req(&H, "GET / HTTP/1.0\r\n\r\n");
	ck_assert_int_eq(phttp_server_response(&H, &W), -1);
}
END_TEST

/*
 * A browser's request through the proxy and the server tunnel: what the
 * local web server finally reads names the peer and nothing else.
 */
START_TEST(end_to_end)
{
	static struct phttp_head	 srv;
	static const char		*const gone[] = { "Via", "From",
	    "Forwarded", "X-Forwarded-For", "X-Real-IP", "Referer",
	    "Accept-Language", "Proxy-Authorization", "Cookie2" };
	struct wbuf			 mid;
	size_t				 i;

	server_setup();
	phttp_test_req(&H, "GET http://site.i2p/p?i2paddresshelper=x HTTP/1.1"
	    "\r\nHost: site.i2p\r\nUser-Agent: Mozilla/5.0 (X11; Linux)\r\n"
	    "Referer: http://other.i2p/\r\nVia: 1.1 me\r\nFrom: a@b\r\n"
	    "Forwarded: for=1.2.3.4\r\nX-Forwarded-For: 1.2.3.4\r\n"
	    "X-Real-IP: 1.2.3.4\r\nAccept-Language: fr\r\n"
	    "Proxy-Authorization: Basic eDp5\r\nX-I2P-DestB32: me.b32.i2p\r\n"
	    "Connection: Cookie2\r\nCookie2: c\r\n\r\n");
	ck_assert_int_eq(phttp_target_parse(&H, &T, &E), 0);
	ck_assert_int_eq(phttp_proxy_request(&H, &T, "/p", 0, &W), 0);
	phttp_test_req(&H, out_str());
	ck_assert_int_eq(wbuf_init_dynamic(&mid, 256, PROXY_HTTP_HEAD_MAX), 0);
	ck_assert_int_eq(phttp_server_request(&H, &PEER, NULL, &mid), 0);
	ck_assert_int_eq(phttp_req_parse(wbuf_data(&mid), wbuf_len(&mid), &srv,
	    &E), PHTTP_OK);
	ck_assert_str_eq(srv.target, "/p");
	ck_assert_str_eq(phttp_header(&srv, "Host"), "site.i2p");
	ck_assert_str_eq(phttp_header(&srv, "User-Agent"),
	    PROXY_HTTP_USER_AGENT);
	ck_assert_uint_eq(phttp_header_count(&srv, "X-I2P-DestB32"), 1);
	ck_assert(strstr(PEER_HDRS, phttp_header(&srv, "X-I2P-DestB32")) !=
	    NULL);
	for (i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
		ck_assert_msg(phttp_header(&srv, gone[i]) == NULL, "%s",
		    gone[i]);
	wbuf_free(&mid);
}
END_TEST

/* the response r parsed, rewritten toward the browser */
static const char *
proxy_resp(const char *r, int keep_alive)
{
	W.len = 0;
	ck_assert_int_eq(phttp_resp_parse(r, strlen(r), 0, &H, &E), PHTTP_OK);
	ck_assert_int_eq(phttp_proxy_response(&H, keep_alive, &W), 0);
	return out_str();
}

START_TEST(proxy_response)
{
	ck_assert_str_eq(proxy_resp("HTTP/1.1 200 OK\r\nConnection: close, "
	    "X-Hop\r\nX-Hop: 1\r\nKeep-Alive: 5\r\nProxy-Connection: "
	    "close\r\nContent-Length: 2\r\nServer: s\r\n\r\n", 1),
	    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nServer: s\r\n"
	    "Connection: keep-alive\r\n\r\n");
	/* the browser did not ask to keep it */
	ck_assert_str_eq(proxy_resp("HTTP/1.1 204 No Content\r\n\r\n", 0),
	    "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
	/* a body that ends with the stream */
	ck_assert_str_eq(proxy_resp("HTTP/1.0 200 OK\r\nContent-Type: "
	    "text/plain\r\n\r\n", 1), "HTTP/1.0 200 OK\r\nContent-Type: "
	    "text/plain\r\nConnection: close\r\n\r\n");
	ck_assert_str_eq(proxy_resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
	    "chunked\r\nConnection: Transfer-Encoding\r\n\r\n", 1),
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
	    "Connection: keep-alive\r\n\r\n");
	phttp_test_req(&H, "GET / HTTP/1.0\r\n\r\n");
	ck_assert_int_eq(phttp_proxy_response(&H, 1, &W), -1);
}
END_TEST

START_TEST(connect_request)
{
	phttp_test_req(&H, "CONNECT [2001:db8::1]:443 HTTP/1.1\r\n"
	    "Host: [2001:db8::1]:443\r\nProxy-Authorization: Basic eDp5\r\n"
	    "User-Agent: curl/8\r\n\r\n");
	ck_assert_int_eq(phttp_target_parse(&H, &T, &E), 0);
	ck_assert_int_eq(phttp_connect_request(&T, &W), 0);
	ck_assert_str_eq(out_str(), "CONNECT [2001:db8::1]:443 HTTP/1.1\r\n"
	    "Host: [2001:db8::1]:443\r\nUser-Agent: MYOB/6.66 (AN/ON)\r\n"
	    "\r\n");
	W.len = 0;
	phttp_test_req(&H, "CONNECT example.com:80 HTTP/1.0\r\n\r\n");
	ck_assert_int_eq(phttp_target_parse(&H, &T, &E), 0);
	ck_assert_int_eq(phttp_connect_request(&T, &W), 0);
	ck_assert_str_eq(out_str(), "CONNECT example.com:80 HTTP/1.1\r\n"
	    "Host: example.com:80\r\nUser-Agent: MYOB/6.66 (AN/ON)\r\n\r\n");
	phttp_test_req(&H, "GET http://a.i2p/ HTTP/1.1\r\nHost: a.i2p\r\n\r\n");
	ck_assert_int_eq(phttp_target_parse(&H, &T, &E), 0);
	ck_assert_int_eq(phttp_connect_request(&T, &W), -1);
}
END_TEST

START_TEST(connect_reply)
{
	ck_assert_int_eq(phttp_connect_reply(&W), 0);
	ck_assert_str_eq(out_str(), "HTTP/1.1 200 Connection established\r\n"
	    "\r\n");
}
END_TEST

/* a request with these Proxy-Authorization lines (may be "") */
static int
auth(const char *lines)
{
	char	s[1024];

	snprintf(s, sizeof(s), "GET http://a.i2p/ HTTP/1.1\r\nHost: a.i2p\r\n"
	    "%s\r\n", lines);
	phttp_test_req(&H, s);
	return phttp_auth_check(&H, "alice", "s3cr/t+");
}

START_TEST(basic_auth)
{
	/* base64 of "alice:s3cr/t+" (the standard alphabet) */
	ck_assert_int_eq(auth("Proxy-Authorization: Basic "
	    "YWxpY2U6czNjci90Kw==\r\n"), 0);
	ck_assert_int_eq(auth("proxy-authorization: basic "
	    "YWxpY2U6czNjci90Kw==\r\n"), 0);
	ck_assert_int_eq(auth(""), -1);
	/* alice:s3cr/t */
	ck_assert_int_eq(auth("Proxy-Authorization: Basic "
	    "YWxpY2U6czNjci90\r\n"), -1);
	/* alice:s3cr/t+x */
	ck_assert_int_eq(auth("Proxy-Authorization: Basic "
	    "YWxpY2U6czNjci90K3g=\r\n"), -1);
	ck_assert_int_eq(auth("Proxy-Authorization: Digest "
	    "YWxpY2U6czNjci90Kw==\r\n"), -1);
	ck_assert_int_eq(auth("Proxy-Authorization: Basic "
	    "YWxpY2U6czNjci90Kw=\r\n"), -1);
	ck_assert_int_eq(auth("Proxy-Authorization: Basic "
	    "YWxpY2U6czNjci90Kw~=\r\n"), -1);
	ck_assert_int_eq(auth("Proxy-Authorization: Basic\r\n"), -1);
	ck_assert_int_eq(auth("Proxy-Authorization: Basic "
	    "YWxpY2U6czNjci90Kw==\r\nProxy-Authorization: Basic "
	    "YWxpY2U6czNjci90Kw==\r\n"), -1);
	/* the user's Authorization is not the proxy's */
	ck_assert_int_eq(auth("Authorization: Basic "
	    "YWxpY2U6czNjci90Kw==\r\n"), -1);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("proxy_http_filter");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, proxy_rewrite);
	tcase_add_test(tc, proxy_referer_port);
	tcase_add_test(tc, proxy_outproxy);
	tcase_add_test(tc, proxy_refused);
	tcase_add_test(tc, server_request);
	tcase_add_test(tc, server_host_override);
	tcase_add_test(tc, server_response);
	tcase_add_test(tc, basic_auth);
	tcase_add_test(tc, proxy_response);
	tcase_add_test(tc, connect_request);
	tcase_add_test(tc, connect_reply);
	tcase_add_test(tc, end_to_end);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
