/*
 * The SSU2 data phase (ssu2.rst "Data Message", "Sending ACK Blocks",
 * "Congestion Control"): a session's packets in and out once the
 * handshake is done.
 *
 * In: a packet opens with the session's keys, its number must be new
 * to the window of the last SSU2_RXWIN (ssu2_track.c: duplicates and
 * replays go), then its blocks: I2NP up to routerd, fragments into a
 * message being reassembled (ssu2_track.c: bounded per session and in
 * all, given up after SSU2_REASM_TTL), RouterInfos up to routerd, ACKs,
 * Termination.
 * A packet with anything but ACK, DateTime and Padding asks for an
 * ACK: at once if it says so, else after SSU2_ACK_DELAY_MS, or riding
 * on the next packet we send.
 *
 * Out: packets as large as the MTU allows, I2NP messages whole in I2NP
 * blocks, or in a First Fragment and Follow-on Fragments when larger
 * than a packet.  Each packet with such blocks stays in flight until
 * ACKed; it goes again, with a new number, after the RTO (RFC 6298
 * from the ACKs' RTTs, SSU2_RTO_MIN to _MAX) or when three later
 * packets were ACKed before it, at most SSU2_RESENDS_MAX times.  The
 * window is counted in packets: it starts at SSU2_CWND_MIN, grows by
 * one per ACKed packet below ssthresh and by one per window above,
 * and halves on a loss (the spec's guidance is TCP's).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "i2pdata.h"
#include "log.h"
#include "netd.h"
#include "ssu2_io.h"

/* room kept in each packet for an ACK block with all its ranges */
#define ACK_ROOM	(3 + 5 + 2 * SSU2_ACK_RANGES)
/* blocks' header: type and length */
#define BLK_HDR		3
/* the I2NP short header: type, message ID, expiration */
#define I2NP_SHORT	9
/* a first fragment shorter than this waits for an emptier packet */
#define FRAG_MIN	64
/* ACKed packets after a packet that mean it was lost */
#define DUP_ACKS	3


static int64_t
now_ms(void)
{
	return ssu2_now_ms();
}

/* the largest payload of a data packet: MTU less header and tag */
static size_t
pkt_room(const struct ssu2_conn *c)
{
	return c->mtu - SSU2_SHORT_HDR - POLY1305_TAG_LEN;
}

static void
put_ack(struct ssu2_conn *c, struct wbuf *w)
{
	uint32_t	 pns[SSU2_RXWIN];
	struct ssu2_ack	 ack;
	size_t		 n;

	n = ssu2_rx_list(&c->rx, pns, SSU2_RXWIN);
	if (n == 0 || ssu2_ack_build(&ack, pns, n, SSU2_ACK_RANGES) == -1)
		return;
	ssu2_put_ack(w, &ack);
	c->ack_due = 0;
}

/* seals and sends one packet; its pn in *pn */
static int
send_payload(struct session *s, uint8_t *payload, size_t len, uint8_t flags,
    uint32_t *pn)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	uint8_t			 pkt[SSU2_PKT_MAX];
	struct wbuf		 w, pw;

	/* the header masks need 8 bytes of payload at least */
	if (len < SSU2_PAYLOAD_MIN) {
		wbuf_init_fixed(&pw, payload + len, SSU2_PAYLOAD_MIN + BLK_HDR);
		ssu2_put_padding(&pw, SSU2_PAYLOAD_MIN);
		len += wbuf_len(&pw);
	}
	wbuf_init_fixed(&w, pkt, sizeof(pkt));
	if (ssu2_data_seal(&c->keys, flags, payload, len, &w, pn) == -1)
		return -1;
	ssu2_send(c->sock, &s->ss, pkt, wbuf_len(&w));
	s->bytes_out += wbuf_len(&w);
	c->pkts_out++;
	return 0;
}

