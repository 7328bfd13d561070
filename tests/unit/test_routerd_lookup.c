/*
 * DatabaseLookup and DatabaseSearchReply (routerd/lookup.c): every
 * flag combination, exclusion lists, reply keys, and malformed input.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "../../routerd/lookup.h"
#include "unit.h"

static uint8_t	excl[3 * 32];

static void
lookup_init(struct dblookup *l, uint8_t flags)
{
	memset(l, 0, sizeof(*l));
	memset(l->key, 0x11, 32);
	memset(l->from, 0x22, 32);
	memset(excl, 0x33, sizeof(excl));
	excl[32] = 0x44;
	excl[64] = 0x55;
	l->flags = flags;
	if (flags & DBL_F_TUNNEL)
		l->reply_tunnel = 0x01020304;
	l->nexcluded = 3;
	l->excluded = excl;
	if ((flags & (DBL_F_ECIES | DBL_F_ENCRYPT)) == DBL_F_ECIES) {
		l->reply = DBL_REPLY_AEAD;
		memset(l->reply_key, 0x66, 32);
		memset(l->reply_tag, 0x77, 8);
	}
}

static size_t
lookup_build(uint8_t *buf, size_t len, const struct dblookup *l)
{
	struct wbuf	 w;

	wbuf_init_fixed(&w, buf, len);
	ck_assert_int_eq(dbl_build(&w, l), 0);
	return wbuf_len(&w);
}

/* every type, both deliveries, with and without an ECIES reply */
START_TEST(test_round_trip_all_flags)
{
	static const uint8_t	 types[] = { DBL_TYPE_ANY, DBL_TYPE_LS,
	    DBL_TYPE_RI, DBL_TYPE_EXPLORE };
	struct dblookup		 l, p;
	uint8_t			 buf[1024], flags;
	const char		*why;
	size_t			 n, t;
	int			 tun, ecies;

	for (t = 0; t < sizeof(types); t++)
	for (tun = 0; tun < 2; tun++)
	for (ecies = 0; ecies < 2; ecies++) {
		flags = types[t] | (tun ? DBL_F_TUNNEL : 0) |
		    (ecies ? DBL_F_ECIES : 0);
		lookup_init(&l, flags);
		n = lookup_build(buf, sizeof(buf), &l);
		ck_assert_uint_eq(n, 32 + 32 + 1 + (tun ? 4 : 0) + 2 + 96 +
		    (ecies ? 32 + 1 + 8 : 0));
		ck_assert_int_eq(dbl_parse(&p, buf, n, &why), 0);
		ck_assert_mem_eq(p.key, l.key, 32);
		ck_assert_mem_eq(p.from, l.from, 32);
		ck_assert_uint_eq(p.flags, flags);
		ck_assert_uint_eq(p.reply_tunnel, tun ? 0x01020304 : 0);
		ck_assert_uint_eq(p.nexcluded, 3);
		ck_assert_int_eq(dbl_excludes(&p, excl + 64), 1);
		ck_assert_int_eq(dbl_excludes(&p, l.key), 0);
		ck_assert_int_eq(p.explore, types[t] == DBL_TYPE_EXPLORE);
		ck_assert_int_eq(p.reply, ecies ? DBL_REPLY_AEAD :
		    DBL_REPLY_PLAIN);
		if (ecies) {
			ck_assert_mem_eq(p.reply_key, l.reply_key, 32);
			ck_assert_mem_eq(p.reply_tag, l.reply_tag, 8);
		}
	}
}
END_TEST

/* before type 11, an all-zero exclusion asked for exploration */
START_TEST(test_zero_exclusion_explores)
{
	struct dblookup	 l, p;
	uint8_t		 buf[512];
	const char	*why;
	size_t		 n;

	lookup_init(&l, DBL_TYPE_ANY);
	memset(excl + 32, 0, 32);
	n = lookup_build(buf, sizeof(buf), &l);
	ck_assert_int_eq(dbl_parse(&p, buf, n, &why), 0);
	ck_assert_int_eq(p.explore, 1);
}
END_TEST

