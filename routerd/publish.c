/*
 * Our own RouterInfo.  The identity's public keys and the NTCP2 static
 * key come from cryptod; the RouterInfo is built from the configuration
 * (an NTCP2 address per "listen on", caps, netId, router.version),
 * signed by cryptod, checked against the identity, and written to
 * router.info in routerd's directory.  It is rebuilt when the
 * configuration changes what it says.
 *
 * The NTCP2 "s" is its own key, not the identity's X25519 key: netd may
 * DH with the first only, so a compromised netd cannot open the build
 * records and garlic that the second decrypts (audit #9).  A router
 * whose state predates ntcp2.key keeps its identity; cryptod makes the
 * key and the RouterInfo signed at start-up carries it.
 *
 * The NTCP2 "i" (the IV that obfuscates message 1) is public but must
 * stay the same as long as peers may hold our RouterInfo, so it is kept
 * in ntcp2.iv next to router.info.
 *
 * SSU2 ("listen on ... ssu2") publishes an SSU2 address per such line,
 * and none without one.  Its "s" is the NTCP2 static key, as i2pd does
 * (cryptod lets netd DH with that key alone); its "i", the intro key
 * that keys the headers peers send us, is public, random, and kept in
 * ssu2.ikey for the same reason as ntcp2.iv.
 */
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bsd/string.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "file.h"
#include "i2pdata.h"
#include "log.h"
#include "routerd.h"
#include "throttle.h"

#define ROUTER_INFO_FILE	"router.info"
#define NTCP2_IV_FILE		"ntcp2.iv"
#define SSU2_IKEY_FILE		"ssu2.ikey"
#define ROUTER_VERSION		"0.9.57"
#define NTCP2_COST		3
#define SSU2_COST		8	/* i2pd's: NTCP2 first where both */

static struct i2p_ident		 ident;
static uint8_t			 ntcp2_static[32];	/* published as "s" */
static int			 have_ident, have_static;
static uint8_t			 ntcp2_iv[16];
static uint8_t			 ssu2_ikey[32];
static struct router_info	*cur;		/* published, or NULL */
static struct router_info	*pending;	/* waiting for its signature */
static uint32_t			 sign_reqid;	/* the request in flight */
static uint32_t			 next_reqid = 1;
static uint64_t			 last_published;
/* netd's SSU2 peer test results, IPv4 and IPv6 (enum net_reach_state) */
static uint8_t			 ssu2_reach[2];

const struct router_info *
publish_current(void)
{
	return cur;
}

/* public random bytes from a file (ntcp2.iv, ssu2.ikey), or new ones */
static void
random_load(const char *file, uint8_t *buf, size_t len)
{
	ssize_t	n = -1;
	int	fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, buf, len);
		close(fd);
	}
	if (n == (ssize_t)len)
		return;
	if (crypto_random(buf, len) == -1)
		fatalx("no random bytes for %s", file);
	if (file_write_atomic(file, buf, len, 0644, FILE_SYNC_DIR) == -1)
		log_warn("%s", file);
}

static int
map_b64(struct mapping *m, const char *key, const void *data, size_t len)
{
	char	b64[B64_ENCLEN(32)];

	if (b64_encode(b64, sizeof(b64), data, len) == -1)
		return -1;
	return mapping_set(m, key, b64);
}

/* a wildcard listen address: 0.0.0.0 or :: */
static int
unspecified(const struct listen_addr *la)
{
	const struct sockaddr_in	*sin = (const void *)&la->ss;
	const struct sockaddr_in6	*sin6 = (const void *)&la->ss;

	if (la->ss.ss_family == AF_INET)
		return sin->sin_addr.s_addr == htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr);
}

/*
 * "host" and "port" of a listen address.  A wildcard names no host
 * peers could dial: as i2pd, no host then, and caps with the family
 * ("4" or "6") as on any address without host.
 */
static int
map_host_port(struct mapping *m, const struct listen_addr *la)
{
	const struct sockaddr_in	*sin = (const void *)&la->ss;
	const struct sockaddr_in6	*sin6 = (const void *)&la->ss;
	char				 host[INET6_ADDRSTRLEN], port[8];

	if (unspecified(la))
		return mapping_set(m, "caps", la->ss.ss_family == AF_INET6 ?
		    "6" : "4");
	if (la->ss.ss_family == AF_INET) {
		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(port, sizeof(port), "%u", ntohs(sin->sin_port));
	} else {
		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		snprintf(port, sizeof(port), "%u", ntohs(sin6->sin6_port));
	}
	if (mapping_set(m, "host", host) == -1 ||
	    mapping_set(m, "port", port) == -1)
		return -1;
	return 0;
}

