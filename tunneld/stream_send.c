/*
 * The send side's clock: new data within the window and the pacing,
 * the CLOSE once the buffer is out, the resend timer, the delayed ACK,
 * the connect and inactivity timeouts, and the next deadline of all.
 */
#include <stdlib.h>
#include <string.h>

#include "stream_int.h"

static int
state_sends(const struct stream *s)
{
	switch (s->state) {
	case STREAM_SYN_SENT:
	case STREAM_SYN_RECEIVED:
	case STREAM_OPEN:
	case STREAM_CLOSE_RECEIVED:
		/* nothing before our SYN, nothing after our CLOSE */
		return s->snd_next > 0 && !s->fin_queued && s->nsigning == 0;
	default:
		return 0;
	}
}

/*
 * A choked peer gets nothing new but, once nothing is in flight, one
 * packet each RTO: its ACK says whether the choke is over, in case the
 * ACK that ended it was lost.
 */
static int
window_open(struct stream *s, int64_t now)
{
	if (s->peer_choked) {
		if (s->nsent > 0)
			return 0;
		if (s->probe_at == 0)
			s->probe_at = now + cc_rto(&s->cc);
		return now >= s->probe_at;
	}
	return s->nsent < s->cc.cwnd && cc_pace_ok(&s->cc, now);
}

static int
send_new(struct stream *s, int64_t now)
{
	struct spkt	*q;
	size_t		 n = s->snd.len < s->mtu ? s->snd.len : s->mtu;

	if ((q = spkt_new(n)) == NULL)
		return -1;
	sbytes_get(&s->snd, q->buf, n);
	q->s = s;
	q->seq = s->snd_next++;
	s->inflight_bytes += n;
	TAILQ_INSERT_TAIL(&s->sent, q, entry);
	s->nsent++;
	out_xmit(s, q, now);
	cc_paced(&s->cc, now);
	s->probe_at = 0;
	if (s->rto_at == 0)
		s->rto_at = now + cc_rto(&s->cc);
	return 0;
}

void
stream_set_state(struct stream *s)
{
	if (s->state == STREAM_CLOSED || s->state == STREAM_RESET)
		return;
	if (!s->connected)
		s->state = s->outbound ? STREAM_SYN_SENT : STREAM_SYN_RECEIVED;
	else if (s->fin_queued && s->peer_fin)
		s->state = STREAM_CLOSING;
	else if (s->fin_queued)
		s->state = STREAM_CLOSE_SENT;
	else if (s->peer_fin)
		s->state = STREAM_CLOSE_RECEIVED;
	else
		s->state = STREAM_OPEN;
}

/* our CLOSE, signed, in sequence after the last data */
static void
queue_close(struct stream *s, int64_t now)
{
	struct stream_pkt	 p;

	out_pkt_init(s, &p, s->snd_next,
	    SPF_CLOSE | SPF_SIGNATURE_INCLUDED);
	s->fin_seq = s->snd_next++;
	s->fin_queued = 1;
	stream_set_state(s);
	if (out_signed(s, &p, now) == -1)
		stream_fail(s, STREAM_ERR_LOCAL);
}

static void
maybe_writable(struct stream *s)
{
	size_t	 used = s->snd.len + s->inflight_bytes, room;

	room = used >= s->snd.cap ? 0 : s->snd.cap - used;
	if (s->want_write && room >= s->mtu) {
		s->want_write = 0;
		stream_raise(s, STREAM_EV_WRITABLE);
	}
}

void
out_pump(struct stream *s, int64_t now)
{
	if (s->dead)
		return;
	while (s->snd.len > 0 && state_sends(s) && window_open(s, now))
		if (send_new(s, now) == -1)
			break;
	/*
	 * The CLOSE once all data is acknowledged, as i2pd 2.45.1 sends its
	 * own: a CLOSE right behind the last data makes an i2pd end the
	 * stream while its SAM bridge may still be writing that data to
	 * the client, whose socket then never sees EOF (it waits an hour
	 * in AsyncReceive on the closed stream).  It costs one RTT at the
	 * end of a stream.
	 */
	if (s->shut && s->connected && s->snd.len == 0 && s->nsent == 0 &&
	    state_sends(s))
		queue_close(s, now);
	if (state_sends(s))
		maybe_writable(s);
}

/* a SYN that never got out (no LeaseSet, no route) was refused */
static enum stream_error
connect_error(const struct stream *s)
{
	return s->syn_out ? STREAM_ERR_TIMEOUT : STREAM_ERR_REFUSED;
}

static struct spkt *
oldest_sent(const struct stream *s)
{
	struct spkt	*q;

	TAILQ_FOREACH(q, &s->sent, entry)
		if (!q->signing && q->sent_at != 0)
			return q;
	return NULL;
}

/* sent more than an RTT and twice its variance ago */
int
out_overdue(const struct stream *s, const struct spkt *q, int64_t now)
{
	return now - q->sent_at >= (int64_t)s->cc.srtt + 2 * s->cc.rttvar;
}

/*
 * The oldest packet is resent, and those NACKed and overdue; a timeout
 * while the peer chokes us is its doing, not loss: it neither shrinks
 * the window nor counts against max_resends, unless the peer has not
 * answered a probe in SC_CHOKED_SILENCE.
 */
