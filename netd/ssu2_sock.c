/*
 * SSU2's UDP sockets, one per "listen on ... ssu2" line, (re)bound on
 * every reload like NTCP2's listeners, and what each datagram is for.
 *
 * A datagram's first 8 bytes, unmasked with our intro key, name our
 * connection ID: an established session's, or a Bob handshake's (the
 * ID Alice picked for us).  Alice's handshake is found by Bob's
 * address instead, since Retry and Created are masked with his key,
 * unless the datagram is that router's own Token or Session Request (it
 * dials us while we dial it; the session layer keeps one).  Anything else is a new Token Request or Session Request: a Token
 * Request that opens gets a Retry with a token for that address and
 * port; a Session Request starts a handshake only with such a token
 * (the session layer's per-source limits apply then), and gets a new
 * Retry otherwise.  Nothing else is answered: a datagram that does not
 * open is dropped and counted, which is SSU2's probing resistance.
 * Tokens are bounded in all and per source (an IPv6 /64), so a flood
 * of Token Requests cannot grow memory or make us send more than it
 * sends.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <bsd/string.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "log.h"
#include "netd.h"
#include "ssu2_io.h"

#define SOCK_BURST	64		/* datagrams per read event */
#define SOCK_BUF	(1024 * 1024)	/* kernel buffers each way */

struct ssu2_sock {
	TAILQ_ENTRY(ssu2_sock)	 entry;
	struct sockaddr_storage	 ss;
	int			 fd;
	int			 seen;
	struct event		 ev;
};

static TAILQ_HEAD(, ssu2_sock)	 socks = TAILQ_HEAD_INITIALIZER(socks);
static TAILQ_HEAD(, ssu2_conn)	 alices = TAILQ_HEAD_INITIALIZER(alices);
RB_HEAD(ssu2_conn_tree, ssu2_conn);
RB_PROTOTYPE(ssu2_conn_tree, ssu2_conn, rentry, ssu2_conn_cmp)
static struct ssu2_conn_tree	 conns = RB_INITIALIZER(&conns);
static struct ssu2_tokens	 tokens;	/* ours, in Retry */
static struct ssu2_tokens	 out_tokens;	/* routers', New Token */
static struct ssu2_tokens	 next_tokens;	/* ours, in New Token */
static int			 tokens_ok;
struct ssu2_stats		 ssu2_stats;

/* libbsd's tree.h cannot mark static generated functions unused */
int
ssu2_conn_cmp(struct ssu2_conn *a, struct ssu2_conn *b)
{
	if (a->rid < b->rid)
		return -1;
	return a->rid > b->rid;
}
RB_GENERATE(ssu2_conn_tree, ssu2_conn, rentry, ssu2_conn_cmp)

int64_t
ssu2_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static socklen_t
sock_sslen(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
}

static int
sock_same(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	return a->ss_family == b->ss_family &&
	    memcmp(a, b, sock_sslen(a)) == 0;
}

int
ssu2_conn_bind(struct ssu2_conn *c, uint64_t rid)
{
	c->rid = rid;
	if (RB_INSERT(ssu2_conn_tree, &conns, c) != NULL)
		return -1;	/* that ID is taken: Alice picked badly */
	c->in_tree = 1;
	return 0;
}

void
ssu2_conn_unbind(struct ssu2_conn *c)
{
	if (c->in_tree)
		RB_REMOVE(ssu2_conn_tree, &conns, c);
	c->in_tree = 0;
	ssu2_alice_track(c, 0);
}

void
ssu2_alice_track(struct ssu2_conn *c, int on)
{
	if (on && !c->in_alice)
		TAILQ_INSERT_TAIL(&alices, c, aentry);
	else if (!on && c->in_alice)
		TAILQ_REMOVE(&alices, c, aentry);
	c->in_alice = on;
}

static struct ssu2_conn *
conn_by_id(uint64_t rid)
{
	struct ssu2_conn	 key;

	key.rid = rid;
	return RB_FIND(ssu2_conn_tree, &conns, &key);
}

