/*
 * Unit tests of common/i2np.c: the I2NP message header, long (16-byte)
 * and short (9-byte) forms.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "unit.h"

/* DeliveryStatus, id 0x01020304, expires 0x0000018bcfe56800 ms */
static const uint8_t long_hdr[] = {
	0x0a, 0x01, 0x02, 0x03, 0x04,
	0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00,
	0x00, 0x0c, 0x5a,
};

static const uint8_t short_hdr[] = {
	0x12, 0xde, 0xad, 0xbe, 0xef, 0x65, 0x53, 0xf1, 0x00,
};

START_TEST(test_i2np_long)
{
	struct i2np_hdr	 h;
	struct i2p_err	 err;
	struct rbuf	 r;
	struct wbuf	 w;
	uint8_t		 buf[32];

	rbuf_init(&r, long_hdr, sizeof(long_hdr));
	ck_assert_int_eq(i2np_hdr_parse_long(&h, &r, &err), 0);
	ck_assert_int_eq(rbuf_end(&r), 0);
	ck_assert_uint_eq(h.type, I2NP_DELIVERY_STATUS);
	ck_assert_uint_eq(h.msg_id, 0x01020304);
	ck_assert_uint_eq(h.expiration, 0x18bcfe56800ULL);
	ck_assert_uint_eq(h.size, 12);
	ck_assert_uint_eq(h.chks, 0x5a);

	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(i2np_hdr_write_long(&h, &w), 0);
	ck_assert_uint_eq(wbuf_len(&w), I2NP_LONG_HDRLEN);
	ck_assert_mem_eq(buf, long_hdr, sizeof(long_hdr));
}
END_TEST

START_TEST(test_i2np_short)
{
	struct i2np_hdr	 h;
	struct i2p_err	 err;
	struct rbuf	 r;
	struct wbuf	 w;
	uint8_t		 buf[32];

	rbuf_init(&r, short_hdr, sizeof(short_hdr));
	ck_assert_int_eq(i2np_hdr_parse_short(&h, &r, &err), 0);
	ck_assert_int_eq(rbuf_end(&r), 0);
	ck_assert_uint_eq(h.type, I2NP_TUNNEL_DATA);
	ck_assert_uint_eq(h.msg_id, 0xdeadbeef);
	ck_assert_uint_eq(h.expiration, 0x6553f100ULL * 1000);
	ck_assert_uint_eq(h.size, 0);

	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(i2np_hdr_write_short(&h, &w), 0);
	ck_assert_uint_eq(wbuf_len(&w), I2NP_SHORT_HDRLEN);
	ck_assert_mem_eq(buf, short_hdr, sizeof(short_hdr));

	/* milliseconds are dropped, not rounded up */
	h.expiration += 999;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(i2np_hdr_write_short(&h, &w), 0);
	ck_assert_mem_eq(buf, short_hdr, sizeof(short_hdr));
	/* past 2106 the 32-bit seconds would wrap */
	h.expiration = (UINT32_MAX + 1ULL) * 1000;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(i2np_hdr_write_short(&h, &w), -1);
	h.expiration = UINT32_MAX * 1000ULL + 999;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(i2np_hdr_write_short(&h, &w), 0);
}
END_TEST

START_TEST(test_i2np_hdr_truncated)
{
	struct i2np_hdr	 h;
	struct i2p_err	 err;
	struct rbuf	 r;
	size_t		 n;

	for (n = 0; n < sizeof(long_hdr); n++) {
		rbuf_init(&r, long_hdr, n);
		ck_assert_int_eq(i2np_hdr_parse_long(&h, &r, &err), -1);
		ck_assert_int_eq(err.code, I2PE_TRUNCATED);
	}
	for (n = 0; n < sizeof(short_hdr); n++) {
		rbuf_init(&r, short_hdr, n);
		ck_assert_int_eq(i2np_hdr_parse_short(&h, &r, &err), -1);
		ck_assert_int_eq(err.code, I2PE_TRUNCATED);
	}
}
END_TEST

