/*
 * A client's LeaseSet work (routerd/clientdb.c) with fakes for the
 * netDb, the client's tunnels and tunneld, and injected time: LS_PUBLISH
 * input checks, the store / ack / verify state machine, the iterative
 * lookup (floodfill order, two in flight, seven in all, 40 s, shared
 * requests, limits), replies opened only for the client that asked.
 */
#include <check.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "../../routerd/routerd.h"
#include "../../routerd/client.h"
#include "../../routerd/dsm.h"
#include "../../routerd/kad.h"
#include "../../routerd/lookup.h"
#include "rclient.h"
#include "unit.h"

#define CLIENT		7
#define OTHER		8
#define NFF		10
#define SENT_MAX	64

struct sent {
	uint32_t	 client;
	uint8_t		 ff[32];
	uint8_t		 type;
	uint8_t		 payload[4096];
	size_t		 len;
};

static uint8_t		 ffl[NFF][32];
static int		 hidden = -1;	/* a floodfill closest() does not offer */
static struct sent	 sent[SENT_MAX];
static int		 nsent;
static int		 tunnels_up;
static struct ls_status	 statuses[16];
static int		 nstatus;
static struct ls_found	 founds[32];
static size_t		 found_len[32];
static int		 nfound;
static uint64_t		 t0;

static uint8_t		 dest_seed[32], dest_pub[32];
static struct i2p_ident	 dest;
static uint8_t		 ls_raw[LS2_MAXLEN];
static size_t		 ls_len;
static uint32_t		 ls_pub;

static int
f_send(uint32_t client, const uint8_t ff[32], const struct i2np_hdr *h,
    const uint8_t *p, size_t len)
{
	if (!tunnels_up)
		return -1;
	ck_assert_int_lt(nsent, SENT_MAX);
	ck_assert_uint_le(len, sizeof(sent[0].payload));
	sent[nsent].client = client;
	memcpy(sent[nsent].ff, ff, 32);
	sent[nsent].type = h->type;
	memcpy(sent[nsent].payload, p, len);
	sent[nsent].len = len;
	nsent++;
	return 0;
}

static int
f_reply_path(uint32_t client, uint8_t gw[32], uint32_t *tid)
{
	if (!tunnels_up)
		return -1;
	memset(gw, 0x99, 32);
	*tid = 1234;
	return 0;
}

static size_t
f_closest(const uint8_t key[32], int (*skip)(const uint8_t [32], void *),
    void *arg, struct kad_near *near, size_t max)
{
	struct kad_closest	c;
	uint8_t			target[32], rkey[32];
	uint32_t		day = kad_day(t0 / 1000);
	int			i;

	kad_routing_key(target, key, day);
	kad_closest_init(&c, target, near, max);
	for (i = 0; i < NFF; i++) {
		if (i == hidden || (skip != NULL && skip(ffl[i], arg)))
			continue;
		kad_routing_key(rkey, ffl[i], day);
		kad_closest_offer(&c, rkey, ffl[i]);
	}
	return c.n;
}

static int
f_is_floodfill(const uint8_t hash[32])
{
	int	i;

	for (i = 0; i < NFF; i++)
		if (memcmp(ffl[i], hash, 32) == 0)
			return 1;
	return 0;
}

static void
f_status(const struct ls_status *s)
{
	ck_assert_int_lt(nstatus, 16);
	statuses[nstatus++] = *s;
}

static void
f_found(const struct ls_found *f, const uint8_t *ls, size_t len)
{
	ck_assert_int_lt(nfound, 32);
	ck_assert_int_eq(f->type == 0, ls == NULL);
	found_len[nfound] = len;
	founds[nfound++] = *f;
}

static const struct clientdb_ops fakes = {
	f_send, f_reply_path, f_closest, f_is_floodfill, f_status, f_found
};

static int
sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

