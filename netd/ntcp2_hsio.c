/*
 * The NTCP2 handshake around ntcp2_hs.c: reading each message as its
 * length becomes known, and the one DH with our static key each side
 * needs, which cryptod computes (IMSG_KEY_DH, our session id as the
 * request id).  The session does not read while it waits for cryptod.
 * The static key is the NTCP2 key (KEYID_NTCP2, published as "s"), not
 * the identity's: cryptod lets netd DH with that one alone (audit #9).
 *
 * Bob and probing (ntcp2.rst, "Probing resistance"): a message 1 that
 * does not decrypt, names another network, carries a replayed key or
 * is otherwise wrong is not answered and not closed at once: the
 * session drains a random number of bytes or waits a random few
 * seconds (ntcp2_probe), so a prober learns nothing from timing or
 * from how many bytes close the connection.  Keys of valid messages 1
 * go into the replay filter.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "log.h"
#include "netd.h"
#include "ntcp2_io.h"

/* messages 1 and 2 with the largest padding we or i2pd send */
#define HS_MSG12_MAX	(NTCP2_MSG1_LEN + NTCP2_PAD_MAX)
/* message 3: part 1, the RouterInfo, block headers, padding, tag */
#define HS_MSG3_MAX	(NTCP2_MSG3P1_LEN + NET_RI_MAX + 1024)

static int
hs_fail(struct session *s, const char *what)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	log_debug("session %s: %s failed (reason %d)", session_name(s), what,
	    c->hs != NULL ? (int)ntcp2_hs_reason(c->hs) : -1);
	session_close(s, NET_DOWN_DIAL_FAILED, c->hs != NULL ?
	    ntcp2_hs_reason(c->hs) : 0);
	return -1;
}

/* the data phase begins: its first frame's length is next */
static int
hs_done(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	ntcp2_hs_done(c);
	c->framelen = 0;
	c->need = 2;
	return session_established(s);
}

/* asks cryptod for DH(our static key, pub) and waits for it */
static int
hs_ask_dh(struct session *s, const uint8_t pub[32], enum ntcp2_step next)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	struct key_dh_req	 req;

	memset(&req, 0, sizeof(req));
	req.keyid = KEYID_NTCP2;
	memcpy(req.peer_pub, pub, sizeof(req.peer_pub));
	if (netd_send(PROC_CRYPTOD, IMSG_KEY_DH, s->id, &req,
	    sizeof(req)) == -1)
		return hs_fail(s, "asking cryptod");
	c->step = next;
	c->need = 0;
	conn_read_enable(s, 0);
	return 0;
}

int
hs_alice_start(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	struct wbuf		 w;
	uint8_t			*p;

	/* message 3, our RouterInfo included, is fixed here */
	if ((c->hs = ntcp2_hs_new()) == NULL ||
	    (p = conn_out_reserve(s, HS_MSG12_MAX)) == NULL)
		return hs_fail(s, "message 1");
	wbuf_init_fixed(&w, p, HS_MSG12_MAX);
	if (ntcp2_alice_start(c->hs, riaddr_get_local(), &c->remote, &w) !=
	    NTCP2_OK)
		return hs_fail(s, "message 1");
	c->outlen += wbuf_len(&w);
	c->step = N2_A_MSG2;
	c->need = NTCP2_MSG2_LEN;
	conn_read_enable(s, 1);
	return 0;
}

static int
hs_alice_msg2(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	size_t			 padlen;

	if (ntcp2_alice_msg2(c->hs, c->in + c->inoff, &padlen) != NTCP2_OK)
		return hs_fail(s, "message 2");
	c->inoff += NTCP2_MSG2_LEN;
	c->need = padlen;
	c->step = N2_A_MSG2PAD;
	return 0;
}

static int
hs_alice_msg2pad(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	uint8_t			 pub[32];
	size_t			 padlen = c->need;

	if (ntcp2_alice_msg2_padding(c->hs, c->in + c->inoff, padlen, pub) !=
	    NTCP2_NEED_DH)
		return hs_fail(s, "message 2 padding");
	c->inoff += padlen;
	return hs_ask_dh(s, pub, N2_A_DH);
}

static void
hs_alice_msg3(struct session *s, const uint8_t dh[32])
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	struct wbuf		 w;
	uint8_t			*p;
	size_t			 max = HS_MSG3_MAX;

	if ((p = conn_out_reserve(s, max)) == NULL) {
		hs_fail(s, "message 3");
		return;
	}
	wbuf_init_fixed(&w, p, max);
	if (ntcp2_alice_msg3(c->hs, dh, &w, &c->keys) != NTCP2_OK) {
		hs_fail(s, "message 3");
		return;
	}
	c->outlen += wbuf_len(&w);
	hs_done(s);
}

void
hs_bob_start(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	if ((c->hs = ntcp2_hs_new()) == NULL) {
		session_close(s, NET_DOWN_ERROR, 0);
		return;
	}
	c->step = N2_B_MSG1;
	c->need = NTCP2_MSG1_LEN;
	conn_read_enable(s, 1);
}

