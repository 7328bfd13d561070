/*
 * SSU2 Peer Test as Alice (ssu2.rst "Peer Test"): are we reachable
 * over each address family?  A test per family some seconds after
 * start, then every PT_INTERVAL (with jitter), through a Bob picked
 * from our established SSU2 sessions with routers that publish "B" in
 * their SSU2 caps.
 *
 *   1  we sign (cryptod, the router key) and send Bob the test
 *   4  Bob says Charlie accepted, with Charlie's RouterInfo and signature
 *   5  Charlie, whom we never dialed, reaches our address: reachable
 *   6  we answer Charlie at his address, with his intro key
 *   7  Charlie answers
 *
 * Message 5 may come before or after message 4.  Without it PT_WAIT
 * after an accepting message 4, we are firewalled; a refusal (code not
 * 0) or no message 4 at all leaves the result unknown.  Messages 5 and
 * 7 come outside any session, sealed with our intro key, addressed to
 * the connection ID the nonce gives: only a test in flight has one, so
 * nothing else opens here.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "i2pdata.h"
#include "log.h"
#include "netd.h"
#include "ssu2_io.h"

#define PT_FIRST	10	/* s after start, or after no Bob was found */
#define PT_INTERVAL	(20 * 60)
#define PT_JITTER	(5 * 60)
#define PT_WAIT		15	/* s for message 4, then for message 5 */
/* a test without a result (no Bob, a refusal) is tried again this soon */
#define PT_RETRY	60
#define PT_SIGDATA	(SSU2_PT_SIGDATA_MAX + 64)

/* one test of one address family */
struct pt_test {
	int			 family;
	int			 active;
	uint32_t		 nonce;
	uint32_t		 reqid;		/* cryptod's signature */
	uint8_t			 bob[32];
	struct ssu2_peertest	 t;		/* message 1 */
	uint8_t			 sig[64];
	int			 got4, got5, sent6;
	uint8_t			 charlie_ik[32];
	struct sockaddr_storage	 charlie;
	/* message 5's signed part and signature, echoed in message 6 */
	uint8_t			 m5[PT_SIGDATA];
	size_t			 m5len;
	struct ssu2_peertest	 m5t;
	int64_t			 deadline;	/* netd_now(); 0: none */
	int64_t			 next;		/* the next test */
	struct ssu2_pt_state	 st;
};

static struct pt_test	 tests[2] = {
	{ .family = AF_INET }, { .family = AF_INET6 }
};
static struct event	 pt_ev;
static int		 pt_ev_set;
static uint32_t		 pt_seq;

static const char *
fam_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

const struct ssu2_pt_state *
ssu2_pt_state(int family)
{
	return &tests[family == AF_INET ? 0 : 1].st;
}

/* routerd publishes what we found (publish.c) */
static void
pt_report(const struct pt_test *x)
{
	struct net_reach	 nr;

	memset(&nr, 0, sizeof(nr));
	nr.family = x->family == AF_INET ? 4 : 6;
	nr.reach = x->st.reach;
	netd_send(PROC_ROUTERD, IMSG_NET_REACH, 0, &nr, sizeof(nr));
}

static void
pt_done(struct pt_test *x, enum net_reach_state r, const char *why)
{
	uint32_t	 jitter;

	/* no result keeps the last one, its time telling how old it is */
	if (r == NET_REACH_UNKNOWN)
		log_debug("SSU2 peer test (%s): no result (%s)",
		    fam_name(x->family), why);
	else {
		if (x->st.reach != r)
			log_info("SSU2 peer test (%s): %s (%s)",
			    fam_name(x->family), net_reach_name(r), why);
		x->st.reach = r;
		x->st.when = time(NULL);
		/* each result, not each change: routerd may have restarted */
		pt_report(x);
	}
	x->active = 0;
	x->deadline = 0;
	crypto_random_fill(&jitter, sizeof(jitter));
	x->next = netd_now() + (r == NET_REACH_UNKNOWN ? PT_RETRY :
	    PT_INTERVAL + jitter % PT_JITTER);
}

/* the address we publish, as Alice tells it: the socket's own */
static int
pt_our_addr(int family, struct ssu2_addr *a)
{
	struct ssu2_sock	*sk;
	static const uint8_t	 zero[16];

	if ((sk = ssu2_sock_for(family)) == NULL)
		return -1;
	ssu2_endpoint(ssu2_sock_addr(sk), a);
	/* a wildcard bind says nothing of where we are */
	return memcmp(a->ip, zero, a->iplen) == 0 ? -1 : 0;
}

