/*
 * SSU2 payload blocks (ssu2.rst "Noise Payload", "Block
 * Specifications"): the walker, one decoder for every block the spec
 * defines, and a builder for each.  Every block is bounded by its
 * packet, at most SSU2_PKT_MAX bytes, so nothing here allocates.
 *
 * Next Nonce (11) is "TBD" in the spec and 14 is reserved (i2pd 2.45.1
 * names it Intro Key but neither sends nor reads it): both are unknown
 * blocks, skipped like any other.
 */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "ssu2.h"

#define BLK_HDR		3
#define OPTIONS_MIN	12
#define I2NP_HDR	9
#define FOLLOW_HDR	5
#define TERM_MIN	9
#define ADDR4		6	/* port + IPv4 */
#define ADDR6		18	/* port + IPv6 */

/*
 * Walker
 */

struct walk {
	int	 padding;	/* seen: nothing may follow */
	int	 term;		/* seen: only padding may follow */
};

static int
walk_order(struct walk *w, uint8_t type)
{
	if (w->padding)
		return -1;
	if (type == SSU2_B_PADDING) {
		w->padding = 1;
		return 0;
	}
	if (w->term)
		return -1;
	if (type == SSU2_B_TERMINATION)
		w->term = 1;
	return 0;
}

static int
known_block(uint8_t type)
{
	return (type <= SSU2_B_PEER_TEST) ||
	    (type >= SSU2_B_ACK && type <= SSU2_B_ADDRESS) ||
	    (type >= SSU2_B_RELAY_TAG_REQUEST && type <= SSU2_B_CONGESTION) ||
	    type == SSU2_B_PADDING;
}

int
ssu2_blocks(const uint8_t *p, size_t len, ssu2_block_cb cb, void *arg)
{
	struct walk	 w = { 0 };
	struct rbuf	 r;
	const uint8_t	*body;
	uint8_t		 type;
	uint16_t	 blen;
	int		 rv;

	rbuf_init(&r, p, len);
	while (rbuf_left(&r) > 0) {
		if (rbuf_get_u8(&r, &type) == -1 ||
		    rbuf_get_u16(&r, &blen) == -1 ||
		    rbuf_get_ptr(&r, &body, blen) == -1)
			return -1;
		/* unknown blocks are padding to us, wherever they are */
		if (!known_block(type))
			continue;
		if (walk_order(&w, type) == -1)
			return -1;
		if ((rv = cb(arg, type, body, blen)) != 0)
			return rv;
	}
	return 0;
}

/*
 * Decoders
 */

static int
get_addr(struct rbuf *r, size_t n, struct ssu2_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (n == 0)
		return 0;
	if (n != ADDR4 && n != ADDR6)
		return -1;
	a->iplen = n - 2;
	rbuf_get_u16(r, &a->port);
	return rbuf_get_bytes(r, a->ip, a->iplen);
}

static int
parse_options(struct rbuf *r, struct ssu2_options *o)
{
	if (rbuf_left(r) < OPTIONS_MIN)
		return -1;
	rbuf_get_u8(r, &o->tmin);
	rbuf_get_u8(r, &o->tmax);
	rbuf_get_u8(r, &o->rmin);
	rbuf_get_u8(r, &o->rmax);
	rbuf_get_u16(r, &o->tdmy);
	rbuf_get_u16(r, &o->rdmy);
	rbuf_get_u16(r, &o->tdelay);
	rbuf_get_u16(r, &o->rdelay);
	o->morelen = rbuf_left(r);
	return rbuf_get_ptr(r, &o->more, o->morelen);
}

static int
parse_ri(struct rbuf *r, struct ssu2_blk *b)
{
	rbuf_get_u8(r, &b->u.ri.flag);
	rbuf_get_u8(r, &b->u.ri.frag);
	b->u.ri.len = rbuf_left(r);
	if (rbuf_get_ptr(r, &b->u.ri.data, b->u.ri.len) == -1)
		return -1;
	/* never fragmented any more: fragment 0 of 1, and not empty */
	return b->u.ri.frag == 0x01 && b->u.ri.len > 0 ? 0 : -1;
}

