/*
 * Network test of netd's session limits (audit #5), for
 * tests/interop/sessions.sh: one host completes NTCP2 handshakes with
 * i2prd and holds the sessions, as an attacker filling the session
 * table would.
 *
 *   session_probe ROUTER.INFO HOST OTHER FILL HOLD
 *
 * From HOST: four sessions with one identity (two are held, the others
 * ended with a termination: two sessions per router), then fresh
 * identities until HOST holds its eight sessions (the rest refused).
 * From OTHER: one more, which must be held.  Then from FILL, FILL + 1,
 * ...: eight sessions each until an inbound connection is refused for
 * want of a slot (the script runs i2prd with a small descriptor
 * limit).  Then i2prd must still be able to dial: over a held session
 * it gets the RouterInfo of another identity of ours, at HOST port
 * 30001 where we listen, and a lookup to answer to that identity;
 * the answer makes it dial us although every inbound slot is taken.
 * Everything is then held for HOLD seconds while the script reads
 * i2prd's counters ("holding" says when), and closed.
 *
 * Run it only inside a network namespace (tests/interop/sessions.sh):
 * it connects to nothing but the address in the given router.info.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "testpeer.h"
#include "../../netd/netd.h"
#include "../../routerd/dsm.h"

#define CONNS_MAX	128
#define FILL_ADDRS	10	/* FILL .. FILL + 9 */
#define SAME_ID		4	/* sessions with one identity */
#define OUR_PORT	30000	/* in our RouterInfos; nobody listens */
#define BOB_PORT	30001	/* where the dial comes */
/* a termination follows message 3 at once; nothing means held */
#define SETTLE_MS	300
#define DIAL_WAIT_MS	20000

enum outcome {
	HELD,		/* handshake done, no termination */
	ENDED,		/* a termination (or a close) after message 3 */
	REFUSED,	/* closed before message 2: refused at accept */
	FAILED		/* anything else */
};

struct target {
	struct ntcp2_remote	 rem;
	char			 host[64];
	unsigned		 port;
};

static struct {
	int			 fd;
	struct ntcp2_session	 s;
} conns[CONNS_MAX];
static int	 nconns, failures;
static struct tp_me	 me;

static void
ok(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	if (!cond)
		failures++;
}

static void
fatal(const char *what)
{
	printf("not ok - %s\nprobe: %d failed\n", what, failures + 1);
	exit(1);
}

static int
term_cb(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	int	*ended = arg;

	if (type == NTCP2_B_TERMINATION)
		*ended = 1;
	return 0;
}

/* whether the router ends the session just made: 1 ended, 0 held */
static int
ended(int fd, struct ntcp2_session *s)
{
	static uint8_t	 buf[NTCP2_FRAME_MAX];
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	size_t		 plen;
	int		 term = 0;

	/* a held primary gets the router's RouterInfo first: read past */
	while (!term && poll(&pfd, 1, SETTLE_MS) == 1) {
		if (tp_read_frame(fd, s, buf, &plen, 2000) == -1)
			return 1;
		if (ntcp2_blocks(buf, plen, term_cb, &term) != 0)
			return 1;
	}
	return term;
}

static enum outcome
attempt(const struct target *t, const struct tp_me *id, const char *from)
{
	struct ntcp2_session	 s;
	struct tp_sizes		 sz;
	enum tp_step		 step;
	int			 fd;

	if (nconns == CONNS_MAX)
		fatal("more sessions than the probe holds");
	if ((fd = tp_dial(from, t->host, t->port)) == -1)
		return FAILED;
	step = tp_alice(fd, id, &t->rem, &s, &sz);
	if (step == TP_MSG1 || step == TP_MSG2) {
		close(fd);
		return REFUSED;
	}
	if (step != TP_DONE) {
		close(fd);
		return FAILED;
	}
	if (ended(fd, &s)) {
		close(fd);
		ntcp2_session_wipe(&s);
		return ENDED;
	}
	conns[nconns].fd = fd;
	conns[nconns].s = s;
	nconns++;
	return HELD;
}

static void
fresh(struct tp_me *id, const char *addr, unsigned port)
{
	if (tp_me_make(id, addr, port) == -1)
		fatal("a fresh identity");
}

/* one identity, SAME_ID sessions: two held, the others ended */
static void
same_identity(const struct target *t, const char *host)
{
	int	 i, held = 0, ended = 0;
	char	 what[128];

	fresh(&me, host, OUR_PORT);
	for (i = 0; i < SAME_ID; i++) {
		switch (attempt(t, &me, host)) {
		case HELD:
			held++;
			break;
		case ENDED:
			ended++;
			break;
		default:
			break;
		}
	}
	printf("    one identity from %s: %d held, %d ended\n", host, held,
	    ended);
	snprintf(what, sizeof(what), "one router: %d sessions held, the "
	    "other %d ended with a termination", NETD_SESS_PER_HASH,
	    SAME_ID - NETD_SESS_PER_HASH);
	ok(held == NETD_SESS_PER_HASH && ended == SAME_ID - held, what);
}

