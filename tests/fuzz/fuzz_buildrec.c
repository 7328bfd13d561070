/*
 * libFuzzer target: tunnel build requests (routerd/buildrec.c) as a
 * creator, hostile or not, writes them: the 154-byte cleartext of a
 * short record and the 464 bytes of a long one, reached in the router
 * only through their AEAD, parsed here directly.  Checked beyond the
 * sanitizers: what is accepted has nonzero tunnel IDs, AES layers (short
 * records) and not both end roles.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../routerd/buildrec.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

FUZZ_INIT_DEFAULT

/* the long record's cleartext (464 bytes), from the same input */
static void
long_record(const uint8_t *data, size_t len)
{
	uint8_t			 clear[BREC_LONG_CLEAR_LEN];
	struct brec_req		 r;
	struct brec_long_keys	 k;
	const char		*why = NULL;

	memset(clear, 0, sizeof(clear));
	memcpy(clear, data, len < sizeof(clear) ? len : sizeof(clear));
	if (brec_long_parse(clear, &r, &k, &why) == -1) {
		if (why == NULL)
			abort();
		return;
	}
	if (r.recv_tunnel == 0 || r.next_tunnel == 0 ||
	    (r.flags & (BREC_F_IBGW | BREC_F_OBEP)) ==
	    (BREC_F_IBGW | BREC_F_OBEP))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	uint8_t		 clear[BREC_CLEAR_LEN];
	struct brec_req	 r;
	const char	*why = NULL;

	long_record(data, len);
	memset(clear, 0, sizeof(clear));
	memcpy(clear, data, len < sizeof(clear) ? len : sizeof(clear));
	if (brec_parse(clear, &r, &why) == -1) {
		if (why == NULL)
			abort();
		return 0;
	}
	if (r.recv_tunnel == 0 || r.next_tunnel == 0 || r.layer_type != 0 ||
	    (r.flags & (BREC_F_IBGW | BREC_F_OBEP)) ==
	    (BREC_F_IBGW | BREC_F_OBEP))
		abort();
	return 0;
}
