/*
 * The session table, whatever the transport.  Every session, in any
 * state, is on one list; the hash tree holds the one "primary" session
 * per router: a dial in progress or the established session routerd's
 * messages go to.  A transport (NTCP2 today) does its handshake and
 * data phase beneath this layer, through its transport_ops; this layer
 * decides which sessions may exist, which one carries a router's
 * messages, and what routerd hears of them.
 *
 * Dialing is routerd's decision: NET_DIAL starts a dial unless a
 * primary exists, and I2NP for a router without one is dropped.  While
 * a dial is in progress messages wait in its queue (drop-oldest,
 * NETD_PENDQ_*); when it fails over one transport and the router has
 * the other (NTCP2, SSU2), that one is dialed with the queue; when the
 * last fails routerd hears NET_SESSION_DOWN with NET_DOWN_DIAL_FAILED.
 *
 * A router may also dial us while we dial it, or open a second session
 * (i2pd keeps several per peer).  An inbound session that comes up
 * while our dial is in progress takes over its queue and the dial is
 * dropped; one that comes up beside an established session becomes a
 * secondary: it carries what the peer sends, and takes over if the
 * primary goes down.  So routerd sees one SESSION_UP and one
 * SESSION_DOWN per router, whatever happens underneath.
 *
 * Limits (netd.h), so that one host cannot take every slot or
 * descriptor: the table is sized from the descriptor limit, and inbound
 * connections leave a reserve of it to our dials; an inbound connection
 * is refused at accept while its address (IPv6: /64) has too many
 * handshakes in progress or established sessions, and a session that
 * completes its handshake is ended with a termination when its address
 * or its router already has as many established sessions as allowed.
 * What each limit refused is counted for "i2pctl show peers limits".
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <bsd/string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "encoding.h"
#include "log.h"
#include "netd.h"
#include "proc.h"

static TAILQ_HEAD(, session)	 sessions =
    TAILQ_HEAD_INITIALIZER(sessions);
static struct sess_tree		 by_hash = RB_INITIALIZER(&by_hash);
static int			 nsess;
static struct hs_budget		 hs;
static uint32_t			 next_id;
static struct srclimit		 srcs;		/* handshakes */
static struct srclimit		 est_srcs;	/* established, inbound */
static struct sess_limits	 lim;
static uint64_t			 nofile;
/* the counters of refusals; the rest is filled in when asked */
static struct ctl_sessions	 st;
static struct replay		 replays;

static void	session_timeout(int, short, void *);
static struct session *dial_target(const struct dial_target *);

/* libbsd's tree.h cannot mark static generated functions unused */
int
sess_cmp(struct session *a, struct session *b)
{
	return memcmp(a->hash, b->hash, sizeof(a->hash));
}
RB_GENERATE(sess_tree, session, hentry, sess_cmp)

int64_t
netd_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

int
netd_send(enum proc_id to, uint32_t type, uint32_t peerid,
    const void *data, size_t len)
{
	struct peer	*p;

	/* in an orderly stop routerd goes first: its link may be gone */
	if ((p = peer_get(to)) == NULL)
		return -1;
	return peer_compose(p, type, peerid, -1, data, len);
}

/*
 * The descriptor limit, the soft one raised to the hard one: the soft
 * limit is often 1024 (systemd's default), fewer than the sessions of a
 * busy router.  This needs no privilege, and must happen before the
 * sandbox, which allows no setrlimit.
 */
static uint64_t
session_nofile(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		fatal("getrlimit");
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
			log_warn("setrlimit RLIMIT_NOFILE");
			if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
				fatal("getrlimit");
		}
	}
	return rl.rlim_cur;
}

void
session_init(void)
{
	nofile = session_nofile();
	sess_limits_init(&lim, nofile);
	hs_budget_init(&hs, NETD_HS_IN_MAX, NETD_HS_OUT_MAX);
	if (replay_init(&replays, NETD_REPLAY_CAP, NETD_REPLAY_WINDOW) == -1 ||
	    srclimit_init(&srcs, NETD_HS_IN_MAX, NETD_HS_PER_SRC) == -1 ||
	    srclimit_init(&est_srcs, lim.max, NETD_EST_PER_SRC) == -1)
		fatal("session_init");
	log_info("%u session slots, %u of them for our dials only "
	    "(descriptor limit %llu)", lim.max, lim.reserve,
	    (unsigned long long)nofile);
}

