/*
 * Packets in for a known stream: their signatures where they carry one,
 * the ACKs and NACKs of what we sent, the CHOKE, and the data put in
 * order within the receive buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "stream_int.h"

/* how far ahead of the next expected packet one is kept */
#define IN_OOO_SPAN	(2 * SC_WINDOW_CAP)
#define IN_OOO_MAX	SC_WINDOW_CAP

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * A NACKed packet is resent once it is overdue: sent more than an RTT
 * and twice its variance ago (as RACK, RFC 8985, with 2 RTTVAR for the
 * reordering window).  streaming.rst asks for a fast retransmit at the
 * second NACK, but tunnels reorder: on a link whose delay varies by
 * 80 ms, two NACKs resent twice the packets lost, a NACKed packet
 * still on its way needing no second copy.  The time also keeps a
 * packet from going twice while ACKs in flight still NACK it.
 */
static void
in_nacked(struct stream *s, struct spkt *q, int64_t now)
{
	q->nacked++;
	/*
	 * Resent already: lost again only once the peer has acknowledged
	 * something sent after that resend (RACK, RFC 8985); an ACK
	 * written before the resend reached it still NACKs the packet.
	 */
	if (q->resends > 0 && s->acked_sent_at <= q->sent_at)
		return;
	if (out_overdue(s, q, now)) {
		out_xmit(s, q, now);
		cc_fast_loss(&s->cc, s->snd_next - 1);
	}
}

/* q is acknowledged: it goes */
void
in_acked(struct stream *s, struct spkt *q)
{
	TAILQ_REMOVE(&s->sent, q, entry);
	s->nsent--;
	if (!q->wire)
		s->inflight_bytes -= q->len;
	if (s->fin_queued && q->seq == s->fin_seq)
		s->fin_acked = 1;
	if (q->seq == 0 && !s->outbound && !s->connected) {
		s->connected = 1;
		stream_set_state(s);
	}
	free(q);
}

void
in_ack(struct stream *s, const struct stream_pkt *p, int64_t now)
{
	struct spkt	*q, *next;
	uint32_t	 nacks[SP_NACKS_MAX], newly = 0, hi = 0;
	int64_t		 sample = -1;

	/* an ACK of what we never sent is a confused or lying peer's */
	if (p->ack_through >= s->snd_next)
		return;
	memcpy(nacks, p->nacks, p->nnacks * sizeof(nacks[0]));
	qsort(nacks, p->nnacks, sizeof(nacks[0]), cmp_u32);
	/*
	 * The newest send this ACK confirms, for in_nacked; of packets
	 * sent once (Karn): a resent one's ACK may be the first copy's
	 */
	TAILQ_FOREACH(q, &s->sent, entry) {
		if (q->seq > p->ack_through)
			break;
		if (!q->signing && q->resends == 0 &&
		    q->sent_at > s->acked_sent_at &&
		    bsearch(&q->seq, nacks, p->nnacks, sizeof(nacks[0]),
		    cmp_u32) == NULL)
			s->acked_sent_at = q->sent_at;
	}
	TAILQ_FOREACH_SAFE(q, &s->sent, entry, next) {
		if (q->seq > p->ack_through)
			break;
		if (q->signing || q->sent_at == 0)
			continue;
		if (bsearch(&q->seq, nacks, p->nnacks, sizeof(nacks[0]),
		    cmp_u32) != NULL) {
			in_nacked(s, q, now);
			continue;
		}
		/* Karn: a resent packet's ACK may be the first send's */
		if (q->resends == 0)
			sample = now - q->sent_at;
		hi = q->seq;
		newly++;
		in_acked(s, q);
	}
	if (newly == 0)
		return;
	if (sample >= 0)
		cc_rtt_sample(&s->cc, sample);
	cc_acked(&s->cc, newly, hi);
	s->rto_at = s->nsent > 0 ? now + cc_rto(&s->cc) : 0;
	stream_check_closed(s);
}

static void
in_deliver(struct stream *s, uint32_t seq, const uint8_t *data, size_t len,
    uint16_t flags)
{
	struct stream_host	*h = s->h;

	if (len > 0 && sbytes_put(&s->rcv, data, len) == 0) {
		s->bytes_in += len;
		h->st.bytes_in += len;
		stream_raise(s, STREAM_EV_READABLE);
	}
	s->rcv_next = seq + 1;
	if (!s->any_rcvd || seq > s->rcv_high)
		s->rcv_high = seq;
	s->any_rcvd = 1;
	if ((flags & SPF_SYNCHRONIZE) && s->outbound && !s->connected) {
		s->connected = 1;
		s->conn_deadline = 0;
		stream_raise(s, STREAM_EV_CONNECTED);
	}
	if ((flags & SPF_CLOSE) && !s->peer_fin) {
		s->peer_fin = 1;
		stream_raise(s, STREAM_EV_READABLE);
	}
	stream_set_state(s);
	stream_check_closed(s);
}

