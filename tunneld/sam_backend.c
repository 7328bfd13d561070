/*
 * What stands behind the SAM bridge (sam_backend.h).
 */
#include <bsd/string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrbook.h"
#include "crypto.h"
#include "destio.h"
#include "destkeys.h"
#include "log.h"
#include "lscache.h"
#include "sam_backend.h"
#include "streams.h"
#include "tunneld.h"

struct bsess {
	uint32_t	 sid;		/* 0: free */
	uint32_t	 keyid;		/* 0: key not made yet */
	uint32_t	 reqid;		/* destkeys request in flight */
	int		 ready;		/* OK answered */
	int		 listen;	/* an ACCEPT waits or a FORWARD is on */
	time_t		 started;
	struct dest_conf conf;
	struct stream_opts sopts;	/* its i2p.streaming.* options */
	int		 unpublished;
	uint8_t		*priv;		/* for the OK; wiped after */
	size_t		 privlen;
	struct i2p_ident dest;
};

/* an answer for the next turn: a lookup's or a DEST GENERATE's */
struct deferred {
	int		 kind;		/* 1: found, 2: generated */
	uint32_t	 reqid;
	uint8_t		 pub[I2P_IDENT_MAXLEN];
	size_t		 publen;
	uint8_t		*priv;
	size_t		 privlen;
	char		 msg[128];
};

#define DEFERRED_MAX	64

static struct bsess	 sess[SAM_SESSIONS_MAX];
static struct deferred	 deferred[DEFERRED_MAX];
static size_t		 ndeferred;
static void		(*schedule)(void);

static struct bsess *
by_sid(uint32_t sid)
{
	size_t	i;

	for (i = 0; i < SAM_SESSIONS_MAX; i++)
		if (sid != 0 && sess[i].sid == sid)
			return &sess[i];
	return NULL;
}

static struct bsess *
by_keyid(uint32_t keyid)
{
	size_t	i;

	for (i = 0; i < SAM_SESSIONS_MAX; i++)
		if (keyid != 0 && sess[i].sid != 0 && sess[i].keyid == keyid)
			return &sess[i];
	return NULL;
}

static void
bsess_free(struct bsess *b)
{
	if (b->priv != NULL) {
		crypto_wipe(b->priv, b->privlen);
		free(b->priv);
	}
	memset(b, 0, sizeof(*b));
}

