/*
 * The I2CP payload format (common/i2cpdata.c): bytes made elsewhere
 * (written out by hand as i2pd 2.45.1's GzipNoCompression lays them
 * down; Python's zlib at level 9; a member with every optional header
 * field and two deflate blocks), our output read back by zlib's own
 * gzip reader, round trips, the limits, and every kind of damage.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "i2cpdata.h"
#include "unit.h"

/*
 * "hello" from port 0x1234 to 80, protocol 17, as i2pd stores it: a
 * header with no flags, extra flags 2, then one final stored block.
 * The CRC-32 of "hello" is 0x3610a686.
 */
static const uint8_t hello_stored[] = {
	0x00, 0x00, 0x00, 0x1c,				/* length 28 */
	0x1f, 0x8b, 0x08, 0x00, 0x12, 0x34, 0x00, 0x50, 0x02, 0x11,
	0x01, 0x05, 0x00, 0xfa, 0xff,			/* stored, 5 */
	'h', 'e', 'l', 'l', 'o',
	0x86, 0xa6, 0x10, 0x36, 0x05, 0x00, 0x00, 0x00	/* CRC, ISIZE */
};

/*
 * Python: zlib.compressobj(9, DEFLATED, 31) over "I2P datagram payload "
 * six times, the mtime bytes set to ports 7000 and 8080, the OS byte
 * to 17.
 */
static const uint8_t py_level9[] = {
	0x00, 0x00, 0x00, 0x2c, 0x1f, 0x8b, 0x08, 0x00, 0x1b, 0x58, 0x1f,
	0x90, 0x02, 0x11, 0xf3, 0x34, 0x0a, 0x50, 0x48, 0x49, 0x2c, 0x49,
	0x4c, 0x2f, 0x4a, 0xcc, 0x55, 0x28, 0x48, 0xac, 0xcc, 0xc9, 0x4f,
	0x4c, 0x51, 0xf0, 0xa4, 0x97, 0x20, 0x00, 0x10, 0x85, 0x88, 0x87,
	0x7e, 0x00, 0x00, 0x00
};

/*
 * Python, by hand: flags FHCRC|FEXTRA|FNAME|FCOMMENT, ports 1 and
 * 65535, protocol 18, a 6-byte extra field, "name.bin", "a comment",
 * the header CRC; then bytes 0-255 and "zzzz" 50 times deflated at
 * level 6 in two blocks (a full flush after the first 100 bytes).
 */
