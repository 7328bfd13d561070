/*
 * show destinations: each local destination (configured or a SAM
 * session's) with its LeaseSet's standing, tunnels, traffic and
 * streams (show streams has each); show
 * sessions: each ratchet session of each.  Names come from the
 * configuration or from SAM clients: printed through output_safe().
 */
#include <inttypes.h>
#include <stdio.h>

#include "encoding.h"
#include "i2pctl.h"
#include "json.h"

static const char *const ls_states[] = {
	[0] = "none", [LS_STORED] = "stored", [LS_VERIFIED] = "verified",
	[LS_FAILED] = "not stored"
};

static const char *const rsess_states[] = {
	[CTL_RSESS_NS_SENT] = "ns-sent", [CTL_RSESS_NSR_SENT] = "nsr-sent",
	[CTL_RSESS_ESTABLISHED] = "established",
	[CTL_RSESS_TERMINATED] = "terminated"
};

/* client.c checked the states; a bad one still prints, as "?" */
static const char *
ls_state(uint8_t s)
{
	return s <= LS_FAILED ? ls_states[s] : "?";
}

static const char *
rsess_state(uint8_t s)
{
	return s <= CTL_RSESS_TERMINATED ? rsess_states[s] : "?";
}

/* "verified AbCdEfGh 00:01:23": the state, at which floodfill, since */
static void
leaseset_text(const struct ctl_dest *d, int64_t now, char *buf, size_t len)
{
	char	b64[B64_ENCLEN(32)], tf[32];

	if (d->ls_state == 0) {
		snprintf(buf, len, "none");
		return;
	}
	b64_encode(b64, sizeof(b64), d->floodfill, sizeof(d->floodfill));
	snprintf(buf, len, "%s %.8s %s", ls_state(d->ls_state), b64,
	    fmt_timeframe(output_age(d->ls_at, now), tf, sizeof(tf)));
}

static void
dest_text(FILE *fp, const struct ctl_dest *d, int64_t now)
{
	char	name[DEST_NAME_MAX + 1], b32[64], ls[64], pub[32];
	char	msgs[48], drop[64], acks[48];

	leaseset_text(d, now, ls, sizeof(ls));
	if (d->published != 0)
		fmt_timeframe(output_age(d->published, now), pub, sizeof(pub));
	else
		snprintf(pub, sizeof(pub), "-");
	snprintf(msgs, sizeof(msgs), "%" PRIu64 "/%" PRIu64, d->sent,
	    d->received);
	snprintf(drop, sizeof(drop), "%" PRIu64 "/%" PRIu64 "/%" PRIu64,
	    d->dropped_garlic, d->dropped_out, d->dropped_in);
	snprintf(acks, sizeof(acks), "%" PRIu64 "/%" PRIu64, d->ls_acked,
	    d->ls_ack_timeouts);
	fprintf(fp, "%-16s %-10s %-28s %-9s %6" PRIu32 " %3" PRIu32 " %3"
	    PRIu32 " %8" PRIu32 " %7" PRIu32 " %6" PRIu32 " %-13s %-11s "
	    "%-13s %s\n", output_safe(d->name, name, sizeof(name)),
	    d->session ? "sam" : "configured", ls, pub, d->leases,
	    d->tunnels_in, d->tunnels_out, d->sessions, d->streams,
	    d->remote_ls, msgs,
	    drop, acks, d->b32[0] != '\0' ? output_safe(d->b32, b32,
	    sizeof(b32)) : "(no key yet)");
}

void
print_dests_text(FILE *fp, const struct ctl_dest *d, size_t n, int64_t now)
{
	size_t	i;

	if (n == 0) {
		fprintf(fp, "no local destinations\n");
		return;
	}
	fprintf(fp, "%-16s %-10s %-28s %-9s %6s %3s %3s %8s %7s %6s %-13s "
	    "%-11s %-13s %s\n", "Name", "Kind", "LeaseSet (floodfill, age)",
	    "Published", "Leases", "In", "Out", "Sessions", "Streams",
	    "Remote", "Sent/Recv", "Dropped", "LeaseSet ACKs", "Address");
	fprintf(fp, "%-16s %-10s %-28s %-9s %6s %3s %3s %8s %7s %6s %-13s "
	    "%-11s %-13s %s\n", "", "", "", "(ago)", "", "", "", "", "",
	    "LSs", "", "g/out/in", "ok/timeout", "");
	for (i = 0; i < n; i++)
		dest_text(fp, &d[i], now);
}

