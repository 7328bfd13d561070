/*
 * netd's internal interfaces.  A transport-neutral session layer keeps
 * the routers' sessions: one table by router hash, the limits, the
 * message queues, timers, dials and what routerd hears; each transport
 * sits beneath it behind a struct transport_ops, in files of its own,
 * its protocol as pure functions over bytes apart from its socket glue.
 * NTCP2 over nonblocking TCP and SSU2 over UDP, driven by libevent.
 *
 *   netd.c          the process: messages from routerd and cryptod
 *   session.c       the session table, limits, dials, timers, close and
 *                   the reports to routerd
 *   session_io.c    I2NP and RouterInfos between routerd and sessions
 *   limits.c        pure bookkeeping: replay filter, per-source counts,
 *                   bounded message queues (unit tested)
 *   riaddr.c        our transport parameters and the peers' addresses,
 *                   from RouterInfos
 *
 *   NTCP2 (ntcp2_io.h for the glue, ntcp2.h for the protocol):
 *   ntcp2_ops.c     its transport_ops: a session's connection from dial
 *                   or accept to close, probing resistance
 *   ntcp2_listen.c  listening sockets, (re)bound on every reload
 *   ntcp2_conn.c    socket input and output buffers, read/write events
 *   ntcp2_hsio.c    Alice and Bob, with cryptod doing the static-key DH
 *   ntcp2_dataio.c  the data phase: frames and blocks in and out
 *   ntcp2_hs.c      the handshake as pure functions (no I/O)
 *   ntcp2_data.c    frames and blocks as pure functions (no I/O)
 *
 *   SSU2 (ssu2_io.h for the glue, ssu2.h for the protocol):
 *   ssu2_ops.c, ssu2_sock.c, ssu2_hsio.c, ssu2_dataio.c, ssu2_track.c,
 *   ssu2_ptio.c (peer test as Alice), ssu2_ptcharlie.c (as Charlie)
 *                   the glue; ssu2_hdr.c, ssu2_long.c, ssu2_hs.c,
 *   ssu2_data.c, ssu2_blk.c, ssu2_ack.c, ssu2_ptest.c  the protocol
 *                   (no I/O)
 *
 *   http.c, fetch.c reseed downloads over HTTPS
 *
 * Nothing here reaches into netd.c, so the unit tests link every file
 * but netd.c.
 */
#ifndef I2PRD_NETD_H
#define I2PRD_NETD_H

#include <sys/types.h>
#include <sys/socket.h>
#include <bsd/sys/queue.h>
#include <bsd/sys/tree.h>
#include <event.h>
#include <stdint.h>

#include "i2prd.h"
#include "ntcp2.h"
#include "ssu2.h"
#include "replay.h"

/*
 * Limits.  Values follow i2pd where it has one (NTCP2_ESTABLISH_TIMEOUT
 * 10 s, a 287-byte message 1 bound for probing); the rest bound what one
 * peer, one source address or all of them together can make us hold.
 */
/*
 * Sessions in any state: as many as the descriptor limit allows once
 * NETD_FD_SPARE are kept for everything else (imsg and log sockets, the
 * event loop's, listeners, reseed downloads), at most NETD_SESS_CAP
 * (memory: each session holds buffers of some 16 KB or more).  Inbound
 * connections may not take the last 1/NETD_SESS_RESERVE of the slots:
 * however many peers dial us, our own dials still find room.
 */
#define NETD_SESS_CAP		4096
#define NETD_FD_SPARE		64
#define NETD_SESS_RESERVE	8
/*
 * Handshakes in progress, inbound and our dials apart: connections that
 * never send message 1 hold an inbound slot for NETD_HS_TIMEOUT, and
 * must not keep us from dialing (routerd has 8 dials out at a time,
 * more to answer messages and carry transit).
 */
#define NETD_HS_IN_MAX		256
#define NETD_HS_OUT_MAX		64
/* inbound handshakes in progress from one address (an IPv6 /64) */
#define NETD_HS_PER_SRC		8
/*
 * Established inbound sessions from one address (an IPv6 /64): a few
 * routers may share a host, a thousand may not.  Established sessions
 * with one router: the primary and one secondary (a router that dials
 * us while we dial it, or i2pd opening a second one).
 */
