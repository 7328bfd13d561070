/*
 * stream.c: the streaming protocol's connections (streaming.rst), both
 * roles, for the local destinations that have streams.  No I/O of its
 * own: packets go out and signatures are asked for through the host's
 * ops, packets come in through stream_host_input, time comes in
 * through stream_host_tick, and the application (a SAM socket, a
 * tunnel) reads and writes through stream_read and stream_write and
 * hears of changes through its event callback.  So two hosts joined by
 * a lossy in-memory link test the whole protocol (tests/unit).
 *
 * Time is in milliseconds of a monotonic clock, given by the caller.
 *
 * Buffers are bounded per stream: stream_write takes what fits in the
 * send buffer (back-pressure to the application), and the receive
 * buffer's room is the window offered to the peer; an application that
 * does not read makes the peer wait (CHOKE), never grows memory.
 * Streams per host and in all are bounded too; a SYN over a limit, or
 * over the per-peer connection rate limits, is answered by the action
 * the options name (reset or drop) before its signature is checked.
 */
#ifndef I2PRD_TUNNELD_STREAM_H
#define I2PRD_TUNNELD_STREAM_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include "i2pdata.h"

#define STREAM_MTU_RATCHET	1812	/* proposal 155 */
#define STREAM_MTU_DEFAULT	1730
#define STREAM_PER_HOST		512
#define STREAM_MAX		4096
#define STREAM_SNDBUF		(256 * 1024)	/* default, per stream */
#define STREAM_RCVBUF		(256 * 1024)

struct stream_host;
struct stream;

/* the i2p.streaming.* options a destination may set */
struct stream_opts {
	uint32_t	 sndbuf, rcvbuf;		/* bytes */
	uint32_t	 max_window;		/* packets */
	uint32_t	 initial_window;
	uint32_t	 initial_rtt;		/* ms */
	uint32_t	 connect_timeout;	/* ms */
	uint32_t	 inactivity_timeout;	/* ms; 0: none */
	uint32_t	 max_resends;
	uint16_t	 mtu;			/* we announce */
	/* connection limits per peer; 0: none */
	uint32_t	 conn_per_min, conn_per_hour, conn_per_day;
	uint32_t	 total_conn_per_min, total_conn_per_hour;
	int		 limit_action_reset;	/* 1: RESET; 0: drop */
	uint32_t	 max_streams;		/* per host */
};
/* the defaults, as i2pd 2.45.1 and the Java router use them */
void	 stream_opts_default(struct stream_opts *);
/*
 * One i2p.streaming.* option by its name and value; -1 for a name not
 * known or a value out of range (the caller reports which).
 */
int	 stream_opts_set(struct stream_opts *, const char *name,
	    const char *value);
/*
 * What values the option takes ("1 to 128 packets"), for the message
 * when stream_opts_set refuses one; NULL for a name not known.
 */
const char *stream_opts_range(const char *name);

enum stream_state {
	STREAM_SYN_SENT,	/* connect: waiting for the SYN's answer */
	STREAM_SYN_RECEIVED,	/* incoming, our SYN-ACK not yet acked */
	STREAM_OPEN,
	STREAM_CLOSE_SENT,	/* we closed our side */
	STREAM_CLOSE_RECEIVED,	/* the peer closed its side */
	STREAM_CLOSING,		/* both closed, waiting for the last ACKs */
	STREAM_CLOSED,		/* gone: stream_free it */
	STREAM_RESET
};

enum stream_event {
	STREAM_EV_CONNECTED,	/* connect's stream is open */
	STREAM_EV_READABLE,	/* stream_read has bytes or EOF for you */
	STREAM_EV_WRITABLE,	/* the send buffer has room again */
	STREAM_EV_CLOSED	/* done: stream_error says how */
};

enum stream_error {
	STREAM_ERR_NONE,	/* closed cleanly both ways */
	STREAM_ERR_RESET,	/* the peer reset it */
	STREAM_ERR_TIMEOUT,	/* connect timed out, too many resends */
	STREAM_ERR_REFUSED,	/* no LeaseSet, no route: cannot reach */
	STREAM_ERR_LIMIT,	/* over our own limits */
	STREAM_ERR_LOCAL	/* closed here, abortively */
};

struct stream_ops {
	/*
	 * Sends a packet to the remote destination (hash) with the I2CP
	 * header's ports, as a protocol-6 Data message; lead (NULL: none),
	 * a packet the peer must have before this one, goes in the same
	 * message ahead of it, so that the two arrive together or not at
	 * all.  -1: it cannot (no room, no route): the packet counts as
	 * lost.
	 */
	int	(*send)(void *arg, const uint8_t remote[32], uint16_t src_port,
		    uint16_t dst_port, const uint8_t *lead, size_t leadlen,
		    const uint8_t *pkt, size_t len);
	/*
	 * Asks for the host's Destination's signature over msg; the
	 * answer comes through stream_host_signed(cookie).  -1: refused.
	 */
	int	(*sign)(void *arg, uint64_t cookie, const uint8_t *msg,
		    size_t len);
	/*
	 * An incoming stream, open: 0 if the application takes it (it
	 * calls stream_set_app), -1 to refuse (the stream is reset).
	 */
	int	(*accept)(void *arg, struct stream *);
	/*
	 * A resend timer ran out with packets to the remote unanswered,
	 * the oldest of them resent resends times so far: the layer below
	 * may take another path (lease, tunnel) for the next ones, as i2pd
	 * does, or another session.  May be NULL.
	 */
	void	(*lost)(void *arg, const uint8_t remote[32], unsigned resends);
	void	*arg;
};

