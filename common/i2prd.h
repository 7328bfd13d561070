/*
 * Shared by every i2prd program: version, defaults and limits, the
 * process identities, the parsed configuration, and the one enum of imsg
 * types with the fixed structs they carry.
 */
#ifndef I2PRD_H
#define I2PRD_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <bsd/sys/queue.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define I2PRD_VERSION		"0.1.0"

#define I2PRD_USER		"_i2prd"
#define I2PRD_STATEDIR		"/var/lib/i2prd"
#define I2PRD_SOCKET		"/var/run/i2prd.sock"
#define I2PRD_PIDFILE		"/var/run/i2prd.pid"
#define I2PRD_RESEEDDIR		"/etc/i2prd/reseed"	/* trusted su3 signers */
/* I2P's production network id; private networks use 16-254 */
#define I2PRD_NETID_DEFAULT	2

/* every child gets its end of the parent socketpair on this fd */
#define I2PRD_CHILD_FD		3

/* Each child's directory below statedir: its chroot (or cwd without root) */
#define DIR_EMPTY		"empty"		/* netd */
#define DIR_KEYS		"keys"		/* cryptod */
#define DIR_ROUTER		"router"	/* routerd */
#define DIR_CLIENT		"client"	/* tunneld */

#define CONF_STRLEN		256	/* user names, short strings */
#define CONF_PATHLEN		1024

enum proc_id {
	PROC_PARENT,
	PROC_NETD,
	PROC_CRYPTOD,
	PROC_ROUTERD,
	PROC_TUNNELD,
	PROC_CONTROL,		/* an i2pctl client of routerd */
	PROC_MAX
};
#define PROC_CHILD_FIRST	PROC_NETD
#define PROC_CHILD_LAST		PROC_TUNNELD
#define PROC_BIT(p)		(1U << (p))

/* what a "listen on" line carries: TCP for NTCP2, UDP for SSU2 */
enum listen_transport {
	LISTEN_NTCP2 = 0,
	LISTEN_SSU2 = 1
};
struct listen_addr {
	TAILQ_ENTRY(listen_addr)	 entry;
	struct sockaddr_storage		 ss;	/* address and port */
	enum listen_transport		 transport;
};
TAILQ_HEAD(listen_addrs, listen_addr);

/* floodfill lookups RATE burst BURST: defaults and the ceiling */
#define FF_LOOKUP_RATE		20
#define FF_LOOKUP_BURST		60
#define FF_LOOKUP_RATE_MAX	1000000

/* exploratory inbound|outbound length N quantity N */
#define EXPL_LENGTH		2
#define EXPL_QUANTITY		3
#define EXPL_LENGTH_MAX		7
#define EXPL_QUANTITY_MAX	16
#define EXPL_FIXED_GW_MAX	1440	/* minutes an inbound gateway is kept */

/*
 * destination NAME [inbound length N quantity N] [outbound length N
 * quantity N]: a local destination tunneld keeps, with its client
 * tunnels (hops from the fast tier).  Names: letters, digits, '-', '_'
 * and '.', unique; the key behind a name is kept across restarts.
 */
#define DEST_NAME_MAX		31
#define DESTS_MAX		16
#define CLIENT_LENGTH		3
#define CLIENT_QUANTITY		2
int	 dest_name_ok(const char *);

/*
 * The SAM bridge in tunneld: off unless "sam listen on" is given.
 * family 0: off.  The UDP port defaults to the control port - 1.
 */
#define SAM_PORT_DEFAULT	7656
#define SAM_USER_MAX		64
#define SAM_PASSWORD_MAX	128
struct sam_conf {
	uint8_t			 family;	/* 0 off, 4 or 6 */
	uint8_t			 addr[16];
	uint16_t		 port;
	uint16_t		 udp_port;
	char			 user[SAM_USER_MAX + 1];	/* "": no AUTH */
	char			 password[SAM_PASSWORD_MAX + 1];
};
/* 0 if a conf_msg's copy is well-formed */
int	 sam_conf_check(const struct sam_conf *);

/*
 * The tunnel lines of a destination block (destination NAME ... { }):
 * I2PTunnel-style client and server tunnels and proxies, run by
 * tunneld (proxy_*.c).  Client-side kinds listen on addr/port; server
 * kinds connect to it.  Sent to the children one IMSG_RECONF_PROXY each.
 */
#define PROXIES_MAX		64	/* tunnel lines, in all */
#define PROXY_TARGET_MAX	1023	/* a name, b32 or base64 Destination */
#define PROXY_HOST_MAX		255
#define PROXY_ALLOW_MAX		32	/* b32s of one allow list */
#define PROXY_USER_MAX		64
#define PROXY_PASSWORD_MAX	128
/* http proxy and socks proxy lines without "listen on": 127.0.0.1 and */
#define PROXY_HTTP_PORT_DEFAULT	4444
#define PROXY_SOCKS_PORT_DEFAULT 4447
/*
 * http proxy ... jump { "URL" ... }: each URL gets the host name
 * appended on the unknown-host page; bounded so that the line stays a
 * fixed-size imsg
 */
#define PROXY_JUMPS_MAX		8
#define PROXY_JUMP_MAX		255
enum proxy_kind {
	PROXY_CLIENT = 1,	/* client listen on A port N to T [port N] */
	PROXY_SERVER,		/* server to A port N [i2p port N] ... */
	PROXY_IRC_CLIENT,	/* irc client ...: a client, IRC filtered */
	PROXY_IRC_SERVER,	/* irc server ... [webirc password P] */
	PROXY_SOCKS,		/* socks proxy listen on A port N ... */
	PROXY_UDP_CLIENT,	/* udp client listen on A port N to T ... */
	PROXY_UDP_SERVER,	/* udp server to A port N [i2p port N] */
	PROXY_HTTP_SERVER,	/* http server to A port N ... [host H] */
	PROXY_HTTP,		/* http proxy listen on A port N ... */
	PROXY_KIND_LAST = PROXY_HTTP
};
struct proxy_conf {
	char			 dest[DEST_NAME_MAX + 1];	/* its block's */
	uint8_t			 kind;		/* enum proxy_kind */
	uint8_t			 family;	/* 4 or 6 */
	uint8_t			 addr[16];	/* listen on, or to */
	uint16_t		 port;
	/* client: the remote's; proxies: the outproxy's; 0: any */
	uint16_t		 target_port;
	uint16_t		 i2p_port;	/* server: streams to it, 0: any */
	uint16_t		 nallow;	/* 0: anyone may connect */
	/* client: its target; socks, http proxy: the outproxy or "" */
	char			 target[PROXY_TARGET_MAX + 1];
	uint8_t			 allow[PROXY_ALLOW_MAX][32];	/* hashes */
	/* the proxies: with a password; irc server: WEBIRC's alone */
	char			 user[PROXY_USER_MAX + 1];
	char			 password[PROXY_PASSWORD_MAX + 1];
	char			 host[PROXY_HOST_MAX + 1];	/* http server */
	/* http proxy: jumps_set 0 is tunneld's default list */
	uint8_t			 jumps_set;
	uint8_t			 njumps;
	char			 jumps[PROXY_JUMPS_MAX][PROXY_JUMP_MAX + 1];
};
/* 0 if an IMSG_RECONF_PROXY's copy is well-formed */
int	 proxy_conf_check(const struct proxy_conf *);
/* 1 if url (a jump URL in size bytes) is well-formed */
int	 proxy_jump_ok(const char *url, size_t size);
const char *proxy_kind_name(enum proxy_kind);	/* "client", ... */
/* 1 for the kinds that listen, 0 for those that connect out */
int	 proxy_kind_listens(enum proxy_kind);
/* 1 for the kinds of datagrams and UDP, 0 for streams and TCP */
int	 proxy_kind_udp(enum proxy_kind);

/*
 * The address book's subscriptions (addressbook lines of i2prd.conf):
 * hosts.txt feeds tunneld fetches over I2P through one of its HTTP
 * proxy tunnels, as the Java router's address book fetches through
 * its proxy.  Sent to tunneld alone, one IMSG_RECONF_ADDRBOOK.
 */