#define NETD_EST_PER_SRC	8
#define NETD_SESS_PER_HASH	2
/* seconds: connect or accept to data phase; no traffic either way */
#define NETD_HS_TIMEOUT		15
#define NETD_IDLE_TIMEOUT	300
/* seconds to flush a termination block before closing anyway */
#define NETD_LINGER		2
/*
 * A bad message 1 is answered by silence for NETD_PROBE_MIN to _MAX
 * seconds, or until up to NETD_PROBE_BYTES more have been read.
 */
#define NETD_PROBE_MIN		2
#define NETD_PROBE_MAX		8
#define NETD_PROBE_BYTES	1024
/* message 1 keys: kept twice the allowed clock skew, this many at most */
#define NETD_REPLAY_WINDOW	(2 * NTCP2_SKEW_MAX)
/* 2184 handshakes/s for the whole window, more than a core can do */
#define NETD_REPLAY_CAP		262144
/* messages waiting for a dial: drop the oldest beyond these */
#define NETD_PENDQ_MSGS		256
#define NETD_PENDQ_BYTES	(1024 * 1024)
/* messages waiting for a session's socket: drop the newest beyond */
#define NETD_SENDQ_MSGS		16384
#define NETD_SENDQ_BYTES	(4 * 1024 * 1024)
/* frames we write: up to this much plaintext, for latency */
#define NETD_FRAME_TARGET	16384
/* the largest I2NP message one block carries (frame, tag, block header) */
#define NETD_I2NP_MAX		(NTCP2_FRAME_MAX - POLY1305_TAG_LEN - 3)
/* stop reading the network while routerd has this many imsgs queued */
#define NETD_ROUTERD_HIGH	512
#define NETD_ROUTERD_LOW	128

/*
 * limits.c
 */

/* message 1 ephemeral keys: common/replay.h */

/*
 * Sessions per source address, in a table of cap: handshakes in
 * progress, and established inbound sessions.  IPv6 sources count per
 * /64, the least a host is given.
 */
struct src_ent {
	uint8_t		 addr[16];	/* IPv4 as ::ffff:a.b.c.d */
	uint32_t	 n;
};
struct srclimit {
	struct src_ent	*ent;
	size_t		 cap, used;
	uint32_t	 per_src;
};
int	 srclimit_init(struct srclimit *, size_t cap, uint32_t per_src);
void	 srclimit_free(struct srclimit *);
/* 0 counted; -1 over the per-source limit or the table is full */
int	 srclimit_add(struct srclimit *, const uint8_t addr[16]);
void	 srclimit_del(struct srclimit *, const uint8_t addr[16]);
uint32_t srclimit_count(const struct srclimit *, const uint8_t addr[16]);
/* the 16-byte form of a socket address (IPv6: its /64); -1 if not inet */
int	 srclimit_addr(const struct sockaddr_storage *, uint8_t out[16]);

/* handshakes in progress, one budget each way */
struct hs_budget {
	uint32_t	 n[2], max[2];	/* [0] our dials, [1] inbound */
};
void	 hs_budget_init(struct hs_budget *, uint32_t in, uint32_t out);
/* 0 taken; -1 if that direction's budget is spent */
int	 hs_budget_take(struct hs_budget *, int inbound);
void	 hs_budget_put(struct hs_budget *, int inbound);

/* the size of the session table, from the descriptor limit */
struct sess_limits {
	uint32_t	 max;		/* sessions in any state */
	uint32_t	 reserve;	/* of max, for our dials only */
};
void	 sess_limits_init(struct sess_limits *, uint64_t nofile);
/* 1 if one more session may start (inbound: not in the reserve) */
int	 sess_limits_room(const struct sess_limits *, uint32_t nsess,
	    int inbound);

/* I2NP messages (9-byte header form) waiting to be sent */
struct qmsg {
	TAILQ_ENTRY(qmsg) entry;
	size_t		 len;
	uint8_t		 data[];
};
TAILQ_HEAD(qmsg_list, qmsg);
enum msgq_policy {
	MSGQ_DROP_OLDEST,	/* make room: expired first, then oldest */
	MSGQ_DROP_NEWEST	/* full: refuse the new message */
};
struct msgq {
	struct qmsg_list q;
	size_t		 n, bytes;
	size_t		 max_n, max_bytes;
	enum msgq_policy policy;
	uint64_t	 dropped;	/* expired or over the bound */
};
void	 msgq_init(struct msgq *, size_t, size_t, enum msgq_policy);
void	 msgq_clear(struct msgq *);
/* 0 queued, -1 dropped (bound, policy, expired or no memory) */
int	 msgq_push(struct msgq *, const uint8_t *, size_t, uint32_t now);
/* the first unexpired message (expired ones are dropped), or NULL */
struct qmsg *msgq_first(struct msgq *, uint32_t now);
void	 msgq_remove(struct msgq *, struct qmsg *);
/* moves everything from src to the end of dst, dst's bound applying */
void	 msgq_move(struct msgq *dst, struct msgq *src, uint32_t now);
/* the I2NP expiration (s since the epoch) of a short-header message */
int	 msgq_expiry(const uint8_t *, size_t, uint32_t *);

