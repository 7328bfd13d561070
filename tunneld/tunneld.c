/*
 * i2prd-tunneld: the client side.  So far it keeps the configured local
 * destinations: their keys (made and held by cryptod, found again by
 * name through DESTFILE) and their client tunnel pools (built by
 * routerd), and serves the SAM bridge (sam.h) as configured, with no
 * destination backend behind it yet.  Garlic, LeaseSets, streaming and
 * the proxies come on top of these.
 *
 * The IPC around dests.c: at the first configuration KEY_DEST_LIST to
 * cryptod, then KEY_DEST_CREATE for names without a key, POOL_OPEN and
 * POOL_CLOSE to routerd; POOL_TUNNEL back from routerd.  Replies from
 * cryptod are matched by request id, so one that answers nothing we
 * asked is as fatal as a malformed message.  SAM's keys (destkeys.c)
 * have request ids with the top bit set; their replies go there.
 */
#include <bsd/string.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event.h>

#include "addrbook.h"
#include "clientio.h"
#include "destio.h"
#include "destkeys.h"
#include "kreq.h"
#include "log.h"
#include "lscache.h"
#include "proc.h"
#include "proxy.h"
#include "sam_backend.h"
#include "sam.h"
#include "streams.h"
#include "tunneld.h"

static uint32_t	 next_reqid = 1;
static uint32_t	 list_reqid;	/* KEY_DEST_LIST in flight, or 0 */
static uint32_t	 create_reqid;	/* KEY_DEST_CREATE in flight, or 0 */
static int	 started;
static struct event ev_tick, ev_flush, ev_streams;

#define TUNNELD_TICK	1	/* s between LeaseSet checks */

/* a link is gone only while the suite stops: nothing to send then */
static void
send_to(enum proc_id id, uint32_t type, uint32_t reqid, const void *data,
    size_t len)
{
	struct peer	*p;

	if ((p = peer_get(id)) == NULL) {
		log_debug("%s: no link to %s", imsg_type_name(type),
		    proc_name(id));
		return;
	}
	peer_compose(p, type, reqid, -1, data, len);
}

static void
tunneld_create(const char *name)
{
	create_reqid = next_reqid++;
	log_debug("destination %s: asking cryptod for a key", name);
	send_to(PROC_CRYPTOD, IMSG_KEY_DEST_CREATE, create_reqid, NULL, 0);
}

static void
tunneld_open(const struct dest *d)
{
	struct pool_open	po;

	memset(&po, 0, sizeof(po));
	po.client = d->keyid;
	memcpy(po.dest, d->ident.hash, sizeof(po.dest));
	strlcpy(po.name, d->name, sizeof(po.name));
	memcpy(po.length, d->conf.length, sizeof(po.length));
	memcpy(po.quantity, d->conf.quantity, sizeof(po.quantity));
	log_debug("destination %s: asking for %d inbound and %d outbound "
	    "tunnels of %d and %d hops", d->name, po.quantity[TUNNEL_IN],
	    po.quantity[TUNNEL_OUT], po.length[TUNNEL_IN],
	    po.length[TUNNEL_OUT]);
	send_to(PROC_ROUTERD, IMSG_POOL_OPEN, 0, &po, sizeof(po));
}

static void
tunneld_close(const struct dest *d)
{
	struct pool_close	pc;

	memset(&pc, 0, sizeof(pc));
	pc.client = d->keyid;
	send_to(PROC_ROUTERD, IMSG_POOL_CLOSE, 0, &pc, sizeof(pc));
}

/*
 * Not fatal: the pools work without the file.  The next change writes
 * the whole map again; until then a restart would give the new names
 * new keys.
 */
static void
tunneld_save(const struct destmap *m)
{
	if (destfile_save(DESTFILE, m) == -1)
		log_warn("%s: cannot save the destination names", DESTFILE);
}

static uint32_t
tunneld_reqid(void)
{
	return next_reqid++;
}

