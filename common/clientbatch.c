/*
 * A destination's traffic between tunneld and routerd; see
 * clientbatch.h.  A record that runs past the batch or holds less than
 * an I2NP header makes the whole batch malformed: the sender is a
 * sibling process, and the caller treats that as fatal.
 */
#include "clientbatch.h"

int
clientbatch_begin(struct rbuf *r, const void *data, size_t len,
    uint32_t *client)
{
	rbuf_init(r, data, len);
	return rbuf_get_u32(r, client);
}

static int
get_msg(struct rbuf *r, const uint8_t **msg, size_t *len)
{
	uint16_t	n;

	if (rbuf_get_u16(r, &n) == -1 || n < CLIENTBATCH_MSG_MIN ||
	    rbuf_get_ptr(r, msg, n) == -1)
		return -1;
	*len = n;
	return 1;
}

int
clientbatch_next_out(struct rbuf *r, struct client_out *o)
{
	if (rbuf_error(r))
		return -1;
	if (rbuf_left(r) == 0)
		return 0;
	if (rbuf_get_u32(r, &o->out_serial) == -1 ||
	    rbuf_get_bytes(r, o->gateway, sizeof(o->gateway)) == -1 ||
	    rbuf_get_u32(r, &o->tunnel_id) == -1 || o->tunnel_id == 0)
		return -1;
	return get_msg(r, &o->msg, &o->len);
}

int
clientbatch_next_in(struct rbuf *r, struct client_in *in)
{
	if (rbuf_error(r))
		return -1;
	if (rbuf_left(r) == 0)
		return 0;
	if (rbuf_get_u32(r, &in->in_serial) == -1)
		return -1;
	return get_msg(r, &in->msg, &in->len);
}

int
clientbatch_start(struct wbuf *w, uint32_t client)
{
	return wbuf_put_u32(w, client);
}

/* whether a record of hdr bytes and len message bytes fits w */
static int
fits(const struct wbuf *w, size_t hdr, size_t len)
{
	if (len < CLIENTBATCH_MSG_MIN || len > UINT16_MAX)
		return 0;
	return wbuf_room(w) >= hdr + len;
}

int
clientbatch_put_out(struct wbuf *w, const struct client_out *o)
{
	if (o->tunnel_id == 0 || !fits(w, CLIENTBATCH_OUT_HDR, o->len))
		return -1;
	wbuf_put_u32(w, o->out_serial);
	wbuf_put_bytes(w, o->gateway, sizeof(o->gateway));
	wbuf_put_u32(w, o->tunnel_id);
	wbuf_put_u16(w, (uint16_t)o->len);
	wbuf_put_bytes(w, o->msg, o->len);
	return wbuf_error(w) ? -1 : 0;
}

int
clientbatch_put_in(struct wbuf *w, const struct client_in *in)
{
	if (!fits(w, CLIENTBATCH_IN_HDR, in->len))
		return -1;
	wbuf_put_u32(w, in->in_serial);
	wbuf_put_u16(w, (uint16_t)in->len);
	wbuf_put_bytes(w, in->msg, in->len);
	return wbuf_error(w) ? -1 : 0;
}
