/*
 * Speed of the crypto.c primitives the router uses most, called
 * directly in this process: the baseline for cryptod's IPC benchmark.
 *
 * usage: crypto_bench [seconds]
 *
 * Prints one line per operation with operations per second (and
 * megabytes, 10^6 bytes, per second for the ciphers), each run for
 * about half a second by default.
 */

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"

#define AEAD_LEN	1024
#define CBC_LEN		1008	/* a tunnel message after its IV */

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint8_t	 seed[ED25519_SEED_LEN], pub[ED25519_PUB_LEN];
static uint8_t	 sig[ED25519_SIG_LEN], msg[AEAD_LEN];
static uint8_t	 xpriv[X25519_KEY_LEN], xpeer[X25519_KEY_LEN];
static uint8_t	 key[32], iv[AES_BLOCK_LEN], out[AEAD_LEN + 16];
static uint64_t	 counter;

static int
op_sign(void)
{
	return ed25519_sign(sig, seed, msg, 64);
}

static int
op_verify(void)
{
	return ed25519_verify(sig, pub, msg, 64);
}

static int
op_x25519(void)
{
	return x25519(out, xpriv, xpeer);
}

static int
op_chachapoly(void)
{
	return chachapoly_encrypt(out, key, counter++, NULL, 0, msg,
	    AEAD_LEN);
}

static int
op_cbc(void)
{
	return aes256_cbc_encrypt(out, key, iv, msg, CBC_LEN);
}

/* calls op in batches until secs have passed; prints the rate */
static void
bench(const char *name, int (*op)(void), size_t bytes, double secs)
{
	double		 start, el;
	uint64_t	 n = 0;
	int		 i;

	start = now();
	do {
		for (i = 0; i < 64; i++)
			if (op() == -1)
				errx(1, "%s failed", name);
		n += 64;
	} while ((el = now() - start) < secs);
	if (bytes > 0)
		printf("%-26s %10.0f ops/s %8.1f MB/s\n", name, n / el,
		    n * bytes / el / 1e6);
	else
		printf("%-26s %10.0f ops/s\n", name, n / el);
	fflush(stdout);
}

int
main(int argc, char *argv[])
{
	uint8_t	 xpub[X25519_KEY_LEN];
	double	 secs = 0.5;

	if (argc > 1 && (secs = strtod(argv[1], NULL)) <= 0)
		errx(1, "usage: crypto_bench [seconds]");
	if (crypto_init() == -1)
		errx(1, "crypto_init");
	if (ed25519_keygen(seed, pub) == -1 ||
	    x25519_keygen(xpriv, xpub) == -1 ||
	    x25519_keygen(xpeer, xpub) == -1 ||
	    crypto_random(key, sizeof(key)) == -1 ||
	    crypto_random(iv, sizeof(iv)) == -1 ||
	    crypto_random(msg, sizeof(msg)) == -1)
		errx(1, "key generation");
	memcpy(xpeer, xpub, sizeof(xpeer));
	if (ed25519_sign(sig, seed, msg, 64) == -1)
		errx(1, "ed25519_sign");

	bench("ed25519_sign (64 B)", op_sign, 0, secs);
	bench("ed25519_verify (64 B)", op_verify, 0, secs);
	bench("x25519", op_x25519, 0, secs);
	bench("chachapoly_encrypt 1 KiB", op_chachapoly, AEAD_LEN, secs);
	bench("aes256_cbc_encrypt 1008 B", op_cbc, CBC_LEN, secs);

	crypto_wipe(seed, sizeof(seed));
	crypto_wipe(xpriv, sizeof(xpriv));
	crypto_wipe(key, sizeof(key));
	return 0;
}
