/*
 * Bounds-checked reader (struct rbuf) and writer (struct wbuf) of wire
 * bytes.  See buf.h for the contract.
 *
 * Every check is written as "n > left" with left = len - off, never as
 * "off + n > len", so that a huge n from the wire cannot wrap around.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* the first dynamic allocation when none was asked for */
#define WBUF_MINCAP	64

/*
 * Reader
 */

void
rbuf_init(struct rbuf *r, const void *data, size_t len)
{
	r->data = data;
	r->len = data != NULL ? len : 0;
	r->off = 0;
	r->err = 0;
}

size_t
rbuf_left(const struct rbuf *r)
{
	return r->len - r->off;
}

int
rbuf_error(const struct rbuf *r)
{
	return r->err ? -1 : 0;
}

int
rbuf_end(struct rbuf *r)
{
	if (r->err)
		return -1;
	if (r->off != r->len) {
		/* trailing garbage is an error too: parsers must be exact */
		r->err = 1;
		return -1;
	}
	return 0;
}

/*
 * The one place that moves the read offset: points *pp at the next n
 * bytes and consumes them, or fails (setting the sticky error) if the
 * buffer already failed or holds fewer than n bytes.  *pp may be NULL
 * for n == 0 on an empty reader, hence no pointer return.
 */
static int
rbuf_take(struct rbuf *r, size_t n, const uint8_t **pp)
{
	if (r->err)
		return -1;
	if (n > r->len - r->off) {
		r->err = 1;
		return -1;
	}
	*pp = r->data != NULL ? r->data + r->off : NULL;
	r->off += n;
	return 0;
}

int
rbuf_get_u8(struct rbuf *r, uint8_t *v)
{
	const uint8_t	*p;

	if (rbuf_take(r, 1, &p) == -1)
		return -1;
	*v = p[0];
	return 0;
}

int
rbuf_get_u16(struct rbuf *r, uint16_t *v)
{
	const uint8_t	*p;

	if (rbuf_take(r, 2, &p) == -1)
		return -1;
	*v = (uint16_t)p[0] << 8 | p[1];
	return 0;
}

int
rbuf_get_u32(struct rbuf *r, uint32_t *v)
{
	const uint8_t	*p;

	if (rbuf_take(r, 4, &p) == -1)
		return -1;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	return 0;
}

int
rbuf_get_u64(struct rbuf *r, uint64_t *v)
{
	const uint8_t	*p;
	uint64_t	 x = 0;
	int		 i;

	if (rbuf_take(r, 8, &p) == -1)
		return -1;
	for (i = 0; i < 8; i++)
		x = x << 8 | p[i];
	*v = x;
	return 0;
}

int
rbuf_get_u16le(struct rbuf *r, uint16_t *v)
{
	const uint8_t	*p;

	if (rbuf_take(r, 2, &p) == -1)
		return -1;
	*v = (uint16_t)p[1] << 8 | p[0];
	return 0;
}

int
rbuf_get_u32le(struct rbuf *r, uint32_t *v)
{
	const uint8_t	*p;

	if (rbuf_take(r, 4, &p) == -1)
		return -1;
	*v = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
	return 0;
}

int
rbuf_get_u64le(struct rbuf *r, uint64_t *v)
{
	const uint8_t	*p;
	uint64_t	 x = 0;
	int		 i;

	if (rbuf_take(r, 8, &p) == -1)
		return -1;
	for (i = 7; i >= 0; i--)
		x = x << 8 | p[i];
	*v = x;
	return 0;
}

int
rbuf_get_bytes(struct rbuf *r, void *dst, size_t n)
{
	const uint8_t	*p;

	if (rbuf_take(r, n, &p) == -1)
		return -1;
	if (n > 0)
		memcpy(dst, p, n);
	return 0;
}

int
rbuf_get_ptr(struct rbuf *r, const uint8_t **pp, size_t n)
{
	const uint8_t	*p;

	if (rbuf_take(r, n, &p) == -1)
		return -1;
	*pp = p;
	return 0;
}

int
rbuf_skip(struct rbuf *r, size_t n)
{
	const uint8_t	*p;

	return rbuf_take(r, n, &p);
}