/* KEY_SIGN carries the key id, then the bytes */
static void
tunneld_sign(uint32_t reqid, uint32_t keyid, const uint8_t *data, size_t len)
{
	uint8_t	buf[sizeof(uint32_t) + 1 + LS2_MAXLEN];

	if (len > sizeof(buf) - sizeof(keyid))
		fatalx("KEY_SIGN: %zu bytes", len);
	memcpy(buf, &keyid, sizeof(keyid));
	memcpy(buf + sizeof(keyid), data, len);
	send_to(PROC_CRYPTOD, IMSG_KEY_SIGN, reqid, buf, sizeof(keyid) + len);
}

static void
tunneld_publish(const struct ls_publish *lp, const uint8_t *raw, size_t len)
{
	uint8_t	buf[sizeof(*lp) + LS_MAX];

	if (len > LS_MAX)
		fatalx("LS_PUBLISH: %zu bytes", len);
	memcpy(buf, lp, sizeof(*lp));
	memcpy(buf + sizeof(*lp), raw, len);
	log_debug("LeaseSet of key %08x: %zu bytes, published %u, to routerd",
	    lp->client, len, lp->published);
	send_to(PROC_ROUTERD, IMSG_LS_PUBLISH, 0, buf, sizeof(*lp) + len);
}

static void
tunneld_dh(uint32_t reqid, uint32_t keyid, const uint8_t peer[32])
{
	struct key_dh_req	req;

	memset(&req, 0, sizeof(req));
	req.keyid = keyid;
	memcpy(req.peer_pub, peer, sizeof(req.peer_pub));
	send_to(PROC_CRYPTOD, IMSG_KEY_DH, reqid, &req, sizeof(req));
}

static const struct kreq_ops tunneld_kreq_ops = {
	.dh = tunneld_dh,
	.sign = tunneld_sign,
	.reqid = tunneld_reqid,
};

static void
tunneld_lookup(const struct ls_lookup *l)
{
	send_to(PROC_ROUTERD, IMSG_LS_LOOKUP, 0, l, sizeof(*l));
}

static const struct lscache_ops tunneld_lscache_ops = {
	.lookup = tunneld_lookup,
};

static void
tunneld_client_send(const uint8_t *batch, size_t len)
{
	send_to(PROC_ROUTERD, IMSG_CLIENT_SEND, 0, batch, len);
}

/* above the high-water mark, as peer.c pauses reading */
static int
tunneld_congested(void)
{
	struct peer	*p;

	if ((p = peer_get(PROC_ROUTERD)) == NULL)
		return 1;
	return msgbuf_queuelen(&p->ibuf.w) > PEER_QUEUE_HIGH;
}

static void
tunneld_flush(int fd, short event, void *arg)
{
	sam_backend_run();
	proxy_run();
	clientio_flush();
}

static void
tunneld_schedule(void)
{
	struct timeval	tv = { 0, 0 };

	evtimer_add(&ev_flush, &tv);
}

static void
tunneld_streams(int fd, short event, void *arg)
{
	streams_run();
}

/* the streams' next deadline, in ms of streams_now() */
static void
tunneld_streams_at(int64_t at)
{
	int64_t		ms = at - streams_now();
	struct timeval	tv;

	/* no timers before the first configuration: no streams either */
	if (!started)
		return;
	if (ms < 0)
		ms = 0;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(&ev_streams, &tv);
}

/* a datagram for a destination: a UDP tunnel's, else a SAM session's */
static void
tunneld_dgram_in(uint32_t keyid, const struct dgram *d,
    const uint8_t from_hash[32])
{
	if (proxy_dgram_in(keyid, d, from_hash) == 0)
		return;
	sam_backend_deliver(keyid, d, from_hash);
}

/* an incoming stream: a server tunnel's, else a SAM session's */
static int
tunneld_stream_in(uint32_t keyid, struct stream *s)
{
	if (proxy_stream_in(keyid, s) == 0)
		return 0;
	return sam_backend_stream_in(keyid, s);
}

static const struct streams_app_ops tunneld_streams_ops = {
	.incoming = tunneld_stream_in,
	.schedule = tunneld_streams_at,
};

static const struct clientio_ops tunneld_clientio_ops = {
	.send = tunneld_client_send,
	.congested = tunneld_congested,
	.schedule = tunneld_schedule,
};


