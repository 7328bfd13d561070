/*
 * show tunnels: our exploratory pools and each destination's client
 * pools (what the builds came to, their latency, the tunnel tests, the
 * tiers the hops came from; for a client, its traffic and LeaseSet work
 * in routerd), then one row per tunnel of ours, its pool,
 * its hops gateway first by the start of their hashes.
 */
#include <bsd/string.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "encoding.h"
#include "i2pctl.h"
#include "json.h"

static const char *const dirs[2] = { "inbound", "outbound" };

/* builds answered: accepted by every hop, refused, or lost */
static uint64_t
answered(const struct pool_stats *p)
{
	return p->built + p->refused + p->timeouts + p->bad_reply;
}

static void
pool_line(FILE *fp, const char *label, uint64_t v)
{
	fprintf(fp, "  %-30s %" PRIu64 "\n", label, v);
}

/* the client pool a tunnel row belongs to, or NULL: exploratory */
static const struct ctl_pool *
client_of(const struct tunnels_view *v, uint32_t client)
{
	size_t	i;

	for (i = 0; client != 0 && i < v->nclients; i++)
		if (v->clients[i].client == client)
			return &v->clients[i];
	return NULL;
}

/* "exploratory", the client's name, or its number if not listed */
static void
pool_name(const struct tunnels_view *v, uint32_t client, char *buf,
    size_t len)
{
	const struct ctl_pool	*cp = client_of(v, client);

	if (client == 0)
		strlcpy(buf, "exploratory", len);
	else if (cp != NULL)
		strlcpy(buf, cp->name, len);
	else
		snprintf(buf, len, "client %u", client);
}

static void
print_pool_text(FILE *fp, const char *label, int dir,
    const struct pool_stats *p)
{
	char	rate[16];

	if (answered(p) > 0)
		snprintf(rate, sizeof(rate), "%.1f%%",
		    100.0 * p->built / answered(p));
	else
		strcpy(rate, "-");
	fprintf(fp, "%s %s: length %u, quantity %u; %u ready, "
	    "%u building\n", label, dirs[dir], p->length, p->quantity, p->ready,
	    p->building);
	fprintf(fp, "  %-30s %" PRIu64 " of %" PRIu64 " answered (%s)\n",
	    "Built", p->built, answered(p), rate);
	if (dir == TUNNEL_IN)
		fprintf(fp, "  %-30s %" PRIu64 " of %" PRIu64 "\n",
		    "Built, sent as garlic", p->built_garlic,
		    p->builds_garlic);
	fprintf(fp, "  %-30s %" PRIu64 " of %" PRIu64 "\n",
	    "Built, long records", p->built_long, p->builds_long);
	pool_line(fp, "Refused by a hop", p->refused);
	pool_line(fp, "No reply in time", p->timeouts);
	pool_line(fp, "Reply did not open", p->bad_reply);
	pool_line(fp, "Not sent (no hops, no route)",
	    p->no_hops + p->unroutable);
	fprintf(fp, "  %-30s %u / %u ms\n", "Build latency p50 / p90",
	    p->lat_p50, p->lat_p90);
	fprintf(fp, "  %-30s %" PRIu64 " / %" PRIu64 "\n",
	    "Tests passed / failed", p->tests_ok, p->tests_failed);
	fprintf(fp, "  %-30s %u / %u ms\n", "Test round trip p50 / p90",
	    p->rtt_p50, p->rtt_p90);
	pool_line(fp, "Expired", p->expired);
	if (dir == TUNNEL_IN) {
		pool_line(fp, "Dropped at our end", p->dropped);
		pool_line(fp, "  not a reply we wait for", p->unwanted);
	}
	fprintf(fp, "  %-30s %" PRIu64 " fast, %" PRIu64 " high capacity, %"
	    PRIu64 " not failing, %" PRIu64 " failing\n", "Hops picked",
	    p->hop_tiers[0], p->hop_tiers[1], p->hop_tiers[2],
	    p->hop_tiers[3]);
}

