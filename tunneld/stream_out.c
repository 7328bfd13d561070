/*
 * Packets out: data, ACKs, the signed SYN, SYN-ACK, CLOSE and RESET,
 * the signatures they wait for, and the timers that resend them.
 *
 * A data packet keeps only its payload and is built again at each send,
 * so that a resend carries the current ACK and NACKs; a signed packet
 * is kept whole as signed and resent as it is.
 */
#include <stdlib.h>
#include <string.h>

#include "stream_int.h"

struct spkt *
spkt_new(size_t len)
{
	struct spkt	*q;

	if ((q = calloc(1, sizeof(*q) + len)) == NULL)
		return NULL;
	q->len = len;
	return q;
}

/* -1: the layer below could not take it; it counts as lost */
int
out_wire(struct stream_host *h, const uint8_t remote[32], uint16_t sport,
    uint16_t dport, const uint8_t *buf, size_t len)
{
	h->st.packets_out++;
	return h->ops.send(h->ops.arg, remote, sport, dport, NULL, 0, buf,
	    len);
}

/*
 * Our SYN-ACK while the peer has not acknowledged it, else NULL.  An
 * i2pd 2.45.1 that gets a stream's second packet before its SYN-ACK,
 * or its first and no SYN-ACK within 200 ms, resets the stream
 * (Streaming.cpp, "SYN has not been received"); a SYN-ACK lost on
 * the way, which the packets behind it are not, did that to some
 * of every hundred streams.  So until it is acknowledged, every packet
 * of the stream goes with a copy of it ahead, in the same message: it
 * costs the copy's bytes and none of the first flight's time, where
 * holding the data back for the ACK (as i2pd's window of 1 does) cost
 * a round trip per stream.
 */
static const struct spkt *
synack_pending(const struct stream *s)
{
	const struct spkt	*q;

	if (s->outbound || s->connected)
		return NULL;
	q = TAILQ_FIRST(&s->sent);
	if (q == NULL || q->seq != 0 || !(q->flags & SPF_SYNCHRONIZE) ||
	    !q->wire || q->signing)
		return NULL;
	return q;
}

/*
 * ackThrough and NACKs: everything up to the highest packet held is
 * acknowledged but the gaps, as long as 255 NACKs describe them; past
 * that, ackThrough stops before the gap that does not fit.
 */
static void
ack_fields(const struct stream *s, struct stream_pkt *p)
{
	const struct spkt	*q;
	uint32_t		 expect = s->rcv_next, m;
	uint8_t			 n0;

	p->ack_through = s->rcv_next - 1;
	p->nnacks = 0;
	TAILQ_FOREACH(q, &s->ooo, entry) {
		n0 = p->nnacks;
		for (m = expect; m < q->seq; m++) {
			if (p->nnacks == SP_NACKS_MAX) {
				p->nnacks = n0;
				return;
			}
			p->nacks[p->nnacks++] = m;
		}
		p->ack_through = q->seq;
		expect = q->seq + 1;
	}
}

void
out_pkt_init(struct stream *s, struct stream_pkt *p, uint32_t seq,
    uint16_t flags)
{
	uint32_t	 rd;

	memset(p, 0, sizeof(*p));
	p->send_id = s->peer_id;
	p->recv_id = s->id;
	p->seq = seq;
	if (s->any_rcvd)
		ack_fields(s, p);
	else
		flags |= SPF_NO_ACK;
	rd = cc_rto(&s->cc) / 1000;
	p->resend_delay = rd > 255 ? 255 : rd;
	if (s->choking) {
		flags |= SPF_DELAY_REQUESTED;
		p->delay = SP_CHOKE_DELAY;
	}
	if (flags & SPF_FROM_INCLUDED)
		p->from = s->h->ident;
	if (flags & SPF_MAX_PACKET_SIZE_INCLUDED)
		p->mtu = s->h->opts.mtu;
	p->flags = flags;
}

/* what we received is now acknowledged: no ACK need wait */
static void
ack_sent(struct stream *s)
{
	s->ack_at = 0;
	s->ack_count = 0;
}

static void
send_data(struct stream *s, const struct spkt *q)
{
	const struct spkt	*lead;
	struct stream_pkt	 p;
	struct wbuf		 w;
	uint8_t			 buf[SC_BUILD_MAX];

	out_pkt_init(s, &p, q->seq, q->flags);
	p.payload = q->buf;
	p.len = q->len;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (stream_pkt_build(&w, &p, 0, NULL, NULL) == -1)
		return;
	if (s->any_rcvd)
		ack_sent(s);
	if ((lead = synack_pending(s)) == NULL) {
		(void)out_wire(s->h, s->peer.hash, s->lport, s->rport, buf,
		    wbuf_len(&w));
		return;
	}
	s->h->st.packets_out += 2;
	s->h->st.synack_leads++;
	(void)s->h->ops.send(s->h->ops.arg, s->peer.hash, s->lport, s->rport,
	    lead->buf, lead->len, buf, wbuf_len(&w));
}

void
out_xmit(struct stream *s, struct spkt *q, int64_t now)
{
	struct stream_host	*h = s->h;

	if (q->wire) {
		if (out_wire(h, s->peer.hash, s->lport, s->rport, q->buf,
		    q->len) == 0 && (q->flags & SPF_SYNCHRONIZE))
			s->syn_out = 1;
	} else
		send_data(s, q);
	if (q->sent_at != 0) {
		q->resends++;
		s->resends++;
		h->st.resends++;
	} else if (!q->wire) {
		s->bytes_out += q->len;
		h->st.bytes_out += q->len;
	}
	q->sent_at = now;
	q->nacked = 0;
}

