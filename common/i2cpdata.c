/*
 * The I2CP payload format (see i2cpdata.h): a gzip member whose header
 * carries ports and protocol, inside a Data message's length.
 *
 * The gzip framing is done here rather than by zlib's gzip mode: zlib
 * would write its own mtime and OS bytes, and on reading it accepts
 * concatenated members and lets the header's fields pass unchecked.
 * zlib does the raw deflate and the CRC-32 only.
 */
#include <string.h>
#include <zlib.h>

#include "i2cpdata.h"

#define GZ_ID1		0x1f
#define GZ_ID2		0x8b
#define GZ_CM_DEFLATE	8
#define GZ_FHCRC	0x02
#define GZ_FEXTRA	0x04
#define GZ_FNAME	0x08
#define GZ_FCOMMENT	0x10
#define GZ_FRESERVED	0xe0
#define GZ_XFL		2	/* protocol/i2cp.html: as Java writes it */

/* a deflate block header: BFINAL set, BTYPE 00 (stored) */
#define BLOCK_STORED_FINAL	0x01
/* deflate output is moved to the wbuf this many bytes at a time */
#define DEFLATE_CHUNK		4096

static const char *const errstr[I2CPD_MAX] = {
	[I2CPD_OK] = "no error",
	[I2CPD_TRUNCATED] = "truncated",
	[I2CPD_TRAILING] = "trailing bytes",
	[I2CPD_HEADER] = "bad gzip header",
	[I2CPD_HCRC] = "gzip header CRC mismatch",
	[I2CPD_DEFLATE] = "bad deflate data",
	[I2CPD_TOO_LARGE] = "payload too large",
	[I2CPD_CRC] = "CRC-32 mismatch",
	[I2CPD_ISIZE] = "size mismatch",
	[I2CPD_NOSPACE] = "output buffer full",
	[I2CPD_INTERNAL] = "zlib failed",
};

const char *
i2cpdata_strerror(int code)
{
	if (code < 0 || code >= I2CPD_MAX)
		return "unknown error";
	return errstr[code];
}

static int
fail(int *err, int code)
{
	if (err != NULL)
		*err = code;
	return -1;
}

static void
put_header(struct wbuf *w, const struct i2cpdata_hdr *h)
{
	wbuf_put_u8(w, GZ_ID1);
	wbuf_put_u8(w, GZ_ID2);
	wbuf_put_u8(w, GZ_CM_DEFLATE);
	wbuf_put_u8(w, 0);			/* no optional fields */
	wbuf_put_u16(w, h->src_port);
	wbuf_put_u16(w, h->dst_port);
	wbuf_put_u8(w, GZ_XFL);
	wbuf_put_u8(w, h->proto);
}

/* one final stored block: what a gzip effort of 0 is, without zlib */
static void
put_stored(struct wbuf *w, const struct i2cpdata_part *parts, size_t n,
    size_t total)
{
	size_t	i;

	wbuf_put_u8(w, BLOCK_STORED_FINAL);
	wbuf_put_u16le(w, total);
	wbuf_put_u16le(w, ~total & 0xffff);
	for (i = 0; i < n; i++)
		wbuf_put_bytes(w, parts[i].data, parts[i].len);
}

/*
 * Runs deflate on what the stream holds until it needs more input (or,
 * with Z_FINISH, until the end), moving the output to w.
 */
static int
deflate_to(z_stream *z, int flush, struct wbuf *w)
{
	uint8_t	chunk[DEFLATE_CHUNK];
	size_t	n;
	int	rv;

	do {
		z->next_out = chunk;
		z->avail_out = sizeof(chunk);
		rv = deflate(z, flush);
		n = sizeof(chunk) - z->avail_out;
		if (rv == Z_STREAM_ERROR || wbuf_put_bytes(w, chunk, n) == -1)
			return -1;
	} while (z->avail_out == 0);
	if (flush == Z_FINISH && rv != Z_STREAM_END)
		return -1;
	return 0;
}

