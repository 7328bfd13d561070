/*
 * Output common to both back-ends (the collected answer, the streams,
 * the uptime formatter) and the text back-end.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bsd/string.h>

#include "i2pctl.h"

static int	 text_tail(void);

const struct output text_output = OUTPUT_COLLECTING(text_tail);

static FILE		*out_fp, *err_fp;
static struct collected	 col;

void
output_setfiles(FILE *out, FILE *err)
{
	out_fp = out;
	err_fp = err;
}

FILE *
output_out(void)
{
	return out_fp != NULL ? out_fp : stdout;
}

FILE *
output_err(void)
{
	return err_fp != NULL ? err_fp : stderr;
}

int64_t
output_age(int64_t since, int64_t now)
{
	return since > 0 && now > since ? now - since : 0;
}

const struct collected *
collected(void)
{
	return &col;
}

void
collect_head(const struct parse_result *res)
{
	/* one answer per run: what was asked for shows in what arrives */
	free(col.peers);
	free(col.transports);
	free(col.tunnels);
	free(col.clients);
	free(col.profs);
	free(col.samclients);
	free(col.samsessions);
	free(col.dests);
	free(col.rsess);
	free(col.streams);
	free(col.proxies);
	free(col.abents);
	free(col.abconfl);
	free(col.absubs);
	memset(&col, 0, sizeof(col));
	col.asked_ab = res->action >= AB_SHOW && res->action <= AB_COUNTS;
	col.asked_ab_lookup = res->action == AB_LOOKUP;
	strlcpy(col.ab_name, res->abname, sizeof(col.ab_name));
	col.asked_sam = res->action == SHOW_SAM;
	col.asked_dests = res->action == SHOW_DESTS;
	col.asked_rsess = res->action == SHOW_RSESS;
	col.asked_streams = res->action == SHOW_STREAMS;
	col.asked_proxies = res->action == SHOW_PROXIES;
	col.asked_tunnels = res->action == SHOW_TUNNELS;
	col.asked_profiles = res->action == SHOW_PROFILES;
	col.asked_router = res->action == SHOW_ROUTER ||
	    res->action == SHOW_NETDB_ROUTER;
	col.asked_entry = res->action == SHOW_NETDB_ROUTER ||
	    res->action == SHOW_NETDB_LEASESET;
	col.asked_leaseset = res->action == SHOW_NETDB_LEASESET;
	col.asked_pem = res->action == RESEED_CERT;
	col.asked_transit = res->action == SHOW_TRANSIT;
	col.asked_peers = res->action == SHOW_PEERS ||
	    res->action == SHOW_PEERS_LIMITS;
	col.asked_limits = res->action == SHOW_PEERS_LIMITS;
	col.asked_transports = res->action == SHOW_TRANSPORTS;
	col.asked_netdb = res->action == SHOW_NETDB ? SHOW_NETDB :
	    res->action == SHOW_FLOODFILL ? SHOW_FLOODFILL : 0;
}

/* the message table caps the length; this only keeps memory safe */
static size_t
copy_capped(uint8_t *dst, size_t dstsz, const uint8_t *src, size_t len)
{
	if (len > dstsz)
		len = dstsz;
	memcpy(dst, src, len);
	return len;
}

void
collect_leaseset(const uint8_t *ls, size_t len)
{
	col.lslen = copy_capped(col.ls, sizeof(col.ls), ls, len);
	col.have_leaseset = 1;
}

void
collect_transit(const struct transit_stats *ts)
{
	col.transit = *ts;
	col.have_transit = 1;
}

/* a PEM certificate: printable ASCII lines, or it is not kept */
void
collect_pem(const uint8_t *pem, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if ((pem[i] < ' ' || pem[i] > '~') && pem[i] != '\n')
			return;
	col.have_pem = 1;
	copy_capped((uint8_t *)col.pem, sizeof(col.pem) - 1, pem, len);
	col.pem[len < sizeof(col.pem) ? len : sizeof(col.pem) - 1] = '\0';
}

void
collect_netdb(const struct ctl_netdb *nd)
{
	col.netdb = *nd;
	col.have_netdb = 1;
}

void
collect_sam_client(const struct ctl_sam_client *c)
{
	struct ctl_sam_client	*n;

	if ((n = reallocarray(col.samclients, col.nsamclients + 1,
	    sizeof(*n))) == NULL)
		return;
	col.samclients = n;
	col.samclients[col.nsamclients++] = *c;
}

void
collect_sam_session(const struct ctl_sam_session *s)
{
	struct ctl_sam_session	*n;

	if ((n = reallocarray(col.samsessions, col.nsamsessions + 1,
	    sizeof(*n))) == NULL)
		return;
	col.samsessions = n;
	col.samsessions[col.nsamsessions++] = *s;
}

