/*
 * The SAM v3.3 bridge (api/samv3.html): applications reach our
 * destinations through it.
 *
 * Module map:
 *   sam_parse.c	 pure: a command line to words and KEY=VALUE
 *			 arguments; reply lines (quoting, RESULT first,
 *			 MESSAGE last, fields gated on the version); the
 *			 header line of a datagram on the UDP port
 *   sam_conn.c		 control connections: input buffer and line
 *			 framing, HELLO and version negotiation, AUTH,
 *			 PING, QUIT, the bounded output queue; the
 *			 listening sockets and the UDP socket
 *   sam_listen.c	 the sockets and their events (libevent)
 *   sam_ctl.c		 show sam: clients, sessions, counters
 *   sam_session.c	 SESSION CREATE/ADD/REMOVE, DATAGRAM and RAW
 *			 SEND, received datagrams, NAMING LOOKUP, DEST
 *			 GENERATE; everything behind goes through struct
 *			 sam_backend and comes back through sam_backend_*()
 *   sam_stream.c	 STREAM CONNECT, ACCEPT and FORWARD, incoming
 *			 streams routed to a session, the raw-stream phase
 *			 of a socket (bytes both ways with back-pressure)
 *   sam_tls.c		 TLS to a FORWARD's target (SSL=true)
 *
 * What we answer differently from the spec, on purpose:
 *   - our own destinations are Ed25519 (signature type 7) only, and 7
 *     is the default when SIGNATURE_TYPE is absent (the spec says
 *     DSA_SHA1, which the network has retired);
 *   - a key given twice on one line is an error (I2P_ERROR), not "the
 *     last one wins": one of the two would be ignored silently;
 *   - HOST= is an IP address, never a name (tunneld resolves nothing);
 *   - destinations in DATAGRAM SEND, RAW SEND and on the UDP port are
 *     full base64 destinations; names are not looked up there;
 *   - STREAM sessions and commands answer I2P_ERROR "streaming not
 *     available" while the backend has no stream calls;
 *   - several ACCEPTs may wait on one session whatever the version
 *     (3.2 semantics; no ALREADY_ACCEPTING before 3.2, as i2pd);
 *   - STREAM CONNECT and ACCEPT are refused on the socket that holds a
 *     session: that socket must stay a control socket;
 *   - STREAM FORWARD SSL=true speaks TLS to the target without checking
 *     its certificate (an IP address, no trust store: sam_tls.c);
 *   - host names (not .b32.i2p) in NAMING LOOKUP, STREAM CONNECT and
 *     datagram sends are the address book's (backend resolve); one it
 *     does not know is KEY_NOT_FOUND, INVALID_KEY for CONNECT.
 *
 * A control connection handles one command at a time: while the
 * backend works on one (SESSION CREATE, a b32 lookup, DEST GENERATE),
 * further lines wait in the input buffer.  Replies therefore come in
 * order, and a connection has at most one backend request in flight.
 */
#ifndef I2PRD_TUNNELD_SAM_H
#define I2PRD_TUNNELD_SAM_H

#include <sys/types.h>
#include <bsd/sys/queue.h>
#include <sys/socket.h>

#include <event.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* versions are major * 100 + minor: 3.3 is 303 */
#define SAM_VERSION_MIN		300
#define SAM_VERSION_MAX		303
#define SAM_V(maj, min)		((maj) * 100 + (min))

/* a command line without its newline; a private key is ~900 bytes */
#define SAM_LINE_MAX		8192
#define SAM_ARGS_MAX		64
/* session IDs (no white space, printable) */
#define SAM_ID_MAX		64
/* a Destination's base64, and a private key's (dest, 256, 32, slack) */
#define SAM_DEST_MAX		395
#define SAM_PRIV_MAX		1024

/* payload limits as the spec gives them */
#define SAM_DGRAM_MAX		31744	/* repliable */
#define SAM_RAW_MAX		32768	/* raw */

