/*
 * The netDb (routerd/netdb.c): what it keeps and refuses, persistence
 * across a restart, damaged files, and the closest-routers search.
 * Runs in a temporary directory: the netDb lives under ./netDb.
 */
#include <bsd/string.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "../../routerd/dsm.h"
#include "../../routerd/kad.h"
#include "../../routerd/routerd.h"
#include "rtr.h"
#include "unit.h"

START_TEST(test_store_rules)
{
	static struct rtr	 r, other;
	const char		*why;
	uint64_t		 now = (uint64_t)time(NULL) * 1000;

	rtr_new(&r, 0);
	ck_assert_int_eq(netdb_store(r.raw, r.len, NULL, NULL, 0, &why), 1);
	ck_assert_ptr_nonnull(netdb_get(r.hash));
	/* the same again: not newer */
	ck_assert_int_eq(netdb_store(r.raw, r.len, NULL, NULL, 0, &why), 0);
	/* newer, but its signature broken: refused, the old one kept */
	rtr_sign(&r, 0, NETID, now);
	r.raw[r.len - 1] ^= 1;
	ck_assert_int_eq(netdb_store(r.raw, r.len, NULL, NULL, 0, &why), -1);
	ck_assert_str_eq(why, "bad signature");
	ck_assert_uint_lt(netdb_get(r.hash)->published, now);
	r.raw[r.len - 1] ^= 1;
	ck_assert_int_eq(netdb_store(r.raw, r.len, NULL, NULL, 0, &why), 1);
	ck_assert_uint_eq(netdb_get(r.hash)->published, now);
	/* not the router the session proved */
	rtr_new(&other, 0);
	ck_assert_int_eq(netdb_store(other.raw, other.len, r.hash, NULL, 0,
	    &why), -1);
	ck_assert_str_eq(why, "not the router it claims to be");
	/* another network; the future */
	rtr_sign(&other, 0, 2, now);
	ck_assert_int_eq(netdb_store(other.raw, other.len, NULL, NULL, 0,
	    &why), -1);
	ck_assert_str_eq(why, "wrong netId");
	rtr_sign(&other, 0, NETID, now + 3600 * 1000);
	ck_assert_int_eq(netdb_store(other.raw, other.len, NULL, NULL, 0,
	    &why), -1);
	ck_assert_str_eq(why, "published in the future");
	ck_assert_int_eq(netdb_store(other.raw, 100, NULL, NULL, 0, &why), -1);
	ck_assert_str_eq(why, "malformed");
	ck_assert_uint_eq(netdb_count(NULL), 1);
}
END_TEST

/* the gzip a floodfill sends: made once, inflates to the RouterInfo */
START_TEST(test_gz)
{
	static struct rtr	 r;
	const struct ri_entry	*e;
	const uint8_t		*gz, *again;
	uint8_t			 out[RI_MAXLEN];
	const char		*why;
	size_t			 len, len2, outlen;

	rtr_new(&r, 1);
	ck_assert_int_eq(netdb_store(r.raw, r.len, NULL, NULL, 0, &why), 1);
	ck_assert_ptr_nonnull(e = netdb_get(r.hash));
	ck_assert_ptr_nonnull(gz = netdb_gz(e, &len));
	ck_assert_ptr_nonnull(again = netdb_gz(e, &len2));
	ck_assert_ptr_eq(gz, again);
	ck_assert_uint_eq(len, len2);
	ck_assert_int_eq(gzip_inflate(out, sizeof(out), &outlen, gz, len), 0);
	ck_assert_uint_eq(outlen, r.len);
	ck_assert_mem_eq(out, r.raw, r.len);
}
END_TEST

