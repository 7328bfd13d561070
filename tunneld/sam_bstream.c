/*
 * The SAM bridge's streams (sam.h's stream calls) on the destinations'
 * stream hosts (streams.h).  The bridge knows a stream by an id it
 * chose; each id here holds its struct stream.  What the streams say
 * (connected, readable, writable, closed) is noted on the entry and
 * told the bridge at the event loop's next turn, never inside a call
 * of the bridge's own.
 */
#include <string.h>
#include <time.h>

#include "i2pdata.h"
#include "log.h"
#include "sam_backend.h"
#include "streams.h"
#include "tunneld.h"

#define BS_CONNECTED	0x01
#define BS_READABLE	0x02
#define BS_WRITABLE	0x04
#define BS_CLOSED	0x08

struct bstream {
	uint32_t	 id;		/* the bridge's; 0: free */
	uint32_t	 keyid;		/* the destination's */
	struct stream	*s;		/* NULL once freed */
	int		 connecting;	/* CONNECT not yet answered */
	int		 closed;	/* STREAM_EV_CLOSED came */
	int		 shut;		/* the client's EOF went on */
	unsigned	 events;	/* to tell the bridge */
};

static struct bstream	 bs[STREAM_MAX];
static size_t		 nbs;		/* high-water mark of bs */
static void		(*schedule)(void);

void
sam_bstream_init(void (*sched)(void))
{
	schedule = sched;
}

static struct bstream *
by_id(uint32_t id)
{
	size_t	i;

	for (i = 0; i < nbs; i++)
		if (id != 0 && bs[i].id == id)
			return &bs[i];
	return NULL;
}

static struct bstream *
bs_new(uint32_t id, uint32_t keyid, struct stream *s)
{
	size_t	i;

	for (i = 0; i < nbs && bs[i].id != 0; i++)
		;
	if (i == STREAM_MAX)
		return NULL;
	if (i == nbs)
		nbs++;
	memset(&bs[i], 0, sizeof(bs[i]));
	bs[i].id = id;
	bs[i].keyid = keyid;
	bs[i].s = s;
	return &bs[i];
}

static void
on_event(void *app, struct stream *s, enum stream_event ev)
{
	struct bstream	*b = app;

	switch (ev) {
	case STREAM_EV_CONNECTED:
		b->events |= BS_CONNECTED;
		break;
	case STREAM_EV_READABLE:
		b->events |= BS_READABLE;
		break;
	case STREAM_EV_WRITABLE:
		b->events |= BS_WRITABLE;
		break;
	case STREAM_EV_CLOSED:
		b->closed = 1;
		b->events |= BS_CLOSED;
		break;
	}
	schedule();
}

/* a CONNECT that did not connect: the RESULT the client gets */
static const char *
connect_result(enum stream_error e)
{
	switch (e) {
	case STREAM_ERR_TIMEOUT:
		return "TIMEOUT";
	case STREAM_ERR_RESET:
	case STREAM_ERR_REFUSED:
		return "CANT_REACH_PEER";
	default:
		return "I2P_ERROR";
	}
}

static const char *
close_reason(enum stream_error e)
{
	switch (e) {
	case STREAM_ERR_NONE:
		return NULL;
	case STREAM_ERR_RESET:
		return "reset by the peer";
	case STREAM_ERR_TIMEOUT:
		return "timed out";
	case STREAM_ERR_REFUSED:
		return "peer not reachable";
	case STREAM_ERR_LIMIT:
		return "over a limit";
	default:
		return "closed";
	}
}

/* what the streams said since the last turn, told the bridge */
void
sam_bstream_run(void)
{
	struct bstream	*b;
	unsigned	 ev;
	size_t		 i;

	for (i = 0; i < nbs; i++) {
		b = &bs[i];
		if (b->id == 0 || b->events == 0)
			continue;
		ev = b->events;
		b->events = 0;
		if (b->connecting && (ev & (BS_CONNECTED | BS_CLOSED))) {
			b->connecting = 0;
			if (ev & BS_CONNECTED)
				sam_backend_stream_connected(b->id, "OK", NULL);
			else {
				/* the bridge forgets the id: so do we */
				sam_backend_stream_connected(b->id,
				    connect_result(stream_error(b->s)),
				    close_reason(stream_error(b->s)));
				stream_free(b->s);
				memset(b, 0, sizeof(*b));
				continue;
			}
		}
		/* the bridge may close the stream in any of these */
		if ((ev & BS_READABLE) && b->id != 0)
			sam_backend_stream_readable(b->id);
		if ((ev & BS_WRITABLE) && b->id != 0)
			sam_backend_stream_writable(b->id);
		if ((ev & BS_CLOSED) && b->id != 0)
			sam_backend_stream_closed(b->id,
			    close_reason(stream_error(b->s)));
	}
}

