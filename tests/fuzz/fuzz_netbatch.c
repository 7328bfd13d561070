/*
 * libFuzzer target: the I2P batch reader between netd and routerd
 * (common/netbatch.c).  Checked beyond the sanitizers: the records
 * read back are exactly the bytes they claim, and a batch either ends
 * cleanly at its last byte or is reported malformed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netbatch.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rbuf	 r;
	const uint8_t	*msg, *end = data + len;
	uint8_t		 hash[32];
	size_t		 mlen, used = 32;
	int		 rv;

	if (netbatch_begin(&r, data, len, hash) == -1) {
		if (len >= 32)
			abort();
		return 0;
	}
	while ((rv = netbatch_next(&r, &msg, &mlen)) == 1) {
		used += 2 + mlen;
		if (mlen < NETBATCH_MSG_MIN || msg + mlen > end ||
		    msg != data + used - mlen)
			abort();
	}
	if (rv == 0 && used != len)
		abort();
	return 0;
}
