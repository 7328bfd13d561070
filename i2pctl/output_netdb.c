/*
 * show netdb and show floodfill: one CTL_NETDB from routerd, two views.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "encoding.h"
#include "i2pctl.h"
#include "json.h"

const struct ff_warning ff_warnings[] = {
	{ FF_WARN_UNREACHABLE, "unreachable",
	    "no listen address: peers cannot reach us (caps U)" },
	{ FF_WARN_FEW_ROUTERS, "few_routers",
	    "fewer than 100 routers known: search replies will be poor" },
	{ FF_WARN_FEW_FLOODFILLS, "few_floodfills",
	    "fewer than 3 other floodfills known: stores flood to few" },
	{ FF_WARN_NO_SESSIONS, "no_sessions",
	    "no transport session up" },
	{ FF_WARN_YOUNG, "young",
	    "up less than 2 hours: the network may not use us yet" },
};
const size_t	ff_nwarnings = sizeof(ff_warnings) / sizeof(ff_warnings[0]);

static void
line(FILE *fp, const char *label, uint64_t v)
{
	fprintf(fp, "%-32s %" PRIu64 "\n", label, v);
}

/* a UTC date and time, or "never" */
static const char *
fmt_time(int64_t t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
		return "never";
	strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
	return buf;
}

void
print_netdb_text(FILE *fp, const struct ctl_netdb *nd)
{
	char	rk[B64_ENCLEN(32)], when[32];

	b64_encode(rk, sizeof(rk), nd->our_rkey, 32);
	line(fp, "RouterInfos", nd->routers);
	line(fp, "  of which floodfills", nd->floodfills);
	line(fp, "  kept at most", nd->netdb_max);
	line(fp, "LeaseSets", nd->leasesets);
	line(fp, "Stores refused: sender's rate", nd->db.stores_throttled);
	line(fp, "  all senders' rate", nd->db.stores_throttled_all);
	line(fp, "Writes put off (published only)", nd->db.writes_deferred);
	line(fp, "RouterInfos dropped for room", nd->db.ri_evicted);
	line(fp, "  refused: sender's share", nd->db.ri_refused_share);
	line(fp, "  refused: all in use", nd->db.ri_refused_full);
	line(fp, "LeaseSets dropped for room", nd->db.ls_evicted);
	line(fp, "  refused: sender's share", nd->db.ls_refused_share);
	fprintf(fp, "%-32s %08" PRIu32 " (UTC)\n", "Routing keys of",
	    nd->rkey_day);
	fprintf(fp, "%-32s %s\n", "Our routing key", rk);
	fprintf(fp, "%-32s %s\n", "We are a floodfill",
	    nd->floodfill ? "yes" : "no");
	line(fp, "Our stores to floodfills", nd->announce.sent);
	line(fp, "  verified (DeliveryStatus)", nd->announce.verified);
	line(fp, "  unanswered", nd->announce.timeouts);
	line(fp, "  through our tunnels", nd->announce.tunneled);
	fprintf(fp, "%-32s %s\n", "  last verified",
	    fmt_time(nd->announce.last_verified, when, sizeof(when)));
	line(fp, "Explorations sent", nd->explore.explorations);
	line(fp, "Search replies received", nd->explore.search_replies);
	line(fp, "  to no lookup of ours", nd->explore.search_replies_unasked);
	line(fp, "Lookups for new routers", nd->explore.lookups_sent);
	line(fp, "Lookups through our tunnels", nd->explore.tunneled);
	line(fp, "Garlic to our router", nd->garlic.in);
	line(fp, "  opened under our tags", nd->garlic.tagged);
	line(fp, "  opened with our key", nd->garlic.router);
	line(fp, "  dropped", nd->garlic.dropped);
	line(fp, "  sender over its budget", nd->garlic.throttled);
	line(fp, "Reseed signers trusted", nd->reseed.signers);
	fprintf(fp, "%-32s %s\n", "Last reseed",
	    fmt_time(nd->reseed.last, when, sizeof(when)));
	if (nd->reseed.last > 0)
		fprintf(fp, "%-32s %s\n", nd->reseed.ok ? "  imported" :
		    "  failed", nd->reseed.msg);
}

