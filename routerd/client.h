/*
 * routerd's side of tunneld's destinations ("clients"), private to
 * routerd.  Module map:
 *
 *   client.c    the data path: IMSG_CLIENT_SEND out of the client's
 *               outbound tunnels, IMSG_CLIENT_RECV batches of what
 *               arrives at the end of its inbound tunnels
 *   clientdb.c  its netDb work through its own tunnels: IMSG_LS_PUBLISH
 *               (store at the closest floodfill, then verify at another)
 *               and IMSG_LS_LOOKUP (iterative LeaseSet lookups)
 *   tunnels.c   owns the clients and their tunnels; the two above reach
 *               them through the tunnels_client_* functions below
 *   loss.c      "test drop client-tunnel N%": for tests, client.c drops
 *               that share of a destination's messages each way
 *
 * Nothing a client's tunnels carry reaches the router's own handlers,
 * and nothing of the router's passes through a client's tunnels (audit
 * #3): a destination must not be tied to the router that hosts it.
 * That is why a lookup's one-time reply tags live here, per client, and
 * not in garlic.c's table, which serves the router's own lookups.
 */
#ifndef I2PRD_CLIENT_H
#define I2PRD_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "i2pdata.h"
#include "kad.h"

struct tdi;
struct ls_publish;
struct ls_lookup;
struct ls_status;
struct ls_found;

/* tunnels.c: a client's tunnels */
/* its counters, NULL if the client is not (or no longer) open */
struct client_stats *tunnels_client_counters(uint32_t client);
/* its destination's hash, as POOL_OPEN gave it, or NULL */
const uint8_t *tunnels_client_dest(uint32_t client);
/*
 * The message out of the client's outbound tunnel serial if that one is
 * ready and the client's, else out of any ready one of its outbound
 * pool; -1 if there is none (or no such client).
 */
int	 tunnels_client_send(uint32_t client, uint32_t serial,
	    const struct tdi *, struct i2np_hdr *, const uint8_t *, size_t);
/* a ready inbound tunnel of the client: its gateway and ID, or -1 */
int	 tunnels_client_reply_path(uint32_t client, uint8_t gw[32],
	    uint32_t *tunnel_id);

/* client.c: the data path */
/* at most this many imsgs queued to tunneld before CLIENT_RECV drops */
#define CLIENT_RECV_QUEUE_MAX	512
struct client_io {
	int	(*send_out)(uint32_t client, uint32_t serial,
		    const struct tdi *, struct i2np_hdr *, const uint8_t *,
		    size_t);
	/* one CLIENT_RECV imsg's data to tunneld; -1 if not sent */
	int	(*recv_emit)(const void *, size_t);
	/* imsgs waiting in the link to tunneld */
	size_t	(*recv_backlog)(void);
	/* the clock of the per-client rate (mono_ms) */
	uint64_t (*clock_ms)(void);
};
/* io NULL: tunnels.c and the tunneld link; use_event: flush from the loop */
void	 client_init(const struct client_io *io, int use_event);
/* IMSG_CLIENT_SEND's data; a malformed batch is fatal */
void	 client_send(const void *, size_t);
/*
 * A message (header h, payload p) at the end of the client's inbound
 * tunnel serial: routerd's (test() of the client's pools says 1 for a
 * tunnel test's DeliveryStatus; LeaseSet acks and lookup replies), or
 * garlic for tunneld (client_recv).  0 taken, -1 dropped.
 */
int	 client_in(uint32_t client, uint32_t serial, const struct i2np_hdr *,
	    const uint8_t *p, uint64_t now_ms,
	    int (*test)(void *, const uint8_t *, size_t), void *);
/*
 * A message (long header parsed into h) at the end of the client's
 * inbound tunnel serial that routerd does not take: queued for
 * tunneld, sent when the event ends (client_flush).  -1 if dropped.
 */
int	 client_recv(uint32_t client, uint32_t serial,
	    const struct i2np_hdr *, const uint8_t *payload);
/* the CLIENT_RECV batches built so far go to tunneld */
void	 client_flush(void);
void	 client_shutdown(void);

