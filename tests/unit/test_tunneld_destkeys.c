/*
 * tunneld's SAM keys (tunneld/destkeys.c), with the imsgs to cryptod
 * recorded and cryptod's replies made here: each request gets its own
 * id and its own result; transient keys are held and released;
 * private key bytes are wiped once passed on; the limits per client
 * and in all; a client that goes away; replies that are malformed or
 * answer nothing asked.
 */
#include <check.h>
#include <stddef.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "privkey.h"
#include "../../tunneld/destkeys.h"
#include "unit.h"

/* the imsgs destkeys sent, oldest first */
#define SENT_MAX	512
static struct sent {
	uint32_t	 type, reqid;
	uint8_t		 data[KEY_PRIV_MAX];
	size_t		 len;
} sent[SENT_MAX];
static size_t	 nsent;

/* the results the callbacks got */
#define RESULTS_MAX	512
static struct result {
	void		*arg;
	uint32_t	 reqid, keyid;
	int		 code;
	char		 msg[128];
	uint8_t		 priv[PRIVKEY_MAXLEN];
	size_t		 privlen;
	uint8_t		 hash[32];
	uint8_t		 ls_pub[32];
} results[RESULTS_MAX];
static size_t	 nresults;

static uint32_t	 next_keyid;
static struct privkey	 pk;	/* the key the fake cryptod makes */

static void
fake_send(uint32_t type, uint32_t reqid, const void *data, size_t len)
{
	ck_assert_uint_lt(nsent, SENT_MAX);
	ck_assert_uint_le(len, KEY_PRIV_MAX);
	sent[nsent].type = type;
	sent[nsent].reqid = reqid;
	memcpy(sent[nsent].data, data, len);
	sent[nsent].len = len;
	nsent++;
}

static const struct destkeys_ops fake_ops = { .send = fake_send };

static void
got(void *arg, uint32_t reqid, const struct destkey *k, int code,
    const char *msg)
{
	struct result	*r = &results[nresults++];

	ck_assert_uint_le(nresults, RESULTS_MAX);
	memset(r, 0, sizeof(*r));
	r->arg = arg;
	r->reqid = reqid;
	r->code = code;
	if (msg != NULL)
		strncpy(r->msg, msg, sizeof(r->msg) - 1);
	if (k == NULL)
		return;
	r->keyid = k->keyid;
	memcpy(r->hash, k->dest.hash, 32);
	memcpy(r->ls_pub, k->ls_pub, 32);
	if (k->priv != NULL) {
		ck_assert_uint_le(k->privlen, sizeof(r->priv));
		memcpy(r->priv, k->priv, k->privlen);
		r->privlen = k->privlen;
	}
}

static void
setup(void)
{
	uint8_t	seed[32], pad[32];

	destkeys_init(&fake_ops);
	nsent = nresults = 0;
	next_keyid = KEYID_TRANSIENT_MIN + 5;
	memset(seed, 0x61, sizeof(seed));
	memset(pad, 0x0f, sizeof(pad));
	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_ELGAMAL, seed, NULL,
	    pad), 0);
}

static void
teardown(void)
{
	privkey_wipe(&pk);
}

/* cryptod's reply: the header, then the private key or Destination */
static size_t
reply_bytes(uint8_t *buf, size_t len, uint32_t keyid,
    const struct privkey *k, int priv)
{
	struct key_dest	kd;
	struct wbuf	w;
	uint8_t		lpriv[32];

	memset(&kd, 0, sizeof(kd));
	kd.keyid = keyid;
	kd.sigtype = k->dest.sigtype;
	kd.cryptotype = k->dest.cryptotype;
	ck_assert_int_eq(privkey_ls_key(k, lpriv, kd.ls_pub), 0);
	wbuf_init_fixed(&w, buf, len);
	wbuf_put_bytes(&w, &kd, sizeof(kd));
	if (priv)
		privkey_write(k, &w);
	else
		ident_write(&k->dest, &w);
	ck_assert_int_eq(wbuf_error(&w), 0);
	return wbuf_len(&w);
}

