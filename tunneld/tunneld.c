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
 * asked is as fatal as a malformed message.
 */
#include <bsd/string.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "proc.h"
#include "sam.h"
#include "tunneld.h"

static uint32_t	 next_reqid = 1;
static uint32_t	 list_reqid;	/* KEY_DEST_LIST in flight, or 0 */
static uint32_t	 create_reqid;	/* KEY_DEST_CREATE in flight, or 0 */
static int	 started;

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

static const struct dests_ops tunneld_dests_ops = {
	.create = tunneld_create,
	.open = tunneld_open,
	.close = tunneld_close,
	.save = tunneld_save,
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
	if (create_reqid == 0 || imsg_get_peerid(imsg) != create_reqid)
		fatalx("cryptod refused a request: %s", e.msg);
	create_reqid = 0;
	dests_create_failed(e.msg);
}

static void
tunneld_dispatch_cryptod(struct imsg *imsg)
{
	switch (imsg_get_type(imsg)) {
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
tunneld_dispatch_routerd(struct imsg *imsg)
{
	struct pool_tunnel	 pt;
	const char		*why;

	switch (imsg_get_type(imsg)) {
	case IMSG_CTL_SHOW_SAM:
		tunneld_show_sam(imsg_get_peerid(imsg));
		break;
	case IMSG_POOL_TUNNEL:
		if (imsg_get_data(imsg, &pt, sizeof(pt)) == -1)
			fatalx("POOL_TUNNEL: bad length");
		if (dests_tunnel(&pt, time(NULL), &why) == -1)
			fatalx("POOL_TUNNEL: %s", why);
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

/* the links arrive before the first configuration: start there */
static void
tunneld_reconf(const struct i2prd_conf *conf)
{
	dests_reconf(conf->dests, conf->ndests);
	/* the destination backend behind SAM is not there yet: NULL */
	sam_listen_reconf(&conf->sam, NULL);
	if (started)
		return;
	started = 1;
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
	dests_init(&tunneld_dests_ops, m);
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
