/*
 * The local destinations' stream hosts, joined to destio, kreq and the
 * event loop (see streams.h).
 */
#include <string.h>
#include <time.h>

#include "destio.h"
#include "i2cpdata.h"
#include "kreq.h"
#include "log.h"
#include "lscache.h"
#include "stream_pkt.h"
#include "streams.h"
#include "tunneld.h"

/* kreq's kind for our signatures: the asker's own numbering */
#define STREAMS_KREQ_SIGN	0x5354

struct slot {
	uint32_t		 keyid;
	struct stream_host	*host;
};

static struct slot			 slots[DESTS_RUN_MAX];
static const struct streams_app_ops	*app;

void
streams_init(const struct streams_app_ops *ops)
{
	app = ops;
	memset(slots, 0, sizeof(slots));
}

int64_t
streams_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct slot *
slot_find(uint32_t keyid)
{
	size_t	i;

	for (i = 0; i < DESTS_RUN_MAX; i++)
		if (slots[i].host != NULL && slots[i].keyid == keyid)
			return &slots[i];
	return NULL;
}

/* what a packet says, at debug level: which stream, which flags */
static void
pkt_log(const char *dir, uint32_t keyid, const uint8_t *pkt, size_t len,
    int sent)
{
	struct stream_pkt	 p;
	struct i2p_err		 err;

	if (log_getlevel() < LOG_DEBUG)
		return;
	if (stream_pkt_parse(&p, pkt, len, NULL, &err) == -1) {
		log_debug("destination %08x: stream packet %s, %zu bytes, "
		    "not parsed without its sender", keyid, dir, len);
		return;
	}
	log_debug("destination %08x: stream packet %s: ids %u/%u seq %u "
	    "ack %u nacks %u flags 0x%04x payload %zu%s", keyid, dir,
	    p.send_id, p.recv_id, p.seq, p.ack_through, p.nnacks, p.flags,
	    p.len, sent ? "" : " (not sent)");
}

/* stream_ops.send: protocol-6 Data messages through the session */
static int
op_send(void *arg, const uint8_t remote[32], uint16_t src_port,
    uint16_t dst_port, const uint8_t *lead, size_t leadlen,
    const uint8_t *pkt, size_t len)
{
	struct slot		*sl = arg;
	struct destio		*io;
	struct i2cpdata_hdr	 h;
	int			 rv;

	if ((io = dests_io(sl->keyid)) == NULL)
		return -1;
	h.src_port = src_port;
	h.dst_port = dst_port;
	h.proto = I2CP_PROTO_STREAMING;
	if (lead != NULL)
		rv = destio_send_lead(io, remote, &h, lead, leadlen, pkt, len,
		    time(NULL));
	else
		rv = destio_send(io, remote, &h, pkt, len, time(NULL));
	if (lead != NULL)
		pkt_log("out (lead)", sl->keyid, lead, leadlen, rv == 0);
	pkt_log("out", sl->keyid, pkt, len, rv == 0);
	return rv;
}

static void
signed_cb(const struct kreq_cookie *c, int ok, const uint8_t *sig)
{
	struct slot	*sl;

	/* the destination or its streams gone meanwhile: nobody waits */
	if ((sl = slot_find(c->keyid)) == NULL)
		return;
	stream_host_signed(sl->host, c->id, ok ? sig : NULL, ok ? 64 : 0,
	    streams_now());
	streams_kick();
}

/* stream_ops.sign: cryptod signs with the destination's key */
static int
op_sign(void *arg, uint64_t cookie, const uint8_t *msg, size_t len)
{
	struct slot		*sl = arg;
	struct kreq_cookie	 c;

	memset(&c, 0, sizeof(c));
	c.keyid = sl->keyid;
	c.kind = STREAMS_KREQ_SIGN;
	c.id = cookie;
	return kreq_sign(&c, msg, len, signed_cb, time(NULL));
}