static struct ssu2_conn *
alice_by_addr(const struct sockaddr_storage *ss)
{
	struct ssu2_conn	*c;

	TAILQ_FOREACH(c, &alices, aentry)
		if (sock_same(&c->s->ss, ss))
			return c;
	return NULL;
}

struct ssu2_sock *
ssu2_sock_for(int family)
{
	struct ssu2_sock	*sk;

	TAILQ_FOREACH(sk, &socks, entry)
		if (sk->ss.ss_family == family)
			return sk;
	return NULL;
}

const struct sockaddr_storage *
ssu2_sock_addr(const struct ssu2_sock *sk)
{
	return &sk->ss;
}

/* one at random of the established sessions that may be Bob */
struct ssu2_conn *
ssu2_tester(int family)
{
	struct ssu2_conn	*c, *pick = NULL;
	uint32_t		 n = 0, r;

	RB_FOREACH(c, ssu2_conn_tree, &conns) {
		if (!c->peer_tester || c->s->state != SS_ESTABLISHED ||
		    c->s->ss.ss_family != family)
			continue;
		/* reservoir sampling: each kept with chance 1/n */
		crypto_random_fill(&r, sizeof(r));
		if (r % ++n == 0)
			pick = c;
	}
	return pick;
}

void
ssu2_send(struct ssu2_sock *sk, const struct sockaddr_storage *to,
    const uint8_t *pkt, size_t len)
{
	/* a full socket buffer loses the datagram, as the network may */
	if (sendto(sk->fd, pkt, len, 0, (const struct sockaddr *)to,
	    sock_sslen(to)) == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			log_debug("ssu2 sendto: %s", strerror(errno));
		return;
	}
	ssu2_stats.pkts_out++;
	ssu2_stats.bytes_out += len;
}

/* the endpoint as the Address block and the token table know it */
void
ssu2_endpoint(const struct sockaddr_storage *ss, struct ssu2_addr *a)
{
	const struct sockaddr_in	*sin = (const void *)ss;
	const struct sockaddr_in6	*sin6 = (const void *)ss;

	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		a->iplen = 4;
		memcpy(a->ip, &sin->sin_addr, 4);
		a->port = ntohs(sin->sin_port);
	} else {
		a->iplen = 16;
		memcpy(a->ip, &sin6->sin6_addr, 16);
		a->port = ntohs(sin6->sin6_port);
	}
}

/* a Retry with a fresh token for that endpoint; none if over limits */
static void
sock_retry(struct ssu2_sock *sk, const struct sockaddr_storage *ss,
    const struct ssu2_hdr *req)
{
	const struct ssu2_local	*l = riaddr_get_ssu2();
	uint8_t			 pkt[SSU2_PKT_MAX];
	struct ssu2_addr	 a;
	struct wbuf		 w;
	uint64_t		 token;

	do
		crypto_random_fill(&token, sizeof(token));
	while (token == 0);
	ssu2_endpoint(ss, &a);
	/*
	 * the token table keys the exact address (IPv4: 4 bytes, zeros),
	 * and counts its per-source limit by the first 8 (an IPv6 /64)
	 */
	if (!tokens_ok ||
	    ssu2_tok_issue(&tokens, a.ip, a.port, netd_now(), token,
	    SSU2_TOKEN_TTL) == -1) {
		ssu2_stats.token_refused++;
		return;
	}
	wbuf_init_fixed(&w, pkt, sizeof(pkt));
	if (ssu2_bob_retry(l, req, token, SSU2_R_NORMAL, &a, time(NULL),
	    &w) == -1 || wbuf_error(&w))
		return;
	ssu2_stats.tokens++;
	ssu2_stats.retries_sent++;
	ssu2_send(sk, ss, pkt, wbuf_len(&w));
}