/* a signed LeaseSet2 of the test destination */
static void
make_ls(uint32_t published)
{
	static struct leaseset2	ls;
	uint8_t			x[32];

	ls2_init(&ls);
	ls.dest = dest;
	ls.published = published;
	ls.expires = 600;
	memset(x, 0x55, sizeof(x));
	ck_assert_int_eq(ls2_add_key(&ls, CRYPTOTYPE_X25519, x, sizeof(x),
	    NULL), 0);
	ls.nleases = 1;
	memset(ls.leases[0].gateway, 0xa0, 32);
	ls.leases[0].tunnel_id = 77;
	ls.leases[0].end_date = published + 600;
	ck_assert_int_eq(ls2_sign(&ls, sign_cb, dest_seed, NULL), 0);
	memcpy(ls_raw, ls.raw, ls.rawlen);
	ls_len = ls.rawlen;
	ls_pub = published;
}

static void
setup(void)
{
	int	i;

	t0 = (uint64_t)time(NULL) * 1000;
	for (i = 0; i < NFF; i++)
		crypto_random_fill(ffl[i], 32);
	hidden = -1;
	nsent = nstatus = nfound = 0;
	tunnels_up = 1;
	ck_assert_int_eq(ed25519_keygen(dest_seed, dest_pub), 0);
	ck_assert_int_eq(ident_build(&dest, IDENT_DEST, NULL, dest_pub, NULL),
	    0);
	make_ls(t0 / 1000 - 10);
	clientdb_init(&fakes, 0);
	rclient_open(CLIENT, dest.hash);
	rclient_open(OTHER, NULL);
}

static void
teardown(void)
{
	clientdb_shutdown();
	tunnels_shutdown();
}

static int
publish(uint32_t client, uint8_t type, const uint8_t *key, uint32_t pub,
    const uint8_t *ls, size_t len, uint64_t now, const char **why)
{
	struct ls_publish	lp;

	memset(&lp, 0, sizeof(lp));
	lp.client = client;
	lp.type = type;
	memcpy(lp.key, key, 32);
	lp.published = pub;
	return clientdb_publish(&lp, ls, len, now, why);
}

static int
publish_ok(uint64_t now)
{
	const char	*why = NULL;
	int		 rv;

	rv = publish(CLIENT, 3, dest.hash, ls_pub, ls_raw, ls_len, now, &why);
	if (rv != 0)
		ck_abort_msg("publish: %s", why);
	return rv;
}

/* the index of a floodfill among ffl, in order of closeness to key */
static int
nth_closest(const uint8_t key[32], int n)
{
	struct kad_near	near[NFF];
	size_t		i, got;

	got = f_closest(key, NULL, NULL, near, NFF);
	ck_assert_uint_gt(got, (size_t)n);
	for (i = 0; i < NFF; i++)
		if (memcmp(ffl[i], near[n].hash, 32) == 0)
			return i;
	ck_abort();
	return -1;
}

static void
parse_store(const struct sent *s, struct dsm *d)
{
	const char	*why;

	ck_assert_uint_eq(s->type, I2NP_DATABASE_STORE);
	ck_assert_int_eq(dsm_parse(d, s->payload, s->len, &why), 0);
}

static void
delivery_status(uint8_t out[12], uint32_t id)
{
	struct wbuf	w;

	wbuf_init_fixed(&w, out, 12);
	wbuf_put_u32(&w, id);
	wbuf_put_u64(&w, t0);
}