struct replay *
session_replay(void)
{
	return &replays;
}

const char *
session_name(const struct session *s)
{
	static char	 buf[128];
	static const uint8_t zero[32];
	char		 b64[B64_ENCLEN(32)], host[INET6_ADDRSTRLEN];
	const struct sockaddr_in	*sin = (const void *)&s->ss;
	const struct sockaddr_in6	*sin6 = (const void *)&s->ss;

	/* Bob learns the hash from message 3 */
	strlcpy(b64, "?", sizeof(b64));
	if (memcmp(s->hash, zero, sizeof(zero)) != 0)
		b64_encode(b64, sizeof(b64), s->hash, sizeof(s->hash));
	if (s->ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		snprintf(buf, sizeof(buf), "%.8s [%s]:%u", b64, host,
		    ntohs(sin6->sin6_port));
	} else {
		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(buf, sizeof(buf), "%.8s %s:%u", b64, host,
		    ntohs(sin->sin_port));
	}
	return buf;
}

struct session *
session_by_hash(const uint8_t hash[32])
{
	struct session	 key;

	memcpy(key.hash, hash, sizeof(key.hash));
	return RB_FIND(sess_tree, &by_hash, &key);
}

/* linear, but only cryptod's answers (one per handshake) look */
struct session *
session_by_id(uint32_t id)
{
	struct session	*s;

	TAILQ_FOREACH(s, &sessions, entry)
		if (s->id == id)
			return s;
	return NULL;
}

void
session_timer(struct session *s, int secs)
{
	struct timeval	 tv = { secs, 0 };

	evtimer_add(&s->ev_timer, &tv);
}

static struct session *
session_new(const struct transport_ops *ops, const struct sockaddr_storage *ss,
    int inbound)
{
	struct session	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warn("session");
		return NULL;
	}
	do {
		s->id = ++next_id;
	} while (s->id == 0 || (s->id & NETD_REQID_PTEST) ||
	    session_by_id(s->id) != NULL);
	s->ops = ops;
	s->ss = *ss;
	s->inbound = inbound;
	s->last_io = netd_now();
	msgq_init(&s->sendq, NETD_PENDQ_MSGS, NETD_PENDQ_BYTES,
	    MSGQ_DROP_OLDEST);
	evtimer_set(&s->ev_timer, session_timeout, s);
	TAILQ_INSERT_TAIL(&sessions, s, entry);
	nsess++;
	return s;
}

/* the session no longer counts as a handshake in progress */
static void
session_uncount(struct session *s)
{
	uint8_t	 addr[16];

	if (s->in_hs)
		hs_budget_put(&hs, s->inbound);
	s->in_hs = 0;
	if (s->in_src && srclimit_addr(&s->ss, addr) == 0)
		srclimit_del(&srcs, addr);
	s->in_src = 0;
}

/* the session no longer counts as established from its address */
static void
session_unest(struct session *s)
{
	uint8_t	 addr[16];

	if (s->in_est && srclimit_addr(&s->ss, addr) == 0)
		srclimit_del(&est_srcs, addr);
	s->in_est = 0;
}

static void
session_free(struct session *s)
{
	evtimer_del(&s->ev_timer);
	s->ops->free(s);
	s->tp = NULL;
	session_uncount(s);
	session_unest(s);
	msgq_clear(&s->sendq);
	TAILQ_REMOVE(&sessions, s, entry);
	nsess--;
	free(s);
}

static void
session_register(struct session *s)
{
	RB_INSERT(sess_tree, &by_hash, s);
	s->primary = 1;
}

static void
session_unregister(struct session *s)
{
	if (s->primary)
		RB_REMOVE(sess_tree, &by_hash, s);
	s->primary = 0;
}

