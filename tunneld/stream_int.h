/*
 * The streaming layer's insides, shared by stream.c (the host and the
 * application's calls), stream_in.c (packets in), stream_out.c (packets
 * out, signing, resends), stream_cc.c (RTT and congestion control),
 * stream_limit.c (connection rates, the queue of packets before their
 * SYN) and stream_buf.c (byte buffers).  Not for other modules: they
 * use stream.h.
 */
#ifndef I2PRD_TUNNELD_STREAM_INT_H
#define I2PRD_TUNNELD_STREAM_INT_H

#include <bsd/sys/queue.h>

#include "stream.h"
#include "stream_pkt.h"

/*
 * RFC 6298 with the bounds streaming.html gives: RTO within 100 ms and
 * 45 s, RTT samples capped at 60 s, 9 s before the first sample.
 */
#define SC_RTO_MIN		100
#define SC_RTO_MAX		45000
#define SC_RTT_MAX		60000
#define SC_RTO_INIT		9000
/* the window never grows past this, whatever the options say */
#define SC_WINDOW_CAP		1024
/* the smallest payload a peer may ask us to send (streaming.html) */
#define SC_MTU_MIN		512
/*
 * ACKs: SRTT / SC_ACK_DELAY_DIV after in-order data, within the bounds
 * (i2pd 2.45.1's RTT/10, 2 to 200 ms); at once after every
 * SC_ACK_EVERY packets, a gap, a duplicate, SYN or CLOSE.
 */
#define SC_ACK_DELAY_MAX	200
#define SC_ACK_DELAY_MIN	2
#define SC_ACK_DELAY_DIV	10
#define SC_ACK_EVERY		4
/* packets before their SYN: per peer stream id, per host, how long */
#define SC_SYNQ_PER_PEER	16
#define SC_SYNQ_MAX		64
#define SC_SYNQ_TTL		10000
/* signed packets of no stream (RESETs) waiting for their signature */
#define SC_ORPHAN_MAX		64
/* peers whose connection rates are counted; the oldest goes first */
#define SC_RATE_PEERS		256
/* a ping's payload returned in the pong (streaming.html) */
#define SC_PONG_MAX		32
/* the largest packet we build: 255 NACKs, FROM, MTU, a signature */
#define SC_BUILD_MAX		(SP_HEADER_MIN + 4 * SP_NACKS_MAX + 2 + \
				    I2P_IDENT_MAXLEN + 2 + I2P_SIG_MAXLEN + \
				    STREAM_MTU_RATCHET)
#define SC_HBUCKETS		256
/*
 * A stream closed cleanly lingers (TIME_WAIT) for 4 RTOs, 2 s at least,
 * to acknowledge again a CLOSE resent because our ACK was lost.
 */
#define SC_LINGER_MIN		2000
/* a stream the application shut and let go has this long to close */
#define SC_RELEASE_MAX		120000
/*
 * A peer that chokes us still acknowledges our probes; one silent this
 * long (ms) while choking is gone, and the stream times out.
 */
#define SC_CHOKED_SILENCE	300000
/* peers whose last streams' RTT and window a new stream starts from */
#define SC_SHARE_PEERS		64
#define SC_SHARE_TTL		(10 * 60 * 1000)

/* bytes in a bounded, growing buffer */
struct sbytes {
	uint8_t		*data;
	size_t		 off, len, alloc, cap;
};

/*
 * A packet held: sent and not yet acknowledged (data: its payload, built
 * again at each send with the current ACK fields; signed: the whole
 * packet as signed), received out of order (its payload), or waiting
 * for its SYN (the whole packet).
 */
struct spkt {
	TAILQ_ENTRY(spkt)	 entry;
	TAILQ_ENTRY(spkt)	 sentry;	/* host's signq */
	struct stream		*s;		/* NULL: an orphan RESET */
	uint32_t		 seq;
	uint16_t		 flags;
	int			 wire;		/* buf is the whole packet */
	int			 signing;	/* waits for its signature */
	uint64_t		 cookie;
	size_t			 sig_off, siglen;
	int64_t			 sent_at;	/* 0: never sent */
	uint32_t		 resends, nacked;
	/* orphans and packets before their SYN */
	uint8_t			 remote[32];
	int			 have_remote;
	uint16_t		 sport, dport;
	uint32_t		 peer_id;
	int64_t			 arrived;
	size_t			 len;
	uint8_t			 buf[];
};
TAILQ_HEAD(spktq, spkt);

