/*
 * The floodfill service (network-database.html, "Storage, Verification,
 * and Lookup Mechanics"), with "floodfill yes":
 *
 * - DatabaseLookups are answered with the RouterInfo or LeaseSet (of
 *   any store type) when we hold it (lsdb.c keeps LeaseSets),
 *   else with a DatabaseSearchReply naming the floodfills closest to the
 *   key (16 non-floodfill routers for an exploration), leaving out the
 *   excluded peers; the reply goes straight to the requester or into
 *   its reply tunnel, garlic-encrypted when the lookup carries a key
 *   (ECIES, or ElGamal/AES session tags for ElGamal destinations).
 *   Each peer that hands us lookups has a token bucket ("floodfill
 *   lookups RATE burst BURST", 20 and 60 by default): a session may
 *   carry many requesters (a tunnel endpoint does), so the limit is
 *   generous, but one peer cannot make us scan the netDb without bound.
 * - A store with a reply token is acknowledged with a DeliveryStatus,
 *   and a RouterInfo published within the hour, or an unexpired
 *   LeaseSet, is flooded (each version once) to the three floodfills
 *   closest to its key, token 0, so it goes no further.
 *
 * Every outcome is counted for "i2pctl show floodfill".
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "log.h"
#include "routerd.h"
#include "garlic.h"
#include "dsm.h"
#include "kad.h"
#include "throttle.h"
#include "lookup.h"
#include "reply.h"

#define FF_FLOOD_TO		3
#define FF_REPLY_PEERS		3
#define FF_EXPLORE_PEERS	16
#define FF_FLOOD_MAX_AGE_MS	(3600 * 1000)
#define FF_EXPIRY_MS		(60 * 1000)

static struct ff_stats	 st;
static struct bucket_set buckets;

/* a token from the peer's bucket: 1 if it may have an answer */
static int
lookup_allowed(const uint8_t peer[32])
{
	const struct i2prd_conf	*conf = child_conf();

	return bucket_take(&buckets, peer, conf->ff_lookup_rate,
	    conf->ff_lookup_burst, mono_ms());
}

/* wraps the reply as asked and hands it to the router it goes to */
static int
answer(const struct reply_to *rt, uint8_t type, const uint8_t *payload,
    size_t len)
{
	struct i2np_hdr	 h;
	struct wbuf	 w;
	uint8_t		 outtype;
	int		 rv = -1;

	memset(&h, 0, sizeof(h));
	h.type = type;
	crypto_random_fill(&h.msg_id, sizeof(h.msg_id));
	h.expiration = (uint64_t)time(NULL) * 1000 + FF_EXPIRY_MS;
	if (wbuf_init_dynamic(&w, len + 128, I2NP_MAX_PAYLOAD) == -1)
		return -1;
	/* a reply too large to wrap is dropped, not counted as unroutable */
	if (reply_wrap(&w, &outtype, rt, &h, payload, len) == 0 &&
	    (rv = peers_send(rt->router, outtype, wbuf_data(&w),
	    wbuf_len(&w))) == -1)
		st.reply_no_route++;
	wbuf_free(&w);
	return rv;
}

struct skip_ctx {
	const uint8_t	*excluded;	/* sorted, nexcluded hashes */
	size_t		 nexcluded;
	const uint8_t	*also;		/* the requester, or NULL */
};

static int
skip_excluded(const uint8_t hash[32], void *arg)
{
	struct skip_ctx	*sk = arg;

	return (sk->also != NULL && memcmp(hash, sk->also, 32) == 0) ||
	    dbl_in_sorted(sk->excluded, sk->nexcluded, hash);
}

static void
answer_search(const struct dblookup *l, const struct reply_to *rt)
{
	struct kad_near		 near[FF_EXPLORE_PEERS];
	/* from is the requester only when the reply goes to it directly */
	struct skip_ctx		 sk = { NULL, l->nexcluded,
				    l->reply_tunnel == 0 ? l->from : NULL };
	uint8_t			*sorted;
	const struct router_info *self = publish_current();
	uint8_t			 hashes[FF_EXPLORE_PEERS * 32], buf[1024];
	struct wbuf		 w;
	size_t			 n, i;

	if (self == NULL)
		return;
	if ((sorted = dbl_excluded_sorted(l)) == NULL && l->nexcluded > 0)
		fatal(NULL);
	sk.excluded = sorted;
	n = netdb_closest(l->key, l->explore ? NETDB_NONFF : NETDB_FF,
	    skip_excluded, &sk, near, l->explore ? FF_EXPLORE_PEERS :
	    FF_REPLY_PEERS);
	free(sorted);
	for (i = 0; i < n; i++)
		memcpy(hashes + i * 32, near[i].hash, 32);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (dsrm_build(&w, l->key, hashes, n, self->ident.hash) == -1)
		return;
	if (answer(rt, I2NP_DATABASE_SEARCH_REPLY, buf, wbuf_len(&w)) == 0)
		st.lookups_not_found++;
}

