/*
 * Unit tests of netd/riaddr.c: riaddr_public(), which peer addresses
 * and ports the main network may dial, and riaddr_choose(), which of a
 * RouterInfo's addresses a dial takes (transport and family) and which
 * it falls back to, with well-formed and malformed hosts; and what
 * the peer test takes from a RouterInfo's SSU2 address (caps "B", host,
 * port and "i").
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <bsd/string.h>
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
	ck_assert_int_eq(public("2001:3::1", 20000), 1);
	ck_assert_int_eq(public("2001:1:ffff::1", 20000), 1);
	/* 2001:2::/48 benchmarking, as 198.18/15 (the IPv6 interop test) */
	ck_assert_int_eq(public("2001:2::1", 20000), 0);
	ck_assert_int_eq(public("2001:2:0:ffff::1", 20000), 0);
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

/* ways, bit (ssu2 * 2 + IPv6) as riaddr_ways() makes them */
#define NTCP2_V4	(1U << 0)
#define NTCP2_V6	(1U << 1)
#define SSU2_V4		(1U << 2)
#define SSU2_V6		(1U << 3)
#define ALL_WAYS	(NTCP2_V4 | NTCP2_V6 | SSU2_V4 | SSU2_V6)

static const int64_t	 never[RIADDR_WAYS];

/* a 32-byte key, base 64, of byte c; 16 bytes for NTCP2's "i" */
static void
set_key(struct mapping *m, const char *k, int c, size_t len)
{
	uint8_t	 key[32];
	char	 b64[B64_ENCLEN(32)];

	memset(key, c, len);
	ck_assert_int_eq(b64_encode(b64, sizeof(b64), key, len) > 0, 1);
	ck_assert_int_eq(mapping_set(m, k, b64), 0);
}

/* an address of style at host:port with its keys (SSU2: and "v") */
static struct router_address *
add_addr(struct router_info *ri, const char *style, const char *host,
    const char *port)
{
	struct router_address	*ra = &ri->addrs[ri->naddrs++];
	int			 ssu2 = strcmp(style, "SSU2") == 0;

	ck_assert_int_le(ri->naddrs, RI_MAX_ADDRS);
	memset(ra, 0, sizeof(*ra));
	strlcpy(ra->style, style, sizeof(ra->style));
	mapping_init(&ra->options);
	if (host != NULL)
		ck_assert_int_eq(mapping_set(&ra->options, "host", host), 0);
	ck_assert_int_eq(mapping_set(&ra->options, "port", port), 0);
	set_key(&ra->options, "s", 0x11, 32);
	set_key(&ra->options, "i", ri->naddrs, ssu2 ? 32 : 16);
	if (ssu2)
		ck_assert_int_eq(mapping_set(&ra->options, "v", "2"), 0);
	return ra;
}

/* all four ways, IPv6 at 2001:2::1, its SSU2 with "mtu" 1400 */
static void
dual_stack(struct router_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	add_addr(ri, "NTCP2", "198.18.0.1", "20000");
	add_addr(ri, "NTCP2", "2001:2::1", "20001");
	add_addr(ri, "SSU2", "198.18.0.1", "20002");
	mapping_set(&add_addr(ri, "SSU2", "2001:2::1", "20003")->options,
	    "mtu", "1400");
}

static unsigned
port_of(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in	*sin = (const void *)ss;
	const struct sockaddr_in6	*sin6 = (const void *)ss;

	return ntohs(ss->ss_family == AF_INET6 ? sin6->sin6_port :
	    sin->sin_port);
}

/* riaddr_choose: the dial's way and the fallback's, by port */
static int
choose(const struct router_info *ri, unsigned ways, const int64_t *at,
    int main_net, struct dial_target *t)
{
	memset(t, 0, sizeof(*t));
	return riaddr_choose(ri, ways, at, main_net, t);
}

