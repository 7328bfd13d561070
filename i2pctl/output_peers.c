/*
 * show peers: one row per transport session, as netd reports them.
 * show peers limits: netd's session table and what each of its limits
 * refused.  In JSON both are one document.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "i2pctl.h"
#include "json.h"


static int64_t
age(const struct ctl_peer *p, int64_t now)
{
	return output_age(p->established, now);
}

static void
line(FILE *fp, const char *label, uint64_t v)
{
	fprintf(fp, "%-32s %" PRIu64 "\n", label, v);
}

void
print_limits_text(FILE *fp, const struct ctl_sessions *cs)
{
	fprintf(fp, "%-32s %" PRIu32 " of %" PRIu32 " (%" PRIu32
	    " for our dials only)\n", "Sessions (slots)", cs->sessions,
	    cs->max, cs->reserve);
	fprintf(fp, "%-32s %" PRIu32 " in, %" PRIu32 " out\n",
	    "Handshakes in progress", cs->hs_in, cs->hs_out);
	line(fp, "Descriptor limit", cs->nofile);
	fprintf(fp, "%s\n", "Inbound refused");
	line(fp, "  no slot but the reserve", cs->refused_slots);
	line(fp, "  too many handshakes", cs->refused_hs);
	line(fp, "  handshakes from one address", cs->refused_hs_src);
	line(fp, "  sessions from one address", cs->refused_src);
	line(fp, "  sessions with one router", cs->refused_hash);
	line(fp, "Dials not started (limits)", cs->dials_refused);
	fprintf(fp, "%s\n", "SSU2 datagrams");
	line(fp, "  received", cs->ssu2_pkts_in);
	line(fp, "  sent", cs->ssu2_pkts_out);
	line(fp, "  dropped (bad or for nobody)", cs->ssu2_dropped);
	line(fp, "  duplicate or replayed", cs->ssu2_dup);
	line(fp, "  oversized", cs->ssu2_oversized);
	line(fp, "  Retry tokens issued", cs->ssu2_tokens);
	line(fp, "  Retry tokens refused", cs->ssu2_token_refused);
	line(fp, "  unknown tokens", cs->ssu2_bad_token);
	line(fp, "  fragments given up", cs->ssu2_reasm_dropped);
}

static void
print_sessions_json(struct json *j, const struct ctl_sessions *cs)
{
	json_object_begin(j, "sessions");
	json_uint(j, "sessions", cs->sessions);
	json_uint(j, "max", cs->max);
	json_uint(j, "reserve", cs->reserve);
	json_uint(j, "handshakes_in", cs->hs_in);
	json_uint(j, "handshakes_out", cs->hs_out);
	json_uint(j, "nofile", cs->nofile);
	json_uint(j, "refused_slots", cs->refused_slots);
	json_uint(j, "refused_handshakes", cs->refused_hs);
	json_uint(j, "refused_handshakes_source", cs->refused_hs_src);
	json_uint(j, "refused_source", cs->refused_src);
	json_uint(j, "refused_router", cs->refused_hash);
	json_uint(j, "dials_refused", cs->dials_refused);
	json_uint(j, "ssu2_pkts_in", cs->ssu2_pkts_in);
	json_uint(j, "ssu2_pkts_out", cs->ssu2_pkts_out);
	json_uint(j, "ssu2_dropped", cs->ssu2_dropped);
	json_uint(j, "ssu2_dup", cs->ssu2_dup);
	json_uint(j, "ssu2_oversized", cs->ssu2_oversized);
	json_uint(j, "ssu2_tokens", cs->ssu2_tokens);
	json_uint(j, "ssu2_token_refused", cs->ssu2_token_refused);
	json_uint(j, "ssu2_bad_token", cs->ssu2_bad_token);
	json_uint(j, "ssu2_reasm_dropped", cs->ssu2_reasm_dropped);
	json_object_end(j);
}

/*
 * The address column: 22 fits IPv4 ("255.255.255.255:65535"), an IPv6
 * address in brackets may take up to 47
 */
static int
addr_width(const struct ctl_peer *peers, size_t n)
{
	size_t	i, w = 22;

	for (i = 0; i < n; i++)
		if (strnlen(peers[i].addr, sizeof(peers[i].addr)) > w)
			w = strnlen(peers[i].addr, sizeof(peers[i].addr));
	return w;
}