/* message 1's fields signed by cryptod: its answer sends it */
static void
pt_start(struct pt_test *x)
{
	struct ssu2_conn	*c;
	uint8_t			 buf[4 + SSU2_PT_SIGDATA_MAX];
	uint32_t		 keyid = KEYID_ROUTER;
	struct wbuf		 w;

	if ((c = ssu2_tester(x->family)) == NULL) {
		x->next = netd_now() + PT_FIRST;
		return;
	}
	memset(&x->t, 0, sizeof(x->t));
	if (pt_our_addr(x->family, &x->t.addr) == -1) {
		log_debug("SSU2 peer test (%s): our socket has no address of "
		    "its own (a wildcard bind): no test", fam_name(x->family));
		x->next = netd_now() + PT_INTERVAL;
		return;
	}
	memcpy(x->bob, c->s->hash, 32);
	crypto_random_fill(&x->nonce, sizeof(x->nonce));
	x->t.msg = 1;
	x->t.ver = SSU2_VERSION;
	x->t.nonce = x->nonce;
	x->t.ts = time(NULL);
	x->reqid = NETD_REQID_PTEST | (++pt_seq & NETD_REQID_SEQ);
	x->got4 = x->got5 = x->sent6 = 0;
	x->m5len = 0;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	wbuf_put_bytes(&w, &keyid, sizeof(keyid));
	if (ssu2_pt_sigdata(&w, x->bob, NULL, &x->t) == -1 ||
	    netd_send(PROC_CRYPTOD, IMSG_KEY_SIGN, x->reqid, buf,
	    wbuf_len(&w)) == -1) {
		x->next = netd_now() + PT_INTERVAL;
		return;
	}
	x->active = 1;
	x->deadline = netd_now() + PT_WAIT;
	x->st.run++;
	log_debug("SSU2 peer test (%s): nonce %u through %s",
	    fam_name(x->family), x->nonce, session_name(c->s));
}

static struct pt_test *
pt_by_reqid(uint32_t reqid)
{
	size_t	 i;

	for (i = 0; i < 2; i++)
		if (tests[i].active && tests[i].reqid == reqid)
			return &tests[i];
	return NULL;
}

void
ssu2_pt_signature(uint32_t reqid, const struct key_signature *ks)
{
	struct pt_test	*x;
	struct session	*s;

	if (s2pt_charlie_signature(reqid, ks))
		return;
	if ((x = pt_by_reqid(reqid)) == NULL)
		return;		/* the test ended meanwhile */
	x->reqid = 0;
	memcpy(x->sig, ks->sig, sizeof(x->sig));
	x->t.sig = x->sig;
	x->t.siglen = sizeof(x->sig);
	if ((s = session_by_hash(x->bob)) == NULL || s->ops != &ssu2_ops ||
	    s->state != SS_ESTABLISHED ||
	    s2data_control(s, &x->t) == -1) {
		pt_done(x, NET_REACH_UNKNOWN, "Bob went away");
		return;
	}
}

void
ssu2_pt_sign_error(uint32_t reqid)
{
	struct pt_test	*x;

	if (s2pt_charlie_sign_error(reqid))
		return;
	if ((x = pt_by_reqid(reqid)) != NULL)
		pt_done(x, NET_REACH_UNKNOWN, "cryptod did not sign");
}

/* message 6 to Charlie, once both 4 and 5 are in */
static void
pt_send6(struct pt_test *x)
{
	const struct ssu2_local	*l = riaddr_get_ssu2();
	struct ssu2_sock	*sk = ssu2_sock_for(x->family);
	struct ssu2_addr	 a;
	uint8_t			 pkt[SSU2_PKT_MAX];
	struct wbuf		 w;
	uint32_t		 pn;

	if (!x->got4 || !x->got5 || x->sent6 || l == NULL || sk == NULL)
		return;
	x->sent6 = 1;
	x->m5t.msg = 6;
	ssu2_endpoint(&x->charlie, &a);
	crypto_random_fill(&pn, sizeof(pn));
	wbuf_init_fixed(&w, pkt, sizeof(pkt));
	if (ssu2_pt_seal(l->netid, x->charlie_ik, pn, &x->m5t, &a,
	    time(NULL), &w) == 0)
		ssu2_send(sk, &x->charlie, pkt, wbuf_len(&w));
}

/* Charlie, as message 4 names him: signed, with an SSU2 address */
static int
pt_charlie(struct pt_test *x, const struct ssu2_peertest *t,
    const uint8_t *ri, size_t rilen)
{
	struct router_info	*r;
	int			 rv = -1;

	if (ri == NULL || (r = malloc(sizeof(*r))) == NULL)
		return -1;
	if (ri_parse(r, ri, rilen, NULL) == 0 && ri_verify(r, NULL) == 0 &&
	    memcmp(r->ident.hash, t->hash, 32) == 0 &&
	    ssu2_pt_verify(&r->ident, x->bob, riaddr_local_hash(), t) == 0 &&
	    riaddr_ssu2_peer(r, x->family, &x->charlie, x->charlie_ik) == 0)
		rv = 0;
	free(r);
	/* what Charlie signed must be our test as we sent it */
	if (rv == 0 && (t->addr.iplen != x->t.addr.iplen ||
	    t->addr.port != x->t.addr.port ||
	    memcmp(t->addr.ip, x->t.addr.ip, t->addr.iplen) != 0))
		rv = -1;
	return rv;
}

