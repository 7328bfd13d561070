/*
 * show metrics: every counter and gauge of the other show views in the
 * Prometheus text format as OpenMetrics writes it, the shape of bgpctl's
 * "show metrics": a HELP and a TYPE line per family, a counter's samples
 * named FAMILY_total, units in the names (_seconds, _bytes), a label
 * where one figure comes in kinds (direction, role, pool, reason), and
 * "# EOF" at the end.  Only the gauge and counter types are used:
 * node_exporter's textfile collector, the usual way to scrape this,
 * refuses a file with an info or stateset family.
 *
 * Most figures come from the tables below, one row per struct field, so
 * a new counter in transit_stats, pool_stats, ctl_netdb, ctl_sessions or
 * ctl_dest is one row here (the unit test fails until it has one).  The
 * rows of a family stand together, its HELP on the first.  Per-peer,
 * per-tunnel and per-profile rows are summed or left out: labelled by
 * router hash, they would make a series per peer that comes and goes.
 * Local destinations are labelled by name: the configured ones and the
 * SAM sessions', as few as tunneld runs (DESTS_RUN_MAX at most).
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "i2pctl.h"

static int	 metrics_tail(void);

const struct output metrics_output = OUTPUT_COLLECTING(metrics_tail);

enum mtype { GAUGE, COUNTER };

/* the C type of a field, taken from the field: another type will not build */
enum mkind { K_U32, K_I32, K_U64, K_I64 };
#define KIND(x)		_Generic((x), uint32_t: K_U32, int32_t: K_I32, \
			    uint64_t: K_U64, int64_t: K_I64)
/* field f of struct s, and the power of ten its unit is to the family's */
#define AT(s, f, div)	offsetof(struct s, f), \
			    KIND(((struct s *)0)->f), (div)

struct metric {
	const char	*family;	/* a counter's samples add _total */
	enum mtype	 type;
	const char	*label;		/* the row's: 'reason="rate"', NULL */
	size_t		 off;
	enum mkind	 kind;
	unsigned	 div;		/* 1000: a field in ms, a family in s */
	const char	*help;		/* the family's, on its first row */
};

struct metric_table {
	const struct metric	*rows;
	size_t			 n;
	size_t			 size;	/* of the struct the rows read */
};

#define G	GAUGE
#define C	COUNTER
#define TABLE(rows, s)	{ rows, sizeof(rows) / sizeof(rows[0]), \
			    sizeof(struct s) }

static const struct metric summary_rows[] = {
	{ "i2prd_start_time_seconds", G, NULL, AT(ctl_summary, started, 1),
	    "when the suite started, seconds since the epoch" },
	{ "i2prd_config_reloads", C, NULL, AT(ctl_summary, generation, 1),
	    "configuration reloads since start (the config generation)" },
	{ "i2prd_test_drop_ratio", G, NULL, AT(ctl_summary, test_drop, 100),
	    "testing only: the share of client tunnel messages dropped" },
	{ "i2prd_test_dropped", C, "direction=\"out\"",
	    AT(ctl_summary, test_dropped_out, 1),
	    "testing only: client tunnel messages dropped, by direction" },
	{ "i2prd_test_dropped", C, "direction=\"in\"",
	    AT(ctl_summary, test_dropped_in, 1), NULL },
};

/* show peers limits */
static const struct metric sessions_rows[] = {
	{ "i2prd_session_table_entries", G, NULL,
	    AT(ctl_sessions, sessions, 1),
	    "entries in netd's session table, in any state" },
	{ "i2prd_session_table_slots", G, NULL, AT(ctl_sessions, max, 1),
	    "slots of netd's session table (from its descriptor limit)" },
	{ "i2prd_session_table_reserved_slots", G, NULL,
	    AT(ctl_sessions, reserve, 1),
	    "of the slots, those kept for the router's own dials" },
	{ "i2prd_handshakes", G, "direction=\"inbound\"",
	    AT(ctl_sessions, hs_in, 1), "transport handshakes in progress" },
	{ "i2prd_handshakes", G, "direction=\"outbound\"",
	    AT(ctl_sessions, hs_out, 1), NULL },
	{ "i2prd_netd_descriptor_limit", G, NULL, AT(ctl_sessions, nofile, 1),
	    "netd's limit of open descriptors" },
	{ "i2prd_sessions_refused", C, "reason=\"slots\"",
	    AT(ctl_sessions, refused_slots, 1),
	    "inbound connections or sessions refused, by the limit hit" },
	{ "i2prd_sessions_refused", C, "reason=\"handshakes\"",
	    AT(ctl_sessions, refused_hs, 1), NULL },
	{ "i2prd_sessions_refused", C, "reason=\"handshakes_source\"",
	    AT(ctl_sessions, refused_hs_src, 1), NULL },
	{ "i2prd_sessions_refused", C, "reason=\"source\"",
	    AT(ctl_sessions, refused_src, 1), NULL },
	{ "i2prd_sessions_refused", C, "reason=\"router\"",
	    AT(ctl_sessions, refused_hash, 1), NULL },
	{ "i2prd_dials_refused", C, NULL, AT(ctl_sessions, dials_refused, 1),
	    "the router's own dials not started: no slot or handshake left" },
	{ "i2prd_ssu2_datagrams", C, "direction=\"received\"",
	    AT(ctl_sessions, ssu2_pkts_in, 1), "SSU2 datagrams" },
	{ "i2prd_ssu2_datagrams", C, "direction=\"sent\"",
	    AT(ctl_sessions, ssu2_pkts_out, 1), NULL },
	{ "i2prd_ssu2_dropped", C, "reason=\"bad\"",
	    AT(ctl_sessions, ssu2_dropped, 1),
	    "SSU2 datagrams dropped, by why" },
	{ "i2prd_ssu2_dropped", C, "reason=\"duplicate\"",
	    AT(ctl_sessions, ssu2_dup, 1), NULL },
	{ "i2prd_ssu2_dropped", C, "reason=\"oversized\"",
	    AT(ctl_sessions, ssu2_oversized, 1), NULL },
	{ "i2prd_ssu2_dropped", C, "reason=\"unknown_token\"",
	    AT(ctl_sessions, ssu2_bad_token, 1), NULL },
	{ "i2prd_ssu2_tokens", C, "result=\"issued\"",
	    AT(ctl_sessions, ssu2_tokens, 1), "SSU2 Retry tokens" },
	{ "i2prd_ssu2_tokens", C, "result=\"refused\"",
	    AT(ctl_sessions, ssu2_token_refused, 1), NULL },
	{ "i2prd_ssu2_fragments_dropped", C, NULL,
	    AT(ctl_sessions, ssu2_reasm_dropped, 1),
	    "SSU2 messages whose fragments were given up" },
};

