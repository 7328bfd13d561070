/*
 * ZIP (PKWARE APPNOTE 6.3): the end of central directory record is
 * found from the end of the file; each central directory header names
 * an entry whose local header must agree with it (name, method); the
 * sizes and CRC come from the central directory, so entries written
 * with data descriptors (flag bit 3) read the same.  Deflated data is
 * raw deflate, inflated into a buffer of the declared size exactly.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "dsm.h"
#include "zip.h"

#define SIG_LOCAL	0x04034b50
#define SIG_CENTRAL	0x02014b50
#define SIG_END		0x06054b50
#define END_LEN		22
#define LOCAL_LEN	30
#define METHOD_STORED	0
#define METHOD_DEFLATE	8
#define FLAG_ENCRYPTED	0x0001
#define ZIP64_MARK	0xffffffff

struct centry {
	uint16_t	 flags, method, namelen, extralen, commentlen;
	uint32_t	 crc, csize, usize, offset;
	const uint8_t	*name;
};

/* the end of central directory record: the last one that fits */
static int
find_end(const uint8_t *zip, size_t len, struct rbuf *end)
{
	size_t	 i;
	uint32_t sig;

	if (len < END_LEN)
		return -1;
	for (i = len - END_LEN + 1; i-- > 0 && len - i <= END_LEN + 65535;) {
		memcpy(&sig, zip + i, 4);
		if (le32toh(sig) == SIG_END) {
			rbuf_init(end, zip + i, len - i);
			return 0;
		}
	}
	return -1;
}

static int
read_central(struct rbuf *r, struct centry *c)
{
	uint32_t	 sig;

	rbuf_get_u32le(r, &sig);
	rbuf_skip(r, 4);			/* versions */
	rbuf_get_u16le(r, &c->flags);
	rbuf_get_u16le(r, &c->method);
	rbuf_skip(r, 4);			/* time, date */
	rbuf_get_u32le(r, &c->crc);
	rbuf_get_u32le(r, &c->csize);
	rbuf_get_u32le(r, &c->usize);
	rbuf_get_u16le(r, &c->namelen);
	rbuf_get_u16le(r, &c->extralen);
	rbuf_get_u16le(r, &c->commentlen);
	rbuf_skip(r, 8);			/* disk, attributes */
	rbuf_get_u32le(r, &c->offset);
	rbuf_get_ptr(r, &c->name, c->namelen);
	rbuf_skip(r, (size_t)c->extralen + c->commentlen);
	return rbuf_error(r) || sig != SIG_CENTRAL ? -1 : 0;
}

/* the entry's data, after a local header that agrees with c */
static int
local_data(const uint8_t *zip, size_t len, const struct centry *c,
    const uint8_t **data, const char **why)
{
	struct rbuf	 r;
	const uint8_t	*name;
	uint32_t	 sig;
	uint16_t	 method, namelen, extralen;

	*why = "local header outside the archive";
	if (c->offset > len)
		return -1;
	rbuf_init(&r, zip + c->offset, len - c->offset);
	rbuf_get_u32le(&r, &sig);
	rbuf_skip(&r, 4);			/* version, flags */
	rbuf_get_u16le(&r, &method);
	rbuf_skip(&r, 16);			/* time, date, crc, sizes */
	rbuf_get_u16le(&r, &namelen);
	rbuf_get_u16le(&r, &extralen);
	rbuf_get_ptr(&r, &name, namelen);
	rbuf_skip(&r, extralen);
	*why = "local header does not match the directory";
	if (rbuf_error(&r) || sig != SIG_LOCAL || method != c->method ||
	    namelen != c->namelen || memcmp(name, c->name, namelen) != 0)
		return -1;
	*why = "entry data outside the archive";
	return rbuf_get_ptr(&r, data, c->csize);
}

/* raw deflate data that inflates to exactly outlen bytes */
static int
inflate_exact(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen)
{
	size_t	got;

	return inflate_all(-MAX_WBITS, out, outlen, &got, in, inlen) == -1 ||
	    got != outlen ? -1 : 0;
}

/* checks one entry and hands its content to cb */
static int
one_entry(const uint8_t *zip, size_t len, const struct centry *c,
    size_t max_size, zip_cb cb, void *arg, const char **why)
{
	char		 name[ZIP_NAME_MAX + 1];
	const uint8_t	*data;
	uint8_t		*out;
	int		 rv;

	*why = "encrypted, ZIP64 or unsupported method";
	if ((c->flags & FLAG_ENCRYPTED) || c->csize == ZIP64_MARK ||
	    c->usize == ZIP64_MARK || c->offset == ZIP64_MARK ||
	    (c->method != METHOD_STORED && c->method != METHOD_DEFLATE))
		return -1;
	*why = "entry name too long or not text";
	if (c->namelen == 0 || c->namelen > ZIP_NAME_MAX ||
	    memchr(c->name, '\0', c->namelen) != NULL)
		return -1;
	*why = "entry too large";
	if (c->usize > max_size || (c->method == METHOD_STORED &&
	    c->csize != c->usize))
		return -1;
	if (local_data(zip, len, c, &data, why) == -1)
		return -1;
	if ((out = malloc(c->usize + 1)) == NULL)
		return -1;
	*why = "bad deflate data";
	if (c->method == METHOD_STORED)
		memcpy(out, data, c->usize);
	else if (inflate_exact(out, c->usize, data, c->csize) == -1) {
		free(out);
		return -1;
	}
	*why = "CRC mismatch";
	if (crc32(0, out, c->usize) != c->crc) {
		free(out);
		return -1;
	}
	memcpy(name, c->name, c->namelen);
	name[c->namelen] = '\0';
	rv = cb(arg, name, out, c->usize);
	free(out);
	return rv;
}

