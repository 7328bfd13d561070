/*
 * libFuzzer target: the configuration messages a child takes from the
 * parent (common/confmsg.c).  The first byte picks RECONF_CONF or
 * RECONF_LISTEN; the rest fills the message.  Checked beyond the
 * sanitizers: what a child accepts, the parent would write the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i2prd.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

FUZZ_INIT_DEFAULT

/* the destinations a child took, written back the same */
static int
dests_same(const struct conf_msg *a, const struct conf_msg *b)
{
	int	 i, dir;

	if (a->ndests != b->ndests)
		return 0;
	for (i = 0; i < a->ndests; i++) {
		if (strcmp(a->dests[i].name, b->dests[i].name) != 0)
			return 0;
		for (dir = TUNNEL_IN; dir <= TUNNEL_OUT; dir++)
			if (a->dests[i].length[dir] !=
			    b->dests[i].length[dir] ||
			    a->dests[i].quantity[dir] !=
			    b->dests[i].quantity[dir])
				return 0;
	}
	return 1;
}

static void
one_conf(const uint8_t *data, size_t len)
{
	struct i2prd_conf	*conf;
	struct conf_msg		 cm, back;

	memset(&cm, 0, sizeof(cm));
	memcpy(&cm, data, len < sizeof(cm) ? len : sizeof(cm));
	if ((conf = conf_new()) == NULL)
		abort();
	if (conf_from_msg(conf, &cm) == 0) {
		conf_to_msg(conf, cm.generation, &back);
		if (strcmp(back.statedir, cm.statedir) != 0 ||
		    strcmp(back.user, cm.user) != 0 ||
		    back.netid != cm.netid || back.floodfill != cm.floodfill ||
		    back.ff_lookup_rate != cm.ff_lookup_rate ||
		    back.ff_lookup_burst != cm.ff_lookup_burst ||
		    back.log_level != cm.log_level || !dests_same(&back, &cm))
			abort();
	}
	conf_free(conf);
}

static void
one_listen(const uint8_t *data, size_t len)
{
	struct listen_msg	 lm, back;
	struct sockaddr_storage	 ss;

	memset(&lm, 0, sizeof(lm));
	memcpy(&lm, data, len < sizeof(lm) ? len : sizeof(lm));
	if (listen_from_msg(&ss, &lm) == 0) {
		listen_to_msg(&ss, &back);
		if (back.family != lm.family || back.port != lm.port ||
		    memcmp(back.addr, lm.addr, lm.family == 4 ? 4 : 16) != 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	if (len < 1)
		return 0;
	if (data[0] & 1)
		one_listen(data + 1, len - 1);
	else
		one_conf(data + 1, len - 1);
	return 0;
}