/*
 * Limits: per client address first, then in total.  Memory per client
 * is its input buffer (a line and one payload, ~41 KB) and its output
 * queue (SAM_OUTQ_MAX): SAM_CONNS_MAX clients hold at most ~43 MB.
 * Sessions are one per control socket (the spec) plus subsessions;
 * each socket has one backend request in flight at most.
 */
/*
 * Applications reach SAM from loopback, all from one address: a
 * torrent client alone holds a socket per peer, and ACCEPTs wait on
 * sockets of their own.  Two such applications fit side by side.
 */
#define SAM_CONNS_PER_ADDR	128
#define SAM_CONNS_MAX		256
#define SAM_SESSIONS_MAX	128	/* sessions and subsessions */
#define SAM_SUBSESSIONS_MAX	16	/* per PRIMARY */
/* bytes queued to a client: a reply past this closes the connection */
#define SAM_OUTQ_MAX		(128 * 1024)
/* received datagrams are dropped while this much waits to be read */
#define SAM_OUTQ_DGRAM_MAX	(96 * 1024)
/* seconds a client has for its HELLO ("Timeouts" in the spec) */
#define SAM_HELLO_TIMEOUT	60
/*
 * Streams.  Each stream is a socket of its own (a client's after
 * CONNECT or ACCEPT, or one the bridge opens for a FORWARD), so the
 * connection limits above bound them too; these bound what a session
 * may hold and what the bridge opens on its own.  A stream socket's
 * output queue is filled from the backend only up to SAM_STREAM_OUTQ:
 * a client that reads slowly slows its peer, it never grows memory.
 */
#define SAM_STREAMS_PER_SESSION	128	/* connecting, open, forwarded */
#define SAM_ACCEPTS_PER_SESSION	32	/* pending STREAM ACCEPTs */
#define SAM_ACCEPTS_MAX		128
#define SAM_FORWARDED_MAX	128	/* sockets opened for FORWARDs */
#define SAM_STREAM_OUTQ		(64 * 1024)
/* seconds a FORWARD's target has to take the connection (the spec) */
#define SAM_FWD_CONNECT_TIMEOUT	3

/* ---- sam_parse.c ---- */

struct sam_arg {
	const char	*key;
	const char	*val;		/* "" for KEY, KEY= and KEY="" */
};

struct sam_line {
	const char	*cmd;		/* upper-cased */
	const char	*sub;		/* upper-cased, or NULL */
	const char	*text;		/* PING/PONG: the rest, or "" */
	const char	*dest;		/* UDP header: the third word */
	struct sam_arg	 args[SAM_ARGS_MAX];
	size_t		 nargs;
	/* tokens, unescaped and NUL-terminated */
	char		 store[SAM_LINE_MAX * 2 + 2];
};

/*
 * One line without its '\n' (a trailing '\r' is dropped); -1 with a
 * reason for control characters, an unterminated quote, junk after a
 * closing quote, an empty key, a key given twice, too many arguments
 * or a line over SAM_LINE_MAX.
 */
int	 sam_line_parse(struct sam_line *, const uint8_t *, size_t,
	    const char **);
/* the value of a key (case-sensitive), or NULL */
const char *sam_arg(const struct sam_line *, const char *);

/* a version "3", "3.1", ...; -1 if malformed */
int	 sam_version_parse(const char *, int is_max, int *);

struct sam_field {
	const char	*key;
	const char	*val;
	int		 minver;	/* written only from this version on */
};

/*
 * "WORDS [RESULT=r] fields... [MESSAGE=m]\n" for a client that agreed
 * on version ver.  Values are quoted (with \" and \\) only when they
 * must be: empty, or holding a space, a quote or a backslash.  An
 * empty or NULL message is left out, never sent as "".
 */
int	 sam_reply(struct wbuf *, int ver, const char *words,
	    const char *result, const struct sam_field *, size_t,
	    const char *message);