static const uint8_t py_optional[] = {
	0x00, 0x00, 0x01, 0x48, 0x1f, 0x8b, 0x08, 0x1e, 0x00, 0x01, 0xff,
	0xff, 0x00, 0x12, 0x06, 0x00, 0x41, 0x42, 0x02, 0x00, 0x78, 0x79,
	0x6e, 0x61, 0x6d, 0x65, 0x2e, 0x62, 0x69, 0x6e, 0x00, 0x61, 0x20,
	0x63, 0x6f, 0x6d, 0x6d, 0x65, 0x6e, 0x74, 0x00, 0xee, 0x92, 0x62,
	0x60, 0x64, 0x62, 0x66, 0x61, 0x65, 0x63, 0xe7, 0xe0, 0xe4, 0xe2,
	0xe6, 0xe1, 0xe5, 0xe3, 0x17, 0x10, 0x14, 0x12, 0x16, 0x11, 0x15,
	0x13, 0x97, 0x90, 0x94, 0x92, 0x96, 0x91, 0x95, 0x93, 0x57, 0x50,
	0x54, 0x52, 0x56, 0x51, 0x55, 0x53, 0xd7, 0xd0, 0xd4, 0xd2, 0xd6,
	0xd1, 0xd5, 0xd3, 0x37, 0x30, 0x34, 0x32, 0x36, 0x31, 0x35, 0x33,
	0xb7, 0xb0, 0xb4, 0xb2, 0xb6, 0xb1, 0xb5, 0xb3, 0x77, 0x70, 0x74,
	0x72, 0x76, 0x71, 0x75, 0x73, 0xf7, 0xf0, 0xf4, 0xf2, 0xf6, 0xf1,
	0xf5, 0xf3, 0x0f, 0x08, 0x0c, 0x0a, 0x0e, 0x09, 0x0d, 0x0b, 0x8f,
	0x88, 0x8c, 0x8a, 0x8e, 0x89, 0x8d, 0x8b, 0x4f, 0x48, 0x4c, 0x4a,
	0x06, 0x00, 0x00, 0x00, 0xff, 0xff, 0x4b, 0x49, 0x4d, 0x4b, 0xcf,
	0xc8, 0xcc, 0xca, 0xce, 0xc9, 0xcd, 0xcb, 0x2f, 0x28, 0x2c, 0x2a,
	0x2e, 0x29, 0x2d, 0x2b, 0xaf, 0xa8, 0xac, 0xaa, 0xae, 0xa9, 0xad,
	0xab, 0x6f, 0x68, 0x6c, 0x6a, 0x6e, 0x69, 0x6d, 0x6b, 0xef, 0xe8,
	0xec, 0xea, 0xee, 0xe9, 0xed, 0xeb, 0x9f, 0x30, 0x71, 0xd2, 0xe4,
	0x29, 0x53, 0xa7, 0x4d, 0x9f, 0x31, 0x73, 0xd6, 0xec, 0x39, 0x73,
	0xe7, 0xcd, 0x5f, 0xb0, 0x70, 0xd1, 0xe2, 0x25, 0x4b, 0x97, 0x2d,
	0x5f, 0xb1, 0x72, 0xd5, 0xea, 0x35, 0x6b, 0xd7, 0xad, 0xdf, 0xb0,
	0x71, 0xd3, 0xe6, 0x2d, 0x5b, 0xb7, 0x6d, 0xdf, 0xb1, 0x73, 0xd7,
	0xee, 0x3d, 0x7b, 0xf7, 0xed, 0x3f, 0x70, 0xf0, 0xd0, 0xe1, 0x23,
	0x47, 0x8f, 0x1d, 0x3f, 0x71, 0xf2, 0xd4, 0xe9, 0x33, 0x67, 0xcf,
	0x9d, 0xbf, 0x70, 0xf1, 0xd2, 0xe5, 0x2b, 0x57, 0xaf, 0x5d, 0xbf,
	0x71, 0xf3, 0xd6, 0xed, 0x3b, 0x77, 0xef, 0xdd, 0x7f, 0xf0, 0xf0,
	0xd1, 0xe3, 0x27, 0x4f, 0x9f, 0x3d, 0x7f, 0xf1, 0xf2, 0xd5, 0xeb,
	0x37, 0x6f, 0xdf, 0xbd, 0xff, 0xf0, 0xf1, 0xd3, 0xe7, 0x2f, 0x5f,
	0xbf, 0x7d, 0xff, 0xf1, 0xf3, 0xd7, 0xef, 0x3f, 0x7f, 0xff, 0xfd,
	0xaf, 0x1a, 0x26, 0x00, 0x00, 0x51, 0x24, 0xb6, 0x0c, 0xc8, 0x01,
	0x00, 0x00
};
/* where py_optional's header CRC is */
#define PY_OPTIONAL_HCRC	41

static uint8_t	out[I2CPDATA_MAX + 1];

/* the parse result code for a buffer, with the output length */
static int
parse_err(const uint8_t *buf, size_t len, size_t outsz, size_t *outlen)
{
	struct i2cpdata_hdr	 h;
	size_t			 n;
	int			 err = I2CPD_OK;

	if (i2cpdata_parse(&h, buf, len, out, outsz, &n, &err) == 0) {
		ck_assert_int_eq(err, I2CPD_OK);
		if (outlen != NULL)
			*outlen = n;
		return I2CPD_OK;
	}
	ck_assert_int_ne(err, I2CPD_OK);
	return err;
}

static size_t
build(uint8_t *buf, size_t sz, const struct i2cpdata_hdr *h,
    enum i2cpdata_mode mode, const void *data, size_t len)
{
	struct wbuf		 w;
	struct i2cpdata_part	 part = { data, len };
	int			 err = I2CPD_OK;

