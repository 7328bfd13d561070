/*
 * Hop selection (routerd/select.c): client pools take the fast and high
 * capacity tier first and fall to the next tier only for the hops it
 * cannot fill, never to failing peers; exploratory ones take any peer
 * not failing, failing ones only when nothing else is left; never
 * ourselves or an excluded router, never one that refuses tunnels
 * (congestion caps E and G), cannot be reached (U) or is too old; hops in the pool's XOR
 * order; routers of 0.9.48-0.9.50 make a long-record build.
 */
#include <check.h>
#include <string.h>

#include "rtr.h"
#include "../../routerd/build.h"
#include "../../routerd/profile.h"
#include "../../routerd/select.h"
#include "unit.h"

#define NR	12
static struct rtr	r[NR];
static uint8_t		key[32];

/* a router that can be a hop: an NTCP2 address, version and caps given */
static void
hop_router(struct rtr *h, const char *version, const char *caps)
{
	static struct router_info	ri;
	uint8_t				sign_pub[32], x[32];
	const char			*why;

	ck_assert_int_eq(ed25519_keygen(h->seed, sign_pub), 0);
	crypto_random(x, sizeof(x));
	ck_assert_int_eq(ident_build(&h->ident, IDENT_ROUTER, x, sign_pub,
	    NULL), 0);
	memset(&ri, 0, sizeof(ri));
	ri.ident = h->ident;
	ri.published = (uint64_t)time(NULL) * 1000 - 5000;
	mapping_init(&ri.options);
	mapping_set(&ri.options, "caps", caps);
	mapping_set(&ri.options, "netId", "99");
	mapping_set(&ri.options, "router.version", version);
	ri.naddrs = 1;
	ri.addrs[0].cost = 10;
	strlcpy(ri.addrs[0].style, "NTCP2", sizeof(ri.addrs[0].style));
	mapping_init(&ri.addrs[0].options);
	mapping_set(&ri.addrs[0].options, "host", "198.18.0.1");
	mapping_set(&ri.addrs[0].options, "port", "20000");
	ck_assert_int_eq(ri_sign(&ri, rtr_sign_cb, h->seed, NULL), 0);
	memcpy(h->hash, ri.ident.hash, 32);
	ck_assert_int_eq(netdb_store(ri.raw, ri.rawlen, NULL, NULL, 0, &why),
	    1);
}

static void
events(int i, int ev, int n, uint32_t lat)
{
	while (n-- > 0)
		profile_event(r[i].hash, ev, lat, time(NULL));
}

/*
 * 0-3 fast and high capacity, 4-5 high capacity (slow), 6-8 not
 * failing (little capacity), 9 failing, 10-11 unknown (not failing).
 */
static void
setup(void)
{
	int	i;

	rtr_netdb_setup();
	profile_clear();
	for (i = 0; i < NR; i++)
		hop_router(&r[i], "0.9.57", "LR");
	for (i = 0; i < 4; i++)
		events(i, PEV_AGREED, 10, 20);
	for (i = 4; i < 6; i++)
		events(i, PEV_AGREED, 10, 500);
	for (i = 6; i < 9; i++)
		events(i, PEV_AGREED, 1, 10);
	events(9, PEV_NO_REPLY, 5, 0);
	profile_recompute(time(NULL));
	crypto_random(key, sizeof(key));
}

static void
teardown(void)
{
	profile_clear();
	rtr_netdb_teardown();
}

static int
router_of(const uint8_t hash[32])
{
	int	i;

	for (i = 0; i < NR; i++)
		if (memcmp(r[i].hash, hash, 32) == 0)
			return i;
	return -1;
}

static int
xor_before(const uint8_t a[32], const uint8_t b[32])
{
	int	i;

	for (i = 0; i < 32; i++)
		if ((a[i] ^ key[i]) != (b[i] ^ key[i]))
			return (a[i] ^ key[i]) < (b[i] ^ key[i]);
	return 0;
}

/* picks length hops from tier_best; their routers' bits in *seen */
static int
pick(enum profile_tier tier_best, size_t length, const uint8_t *self,
    uint32_t *seen)
{
	struct select_req	 req;
	struct build		 b;
	size_t			 i;
	int			 k;

	memset(&req, 0, sizeof(req));
	memset(&b, 0, sizeof(b));
	req.self = self;
	req.order_key = key;
	req.tier_best = tier_best;
	req.tier_worst = TIER_FAILING;
	req.length = length;
	if (select_hops(&req, &b) == -1)
		return -1;
	ck_assert_uint_eq(b.nhops, length);
	ck_assert_int_eq(b.long_recs, 0);
	for (i = 0; i < b.nhops; i++) {
		ck_assert_int_ge(k = router_of(b.hops[i].hash), 0);
		ck_assert_uint_eq(*seen & (1u << k), 0);	/* distinct */
		*seen |= 1u << k;
		if (i > 0)
			ck_assert(xor_before(b.hops[i - 1].hash,
			    b.hops[i].hash));
	}
	return 0;
}