START_TEST(test_restart_and_damage)
{
	static struct rtr	 r[5];
	const char		*why;
	char			 b64[B64_ENCLEN(32)], path[256];
	size_t			 i, ff;
	FILE			*f;

	for (i = 0; i < 5; i++) {
		rtr_new(&r[i], i < 2);
		ck_assert_int_eq(netdb_store(r[i].raw, r[i].len, NULL, NULL, 1,
		    &why), 1);
	}
	ck_assert_uint_eq(netdb_count(&ff), 5);
	ck_assert_uint_eq(ff, 2);
	/* damage one file: the restart skips it and keeps the others */
	b64_encode(b64, sizeof(b64), r[4].hash, 32);
	snprintf(path, sizeof(path), "netDb/r%c/routerInfo-%s.dat", b64[0],
	    b64);
	ck_assert_ptr_nonnull(f = fopen(path, "r+b"));
	fseek(f, 100, SEEK_SET);
	fputc(0xff ^ r[4].raw[100], f);
	fclose(f);
	netdb_shutdown();
	ck_assert_uint_eq(netdb_count(NULL), 0);
	netdb_load(NETID);
	ck_assert_uint_eq(netdb_count(&ff), 4);
	ck_assert_uint_eq(ff, 2);
	for (i = 0; i < 4; i++)
		ck_assert_ptr_nonnull(netdb_get(r[i].hash));
	ck_assert_ptr_null(netdb_get(r[4].hash));
}
END_TEST

/* RouterInfos not republished in time go, files too, never below 90 */
START_TEST(test_expire)
{
	static struct rtr	 r[100];
	const char		*why;
	char			 b64[B64_ENCLEN(32)], path[256];
	uint64_t		 now = (uint64_t)time(NULL) * 1000;
	size_t			 i, ff;

	for (i = 0; i < 100; i++) {
		/* 95 published 2 hours ago, 5 a minute ago */
		rtr_make(&r[i], i < 10, now - (i < 95 ? 7200 : 60) * 1000ULL);
		ck_assert_int_eq(netdb_store(r[i].raw, r[i].len, NULL, NULL, 1,
		    &why), 1);
	}
	/* as a plain router, 2 hours is well within the limit */
	ck_assert_uint_eq(netdb_expire(now, 0), 0);
	/* as a floodfill (1 hour), old ones go until 90 are left */
	ck_assert_uint_eq(netdb_expire(now, 1), 10);
	ck_assert_uint_eq(netdb_count(&ff), 90);
	for (i = 95; i < 100; i++)
		ck_assert_ptr_nonnull(netdb_get(r[i].hash));
	/* what went is gone from the directory too */
	for (i = 0; i < 95; i++) {
		if (netdb_get(r[i].hash) != NULL)
			continue;
		b64_encode(b64, sizeof(b64), r[i].hash, 32);
		snprintf(path, sizeof(path), "netDb/r%c/routerInfo-%s.dat",
		    b64[0], b64);
		ck_assert_int_eq(access(path, F_OK), -1);
	}
	/* a day and more later, as a plain router: still 90 kept */
	ck_assert_uint_eq(netdb_expire(now + 28 * 3600 * 1000ULL, 0), 0);
	ck_assert_uint_eq(netdb_count(NULL), 90);
}
END_TEST

static uint8_t	skip_hash[32];

static int
skip_one(const uint8_t hash[32], void *arg)
{
	(void)arg;
	return memcmp(hash, skip_hash, 32) == 0;
}

