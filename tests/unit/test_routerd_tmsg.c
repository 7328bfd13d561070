/*
 * Tunnel messages (routerd/tmsg.c) and fragments (routerd/frag.c): the
 * layer crypto against its definition, tunnels of several hops both
 * ways, the cleartext layout, malformed instructions, and messages
 * split, shuffled and put back together.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "crypto.h"
#include "../../routerd/frag.h"
#include "../../routerd/tmsg.h"
#include "unit.h"

static void
aes(const EVP_CIPHER *c, const uint8_t key[32], const uint8_t *iv,
    uint8_t *buf, size_t len)
{
	EVP_CIPHER_CTX	*ctx = EVP_CIPHER_CTX_new();
	int		 n;

	ck_assert_int_eq(EVP_EncryptInit_ex(ctx, c, NULL, key, iv), 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	ck_assert_int_eq(EVP_EncryptUpdate(ctx, buf, &n, buf, len), 1);
	EVP_CIPHER_CTX_free(ctx);
}

/*
 * A participant's step, as implementation.html words it, for several
 * messages in a row through one layer: each under its own IV, whatever
 * the layer's contexts carried over from the one before.
 */
START_TEST(test_layer_definition)
{
	struct tmsg_layer	 l;
	uint8_t			 lk[32], ik[32], msg[TMSG_LEN], want[TMSG_LEN];
	uint8_t			 orig[TMSG_LEN], iv[16];
	int			 k;

	crypto_random(lk, 32);
	crypto_random(ik, 32);
	ck_assert_int_eq(tmsg_layer_init(&l, lk, ik), 0);
	for (k = 0; k < 5; k++) {
		crypto_random(msg, sizeof(msg));
		memcpy(orig, msg, sizeof(msg));
		memcpy(want, msg, sizeof(msg));
		memcpy(iv, want, 16);
		aes(EVP_aes_256_ecb(), ik, NULL, iv, 16);	/* IV' */
		aes(EVP_aes_256_cbc(), lk, iv, want + 16, TMSG_DATA_LEN);
		aes(EVP_aes_256_ecb(), ik, NULL, iv, 16);	/* IV'' */
		memcpy(want, iv, 16);
		ck_assert_int_eq(tmsg_encrypt(&l, msg), 0);
		ck_assert_mem_eq(msg, want, sizeof(msg));
		/* decrypted (a creator's pre-decryption), twice in a row */
		ck_assert_int_eq(tmsg_decrypt(&l, msg), 0);
		ck_assert_mem_eq(msg, orig, sizeof(msg));
		ck_assert_int_eq(tmsg_encrypt(&l, msg), 0);
		ck_assert_int_eq(tmsg_decrypt(&l, msg), 0);
		ck_assert_mem_eq(msg, orig, sizeof(msg));
		ck_assert_int_eq(tmsg_encrypt(&l, msg), 0);
		ck_assert_mem_eq(msg, want, sizeof(msg));
	}
	tmsg_layer_free(&l);
}
END_TEST

static int
count_cb(void *arg, const struct tdi *t)
{
	struct tdi	*out = arg;
	int		 i;

	for (i = 0; out[i].size != 0; i++)
		;
	out[i] = *t;
	return 0;
}

/* three hops: outbound (creator pre-decrypts) and inbound (decrypts) */
START_TEST(test_tunnel)
{
	struct tmsg_layer	 hop[3];
	struct tdi		 t, got[4];
	uint8_t			 k[2][32], iv[16], msg[TMSG_LEN];
	const uint8_t		 payload[] = "an I2NP message";
	const char		*why;
	int			 i, dir;

	for (i = 0; i < 3; i++) {
		crypto_random(k[0], 32);
		crypto_random(k[1], 32);
		ck_assert_int_eq(tmsg_layer_init(&hop[i], k[0], k[1]), 0);
	}
	memset(&t, 0, sizeof(t));
	t.type = TDI_LOCAL;
	t.frag = payload;
	t.size = sizeof(payload);
	for (dir = 0; dir < 2; dir++) {
		crypto_random(iv, sizeof(iv));
		ck_assert_int_eq(tmsg_build(msg, iv, &t, 1), 0);
		if (dir == 0)		/* outbound: the endpoint sees it */
			for (i = 2; i >= 0; i--)
				ck_assert_int_eq(tmsg_decrypt(&hop[i], msg), 0);
		for (i = 0; i < 3; i++)
			ck_assert_int_eq(tmsg_encrypt(&hop[i], msg), 0);
		if (dir == 1)		/* inbound: the creator peels */
			for (i = 2; i >= 0; i--)
				ck_assert_int_eq(tmsg_decrypt(&hop[i], msg), 0);
		memset(got, 0, sizeof(got));
		ck_assert_int_eq(tmsg_parse(msg, count_cb, got, &why), 0);
		ck_assert_uint_eq(got[0].size, sizeof(payload));
		ck_assert_mem_eq(got[0].frag, payload, sizeof(payload));
		ck_assert_uint_eq(got[1].size, 0);
	}
	for (i = 0; i < 3; i++)
		tmsg_layer_free(&hop[i]);
}
END_TEST

