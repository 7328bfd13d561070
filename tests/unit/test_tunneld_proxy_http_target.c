/*
 * Where a proxy request goes (tunneld/proxy_http_target.c): the three
 * target forms, userinfo, IPv6 literals, ports out of range, fragments;
 * host kinds (names and their rules, b32 and b33, full destinations
 * with and without .i2p, other hosts); same-origin checks.
 */
#include <bsd/string.h>
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phttp.h"

static struct phttp_head	H;
static struct phttp_target	T;
static struct phttp_host	HO;
static struct phttp_err		E;
static char			B64[PROXY_HTTP_HOST_MAX + 1];
static struct i2p_ident		D;

/* the target of a request line "METHOD target HTTP/1.1" with Host */
static int
target(const char *method, const char *tgt, const char *host)
{
	char	s[PROXY_HTTP_HEAD_MAX];

	snprintf(s, sizeof(s), "%s %s HTTP/1.1\r\nHost: %s\r\n\r\n", method,
	    tgt, host);
	phttp_test_req(&H, s);
	return phttp_target_parse(&H, &T, &E);
}

START_TEST(absolute)
{
	ck_assert_int_eq(target("GET", "http://Site.i2p/a/b?c=d", "x"), 0);
	ck_assert_str_eq(T.host, "Site.i2p");
	ck_assert_uint_eq(T.port, 80);
	ck_assert_int_eq(T.has_port, 0);
	ck_assert_int_eq(T.absolute, 1);
	ck_assert_str_eq(T.path, "/a/b?c=d");
	ck_assert_int_eq(target("GET", "HTTP://a.i2p:8080", "x"), 0);
	ck_assert_uint_eq(T.port, 8080);
	ck_assert_str_eq(T.path, "/");
	ck_assert_int_eq(target("GET", "http://a.i2p?q", "x"), 0);
	ck_assert_str_eq(T.path, "/?q");
	ck_assert_int_eq(target("GET", "http://a.i2p:/x", "x"), 0);
	ck_assert_uint_eq(T.port, 80);
	ck_assert_int_eq(target("GET", "http://[2001:db8::1]:81/x", "x"), 0);
	ck_assert_str_eq(T.host, "2001:db8::1");
	ck_assert_int_eq(T.ipv6, 1);
	ck_assert_uint_eq(T.port, 81);
	ck_assert_int_eq(target("GET", "http://a.i2p:65535/", "x"), 0);
}
END_TEST

START_TEST(absolute_refused)
{
	static const char	*const bad[] = {
		"http://user:pw@a.i2p/", "http://user@a.i2p/",
		"https://a.i2p/", "ftp://a.i2p/", "http:/a.i2p/", "http://",
		"http:///x", "http://a.i2p:0/", "http://a.i2p:65536/",
		"http://a.i2p:123456/", "http://a.i2p:8x/", "http://a.i2p/#f",
		"http://a%2e.i2p/", "http://a!b.i2p/", "http://[2001:db8::1/",
		"http://[zz::1]/", "http://[]/", "http://[::1]x/",
		"http://[fe80::1%25eth0]/", "http://a.i2p:-1/", "a.i2p/x",
		"*"
	};
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(target("GET", bad[i], "x") == -1, "%s", bad[i]);
		ck_assert_int_eq(E.status, 400);
	}
}
END_TEST

START_TEST(origin_and_connect)
{
	ck_assert_int_eq(target("GET", "/p?q", "a.i2p:81"), 0);
	ck_assert_str_eq(T.host, "a.i2p");
	ck_assert_uint_eq(T.port, 81);
	ck_assert_int_eq(T.absolute, 0);
	ck_assert_str_eq(T.path, "/p?q");
	ck_assert_int_eq(target("GET", "/", "[::1]"), 0);
	ck_assert_int_eq(T.ipv6, 1);
	ck_assert_int_eq(target("GET", "/", "a.i2p/x"), -1);
	ck_assert_int_eq(target("GET", "/", "u@a.i2p"), -1);
	ck_assert_int_eq(target("GET", "/", "a.i2p:99999"), -1);
	ck_assert_int_eq(target("CONNECT", "a.i2p:443", "a.i2p:443"), 0);
	ck_assert_int_eq(T.connect, 1);
	ck_assert_uint_eq(T.port, 443);
	ck_assert_str_eq(T.path, "");
	ck_assert_int_eq(target("CONNECT", "[2001:db8::2]:443", "x"), 0);
	ck_assert_int_eq(target("CONNECT", "a.i2p", "x"), -1);
	ck_assert_int_eq(target("CONNECT", "a.i2p:", "x"), -1);
	ck_assert_int_eq(target("CONNECT", "a.i2p:443/x", "x"), -1);
	ck_assert_int_eq(target("CONNECT", "http://a.i2p:443", "x"), -1);
	ck_assert_int_eq(target("CONNECT", "u@a.i2p:443", "x"), -1);
	/* HTTP/1.0 origin-form without Host: nowhere to go */
	phttp_test_req(&H, "GET / HTTP/1.0\r\n\r\n");
	ck_assert_int_eq(phttp_target_parse(&H, &T, &E), -1);
}
END_TEST