	wbuf_init_fixed(&w, buf, sz);
	ck_assert_int_eq(i2cpdata_build(&w, h, mode, &part, 1, &err), 0);
	ck_assert_int_eq(err, I2CPD_OK);
	return wbuf_len(&w);
}

/* gunzip with zlib's own gzip mode: our member must be plain gzip */
static size_t
zlib_gunzip(const uint8_t *gz, size_t len, uint8_t *dst, size_t sz)
{
	z_stream	z;

	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
	z.next_in = (Bytef *)gz;
	z.avail_in = len;
	z.next_out = dst;
	z.avail_out = sz;
	ck_assert_int_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
	ck_assert_uint_eq(z.avail_in, 0);
	inflateEnd(&z);
	return sz - z.avail_out;
}

START_TEST(test_known_stored)
{
	struct i2cpdata_hdr	 h, want = { 0x1234, 80, I2CP_PROTO_DATAGRAM };
	uint8_t			 buf[64];
	size_t			 n;

	ck_assert_int_eq(i2cpdata_parse(&h, hello_stored,
	    sizeof(hello_stored), out, sizeof(out), &n, NULL), 0);
	ck_assert_uint_eq(h.src_port, 0x1234);
	ck_assert_uint_eq(h.dst_port, 80);
	ck_assert_uint_eq(h.proto, I2CP_PROTO_DATAGRAM);
	ck_assert_uint_eq(n, 5);
	ck_assert_mem_eq(out, "hello", 5);
	/* and we store exactly as i2pd does */
	n = build(buf, sizeof(buf), &want, I2CPDATA_STORE, "hello", 5);
	ck_assert_uint_eq(n, sizeof(hello_stored));
	ck_assert_uint_eq(n, I2CPDATA_STORED_LEN(5));
	ck_assert_mem_eq(buf, hello_stored, n);
}
END_TEST

START_TEST(test_known_python)
{
	struct i2cpdata_hdr	 h;
	uint8_t			 want[456];
	size_t			 n, i;

	ck_assert_int_eq(i2cpdata_parse(&h, py_level9, sizeof(py_level9),
	    out, sizeof(out), &n, NULL), 0);
	ck_assert_uint_eq(h.src_port, 7000);
	ck_assert_uint_eq(h.dst_port, 8080);
	ck_assert_uint_eq(h.proto, 17);
	ck_assert_uint_eq(n, 126);
	for (i = 0; i < 6; i++)
		ck_assert_mem_eq(out + 21 * i, "I2P datagram payload ", 21);

	ck_assert_int_eq(i2cpdata_parse(&h, py_optional, sizeof(py_optional),
	    out, sizeof(out), &n, NULL), 0);
	ck_assert_uint_eq(h.src_port, 1);
	ck_assert_uint_eq(h.dst_port, 65535);
	ck_assert_uint_eq(h.proto, I2CP_PROTO_RAW);
	for (i = 0; i < 256; i++)
		want[i] = i;
	for (i = 256; i < sizeof(want); i++)
		want[i] = 'z';
	ck_assert_uint_eq(n, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
}
END_TEST

START_TEST(test_round_trip)
{
	static const size_t	 sizes[] = { 0, 1, 5, 1000, 4097, 31744,
				    I2CPDATA_MAX };
	static uint8_t		 data[I2CPDATA_MAX], buf[I2CPDATA_MAX + 512];
	struct i2cpdata_hdr	 h, want = { 65535, 0, I2CP_PROTO_STREAMING };
	size_t			 i, n, len;
	int			 mode;

	unit_fill(data, sizeof(data), 7);
	for (mode = I2CPDATA_STORE; mode <= I2CPDATA_COMPRESS; mode++)
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			len = build(buf, sizeof(buf), &want, mode, data,
			    sizes[i]);
			ck_assert_int_eq(i2cpdata_parse(&h, buf, len, out,
			    sizeof(out), &n, NULL), 0);
			ck_assert_uint_eq(n, sizes[i]);
			ck_assert_mem_eq(out, data, n);
			ck_assert_uint_eq(h.src_port, 65535);
			ck_assert_uint_eq(h.dst_port, 0);
			ck_assert_uint_eq(h.proto, I2CP_PROTO_STREAMING);
			/* the length covers the member; zlib reads it */
			ck_assert_uint_eq(buf[0] << 24 | buf[1] << 16 |
			    buf[2] << 8 | buf[3], len - 4);
			ck_assert_uint_eq(zlib_gunzip(buf + 4, len - 4, out,
			    sizeof(out)), sizes[i]);
			ck_assert_mem_eq(out, data, n);
		}
}
END_TEST