static void
ooo_insert(struct stream *s, const struct stream_pkt *p)
{
	struct spkt	*q, *n;

	if (s->nooo >= IN_OOO_MAX)
		return;
	TAILQ_FOREACH_REVERSE(q, &s->ooo, spktq, entry) {
		if (q->seq == p->seq)
			return;
		if (q->seq < p->seq)
			break;
	}
	if ((n = spkt_new(p->len)) == NULL)
		return;
	if (p->len > 0)
		memcpy(n->buf, p->payload, p->len);
	n->seq = p->seq;
	n->flags = p->flags;
	if (q != NULL)
		TAILQ_INSERT_AFTER(&s->ooo, q, n, entry);
	else
		TAILQ_INSERT_HEAD(&s->ooo, n, entry);
	s->nooo++;
	s->ooo_bytes += n->len;
	if (p->seq > s->rcv_high)
		s->rcv_high = p->seq;
}

static void
ooo_drain(struct stream *s)
{
	struct spkt	*q;

	while ((q = TAILQ_FIRST(&s->ooo)) != NULL &&
	    q->seq == s->rcv_next) {
		TAILQ_REMOVE(&s->ooo, q, entry);
		s->nooo--;
		s->ooo_bytes -= q->len;
		in_deliver(s, q->seq, q->buf, q->len, q->flags);
		free(q);
	}
}

static void
choke_check(struct stream *s)
{
	if (stream_rcv_room(s) < STREAM_MTU_RATCHET && !s->choking) {
		s->choking = 1;
		s->h->st.choke_sent++;
	}
}

/*
 * Short: an i2pd sender resends what is unacknowledged after 1.5 times
 * its mean RTT, a mean that counts the packets we acknowledge at once
 * too, and its ACKs' timer and window halving do not tell a late ACK
 * from a loss.  A quarter of our SRTT (which, on a receiver, is the
 * SYN's, often above the path's) put a quarter of its samples past
 * that RTO; a tenth, as i2pd's own receiver waits, keeps them within.
 */
static int64_t
ack_delay(const struct stream *s)
{
	uint32_t	 d;

	if (!s->cc.have_rtt)
		return SC_ACK_DELAY_MAX;
	d = s->cc.srtt / SC_ACK_DELAY_DIV;
	if (d < SC_ACK_DELAY_MIN)
		d = SC_ACK_DELAY_MIN;
	return d > SC_ACK_DELAY_MAX ? SC_ACK_DELAY_MAX : d;
}

/*
 * Data in order goes to the buffer (with what waited behind it), data
 * ahead waits within the buffer's room less one packet: that packet's
 * room is the next expected one's, else data ahead could fill the
 * buffer and leave the gap before it no room ever.  What does not fit
 * is dropped, and the peer choked, to be resent when the application
 * has read.
 */
static void
in_data(struct stream *s, const struct stream_pkt *p, int64_t now)
{
	uint32_t	 seq = p->seq;

	if (seq < s->rcv_next) {
		out_ack(s, now);
		return;
	}
	if (seq - s->rcv_next > IN_OOO_SPAN)
		return;
	if (seq != s->rcv_next) {
		if (p->len + STREAM_MTU_RATCHET <= stream_rcv_room(s))
			ooo_insert(s, p);
		choke_check(s);
		out_ack(s, now);
		return;
	}
	if (p->len > stream_rcv_room(s)) {
		if (!s->choking)
			s->h->st.choke_sent++;
		s->choking = 1;
		out_ack(s, now);
		return;
	}
	in_deliver(s, seq, p->payload, p->len, p->flags);
	ooo_drain(s);
	choke_check(s);
	if ((p->flags & (SPF_SYNCHRONIZE | SPF_CLOSE)) ||
	    !TAILQ_EMPTY(&s->ooo) || ++s->ack_count >= SC_ACK_EVERY)
		out_ack(s, now);
	else if (s->ack_at == 0)
		s->ack_at = now + ack_delay(s);
}

