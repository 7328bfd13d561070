/*
 * Packets in, before any stream is known: the dispatch by stream id,
 * the SYN that opens a stream to us, pings.
 *
 * A SYN is checked in order of cost: its form, proposal 164's hash, a
 * copy of one taken, the stream limits and connection rates; only then
 * its signature, the one costly step, so that a flood of SYNs costs us
 * little more than reading them.
 */
#include <string.h>
#include <time.h>

#include "stream_int.h"

/* seconds since the epoch, for the expiry of offline signatures */
uint32_t
stream_wallclock(void)
{
	return (uint32_t)time(NULL);
}

/* an incoming stream by the id its initiator chose */
static struct stream *
find_by_peer(struct stream_host *h, uint32_t peer_id,
    const uint8_t *peer_hash)
{
	struct stream	*s;

	TAILQ_FOREACH(s, &h->streams, entry) {
		if (s->dead || s->outbound || s->peer_id != peer_id)
			continue;
		if (peer_hash == NULL ||
		    memcmp(peer_hash, s->peer.hash, 32) == 0)
			return s;
	}
	return NULL;
}

static void
syn_refuse(struct stream_host *h, const struct stream_pkt *p,
    uint16_t sport, uint16_t dport)
{
	if (!h->opts.limit_action_reset)
		return;
	if (out_orphan_reset(h, p->from.hash, p->recv_id, 0, dport,
	    sport) == 0)
		h->st.reset_sent++;
}

/* the cheap checks; 0 if the SYN may have its signature checked */
static int
syn_precheck(struct stream_host *h, const struct stream_pkt *p,
    uint16_t sport, uint16_t dport, const struct i2p_ident *from,
    int64_t now)
{
	if ((p->flags & SPF_FROM_INCLUDED) == 0 ||
	    (p->flags & SPF_SIGNATURE_INCLUDED) == 0 || p->recv_id == 0 ||
	    p->seq != 0 || p->len > STREAM_MTU_RATCHET ||
	    (from != NULL && memcmp(from->hash, p->from.hash, 32) != 0)) {
		h->st.malformed++;
		return -1;
	}
	if (stream_pkt_check_syn_hash(p, h->ident.hash) == -1) {
		h->st.misdirected++;
		return -1;
	}
	if (!stream_room(h) || limit_syn(h, p->from.hash, now) == -1) {
		h->st.syn_limited++;
		syn_refuse(h, p, sport, dport);
		return -1;
	}
	return 0;
}

/* the SYN-ACK: our SYN, acknowledging theirs */
static int
syn_answer(struct stream *s, int64_t now)
{
	struct stream_pkt	 p;

	out_pkt_init(s, &p, 0, SPF_SYNCHRONIZE | SPF_FROM_INCLUDED |
	    SPF_SIGNATURE_INCLUDED | SPF_MAX_PACKET_SIZE_INCLUDED);
	s->snd_next = 1;
	return out_signed(s, &p, now);
}

/* the application's answer: -1 if it refused or dropped the stream */
static int
syn_accept(struct stream_host *h, struct stream *s,
    const struct stream_pkt *p, uint16_t sport, uint16_t dport)
{
	if (h->ops.accept(h->ops.arg, s) == -1) {
		h->st.refused++;
		if (out_orphan_reset(h, p->from.hash, p->recv_id, 0, dport,
		    sport) == 0)
			h->st.reset_sent++;
		s->dead = 1;
		return -1;
	}
	/* taken, and dropped at once */
	return s->dead ? -1 : 0;
}

void
syn_input(struct stream_host *h, struct stream_pkt *p, const uint8_t *buf,
    size_t len, uint16_t sport, uint16_t dport, const struct i2p_ident *from,
    int64_t now)
{
	struct stream	*s;

	/* a resent SYN: our SYN-ACK or ACK went missing */
	if ((s = find_by_peer(h, p->recv_id, p->from.hash)) != NULL) {
		out_ack(s, now);
		return;
	}
	if (syn_precheck(h, p, sport, dport, from, now) == -1)
		return;
	h->st.sig_checks++;
	if (stream_pkt_verify(p, buf, len, NULL, stream_wallclock(),
	    NULL) == -1) {
		h->st.bad_signature++;
		return;
	}
	if ((s = stream_new(h, &p->from, 0, dport, sport, now)) == NULL) {
		h->st.syn_limited++;
		syn_refuse(h, p, sport, dport);
		return;
	}
	s->peer_id = p->recv_id;
	s->state = STREAM_SYN_RECEIVED;
	h->st.opened_in++;
	in_syn(s, p, now);
	if (syn_accept(h, s, p, sport, dport) == -1)
		return;
	if (syn_answer(s, now) == -1) {
		stream_fail(s, STREAM_ERR_LOCAL);
		return;
	}
	synq_feed(h, s, now);
}

