/*
 * show destinations and show sessions: each local destination (its
 * LeaseSet, tunnels and traffic) and each of its ratchet sessions as
 * ctl_dest and ctl_rsess structs, handed to an emitter (tunneld.c sends
 * them to routerd; the tests record them).  No IPC here.
 */
#include <bsd/string.h>
#include <string.h>

#include "destio.h"
#include "encoding.h"
#include "i2prd.h"
#include "lscache.h"
#include "ratchet.h"
#include "tunneld.h"

/* every session destio keeps fits one reply; the bound stays anyway */
_Static_assert(CTL_RSESS_MAX >= DESTIO_SESSIONS_MAX,
    "show sessions would leave sessions out");

struct emitter {
	dest_ctl_emit_fn	 emit;
	void			*arg;
	const char		*name;	/* show sessions: whose */
	size_t			*n;	/* show sessions: rows so far */
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
}

static void
dest_row(const struct dest *d, void *arg)
{
	struct emitter	*e = arg;
	struct ctl_dest	 cd;

	memset(&cd, 0, sizeof(cd));
	strlcpy(cd.name, d->name, sizeof(cd.name));
	cd.session = d->session != 0;
	cd.tunnels_in = d->nin;
	cd.tunnels_out = d->nout;
	/* the rest exists once the key is known */
	if (d->keyid != 0) {
		(void)ident_b32(&d->ident, cd.b32, sizeof(cd.b32));
		ctl_leaseset(&d->ls, &cd);
		cd.remote_ls = lscache_count(d->keyid);
	}
	if (d->io != NULL)
		ctl_traffic(d->io, &cd);
	e->emit(e->arg, IMSG_CTL_DEST, &cd, sizeof(cd));
}

void
dest_ctl_dests(dest_ctl_emit_fn emit, void *arg)
{
	struct emitter	 e = { emit, arg, NULL, NULL };

	dests_walk(dest_row, &e);
}

static int
hash_known(const uint8_t h[32])
{
	static const uint8_t	zero[32];

	return memcmp(h, zero, sizeof(zero)) != 0;
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
	/* 52 characters and the suffix fit in peer */
	if (hash_known(si->peer)) {
		(void)b32_encode(rs.peer, sizeof(rs.peer), si->peer, 32);
		(void)strlcat(rs.peer, ".b32.i2p", sizeof(rs.peer));
	}
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
	struct emitter	 e = { emit, arg, name, n };

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
	struct emitter	 e = { emit, arg, NULL, &n };

	dests_walk(dest_sessions, &e);
}
