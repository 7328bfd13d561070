/*
 * Unit tests of common/buf.c: the bounds-checked reader and writer.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "unit.h"

static const uint8_t seq[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08
};

/*
 * Reader: integers
 */

START_TEST(test_rbuf_ints_be)
{
	struct rbuf	 r;
	uint8_t		 u8;
	uint16_t	 u16;
	uint32_t	 u32;
	uint64_t	 u64;

	rbuf_init(&r, seq, 1);
	ck_assert_int_eq(rbuf_get_u8(&r, &u8), 0);
	ck_assert_uint_eq(u8, 0x01);
	ck_assert_int_eq(rbuf_end(&r), 0);

	rbuf_init(&r, seq, 2);
	ck_assert_int_eq(rbuf_get_u16(&r, &u16), 0);
	ck_assert_uint_eq(u16, 0x0102);
	ck_assert_int_eq(rbuf_end(&r), 0);

	rbuf_init(&r, seq, 4);
	ck_assert_int_eq(rbuf_get_u32(&r, &u32), 0);
	ck_assert_uint_eq(u32, 0x01020304);
	ck_assert_int_eq(rbuf_end(&r), 0);

	rbuf_init(&r, seq, 8);
	ck_assert_int_eq(rbuf_get_u64(&r, &u64), 0);
	ck_assert_uint_eq(u64, 0x0102030405060708ULL);
	ck_assert_int_eq(rbuf_end(&r), 0);
	ck_assert_int_eq(rbuf_error(&r), 0);
}
END_TEST

START_TEST(test_rbuf_ints_le)
{
	struct rbuf	 r;
	uint16_t	 u16;
	uint32_t	 u32;
	uint64_t	 u64;

	rbuf_init(&r, seq, 2);
	ck_assert_int_eq(rbuf_get_u16le(&r, &u16), 0);
	ck_assert_uint_eq(u16, 0x0201);
	ck_assert_int_eq(rbuf_end(&r), 0);

	rbuf_init(&r, seq, 4);
	ck_assert_int_eq(rbuf_get_u32le(&r, &u32), 0);
	ck_assert_uint_eq(u32, 0x04030201);
	ck_assert_int_eq(rbuf_end(&r), 0);

	rbuf_init(&r, seq, 8);
	ck_assert_int_eq(rbuf_get_u64le(&r, &u64), 0);
	ck_assert_uint_eq(u64, 0x0807060504030201ULL);
	ck_assert_int_eq(rbuf_end(&r), 0);
}
END_TEST

START_TEST(test_rbuf_high_bits)
{
	static const uint8_t ff[8] = {
	    0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 0xf9, 0xf8
	};
	struct rbuf	 r;
	uint16_t	 u16;
	uint32_t	 u32;
	uint64_t	 u64;

	/* no sign extension or truncation of bytes >= 0x80 */
	rbuf_init(&r, ff, sizeof(ff));
	ck_assert_int_eq(rbuf_get_u64(&r, &u64), 0);
	ck_assert_uint_eq(u64, 0xfffefdfcfbfaf9f8ULL);
	rbuf_init(&r, ff, sizeof(ff));
	ck_assert_int_eq(rbuf_get_u64le(&r, &u64), 0);
	ck_assert_uint_eq(u64, 0xf8f9fafbfcfdfeffULL);
	rbuf_init(&r, ff, sizeof(ff));
	ck_assert_int_eq(rbuf_get_u32(&r, &u32), 0);
	ck_assert_uint_eq(u32, 0xfffefdfc);
	ck_assert_int_eq(rbuf_get_u32le(&r, &u32), 0);
	ck_assert_uint_eq(u32, 0xf8f9fafb);
	rbuf_init(&r, ff, sizeof(ff));
	ck_assert_int_eq(rbuf_get_u16(&r, &u16), 0);
	ck_assert_uint_eq(u16, 0xfffe);
	ck_assert_int_eq(rbuf_get_u16le(&r, &u16), 0);
	ck_assert_uint_eq(u16, 0xfcfd);
}
END_TEST