START_TEST(test_tiers_as_set_up)
{
	static const enum profile_tier want[NR] = { TIER_FAST, TIER_FAST,
	    TIER_FAST, TIER_FAST, TIER_HIGHCAP, TIER_HIGHCAP, TIER_OK,
	    TIER_OK, TIER_OK, TIER_FAILING, TIER_OK, TIER_OK };
	int	i;

	for (i = 0; i < NR; i++)
		ck_assert_int_eq(profile_tier(r[i].hash), want[i]);
}
END_TEST

START_TEST(test_client_fast_only)
{
	uint32_t	seen;
	int		n;

	for (n = 0; n < 50; n++) {
		seen = 0;
		ck_assert_int_eq(pick(TIER_FAST, 3, NULL, &seen), 0);
		ck_assert_uint_eq(seen & ~0xfu, 0);	/* routers 0-3 */
	}
}
END_TEST

/* six hops: the four fast ones, then the two of the next tier */
START_TEST(test_client_falls_one_tier)
{
	uint32_t	seen;
	int		n;

	for (n = 0; n < 20; n++) {
		seen = 0;
		ck_assert_int_eq(pick(TIER_FAST, 6, NULL, &seen), 0);
		ck_assert_uint_eq(seen, 0x3f);
	}
	/* seven: one from the not failing */
	seen = 0;
	ck_assert_int_eq(pick(TIER_FAST, 7, NULL, &seen), 0);
	ck_assert_uint_eq(seen & 0x3f, 0x3f);
	ck_assert_uint_eq(seen & (1u << 9), 0);
}
END_TEST

START_TEST(test_never_self)
{
	uint32_t	seen;
	int		n;

	for (n = 0; n < 20; n++) {
		seen = 0;
		ck_assert_int_eq(pick(TIER_FAST, 3, r[2].hash, &seen), 0);
		ck_assert_uint_eq(seen, 0xb);		/* 0, 1, 3 */
	}
}
END_TEST

/* a router excluded (a reply tunnel's gateway) is never a hop either */
START_TEST(test_exclude)
{
	struct select_req	 req;
	struct build		 b;
	int			 n, i;

	memset(&req, 0, sizeof(req));
	req.self = r[2].hash;
	req.exclude = r[1].hash;
	req.order_key = key;
	req.tier_best = TIER_FAST;
	req.tier_worst = TIER_OK;
	req.length = 2;
	for (n = 0; n < 20; n++) {
		memset(&b, 0, sizeof(b));
		ck_assert_int_eq(select_hops(&req, &b), 0);
		for (i = 0; i < 2; i++) {
			ck_assert_int_ne(router_of(b.hops[i].hash), 1);
			ck_assert_int_ne(router_of(b.hops[i].hash), 2);
			ck_assert_int_lt(router_of(b.hops[i].hash), 4);
		}
	}
}
END_TEST

/* exploratory: never the failing one while others are left */
START_TEST(test_exploratory_not_failing)
{
	uint32_t	seen, all = 0;
	int		n;

	for (n = 0; n < 100; n++) {
		seen = 0;
		ck_assert_int_eq(pick(TIER_OK, 3, NULL, &seen), 0);
		ck_assert_uint_eq(seen & (1u << 9), 0);
		all |= seen;
	}
	/* from every tier above failing, not the fast ones alone */
	ck_assert_uint_ne(all & ~0xfu, 0);
}
END_TEST

/*
 * Three routers, one failing: exploratory pools take it only for a
 * third hop, client ones never.
 */
START_TEST(test_failing_last)
{
	struct select_req	 req;
	struct build		 b;
	int			 i, n;

	rtr_netdb_teardown();
	rtr_netdb_setup();
	profile_clear();
	for (i = 0; i < 3; i++)
		hop_router(&r[i], "0.9.57", "LR");
	events(2, PEV_NO_REPLY, 5, 0);
	profile_recompute(time(NULL));
	memset(&req, 0, sizeof(req));
	req.order_key = key;
	req.tier_best = TIER_OK;
	req.tier_worst = TIER_FAILING;
	req.length = 2;
	for (n = 0; n < 20; n++) {
		memset(&b, 0, sizeof(b));
		ck_assert_int_eq(select_hops(&req, &b), 0);
		ck_assert_int_ne(router_of(b.hops[0].hash), 2);
		ck_assert_int_ne(router_of(b.hops[1].hash), 2);
	}
	req.length = 3;
	ck_assert_int_eq(select_hops(&req, &b), 0);
	/* client pools stop at "not failing" */
	req.tier_best = TIER_FAST;
	req.tier_worst = TIER_OK;
	ck_assert_int_eq(select_hops(&req, &b), -1);
	req.length = 2;
	ck_assert_int_eq(select_hops(&req, &b), 0);
	req.tier_best = TIER_OK;
	req.tier_worst = TIER_FAILING;
	req.length = 4;
	ck_assert_int_eq(select_hops(&req, &b), -1);
	req.length = BUILD_HOPS_MAX + 1;	/* more than a build holds */
	ck_assert_int_eq(select_hops(&req, &b), -1);
}
END_TEST

