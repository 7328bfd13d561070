/*
 * i2pctl show transit: the text and the JSON document.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../i2pctl/i2pctl.h"
#include "unit.h"

static char *
capture(int json, const struct transit_stats *t)
{
	char	*out;
	size_t	 len;
	FILE	*fp = open_memstream(&out, &len);

	if (json)
		print_transit_json(fp, 0, t);
	else
		print_transit_text(fp, t);
	fclose(fp);
	return out;
}

START_TEST(test_transit)
{
	struct transit_stats	 t;
	char			*out;

	memset(&t, 0, sizeof(t));
	t.active[TRANSIT_PARTICIPANT] = 3;
	t.accepted[TRANSIT_PARTICIPANT] = 7;
	t.active[TRANSIT_IBGW] = 1;
	t.accepted[TRANSIT_IBGW] = 2;
	t.accepted[TRANSIT_OBEP] = 4;
	t.builds_in = 14;
	t.builds_rejected = 1;
	t.data_in = 100;
	t.data_out = 90;
	t.delivered = 9;
	t.data_dropped = 1;
	t.refused_rate = 1;
	t.refused_share = 5;
	t.reasm_bytes = 123456;
	t.reasm_dropped = 6;
	t.max = 2500;
	t.share = 512 * 1024;
	t.load = 42;
	t.congestion[0] = 'D';
	out = capture(0, &t);
	ck_assert_ptr_nonnull(strstr(out, "Transit tunnels (max)"
	    "            4 of 2500\n"));
	ck_assert_ptr_nonnull(strstr(out, "Bandwidth share"
	    "                  512 KB/s, 42% used lately\n"));
	ck_assert_ptr_nonnull(strstr(out, "Congestion cap (proposal 162)"
	    "    D\n"));
	ck_assert_ptr_nonnull(strstr(out, "    previous hop over its rate"
	    "   1\n"));
	ck_assert_ptr_nonnull(strstr(out, "    previous hop holds its share"
	    " 5\n"));
	ck_assert_ptr_nonnull(strstr(out, "  participant"
	    "                    3 / 7\n"));
	ck_assert_ptr_nonnull(strstr(out, "  inbound gateway"
	    "                1 / 2\n"));
	ck_assert_ptr_nonnull(strstr(out, "  outbound endpoint"
	    "              0 / 4\n"));
	ck_assert_ptr_nonnull(strstr(out, "Build requests for us"
	    "            14\n"));
	ck_assert_ptr_nonnull(strstr(out, "Messages delivered (endpoint)"
	    "    9\n"));
	ck_assert_ptr_nonnull(strstr(out, "Reassembly: bytes held"
	    "           123456\n"));
	ck_assert_ptr_nonnull(strstr(out, "  fragments over the budget"
	    "      6\n"));
	free(out);
	out = capture(1, &t);
	ck_assert_str_eq(out, "{\"transit\":{\"active\":{\"participant\":3,"
	    "\"gateway\":1,\"endpoint\":0},\"accepted\":{\"participant\":7,"
	    "\"gateway\":2,\"endpoint\":4},\"builds_in\":14,"
	    "\"max\":2500,\"share\":524288,\"load\":42,\"congestion\":\"D\","
	    "\"builds_rejected\":1,\"refused_limit\":0,\"refused_rate\":1,"
	    "\"refused_bandwidth\":0,\"refused_time\":0,\"refused_id\":0,"
	    "\"refused_loop\":0,\"refused_share\":5,"
	    "\"builds_malformed\":0,"
	    "\"builds_replayed\":0,\"builds_dropped\":0,"
	    "\"builds_throttled\":0,"
	    "\"builds_unroutable\":0,\"data_in\":100,\"gateway_in\":0,"
	    "\"data_out\":90,\"delivered\":9,\"held\":0,\"held_sent\":0,"
	    "\"self_delivered\":0,\"self_dropped\":0,"
	    "\"dropped\":1,"
	    "\"dropped_bandwidth\":0,\"reassembly_bytes\":123456,"
	    "\"reassembly_dropped\":6}}\n");
	free(out);
}
END_TEST

static Suite *
transit_suite(void)
{
	Suite	*s = suite_create("i2pctl_transit");
	TCase	*tc = tcase_create("transit");

	tcase_add_test(tc, test_transit);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(transit_suite());
}