static int
hs_bob_msg1(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	uint8_t			 pub[32];

	if (ntcp2_bob_msg1(c->hs, riaddr_get_local(), c->in + c->inoff,
	    pub) != NTCP2_NEED_DH) {
		ntcp2_probe(s);
		return 0;
	}
	if (replay_seen(session_replay(), ntcp2_bob_ephemeral(c->hs),
	    netd_now())) {
		log_info("session %s: replayed message 1", session_name(s));
		ntcp2_probe(s);
		return 0;
	}
	c->inoff += NTCP2_MSG1_LEN;
	return hs_ask_dh(s, pub, N2_B_DH);
}

static void
hs_bob_dh(struct session *s, const uint8_t dh[32])
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	size_t			 padlen;

	if (ntcp2_bob_msg1_dh(c->hs, dh, &padlen) != NTCP2_OK) {
		log_debug("session %s: message 1 refused (reason %d)",
		    session_name(s), (int)ntcp2_hs_reason(c->hs));
		ntcp2_probe(s);
		return;
	}
	/*
	 * Seen again: the same message 1 on two connections at once.  Full
	 * of live keys: refuse rather than forget one.
	 */
	if (replay_seen(session_replay(), ntcp2_bob_ephemeral(c->hs),
	    netd_now()) || replay_add(session_replay(),
	    ntcp2_bob_ephemeral(c->hs), netd_now()) == -1) {
		log_info("session %s: replayed message 1 or filter full",
		    session_name(s));
		ntcp2_probe(s);
		return;
	}
	c->step = N2_B_MSG1PAD;
	c->need = padlen;
	conn_read_enable(s, 1);
	/* the padding may have arrived with message 1 */
	conn_input(s);
}

static int
hs_bob_msg1pad(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	struct wbuf		 w;
	uint8_t			*p;
	size_t			 padlen = c->need, msg3len;

	if ((p = conn_out_reserve(s, HS_MSG12_MAX)) == NULL)
		return hs_fail(s, "message 2");
	wbuf_init_fixed(&w, p, HS_MSG12_MAX);
	if (ntcp2_bob_msg1_padding(c->hs, c->in + c->inoff, padlen, &w,
	    &msg3len) != NTCP2_OK) {
		ntcp2_probe(s);
		return 0;
	}
	c->outlen += wbuf_len(&w);
	conn_kick(s);
	c->inoff += padlen;
	c->need = msg3len;
	c->step = N2_B_MSG3;
	return 0;
}

static int
hs_bob_msg3(struct session *s)
{
	struct ntcp2_conn		*c = NTCP2_CONN(s);
	const struct ntcp2_local	*l = riaddr_get_local();
	const uint8_t			*ri;
	size_t				 rilen, len = c->need;

	if (ntcp2_bob_msg3(c->hs, c->in + c->inoff, len, &c->keys, &ri,
	    &rilen) != NTCP2_OK)
		return hs_fail(s, "message 3");
	memcpy(s->hash, c->keys.remote_hash, sizeof(s->hash));
	if (memcmp(s->hash, l->hash, sizeof(s->hash)) == 0)
		return hs_fail(s, "message 3 (our own identity)");
	/* before SESSION_UP: routerd knows the router when it hears */
	session_peer_ri(s, ri, rilen);
	c->inoff += len;
	return hs_done(s);
}

int
hs_input(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	int			 r;

	/* until the step waits, or the handshake is over either way */
	while (s->state == SS_HANDSHAKE) {
		if (c->inlen - c->inoff < c->need)
			return 0;
		switch (c->step) {
		case N2_A_MSG2:
			r = hs_alice_msg2(s);
			break;
		case N2_A_MSG2PAD:
			r = hs_alice_msg2pad(s);
			break;
		case N2_B_MSG1:
			r = hs_bob_msg1(s);
			break;
		case N2_B_MSG1PAD:
			r = hs_bob_msg1pad(s);
			break;
		case N2_B_MSG3:
			r = hs_bob_msg3(s);
			break;
		default:
			/* connecting, or waiting for cryptod */
			return 0;
		}
		if (r == -1)
			return -1;
	}
	return 0;
}

void
hs_dh_result(struct session *s, const uint8_t shared[32])
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	if (s->state == SS_HANDSHAKE && c->step == N2_A_DH)
		hs_alice_msg3(s, shared);
	else if (s->state == SS_HANDSHAKE && c->step == N2_B_DH)
		hs_bob_dh(s, shared);
	else
		log_debug("session %s: DH result in state %d, step %d",
		    session_name(s), s->state, c != NULL ? (int)c->step : -1);
}

void
hs_dh_error(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	if (s->state != SS_HANDSHAKE)
		return;
	/* a low-order key in message 1 is a bad message 1 */
	if (c->step == N2_B_DH)
		ntcp2_probe(s);
	else if (c->step == N2_A_DH)
		hs_fail(s, "DH");
}

const char *
hs_step_name(enum ntcp2_step step)
{
	static const char *const names[] = {
		"connecting", "message 2", "message 2 padding", "DH (Alice)",
		"message 1", "DH (Bob)", "message 1 padding", "message 3"
	};

	if ((size_t)step >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[step];
}
