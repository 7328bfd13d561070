/*
 * The application's calls on one stream (stream.h): connect, read,
 * write, close, abort, free, and what it may ask about the stream.
 */
#include <stdlib.h>
#include <string.h>

#include "stream_int.h"

struct stream *
stream_connect(struct stream_host *h, const struct i2p_ident *remote,
    uint16_t src_port, uint16_t dst_port, int64_t now)
{
	struct stream		*s;
	struct stream_pkt	 p;

	host_enter(h);
	h->now = now;
	if ((s = stream_new(h, remote, 1, src_port, dst_port, now)) == NULL) {
		h->st.refused++;
		host_leave(h);
		return NULL;
	}
	s->state = STREAM_SYN_SENT;
	if (h->opts.connect_timeout > 0)
		s->conn_deadline = now + h->opts.connect_timeout;
	/* proposal 164: the SYN names whom it is for */
	out_pkt_init(s, &p, 0, SPF_SYNCHRONIZE | SPF_FROM_INCLUDED |
	    SPF_SIGNATURE_INCLUDED | SPF_MAX_PACKET_SIZE_INCLUDED);
	stream_pkt_set_syn_hash(&p, remote->hash);
	s->snd_next = 1;
	if (out_signed(s, &p, now) == -1) {
		s->dead = 1;
		h->st.refused++;
		host_leave(h);
		return NULL;
	}
	h->st.opened_out++;
	host_leave(h);
	return s;
}

/* events that came before the application are delivered now */
void
stream_set_app(struct stream *s, stream_event_cb cb, void *app)
{
	host_enter(s->h);
	s->cb = cb;
	s->app = app;
	if (s->events != 0 && !s->in_evq && !s->dead) {
		TAILQ_INSERT_TAIL(&s->h->evq, s, eventry);
		s->in_evq = 1;
	}
	host_leave(s->h);
}

static int
stream_can_send(const struct stream *s)
{
	switch (s->state) {
	case STREAM_SYN_SENT:
	case STREAM_SYN_RECEIVED:
	case STREAM_OPEN:
	case STREAM_CLOSE_RECEIVED:
		return !s->shut;
	default:
		return 0;
	}
}

ssize_t
stream_write(struct stream *s, const void *buf, size_t len, int64_t now)
{
	size_t	 used, n;

	if (s->dead || !stream_can_send(s))
		return -1;
	used = s->snd.len + s->inflight_bytes;
	n = used >= s->snd.cap ? 0 : s->snd.cap - used;
	if (n > len)
		n = len;
	if (n < len)
		s->want_write = 1;
	if (n == 0)
		return 0;
	if (sbytes_put(&s->snd, buf, n) == -1) {
		s->want_write = 1;
		return 0;
	}
	s->last_act = now;
	host_enter(s->h);
	s->h->now = now;
	out_pump(s, now);
	host_leave(s->h);
	return n;
}

/*
 * Reading makes room; once half the buffer is free again a choked peer
 * hears of it at once rather than at its next probe.
 */
size_t
stream_read(struct stream *s, void *buf, size_t len, int64_t now)
{
	size_t	 n;

	if ((n = sbytes_get(&s->rcv, buf, len)) == 0)
		return 0;
	s->last_act = now;
	if (s->choking && !s->dead &&
	    stream_rcv_room(s) >= s->rcv.cap / 2) {
		s->choking = 0;
		host_enter(s->h);
		s->h->now = now;
		out_ack(s, now);
		host_leave(s->h);
	}
	return n;
}

size_t
stream_readable(const struct stream *s)
{
	return s->rcv.len;
}

int
stream_eof(const struct stream *s)
{
	if (s->rcv.len > 0)
		return 0;
	return s->peer_fin || s->state == STREAM_RESET;
}

void
stream_shutdown(struct stream *s, int64_t now)
{
	if (s->dead || s->shut)
		return;
	s->shut = 1;
	host_enter(s->h);
	s->h->now = now;
	out_pump(s, now);
	host_leave(s->h);
}

void
stream_abort(struct stream *s, int64_t now)
{
	struct stream_host	*h = s->h;

	if (s->dead)
		return;
	host_enter(h);
	h->now = now;
	if (s->peer_id != 0 && s->state != STREAM_CLOSED &&
	    s->state != STREAM_RESET &&
	    out_orphan_reset(h, s->peer.hash, s->peer_id, s->snd_next,
	    s->lport, s->rport) == 0)
		h->st.reset_sent++;
	s->state = STREAM_RESET;
	s->err = STREAM_ERR_LOCAL;
	s->dead = 1;
	host_leave(h);
}

void
stream_free(struct stream *s)
{
	struct stream_host	*h = s->h;

	host_enter(h);
	s->cb = NULL;
	if (s->state == STREAM_CLOSED && s->err == STREAM_ERR_NONE &&
	    h->now < s->linger_until)
		stream_set_gone(s);
	else if (s->shut && s->state != STREAM_CLOSED &&
	    s->state != STREAM_RESET) {
		s->released = 1;
		s->release_until = h->now + SC_RELEASE_MAX;
	} else
		s->dead = 1;
	host_leave(h);
}

enum stream_error
stream_error(const struct stream *s)
{
	return s->err;
}

void
stream_info(const struct stream *s, struct stream_info *si)
{
	memset(si, 0, sizeof(*si));
	si->send_id = s->peer_id;
	si->recv_id = s->id;
	memcpy(si->peer, s->peer.hash, sizeof(si->peer));
	si->local_port = s->lport;
	si->remote_port = s->rport;
	si->state = s->state;
	si->outbound = s->outbound;
	si->rtt = s->cc.srtt;
	si->rto = cc_rto(&s->cc);
	si->window = s->cc.cwnd;
	si->unacked = s->nsent;
	si->choked = s->peer_choked;
	si->choking = s->choking;
	si->bytes_in = s->bytes_in;
	si->bytes_out = s->bytes_out;
	si->resends = s->resends;
	si->created = s->created;
}

const struct i2p_ident *
stream_peer(const struct stream *s)
{
	return &s->peer;
}