/* I2NP and First Fragment; a fragment must carry something */
static int
parse_i2np(struct rbuf *r, struct ssu2_i2np *m, int frag)
{
	rbuf_get_u8(r, &m->type);
	rbuf_get_u32(r, &m->msg_id);
	rbuf_get_u32(r, &m->expires);
	m->bodylen = rbuf_left(r);
	if (rbuf_get_ptr(r, &m->body, m->bodylen) == -1)
		return -1;
	return frag && m->bodylen == 0 ? -1 : 0;
}

static int
parse_follow(struct rbuf *r, struct ssu2_follow *f)
{
	uint8_t	 frag;

	rbuf_get_u8(r, &frag);
	rbuf_get_u32(r, &f->msg_id);
	f->num = frag >> 1;
	f->last = frag & 1;
	f->bodylen = rbuf_left(r);
	if (rbuf_get_ptr(r, &f->body, f->bodylen) == -1)
		return -1;
	return f->num == 0 || f->bodylen == 0 ? -1 : 0;
}

static int
parse_term(struct rbuf *r, struct ssu2_term *t)
{
	rbuf_get_u64(r, &t->received);
	rbuf_get_u8(r, &t->reason);
	t->addllen = rbuf_left(r);
	return rbuf_get_ptr(r, &t->addl, t->addllen);
}

/* the signed part and the signature after it, to the block's end */
static int
get_signed(struct rbuf *r, const uint8_t *start, size_t startleft,
    const uint8_t **data, size_t *dlen, const uint8_t **sig, size_t *siglen,
    size_t trailer)
{
	*data = start;
	*dlen = startleft - rbuf_left(r);
	if (rbuf_left(r) < trailer)
		return -1;
	*siglen = rbuf_left(r) - trailer;
	return rbuf_get_ptr(r, sig, *siglen);
}

/* nonce, tag, ts, ver, asz, port, IP: Relay Request and Intro */
static int
parse_relay_req(struct rbuf *r, struct ssu2_relay *x)
{
	const uint8_t	*start;
	size_t		 left = rbuf_left(r);
	uint8_t		 asz;

	if (rbuf_get_ptr(r, &start, 0) == -1)
		return -1;
	rbuf_get_u32(r, &x->nonce);
	rbuf_get_u32(r, &x->tag);
	rbuf_get_u32(r, &x->ts);
	rbuf_get_u8(r, &x->ver);
	if (rbuf_get_u8(r, &asz) == -1 || asz == 0 ||
	    get_addr(r, asz, &x->addr) == -1)
		return -1;
	return get_signed(r, start, left, &x->signed_data, &x->signed_len,
	    &x->sig, &x->siglen, 0);
}

/* Relay Response: nonce, then (accepted) ts, ver, csz, endpoint, sig, token */
static int
parse_relay_resp(struct rbuf *r, struct ssu2_relay *x)
{
	const uint8_t	*start;
	size_t		 left;
	uint8_t		 csz;

	rbuf_get_u8(r, &x->code);
	left = rbuf_left(r);
	if (rbuf_get_ptr(r, &start, 0) == -1)
		return -1;
	rbuf_get_u32(r, &x->nonce);
	if (rbuf_error(r))
		return -1;
	/* a rejection may stop after the nonce */
	if (x->code != 0 && rbuf_left(r) == 0) {
		x->signed_data = start;
		x->signed_len = left;
		return 0;
	}
	rbuf_get_u32(r, &x->ts);
	rbuf_get_u8(r, &x->ver);
	if (rbuf_get_u8(r, &csz) == -1 || get_addr(r, csz, &x->addr) == -1)
		return -1;
	if (get_signed(r, start, left, &x->signed_data, &x->signed_len,
	    &x->sig, &x->siglen, x->code == 0 ? 8 : 0) == -1)
		return -1;
	if (x->code == 0)
		return rbuf_get_u64(r, &x->token);
	return 0;
}

