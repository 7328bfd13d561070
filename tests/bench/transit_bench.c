/*
 * The transit data path in-process: what one participant does to each
 * TunnelData (routerd/tmsg.c, tmsg_encrypt: two AES-256-ECB blocks and
 * 1008 bytes of AES-256-CBC), and the outbound endpoint's parse of the
 * cleartext, next to the bare AES-256-CBC of OpenSSL on the same
 * buffer: the limit the layer cannot beat (a context that runs on, no
 * new IV set; setting one the EVP way, as the layer once did, is
 * printed beside it for what it costs).  Medians of 5 runs.
 *
 *   build/tests/transit_bench [messages per run, default 500000]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "crypto.h"
#include "../../routerd/tmsg.h"
#include "bench.h"

#define RUNS	5

static double
median(double *v)
{
	return bench_median(v, RUNS);
}

static int
count(void *arg, const struct tdi *t)
{
	(*(size_t *)arg)++;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct tmsg_layer	 l;
	struct tdi		 t;
	EVP_CIPHER_CTX		*ctx = EVP_CIPHER_CTX_new();
	uint8_t			 key[32], ivk[32], iv[16], msg[TMSG_LEN];
	uint8_t			 frag[900];
	double			 layer[RUNS], aes[RUNS], aes_iv[RUNS];
	double			 parse[RUNS], t0;
	const char		*why;
	long			 n = argc > 1 ? atol(argv[1]) : 500000, i;
	size_t			 seen = 0;
	int			 r, outl;

	if (crypto_init() == -1 || ctx == NULL || n <= 0)
		return 1;
	crypto_random(key, sizeof(key));
	crypto_random(ivk, sizeof(ivk));
	crypto_random(iv, sizeof(iv));
	crypto_random(frag, sizeof(frag));
	if (tmsg_layer_init(&l, key, ivk) == -1 ||
	    EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv) != 1)
		return 1;
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	memset(&t, 0, sizeof(t));
	t.type = TDI_LOCAL;
	t.frag = frag;
	t.size = sizeof(frag);
	for (r = 0; r < RUNS; r++) {
		crypto_random(msg, sizeof(msg));
		t0 = now();
		for (i = 0; i < n; i++)
			tmsg_encrypt(&l, msg);
		layer[r] = n / (now() - t0);
		t0 = now();
		for (i = 0; i < n; i++)
			EVP_EncryptUpdate(ctx, msg + 16, &outl, msg + 16,
			    TMSG_DATA_LEN);
		aes[r] = n / (now() - t0);
		t0 = now();
		for (i = 0; i < n; i++) {
			EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, iv);
			EVP_EncryptUpdate(ctx, msg + 16, &outl, msg + 16,
			    TMSG_DATA_LEN);
		}
		aes_iv[r] = n / (now() - t0);
		tmsg_build(msg, iv, &t, 1);
		t0 = now();
		for (i = 0; i < n; i++)
			tmsg_parse(msg, count, &seen, &why);
		parse[r] = n / (now() - t0);
	}
	printf("%-44s %12s %10s\n", "per 1024-byte tunnel message",
	    "msgs/s", "MB/s");
	printf("%-44s %12.0f %10.1f\n", "participant layer (tmsg_encrypt)",
	    median(layer), median(layer) * TMSG_LEN / 1e6);
	printf("%-44s %12.0f %10.1f\n", "OpenSSL AES-256-CBC of 1008 bytes (limit)",
	    median(aes), median(aes) * TMSG_LEN / 1e6);
	printf("%-44s %12.0f %10.1f\n", "  the same, a new IV set in EVP each time",
	    median(aes_iv), median(aes_iv) * TMSG_LEN / 1e6);
	printf("%-44s %12.0f %10.1f\n", "endpoint parse (checksum, instructions)",
	    median(parse), median(parse) * TMSG_LEN / 1e6);
	tmsg_layer_free(&l);
	EVP_CIPHER_CTX_free(ctx);
	return seen == 0;
}
