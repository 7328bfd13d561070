/*
 * i2pctl show peers: the table and the JSON document; show transports.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bsd/string.h>

#include "../../i2pctl/i2pctl.h"
#include "unit.h"

static struct ctl_peer	peers[2];

static void
setup(void)
{
	memset(peers, 0, sizeof(peers));
	strlcpy(peers[0].hash, "DIdCPwIcGu6jRX90vg9WWxwun06bxJ9wG~6jSG8-yqQ=",
	    sizeof(peers[0].hash));
	strlcpy(peers[0].addr, "198.18.0.1:20000", sizeof(peers[0].addr));
	strlcpy(peers[0].transport, "NTCP2", sizeof(peers[0].transport));
	peers[0].established = 1000;
	peers[0].msgs_in = 3;
	peers[0].bytes_in = 1500;
	peers[0].msgs_out = 2;
	peers[0].bytes_out = 900;
	peers[1] = peers[0];
	peers[1].inbound = 1;
	peers[1].hash[0] = '\033';	/* a terminal escape from the daemon */
	/* SSU2's own figures */
	strlcpy(peers[1].transport, "SSU2", sizeof(peers[1].transport));
	peers[1].rtt_ms = 42;
	peers[1].cwnd = 16;
	peers[1].resends = 5;
	peers[1].mtu = 1472;
	peers[1].inflight = 3;
}

START_TEST(test_text)
{
	char	*out;
	size_t	 len;
	FILE	*fp = open_memstream(&out, &len);

	setup();
	print_peers_text(fp, peers, 2, 1000 + 3723);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(out, "Peer "));
	ck_assert_ptr_nonnull(strstr(out, "DIdCPwIcGu6jRX90vg9WWxwun06bxJ9wG~"
	    "6jSG8-yqQ=  198.18.0.1:20000       out 01:02:03  3/1500"));
	ck_assert_ptr_nonnull(strstr(out, "?IdCPw"));
	ck_assert_ptr_null(strchr(out, '\033'));
	ck_assert_ptr_nonnull(strstr(out, " in  "));
	ck_assert_ptr_nonnull(strstr(out, "SSU2      42ms/16/5/1472\n"));
	ck_assert_ptr_nonnull(strstr(out, "NTCP2     -\n"));
	free(out);
}
END_TEST

/* the column of the first s on line n (0: the header), -1 if none */
static int
column(const char *text, int n, const char *s)
{
	const char	*l = text, *p;

	while (n-- > 0 && l != NULL)
		if ((l = strchr(l, '\n')) != NULL)
			l++;
	if (l == NULL || (p = strstr(l, s)) == NULL ||
	    memchr(l, '\n', p - l) != NULL)
		return -1;
	return p - l;
}

/* an IPv6 address widens the column, the rows stay aligned */
START_TEST(test_text_v6)
{
	char	*out;
	size_t	 len;
	FILE	*fp = open_memstream(&out, &len);

	setup();
	strlcpy(peers[1].addr, "[2001:2:0:1217::3]:37451",
	    sizeof(peers[1].addr));
	print_peers_text(fp, peers, 2, 1000 + 3723);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(out, "  [2001:2:0:1217::3]:37451 in  "));
	ck_assert_ptr_nonnull(strstr(out, "  198.18.0.1:20000         out "));
	ck_assert_int_eq(column(out, 0, "Dir"), 46 + 24 + 1);
	ck_assert_int_eq(column(out, 1, "out "), 46 + 24 + 1);
	ck_assert_int_eq(column(out, 2, "in  "), 46 + 24 + 1);
	free(out);
}
END_TEST

START_TEST(test_json)
{
	char	*out;
	size_t	 len;
	FILE	*fp = open_memstream(&out, &len);

	setup();
	print_peers_json(fp, 0, peers, 2, NULL, 1000 + 60);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(out, "{\"peers\":[{\"hash\":\"DIdCP"));
	ck_assert_ptr_nonnull(strstr(out, "\"direction\":\"out\",\"age\":60,"
	    "\"msgs_in\":3,\"msgs_out\":2,\"bytes_in\":1500,\"bytes_out\":900,"
	    "\"transport\":\"NTCP2\",\"rtt_ms\":0,\"window\":0,"
	    "\"inflight\":0,\"resends\":0,\"mtu\":0}"));
	ck_assert_ptr_nonnull(strstr(out, "\"transport\":\"SSU2\",\"rtt_ms\":42,"
	    "\"window\":16,\"inflight\":3,\"resends\":5,\"mtu\":1472}"));
	ck_assert_ptr_nonnull(strstr(out, "\"hash\":\"\\u001bIdCP"));
	free(out);
}
END_TEST

