/*
 * libFuzzer target: the ratchet's message parsing against session
 * state (tunneld/ratchet_*.c).  Each input starts two parties afresh,
 * through NS, NSR and ES; its first byte picks what it is fed to:
 *   0  a New Session to Bob, all three steps
 *   1  a message to Bob's session, tag and all as given
 *   2  a message under one of Bob's live tags (the second byte picks
 *      which), the rest as given: the AEAD must refuse it
 *   3  a decrypted ES payload acted on by Bob's session (NextKey, ACK
 *      requests, Termination), then ES both ways: the sessions may
 *      have parted, but nothing may break and tags stay bounded
 * Checked beyond the sanitizers: refusals leave the output empty, the
 * tag map never exceeds the windows' bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "garlicblk.h"
#include "../../tunneld/ratchet.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

FUZZ_INIT_DEFAULT

#define T0	1790000000

struct party {
	uint8_t			 priv[32], pub[32];
	struct ratchet_session	*s;
	size_t			 ntags;
};

static struct party	 alice, bob;
static int		 ready;

static void
count(void *arg, struct ratchet_session *s, const uint8_t tag[8], int add)
{
	struct party	*p = arg;

	(void)s;
	(void)tag;
	if (add)
		p->ntags++;
	else if (p->ntags-- == 0)
		abort();
	if (p->ntags > 3 * RATCHET_RING + RATCHET_NS_MAX * 2 *
	    RATCHET_NSR_WINDOW)
		abort();
}

static int
seal(struct party *from, const struct party *to, uint8_t *out, size_t cap,
    size_t *len)
{
	uint8_t		 ss[32];
	struct wbuf	 w;

	if (x25519(ss, from->priv, to->pub) == -1)
		abort();
	wbuf_init_fixed(&w, out, cap);
	if (ratchet_seal(from->s, ss, NULL, 0, &w, NULL, T0) == -1)
		return -1;
	*len = wbuf_len(&w);
	return 0;
}

static int
open_at(struct party *p, const uint8_t *m, size_t len)
{
	uint8_t			 pl[RATCHET_MSG_MAX], dh[32];
	struct ratchet_rx	 rx;
	struct wbuf		 w;
	int			 rv;

	wbuf_init_fixed(&w, pl, sizeof(pl));
	rv = ratchet_open(p->s, m, len, NULL, &w, &rx, T0);
	if (rv == RATCHET_NEED_DH) {
		if (x25519(dh, p->priv, rx.dh_pub) == -1)
			return -1;
		rv = ratchet_open(p->s, m, len, dh, &w, &rx, T0);
	}
	if (rv == -1 && wbuf_len(&w) != 0)
		abort();
	return rv;
}

static int
bob_ns(const uint8_t *m, size_t len, int keep)
{
	struct ratchet_ns_in	 in;
	uint8_t			 aepk[32], apk[32], dh[32], pl[RATCHET_MSG_MAX];
	struct wbuf		 w;
	int			 bound;

	wbuf_init_fixed(&w, pl, sizeof(pl));
	if (ratchet_ns_begin(&in, bob.pub, m, len, NULL, T0, aepk) == -1)
		return -1;
	if (x25519(dh, bob.priv, aepk) == -1 ||
	    (bound = ratchet_ns_static(&in, m, len, dh, apk)) == -1)
		return -1;
	if (bound && x25519(dh, bob.priv, apk) == -1)
		return -1;
	if (ratchet_ns_finish(&in, m, len, bound ? dh : NULL, NULL, &w,
	    T0) == -1) {
		if (wbuf_len(&w) != 0)
			abort();
		return -1;
	}
	if (keep && (bob.s = ratchet_in_new(&in, count, &bob, T0)) == NULL)
		abort();
	return 0;
}

static void
start(void)
{
	uint8_t	 m[512];
	size_t	 len;

	alice.s = ratchet_out_new(alice.pub, bob.pub, count, &alice, T0);
	if (alice.s == NULL || seal(&alice, &bob, m, sizeof(m), &len) == -1 ||
	    bob_ns(m, len, 1) == -1 ||
	    seal(&bob, &alice, m, sizeof(m), &len) == -1 ||
	    open_at(&alice, m, len) != 0 ||
	    seal(&alice, &bob, m, sizeof(m), &len) == -1 ||
	    open_at(&bob, m, len) != 0)
		abort();
}

static void
stop(void)
{
	ratchet_free(alice.s);
	ratchet_free(bob.s);
	alice.s = bob.s = NULL;
	if (alice.ntags != 0 || bob.ntags != 0)
		abort();
}

/* a live tag of Bob's receive tag set */
static const uint8_t *
some_tag(uint8_t pick)
{
	struct rt_tagset	*ts = &bob.s->recv[0];

	return ts->ring[pick % ts->ringsz].live ?
	    ts->ring[pick % ts->ringsz].tag : NULL;
}

static void
act(const uint8_t *p, size_t len)
{
	struct ratchet_rx	 rx;
	uint8_t			 m[1024];
	size_t			 mlen;
	int			 i;

	memset(&rx, 0, sizeof(rx));
	rx.kind = RATCHET_MSG_ES;
	rt_session_blocks(bob.s, p, len, &rx, T0);
	for (i = 0; i < 3; i++) {
		if (seal(&bob, &alice, m, sizeof(m), &mlen) == 0)
			open_at(&alice, m, mlen);
		if (seal(&alice, &bob, m, sizeof(m), &mlen) == 0)
			open_at(&bob, m, mlen);
	}
	ratchet_expire(bob.s, T0 + RATCHET_OLD_TAGSET + 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const uint8_t	*tag;
	uint8_t		*m;

	if (!ready) {
		if (crypto_init() == -1 ||
		    x25519_keygen(alice.priv, alice.pub) == -1 ||
		    x25519_keygen(bob.priv, bob.pub) == -1)
			abort();
		ready = 1;
	}
	if (len < 2 || len > RATCHET_MSG_MAX)
		return 0;
	start();
	switch (data[0] % 4) {
	case 0:
		bob_ns(data + 1, len - 1, 0);
		break;
	case 1:
		open_at(&bob, data + 1, len - 1);
		break;
	case 2:
		if ((tag = some_tag(data[1])) == NULL ||
		    (m = malloc(len + RATCHET_TAG_LEN)) == NULL)
			break;
		memcpy(m, tag, RATCHET_TAG_LEN);
		memcpy(m + RATCHET_TAG_LEN, data + 2, len - 2);
		if (open_at(&bob, m, len - 2 + RATCHET_TAG_LEN) != -1)
			abort();
		free(m);
		break;
	case 3:
		act(data + 1, len - 1);
		break;
	}
	stop();
	return 0;
}
