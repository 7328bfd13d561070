/*
 * The configuration as the parent streams it to the children
 * (IMSG_RECONF_CONF, IMSG_RECONF_LISTEN): both directions in one place,
 * so that what the parent writes is exactly what a child accepts.  A
 * child checks every field: strings terminated, numbers in the ranges
 * the parser allows, destinations valid and unique by name, a known
 * address family and a port.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <bsd/string.h>
#include <string.h>

#include "i2prd.h"
#include "log.h"

/* field by field: no byte past a name's NUL goes along */
static void
dest_copy(struct dest_conf *dst, const struct dest_conf *src)
{
	int	 dir;

	strlcpy(dst->name, src->name, sizeof(dst->name));
	for (dir = TUNNEL_IN; dir <= TUNNEL_OUT; dir++) {
		dst->length[dir] = src->length[dir];
		dst->quantity[dir] = src->quantity[dir];
	}
}

void
conf_to_msg(const struct i2prd_conf *conf, uint32_t generation,
    struct conf_msg *cm)
{
	int	 i;

	memset(cm, 0, sizeof(*cm));
	strlcpy(cm->statedir, conf->statedir, sizeof(cm->statedir));
	strlcpy(cm->user, conf->user, sizeof(cm->user));
	strlcpy(cm->csock, conf->csock, sizeof(cm->csock));
	strlcpy(cm->pidfile, conf->pidfile, sizeof(cm->pidfile));
	cm->netid = conf->netid;
	cm->floodfill = conf->floodfill;
	cm->ff_lookup_rate = conf->ff_lookup_rate;
	cm->ff_lookup_burst = conf->ff_lookup_burst;
	cm->expl_length[0] = conf->expl_in_length;
	cm->expl_length[1] = conf->expl_out_length;
	cm->expl_quantity[0] = conf->expl_in_quantity;
	cm->expl_quantity[1] = conf->expl_out_quantity;
	cm->expl_fixed_gw = conf->expl_fixed_gw;
	cm->transit_max = conf->transit_max;
	cm->transit_rate = conf->transit_rate;
	cm->transit_burst = conf->transit_burst;
	cm->bandwidth = conf->bandwidth;
	cm->share = conf->share;
	cm->build_long = conf->build_long;
	cm->log_level = conf->log_level;
	cm->test_drop = conf->test_drop;
	strlcpy(cm->reseed_signer, conf->reseed_signer,
	    sizeof(cm->reseed_signer));
	/* the entries past ndests stay zero */
	for (i = 0; i < conf->ndests; i++)
		dest_copy(&cm->dests[i], &conf->dests[i]);
	cm->ndests = conf->ndests;
	cm->sam = conf->sam;
	cm->generation = generation;
}

static int
expl_ok(int32_t length, int32_t quantity)
{
	return length >= 1 && length <= EXPL_LENGTH_MAX && quantity >= 1 &&
	    quantity <= EXPL_QUANTITY_MAX;
}

/*
 * The first n entries: names terminated and valid, no name twice (a name
 * stands for one key in tunneld), tunnels in the exploratory limits.
 */
static int
dests_ok(const struct dest_conf *dests, int32_t n)
{
	int	 i, j, dir;

	if (n < 0 || n > DESTS_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		if (memchr(dests[i].name, '\0', sizeof(dests[i].name)) ==
		    NULL || !dest_name_ok(dests[i].name))
			return 0;
		for (dir = TUNNEL_IN; dir <= TUNNEL_OUT; dir++)
			if (!expl_ok(dests[i].length[dir],
			    dests[i].quantity[dir]))
				return 0;
		for (j = 0; j < i; j++)
			if (strcmp(dests[i].name, dests[j].name) == 0)
				return 0;
	}
	return 1;
}

