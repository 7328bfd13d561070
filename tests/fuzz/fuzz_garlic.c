/*
 * libFuzzer target: garlic to our router (routerd/garlic.c).  The
 * input is first a Garlic payload tried against one expected key and
 * tag (the tag compared, the AEAD refusing), then ECIES blocks parsed
 * directly, as they come out of a garlic that opened.  Checked beyond
 * the sanitizers: a clove never claims more than its block held, and
 * a refusal always has a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "../../routerd/garlic.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

FUZZ_INIT_DEFAULT

static size_t	 limit;

static void
clove(void *arg, const struct i2np_hdr *h, const uint8_t *p)
{
	(void)arg;
	if (h->size > limit || (h->size > 0 && p == NULL))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const uint8_t	 key[32], tag[8] = "fuzztag!";
	uint8_t			*out;
	uint32_t		 dt;
	const char		*why = NULL;
	int			 known, n;

	if ((out = malloc(len + 1)) == NULL)
		return 0;
	garlic_expect(key, tag, 2000);
	n = garlic_open_tagged(data, len, 1000, out, &known, &why);
	if (n > (int)len || (n < 0 && why == NULL))
		abort();
	garlic_expire(3000);
	free(out);
	limit = len;
	why = NULL;
	if (garlic_blocks(data, len, clove, NULL, &dt, &why) == -1 &&
	    why == NULL)
		abort();
	return 0;
}
