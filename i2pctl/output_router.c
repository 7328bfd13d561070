/*
 * show router: the daemon sends our RouterInfo's bytes as published;
 * i2pctl parses and verifies them with the same code peers' RouterInfos
 * go through, so what it prints is what the network sees.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "encoding.h"
#include "i2pctl.h"
#include "i2pdata.h"
#include "json.h"

#define ROUTER_LABEL_WIDTH	20

/* parsed and verified, or NULL after saying why on err */
static struct router_info *
router_load(FILE *err, const uint8_t *data, size_t len, int *verified)
{
	struct router_info	*ri;
	struct i2p_err		 e;
	char			 why[128];

	if ((ri = calloc(1, sizeof(*ri))) == NULL) {
		fprintf(err, "i2pctl: out of memory\n");
		return NULL;
	}
	if (ri_parse(ri, data, len, &e) == -1) {
		fprintf(err, "i2pctl: malformed RouterInfo from i2prd: %s\n",
		    i2p_errstr(&e, why, sizeof(why)));
		free(ri);
		return NULL;
	}
	*verified = ri_verify(ri, &e) == 0;
	return ri;
}

static const char *
fmt_published(uint64_t ms, char *buf, size_t len)
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "%" PRIu64 " ms", ms);
	return buf;
}

static void
label(FILE *fp, const char *l)
{
	fprintf(fp, "%-*s ", ROUTER_LABEL_WIDTH, l);
}

/* one key=value a line, the first after the label */
static void
print_mapping(FILE *fp, const char *l, const struct mapping *m)
{
	size_t	i;

	for (i = 0; i < mapping_count(m); i++) {
		label(fp, i == 0 ? l : "");
		fprintf(fp, "%s=%s\n", mapping_key(m, i), mapping_val(m, i));
	}
}

int
print_router_text(FILE *fp, FILE *err, const uint8_t *data, size_t len)
{
	struct router_info	*ri;
	char			 hash[B64_ENCLEN(32)], when[64], l[32];
	int			 verified, i;

	if ((ri = router_load(err, data, len, &verified)) == NULL)
		return -1;
	b64_encode(hash, sizeof(hash), ri->ident.hash, sizeof(ri->ident.hash));
	label(fp, "Router hash");
	fprintf(fp, "%s\n", hash);
	label(fp, "Identity");
	fprintf(fp, "signature type %u, crypto type %u, %zu bytes\n",
	    ri->ident.sigtype, ri->ident.cryptotype, ri->ident.rawlen);
	label(fp, "Published");
	fprintf(fp, "%s\n", fmt_published(ri->published, when, sizeof(when)));
	label(fp, "Size");
	fprintf(fp, "%zu bytes, signature %s\n", ri->rawlen,
	    verified ? "valid" : "INVALID");
	print_mapping(fp, "Options", &ri->options);
	for (i = 0; i < ri->naddrs; i++) {
		snprintf(l, sizeof(l), "Address %d", i + 1);
		label(fp, l);
		fprintf(fp, "%s, cost %u\n", ri->addrs[i].style,
		    ri->addrs[i].cost);
		print_mapping(fp, "", &ri->addrs[i].options);
	}
	free(ri);
	return verified ? 0 : -1;
}

static void
json_mapping(struct json *j, const char *key, const struct mapping *m)
{
	size_t	i;

	json_object_begin(j, key);
	for (i = 0; i < mapping_count(m); i++)
		json_string(j, mapping_key(m, i), mapping_val(m, i));
	json_object_end(j);
}

int
print_router_json(FILE *fp, FILE *err, int pretty, const uint8_t *data,
    size_t len)
{
	struct router_info	*ri;
	struct json		 j;
	char			 hash[B64_ENCLEN(32)];
	int			 verified, i;

	if ((ri = router_load(err, data, len, &verified)) == NULL)
		return -1;
	b64_encode(hash, sizeof(hash), ri->ident.hash, sizeof(ri->ident.hash));
	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "router");
	json_string(&j, "hash", hash);
	json_uint(&j, "sigtype", ri->ident.sigtype);
	json_uint(&j, "cryptotype", ri->ident.cryptotype);
	json_uint(&j, "published", ri->published);
	json_uint(&j, "size", ri->rawlen);
	json_bool(&j, "signature_valid", verified);
	json_mapping(&j, "options", &ri->options);
	json_array_begin(&j, "addresses");
	for (i = 0; i < ri->naddrs; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "style", ri->addrs[i].style);
		json_uint(&j, "cost", ri->addrs[i].cost);
		json_mapping(&j, "options", &ri->addrs[i].options);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
	free(ri);
	return verified ? 0 : -1;
}
