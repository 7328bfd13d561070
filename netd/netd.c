/*
 * i2prd-netd: the only process that touches the outside network
 * (NTCP2, SSU2, reseed fetches).  In this skeleton it joins the mesh
 * (routerd, cryptod), takes its configuration and waits under its
 * sandbox; transports land here with the NTCP2 issue.
 */
#include "log.h"
#include "proc.h"

static void
netd_reconf(const struct i2prd_conf *conf)
{
	log_debug("netid %d, floodfill %s", conf->netid,
	    conf->floodfill ? "yes" : "no");
}

static const struct child_ops netd_ops = {
	.reconf = netd_reconf,
	.sandbox = sandbox_netd,
};

int
main(int argc, char *argv[])
{
	return child_main(PROC_NETD, argc, argv, &netd_ops);
}
