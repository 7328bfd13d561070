/*
 * i2pctl: the control client of i2prd.  Talks to routerd over the control
 * socket with imsgs (IMSG_CTL_*), one request per invocation (show
 * metrics: one per view it gathers, in turn).
 *
 * The program is split so that everything but main() can be linked into
 * the unit tests: parser.c turns argv into a parse_result, client.c
 * connects, sends the request and reads the replies, and output.c /
 * output_json.c / output_metrics.c print them through a struct output of
 * callbacks, as bgpctl does.
 */
#ifndef I2PCTL_H
#define I2PCTL_H

#include <stdint.h>
#include <stdio.h>

#include "imsg.h"
#include "i2prd.h"

/* how long to wait for each reply before giving up */
#define CTL_TIMEOUT_MS		(30 * 1000)
/* reseed fetch: every URL may take the download's whole minute */
#define CTL_FETCH_TIMEOUT_MS	(RESEED_URLS_MAX * 65 * 1000)
/*
 * The suite has PROC_MAX processes; anything far beyond that is a
 * misbehaving daemon, and the replies are kept in a fixed array.
 */
#define CTL_MAXPROCS		64

enum actions {
	NONE,
	SHOW_SUMMARY,
	SHOW_ROUTER,
	SHOW_PEERS,
	SHOW_PEERS_LIMITS,
	SHOW_TRANSPORTS,
	SHOW_NETDB,
	SHOW_NETDB_ROUTER,
	SHOW_NETDB_LEASESET,
	SHOW_FLOODFILL,
	SHOW_TRANSIT,
	SHOW_TUNNELS,
	SHOW_PROFILES,
	SHOW_SAM,
	SHOW_DESTS,
	SHOW_RSESS,
	SHOW_STREAMS,
	SHOW_PROXIES,
	SHOW_METRICS,
	RESEED_IMPORT,
	RESEED_EXPORT,
	RESEED_CERT,
	RESEED_FETCH,
	RELOAD,
	LOG_VERBOSE,
	LOG_BRIEF,
	AB_ADD,			/* addressbook add NAME DEST */
	AB_ADD_REPLACE,		/* ... replace */
	AB_ADD_PRIVATE,		/* ... private */
	AB_ADD_PRIVATE_REPLACE,	/* ... private replace */
	AB_DEL,
	AB_DEL_PRIVATE,
	AB_LOOKUP,
	AB_FETCH,		/* addressbook fetch: every subscription */
	AB_SHOW,		/* every book */
	AB_SHOW_LOCAL,
	AB_SHOW_PRIVATE,
	AB_SHOW_SUBSCRIBED,
	AB_COUNTS		/* the counts alone: show metrics; last (fuzz) */
};

struct parse_result {
	enum actions	 action;
	uint8_t		 hash[32];	/* show netdb router|leaseset */
	const char	*path;		/* reseed import, export */
	int		 fd;		/* reseed export: the temporary file */
	char		 tmppath[4096];
	char		 abname[CTL_AB_NAMESZ];	/* addressbook: the name */
	uint8_t		 abdest[CTL_AB_DEST_MAX];	/* add: the dest */
	size_t		 abdestlen;
};

/*
 * Output back-ends.  The reply loop calls head once before reading,
 * summary/proc/result for each checked reply (strings already known to be
 * NUL-terminated) and tail once the whole answer is in.  Back-ends
 * collect everything and print in tail, so an answer cut short by a
 * protocol error prints nothing rather than half a table or half a JSON
 * document.
 */
