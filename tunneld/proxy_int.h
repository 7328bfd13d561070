/*
 * What proxy.c (the tunnels) and proxy_conn.c (their connections)
 * share; nothing else includes this.
 */
#ifndef I2PRD_TUNNELD_PROXY_INT_H
#define I2PRD_TUNNELD_PROXY_INT_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <event.h>

#include "i2pdata.h"
#include "proxy.h"

enum ptarget_kind {
	PT_DEST,		/* a base64 Destination: known */
	PT_HASH,		/* a .b32.i2p address: its LeaseSet first */
	PT_NAME			/* a host name: the address book's */
};

struct proxy_conn;
TAILQ_HEAD(proxy_conns, proxy_conn);

struct proxy {
	TAILQ_ENTRY(proxy)	 entry;
	struct proxy_conf	 conf;
	int			 fd;		/* client: listening, or -1 */
	struct event		 ev;
	enum ptarget_kind	 tkind;		/* client: its target */
	struct i2p_ident	 tdest;		/* PT_DEST */
	uint8_t			 thash[32];	/* PT_DEST, PT_HASH */
	struct proxy_conns	 conns;
	uint32_t		 nconns;
	struct proxy_stats	 st;
};

enum pconn_state {
	PC_WAIT_DEST,		/* client: its destination has no tunnels */
	PC_LOOKUP,		/* client: the target's LeaseSet */
	PC_CONNECTING,		/* client: the stream's SYN is out */
	PC_TCP_CONNECTING,	/* server: connect() to the local target */
	PC_OPEN			/* bytes both ways */
};

struct proxy_conn {
	TAILQ_ENTRY(proxy_conn)	 entry;		/* its proxy's */
	TAILQ_ENTRY(proxy_conn)	 all;
	struct proxy		*p;
	uint32_t		 id;		/* lookups' cookie */
	enum pconn_state	 state;
	int			 fd;
	struct event		 ev;
	int			 ev_set;
	struct stream		*s;		/* NULL before and after */
	uint32_t		 keyid;		/* the destination's */
	struct sockaddr_storage	 from;		/* client: the local peer */
	uint8_t			 peer[32];	/* server: the remote's hash */
	time_t			 since;		/* of the state */
	unsigned		 events;	/* from the stream, for run */
	int			 eof_in;	/* the socket's EOF read */
	int			 shut_stream;	/* ... and passed on */
	int			 eof_out;	/* the stream's EOF */
	int			 shut_wr;	/* ... and passed on */
	size_t			 inlen;		/* socket -> stream */
	size_t			 outoff, outlen;	/* stream -> socket */
	uint8_t			 in[PROXY_BUF];
	uint8_t			 out[PROXY_BUF];
};

/* proxy_conn.c */
void	 pconn_init(void (*schedule)(void));
struct proxy_conn *pconn_new(struct proxy *, int fd);
void	 pconn_free(struct proxy_conn *, const char *why);
/* client: connected locally, the stream is next */
void	 pconn_client_start(struct proxy_conn *);
/* server: an incoming stream to connect to the local target */
int	 pconn_server_start(struct proxy_conn *, struct stream *);
void	 pconn_run(void);
void	 pconn_tick(time_t);
/* connections from the same local address, in all tunnels */
uint32_t pconn_count_addr(const struct sockaddr_storage *);
uint32_t pconn_count_peer(const struct proxy *, const uint8_t peer[32]);
uint32_t pconn_total(void);

/* proxy.c, for proxy_conn.c: the tunnel's destination if it is up */
void	 proxy_addr(const struct proxy_conf *, struct sockaddr_storage *);
uint32_t proxy_keyid(const struct proxy *);
struct stream_host *proxy_host(const struct proxy *);

#endif /* I2PRD_TUNNELD_PROXY_INT_H */