/* show netdb and show floodfill */
static const struct metric netdb_rows[] = {
	{ "i2prd_netdb_routerinfos", G, NULL, AT(ctl_netdb, routers, 1),
	    "RouterInfos held, the router's own not counted" },
	{ "i2prd_netdb_floodfills", G, NULL, AT(ctl_netdb, floodfills, 1),
	    "of the RouterInfos held, floodfills" },
	{ "i2prd_netdb_routerinfos_max", G, NULL, AT(ctl_netdb, netdb_max, 1),
	    "RouterInfos kept at most" },
	{ "i2prd_netdb_leasesets", G, NULL, AT(ctl_netdb, leasesets, 1),
	    "LeaseSets held" },
	{ "i2prd_netdb_publish_stores", C, NULL,
	    AT(ctl_netdb, announce.sent, 1),
	    "stores of our RouterInfo to floodfills, with a reply token" },
	{ "i2prd_netdb_publish_verified", C, NULL,
	    AT(ctl_netdb, announce.verified, 1),
	    "of those, answered by a DeliveryStatus" },
	{ "i2prd_netdb_publish_unanswered", C, NULL,
	    AT(ctl_netdb, announce.timeouts, 1),
	    "of those, unanswered (the next floodfill tried)" },
	{ "i2prd_netdb_publish_tunneled", C, NULL,
	    AT(ctl_netdb, announce.tunneled, 1),
	    "of those, sent through our tunnels" },
	{ "i2prd_netdb_publish_last_verified_timestamp_seconds", G, NULL,
	    AT(ctl_netdb, announce.last_verified, 1),
	    "when a store of ours was last verified, 0: never" },
	{ "i2prd_netdb_explorations", C, NULL,
	    AT(ctl_netdb, explore.explorations, 1),
	    "exploratory lookups sent" },
	{ "i2prd_netdb_search_replies", C, NULL,
	    AT(ctl_netdb, explore.search_replies, 1),
	    "DatabaseSearchReplies received" },
	{ "i2prd_netdb_search_replies_unasked", C, NULL,
	    AT(ctl_netdb, explore.search_replies_unasked, 1),
	    "of those, to no lookup of ours to that floodfill: dropped" },
	{ "i2prd_garlic", C, NULL, AT(ctl_netdb, garlic.in, 1),
	    "Garlic messages to the router received" },
	{ "i2prd_garlic_opened", C, "key=\"tag\"",
	    AT(ctl_netdb, garlic.tagged, 1),
	    "of those, opened under a tag we gave or with our router key" },
	{ "i2prd_garlic_opened", C, "key=\"router\"",
	    AT(ctl_netdb, garlic.router, 1), NULL },
	{ "i2prd_garlic_dropped", C, "reason=\"invalid\"",
	    AT(ctl_netdb, garlic.dropped, 1),
	    "of those, dropped: malformed, stale, replayed, busy, or the "
	    "sender over its budget of key operations" },
	{ "i2prd_garlic_dropped", C, "reason=\"sender_budget\"",
	    AT(ctl_netdb, garlic.throttled, 1), NULL },
	{ "i2prd_netdb_lookups", C, NULL,
	    AT(ctl_netdb, explore.lookups_sent, 1),
	    "RouterInfo lookups sent for routers new to us" },
	{ "i2prd_netdb_lookups_tunneled", C, NULL,
	    AT(ctl_netdb, explore.tunneled, 1),
	    "lookups sent through our tunnels" },
	{ "i2prd_reseed_last_timestamp_seconds", G, NULL,
	    AT(ctl_netdb, reseed.last, 1),
	    "when the last reseed (import or download) was, 0: never" },
	{ "i2prd_reseed_last_ok", G, NULL, AT(ctl_netdb, reseed.ok, 1),
	    "1 if the last reseed imported its file" },
	{ "i2prd_reseed_signers", G, NULL, AT(ctl_netdb, reseed.signers, 1),
	    "su3 reseed signers trusted" },
	{ "i2prd_floodfill_enabled", G, NULL, AT(ctl_netdb, floodfill, 1),
	    "1 if the router serves as a floodfill" },
	{ "i2prd_floodfill_lookup_rate", G, NULL,
	    AT(ctl_netdb, lookup_rate, 1),
	    "lookups a second a floodfill takes from one peer" },
	{ "i2prd_floodfill_lookup_burst", G, NULL,
	    AT(ctl_netdb, lookup_burst, 1),
	    "lookups a floodfill takes from one peer in a burst" },
	{ "i2prd_floodfill_lookups", C, NULL, AT(ctl_netdb, ff.lookups_in, 1),
	    "DatabaseLookups received" },
	{ "i2prd_floodfill_lookups_answered", C, "reply=\"entry\"",
	    AT(ctl_netdb, ff.lookups_answered, 1),
	    "lookups answered, with the entry or with closer peers" },
	{ "i2prd_floodfill_lookups_answered", C, "reply=\"closer_peers\"",
	    AT(ctl_netdb, ff.lookups_not_found, 1), NULL },
	{ "i2prd_floodfill_lookups_dropped", C, "reason=\"not_floodfill\"",
	    AT(ctl_netdb, ff.drop_not_floodfill, 1),
	    "lookups dropped, by reason" },
	{ "i2prd_floodfill_lookups_dropped", C, "reason=\"malformed\"",
	    AT(ctl_netdb, ff.drop_malformed, 1), NULL },
	{ "i2prd_floodfill_lookups_dropped", C, "reason=\"rate_limit\"",
	    AT(ctl_netdb, ff.drop_rate, 1), NULL },
	{ "i2prd_floodfill_replies_elgamal_aes", C, NULL,
	    AT(ctl_netdb, ff.replies_aes, 1),
	    "lookups answered under an ElGamal/AES session tag" },
	{ "i2prd_floodfill_replies_no_route", C, NULL,
	    AT(ctl_netdb, ff.reply_no_route, 1),
	    "replies with no route to their recipient" },
	{ "i2prd_floodfill_stores", C, NULL, AT(ctl_netdb, ff.stores_in, 1),
	    "DatabaseStores received as a floodfill" },
	{ "i2prd_floodfill_stores_acked", C, NULL,
	    AT(ctl_netdb, ff.stores_acked, 1),
	    "of those, acknowledged with a DeliveryStatus" },
	{ "i2prd_floodfill_stores_flooded", C, NULL,
	    AT(ctl_netdb, ff.stores_flooded, 1),
	    "stores sent on to other floodfills" },
	{ "i2prd_netdb_stores_throttled", C, "scope=\"sender\"",
	    AT(ctl_netdb, db.stores_throttled, 1),
	    "stores refused over the sender's rate or all senders' rate" },
	{ "i2prd_netdb_stores_throttled", C, "scope=\"all\"",
	    AT(ctl_netdb, db.stores_throttled_all, 1), NULL },
	{ "i2prd_netdb_writes_deferred", C, NULL,
	    AT(ctl_netdb, db.writes_deferred, 1),
	    "RouterInfo writes put off: only published changed" },
	{ "i2prd_netdb_evicted", C, "kind=\"routerinfo\"",
	    AT(ctl_netdb, db.ri_evicted, 1),
	    "entries dropped from a full table, the oldest unused first" },
	{ "i2prd_netdb_evicted", C, "kind=\"leaseset\"",
	    AT(ctl_netdb, db.ls_evicted, 1), NULL },
	{ "i2prd_netdb_refused", C, "kind=\"routerinfo\",reason=\"share\"",
	    AT(ctl_netdb, db.ri_refused_share, 1),
	    "new entries refused: the sender over its share, or all in use" },
	{ "i2prd_netdb_refused", C, "kind=\"routerinfo\",reason=\"full\"",
	    AT(ctl_netdb, db.ri_refused_full, 1), NULL },
	{ "i2prd_netdb_refused", C, "kind=\"leaseset\",reason=\"share\"",
	    AT(ctl_netdb, db.ls_refused_share, 1), NULL },
};

