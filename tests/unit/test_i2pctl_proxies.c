/*
 * i2pctl show tunnels clients: the command, the replies through the
 * reply loop against a fake routerd, the text table and the JSON
 * document, no tunnels at all, and replies that are malformed, of
 * another view or more than a configuration holds.
 */
#include <bsd/string.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../i2pctl/i2pctl.h"
#include "../../i2pctl/parser.h"
#include "ctlfake.h"
#include "unit.h"

#define B32	"abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst.b32.i2p"

static struct ctl_proxy	 px[2];

/* a server on any port with two allowed, a client over IPv6 */
static void
fill(void)
{
	memset(px, 0, sizeof(px));
	strlcpy(px[0].dest, "site", sizeof(px[0].dest));
	strlcpy(px[0].b32, B32, sizeof(px[0].b32));
	px[0].kind = PROXY_SERVER;
	px[0].family = 4;
	px[0].addr[0] = 127;
	px[0].addr[3] = 1;
	px[0].port = 8080;
	px[0].nallow = 2;
	px[0].up = 1;
	px[0].conns = 3;
	px[0].accepted = 10;
	px[0].refused = 2;
	px[0].failed = 1;
	px[0].bytes_in = 500;
	px[0].bytes_out = 2000000;
	strlcpy(px[1].dest, "browse", sizeof(px[1].dest));
	px[1].kind = PROXY_CLIENT;
	px[1].family = 6;
	px[1].addr[15] = 1;
	px[1].port = 7070;
	strlcpy(px[1].target, "site.i2p", sizeof(px[1].target));
	px[1].target_port = 80;
}

static int
run(struct fake *f, const struct output *out)
{
	struct parse_result	 res;
	int			 rv;

	memset(&res, 0, sizeof(res));
	res.action = SHOW_PROXIES;
	rv = ctl_replies(&f->cli, &res, out, 2000);
	output_setfiles(NULL, NULL);
	fclose(f->out);
	fclose(f->err);
	return rv;
}

static void
answer(struct fake *f)
{
	fake_send(f, IMSG_CTL_PROXY, &px[0], sizeof(px[0]));
	fake_send(f, IMSG_CTL_PROXY, &px[1], sizeof(px[1]));
	fake_send(f, IMSG_CTL_END, NULL, 0);
}

START_TEST(test_parse)
{
	struct parse_result	 res;
	char			*argv1[] = { "show", "tunnels", "clients", NULL };
	char			*argv2[] = { "show", "tunnels", NULL };
	char			*argv3[] = { "show", "tunnels", "nope", NULL };
	char			*argv4[] = { "show", "addressbook", "private",
	    NULL };
	FILE			*errf = fopen("/dev/null", "w");

	ck_assert_int_eq(parse(3, argv1, &res, errf), 0);
	ck_assert_int_eq(res.action, SHOW_PROXIES);
	ck_assert_int_eq(parse(2, argv2, &res, errf), 0);
	ck_assert_int_eq(res.action, SHOW_TUNNELS);
	ck_assert_int_ne(parse(3, argv3, &res, errf), 0);
	/* show addressbook is addressbook show */
	ck_assert_int_eq(parse(3, argv4, &res, errf), 0);
	ck_assert_int_eq(res.action, AB_SHOW_PRIVATE);
	fclose(errf);
}
END_TEST

START_TEST(test_text)
{
	struct fake	 f;

	fill();
	fake_open(&f);
	answer(&f);
	ck_assert_int_eq(run(&f, &text_output), 0);
	ck_assert_str_eq(f.outbuf,
	    "Destination      Kind        Local                  I2P side  "
	    "                           Up   Conns Accepted Refused Failed "
	    "    From I2P       To I2P\n"
	    "site             server      127.0.0.1:8080         port any, "
	    "2 allowed                  up       3       10       2      1 "
	    "         500      2000000\n"
	    "browse           client      [::1]:7070             site.i2p:"
	    "80                          down     0        0       0      0 "
	    "           0            0\n");
	fake_close(&f);
}
END_TEST

START_TEST(test_json)
{
	struct fake	 f;

	fill();
	fake_open(&f);
	answer(&f);
	ck_assert_int_eq(run(&f, &json_output), 0);
	ck_assert_str_eq(f.outbuf, "{\"tunnels\":[{\"destination\":\"site\","
	    "\"address\":\"" B32 "\",\"kind\":\"server\",\"local_address\":"
	    "\"127.0.0.1\",\"local_port\":8080,\"i2p_port\":0,\"allowed\":2,"
	    "\"up\":true,\"connections\":3,\"accepted\":10,\"refused\":2,"
	    "\"failed\":1,\"bytes_from_i2p\":500,\"bytes_to_i2p\":2000000},"
	    "{\"destination\":\"browse\",\"address\":null,\"kind\":\"client\","
	    "\"local_address\":\"::1\",\"local_port\":7070,\"target\":"
	    "\"site.i2p\",\"target_port\":80,\"up\":false,\"connections\":0,"
	    "\"accepted\":0,\"refused\":0,\"failed\":0,\"bytes_from_i2p\":0,"
	    "\"bytes_to_i2p\":0}]}\n");
	fake_close(&f);
}
END_TEST