/*
 * session.c, session_io.c: the transport-neutral session layer
 */

/*
 * What the layer knows of a session's state; a transport keeps its
 * own steps within SS_HANDSHAKE.  The order matters: from
 * SS_ESTABLISHED on, the session had its data phase.
 */
enum sess_state {
	SS_WAIT_LOCAL,		/* Alice: waits for our RouterInfo */
	SS_HANDSHAKE,		/* the transport's handshake */
	SS_ESTABLISHED,		/* data phase */
	SS_PROBE,		/* Bob: refused quietly, then close */
	SS_CLOSING		/* flushing a termination, then close */
};

/* why the layer ends an established session: a transport's reason */
enum sess_end {
	SESS_END_NORMAL,	/* refused by a limit */
	SESS_END_IDLE		/* no traffic for NETD_IDLE_TIMEOUT */
};

struct session;
struct router_info;

/*
 * A transport under the session layer: all the layer may ask of it.
 * Its state for a session is s->tp (NULL before dial or accept gave it
 * one); the transport closes a session with session_close().
 */
struct transport_ops {
	const char	*name;		/* "NTCP2": show peers */
	/* Alice, our RouterInfo known: dial s->target; -1 if s was closed */
	int	(*dial)(struct session *);
	/* cryptod's DH with our static key for s, or its error */
	void	(*dh_result)(struct session *, const uint8_t shared[32]);
	void	(*dh_error)(struct session *);
	/* the data phase began: read, and send what is queued */
	void	(*up)(struct session *);
	/* s->sendq has messages: send them as the transport can */
	void	(*kick)(struct session *);
	/* a termination, then the close; -1 if s was closed at once */
	int	(*terminate)(struct session *, enum sess_end, uint32_t down);
	/* at exit, outside the event loop: a termination if it goes now */
	void	(*goodbye)(struct session *);
	/* the handshake's step in SS_HANDSHAKE, for logs */
	const char *(*step)(const struct session *);
	/* frees s->tp (wiping keys and decrypted input); NULL is fine */
	void	(*free)(struct session *);
	/* what show peers tells of an established session; may be NULL */
	void	(*info)(const struct session *, struct ctl_peer *);
};

/* a router to dial: riaddr.c picks the transport and its address */
struct dial_target {
	const struct transport_ops *ops;
	uint8_t			 hash[32];
	struct sockaddr_storage	 ss;
	struct ntcp2_remote	 remote;	/* NTCP2's parameters */
	struct ssu2_remote	 ssu2;		/* SSU2's */
	uint16_t		 ssu2_mtu;	/* its "mtu", 0 if none */
	int			 ssu2_tester;	/* its SSU2 caps have "B" */
	/*
	 * The next way (another transport or family), tried if this dial
	 * fails: the same fields for it
	 */
	const struct transport_ops *alt_ops;	/* NULL if none */
	struct sockaddr_storage	 alt_ss;
	struct ntcp2_remote	 alt_remote;
	struct ssu2_remote	 alt_ssu2;
	uint16_t		 alt_ssu2_mtu;
	int			 alt_ssu2_tester;
};

struct session {
	TAILQ_ENTRY(session)	 entry;		/* every session */
	RB_ENTRY(session)	 hentry;	/* primary for its hash */
	const struct transport_ops *ops;
	void			*tp;		/* the transport's state */
	uint32_t		 id;		/* cryptod request id */
	enum sess_state		 state;
	int			 inbound;
	int			 primary;	/* in the hash tree */
	int			 reported;	/* SESSION_UP sent */
	int			 in_hs;		/* in the hs_budget */
	int			 in_src;	/* in the handshake srclimit */
	int			 in_est;	/* in the established one */
	struct sockaddr_storage	 ss;		/* peer's address */
	uint8_t			 hash[32];	/* Bob: after the handshake */
	struct dial_target	 target;	/* Alice: whom we dial */
	struct msgq		 sendq;
	struct event		 ev_timer;
	uint32_t		 close_down;	/* for the report */
	uint32_t		 close_term;
	int64_t			 last_io;	/* monotonic s */
	time_t			 established;
	uint64_t		 bytes_in, bytes_out;
	uint64_t		 msgs_in, msgs_out;
};

