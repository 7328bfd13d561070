/*
 * Building our own tunnels (tunnel-creation-ecies.rst), the creator's
 * side of build records, short (ShortTunnelBuild) or long
 * (VariableTunnelBuild, for hops older than 0.9.51): one record sealed
 * to each hop at a random place among the message's records, each
 * pre-masked with the reply keys of the hops before it (they mask every
 * record but their own on the way, so the hop finds its request as we
 * sealed it), and the replies unmasked and opened when the message
 * comes back.
 */
#ifndef I2PRD_BUILD_H
#define I2PRD_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "i2prd.h"
#include "buildrec.h"

#define BUILD_HOPS_MAX		TUNNEL_HOPS_MAX	/* what show tunnels carries */
#define BUILD_LIFE		600	/* s a hop keeps the tunnel */

struct build_hop {
	uint8_t			 hash[32];
	uint8_t			 pub[32];	/* the hop's X25519 key */
	uint32_t		 recv_id;	/* the tunnel ID it receives on */
	int			 pos;		/* its record */
	/* layer and IV keys for either kind; the rest short records' */
	struct brec_keys	 keys;
	struct brec_long_keys	 lkeys;		/* long records only */
};

struct build {
	int			 inbound;
	int			 long_recs;	/* VariableTunnelBuild */
	size_t			 nhops;
	struct build_hop	 hops[BUILD_HOPS_MAX];	/* gateway first */
	/*
	 * Inbound: the last hop sends to us (self) on end_id, with the
	 * build message as the reply.  Outbound: the endpoint sends its
	 * reply to reply_gw on reply_tunnel.  Either way the reply comes
	 * with message ID reply_msg_id.
	 */
	uint8_t			 self[32];
	uint32_t		 end_id;
	uint8_t			 reply_gw[32];
	uint32_t		 reply_tunnel;
	uint32_t		 reply_msg_id;
	size_t			 nrecs;
};

/*
 * Seals the records for b's hops (hash, pub set; recv_id set or 0 for
 * a random one) into msg, the payload of a ShortTunnelBuild (or of a
 * VariableTunnelBuild with long_recs): the number of records, then the
 * records.  Fills in recv_id, pos, keys, nrecs and reply_msg_id.
 * Returns the length or -1.
 */
#define BUILD_MSG_MAX		(1 + BREC_MAX * BREC_LONG_LEN)
int	 build_make(struct build *, int64_t now, uint8_t msg[BUILD_MSG_MAX]);

/*
 * The reply (a ShortTunnelBuild or OutboundTunnelBuildReply payload;
 * with long_recs a VariableTunnelBuild or VariableTunnelBuildReply):
 * each hop's code into codes[hop].  0 if all accepted, 1 if some hop
 * refused, -1 if the message is not the reply to b.
 */
int	 build_reply(const struct build *, const uint8_t *, size_t,
	    uint8_t codes[BUILD_HOPS_MAX]);

/* a random tunnel or message ID, never 0 */
uint32_t build_random_id(void);

/* wipes the keys */
void	 build_wipe(struct build *);

#endif /* I2PRD_BUILD_H */