/* message 4 from Bob over s: his (or Charlie's) answer */
static void
pt_msg4(struct session *s, const struct ssu2_peertest *t,
    const uint8_t *ri, size_t rilen)
{
	struct pt_test	*x;
	size_t		 i;

	for (i = 0; i < 2; i++) {
		x = &tests[i];
		if (x->active && x->reqid == 0 && !x->got4 &&
		    x->nonce == t->nonce && memcmp(x->bob, s->hash, 32) == 0)
			break;
	}
	if (i == 2)
		return;
	if (t->code != 0) {
		log_debug("SSU2 peer test (%s): code %u", fam_name(x->family),
		    t->code);
		pt_done(x, NET_REACH_UNKNOWN, t->code < 64 ?
		    "Bob refused" : "Charlie refused");
		return;
	}
	if (pt_charlie(x, t, ri, rilen) == -1) {
		pt_done(x, NET_REACH_UNKNOWN, "Charlie unverified");
		return;
	}
	x->got4 = 1;
	x->deadline = netd_now() + PT_WAIT;
	pt_send6(x);
}

void
s2pt_block(struct session *s, const uint8_t *body, size_t len,
    const uint8_t *ri, size_t rilen)
{
	struct ssu2_blk	 b;

	if (ssu2_blk_parse(SSU2_B_PEER_TEST, body, len, &b) != 0)
		return;
	switch (b.u.peertest.msg) {
	case 2:
		s2pt_charlie_msg2(s, &b.u.peertest, ri, rilen);
		break;
	case 4:
		pt_msg4(s, &b.u.peertest, ri, rilen);
		break;
	default:
		/* Bob's part (1 and 3) is not done yet */
		ssu2_stats.pt_ignored++;
		break;
	}
}

/* the test whose nonce gives that connection ID to Alice */
static struct pt_test *
pt_by_id(uint64_t id)
{
	uint64_t	 dst, src;
	size_t		 i;

	for (i = 0; i < 2; i++) {
		if (!tests[i].active)
			continue;
		ssu2_nonce_ids(tests[i].nonce, &dst, &src);
		if (dst == id)
			return &tests[i];
	}
	return NULL;
}

/* message 5 (Charlie reached us) or 7 */
static void
pt_oob(struct pt_test *x, const struct ssu2_pt_msg *m)
{
	struct wbuf	 w;

	if (m->pt.msg == 7 || x->got5)
		return;		/* 7: the test is already decided */
	/* keep what Charlie signed, to echo in message 6 */
	wbuf_init_fixed(&w, x->m5, sizeof(x->m5));
	if (ssu2_peertest_signed(&w, &m->pt) == -1 ||
	    m->pt.siglen > sizeof(x->m5) - wbuf_len(&w))
		return;
	x->m5t = m->pt;
	x->m5t.sig = x->m5 + wbuf_len(&w);
	memcpy(x->m5 + wbuf_len(&w), m->pt.sig, m->pt.siglen);
	x->got5 = 1;
	pt_send6(x);
	pt_done(x, NET_REACH_OK, "Charlie reached us");
}

int
s2pt_packet(struct ssu2_sock *sk, const struct sockaddr_storage *ss,
    const uint8_t *pkt, size_t len, uint64_t id)
{
	const struct ssu2_local	*l = riaddr_get_ssu2();
	struct ssu2_pt_msg	*m;
	struct pt_test		*x;

	if (s2pt_charlie_packet(sk, ss, pkt, len, id))
		return 1;
	if ((x = pt_by_id(id)) == NULL || x->family != ss->ss_family)
		return 0;
	if ((m = malloc(sizeof(*m))) == NULL)
		return 1;
	if (ssu2_pt_open(pkt, len, l->intro_key, l->netid, m) == 0 &&
	    m->pt.nonce == x->nonce)
		pt_oob(x, m);
	else
		ssu2_stats.dropped++;
	free(m);
	return 1;
}

static void
pt_tick(int fd, short ev, void *arg)
{
	struct timeval	 tv = { 1, 0 };
	struct pt_test	*x;
	int64_t		 now = netd_now();
	size_t		 i;

	for (i = 0; i < 2; i++) {
		x = &tests[i];
		if (ssu2_sock_for(x->family) == NULL ||
		    riaddr_get_ssu2() == NULL)
			continue;
		if (x->active && x->deadline != 0 && now >= x->deadline)
			pt_done(x, x->got4 ? NET_REACH_FIREWALLED :
			    NET_REACH_UNKNOWN, x->got4 ? "no message 5" :
			    "no answer from Bob");
		else if (!x->active && now >= x->next)
			pt_start(x);
	}
	evtimer_add(&pt_ev, &tv);
}

void
ssu2_pt_init(void)
{
	struct timeval	 tv = { 1, 0 };

	if (pt_ev_set)
		return;
	tests[0].next = tests[1].next = netd_now() + PT_FIRST;
	evtimer_set(&pt_ev, pt_tick, NULL);
	evtimer_add(&pt_ev, &tv);
	pt_ev_set = 1;
}
