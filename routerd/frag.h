/*
 * I2NP messages through tunnels: the gateway splits a message into the
 * fragments of one or more tunnel messages; the endpoint puts them back
 * together (tunnel-message.rst, "Fragmentation").
 */
#ifndef I2PRD_FRAG_H
#define I2PRD_FRAG_H

#include <stddef.h>
#include <stdint.h>

#include "tmsg.h"

/* the largest message 1 + 63 fragments carry, whatever its delivery */
#define FRAG_MSG_MAX		((TMSG_ROOM - 43) + 63 * (TMSG_ROOM - 7))
#define FRAG_TIMEOUT		60	/* s for all fragments to come */
#define FRAG_PENDING_MAX	128	/* messages being reassembled */
/* bytes all tables together hold: fragments and their messages' entries */
#define FRAG_BYTES_MAX		(32 * 1024 * 1024)

/*
 * Splits msg (an I2NP message, 16-byte header) for delivery as dest
 * says (type, tunnel ID, hash) into the instructions of as many tunnel
 * messages as it needs, one per element of out (at most 64), each
 * pointing into msg.  Returns how many, or -1 if it is too large.
 */
int	 frag_split(const uint8_t *msg, size_t len, const struct tdi *dest,
	    uint32_t msg_id, struct tdi out[64]);

/* a whole message, and where its first fragment said it goes */
typedef void (*frag_done_cb)(void *, const struct tdi *dest,
	    const uint8_t *msg, size_t len);

struct frag_msg;
struct frag_table {
	struct frag_msg	*head;
	size_t		 n;
};

void	 frag_init(struct frag_table *);
/*
 * One fragment from a tunnel message; calls done when it completes a
 * message (an unfragmented one completes at once).  -1 if the
 * fragment cannot belong (duplicate, conflicting size or number, too
 * many pending) or would take all tables over FRAG_BYTES_MAX: it is
 * dropped, with a reason.
 */
int	 frag_add(struct frag_table *, const struct tdi *, int64_t now,
	    frag_done_cb, void *, const char **why);
/* bytes held now in all tables; fragments dropped over FRAG_BYTES_MAX */
size_t	 frag_held(void);
uint64_t frag_over_budget(void);
/* drops messages not completed within FRAG_TIMEOUT; how many */
size_t	 frag_expire(struct frag_table *, int64_t now);
void	 frag_free(struct frag_table *);

#endif /* I2PRD_FRAG_H */
