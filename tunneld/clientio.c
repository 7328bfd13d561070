/*
 * A destination's messages to and from routerd, in batches
 * (clientio.h).
 */
#include <stdlib.h>
#include <string.h>

#include "clientio.h"
#include "i2prd.h"
#include "log.h"

struct pending {
	uint32_t	 client;
	struct wbuf	 w;
};

static const struct clientio_ops	*ops;
static struct pending			 pend[CLIENTIO_PENDING_MAX];
static size_t				 npend;
static int				 scheduled;
static struct clientio_stats		 st;

void
clientio_init(const struct clientio_ops *o)
{
	clientio_free();
	ops = o;
	memset(&st, 0, sizeof(st));
}

static void
pending_send(struct pending *p)
{
	st.batches_out++;
	ops->send(wbuf_data(&p->w), wbuf_len(&p->w));
	wbuf_free(&p->w);
}

void
clientio_flush(void)
{
	size_t	i;

	for (i = 0; i < npend; i++)
		pending_send(&pend[i]);
	npend = 0;
	scheduled = 0;
}

static struct pending *
pending_get(uint32_t client)
{
	struct pending	*p;
	size_t		 i;

	for (i = 0; i < npend; i++)
		if (pend[i].client == client)
			return &pend[i];
	if (npend == CLIENTIO_PENDING_MAX)
		clientio_flush();
	p = &pend[npend++];
	p->client = client;
	if (wbuf_init_dynamic(&p->w, 4096, sizeof(struct client_batch) +
	    CLIENT_BATCH_MAX) == -1 || clientbatch_start(&p->w, client) == -1)
		fatal("client batch");
	return p;
}

int
clientio_send(uint32_t client, const struct client_out *o)
{
	struct pending	*p;

	if (ops->congested()) {
		st.dropped_congested++;
		return -1;
	}
	p = pending_get(client);
	if (clientbatch_put_out(&p->w, o) == -1) {
		/* full: this batch goes now, the message opens the next */
		pending_send(p);
		if (wbuf_init_dynamic(&p->w, 4096, sizeof(struct client_batch) +
		    CLIENT_BATCH_MAX) == -1 ||
		    clientbatch_start(&p->w, client) == -1)
			fatal("client batch");
		if (clientbatch_put_out(&p->w, o) == -1) {
			st.dropped_full++;
			return -1;
		}
	}
	st.msgs_out++;
	st.bytes_out += o->len;
	if (!scheduled) {
		scheduled = 1;
		ops->schedule();
	}
	return 0;
}

int
clientio_recv(const uint8_t *data, size_t len, clientio_in_cb cb, void *arg,
    const char **why)
{
	struct rbuf		r;
	struct client_in	in;
	uint32_t		client;
	int			rv;

	*why = "short batch";
	if (clientbatch_begin(&r, data, len, &client) == -1)
		return -1;
	st.batches_in++;
	while ((rv = clientbatch_next_in(&r, &in)) == 1) {
		st.msgs_in++;
		st.bytes_in += in.len;
		cb(arg, client, &in);
	}
	*why = "malformed record";
	return rv;
}

void
clientio_stats(struct clientio_stats *out)
{
	*out = st;
}

void
clientio_free(void)
{
	size_t	i;

	for (i = 0; i < npend; i++)
		wbuf_free(&pend[i].w);
	npend = 0;
	scheduled = 0;
}
