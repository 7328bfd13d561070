/*
 * libFuzzer target: a CA certificate as the parent passes it to netd
 * for HTTPS reseeding (netd/fetch.c, fetch_ca_add): PEM, checked and
 * kept as DER.  Checked beyond the sanitizers: one input adds one
 * certificate at most, and a set made of it gives a TLS context.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>

#include "../../netd/netd.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

FUZZ_INIT_DEFAULT

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fetch_ca_begin();
	fetch_ca_add(data, size);
	fetch_ca_end();
	if (fetch_ca_count() > 1)
		abort();
	fetch_shutdown();
	return 0;
}
