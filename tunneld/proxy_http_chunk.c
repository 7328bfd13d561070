/*
 * A scanner of chunked bodies (RFC 9112 7.1) for a keep-alive
 * connection: it does not decode, it only finds where the body ends so
 * that the bytes after it can be read as the next message.  Fed piece
 * by piece as bytes arrive, a byte at a time except over chunk data.
 * Chunk-size lines with their extensions and each trailer line are
 * bounded by PROXY_HTTP_LINE_MAX, the trailers by PROXY_HTTP_HEAD_MAX;
 * sizes by 15 hex digits (under 2^60, so no sum overflows).
 */
#include <string.h>

#include "proxy_http.h"

enum {
	CK_SIZE,	/* hex digits of a chunk size */
	CK_EXT,		/* ";ext" after the size, up to CR */
	CK_SIZE_LF,
	CK_DATA,
	CK_DATA_CR,
	CK_DATA_LF,
	CK_TRAILER,	/* trailer field lines, then the empty line */
	CK_TRAILER_LF,
	CK_END_LF,
	CK_DONE,
	CK_ERR		/* sticky: the body was malformed */
};

void
phttp_chunk_init(struct phttp_chunk *c)
{
	memset(c, 0, sizeof(*c));
	c->state = CK_SIZE;
}

/* a byte of a size line: digits, then extensions up to CR */
static int
size_byte(struct phttp_chunk *c, uint8_t b)
{
	int	v;

	if (++c->line > PROXY_HTTP_LINE_MAX)
		return -1;
	if (b == '\r') {
		c->state = CK_SIZE_LF;
		return c->digits > 0 ? 0 : -1;
	}
	if (c->state == CK_EXT)
		return (b < 0x20 && b != '\t') || b == 0x7f ? -1 : 0;
	if ((v = phttp_hexval(b)) >= 0) {
		if (++c->digits > 15)
			return -1;
		c->left = c->left * 16 + v;
		return 0;
	}
	if (c->digits > 0 && (b == ';' || b == ' ' || b == '\t')) {
		c->state = CK_EXT;
		return 0;
	}
	return -1;
}

/* a byte of the trailer section */
static int
trailer_byte(struct phttp_chunk *c, uint8_t b)
{
	if (++c->trailer > PROXY_HTTP_HEAD_MAX)
		return -1;
	if (b == '\r') {
		c->state = c->line == 0 ? CK_END_LF : CK_TRAILER_LF;
		return 0;
	}
	if (++c->line > PROXY_HTTP_LINE_MAX || b == '\n' ||
	    (b < 0x20 && b != '\t') || b == 0x7f)
		return -1;
	return 0;
}

/* one byte outside chunk data; -1 if it is wrong there */
static int
step(struct phttp_chunk *c, uint8_t b)
{
	switch (c->state) {
	case CK_SIZE:
	case CK_EXT:
		return size_byte(c, b);
	case CK_SIZE_LF:
		if (b != '\n')
			return -1;
		c->line = 0;
		c->state = c->left == 0 ? CK_TRAILER : CK_DATA;
		return 0;
	case CK_DATA_CR:
		c->state = CK_DATA_LF;
		return b == '\r' ? 0 : -1;
	case CK_DATA_LF:
		c->state = CK_SIZE;
		c->digits = 0;
		return b == '\n' ? 0 : -1;
	case CK_TRAILER:
		return trailer_byte(c, b);
	case CK_TRAILER_LF:
		c->line = 0;
		c->state = CK_TRAILER;
		return b == '\n' ? 0 : -1;
	case CK_END_LF:
		c->state = CK_DONE;
		return b == '\n' ? 0 : -1;
	}
	return -1;
}

int
phttp_chunk_scan(struct phttp_chunk *c, const void *data, size_t len,
    size_t *used)
{
	struct rbuf	 rb;
	uint8_t		 b;
	size_t		 n;

	rbuf_init(&rb, data, len);
	*used = 0;
	if (c->state == CK_ERR)
		return -1;
	while (c->state != CK_DONE && rbuf_left(&rb) > 0) {
		if (c->state == CK_DATA) {
			n = rbuf_left(&rb) < c->left ? rbuf_left(&rb) :
			    (size_t)c->left;
			if (rbuf_skip(&rb, n) == -1)
				goto bad;
			if ((c->left -= n) == 0)
				c->state = CK_DATA_CR;
			continue;
		}
		if (rbuf_get_u8(&rb, &b) == -1 || step(c, b) == -1)
			goto bad;
	}
	*used = rb.off;
	return c->state == CK_DONE ? 1 : 0;
bad:
	c->state = CK_ERR;
	return -1;
}
