/*
 * show streams: each streaming connection of each local destination,
 * with its ports, direction, state, the congestion control's figures
 * (smoothed RTT, RTO, window, packets unacknowledged, who is choked)
 * and its traffic.  The protocol carries no receive window (a peer
 * only chokes us, with a long optional delay), so "Choked" is all we
 * know of the peer's.  Names come from the configuration or from SAM
 * clients: printed through output_safe().
 */
#include <inttypes.h>
#include <stdio.h>

#include "i2pctl.h"
#include "json.h"

static const char *const stream_states[] = {
	[CTL_STREAM_SYN_SENT] = "syn-sent",
	[CTL_STREAM_SYN_RECEIVED] = "syn-received",
	[CTL_STREAM_OPEN] = "open",
	[CTL_STREAM_CLOSE_SENT] = "close-sent",
	[CTL_STREAM_CLOSE_RECEIVED] = "close-received",
	[CTL_STREAM_CLOSING] = "closing",
	[CTL_STREAM_CLOSED] = "closed",
	[CTL_STREAM_RESET] = "reset"
};

/* client.c checked the states; a bad one still prints, as "?" */
static const char *
stream_state(uint8_t s)
{
	return s <= CTL_STREAM_RESET ? stream_states[s] : "?";
}

/* who waits: "us" (the peer choked us), "peer" (we choked it) */
static const char *
choked(uint8_t flags)
{
	switch (flags & (CTL_STREAM_CHOKED | CTL_STREAM_CHOKING)) {
	case CTL_STREAM_CHOKED:
		return "us";
	case CTL_STREAM_CHOKING:
		return "peer";
	case CTL_STREAM_CHOKED | CTL_STREAM_CHOKING:
		return "both";
	default:
		return "-";
	}
}

static void
stream_text(FILE *fp, const struct ctl_stream *s, int64_t now)
{
	char	name[DEST_NAME_MAX + 1], peer[64], tf[32];

	fmt_timeframe(output_age(s->created, now), tf, sizeof(tf));
	fprintf(fp, "%-16s %-60s %5u %5u %-3s %-14s %6" PRIu32 " %6" PRIu32
	    " %6" PRIu32 " %5" PRIu32 " %-6s %12" PRIu64 " %12" PRIu64 " %7"
	    PRIu64 " %s\n", output_safe(s->dest, name, sizeof(name)),
	    s->peer[0] != '\0' ? output_safe(s->peer, peer, sizeof(peer)) :
	    "-", s->local_port, s->remote_port, s->outbound ? "out" : "in",
	    stream_state(s->state), s->rtt, s->rto, s->window, s->unacked,
	    choked(s->flags), s->bytes_out, s->bytes_in, s->resends, tf);
}

void
print_streams_text(FILE *fp, const struct ctl_stream *s, size_t n,
    int64_t now)
{
	size_t	i;

	if (n == 0) {
		fprintf(fp, "no streams\n");
		return;
	}
	fprintf(fp, "%-16s %-60s %5s %5s %-3s %-14s %6s %6s %6s %5s %-6s %12s "
	    "%12s %7s %s\n", "Destination", "Peer", "LPort", "RPort", "Dir",
	    "State", "RTT", "RTO", "Window", "Unack", "Choked", "Sent",
	    "Received", "Resent", "Age");
	fprintf(fp, "%-16s %-60s %5s %5s %-3s %-14s %6s %6s %6s %5s %-6s %12s "
	    "%12s %7s %s\n", "", "", "", "", "", "", "(ms)", "(ms)", "(pkts)",
	    "", "", "(bytes)", "(bytes)", "(pkts)", "");
	for (i = 0; i < n; i++)
		stream_text(fp, &s[i], now);
	if (n >= CTL_STREAMS_MAX)
		fprintf(fp, "(%d rows, the limit of a reply: there may be "
		    "more streams)\n", CTL_STREAMS_MAX);
}

static void
stream_json(struct json *j, const struct ctl_stream *s, int64_t now)
{
	json_object_begin(j, NULL);
	json_string(j, "destination", s->dest);
	if (s->peer[0] != '\0')
		json_string(j, "peer", s->peer);
	else
		json_null(j, "peer");
	json_uint(j, "local_port", s->local_port);
	json_uint(j, "remote_port", s->remote_port);
	json_string(j, "direction", s->outbound ? "out" : "in");
	json_string(j, "state", stream_state(s->state));
	json_uint(j, "send_id", s->send_id);
	json_uint(j, "receive_id", s->recv_id);
	json_uint(j, "rtt_ms", s->rtt);
	json_uint(j, "rto_ms", s->rto);
	json_uint(j, "window", s->window);
	json_uint(j, "unacked", s->unacked);
	json_bool(j, "choked_by_peer", (s->flags & CTL_STREAM_CHOKED) != 0);
	json_bool(j, "choking_peer", (s->flags & CTL_STREAM_CHOKING) != 0);
	json_uint(j, "bytes_sent", s->bytes_out);
	json_uint(j, "bytes_received", s->bytes_in);
	json_uint(j, "resent", s->resends);
	json_int(j, "created", s->created);
	json_int(j, "age", output_age(s->created, now));
	json_object_end(j);
}

void
print_streams_json(FILE *fp, int pretty, const struct ctl_stream *s,
    size_t n, int64_t now)
{
	struct json	j;
	size_t		i;

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "streams");
	for (i = 0; i < n; i++)
		stream_json(&j, &s[i], now);
	json_array_end(&j);
	json_bool(&j, "limit_reached", n >= CTL_STREAMS_MAX);
	json_object_end(&j);
	json_finish(&j);
}
