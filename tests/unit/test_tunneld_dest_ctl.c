/*
 * show destinations and show sessions in tunneld (tunneld/dest_ctl.c)
 * over real destinations (tunneld/dests.c, IPC recorded and dropped):
 * a configured one with its key and tunnels, one still waiting for its
 * key, a SAM session's; one CTL_DEST each, in order, with what each
 * has, its LeaseSet once signed and verified; no CTL_RSESS while there
 * are no ratchet sessions.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "../../tunneld/tunneld.h"
#include "keypub.h"
#include "unit.h"

#define NOW	1790000000

static void
nop_name(const char *name)
{
}

static void
nop_dest(const struct dest *d)
{
}

static void
nop_save(const struct destmap *m)
{
}

/* the LeaseSet: signed at once with the key's seed, published nowhere */
static uint8_t		 seed[32];
static uint32_t		 sign_reqid;
static uint8_t		 sig[64];
static int		 npublished;

static void
sign_now(uint32_t reqid, uint32_t keyid, const uint8_t *m, size_t len)
{
	sign_reqid = reqid;
	ck_assert_int_eq(ed25519_sign(sig, seed, m, len), 0);
}

static void
publish(const struct ls_publish *lp, const uint8_t *ls, size_t len)
{
	npublished++;
}

static uint32_t
reqid(void)
{
	return 42;
}

static const struct dests_ops ops = {
	.create = nop_name, .open = nop_dest, .close = nop_dest,
	.save = nop_save,
	.ls = { .sign = sign_now, .publish = publish, .reqid = reqid },
};

static struct ctl_dest	 got[4];
static size_t		 ngot, nother;

static void
record(void *arg, uint32_t type, const void *data, size_t len)
{
	ck_assert_ptr_eq(arg, &ngot);
	if (type != IMSG_CTL_DEST || len != sizeof(got[0]) ||
	    ngot == sizeof(got) / sizeof(got[0])) {
		nother++;
		return;
	}
	memcpy(&got[ngot++], data, len);
}

static void
tunnel(uint32_t client, uint32_t serial, int dir)
{
	struct pool_tunnel	 pt;
	const char		*why;

	memset(&pt, 0, sizeof(pt));
	pt.client = client;
	pt.serial = serial;
	pt.dir = dir;
	pt.up = 1;
	memset(pt.gateway, serial, sizeof(pt.gateway));
	pt.gateway_id = serial;
	pt.expires = NOW + 600;
	ck_assert_int_eq(dests_tunnel(&pt, NOW, &why), 0);
}

/* "web" on key 5 with two tunnels in and one out, "new" without a key */
static void
setup(void)
{
	struct dest_conf	 conf[2];
	struct destmap		 m;
	struct key_pub		 k = pub(5);
	const char		*why;
	int			 i;

	crypto_random_fill(seed, sizeof(seed));
	ck_assert_int_eq(ed25519_public(k.sign_pub, seed), 0);
	destmap_init(&m);
	ck_assert_int_eq(destmap_add(&m, "web", 5, &why), 0);
	dests_init(&ops, &m);
	ck_assert_int_eq(dests_key(&k, &why), 0);
	memset(conf, 0, sizeof(conf));
	for (i = 0; i < 2; i++) {
		snprintf(conf[i].name, sizeof(conf[i].name), "%s",
		    i == 0 ? "web" : "new");
		conf[i].length[TUNNEL_IN] = conf[i].length[TUNNEL_OUT] = 3;
		conf[i].quantity[TUNNEL_IN] = conf[i].quantity[TUNNEL_OUT] = 2;
	}
	dests_reconf(conf, 2);
	dests_listed();
	tunnel(5, 1, TUNNEL_IN);
	tunnel(5, 2, TUNNEL_IN);
	tunnel(5, 3, TUNNEL_OUT);
	ngot = nother = 0;
}

