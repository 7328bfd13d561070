/*
 * i2pctl show destinations and show sessions: the commands, the replies
 * through the reply loop against a fake routerd, the text tables and
 * the JSON documents, no destinations at all, and replies that are
 * malformed, cut short or longer than a reply may be.
 */
#include <bsd/string.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../i2pctl/i2pctl.h"
#include "../../i2pctl/parser.h"
#include "ctlfake.h"
#include "unit.h"

#define B32	"abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst.b32.i2p"

static struct ctl_dest	 de[2];
static struct ctl_rsess	 rs[2];

static void
fill(int64_t now)
{
	memset(de, 0, sizeof(de));
	strlcpy(de[0].name, "web", sizeof(de[0].name));
	strlcpy(de[0].b32, B32, sizeof(de[0].b32));
	de[0].ls_state = LS_VERIFIED;
	/* base64 "AAAAAAAA..." */
	de[0].ls_at = now - 65;
	de[0].published = now - 130;
	de[0].leases = 3;
	de[0].tunnels_in = 3;
	de[0].tunnels_out = 2;
	de[0].sessions = 4;
	de[0].remote_ls = 5;
	de[0].sent = 10;
	de[0].received = 8;
	de[0].dropped_garlic = 1;
	de[0].dropped_out = 2;
	de[0].dropped_in = 3;
	de[0].ls_acked = 6;
	de[0].ls_ack_timeouts = 1;
	de[0].streams = 2;
	de[0].streams_out = 3;
	de[0].streams_in = 4;
	de[0].streams_refused = 5;
	de[0].sbytes_out = 6;
	de[0].sbytes_in = 7;
	de[0].spackets_resent = 8;
	strlcpy(de[1].name, "lt", sizeof(de[1].name));
	de[1].session = 1;
	memset(rs, 0, sizeof(rs));
	strlcpy(rs[0].dest, "web", sizeof(rs[0].dest));
	strlcpy(rs[0].peer, B32, sizeof(rs[0].peer));
	rs[0].outbound = 1;
	rs[0].state = CTL_RSESS_ESTABLISHED;
	rs[0].created = now - 65;
	rs[0].sent = 7;
	rs[0].received = 6;
	rs[0].tags_left = 61439;
	rs[0].ratchets_out = 1;
	rs[0].ratchets_in = 2;
	strlcpy(rs[1].dest, "lt", sizeof(rs[1].dest));
	rs[1].state = CTL_RSESS_NSR_SENT;
	rs[1].created = now;
}

static int
run(struct fake *f, enum actions action, const struct output *out)
{
	struct parse_result	 res;
	int			 rv;

	memset(&res, 0, sizeof(res));
	res.action = action;
	rv = ctl_replies(&f->cli, &res, out, 2000);
	output_setfiles(NULL, NULL);
	fclose(f->out);
	fclose(f->err);
	return rv;
}

static void
answer_dests(struct fake *f)
{
	fake_send(f, IMSG_CTL_DEST, &de[0], sizeof(de[0]));
	fake_send(f, IMSG_CTL_DEST, &de[1], sizeof(de[1]));
	fake_send(f, IMSG_CTL_END, NULL, 0);
}

static void
answer_rsess(struct fake *f)
{
	fake_send(f, IMSG_CTL_RSESS, &rs[0], sizeof(rs[0]));
	fake_send(f, IMSG_CTL_RSESS, &rs[1], sizeof(rs[1]));
	fake_send(f, IMSG_CTL_END, NULL, 0);
}

START_TEST(test_parse)
{
	struct parse_result	 res;
	char			*argv1[] = { "show", "destinations", NULL };
	char			*argv2[] = { "show", "sessions", NULL };
	char			*argv3[] = { "show", "d", NULL };
	FILE			*errf = fopen("/dev/null", "w");

	ck_assert_int_eq(parse(2, argv1, &res, errf), 0);
	ck_assert_int_eq(res.action, SHOW_DESTS);
	ck_assert_int_eq(parse(2, argv2, &res, errf), 0);
	ck_assert_int_eq(res.action, SHOW_RSESS);
	ck_assert_int_eq(parse(2, argv3, &res, errf), 0);
	ck_assert_int_eq(res.action, SHOW_DESTS);
	fclose(errf);
}
END_TEST