/* show transit */
#define TS(f)	AT(transit_stats, f, 1)
static const struct metric transit_rows[] = {
	{ "i2prd_transit_tunnels", G, "role=\"participant\"",
	    TS(active[TRANSIT_PARTICIPANT]), "transit tunnels now, by role" },
	{ "i2prd_transit_tunnels", G, "role=\"gateway\"",
	    TS(active[TRANSIT_IBGW]), NULL },
	{ "i2prd_transit_tunnels", G, "role=\"endpoint\"",
	    TS(active[TRANSIT_OBEP]), NULL },
	{ "i2prd_transit_tunnels_accepted", C, "role=\"participant\"",
	    TS(accepted[TRANSIT_PARTICIPANT]),
	    "transit tunnel builds accepted, by role" },
	{ "i2prd_transit_tunnels_accepted", C, "role=\"gateway\"",
	    TS(accepted[TRANSIT_IBGW]), NULL },
	{ "i2prd_transit_tunnels_accepted", C, "role=\"endpoint\"",
	    TS(accepted[TRANSIT_OBEP]), NULL },
	{ "i2prd_transit_tunnels_max", G, NULL, TS(max),
	    "transit tunnels at most (transit max)" },
	{ "i2prd_transit_share_bytes_per_second", G, NULL, TS(share),
	    "bandwidth share for transit, 0: no limit" },
	{ "i2prd_transit_share_used_ratio", G, NULL,
	    AT(transit_stats, load, 100), "part of the share used lately" },
	{ "i2prd_transit_builds", C, NULL, TS(builds_in),
	    "tunnel build requests with a record for us" },
	{ "i2prd_transit_builds_rejected", C, NULL, TS(builds_rejected),
	    "of those, refused (answered with code 30)" },
	{ "i2prd_transit_builds_refused", C, "reason=\"limit\"",
	    TS(refused_limit), "builds refused, by reason" },
	{ "i2prd_transit_builds_refused", C, "reason=\"rate\"",
	    TS(refused_rate), NULL },
	{ "i2prd_transit_builds_refused", C, "reason=\"bandwidth\"",
	    TS(refused_bandwidth), NULL },
	{ "i2prd_transit_builds_refused", C, "reason=\"time\"",
	    TS(refused_time), NULL },
	{ "i2prd_transit_builds_refused", C, "reason=\"tunnel_id\"",
	    TS(refused_id), NULL },
	{ "i2prd_transit_builds_refused", C, "reason=\"loop\"",
	    TS(refused_loop), NULL },
	{ "i2prd_transit_builds_refused", C, "reason=\"share\"",
	    TS(refused_share), NULL },
	{ "i2prd_transit_builds_discarded", C, "reason=\"malformed\"",
	    TS(builds_malformed),
	    "build requests not answered or not sent on, by reason" },
	{ "i2prd_transit_builds_discarded", C, "reason=\"replayed\"",
	    TS(builds_replayed), NULL },
	{ "i2prd_transit_builds_discarded", C, "reason=\"busy\"",
	    TS(builds_dropped), NULL },
	{ "i2prd_transit_builds_discarded", C, "reason=\"over_budget\"",
	    TS(builds_throttled), NULL },
	{ "i2prd_transit_builds_discarded", C, "reason=\"unroutable\"",
	    TS(builds_unroutable), NULL },
	{ "i2prd_transit_tunnel_data", C, "direction=\"received\"",
	    TS(data_in), "TunnelData messages received and sent on" },
	{ "i2prd_transit_tunnel_data", C, "direction=\"sent\"",
	    TS(data_out), NULL },
	{ "i2prd_transit_tunnel_gateway", C, NULL, TS(gateway_in),
	    "TunnelGateway messages received" },
	{ "i2prd_transit_delivered", C, NULL, TS(delivered),
	    "messages an outbound endpoint sent on" },
	{ "i2prd_transit_held", C, NULL, TS(held),
	    "of those, held while their router was looked up" },
	{ "i2prd_transit_held_sent", C, NULL, TS(held_sent),
	    "of those held, sent on once the router was found" },
	{ "i2prd_transit_self_delivered", C, NULL, TS(self_delivered),
	    "messages a tunnel's end sent to this router itself" },
	{ "i2prd_transit_self_dropped", C, NULL, TS(self_dropped),
	    "of those, dropped because too many waited" },
	{ "i2prd_transit_dropped", C, NULL, TS(data_dropped),
	    "transit messages dropped" },
	{ "i2prd_transit_dropped_bandwidth", C, NULL, TS(dropped_bandwidth),
	    "of those, over the bandwidth share" },
	{ "i2prd_reassembly_bytes", G, NULL, TS(reasm_bytes),
	    "bytes held for fragment reassembly, all tunnels" },
	{ "i2prd_reassembly_dropped", C, NULL, TS(reasm_dropped),
	    "fragments dropped over the global reassembly budget" },
};
#undef TS

/* show tunnels: each pool, exploratory and client, inbound and outbound */
#define PS(f)	AT(pool_stats, f, 1)
static const struct metric pool_rows[] = {
	{ "i2prd_tunnel_pool_length", G, NULL, PS(length),
	    "hops of the pool's tunnels (configured)" },
	{ "i2prd_tunnel_pool_quantity", G, NULL, PS(quantity),
	    "tunnels the pool keeps (configured)" },
	{ "i2prd_tunnel_pool_tunnels", G, "state=\"ready\"", PS(ready),
	    "the pool's tunnels now, ready or being built" },
	{ "i2prd_tunnel_pool_tunnels", G, "state=\"building\"", PS(building),
	    NULL },
	{ "i2prd_tunnel_builds", C, NULL, PS(builds), "build messages sent" },
	{ "i2prd_tunnel_build_results", C, "result=\"built\"", PS(built),
	    "builds answered or lost, by outcome" },
	{ "i2prd_tunnel_build_results", C, "result=\"refused\"", PS(refused),
	    NULL },
	{ "i2prd_tunnel_build_results", C, "result=\"timeout\"", PS(timeouts),
	    NULL },
	{ "i2prd_tunnel_build_results", C, "result=\"bad_reply\"",
	    PS(bad_reply), NULL },
	{ "i2prd_tunnel_builds_not_sent", C, "reason=\"no_hops\"",
	    PS(no_hops), "builds not sent, by reason" },
	{ "i2prd_tunnel_builds_not_sent", C, "reason=\"unroutable\"",
	    PS(unroutable), NULL },
	{ "i2prd_tunnel_builds_garlic", C, NULL, PS(builds_garlic),
	    "inbound builds sent as garlic through an outbound tunnel" },
	{ "i2prd_tunnel_built_garlic", C, NULL, PS(built_garlic),
	    "of those, built" },
	{ "i2prd_tunnel_builds_long", C, NULL, PS(builds_long),
	    "builds with long records" },
	{ "i2prd_tunnel_built_long", C, NULL, PS(built_long),
	    "of those, built" },
	{ "i2prd_tunnel_expired", C, NULL, PS(expired),
	    "tunnels that lived their ten minutes" },
	{ "i2prd_tunnel_tests", C, "result=\"ok\"", PS(tests_ok),
	    "tunnel tests, passed or failed" },
	{ "i2prd_tunnel_tests", C, "result=\"failed\"", PS(tests_failed),
	    NULL },
	{ "i2prd_tunnel_dropped", C, NULL, PS(dropped),
	    "inbound: messages dropped at our end" },
	{ "i2prd_tunnel_dropped_unwanted", C, NULL, PS(unwanted),
	    "of those, exploratory: not a reply the router waits for" },
	{ "i2prd_tunnel_build_latency_seconds", G, "quantile=\"0.5\"",
	    AT(pool_stats, lat_p50, 1000),
	    "build latency of the last 64 built" },
	{ "i2prd_tunnel_build_latency_seconds", G, "quantile=\"0.9\"",
	    AT(pool_stats, lat_p90, 1000), NULL },
	{ "i2prd_tunnel_test_rtt_seconds", G, "quantile=\"0.5\"",
	    AT(pool_stats, rtt_p50, 1000),
	    "tunnel test round trip of the last 64" },
	{ "i2prd_tunnel_test_rtt_seconds", G, "quantile=\"0.9\"",
	    AT(pool_stats, rtt_p90, 1000), NULL },
	{ "i2prd_tunnel_hops_picked", C, "tier=\"fast\"", PS(hop_tiers[0]),
	    "hops picked, by the profile tier they were in then" },
	{ "i2prd_tunnel_hops_picked", C, "tier=\"high_capacity\"",
	    PS(hop_tiers[1]), NULL },
	{ "i2prd_tunnel_hops_picked", C, "tier=\"not_failing\"",
	    PS(hop_tiers[2]), NULL },
	{ "i2prd_tunnel_hops_picked", C, "tier=\"failing\"", PS(hop_tiers[3]),
	    NULL },
};
#undef PS