/*
 * A plain ACK (sequence 0, no SYN).  It always carries the delay
 * option: 60001 while our buffer is full, else 0, so that any ACK, the
 * answer to a probe too, tells a choked peer it may send again.
 */
void
out_ack(struct stream *s, int64_t now)
{
	struct stream_pkt	 p;
	struct wbuf		 w;
	uint8_t			 buf[SC_BUILD_MAX];

	if (s->peer_id == 0 || !s->any_rcvd || s->dead)
		return;
	out_pkt_init(s, &p, 0, SPF_DELAY_REQUESTED);
	p.delay = s->choking ? SP_CHOKE_DELAY : 0;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (stream_pkt_build(&w, &p, 0, NULL, NULL) == -1)
		return;
	ack_sent(s);
	(void)out_wire(s->h, s->peer.hash, s->lport, s->rport, buf,
	    wbuf_len(&w));
}

/* the packet as signed will be, with zeroes where the signature goes */
static struct spkt *
sign_build(struct stream_host *h, const struct stream_pkt *p)
{
	struct spkt	*q;
	struct wbuf	 w;
	uint8_t		 buf[SC_BUILD_MAX];
	size_t		 siglen = ident_siglen(&h->ident), off;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (stream_pkt_build(&w, p, siglen, &off, NULL) == -1 ||
	    (q = spkt_new(wbuf_len(&w))) == NULL)
		return NULL;
	memcpy(q->buf, buf, q->len);
	q->sig_off = off;
	q->siglen = siglen;
	q->wire = 1;
	q->seq = p->seq;
	q->flags = p->flags;
	return q;
}

/*
 * Asks for the signature.  The answer may come before ops->sign
 * returns (stream_host_signed), so q is on the signq first.  -1 if
 * refused: q is then off the signq (the caller frees it).
 */
static int
sign_ask(struct stream_host *h, struct spkt *q)
{
	q->cookie = ++h->next_cookie;
	q->signing = 1;
	TAILQ_INSERT_TAIL(&h->signq, q, sentry);
	if (h->ops.sign(h->ops.arg, q->cookie, q->buf, q->len) == 0)
		return 0;
	if (q->signing) {
		TAILQ_REMOVE(&h->signq, q, sentry);
		q->signing = 0;
	}
	return -1;
}

/* a signed packet of the stream, sent once signed; -1: cannot */
int
out_signed(struct stream *s, struct stream_pkt *p, int64_t now)
{
	struct spkt	*q;

	if ((q = sign_build(s->h, p)) == NULL)
		return -1;
	q->s = s;
	TAILQ_INSERT_TAIL(&s->sent, q, entry);
	s->nsent++;
	s->nsigning++;
	if (sign_ask(s->h, q) == 0)
		return 0;
	s->nsigning--;
	s->nsent--;
	TAILQ_REMOVE(&s->sent, q, entry);
	free(q);
	return -1;
}

/*
 * A RESET for a stream we no longer (or never) had.  seq: the stream's
 * next, for i2pd, which takes a RESET only in sequence (Java takes it
 * whatever its sequence); 0 for a stream never opened.
 */
int
out_orphan_reset(struct stream_host *h, const uint8_t remote[32],
    uint32_t send_id, uint32_t seq, uint16_t sport, uint16_t dport)
{
	struct stream_pkt	 p;
	struct spkt		*q;

	if (h->norphans >= SC_ORPHAN_MAX)
		return -1;
	memset(&p, 0, sizeof(p));
	p.send_id = send_id;
	p.seq = seq;
	p.flags = SPF_RESET | SPF_SIGNATURE_INCLUDED | SPF_NO_ACK;
	if ((q = sign_build(h, &p)) == NULL)
		return -1;
	memcpy(q->remote, remote, sizeof(q->remote));
	q->sport = sport;
	q->dport = dport;
	h->norphans++;
	if (sign_ask(h, q) == 0)
		return 0;
	h->norphans--;
	free(q);
	return -1;
}

static void
signed_orphan(struct stream_host *h, struct spkt *q, const uint8_t *sig,
    size_t siglen)
{
	h->norphans--;
	if (sig != NULL && siglen == q->siglen) {
		stream_pkt_put_sig(q->buf, q->sig_off, sig, siglen);
		(void)out_wire(h, q->remote, q->sport, q->dport, q->buf,
		    q->len);
	}
	free(q);
}

void
stream_host_signed(struct stream_host *h, uint64_t cookie,
    const uint8_t *sig, size_t siglen, int64_t now)
{
	struct spkt	*q;
	struct stream	*s;

	host_enter(h);
	h->now = now;
	TAILQ_FOREACH(q, &h->signq, sentry)
		if (q->cookie == cookie)
			break;
	if (q == NULL)
		goto out;
	TAILQ_REMOVE(&h->signq, q, sentry);
	q->signing = 0;
	if ((s = q->s) == NULL) {
		signed_orphan(h, q, sig, siglen);
		goto out;
	}
	s->nsigning--;
	if (sig == NULL || siglen != q->siglen) {
		stream_fail(s, STREAM_ERR_LOCAL);
		goto out;
	}
	stream_pkt_put_sig(q->buf, q->sig_off, sig, siglen);
	out_xmit(s, q, now);
	if (s->rto_at == 0)
		s->rto_at = now + cc_rto(&s->cc);
	out_pump(s, now);
 out:
	host_leave(h);
}
