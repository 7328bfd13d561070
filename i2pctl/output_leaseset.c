/*
 * show netdb leaseset: the LeaseSet2 routerd holds for a destination,
 * parsed and verified here with the code routerd stores it with.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "encoding.h"
#include "i2pctl.h"
#include "i2pdata.h"
#include "json.h"

#define LS_LABEL_WIDTH	20

/* parsed, signature checked now, or NULL after saying why on err */
static struct leaseset2 *
ls_load(FILE *err, const uint8_t *data, size_t len, int *verified)
{
	struct leaseset2	*ls;
	struct i2p_err		 e;
	char			 why[128];

	if ((ls = calloc(1, sizeof(*ls))) == NULL) {
		fprintf(err, "i2pctl: out of memory\n");
		return NULL;
	}
	if (ls2_parse(ls, data, len, &e) == -1) {
		fprintf(err, "i2pctl: malformed LeaseSet from i2prd: %s\n",
		    i2p_errstr(&e, why, sizeof(why)));
		free(ls);
		return NULL;
	}
	*verified = ls2_verify(ls, time(NULL), &e) == 0;
	return ls;
}

static const char *
fmt_utc(uint32_t s, char *buf, size_t len)
{
	time_t		t = s;
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "%" PRIu32 " s", s);
	return buf;
}

static void
label(FILE *fp, const char *l)
{
	fprintf(fp, "%-*s ", LS_LABEL_WIDTH, l);
}

int
print_leaseset_text(FILE *fp, FILE *err, const uint8_t *data, size_t len)
{
	struct leaseset2	*ls;
	char			 b64[B64_ENCLEN(32)], when[64], l[32];
	int			 verified, i;

	if ((ls = ls_load(err, data, len, &verified)) == NULL)
		return -1;
	b64_encode(b64, sizeof(b64), ls->dest.hash, 32);
	label(fp, "Destination");
	fprintf(fp, "%s\n", b64);
	label(fp, "Published");
	fprintf(fp, "%s\n", fmt_utc(ls->published, when, sizeof(when)));
	label(fp, "Expires");
	fprintf(fp, "%s\n", fmt_utc(ls->published + ls->expires, when,
	    sizeof(when)));
	label(fp, "Size");
	fprintf(fp, "%zu bytes, signature %s%s\n", ls->rawlen,
	    verified ? "valid" : "INVALID",
	    ls->flags & LS2_F_OFFLINE ? " (offline key)" : "");
	for (i = 0; i < ls->nkeys; i++) {
		label(fp, i == 0 ? "Encryption keys" : "");
		fprintf(fp, "type %u, %u bytes\n", ls->keys[i].type,
		    ls->keys[i].len);
	}
	for (i = 0; i < ls->nleases; i++) {
		snprintf(l, sizeof(l), "Lease %d", i + 1);
		label(fp, l);
		b64_encode(b64, sizeof(b64), ls->leases[i].gateway, 32);
		fprintf(fp, "gateway %.12s..., tunnel %" PRIu32 ", until %s\n",
		    b64, ls->leases[i].tunnel_id,
		    fmt_utc(ls->leases[i].end_date, when, sizeof(when)));
	}
	free(ls);
	return verified ? 0 : -1;
}

int
print_leaseset_json(FILE *fp, FILE *err, int pretty, const uint8_t *data,
    size_t len)
{
	struct leaseset2	*ls;
	struct json		 j;
	char			 b64[B64_ENCLEN(32)];
	int			 verified, i;

	if ((ls = ls_load(err, data, len, &verified)) == NULL)
		return -1;
	b64_encode(b64, sizeof(b64), ls->dest.hash, 32);
	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "leaseset");
	json_string(&j, "destination", b64);
	json_uint(&j, "published", ls->published);
	json_uint(&j, "expires", (uint64_t)ls->published + ls->expires);
	json_uint(&j, "size", ls->rawlen);
	json_bool(&j, "signature_valid", verified);
	json_bool(&j, "offline_key", (ls->flags & LS2_F_OFFLINE) != 0);
	json_array_begin(&j, "keys");
	for (i = 0; i < ls->nkeys; i++)
		json_uint(&j, NULL, ls->keys[i].type);
	json_array_end(&j);
	json_array_begin(&j, "leases");
	for (i = 0; i < ls->nleases; i++) {
		b64_encode(b64, sizeof(b64), ls->leases[i].gateway, 32);
		json_object_begin(&j, NULL);
		json_string(&j, "gateway", b64);
		json_uint(&j, "tunnel", ls->leases[i].tunnel_id);
		json_uint(&j, "end", ls->leases[i].end_date);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
	free(ls);
	return verified ? 0 : -1;
}