typedef void (*stream_event_cb)(void *app, struct stream *,
	    enum stream_event);

struct stream_info {
	uint32_t		 send_id, recv_id;
	uint8_t			 peer[32];	/* its destination hash */
	uint16_t		 local_port, remote_port;
	enum stream_state	 state;
	int			 outbound;
	uint32_t		 rtt, rto;	/* ms */
	uint32_t		 window;	/* packets */
	uint32_t		 unacked;	/* packets sent, not acked */
	int			 choked;	/* the peer asked us to wait */
	int			 choking;	/* we asked the peer to wait */
	uint64_t		 bytes_in, bytes_out;
	uint64_t		 resends;
	int64_t			 created;	/* ms */
};

struct stream_stats {
	uint64_t	 opened_out, opened_in, refused, reset_sent;
	uint64_t	 reset_received, timeouts, syn_limited;
	uint64_t	 packets_in, packets_out, resends;
	uint64_t	 malformed, bad_signature, no_stream;
	uint64_t	 bytes_in, bytes_out;
	uint32_t	 streams;
	/* signatures checked (SYN, ping, CLOSE, RESET, SYN-ACK) */
	uint64_t	 sig_checks;
	/* SYNs for another destination (proposal 164), dropped */
	uint64_t	 misdirected;
	/* times our receive buffer filled and we choked the peer */
	uint64_t	 choke_sent;
	/* streams that started from a peer's earlier RTT and window */
	uint64_t	 shared;
	/* packets sent behind a copy of our unacknowledged SYN-ACK */
	uint64_t	 synack_leads;
};

/*
 * The streams of one local destination, whose Destination (ident, for
 * FROM and the signature's length) signs its SYN, CLOSE and RESET.
 */
struct stream_host *stream_host_new(const struct i2p_ident *,
	    const struct stream_opts *, const struct stream_ops *);
/* every stream of the host goes, without events */
void	 stream_host_free(struct stream_host *);
/* every open stream reset (signed RESETs asked for): how many */
int	 stream_host_reset_all(struct stream_host *, int64_t now);
/* 1 while a signature is awaited */
int	 stream_host_signing(const struct stream_host *);
/*
 * A protocol-6 payload from the remote destination `from` (its hash,
 * known from the session or NULL) to our port dst_port.  from_ident is
 * the peer's Destination if known (its LeaseSet), else NULL: a SYN
 * carries FROM.
 */
void	 stream_host_input(struct stream_host *, const uint8_t *pkt,
	    size_t len, uint16_t src_port, uint16_t dst_port,
	    const struct i2p_ident *from_ident, int64_t now);
/* a signature asked for by ops->sign: sig NULL if it failed */
void	 stream_host_signed(struct stream_host *, uint64_t cookie,
	    const uint8_t *sig, size_t siglen, int64_t now);
/* timers: resends, delayed ACKs, timeouts; the next deadline is ... */
void	 stream_host_tick(struct stream_host *, int64_t now);
/* ... this (ms), or -1 when nothing waits */
int64_t	 stream_host_next(const struct stream_host *);
void	 stream_host_stats(const struct stream_host *, struct stream_stats *);
/* the options the host was made with */
void	 stream_host_opts(const struct stream_host *, struct stream_opts *);
/* calls row for each stream; returns how many */
size_t	 stream_host_list(const struct stream_host *,
	    void (*row)(const struct stream_info *, void *), void *);

/*
 * Opens a stream to the remote Destination (its X25519 session and
 * LeaseSet are the host's ops->send's to find).  NULL if over a limit.
 */
struct stream *stream_connect(struct stream_host *,
	    const struct i2p_ident *remote, uint16_t src_port,
	    uint16_t dst_port, int64_t now);
void	 stream_set_app(struct stream *, stream_event_cb, void *app);
/*
 * Bytes into the send buffer: how many it took (0 when full: wait for
 * STREAM_EV_WRITABLE), -1 when the stream can no longer send.
 */
ssize_t	 stream_write(struct stream *, const void *, size_t, int64_t now);
/*
 * Bytes received in order: how many copied; 0 at the end of the stream
 * (the peer closed) or when none wait (stream_eof tells which);
 * reading opens the window again.
 */
size_t	 stream_read(struct stream *, void *, size_t, int64_t now);
size_t	 stream_readable(const struct stream *);
int	 stream_eof(const struct stream *);
/* our side is done: CLOSE once the send buffer is out */
void	 stream_shutdown(struct stream *, int64_t now);
/* abortive: RESET, no more events; frees the stream */
void	 stream_abort(struct stream *, int64_t now);
/*
 * The application is done with the stream: after STREAM_EV_CLOSED its
 * memory goes (once it has lingered); a stream it shut but that is not
 * closed yet finishes without it (its data and CLOSE acknowledged, the
 * peer's CLOSE), within SC_RELEASE_MAX ms, else it is reset; any other
 * goes at once (stream_abort instead, to tell the peer: it frees too).
 */
void	 stream_free(struct stream *);
enum stream_error stream_error(const struct stream *);
void	 stream_info(const struct stream *, struct stream_info *);
const struct i2p_ident *stream_peer(const struct stream *);

#endif /* I2PRD_TUNNELD_STREAM_H */
