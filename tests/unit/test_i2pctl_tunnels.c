/*
 * i2pctl show tunnels: the pools' figures (success rate of the builds
 * answered, latency, tests, the tiers hops came from), a client's pools
 * under its name, a row per tunnel with its pool and hops, and the JSON
 * document with each hop's tunnel ID.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../i2pctl/i2pctl.h"
#include "unit.h"

static char *
capture(int json, const struct ctl_tunnel *t, size_t n,
    const struct ctl_tunnels *sum, const struct ctl_pool *cp, size_t ncp)
{
	struct tunnels_view	 v = { t, n, cp, ncp, sum };
	char	*out;
	size_t	 len;
	FILE	*fp = open_memstream(&out, &len);

	if (json)
		print_tunnels_json(fp, 0, &v);
	else
		print_tunnels_text(fp, &v);
	fclose(fp);
	return out;
}

static void
sample(struct ctl_tunnel t[2], struct ctl_tunnels *sum)
{
	memset(t, 0, 2 * sizeof(t[0]));
	memset(sum, 0, sizeof(*sum));
	sum->pools[TUNNEL_IN].length = 2;
	sum->pools[TUNNEL_IN].quantity = 3;
	sum->pools[TUNNEL_IN].ready = 1;
	sum->pools[TUNNEL_IN].building = 1;
	sum->pools[TUNNEL_IN].builds = 10;
	sum->pools[TUNNEL_IN].built = 7;
	sum->pools[TUNNEL_IN].refused = 1;
	sum->pools[TUNNEL_IN].timeouts = 1;
	sum->pools[TUNNEL_IN].lat_p50 = 12;
	sum->pools[TUNNEL_IN].lat_p90 = 40;
	sum->pools[TUNNEL_IN].tests_ok = 5;
	sum->pools[TUNNEL_IN].hop_tiers[0] = 1;
	sum->pools[TUNNEL_IN].hop_tiers[2] = 13;
	t[0].serial = 4;
	t[0].dir = TUNNEL_IN;
	t[0].state = TUNNEL_READY;
	t[0].nhops = 2;
	memset(t[0].hops[0], 0, 32);		/* "AAAAAAAA" */
	memset(t[0].hops[1], 0xff, 32);		/* "~~~~~~~~...8=" */
	t[0].hop_ids[0] = 11;
	t[0].hop_ids[1] = 12;
	t[0].age = 65;
	t[0].build_ms = 9;
	t[0].msgs = 3;
	t[0].tests_ok = 2;
	t[1].serial = 5;
	t[1].dir = TUNNEL_OUT;
	t[1].state = TUNNEL_BUILDING;
	t[1].nhops = 1;
	t[1].age = 2;
}

START_TEST(test_text)
{
	struct ctl_tunnel	 t[2];
	struct ctl_tunnels	 sum;
	char			*out;

	sample(t, &sum);
	out = capture(0, t, 2, &sum, NULL, 0);
	ck_assert_ptr_nonnull(strstr(out, "Exploratory inbound: length 2, "
	    "quantity 3; 1 ready, 1 building\n"));
	/* 7 of the 9 answered; the one still out is not counted */
	ck_assert_ptr_nonnull(strstr(out, "7 of 9 answered (77.8%)\n"));
	ck_assert_ptr_nonnull(strstr(out, "12 / 40 ms\n"));
	ck_assert_ptr_nonnull(strstr(out, "Exploratory outbound: length 0, "
	    "quantity 0; 0 ready, 0 building\n  Built"
	    "                          0 of 0 answered (-)\n"));
	ck_assert_ptr_nonnull(strstr(out, "Hops picked                    1 "
	    "fast, 0 high capacity, 13 not failing, 0 failing\n"));
	ck_assert_ptr_nonnull(strstr(out, "ID    Pool        Dir State"));
	ck_assert_ptr_nonnull(strstr(out, "4     exploratory in  ready    "
	    "00:01:05  9ms      3       2/0           AAAAAAAA > ~~~~~~~~\n"));
	ck_assert_ptr_nonnull(strstr(out, "5     exploratory out building "
	    "00:00:02  -"));
	ck_assert_ptr_null(strstr(out, "Client"));
	free(out);
}
END_TEST

static void
client_sample(struct ctl_pool *cp)
{
	memset(cp, 0, sizeof(*cp));
	cp->client = 7;
	memset(cp->dest, 0xff, 32);
	strcpy(cp->name, "a-rather-long-name");
	cp->pools[TUNNEL_OUT].length = 3;
	cp->pools[TUNNEL_OUT].quantity = 2;
	cp->pools[TUNNEL_OUT].ready = 2;
	cp->pools[TUNNEL_OUT].hop_tiers[0] = 6;
	cp->cs.msgs_out = 12;
	cp->cs.bytes_out = 3400;
	cp->cs.stores = 3;
	cp->cs.store_acks = 2;
	cp->cs.verify_ok = 1;
	cp->cs.lookups = 5;
	cp->cs.found = 4;
	cp->cs.not_found = 1;
}

