/*
 * libFuzzer target: su3 files as i2pctl reseed import and HTTPS
 * reseeds bring them (routerd/su3.c).  The test signer of
 * tests/data/su3 is trusted when the file is there, so inputs naming
 * it reach the RSA verification.  Checked beyond the sanitizers: what
 * the parser hands over lies inside the input and adds up to it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../routerd/su3.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t		 pem[8192];
	const char	*why;
	size_t		 len;
	FILE		*f;

	(void)argc;
	(void)argv;
	(void)fuzz_stderr();
	su3_signers_begin();
	if ((f = fopen("tests/data/su3/signer.crt", "r")) != NULL) {
		len = fread(pem, 1, sizeof(pem), f);
		fclose(f);
		if (su3_signers_add(pem, len, &why) == -1)
			abort();
	}
	su3_signers_commit();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct su3	 s;
	const char	*why = NULL;

	if (su3_parse(&s, data, len, &why) == -1) {
		if (why == NULL)
			abort();
		return 0;
	}
	if (s.signedlen + s.siglen != len || s.content < data ||
	    s.content + s.contentlen > data + s.signedlen ||
	    s.sig != data + s.signedlen || strlen(s.signer) == 0)
		abort();
	if (su3_verify(&s, data, &why) == 0 && strcmp(s.signer,
	    "test-signer@mail.i2p") != 0)
		abort();
	return 0;
}
