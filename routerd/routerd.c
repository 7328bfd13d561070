/*
 * i2prd-routerd: I2NP, the netDb and the floodfill service, and the
 * control socket i2pctl talks to (tunnels and peer profiles come
 * later).  It serves the control socket the parent hands it and relays
 * reload and log requests to the parent.
 */
#include <bsd/string.h>
#include <string.h>
#include <time.h>

#include "encoding.h"
#include "i2pdata.h"
#include "log.h"
#include "routerd.h"
#include "client.h"
#include "garlic.h"

#define NETDB_EXPIRE_EVERY	60	/* s */
#define CONGESTION_EVERY	10	/* s: a worse level shows soon */

static int		 started;
static struct event	 ev_expire;
static struct event	 ev_congestion;

static void
expire_timer(int fd, short event, void *arg)
{
	struct timeval	tv = { NETDB_EXPIRE_EVERY, 0 };

	netdb_expire((uint64_t)time(NULL) * 1000, child_conf()->floodfill);
	lsdb_expire(time(NULL));
	transit_expire(time(NULL));
	garlic_expire(time(NULL));
	evtimer_add(&ev_expire, &tv);
}

static void
congestion_timer(int fd, short event, void *arg)
{
	struct timeval	tv = { CONGESTION_EVERY, 0 };

	publish_congestion(transit_congestion(), time(NULL));
	evtimer_add(&ev_congestion, &tv);
}

static void
routerd_reseed_done(struct imsg *imsg)
{
	struct net_fetch_done	d;

	if (imsg_get_data(imsg, &d, sizeof(d)) == -1 ||
	    memchr(d.msg, '\0', sizeof(d.msg)) == NULL)
		fatalx("NET_RESEED_DONE: malformed");
	reseed_done(&d);
}

static void
routerd_dispatch_parent(struct peer *p, struct imsg *imsg)
{
	struct proc_info	pi;
	int			fd;

	switch (imsg_get_type(imsg)) {
	case IMSG_CONTROL_FD:
		fd = imsg_get_fd(imsg);
		control_listen(fd);
		break;
	case IMSG_PROC_INFO:
		if (imsg_get_data(imsg, &pi, sizeof(pi)) == -1)
			fatalx("PROC_INFO: bad length");
		routerd_set_procinfo(&pi);
		break;
	case IMSG_CTL_RESULT:
		control_relay(imsg);
		break;
	case IMSG_RESEED_CERTS_BEGIN:
		reseed_certs_begin();
		break;
	case IMSG_RESEED_CERT:
		reseed_cert(imsg->data, imsg->datalen);
		break;
	case IMSG_RESEED_CERTS_END:
		reseed_certs_end();
		break;
	case IMSG_NET_RESEED_DONE:
		routerd_reseed_done(imsg);
		break;
	default:
		fatalx("unexpected imsg %s from parent",
		    imsg_type_name(imsg_get_type(imsg)));
	}
}

/* the links arrive before the first configuration: start there */
static void
routerd_reconf(const struct i2prd_conf *conf)
{
	log_debug("reconfigured: netid %d, floodfill %s, log level %s",
	    conf->netid, conf->floodfill ? "yes" : "no",
	    log_levelname(conf->log_level));
	if (!started) {
		started = 1;
		netdb_load(conf->netid);
		reseed_check();
		evtimer_set(&ev_expire, expire_timer, NULL);
		expire_timer(-1, 0, NULL);
		publish_start();
		evtimer_set(&ev_congestion, congestion_timer, NULL);
		congestion_timer(-1, 0, NULL);
		tunnels_start();
		client_init(NULL, 1);
		clientdb_init(NULL, 1);
	}
	publish_reconf(conf);
	tunnels_reconf(conf);
	loss_reconf(conf);
}

