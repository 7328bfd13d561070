/*
 * What NTCP2 needs from RouterInfos.  Ours (IMSG_NET_LOCAL, sent by
 * routerd whenever it publishes): our router hash, the static key "s"
 * and IV "i" of our NTCP2 address, the netId, and the RouterInfo's
 * bytes for message 3.  A peer's (IMSG_NET_DIAL): its hash and the
 * first NTCP2 address with host, port, s and i, IPv4 before IPv6.
 * routerd checked the signatures before it sent either.
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
static uint8_t			 local_ri[RI_MAXLEN];
static int			 local_ok, local_inbound;
/* 27 KB: too big for the stack of a callback, and never reentered */
static struct router_info	 scratch;

const struct ntcp2_local *
riaddr_get_local(void)
{
	return local_ok ? &local : NULL;
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
	log_debug("our RouterInfo: netId %u, inbound NTCP2 %s", l.netid,
	    inbound ? "yes" : "no (no \"i\")");
	return 0;
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

/* the first usable NTCP2 address of that family */
static int
riaddr_pick(const struct router_info *ri, int family, struct dial_target *t)
{
	const struct router_address	*ra;
	size_t				 i;

	for (i = 0; i < ri->naddrs && i < RI_MAX_ADDRS; i++) {
		ra = &ri->addrs[i];
		if (strcmp(ra->style, "NTCP2") != 0 ||
		    riaddr_sockaddr(ra, family, &t->ss) == -1 ||
		    mapping_get_b64(&ra->options, "s", t->remote.static_pub,
		    32) == -1 ||
		    mapping_get_b64(&ra->options, "i", t->remote.iv, 16) == -1)
			continue;
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
	if (riaddr_pick(&scratch, AF_INET, t) == -1 &&
	    riaddr_pick(&scratch, AF_INET6, t) == -1) {
		log_debug("NET_DIAL: no dialable NTCP2 address");
		return -1;
	}
	return 0;
}
