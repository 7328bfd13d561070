/*
 * show transit: the tunnels of other routers through ours, by role,
 * what the builds came to, and the traffic.
 */
#include <inttypes.h>
#include <stdio.h>

#include "i2pctl.h"
#include "json.h"

static const char *const roles[3] = {
	[TRANSIT_PARTICIPANT] = "participant",
	[TRANSIT_IBGW] = "inbound gateway",
	[TRANSIT_OBEP] = "outbound endpoint",
};
static const char *const role_ids[3] = {
	[TRANSIT_PARTICIPANT] = "participant",
	[TRANSIT_IBGW] = "gateway",
	[TRANSIT_OBEP] = "endpoint",
};

static void
line(FILE *fp, const char *label, uint64_t v)
{
	fprintf(fp, "%-32s %" PRIu64 "\n", label, v);
}

void
print_transit_text(FILE *fp, const struct transit_stats *t)
{
	char	l[64];
	int	i;

	fprintf(fp, "%-32s %s\n", "Role", "now / accepted");
	for (i = 0; i < 3; i++) {
		snprintf(l, sizeof(l), "  %s", roles[i]);
		fprintf(fp, "%-32s %" PRIu64 " / %" PRIu64 "\n", l,
		    t->active[i], t->accepted[i]);
	}
	fprintf(fp, "%-32s %" PRIu64 " of %u\n", "Transit tunnels (max)",
	    t->active[0] + t->active[1] + t->active[2], t->max);
	if (t->share > 0)
		fprintf(fp, "%-32s %" PRIu64 " KB/s, %u%% used lately\n",
		    "Bandwidth share", t->share / 1024, t->load);
	else
		fprintf(fp, "%-32s %s\n", "Bandwidth share", "no limit");
	fprintf(fp, "%-32s %s\n", "Congestion cap (proposal 162)",
	    t->congestion[0] != '\0' ? t->congestion : "none");
	line(fp, "Build requests for us", t->builds_in);
	line(fp, "  refused", t->builds_rejected);
	line(fp, "    transit max reached", t->refused_limit);
	line(fp, "    previous hop over its rate", t->refused_rate);
	line(fp, "    bandwidth share used up", t->refused_bandwidth);
	line(fp, "    request time off", t->refused_time);
	line(fp, "    tunnel ID in use", t->refused_id);
	line(fp, "    next hop is ourselves", t->refused_loop);
	line(fp, "    previous hop holds its share", t->refused_share);
	line(fp, "  malformed or undecryptable", t->builds_malformed);
	line(fp, "  replayed", t->builds_replayed);
	line(fp, "  dropped (busy)", t->builds_dropped);
	line(fp, "  dropped (previous hop over budget)", t->builds_throttled);
	line(fp, "  reply not routable", t->builds_unroutable);
	line(fp, "TunnelData received", t->data_in);
	line(fp, "TunnelGateway received", t->gateway_in);
	line(fp, "TunnelData sent on", t->data_out);
	line(fp, "Messages delivered (endpoint)", t->delivered);
	line(fp, "  held for a router lookup", t->held);
	line(fp, "    sent on once it was found", t->held_sent);
	line(fp, "Messages to ourselves", t->self_delivered);
	line(fp, "  dropped (queue full)", t->self_dropped);
	line(fp, "Dropped", t->data_dropped);
	line(fp, "  over the bandwidth share", t->dropped_bandwidth);
	line(fp, "Reassembly: bytes held", t->reasm_bytes);
	line(fp, "  fragments over the budget", t->reasm_dropped);
}

void
print_transit_json(FILE *fp, int pretty, const struct transit_stats *t)
{
	struct json	j;
	int		i;

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "transit");
	json_object_begin(&j, "active");
	for (i = 0; i < 3; i++)
		json_uint(&j, role_ids[i], t->active[i]);
	json_object_end(&j);
	json_object_begin(&j, "accepted");
	for (i = 0; i < 3; i++)
		json_uint(&j, role_ids[i], t->accepted[i]);
	json_object_end(&j);
	json_uint(&j, "builds_in", t->builds_in);
	json_uint(&j, "max", t->max);
	json_uint(&j, "share", t->share);
	json_uint(&j, "load", t->load);
	json_string(&j, "congestion", t->congestion);
	json_uint(&j, "builds_rejected", t->builds_rejected);
	json_uint(&j, "refused_limit", t->refused_limit);
	json_uint(&j, "refused_rate", t->refused_rate);
	json_uint(&j, "refused_bandwidth", t->refused_bandwidth);
	json_uint(&j, "refused_time", t->refused_time);
	json_uint(&j, "refused_id", t->refused_id);
	json_uint(&j, "refused_loop", t->refused_loop);
	json_uint(&j, "refused_share", t->refused_share);
	json_uint(&j, "builds_malformed", t->builds_malformed);
	json_uint(&j, "builds_replayed", t->builds_replayed);
	json_uint(&j, "builds_dropped", t->builds_dropped);
	json_uint(&j, "builds_throttled", t->builds_throttled);
	json_uint(&j, "builds_unroutable", t->builds_unroutable);
	json_uint(&j, "data_in", t->data_in);
	json_uint(&j, "gateway_in", t->gateway_in);
	json_uint(&j, "data_out", t->data_out);
	json_uint(&j, "delivered", t->delivered);
	json_uint(&j, "held", t->held);
	json_uint(&j, "held_sent", t->held_sent);
	json_uint(&j, "self_delivered", t->self_delivered);
	json_uint(&j, "self_dropped", t->self_dropped);
	json_uint(&j, "dropped", t->data_dropped);
	json_uint(&j, "dropped_bandwidth", t->dropped_bandwidth);
	json_uint(&j, "reassembly_bytes", t->reasm_bytes);
	json_uint(&j, "reassembly_dropped", t->reasm_dropped);
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
}