START_TEST(test_i2np_msg_long)
{
	static const uint8_t payload[12] = "status+time";
	struct i2np_hdr	 h, h2;
	struct i2p_err	 err;
	struct rbuf	 p;
	struct wbuf	 w;
	uint8_t		 buf[64], got[12], hash[32];
	size_t		 n;

	memset(&h, 0, sizeof(h));
	h.type = I2NP_DELIVERY_STATUS;
	h.msg_id = 77;
	h.expiration = 1700000008000ULL;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(i2np_msg_write_long(&h, payload, sizeof(payload), &w),
	    0);
	ck_assert_uint_eq(wbuf_len(&w), 16 + sizeof(payload));
	ck_assert_uint_eq(h.size, sizeof(payload));
	ck_assert_int_eq(sha256(hash, payload, sizeof(payload)), 0);
	ck_assert_uint_eq(h.chks, hash[0]);

	ck_assert_int_eq(i2np_msg_parse_long(&h2, &p, buf, wbuf_len(&w), &err),
	    0);
	ck_assert_uint_eq(h2.type, h.type);
	ck_assert_uint_eq(h2.msg_id, 77);
	ck_assert_uint_eq(h2.expiration, h.expiration);
	ck_assert_uint_eq(h2.chks, h.chks);
	ck_assert_uint_eq(rbuf_left(&p), sizeof(payload));
	ck_assert_int_eq(rbuf_get_bytes(&p, got, sizeof(got)), 0);
	ck_assert_mem_eq(got, payload, sizeof(payload));

	/* short by a byte, or a byte over what size says */
	for (n = 0; n < wbuf_len(&w); n++) {
		ck_assert_int_eq(i2np_msg_parse_long(&h2, &p, buf, n, &err),
		    -1);
		ck_assert_int_eq(err.code, I2PE_TRUNCATED);
		ck_assert_uint_eq(rbuf_left(&p), 0);
	}
	buf[wbuf_len(&w)] = 0;
	ck_assert_int_eq(i2np_msg_parse_long(&h2, &p, buf, wbuf_len(&w) + 1,
	    &err), -1);
	ck_assert_int_eq(err.code, I2PE_TRAILING);
}
END_TEST

START_TEST(test_i2np_msg_short)
{
	static const uint8_t payload[5] = { 1, 2, 3, 4, 5 };
	struct i2np_hdr	 h, h2;
	struct i2p_err	 err;
	struct rbuf	 p;
	struct wbuf	 w;
	uint8_t		*big;

	memset(&h, 0, sizeof(h));
	h.type = I2NP_GARLIC;
	h.msg_id = 5;
	h.expiration = 1700000008123ULL;
	ck_assert_int_eq(wbuf_init_dynamic(&w, 0, 70000), 0);
	ck_assert_int_eq(i2np_msg_write_short(&h, payload, sizeof(payload), &w),
	    0);
	ck_assert_uint_eq(wbuf_len(&w), 9 + sizeof(payload));
	ck_assert_int_eq(i2np_msg_parse_short(&h2, &p, wbuf_data(&w),
	    wbuf_len(&w), &err), 0);
	ck_assert_uint_eq(h2.expiration, 1700000008000ULL);
	ck_assert_uint_eq(h2.size, sizeof(payload));
	ck_assert_uint_eq(rbuf_left(&p), sizeof(payload));

	/* header alone: empty payload */
	ck_assert_int_eq(i2np_msg_parse_short(&h2, &p, wbuf_data(&w), 9, &err),
	    0);
	ck_assert_uint_eq(rbuf_left(&p), 0);
	ck_assert_int_eq(i2np_msg_parse_short(&h2, &p, wbuf_data(&w), 8, &err),
	    -1);
	ck_assert_int_eq(err.code, I2PE_TRUNCATED);
	wbuf_free(&w);

	/* the largest payload and one byte more */
	ck_assert_ptr_nonnull(big = calloc(1, 9 + 65536));
	ck_assert_int_eq(i2np_msg_parse_short(&h2, &p, big, 9 + 65535, &err),
	    0);
	ck_assert_uint_eq(h2.size, 65535);
	ck_assert_int_eq(i2np_msg_parse_short(&h2, &p, big, 9 + 65536, &err),
	    -1);
	ck_assert_int_eq(err.code, I2PE_TOO_LARGE);
	ck_assert_int_eq(wbuf_init_dynamic(&w, 0, 200000), 0);
	ck_assert_int_eq(i2np_msg_write_short(&h, big, 65536, &w), -1);
	ck_assert_int_eq(i2np_msg_write_long(&h, big, 65536, &w), -1);
	ck_assert_int_eq(i2np_msg_write_long(&h, big, 65535, &w), 0);
	ck_assert_uint_eq(h.size, 65535);
	wbuf_free(&w);
	free(big);
}
END_TEST

