/*
 * Unit tests of riaddr_public() (netd/riaddr.c): which peer addresses
 * and ports the main network may dial; and what the peer test takes
 * from a RouterInfo's SSU2 address (caps "B", host, port and "i").
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "unit.h"
#include "../../netd/netd.h"

/* riaddr_public() of host:port, IPv4 or IPv6 by its form */
static int
public(const char *host, unsigned port)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
	} else {
		ck_assert_int_eq(inet_pton(AF_INET6, host, &sin6->sin6_addr),
		    1);
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
	}
	return riaddr_public(&ss);
}

START_TEST(test_v4_public)
{
	ck_assert_int_eq(public("1.1.1.1", 12345), 1);
	ck_assert_int_eq(public("8.8.8.8", 1024), 1);
	ck_assert_int_eq(public("223.255.255.255", 65535), 1);
	/* just outside the special ranges */
	ck_assert_int_eq(public("1.0.0.0", 20000), 1);
	ck_assert_int_eq(public("9.255.255.255", 20000), 1);
	ck_assert_int_eq(public("11.0.0.0", 20000), 1);
	ck_assert_int_eq(public("100.63.255.255", 20000), 1);
	ck_assert_int_eq(public("100.128.0.0", 20000), 1);
	ck_assert_int_eq(public("172.15.255.255", 20000), 1);
	ck_assert_int_eq(public("172.32.0.0", 20000), 1);
	ck_assert_int_eq(public("198.17.255.255", 20000), 1);
	ck_assert_int_eq(public("198.20.0.0", 20000), 1);
	ck_assert_int_eq(public("192.0.1.1", 20000), 1);
}
END_TEST

START_TEST(test_v4_special)
{
	static const char *const special[] = {
		"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255",
		"100.64.0.1", "100.127.255.255", "127.0.0.1", "127.1.2.3",
		"169.254.1.1", "172.16.0.1", "172.31.255.255", "192.0.0.8",
		"192.0.2.1", "192.168.1.1", "198.18.0.1", "198.19.255.255",
		"198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250",
		"240.0.0.1", "255.255.255.255",
	};
	size_t	 i;

	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		ck_assert_msg(public(special[i], 20000) == 0, "%s",
		    special[i]);
}
END_TEST

START_TEST(test_v6)
{
	ck_assert_int_eq(public("2a01:4f8::1", 20000), 1);
	ck_assert_int_eq(public("2001:db9::1", 20000), 1);
	ck_assert_int_eq(public("3ffe::1", 20000), 1);
	ck_assert_int_eq(public("3fff:1000::1", 20000), 1);
	ck_assert_int_eq(public("::", 20000), 0);
	ck_assert_int_eq(public("::1", 20000), 0);
	ck_assert_int_eq(public("fc00::1", 20000), 0);
	ck_assert_int_eq(public("fd12:3456::1", 20000), 0);
	ck_assert_int_eq(public("fe80::1", 20000), 0);
	ck_assert_int_eq(public("febf::1", 20000), 0);
	ck_assert_int_eq(public("ff02::1", 20000), 0);
	ck_assert_int_eq(public("2001:db8::1", 20000), 0);
	ck_assert_int_eq(public("3fff::1", 20000), 0);
	ck_assert_int_eq(public("4000::1", 20000), 0);
	/* IPv4-compatible and IPv4-mapped: what the IPv4 address is */
	ck_assert_int_eq(public("::8.8.8.8", 20000), 0);
	ck_assert_int_eq(public("::ffff:8.8.8.8", 20000), 1);
	ck_assert_int_eq(public("::ffff:127.0.0.1", 20000), 0);
	ck_assert_int_eq(public("::ffff:10.1.2.3", 20000), 0);
	ck_assert_int_eq(public("::ffff:198.18.0.1", 20000), 0);
	ck_assert_int_eq(public("::ffff:255.255.255.255", 20000), 0);
}
END_TEST

START_TEST(test_ports)
{
	ck_assert_int_eq(public("8.8.8.8", 22), 0);
	ck_assert_int_eq(public("8.8.8.8", 1023), 0);
	ck_assert_int_eq(public("8.8.8.8", 0), 0);
	ck_assert_int_eq(public("2a01:4f8::1", 443), 0);
	ck_assert_int_eq(public("2a01:4f8::1", 1024), 1);
}
END_TEST