static void
four_kinds(struct tdi t[4], const uint8_t *frag)
{
	memset(t, 0, 4 * sizeof(t[0]));
	t[0].type = TDI_LOCAL;
	t[1].type = TDI_TUNNEL;
	t[1].tunnel_id = 0x01020304;
	memset(t[1].hash, 0xab, 32);
	t[2].type = TDI_ROUTER;
	t[2].fragmented = 1;
	t[2].msg_id = 77;
	memset(t[2].hash, 0xcd, 32);
	t[3].follow_on = 1;
	t[3].msg_id = 78;
	t[3].frag_num = 63;
	t[3].last = 1;
	for (int i = 0; i < 4; i++) {
		t[i].frag = frag + i;
		t[i].size = 10 + i;
	}
}

START_TEST(test_layout)
{
	static uint8_t	 whole[TMSG_ROOM];
	struct tdi	 t[4], got[5];
	uint8_t		 frag[64], iv[16], msg[TMSG_LEN];
	const char	*why;
	size_t		 i, j;

	crypto_random(frag, sizeof(frag));
	crypto_random(iv, sizeof(iv));
	four_kinds(t, frag);
	ck_assert_int_eq(tmsg_build(msg, iv, t, 4), 0);
	ck_assert_mem_eq(msg, iv, 16);
	memset(got, 0, sizeof(got));
	ck_assert_int_eq(tmsg_parse(msg, count_cb, got, &why), 0);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(got[i].follow_on, t[i].follow_on);
		ck_assert_uint_eq(got[i].type, t[i].type);
		ck_assert_uint_eq(got[i].tunnel_id, t[i].tunnel_id);
		ck_assert_mem_eq(got[i].hash, t[i].hash, 32);
		ck_assert_int_eq(got[i].fragmented, t[i].fragmented);
		ck_assert_uint_eq(got[i].msg_id, t[i].msg_id);
		ck_assert_uint_eq(got[i].frag_num, t[i].frag_num);
		ck_assert_int_eq(got[i].last, t[i].last);
		ck_assert_uint_eq(got[i].size, t[i].size);
		ck_assert_mem_eq(got[i].frag, t[i].frag, t[i].size);
	}
	/* padding is nonzero up to the zero byte before the payload */
	for (j = 16 + 4; msg[j] != 0; j++)
		;
	ck_assert_uint_eq(TMSG_LEN - j - 1, 4 * 3 + 10 + 11 + 12 + 13 +
	    36 + 32 + 4 + 4);
	/* the checksum covers the IV and every byte after the zero */
	for (i = 0; i < TMSG_LEN; i++) {
		if (i >= 16 + 4 && i < j)
			continue;	/* padding: not covered */
		msg[i] ^= 0x40;
		memset(got, 0, sizeof(got));
		ck_assert_msg(tmsg_parse(msg, count_cb, got, &why) == -1,
		    "flip at %zu", i);
		msg[i] ^= 0x40;
	}
	/* too much for one message; and exactly enough */
	t[0].frag = whole;
	t[0].size = TMSG_ROOM;
	ck_assert_int_eq(tmsg_build(msg, iv, t, 1), -1);
	t[0].size = TMSG_ROOM - 3;
	ck_assert_int_eq(tmsg_build(msg, iv, t, 1), 0);
}
END_TEST

/* a tunnel message around raw payload bytes, checksum right */
static void
raw_msg(uint8_t msg[TMSG_LEN], const uint8_t *p, size_t len)
{
	uint8_t		 h[32];
	unsigned int	 hl;
	EVP_MD_CTX	*md = EVP_MD_CTX_new();
	uint8_t		*data = msg + 16, *payload;

	crypto_random(msg, 16);
	payload = data + TMSG_DATA_LEN - len;
	memset(data + 4, 0x55, payload - data - 5);
	payload[-1] = 0;
	memcpy(payload, p, len);
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, payload, len);
	EVP_DigestUpdate(md, msg, 16);
	EVP_DigestFinal_ex(md, h, &hl);
	EVP_MD_CTX_free(md);
	memcpy(data, h, 4);
}

