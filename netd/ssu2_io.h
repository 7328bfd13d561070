/*
 * SSU2's socket glue, private to the ssu2_*.c glue files beneath the
 * session layer (netd.h); the protocol itself, pure functions over
 * bytes, is ssu2.h's.
 *
 *   ssu2_ops.c      the transport_ops, a session's state from dial or
 *                   first packet to close
 *   ssu2_sock.c     the UDP sockets, (re)bound on every reload; which
 *                   session or handshake a datagram is for; tokens
 *   ssu2_hsio.c     Alice and Bob, cryptod doing the static-key DH,
 *                   handshake packets sent again until answered
 *   ssu2_dataio.c   the data phase: blocks in, I2NP out in packets and
 *                   fragments, ACKs, resends and the window
 *   ssu2_track.c    pure bookkeeping: received packet numbers, tokens,
 *                   reassembly
 *   ssu2_ptio.c     peer test as Alice: our reachability per family
 *   ssu2_ptcharlie.c  peer test as Charlie, rate-limited
 */
#ifndef I2PRD_SSU2_IO_H
#define I2PRD_SSU2_IO_H

#include "netd.h"
#include "ssu2.h"

/*
 * Limits and timers.  Values follow i2pd 2.45.1's where it has one
 * (SSU2Session.h): handshake resends every 1 s (it sends 1, 2, 4 ...
 * is the spec's suggestion; i2pd's fixed 1 s is what it expects of us
 * too), RTO 100 ms to 2.5 s, 5 resends of a packet, a window of 16 to
 * 256 packets, reassembly given up after 30 s.
 */
#define SSU2_HS_RESEND_MS	1000
#define SSU2_HS_RESENDS		5
#define SSU2_RTO_MIN		100
#define SSU2_RTO_MAX		2500
#define SSU2_RTO_INIT		1000
#define SSU2_RESENDS_MAX	5
#define SSU2_CWND_MIN		16
#define SSU2_CWND_MAX		256
/* delayed ACK: packets that ask for none are answered this late */
#define SSU2_ACK_DELAY_MS	20
/* ranges in our ACK blocks, as i2pd sends */
#define SSU2_ACK_RANGES		32
/* received packet numbers remembered: duplicates and the ACK block */
#define SSU2_RXWIN		512
/* messages being reassembled: per session, and all sessions */
#define SSU2_REASM_MSGS		64
#define SSU2_REASM_BYTES	(256 * 1024)
#define SSU2_REASM_ALL		(16 * 1024 * 1024)
#define SSU2_REASM_TTL		30	/* s */
/* Retry tokens: valid this long, this many, this many per address */
#define SSU2_TOKEN_TTL		10	/* s; i2pd uses 9 */
#define SSU2_TOKENS_MAX		4096
#define SSU2_TOKENS_PER_SRC	16
/*
 * Tokens routers gave us in New Token blocks, for our next dial to
 * them (no Token Request then): this many, kept at most this long
 */
#define SSU2_OUT_TOKENS_MAX	1024
#define SSU2_OUT_TOKEN_TTL	3600	/* s; i2pd gives 52 minutes */
/*
 * Tokens we give routers that dialed us (New Token, for their next
 * dial): a table of their own, so that they never take the Retry
 * tokens' room; this many, per address, this long
 */
#define SSU2_NEXT_TOKENS_MAX	1024
#define SSU2_NEXT_TOKENS_PER_SRC 4
#define SSU2_NEXT_TOKEN_TTL	3000	/* s */
/*
 * Path Responses: a Path Challenge makes us send as much as it carries,
 * so one answer per session per SSU2_PATH_GAP_MS, SSU2_PATH_PER_SEC in
 * all (a path changes rarely; i2pd challenges once per address change)
 */
#define SSU2_PATH_GAP_MS	1000
#define SSU2_PATH_PER_SEC	64
/* IP and UDP headers under a packet, for the MTU (i2pd's values) */
#define SSU2_IP4_OVERHEAD	28
#define SSU2_IP6_OVERHEAD	48
#define SSU2_MTU_DEFAULT	1500
/* a Peer Test block we send in a session: message 1 at most */
#define SSU2_CTLBLK_MAX		(3 + 3 + 32 + SSU2_PT_SIGDATA_MAX + 64)