struct stream_cc {
	uint32_t		 srtt, rttvar, rto_base;
	int			 have_rtt;	/* measured or shared */
	uint32_t		 samples;	/* measured here */
	uint32_t		 backoff;
	uint32_t		 cwnd, ssthresh, ca_count, max_window;
	int			 in_recovery;
	uint32_t		 recover;
	int64_t			 pace_us;	/* next paced send, us */
};

struct stream {
	TAILQ_ENTRY(stream)	 entry;		/* host's streams */
	TAILQ_ENTRY(stream)	 hentry;	/* its id's bucket */
	TAILQ_ENTRY(stream)	 eventry;	/* host's evq */
	struct stream_host	*h;
	uint32_t		 id, peer_id;
	struct i2p_ident	 peer;
	uint16_t		 lport, rport;
	enum stream_state	 state;
	enum stream_error	 err;
	int			 outbound;
	int64_t			 created, last_act, conn_deadline;
	int64_t			 last_heard;	/* a packet of the peer's */
	/* sending */
	struct sbytes		 snd;
	size_t			 inflight_bytes;
	uint32_t		 snd_next, nsent, nsigning;
	struct spktq		 sent;
	uint16_t		 mtu;		/* payload we send */
	int			 connected;	/* SYN-ACK had or acked */
	int			 syn_out;	/* our SYN got out once */
	int			 shut, fin_queued, fin_acked, want_write;
	uint32_t		 fin_seq;
	int			 peer_choked;
	int64_t			 probe_at, rto_at;
	int64_t			 acked_sent_at;	/* newest send acknowledged */
	/* receiving */
	struct sbytes		 rcv;
	uint32_t		 rcv_next, rcv_high, nooo;
	int			 any_rcvd, peer_fin, choking;
	struct spktq		 ooo;
	size_t			 ooo_bytes;
	uint32_t		 ack_count;
	int64_t			 ack_at;
	struct stream_cc	 cc;
	/* the application */
	stream_event_cb		 cb;
	void			*app;
	unsigned		 events;
	int			 in_evq, dead;
	/* closed cleanly, freed: answers resent CLOSEs until then */
	int			 app_gone;
	int64_t			 linger_until;
	/* shut and let go by the application: closing on its own */
	int			 released;
	int64_t			 release_until;
	uint64_t		 bytes_in, bytes_out, resends;
};
TAILQ_HEAD(streamq, stream);

struct srate {
	int64_t			 start[3];
	uint32_t		 n[3];
};

struct srate_peer {
	uint8_t			 hash[32];
	int64_t			 last;
	int			 used;
	struct srate		 r;
};

/* stream_share.c: a peer's path as its last streams found it */
struct sshare {
	uint8_t			 hash[32];
	int64_t			 at;		/* 0: free */
	uint32_t		 srtt, rttvar, cwnd;
};

struct stream_host {
	struct i2p_ident	 ident;
	struct stream_opts	 opts;
	struct stream_ops	 ops;
	struct streamq		 streams, evq;
	struct streamq		 buckets[SC_HBUCKETS];
	uint32_t		 nstreams;
	uint32_t		 nlinger;	/* of those, lingering (app_gone) */
	struct spktq		 signq, synq;
	uint32_t		 norphans, nsynq;
	uint64_t		 next_cookie;
	struct srate_peer	 rates[SC_RATE_PEERS];
	struct srate		 total;
	struct sshare		 share[SC_SHARE_PEERS];
	struct stream_stats	 st;
	int			 busy;
	int64_t			 now;		/* of the latest call */
};

/* stream_buf.c */
void	 sbytes_init(struct sbytes *, size_t cap);
size_t	 sbytes_room(const struct sbytes *);
int	 sbytes_put(struct sbytes *, const void *, size_t);
size_t	 sbytes_get(struct sbytes *, void *, size_t);
void	 sbytes_free(struct sbytes *);

