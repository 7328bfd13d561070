/*
 * i2prd-netd: the only process that touches the outside network.  It
 * runs sessions with routers, NTCP2 and SSU2 beneath a transport-neutral layer
 * (netd.h lists the modules), for routerd, which decides whom to dial
 * and what to send, and asks cryptod for the one static-key DH each
 * handshake needs.  It knows bytes on wires and router hashes, not
 * what the I2NP messages mean.
 *
 * From routerd: NET_LOCAL (our RouterInfo; until it comes inbound
 * connections are closed and dials wait), NET_DIAL, NET_I2NP_OUT,
 * CTL_SHOW_PEERS.  From cryptod: KEY_DH_RESULT or KEY_ERROR, with the
 * session's id as request id; KEY_SIGNATURE or KEY_ERROR for a peer
 * test (ids with NETD_REQID_PTEST).  Each reload (re)binds the listeners.
 */
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "netd.h"
#include "proc.h"

static void
netd_setup(struct child_env *env)
{
	session_init();
}

static void
netd_reconf(const struct i2prd_conf *conf)
{
	log_debug("netid %d, floodfill %s", conf->netid,
	    conf->floodfill ? "yes" : "no");
	ntcp2_listen_reconf(conf);
	ssu2_sock_reconf(conf);
	ssu2_pt_init();
}

static void
netd_local(struct imsg *imsg)
{
	if (riaddr_local(imsg->data, imsg->datalen) == -1)
		return;
	session_local_ready();
}

static void
netd_dispatch_routerd(struct imsg *imsg)
{
	switch (imsg_get_type(imsg)) {
	case IMSG_NET_LOCAL:
		netd_local(imsg);
		break;
	case IMSG_NET_DIAL:
		session_dial(imsg->data, imsg->datalen);
		break;
	case IMSG_NET_I2NP_OUT:
		session_i2np_out(imsg->data, imsg->datalen);
		break;
	case IMSG_CTL_SHOW_PEERS:
		session_ctl_peers(imsg_get_peerid(imsg));
		break;
	default:
		fatalx("unexpected imsg %s from routerd",
		    imsg_type_name(imsg_get_type(imsg)));
	}
}

static void
netd_dispatch_cryptod(struct imsg *imsg)
{
	struct key_dh_result	 res;
	struct key_signature	 ks;
	struct key_error	 err;

	switch (imsg_get_type(imsg)) {
	case IMSG_KEY_DH_RESULT:
		if (imsg_get_data(imsg, &res, sizeof(res)) == -1)
			fatalx("KEY_DH_RESULT: bad length");
		session_dh_result(imsg_get_peerid(imsg), &res);
		crypto_wipe(&res, sizeof(res));
		crypto_wipe(imsg->data, imsg->datalen);
		break;
	case IMSG_KEY_SIGNATURE:
		if (imsg_get_data(imsg, &ks, sizeof(ks)) == -1)
			fatalx("KEY_SIGNATURE: bad length");
		ssu2_pt_signature(imsg_get_peerid(imsg), &ks);
		break;
	case IMSG_KEY_ERROR:
		if (imsg_get_data(imsg, &err, sizeof(err)) == -1)
			fatalx("KEY_ERROR: bad length");
		if (imsg_get_peerid(imsg) & NETD_REQID_PTEST)
			ssu2_pt_sign_error(imsg_get_peerid(imsg));
		else
			session_dh_error(imsg_get_peerid(imsg), &err);
		break;
	default:
		fatalx("unexpected imsg %s from cryptod",
		    imsg_type_name(imsg_get_type(imsg)));
	}
}

static void
netd_dispatch_peer(struct peer *p, struct imsg *imsg)
{
	switch (p->id) {
	case PROC_ROUTERD:
		netd_dispatch_routerd(imsg);
		break;
	case PROC_CRYPTOD:
		netd_dispatch_cryptod(imsg);
		break;
	default:
		fatalx("unexpected imsg %s from %s",
		    imsg_type_name(imsg_get_type(imsg)), proc_name(p->id));
	}
}

/* reseed downloads: the CA certificates, and what to fetch */
static void
netd_dispatch_parent(struct peer *p, struct imsg *imsg)
{
	struct net_fetch	req;

	switch (imsg_get_type(imsg)) {
	case IMSG_NET_CA_BEGIN:
		fetch_ca_begin();
		break;
	case IMSG_NET_CA:
		fetch_ca_add(imsg->data, imsg->datalen);
		break;
	case IMSG_NET_CA_END:
		fetch_ca_end();
		break;
	case IMSG_NET_RESEED_FETCH:
		if (imsg_get_data(imsg, &req, sizeof(req)) == -1)
			fatalx("NET_RESEED_FETCH: bad length");
		fetch_start(&req);
		break;
	default:
		fatalx("unexpected imsg %s from the parent",
		    imsg_type_name(imsg_get_type(imsg)));
	}
}

/* the event loop is over: say goodbye to the peers, close everything */
static void
netd_shutdown(void)
{
	fetch_shutdown();
	ntcp2_listen_close_all();
	/* after the sessions: their goodbyes go out of these sockets */
	session_shutdown();
	ssu2_sock_close_all();
}

static const struct child_ops netd_ops = {
	.setup = netd_setup,
	.dispatch_parent = netd_dispatch_parent,
	.dispatch_peer = netd_dispatch_peer,
	.reconf = netd_reconf,
	.shutdown = netd_shutdown,
	.sandbox = sandbox_netd,
	.errstrings = 1,	/* fetch.c says why a reseed's TLS failed */
};

int
main(int argc, char *argv[])
{
	return child_main(PROC_NETD, argc, argv, &netd_ops);
}
