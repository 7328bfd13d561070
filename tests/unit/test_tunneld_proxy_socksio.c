/*
 * The SOCKS proxy's connections (tunneld/proxy_socksio.c): the
 * greeting's target as the connection takes it.  A host name longer
 * than a connection holds is refused, never cut to another name.
 */
#include <bsd/string.h>
#include <check.h>
#include <string.h>

#include "../../tunneld/proxy_int.h"
#include "unit.h"

static struct proxy	 P;

static struct proxy_conn *
conn(void)
{
	struct proxy_conn	*c;

	memset(&P, 0, sizeof(P));
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

static Suite *
socksio_suite(void)
{
	Suite	*s = suite_create("proxy_socksio");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_name_fits);
	tcase_add_test(tc, test_name_too_long);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(socksio_suite());
}