/* cryptod answers request reqid with k; returns destkeys_reply's */
static int
answer(uint32_t type, uint32_t reqid, uint32_t keyid,
    const struct privkey *k)
{
	uint8_t		 buf[2048];
	const char	*why;
	size_t		 len;

	len = reply_bytes(buf, sizeof(buf), keyid, k,
	    type == IMSG_KEY_DEST_PRIV);
	return destkeys_reply(type, reqid, buf, len, &why);
}

static int
answer_error(uint32_t reqid, uint32_t code, const char *msg)
{
	struct key_error	 e;
	const char		*why;

	memset(&e, 0, sizeof(e));
	e.code = code;
	strncpy(e.msg, msg, sizeof(e.msg) - 1);
	return destkeys_reply(IMSG_KEY_ERROR, reqid, (uint8_t *)&e,
	    sizeof(e), &why);
}

static int
answer_end(uint32_t reqid)
{
	const char	*why;

	return destkeys_reply(IMSG_KEY_END, reqid, NULL, 0, &why);
}

/* a transient key for owner, answered; returns its key id */
static uint32_t
transient(uint32_t owner)
{
	const char	*why;
	uint32_t	 reqid, keyid = next_keyid++;

	ck_assert_int_eq(destkeys_transient(owner, 7, 0, got, NULL, &reqid,
	    &why), 0);
	ck_assert_int_eq(answer(IMSG_KEY_DEST_PRIV, reqid, keyid, &pk), 0);
	return keyid;
}

/* DEST GENERATE: the private key reaches the callback, then is wiped */
START_TEST(test_destkeys_generate)
{
	uint8_t		 buf[2048], zero[sizeof(buf)] = { 0 };
	const char	*why;
	uint32_t	 reqid;
	size_t		 len;
	int		 tag;

	ck_assert_int_eq(destkeys_generate(9, 7, 0, got, &tag, &reqid, &why),
	    0);
	ck_assert_uint_ne(reqid & DESTKEYS_REQID_BIT, 0);
	ck_assert_uint_eq(nsent, 1);
	ck_assert_uint_eq(sent[0].type, IMSG_KEY_DEST_GENERATE);
	ck_assert_uint_eq(sent[0].reqid, reqid);
	ck_assert_uint_eq(sent[0].len, sizeof(struct key_dest_new));
	ck_assert_int_eq(destkeys_owns(reqid), 1);
	ck_assert_uint_eq(destkeys_pending(9), 1);
	len = reply_bytes(buf, sizeof(buf), 0, &pk, 1);
	ck_assert_int_eq(destkeys_reply(IMSG_KEY_DEST_PRIV, reqid, buf, len,
	    &why), 0);
	ck_assert_mem_eq(buf, zero, len);
	ck_assert_uint_eq(nresults, 1);
	ck_assert_ptr_eq(results[0].arg, &tag);
	ck_assert_uint_eq(results[0].reqid, reqid);
	ck_assert_uint_eq(results[0].keyid, 0);
	ck_assert_int_eq(results[0].code, 0);
	ck_assert_uint_eq(results[0].privlen, PRIVKEY_MAXLEN);
	ck_assert_mem_eq(results[0].hash, pk.dest.hash, 32);
	ck_assert_uint_eq(destkeys_pending(0), 0);
	ck_assert_uint_eq(destkeys_held(0), 0);
	ck_assert_int_eq(destkeys_owns(reqid), 0);
	/* answered once: a second answer is an error */
	ck_assert_int_eq(answer(IMSG_KEY_DEST_PRIV, reqid, 0, &pk), -1);
}
END_TEST