START_TEST(test_publish_rejects)
{
	const char	*why;
	uint8_t		 bad[LS2_MAXLEN], key[32];

	ck_assert_int_eq(publish(CLIENT, 1, dest.hash, ls_pub, ls_raw, ls_len,
	    t0, &why), -1);
	memset(key, 1, 32);
	ck_assert_int_eq(publish(CLIENT, 3, key, ls_pub, ls_raw, ls_len, t0,
	    &why), -1);
	ck_assert_int_eq(publish(99, 3, dest.hash, ls_pub, ls_raw, ls_len, t0,
	    &why), -1);
	/* a sound LeaseSet, but another client's destination */
	ck_assert_int_eq(publish(OTHER, 3, dest.hash, ls_pub, ls_raw, ls_len,
	    t0, &why), -1);
	ck_assert_str_eq(why, "not the client's destination");
	ck_assert_int_eq(publish(CLIENT, 3, dest.hash, ls_pub + 1, ls_raw,
	    ls_len, t0, &why), -1);
	memcpy(bad, ls_raw, ls_len);
	bad[ls_len - 1] ^= 1;
	ck_assert_int_eq(publish(CLIENT, 3, dest.hash, ls_pub, bad, ls_len, t0,
	    &why), -1);
	ck_assert_str_eq(why, "bad signature");
	ck_assert_int_eq(publish(CLIENT, 3, dest.hash, ls_pub, ls_raw,
	    ls_len - 5, t0, &why), -1);
	ck_assert_int_eq(publish(CLIENT, 3, dest.hash, ls_pub, ls_raw, 0, t0,
	    &why), -1);
	/* published more than 120 s ahead of us */
	make_ls(t0 / 1000 + 200);
	ck_assert_int_eq(publish(CLIENT, 3, dest.hash, ls_pub, ls_raw, ls_len,
	    t0, &why), -1);
	/* expired */
	make_ls(t0 / 1000 - 700);
	ck_assert_int_eq(publish(CLIENT, 3, dest.hash, ls_pub, ls_raw, ls_len,
	    t0, &why), -1);
	ck_assert_int_eq(nsent, 0);
	ck_assert_int_eq(nstatus, 0);
	/* within the skew, then not newer */
	make_ls(t0 / 1000 + 100);
	publish_ok(t0);
	ck_assert_int_eq(publish(CLIENT, 3, dest.hash, ls_pub, ls_raw, ls_len,
	    t0, &why), -1);
	ck_assert_str_eq(why, "not newer than the one held");
	ck_assert_int_eq(nsent, 1);
}
END_TEST

START_TEST(test_publish_store_ack)
{
	struct dsm	*d = malloc(sizeof(*d));
	uint8_t		 ds[12];
	int		 first = nth_closest(dest.hash, 0);

	publish_ok(t0);
	ck_assert_int_eq(nsent, 1);
	ck_assert_uint_eq(sent[0].client, CLIENT);
	ck_assert_mem_eq(sent[0].ff, ffl[first], 32);
	parse_store(&sent[0], d);
	ck_assert_uint_eq(d->type, 3);
	ck_assert_mem_eq(d->key, dest.hash, 32);
	ck_assert_uint_ne(d->reply_token, 0);
	ck_assert_uint_eq(d->reply_tunnel, 1234);
	ck_assert_uint_eq(d->reply_gateway[0], 0x99);
	ck_assert_uint_eq(d->datalen, ls_len);
	ck_assert_mem_eq(d->data, ls_raw, ls_len);
	/* another token, another client: not ours */
	delivery_status(ds, d->reply_token + 1);
	ck_assert_int_eq(clientdb_status(CLIENT, ds, sizeof(ds), t0 + 100), 0);
	delivery_status(ds, d->reply_token);
	ck_assert_int_eq(clientdb_status(OTHER, ds, sizeof(ds), t0 + 100), 0);
	ck_assert_int_eq(clientdb_status(CLIENT, ds, 3, t0 + 100), 0);
	ck_assert_int_eq(clientdb_status(CLIENT, ds, sizeof(ds), t0 + 100), 1);
	ck_assert_int_eq(nstatus, 1);
	ck_assert_uint_eq(statuses[0].state, LS_STORED);
	ck_assert_uint_eq(statuses[0].published, ls_pub);
	ck_assert_mem_eq(statuses[0].floodfill, ffl[first], 32);
	/* once */
	ck_assert_int_eq(clientdb_status(CLIENT, ds, sizeof(ds), t0 + 100), 0);
	ck_assert_uint_eq(tunnels_client_counters(CLIENT)->stores, 1);
	ck_assert_uint_eq(tunnels_client_counters(CLIENT)->store_acks, 1);
	free(d);
}
END_TEST