struct output {
	void	(*head)(const struct parse_result *);
	void	(*summary)(const struct ctl_summary *);
	void	(*proc)(const struct ctl_proc *);
	void	(*result)(int32_t, const char *);
	void	(*router)(const uint8_t *, size_t);
	void	(*peer)(const struct ctl_peer *);
	void	(*sessions)(const struct ctl_sessions *);
	void	(*transport)(const struct ctl_transport *);
	void	(*netdb)(const struct ctl_netdb *);
	void	(*leaseset)(const uint8_t *, size_t);
	void	(*pem)(const uint8_t *, size_t);
	void	(*transit)(const struct transit_stats *);
	void	(*tunnel)(const struct ctl_tunnel *);
	void	(*pool)(const struct ctl_pool *);	/* a client's */
	void	(*tunnels)(const struct ctl_tunnels *);
	void	(*profile)(const struct ctl_profile *);
	void	(*profiles)(const struct ctl_profiles *);
	void	(*sam_client)(const struct ctl_sam_client *);
	void	(*sam_session)(const struct ctl_sam_session *);
	void	(*sam)(const struct ctl_sam *);
	void	(*dest)(const struct ctl_dest *);
	void	(*rsess)(const struct ctl_rsess *);
	void	(*stream)(const struct ctl_stream *);
	void	(*proxy)(const struct ctl_proxy *);
	void	(*ab_entry)(const struct ctl_ab_entry *);
	void	(*ab_conflict)(const struct ctl_ab_conflict *);
	void	(*ab_sub)(const struct ctl_ab_sub *);
	void	(*ab)(const struct ctl_ab *);
	int	(*tail)(void);		/* 0, or -1 if the answer is bad */
};

/* a back-end that collects the answer (collect_*) and prints in tail */
#define OUTPUT_COLLECTING(tail_fn) {					\
	.head = collect_head, .summary = collect_summary,		\
	.proc = collect_proc, .result = collect_result,			\
	.router = collect_router, .peer = collect_peer,			\
	.sessions = collect_sessions, .netdb = collect_netdb,		\
	.transport = collect_transport,					\
	.leaseset = collect_leaseset, .pem = collect_pem,		\
	.transit = collect_transit, .tunnel = collect_tunnel,		\
	.pool = collect_pool, .tunnels = collect_tunnels,		\
	.profile = collect_profile, .profiles = collect_profiles,	\
	.sam_client = collect_sam_client,				\
	.sam_session = collect_sam_session, .sam = collect_sam,	\
	.dest = collect_dest, .rsess = collect_rsess,			\
	.stream = collect_stream, .proxy = collect_proxy,		\
	.ab_entry = collect_ab_entry,					\
	.ab_conflict = collect_ab_conflict, .ab = collect_ab,		\
	.ab_sub = collect_ab_sub,					\
	.tail = (tail_fn)						\
}
extern const struct output	text_output;
extern const struct output	json_output;
extern const struct output	metrics_output;	/* show metrics, whatever -j */

/* output.c */
/* where tail writes; NULL restores stdout / stderr */
void	 output_setfiles(FILE *out, FILE *err);
FILE	*output_out(void);
FILE	*output_err(void);
/* JSON back-end: 1 (the default) indents, 0 prints one line */
void	 output_json_pretty(int);
/* a copy of s in buf for a terminal: control characters become '?' */
const char *output_safe(const char *, char *, size_t);
/*
 * seconds from since (time(3) from the daemon) to now; 0 for a since
 * not in the past or not positive, so a bad one cannot overflow
 */
int64_t	 output_age(int64_t since, int64_t now);
/* seconds up, never negative */
int64_t	 summary_uptime(const struct ctl_summary *);
/* "HH:MM:SS" below one day, "NdHHhMMm" from one day on */
const char *fmt_timeframe(int64_t, char *, size_t);
void	 print_summary_text(FILE *, const struct ctl_summary *,
	    const struct ctl_proc *, size_t);
void	 print_result_text(FILE *out, FILE *err, int32_t, const char *);