/* the peer's MTU, if it is less than ours: no less than 512 */
static void
in_mtu(struct stream *s, const struct stream_pkt *p)
{
	if ((p->flags & SPF_MAX_PACKET_SIZE_INCLUDED) == 0 || p->mtu >= s->mtu)
		return;
	s->mtu = p->mtu < SC_MTU_MIN ? SC_MTU_MIN : p->mtu;
}

/* the SYN that made an incoming stream: its data and CLOSE, if any */
void
in_syn(struct stream *s, const struct stream_pkt *p, int64_t now)
{
	s->last_act = s->last_heard = now;
	in_mtu(s, p);
	in_deliver(s, 0, p->payload, p->len, p->flags);
	choke_check(s);
}

/* the delay option: over 60000 the peer is choked, else no longer */
static void
in_choke(struct stream *s, const struct stream_pkt *p)
{
	if ((p->flags & SPF_DELAY_REQUESTED) == 0)
		return;
	if (p->delay > 60000) {
		if (!s->peer_choked)
			s->probe_at = 0;
		s->peer_choked = 1;
	} else if (s->peer_choked) {
		s->peer_choked = 0;
		s->probe_at = 0;
	}
}

/*
 * SYN, CLOSE and RESET are signed by the peer we know.  Checked once
 * each: a copy of one already taken is answered with an ACK, unchecked.
 */
static int
in_signed_ok(struct stream *s, const struct stream_pkt *p,
    const uint8_t *buf, size_t len)
{
	struct stream_host	*h = s->h;

	if ((p->flags & SPF_SIGNATURE_INCLUDED) == 0) {
		h->st.malformed++;
		return -1;
	}
	if ((p->flags & SPF_FROM_INCLUDED) && !ident_equal(&p->from, &s->peer)) {
		h->st.bad_signature++;
		return -1;
	}
	h->st.sig_checks++;
	if (stream_pkt_verify(p, buf, len, &s->peer, stream_wallclock(),
	    NULL) == -1) {
		h->st.bad_signature++;
		return -1;
	}
	return 0;
}

static void
in_stream(struct stream *s, const struct stream_pkt *p, const uint8_t *buf,
    size_t len, int64_t now)
{
	struct stream_host	*h = s->h;
	int			 plain, dup;

	plain = p->seq == 0 && !(p->flags & SPF_SYNCHRONIZE);
	dup = !plain && p->seq < s->rcv_next;
	if (dup && (p->flags & (SPF_SYNCHRONIZE | SPF_CLOSE))) {
		out_ack(s, now);
		return;
	}
	if ((p->flags & SPF_RESET) || (!dup &&
	    (p->flags & (SPF_SYNCHRONIZE | SPF_CLOSE)))) {
		if (in_signed_ok(s, p, buf, len) == -1)
			return;
	}
	if (p->flags & SPF_RESET) {
		h->st.reset_received++;
		stream_fail(s, STREAM_ERR_RESET);
		return;
	}
	s->last_act = s->last_heard = now;
	if (s->peer_id == 0)
		s->peer_id = p->recv_id;
	if (p->flags & SPF_SYNCHRONIZE)
		in_mtu(s, p);
	if ((p->flags & SPF_NO_ACK) == 0)
		in_ack(s, p, now);
	in_choke(s, p);
	if (!plain)
		in_data(s, p, now);
	out_pump(s, now);
}

/* a packet for stream s: its peer's Destination sizes a signature */
void
in_known(struct stream *s, const uint8_t *buf, size_t len, uint16_t sport,
    uint16_t dport, const struct i2p_ident *from, int64_t now)
{
	struct stream_host	*h = s->h;
	struct stream_pkt	 p;

	if (stream_pkt_parse(&p, buf, len, &s->peer, NULL) == -1 ||
	    p.len > STREAM_MTU_RATCHET) {
		h->st.malformed++;
		return;
	}
	if (p.flags & SPF_ECHO) {
		echo_input(h, &p, buf, len, sport, dport, from, now);
		return;
	}
	if (from != NULL && memcmp(from->hash, s->peer.hash, 32) != 0) {
		h->st.no_stream++;
		return;
	}
	if (s->state == STREAM_CLOSED && s->err == STREAM_ERR_NONE &&
	    p.seq < s->rcv_next && (p.seq > 0 || (p.flags & SPF_SYNCHRONIZE))) {
		/* a resend: our ACK was lost */
		out_ack(s, now);
		stream_linger(s);
		return;
	}
	if (s->state == STREAM_CLOSED || s->state == STREAM_RESET) {
		h->st.no_stream++;
		return;
	}
	in_stream(s, &p, buf, len, now);
}