START_TEST(test_publish_timeouts)
{
	int	i;

	publish_ok(t0);
	clientdb_tick(t0 + CDB_STORE_WAIT - 1);
	ck_assert_int_eq(nsent, 1);
	for (i = 1; i < CDB_STORE_TRIES; i++) {
		clientdb_tick(t0 + i * CDB_STORE_WAIT);
		ck_assert_int_eq(nsent, i + 1);
		ck_assert_mem_eq(sent[i].ff, ffl[nth_closest(dest.hash, i)],
		    32);
	}
	ck_assert_int_eq(nstatus, 0);
	clientdb_tick(t0 + CDB_STORE_TRIES * CDB_STORE_WAIT);
	ck_assert_int_eq(nsent, CDB_STORE_TRIES);
	ck_assert_int_eq(nstatus, 1);
	ck_assert_uint_eq(statuses[0].state, LS_FAILED);
	/* a new round later skips the floodfills that failed lately */
	clientdb_tick(t0 + CDB_STORE_TRIES * CDB_STORE_WAIT + CDB_STORE_RETRY);
	ck_assert_int_eq(nsent, CDB_STORE_TRIES + 1);
	ck_assert_mem_eq(sent[CDB_STORE_TRIES].ff,
	    ffl[nth_closest(dest.hash, CDB_STORE_TRIES)], 32);
}
END_TEST

static void	lookup(uint32_t, uint32_t, const uint8_t [32], uint64_t);

/*
 * Every floodfill let a store time out (a young network: none has
 * tunnels to answer through yet): the next round stores all the same,
 * closest first, and a lookup still asks.
 */
START_TEST(test_publish_all_failed)
{
	uint64_t	now = t0;
	uint8_t		key[32];
	int		round, i, n;

	publish_ok(now);
	for (round = 0; round * CDB_STORE_TRIES < NFF; round++) {
		for (i = 1; i <= CDB_STORE_TRIES; i++)
			clientdb_tick(now + i * CDB_STORE_WAIT);
		now += CDB_STORE_TRIES * CDB_STORE_WAIT + CDB_STORE_RETRY;
		clientdb_tick(now);
	}
	n = nsent;
	ck_assert_int_ge(n, NFF);
	clientdb_tick(now + CDB_STORE_WAIT);
	ck_assert_int_gt(nsent, n);
	crypto_random_fill(key, sizeof(key));
	n = nsent;
	lookup(CLIENT, 9, key, now + CDB_STORE_WAIT);
	ck_assert_int_gt(nsent, n);
}
END_TEST

/* the first floodfill's ack comes after the second was asked: it counts */
START_TEST(test_publish_late_ack)
{
	struct dsm	*d = malloc(sizeof(*d));
	uint8_t		 ds[12];

	publish_ok(t0);
	parse_store(&sent[0], d);
	clientdb_tick(t0 + CDB_STORE_WAIT);
	ck_assert_int_eq(nsent, 2);
	delivery_status(ds, d->reply_token);
	ck_assert_int_eq(clientdb_status(CLIENT, ds, sizeof(ds),
	    t0 + CDB_STORE_WAIT + 500), 1);
	ck_assert_int_eq(nstatus, 1);
	ck_assert_uint_eq(statuses[0].state, LS_STORED);
	ck_assert_mem_eq(statuses[0].floodfill, sent[0].ff, 32);
	/* the second's ack then counts no more */
	parse_store(&sent[1], d);
	delivery_status(ds, d->reply_token);
	ck_assert_int_eq(clientdb_status(CLIENT, ds, sizeof(ds),
	    t0 + CDB_STORE_WAIT + 600), 0);
	free(d);
}
END_TEST

START_TEST(test_publish_waits_for_tunnels)
{
	tunnels_up = 0;
	publish_ok(t0);
	ck_assert_int_eq(nsent, 0);
	clientdb_tick(t0 + 1000);
	ck_assert_int_eq(nsent, 0);
	tunnels_up = 1;
	clientdb_tick(t0 + 2000);
	ck_assert_int_eq(nsent, 1);
	ck_assert_mem_eq(sent[0].ff, ffl[nth_closest(dest.hash, 0)], 32);
}
END_TEST