static void
expect_bad(const uint8_t *p, size_t len, const char *want)
{
	uint8_t		 msg[TMSG_LEN];
	struct tdi	 got[8];
	const char	*why;

	raw_msg(msg, p, len);
	memset(got, 0, sizeof(got));
	ck_assert_int_eq(tmsg_parse(msg, count_cb, got, &why), -1);
	ck_assert_str_eq(why, want);
}

START_TEST(test_malformed)
{
	static const uint8_t	type3[] = { 0x60, 0, 1, 'x' };
	static const uint8_t	delay[] = { 0x10, 0, 0, 0, 1, 'x' };
	static const uint8_t	ext[] = { 0x04, 0, 1, 'x' };
	static const uint8_t	zero_size[] = { 0x00, 0, 0 };
	static const uint8_t	beyond[] = { 0x00, 0, 5, 'x' };
	static const uint8_t	frag0[] = { 0x81, 0, 0, 0, 1, 0, 1, 'x' };
	static const uint8_t	short_fo[] = { 0x83, 0, 0 };
	uint8_t			tun0[1 + 4 + 32 + 2 + 1];
	uint8_t			msg[TMSG_LEN];
	struct tdi		got[8];
	const char		*why;

	expect_bad(type3, sizeof(type3), "delivery type 3");
	expect_bad(delay, sizeof(delay),
	    "delay or extended options in delivery instructions");
	expect_bad(ext, sizeof(ext),
	    "delay or extended options in delivery instructions");
	expect_bad(zero_size, sizeof(zero_size), "fragment of size 0");
	expect_bad(beyond, sizeof(beyond), "fragment beyond the message");
	expect_bad(frag0, sizeof(frag0), "follow-on fragment number 0");
	expect_bad(short_fo, sizeof(short_fo),
	    "truncated delivery instructions");
	memset(tun0, 0, sizeof(tun0));
	tun0[0] = 0x20;
	tun0[38] = 1;
	tun0[39] = 'x';
	expect_bad(tun0, sizeof(tun0), "tunnel ID 0 in delivery instructions");
	/* no zero byte at all */
	crypto_random(msg, sizeof(msg));
	memset(msg + 20, 0x33, TMSG_DATA_LEN - 4);
	ck_assert_int_eq(tmsg_parse(msg, count_cb, got, &why), -1);
	ck_assert_str_eq(why, "no zero byte after the padding");
}
END_TEST

/* fragments in, whole messages out */
struct sink {
	uint8_t		 msg[FRAG_MSG_MAX];
	size_t		 len;
	int		 n;
	struct tdi	 dest;
};

static void
sink_cb(void *arg, const struct tdi *dest, const uint8_t *msg, size_t len)
{
	struct sink	*s = arg;

	memcpy(s->msg, msg, len);
	s->len = len;
	s->dest = *dest;
	s->n++;
}

static struct sink	sink;
static uint8_t		big[FRAG_MSG_MAX + 1];

/* split len bytes, deliver the fragments in a shuffled order */
static int
roundtrip(size_t len, int shuffle)
{
	struct frag_table	 ft;
	struct tdi		 dest, parts[64], tmp;
	const char		*why;
	uint32_t		 r;
	int			 n, i, j;

	memset(&dest, 0, sizeof(dest));
	dest.type = TDI_TUNNEL;
	dest.tunnel_id = 9;
	memset(dest.hash, 0x11, 32);
	if ((n = frag_split(big, len, &dest, 4242, parts)) == -1)
		return -1;
	for (i = 0; i < n; i++)
		ck_assert_uint_le(tdi_len(&parts[i]) + parts[i].size,
		    TMSG_ROOM);
	for (i = n - 1; shuffle && i > 0; i--) {
		crypto_random(&r, sizeof(r));
		j = r % (i + 1);
		tmp = parts[i];
		parts[i] = parts[j];
		parts[j] = tmp;
	}
	frag_init(&ft);
	memset(&sink, 0, sizeof(sink));
	for (i = 0; i < n; i++)
		ck_assert_int_eq(frag_add(&ft, &parts[i], 0, sink_cb, &sink,
		    &why), 0);
	ck_assert_int_eq(sink.n, 1);
	ck_assert_uint_eq(sink.len, len);
	ck_assert_mem_eq(sink.msg, big, len);
	ck_assert_uint_eq(sink.dest.tunnel_id, 9);
	ck_assert_uint_eq(ft.n, 0);
	frag_free(&ft);
	return n;
}

START_TEST(test_fragments)
{
	crypto_random(big, sizeof(big));
	ck_assert_int_eq(roundtrip(1, 0), 1);
	ck_assert_int_eq(roundtrip(TMSG_ROOM - 39, 0), 1);
	ck_assert_int_eq(roundtrip(TMSG_ROOM - 38, 0), 2);
	ck_assert_int_eq(roundtrip(5000, 1), 6);
	ck_assert_int_eq(roundtrip(FRAG_MSG_MAX, 1), 64);
	ck_assert_int_eq(roundtrip(FRAG_MSG_MAX + 1, 0), -1);
}
END_TEST

