/*
 * Byte buffers of the streams: grown as bytes come, up to their cap,
 * and given back when empty, so that thousands of idle streams cost
 * little while each may hold its whole send or receive buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "stream_int.h"

/* an empty buffer keeps at most this much memory */
#define SB_KEEP		16384
#define SB_MIN		4096

void
sbytes_init(struct sbytes *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->cap = cap;
}

size_t
sbytes_room(const struct sbytes *b)
{
	return b->cap - b->len;
}

static int
sbytes_grow(struct sbytes *b, size_t need)
{
	uint8_t	*p;
	size_t	 n;

	if (b->off > 0) {
		memmove(b->data, b->data + b->off, b->len);
		b->off = 0;
	}
	if (need <= b->alloc)
		return 0;
	n = b->alloc * 2;
	if (n < SB_MIN)
		n = SB_MIN;
	if (n < need)
		n = need;
	if (n > b->cap)
		n = b->cap;
	if ((p = realloc(b->data, n)) == NULL)
		return -1;
	b->data = p;
	b->alloc = n;
	return 0;
}

/* all n bytes or none: -1 when they do not fit */
int
sbytes_put(struct sbytes *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (n > sbytes_room(b))
		return -1;
	if (b->off + b->len + n > b->alloc &&
	    sbytes_grow(b, b->len + n) == -1)
		return -1;
	memcpy(b->data + b->off + b->len, p, n);
	b->len += n;
	return 0;
}

size_t
sbytes_get(struct sbytes *b, void *p, size_t n)
{
	if (n > b->len)
		n = b->len;
	if (n == 0)
		return 0;
	memcpy(p, b->data + b->off, n);
	b->off += n;
	b->len -= n;
	if (b->len == 0) {
		b->off = 0;
		if (b->alloc > SB_KEEP) {
			free(b->data);
			b->data = NULL;
			b->alloc = 0;
		}
	}
	return n;
}

void
sbytes_free(struct sbytes *b)
{
	free(b->data);
	sbytes_init(b, b->cap);
}
