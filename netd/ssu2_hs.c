/*
 * SSU2 handshake (ssu2.rst): Noise XK as
 * "Noise_XKchaobfse+hs1+hs2+hs3_25519_ChaChaPoly_SHA256", plus the
 * Token Request / Retry exchange outside Noise.
 *
 *   Alice                                   Bob
 *   Token Request (optional)    ->
 *                               <-  Retry (token)
 *   Session Request: X, payload ->          e, es
 *                               <-  Session Created: Y, payload  e, ee
 *   Session Confirmed: S, RI    ->          s, se
 *
 * Every Noise message first mixes its plaintext header (32 bytes for
 * Request and Created, the first fragment's 16 for Confirmed) into h.
 * Header protection keys: k_header_1 is always Bob's intro key; k_header_2
 * is his intro key for Request, Retry and Token Request, and
 * HKDF(ck, "", "SessCreateHeader") / HKDF(ck, "", "SessionConfirmed")
 * for Created and Confirmed, taken from ck as it stands after the
 * previous message.
 *
 * Datagrams can be forged or garbled, so a packet that does not open
 * (header, IDs, MAC) returns SSU2_AGAIN and leaves the handshake as it
 * was, for the glue to drop; only authenticated content that is wrong
 * ends it.  Bob's steps work on a fresh handshake per Session Request,
 * so there a bad packet simply fails.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "ssu2.h"

#define SSU2_PROTOCOL	"Noise_XKchaobfse+hs1+hs2+hs3_25519_ChaChaPoly_SHA256"
#define KEY_LEN		32
#define KH_CREATED	"SessCreateHeader"
#define KH_CONFIRMED	"SessionConfirmed"
#define PAD_MAX		31	/* padding block bytes in our handshake */
#define S_FRAME		(KEY_LEN + POLY1305_TAG_LEN)	/* Confirmed part 1 */
#define FRAG_DATA_MAX	(SSU2_PKT_MAX - SSU2_SHORT_HDR)
/* each Confirmed fragment's header masks need 24 bytes after it */
#define FRAG_DATA_MIN	24
#define GZIP_WBITS	(15 + 16)

enum hs_state {
	HS_NEW,
	HS_A_STARTED,	/* IDs chosen */
	HS_A_TOKREQ,	/* Token Request sent */
	HS_A_TOKEN,	/* Retry gave a token */
	HS_A_SENT_REQ,	/* Session Request sent */
	HS_A_DH,	/* waits for DH(s, Y) */
	HS_B_DH,	/* waits for DH(s, X) */
	HS_B_GOT_REQ,	/* Session Request checked */
	HS_B_SENT_CREATED,
	HS_DONE,
	HS_FAILED
};

struct ssu2_hs {
	enum hs_state	 state;
	enum ssu2_reason reason;
	uint32_t	 now;		/* 0: time(3) */
	struct noise_ss	 ss;
	uint8_t		 e_priv[KEY_LEN];
	uint8_t		 e_pub[KEY_LEN];
	uint8_t		 re[KEY_LEN];	/* peer's ephemeral key */
	uint8_t		 rs[KEY_LEN];	/* peer's static key */
	uint8_t		 static_pub[KEY_LEN];	/* ours */
	uint8_t		 bik[KEY_LEN];	/* Bob's intro key */
	uint8_t		 aik[KEY_LEN];	/* Alice's intro key */
	uint8_t		 kh2[KEY_LEN];	/* k_header_2 of the next message */
	uint64_t	 new_tok;	/* Bob: for Created's New Token */
	uint32_t	 new_tok_exp;
	uint8_t		 netid;
	uint64_t	 a_id;		/* Alice's connection ID */
	uint64_t	 b_id;		/* Bob's */
	struct ssu2_hs_info info;
	const uint8_t	*ri;		/* Alice: ours, for Confirmed */
	size_t		 rilen;
	uint8_t		 ri_flag;
	int		 tag_req;	/* Alice asks Bob to introduce her */
	size_t		 mtu;
	uint8_t		*req;		/* Bob: Request ciphertext until DH */
	size_t		 reqlen;
	uint8_t		 conf_hdr[SSU2_SHORT_HDR];	/* fragment 0's */
	uint8_t		 nfrags;	/* Confirmed fragments announced */
	uint8_t		*frag[SSU2_CONFIRMED_FRAGS];
	size_t		 fraglen[SSU2_CONFIRMED_FRAGS];
	uint8_t		 ri_plain[RI_MAXLEN];	/* Bob: Alice's, inflated */
	size_t		 ri_plainlen;
};

/* what the blocks of a handshake message told */
struct hs_walk {
	struct ssu2_hs_info *info;
	int		 n;
	int		 datetime;
	int		 term;
	uint8_t		 term_reason;
	uint8_t		 ri_flag;
	const uint8_t	*ri;
	size_t		 rilen;
};

struct ssu2_hs *
ssu2_hs_new(void)
{
	struct ssu2_hs	*hs;

	if ((hs = calloc(1, sizeof(*hs))) == NULL)
		return NULL;
	hs->state = HS_NEW;
	return hs;
}

static void
hs_free_bufs(struct ssu2_hs *hs)
{
	size_t	 i;

	if (hs->req != NULL) {
		crypto_wipe(hs->req, hs->reqlen);
		free(hs->req);
		hs->req = NULL;
	}
	for (i = 0; i < SSU2_CONFIRMED_FRAGS; i++) {
		if (hs->frag[i] == NULL)
			continue;
		crypto_wipe(hs->frag[i], hs->fraglen[i]);
		free(hs->frag[i]);
		hs->frag[i] = NULL;
	}
}

void
ssu2_hs_free(struct ssu2_hs *hs)
{
	if (hs == NULL)
		return;
	hs_free_bufs(hs);
	crypto_wipe(hs, sizeof(*hs));
	free(hs);
}

