/*
 * A client's traffic (see client.h).
 *
 * Out: each IMSG_CLIENT_SEND record's I2NP message (9-byte header, as
 * tunneld wrote it) goes out of one of the client's outbound tunnels
 * to the remote lease, delivery TUNNEL.  A record without a ready
 * tunnel is counted and dropped: tunneld's streaming resends.  A
 * malformed batch is fatal: tunneld is a sibling process, as netd is.
 *
 * In: at the end of the client's inbound tunnels routerd takes what it
 * waits for there, for that client alone: the DeliveryStatus of the
 * client's tunnel tests and LeaseSet stores, garlic under a tag of the
 * client's lookups.  Other garlic is the destination's (its ratchet
 * sessions, in tunneld); anything else is dropped: nothing goes to the
 * router's own handlers, and the router's own reply tags are not tried
 * (audit #3).  What is tunneld's goes in CLIENT_RECV batches,
 * one per client, built while the event lasts and sent when it ends
 * (a zero timeout runs after the events at hand), so that a TunnelData
 * batch from netd with many messages for one destination costs one
 * imsg, not one each.  A batch full before then goes at once.  While
 * more than CLIENT_RECV_QUEUE_MAX imsgs wait in the link to tunneld,
 * arrivals are dropped and counted against their client: a tunneld
 * that does not read must not make routerd buffer without bound, and
 * each client has at most one open batch (CLIENT_BATCH_MAX).  Before
 * that, from a quarter of it, each client gets CLIENT_RECV_RATE
 * messages a second: one flooded destination (anyone may send to its
 * leases) does not take the link from the others.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "buf.h"
#include "clientbatch.h"
#include "i2pdata.h"
#include "log.h"
#include "routerd.h"
#include "client.h"
#include "throttle.h"
#include "tmsg.h"

#define CLIENT_RECV_RATE	1000.0	/* messages/s a client, link busy */
#define CLIENT_RECV_BURST	2000.0

struct recvq {
	TAILQ_ENTRY(recvq)	 entry;
	uint32_t		 client;
	struct wbuf		 w;
};
TAILQ_HEAD(recvq_list, recvq);

static const struct client_io	 real_io;
/* tunneld may send before the first configuration starts us */
static const struct client_io	*io = &real_io;
static struct recvq_list	 recvqs = TAILQ_HEAD_INITIALIZER(recvqs);
static int			 use_ev, armed;
static struct event		 ev_flush;
static struct bucket_set	 recv_buckets;

/* one record out; the counters are NULL for a client gone meanwhile */
static void
send_one(uint32_t client, struct client_stats *c,
    const struct client_out *o)
{
	struct i2np_hdr	 h;
	struct rbuf	 payload;
	struct tdi	 dest;
	const uint8_t	*p;

	if (i2np_msg_parse_short(&h, &payload, o->msg, o->len, NULL) == -1 ||
	    rbuf_get_ptr(&payload, &p, rbuf_left(&payload)) == -1)
		fatalx("CLIENT_SEND: malformed I2NP message");
	if (c == NULL)
		return;
	if (loss_drop(LOSS_OUT)) {
		c->test_drop_out++;
		return;
	}
	memset(&dest, 0, sizeof(dest));
	dest.type = TDI_TUNNEL;
	memcpy(dest.hash, o->gateway, 32);
	dest.tunnel_id = o->tunnel_id;
	if (io->send_out(client, o->out_serial, &dest, &h, p, h.size) == -1) {
		c->no_tunnel++;
		return;
	}
	c->msgs_out++;
	c->bytes_out += o->len;
}

void
client_send(const void *data, size_t len)
{
	struct client_stats	*c;
	struct client_out	 o;
	struct rbuf		 r;
	uint32_t		 client;
	int			 rv;

	if (clientbatch_begin(&r, data, len, &client) == -1)
		fatalx("CLIENT_SEND: malformed batch");
	/* a client just closed: its records are checked, then dropped */
	c = tunnels_client_counters(client);
	while ((rv = clientbatch_next_out(&r, &o)) == 1)
		send_one(client, c, &o);
	if (rv == -1)
		fatalx("CLIENT_SEND: malformed batch");
}

static void
recvq_emit(struct recvq *q)
{
	if (wbuf_len(&q->w) > sizeof(struct client_batch))
		io->recv_emit(wbuf_data(&q->w), wbuf_len(&q->w));
	TAILQ_REMOVE(&recvqs, q, entry);
	wbuf_free(&q->w);
	free(q);
}

void
client_flush(void)
{
	while (!TAILQ_EMPTY(&recvqs))
		recvq_emit(TAILQ_FIRST(&recvqs));
	armed = 0;
}

static void
flush_cb(int fd, short event, void *arg)
{
	client_flush();
}

