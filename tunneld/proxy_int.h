/*
 * What proxy.c (the tunnels) and proxy_conn.c (their connections)
 * share; nothing else includes this.
 */
#ifndef I2PRD_TUNNELD_PROXY_INT_H
#define I2PRD_TUNNELD_PROXY_INT_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <event.h>

#include "buf.h"
#include "dgram.h"
#include "i2pdata.h"
#include "proxy.h"
#include "proxy_socks.h"

enum ptarget_kind {
	PT_DEST,		/* a base64 Destination: known */
	PT_HASH,		/* a .b32.i2p address: its LeaseSet first */
	PT_NAME			/* a host name: the address book's */
};

struct proxy_conn;
TAILQ_HEAD(proxy_conns, proxy_conn);

/*
 * A UDP tunnel's session: a client's local sender (replies come to the
 * I2P source port it was given), or a server's remote destination and
 * source port (with a socket of its own to the local target, so that
 * the target's replies find their way back)
 */
struct udp_sess {
	TAILQ_ENTRY(udp_sess)	 entry;
	struct proxy		*p;
	int			 fd;		/* server: to the target */
	struct event		 ev;
	struct sockaddr_storage	 local;		/* client: the sender */
	uint8_t			 peer[32];	/* server: the remote */
	uint16_t		 port;		/* see above */
	uint16_t		 i2p_port;	/* server: ours it came to */
	time_t			 last;
};
TAILQ_HEAD(udp_sessions, udp_sess);

struct proxy {
	TAILQ_ENTRY(proxy)	 entry;
	struct proxy_conf	 conf;
	int			 fd;		/* client: listening, or -1 */
	struct event		 ev;
	struct event		 pause;		/* accept: out of fds */
	enum ptarget_kind	 tkind;		/* client: its target */
	struct i2p_ident	 tdest;		/* PT_DEST */
	uint8_t			 thash[32];	/* PT_DEST, PT_HASH */
	struct socks_auth	 auth;		/* socks: conf's, or none */
	struct udp_sessions	 usess;		/* udp kinds */
	uint32_t		 nusess;
	uint16_t		 next_port;	/* udp client: for a sender */
	struct proxy_conns	 conns;
	uint32_t		 nconns;
	struct proxy_stats	 st;
};

enum pconn_state {
	PC_GREET,		/* client kinds with a protocol: its request */
	PC_WAIT_DEST,		/* client: its destination has no tunnels */
	PC_LOOKUP,		/* client: the target's LeaseSet */
	PC_CONNECTING,		/* client: the stream's SYN is out */
	PC_TCP_CONNECTING,	/* server: connect() to the local target */
	PC_OPEN,		/* bytes both ways */
	PC_CLOSING		/* a last reply to the socket, then close */
};

/* why a client connection got no stream, for the protocol's reply */
enum pfail {
	PF_NO_DEST,		/* our destination has no tunnels */
	PF_UNKNOWN_HOST,	/* a name no book holds */
	PF_NOT_FOUND,		/* no LeaseSet for the target */
	PF_UNREACHABLE,		/* refused or reset */
	PF_TIMEOUT,
	PF_NOT_I2P,		/* not an I2P host, and no outproxy */
	PF_LIMIT		/* over a stream limit */
};

struct proxy_conn;

/*
 * What a tunnel kind does beyond passing bytes; NULL members do
 * nothing.  The filters take at most chunk bytes at a time and write
 * into a buffer of PROXY_BUF bytes.
 */
struct pproto {
	/*
	 * PC_GREET: c->in holds what the client sent.  1 when the target
	 * is set (what is left in c->in goes on the stream first), 0 for
	 * more, -1 to close once c->out is written.
	 */
	int	(*greet)(struct proxy_conn *);
	/* the stream is open; c->out may get the client's reply */
	void	(*connected)(struct proxy_conn *);
	/* no stream; c->out may get the client's reply */
	void	(*failed)(struct proxy_conn *, enum pfail);
	/* a server's local connection is up: c->out may get a first line */
	void	(*start)(struct proxy_conn *);
	/*
	 * The open phase, each way: -1 ends the connection, 1 ends this
	 * direction once what the filter wrote has gone
	 */
	int	(*to_i2p)(struct proxy_conn *, const uint8_t *, size_t,
		    struct wbuf *);
	int	(*from_i2p)(struct proxy_conn *, const uint8_t *, size_t,
		    struct wbuf *);
	/*
	 * The stream's EOF came before from_i2p ended its direction: a
	 * last word to the socket (an error page, a refusal) into the
	 * buffer, which is empty
	 */
	void	(*eof)(struct proxy_conn *, struct wbuf *);
	/*
	 * Both directions ended by the filters and all is written: 1 to
	 * take the client's next request (PC_GREET again, on a new
	 * stream; the protocol has reset its state), 0 to end as usual
	 */
	int	(*again)(struct proxy_conn *);
	size_t	 chunk;
	size_t	 bufsz;		/* c->in, c->out; 0: PROXY_BUF */
	size_t	 state_size;	/* c->ps, zeroed, freed with the conn */
	void	(*init)(struct proxy_conn *);
	void	(*clear)(struct proxy_conn *);	/* before c->ps is freed */
};