/* nobody's: a Token Request or a Session Request, or dropped */
static void
sock_new(struct ssu2_sock *sk, const struct sockaddr_storage *ss,
    const uint8_t *pkt, size_t len)
{
	const struct ssu2_local	*l = riaddr_get_ssu2();
	uint8_t			 plain[SSU2_EPH_HDR];
	struct ssu2_hdr		 h;
	struct ssu2_addr	 a;

	if (ssu2_hdr_open(pkt, len, l->intro_key, l->intro_key, plain,
	    &h) == -1 || ssu2_long_check(&h, l->netid) != SSU2_R_NORMAL) {
		ssu2_stats.dropped++;
		return;
	}
	if (h.type == SSU2_TOKEN_REQUEST) {
		if (ssu2_bob_token_request(l, pkt, len, time(NULL), &h) == -1)
			ssu2_stats.dropped++;
		else
			sock_retry(sk, ss, &h);
		return;
	}
	if (h.type != SSU2_SESSION_REQUEST) {
		ssu2_stats.dropped++;
		return;
	}
	ssu2_endpoint(ss, &a);
	/* a Retry's token, or one of our New Token blocks' */
	if (!tokens_ok || (!ssu2_tok_take(&tokens, a.ip, a.port, netd_now(),
	    h.token) && !ssu2_tok_take(&next_tokens, a.ip, a.port,
	    netd_now(), h.token))) {
		/* the spec's answer to an unknown token: a Retry */
		ssu2_stats.bad_token++;
		sock_retry(sk, ss, &h);
		return;
	}
	ssu2_bob_new(sk, ss, pkt, len);
}

/*
 * A Token Request or Session Request to us: a router we are dialing
 * may dial us at the same time, from the address our dial waits on.
 */
static int
sock_is_new(const struct ssu2_local *l, const uint8_t *pkt, size_t len)
{
	uint8_t		 plain[SSU2_EPH_HDR];
	struct ssu2_hdr	 h;

	return ssu2_hdr_open(pkt, len, l->intro_key, l->intro_key, plain,
	    &h) != -1 && ssu2_long_check(&h, l->netid) == SSU2_R_NORMAL &&
	    (h.type == SSU2_TOKEN_REQUEST || h.type == SSU2_SESSION_REQUEST);
}

static void
sock_packet(struct ssu2_sock *sk, const struct sockaddr_storage *ss,
    uint8_t *pkt, size_t len)
{
	const struct ssu2_local	*l = riaddr_get_ssu2();
	struct ssu2_conn	*c;
	uint64_t		 id;

	if (l == NULL) {
		ssu2_stats.dropped++;	/* no RouterInfo yet */
		return;
	}
	if (ssu2_hdr_peek_id(pkt, len, l->intro_key, &id) == -1)
		id = 0;
	if (id != 0 && (c = conn_by_id(id)) != NULL && c->sock == sk) {
		if (c->s->state == SS_HANDSHAKE) {
			/* a handshake stays with the address it began on */
			if (sock_same(&c->s->ss, ss))
				s2hs_input(c->s, pkt, len);
			else
				ssu2_stats.dropped++;
		} else
			s2data_input(c->s, pkt, len);
		return;
	}
	if (s2pt_packet(sk, ss, pkt, len, id))
		return;
	if ((c = alice_by_addr(ss)) != NULL && c->sock == sk &&
	    !sock_is_new(l, pkt, len)) {
		s2hs_input(c->s, pkt, len);
		return;
	}
	sock_new(sk, ss, pkt, len);
}

static void
sock_read(int fd, short event, void *arg)
{
	struct ssu2_sock	*sk = arg;
	struct sockaddr_storage	 ss;
	uint8_t			 pkt[SSU2_PKT_MAX + 1];
	socklen_t		 sslen;
	ssize_t			 n;
	int			 i;

	for (i = 0; i < SOCK_BURST; i++) {
		sslen = sizeof(ss);
		memset(&ss, 0, sizeof(ss));
		n = recvfrom(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss,
		    &sslen);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_debug("ssu2 recvfrom: %s", strerror(errno));
			break;
		}
		ssu2_stats.pkts_in++;
		ssu2_stats.bytes_in += n;
		/* one byte more than the largest packet tells oversized ones */
		if ((size_t)n > SSU2_PKT_MAX) {
			ssu2_stats.oversized++;
			continue;
		}
		if ((size_t)n < SSU2_PKT_MIN || ss.ss_family != sk->ss.ss_family) {
			ssu2_stats.dropped++;
			continue;
		}
		sock_packet(sk, &ss, pkt, n);
	}
	session_i2np_flush();
}