static const struct dests_ops tunneld_dests_ops = {
	.create = tunneld_create,
	.open = tunneld_open,
	.close = tunneld_close,
	.save = tunneld_save,
	.ls = {
		.sign = tunneld_sign,
		.publish = tunneld_publish,
		.reqid = tunneld_reqid,
	},
};

/* SAM's keys (destkeys.c): its imsgs go to cryptod as they come */
static void
tunneld_destkeys_send(uint32_t type, uint32_t reqid, const void *data,
    size_t len)
{
	send_to(PROC_CRYPTOD, type, reqid, data, len);
}

static const struct destkeys_ops tunneld_destkeys_ops = {
	.send = tunneld_destkeys_send,
};

static void
tunneld_key_pub(struct imsg *imsg)
{
	struct key_pub	 pub;
	uint32_t	 reqid = imsg_get_peerid(imsg);
	const char	*why;

	if (imsg_get_data(imsg, &pub, sizeof(pub)) == -1)
		fatalx("KEY_PUB: bad length");
	if (list_reqid != 0 && reqid == list_reqid) {
		if (dests_key(&pub, &why) == -1)
			fatalx("KEY_PUB: %s", why);
	} else if (create_reqid != 0 && reqid == create_reqid) {
		/* cleared first: the next name's request may follow */
		create_reqid = 0;
		if (dests_created(&pub, &why) == -1)
			fatalx("KEY_PUB: %s", why);
	} else
		fatalx("KEY_PUB: answers no request of ours (%u)", reqid);
}

static void
tunneld_key_error(struct imsg *imsg)
{
	struct key_error	e;

	if (imsg_get_data(imsg, &e, sizeof(e)) == -1 ||
	    memchr(e.msg, '\0', sizeof(e.msg)) == NULL)
		fatalx("KEY_ERROR: malformed");
	if (kreq_error(imsg_get_peerid(imsg)))
		return;
	if (dests_sign_failed(imsg_get_peerid(imsg), time(NULL))) {
		log_warnx("cryptod refused to sign a LeaseSet: %s", e.msg);
		return;
	}
	if (create_reqid == 0 || imsg_get_peerid(imsg) != create_reqid)
		fatalx("cryptod refused a request: %s", e.msg);
	create_reqid = 0;
	dests_create_failed(e.msg);
}

static void
tunneld_key_signature(struct imsg *imsg)
{
	struct key_signature	ks;

	if (imsg_get_data(imsg, &ks, sizeof(ks)) == -1)
		fatalx("KEY_SIGNATURE: bad length");
	if (kreq_signature(imsg_get_peerid(imsg), ks.sig))
		return;
	/* a destination closed meanwhile takes its LeaseSet along */
	if (!dests_signed(imsg_get_peerid(imsg), ks.sig))
		log_debug("KEY_SIGNATURE %u: for no LeaseSet now",
		    imsg_get_peerid(imsg));
}

static void
tunneld_dispatch_cryptod(struct imsg *imsg)
{
	struct key_dh_result	 dr;
	uint32_t		 type = imsg_get_type(imsg);
	const char		*why;

	/* SAM's requests have ids of their own (destkeys.h) */
	if (type == IMSG_KEY_DEST_PRIV || type == IMSG_KEY_DEST_MADE ||
	    destkeys_owns(imsg_get_peerid(imsg))) {
		if (destkeys_reply(type, imsg_get_peerid(imsg), imsg->data,
		    imsg->datalen, &why) == -1)
			fatalx("%s: %s", imsg_type_name(type), why);
		return;
	}
	switch (type) {
	case IMSG_KEY_PUB:
		tunneld_key_pub(imsg);
		break;
	case IMSG_KEY_END:
		if (list_reqid == 0 || imsg_get_peerid(imsg) != list_reqid)
			fatalx("KEY_END: answers no request of ours");
		list_reqid = 0;
		dests_listed();
		break;
	case IMSG_KEY_ERROR:
		tunneld_key_error(imsg);
		break;
	case IMSG_KEY_SIGNATURE:
		tunneld_key_signature(imsg);
		break;
	case IMSG_KEY_DH_RESULT:
		if (imsg_get_data(imsg, &dr, sizeof(dr)) == -1)
			fatalx("KEY_DH_RESULT: bad length");
		/* a destination gone meanwhile took its requests along */
		kreq_dh_result(imsg_get_peerid(imsg), dr.shared);
		crypto_wipe(&dr, sizeof(dr));
		break;
	default:
		fatalx("unexpected imsg %s from cryptod",
		    imsg_type_name(imsg_get_type(imsg)));
	}
}