/* stream_ops.lost: packets to remote go unanswered, try another path */
static void
op_lost(void *arg, const uint8_t remote[32], unsigned resends)
{
	struct slot	*sl = arg;
	struct destio	*io;

	if ((io = dests_io(sl->keyid)) != NULL)
		destio_reroute(io, remote, resends, time(NULL));
}

static int
op_accept(void *arg, struct stream *s)
{
	struct slot	*sl = arg;

	if (app == NULL || app->incoming == NULL)
		return -1;
	return app->incoming(sl->keyid, s);
}

struct stream_host *
streams_host(uint32_t keyid, const struct stream_opts *opts)
{
	static struct stream_ops	 ops[DESTS_RUN_MAX];
	const struct i2p_ident		*ident;
	struct slot			*sl;
	size_t				 i;

	if ((sl = slot_find(keyid)) != NULL)
		return sl->host;
	if (dests_io(keyid) == NULL || (ident = dests_ident(keyid)) == NULL)
		return NULL;
	for (i = 0; i < DESTS_RUN_MAX && slots[i].host != NULL; i++)
		;
	if (i == DESTS_RUN_MAX)
		return NULL;
	ops[i].send = op_send;
	ops[i].sign = op_sign;
	ops[i].accept = op_accept;
	ops[i].lost = op_lost;
	ops[i].arg = &slots[i];
	slots[i].keyid = keyid;
	if ((slots[i].host = stream_host_new(ident, opts, &ops[i])) == NULL)
		return NULL;
	return slots[i].host;
}

struct stream_host *
streams_find(uint32_t keyid)
{
	struct slot	*sl;

	if ((sl = slot_find(keyid)) == NULL)
		return NULL;
	return sl->host;
}

void
streams_drop(uint32_t keyid)
{
	struct slot	*sl;

	if ((sl = slot_find(keyid)) == NULL)
		return;
	stream_host_free(sl->host);
	sl->host = NULL;
	kreq_drop_dest(keyid);
}

int
streams_reset_all(uint32_t keyid)
{
	struct slot	*sl;
	int		 n;

	if ((sl = slot_find(keyid)) == NULL)
		return 0;
	n = stream_host_reset_all(sl->host, streams_now());
	streams_kick();
	return n;
}

int
streams_signing(uint32_t keyid)
{
	struct slot	*sl;

	if ((sl = slot_find(keyid)) == NULL)
		return 0;
	return stream_host_signing(sl->host);
}

void
streams_input(uint32_t keyid, const uint8_t *pkt, size_t len,
    uint16_t src_port, uint16_t dst_port, const uint8_t *from)
{
	const struct lsremote	*ls = NULL;
	struct slot		*sl;

	if ((sl = slot_find(keyid)) == NULL) {
		log_debug("destination %08x: a streaming packet, no streams",
		    keyid);
		return;
	}
	pkt_log("in", keyid, pkt, len, 1);
	/* the sender's Destination, if its LeaseSet is known: a SYN has it */
	if (from != NULL)
		ls = lscache_peek(keyid, from, time(NULL));
	stream_host_input(sl->host, pkt, len, src_port, dst_port,
	    ls != NULL ? &ls->dest : NULL, streams_now());
	streams_kick();
}

void
streams_run(void)
{
	int64_t	now = streams_now();
	size_t	i;

	for (i = 0; i < DESTS_RUN_MAX; i++)
		if (slots[i].host != NULL)
			stream_host_tick(slots[i].host, now);
	streams_kick();
}

void
streams_kick(void)
{
	int64_t	next = -1, t;
	size_t	i;

	for (i = 0; i < DESTS_RUN_MAX; i++) {
		if (slots[i].host == NULL)
			continue;
		t = stream_host_next(slots[i].host);
		if (t >= 0 && (next < 0 || t < next))
			next = t;
	}
	if (next >= 0 && app != NULL && app->schedule != NULL)
		app->schedule(next);
}
