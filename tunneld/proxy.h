/*
 * proxy.c, proxy_conn.c: the tunnel lines of i2prd.conf's destination
 * blocks (struct proxy_conf), I2PTunnel style.
 *
 * A client tunnel listens on a local TCP port; each connection it
 * takes becomes a stream from its destination to the target (a
 * base64 Destination, or a .b32.i2p address whose LeaseSet is looked
 * up first).  A server tunnel takes its destination's incoming
 * streams (on its i2p port, or any port no other server of the
 * destination has) from the peers its allow list names, and connects
 * each to its local host and port.  Then bytes go both ways with
 * back-pressure: a socket is read only while the stream takes what
 * was read, and a stream only while the socket takes what it gave.
 *
 * Limits: PROXY_CONNS_MAX connections per tunnel and
 * PROXY_CONNS_TOTAL in all; a client tunnel takes at most
 * PROXY_CONNS_PER_ADDR from one local address, a server tunnel at most
 * PROXY_CONNS_PER_PEER from one remote destination.
 *
 * Reload: a tunnel whose line is unchanged keeps its socket and its
 * connections; a changed or removed one is stopped, its connections
 * closed; new ones start.  What a stream says reaches a connection at
 * the event loop's next turn (proxy_run), never inside a stream call.
 */
#ifndef I2PRD_TUNNELD_PROXY_H
#define I2PRD_TUNNELD_PROXY_H

#include <stdint.h>
#include <time.h>

#include "i2prd.h"
#include "stream.h"

#define PROXY_CONNS_MAX		256	/* per tunnel */
#define PROXY_CONNS_TOTAL	2048
#define PROXY_CONNS_PER_ADDR	64	/* client: from one local address */
#define PROXY_CONNS_PER_PEER	32	/* server: from one destination */
#define PROXY_BUF		16384	/* bytes held each way per conn */
#define PROXY_DEST_WAIT		90	/* s for a destination's tunnels */
#define PROXY_TCP_WAIT		30	/* s for a server's local connect */
#define PROXY_ACCEPT_PAUSE	1	/* s without accept when out of fds */
#define PROXY_GREET_WAIT	30	/* s for a client's request */
#define PROXY_UDP_SESS_MAX	64	/* senders/remotes per UDP tunnel */
#define PROXY_UDP_SESS_PER_PEER	8	/* of those per remote or local host */
#define PROXY_UDP_IDLE		300	/* s a quiet UDP session is kept */
#define PROXY_NAME_MAX		67	/* a host name (naming.html) */

struct proxy_stats {
	uint64_t	 accepted;	/* connections taken */
	uint64_t	 refused;	/* over a limit, not allowed */
	uint64_t	 failed;	/* no destination, peer, or target */
	uint64_t	 bytes_in;	/* from the I2P side */
	uint64_t	 bytes_out;	/* to the I2P side */
	uint64_t	 outproxied;	/* proxies: streams to the outproxy */
};

/* the event loop's hooks: run proxy_run() at the next turn */
void	 proxy_init(void (*schedule)(void));
/* before dests_reconf: tunnels stopped, kept or started as configured */
void	 proxy_reconf(const struct proxy_conf *, int n);
/* what the streams said since the last turn */
void	 proxy_run(void);
/* once a second: destinations come up, waits time out */
void	 proxy_tick(time_t);
/* streams_app_ops.incoming: 0 if a server tunnel took it, else -1 */
int	 proxy_stream_in(uint32_t keyid, struct stream *);
/* a datagram for a destination: 0 if a UDP tunnel took it, else -1 */
struct dgram;
int	 proxy_dgram_in(uint32_t keyid, const struct dgram *,
	    const uint8_t from_hash[32]);

/* show tunnels clients: one row per tunnel line */
typedef void (*proxy_row_fn)(const struct proxy_conf *, const char *b32,
	    uint32_t conns, int up, const struct proxy_stats *, void *);
void	 proxy_rows(proxy_row_fn, void *);
/* proxy_ctl.c: a CTL_PROXY per tunnel line through emit */
typedef void (*proxy_emit_fn)(void *, uint32_t type, const void *, size_t);
void	 proxy_ctl(proxy_emit_fn, void *);

#endif /* I2PRD_TUNNELD_PROXY_H */