/* show sam: the answers go back tagged with the control client */
static void
tunneld_ctl_emit(void *arg, uint32_t type, const void *data, size_t len)
{
	send_to(PROC_ROUTERD, type, *(uint32_t *)arg, data, len);
}

static void
tunneld_show_sam(uint32_t peerid)
{
	sam_ctl(&child_conf()->sam, tunneld_ctl_emit, &peerid);
	send_to(PROC_ROUTERD, IMSG_CTL_END, peerid, NULL, 0);
}

static void
tunneld_show_dests(uint32_t type, uint32_t peerid)
{
	if (type == IMSG_CTL_SHOW_DESTS)
		dest_ctl_dests(tunneld_ctl_emit, &peerid);
	else if (type == IMSG_CTL_SHOW_STREAMS)
		dest_ctl_streams(tunneld_ctl_emit, &peerid);
	else
		dest_ctl_sessions(tunneld_ctl_emit, &peerid);
	send_to(PROC_ROUTERD, IMSG_CTL_END, peerid, NULL, 0);
}

static void
tunneld_show_proxies(uint32_t peerid)
{
	proxy_ctl(tunneld_ctl_emit, &peerid);
	send_to(PROC_ROUTERD, IMSG_CTL_END, peerid, NULL, 0);
}

static void
client_in(void *arg, uint32_t client, const struct client_in *in)
{
	struct destio	*io;

	/* a destination closed meanwhile: its traffic goes nowhere */
	if ((io = dests_io(client)) != NULL)
		destio_recv(io, in, *(time_t *)arg);
}

static void
tunneld_client_recv(struct imsg *imsg)
{
	const char	*why;
	time_t		 now = time(NULL);

	if (clientio_recv(imsg->data, imsg->datalen, client_in, &now,
	    &why) == -1)
		fatalx("CLIENT_RECV: %s", why);
}

static void
tunneld_ls_found(struct imsg *imsg)
{
	struct ls_found	 f;
	const char	*why;
	time_t		 now = time(NULL);

	/* msgtab checked the length: the header at least */
	memcpy(&f, imsg->data, sizeof(f));
	if (lscache_found(&f, (const uint8_t *)imsg->data + sizeof(f),
	    imsg->datalen - sizeof(f), now, &why) == -1)
		fatalx("LS_FOUND: %s", why);
	destio_run_pending(now);
}

static void
tunneld_dispatch_routerd(struct imsg *imsg)
{
	uint32_t		 peerid;
	struct pool_tunnel	 pt;
	struct ls_status	 st;
	const char		*why;

	switch (imsg_get_type(imsg)) {
	case IMSG_CTL_SHOW_SAM:
		tunneld_show_sam(imsg_get_peerid(imsg));
		break;
	case IMSG_CTL_SHOW_DESTS:
	case IMSG_CTL_SHOW_RSESS:
	case IMSG_CTL_SHOW_STREAMS:
		tunneld_show_dests(imsg_get_type(imsg), imsg_get_peerid(imsg));
		break;
	case IMSG_CTL_SHOW_PROXIES:
		tunneld_show_proxies(imsg_get_peerid(imsg));
		break;
	case IMSG_CTL_AB_ADD:
	case IMSG_CTL_AB_DEL:
	case IMSG_CTL_AB_LOOKUP:
	case IMSG_CTL_SHOW_AB:
	case IMSG_CTL_AB_FETCH:
		peerid = imsg_get_peerid(imsg);
		addrbook_ctl_dispatch(addrbook(), imsg_get_type(imsg),
		    imsg->data, imsg->datalen, tunneld_ctl_emit, &peerid);
		break;
	case IMSG_POOL_TUNNEL:
		if (imsg_get_data(imsg, &pt, sizeof(pt)) == -1)
			fatalx("POOL_TUNNEL: bad length");
		if (dests_tunnel(&pt, time(NULL), &why) == -1)
			fatalx("POOL_TUNNEL: %s", why);
		break;
	case IMSG_CLIENT_RECV:
		tunneld_client_recv(imsg);
		break;
	case IMSG_LS_FOUND:
		tunneld_ls_found(imsg);
		break;
	case IMSG_LS_STATUS:
		if (imsg_get_data(imsg, &st, sizeof(st)) == -1)
			fatalx("LS_STATUS: bad length");
		if (dests_ls_status(&st, time(NULL), &why) == -1)
			fatalx("LS_STATUS: %s", why);
		break;
	default:
		fatalx("unexpected imsg %s from routerd",
		    imsg_type_name(imsg_get_type(imsg)));
	}
}