/* show profiles, the peers' rows left out */
static const struct metric profiles_rows[] = {
	{ "i2prd_profiles_peers", G, "tier=\"fast\"",
	    AT(ctl_profiles, tiers[0], 1), "peers profiled, by tier" },
	{ "i2prd_profiles_peers", G, "tier=\"high_capacity\"",
	    AT(ctl_profiles, tiers[1], 1), NULL },
	{ "i2prd_profiles_peers", G, "tier=\"not_failing\"",
	    AT(ctl_profiles, tiers[2], 1), NULL },
	{ "i2prd_profiles_peers", G, "tier=\"failing\"",
	    AT(ctl_profiles, tiers[3], 1), NULL },
	{ "i2prd_profiles_capacity_threshold", G, NULL,
	    AT(ctl_profiles, cap_threshold, 1),
	    "capacity from which a peer is high capacity" },
	{ "i2prd_profiles_latency_threshold_seconds", G, NULL,
	    AT(ctl_profiles, lat_threshold, 1000),
	    "build latency up to which a high capacity peer is fast" },
};

/* show sam: the bridge in tunneld, its limits and counters */
#define SM(f)	AT(ctl_sam, f, 1)
static const struct metric sam_rows[] = {
	{ "i2prd_sam_enabled", G, NULL, SM(enabled),
	    "1 if the SAM bridge is configured" },
	{ "i2prd_sam_port", G, "socket=\"tcp\"", SM(port),
	    "the SAM bridge's ports" },
	{ "i2prd_sam_port", G, "socket=\"udp\"", SM(udp_port), NULL },
	{ "i2prd_sam_clients", G, NULL, SM(clients),
	    "SAM control connections now" },
	{ "i2prd_sam_sessions", G, NULL, SM(sessions),
	    "SAM sessions and subsessions now" },
	{ "i2prd_sam_limit", G, "limit=\"clients\"", SM(clients_max),
	    "the SAM bridge's limits" },
	{ "i2prd_sam_limit", G, "limit=\"clients_per_address\"",
	    SM(clients_per_addr), NULL },
	{ "i2prd_sam_limit", G, "limit=\"sessions\"", SM(sessions_max),
	    NULL },
	{ "i2prd_sam_limit", G, "limit=\"subsessions\"",
	    SM(subsessions_max), NULL },
	{ "i2prd_sam_connections", C, NULL, SM(conns),
	    "SAM control connections accepted" },
	{ "i2prd_sam_connections_refused", C, NULL, SM(conns_refused),
	    "SAM control connections refused by a limit" },
	{ "i2prd_sam_commands", C, NULL, SM(commands),
	    "SAM commands handled" },
	{ "i2prd_sam_errors", C, NULL, SM(errors),
	    "SAM commands answered with an error, or dropped" },
	{ "i2prd_sam_datagrams", C, "direction=\"received\"",
	    SM(dgrams_in), "SAM datagrams, by direction" },
	{ "i2prd_sam_datagrams", C, "direction=\"sent\"", SM(dgrams_out),
	    NULL },
	{ "i2prd_sam_datagram_bytes", C, "direction=\"received\"",
	    SM(bytes_in), "SAM datagram payload bytes, by direction" },
	{ "i2prd_sam_datagram_bytes", C, "direction=\"sent\"",
	    SM(bytes_out), NULL },
	{ "i2prd_sam_datagrams_dropped", C, NULL, SM(dgrams_dropped),
	    "SAM datagrams dropped (queue full, no route, refused)" },
	{ "i2prd_sam_streams_opened", C, "direction=\"outbound\"",
	    SM(streams_out), "SAM streams opened: CONNECT answered OK, "
	    "incoming taken by ACCEPT or FORWARD" },
	{ "i2prd_sam_streams_opened", C, "direction=\"inbound\"",
	    SM(streams_in), NULL },
	{ "i2prd_sam_streams_failed", C, "reason=\"connect\"",
	    SM(streams_failed), "SAM streams that failed: CONNECT not OK, "
	    "incoming nobody took, over a stream limit, FORWARD target down" },
	{ "i2prd_sam_streams_failed", C, "reason=\"refused\"",
	    SM(streams_refused), NULL },
	{ "i2prd_sam_streams_failed", C, "reason=\"limit\"",
	    SM(streams_limited), NULL },
	{ "i2prd_sam_streams_failed", C, "reason=\"forward\"",
	    SM(fwd_failed), NULL },
	{ "i2prd_sam_stream_bytes", C, "direction=\"received\"",
	    SM(sbytes_in), "SAM stream bytes from and to clients" },
	{ "i2prd_sam_stream_bytes", C, "direction=\"sent\"", SM(sbytes_out),
	    NULL },
};
/* show tunnels: what routerd did for each destination */
#define CS(f)	AT(client_stats, f, 1)
static const struct metric client_rows[] = {
	{ "i2prd_client_messages", C, "direction=\"out\"", CS(msgs_out),
	    "the destination's messages through its tunnels" },
	{ "i2prd_client_messages", C, "direction=\"in\"", CS(msgs_in),
	    NULL },
	{ "i2prd_client_bytes", C, "direction=\"out\"", CS(bytes_out),
	    "the bytes of those messages" },
	{ "i2prd_client_bytes", C, "direction=\"in\"", CS(bytes_in), NULL },
	{ "i2prd_client_dropped", C, "reason=\"no_tunnel\"", CS(no_tunnel),
	    "messages dropped, by reason" },
	{ "i2prd_client_dropped", C, "reason=\"tunneld_busy\"",
	    CS(dropped_in), NULL },
	/* "test drop client-tunnel": what the testing knob dropped */
	{ "i2prd_client_dropped", C, "reason=\"test_out\"",
	    CS(test_drop_out), NULL },
	{ "i2prd_client_dropped", C, "reason=\"test_in\"",
	    CS(test_drop_in), NULL },
	{ "i2prd_client_leaseset_stores", C, "result=\"sent\"", CS(stores),
	    "LeaseSet stores at floodfills, sent, acknowledged, verified" },
	{ "i2prd_client_leaseset_stores", C, "result=\"acked\"",
	    CS(store_acks), NULL },
	{ "i2prd_client_leaseset_stores", C, "result=\"verified\"",
	    CS(verify_ok), NULL },
	{ "i2prd_client_leaseset_stores", C, "result=\"not_verified\"",
	    CS(verify_failed), NULL },
	{ "i2prd_client_leaseset_lookups", C, "result=\"asked\"",
	    CS(lookups), "LeaseSet lookups asked, found, not found" },
	{ "i2prd_client_leaseset_lookups", C, "result=\"found\"", CS(found),
	    NULL },
	{ "i2prd_client_leaseset_lookups", C, "result=\"not_found\"",
	    CS(not_found), NULL },
};
#undef CS

