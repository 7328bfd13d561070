/*
 * destkeys.c: SAM's destination keys, asked of cryptod.  DEST GENERATE
 * (destkeys_generate), SESSION CREATE DESTINATION=TRANSIENT
 * (destkeys_transient) and DESTINATION=$privkey (destkeys_import).
 * Each request belongs to an owner (the SAM backend's number for a
 * client or session) and names a callback that gets the result once;
 * several owners may ask at once, each reply is matched by its request
 * id.  The imsgs go out through struct destkeys_ops, which tunneld.c
 * implements over its cryptod link and the tests record.
 *
 * Private key bytes pass through here on their way to or from cryptod
 * and are not kept: an import's bytes go to the ops and are the
 * caller's to wipe when destkeys_import returns (the imsg's copy is
 * freed with freezero); a generated key's are wiped in the reply
 * buffer when the callback returns.
 *
 * Limits, per owner first: DESTKEYS_OWNER_PENDING requests in flight
 * and DESTKEYS_OWNER_KEYS transient keys held (those in flight count);
 * then DESTKEYS_PENDING_MAX requests and KEY_TRANSIENT_MAX keys in all,
 * as cryptod holds at most that many.
 *
 * Request ids have the top bit set (DESTKEYS_REQID_BIT); the rest of
 * tunneld counts its own up from 1, so a reply's id says whose it is.
 */
#ifndef I2PRD_DESTKEYS_H
#define I2PRD_DESTKEYS_H

#include <stddef.h>
#include <stdint.h>

#include "i2pdata.h"
#include "i2prd.h"

#define DESTKEYS_REQID_BIT	0x80000000U
#define DESTKEYS_PENDING_MAX	64
#define DESTKEYS_OWNER_PENDING	4
#define DESTKEYS_OWNER_KEYS	16

/*
 * What a request brought.  keyid: the transient key (after transient
 * and import) for KEY_SIGN, KEY_DH and destkeys_release; 0 after DEST
 * GENERATE.  priv: after generate and transient, the private key for
 * the client, wiped when the callback returns; NULL after import.
 */
struct destkey {
	uint32_t	 keyid;
	struct i2p_ident dest;		/* the Destination */
	uint8_t		 ls_pub[32];	/* LeaseSet2's X25519 key */
	const uint8_t	*priv;
	size_t		 privlen;
};

/*
 * The result of request reqid: k, or NULL with code (enum key_errcode)
 * and cryptod's reason.  Called once, unless the owner went first.
 * For SAM: KEY_ERR_BAD_KEY (malformed, halves not matching) and
 * KEY_ERR_UNSUPPORTED (a type, an offline signature) are INVALID_KEY;
 * KEY_ERR_LIMIT and the others I2P_ERROR, with the reason as MESSAGE.
 */
typedef void (*destkeys_cb)(void *arg, uint32_t reqid,
    const struct destkey *k, int code, const char *msg);

/* an imsg to cryptod: KEY_DEST_GENERATE, _TRANSIENT, _IMPORT, _DELETE */
struct destkeys_ops {
	void	(*send)(uint32_t, uint32_t reqid, const void *, size_t);
};

/* forgets everything */
void	 destkeys_init(const struct destkeys_ops *);
/*
 * The requests: 0 with the request id in *reqid, or -1 with a reason
 * (a limit, a private key over KEY_PRIV_MAX bytes or empty).  The types
 * are SAM's numbers; cryptod refuses all but signature type 7 and
 * crypto types 0 and 4.
 */
int	 destkeys_generate(uint32_t owner, uint16_t sigtype,
	    uint16_t cryptotype, destkeys_cb, void *, uint32_t *reqid,
	    const char **why);
int	 destkeys_transient(uint32_t owner, uint16_t sigtype,
	    uint16_t cryptotype, destkeys_cb, void *, uint32_t *reqid,
	    const char **why);
int	 destkeys_import(uint32_t owner, const uint8_t *, size_t,
	    destkeys_cb, void *, uint32_t *reqid, const char **why);
/* a transient key its session no longer needs: deleted in cryptod */
void	 destkeys_release(uint32_t keyid);
/* the owner is gone: no more callbacks for it, its keys released */
void	 destkeys_owner_gone(uint32_t owner);
/* keys held and requests in flight, for an owner or (owner 0) all */
size_t	 destkeys_held(uint32_t owner);
size_t	 destkeys_pending(uint32_t owner);
/* whether a KEY_ERROR or KEY_END with this id answers destkeys */
int	 destkeys_owns(uint32_t reqid);
/*
 * A reply from cryptod: KEY_DEST_PRIV, KEY_DEST_MADE, or a KEY_ERROR or
 * KEY_END destkeys_owns.  The payload is wiped.  -1 with a reason if it
 * is malformed or answers nothing asked: fatal, as from any sibling.
 */
int	 destkeys_reply(uint32_t type, uint32_t reqid, uint8_t *, size_t,
	    const char **why);

#endif /* I2PRD_DESTKEYS_H */