enum ssu2_reason
ssu2_hs_reason(const struct ssu2_hs *hs)
{
	return hs->reason;
}

const struct ssu2_hs_info *
ssu2_hs_info(const struct ssu2_hs *hs)
{
	return &hs->info;
}

void
ssu2_hs_set_time(struct ssu2_hs *hs, uint32_t now)
{
	hs->now = now;
}

const uint8_t *
ssu2_hs_peer_ephemeral(const struct ssu2_hs *hs)
{
	return hs->re;
}

/*
 * Bob: is this Alice's Session Request again?  Not the type alone:
 * bytes 8-15 of a Session Confirmed are masked with a key of the
 * handshake, not our intro key, so opened with ours its type reads as
 * 0 (Session Request) once in 256; only Alice's X, the same, tells.
 */
int
ssu2_bob_is_request(const struct ssu2_hs *hs, const uint8_t intro[32],
    const uint8_t *pkt, size_t len)
{
	uint8_t		 plain[SSU2_EPH_HDR];
	struct ssu2_hdr	 h;

	return ssu2_hdr_open(pkt, len, intro, intro, plain, &h) ==
	    SSU2_EPH_HDR && h.type == SSU2_SESSION_REQUEST &&
	    memcmp(plain + SSU2_LONG_HDR, hs->re, 32) == 0;
}

static int
hs_fail(struct ssu2_hs *hs, enum ssu2_reason reason)
{
	hs->state = HS_FAILED;
	hs->reason = reason;
	noise_wipe(&hs->ss);
	crypto_wipe(hs->e_priv, sizeof(hs->e_priv));
	crypto_wipe(hs->kh2, sizeof(hs->kh2));
	hs_free_bufs(hs);
	return SSU2_ERROR;
}

static void
hs_done(struct ssu2_hs *hs)
{
	hs->state = HS_DONE;
	noise_wipe(&hs->ss);
	crypto_wipe(hs->e_priv, sizeof(hs->e_priv));
	crypto_wipe(hs->kh2, sizeof(hs->kh2));
	hs_free_bufs(hs);
}

/* a call out of order is the caller's bug; it still ends the handshake */
static int
hs_expect(struct ssu2_hs *hs, enum hs_state a, enum hs_state b,
    enum ssu2_reason reason)
{
	if (hs->state == a || hs->state == b)
		return 0;
	if (hs->state != HS_FAILED)
		hs_fail(hs, reason);
	return -1;
}

static uint32_t
hs_time(const struct ssu2_hs *hs)
{
	return hs->now != 0 ? hs->now : (uint32_t)time(NULL);
}

static int
skewed(uint32_t ts, uint32_t now)
{
	int64_t	 d = (int64_t)ts - (int64_t)now;

	return d > SSU2_SKEW_MAX || d < -SSU2_SKEW_MAX;
}

/* a nonzero random 64-bit value: connection IDs */
static uint64_t
random_id(void)
{
	uint64_t	 id = 0;

	while (id == 0)
		crypto_random_fill(&id, sizeof(id));
	return id;
}

static int
kdf_header(uint8_t out[KEY_LEN], const uint8_t ck[KEY_LEN], const char *info)
{
	return hkdf_sha256(out, KEY_LEN, ck, KEY_LEN, NULL, 0, info,
	    strlen(info));
}

static void
long_hdr(struct ssu2_hdr *h, uint8_t type, uint8_t netid, uint64_t dst,
    uint64_t src, uint64_t token)
{
	memset(h, 0, sizeof(*h));
	h->dst_id = dst;
	h->pkt_num = crypto_random_id();	/* ignored by the receiver */
	h->type = type;
	h->flags[0] = SSU2_VERSION;
	h->flags[1] = netid;
	h->src_id = src;
	h->token = token;
}

static int
put_hdr(uint8_t *out, size_t len, const struct ssu2_hdr *h)
{
	struct wbuf	 w;

	wbuf_init_fixed(&w, out, len);
	return ssu2_hdr_put(&w, h);
}

/* a padding block's length: 0 to PAD_MAX, as the spec suggests */
static size_t
pad_len(void)
{
	return crypto_random_below(PAD_MAX + 1);
}

/*
 * Handshake payload blocks
 */

static int
hs_block(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	struct hs_walk	*w = arg;
	struct ssu2_blk	 b;

	if (ssu2_blk_parse(type, body, len, &b) != 0)
		return -1;
	switch (type) {
	case SSU2_B_DATETIME:
		w->datetime = 1;
		w->info->peer_time = b.u.datetime;
		break;
	case SSU2_B_ADDRESS:
		w->info->addr = b.u.addr;
		break;
	case SSU2_B_RELAY_TAG:
		w->info->relay_tag = b.u.relay_tag;
		break;
	case SSU2_B_RELAY_TAG_REQUEST:
		w->info->relay_tag_req = 1;
		break;
	case SSU2_B_NEW_TOKEN:
		w->info->new_token = b.u.new_token.token;
		w->info->new_token_exp = b.u.new_token.expires;
		break;
	case SSU2_B_TERMINATION:
		w->term = 1;
		w->term_reason = b.u.term.reason;
		break;
	case SSU2_B_ROUTERINFO:
		if (w->n != 0)
			return -1;
		w->ri = b.u.ri.data;
		w->rilen = b.u.ri.len;
		w->ri_flag = b.u.ri.flag;
		break;
	default:
		break;
	}
	w->n++;
	return 0;
}

/* walks a handshake payload; DateTime is required where need_time */
static enum ssu2_reason
walk_payload(struct ssu2_hs_info *info, uint32_t now, const uint8_t *p,
    size_t len, struct hs_walk *w, int need_time, enum ssu2_reason err)
{
	memset(w, 0, sizeof(*w));
	w->info = info;
	if (ssu2_blocks(p, len, hs_block, w) != 0)
		return err;
	if (need_time && !w->datetime)
		return err;
	if (w->datetime && skewed(info->peer_time, now))
		return SSU2_R_CLOCK_SKEW;
	return SSU2_R_NORMAL;
}

