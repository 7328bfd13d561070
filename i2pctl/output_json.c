/*
 * JSON back-end (-j).  The documents:
 *   {"summary":{"version":..,"uptime":secs,"statedir":..,"netid":..,
 *     "floodfill":bool,"log_level":..,"generation":..,
 *     "processes":[{"name":..,"pid":..},...]}}
 *   {"result":{"code":n,"message":..}}
 *   {"router":{...}} (output_router.c), {"router":null} before publishing
 *   {"peers":[...],"sessions":{...}} (output_peers.c)
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "i2pctl.h"
#include "json.h"

static int	 json_tail(void);

const struct output json_output = OUTPUT_COLLECTING(json_tail);

static int	 json_pretty = 1;

void
output_json_pretty(int pretty)
{
	json_pretty = pretty;
}

void
print_summary_json(FILE *fp, int pretty, const struct ctl_summary *sum,
    const struct ctl_proc *procs, size_t nprocs)
{
	struct json	 j;
	size_t		 i;

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "summary");
	json_string(&j, "version", sum->version);
	json_int(&j, "uptime", summary_uptime(sum));
	json_string(&j, "statedir", sum->statedir);
	json_int(&j, "netid", sum->netid);
	json_bool(&j, "floodfill", sum->floodfill);
	json_string(&j, "log_level", sum->log_level);
	json_uint(&j, "generation", sum->generation);
	json_string(&j, "router_hash", sum->router_hash);
	json_string(&j, "caps", sum->caps);
	json_array_begin(&j, "processes");
	for (i = 0; i < nprocs; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "name", procs[i].name);
		json_int(&j, "pid", procs[i].pid);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

void
print_result_json(FILE *fp, int pretty, int32_t code, const char *msg)
{
	struct json	 j;

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "result");
	json_int(&j, "code", code);
	json_string(&j, "message", msg);
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

/* a failed request is still answered on stdout: it is the document */
static int
json_tail(void)
{
	const struct collected	*c = collected();

	if (c->asked_ab_lookup) {
		print_ab_lookup_json(output_out(), json_pretty, c->ab_name,
		    c->nabents > 0 ? c->abents : NULL);
		return 0;
	}
	if (c->asked_ab) {
		struct ab_view	v = { c->abents, c->nabents, c->abconfl,
		    c->nabconfl, &c->ab, c->absubs, c->nabsubs };

		if (!c->have_ab) {
			fprintf(output_err(), "i2pctl: no address book answer "
			    "from i2prd\n");
			return -1;
		}
		print_ab_json(output_out(), json_pretty, &v, time(NULL));
		return 0;
	}
	if (c->asked_dests) {
		print_dests_json(output_out(), json_pretty, c->dests,
		    c->ndests, time(NULL));
		return 0;
	}
	if (c->asked_streams) {
		print_streams_json(output_out(), json_pretty, c->streams,
		    c->nstreams, time(NULL));
		return 0;
	}
	if (c->asked_proxies) {
		print_proxies_json(output_out(), json_pretty, c->proxies,
		    c->nproxies);
		return 0;
	}
	if (c->asked_rsess) {
		print_rsess_json(output_out(), json_pretty, c->rsess,
		    c->nrsess, time(NULL));
		return 0;
	}
	if (c->asked_sam) {
		struct sam_view	v = { c->samclients, c->nsamclients,
		    c->samsessions, c->nsamsessions, &c->sam };

		if (!c->have_sam) {
			fprintf(output_err(), "i2pctl: no SAM answer from "
			    "i2prd\n");
			return -1;
		}
		print_sam_json(output_out(), json_pretty, &v, time(NULL));
		return 0;
	}
	if (c->asked_profiles && c->have_profiles) {
		print_profiles_json(output_out(), json_pretty, c->profs,
		    c->nprofs, &c->profsum, time(NULL));
		return 0;
	}
	if (c->asked_tunnels && c->have_tunnels) {
		struct tunnels_view	v = { c->tunnels, c->ntunnels,
		    c->clients, c->nclients, &c->pools };

		print_tunnels_json(output_out(), json_pretty, &v);
		return 0;
	}
	if (c->asked_transit && c->have_transit) {
		print_transit_json(output_out(), json_pretty, &c->transit);
		return 0;
	}
	if (c->asked_pem && c->have_pem) {
		struct json	j;

		json_init(&j, output_out(), json_pretty);
		json_object_begin(&j, NULL);
		json_string(&j, "certificate", c->pem);
		json_object_end(&j);
		return json_finish(&j);
	}
	if (c->asked_pem && !c->have_result) {
		fprintf(output_err(), "i2pctl: malformed certificate from "
		    "i2prd\n");
		return -1;
	}
	if (c->asked_netdb && c->have_netdb) {
		if (c->asked_netdb == SHOW_NETDB)
			print_netdb_json(output_out(), json_pretty, &c->netdb);
		else
			print_floodfill_json(output_out(), json_pretty,
			    &c->netdb);
		return 0;
	}

	if (c->asked_transports) {
		print_transports_json(output_out(), json_pretty,
		    c->transports, c->ntransports, time(NULL));
		return 0;
	}
	if (c->asked_peers) {
		print_peers_json(output_out(), json_pretty, c->peers,
		    c->npeers, c->have_sessions ? &c->sessions : NULL,
		    time(NULL));
		return 0;
	}
	if (c->asked_leaseset) {
		if (!c->have_leaseset) {
			fprintf(output_out(), "{\"leaseset\":null}\n");
			return 0;
		}
		return print_leaseset_json(output_out(), output_err(),
		    json_pretty, c->ls, c->lslen);
	}
	if (c->asked_router) {
		if (!c->have_router) {
			fprintf(output_out(), "{\"router\":null}\n");
			return 0;
		}
		return print_router_json(output_out(), output_err(),
		    json_pretty, c->ri, c->rilen);
	}
	if (c->have_sum)
		print_summary_json(output_out(), json_pretty, &c->sum,
		    c->procs, c->nprocs);
	if (c->have_result)
		print_result_json(output_out(), json_pretty, c->code, c->msg);
	return 0;
}