START_TEST(test_dests)
{
	struct i2p_ident	 id;
	struct dest_conf	 sc;
	uint8_t			 lspub[32];
	char			 b32[64];
	const char		*why;

	setup();
	id = dests_find("web")->ident;
	id.hash[0] ^= 1;
	memset(lspub, 9, sizeof(lspub));
	memset(&sc, 0, sizeof(sc));
	ck_assert_int_eq(dests_session_add("lt", 77, &id, lspub, &sc, 0,
	    &why), 0);
	dest_ctl_dests(record, &ngot);
	ck_assert_uint_eq(nother, 0);
	ck_assert_uint_eq(ngot, 3);

	ck_assert_str_eq(got[0].name, "web");
	ck_assert_int_eq(ident_b32(&dests_find("web")->ident, b32,
	    sizeof(b32)) > 0, 1);
	ck_assert_str_eq(got[0].b32, b32);
	ck_assert_uint_eq(got[0].session, 0);
	ck_assert_uint_eq(got[0].tunnels_in, 2);
	ck_assert_uint_eq(got[0].tunnels_out, 1);
	/* nothing built, published or said by routerd yet */
	ck_assert_uint_eq(got[0].ls_state, 0);
	ck_assert_int_eq(got[0].published, 0);
	ck_assert_uint_eq(got[0].leases, 0);
	ck_assert_uint_eq(got[0].sessions, 0);
	ck_assert_uint_eq(got[0].sent, 0);

	/* no key yet: a name and nothing more */
	ck_assert_str_eq(got[1].name, "new");
	ck_assert_str_eq(got[1].b32, "");
	ck_assert_uint_eq(got[1].tunnels_in, 0);

	ck_assert_str_eq(got[2].name, "lt");
	ck_assert_uint_eq(got[2].session, 1);
	ck_assert_int_eq(ident_b32(&id, b32, sizeof(b32)) > 0, 1);
	ck_assert_str_eq(got[2].b32, b32);
	ck_assert_str_ne(got[2].b32, got[0].b32);
	dests_session_remove(77);
}
END_TEST

/* signed, published and verified: the state, floodfill, time, leases */
START_TEST(test_leaseset)
{
	struct ls_status	 st;
	const char		*why;

	setup();
	sign_reqid = 0;
	npublished = 0;
	dests_tick(NOW + 5);
	ck_assert_uint_eq(sign_reqid, 42);
	ck_assert_int_eq(dests_signed(sign_reqid, sig), 1);
	ck_assert_int_eq(npublished, 1);
	ck_assert_ptr_nonnull(dests_leaseset(5));
	memset(&st, 0, sizeof(st));
	st.client = 5;
	st.published = dests_leaseset(5)->published;
	st.state = LS_VERIFIED;
	memset(st.floodfill, 0xab, sizeof(st.floodfill));
	ck_assert_int_eq(dests_ls_status(&st, NOW + 9, &why), 0);
	dest_ctl_dests(record, &ngot);
	ck_assert_uint_eq(ngot, 2);
	ck_assert_uint_eq(got[0].ls_state, LS_VERIFIED);
	ck_assert_mem_eq(got[0].floodfill, st.floodfill, 32);
	ck_assert_int_eq(got[0].ls_at, NOW + 9);
	ck_assert_int_eq(got[0].published, st.published);
	ck_assert_uint_eq(got[0].leases, 2);
	/* the one without a key says nothing of LeaseSets */
	ck_assert_uint_eq(got[1].ls_state, 0);
	ck_assert_int_eq(got[1].published, 0);
}
END_TEST

START_TEST(test_sessions_none)
{
	setup();
	dest_ctl_sessions(record, &ngot);
	ck_assert_uint_eq(ngot + nother, 0);
}
END_TEST

START_TEST(test_empty)
{
	struct destmap	 m;

	destmap_init(&m);
	dests_init(&ops, &m);
	ngot = nother = 0;
	dest_ctl_dests(record, &ngot);
	dest_ctl_sessions(record, &ngot);
	ck_assert_uint_eq(ngot + nother, 0);
}
END_TEST

static Suite *
dest_ctl_suite(void)
{
	Suite	*s = suite_create("tunneld_dest_ctl");
	TCase	*tc = tcase_create("dest_ctl");

	tcase_add_test(tc, test_dests);
	tcase_add_test(tc, test_leaseset);
	tcase_add_test(tc, test_sessions_none);
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(dest_ctl_suite());
}
