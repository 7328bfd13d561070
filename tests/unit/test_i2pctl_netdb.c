/*
 * i2pctl show netdb and show floodfill: the text and the JSON document.
 */
#include <bsd/string.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../i2pctl/i2pctl.h"
#include "unit.h"

static struct ctl_netdb	nd;

static void
setup(void)
{
	memset(&nd, 0, sizeof(nd));
	nd.routers = 1234;
	nd.floodfills = 56;
	nd.leasesets = 3;
	memset(nd.our_rkey, 0xff, sizeof(nd.our_rkey));
	nd.rkey_day = 20261122;
	nd.floodfill = 1;
	nd.warnings = FF_WARN_FEW_FLOODFILLS | FF_WARN_YOUNG;
	nd.lookup_rate = 20;
	nd.lookup_burst = 60;
	nd.netdb_max = 20000;
	nd.db.stores_throttled = 41;
	nd.db.stores_throttled_all = 42;
	nd.db.writes_deferred = 43;
	nd.db.ri_evicted = 44;
	nd.db.ri_refused_share = 45;
	nd.db.ri_refused_full = 46;
	nd.db.ls_evicted = 47;
	nd.db.ls_refused_share = 48;
	nd.ff.lookups_in = 10;
	nd.ff.lookups_answered = 4;
	nd.ff.lookups_not_found = 5;
	nd.ff.drop_rate = 1;
	nd.ff.stores_in = 7;
	nd.ff.stores_acked = 6;
	nd.ff.stores_flooded = 18;
	nd.announce.sent = 2;
	nd.announce.verified = 1;
	nd.announce.last_verified = 1795305600;
	nd.explore.lookups_sent = 9;
	nd.reseed.signers = 12;
	nd.reseed.last = 1795305600;
	nd.reseed.ok = 1;
	strlcpy(nd.reseed.msg, "reseed: 5 RouterInfos \"imported\"",
	    sizeof(nd.reseed.msg));
}

/* a "label value" row as the views print them */
static int
has_row(const char *out, const char *label, const char *value)
{
	char	row[128];

	snprintf(row, sizeof(row), "%-32s %s", label, value);
	return strstr(out, row) != NULL;
}

static char *
capture(void (*text)(FILE *, const struct ctl_netdb *),
    void (*json)(FILE *, int, const struct ctl_netdb *))
{
	char	*out;
	size_t	 len;
	FILE	*fp = open_memstream(&out, &len);

	if (text != NULL)
		text(fp, &nd);
	else
		json(fp, 0, &nd);
	fclose(fp);
	return out;
}

START_TEST(test_netdb_text)
{
	char	*out;

	setup();
	out = capture(print_netdb_text, NULL);
	ck_assert(has_row(out, "RouterInfos",
	    "1234\n"));
	ck_assert(has_row(out, "LeaseSets", "3\n"));
	ck_assert(has_row(out, "Stores refused: sender's rate", "41\n"));
	ck_assert(has_row(out, "  all senders' rate", "42\n"));
	ck_assert(has_row(out, "Writes put off (published only)", "43\n"));
	ck_assert(has_row(out, "RouterInfos dropped for room", "44\n"));
	ck_assert(has_row(out, "  refused: sender's share", "45\n"));
	ck_assert(has_row(out, "  refused: all in use", "46\n"));
	ck_assert(has_row(out, "LeaseSets dropped for room", "47\n"));
	ck_assert(has_row(out, "  refused: sender's share", "48\n"));
	ck_assert(has_row(out, "  of which floodfills",
	    "56\n"));
	ck_assert_ptr_nonnull(strstr(out, "20261122 (UTC)"));
	/* 0xff bytes in I2P's base64 alphabet: '~' not '/' */
	ck_assert(has_row(out, "Our routing key",
	    "~~~~"));
	ck_assert(has_row(out, "  last verified",
	    "2026-11-22 00:00:00 UTC\n"));
	ck_assert(has_row(out, "Lookups for new routers", "9\n"));
	ck_assert(has_row(out, "We are a floodfill",
	    "yes\n"));
	ck_assert(has_row(out, "Reseed signers trusted", "12\n"));
	ck_assert(has_row(out, "Last reseed", "2026-11-22 00:00:00 UTC\n"));
	ck_assert(has_row(out, "  imported",
	    "reseed: 5 RouterInfos \"imported\"\n"));
	nd.reseed.last = 0;
	free(out);
	out = capture(print_netdb_text, NULL);
	ck_assert(has_row(out, "Last reseed", "never\n"));
	ck_assert_ptr_null(strstr(out, "  imported"));
	free(out);
}
END_TEST