/*
 * A client's pools under its name; its rows name it, the column as wide
 * as the longest name; a row of a client not listed shows its number.
 */
START_TEST(test_text_client)
{
	struct ctl_tunnel	 t[2];
	struct ctl_tunnels	 sum;
	struct ctl_pool		 cp;
	char			*out;

	sample(t, &sum);
	client_sample(&cp);
	t[1].client = 7;
	t[0].client = 8;	/* a pool not listed */
	out = capture(0, t, 2, &sum, &cp, 1);
	ck_assert_ptr_nonnull(strstr(out, "Client a-rather-long-name "
	    "(~~~~~~~~) outbound: length 3, quantity 2; 2 ready, 0 building\n"));
	ck_assert_ptr_nonnull(strstr(out, "Hops picked                    6 "
	    "fast, 0 high capacity, 0 not failing, 0 failing\n"));
	ck_assert_ptr_nonnull(strstr(out, "  Messages out                   "
	    "12 / 3400 bytes\n"));
	ck_assert_ptr_nonnull(strstr(out, "  LeaseSet stores                "
	    "3 sent, 2 acked, 1 verified, 0 not\n"));
	ck_assert_ptr_nonnull(strstr(out, "  LeaseSet lookups               "
	    "5, 4 found, 1 not\n"));
	ck_assert_ptr_nonnull(strstr(out, "5     a-rather-long-name out "
	    "building"));
	ck_assert_ptr_nonnull(strstr(out, "4     client 8           in  ready"));
	/* the testing knob's line only when it dropped something */
	ck_assert_ptr_null(strstr(out, "Dropped for testing"));
	free(out);
	cp.cs.test_drop_out = 9;
	cp.cs.test_drop_in = 4;
	out = capture(0, t, 2, &sum, &cp, 1);
	ck_assert_ptr_nonnull(strstr(out, "  Dropped for testing            "
	    "9 out, 4 in\n"));
	free(out);
}
END_TEST

START_TEST(test_json)
{
	struct ctl_tunnel	 t[2];
	struct ctl_tunnels	 sum;
	char			*out;

	sample(t, &sum);
	out = capture(1, t, 1, &sum, NULL, 0);
	ck_assert_ptr_nonnull(strstr(out, "\"inbound\":{\"length\":2,"
	    "\"quantity\":3,\"ready\":1,\"building\":1,\"builds\":10,"
	    "\"built\":7,\"refused\":1,\"timeouts\":1,"));
	ck_assert_ptr_nonnull(strstr(out, "\"hop_tiers\":{\"fast\":1,"
	    "\"high_capacity\":0,\"not_failing\":13,\"failing\":0}}"));
	ck_assert_ptr_nonnull(strstr(out, "\"clients\":[],\"list\":[{\"id\":4,"
	    "\"pool\":\"exploratory\",\"direction\":\"in\",\"state\":\"ready\",\"age\":65,"
	    "\"build_ms\":9,\"msgs\":3,\"bytes\":0,\"tests_ok\":2,"
	    "\"tests_failed\":0,\"hops\":[{\"hash\":\"AAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAA=\",\"tunnel_id\":11},{\"hash\":\"~~~~~~~~~~~"
	    "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~8=\",\"tunnel_id\":12}]}]}}\n"));
	free(out);
}
END_TEST

START_TEST(test_json_client)
{
	struct ctl_tunnel	 t[2];
	struct ctl_tunnels	 sum;
	struct ctl_pool		 cp;
	char			*out;

	sample(t, &sum);
	client_sample(&cp);
	t[1].client = 7;
	out = capture(1, t, 2, &sum, &cp, 1);
	ck_assert_ptr_nonnull(strstr(out, "\"clients\":[{\"name\":"
	    "\"a-rather-long-name\",\"destination\":\"~~~~~~~~~~~~~~~~~~~~~"
	    "~~~~~~~~~~~~~~~~~~~~~8=\",\"inbound\":{\"length\":0,"));
	ck_assert_ptr_nonnull(strstr(out, "\"outbound\":{\"length\":3,"
	    "\"quantity\":2,\"ready\":2,"));
	ck_assert_ptr_nonnull(strstr(out, "\"routerd\":{\"msgs_out\":12,"
	    "\"bytes_out\":3400,\"no_tunnel\":0,"));
	ck_assert_ptr_nonnull(strstr(out, "\"dropped_in\":0,"
	    "\"test_drop_out\":0,\"test_drop_in\":0,"));
	ck_assert_ptr_nonnull(strstr(out, "\"ls_lookups\":5,\"ls_found\":4,"
	    "\"ls_not_found\":1}}"));
	ck_assert_ptr_nonnull(strstr(out, "{\"id\":5,\"pool\":"
	    "\"a-rather-long-name\",\"direction\":\"out\""));
	free(out);
}
END_TEST

static Suite *
tunnels_suite(void)
{
	Suite	*s = suite_create("i2pctl_tunnels");
	TCase	*tc = tcase_create("tunnels");

	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_text_client);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_json_client);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(tunnels_suite());
}