static int
defer(int kind, uint32_t reqid, const uint8_t *pub, size_t publen,
    const uint8_t *priv, size_t privlen, const char *msg)
{
	struct deferred	*d;

	if (ndeferred == DEFERRED_MAX || publen > sizeof(d->pub))
		return -1;
	d = &deferred[ndeferred++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->reqid = reqid;
	if (pub != NULL)
		memcpy(d->pub, pub, publen);
	d->publen = publen;
	if (priv != NULL) {
		if ((d->priv = malloc(privlen)) == NULL)
			fatal(NULL);
		memcpy(d->priv, priv, privlen);
		d->privlen = privlen;
	}
	if (msg != NULL)
		strlcpy(d->msg, msg, sizeof(d->msg));
	schedule();
	return 0;
}

void
sam_backend_run(void)
{
	struct deferred	 d;
	size_t		 i, n = ndeferred;

	ndeferred = 0;
	sam_bstream_run();
	for (i = 0; i < n; i++) {
		d = deferred[i];
		if (d.kind == 1)
			sam_backend_found(d.reqid, d.publen ? d.pub : NULL,
			    d.publen);
		else
			sam_backend_generated(d.reqid, d.priv ? d.pub : NULL,
			    d.publen, d.priv, d.privlen, d.msg);
		if (d.priv != NULL) {
			crypto_wipe(d.priv, d.privlen);
			free(d.priv);
		}
	}
}

/* the session's key came: its destination joins dests.c */
static void
key_made(void *arg, uint32_t reqid, const struct destkey *k, int code,
    const char *msg)
{
	struct bsess	*b;
	const char	*why;
	char		 name[DEST_NAME_MAX + 1];

	if ((b = by_sid((uint32_t)(uintptr_t)arg)) == NULL ||
	    b->reqid != reqid)
		return;
	b->reqid = 0;
	if (k == NULL) {
		sam_backend_open_failed(b->sid, code == KEY_ERR_BAD_KEY ||
		    code == KEY_ERR_UNSUPPORTED ? "INVALID_KEY" : "I2P_ERROR",
		    msg);
		bsess_free(b);
		return;
	}
	if (k->priv != NULL) {
		if ((b->priv = malloc(k->privlen)) == NULL)
			fatal(NULL);
		memcpy(b->priv, k->priv, k->privlen);
		b->privlen = k->privlen;
	}
	b->keyid = k->keyid;
	b->dest = k->dest;
	snprintf(name, sizeof(name), "sam.%u", b->sid);
	if (dests_session_add(name, k->keyid, &k->dest, k->ls_pub, &b->conf,
	    b->unpublished, &why) == -1) {
		sam_backend_open_failed(b->sid, strcmp(why,
		    "destination in use") == 0 ? "DUPLICATED_DEST" : "I2P_ERROR",
		    why);
		destkeys_release(b->keyid);
		bsess_free(b);
	}
}

static int
clamp(int v, int dflt, int lo, int hi)
{
	if (v < 0)
		return dflt;
	return v < lo ? lo : v > hi ? hi : v;
}

/*
 * The pools: the client's options where it gave them, within what
 * routerd builds.  A length of 0 becomes 1: a zero-hop tunnel would
 * make this router the destination's gateway for anyone to see.
 */
static void
conf_from(struct dest_conf *dc, const struct sam_tunnel_opts *o)
{
	int	dir;

	memset(dc, 0, sizeof(*dc));
	for (dir = 0; dir < 2; dir++) {
		dc->length[dir] = clamp(o->length[dir], CLIENT_LENGTH, 1,
		    EXPL_LENGTH_MAX);
		dc->quantity[dir] = clamp(o->quantity[dir], CLIENT_QUANTITY,
		    1, EXPL_QUANTITY_MAX);
	}
}

static int
be_open(void *arg, const struct sam_open_req *req)
{
	struct bsess	*b = NULL;
	const char	*why;
	size_t		 i;
	int		 rv;

	for (i = 0; i < SAM_SESSIONS_MAX && b == NULL; i++)
		if (sess[i].sid == 0)
			b = &sess[i];
	if (b == NULL || by_sid(req->sid) != NULL)
		return -1;
	memset(b, 0, sizeof(*b));
	b->sid = req->sid;
	b->started = time(NULL);
	conf_from(&b->conf, &req->opts);
	if (req->stream != NULL)
		b->sopts = *req->stream;
	else
		stream_opts_default(&b->sopts);
	b->unpublished = req->opts.publish == 0;
	if (req->priv == NULL)
		rv = destkeys_transient(b->sid, req->sigtype, 0, key_made,
		    (void *)(uintptr_t)b->sid, &b->reqid, &why);
	else {
		/* the OK gives the client its own key back */
		if ((b->priv = malloc(req->privlen)) == NULL)
			fatal(NULL);
		memcpy(b->priv, req->priv, req->privlen);
		b->privlen = req->privlen;
		rv = destkeys_import(b->sid, req->priv, req->privlen,
		    key_made, (void *)(uintptr_t)b->sid, &b->reqid, &why);
	}
	if (rv == -1) {
		log_info("sam: no destination for session %u: %s", req->sid,
		    why);
		bsess_free(b);
		return -1;
	}
	return 0;
}

static void
be_close(void *arg, uint32_t sid)
{
	struct bsess	*b;

	if ((b = by_sid(sid)) == NULL)
		return;
	if (b->keyid != 0) {
		sam_bstream_drop(b->keyid);
		dests_session_remove(b->keyid);
	}
	/* the owner's keys are released, those still coming too */
	destkeys_owner_gone(sid);
	bsess_free(b);
}

static void
generated(void *arg, uint32_t reqid, const struct destkey *k, int code,
    const char *msg)
{
	uint32_t	samreq = (uint32_t)(uintptr_t)arg;

	if (k == NULL || k->priv == NULL)
		sam_backend_generated(samreq, NULL, 0, NULL, 0,
		    msg != NULL ? msg : "no key");
	else
		sam_backend_generated(samreq, k->dest.raw, k->dest.rawlen,
		    k->priv, k->privlen, NULL);
}

static int
be_generate(void *arg, uint32_t reqid, uint16_t sigtype)
{
	const char	*why;
	uint32_t	 kreq;

	if (destkeys_generate(SAMB_OWNER_GEN | (reqid & 0x3fffffff), sigtype,
	    0, generated, (void *)(uintptr_t)reqid, &kreq, &why) == -1) {
		log_info("sam: DEST GENERATE: %s", why);
		return -1;
	}
	return 0;
}

/* a lookup's answer from lscache: owner unused, cookie the request */
static void
lookup_done(uint32_t owner, uint64_t cookie, enum lscache_result res,
    const struct lsremote *ls)
{
	if (res == LSC_FOUND)
		sam_backend_found((uint32_t)cookie, ls->dest.raw,
		    ls->dest.rawlen);
	else
		sam_backend_found((uint32_t)cookie, NULL, 0);
}

/* lscache may answer inside the call: those answers wait a turn */
static int	in_lookup;

static void
lookup_cb(uint32_t owner, uint64_t cookie, enum lscache_result res,
    const struct lsremote *ls)
{
	if (!in_lookup) {
		lookup_done(owner, cookie, res, ls);
		return;
	}
	if (res == LSC_FOUND)
		defer(1, (uint32_t)cookie, ls->dest.raw, ls->dest.rawlen, NULL,
		    0, NULL);
	else
		defer(1, (uint32_t)cookie, NULL, 0, NULL, 0, NULL);
}

static int
be_lookup(void *arg, uint32_t reqid, const uint8_t hash[32])
{
	const struct lsremote	*ls = NULL;
	uint32_t		 keyid = dests_any_ready();
	int			 r;

	/* no destination with tunnels: nobody can ask, so not found */
	if (keyid == 0)
		return defer(1, reqid, NULL, 0, NULL, 0, NULL);
	in_lookup = 1;
	r = lscache_get(keyid, hash, time(NULL), lookup_cb, 0, reqid, &ls);
	in_lookup = 0;
	if (r == 1)
		return defer(1, reqid, ls->dest.raw, ls->dest.rawlen, NULL, 0,
		    NULL);
	return 0;
}

static int
be_send(void *arg, uint32_t sid, const struct sam_dgram *dg)
{
	struct bsess		*b;
	struct destio		*io;
	struct i2cpdata_hdr	 h;
	uint8_t			 remote[32];

	if ((b = by_sid(sid)) == NULL || !b->ready ||
	    (io = dests_io(b->keyid)) == NULL)
		return -1;
	if (sha256(remote, dg->dest, dg->destlen) == -1)
		return -1;
	memset(&h, 0, sizeof(h));
	h.src_port = dg->from_port;
	h.dst_port = dg->to_port;
	h.proto = dg->raw ? dg->protocol : I2CP_PROTO_DATAGRAM;
	/* raw datagrams go as protocol 18 whatever the client names */
	if (dg->raw)
		h.proto = I2CP_PROTO_RAW;
	return destio_send(io, remote, &h, dg->payload, dg->len, time(NULL));
}

void
sam_backend_deliver(uint32_t keyid, const struct dgram *d,
    const uint8_t from_hash[32])
{
	struct sam_dgram	 dg;
	struct bsess		*b;

	if ((b = by_keyid(keyid)) == NULL || !b->ready) {
		log_debug("destination %08x: datagram of %zu bytes, nobody "
		    "to read it", keyid, d->len);
		return;
	}
	memset(&dg, 0, sizeof(dg));
	dg.raw = d->proto == I2CP_PROTO_RAW;
	if (!dg.raw) {
		dg.dest = d->from.raw;
		dg.destlen = d->from.rawlen;
	}
	dg.from_port = d->src_port;
	dg.to_port = d->dst_port;
	dg.protocol = d->proto;
	dg.payload = d->payload;
	dg.len = d->len;
	sam_backend_received(b->sid, &dg);
}

void
sam_backend_tick(time_t now)
{
	struct bsess	*b;
	size_t		 i;

	for (i = 0; i < SAM_SESSIONS_MAX; i++) {
		b = &sess[i];
		if (b->sid == 0 || b->ready)
			continue;
		if (b->keyid != 0 && dests_ready(b->keyid)) {
			b->ready = 1;
			sam_backend_opened(b->sid, b->dest.raw, b->dest.rawlen,
			    b->priv, b->privlen);
			crypto_wipe(b->priv, b->privlen);
			free(b->priv);
			b->priv = NULL;
			b->privlen = 0;
		} else if (now - b->started >= SAMB_OPEN_WAIT) {
			sam_backend_open_failed(b->sid, "I2P_ERROR",
			    "no tunnels were built in time");
			be_close(NULL, b->sid);
		}
	}
}

/*
 * The session's destination's stream host, made with the session's
 * i2p.streaming.* options by whichever of connect and listen comes
 * first; sam_bstream.c finds it made
 */
static struct stream_host *
bs_host(const struct bsess *b)
{
	return streams_host(b->keyid, &b->sopts);
}

/*
 * Streams: sam_bstream.c holds them; a session's must be open (its
 * destination has tunnels) before it connects
 */
static int
be_stream_connect(void *arg, uint32_t sid, uint32_t id, const uint8_t *dest,
    size_t destlen, uint16_t from_port, uint16_t to_port)
{
	struct bsess	*b;

	if ((b = by_sid(sid)) == NULL || !b->ready || b->keyid == 0 ||
	    bs_host(b) == NULL)
		return -1;
	return sam_bstream_connect(b->keyid, id, dest, destlen, from_port,
	    to_port);
}

static void
be_stream_listen(void *arg, uint32_t sid, int on)
{
	struct bsess	*b;

	if ((b = by_sid(sid)) == NULL)
		return;
	b->listen = on;
	/* streams come to a host: the destination needs one now */
	if (on && b->keyid != 0)
		(void)bs_host(b);
}

static ssize_t
be_stream_write(void *arg, uint32_t id, const void *buf, size_t len)
{
	return sam_bstream_write(id, buf, len);
}

static ssize_t
be_stream_read(void *arg, uint32_t id, void *buf, size_t len)
{
	return sam_bstream_read(id, buf, len);
}

static void
be_stream_shutdown(void *arg, uint32_t id)
{
	sam_bstream_shutdown(id);
}

static void
be_stream_close(void *arg, uint32_t id)
{
	sam_bstream_close(id);
}

/* streams_app_ops.incoming: to the session, if it takes streams now */
int
sam_backend_stream_in(uint32_t keyid, struct stream *s)
{
	struct bsess	*b;

	if ((b = by_keyid(keyid)) == NULL || !b->listen)
		return -1;
	return sam_bstream_incoming(keyid, b->sid, s);
}

static int
be_resolve(void *arg, const char *name, uint8_t *dest, size_t max,
    size_t *len)
{
	return addrbook_resolve(name, dest, max, len);
}

static struct sam_backend backend = {
	.open = be_open,
	.close = be_close,
	.generate = be_generate,
	.lookup = be_lookup,
	.resolve = be_resolve,
	.send = be_send,
	.stream_connect = be_stream_connect,
	.stream_listen = be_stream_listen,
	.stream_write = be_stream_write,
	.stream_read = be_stream_read,
	.stream_shutdown = be_stream_shutdown,
	.stream_close = be_stream_close,
};

const struct sam_backend *
sam_backend_get(void (*sched)(void))
{
	schedule = sched;
	sam_bstream_init(sched);
	return &backend;
}