/* the reply a floodfill sends for lookup s: its cloves under its key */
static void
reply_to(const struct sent *s, uint32_t client, const uint8_t *clove_msg,
    size_t clove_len, uint8_t clove_type, uint64_t now, int expect)
{
	struct dblookup	 l;
	const char	*why;
	uint8_t		 clear[4096], out[4096 + 64];
	struct wbuf	 c, o;

	ck_assert_uint_eq(s->type, I2NP_DATABASE_LOOKUP);
	ck_assert_int_eq(dbl_parse(&l, s->payload, s->len, &why), 0);
	wbuf_init_fixed(&c, clear, sizeof(clear));
	wbuf_put_u8(&c, 11);
	wbuf_put_u16(&c, 1 + 9 + clove_len);
	wbuf_put_u8(&c, 0);
	wbuf_put_u8(&c, clove_type);
	wbuf_put_u32(&c, 1);
	wbuf_put_u32(&c, now / 1000 + 60);
	wbuf_put_bytes(&c, clove_msg, clove_len);
	ck_assert_int_eq(wbuf_error(&c), 0);
	wbuf_init_fixed(&o, out, sizeof(out));
	wbuf_put_u32(&o, 8 + wbuf_len(&c) + 16);
	wbuf_put_bytes(&o, l.reply_tag, 8);
	ck_assert_int_eq(chachapoly_encrypt(out + 12, l.reply_key, 0,
	    l.reply_tag, 8, clear, wbuf_len(&c)), 0);
	ck_assert_int_eq(clientdb_garlic(client, out, 12 + wbuf_len(&c) + 16,
	    now), expect);
}

static void
reply_ls(const struct sent *s, uint32_t client, const uint8_t *ls,
    size_t len, uint64_t now, int expect)
{
	uint8_t		buf[4096], zero[32];
	struct wbuf	w;

	memset(zero, 0, sizeof(zero));
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(dsm_build_ls(&w, dest.hash, 3, ls, len, 0, 0, zero),
	    0);
	reply_to(s, client, buf, wbuf_len(&w), I2NP_DATABASE_STORE, now,
	    expect);
}

static void
reply_dsrm(const struct sent *s, const uint8_t *peers, size_t n,
    uint64_t now)
{
	uint8_t		buf[1024];
	struct wbuf	w;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(dsrm_build(&w, dest.hash, peers, n, s->ff), 0);
	reply_to(s, CLIENT, buf, wbuf_len(&w), I2NP_DATABASE_SEARCH_REPLY, now,
	    1);
}

/* published and acked at t0; returns the verification's time */
static uint64_t
stored(void)
{
	struct dsm	*d = malloc(sizeof(*d));
	uint8_t		 ds[12];

	publish_ok(t0);
	parse_store(&sent[0], d);
	delivery_status(ds, d->reply_token);
	ck_assert_int_eq(clientdb_status(CLIENT, ds, sizeof(ds), t0), 1);
	free(d);
	clientdb_tick(t0 + CDB_VERIFY_MIN - 1);
	ck_assert_int_eq(nsent, 1);
	clientdb_tick(t0 + CDB_VERIFY_MIN + CDB_VERIFY_SPREAD);
	ck_assert_int_eq(nsent, 3);
	return t0 + CDB_VERIFY_MIN + CDB_VERIFY_SPREAD;
}

START_TEST(test_verify_ok)
{
	uint64_t	 t = stored();
	struct dblookup	 l;
	const char	*why;
	int		 i;

	for (i = 1; i < 3; i++) {
		ck_assert_mem_ne(sent[i].ff, sent[0].ff, 32);
		ck_assert_int_eq(dbl_parse(&l, sent[i].payload, sent[i].len,
		    &why), 0);
		ck_assert_mem_eq(l.key, dest.hash, 32);
		ck_assert_uint_eq(l.flags, DBL_TYPE_LS | DBL_F_TUNNEL |
		    DBL_F_ECIES);
		ck_assert_uint_eq(l.reply_tunnel, 1234);
		ck_assert_int_eq(l.reply, DBL_REPLY_AEAD);
	}
	ck_assert_mem_eq(sent[1].ff, ffl[nth_closest(dest.hash, 1)], 32);
	/* the reply under another client's tunnels is not opened */
	reply_ls(&sent[2], OTHER, ls_raw, ls_len, t + 100, 0);
	reply_ls(&sent[2], CLIENT, ls_raw, ls_len, t + 100, 1);
	ck_assert_int_eq(nstatus, 2);
	ck_assert_uint_eq(statuses[1].state, LS_VERIFIED);
	ck_assert_mem_eq(statuses[1].floodfill, sent[2].ff, 32);
	ck_assert_uint_eq(tunnels_client_counters(CLIENT)->verify_ok, 1);
	/* the tag was used up */
	reply_ls(&sent[2], CLIENT, ls_raw, ls_len, t + 200, 0);
	ck_assert_int_eq(nfound, 0);
}
END_TEST