START_TEST(test_family)
{
	struct sockaddr_storage	 ss;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNIX;
	ck_assert_int_eq(riaddr_public(&ss), 0);
}
END_TEST

static uint8_t	 seed[32];

static int
sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

/* a signed RouterInfo with one SSU2 address: caps, and "i" if ik */
static void
make_ri(struct router_info *ri, const char *caps, const uint8_t *ik)
{
	struct router_address	*ra = &ri->addrs[0];
	uint8_t			 x[32], pub[32];
	char			 b64[64];

	memset(ri, 0, sizeof(*ri));
	memset(x, 7, sizeof(x));
	ck_assert_int_eq(ed25519_keygen(seed, pub), 0);
	ck_assert_int_eq(ident_build(&ri->ident, IDENT_ROUTER, x, pub, NULL),
	    0);
	ri->published = 1700000000000ULL;
	ri->naddrs = 1;
	strcpy(ra->style, "SSU2");
	mapping_init(&ra->options);
	mapping_set(&ra->options, "host", "198.18.0.2");
	mapping_set(&ra->options, "port", "20002");
	if (caps != NULL)
		mapping_set(&ra->options, "caps", caps);
	if (ik != NULL) {
		b64_encode(b64, sizeof(b64), ik, 32);
		mapping_set(&ra->options, "i", b64);
	}
	mapping_set(&ra->options, "v", "2");
	mapping_init(&ri->options);
	mapping_set(&ri->options, "netId", "99");
	ck_assert_int_eq(ri_sign(ri, sign_cb, seed, NULL), 0);
}

START_TEST(test_ssu2_tester)
{
	static struct router_info	 ri;
	uint8_t				 ik[32];

	unit_fill(ik, sizeof(ik), 3);
	make_ri(&ri, "BC", ik);
	ck_assert_int_eq(riaddr_ssu2_tester(ri.raw, ri.rawlen), 1);
	make_ri(&ri, "C4", ik);
	ck_assert_int_eq(riaddr_ssu2_tester(ri.raw, ri.rawlen), 0);
	make_ri(&ri, NULL, ik);
	ck_assert_int_eq(riaddr_ssu2_tester(ri.raw, ri.rawlen), 0);
	/* not a RouterInfo: no tester */
	ck_assert_int_eq(riaddr_ssu2_tester(ri.raw, ri.rawlen / 2), 0);
}
END_TEST

START_TEST(test_ssu2_peer)
{
	static struct router_info	 ri;
	struct sockaddr_storage		 ss;
	struct sockaddr_in		*sin = (struct sockaddr_in *)&ss;
	uint8_t				 ik[32], got[32];

	unit_fill(ik, sizeof(ik), 3);
	make_ri(&ri, "BC", ik);
	ck_assert_int_eq(riaddr_ssu2_peer(&ri, AF_INET, &ss, got), 0);
	ck_assert_int_eq(ss.ss_family, AF_INET);
	ck_assert_uint_eq(ntohs(sin->sin_port), 20002);
	ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), 0xc6120002);
	ck_assert_mem_eq(got, ik, 32);
	/* no IPv6 host; no intro key */
	ck_assert_int_eq(riaddr_ssu2_peer(&ri, AF_INET6, &ss, got), -1);
	make_ri(&ri, "BC", NULL);
	ck_assert_int_eq(riaddr_ssu2_peer(&ri, AF_INET, &ss, got), -1);
}
END_TEST

static Suite *
netd_riaddr_suite(void)
{
	Suite	*s = suite_create("netd_riaddr");
	TCase	*tc = tcase_create("public");

	tcase_add_test(tc, test_v4_public);
	tcase_add_test(tc, test_v4_special);
	tcase_add_test(tc, test_v6);
	tcase_add_test(tc, test_ports);
	tcase_add_test(tc, test_family);
	tcase_add_test(tc, test_ssu2_tester);
	tcase_add_test(tc, test_ssu2_peer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(netd_riaddr_suite());
}
