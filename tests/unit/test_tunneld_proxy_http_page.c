/*
 * What the proxy answers itself (tunneld/proxy_http_page.c) and the
 * address helper's nonce (proxy_http_nonce.c): pages are complete
 * responses whose Content-Length is right, hostile hosts and details
 * come out escaped, jump links carry the name; nonces valid, wrong
 * (name, destination, key, bytes), expired, from the future; redirects
 * that cannot split a response.
 */
#include <bsd/string.h>
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phttp.h"

static struct wbuf		W;
static struct phttp_head	H;
static struct phttp_err		E;
static struct phttp_nonce_key	K;
static struct i2p_ident		D;
static char			B64[PROXY_HTTP_HOST_MAX + 1];

/* NOW: a fixed time in the middle of a nonce bucket */
#define NOW	((time_t)1796648430)

static void
setup(void)
{
	ck_assert_int_eq(wbuf_init_dynamic(&W, 256, 128 * 1024), 0);
	ck_assert_int_eq(phttp_nonce_key_init(&K), 0);
	phttp_test_dest(&D, B64, sizeof(B64), 3);
}

static void
teardown(void)
{
	wbuf_free(&W);
	phttp_nonce_key_wipe(&K);
}

/*
 * The page in W must parse as a response whose Content-Length is the
 * body that follows; returns the body, NUL-terminated.
 */
static const char *
page_body(int status)
{
	const char	*s;

	wbuf_put_u8(&W, '\0');
	ck_assert(!wbuf_error(&W));
	s = (const char *)wbuf_data(&W);
	ck_assert_int_eq(phttp_resp_parse(s, wbuf_len(&W) - 1, 0, &H, &E),
	    PHTTP_OK);
	ck_assert_int_eq(H.status, status);
	ck_assert_int_eq(H.body, PHTTP_BODY_LENGTH);
	ck_assert_uint_eq(H.content_length, wbuf_len(&W) - 1 - H.head_len);
	ck_assert_str_eq(phttp_header(&H, "Connection"), "close");
	ck_assert_str_eq(phttp_header(&H, "Content-Type"),
	    "text/html; charset=utf-8");
	return s + H.head_len;
}

START_TEST(error_pages)
{
	static const struct {
		enum phttp_page	 page;
		int		 status;
		const char	*says;
	} pages[] = {
		{ PHTTP_PAGE_NO_LEASESET, 504, "LeaseSet" },
		{ PHTTP_PAGE_UNREACHABLE, 502, "did not answer" },
		{ PHTTP_PAGE_TIMEOUT, 504, "in time" },
		{ PHTTP_PAGE_NO_OUTPROXY, 503, "no outproxy" },
		{ PHTTP_PAGE_FORBIDDEN, 403, "does not allow" },
		{ PHTTP_PAGE_BAD_HELPER, 403, "invalid or expired" },
		{ PHTTP_PAGE_OUTPROXY, 502, "outproxy, which could not" },
		{ PHTTP_PAGE_UNKNOWN_HOST, 404, "not in your address book" }
	};
	size_t	i;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		W.len = 0;
		ck_assert_int_eq(phttp_page(&W, pages[i].page, 0, "a.i2p",
		    NULL, NULL), 0);
		ck_assert_msg(strstr(page_body(pages[i].status),
		    pages[i].says) != NULL, "%s", pages[i].says);
	}
	ck_assert_int_eq(phttp_page(&W, PHTTP_PAGE_OUTPROXY + 1, 0, NULL,
	    NULL, NULL), -1);
}
END_TEST

START_TEST(bad_request_status)
{
	ck_assert_int_eq(phttp_page(&W, PHTTP_PAGE_BAD_REQUEST, 431, NULL,
	    "too many headers", NULL), 0);
	ck_assert(strstr(page_body(431), "too many headers") != NULL);
	ck_assert_str_eq(H.reason, "Request Header Fields Too Large");
	W.len = 0;
	/* a status that is not an error: 400 */
	ck_assert_int_eq(phttp_page(&W, PHTTP_PAGE_BAD_REQUEST, 200, NULL,
	    NULL, NULL), 0);
	page_body(400);
}
END_TEST