/* pieces come out in order; repetitive data compresses */
START_TEST(test_parts_and_compression)
{
	static uint8_t		 buf[8192];
	uint8_t			 pad[32], big[4000];
	struct i2cpdata_part	 parts[4];
	struct i2cpdata_hdr	 h = { 1, 2, I2CP_PROTO_DATAGRAM };
	struct wbuf		 w;
	size_t			 i, n;

	unit_fill(pad, sizeof(pad), 3);
	for (i = 0; i < sizeof(big); i += sizeof(pad))
		memcpy(big + i, pad, sizeof(pad));
	parts[0] = (struct i2cpdata_part){ "abc", 3 };
	parts[1] = (struct i2cpdata_part){ NULL, 0 };
	parts[2] = (struct i2cpdata_part){ big, sizeof(big) };
	parts[3] = (struct i2cpdata_part){ "xyz", 3 };
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(i2cpdata_build(&w, &h, I2CPDATA_COMPRESS, parts, 4,
	    NULL), 0);
	ck_assert_uint_lt(wbuf_len(&w), 200);
	ck_assert_int_eq(i2cpdata_parse(&h, buf, wbuf_len(&w), out,
	    sizeof(out), &n, NULL), 0);
	ck_assert_uint_eq(n, 3 + sizeof(big) + 3);
	ck_assert_mem_eq(out, "abc", 3);
	ck_assert_mem_eq(out + 3, big, sizeof(big));
	ck_assert_mem_eq(out + 3 + sizeof(big), "xyz", 3);

	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(i2cpdata_build(&w, &h, I2CPDATA_STORE, parts, 4,
	    NULL), 0);
	ck_assert_uint_eq(wbuf_len(&w), I2CPDATA_STORED_LEN(n));
	ck_assert_int_eq(i2cpdata_parse(&h, buf, wbuf_len(&w), out,
	    sizeof(out), &n, NULL), 0);
	ck_assert_mem_eq(out + 3, big, sizeof(big));
}
END_TEST

START_TEST(test_build_limits)
{
	static uint8_t		 data[I2CPDATA_MAX + 1], buf[I2CPDATA_MAX + 64];
	struct i2cpdata_part	 parts[2] = { { data, I2CPDATA_MAX },
				    { data, 1 } };
	struct i2cpdata_hdr	 h = { 0, 0, I2CP_PROTO_RAW };
	struct wbuf		 w;
	int			 err, mode;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(i2cpdata_build(&w, &h, I2CPDATA_STORE, parts, 2,
	    &err), -1);
	ck_assert_int_eq(err, I2CPD_TOO_LARGE);
	parts[0].len = I2CPDATA_MAX + 1;
	ck_assert_int_eq(i2cpdata_build(&w, &h, I2CPDATA_COMPRESS, parts, 1,
	    &err), -1);
	ck_assert_int_eq(err, I2CPD_TOO_LARGE);

	/* no room: stored and compressed, short by one byte */
	unit_fill(data, sizeof(data), 11);
	parts[0].len = 100;
	for (mode = I2CPDATA_STORE; mode <= I2CPDATA_COMPRESS; mode++) {
		size_t	need = build(buf, sizeof(buf), &h, mode, data, 100);

		wbuf_init_fixed(&w, buf, need - 1);
		ck_assert_int_eq(i2cpdata_build(&w, &h, mode, parts, 1, &err),
		    -1);
		ck_assert_int_eq(err, I2CPD_NOSPACE);
		wbuf_init_fixed(&w, buf, 3);
		ck_assert_int_eq(i2cpdata_build(&w, &h, mode, parts, 1, &err),
		    -1);
		ck_assert_int_eq(err, I2CPD_NOSPACE);
	}
	/* a failed build leaves the kept stream usable */
	ck_assert_uint_gt(build(buf, sizeof(buf), &h, I2CPDATA_COMPRESS,
	    data, 100), 0);
	ck_assert_int_eq(parse_err(buf, build(buf, sizeof(buf), &h,
	    I2CPDATA_COMPRESS, data, 100), sizeof(out), NULL), I2CPD_OK);
}
END_TEST

