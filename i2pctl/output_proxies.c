/*
 * show tunnels clients: the tunnel lines of the destination blocks,
 * each with its local side (where a client tunnel listens, where a
 * server tunnel connects), its I2P side (a client's target and port, a
 * server's i2p port and allow list), whether it runs, and its
 * connections and traffic.  Names and targets come from the
 * configuration: printed through output_safe().
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <inttypes.h>
#include <stdio.h>

#include "i2pctl.h"
#include "json.h"

static const char *
kind_name(uint8_t kind)
{
	return proxy_kind_name(kind);
}

static void
local_text(const struct ctl_proxy *p, char *buf, size_t len)
{
	char	 addr[INET6_ADDRSTRLEN];

	inet_ntop(p->family == 4 ? AF_INET : AF_INET6, p->addr, addr,
	    sizeof(addr));
	if (p->family == 6)
		snprintf(buf, len, "[%s]:%u", addr, p->port);
	else
		snprintf(buf, len, "%s:%u", addr, p->port);
}

/* a socks or http proxy: its target is its outproxy */
static int
is_proxy(const struct ctl_proxy *p)
{
	return p->kind == PROXY_SOCKS || p->kind == PROXY_HTTP;
}

/*
 * A client's target and port; a server's port and how many may come;
 * a proxy's outproxy and how many streams went to it
 */
static void
i2p_text(const struct ctl_proxy *p, char *buf, size_t len)
{
	char	 t[sizeof(p->target)];

	/* the proxies: whatever the browser asks for */
	if (is_proxy(p) && p->target[0] == '\0') {
		snprintf(buf, len, "any .i2p host");
		return;
	}
	if (is_proxy(p)) {
		snprintf(buf, len, "outproxy %s:%u, %" PRIu64 " sent",
		    output_safe(p->target, t, sizeof(t)), p->target_port,
		    p->outproxied);
		return;
	}
	if (proxy_kind_listens(p->kind)) {
		snprintf(buf, len, "%s:%u", output_safe(p->target, t,
		    sizeof(t)), p->target_port);
		return;
	}
	if (p->i2p_port == 0)
		snprintf(buf, len, "port any");
	else
		snprintf(buf, len, "port %u", p->i2p_port);
	if (p->nallow > 0)
		snprintf(buf + strlen(buf), len - strlen(buf), ", %u allowed",
		    p->nallow);
}

static void
proxy_text(FILE *fp, const struct ctl_proxy *p)
{
	char	name[DEST_NAME_MAX + 1], local[64], i2p[96];

	local_text(p, local, sizeof(local));
	i2p_text(p, i2p, sizeof(i2p));
	fprintf(fp, "%-16s %-11s %-22s %-36s %-4s %5" PRIu32 " %8" PRIu64
	    " %7" PRIu64 " %6" PRIu64 " %12" PRIu64 " %12" PRIu64 "\n",
	    output_safe(p->dest, name, sizeof(name)), kind_name(p->kind),
	    local, i2p, p->up ? "up" : "down", p->conns, p->accepted,
	    p->refused, p->failed, p->bytes_in, p->bytes_out);
}

void
print_proxies_text(FILE *fp, const struct ctl_proxy *p, size_t n)
{
	size_t	i;

	if (n == 0) {
		fprintf(fp, "no tunnels configured\n");
		return;
	}
	fprintf(fp, "%-16s %-11s %-22s %-36s %-4s %5s %8s %7s %6s %12s %12s\n",
	    "Destination", "Kind", "Local", "I2P side", "Up", "Conns",
	    "Accepted", "Refused", "Failed", "From I2P", "To I2P");
	for (i = 0; i < n; i++)
		proxy_text(fp, &p[i]);
}

static void
proxy_json(struct json *j, const struct ctl_proxy *p)
{
	char	 addr[INET6_ADDRSTRLEN];

	inet_ntop(p->family == 4 ? AF_INET : AF_INET6, p->addr, addr,
	    sizeof(addr));
	json_object_begin(j, NULL);
	json_string(j, "destination", p->dest);
	if (p->b32[0] != '\0')
		json_string(j, "address", p->b32);
	else
		json_null(j, "address");
	json_string(j, "kind", kind_name(p->kind));
	json_string(j, "local_address", addr);
	json_uint(j, "local_port", p->port);
	if (is_proxy(p) && p->target[0] != '\0') {
		json_string(j, "outproxy", p->target);
		json_uint(j, "outproxy_port", p->target_port);
	} else if (p->target[0] != '\0' && proxy_kind_listens(p->kind)) {
		json_string(j, "target", p->target);
		json_uint(j, "target_port", p->target_port);
	} else if (!proxy_kind_listens(p->kind)) {
		json_uint(j, "i2p_port", p->i2p_port);
		json_uint(j, "allowed", p->nallow);
	}
	json_bool(j, "up", p->up);
	json_uint(j, "connections", p->conns);
	json_uint(j, "accepted", p->accepted);
	json_uint(j, "refused", p->refused);
	json_uint(j, "failed", p->failed);
	json_uint(j, "bytes_from_i2p", p->bytes_in);
	json_uint(j, "bytes_to_i2p", p->bytes_out);
	if (is_proxy(p))
		json_uint(j, "outproxied", p->outproxied);
	json_object_end(j);
}

void
print_proxies_json(FILE *fp, int pretty, const struct ctl_proxy *p, size_t n)
{
	struct json	j;
	size_t		i;

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "tunnels");
	for (i = 0; i < n; i++)
		proxy_json(&j, &p[i]);
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}
