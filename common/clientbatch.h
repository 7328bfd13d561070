/*
 * The batches of a destination's traffic between tunneld and routerd
 * (IMSG_CLIENT_SEND, IMSG_CLIENT_RECV): a struct client_batch naming
 * the destination, then records.  One reader and writer for both sides.
 *
 * CLIENT_SEND record: the outbound tunnel to use (routerd's serial as
 * in POOL_TUNNEL; 0: routerd picks one), the remote inbound gateway's
 * router hash and tunnel ID (the lease), a 2-byte big-endian length
 * and an I2NP message in the 9-byte-header form.
 *
 * CLIENT_RECV record: the inbound tunnel it came through (serial), a
 * 2-byte length and the I2NP message in the 9-byte-header form.
 */
#ifndef I2PRD_CLIENTBATCH_H
#define I2PRD_CLIENTBATCH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* shortest message: an I2NP message with its 9-byte header, no payload */
#define CLIENTBATCH_MSG_MIN	9
/* a record's bytes before its message */
#define CLIENTBATCH_OUT_HDR	(4 + 32 + 4 + 2)
#define CLIENTBATCH_IN_HDR	(4 + 2)

struct client_out {
	uint32_t	 out_serial;	/* 0: any ready outbound tunnel */
	uint8_t		 gateway[32];	/* the lease's gateway */
	uint32_t	 tunnel_id;	/* the lease's tunnel ID, nonzero */
	const uint8_t	*msg;		/* I2NP, 9-byte header */
	size_t		 len;
};

struct client_in {
	uint32_t	 in_serial;	/* the inbound tunnel it came through */
	const uint8_t	*msg;		/* I2NP, 9-byte header */
	size_t		 len;
};

/* starts reading a batch: the client's id; -1 if too short */
int	 clientbatch_begin(struct rbuf *, const void *, size_t,
	    uint32_t *client);
/* the next record: 1, 0 at the end, -1 if malformed */
int	 clientbatch_next_out(struct rbuf *, struct client_out *);
int	 clientbatch_next_in(struct rbuf *, struct client_in *);

/* starts a batch for a client in a buffer of CLIENT_BATCH_MAX or less */
int	 clientbatch_start(struct wbuf *, uint32_t client);
/* -1 (buffer unchanged) if the record does not fit or is malformed */
int	 clientbatch_put_out(struct wbuf *, const struct client_out *);
int	 clientbatch_put_in(struct wbuf *, const struct client_in *);

#endif /* I2PRD_CLIENTBATCH_H */
