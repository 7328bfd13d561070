/*
 * NTCP2 beneath the session layer: its transport_ops, and a session's
 * TCP connection from its start (our dial, or an accepted connection)
 * to its end.  The layer above counts and limits sessions and decides
 * which carries a router's messages; here is what only TCP and NTCP2
 * know: sockets, the handshake's steps, termination reasons, and how
 * a bad message 1 is answered (ntcp2.rst, "Probing resistance").
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "log.h"
#include "netd.h"
#include "ntcp2_io.h"

static struct ntcp2_conn *
ntcp2_conn_new(struct session *s)
{
	struct ntcp2_conn	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("session %s", session_name(s));
		return NULL;
	}
	c->s = s;
	c->fd = -1;
	s->tp = c;
	return c;
}

void
ntcp2_hs_done(struct ntcp2_conn *c)
{
	ntcp2_hs_free(c->hs);
	c->hs = NULL;
}

static void
ntcp2_free(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	if (c == NULL)
		return;
	conn_stop(s);
	ntcp2_hs_done(c);
	ntcp2_session_wipe(&c->keys);
	conn_in_free(c);
	free(c->out);
	free(c);
}

/*
 * Alice: TCP connect, then message 1 once it completes.  -1: the dial
 * failed at once and s is closed.
 */
static int
ntcp2_dial(struct session *s)
{
	struct ntcp2_conn	*c;
	int			 fd;

	if ((c = ntcp2_conn_new(s)) == NULL) {
		session_close(s, NET_DOWN_DIAL_FAILED, 0);
		return -1;
	}
	c->remote = s->target.remote;
	if ((fd = socket(s->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		log_warn("session %s: socket", session_name(s));
		session_close(s, NET_DOWN_DIAL_FAILED, 0);
		return -1;
	}
	c->fd = fd;
	c->step = N2_CONNECT;
	conn_start(s);
	if (connect(fd, (struct sockaddr *)&s->ss, s->ss.ss_family ==
	    AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6)) == -1 && errno != EINPROGRESS) {
		log_debug("session %s: connect: %s", session_name(s),
		    strerror(errno));
		session_close(s, NET_DOWN_DIAL_FAILED, 0);
		return -1;
	}
	/* writable when the connect is done, either way */
	conn_kick(s);
	return 0;
}

/* Bob: until our RouterInfo has an "i", nobody can dial us */
void
ntcp2_accept(int fd, const struct sockaddr_storage *ss)
{
	struct session		*s;
	struct ntcp2_conn	*c;

	if (!riaddr_local_inbound() ||
	    (s = session_inbound(&ntcp2_ops, ss)) == NULL) {
		close(fd);
		return;
	}
	if ((c = ntcp2_conn_new(s)) == NULL) {
		close(fd);
		session_close(s, NET_DOWN_ERROR, 0);
		return;
	}
	c->fd = fd;
	conn_start(s);
	hs_bob_start(s);
}

void
ntcp2_probe(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	uint32_t		 r;

	crypto_random_fill(&r, sizeof(r));
	/* still counted: a prober holds its slots until the close */
	ntcp2_hs_done(c);
	s->state = SS_PROBE;
	s->close_down = NET_DOWN_ERROR;
	s->close_term = NTCP2_R_MSG1_ERROR;
	c->inoff = c->inlen = 0;
	c->probe_left = 1 + r % NETD_PROBE_BYTES;
	crypto_random_fill(&r, sizeof(r));
	session_timer(s, NETD_PROBE_MIN +
	    r % (NETD_PROBE_MAX - NETD_PROBE_MIN + 1));
	conn_read_enable(s, 1);
	log_debug("session %s: bad message 1, draining %zu bytes",
	    session_name(s), c->probe_left);
}

static void
ntcp2_up(struct session *s)
{
	conn_read_enable(s, 1);
	conn_kick(s);
}

/* ntcp2.rst has no reason for limits: 0 is "or unspecified" */
static int
ntcp2_terminate(struct session *s, enum sess_end why, uint32_t down)
{
	return data_terminate(s, why == SESS_END_IDLE ?
	    NTCP2_R_IDLE_TIMEOUT : NTCP2_R_NORMAL, down);
}

static const char *
ntcp2_step(const struct session *s)
{
	const struct ntcp2_conn	*c = s->tp;

	/* a dial that failed before it had a connection */
	return hs_step_name(c != NULL ? c->step : N2_CONNECT);
}

const struct transport_ops ntcp2_ops = {
	.name = "NTCP2",
	.dial = ntcp2_dial,
	.dh_result = hs_dh_result,
	.dh_error = hs_dh_error,
	.up = ntcp2_up,
	.kick = conn_kick,
	.terminate = ntcp2_terminate,
	.goodbye = data_goodbye,
	.step = ntcp2_step,
	.free = ntcp2_free,
};