static void
tunneld_dispatch_peer(struct peer *p, struct imsg *imsg)
{
	switch (p->id) {
	case PROC_CRYPTOD:
		tunneld_dispatch_cryptod(imsg);
		break;
	case PROC_ROUTERD:
		tunneld_dispatch_routerd(imsg);
		break;
	default:
		fatalx("unexpected imsg %s from %s",
		    imsg_type_name(imsg_get_type(imsg)), proc_name(p->id));
	}
}

static void
tunneld_tick(int fd, short event, void *arg)
{
	struct timeval	tv = { TUNNELD_TICK, 0 };

	time_t		now = time(NULL);

	lscache_expire(now);
	kreq_expire(now);
	dests_tick(now);
	sam_backend_tick(now);
	proxy_tick(now);
	addrbook_fetch_tick(now);
	evtimer_add(&ev_tick, &tv);
}

/* the links arrive before the first configuration: start there */
static void
tunneld_reconf(const struct i2prd_conf *conf)
{
	/* first: a tunnel stops before its destination may go */
	proxy_reconf(conf->proxies, conf->nproxies);
	dests_reconf(conf->dests, conf->ndests);
	sam_listen_reconf(&conf->sam, sam_backend_get(tunneld_schedule));
	addrbook_fetch_reconf(&conf->addrbook, conf->proxies, conf->nproxies);
	if (started)
		return;
	started = 1;
	evtimer_set(&ev_tick, tunneld_tick, NULL);
	evtimer_set(&ev_flush, tunneld_flush, NULL);
	evtimer_set(&ev_streams, tunneld_streams, NULL);
	tunneld_tick(0, 0, NULL);
	list_reqid = next_reqid++;
	send_to(PROC_CRYPTOD, IMSG_KEY_DEST_LIST, list_reqid, NULL, 0);
}

/* before the sandbox: a bad names file stops us here */
static void
tunneld_setup(struct child_env *env)
{
	struct destmap	*m;
	char		 err[256];

	if ((m = malloc(sizeof(*m))) == NULL)
		fatal(NULL);
	if (destfile_load(DESTFILE, m, err, sizeof(err)) == -1)
		fatalx("%s; refusing to start (without its line a name would "
		    "get a new key, so a new address)", err);
	log_debug("%zu destination names in %s", m->n, DESTFILE);
	addrbook_start();
	dests_init(&tunneld_dests_ops, m);
	clientio_init(&tunneld_clientio_ops);
	kreq_init(&tunneld_kreq_ops);
	lscache_init(&tunneld_lscache_ops);
	destio_init(dests_leaseset, tunneld_dgram_in);
	destio_set_outbound(dests_out_tunnel);
	destio_set_stream(streams_input);
	streams_init(&tunneld_streams_ops);
	proxy_init(tunneld_schedule);
	destkeys_init(&tunneld_destkeys_ops);
	free(m);
}

static const struct child_ops tunneld_ops = {
	.setup = tunneld_setup,
	.dispatch_peer = tunneld_dispatch_peer,
	.reconf = tunneld_reconf,
	.sandbox = sandbox_tunneld,
};

int
main(int argc, char *argv[])
{
	return child_main(PROC_TUNNELD, argc, argv, &tunneld_ops);
}