START_TEST(test_choose_order)
{
	static struct router_info	 ri;
	struct dial_target		 t;

	dual_stack(&ri);
	ck_assert_int_eq(choose(&ri, ALL_WAYS, never, 0, &t), 0);
	/* NTCP2 over IPv4, then the same transport over IPv6 */
	ck_assert_ptr_eq(t.ops, &ntcp2_ops);
	ck_assert_int_eq(t.ss.ss_family, AF_INET);
	ck_assert_uint_eq(port_of(&t.ss), 20000);
	ck_assert_ptr_eq(t.alt_ops, &ntcp2_ops);
	ck_assert_int_eq(t.alt_ss.ss_family, AF_INET6);
	ck_assert_uint_eq(port_of(&t.alt_ss), 20001);
	/* each way's own "i" */
	ck_assert_uint_eq(t.remote.iv[0], 1);
	ck_assert_uint_eq(t.alt_remote.iv[0], 2);
	/* without IPv4 NTCP2, SSU2 over IPv4 is next */
	ck_assert_int_eq(choose(&ri, ALL_WAYS & ~NTCP2_V6, never, 0, &t), 0);
	ck_assert_ptr_eq(t.alt_ops, &ssu2_ops);
	ck_assert_uint_eq(port_of(&t.alt_ss), 20002);
	ck_assert_uint_eq(t.alt_ssu2.intro_key[0], 3);
	ck_assert_uint_eq(t.alt_ssu2_mtu, 0);
}
END_TEST

START_TEST(test_choose_v6_only)
{
	static struct router_info	 ri;
	struct dial_target		 t;

	dual_stack(&ri);
	ck_assert_int_eq(choose(&ri, NTCP2_V6 | SSU2_V6, never, 0, &t), 0);
	ck_assert_ptr_eq(t.ops, &ntcp2_ops);
	ck_assert_uint_eq(port_of(&t.ss), 20001);
	ck_assert_ptr_eq(t.alt_ops, &ssu2_ops);
	ck_assert_int_eq(t.alt_ss.ss_family, AF_INET6);
	ck_assert_uint_eq(port_of(&t.alt_ss), 20003);
	ck_assert_uint_eq(t.alt_ssu2_mtu, 1400);
	/* SSU2 alone: no fallback */
	ck_assert_int_eq(choose(&ri, SSU2_V6, never, 0, &t), 0);
	ck_assert_ptr_eq(t.ops, &ssu2_ops);
	ck_assert_uint_eq(t.ssu2_mtu, 1400);
	ck_assert_ptr_null(t.alt_ops);
	/* a router with IPv4 addresses alone: nothing to dial */
	memset(&ri, 0, sizeof(ri));
	add_addr(&ri, "NTCP2", "198.18.0.1", "20000");
	add_addr(&ri, "SSU2", "198.18.0.1", "20000");
	ck_assert_int_eq(choose(&ri, NTCP2_V6 | SSU2_V6, never, 0, &t), -1);
	/* and the other way round */
	memset(&ri, 0, sizeof(ri));
	add_addr(&ri, "NTCP2", "2001:2::1", "20000");
	ck_assert_int_eq(choose(&ri, NTCP2_V4 | SSU2_V4, never, 0, &t), -1);
	ck_assert_int_eq(choose(&ri, ALL_WAYS, never, 0, &t), 0);
	ck_assert_int_eq(t.ss.ss_family, AF_INET6);
	ck_assert_ptr_null(t.alt_ops);
}
END_TEST