/* ssu2_track.c */
struct ssu2_rxwin {
	uint32_t	 max;		/* highest packet number seen */
	int		 any;
	uint64_t	 bits[SSU2_RXWIN / 64];	/* bit i: max - i seen */
};
void	 ssu2_rx_init(struct ssu2_rxwin *);
/* 1 if pn is new (and now seen); 0 if a duplicate or too old */
int	 ssu2_rx_add(struct ssu2_rxwin *, uint32_t pn);
/* the received numbers, highest first, at most cap */
size_t	 ssu2_rx_list(const struct ssu2_rxwin *, uint32_t *pns, size_t cap);

struct ssu2_tok {
	uint8_t		 addr[16];
	uint16_t	 port;
	uint64_t	 token;
	int64_t		 expires;	/* 0: free */
};
struct ssu2_tokens {
	struct ssu2_tok	*ent;
	size_t		 cap;
	uint32_t	 per_src;
};
int	 ssu2_tok_init(struct ssu2_tokens *, size_t cap, uint32_t per_src);
void	 ssu2_tok_free(struct ssu2_tokens *);
/* 0 issued; -1 if the table or that address's share is full */
int	 ssu2_tok_issue(struct ssu2_tokens *, const uint8_t addr[16],
	    uint16_t port, int64_t now, uint64_t token, int64_t ttl);
/* that endpoint's unexpired token, used up; 0 if none */
uint64_t ssu2_tok_get(struct ssu2_tokens *, const uint8_t addr[16],
	    uint16_t port, int64_t now);
int	 ssu2_tok_take(struct ssu2_tokens *, const uint8_t addr[16],
	    uint16_t port, int64_t now, uint64_t token);

/* a message coming in fragments */
struct ssu2_reasm {
	TAILQ_ENTRY(ssu2_reasm)	 entry;
	uint32_t		 msg_id;
	int64_t			 started;
	int			 last;		/* fragment number, or -1 */
	size_t			 bytes;
	/* fragment i's bytes; the first holds the 9-byte header */
	uint8_t			*frag[SSU2_FRAG_NUM_MAX + 1];
	uint16_t		 flen[SSU2_FRAG_NUM_MAX + 1];
};
/* a session's messages in fragments */
struct ssu2_reasm_set {
	TAILQ_HEAD(, ssu2_reasm) list;
	size_t			 n, bytes;
	uint64_t		 dropped;	/* messages given up */
};
void	 ssu2_reasm_init(struct ssu2_reasm_set *);
/*
 * Fragment num (0: the First Fragment, with the short header) of
 * msg_id.  1: the message is whole, *msg (malloc'd, the caller's) and
 * *mlen its bytes; 0: kept, or a duplicate; -1: the message was given
 * up (a contradiction, or over a bound: NETD_I2NP_MAX per message,
 * SSU2_REASM_BYTES per session, SSU2_REASM_ALL in all).  Beyond
 * SSU2_REASM_MSGS messages the oldest is given up.  What is given up
 * is counted in dropped.
 */
int	 ssu2_reasm_add(struct ssu2_reasm_set *, uint32_t msg_id, int num,
	    int last, const uint8_t *, size_t, int64_t now, uint8_t **msg,
	    size_t *mlen);
/* gives up messages older than SSU2_REASM_TTL; how many */
size_t	 ssu2_reasm_expire(struct ssu2_reasm_set *, int64_t now);
void	 ssu2_reasm_clear(struct ssu2_reasm_set *);
/* bytes held for reassembly by every session */
size_t	 ssu2_reasm_all(void);

/* all sessions' Path Responses in the current second */
struct ssu2_pathlim {
	int64_t		 sec;
	uint32_t	 n;
};
/*
 * May a session whose last Path Response went at *last (ms, 0: none)
 * answer one now?  If so both limits count it.
 */
int	 ssu2_path_allow(int64_t *last, struct ssu2_pathlim *, int64_t now);