START_TEST(test_rbuf_sequence)
{
	struct rbuf	 r;
	uint8_t		 u8;
	uint16_t	 u16;
	uint32_t	 u32;

	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_uint_eq(rbuf_left(&r), 8);
	ck_assert_int_eq(rbuf_get_u8(&r, &u8), 0);
	ck_assert_int_eq(rbuf_get_u16(&r, &u16), 0);
	ck_assert_int_eq(rbuf_get_u32(&r, &u32), 0);
	ck_assert_uint_eq(u8, 0x01);
	ck_assert_uint_eq(u16, 0x0203);
	ck_assert_uint_eq(u32, 0x04050607);
	ck_assert_uint_eq(rbuf_left(&r), 1);
	ck_assert_int_eq(rbuf_get_u8(&r, &u8), 0);
	ck_assert_uint_eq(u8, 0x08);
	ck_assert_uint_eq(rbuf_left(&r), 0);
	ck_assert_int_eq(rbuf_end(&r), 0);
}
END_TEST

/* each integer reader on one byte too few fails and changes nothing */
START_TEST(test_rbuf_ints_short)
{
	struct rbuf	 r;
	uint8_t		 u8 = 0xaa;
	uint16_t	 u16 = 0xaaaa;
	uint32_t	 u32 = 0xaaaaaaaa;
	uint64_t	 u64 = 0xaaaaaaaaaaaaaaaaULL;

	rbuf_init(&r, seq, 0);
	ck_assert_int_eq(rbuf_get_u8(&r, &u8), -1);
	ck_assert_int_eq(rbuf_error(&r), -1);
	ck_assert_uint_eq(u8, 0xaa);

	rbuf_init(&r, seq, 1);
	ck_assert_int_eq(rbuf_get_u16(&r, &u16), -1);
	ck_assert_uint_eq(u16, 0xaaaa);
	rbuf_init(&r, seq, 1);
	ck_assert_int_eq(rbuf_get_u16le(&r, &u16), -1);
	ck_assert_uint_eq(u16, 0xaaaa);

	rbuf_init(&r, seq, 3);
	ck_assert_int_eq(rbuf_get_u32(&r, &u32), -1);
	ck_assert_uint_eq(u32, 0xaaaaaaaa);
	rbuf_init(&r, seq, 3);
	ck_assert_int_eq(rbuf_get_u32le(&r, &u32), -1);
	ck_assert_uint_eq(u32, 0xaaaaaaaa);

	rbuf_init(&r, seq, 7);
	ck_assert_int_eq(rbuf_get_u64(&r, &u64), -1);
	ck_assert_uint_eq(u64, 0xaaaaaaaaaaaaaaaaULL);
	ck_assert_int_eq(rbuf_error(&r), -1);
	ck_assert_uint_eq(rbuf_left(&r), 7);
	rbuf_init(&r, seq, 7);
	ck_assert_int_eq(rbuf_get_u64le(&r, &u64), -1);
	ck_assert_uint_eq(u64, 0xaaaaaaaaaaaaaaaaULL);
}
END_TEST

START_TEST(test_rbuf_sticky)
{
	struct rbuf	 r;
	uint8_t		 u8, b[2];
	uint16_t	 u16;
	uint32_t	 u32;
	uint64_t	 u64;
	const uint8_t	*p;
	struct rbuf	 sub;
	char		 s[16];

	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_skip(&r, 9), -1);
	/* 8 bytes are there, but after the failure nothing reads */
	ck_assert_int_eq(rbuf_get_u8(&r, &u8), -1);
	ck_assert_int_eq(rbuf_get_u16(&r, &u16), -1);
	ck_assert_int_eq(rbuf_get_u32(&r, &u32), -1);
	ck_assert_int_eq(rbuf_get_u64(&r, &u64), -1);
	ck_assert_int_eq(rbuf_get_u16le(&r, &u16), -1);
	ck_assert_int_eq(rbuf_get_u32le(&r, &u32), -1);
	ck_assert_int_eq(rbuf_get_u64le(&r, &u64), -1);
	ck_assert_int_eq(rbuf_get_bytes(&r, b, 2), -1);
	ck_assert_int_eq(rbuf_get_bytes(&r, b, 0), -1);
	ck_assert_int_eq(rbuf_get_ptr(&r, &p, 1), -1);
	ck_assert_int_eq(rbuf_skip(&r, 0), -1);
	ck_assert_int_eq(rbuf_sub(&r, &sub, 1), -1);
	ck_assert_int_eq(rbuf_get_u8(&sub, &u8), -1);
	ck_assert_int_eq(rbuf_get_str8(&r, s, sizeof(s)), -1);
	ck_assert_int_eq(rbuf_get_cstr(&r, s, sizeof(s), 1), -1);
	ck_assert_int_eq(rbuf_end(&r), -1);
	ck_assert_int_eq(rbuf_error(&r), -1);
	ck_assert_uint_eq(rbuf_left(&r), 8);
}
END_TEST