START_TEST(test_choose_failed)
{
	static struct router_info	 ri;
	struct dial_target		 t;
	int64_t				 at[RIADDR_WAYS] = { 0 };

	dual_stack(&ri);
	/* NTCP2 over IPv4 failed: IPv6 first, SSU2 over IPv4 next */
	at[0] = 100;
	ck_assert_int_eq(choose(&ri, ALL_WAYS, at, 0, &t), 0);
	ck_assert_uint_eq(port_of(&t.ss), 20001);
	ck_assert_uint_eq(port_of(&t.alt_ss), 20002);
	/* NTCP2 failed both ways: SSU2, IPv4 then IPv6 */
	at[1] = 200;
	ck_assert_int_eq(choose(&ri, ALL_WAYS, at, 0, &t), 0);
	ck_assert_ptr_eq(t.ops, &ssu2_ops);
	ck_assert_uint_eq(port_of(&t.ss), 20002);
	ck_assert_uint_eq(port_of(&t.alt_ss), 20003);
	/* everything failed: the oldest failure first */
	at[2] = 400;
	at[3] = 300;
	ck_assert_int_eq(choose(&ri, ALL_WAYS, at, 0, &t), 0);
	ck_assert_uint_eq(port_of(&t.ss), 20000);
	ck_assert_uint_eq(port_of(&t.alt_ss), 20001);
	at[0] = 500;
	ck_assert_int_eq(choose(&ri, ALL_WAYS, at, 0, &t), 0);
	ck_assert_uint_eq(port_of(&t.ss), 20001);
	ck_assert_uint_eq(port_of(&t.alt_ss), 20003);
}
END_TEST

START_TEST(test_choose_main_net)
{
	static struct router_info	 ri;
	struct dial_target		 t;

	dual_stack(&ri);
	ck_assert_int_eq(choose(&ri, ALL_WAYS, never, 1, &t), -1);
	add_addr(&ri, "NTCP2", "2a01:4f8::1", "20004");
	ck_assert_int_eq(choose(&ri, ALL_WAYS, never, 1, &t), 0);
	ck_assert_uint_eq(port_of(&t.ss), 20004);
	ck_assert_ptr_null(t.alt_ops);
}
END_TEST

/* hosts and ports no dial may take, then a good one after them */
START_TEST(test_choose_malformed)
{
	static const char *const hosts[] = {
		"[2001:2::1]", "2001:2::1%lo", "2001:2:::1", "2001:2::1/64",
		"2001:2::1:20000", "2001:2::g", "2001:2:0:0:0:0:0:0:1",
		"::ffff:1.2.3", "", " 2001:2::1", "2001:2::1 ", "localhost",
		"198.18.0.1.1", "198.18.0.256", "0x7f.1",
	};
	static const char *const ports[] = {
		"0", "65536", "-1", "20000x", "", "0x4e20",
	};
	static struct router_info	 ri;
	struct dial_target		 t;
	size_t				 i;

	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		memset(&ri, 0, sizeof(ri));
		add_addr(&ri, "NTCP2", hosts[i], "20000");
		add_addr(&ri, "SSU2", hosts[i], "20000");
		ck_assert_msg(choose(&ri, ALL_WAYS, never, 0, &t) == -1,
		    "host \"%s\"", hosts[i]);
	}
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		memset(&ri, 0, sizeof(ri));
		add_addr(&ri, "NTCP2", "2001:2::1", ports[i]);
		ck_assert_msg(choose(&ri, ALL_WAYS, never, 0, &t) == -1,
		    "port \"%s\"", ports[i]);
	}
	/* no host; keys too short; no "v" 2: skipped for the next one */
	memset(&ri, 0, sizeof(ri));
	add_addr(&ri, "NTCP2", NULL, "20000");
	set_key(&add_addr(&ri, "NTCP2", "2001:2::1", "20001")->options, "s",
	    0x11, 31);
	mapping_set(&add_addr(&ri, "SSU2", "2001:2::1", "20002")->options,
	    "v", "1");
	add_addr(&ri, "SSU2", "2001:2::2", "20003");
	ck_assert_int_eq(choose(&ri, ALL_WAYS, never, 0, &t), 0);
	ck_assert_ptr_eq(t.ops, &ssu2_ops);
	ck_assert_uint_eq(port_of(&t.ss), 20003);
	ck_assert_ptr_null(t.alt_ops);
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
	tc = tcase_create("choose");
	tcase_add_test(tc, test_choose_order);
	tcase_add_test(tc, test_choose_v6_only);
	tcase_add_test(tc, test_choose_failed);
	tcase_add_test(tc, test_choose_main_net);
	tcase_add_test(tc, test_choose_malformed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(netd_riaddr_suite());
}