/*
 * An SSU2 address: host, port, s, i, v, and caps "4" or "6" (its
 * family); MTU left to the default.  Found firewalled by a peer test,
 * and with no introducers (we have none yet), it has no host or port:
 * nobody can reach it (ssu2.rst, "Published Router Info"), as i2pd
 * does then.  No "B" while we do not answer peer tests as Bob or
 * Charlie.
 */
static int
ssu2_address(struct router_address *ra, const struct listen_addr *la)
{
	int	 v4 = la->ss.ss_family == AF_INET;

	memset(ra, 0, sizeof(*ra));
	ra->cost = SSU2_COST;
	strlcpy(ra->style, "SSU2", sizeof(ra->style));
	mapping_init(&ra->options);
	if ((ssu2_reach[v4 ? 0 : 1] != NET_REACH_FIREWALLED &&
	    map_host_port(&ra->options, la) == -1) ||
	    mapping_set(&ra->options, "caps", v4 ? "4" : "6") == -1 ||
	    map_b64(&ra->options, "i", ssu2_ikey, sizeof(ssu2_ikey)) == -1 ||
	    map_b64(&ra->options, "s", ntcp2_static, 32) == -1 ||
	    mapping_set(&ra->options, "v", "2") == -1)
		return -1;
	return 0;
}

/*
 * The families we dial from, as an address's caps: those of our
 * "listen on" lines, "4" without any (i2pd's default for an address
 * without caps)
 */
static const char *
family_caps(const struct i2prd_conf *conf)
{
	const struct listen_addr	*la;
	int				 v4 = 0, v6 = 0;

	TAILQ_FOREACH(la, &conf->listen, entry) {
		if (la->ss.ss_family == AF_INET6)
			v6 = 1;
		else
			v4 = 1;
	}
	if (v6 && v4)
		return "46";
	return v6 ? "6" : "4";
}

/*
 * NTCP2: with la, our listening address; without, only s and v, and
 * caps saying which families we dial from (common-structures.rst), as
 * i2pd writes for an unpublished address: an IPv6-only router's "6"
 * tells peers to pick it only beside routers with IPv6.  A published
 * address's host says its family; i2pd writes no caps on it.
 */
static int
ntcp2_address(struct router_address *ra, const struct listen_addr *la,
    const struct i2prd_conf *conf)
{
	memset(ra, 0, sizeof(*ra));
	ra->cost = NTCP2_COST;
	strlcpy(ra->style, "NTCP2", sizeof(ra->style));
	mapping_init(&ra->options);
	if (la != NULL) {
		if (map_host_port(&ra->options, la) == -1 ||
		    map_b64(&ra->options, "i", ntcp2_iv, sizeof(ntcp2_iv)) ==
		    -1)
			return -1;
	}
	if (la == NULL && mapping_set(&ra->options, "caps",
	    family_caps(conf)) == -1)
		return -1;
	/* without host, a firewalled router still publishes s and v */
	if (map_b64(&ra->options, "s", ntcp2_static, 32) == -1 ||
	    mapping_set(&ra->options, "v", "2") == -1)
		return -1;
	return 0;
}

/* our proposal 162 cap in the caps ('D', 'E', 'G'), or 0 */
static char	 congestion;
static time_t	 calmer_since;	/* a lower level seen from then on */

/*
 * caps: the shared bandwidth class, f floodfill, R reachable or U
 * unreachable, and the congestion cap when there is one
 */
static void
caps_string(const struct i2prd_conf *conf, char *caps, size_t len)
{
	uint64_t	share = (uint64_t)conf->bandwidth * 1024 * conf->share /
			    100;
	char		cong[2] = { congestion, '\0' };

	snprintf(caps, len, "%c%s%s%s", bandwidth_class(share),
	    conf->floodfill ? "f" : "", TAILQ_EMPTY(&conf->listen) ? "U" :
	    "R", cong);
}

static int
severity(char c)
{
	return c == 'G' ? 3 : c == 'E' ? 2 : c == 'D' ? 1 : 0;
}

/*
 * A worse congestion level is published at once; a better one only
 * once it has held five minutes, so the RouterInfo does not flap.
 */