/* a packet of blocks kept to send again; it is in flight */
static int
sent_add(struct ssu2_conn *c, uint32_t pn, const uint8_t *data, size_t len,
    int resends)
{
	struct ssu2_sent	*p;

	if ((p = malloc(sizeof(*p) + len)) == NULL)
		return -1;
	p->pn = pn;
	p->sent_ms = now_ms();
	p->resends = resends;
	p->len = len;
	memcpy(p->data, data, len);
	TAILQ_INSERT_TAIL(&c->inflight, p, entry);
	c->ninflight++;
	return 0;
}

static void
sent_del(struct ssu2_conn *c, struct ssu2_sent *p)
{
	TAILQ_REMOVE(&c->inflight, p, entry);
	c->ninflight--;
	free(p);
}

/* a Follow-on Fragment of the message being sent, as much as fits */
static int
fill_follow(struct session *s, struct wbuf *w, size_t room)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	struct qmsg		*m = c->fragmsg;
	struct ssu2_follow	 f;
	size_t			 left = m->len - c->fragoff;

	if (room < BLK_HDR + 5 + 1)
		return 0;
	memset(&f, 0, sizeof(f));
	f.num = c->fragnum;
	f.msg_id = (uint32_t)m->data[1] << 24 | m->data[2] << 16 |
	    m->data[3] << 8 | m->data[4];
	f.body = m->data + c->fragoff;
	f.bodylen = left < room - BLK_HDR - 5 ? left : room - BLK_HDR - 5;
	f.last = f.bodylen == left;
	if (ssu2_put_follow(w, &f) == -1)
		return -1;
	c->fragoff += f.bodylen;
	c->fragnum++;
	if (f.last) {
		free(c->fragmsg);
		c->fragmsg = NULL;
		s->msgs_out++;
	}
	return 1;
}

/* the start of a message larger than a packet: its First Fragment */
static int
fill_first(struct session *s, struct wbuf *w, struct qmsg *m, size_t room)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	size_t			 chunk = room - BLK_HDR;

	/* 127 follow-on fragments cover any message netd sends */
	if ((c->fragmsg = malloc(sizeof(*m) + m->len)) == NULL)
		return -1;
	memcpy(c->fragmsg, m, sizeof(*m) + m->len);
	wbuf_put_u8(w, SSU2_B_FIRST_FRAG);
	wbuf_put_u16(w, chunk);
	wbuf_put_bytes(w, m->data, chunk);
	c->fragoff = chunk;
	c->fragnum = 1;
	msgq_remove(&s->sendq, m);
	return 1;
}

/* the blocks of one packet from the send queue; 0 if nothing fit */
static int
fill_data(struct session *s, struct wbuf *w, size_t room)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	struct qmsg		*m;
	size_t			 left;
	int			 any = 0;

	for (;;) {
		left = room - wbuf_len(w);
		if (c->fragmsg != NULL) {
			if (fill_follow(s, w, left) != 1)
				break;
			any = 1;
			continue;
		}
		if ((m = msgq_first(&s->sendq, time(NULL))) == NULL)
			break;
		if (BLK_HDR + m->len <= left) {
			/* the queue holds the short-header form SSU2 sends */
			wbuf_put_u8(w, SSU2_B_I2NP);
			wbuf_put_u16(w, m->len);
			wbuf_put_bytes(w, m->data, m->len);
			msgq_remove(&s->sendq, m);
			s->msgs_out++;
			any = 1;
			continue;
		}
		/* whole in the next packet, or in fragments from here */
		if (BLK_HDR + m->len <= room || left < BLK_HDR + FRAG_MIN ||
		    m->len < I2NP_SHORT)
			break;
		if (fill_first(s, w, m, left) == -1)
			break;
		any = 1;
	}
	return any;
}

