/*
 * The I2NP batches netd and routerd exchange (IMSG_NET_I2NP_IN/OUT):
 * a struct net_peer, then records of a 2-byte big-endian length and an
 * I2NP message in the 9-byte-header form.  One reader for both sides.
 */
#ifndef I2PRD_NETBATCH_H
#define I2PRD_NETBATCH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* shortest record: an I2NP message with its 9-byte header, no payload */
#define NETBATCH_MSG_MIN	9

/* starts reading a batch: the peer's hash; -1 if too short */
int	 netbatch_begin(struct rbuf *, const void *, size_t, uint8_t hash[32]);
/* the next message: 1 and msg/len, 0 at the end, -1 if malformed */
int	 netbatch_next(struct rbuf *, const uint8_t **, size_t *);

#endif /* I2PRD_NETBATCH_H */