/* the same, the fields alone (datagram headers): no words, no RESULT */
int	 sam_put_fields(struct wbuf *, int ver, const struct sam_field *,
	    size_t);

/* a datagram sent to the UDP port: "3.x ID DEST [K=V ...]\n" payload */
struct sam_udp_hdr {
	struct sam_line	 line;	/* cmd version, sub ID, dest, args */
	const uint8_t	*payload;
	size_t		 len;
};
int	 sam_udp_parse(struct sam_udp_hdr *, const uint8_t *, size_t,
	    const char **);

/*
 * base64 in the I2P alphabet, the '=' padding optional (some clients
 * drop it); bytes decoded or -1
 */
int	 sam_b64_decode(uint8_t *, size_t, const char *);

/* ---- the backend: what the integrator implements ---- */

enum sam_style {
	SAM_STYLE_DATAGRAM,
	SAM_STYLE_RAW,
	SAM_STYLE_PRIMARY,
	SAM_STYLE_STREAM	/* refused while the backend has no streams */
};

/* tunnel options from SESSION CREATE; -1 where the client gave none */
struct sam_tunnel_opts {
	int		 length[2];		/* [0] inbound, [1] outbound */
	int		 quantity[2];
	int		 variance[2];
	int		 backup[2];
	int		 publish;	/* 0: i2cp.dontPublishLeaseSet */
};

struct sam_open_req {
	uint32_t		 sid;
	enum sam_style		 style;
	/*
	 * NULL for TRANSIENT, else the client's private key (Destination,
	 * 256-byte private key, Ed25519 signing key), already checked for
	 * shape; the bridge wipes it when the call returns
	 */
	const uint8_t		*priv;
	size_t			 privlen;
	uint16_t		 sigtype;	/* always 7 today */
	struct sam_tunnel_opts	 opts;
	/*
	 * the i2p.streaming.* options given, over stream.c's defaults
	 * (stream.h); valid during the call
	 */
	const struct stream_opts *stream;
};

struct sam_dgram {
	int		 raw;		/* 1: raw (protocol 18 by default) */
	const uint8_t	*dest;	/* send: to; received: from (raw: NULL) */
	size_t		 destlen;
	uint16_t	 from_port, to_port;
	uint8_t		 protocol;
	const uint8_t	*payload;
	size_t		 len;
};

/*
 * Every call but close answers -1 when it cannot take the request at
 * all (the bridge then answers I2P_ERROR at once); otherwise the answer
 * comes later through the sam_backend_*() function named.  Calls never
 * re-enter the bridge: answers come from the event loop.
 */
struct sam_backend {
	/* a session's destination: sam_backend_opened() or _failed() */
	int	(*open)(void *, const struct sam_open_req *);
	/* the session is gone (its answer, if pending, is not wanted) */
	void	(*close)(void *, uint32_t sid);
	/* a new key pair: sam_backend_generated() */
	int	(*generate)(void *, uint32_t reqid, uint16_t sigtype);
	/* a LeaseSet lookup by hash: sam_backend_found() */
	int	(*lookup)(void *, uint32_t reqid, const uint8_t hash[32]);
	/*
	 * A host name in the address book, answered in the call (a lookup
	 * in memory that never calls the bridge): 0 and the Destination's
	 * bytes, at most max; -1 if no book has it.  NULL: no book.
	 */
	int	(*resolve)(void *, const char *, uint8_t *dest, size_t max,
		    size_t *len);
	/* a datagram to send from an open session; -1: dropped */
	int	(*send)(void *, uint32_t sid, const struct sam_dgram *);

