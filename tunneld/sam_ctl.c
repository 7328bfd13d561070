/*
 * show sam: the bridge's clients (with the stream a socket carries),
 * sessions (with how many streams) and counters as ctl_sam_*
 * structs, handed to an emitter (tunneld.c sends them to routerd; the
 * tests record them).  The order is the one i2pctl reads: clients,
 * sessions, the counters last.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <bsd/string.h>
#include <stdio.h>
#include <string.h>

#include "i2pdata.h"
#include "i2prd.h"
#include "sam.h"

static void
addr_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const struct sockaddr_in	*sin = (const void *)ss;
	const struct sockaddr_in6	*sin6 = (const void *)ss;
	char				 a[INET6_ADDRSTRLEN] = "?";
	unsigned			 port = 0;

	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
		port = ntohs(sin->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof(a));
		port = ntohs(sin6->sin6_port);
	}
	snprintf(buf, len, "%s port %u", a, port);
}

static const char *
mode_name(enum sam_mode m)
{
	switch (m) {
	case SAM_MODE_CONNECTING:
		return "connecting";
	case SAM_MODE_ACCEPTING:
		return "accepting";
	case SAM_MODE_FWD_CONNECTING:
		return "forwarding";
	case SAM_MODE_STREAM:
		return "stream";
	default:
		return "control";
	}
}

static void
ctl_client(const struct sam_conn *c, struct ctl_sam_client *cc)
{
	memset(cc, 0, sizeof(*cc));
	addr_str(&c->addr, cc->addr, sizeof(cc->addr));
	if (c->version != 0)
		snprintf(cc->version, sizeof(cc->version), "%d.%d",
		    c->version / 100 % 10, c->version % 100);
	/* a stream's socket shows the session it streams for */
	if (c->sess != NULL)
		strlcpy(cc->session, c->sess->id, sizeof(cc->session));
	else if (c->ssess != NULL)
		strlcpy(cc->session, c->ssess->id, sizeof(cc->session));
	else if (c->fwd_sess != NULL)
		strlcpy(cc->session, c->fwd_sess->id, sizeof(cc->session));
	cc->id = c->id;
	cc->queued = wbuf_len(&c->out);
	cc->since = c->since;
	strlcpy(cc->mode, mode_name(c->mode), sizeof(cc->mode));
	cc->stream = c->stream;
	cc->sbytes_in = c->sbytes_in;
	cc->sbytes_out = c->sbytes_out;
}

/* the sockets that carry a stream of the session */
static uint32_t
session_streams(const struct sam_session *s)
{
	const struct sam_conn	*c;
	uint32_t		 n = 0;

	TAILQ_FOREACH(c, sam_conns(), entry)
		if (c->ssess == s && c->stream != 0)
			n++;
	return n;
}

static void
ctl_session(const struct sam_session *s, struct ctl_sam_session *cs)
{
	struct i2p_ident	 id;
	struct i2p_err		 err;

	memset(cs, 0, sizeof(*cs));
	strlcpy(cs->id, s->id, sizeof(cs->id));
	strlcpy(cs->style, sam_style_name(s->style), sizeof(cs->style));
	if (s->primary != NULL)
		strlcpy(cs->primary, s->primary->id, sizeof(cs->primary));
	else if (s->ready && ident_parse_bytes(&id, s->dest, s->destlen,
	    IDENT_DEST, &err) == 0)
		(void)ident_b32(&id, cs->b32, sizeof(cs->b32));
	cs->client = s->conn->id;
	cs->nsub = s->nsub;
	cs->dgrams_in = s->dgrams_in;
	cs->dgrams_out = s->dgrams_out;
	cs->streams = session_streams(s);
}

static void
ctl_counters(const struct sam_conf *sc, struct ctl_sam *cs)
{
	const struct sam_stats	*st = sam_stats();
	const struct sam_conn	*c;

	memset(cs, 0, sizeof(*cs));
	cs->enabled = sc->family != 0;
	cs->port = sc->port;
	cs->udp_port = sc->udp_port;
	TAILQ_FOREACH(c, sam_conns(), entry)
		cs->clients++;
	cs->sessions = sam_session_count();
	cs->clients_max = SAM_CONNS_MAX;
	cs->clients_per_addr = SAM_CONNS_PER_ADDR;
	cs->sessions_max = SAM_SESSIONS_MAX;
	cs->subsessions_max = SAM_SUBSESSIONS_MAX;
	cs->conns = st->conns;
	cs->conns_refused = st->conns_refused;
	cs->commands = st->commands;
	cs->errors = st->errors;
	cs->dgrams_in = st->dgrams_in;
	cs->dgrams_out = st->dgrams_out;
	cs->bytes_in = st->bytes_in;
	cs->bytes_out = st->bytes_out;
	cs->dgrams_dropped = st->dgrams_dropped;
	cs->streams_out = st->streams_out;
	cs->streams_in = st->streams_in;
	cs->streams_refused = st->streams_refused;
	cs->streams_failed = st->streams_failed;
	cs->streams_limited = st->streams_limited;
	cs->fwd_failed = st->fwd_failed;
	cs->sbytes_in = st->sbytes_in;
	cs->sbytes_out = st->sbytes_out;
}

void
sam_ctl(const struct sam_conf *sc, sam_ctl_emit_fn emit, void *arg)
{
	const struct sam_conn		*c;
	const struct sam_session	*s;
	struct ctl_sam_client		 cc;
	struct ctl_sam_session		 cs;
	struct ctl_sam			 sum;

	TAILQ_FOREACH(c, sam_conns(), entry) {
		ctl_client(c, &cc);
		emit(arg, IMSG_CTL_SAM_CLIENT, &cc, sizeof(cc));
	}
	TAILQ_FOREACH(s, sam_sessions(), entry) {
		ctl_session(s, &cs);
		emit(arg, IMSG_CTL_SAM_SESSION, &cs, sizeof(cs));
	}
	ctl_counters(sc, &sum);
	emit(arg, IMSG_CTL_SAM, &sum, sizeof(sum));
}
