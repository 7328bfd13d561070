/*
 * What streams to a peer learnt of the path, for its next stream (the
 * Java router's TCB sharing, streaming.html): a new stream starts with
 * the RTT and RTO its predecessors measured instead of the 9 s of a
 * first contact, and with a part of their window instead of slow start
 * from the bottom.
 *
 * The freshest figures come from a live stream to the same peer, else
 * from what a stream left when it ended, kept SC_SHARE_TTL for
 * SC_SHARE_PEERS peers per host (the oldest entry goes first).  The
 * window is dampened (3/4), as the Java router does: a new stream
 * starts below what the other reached.  Only figures a stream measured
 * itself are kept, so none outlive the path they came from.
 */
#include <string.h>

#include "stream_int.h"

static struct sshare *
share_find(struct stream_host *h, const uint8_t hash[32], int64_t now)
{
	size_t	i;

	for (i = 0; i < SC_SHARE_PEERS; i++)
		if (h->share[i].at != 0 && now - h->share[i].at < SC_SHARE_TTL &&
		    memcmp(h->share[i].hash, hash, 32) == 0)
			return &h->share[i];
	return NULL;
}

/* s ends (or its figures are worth keeping): note them for the peer */
void
share_put(struct stream_host *h, const struct stream *s, int64_t now)
{
	struct sshare	*e;
	size_t		 i;

	if (s->cc.samples == 0)
		return;
	if ((e = share_find(h, s->peer.hash, now)) == NULL) {
		e = &h->share[0];
		for (i = 1; i < SC_SHARE_PEERS; i++)
			if (h->share[i].at < e->at)
				e = &h->share[i];
		memcpy(e->hash, s->peer.hash, 32);
	}
	e->at = now;
	e->srtt = s->cc.srtt;
	e->rttvar = s->cc.rttvar;
	e->cwnd = s->cc.cwnd;
}

/* the newest live stream to the same peer with an RTT, or NULL */
static const struct stream *
share_live(struct stream_host *h, const struct stream *s)
{
	const struct stream	*o, *best = NULL;

	TAILQ_FOREACH(o, &h->streams, entry)
		if (o != s && o->cc.have_rtt &&
		    memcmp(o->peer.hash, s->peer.hash, 32) == 0 &&
		    (best == NULL || o->last_act > best->last_act))
			best = o;
	return best;
}

/* a new stream s to a peer we know: its RTT, RTO and window from there */
void
share_get(struct stream_host *h, struct stream *s, int64_t now)
{
	const struct stream	*o;
	const struct sshare	*e;
	uint32_t		 srtt, rttvar, cwnd;

	if ((o = share_live(h, s)) != NULL) {
		srtt = o->cc.srtt;
		rttvar = o->cc.rttvar;
		cwnd = o->cc.cwnd;
	} else if ((e = share_find(h, s->peer.hash, now)) != NULL) {
		srtt = e->srtt;
		rttvar = e->rttvar;
		cwnd = e->cwnd;
	} else
		return;
	cc_share(&s->cc, srtt, rttvar, cwnd * 3 / 4);
	h->st.shared++;
}