/* the answer collected by the back-ends between head and tail */
struct collected {
	struct ctl_summary	 sum;
	int			 have_sum;
	struct ctl_proc		 procs[CTL_MAXPROCS];
	size_t			 nprocs;
	int			 have_result;
	int32_t			 code;
	char			 msg[sizeof(((struct ctl_result *)0)->msg)];
	int			 asked_router;	/* show router: print even if none */
	int			 have_router;
	uint8_t			 ri[CTL_ROUTER_INFO_MAX];
	size_t			 rilen;
	int			 asked_peers;	/* show peers [limits] */
	int			 asked_limits;
	struct ctl_peer		*peers;		/* grown as they arrive */
	size_t			 npeers;
	int			 have_sessions;	/* netd's limits, after */
	struct ctl_sessions	 sessions;
	int			 asked_transports;	/* show transports */
	struct ctl_transport	*transports;	/* grown as they arrive */
	size_t			 ntransports;
	int			 asked_entry;	/* show netdb router|leaseset */
	int			 asked_leaseset;
	int			 have_leaseset;
	uint8_t			 ls[CTL_LEASESET_MAX];
	size_t			 lslen;
	int			 asked_transit;
	int			 have_transit;
	struct transit_stats	 transit;
	int			 asked_tunnels;
	int			 have_tunnels;
	struct ctl_tunnel	*tunnels;	/* grown as they arrive */
	size_t			 ntunnels;
	struct ctl_tunnels	 pools;
	struct ctl_pool		*clients;	/* grown as they arrive */
	size_t			 nclients;
	int			 asked_profiles;
	int			 have_profiles;
	struct ctl_profile	*profs;		/* grown as they arrive */
	size_t			 nprofs;
	struct ctl_profiles	 profsum;
	int			 asked_pem;	/* reseed certificate */
	int			 have_pem;
	char			 pem[KEY_RESEED_CERT_MAX + 1];
	int			 asked_netdb;	/* SHOW_NETDB or SHOW_FLOODFILL */
	int			 have_netdb;
	struct ctl_netdb	 netdb;
	int			 asked_sam;
	int			 have_sam;	/* the counters, after */
	struct ctl_sam		 sam;
	struct ctl_sam_client	*samclients;	/* grown as they arrive */
	size_t			 nsamclients;
	struct ctl_sam_session	*samsessions;	/* grown as they arrive */
	size_t			 nsamsessions;
	int			 asked_dests;
	struct ctl_dest		*dests;		/* grown as they arrive */
	size_t			 ndests;
	int			 asked_rsess;
	struct ctl_rsess	*rsess;		/* CTL_RSESS_MAX at most */
	size_t			 nrsess;
	int			 asked_streams;
	struct ctl_stream	*streams;	/* CTL_STREAMS_MAX at most */
	size_t			 nstreams;
	int			 asked_proxies;
	struct ctl_proxy	*proxies;	/* PROXIES_MAX at most */
	size_t			 nproxies;
	int			 asked_ab;	/* addressbook show */
	int			 asked_ab_lookup;
	char			 ab_name[CTL_AB_NAMESZ];	/* looked up */
	struct ctl_ab_entry	*abents;	/* CTL_AB_SHOW_MAX at most */
	size_t			 nabents;
	struct ctl_ab_conflict	*abconfl;	/* CTL_AB_CONFLICTS_MAX */
	size_t			 nabconfl;
	struct ctl_ab_sub	*absubs;	/* SUBS_MAX at most */
	size_t			 nabsubs;
	int			 have_ab;	/* the counts, last */
	struct ctl_ab		 ab;
};
const struct collected *collected(void);
void	 collect_head(const struct parse_result *);
void	 collect_summary(const struct ctl_summary *);
void	 collect_proc(const struct ctl_proc *);
void	 collect_result(int32_t, const char *);
void	 collect_router(const uint8_t *, size_t);
void	 collect_peer(const struct ctl_peer *);
void	 collect_sessions(const struct ctl_sessions *);
void	 collect_transport(const struct ctl_transport *);
void	 collect_netdb(const struct ctl_netdb *);
void	 collect_leaseset(const uint8_t *, size_t);
void	 collect_pem(const uint8_t *, size_t);
void	 collect_transit(const struct transit_stats *);
void	 collect_tunnel(const struct ctl_tunnel *);
void	 collect_pool(const struct ctl_pool *);
void	 collect_tunnels(const struct ctl_tunnels *);
void	 collect_profile(const struct ctl_profile *);
void	 collect_profiles(const struct ctl_profiles *);
void	 collect_sam_client(const struct ctl_sam_client *);
void	 collect_sam_session(const struct ctl_sam_session *);
void	 collect_sam(const struct ctl_sam *);
void	 collect_dest(const struct ctl_dest *);
void	 collect_rsess(const struct ctl_rsess *);
void	 collect_stream(const struct ctl_stream *);
void	 collect_proxy(const struct ctl_proxy *);