	/*
	 * Streams (NULL: STREAM is answered "streaming not available").
	 * A stream is known on both sides by an id the bridge chooses
	 * (never 0, never reused while tunneld runs).  sid is always the
	 * top-level session's (a PRIMARY's for its subsessions).
	 *
	 * stream_connect: open a stream to dest (a Destination) from
	 * from_port to to_port; the answer is sam_backend_stream_connected
	 * (id, "OK" or CANT_REACH_PEER, TIMEOUT, INVALID_KEY, I2P_ERROR
	 * with a message); the backend times out itself.  -1: refused now.
	 */
	int	(*stream_connect)(void *, uint32_t sid, uint32_t id,
		    const uint8_t *dest, size_t destlen, uint16_t from_port,
		    uint16_t to_port);
	/*
	 * Whether the session takes incoming streams now (an ACCEPT
	 * waits or a FORWARD is on): on 1, incoming streams are offered
	 * through sam_backend_stream_incoming; on 0, the backend refuses
	 * them itself.
	 */
	void	(*stream_listen)(void *, uint32_t sid, int on);
	/*
	 * Bytes into the stream's send buffer: how many it took; 0 when
	 * full (then sam_backend_stream_writable follows once it has room),
	 * -1 when the stream can no longer send (the socket is closed).
	 */
	ssize_t	(*stream_write)(void *, uint32_t id, const void *, size_t);
	/*
	 * Bytes received, in order: how many copied; 0 none now (then
	 * sam_backend_stream_readable follows), -1 the peer closed and
	 * all was read.  The bridge asks for no more than its socket's
	 * queue has room for, so what is unread stays in the stream.
	 */
	ssize_t	(*stream_read)(void *, uint32_t id, void *, size_t);
	/* the client is done sending: close our side once all is out */
	void	(*stream_shutdown)(void *, uint32_t id);
	/*
	 * The bridge is done with id: abort it if still open and forget
	 * it; no notification for it afterwards.  Unknown ids: nothing.
	 */
	void	(*stream_close)(void *, uint32_t id);
	void	*arg;
};

/*
 * The destination is ready (its tunnels built, as the spec promises the
 * client): pub is the Destination, priv the whole private key, which
 * goes to the client as DESTINATION= and is wiped here.  For a key the
 * client gave, priv must be those very bytes: go-i2p/sam3 compares the
 * reply with what it sent.
 */
void	 sam_backend_opened(uint32_t sid, const uint8_t *pub, size_t,
	    const uint8_t *priv, size_t);
/*
 * result: "DUPLICATED_DEST" (the key is a configured destination's, or
 * open elsewhere), "INVALID_KEY" or "I2P_ERROR" with a message
 */
void	 sam_backend_open_failed(uint32_t sid, const char *result,
	    const char *message);
/* pub/priv NULL: failed, message says why */
void	 sam_backend_generated(uint32_t reqid, const uint8_t *pub, size_t,
	    const uint8_t *priv, size_t, const char *message);
/* dest NULL: not found */
void	 sam_backend_found(uint32_t reqid, const uint8_t *dest, size_t);
/*
 * A datagram arrived for the session (a PRIMARY routes it on by style,
 * to_port and protocol): repliable ones with dest the sender's
 * Destination, their signature already checked; raw ones with dest
 * NULL.  Those no session takes are dropped and counted.
 */
void	 sam_backend_received(uint32_t sid, const struct sam_dgram *);

/*
 * sam_stream.c.  The answer to stream_connect: result "OK" once the
 * stream is open, else the RESULT for the client and a message (NULL
 * or "" for none).  An id the bridge no longer knows is ignored.
 */
void	 sam_backend_stream_connected(uint32_t id, const char *result,
	    const char *message);
/*
 * An incoming stream for session sid (top-level) from the peer's
 * Destination, with the I2CP ports as received.  Returns the id the
 * stream is known by from now on, or 0 when no one takes it (no
 * ACCEPT waits, no FORWARD, a limit): the backend resets it then.
 */
uint32_t sam_backend_stream_incoming(uint32_t sid, const uint8_t *peer,
	    size_t peerlen, uint16_t from_port, uint16_t to_port);