/* hand-made: a flag byte and what follows it */
static size_t
raw_lookup(uint8_t *buf, uint8_t flags, uint32_t tunnel, uint16_t nexcl,
    const uint8_t *tail, size_t taillen)
{
	struct wbuf	 w;

	wbuf_init_fixed(&w, buf, 20000);
	wbuf_put_zero(&w, 64);
	wbuf_put_u8(&w, flags);
	if (flags & DBL_F_TUNNEL)
		wbuf_put_u32(&w, tunnel);
	wbuf_put_u16(&w, nexcl);
	wbuf_put_zero(&w, (size_t)nexcl * 32);
	wbuf_put_bytes(&w, tail, taillen);
	ck_assert(!wbuf_error(&w));
	return wbuf_len(&w);
}

START_TEST(test_refused)
{
	static uint8_t	 buf[20000], tail[32 + 1 + 64];
	struct dblookup	 p;
	const char	*why;
	size_t		 n;

	n = raw_lookup(buf, DBL_F_TUNNEL, 0, 0, NULL, 0);
	ck_assert_int_eq(dbl_parse(&p, buf, n, &why), -1);
	ck_assert_str_eq(why, "reply tunnel 0");
	n = raw_lookup(buf, 0, 0, 513, NULL, 0);
	ck_assert_int_eq(dbl_parse(&p, buf, n, &why), -1);
	ck_assert_str_eq(why, "more than 512 excluded peers");
	n = raw_lookup(buf, 0, 0, 512, NULL, 0);
	ck_assert_int_eq(dbl_parse(&p, buf, n, &why), 0);
	/* both encryption bits: not defined */
	n = raw_lookup(buf, DBL_F_ECIES | DBL_F_ENCRYPT, 0, 0, tail, 41);
	ck_assert_int_eq(dbl_parse(&p, buf, n, &why), -1);
	/* ECIES with two tags */
	tail[32] = 2;
	n = raw_lookup(buf, DBL_F_ECIES, 0, 0, tail, 32 + 1 + 16);
	ck_assert_int_eq(dbl_parse(&p, buf, n, &why), -1);
	ck_assert_str_eq(why, "ECIES reply needs exactly one tag");
	/* ElGamal/AES (two 32-byte tags): the key and the first tag kept */
	memset(tail, 0x51, 32);
	memset(tail + 33, 0x62, 32);
	memset(tail + 65, 0x73, 32);
	n = raw_lookup(buf, DBL_F_ENCRYPT, 0, 0, tail, 32 + 1 + 64);
	ck_assert_int_eq(dbl_parse(&p, buf, n, &why), 0);
	ck_assert_int_eq(p.reply, DBL_REPLY_AES);
	ck_assert_mem_eq(p.reply_key, tail, 32);
	ck_assert_mem_eq(p.reply_tag, tail + 33, 32);
	tail[32] = 0;
	n = raw_lookup(buf, DBL_F_ENCRYPT, 0, 0, tail, 33);
	ck_assert_int_eq(dbl_parse(&p, buf, n, &why), -1);
	tail[32] = 33;
	n = raw_lookup(buf, DBL_F_ENCRYPT, 0, 0, tail, 33);
	ck_assert_int_eq(dbl_parse(&p, buf, n, &why), -1);
}
END_TEST

/* every prefix of the longest form fails; so does one byte more */
START_TEST(test_truncated_and_trailing)
{
	struct dblookup	 l, p;
	uint8_t		 buf[1024];
	const char	*why;
	size_t		 n, i;

	lookup_init(&l, DBL_TYPE_LS | DBL_F_TUNNEL | DBL_F_ECIES);
	n = lookup_build(buf, sizeof(buf), &l);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(dbl_parse(&p, buf, i, &why), -1);
	buf[n] = 0;
	ck_assert_int_eq(dbl_parse(&p, buf, n + 1, &why), -1);
	ck_assert_str_eq(why, "trailing bytes");
	ck_assert_int_eq(dbl_parse(&p, buf, n, &why), 0);
}
END_TEST