static int
parse_relay(uint8_t type, struct rbuf *r, struct ssu2_relay *x)
{
	rbuf_get_u8(r, &x->flag);
	if (type == SSU2_B_RELAY_RESPONSE)
		return parse_relay_resp(r, x);
	if (type == SSU2_B_RELAY_INTRO &&
	    rbuf_get_bytes(r, x->hash, sizeof(x->hash)) == -1)
		return -1;
	return parse_relay_req(r, x);
}

static int
parse_peertest(struct rbuf *r, struct ssu2_peertest *t)
{
	const uint8_t	*start;
	size_t		 left;
	uint8_t		 asz;

	rbuf_get_u8(r, &t->msg);
	rbuf_get_u8(r, &t->code);
	rbuf_get_u8(r, &t->flag);
	if (rbuf_error(r) || t->msg < 1 || t->msg > 7)
		return -1;
	if ((t->msg == 2 || t->msg == 4) &&
	    rbuf_get_bytes(r, t->hash, sizeof(t->hash)) == -1)
		return -1;
	left = rbuf_left(r);
	if (rbuf_get_ptr(r, &start, 0) == -1)
		return -1;
	rbuf_get_u8(r, &t->ver);
	rbuf_get_u32(r, &t->nonce);
	rbuf_get_u32(r, &t->ts);
	if (rbuf_get_u8(r, &asz) == -1 || asz == 0 ||
	    get_addr(r, asz, &t->addr) == -1)
		return -1;
	return get_signed(r, start, left, &t->signed_data, &t->signed_len,
	    &t->sig, &t->siglen, 0);
}

/* ranges beyond what we keep are the oldest: forgotten, not an error */
static int
parse_ack(struct rbuf *r, struct ssu2_ack *a)
{
	uint8_t	 nack, ack;

	rbuf_get_u32(r, &a->through);
	rbuf_get_u8(r, &a->acnt);
	/* an acnt beyond packet 0 acknowledges down to 0, as i2pd reads it */
	if (rbuf_error(r) || rbuf_left(r) % 2 != 0)
		return -1;
	a->nranges = 0;
	while (rbuf_left(r) > 0) {
		rbuf_get_u8(r, &nack);
		rbuf_get_u8(r, &ack);
		if (nack == 0 && ack == 0)
			return -1;
		if (a->nranges == SSU2_ACK_RANGES_MAX)
			continue;
		a->nack[a->nranges] = nack;
		a->ack[a->nranges++] = ack;
	}
	return rbuf_error(r) ? -1 : 0;
}

static int
parse_addr_blk(struct rbuf *r, struct ssu2_addr *a)
{
	return get_addr(r, rbuf_left(r), a) == -1 || a->iplen == 0 ? -1 : 0;
}

static int
parse_fixed(uint8_t type, struct rbuf *r, struct ssu2_blk *b)
{
	switch (type) {
	case SSU2_B_DATETIME:
		return rbuf_get_u32(r, &b->u.datetime);
	case SSU2_B_RELAY_TAG_REQUEST:
		return 0;
	case SSU2_B_RELAY_TAG:
		if (rbuf_get_u32(r, &b->u.relay_tag) == -1)
			return -1;
		return b->u.relay_tag == 0 ? -1 : 0;
	case SSU2_B_NEW_TOKEN:
		rbuf_get_u32(r, &b->u.new_token.expires);
		return rbuf_get_u64(r, &b->u.new_token.token);
	case SSU2_B_FIRST_PN:
		return rbuf_get_u32(r, &b->u.first_pn);
	case SSU2_B_CONGESTION:
		/* extensible: more bytes may follow the flags */
		if (rbuf_get_u8(r, &b->u.congestion) == -1)
			return -1;
		return rbuf_skip(r, rbuf_left(r));
	default:
		return -1;
	}
}