/* stream_read has bytes or the end for the bridge */
void	 sam_backend_stream_readable(uint32_t id);
/* stream_write takes bytes again */
void	 sam_backend_stream_writable(uint32_t id);
/*
 * The stream is gone.  reason NULL: closed cleanly both ways, all
 * received bytes already read (the socket is closed once its queue is
 * out); else reset, timed out, ...: the socket is closed at once.  The
 * bridge makes no more calls for id but stream_close.
 */
void	 sam_backend_stream_closed(uint32_t id, const char *reason);

/* ---- sam_conn.c and sam_session.c ---- */

struct sam_stats {
	uint64_t	 conns, conns_refused;
	uint64_t	 commands, errors;
	uint64_t	 dgrams_in, dgrams_out, bytes_in, bytes_out;
	uint64_t	 dgrams_dropped;
	/* streams: opened out (OK), in (ACCEPT or FORWARD), refused */
	uint64_t	 streams_out, streams_in, streams_refused;
	uint64_t	 streams_failed;	/* CONNECT not OK */
	uint64_t	 streams_limited;	/* over a stream limit */
	uint64_t	 fwd_failed;		/* FORWARD target down */
	uint64_t	 sbytes_in, sbytes_out;	/* to and from clients */
};

/* what a connection is doing */
enum sam_mode {
	SAM_MODE_CONTROL,	/* lines and replies */
	SAM_MODE_CONNECTING,	/* STREAM CONNECT waits for the backend */
	SAM_MODE_ACCEPTING,	/* STREAM ACCEPT waits for a stream */
	SAM_MODE_FWD_CONNECTING, /* a FORWARD's socket, connect() runs */
	SAM_MODE_STREAM		/* raw bytes both ways */
};

struct sam_session;
struct stream_opts;

struct sam_conn {
	TAILQ_ENTRY(sam_conn)	 entry;
	uint32_t		 id;
	int			 fd;		/* -1: a test's connection */
	struct event		 ev;
	int			 ev_set;
	struct sockaddr_storage	 addr;
	int64_t			 since;		/* time(3) */
	int			 version;	/* 0 before HELLO */
	int			 busy;		/* waits for the backend */
	int			 closing;	/* flush, then close */
	int			 dead;		/* close now */
	uint32_t		 reqid;		/* busy: the request */
	char			 lookup[64];	/* the b32 name looked up */
	uint8_t			*in;
	size_t			 inlen;
	struct wbuf		 out;
	struct sam_session	*sess;		/* the one it created */
	/* streams (sam_stream.c) */
	enum sam_mode		 mode;
	struct sam_session	*ssess;		/* the stream's session */
	struct sam_session	*fwd_sess;	/* FORWARD issued here */
	uint32_t		 stream;	/* its id, 0 none */
	uint64_t		 accept_seq;	/* ACCEPTs in order */
	int			 silent;
	int			 forwarded;	/* opened by the bridge */
	int			 wblocked;	/* backend took nothing */
	int			 eof_in;	/* the client sent EOF */
	int			 shut_sent;	/* stream_shutdown called */
	int			 eof_out;	/* the peer's EOF: shut the socket */
	int			 shut_wr;	/* ... done (sam_listen.c) */
	int			 stream_gone;	/* backend said closed */
	uint16_t		 from_port, to_port;	/* CONNECT's */
	int			 tls_on;	/* FORWARD SSL=true */
	void			*tls;		/* its SSL, sam_tls.c */
	short			 tls_want;	/* EV_READ or EV_WRITE */
	uint64_t		 sbytes_in, sbytes_out;
};
TAILQ_HEAD(sam_conns, sam_conn);

