/*
 * libFuzzer target: the private key format SAM clients hand in
 * (common/privkey.c, DESTINATION=$privkey).  Checked beyond the
 * sanitizers: a refusal says why, and what parses writes back to the
 * same bytes and gives a LeaseSet key.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "privkey.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 errfd = 2;

int	LLVMFuzzerInitialize(int *, char ***);
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	return 0;
}

static void
fail(const char *why)
{
	dprintf(errfd, "fuzz_privkey: %s\n", why);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct privkey	 pk;
	struct i2p_err	 err = { 0 };
	struct wbuf	 w;
	uint8_t		 out[PRIVKEY_MAXLEN], lpriv[32], lpub[32];

	if (privkey_parse(&pk, data, len, &err) == -1) {
		if (err.code == I2PE_OK || pk.crypto_privlen != 0)
			fail("refused without a reason, or not wiped");
		return 0;
	}
	wbuf_init_fixed(&w, out, sizeof(out));
	if (privkey_write(&pk, &w) == -1 || wbuf_len(&w) != len ||
	    memcmp(out, data, len) != 0)
		fail("does not write back");
	if (privkey_ls_key(&pk, lpriv, lpub) == -1)
		fail("no LeaseSet key");
	privkey_wipe(&pk);
	crypto_wipe(out, sizeof(out));
	crypto_wipe(lpriv, sizeof(lpriv));
	return 0;
}
