/*
 * The outproxy's answer to CONNECT (tunneld/proxy_http_outproxy.c):
 * its final status after any 1xx, where the tunnel's bytes start, and
 * malformed, cut or overlong answers.
 */
#include <check.h>
#include <string.h>

#include "phttp.h"

static struct phttp_err	 E;

static int
status_of(const char *s, size_t max, int *status, size_t *head_len)
{
	*status = -1;
	*head_len = 0;
	return phttp_connect_status(s, strlen(s), max, status, head_len, &E);
}

START_TEST(final_status)
{
	static const char	 ok[] = "HTTP/1.1 100 Continue\r\n\r\n"
	    "HTTP/1.1 102 Processing\r\nX: y\r\n\r\n"
	    "HTTP/1.0 200 Connection established\r\n\r\nDATA";
	int			 status;
	size_t			 n;

	ck_assert_int_eq(status_of(ok, 4096, &status, &n), PHTTP_OK);
	ck_assert_int_eq(status, 200);
	ck_assert_uint_eq(n, sizeof(ok) - 1 - 4);
	ck_assert_int_eq(phttp_connect_ok(status), 1);
	/* a 2xx says nothing of a body: what follows is the tunnel's */
	ck_assert_int_eq(status_of("HTTP/1.1 204 x\r\nContent-Length: 9\r\n"
	    "\r\n", 4096, &status, &n), PHTTP_OK);
	ck_assert_int_eq(status, 204);
	ck_assert_int_eq(status_of("HTTP/1.1 407 Auth\r\n\r\nbody", 4096,
	    &status, &n), PHTTP_OK);
	ck_assert_int_eq(status, 407);
	ck_assert_uint_eq(n, 21);
	ck_assert_int_eq(phttp_connect_ok(status), 0);
	ck_assert_int_eq(status_of("HTTP/1.1 101 Up\r\n\r\n", 4096, &status,
	    &n), PHTTP_OK);
	ck_assert_int_eq(phttp_connect_ok(status), 0);
	ck_assert_int_eq(phttp_connect_ok(199), 0);
	ck_assert_int_eq(phttp_connect_ok(300), 0);
	ck_assert_int_eq(phttp_connect_ok(299), 1);
}
END_TEST

START_TEST(more)
{
	int	 status;
	size_t	 n;

	ck_assert_int_eq(status_of("", 4096, &status, &n), PHTTP_MORE);
	ck_assert_int_eq(status_of("HTTP/1.1 200 OK\r\n", 4096, &status,
	    &n), PHTTP_MORE);
	/* a 1xx alone is not the answer */
	ck_assert_int_eq(status_of("HTTP/1.1 100 Continue\r\n\r\n", 4096,
	    &status, &n), PHTTP_MORE);
	ck_assert_int_eq(status, -1);
}
END_TEST

START_TEST(malformed)
{
	static const char *const bad[] = {
		"SSH-2.0-OpenSSH_9\r\n\r\n",
		"HTTP/1.1 20 x\r\n\r\n",
		"HTTP/1.1 2000 x\r\n\r\n",
		"HTTP/2 200\r\n\r\n",
		"HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
		"HTTP/1.1 100 x\r\n\r\ngarbage\r\n\r\n",
		"GET / HTTP/1.1\r\n\r\n",
	};
	int	 status;
	size_t	 n, i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(status_of(bad[i], 4096, &status, &n) ==
		    PHTTP_ERR, "%s", bad[i]);
}
END_TEST

/* no final head within max bytes: an error, whatever comes next */
START_TEST(too_long)
{
	static char	 buf[600];
	int		 status;
	size_t		 n;

	memcpy(buf, "HTTP/1.1 200 OK\r\nX: ", 20);
	memset(buf + 20, 'a', sizeof(buf) - 21);
	ck_assert_int_eq(status_of(buf, 512, &status, &n), PHTTP_ERR);
	ck_assert_int_eq(E.status, 502);
	ck_assert_int_eq(status_of(buf, 4096, &status, &n), PHTTP_MORE);
	/* a head that ends within max is taken, what is beyond it waits */
	ck_assert_int_eq(status_of("HTTP/1.1 200 OK\r\n\r\nxxxxxxxx", 19,
	    &status, &n), PHTTP_OK);
	ck_assert_uint_eq(n, 19);
	ck_assert_int_eq(status_of("HTTP/1.1 100 x\r\n\r\nHTTP/1.1 200 OK"
	    "\r\n\r\n", 20, &status, &n), PHTTP_ERR);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("proxy_http_outproxy");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, final_status);
	tcase_add_test(tc, more);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, too_long);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