/*
 * Reader: byte strings, pointers, skip
 */

START_TEST(test_rbuf_bytes)
{
	struct rbuf	 r;
	uint8_t		 b[8];
	const uint8_t	*p;

	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_get_bytes(&r, b, 3), 0);
	ck_assert_mem_eq(b, seq, 3);
	ck_assert_int_eq(rbuf_get_ptr(&r, &p, 2), 0);
	ck_assert_ptr_eq(p, seq + 3);
	ck_assert_int_eq(rbuf_skip(&r, 1), 0);
	ck_assert_int_eq(rbuf_get_bytes(&r, b, 0), 0);
	ck_assert_int_eq(rbuf_get_bytes(&r, b, 2), 0);
	ck_assert_mem_eq(b, seq + 6, 2);
	ck_assert_int_eq(rbuf_end(&r), 0);

	/* exactly everything, then zero more is still fine */
	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_get_bytes(&r, b, 8), 0);
	ck_assert_mem_eq(b, seq, 8);
	ck_assert_int_eq(rbuf_skip(&r, 0), 0);
	ck_assert_int_eq(rbuf_end(&r), 0);

	/* an empty reader over no memory */
	rbuf_init(&r, NULL, 0);
	ck_assert_int_eq(rbuf_get_bytes(&r, b, 0), 0);
	ck_assert_int_eq(rbuf_get_ptr(&r, &p, 0), 0);
	ck_assert_int_eq(rbuf_end(&r), 0);
}
END_TEST

START_TEST(test_rbuf_bytes_short)
{
	struct rbuf	 r;
	uint8_t		 b[9];
	const uint8_t	*p = NULL;

	memset(b, 0xee, sizeof(b));
	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_get_bytes(&r, b, 9), -1);
	ck_assert_uint_eq(b[0], 0xee);
	ck_assert_int_eq(rbuf_error(&r), -1);

	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_get_ptr(&r, &p, 9), -1);
	ck_assert_ptr_null(p);

	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_skip(&r, 9), -1);

	/* a length from the wire near SIZE_MAX must not wrap the check */
	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_skip(&r, 1), 0);
	ck_assert_int_eq(rbuf_skip(&r, SIZE_MAX), -1);
	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_skip(&r, 1), 0);
	ck_assert_int_eq(rbuf_get_ptr(&r, &p, SIZE_MAX - 0), -1);
}
END_TEST

START_TEST(test_rbuf_end_trailing)
{
	struct rbuf	 r;
	uint32_t	 u32;

	rbuf_init(&r, seq, 5);
	ck_assert_int_eq(rbuf_get_u32(&r, &u32), 0);
	ck_assert_int_eq(rbuf_error(&r), 0);
	ck_assert_int_eq(rbuf_end(&r), -1);
	/* and the failure is sticky */
	ck_assert_int_eq(rbuf_error(&r), -1);
	ck_assert_int_eq(rbuf_get_u8(&r, (uint8_t *)&u32), -1);
}
END_TEST

/*
 * Reader: sub-readers
 */

START_TEST(test_rbuf_sub)
{
	struct rbuf	 r, sub;
	uint16_t	 u16;
	uint8_t		 u8;
	const uint8_t	*p;

	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_skip(&r, 1), 0);
	ck_assert_int_eq(rbuf_sub(&r, &sub, 3), 0);
	/* the parent has moved past the sub's bytes */
	ck_assert_uint_eq(rbuf_left(&r), 4);
	ck_assert_uint_eq(rbuf_left(&sub), 3);
	ck_assert_int_eq(rbuf_get_u16(&sub, &u16), 0);
	ck_assert_uint_eq(u16, 0x0203);
	/* reading past the sub's end fails even though the parent has more */
	ck_assert_int_eq(rbuf_get_u16(&sub, &u16), -1);
	ck_assert_int_eq(rbuf_error(&sub), -1);
	/* ... and does not affect the parent */
	ck_assert_int_eq(rbuf_error(&r), 0);
	ck_assert_int_eq(rbuf_get_u8(&r, &u8), 0);
	ck_assert_uint_eq(u8, 0x05);

	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_sub(&r, &sub, 2), 0);
	ck_assert_int_eq(rbuf_get_ptr(&sub, &p, 3), -1);
	ck_assert_int_eq(rbuf_sub(&r, &sub, 6), 0);
	ck_assert_int_eq(rbuf_skip(&sub, 6), 0);
	ck_assert_int_eq(rbuf_end(&sub), 0);
	ck_assert_int_eq(rbuf_end(&r), 0);

	/* an empty sub at the end */
	ck_assert_int_eq(rbuf_sub(&r, &sub, 0), 0);
	ck_assert_uint_eq(rbuf_left(&sub), 0);
	ck_assert_int_eq(rbuf_end(&sub), 0);
}
END_TEST