void
publish_congestion(char c, time_t now)
{
	if (severity(c) > severity(congestion)) {
		calmer_since = 0;
		congestion = c;
	} else if (severity(c) < severity(congestion)) {
		if (calmer_since == 0)
			calmer_since = now;
		if (now - calmer_since < 300)
			return;
		calmer_since = 0;
		congestion = c;
	} else {
		calmer_since = 0;
		return;
	}
	if (c != 0)
		log_info("congestion: %c in our caps", c);
	else
		log_info("congestion: cleared from our caps");
	if (child_conf() != NULL)
		publish_reconf(child_conf());
}

/* the fields of a RouterInfo for conf; published and signature later */
static int
build(struct router_info *ri, const struct i2prd_conf *conf)
{
	struct listen_addr	*la;
	char			 caps[16], netid[8];
	int			 ntcp2 = 0;

	memset(ri, 0, sizeof(*ri));
	ri->ident = ident;
	TAILQ_FOREACH(la, &conf->listen, entry) {
		if (ri->naddrs == RI_MAX_ADDRS)
			break;
		if (la->transport == LISTEN_SSU2) {
			if (ssu2_address(&ri->addrs[ri->naddrs++], la) == -1)
				return -1;
			continue;
		}
		if (ntcp2_address(&ri->addrs[ri->naddrs++], la, conf) == -1)
			return -1;
		ntcp2 = 1;
	}
	/* netd reads our NTCP2 "s" from here: one without host if need be */
	if (!ntcp2 && ri->naddrs < RI_MAX_ADDRS &&
	    ntcp2_address(&ri->addrs[ri->naddrs++], NULL, conf) == -1)
		return -1;
	caps_string(conf, caps, sizeof(caps));
	snprintf(netid, sizeof(netid), "%d", conf->netid);
	mapping_init(&ri->options);
	if (mapping_set(&ri->options, "caps", caps) == -1 ||
	    mapping_set(&ri->options, "netId", netid) == -1 ||
	    mapping_set(&ri->options, "router.version", ROUTER_VERSION) == -1)
		return -1;
	return 0;
}

/* same addresses and options: nothing to republish */
static int
same_content(const struct router_info *a, const struct router_info *b)
{
	struct wbuf	wa, wb;
	uint8_t		ba[RI_MAXLEN], bb[RI_MAXLEN];
	int		i, same;

	wbuf_init_fixed(&wa, ba, sizeof(ba));
	wbuf_init_fixed(&wb, bb, sizeof(bb));
	if (a->naddrs != b->naddrs)
		return 0;
	for (i = 0; i < a->naddrs; i++) {
		ra_write(&a->addrs[i], &wa);
		ra_write(&b->addrs[i], &wb);
	}
	mapping_write(&a->options, &wa);
	mapping_write(&b->options, &wb);
	same = !wbuf_error(&wa) && !wbuf_error(&wb) &&
	    wbuf_len(&wa) == wbuf_len(&wb) &&
	    memcmp(ba, bb, wbuf_len(&wa)) == 0;
	return same;
}

/* ask cryptod to sign pending's body */
static void
request_signature(void)
{
	struct peer	*cryptod = peer_get(PROC_CRYPTOD);
	struct wbuf	 w;
	uint8_t		 buf[sizeof(uint32_t) + RI_MAXLEN];
	uint32_t	 keyid = KEYID_ROUTER;
	uint64_t	 now = (uint64_t)time(NULL) * 1000;

	/* peers keep the newest: published must always grow */
	pending->published = now > last_published ? now : last_published + 1;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	wbuf_put_bytes(&w, &keyid, sizeof(keyid));
	if (ri_write_body(pending, &w) == -1 || wbuf_error(&w) ||
	    cryptod == NULL) {
		log_warnx("cannot build our RouterInfo");
		free(pending);
		pending = NULL;
		return;
	}
	sign_reqid = next_reqid++;
	peer_compose(cryptod, IMSG_KEY_SIGN, sign_reqid, -1, buf,
	    wbuf_len(&w));
}

void
publish_reach(struct imsg *imsg)
{
	struct net_reach	 nr;
	int			 i;

	if (imsg_get_data(imsg, &nr, sizeof(nr)) == -1)
		fatalx("NET_REACH: bad length");	/* msgtab checked it */
	if ((nr.family != 4 && nr.family != 6) ||
	    nr.reach > NET_REACH_FIREWALLED) {
		log_warnx("NET_REACH: family %u, state %u", nr.family,
		    nr.reach);
		return;
	}
	i = nr.family == 4 ? 0 : 1;
	if (ssu2_reach[i] == nr.reach)
		return;
	ssu2_reach[i] = nr.reach;
	if (child_conf() != NULL)
		publish_reconf(child_conf());
}