/*
 * show destinations: each local destination, in tunneld.  Its name and
 * address are labels or left out, the floodfill's hash too (a series
 * per floodfill); the LeaseSet's state is a family of its own.
 */
#define DS(f)	AT(ctl_dest, f, 1)
static const struct metric dest_rows[] = {
	{ "i2prd_destination_leases", G, NULL, DS(leases),
	    "leases in the destination's newest LeaseSet" },
	{ "i2prd_destination_leaseset_published_timestamp_seconds", G, NULL,
	    DS(published), "when the newest LeaseSet was published, 0: none" },
	{ "i2prd_destination_leaseset_state_timestamp_seconds", G, NULL,
	    DS(ls_at), "since when the LeaseSet's store state holds, 0: none" },
	{ "i2prd_destination_tunnels", G, "direction=\"inbound\"",
	    DS(tunnels_in), "the destination's tunnels ready, by direction" },
	{ "i2prd_destination_tunnels", G, "direction=\"outbound\"",
	    DS(tunnels_out), NULL },
	{ "i2prd_destination_ratchet_sessions", G, NULL, DS(sessions),
	    "ratchet sessions with remote destinations" },
	{ "i2prd_destination_remote_leasesets", G, NULL, DS(remote_ls),
	    "remote LeaseSets kept for the destination" },
	{ "i2prd_destination_messages", C, "direction=\"sent\"", DS(sent),
	    "messages (datagrams) sent and received" },
	{ "i2prd_destination_messages", C, "direction=\"received\"",
	    DS(received), NULL },
	{ "i2prd_destination_dropped", C, "reason=\"garlic\"",
	    DS(dropped_garlic), "messages dropped: garlic refused or "
	    "malformed, outgoing that could not go, incoming nobody took" },
	{ "i2prd_destination_dropped", C, "reason=\"out\"", DS(dropped_out),
	    NULL },
	{ "i2prd_destination_dropped", C, "reason=\"in\"", DS(dropped_in),
	    NULL },
	{ "i2prd_destination_leaseset_ack_requests", C, "result=\"acked\"",
	    DS(ls_acked), "our LeaseSet bundled with a message to a remote, "
	    "acknowledged or not in time" },
	{ "i2prd_destination_leaseset_ack_requests", C,
	    "result=\"timeout\"", DS(ls_ack_timeouts), NULL },
	{ "i2prd_destination_sessions_unanswered_dropped", C, NULL,
	    DS(unanswered_dropped), "a peer's ratchet sessions that never "
	    "got past our reply, dropped for its newer ones" },
	{ "i2prd_destination_reroutes", C, NULL, DS(reroutes),
	    "a stream's packets unanswered: another lease and tunnel for "
	    "the peer's next messages" },
	{ "i2prd_destination_sessions_restarted", C, NULL, DS(restarts),
	    "a packet unanswered after two resends: the peer's ratchet "
	    "session given up for a new one" },
	/* its streams, 0 while it has none */
	{ "i2prd_destination_streams", G, NULL, DS(streams),
	    "the destination's streams now, any state" },
	{ "i2prd_destination_streams_opened", C, "direction=\"outbound\"",
	    DS(streams_out), "streams opened, by direction" },
	{ "i2prd_destination_streams_opened", C, "direction=\"inbound\"",
	    DS(streams_in), NULL },
	{ "i2prd_destination_streams_failed", C, "reason=\"refused\"",
	    DS(streams_refused), "streams refused (over a limit, or not "
	    "taken by the application) or timed out" },
	{ "i2prd_destination_streams_failed", C, "reason=\"timeout\"",
	    DS(streams_timeouts), NULL },
	{ "i2prd_destination_stream_syns_limited", C, NULL, DS(syn_limited),
	    "incoming SYNs over a stream or connection-rate limit" },
	{ "i2prd_destination_stream_resets", C, "direction=\"sent\"",
	    DS(resets_sent), "RESETs sent and received" },
	{ "i2prd_destination_stream_resets", C, "direction=\"received\"",
	    DS(resets_received), NULL },
	{ "i2prd_destination_stream_packets", C, "direction=\"received\"",
	    DS(spackets_in), "streaming packets received, sent and sent "
	    "again" },
	{ "i2prd_destination_stream_packets", C, "direction=\"sent\"",
	    DS(spackets_out), NULL },
	{ "i2prd_destination_stream_packets", C, "direction=\"resent\"",
	    DS(spackets_resent), NULL },
	{ "i2prd_destination_stream_bytes", C, "direction=\"received\"",
	    DS(sbytes_in), "stream payload bytes received and sent" },
	{ "i2prd_destination_stream_bytes", C, "direction=\"sent\"",
	    DS(sbytes_out), NULL },
	{ "i2prd_destination_stream_packets_dropped", C,
	    "reason=\"malformed\"", DS(smalformed), "streaming packets "
	    "dropped: malformed, bad signature, for no stream, for another "
	    "destination" },
	{ "i2prd_destination_stream_packets_dropped", C,
	    "reason=\"bad_signature\"", DS(sbad_signature), NULL },
	{ "i2prd_destination_stream_packets_dropped", C,
	    "reason=\"no_stream\"", DS(sno_stream), NULL },
	{ "i2prd_destination_stream_packets_dropped", C,
	    "reason=\"misdirected\"", DS(smisdirected), NULL },
	{ "i2prd_destination_stream_chokes", C, NULL, DS(choked),
	    "times a receive buffer filled and the peer was asked to wait" },
	{ "i2prd_destination_stream_synack_leads", C, NULL,
	    DS(synack_leads), "streaming packets sent behind a copy of our "
	    "SYN-ACK, not yet acknowledged, in the same message" },
};
#undef DS