/*
 * A handshake payload: DateTime, the Address, Relay Tag and New Token
 * (Created: tok is Bob's handshake), a Relay Tag Request (Request),
 * padding last.
 */
static int
hs_build_payload(struct wbuf *w, uint32_t now, const struct ssu2_addr *addr,
    uint32_t relay_tag, int tag_req, const struct ssu2_hs *tok)
{
	ssu2_put_datetime(w, now);
	if (tag_req)
		ssu2_put_relay_tag_request(w);
	if (addr != NULL && addr->iplen != 0)
		ssu2_put_address(w, addr);
	if (relay_tag != 0)
		ssu2_put_relay_tag(w, relay_tag);
	if (tok != NULL && tok->new_tok != 0)
		ssu2_put_new_token(w, tok->new_tok_exp, tok->new_tok);
	ssu2_put_padding(w, pad_len());
	return wbuf_error(w) ? -1 : 0;
}

/*
 * Alice
 */

int
ssu2_alice_start(struct ssu2_hs *hs, const struct ssu2_local *local,
    const struct ssu2_remote *remote)
{
	if (hs_expect(hs, HS_NEW, HS_NEW, SSU2_R_REQUEST_ERROR) == -1)
		return SSU2_ERROR;
	if (local->ri == NULL || local->rilen == 0 ||
	    local->mtu < SSU2_UDP_MIN || local->mtu > SSU2_PKT_MAX)
		return hs_fail(hs, SSU2_R_REQUEST_ERROR);
	memcpy(hs->rs, remote->static_pub, KEY_LEN);
	memcpy(hs->bik, remote->intro_key, KEY_LEN);
	memcpy(hs->aik, local->intro_key, KEY_LEN);
	memcpy(hs->static_pub, local->static_pub, KEY_LEN);
	hs->netid = local->netid;
	hs->ri = local->ri;
	hs->rilen = local->rilen;
	hs->ri_flag = local->ri_flag & SSU2_RI_GZIP;
	hs->tag_req = local->relay_tag_req;
	hs->mtu = local->mtu;
	hs->a_id = random_id();
	do
		hs->b_id = random_id();
	while (hs->b_id == hs->a_id);
	hs->state = HS_A_STARTED;
	return SSU2_OK;
}

int
ssu2_alice_token_request(struct ssu2_hs *hs, struct wbuf *out)
{
	struct ssu2_hdr	 h;
	struct wbuf	 w;
	uint8_t		 payload[64];

	if (hs_expect(hs, HS_A_STARTED, HS_A_STARTED, SSU2_R_REQUEST_ERROR)
	    == -1)
		return SSU2_ERROR;
	long_hdr(&h, SSU2_TOKEN_REQUEST, hs->netid, hs->b_id, hs->a_id, 0);
	wbuf_init_fixed(&w, payload, sizeof(payload));
	if (hs_build_payload(&w, hs_time(hs), NULL, 0, 0, NULL) == -1 ||
	    ssu2_long_seal(&h, hs->bik, payload, wbuf_len(&w), out) == -1)
		return hs_fail(hs, SSU2_R_REQUEST_ERROR);
	hs->state = HS_A_TOKREQ;
	return SSU2_OK;
}

int
ssu2_alice_retry(struct ssu2_hs *hs, const uint8_t *pkt, size_t len)
{
	struct ssu2_hdr		 h;
	struct hs_walk		 w;
	uint8_t			*plain;
	size_t			 plen;
	enum ssu2_reason	 why;

	if (hs_expect(hs, HS_A_TOKREQ, HS_A_SENT_REQ, SSU2_R_REQUEST_ERROR)
	    == -1)
		return SSU2_ERROR;
	if ((plain = malloc(SSU2_PKT_MAX)) == NULL)
		return SSU2_AGAIN;
	if (ssu2_long_open(pkt, len, hs->bik, SSU2_RETRY, &h, plain, &plen) == -1 ||
	    ssu2_long_check(&h, hs->netid) != SSU2_R_NORMAL ||
	    h.dst_id != hs->a_id || h.src_id != hs->b_id) {
		free(plain);
		return SSU2_AGAIN;
	}
	why = walk_payload(&hs->info, hs_time(hs), plain, plen, &w, 1,
	    SSU2_R_PAYLOAD_FORMAT_ERROR);
	free(plain);
	/* a zero token is Bob's "do not retry", with his reason */
	if (why == SSU2_R_NORMAL && (h.token == 0 || w.term))
		why = w.term ? w.term_reason : SSU2_R_BAD_TOKEN;
	if (why != SSU2_R_NORMAL)
		return hs_fail(hs, why);
	hs->info.token = h.token;
	/* the next Session Request starts afresh */
	noise_wipe(&hs->ss);
	crypto_wipe(hs->e_priv, sizeof(hs->e_priv));
	hs->state = HS_A_TOKEN;
	return SSU2_OK;
}

/* "e" (after the header), "es", the payload after the 64 header bytes */
static int
alice_request_body(struct ssu2_hs *hs, const uint8_t hdr[SSU2_LONG_HDR],
    uint8_t *pkt, const uint8_t *payload, size_t plen)
{
	if (noise_xk_start(&hs->ss, SSU2_PROTOCOL, hs->rs) == -1 ||
	    noise_mix_hash(&hs->ss, hdr, SSU2_LONG_HDR) == -1 ||
	    noise_mix_hash(&hs->ss, hs->e_pub, KEY_LEN) == -1 ||
	    noise_mix_dh(&hs->ss, hs->e_priv, hs->rs) == -1 ||
	    noise_encrypt_and_hash(&hs->ss, pkt + SSU2_EPH_HDR, payload,
	    plen) == -1)
		return -1;
	return kdf_header(hs->kh2, hs->ss.ck, KH_CREATED);
}

