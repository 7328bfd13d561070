/*
 * show profiles: the peers our tunnels went through, best tier first
 * and by capacity within it, with the figures the tiers come from and
 * the thresholds computed from them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"
#include "i2pctl.h"
#include "json.h"

static const char *const tiers[CTL_TIERS] = {
	"fast", "high capacity", "not failing", "failing"
};
static const char *const tier_ids[CTL_TIERS] = {
	"fast", "high_capacity", "not_failing", "failing"
};

static int
prof_cmp(const void *a, const void *b)
{
	const struct ctl_profile	*x = a, *y = b;

	if (x->tier != y->tier)
		return x->tier < y->tier ? -1 : 1;
	if (x->capacity != y->capacity)
		return x->capacity > y->capacity ? -1 : 1;
	return memcmp(x->hash, y->hash, 32);
}

static int64_t
ago(int64_t t, int64_t now)
{
	return t == 0 || now < t ? 0 : now - t;
}

void
print_profiles_text(FILE *fp, struct ctl_profile *p, size_t n,
    const struct ctl_profiles *sum, int64_t now)
{
	char	b64[B64_ENCLEN(32)], tests[24], lat[16], tf[32];
	size_t	i;

	qsort(p, n, sizeof(*p), prof_cmp);
	fprintf(fp, "%zu peers: %" PRIu64 " fast, %" PRIu64 " high capacity, "
	    "%" PRIu64 " not failing, %" PRIu64 " failing\n", n,
	    sum->tiers[0], sum->tiers[1], sum->tiers[2], sum->tiers[3]);
	fprintf(fp, "High capacity from %" PRId64 ", fast up to %u ms\n\n",
	    sum->cap_threshold, sum->lat_threshold);
	fprintf(fp, "%-8s %-13s %6s %7s %8s %-12s %8s %7s %s\n", "Peer",
	    "Tier", "Agreed", "Refused", "No reply", "Tests ok/bad",
	    "Capacity", "Latency", "Last seen");
	for (i = 0; i < n; i++) {
		b64_encode(b64, sizeof(b64), p[i].hash, 32);
		snprintf(tests, sizeof(tests), "%u/%u", p[i].tests_ok,
		    p[i].tests_failed);
		if (p[i].lat_ms > 0)
			snprintf(lat, sizeof(lat), "%ums", p[i].lat_ms);
		else
			strcpy(lat, "-");
		fprintf(fp, "%.8s %-13s %6u %7u %8u %-12s %8" PRId64 " %7s %s\n",
		    b64, tiers[p[i].tier], p[i].agreed, p[i].refused,
		    p[i].no_reply, tests, p[i].capacity, lat,
		    fmt_timeframe(ago(p[i].last_seen, now), tf, sizeof(tf)));
	}
}

void
print_profiles_json(FILE *fp, int pretty, struct ctl_profile *p, size_t n,
    const struct ctl_profiles *sum, int64_t now)
{
	struct json	j;
	char		b64[B64_ENCLEN(32)];
	size_t		i;

	qsort(p, n, sizeof(*p), prof_cmp);
	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "profiles");
	json_int(&j, "capacity_threshold", sum->cap_threshold);
	json_uint(&j, "latency_threshold_ms", sum->lat_threshold);
	json_object_begin(&j, "tiers");
	for (i = 0; i < CTL_TIERS; i++)
		json_uint(&j, tier_ids[i], sum->tiers[i]);
	json_object_end(&j);
	json_array_begin(&j, "peers");
	for (i = 0; i < n; i++) {
		json_object_begin(&j, NULL);
		b64_encode(b64, sizeof(b64), p[i].hash, 32);
		json_string(&j, "hash", b64);
		json_string(&j, "tier", tier_ids[p[i].tier]);
		json_uint(&j, "agreed", p[i].agreed);
		json_uint(&j, "refused", p[i].refused);
		json_uint(&j, "no_reply", p[i].no_reply);
		json_uint(&j, "tests_ok", p[i].tests_ok);
		json_uint(&j, "tests_failed", p[i].tests_failed);
		json_int(&j, "capacity", p[i].capacity);
		json_uint(&j, "latency_ms", p[i].lat_ms);
		json_int(&j, "last_seen_ago", ago(p[i].last_seen, now));
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
}