START_TEST(test_fragments_bad)
{
	struct frag_table	 ft;
	struct tdi		 dest, parts[64];
	const char		*why;
	int			 n, i;

	memset(&dest, 0, sizeof(dest));
	dest.type = TDI_LOCAL;
	n = frag_split(big, 3000, &dest, 7, parts);
	ck_assert_int_eq(n, 4);
	frag_init(&ft);
	memset(&sink, 0, sizeof(sink));
	ck_assert_int_eq(frag_add(&ft, &parts[1], 100, sink_cb, &sink, &why),
	    0);
	ck_assert_int_eq(frag_add(&ft, &parts[1], 100, sink_cb, &sink, &why),
	    -1);
	ck_assert_str_eq(why, "duplicate fragment");
	ck_assert_int_eq(frag_add(&ft, &parts[3], 100, sink_cb, &sink, &why),
	    0);
	/* a fragment numbered past the last */
	parts[2].frag_num = 5;
	ck_assert_int_eq(frag_add(&ft, &parts[2], 100, sink_cb, &sink, &why),
	    -1);
	ck_assert_str_eq(why, "fragment after the last");
	/* incomplete: gone after the timeout, nothing delivered */
	ck_assert_uint_eq(frag_expire(&ft, 100 + FRAG_TIMEOUT - 1), 0);
	ck_assert_uint_eq(frag_expire(&ft, 100 + FRAG_TIMEOUT), 1);
	ck_assert_int_eq(sink.n, 0);
	/* a bound on messages in reassembly */
	for (i = 0; i < FRAG_PENDING_MAX; i++) {
		parts[1].msg_id = 1000 + i;
		ck_assert_int_eq(frag_add(&ft, &parts[1], 0, sink_cb, &sink,
		    &why), 0);
	}
	parts[1].msg_id = 99999;
	ck_assert_int_eq(frag_add(&ft, &parts[1], 0, sink_cb, &sink, &why),
	    -1);
	ck_assert_str_eq(why, "too many messages being reassembled");
	frag_free(&ft);
}
END_TEST

/*
 * All tables together stay within FRAG_BYTES_MAX: fragments beyond it
 * are dropped and counted, and a table freed gives its bytes back.
 */
START_TEST(test_fragments_budget)
{
	static struct frag_table ft[8];
	struct tdi		 dest, parts[64];
	const char		*why = NULL;
	size_t			 t, m;
	int			 k, n, full = 0;

	memset(&dest, 0, sizeof(dest));
	dest.type = TDI_LOCAL;
	n = frag_split(big, FRAG_MSG_MAX, &dest, 7, parts);
	ck_assert_int_eq(n, 64);
	ck_assert_uint_eq(frag_held(), 0);
	/* follow-on fragments only: no message ever completes */
	for (t = 0; t < 8 && !full; t++) {
		frag_init(&ft[t]);
		for (m = 0; m < FRAG_PENDING_MAX && !full; m++)
			for (k = 1; k < 63 && !full; k++) {
				parts[k].msg_id = m;
				full = frag_add(&ft[t], &parts[k], 0,
				    sink_cb, &sink, &why) == -1;
			}
	}
	ck_assert_int_eq(full, 1);
	ck_assert_str_eq(why, "reassembly memory full");
	ck_assert_uint_eq(frag_over_budget(), 1);
	ck_assert_uint_le(frag_held(), FRAG_BYTES_MAX);
	ck_assert_uint_gt(frag_held(), FRAG_BYTES_MAX - TMSG_ROOM);
	/* one table gone: room again */
	frag_free(&ft[0]);
	ck_assert_uint_lt(frag_held(), FRAG_BYTES_MAX - 1024 * 1024);
	parts[1].msg_id = 99999;
	ck_assert_int_eq(frag_add(&ft[t - 1], &parts[1], 0, sink_cb, &sink,
	    &why), 0);
	for (m = 0; m < t; m++)
		frag_free(&ft[m]);
	ck_assert_uint_eq(frag_held(), 0);
}
END_TEST

static Suite *
tmsg_suite(void)
{
	Suite	*s = suite_create("tmsg");
	TCase	*tc = tcase_create("tmsg");

	tcase_add_test(tc, test_layer_definition);
	tcase_add_test(tc, test_tunnel);
	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_fragments);
	tcase_add_test(tc, test_fragments_bad);
	tcase_add_test(tc, test_fragments_budget);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(tmsg_suite());
}
