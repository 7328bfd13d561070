/*
 * libFuzzer target: ZIP archives as reseed files bring them
 * (routerd/zip.c).  Checked beyond the sanitizers: every entry handed
 * over respects the size limit and has a NUL-free, bounded name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "../../routerd/zip.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_SIZE	4096

FUZZ_INIT_DEFAULT

/* reads every byte handed over, so ASan sees any overrun */
static int
entry(void *arg, const char *name, const uint8_t *data, size_t len)
{
	uint8_t	*sum = arg;
	size_t	 i;

	if (len > MAX_SIZE || strlen(name) == 0 || strlen(name) > ZIP_NAME_MAX)
		abort();
	for (i = 0; i < len; i++)
		*sum ^= data[i];
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*why = NULL;
	uint8_t		 sum = 0;

	if (zip_walk(data, len, 64, MAX_SIZE, entry, &sum, &why) == -1 &&
	    why == NULL)
		abort();
	return 0;
}
