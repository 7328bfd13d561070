/*
 * i2prd-routerd: I2NP, the netDb, tunnel building and transit, peer
 * profiles, and the control socket i2pctl talks to.  In this skeleton it
 * joins the mesh, serves the control socket the parent hands it, and
 * relays reload and log requests to the parent.
 */
#include <bsd/string.h>
#include <string.h>
#include <time.h>

#include "encoding.h"
#include "i2pdata.h"
#include "log.h"
#include "routerd.h"

static struct proc_info	 procinfo;
static int		 started;

void
routerd_summary(struct ctl_summary *s)
{
	const struct i2prd_conf	*conf = child_conf();
	const struct router_info *ri;
	const char		*level;

	memset(s, 0, sizeof(*s));
	strlcpy(s->version, I2PRD_VERSION, sizeof(s->version));
	strlcpy(s->statedir, conf->statedir, sizeof(s->statedir));
	if ((level = log_levelname(log_getlevel())) == NULL)
		level = "unknown";
	strlcpy(s->log_level, level, sizeof(s->log_level));
	s->started = procinfo.started;
	s->now = time(NULL);
	s->netid = conf->netid;
	s->floodfill = conf->floodfill;
	s->generation = child_conf_generation();
	if ((ri = publish_current()) != NULL) {
		b64_encode(s->router_hash, sizeof(s->router_hash),
		    ri->ident.hash, sizeof(ri->ident.hash));
		strlcpy(s->caps, mapping_get(&ri->options, "caps"),
		    sizeof(s->caps));
	}
}

int
routerd_procs(struct ctl_proc *procs, int max)
{
	int	i, n = 0;

	for (i = PROC_PARENT; i <= PROC_CHILD_LAST && n < max; i++) {
		memset(&procs[n], 0, sizeof(procs[n]));
		strlcpy(procs[n].name, proc_name(i), sizeof(procs[n].name));
		procs[n].pid = procinfo.pids[i];
		n++;
	}
	return n;
}

static void
routerd_dispatch_parent(struct peer *p, struct imsg *imsg)
{
	int	fd;

	switch (imsg_get_type(imsg)) {
	case IMSG_CONTROL_FD:
		fd = imsg_get_fd(imsg);
		control_listen(fd);
		break;
	case IMSG_PROC_INFO:
		if (imsg_get_data(imsg, &procinfo, sizeof(procinfo)) == -1)
			fatalx("PROC_INFO: bad length");
		break;
	case IMSG_CTL_RESULT:
		control_relay(imsg);
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
		publish_start();
	}
	publish_reconf(conf);
}

static void
routerd_dispatch_peer(struct peer *p, struct imsg *imsg)
{
	switch (p->id) {
	case PROC_CRYPTOD:
		publish_dispatch_cryptod(imsg);
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
