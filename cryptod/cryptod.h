/*
 * cryptod's modules.
 *
 * cryptod.c: the dispatcher, who may use which key, signatures, DH and
 * the persistent destination keys.  keystore.c: the keys in memory and
 * their files.  reseedkey.c: the reseed signing key.  samkeys.c: SAM's
 * destination keys, made or brought in, kept in memory only.  reply.c:
 * error replies.
 */
#ifndef I2PRD_CRYPTOD_H
#define I2PRD_CRYPTOD_H

#include <stdint.h>

#include "i2prd.h"
#include "proc.h"

/* reply.c: KEY_ERROR for the request reqid */
void	 reply_error(struct peer *, uint32_t reqid, uint32_t keyid,
	    enum key_errcode, const char *);

/*
 * samkeys.c: KEY_DEST_GENERATE (keep 0) and KEY_DEST_TRANSIENT (keep 1):
 * a new key whose private key goes back; KEY_DEST_IMPORT: a client's
 * key, kept.
 */
void	 samkeys_new(struct peer *, struct imsg *, int keep);
void	 samkeys_import(struct peer *, struct imsg *);

#endif /* I2PRD_CRYPTOD_H */