START_TEST(test_rbuf_sub_too_long)
{
	struct rbuf	 r, sub;
	uint8_t		 u8;

	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_skip(&r, 2), 0);
	ck_assert_int_eq(rbuf_sub(&r, &sub, 7), -1);
	ck_assert_int_eq(rbuf_error(&r), -1);
	/* the sub of a failed call reads nothing */
	ck_assert_int_eq(rbuf_error(&sub), -1);
	ck_assert_uint_eq(rbuf_left(&sub), 0);
	ck_assert_int_eq(rbuf_get_u8(&sub, &u8), -1);
	ck_assert_int_eq(rbuf_end(&sub), -1);

	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_skip(&r, 2), 0);
	ck_assert_int_eq(rbuf_sub(&r, &sub, SIZE_MAX), -1);
}
END_TEST

START_TEST(test_rbuf_sub_nested)
{
	struct rbuf	 r, a, b;
	uint8_t		 u8;

	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_sub(&r, &a, 6), 0);
	ck_assert_int_eq(rbuf_skip(&a, 1), 0);
	ck_assert_int_eq(rbuf_sub(&a, &b, 6), -1);	/* only 5 in a */
	rbuf_init(&r, seq, sizeof(seq));
	ck_assert_int_eq(rbuf_sub(&r, &a, 6), 0);
	ck_assert_int_eq(rbuf_skip(&a, 1), 0);
	ck_assert_int_eq(rbuf_sub(&a, &b, 5), 0);
	ck_assert_int_eq(rbuf_skip(&b, 4), 0);
	ck_assert_int_eq(rbuf_get_u8(&b, &u8), 0);
	ck_assert_uint_eq(u8, 0x06);
	ck_assert_int_eq(rbuf_get_u8(&b, &u8), -1);
	ck_assert_int_eq(rbuf_end(&a), 0);
	ck_assert_uint_eq(rbuf_left(&r), 2);
}
END_TEST

/*
 * Reader: strings
 */

START_TEST(test_rbuf_str8)
{
	static const uint8_t in[] = { 3, 'a', 'b', 'c', 0, 0x7f };
	struct rbuf	 r;
	char		 s[4];
	uint8_t		 u8;

	rbuf_init(&r, in, sizeof(in));
	ck_assert_int_eq(rbuf_get_str8(&r, s, sizeof(s)), 0);
	ck_assert_str_eq(s, "abc");
	/* the empty string */
	ck_assert_int_eq(rbuf_get_str8(&r, s, sizeof(s)), 0);
	ck_assert_str_eq(s, "");
	ck_assert_int_eq(rbuf_get_u8(&r, &u8), 0);
	ck_assert_int_eq(rbuf_end(&r), 0);
}
END_TEST

START_TEST(test_rbuf_str8_bad)
{
	static const uint8_t in[] = { 3, 'a', 'b', 'c' };
	static const uint8_t nul[] = { 3, 'a', 0, 'c' };
	static const uint8_t shortin[] = { 4, 'a', 'b', 'c' };
	struct rbuf	 r;
	char		 s[4];

	/* "abc" needs 4 bytes with its NUL */
	rbuf_init(&r, in, sizeof(in));
	ck_assert_int_eq(rbuf_get_str8(&r, s, 3), -1);
	ck_assert_int_eq(rbuf_error(&r), -1);

	rbuf_init(&r, in, sizeof(in));
	ck_assert_int_eq(rbuf_get_str8(&r, s, 0), -1);

	rbuf_init(&r, nul, sizeof(nul));
	ck_assert_int_eq(rbuf_get_str8(&r, s, sizeof(s)), -1);
	ck_assert_int_eq(rbuf_error(&r), -1);

	rbuf_init(&r, shortin, sizeof(shortin));
	ck_assert_int_eq(rbuf_get_str8(&r, s, sizeof(s)), -1);

	/* no length byte at all */
	rbuf_init(&r, in, 0);
	ck_assert_int_eq(rbuf_get_str8(&r, s, sizeof(s)), -1);
}
END_TEST

