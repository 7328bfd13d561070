/*
 * libFuzzer target: cryptod's key file decoder (cryptod/keystore.c).
 * A key file on disk is local input, but a corrupt one must stop cryptod
 * with a reason, never crash it.  Checked beyond the sanitizers: what
 * decodes encodes back to the same bytes.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "../../cryptod/keystore.h"
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

static void	decode(const uint8_t *, size_t);

/*
 * A random input almost never carries a right checksum: also decode a
 * copy whose checksum is fixed up, to reach the fields behind it.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	uint8_t	fixed[KEYFILE_LEN];

	decode(data, len);
	if (len == KEYFILE_LEN) {
		memcpy(fixed, data, len);
		sha256(fixed + KEYFILE_LEN - SHA256_LEN, fixed,
		    KEYFILE_LEN - SHA256_LEN);
		decode(fixed, len);
	}
	return 0;
}

static void
decode(const uint8_t *data, size_t len)
{
	struct key	 k;
	const char	*why = NULL;
	uint8_t		 out[KEYFILE_LEN];

	if (keyfile_decode(&k, data, len, &why) == -1) {
		if (why == NULL)
			abort();
		ed25519_key_free(k.signer);
		return;
	}
	if (keyfile_encode(&k, out) == -1 || len != KEYFILE_LEN ||
	    memcmp(out, data, len) != 0) {
		dprintf(errfd, "fuzz_keyfile: does not encode back\n");
		abort();
	}
	ed25519_key_free(k.signer);
	crypto_wipe(&k, sizeof(k));
}
