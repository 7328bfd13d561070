/*
 * show destinations, show sessions and show streams: each local
 * destination (its LeaseSet, tunnels, traffic and stream counters),
 * each of its ratchet sessions and each of its streams as ctl_dest,
 * ctl_rsess and ctl_stream structs, handed to an emitter (tunneld.c
 * sends them to routerd; the tests record them).  No IPC here; the
 * streams are read through stream.h's read-only calls.
 */
#include <bsd/string.h>
#include <string.h>

#include "destio.h"
#include "encoding.h"
#include "i2prd.h"
#include "lscache.h"
#include "ratchet.h"
#include "streams.h"
#include "tunneld.h"

/* every session destio keeps fits one reply; the bound stays anyway */
_Static_assert(CTL_RSESS_MAX >= DESTIO_SESSIONS_MAX,
    "show sessions would leave sessions out");
/* and every stream stream.c keeps */
_Static_assert(CTL_STREAMS_MAX >= STREAM_MAX,
    "show streams would leave streams out");
/* i2pctl reads ctl_stream's state as stream.c's */
_Static_assert(CTL_STREAM_SYN_SENT == (int)STREAM_SYN_SENT &&
    CTL_STREAM_SYN_RECEIVED == (int)STREAM_SYN_RECEIVED &&
    CTL_STREAM_OPEN == (int)STREAM_OPEN &&
    CTL_STREAM_CLOSE_SENT == (int)STREAM_CLOSE_SENT &&
    CTL_STREAM_CLOSE_RECEIVED == (int)STREAM_CLOSE_RECEIVED &&
    CTL_STREAM_CLOSING == (int)STREAM_CLOSING &&
    CTL_STREAM_CLOSED == (int)STREAM_CLOSED &&
    CTL_STREAM_RESET == (int)STREAM_RESET,
    "enum ctl_stream_state is not enum stream_state");

struct emitter {
	dest_ctl_emit_fn	 emit;
	void			*arg;
	const char		*name;	/* show sessions, streams: whose */
	size_t			*n;	/* show sessions, streams: rows */
	int64_t			 now_ms;	/* show streams: both clocks */
	time_t			 now;
};

static void
ctl_leaseset(const struct lspub *ls, struct ctl_dest *cd)
{
	cd->ls_state = ls->state;
	if (ls->state != 0) {
		memcpy(cd->floodfill, ls->floodfill, sizeof(cd->floodfill));
		cd->ls_at = ls->state_at;
	}
	if (ls->cur != NULL) {
		cd->published = ls->cur->published;
		cd->leases = ls->cur->nleases;
	}
}

static void
ctl_traffic(const struct destio *io, struct ctl_dest *cd)
{
	struct destio_stats	 st;

	destio_stats(io, &st);
	cd->sessions = st.sessions;
	cd->sent = st.sent;
	cd->received = st.received;
	cd->dropped_garlic = st.dropped_garlic;
	cd->dropped_out = st.dropped_out;
	cd->dropped_in = st.dropped_in;
	cd->ls_acked = st.ls_acked;
	cd->ls_ack_timeouts = st.ls_ack_timeouts;
	cd->unanswered_dropped = st.unanswered_dropped;
	cd->reroutes = st.reroutes;
	cd->restarts = st.restarts;
}

static void
ctl_streams(const struct stream_host *h, struct ctl_dest *cd)
{
	struct stream_stats	 st;

	stream_host_stats(h, &st);
	cd->streams = st.streams;
	cd->streams_out = st.opened_out;
	cd->streams_in = st.opened_in;
	cd->streams_refused = st.refused;
	cd->streams_timeouts = st.timeouts;
	cd->syn_limited = st.syn_limited;
	cd->resets_sent = st.reset_sent;
	cd->resets_received = st.reset_received;
	cd->spackets_in = st.packets_in;
	cd->spackets_out = st.packets_out;
	cd->spackets_resent = st.resends;
	cd->sbytes_in = st.bytes_in;
	cd->sbytes_out = st.bytes_out;
	cd->smalformed = st.malformed;
	cd->sbad_signature = st.bad_signature;
	cd->sno_stream = st.no_stream;
	cd->smisdirected = st.misdirected;
	cd->choked = st.choke_sent;
	cd->synack_leads = st.synack_leads;
}

static void
dest_row(const struct dest *d, void *arg)
{
	struct emitter		*e = arg;
	struct ctl_dest		 cd;
	const struct stream_host *h;

	memset(&cd, 0, sizeof(cd));
	strlcpy(cd.name, d->name, sizeof(cd.name));
	cd.session = d->session != 0;
	cd.tunnels_in = d->nin;
	cd.tunnels_out = d->nout;
	/* the rest exists once the key is known */
	if (d->keyid != 0) {
		(void)ident_b32(&d->ident, cd.b32, sizeof(cd.b32));
		(void)ident_to_b64(&d->ident, cd.dest, sizeof(cd.dest));
		ctl_leaseset(&d->ls, &cd);
		cd.remote_ls = lscache_count(d->keyid);
	}
	if (d->io != NULL)
		ctl_traffic(d->io, &cd);
	if (d->keyid != 0 && (h = streams_find(d->keyid)) != NULL)
		ctl_streams(h, &cd);
	e->emit(e->arg, IMSG_CTL_DEST, &cd, sizeof(cd));
}