/* what routerd did for a client's destination: traffic, LeaseSets */
static void
print_client_text(FILE *fp, const struct client_stats *cs)
{
	fprintf(fp, "  %-30s %" PRIu64 " / %" PRIu64 " bytes\n",
	    "Messages out", cs->msgs_out, cs->bytes_out);
	pool_line(fp, "  not sent, no outbound tunnel", cs->no_tunnel);
	fprintf(fp, "  %-30s %" PRIu64 " / %" PRIu64 " bytes\n",
	    "Messages in, to tunneld", cs->msgs_in, cs->bytes_in);
	pool_line(fp, "  dropped, tunneld busy", cs->dropped_in);
	/* only while testing with "test drop client-tunnel" */
	if (cs->test_drop_out > 0 || cs->test_drop_in > 0)
		fprintf(fp, "  %-30s %" PRIu64 " out, %" PRIu64 " in\n",
		    "Dropped for testing", cs->test_drop_out,
		    cs->test_drop_in);
	fprintf(fp, "  %-30s %" PRIu64 " sent, %" PRIu64 " acked, %" PRIu64
	    " verified, %" PRIu64 " not\n", "LeaseSet stores", cs->stores,
	    cs->store_acks, cs->verify_ok, cs->verify_failed);
	fprintf(fp, "  %-30s %" PRIu64 ", %" PRIu64 " found, %" PRIu64
	    " not\n", "LeaseSet lookups", cs->lookups, cs->found,
	    cs->not_found);
}

static void
hops_text(const struct ctl_tunnel *t, char *buf, size_t len)
{
	char	b64[B64_ENCLEN(32)];
	size_t	i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < t->nhops && off < len; i++) {
		b64_encode(b64, sizeof(b64), t->hops[i], 32);
		off += snprintf(buf + off, len - off, "%s%.8s",
		    i > 0 ? " > " : "", b64);
	}
}

void
print_tunnels_text(FILE *fp, const struct tunnels_view *v)
{
	const struct ctl_tunnel	*t = v->t;
	const struct ctl_pool	*cp;
	char	tf[32], hops[TUNNEL_HOPS_MAX * 12 + 1], tests[24], ms[16];
	char	label[DEST_NAME_MAX + 32], b64[B64_ENCLEN(32)];
	char	pool[DEST_NAME_MAX + 16];
	size_t	i;
	int	dir, w = strlen("exploratory");

	for (dir = 0; dir < 2; dir++)
		print_pool_text(fp, "Exploratory", dir, &v->sum->pools[dir]);
	for (i = 0; i < v->nclients; i++) {
		cp = &v->clients[i];
		if ((int)strlen(cp->name) > w)
			w = strlen(cp->name);
		b64_encode(b64, sizeof(b64), cp->dest, 32);
		snprintf(label, sizeof(label), "Client %s (%.8s)", cp->name,
		    b64);
		for (dir = 0; dir < 2; dir++)
			print_pool_text(fp, label, dir, &cp->pools[dir]);
		print_client_text(fp, &cp->cs);
	}
	fputc('\n', fp);
	fprintf(fp, "%-5s %-*s %-3s %-8s %-9s %-8s %-7s %-13s %s\n", "ID",
	    w, "Pool", "Dir", "State", "Age", "Build", "Msgs", "Tests ok/bad",
	    "Hops");
	for (i = 0; i < v->n; i++) {
		pool_name(v, t[i].client, pool, sizeof(pool));
		hops_text(&t[i], hops, sizeof(hops));
		snprintf(tests, sizeof(tests), "%u/%u", t[i].tests_ok,
		    t[i].tests_failed);
		if (t[i].state == TUNNEL_READY)
			snprintf(ms, sizeof(ms), "%" PRId64 "ms",
			    t[i].build_ms);
		else
			strcpy(ms, "-");
		fprintf(fp, "%-5u %-*s %-3s %-8s %-9s %-8s %-7" PRIu64
		    " %-13s %s\n", t[i].serial, w, pool,
		    t[i].dir == TUNNEL_IN ? "in" : "out",
		    t[i].state == TUNNEL_READY ? "ready" : "building",
		    fmt_timeframe(t[i].age, tf, sizeof(tf)), ms, t[i].msgs,
		    tests, hops);
	}
}

