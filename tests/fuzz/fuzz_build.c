/*
 * libFuzzer target: the replies to our own tunnel builds
 * (routerd/build.c, build_reply), short records and long.  At start,
 * a three-hop build of each kind is made and answered as its hops
 * would (each accepts and masks the other records).  The input's first
 * byte picks the kind and whether the reply keeps its length; the rest
 * is XORed into the good reply.  Checked beyond the sanitizers: the
 * reply is taken exactly when its length, its record count and every
 * hop's record are untouched (the other records are noise to us).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "../../routerd/build.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define HOPS	3

static struct build	 builds[2];
static uint8_t		 replies[2][BUILD_MSG_MAX];
static int		 lens[2];

/* hop i accepts: its reply in its record, the others masked */
static int
answer(struct build *b, const uint8_t priv[32], size_t i, uint8_t *msg)
{
	size_t			 rl = b->long_recs ? BREC_LONG_LEN : BREC_LEN;
	uint8_t			 shared[32], *recs = msg + 1, *rec;
	struct brec_req		 r;
	struct brec_keys	 k;
	struct brec_long_keys	 lk;
	const char		*why;
	int			 idx = b->hops[i].pos, j;

	rec = recs + idx * rl;
	if (x25519(shared, priv, brec_ephemeral(rec)) == -1)
		return -1;
	if (b->long_recs ? brec_long_open(rec, b->hops[i].pub, shared, &r, &lk,
	    &why) == -1 || brec_long_reply(rec, &lk, BREC_ACCEPT) == -1 :
	    brec_open(rec, b->hops[i].pub, shared, &r, &k, &why) == -1 ||
	    brec_reply(rec, &k, idx, BREC_ACCEPT) == -1)
		return -1;
	for (j = 0; j < msg[0]; j++)
		if (j != idx && (b->long_recs ?
		    brec_long_mask(recs + j * rl, &lk) :
		    brec_mask(recs + j * rl, k.reply_key, j)) == -1)
			return -1;
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t	 priv[HOPS][32];
	size_t	 i;
	int	 kind;

	(void)argc;
	(void)argv;
	(void)fuzz_stderr();
	if (crypto_init() == -1)
		abort();
	for (kind = 0; kind < 2; kind++) {
		struct build	*b = &builds[kind];

		b->long_recs = kind;
		b->nhops = HOPS;
		crypto_random(b->reply_gw, 32);
		b->reply_tunnel = 1;
		for (i = 0; i < HOPS; i++) {
			crypto_random(b->hops[i].hash, 32);
			if (x25519_keygen(priv[i], b->hops[i].pub) == -1)
				abort();
		}
		if ((lens[kind] = build_make(b, 1790000000, replies[kind])) == -1)
			abort();
		for (i = 0; i < HOPS; i++)
			if (answer(b, priv[i], i, replies[kind]) == -1)
				abort();
	}
	return 0;
}

/* whether byte k of the message is the count or a hop's record */
static int
ours(const struct build *b, size_t k)
{
	size_t	rl = b->long_recs ? BREC_LONG_LEN : BREC_LEN, i, at;

	if (k == 0)
		return 1;
	for (i = 0; i < b->nhops; i++) {
		at = 1 + b->hops[i].pos * rl;
		if (k >= at && k < at + rl)
			return 1;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t		 msg[BUILD_MSG_MAX];
	uint8_t			 codes[BUILD_HOPS_MAX];
	const struct build	*b;
	size_t			 len, k;
	int			 kind, touched = 0, rv;

	if (size < 1)
		return 0;
	kind = data[0] & 1;
	b = &builds[kind];
	len = lens[kind];
	memcpy(msg, replies[kind], len);
	/* bit 1: the reply cut to the input's length */
	if ((data[0] & 2) && size - 1 < len) {
		len = size - 1;
		touched = 1;
	}
	for (k = 0; k + 1 < size && k < len; k++)
		if (data[k + 1] != 0) {
			msg[k] ^= data[k + 1];
			touched |= ours(b, k);
		}
	rv = build_reply(b, msg, len, codes);
	if (touched ? rv != -1 : rv != 0)
		abort();
	return 0;
}
