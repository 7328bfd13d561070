/*
 * The SSU2 handshake around ssu2_hs.c.  Alice: Token Request, Retry,
 * Session Request, Session Created, cryptod's "se", Session Confirmed
 * in one or two packets.  Bob: the Session Request (its token already
 * checked by ssu2_sock.c), cryptod's "es", Session Created, then the
 * Confirmed fragments.  cryptod gets our session id as request id; the
 * static key is the NTCP2 one (KEYID_NTCP2), which SSU2 publishes too.
 *
 * Each side keeps the last packets it sent and sends them again, the
 * same bytes, every SSU2_HS_RESEND_MS until the answer comes (at most
 * SSU2_HS_RESENDS times; the session layer's NETD_HS_TIMEOUT ends it
 * anyway): Alice her Token Request, Request or Confirmed, Bob his
 * Created, also when Alice's Request comes again.  Alice keeps her
 * Confirmed after the session is up, until Bob's first data packet
 * says he has it (s2data_input).
 *
 * A datagram that does not open changes nothing (ssu2_hs.c returns
 * SSU2_AGAIN): it is dropped and counted, so a spoofed packet cannot
 * end a handshake.  Bob's X goes into the replay filter NTCP2's message
 * 1 keys use, once the DH showed the request genuine.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "log.h"
#include "netd.h"
#include "ssu2_io.h"

static void
hs_fail(struct session *s, const char *what)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	uint32_t		 why = c->hs != NULL ? ssu2_hs_reason(c->hs) : 0;

	log_debug("session %s: SSU2 %s failed (reason %u)", session_name(s),
	    what, why);
	session_close(s, s->inbound ? NET_DOWN_ERROR : NET_DOWN_DIAL_FAILED,
	    why);
}

/* keeps the packets to send again, and sends them */
static int
hs_keep(struct session *s, const struct wbuf *w0, const struct wbuf *w1)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	const struct wbuf	*w[2] = { w0, w1 };
	int			 i;

	for (i = 0; i < 2; i++) {
		free(c->hspkt[i]);
		c->hspkt[i] = NULL;
		c->hslen[i] = 0;
		if (w[i] == NULL || wbuf_len(w[i]) == 0)
			continue;
		if ((c->hspkt[i] = malloc(wbuf_len(w[i]))) == NULL)
			return -1;
		memcpy(c->hspkt[i], wbuf_data(w[i]), wbuf_len(w[i]));
		c->hslen[i] = wbuf_len(w[i]);
	}
	c->hs_resends = 0;
	return 0;
}

/* the kept packets once more */
static void
hs_resend(struct session *s)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	int			 i;

	for (i = 0; i < 2; i++)
		if (c->hspkt[i] != NULL)
			ssu2_send(c->sock, &s->ss, c->hspkt[i], c->hslen[i]);
}

static int
hs_send_new(struct session *s, const struct wbuf *w0, const struct wbuf *w1)
{
	if (hs_keep(s, w0, w1) == -1) {
		hs_fail(s, "keeping a packet");
		return -1;
	}
	hs_resend(s);
	ssu2_timer(SSU2_CONN(s), SSU2_HS_RESEND_MS);
	return 0;
}

static void
hs_ask_dh(struct session *s, const uint8_t pub[32], enum ssu2_step next)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	struct key_dh_req	 req;

	memset(&req, 0, sizeof(req));
	req.keyid = KEYID_NTCP2;
	memcpy(req.peer_pub, pub, sizeof(req.peer_pub));
	if (netd_send(PROC_CRYPTOD, IMSG_KEY_DH, s->id, &req,
	    sizeof(req)) == -1) {
		hs_fail(s, "asking cryptod");
		return;
	}
	c->step = next;
}

/* our parameters for this session: its MTU */
static int
hs_local(const struct ssu2_conn *c, struct ssu2_local *l)
{
	const struct ssu2_local	*g = riaddr_get_ssu2();

	if (g == NULL)
		return -1;
	*l = *g;
	l->mtu = c->mtu;
	return 0;
}

/* a token from the router's New Token: Session Request at once */
static int
alice_first(struct session *s, struct wbuf *w)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	uint64_t		 token;

	if ((token = ssu2_out_token_get(&s->ss)) != 0) {
		log_debug("session %s: SSU2 token from New Token",
		    session_name(s));
		c->step = S2_A_REQUEST;
		return ssu2_alice_request(c->hs, token, w);
	}
	c->step = S2_A_TOKEN;
	return ssu2_alice_token_request(c->hs, w);
}

