/*
 * What NTCP2 and SSU2 need from RouterInfos.  Ours (IMSG_NET_LOCAL,
 * sent by routerd whenever it publishes): our router hash, the static
 * key "s" and IV "i" of our NTCP2 address, the SSU2 intro key "i" when
 * we publish SSU2, the netId, and the RouterInfo's bytes for message 3
 * and Session Confirmed.  A peer's (IMSG_NET_DIAL): its hash and the
 * first NTCP2 or SSU2 address with host, port, s and i of the first
 * way (transport and family) we have and it has, NTCP2 before SSU2 and
 * IPv4 before IPv6 but what failed lately last, and the next way's for
 * a fallback.  An IPv6-only router (its "listen on" lines all IPv6)
 * dials IPv6 alone.
 * routerd checked the signatures before it sent either.
 *
 * On the main network (netId 2) a peer's address must be one the
 * public Internet routes, and its port 1024 or above: anyone may
 * publish a RouterInfo naming loopback, a LAN host or port 22 for us to
 * send random-looking bytes to.  Test networks (any other netId) run in
 * private ranges, 198.18.0.0/15 in a namespace for ours, and may dial
 * anything (docs/decisions.md).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "i2pdata.h"
#include "log.h"
#include "netd.h"
#include "proc.h"

static struct ntcp2_local	 local;
static struct ssu2_local	 local_ssu2;
static uint8_t			 local_ri[RI_MAXLEN];
static int			 local_ok, local_inbound, local_ssu2_ok;
/* 27 KB: too big for the stack of a callback, and never reentered */
static struct router_info	 scratch;

const struct ntcp2_local *
riaddr_get_local(void)
{
	return local_ok ? &local : NULL;
}

const uint8_t *
riaddr_local_hash(void)
{
	return local_ok ? local.hash : NULL;
}

const struct ssu2_local *
riaddr_get_ssu2(void)
{
	return local_ok && local_ssu2_ok ? &local_ssu2 : NULL;
}

/* our SSU2 "i": published only while SSU2 is configured */
static int
riaddr_local_ssu2(const struct router_info *ri, uint8_t ikey[32])
{
	const struct router_address	*ra;
	size_t				 i;

	for (i = 0; i < ri->naddrs && i < RI_MAX_ADDRS; i++) {
		ra = &ri->addrs[i];
		if (strcmp(ra->style, "SSU2") == 0 &&
		    mapping_get_b64(&ra->options, "i", ikey, 32) == 0)
			return 0;
	}
	return -1;
}

int
riaddr_local_inbound(void)
{
	return local_ok && local_inbound;
}

/* our NTCP2 s (required) and i (only if we listen) */
static int
riaddr_local_keys(const struct router_info *ri, struct ntcp2_local *l,
    int *inbound)
{
	const struct router_address	*ra;
	int				 have_s = 0;
	size_t				 i;

	*inbound = 0;
	for (i = 0; i < ri->naddrs && i < RI_MAX_ADDRS; i++) {
		ra = &ri->addrs[i];
		if (strcmp(ra->style, "NTCP2") != 0)
			continue;
		if (!have_s && mapping_get_b64(&ra->options, "s",
		    l->static_pub, sizeof(l->static_pub)) == 0)
			have_s = 1;
		if (!*inbound && mapping_get_b64(&ra->options, "i", l->iv,
		    sizeof(l->iv)) == 0)
			*inbound = 1;
	}
	return have_s ? 0 : -1;
}

int
riaddr_local(const uint8_t *data, size_t len)
{
	struct ntcp2_local	 l;
	struct i2p_err		 err;
	unsigned long long	 netid;
	char			 ebuf[128];
	int			 inbound;

	memset(&l, 0, sizeof(l));
	if (len > sizeof(local_ri) || ri_parse(&scratch, data, len,
	    &err) == -1) {
		log_warnx("our RouterInfo: %s", len > sizeof(local_ri) ?
		    "too large" : i2p_errstr(&err, ebuf, sizeof(ebuf)));
		return -1;
	}
	if (riaddr_local_keys(&scratch, &l, &inbound) == -1) {
		log_warnx("our RouterInfo has no NTCP2 address with a key");
		return -1;
	}
	if (mapping_get_uint(&scratch.options, "netId", 255, &netid) == -1)
		netid = child_conf()->netid;
	memcpy(l.hash, scratch.ident.hash, sizeof(l.hash));
	l.netid = netid;
	memcpy(local_ri, data, len);
	l.ri = local_ri;
	l.rilen = len;
	local = l;
	local_ok = 1;
	local_inbound = inbound;
	/* the SSU2 static key is the NTCP2 one, as i2pd's (decisions.md) */
	memset(&local_ssu2, 0, sizeof(local_ssu2));
	local_ssu2_ok = riaddr_local_ssu2(&scratch, local_ssu2.intro_key) == 0;
	memcpy(local_ssu2.static_pub, l.static_pub, 32);
	local_ssu2.netid = l.netid;
	local_ssu2.ri = local_ri;
	local_ssu2.rilen = len;
	local_ssu2.mtu = SSU2_PKT_MAX;
	log_debug("our RouterInfo: netId %u, inbound NTCP2 %s", l.netid,
	    inbound ? "yes" : "no (no \"i\")");
	return 0;
}