START_TEST(test_rbuf_cstr)
{
	static const uint8_t in[] = {
	    'a', 'b', 0, 'x', 'y', 'z', 0, 0, 'q'
	};
	struct rbuf	 r;
	char		 s[8];
	uint8_t		 u8;

	rbuf_init(&r, in, sizeof(in));
	ck_assert_int_eq(rbuf_get_cstr(&r, s, sizeof(s), 8), 0);
	ck_assert_str_eq(s, "ab");
	ck_assert_int_eq(rbuf_get_u8(&r, &u8), 0);
	ck_assert_uint_eq(u8, 'q');
	ck_assert_int_eq(rbuf_end(&r), 0);

	/* the NUL as the last byte of the field */
	rbuf_init(&r, in + 3, 4);
	ck_assert_int_eq(rbuf_get_cstr(&r, s, 4, 4), 0);
	ck_assert_str_eq(s, "xyz");
	ck_assert_int_eq(rbuf_end(&r), 0);
}
END_TEST

START_TEST(test_rbuf_cstr_bad)
{
	static const uint8_t in[] = { 'a', 'b', 'c', 'd', 0 };
	struct rbuf	 r;
	char		 s[8];

	/* no NUL within the 4-byte field */
	rbuf_init(&r, in, sizeof(in));
	ck_assert_int_eq(rbuf_get_cstr(&r, s, sizeof(s), 4), -1);
	ck_assert_int_eq(rbuf_error(&r), -1);

	/* field larger than dst */
	rbuf_init(&r, in, sizeof(in));
	ck_assert_int_eq(rbuf_get_cstr(&r, s, 4, 5), -1);

	/* field longer than the input */
	rbuf_init(&r, in, sizeof(in));
	ck_assert_int_eq(rbuf_get_cstr(&r, s, sizeof(s), 6), -1);

	/* an empty field holds no NUL */
	rbuf_init(&r, in, sizeof(in));
	ck_assert_int_eq(rbuf_get_cstr(&r, s, sizeof(s), 0), -1);
}
END_TEST

/*
 * Writer
 */

START_TEST(test_wbuf_ints)
{
	static const uint8_t want[] = {
	    0x01,
	    0x01, 0x02,
	    0x01, 0x02, 0x03, 0x04,
	    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	    0x02, 0x01,
	    0x04, 0x03, 0x02, 0x01,
	    0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
	    0xaa, 0xbb, 0x00, 0x00, 0x00
	};
	uint8_t		 mem[sizeof(want)];
	struct wbuf	 w;

	wbuf_init_fixed(&w, mem, sizeof(mem));
	ck_assert_int_eq(wbuf_put_u8(&w, 0x01), 0);
	ck_assert_int_eq(wbuf_put_u16(&w, 0x0102), 0);
	ck_assert_int_eq(wbuf_put_u32(&w, 0x01020304), 0);
	ck_assert_int_eq(wbuf_put_u64(&w, 0x0102030405060708ULL), 0);
	ck_assert_int_eq(wbuf_put_u16le(&w, 0x0102), 0);
	ck_assert_int_eq(wbuf_put_u32le(&w, 0x01020304), 0);
	ck_assert_int_eq(wbuf_put_u64le(&w, 0x0102030405060708ULL), 0);
	ck_assert_int_eq(wbuf_put_bytes(&w, "\xaa\xbb", 2), 0);
	ck_assert_int_eq(wbuf_put_zero(&w, 3), 0);
	ck_assert_int_eq(wbuf_error(&w), 0);
	ck_assert_uint_eq(wbuf_len(&w), sizeof(want));
	ck_assert_ptr_eq(wbuf_data(&w), mem);
	ck_assert_mem_eq(wbuf_data(&w), want, sizeof(want));
}
END_TEST

