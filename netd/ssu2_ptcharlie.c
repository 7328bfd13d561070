/*
 * SSU2 Peer Test as Charlie (ssu2.rst "Peer Test"): Bob, a router we
 * have a session with, relays Alice's test (message 2, her RouterInfo
 * beside it).  We check her signature, sign the test ourselves
 * (cryptod), answer Bob (message 3, our code) and, if we accept, send
 * message 5 to the address Alice named, sealed with her intro key;
 * her message 6 there is answered with message 7.
 *
 * A stranger must not turn us into a packet cannon: message 5 goes to
 * an address someone else chose.  So at most PTC_PER_SRC tests per
 * minute for one Alice address (an IPv6 /64) and PTC_PER_MIN in all,
 * PTC_MAX in flight; beyond that Bob hears code 66 (limit exceeded) and
 * nothing goes to Alice.  A message 6 gets one message 7, and only for
 * a test in flight.
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

#define PTC_MAX		32	/* tests in flight */
#define PTC_TTL		30	/* s a test is kept for message 6 */
#define PTC_PER_MIN	32	/* tests accepted per minute, in all */
#define PTC_PER_SRC	4	/* ... for one Alice address or /64 */
#define PTC_SRCS	64	/* sources remembered this minute */
#define PTC_SKEW	120	/* s: Alice's time against ours */

/* codes of message 3 (ssu2.rst, Peer Test) */
#define PTC_ACCEPT		0
#define PTC_UNSPECIFIED		64
#define PTC_UNSUPPORTED		65
#define PTC_LIMIT		66
#define PTC_SIGNATURE		67
#define PTC_CONNECTED		68
#define PTC_UNKNOWN_ALICE	69

struct ptc {
	int			 used;
	uint32_t		 reqid;		/* 0: signed */
	int64_t			 expires;	/* netd_now() */
	uint8_t			 bob[32];
	uint8_t			 code;
	struct ssu2_peertest	 t;		/* the fields we sign */
	uint8_t			 sig[64];
	struct sockaddr_storage	 alice;
	uint8_t			 alice_ik[32];
	int			 answered;	/* message 7 sent */
};

static struct ptc	 ptcs[PTC_MAX];
static uint32_t		 ptc_seq;
/* this minute's tests, in all and per source */
static int64_t		 rate_minute;
static uint32_t		 rate_all;
static struct {
	uint8_t		 addr[16];
	uint32_t	 n;
} rate_src[PTC_SRCS];
static size_t		 rate_nsrc;

int
s2pt_charlie_rate(const struct sockaddr_storage *ss, int64_t now)
{
	uint8_t	 a[16];
	size_t	 i;

	if (now / 60 != rate_minute) {
		rate_minute = now / 60;
		rate_all = 0;
		rate_nsrc = 0;
	}
	if (srclimit_addr(ss, a) == -1 || rate_all >= PTC_PER_MIN)
		return -1;
	for (i = 0; i < rate_nsrc; i++)
		if (memcmp(rate_src[i].addr, a, 16) == 0)
			break;
	if (i == rate_nsrc) {
		if (rate_nsrc == PTC_SRCS)
			return -1;
		memcpy(rate_src[rate_nsrc++].addr, a, 16);
		rate_src[i].n = 0;
	}
	if (rate_src[i].n >= PTC_PER_SRC)
		return -1;
	rate_src[i].n++;
	rate_all++;
	return 0;
}

static struct ptc *
ptc_new(void)
{
	size_t	 i;

	for (i = 0; i < PTC_MAX; i++)
		if (ptcs[i].used && netd_now() >= ptcs[i].expires)
			ptcs[i].used = 0;
	for (i = 0; i < PTC_MAX; i++)
		if (!ptcs[i].used) {
			memset(&ptcs[i], 0, sizeof(ptcs[i]));
			ptcs[i].used = 1;
			ptcs[i].expires = netd_now() + PTC_TTL;
			return &ptcs[i];
		}
	return NULL;
}