static void
on_rto(struct stream *s, int64_t now)
{
	struct spkt	*q;

	if ((q = oldest_sent(s)) == NULL) {
		s->rto_at = 0;
		return;
	}
	/*
	 * The peer closed, all else we sent is acknowledged and our CLOSE
	 * went twice: i2pd 2.45.1, having sent its CLOSE first, ends its
	 * stream on ours without acknowledging it (Streaming.cpp), so no
	 * ACK will come; resending it for a dozen seconds only held the
	 * stream.  Closed, as cleanly as the peer lets it be.
	 */
	if (s->peer_fin && s->fin_queued && s->nsent == 1 &&
	    q->seq == s->fin_seq && q->resends >= 1 && !q->signing) {
		in_acked(s, q);
		s->rto_at = 0;
		stream_check_closed(s);
		return;
	}
	if (s->peer_choked && now - s->last_heard >= SC_CHOKED_SILENCE) {
		stream_fail(s, STREAM_ERR_TIMEOUT);
		return;
	}
	if (!s->peer_choked && q->resends >= s->h->opts.max_resends) {
		stream_fail(s, s->state == STREAM_SYN_SENT ? connect_error(s) :
		    STREAM_ERR_TIMEOUT);
		return;
	}
	if (s->peer_choked) {
		if (s->cc.backoff < 16)
			s->cc.backoff++;
	} else {
		cc_timeout(&s->cc);
		if (s->h->ops.lost != NULL)
			s->h->ops.lost(s->h->ops.arg, s->peer.hash,
			    q->resends);
	}
	out_xmit(s, q, now);
	TAILQ_FOREACH(q, &s->sent, entry)
		if (q->nacked > 0 && !q->signing && q->sent_at != 0 &&
		    out_overdue(s, q, now))
			out_xmit(s, q, now);
	s->rto_at = now + cc_rto(&s->cc);
}

static int
state_idles(const struct stream *s)
{
	return s->state != STREAM_SYN_SENT && s->state != STREAM_CLOSED &&
	    s->state != STREAM_RESET;
}

/*
 * Idle for inactivity_timeout: a keepalive, an empty packet in
 * sequence, which the peer must acknowledge; if it is gone, the resends
 * run out and the stream times out (Java's default "send" action).
 * With our side closed there is nothing to send: waiting on for the
 * peer's CLOSE, idle, the stream is given up with a RESET.  -1 then.
 */
static int
on_idle(struct stream *s, int64_t now)
{
	struct stream_host	*h = s->h;

	s->last_act = now;
	if (s->nsent > 0 || s->snd.len > 0)
		return 0;
	if (state_sends(s)) {
		(void)send_new(s, now);
		return 0;
	}
	if (s->nsigning > 0)
		return 0;
	if (out_orphan_reset(h, s->peer.hash, s->peer_id, s->snd_next,
	    s->lport, s->rport) == 0)
		h->st.reset_sent++;
	stream_fail(s, STREAM_ERR_TIMEOUT);
	return -1;
}

/* let go by the application and not closed in SC_RELEASE_MAX: reset */
static void
on_release_timeout(struct stream *s)
{
	struct stream_host	*h = s->h;

	if (s->peer_id != 0 && out_orphan_reset(h, s->peer.hash, s->peer_id,
	    s->snd_next, s->lport, s->rport) == 0)
		h->st.reset_sent++;
	stream_fail(s, STREAM_ERR_TIMEOUT);
}

void
out_timers(struct stream *s, int64_t now)
{
	struct stream_host	*h = s->h;

	if (s->app_gone && now >= s->linger_until)
		s->dead = 1;
	if (s->state == STREAM_CLOSED || s->state == STREAM_RESET)
		return;
	if (s->released && now >= s->release_until) {
		on_release_timeout(s);
		return;
	}
	if (s->state == STREAM_SYN_SENT && s->conn_deadline != 0 &&
	    now >= s->conn_deadline) {
		stream_fail(s, connect_error(s));
		return;
	}
	if (h->opts.inactivity_timeout > 0 && state_idles(s) &&
	    now - s->last_act >= h->opts.inactivity_timeout &&
	    on_idle(s, now) == -1)
		return;
	if (s->rto_at != 0 && now >= s->rto_at)
		on_rto(s, now);
	if (s->state == STREAM_RESET)
		return;
	if (s->ack_at != 0 && now >= s->ack_at)
		out_ack(s, now);
	out_pump(s, now);
}

static int64_t
earliest(int64_t a, int64_t b)
{
	if (a <= 0)
		return b;
	if (b <= 0)
		return a;
	return a < b ? a : b;
}

/* the stream's next deadline, or -1 */
int64_t
out_next(const struct stream *s)
{
	const struct stream_host	*h = s->h;
	int64_t				 t = 0;

	if (s->app_gone)
		return s->linger_until;
	if (s->state == STREAM_CLOSED || s->state == STREAM_RESET)
		return -1;
	if (s->released)
		t = s->release_until;
	t = earliest(t, s->rto_at);
	t = earliest(t, s->ack_at);
	if (s->state == STREAM_SYN_SENT)
		t = earliest(t, s->conn_deadline);
	if (h->opts.inactivity_timeout > 0 && state_idles(s))
		t = earliest(t, s->last_act + h->opts.inactivity_timeout);
	if (s->snd.len > 0 && state_sends(s)) {
		if (s->peer_choked && s->nsent == 0)
			t = earliest(t, s->probe_at);
		else if (!s->peer_choked && s->nsent < s->cc.cwnd)
			t = earliest(t, cc_pace_next(&s->cc));
	}
	return t > 0 ? t : -1;
}
