/*
 * The head of an HTTP response (netd/http.c), as reseed servers send
 * it: what is kept, every prefix (incomplete, never a wrong answer),
 * and malformed heads.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "../../netd/netd.h"
#include "unit.h"

static const char	ok_head[] = "HTTP/1.1 200 OK\r\n"
	"Server: nginx\r\nContent-Type: application/octet-stream\r\n"
	"content-length:  12345 \r\nX-Tab:\tvalue\r\n\r\nBODY";

START_TEST(test_ok)
{
	struct http_resp	 h;
	const char		*why;
	size_t			 i, len = strlen(ok_head);

	ck_assert_int_eq(http_resp_head((const uint8_t *)ok_head, len, &h,
	    &why), 1);
	ck_assert_int_eq(h.status, 200);
	ck_assert_int_eq(h.content_length, 12345);
	ck_assert_int_eq(h.chunked, 0);
	ck_assert_uint_eq(h.head_len, len - 4);
	/* each prefix without the empty line: wants more */
	for (i = 0; i < len - 4; i++)
		ck_assert_int_eq(http_resp_head((const uint8_t *)ok_head, i,
		    &h, &why), 0);
}
END_TEST

START_TEST(test_kinds)
{
	struct http_resp	 h;
	const char		*why;
	const char		*s;

	s = "HTTP/1.0 404 Not Found\r\n\r\n";
	ck_assert_int_eq(http_resp_head((const uint8_t *)s, strlen(s), &h,
	    &why), 1);
	ck_assert_int_eq(h.status, 404);
	ck_assert_int_eq(h.content_length, -1);
	s = "HTTP/1.1 200\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n";
	ck_assert_int_eq(http_resp_head((const uint8_t *)s, strlen(s), &h,
	    &why), 1);
	ck_assert_int_eq(h.chunked, 1);
}
END_TEST

static void
expect_bad(const char *s, const char *want)
{
	struct http_resp	 h;
	const char		*why;

	ck_assert_msg(http_resp_head((const uint8_t *)s, strlen(s), &h,
	    &why) == -1, "accepted: %s", s);
	ck_assert_msg(strcmp(why, want) == 0, "%s: %s", s, why);
}

START_TEST(test_bad)
{
	static char	big[HTTP_HEAD_MAX + 64];

	expect_bad("HTTP/2 200 OK\r\n\r\n", "malformed status line");
	expect_bad("HTTP/1.1 20 OK\r\n\r\n", "malformed status line");
	expect_bad("HTTP/1.1 200OK\r\n\r\n", "malformed status line");
	expect_bad("ICY 200 OK\r\n\r\n", "malformed status line");
	expect_bad("HTTP/1.1 200 OK\n\r\n\r\n", "malformed status line");
	expect_bad("HTTP/1.1 200 OK\r\nNo colon\r\n\r\n",
	    "malformed header field");
	expect_bad("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
	    "malformed header field");
	expect_bad("HTTP/1.1 200 OK\r\nA: b\x01\r\n\r\n",
	    "malformed header field");
	expect_bad("HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n",
	    "malformed header field");
	expect_bad("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
	    "malformed header field");
	expect_bad("HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n",
	    "malformed header field");
	expect_bad("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
	    "Content-Length: 1\r\n\r\n", "malformed header field");
	expect_bad("HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
	    "body too large");
	memset(big, 'a', sizeof(big) - 1);
	memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
	expect_bad(big, "response head too large");
	memcpy(big + 1200, "\r\n\r\n", 4);
	expect_bad(big, "malformed header field");	/* line too long */
}
END_TEST

static Suite *
http_suite(void)
{
	Suite	*s = suite_create("http");
	TCase	*tc = tcase_create("http");

	tcase_add_test(tc, test_ok);
	tcase_add_test(tc, test_kinds);
	tcase_add_test(tc, test_bad);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(http_suite());
}
