/*
 * show sam: the SAM bridge's clients (address, version, age, session,
 * what the socket does and the stream it carries), its sessions (ID,
 * style, destination, subsessions, datagrams, streams) and its
 * counters against its limits.  Strings come from tunneld, which
 * took them from clients: printed through output_safe().
 */
#include <inttypes.h>
#include <stdio.h>

#include "i2pctl.h"
#include "json.h"

static void
line(FILE *fp, const char *label, uint64_t v)
{
	fprintf(fp, "%-32s %" PRIu64 "\n", label, v);
}

static void
clients_text(FILE *fp, const struct sam_view *v, int64_t now)
{
	const struct ctl_sam_client	*c;
	char				 a[64], ver[8], sess[CTL_SAM_ID];
	char				 tf[32], mode[12], stream[16];
	size_t				 i;

	fprintf(fp, "%-6s %-30s %-7s %-9s %-8s %-10s %-6s %-20s %s\n",
	    "Client", "Address", "Version", "Age", "Queued", "Mode", "Stream",
	    "Stream bytes in/out", "Session");
	for (i = 0; i < v->nclients; i++) {
		c = &v->clients[i];
		snprintf(stream, sizeof(stream), "%" PRIu32, c->stream);
		fprintf(fp, "%-6" PRIu32 " %-30s %-7s %-9s %-8" PRIu32 " %-10s "
		    "%-6s %9" PRIu64 "/%-10" PRIu64 " %s\n", c->id,
		    output_safe(c->addr, a, sizeof(a)),
		    c->version[0] != '\0' ? output_safe(c->version, ver,
		    sizeof(ver)) : "-",
		    fmt_timeframe(output_age(c->since, now), tf, sizeof(tf)),
		    c->queued, output_safe(c->mode, mode, sizeof(mode)),
		    c->stream != 0 ? stream : "-", c->sbytes_in, c->sbytes_out,
		    output_safe(c->session, sess, sizeof(sess)));
	}
}

static void
sessions_text(FILE *fp, const struct sam_view *v)
{
	const struct ctl_sam_session	*s;
	char				 id[CTL_SAM_ID], st[12], dest[96];
	char				 b32[64], p[CTL_SAM_ID];
	size_t				 i;

	fprintf(fp, "%-20s %-9s %-6s %-62s %-7s %s\n", "Session", "Style",
	    "Client", "Destination", "Streams", "Datagrams in/out");
	for (i = 0; i < v->nsessions; i++) {
		s = &v->sessions[i];
		if (s->primary[0] != '\0')
			snprintf(dest, sizeof(dest), "(subsession of %s)",
			    output_safe(s->primary, p, sizeof(p)));
		else if (s->b32[0] == '\0')
			snprintf(dest, sizeof(dest), "(being made)");
		else
			snprintf(dest, sizeof(dest), "%s%s",
			    output_safe(s->b32, b32, sizeof(b32)), s->nsub > 0 ?
			    " +sub" : "");
		fprintf(fp, "%-20s %-9s %-6" PRIu32 " %-62s %-7" PRIu32 " %"
		    PRIu64 "/%" PRIu64 "\n", output_safe(s->id, id, sizeof(id)),
		    output_safe(s->style, st, sizeof(st)), s->client, dest,
		    s->streams, s->dgrams_in, s->dgrams_out);
	}
}

