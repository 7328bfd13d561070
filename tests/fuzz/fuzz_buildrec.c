/*
 * libFuzzer target: tunnel build requests (routerd/buildrec.c) as a
 * creator, hostile or not, writes them: the 154-byte cleartext of a
 * short record, reached in the router only through its AEAD, parsed
 * here directly.  Checked beyond the sanitizers: what is accepted
 * has nonzero tunnel IDs, AES layers and not both end roles.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../routerd/buildrec.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

FUZZ_INIT_DEFAULT

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	uint8_t		 clear[BREC_CLEAR_LEN];
	struct brec_req	 r;
	const char	*why = NULL;

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
