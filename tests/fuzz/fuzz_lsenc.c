/*
 * libFuzzer target: the EncryptedLeaseSet (type 5) parser (common/leaseset2.c), which every
 * DatabaseStore of that type a floodfill receives goes through.
 * Checked beyond the sanitizers: a failed parse says why, and whatever
 * parses writes back the very bytes it was parsed from, so that what
 * is verified and served is what the signer signed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "i2pdata.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int		 errfd = STDERR_FILENO;
static struct enc_leaseset	*ls;

static void
die(const char *what)
{
	dprintf(errfd, "fuzz_lsenc: %s\n", what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	if ((ls = malloc(sizeof(*ls))) == NULL)
		die("out of memory");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct i2p_err	 err = { 0 };
	struct wbuf	 w;
	uint8_t		 out[LS2_MAXLEN];

	if (lse_parse(ls, data, len, &err) == -1) {
		if (err.code == 0)
			die("parse failed without an error code");
		return 0;
	}
	if (ls->rawlen != len || ls->signedlen >= len ||
	    memcmp(ls->raw, data, len) != 0)
		die("EncryptedLeaseSet lengths");
	(void)lse_verify(ls, ls->published, &err);
	wbuf_init_fixed(&w, out, sizeof(out));
	if (lse_write_body(ls, &w) == -1 || wbuf_len(&w) != ls->signedlen ||
	    memcmp(out, data, ls->signedlen) != 0)
		die("EncryptedLeaseSet body differs");
	return 0;
}