static void
dest_json(struct json *j, const struct ctl_dest *d, int64_t now)
{
	char	b64[B64_ENCLEN(32)];

	json_object_begin(j, NULL);
	json_string(j, "name", d->name);
	json_string(j, "address", d->b32);
	json_string(j, "destination", d->dest);
	json_string(j, "kind", d->session ? "sam" : "configured");
	json_string(j, "leaseset_state", ls_state(d->ls_state));
	if (d->ls_state != 0) {
		b64_encode(b64, sizeof(b64), d->floodfill,
		    sizeof(d->floodfill));
		json_string(j, "floodfill", b64);
		json_int(j, "leaseset_state_age", output_age(d->ls_at, now));
	} else {
		json_null(j, "floodfill");
		json_null(j, "leaseset_state_age");
	}
	if (d->published != 0)
		json_int(j, "published", d->published);
	else
		json_null(j, "published");
	json_uint(j, "leases", d->leases);
	json_uint(j, "tunnels_in", d->tunnels_in);
	json_uint(j, "tunnels_out", d->tunnels_out);
	json_uint(j, "sessions", d->sessions);
	json_uint(j, "remote_leasesets", d->remote_ls);
	json_uint(j, "sent", d->sent);
	json_uint(j, "received", d->received);
	json_uint(j, "dropped_garlic", d->dropped_garlic);
	json_uint(j, "dropped_out", d->dropped_out);
	json_uint(j, "dropped_in", d->dropped_in);
	json_uint(j, "ls_acked", d->ls_acked);
	json_uint(j, "ls_ack_timeouts", d->ls_ack_timeouts);
	json_uint(j, "streams", d->streams);
	json_uint(j, "streams_opened_out", d->streams_out);
	json_uint(j, "streams_opened_in", d->streams_in);
	json_uint(j, "streams_refused", d->streams_refused);
	json_uint(j, "stream_bytes_sent", d->sbytes_out);
	json_uint(j, "stream_bytes_received", d->sbytes_in);
	json_uint(j, "stream_packets_resent", d->spackets_resent);
	json_object_end(j);
}

void
print_dests_json(FILE *fp, int pretty, const struct ctl_dest *d, size_t n,
    int64_t now)
{
	struct json	j;
	size_t		i;

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "destinations");
	for (i = 0; i < n; i++)
		dest_json(&j, &d[i], now);
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

void
print_rsess_text(FILE *fp, const struct ctl_rsess *r, size_t n, int64_t now)
{
	char	name[DEST_NAME_MAX + 1], peer[64], tf[32], rt[24];
	size_t	i;

	if (n == 0) {
		fprintf(fp, "no ratchet sessions\n");
		return;
	}
	fprintf(fp, "%-16s %-60s %-3s %-11s %-9s %10s %10s %9s %s\n",
	    "Destination", "Peer", "Dir", "State", "Age", "Sent", "Received",
	    "Tags left", "Ratchets");
	for (i = 0; i < n; i++) {
		fmt_timeframe(output_age(r[i].created, now), tf, sizeof(tf));
		/* ours, then the peer's */
		snprintf(rt, sizeof(rt), "%u/%u", r[i].ratchets_out,
		    r[i].ratchets_in);
		fprintf(fp, "%-16s %-60s %-3s %-11s %-9s %10" PRIu64 " %10"
		    PRIu64 " %9u %s\n", output_safe(r[i].dest, name,
		    sizeof(name)), r[i].peer[0] != '\0' ? output_safe(r[i].peer,
		    peer, sizeof(peer)) : "-", r[i].outbound ? "out" : "in",
		    rsess_state(r[i].state), tf, r[i].sent, r[i].received,
		    r[i].tags_left, rt);
	}
	if (n >= CTL_RSESS_MAX)
		fprintf(fp, "(%d rows, the limit of a reply: there may be "
		    "more sessions)\n", CTL_RSESS_MAX);
}

void
print_rsess_json(FILE *fp, int pretty, const struct ctl_rsess *r, size_t n,
    int64_t now)
{
	struct json	j;
	size_t		i;

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "sessions");
	for (i = 0; i < n; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "destination", r[i].dest);
		if (r[i].peer[0] != '\0')
			json_string(&j, "peer", r[i].peer);
		else
			json_null(&j, "peer");
		json_string(&j, "direction", r[i].outbound ? "out" : "in");
		json_string(&j, "state", rsess_state(r[i].state));
		json_int(&j, "created", r[i].created);
		json_int(&j, "age", output_age(r[i].created, now));
		json_uint(&j, "sent", r[i].sent);
		json_uint(&j, "received", r[i].received);
		json_uint(&j, "tags_left", r[i].tags_left);
		json_uint(&j, "ratchets_out", r[i].ratchets_out);
		json_uint(&j, "ratchets_in", r[i].ratchets_in);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_bool(&j, "limit_reached", n >= CTL_RSESS_MAX);
	json_object_end(&j);
	json_finish(&j);
}
