/*
 * Remote destinations' LeaseSets in tunneld (tunneld/lscache.c):
 * lookups through routerd shared per name, answers to every waiter,
 * per-client separation, misses remembered, limits, and LeaseSets
 * bundled in garlic.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "../../tunneld/lscache.h"
#include "unit.h"

#define NOW	1700000000

struct remote {
	uint8_t			 seed[32];
	struct i2p_ident	 ident;
	uint8_t			 enc_pub[32];
};

static struct ls_lookup	 asked[64];
static int		 nasked;

struct answer {
	uint32_t		 owner;
	uint64_t		 cookie;
	enum lscache_result	 res;
	uint32_t		 published;
};
static struct answer	 answers[512];
static int		 nanswers;

static void
op_lookup(const struct ls_lookup *l)
{
	ck_assert_int_lt(nasked, 64);
	asked[nasked++] = *l;
}

static const struct lscache_ops ops = { .lookup = op_lookup };

static void
cb(uint32_t owner, uint64_t cookie, enum lscache_result res,
    const struct lsremote *ls)
{
	ck_assert_int_lt(nanswers, 512);
	answers[nanswers].owner = owner;
	answers[nanswers].cookie = cookie;
	answers[nanswers].res = res;
	answers[nanswers].published = ls != NULL ? ls->published : 0;
	ck_assert_int_eq(res == LSC_FOUND, ls != NULL);
	nanswers++;
}

static void
remote_make(struct remote *r)
{
	uint8_t	pub[32], priv[32];

	crypto_random_fill(r->seed, sizeof(r->seed));
	ck_assert_int_eq(ed25519_public(pub, r->seed), 0);
	ck_assert_int_eq(x25519_keygen(priv, r->enc_pub), 0);
	ck_assert_int_eq(ident_build(&r->ident, IDENT_DEST, r->enc_pub, pub,
	    NULL), 0);
}

static int
sign_seed(void *arg, const uint8_t *m, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, m, len);
}

/* a signed LeaseSet2 of r's: published, two leases ending at end */
static size_t
ls_make(const struct remote *r, uint32_t published, int64_t end,
    int with_x25519, uint8_t *out)
{
	struct leaseset2	*ls = calloc(1, sizeof(*ls));
	struct i2p_err		 err;
	uint8_t			 elg[256];
	size_t			 n, i;

	ls2_init(ls);
	ls->dest = r->ident;
	ls->published = published;
	ls->expires = 600;
	if (with_x25519)
		ck_assert_int_eq(ls2_add_key(ls, CRYPTOTYPE_X25519,
		    r->enc_pub, 32, &err), 0);
	else {
		memset(elg, 7, sizeof(elg));
		ck_assert_int_eq(ls2_add_key(ls, CRYPTOTYPE_ELGAMAL, elg,
		    sizeof(elg), &err), 0);
	}
	for (i = 0; i < 2; i++) {
		memset(ls->leases[i].gateway, 0x40 + (int)i, 32);
		ls->leases[i].tunnel_id = 77 + (uint32_t)i;
		ls->leases[i].end_date = (uint32_t)end;
	}
	ls->nleases = 2;
	ck_assert_int_eq(ls2_sign(ls, sign_seed, (void *)r->seed, &err), 0);
	memcpy(out, ls->raw, ls->rawlen);
	n = ls->rawlen;
	free(ls);
	return n;
}

static void
found(const struct ls_lookup *l, uint8_t type, const uint8_t *raw,
    size_t len)
{
	struct ls_found	 f;
	const char	*why;

	memset(&f, 0, sizeof(f));
	f.client = l->client;
	f.reqid = l->reqid;
	memcpy(f.key, l->key, 32);
	f.type = type;
	ck_assert_int_eq(lscache_found(&f, raw, len, NOW, &why), 0);
}

static void
setup(void)
{
	ck_assert_int_eq(crypto_init(), 0);
	lscache_init(&ops);
	nasked = nanswers = 0;
}

static void
teardown(void)
{
	lscache_free_all();
}