struct sam_session {
	TAILQ_ENTRY(sam_session) entry;
	char			 id[SAM_ID_MAX + 1];
	uint32_t		 sid;
	enum sam_style		 style;
	struct sam_conn		*conn;		/* its control socket */
	struct sam_session	*primary;	/* a subsession's */
	size_t			 nsub;		/* a PRIMARY's */
	int			 ready;
	uint8_t			 dest[SAM_DEST_MAX];
	size_t			 destlen;
	uint8_t			 hash[32];	/* of a private key given */
	int			 has_hash;
	uint16_t		 from_port, to_port;
	uint16_t		 listen_port;
	uint8_t			 protocol, listen_protocol;
	int			 header;
	struct sockaddr_storage	 fwd;		/* PORT/HOST */
	int			 has_fwd;
	uint64_t		 dgrams_in, dgrams_out;
	/* STREAM (sam_stream.c) */
	struct sam_conn		*fwd_conn;	/* its FORWARD's socket */
	struct sockaddr_storage	 fwd_to;	/* ... and target */
	int			 fwd_silent;
	int			 fwd_ssl;
	int			 listening;	/* top level: told the backend */
	size_t			 naccepts, nstreams;
	uint64_t		 streams_in, streams_out;
};
TAILQ_HEAD(sam_sessions, sam_session);

/* sends to a UDP address (forwarded datagrams) */
typedef void (*sam_udp_send_fn)(const struct sockaddr_storage *,
    const void *, size_t);

/*
 * sam_listen.c: the sockets, at start and at each reload.  be NULL:
 * no destination backend yet, so commands that need one answer
 * I2P_ERROR (HELLO, PING, NAMING of a full destination still work).
 */
struct sam_conf;
void	 sam_listen_reconf(const struct sam_conf *, const struct sam_backend *);

/* sam_ctl.c: show sam, as CTL_SAM_CLIENTs, CTL_SAM_SESSIONs, a CTL_SAM */
typedef void (*sam_ctl_emit_fn)(void *, uint32_t type, const void *,
    size_t);
void	 sam_ctl(const struct sam_conf *, sam_ctl_emit_fn, void *);

/* sam_conn.c (sam_udp_input is in sam_session.c) */
void	 sam_init(const struct sam_backend *, sam_udp_send_fn);
/* USER/PASSWORD required from now on; NULL: none */
void	 sam_set_auth(const char *user, const char *password);
/* a new client: NULL if a limit refuses it (fd is not closed) */
struct sam_conn *sam_conn_new(int fd, const struct sockaddr_storage *,
	    int64_t now);
/* bytes the input buffer takes now: read no more than this */
size_t	 sam_conn_room(const struct sam_conn *);
/* bytes from the client; then the output is in c->out */
void	 sam_conn_input(struct sam_conn *, const void *, size_t);
/*
 * Seconds left for the HELLO, 0 if it is late: then the client has
 * its I2P_ERROR and is closing.  -1 once HELLO is done.
 */
int64_t	 sam_conn_hello_left(struct sam_conn *, int64_t now);
/* the connection is gone: its sessions close */
void	 sam_conn_free(struct sam_conn *);
/* queue a reply; too much queued marks the connection dead */
void	 sam_conn_write(struct sam_conn *, const void *, size_t);
void	 sam_conn_reply(struct sam_conn *, const char *words,
	    const char *result, const struct sam_field *, size_t,
	    const char *message);
/* resume a connection's waiting lines after its request's answer */
void	 sam_conn_resume(struct sam_conn *);
/* the request was refused at once: no answer will come */
void	 sam_conn_unbusy(struct sam_conn *);
struct sam_conn *sam_conn_by_reqid(uint32_t);
const struct sam_conns *sam_conns(void);
struct sam_stats *sam_stats(void);
/* a datagram on the UDP port */
void	 sam_udp_input(const void *, size_t,
	    const struct sockaddr_storage *);
/* the socket glue calls this when something changed on c */
extern void (*sam_conn_changed)(struct sam_conn *);