static void
pool_json(struct json *j, int dir, const struct pool_stats *p)
{
	json_object_begin(j, dirs[dir]);
	json_uint(j, "length", p->length);
	json_uint(j, "quantity", p->quantity);
	json_uint(j, "ready", p->ready);
	json_uint(j, "building", p->building);
	json_uint(j, "builds", p->builds);
	json_uint(j, "built", p->built);
	json_uint(j, "refused", p->refused);
	json_uint(j, "timeouts", p->timeouts);
	json_uint(j, "bad_reply", p->bad_reply);
	json_uint(j, "no_hops", p->no_hops);
	json_uint(j, "unroutable", p->unroutable);
	json_uint(j, "expired", p->expired);
	json_uint(j, "tests_ok", p->tests_ok);
	json_uint(j, "tests_failed", p->tests_failed);
	json_uint(j, "dropped", p->dropped);
	json_uint(j, "unwanted", p->unwanted);
	json_uint(j, "builds_garlic", p->builds_garlic);
	json_uint(j, "built_garlic", p->built_garlic);
	json_uint(j, "builds_long", p->builds_long);
	json_uint(j, "built_long", p->built_long);
	json_uint(j, "latency_p50_ms", p->lat_p50);
	json_uint(j, "latency_p90_ms", p->lat_p90);
	json_uint(j, "test_rtt_p50_ms", p->rtt_p50);
	json_uint(j, "test_rtt_p90_ms", p->rtt_p90);
	json_object_begin(j, "hop_tiers");
	json_uint(j, "fast", p->hop_tiers[0]);
	json_uint(j, "high_capacity", p->hop_tiers[1]);
	json_uint(j, "not_failing", p->hop_tiers[2]);
	json_uint(j, "failing", p->hop_tiers[3]);
	json_object_end(j);
	json_object_end(j);
}

static void
client_json(struct json *j, const struct client_stats *cs)
{
	json_object_begin(j, "routerd");
	json_uint(j, "msgs_out", cs->msgs_out);
	json_uint(j, "bytes_out", cs->bytes_out);
	json_uint(j, "no_tunnel", cs->no_tunnel);
	json_uint(j, "msgs_in", cs->msgs_in);
	json_uint(j, "bytes_in", cs->bytes_in);
	json_uint(j, "dropped_in", cs->dropped_in);
	json_uint(j, "test_drop_out", cs->test_drop_out);
	json_uint(j, "test_drop_in", cs->test_drop_in);
	json_uint(j, "ls_stores", cs->stores);
	json_uint(j, "ls_store_acks", cs->store_acks);
	json_uint(j, "ls_verify_ok", cs->verify_ok);
	json_uint(j, "ls_verify_failed", cs->verify_failed);
	json_uint(j, "ls_lookups", cs->lookups);
	json_uint(j, "ls_found", cs->found);
	json_uint(j, "ls_not_found", cs->not_found);
	json_object_end(j);
}

static void
clients_json(struct json *j, const struct tunnels_view *v)
{
	char	b64[B64_ENCLEN(32)];
	size_t	i;

	json_array_begin(j, "clients");
	for (i = 0; i < v->nclients; i++) {
		json_object_begin(j, NULL);
		json_string(j, "name", v->clients[i].name);
		b64_encode(b64, sizeof(b64), v->clients[i].dest, 32);
		json_string(j, "destination", b64);
		pool_json(j, TUNNEL_IN, &v->clients[i].pools[TUNNEL_IN]);
		pool_json(j, TUNNEL_OUT, &v->clients[i].pools[TUNNEL_OUT]);
		client_json(j, &v->clients[i].cs);
		json_object_end(j);
	}
	json_array_end(j);
}

void
print_tunnels_json(FILE *fp, int pretty, const struct tunnels_view *v)
{
	const struct ctl_tunnel	*t = v->t;
	struct json	j;
	char		b64[B64_ENCLEN(32)], pool[DEST_NAME_MAX + 16];
	size_t		i, h;

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "tunnels");
	json_object_begin(&j, "pools");
	pool_json(&j, TUNNEL_IN, &v->sum->pools[TUNNEL_IN]);
	pool_json(&j, TUNNEL_OUT, &v->sum->pools[TUNNEL_OUT]);
	json_object_end(&j);
	clients_json(&j, v);
	json_array_begin(&j, "list");
	for (i = 0; i < v->n; i++) {
		pool_name(v, t[i].client, pool, sizeof(pool));
		json_object_begin(&j, NULL);
		json_uint(&j, "id", t[i].serial);
		json_string(&j, "pool", pool);
		json_string(&j, "direction", t[i].dir == TUNNEL_IN ? "in" :
		    "out");
		json_string(&j, "state", t[i].state == TUNNEL_READY ?
		    "ready" : "building");
		json_int(&j, "age", t[i].age);
		json_int(&j, "build_ms", t[i].build_ms);
		json_uint(&j, "msgs", t[i].msgs);
		json_uint(&j, "bytes", t[i].bytes);
		json_uint(&j, "tests_ok", t[i].tests_ok);
		json_uint(&j, "tests_failed", t[i].tests_failed);
		json_array_begin(&j, "hops");
		for (h = 0; h < t[i].nhops; h++) {
			json_object_begin(&j, NULL);
			b64_encode(b64, sizeof(b64), t[i].hops[h], 32);
			json_string(&j, "hash", b64);
			json_uint(&j, "tunnel_id", t[i].hop_ids[h]);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
}
