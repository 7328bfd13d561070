/*
 * tunneld's destinations (tunneld/dests.c), with the IPC replaced by a
 * record of what would be sent: nothing before cryptod's key list is
 * complete; mapped names with a key open their pools, the others get
 * a key first, one at a time, and are remembered; reloads open new
 * names, re-open changed ones and close removed ones, which keep their
 * key; refused and malformed replies; the ready tunnels kept per
 * destination and their bound.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "../../tunneld/tunneld.h"
#include "keypub.h"
#include "unit.h"

#define NOW	1790000000

/* what the ops were asked to do, as "create a, open b 5, ..." */
static char		 calls[1024];
static struct destmap	 saved;
static int		 nsaved;
static uint8_t		 opened_hash[32];

static void
record(const char *what, const char *name, uint32_t keyid)
{
	size_t	len = strlen(calls);

	snprintf(calls + len, sizeof(calls) - len, "%s%s %s", len > 0 ?
	    ", " : "", what, name);
	len = strlen(calls);
	if (keyid != 0)
		snprintf(calls + len, sizeof(calls) - len, " %u", keyid);
}

static void
fake_create(const char *name)
{
	record("create", name, 0);
}

static void
fake_open(const struct dest *d)
{
	record("open", d->name, d->keyid);
	memcpy(opened_hash, d->ident.hash, sizeof(opened_hash));
}

static void
fake_close(const struct dest *d)
{
	record("close", d->name, d->keyid);
}

static void
fake_save(const struct destmap *m)
{
	saved = *m;
	nsaved++;
}

static const struct dests_ops fake_ops = {
	.create = fake_create,
	.open = fake_open,
	.close = fake_close,
	.save = fake_save,
};

/* the calls recorded since the last look, then forgotten */
static void
expect(const char *want)
{
	ck_assert_str_eq(calls, want);
	calls[0] = '\0';
}

static void
listed(uint32_t keyid)
{
	struct key_pub	 k = pub(keyid);
	const char	*why;

	ck_assert_int_eq(dests_key(&k, &why), 0);
}

static void
created(uint32_t keyid)
{
	struct key_pub	 k = pub(keyid);
	const char	*why;

	ck_assert_int_eq(dests_created(&k, &why), 0);
}

static struct dest_conf	 conf[DESTS_MAX];
static int		 nconf;

static void
conf_set(int i, const char *name, int inlen, int outlen)
{
	memset(&conf[i], 0, sizeof(conf[i]));
	snprintf(conf[i].name, sizeof(conf[i].name), "%s", name);
	conf[i].length[TUNNEL_IN] = inlen;
	conf[i].length[TUNNEL_OUT] = outlen;
	conf[i].quantity[TUNNEL_IN] = conf[i].quantity[TUNNEL_OUT] = 2;
	if (i >= nconf)
		nconf = i + 1;
}

/* a map of name=keyid pairs, then dests_init */
static void
start(const char *const *names, const uint32_t *ids, int n)
{
	struct destmap	 m;
	const char	*why;
	int		 i;

	destmap_init(&m);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(destmap_add(&m, names[i], ids[i], &why), 0);
	dests_init(&fake_ops, &m);
	calls[0] = '\0';
	nsaved = 0;
	nconf = 0;
}

START_TEST(test_start)
{
	static const char *const	 names[] = { "web", "old" };
	static const uint32_t		 ids[] = { 5, 6 };
	const struct destmap_ent	*e;
	const struct dest		*d;

	start(names, ids, 2);
	conf_set(0, "web", 3, 2);
	conf_set(1, "mail", 3, 3);
	/* nothing before the list is complete */
	dests_reconf(conf, nconf);
	listed(5);
	listed(6);
	listed(9);
	expect("");
	ck_assert_ptr_null(dests_creating());
	dests_listed();
	expect("open web 5, create mail");
	ck_assert_str_eq(dests_creating(), "mail");
	d = dests_find("web");
	ck_assert_int_eq(d->open, 1);
	ck_assert_int_eq(d->opened.length[TUNNEL_OUT], 2);

	/* the new key: mapped, saved, opened */
	created(10);
	expect("open mail 10");
	ck_assert_ptr_null(dests_creating());
	ck_assert_int_eq(nsaved, 1);
	ck_assert_uint_eq(saved.n, 3);
	ck_assert_ptr_nonnull(e = destmap_by_name(&saved, "mail"));
	ck_assert_uint_eq(e->keyid, 10);
	/* the unconfigured name keeps its mapping */
	ck_assert_ptr_nonnull(destmap_by_name(dests_map(), "old"));
}
END_TEST

