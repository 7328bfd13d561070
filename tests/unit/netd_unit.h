/*
 * What netd's unit tests share: netd's own RouterInfo, so that sessions
 * can start (riaddr_local), as routerd would send it, and the set-up of
 * the session layer.
 */
#ifndef I2PRD_TESTS_NETD_UNIT_H
#define I2PRD_TESTS_NETD_UNIT_H

#include <bsd/string.h>
#include <check.h>
#include <event.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "../../netd/netd.h"

static int
netd_unit_sign(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

/* our RouterInfo with an NTCP2 address (s and i), netId 99, for netd */
static void
netd_unit_local_router(void)
{
	static struct router_info	 ri;
	uint8_t				 seed[32], sign_pub[32], x[32];
	uint8_t				 s[32], iv[16];
	char				 b64[64];

	memset(&ri, 0, sizeof(ri));
	ck_assert_int_eq(ed25519_keygen(seed, sign_pub), 0);
	crypto_random(x, sizeof(x));
	ck_assert_int_eq(ident_build(&ri.ident, IDENT_ROUTER, x, sign_pub,
	    NULL), 0);
	ri.published = (uint64_t)time(NULL) * 1000;
	ri.naddrs = 1;
	strlcpy(ri.addrs[0].style, "NTCP2", sizeof(ri.addrs[0].style));
	mapping_init(&ri.addrs[0].options);
	mapping_set(&ri.addrs[0].options, "host", "127.0.0.1");
	mapping_set(&ri.addrs[0].options, "port", "20000");
	crypto_random(s, sizeof(s));
	b64_encode(b64, sizeof(b64), s, sizeof(s));
	mapping_set(&ri.addrs[0].options, "s", b64);
	crypto_random(iv, sizeof(iv));
	b64_encode(b64, sizeof(b64), iv, sizeof(iv));
	mapping_set(&ri.addrs[0].options, "i", b64);
	mapping_init(&ri.options);
	mapping_set(&ri.options, "caps", "LR");
	mapping_set(&ri.options, "netId", "99");
	ck_assert_int_eq(ri_sign(&ri, netd_unit_sign, seed, NULL), 0);
	ck_assert_int_eq(riaddr_local(ri.raw, ri.rawlen), 0);
}

/* the event loop and the session layer, once a process (CK_FORK=no) */
static void
netd_unit_setup(void)
{
	static int	 done;

	if (done)
		return;
	done = 1;
	event_init();
	session_init();
	netd_unit_local_router();
}

#endif /* I2PRD_TESTS_NETD_UNIT_H */