/* a gzip bomb stops at the limit; the limit itself is allowed */
START_TEST(test_inflate_limit)
{
	static uint8_t		 zeros[1 << 20], buf[8192], deflated[4096];
	struct i2cpdata_hdr	 h = { 0, 0, I2CP_PROTO_RAW };
	struct wbuf		 w;
	struct i2cpdata_part	 part;
	z_stream		 z;
	size_t			 lenoff, n;

	/* a million zeros in one member: more than we build, so by hand */
	wbuf_init_fixed(&w, buf, sizeof(buf));
	wbuf_reserve(&w, 4, &lenoff);
	wbuf_put_bytes(&w, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x12", 10);
	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 9,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = zeros;
	z.avail_in = sizeof(zeros);
	z.next_out = deflated;
	z.avail_out = sizeof(deflated);
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	wbuf_put_bytes(&w, deflated, z.total_out);
	deflateEnd(&z);
	wbuf_put_u32le(&w, crc32(0, zeros, sizeof(zeros)));
	wbuf_put_u32le(&w, sizeof(zeros));
	wbuf_set_u32(&w, lenoff, wbuf_len(&w) - 4);
	ck_assert_int_eq(wbuf_error(&w), 0);
	ck_assert_int_eq(parse_err(buf, wbuf_len(&w), sizeof(out), NULL),
	    I2CPD_TOO_LARGE);

	/* exactly outsz bytes pass; one more does not */
	part = (struct i2cpdata_part){ zeros, 1000 };
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(i2cpdata_build(&w, &h, I2CPDATA_COMPRESS, &part, 1,
	    NULL), 0);
	ck_assert_int_eq(parse_err(buf, wbuf_len(&w), 1000, &n), I2CPD_OK);
	ck_assert_uint_eq(n, 1000);
	ck_assert_int_eq(parse_err(buf, wbuf_len(&w), 999, NULL),
	    I2CPD_TOO_LARGE);
	n = build(buf, sizeof(buf), &h, I2CPDATA_STORE, zeros, 1000);
	ck_assert_int_eq(parse_err(buf, n, 1000, NULL), I2CPD_OK);
	ck_assert_int_eq(parse_err(buf, n, 999, NULL), I2CPD_TOO_LARGE);
}
END_TEST

/*
 * zlib's own effort 0, as i2pd's deflater would make it: several
 * stored blocks, and the empty stored blocks of sync flushes between
 * pieces; our header, zlib's deflate.
 */
START_TEST(test_zlib_level0)
{
	static uint8_t		 data[40000], buf[41000], deflated[40500];
	struct i2cpdata_hdr	 h;
	struct wbuf		 w;
	z_stream		 z;
	size_t			 lenoff, n, i;

	unit_fill(data, sizeof(data), 23);
	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(deflateInit2(&z, 0, Z_DEFLATED, -MAX_WBITS, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_out = deflated;
	z.avail_out = sizeof(deflated);
	for (i = 0; i < 4; i++) {
		z.next_in = data + i * 10000;
		z.avail_in = 10000;
		ck_assert_int_eq(deflate(&z, i < 3 ? Z_SYNC_FLUSH : Z_FINISH),
		    i < 3 ? Z_OK : Z_STREAM_END);
	}
	wbuf_init_fixed(&w, buf, sizeof(buf));
	wbuf_reserve(&w, 4, &lenoff);
	wbuf_put_bytes(&w, "\x1f\x8b\x08\x00\x00\x07\x00\x08\x00\x12", 10);
	wbuf_put_bytes(&w, deflated, z.total_out);
	wbuf_put_u32le(&w, crc32(0, data, sizeof(data)));
	wbuf_put_u32le(&w, sizeof(data));
	wbuf_set_u32(&w, lenoff, wbuf_len(&w) - 4);
	deflateEnd(&z);
	ck_assert_int_eq(wbuf_error(&w), 0);
	ck_assert_int_eq(i2cpdata_parse(&h, buf, wbuf_len(&w), out,
	    sizeof(out), &n, NULL), 0);
	ck_assert_uint_eq(h.src_port, 7);
	ck_assert_uint_eq(h.dst_port, 8);
	ck_assert_uint_eq(h.proto, I2CP_PROTO_RAW);
	ck_assert_uint_eq(n, sizeof(data));
	ck_assert_mem_eq(out, data, n);
}
END_TEST

/* a copy of a known message with one change, parsed */
static int
damaged(const uint8_t *src, size_t len, size_t at, uint8_t val)
{
	uint8_t	buf[512];

	ck_assert_uint_le(len, sizeof(buf));
	memcpy(buf, src, len);
	buf[at] = val;
	return parse_err(buf, len, sizeof(out), NULL);
}

/* one byte of hello_stored changed, and what that must give */
static const struct {
	size_t		 at;
	uint8_t		 val;
	int		 want;
} hello_damage[] = {
	{ 4, 0x1e, I2CPD_HEADER },	/* magic */
	{ 5, 0x8c, I2CPD_HEADER },
	{ 6, 0x07, I2CPD_HEADER },	/* method other than deflate */
	{ 7, 0x20, I2CPD_HEADER },	/* reserved flags */
	{ 7, 0x80, I2CPD_HEADER },
	{ 7, 0x01, I2CPD_OK },		/* FTEXT is only a hint */
	{ 12, 0x00, I2CPD_OK },		/* XFL likewise */
	{ 7, 0x04, I2CPD_TRUNCATED },	/* FEXTRA of 1281 bytes */
	/* FNAME: the name ends inside the block, the rest is no deflate */
	{ 7, 0x08, I2CPD_DEFLATE },
	{ 17, 0xfb, I2CPD_DEFLATE },	/* stored NLEN not ~LEN */
	{ 14, 0x07, I2CPD_DEFLATE },	/* block type 3 is reserved */
	/* non-final stored block: the CRC then reads as type 3 */
	{ 14, 0x00, I2CPD_DEFLATE },
	{ 19, 'H', I2CPD_CRC },		/* payload */
	{ 24, 0x87, I2CPD_CRC },	/* CRC */
	{ 28, 0x06, I2CPD_ISIZE },	/* size */
	{ 31, 0x01, I2CPD_ISIZE },
	{ 3, 0x1d, I2CPD_TRUNCATED },	/* length beyond the end */
	{ 0, 0x80, I2CPD_TRUNCATED },
	{ 3, 0x1b, I2CPD_TRAILING },	/* length short of the end */
};

START_TEST(test_damage)
{
	size_t	i;

	for (i = 0; i < sizeof(hello_damage) / sizeof(hello_damage[0]); i++)
		ck_assert_msg(damaged(hello_stored, sizeof(hello_stored),
		    hello_damage[i].at, hello_damage[i].val) ==
		    hello_damage[i].want, "damage %zu", i);
	ck_assert_int_eq(damaged(py_optional, sizeof(py_optional),
	    PY_OPTIONAL_HCRC, py_optional[PY_OPTIONAL_HCRC] ^ 1), I2CPD_HCRC);
	/* a changed name changes the header CRC */
	ck_assert_int_eq(damaged(py_optional, sizeof(py_optional), 23, 'N'),
	    I2CPD_HCRC);
}
END_TEST

START_TEST(test_length_errors)
{
	size_t	len = sizeof(hello_stored);
	uint8_t	buf[64];

	/* a byte after the member, covered by the length */
	memcpy(buf, hello_stored, len);
	buf[len] = 0;
	buf[3]++;
	ck_assert_int_eq(parse_err(buf, len + 1, sizeof(out), NULL),
	    I2CPD_TRAILING);
	/* trailer cut short */
	memcpy(buf, hello_stored, len - 1);
	buf[3]--;
	ck_assert_int_eq(parse_err(buf, len - 1, sizeof(out), NULL),
	    I2CPD_TRUNCATED);
	/* no length field at all */
	ck_assert_int_eq(parse_err(buf, 3, sizeof(out), NULL),
	    I2CPD_TRUNCATED);
	ck_assert_int_eq(parse_err(buf, 0, sizeof(out), NULL),
	    I2CPD_TRUNCATED);
}
END_TEST

/* two members are not one: the second is trailing garbage */
START_TEST(test_two_members)
{
	uint8_t	buf[128];
	size_t	len = sizeof(hello_stored);

	memcpy(buf, hello_stored, len);
	memcpy(buf + len, hello_stored + 4, len - 4);
	buf[3] = 2 * (len - 4);
	ck_assert_int_eq(parse_err(buf, 2 * len - 4, sizeof(out), NULL),
	    I2CPD_TRAILING);
}
END_TEST

/*
 * Every prefix of every sample fails (its length field adjusted, so
 * the member itself is what is short), and every byte flip either
 * fails or, in a field without integrity protection, leaves the
 * payload as it was.
 */
START_TEST(test_truncation_and_flips)
{
	static const struct {
		const uint8_t	*p;
		size_t		 len;
	} samples[] = {
		{ hello_stored, sizeof(hello_stored) },
		{ py_level9, sizeof(py_level9) },
		{ py_optional, sizeof(py_optional) },
	};
	uint8_t	buf[512], want[512];
	size_t	s, i, n, wantlen = 0;
	int	bit;

	for (s = 0; s < sizeof(samples) / sizeof(samples[0]); s++) {
		ck_assert_int_eq(parse_err(samples[s].p, samples[s].len,
		    sizeof(out), &wantlen), I2CPD_OK);
		memcpy(want, out, wantlen);
		for (i = 4; i < samples[s].len; i++) {
			memcpy(buf, samples[s].p, i);
			buf[0] = buf[1] = 0;
			buf[2] = (i - 4) >> 8;
			buf[3] = (i - 4) & 0xff;
			ck_assert_int_ne(parse_err(buf, i, sizeof(out), NULL),
			    I2CPD_OK);
		}
		for (i = 0; i < samples[s].len; i++)
			for (bit = 0; bit < 8; bit++) {
				memcpy(buf, samples[s].p, samples[s].len);
				buf[i] ^= 1 << bit;
				if (parse_err(buf, samples[s].len, sizeof(out),
				    &n) != I2CPD_OK)
					continue;
				ck_assert_uint_eq(n, wantlen);
				ck_assert_mem_eq(out, want, n);
			}
	}
}
END_TEST

START_TEST(test_strerror)
{
	int	i;

	for (i = 0; i < I2CPD_MAX; i++)
		ck_assert_ptr_nonnull(i2cpdata_strerror(i));
	ck_assert_str_eq(i2cpdata_strerror(I2CPD_CRC), "CRC-32 mismatch");
	ck_assert_str_eq(i2cpdata_strerror(-1), "unknown error");
	ck_assert_str_eq(i2cpdata_strerror(I2CPD_MAX), "unknown error");
}
END_TEST

static Suite *
i2cpdata_suite(void)
{
	Suite	*s = suite_create("i2cpdata");
	TCase	*tc = tcase_create("i2cpdata");

	tcase_add_test(tc, test_known_stored);
	tcase_add_test(tc, test_known_python);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_parts_and_compression);
	tcase_add_test(tc, test_build_limits);
	tcase_add_test(tc, test_inflate_limit);
	tcase_add_test(tc, test_zlib_level0);
	tcase_add_test(tc, test_damage);
	tcase_add_test(tc, test_length_errors);
	tcase_add_test(tc, test_two_members);
	tcase_add_test(tc, test_truncation_and_flips);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(i2cpdata_suite());
}