/* what is written reads back the same */
START_TEST(test_wbuf_roundtrip)
{
	struct wbuf	 w;
	struct rbuf	 r;
	uint8_t		 u8;
	uint16_t	 u16;
	uint32_t	 u32;
	uint64_t	 u64;
	char		 s[32];

	ck_assert_int_eq(wbuf_init_dynamic(&w, 0, 1024), 0);
	wbuf_put_u8(&w, 0xfe);
	wbuf_put_u16(&w, 0xfedc);
	wbuf_put_u32(&w, 0xfedcba98);
	wbuf_put_u64(&w, 0xfedcba9876543210ULL);
	wbuf_put_u16le(&w, 0xfedc);
	wbuf_put_u32le(&w, 0xfedcba98);
	wbuf_put_u64le(&w, 0xfedcba9876543210ULL);
	wbuf_put_str8(&w, "hello");
	ck_assert_int_eq(wbuf_error(&w), 0);

	rbuf_init(&r, wbuf_data(&w), wbuf_len(&w));
	rbuf_get_u8(&r, &u8);
	ck_assert_uint_eq(u8, 0xfe);
	rbuf_get_u16(&r, &u16);
	ck_assert_uint_eq(u16, 0xfedc);
	rbuf_get_u32(&r, &u32);
	ck_assert_uint_eq(u32, 0xfedcba98);
	rbuf_get_u64(&r, &u64);
	ck_assert_uint_eq(u64, 0xfedcba9876543210ULL);
	rbuf_get_u16le(&r, &u16);
	ck_assert_uint_eq(u16, 0xfedc);
	rbuf_get_u32le(&r, &u32);
	ck_assert_uint_eq(u32, 0xfedcba98);
	rbuf_get_u64le(&r, &u64);
	ck_assert_uint_eq(u64, 0xfedcba9876543210ULL);
	rbuf_get_str8(&r, s, sizeof(s));
	ck_assert_str_eq(s, "hello");
	ck_assert_int_eq(rbuf_end(&r), 0);
	wbuf_free(&w);
}
END_TEST

START_TEST(test_wbuf_fixed_overflow)
{
	uint8_t		 mem[6];
	struct wbuf	 w;

	memset(mem, 0xee, sizeof(mem));
	wbuf_init_fixed(&w, mem, 5);
	ck_assert_int_eq(wbuf_put_u32(&w, 0x01020304), 0);
	ck_assert_int_eq(wbuf_put_u16(&w, 0x0506), -1);
	ck_assert_int_eq(wbuf_error(&w), -1);
	/* nothing partial was written, nothing past cap touched */
	ck_assert_uint_eq(wbuf_len(&w), 4);
	ck_assert_uint_eq(mem[4], 0xee);
	ck_assert_uint_eq(mem[5], 0xee);
	/* sticky: one byte would fit, but the buffer already failed */
	ck_assert_int_eq(wbuf_put_u8(&w, 0x05), -1);
	ck_assert_int_eq(wbuf_put_bytes(&w, "", 0), -1);
	ck_assert_int_eq(wbuf_put_zero(&w, 0), -1);
	ck_assert_int_eq(wbuf_put_str8(&w, ""), -1);
	ck_assert_int_eq(wbuf_set_u16(&w, 0, 1), -1);
	ck_assert_uint_eq(mem[4], 0xee);
	ck_assert_uint_eq(wbuf_len(&w), 4);
	/* freeing a fixed buffer leaves the caller's memory alone */
	wbuf_free(&w);
	ck_assert_uint_eq(mem[0], 0x01);
}
END_TEST

START_TEST(test_wbuf_fixed_exact)
{
	uint8_t		 mem[8];
	struct wbuf	 w;

	wbuf_init_fixed(&w, mem, sizeof(mem));
	ck_assert_int_eq(wbuf_put_u64(&w, 1), 0);
	ck_assert_int_eq(wbuf_put_zero(&w, 0), 0);
	ck_assert_int_eq(wbuf_error(&w), 0);
	ck_assert_int_eq(wbuf_put_u8(&w, 1), -1);

	wbuf_init_fixed(&w, mem, sizeof(mem));
	ck_assert_int_eq(wbuf_put_zero(&w, 9), -1);
	ck_assert_uint_eq(wbuf_len(&w), 0);

	wbuf_init_fixed(&w, mem, sizeof(mem));
	ck_assert_int_eq(wbuf_put_u8(&w, 1), 0);
	ck_assert_int_eq(wbuf_put_bytes(&w, mem, SIZE_MAX), -1);
}
END_TEST

START_TEST(test_wbuf_dynamic_growth)
{
	struct wbuf	 w;
	size_t		 i;

	ck_assert_int_eq(wbuf_init_dynamic(&w, 4, 100000), 0);
	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(wbuf_put_u32(&w, i), 0);
	ck_assert_uint_eq(wbuf_len(&w), 40000);
	ck_assert_int_eq(wbuf_error(&w), 0);
	for (i = 0; i < 10000; i++) {
		const uint8_t *p = wbuf_data(&w) + 4 * i;
		ck_assert_uint_eq((uint32_t)p[0] << 24 | p[1] << 16 |
		    p[2] << 8 | p[3], i);
	}
	wbuf_free(&w);
	ck_assert_ptr_null(wbuf_data(&w));
	ck_assert_uint_eq(wbuf_len(&w), 0);
	/* freeing twice is harmless */
	wbuf_free(&w);

	/* starting with no memory at all */
	ck_assert_int_eq(wbuf_init_dynamic(&w, 0, 16), 0);
	ck_assert_int_eq(wbuf_put_bytes(&w, "", 0), 0);
	ck_assert_int_eq(wbuf_put_bytes(&w, "0123456789abcdef", 16), 0);
	ck_assert_mem_eq(wbuf_data(&w), "0123456789abcdef", 16);
	wbuf_free(&w);

	/* an empty buffer is freed fine */
	ck_assert_int_eq(wbuf_init_dynamic(&w, 0, 16), 0);
	wbuf_free(&w);
}
END_TEST

