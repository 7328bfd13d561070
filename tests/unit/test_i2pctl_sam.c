/*
 * i2pctl show sam: the command, the replies through the reply loop
 * (clients, sessions, the counters, END) against a fake routerd, the
 * text and the JSON document, a SAM bridge that is off, and replies
 * that are malformed or cut short.
 */
#include <bsd/string.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../i2pctl/i2pctl.h"
#include "../../i2pctl/parser.h"
#include "ctlfake.h"
#include "unit.h"

static struct ctl_sam_client	 cl;
static struct ctl_sam_session	 se[2];
static struct ctl_sam		 sum;

static void
fill(void)
{
	memset(&cl, 0, sizeof(cl));
	strlcpy(cl.addr, "127.0.0.1 port 40000", sizeof(cl.addr));
	strlcpy(cl.version, "3.1", sizeof(cl.version));
	strlcpy(cl.session, "lt", sizeof(cl.session));
	cl.id = 4;
	cl.queued = 12;
	cl.since = time(NULL) - 65;
	strlcpy(cl.mode, "stream", sizeof(cl.mode));
	cl.stream = 3;
	cl.sbytes_in = 10;
	cl.sbytes_out = 20;
	memset(se, 0, sizeof(se));
	strlcpy(se[0].id, "lt", sizeof(se[0].id));
	strlcpy(se[0].style, "PRIMARY", sizeof(se[0].style));
	strlcpy(se[0].b32, "abcdefghijklmnopqrstuvwxyz234567"
	    "abcdefghijklmnopqrst.b32.i2p", sizeof(se[0].b32));
	se[0].client = 4;
	se[0].nsub = 1;
	se[0].streams = 2;
	strlcpy(se[1].id, "dht", sizeof(se[1].id));
	strlcpy(se[1].style, "DATAGRAM", sizeof(se[1].style));
	strlcpy(se[1].primary, "lt", sizeof(se[1].primary));
	se[1].client = 4;
	se[1].dgrams_in = 5;
	se[1].dgrams_out = 6;
	memset(&sum, 0, sizeof(sum));
	sum.enabled = 1;
	sum.port = 7656;
	sum.udp_port = 7655;
	sum.clients = 1;
	sum.sessions = 2;
	sum.clients_max = 256;
	sum.clients_per_addr = 32;
	sum.sessions_max = 128;
	sum.subsessions_max = 16;
	sum.commands = 9;
	sum.errors = 1;
	sum.dgrams_in = 5;
	sum.dgrams_out = 6;
	sum.bytes_in = 500;
	sum.streams_out = 7;
	sum.streams_in = 8;
	sum.fwd_failed = 1;
	sum.sbytes_in = 30;
	sum.sbytes_out = 40;
	sum.bytes_out = 600;
}

static int
run(struct fake *f, const struct output *out)
{
	struct parse_result	 res;
	int			 rv;

	memset(&res, 0, sizeof(res));
	res.action = SHOW_SAM;
	rv = ctl_replies(&f->cli, &res, out, 2000);
	output_setfiles(NULL, NULL);
	fclose(f->out);
	fclose(f->err);
	return rv;
}

static void
answer(struct fake *f)
{
	fake_send(f, IMSG_CTL_SAM_CLIENT, &cl, sizeof(cl));
	fake_send(f, IMSG_CTL_SAM_SESSION, &se[0], sizeof(se[0]));
	fake_send(f, IMSG_CTL_SAM_SESSION, &se[1], sizeof(se[1]));
	fake_send(f, IMSG_CTL_SAM, &sum, sizeof(sum));
	fake_send(f, IMSG_CTL_END, NULL, 0);
}

START_TEST(test_parse)
{
	struct parse_result	 res;
	char			*argv[] = { "show", "sam", NULL };
	FILE			*errf = fopen("/dev/null", "w");

	ck_assert_int_eq(parse(2, argv, &res, errf), 0);
	ck_assert_int_eq(res.action, SHOW_SAM);
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
	ck_assert_ptr_nonnull(strstr(f.outbuf, "Ports"
	    "                            tcp 7656, udp 7655\n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "Clients"
	    "                          1 of 256 (32 per address)\n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "Datagrams"
	    "                        5 in, 6 out\n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "Streams opened"
	    "                   7 out, 8 in\n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "  FORWARD targets down"
	    "           1\n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "Stream bytes"
	    "                     30 in, 40 out\n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\n4      127.0.0.1 port 40000"
	    "           3.1     00:01:05  12       stream     3             "
	    "10/20         lt\n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\nlt                   PRIMARY"
	    "   4      abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst"
	    ".b32.i2p +sub 2       0/0\n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\ndht                  DATAGRAM"
	    "  4      (subsession of lt)"));
	fake_close(&f);
}
END_TEST