START_TEST(test_netdb_json)
{
	char	*out;

	setup();
	out = capture(NULL, print_netdb_json);
	ck_assert_ptr_nonnull(strstr(out, "{\"netdb\":{\"routers\":1234,"
	    "\"floodfills\":56,\"max_routers\":20000,\"leasesets\":3,"
	    "\"stores_throttled\":41,\"stores_throttled_all\":42,"
	    "\"writes_deferred\":43,\"routers_evicted\":44,"
	    "\"routers_refused_share\":45,\"routers_refused_full\":46,"
	    "\"leasesets_evicted\":47,\"leasesets_refused_share\":48,"
	    "\"routing_key_day\":\"20261122\",\"our_routing_key\":\"~~~~"));
	ck_assert_ptr_nonnull(strstr(out, "\"floodfill\":true,"
	    "\"stores_sent\":2,\"stores_verified\":1,\"stores_unanswered\":0,"
	    "\"stores_tunneled\":0,"
	    "\"last_verified\":1795305600,\"explorations\":0,"
	    "\"search_replies\":0,\"search_replies_unasked\":0,"
	    "\"lookups_sent\":9,\"lookups_tunneled\":0,"
	    "\"garlic_in\":0,\"garlic_tagged\":0,\"garlic_router\":0,"
	    "\"garlic_dropped\":0,\"garlic_throttled\":0,"
	    "\"reseed_signers\":12,"
	    "\"last_reseed\":1795305600,\"last_reseed_ok\":true,"
	    "\"last_reseed_outcome\":\"reseed: 5 RouterInfos \\\"imported\\\"\"}}\n"));
	free(out);
}
END_TEST

START_TEST(test_floodfill_text)
{
	char	*out;

	setup();
	out = capture(print_floodfill_text, NULL);
	ck_assert(has_row(out, "Lookups received",
	    "10\n"));
	ck_assert(has_row(out, "  answered with closer peers",
	    "5\n"));
	ck_assert(has_row(out, "  flooded on (messages)",
	    "18\n"));
	ck_assert_ptr_nonnull(strstr(out, "20/s per peer, burst 60\n"));
	ck_assert_ptr_nonnull(strstr(out, "Warnings: fewer than 3 other "
	    "floodfills"));
	ck_assert_ptr_nonnull(strstr(out, "\n          up less than 2 hours"));
	ck_assert_ptr_null(strstr(out, "no transport session"));
	free(out);
	/* no warnings, no warnings line */
	nd.warnings = 0;
	out = capture(print_floodfill_text, NULL);
	ck_assert_ptr_null(strstr(out, "Warnings"));
	free(out);
}
END_TEST

START_TEST(test_floodfill_json)
{
	char	*out;

	setup();
	out = capture(NULL, print_floodfill_json);
	ck_assert_ptr_nonnull(strstr(out, "{\"floodfill\":{\"enabled\":true,"
	    "\"lookups_received\":10,\"lookups_answered\":4,"
	    "\"lookups_not_found\":5,"));
	ck_assert_ptr_nonnull(strstr(out, "\"dropped_rate_limit\":1,"));
	ck_assert_ptr_nonnull(strstr(out, "\"warnings\":[\"few_floodfills\","
	    "\"young\"]}}\n"));
	free(out);
}
END_TEST

static Suite *
netdb_suite(void)
{
	Suite	*s = suite_create("i2pctl_netdb");
	TCase	*tc = tcase_create("netdb");

	tcase_add_test(tc, test_netdb_text);
	tcase_add_test(tc, test_netdb_json);
	tcase_add_test(tc, test_floodfill_text);
	tcase_add_test(tc, test_floodfill_json);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(netdb_suite());
}