void
dest_ctl_dests(dest_ctl_emit_fn emit, void *arg)
{
	struct emitter	 e = { emit, arg, NULL, NULL, 0, 0 };

	dests_walk(dest_row, &e);
}

static int
hash_known(const uint8_t h[32])
{
	static const uint8_t	zero[32];

	return memcmp(h, zero, sizeof(zero)) != 0;
}

/* 52 characters and the suffix fit in 64; "" for a hash not known */
static void
peer_b32(const uint8_t h[32], char *buf, size_t len)
{
	buf[0] = '\0';
	if (hash_known(h)) {
		(void)b32_encode(buf, len, h, 32);
		(void)strlcat(buf, ".b32.i2p", len);
	}
}

static uint8_t
rsess_state(int state)
{
	switch (state) {
	case RATCHET_NS_SENT:
		return CTL_RSESS_NS_SENT;
	case RATCHET_NSR_SENT:
		return CTL_RSESS_NSR_SENT;
	case RATCHET_ESTABLISHED:
		return CTL_RSESS_ESTABLISHED;
	default:
		return CTL_RSESS_TERMINATED;
	}
}

static void
session_row(const struct destio_session_info *si, void *arg)
{
	struct emitter	*e = arg;
	struct ctl_rsess rs;

	/* a reply is bounded: the sessions beyond the limit are left out */
	if (*e->n >= CTL_RSESS_MAX)
		return;
	memset(&rs, 0, sizeof(rs));
	strlcpy(rs.dest, e->name, sizeof(rs.dest));
	peer_b32(si->peer, rs.peer, sizeof(rs.peer));
	rs.outbound = si->outbound != 0;
	rs.state = rsess_state(si->state);
	rs.created = si->created;
	rs.sent = si->sent;
	rs.received = si->received;
	rs.tags_left = si->tags_left;
	rs.ratchets_out = si->ratchets_out;
	rs.ratchets_in = si->ratchets_in;
	e->emit(e->arg, IMSG_CTL_RSESS, &rs, sizeof(rs));
	(*e->n)++;
}

void
dest_ctl_io_sessions(const char *name, const struct destio *io,
    dest_ctl_emit_fn emit, void *arg, size_t *n)
{
	struct emitter	 e = { emit, arg, name, n, 0, 0 };

	(void)destio_sessions(io, session_row, &e);
}

static void
dest_sessions(const struct dest *d, void *arg)
{
	struct emitter	*e = arg;

	if (d->io != NULL)
		dest_ctl_io_sessions(d->name, d->io, e->emit, e->arg, e->n);
}

void
dest_ctl_sessions(dest_ctl_emit_fn emit, void *arg)
{
	size_t		 n = 0;
	struct emitter	 e = { emit, arg, NULL, &n, 0, 0 };

	dests_walk(dest_sessions, &e);
}

static void
stream_row(const struct stream_info *si, void *arg)
{
	struct emitter		*e = arg;
	struct ctl_stream	 cs;

	/* a reply is bounded: the streams beyond the limit are left out */
	if (*e->n >= CTL_STREAMS_MAX)
		return;
	memset(&cs, 0, sizeof(cs));
	strlcpy(cs.dest, e->name, sizeof(cs.dest));
	peer_b32(si->peer, cs.peer, sizeof(cs.peer));
	cs.local_port = si->local_port;
	cs.remote_port = si->remote_port;
	cs.outbound = si->outbound != 0;
	cs.state = si->state;
	if (si->choked)
		cs.flags |= CTL_STREAM_CHOKED;
	if (si->choking)
		cs.flags |= CTL_STREAM_CHOKING;
	cs.send_id = si->send_id;
	cs.recv_id = si->recv_id;
	cs.rtt = si->rtt;
	cs.rto = si->rto;
	cs.window = si->window;
	cs.unacked = si->unacked;
	cs.bytes_in = si->bytes_in;
	cs.bytes_out = si->bytes_out;
	cs.resends = si->resends;
	/* the streams' clock is monotonic: their age carried to time(3) */
	cs.created = e->now - (e->now_ms - si->created) / 1000;
	e->emit(e->arg, IMSG_CTL_STREAM, &cs, sizeof(cs));
	(*e->n)++;
}

void
dest_ctl_host_streams(const char *name, const struct stream_host *h,
    int64_t now_ms, time_t now, dest_ctl_emit_fn emit, void *arg, size_t *n)
{
	struct emitter	 e = { emit, arg, name, n, now_ms, now };

	(void)stream_host_list(h, stream_row, &e);
}

static void
dest_streams(const struct dest *d, void *arg)
{
	struct emitter		*e = arg;
	const struct stream_host *h;

	if (d->keyid != 0 && (h = streams_find(d->keyid)) != NULL)
		dest_ctl_host_streams(d->name, h, e->now_ms, e->now, e->emit,
		    e->arg, e->n);
}

void
dest_ctl_streams(dest_ctl_emit_fn emit, void *arg)
{
	size_t		 n = 0;
	struct emitter	 e = { emit, arg, NULL, &n, streams_now(),
	    time(NULL) };

	dests_walk(dest_streams, &e);
}