/* the address Alice named, as a socket address */
static int
ptc_alice_ss(const struct ssu2_addr *a, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->iplen == 4) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(a->port);
		memcpy(&sin->sin_addr, a->ip, 4);
	} else if (a->iplen == 16) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(a->port);
		memcpy(&sin6->sin6_addr, a->ip, 16);
	} else
		return -1;
	return a->port == 0 ? -1 : 0;
}

/* Alice's RouterInfo and signature; her intro key into x */
static uint8_t
ptc_check_alice(struct ptc *x, const struct ssu2_peertest *t,
    const uint8_t *ri, size_t rilen)
{
	struct router_info	*r;
	struct sockaddr_storage	 ss;
	uint8_t			 code = PTC_UNKNOWN_ALICE;

	if (ri == NULL || (r = malloc(sizeof(*r))) == NULL)
		return PTC_UNKNOWN_ALICE;
	if (ri_parse(r, ri, rilen, NULL) == -1 || ri_verify(r, NULL) == -1 ||
	    memcmp(r->ident.hash, t->hash, 32) != 0)
		code = PTC_UNKNOWN_ALICE;
	else if (ssu2_pt_verify(&r->ident, x->bob, NULL, t) == -1)
		code = PTC_SIGNATURE;
	else if (riaddr_ssu2_peer(r, x->alice.ss_family, &ss,
	    x->alice_ik) == -1)
		code = PTC_UNSUPPORTED;
	else
		code = PTC_ACCEPT;
	free(r);
	return code;
}

/* the code of message 3 for Alice's test relayed by Bob over s */
static uint8_t
ptc_code(struct ptc *x, const struct ssu2_peertest *t, const uint8_t *ri,
    size_t rilen)
{
	struct session	*a;
	int64_t		 skew = (int64_t)t->ts - time(NULL);
	uint8_t		 code;

	if (t->ver != SSU2_VERSION || skew > PTC_SKEW || skew < -PTC_SKEW)
		return PTC_UNSPECIFIED;
	if (ptc_alice_ss(&t->addr, &x->alice) == -1 ||
	    ssu2_sock_for(x->alice.ss_family) == NULL)
		return PTC_UNSUPPORTED;
	if ((code = ptc_check_alice(x, t, ri, rilen)) != PTC_ACCEPT)
		return code;
	/* a session with her would let her datagram in anyway */
	if ((a = session_by_hash(t->hash)) != NULL && a->ops == &ssu2_ops)
		return PTC_CONNECTED;
	if (s2pt_charlie_rate(&x->alice, netd_now()) == -1)
		return PTC_LIMIT;
	return PTC_ACCEPT;
}

void
s2pt_charlie_msg2(struct session *s, const struct ssu2_peertest *t,
    const uint8_t *ri, size_t rilen)
{
	uint8_t		 buf[4 + SSU2_PT_SIGDATA_MAX];
	uint32_t	 keyid = KEYID_ROUTER;
	struct wbuf	 w;
	struct ptc	*x;

	if ((x = ptc_new()) == NULL) {
		ssu2_stats.pt_ignored++;	/* Bob will time out */
		return;
	}
	memcpy(x->bob, s->hash, 32);
	x->code = ptc_code(x, t, ri, rilen);
	x->t = *t;
	x->t.sig = NULL;
	x->t.siglen = 0;
	x->reqid = NETD_REQID_PTEST | NETD_REQID_CHARLIE |
	    (++ptc_seq & NETD_REQID_SEQ);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	wbuf_put_bytes(&w, &keyid, sizeof(keyid));
	if (ssu2_pt_sigdata(&w, x->bob, t->hash, &x->t) == -1 ||
	    netd_send(PROC_CRYPTOD, IMSG_KEY_SIGN, x->reqid, buf,
	    wbuf_len(&w)) == -1)
		x->used = 0;
	log_debug("SSU2 peer test as Charlie: nonce %u from %s, code %u",
	    t->nonce, session_name(s), x->code);
}