int
ssu2_alice_request(struct ssu2_hs *hs, uint64_t token, struct wbuf *out)
{
	struct ssu2_hdr	 h;
	struct wbuf	 w;
	uint8_t		 hdr[SSU2_LONG_HDR], payload[64];
	size_t		 off, total;
	int		 rv;

	if (hs_expect(hs, HS_A_STARTED, HS_A_TOKEN, SSU2_R_REQUEST_ERROR)
	    == -1)
		return SSU2_ERROR;
	if (token == 0)
		token = hs->info.token;
	long_hdr(&h, SSU2_SESSION_REQUEST, hs->netid, hs->b_id, hs->a_id,
	    token);
	wbuf_init_fixed(&w, payload, sizeof(payload));
	if (hs_build_payload(&w, hs_time(hs), NULL, 0, hs->tag_req, NULL) == -1 ||
	    x25519_keygen(hs->e_priv, hs->e_pub) == -1 ||
	    put_hdr(hdr, sizeof(hdr), &h) == -1)
		return hs_fail(hs, SSU2_R_REQUEST_ERROR);
	total = SSU2_EPH_HDR + wbuf_len(&w) + POLY1305_TAG_LEN;
	if (wbuf_reserve(out, total, &off) == -1)
		return hs_fail(hs, SSU2_R_REQUEST_ERROR);
	memcpy(out->data + off, hdr, sizeof(hdr));
	memcpy(out->data + off + SSU2_LONG_HDR, hs->e_pub, KEY_LEN);
	rv = alice_request_body(hs, hdr, out->data + off, payload,
	    wbuf_len(&w));
	if (rv == 0)
		rv = ssu2_hdr_seal(out->data + off, total, hs->bik, hs->bik);
	crypto_wipe(payload, sizeof(payload));
	if (rv == -1) {
		out->err = 1;
		return hs_fail(hs, SSU2_R_REQUEST_ERROR);
	}
	hs->state = HS_A_SENT_REQ;
	return SSU2_OK;
}

int
ssu2_alice_created(struct ssu2_hs *hs, const uint8_t *pkt, size_t len,
    uint8_t dh_pub[32])
{
	struct ssu2_hdr		 h;
	struct noise_ss		 ss;
	struct hs_walk		 w;
	struct rbuf		 r;
	uint8_t			 hdr[SSU2_EPH_HDR], y[KEY_LEN], *plain;
	const uint8_t		*ct;
	size_t			 ctlen;
	enum ssu2_reason	 why;
	int			 ok;

	if (hs_expect(hs, HS_A_SENT_REQ, HS_A_SENT_REQ, SSU2_R_CREATED_ERROR)
	    == -1)
		return SSU2_ERROR;
	/* not Created (maybe a Retry), or not from our Bob: not ours */
	if (len > SSU2_PKT_MAX ||
	    ssu2_hdr_open(pkt, len, hs->bik, hs->kh2, hdr, &h) != SSU2_EPH_HDR ||
	    h.type != SSU2_SESSION_CREATED ||
	    ssu2_long_check(&h, hs->netid) != SSU2_R_NORMAL ||
	    h.dst_id != hs->a_id || h.src_id != hs->b_id)
		return SSU2_AGAIN;
	rbuf_init(&r, hdr, sizeof(hdr));
	rbuf_skip(&r, SSU2_LONG_HDR);
	rbuf_get_bytes(&r, y, KEY_LEN);
	rbuf_init(&r, pkt, len);
	rbuf_skip(&r, SSU2_EPH_HDR);
	ctlen = rbuf_left(&r);
	if (rbuf_get_ptr(&r, &ct, ctlen) == -1 ||
	    (plain = malloc(ctlen)) == NULL)
		return SSU2_AGAIN;
	/* on a copy: a forged packet must not spoil the real one */
	ss = hs->ss;
	ok = noise_mix_hash(&ss, hdr, SSU2_LONG_HDR) == 0 &&
	    noise_mix_hash(&ss, y, KEY_LEN) == 0 &&
	    noise_mix_dh(&ss, hs->e_priv, y) == 0 &&
	    noise_decrypt_and_hash(&ss, plain, ct, ctlen) == 0;
	why = SSU2_R_NORMAL;
	if (ok)
		why = walk_payload(&hs->info, hs_time(hs), plain,
		    ctlen - POLY1305_TAG_LEN, &w, 1, SSU2_R_CREATED_ERROR);
	crypto_wipe(plain, ctlen);
	free(plain);
	if (!ok) {
		noise_wipe(&ss);
		return SSU2_AGAIN;
	}
	hs->ss = ss;
	noise_wipe(&ss);
	if (why != SSU2_R_NORMAL)
		return hs_fail(hs, why);
	memcpy(hs->re, y, KEY_LEN);
	/* "ee" is done: our ephemeral key has no more use */
	crypto_wipe(hs->e_priv, sizeof(hs->e_priv));
	if (kdf_header(hs->kh2, hs->ss.ck, KH_CONFIRMED) == -1)
		return hs_fail(hs, SSU2_R_CREATED_ERROR);
	memcpy(dh_pub, y, KEY_LEN);
	hs->state = HS_A_DH;
	return SSU2_NEED_DH;
}

/*
 * Session Confirmed's payload: our RouterInfo block (gzipped by the
 * caller or not) and padding, cut so that the whole fits two fragments.
 */
