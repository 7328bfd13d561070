/*
 * SSU2 beneath the session layer: its transport_ops, and a session's
 * SSU2 state from our dial or a peer's Session Request to the close.
 * The layer above counts and limits sessions (session_inbound applies
 * the per-source limits to each Session Request that carried a valid
 * token) and decides which session carries a router's messages; here
 * are the connection IDs, the one timer of resends and ACKs, and the
 * termination reasons.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "netd.h"
#include "ssu2_io.h"

static void
conn_timer_cb(int fd, short event, void *arg)
{
	struct ssu2_conn	*c = arg;

	if (c->s->state == SS_HANDSHAKE)
		s2hs_timeout(c->s);
	else if (c->s->state == SS_ESTABLISHED)
		s2data_timeout(c->s);
}

void
ssu2_timer(struct ssu2_conn *c, int64_t ms)
{
	struct timeval	 tv;

	if (ms < 1)
		ms = 1;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(&c->ev, &tv);
}

struct ssu2_conn *
ssu2_conn_new(struct session *s)
{
	struct ssu2_conn	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("session %s", session_name(s));
		return NULL;
	}
	c->s = s;
	TAILQ_INIT(&c->inflight);
	ssu2_reasm_init(&c->reasm);
	ssu2_rx_init(&c->rx);
	c->cwnd = SSU2_CWND_MIN;
	c->ssthresh = SSU2_CWND_MAX;
	c->rto_ms = SSU2_RTO_INIT;
	ssu2_conn_mtu(c, 0);
	evtimer_set(&c->ev, conn_timer_cb, c);
	s->tp = c;
	return c;
}

static void
ssu2_free(struct session *s)
{
	struct ssu2_conn	*c = SSU2_CONN(s);

	if (c == NULL)
		return;
	evtimer_del(&c->ev);
	ssu2_conn_unbind(c);
	ssu2_hs_free(c->hs);
	free(c->hspkt[0]);
	free(c->hspkt[1]);
	s2data_free(c);
	ssu2_session_wipe(&c->keys);
	free(c);
}

/*
 * A peer's published MTU, if smaller than ours: SSU2's range is 1280 to
 * 1500 (i2pd raises a smaller one to 1280 as well); the IP and UDP
 * headers come off it.  Without one, 1500 over IPv4 but 1280 over IPv6,
 * as i2pd: routers do not fragment IPv6, and 1280 is what every IPv6
 * link carries (i2pd publishes its IPv6 address's "mtu").
 */
void
ssu2_conn_mtu(struct ssu2_conn *c, unsigned mtu)
{
	int	 v6 = c->s->ss.ss_family == AF_INET6;
	size_t	 over = v6 ? SSU2_IP6_OVERHEAD : SSU2_IP4_OVERHEAD;

	if (mtu == 0 && v6)
		mtu = SSU2_MTU_MIN;
	if (mtu == 0 || mtu > SSU2_MTU_DEFAULT)
		mtu = SSU2_MTU_DEFAULT;
	if (mtu < SSU2_MTU_MIN)
		mtu = SSU2_MTU_MIN;
	c->mtu = mtu - over;
}

/* Alice: from the socket of the peer's address family */
static int
ssu2_dial(struct session *s)
{
	struct ssu2_conn	*c;

	if ((c = ssu2_conn_new(s)) == NULL ||
	    (c->sock = ssu2_sock_for(s->ss.ss_family)) == NULL ||
	    riaddr_get_ssu2() == NULL) {
		session_close(s, NET_DOWN_DIAL_FAILED, 0);
		return -1;
	}
	c->remote = s->target.ssu2;
	ssu2_conn_mtu(c, s->target.ssu2_mtu);
	c->peer_tester = s->target.ssu2_tester;
	return s2hs_alice_start(s);
}

void
ssu2_bob_new(struct ssu2_sock *sk, const struct sockaddr_storage *ss,
    const uint8_t *pkt, size_t len)
{
	struct session		*s;
	struct ssu2_conn	*c;

	if ((s = session_inbound(&ssu2_ops, ss)) == NULL)
		return;
	if ((c = ssu2_conn_new(s)) == NULL) {
		session_close(s, NET_DOWN_ERROR, 0);
		return;
	}
	c->sock = sk;
	s2hs_bob_start(s, pkt, len);
}

static void
ssu2_up(struct session *s)
{
	s2data_start(s);
}

static int
ssu2_terminate(struct session *s, enum sess_end why, uint32_t down)
{
	return s2data_terminate(s, why == SESS_END_IDLE ?
	    SSU2_R_IDLE_TIMEOUT : SSU2_R_NORMAL, down);
}

static const char *
ssu2_step(const struct session *s)
{
	const struct ssu2_conn	*c = s->tp;

	return c != NULL ? s2hs_step_name(c->step) : "dialing";
}

static void
ssu2_info(const struct session *s, struct ctl_peer *cp)
{
	const struct ssu2_conn	*c = s->tp;

	if (c == NULL)
		return;
	cp->rtt_ms = c->rtt_ms;
	cp->cwnd = c->cwnd;
	cp->mtu = c->mtu;
	cp->inflight = c->ninflight;
	cp->resends = c->resends;
}

const struct transport_ops ssu2_ops = {
	.name = "SSU2",
	.dial = ssu2_dial,
	.dh_result = s2hs_dh_result,
	.dh_error = s2hs_dh_error,
	.up = ssu2_up,
	.kick = s2data_pump,
	.terminate = ssu2_terminate,
	.goodbye = s2data_goodbye,
	.step = ssu2_step,
	.free = ssu2_free,
	.info = ssu2_info,
};