/* one packet: an ACK if one is due, then data if with_data */
static int
send_packet(struct session *s, int with_data)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	uint8_t			 payload[SSU2_PKT_MAX];
	struct wbuf		 w;
	size_t			 off, room = pkt_room(c);
	uint32_t		 pn;
	int			 data = 0;

	wbuf_init_fixed(&w, payload, room);
	if (c->ack_due)
		put_ack(c, &w);
	off = wbuf_len(&w);
	/* a peer test's block rides as data: sent again until ACKed */
	if (with_data && c->ctllen != 0) {
		wbuf_put_bytes(&w, c->ctlblk, c->ctllen);
		c->ctllen = 0;
		data = 1;
	}
	if (with_data && fill_data(s, &w, room - ACK_ROOM))
		data = 1;
	if (wbuf_error(&w) || (!data && off == 0))
		return -1;
	if (send_payload(s, payload, wbuf_len(&w), 0, &pn) == -1)
		return -1;
	if (data && sent_add(c, pn, payload + off, wbuf_len(&w) - off, 0) ==
	    -1)
		return -1;
	return data;
}

int
s2data_control(struct session *s, const struct ssu2_peertest *t)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	struct wbuf		 w;

	if (c->ctllen != 0)
		return -1;
	wbuf_init_fixed(&w, c->ctlblk, sizeof(c->ctlblk));
	if (ssu2_put_peertest(&w, t) == -1 || wbuf_error(&w))
		return -1;
	c->ctllen = wbuf_len(&w);
	s2data_pump(s);
	return 0;
}

/* the soonest time the timer must fire: a resend or a delayed ACK */
static void
arm(struct session *s)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	struct ssu2_sent	*p;
	int64_t			 now = now_ms(), when = now + 1000;

	/* an idle session wakes nobody: the layer's idle timer is enough */
	if (TAILQ_EMPTY(&c->inflight) && !c->ack_due && !c->confirm_pending &&
	    c->reasm.n == 0) {
		evtimer_del(&c->ev);
		return;
	}
	if ((p = TAILQ_FIRST(&c->inflight)) != NULL &&
	    p->sent_ms + c->rto_ms < when)
		when = p->sent_ms + c->rto_ms;
	if (c->ack_due && c->ack_at < when)
		when = c->ack_at;
	if (c->confirm_pending && now + SSU2_HS_RESEND_MS < when)
		when = now + SSU2_HS_RESEND_MS;
	ssu2_timer(c, when - now);
}

void
s2data_pump(struct session *s)
{
	struct ssu2_conn	*c = SSU2_CONN(s);

	if (s->state != SS_ESTABLISHED || c == NULL)
		return;
	while (c->ninflight < c->cwnd && (c->fragmsg != NULL ||
	    c->ctllen != 0 ||
	    msgq_first(&s->sendq, time(NULL)) != NULL))
		if (send_packet(s, 1) != 1)
			break;
	if (c->ack_due && c->ack_at <= now_ms())
		send_packet(s, 0);
	arm(s);
}

void
s2data_start(struct session *s)
{
	s2data_pump(s);
}

/* a packet's blocks again, with a new number; p is freed */
static void
resend(struct session *s, struct ssu2_sent *p)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	uint8_t			 payload[SSU2_PKT_MAX];
	struct wbuf		 w;
	size_t			 off;
	uint32_t		 pn;

	c->resends++;
	if (p->resends >= SSU2_RESENDS_MAX) {
		c->lost++;
		sent_del(c, p);
		return;
	}
	wbuf_init_fixed(&w, payload, pkt_room(c));
	if (c->ack_due)
		put_ack(c, &w);
	off = wbuf_len(&w);
	wbuf_put_bytes(&w, p->data, p->len);
	if (!wbuf_error(&w) && send_payload(s, payload, wbuf_len(&w),
	    SSU2_FLAG_IMMEDIATE_ACK, &pn) == 0)
		sent_add(c, pn, payload + off, p->len, p->resends + 1);
	sent_del(c, p);
}

/* a loss: the window halves (once per RTO round) */
static void
lost_one(struct ssu2_conn *c)
{
	c->ssthresh = c->cwnd / 2 > SSU2_CWND_MIN ? c->cwnd / 2 :
	    SSU2_CWND_MIN;
	c->cwnd = c->ssthresh;
}