/* addressbook show, its counts (the rows shown are no metric) */
/* each tunnel line: destination=NAME,kind=KIND,port=PORT */
#define PX(f)	AT(ctl_proxy, f, 1)
static const struct metric proxy_rows[] = {
	{ "i2prd_tunnel_connections", G, NULL, PX(conns),
	    "a tunnel's connections now (UDP: its sessions)" },
	{ "i2prd_tunnel_accepted", C, NULL, PX(accepted),
	    "connections (UDP: sessions) a tunnel took" },
	{ "i2prd_tunnel_refused", C, NULL, PX(refused),
	    "connections refused: over a limit, not allowed, a bad request" },
	{ "i2prd_tunnel_failed", C, NULL, PX(failed),
	    "connections that got no stream or no local target" },
	{ "i2prd_tunnel_bytes", C, "direction=\"from_i2p\"", PX(bytes_in),
	    "bytes through a tunnel, by direction" },
	{ "i2prd_tunnel_bytes", C, "direction=\"to_i2p\"", PX(bytes_out),
	    NULL },
	{ "i2prd_tunnel_outproxied", C, NULL, PX(outproxied),
	    "streams a proxy opened to its outproxy for hosts outside I2P" },
};

static const struct metric ab_rows[] = {
	{ "i2prd_addressbook_names", G, "book=\"local\"",
	    AT(ctl_ab, count[0], 1), "names in each address book" },
	{ "i2prd_addressbook_names", G, "book=\"private\"",
	    AT(ctl_ab, count[1], 1), NULL },
	{ "i2prd_addressbook_names", G, "book=\"subscribed\"",
	    AT(ctl_ab, count[2], 1), NULL },
	{ "i2prd_addressbook_conflicts", C, NULL, AT(ctl_ab, conflicts, 1),
	    "names a feed offered with another destination than the known "
	    "one: kept as they were" },
	{ "i2prd_addressbook_subscriptions", G, NULL,
	    AT(ctl_ab, subscriptions, 1), "subscriptions configured" },
	{ "i2prd_addressbook_fetches", C, NULL, AT(ctl_ab, fetches, 1),
	    "subscription fetches ended, answered or not" },
	{ "i2prd_addressbook_fetch_failures", C, NULL,
	    AT(ctl_ab, fetch_failures, 1),
	    "subscription fetches without a 200 or 304 answer" },
};

#undef G
#undef C

static const struct metric_table tables[MT_COUNT] = {
	[MT_SUMMARY] = TABLE(summary_rows, ctl_summary),
	[MT_SESSIONS] = TABLE(sessions_rows, ctl_sessions),
	[MT_NETDB] = TABLE(netdb_rows, ctl_netdb),
	[MT_TRANSIT] = TABLE(transit_rows, transit_stats),
	[MT_POOL] = TABLE(pool_rows, pool_stats),
	[MT_PROFILES] = TABLE(profiles_rows, ctl_profiles),
	[MT_SAM] = TABLE(sam_rows, ctl_sam),
	[MT_CLIENT] = TABLE(client_rows, client_stats),
	[MT_DEST] = TABLE(dest_rows, ctl_dest),
	[MT_AB] = TABLE(ab_rows, ctl_ab),
	[MT_PROXY] = TABLE(proxy_rows, ctl_proxy),
};

/* where a table's rows are read: one struct, with labels of its own */
struct minst {
	const void	*base;
	char		 labels[2 * DEST_NAME_MAX + 64];	/* escaped */
};

static size_t
kind_size(enum mkind k)
{
	return k == K_U32 || k == K_I32 ? 4 : 8;
}

size_t
metrics_table_bytes(enum metrics_table t)
{
	const struct metric_table	*mt = &tables[t];
	uint8_t				*seen;
	size_t				 i, b, n = 0;

	if ((seen = calloc(1, mt->size)) == NULL)
		return 0;
	for (i = 0; i < mt->n; i++)
		for (b = 0; b < kind_size(mt->rows[i].kind); b++)
			seen[mt->rows[i].off + b] = 1;
	for (b = 0; b < mt->size; b++)
		n += seen[b];
	free(seen);
	return n;
}

/* a label value: backslash, double quote and newline escaped */
static void
put_escaped(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', fp);
		if (*s == '\n')
			fputs("\\n", fp);
		else
			fputc(*s, fp);
	}
}

/*
 * Append key="value", value escaped, to a list of labels; -1 if it does
 * not fit, the list left as it was (so still well formed).
 */
static int
label_add(char *buf, size_t len, const char *key, const char *value)
{
	char	*s;
	size_t	 n;
	FILE	*fp;
	int	 rv = -1;

	if ((fp = open_memstream(&s, &n)) == NULL)
		return -1;
	fprintf(fp, "%s%s=\"", buf[0] != '\0' ? "," : "", key);
	put_escaped(fp, value);
	fputc('"', fp);
	if (fclose(fp) == 0 && strlen(buf) + n < len) {
		strlcat(buf, s, len);
		rv = 0;
	}
	free(s);
	return rv;
}

static void
put_head(FILE *fp, const char *family, enum mtype type, const char *help)
{
	fprintf(fp, "# HELP %s %s\n", family, help);
	fprintf(fp, "# TYPE %s %s\n", family,
	    type == COUNTER ? "counter" : "gauge");
}

/* a sample's name and labels (either list may be empty), then a space */
static void
put_name(FILE *fp, const char *family, enum mtype type, const char *l1,
    const char *l2)
{
	fprintf(fp, "%s%s", family, type == COUNTER ? "_total" : "");
	if (l1[0] != '\0' || l2[0] != '\0')
		fprintf(fp, "{%s%s%s}", l1, l1[0] != '\0' && l2[0] != '\0' ?
		    "," : "", l2);
	fputc(' ', fp);
}

/* v / div and a newline, div a power of ten: 1234 ms as 1.234 s */
static void
put_value(FILE *fp, int neg, uint64_t v, unsigned div)
{
	unsigned	 d;
	int		 digits = 0;

	for (d = div; d > 1; d /= 10)
		digits++;
	fprintf(fp, "%s%" PRIu64, neg ? "-" : "", v / div);
	if (digits > 0)
		fprintf(fp, ".%0*" PRIu64, digits, v % div);
	fputc('\n', fp);
}

static void
put_signed(FILE *fp, int64_t v, unsigned div)
{
	/* -(v + 1) + 1: INT64_MIN has no positive int64_t */
	if (v < 0)
		put_value(fp, 1, (uint64_t)-(v + 1) + 1, div);
	else
		put_value(fp, 0, (uint64_t)v, div);
}

static void
put_field(FILE *fp, const struct metric *m, const void *base)
{
	const uint8_t	*p = (const uint8_t *)base + m->off;
	uint32_t	 u32;
	int32_t		 i32;
	uint64_t	 u64;
	int64_t		 i64;

	switch (m->kind) {
	case K_U32:
		memcpy(&u32, p, sizeof(u32));
		put_value(fp, 0, u32, m->div);
		break;
	case K_I32:
		memcpy(&i32, p, sizeof(i32));
		put_signed(fp, i32, m->div);
		break;
	case K_U64:
		memcpy(&u64, p, sizeof(u64));
		put_value(fp, 0, u64, m->div);
		break;
	case K_I64:
		memcpy(&i64, p, sizeof(i64));
		put_signed(fp, i64, m->div);
		break;
	}
}

