/*
 * Unit tests of common/mapping.c: the I2P Mapping and i2p_err strings.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i2pdata.h"
#include "unit.h"

/* the options of i2pd 2.45.1's NTCP2 address, as it writes them */
static const uint8_t ntcp2_opts[] = {
	0x00, 0x73,
	0x04, 'h', 'o', 's', 't', '=', 0x0a, '1', '9', '8', '.', '1', '8', '.',
	'0', '.', '9', ';',
	0x01, 'i', '=', 0x18, 'P', '0', 'g', 'u', '4', 'X', 'K', '~', '8',
	'F', 's', 'N', 'g', 'X', 'H', 'o', 'o', 'N', 'x', '9', 'N', 'A', '=',
	'=', ';',
	0x04, 'p', 'o', 'r', 't', '=', 0x05, '2', '0', '0', '0', '0', ';',
	0x01, 's', '=', 0x2c, '8', 'k', 'X', 's', 'p', 's', 'Q', 'm', 'I', 'P',
	'u', 'D', '~', 'p', 'j', 'G', 'h', 'Y', 'y', '5', 's', 'h', '6', 'h',
	'J', 'n', 'r', '4', 'E', 'c', 'S', 't', 'r', 'S', 'j', 'T', '3', 'D',
	'X', 'f', '9', 'l', 'w', '=', ';',
	0x01, 'v', '=', 0x01, '2', ';',
};

/* parses a whole buffer; returns the error code (I2PE_OK on success) */
static int
parse_code(struct mapping *m, const void *p, size_t len, int flags)
{
	struct i2p_err	 err = { 0 };

	if (mapping_parse_bytes(m, p, len, flags, &err) == 0)
		return I2PE_OK;
	ck_assert_int_ne(err.code, I2PE_OK);
	return err.code;
}

/* serializes m into buf; returns the length */
static size_t
write_to(const struct mapping *m, uint8_t *buf, size_t sz)
{
	struct wbuf	 w;

	wbuf_init_fixed(&w, buf, sz);
	ck_assert_int_eq(mapping_write(m, &w), 0);
	ck_assert_uint_eq(wbuf_len(&w), mapping_wirelen(m));
	return wbuf_len(&w);
}

START_TEST(test_mapping_real)
{
	struct mapping	 m;
	uint8_t		 buf[512], key[32], i[16];
	size_t		 len;

	ck_assert_int_eq(parse_code(&m, ntcp2_opts, sizeof(ntcp2_opts),
	    MAPPING_SORTED), I2PE_OK);
	ck_assert_uint_eq(mapping_count(&m), 5);
	ck_assert_str_eq(mapping_get(&m, "host"), "198.18.0.9");
	ck_assert_str_eq(mapping_get(&m, "port"), "20000");
	ck_assert_str_eq(mapping_get(&m, "v"), "2");
	ck_assert_ptr_null(mapping_get(&m, "caps"));
	ck_assert_int_eq(mapping_get_b64(&m, "s", key, sizeof(key)), 0);
	ck_assert_int_eq(mapping_get_b64(&m, "i", i, sizeof(i)), 0);
	/* wrong length asked for */
	ck_assert_int_eq(mapping_get_b64(&m, "i", key, sizeof(key)), -1);
	ck_assert_int_eq(mapping_get_b64(&m, "host", key, 4), -1);
	ck_assert_str_eq(mapping_key(&m, 0), "host");
	ck_assert_str_eq(mapping_val(&m, 4), "2");
	ck_assert_ptr_null(mapping_key(&m, 5));

	len = write_to(&m, buf, sizeof(buf));
	ck_assert_uint_eq(len, sizeof(ntcp2_opts));
	ck_assert_mem_eq(buf, ntcp2_opts, len);
}
END_TEST