/* resends of what the RTO or later ACKs say is lost */
static void
resend_due(struct session *s, uint32_t acked_max, int have_ack)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	struct ssu2_sent	*p, *next;
	int64_t			 now = now_ms();
	uint32_t		 n = c->ninflight;
	int			 loss = 0;

	/* the list is in send order; resent ones go to its end */
	for (p = TAILQ_FIRST(&c->inflight); p != NULL && n > 0; p = next) {
		next = TAILQ_NEXT(p, entry);
		n--;
		if (now - p->sent_ms >= c->rto_ms ||
		    (have_ack && acked_max >= p->pn + DUP_ACKS)) {
			loss = 1;
			resend(s, p);
		}
	}
	if (loss) {
		lost_one(c);
		if (!have_ack)
			c->rto_ms = c->rto_ms * 2 > SSU2_RTO_MAX ?
			    SSU2_RTO_MAX : c->rto_ms * 2;
	}
}

/* RFC 6298 from one sample */
static void
rtt_sample(struct ssu2_conn *c, int64_t ms)
{
	int	 rto;

	if (c->rtt_ms == 0) {
		c->rtt_ms = ms;
		c->rttvar_ms = ms / 2;
	} else {
		c->rttvar_ms = (3 * c->rttvar_ms +
		    llabs(c->rtt_ms - ms)) / 4;
		c->rtt_ms = (7 * c->rtt_ms + ms) / 8;
	}
	rto = c->rtt_ms + 4 * c->rttvar_ms;
	c->rto_ms = rto < SSU2_RTO_MIN ? SSU2_RTO_MIN : rto > SSU2_RTO_MAX ?
	    SSU2_RTO_MAX : rto;
}

static void
on_ack(struct session *s, const struct ssu2_ack *ack)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	struct ssu2_sent	*p, *next;
	uint32_t		 acked = 0;

	for (p = TAILQ_FIRST(&c->inflight); p != NULL; p = next) {
		next = TAILQ_NEXT(p, entry);
		if (!ssu2_ack_has(ack, p->pn))
			continue;
		/* Karn: a resent packet's ACK says nothing of the RTT */
		if (p->resends == 0)
			rtt_sample(c, now_ms() - p->sent_ms);
		sent_del(c, p);
		acked++;
	}
	if (acked == 0)
		return;
	if (c->cwnd < c->ssthresh)
		c->cwnd += acked;
	else if ((c->cwnd_acc += acked) >= c->cwnd) {
		c->cwnd_acc = 0;
		c->cwnd++;
	}
	if (c->cwnd > SSU2_CWND_MAX)
		c->cwnd = SSU2_CWND_MAX;
	resend_due(s, ack->through, 1);
}

void
s2data_timeout(struct session *s)
{
	struct ssu2_conn	*c = SSU2_CONN(s);

	if (c->confirm_pending)
		s2hs_confirm_resend(s);
	ssu2_reasm_expire(&c->reasm, netd_now());
	ssu2_stats.reasm_dropped += c->reasm.dropped;
	c->reasm.dropped = 0;
	resend_due(s, 0, 0);
	s2data_pump(s);
}

/*
 * Input
 */

/* a fragment into its message, which goes up to routerd when whole */
static void
fragment(struct session *s, uint32_t msg_id, int num, int last,
    const uint8_t *data, size_t len)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	uint8_t			*msg;
	size_t			 mlen;

	if (ssu2_reasm_add(&c->reasm, msg_id, num, last, data, len,
	    netd_now(), &msg, &mlen) == 1) {
		session_i2np_in(s, msg, mlen);
		free(msg);
	}
	ssu2_stats.reasm_dropped += c->reasm.dropped;
	c->reasm.dropped = 0;
}

struct blk_ctx {
	struct session	*s;
	int		 ack_eliciting;
	int		 term;
	uint8_t		 term_reason;
	/* a RouterInfo block, and whether relay or peer test came along */
	const uint8_t	*ri;
	size_t		 rilen;
	int		 others_ri;
	/* a Path Challenge's data, for the Path Response */
	const uint8_t	*path;
	size_t		 pathlen;
	/* a Peer Test block: handled once the RouterInfo is known */
	const uint8_t	*pt;
	size_t		 ptlen;
};

