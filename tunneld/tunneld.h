/*
 * tunneld's local destinations.
 *
 * destfile.c: which key is behind which destination name.  cryptod
 * knows keys by number only; the names come from the configuration.
 * The map is kept in DESTFILE in tunneld's directory, one line per
 * name, "NAME KEYID" with the key id as 8 lower-case hex digits, in
 * the order the names were first seen.  Text, so that an operator can
 * read (and, with care, edit) it.  A mapping is never dropped when its
 * name leaves the configuration: the same name later finds the same
 * key, so the same address.
 *
 * dests.c: the configured destinations, the requests their keys and
 * pools need, and the ready client tunnels routerd reports for each.
 * It does no IPC itself: what to send goes through struct dests_ops,
 * which tunneld.c implements over the links and the tests record.
 *
 * lspub.c (lspub.h): each destination's LeaseSet2, built from its
 * inbound tunnels, signed by cryptod, published by routerd.
 *
 * destio.c (destio.h): each destination's traffic with remote ones:
 * ratchet sessions (ratchet.h), garlic in and out, datagrams (dgram.h).
 * lscache.c: the remote LeaseSets each destination found.
 * dest_ctl.c: show destinations, show sessions and show streams.
 * kreq.c: the DH and signature requests that traffic needs of cryptod.
 * clientio.c: the batches of messages to and from routerd.
 *
 * destkeys.c (destkeys.h): SAM's destination keys, made or brought in,
 * asked of cryptod for the SAM bridge, the same way.
 *
 * sam_*.c: the SAM v3.3 bridge, with its own module map in sam.h;
 * sam_backend.c: what stands behind it (sam_backend.h).
 *
 * proxy_socks.c (proxy_socks.h): the SOCKS 4, 4a and 5 negotiation;
 * proxy_irc.c (proxy_irc.h): the IRC client tunnel's filter and the IRC
 * server tunnel's WEBIRC line.  Pure code over bytes, no sockets: the
 * proxy and tunnel engine feeds them and writes what they return.
 */
#ifndef I2PRD_TUNNELD_H
#define I2PRD_TUNNELD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "i2pdata.h"
#include "i2prd.h"
#include "lspub.h"

struct destio;

#define DESTFILE		"destinations"
/* names remembered at most: as many keys as cryptod keeps */
#define DESTMAP_MAX		1024
/* "NAME KEYID": the longest line without its newline */
#define DESTFILE_LINE_MAX	(DEST_NAME_MAX + 1 + 8)
#define DESTFILE_MAX		(DESTMAP_MAX * (DESTFILE_LINE_MAX + 1))

struct destmap_ent {
	char		 name[DEST_NAME_MAX + 1];
	uint32_t	 keyid;		/* never KEYID_ROUTER */
};

struct destmap {
	struct destmap_ent	 ent[DESTMAP_MAX];
	size_t			 n;
};

void	 destmap_init(struct destmap *);
const struct destmap_ent *destmap_by_name(const struct destmap *,
	    const char *);
const struct destmap_ent *destmap_by_id(const struct destmap *, uint32_t);
/* appends; -1 with a reason for a bad name or id, a duplicate, or full */
int	 destmap_add(struct destmap *, const char *, uint32_t, const char **);
/* gives a mapped name another key id, or appends it; -1 as add */
int	 destmap_set(struct destmap *, const char *, uint32_t, const char **);
void	 destmap_del_id(struct destmap *, uint32_t);

/*
 * The file's bytes to a map: -1 with the 1-based line and a reason if
 * any line is malformed; the map is then empty.
 */
int	 destfile_decode(struct destmap *, const uint8_t *, size_t,
	    size_t *line, const char **why);
int	 destfile_encode(const struct destmap *, struct wbuf *);
/* an absent file is an empty map; -1 with a message naming the line */
int	 destfile_load(const char *, struct destmap *, char *, size_t);
/*
 * A file in the current directory (tunneld's): temporary file, fsync,
 * rename, fsync of the directory; -1 with errno.
 */
int	 destfile_save(const char *, const struct destmap *);

/* ready client tunnels kept per destination and direction, at most */
#define DEST_TUNNELS_MAX	32

struct dest_tunnel {
	uint32_t	 serial;	/* routerd's */
	uint32_t	 gateway_id;	/* inbound: the lease's tunnel ID */
	uint8_t		 gateway[32];	/* inbound: the lease's gateway */
	int64_t		 expires;	/* time(3) */
};

/* configured destinations and SAM sessions' at once, at most */
#define DESTS_RUN_MAX		(DESTS_MAX + 128)

#define DEST_CLOSING_MAX	3	/* s a closed session's RESETs have */

struct dest {
	char			 name[DEST_NAME_MAX + 1];
	int			 session;	/* a SAM session's, not configured */
	int			 unpublished;
	struct dest_conf	 conf;		/* as configured */
	struct dest_conf	 opened;	/* as in the last POOL_OPEN */
	uint32_t		 keyid;		/* 0: key not known yet */
	struct i2p_ident	 ident;		/* when keyid is set */
	int			 open;		/* POOL_OPEN sent */
	int			 failed;	/* no key: no pools till reload */
	int			 ready_logged;
	time_t			 closing_until;	/* a closed session's, RESETs out */
	struct dest_tunnel	 in[DEST_TUNNELS_MAX];
	size_t			 nin;
	struct dest_tunnel	 out[DEST_TUNNELS_MAX];
	size_t			 nout;
	struct lspub		 ls;		/* when keyid is set */
	struct destio		*io;		/* when keyid is set */
};