RB_HEAD(sess_tree, session);
RB_PROTOTYPE(sess_tree, session, hentry, sess_cmp)

/* sizes the table from the descriptor limit, raised to its maximum */
void	 session_init(void);
/* our RouterInfo arrived (again): start the dials that waited for it */
void	 session_local_ready(void);
/* NET_DIAL: dial unless a session or a dial to that router exists */
void	 session_dial(const uint8_t *ri, size_t len);
/* routers we had sessions with, to dial again for messages in flight */
void	 session_remember(const struct dial_target *);
struct session *session_redial(const uint8_t hash[32]);
/*
 * A transport's new inbound connection from ss: the limits applied, a
 * session in SS_HANDSHAKE counted as a handshake, or NULL if refused.
 */
struct session *session_inbound(const struct transport_ops *,
	    const struct sockaddr_storage *);
struct session *session_by_hash(const uint8_t hash[32]);
struct session *session_by_id(uint32_t);
/* cryptod's answers, by request id (the session's id) */
void	 session_dh_result(uint32_t id, const struct key_dh_result *);
void	 session_dh_error(uint32_t id, const struct key_error *);
/*
 * The handshake is done, s->hash known: the limits on established
 * sessions, register, report, start the data phase (ops->up).  -1 if
 * the session was closed or is ending.
 */
int	 session_established(struct session *);
/* stops and frees the session; tells routerd as its state requires */
void	 session_close(struct session *, uint32_t down, uint32_t term);
/* (re)arms the one timer of a session for secs seconds */
void	 session_timer(struct session *, int secs);
/*
 * IMSG_CTL_SHOW_PEERS: one CTL_PEER per session, a CTL_TRANSPORT per
 * SSU2 socket, CTL_SESSIONS, CTL_END
 */
void	 session_ctl_peers(uint32_t peerid);
/* at exit: terminate (reason 3) and close everything */
void	 session_shutdown(void);
/* "Abcd1234 198.18.0.1:20000" for logs */
const char *session_name(const struct session *);
int64_t	 netd_now(void);			/* monotonic seconds */
struct replay *session_replay(void);
/* a message to routerd or cryptod; -1 if that link is gone */
int	 netd_send(enum proc_id, uint32_t type, uint32_t peerid,
	    const void *, size_t);

/* session_io.c: I2NP and RouterInfos between routerd and sessions */
/* an I2NP message s received, batched up to routerd */
void	 session_i2np_in(struct session *, const uint8_t *, size_t);
/* the batch goes up: after each read */
void	 session_i2np_flush(void);
/* IMSG_NET_I2NP_OUT into the router's session (or dial) queue */
void	 session_i2np_out(const uint8_t *, size_t);
/* a RouterInfo the peer sent (handshake or data phase) up to routerd */
void	 session_peer_ri(struct session *, const uint8_t *, size_t);

/*
 * riaddr.c
 */
/* IMSG_NET_LOCAL: 0 ok, -1 if unusable (logged) */
int	 riaddr_local(const uint8_t *, size_t);
/* our parameters, NULL until NET_LOCAL; inbound needs an "i" too */
const struct ntcp2_local *riaddr_get_local(void);
/* our router hash, NULL until NET_LOCAL: sessions wait for it */
const uint8_t *riaddr_local_hash(void);
int	 riaddr_local_inbound(void);
/* our SSU2 parameters, NULL while our RouterInfo has no SSU2 "i" */
const struct ssu2_local *riaddr_get_ssu2(void);
/*
 * A peer's address to dial and the next one to try: riaddr_choose()
 * among the ways we have (riaddr_ways), on what failed lately
 * (riaddr_failed); -1 if none.
 */
int	 riaddr_dial(const uint8_t *, size_t, struct dial_target *);
/*
 * Ways to dial, bit (ssu2 * 2 + IPv6): NTCP2 over IPv4, over IPv6, SSU2
 * over IPv4, over IPv6.
 */