START_TEST(test_json)
{
	struct fake	 f;

	fill();
	cl.since = time(NULL);
	fake_open(&f);
	answer(&f);
	ck_assert_int_eq(run(&f, &json_output), 0);
	ck_assert_str_eq(f.outbuf, "{\"sam\":{\"enabled\":1,\"port\":7656,"
	    "\"udp_port\":7655,\"clients_open\":1,\"sessions_open\":2,"
	    "\"clients_max\":256,\"clients_per_address\":32,"
	    "\"sessions_max\":128,\"subsessions_max\":16,\"connections\":0,"
	    "\"connections_refused\":0,\"commands\":9,\"errors\":1,"
	    "\"datagrams_in\":5,\"datagrams_out\":6,\"bytes_in\":500,"
	    "\"bytes_out\":600,\"datagrams_dropped\":0,\"streams_out\":7,"
	    "\"streams_in\":8,\"streams_failed\":0,\"streams_refused\":0,"
	    "\"streams_limited\":0,\"forward_failed\":1,"
	    "\"stream_bytes_in\":30,\"stream_bytes_out\":40,"
	    "\"clients\":[{\"id\":4,"
	    "\"address\":\"127.0.0.1 port 40000\",\"version\":\"3.1\","
	    "\"age\":0,\"queued\":12,\"session\":\"lt\",\"mode\":\"stream\","
	    "\"stream\":3,\"stream_bytes_in\":10,\"stream_bytes_out\":20}],"
	    "\"sessions\":["
	    "{\"id\":\"lt\",\"style\":\"PRIMARY\",\"primary\":\"\","
	    "\"destination\":\"abcdefghijklmnopqrstuvwxyz234567abcdefghijklmn"
	    "opqrst.b32.i2p\",\"client\":4,\"subsessions\":1,"
	    "\"datagrams_in\":0,\"datagrams_out\":0,\"streams\":2},"
	    "{\"id\":\"dht\","
	    "\"style\":\"DATAGRAM\",\"primary\":\"lt\",\"destination\":\"\","
	    "\"client\":4,\"subsessions\":0,\"datagrams_in\":5,"
	    "\"datagrams_out\":6,\"streams\":0}]}}\n");
	fake_close(&f);
}
END_TEST

START_TEST(test_off)
{
	struct fake	 f;

	memset(&sum, 0, sizeof(sum));
	fake_open(&f);
	fake_send(&f, IMSG_CTL_SAM, &sum, sizeof(sum));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, &text_output), 0);
	ck_assert_str_eq(f.outbuf, "SAM bridge not configured "
	    "(sam listen on)\n");
	fake_close(&f);
}
END_TEST

START_TEST(test_bad)
{
	struct fake	 f;

	/* an address without its NUL */
	fill();
	memset(cl.addr, 'a', sizeof(cl.addr));
	fake_open(&f);
	fake_send(&f, IMSG_CTL_SAM_CLIENT, &cl, sizeof(cl));
	ck_assert_int_eq(run(&f, &text_output), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
	/* END without the counters: nothing printed, an error */
	fill();
	fake_open(&f);
	fake_send(&f, IMSG_CTL_SAM_CLIENT, &cl, sizeof(cl));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, &json_output), -1);
	ck_assert_str_eq(f.outbuf, "");
	ck_assert_ptr_nonnull(strstr(f.errbuf, "no SAM answer"));
	fake_close(&f);
	/* a short counters message */
	fake_open(&f);
	fake_send(&f, IMSG_CTL_SAM, &sum, sizeof(sum) - 8);
	ck_assert_int_eq(run(&f, &text_output), -1);
	fake_close(&f);
}
END_TEST

static Suite *
sam_suite(void)
{
	Suite	*s = suite_create("i2pctl_sam");
	TCase	*tc = tcase_create("sam");

	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_off);
	tcase_add_test(tc, test_bad);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(sam_suite());
}