static uint8_t *
alice_confirmed_payload(struct ssu2_hs *hs, size_t *plen)
{
	struct wbuf	 w;
	uint8_t		*p;
	size_t		 max, base, pad;

	max = SSU2_CONFIRMED_FRAGS * (hs->mtu - SSU2_SHORT_HDR) - S_FRAME -
	    POLY1305_TAG_LEN;
	base = 3 + 2 + hs->rilen + 3;
	if (base > max)
		return NULL;
	pad = pad_len();
	if (base + pad > max)
		pad = max - base;
	*plen = base + pad;
	if ((p = malloc(*plen)) == NULL)
		return NULL;
	wbuf_init_fixed(&w, p, *plen);
	ssu2_put_routerinfo(&w, hs->ri_flag, hs->ri, hs->rilen);
	ssu2_put_padding(&w, pad);
	if (wbuf_error(&w) || wbuf_len(&w) != *plen) {
		free(p);
		return NULL;
	}
	return p;
}

/* one fragment: its header, its share of the ciphertext, protected */
static int
write_frag(struct wbuf *out, const struct ssu2_hdr *h, const uint8_t *data,
    size_t n, const uint8_t k1[KEY_LEN], const uint8_t k2[KEY_LEN])
{
	size_t	 off;

	if (wbuf_reserve(out, SSU2_SHORT_HDR + n, &off) == -1 ||
	    put_hdr(out->data + off, SSU2_SHORT_HDR, h) == -1)
		return -1;
	memcpy(out->data + off + SSU2_SHORT_HDR, data, n);
	if (ssu2_hdr_seal(out->data + off, SSU2_SHORT_HDR + n, k1, k2) == -1) {
		out->err = 1;
		return -1;
	}
	return 0;
}

/* "s" with Created's key at nonce 1, "se", the payload */
static int
alice_confirmed_noise(struct ssu2_hs *hs, const uint8_t dh[32],
    const struct ssu2_hdr *h, uint8_t *jumbo, const uint8_t *payload,
    size_t plen)
{
	uint8_t	 hdr[SSU2_SHORT_HDR];

	if (put_hdr(hdr, sizeof(hdr), h) == -1 ||
	    noise_mix_hash(&hs->ss, hdr, sizeof(hdr)) == -1 ||
	    noise_encrypt_and_hash(&hs->ss, jumbo, hs->static_pub,
	    KEY_LEN) == -1 ||
	    noise_mix_key(&hs->ss, dh, KEY_LEN) == -1 ||
	    noise_encrypt_and_hash(&hs->ss, jumbo + S_FRAME, payload,
	    plen) == -1)
		return -1;
	return 0;
}

static void
session_ids(struct ssu2_hs *hs, struct ssu2_session *s, int alice)
{
	memcpy(s->send.hk1, alice ? hs->bik : hs->aik, KEY_LEN);
	memcpy(s->recv.hk1, alice ? hs->aik : hs->bik, KEY_LEN);
	s->send.conn_id = alice ? hs->b_id : hs->a_id;
	s->recv.conn_id = alice ? hs->a_id : hs->b_id;
	/* Alice's Confirmed was her packet 0 */
	s->send_pn = alice ? 1 : 0;
	memcpy(s->remote_static, hs->rs, KEY_LEN);
}

int
ssu2_alice_confirmed(struct ssu2_hs *hs, const uint8_t dh[32],
    struct wbuf *frag0, struct wbuf *frag1, struct ssu2_session *s)
{
	struct ssu2_hdr	 h;
	uint8_t		*payload, *jumbo;
	size_t		 plen, jlen, split, room;
	int		 rv = -1;

	if (hs_expect(hs, HS_A_DH, HS_A_DH, SSU2_R_CONFIRMED_ERROR) == -1)
		return SSU2_ERROR;
	if ((payload = alice_confirmed_payload(hs, &plen)) == NULL)
		return hs_fail(hs, SSU2_R_CONFIRMED_ERROR);
	jlen = S_FRAME + plen + POLY1305_TAG_LEN;
	room = hs->mtu - SSU2_SHORT_HDR;
	if ((jumbo = malloc(jlen)) == NULL) {
		free(payload);
		return hs_fail(hs, SSU2_R_CONFIRMED_ERROR);
	}
	memset(&h, 0, sizeof(h));
	h.dst_id = hs->b_id;
	h.type = SSU2_SESSION_CONFIRMED;
	h.flags[0] = jlen <= room ? 1 : 2;	/* fragment 0 of 1 or 2 */
	split = jlen <= room ? jlen : jlen - FRAG_DATA_MIN;
	if (split > room)
		split = room;
	memset(s, 0, sizeof(*s));
	if (alice_confirmed_noise(hs, dh, &h, jumbo, payload, plen) == 0 &&
	    ssu2_data_keys(s, hs->ss.ck, 1) == 0 &&
	    write_frag(frag0, &h, jumbo, split, hs->bik, hs->kh2) == 0) {
		h.flags[0] = 0x10 | 2;		/* fragment 1 of 2 */
		rv = 0;
		if (split < jlen)
			rv = write_frag(frag1, &h, jumbo + split, jlen - split,
			    hs->bik, hs->kh2);
	}
	crypto_wipe(payload, plen);
	free(payload);
	free(jumbo);
	if (rv == -1) {
		ssu2_session_wipe(s);
		return hs_fail(hs, SSU2_R_CONFIRMED_ERROR);
	}
	session_ids(hs, s, 1);
	hs_done(hs);
	return SSU2_OK;
}

/*
 * Bob
 */

int
ssu2_bob_token_request(const struct ssu2_local *local, const uint8_t *pkt,
    size_t len, uint32_t now, struct ssu2_hdr *h)
{
	struct ssu2_hs_info	 info;
	struct hs_walk		 w;
	uint8_t			*plain;
	size_t			 plen;
	int			 rv = -1;

	if ((plain = malloc(SSU2_PKT_MAX)) == NULL)
		return -1;
	memset(&info, 0, sizeof(info));
	if (ssu2_long_open(pkt, len, local->intro_key, SSU2_TOKEN_REQUEST, h, plain,
	    &plen) == 0 && ssu2_long_check(h, local->netid) == SSU2_R_NORMAL &&
	    walk_payload(&info, now, plain, plen, &w, 1,
	    SSU2_R_PAYLOAD_FORMAT_ERROR) == SSU2_R_NORMAL)
		rv = 0;
	free(plain);
	return rv;
}

