/*
 * Routers of the unit tests' own: an identity made once (its padding
 * is random) and RouterInfos signed for it on network NETID; and a
 * netDb in a temporary directory for the tests that store them.
 */
#ifndef I2PRD_TESTS_RTR_H
#define I2PRD_TESTS_RTR_H

#include <bsd/string.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "i2pdata.h"
#include "../../routerd/routerd.h"

#define NETID	99

struct rtr {
	struct i2p_ident ident;		/* random padding: made once */
	uint8_t		 seed[32];
	uint8_t		 hash[32];
	uint8_t		 raw[RI_MAXLEN];
	size_t		 len;
};

static inline int
rtr_sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

/* a router's RouterInfo, signed, published at pub (ms) */
static inline void
rtr_sign(struct rtr *r, int floodfill, int netid, uint64_t pub)
{
	static struct router_info	ri;
	char				id[8];

	memset(&ri, 0, sizeof(ri));
	ri.ident = r->ident;
	ri.published = pub;
	mapping_init(&ri.options);
	mapping_set(&ri.options, "caps", floodfill ? "Lf" : "L");
	snprintf(id, sizeof(id), "%d", netid);
	mapping_set(&ri.options, "netId", id);
	mapping_set(&ri.options, "router.version", "0.9.57");
	ck_assert_int_eq(ri_sign(&ri, rtr_sign_cb, r->seed, NULL), 0);
	memcpy(r->raw, ri.raw, ri.rawlen);
	r->len = ri.rawlen;
	memcpy(r->hash, ri.ident.hash, 32);
}

/* a new router, its RouterInfo published at pub (ms) */
static inline void
rtr_make(struct rtr *r, int floodfill, uint64_t pub)
{
	uint8_t	sign_pub[32], x[32];

	ck_assert_int_eq(ed25519_keygen(r->seed, sign_pub), 0);
	memset(x, 0x42, sizeof(x));
	ck_assert_int_eq(ident_build(&r->ident, IDENT_ROUTER, x, sign_pub,
	    NULL), 0);
	rtr_sign(r, floodfill, NETID, pub);
}

static inline void
rtr_new(struct rtr *r, int floodfill)
{
	rtr_make(r, floodfill, (uint64_t)time(NULL) * 1000 - 5000);
}

static char	rtr_tmpdir[64];

/* a checked fixture: the netDb under ./netDb of a new directory */
static inline void
rtr_netdb_setup(void)
{
	strlcpy(rtr_tmpdir, "/tmp/test_netdb.XXXXXX", sizeof(rtr_tmpdir));
	ck_assert_ptr_nonnull(mkdtemp(rtr_tmpdir));
	ck_assert_int_eq(chdir(rtr_tmpdir), 0);
	netdb_load(NETID);
}

static inline void
rtr_netdb_teardown(void)
{
	char	cmd[128];

	netdb_shutdown();
	ck_assert_int_eq(chdir("/"), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", rtr_tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

#endif /* I2PRD_TESTS_RTR_H */
