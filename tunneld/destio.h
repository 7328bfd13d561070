/*
 * destio.c: a local destination's traffic with remote destinations.
 *
 * Out: an application message (a datagram now, streaming later) waits
 * in the destination's queue until it has what it needs: its signature
 * (repliable datagrams, from cryptod), the remote LeaseSet (lscache.c),
 * a ratchet session with the remote's X25519 key and, for the session's
 * first New Session, ss = DH(our static, its static) (cryptod).  Then
 * it goes as a Data clove to the remote destination, with our LeaseSet
 * as a DatabaseStore clove in every New Session and whenever ours
 * changed since the peer last had it, sealed by the session and sent to
 * one of the remote's live leases (clientio.c).
 *
 * In: a Garlic message from our inbound tunnels is an Existing Session
 * or New Session Reply if its first 8 bytes are a tag one of our
 * sessions expects, else it may be a New Session (opened in three steps
 * around two cryptod DHs).  Its cloves: Data (datagrams to the owner's
 * receiver), DatabaseStore (the peer's LeaseSet: lscache.c), and the
 * rest counted and dropped.
 *
 * Sessions are bound to the peer's static key, which is its LeaseSet
 * key, as i2pd binds them: one session per peer key for sending (the
 * newest usable), and every live one for receiving.
 *
 * Limits, per destination and in all: sessions, New Sessions being
 * opened (each costs cryptod two DHs), queued messages and their bytes.
 * Over a limit the new thing is dropped and counted.
 */
#ifndef I2PRD_DESTIO_H
#define I2PRD_DESTIO_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "clientbatch.h"
#include "dgram.h"
#include "i2cpdata.h"
#include "i2pdata.h"

#define DESTIO_SESSIONS		128	/* per destination */
#define DESTIO_SESSIONS_MAX	4096
#define DESTIO_NS_OPENING	16	/* per destination */
#define DESTIO_UNANSWERED	4	/* per peer: its sessions before an ES */
#define DESTIO_REPLIED		RATCHET_NS_MAX	/* of them, replied in */
#define DESTIO_NSR_WAIT		8	/* replies waiting for a DH, per session */
#define DESTIO_NS_PER_SEC	50	/* New Sessions opened, per destination */
#define DESTIO_OUTQ		512	/* queued messages per destination */
#define DESTIO_OUTQ_BYTES	(4 * 1024 * 1024)
#define DESTIO_OUTQ_BYTES_MAX	(32 * 1024 * 1024)	/* in all */
#define DESTIO_OUTQ_WAIT	45	/* s a message may wait to go */
#define DESTIO_RESTART_RESENDS	2	/* a packet's, before a new session */
/*
 * s a session lives at least before a restart: i2pd 2.45.1 replaces its
 * session for our key with a new one only 120 s after the old one's
 * reply (Garlic.cpp AddECIESx25519Session, CanBeRestarted); before that
 * it reads our New Sessions but answers none, so ours would stay
 * unanswered, every message a New Session
 */
#define DESTIO_RESTART_AGE	130
#define DESTIO_REPLAY		8192	/* New Session keys remembered */
#define DESTIO_LS_RESEND	300	/* s: our LeaseSet again in a session */
#define DESTIO_PATH_SPARE	10	/* s: a lease or tunnel kept till then */
#define DESTIO_LS_ACK_WAIT	8	/* s: then again, unacknowledged */

struct destio;

/* a datagram for the destination's owner (the SAM session, if any) */
typedef void (*destio_recv_cb)(uint32_t keyid, const struct dgram *,
	    const uint8_t from_hash[32]);

/*
 * Which of the destination's outbound tunnels (routerd's serial) a
 * session's message goes out of: keep, while it has DESTIO_PATH_SPARE
 * seconds to live, else another, not avoid if there are others; 0:
 * let routerd pick
 */
typedef uint32_t (*destio_out_cb)(uint32_t keyid, uint32_t keep,
	    uint32_t avoid, time_t now);