int
ssu2_bob_retry(const struct ssu2_local *local, const struct ssu2_hdr *req,
    uint64_t token, enum ssu2_reason reason, const struct ssu2_addr *alice,
    uint32_t now, struct wbuf *out)
{
	struct ssu2_hdr	 h;
	struct wbuf	 w;
	uint8_t		 payload[96];

	/* a rejection carries no token, and says why */
	if (reason != SSU2_R_NORMAL)
		token = 0;
	long_hdr(&h, SSU2_RETRY, local->netid, req->src_id, req->dst_id,
	    token);
	wbuf_init_fixed(&w, payload, sizeof(payload));
	ssu2_put_datetime(&w, now);
	if (alice != NULL && alice->iplen != 0)
		ssu2_put_address(&w, alice);
	if (reason != SSU2_R_NORMAL)
		ssu2_put_termination(&w, 0, reason);
	/* small: a Retry must not amplify a spoofed request */
	ssu2_put_padding(&w, pad_len());
	if (wbuf_error(&w))
		return -1;
	return ssu2_long_seal(&h, local->intro_key, payload, wbuf_len(&w), out);
}

int
ssu2_bob_request(struct ssu2_hs *hs, const struct ssu2_local *local,
    const uint8_t *pkt, size_t len, uint64_t *token, uint8_t dh_pub[32])
{
	struct ssu2_hdr		 h;
	struct rbuf		 r;
	uint8_t			 hdr[SSU2_EPH_HDR];
	enum ssu2_reason	 why;

	if (hs_expect(hs, HS_NEW, HS_NEW, SSU2_R_REQUEST_ERROR) == -1)
		return SSU2_ERROR;
	if (len > SSU2_PKT_MAX ||
	    ssu2_hdr_open(pkt, len, local->intro_key, local->intro_key, hdr,
	    &h) != SSU2_EPH_HDR || h.type != SSU2_SESSION_REQUEST)
		return hs_fail(hs, SSU2_R_REQUEST_ERROR);
	if ((why = ssu2_long_check(&h, local->netid)) != SSU2_R_NORMAL)
		return hs_fail(hs, why);
	memcpy(hs->bik, local->intro_key, KEY_LEN);
	memcpy(hs->static_pub, local->static_pub, KEY_LEN);
	hs->netid = local->netid;
	hs->a_id = h.src_id;
	hs->b_id = h.dst_id;
	rbuf_init(&r, hdr, sizeof(hdr));
	rbuf_skip(&r, SSU2_LONG_HDR);
	rbuf_get_bytes(&r, hs->re, KEY_LEN);
	rbuf_init(&r, pkt, len);
	rbuf_skip(&r, SSU2_EPH_HDR);
	hs->reqlen = rbuf_left(&r);
	if ((hs->req = malloc(hs->reqlen)) == NULL ||
	    rbuf_get_bytes(&r, hs->req, hs->reqlen) == -1)
		return hs_fail(hs, SSU2_R_REQUEST_ERROR);
	/* "e" after the header; "es" needs our static key: cryptod */
	if (noise_xk_start(&hs->ss, SSU2_PROTOCOL, local->static_pub) == -1 ||
	    noise_mix_hash(&hs->ss, hdr, SSU2_LONG_HDR) == -1 ||
	    noise_mix_hash(&hs->ss, hs->re, KEY_LEN) == -1)
		return hs_fail(hs, SSU2_R_REQUEST_ERROR);
	*token = h.token;
	memcpy(dh_pub, hs->re, KEY_LEN);
	hs->state = HS_B_DH;
	return SSU2_NEED_DH;
}

int
ssu2_bob_request_dh(struct ssu2_hs *hs, const uint8_t dh[32])
{
	struct hs_walk		 w;
	uint8_t			*plain;
	size_t			 plen;
	enum ssu2_reason	 why = SSU2_R_REQUEST_ERROR;

	if (hs_expect(hs, HS_B_DH, HS_B_DH, SSU2_R_REQUEST_ERROR) == -1)
		return SSU2_ERROR;
	if ((plain = malloc(hs->reqlen)) == NULL)
		return hs_fail(hs, SSU2_R_REQUEST_ERROR);
	plen = hs->reqlen - POLY1305_TAG_LEN;
	if (noise_mix_key(&hs->ss, dh, KEY_LEN) == 0 &&
	    noise_decrypt_and_hash(&hs->ss, plain, hs->req, hs->reqlen) == 0)
		why = walk_payload(&hs->info, hs_time(hs), plain, plen, &w, 1,
		    SSU2_R_REQUEST_ERROR);
	crypto_wipe(plain, hs->reqlen);
	free(plain);
	if (why != SSU2_R_NORMAL)
		return hs_fail(hs, why);
	crypto_wipe(hs->req, hs->reqlen);
	free(hs->req);
	hs->req = NULL;
	if (kdf_header(hs->kh2, hs->ss.ck, KH_CREATED) == -1)
		return hs_fail(hs, SSU2_R_REQUEST_ERROR);
	hs->state = HS_B_GOT_REQ;
	return SSU2_OK;
}

/* "e", "ee", the payload after the 64 header bytes */
static int
bob_created_body(struct ssu2_hs *hs, const uint8_t hdr[SSU2_LONG_HDR],
    uint8_t *pkt, const uint8_t *payload, size_t plen)
{
	if (noise_mix_hash(&hs->ss, hdr, SSU2_LONG_HDR) == -1 ||
	    noise_mix_hash(&hs->ss, hs->e_pub, KEY_LEN) == -1 ||
	    noise_mix_dh(&hs->ss, hs->e_priv, hs->re) == -1 ||
	    noise_encrypt_and_hash(&hs->ss, pkt + SSU2_EPH_HDR, payload,
	    plen) == -1)
		return -1;
	return 0;
}