static int
parse_var(uint8_t type, struct rbuf *r, struct ssu2_blk *b)
{
	switch (type) {
	case SSU2_B_OPTIONS:
		return parse_options(r, &b->u.options);
	case SSU2_B_ROUTERINFO:
		return parse_ri(r, b);
	case SSU2_B_I2NP:
	case SSU2_B_FIRST_FRAG:
		return parse_i2np(r, &b->u.i2np, type == SSU2_B_FIRST_FRAG);
	case SSU2_B_FOLLOW_FRAG:
		return parse_follow(r, &b->u.follow);
	case SSU2_B_TERMINATION:
		return parse_term(r, &b->u.term);
	case SSU2_B_RELAY_REQUEST:
	case SSU2_B_RELAY_RESPONSE:
	case SSU2_B_RELAY_INTRO:
		return parse_relay(type, r, &b->u.relay);
	case SSU2_B_PEER_TEST:
		return parse_peertest(r, &b->u.peertest);
	case SSU2_B_ACK:
		return parse_ack(r, &b->u.ack);
	case SSU2_B_ADDRESS:
		return parse_addr_blk(r, &b->u.addr);
	case SSU2_B_PATH_CHALLENGE:
	case SSU2_B_PATH_RESPONSE:
		b->u.path.len = rbuf_left(r);
		return rbuf_get_ptr(r, &b->u.path.data, b->u.path.len);
	case SSU2_B_PADDING:
		return rbuf_skip(r, rbuf_left(r));
	default:
		return parse_fixed(type, r, b);
	}
}

int
ssu2_blk_parse(uint8_t type, const uint8_t *p, size_t len,
    struct ssu2_blk *b)
{
	struct rbuf	 r;

	memset(b, 0, sizeof(*b));
	b->type = type;
	if (!known_block(type))
		return 1;
	rbuf_init(&r, p, len);
	if (parse_var(type, &r, b) == -1)
		return -1;
	/* fixed-size blocks must be exactly their size */
	return rbuf_end(&r);
}

/*
 * Builders
 */

/* block header with the body's length filled in by blk_end */
static int
blk_begin(struct wbuf *w, uint8_t type, size_t *off)
{
	wbuf_put_u8(w, type);
	return wbuf_reserve(w, 2, off);
}

static int
blk_end(struct wbuf *w, size_t off)
{
	size_t	 n;

	if (wbuf_error(w))
		return -1;
	n = wbuf_len(w) - off - 2;
	if (n > UINT16_MAX) {
		w->err = 1;
		return -1;
	}
	return wbuf_set_u16(w, off, n);
}

int
ssu2_put_datetime(struct wbuf *w, uint32_t ts)
{
	size_t	 off;

	blk_begin(w, SSU2_B_DATETIME, &off);
	wbuf_put_u32(w, ts);
	return blk_end(w, off);
}

int
ssu2_put_options(struct wbuf *w, const struct ssu2_options *o)
{
	size_t	 off;

	blk_begin(w, SSU2_B_OPTIONS, &off);
	wbuf_put_u8(w, o->tmin);
	wbuf_put_u8(w, o->tmax);
	wbuf_put_u8(w, o->rmin);
	wbuf_put_u8(w, o->rmax);
	wbuf_put_u16(w, o->tdmy);
	wbuf_put_u16(w, o->rdmy);
	wbuf_put_u16(w, o->tdelay);
	wbuf_put_u16(w, o->rdelay);
	wbuf_put_bytes(w, o->more, o->morelen);
	return blk_end(w, off);
}

int
ssu2_put_routerinfo(struct wbuf *w, uint8_t flag, const uint8_t *ri,
    size_t len)
{
	size_t	 off;

	blk_begin(w, SSU2_B_ROUTERINFO, &off);
	wbuf_put_u8(w, flag);
	wbuf_put_u8(w, 0x01);		/* fragment 0 of 1 */
	wbuf_put_bytes(w, ri, len);
	return blk_end(w, off);
}

