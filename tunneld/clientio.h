/*
 * clientio.c: a destination's messages to and from routerd, in batches
 * (IMSG_CLIENT_SEND, IMSG_CLIENT_RECV; common/clientbatch.h).
 *
 * What tunneld sends in one turn of the event loop for one destination
 * leaves in one CLIENT_SEND (or several, when one is full), when the
 * turn ends: a reply to a burst of datagrams costs one imsg, not one
 * per datagram.  While the link to routerd is congested (its queue
 * above the high-water mark), new messages are dropped and counted:
 * they are datagrams and garlic that the ends will send again if they
 * matter, and a queue without a bound is what a flood would grow.
 */
#ifndef I2PRD_CLIENTIO_H
#define I2PRD_CLIENTIO_H

#include <stddef.h>
#include <stdint.h>

#include "clientbatch.h"

#define CLIENTIO_PENDING_MAX	256	/* destinations with a batch open */

struct clientio_ops {
	/* one CLIENT_SEND: struct client_batch and the records */
	void	(*send)(const uint8_t *, size_t);
	/* 1 while the link to routerd is above its high-water mark */
	int	(*congested)(void);
	/* clientio_flush() must run when this turn of the loop ends */
	void	(*schedule)(void);
};

struct clientio_stats {
	uint64_t	 msgs_out, bytes_out, batches_out;
	uint64_t	 dropped_congested, dropped_full;
	uint64_t	 msgs_in, bytes_in, batches_in;
};

/* a message in: the client it is for and the record */
typedef void (*clientio_in_cb)(void *, uint32_t client,
	    const struct client_in *);

void	 clientio_init(const struct clientio_ops *);
/* queues a message for client's batch; -1 if dropped */
int	 clientio_send(uint32_t client, const struct client_out *);
/* sends every open batch */
void	 clientio_flush(void);
/* a CLIENT_RECV: each record to cb; -1 with a reason if malformed */
int	 clientio_recv(const uint8_t *, size_t, clientio_in_cb, void *,
	    const char **);
void	 clientio_stats(struct clientio_stats *);
void	 clientio_free(void);

#endif /* I2PRD_CLIENTIO_H */