/* the peer's RouterInfo, inflated if gzipped, up to the session layer */
static void
blk_ri(struct session *s, const uint8_t *body, size_t len)
{
	static uint8_t	 ri[RI_MAXLEN];
	struct ssu2_blk	 b;
	size_t		 rilen;

	if (ssu2_blk_parse(SSU2_B_ROUTERINFO, body, len, &b) == 0 &&
	    ssu2_ri_plain(b.u.ri.flag, b.u.ri.data, b.u.ri.len, ri,
	    sizeof(ri), &rilen) == 0)
		session_peer_ri(s, ri, rilen);
}

static int
blk_cb(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	struct blk_ctx	*x = arg;
	struct ssu2_blk	 b;

	switch (type) {
	case SSU2_B_I2NP:
		if (len < I2NP_SHORT)
			return -1;
		session_i2np_in(x->s, body, len);
		break;
	case SSU2_B_FIRST_FRAG:
		if (ssu2_blk_parse(type, body, len, &b) == -1)
			return -1;
		fragment(x->s, b.u.i2np.msg_id, 0, 0, body, len);
		break;
	case SSU2_B_FOLLOW_FRAG:
		if (ssu2_blk_parse(type, body, len, &b) == -1)
			return -1;
		fragment(x->s, b.u.follow.msg_id, b.u.follow.num,
		    b.u.follow.last, b.u.follow.body, b.u.follow.bodylen);
		break;
	case SSU2_B_ROUTERINFO:
		x->ri = body;
		x->rilen = len;
		break;
	case SSU2_B_PEER_TEST:
		x->pt = body;
		x->ptlen = len;
		/* FALLTHROUGH */
	case SSU2_B_RELAY_REQUEST:
	case SSU2_B_RELAY_RESPONSE:
	case SSU2_B_RELAY_INTRO:
		/* with these, a RouterInfo is Charlie's or Alice's */
		x->others_ri = 1;
		break;
	case SSU2_B_ACK:
		if (ssu2_blk_parse(type, body, len, &b) == -1)
			return -1;
		on_ack(x->s, &b.u.ack);
		return 0;
	case SSU2_B_TERMINATION:
		if (ssu2_blk_parse(type, body, len, &b) == -1)
			return -1;
		x->term = 1;
		x->term_reason = b.u.term.reason;
		return 0;
	case SSU2_B_PATH_CHALLENGE:
		if (ssu2_blk_parse(type, body, len, &b) == -1)
			return -1;
		x->path = b.u.path.data;
		x->pathlen = b.u.path.len;
		break;
	case SSU2_B_DATETIME:
	case SSU2_B_PADDING:
		return 0;
	default:
		/* relay, peer test, path: not done here (issue 17's later part) */
		break;
	}
	x->ack_eliciting = 1;
	return 0;
}

/*
 * A Path Challenge's data back in a Path Response, as ssu2.rst asks,
 * on an established session only and within the limits: the peer
 * chooses how much we send
 */
static void
path_respond(struct session *s, const uint8_t *data, size_t len)
{
	static struct ssu2_pathlim	 lim;
	struct ssu2_conn		*c = SSU2_CONN(s);
	uint8_t				 payload[SSU2_PKT_MAX];
	struct wbuf			 w;
	uint32_t			 pn;

	if (s->state != SS_ESTABLISHED || BLK_HDR + len > pkt_room(c) ||
	    !ssu2_path_allow(&c->path_at, &lim, now_ms()))
		return;
	wbuf_init_fixed(&w, payload, pkt_room(c));
	if (ssu2_put_path(&w, SSU2_B_PATH_RESPONSE, data, len) == -1 ||
	    wbuf_error(&w))
		return;
	send_payload(s, payload, wbuf_len(&w), 0, &pn);
}