START_TEST(test_build_refuses)
{
	struct dblookup	 l;
	struct wbuf	 w;
	uint8_t		 buf[1024];

	wbuf_init_fixed(&w, buf, sizeof(buf));
	lookup_init(&l, DBL_F_TUNNEL);
	l.reply_tunnel = 0;
	ck_assert_int_eq(dbl_build(&w, &l), -1);
	lookup_init(&l, DBL_F_ECIES);
	l.reply = DBL_REPLY_PLAIN;
	ck_assert_int_eq(dbl_build(&w, &l), -1);
	lookup_init(&l, 0);
	l.reply = DBL_REPLY_AES;
	ck_assert_int_eq(dbl_build(&w, &l), -1);
	lookup_init(&l, 0);
	l.nexcluded = 513;
	ck_assert_int_eq(dbl_build(&w, &l), -1);
}
END_TEST

START_TEST(test_dsrm)
{
	static uint8_t	 peers[255 * 32], buf[256 * 32 + 100];
	uint8_t		 key[32], from[32];
	struct dsrm	 d;
	struct wbuf	 w;
	const char	*why;
	size_t		 n, i;

	memset(key, 1, 32);
	memset(from, 2, 32);
	for (i = 0; i < sizeof(peers); i++)
		peers[i] = i / 32;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(dsrm_build(&w, key, peers, 3, from), 0);
	n = wbuf_len(&w);
	ck_assert_uint_eq(n, 32 + 1 + 96 + 32);
	ck_assert_int_eq(dsrm_parse(&d, buf, n, &why), 0);
	ck_assert_uint_eq(d.npeers, 3);
	ck_assert_mem_eq(d.peers, peers, 96);
	ck_assert_mem_eq(d.from, from, 32);
	ck_assert_mem_eq(d.key, key, 32);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(dsrm_parse(&d, buf, i, &why), -1);
	ck_assert_int_eq(dsrm_parse(&d, buf, n + 1, &why), -1);
	/* a count larger than what follows */
	buf[32] = 4;
	ck_assert_int_eq(dsrm_parse(&d, buf, n, &why), -1);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(dsrm_build(&w, key, peers, 255, from), 0);
	ck_assert_int_eq(dsrm_parse(&d, buf, wbuf_len(&w), &why), 0);
	ck_assert_uint_eq(d.npeers, 255);
	ck_assert_int_eq(dsrm_build(&w, key, peers, 256, from), -1);
}
END_TEST

/* the sorted exclusion list answers as the list itself does */
START_TEST(test_sorted_exclusions)
{
	static uint8_t	 list[512 * 32];
	struct dblookup	 l;
	uint8_t		*sorted, probe[32];
	size_t		 i;

	crypto_random(list, sizeof(list));
	memset(&l, 0, sizeof(l));
	l.nexcluded = 512;
	l.excluded = list;
	ck_assert_ptr_nonnull(sorted = dbl_excluded_sorted(&l));
	for (i = 0; i < 512; i++)
		ck_assert_int_eq(dbl_in_sorted(sorted, 512, list + i * 32), 1);
	for (i = 0; i < 1000; i++) {
		crypto_random(probe, sizeof(probe));
		ck_assert_int_eq(dbl_in_sorted(sorted, 512, probe),
		    dbl_excludes(&l, probe));
	}
	free(sorted);
	l.nexcluded = 0;
	ck_assert_ptr_null(dbl_excluded_sorted(&l));
	ck_assert_int_eq(dbl_in_sorted(NULL, 0, probe), 0);
}
END_TEST

static Suite *
lookup_suite(void)
{
	Suite	*s = suite_create("lookup");
	TCase	*tc = tcase_create("lookup");

	tcase_add_test(tc, test_round_trip_all_flags);
	tcase_add_test(tc, test_zero_exclusion_explores);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_truncated_and_trailing);
	tcase_add_test(tc, test_build_refuses);
	tcase_add_test(tc, test_dsrm);
	tcase_add_test(tc, test_sorted_exclusions);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(lookup_suite());
}