int
rbuf_sub(struct rbuf *r, struct rbuf *sub, size_t n)
{
	const uint8_t	*p;

	if (rbuf_take(r, n, &p) == -1) {
		/* a failed sub-reader must fail too, not read nothing */
		rbuf_init(sub, NULL, 0);
		sub->err = 1;
		return -1;
	}
	rbuf_init(sub, p, n);
	return 0;
}

int
rbuf_get_str8(struct rbuf *r, char *dst, size_t dstsz)
{
	const uint8_t	*p;
	uint8_t		 n;

	if (dstsz > 0)
		dst[0] = '\0';
	if (rbuf_get_u8(r, &n) == -1 || rbuf_take(r, n, &p) == -1)
		return -1;
	/* an embedded NUL would silently truncate the string for C code */
	if ((size_t)n >= dstsz || memchr(p, '\0', n) != NULL) {
		r->err = 1;
		return -1;
	}
	memcpy(dst, p, n);
	dst[n] = '\0';
	return 0;
}

int
rbuf_get_cstr(struct rbuf *r, char *dst, size_t dstsz, size_t n)
{
	const uint8_t	*p, *nul;

	if (dstsz > 0)
		dst[0] = '\0';
	/* n == 0 cannot hold the NUL (and p could be NULL then) */
	if (r->err == 0 && (n > dstsz || n == 0)) {
		r->err = 1;
		return -1;
	}
	if (rbuf_take(r, n, &p) == -1)
		return -1;
	if ((nul = memchr(p, '\0', n)) == NULL) {
		r->err = 1;
		return -1;
	}
	memcpy(dst, p, nul - p + 1);
	return 0;
}

/*
 * Writer
 */

void
wbuf_init_fixed(struct wbuf *w, void *data, size_t cap)
{
	w->data = data;
	w->cap = data != NULL ? cap : 0;
	w->len = 0;
	w->max = w->cap;
	w->err = 0;
	w->dynamic = 0;
}

int
wbuf_init_dynamic(struct wbuf *w, size_t initial, size_t max)
{
	memset(w, 0, sizeof(*w));
	w->dynamic = 1;
	w->max = max;
	if (initial > max) {
		w->err = 1;
		return -1;
	}
	if (initial > 0 && (w->data = malloc(initial)) == NULL) {
		w->err = 1;
		return -1;
	}
	w->cap = initial;
	return 0;
}

void
wbuf_free(struct wbuf *w)
{
	/* the buffer may have held keys or plaintext */
	if (w->dynamic && w->data != NULL) {
		explicit_bzero(w->data, w->cap);
		free(w->data);
	}
	memset(w, 0, sizeof(*w));
}

int
wbuf_error(const struct wbuf *w)
{
	return w->err ? -1 : 0;
}

size_t
wbuf_room(const struct wbuf *w)
{
	size_t	limit = w->dynamic ? w->max : w->cap;

	if (w->err || w->len >= limit)
		return 0;
	return limit - w->len;
}

size_t
wbuf_len(const struct wbuf *w)
{
	return w->len;
}

const uint8_t *
wbuf_data(const struct wbuf *w)
{
	return w->data;
}

/*
 * Grows a dynamic buffer to hold at least need bytes.  Not realloc: it
 * could move the data and leave the old copy in freed memory, so the new
 * block is allocated, filled, and the old one wiped before it is freed.
 */
static int
wbuf_grow(struct wbuf *w, size_t need)
{
	uint8_t	*p;
	size_t	 cap;

	if (!w->dynamic || need > w->max)
		return -1;
	cap = w->cap < WBUF_MINCAP ? WBUF_MINCAP : w->cap;
	while (cap < need && cap <= w->max / 2)
		cap *= 2;
	if (cap < need || cap > w->max)
		cap = cap < need ? need : w->max;
	if ((p = malloc(cap)) == NULL)
		return -1;
	if (w->data != NULL) {
		if (w->len > 0)
			memcpy(p, w->data, w->len);
		explicit_bzero(w->data, w->cap);
		free(w->data);
	}
	w->data = p;
	w->cap = cap;
	return 0;
}

/*
 * The one place that moves the write offset: points *pp where the next n
 * bytes go and accounts for them, or fails (setting the sticky error).
 */
