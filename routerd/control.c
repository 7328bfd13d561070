/*
 * The control socket.  The parent creates and binds it (mode 0660) and
 * hands routerd the listening fd; routerd accepts i2pctl clients, answers
 * "show" requests itself and relays reload and log requests to the
 * parent, whose result comes back tagged with the client's number.
 * Replies stream as messages ended by IMSG_CTL_END (or one CTL_RESULT).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <bsd/string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i2pdata.h"
#include "log.h"
#include "routerd.h"
#include "profile.h"

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn)	 entry;
	struct peer		 peer;
};

static TAILQ_HEAD(, ctl_conn)	 ctl_conns = TAILQ_HEAD_INITIALIZER(ctl_conns);
static struct event		 ev_accept;
static struct event		 ev_accept_pause;
static int			 ctl_fd = -1;
static int			 ctl_nconns;
static uint32_t			 ctl_next_id = 1;

static void	control_accept(int, short, void *);
static void	control_dispatch(struct peer *, struct imsg *);

void
control_listen(int fd)
{
	if (ctl_fd != -1)
		fatalx("control socket handed over twice");
	ctl_fd = fd;
	event_set(&ev_accept, ctl_fd, EV_READ | EV_PERSIST, control_accept,
	    NULL);
	event_add(&ev_accept, NULL);
	evtimer_set(&ev_accept_pause, control_accept, NULL);
}

static void
control_close(struct peer *p)
{
	struct ctl_conn	*c = p->arg;

	TAILQ_REMOVE(&ctl_conns, c, entry);
	peer_close(&c->peer);
	free(c);
	/* a slot is free again: resume accepting if we had stopped */
	if (ctl_nconns-- == CONTROL_MAX_CLIENTS && ctl_fd != -1 &&
	    !evtimer_pending(&ev_accept_pause, NULL))
		event_add(&ev_accept, NULL);
}

void
control_shutdown(void)
{
	struct ctl_conn	*c;

	while ((c = TAILQ_FIRST(&ctl_conns)) != NULL)
		control_close(&c->peer);
	if (ctl_fd != -1) {
		event_del(&ev_accept);
		evtimer_del(&ev_accept_pause);
		close(ctl_fd);
		ctl_fd = -1;
	}
}

static void
control_accept(int fd, short event, void *arg)
{
	struct timeval	 pause = { 1, 0 };
	struct ctl_conn	*c;
	int		 s;

	if (event & EV_TIMEOUT) {
		event_add(&ev_accept, NULL);
		return;
	}
	if ((s = accept4(ctl_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC))
	    == -1) {
		if (errno == ENFILE || errno == EMFILE) {
			/* out of fds: stop accepting for a second */
			event_del(&ev_accept);
			evtimer_add(&ev_accept_pause, &pause);
		} else if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("control: accept");
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("control: accept");
		close(s);
		return;
	}
	peer_init(&c->peer, s, PROC_ROUTERD, PROC_CONTROL, control_dispatch,
	    control_close, c);
	c->peer.connid = ctl_next_id++;
	TAILQ_INSERT_TAIL(&ctl_conns, c, entry);
	if (++ctl_nconns == CONTROL_MAX_CLIENTS) {
		log_warnx("control: %d clients, not accepting more",
		    ctl_nconns);
		event_del(&ev_accept);
	}
}

static struct ctl_conn *
control_find(uint32_t connid)
{
	struct ctl_conn	*c;

	TAILQ_FOREACH(c, &ctl_conns, entry)
		if (c->peer.connid == connid)
			return c;
	return NULL;
}

static void
control_show_summary(struct peer *p)
{
	struct ctl_summary	summary;
	struct ctl_proc		procs[PROC_MAX];
	int			i, n;

	routerd_summary(&summary);
	peer_compose(p, IMSG_CTL_SUMMARY, 0, -1, &summary, sizeof(summary));
	n = routerd_procs(procs, PROC_MAX);
	for (i = 0; i < n; i++)
		peer_compose(p, IMSG_CTL_PROC, 0, -1, &procs[i],
		    sizeof(procs[i]));
	peer_compose(p, IMSG_CTL_END, 0, -1, NULL, 0);
}

/* our RouterInfo's bytes (none until it is published), then END */
static void
control_show_router(struct peer *p)
{
	const struct router_info	*ri;

	if ((ri = publish_current()) != NULL)
		peer_compose(p, IMSG_CTL_ROUTER_INFO, 0, -1, ri->raw,
		    ri->rawlen);
	peer_compose(p, IMSG_CTL_END, 0, -1, NULL, 0);
}

/* netd knows the sessions: it answers with CTL_PEERs and an END */
static void
control_show_peers(struct peer *p)
{
	struct peer	*netd = peer_get(PROC_NETD);

	if (netd == NULL || peer_compose(netd, IMSG_CTL_SHOW_PEERS,
	    p->connid, -1, NULL, 0) == -1)
		peer_compose(p, IMSG_CTL_END, 0, -1, NULL, 0);
}