/* long and short forms convert into each other as i2pd does */
START_TEST(test_i2np_convert)
{
	struct i2np_hdr	 h;
	struct i2p_err	 err;
	struct rbuf	 r;
	struct wbuf	 w;
	uint8_t		 buf[16];

	rbuf_init(&r, long_hdr, sizeof(long_hdr));
	ck_assert_int_eq(i2np_hdr_parse_long(&h, &r, &err), 0);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(i2np_hdr_write_short(&h, &w), 0);
	rbuf_init(&r, buf, wbuf_len(&w));
	ck_assert_int_eq(i2np_hdr_parse_short(&h, &r, &err), 0);
	ck_assert_uint_eq(h.type, long_hdr[0]);
	ck_assert_uint_eq(h.msg_id, 0x01020304);
	ck_assert_uint_eq(h.expiration, 0x18bcfe56800ULL / 1000 * 1000);
}
END_TEST

START_TEST(test_i2np_names)
{
	ck_assert_str_eq(i2np_type_name(1), "DatabaseStore");
	ck_assert_str_eq(i2np_type_name(11), "Garlic");
	ck_assert_str_eq(i2np_type_name(26), "OutboundTunnelBuildReply");
	ck_assert_ptr_null(i2np_type_name(0));
	ck_assert_ptr_null(i2np_type_name(4));
	ck_assert_ptr_null(i2np_type_name(27));
	ck_assert_ptr_null(i2np_type_name(255));
}
END_TEST

START_TEST(test_i2np_random)
{
	struct i2np_hdr	 h;
	struct rbuf	 p;
	uint8_t		 buf[64];
	size_t		 i, j, len;

	srandom(5);
	for (i = 0; i < 20000; i++) {
		len = random() % sizeof(buf);
		for (j = 0; j < len; j++)
			buf[j] = random();
		if (len > 15) {
			buf[13] = 0;
			buf[14] = random() % 64;
		}
		if (i2np_msg_parse_long(&h, &p, buf, len, NULL) == 0)
			ck_assert_uint_eq(16 + h.size, len);
		if (i2np_msg_parse_short(&h, &p, buf, len, NULL) == 0)
			ck_assert_uint_eq(9 + h.size, len);
	}
}
END_TEST

/* dropped only once past the allowed skew */
START_TEST(test_i2np_expired)
{
	struct i2np_hdr	 h;
	uint64_t	 now = 1795305600000ULL;

	memset(&h, 0, sizeof(h));
	h.expiration = now + 60000;
	ck_assert_int_eq(i2np_expired(&h, now), 0);
	h.expiration = now - I2NP_SKEW_MS;
	ck_assert_int_eq(i2np_expired(&h, now), 0);
	h.expiration = now - I2NP_SKEW_MS - 1;
	ck_assert_int_eq(i2np_expired(&h, now), 1);
	h.expiration = 0;
	ck_assert_int_eq(i2np_expired(&h, now), 1);
	/* a clock near the epoch does not wrap */
	ck_assert_int_eq(i2np_expired(&h, 1000), 0);
}
END_TEST

static Suite *
i2np_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("i2np");

	tc = tcase_create("header");
	tcase_add_test(tc, test_i2np_long);
	tcase_add_test(tc, test_i2np_short);
	tcase_add_test(tc, test_i2np_hdr_truncated);
	tcase_add_test(tc, test_i2np_convert);
	tcase_add_test(tc, test_i2np_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("message");
	tcase_add_test(tc, test_i2np_msg_long);
	tcase_add_test(tc, test_i2np_msg_short);
	tcase_add_test(tc, test_i2np_random);
	tcase_add_test(tc, test_i2np_expired);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(i2np_suite());
}