START_TEST(test_mapping_build_sorted)
{
	static const uint8_t want[] = {
		0x00, 0x13,
		0x01, 'a', '=', 0x00, ';',
		0x02, 'a', 'b', '=', 0x01, 'x', ';',
		0x01, 'b', '=', 0x02, 'y', 'z', ';',
	};
	struct mapping	 m;
	uint8_t		 buf[64];
	size_t		 len;

	mapping_init(&m);
	ck_assert_uint_eq(mapping_wirelen(&m), 2);
	ck_assert_int_eq(mapping_add(&m, "b", "yz", NULL), 0);
	ck_assert_int_eq(mapping_add(&m, "ab", "x", NULL), 0);
	ck_assert_int_eq(mapping_add(&m, "a", "", NULL), 0);
	len = write_to(&m, buf, sizeof(buf));
	ck_assert_uint_eq(len, sizeof(want));
	ck_assert_mem_eq(buf, want, len);
	ck_assert_str_eq(mapping_get(&m, "a"), "");
}
END_TEST

START_TEST(test_mapping_set_del)
{
	struct mapping	 m;
	char		 big[300];
	size_t		 used;

	mapping_init(&m);
	ck_assert_int_eq(mapping_set(&m, "caps", "L"), 0);
	ck_assert_int_eq(mapping_set(&m, "netId", "99"), 0);
	used = m.used;
	/* replacing does not use up the pool */
	ck_assert_int_eq(mapping_set(&m, "caps", "X"), 0);
	ck_assert_int_eq(mapping_set(&m, "caps", "L"), 0);
	ck_assert_uint_eq(m.used, used);
	ck_assert_str_eq(mapping_get(&m, "caps"), "L");
	ck_assert_uint_eq(mapping_count(&m), 2);

	ck_assert_int_eq(mapping_add(&m, "caps", "R", NULL), -1);
	ck_assert_int_eq(mapping_del(&m, "caps"), 0);
	ck_assert_int_eq(mapping_del(&m, "caps"), -1);
	ck_assert_ptr_null(mapping_get(&m, "caps"));
	ck_assert_str_eq(mapping_get(&m, "netId"), "99");

	memset(big, 'a', sizeof(big));
	big[256] = '\0';
	ck_assert_int_eq(mapping_set(&m, big, "x"), -1);
	ck_assert_int_eq(mapping_set(&m, "x", big), -1);
	big[255] = '\0';
	ck_assert_int_eq(mapping_set(&m, big, big), 0);
	ck_assert_str_eq(mapping_get(&m, big), big);
}
END_TEST

START_TEST(test_mapping_limits)
{
	struct mapping	 m;
	struct i2p_err	 err;
	char		 key[16], val[256];
	int		 i;

	mapping_init(&m);
	for (i = 0; i < MAPPING_MAX; i++) {
		snprintf(key, sizeof(key), "k%03d", i);
		ck_assert_int_eq(mapping_add(&m, key, "v", NULL), 0);
	}
	ck_assert_int_eq(mapping_add(&m, "z", "v", &err), -1);
	ck_assert_int_eq(err.code, I2PE_TOO_MANY);

	/* the pool fills before the entries do with long strings */
	mapping_init(&m);
	memset(val, 'v', 255);
	val[255] = '\0';
	for (i = 0; i < MAPPING_MAX; i++) {
		snprintf(key, sizeof(key), "k%03d", i);
		if (mapping_add(&m, key, val, &err) == -1)
			break;
	}
	ck_assert_int_lt(i, MAPPING_MAX);
	ck_assert_int_eq(err.code, I2PE_TOO_LARGE);
	ck_assert_uint_eq(mapping_count(&m), (size_t)i);
}
END_TEST

START_TEST(test_mapping_truncated)
{
	struct mapping	 m;
	size_t		 len;

	for (len = 0; len < sizeof(ntcp2_opts); len++)
		ck_assert_int_eq(parse_code(&m, ntcp2_opts, len, 0),
		    I2PE_TRUNCATED);
}
END_TEST

START_TEST(test_mapping_trailing)
{
	struct mapping	 m;
	uint8_t		 buf[sizeof(ntcp2_opts) + 1];

	memcpy(buf, ntcp2_opts, sizeof(ntcp2_opts));
	buf[sizeof(ntcp2_opts)] = 0;
	ck_assert_int_eq(parse_code(&m, buf, sizeof(buf), 0), I2PE_TRAILING);
	ck_assert_uint_eq(mapping_count(&m), 0);
}
END_TEST