int
conf_from_msg(struct i2prd_conf *conf, const struct conf_msg *cm)
{
	int	 i;

	if (memchr(cm->statedir, '\0', sizeof(cm->statedir)) == NULL ||
	    memchr(cm->user, '\0', sizeof(cm->user)) == NULL ||
	    memchr(cm->csock, '\0', sizeof(cm->csock)) == NULL ||
	    memchr(cm->pidfile, '\0', sizeof(cm->pidfile)) == NULL ||
	    cm->netid < 1 || cm->netid > 255 ||
	    (cm->floodfill != 0 && cm->floodfill != 1) ||
	    cm->ff_lookup_rate < 1 || cm->ff_lookup_rate > FF_LOOKUP_RATE_MAX ||
	    cm->ff_lookup_burst < cm->ff_lookup_rate ||
	    cm->ff_lookup_burst > FF_LOOKUP_RATE_MAX ||
	    !expl_ok(cm->expl_length[0], cm->expl_quantity[0]) ||
	    !expl_ok(cm->expl_length[1], cm->expl_quantity[1]) ||
	    cm->expl_fixed_gw < 0 || cm->expl_fixed_gw > EXPL_FIXED_GW_MAX ||
	    cm->transit_max < 0 || cm->transit_max > TRANSIT_MAX_LIMIT ||
	    cm->transit_rate < 1 || cm->transit_rate > TRANSIT_BUILD_RATE_MAX ||
	    cm->transit_burst < cm->transit_rate ||
	    cm->transit_burst > TRANSIT_BUILD_RATE_MAX ||
	    cm->bandwidth < 0 || cm->bandwidth > BANDWIDTH_MAX ||
	    cm->share < 1 || cm->share > 100 ||
	    (cm->build_long != 0 && cm->build_long != 1) ||
	    log_levelname(cm->log_level) == NULL ||
	    cm->test_drop < 0 || cm->test_drop > TEST_DROP_MAX ||
	    memchr(cm->reseed_signer, '\0', sizeof(cm->reseed_signer)) ==
	    NULL || (cm->reseed_signer[0] != '\0' &&
	    !reseed_signer_ok(cm->reseed_signer)) ||
	    !dests_ok(cm->dests, cm->ndests) || sam_conf_check(&cm->sam) == -1)
		return -1;
	strlcpy(conf->statedir, cm->statedir, sizeof(conf->statedir));
	strlcpy(conf->user, cm->user, sizeof(conf->user));
	strlcpy(conf->csock, cm->csock, sizeof(conf->csock));
	strlcpy(conf->pidfile, cm->pidfile, sizeof(conf->pidfile));
	conf->netid = cm->netid;
	conf->floodfill = cm->floodfill;
	conf->ff_lookup_rate = cm->ff_lookup_rate;
	conf->ff_lookup_burst = cm->ff_lookup_burst;
	conf->expl_in_length = cm->expl_length[0];
	conf->expl_out_length = cm->expl_length[1];
	conf->expl_in_quantity = cm->expl_quantity[0];
	conf->expl_out_quantity = cm->expl_quantity[1];
	conf->expl_fixed_gw = cm->expl_fixed_gw;
	conf->transit_max = cm->transit_max;
	conf->transit_rate = cm->transit_rate;
	conf->transit_burst = cm->transit_burst;
	conf->bandwidth = cm->bandwidth;
	conf->share = cm->share;
	conf->build_long = cm->build_long;
	conf->log_level = cm->log_level;
	conf->test_drop = cm->test_drop;
	strlcpy(conf->reseed_signer, cm->reseed_signer,
	    sizeof(conf->reseed_signer));
	for (i = 0; i < cm->ndests; i++)
		dest_copy(&conf->dests[i], &cm->dests[i]);
	conf->ndests = cm->ndests;
	conf->sam = cm->sam;
	return 0;
}

int
sam_conf_check(const struct sam_conf *sc)
{
	if (memchr(sc->user, '\0', sizeof(sc->user)) == NULL ||
	    memchr(sc->password, '\0', sizeof(sc->password)) == NULL)
		return -1;
	if (sc->family == 0)
		return sc->port == 0 && sc->udp_port == 0 &&
		    sc->user[0] == '\0' ? 0 : -1;
	if ((sc->family != 4 && sc->family != 6) || sc->port == 0 ||
	    sc->udp_port == 0 || sc->udp_port == sc->port)
		return -1;
	return 0;
}

void
listen_to_msg(const struct sockaddr_storage *ss, struct listen_msg *lm)
{
	const struct sockaddr_in	*sin = (const void *)ss;
	const struct sockaddr_in6	*sin6 = (const void *)ss;

	memset(lm, 0, sizeof(*lm));
	if (ss->ss_family == AF_INET) {
		lm->family = 4;
		memcpy(lm->addr, &sin->sin_addr, 4);
		lm->port = ntohs(sin->sin_port);
	} else {
		lm->family = 6;
		memcpy(lm->addr, &sin6->sin6_addr, 16);
		lm->port = ntohs(sin6->sin6_port);
	}
}