static struct recvq *
recvq_get(uint32_t client)
{
	struct timeval	 tv = { 0, 0 };
	struct recvq	*q;

	TAILQ_FOREACH(q, &recvqs, entry)
		if (q->client == client)
			return q;
	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    wbuf_init_dynamic(&q->w, 4096, CLIENT_BATCH_MAX) == -1)
		fatal("CLIENT_RECV batch");
	q->client = client;
	clientbatch_start(&q->w, client);
	TAILQ_INSERT_TAIL(&recvqs, q, entry);
	if (use_ev && !armed) {
		armed = 1;
		evtimer_add(&ev_flush, &tv);
	}
	return q;
}

/* the message in the 9-byte-header form tunneld reads, into one batch */
static int
recv_put(uint32_t client, uint32_t serial, const struct i2np_hdr *hp,
    const uint8_t *payload)
{
	static uint8_t	 msg[I2NP_SHORT_HDRLEN + I2NP_MAX_PAYLOAD];
	struct i2np_hdr	 h = *hp;
	struct client_in in;
	struct recvq	*q;
	struct wbuf	 w;

	wbuf_init_fixed(&w, msg, sizeof(msg));
	if (i2np_msg_write_short(&h, payload, hp->size, &w) == -1 ||
	    wbuf_error(&w))
		return -1;
	in.in_serial = serial;
	in.msg = wbuf_data(&w);
	in.len = wbuf_len(&w);
	q = recvq_get(client);
	if (clientbatch_put_in(&q->w, &in) == 0)
		return 0;
	/* full: this batch goes now, the message starts the next */
	recvq_emit(q);
	return clientbatch_put_in(&recvq_get(client)->w, &in);
}

/* 1 if the link to tunneld has room for one more of client's */
static int
recv_room(uint32_t client)
{
	uint8_t	key[32];
	size_t	backlog = io->recv_backlog();

	if (backlog >= CLIENT_RECV_QUEUE_MAX)
		return 0;
	if (backlog < CLIENT_RECV_QUEUE_MAX / 4)
		return 1;
	memset(key, 0, sizeof(key));
	memcpy(key, &client, sizeof(client));
	return bucket_take(&recv_buckets, key, CLIENT_RECV_RATE,
	    CLIENT_RECV_BURST, io->clock_ms());
}

int
client_recv(uint32_t client, uint32_t serial, const struct i2np_hdr *h,
    const uint8_t *payload)
{
	struct client_stats	*c;

	if ((c = tunnels_client_counters(client)) == NULL)
		return -1;
	if (loss_drop(LOSS_IN)) {
		c->test_drop_in++;
		return -1;
	}
	if (!recv_room(client) ||
	    recv_put(client, serial, h, payload) == -1) {
		c->dropped_in++;
		return -1;
	}
	c->msgs_in++;
	c->bytes_in += I2NP_SHORT_HDRLEN + h->size;
	return 0;
}

int
client_in(uint32_t client, uint32_t serial, const struct i2np_hdr *h,
    const uint8_t *p, uint64_t now, int (*test)(void *, const uint8_t *,
    size_t), void *arg)
{
	if (i2np_expired(h, now))
		return -1;
	switch (h->type) {
	case I2NP_DELIVERY_STATUS:
		return test(arg, p, h->size) ||
		    clientdb_status(client, p, h->size, now) ? 0 : -1;
	case I2NP_GARLIC:
		if (clientdb_garlic(client, p, h->size, now))
			return 0;
		return client_recv(client, serial, h, p);
	default:
		return -1;
	}
}

static int
real_send_out(uint32_t client, uint32_t serial, const struct tdi *dest,
    struct i2np_hdr *h, const uint8_t *p, size_t len)
{
	return tunnels_client_send(client, serial, dest, h, p, len);
}

static int
real_emit(const void *data, size_t len)
{
	struct peer	*tunneld = peer_get(PROC_TUNNELD);

	if (tunneld == NULL)
		return -1;
	return peer_compose(tunneld, IMSG_CLIENT_RECV, 0, -1, data, len);
}

static size_t
real_backlog(void)
{
	struct peer	*tunneld = peer_get(PROC_TUNNELD);

	/* no tunneld: nowhere to queue */
	if (tunneld == NULL)
		return CLIENT_RECV_QUEUE_MAX;
	return msgbuf_queuelen(&tunneld->ibuf.w);
}

static const struct client_io real_io = {
	.send_out = real_send_out,
	.recv_emit = real_emit,
	.recv_backlog = real_backlog,
	.clock_ms = mono_ms,
};

void
client_init(const struct client_io *o, int use_event)
{
	io = o != NULL ? o : &real_io;
	use_ev = use_event;
	if (use_ev)
		evtimer_set(&ev_flush, flush_cb, NULL);
	armed = 0;
}

void
client_shutdown(void)
{
	struct recvq	*q;

	if (use_ev && armed)
		evtimer_del(&ev_flush);
	while ((q = TAILQ_FIRST(&recvqs)) != NULL) {
		TAILQ_REMOVE(&recvqs, q, entry);
		wbuf_free(&q->w);
		free(q);
	}
	armed = 0;
}