/* the handshake, while the session is in SS_HANDSHAKE */
enum ssu2_step {
	S2_A_TOKEN,		/* Alice: Token Request sent */
	S2_A_REQUEST,		/* Alice: Session Request sent */
	S2_A_DH,		/* Alice: cryptod computes "se" */
	S2_B_DH,		/* Bob: cryptod computes "es" */
	S2_B_CREATED		/* Bob: Created sent, Confirmed awaited */
};

/* a packet sent and not yet acknowledged: its blocks, to send again */
struct ssu2_sent {
	TAILQ_ENTRY(ssu2_sent)	 entry;
	uint32_t		 pn;
	int64_t			 sent_ms;
	int			 resends;
	size_t			 len;
	uint8_t			 data[];
};
TAILQ_HEAD(ssu2_sent_list, ssu2_sent);


struct ssu2_sock;

/* a session's SSU2 state: s->tp */
struct ssu2_conn {
	struct session		*s;
	RB_ENTRY(ssu2_conn)	 rentry;	/* by our connection ID */
	TAILQ_ENTRY(ssu2_conn)	 aentry;	/* Alice in her handshake */
	uint64_t		 rid;		/* our connection ID */
	int			 in_tree, in_alice;
	struct ssu2_sock	*sock;
	enum ssu2_step		 step;
	struct ssu2_hs		*hs;
	struct ssu2_remote	 remote;	/* Alice: Bob's keys */
	struct ssu2_session	 keys;		/* data phase */
	size_t			 mtu;		/* largest packet we send */
	/* handshake packets to send again until answered */
	uint8_t			*hspkt[2];
	size_t			 hslen[2];
	int			 hs_resends;
	int			 confirm_pending;	/* Alice: no data yet */
	struct event		 ev;		/* resends, ACK delay */
	/* received */
	struct ssu2_rxwin	 rx;
	int			 ack_due;
	int64_t			 ack_at;	/* ms: when to send it */
	uint64_t		 pkts_in;
	struct ssu2_reasm_set	 reasm;
	/* sent */
	struct ssu2_sent_list	 inflight;
	uint32_t		 ninflight, cwnd, ssthresh, cwnd_acc;
	int			 rtt_ms, rttvar_ms, rto_ms;
	uint64_t		 resends, pkts_out, lost;
	/* the message being sent in fragments: its bytes and progress */
	struct qmsg		*fragmsg;
	size_t			 fragoff;
	uint8_t			 fragnum;
	int			 term_sent;
	int64_t			 path_at;	/* ms: last Path Response */
	/* its SSU2 address publishes "B": it may be our peer test's Bob */
	int			 peer_tester;
	/* a Peer Test block to send as data (sent again until ACKed) */
	uint8_t			 ctlblk[SSU2_CTLBLK_MAX];
	size_t			 ctllen;
};

#define SSU2_CONN(s)	((struct ssu2_conn *)(s)->tp)

/* monotonic milliseconds */
int64_t	 ssu2_now_ms(void);

/* ssu2_sock.c */
/* the socket of that family to dial from, NULL if SSU2 has none */
struct ssu2_sock *ssu2_sock_for(int family);
/* sends one datagram to the session's peer; counted */
void	 ssu2_send(struct ssu2_sock *, const struct sockaddr_storage *,
	    const uint8_t *, size_t);
/* a token a router gave us (expires: s since the epoch), or ours for it */
void	 ssu2_out_token_put(const struct sockaddr_storage *, uint64_t,
	    uint32_t expires);