static int
sock_open(struct ssu2_sock *sk)
{
	int	 one = 1, bufsz = SOCK_BUF;

	if ((sk->fd = socket(sk->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return -1;
	/* buffers: a failure leaves the kernel's default, which works */
	(void)setsockopt(sk->fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	(void)setsockopt(sk->fd, SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	if ((sk->ss.ss_family == AF_INET6 && setsockopt(sk->fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &one, sizeof(one)) == -1) ||
	    bind(sk->fd, (struct sockaddr *)&sk->ss, sock_sslen(&sk->ss)) ==
	    -1) {
		close(sk->fd);
		sk->fd = -1;
		return -1;
	}
	event_set(&sk->ev, sk->fd, EV_READ | EV_PERSIST, sock_read, sk);
	event_add(&sk->ev, NULL);
	return 0;
}

static const char *
sock_name(const struct sockaddr_storage *ss)
{
	static char	 buf[INET6_ADDRSTRLEN + 16];
	struct listen_addr la;

	memset(&la, 0, sizeof(la));
	la.ss = *ss;
	return listen_str(&la, buf, sizeof(buf));
}

/* its sessions end with it: their datagrams have nowhere to go */
static void
sock_close(struct ssu2_sock *sk)
{
	struct ssu2_conn	*c, *next, *anext;

	log_info("SSU2: no longer on %s", sock_name(&sk->ss));
	for (c = RB_MIN(ssu2_conn_tree, &conns); c != NULL; c = next) {
		next = RB_NEXT(ssu2_conn_tree, &conns, c);
		if (c->sock == sk)
			session_close(c->s, NET_DOWN_CLOSED, 0);
	}
	for (c = TAILQ_FIRST(&alices); c != NULL; c = anext) {
		anext = TAILQ_NEXT(c, aentry);
		if (c->sock == sk)
			session_close(c->s, NET_DOWN_DIAL_FAILED, 0);
	}
	event_del(&sk->ev);
	close(sk->fd);
	TAILQ_REMOVE(&socks, sk, entry);
	free(sk);
}

static void
sock_add(const struct sockaddr_storage *ss)
{
	struct ssu2_sock	*sk;

	if ((sk = calloc(1, sizeof(*sk))) == NULL) {
		log_warn("SSU2 socket");
		return;
	}
	sk->ss = *ss;
	if (sock_open(sk) == -1) {
		log_warn("SSU2: cannot bind %s", sock_name(ss));
		free(sk);
		return;
	}
	sk->seen = 1;
	TAILQ_INSERT_TAIL(&socks, sk, entry);
	log_info("SSU2 on %s", sock_name(ss));
}

void
ssu2_sock_reconf(const struct i2prd_conf *conf)
{
	struct listen_addr	*la;
	struct ssu2_sock	*sk, *next;

	if (!tokens_ok && ssu2_tok_init(&tokens, SSU2_TOKENS_MAX,
	    SSU2_TOKENS_PER_SRC) == 0) {
		if (ssu2_tok_init(&out_tokens, SSU2_OUT_TOKENS_MAX,
		    SSU2_OUT_TOKENS_MAX) == 0 && ssu2_tok_init(&next_tokens,
		    SSU2_NEXT_TOKENS_MAX, SSU2_NEXT_TOKENS_PER_SRC) == 0)
			tokens_ok = 1;
		else {
			ssu2_tok_free(&tokens);
			ssu2_tok_free(&out_tokens);
		}
	}
	TAILQ_FOREACH(sk, &socks, entry)
		sk->seen = 0;
	TAILQ_FOREACH(la, &conf->listen, entry) {
		if (la->transport != LISTEN_SSU2)
			continue;
		TAILQ_FOREACH(sk, &socks, entry)
			if (sock_same(&sk->ss, &la->ss))
				break;
		if (sk != NULL)
			sk->seen = 1;
		else
			sock_add(&la->ss);
	}
	for (sk = TAILQ_FIRST(&socks); sk != NULL; sk = next) {
		next = TAILQ_NEXT(sk, entry);
		if (!sk->seen)
			sock_close(sk);
	}
}

void
ssu2_sock_close_all(void)
{
	struct ssu2_sock	*sk;

	while ((sk = TAILQ_FIRST(&socks)) != NULL) {
		event_del(&sk->ev);
		close(sk->fd);
		TAILQ_REMOVE(&socks, sk, entry);
		free(sk);
	}
	if (tokens_ok) {
		ssu2_tok_free(&tokens);
		ssu2_tok_free(&out_tokens);
		ssu2_tok_free(&next_tokens);
	}
	tokens_ok = 0;
}

void
ssu2_out_token_put(const struct sockaddr_storage *ss, uint64_t token,
    uint32_t expires)
{
	struct ssu2_addr	 a;
	int64_t			 ttl = (int64_t)expires - time(NULL);

	if (!tokens_ok || token == 0 || ttl <= 0)
		return;
	if (ttl > SSU2_OUT_TOKEN_TTL)
		ttl = SSU2_OUT_TOKEN_TTL;
	ssu2_endpoint(ss, &a);
	/* full of unexpired tokens: this one is not kept, a Retry will do */
	(void)ssu2_tok_issue(&out_tokens, a.ip, a.port, netd_now(), token,
	    ttl);
}

uint64_t
ssu2_next_token(const struct sockaddr_storage *ss, uint32_t *expires)
{
	struct ssu2_addr	 a;
	uint64_t		 token;

	do
		crypto_random_fill(&token, sizeof(token));
	while (token == 0);
	ssu2_endpoint(ss, &a);
	if (!tokens_ok || ssu2_tok_issue(&next_tokens, a.ip, a.port,
	    netd_now(), token, SSU2_NEXT_TOKEN_TTL) == -1)
		return 0;
	*expires = time(NULL) + SSU2_NEXT_TOKEN_TTL;
	return token;
}

uint64_t
ssu2_out_token_get(const struct sockaddr_storage *ss)
{
	struct ssu2_addr	 a;

	if (!tokens_ok)
		return 0;
	ssu2_endpoint(ss, &a);
	return ssu2_tok_get(&out_tokens, a.ip, a.port, netd_now());
}

void
ssu2_ctl_sessions(struct ctl_sessions *cs)
{
	cs->ssu2_pkts_in = ssu2_stats.pkts_in;
	cs->ssu2_pkts_out = ssu2_stats.pkts_out;
	cs->ssu2_dropped = ssu2_stats.dropped;
	cs->ssu2_dup = ssu2_stats.dup;
	cs->ssu2_oversized = ssu2_stats.oversized;
	cs->ssu2_tokens = ssu2_stats.tokens;
	cs->ssu2_token_refused = ssu2_stats.token_refused;
	cs->ssu2_bad_token = ssu2_stats.bad_token;
	cs->ssu2_reasm_dropped = ssu2_stats.reasm_dropped;
}

void
ssu2_ctl_transports(uint32_t peerid)
{
	const struct ssu2_pt_state	*st;
	struct ssu2_sock		*sk;
	struct ctl_transport		 ct;

	TAILQ_FOREACH(sk, &socks, entry) {
		st = ssu2_pt_state(sk->ss.ss_family);
		memset(&ct, 0, sizeof(ct));
		strlcpy(ct.transport, "SSU2", sizeof(ct.transport));
		strlcpy(ct.addr, sock_name(&sk->ss), sizeof(ct.addr));
		ct.reach = st->reach;
		ct.reach_when = st->when;
		ct.pt_run = st->run;
		ct.pt_charlie = ssu2_stats.pt_charlie;
		ct.pt_ignored = ssu2_stats.pt_ignored;
		netd_send(PROC_ROUTERD, IMSG_CTL_TRANSPORT, peerid, &ct,
		    sizeof(ct));
	}
}

int
ssu2_can_dial(int family)
{
	return riaddr_get_ssu2() != NULL && ssu2_sock_for(family) != NULL;
}