START_TEST(test_lookup_shared)
{
	struct remote		 r;
	const struct lsremote	*ls = NULL;
	uint8_t			 raw[LS2_MAXLEN];
	size_t			 n;

	remote_make(&r);
	ck_assert_int_eq(lscache_get(1, r.ident.hash, NOW, cb, 10, 1, &ls), 0);
	ck_assert_int_eq(lscache_get(1, r.ident.hash, NOW, cb, 11, 2, &ls), 0);
	/* one lookup for both */
	ck_assert_int_eq(nasked, 1);
	ck_assert_uint_eq(asked[0].client, 1);
	ck_assert_mem_eq(asked[0].key, r.ident.hash, 32);
	ck_assert_int_eq(nanswers, 0);
	n = ls_make(&r, NOW - 10, NOW + 500, 1, raw);
	found(&asked[0], 3, raw, n);
	ck_assert_int_eq(nanswers, 2);
	ck_assert_int_eq(answers[0].res, LSC_FOUND);
	ck_assert_uint_eq(answers[1].owner, 11);
	ck_assert_uint_eq(answers[1].cookie, 2);
	ck_assert_uint_eq(answers[1].published, NOW - 10);
	/* now cached, at once */
	ck_assert_int_eq(lscache_get(1, r.ident.hash, NOW, cb, 12, 3, &ls), 1);
	ck_assert_ptr_nonnull(ls);
	ck_assert_mem_eq(ls->enc_pub, r.enc_pub, 32);
	ck_assert_uint_eq(ls->nleases, 2);
	ck_assert_uint_eq(ls->leases[1].tunnel_id, 78);
	ck_assert_int_eq(nasked, 1);
	/* another client knows nothing of it */
	ck_assert_int_eq(lscache_get(2, r.ident.hash, NOW, cb, 13, 4, &ls), 0);
	ck_assert_int_eq(nasked, 2);
	ck_assert_uint_eq(lscache_count(1), 1);
	/* expired: looked up again */
	ck_assert_int_eq(lscache_get(1, r.ident.hash, NOW + 600, cb, 12, 5,
	    &ls), 0);
	ck_assert_int_eq(nasked, 3);
}
END_TEST

START_TEST(test_misses)
{
	struct remote		 r, other;
	const struct lsremote	*ls;
	uint8_t			 raw[LS2_MAXLEN];
	size_t			 n;

	remote_make(&r);
	remote_make(&other);
	lscache_get(1, r.ident.hash, NOW, cb, 1, 1, &ls);
	found(&asked[0], 0, NULL, 0);
	ck_assert_int_eq(answers[0].res, LSC_NOT_FOUND);
	/* remembered for a while, then asked again */
	lscache_get(1, r.ident.hash, NOW + 1, cb, 1, 2, &ls);
	ck_assert_int_eq(nasked, 1);
	ck_assert_int_eq(answers[1].res, LSC_NOT_FOUND);
	lscache_get(1, r.ident.hash, NOW + LSCACHE_NEG_TTL, cb, 1, 3, &ls);
	ck_assert_int_eq(nasked, 2);
	/* someone else's LeaseSet under this key: unusable */
	n = ls_make(&other, NOW, NOW + 500, 1, raw);
	found(&asked[1], 3, raw, n);
	ck_assert_int_eq(answers[2].res, LSC_UNUSABLE);
	/* no X25519 key: unusable */
	lscache_get(1, other.ident.hash, NOW, cb, 1, 4, &ls);
	n = ls_make(&other, NOW, NOW + 500, 0, raw);
	found(&asked[2], 3, raw, n);
	ck_assert_int_eq(answers[3].res, LSC_UNUSABLE);
	/* a bad signature */
	remote_make(&other);
	lscache_get(1, other.ident.hash, NOW, cb, 1, 5, &ls);
	n = ls_make(&other, NOW, NOW + 500, 1, raw);
	raw[n - 1] ^= 1;
	found(&asked[3], 3, raw, n);
	ck_assert_int_eq(answers[4].res, LSC_UNUSABLE);
	/* old-style LeaseSet types are not for us */
	remote_make(&other);
	lscache_get(1, other.ident.hash, NOW, cb, 1, 6, &ls);
	found(&asked[4], 1, raw, n);
	ck_assert_int_eq(answers[5].res, LSC_UNUSABLE);
	/* all leases dead: unusable */
	remote_make(&other);
	lscache_get(1, other.ident.hash, NOW, cb, 1, 7, &ls);
	n = ls_make(&other, NOW - 100, NOW - 1, 1, raw);
	found(&asked[5], 3, raw, n);
	ck_assert_int_eq(answers[6].res, LSC_UNUSABLE);
}
END_TEST

START_TEST(test_stale_and_bad_answers)
{
	struct remote		 r;
	const struct lsremote	*ls;
	struct ls_found		 f;
	const char		*why;
	uint8_t			 raw[8] = { 0 };

	remote_make(&r);
	lscache_get(1, r.ident.hash, NOW, cb, 1, 1, &ls);
	memset(&f, 0, sizeof(f));
	f.client = 1;
	f.reqid = asked[0].reqid + 1;
	memcpy(f.key, r.ident.hash, 32);
	/* another request's answer is dropped */
	ck_assert_int_eq(lscache_found(&f, NULL, 0, NOW, &why), 0);
	ck_assert_int_eq(nanswers, 0);
	/* bytes with "not found" are malformed */
	ck_assert_int_eq(lscache_found(&f, raw, sizeof(raw), NOW, &why), -1);
	/* routerd silent: the waiters hear "not found" at the timeout */
	lscache_expire(NOW + LSCACHE_TIMEOUT - 1);
	ck_assert_int_eq(nanswers, 0);
	lscache_expire(NOW + LSCACHE_TIMEOUT);
	ck_assert_int_eq(nanswers, 1);
	ck_assert_int_eq(answers[0].res, LSC_NOT_FOUND);
	/* its late answer is dropped */
	f.reqid = asked[0].reqid;
	ck_assert_int_eq(lscache_found(&f, NULL, 0, NOW, &why), 0);
	ck_assert_int_eq(nanswers, 1);
}
END_TEST