void
ssu2_bob_new_token(struct ssu2_hs *hs, uint64_t token, uint32_t expires)
{
	hs->new_tok = token;
	hs->new_tok_exp = expires;
}

int
ssu2_bob_created(struct ssu2_hs *hs, const struct ssu2_addr *alice,
    uint32_t relay_tag, struct wbuf *out)
{
	struct ssu2_hdr	 h;
	struct wbuf	 w;
	uint8_t		 hdr[SSU2_LONG_HDR], payload[96];
	size_t		 off, total;
	int		 rv;

	if (hs_expect(hs, HS_B_GOT_REQ, HS_B_GOT_REQ, SSU2_R_CREATED_ERROR)
	    == -1)
		return SSU2_ERROR;
	long_hdr(&h, SSU2_SESSION_CREATED, hs->netid, hs->a_id, hs->b_id, 0);
	wbuf_init_fixed(&w, payload, sizeof(payload));
	if (hs_build_payload(&w, hs_time(hs), alice, relay_tag, 0, hs) == -1 ||
	    x25519_keygen(hs->e_priv, hs->e_pub) == -1 ||
	    put_hdr(hdr, sizeof(hdr), &h) == -1)
		return hs_fail(hs, SSU2_R_CREATED_ERROR);
	total = SSU2_EPH_HDR + wbuf_len(&w) + POLY1305_TAG_LEN;
	if (wbuf_reserve(out, total, &off) == -1)
		return hs_fail(hs, SSU2_R_CREATED_ERROR);
	memcpy(out->data + off, hdr, sizeof(hdr));
	memcpy(out->data + off + SSU2_LONG_HDR, hs->e_pub, KEY_LEN);
	rv = bob_created_body(hs, hdr, out->data + off, payload, wbuf_len(&w));
	if (rv == 0)
		rv = ssu2_hdr_seal(out->data + off, total, hs->bik, hs->kh2);
	if (rv == 0)
		rv = kdf_header(hs->kh2, hs->ss.ck, KH_CONFIRMED);
	if (rv == -1) {
		out->err = 1;
		return hs_fail(hs, SSU2_R_CREATED_ERROR);
	}
	hs->state = HS_B_SENT_CREATED;
	return SSU2_OK;
}

int
ssu2_ri_plain(uint8_t flag, const uint8_t *in, size_t inlen, uint8_t *out,
    size_t cap, size_t *outlen)
{
	z_stream	 z;
	int		 rv;

	if (!(flag & SSU2_RI_GZIP)) {
		if (inlen > cap)
			return -1;
		memcpy(out, in, inlen);
		*outlen = inlen;
		return 0;
	}
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, GZIP_WBITS) != Z_OK)
		return -1;
	z.next_in = (Bytef *)in;
	z.avail_in = inlen;
	z.next_out = out;
	z.avail_out = cap;
	/* one whole gzip member that fits, and nothing after it */
	rv = inflate(&z, Z_FINISH) == Z_STREAM_END && z.avail_in == 0 ? 0 : -1;
	*outlen = cap - z.avail_out;
	inflateEnd(&z);
	return rv;
}

/* the RouterInfo block's content, inflated if it says gzip */
static int
bob_ri_bytes(struct ssu2_hs *hs, const struct hs_walk *w)
{
	return ssu2_ri_plain(w->ri_flag, w->ri, w->rilen, hs->ri_plain,
	    sizeof(hs->ri_plain), &hs->ri_plainlen);
}

/* an SSU2 address publishing Alice's static key, and its intro key */
static int
ri_ssu2_keys(const struct router_info *ri, const uint8_t s[KEY_LEN],
    uint8_t ik[KEY_LEN])
{
	const struct router_address	*ra;
	uint8_t				 k[KEY_LEN];
	size_t				 i;

	for (i = 0; i < ri->naddrs && i < RI_MAX_ADDRS; i++) {
		ra = &ri->addrs[i];
		if (strcmp(ra->style, "SSU2") != 0 ||
		    mapping_get_b64(&ra->options, "s", k, KEY_LEN) == -1 ||
		    crypto_memcmp(k, s, KEY_LEN) != 0)
			continue;
		if (mapping_get_b64(&ra->options, "i", ik, KEY_LEN) == 0)
			return 0;
	}
	return -1;
}

/*
 * Alice's RouterInfo: signed (reason 15, or 6 for a signature type we
 * do not know), of our network, with an SSU2 address publishing the
 * static key of this handshake and an intro key (reason 16).  Which IP
 * family the address is for is the glue's to check: it knows the
 * packet's.
 */
static enum ssu2_reason
bob_check_ri(struct ssu2_hs *hs, uint8_t hash[32])
{
	struct router_info	*ri;
	struct i2p_err		 err = { 0 };
	unsigned long long	 netid;
	enum ssu2_reason	 why = SSU2_R_NORMAL;

	if ((ri = malloc(sizeof(*ri))) == NULL)
		return SSU2_R_CONFIRMED_ERROR;
	if (ri_parse(ri, hs->ri_plain, hs->ri_plainlen, &err) == -1 ||
	    ri_verify(ri, &err) == -1)
		why = err.code == I2PE_SIGTYPE ? SSU2_R_INCOMPATIBLE_SIGTYPE :
		    SSU2_R_RI_SIG_FAILURE;
	else if (ri_ssu2_keys(ri, hs->rs, hs->aik) == -1)
		why = SSU2_R_S_MISMATCH;
	else if (mapping_get_uint(&ri->options, "netId", 255, &netid) == -1 ||
	    netid != hs->netid)
		why = SSU2_R_WRONG_NETID;
	else
		memcpy(hash, ri->ident.hash, 32);
	free(ri);
	return why;
}