/* the hash routerd gets is SHA-256 of the Destination identity.c builds */
START_TEST(test_hash)
{
	static const char *const	 names[] = { "web" };
	static const uint32_t		 ids[] = { 5 };
	struct key_pub			 k = pub(5);
	struct i2p_ident		 id;
	uint8_t				 h[32];

	start(names, ids, 1);
	conf_set(0, "web", 3, 3);
	dests_reconf(conf, nconf);
	listed(5);
	dests_listed();
	expect("open web 5");
	ck_assert_int_eq(ident_build(&id, IDENT_DEST, k.crypto_pub,
	    k.sign_pub, k.padding), 0);
	ck_assert_uint_eq(id.rawlen, I2P_IDENT_LEN);
	ck_assert_uint_eq(id.cryptotype, CRYPTOTYPE_X25519);
	ck_assert_int_eq(sha256(h, id.raw, id.rawlen), 0);
	ck_assert(memcmp(opened_hash, h, 32) == 0);
	ck_assert(memcmp(dests_find("web")->ident.raw, id.raw,
	    id.rawlen) == 0);
}
END_TEST

/* keys are asked for one at a time, in the configuration's order */
START_TEST(test_one_create)
{
	start(NULL, NULL, 0);
	conf_set(0, "a", 1, 1);
	conf_set(1, "b", 1, 1);
	conf_set(2, "c", 1, 1);
	dests_reconf(conf, nconf);
	dests_listed();
	expect("create a");
	/* a reload meanwhile asks for nothing more */
	dests_reconf(conf, nconf);
	expect("");
	created(1);
	expect("open a 1, create b");
	created(2);
	expect("open b 2, create c");
	created(3);
	expect("open c 3");
	ck_assert_int_eq(nsaved, 3);
	ck_assert_uint_eq(saved.n, 3);
}
END_TEST

START_TEST(test_reload)
{
	static const char *const	 names[] = { "web", "mail" };
	static const uint32_t		 ids[] = { 5, 6 };

	start(names, ids, 2);
	listed(5);
	listed(6);
	conf_set(0, "web", 3, 3);
	dests_reconf(conf, nconf);
	dests_listed();
	expect("open web 5");
	/* the same again: nothing */
	dests_reconf(conf, nconf);
	expect("");
	/* a quantity changes: open again */
	conf[0].quantity[TUNNEL_IN] = 4;
	dests_reconf(conf, nconf);
	expect("open web 5");
	ck_assert_int_eq(dests_find("web")->opened.quantity[TUNNEL_IN], 4);
	/* a name added with a key */
	conf_set(1, "mail", 2, 2);
	dests_reconf(conf, nconf);
	expect("open mail 6");
	/* web removed: closed, forgotten, still mapped */
	conf[0] = conf[1];
	nconf = 1;
	dests_reconf(conf, nconf);
	expect("close web 5");
	ck_assert_ptr_null(dests_find("web"));
	ck_assert_uint_eq(destmap_by_name(dests_map(), "web")->keyid, 5);
	/* and back: the same key, no new one */
	conf_set(1, "web", 3, 3);
	dests_reconf(conf, nconf);
	expect("open web 5");
	/* everything removed */
	dests_reconf(conf, 0);
	ck_assert(strstr(calls, "close web 5") != NULL);
	ck_assert(strstr(calls, "close mail 6") != NULL);
	calls[0] = '\0';
	ck_assert_int_eq(nsaved, 0);
}
END_TEST

/* a name removed while its key is made: mapped anyway, not opened */
START_TEST(test_removed_while_creating)
{
	start(NULL, NULL, 0);
	conf_set(0, "a", 1, 1);
	dests_reconf(conf, nconf);
	dests_listed();
	expect("create a");
	dests_reconf(conf, 0);
	expect("");
	created(7);
	expect("");
	ck_assert_uint_eq(destmap_by_name(&saved, "a")->keyid, 7);
	dests_reconf(conf, 1);
	expect("open a 7");
}
END_TEST

/* KEY_ERROR: no pools, the others go on, a reload tries again */
START_TEST(test_create_failed)
{
	start(NULL, NULL, 0);
	conf_set(0, "a", 1, 1);
	conf_set(1, "b", 1, 1);
	dests_reconf(conf, nconf);
	dests_listed();
	expect("create a");
	dests_create_failed("disk full");
	expect("create b");
	ck_assert_int_eq(dests_find("a")->failed, 1);
	created(1);
	expect("open b 1");
	dests_reconf(conf, nconf);
	expect("create a");
	created(2);
	expect("open a 2");
}
END_TEST