/* stream_cc.c */
void	 cc_init(struct stream_cc *, const struct stream_opts *);
void	 cc_rtt_sample(struct stream_cc *, int64_t);
uint32_t cc_rto(const struct stream_cc *);
void	 cc_acked(struct stream_cc *, uint32_t n, uint32_t seq);
void	 cc_fast_loss(struct stream_cc *, uint32_t highest_sent);
void	 cc_timeout(struct stream_cc *);
int	 cc_pace_ok(const struct stream_cc *, int64_t now);
void	 cc_paced(struct stream_cc *, int64_t now);
int64_t	 cc_pace_next(const struct stream_cc *);
void	 cc_share(struct stream_cc *, uint32_t srtt, uint32_t rttvar,
	    uint32_t cwnd);

/* stream_share.c */
void	 share_put(struct stream_host *, const struct stream *, int64_t);
void	 share_get(struct stream_host *, struct stream *, int64_t);

/* stream.c */
void	 host_enter(struct stream_host *);
void	 host_leave(struct stream_host *);
void	 stream_raise(struct stream *, enum stream_event);
struct stream *stream_new(struct stream_host *, const struct i2p_ident *,
	    int outbound, uint16_t lport, uint16_t rport, int64_t now);
struct stream *stream_lookup(struct stream_host *, uint32_t id);
void	 stream_fail(struct stream *, enum stream_error);
void	 stream_check_closed(struct stream *);
void	 stream_set_state(struct stream *);
void	 stream_linger(struct stream *);
/* closed cleanly and let go: lingering, not counted against limits */
void	 stream_set_gone(struct stream *);
/* room for one more stream on the host */
int	 stream_room(const struct stream_host *);
size_t	 stream_rcv_room(const struct stream *);
void	 spkt_free(struct stream_host *, struct spkt *);

/* stream_out.c, stream_send.c */
struct spkt *spkt_new(size_t len);
int	 out_signed(struct stream *, struct stream_pkt *, int64_t now);
int	 out_orphan_reset(struct stream_host *, const uint8_t remote[32],
	    uint32_t send_id, uint32_t seq, uint16_t sport, uint16_t dport);
void	 out_ack(struct stream *, int64_t now);
void	 out_pump(struct stream *, int64_t now);
void	 out_xmit(struct stream *, struct spkt *, int64_t now);
void	 out_pkt_init(struct stream *, struct stream_pkt *, uint32_t seq,
	    uint16_t flags);
void	 out_timers(struct stream *, int64_t now);
int	 out_overdue(const struct stream *, const struct spkt *, int64_t now);
int64_t	 out_next(const struct stream *);
int	 out_wire(struct stream_host *, const uint8_t remote[32],
	    uint16_t sport, uint16_t dport, const uint8_t *, size_t);

/* stream_in.c */
void	 in_syn(struct stream *, const struct stream_pkt *, int64_t now);
void	 in_ack(struct stream *, const struct stream_pkt *, int64_t now);
/* a packet we sent is done with: acknowledged, or given up (our CLOSE) */
void	 in_acked(struct stream *, struct spkt *);
void	 in_known(struct stream *, const uint8_t *, size_t, uint16_t sport,
	    uint16_t dport, const struct i2p_ident *from, int64_t now);

/* stream_syn.c */
void	 syn_input(struct stream_host *, struct stream_pkt *,
	    const uint8_t *, size_t, uint16_t sport, uint16_t dport,
	    const struct i2p_ident *from, int64_t now);
void	 echo_input(struct stream_host *, const struct stream_pkt *,
	    const uint8_t *, size_t, uint16_t sport, uint16_t dport,
	    const struct i2p_ident *from, int64_t now);
uint32_t stream_wallclock(void);

/* stream_limit.c */
int	 limit_syn(struct stream_host *, const uint8_t peer[32], int64_t now);
void	 synq_add(struct stream_host *, const struct stream_pkt *,
	    const uint8_t *, size_t, uint16_t sport, uint16_t dport,
	    const struct i2p_ident *from, int64_t now);
void	 synq_feed(struct stream_host *, struct stream *, int64_t now);
void	 synq_expire(struct stream_host *, int64_t now);
int64_t	 synq_next(const struct stream_host *);

#endif /* I2PRD_TUNNELD_STREAM_INT_H */