/* IPv4 ranges no router on the Internet is at (RFC 6890 and others) */
static const struct {
	uint32_t	 net;
	int		 bits;
} riaddr_v4_special[] = {
	{ 0x00000000, 8 },	/* 0/8 "this network" */
	{ 0x0a000000, 8 },	/* 10/8 private */
	{ 0x64400000, 10 },	/* 100.64/10 carrier-grade NAT */
	{ 0x7f000000, 8 },	/* 127/8 loopback */
	{ 0xa9fe0000, 16 },	/* 169.254/16 link-local */
	{ 0xac100000, 12 },	/* 172.16/12 private */
	{ 0xc0000000, 24 },	/* 192.0.0/24 protocol assignments */
	{ 0xc0000200, 24 },	/* 192.0.2/24 documentation */
	{ 0xc0a80000, 16 },	/* 192.168/16 private */
	{ 0xc6120000, 15 },	/* 198.18/15 benchmarking */
	{ 0xc6336400, 24 },	/* 198.51.100/24 documentation */
	{ 0xcb007100, 24 },	/* 203.0.113/24 documentation */
	{ 0xe0000000, 4 },	/* 224/4 multicast */
	{ 0xf0000000, 4 },	/* 240/4 reserved, broadcast */
};

static int
riaddr_v4_public(const struct in_addr *in)
{
	uint32_t	 a = ntohl(in->s_addr), mask;
	size_t		 i;

	for (i = 0; i < sizeof(riaddr_v4_special) /
	    sizeof(riaddr_v4_special[0]); i++) {
		mask = 0xffffffffU << (32 - riaddr_v4_special[i].bits);
		if ((a & mask) == riaddr_v4_special[i].net)
			return 0;
	}
	return 1;
}

/*
 * Global unicast is 2000::/3: that leaves out ::, ::1, IPv4-compatible
 * and NAT64 forms, fc00::/7, fe80::/10, ff00::/8.  Less the
 * documentation prefixes 2001:db8::/32 and 3fff::/20 and the
 * benchmarking 2001:2::/48 (198.18/15's twin; our IPv6 test network).
 * An IPv4-mapped address is its IPv4 address.
 */
static int
riaddr_v6_public(const struct in6_addr *in6)
{
	const uint8_t	*a = in6->s6_addr;
	struct in_addr	 in;

	if (IN6_IS_ADDR_V4MAPPED(in6)) {
		memcpy(&in.s_addr, a + 12, 4);
		return riaddr_v4_public(&in);
	}
	if ((a[0] & 0xe0) != 0x20)
		return 0;
	if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8)
		return 0;
	if (a[0] == 0x3f && a[1] == 0xff && (a[2] & 0xf0) == 0)
		return 0;
	if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0x02 &&
	    a[4] == 0 && a[5] == 0)
		return 0;
	return 1;
}

int
riaddr_public(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in	*sin = (const void *)ss;
	const struct sockaddr_in6	*sin6 = (const void *)ss;

	switch (ss->ss_family) {
	case AF_INET:
		return ntohs(sin->sin_port) >= 1024 &&
		    riaddr_v4_public(&sin->sin_addr);
	case AF_INET6:
		return ntohs(sin6->sin6_port) >= 1024 &&
		    riaddr_v6_public(&sin6->sin6_addr);
	default:
		return 0;
	}
}

