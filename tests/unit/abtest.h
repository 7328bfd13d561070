/*
 * What the address book tests share: a key of any Destination signature
 * type with its Destination in base64, and signatures in base64, so
 * that a test writes signed feed lines the way a name server would.
 */
#ifndef I2PRD_TEST_ABTEST_H
#define I2PRD_TEST_ABTEST_H

#include <stdio.h>
#include <string.h>

#include "../../tunneld/addrbook.h"
#include "encoding.h"
#include "sigkeys.h"

struct abkey {
	struct tkey	 k;
	struct i2p_ident id;
	char		 b64[700];
};

static inline void
abkey_new(struct abkey *a, uint16_t sigtype)
{
	uint8_t	buf[I2P_IDENT_MAXLEN];
	size_t	n;

	tkey_new(&a->k, sigtype);
	n = tkey_dest(&a->k, buf, sizeof(buf));
	ck_assert_int_eq(ident_parse_bytes(&a->id, buf, n, IDENT_DEST, NULL),
	    0);
	ck_assert_int_gt(ident_to_b64(&a->id, a->b64, sizeof(a->b64)), 0);
}

/* the base64 signature of msg by a */
static inline void
abkey_sign(const struct abkey *a, const char *msg, char *out, size_t sz)
{
	uint8_t	sig[I2P_SIG_MAXLEN];

	tkey_sign(&a->k, msg, strlen(msg), sig);
	ck_assert_int_gt(b64_encode(out, sz, sig, a->k.siglen), 0);
}

#endif /* I2PRD_TEST_ABTEST_H */
