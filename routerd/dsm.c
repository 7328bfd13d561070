/*
 * DatabaseStore: key, type, reply token, and when the token is set a
 * reply tunnel and gateway; then for a RouterInfo a 2-byte length and
 * gzip data (RFC 1952, not zlib), for a LeaseSet the bytes themselves.
 * Inflation is bounded: a small message cannot make us allocate or
 * write more than DSM_RI_MAX bytes.
 */
#include <string.h>
#include <zlib.h>

#include "dsm.h"

/* windowBits for gzip framing (zlib.h: 16 + window size) */
#define GZIP_WBITS	(16 + MAX_WBITS)

/* all of in through a ready stream, in one call */
static int
deflate_run(z_stream *z, uint8_t *out, size_t outsz, size_t *outlen,
    const uint8_t *in, size_t len)
{
	int	rv;

	z->next_in = (Bytef *)in;
	z->avail_in = len;
	z->next_out = out;
	z->avail_out = outsz;
	rv = deflate(z, Z_FINISH);
	*outlen = outsz - z->avail_out;
	return rv == Z_STREAM_END ? 0 : -1;
}

/*
 * One deflate stream, reset between uses: setting one up allocates
 * some 256 KiB, which a floodfill answering thousands of lookups a
 * second would otherwise do each time.
 */
int
gzip_deflate(uint8_t *out, size_t outsz, size_t *outlen, const uint8_t *in,
    size_t len)
{
	static z_stream	z;
	static int	ready;

	if (!ready) {
		if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
		    GZIP_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			return -1;
		ready = 1;
	} else if (deflateReset(&z) != Z_OK)
		return -1;
	return deflate_run(&z, out, outsz, outlen, in, len);
}

int
deflate_all(int wbits, int level, uint8_t *out, size_t outsz,
    size_t *outlen, const uint8_t *in, size_t len)
{
	z_stream	z;
	int		rv;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, wbits, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	rv = deflate_run(&z, out, outsz, outlen, in, len);
	deflateEnd(&z);
	return rv;
}

int
gzip_inflate(uint8_t *out, size_t outsz, size_t *outlen, const uint8_t *in,
    size_t len)
{
	return inflate_all(GZIP_WBITS, out, outsz, outlen, in, len);
}

int
inflate_all(int wbits, uint8_t *out, size_t outsz, size_t *outlen,
    const uint8_t *in, size_t len)
{
	z_stream	z;
	int		rv;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, wbits) != Z_OK)
		return -1;
	z.next_in = (Bytef *)in;
	z.avail_in = len;
	z.next_out = out;
	z.avail_out = outsz;
	rv = inflate(&z, Z_FINISH);
	*outlen = outsz - z.avail_out;
	/* all input used, one whole member, and it fitted */
	if (rv != Z_STREAM_END || z.avail_in != 0)
		rv = -1;
	inflateEnd(&z);
	return rv == -1 ? -1 : 0;
}

static int
dsm_parse_ri(struct dsm *d, struct rbuf *r, const char **why)
{
	const uint8_t	*gz;
	uint16_t	 len;

	*why = "truncated RouterInfo";
	if (rbuf_get_u16(r, &len) == -1 || rbuf_get_ptr(r, &gz, len) == -1)
		return -1;
	*why = "trailing bytes";
	if (rbuf_end(r) == -1)
		return -1;
	*why = "bad gzip or RouterInfo too large";
	return gzip_inflate(d->data, sizeof(d->data), &d->datalen, gz, len);
}

int
dsm_parse(struct dsm *d, const uint8_t *buf, size_t len, const char **why)
{
	struct rbuf	 r;
	size_t		 n;

	memset(d, 0, sizeof(*d));
	rbuf_init(&r, buf, len);
	rbuf_get_bytes(&r, d->key, sizeof(d->key));
	rbuf_get_u8(&r, &d->type);
	rbuf_get_u32(&r, &d->reply_token);
	if (d->reply_token != 0) {
		rbuf_get_u32(&r, &d->reply_tunnel);
		rbuf_get_bytes(&r, d->reply_gateway, sizeof(d->reply_gateway));
	}
	*why = "truncated header";
	if (rbuf_error(&r))
		return -1;
	if (d->type == DSM_TYPE_RI)
		return dsm_parse_ri(d, &r, why);
	*why = "unknown store type";
	if (d->type != DSM_TYPE_LS && d->type != DSM_TYPE_LS2 &&
	    d->type != 5 && d->type != 7)
		return -1;
	*why = "LeaseSet too large";
	if ((n = rbuf_left(&r)) > sizeof(d->data))
		return -1;
	rbuf_get_bytes(&r, d->data, n);
	d->datalen = n;
	return 0;
}

int
dsm_build_ri(struct wbuf *w, const uint8_t key[32], const uint8_t *ri,
    size_t rilen, uint32_t reply_token, uint32_t reply_tunnel,
    const uint8_t reply_gateway[32])
{
	uint8_t	gz[DSM_RI_MAX + 64];
	size_t	gzlen;

	if (gzip_deflate(gz, sizeof(gz), &gzlen, ri, rilen) == -1)
		return -1;
	return dsm_build_ri_gz(w, key, gz, gzlen, reply_token, reply_tunnel,
	    reply_gateway);
}

/* key, type, reply token, and the reply tunnel and gateway with a token */
static void
dsm_put_header(struct wbuf *w, const uint8_t key[32], uint8_t type,
    uint32_t reply_token, uint32_t reply_tunnel,
    const uint8_t reply_gateway[32])
{
	wbuf_put_bytes(w, key, 32);
	wbuf_put_u8(w, type);
	wbuf_put_u32(w, reply_token);
	if (reply_token != 0) {
		wbuf_put_u32(w, reply_tunnel);
		wbuf_put_bytes(w, reply_gateway, 32);
	}
}

int
dsm_build_ls(struct wbuf *w, const uint8_t key[32], uint8_t type,
    const uint8_t *ls, size_t len, uint32_t reply_token,
    uint32_t reply_tunnel, const uint8_t reply_gateway[32])
{
	if (type == DSM_TYPE_RI || len > DSM_RI_MAX)
		return -1;
	dsm_put_header(w, key, type, reply_token, reply_tunnel, reply_gateway);
	wbuf_put_bytes(w, ls, len);
	return wbuf_error(w) ? -1 : 0;
}

int
dsm_build_ri_gz(struct wbuf *w, const uint8_t key[32], const uint8_t *gz,
    size_t gzlen, uint32_t reply_token, uint32_t reply_tunnel,
    const uint8_t reply_gateway[32])
{
	if (gzlen > UINT16_MAX)
		return -1;
	dsm_put_header(w, key, DSM_TYPE_RI, reply_token, reply_tunnel,
	    reply_gateway);
	wbuf_put_u16(w, gzlen);
	wbuf_put_bytes(w, gz, gzlen);
	return wbuf_error(w) ? -1 : 0;
}
