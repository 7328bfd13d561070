/*
 * i2pctl show streams: the command, the replies through the reply loop
 * against a fake routerd, the text table and the JSON document, no
 * streams at all, and replies that are malformed, of another view,
 * cut short or longer than a reply may be.
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

#define B32	"abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst.b32.i2p"

static struct ctl_stream	 st[2];

/* an open outbound stream choked by its peer, an incoming SYN */
static void
fill(int64_t now)
{
	memset(st, 0, sizeof(st));
	strlcpy(st[0].dest, "web", sizeof(st[0].dest));
	strlcpy(st[0].peer, B32, sizeof(st[0].peer));
	st[0].local_port = 1234;
	st[0].remote_port = 80;
	st[0].outbound = 1;
	st[0].state = CTL_STREAM_OPEN;
	st[0].flags = CTL_STREAM_CHOKED;
	st[0].send_id = 7;
	st[0].recv_id = 9;
	st[0].rtt = 850;
	st[0].rto = 1700;
	st[0].window = 24;
	st[0].unacked = 3;
	st[0].bytes_in = 1000;
	st[0].bytes_out = 250000;
	st[0].resends = 4;
	st[0].created = now - 65;
	strlcpy(st[1].dest, "sam.3", sizeof(st[1].dest));
	st[1].state = CTL_STREAM_SYN_RECEIVED;
	st[1].flags = CTL_STREAM_CHOKED | CTL_STREAM_CHOKING;
	st[1].created = now;
}

static int
run(struct fake *f, const struct output *out)
{
	struct parse_result	 res;
	int			 rv;

	memset(&res, 0, sizeof(res));
	res.action = SHOW_STREAMS;
	rv = ctl_replies(&f->cli, &res, out, 2000);
	output_setfiles(NULL, NULL);
	fclose(f->out);
	fclose(f->err);
	return rv;
}

static void
answer(struct fake *f)
{
	fake_send(f, IMSG_CTL_STREAM, &st[0], sizeof(st[0]));
	fake_send(f, IMSG_CTL_STREAM, &st[1], sizeof(st[1]));
	fake_send(f, IMSG_CTL_END, NULL, 0);
}

START_TEST(test_parse)
{
	struct parse_result	 res;
	char			*argv1[] = { "show", "streams", NULL };
	char			*argv2[] = { "show", "st", NULL };
	FILE			*errf = fopen("/dev/null", "w");

	ck_assert_int_eq(parse(2, argv1, &res, errf), 0);
	ck_assert_int_eq(res.action, SHOW_STREAMS);
	ck_assert_int_eq(parse(2, argv2, &res, errf), 0);
	ck_assert_int_eq(res.action, SHOW_STREAMS);
	fclose(errf);
}
END_TEST

START_TEST(test_text)
{
	struct fake	 f;

	fill(time(NULL));
	fake_open(&f);
	answer(&f);
	ck_assert_int_eq(run(&f, &text_output), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "Destination      Peer      "
	    "                                                   LPort RPort "
	    "Dir State             RTT    RTO Window Unack Choked         "
	    "Sent     Received  Resent Age\n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "  (ms)   (ms) (pkts)        "
	    "           (bytes)      (bytes)  (pkts) \n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\nweb              " B32
	    "  1234    80 out open              850   1700     24     3 us  "
	    "         250000         1000       4 00:01:05\n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\nsam.3            -         "
	    "                                                       0     0 "
	    "in  syn-received        0      0      0     0 both              "
	    "0            0       0 00:00:00\n"));
	fake_close(&f);
}
END_TEST