void
collect_sam(const struct ctl_sam *s)
{
	col.sam = *s;
	col.have_sam = 1;
}

void
collect_dest(const struct ctl_dest *d)
{
	struct ctl_dest	*n;

	/* DESTS_RUN_MAX in tunneld; memory is the only limit here */
	if ((n = reallocarray(col.dests, col.ndests + 1, sizeof(*n))) == NULL)
		return;
	col.dests = n;
	col.dests[col.ndests++] = *d;
}

void
collect_rsess(const struct ctl_rsess *r)
{
	struct ctl_rsess	*n;

	/* client.c refuses more than CTL_RSESS_MAX */
	if ((n = reallocarray(col.rsess, col.nrsess + 1, sizeof(*n))) == NULL)
		return;
	col.rsess = n;
	col.rsess[col.nrsess++] = *r;
}

void
collect_stream(const struct ctl_stream *s)
{
	struct ctl_stream	*n;

	/* client.c refuses more than CTL_STREAMS_MAX */
	if ((n = reallocarray(col.streams, col.nstreams + 1,
	    sizeof(*n))) == NULL)
		return;
	col.streams = n;
	col.streams[col.nstreams++] = *s;
}

void
collect_proxy(const struct ctl_proxy *p)
{
	struct ctl_proxy	*n;

	/* client.c refuses more than PROXIES_MAX */
	if ((n = reallocarray(col.proxies, col.nproxies + 1,
	    sizeof(*n))) == NULL)
		return;
	col.proxies = n;
	col.proxies[col.nproxies++] = *p;
}

void
collect_peer(const struct ctl_peer *p)
{
	struct ctl_peer	*n;

	/* as many as the daemon has sessions; memory is the only limit */
	if ((n = reallocarray(col.peers, col.npeers + 1, sizeof(*n))) == NULL)
		return;
	col.peers = n;
	col.peers[col.npeers++] = *p;
}

void
collect_transport(const struct ctl_transport *t)
{
	struct ctl_transport	*n;

	/* one per listening address */
	if ((n = reallocarray(col.transports, col.ntransports + 1,
	    sizeof(*n))) == NULL)
		return;
	col.transports = n;
	col.transports[col.ntransports++] = *t;
}

void
collect_sessions(const struct ctl_sessions *cs)
{
	col.sessions = *cs;
	col.have_sessions = 1;
}

void
collect_tunnel(const struct ctl_tunnel *t)
{
	struct ctl_tunnel	*n;

	if ((n = reallocarray(col.tunnels, col.ntunnels + 1,
	    sizeof(*n))) == NULL)
		return;
	col.tunnels = n;
	col.tunnels[col.ntunnels++] = *t;
}

void
collect_pool(const struct ctl_pool *p)
{
	struct ctl_pool	*n;

	if ((n = reallocarray(col.clients, col.nclients + 1,
	    sizeof(*n))) == NULL)
		return;
	col.clients = n;
	col.clients[col.nclients++] = *p;
}

void
collect_tunnels(const struct ctl_tunnels *ts)
{
	col.pools = *ts;
	col.have_tunnels = 1;
}

void
collect_profile(const struct ctl_profile *p)
{
	struct ctl_profile	*n;

	if ((n = reallocarray(col.profs, col.nprofs + 1, sizeof(*n))) == NULL)
		return;
	col.profs = n;
	col.profs[col.nprofs++] = *p;
}

void
collect_profiles(const struct ctl_profiles *ps)
{
	col.profsum = *ps;
	col.have_profiles = 1;
}

void
collect_router(const uint8_t *ri, size_t len)
{
	col.rilen = copy_capped(col.ri, sizeof(col.ri), ri, len);
	col.have_router = 1;
}

void
collect_summary(const struct ctl_summary *sum)
{
	col.sum = *sum;
	col.have_sum = 1;
}

void
collect_proc(const struct ctl_proc *p)
{
	/* the reply loop enforces the limit; this only keeps memory safe */
	if (col.nprocs < CTL_MAXPROCS)
		col.procs[col.nprocs++] = *p;
}

void
collect_result(int32_t code, const char *msg)
{
	col.have_result = 1;
	col.code = code;
	strlcpy(col.msg, msg, sizeof(col.msg));
}

int64_t
summary_uptime(const struct ctl_summary *sum)
{
	uint64_t	 up;

	/* a clock stepped back must not show a negative uptime */
	if (sum->now <= sum->started)
		return 0;
	/*
	 * The times come from the daemon: their difference may not fit an
	 * int64_t (signed overflow), but it always fits a uint64_t.
	 */
	up = (uint64_t)sum->now - (uint64_t)sum->started;
	return up > INT64_MAX ? INT64_MAX : (int64_t)up;
}

