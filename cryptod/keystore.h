/*
 * cryptod's key store: the router identity's keys, the NTCP2 static key
 * and the destination keys, each in its own file in cryptod's directory
 * (its chroot).
 */
#ifndef I2PRD_KEYSTORE_H
#define I2PRD_KEYSTORE_H

#include <bsd/sys/queue.h>
#include <sys/types.h>
#include <stdint.h>

#include "i2prd.h"

#define KEYFILE_ROUTER		"router.key"
#define KEYFILE_NTCP2		"ntcp2.key"
#define KEYFILE_DEST_FMT	"dest-%08x.key"
#define KEYFILE_MAGIC		"I2PRDK01"
#define KEYFILE_LEN		141
#define KEYSTORE_MAX_DESTS	1024

enum key_kind {
	KEY_KIND_ROUTER = 1,
	KEY_KIND_DEST = 2,
	KEY_KIND_NTCP2 = 3,	/* an X25519 key alone: never signs */
	KEY_KIND_TRANSIENT = 4,	/* a SAM destination's, in memory only */
};

struct key {
	TAILQ_ENTRY(key)	 entry;
	uint32_t		 keyid;
	enum key_kind		 kind;
	uint16_t		 sigtype;
	uint16_t		 cryptotype;
	uint8_t			 sign_seed[32];
	uint8_t			 sign_pub[32];
	uint8_t			 crypto_priv[32];
	uint8_t			 crypto_pub[32];
	uint8_t			 padding[32];
	struct sign_key		*signer;	/* sign_seed, imported once;
						   NULL for KEY_KIND_NTCP2 */
};
TAILQ_HEAD(keylist, key);

/*
 * Loads router.key, creating a new identity if there is none, ntcp2.key,
 * creating it if there is none (a router made before it existed keeps
 * its identity and gets one), and every destination key.  Returns -1
 * with a reason in errbuf if a key file is corrupt, has the wrong owner
 * or mode, or cannot be written.
 */
int		 keystore_open(char *errbuf, size_t);
struct key	*keystore_get(uint32_t keyid);
struct key	*keystore_create_dest(char *errbuf, size_t);
int		 keystore_delete(uint32_t keyid);
/*
 * A SAM destination's key, kept in memory only (never written) under a
 * new id from KEYID_TRANSIENT_MIN up: its signing key and its LeaseSet
 * X25519 key (privkey_ls_key).  NULL with a reason if KEY_TRANSIENT_MAX
 * are held or the ids are used up.
 */
struct privkey;
struct key	*keystore_add_transient(const struct privkey *, char *errbuf,
		    size_t);
/* room for one more transient key */
int		 keystore_transient_room(void);
const struct keylist *keystore_list(void);
void		 keystore_close(void);
void		 key_to_pub(const struct key *, struct key_pub *);

/* files in cryptod's directory: checked reads (writes: file.h) */
int		 keystore_read_file(const char *, uint8_t *, size_t cap,
		    size_t *len, int secret, char *errbuf, size_t);

/*
 * key file encoding, exposed for the tests; decode overwrites the key
 * and sets up its signer (free with ed25519_key_free)
 */
int		 keyfile_encode(const struct key *, uint8_t out[KEYFILE_LEN]);
int		 keyfile_decode(struct key *, const uint8_t *, size_t,
		    const char **why);

#endif /* I2PRD_KEYSTORE_H */