/* closest floodfills and non-floodfills against a brute-force answer */
START_TEST(test_closest)
{
	static struct rtr	 r[40];
	struct kad_near		 near[8];
	uint8_t			 key[32], target[32], rk[32], best[32];
	const char		*why;
	size_t			 i, n;
	int			 have;

	for (i = 0; i < 40; i++) {
		rtr_new(&r[i], i % 4 == 0);
		ck_assert_int_eq(netdb_store(r[i].raw, r[i].len, NULL, NULL, 0,
		    &why), 1);
	}
	crypto_random(key, sizeof(key));
	kad_routing_key(target, key, kad_day(time(NULL)));
	n = netdb_closest(key, NETDB_FF, NULL, NULL, near, 8);
	ck_assert_uint_eq(n, 8);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(netdb_get(near[i].hash)->floodfill, 1);
	/* the closest floodfill by brute force is first */
	have = 0;
	for (i = 0; i < 40; i += 4) {
		kad_routing_key(rk, r[i].hash, kad_day(time(NULL)));
		if (!have || kad_cmp(target, rk, best) < 0)
			memcpy(best, rk, 32);
		have = 1;
	}
	ck_assert_mem_eq(near[0].rkey, best, 32);
	/* leaving the closest out moves the second up */
	memcpy(skip_hash, near[0].hash, 32);
	memcpy(rk, near[1].hash, 32);
	ck_assert_uint_eq(netdb_closest(key, NETDB_FF, skip_one, NULL, near,
	    3), 3);
	ck_assert_mem_eq(near[0].hash, rk, 32);
	n = netdb_closest(key, NETDB_NONFF, NULL, NULL, near, 8);
	ck_assert_uint_eq(n, 8);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(netdb_get(near[i].hash)->floodfill, 0);
}
END_TEST

/*
 * New versions from one peer: a burst, then refused before the
 * signature is checked; versions we hold already cost nothing.
 */
START_TEST(test_store_rate)
{
	static struct rtr	 r;
	struct netdb_stats	 st;
	const uint8_t		 peer[32] = { 7 };
	const char		*why;
	uint64_t		 pub = (uint64_t)time(NULL) * 1000 - 60000;
	int			 i, kept = 0;

	rtr_make(&r, 0, pub);
	for (i = 1; i <= NETDB_STORE_BURST + 10; i++) {
		rtr_sign(&r, 0, NETID, pub + i);
		if (netdb_store(r.raw, r.len, NULL, peer, 0, &why) == 1)
			kept++;
	}
	netdb_stats(&st);
	ck_assert_int_lt(kept, NETDB_STORE_BURST + 10);
	ck_assert_int_ge(kept, NETDB_STORE_BURST);
	ck_assert_uint_eq(st.stores_throttled, NETDB_STORE_BURST + 10 - kept);
	ck_assert_str_eq(why, "over the store rate");
	/* the version held, again: not newer, no token needed */
	rtr_sign(&r, 0, NETID, netdb_get(r.hash)->published);
	ck_assert_int_eq(netdb_store(r.raw, r.len, NULL, peer, 0, &why), 0);
	/* another sender, or ourselves (NULL), still get through */
	rtr_sign(&r, 0, NETID, pub + 1000);
	ck_assert_int_eq(netdb_store(r.raw, r.len, NULL, NULL, 0, &why), 1);
}
END_TEST

static size_t
file_of(const uint8_t hash[32], uint8_t *buf, size_t len)
{
	char	 b64[B64_ENCLEN(32)], path[256];
	FILE	*f;
	size_t	 n;

	b64_encode(b64, sizeof(b64), hash, 32);
	snprintf(path, sizeof(path), "netDb/r%c/routerInfo-%s.dat", b64[0],
	    b64);
	ck_assert_ptr_nonnull(f = fopen(path, "rb"));
	n = fread(buf, 1, len, f);
	fclose(f);
	return n;
}