/*
 * A ping (ECHO, signed, with FROM, a nonzero stream id) is answered
 * with a pong returning up to 32 bytes of its payload.  Its signature
 * costs what a SYN's does, so it counts against the same rates.  A
 * pong needs nothing: we send no pings.
 */
void
echo_input(struct stream_host *h, const struct stream_pkt *p,
    const uint8_t *buf, size_t len, uint16_t sport, uint16_t dport,
    const struct i2p_ident *from, int64_t now)
{
	struct stream_pkt	 pong;
	struct wbuf		 w;
	uint8_t			 out[SP_HEADER_MIN + SC_PONG_MAX];

	if (p->send_id == 0)
		return;
	if ((p->flags & SPF_FROM_INCLUDED) == 0 ||
	    (p->flags & SPF_SIGNATURE_INCLUDED) == 0 ||
	    (from != NULL && memcmp(from->hash, p->from.hash, 32) != 0)) {
		h->st.malformed++;
		return;
	}
	if (limit_syn(h, p->from.hash, now) == -1) {
		h->st.syn_limited++;
		return;
	}
	h->st.sig_checks++;
	if (stream_pkt_verify(p, buf, len, NULL, stream_wallclock(),
	    NULL) == -1) {
		h->st.bad_signature++;
		return;
	}
	memset(&pong, 0, sizeof(pong));
	pong.recv_id = p->send_id;
	pong.flags = SPF_ECHO | SPF_NO_ACK;
	pong.payload = p->payload;
	pong.len = p->len > SC_PONG_MAX ? SC_PONG_MAX : p->len;
	wbuf_init_fixed(&w, out, sizeof(out));
	if (stream_pkt_build(&w, &pong, 0, NULL, NULL) == 0)
		(void)out_wire(h, p->from.hash, dport, sport, out,
		    wbuf_len(&w));
}

/* a packet to no stream of ours by its id */
static void
input_unknown(struct stream_host *h, const uint8_t *pkt, size_t len,
    uint32_t send_id, uint16_t sport, uint16_t dport,
    const struct i2p_ident *from, int64_t now)
{
	struct stream_pkt	 p;
	struct stream		*s;

	if (stream_pkt_parse(&p, pkt, len, from, NULL) == -1) {
		if (send_id != 0)
			h->st.no_stream++;
		else
			h->st.malformed++;
		return;
	}
	if (p.flags & SPF_ECHO)
		echo_input(h, &p, pkt, len, sport, dport, from, now);
	else if (send_id != 0)
		h->st.no_stream++;
	else if (p.flags & SPF_SYNCHRONIZE)
		syn_input(h, &p, pkt, len, sport, dport, from, now);
	else if ((s = find_by_peer(h, p.recv_id,
	    from != NULL ? from->hash : NULL)) != NULL)
		in_known(s, pkt, len, sport, dport, from, now);
	else
		synq_add(h, &p, pkt, len, sport, dport, from, now);
}

void
stream_host_input(struct stream_host *h, const uint8_t *pkt, size_t len,
    uint16_t src_port, uint16_t dst_port, const struct i2p_ident *from_ident,
    int64_t now)
{
	struct rbuf	 r;
	struct stream	*s;
	uint32_t	 send_id;

	host_enter(h);
	h->now = now;
	h->st.packets_in++;
	rbuf_init(&r, pkt, len);
	if (len > SP_PACKET_MAX || rbuf_get_u32(&r, &send_id) == -1)
		h->st.malformed++;
	else if (send_id != 0 && (s = stream_lookup(h, send_id)) != NULL)
		in_known(s, pkt, len, src_port, dst_port, from_ident, now);
	else
		input_unknown(h, pkt, len, send_id, src_port, dst_port,
		    from_ident, now);
	host_leave(h);
}
