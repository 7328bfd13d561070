/*
 * Lookups we send (network-database.html, "Exploration"): to learn
 * routers we do not know, an exploratory DatabaseLookup for a random key
 * goes to the floodfill closest to it, every EXPLORE_FEW seconds while
 * we know fewer than EXPLORE_ENOUGH routers, else every EXPLORE_SLOW.
 * The DatabaseSearchReply names routers; each we do not hold is asked
 * for, from the floodfill that named it, in a RouterInfo lookup whose
 * answer (a DatabaseStore) the netDb keeps as any other.  Once our
 * exploratory tunnels exist, lookups go out through an outbound tunnel
 * and the answers come back through an inbound one, as garlic under a
 * one-time key and tag: neither the floodfill nor the hops learn who
 * asked.  Before, they go straight over the session.
 *
 * A router named again within SEARCH_TTL is not asked for again, and
 * at most SEARCH_MAX lookups are outstanding.  A lookup for one router
 * we need (an outbound endpoint's next hop) goes to the two closest
 * floodfills at once (one may be gone) and is iterative: a floodfill
 * asked that does not hold it answers with a DatabaseSearchReply, and
 * the next closest not yet asked is asked, SEARCH_ASK in all.  The first exploration
 * goes out soon after start: a router just bootstrapped knows a handful
 * of others, and every tunnel it will build waits on learning more.
 *
 * A DatabaseSearchReply is acted on only when it answers a lookup we
 * sent that floodfill for that key, and only once: unsolicited ones
 * would otherwise start lookups of their choosing and hold every search
 * slot (audit #16).
 */
#include <string.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "log.h"
#include "routerd.h"
#include "garlic.h"
#include "kad.h"
#include "lookup.h"
#include "tmsg.h"

#define EXPLORE_FIRST		2	/* s after start: a new router knows few */
#define EXPLORE_FEW		30
#define EXPLORE_SLOW		300
#define EXPLORE_ENOUGH		200	/* routers known */
#define SEARCH_MAX		32
#define SEARCH_TTL		60
#define SEARCH_ASK		3	/* floodfills asked for one router */
#define ASKED_MAX		128	/* lookups awaiting an answer */

struct search {
	uint8_t		 hash[32];
	time_t		 sent;		/* 0: free */
	int		 nasked;	/* iterative: floodfills asked */
	uint8_t		 asked[SEARCH_ASK][32];
};

/* a lookup we sent: to which floodfill, for which key */
struct asked {
	uint8_t		 floodfill[32];
	uint8_t		 key[32];
	time_t		 when;		/* 0: free */
};

static struct asked		 asked[ASKED_MAX];
static size_t			 asked_next;
static struct event		 ev_explore;
static int			 started;
static struct search		 searches[SEARCH_MAX];
static struct explore_stats	 st;

static void
explore_later(void)
{
	struct timeval	tv = { netdb_count(NULL) < EXPLORE_ENOUGH ?
			    EXPLORE_FEW : EXPLORE_SLOW, 0 };

	evtimer_add(&ev_explore, &tv);
}

/* the lookup l (reply path still to set) through our tunnels, or -1 */
static int
lookup_tunneled(const uint8_t floodfill[32], struct dblookup *l)
{
	struct i2np_hdr	 h;
	struct tdi	 dest;
	struct wbuf	 w;
	uint8_t		 buf[160];
	time_t		 now = time(NULL);
	int		 rv = -1;

	if (tunnels_reply_path(l->from, &l->reply_tunnel) == -1)
		return -1;
	l->flags |= DBL_F_TUNNEL | DBL_F_ECIES;
	l->reply = DBL_REPLY_AEAD;
	crypto_random_fill(l->reply_key, sizeof(l->reply_key));
	crypto_random_fill(l->reply_tag, sizeof(l->reply_tag));
	wbuf_init_fixed(&w, buf, sizeof(buf));
	memset(&h, 0, sizeof(h));
	h.type = I2NP_DATABASE_LOOKUP;
	crypto_random_fill(&h.msg_id, sizeof(h.msg_id));
	h.expiration = ((uint64_t)now + SEARCH_TTL) * 1000;
	memset(&dest, 0, sizeof(dest));
	dest.type = TDI_ROUTER;
	memcpy(dest.hash, floodfill, 32);
	if (dbl_build(&w, l) == 0 &&
	    garlic_expect(l->reply_key, l->reply_tag, now + SEARCH_TTL) == 0 &&
	    tunnels_send_out(&dest, &h, buf, wbuf_len(&w)) == 0) {
		st.tunneled++;
		rv = 0;
	}
	crypto_wipe(buf, sizeof(buf));
	return rv;
}

