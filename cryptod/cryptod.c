/*
 * i2prd-cryptod: the only process that holds long-term private keys.
 * It never touches the network or the netDb: it answers requests from
 * netd, routerd and tunneld with results, never with keys.  In this
 * skeleton it joins the mesh and waits under its sandbox; key custody
 * lands with the crypto issue.
 */
#include "log.h"
#include "proc.h"

static void
cryptod_reconf(const struct i2prd_conf *conf)
{
	log_debug("netid %d, floodfill %s", conf->netid,
	    conf->floodfill ? "yes" : "no");
}

static const struct child_ops cryptod_ops = {
	.reconf = cryptod_reconf,
	.sandbox = sandbox_cryptod,
};

int
main(int argc, char *argv[])
{
	return child_main(PROC_CRYPTOD, argc, argv, &cryptod_ops);
}
