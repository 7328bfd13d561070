/*
 * UDP tunnels (proxy.h), with repliable datagrams (Datagram1) on the
 * I2P side, as i2pd's UDP tunnels use them.
 *
 * A client tunnel's socket takes datagrams from local senders; each
 * sender gets an I2P source port of its own, and what the target sends
 * back to that port goes to that sender.  A server tunnel takes the
 * datagrams sent to its destination (on its i2p port, or any): each
 * remote destination and source port gets a socket of its own to the
 * local target, whose replies go back to that remote and port.
 *
 * Sessions are bounded per remote destination or local host first
 * (PROXY_UDP_SESS_PER_PEER: a new one beyond replaces that peer's
 * quietest, so that one peer's source ports cannot push the others
 * out) and per tunnel second (PROXY_UDP_SESS_MAX: the quietest of all
 * goes), and go after PROXY_UDP_IDLE quiet seconds.  Datagrams are never queued: what cannot go now is dropped
 * and counted, as UDP would.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "destio.h"
#include "i2cpdata.h"
#include "log.h"
#include "proxy_int.h"
#include "tunneld.h"

#define UDP_PORT_FIRST	1024	/* a client's senders' I2P ports */

static int
same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	return a->ss_family == b->ss_family && memcmp(a, b, sockaddr_len(a)) == 0;
}

static void
sess_free(struct udp_sess *u)
{
	struct proxy	*p = u->p;

	if (u->fd != -1) {
		event_del(&u->ev);
		close(u->fd);
	}
	TAILQ_REMOVE(&p->usess, u, entry);
	p->nusess--;
	free(u);
}

/* a session of the same remote (server) or local host (client) */
static int
same_peer(const struct udp_sess *u, const uint8_t peer[32],
    const struct sockaddr_storage *local)
{
	if (peer != NULL)
		return memcmp(u->peer, peer, 32) == 0;
	return sockaddr_same_host(&u->local, local);
}

/*
 * Room for one more of a peer (a server's remote, or a client's local
 * host): its own quietest goes when it has its share, the quietest of
 * all when the tunnel is full
 */
static struct udp_sess *
sess_new(struct proxy *p, const uint8_t peer[32],
    const struct sockaddr_storage *local, time_t now)
{
	struct udp_sess	*u, *quiet = NULL, *mine = NULL;
	uint32_t	 n = 0;

	TAILQ_FOREACH(u, &p->usess, entry) {
		if (quiet == NULL || u->last < quiet->last)
			quiet = u;
		if (!same_peer(u, peer, local))
			continue;
		n++;
		if (mine == NULL || u->last < mine->last)
			mine = u;
	}
	if (n >= PROXY_UDP_SESS_PER_PEER)
		sess_free(mine);
	else if (p->nusess >= PROXY_UDP_SESS_MAX)
		sess_free(quiet);
	if ((u = calloc(1, sizeof(*u))) == NULL)
		return NULL;
	u->p = p;
	u->fd = -1;
	u->last = now;
	TAILQ_INSERT_TAIL(&p->usess, u, entry);
	p->nusess++;
	p->st.accepted++;
	return u;
}

/* a repliable datagram from the tunnel's destination */
static int
send_dgram(struct proxy *p, const uint8_t to[32], uint16_t src_port,
    uint16_t dst_port, const uint8_t *buf, size_t len)
{
	struct i2cpdata_hdr	 h;
	struct destio		*io;
	uint32_t		 keyid;

	if ((keyid = proxy_keyid(p)) == 0 || (io = dests_io(keyid)) == NULL ||
	    len > DGRAM1_PAYLOAD_MAX)
		return -1;
	memset(&h, 0, sizeof(h));
	h.src_port = src_port;
	h.dst_port = dst_port;
	h.proto = I2CP_PROTO_DATAGRAM;
	if (destio_send(io, to, &h, buf, len, time(NULL)) == -1)
		return -1;
	p->st.bytes_out += len;
	return 0;
}

/* an I2P source port no sender of the client has */
static uint16_t
free_port(struct proxy *p)
{
	struct udp_sess	*u;
	uint16_t	 port;

	for (;;) {
		port = p->next_port++;
		if (p->next_port < UDP_PORT_FIRST)
			p->next_port = UDP_PORT_FIRST;
		if (port < UDP_PORT_FIRST)
			continue;
		TAILQ_FOREACH(u, &p->usess, entry)
			if (u->port == port)
				break;
		if (u == NULL)
			return port;
	}
}