START_TEST(test_limits)
{
	struct remote		 r;
	const struct lsremote	*ls;
	uint8_t			 hash[32];
	int			 i;

	/* lookups in flight per client */
	for (i = 0; i < LSCACHE_PENDING_PER_CLIENT + 1; i++) {
		memset(hash, 0, sizeof(hash));
		hash[0] = (uint8_t)i;
		lscache_get(1, hash, NOW, cb, 1, (uint64_t)i, &ls);
	}
	ck_assert_int_eq(nasked, LSCACHE_PENDING_PER_CLIENT);
	ck_assert_int_eq(nanswers, 1);
	ck_assert_int_eq(answers[0].res, LSC_BUSY);
	/* waiters per lookup */
	remote_make(&r);
	for (i = 0; i < LSCACHE_WAITERS + 1; i++)
		lscache_get(2, r.ident.hash, NOW, cb, 2, (uint64_t)i, &ls);
	ck_assert_int_eq(nanswers, 2);
	ck_assert_int_eq(answers[1].res, LSC_BUSY);
	/* a client gone takes its lookups along, their waiters told */
	lscache_drop_client(1);
	ck_assert_uint_eq(lscache_count(1), 0);
	ck_assert_uint_eq(lscache_count(2), 1);
	ck_assert_int_eq(nanswers, 2 + LSCACHE_PENDING_PER_CLIENT);
	for (i = 2; i < nanswers; i++) {
		ck_assert_uint_eq(answers[i].owner, 1);
		ck_assert_int_eq(answers[i].res, LSC_NOT_FOUND);
	}
}
END_TEST

/* misses fill a client's share; the oldest make room */
START_TEST(test_per_client_room)
{
	const struct lsremote	*ls;
	uint8_t			 hash[32];
	int			 i;

	for (i = 0; i < LSCACHE_PER_CLIENT + 10; i++) {
		memset(hash, 0, sizeof(hash));
		hash[0] = (uint8_t)i;
		hash[1] = (uint8_t)(i >> 8);
		lscache_get(1, hash, NOW + i, cb, 1, (uint64_t)i, &ls);
		found(&asked[0], 0, NULL, 0);
		nasked = 0;
	}
	ck_assert_uint_eq(lscache_count(1), LSCACHE_PER_CLIENT);
	ck_assert_int_eq(nanswers, LSCACHE_PER_CLIENT + 10);
}
END_TEST

/* a LeaseSet from a peer's garlic: kept, answers lookups, newer only */
START_TEST(test_bundled)
{
	struct remote		 r;
	const struct lsremote	*ls;
	uint8_t			 raw[LS2_MAXLEN];
	const char		*why;
	size_t			 n;

	remote_make(&r);
	lscache_get(1, r.ident.hash, NOW, cb, 5, 9, &ls);
	n = ls_make(&r, NOW, NOW + 500, 1, raw);
	ck_assert_int_eq(lscache_put(1, r.ident.hash, 3, raw, n, NOW, &why), 0);
	ck_assert_int_eq(nanswers, 1);
	ck_assert_int_eq(answers[0].res, LSC_FOUND);
	/* routerd's later answer changes nothing */
	found(&asked[0], 0, NULL, 0);
	ck_assert_int_eq(nanswers, 1);
	ck_assert_int_eq(lscache_get(1, r.ident.hash, NOW, cb, 5, 9, &ls), 1);
	/* the same or older: not kept, not an error; newer: kept */
	ck_assert_int_eq(lscache_put(1, r.ident.hash, 3, raw, n, NOW, &why),
	    1);
	n = ls_make(&r, NOW + 5, NOW + 500, 1, raw);
	ck_assert_int_eq(lscache_put(1, r.ident.hash, 3, raw, n, NOW, &why), 0);
	ck_assert_int_eq(lscache_get(1, r.ident.hash, NOW, cb, 5, 9, &ls), 1);
	ck_assert_uint_eq(ls->published, NOW + 5);
	/* under another key: refused */
	memset(raw + 10, 0, 4);
	ck_assert_int_eq(lscache_put(1, r.ident.hash, 3, raw, n, NOW, &why),
	    -1);
}
END_TEST

static Suite *
lscache_suite(void)
{
	Suite	*s = suite_create("lscache");
	TCase	*tc = tcase_create("lscache");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_lookup_shared);
	tcase_add_test(tc, test_misses);
	tcase_add_test(tc, test_stale_and_bad_answers);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_per_client_room);
	tcase_add_test(tc, test_bundled);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(lscache_suite());
}