/* a transient key is held until released and cryptod confirms */
START_TEST(test_destkeys_transient)
{
	struct key_id	 id;
	uint32_t	 keyid, del;

	keyid = transient(3);
	ck_assert_uint_eq(nresults, 1);
	ck_assert_uint_eq(results[0].keyid, keyid);
	ck_assert_uint_eq(results[0].privlen, PRIVKEY_MAXLEN);
	ck_assert_uint_eq(sent[0].type, IMSG_KEY_DEST_TRANSIENT);
	ck_assert_uint_eq(destkeys_held(3), 1);
	ck_assert_uint_eq(destkeys_held(4), 0);
	destkeys_release(keyid);
	ck_assert_uint_eq(nsent, 2);
	ck_assert_uint_eq(sent[1].type, IMSG_KEY_DEST_DELETE);
	memcpy(&id, sent[1].data, sizeof(id));
	ck_assert_uint_eq(id.keyid, keyid);
	del = sent[1].reqid;
	ck_assert_int_eq(destkeys_owns(del), 1);
	ck_assert_uint_eq(destkeys_held(3), 0);
	/* once only, however often it is released */
	destkeys_release(keyid);
	ck_assert_uint_eq(nsent, 2);
	ck_assert_int_eq(answer_end(del), 0);
	ck_assert_int_eq(destkeys_owns(del), 0);
	ck_assert_int_eq(answer_end(del), -1);
	ck_assert_uint_eq(destkeys_held(0), 0);
}
END_TEST

/* a client's key goes to cryptod as given; the reply names it */
START_TEST(test_destkeys_import)
{
	struct privkey	 other;
	struct wbuf	 w;
	uint8_t		 priv[PRIVKEY_MAXLEN], seed[32];
	const char	*why;
	uint32_t	 reqid, r2;

	wbuf_init_fixed(&w, priv, sizeof(priv));
	ck_assert_int_eq(privkey_write(&pk, &w), 0);
	ck_assert_int_eq(destkeys_import(5, priv, sizeof(priv), got, NULL,
	    &reqid, &why), 0);
	ck_assert_uint_eq(sent[0].type, IMSG_KEY_DEST_IMPORT);
	ck_assert_uint_eq(sent[0].len, sizeof(priv));
	ck_assert_mem_eq(sent[0].data, priv, sizeof(priv));
	/* a private key as an answer to an import is wrong */
	ck_assert_int_eq(answer(IMSG_KEY_DEST_PRIV, reqid, next_keyid, &pk),
	    -1);
	ck_assert_int_eq(answer(IMSG_KEY_DEST_MADE, reqid, next_keyid, &pk),
	    0);
	ck_assert_uint_eq(nresults, 1);
	ck_assert_uint_eq(results[0].keyid, next_keyid);
	ck_assert_uint_eq(results[0].privlen, 0);
	ck_assert_mem_eq(results[0].hash, pk.dest.hash, 32);
	ck_assert_uint_eq(destkeys_held(5), 1);
	/* the reply must be about the key imported */
	ck_assert_int_eq(destkeys_import(5, priv, sizeof(priv), got, NULL,
	    &r2, &why), 0);
	memset(seed, 0x62, sizeof(seed));
	ck_assert_int_eq(privkey_build(&other, CRYPTOTYPE_ELGAMAL, seed, NULL,
	    seed), 0);
	ck_assert_int_eq(answer(IMSG_KEY_DEST_MADE, r2, next_keyid + 1,
	    &other), -1);
	privkey_wipe(&other);
	ck_assert_int_eq(destkeys_import(5, priv, 0, got, NULL, &r2, &why),
	    -1);
	ck_assert_int_eq(destkeys_import(5, priv, KEY_PRIV_MAX + 1, got, NULL,
	    &r2, &why), -1);
}
END_TEST

/* a refusal reaches the callback with cryptod's code and reason */
START_TEST(test_destkeys_refused)
{
	const char	*why;
	uint32_t	 reqid;

	ck_assert_int_eq(destkeys_transient(2, 11, 0, got, NULL, &reqid,
	    &why), 0);
	ck_assert_int_eq(answer_error(reqid, KEY_ERR_UNSUPPORTED,
	    "signature type 11: only 7 (Ed25519)"), 0);
	ck_assert_uint_eq(nresults, 1);
	ck_assert_int_eq(results[0].code, KEY_ERR_UNSUPPORTED);
	ck_assert_str_eq(results[0].msg, "signature type 11: only 7 (Ed25519)");
	ck_assert_uint_eq(destkeys_pending(0), 0);
	ck_assert_uint_eq(destkeys_held(0), 0);
	ck_assert_int_eq(answer_error(reqid, KEY_ERR_LIMIT, "again"), -1);
}
END_TEST