START_TEST(test_wbuf_dynamic_max)
{
	struct wbuf	 w;
	uint8_t		 big[101];

	memset(big, 0x5a, sizeof(big));
	ck_assert_int_eq(wbuf_init_dynamic(&w, 8, 100), 0);
	ck_assert_int_eq(wbuf_put_bytes(&w, big, 99), 0);
	ck_assert_int_eq(wbuf_put_u8(&w, 1), 0);
	ck_assert_uint_eq(wbuf_len(&w), 100);
	/* one byte over the limit */
	ck_assert_int_eq(wbuf_put_u8(&w, 1), -1);
	ck_assert_int_eq(wbuf_error(&w), -1);
	ck_assert_uint_eq(wbuf_len(&w), 100);
	ck_assert_mem_eq(wbuf_data(&w), big, 99);
	wbuf_free(&w);

	ck_assert_int_eq(wbuf_init_dynamic(&w, 0, 100), 0);
	ck_assert_int_eq(wbuf_put_bytes(&w, big, 101), -1);
	ck_assert_int_eq(wbuf_put_u8(&w, 1), -1);	/* sticky */
	wbuf_free(&w);

	/* a start larger than the limit is refused */
	ck_assert_int_eq(wbuf_init_dynamic(&w, 200, 100), -1);
	ck_assert_int_eq(wbuf_error(&w), -1);
	wbuf_free(&w);

	/* a huge limit does not overflow the doubling */
	ck_assert_int_eq(wbuf_init_dynamic(&w, 1, SIZE_MAX), 0);
	ck_assert_int_eq(wbuf_put_bytes(&w, big, 101), 0);
	ck_assert_int_eq(wbuf_put_bytes(&w, big, SIZE_MAX), -1);
	wbuf_free(&w);
}
END_TEST

START_TEST(test_wbuf_reserve_set)
{
	static const uint8_t want[] = {
	    0x00, 0x07, 0xde, 0xad, 0xbe, 0xef, 'x', 0xab, 0xcd, 'y', 'z'
	};
	struct wbuf	 w;
	size_t		 off16, off32, off_mid;

	ck_assert_int_eq(wbuf_init_dynamic(&w, 2, 1024), 0);
	ck_assert_int_eq(wbuf_reserve(&w, 2, &off16), 0);
	ck_assert_int_eq(wbuf_reserve(&w, 4, &off32), 0);
	ck_assert_uint_eq(off16, 0);
	ck_assert_uint_eq(off32, 2);
	/* reserved bytes read as zero until set */
	ck_assert_mem_eq(wbuf_data(&w), "\0\0\0\0\0\0", 6);
	ck_assert_int_eq(wbuf_put_u8(&w, 'x'), 0);
	ck_assert_int_eq(wbuf_reserve(&w, 2, &off_mid), 0);
	ck_assert_int_eq(wbuf_put_bytes(&w, "yz", 2), 0);
	/* set after the buffer moved while growing */
	ck_assert_int_eq(wbuf_set_u16(&w, off16, 7), 0);
	ck_assert_int_eq(wbuf_set_u32(&w, off32, 0xdeadbeef), 0);
	ck_assert_int_eq(wbuf_set_u16(&w, off_mid, 0xabcd), 0);
	ck_assert_uint_eq(wbuf_len(&w), sizeof(want));
	ck_assert_mem_eq(wbuf_data(&w), want, sizeof(want));
	/* the last bytes may be set, too */
	ck_assert_int_eq(wbuf_set_u16(&w, sizeof(want) - 2, 0x797a), 0);
	ck_assert_int_eq(wbuf_set_u32(&w, sizeof(want) - 4, 0xabcd797a), 0);
	ck_assert_mem_eq(wbuf_data(&w), want, sizeof(want));
	ck_assert_int_eq(wbuf_error(&w), 0);
	wbuf_free(&w);
}
END_TEST