int
s2hs_alice_start(struct session *s)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	struct ssu2_local	 l;
	struct wbuf		 w;
	uint8_t			 pkt[SSU2_PKT_MAX];

	wbuf_init_fixed(&w, pkt, sizeof(pkt));
	if (hs_local(c, &l) == -1 || (c->hs = ssu2_hs_new()) == NULL ||
	    ssu2_alice_start(c->hs, &l, &c->remote) != SSU2_OK ||
	    alice_first(s, &w) != SSU2_OK) {
		hs_fail(s, "first packet");
		return -1;
	}
	ssu2_alice_track(c, 1);
	return hs_send_new(s, &w, NULL);
}

static void
alice_request(struct session *s)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	struct wbuf		 w;
	uint8_t			 pkt[SSU2_PKT_MAX];

	wbuf_init_fixed(&w, pkt, sizeof(pkt));
	if (ssu2_alice_request(c->hs, 0, &w) != SSU2_OK) {
		hs_fail(s, "Session Request");
		return;
	}
	c->step = S2_A_REQUEST;
	hs_send_new(s, &w, NULL);
}

static void
alice_retry(struct session *s, const uint8_t *pkt, size_t len)
{
	struct ssu2_conn	*c = SSU2_CONN(s);

	switch (ssu2_alice_retry(c->hs, pkt, len)) {
	case SSU2_OK:
		alice_request(s);
		break;
	case SSU2_AGAIN:
		ssu2_stats.dropped++;
		break;
	default:
		hs_fail(s, "Retry");
		break;
	}
}

static void
alice_input(struct session *s, const uint8_t *pkt, size_t len)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	uint8_t			 pub[32];

	if (c->step == S2_A_TOKEN) {
		alice_retry(s, pkt, len);
		return;
	}
	if (c->step != S2_A_REQUEST) {
		ssu2_stats.dropped++;		/* waiting for cryptod */
		return;
	}
	switch (ssu2_alice_created(c->hs, pkt, len, pub)) {
	case SSU2_NEED_DH:
		/* i2pd's Created carries a token for our next dial */
		ssu2_out_token_put(&s->ss, ssu2_hs_info(c->hs)->new_token,
		    ssu2_hs_info(c->hs)->new_token_exp);
		hs_ask_dh(s, pub, S2_A_DH);
		break;
	case SSU2_AGAIN:
		/* not Created: maybe a Retry, for a token of Bob's liking */
		alice_retry(s, pkt, len);
		break;
	default:
		hs_fail(s, "Session Created");
		break;
	}
}

static void
alice_confirmed(struct session *s, const uint8_t dh[32])
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	struct wbuf		 w0, w1;
	uint8_t			 f0[SSU2_PKT_MAX], f1[SSU2_PKT_MAX];

	wbuf_init_fixed(&w0, f0, sizeof(f0));
	wbuf_init_fixed(&w1, f1, sizeof(f1));
	if (ssu2_alice_confirmed(c->hs, dh, &w0, &w1, &c->keys) != SSU2_OK) {
		hs_fail(s, "Session Confirmed");
		return;
	}
	ssu2_alice_track(c, 0);
	if (ssu2_conn_bind(c, c->keys.recv.conn_id) == -1) {
		hs_fail(s, "connection ID");
		return;
	}
	ssu2_hs_free(c->hs);
	c->hs = NULL;
	if (hs_send_new(s, &w0, &w1) == -1)
		return;
	c->confirm_pending = 1;
	session_established(s);
}

void
s2hs_bob_start(struct session *s, const uint8_t *pkt, size_t len)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	const struct ssu2_local	*l = riaddr_get_ssu2();
	uint8_t			 pub[32];
	uint64_t		 token, id;

	if ((c->hs = ssu2_hs_new()) == NULL ||
	    ssu2_bob_request(c->hs, l, pkt, len, &token, pub) !=
	    SSU2_NEED_DH) {
		hs_fail(s, "Session Request");
		return;
	}
	if (replay_seen(session_replay(), ssu2_hs_peer_ephemeral(c->hs),
	    netd_now())) {
		ssu2_stats.dup++;
		hs_fail(s, "Session Request (replayed)");
		return;
	}
	/* Alice picked our connection ID: her packets come to it */
	if (ssu2_hdr_peek_id(pkt, len, l->intro_key, &id) == -1 ||
	    ssu2_conn_bind(c, id) == -1) {
		hs_fail(s, "Session Request (connection ID)");
		return;
	}
	hs_ask_dh(s, pub, S2_B_DH);
}