START_TEST(test_mapping_empty)
{
	static const uint8_t empty[] = { 0x00, 0x00 };
	static const uint8_t emptystr[] = { 0x00, 0x04, 0x00, '=', 0x00, ';' };
	struct mapping	 m;

	ck_assert_int_eq(parse_code(&m, empty, sizeof(empty), MAPPING_SORTED),
	    I2PE_OK);
	ck_assert_uint_eq(mapping_count(&m), 0);
	ck_assert_int_eq(parse_code(&m, emptystr, sizeof(emptystr),
	    MAPPING_SORTED), I2PE_OK);
	ck_assert_str_eq(mapping_get(&m, ""), "");
}
END_TEST

START_TEST(test_mapping_duplicate)
{
	static const uint8_t dup[] = {
		0x00, 0x0c,
		0x01, 'a', '=', 0x01, '1', ';',
		0x01, 'a', '=', 0x01, '2', ';',
	};
	static const uint8_t dup2[] = {
		0x00, 0x12,
		0x01, 'b', '=', 0x01, '1', ';',
		0x01, 'a', '=', 0x01, '2', ';',
		0x01, 'b', '=', 0x01, '1', ';',
	};
	struct mapping	 m;

	ck_assert_int_eq(parse_code(&m, dup, sizeof(dup), 0), I2PE_DUPKEY);
	ck_assert_int_eq(parse_code(&m, dup, sizeof(dup), MAPPING_SORTED),
	    I2PE_DUPKEY);
	ck_assert_int_eq(parse_code(&m, dup2, sizeof(dup2), 0), I2PE_DUPKEY);
}
END_TEST

START_TEST(test_mapping_unsorted)
{
	static const uint8_t unsorted[] = {
		0x00, 0x0c,
		0x01, 'b', '=', 0x01, '1', ';',
		0x01, 'a', '=', 0x01, '2', ';',
	};
	static const uint8_t sorted[] = {
		0x00, 0x0c,
		0x01, 'a', '=', 0x01, '2', ';',
		0x01, 'b', '=', 0x01, '1', ';',
	};
	struct mapping	 m;
	uint8_t		 buf[32];
	size_t		 len;

	ck_assert_int_eq(parse_code(&m, unsorted, sizeof(unsorted),
	    MAPPING_SORTED), I2PE_UNSORTED);
	/* accepted where order does not matter, and written sorted */
	ck_assert_int_eq(parse_code(&m, unsorted, sizeof(unsorted), 0),
	    I2PE_OK);
	len = write_to(&m, buf, sizeof(buf));
	ck_assert_uint_eq(len, sizeof(sorted));
	ck_assert_mem_eq(buf, sorted, len);
}
END_TEST

/* byte order: upper case before lower case, a prefix first, UTF-8 last */
START_TEST(test_mapping_order)
{
	static const uint8_t ok[] = {
		0x00, 0x15,
		0x01, 'Z', '=', 0x00, ';',
		0x01, 'a', '=', 0x00, ';',
		0x02, 'a', 'a', '=', 0x00, ';',
		0x01, 0xc3, '=', 0x00, ';',
	};
	static const uint8_t bad[] = {
		0x00, 0x0b,
		0x02, 'a', 'a', '=', 0x00, ';',
		0x01, 'a', '=', 0x00, ';',
	};
	struct mapping	 m;

	ck_assert_int_eq(parse_code(&m, ok, sizeof(ok), MAPPING_SORTED),
	    I2PE_OK);
	ck_assert_str_eq(mapping_key(&m, 0), "Z");
	ck_assert_str_eq(mapping_key(&m, 2), "aa");
	ck_assert_str_eq(mapping_key(&m, 3), "\xc3");
	ck_assert_int_eq(parse_code(&m, bad, sizeof(bad), MAPPING_SORTED),
	    I2PE_UNSORTED);
}
END_TEST