/* a family of one sample, outside the tables */
static void
put_one(FILE *fp, const char *family, enum mtype type, const char *help,
    const char *labels, uint64_t v)
{
	put_head(fp, family, type, help);
	put_name(fp, family, type, labels, "");
	put_value(fp, 0, v, 1);
}

/* a table's families, each row's sample for every instance */
static void
put_table(FILE *fp, enum metrics_table t, const struct minst *in,
    size_t nin)
{
	const struct metric	*m = tables[t].rows;
	size_t			 i, j;

	for (i = 0; i < tables[t].n; i++) {
		if (i == 0 || strcmp(m[i].family, m[i - 1].family) != 0)
			put_head(fp, m[i].family, m[i].type, m[i].help);
		for (j = 0; j < nin; j++) {
			put_name(fp, m[i].family, m[i].type, in[j].labels,
			    m[i].label != NULL ? m[i].label : "");
			put_field(fp, &m[i], in[j].base);
		}
	}
}

static void
put_single(FILE *fp, enum metrics_table t, const void *base)
{
	struct minst	in = { base, "" };

	put_table(fp, t, &in, 1);
}

static void
put_summary(FILE *fp, const struct metrics_view *v)
{
	char	labels[512] = "", netid[16];
	size_t	i;

	snprintf(netid, sizeof(netid), "%" PRId32, v->sum->netid);
	label_add(labels, sizeof(labels), "version", v->sum->version);
	label_add(labels, sizeof(labels), "netid", netid);
	label_add(labels, sizeof(labels), "router_hash", v->sum->router_hash);
	label_add(labels, sizeof(labels), "caps", v->sum->caps);
	put_one(fp, "i2prd_router_info", GAUGE,
	    "the router: version, network, hash and caps", labels, 1);
	put_one(fp, "i2prd_uptime_seconds", GAUGE, "seconds since the start",
	    "", summary_uptime(v->sum));
	put_single(fp, MT_SUMMARY, v->sum);
	put_head(fp, "i2prd_process_id", GAUGE,
	    "each process of the suite, by name, and its pid");
	for (i = 0; i < v->nprocs; i++) {
		labels[0] = '\0';
		label_add(labels, sizeof(labels), "process", v->procs[i].name);
		put_name(fp, "i2prd_process_id", GAUGE, labels, "");
		put_signed(fp, v->procs[i].pid, 1);
	}
}

/* the sessions up, by transport and direction; traffic summed */
struct peer_sums {
	char		 transport[8][8];
	uint64_t	 sessions[8][2];	/* [transport][inbound] */
	size_t		 ntransports;
	uint64_t	 bytes[2], msgs[2];	/* received, sent */
};

static void
peer_sums(const struct metrics_view *v, struct peer_sums *s)
{
	const struct ctl_peer	*p;
	size_t			 i, t;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < v->npeers; i++) {
		p = &v->peers[i];
		for (t = 0; t < s->ntransports; t++)
			if (strcmp(s->transport[t], p->transport) == 0)
				break;
		/* more transports than the table: the last one takes them */
		if (t == s->ntransports && t < sizeof(s->transport) /
		    sizeof(s->transport[0]))
			strlcpy(s->transport[s->ntransports++], p->transport,
			    sizeof(s->transport[0]));
		if (t == sizeof(s->transport) / sizeof(s->transport[0]))
			t--;
		s->sessions[t][p->inbound != 0]++;
		s->bytes[0] += p->bytes_in;
		s->bytes[1] += p->bytes_out;
		s->msgs[0] += p->msgs_in;
		s->msgs[1] += p->msgs_out;
	}
}

/* two samples labelled direction="received" and "sent" */
static void
put_received_sent(FILE *fp, const char *family, const char *help,
    const uint64_t v[2])
{
	put_head(fp, family, GAUGE, help);
	put_name(fp, family, GAUGE, "direction=\"received\"", "");
	put_value(fp, 0, v[0], 1);
	put_name(fp, family, GAUGE, "direction=\"sent\"", "");
	put_value(fp, 0, v[1], 1);
}

/* per address of ours: what peer tests found (tests 0), or how many ran */
static void
put_transport_rows(FILE *fp, const struct metrics_view *v,
    const char *family, enum mtype type, const char *help, int tests)
{
	const struct ctl_transport	*t;
	char				 labels[128];
	size_t				 i;

	put_head(fp, family, type, help);
	for (i = 0; i < v->ntransports; i++) {
		t = &v->transports[i];
		labels[0] = '\0';
		label_add(labels, sizeof(labels), "transport", t->transport);
		label_add(labels, sizeof(labels), "address", t->addr);
		put_name(fp, family, type, labels, "");
		put_value(fp, 0, tests ? t->pt_run : t->reach, 1);
	}
}

static void
put_transports(FILE *fp, const struct metrics_view *v)
{
	put_transport_rows(fp, v, "i2prd_transport_reachable", GAUGE,
	    "what peer tests found: 0 unknown, 1 reachable, 2 firewalled", 0);
	put_transport_rows(fp, v, "i2prd_transport_peer_tests", COUNTER,
	    "peer tests begun as Alice", 1);
}

static void
put_peers(FILE *fp, const struct metrics_view *v)
{
	static const char	*dirs[2] = { "outbound", "inbound" };
	struct peer_sums	 s;
	char			 labels[64];
	size_t			 t;
	int			 in;

	peer_sums(v, &s);
	put_head(fp, "i2prd_peer_sessions", GAUGE,
	    "transport sessions up, by transport and direction");
	for (t = 0; t < s.ntransports; t++)
		for (in = 0; in < 2; in++) {
			labels[0] = '\0';
			label_add(labels, sizeof(labels), "transport",
			    s.transport[t]);
			label_add(labels, sizeof(labels), "direction",
			    dirs[in]);
			put_name(fp, "i2prd_peer_sessions", GAUGE, labels, "");
			put_value(fp, 0, s.sessions[t][in], 1);
		}
	put_received_sent(fp, "i2prd_peer_traffic_bytes", "bytes over the "
	    "sessions up now (a closed session leaves the sum)", s.bytes);
	put_received_sent(fp, "i2prd_peer_traffic_messages", "I2NP messages "
	    "over the sessions up now (a closed session leaves the sum)",
	    s.msgs);
	put_single(fp, MT_SESSIONS, v->sessions);
	put_transports(fp, v);
}

static void
put_netdb(FILE *fp, const struct metrics_view *v)
{
	char	labels[64];
	size_t	i;

	put_single(fp, MT_NETDB, v->netdb);
	put_head(fp, "i2prd_floodfill_warning", GAUGE,
	    "1 for each warning show floodfill gives");
	for (i = 0; i < ff_nwarnings; i++) {
		labels[0] = '\0';
		label_add(labels, sizeof(labels), "warning", ff_warnings[i].id);
		put_name(fp, "i2prd_floodfill_warning", GAUGE, labels, "");
		put_value(fp, 0, (v->netdb->warnings & ff_warnings[i].bit) !=
		    0, 1);
	}
}