int
ssu2_put_i2np(struct wbuf *w, uint8_t blk, const struct ssu2_i2np *m)
{
	size_t	 off;

	if (blk != SSU2_B_I2NP && blk != SSU2_B_FIRST_FRAG)
		return -1;
	blk_begin(w, blk, &off);
	wbuf_put_u8(w, m->type);
	wbuf_put_u32(w, m->msg_id);
	wbuf_put_u32(w, m->expires);
	wbuf_put_bytes(w, m->body, m->bodylen);
	return blk_end(w, off);
}

int
ssu2_put_follow(struct wbuf *w, const struct ssu2_follow *f)
{
	size_t	 off;

	if (f->num == 0 || f->num > SSU2_FRAG_NUM_MAX || f->bodylen == 0)
		return -1;
	blk_begin(w, SSU2_B_FOLLOW_FRAG, &off);
	wbuf_put_u8(w, (f->num << 1) | (f->last ? 1 : 0));
	wbuf_put_u32(w, f->msg_id);
	wbuf_put_bytes(w, f->body, f->bodylen);
	return blk_end(w, off);
}

int
ssu2_put_termination(struct wbuf *w, uint64_t received, uint8_t reason)
{
	size_t	 off;

	blk_begin(w, SSU2_B_TERMINATION, &off);
	wbuf_put_u64(w, received);
	wbuf_put_u8(w, reason);
	return blk_end(w, off);
}

static int
put_addr(struct wbuf *w, const struct ssu2_addr *a)
{
	if (a->iplen != 4 && a->iplen != 16)
		return -1;
	wbuf_put_u16(w, a->port);
	return wbuf_put_bytes(w, a->ip, a->iplen);
}

/* the signed fields of Relay Request/Intro and of an accepted Response */
static int
relay_fields(struct wbuf *w, uint8_t blk, const struct ssu2_relay *x)
{
	wbuf_put_u32(w, x->nonce);
	if (blk == SSU2_B_RELAY_RESPONSE && x->code != 0 &&
	    x->addr.iplen == 0 && x->ts == 0)
		return wbuf_error(w) ? -1 : 0;
	if (blk != SSU2_B_RELAY_RESPONSE)
		wbuf_put_u32(w, x->tag);
	wbuf_put_u32(w, x->ts);
	wbuf_put_u8(w, x->ver);
	if (x->addr.iplen == 0) {
		if (blk != SSU2_B_RELAY_RESPONSE)
			return -1;
		return wbuf_put_u8(w, 0);
	}
	wbuf_put_u8(w, x->addr.iplen + 2);
	return put_addr(w, &x->addr);
}

int
ssu2_relay_signed(struct wbuf *w, uint8_t blk, const struct ssu2_relay *x)
{
	if (blk < SSU2_B_RELAY_REQUEST || blk > SSU2_B_RELAY_INTRO)
		return -1;
	return relay_fields(w, blk, x);
}

int
ssu2_put_relay(struct wbuf *w, uint8_t blk, const struct ssu2_relay *x)
{
	size_t	 off;

	if (blk < SSU2_B_RELAY_REQUEST || blk > SSU2_B_RELAY_INTRO)
		return -1;
	blk_begin(w, blk, &off);
	wbuf_put_u8(w, x->flag);
	if (blk == SSU2_B_RELAY_RESPONSE)
		wbuf_put_u8(w, x->code);
	if (blk == SSU2_B_RELAY_INTRO)
		wbuf_put_bytes(w, x->hash, sizeof(x->hash));
	if (relay_fields(w, blk, x) == -1)
		return -1;
	wbuf_put_bytes(w, x->sig, x->siglen);
	if (blk == SSU2_B_RELAY_RESPONSE && x->code == 0)
		wbuf_put_u64(w, x->token);
	return blk_end(w, off);
}