/* a mapped key cryptod no longer has: a new one, the name remapped */
START_TEST(test_key_gone)
{
	static const char *const	 names[] = { "web", "old" };
	static const uint32_t		 ids[] = { 5, 8 };

	start(names, ids, 2);
	listed(6);
	conf_set(0, "web", 1, 1);
	dests_reconf(conf, nconf);
	dests_listed();
	expect("create web");
	/* cryptod gives 8 again (its key file was deleted): old loses it */
	created(8);
	expect("open web 8");
	ck_assert_uint_eq(saved.n, 1);
	ck_assert_uint_eq(destmap_by_name(&saved, "web")->keyid, 8);
	ck_assert_ptr_null(destmap_by_name(&saved, "old"));
}
END_TEST

START_TEST(test_bad_keys)
{
	struct key_pub	 k;
	const char	*why;

	start(NULL, NULL, 0);
	k = pub(0);
	ck_assert_int_eq(dests_key(&k, &why), -1);
	k = pub(3);
	k.sigtype = 0;
	ck_assert_int_eq(dests_key(&k, &why), -1);
	k = pub(3);
	k.cryptotype = 0;
	ck_assert_int_eq(dests_key(&k, &why), -1);
	k = pub(3);
	ck_assert_int_eq(dests_key(&k, &why), 0);
	ck_assert_int_eq(dests_key(&k, &why), -1);
	ck_assert_str_eq(why, "key id given twice");
	dests_listed();
	/* after the end of the list, and a key nobody asked for */
	k = pub(4);
	ck_assert_int_eq(dests_key(&k, &why), -1);
	ck_assert_int_eq(dests_created(&k, &why), -1);
	/* a made key whose id is already known */
	conf_set(0, "a", 1, 1);
	dests_reconf(conf, nconf);
	expect("create a");
	k = pub(3);
	ck_assert_int_eq(dests_created(&k, &why), -1);
}
END_TEST

static struct pool_tunnel
tunnel(uint32_t client, uint32_t serial, int dir, int up, int64_t expires)
{
	struct pool_tunnel	pt;

	memset(&pt, 0, sizeof(pt));
	pt.client = client;
	pt.serial = serial;
	pt.dir = dir;
	pt.up = up;
	memset(pt.gateway, serial, sizeof(pt.gateway));
	pt.gateway_id = serial * 1000;
	pt.expires = expires;
	return pt;
}

static int
report_at(int64_t now, uint32_t client, uint32_t serial, int dir, int up,
    int64_t expires)
{
	struct pool_tunnel	 pt = tunnel(client, serial, dir, up, expires);
	const char		*why;

	return dests_tunnel(&pt, now, &why);
}

static int
report(uint32_t client, uint32_t serial, int dir, int up, int64_t expires)
{
	return report_at(NOW, client, serial, dir, up, expires);
}

/* one destination "web" on key 5, open */
static const struct dest *
one_open(void)
{
	static const char *const	 names[] = { "web" };
	static const uint32_t		 ids[] = { 5 };

	start(names, ids, 1);
	listed(5);
	conf_set(0, "web", 3, 3);
	dests_reconf(conf, nconf);
	dests_listed();
	expect("open web 5");
	return dests_find("web");
}

START_TEST(test_tunnels)
{
	const struct dest	*d = one_open();

	ck_assert_int_eq(report(5, 1, TUNNEL_IN, 1, NOW + 600), 0);
	ck_assert_uint_eq(d->nin, 1);
	ck_assert_int_eq(d->ready_logged, 0);
	ck_assert_uint_eq(d->in[0].gateway_id, 1000);
	ck_assert_uint_eq(d->in[0].gateway[0], 1);
	ck_assert_int_eq(report(5, 2, TUNNEL_OUT, 1, NOW + 600), 0);
	ck_assert_uint_eq(d->nout, 1);
	ck_assert_int_eq(d->ready_logged, 1);
	/* the same serial again: updated, not added */
	ck_assert_int_eq(report(5, 1, TUNNEL_IN, 1, NOW + 700), 0);
	ck_assert_uint_eq(d->nin, 1);
	ck_assert_int_eq(d->in[0].expires, NOW + 700);
	/* gone; gone again or never known: nothing */
	ck_assert_int_eq(report(5, 1, TUNNEL_IN, 0, 0), 0);
	ck_assert_uint_eq(d->nin, 0);
	ck_assert_int_eq(report(5, 1, TUNNEL_IN, 0, 0), 0);
	ck_assert_int_eq(report(5, 99, TUNNEL_OUT, 0, 0), 0);
	ck_assert_uint_eq(d->nout, 1);
	/* ready already said once */
	ck_assert_int_eq(report(5, 3, TUNNEL_IN, 1, NOW + 600), 0);
	ck_assert_int_eq(d->ready_logged, 1);
	/* an unknown client: a race after a close, ignored */
	ck_assert_int_eq(report(6, 4, TUNNEL_IN, 1, NOW + 600), 0);
	ck_assert_uint_eq(d->nin, 1);
}
END_TEST