START_TEST(test_dests_text)
{
	struct fake	 f;

	fill(time(NULL));
	fake_open(&f);
	answer_dests(&f);
	ck_assert_int_eq(run(&f, SHOW_DESTS, &text_output), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "Name             Kind       "
	    "LeaseSet (floodfill, age)    Published Leases  In Out Sessions "
	    "Streams Remote Sent/Recv     Dropped     LeaseSet ACKs "
	    "Address\n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "          LSs               "
	    "g/out/in    ok/timeout    \n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\nweb              configured "
	    "verified AAAAAAAA 00:01:05   00:02:10       3   3   2        4 "
	    "      2      5 10/8          1/2/3       6/1           " B32
	    "\n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\nlt               sam        "
	    "none                         -              0   0   0        0 "
	    "      0      0 0/0           0/0/0       0/0           "
	    "(no key yet)\n"));
	fake_close(&f);
}
END_TEST

START_TEST(test_dests_json)
{
	struct fake	 f;
	int64_t		 now = time(NULL);
	char		 want[2048];

	fill(now);
	de[0].ls_at = de[0].published = now;
	fake_open(&f);
	answer_dests(&f);
	ck_assert_int_eq(run(&f, SHOW_DESTS, &json_output), 0);
	snprintf(want, sizeof(want), "{\"destinations\":[{\"name\":\"web\","
	    "\"address\":\"" B32 "\",\"destination\":\"\","
	    "\"kind\":\"configured\","
	    "\"leaseset_state\":\"verified\",\"floodfill\":\"AAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"leaseset_state_age\":0,"
	    "\"published\":%lld,\"leases\":3,\"tunnels_in\":3,"
	    "\"tunnels_out\":2,\"sessions\":4,\"remote_leasesets\":5,"
	    "\"sent\":10,\"received\":8,\"dropped_garlic\":1,"
	    "\"dropped_out\":2,\"dropped_in\":3,\"ls_acked\":6,"
	    "\"ls_ack_timeouts\":1,\"streams\":2,\"streams_opened_out\":3,"
	    "\"streams_opened_in\":4,\"streams_refused\":5,"
	    "\"stream_bytes_sent\":6,\"stream_bytes_received\":7,"
	    "\"stream_packets_resent\":8},{\"name\":\"lt\","
	    "\"address\":\"\",\"destination\":\"\",\"kind\":\"sam\","
	    "\"leaseset_state\":\"none\","
	    "\"floodfill\":null,\"leaseset_state_age\":null,"
	    "\"published\":null,\"leases\":0,\"tunnels_in\":0,"
	    "\"tunnels_out\":0,\"sessions\":0,\"remote_leasesets\":0,"
	    "\"sent\":0,\"received\":0,\"dropped_garlic\":0,"
	    "\"dropped_out\":0,\"dropped_in\":0,\"ls_acked\":0,"
	    "\"ls_ack_timeouts\":0,\"streams\":0,\"streams_opened_out\":0,"
	    "\"streams_opened_in\":0,\"streams_refused\":0,"
	    "\"stream_bytes_sent\":0,\"stream_bytes_received\":0,"
	    "\"stream_packets_resent\":0}]}\n", (long long)now);
	ck_assert_str_eq(f.outbuf, want);
	fake_close(&f);
}
END_TEST

START_TEST(test_none)
{
	struct fake	 f;

	/* END alone: no destinations, or tunneld could not be asked */
	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, SHOW_DESTS, &text_output), 0);
	ck_assert_str_eq(f.outbuf, "no local destinations\n");
	fake_close(&f);
	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, SHOW_RSESS, &json_output), 0);
	ck_assert_str_eq(f.outbuf, "{\"sessions\":[],\"limit_reached\":"
	    "false}\n");
	fake_close(&f);
}
END_TEST

START_TEST(test_rsess_text)
{
	struct fake	 f;

	fill(time(NULL));
	fake_open(&f);
	answer_rsess(&f);
	ck_assert_int_eq(run(&f, SHOW_RSESS, &text_output), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "Destination      Peer"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\nweb              " B32
	    " out established 00:01:05           7          6     61439 1/2\n"));
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\nlt               -       "
	    "                                                     in  "
	    "nsr-sent    00:00:00           0          0         0 0/0\n"));
	fake_close(&f);
}
END_TEST

START_TEST(test_rsess_json)
{
	struct fake	 f;
	int64_t		 now = time(NULL);
	char		 want[1024];

	fill(now);
	rs[0].created = now;
	fake_open(&f);
	answer_rsess(&f);
	ck_assert_int_eq(run(&f, SHOW_RSESS, &json_output), 0);
	snprintf(want, sizeof(want), "{\"sessions\":[{\"destination\":"
	    "\"web\",\"peer\":\"" B32 "\",\"direction\":\"out\","
	    "\"state\":\"established\",\"created\":%lld,\"age\":0,"
	    "\"sent\":7,\"received\":6,\"tags_left\":61439,"
	    "\"ratchets_out\":1,\"ratchets_in\":2},{\"destination\":\"lt\","
	    "\"peer\":null,\"direction\":\"in\",\"state\":\"nsr-sent\","
	    "\"created\":%lld,\"age\":0,\"sent\":0,\"received\":0,"
	    "\"tags_left\":0,\"ratchets_out\":0,\"ratchets_in\":0}],"
	    "\"limit_reached\":false}\n", (long long)now, (long long)now);
	ck_assert_str_eq(f.outbuf, want);
	fake_close(&f);
}
END_TEST