int
zip_walk(const uint8_t *zip, size_t len, size_t max_entries,
    size_t max_size, zip_cb cb, void *arg, const char **why)
{
	struct rbuf	 end, cd;
	struct centry	 c;
	uint32_t	 sig, cdsize, cdoff;
	uint16_t	 disk, cddisk, ndisk, n, i;
	int		 rv;

	*why = "no end of central directory";
	if (find_end(zip, len, &end) == -1)
		return -1;
	rbuf_get_u32le(&end, &sig);
	rbuf_get_u16le(&end, &disk);
	rbuf_get_u16le(&end, &cddisk);
	rbuf_get_u16le(&end, &ndisk);
	rbuf_get_u16le(&end, &n);
	rbuf_get_u32le(&end, &cdsize);
	rbuf_get_u32le(&end, &cdoff);
	*why = "multi-disk or ZIP64 archive";
	if (rbuf_error(&end) || disk != 0 || cddisk != 0 || ndisk != n ||
	    cdoff == ZIP64_MARK)
		return -1;
	*why = "too many entries";
	if (n > max_entries)
		return -1;
	*why = "central directory outside the archive";
	if (cdoff > len || cdsize > len - cdoff)
		return -1;
	rbuf_init(&cd, zip + cdoff, cdsize);
	for (i = 0; i < n; i++) {
		*why = "malformed central directory";
		if (read_central(&cd, &c) == -1)
			return -1;
		if ((rv = one_entry(zip, len, &c, max_size, cb, arg, why)) != 0)
			return rv;
	}
	return 0;
}

int
zip_begin(struct zip_writer *zw, struct wbuf *w)
{
	memset(zw, 0, sizeof(*zw));
	zw->w = w;
	return wbuf_init_dynamic(&zw->cd, 1024, 1024 * 1024);
}

/* the fields local and central headers share, from the version on */
static void
put_common(struct wbuf *w, uint32_t crc, size_t csize, size_t usize,
    size_t namelen)
{
	wbuf_put_u16le(w, 20);			/* version needed: 2.0 */
	wbuf_put_u16le(w, 0);			/* flags */
	wbuf_put_u16le(w, METHOD_DEFLATE);
	wbuf_put_u16le(w, 0);			/* 00:00 */
	wbuf_put_u16le(w, 0x21);		/* 1980-01-01 */
	wbuf_put_u32le(w, crc);
	wbuf_put_u32le(w, csize);
	wbuf_put_u32le(w, usize);
	wbuf_put_u16le(w, namelen);
	wbuf_put_u16le(w, 0);			/* extra */
}

int
zip_add(struct zip_writer *zw, const char *name, const uint8_t *data,
    size_t len)
{
	size_t		 namelen = strlen(name), outsz, clen, off;
	uint8_t		*c;
	uint32_t	 crc;

	if (zw->err || namelen == 0 || namelen > ZIP_NAME_MAX ||
	    len > UINT32_MAX / 2 || zw->n == UINT16_MAX)
		return zw->err = -1;
	outsz = compressBound(len) + 16;
	if ((c = malloc(outsz)) == NULL ||
	    deflate_all(-MAX_WBITS, Z_BEST_COMPRESSION, c, outsz, &clen, data,
	    len) == -1) {
		free(c);
		return zw->err = -1;
	}
	crc = crc32(0, data, len);
	off = wbuf_len(zw->w);
	wbuf_put_u32le(zw->w, SIG_LOCAL);
	put_common(zw->w, crc, clen, len, namelen);
	wbuf_put_bytes(zw->w, name, namelen);
	wbuf_put_bytes(zw->w, c, clen);
	free(c);
	wbuf_put_u32le(&zw->cd, SIG_CENTRAL);
	wbuf_put_u16le(&zw->cd, 20);		/* made by */
	put_common(&zw->cd, crc, clen, len, namelen);
	wbuf_put_u16le(&zw->cd, 0);		/* comment */
	wbuf_put_u16le(&zw->cd, 0);		/* disk */
	wbuf_put_u16le(&zw->cd, 0);		/* internal attributes */
	wbuf_put_u32le(&zw->cd, 0);		/* external attributes */
	wbuf_put_u32le(&zw->cd, off);
	wbuf_put_bytes(&zw->cd, name, namelen);
	zw->n++;
	if (wbuf_error(zw->w) || wbuf_error(&zw->cd) || off > UINT32_MAX)
		zw->err = -1;
	return zw->err;
}

int
zip_end(struct zip_writer *zw)
{
	size_t	 off = wbuf_len(zw->w), cdlen = wbuf_len(&zw->cd);

	if (!zw->err) {
		wbuf_put_bytes(zw->w, wbuf_data(&zw->cd), cdlen);
		wbuf_put_u32le(zw->w, SIG_END);
		wbuf_put_u16le(zw->w, 0);
		wbuf_put_u16le(zw->w, 0);
		wbuf_put_u16le(zw->w, zw->n);
		wbuf_put_u16le(zw->w, zw->n);
		wbuf_put_u32le(zw->w, cdlen);
		wbuf_put_u32le(zw->w, off);
		wbuf_put_u16le(zw->w, 0);	/* comment */
		if (wbuf_error(zw->w) || off > UINT32_MAX)
			zw->err = -1;
	}
	wbuf_free(&zw->cd);
	return zw->err;
}