/* replies that are malformed or answer nothing asked */
START_TEST(test_destkeys_malformed)
{
	struct key_error	 e;
	uint8_t			 buf[2048];
	const char		*why;
	uint32_t		 reqid, gen;
	size_t			 len;

	ck_assert_int_eq(answer(IMSG_KEY_DEST_PRIV, 0x80000abc, 0, &pk), -1);
	ck_assert_int_eq(destkeys_generate(1, 7, 0, got, NULL, &gen, &why), 0);
	ck_assert_int_eq(destkeys_transient(1, 7, 0, got, NULL, &reqid, &why),
	    0);
	/* a key id after GENERATE; none, or not a transient one, after
	   TRANSIENT */
	ck_assert_int_eq(answer(IMSG_KEY_DEST_PRIV, gen, next_keyid, &pk), -1);
	ck_assert_int_eq(answer(IMSG_KEY_DEST_PRIV, reqid, 0, &pk), -1);
	ck_assert_int_eq(answer(IMSG_KEY_DEST_PRIV, reqid, 7, &pk), -1);
	ck_assert_int_eq(answer(IMSG_KEY_DEST_PRIV, reqid, KEYID_NTCP2, &pk),
	    -1);
	/* truncated, and a LeaseSet key not the private key's */
	len = reply_bytes(buf, sizeof(buf), next_keyid, &pk, 1);
	ck_assert_int_eq(destkeys_reply(IMSG_KEY_DEST_PRIV, reqid, buf,
	    len - 1, &why), -1);
	len = reply_bytes(buf, sizeof(buf), next_keyid, &pk, 1);
	buf[offsetof(struct key_dest, ls_pub)] ^= 1;
	ck_assert_int_eq(destkeys_reply(IMSG_KEY_DEST_PRIV, reqid, buf, len,
	    &why), -1);
	ck_assert_int_eq(destkeys_reply(IMSG_KEY_DEST_PRIV, reqid, buf, 10,
	    &why), -1);
	/* other types than asked for */
	len = reply_bytes(buf, sizeof(buf), next_keyid, &pk, 1);
	buf[offsetof(struct key_dest, cryptotype)] ^= 4;
	ck_assert_int_eq(destkeys_reply(IMSG_KEY_DEST_PRIV, reqid, buf, len,
	    &why), -1);
	/* a KEY_ERROR whose reason is not terminated */
	memset(&e, 'x', sizeof(e));
	ck_assert_int_eq(destkeys_reply(IMSG_KEY_ERROR, reqid, (uint8_t *)&e,
	    sizeof(e), &why), -1);
	ck_assert_int_eq(destkeys_reply(IMSG_KEY_ERROR, reqid, (uint8_t *)&e,
	    4, &why), -1);
	/* the same key id twice */
	ck_assert_int_eq(answer(IMSG_KEY_DEST_PRIV, reqid, next_keyid, &pk), 0);
	ck_assert_int_eq(destkeys_transient(1, 7, 0, got, NULL, &reqid, &why),
	    0);
	ck_assert_int_eq(answer(IMSG_KEY_DEST_PRIV, reqid, next_keyid, &pk),
	    -1);
	ck_assert_int_eq(answer_end(0x80000fff), -1);
	/* a held key is not being deleted: id 0 answers nothing */
	ck_assert_int_eq(answer_end(0), -1);
	ck_assert_uint_eq(destkeys_held(1), 1);
	ck_assert_int_eq(destkeys_reply(IMSG_KEY_PUB, reqid, buf, 4, &why),
	    -1);
	ck_assert_uint_eq(nresults, 1);
}
END_TEST