void	 collect_ab_entry(const struct ctl_ab_entry *);
void	 collect_ab_conflict(const struct ctl_ab_conflict *);
void	 collect_ab_sub(const struct ctl_ab_sub *);
void	 collect_ab(const struct ctl_ab *);

/* output_addrbook.c: addressbook show and lookup */
struct ab_view {
	const struct ctl_ab_entry	*e;
	size_t				 n;
	const struct ctl_ab_conflict	*c;
	size_t				 nc;
	const struct ctl_ab		*sum;
	const struct ctl_ab_sub		*s;
	size_t				 ns;
};
void	 print_ab_text(FILE *, const struct ab_view *, int64_t now);
void	 print_ab_json(FILE *, int, const struct ab_view *, int64_t now);
/* e NULL: the name is in no book */
void	 print_ab_lookup_text(FILE *, FILE *, const char *,
	    const struct ctl_ab_entry *);
void	 print_ab_lookup_json(FILE *, int, const char *,
	    const struct ctl_ab_entry *);

/* output_dests.c: show destinations, show sessions */
void	 print_dests_text(FILE *, const struct ctl_dest *, size_t,
	    int64_t now);
void	 print_dests_json(FILE *, int, const struct ctl_dest *, size_t,
	    int64_t now);
void	 print_rsess_text(FILE *, const struct ctl_rsess *, size_t,
	    int64_t now);
void	 print_rsess_json(FILE *, int, const struct ctl_rsess *, size_t,
	    int64_t now);

/* output_streams.c: show streams */
void	 print_streams_text(FILE *, const struct ctl_stream *, size_t,
	    int64_t now);
void	 print_streams_json(FILE *, int, const struct ctl_stream *, size_t,
	    int64_t now);

/* output_proxies.c: show tunnels clients */
void	 print_proxies_text(FILE *, const struct ctl_proxy *, size_t);
void	 print_proxies_json(FILE *, int, const struct ctl_proxy *, size_t);

/* output_sam.c: show sam */
struct sam_view {
	const struct ctl_sam_client	*clients;
	size_t				 nclients;
	const struct ctl_sam_session	*sessions;
	size_t				 nsessions;
	const struct ctl_sam		*sum;
};
void	 print_sam_text(FILE *, const struct sam_view *, int64_t now);
void	 print_sam_json(FILE *, int, const struct sam_view *, int64_t now);

/* output_profiles.c: show profiles; sorts the rows, tier first */
void	 print_profiles_text(FILE *, struct ctl_profile *, size_t,
	    const struct ctl_profiles *, int64_t now);
void	 print_profiles_json(FILE *, int, struct ctl_profile *, size_t,
	    const struct ctl_profiles *, int64_t now);

/* output_tunnels.c: show tunnels; the tunnels, the client pools, sum */
struct tunnels_view {
	const struct ctl_tunnel	*t;
	size_t			 n;
	const struct ctl_pool	*clients;
	size_t			 nclients;
	const struct ctl_tunnels *sum;
};
void	 print_tunnels_text(FILE *, const struct tunnels_view *);
void	 print_tunnels_json(FILE *, int, const struct tunnels_view *);

/* output_transit.c: show transit */
void	 print_transit_text(FILE *, const struct transit_stats *);
void	 print_transit_json(FILE *, int, const struct transit_stats *);

/* output_leaseset.c: 0, or -1 after saying why the LeaseSet is bad */
int	 print_leaseset_text(FILE *, FILE *, const uint8_t *, size_t);
int	 print_leaseset_json(FILE *, FILE *, int, const uint8_t *, size_t);