START_TEST(test_mapping_syntax)
{
	static const uint8_t noeq[] = {
		0x00, 0x06, 0x01, 'a', ':', 0x01, '1', ';',
	};
	static const uint8_t nosemi[] = {
		0x00, 0x06, 0x01, 'a', '=', 0x01, '1', ',',
	};
	/* the value runs past the size field's end */
	static const uint8_t overrun[] = {
		0x00, 0x05, 0x01, 'a', '=', 0x02, '1', ';', 0x00,
	};
	static const uint8_t nul[] = {
		0x00, 0x06, 0x01, '\0', '=', 0x01, '1', ';',
	};
	static const uint8_t nulval[] = {
		0x00, 0x07, 0x01, 'a', '=', 0x02, '1', '\0', ';',
	};
	struct mapping	 m;

	ck_assert_int_eq(parse_code(&m, noeq, sizeof(noeq), 0), I2PE_SYNTAX);
	ck_assert_int_eq(parse_code(&m, nosemi, sizeof(nosemi), 0),
	    I2PE_SYNTAX);
	ck_assert_int_eq(parse_code(&m, overrun, sizeof(overrun), 0),
	    I2PE_SYNTAX);
	ck_assert_int_eq(parse_code(&m, nul, sizeof(nul), 0), I2PE_STRING);
	ck_assert_int_eq(parse_code(&m, nulval, sizeof(nulval), 0),
	    I2PE_STRING);
}
END_TEST

/* a mapping too big for the pool is refused, not truncated */
START_TEST(test_mapping_oversized)
{
	struct mapping	 m;
	struct wbuf	 w;
	uint8_t		*buf;
	char		 key[8];
	size_t		 off, i;

	ck_assert_ptr_nonnull(buf = malloc(70000));
	wbuf_init_fixed(&w, buf, 70000);
	wbuf_reserve(&w, 2, &off);
	/* 11 entries of 250 + 250 bytes: 5.5 KB of strings */
	for (i = 0; i < 11; i++) {
		char	 v[251];

		snprintf(key, sizeof(key), "%02zu", i);
		memset(v, 'x', 250);
		v[250] = '\0';
		memcpy(v, key, 2);
		wbuf_put_str8(&w, v);
		wbuf_put_u8(&w, '=');
		wbuf_put_str8(&w, v);
		wbuf_put_u8(&w, ';');
	}
	wbuf_set_u16(&w, off, wbuf_len(&w) - 2);
	ck_assert_int_eq(wbuf_error(&w), 0);
	ck_assert_int_eq(parse_code(&m, buf, wbuf_len(&w), MAPPING_SORTED),
	    I2PE_TOO_LARGE);

	/* 65 tiny entries: too many */
	wbuf_init_fixed(&w, buf, 70000);
	wbuf_reserve(&w, 2, &off);
	for (i = 0; i <= MAPPING_MAX; i++) {
		snprintf(key, sizeof(key), "%03zu", i);
		wbuf_put_str8(&w, key);
		wbuf_put_u8(&w, '=');
		wbuf_put_str8(&w, "");
		wbuf_put_u8(&w, ';');
	}
	wbuf_set_u16(&w, off, wbuf_len(&w) - 2);
	ck_assert_int_eq(parse_code(&m, buf, wbuf_len(&w), MAPPING_SORTED),
	    I2PE_TOO_MANY);
	free(buf);
}
END_TEST

START_TEST(test_mapping_bitflips)
{
	struct mapping	 m, m2;
	uint8_t		 buf[sizeof(ntcp2_opts)], out[512];
	size_t		 i, len;
	int		 bit;

	for (i = 0; i < sizeof(buf); i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(buf, ntcp2_opts, sizeof(buf));
			buf[i] ^= 1 << bit;
			if (parse_code(&m, buf, sizeof(buf), 0) != I2PE_OK)
				continue;
			/* whatever parses writes and parses back the same */
			len = write_to(&m, out, sizeof(out));
			ck_assert_int_eq(parse_code(&m2, out, len,
			    MAPPING_SORTED), I2PE_OK);
			ck_assert_uint_eq(m2.n, m.n);
		}
	}
}
END_TEST