/* per client first: requests in flight, then keys held */
START_TEST(test_destkeys_owner_limits)
{
	const char	*why;
	uint32_t	 reqid[DESTKEYS_OWNER_PENDING + 1];
	int		 i;

	for (i = 0; i < DESTKEYS_OWNER_PENDING; i++)
		ck_assert_int_eq(destkeys_generate(7, 7, 0, got, NULL,
		    &reqid[i], &why), 0);
	ck_assert_int_eq(destkeys_generate(7, 7, 0, got, NULL, &reqid[i],
	    &why), -1);
	ck_assert_str_eq(why, "too many key requests from this client");
	/* another client is not held up */
	ck_assert_int_eq(destkeys_generate(8, 7, 0, got, NULL, &reqid[i],
	    &why), 0);
	for (i = 0; i < DESTKEYS_OWNER_PENDING; i++)
		ck_assert_int_eq(answer(IMSG_KEY_DEST_PRIV, reqid[i], 0, &pk),
		    0);
	for (i = 0; i < DESTKEYS_OWNER_KEYS; i++)
		transient(7);
	ck_assert_uint_eq(destkeys_held(7), DESTKEYS_OWNER_KEYS);
	ck_assert_int_eq(destkeys_transient(7, 7, 0, got, NULL, &reqid[0],
	    &why), -1);
	ck_assert_str_eq(why, "too many destinations for this client");
	ck_assert_int_eq(destkeys_generate(7, 7, 0, got, NULL, &reqid[0],
	    &why), 0);
	destkeys_release(results[nresults - 1].keyid);
	ck_assert_int_eq(destkeys_transient(7, 7, 0, got, NULL, &reqid[0],
	    &why), 0);
	ck_assert_int_eq(destkeys_transient(0, 7, 0, got, NULL, &reqid[0],
	    &why), -1);
	ck_assert_int_eq(destkeys_transient(6, 7, 0, NULL, NULL, &reqid[0],
	    &why), -1);
}
END_TEST

/* then in all: requests in flight and the keys cryptod can hold */
START_TEST(test_destkeys_global_limits)
{
	const char	*why;
	uint32_t	 reqid, owner;
	int		 i;

	for (i = 0; i < DESTKEYS_PENDING_MAX; i++)
		ck_assert_int_eq(destkeys_generate(100 + i / 4, 7, 0, got,
		    NULL, &reqid, &why), 0);
	ck_assert_int_eq(destkeys_generate(999, 7, 0, got, NULL, &reqid,
	    &why), -1);
	ck_assert_str_eq(why, "too many key requests");
	destkeys_init(&fake_ops);
	for (i = 0; i < KEY_TRANSIENT_MAX; i++)
		transient(1000 + i / DESTKEYS_OWNER_KEYS);
	ck_assert_uint_eq(destkeys_held(0), KEY_TRANSIENT_MAX);
	owner = 5000;
	ck_assert_int_eq(destkeys_transient(owner, 7, 0, got, NULL, &reqid,
	    &why), -1);
	ck_assert_str_eq(why, "too many transient destinations");
	ck_assert_int_eq(destkeys_import(owner, (const uint8_t *)"k", 1, got,
	    NULL, &reqid, &why), -1);
	/* a release frees a place only when cryptod confirms it */
	destkeys_release(results[0].keyid);
	ck_assert_int_eq(destkeys_transient(owner, 7, 0, got, NULL, &reqid,
	    &why), -1);
	ck_assert_int_eq(answer_end(sent[nsent - 1].reqid), 0);
	ck_assert_int_eq(destkeys_transient(owner, 7, 0, got, NULL, &reqid,
	    &why), 0);
}
END_TEST