START_TEST(test_empty)
{
	char	*out;
	size_t	 len;
	FILE	*fp = open_memstream(&out, &len);

	print_peers_json(fp, 0, NULL, 0, NULL, 0);
	fclose(fp);
	ck_assert_str_eq(out, "{\"peers\":[]}\n");
	free(out);
}
END_TEST

/* netd's limits after the rows: what each refused */
START_TEST(test_sessions)
{
	struct ctl_sessions	 cs;
	char			*out;
	size_t			 len;
	FILE			*fp;

	memset(&cs, 0, sizeof(cs));
	cs.sessions = 12;
	cs.max = 960;
	cs.reserve = 120;
	cs.nofile = 1024;
	cs.refused_src = 7;
	cs.refused_hash = 3;
	fp = open_memstream(&out, &len);
	print_limits_text(fp, &cs);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(out, "12 of 960 (120 for our dials"));
	ck_assert_ptr_nonnull(strstr(out, "sessions from one address      7"));
	ck_assert_ptr_nonnull(strstr(out, "sessions with one router       3"));
	free(out);
	fp = open_memstream(&out, &len);
	print_peers_json(fp, 0, NULL, 0, &cs, 0);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(out, "{\"peers\":[],\"sessions\":{"
	    "\"sessions\":12,\"max\":960,\"reserve\":120,"));
	ck_assert_ptr_nonnull(strstr(out, "\"refused_source\":7,"
	    "\"refused_router\":3,"));
	free(out);
}
END_TEST

/* show transports: a tested address and an untested one */
START_TEST(test_transports)
{
	struct ctl_transport	 t[2];
	char			*out;
	size_t			 len;
	FILE			*fp;

	memset(t, 0, sizeof(t));
	strlcpy(t[0].transport, "SSU2", sizeof(t[0].transport));
	strlcpy(t[0].addr, "198.18.0.10 port 20000", sizeof(t[0].addr));
	t[0].reach = NET_REACH_FIREWALLED;
	t[0].reach_when = 1000;
	t[0].pt_run = 4;
	t[0].pt_charlie = 3;
	t[0].pt_ignored = 2;
	t[1] = t[0];
	t[1].addr[0] = '\033';
	t[1].reach = NET_REACH_UNKNOWN;
	t[1].reach_when = 0;
	fp = open_memstream(&out, &len);
	print_transports_text(fp, t, 2, 1000 + 65);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(out, "Reachable"));
	ck_assert_ptr_nonnull(strstr(out, "SSU2      198.18.0.10 port 20000   "
	    "    firewalled  00:01:05 ago  4         3         2        -          "
	    "-\n"));
	ck_assert_ptr_nonnull(strstr(out, "unknown     -             4"));
	ck_assert_ptr_null(strchr(out, '\033'));
	free(out);
	fp = open_memstream(&out, &len);
	print_transports_json(fp, 0, t, 2, 1000 + 65);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(out, "{\"transports\":[{\"transport\":"
	    "\"SSU2\",\"address\":\"198.18.0.10 port 20000\","
	    "\"reachability\":\"firewalled\",\"tested_ago\":65,"
	    "\"peer_tests_run\":4,\"peer_tests_charlie\":3,"
	    "\"peer_tests_ignored\":2}"));
	ck_assert_ptr_nonnull(strstr(out, "\"reachability\":\"unknown\","
	    "\"tested_ago\":null"));
	free(out);
}
END_TEST

static Suite *
peers_suite(void)
{
	Suite	*s = suite_create("i2pctl_peers");
	TCase	*tc = tcase_create("peers");

	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_text_v6);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_sessions);
	tcase_add_test(tc, test_transports);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(peers_suite());
}