/*
 * tunneld runs the SAM bridge, the local destinations and the address
 * book: it answers show sam, destinations, sessions, streams and
 * addressbook with its rows and an END, addressbook add and del with a
 * RESULT; a request's payload goes with it
 */
static void
control_to_tunneld(struct peer *p, struct imsg *imsg)
{
	struct peer	*tunneld = peer_get(PROC_TUNNELD);

	if (tunneld == NULL || peer_compose(tunneld, imsg_get_type(imsg),
	    p->connid, -1, imsg->data, imsg->datalen) == -1)
		peer_compose(p, IMSG_CTL_END, 0, -1, NULL, 0);
}

/* a view that is one message, then END */
static void
control_reply(struct peer *p, uint32_t type, const void *data, size_t len)
{
	peer_compose(p, type, 0, -1, data, len);
	peer_compose(p, IMSG_CTL_END, 0, -1, NULL, 0);
}

static void
control_show_netdb(struct peer *p)
{
	struct ctl_netdb	nd;

	netdb_ctl(&nd);
	control_reply(p, IMSG_CTL_NETDB, &nd, sizeof(nd));
}

static void
control_show_transit(struct peer *p)
{
	struct transit_stats	ts;

	transit_stats(&ts);
	control_reply(p, IMSG_CTL_TRANSIT, &ts, sizeof(ts));
}

static void
tunnel_row(const struct ctl_tunnel *t, void *arg)
{
	peer_compose(arg, IMSG_CTL_TUNNEL, 0, -1, t, sizeof(*t));
}

static void
client_row(const struct ctl_pool *c, void *arg)
{
	peer_compose(arg, IMSG_CTL_POOL, 0, -1, c, sizeof(*c));
}

/*
 * A row per tunnel of ours, one per client's pools, then the
 * exploratory pools' figures, which end it.
 */
static void
control_show_tunnels(struct peer *p)
{
	struct ctl_tunnels	sum;

	tunnels_ctl(tunnel_row, client_row, &sum, p);
	peer_compose(p, IMSG_CTL_TUNNELS, 0, -1, &sum, sizeof(sum));
}

static void
profile_row(const struct profile_rec *r, enum profile_tier tier, void *arg)
{
	struct ctl_profile	c;

	memset(&c, 0, sizeof(c));
	memcpy(c.hash, r->hash, 32);
	c.tier = tier;
	c.agreed = r->agreed;
	c.refused = r->refused;
	c.no_reply = r->no_reply;
	c.tests_ok = r->tests_ok;
	c.tests_failed = r->tests_failed;
	c.lat_ms = r->lat_ms;
	c.capacity = profile_capacity(r);
	c.last_seen = r->last_seen;
	c.last_fail = r->last_fail;
	peer_compose(arg, IMSG_CTL_PROFILE, 0, -1, &c, sizeof(c));
}

/* a row per peer profiled, then the thresholds, which end it */
static void
control_show_profiles(struct peer *p)
{
	struct ctl_profiles	sum;
	size_t			counts[CTL_TIERS];
	int			i;

	memset(&sum, 0, sizeof(sum));
	profile_foreach(profile_row, p);
	profile_thresholds(&sum.cap_threshold, &sum.lat_threshold, counts);
	for (i = 0; i < CTL_TIERS; i++)
		sum.tiers[i] = counts[i];
	peer_compose(p, IMSG_CTL_PROFILES, 0, -1, &sum, sizeof(sum));
}

/* its store type, then the LeaseSet's bytes */
static void
control_leaseset(struct peer *p, uint8_t type, const uint8_t *ls, size_t len)
{
	uint8_t	 buf[CTL_LEASESET_MAX];

	if (len > sizeof(buf) - 1)
		return;
	buf[0] = type;
	memcpy(&buf[1], ls, len);
	peer_compose(p, IMSG_CTL_LEASESET, 0, -1, buf, 1 + len);
}

/* one RouterInfo or LeaseSet as held (ours too), or none; then END */
static void
control_show_entry(struct peer *p, struct imsg *imsg)
{
	const struct router_info	*self = publish_current();
	const struct ri_entry		*e;
	struct ctl_entry_req		 req;
	const uint8_t			*ls;
	size_t				 len;
	uint8_t				 type;

	if (imsg_get_data(imsg, &req, sizeof(req)) == -1 ||
	    (req.kind != CTL_ENTRY_ROUTER && req.kind != CTL_ENTRY_LEASESET)) {
		p->closing = 1;
		return;
	}
	if (req.kind == CTL_ENTRY_LEASESET) {
		if ((ls = lsdb_get(req.hash, time(NULL), &len, &type)) != NULL)
			control_leaseset(p, type, ls, len);
	} else if (self != NULL && memcmp(self->ident.hash, req.hash, 32) == 0)
		peer_compose(p, IMSG_CTL_ROUTER_INFO, 0, -1, self->raw,
		    self->rawlen);
	else if ((e = netdb_get(req.hash)) != NULL)
		peer_compose(p, IMSG_CTL_ROUTER_INFO, 0, -1, e->raw,
		    e->rawlen);
	peer_compose(p, IMSG_CTL_END, 0, -1, NULL, 0);
}