/* output_netdb.c: show netdb, show floodfill */
struct ff_warning {			/* what show floodfill warns about */
	uint32_t	 bit;		/* FF_WARN_* */
	const char	*id;		/* JSON and metrics */
	const char	*text;
};
extern const struct ff_warning	ff_warnings[];
extern const size_t		ff_nwarnings;
void	 print_netdb_text(FILE *, const struct ctl_netdb *);
void	 print_netdb_json(FILE *, int, const struct ctl_netdb *);
void	 print_floodfill_text(FILE *, const struct ctl_netdb *);
void	 print_floodfill_json(FILE *, int, const struct ctl_netdb *);

/*
 * output_peers.c: the sessions (text: show peers), netd's limits (text:
 * show peers limits); JSON, both in one document (limits NULL: none came)
 */
void	 print_peers_text(FILE *, const struct ctl_peer *, size_t, int64_t);
void	 print_limits_text(FILE *, const struct ctl_sessions *);
void	 print_peers_json(FILE *, int, const struct ctl_peer *, size_t,
	    const struct ctl_sessions *, int64_t);

/* output_peers.c: our transport addresses (show transports) */
void	 print_transports_text(FILE *, const struct ctl_transport *, size_t,
	    int64_t);
void	 print_transports_json(FILE *, int, const struct ctl_transport *,
	    size_t, int64_t);

/* output_router.c: 0, or -1 after saying why the RouterInfo is bad */
int	 print_router_text(FILE *, FILE *, const uint8_t *, size_t);
int	 print_router_json(FILE *, FILE *, int, const uint8_t *, size_t);

/*
 * output_metrics.c: show metrics, from what the views collected.  The
 * peers, tunnels and profiles rows are summed or left out (no series
 * per router hash).
 */
struct metrics_view {
	const struct ctl_summary	*sum;
	const struct ctl_proc		*procs;
	size_t				 nprocs;
	const struct ctl_peer		*peers;
	size_t				 npeers;
	const struct ctl_sessions	*sessions;
	const struct ctl_netdb		*netdb;
	const struct transit_stats	*transit;
	const struct ctl_tunnels	*pools;		/* the exploratory */
	const struct ctl_pool		*clients;
	size_t				 nclients;
	const struct ctl_profiles	*profiles;
	const struct ctl_sam		*sam;
	const struct ctl_dest		*dests;
	size_t				 ndests;
	const struct ctl_ab		*ab;	/* NULL: no answer */
	const struct ctl_proxy		*proxies;
	size_t				 nproxies;
	const struct ctl_transport	*transports;	/* our addresses */
	size_t				 ntransports;
};
/* 0, or -1 (out of memory) before anything is printed */
int	 print_metrics(FILE *, const struct metrics_view *);
/* the structs read through tables of rows, one row per field */
enum metrics_table {
	MT_SUMMARY, MT_SESSIONS, MT_NETDB, MT_TRANSIT, MT_POOL, MT_PROFILES,
	MT_SAM, MT_CLIENT, MT_DEST, MT_AB, MT_PROXY, MT_COUNT
};
/* how many bytes of its struct a table reads (the unit test's check) */
size_t	 metrics_table_bytes(enum metrics_table);

/* output_json.c */
void	 print_summary_json(FILE *, int, const struct ctl_summary *,
	    const struct ctl_proc *, size_t);
void	 print_result_json(FILE *, int, int32_t, const char *);

/* client.c */
/* connected stream socket, or -1 after a warning */
int	 ctl_connect(const char *);
/* queue and write the request; -1 after a warning */
int	 ctl_send(struct imsgbuf *, const struct parse_result *);
/*
 * Read and print the replies to the request.  0: done and the daemon
 * reports success; 1: the daemon reports failure (its message printed);
 * -1: I/O or protocol error (warned, nothing printed).
 */
int	 ctl_replies(struct imsgbuf *, const struct parse_result *,
	    const struct output *, int);
/*
 * show metrics: ask for each view in turn and read its replies, all
 * into out between one head and one tail; returns as ctl_replies.
 */
int	 ctl_metrics(struct imsgbuf *, const struct output *, int);

#endif /* I2PCTL_H */
