/*
 * Datagrams in-process (tunneld/dgram.c over common/i2cpdata.c): how
 * many a second one core builds and reads, for 1 KiB and 16 KiB
 * payloads of random (incompressible) bytes, as the Data message body
 * that goes into a garlic clove.  An Ed25519 Destination sends.
 *
 *   repliable build   dgram1_tosign, ed25519_sign (here in-process, in
 *                     i2prd cryptod's), dgram1_build (compressed)
 *   repliable parse   i2cpdata_parse, dgram_parse (identity parse and
 *                     signature check)
 *   raw build/parse   stored and compressed
 *
 * Each figure is the median of 5 runs of about secs/5 seconds.  It
 * prints figures and asserts nothing.
 *
 *   build/tests/dgram_bench [seconds per figure, default 1]
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2cpdata.h"
#include "i2pdata.h"
#include "../../tunneld/dgram.h"
#include "bench.h"

#define RUNS	5

static struct i2p_ident	 from;
static uint8_t		 seed[ED25519_SEED_LEN];
static uint8_t		 payload[16 * 1024];
static uint8_t		 msg[I2CPDATA_MAX + 1024];
static uint8_t		 inflated[I2CPDATA_MAX];
static size_t		 paylen, msglen;
static enum i2cpdata_mode mode;

static int
op_repliable_build(void)
{
	uint8_t		 digest[SHA256_LEN], sig[ED25519_SIG_LEN];
	const uint8_t	*tosign;
	size_t		 tosignlen;
	struct wbuf	 w;

	wbuf_init_fixed(&w, msg, sizeof(msg));
	if (dgram1_tosign(&from, payload, paylen, digest, &tosign,
	    &tosignlen, NULL) == -1 ||
	    ed25519_sign(sig, seed, tosign, tosignlen) == -1 ||
	    dgram1_build(&w, 1, 2, &from, sig, sizeof(sig), payload, paylen,
	    NULL) == -1)
		return -1;
	msglen = wbuf_len(&w);
	return 0;
}

static int
op_raw_build(void)
{
	struct wbuf	 w;

	wbuf_init_fixed(&w, msg, sizeof(msg));
	if (dgram_raw_build(&w, 1, 2, mode, payload, paylen, NULL) == -1)
		return -1;
	msglen = wbuf_len(&w);
	return 0;
}

/* either kind: what the receive path does with a Data message body */
static int
op_parse(void)
{
	struct i2cpdata_hdr	 h;
	struct dgram		 d;
	size_t			 n;

	if (i2cpdata_parse(&h, msg, msglen, inflated, sizeof(inflated), &n,
	    NULL) == -1 || dgram_parse(&d, &h, inflated, n, NULL) == -1 ||
	    d.len != paylen)
		return -1;
	return 0;
}

/* ops per second: the median of RUNS runs of secs / RUNS */
static double
rate(const char *name, int (*op)(void), double secs)
{
	double		 v[RUNS], start, el;
	uint64_t	 n;
	int		 run, i;

	for (run = 0; run < RUNS; run++) {
		n = 0;
		start = now();
		do {
			for (i = 0; i < 16; i++)
				if (op() == -1)
					errx(1, "%s failed", name);
			n += 16;
		} while ((el = now() - start) < secs / RUNS);
		v[run] = n / el;
	}
	return bench_median(v, RUNS);
}

static void
row(const char *name, int (*op)(void), double secs)
{
	char	label[64];
	double	r;

	snprintf(label, sizeof(label), "%s %zu KiB", name, paylen / 1024);
	r = rate(label, op, secs);
	printf("%-34s %9.0f /s %8.1f MB/s  (message %zu B)\n", label, r,
	    r * paylen / 1e6, msglen);
	fflush(stdout);
}

int
main(int argc, char *argv[])
{
	static const size_t	 sizes[] = { 1024, 16 * 1024 };
	uint8_t			 pub[ED25519_PUB_LEN];
	double			 secs = 1;
	size_t			 i;

	if (argc > 1 && (secs = strtod(argv[1], NULL)) <= 0)
		errx(1, "usage: dgram_bench [seconds per figure]");
	if (crypto_init() == -1 || ed25519_keygen(seed, pub) == -1 ||
	    ident_build(&from, IDENT_DEST, NULL, pub, NULL) == -1 ||
	    crypto_random(payload, sizeof(payload)) == -1)
		errx(1, "set-up");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		paylen = sizes[i];
		row("repliable build", op_repliable_build, secs);
		row("repliable parse+verify", op_parse, secs);
		mode = I2CPDATA_STORE;
		row("raw build stored", op_raw_build, secs);
		row("raw parse stored", op_parse, secs);
		mode = I2CPDATA_COMPRESS;
		row("raw build compressed", op_raw_build, secs);
		row("raw parse compressed", op_parse, secs);
	}
	crypto_wipe(seed, sizeof(seed));
	return 0;
}