static void
session_report_up(struct session *s)
{
	struct net_session		 ns;
	const struct sockaddr_in	*sin = (const void *)&s->ss;
	const struct sockaddr_in6	*sin6 = (const void *)&s->ss;

	memset(&ns, 0, sizeof(ns));
	memcpy(ns.hash, s->hash, sizeof(ns.hash));
	ns.inbound = s->inbound;
	if (s->ss.ss_family == AF_INET6) {
		ns.family = 6;
		memcpy(ns.addr, &sin6->sin6_addr, 16);
		ns.port = ntohs(sin6->sin6_port);
	} else {
		ns.family = 4;
		memcpy(ns.addr, &sin->sin_addr, 4);
		ns.port = ntohs(sin->sin_port);
	}
	s->reported = 1;
	netd_send(PROC_ROUTERD, IMSG_NET_SESSION_UP, 0, &ns, sizeof(ns));
}

static void
session_report_down(const uint8_t hash[32], uint32_t down, uint32_t term)
{
	struct net_session_down	 d;

	memset(&d, 0, sizeof(d));
	memcpy(d.hash, hash, sizeof(d.hash));
	d.reason = down;
	d.termination = term;
	netd_send(PROC_ROUTERD, IMSG_NET_SESSION_DOWN, 0, &d, sizeof(d));
}

/* an established secondary of the same router, to take over */
static struct session *
session_secondary(const struct session *s)
{
	struct session	*o;

	TAILQ_FOREACH(o, &sessions, entry)
		if (o != s && !o->primary && o->state == SS_ESTABLISHED &&
		    memcmp(o->hash, s->hash, sizeof(s->hash)) == 0)
			return o;
	return NULL;
}

/* o replaces the primary s, which goes; routerd sees no change */
static void
session_promote(struct session *o, struct session *s)
{
	session_register(o);
	o->reported = 1;
	msgq_move(&o->sendq, &s->sendq, time(NULL));
	o->ops->kick(o);
	log_debug("session %s takes over", session_name(o));
}