/* as bgpctl's fmt_timeframe, but days are not folded into weeks */
const char *
fmt_timeframe(int64_t t, char *buf, size_t len)
{
	uint64_t	 sec, min, hrs, day;

	if (t < 0)
		t = 0;
	sec = (uint64_t)t % 60;
	min = (uint64_t)t / 60 % 60;
	hrs = (uint64_t)t / 3600 % 24;
	day = (uint64_t)t / 86400;

	if (day > 0)
		snprintf(buf, len, "%" PRIu64 "d%02" PRIu64 "h%02" PRIu64 "m",
		    day, hrs, min);
	else
		snprintf(buf, len, "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
		    hrs, min, sec);
	return buf;
}

/*
 * The daemon's strings go to a terminal: a control character in a state
 * directory name must not become an escape sequence.  Bytes from 0x80
 * up pass so UTF-8 names stay readable.
 */
/* a copy safe for a terminal: control characters become '?' */
const char *
output_safe(const char *s, char *buf, size_t len)
{
	size_t	i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	buf[i] = '\0';
	return buf;
}

static void
put_safe(FILE *fp, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, fp);
}

static void
put_padded(FILE *fp, const char *s, size_t width)
{
	size_t	 len = strlen(s);

	put_safe(fp, s);
	for (; len < width; len++)
		fputc(' ', fp);
}

#define SUMMARY_LABEL_WIDTH	20
#define PROC_COLUMN_GAP		4

static void
put_label(FILE *fp, const char *label)
{
	fprintf(fp, "%-*s ", SUMMARY_LABEL_WIDTH, label);
}

void
print_summary_text(FILE *fp, const struct ctl_summary *sum,
    const struct ctl_proc *procs, size_t nprocs)
{
	char		 tf[64];
	size_t		 i, width;
	const char	*hdr = "Process";

	put_label(fp, "Version");
	put_safe(fp, sum->version);
	fputc('\n', fp);
	put_label(fp, "Uptime");
	fprintf(fp, "%s\n", fmt_timeframe(summary_uptime(sum), tf,
	    sizeof(tf)));
	put_label(fp, "State directory");
	put_safe(fp, sum->statedir);
	fputc('\n', fp);
	put_label(fp, "Network ID");
	fprintf(fp, "%" PRId32 "\n", sum->netid);
	put_label(fp, "Floodfill");
	fprintf(fp, "%s\n", sum->floodfill ? "yes" : "no");
	put_label(fp, "Log level");
	put_safe(fp, sum->log_level);
	fputc('\n', fp);
	put_label(fp, "Config generation");
	fprintf(fp, "%" PRIu32 "\n", sum->generation);
	/* "test drop client-tunnel": never to be missed while on */
	if (sum->test_drop > 0 || sum->test_dropped_out > 0 ||
	    sum->test_dropped_in > 0) {
		put_label(fp, "Testing");
		if (sum->test_drop > 0)
			fprintf(fp, "dropping %" PRId32 "%% of client tunnel "
			    "messages, ", sum->test_drop);
		else
			fprintf(fp, "no longer dropping; dropped ");
		fprintf(fp, "%" PRIu64 " out and %" PRIu64 " in so far\n",
		    sum->test_dropped_out, sum->test_dropped_in);
	}
	put_label(fp, "Router hash");
	put_safe(fp, sum->router_hash[0] != '\0' ? sum->router_hash :
	    "(not published yet)");
	fputc('\n', fp);
	put_label(fp, "Caps");
	put_safe(fp, sum->caps[0] != '\0' ? sum->caps : "-");
	fputc('\n', fp);

	if (nprocs == 0)
		return;

	/* the name column is as wide as its widest entry, header included */
	width = strlen(hdr);
	for (i = 0; i < nprocs; i++)
		if (strlen(procs[i].name) > width)
			width = strlen(procs[i].name);
	width += PROC_COLUMN_GAP;

	fputc('\n', fp);
	put_padded(fp, hdr, width);
	fprintf(fp, "PID\n");
	for (i = 0; i < nprocs; i++) {
		put_padded(fp, procs[i].name, width);
		fprintf(fp, "%" PRId32 "\n", procs[i].pid);
	}
}

/* success goes to out, failure to err so scripts see it as an error */
void
print_result_text(FILE *out, FILE *err, int32_t code, const char *msg)
{
	FILE	*fp = code == 0 ? out : err;

	if (*msg == '\0')
		msg = code == 0 ? "request processed" : "request failed";
	put_safe(fp, msg);
	fputc('\n', fp);
}

/* client.c refuses more rows than tunneld may send */
void
collect_ab_entry(const struct ctl_ab_entry *e)
{
	struct ctl_ab_entry	*n;

	if ((n = reallocarray(col.abents, col.nabents + 1,
	    sizeof(*n))) == NULL)
		return;
	col.abents = n;
	col.abents[col.nabents++] = *e;
}