void
print_netdb_json(FILE *fp, int pretty, const struct ctl_netdb *nd)
{
	struct json	 j;
	char		 rk[B64_ENCLEN(32)], day[16];

	b64_encode(rk, sizeof(rk), nd->our_rkey, 32);
	snprintf(day, sizeof(day), "%08" PRIu32, nd->rkey_day);
	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "netdb");
	json_uint(&j, "routers", nd->routers);
	json_uint(&j, "floodfills", nd->floodfills);
	json_uint(&j, "max_routers", nd->netdb_max);
	json_uint(&j, "leasesets", nd->leasesets);
	json_uint(&j, "stores_throttled", nd->db.stores_throttled);
	json_uint(&j, "stores_throttled_all", nd->db.stores_throttled_all);
	json_uint(&j, "writes_deferred", nd->db.writes_deferred);
	json_uint(&j, "routers_evicted", nd->db.ri_evicted);
	json_uint(&j, "routers_refused_share", nd->db.ri_refused_share);
	json_uint(&j, "routers_refused_full", nd->db.ri_refused_full);
	json_uint(&j, "leasesets_evicted", nd->db.ls_evicted);
	json_uint(&j, "leasesets_refused_share", nd->db.ls_refused_share);
	json_string(&j, "routing_key_day", day);
	json_string(&j, "our_routing_key", rk);
	json_bool(&j, "floodfill", nd->floodfill);
	json_uint(&j, "stores_sent", nd->announce.sent);
	json_uint(&j, "stores_verified", nd->announce.verified);
	json_uint(&j, "stores_unanswered", nd->announce.timeouts);
	json_uint(&j, "stores_tunneled", nd->announce.tunneled);
	json_int(&j, "last_verified", nd->announce.last_verified);
	json_uint(&j, "explorations", nd->explore.explorations);
	json_uint(&j, "search_replies", nd->explore.search_replies);
	json_uint(&j, "search_replies_unasked",
	    nd->explore.search_replies_unasked);
	json_uint(&j, "lookups_sent", nd->explore.lookups_sent);
	json_uint(&j, "lookups_tunneled", nd->explore.tunneled);
	json_uint(&j, "garlic_in", nd->garlic.in);
	json_uint(&j, "garlic_tagged", nd->garlic.tagged);
	json_uint(&j, "garlic_router", nd->garlic.router);
	json_uint(&j, "garlic_dropped", nd->garlic.dropped);
	json_uint(&j, "garlic_throttled", nd->garlic.throttled);
	json_uint(&j, "reseed_signers", nd->reseed.signers);
	json_int(&j, "last_reseed", nd->reseed.last);
	json_bool(&j, "last_reseed_ok", nd->reseed.ok);
	json_string(&j, "last_reseed_outcome", nd->reseed.msg);
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

void
print_floodfill_text(FILE *fp, const struct ctl_netdb *nd)
{
	const struct ff_stats	*f = &nd->ff;
	size_t			 i;
	int			 any = 0;

	fprintf(fp, "%-32s %s\n", "We are a floodfill",
	    nd->floodfill ? "yes" : "no");
	line(fp, "Lookups received", f->lookups_in);
	line(fp, "  answered with the entry", f->lookups_answered);
	line(fp, "  answered with closer peers", f->lookups_not_found);
	line(fp, "  dropped: not a floodfill", f->drop_not_floodfill);
	line(fp, "  dropped: malformed", f->drop_malformed);
	line(fp, "  dropped: over the rate limit", f->drop_rate);
	line(fp, "Replies under ElGamal/AES tags", f->replies_aes);
	line(fp, "Replies with no route", f->reply_no_route);
	line(fp, "Stores received", f->stores_in);
	line(fp, "  acknowledged", f->stores_acked);
	line(fp, "  flooded on (messages)", f->stores_flooded);
	fprintf(fp, "%-32s %" PRIu32 "/s per peer, burst %" PRIu32 "\n",
	    "Lookup limit", nd->lookup_rate, nd->lookup_burst);
	line(fp, "RouterInfos kept at most", nd->netdb_max);
	for (i = 0; i < ff_nwarnings; i++)
		if (nd->warnings & ff_warnings[i].bit) {
			fprintf(fp, "%s%s\n", any ? "          " :
			    "Warnings: ", ff_warnings[i].text);
			any = 1;
		}
}

void
print_floodfill_json(FILE *fp, int pretty, const struct ctl_netdb *nd)
{
	const struct ff_stats	*f = &nd->ff;
	struct json		 j;
	size_t			 i;

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "floodfill");
	json_bool(&j, "enabled", nd->floodfill);
	json_uint(&j, "lookups_received", f->lookups_in);
	json_uint(&j, "lookups_answered", f->lookups_answered);
	json_uint(&j, "lookups_not_found", f->lookups_not_found);
	json_uint(&j, "dropped_not_floodfill", f->drop_not_floodfill);
	json_uint(&j, "dropped_malformed", f->drop_malformed);
	json_uint(&j, "dropped_rate_limit", f->drop_rate);
	json_uint(&j, "replies_elgamal_aes", f->replies_aes);
	json_uint(&j, "replies_no_route", f->reply_no_route);
	json_uint(&j, "stores_received", f->stores_in);
	json_uint(&j, "stores_acknowledged", f->stores_acked);
	json_uint(&j, "stores_flooded", f->stores_flooded);
	json_uint(&j, "lookup_rate", nd->lookup_rate);
	json_uint(&j, "lookup_burst", nd->lookup_burst);
	json_uint(&j, "max_routers", nd->netdb_max);
	json_array_begin(&j, "warnings");
	for (i = 0; i < ff_nwarnings; i++)
		if (nd->warnings & ff_warnings[i].bit)
			json_string(&j, NULL, ff_warnings[i].id);
	json_array_end(&j);
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
}
