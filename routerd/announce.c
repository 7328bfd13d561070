/*
 * Our RouterInfo to the network (network-database.html, "RouterInfo
 * Storage to Peers" and "to Floodfills"):
 *
 * - every new session gets it in a DatabaseStore without a reply token;
 *   that store is built (gzip and all) once per RouterInfo we publish;
 * - the floodfill closest to our routing key gets it with a reply token,
 *   over a direct session, and answers with a DeliveryStatus carrying
 *   the token.  No answer within ANNOUNCE_WAIT: the next closest is
 *   tried, up to ANNOUNCE_TRIES, then all again after ANNOUNCE_RETRY.
 *   Once verified, again after ANNOUNCE_INTERVAL, or as soon as our
 *   RouterInfo changes.
 */
#include <string.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "log.h"
#include "routerd.h"
#include "dsm.h"
#include "kad.h"
#include "tmsg.h"

#define ANNOUNCE_FIRST		10	/* s after start: sessions come up */
#define ANNOUNCE_WAIT		15	/* s for the DeliveryStatus */
#define ANNOUNCE_TRIES		3
#define ANNOUNCE_RETRY		60
#define ANNOUNCE_INTERVAL	(40 * 60)

static struct event	 ev_announce;
static int		 started;
static uint32_t		 token;			/* awaited, 0 if none */
static uint8_t		 tried[ANNOUNCE_TRIES][32];
static int		 ntried;
static uint64_t		 sent_published;	/* version being stored */
static uint64_t		 verified_published;	/* last verified version */
static struct announce_stats st;

static void
announce_later(int secs)
{
	struct timeval	tv = { secs, 0 };

	evtimer_add(&ev_announce, &tv);
}

/*
 * A store with a reply token, once our tunnels exist: out through an
 * outbound tunnel, the DeliveryStatus back through an inbound one, as
 * the other routers publish.
 */
static int
store_tunneled(const uint8_t hash[32], uint32_t reply_token)
{
	const struct router_info	*ri = publish_current();
	uint8_t				 buf[DSM_RI_MAX + 128], gw[32];
	struct i2np_hdr			 h;
	struct tdi			 dest;
	struct wbuf			 w;
	uint32_t			 tunnel_id;

	if (tunnels_reply_path(gw, &tunnel_id) == -1)
		return -1;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (dsm_build_ri(&w, ri->ident.hash, ri->raw, ri->rawlen, reply_token,
	    tunnel_id, gw) == -1)
		return -1;
	memset(&h, 0, sizeof(h));
	h.type = I2NP_DATABASE_STORE;
	crypto_random_fill(&h.msg_id, sizeof(h.msg_id));
	h.expiration = ((uint64_t)time(NULL) + 60) * 1000;
	memset(&dest, 0, sizeof(dest));
	dest.type = TDI_ROUTER;
	memcpy(dest.hash, hash, 32);
	if (tunnels_send_out(&dest, &h, buf, wbuf_len(&w)) == -1)
		return -1;
	st.tunneled++;
	return 0;
}

/* a DatabaseStore of our RouterInfo to hash, with token or without */
static int
store_to(const uint8_t hash[32], uint32_t reply_token)
{
	static uint8_t			 plain[DSM_RI_MAX + 128];
	static size_t			 plainlen;
	static uint64_t			 plain_published;
	const struct router_info	*ri = publish_current();
	uint8_t				 buf[DSM_RI_MAX + 128];
	struct wbuf			 w;

	if (ri == NULL)
		return -1;
	if (reply_token == 0 && plainlen > 0 &&
	    plain_published == ri->published)
		return peers_send(hash, I2NP_DATABASE_STORE, plain, plainlen);
	if (reply_token != 0 && store_tunneled(hash, reply_token) == 0)
		return 0;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (dsm_build_ri(&w, ri->ident.hash, ri->raw, ri->rawlen, reply_token,
	    0, ri->ident.hash) == -1) {
		log_warnx("cannot build a DatabaseStore of our RouterInfo");
		return -1;
	}
	if (reply_token == 0) {
		memcpy(plain, wbuf_data(&w), wbuf_len(&w));
		plainlen = wbuf_len(&w);
		plain_published = ri->published;
	}
	return peers_send(hash, I2NP_DATABASE_STORE, wbuf_data(&w),
	    wbuf_len(&w));
}

void
announce_session(const uint8_t hash[32])
{
	store_to(hash, 0);
}

static int
skip_tried(const uint8_t hash[32], void *arg)
{
	int	i;

	for (i = 0; i < ntried; i++)
		if (memcmp(tried[i], hash, 32) == 0)
			return 1;
	return 0;
}

/* the next closest floodfill we have not tried in this round */
static void
announce_try(void)
{
	const struct router_info	*ri = publish_current();
	struct kad_near			 near[1];
	char				 b64[B64_ENCLEN(32)];

	token = 0;
	if (ri == NULL || ntried == ANNOUNCE_TRIES ||
	    netdb_closest(ri->ident.hash, NETDB_FF, skip_tried, NULL, near,
	    1) == 0) {
		/* no floodfill left to try: a new round later */
		ntried = 0;
		announce_later(ANNOUNCE_RETRY);
		return;
	}
	memcpy(tried[ntried++], near[0].hash, 32);
	while (token == 0)
		crypto_random_fill(&token, sizeof(token));
	sent_published = ri->published;
	b64_encode(b64, sizeof(b64), near[0].hash, 32);
	if (store_to(near[0].hash, token) == -1) {
		log_debug("announce: no route to floodfill %.8s", b64);
		announce_try();
		return;
	}
	st.sent++;
	log_debug("announce: RouterInfo to floodfill %.8s, token %u", b64,
	    token);
	announce_later(ANNOUNCE_WAIT);
}

static void
announce_timer(int fd, short event, void *arg)
{
	if (token != 0) {
		/* the last try went unanswered */
		st.timeouts++;
		announce_try();
		return;
	}
	ntried = 0;
	announce_try();
}

/* a DeliveryStatus: ours if it carries the token we wait for */
int
announce_status(const uint8_t *payload, size_t len)
{
	struct rbuf	 r;
	uint32_t	 msgid;

	rbuf_init(&r, payload, len);
	if (rbuf_get_u32(&r, &msgid) == -1 || token == 0 || msgid != token)
		return 0;
	token = 0;
	ntried = 0;
	st.verified++;
	st.last_verified = time(NULL);
	verified_published = sent_published;
	log_info("announce: RouterInfo stored, verified by DeliveryStatus");
	evtimer_del(&ev_announce);
	announce_later(ANNOUNCE_INTERVAL);
	return 1;
}

/* our RouterInfo changed: store the new one now, once running */
void
announce_changed(void)
{
	const struct router_info	*ri = publish_current();

	if (!started) {
		started = 1;
		evtimer_set(&ev_announce, announce_timer, NULL);
		announce_later(ANNOUNCE_FIRST);
		return;
	}
	if (ri != NULL && ri->published != verified_published && token == 0) {
		evtimer_del(&ev_announce);
		announce_later(1);
	}
}

void
announce_stats(struct announce_stats *out)
{
	*out = st;
}

void
announce_shutdown(void)
{
	if (started)
		evtimer_del(&ev_announce);
}
