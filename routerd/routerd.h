/*
 * routerd: I2NP, the netDb, tunnels, and the control socket.
 */
#ifndef I2PRD_ROUTERD_H
#define I2PRD_ROUTERD_H

#include "proc.h"

/* summary.c */
void	 routerd_set_procinfo(const struct proc_info *);
void	 routerd_summary(struct ctl_summary *);
/* fills up to PROC_MAX entries; returns how many */
int	 routerd_procs(struct ctl_proc *, int);
/* when the suite started, time(3) */
int64_t	 routerd_started(void);

/* publish.c */
struct router_info;
void	 publish_start(void);
void	 publish_reconf(const struct i2prd_conf *);
void	 publish_dispatch_cryptod(struct imsg *);
void	 publish_shutdown(void);
/* our proposal 162 congestion cap now ('D', 'E', 'G', or 0) */
void	 publish_congestion(char, time_t now);
/* IMSG_NET_REACH: what netd's SSU2 peer tests found, published */
void	 publish_reach(struct imsg *);
/* our signed RouterInfo, NULL until the first is published */
const struct router_info *publish_current(void);

/* netdb.c */
#include <bsd/sys/cdefs.h>
#include <bsd/sys/tree.h>
struct ri_entry {
	RB_ENTRY(ri_entry)	 entry;
	uint8_t			 hash[32];
	uint64_t		 published;
	int			 floodfill;
	int			 ntcp2;		/* has a dialable NTCP2 address */
	int			 ssu2;		/* ... an SSU2 one */
	uint8_t			*raw;
	size_t			 rawlen;
	uint8_t			 rkey[32];	/* routing key for rkey_day */
	uint32_t		 rkey_day;
	uint64_t		 flooded;	/* published of the last flood */
	uint8_t			*gz;		/* raw, gzipped once needed */
	size_t			 gzlen;
	time_t			 written;	/* its file last written */
	int			 dirty;		/* a newer version waits */
	int			 charged;	/* to its sender's share */
	uint16_t		 share_slot;
};
#define NETDB_MAX		20000	/* RouterInfos kept */
/* of a full netDb, what one sender's new routers may take */
#define NETDB_SHARE		(NETDB_MAX / 10)
/*
 * New versions (to verify, to write) a peer may store per second, and
 * all peers together, as DatabaseStores or a session's RouterInfo: a
 * floodfill's neighbours flood a few a second at most.
 */
#define NETDB_STORE_RATE	10
#define NETDB_STORE_BURST	50
#define NETDB_STORE_ALL_RATE	200
#define NETDB_STORE_ALL_BURST	1000
/* s between writes of a RouterInfo whose "published" alone changed */
#define NETDB_REWRITE		(10 * 60)
/* loads the netDb directory; RouterInfos must name this network */
void	 netdb_load(int netid);
/* from: the sender, or NULL for our own (disk, reseed) */
int	 netdb_store(const uint8_t *, size_t, const uint8_t *expect_hash,
	    const uint8_t *from, int persist, const char **why);
/* 1 if from may have a store verified now (a token taken) */
int	 netdb_store_allowed(const uint8_t *from);
/* 1 if from is another router (not NULL, not ourselves) */
int	 netdb_from_peer(const uint8_t *from);
struct netdb_stats;
void	 netdb_stats(struct netdb_stats *);
const struct ri_entry *netdb_get(const uint8_t hash[32]);
/* 1 if netd can dial it: NTCP2, or SSU2 when we run SSU2 */
int	 netdb_dialable(const struct ri_entry *);
/* netdb_store's checks without storing; the publication time, ms */
int	 netdb_verify(const uint8_t *, size_t, uint64_t *published,
	    const char **why);
void	 netdb_foreach(void (*)(const struct ri_entry *, void *), void *);
size_t	 netdb_count(size_t *floodfills);
/*
 * Drops RouterInfos not republished in time (the file too): an hour
 * for a floodfill, which must serve fresh entries; otherwise from 27
 * hours in a small netDb down towards 90 minutes as it grows.  Never
 * below NETDB_MIN_ROUTERS.  now in ms; returns how many went.
 */
#define NETDB_MIN_ROUTERS	90
size_t	 netdb_expire(uint64_t now_ms, int floodfill);
/* the entry's RouterInfo gzipped as DatabaseStore carries it, or NULL */
const uint8_t *netdb_gz(const struct ri_entry *, size_t *);
/* the entry's current version has been flooded */
void	 netdb_flooded(const uint8_t hash[32]);
/*
 * The up to max routers closest to key's routing key today, closest
 * first: floodfills, or with NETDB_NONFF routers that are not; skip()
 * may leave out more (exclusion lists).  Returns how many.
 */