START_TEST(test_verify_fails)
{
	uint64_t	t = stored();
	struct dsm	*d = malloc(sizeof(*d));
	int		i;

	/* both floodfills asked know nothing, and name none */
	reply_dsrm(&sent[1], NULL, 0, t + 100);
	ck_assert_int_eq(nsent, 4);	/* the third verifier */
	reply_dsrm(&sent[2], NULL, 0, t + 200);
	reply_dsrm(&sent[3], NULL, 0, t + 300);
	ck_assert_uint_eq(tunnels_client_counters(CLIENT)->verify_failed, 1);
	/* stored again, at a floodfill other than the first */
	ck_assert_int_eq(nsent, 5);
	parse_store(&sent[4], d);
	ck_assert_uint_ne(d->reply_token, 0);
	ck_assert_mem_ne(sent[4].ff, sent[0].ff, 32);
	for (i = 0; i < nstatus; i++)
		ck_assert_uint_ne(statuses[i].state, LS_VERIFIED);
	free(d);
}
END_TEST

START_TEST(test_verify_older)
{
	uint64_t	t = stored();
	uint32_t	ours = ls_pub;

	/* the floodfill holds an older version */
	make_ls(ours - 60);
	reply_ls(&sent[1], CLIENT, ls_raw, ls_len, t + 100, 1);
	ck_assert_uint_eq(tunnels_client_counters(CLIENT)->verify_failed, 1);
	ck_assert_uint_eq(sent[nsent - 1].type, I2NP_DATABASE_STORE);
}
END_TEST

static void
lookup(uint32_t client, uint32_t reqid, const uint8_t key[32], uint64_t now)
{
	struct ls_lookup	req;

	memset(&req, 0, sizeof(req));
	req.client = client;
	req.reqid = reqid;
	memcpy(req.key, key, 32);
	clientdb_lookup(&req, now);
}

START_TEST(test_lookup_found_shared)
{
	lookup(CLIENT, 1, dest.hash, t0);
	lookup(CLIENT, 2, dest.hash, t0 + 10);
	ck_assert_int_eq(nsent, CDB_LOOKUP_FLY);
	ck_assert_mem_eq(sent[0].ff, ffl[nth_closest(dest.hash, 0)], 32);
	ck_assert_mem_eq(sent[1].ff, ffl[nth_closest(dest.hash, 1)], 32);
	/* a bad LeaseSet is no answer: the next floodfill is asked */
	ls_raw[ls_len - 1] ^= 1;
	reply_ls(&sent[0], CLIENT, ls_raw, ls_len, t0 + 100, 1);
	ls_raw[ls_len - 1] ^= 1;
	ck_assert_int_eq(nfound, 0);
	ck_assert_int_eq(nsent, 3);
	reply_ls(&sent[2], CLIENT, ls_raw, ls_len, t0 + 200, 1);
	ck_assert_int_eq(nfound, 2);
	ck_assert_uint_eq(founds[0].reqid, 1);
	ck_assert_uint_eq(founds[1].reqid, 2);
	ck_assert_uint_eq(founds[0].type, 3);
	ck_assert_uint_eq(founds[0].floodfills, 3);
	ck_assert_uint_eq(found_len[0], ls_len);
	ck_assert_mem_eq(founds[0].key, dest.hash, 32);
	ck_assert_uint_eq(tunnels_client_counters(CLIENT)->lookups, 2);
	ck_assert_uint_eq(tunnels_client_counters(CLIENT)->found, 1);
	/* the late answer of the other floodfill finds nothing waiting */
	reply_ls(&sent[1], CLIENT, ls_raw, ls_len, t0 + 300, 0);
}
END_TEST