/* host and port of one address into ss; -1 if absent or not inet */
static int
riaddr_sockaddr(const struct router_address *ra, int family,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	const char		*host;
	unsigned long long	 port;

	memset(ss, 0, sizeof(*ss));
	if ((host = mapping_get(&ra->options, "host")) == NULL ||
	    mapping_get_uint(&ra->options, "port", 65535, &port) == -1 ||
	    port == 0)
		return -1;
	if (family == AF_INET && inet_pton(AF_INET, host,
	    &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return 0;
	}
	if (family == AF_INET6 && inet_pton(AF_INET6, host,
	    &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		return 0;
	}
	return -1;
}

/* "B" in an SSU2 address's caps: it takes part in peer tests */
static int
riaddr_caps_b(const struct router_address *ra)
{
	const char	*caps = mapping_get(&ra->options, "caps");

	return caps != NULL && strchr(caps, 'B') != NULL;
}

/* the keys of an address of that style into t; -1 if incomplete */
static int
riaddr_keys(const struct router_address *ra, int ssu2, struct dial_target *t)
{
	const char		*v;
	unsigned long long	 mtu;

	if (!ssu2)
		return mapping_get_b64(&ra->options, "s", t->remote.static_pub,
		    32) == -1 || mapping_get_b64(&ra->options, "i",
		    t->remote.iv, 16) == -1 ? -1 : 0;
	/* "v" lists the versions: SSU2 is 2 */
	if ((v = mapping_get(&ra->options, "v")) == NULL ||
	    strchr(v, '2') == NULL ||
	    mapping_get_b64(&ra->options, "s", t->ssu2.static_pub, 32) == -1 ||
	    mapping_get_b64(&ra->options, "i", t->ssu2.intro_key, 32) == -1)
		return -1;
	/* its largest packet (IP header included); ours is 1500 */
	if (mapping_get_uint(&ra->options, "mtu", 65535, &mtu) == 0)
		t->ssu2_mtu = mtu;
	t->ssu2_tester = riaddr_caps_b(ra);
	return 0;
}

/* the first usable address of that style and family */
static int
riaddr_pick(const struct router_info *ri, int ssu2, int family, int main_net,
    struct dial_target *t)
{
	const struct router_address	*ra;
	const char			*style = ssu2 ? "SSU2" : "NTCP2";
	size_t				 i;

	for (i = 0; i < ri->naddrs && i < RI_MAX_ADDRS; i++) {
		ra = &ri->addrs[i];
		if (strcmp(ra->style, style) != 0 ||
		    riaddr_sockaddr(ra, family, &t->ss) == -1)
			continue;
		if (main_net && !riaddr_public(&t->ss)) {
			log_debug("NET_DIAL: %s %s address %s port %s is not "
			    "public", style, family == AF_INET ? "IPv4" :
			    "IPv6", mapping_get(&ra->options, "host"),
			    mapping_get(&ra->options, "port"));
			continue;
		}
		if (riaddr_keys(ra, ssu2, t) == -1)
			continue;
		t->ops = ssu2 ? &ssu2_ops : &ntcp2_ops;
		return 0;
	}
	return -1;
}

/* a way's index: NTCP2 before SSU2, IPv4 before IPv6 */
static int
riaddr_way(int ssu2, int family)
{
	return ssu2 * 2 + (family == AF_INET6);
}

/*
 * Dials that failed, by router, transport and family: the next dial to
 * that router tries the other ways first, for FAILED_TTL.
 */
#define FAILED_MAX	256
#define FAILED_TTL	600	/* s */

static struct {
	uint8_t		 hash[32];
	int		 way;
	int64_t		 when;
} failed[FAILED_MAX];
static size_t	failed_next;

void
riaddr_failed(const uint8_t hash[32], const struct transport_ops *ops,
    int family)
{
	int	way = riaddr_way(ops == &ssu2_ops, family);
	size_t	i;

	for (i = 0; i < FAILED_MAX; i++)
		if (failed[i].when != 0 && failed[i].way == way &&
		    memcmp(failed[i].hash, hash, 32) == 0)
			break;
	if (i == FAILED_MAX) {
		i = failed_next;
		failed_next = (failed_next + 1) % FAILED_MAX;
	}
	memcpy(failed[i].hash, hash, 32);
	failed[i].way = way;
	failed[i].when = netd_now();
}

/* when each way to that router last failed, 0 if not lately */
static void
riaddr_failed_at(const uint8_t hash[32], int64_t at[RIADDR_WAYS])
{
	size_t	i;

	memset(at, 0, RIADDR_WAYS * sizeof(at[0]));
	for (i = 0; i < FAILED_MAX; i++)
		if (failed[i].when != 0 &&
		    netd_now() - failed[i].when < FAILED_TTL &&
		    memcmp(failed[i].hash, hash, 32) == 0)
			at[failed[i].way] = failed[i].when;
}

unsigned
riaddr_ways(void)
{
	const struct listen_addr	*la;
	unsigned			 fam = 0, ways = 0;

	TAILQ_FOREACH(la, &child_conf()->listen, entry)
		fam |= la->ss.ss_family == AF_INET6 ? 2 : 1;
	/* no "listen on" tells us nothing: try both */
	if (fam == 0)
		fam = 3;
	if (fam & 1)
		ways |= 1U << riaddr_way(0, AF_INET);
	if (fam & 2)
		ways |= 1U << riaddr_way(0, AF_INET6);
	if (ssu2_can_dial(AF_INET))
		ways |= 1U << riaddr_way(1, AF_INET);
	if (ssu2_can_dial(AF_INET6))
		ways |= 1U << riaddr_way(1, AF_INET6);
	return ways;
}

/* the ways in the order to try: those that failed later go later */
static void
riaddr_order(const int64_t at[RIADDR_WAYS], int order[RIADDR_WAYS])
{
	int	 i, j;

	for (i = 0; i < RIADDR_WAYS; i++) {
		for (j = i; j > 0 && at[order[j - 1]] > at[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
}

/* u, picked second, becomes t's fallback */
static void
riaddr_set_alt(struct dial_target *t, const struct dial_target *u)
{
	t->alt_ops = u->ops;
	t->alt_ss = u->ss;
	t->alt_remote = u->remote;
	t->alt_ssu2 = u->ssu2;
	t->alt_ssu2_mtu = u->ssu2_mtu;
	t->alt_ssu2_tester = u->ssu2_tester;
}

int
riaddr_choose(const struct router_info *ri, unsigned ways,
    const int64_t at[RIADDR_WAYS], int main_net, struct dial_target *t)
{
	struct dial_target	 u;
	int			 order[RIADDR_WAYS], i, w, n = 0;

	riaddr_order(at, order);
	for (i = 0; i < RIADDR_WAYS && n < 2; i++) {
		w = order[i];
		u = *t;
		if ((ways & (1U << w)) == 0 || riaddr_pick(ri, w / 2,
		    w % 2 ? AF_INET6 : AF_INET, main_net, &u) == -1)
			continue;
		if (n++ == 0)
			*t = u;
		else
			riaddr_set_alt(t, &u);
	}
	return n > 0 ? 0 : -1;
}

unsigned
riaddr_ssu2_mtu(const uint8_t *data, size_t len, int family)
{
	const struct router_address	*ra;
	struct sockaddr_storage		 ss;
	unsigned long long		 mtu;
	size_t				 i;

	if (ri_parse(&scratch, data, len, NULL) == -1)
		return 0;
	for (i = 0; i < scratch.naddrs && i < RI_MAX_ADDRS; i++) {
		ra = &scratch.addrs[i];
		/* i2pd publishes one on its IPv6 address alone */
		if (strcmp(ra->style, "SSU2") == 0 &&
		    riaddr_sockaddr(ra, family, &ss) == 0 &&
		    mapping_get_uint(&ra->options, "mtu", 65535, &mtu) == 0)
			return mtu;
	}
	return 0;
}

int
riaddr_ssu2_tester(const uint8_t *data, size_t len)
{
	size_t	 i;

	if (ri_parse(&scratch, data, len, NULL) == -1)
		return 0;
	for (i = 0; i < scratch.naddrs && i < RI_MAX_ADDRS; i++)
		if (strcmp(scratch.addrs[i].style, "SSU2") == 0 &&
		    riaddr_caps_b(&scratch.addrs[i]))
			return 1;
	return 0;
}

int
riaddr_ssu2_peer(const struct router_info *ri, int family,
    struct sockaddr_storage *ss, uint8_t ikey[32])
{
	const struct router_address	*ra;
	size_t				 i;

	for (i = 0; i < ri->naddrs && i < RI_MAX_ADDRS; i++) {
		ra = &ri->addrs[i];
		if (strcmp(ra->style, "SSU2") == 0 &&
		    riaddr_sockaddr(ra, family, ss) == 0 &&
		    mapping_get_b64(&ra->options, "i", ikey, 32) == 0)
			return 0;
	}
	return -1;
}

int
riaddr_dial(const uint8_t *data, size_t len, struct dial_target *t)
{
	struct i2p_err		 err;
	unsigned long long	 netid;
	char			 ebuf[128];
	int64_t			 at[RIADDR_WAYS];

	memset(t, 0, sizeof(*t));
	if (ri_parse(&scratch, data, len, &err) == -1) {
		log_warnx("NET_DIAL: %s", i2p_errstr(&err, ebuf,
		    sizeof(ebuf)));
		return -1;
	}
	memcpy(t->hash, scratch.ident.hash, sizeof(t->hash));
	memcpy(t->remote.hash, scratch.ident.hash, sizeof(t->remote.hash));
	/* a router of another network would refuse our message 1 */
	if (mapping_get_uint(&scratch.options, "netId", 255, &netid) == -1 ||
	    (int)netid != child_conf()->netid) {
		log_debug("NET_DIAL: router of another network");
		return -1;
	}
	riaddr_failed_at(t->hash, at);
	if (riaddr_choose(&scratch, riaddr_ways(), at, child_conf()->netid ==
	    I2PRD_NETID_DEFAULT, t) == -1) {
		log_debug("NET_DIAL: no dialable address");
		return -1;
	}
	return 0;
}