/* loss.c: testing only, the share of client messages dropped */
struct i2prd_conf;
/* the configured share; logged when it changes */
void	 loss_reconf(const struct i2prd_conf *);
/* percent, 0 to TEST_DROP_MAX (tests) */
void	 loss_set(int percent);
/* 1: drop this message (percent of 100 at random, never at 0), counted */
enum loss_dir { LOSS_OUT, LOSS_IN };
int	 loss_drop(enum loss_dir);
/* what was dropped since start, each way */
void	 loss_stats(uint64_t *out, uint64_t *in);

/* clientdb.c: LeaseSets of and for clients */
#define CDB_STORE_WAIT		5000	/* ms for a floodfill's store ack */
#define CDB_STORE_TRIES		3	/* floodfills a round, then failed */
#define CDB_STORE_RETRY		60000	/* ms: a new round after failing */
#define CDB_VERIFY_MIN		10000	/* ms after the ack, at least */
#define CDB_VERIFY_SPREAD	10000	/* ms more, at random */
#define CDB_LOOKUP_TRY		5000	/* ms per floodfill asked */
#define CDB_LOOKUP_ASK		7	/* floodfills a lookup asks */
#define CDB_LOOKUP_FLY		2	/* of them at once */
#define CDB_LOOKUP_TIME		40000	/* ms in all */
#define CDB_VERIFY_ASK		3	/* floodfills a verification asks */
#define CDB_LOOKUPS_CLIENT	16	/* pending lookups of one client */
#define CDB_LOOKUPS_MAX		256	/* and of all */
#define CDB_WAITERS		8	/* tunneld requests sharing a lookup */
#define CDB_CANDIDATES		16	/* floodfills known to a lookup */
#define CDB_FAILED_MAX		64	/* floodfills that failed lately */
#define CDB_FAILED_TIME		(10 * 60 * 1000)	/* ms */

struct clientdb_ops {
	/*
	 * The message to floodfill ff as garlic to its router key, out of
	 * one of the client's outbound tunnels (delivery ROUTER); -1 if not.
	 */
	int	(*send)(uint32_t client, const uint8_t ff[32],
		    const struct i2np_hdr *, const uint8_t *, size_t);
	int	(*reply_path)(uint32_t client, uint8_t gw[32],
		    uint32_t *tunnel_id);
	/* up to max floodfills closest to key, closest first, skip() out */
	size_t	(*closest)(const uint8_t key[32],
		    int (*skip)(const uint8_t hash[32], void *), void *,
		    struct kad_near *, size_t max);
	/* 1 if hash is a floodfill we know */
	int	(*is_floodfill)(const uint8_t hash[32]);
	void	(*status)(const struct ls_status *);
	void	(*found)(const struct ls_found *, const uint8_t *ls,
		    size_t len);
};
/* ops NULL: the netDb, tunnels.c, garlic to floodfills and tunneld */
void	 clientdb_init(const struct clientdb_ops *ops, int use_event);
/*
 * IMSG_LS_PUBLISH: the LeaseSet checked as lsdb_check checks one (type
 * 3 only, its signature, its destination's hash is the key and the
 * client's: another's through these tunnels would link the two; published
 * no further ahead than i2pd floodfills take, 120 s) and as said, kept
 * if newer than the client's; 0, or -1 with a reason.
 */
int	 clientdb_publish(const struct ls_publish *, const uint8_t *, size_t,
	    uint64_t now_ms, const char **why);
/* IMSG_LS_LOOKUP */
void	 clientdb_lookup(const struct ls_lookup *, uint64_t now_ms);
/* timeouts and verifications due; once a second */
void	 clientdb_tick(uint64_t now_ms);
/* a DeliveryStatus at the client's inbound end: 1 if a store's ack */
int	 clientdb_status(uint32_t client, const uint8_t *, size_t,
	    uint64_t now_ms);
/* a Garlic message there: 1 if it answers a lookup of the client's */
int	 clientdb_garlic(uint32_t client, const uint8_t *, size_t,
	    uint64_t now_ms);
/* IMSG_LS_PUBLISH, IMSG_LS_LOOKUP from tunneld, sizes checked */
struct imsg;
void	 clientdb_imsg(struct imsg *);
/* the client is gone: its LeaseSet and lookups too */
void	 clientdb_close(uint32_t client);
void	 clientdb_shutdown(void);

#endif /* I2PRD_CLIENT_H */