#define RIADDR_WAYS	4
/*
 * Ours: the families of our "listen on" lines (both without any), SSU2
 * where we have its socket.
 */
unsigned riaddr_ways(void);
/*
 * ri's first address of the first of ways that it has into t, the
 * next way's into t's alt_*.  In that order: NTCP2 before SSU2, IPv4
 * before IPv6, but those that failed at[way] (0: not lately) after
 * those that did not, the latest failure last.  With main_net, only
 * public addresses (riaddr_public).  -1 if none.
 */
int	 riaddr_choose(const struct router_info *, unsigned ways,
	    const int64_t at[RIADDR_WAYS], int main_net, struct dial_target *);
/* the "mtu" of a RouterInfo's first SSU2 address of family with one */
unsigned riaddr_ssu2_mtu(const uint8_t *, size_t, int family);
/* our dial to that router over that transport and family failed */
void	 riaddr_failed(const uint8_t hash[32], const struct transport_ops *,
	    int family);
/* 1 if a RouterInfo's SSU2 address publishes "B" (peer testing) */
int	 riaddr_ssu2_tester(const uint8_t *, size_t);
/* a router's SSU2 address of that family and its intro key; -1 if none */
int	 riaddr_ssu2_peer(const struct router_info *, int family,
	    struct sockaddr_storage *, uint8_t ikey[32]);
/*
 * 1 if the Internet routes to the address and its port is 1024 or
 * more; riaddr_dial() asks it on the main network (netId 2) only
 */
int	 riaddr_public(const struct sockaddr_storage *);

/*
 * NTCP2 beneath the session layer (ntcp2_io.h has the rest)
 */
extern const struct transport_ops ntcp2_ops;
/* ntcp2_listen.c: the listening sockets of the configuration */
void	 ntcp2_listen_reconf(const struct i2prd_conf *);
void	 ntcp2_listen_close_all(void);

/*
 * SSU2 beneath the session layer (ssu2_io.h has the rest)
 */
extern const struct transport_ops ssu2_ops;
/* ssu2_sock.c: the UDP sockets of the configuration */
void	 ssu2_sock_reconf(const struct i2prd_conf *);
void	 ssu2_sock_close_all(void);
/* 1 if we can dial SSU2 over that address family */
int	 ssu2_can_dial(int family);
/* SSU2's counters into show peers limits */
void	 ssu2_ctl_sessions(struct ctl_sessions *);
/* a CTL_TRANSPORT per SSU2 socket, to routerd for that control client */
void	 ssu2_ctl_transports(uint32_t peerid);
/*
 * ssu2_ptio.c: peer test.  cryptod's signatures for it come back with
 * request ids that have NETD_REQID_PTEST set; sessions' ids never do.
 */
#define NETD_REQID_PTEST	0x80000000U
#define NETD_REQID_CHARLIE	0x40000000U	/* ... as Charlie */
#define NETD_REQID_SEQ		0x3fffffffU
struct ssu2_pt_state {
	enum net_reach_state	 reach;
	time_t		 when;		/* of the result; 0: none yet */
	uint64_t	 run;		/* tests we began as Alice */
};
void	 ssu2_pt_init(void);
void	 ssu2_pt_signature(uint32_t reqid, const struct key_signature *);
void	 ssu2_pt_sign_error(uint32_t reqid);
const struct ssu2_pt_state *ssu2_pt_state(int family);

/* http.c: the head of an HTTP/1.x response (reseed downloads) */
#define HTTP_HEAD_MAX		16384
#define HTTP_BODY_MAX		(8 * 1024 * 1024)	/* a reseed file */
struct http_resp {
	int		 status;
	long long	 content_length;	/* -1: until the close */
	int		 chunked;
	size_t		 head_len;		/* through the empty line */
};
/* 1 parsed, 0 incomplete (wants more), -1 malformed (why says) */
int	 http_resp_head(const uint8_t *, size_t, struct http_resp *,
	    const char **why);

/* fetch.c: HTTPS reseed downloads, the CA certificates they trust */
void	 fetch_ca_begin(void);
void	 fetch_ca_add(const uint8_t *, size_t);
void	 fetch_ca_end(void);
/* CA certificates downloads trust now */
size_t	 fetch_ca_count(void);
void	 fetch_start(const struct net_fetch *);
void	 fetch_shutdown(void);

#endif /* I2PRD_NETD_H */