static int
lookup_send(const uint8_t floodfill[32], const uint8_t key[32],
    uint8_t type)
{
	const struct router_info	*self = publish_current();
	struct dblookup			 l;
	struct wbuf			 w;
	uint8_t				 buf[128];

	if (self == NULL)
		return -1;
	memset(&l, 0, sizeof(l));
	memcpy(l.key, key, 32);
	l.flags = type;
	if (lookup_tunneled(floodfill, &l) == 0) {
		crypto_wipe(&l, sizeof(l));
		return 0;
	}
	memset(&l, 0, sizeof(l));
	memcpy(l.key, key, 32);
	memcpy(l.from, self->ident.hash, 32);
	l.flags = type;
	l.reply = DBL_REPLY_PLAIN;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (dbl_build(&w, &l) == -1)
		return -1;
	return peers_send(floodfill, I2NP_DATABASE_LOOKUP, buf, wbuf_len(&w));
}

/* the oldest slot goes first when all wait: a ring */
static void
asked_add(const uint8_t floodfill[32], const uint8_t key[32], time_t now)
{
	struct asked	*a = &asked[asked_next];

	asked_next = (asked_next + 1) % ASKED_MAX;
	memcpy(a->floodfill, floodfill, 32);
	memcpy(a->key, key, 32);
	a->when = now;
}

/* 1 if we asked that floodfill for that key lately; forgotten then */
static int
asked_take(const uint8_t floodfill[32], const uint8_t key[32], time_t now)
{
	size_t	i;

	for (i = 0; i < ASKED_MAX; i++)
		if (asked[i].when != 0 && now - asked[i].when < SEARCH_TTL &&
		    memcmp(asked[i].floodfill, floodfill, 32) == 0 &&
		    memcmp(asked[i].key, key, 32) == 0) {
			asked[i].when = 0;
			return 1;
		}
	return 0;
}

static int
lookup_to(const uint8_t floodfill[32], const uint8_t key[32], uint8_t type)
{
	if (lookup_send(floodfill, key, type) == -1)
		return -1;
	asked_add(floodfill, key, time(NULL));
	return 0;
}

static void
explore_timer(int fd, short event, void *arg)
{
	struct kad_near	 near[1];
	uint8_t		 key[32];

	crypto_random_fill(key, sizeof(key));
	if (netdb_closest(key, NETDB_FF, NULL, NULL, near, 1) == 1 &&
	    lookup_to(near[0].hash, key, DBL_TYPE_EXPLORE) == 0)
		st.explorations++;
	explore_later();
}

/* a slot for a new search of hash, or NULL: asked already, or full */
static struct search *
search_slot(const uint8_t hash[32], time_t now)
{
	struct search	*slot = NULL;
	size_t		 i;

	for (i = 0; i < SEARCH_MAX; i++) {
		if (searches[i].sent != 0 && now - searches[i].sent >=
		    SEARCH_TTL)
			searches[i].sent = 0;
		if (searches[i].sent == 0) {
			if (slot == NULL)
				slot = &searches[i];
		} else if (memcmp(searches[i].hash, hash, 32) == 0)
			return NULL;
	}
	return slot;
}

