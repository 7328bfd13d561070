/*
 * "test drop client-tunnel N%" (i2prd.conf(5)): for testing only, as
 * issue 15 asks, a share of the client tunnels' messages is dropped so
 * that tests can show streaming recovering from loss on a real network.
 *
 * client.c asks loss_drop() once for each message of a destination's
 * own traffic: each record of IMSG_CLIENT_SEND at our outbound gateway
 * (before it is split into tunnel messages, so that the share is of
 * I2NP messages, the unit streaming resends) and each garlic message
 * for tunneld at the end of a client's inbound tunnel.  The two draws
 * are independent, from the project's random source.  What routerd
 * sends and receives through client tunnels for itself (tunnel tests,
 * LeaseSet stores and lookups) and every exploratory and transit
 * message are never dropped here: the test is of streaming, not of
 * pools rebuilding tunnels whose tests failed.
 *
 * Off unless configured; switching it on or off is logged as a warning
 * at every level, so that a router dropping traffic cannot go unseen.
 */
#include "crypto.h"
#include "i2prd.h"
#include "log.h"
#include "client.h"

static int	 drop_percent;
/* since start, across reloads: a SAM session's own counters go with it */
static uint64_t	 dropped[2];

void
loss_set(int percent)
{
	if (percent < 0 || percent > TEST_DROP_MAX)
		fatalx("test drop %d%% out of range", percent);
	drop_percent = percent;
}

void
loss_reconf(const struct i2prd_conf *conf)
{
	if (conf->test_drop == drop_percent)
		return;
	if (conf->test_drop > 0)
		log_warnx("testing: dropping %d%% of client tunnel messages",
		    conf->test_drop);
	else
		log_warnx("testing: no longer dropping client tunnel messages");
	loss_set(conf->test_drop);
}

int
loss_drop(enum loss_dir dir)
{
	/* off: no draw, nothing dropped */
	if (drop_percent == 0 ||
	    crypto_random_below(100) >= (uint32_t)drop_percent)
		return 0;
	dropped[dir]++;
	return 1;
}

void
loss_stats(uint64_t *out, uint64_t *in)
{
	*out = dropped[LOSS_OUT];
	*in = dropped[LOSS_IN];
}