void
publish_reconf(const struct i2prd_conf *conf)
{
	struct router_info	*ri;

	if (!have_ident || !have_static)
		return;		/* publish_keys builds the first one */
	if ((ri = calloc(1, sizeof(*ri))) == NULL)
		fatal(NULL);
	if (build(ri, conf) == -1) {
		log_warnx("cannot build our RouterInfo from the configuration");
		free(ri);
		return;
	}
	if (cur != NULL && pending == NULL && same_content(ri, cur)) {
		free(ri);
		return;
	}
	free(pending);
	pending = ri;
	request_signature();
}

void
publish_start(void)
{
	struct peer	*cryptod = peer_get(PROC_CRYPTOD);

	random_load(NTCP2_IV_FILE, ntcp2_iv, sizeof(ntcp2_iv));
	random_load(SSU2_IKEY_FILE, ssu2_ikey, sizeof(ssu2_ikey));
	if (cryptod == NULL)
		fatalx("no link to cryptod");
	peer_compose(cryptod, IMSG_KEY_ROUTER_PUB, next_reqid++, -1, NULL, 0);
	peer_compose(cryptod, IMSG_KEY_NTCP2_PUB, next_reqid++, -1, NULL, 0);
}

/* the identity's public keys or the NTCP2 key; with both, publish */
static void
publish_keys(struct imsg *imsg)
{
	struct key_pub	pub;

	if (imsg_get_data(imsg, &pub, sizeof(pub)) == -1)
		fatalx("KEY_PUB: bad length");
	switch (pub.keyid) {
	case KEYID_ROUTER:
		if (ident_build(&ident, IDENT_ROUTER, pub.crypto_pub,
		    pub.sign_pub, pub.padding) == -1)
			fatalx("cannot build the router identity from "
			    "cryptod's keys");
		have_ident = 1;
		break;
	case KEYID_NTCP2:
		memcpy(ntcp2_static, pub.crypto_pub, sizeof(ntcp2_static));
		have_static = 1;
		break;
	default:
		fatalx("KEY_PUB: key %u from cryptod", pub.keyid);
	}
	publish_reconf(child_conf());
}

/* hands ri_sign the signature cryptod made over the same bytes */
struct made_sig {
	const uint8_t	*sig;
};

static int
sign_with(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	struct made_sig	*ms = arg;

	memcpy(sig, ms->sig, 64);
	return 0;
}

static void
publish_signed(struct imsg *imsg)
{
	struct key_signature	ks;
	struct made_sig		ms;
	struct i2p_err		err;
	char			why[128];

	if (imsg_get_data(imsg, &ks, sizeof(ks)) == -1)
		fatalx("KEY_SIGNATURE: bad length");
	if (imsg_get_peerid(imsg) != sign_reqid || pending == NULL)
		return;		/* superseded by a newer configuration */
	ms.sig = ks.sig;
	/* ri_sign serializes again and verifies against the identity */
	if (ri_sign(pending, sign_with, &ms, &err) == -1) {
		log_warnx("our RouterInfo: %s",
		    i2p_errstr(&err, why, sizeof(why)));
		free(pending);
		pending = NULL;
		return;
	}
	free(cur);
	cur = pending;
	pending = NULL;
	last_published = cur->published;
	if (file_write_atomic(ROUTER_INFO_FILE, cur->raw, cur->rawlen, 0644,
	    FILE_SYNC_DIR) == -1)
		log_warn("%s", ROUTER_INFO_FILE);
	log_info("RouterInfo published: %zu bytes, caps %s",
	    cur->rawlen, mapping_get(&cur->options, "caps"));
	peers_local(cur);
}

void
publish_dispatch_cryptod(struct imsg *imsg)
{
	struct key_error	e;

	switch (imsg_get_type(imsg)) {
	case IMSG_KEY_PUB:
		publish_keys(imsg);
		break;
	case IMSG_KEY_SIGNATURE:
		publish_signed(imsg);
		break;
	case IMSG_KEY_ERROR:
		if (imsg_get_data(imsg, &e, sizeof(e)) == -1 ||
		    memchr(e.msg, '\0', sizeof(e.msg)) == NULL)
			fatalx("KEY_ERROR: malformed");
		fatalx("cryptod refused a router key operation: %s", e.msg);
	default:
		fatalx("unexpected imsg %s from cryptod",
		    imsg_type_name(imsg_get_type(imsg)));
	}
}

void
publish_shutdown(void)
{
	free(cur);
	free(pending);
	cur = pending = NULL;
}
