/*
 * i2pctl show metrics: the exposition rendered from filled structs is
 * held to a strict checker of the OpenMetrics text format written here
 * (and the checker to malformed documents); every field of the structs
 * the tables read has a row; the requests and replies of a whole run
 * against a fake routerd.
 */
#include <check.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "imsg.h"
#include "../../i2pctl/i2pctl.h"
#include "ctlfake.h"
#include "unit.h"

/*
 * The checker.  A document is lines ending in '\n': per family "# HELP
 * name text" then "# TYPE name counter|gauge", then its samples
 * "name{label="value",...} value" (a counter's named FAMILY_total, a
 * gauge's FAMILY); no other comment, no blank line, no family twice, no
 * series twice, and "# EOF" last.  0, or -1 with the reason and line.
 */
struct om {
	const char	*p;		/* the line being read */
	int		 line;
	char		 family[128];
	int		 counter;
	char		**seen;		/* families, then series: "\n" + name */
	size_t		 nseen;
	char		 why[160];
};

static int
om_fail(struct om *om, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	n = snprintf(om->why, sizeof(om->why), "line %d: ", om->line);
	va_start(ap, fmt);
	vsnprintf(om->why + n, sizeof(om->why) - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* 1 if key was seen before; remembered either way */
static int
om_seen(struct om *om, const char *key)
{
	size_t	 i;

	for (i = 0; i < om->nseen; i++)
		if (strcmp(om->seen[i], key) == 0)
			return 1;
	om->seen = reallocarray(om->seen, om->nseen + 1, sizeof(*om->seen));
	ck_assert_ptr_nonnull(om->seen);
	om->seen[om->nseen++] = strdup(key);
	return 0;
}

/* a metric name at s: its length, 0 if none */
static size_t
om_name(const char *s)
{
	size_t	 n = 0;

	if (!isalpha((unsigned char)s[0]) && s[0] != '_' && s[0] != ':')
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == ':')
		n++;
	return n;
}

/* a label name: as a metric name without ':' */
static size_t
om_label_name(const char *s)
{
	size_t	 n = 0;

	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	return n;
}

/* "value" with \\, \" and \n the only escapes; the length, 0 if bad */
static size_t
om_label_value(const char *s)
{
	size_t	 n = 1;

	if (s[0] != '"')
		return 0;
	for (; s[n] != '"'; n++) {
		if (s[n] == '\0' || s[n] == '\n')
			return 0;
		if (s[n] == '\\' && strchr("\\\"n", s[n + 1]) == NULL)
			return 0;
		if (s[n] == '\\')
			n++;
	}
	return n + 1;
}

/* {name="value",...}: its length, 0 if malformed or a name repeats */
static size_t
om_labels(const char *s)
{
	char	 names[32][64];
	size_t	 n = 1, k, v, nnames = 0, i;

	if (s[0] != '{')
		return 0;
	while (s[n] != '}') {
		if ((k = om_label_name(s + n)) == 0 || k >= sizeof(names[0]) ||
		    s[n + k] != '=' || nnames == 32)
			return 0;
		for (i = 0; i < nnames; i++)
			if (strncmp(names[i], s + n, k) == 0 &&
			    names[i][k] == '\0')
				return 0;
		strlcpy(names[nnames++], s + n, k + 1);
		n += k + 1;
		if ((v = om_label_value(s + n)) == 0)
			return 0;
		n += v;
		if (s[n] == ',' && s[n + 1] != '}')
			n++;
		else if (s[n] != '}')
			return 0;
	}
	return n + 1;
}

/* a number: digits, a sign, a point, an exponent, as strtod reads them */
static int
om_value(const char *s, size_t len)
{
	char	 buf[64], *end;

	if (len == 0 || len >= sizeof(buf) || isspace((unsigned char)s[0]))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (strspn(buf, "0123456789+-.eE") != len)
		return -1;
	strtod(buf, &end);
	return *end == '\0' ? 0 : -1;
}

static int
om_help(struct om *om, const char *s, size_t len)
{
	size_t	 n = om_name(s);
	char	 key[130];

	if (n == 0 || n >= sizeof(om->family) || s[n] != ' ' || n + 1 >= len)
		return om_fail(om, "bad HELP");
	strlcpy(om->family, s, n + 1);
	snprintf(key, sizeof(key), "#%s", om->family);
	if (om_seen(om, key))
		return om_fail(om, "family %s twice", om->family);
	return 0;
}

static int
om_type(struct om *om, const char *s, size_t len)
{
	size_t	 n = om_name(s);

	if (n == 0 || strlen(om->family) != n ||
	    strncmp(s, om->family, n) != 0 || s[n] != ' ')
		return om_fail(om, "TYPE not of the family its HELP named");
	s += n + 1;
	len -= n + 1;
	if (len == 7 && strncmp(s, "counter", 7) == 0)
		om->counter = 1;
	else if (len == 5 && strncmp(s, "gauge", 5) == 0)
		om->counter = 0;
	else
		return om_fail(om, "type neither counter nor gauge");
	/* a counter family named _total would give _total_total samples */
	n = strlen(om->family);
	if (om->counter && n > 6 && strcmp(om->family + n - 6, "_total") == 0)
		return om_fail(om, "counter family %s ends in _total",
		    om->family);
	return 0;
}

static int
om_sample(struct om *om, size_t len)
{
	const char	*s = om->p;
	char		 want[140], series[1024];
	size_t		 n = om_name(s), l = 0;

	if (n == 0)
		return om_fail(om, "not a metric name");
	if (om->family[0] == '\0')
		return om_fail(om, "sample before any HELP and TYPE");
	snprintf(want, sizeof(want), "%s%s", om->family,
	    om->counter ? "_total" : "");
	if (strlen(want) != n || strncmp(s, want, n) != 0)
		return om_fail(om, "sample %.*s not %s of the family", (int)n,
		    s, want);
	if (s[n] == '{' && (l = om_labels(s + n)) == 0)
		return om_fail(om, "malformed labels");
	if (s[n + l] != ' ')
		return om_fail(om, "no space before the value");
	if (om_value(s + n + l + 1, len - n - l - 1) == -1)
		return om_fail(om, "value not a number");
	snprintf(series, sizeof(series), "\n%.*s", (int)(n + l), s);
	if (om_seen(om, series))
		return om_fail(om, "series %.*s twice", (int)(n + l), s);
	return 0;
}

static int
om_line(struct om *om, size_t len)
{
	const char	*s = om->p;

	if (len == 0)
		return om_fail(om, "blank line");
	if (len > 7 && strncmp(s, "# HELP ", 7) == 0)
		return om_help(om, s + 7, len - 7);
	if (len > 7 && strncmp(s, "# TYPE ", 7) == 0)
		return om_fail(om, "TYPE without a HELP before it");
	if (s[0] == '#')
		return om_fail(om, "comment other than HELP, TYPE, EOF");
	return om_sample(om, len);
}

static int
om_check(const char *doc, char *why, size_t whylen)
{
	struct om	 om;
	const char	*nl;
	size_t		 len, i;
	int		 rv = -1;

	memset(&om, 0, sizeof(om));
	for (om.p = doc; *om.p != '\0'; om.p = nl + 1) {
		om.line++;
		if ((nl = strchr(om.p, '\n')) == NULL) {
			om_fail(&om, "no newline at the end");
			goto out;
		}
		len = nl - om.p;
		if (len == 5 && strncmp(om.p, "# EOF", 5) == 0) {
			if (nl[1] == '\0')
				rv = 0;
			else
				om_fail(&om, "text after # EOF");
			goto out;
		}
		if (om_line(&om, len) == -1)
			goto out;
		/* a HELP's TYPE comes right after it, and is read with it */
		if (strncmp(om.p, "# HELP ", 7) == 0) {
			om.p = nl + 1;
			om.line++;
			if ((nl = strchr(om.p, '\n')) == NULL ||
			    strncmp(om.p, "# TYPE ", 7) != 0) {
				om_fail(&om, "HELP of %s not followed by TYPE",
				    om.family);
				goto out;
			}
			if (om_type(&om, om.p + 7, nl - om.p - 7) == -1)
				goto out;
		}
	}
	om.line++;
	om_fail(&om, "no # EOF at the end");
 out:
	strlcpy(why, om.why, whylen);
	for (i = 0; i < om.nseen; i++)
		free(om.seen[i]);
	free(om.seen);
	return rv;
}

static void
assert_valid(const char *doc)
{
	char	 why[160];

	ck_assert_msg(om_check(doc, why, sizeof(why)) == 0,
	    "%s in:\n%s", why, doc);
}

static void
assert_invalid(const char *doc, const char *reason)
{
	char	 why[160];

	ck_assert_msg(om_check(doc, why, sizeof(why)) == -1,
	    "accepted:\n%s", doc);
	ck_assert_msg(strstr(why, reason) != NULL, "rejected with \"%s\", "
	    "not \"%s\", for:\n%s", why, reason, doc);
}

/* what a router a while up and busy would answer */
struct filled {
	struct ctl_summary	 sum;
	struct ctl_proc		 procs[2];
	struct ctl_peer		 peers[3];
	struct ctl_sessions	 sessions;
	struct ctl_netdb	 netdb;
	struct transit_stats	 transit;
	struct ctl_tunnels	 pools;
	struct ctl_pool		 clients[2];
	struct ctl_profiles	 profiles;
	struct ctl_sam		 sam;
	struct ctl_dest		 dests[2];
	struct ctl_ab		 ab;
	struct ctl_proxy	 proxies[1];
	struct ctl_transport	 transports[1];
	struct metrics_view	 v;
};

static void
fill_pool(struct pool_stats *p, uint64_t base)
{
	p->length = 2;
	p->quantity = 3;
	p->ready = 3;
	p->building = 1;
	p->builds = base + 10;
	p->built = base + 8;
	p->refused = 1;
	p->timeouts = 1;
	p->lat_p50 = 1234;
	p->lat_p90 = 2005;
	p->rtt_p50 = 7;
	p->tests_ok = 40;
	p->hop_tiers[1] = 12;
}

static void
fill_peer(struct ctl_peer *p, const char *transport, int inbound)
{
	strlcpy(p->hash, "0mDq6lvIVjT4R~rHWYp5aN6BX4Xw0NSKKnM1YeUPyzA=",
	    sizeof(p->hash));
	strlcpy(p->addr, "198.18.0.1:20000", sizeof(p->addr));
	strlcpy(p->transport, transport, sizeof(p->transport));
	p->inbound = inbound;
	p->bytes_in = 1000;
	p->bytes_out = 500;
	p->msgs_in = 10;
	p->msgs_out = 5;
}

/* a configured destination, its LeaseSet verified, and a SAM one new */
static void
fill_dests(struct ctl_dest *d)
{
	strlcpy(d[0].name, "web", sizeof(d[0].name));
	d[0].ls_state = LS_VERIFIED;
	memset(d[0].floodfill, 0xab, sizeof(d[0].floodfill));
	d[0].ls_at = 1700003000;
	d[0].published = 1700002990;
	d[0].leases = 3;
	d[0].tunnels_in = 2;
	d[0].tunnels_out = 4;
	d[0].sessions = 5;
	d[0].remote_ls = 6;
	d[0].sent = 70;
	d[0].received = 80;
	d[0].dropped_garlic = 9;
	d[0].dropped_out = 10;
	d[0].dropped_in = 11;
	d[0].ls_acked = 12;
	d[0].ls_ack_timeouts = 13;
	d[0].streams = 14;
	d[0].streams_in = 15;
	d[0].syn_limited = 16;
	d[0].spackets_resent = 17;
	d[0].sbytes_out = 18;
	d[0].smisdirected = 19;
	d[0].synack_leads = 20;
	d[0].unanswered_dropped = 21;
	d[0].reroutes = 22;
	d[0].restarts = 23;
	strlcpy(d[1].name, "chat", sizeof(d[1].name));
	d[1].session = 1;
	d[1].tunnels_in = 1;
}

static void
fill(struct filled *f)
{
	memset(f, 0, sizeof(*f));
	strlcpy(f->sum.version, "0.1.0", sizeof(f->sum.version));
	strlcpy(f->sum.router_hash,
	    "DIdCPwIcGu6jRX90vg9WWxwun06bxJ9wG~6jSG8-yqQ=",
	    sizeof(f->sum.router_hash));
	strlcpy(f->sum.caps, "XR", sizeof(f->sum.caps));
	f->sum.started = 1700000000;
	f->sum.now = f->sum.started + 3723;
	f->sum.netid = 2;
	f->sum.generation = 4;
	f->sum.test_drop = 5;
	f->sum.test_dropped_in = 17;
	strlcpy(f->procs[0].name, "parent", sizeof(f->procs[0].name));
	f->procs[0].pid = 1234;
	strlcpy(f->procs[1].name, "netd", sizeof(f->procs[1].name));
	f->procs[1].pid = 1235;
	fill_peer(&f->peers[0], "NTCP2", 1);
	fill_peer(&f->peers[1], "NTCP2", 0);
	fill_peer(&f->peers[2], "SSU2", 0);
	f->sessions.sessions = 3;
	f->sessions.max = 1000;
	f->sessions.hs_in = 2;
	f->sessions.refused_src = 6;
	f->netdb.routers = 150;
	f->netdb.floodfills = 12;
	f->netdb.floodfill = 1;
	f->netdb.warnings = FF_WARN_YOUNG;
	f->netdb.ff.drop_rate = 9;
	f->netdb.announce.last_verified = 1700003600;
	f->netdb.reseed.last = -1;	/* a clock from before the epoch */
	f->transit.active[TRANSIT_IBGW] = 2;
	f->transit.accepted[TRANSIT_OBEP] = 17;
	f->transit.refused_rate = 5;
	f->transit.load = 42;
	f->transit.share = 524288;
	f->transit.congestion[0] = 'D';
	fill_pool(&f->pools.pools[TUNNEL_IN], 100);
	fill_pool(&f->pools.pools[TUNNEL_OUT], 200);
	f->clients[0].client = 7;
	strlcpy(f->clients[0].name, "web", sizeof(f->clients[0].name));
	fill_pool(&f->clients[0].pools[TUNNEL_IN], 300);
	f->clients[0].cs.msgs_in = 41;
	f->clients[0].cs.verify_failed = 2;
	f->clients[0].cs.test_drop_in = 3;
	f->clients[1].client = 8;
	f->clients[1].cs.not_found = 6;
	strlcpy(f->clients[1].name, "irc", sizeof(f->clients[1].name));
	f->profiles.tiers[0] = 5;
	f->profiles.cap_threshold = -3;
	f->profiles.lat_threshold = 250;
	f->sam.enabled = 1;
	f->sam.port = 7656;
	f->sam.udp_port = 7655;
	f->sam.clients = 2;
	f->sam.dgrams_in = 11;
	f->sam.conns_refused = 3;
	fill_dests(f->dests);
	f->ab.count[0] = 3;
	f->ab.count[2] = 91000;
	f->ab.conflicts = 17;
	strlcpy(f->proxies[0].dest, "web", sizeof(f->proxies[0].dest));
	f->proxies[0].kind = PROXY_HTTP;
	f->proxies[0].family = 4;
	f->proxies[0].port = 4444;
	f->proxies[0].conns = 2;
	f->proxies[0].accepted = 40;
	f->proxies[0].refused = 1;
	f->proxies[0].bytes_in = 123456;
	f->proxies[0].outproxied = 9;
	strlcpy(f->transports[0].transport, "SSU2",
	    sizeof(f->transports[0].transport));
	strlcpy(f->transports[0].addr, "198.18.0.10 port 20000",
	    sizeof(f->transports[0].addr));
	f->transports[0].reach = NET_REACH_FIREWALLED;
	f->transports[0].pt_run = 7;
	f->v = (struct metrics_view){ &f->sum, f->procs, 2, f->peers, 3,
	    &f->sessions, &f->netdb, &f->transit, &f->pools, f->clients, 2,
	    &f->profiles, &f->sam, f->dests, 2, &f->ab, f->proxies, 1,
	    f->transports, 1 };
}

static char *
render(const struct metrics_view *v)
{
	char	*out;
	size_t	 len;
	FILE	*fp = open_memstream(&out, &len);

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(print_metrics(fp, v), 0);
	fclose(fp);
	return out;
}

static void
assert_has(const char *doc, const char *line)
{
	ck_assert_msg(strstr(doc, line) != NULL, "no \"%s\" in:\n%s", line,
	    doc);
}

START_TEST(test_render)
{
	struct filled	 f;
	char		*out;

	fill(&f);
	out = render(&f.v);
	assert_valid(out);
	assert_has(out, "# HELP i2prd_transit_builds_refused builds refused, "
	    "by reason\n# TYPE i2prd_transit_builds_refused counter\n");
	assert_has(out, "\ni2prd_router_info{version=\"0.1.0\",netid=\"2\","
	    "router_hash=\"DIdCPwIcGu6jRX90vg9WWxwun06bxJ9wG~6jSG8-yqQ=\","
	    "caps=\"XR\"} 1\n");
	assert_has(out, "\ni2prd_uptime_seconds 3723\n");
	assert_has(out, "\ni2prd_sam_port{socket=\"udp\"} 7655\n");
	assert_has(out, "\ni2prd_sam_datagrams_total{direction=\"received\"} "
	    "11\n");
	assert_has(out, "\ni2prd_sam_connections_refused_total 3\n");
	assert_has(out, "\ni2prd_start_time_seconds 1700000000\n");
	assert_has(out, "\ni2prd_config_reloads_total 4\n");
	assert_has(out, "\ni2prd_process_id{process=\"netd\"} 1235\n");
	assert_has(out, "\ni2prd_peer_sessions{transport=\"NTCP2\","
	    "direction=\"inbound\"} 1\n");
	assert_has(out, "\ni2prd_peer_sessions{transport=\"SSU2\","
	    "direction=\"outbound\"} 1\n");
	assert_has(out, "\ni2prd_transport_reachable{transport=\"SSU2\","
	    "address=\"198.18.0.10 port 20000\"} 2\n");
	assert_has(out, "\ni2prd_transport_peer_tests_total{transport=\"SSU2\","
	    "address=\"198.18.0.10 port 20000\"} 7\n");
	assert_has(out, "\ni2prd_peer_traffic_bytes{direction=\"received\"} "
	    "3000\n");
	assert_has(out, "\ni2prd_handshakes{direction=\"inbound\"} 2\n");
	assert_has(out, "\ni2prd_sessions_refused_total{reason=\"source\"} "
	    "6\n");
	assert_has(out, "\ni2prd_netdb_routerinfos 150\n");
	assert_has(out, "\ni2prd_floodfill_lookups_dropped_total"
	    "{reason=\"rate_limit\"} 9\n");
	assert_has(out, "\ni2prd_floodfill_warning{warning=\"young\"} 1\n");
	assert_has(out, "\ni2prd_floodfill_warning{warning=\"unreachable\"} "
	    "0\n");
	assert_has(out, "\ni2prd_reseed_last_timestamp_seconds -1\n");
	assert_has(out, "\ni2prd_transit_tunnels{role=\"gateway\"} 2\n");
	assert_has(out, "\ni2prd_transit_tunnels_accepted_total"
	    "{role=\"endpoint\"} 17\n");
	assert_has(out, "\ni2prd_transit_builds_refused_total"
	    "{reason=\"rate\"} 5\n");
	assert_has(out, "\ni2prd_transit_share_used_ratio 0.42\n");
	assert_has(out, "\ni2prd_transit_share_bytes_per_second 524288\n");
	assert_has(out, "\ni2prd_transit_congestion{cap=\"D\"} 1\n");
	assert_has(out, "\ni2prd_transit_congestion{cap=\"E\"} 0\n");
	assert_has(out, "\ni2prd_tunnel_builds_total{pool=\"exploratory\","
	    "direction=\"outbound\"} 210\n");
	assert_has(out, "\ni2prd_tunnel_build_latency_seconds{pool=\"client\","
	    "destination=\"web\",direction=\"inbound\",quantile=\"0.5\"} "
	    "1.234\n");
	assert_has(out, "\ni2prd_tunnel_build_latency_seconds{pool=\"client\","
	    "destination=\"web\",direction=\"inbound\",quantile=\"0.9\"} "
	    "2.005\n");
	assert_has(out, "\ni2prd_tunnel_pool_tunnels{pool=\"client\","
	    "destination=\"irc\",direction=\"outbound\",state=\"ready\"} 0\n");
	assert_has(out, "\ni2prd_tunnel_hops_picked_total{pool=\"exploratory\","
	    "direction=\"inbound\",tier=\"high_capacity\"} 12\n");
	assert_has(out, "\ni2prd_client_messages_total{destination=\"web\","
	    "direction=\"in\"} 41\n");
	assert_has(out, "\ni2prd_test_drop_ratio 0.05\n");
	assert_has(out, "\ni2prd_test_dropped_total{direction=\"out\"} 0\n");
	assert_has(out, "\ni2prd_test_dropped_total{direction=\"in\"} 17\n");
	assert_has(out, "\ni2prd_client_dropped_total{destination=\"web\","
	    "reason=\"test_in\"} 3\n");
	assert_has(out, "\ni2prd_client_dropped_total{destination=\"irc\","
	    "reason=\"test_out\"} 0\n");
	assert_has(out, "\ni2prd_client_leaseset_stores_total{destination="
	    "\"web\",result=\"not_verified\"} 2\n");
	assert_has(out, "\ni2prd_client_leaseset_lookups_total{destination="
	    "\"irc\",result=\"not_found\"} 6\n");
	assert_has(out, "\ni2prd_profiles_peers{tier=\"fast\"} 5\n");
	assert_has(out, "\ni2prd_profiles_capacity_threshold -3\n");
	assert_has(out, "\ni2prd_profiles_latency_threshold_seconds 0.250\n");
	ck_assert_str_eq(out + strlen(out) - 7, "\n# EOF\n");
	free(out);
}
END_TEST

#define WEB	"{destination=\"web\",kind=\"configured\""
#define CHAT	"{destination=\"chat\",kind=\"sam\""

/* show destinations: every row of each, labelled by name and kind */
START_TEST(test_render_dests)
{
	static const char	*want[] = {
		"# HELP i2prd_destination_leases leases in the destination's "
		    "newest LeaseSet\n# TYPE i2prd_destination_leases gauge\n"
		    "i2prd_destination_leases" WEB "} 3\n"
		    "i2prd_destination_leases" CHAT "} 0\n",
		"\ni2prd_destination_leaseset_published_timestamp_seconds"
		    WEB "} 1700002990\n",
		"\ni2prd_destination_leaseset_state_timestamp_seconds" WEB
		    "} 1700003000\n",
		"\ni2prd_destination_tunnels" WEB ",direction=\"inbound\"} "
		    "2\n",
		"\ni2prd_destination_tunnels" WEB ",direction=\"outbound\"} "
		    "4\n",
		"\ni2prd_destination_tunnels" CHAT ",direction=\"inbound\"} "
		    "1\n",
		"\ni2prd_destination_ratchet_sessions" WEB "} 5\n",
		"\ni2prd_destination_remote_leasesets" WEB "} 6\n",
		"\n# TYPE i2prd_destination_messages counter\n",
		"\ni2prd_destination_messages_total" WEB ",direction=\"sent\"} "
		    "70\n",
		"\ni2prd_destination_messages_total" WEB
		    ",direction=\"received\"} 80\n",
		"\ni2prd_destination_dropped_total" WEB ",reason=\"garlic\"} "
		    "9\n",
		"\ni2prd_destination_dropped_total" WEB ",reason=\"out\"} 10\n",
		"\ni2prd_destination_dropped_total" WEB ",reason=\"in\"} 11\n",
		"\ni2prd_destination_dropped_total" CHAT ",reason=\"in\"} 0\n",
		"\ni2prd_destination_leaseset_ack_requests_total" WEB
		    ",result=\"acked\"} 12\n",
		"\ni2prd_destination_leaseset_ack_requests_total" WEB
		    ",result=\"timeout\"} 13\n",
		"\n# HELP i2prd_destination_streams the destination's streams "
		    "now, any state\n# TYPE i2prd_destination_streams gauge\n"
		    "i2prd_destination_streams" WEB "} 14\n"
		    "i2prd_destination_streams" CHAT "} 0\n",
		"\ni2prd_destination_streams_opened_total" WEB
		    ",direction=\"inbound\"} 15\n",
		"\ni2prd_destination_stream_syns_limited_total" WEB "} 16\n",
		"\ni2prd_destination_stream_packets_total" WEB
		    ",direction=\"resent\"} 17\n",
		"\ni2prd_destination_stream_bytes_total" WEB
		    ",direction=\"sent\"} 18\n",
		"\ni2prd_destination_stream_packets_dropped_total" WEB
		    ",reason=\"misdirected\"} 19\n",
		"\ni2prd_destination_stream_synack_leads_total" WEB "} 20\n",
		"\ni2prd_destination_sessions_unanswered_dropped_total" WEB
		    "} 21\n",
		"\ni2prd_destination_reroutes_total" WEB "} 22\n",
		"\ni2prd_destination_sessions_restarted_total" WEB "} 23\n",
		"\n# TYPE i2prd_destination_leaseset_state gauge\n"
		    "i2prd_destination_leaseset_state" WEB ",state=\"none\"} "
		    "0\n"
		    "i2prd_destination_leaseset_state" WEB ",state=\"stored\"} "
		    "0\n"
		    "i2prd_destination_leaseset_state" WEB
		    ",state=\"verified\"} 1\n"
		    "i2prd_destination_leaseset_state" WEB
		    ",state=\"not_stored\"} 0\n"
		    "i2prd_destination_leaseset_state" CHAT ",state=\"none\"} "
		    "1\n",
	};
	struct filled	 f;
	char		*out;
	size_t		 i;

	fill(&f);
	out = render(&f.v);
	assert_valid(out);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_has(out, want[i]);
	/* the floodfill's hash and the address are no label */
	ck_assert_ptr_null(strstr(out, "floodfill=\""));
	free(out);
	/* a state routerd does not send: no state is 1 */
	fill(&f);
	f.dests[0].ls_state = LS_FAILED + 1;
	f.dests[1].ls_state = LS_FAILED;
	out = render(&f.v);
	assert_valid(out);
	ck_assert_ptr_null(strstr(out, "i2prd_destination_leaseset_state" WEB
	    ",state=\"none\"} 1\n"));
	ck_assert_ptr_null(strstr(out, "i2prd_destination_leaseset_state" WEB
	    ",state=\"not_stored\"} 1\n"));
	assert_has(out, "i2prd_destination_leaseset_state" CHAT
	    ",state=\"not_stored\"} 1\n");
	free(out);
}
END_TEST

/* no sessions, no client pools, nothing counted yet: still a document */
START_TEST(test_render_empty)
{
	struct filled	 f;
	char		*out;

	memset(&f, 0, sizeof(f));
	f.v = (struct metrics_view){ &f.sum, f.procs, 0, f.peers, 0,
	    &f.sessions, &f.netdb, &f.transit, &f.pools, f.clients, 0,
	    &f.profiles, &f.sam, f.dests, 0, NULL, f.proxies, 0,
	    f.transports, 0 };
	out = render(&f.v);
	assert_valid(out);
	assert_has(out, "\ni2prd_router_info{version=\"\",netid=\"0\","
	    "router_hash=\"\",caps=\"\"} 1\n");
	assert_has(out, "\ni2prd_transit_congestion{cap=\"G\"} 0\n");
	/* no destination: the families' HELP and TYPE, no sample */
	assert_has(out, "\n# HELP i2prd_destination_leases leases in the "
	    "destination's newest LeaseSet\n# TYPE i2prd_destination_leases "
	    "gauge\n# HELP ");
	assert_has(out, "\n# TYPE i2prd_destination_leaseset_ack_requests "
	    "counter\n# HELP i2prd_destination_sessions_unanswered_dropped ");
	assert_has(out, "\n# TYPE "
	    "i2prd_destination_sessions_unanswered_dropped counter\n"
	    "# HELP i2prd_destination_reroutes ");
	assert_has(out, "\n# TYPE i2prd_destination_sessions_restarted "
	    "counter\n# HELP i2prd_destination_streams ");
	assert_has(out, "\n# TYPE i2prd_destination_stream_synack_leads "
	    "counter\n# HELP i2prd_destination_leaseset_state ");
	assert_has(out, "\n# TYPE i2prd_destination_leaseset_state gauge\n"
	    "# EOF\n");
	ck_assert_ptr_null(strstr(out, "\ni2prd_destination_"));
	free(out);
}
END_TEST

/* the daemon's strings are label values: escaped, never raw */
START_TEST(test_render_escaping)
{
	struct filled	 f;
	char		*out;

	fill(&f);
	strlcpy(f.sum.version, "1\"2\\3\n4", sizeof(f.sum.version));
	strlcpy(f.clients[0].name, "a\"b\\c\nd", sizeof(f.clients[0].name));
	strlcpy(f.peers[2].transport, "x\"y", sizeof(f.peers[2].transport));
	strlcpy(f.procs[1].name, "n\\", sizeof(f.procs[1].name));
	strlcpy(f.dests[1].name, "s\"a\\m\n", sizeof(f.dests[1].name));
	out = render(&f.v);
	assert_valid(out);
	assert_has(out, "\ni2prd_destination_tunnels{destination="
	    "\"s\\\"a\\\\m\\n\",kind=\"sam\",direction=\"inbound\"} 1\n");
	assert_has(out, "\ni2prd_destination_leaseset_state{destination="
	    "\"s\\\"a\\\\m\\n\",kind=\"sam\",state=\"none\"} 1\n");
	assert_has(out, "i2prd_router_info{version=\"1\\\"2\\\\3\\n4\",");
	assert_has(out, "destination=\"a\\\"b\\\\c\\nd\",");
	assert_has(out, "transport=\"x\\\"y\"");
	assert_has(out, "process=\"n\\\\\"");
	free(out);
}
END_TEST

/*
 * name set to the longest name of c alone; its label must show in full,
 * each c escaped as esc, with the labels after it as given in tail.
 */
static void
assert_long_name(struct filled *f, char *name, char c, const char *esc,
    const char *tail)
{
	char	*out, want[2 * DEST_NAME_MAX + 64];
	size_t	 i;

	memset(name, c, DEST_NAME_MAX);
	name[DEST_NAME_MAX] = '\0';
	strlcpy(want, "destination=\"", sizeof(want));
	for (i = 0; i < DEST_NAME_MAX; i++)
		strlcat(want, esc, sizeof(want));
	strlcat(want, tail, sizeof(want));
	out = render(&f->v);
	assert_valid(out);
	assert_has(out, want);
	free(out);
}

/* the longest destination name, all of it escaped, still fits */
START_TEST(test_render_long_name)
{
	struct filled	 f;

	fill(&f);
	assert_long_name(&f, f.clients[0].name, '"', "\\\"",
	    "\",direction=\"inbound\"");
	/* and a destination's, with its kind after it */
	assert_long_name(&f, f.dests[1].name, '\n', "\\n",
	    "\",kind=\"sam\",reason=\"garlic\"} 0\n");
}
END_TEST

START_TEST(test_checker)
{
	static const struct {
		const char	*doc;
		const char	*why;
	} bad[] = {
		{ "# HELP a_b x\n# TYPE a_b gauge\na_b 1\n",
		    "no # EOF at the end" },
		{ "# HELP a_b x\n# TYPE a_b gauge\na_b 1\n# EOF",
		    "no newline" },
		{ "# HELP a x\n# TYPE a gauge\na 1\n# EOF\na 2\n",
		    "text after # EOF" },
		{ "a 1\n# EOF\n", "sample before any HELP" },
		{ "# TYPE a gauge\na 1\n# EOF\n", "TYPE without a HELP" },
		{ "# HELP a x\na 1\n# EOF\n", "not followed by TYPE" },
		{ "# HELP a x\n# TYPE b gauge\nb 1\n# EOF\n",
		    "TYPE not of the family" },
		{ "# HELP a x\n# TYPE a summary\na 1\n# EOF\n",
		    "neither counter nor gauge" },
		{ "# HELP a x\n# TYPE a counter\na 1\n# EOF\n",
		    "not a_total of the family" },
		{ "# HELP a_total x\n# TYPE a_total counter\na_total 1\n"
		    "# EOF\n",
		    "ends in _total" },
		{ "# HELP a x\n# TYPE a gauge\nb 1\n# EOF\n",
		    "not a of the family" },
		{ "# HELP 1a x\n# TYPE 1a gauge\n1a 1\n# EOF\n", "bad HELP" },
		{ "# HELP a x\n# TYPE a gauge\na{l=\"x\"y\"} 1\n# EOF\n",
		    "malformed labels" },
		{ "# HELP a x\n# TYPE a gauge\na{l=\"x\\ty\"} 1\n# EOF\n",
		    "malformed labels" },
		{ "# HELP a x\n# TYPE a gauge\na{l=\"x\",l=\"y\"} 1\n# EOF\n",
		    "malformed labels" },
		{ "# HELP a x\n# TYPE a gauge\na{1l=\"x\"} 1\n# EOF\n",
		    "malformed labels" },
		{ "# HELP a x\n# TYPE a gauge\na{l=x} 1\n# EOF\n",
		    "malformed labels" },
		{ "# HELP a x\n# TYPE a gauge\na{l=\"x\" 1\n# EOF\n",
		    "malformed labels" },
		{ "# HELP a x\n# TYPE a gauge\na one\n# EOF\n",
		    "value not a number" },
		{ "# HELP a x\n# TYPE a gauge\na 1 2\n# EOF\n",
		    "value not a number" },
		{ "# HELP a x\n# TYPE a gauge\na\t1\n# EOF\n",
		    "no space before the value" },
		{ "# HELP a x\n# TYPE a gauge\na 1\n# HELP a y\n"
		    "# TYPE a gauge\n# EOF\n", "family a twice" },
		{ "# HELP a x\n# TYPE a gauge\na{l=\"1\"} 1\na{l=\"1\"} 2\n"
		    "# EOF\n", "series a{l=\"1\"} twice" },
		{ "# HELP a x\n# TYPE a gauge\n\na 1\n# EOF\n", "blank line" },
		{ "# HELP a x\n# TYPE a gauge\n# note\na 1\n# EOF\n",
		    "comment other than" },
	};
	size_t	 i;

	assert_valid("# EOF\n");
	assert_valid("# HELP a_b x y\n# TYPE a_b counter\na_b_total{l=\"\\\"\","
	    "m=\"\\\\\\n\"} 1.5\na_b_total{l=\"2\"} 0\n# HELP c x\n"
	    "# TYPE c gauge\n# EOF\n");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_invalid(bad[i].doc, bad[i].why);
}
END_TEST

/* the real output, spoiled in the ways a writer could: all rejected */
START_TEST(test_checker_spoiled)
{
	struct filled	 f;
	char		*out, *p;
	size_t		 len;

	fill(&f);
	out = render(&f.v);
	/* the end cut off */
	p = strstr(out, "# EOF\n");
	*p = '\0';
	assert_invalid(out, "no # EOF");
	strcpy(p, "# EOF\n");
	/* a counter's sample without its _total */
	p = strstr(out, "i2prd_transit_builds_total ");
	memcpy(p + strlen("i2prd_transit_builds"), " 1     ", 7);
	assert_invalid(out, "not i2prd_transit_builds_total");
	free(out);
	/* a label value's quote left unescaped */
	out = render(&f.v);
	p = strstr(out, "destination=\"web\"");
	p[strlen("destination=\"w")] = '"';
	assert_invalid(out, "malformed labels");
	free(out);
	/* a family printed twice: the summary, again after the others */
	out = render(&f.v);
	p = strstr(out, "# HELP i2prd_uptime_seconds");
	len = p - out;
	ck_assert_ptr_nonnull(out = realloc(out, 2 * len + 8));
	memcpy(out + len, out, len);
	strcpy(out + 2 * len, "# EOF\n");
	assert_invalid(out, "family i2prd_router_info twice");
	free(out);
}
END_TEST

/*
 * Every field of the structs read through tables has a row, but for
 * those named here (strings, padding, what has a family of its own).
 * A field added without a row in i2pctl/output_metrics.c fails here.
 */
START_TEST(test_every_field)
{
	struct ctl_netdb	 nd;
	struct transit_stats	 ts;
	struct ctl_sessions	 cs;
	struct ctl_profiles	 cp;
	struct ctl_dest		 cd;

	ck_assert_msg(metrics_table_bytes(MT_TRANSIT) == sizeof(ts) -
	    sizeof(ts.congestion) - sizeof(ts.pad),
	    "a field of transit_stats has no row in transit_rows");
	ck_assert_msg(metrics_table_bytes(MT_POOL) == sizeof(struct pool_stats),
	    "a field of pool_stats has no row in pool_rows");
	ck_assert_msg(metrics_table_bytes(MT_CLIENT) ==
	    sizeof(struct client_stats),
	    "a field of client_stats has no row in client_rows");
	ck_assert_msg(metrics_table_bytes(MT_SESSIONS) == sizeof(cs) -
	    sizeof(cs.pad), "a field of ctl_sessions has no row in "
	    "sessions_rows");
	ck_assert_msg(metrics_table_bytes(MT_NETDB) == sizeof(nd) -
	    sizeof(nd.our_rkey) - sizeof(nd.rkey_day) - sizeof(nd.warnings) -
	    sizeof(nd.reseed.msg),
	    "a field of ctl_netdb or its stats has no row in netdb_rows");
	ck_assert_msg(metrics_table_bytes(MT_PROFILES) == sizeof(cp) -
	    sizeof(cp.pad), "a field of ctl_profiles has no row");
	ck_assert_msg(metrics_table_bytes(MT_SAM) == sizeof(struct ctl_sam) -
	    sizeof(((struct ctl_sam *)0)->pad),
	    "a field of ctl_sam has no row in sam_rows");
	/*
	 * the name a label, ls_state a family of its own, the hash and
	 * the Destination none
	 */
	ck_assert_msg(metrics_table_bytes(MT_DEST) == sizeof(cd) -
	    sizeof(cd.name) - sizeof(cd.b32) - sizeof(cd.session) -
	    sizeof(cd.ls_state) - sizeof(cd.pad) - sizeof(cd.floodfill) -
	    sizeof(cd.pad2) - sizeof(cd.pad3) - sizeof(cd.dest),
	    "a field of ctl_dest has no row in dest_rows");
	ck_assert_msg(metrics_table_bytes(MT_PROXY) == 4 + 6 * 8,
	    "a counter of ctl_proxy has no row in proxy_rows");
	ck_assert_msg(metrics_table_bytes(MT_AB) == sizeof(struct ctl_ab) -
	    sizeof(((struct ctl_ab *)0)->shown) -
	    sizeof(((struct ctl_ab *)0)->pad),
	    "a field of ctl_ab has no row in ab_rows");
}
END_TEST

/* a whole run against the fake routerd: six requests, their replies */
static int
fake_run(struct fake *f)
{
	int	 rv;

	rv = ctl_metrics(&f->cli, &metrics_output, 2000);
	output_setfiles(NULL, NULL);
	fclose(f->out);
	fclose(f->err);
	return rv;
}

/* the requests i2pctl sent, in order */
static void
fake_requests(struct fake *f, const uint32_t *want, size_t n)
{
	struct imsg	 imsg;
	size_t		 i;

	ck_assert_int_gt(imsg_read(&f->srv), 0);
	for (i = 0; i < n; i++) {
		ck_assert_int_gt(imsg_get(&f->srv, &imsg), 0);
		ck_assert_uint_eq(imsg_get_type(&imsg), want[i]);
		imsg_free(&imsg);
	}
	ck_assert_int_eq(imsg_get(&f->srv, &imsg), 0);
}

/* every view's answer; without netd's limits if no_sessions */
static void
fake_answer(struct fake *f, const struct filled *d, int no_sessions)
{
	fake_send(f, IMSG_CTL_SUMMARY, &d->sum, sizeof(d->sum));
	fake_send(f, IMSG_CTL_PROC, &d->procs[0], sizeof(d->procs[0]));
	fake_send(f, IMSG_CTL_END, NULL, 0);
	fake_send(f, IMSG_CTL_PEER, &d->peers[0], sizeof(d->peers[0]));
	if (!no_sessions)
		fake_send(f, IMSG_CTL_SESSIONS, &d->sessions,
		    sizeof(d->sessions));
	fake_send(f, IMSG_CTL_END, NULL, 0);
	fake_send(f, IMSG_CTL_NETDB, &d->netdb, sizeof(d->netdb));
	fake_send(f, IMSG_CTL_END, NULL, 0);
	fake_send(f, IMSG_CTL_TRANSIT, &d->transit, sizeof(d->transit));
	fake_send(f, IMSG_CTL_END, NULL, 0);
	fake_send(f, IMSG_CTL_POOL, &d->clients[0], sizeof(d->clients[0]));
	fake_send(f, IMSG_CTL_TUNNELS, &d->pools, sizeof(d->pools));
	fake_send(f, IMSG_CTL_PROFILES, &d->profiles, sizeof(d->profiles));
	fake_send(f, IMSG_CTL_SAM, &d->sam, sizeof(d->sam));
	fake_send(f, IMSG_CTL_END, NULL, 0);
	fake_send(f, IMSG_CTL_DEST, &d->dests[0], sizeof(d->dests[0]));
	fake_send(f, IMSG_CTL_DEST, &d->dests[1], sizeof(d->dests[1]));
	fake_send(f, IMSG_CTL_END, NULL, 0);
	fake_send(f, IMSG_CTL_PROXY, &d->proxies[0], sizeof(d->proxies[0]));
	fake_send(f, IMSG_CTL_END, NULL, 0);
	fake_send(f, IMSG_CTL_AB, &d->ab, sizeof(d->ab));
	fake_send(f, IMSG_CTL_END, NULL, 0);
}

START_TEST(test_run)
{
	static const uint32_t	 want[] = { IMSG_CTL_SHOW_SUMMARY,
	    IMSG_CTL_SHOW_PEERS, IMSG_CTL_SHOW_NETDB, IMSG_CTL_SHOW_TRANSIT,
	    IMSG_CTL_SHOW_TUNNELS, IMSG_CTL_SHOW_PROFILES, IMSG_CTL_SHOW_SAM,
	    IMSG_CTL_SHOW_DESTS, IMSG_CTL_SHOW_PROXIES, IMSG_CTL_SHOW_AB };
	struct filled		 d;
	struct fake		 f;

	fill(&d);
	fake_open(&f);
	fake_answer(&f, &d, 0);
	ck_assert_int_eq(fake_run(&f), 0);
	fake_requests(&f, want, sizeof(want) / sizeof(want[0]));
	assert_valid(f.outbuf);
	assert_has(f.outbuf, "\ni2prd_tunnel_builds_total{pool=\"client\","
	    "destination=\"web\",direction=\"inbound\"} 310\n");
	assert_has(f.outbuf, "\ni2prd_process_id{process=\"parent\"} 1234\n");
	assert_has(f.outbuf, "\ni2prd_destination_leaseset_state" WEB
	    ",state=\"verified\"} 1\n");
	assert_has(f.outbuf, "\ni2prd_destination_tunnels" CHAT
	    ",direction=\"inbound\"} 1\n");
	assert_has(f.outbuf, "\ni2prd_addressbook_names{book=\"subscribed\"} "
	    "91000\n");
	assert_has(f.outbuf, "\ni2prd_addressbook_conflicts_total 17\n");
	assert_has(f.outbuf, "\ni2prd_tunnel_connections{destination=\"web\","
	    "kind=\"http proxy\",port=\"4444\"} 2\n");
	assert_has(f.outbuf, "\ni2prd_tunnel_bytes_total{destination=\"web\","
	    "kind=\"http proxy\",port=\"4444\",direction=\"from_i2p\"} "
	    "123456\n");
	assert_has(f.outbuf, "\ni2prd_tunnel_outproxied_total{destination="
	    "\"web\",kind=\"http proxy\",port=\"4444\"} 9\n");
	ck_assert_str_eq(f.errbuf, "");
	fake_close(&f);
}
END_TEST

/* a view missing, a refusal, a reply cut short: no metrics printed */
START_TEST(test_run_incomplete)
{
	struct ctl_result	 r;
	struct filled		 d;
	struct fake		 f;

	fill(&d);
	fake_open(&f);
	fake_answer(&f, &d, 1);
	ck_assert_int_eq(fake_run(&f), -1);
	ck_assert_str_eq(f.outbuf, "");
	ck_assert_str_eq(f.errbuf, "i2pctl: incomplete answer from i2prd\n");
	fake_close(&f);

	/* a destination's reply malformed: the run fails, nothing printed */
	fake_open(&f);
	d.dests[1].ls_state = LS_FAILED + 1;
	fake_answer(&f, &d, 0);
	ck_assert_int_eq(fake_run(&f), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
	d.dests[1].ls_state = 0;

	fake_open(&f);
	memset(&r, 0, sizeof(r));
	r.code = 1;
	strlcpy(r.msg, "not now", sizeof(r.msg));
	fake_send(&f, IMSG_CTL_RESULT, &r, sizeof(r));
	ck_assert_int_eq(fake_run(&f), 1);
	ck_assert_str_eq(f.outbuf, "");
	ck_assert_str_eq(f.errbuf, "not now\n");
	fake_close(&f);

	fake_open(&f);
	fake_send(&f, IMSG_CTL_SUMMARY, &d.sum, sizeof(d.sum));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	fake_send(&f, IMSG_CTL_SESSIONS, &d.sessions, sizeof(d.sessions));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	fake_send(&f, IMSG_CTL_NETDB, &d.netdb, sizeof(d.netdb) - 1);
	ck_assert_int_eq(fake_run(&f), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

static Suite *
metrics_suite(void)
{
	Suite	*s = suite_create("i2pctl_metrics");
	TCase	*tc;

	tc = tcase_create("render");
	tcase_add_test(tc, test_render);
	tcase_add_test(tc, test_render_empty);
	tcase_add_test(tc, test_render_dests);
	tcase_add_test(tc, test_render_escaping);
	tcase_add_test(tc, test_render_long_name);
	tcase_add_test(tc, test_every_field);
	suite_add_tcase(s, tc);

	tc = tcase_create("checker");
	tcase_add_test(tc, test_checker);
	tcase_add_test(tc, test_checker_spoiled);
	suite_add_tcase(s, tc);

	tc = tcase_create("run");
	tcase_add_test(tc, test_run);
	tcase_add_test(tc, test_run_incomplete);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(metrics_suite());
}