static void
bob_created(struct session *s, const uint8_t dh[32])
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	struct ssu2_addr	 a;
	struct wbuf		 w;
	uint8_t			 pkt[SSU2_PKT_MAX];
	uint64_t		 token;
	uint32_t		 exp = 0;

	if (ssu2_bob_request_dh(c->hs, dh) != SSU2_OK) {
		hs_fail(s, "Session Request");
		return;
	}
	/* seen now: the same request on another connection ID is refused */
	if (replay_seen(session_replay(), ssu2_hs_peer_ephemeral(c->hs),
	    netd_now()) || replay_add(session_replay(),
	    ssu2_hs_peer_ephemeral(c->hs), netd_now()) == -1) {
		ssu2_stats.dup++;
		hs_fail(s, "Session Request (replayed or filter full)");
		return;
	}
	ssu2_endpoint(&s->ss, &a);
	/* for Alice's next dial: a token of ours, as i2pd gives one */
	token = ssu2_next_token(&s->ss, &exp);
	ssu2_bob_new_token(c->hs, token, exp);
	wbuf_init_fixed(&w, pkt, sizeof(pkt));
	if (ssu2_bob_created(c->hs, &a, 0, &w) != SSU2_OK) {
		hs_fail(s, "Session Created");
		return;
	}
	c->step = S2_B_CREATED;
	hs_send_new(s, &w, NULL);
}

static void
bob_confirmed(struct session *s, const uint8_t *pkt, size_t len)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	const struct ssu2_local	*l = riaddr_get_ssu2();
	const uint8_t		*ri;
	size_t			 rilen;

	switch (ssu2_bob_confirmed(c->hs, pkt, len, &c->keys, &ri, &rilen)) {
	case SSU2_OK:
		break;
	case SSU2_AGAIN:
		return;		/* one fragment of two, or not Confirmed */
	default:
		hs_fail(s, "Session Confirmed");
		return;
	}
	memcpy(s->hash, c->keys.remote_hash, sizeof(s->hash));
	if (memcmp(s->hash, riaddr_local_hash(), 32) == 0 || l == NULL) {
		hs_fail(s, "Session Confirmed (our own identity)");
		return;
	}
	/* before SESSION_UP: routerd knows the router when it hears */
	session_peer_ri(s, ri, rilen);
	ssu2_conn_mtu(c, riaddr_ssu2_mtu(ri, rilen, c->s->ss.ss_family));
	c->peer_tester = riaddr_ssu2_tester(ri, rilen);
	ssu2_hs_free(c->hs);
	c->hs = NULL;
	hs_keep(s, NULL, NULL);
	/* Confirmed was Alice's packet 0: our first ACK says so */
	ssu2_rx_add(&c->rx, 0);
	c->ack_due = 1;
	c->ack_at = 0;
	session_established(s);
}

static void
bob_input(struct session *s, const uint8_t *pkt, size_t len)
{
	struct ssu2_conn	*c = SSU2_CONN(s);
	const struct ssu2_local	*l = riaddr_get_ssu2();

	if (c->step != S2_B_CREATED || l == NULL) {
		ssu2_stats.dropped++;		/* waiting for cryptod */
		return;
	}
	/* Alice's Request again: our Created was lost */
	if (ssu2_bob_is_request(c->hs, l->intro_key, pkt, len)) {
		hs_resend(s);
		return;
	}
	bob_confirmed(s, pkt, len);
}

void
s2hs_input(struct session *s, const uint8_t *pkt, size_t len)
{
	s->bytes_in += len;
	if (s->inbound)
		bob_input(s, pkt, len);
	else
		alice_input(s, pkt, len);
}

void
s2hs_dh_result(struct session *s, const uint8_t shared[32])
{
	struct ssu2_conn	*c = SSU2_CONN(s);

	if (s->state == SS_HANDSHAKE && c->step == S2_A_DH)
		alice_confirmed(s, shared);
	else if (s->state == SS_HANDSHAKE && c->step == S2_B_DH)
		bob_created(s, shared);
	else
		log_debug("session %s: DH result in state %d", session_name(s),
		    s->state);
}

void
s2hs_dh_error(struct session *s)
{
	if (s->state == SS_HANDSHAKE)
		hs_fail(s, "DH");
}

void
s2hs_timeout(struct session *s)
{
	struct ssu2_conn	*c = SSU2_CONN(s);

	if (c->step == S2_A_DH || c->step == S2_B_DH)
		return;		/* cryptod answers; the layer's timer else */
	if (c->hs_resends++ >= SSU2_HS_RESENDS) {
		hs_fail(s, "handshake (no answer)");
		return;
	}
	hs_resend(s);
	ssu2_timer(c, SSU2_HS_RESEND_MS);
}

/* Alice's Confirmed once more while Bob has not answered it */
void
s2hs_confirm_resend(struct session *s)
{
	struct ssu2_conn	*c = SSU2_CONN(s);

	if (!c->confirm_pending)
		return;
	if (c->hs_resends++ >= SSU2_HS_RESENDS) {
		c->confirm_pending = 0;
		hs_keep(s, NULL, NULL);
		return;
	}
	hs_resend(s);
}

const char *
s2hs_step_name(enum ssu2_step step)
{
	static const char *const names[] = {
		"Token Request", "Session Request", "DH (Alice)", "DH (Bob)",
		"Session Created"
	};

	if ((size_t)step >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[step];
}