START_TEST(host_kinds)
{
	char	s[PROXY_HTTP_HOST_MAX + 8];
	char	b32[I2P_B32_NAMESZ];

	ck_assert_int_eq(phttp_host_classify("Forum.I2P", &HO), 0);
	ck_assert_int_eq(HO.kind, PHTTP_HOST_NAME);
	ck_assert_str_eq(HO.name, "forum.i2p");
	ck_assert_int_eq(phttp_host_classify("a-b.c9.i2p", &HO), 0);
	ck_assert_int_eq(phttp_host_classify("example.com", &HO), 0);
	ck_assert_int_eq(HO.kind, PHTTP_HOST_OTHER);
	ck_assert_int_eq(phttp_host_classify("2001:db8::1", &HO), 0);
	ck_assert_int_eq(HO.kind, PHTTP_HOST_OTHER);
	/* b32 of a hash */
	ck_assert_int_gt(ident_b32(&D, b32, sizeof(b32)), 0);
	ck_assert_int_eq(phttp_host_classify(b32, &HO), 0);
	ck_assert_int_eq(HO.kind, PHTTP_HOST_B32);
	ck_assert_int_eq(HO.blinded, 0);
	ck_assert_mem_eq(HO.hash, D.hash, I2P_HASH_LEN);
	/* upper case b32 is the same name */
	for (size_t i = 0; b32[i] != '\0'; i++)
		s[i] = toupper((unsigned char)b32[i]), s[i + 1] = '\0';
	ck_assert_int_eq(phttp_host_classify(s, &HO), 0);
	ck_assert_mem_eq(HO.hash, D.hash, I2P_HASH_LEN);
	/* a b33 (56+ chars) */
	memset(s, 'a', 56);
	strcpy(s + 56, ".b32.i2p");
	ck_assert_int_eq(phttp_host_classify(s, &HO), 0);
	ck_assert_int_eq(HO.blinded, 1);
	/* full destinations, with and without .i2p */
	ck_assert_int_eq(phttp_host_classify(B64, &HO), 0);
	ck_assert_int_eq(HO.kind, PHTTP_HOST_B64);
	ck_assert_mem_eq(HO.hash, D.hash, I2P_HASH_LEN);
	ck_assert(ident_equal(&HO.dest, &D));
	snprintf(s, sizeof(s), "%s.i2p", B64);
	ck_assert_int_eq(phttp_host_classify(s, &HO), 0);
	ck_assert_int_eq(HO.kind, PHTTP_HOST_B64);
	ck_assert_str_eq(HO.name, s);
}
END_TEST

START_TEST(host_refused)
{
	static const char	*const bad[] = {
		"", ".i2p", "a..i2p", "-a.i2p", "a-.i2p", "a_b.i2p",
		"a b.i2p", "0123456789012345678901234567890123456789"
		    "0123456789012345678901234.i2p",
		"abcd.b32.i2p", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1."
		    "b32.i2p", "a.b32.i2p"
	};
	char			 s[PROXY_HTTP_HOST_MAX + 8];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(phttp_host_classify(bad[i], &HO) == -1, "%s",
		    bad[i]);
	/* a destination with a byte changed in its certificate */
	strlcpy(s, B64, sizeof(s));
	s[512] = s[512] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(phttp_host_classify(s, &HO), -1);
	/* too long to be anything */
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	ck_assert_int_eq(phttp_host_classify(s, &HO), -1);
}
END_TEST

START_TEST(same_origin)
{
	ck_assert_int_eq(target("GET", "http://a.i2p/x", "x"), 0);
	ck_assert(phttp_same_origin("http://a.i2p/y", &T));
	ck_assert(phttp_same_origin("HTTP://A.I2P:80/", &T));
	ck_assert(phttp_same_origin("http://a.i2p", &T));
	ck_assert(!phttp_same_origin("http://b.i2p/y", &T));
	ck_assert(!phttp_same_origin("http://a.i2p:81/y", &T));
	ck_assert(!phttp_same_origin("https://a.i2p/y", &T));
	ck_assert(!phttp_same_origin("http://u@a.i2p/y", &T));
	ck_assert(!phttp_same_origin("http://a.i2p.evil.i2p/", &T));
	ck_assert(!phttp_same_origin("", &T));
}
END_TEST

static void
setup(void)
{
	phttp_test_dest(&D, B64, sizeof(B64), 7);
}

static Suite *
suite(void)
{
	Suite	*s = suite_create("proxy_http_target");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, absolute);
	tcase_add_test(tc, absolute_refused);
	tcase_add_test(tc, origin_and_connect);
	tcase_add_test(tc, host_kinds);
	tcase_add_test(tc, host_refused);
	tcase_add_test(tc, same_origin);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
