/*
 * libFuzzer target: SAM streams (tunneld/sam_stream.c).  The input is
 * a script: clients connect and send bytes (STREAM CONNECT, ACCEPT and
 * anything else, then raw stream data), the backend answers connects,
 * offers incoming streams, has bytes to read, takes bytes or not, and
 * closes streams, in the order and with the values the input says.
 * Sockets are freed the way sam_listen.c frees them (dead, or closing
 * with nothing queued).  Checked beyond the sanitizers: every output
 * queue within its bound, a stream socket's queue filled from the
 * backend no further than SAM_STREAM_OUTQ allows, and each session's
 * counts of waiting ACCEPTs and streams equal to the sockets that are
 * in those states.  FORWARD would connect out for real: no incoming
 * stream is offered while one is on, so nothing leaves the process.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>

#include "crypto.h"
#include "i2pdata.h"
#include "log.h"
#include "../../tunneld/sam.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

#define CONNS	8
#define IDS	16

static uint32_t	 open_sid, reqid, ids[IDS];
static size_t	 nids, take, rxlen;
static int	 pending_open, pending_req;
static uint8_t	 dest[I2P_IDENT_LEN], priv[I2P_IDENT_LEN + 256 + 32];
static uint8_t	 rx[4096];

static void
add_id(uint32_t id)
{
	if (id != 0)
		ids[nids++ % IDS] = id;
}

static int
be_open(void *arg, const struct sam_open_req *r)
{
	open_sid = r->sid;
	pending_open = 1;
	return 0;
}

static void
be_close(void *arg, uint32_t sid)
{
}

static int
be_lookup(void *arg, uint32_t id, const uint8_t hash[32])
{
	reqid = id;
	pending_req = 1;
	return 0;
}

static int
be_connect(void *arg, uint32_t sid, uint32_t id, const uint8_t *d,
    size_t len, uint16_t from, uint16_t to)
{
	if (len > SAM_DEST_MAX)
		abort();
	add_id(id);
	return 0;
}

static void
be_listen(void *arg, uint32_t sid, int on)
{
}

static ssize_t
be_write(void *arg, uint32_t id, const void *p, size_t len)
{
	return len < take ? len : take;
}

static ssize_t
be_read(void *arg, uint32_t id, void *p, size_t len)
{
	if (rxlen == 0)
		return -1;
	if (len > rxlen)
		len = rxlen;
	memcpy(p, rx, len);
	rxlen -= len;
	return len;
}

static void
be_id(void *arg, uint32_t id)
{
}

static const struct sam_backend backend = {
	.open = be_open, .close = be_close, .lookup = be_lookup,
	.stream_connect = be_connect, .stream_listen = be_listen,
	.stream_write = be_write, .stream_read = be_read,
	.stream_shutdown = be_id, .stream_close = be_id,
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct i2p_ident	 id;
	uint8_t			 pub[32];

	(void)fuzz_stderr();
	if (crypto_init() == -1)
		abort();
	memset(pub, 1, sizeof(pub));
	if (ident_build(&id, IDENT_DEST, NULL, pub, pub) == -1)
		abort();
	memcpy(dest, id.raw, sizeof(dest));
	memcpy(priv, dest, sizeof(dest));
	log_init(1, LOG_USER);
	log_procinit("fuzz_samstream");
	return 0;
}

/* a reader: the next byte, 0 past the end */
struct script {
	const uint8_t	*p;
	size_t		 len, off;
};

static uint8_t
next(struct script *s)
{
	return s->off < s->len ? s->p[s->off++] : 0;
}

static struct sam_conn *
client(void)
{
	struct sockaddr_storage	 ss;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_INET;
	return sam_conn_new(-1, &ss, 0);
}

static void
input(struct sam_conn *c, const char *s)
{
	sam_conn_input(c, s, strlen(s));
}

/* a STREAM session and a PRIMARY with two STREAM subsessions */
static void
sessions(struct sam_conn **ctl)
{
	static const char *const create[2] = {
		"SESSION CREATE STYLE=STREAM ID=s DESTINATION=TRANSIENT\n",
		"SESSION CREATE STYLE=PRIMARY ID=p DESTINATION=TRANSIENT\n",
	};
	int	 i;

	for (i = 0; i < 2; i++) {
		if ((ctl[i] = client()) == NULL)
			abort();
		input(ctl[i], "HELLO VERSION\n");
		input(ctl[i], create[i]);
		sam_backend_opened(open_sid, dest, sizeof(dest), priv,
		    sizeof(priv));
	}
	input(ctl[1], "SESSION ADD STYLE=STREAM ID=a FROM_PORT=80\n"
	    "SESSION ADD STYLE=STREAM ID=b\n");
}

