/*
 * The address helper (tunneld/proxy_http_helper.c): the
 * i2paddresshelper= parameter found, checked and cut from a path, or
 * refused (not a destination, twice, bad escapes, no room); the confirm
 * request of our confirmation page with and without a good nonce, and
 * what a hostile page could put in it; percent-decoding.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phttp.h"

static struct phttp_nonce_key	K;
static struct i2p_ident		D;
static char			B64[PROXY_HTTP_HOST_MAX + 1];
static struct phttp_confirm	C;

/* NOW: a fixed time in the middle of a nonce bucket */
#define NOW	((time_t)1796648430)

START_TEST(helper)
{
	char			 in[2048], out[2048];
	struct i2p_ident	 got;

	snprintf(in, sizeof(in), "/a?x=1&i2paddresshelper=%s&y=2", B64);
	ck_assert_int_eq(phttp_helper_strip(in, out, sizeof(out), &got), 1);
	ck_assert_str_eq(out, "/a?x=1&y=2");
	ck_assert(ident_equal(&got, &D));
	snprintf(in, sizeof(in), "/?i2paddresshelper=%s", B64);
	ck_assert_int_eq(phttp_helper_strip(in, out, sizeof(out), &got), 1);
	ck_assert_str_eq(out, "/");
	ck_assert_int_eq(phttp_helper_strip("/a?b=c&d", out, sizeof(out),
	    &got), 0);
	ck_assert_str_eq(out, "/a?b=c&d");
	ck_assert_int_eq(phttp_helper_strip("/a", out, sizeof(out), &got), 0);
	ck_assert_str_eq(out, "/a");
	/* percent-encoded padding and letters decode */
	snprintf(in, sizeof(in), "/?i2paddresshelper=%%%02X%s", B64[0],
	    B64 + 1);
	ck_assert_int_eq(phttp_helper_strip(in, out, sizeof(out), &got), 1);
	/* malformed: not a destination, twice, bad escape, no room */
	ck_assert_int_eq(phttp_helper_strip("/?i2paddresshelper=AAAA", out,
	    sizeof(out), &got), -1);
	snprintf(in, sizeof(in), "/?i2paddresshelper=%s&i2paddresshelper=%s",
	    B64, B64);
	ck_assert_int_eq(phttp_helper_strip(in, out, sizeof(out), &got), -1);
	snprintf(in, sizeof(in), "/?i2paddresshelper=%%4g%s", B64 + 2);
	ck_assert_int_eq(phttp_helper_strip(in, out, sizeof(out), &got), -1);
	ck_assert_int_eq(phttp_helper_strip("/?i2paddresshelper=%00", out,
	    sizeof(out), &got), -1);
	ck_assert_int_eq(phttp_helper_strip("/abcdef", out, 4, &got), -1);
}
END_TEST

START_TEST(unescape)
{
	char	out[16];

	ck_assert_int_eq(phttp_unescape("a%20b+c", 7, 1, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "a b c");
	ck_assert_int_eq(phttp_unescape("a%20b+c", 7, 0, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "a b+c");
	ck_assert_int_eq(phttp_unescape("%zz", 3, 0, out, sizeof(out)), -1);
	ck_assert_int_eq(phttp_unescape("%2", 2, 0, out, sizeof(out)), -1);
	ck_assert_int_eq(phttp_unescape("%00", 3, 0, out, sizeof(out)), -1);
	ck_assert_int_eq(phttp_unescape("0123456789abcdef", 16, 0, out,
	    sizeof(out)), -1);
}
END_TEST

/* "/add?name=..&dest=..&nonce=..&url=.." as a browser sends the form */
static int
confirm(const char *name, const char *dest, const char *nonce,
    const char *url, time_t now)
{
	static char	p[4096];

	snprintf(p, sizeof(p), "/add?name=%s&dest=%s&nonce=%s&url=%s", name,
	    dest, nonce, url);
	return phttp_confirm_parse(&K, p, now, &C);
}

START_TEST(confirm_request)
{
	char	n[PROXY_HTTP_NONCE_SZ], p[4096];

	ck_assert_int_eq(phttp_nonce_make(&K, "a.i2p", D.hash, NOW, n,
	    sizeof(n)), 0);
	ck_assert_int_eq(confirm("a.i2p", B64, n, "http%3A%2F%2Fa.i2p%2Fx", NOW),
	    0);
	ck_assert_str_eq(C.name, "a.i2p");
	ck_assert_str_eq(C.url, "http://a.i2p/x");
	ck_assert(ident_equal(&C.dest, &D));
	/* the parameters in any order */
	snprintf(p, sizeof(p), "/add?url=http://a.i2p/&nonce=%s&dest=%s&"
	    "name=a.i2p", n, B64);
	ck_assert_int_eq(phttp_confirm_parse(&K, p, NOW, &C), 0);
	/* no nonce, a wrong one, an expired one, another name */
	snprintf(p, sizeof(p), "/add?name=a.i2p&dest=%s&url=http://a.i2p/",
	    B64);
	ck_assert_int_eq(phttp_confirm_parse(&K, p, NOW, &C), -1);
	ck_assert_int_eq(confirm("a.i2p", B64, "", "http://a.i2p/", NOW), -1);
	ck_assert_int_eq(confirm("a.i2p", B64, n, "http://a.i2p/", NOW + 3600),
	    -1);
	ck_assert_int_eq(confirm("b.i2p", B64, n, "http://b.i2p/", NOW), -1);
	/* what a page could smuggle in */
	ck_assert_int_eq(confirm("a.i2p", B64, n, "javascript:alert(1)", NOW),
	    -1);
	ck_assert_int_eq(confirm("a.i2p", B64, n, "http://a.i2p/%0d%0aX:y",
	    NOW), -1);
	ck_assert_int_eq(confirm("A.I2P", B64, n, "http://a.i2p/", NOW), -1);
	ck_assert_int_eq(confirm("a.i2p", "AAAA", n, "http://a.i2p/", NOW), -1);
	snprintf(p, sizeof(p), "/add?name=a.i2p&name=a.i2p&dest=%s&nonce=%s&"
	    "url=http://a.i2p/", B64, n);
	ck_assert_int_eq(phttp_confirm_parse(&K, p, NOW, &C), -1);
	snprintf(p, sizeof(p), "/add?name=a.i2p&dest=%s&nonce=%s&"
	    "url=http://a.i2p/&x=1", B64, n);
	ck_assert_int_eq(phttp_confirm_parse(&K, p, NOW, &C), -1);
	snprintf(p, sizeof(p), "/addx?name=a.i2p&dest=%s&nonce=%s&"
	    "url=http://a.i2p/", B64, n);
	ck_assert_int_eq(phttp_confirm_parse(&K, p, NOW, &C), -1);
	ck_assert_int_eq(phttp_confirm_parse(&K, "/add", NOW, &C), -1);
	ck_assert_int_eq(phttp_confirm_parse(&K, "/add?", NOW, &C), -1);
}
END_TEST

static void
setup(void)
{
	ck_assert_int_eq(phttp_nonce_key_init(&K), 0);
	phttp_test_dest(&D, B64, sizeof(B64), 5);
}

static void
teardown(void)
{
	phttp_nonce_key_wipe(&K);
}

static Suite *
suite(void)
{
	Suite	*s = suite_create("proxy_http_helper");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, helper);
	tcase_add_test(tc, unescape);
	tcase_add_test(tc, confirm_request);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