#define SUBS_MAX		16
#define SUB_URL_MAX		512
#define SUB_EVERY_DEFAULT	720	/* minutes: twice a day, as i2pd */
#define SUB_EVERY_MIN		5
#define SUB_EVERY_MAX		(7 * 24 * 60)
struct addrbook_conf {
	int32_t			 every;		/* minutes between fetches */
	int32_t			 nsubs;
	/* the destination whose http proxy fetches; "": the first one */
	char			 proxy[DEST_NAME_MAX + 1];
	char			 subs[SUBS_MAX][SUB_URL_MAX + 1];
};
/* 0 if an IMSG_RECONF_ADDRBOOK's copy is well-formed */
int	 addrbook_conf_check(const struct addrbook_conf *);
/*
 * A subscription's URL: http://HOST[:PORT]/PATH on an I2P host (the
 * fetch goes over I2P, never out), printable, at most SUB_URL_MAX.
 * 0, or -1 with why.  sub_url_split gives its host (with the port)
 * and path ("/" when it has none).
 */
int	 sub_url_check(const char *, const char **);
int	 sub_url_split(const char *, char *, size_t, const char **,
	    const char **);

struct dest_conf {
	char			 name[DEST_NAME_MAX + 1];
	int32_t			 length[2];	/* TUNNEL_IN, TUNNEL_OUT: */
	int32_t			 quantity[2];	/* as the exploratory limits */
};

/*
 * transit max N; transit builds RATE burst BURST; bandwidth; share.
 * transit max is the one limit on transit tunnels: the parser and
 * confmsg take 0 to TRANSIT_MAX_LIMIT, and routerd caps nothing below
 * what is configured.
 */
#define TRANSIT_MAX_DEFAULT	2500
#define TRANSIT_MAX_LIMIT	50000
#define TRANSIT_BUILD_RATE	10	/* per previous hop per second */
#define TRANSIT_BUILD_BURST	50
#define TRANSIT_BUILD_RATE_MAX	100000
#define BANDWIDTH_MAX		10000000	/* KB/s */
#define SHARE_DEFAULT		80	/* percent */

/*
 * test drop client-tunnel N%: for testing only (issue 15), routerd
 * drops N% of the client tunnels' messages of tunneld's destinations,
 * at random, each way (routerd/loss.c).  0, the default: none.
 */
#define TEST_DROP_MAX		100	/* percent */

/* reseed url "https://...": tried in turn from a random one */
#define RESEED_URLS_MAX		16
#define RESEED_URL_MAX		512
/* CA certificates HTTPS reseeding trusts, by default */
#define I2PRD_RESEED_CA		"/etc/ssl/certs/ca-certificates.crt"

/* reseed signer "ID": a certificate common name such as zzz@mail.i2p */
#define RESEED_SIGNER_MAX	63
int	 reseed_signer_ok(const char *);
int	 id_printable(const char *);	/* also su3 signer IDs, any length */