START_TEST(test_tunnels_bad)
{
	struct pool_tunnel	 pt;
	const char		*why;

	(void)one_open();
	pt = tunnel(5, 1, 2, 1, NOW + 600);
	ck_assert_int_eq(dests_tunnel(&pt, NOW, &why), -1);
	pt = tunnel(5, 1, TUNNEL_IN, 2, NOW + 600);
	ck_assert_int_eq(dests_tunnel(&pt, NOW, &why), -1);
	/* malformed even for an unknown client */
	pt = tunnel(6, 1, 7, 1, NOW + 600);
	ck_assert_int_eq(dests_tunnel(&pt, NOW, &why), -1);
}
END_TEST

/* after a close the destination's tunnels are forgotten, reports ignored */
START_TEST(test_tunnels_closed)
{
	const struct dest	*d = one_open();

	ck_assert_int_eq(report(5, 1, TUNNEL_IN, 1, NOW + 600), 0);
	dests_reconf(conf, 0);
	expect("close web 5");
	ck_assert_int_eq(report(5, 2, TUNNEL_IN, 1, NOW + 600), 0);
	ck_assert_int_eq(report(5, 1, TUNNEL_IN, 0, 0), 0);
	dests_reconf(conf, 1);
	expect("open web 5");
	d = dests_find("web");
	ck_assert_uint_eq(d->nin, 0);
	ck_assert_int_eq(d->ready_logged, 0);
}
END_TEST

/* bounded: over DEST_TUNNELS_MAX the oldest goes; expired ones go */
START_TEST(test_tunnels_bound)
{
	const struct dest	*d = one_open();
	size_t			 i;
	uint32_t		 s;

	for (s = 1; s <= DEST_TUNNELS_MAX; s++)
		ck_assert_int_eq(report(5, s, TUNNEL_IN, 1, NOW + 100 + s),
		    0);
	ck_assert_uint_eq(d->nin, DEST_TUNNELS_MAX);
	ck_assert_int_eq(report(5, 1000, TUNNEL_IN, 1, NOW + 600), 0);
	ck_assert_uint_eq(d->nin, DEST_TUNNELS_MAX);
	for (i = 0; i < d->nin; i++)
		ck_assert_uint_ne(d->in[i].serial, 1);
	/* already expired: not kept */
	ck_assert_int_eq(report(5, 2000, TUNNEL_OUT, 1, NOW), 0);
	ck_assert_uint_eq(d->nout, 0);
	/* time passes: the expired ones go at the next report */
	ck_assert_int_eq(report(5, 3000, TUNNEL_OUT, 1, NOW + 600), 0);
	ck_assert_int_eq(report_at(NOW + 200, 5, 3001, TUNNEL_IN, 1,
	    NOW + 900), 0);
	ck_assert_uint_eq(d->nin, 2);	/* 1000 and 3001 */
	ck_assert_uint_eq(d->nout, 1);
}
END_TEST

static Suite *
dests_suite(void)
{
	Suite	*s = suite_create("tunneld dests");
	TCase	*tc = tcase_create("keys");
	TCase	*tt = tcase_create("tunnels");

	tcase_add_test(tc, test_start);
	tcase_add_test(tc, test_hash);
	tcase_add_test(tc, test_one_create);
	tcase_add_test(tc, test_reload);
	tcase_add_test(tc, test_removed_while_creating);
	tcase_add_test(tc, test_create_failed);
	tcase_add_test(tc, test_key_gone);
	tcase_add_test(tc, test_bad_keys);
	suite_add_tcase(s, tc);
	tcase_add_test(tt, test_tunnels);
	tcase_add_test(tt, test_tunnels_bad);
	tcase_add_test(tt, test_tunnels_closed);
	tcase_add_test(tt, test_tunnels_bound);
	suite_add_tcase(s, tt);
	return s;
}

int
main(void)
{
	return unit_run_crypto(dests_suite());
}
