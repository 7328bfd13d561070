/*
 * show tunnels clients: each tunnel line as a CTL_PROXY (proxy.h).
 */
#include <bsd/string.h>
#include <string.h>

#include "proxy.h"

struct emit {
	proxy_emit_fn	 fn;
	void		*arg;
};

static void
row(const struct proxy_conf *pc, const char *b32, uint32_t conns, int up,
    const struct proxy_stats *st, void *arg)
{
	struct emit		*e = arg;
	struct ctl_proxy	 cp;

	memset(&cp, 0, sizeof(cp));
	strlcpy(cp.dest, pc->dest, sizeof(cp.dest));
	strlcpy(cp.b32, b32, sizeof(cp.b32));
	strlcpy(cp.target, pc->target, sizeof(cp.target));
	cp.kind = pc->kind;
	cp.family = pc->family;
	cp.up = up != 0;
	cp.port = pc->port;
	cp.target_port = pc->target_port;
	cp.i2p_port = pc->i2p_port;
	cp.nallow = pc->nallow;
	memcpy(cp.addr, pc->addr, sizeof(cp.addr));
	cp.conns = conns;
	cp.accepted = st->accepted;
	cp.refused = st->refused;
	cp.failed = st->failed;
	cp.bytes_in = st->bytes_in;
	cp.bytes_out = st->bytes_out;
	cp.outproxied = st->outproxied;
	e->fn(e->arg, IMSG_CTL_PROXY, &cp, sizeof(cp));
}

void
proxy_ctl(proxy_emit_fn fn, void *arg)
{
	struct emit	 e = { fn, arg };

	proxy_rows(row, &e);
}
