/*
 * sam_backend.c: what stands behind the SAM bridge (struct
 * sam_backend, sam.h): a session's destination (a transient or imported
 * key in cryptod, destkeys.c; its pools and LeaseSet, dests.c; its
 * traffic, destio.c), DEST GENERATE, NAMING LOOKUP of .b32.i2p names
 * (lscache.c) and of host names (the address book, addrbook_main.c) and
 * datagrams both ways.
 *
 * A session is answered OK once its destination has a tunnel each way
 * and its LeaseSet is made (a second later), or I2P_ERROR after
 * SAMB_OPEN_WAIT seconds without.  A name is looked up through the
 * tunnels of a destination that has them: the asking session's if it
 * has one, else any (as i2pd uses its shared destination).  Answers
 * never come inside the bridge's own call: they wait for the event
 * loop's next turn.
 */
#ifndef I2PRD_SAM_BACKEND_H
#define I2PRD_SAM_BACKEND_H

#include <stdint.h>
#include <time.h>

#include "dgram.h"
#include "sam.h"
#include "stream.h"

#define SAMB_OPEN_WAIT		180	/* s for a session's tunnels */
#define SAMB_OWNER_GEN		0x40000000U	/* DEST GENERATE's owners */

/* the backend for sam_listen_reconf(); schedule runs sam_backend_run() */
const struct sam_backend *sam_backend_get(void (*schedule)(void));
/* deferred answers, at the next turn of the event loop */
void	 sam_backend_run(void);
/* once a second: sessions whose tunnels came (or never do) */
void	 sam_backend_tick(time_t);
/* a datagram for a destination: to its session, if it has one */
void	 sam_backend_deliver(uint32_t keyid, const struct dgram *,
	    const uint8_t from_hash[32]);
/* streams_app_ops.incoming: a stream for a SAM session's destination */
int	 sam_backend_stream_in(uint32_t keyid, struct stream *);

/*
 * sam_bstream.c: the bridge's stream ids on the destinations' streams.
 * What the streams say reaches the bridge from sam_bstream_run, at the
 * event loop's next turn (sched asks for it).
 */
void	 sam_bstream_init(void (*sched)(void));
void	 sam_bstream_run(void);
int	 sam_bstream_connect(uint32_t keyid, uint32_t id, const uint8_t *dest,
	    size_t destlen, uint16_t from_port, uint16_t to_port);
int	 sam_bstream_incoming(uint32_t keyid, uint32_t sid, struct stream *);
ssize_t	 sam_bstream_write(uint32_t id, const void *, size_t);
ssize_t	 sam_bstream_read(uint32_t id, void *, size_t);
void	 sam_bstream_shutdown(uint32_t id);
void	 sam_bstream_close(uint32_t id);
/* the destination goes: its streams' ids (dests_session_remove resets them) */
void	 sam_bstream_drop(uint32_t keyid);

#endif /* I2PRD_SAM_BACKEND_H */