struct i2prd_conf {
	char			 statedir[CONF_PATHLEN];
	char			 user[CONF_STRLEN];
	char			 csock[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char			 pidfile[CONF_PATHLEN];
	int			 netid;		/* 1-255 */
	int			 floodfill;	/* 0 or 1 */
	int			 ff_lookup_rate;	/* per peer per second */
	int			 ff_lookup_burst;
	int			 expl_in_length, expl_in_quantity;
	int			 expl_out_length, expl_out_quantity;
	int			 expl_fixed_gw;	/* minutes, 0: a new one each time */
	int			 transit_max;	/* tunnels; 0: none */
	int			 transit_rate, transit_burst;
	int			 bandwidth;	/* KB/s, 0: no limit */
	int			 share;		/* percent of it for transit */
	int			 build_long;	/* our builds: long records always */
	int			 log_level;	/* LOG_WARNING, LOG_INFO, LOG_DEBUG */
	int			 test_drop;	/* percent, testing only */
	char			 reseed_certdir[CONF_PATHLEN];	/* parent */
	char			 reseed_signer[RESEED_SIGNER_MAX + 1];	/* "": ours */
	char			 reseed_ca[CONF_PATHLEN];	/* parent */
	char			 reseed_urls[RESEED_URLS_MAX][RESEED_URL_MAX + 1];
	int			 nreseed_urls;	/* the parent's; 0 in children */
	struct dest_conf	 dests[DESTS_MAX];
	int			 ndests;
	struct listen_addrs	 listen;
	struct sam_conf		 sam;
	struct proxy_conf	 proxies[PROXIES_MAX];
	int			 nproxies;
	struct addrbook_conf	 addrbook;
};

/* confmsg.c: the configuration as the parent streams it; -1: invalid */
struct conf_msg;
struct listen_msg;
void	 conf_to_msg(const struct i2prd_conf *, uint32_t generation,
	    struct conf_msg *);
int	 conf_from_msg(struct i2prd_conf *, const struct conf_msg *);
void	 listen_to_msg(const struct sockaddr_storage *, struct listen_msg *);
int	 listen_from_msg(struct sockaddr_storage *, const struct listen_msg *);

/* config.c */
struct i2prd_conf *conf_new(void);	/* defaults filled in */
void	 conf_free(struct i2prd_conf *);
int	 conf_add_listen(struct i2prd_conf *, const struct sockaddr_storage *,
	    enum listen_transport);
/* an IPv4 or IPv6 address's length; 1 if a and b are one host, any port */
socklen_t sockaddr_len(const struct sockaddr_storage *);
int	 sockaddr_same_host(const struct sockaddr_storage *,
	    const struct sockaddr_storage *);
/* appends a copy; -1 if there are PROXIES_MAX already */
int	 conf_add_proxy(struct i2prd_conf *, const struct proxy_conf *);
/* the child's directory (DIR_*) of a process, or NULL for parent */
const char *proc_dir(enum proc_id);
const char *proc_name(enum proc_id);	/* "netd", ... */
const char *proc_progname(enum proc_id);	/* "i2prd-netd", ... */
/* PROC_BIT mask of the children a child has a direct link to */
uint32_t proc_links(enum proc_id);
/* address and port text of a listen address: "198.18.0.1 port 20000" */
const char *listen_str(const struct listen_addr *, char *, size_t);

/* parse.y */
#define PARSE_CHECK_PERMS	0x1	/* refuse group/world writable files */
struct i2prd_conf *parse_config(const char *, int);	/* NULL on error */
int	 cmdline_symset(char *);

/* printconf.c */
void	 print_config(FILE *, const struct i2prd_conf *);

/*
 * imsg types.  The table in msgtab.c gives, for each, who may send it,
 * who may receive it and its payload size; proc_check_imsg() enforces it
 * on every message before its dispatcher looks at it.
 */
enum imsg_type {
	IMSG_NONE = 0,
	/* parent -> child: fd is a socketpair end to peer struct proc_link */
	IMSG_SOCKET_CONN,
	/* parent -> child: every link has been sent */
	IMSG_SOCKET_DONE,
	/* child -> child over a mesh link: first message, proves the link */
	IMSG_MESH_HELLO,
	/* child -> parent: all links are up and hellos exchanged */
	IMSG_CHILD_READY,
	/* parent -> routerd: fd is the listening control socket */
	IMSG_CONTROL_FD,
	/* parent -> routerd: pids and start time of the suite */
	IMSG_PROC_INFO,
	/* parent -> child: configuration, streamed, ended by DONE */
	IMSG_RECONF_CONF,
	IMSG_RECONF_LISTEN,
	IMSG_RECONF_PROXY,
	IMSG_RECONF_ADDRBOOK,
	IMSG_RECONF_DONE,
	/* child -> parent: the new configuration is in place */
	IMSG_RECONF_ACK,
	/* control: i2pctl <-> routerd, some relayed to and from parent */
	IMSG_CTL_SHOW_SUMMARY,
	IMSG_CTL_SUMMARY,
	IMSG_CTL_PROC,
	IMSG_CTL_RELOAD,
	IMSG_CTL_LOG_VERBOSE,
	IMSG_CTL_RESULT,
	IMSG_CTL_END,
	IMSG_CTL_SHOW_ROUTER,		/* -> routerd */
	IMSG_CTL_ROUTER_INFO,		/* <- our RouterInfo as published */
	/*
	 * key custody: requests to cryptod carry public inputs, replies
	 * carry results (public keys, signatures, DH outputs), never a
	 * private key (but SAM's own keys, KEY_DEST_PRIV and _IMPORT
	 * below).  peerid is the requester's request id, echoed.
	 */
	IMSG_KEY_ROUTER_PUB,		/* -> cryptod: router public identity */
	IMSG_KEY_PUB,			/* <- cryptod: struct key_pub */
	IMSG_KEY_SIGN,			/* -> struct key_sign_req + data */
	IMSG_KEY_SIGNATURE,		/* <- struct key_signature */
	IMSG_KEY_DH,			/* -> struct key_dh_req */
	IMSG_KEY_DH_RESULT,		/* <- struct key_dh_result */
	IMSG_KEY_DEST_CREATE,		/* -> new destination key */
	IMSG_KEY_DEST_LIST,		/* -> KEY_PUB per destination, KEY_END */
	IMSG_KEY_DEST_DELETE,		/* -> struct key_id */
	IMSG_KEY_END,			/* <- end of a list, or delete done */
	IMSG_KEY_ERROR,			/* <- struct key_error */
	/*
	 * netd <-> routerd.  I2NP messages travel in batches: a struct
	 * net_peer, then records of a 2-byte big-endian length and an I2NP
	 * message in the 9-byte-header form NTCP2 and SSU2 carry.
	 */
	IMSG_NET_LOCAL,			/* -> netd: our RouterInfo bytes */
	IMSG_NET_DIAL,			/* -> netd: a peer's RouterInfo bytes */
	IMSG_NET_I2NP_OUT,		/* -> netd: batch to a peer */
	IMSG_NET_I2NP_IN,		/* <- netd: batch from a peer */
	IMSG_NET_SESSION_UP,		/* <- netd: struct net_session */
	IMSG_NET_SESSION_DOWN,		/* <- netd: struct net_session_down */
	IMSG_NET_PEER_RI,		/* <- netd: net_peer + peer's RouterInfo */
	IMSG_CTL_SHOW_PEERS,		/* control -> routerd -> netd */
	IMSG_CTL_SHOW_NETDB,		/* control -> routerd */
	IMSG_CTL_NETDB,			/* routerd -> control */
	IMSG_CTL_SHOW_ENTRY,		/* control -> routerd: ctl_entry_req */
	IMSG_CTL_LEASESET,		/* routerd -> control: type, LeaseSet */
	IMSG_CTL_RESEED_IMPORT,		/* control -> routerd: the file's fd */
	IMSG_CTL_PEER,			/* netd -> routerd -> control */
	IMSG_RESEED_CERTS_BEGIN,	/* parent -> routerd: a new set follows */
	IMSG_RESEED_CERT,		/* parent -> routerd: struct reseed_cert */
	IMSG_RESEED_CERTS_END,		/* parent -> routerd: the set is whole */
	IMSG_KEY_RESEED_SIGN,		/* routerd -> cryptod: key_reseed_req */
	IMSG_KEY_RESEED,		/* <- struct key_reseed + certificate */
	IMSG_CTL_RESEED_EXPORT,		/* control -> routerd: the file's fd */
	IMSG_CTL_SHOW_RESEED_CERT,	/* control -> routerd */
	IMSG_CTL_RESEED_PEM,		/* routerd -> control: certificate */
	IMSG_NET_CA_BEGIN,		/* parent -> netd: reseed ca follows */
	IMSG_NET_CA,			/* parent -> netd: one PEM certificate */
	IMSG_NET_CA_END,		/* parent -> netd: the set is whole */
	IMSG_RESEED_REQUEST,		/* routerd -> parent: struct reseed_req */
	IMSG_NET_RESEED_FETCH,		/* parent -> netd: struct net_fetch */
	IMSG_NET_RESEED_DATA,		/* netd -> routerd: body bytes */
	IMSG_NET_RESEED_DONE,		/* netd|parent -> routerd: outcome */
	IMSG_CTL_RESEED_FETCH,		/* control -> routerd */
	IMSG_CTL_SHOW_TRANSIT,		/* control -> routerd */
	IMSG_CTL_TRANSIT,		/* routerd -> control: transit_stats */
	IMSG_CTL_SHOW_TUNNELS,		/* control -> routerd */
	IMSG_CTL_TUNNEL,		/* routerd -> control: ctl_tunnel */
	IMSG_CTL_TUNNELS,		/* routerd -> control: ctl_tunnels, last */
	IMSG_CTL_SHOW_PROFILES,		/* control -> routerd */
	IMSG_CTL_PROFILE,		/* routerd -> control: ctl_profile */
	IMSG_CTL_PROFILES,		/* routerd -> control: ctl_profiles, last */
	/*
	 * tunneld <-> routerd: a destination's client tunnel pools.  routerd
	 * builds them (hops from the fast tier) and says when each tunnel
	 * is ready and when it is gone; OPEN again for the same client
	 * changes lengths and quantities.
	 */
	IMSG_POOL_OPEN,			/* tunneld -> routerd: struct pool_open */
	IMSG_POOL_CLOSE,		/* tunneld -> routerd: struct pool_close */
	IMSG_POOL_TUNNEL,		/* routerd -> tunneld: pool_tunnel */
	IMSG_CTL_POOL,			/* routerd -> control: ctl_pool */
	IMSG_CTL_SESSIONS,		/* netd -> routerd -> control */
	IMSG_KEY_NTCP2_PUB,		/* routerd -> cryptod: NTCP2 static key */
	/*
	 * tunneld <-> routerd: a destination's traffic and its netDb work.
	 * CLIENT_SEND carries a batch of messages for the client's
	 * outbound tunnels to send to remote inbound gateways;
	 * CLIENT_RECV whatever arrived at the end of the client's inbound
	 * tunnels that routerd did not take itself (clientbatch.h).
	 * LS_PUBLISH hands routerd a signed LeaseSet to store at
	 * floodfills through the client's own tunnels and verify;
	 * LS_STATUS says how that went.  LS_LOOKUP asks for a remote
	 * destination's LeaseSet through the client's tunnels; LS_FOUND
	 * answers it, with the LeaseSet (signature checked) or without.
	 */
	IMSG_CLIENT_SEND,		/* tunneld -> routerd: client_batch + recs */
	IMSG_CLIENT_RECV,		/* routerd -> tunneld: client_batch + recs */
	IMSG_LS_PUBLISH,		/* tunneld -> routerd: ls_publish + LS */
	IMSG_LS_STATUS,			/* routerd -> tunneld: ls_status */
	IMSG_LS_LOOKUP,			/* tunneld -> routerd: ls_lookup */
	IMSG_LS_FOUND,			/* routerd -> tunneld: ls_found [+ LS] */
	/*
	 * tunneld <-> cryptod: destination keys for SAM.  The one
	 * deliberate exception to key custody: SAM clients bring or take
	 * their private keys, so DEST_PRIV and DEST_IMPORT carry private
	 * key bytes (privkey in msgtab.c); tunneld passes them on and
	 * wipes them at once.  Answered with KEY_ERROR on refusal; peerid
	 * is the request id, as for every key request.
	 */
	IMSG_KEY_DEST_GENERATE,		/* -> key_dest_new: DEST GENERATE */
	IMSG_KEY_DEST_TRANSIENT,	/* -> key_dest_new: a key in memory */
	IMSG_KEY_DEST_PRIV,		/* <- key_dest + the private key */
	IMSG_KEY_DEST_IMPORT,		/* -> a private key: kept in memory */
	IMSG_KEY_DEST_MADE,		/* <- key_dest + the Destination */
	/*
	 * show sam: routerd passes the request to tunneld, whose answers
	 * (a CLIENT per connection, a SESSION per session, then one SAM
	 * with the counters, then END) it relays to the client.
	 */
	IMSG_CTL_SHOW_SAM,		/* control -> routerd -> tunneld */
	IMSG_CTL_SAM_CLIENT,		/* tunneld -> routerd -> control */
	IMSG_CTL_SAM_SESSION,		/* tunneld -> routerd -> control */
	IMSG_CTL_SAM,			/* tunneld -> routerd -> control */
	/*
	 * show destinations, show sessions: routerd passes the request to
	 * tunneld, which answers with a DEST per local destination (an
	 * RSESS per ratchet session, at most CTL_RSESS_MAX), then END.
	 */
	IMSG_CTL_SHOW_DESTS,		/* control -> routerd -> tunneld */
	IMSG_CTL_DEST,			/* tunneld -> routerd -> control */
	IMSG_CTL_SHOW_RSESS,		/* control -> routerd -> tunneld */
	IMSG_CTL_RSESS,			/* tunneld -> routerd -> control */
	/*
	 * show streams: the same way, a STREAM per stream of every local
	 * destination (at most CTL_STREAMS_MAX), then END.
	 */
	IMSG_CTL_SHOW_STREAMS,		/* control -> routerd -> tunneld */
	IMSG_CTL_STREAM,		/* tunneld -> routerd -> control */
	/* show tunnels clients: a PROXY per tunnel line, then END */
	IMSG_CTL_SHOW_PROXIES,		/* control -> routerd -> tunneld */
	IMSG_CTL_PROXY,			/* tunneld -> routerd -> control */
	/*
	 * addressbook: routerd passes each request to tunneld.  ADD and
	 * DEL are answered by a RESULT; LOOKUP by an AB_ENTRY if a book
	 * has the name, then END; SHOW by an AB_ENTRY per name of the
	 * books asked (CTL_AB_SHOW_MAX at most), an AB_CONFLICT per
	 * conflict kept, the counts (AB), then END.
	 */
	IMSG_CTL_AB_ADD,		/* control -> routerd -> tunneld */
	IMSG_CTL_AB_DEL,		/* control -> routerd -> tunneld */
	IMSG_CTL_AB_LOOKUP,		/* control -> routerd -> tunneld */
	IMSG_CTL_SHOW_AB,		/* control -> routerd -> tunneld */
	IMSG_CTL_AB_ENTRY,		/* tunneld -> routerd -> control */
	IMSG_CTL_AB_CONFLICT,		/* tunneld -> routerd -> control */
	IMSG_CTL_AB,			/* tunneld -> routerd -> control */
	/*
	 * addressbook fetch: every subscription now, answered by a
	 * RESULT; show addressbook sends an AB_SUB per subscription
	 * before the counts.
	 */
	IMSG_CTL_AB_FETCH,		/* control -> routerd -> tunneld */
	IMSG_CTL_AB_SUB,		/* tunneld -> routerd -> control */
	IMSG_NET_REACH,			/* <- netd: struct net_reach */
	/* show transports: with show peers' answer, before SESSIONS */
	IMSG_CTL_TRANSPORT,		/* netd -> routerd -> control */
	IMSG_MAX
};

/* payloads.  Strings are fixed arrays that must be NUL-terminated. */

struct proc_link {			/* IMSG_SOCKET_CONN */
	uint32_t	 peer;		/* enum proc_id at the other end */
};

struct mesh_hello {			/* IMSG_MESH_HELLO */
	uint32_t	 from;		/* enum proc_id of the sender */
	uint32_t	 pid;
};

struct proc_info {			/* IMSG_PROC_INFO */
	int64_t		 started;	/* time(3) when the parent started */
	int32_t		 pids[PROC_MAX];/* PROC_CONTROL unused (0) */
};

struct conf_msg {			/* IMSG_RECONF_CONF */
	char		 statedir[CONF_PATHLEN];
	char		 user[CONF_STRLEN];
	char		 csock[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char		 pidfile[CONF_PATHLEN];
	int32_t		 netid;
	int32_t		 floodfill;
	int32_t		 ff_lookup_rate;
	int32_t		 ff_lookup_burst;
	int32_t		 expl_length[2];	/* inbound, outbound */
	int32_t		 expl_quantity[2];
	int32_t		 expl_fixed_gw;
	int32_t		 transit_max;
	int32_t		 transit_rate, transit_burst;
	int32_t		 bandwidth, share;
	int32_t		 build_long;
	int32_t		 log_level;
	int32_t		 test_drop;	/* percent, testing only */
	char		 reseed_signer[RESEED_SIGNER_MAX + 1];
	struct dest_conf dests[DESTS_MAX];
	int32_t		 ndests;
	struct sam_conf	 sam;
	uint32_t	 generation;	/* counts reloads, 0 at start */
};

struct listen_msg {			/* IMSG_RECONF_LISTEN */
	uint8_t		 family;	/* 4 or 6 */
	uint8_t		 addr[16];
	uint8_t		 transport;	/* enum listen_transport */
	uint16_t	 port;
};

struct ctl_summary {			/* IMSG_CTL_SUMMARY */
	char		 version[32];
	char		 router_hash[48];	/* base64; "" until published */
	char		 caps[16];
	char		 statedir[CONF_PATHLEN];
	char		 log_level[16];
	int64_t		 started;
	int64_t		 now;
	int32_t		 netid;
	int32_t		 floodfill;
	uint32_t	 generation;
	/* "test drop client-tunnel": percent, and what it dropped so far */
	int32_t		 test_drop;
	uint64_t	 test_dropped_out, test_dropped_in;
};

/* the floodfill service's counters, since start */
struct ff_stats {
	uint64_t	 lookups_in;		/* DatabaseLookups received */
	uint64_t	 lookups_answered;	/* with the entry */
	uint64_t	 lookups_not_found;	/* with a search reply */
	uint64_t	 drop_not_floodfill;	/* we are not one */
	uint64_t	 drop_malformed;
	uint64_t	 drop_rate;		/* the peer's bucket was empty */
	uint64_t	 replies_aes;		/* under an ElGamal/AES tag */
	uint64_t	 reply_no_route;	/* no session, RouterInfo unknown */
	uint64_t	 stores_in;		/* DatabaseStores, as floodfill */
	uint64_t	 stores_acked;		/* DeliveryStatus sent */
	uint64_t	 stores_flooded;	/* stores sent on to floodfills */
};

/* what the netDb refused or put off for its own protection */
struct netdb_stats {
	uint64_t	 stores_throttled;	/* over the sender's rate */
	uint64_t	 stores_throttled_all;	/* over all senders' rate */
	uint64_t	 writes_deferred;	/* only "published" changed:
						   written later */
	uint64_t	 ri_evicted;		/* full: the oldest unused went */
	uint64_t	 ri_refused_share;	/* full, sender over its share */
	uint64_t	 ri_refused_full;	/* every router in use */
	uint64_t	 ls_evicted;		/* full: the oldest went */
	uint64_t	 ls_refused_share;	/* sender over its share */
};

/* publishing our RouterInfo to floodfills (routerd/announce.c) */
struct announce_stats {
	uint64_t	 sent;		/* stores with a reply token */
	uint64_t	 verified;	/* answered by a DeliveryStatus */
	uint64_t	 timeouts;	/* unanswered: next floodfill tried */
	int64_t		 last_verified;	/* time(3), 0 if never */
	uint64_t	 tunneled;	/* of sent: through our tunnels */
};

/* lookups we send (routerd/explore.c) */
struct explore_stats {
	uint64_t	 explorations;	/* exploratory lookups sent */
	uint64_t	 search_replies;	/* DatabaseSearchReplies received */
	uint64_t	 search_replies_unasked;	/* of those, to no lookup
						   of ours: dropped */
	uint64_t	 lookups_sent;	/* RouterInfo lookups for new routers */
	uint64_t	 tunneled;	/* lookups through our tunnels */
};

/* what "show floodfill" warns about (the sensible part of the Java
 * router's floodfill checks) */
#define FF_WARN_UNREACHABLE	0x01	/* no listen address: caps U */
#define FF_WARN_FEW_ROUTERS	0x02	/* under FF_MIN_ROUTERS known */
#define FF_WARN_FEW_FLOODFILLS	0x04	/* under FF_MIN_FLOODFILLS to flood */
#define FF_WARN_NO_SESSIONS	0x08	/* no transport session up */
#define FF_WARN_YOUNG		0x10	/* up under FF_MIN_UPTIME */
#define FF_MIN_ROUTERS		100
#define FF_MIN_FLOODFILLS	3
#define FF_MIN_UPTIME		(2 * 3600)

/* transit tunnels (routerd/transit.c) */
#define TRANSIT_PARTICIPANT	0
#define TRANSIT_IBGW		1
#define TRANSIT_OBEP		2
struct transit_stats {
	uint64_t	 active[3];	/* tunnels now, by role */
	uint64_t	 accepted[3];	/* builds accepted, by role */
	uint64_t	 builds_in;	/* ShortTunnelBuilds with a record */
	uint64_t	 builds_rejected;	/* refused: limits, time, ID */
	uint64_t	 builds_malformed;	/* not for us, undecryptable */
	uint64_t	 builds_replayed;	/* ephemeral key seen before */
	uint64_t	 builds_dropped;	/* too many waiting for cryptod */
	uint64_t	 builds_throttled;	/* the previous hop over its
					   budget of records to decrypt */
	uint64_t	 builds_unroutable;	/* could not be sent on */
	uint64_t	 data_in;	/* TunnelData received */
	uint64_t	 gateway_in;	/* TunnelGateway received */
	uint64_t	 data_out;	/* TunnelData sent on */
	uint64_t	 delivered;	/* endpoint: messages sent on */
	uint64_t	 data_dropped;	/* unknown tunnel, wrong hop, IV seen,
					   malformed, over the bandwidth share */
	/* builds refused, by reason (each answered with code 30) */
	uint64_t	 refused_limit;	/* transit max reached */
	uint64_t	 refused_rate;	/* the previous hop over its rate */
	uint64_t	 refused_bandwidth;	/* the share used up */
	uint64_t	 refused_time;	/* request time off */
	uint64_t	 refused_id;	/* receive tunnel ID in use */
	uint64_t	 refused_loop;	/* next hop ourselves, not an endpoint */
	uint64_t	 refused_share;	/* the previous hop holds its share */
	uint64_t	 dropped_bandwidth;	/* of data_dropped */
	uint64_t	 held;		/* endpoint: held while the router it
					   goes to is looked up */
	uint64_t	 held_sent;	/* of those, sent on once found */
	uint64_t	 self_delivered;	/* sent to ourselves (a tunnel's
					   next hop), handled in turn */
	uint64_t	 self_dropped;	/* those over the queue's bounds */
	uint64_t	 reasm_bytes;	/* held for reassembly now, all tunnels
					   (ours too) */
	uint64_t	 reasm_dropped;	/* fragments over the global budget */
	uint32_t	 max;		/* transit max */
	uint32_t	 load;		/* percent of the share used lately */
	uint64_t	 share;		/* bytes/s for transit, 0: no limit */
	char		 congestion[2];	/* our proposal 162 cap, or "" */
	uint8_t		 pad[6];
};

/* our tunnels (routerd/tunnels.c) */
#define TUNNEL_IN		0
#define TUNNEL_OUT		1
#define TUNNEL_BUILDING		0
#define TUNNEL_READY		1
#define TUNNEL_HOPS_MAX		7

struct pool_stats {
	uint32_t	 length, quantity;	/* configured */
	uint32_t	 ready, building;	/* now */
	uint64_t	 builds;	/* build messages sent */
	uint64_t	 built;		/* every hop accepted */
	uint64_t	 refused;	/* some hop refused */
	uint64_t	 timeouts;	/* no reply in time */
	uint64_t	 bad_reply;	/* a reply that did not open */
	uint64_t	 no_hops;	/* not enough usable routers */
	uint64_t	 unroutable;	/* the build could not be sent */
	uint64_t	 expired;	/* lived their ten minutes */
	uint64_t	 tests_ok, tests_failed;
	uint64_t	 dropped;	/* inbound: messages dropped at our end */
	uint64_t	 unwanted;	/* of those, exploratory: not a reply
					   we wait for (audit #3) */
	uint64_t	 builds_garlic;	/* inbound: sent through an outbound
					   tunnel as garlic to the gateway */
	uint64_t	 built_garlic;	/* of those, built */
	uint64_t	 builds_long;	/* with long records */
	uint64_t	 built_long;	/* of those, built */
	uint32_t	 lat_p50, lat_p90;	/* build latency, ms, last 64 */
	uint32_t	 rtt_p50, rtt_p90;	/* test round trip, ms, last 64 */
	uint64_t	 hop_tiers[4];	/* hops picked, by their tier then
					   (fast, high capacity, not failing,
					   failing) */
};

struct ctl_tunnel {			/* IMSG_CTL_TUNNEL */
	uint32_t	 serial;	/* ours, for the table */
	uint32_t	 client;	/* 0: exploratory, else ctl_pool's */
	uint8_t		 dir;		/* TUNNEL_IN, TUNNEL_OUT */
	uint8_t		 state;		/* TUNNEL_BUILDING, TUNNEL_READY */
	uint8_t		 nhops;
	uint8_t		 pad;
	uint8_t		 hops[TUNNEL_HOPS_MAX][32];	/* gateway first */
	uint32_t	 hop_ids[TUNNEL_HOPS_MAX];	/* receive IDs */
	uint32_t	 end_id;	/* inbound: ours at the end */
	int64_t		 age;		/* s since the build went out */
	int64_t		 build_ms;	/* ready: build latency */
	uint64_t	 msgs, bytes;
	uint32_t	 tests_ok, tests_failed;
};

struct pool_open {			/* IMSG_POOL_OPEN */
	uint32_t	 client;	/* tunneld's: the destination's key id */
	uint8_t		 dest[32];	/* the destination's hash */
	char		 name[DEST_NAME_MAX + 1];
	int32_t		 length[2];	/* TUNNEL_IN, TUNNEL_OUT */
	int32_t		 quantity[2];
};

struct pool_close {			/* IMSG_POOL_CLOSE */
	uint32_t	 client;
};

struct pool_tunnel {			/* IMSG_POOL_TUNNEL */
	uint32_t	 client;
	uint32_t	 serial;	/* routerd's, as in show tunnels */
	uint8_t		 dir;		/* TUNNEL_IN, TUNNEL_OUT */
	uint8_t		 up;		/* 1: ready, 0: gone */
	uint8_t		 pad[2];
	uint8_t		 gateway[32];	/* inbound: the lease's gateway */
	uint32_t	 gateway_id;	/* inbound: its tunnel ID there */
	int64_t		 expires;	/* time(3) */
};

/* tunneld <-> routerd: a destination's traffic (see clientbatch.h) */
#define MAX_IMSGSIZE_CLIENT	(128 * 1024)
#define CLIENT_BATCH_MAX	(MAX_IMSGSIZE_CLIENT - \
				    sizeof(struct client_batch))

struct client_batch {			/* heads CLIENT_SEND, CLIENT_RECV */
	uint32_t	 client;	/* the destination's key id */
};

/* a LeaseSet as a DatabaseStore carries it, at most */
#define LS_MAX			4096

enum ls_state {
	LS_STORED = 1,		/* a floodfill acknowledged the store */
	LS_VERIFIED,		/* another floodfill has it: the lookup found it */
	LS_FAILED,		/* no floodfill took it: routerd tries others */
};

struct ls_publish {			/* IMSG_LS_PUBLISH, the LeaseSet follows */
	uint32_t	 client;
	uint8_t		 type;		/* DatabaseStore type: 3 (LeaseSet2) */
	uint8_t		 pad[3];
	uint8_t		 key[32];	/* the destination's hash */
	uint32_t	 published;	/* the LeaseSet's own, s */
};

struct ls_status {			/* IMSG_LS_STATUS */
	uint32_t	 client;
	uint32_t	 published;	/* of the LeaseSet this is about */
	uint8_t		 state;		/* enum ls_state */
	uint8_t		 pad[3];
	uint8_t		 floodfill[32];	/* the one that stored or had it */
};

struct ls_lookup {			/* IMSG_LS_LOOKUP */
	uint32_t	 client;	/* whose tunnels look */
	uint32_t	 reqid;		/* tunneld's, echoed in LS_FOUND */
	uint8_t		 key[32];	/* the remote destination's hash */
};

struct ls_found {			/* IMSG_LS_FOUND, LeaseSet if type != 0 */
	uint32_t	 client;
	uint32_t	 reqid;
	uint8_t		 key[32];
	uint8_t		 type;		/* DatabaseStore type; 0: not found */
	uint8_t		 pad[3];
	uint32_t	 floodfills;	/* asked */
};

/* what routerd did for one client (routerd/client.c, clientdb.c) */
struct client_stats {
	uint64_t	 msgs_out, bytes_out;
	uint64_t	 no_tunnel;	/* CLIENT_SEND records without one */
	uint64_t	 msgs_in, bytes_in;
	uint64_t	 dropped_in;	/* tunneld's queue too long */
	uint64_t	 test_drop_out;	/* "test drop client-tunnel": out */
	uint64_t	 test_drop_in;	/* and in */
	uint64_t	 stores, store_acks;
	uint64_t	 verify_ok, verify_failed;
	uint64_t	 lookups, found, not_found;
};

struct ctl_pool {			/* IMSG_CTL_POOL: a client's pools */
	uint32_t	 client;
	uint8_t		 dest[32];
	char		 name[DEST_NAME_MAX + 1];
	struct pool_stats pools[2];	/* TUNNEL_IN, TUNNEL_OUT */
	struct client_stats cs;
};

struct ctl_tunnels {			/* IMSG_CTL_TUNNELS */
	struct pool_stats pools[2];	/* TUNNEL_IN, TUNNEL_OUT */
};

/* peer profiles (routerd/profile.c); tiers as enum profile_tier */
#define CTL_TIERS		4
struct ctl_profile {			/* IMSG_CTL_PROFILE */
	uint8_t		 hash[32];
	uint8_t		 tier;		/* 0 fast .. 3 failing */
	uint8_t		 pad[3];
	uint32_t	 agreed, refused, no_reply;
	uint32_t	 tests_ok, tests_failed;
	uint32_t	 lat_ms;	/* average build latency, 0: none */
	int64_t		 capacity;
	int64_t		 last_seen, last_fail;	/* time(3), 0: never */
};

struct ctl_profiles {			/* IMSG_CTL_PROFILES */
	int64_t		 cap_threshold;	/* high capacity from here */
	uint32_t	 lat_threshold;	/* fast up to here, ms */
	uint32_t	 pad;
	uint64_t	 tiers[CTL_TIERS];	/* peers in each */
};

struct reseed_stats {
	int64_t		 last;		/* time(3) of the last reseed, or 0 */
	int32_t		 ok;		/* it imported the file */
	uint32_t	 signers;	/* su3 signers trusted */
	char		 msg[160];	/* its outcome, NUL-terminated */
};

/* Garlic to our router (routerd/garlic.c) */
struct garlic_stats {
	uint64_t	 in;		/* Garlic messages received */
	uint64_t	 tagged;	/* opened under a tag we gave */
	uint64_t	 router;	/* opened with our router key */
	uint64_t	 dropped;	/* malformed, stale, replayed, busy */
	uint64_t	 throttled;	/* the sender over its DH budget */
};

struct ctl_netdb {			/* IMSG_CTL_NETDB */
	uint64_t	 routers;	/* RouterInfos held, ours not counted */
	uint64_t	 floodfills;	/* of which floodfills */
	uint64_t	 leasesets;	/* LeaseSets held (in memory) */
	uint8_t		 our_rkey[32];	/* our routing key today */
	uint32_t	 rkey_day;	/* yyyymmdd, UTC */
	int32_t		 floodfill;	/* we serve as one */
	uint32_t	 warnings;	/* FF_WARN_* */
	uint32_t	 lookup_rate;	/* per peer per second */
	uint32_t	 lookup_burst;
	uint32_t	 netdb_max;	/* RouterInfos kept at most */
	struct netdb_stats db;
	struct ff_stats	 ff;
	struct announce_stats announce;
	struct explore_stats explore;
	struct reseed_stats reseed;
	struct garlic_stats garlic;
};

/* IMSG_CTL_ROUTER_INFO carries the RouterInfo's bytes, at most: */
#define CTL_ROUTER_INFO_MAX	3072
/*
 * IMSG_CTL_LEASESET carries the DatabaseStore type of a LeaseSet, then
 * its bytes (at most 3072), at most:
 */
#define CTL_LEASESET_MAX	(1 + 3072)

#define CTL_ENTRY_ROUTER	0
#define CTL_ENTRY_LEASESET	1
struct ctl_entry_req {			/* IMSG_CTL_SHOW_ENTRY */
	uint8_t		 hash[32];
	int32_t		 kind;		/* CTL_ENTRY_* */
};

struct ctl_proc {			/* IMSG_CTL_PROC */
	char		 name[32];
	int32_t		 pid;
};

struct ctl_log_verbose {		/* IMSG_CTL_LOG_VERBOSE */
	int32_t		 verbose;	/* 1: debug; 0: the configured level */
};

struct ctl_result {			/* IMSG_CTL_RESULT */
	int32_t		 code;		/* 0 ok, else failed */
	char		 msg[256];
};

/* a reseed signer's certificate file, as the parent read it */
#define RESEED_CERT_MAX		16384
struct reseed_cert {			/* IMSG_RESEED_CERT, PEM follows */
	char		 name[64];	/* the file's name, for the log */
	uint8_t		 pem[];
};

/* HTTPS reseeding: routerd asks, the parent resolves, netd downloads */
#define NET_FETCH_ADDRS		4
#define NET_CA_MAX		16384	/* one PEM certificate */
struct reseed_req {			/* IMSG_RESEED_REQUEST */
	uint32_t	 attempt;	/* 0, 1...: the URLs in turn */
};

struct net_fetch {			/* IMSG_NET_RESEED_FETCH */
	char		 host[254];
	uint16_t	 port;
	char		 path[448];	/* with i2pseeds.su3?netid=N */
	uint32_t	 naddrs;
	struct listen_msg addrs[NET_FETCH_ADDRS];
};

#define NET_FETCH_NONE		2	/* code: no reseed url configured */
struct net_fetch_done {			/* IMSG_NET_RESEED_DONE */
	int32_t		 code;		/* 0: the body came; 1 failed */
	int32_t		 last;		/* parent: no URL left to try */
	char		 msg[200];
};

/* key custody (cryptod) */
#define KEYID_ROUTER		0	/* the router identity */
#define KEYID_NTCP2		0xffffffffU	/* the NTCP2 static key */
					/* any other: a destination */
#define KEY_SIGN_MAX		(64 * 1024)	/* bytes one request may sign */
/*
 * What netd may sign with the router key: SSU2 peer test data, which
 * begins with this prologue (ssu2.rst "Peer Test").  Our RouterInfo
 * begins with our own public key, never these bytes, so a compromised
 * netd cannot make cryptod sign a RouterInfo or anything routerd signs.
 */
#define KEY_SIGN_PEERTEST	"PeerTestValidate"
#define KEY_SIGN_PEERTEST_LEN	16

struct key_id {				/* IMSG_KEY_DEST_DELETE */
	uint32_t	 keyid;
};

struct key_pub {			/* IMSG_KEY_PUB */
	uint32_t	 keyid;
	uint16_t	 sigtype;	/* 7: Ed25519 */
	uint16_t	 cryptotype;	/* 4: X25519 */
	uint8_t		 sign_pub[32];
	uint8_t		 crypto_pub[32];
	uint8_t		 padding[32];	/* the identity's repeated block */
};

struct key_sign_req {			/* IMSG_KEY_SIGN, data follows */
	uint32_t	 keyid;
};

struct key_signature {			/* IMSG_KEY_SIGNATURE */
	uint32_t	 keyid;
	uint8_t		 sig[64];
};

struct key_dh_req {			/* IMSG_KEY_DH */
	uint32_t	 keyid;
	uint8_t		 peer_pub[32];
};

struct key_dh_result {			/* IMSG_KEY_DH_RESULT */
	uint32_t	 keyid;
	uint8_t		 shared[32];	/* a session secret, not a key we hold */
};

enum key_errcode {
	KEY_ERR_UNKNOWN_KEY = 1,	/* no such key id */
	KEY_ERR_NOT_ALLOWED,		/* that process may not use that key */
	KEY_ERR_BAD_REQUEST,		/* malformed request */
	KEY_ERR_CRYPTO,			/* the operation failed (e.g. DH = 0) */
	KEY_ERR_STORAGE,		/* could not write or remove a key file */
	KEY_ERR_BAD_KEY,		/* a private key malformed or not matching */
	KEY_ERR_UNSUPPORTED,		/* a signature or crypto type we lack */
	KEY_ERR_LIMIT,			/* too many keys, or asked too fast */
};

/*
 * Transient destination keys (SAM): in cryptod's memory only, with ids
 * from KEYID_TRANSIENT_MIN up, never given twice while cryptod runs;
 * persistent destination keys stay below it.
 */
#define KEYID_TRANSIENT_MIN	0x80000000U
#define KEY_TRANSIENT_MAX	256	/* held at once */
#define KEY_PRIV_MAX		1024	/* private key bytes a message carries */
#define KEY_DEST_MAX		512	/* Destination bytes, likewise */

struct key_dest_new {			/* IMSG_KEY_DEST_GENERATE, _TRANSIENT */
	uint16_t	 sigtype;	/* 7 (Ed25519) only */
	uint16_t	 cryptotype;	/* the certificate's: 0 (SAM's) or 4 */
};

/*
 * IMSG_KEY_DEST_PRIV: then the private key (privkey.h); IMSG_KEY_DEST_MADE:
 * then the Destination.
 */
struct key_dest {
	uint32_t	 keyid;		/* the transient key; 0 after GENERATE:
					   cryptod keeps no copy */
	uint16_t	 sigtype;	/* 7 */
	uint16_t	 cryptotype;	/* the Destination's certificate's */
	uint8_t		 ls_pub[32];	/* X25519 for LeaseSet2 and KEY_DH */
};

/* the reseed signing key (routerd only) */
#define KEY_RESEED_CERT_MAX	8192	/* certificate PEM bytes */
struct key_reseed_req {			/* IMSG_KEY_RESEED_SIGN */
	char		 signer[RESEED_SIGNER_MAX + 1];
	int32_t		 sign;		/* 0: the certificate only */
	uint8_t		 digest[64];	/* SHA-512 of the su3 to sign */
};

struct key_reseed {			/* IMSG_KEY_RESEED, PEM follows */
	uint8_t		 sig[512];	/* zero when not asked to sign */
};

struct key_error {			/* IMSG_KEY_ERROR */
	uint32_t	 keyid;
	uint32_t	 code;		/* enum key_errcode */
	char		 msg[128];
};

/* netd <-> routerd */
#define NET_RI_MAX		3072	/* RouterInfo bytes in one message */
#define NET_BATCH_MAX		(MAX_IMSGSIZE_NET - sizeof(struct net_peer))
#define MAX_IMSGSIZE_NET	(128 * 1024)

struct net_peer {			/* heads I2NP batches and NET_PEER_RI */
	uint8_t		 hash[32];	/* the peer's router hash */
};

struct net_session {			/* IMSG_NET_SESSION_UP */
	uint8_t		 hash[32];
	uint8_t		 inbound;	/* 1: the peer dialled us */
	uint8_t		 family;	/* 4 or 6 */
	uint8_t		 addr[16];
	uint16_t	 port;
};

enum net_down_reason {
	NET_DOWN_CLOSED = 1,		/* orderly, by either side */
	NET_DOWN_IDLE,			/* idle timeout */
	NET_DOWN_ERROR,			/* protocol error: see termination */
	NET_DOWN_DIAL_FAILED,		/* never came up */
};

/* what SSU2 peer tests found of one address family (netd's news) */
enum net_reach_state {
	NET_REACH_UNKNOWN,
	NET_REACH_OK,
	NET_REACH_FIREWALLED
};
struct net_reach {			/* IMSG_NET_REACH */
	uint8_t		 family;	/* 4 or 6 */
	uint8_t		 reach;		/* enum net_reach_state */
};

struct net_session_down {		/* IMSG_NET_SESSION_DOWN */
	uint8_t		 hash[32];
	uint32_t	 reason;	/* enum net_down_reason */
	uint32_t	 termination;	/* NTCP2 reason code, 0 if none */
};

struct ctl_peer {			/* IMSG_CTL_PEER */
	char		 hash[48];	/* base64 */
	char		 addr[64];	/* "198.18.0.1:20000" */
	char		 transport[8];	/* "NTCP2", "SSU2" */
	uint8_t		 inbound;
	int64_t		 established;	/* time(3) */
	uint64_t	 bytes_in, bytes_out;
	uint64_t	 msgs_in, msgs_out;
	/* SSU2's; 0 for NTCP2 (TCP keeps its own) */
	uint32_t	 rtt_ms, cwnd;	/* smoothed RTT; window, packets */
	uint32_t	 mtu;		/* largest packet we send */
	uint32_t	 inflight;	/* packets not yet ACKed */
	uint64_t	 resends;	/* packets sent again */
};

/* netd's session table and what its limits refused, after the peers */
/* one of our transport addresses and what peer tests found of it */
struct ctl_transport {			/* IMSG_CTL_TRANSPORT */
	char		 transport[8];	/* "SSU2" */
	char		 addr[64];	/* "198.18.0.10:20000" */
	uint8_t		 reach;		/* enum net_reach_state */
	uint8_t		 pad[7];
	int64_t		 reach_when;	/* time(3) of the result; 0: none */
	uint64_t	 pt_run;	/* tests we began, as Alice */
	uint64_t	 pt_charlie;	/* tests we accepted, as Charlie */
	/* messages 1 and 3 to us as Bob: not answered yet */
	uint64_t	 pt_ignored;
};

struct ctl_sessions {			/* IMSG_CTL_SESSIONS */
	uint32_t	 sessions;	/* in any state */
	uint32_t	 max;		/* slots, from the descriptor limit */
	uint32_t	 reserve;	/* of max, for our dials only */
	uint32_t	 hs_in, hs_out;	/* handshakes in progress */
	uint32_t	 pad;
	uint64_t	 nofile;	/* netd's descriptor limit */
	/* inbound connections (or sessions) refused, by limit */
	uint64_t	 refused_slots;	/* all slots but the reserve taken */
	uint64_t	 refused_hs;	/* inbound handshakes in progress */
	uint64_t	 refused_hs_src;	/* ... from that address or /64 */
	uint64_t	 refused_src;	/* sessions from that address or /64 */
	uint64_t	 refused_hash;	/* sessions with that router */
	uint64_t	 dials_refused;	/* ours: no slot or handshake left */
	/* SSU2 datagrams, and what was dropped before any session */
	uint64_t	 ssu2_pkts_in, ssu2_pkts_out;
	uint64_t	 ssu2_dropped;	/* did not open, or for nobody */
	uint64_t	 ssu2_dup;	/* duplicate or replayed */
	uint64_t	 ssu2_oversized;	/* over 1500 bytes */
	uint64_t	 ssu2_tokens;	/* Retry tokens issued */
	uint64_t	 ssu2_token_refused;	/* none: table or address full */
	uint64_t	 ssu2_bad_token;	/* Session Request, token unknown */
	uint64_t	 ssu2_reasm_dropped;	/* fragments given up */
};

/* show sam: a SAM control connection */
#define CTL_SAM_ID		65	/* a session ID and its NUL */
struct ctl_sam_client {			/* IMSG_CTL_SAM_CLIENT */
	char		 addr[64];	/* "127.0.0.1 port 40000" */
	char		 version[8];	/* "3.3"; "" before HELLO */
	char		 session[CTL_SAM_ID];	/* "" if none */
	uint32_t	 id;
	uint32_t	 queued;	/* bytes waiting to be read by it */
	int64_t		 since;		/* time(3) */
	/* "control", "connecting", "accepting", "forwarding", "stream" */
	char		 mode[12];
	uint32_t	 stream;	/* the bridge's id of its stream, 0 */
	uint64_t	 sbytes_in, sbytes_out;	/* stream bytes from, to it */
};

struct ctl_sam_session {		/* IMSG_CTL_SAM_SESSION */
	char		 id[CTL_SAM_ID];
	char		 style[12];	/* DATAGRAM, RAW, PRIMARY */
	char		 primary[CTL_SAM_ID];	/* a subsession's, or "" */
	char		 b32[64];	/* "" until the destination is up */
	uint32_t	 client;	/* ctl_sam_client.id */
	uint32_t	 nsub;		/* a PRIMARY's subsessions */
	uint64_t	 dgrams_in, dgrams_out;
	uint32_t	 streams;	/* sockets carrying its streams */
	uint32_t	 pad;
};

struct ctl_sam {			/* IMSG_CTL_SAM, after the lists */
	uint32_t	 enabled;
	uint32_t	 port, udp_port;
	uint32_t	 clients, sessions;
	/* the limits */
	uint32_t	 clients_max, clients_per_addr;
	uint32_t	 sessions_max, subsessions_max;
	uint32_t	 pad;
	uint64_t	 conns, conns_refused;
	uint64_t	 commands, errors;
	uint64_t	 dgrams_in, dgrams_out, bytes_in, bytes_out;
	uint64_t	 dgrams_dropped;
	uint64_t	 streams_out, streams_in;	/* CONNECT OK, ACCEPTed */
	uint64_t	 streams_refused;	/* incoming nobody took */
	uint64_t	 streams_failed;	/* CONNECT not OK */
	uint64_t	 streams_limited;	/* over a stream limit */
	uint64_t	 fwd_failed;	/* FORWARD target down */
	uint64_t	 sbytes_in, sbytes_out;	/* from and to clients */
};

/* show destinations: a local destination */
#define CTL_DEST_B64SZ		536	/* base64 of 395 bytes, the NUL, no tail padding */
struct ctl_dest {			/* IMSG_CTL_DEST */
	char		 name[DEST_NAME_MAX + 1];
	char		 b32[64];	/* "" until its key is known */
	uint8_t		 session;	/* a SAM session's, not configured */
	uint8_t		 ls_state;	/* enum ls_state, 0: none yet */
	uint8_t		 pad[6];
	uint8_t		 floodfill[32];	/* the one ls_state is about */
	int64_t		 ls_at;		/* time(3) of ls_state */
	int64_t		 published;	/* the newest LeaseSet's, 0: none */
	uint32_t	 leases;	/* in the newest LeaseSet */
	uint32_t	 tunnels_in, tunnels_out;	/* ready */
	uint32_t	 sessions;	/* ratchet sessions */
	uint32_t	 remote_ls;	/* remote LeaseSets kept */
	uint32_t	 pad2;
	uint64_t	 sent, received;	/* messages (datagrams) */
	uint64_t	 dropped_garlic, dropped_out, dropped_in;
	uint64_t	 ls_acked;	/* our LeaseSet, bundled, ACKed */
	uint64_t	 ls_ack_timeouts;	/* no ACK in time: sent again */
	/* its streams (all 0 while it has no stream host) */
	uint32_t	 streams;	/* now */
	uint32_t	 pad3;
	uint64_t	 streams_out, streams_in;	/* opened */
	uint64_t	 streams_refused;	/* over a limit or not taken */
	uint64_t	 streams_timeouts;	/* connect or resends ran out */
	uint64_t	 syn_limited;	/* SYNs over a limit */
	uint64_t	 resets_sent, resets_received;
	uint64_t	 spackets_in, spackets_out, spackets_resent;
	uint64_t	 sbytes_in, sbytes_out;
	uint64_t	 smalformed;	/* packets that did not parse */
	uint64_t	 sbad_signature, sno_stream, smisdirected;
	uint64_t	 choked;	/* times we asked a peer to wait */
	/* packets sent behind a copy of an unacknowledged SYN-ACK */
	uint64_t	 synack_leads;
	/* a peer's sessions never answered, dropped for its newer ones */
	uint64_t	 unanswered_dropped;
	/* paths and sessions given up after a stream's resends */
	uint64_t	 reroutes, restarts;
	/* the Destination in I2P base64, "" until its key is known */
	char		 dest[CTL_DEST_B64SZ];
};

/*
 * show sessions: a ratchet session.  A reply holds CTL_RSESS_MAX at
 * most, what tunneld keeps in all (DESTIO_SESSIONS_MAX, checked there).
 */
#define CTL_RSESS_MAX		4096
enum ctl_rsess_state {			/* tunneld's enum ratchet_state */
	CTL_RSESS_NS_SENT,		/* we sent a New Session */
	CTL_RSESS_NSR_SENT,		/* we answered one */
	CTL_RSESS_ESTABLISHED,
	CTL_RSESS_TERMINATED
};
struct ctl_rsess {			/* IMSG_CTL_RSESS */
	char		 dest[DEST_NAME_MAX + 1];	/* the local one */
	char		 peer[64];	/* b32, "" if unknown */
	uint8_t		 outbound;
	uint8_t		 state;		/* enum ctl_rsess_state */
	uint8_t		 pad[2];
	uint32_t	 tags_left;	/* in the send tag set */
	int64_t		 created;	/* time(3) */
	uint64_t	 sent, received;
	uint32_t	 ratchets_out;	/* DH ratchets of our send tag set */
	uint32_t	 ratchets_in;	/* and of the peer's */
};

/*
 * show streams: a streaming connection.  A reply holds CTL_STREAMS_MAX
 * at most, what tunneld keeps in all (STREAM_MAX, checked there).
 */
#define CTL_STREAMS_MAX		4096
enum ctl_stream_state {			/* tunneld's enum stream_state */
	CTL_STREAM_SYN_SENT,
	CTL_STREAM_SYN_RECEIVED,
	CTL_STREAM_OPEN,
	CTL_STREAM_CLOSE_SENT,
	CTL_STREAM_CLOSE_RECEIVED,
	CTL_STREAM_CLOSING,
	CTL_STREAM_CLOSED,
	CTL_STREAM_RESET
};
#define CTL_STREAM_CHOKED	0x01	/* the peer asked us to wait */
#define CTL_STREAM_CHOKING	0x02	/* we asked the peer to wait */
struct ctl_stream {			/* IMSG_CTL_STREAM */
	char		 dest[DEST_NAME_MAX + 1];	/* the local one */
	char		 peer[64];	/* b32 */
	uint16_t	 local_port, remote_port;
	uint8_t		 outbound;
	uint8_t		 state;		/* enum ctl_stream_state */
	uint8_t		 flags;		/* CTL_STREAM_CHOKED, _CHOKING */
	uint8_t		 pad;
	uint32_t	 send_id, recv_id;	/* the peer's id, ours */
	uint32_t	 rtt, rto;	/* ms, rtt smoothed */
	uint32_t	 window;	/* our congestion window, packets */
	uint32_t	 unacked;	/* packets sent, not yet acked */
	uint64_t	 bytes_in, bytes_out;
	uint64_t	 resends;	/* packets sent again */
	int64_t		 created;	/* time(3) */
};

/* show tunnels clients: a tunnel line of a destination block */
struct ctl_proxy {			/* IMSG_CTL_PROXY */
	char		 dest[DEST_NAME_MAX + 1];
	char		 b32[64];	/* "" until the destination is up */
	char		 target[64];	/* client: its target, cut short */
	uint8_t		 kind;		/* enum proxy_kind */
	uint8_t		 family;	/* 4 or 6 */
	uint8_t		 up;		/* listening / destination ready */
	uint8_t		 pad;
	uint16_t	 port;		/* listened on, or connected to */
	uint16_t	 target_port, i2p_port, nallow;
	uint8_t		 addr[16];
	uint32_t	 conns;		/* now */
	uint32_t	 pad2;
	uint64_t	 accepted, refused, failed;
	uint64_t	 bytes_in, bytes_out;	/* from and to the I2P side */
	uint64_t	 outproxied;	/* proxies: streams to the outproxy */
};

/* the address book (tunneld/addrbook.h): names, books, Destinations */
#define CTL_AB_NAMESZ		68	/* 67 characters and the NUL */
#define CTL_AB_DEST_MAX		395	/* I2P_IDENT_MAXLEN */
#define CTL_AB_BOOKS		3	/* local, private, subscribed */
#define CTL_AB_ALL		(-1)	/* show: every book */
#define CTL_AB_COUNTS		(-2)	/* show: the counts only (metrics) */
#define CTL_AB_CONFLICTS_MAX	64	/* the conflicts tunneld keeps */
/* show: a book holds up to 100 000 names; a table of more helps nobody */
#define CTL_AB_SHOW_MAX		1000
struct ctl_ab_req {	/* IMSG_CTL_AB_ADD, _DEL, _LOOKUP, IMSG_CTL_SHOW_AB */
	char		 name[CTL_AB_NAMESZ];	/* "" for show */
	int32_t		 book;		/* 0 local, 1 private, 2 subscribed */
	int32_t		 replace;	/* add: may replace the name's dest */
	uint16_t	 destlen;	/* add: the Destination's bytes */
	uint8_t		 dest[CTL_AB_DEST_MAX];
};
struct ctl_ab_entry {			/* IMSG_CTL_AB_ENTRY */
	char		 name[CTL_AB_NAMESZ];
	int32_t		 book;
	uint16_t	 destlen;
	uint8_t		 dest[CTL_AB_DEST_MAX];
};
struct ctl_ab_conflict {		/* IMSG_CTL_AB_CONFLICT */
	char		 name[CTL_AB_NAMESZ];
	int32_t		 book;		/* where the name is known */
	uint8_t		 known[32];	/* the Destination hash it has */
	uint8_t		 offered[32];	/* the one refused */
	int64_t		 when;		/* time(3) */
};
struct ctl_ab {				/* IMSG_CTL_AB, after the rows */
	uint32_t	 count[CTL_AB_BOOKS];
	uint32_t	 shown;		/* AB_ENTRYs sent */
	uint64_t	 conflicts;	/* since tunneld started */
	uint64_t	 fetches;	/* subscription fetches ended */
	uint64_t	 fetch_failures;	/* ... without a 200 or 304 */
	uint32_t	 subscriptions;
	uint32_t	 pad;
};
#define SUB_ERR_MAX		64
struct ctl_ab_sub {			/* IMSG_CTL_AB_SUB */
	char		 url[SUB_URL_MAX + 1];
	char		 err[SUB_ERR_MAX];	/* why the last fetch failed */
	int32_t		 status;	/* of the last fetch; 0: no answer */
	int32_t		 fetching;	/* now */
	int64_t		 fetched;	/* time(3) of the last, 0: never */
	int64_t		 next;		/* time(3) it is due */
	uint32_t	 added, conflicts, bad, applied, refused;
};

/* msgtab.c */
struct msgtab_entry {
	uint32_t	 type;
	const char	*name;
	uint32_t	 senders;	/* PROC_BIT mask */
	uint32_t	 receivers;	/* PROC_BIT mask */
	size_t		 minlen;
	size_t		 maxlen;
	int		 fd;		/* 1: must carry an fd, 0: must not */
	int		 privkey;	/* 1 if the payload may hold a private key */
};
extern const struct msgtab_entry msgtab[];
const struct msgtab_entry *msgtab_lookup(uint32_t);
const char *imsg_type_name(uint32_t);
/* "reachable", "firewalled", "unknown": enum net_reach_state's words */
const char *net_reach_name(uint8_t);

#endif /* I2PRD_H */