START_TEST(test_wbuf_set_out_of_range)
{
	uint8_t		 mem[16];
	struct wbuf	 w;

	wbuf_init_fixed(&w, mem, sizeof(mem));
	ck_assert_int_eq(wbuf_put_u32(&w, 0), 0);
	/* past what was written, even if within cap */
	ck_assert_int_eq(wbuf_set_u16(&w, 3, 1), -1);
	ck_assert_int_eq(wbuf_error(&w), -1);
	ck_assert_int_eq(wbuf_put_u8(&w, 0), -1);

	wbuf_init_fixed(&w, mem, sizeof(mem));
	ck_assert_int_eq(wbuf_put_u32(&w, 0), 0);
	ck_assert_int_eq(wbuf_set_u32(&w, 1, 1), -1);

	wbuf_init_fixed(&w, mem, sizeof(mem));
	ck_assert_int_eq(wbuf_put_u32(&w, 0), 0);
	ck_assert_int_eq(wbuf_set_u32(&w, SIZE_MAX - 1, 1), -1);

	wbuf_init_fixed(&w, mem, sizeof(mem));
	ck_assert_int_eq(wbuf_set_u16(&w, 0, 1), -1);

	/* a reserve that does not fit fails and is sticky */
	wbuf_init_fixed(&w, mem, 4);
	ck_assert_int_eq(wbuf_reserve(&w, 5, NULL), -1);
	ck_assert_int_eq(wbuf_error(&w), -1);
}
END_TEST

START_TEST(test_wbuf_str8)
{
	char		 s[300];
	struct wbuf	 w;

	ck_assert_int_eq(wbuf_init_dynamic(&w, 0, 4096), 0);
	memset(s, 'a', sizeof(s));
	s[255] = '\0';
	ck_assert_int_eq(wbuf_put_str8(&w, s), 0);
	ck_assert_uint_eq(wbuf_len(&w), 256);
	ck_assert_uint_eq(wbuf_data(&w)[0], 255);
	ck_assert_int_eq(wbuf_put_str8(&w, ""), 0);
	ck_assert_uint_eq(wbuf_len(&w), 257);
	ck_assert_uint_eq(wbuf_data(&w)[256], 0);

	s[255] = 'a';
	s[256] = '\0';
	ck_assert_int_eq(wbuf_put_str8(&w, s), -1);
	ck_assert_int_eq(wbuf_error(&w), -1);
	ck_assert_uint_eq(wbuf_len(&w), 257);
	wbuf_free(&w);

	/* a string too long is refused before anything is written */
	ck_assert_int_eq(wbuf_init_dynamic(&w, 0, 4096), 0);
	s[299] = '\0';
	ck_assert_int_eq(wbuf_put_str8(&w, s), -1);
	ck_assert_uint_eq(wbuf_len(&w), 0);
	wbuf_free(&w);
}
END_TEST

static Suite *
buf_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("buf");

	tc = tcase_create("rbuf");
	tcase_add_test(tc, test_rbuf_ints_be);
	tcase_add_test(tc, test_rbuf_ints_le);
	tcase_add_test(tc, test_rbuf_high_bits);
	tcase_add_test(tc, test_rbuf_sequence);
	tcase_add_test(tc, test_rbuf_ints_short);
	tcase_add_test(tc, test_rbuf_sticky);
	tcase_add_test(tc, test_rbuf_bytes);
	tcase_add_test(tc, test_rbuf_bytes_short);
	tcase_add_test(tc, test_rbuf_end_trailing);
	tcase_add_test(tc, test_rbuf_sub);
	tcase_add_test(tc, test_rbuf_sub_too_long);
	tcase_add_test(tc, test_rbuf_sub_nested);
	tcase_add_test(tc, test_rbuf_str8);
	tcase_add_test(tc, test_rbuf_str8_bad);
	tcase_add_test(tc, test_rbuf_cstr);
	tcase_add_test(tc, test_rbuf_cstr_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("wbuf");
	tcase_add_test(tc, test_wbuf_ints);
	tcase_add_test(tc, test_wbuf_roundtrip);
	tcase_add_test(tc, test_wbuf_fixed_overflow);
	tcase_add_test(tc, test_wbuf_fixed_exact);
	tcase_add_test(tc, test_wbuf_dynamic_growth);
	tcase_add_test(tc, test_wbuf_dynamic_max);
	tcase_add_test(tc, test_wbuf_reserve_set);
	tcase_add_test(tc, test_wbuf_set_out_of_range);
	tcase_add_test(tc, test_wbuf_str8);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(buf_suite());
}
