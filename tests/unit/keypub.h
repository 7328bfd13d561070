/*
 * A destination's public keys as cryptod lists them, made up from the
 * key id so that each id gives its own identity (the tunneld tests).
 */
#ifndef I2PRD_TESTS_KEYPUB_H
#define I2PRD_TESTS_KEYPUB_H

#include <string.h>

#include "i2prd.h"

static inline struct key_pub
pub(uint32_t keyid)
{
	struct key_pub	k;

	memset(&k, 0, sizeof(k));
	k.keyid = keyid;
	k.sigtype = SIGTYPE_ED25519;
	k.cryptotype = CRYPTOTYPE_X25519;
	memset(k.sign_pub, keyid, sizeof(k.sign_pub));
	memset(k.crypto_pub, keyid + 1, sizeof(k.crypto_pub));
	memset(k.padding, keyid + 2, sizeof(k.padding));
	return k;
}

#endif /* I2PRD_TESTS_KEYPUB_H */
