/*
 * The tunnels (proxy.h): each tunnel line of the configuration, its
 * listening socket (client kinds), its target (client) and the
 * incoming streams it takes (server).  Connections are proxy_conn.c's.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "addrbook.h"
#include "encoding.h"
#include "log.h"
#include "proxy_int.h"
#include "streams.h"
#include "tunneld.h"

#define PROXY_BACKLOG	64

TAILQ_HEAD(proxies, proxy);
static struct proxies	 proxies = TAILQ_HEAD_INITIALIZER(proxies);

void
proxy_init(void (*schedule)(void))
{
	pconn_init(schedule);
}

/* the address of a tunnel line: listened on, or connected to */
void
proxy_addr(const struct proxy_conf *pc, struct sockaddr_storage *ss)
{
	struct listen_msg	 lm;

	memset(&lm, 0, sizeof(lm));
	lm.family = pc->family;
	memcpy(lm.addr, pc->addr, sizeof(lm.addr));
	lm.port = pc->port;
	if (listen_from_msg(ss, &lm) == -1)
		fatalx("tunnel: bad address in the configuration");
}

uint32_t
proxy_keyid(const struct proxy *p)
{
	const struct dest	*d = dests_find(p->conf.dest);

	if (d == NULL || d->session || d->keyid == 0 ||
	    !dests_ready(d->keyid))
		return 0;
	return d->keyid;
}

/* the destination's stream host, made with the defaults on first use */
struct stream_host *
proxy_host(const struct proxy *p)
{
	struct stream_opts	 opts;
	uint32_t		 keyid;

	if ((keyid = proxy_keyid(p)) == 0)
		return NULL;
	stream_opts_default(&opts);
	return streams_host(keyid, &opts);
}

/*
 * A target sorted: a .b32.i2p address (its hash), a base64 Destination
 * (with or without ".i2p" after it), or another .i2p name (the address
 * book's); -1 if it is none of them
 */
int
proxy_target(const char *t, enum ptarget_kind *kind, struct i2p_ident *id,
    uint8_t hash[32])
{
	char	 b64[PROXY_TARGET_MAX + 1];
	size_t	 n = strlen(t);

	if (b32_name_hash(t, hash) == 0) {
		*kind = PT_HASH;
		return 0;
	}
	if (n >= sizeof(b64))
		return -1;
	memcpy(b64, t, n + 1);
	if (n > 4 && strcasecmp(b64 + n - 4, ".i2p") == 0)
		b64[n - 4] = '\0';
	if (ident_from_b64(id, b64, IDENT_DEST, NULL) == 0) {
		memcpy(hash, id->hash, 32);
		*kind = PT_DEST;
		return 0;
	}
	if (n > 4 && strcasecmp(t + n - 4, ".i2p") == 0) {
		*kind = PT_NAME;
		return 0;
	}
	return -1;
}

int
proxy_resolve(const char *name, struct i2p_ident *id)
{
	uint8_t	 buf[I2P_IDENT_MAXLEN];
	size_t	 n;

	if (addrbook_resolve(name, buf, sizeof(buf), &n) == -1)
		return -1;
	return ident_parse_bytes(id, buf, n, IDENT_DEST, NULL);
}

static void
accept_resume(int fd, short what, void *arg)
{
	struct proxy	*p = arg;

	event_add(&p->ev, NULL);
}

/*
 * Out of descriptors: the pending connection stays in the backlog and
 * its socket readable, so listening pauses a second rather than spin
 * (and log) through the loop until a descriptor is free
 */
static void
accept_pause(struct proxy *p)
{
	struct timeval	 tv = { PROXY_ACCEPT_PAUSE, 0 };

	event_del(&p->ev);
	evtimer_set(&p->pause, accept_resume, p);
	evtimer_add(&p->pause, &tv);
}

