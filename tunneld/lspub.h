/*
 * lspub.c: a local destination's LeaseSet2.  Built from the
 * destination's ready inbound tunnels (one lease each, newest first,
 * at most 16), with its X25519 key (encryption type 4), signed by
 * cryptod (KEY_SIGN over 0x03 and the body), and handed to routerd to
 * store at floodfills through the destination's own tunnels
 * (LS_PUBLISH).  An unpublished destination's LeaseSet carries the
 * unpublished flag and never goes to routerd: it travels only in the
 * destination's own garlic.
 *
 * When: leases change as tunnels come and go; a change is built after
 * LSPUB_SETTLE seconds (so that a pool filling up makes one LeaseSet,
 * not three) and at most every LSPUB_MIN_GAP seconds.  published
 * strictly increases, or floodfills would keep the older one.  The
 * newest signed LeaseSet is kept for bundling in New Session messages.
 *
 * No IPC here: what to send goes through struct lspub_ops.
 */
#ifndef I2PRD_LSPUB_H
#define I2PRD_LSPUB_H

#include <stdint.h>
#include <time.h>

#include "i2pdata.h"
#include "i2prd.h"

#define LSPUB_SETTLE		1	/* s after a change before building */
#define LSPUB_MIN_GAP		10	/* s between two LeaseSets */
#define LSPUB_SIGN_TIMEOUT	30	/* s for cryptod's signature */

struct lspub_ops {
	/* KEY_SIGN: the request id, the key, the bytes */
	void	(*sign)(uint32_t reqid, uint32_t keyid, const uint8_t *,
		    size_t);
	/* LS_PUBLISH: the header, then the LeaseSet's bytes */
	void	(*publish)(const struct ls_publish *, const uint8_t *, size_t);
	/* a request id for KEY_SIGN, unique across tunneld */
	uint32_t (*reqid)(void);
};

/* the lease a tunnel gives: gateway, tunnel ID there, end */
struct lspub_lease {
	uint8_t		 gateway[32];
	uint32_t	 tunnel_id;
	int64_t		 expires;
};

struct lspub {
	uint32_t		 keyid;
	struct i2p_ident	 ident;
	uint8_t			 enc_pub[32];	/* X25519, type 4 */
	int			 unpublished;
	int			 dirty;		/* leases changed */
	time_t			 due;		/* build then, if dirty */
	time_t			 built;		/* last KEY_SIGN sent */
	uint32_t		 published;	/* the newest LeaseSet's */
	uint32_t		 sign_reqid;	/* KEY_SIGN in flight */
	struct leaseset2	*pending;	/* waiting for its signature */
	struct leaseset2	*cur;		/* newest signed, or NULL */
	/* routerd's word on the newest published one */
	uint8_t			 state;		/* enum ls_state, 0: none yet */
	uint8_t			 floodfill[32];
	time_t			 state_at;
	/* counters */
	uint32_t		 nbuilt, nstored, nverified, nfailed;
};

void	 lspub_init(struct lspub *, uint32_t keyid,
	    const struct i2p_ident *, const uint8_t enc_pub[32],
	    int unpublished);
void	 lspub_free(struct lspub *);
/* the inbound tunnels changed */
void	 lspub_changed(struct lspub *, time_t now);
/* builds and asks for a signature when due; leases as they are now */
void	 lspub_tick(struct lspub *, const struct lspub_lease *, size_t,
	    time_t now, const struct lspub_ops *);
/*
 * cryptod's signature for reqid: 1 if it was this LeaseSet's (now
 * current, and published if it should be), 0 if not ours.
 */
int	 lspub_signed(struct lspub *, uint32_t reqid, const uint8_t sig[64],
	    const struct lspub_ops *);
/* cryptod refused to sign reqid: 1 if it was ours */
int	 lspub_sign_failed(struct lspub *, uint32_t reqid, time_t now);
/* routerd's LS_STATUS; ignored unless about the newest LeaseSet */
void	 lspub_status(struct lspub *, const struct ls_status *, time_t now);

#endif /* I2PRD_LSPUB_H */