struct dests_ops {
	void	(*create)(const char *);	/* KEY_DEST_CREATE for a name */
	void	(*open)(const struct dest *);	/* POOL_OPEN */
	void	(*close)(const struct dest *);	/* POOL_CLOSE */
	void	(*save)(const struct destmap *);	/* write DESTFILE */
	struct lspub_ops ls;				/* LeaseSet work */
};

/* forgets everything; starts from a loaded map */
void	 dests_init(const struct dests_ops *, const struct destmap *);
/* a destination key cryptod listed; -1 with a reason if malformed */
int	 dests_key(const struct key_pub *, const char **);
/* the list is complete: from now on keys are made and pools opened */
void	 dests_listed(void);
/* the configured destinations, at start and at each reload */
void	 dests_reconf(const struct dest_conf *, int);
/* the key made for the name dests_creating() names; -1 if malformed */
int	 dests_created(const struct key_pub *, const char **);
void	 dests_create_failed(const char *);
/* the name a KEY_DEST_CREATE is in flight for, or NULL */
const char *dests_creating(void);
/* a POOL_TUNNEL from routerd; -1 with a reason if malformed */
int	 dests_tunnel(const struct pool_tunnel *, int64_t, const char **);
/* once a second: LeaseSets due are built */
void	 dests_tick(time_t);
/* cryptod's signature or refusal for reqid; 0 if no LeaseSet's */
int	 dests_signed(uint32_t reqid, const uint8_t sig[64]);
int	 dests_sign_failed(uint32_t reqid, time_t);
/* routerd's LS_STATUS; -1 with a reason if malformed */
int	 dests_ls_status(const struct ls_status *, time_t, const char **);
/*
 * A SAM session's destination: its key (transient or imported, held by
 * cryptod), identity and LeaseSet key; pools as conf asks.  Not in
 * DESTFILE, untouched by reloads.  -1 with a reason if there is no room.
 */
int	 dests_session_add(const char *name, uint32_t keyid,
	    const struct i2p_ident *, const uint8_t ls_pub[32],
	    const struct dest_conf *, int unpublished, const char **);
/*
 * The session is gone.  Its streams are reset first: the destination
 * stays, closing, unknown by name, until their RESETs are signed and
 * sent or DEST_CLOSING_MAX seconds have passed (dests_tick).
 */
void	 dests_session_remove(uint32_t keyid);
/* 1 if the destination has a ready tunnel each way */
int	 dests_ready(uint32_t keyid);
/* a destination with tunnels both ways, for lookups of its own: 0 none */
uint32_t dests_any_ready(void);
/* the newest signed LeaseSet of a destination, or NULL */
const struct leaseset2 *dests_leaseset(uint32_t keyid);
/* a destination's traffic, or NULL if there is no such destination */
struct destio *dests_io(uint32_t keyid);
/* the Destination of an open destination, or NULL */
const struct i2p_ident *dests_ident(uint32_t keyid);
/* destio_out_cb: a session's outbound tunnel */
uint32_t dests_out_tunnel(uint32_t keyid, uint32_t keep, uint32_t avoid,
	    time_t now);
/* a configured destination by name, or NULL */
const struct dest *dests_find(const char *);
const struct destmap *dests_map(void);
/* calls fn for every destination, configured and SAM sessions', in turn */
void	 dests_walk(void (*fn)(const struct dest *, void *), void *);

/*
 * dest_ctl.c: show destinations and show sessions, as CTL_DESTs and
 * CTL_RSESSs (at most CTL_RSESS_MAX) handed to an emitter, as sam_ctl.c
 */
typedef void (*dest_ctl_emit_fn)(void *, uint32_t type, const void *,
    size_t);
void	 dest_ctl_dests(dest_ctl_emit_fn, void *);
void	 dest_ctl_sessions(dest_ctl_emit_fn, void *);
/* one destination's sessions; *n counts the rows toward CTL_RSESS_MAX */
void	 dest_ctl_io_sessions(const char *name, const struct destio *,
	    dest_ctl_emit_fn, void *, size_t *n);
/*
 * show streams: a CTL_STREAM per stream of every destination that has
 * streams (CTL_STREAMS_MAX at most) ...
 */
void	 dest_ctl_streams(dest_ctl_emit_fn, void *);
/*
 * ... and of one destination's host (name: the destination's), *n the
 * rows so far; now_ms is the streams' clock (streams_now()), now
 * time(3), to give their creation times as time(3)
 */
struct stream_host;
void	 dest_ctl_host_streams(const char *name, const struct stream_host *,
	    int64_t now_ms, time_t now, dest_ctl_emit_fn, void *, size_t *n);

#endif /* I2PRD_TUNNELD_H */