/* one malformed reply after a good one: an error, nothing printed */
static void
bad_one(enum actions action, uint32_t type, const void *good,
    const void *bad, size_t len, size_t sendlen)
{
	struct fake	 f;

	fake_open(&f);
	fake_send(&f, type, good, len);
	fake_send(&f, type, bad, sendlen);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, action, &text_output), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}

START_TEST(test_dests_bad)
{
	struct ctl_dest	 d;

	fill(time(NULL));
	d = de[0];
	memset(d.name, 'a', sizeof(d.name));
	bad_one(SHOW_DESTS, IMSG_CTL_DEST, &de[1], &d, sizeof(d), sizeof(d));
	d = de[0];
	memset(d.b32, 'a', sizeof(d.b32));
	bad_one(SHOW_DESTS, IMSG_CTL_DEST, &de[1], &d, sizeof(d), sizeof(d));
	d = de[0];
	d.ls_state = LS_FAILED + 1;
	bad_one(SHOW_DESTS, IMSG_CTL_DEST, &de[1], &d, sizeof(d), sizeof(d));
	bad_one(SHOW_DESTS, IMSG_CTL_DEST, &de[1], &de[0], sizeof(d),
	    sizeof(d) - 8);
}
END_TEST

START_TEST(test_rsess_bad)
{
	struct ctl_rsess	 r;
	struct fake		 f;

	fill(time(NULL));
	r = rs[0];
	memset(r.dest, 'a', sizeof(r.dest));
	bad_one(SHOW_RSESS, IMSG_CTL_RSESS, &rs[1], &r, sizeof(r), sizeof(r));
	r = rs[0];
	memset(r.peer, 'a', sizeof(r.peer));
	bad_one(SHOW_RSESS, IMSG_CTL_RSESS, &rs[1], &r, sizeof(r), sizeof(r));
	r = rs[0];
	r.state = CTL_RSESS_TERMINATED + 1;
	bad_one(SHOW_RSESS, IMSG_CTL_RSESS, &rs[1], &r, sizeof(r), sizeof(r));
	r = rs[0];
	r.outbound = 2;
	bad_one(SHOW_RSESS, IMSG_CTL_RSESS, &rs[1], &r, sizeof(r), sizeof(r));
	bad_one(SHOW_RSESS, IMSG_CTL_RSESS, &rs[1], &rs[0], sizeof(r),
	    sizeof(r) + 1);
	/* the other view's rows are not this one's */
	fake_open(&f);
	fake_send(&f, IMSG_CTL_DEST, &de[0], sizeof(de[0]));
	ck_assert_int_eq(run(&f, SHOW_RSESS, &json_output), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

/* fake_many's reader */
static int
run_rsess(struct fake *f, void *out)
{
	return run(f, SHOW_RSESS, out);
}

static int
run_many(size_t n, const struct output *out, struct fake *f)
{
	return fake_many(f, IMSG_CTL_RSESS, &rs[0], sizeof(rs[0]), n,
	    run_rsess, (void *)out);
}

/*
 * A reply of CTL_RSESS_MAX rows prints with the limit noted; one row
 * more is refused.
 */
START_TEST(test_rsess_limit)
{
	struct fake	 f;

	fill(time(NULL));
	ck_assert_int_eq(run_many(CTL_RSESS_MAX, &json_output, &f), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\"limit_reached\":true}\n"));
	fake_close(&f);
	ck_assert_int_eq(run_many(CTL_RSESS_MAX, &text_output, &f), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "(4096 rows, the limit of a "
	    "reply: there may be more sessions)\n"));
	fake_close(&f);
	ck_assert_int_eq(run_many(CTL_RSESS_MAX + 1, &text_output, &f), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

static Suite *
dests_suite(void)
{
	Suite	*s = suite_create("i2pctl_dests");
	TCase	*tc = tcase_create("dests");

	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_dests_text);
	tcase_add_test(tc, test_dests_json);
	tcase_add_test(tc, test_none);
	tcase_add_test(tc, test_rsess_text);
	tcase_add_test(tc, test_rsess_json);
	tcase_add_test(tc, test_dests_bad);
	tcase_add_test(tc, test_rsess_bad);
	tcase_add_test(tc, test_rsess_limit);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(dests_suite());
}
