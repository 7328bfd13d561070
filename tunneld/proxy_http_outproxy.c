/*
 * The outproxy's side of a CONNECT (issue 16): an I2P outproxy is an
 * HTTP proxy behind a destination, so a browser's CONNECT to a host
 * outside I2P, and a SOCKS client's request for one, become
 * "CONNECT host:port" on a stream to it (phttp_connect_request), and
 * its answer says whether the tunnel is up: a 2xx, after any 1xx
 * (RFC 9110 9.3.6; a 2xx to CONNECT has no body whatever it says).
 */
#include <string.h>

#include "proxy_http.h"

static int
too_long(struct phttp_err *err)
{
	err->status = 502;
	err->why = "the outproxy's answer is too long";
	return PHTTP_ERR;
}

int
phttp_connect_status(const void *data, size_t len, size_t max, int *status,
    size_t *head_len, struct phttp_err *err)
{
	struct phttp_head	 h;
	struct rbuf		 rb;
	const uint8_t		*p;
	size_t			 left;
	int			 r;

	if (len > max)
		len = max;
	rbuf_init(&rb, data, len);
	/* heads one after the other: 1xx ones, then the final one */
	for (;;) {
		if ((left = rbuf_left(&rb)) == 0)
			return len == max ? too_long(err) : PHTTP_MORE;
		if (rbuf_get_ptr(&rb, &p, left) == -1)
			return PHTTP_ERR;
		r = phttp_resp_parse(p, left, 0, &h, err);
		if (r == PHTTP_MORE && len == max)
			return too_long(err);
		if (r != PHTTP_OK)
			return r;
		rbuf_init(&rb, data, len);
		if (rbuf_skip(&rb, len - left + h.head_len) == -1)
			return PHTTP_ERR;
		if (h.status >= 200 || h.status == 101)
			break;
	}
	*status = h.status;
	*head_len = len - rbuf_left(&rb);
	return PHTTP_OK;
}

int
phttp_connect_ok(int status)
{
	return status >= 200 && status <= 299;
}
