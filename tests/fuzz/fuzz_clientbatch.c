/*
 * libFuzzer target: the batches of a destination's traffic between
 * tunneld and routerd (common/clientbatch.c), both record kinds over
 * the same input (byte 0 picks which).  Checked beyond the sanitizers:
 * every record read back lies inside the input with a nonzero tunnel
 * ID (send records), written again it gives the same bytes, and a
 * batch either ends cleanly at its last byte or is reported malformed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clientbatch.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t	out[65536 + 64];

static void
same_out(const struct client_out *o, const uint8_t *at, size_t n)
{
	struct wbuf	w;

	wbuf_init_fixed(&w, out, sizeof(out));
	if (o->tunnel_id == 0 || clientbatch_put_out(&w, o) == -1 ||
	    wbuf_len(&w) != n || memcmp(out, at, n) != 0)
		abort();
}

static void
same_in(const struct client_in *in, const uint8_t *at, size_t n)
{
	struct wbuf	w;

	wbuf_init_fixed(&w, out, sizeof(out));
	if (clientbatch_put_in(&w, in) == -1 || wbuf_len(&w) != n ||
	    memcmp(out, at, n) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rbuf		 r;
	struct client_out	 o;
	struct client_in	 in;
	uint32_t		 client;
	size_t			 used = 4, n;
	int			 rv, send;

	if (len < 1)
		return 0;
	send = data[0] & 1;
	data++;
	len--;
	if (clientbatch_begin(&r, data, len, &client) == -1) {
		if (len >= 4)
			abort();
		return 0;
	}
	for (;;) {
		if (send) {
			if ((rv = clientbatch_next_out(&r, &o)) != 1)
				break;
			n = CLIENTBATCH_OUT_HDR + o.len;
			if (used + n > len)
				abort();
			same_out(&o, data + used, n);
		} else {
			if ((rv = clientbatch_next_in(&r, &in)) != 1)
				break;
			n = CLIENTBATCH_IN_HDR + in.len;
			if (used + n > len)
				abort();
			same_in(&in, data + used, n);
		}
		used += n;
	}
	if (rv == 0 && used != len)
		abort();
	return 0;
}
