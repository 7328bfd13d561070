/*
 * Elligator2 for X25519 public keys, as I2P uses it for the ephemeral
 * keys of ECIES New Session / New Session Reply (ecies.rst "2a)
 * Elligator2"; NTCP2 and SSU2 obfuscate their keys otherwise): a public
 * key that can be encoded is sent as a representative indistinguishable
 * from 32 random bytes.  Interoperates with i2pd and Java I2P; the
 * conventions are described in elligator2.c.  Constant time in
 * everything derived from the key.
 */
#ifndef I2PRD_ELLIGATOR2_H
#define I2PRD_ELLIGATOR2_H

#include <stdint.h>

/*
 * Encodes pub into a representative (ENCODE_ELG2).  Bit 0 of random_bits
 * picks which of the key's two representatives is sent, bits 6 and 7 are
 * the spare top bits; the rest is unused.  Pass one random byte, as i2pd
 * does.  Returns -1 if the key has no representative (about half of all
 * keys): make another.
 */
int	 elligator2_encode(uint8_t repr[32], const uint8_t pub[32],
	    uint8_t random_bits);
/*
 * The public key a representative stands for (DECODE_ELG2), top two bits
 * ignored.  Returns -1, pub zeroed, for the 9 representatives above
 * (p - 1) / 2, which i2pd rejects too and no encoder produces.
 */
int	 elligator2_decode(uint8_t pub[32], const uint8_t repr[32]);
/* a new X25519 key pair that can be encoded, with its representative */
int	 elligator2_keygen(uint8_t priv[32], uint8_t pub[32], uint8_t repr[32]);

#endif /* I2PRD_ELLIGATOR2_H */