struct destio_stats {
	uint64_t	 sent, sent_bytes, received, received_bytes;
	uint64_t	 ns_sent, nsr_sent, es_sent;
	uint64_t	 ns_received, nsr_received, es_received;
	uint64_t	 dropped_garlic;	/* refused or malformed */
	uint64_t	 dropped_out;		/* no LeaseSet, no room, late */
	uint64_t	 dropped_in;		/* cloves nobody takes */
	uint64_t	 lookups_failed;
	uint64_t	 terminations_sent;
	uint64_t	 ls_acked, ls_ack_timeouts;	/* bundled LeaseSets */
	uint64_t	 reroutes;		/* paths given up after losses */
	uint64_t	 restarts;		/* sessions given up after losses */
	uint64_t	 unanswered_dropped;	/* a peer's DESTIO_UNANSWERED'th */
	uint32_t	 sessions, queued;
};

/* one row of show sessions */
struct destio_session_info {
	uint8_t		 peer[32];	/* its destination hash, if known */
	int		 outbound;
	int		 state;		/* enum ratchet_state */
	int64_t		 created;
	uint64_t	 sent, received;
	uint32_t	 tags_left;		/* in the send tag set */
	uint32_t	 ratchets_out, ratchets_in;
};

/*
 * Sets up the module: our LeaseSet's bytes for a key id come from
 * leaseset(); received datagrams go to recv.
 */
void	 destio_init(const struct leaseset2 *(*leaseset)(uint32_t),
	    destio_recv_cb);
/*
 * A streaming packet (protocol 6) for the destination's streams: from
 * is the sender's hash if the session knows it, else NULL.  Without
 * one set, streaming packets are dropped and counted.
 */
typedef void (*destio_stream_cb)(uint32_t keyid, const uint8_t *pkt,
	    size_t len, uint16_t src_port, uint16_t dst_port,
	    const uint8_t *from);
void	 destio_set_stream(destio_stream_cb);
/* without it (tests), routerd picks a tunnel for every message */
void	 destio_set_outbound(destio_out_cb);
struct destio *destio_new(uint32_t keyid, const struct i2p_ident *,
	    const uint8_t enc_pub[32]);
void	 destio_free(struct destio *);
/*
 * An application message for the remote destination hash: a Data
 * message carrying payload with the header's ports and protocol
 * (repliable and raw datagrams, streaming packets); repliable
 * datagrams are signed first.  -1 if refused at once.
 */
int	 destio_send(struct destio *, const uint8_t remote[32],
	    const struct i2cpdata_hdr *, const uint8_t *, size_t, time_t);
/*
 * A streaming packet behind lead, another one the peer must have before
 * it (a SYN-ACK it may not have yet): both in one garlic message, lead
 * first, so that they arrive together or not at all.
 */
int	 destio_send_lead(struct destio *, const uint8_t remote[32],
	    const struct i2cpdata_hdr *, const uint8_t *lead, size_t leadlen,
	    const uint8_t *, size_t, time_t);
/*
 * Messages to the remote seem lost (a stream's packet resent resends
 * times so far): its sessions pick another lease and outbound tunnel
 * for the next message, as i2pd and Java change paths after losses;
 * from DESTIO_RESTART_RESENDS on, a new session replaces them.
 */
void	 destio_reroute(struct destio *, const uint8_t remote[32], unsigned,
	    time_t);
/* a message from routerd for this destination */
void	 destio_recv(struct destio *, const struct client_in *, time_t);
/* once a second: expiry, owed ACKs, queued messages that waited long */
void	 destio_tick(struct destio *, time_t);
/*
 * The destination is closing: a Termination to each peer it has an
 * established session with, so that theirs go at once rather than at
 * their timeout.  Into clientio's batch: flush it before POOL_CLOSE.
 */
void	 destio_goodbye(struct destio *, time_t);
/* queues that answers (LeaseSets found) may have moved: send now */
void	 destio_run_pending(time_t);
void	 destio_stats(const struct destio *, struct destio_stats *);
/* calls row for each session; returns how many */
size_t	 destio_sessions(const struct destio *,
	    void (*row)(const struct destio_session_info *, void *), void *);

#endif /* I2PRD_DESTIO_H */