static void
put_transit(FILE *fp, const struct metrics_view *v)
{
	static const char	 caps[] = "DEG";	/* proposal 162 */
	char			 labels[16];
	size_t			 i;

	put_single(fp, MT_TRANSIT, v->transit);
	put_head(fp, "i2prd_transit_congestion", GAUGE,
	    "1 for the congestion cap published (D, E or G), if any");
	for (i = 0; caps[i] != '\0'; i++) {
		snprintf(labels, sizeof(labels), "cap=\"%c\"", caps[i]);
		put_name(fp, "i2prd_transit_congestion", GAUGE, labels, "");
		put_value(fp, 0, v->transit->congestion[0] == caps[i], 1);
	}
}

/*
 * pool="exploratory", or pool="client",destination=NAME; then the
 * direction.  The buffer holds the longest name even escaped.
 */
static void
pool_inst(struct minst *in, const struct pool_stats *ps, const char *dest,
    int dir)
{
	in->base = ps;
	in->labels[0] = '\0';
	label_add(in->labels, sizeof(in->labels), "pool", dest == NULL ?
	    "exploratory" : "client");
	if (dest != NULL)
		label_add(in->labels, sizeof(in->labels), "destination", dest);
	label_add(in->labels, sizeof(in->labels), "direction",
	    dir == TUNNEL_IN ? "inbound" : "outbound");
}

/*
 * The pools' instances: the exploratory, then each client's, inbound
 * and outbound; NULL if out of memory.
 */
static struct minst *
pool_insts(const struct metrics_view *v, size_t *n)
{
	struct minst	*in;
	size_t		 i;
	int		 dir;

	*n = 0;
	if ((in = calloc(2 * (v->nclients + 1), sizeof(*in))) == NULL)
		return NULL;
	for (dir = TUNNEL_IN; dir <= TUNNEL_OUT; dir++)
		pool_inst(&in[(*n)++], &v->pools->pools[dir], NULL, dir);
	for (i = 0; i < v->nclients; i++)
		for (dir = TUNNEL_IN; dir <= TUNNEL_OUT; dir++)
			pool_inst(&in[(*n)++], &v->clients[i].pools[dir],
			    v->clients[i].name, dir);
	return in;
}

/* each tunnel line's figures */
static void
put_proxies(FILE *fp, const struct metrics_view *v)
{
	struct minst	*in;
	char		 port[8];
	size_t		 i;

	if (v->nproxies == 0 ||
	    (in = calloc(v->nproxies, sizeof(*in))) == NULL)
		return;
	for (i = 0; i < v->nproxies; i++) {
		in[i].base = &v->proxies[i];
		snprintf(port, sizeof(port), "%u", v->proxies[i].port);
		label_add(in[i].labels, sizeof(in[i].labels), "destination",
		    v->proxies[i].dest);
		label_add(in[i].labels, sizeof(in[i].labels), "kind",
		    proxy_kind_name(v->proxies[i].kind));
		label_add(in[i].labels, sizeof(in[i].labels), "port", port);
	}
	put_table(fp, MT_PROXY, in, v->nproxies);
	free(in);
}

/* each client's routerd figures, destination=NAME */
static void
put_clients(FILE *fp, const struct metrics_view *v)
{
	struct minst	*in;
	size_t		 i;

	if (v->nclients == 0 ||
	    (in = calloc(v->nclients, sizeof(*in))) == NULL)
		return;
	for (i = 0; i < v->nclients; i++) {
		in[i].base = &v->clients[i].cs;
		label_add(in[i].labels, sizeof(in[i].labels), "destination",
		    v->clients[i].name);
	}
	put_table(fp, MT_CLIENT, in, v->nclients);
	free(in);
}

/*
 * Each destination's instance: destination=NAME,kind=configured|sam;
 * NULL if out of memory (never for none: one slot is kept).
 */
static struct minst *
dest_insts(const struct metrics_view *v)
{
	struct minst	*in;
	size_t		 i;

	if ((in = calloc(v->ndests + 1, sizeof(*in))) == NULL)
		return NULL;
	for (i = 0; i < v->ndests; i++) {
		in[i].base = &v->dests[i];
		label_add(in[i].labels, sizeof(in[i].labels), "destination",
		    v->dests[i].name);
		label_add(in[i].labels, sizeof(in[i].labels), "kind",
		    v->dests[i].session ? "sam" : "configured");
	}
	return in;
}

/* the LeaseSet's store, as show destinations says it, one 0/1 each */
static void
put_dest_states(FILE *fp, const struct metrics_view *v,
    const struct minst *in)
{
	static const char *const	 states[] = {
		[0] = "state=\"none\"", [LS_STORED] = "state=\"stored\"",
		[LS_VERIFIED] = "state=\"verified\"",
		[LS_FAILED] = "state=\"not_stored\""
	};
	static const char		 fam[] =
	    "i2prd_destination_leaseset_state";
	size_t				 i, st;

	put_head(fp, fam, GAUGE, "1 for where the LeaseSet's store stands, "
	    "as routerd last said");
	for (i = 0; i < v->ndests; i++)
		for (st = 0; st < sizeof(states) / sizeof(states[0]); st++) {
			put_name(fp, fam, GAUGE, in[i].labels, states[st]);
			put_value(fp, 0, v->dests[i].ls_state == st, 1);
		}
}

int
print_metrics(FILE *fp, const struct metrics_view *v)
{
	struct minst	*pools, *dests;
	size_t		 npools;

	if ((pools = pool_insts(v, &npools)) == NULL)
		return -1;
	if ((dests = dest_insts(v)) == NULL) {
		free(pools);
		return -1;
	}
	put_summary(fp, v);
	put_peers(fp, v);
	put_netdb(fp, v);
	put_transit(fp, v);
	put_table(fp, MT_POOL, pools, npools);
	put_clients(fp, v);
	put_single(fp, MT_PROFILES, v->profiles);
	put_single(fp, MT_SAM, v->sam);
	put_table(fp, MT_DEST, dests, v->ndests);
	put_dest_states(fp, v, dests);
	put_proxies(fp, v);
	if (v->ab != NULL)
		put_single(fp, MT_AB, v->ab);
	fputs("# EOF\n", fp);
	free(pools);
	free(dests);
	return 0;
}

static int
metrics_tail(void)
{
	const struct collected	*c = collected();
	struct metrics_view	 v = { &c->sum, c->procs, c->nprocs, c->peers,
	    c->npeers, &c->sessions, &c->netdb, &c->transit, &c->pools,
	    c->clients, c->nclients, &c->profsum, &c->sam, c->dests,
	    c->ndests, c->have_ab ? &c->ab : NULL, c->proxies,
	    c->nproxies, c->transports, c->ntransports };

	/* a view the daemon refused: its message, and no metrics */
	if (c->have_result && c->code != 0) {
		print_result_text(output_out(), output_err(), c->code, c->msg);
		return 0;
	}
	if (!c->have_sum || !c->have_sessions || !c->have_netdb ||
	    !c->have_transit || !c->have_tunnels || !c->have_profiles ||
	    !c->have_sam) {
		fprintf(output_err(), "i2pctl: incomplete answer from i2prd\n");
		return -1;
	}
	if (print_metrics(output_out(), &v) == -1) {
		fprintf(output_err(), "i2pctl: out of memory\n");
		return -1;
	}
	return 0;
}