/* fresh identities from host until it holds its share, and two more */
static void
one_host(const struct target *t, const char *host)
{
	struct tp_me	 id;
	int		 i, held = 0, refused = 0;
	int		 want = NETD_EST_PER_SRC - NETD_SESS_PER_HASH;
	char		 what[128];

	for (i = 0; i < want + 2; i++) {
		fresh(&id, host, OUR_PORT);
		switch (attempt(t, &id, host)) {
		case HELD:
			held++;
			break;
		case ENDED:
		case REFUSED:
			refused++;
			break;
		default:
			break;
		}
	}
	crypto_wipe(&id, sizeof(id));
	printf("    fresh identities from %s: %d held, %d refused\n", host,
	    held, refused);
	snprintf(what, sizeof(what), "one address: %d sessions in all, "
	    "then refused", NETD_EST_PER_SRC);
	ok(held == want && refused == 2, what);
}

static void
other_host(const struct target *t, const char *other)
{
	struct tp_me	 id;

	fresh(&id, other, OUR_PORT);
	ok(attempt(t, &id, other) == HELD,
	    "another address still gets a session");
	crypto_wipe(&id, sizeof(id));
}

/* 8 sessions from each address until a connection is refused */
static void
fill(const struct target *t, const char *first)
{
	struct tp_me	 id;
	struct in_addr	 a;
	char		 addr[INET_ADDRSTRLEN];
	int		 i, n, held = 0, refused = 0;

	if (inet_pton(AF_INET, first, &a) != 1)
		fatal("FILL address");
	for (n = 0; n < FILL_ADDRS && !refused; n++) {
		inet_ntop(AF_INET, &a, addr, sizeof(addr));
		for (i = 0; i < NETD_EST_PER_SRC && !refused; i++) {
			fresh(&id, addr, OUR_PORT);
			if (attempt(t, &id, addr) == HELD)
				held++;
			else
				refused++;
		}
		a.s_addr = htonl(ntohl(a.s_addr) + 1);
	}
	printf("    filling from %s on: %d more held, then refused\n", first,
	    held);
	ok(refused == 1, "inbound connections refused once the slots "
	    "but the reserve are taken");
	/* a new address fares no better */
	inet_ntop(AF_INET, &a, addr, sizeof(addr));
	fresh(&id, addr, OUR_PORT);
	ok(attempt(t, &id, addr) == REFUSED, "refused from a new address "
	    "too");
	crypto_wipe(&id, sizeof(id));
}

/* Y's RouterInfo, then a lookup answered to Y: the router must dial */
static void
ask_for_dial(const struct target *t, const struct tp_me *y)
{
	uint8_t		 buf[DSM_RI_MAX + 128];
	struct wbuf	 w;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (dsm_build_ri(&w, y->local.hash, y->ri, y->local.rilen, 0, 0,
	    NULL) == -1 || tp_send_i2np(conns[0].fd, &conns[0].s,
	    I2NP_DATABASE_STORE, buf, wbuf_len(&w)) == -1)
		fatal("DatabaseStore of our other RouterInfo");
	wbuf_init_fixed(&w, buf, sizeof(buf));
	wbuf_put_bytes(&w, t->rem.hash, 32);
	wbuf_put_bytes(&w, y->local.hash, 32);	/* reply to Y */
	wbuf_put_u8(&w, 0x08);			/* RouterInfo, direct */
	wbuf_put_u16(&w, 0);			/* no excluded peers */
	if (wbuf_error(&w) || tp_send_i2np(conns[0].fd, &conns[0].s,
	    I2NP_DATABASE_LOOKUP, buf, wbuf_len(&w)) == -1)
		fatal("DatabaseLookup");
}

static void
dial_reserve(const struct target *t, const char *host)
{
	struct tp_me	 y;
	struct pollfd	 pfd;
	int		 lfd, fd;

	fresh(&y, host, BOB_PORT);
	if ((lfd = tp_listen(host, BOB_PORT)) == -1)
		fatal("listen on our address");
	ask_for_dial(t, &y);
	pfd.fd = lfd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, DIAL_WAIT_MS) != 1 ||
	    (fd = accept(lfd, NULL, NULL)) == -1) {
		ok(0, "i2prd dials out while every inbound slot is taken");
		close(lfd);
		return;
	}
	if (tp_bob(fd, &y, &conns[nconns].s) == -1) {
		ok(0, "i2prd dials out while every inbound slot is taken "
		    "(handshake)");
		close(fd);
	} else {
		ok(1, "i2prd dials out while every inbound slot is taken");
		conns[nconns++].fd = fd;
	}
	close(lfd);
	crypto_wipe(&y, sizeof(y));
}

int
main(int argc, char *argv[])
{
	struct target	 t;
	int		 i, hold;

	if (argc != 6) {
		fprintf(stderr, "usage: session_probe router.info host other "
		    "fill hold\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* a refused connection is closed under our first write */
	signal(SIGPIPE, SIG_IGN);
	hold = atoi(argv[5]);
	if (crypto_init() == -1)
		fatal("crypto_init");
	if (tp_remote_load(argv[1], &t.rem, t.host, sizeof(t.host),
	    &t.port) == -1)
		fatal("i2prd's RouterInfo verifies and has an NTCP2 address");
	printf("    i2prd at %s port %u\n", t.host, t.port);

	same_identity(&t, argv[2]);
	one_host(&t, argv[2]);
	other_host(&t, argv[3]);
	fill(&t, argv[4]);
	dial_reserve(&t, argv[2]);

	printf("    holding %d sessions for %d s\n", nconns, hold);
	sleep(hold);
	for (i = 0; i < nconns; i++)
		tp_goodbye(conns[i].fd, &conns[i].s, NTCP2_R_NORMAL);
	crypto_wipe(&me, sizeof(me));
	printf("probe: %d failed\n", failures);
	return failures == 0 ? 0 : 1;
}