static struct ptc *
ptc_by_reqid(uint32_t reqid)
{
	size_t	 i;

	for (i = 0; i < PTC_MAX; i++)
		if (ptcs[i].used && ptcs[i].reqid == reqid)
			return &ptcs[i];
	return NULL;
}

/* message 5 to Alice, with her intro key, IDs from the nonce */
static void
ptc_send5(struct ptc *x)
{
	const struct ssu2_local	*l = riaddr_get_ssu2();
	struct ssu2_sock	*sk = ssu2_sock_for(x->alice.ss_family);
	struct ssu2_peertest	 t = x->t;
	uint8_t			 pkt[SSU2_PKT_MAX];
	struct wbuf		 w;
	uint32_t		 pn;

	if (l == NULL || sk == NULL)
		return;
	t.msg = 5;
	t.code = 0;
	crypto_random_fill(&pn, sizeof(pn));
	wbuf_init_fixed(&w, pkt, sizeof(pkt));
	if (ssu2_pt_seal(l->netid, x->alice_ik, pn, &t, NULL, time(NULL),
	    &w) == 0)
		ssu2_send(sk, &x->alice, pkt, wbuf_len(&w));
}

int
s2pt_charlie_signature(uint32_t reqid, const struct key_signature *ks)
{
	struct ssu2_peertest	 t;
	struct session		*bob;
	struct ptc		*x;

	if ((x = ptc_by_reqid(reqid)) == NULL)
		return 0;
	x->reqid = 0;
	memcpy(x->sig, ks->sig, sizeof(x->sig));
	x->t.sig = x->sig;
	x->t.siglen = sizeof(x->sig);
	t = x->t;
	t.msg = 3;
	t.code = x->code;
	if ((bob = session_by_hash(x->bob)) != NULL &&
	    bob->ops == &ssu2_ops && bob->state == SS_ESTABLISHED)
		(void)s2data_control(bob, &t);
	if (x->code == PTC_ACCEPT) {
		ptc_send5(x);
		ssu2_stats.pt_charlie++;
	} else
		x->used = 0;
	return 1;
}

int
s2pt_charlie_sign_error(uint32_t reqid)
{
	struct ptc	*x;

	if ((x = ptc_by_reqid(reqid)) == NULL)
		return 0;
	x->used = 0;
	return 1;
}

/* message 6 from Alice: message 7 back, once */
int
s2pt_charlie_packet(struct ssu2_sock *sk, const struct sockaddr_storage *ss,
    const uint8_t *pkt, size_t len, uint64_t id)
{
	const struct ssu2_local	*l = riaddr_get_ssu2();
	struct ssu2_pt_msg	*m;
	struct ssu2_addr	 a;
	struct wbuf		 w;
	uint64_t		 dst, src;
	uint8_t			 out[SSU2_PKT_MAX];
	uint32_t		 pn;
	size_t			 i;

	for (i = 0; i < PTC_MAX; i++) {
		if (!ptcs[i].used || ptcs[i].reqid != 0 ||
		    netd_now() >= ptcs[i].expires)
			continue;
		ssu2_nonce_ids(ptcs[i].t.nonce, &src, &dst);
		if (dst == id)
			break;
	}
	if (i == PTC_MAX)
		return 0;
	if ((m = malloc(sizeof(*m))) == NULL)
		return 1;
	if (ssu2_pt_open(pkt, len, l->intro_key, l->netid, m) == 0 &&
	    m->pt.msg == 6 && m->pt.nonce == ptcs[i].t.nonce &&
	    !ptcs[i].answered) {
		ptcs[i].answered = 1;
		m->pt.msg = 7;
		ssu2_endpoint(ss, &a);
		crypto_random_fill(&pn, sizeof(pn));
		wbuf_init_fixed(&w, out, sizeof(out));
		if (ssu2_pt_seal(l->netid, ptcs[i].alice_ik, pn, &m->pt, &a,
		    time(NULL), &w) == 0)
			ssu2_send(sk, ss, out, wbuf_len(&w));
	} else
		ssu2_stats.dropped++;
	free(m);
	return 1;
}