/* a Peer Test block, with the packet's plain RouterInfo if any */
static void
pt_block(struct session *s, const struct blk_ctx *x)
{
	struct ssu2_blk	 b;
	const uint8_t	*ri = NULL;
	size_t		 rilen = 0;

	if (x->ri != NULL &&
	    ssu2_blk_parse(SSU2_B_ROUTERINFO, x->ri, x->rilen, &b) == 0 &&
	    !(b.u.ri.flag & SSU2_RI_GZIP)) {
		ri = b.u.ri.data;
		rilen = b.u.ri.len;
	}
	s2pt_block(s, x->pt, x->ptlen, ri, rilen);
}

/* the peer ended the session: confirm, and close */
static void
peer_terminated(struct session *s, uint8_t reason)
{
	struct ssu2_conn	*c = SSU2_CONN(s);

	log_debug("session %s: SSU2 termination, reason %u",
	    session_name(s), reason);
	if (!c->term_sent)
		s2data_terminate(s, SSU2_R_TERMINATION_RECEIVED,
		    NET_DOWN_CLOSED);
	else
		session_close(s, NET_DOWN_CLOSED, reason);
}

void
s2data_input(struct session *s, uint8_t *pkt, size_t len)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	struct ssu2_hdr		 h;
	struct blk_ctx		 x;
	const uint8_t		*payload;
	size_t			 plen;

	if (ssu2_data_open(&c->keys, pkt, len, &h, &payload, &plen) == -1) {
		ssu2_stats.dropped++;
		return;
	}
	if (!ssu2_rx_add(&c->rx, h.pkt_num)) {
		/* our ACK may have been lost: say it again */
		ssu2_stats.dup++;
		c->ack_due = 1;
		return;
	}
	c->confirm_pending = 0;
	c->pkts_in++;
	s->bytes_in += len;
	s->last_io = netd_now();
	memset(&x, 0, sizeof(x));
	x.s = s;
	if (ssu2_blocks(payload, plen, blk_cb, &x) == -1) {
		log_debug("session %s: SSU2 bad payload", session_name(s));
		s2data_terminate(s, SSU2_R_PAYLOAD_FORMAT_ERROR, NET_DOWN_ERROR);
		return;
	}
	if (x.term) {
		peer_terminated(s, x.term_reason);
		return;
	}
	/* the peer's own RouterInfo (a new one) goes up as the peer's */
	if (x.ri != NULL && !x.others_ri)
		blk_ri(s, x.ri, x.rilen);
	if (x.path != NULL)
		path_respond(s, x.path, x.pathlen);
	if (x.pt != NULL)
		pt_block(s, &x);
	if (x.ack_eliciting && !c->ack_due) {
		c->ack_due = 1;
		c->ack_at = now_ms() + ((h.flags[0] & SSU2_FLAG_IMMEDIATE_ACK) ?
		    0 : SSU2_ACK_DELAY_MS);
	} else if (x.ack_eliciting && (h.flags[0] & SSU2_FLAG_IMMEDIATE_ACK))
		c->ack_at = 0;
	s2data_pump(s);
}

/*
 * The end
 */

/* a Termination block in a packet of its own */
static void
send_term(struct session *s, uint8_t reason)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	uint8_t			 payload[64];
	struct wbuf		 w;
	uint32_t		 pn;

	wbuf_init_fixed(&w, payload, sizeof(payload));
	ssu2_put_termination(&w, c->pkts_in, reason);
	if (!wbuf_error(&w))
		send_payload(s, payload, wbuf_len(&w), 0, &pn);
	c->term_sent = 1;
}

/* UDP has nothing to flush: the termination goes, the session ends */
int
s2data_terminate(struct session *s, uint8_t reason, uint32_t down)
{
	send_term(s, reason);
	session_close(s, down, reason);
	return -1;
}

void
s2data_goodbye(struct session *s)
{
	send_term(s, SSU2_R_ROUTER_SHUTDOWN);
}

void
s2data_free(struct ssu2_conn *c)
{
	struct ssu2_sent	*p;

	while ((p = TAILQ_FIRST(&c->inflight)) != NULL)
		sent_del(c, p);
	ssu2_reasm_clear(&c->reasm);
	free(c->fragmsg);
	c->fragmsg = NULL;
}