#define NETDB_FF		0
#define NETDB_NONFF		1
struct kad_near;
size_t	 netdb_closest(const uint8_t key[32], int kind,
	    int (*skip)(const uint8_t hash[32], void *), void *arg,
	    struct kad_near *, size_t max);
void	 netdb_shutdown(void);

/* lsdb.c: LeaseSets, in memory */
#define LSDB_MAX		10000
#define LSDB_SHARE		(LSDB_MAX / 10)	/* new ones per sender */
/*
 * 1 kept, 0 not newer, -1 refused (why says it); from: the sender, as
 * for netdb_store; now in s
 */
int	 lsdb_store(uint8_t type, const uint8_t key[32], const uint8_t *,
	    size_t, const uint8_t *from, uint32_t now, const char **why);
/* the unexpired LeaseSet under that key and its store type, or NULL */
const uint8_t *lsdb_get(const uint8_t hash[32], uint32_t now, size_t *,
	    uint8_t *type);
/*
 * lsdb_store's checks of a LeaseSet (key, expiry, signature...) without
 * keeping it or charging a sender; its version (ms) in *version.
 */
int	 lsdb_check(uint8_t type, const uint8_t key[32], const uint8_t *,
	    size_t, uint32_t now, uint64_t *version, const char **why);
int	 lsdb_flood_once(const uint8_t hash[32]);
size_t	 lsdb_expire(uint32_t now);
size_t	 lsdb_count(void);
/* its part of netdb_stats */
void	 lsdb_stats(struct netdb_stats *);
void	 lsdb_shutdown(void);

/* reseed.c: a reseed file from an fd; the outcome in msg */
void	 reseed_certs_begin(void);
void	 reseed_cert(const struct reseed_cert *, size_t);
void	 reseed_certs_end(void);
int	 reseed_import(int fd, char *msg, size_t msglen);
/* HTTPS: a download for the client connid (0: none); its pieces */
void	 reseed_fetch(uint32_t connid);
void	 reseed_data(const uint8_t *, size_t);
void	 reseed_done(const struct net_fetch_done *);
void	 reseed_check(void);
struct reseed_stats;
void	 reseed_stats(struct reseed_stats *);
void	 reseed_shutdown(void);

/* export.c: i2pctl reseed export and reseed certificate */
#define EXPORT_REQID		0x80000000U	/* cryptod request ids */
void	 export_start(uint32_t connid, int fd);
void	 export_cert(uint32_t connid);
void	 export_dispatch_cryptod(struct imsg *);

/* transit.c: other routers' tunnels through us */
struct i2np_hdr;
#define TRANSIT_REQID		0x40000000U	/* cryptod request ids */
void	 transit_build(const uint8_t from[32], const uint8_t *, size_t);
/* VariableTunnelBuild: long records */
void	 transit_build_long(const uint8_t from[32], const uint8_t *, size_t);
void	 transit_data(const uint8_t from[32], const uint8_t *, size_t);
void	 transit_gateway(const uint8_t from[32], const uint8_t *, size_t);
void	 transit_dispatch_cryptod(struct imsg *);
void	 transit_expire(time_t);
/* our proposal 162 congestion cap now ('D', 'E', 'G'), or 0 */
char	 transit_congestion(void);
/* a RouterInfo was stored: deliver what an endpoint held for it */
void	 transit_router_known(const uint8_t hash[32]);
/* 1 if a tunnel message's IV was seen in the last 10-20 minutes */
int	 transit_iv_seen(const uint8_t msg[1024]);
struct transit_stats;
void	 transit_stats(struct transit_stats *);
void	 transit_shutdown(void);

/* tunnels.c: our own tunnels, the exploratory and client pools */
struct tdi;
struct ctl_tunnel;
struct ctl_tunnels;
void	 tunnels_start(void);
void	 tunnels_reconf(const struct i2prd_conf *);
/* each returns 1 if the message was for a tunnel of ours */
int	 tunnels_build_reply(const uint8_t from[32], const struct i2np_hdr *,
	    const uint8_t *);
int	 tunnels_data(const uint8_t from[32], const uint8_t *, size_t);
int	 tunnels_gateway(const uint8_t from[32], const uint8_t *, size_t);
int	 tunnels_status(const uint8_t *, size_t);
/* a message of ours out through an outbound tunnel; -1: none ready */
int	 tunnels_send_out(const struct tdi *, struct i2np_hdr *,
	    const uint8_t *, size_t);