void
print_sam_text(FILE *fp, const struct sam_view *v, int64_t now)
{
	const struct ctl_sam	*s = v->sum;

	if (!s->enabled) {
		fprintf(fp, "SAM bridge not configured (sam listen on)\n");
		return;
	}
	fprintf(fp, "%-32s tcp %" PRIu32 ", udp %" PRIu32 "\n", "Ports",
	    s->port, s->udp_port);
	fprintf(fp, "%-32s %" PRIu32 " of %" PRIu32 " (%" PRIu32
	    " per address)\n", "Clients", s->clients, s->clients_max,
	    s->clients_per_addr);
	fprintf(fp, "%-32s %" PRIu32 " of %" PRIu32 " (%" PRIu32
	    " subsessions per PRIMARY)\n", "Sessions", s->sessions,
	    s->sessions_max, s->subsessions_max);
	line(fp, "Connections accepted", s->conns);
	line(fp, "  refused (limits)", s->conns_refused);
	line(fp, "Commands", s->commands);
	line(fp, "  errors", s->errors);
	fprintf(fp, "%-32s %" PRIu64 " in, %" PRIu64 " out\n", "Datagrams",
	    s->dgrams_in, s->dgrams_out);
	fprintf(fp, "%-32s %" PRIu64 " in, %" PRIu64 " out\n",
	    "Datagram bytes", s->bytes_in, s->bytes_out);
	line(fp, "  dropped", s->dgrams_dropped);
	fprintf(fp, "%-32s %" PRIu64 " out, %" PRIu64 " in\n", "Streams opened",
	    s->streams_out, s->streams_in);
	line(fp, "  CONNECTs failed", s->streams_failed);
	line(fp, "  incoming refused", s->streams_refused);
	line(fp, "  over a stream limit", s->streams_limited);
	line(fp, "  FORWARD targets down", s->fwd_failed);
	fprintf(fp, "%-32s %" PRIu64 " in, %" PRIu64 " out\n",
	    "Stream bytes", s->sbytes_in, s->sbytes_out);
	fputc('\n', fp);
	clients_text(fp, v, now);
	fputc('\n', fp);
	sessions_text(fp, v);
}

static void
counters_json(struct json *j, const struct ctl_sam *s)
{
	json_uint(j, "enabled", s->enabled);
	json_uint(j, "port", s->port);
	json_uint(j, "udp_port", s->udp_port);
	json_uint(j, "clients_open", s->clients);
	json_uint(j, "sessions_open", s->sessions);
	json_uint(j, "clients_max", s->clients_max);
	json_uint(j, "clients_per_address", s->clients_per_addr);
	json_uint(j, "sessions_max", s->sessions_max);
	json_uint(j, "subsessions_max", s->subsessions_max);
	json_uint(j, "connections", s->conns);
	json_uint(j, "connections_refused", s->conns_refused);
	json_uint(j, "commands", s->commands);
	json_uint(j, "errors", s->errors);
	json_uint(j, "datagrams_in", s->dgrams_in);
	json_uint(j, "datagrams_out", s->dgrams_out);
	json_uint(j, "bytes_in", s->bytes_in);
	json_uint(j, "bytes_out", s->bytes_out);
	json_uint(j, "datagrams_dropped", s->dgrams_dropped);
	json_uint(j, "streams_out", s->streams_out);
	json_uint(j, "streams_in", s->streams_in);
	json_uint(j, "streams_failed", s->streams_failed);
	json_uint(j, "streams_refused", s->streams_refused);
	json_uint(j, "streams_limited", s->streams_limited);
	json_uint(j, "forward_failed", s->fwd_failed);
	json_uint(j, "stream_bytes_in", s->sbytes_in);
	json_uint(j, "stream_bytes_out", s->sbytes_out);
}

void
print_sam_json(FILE *fp, int pretty, const struct sam_view *v, int64_t now)
{
	struct json	j;
	size_t		i;

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "sam");
	counters_json(&j, v->sum);
	json_array_begin(&j, "clients");
	for (i = 0; i < v->nclients; i++) {
		json_object_begin(&j, NULL);
		json_uint(&j, "id", v->clients[i].id);
		json_string(&j, "address", v->clients[i].addr);
		json_string(&j, "version", v->clients[i].version);
		json_int(&j, "age", output_age(v->clients[i].since, now));
		json_uint(&j, "queued", v->clients[i].queued);
		json_string(&j, "session", v->clients[i].session);
		json_string(&j, "mode", v->clients[i].mode);
		json_uint(&j, "stream", v->clients[i].stream);
		json_uint(&j, "stream_bytes_in", v->clients[i].sbytes_in);
		json_uint(&j, "stream_bytes_out", v->clients[i].sbytes_out);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_array_begin(&j, "sessions");
	for (i = 0; i < v->nsessions; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "id", v->sessions[i].id);
		json_string(&j, "style", v->sessions[i].style);
		json_string(&j, "primary", v->sessions[i].primary);
		json_string(&j, "destination", v->sessions[i].b32);
		json_uint(&j, "client", v->sessions[i].client);
		json_uint(&j, "subsessions", v->sessions[i].nsub);
		json_uint(&j, "datagrams_in", v->sessions[i].dgrams_in);
		json_uint(&j, "datagrams_out", v->sessions[i].dgrams_out);
		json_uint(&j, "streams", v->sessions[i].streams);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
}
