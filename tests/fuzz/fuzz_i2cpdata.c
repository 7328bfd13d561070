/*
 * libFuzzer target: the I2CP payload format, a Data message's length
 * and gzip member (common/i2cpdata.c).
 *
 * The first input byte picks the inflation limit (0 to 255 KiB over
 * 256 steps, so the cap is hit both below and above I2CPDATA_MAX), the
 * rest is the message.  The output goes to a heap buffer of exactly
 * the limit, so ASan sees any write past it.  Checked beyond the
 * sanitizers:
 *
 *   - a failure names an error, a success writes no more than the
 *     limit and I2CPDATA_MAX;
 *   - what parses builds again, stored and compressed, with the same
 *     ports and protocol, and parses back to the same payload.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "i2cpdata.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 errfd = STDERR_FILENO;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	return 0;
}

static void
die(const char *what, int err)
{
	dprintf(errfd, "fuzz_i2cpdata: %s (%s)\n", what,
	    i2cpdata_strerror(err));
	abort();
}

static void
rebuild(const struct i2cpdata_hdr *h, enum i2cpdata_mode mode,
    const uint8_t *payload, size_t len)
{
	static uint8_t		 msg[I2CPDATA_MAX + 1024];
	static uint8_t		 again[I2CPDATA_MAX];
	struct i2cpdata_part	 part = { payload, len };
	struct i2cpdata_hdr	 h2;
	struct wbuf		 w;
	size_t			 n;
	int			 err = I2CPD_OK;

	wbuf_init_fixed(&w, msg, sizeof(msg));
	if (i2cpdata_build(&w, h, mode, &part, 1, &err) == -1)
		die("rebuild failed", err);
	if (i2cpdata_parse(&h2, msg, wbuf_len(&w), again, sizeof(again), &n,
	    &err) == -1)
		die("own message does not parse", err);
	if (h2.src_port != h->src_port || h2.dst_port != h->dst_port ||
	    h2.proto != h->proto || n != len ||
	    (n > 0 && memcmp(again, payload, n) != 0))
		die("round trip differs", I2CPD_OK);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct i2cpdata_hdr	 h;
	uint8_t			*out;
	size_t			 cap, n = 0;
	int			 err = I2CPD_OK;

	if (len < 1)
		return 0;
	cap = (size_t)data[0] * 1024;
	if ((out = malloc(cap > 0 ? cap : 1)) == NULL)
		abort();
	if (i2cpdata_parse(&h, data + 1, len - 1, out, cap, &n, &err) == -1) {
		if (err <= I2CPD_OK || err >= I2CPD_MAX)
			die("failure without an error", err);
	} else {
		if (n > cap || n > I2CPDATA_MAX)
			die("output beyond the limit", I2CPD_OK);
		rebuild(&h, I2CPDATA_STORE, out, n);
		rebuild(&h, I2CPDATA_COMPRESS, out, n);
	}
	free(out);
	return 0;
}