/* "s" (nonce 1 of Created's key), "se", the payload, all in place */
static enum ssu2_reason
bob_confirmed_open(struct ssu2_hs *hs, uint8_t *jumbo, size_t jlen,
    struct hs_walk *w)
{
	size_t	 plen;

	if (jlen < S_FRAME + POLY1305_TAG_LEN + SSU2_PAYLOAD_MIN)
		return SSU2_R_CONFIRMED_ERROR;
	plen = jlen - S_FRAME - POLY1305_TAG_LEN;
	if (noise_mix_hash(&hs->ss, hs->conf_hdr, SSU2_SHORT_HDR) == -1 ||
	    noise_decrypt_and_hash(&hs->ss, hs->rs, jumbo, S_FRAME) == -1 ||
	    noise_mix_dh(&hs->ss, hs->e_priv, hs->rs) == -1 ||
	    noise_decrypt_and_hash(&hs->ss, jumbo + S_FRAME, jumbo + S_FRAME,
	    jlen - S_FRAME) == -1)
		return SSU2_R_CONFIRMED_ERROR;
	crypto_wipe(hs->e_priv, sizeof(hs->e_priv));
	if (walk_payload(&hs->info, hs_time(hs), jumbo + S_FRAME, plen, w, 0,
	    SSU2_R_CONFIRMED_ERROR) != SSU2_R_NORMAL || w->ri == NULL)
		return SSU2_R_CONFIRMED_ERROR;
	if (bob_ri_bytes(hs, w) == -1)
		return SSU2_R_CONFIRMED_ERROR;
	return SSU2_R_NORMAL;
}

/* all fragments are in: decrypt, check, split */
static int
bob_confirmed_done(struct ssu2_hs *hs, struct ssu2_session *s,
    const uint8_t **ri, size_t *rilen)
{
	struct hs_walk		 w;
	uint8_t			*jumbo;
	size_t			 jlen, i, off = 0;
	enum ssu2_reason	 why;

	jlen = hs->fraglen[0] + (hs->nfrags > 1 ? hs->fraglen[1] : 0);
	if ((jumbo = malloc(jlen)) == NULL)
		return hs_fail(hs, SSU2_R_CONFIRMED_ERROR);
	for (i = 0; i < hs->nfrags; i++) {
		memcpy(jumbo + off, hs->frag[i], hs->fraglen[i]);
		off += hs->fraglen[i];
	}
	memset(s, 0, sizeof(*s));
	why = bob_confirmed_open(hs, jumbo, jlen, &w);
	if (why == SSU2_R_NORMAL)
		why = bob_check_ri(hs, s->remote_hash);
	if (why == SSU2_R_NORMAL && ssu2_data_keys(s, hs->ss.ck, 0) == -1)
		why = SSU2_R_CONFIRMED_ERROR;
	crypto_wipe(jumbo, jlen);
	free(jumbo);
	if (why != SSU2_R_NORMAL) {
		ssu2_session_wipe(s);
		return hs_fail(hs, why);
	}
	session_ids(hs, s, 0);
	*ri = hs->ri_plain;
	*rilen = hs->ri_plainlen;
	hs_done(hs);
	return SSU2_OK;
}

/* keeps one fragment; -1 if the fragment fields contradict */
static int
bob_keep_frag(struct ssu2_hs *hs, const uint8_t hdr[SSU2_SHORT_HDR],
    uint8_t frag, const uint8_t *pkt, size_t len)
{
	struct rbuf	 r;
	uint8_t		 num = frag >> 4, total = frag & 0x0f;

	/* i2pd sends and takes at most two */
	if (total == 0 || total > SSU2_CONFIRMED_FRAGS || num >= total ||
	    (hs->nfrags != 0 && total != hs->nfrags))
		return -1;
	hs->nfrags = total;
	if (hs->frag[num] != NULL)
		return 0;		/* a retransmission */
	rbuf_init(&r, pkt, len);
	rbuf_skip(&r, SSU2_SHORT_HDR);
	hs->fraglen[num] = rbuf_left(&r);
	if ((hs->frag[num] = malloc(hs->fraglen[num])) == NULL ||
	    rbuf_get_bytes(&r, hs->frag[num], hs->fraglen[num]) == -1)
		return -1;
	if (num == 0)
		memcpy(hs->conf_hdr, hdr, SSU2_SHORT_HDR);
	return 0;
}

int
ssu2_bob_confirmed(struct ssu2_hs *hs, const uint8_t *pkt, size_t len,
    struct ssu2_session *s, const uint8_t **ri, size_t *rilen)
{
	struct ssu2_hdr	 h;
	uint8_t		 hdr[SSU2_EPH_HDR];
	size_t		 i;

	if (hs_expect(hs, HS_B_SENT_CREATED, HS_B_SENT_CREATED,
	    SSU2_R_CONFIRMED_ERROR) == -1)
		return SSU2_ERROR;
	if (len > SSU2_PKT_MAX ||
	    ssu2_hdr_open(pkt, len, hs->bik, hs->kh2, hdr, &h) !=
	    SSU2_SHORT_HDR || h.type != SSU2_SESSION_CONFIRMED ||
	    h.dst_id != hs->b_id)
		return SSU2_AGAIN;
	if (bob_keep_frag(hs, hdr, h.flags[0], pkt, len) == -1)
		return hs_fail(hs, SSU2_R_CONFIRMED_ERROR);
	for (i = 0; i < hs->nfrags; i++)
		if (hs->frag[i] == NULL)
			return SSU2_AGAIN;
	return bob_confirmed_done(hs, s, ri, rilen);
}