struct proxy_conn {
	TAILQ_ENTRY(proxy_conn)	 entry;		/* its proxy's */
	TAILQ_ENTRY(proxy_conn)	 all;
	struct proxy		*p;
	const struct pproto	*proto;		/* NULL: bytes as they are */
	void			*ps;		/* the protocol's state */
	uint32_t		 id;		/* lookups' cookie */
	enum pconn_state	 state;
	int			 fd;
	struct event		 ev;
	int			 ev_set;
	struct stream		*s;		/* NULL before and after */
	uint32_t		 keyid;		/* the destination's */
	struct sockaddr_storage	 from;		/* client: the local peer */
	uint8_t			 peer[32];	/* server: the remote's hash */
	/* client: where the stream goes */
	enum ptarget_kind	 tkind;
	struct i2p_ident	 tdest;		/* PT_DEST */
	uint8_t			 thash[32];	/* PT_DEST, PT_HASH */
	uint16_t		 tport;
	char			 tname[PROXY_NAME_MAX + 1];	/* PT_NAME */
	time_t			 since;		/* of the state */
	unsigned		 events;	/* from the stream, for run */
	int			 eof_in;	/* the socket's EOF read */
	int			 hup;		/* ... a real one, not a filter's */
	uint32_t		 served;	/* requests done (keep-alive) */
	int			 shut_stream;	/* ... and passed on */
	int			 eof_out;	/* the stream's EOF */
	int			 shut_wr;	/* ... and passed on */
	size_t			 bufsz;		/* of in and of out */
	size_t			 inlen;		/* socket -> stream */
	size_t			 outoff, outlen;	/* stream -> socket */
	uint8_t			*in;
	uint8_t			*out;
};

/* proxy_udp.c */
int	 pudp_start(struct proxy *);
void	 pudp_stop(struct proxy *);
int	 pudp_in(struct proxy *, uint32_t keyid, const struct dgram *,
	    const uint8_t from[32]);
void	 pudp_tick(struct proxy *, time_t);

/* proxy_socksio.c, proxy_ircio.c */
extern const struct pproto	 pproto_socks, pproto_irc_client,
				 pproto_irc_server, pproto_http,
				 pproto_http_server;

/* a client's reply or a server's first line: appended to c->out */
int	 pconn_reply(struct proxy_conn *, const void *, size_t);

/* proxy_conn.c */
void	 pconn_init(void (*schedule)(void));
struct proxy_conn *pconn_new(struct proxy *, int fd);
void	 pconn_free(struct proxy_conn *, const char *why);
/* client: connected locally, the stream is next */
void	 pconn_client_start(struct proxy_conn *);
/* a greeting's target: on to the stream */
void	 pconn_client_target(struct proxy_conn *);
/*
 * A greeting's host is not an I2P one: the stream goes to the tunnel's
 * outproxy (its target) instead, counted; -1 if it has none
 */
int	 pconn_outproxy(struct proxy_conn *);
/* server: an incoming stream to connect to the local target */
int	 pconn_server_start(struct proxy_conn *, struct stream *);
void	 pconn_run(void);
void	 pconn_tick(time_t);
/* connections from the same local address, in all tunnels */
uint32_t pconn_count_addr(const struct sockaddr_storage *);
uint32_t pconn_count_peer(const struct proxy *, const uint8_t peer[32]);
uint32_t pconn_total(void);

/*
 * proxy.c, for proxy_conn.c: a target's kind (and its destination or
 * hash), -1 if it is none; the tunnel's destination if it is up
 */
int	 proxy_target(const char *, enum ptarget_kind *, struct i2p_ident *,
	    uint8_t hash[32]);
/* 1 if the server's allow list lets peer in (or it has none) */
int	 proxy_allowed(const struct proxy *, const uint8_t peer[32]);
/* a host name's Destination in the address book; -1 if none has it */
int	 proxy_resolve(const char *, struct i2p_ident *);
void	 proxy_addr(const struct proxy_conf *, struct sockaddr_storage *);
uint32_t proxy_keyid(const struct proxy *);
struct stream_host *proxy_host(const struct proxy *);

#endif /* I2PRD_TUNNELD_PROXY_INT_H */