static void
routerd_dispatch_netd(struct imsg *imsg)
{
	switch (imsg_get_type(imsg)) {
	case IMSG_NET_I2NP_IN:
		peers_i2np_in(imsg);
		break;
	case IMSG_NET_SESSION_UP:
		peers_session_up(imsg);
		break;
	case IMSG_NET_SESSION_DOWN:
		peers_session_down(imsg);
		break;
	case IMSG_NET_PEER_RI:
		peers_peer_ri(imsg);
		break;
	case IMSG_NET_REACH:
		publish_reach(imsg);
		break;
	case IMSG_NET_RESEED_DATA:
		reseed_data(imsg->data, imsg->datalen);
		break;
	case IMSG_NET_RESEED_DONE:
		routerd_reseed_done(imsg);
		break;
	case IMSG_CTL_PEER:
	case IMSG_CTL_TRANSPORT:
	case IMSG_CTL_SESSIONS:
	case IMSG_CTL_END:
		control_relay(imsg);
		break;
	default:
		fatalx("unexpected imsg %s from netd",
		    imsg_type_name(imsg_get_type(imsg)));
	}
}

/*
 * msgtab.c checked the sizes; tunnels.c, client.c and clientdb.c check
 * the contents
 */
static void
routerd_dispatch_tunneld(struct imsg *imsg)
{
	switch (imsg_get_type(imsg)) {
	case IMSG_POOL_OPEN:
		tunnels_pool_open(imsg->data);
		break;
	case IMSG_POOL_CLOSE:
		tunnels_pool_close(imsg->data);
		break;
	case IMSG_CLIENT_SEND:
		client_send(imsg->data, imsg->datalen);
		break;
	case IMSG_LS_PUBLISH:
	case IMSG_LS_LOOKUP:
		clientdb_imsg(imsg);
		break;
	case IMSG_CTL_SAM_CLIENT:
	case IMSG_CTL_SAM_SESSION:
	case IMSG_CTL_SAM:
	case IMSG_CTL_DEST:
	case IMSG_CTL_RSESS:
	case IMSG_CTL_STREAM:
	case IMSG_CTL_PROXY:
	case IMSG_CTL_AB_ENTRY:
	case IMSG_CTL_AB_CONFLICT:
	case IMSG_CTL_AB_SUB:
	case IMSG_CTL_AB:
	case IMSG_CTL_RESULT:
	case IMSG_CTL_END:
		control_relay(imsg);
		break;
	default:
		fatalx("unexpected imsg %s from tunneld",
		    imsg_type_name(imsg_get_type(imsg)));
	}
}

static void
routerd_dispatch_peer(struct peer *p, struct imsg *imsg)
{
	switch (p->id) {
	case PROC_CRYPTOD:
		if (imsg_get_type(imsg) == IMSG_KEY_RESEED ||
		    (imsg_get_peerid(imsg) & EXPORT_REQID) != 0)
			export_dispatch_cryptod(imsg);
		else if ((imsg_get_peerid(imsg) & GARLIC_REQID) != 0 &&
		    (imsg_get_peerid(imsg) & TRANSIT_REQID) == 0)
			garlic_dispatch_cryptod(imsg);
		else if (imsg_get_type(imsg) == IMSG_KEY_DH_RESULT ||
		    (imsg_get_peerid(imsg) & TRANSIT_REQID) != 0)
			transit_dispatch_cryptod(imsg);
		else
			publish_dispatch_cryptod(imsg);
		break;
	case PROC_NETD:
		routerd_dispatch_netd(imsg);
		break;
	case PROC_TUNNELD:
		routerd_dispatch_tunneld(imsg);
		break;
	default:
		fatalx("unexpected imsg %s from %s",
		    imsg_type_name(imsg_get_type(imsg)), proc_name(p->id));
	}
}

static void
routerd_shutdown(void)
{
	control_shutdown();
	reseed_shutdown();
	client_shutdown();
	clientdb_shutdown();
	tunnels_shutdown();
	transit_shutdown();
	garlic_shutdown();
	if (started)
		evtimer_del(&ev_expire);
	peers_shutdown();
	netdb_shutdown();
	lsdb_shutdown();
	publish_shutdown();
}

static const struct child_ops routerd_ops = {
	.dispatch_parent = routerd_dispatch_parent,
	.dispatch_peer = routerd_dispatch_peer,
	.reconf = routerd_reconf,
	.shutdown = routerd_shutdown,
	.sandbox = sandbox_routerd,
};

int
main(int argc, char *argv[])
{
	return child_main(PROC_ROUTERD, argc, argv, &routerd_ops);
}