START_TEST(auth_page)
{
	ck_assert_int_eq(phttp_page(&W, PHTTP_PAGE_AUTH, 0, NULL, NULL, NULL),
	    0);
	page_body(407);
	ck_assert_str_eq(phttp_header(&H, "Proxy-Authenticate"),
	    "Basic realm=\"i2prd\"");
}
END_TEST

START_TEST(escaping)
{
	const char	*b;

	ck_assert_int_eq(phttp_page(&W, PHTTP_PAGE_TIMEOUT, 0,
	    "<script>alert('x')</script>", "a&b\"c", NULL), 0);
	b = page_body(504);
	ck_assert(strstr(b, "<script") == NULL);
	ck_assert(strstr(b, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
	    != NULL);
	ck_assert(strstr(b, "a&amp;b&quot;c") != NULL);
	W.len = 0;
	ck_assert_int_eq(phttp_put_escaped(&W, "<>&\"'ok"), 0);
	wbuf_put_u8(&W, '\0');
	ck_assert_str_eq((const char *)wbuf_data(&W),
	    "&lt;&gt;&amp;&quot;&#39;ok");
}
END_TEST

START_TEST(jump_links)
{
	static const char	*const urls[] = {
		"http://stats.i2p/cgi-bin/jump.cgi?a=",
		"http://jump.i2p/jump/\"><b>"
	};
	struct phttp_jumps	 j = { urls, 2 };
	const char		*b;

	ck_assert_int_eq(phttp_page(&W, PHTTP_PAGE_UNKNOWN_HOST, 0,
	    "forum.i2p", NULL, &j), 0);
	b = page_body(404);
	ck_assert(strstr(b, "<a href=\"http://stats.i2p/cgi-bin/jump.cgi?"
	    "a=forum.i2p\">") != NULL);
	ck_assert(strstr(b, "http://jump.i2p/jump/&quot;&gt;&lt;b&gt;"
	    "forum.i2p\"") != NULL);
	ck_assert(strstr(b, "<b>") == NULL);
	/* a hostile host is percent-encoded in the link, escaped in text */
	W.len = 0;
	ck_assert_int_eq(phttp_page(&W, PHTTP_PAGE_UNKNOWN_HOST, 0,
	    "a\"><i>.i2p", NULL, &j), 0);
	b = page_body(404);
	ck_assert(strstr(b, "a=a%22%3E%3Ci%3E.i2p\"") != NULL);
	ck_assert(strstr(b, "<i>") == NULL);
	/* no jump list: no links */
	W.len = 0;
	ck_assert_int_eq(phttp_page(&W, PHTTP_PAGE_UNKNOWN_HOST, 0,
	    "forum.i2p", NULL, NULL), 0);
	ck_assert(strstr(page_body(404), "<a ") == NULL);
}
END_TEST

START_TEST(nonce)
{
	char			 n[PROXY_HTTP_NONCE_SZ], m[PROXY_HTTP_NONCE_SZ];
	char			 longer[PROXY_HTTP_NONCE_SZ + 1];
	struct phttp_nonce_key	 other;
	uint8_t			 hash2[I2P_HASH_LEN];

	ck_assert_int_eq(phttp_nonce_make(&K, "a.i2p", D.hash, NOW, n,
	    sizeof(n)), 0);
	ck_assert_uint_eq(strlen(n), PROXY_HTTP_NONCE_SZ - 1);
	ck_assert_int_eq(phttp_nonce_check(&K, "a.i2p", D.hash, NOW, n), 0);
	/* good for just under 10 minutes, never before it was made */
	ck_assert_int_eq(phttp_nonce_check(&K, "a.i2p", D.hash, NOW + 500, n),
	    0);
	ck_assert_int_eq(phttp_nonce_check(&K, "a.i2p", D.hash, NOW + 600, n),
	    -1);
	ck_assert_int_eq(phttp_nonce_check(&K, "a.i2p", D.hash, NOW - 60, n),
	    -1);
	/* for that name, that destination, that key only */
	ck_assert_int_eq(phttp_nonce_check(&K, "b.i2p", D.hash, NOW, n), -1);
	memcpy(hash2, D.hash, sizeof(hash2));
	hash2[31] ^= 1;
	ck_assert_int_eq(phttp_nonce_check(&K, "a.i2p", hash2, NOW, n), -1);
	ck_assert_int_eq(phttp_nonce_key_init(&other), 0);
	ck_assert_int_eq(phttp_nonce_check(&other, "a.i2p", D.hash, NOW, n),
	    -1);
	phttp_nonce_key_wipe(&other);
	/* a changed byte, a changed minute, bad form */
	strlcpy(m, n, sizeof(m));
	m[20] = m[20] == 'a' ? 'b' : 'a';
	ck_assert_int_eq(phttp_nonce_check(&K, "a.i2p", D.hash, NOW, m), -1);
	strlcpy(m, n, sizeof(m));
	m[7] = m[7] == '0' ? '1' : '0';
	ck_assert_int_eq(phttp_nonce_check(&K, "a.i2p", D.hash, NOW + 120, m),
	    -1);
	strlcpy(m, n, sizeof(m));
	m[30] = toupper((unsigned char)m[30]) == m[30] ? 'G' : toupper(m[30]);
	ck_assert_int_eq(phttp_nonce_check(&K, "a.i2p", D.hash, NOW, m), -1);
	ck_assert_int_eq(phttp_nonce_check(&K, "a.i2p", D.hash, NOW, ""), -1);
	m[PROXY_HTTP_NONCE_SZ - 2] = '\0';
	ck_assert_int_eq(phttp_nonce_check(&K, "a.i2p", D.hash, NOW, m), -1);
	snprintf(longer, sizeof(longer), "%sx", n);
	ck_assert_int_eq(phttp_nonce_check(&K, "a.i2p", D.hash, NOW, longer),
	    -1);
	ck_assert_int_eq(phttp_nonce_make(&K, "a.i2p", D.hash, NOW, m, 10), -1);
}
END_TEST

START_TEST(helper_page)
{
	char		 n[PROXY_HTTP_NONCE_SZ], b32[I2P_B32_NAMESZ];
	char		 want[1024];
	const char	*b;

	ck_assert_int_eq(phttp_nonce_make(&K, "a.i2p", D.hash, NOW, n,
	    sizeof(n)), 0);
	ck_assert_int_gt(ident_b32(&D, b32, sizeof(b32)), 0);
	ck_assert_int_eq(phttp_page_helper(&W, "a.i2p", &D, NULL, n,
	    "http://a.i2p/x?\"<y>"), 0);
	b = page_body(200);
	ck_assert(strstr(b, "action=\"http://proxy.i2p/add\"") != NULL);
	ck_assert(strstr(b, b32) != NULL);
	snprintf(want, sizeof(want), "name=\"nonce\" value=\"%s\"", n);
	ck_assert(strstr(b, want) != NULL);
	ck_assert(strstr(b, "value=\"http://a.i2p/x?&quot;&lt;y&gt;\"") !=
	    NULL);
	ck_assert(strstr(b, B64) != NULL);
	ck_assert(strstr(b, "already has") == NULL);
}
END_TEST

START_TEST(helper_page_known)
{
	struct i2p_ident	 known;
	char			 b32[I2P_B32_NAMESZ];

	phttp_test_dest(&known, NULL, 0, 99);
	ck_assert_int_gt(ident_b32(&known, b32, sizeof(b32)), 0);
	ck_assert_int_eq(phttp_page_helper(&W, "a.i2p", &D, &known, "00",
	    "http://a.i2p/"), 0);
	ck_assert(strstr(strstr(page_body(200), "already has a.i2p"), b32) !=
	    NULL);
}
END_TEST

START_TEST(redirect)
{
	ck_assert_int_eq(phttp_page_redirect(&W, "http://a.i2p/x?\"y"), 0);
	page_body(302);
	ck_assert_str_eq(phttp_header(&H, "Location"), "http://a.i2p/x?\"y");
	W.len = 0;
	ck_assert_int_eq(phttp_page_redirect(&W, "http://a.i2p/\r\nX: y"), -1);
	ck_assert_int_eq(phttp_page_redirect(&W, "http://a.i2p/\n"), -1);
	ck_assert_uint_eq(wbuf_len(&W), 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("proxy_http_page");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, error_pages);
	tcase_add_test(tc, bad_request_status);
	tcase_add_test(tc, auth_page);
	tcase_add_test(tc, escaping);
	tcase_add_test(tc, jump_links);
	tcase_add_test(tc, nonce);
	tcase_add_test(tc, helper_page);
	tcase_add_test(tc, helper_page_known);
	tcase_add_test(tc, redirect);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