int
ssu2_peertest_signed(struct wbuf *w, const struct ssu2_peertest *t)
{
	wbuf_put_u8(w, t->ver);
	wbuf_put_u32(w, t->nonce);
	wbuf_put_u32(w, t->ts);
	wbuf_put_u8(w, t->addr.iplen + 2);
	return put_addr(w, &t->addr);
}

int
ssu2_put_peertest(struct wbuf *w, const struct ssu2_peertest *t)
{
	size_t	 off;

	if (t->msg < 1 || t->msg > 7)
		return -1;
	blk_begin(w, SSU2_B_PEER_TEST, &off);
	wbuf_put_u8(w, t->msg);
	wbuf_put_u8(w, t->code);
	wbuf_put_u8(w, t->flag);
	if (t->msg == 2 || t->msg == 4)
		wbuf_put_bytes(w, t->hash, sizeof(t->hash));
	if (ssu2_peertest_signed(w, t) == -1)
		return -1;
	wbuf_put_bytes(w, t->sig, t->siglen);
	return blk_end(w, off);
}

int
ssu2_put_ack(struct wbuf *w, const struct ssu2_ack *a)
{
	size_t	 off, i;

	if (a->nranges > SSU2_ACK_RANGES_MAX)
		return -1;
	blk_begin(w, SSU2_B_ACK, &off);
	wbuf_put_u32(w, a->through);
	wbuf_put_u8(w, a->acnt);
	for (i = 0; i < a->nranges; i++) {
		wbuf_put_u8(w, a->nack[i]);
		wbuf_put_u8(w, a->ack[i]);
	}
	return blk_end(w, off);
}

int
ssu2_put_address(struct wbuf *w, const struct ssu2_addr *a)
{
	size_t	 off;

	blk_begin(w, SSU2_B_ADDRESS, &off);
	if (put_addr(w, a) == -1)
		return -1;
	return blk_end(w, off);
}

int
ssu2_put_relay_tag_request(struct wbuf *w)
{
	size_t	 off;

	blk_begin(w, SSU2_B_RELAY_TAG_REQUEST, &off);
	return blk_end(w, off);
}

int
ssu2_put_relay_tag(struct wbuf *w, uint32_t tag)
{
	size_t	 off;

	if (tag == 0)
		return -1;
	blk_begin(w, SSU2_B_RELAY_TAG, &off);
	wbuf_put_u32(w, tag);
	return blk_end(w, off);
}

int
ssu2_put_new_token(struct wbuf *w, uint32_t expires, uint64_t token)
{
	size_t	 off;

	blk_begin(w, SSU2_B_NEW_TOKEN, &off);
	wbuf_put_u32(w, expires);
	wbuf_put_u64(w, token);
	return blk_end(w, off);
}

int
ssu2_put_path(struct wbuf *w, uint8_t blk, const uint8_t *p, size_t len)
{
	size_t	 off;

	if (blk != SSU2_B_PATH_CHALLENGE && blk != SSU2_B_PATH_RESPONSE)
		return -1;
	blk_begin(w, blk, &off);
	wbuf_put_bytes(w, p, len);
	return blk_end(w, off);
}

int
ssu2_put_first_pn(struct wbuf *w, uint32_t pn)
{
	size_t	 off;

	blk_begin(w, SSU2_B_FIRST_PN, &off);
	wbuf_put_u32(w, pn);
	return blk_end(w, off);
}

int
ssu2_put_congestion(struct wbuf *w, uint8_t flags)
{
	size_t	 off;

	blk_begin(w, SSU2_B_CONGESTION, &off);
	wbuf_put_u8(w, flags);
	return blk_end(w, off);
}

/* random bytes: padding that is all zeros would be a fingerprint */
int
ssu2_put_padding(struct wbuf *w, size_t len)
{
	size_t	 off, pos;

	blk_begin(w, SSU2_B_PADDING, &off);
	if (wbuf_reserve(w, len, &pos) == -1)
		return -1;
	if (len > 0 && crypto_random(w->data + pos, len) == -1) {
		w->err = 1;
		return -1;
	}
	return blk_end(w, off);
}