int
listen_from_msg(struct sockaddr_storage *ss, const struct listen_msg *lm)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (lm->port == 0)
		return -1;
	if (lm->family == 4) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, lm->addr, 4);
		sin->sin_port = htons(lm->port);
	} else if (lm->family == 6) {
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, lm->addr, 16);
		sin6->sin6_port = htons(lm->port);
	} else
		return -1;
	return 0;
}

const char *
proxy_kind_name(enum proxy_kind kind)
{
	switch (kind) {
	case PROXY_CLIENT:
		return "client";
	case PROXY_SERVER:
		return "server";
	case PROXY_IRC_CLIENT:
		return "irc client";
	case PROXY_IRC_SERVER:
		return "irc server";
	case PROXY_SOCKS:
		return "socks proxy";
	case PROXY_UDP_CLIENT:
		return "udp client";
	case PROXY_UDP_SERVER:
		return "udp server";
	case PROXY_HTTP_SERVER:
		return "http server";
	case PROXY_HTTP:
		return "http proxy";
	}
	return "?";
}

int
proxy_kind_listens(enum proxy_kind kind)
{
	return kind != PROXY_SERVER && kind != PROXY_IRC_SERVER &&
	    kind != PROXY_UDP_SERVER && kind != PROXY_HTTP_SERVER;
}

int
proxy_kind_udp(enum proxy_kind kind)
{
	return kind == PROXY_UDP_CLIENT || kind == PROXY_UDP_SERVER;
}

/* 1 if a jump URL: http(s)://, printable, no spaces, NUL-terminated */
int
proxy_jump_ok(const char *url, size_t size)
{
	size_t	 i, n;

	if ((n = strnlen(url, size)) == size || n == 0)
		return 0;
	if (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0)
		return 0;
	for (i = 0; i < n; i++)
		if (url[i] <= ' ' || url[i] >= 0x7f)
			return 0;
	return 1;
}

/* jump URLs: an http proxy's, a given list of at most PROXY_JUMPS_MAX */
static int
proxy_jumps_check(const struct proxy_conf *pc)
{
	uint8_t	 i;

	if (pc->jumps_set > 1 || pc->njumps > PROXY_JUMPS_MAX ||
	    (pc->jumps_set && pc->kind != PROXY_HTTP) ||
	    (!pc->jumps_set && pc->njumps != 0))
		return -1;
	for (i = 0; i < pc->njumps; i++)
		if (!proxy_jump_ok(pc->jumps[i], sizeof(pc->jumps[i])))
			return -1;
	return 0;
}

int
proxy_conf_check(const struct proxy_conf *pc)
{
	if (memchr(pc->dest, '\0', sizeof(pc->dest)) == NULL ||
	    !dest_name_ok(pc->dest) ||
	    memchr(pc->target, '\0', sizeof(pc->target)) == NULL ||
	    memchr(pc->user, '\0', sizeof(pc->user)) == NULL ||
	    memchr(pc->password, '\0', sizeof(pc->password)) == NULL ||
	    memchr(pc->host, '\0', sizeof(pc->host)) == NULL)
		return -1;
	if (pc->host[0] != '\0' && pc->kind != PROXY_HTTP_SERVER)
		return -1;
	if (proxy_jumps_check(pc) == -1)
		return -1;
	if (pc->kind < PROXY_CLIENT || pc->kind > PROXY_KIND_LAST)
		return -1;
	if ((pc->family != 4 && pc->family != 6) || pc->port == 0 ||
	    pc->nallow > PROXY_ALLOW_MAX)
		return -1;
	/* a user and password for proxies, a password (WEBIRC) for irc */
	if (pc->kind == PROXY_SOCKS || pc->kind == PROXY_HTTP) {
		if ((pc->user[0] == '\0') != (pc->password[0] == '\0'))
			return -1;
	} else if (pc->user[0] != '\0' || (pc->password[0] != '\0' &&
	    pc->kind != PROXY_IRC_SERVER))
		return -1;
	switch (pc->kind) {
	case PROXY_CLIENT:
	case PROXY_IRC_CLIENT:
	case PROXY_UDP_CLIENT:
		return pc->target[0] != '\0' && pc->nallow == 0 &&
		    pc->i2p_port == 0 ? 0 : -1;
	case PROXY_SOCKS:
	case PROXY_HTTP:
		/* target: the outproxy, if any */
		return pc->nallow == 0 && pc->i2p_port == 0 &&
		    (pc->target[0] != '\0' || pc->target_port == 0) ? 0 : -1;
	default:
		return pc->target[0] == '\0' && pc->target_port == 0 ? 0 : -1;
	}
}