/* on the host the backend made with the session's options */
int
sam_bstream_connect(uint32_t keyid, uint32_t id, const uint8_t *dest,
    size_t destlen, uint16_t from_port, uint16_t to_port)
{
	struct stream_host	*host;
	struct i2p_ident	 peer;
	struct stream		*s;
	struct bstream		*b;

	if (ident_parse_bytes(&peer, dest, destlen, IDENT_DEST, NULL) == -1 ||
	    (host = streams_find(keyid)) == NULL ||
	    (s = stream_connect(host, &peer, from_port, to_port,
	    streams_now())) == NULL)
		return -1;
	if ((b = bs_new(id, keyid, s)) == NULL) {
		stream_abort(s, streams_now());
		return -1;
	}
	b->connecting = 1;
	stream_set_app(s, on_event, b);
	streams_kick();
	return 0;
}

/* streams_app_ops.incoming for a SAM session's destination */
int
sam_bstream_incoming(uint32_t keyid, uint32_t sid, struct stream *s)
{
	const struct i2p_ident	*peer = stream_peer(s);
	struct stream_info	 si;
	struct bstream		*b;
	uint32_t		 id;

	stream_info(s, &si);
	if (peer == NULL || (b = bs_new(0, keyid, s)) == NULL)
		return -1;
	stream_set_app(s, on_event, b);
	id = sam_backend_stream_incoming(sid, peer->raw, peer->rawlen,
	    si.remote_port, si.local_port);
	if (id == 0) {
		/* nobody takes it: the stream layer resets it */
		stream_set_app(s, NULL, NULL);
		memset(b, 0, sizeof(*b));
		return -1;
	}
	b->id = id;
	/*
	 * the bridge starts the stream now that it knows the id: bytes
	 * may have come with the SYN, and the socket's may go
	 */
	b->events |= BS_READABLE | BS_WRITABLE;
	schedule();
	return 0;
}

ssize_t
sam_bstream_write(uint32_t id, const void *buf, size_t len)
{
	struct bstream	*b = by_id(id);
	ssize_t		 n;

	if (b == NULL || b->closed)
		return -1;
	n = stream_write(b->s, buf, len, streams_now());
	streams_kick();
	return n;
}

ssize_t
sam_bstream_read(uint32_t id, void *buf, size_t len)
{
	struct bstream	*b = by_id(id);
	size_t		 n;

	if (b == NULL)
		return -1;
	n = stream_read(b->s, buf, len, streams_now());
	streams_kick();
	if (n == 0 && stream_eof(b->s))
		return -1;
	return (ssize_t)n;
}

void
sam_bstream_shutdown(uint32_t id)
{
	struct bstream	*b = by_id(id);

	if (b == NULL || b->closed)
		return;
	stream_shutdown(b->s, streams_now());
	b->shut = 1;
	streams_kick();
}

void
sam_bstream_close(uint32_t id)
{
	struct bstream	*b = by_id(id);

	if (b == NULL)
		return;
	/* shut by the client: its data and CLOSE still go, then it closes */
	if (b->closed || b->shut)
		stream_free(b->s);
	else
		stream_abort(b->s, streams_now());
	memset(b, 0, sizeof(*b));
	streams_kick();
}

/* the destination's streams go with it: forget their entries */
void
sam_bstream_drop(uint32_t keyid)
{
	size_t	i;

	for (i = 0; i < nbs; i++)
		if (bs[i].id != 0 && bs[i].keyid == keyid)
			memset(&bs[i], 0, sizeof(bs[i]));
}