/* the sid of the n-th session (a subsession's is refused: fine too) */
static uint32_t
sid_at(unsigned n)
{
	const struct sam_session	*s;

	TAILQ_FOREACH(s, sam_sessions(), entry)
		if (n-- == 0)
			return s->sid;
	return 0;
}

static int
forwarding(void)
{
	const struct sam_session	*s;

	TAILQ_FOREACH(s, sam_sessions(), entry)
		if (s->fwd_conn != NULL)
			return 1;
	return 0;
}

static void
check_counts(void)
{
	const struct sam_session	*s;
	const struct sam_conn		*c;
	size_t				 na, ns;

	TAILQ_FOREACH(s, sam_sessions(), entry) {
		na = ns = 0;
		TAILQ_FOREACH(c, sam_conns(), entry) {
			if (c->ssess != s)
				continue;
			if (c->mode == SAM_MODE_ACCEPTING)
				na++;
			else
				ns++;
		}
		if (na != s->naccepts || ns != s->nstreams)
			abort();
	}
	TAILQ_FOREACH(c, sam_conns(), entry)
		if (wbuf_len(&c->out) > SAM_OUTQ_MAX ||
		    (c->mode == SAM_MODE_STREAM && c->stream == 0))
			abort();
}

/* what sam_listen.c does: dead or done sockets go */
static void
reap(struct sam_conn **cs)
{
	int	 i;

	for (i = 0; i < CONNS; i++)
		if (cs[i] != NULL && (cs[i]->dead ||
		    (cs[i]->closing && wbuf_len(&cs[i]->out) == 0))) {
			sam_conn_free(cs[i]);
			cs[i] = NULL;
		}
}

static void
client_op(struct script *sc, struct sam_conn **cs, uint8_t op)
{
	struct sam_conn	**c = &cs[next(sc) % CONNS];
	size_t		 n;

	if (*c == NULL) {
		if ((*c = client()) != NULL)
			input(*c, op & 1 ? "HELLO VERSION MAX=3.1\n" :
			    "HELLO VERSION\n");
		return;
	}
	switch (op % 4) {
	case 0:		/* bytes from the client, as the glue reads them */
		n = next(sc) * 4;
		if (n > sc->len - sc->off)
			n = sc->len - sc->off;
		if (n > sam_conn_room(*c))
			n = sam_conn_room(*c);
		sam_conn_input(*c, sc->p + sc->off, n);
		sc->off += n;
		break;
	case 1:		/* the client read its queue */
		(*c)->out.len = 0;
		sam_conn_flushed(*c);
		if (wbuf_len(&(*c)->out) > SAM_STREAM_OUTQ)
			abort();
		break;
	case 2:
		if (sam_conn_eof(*c) == -1) {
			sam_conn_free(*c);
			*c = NULL;
		}
		break;
	default:
		sam_conn_free(*c);
		*c = NULL;
	}
}

static void
backend_op(struct script *sc, uint8_t op)
{
	static const char *const results[] = { "OK", "CANT_REACH_PEER",
	    "TIMEOUT", "INVALID_KEY", "I2P_ERROR", NULL };
	uint32_t	 id = ids[next(sc) % IDS];
	uint16_t	 port = next(sc);

	switch (op % 6) {
	case 0:
		sam_backend_stream_connected(id, results[port % 6], "m");
		break;
	case 1:
		if (!forwarding())
			add_id(sam_backend_stream_incoming(sid_at(port % 5), dest,
			    sizeof(dest), port, port & 1 ? 80 : 81));
		break;
	case 2:
		rxlen = (size_t)next(sc) * 16;
		memset(rx, port, sizeof(rx));
		sam_backend_stream_readable(id);
		break;
	case 3:
		take = port;
		sam_backend_stream_writable(id);
		break;
	case 4:
		sam_backend_stream_closed(id, port & 1 ? NULL : "reset");
		break;
	default:
		if (pending_req)
			sam_backend_found(reqid, port & 1 ? dest : NULL,
			    sizeof(dest));
		pending_req = 0;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct script	 sc = { data, len, 0 };
	struct sam_conn	*cs[CONNS], *ctl[2];
	uint8_t		 op;

	memset(cs, 0, sizeof(cs));
	memset(ids, 0, sizeof(ids));
	nids = rxlen = 0;
	take = 1024;
	pending_req = 0;
	sam_init(&backend, NULL);
	sessions(ctl);
	while (sc.off < sc.len) {
		op = next(&sc);
		if (op & 0x80)
			backend_op(&sc, op);
		else
			client_op(&sc, cs, op);
		reap(cs);
		check_counts();
	}
	sam_init(&backend, NULL);
	return 0;
}