static const char *
session_state_name(const struct session *s)
{
	static const char *const names[] = {
		"waiting for our RouterInfo", "handshake", "established",
		"probed", "closing"
	};

	if (s->state == SS_HANDSHAKE)
		return s->ops->step(s);
	if ((size_t)s->state >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[s->state];
}

/*
 * Our dial failed: the router's next way (the other transport, or the
 * other family of this one; riaddr_choose), if it has one, gets the
 * dial and the messages waiting for it; routerd hears nothing yet (it
 * hears of that dial's failure, if it fails).  1 if so.
 */
static int
session_fallback(struct session *s)
{
	struct dial_target	 t = s->target;
	struct session		*n;

	if (t.alt_ops == NULL)
		return 0;
	t.ops = t.alt_ops;
	t.ss = t.alt_ss;
	t.remote = t.alt_remote;
	t.ssu2 = t.alt_ssu2;
	t.ssu2_mtu = t.alt_ssu2_mtu;
	t.ssu2_tester = t.alt_ssu2_tester;
	t.alt_ops = NULL;
	log_debug("session %s: dial failed, trying %s", session_name(s),
	    t.ops->name);
	if ((n = dial_target(&t)) != NULL)
		msgq_move(&n->sendq, &s->sendq, time(NULL));
	return 1;
}

void
session_close(struct session *s, uint32_t down, uint32_t term)
{
	struct session	*o;
	int		 primary = s->primary;

	log_debug("session %s closed, %s (reason %u, termination %u, "
	    "%llu messages dropped)", session_name(s),
	    session_state_name(s), down, term,
	    (unsigned long long)s->sendq.dropped);
	session_unregister(s);
	/* the next dial to that router tries another transport first */
	if (!s->inbound && down == NET_DOWN_DIAL_FAILED && !s->reported) {
		riaddr_failed(s->hash, s->ops, s->ss.ss_family);
		if (primary && session_fallback(s)) {
			session_free(s);
			return;
		}
	}
	if (primary && s->reported && (o = session_secondary(s)) != NULL)
		session_promote(o, s);
	else if (primary)
		session_report_down(s->hash, s->reported ? down :
		    NET_DOWN_DIAL_FAILED, term);
	session_free(s);
}

static void
session_timeout(int fd, short event, void *arg)
{
	struct session	*s = arg;
	int64_t		 idle;

	switch (s->state) {
	case SS_ESTABLISHED:
		idle = netd_now() - s->last_io;
		if (idle >= NETD_IDLE_TIMEOUT)
			s->ops->terminate(s, SESS_END_IDLE, NET_DOWN_IDLE);
		else
			session_timer(s, NETD_IDLE_TIMEOUT - idle);
		break;
	case SS_PROBE:
	case SS_CLOSING:
		session_close(s, s->close_down, s->close_term);
		break;
	default:
		log_debug("session %s: handshake timeout", session_name(s));
		session_close(s, NET_DOWN_DIAL_FAILED, 0);
		break;
	}
}

/*
 * Alice: the transport dials, a handshake counted.  -1: the dial
 * failed at once and s is freed (a connect to an unroutable address
 * fails inside the call); callers must not touch s then.
 */
static int
session_start_dial(struct session *s)
{
	if (hs_budget_take(&hs, 0) == -1) {
		log_debug("session %s: too many handshakes", session_name(s));
		st.dials_refused++;
		session_close(s, NET_DOWN_DIAL_FAILED, 0);
		return -1;
	}
	s->in_hs = 1;
	s->state = SS_HANDSHAKE;
	return s->ops->dial(s);
}

/*
 * Where routers we had sessions with can be dialed, for a while: when
 * a session closes as routerd sends to it (an idle close, a peer's),
 * the message in flight starts a dial instead of being lost.  Transit
 * tunnels carry a test message at a time; losing one fails a tunnel.
 */
#define RECENT_MAX	256
#define RECENT_TTL	600	/* s */
#define RECENT_RETRY	5	/* s between dials for messages */

static struct {
	struct dial_target	 t;
	int64_t			 when;
	int64_t			 tried;	/* last redial */
} recent[RECENT_MAX];
static size_t	recent_next;

void
session_remember(const struct dial_target *t)
{
	size_t	i;

	for (i = 0; i < RECENT_MAX; i++)
		if (memcmp(recent[i].t.hash, t->hash, 32) == 0)
			break;
	if (i == RECENT_MAX) {
		i = recent_next;
		recent_next = (recent_next + 1) % RECENT_MAX;
	}
	recent[i].t = *t;
	recent[i].when = netd_now();
}

/* a session (dialing) to t; NULL if none could start (reported) */
static struct session *
dial_target(const struct dial_target *t)
{
	const uint8_t	*ours = riaddr_local_hash();
	struct session	*s;

	if ((ours != NULL && memcmp(ours, t->hash, 32) == 0) ||
	    (s = session_by_hash(t->hash)) != NULL)
		return NULL;	/* ourselves, or up or dialing already */
	if (!sess_limits_room(&lim, nsess, 0)) {
		log_debug("no session slot left for a dial");
		st.dials_refused++;
		session_report_down(t->hash, NET_DOWN_DIAL_FAILED, 0);
		return NULL;
	}
	if ((s = session_new(t->ops, &t->ss, 0)) == NULL) {
		session_report_down(t->hash, NET_DOWN_DIAL_FAILED, 0);
		return NULL;
	}
	memcpy(s->hash, t->hash, sizeof(s->hash));
	s->target = *t;
	session_register(s);
	session_timer(s, NETD_HS_TIMEOUT);
	session_remember(t);
	if (ours == NULL)
		s->state = SS_WAIT_LOCAL;
	else if (session_start_dial(s) == -1)
		return NULL;	/* freed, the failure reported */
	return s;
}

void
session_dial(const uint8_t *ri, size_t len)
{
	struct dial_target	t;

	if (riaddr_dial(ri, len, &t) == -1) {
		if (memcmp(t.hash, (uint8_t[32]){ 0 }, 32) != 0)
			session_report_down(t.hash, NET_DOWN_DIAL_FAILED, 0);
		return;
	}
	dial_target(&t);
}

/* a dial to a router we knew lately, for messages that found none */
struct session *
session_redial(const uint8_t hash[32])
{
	size_t	i;

	for (i = 0; i < RECENT_MAX; i++)
		if (memcmp(recent[i].t.hash, hash, 32) == 0 &&
		    netd_now() - recent[i].when < RECENT_TTL &&
		    netd_now() - recent[i].tried >= RECENT_RETRY) {
			recent[i].tried = netd_now();
			/* a failed dial may have fallen back to a new one */
			(void)dial_target(&recent[i].t);
			return session_by_hash(hash);
		}
	return NULL;
}

void
session_local_ready(void)
{
	struct session	*s, *next;

	for (s = TAILQ_FIRST(&sessions); s != NULL; s = next) {
		next = TAILQ_NEXT(s, entry);
		if (s->state == SS_WAIT_LOCAL)
			(void)session_start_dial(s);	/* -1: s is freed */
	}
}

/*
 * The limits an inbound connection meets before any handshake work;
 * 1 if it may go on, counted as a handshake then.  Refusals
 * are counted, and logged at debug level only: they come as fast as
 * anyone can connect.
 */
static int
session_accept_ok(const uint8_t addr[16])
{
	const char	*why;

	if (!sess_limits_room(&lim, nsess, 1)) {
		st.refused_slots++;
		why = "no slot left but for our dials";
	} else if (srclimit_count(&est_srcs, addr) >= NETD_EST_PER_SRC) {
		/* refused now, before a handshake it could not keep */
		st.refused_src++;
		why = "too many sessions from that address";
	} else if (srclimit_add(&srcs, addr) == -1) {
		st.refused_hs_src++;
		why = "too many handshakes from that address";
	} else if (hs_budget_take(&hs, 1) == -1) {
		srclimit_del(&srcs, addr);
		st.refused_hs++;
		why = "too many handshakes";
	} else
		return 1;
	log_debug("inbound connection refused: %s", why);
	return 0;
}

struct session *
session_inbound(const struct transport_ops *ops,
    const struct sockaddr_storage *ss)
{
	struct session	*s;
	uint8_t		 addr[16];

	if (srclimit_addr(ss, addr) == -1 || !session_accept_ok(addr))
		return NULL;
	if ((s = session_new(ops, ss, 1)) == NULL) {
		srclimit_del(&srcs, addr);
		hs_budget_put(&hs, 1);
		return NULL;
	}
	s->in_src = s->in_hs = 1;
	s->state = SS_HANDSHAKE;
	session_timer(s, NETD_HS_TIMEOUT);
	return s;
}

/* Bob: a router we dial or hold a session with has dialled us */
static void
session_inbound_up(struct session *s)
{
	struct session	*o;

	if ((o = session_by_hash(s->hash)) == NULL) {
		session_register(s);
	} else if (o->state != SS_ESTABLISHED) {
		/* our dial is superfluous: take its queue, drop it quietly */
		session_unregister(o);
		msgq_move(&s->sendq, &o->sendq, time(NULL));
		session_close(o, 0, 0);
		session_register(s);
	} else
		log_debug("session %s: second session with that router",
		    session_name(s));
}

/* established sessions with that router, but s */
static uint32_t
session_hash_count(const struct session *s)
{
	struct session	*o;
	uint32_t	 n = 0;

	TAILQ_FOREACH(o, &sessions, entry)
		if (o != s && o->state == SS_ESTABLISHED &&
		    memcmp(o->hash, s->hash, sizeof(s->hash)) == 0)
			n++;
	return n;
}

/*
 * Bob, the handshake done: the limits on established sessions, per
 * router now that it is known, and per address again (handshakes from
 * one address may all finish at once).  -1: refused, counted.
 */
static int
session_admit(struct session *s)
{
	uint8_t	 addr[16];

	if (session_hash_count(s) >= NETD_SESS_PER_HASH) {
		st.refused_hash++;
		log_debug("session %s refused: too many sessions with that "
		    "router", session_name(s));
		return -1;
	}
	if (srclimit_addr(&s->ss, addr) == -1 ||
	    srclimit_add(&est_srcs, addr) == -1) {
		st.refused_src++;
		log_debug("session %s refused: too many sessions from that "
		    "address", session_name(s));
		return -1;
	}
	s->in_est = 1;
	return 0;
}

int
session_established(struct session *s)
{
	session_uncount(s);
	s->state = SS_ESTABLISHED;
	s->established = time(NULL);
	s->last_io = netd_now();
	s->sendq.max_n = NETD_SENDQ_MSGS;
	s->sendq.max_bytes = NETD_SENDQ_BYTES;
	s->sendq.policy = MSGQ_DROP_NEWEST;
	if (s->inbound && session_admit(s) == -1)
		return s->ops->terminate(s, SESS_END_NORMAL, NET_DOWN_CLOSED);
	if (s->inbound)
		session_inbound_up(s);
	log_info("session %s %s", s->inbound ? "from" : "to",
	    session_name(s));
	if (s->primary)
		session_report_up(s);
	session_timer(s, NETD_IDLE_TIMEOUT);
	s->ops->up(s);
	return 0;
}

void
session_dh_result(uint32_t id, const struct key_dh_result *res)
{
	struct session	*s;

	if ((s = session_by_id(id)) == NULL) {
		log_debug("DH result for a session gone meanwhile");
		return;
	}
	s->ops->dh_result(s, res->shared);
}

void
session_dh_error(uint32_t id, const struct key_error *e)
{
	struct session	*s;

	if ((s = session_by_id(id)) == NULL)
		return;
	log_debug("session %s: cryptod: %.*s", session_name(s),
	    (int)sizeof(e->msg), e->msg);
	s->ops->dh_error(s);
}

static void
session_ctl_peer(const struct session *s, struct ctl_peer *cp)
{
	const struct sockaddr_in	*sin = (const void *)&s->ss;
	const struct sockaddr_in6	*sin6 = (const void *)&s->ss;
	char				 host[INET6_ADDRSTRLEN];

	memset(cp, 0, sizeof(*cp));
	b64_encode(cp->hash, sizeof(cp->hash), s->hash, sizeof(s->hash));
	if (s->ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		snprintf(cp->addr, sizeof(cp->addr), "[%s]:%u", host,
		    ntohs(sin6->sin6_port));
	} else {
		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(cp->addr, sizeof(cp->addr), "%s:%u", host,
		    ntohs(sin->sin_port));
	}
	strlcpy(cp->transport, s->ops->name, sizeof(cp->transport));
	cp->inbound = s->inbound;
	cp->established = s->established;
	cp->bytes_in = s->bytes_in;
	cp->bytes_out = s->bytes_out;
	cp->msgs_in = s->msgs_in;
	cp->msgs_out = s->msgs_out;
	if (s->ops->info != NULL)
		s->ops->info(s, cp);
}

static void
session_ctl_sessions(uint32_t peerid)
{
	struct ctl_sessions	 cs = st;

	cs.sessions = nsess;
	cs.max = lim.max;
	cs.reserve = lim.reserve;
	cs.hs_in = hs.n[1];
	cs.hs_out = hs.n[0];
	cs.nofile = nofile;
	ssu2_ctl_sessions(&cs);
	netd_send(PROC_ROUTERD, IMSG_CTL_SESSIONS, peerid, &cs, sizeof(cs));
}

void
session_ctl_peers(uint32_t peerid)
{
	struct session	*s;
	struct ctl_peer	 cp;

	TAILQ_FOREACH(s, &sessions, entry) {
		if (s->state != SS_ESTABLISHED)
			continue;
		session_ctl_peer(s, &cp);
		netd_send(PROC_ROUTERD, IMSG_CTL_PEER, peerid, &cp,
		    sizeof(cp));
	}
	ssu2_ctl_transports(peerid);
	session_ctl_sessions(peerid);
	netd_send(PROC_ROUTERD, IMSG_CTL_END, peerid, NULL, 0);
}

/* outside the event loop: no reports, one last write each */
void
session_shutdown(void)
{
	struct session	*s;

	while ((s = TAILQ_FIRST(&sessions)) != NULL) {
		if (s->state == SS_ESTABLISHED)
			s->ops->goodbye(s);
		session_unregister(s);
		session_free(s);
	}
	replay_free(&replays);
	srclimit_free(&srcs);
	srclimit_free(&est_srcs);
}