static void
accept_cb(int fd, short what, void *arg)
{
	struct proxy		*p = arg;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	struct proxy_conn	*c;
	int			 s;

	if ((s = accept4(fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) == -1) {
		if (errno == EMFILE || errno == ENFILE) {
			log_warn("tunnel %s: accept, pausing", p->conf.dest);
			accept_pause(p);
		} else if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("tunnel %s: accept", p->conf.dest);
		return;
	}
	if (p->nconns >= PROXY_CONNS_MAX || pconn_total() >=
	    PROXY_CONNS_TOTAL || pconn_count_addr(&ss) >=
	    PROXY_CONNS_PER_ADDR) {
		p->st.refused++;
		close(s);
		return;
	}
	if ((c = pconn_new(p, s)) == NULL) {
		p->st.refused++;
		close(s);
		return;
	}
	c->from = ss;
	p->st.accepted++;
	pconn_client_start(c);
}

static int
listen_socket(const struct proxy_conf *pc)
{
	struct sockaddr_storage	 ss;
	int			 fd, on = 1;

	proxy_addr(pc, &ss);
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&ss, sockaddr_len(&ss)) == -1 ||
	    listen(fd, PROXY_BACKLOG) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
udp_start(struct proxy *p)
{
	const struct proxy_conf	*pc = &p->conf;

	if (pc->kind == PROXY_UDP_CLIENT && proxy_target(pc->target,
	    &p->tkind, &p->tdest, p->thash) == -1) {
		log_warnx("tunnel %s: target %.64s is not usable", pc->dest,
		    pc->target);
		return;
	}
	/* a name is looked up once, at start (a reload looks again) */
	if (pc->kind == PROXY_UDP_CLIENT && p->tkind == PT_NAME) {
		if (proxy_resolve(pc->target, &p->tdest) == -1) {
			log_warnx("tunnel %s: udp client: no book has %.64s",
			    pc->dest, pc->target);
			return;
		}
		p->tkind = PT_DEST;
		memcpy(p->thash, p->tdest.hash, sizeof(p->thash));
	}
	if (pudp_start(p) == -1)
		log_warn("tunnel %s: cannot bind udp port %u", pc->dest,
		    pc->port);
	else
		log_info("tunnel %s: %s on port %u%s%.64s", pc->dest,
		    proxy_kind_name(pc->kind), pc->port,
		    pc->target[0] != '\0' ? " to " : "", pc->target);
}

static void
proxy_start(const struct proxy_conf *pc)
{
	struct proxy	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal(NULL);
	p->conf = *pc;
	p->fd = -1;
	TAILQ_INIT(&p->conns);
	TAILQ_INIT(&p->usess);
	p->auth.user = pc->user;
	p->auth.pass = pc->password;
	if (proxy_kind_udp(pc->kind))
		udp_start(p);
	else if (!proxy_kind_listens(pc->kind))
		log_info("tunnel %s: %s for i2p port %u to port %u",
		    pc->dest, proxy_kind_name(pc->kind), pc->i2p_port,
		    pc->port);
	else if (pc->target[0] != '\0' && proxy_target(pc->target,
	    &p->tkind, &p->tdest, p->thash) == -1)
		log_warnx("tunnel %s: target %.64s is not usable", pc->dest,
		    pc->target);
	else if ((p->fd = listen_socket(pc)) == -1)
		log_warn("tunnel %s: cannot listen on port %u", pc->dest,
		    pc->port);
	else {
		event_set(&p->ev, p->fd, EV_READ | EV_PERSIST, accept_cb, p);
		event_add(&p->ev, NULL);
		log_info("tunnel %s: %s on port %u%s%.64s", pc->dest,
		    proxy_kind_name(pc->kind), pc->port,
		    pc->target[0] != '\0' ? " to " : "", pc->target);
	}
	TAILQ_INSERT_TAIL(&proxies, p, entry);
}

static void
proxy_stop(struct proxy *p)
{
	struct proxy_conn	*c;

	while ((c = TAILQ_FIRST(&p->conns)) != NULL)
		pconn_free(c, "tunnel removed");
	pudp_stop(p);
	if (p->fd != -1) {
		event_del(&p->ev);
		if (evtimer_initialized(&p->pause))
			evtimer_del(&p->pause);
		close(p->fd);
	}
	TAILQ_REMOVE(&proxies, p, entry);
	free(p);
}

static int
conf_in(const struct proxy_conf *pc, const struct proxy_conf *list, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (memcmp(pc, &list[i], sizeof(*pc)) == 0)
			return 1;
	return 0;
}

/* unchanged lines keep running; the others stop and start again */
void
proxy_reconf(const struct proxy_conf *pc, int n)
{
	struct proxy	*p, *next;
	int		 i;

	TAILQ_FOREACH_SAFE(p, &proxies, entry, next)
		if (!conf_in(&p->conf, pc, n))
			proxy_stop(p);
	for (i = 0; i < n; i++) {
		TAILQ_FOREACH(p, &proxies, entry)
			if (memcmp(&p->conf, &pc[i], sizeof(pc[i])) == 0)
				break;
		if (p == NULL)
			proxy_start(&pc[i]);
	}
}

int
proxy_allowed(const struct proxy *p, const uint8_t peer[32])
{
	uint16_t	 i;

	if (p->conf.nallow == 0)
		return 1;
	for (i = 0; i < p->conf.nallow; i++)
		if (memcmp(p->conf.allow[i], peer, 32) == 0)
			return 1;
	return 0;
}

/* the server for a stream to port: its own port's, else the any-port one */
static struct proxy *
server_for(uint32_t keyid, uint16_t port)
{
	struct proxy	*p, *any = NULL;

	TAILQ_FOREACH(p, &proxies, entry) {
		if (proxy_kind_listens(p->conf.kind) ||
		    proxy_kind_udp(p->conf.kind) || proxy_keyid(p) != keyid)
			continue;
		if (p->conf.i2p_port == port)
			return p;
		if (p->conf.i2p_port == 0)
			any = p;
	}
	return any;
}

int
proxy_stream_in(uint32_t keyid, struct stream *s)
{
	const struct i2p_ident	*peer = stream_peer(s);
	struct stream_info	 si;
	struct proxy_conn	*c;
	struct proxy		*p;

	stream_info(s, &si);
	if ((p = server_for(keyid, si.local_port)) == NULL)
		return -1;
	if (peer == NULL || !proxy_allowed(p, peer->hash) ||
	    p->nconns >= PROXY_CONNS_MAX || pconn_total() >=
	    PROXY_CONNS_TOTAL || pconn_count_peer(p, peer->hash) >=
	    PROXY_CONNS_PER_PEER || (c = pconn_new(p, -1)) == NULL) {
		p->st.refused++;
		return -1;
	}
	memcpy(c->peer, peer->hash, sizeof(c->peer));
	c->keyid = keyid;
	if (pconn_server_start(c, s) == -1)
		return -1;
	p->st.accepted++;
	return 0;
}

int
proxy_dgram_in(uint32_t keyid, const struct dgram *d,
    const uint8_t from_hash[32])
{
	struct proxy	*p;

	TAILQ_FOREACH(p, &proxies, entry)
		if (proxy_kind_udp(p->conf.kind) &&
		    pudp_in(p, keyid, d, from_hash) == 0)
			return 0;
	return -1;
}

void
proxy_run(void)
{
	pconn_run();
}

/* a server's destination needs its stream host before SYNs come */
void
proxy_tick(time_t now)
{
	struct proxy	*p;

	TAILQ_FOREACH(p, &proxies, entry) {
		if (proxy_kind_udp(p->conf.kind))
			pudp_tick(p, now);
		else if (!proxy_kind_listens(p->conf.kind))
			(void)proxy_host(p);
	}
	pconn_tick(now);
}

void
proxy_rows(proxy_row_fn row, void *arg)
{
	const struct dest	*d;
	struct proxy		*p;
	char			 b32[I2P_B32_NAMESZ];
	int			 up;

	TAILQ_FOREACH(p, &proxies, entry) {
		b32[0] = '\0';
		d = dests_find(p->conf.dest);
		if (d != NULL && d->keyid != 0 && !d->session &&
		    ident_b32(&d->ident, b32, sizeof(b32)) == -1)
			b32[0] = '\0';
		up = proxy_kind_listens(p->conf.kind) ? p->fd != -1 :
		    proxy_keyid(p) != 0;
		row(&p->conf, b32, proxy_kind_udp(p->conf.kind) ? p->nusess :
		    p->nconns, up, &p->st, arg);
	}
}