/* the first n bytes of the input buffer are used: wiped, moved out */
void	 sam_conn_consume(struct sam_conn *, size_t);
/* a socket the bridge opened to a FORWARD's target */
struct sam_conn *sam_conn_forwarded(int fd, const struct sockaddr_storage *,
	    int version, int64_t now);
/*
 * The socket glue: the output queue was written (pull more from a
 * stream); the client sent EOF (0: keep the connection, -1: free it).
 */
void	 sam_conn_flushed(struct sam_conn *);
int	 sam_conn_eof(struct sam_conn *);
/* 0 all written or would block, -1 the socket failed */
int	 sam_conn_flush(struct sam_conn *);

/* sam_session.c */
void	 sam_session_init(const struct sam_backend *, sam_udp_send_fn);
/* a command after HELLO; 0 handled, -1 not a session command */
int	 sam_session_command(struct sam_conn *, const struct sam_line *,
	    const uint8_t *payload, size_t);
/* the SIZE a DATAGRAM SEND or RAW SEND line announces; -1 none/bad */
int	 sam_send_size(const struct sam_line *, size_t *);
void	 sam_session_conn_gone(struct sam_conn *);
struct sam_session *sam_session_find(const char *);
const struct sam_sessions *sam_sessions(void);
size_t	 sam_session_count(void);
/* a backend request for c: c is busy until its answer */
uint32_t sam_new_reqid(struct sam_conn *);
const char *sam_style_name(enum sam_style);
/* a full base64 Destination a client names; -1 if it is not one */
int	 sam_target_parse(const char *, uint8_t *dest, size_t *len);
int	 sam_num_arg(const struct sam_line *, const char *, long min,
	    long max, long *);
int	 sam_bool_arg(const struct sam_line *, const char *, int *);
/* a host name through the backend's address book; -1 if unknown */
int	 sam_resolve(const char *, uint8_t dest[SAM_PRIV_MAX], size_t *);
const struct sam_backend *sam_session_backend(void);
/* HOST (an IP address; NULL: the client's) and a port into ss */
const char *sam_host_port(const struct sam_conn *, const char *host,
	    uint16_t port, struct sockaddr_storage *);

/* sam_stream.c */
int	 sam_stream_available(void);
/* a STREAM command on c */
void	 sam_stream_command(struct sam_conn *, const struct sam_line *);
/* a b32 lookup for a CONNECT answered: dest NULL not found */
void	 sam_stream_found(struct sam_conn *, const uint8_t *, size_t);
/* bytes from the client in the raw phase are in c->in: pass them on */
void	 sam_stream_input(struct sam_conn *);
/* room in c->out: pull bytes from the stream */
void	 sam_stream_output(struct sam_conn *);
/*
 * A FORWARD's connect() finished, error 0 or an errno; with SSL=true
 * the TLS handshake starts then, and this is called again once it is
 * done (the socket goes on only then)
 */
void	 sam_stream_fwd_ready(struct sam_conn *, int error);
/* c goes: its stream closes, its ACCEPT or FORWARD ends */
void	 sam_stream_conn_gone(struct sam_conn *);
/* s goes: its streams, ACCEPTs and FORWARD go with it */
void	 sam_stream_session_gone(struct sam_session *);

/* sam_tls.c: TLS on a FORWARD's socket, the bridge the client */
int	 sam_tls_start(struct sam_conn *);
/* 1 done, 0 wait for c->tls_want, -1 failed */
int	 sam_tls_handshake(struct sam_conn *);
/* as read(2) and write(2); EAGAIN: wait for c->tls_want */
ssize_t	 sam_tls_read(struct sam_conn *, void *, size_t);
ssize_t	 sam_tls_write(struct sam_conn *, const void *, size_t);
size_t	 sam_tls_pending(const struct sam_conn *);
void	 sam_tls_shutdown(struct sam_conn *);
void	 sam_tls_free(struct sam_conn *);

#endif /* I2PRD_TUNNELD_SAM_H */