/* a DatabaseStore of the RouterInfo asked for, ours included; -1: none */
static int
store_of(struct wbuf *w, const uint8_t key[32])
{
	const struct router_info	*self = publish_current();
	const struct ri_entry		*e;
	const uint8_t			*gz;
	size_t				 gzlen;

	if (self != NULL && memcmp(self->ident.hash, key, 32) == 0)
		return dsm_build_ri(w, key, self->raw, self->rawlen, 0, 0,
		    NULL);
	if ((e = netdb_get(key)) == NULL || (gz = netdb_gz(e, &gzlen)) == NULL)
		return -1;
	return dsm_build_ri_gz(w, key, gz, gzlen, 0, 0, NULL);
}

/* a DatabaseStore of the LeaseSet asked for, of its type; -1: none held */
static int
ls_store_of(struct wbuf *w, const uint8_t key[32])
{
	const uint8_t	*ls;
	size_t		 len;
	uint8_t		 type;

	if ((ls = lsdb_get(key, time(NULL), &len, &type)) == NULL)
		return -1;
	return dsm_build_ls(w, key, type, ls, len, 0, 0, NULL);
}

static void
answer_lookup(const struct dblookup *l, const struct reply_to *rt)
{
	uint8_t		 buf[DSM_RI_MAX + 128];
	struct wbuf	 w;
	int		 type = l->flags & DBL_F_TYPE, found = 0;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (!l->explore && (type == DBL_TYPE_RI || type == DBL_TYPE_ANY))
		found = store_of(&w, l->key) == 0;
	if (!found && !l->explore && (type == DBL_TYPE_LS ||
	    type == DBL_TYPE_ANY)) {
		wbuf_init_fixed(&w, buf, sizeof(buf));
		found = ls_store_of(&w, l->key) == 0;
	}
	if (found) {
		if (answer(rt, I2NP_DATABASE_STORE, buf, wbuf_len(&w)) == 0)
			st.lookups_answered++;
		return;
	}
	answer_search(l, rt);
}

/*
 * The reply's garlic, as the lookup asks.  ElGamal destinations, the
 * owners of type 1 LeaseSets, ask for ElGamal/AES: without an answer
 * they cannot verify their own publishes or find any destination.
 */
static void
reply_enc_of(const struct dblookup *l, struct reply_to *rt)
{
	switch (l->reply) {
	case DBL_REPLY_PLAIN:
		rt->enc = REPLY_PLAIN;
		return;
	case DBL_REPLY_AEAD:
		rt->enc = REPLY_AEAD;
		break;
	case DBL_REPLY_AES:
		rt->enc = REPLY_AES;
		st.replies_aes++;
		break;
	}
	memcpy(rt->key, l->reply_key, sizeof(rt->key));
	memcpy(rt->tag, l->reply_tag, sizeof(rt->tag));
}

void
floodfill_lookup(const uint8_t peer[32], const uint8_t *payload, size_t len)
{
	struct dblookup	 l;
	struct reply_to	 rt;
	const char	*why;
	char		 b64[B64_ENCLEN(32)];

	st.lookups_in++;
	if (!child_conf()->floodfill) {
		st.drop_not_floodfill++;
		return;
	}
	if (dbl_parse(&l, payload, len, &why) == -1) {
		b64_encode(b64, sizeof(b64), peer, 32);
		log_debug("DatabaseLookup from %.8s: %s", b64, why);
		st.drop_malformed++;
		return;
	}
	if (!lookup_allowed(peer)) {
		st.drop_rate++;
		return;
	}
	b64_encode(b64, sizeof(b64), l.key, 32);
	log_debug("lookup for %.8s%s%s%s", b64, l.explore ? " (explore)" : "",
	    l.reply_tunnel != 0 ? ", reply to a tunnel" : ", reply direct",
	    l.reply == DBL_REPLY_AEAD ? ", garlic" :
	    l.reply == DBL_REPLY_AES ? ", AES garlic" : "");
	memset(&rt, 0, sizeof(rt));
	memcpy(rt.router, l.from, 32);
	rt.tunnel = l.reply_tunnel;
	reply_enc_of(&l, &rt);
	answer_lookup(&l, &rt);
	crypto_wipe(&rt, sizeof(rt));
}

struct flood_skip {
	const uint8_t	*sender, *subject;
};