/* an inbound tunnel's gateway and ID for replies; -1: none ready */
int	 tunnels_reply_path(uint8_t gw[32], uint32_t *tunnel_id);
struct ctl_pool;
void	 tunnels_ctl(void (*)(const struct ctl_tunnel *, void *),
	    void (*)(const struct ctl_pool *, void *), struct ctl_tunnels *,
	    void *);
/* tunneld's client pools */
struct pool_open;
struct pool_close;
void	 tunnels_pool_open(const struct pool_open *);
void	 tunnels_pool_close(const struct pool_close *);
void	 tunnels_shutdown(void);

/* peers.c */
void	 peers_local(const struct router_info *);
/* one I2NP message to a router, dialing it if needed; -1: no route */
int	 peers_send(const uint8_t hash[32], uint8_t type, const uint8_t *,
	    size_t);
/* the same with the header's type, message ID and expiration given */
int	 peers_send_hdr(const uint8_t hash[32], struct i2np_hdr *,
	    const uint8_t *, size_t);
void	 peers_i2np_in(struct imsg *);
/* a message as if from a peer: tunnel ends, garlic cloves */
void	 peers_dispatch(const uint8_t from[32], const struct i2np_hdr *,
	    const uint8_t *payload);
/* one down our exploratory tunnels: only replies we wait for; -1 dropped */
int	 peers_dispatch_tunnel(const struct i2np_hdr *, const uint8_t *payload);
void	 peers_session_up(struct imsg *);
void	 peers_session_down(struct imsg *);
void	 peers_peer_ri(struct imsg *);
void	 peers_shutdown(void);
int	 peers_up(void);
/* our dial to it failed lately and no session is up: not a hop */
int	 peers_unreachable(const uint8_t hash[32]);
/* a session is up, or it was used within the hour */
int	 peers_in_use(const uint8_t hash[32]);
/* forgets routers idle for an hour (each dial round); how many went */
size_t	 peers_expire(time_t now);
/* routers remembered */
size_t	 peers_count(void);

/* selfq.c: messages to ourselves, handled from the event loop */
#define SELFQ_MAX_MSGS		1024
#define SELFQ_MAX_BYTES		(4 * 1024 * 1024)
struct i2np_hdr;
struct selfq_stats {
	uint64_t	 queued, delivered;
	uint64_t	 dropped;	/* queue full */
	uint64_t	 peak;		/* most messages waiting at once */
	uint64_t	 waiting;	/* now */
};
typedef void (*selfq_fn)(const struct i2np_hdr *, const uint8_t *);
/* fn handles each message; use_event: from the event loop (0: tests) */
void	 selfq_init(selfq_fn, int use_event);
/* a copy queued; -1 if too large or the queue is full (counted) */
int	 selfq_push(const struct i2np_hdr *, const uint8_t *, size_t);
/* what was queued when called; returns how many were handled */
size_t	 selfq_run(void);
void	 selfq_stats(struct selfq_stats *);
void	 selfq_shutdown(void);

/* announce.c: our RouterInfo to sessions and floodfills */
void	 announce_session(const uint8_t hash[32]);
/* 1 if the DeliveryStatus verified our store */
int	 announce_status(const uint8_t *, size_t);
void	 announce_changed(void);
struct announce_stats;
void	 announce_stats(struct announce_stats *);
void	 announce_shutdown(void);

/* explore.c: lookups we send */
void	 explore_start(void);
void	 explore_dsrm(const uint8_t peer[32], const uint8_t *, size_t);
/* a lookup for a router we do not know, at the closest floodfill */
int	 explore_lookup(const uint8_t hash[32]);
struct explore_stats;
void	 explore_stats(struct explore_stats *);
void	 explore_shutdown(void);

/* floodfill.c */
struct dsm;
void	 floodfill_lookup(const uint8_t peer[32], const uint8_t *, size_t);
/* after a store was parsed; stored as netdb_store returned */
void	 floodfill_stored(const uint8_t peer[32], const struct dsm *,
	    int stored);
/* the netDb and floodfill state for "show netdb" and "show floodfill" */
struct ctl_netdb;
void	 netdb_ctl(struct ctl_netdb *);

/* control.c */
#define CONTROL_MAX_CLIENTS	32
void	 control_listen(int);
void	 control_shutdown(void);
/* a reply from the parent or netd for the client numbered peerid */
void	 control_relay(struct imsg *);
/* answers for a client that may have gone meanwhile */
void	 control_result(uint32_t connid, int code, const char *msg);
void	 control_pem(uint32_t connid, const uint8_t *, size_t);

#endif /* I2PRD_ROUTERD_H */