void
print_peers_text(FILE *fp, const struct ctl_peer *peers, size_t n,
    int64_t now)
{
	char	tf[32], in[48], out[48], hash[48], addr[64], tr[8], ud[64];
	size_t	i;
	int	aw = addr_width(peers, n);

	fprintf(fp, "%-44s  %-*s %-3s %-9s %-19s %-19s %-9s %s\n", "Peer",
	    aw, "Address", "Dir", "Age", "In (msgs/bytes)", "Out (msgs/bytes)",
	    "Transport", "RTT/window/resends/MTU");
	for (i = 0; i < n; i++) {
		snprintf(in, sizeof(in), "%" PRIu64 "/%" PRIu64,
		    peers[i].msgs_in, peers[i].bytes_in);
		snprintf(out, sizeof(out), "%" PRIu64 "/%" PRIu64,
		    peers[i].msgs_out, peers[i].bytes_out);
		/* the datagram transport's own figures; TCP keeps its own */
		snprintf(ud, sizeof(ud), "-");
		if (peers[i].mtu != 0)
			snprintf(ud, sizeof(ud), "%" PRIu32 "ms/%" PRIu32
			    "/%" PRIu64 "/%" PRIu32, peers[i].rtt_ms,
			    peers[i].cwnd, peers[i].resends, peers[i].mtu);
		fprintf(fp, "%-44s  %-*s %-3s %-9s %-19s %-19s %-9s %s\n",
		    output_safe(peers[i].hash, hash, sizeof(hash)), aw,
		    output_safe(peers[i].addr, addr, sizeof(addr)),
		    peers[i].inbound ? "in" : "out",
		    fmt_timeframe(age(&peers[i], now), tf, sizeof(tf)), in,
		    out, output_safe(peers[i].transport, tr, sizeof(tr)), ud);
	}
}

void
print_peers_json(FILE *fp, int pretty, const struct ctl_peer *peers,
    size_t n, const struct ctl_sessions *cs, int64_t now)
{
	struct json	j;
	size_t		i;

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "peers");
	for (i = 0; i < n; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "hash", peers[i].hash);
		json_string(&j, "address", peers[i].addr);
		json_string(&j, "direction", peers[i].inbound ? "in" : "out");
		json_int(&j, "age", age(&peers[i], now));
		json_uint(&j, "msgs_in", peers[i].msgs_in);
		json_uint(&j, "msgs_out", peers[i].msgs_out);
		json_uint(&j, "bytes_in", peers[i].bytes_in);
		json_uint(&j, "bytes_out", peers[i].bytes_out);
		json_string(&j, "transport", peers[i].transport);
		json_uint(&j, "rtt_ms", peers[i].rtt_ms);
		json_uint(&j, "window", peers[i].cwnd);
		json_uint(&j, "inflight", peers[i].inflight);
		json_uint(&j, "resends", peers[i].resends);
		json_uint(&j, "mtu", peers[i].mtu);
		json_object_end(&j);
	}
	json_array_end(&j);
	if (cs != NULL)
		print_sessions_json(&j, cs);
	json_object_end(&j);
	json_finish(&j);
}

/*
 * Relay tags and introducers are "-": SSU2 relay is not done yet, so
 * we hold none
 */
void
print_transports_text(FILE *fp, const struct ctl_transport *t, size_t n,
    int64_t now)
{
	char	tf[32], addr[64], tr[8], when[40];
	size_t	i;

	fprintf(fp, "%-9s %-28s %-11s %-13s %-9s %-9s %-8s %-10s %s\n",
	    "Transport", "Address", "Reachable", "Tested", "Tests", "Charlie",
	    "Ignored", "Relay tags", "Introducers");
	for (i = 0; i < n; i++) {
		snprintf(when, sizeof(when), "-");
		if (t[i].reach_when != 0)
			snprintf(when, sizeof(when), "%s ago", fmt_timeframe(
			    output_age(t[i].reach_when, now), tf, sizeof(tf)));
		fprintf(fp, "%-9s %-28s %-11s %-13s %-9" PRIu64 " %-9" PRIu64
		    " %-8" PRIu64 " %-10s %s\n", output_safe(t[i].transport,
		    tr, sizeof(tr)), output_safe(t[i].addr, addr,
		    sizeof(addr)), net_reach_name(t[i].reach), when,
		    t[i].pt_run, t[i].pt_charlie, t[i].pt_ignored, "-", "-");
	}
}

void
print_transports_json(FILE *fp, int pretty, const struct ctl_transport *t,
    size_t n, int64_t now)
{
	struct json	j;
	size_t		i;

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "transports");
	for (i = 0; i < n; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "transport", t[i].transport);
		json_string(&j, "address", t[i].addr);
		json_string(&j, "reachability", net_reach_name(t[i].reach));
		if (t[i].reach_when != 0)
			json_int(&j, "tested_ago",
			    output_age(t[i].reach_when, now));
		else
			json_null(&j, "tested_ago");
		json_uint(&j, "peer_tests_run", t[i].pt_run);
		json_uint(&j, "peer_tests_charlie", t[i].pt_charlie);
		json_uint(&j, "peer_tests_ignored", t[i].pt_ignored);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}