uint64_t ssu2_out_token_get(const struct sockaddr_storage *);
/* a token for that router's next dial to us; 0 if none can be kept */
uint64_t ssu2_next_token(const struct sockaddr_storage *, uint32_t *expires);
/* the address the socket is bound to */
const struct sockaddr_storage *ssu2_sock_addr(const struct ssu2_sock *);
/* an established session with a router publishing "B", or NULL */
struct ssu2_conn *ssu2_tester(int family);
/* a socket address as an Address block's endpoint */
void	 ssu2_endpoint(const struct sockaddr_storage *, struct ssu2_addr *);
int	 ssu2_conn_bind(struct ssu2_conn *, uint64_t rid);
void	 ssu2_conn_unbind(struct ssu2_conn *);
void	 ssu2_alice_track(struct ssu2_conn *, int on);
/* counters for show peers limits and metrics */
struct ssu2_stats {
	uint64_t	 pkts_in, pkts_out, bytes_in, bytes_out;
	uint64_t	 dropped;	/* did not open, or for nobody */
	uint64_t	 dup;		/* replayed or duplicate packets */
	uint64_t	 oversized;
	uint64_t	 tokens, token_refused, retries_sent;
	uint64_t	 bad_token;
	uint64_t	 reasm_dropped;
	uint64_t	 pt_ignored;	/* peer test roles we do not play */
	uint64_t	 pt_charlie;	/* tests we accepted as Charlie */
};
extern struct ssu2_stats ssu2_stats;

/* ssu2_ops.c */
struct ssu2_conn *ssu2_conn_new(struct session *);
/* the largest packet to send, from the peer's "mtu" (0: none) */
void	 ssu2_conn_mtu(struct ssu2_conn *, unsigned mtu);
/* a Session Request from ss: a Bob session, or NULL if refused */
void	 ssu2_bob_new(struct ssu2_sock *, const struct sockaddr_storage *,
	    const uint8_t *pkt, size_t len);
void	 ssu2_timer(struct ssu2_conn *, int64_t ms);

/* ssu2_hsio.c */
int	 s2hs_alice_start(struct session *);
void	 s2hs_bob_start(struct session *, const uint8_t *, size_t);
/* a datagram for a session in its handshake */
void	 s2hs_input(struct session *, const uint8_t *, size_t);
void	 s2hs_dh_result(struct session *, const uint8_t shared[32]);
void	 s2hs_dh_error(struct session *);
/* the resend timer in SS_HANDSHAKE */
void	 s2hs_timeout(struct session *);
/* Alice's Confirmed again while no data came back; then it is freed */
void	 s2hs_confirm_resend(struct session *);
const char *s2hs_step_name(enum ssu2_step);

/* ssu2_dataio.c */
void	 s2data_start(struct session *);
/* a datagram for an established session (decrypted in place) */
void	 s2data_input(struct session *, uint8_t *, size_t);
/* sends what the window allows, and an ACK if one is due */
void	 s2data_pump(struct session *);
void	 s2data_timeout(struct session *);
int	 s2data_terminate(struct session *, uint8_t reason, uint32_t down);
/* a Peer Test block in the session's next packet; -1 if one waits */
int	 s2data_control(struct session *, const struct ssu2_peertest *);
void	 s2data_goodbye(struct session *);
void	 s2data_free(struct ssu2_conn *);

/* ssu2_ptio.c: peer test, as Alice */
/* a Peer Test block that came in s's data, with the packet's RouterInfo */
void	 s2pt_block(struct session *, const uint8_t *, size_t,
	    const uint8_t *ri, size_t rilen);
/* ssu2_ptcharlie.c: as Charlie; 1 if it was Charlie's (taken) */
void	 s2pt_charlie_msg2(struct session *, const struct ssu2_peertest *,
	    const uint8_t *ri, size_t rilen);
int	 s2pt_charlie_signature(uint32_t reqid, const struct key_signature *);
int	 s2pt_charlie_sign_error(uint32_t reqid);
/*
 * 0 if one more test for that Alice address (an IPv6 /64) fits the
 * minute of now (netd_now() seconds), counted; -1 over PTC_PER_SRC for
 * it or PTC_PER_MIN in all
 */
int	 s2pt_charlie_rate(const struct sockaddr_storage *, int64_t now);
int	 s2pt_charlie_packet(struct ssu2_sock *, const struct sockaddr_storage *,
	    const uint8_t *, size_t, uint64_t id);
/* 1 if the datagram was a peer test message 5-7 of ours (taken) */
int	 s2pt_packet(struct ssu2_sock *, const struct sockaddr_storage *,
	    const uint8_t *, size_t, uint64_t id);

#endif /* I2PRD_SSU2_IO_H */
