/*
 * The private key of a Destination as SAM clients hold it (samv3.html
 * "DEST GENERATE", the PrivateKeyFile format of the Java router, which
 * i2pd's PrivateKeys::FromBuffer and ToBuffer read and write):
 *
 *	Destination		387+ bytes, with its key certificate
 *	private key		as the certificate's crypto type: 256 bytes
 *				for type 0 (ElGamal, unused since 0.6),
 *				32 for type 4 (X25519)
 *	signing private key	as the signature type: 32 for Ed25519
 *	[offline signature]	only if the signing private key is zero
 *
 * Only signature type 7 (Ed25519) is taken; other types, offline
 * signatures, bytes after the signing key and a signing key whose
 * public half is not the Destination's are refused with a reason.
 *
 * The X25519 key a LeaseSet2 publishes (privkey_ls_key, and
 * docs/decisions.md): with crypto type 4 the private key field itself,
 * whether or not it matches the Destination's public key (peers
 * encrypt to the LeaseSet's key, never the Destination's, and i2pd's
 * DEST GENERATE CRYPTO_TYPE=4 writes a field that does not match);
 * with crypto type 0, or a zero field, the field is meaningless
 * (samv3.html lets applications replace it with random bytes or
 * zeros), so the key is derived from the Ed25519 seed by HKDF.  Either
 * way the same private key gives the same LeaseSet key in every
 * session.
 */
#ifndef I2PRD_PRIVKEY_H
#define I2PRD_PRIVKEY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "i2pdata.h"

/* the private key field of crypto type 0 */
#define PRIVKEY_ELGAMAL_LEN	256
/* what we write at most: an Ed25519 Destination with crypto type 0 */
#define PRIVKEY_MAXLEN		(I2P_IDENT_LEN + PRIVKEY_ELGAMAL_LEN + 32)
/* and at least: the same with crypto type 4 */
#define PRIVKEY_MINLEN		(I2P_IDENT_LEN + 32 + 32)

struct privkey {
	struct i2p_ident dest;		/* the Destination, parsed */
	uint8_t		 crypto_priv[PRIVKEY_ELGAMAL_LEN];
	size_t		 crypto_privlen;	/* 256 (type 0), 32 (4) */
	uint8_t		 sign_seed[32];	/* Ed25519 private key */
};

/*
 * A whole buffer as a private key; -1 with err filled in (I2PE_MISMATCH
 * for public halves that do not match, I2PE_OFFLINE for an offline
 * signature).  pk is wiped on failure; wipe it with privkey_wipe after
 * use.
 */
int	 privkey_parse(struct privkey *, const void *, size_t,
	    struct i2p_err *);
int	 privkey_write(const struct privkey *, struct wbuf *);
/*
 * A private key from an Ed25519 seed: cryptotype 0 (SAM's default, and
 * what Java's SAM reads back: it always takes a 256-byte private key;
 * the field is written as zeros) or 4 (x25519 is then the private key
 * field and the Destination holds its public half).  pad is the
 * Destination's 32-byte padding block (proposal 161).
 */
int	 privkey_build(struct privkey *, uint16_t cryptotype,
	    const uint8_t seed[32], const uint8_t x25519[32],
	    const uint8_t pad[32]);
/* the LeaseSet2 X25519 key pair, as described above */
int	 privkey_ls_key(const struct privkey *, uint8_t priv[32],
	    uint8_t pub[32]);
void	 privkey_wipe(struct privkey *);

#endif /* I2PRD_PRIVKEY_H */