/* only "published" changed: the file is written ten minutes later */
START_TEST(test_rewrite_later)
{
	static struct rtr	 r, first;
	struct netdb_stats	 st;
	uint8_t			 buf[RI_MAXLEN];
	const char		*why;
	uint64_t		 now = (uint64_t)time(NULL) * 1000;

	rtr_make(&r, 0, now - 60000);
	first = r;
	ck_assert_int_eq(netdb_store(r.raw, r.len, NULL, NULL, 1, &why), 1);
	rtr_sign(&r, 0, NETID, now - 30000);
	ck_assert_int_eq(netdb_store(r.raw, r.len, NULL, NULL, 1, &why), 1);
	netdb_stats(&st);
	ck_assert_uint_eq(st.writes_deferred, 1);
	ck_assert_uint_eq(file_of(r.hash, buf, sizeof(buf)), first.len);
	ck_assert_mem_eq(buf, first.raw, first.len);
	/* the next expiry pass after NETDB_REWRITE writes it */
	netdb_expire(now + (NETDB_REWRITE - 5) * 1000ULL, 0);
	ck_assert_uint_eq(file_of(r.hash, buf, sizeof(buf)), first.len);
	ck_assert_mem_eq(buf, first.raw, first.len);
	netdb_expire(now + (NETDB_REWRITE + 5) * 1000ULL, 0);
	ck_assert_uint_eq(file_of(r.hash, buf, sizeof(buf)), r.len);
	ck_assert_mem_eq(buf, r.raw, r.len);
	/* another change (now a floodfill) is written at once */
	rtr_sign(&r, 1, NETID, now - 20000);
	ck_assert_int_eq(netdb_store(r.raw, r.len, NULL, NULL, 1, &why), 1);
	ck_assert_uint_eq(file_of(r.hash, buf, sizeof(buf)), r.len);
	ck_assert_mem_eq(buf, r.raw, r.len);
	/* put off, then the router stops: written at shutdown */
	rtr_sign(&r, 1, NETID, now - 10000);
	ck_assert_int_eq(netdb_store(r.raw, r.len, NULL, NULL, 1, &why), 1);
	netdb_shutdown();
	ck_assert_uint_eq(file_of(r.hash, buf, sizeof(buf)), r.len);
	ck_assert_mem_eq(buf, r.raw, r.len);
}
END_TEST

/* a full netDb makes room: the RouterInfo published longest ago goes */
START_TEST(test_full)
{
	static struct rtr	 r, oldest;
	struct netdb_stats	 st;
	const char		*why;
	uint64_t		 now = (uint64_t)time(NULL) * 1000;
	size_t			 i;

	rtr_make(&oldest, 0, now - 7200 * 1000);
	ck_assert_int_eq(netdb_store(oldest.raw, oldest.len, NULL, NULL, 1,
	    &why), 1);
	for (i = 1; i < NETDB_MAX; i++) {
		rtr_make(&r, 0, now - 60000 + i);
		ck_assert_int_eq(netdb_store(r.raw, r.len, NULL, NULL, 0,
		    &why), 1);
	}
	ck_assert_uint_eq(netdb_count(NULL), NETDB_MAX);
	rtr_make(&r, 0, now - 1000);
	ck_assert_int_eq(netdb_store(r.raw, r.len, NULL, NULL, 0, &why), 1);
	ck_assert_uint_eq(netdb_count(NULL), NETDB_MAX);
	ck_assert_ptr_nonnull(netdb_get(r.hash));
	ck_assert_ptr_null(netdb_get(oldest.hash));
	netdb_stats(&st);
	ck_assert_uint_eq(st.ri_evicted, 1);
	/* its file went with it */
	netdb_shutdown();
	netdb_load(NETID);
	ck_assert_uint_eq(netdb_count(NULL), 0);
}
END_TEST

static Suite *
netdb_suite(void)
{
	Suite	*s = suite_create("netdb");
	TCase	*tc = tcase_create("netdb");

	tcase_add_checked_fixture(tc, rtr_netdb_setup, rtr_netdb_teardown);
	tcase_add_test(tc, test_store_rules);
	tcase_add_test(tc, test_gz);
	tcase_add_test(tc, test_restart_and_damage);
	tcase_add_test(tc, test_closest);
	tcase_add_test(tc, test_expire);
	tcase_add_test(tc, test_store_rate);
	tcase_add_test(tc, test_rewrite_later);
	suite_add_tcase(s, tc);
	/* 20,000 RouterInfos made, signed and verified take seconds */
	tc = tcase_create("full");
	tcase_add_checked_fixture(tc, rtr_netdb_setup, rtr_netdb_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_full);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(netdb_suite());
}