/*
 * The raw deflate stream, kept and reset between messages: a new one
 * would allocate its window and hash tables for every datagram.
 */
static z_stream *
deflater(void)
{
	static z_stream	z;
	static int	ready;

	if (ready)
		return deflateReset(&z) == Z_OK ? &z : NULL;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, -MAX_WBITS, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	ready = 1;
	return &z;
}

static int
put_compressed(struct wbuf *w, const struct i2cpdata_part *parts, size_t n,
    int *err)
{
	z_stream	*z;
	size_t		 i;

	if ((z = deflater()) == NULL)
		return fail(err, I2CPD_INTERNAL);
	for (i = 0; i < n; i++) {
		/* zlib's input pointer is not const; it does not write */
		z->next_in = (Bytef *)parts[i].data;
		z->avail_in = parts[i].len;
		if (deflate_to(z, Z_NO_FLUSH, w) == -1)
			break;
	}
	if (i < n || deflate_to(z, Z_FINISH, w) == -1)
		return fail(err, wbuf_error(w) ? I2CPD_NOSPACE :
		    I2CPD_INTERNAL);
	return 0;
}

int
i2cpdata_build(struct wbuf *w, const struct i2cpdata_hdr *h,
    enum i2cpdata_mode mode, const struct i2cpdata_part *parts,
    size_t nparts, int *err)
{
	size_t		 i, total = 0, lenoff;
	uint32_t	 crc = crc32(0, NULL, 0);

	for (i = 0; i < nparts; i++) {
		if (parts[i].len > I2CPDATA_MAX - total)
			return fail(err, I2CPD_TOO_LARGE);
		total += parts[i].len;
		/* crc32() with a NULL buffer restarts the CRC */
		if (parts[i].len > 0)
			crc = crc32(crc, parts[i].data, parts[i].len);
	}
	wbuf_reserve(w, 4, &lenoff);
	put_header(w, h);
	if (mode == I2CPDATA_STORE)
		put_stored(w, parts, nparts, total);
	else if (put_compressed(w, parts, nparts, err) == -1)
		return -1;
	wbuf_put_u32le(w, crc);
	wbuf_put_u32le(w, total);
	if (wbuf_error(w) ||
	    wbuf_set_u32(w, lenoff, wbuf_len(w) - lenoff - 4) == -1)
		return fail(err, I2CPD_NOSPACE);
	return 0;
}

/* a NUL-terminated header field (file name, comment) */
static int
skip_cstring(struct rbuf *r)
{
	uint8_t	c;

	do {
		if (rbuf_get_u8(r, &c) == -1)
			return -1;
	} while (c != 0);
	return 0;
}

/* the optional fields the flags announce, in RFC 1952's order */
static int
gzip_optional(struct rbuf *r, uint8_t flg)
{
	uint16_t	xlen;

	if (flg & GZ_FEXTRA) {
		rbuf_get_u16le(r, &xlen);
		rbuf_skip(r, xlen);
	}
	if (flg & GZ_FNAME)
		skip_cstring(r);
	if (flg & GZ_FCOMMENT)
		skip_cstring(r);
	return rbuf_error(r);
}

/* FHCRC: the low 16 bits of the CRC-32 of the header before it */
static int
gzip_hcrc(struct rbuf *r, struct rbuf *start, int *err)
{
	const uint8_t	*hdr;
	size_t		 hlen = rbuf_left(start) - rbuf_left(r);
	uint16_t	 hcrc;

	if (rbuf_get_u16le(r, &hcrc) == -1)
		return fail(err, I2CPD_TRUNCATED);
	rbuf_get_ptr(start, &hdr, hlen);
	if ((crc32(0, hdr, hlen) & 0xffff) != hcrc)
		return fail(err, I2CPD_HCRC);
	return 0;
}