/* the client opened the file with its own rights and passed it */
static void
control_reseed_import(struct peer *p, struct imsg *imsg)
{
	struct ctl_result	r;
	int			fd = imsg_get_fd(imsg);

	memset(&r, 0, sizeof(r));
	r.code = reseed_import(fd, r.msg, sizeof(r.msg)) == 0 ? 0 : 1;
	close(fd);
	peer_compose(p, IMSG_CTL_RESULT, 0, -1, &r, sizeof(r));
}

void
control_result(uint32_t connid, int code, const char *msg)
{
	struct ctl_conn		*c;
	struct ctl_result	 r;

	if ((c = control_find(connid)) == NULL)
		return;
	memset(&r, 0, sizeof(r));
	r.code = code;
	strlcpy(r.msg, msg, sizeof(r.msg));
	peer_compose(&c->peer, IMSG_CTL_RESULT, 0, -1, &r, sizeof(r));
}

void
control_pem(uint32_t connid, const uint8_t *pem, size_t len)
{
	struct ctl_conn	*c;

	if ((c = control_find(connid)) == NULL)
		return;
	peer_compose(&c->peer, IMSG_CTL_RESEED_PEM, 0, -1, pem, len);
	peer_compose(&c->peer, IMSG_CTL_END, 0, -1, NULL, 0);
}

/* forward to the parent; its CTL_RESULT comes back with our connid */
static void
control_to_parent(struct peer *p, struct imsg *imsg)
{
	struct peer	*parent = peer_get(PROC_PARENT);

	if (parent == NULL || peer_compose(parent, imsg_get_type(imsg),
	    p->connid, -1, imsg->data, imsg->datalen) == -1) {
		struct ctl_result	r;

		memset(&r, 0, sizeof(r));
		r.code = 1;
		strlcpy(r.msg, "cannot reach the parent process",
		    sizeof(r.msg));
		peer_compose(p, IMSG_CTL_RESULT, 0, -1, &r, sizeof(r));
	}
}

static void
control_dispatch(struct peer *p, struct imsg *imsg)
{
	switch (imsg_get_type(imsg)) {
	case IMSG_CTL_SHOW_SUMMARY:
		control_show_summary(p);
		break;
	case IMSG_CTL_SHOW_ROUTER:
		control_show_router(p);
		break;
	case IMSG_CTL_SHOW_PEERS:
		control_show_peers(p);
		break;
	case IMSG_CTL_SHOW_NETDB:
		control_show_netdb(p);
		break;
	case IMSG_CTL_SHOW_TRANSIT:
		control_show_transit(p);
		break;
	case IMSG_CTL_SHOW_TUNNELS:
		control_show_tunnels(p);
		break;
	case IMSG_CTL_SHOW_PROFILES:
		control_show_profiles(p);
		break;
	case IMSG_CTL_SHOW_SAM:
	case IMSG_CTL_SHOW_DESTS:
	case IMSG_CTL_SHOW_RSESS:
	case IMSG_CTL_SHOW_STREAMS:
	case IMSG_CTL_SHOW_PROXIES:
	case IMSG_CTL_AB_ADD:
	case IMSG_CTL_AB_DEL:
	case IMSG_CTL_AB_LOOKUP:
	case IMSG_CTL_SHOW_AB:
	case IMSG_CTL_AB_FETCH:
		control_to_tunneld(p, imsg);
		break;
	case IMSG_CTL_SHOW_ENTRY:
		control_show_entry(p, imsg);
		break;
	case IMSG_CTL_RESEED_IMPORT:
		control_reseed_import(p, imsg);
		break;
	case IMSG_CTL_RESEED_EXPORT:
		export_start(p->connid, imsg_get_fd(imsg));
		break;
	case IMSG_CTL_SHOW_RESEED_CERT:
		export_cert(p->connid);
		break;
	case IMSG_CTL_RESEED_FETCH:
		reseed_fetch(p->connid);
		break;
	case IMSG_CTL_RELOAD:
	case IMSG_CTL_LOG_VERBOSE:
		control_to_parent(p, imsg);
		break;
	default:
		/* proc_check_imsg let only client requests through */
		log_warnx("control: unexpected %s",
		    imsg_type_name(imsg_get_type(imsg)));
		p->closing = 1;
	}
}

void
control_relay(struct imsg *imsg)
{
	struct ctl_conn	*c;

	/* the client may have gone away meanwhile */
	if ((c = control_find(imsg_get_peerid(imsg))) == NULL)
		return;
	peer_compose(&c->peer, imsg_get_type(imsg), 0, -1, imsg->data,
	    imsg->datalen);
}