/* a proxy: its outproxy and what went to it, or any .i2p host */
START_TEST(test_outproxy)
{
	struct fake	 f;

	fill();
	px[1].kind = PROXY_HTTP;
	px[1].outproxied = 7;
	strlcpy(px[1].target, "exit.i2p", sizeof(px[1].target));
	px[1].target_port = 0;
	px[0] = px[1];
	px[0].kind = PROXY_SOCKS;
	px[0].target[0] = '\0';
	fake_open(&f);
	answer(&f);
	ck_assert_int_eq(run(&f, &text_output), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "socks proxy [::1]:7070    "
	    "         any .i2p host "));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "http proxy  [::1]:7070    "
	    "         outproxy exit.i2p:0, 7 sent "));
	fake_close(&f);
	fake_open(&f);
	answer(&f);
	ck_assert_int_eq(run(&f, &json_output), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\"local_port\":7070,"
	    "\"outproxy\":\"exit.i2p\",\"outproxy_port\":0,\"up\""));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\"outproxied\":7}"));
	ck_assert_ptr_null(strstr(f.outbuf, "\"target\""));
	fake_close(&f);
}
END_TEST

START_TEST(test_none)
{
	struct fake	 f;

	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, &text_output), 0);
	ck_assert_str_eq(f.outbuf, "no tunnels configured\n");
	fake_close(&f);
	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, &json_output), 0);
	ck_assert_str_eq(f.outbuf, "{\"tunnels\":[]}\n");
	fake_close(&f);
}
END_TEST

/* a malformed reply after a good one: an error, nothing printed */
static void
bad_one(const struct ctl_proxy *bad, size_t sendlen)
{
	struct fake	 f;

	fake_open(&f);
	fake_send(&f, IMSG_CTL_PROXY, &px[1], sizeof(px[1]));
	fake_send(&f, IMSG_CTL_PROXY, bad, sendlen);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, &text_output), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}

START_TEST(test_bad)
{
	struct ctl_proxy	 p;
	struct ctl_dest		 d;
	struct fake		 f;

	fill();
	p = px[0];
	memset(p.dest, 'a', sizeof(p.dest));
	bad_one(&p, sizeof(p));
	p = px[0];
	memset(p.b32, 'a', sizeof(p.b32));
	bad_one(&p, sizeof(p));
	p = px[0];
	memset(p.target, 'a', sizeof(p.target));
	bad_one(&p, sizeof(p));
	p = px[0];
	p.kind = PROXY_KIND_LAST + 1;
	bad_one(&p, sizeof(p));
	p = px[0];
	p.kind = 0;
	bad_one(&p, sizeof(p));
	p = px[0];
	p.family = 5;
	bad_one(&p, sizeof(p));
	p = px[0];
	p.up = 2;
	bad_one(&p, sizeof(p));
	bad_one(&px[0], sizeof(p) - 8);
	/* the other views' rows are not this one's */
	memset(&d, 0, sizeof(d));
	fake_open(&f);
	fake_send(&f, IMSG_CTL_DEST, &d, sizeof(d));
	ck_assert_int_eq(run(&f, &json_output), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

static int
run_out(struct fake *f, void *out)
{
	return run(f, out);
}

/* PROXIES_MAX rows print; one more is a daemon gone wrong */
START_TEST(test_limit)
{
	struct fake	 f;

	fill();
	ck_assert_int_eq(fake_many(&f, IMSG_CTL_PROXY, &px[0], sizeof(px[0]),
	    PROXIES_MAX, run_out, (void *)&text_output), 0);
	fake_close(&f);
	ck_assert_int_eq(fake_many(&f, IMSG_CTL_PROXY, &px[0], sizeof(px[0]),
	    PROXIES_MAX + 1, run_out, (void *)&text_output), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

static Suite *
proxies_suite(void)
{
	Suite	*s = suite_create("i2pctl_proxies");
	TCase	*tc = tcase_create("proxies");

	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_none);
	tcase_add_test(tc, test_outproxy);
	tcase_add_test(tc, test_bad);
	tcase_add_test(tc, test_limit);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(proxies_suite());
}