void
collect_ab_conflict(const struct ctl_ab_conflict *c)
{
	struct ctl_ab_conflict	*n;

	if ((n = reallocarray(col.abconfl, col.nabconfl + 1,
	    sizeof(*n))) == NULL)
		return;
	col.abconfl = n;
	col.abconfl[col.nabconfl++] = *c;
}

void
collect_ab_sub(const struct ctl_ab_sub *s)
{
	struct ctl_ab_sub	*n;

	if ((n = reallocarray(col.absubs, col.nabsubs + 1,
	    sizeof(*n))) == NULL)
		return;
	col.absubs = n;
	col.absubs[col.nabsubs++] = *s;
}

void
collect_ab(const struct ctl_ab *a)
{
	col.ab = *a;
	col.have_ab = 1;
}

static int
text_tail(void)
{
	if (col.asked_ab_lookup) {
		print_ab_lookup_text(output_out(), output_err(), col.ab_name,
		    col.nabents > 0 ? col.abents : NULL);
		return col.nabents > 0 ? 0 : -1;
	}
	if (col.asked_ab) {
		struct ab_view	v = { col.abents, col.nabents, col.abconfl,
		    col.nabconfl, &col.ab, col.absubs, col.nabsubs };

		if (!col.have_ab) {
			fprintf(output_err(), "i2pctl: no address book answer "
			    "from i2prd\n");
			return -1;
		}
		print_ab_text(output_out(), &v, time(NULL));
		return 0;
	}
	if (col.asked_dests) {
		print_dests_text(output_out(), col.dests, col.ndests,
		    time(NULL));
		return 0;
	}
	if (col.asked_streams) {
		print_streams_text(output_out(), col.streams, col.nstreams,
		    time(NULL));
		return 0;
	}
	if (col.asked_proxies) {
		print_proxies_text(output_out(), col.proxies, col.nproxies);
		return 0;
	}
	if (col.asked_rsess) {
		print_rsess_text(output_out(), col.rsess, col.nrsess,
		    time(NULL));
		return 0;
	}
	if (col.asked_sam) {
		struct sam_view	v = { col.samclients, col.nsamclients,
		    col.samsessions, col.nsamsessions, &col.sam };

		if (!col.have_sam) {
			fprintf(output_err(), "i2pctl: no SAM answer from "
			    "i2prd\n");
			return -1;
		}
		print_sam_text(output_out(), &v, time(NULL));
		return 0;
	}
	if (col.asked_profiles && col.have_profiles) {
		print_profiles_text(output_out(), col.profs, col.nprofs,
		    &col.profsum, time(NULL));
		return 0;
	}
	if (col.asked_tunnels && col.have_tunnels) {
		struct tunnels_view	v = { col.tunnels, col.ntunnels,
		    col.clients, col.nclients, &col.pools };

		print_tunnels_text(output_out(), &v);
		return 0;
	}
	if (col.asked_transit && col.have_transit) {
		print_transit_text(output_out(), &col.transit);
		return 0;
	}
	if (col.asked_pem && col.have_pem) {
		fputs(col.pem, output_out());
		return 0;
	}
	if (col.asked_pem && !col.have_result) {
		fprintf(output_err(), "i2pctl: malformed certificate from "
		    "i2prd\n");
		return -1;
	}
	if (col.asked_netdb && col.have_netdb) {
		if (col.asked_netdb == SHOW_NETDB)
			print_netdb_text(output_out(), &col.netdb);
		else
			print_floodfill_text(output_out(), &col.netdb);
		return 0;
	}
	if (col.asked_transports) {
		print_transports_text(output_out(), col.transports,
		    col.ntransports, time(NULL));
		return 0;
	}
	if (col.asked_limits) {
		if (!col.have_sessions) {
			fprintf(output_err(), "i2pctl: no session limits from "
			    "i2prd\n");
			return -1;
		}
		print_limits_text(output_out(), &col.sessions);
		return 0;
	}
	if (col.asked_peers) {
		print_peers_text(output_out(), col.peers, col.npeers,
		    time(NULL));
		return 0;
	}
	if (col.asked_leaseset) {
		if (!col.have_leaseset) {
			fprintf(output_out(), "no such LeaseSet in the netDb\n");
			return 0;
		}
		return print_leaseset_text(output_out(), output_err(), col.ls,
		    col.lslen);
	}
	if (col.asked_router) {
		if (!col.have_router) {
			fprintf(output_out(), col.asked_entry ?
			    "no such RouterInfo in the netDb\n" :
			    "no RouterInfo published yet\n");
			return 0;
		}
		return print_router_text(output_out(), output_err(), col.ri,
		    col.rilen);
	}
	if (col.have_sum)
		print_summary_text(output_out(), &col.sum, col.procs,
		    col.nprocs);
	if (col.have_result)
		print_result_text(output_out(), output_err(), col.code,
		    col.msg);
	return 0;
}