static int
gzip_header(struct rbuf *r, struct i2cpdata_hdr *h, int *err)
{
	struct rbuf	 start = *r;
	uint8_t		 id1, id2, cm, flg, xfl;

	rbuf_get_u8(r, &id1);
	rbuf_get_u8(r, &id2);
	rbuf_get_u8(r, &cm);
	rbuf_get_u8(r, &flg);
	rbuf_get_u16(r, &h->src_port);
	rbuf_get_u16(r, &h->dst_port);
	rbuf_get_u8(r, &xfl);		/* compression hint: ignored */
	rbuf_get_u8(r, &h->proto);
	if (rbuf_error(r))
		return fail(err, I2CPD_TRUNCATED);
	if (id1 != GZ_ID1 || id2 != GZ_ID2 || cm != GZ_CM_DEFLATE ||
	    (flg & GZ_FRESERVED) != 0)
		return fail(err, I2CPD_HEADER);
	if (gzip_optional(r, flg) == -1)
		return fail(err, I2CPD_TRUNCATED);
	if (flg & GZ_FHCRC)
		return gzip_hcrc(r, &start, err);
	return 0;
}

/*
 * Inflates the raw deflate data at the start of in into out; *used
 * gets the input bytes the stream took.
 */
static int
inflate_bounded(const uint8_t *in, size_t inlen, uint8_t *out, size_t outsz,
    size_t *outlen, size_t *used, int *err)
{
	z_stream	z;
	int		rv;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
		return fail(err, I2CPD_INTERNAL);
	z.next_in = (Bytef *)in;	/* not written through */
	z.avail_in = inlen;
	z.next_out = out;
	z.avail_out = outsz;
	rv = inflate(&z, Z_FINISH);
	*outlen = outsz - z.avail_out;
	*used = inlen - z.avail_in;
	inflateEnd(&z);
	if (rv == Z_STREAM_END)
		return 0;
	if (rv == Z_DATA_ERROR)
		return fail(err, I2CPD_DEFLATE);
	/* out of room with input left, or out of input */
	if (rv == Z_BUF_ERROR && z.avail_out == 0 && z.avail_in > 0)
		return fail(err, I2CPD_TOO_LARGE);
	if (rv == Z_BUF_ERROR)
		return fail(err, I2CPD_TRUNCATED);
	return fail(err, I2CPD_INTERNAL);
}

/* the deflate data, then the trailer, then nothing */
static int
gzip_body(struct rbuf *r, uint8_t *out, size_t outsz, size_t *outlen,
    int *err)
{
	const uint8_t	*in;
	size_t		 inlen = rbuf_left(r), used;
	uint32_t	 crc, isize;

	rbuf_get_ptr(r, &in, inlen);
	if (inflate_bounded(in, inlen, out, outsz, outlen, &used, err) == -1)
		return -1;
	rbuf_init(r, in, inlen);
	rbuf_skip(r, used);
	rbuf_get_u32le(r, &crc);
	rbuf_get_u32le(r, &isize);
	if (rbuf_error(r))
		return fail(err, I2CPD_TRUNCATED);
	if (rbuf_left(r) != 0)
		return fail(err, I2CPD_TRAILING);
	if (crc32(0, out, *outlen) != crc)
		return fail(err, I2CPD_CRC);
	if (isize != *outlen)
		return fail(err, I2CPD_ISIZE);
	return 0;
}

int
i2cpdata_parse(struct i2cpdata_hdr *h, const uint8_t *buf, size_t len,
    uint8_t *out, size_t outsz, size_t *outlen, int *err)
{
	struct rbuf	 r, member;
	uint32_t	 mlen;

	*outlen = 0;
	rbuf_init(&r, buf, len);
	if (rbuf_get_u32(&r, &mlen) == -1 || mlen > rbuf_left(&r))
		return fail(err, I2CPD_TRUNCATED);
	if (mlen < rbuf_left(&r))
		return fail(err, I2CPD_TRAILING);
	rbuf_sub(&r, &member, mlen);
	if (gzip_header(&member, h, err) == -1)
		return -1;
	if (outsz > I2CPDATA_MAX)
		outsz = I2CPDATA_MAX;
	return gzip_body(&member, out, outsz, outlen, err);
}