static int
skip_asked(const uint8_t hash[32], void *arg)
{
	const struct search	*s = arg;
	int			 i;

	for (i = 0; i < s->nasked; i++)
		if (memcmp(hash, s->asked[i], 32) == 0)
			return 1;
	return 0;
}

/* the next closest floodfill not asked yet; -1 if none or enough */
static int
search_next(struct search *s)
{
	struct kad_near	 near[1];

	if (s->nasked >= SEARCH_ASK || netdb_closest(s->hash, NETDB_FF,
	    skip_asked, s, near, 1) != 1 ||
	    lookup_to(near[0].hash, s->hash, DBL_TYPE_RI) == -1)
		return -1;
	memcpy(s->asked[s->nasked++], near[0].hash, 32);
	st.lookups_sent++;
	return 0;
}

void
explore_dsrm(const uint8_t peer[32], const uint8_t *payload, size_t len)
{
	const struct router_info	*self = publish_current();
	const struct ri_entry		*ff;
	struct search			*s;
	struct dsrm			 d;
	const uint8_t			*h, *ask = peer;
	const char			*why;
	char				 b64[B64_ENCLEN(32)];
	time_t				 now = time(NULL);
	size_t				 i;

	st.search_replies++;
	if (dsrm_parse(&d, payload, len, &why) == -1) {
		b64_encode(b64, sizeof(b64), peer, 32);
		log_debug("DatabaseSearchReply from %.8s: %s", b64, why);
		return;
	}
	/*
	 * Through our tunnels the reply comes from ourselves; it opened
	 * under the key we gave one floodfill, which names itself.
	 */
	if (self != NULL && memcmp(peer, self->ident.hash, 32) == 0) {
		if ((ff = netdb_get(d.from)) == NULL || !ff->floodfill)
			return;
		ask = d.from;
	}
	if (!asked_take(ask, d.key, now)) {
		st.search_replies_unasked++;
		b64_encode(b64, sizeof(b64), ask, 32);
		log_debug("DatabaseSearchReply from %.8s to no lookup of ours "
		    "dropped", b64);
		return;
	}
	for (i = 0; i < d.npeers; i++) {
		h = d.peers + i * 32;
		if (netdb_get(h) != NULL || (self != NULL &&
		    memcmp(h, self->ident.hash, 32) == 0) ||
		    (s = search_slot(h, now)) == NULL)
			continue;
		/* ask the floodfill that named it: it should hold it */
		if (lookup_to(ask, h, DBL_TYPE_RI) == -1)
			continue;
		memcpy(s->hash, h, 32);
		s->sent = now;
		s->nasked = 0;
		st.lookups_sent++;
	}
	/*
	 * "Not here" from a floodfill we asked: an iterative search still
	 * looking for the router goes on to the next floodfill.
	 */
	for (i = 0; i < SEARCH_MAX; i++) {
		s = &searches[i];
		if (s->sent != 0 && now - s->sent < SEARCH_TTL &&
		    s->nasked > 0 && memcmp(s->hash, d.key, 32) == 0 &&
		    skip_asked(ask, s) && netdb_get(s->hash) == NULL)
			search_next(s);
	}
}

int
explore_lookup(const uint8_t hash[32])
{
	struct search	*s;
	time_t		 now = time(NULL);

	if ((s = search_slot(hash, now)) == NULL)
		return -1;
	memcpy(s->hash, hash, 32);
	s->nasked = 0;
	if (search_next(s) == -1)
		return -1;
	search_next(s);
	s->sent = now;
	return 0;
}

void
explore_start(void)
{
	struct timeval	tv = { EXPLORE_FIRST, 0 };

	if (started)
		return;
	started = 1;
	evtimer_set(&ev_explore, explore_timer, NULL);
	evtimer_add(&ev_explore, &tv);
}

void
explore_stats(struct explore_stats *out)
{
	*out = st;
}

void
explore_shutdown(void)
{
	if (started)
		evtimer_del(&ev_explore);
}
