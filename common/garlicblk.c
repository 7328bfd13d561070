/*
 * ECIES garlic payload blocks; see garlicblk.h.
 *
 * Every block body is read through its own sub-reader, so a malformed
 * block can never make a read run into the next one; fixed-size blocks
 * must fill their body exactly.
 */
#include <string.h>

#include "garlicblk.h"

#define CLOVE_ENCRYPTED		0x80	/* unused by ECIES: refused */
#define CLOVE_DELAY		0x10	/* unimplemented anywhere: refused */

void
gblk_iter_init(struct gblk_iter *it, const void *p, size_t len)
{
	memset(it, 0, sizeof(*it));
	rbuf_init(&it->r, p, len);
}

static int
rd_term(struct rbuf *r, struct gblk *b)
{
	if (rbuf_get_u8(r, &b->u.term.reason) == -1)
		return -1;
	b->u.term.extralen = rbuf_left(r);
	return rbuf_get_ptr(r, &b->u.term.extra, b->u.term.extralen);
}

static int
rd_options(struct rbuf *r, struct gblk *b)
{
	struct gblk_options	*o = &b->u.opts;

	rbuf_get_u8(r, &o->ver);
	rbuf_get_u8(r, &o->flags);
	rbuf_get_u8(r, &o->stl);
	rbuf_get_u16(r, &o->stimeout);
	rbuf_get_u16(r, &o->sotw);
	rbuf_get_u16(r, &o->ritw);
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
rd_nextkey(struct rbuf *r, struct gblk *b)
{
	if (rbuf_get_u8(r, &b->u.nextkey.flags) == -1 ||
	    rbuf_get_u16(r, &b->u.nextkey.key_id) == -1)
		return -1;
	if (b->u.nextkey.key_id > GBLK_NK_KEYID_MAX)
		return -1;
	/* a request for a reverse key only goes with a forward key */
	if ((b->u.nextkey.flags & GBLK_NK_REVERSE) &&
	    (b->u.nextkey.flags & GBLK_NK_REQUEST))
		return -1;
	if ((b->u.nextkey.flags & GBLK_NK_KEY) &&
	    rbuf_get_bytes(r, b->u.nextkey.key, 32) == -1)
		return -1;
	return rbuf_end(r);
}

static int
rd_clove(struct rbuf *r, struct gblk *b)
{
	struct gblk_clove	*c = &b->u.clove;
	uint8_t			 flag;

	if (rbuf_get_u8(r, &flag) == -1 ||
	    (flag & (CLOVE_ENCRYPTED | CLOVE_DELAY)) != 0)
		return -1;
	c->delivery = (flag >> 5) & 3;
	if (c->delivery != GBLK_LOCAL && rbuf_get_bytes(r, c->hash, 32) == -1)
		return -1;
	if (c->delivery == GBLK_TUNNEL && rbuf_get_u32(r, &c->tunnel_id) == -1)
		return -1;
	if (i2np_hdr_parse_short(&c->hdr, r, NULL) == -1)
		return -1;
	c->msglen = rbuf_left(r);
	c->hdr.size = c->msglen;
	return rbuf_get_ptr(r, &c->msg, c->msglen);
}

/* the body of a known block type, or 0 for one skipped */
static int
rd_body(struct rbuf *r, struct gblk *b)
{
	switch (b->type) {
	case GBLK_DATETIME:
		return rbuf_get_u32(r, &b->u.datetime) == -1 ? -1 : rbuf_end(r);
	case GBLK_TERMINATION:
		return rd_term(r, b);
	case GBLK_OPTIONS:
		return rd_options(r, b);
	case GBLK_MSGNUM:
		return rbuf_get_u16(r, &b->u.pn) == -1 ? -1 : rbuf_end(r);
	case GBLK_NEXTKEY:
		return rd_nextkey(r, b);
	case GBLK_ACK:
		b->u.nacks = b->len / 4;
		return b->len == 0 || b->len % 4 != 0 ? -1 : 0;
	case GBLK_ACKREQ:
		return rbuf_get_u8(r, &b->u.ackreq_flags) == -1 ? -1 :
		    rbuf_end(r);
	case GBLK_CLOVE:
		return rd_clove(r, b);
	default:
		return 0;
	}
}

static int
known(uint8_t type)
{
	switch (type) {
	case GBLK_DATETIME:
	case GBLK_TERMINATION:
	case GBLK_OPTIONS:
	case GBLK_MSGNUM:
	case GBLK_NEXTKEY:
	case GBLK_ACK:
	case GBLK_ACKREQ:
	case GBLK_CLOVE:
	case GBLK_PADDING:
		return 1;
	default:
		return 0;
	}
}

int
gblk_next(struct gblk_iter *it, struct gblk *b, const char **why)
{
	struct rbuf	 body;
	uint16_t	 size;

	for (;;) {
		if (rbuf_error(&it->r)) {
			*why = "garlic block after an error";
			return -1;
		}
		if (rbuf_left(&it->r) == 0)
			return 0;
		memset(b, 0, sizeof(*b));
		*why = "truncated garlic block";
		if (it->padding) {
			*why = "garlic block after padding";
			it->r.err = 1;
			return -1;
		}
		if (rbuf_get_u8(&it->r, &b->type) == -1 ||
		    rbuf_get_u16(&it->r, &size) == -1 ||
		    rbuf_get_ptr(&it->r, &b->data, size) == -1)
			return -1;
		b->len = size;
		if (b->type == GBLK_PADDING)
			it->padding = 1;
		if (!known(b->type))
			continue;
		rbuf_init(&body, b->data, b->len);
		if (rd_body(&body, b) == -1) {
			*why = "malformed garlic block";
			it->r.err = 1;
			return -1;
		}
		return 1;
	}
}

int
gblk_ack_get(const struct gblk *b, size_t i, struct gblk_ack *a)
{
	struct rbuf	 r;

	if (b->type != GBLK_ACK || i >= b->u.nacks)
		return -1;
	rbuf_init(&r, b->data, b->len);
	rbuf_skip(&r, i * 4);
	rbuf_get_u16(&r, &a->tagset_id);
	return rbuf_get_u16(&r, &a->n);
}

static int
put_hdr(struct wbuf *w, uint8_t type, size_t len)
{
	if (len > GBLK_PAYLOAD_MAX - GBLK_HDR_LEN) {
		w->err = 1;
		return -1;
	}
	wbuf_put_u8(w, type);
	return wbuf_put_u16(w, (uint16_t)len);
}

int
gblk_put_datetime(struct wbuf *w, uint32_t seconds)
{
	put_hdr(w, GBLK_DATETIME, 4);
	return wbuf_put_u32(w, seconds);
}

int
gblk_put_termination(struct wbuf *w, uint8_t reason)
{
	put_hdr(w, GBLK_TERMINATION, 1);
	return wbuf_put_u8(w, reason);
}

int
gblk_put_options(struct wbuf *w, const struct gblk_options *o)
{
	put_hdr(w, GBLK_OPTIONS, GBLK_OPTIONS_MIN + o->morelen);
	wbuf_put_u8(w, o->ver);
	wbuf_put_u8(w, o->flags);
	wbuf_put_u8(w, o->stl);
	wbuf_put_u16(w, o->stimeout);
	wbuf_put_u16(w, o->sotw);
	wbuf_put_u16(w, o->ritw);
	wbuf_put_u8(w, o->tmin);
	wbuf_put_u8(w, o->tmax);
	wbuf_put_u8(w, o->rmin);
	wbuf_put_u8(w, o->rmax);
	wbuf_put_u16(w, o->tdmy);
	wbuf_put_u16(w, o->rdmy);
	wbuf_put_u16(w, o->tdelay);
	wbuf_put_u16(w, o->rdelay);
	return wbuf_put_bytes(w, o->more, o->morelen);
}

int
gblk_put_msgnum(struct wbuf *w, uint16_t pn)
{
	put_hdr(w, GBLK_MSGNUM, 2);
	return wbuf_put_u16(w, pn);
}

int
gblk_put_nextkey(struct wbuf *w, uint8_t flags, uint16_t key_id,
    const uint8_t *key)
{
	if (key_id > GBLK_NK_KEYID_MAX) {
		w->err = 1;
		return -1;
	}
	flags = key != NULL ? flags | GBLK_NK_KEY : flags & ~GBLK_NK_KEY;
	put_hdr(w, GBLK_NEXTKEY, key != NULL ? 35 : 3);
	wbuf_put_u8(w, flags);
	wbuf_put_u16(w, key_id);
	return key != NULL ? wbuf_put_bytes(w, key, 32) : wbuf_error(w);
}

int
gblk_put_ack(struct wbuf *w, const struct gblk_ack *a, size_t n)
{
	size_t	i;

	if (n == 0 || n > (GBLK_PAYLOAD_MAX - GBLK_HDR_LEN) / 4) {
		w->err = 1;
		return -1;
	}
	put_hdr(w, GBLK_ACK, n * 4);
	for (i = 0; i < n; i++) {
		wbuf_put_u16(w, a[i].tagset_id);
		wbuf_put_u16(w, a[i].n);
	}
	return wbuf_error(w);
}

int
gblk_put_ackreq(struct wbuf *w)
{
	put_hdr(w, GBLK_ACKREQ, 1);
	return wbuf_put_u8(w, 0);
}

size_t
gblk_clove_size(const struct gblk_clove *c)
{
	size_t	n = GBLK_HDR_LEN + 1 + 9 + c->msglen;

	if (c->delivery != GBLK_LOCAL)
		n += 32;
	if (c->delivery == GBLK_TUNNEL)
		n += 4;
	return n;
}

int
gblk_put_clove(struct wbuf *w, const struct gblk_clove *c)
{
	struct i2np_hdr	 h = c->hdr;

	if (c->delivery > GBLK_TUNNEL) {
		w->err = 1;
		return -1;
	}
	put_hdr(w, GBLK_CLOVE, gblk_clove_size(c) - GBLK_HDR_LEN);
	wbuf_put_u8(w, (uint8_t)(c->delivery << 5));
	if (c->delivery != GBLK_LOCAL)
		wbuf_put_bytes(w, c->hash, 32);
	if (c->delivery == GBLK_TUNNEL)
		wbuf_put_u32(w, c->tunnel_id);
	if (i2np_hdr_write_short(&h, w) == -1) {
		w->err = 1;
		return -1;
	}
	return wbuf_put_bytes(w, c->msg, c->msglen);
}

int
gblk_put_padding(struct wbuf *w, size_t n)
{
	put_hdr(w, GBLK_PADDING, n);
	return wbuf_put_zero(w, n);
}
