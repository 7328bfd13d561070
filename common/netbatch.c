/*
 * Reading an I2NP batch between netd and routerd; see netbatch.h.
 * A record shorter than an I2NP header or running past the batch makes
 * the whole batch malformed: the sender is a sibling process, and the
 * caller treats that as fatal.
 */
#include "netbatch.h"

int
netbatch_begin(struct rbuf *r, const void *data, size_t len, uint8_t hash[32])
{
	rbuf_init(r, data, len);
	return rbuf_get_bytes(r, hash, 32);
}

int
netbatch_next(struct rbuf *r, const uint8_t **msg, size_t *len)
{
	uint16_t	n;

	if (rbuf_error(r))
		return -1;
	if (rbuf_left(r) == 0)
		return 0;
	if (rbuf_get_u16(r, &n) == -1 || n < NETBATCH_MSG_MIN ||
	    rbuf_get_ptr(r, msg, n) == -1)
		return -1;
	*len = n;
	return 1;
}