/* a client's socket: local senders' datagrams to the target */
static void
client_cb(int fd, short what, void *arg)
{
	static uint8_t		 buf[65536];
	struct proxy		*p = arg;
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof(ss);
	struct udp_sess		*u;
	time_t			 now = time(NULL);
	ssize_t			 n;

	memset(&ss, 0, sizeof(ss));
	if ((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss,
	    &sl)) <= 0)
		return;
	TAILQ_FOREACH(u, &p->usess, entry)
		if (same_addr(&u->local, &ss))
			break;
	if (u == NULL) {
		if ((u = sess_new(p, NULL, &ss, now)) == NULL)
			return;
		u->local = ss;
		u->port = free_port(p);
	}
	u->last = now;
	if (send_dgram(p, p->thash, u->port, p->conf.target_port, buf,
	    n) == -1)
		p->st.failed++;
}

/* a server session's socket: the target's replies to the remote */
static void
server_cb(int fd, short what, void *arg)
{
	static uint8_t	 buf[65536];
	struct udp_sess	*u = arg;
	ssize_t		 n;

	if ((n = recv(fd, buf, sizeof(buf), 0)) <= 0)
		return;
	u->last = time(NULL);
	if (send_dgram(u->p, u->peer, u->i2p_port, u->port, buf, n) == -1)
		u->p->st.failed++;
}

static int
udp_socket(const struct proxy_conf *pc, int bound)
{
	struct sockaddr_storage	 ss;
	int			 fd;

	proxy_addr(pc, &ss);
	if ((fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (bound ? bind(fd, (struct sockaddr *)&ss, sockaddr_len(&ss)) == -1 :
	    connect(fd, (struct sockaddr *)&ss, sockaddr_len(&ss)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* a client binds its socket; a server's sockets come with remotes */
int
pudp_start(struct proxy *p)
{
	TAILQ_INIT(&p->usess);
	p->next_port = UDP_PORT_FIRST;
	if (p->conf.kind != PROXY_UDP_CLIENT)
		return 0;
	if ((p->fd = udp_socket(&p->conf, 1)) == -1)
		return -1;
	event_set(&p->ev, p->fd, EV_READ | EV_PERSIST, client_cb, p);
	event_add(&p->ev, NULL);
	return 0;
}

void
pudp_stop(struct proxy *p)
{
	struct udp_sess	*u;

	while ((u = TAILQ_FIRST(&p->usess)) != NULL)
		sess_free(u);
}

/* a reply from the client's target to one of its senders */
static int
client_in(struct proxy *p, const struct dgram *d, const uint8_t from[32])
{
	struct udp_sess	*u;

	if (memcmp(from, p->thash, 32) != 0)
		return -1;
	TAILQ_FOREACH(u, &p->usess, entry)
		if (u->port == d->dst_port)
			break;
	if (u == NULL)
		return -1;
	u->last = time(NULL);
	p->st.bytes_in += d->len;
	if (sendto(p->fd, d->payload, d->len, 0,
	    (struct sockaddr *)&u->local, sockaddr_len(&u->local)) == -1)
		p->st.failed++;
	return 0;
}

/* a remote's datagram to the server's target, on its session's socket */
static int
server_in(struct proxy *p, const struct dgram *d, const uint8_t from[32])
{
	struct udp_sess	*u;
	time_t		 now = time(NULL);

	if (p->conf.i2p_port != 0 && p->conf.i2p_port != d->dst_port)
		return -1;
	if (!proxy_allowed(p, from)) {
		p->st.refused++;
		return 0;
	}
	TAILQ_FOREACH(u, &p->usess, entry)
		if (u->port == d->src_port && memcmp(u->peer, from, 32) == 0)
			break;
	if (u == NULL) {
		if ((u = sess_new(p, from, NULL, now)) == NULL)
			return 0;
		memcpy(u->peer, from, 32);
		u->port = d->src_port;
		u->i2p_port = d->dst_port;
		if ((u->fd = udp_socket(&p->conf, 0)) == -1) {
			log_warn("tunnel %s: udp to port %u", p->conf.dest,
			    p->conf.port);
			p->st.failed++;
			sess_free(u);
			return 0;
		}
		event_set(&u->ev, u->fd, EV_READ | EV_PERSIST, server_cb, u);
		event_add(&u->ev, NULL);
	}
	u->last = now;
	p->st.bytes_in += d->len;
	if (send(u->fd, d->payload, d->len, 0) == -1)
		p->st.failed++;
	return 0;
}

/* 0 if the tunnel took the datagram; only repliable ones are taken */
int
pudp_in(struct proxy *p, uint32_t keyid, const struct dgram *d,
    const uint8_t from[32])
{
	if (d->proto != I2CP_PROTO_DATAGRAM || from == NULL ||
	    proxy_keyid(p) != keyid)
		return -1;
	if (p->conf.kind == PROXY_UDP_CLIENT)
		return p->fd == -1 ? -1 : client_in(p, d, from);
	return server_in(p, d, from);
}

void
pudp_tick(struct proxy *p, time_t now)
{
	struct udp_sess	*u, *next;

	TAILQ_FOREACH_SAFE(u, &p->usess, entry, next)
		if (now - u->last > PROXY_UDP_IDLE)
			sess_free(u);
}
