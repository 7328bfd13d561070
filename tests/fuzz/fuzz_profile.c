/*
 * libFuzzer target: the peer profile file (routerd/profile.c), read
 * at start from routerd's directory.  Checked beyond the sanitizers:
 * a file that loads writes back to as many bytes (records may come
 * back in another order), and a refusal has a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../routerd/profile.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

FUZZ_INIT_DEFAULT

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*why = NULL;
	uint8_t		*out;
	size_t		 n;

	if (profile_decode(data, len, &why) == -1) {
		if (why == NULL)
			abort();
		profile_clear();
		return 0;
	}
	n = profile_encode(NULL, 0);
	if (n != len || (out = malloc(n)) == NULL)
		abort();
	if (profile_encode(out, n) != n)
		abort();
	free(out);
	profile_clear();
	return 0;
}