/* a hop already chosen (a kept gateway) stays first; the rest follow */
START_TEST(test_first_kept)
{
	struct select_req	 req;
	struct build		 b;
	size_t			 i;

	memset(&req, 0, sizeof(req));
	memset(&b, 0, sizeof(b));
	memcpy(b.hops[0].hash, r[8].hash, 32);
	req.order_key = key;
	req.tier_best = TIER_FAST;
	req.tier_worst = TIER_OK;
	req.first = 1;
	req.length = 3;
	ck_assert_int_eq(select_hops(&req, &b), 0);
	ck_assert_int_eq(router_of(b.hops[0].hash), 8);
	for (i = 1; i < 3; i++)
		ck_assert_int_lt(router_of(b.hops[i].hash), 4);
	ck_assert(xor_before(b.hops[1].hash, b.hops[2].hash));
}
END_TEST

START_TEST(test_version)
{
	ck_assert_int_eq(select_version("0.9.58"), HOP_SHORT);
	ck_assert_int_eq(select_version("0.9.51"), HOP_SHORT);
	ck_assert_int_eq(select_version("0.10"), HOP_SHORT);
	ck_assert_int_eq(select_version("1.0.0"), HOP_SHORT);
	ck_assert_int_eq(select_version("0.9.50"), HOP_LONG);
	ck_assert_int_eq(select_version("0.9.48"), HOP_LONG);
	ck_assert_int_eq(select_version("0.9.47"), 0);
	ck_assert_int_eq(select_version("0.9"), 0);
	ck_assert_int_eq(select_version("garbage"), 0);
	ck_assert_int_eq(select_version(""), 0);
	ck_assert_int_eq(select_version(NULL), 0);
}
END_TEST

/*
 * Only routers that refuse tunnels now (E, G), are too old, or take
 * long records are added: the first two are never hops, the last makes
 * the build one of long records.
 */
START_TEST(test_unusable_and_long)
{
	static struct rtr	 odd[5];
	struct router_info	*ri = malloc(sizeof(*ri));
	struct select_req	 req;
	struct build		 b;
	uint8_t			 pub[32];
	int			 i;

	rtr_netdb_teardown();
	rtr_netdb_setup();
	hop_router(&odd[0], "0.9.57", "LE");
	hop_router(&odd[1], "0.9.57", "LG");
	hop_router(&odd[2], "0.9.45", "LR");
	hop_router(&odd[3], "0.9.49", "LR");
	hop_router(&odd[4], "0.9.57", "LU");	/* nobody can connect */
	ck_assert_ptr_nonnull(ri);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(select_usable(odd[i].hash, ri, pub), 0);
	ck_assert_int_eq(select_usable(odd[4].hash, ri, pub), 0);
	ck_assert_int_eq(select_usable(odd[3].hash, ri, pub), HOP_LONG);
	free(ri);
	memset(&req, 0, sizeof(req));
	memset(&b, 0, sizeof(b));
	req.order_key = key;
	req.tier_best = TIER_FAST;
	req.tier_worst = TIER_OK;
	req.length = 1;
	ck_assert_int_eq(select_hops(&req, &b), 0);
	ck_assert_mem_eq(b.hops[0].hash, odd[3].hash, 32);
	ck_assert_int_eq(b.long_recs, 1);
	req.length = 2;
	ck_assert_int_eq(select_hops(&req, &b), -1);
}
END_TEST

static Suite *
select_suite(void)
{
	Suite	*s = suite_create("select");
	TCase	*tc = tcase_create("select");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_tiers_as_set_up);
	tcase_add_test(tc, test_client_fast_only);
	tcase_add_test(tc, test_client_falls_one_tier);
	tcase_add_test(tc, test_never_self);
	tcase_add_test(tc, test_exclude);
	tcase_add_test(tc, test_exploratory_not_failing);
	tcase_add_test(tc, test_failing_last);
	tcase_add_test(tc, test_first_kept);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_unusable_and_long);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(select_suite());
}
