/*
 * i2prd-tunneld: the client side: local destinations, garlic,
 * streaming, SAM and the proxies.  In this skeleton it joins the mesh
 * (routerd, cryptod), takes its configuration and waits under its
 * sandbox.
 */
#include "log.h"
#include "proc.h"

static void
tunneld_reconf(const struct i2prd_conf *conf)
{
	log_debug("netid %d, floodfill %s", conf->netid,
	    conf->floodfill ? "yes" : "no");
}

static const struct child_ops tunneld_ops = {
	.reconf = tunneld_reconf,
	.sandbox = sandbox_tunneld,
};

int
main(int argc, char *argv[])
{
	return child_main(PROC_TUNNELD, argc, argv, &tunneld_ops);
}
