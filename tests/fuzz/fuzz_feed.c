/*
 * libFuzzer target: a subscription feed applied to the subscribed book
 * (tunneld/addrbook_feed.c, addrbook_sig.c), with a local book that a
 * feed must never change, and a subscription's state file
 * (addrbook_sub.c).  Beyond the sanitizers: the local book is as it
 * was; every name in the subscribed book passes the rules and is found
 * by lookup; no book exceeds its limit; every line lands in at most one
 * refusal or bad-line count; a state file that decodes encodes back
 * and decodes to the same state; a fetch's answer (ab_answer_parse)
 * gives a body inside the input and validators without control bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tunneld/addrbook.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct i2p_ident	local_id;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t	seed[32], pub[32];

	(void)argc;
	(void)argv;
	(void)fuzz_stderr();
	if (crypto_init() == -1 || ed25519_keygen(seed, pub) == -1 ||
	    ident_build(&local_id, IDENT_DEST, NULL, pub, NULL) == -1)
		abort();
	return 0;
}

static void
check_books(const struct addrbook *ab)
{
	const struct ab_ent	**v, *e;
	enum ab_bad		  why;
	size_t			  i, n;

	if ((e = ab_get(ab, AB_LOCAL, "local.i2p")) == NULL ||
	    ab_count(ab, AB_LOCAL) != 1 ||
	    memcmp(e->hash, local_id.hash, I2P_HASH_LEN) != 0 ||
	    ab_count(ab, AB_SUBSCRIBED) > AB_SUBSCRIBED_MAX)
		abort();
	v = ab_sorted(ab, AB_SUBSCRIBED, &n);
	for (i = 0; i < n; i++)
		if (ab_name_check(v[i]->name, strlen(v[i]->name), &why) == -1 ||
		    ab_get(ab, AB_SUBSCRIBED, v[i]->name) != v[i] ||
		    strcmp(v[i]->name, "local.i2p") == 0)
			abort();
	free(v);
}

static void
check_sub(const uint8_t *data, size_t len)
{
	struct ab_sub	 s, t;
	struct wbuf	 w;
	uint8_t		 buf[AB_SUB_FILE_MAX * 2];
	const char	*why;

	if (ab_sub_decode(&s, data, len, &why) == -1)
		return;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (ab_sub_encode(&s, &w) == -1 ||
	    ab_sub_decode(&t, wbuf_data(&w), wbuf_len(&w), &why) == -1 ||
	    memcmp(&s, &t, sizeof(s)) != 0)
		abort();
}

static void
check_answer(const uint8_t *data, size_t len)
{
	struct ab_answer	 a;
	const char		*why, *p;

	if (ab_answer_parse(data, len, &a, &why) == -1)
		return;
	if (a.body_off > len || a.body_len > len - a.body_off ||
	    a.status < 100 || a.status > 999)
		abort();
	for (p = a.etag; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			abort();
	for (p = a.lastmod; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct addrbook		ab;
	struct ab_counts	c;

	ab_init(&ab);
	if (ab_put(&ab, AB_LOCAL, "local.i2p", &local_id, 0) != AB_PUT_ADDED)
		abort();
	memset(&c, 0, sizeof(c));
	ab_apply(&ab, AB_SUBSCRIBED, data, len, &c);
	if (ab_counts_bad(&c) + ab_counts_refused(&c) > c.lines)
		abort();
	check_books(&ab);
	ab_free(&ab);
	check_sub(data, len);
	check_answer(data, len);
	return 0;
}