START_TEST(test_lookup_gives_up)
{
	uint8_t	key[32];
	int	i;

	crypto_random_fill(key, sizeof(key));
	lookup(CLIENT, 5, key, t0);
	for (i = 1; nfound == 0 && i < 20; i++)
		clientdb_tick(t0 + i * CDB_LOOKUP_TRY);
	ck_assert_int_eq(nsent, CDB_LOOKUP_ASK);
	ck_assert_int_eq(nfound, 1);
	ck_assert_uint_eq(founds[0].type, 0);
	ck_assert_uint_eq(founds[0].reqid, 5);
	ck_assert_uint_eq(founds[0].floodfills, CDB_LOOKUP_ASK);
	ck_assert_uint_eq(tunnels_client_counters(CLIENT)->not_found, 1);
}
END_TEST

START_TEST(test_lookup_overall_time)
{
	uint8_t	key[32];

	/* no tunnel for the whole time: nothing sent, then not found */
	tunnels_up = 0;
	crypto_random_fill(key, sizeof(key));
	lookup(CLIENT, 5, key, t0);
	clientdb_tick(t0 + CDB_LOOKUP_TIME - 1);
	ck_assert_int_eq(nfound, 0);
	clientdb_tick(t0 + CDB_LOOKUP_TIME);
	ck_assert_int_eq(nsent, 0);
	ck_assert_int_eq(nfound, 1);
	ck_assert_uint_eq(founds[0].floodfills, 0);
}
END_TEST

START_TEST(test_lookup_search_reply)
{
	uint8_t	named[2][32];
	int	i, asked = 0;

	hidden = nth_closest(dest.hash, 0);
	lookup(CLIENT, 1, dest.hash, t0);
	ck_assert_int_eq(nsent, 2);
	/* one floodfill we know (but were not offered), one we do not */
	memcpy(named[0], ffl[hidden], 32);
	crypto_random_fill(named[1], 32);
	reply_dsrm(&sent[0], (const uint8_t *)named, 2, t0 + 100);
	for (i = 2; nfound == 0 && i < 20; i++)
		clientdb_tick(t0 + i * CDB_LOOKUP_TRY);
	for (i = 0; i < nsent; i++) {
		ck_assert_mem_ne(sent[i].ff, named[1], 32);
		if (memcmp(sent[i].ff, ffl[hidden], 32) == 0)
			asked++;
	}
	ck_assert_int_eq(asked, 1);
}
END_TEST

START_TEST(test_lookup_limits)
{
	uint8_t	key[32];
	int	i;

	for (i = 0; i < CDB_LOOKUPS_CLIENT; i++) {
		crypto_random_fill(key, sizeof(key));
		lookup(CLIENT, i + 1, key, t0);
	}
	ck_assert_int_eq(nfound, 0);
	crypto_random_fill(key, sizeof(key));
	lookup(CLIENT, 100, key, t0);
	ck_assert_int_eq(nfound, 1);
	ck_assert_uint_eq(founds[0].reqid, 100);
	ck_assert_uint_eq(founds[0].type, 0);
	/* another client has its own share */
	lookup(OTHER, 101, key, t0);
	ck_assert_int_eq(nfound, 1);
	/* an unknown client is answered at once */
	lookup(99, 102, key, t0);
	ck_assert_int_eq(nfound, 2);
	/* a closed client's lookups go without an answer */
	clientdb_close(CLIENT);
	clientdb_tick(t0 + CDB_LOOKUP_TIME);
	ck_assert_int_eq(nfound, 3);
	ck_assert_uint_eq(founds[2].reqid, 101);
}
END_TEST

static Suite *
clientdb_suite(void)
{
	Suite	*s = suite_create("routerd_clientdb");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_publish_rejects);
	tcase_add_test(tc, test_publish_store_ack);
	tcase_add_test(tc, test_publish_timeouts);
	tcase_add_test(tc, test_publish_all_failed);
	tcase_add_test(tc, test_publish_late_ack);
	tcase_add_test(tc, test_publish_waits_for_tunnels);
	tcase_add_test(tc, test_verify_ok);
	tcase_add_test(tc, test_verify_fails);
	tcase_add_test(tc, test_verify_older);
	tcase_add_test(tc, test_lookup_found_shared);
	tcase_add_test(tc, test_lookup_gives_up);
	tcase_add_test(tc, test_lookup_overall_time);
	tcase_add_test(tc, test_lookup_search_reply);
	tcase_add_test(tc, test_lookup_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(clientdb_suite());
}