START_TEST(test_json)
{
	struct fake	 f;
	int64_t		 now = time(NULL);
	char		 want[2048];

	fill(now);
	st[0].created = now;
	fake_open(&f);
	answer(&f);
	ck_assert_int_eq(run(&f, &json_output), 0);
	snprintf(want, sizeof(want), "{\"streams\":[{\"destination\":\"web\","
	    "\"peer\":\"" B32 "\",\"local_port\":1234,\"remote_port\":80,"
	    "\"direction\":\"out\",\"state\":\"open\",\"send_id\":7,"
	    "\"receive_id\":9,\"rtt_ms\":850,\"rto_ms\":1700,\"window\":24,"
	    "\"unacked\":3,\"choked_by_peer\":true,\"choking_peer\":false,"
	    "\"bytes_sent\":250000,\"bytes_received\":1000,\"resent\":4,"
	    "\"created\":%lld,\"age\":0},{\"destination\":\"sam.3\","
	    "\"peer\":null,\"local_port\":0,\"remote_port\":0,"
	    "\"direction\":\"in\",\"state\":\"syn-received\",\"send_id\":0,"
	    "\"receive_id\":0,\"rtt_ms\":0,\"rto_ms\":0,\"window\":0,"
	    "\"unacked\":0,\"choked_by_peer\":true,\"choking_peer\":true,"
	    "\"bytes_sent\":0,\"bytes_received\":0,\"resent\":0,"
	    "\"created\":%lld,\"age\":0}],\"limit_reached\":false}\n",
	    (long long)now, (long long)now);
	ck_assert_str_eq(f.outbuf, want);
	fake_close(&f);
}
END_TEST

START_TEST(test_none)
{
	struct fake	 f;

	/* END alone: no streams, or tunneld could not be asked */
	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, &text_output), 0);
	ck_assert_str_eq(f.outbuf, "no streams\n");
	fake_close(&f);
	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, &json_output), 0);
	ck_assert_str_eq(f.outbuf, "{\"streams\":[],\"limit_reached\":"
	    "false}\n");
	fake_close(&f);
}
END_TEST

/* a malformed reply after a good one: an error, nothing printed */
static void
bad_one(const struct ctl_stream *bad, size_t sendlen)
{
	struct fake	 f;

	fake_open(&f);
	fake_send(&f, IMSG_CTL_STREAM, &st[1], sizeof(st[1]));
	fake_send(&f, IMSG_CTL_STREAM, bad, sendlen);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, &text_output), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}

START_TEST(test_bad)
{
	struct ctl_stream	 s;
	struct ctl_dest		 d;
	struct fake		 f;

	fill(time(NULL));
	s = st[0];
	memset(s.dest, 'a', sizeof(s.dest));
	bad_one(&s, sizeof(s));
	s = st[0];
	memset(s.peer, 'a', sizeof(s.peer));
	bad_one(&s, sizeof(s));
	s = st[0];
	s.state = CTL_STREAM_RESET + 1;
	bad_one(&s, sizeof(s));
	s = st[0];
	s.outbound = 2;
	bad_one(&s, sizeof(s));
	s = st[0];
	s.flags = 0x04;
	bad_one(&s, sizeof(s));
	bad_one(&st[0], sizeof(s) - 8);
	/* the other views' rows are not this one's */
	memset(&d, 0, sizeof(d));
	fake_open(&f);
	fake_send(&f, IMSG_CTL_DEST, &d, sizeof(d));
	ck_assert_int_eq(run(&f, &json_output), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

/* fake_many's reader */
static int
run_out(struct fake *f, void *out)
{
	return run(f, out);
}

static int
run_many(size_t n, const struct output *out, struct fake *f)
{
	return fake_many(f, IMSG_CTL_STREAM, &st[0], sizeof(st[0]), n,
	    run_out, (void *)out);
}

/*
 * A reply of CTL_STREAMS_MAX rows prints with the limit noted; one row
 * more is refused.
 */
START_TEST(test_limit)
{
	struct fake	 f;

	fill(time(NULL));
	ck_assert_int_eq(run_many(CTL_STREAMS_MAX, &json_output, &f), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\"limit_reached\":true}\n"));
	fake_close(&f);
	ck_assert_int_eq(run_many(CTL_STREAMS_MAX, &text_output, &f), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "(4096 rows, the limit of a "
	    "reply: there may be more streams)\n"));
	fake_close(&f);
	ck_assert_int_eq(run_many(CTL_STREAMS_MAX + 1, &text_output, &f), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

static Suite *
streams_suite(void)
{
	Suite	*s = suite_create("i2pctl_streams");
	TCase	*tc = tcase_create("streams");

	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_none);
	tcase_add_test(tc, test_bad);
	tcase_add_test(tc, test_limit);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(streams_suite());
}