START_TEST(test_mapping_random)
{
	struct mapping	 m;
	uint8_t		 buf[64];
	size_t		 i, j, len;

	srandom(1);
	for (i = 0; i < 20000; i++) {
		len = random() % sizeof(buf);
		for (j = 0; j < len; j++)
			buf[j] = random() % 8 == 0 ? '=' : random();
		if (len >= 2) {
			buf[0] = 0;
			buf[1] = len - 2;
		}
		(void)parse_code(&m, buf, len, i & 1);
	}
}
END_TEST

START_TEST(test_mapping_uint)
{
	struct mapping		 m;
	unsigned long long	 v;

	mapping_init(&m);
	mapping_set(&m, "zero", "0");
	mapping_set(&m, "port", "20000");
	mapping_set(&m, "lead", "020");
	mapping_set(&m, "neg", "-1");
	mapping_set(&m, "empty", "");
	mapping_set(&m, "big", "18446744073709551616");
	mapping_set(&m, "max", "18446744073709551615");
	mapping_set(&m, "x", "12a");

	ck_assert_int_eq(mapping_get_uint(&m, "zero", 10, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(mapping_get_uint(&m, "port", 65535, &v), 0);
	ck_assert_uint_eq(v, 20000);
	ck_assert_int_eq(mapping_get_uint(&m, "port", 19999, &v), -1);
	ck_assert_int_eq(mapping_get_uint(&m, "port", 5, &v), -1);
	ck_assert_int_eq(mapping_get_uint(&m, "lead", 100, &v), -1);
	ck_assert_int_eq(mapping_get_uint(&m, "neg", 100, &v), -1);
	ck_assert_int_eq(mapping_get_uint(&m, "empty", 100, &v), -1);
	ck_assert_int_eq(mapping_get_uint(&m, "x", 1000, &v), -1);
	ck_assert_int_eq(mapping_get_uint(&m, "none", 100, &v), -1);
	ck_assert_int_eq(mapping_get_uint(&m, "big", UINT64_MAX, &v), -1);
	ck_assert_int_eq(mapping_get_uint(&m, "max", UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
}
END_TEST

START_TEST(test_errstr)
{
	struct i2p_err	 err = { I2PE_SIGTYPE, 3, "RouterIdentity" };
	char		 buf[128];

	ck_assert_str_eq(i2p_errstr(&err, buf, sizeof(buf)),
	    "RouterIdentity: unsupported signature type 3");
	err.code = I2PE_DUPKEY;
	err.where = "mapping";
	ck_assert_str_eq(i2p_errstr(&err, buf, sizeof(buf)),
	    "mapping: duplicate key");
	err.where = NULL;
	ck_assert_str_eq(i2p_errstr(&err, buf, sizeof(buf)),
	    "data: duplicate key");
	ck_assert_str_eq(i2p_strerror(I2PE_TRUNCATED), "truncated");
	ck_assert_str_eq(i2p_strerror(I2PE_SIGNATURE), "bad signature");
	ck_assert_str_eq(i2p_strerror(-1), "unknown error");
	ck_assert_str_eq(i2p_strerror(I2PE_MAX), "unknown error");
	ck_assert_int_eq(i2p_seterr(NULL, I2PE_ARG, 0, NULL), -1);
}
END_TEST

static Suite *
mapping_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("mapping");

	tc = tcase_create("mapping");
	tcase_add_test(tc, test_mapping_real);
	tcase_add_test(tc, test_mapping_build_sorted);
	tcase_add_test(tc, test_mapping_set_del);
	tcase_add_test(tc, test_mapping_limits);
	tcase_add_test(tc, test_mapping_uint);
	tcase_add_test(tc, test_errstr);
	suite_add_tcase(s, tc);

	tc = tcase_create("strict");
	tcase_add_test(tc, test_mapping_truncated);
	tcase_add_test(tc, test_mapping_trailing);
	tcase_add_test(tc, test_mapping_empty);
	tcase_add_test(tc, test_mapping_duplicate);
	tcase_add_test(tc, test_mapping_unsorted);
	tcase_add_test(tc, test_mapping_order);
	tcase_add_test(tc, test_mapping_syntax);
	tcase_add_test(tc, test_mapping_oversized);
	tcase_add_test(tc, test_mapping_bitflips);
	tcase_add_test(tc, test_mapping_random);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(mapping_suite());
}