/* not back to the sender, not to the router the entry is about */
static int
skip_flood(const uint8_t hash[32], void *arg)
{
	struct flood_skip	*fs = arg;

	return memcmp(hash, fs->sender, 32) == 0 ||
	    memcmp(hash, fs->subject, 32) == 0;
}

static void
flood(const uint8_t peer[32], const struct dsm *d)
{
	struct kad_near		 near[FF_FLOOD_TO];
	struct flood_skip	 fs = { peer, d->key };
	uint8_t			 buf[DSM_RI_MAX + 128];
	struct wbuf		 w;
	size_t			 n, i;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	if ((d->type == DSM_TYPE_RI ? store_of(&w, d->key) :
	    ls_store_of(&w, d->key)) == -1)
		return;
	n = netdb_closest(d->key, NETDB_FF, skip_flood, &fs, near,
	    FF_FLOOD_TO);
	for (i = 0; i < n; i++)
		if (peers_send(near[i].hash, I2NP_DATABASE_STORE, buf,
		    wbuf_len(&w)) == 0)
			st.stores_flooded++;
}

void
floodfill_stored(const uint8_t peer[32], const struct dsm *d, int stored)
{
	const struct ri_entry	*e;
	struct reply_to		 rt;
	struct wbuf		 w;
	uint8_t			 buf[12];

	if (child_conf()->floodfill)
		st.stores_in++;
	if (d->reply_token != 0 && stored >= 0) {
		memset(&rt, 0, sizeof(rt));
		memcpy(rt.router, d->reply_gateway, 32);
		rt.tunnel = d->reply_tunnel;
		wbuf_init_fixed(&w, buf, sizeof(buf));
		wbuf_put_u32(&w, d->reply_token);
		wbuf_put_u64(&w, (uint64_t)time(NULL) * 1000);
		if (answer(&rt, I2NP_DELIVERY_STATUS, buf, sizeof(buf)) == 0)
			st.stores_acked++;
	}
	/*
	 * A publish to us, not a flood from another floodfill.  The
	 * router's session may have brought us this RouterInfo already
	 * (message 3): what counts is whether this version was flooded.
	 */
	if (!child_conf()->floodfill || stored < 0 || d->reply_token == 0)
		return;
	if (d->type == DSM_TYPE_RI && (e = netdb_get(d->key)) != NULL &&
	    e->flooded < e->published &&
	    e->published + FF_FLOOD_MAX_AGE_MS > (uint64_t)time(NULL) * 1000) {
		netdb_flooded(d->key);
		flood(peer, d);
	} else if (d->type != DSM_TYPE_RI && lsdb_flood_once(d->key))
		flood(peer, d);
}

/* what an operator should know before serving as a floodfill */
static uint32_t
warnings(const struct ctl_netdb *nd)
{
	const struct router_info	*self = publish_current();
	const char			*caps;
	uint32_t			 w = 0;

	caps = self != NULL ? mapping_get(&self->options, "caps") : NULL;
	if (caps == NULL || strchr(caps, 'R') == NULL)
		w |= FF_WARN_UNREACHABLE;
	if (nd->routers < FF_MIN_ROUTERS)
		w |= FF_WARN_FEW_ROUTERS;
	if (nd->floodfills < FF_MIN_FLOODFILLS)
		w |= FF_WARN_FEW_FLOODFILLS;
	if (peers_up() == 0)
		w |= FF_WARN_NO_SESSIONS;
	if (time(NULL) - routerd_started() < FF_MIN_UPTIME)
		w |= FF_WARN_YOUNG;
	return w;
}

void
netdb_ctl(struct ctl_netdb *nd)
{
	const struct router_info	*self = publish_current();
	size_t				 ff;

	memset(nd, 0, sizeof(*nd));
	nd->routers = netdb_count(&ff);
	nd->floodfills = ff;
	nd->leasesets = lsdb_count();
	nd->rkey_day = kad_day(time(NULL));
	if (self != NULL)
		kad_routing_key(nd->our_rkey, self->ident.hash, nd->rkey_day);
	nd->floodfill = child_conf()->floodfill;
	nd->warnings = warnings(nd);
	nd->lookup_rate = child_conf()->ff_lookup_rate;
	nd->lookup_burst = child_conf()->ff_lookup_burst;
	nd->netdb_max = NETDB_MAX;
	netdb_stats(&nd->db);
	lsdb_stats(&nd->db);
	nd->ff = st;
	announce_stats(&nd->announce);
	explore_stats(&nd->explore);
	reseed_stats(&nd->reseed);
	garlic_stats(&nd->garlic);
}