static int
wbuf_take(struct wbuf *w, size_t n, uint8_t **pp)
{
	if (w->err)
		return -1;
	if (n > w->cap - w->len &&
	    (n > SIZE_MAX - w->len || wbuf_grow(w, w->len + n) == -1)) {
		w->err = 1;
		return -1;
	}
	*pp = w->data != NULL ? w->data + w->len : NULL;
	w->len += n;
	return 0;
}

static void
put_be(uint8_t *p, uint64_t v, int n)
{
	while (n-- > 0) {
		p[n] = v & 0xff;
		v >>= 8;
	}
}

static void
put_le(uint8_t *p, uint64_t v, int n)
{
	int	 i;

	for (i = 0; i < n; i++) {
		p[i] = v & 0xff;
		v >>= 8;
	}
}

int
wbuf_put_u8(struct wbuf *w, uint8_t v)
{
	uint8_t	*p;

	if (wbuf_take(w, 1, &p) == -1)
		return -1;
	p[0] = v;
	return 0;
}

int
wbuf_put_u16(struct wbuf *w, uint16_t v)
{
	uint8_t	*p;

	if (wbuf_take(w, 2, &p) == -1)
		return -1;
	put_be(p, v, 2);
	return 0;
}

int
wbuf_put_u32(struct wbuf *w, uint32_t v)
{
	uint8_t	*p;

	if (wbuf_take(w, 4, &p) == -1)
		return -1;
	put_be(p, v, 4);
	return 0;
}

int
wbuf_put_u64(struct wbuf *w, uint64_t v)
{
	uint8_t	*p;

	if (wbuf_take(w, 8, &p) == -1)
		return -1;
	put_be(p, v, 8);
	return 0;
}

int
wbuf_put_u16le(struct wbuf *w, uint16_t v)
{
	uint8_t	*p;

	if (wbuf_take(w, 2, &p) == -1)
		return -1;
	put_le(p, v, 2);
	return 0;
}

int
wbuf_put_u32le(struct wbuf *w, uint32_t v)
{
	uint8_t	*p;

	if (wbuf_take(w, 4, &p) == -1)
		return -1;
	put_le(p, v, 4);
	return 0;
}

int
wbuf_put_u64le(struct wbuf *w, uint64_t v)
{
	uint8_t	*p;

	if (wbuf_take(w, 8, &p) == -1)
		return -1;
	put_le(p, v, 8);
	return 0;
}

int
wbuf_put_bytes(struct wbuf *w, const void *src, size_t n)
{
	uint8_t	*p;

	if (wbuf_take(w, n, &p) == -1)
		return -1;
	if (n > 0)
		memcpy(p, src, n);
	return 0;
}

int
wbuf_put_zero(struct wbuf *w, size_t n)
{
	uint8_t	*p;

	if (wbuf_take(w, n, &p) == -1)
		return -1;
	if (n > 0)
		memset(p, 0, n);
	return 0;
}

int
wbuf_put_str8(struct wbuf *w, const char *s)
{
	size_t	 n;

	n = strnlen(s, 256);
	if (n > 255) {
		w->err = 1;
		return -1;
	}
	if (wbuf_put_u8(w, n) == -1)
		return -1;
	return wbuf_put_bytes(w, s, n);
}

int
wbuf_reserve(struct wbuf *w, size_t n, size_t *off)
{
	size_t	 start = w->len;

	/* zeroed so that a field never filled in leaks no old memory */
	if (wbuf_put_zero(w, n) == -1)
		return -1;
	if (off != NULL)
		*off = start;
	return 0;
}

/* where n already written bytes at off are, or NULL (sticky error) */
static uint8_t *
wbuf_at(struct wbuf *w, size_t off, size_t n)
{
	if (w->err)
		return NULL;
	if (off > w->len || n > w->len - off) {
		w->err = 1;
		return NULL;
	}
	return w->data + off;
}

int
wbuf_set_u16(struct wbuf *w, size_t off, uint16_t v)
{
	uint8_t	*p;

	if ((p = wbuf_at(w, off, 2)) == NULL)
		return -1;
	put_be(p, v, 2);
	return 0;
}

int
wbuf_set_u32(struct wbuf *w, size_t off, uint32_t v)
{
	uint8_t	*p;

	if ((p = wbuf_at(w, off, 4)) == NULL)
		return -1;
	put_be(p, v, 4);
	return 0;
}