/* a client that goes: no callbacks, its keys released, late ones too */
START_TEST(test_destkeys_owner_gone)
{
	const char	*why;
	uint32_t	 k1, k2, gen, tr, imp, late;
	size_t		 before;

	k1 = transient(4);
	k2 = transient(4);
	transient(6);
	ck_assert_int_eq(destkeys_generate(4, 7, 0, got, NULL, &gen, &why), 0);
	ck_assert_int_eq(destkeys_transient(4, 7, 0, got, NULL, &tr, &why), 0);
	ck_assert_int_eq(destkeys_import(4, (const uint8_t *)"k", 1, got, NULL,
	    &imp, &why), 0);
	before = nresults;
	nsent = 0;
	destkeys_owner_gone(4);
	ck_assert_uint_eq(nsent, 2);
	ck_assert_uint_eq(sent[0].type, IMSG_KEY_DEST_DELETE);
	ck_assert_uint_eq(sent[1].type, IMSG_KEY_DEST_DELETE);
	ck_assert_uint_eq(destkeys_held(4), 0);
	ck_assert_uint_eq(destkeys_held(6), 1);
	ck_assert(k1 != k2);
	/* the answers still come, and go nowhere */
	ck_assert_int_eq(answer(IMSG_KEY_DEST_PRIV, gen, 0, &pk), 0);
	late = next_keyid++;
	ck_assert_int_eq(answer(IMSG_KEY_DEST_PRIV, tr, late, &pk), 0);
	ck_assert_uint_eq(nsent, 3);
	ck_assert_uint_eq(sent[2].type, IMSG_KEY_DEST_DELETE);
	ck_assert_int_eq(answer_error(imp, KEY_ERR_BAD_KEY, "truncated"), 0);
	ck_assert_uint_eq(nresults, before);
	ck_assert_uint_eq(destkeys_pending(0), 0);
	ck_assert_int_eq(answer_end(sent[0].reqid), 0);
	ck_assert_int_eq(answer_error(sent[1].reqid, KEY_ERR_UNKNOWN_KEY,
	    "no such key"), 0);
	ck_assert_int_eq(answer_end(sent[2].reqid), 0);
	ck_assert_uint_eq(destkeys_held(0), 1);
}
END_TEST

/* request ids: distinct, top bit set; tunneld's own are not ours */
START_TEST(test_destkeys_reqids)
{
	const char	*why;
	uint32_t	 a, b;

	ck_assert_int_eq(destkeys_generate(1, 7, 0, got, NULL, &a, &why), 0);
	ck_assert_int_eq(destkeys_generate(1, 7, 4, got, NULL, &b, &why), 0);
	ck_assert_uint_ne(a, b);
	ck_assert_uint_ne(a & DESTKEYS_REQID_BIT, 0);
	ck_assert_uint_ne(b & DESTKEYS_REQID_BIT, 0);
	ck_assert_int_eq(destkeys_owns(1), 0);
	ck_assert_int_eq(destkeys_owns(a & ~DESTKEYS_REQID_BIT), 0);
	/* answered out of order, each to its own request */
	ck_assert_int_eq(answer_error(b, KEY_ERR_LIMIT, "b"), 0);
	ck_assert_int_eq(answer_error(a, KEY_ERR_LIMIT, "a"), 0);
	ck_assert_uint_eq(results[0].reqid, b);
	ck_assert_str_eq(results[0].msg, "b");
	ck_assert_uint_eq(results[1].reqid, a);
}
END_TEST

static Suite *
destkeys_suite(void)
{
	Suite	*s = suite_create("tunneld_destkeys");
	TCase	*tc = tcase_create("destkeys");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_destkeys_generate);
	tcase_add_test(tc, test_destkeys_transient);
	tcase_add_test(tc, test_destkeys_import);
	tcase_add_test(tc, test_destkeys_refused);
	tcase_add_test(tc, test_destkeys_malformed);
	tcase_add_test(tc, test_destkeys_owner_limits);
	tcase_add_test(tc, test_destkeys_global_limits);
	tcase_add_test(tc, test_destkeys_owner_gone);
	tcase_add_test(tc, test_destkeys_reqids);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(destkeys_suite());
}
