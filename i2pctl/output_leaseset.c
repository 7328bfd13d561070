/*
 * show netdb leaseset: the LeaseSet routerd holds under a key, of any
 * store type (1 LeaseSet, 3 LeaseSet2, 5 EncryptedLeaseSet, 7
 * MetaLeaseSet), parsed and verified here with the code routerd stores
 * it with.  routerd sends the store type, then the bytes.
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

union ls_any {
	struct leaseset1	 ls1;
	struct leaseset2	 ls2;
	struct enc_leaseset	 enc;
	struct meta_leaseset	 meta;
};

/* a parsed LeaseSet and what every type has */
struct ls_view {
	uint8_t		 type;
	union ls_any	 u;
	const uint8_t	*key;		/* the netDb key it is kept under */
	uint64_t	 published;	/* s; type 1: its earliest lease end */
	uint64_t	 expires;	/* s */
	size_t		 size;
	int		 offline;
	int		 verified;
};

static const char *
type_name(uint8_t type)
{
	switch (type) {
	case LS1_STORE_TYPE:
		return "LeaseSet";
	case LS2_STORE_TYPE:
		return "LeaseSet2";
	case LSE_STORE_TYPE:
		return "EncryptedLeaseSet";
	case LSM_STORE_TYPE:
		return "MetaLeaseSet";
	}
	return "unknown";
}

static void
view_times(struct ls_view *v, uint32_t published, uint16_t expires,
    uint16_t flags)
{
	v->published = published;
	v->expires = (uint64_t)published + expires;
	v->offline = (flags & LS2_F_OFFLINE) != 0;
}

/* parses and verifies as its type says; -1 with e filled if malformed */
static int
view_parse(struct ls_view *v, const uint8_t *p, size_t len, uint32_t now,
    struct i2p_err *e)
{
	uint64_t	 first, last;

	v->size = len;
	switch (v->type) {
	case LS1_STORE_TYPE:
		if (ls1_parse(&v->u.ls1, p, len, e) == -1)
			return -1;
		v->key = v->u.ls1.dest.hash;
		if (ls1_lease_range(&v->u.ls1, &first, &last) == 0) {
			v->published = first / 1000;
			v->expires = last / 1000;
		}
		v->verified = ls1_verify(&v->u.ls1, e) == 0;
		return 0;
	case LS2_STORE_TYPE:
		if (ls2_parse(&v->u.ls2, p, len, e) == -1)
			return -1;
		v->key = v->u.ls2.dest.hash;
		view_times(v, v->u.ls2.published, v->u.ls2.expires,
		    v->u.ls2.flags);
		v->verified = ls2_verify(&v->u.ls2, now, e) == 0;
		return 0;
	case LSE_STORE_TYPE:
		if (lse_parse(&v->u.enc, p, len, e) == -1)
			return -1;
		v->key = v->u.enc.store_hash;
		view_times(v, v->u.enc.published, v->u.enc.expires,
		    v->u.enc.flags);
		v->verified = lse_verify(&v->u.enc, now, e) == 0;
		return 0;
	case LSM_STORE_TYPE:
		if (lsm_parse(&v->u.meta, p, len, e) == -1)
			return -1;
		v->key = v->u.meta.dest.hash;
		view_times(v, v->u.meta.published, v->u.meta.expires,
		    v->u.meta.flags);
		v->verified = lsm_verify(&v->u.meta, now, e) == 0;
		return 0;
	}
	return i2p_seterr(e, I2PE_FIELD, v->type, "store type");
}

/* parsed, signature checked now, or NULL after saying why on err */
static struct ls_view *
ls_load(FILE *err, const uint8_t *data, size_t len)
{
	struct ls_view	*v;
	struct i2p_err	 e = { 0 };
	char		 why[128];

	if (len < 1) {
		fprintf(err, "i2pctl: empty LeaseSet from i2prd\n");
		return NULL;
	}
	if ((v = calloc(1, sizeof(*v))) == NULL) {
		fprintf(err, "i2pctl: out of memory\n");
		return NULL;
	}
	v->type = data[0];
	if (view_parse(v, data + 1, len - 1, time(NULL), &e) == -1) {
		fprintf(err, "i2pctl: malformed LeaseSet from i2prd "
		    "(store type %u): %s\n", v->type,
		    i2p_errstr(&e, why, sizeof(why)));
		free(v);
		return NULL;
	}
	return v;
}

static const char *
fmt_utc(uint64_t s, char *buf, size_t len)
{
	time_t		t = s;
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "%" PRIu64 " s", s);
	return buf;
}

static void
label(FILE *fp, const char *l)
{
	fprintf(fp, "%-*s ", LS_LABEL_WIDTH, l);
}

static void
text_lease(FILE *fp, int i, const uint8_t gw[32], uint32_t tunnel,
    uint64_t end)
{
	char	 b64[B64_ENCLEN(32)], when[64], l[32];

	snprintf(l, sizeof(l), "Lease %d", i + 1);
	label(fp, l);
	b64_encode(b64, sizeof(b64), gw, 32);
	fprintf(fp, "gateway %.12s..., tunnel %" PRIu32 ", until %s\n",
	    b64, tunnel, fmt_utc(end, when, sizeof(when)));
}

static void
text_ls2(FILE *fp, const struct leaseset2 *ls)
{
	int	 i;

	for (i = 0; i < ls->nkeys; i++) {
		label(fp, i == 0 ? "Encryption keys" : "");
		fprintf(fp, "type %u, %u bytes\n", ls->keys[i].type,
		    ls->keys[i].len);
	}
	for (i = 0; i < ls->nleases; i++)
		text_lease(fp, i, ls->leases[i].gateway,
		    ls->leases[i].tunnel_id, ls->leases[i].end_date);
}

static void
text_meta(FILE *fp, const struct meta_leaseset *m)
{
	char	 b64[B64_ENCLEN(32)], when[64], l[32];
	int	 i;

	for (i = 0; i < m->nentries; i++) {
		snprintf(l, sizeof(l), "Entry %d", i + 1);
		label(fp, l);
		b64_encode(b64, sizeof(b64), m->entries[i].hash, 32);
		fprintf(fp, "%.12s..., type %u, cost %u, until %s\n", b64,
		    m->entries[i].flags & 0xf, m->entries[i].cost,
		    fmt_utc(m->entries[i].end_date, when, sizeof(when)));
	}
	label(fp, "Revoked");
	fprintf(fp, "%u\n", m->nrevoked);
}

static void
text_details(FILE *fp, const struct ls_view *v)
{
	const struct leaseset1	*l1 = &v->u.ls1;
	int			 i;

	switch (v->type) {
	case LS1_STORE_TYPE:
		label(fp, "Signature type");
		fprintf(fp, "%u\n", l1->dest.sigtype);
		for (i = 0; i < l1->nleases; i++)
			text_lease(fp, i, l1->leases[i].gateway,
			    l1->leases[i].tunnel_id,
			    l1->leases[i].end_date / 1000);
		break;
	case LS2_STORE_TYPE:
		label(fp, "Signature type");
		fprintf(fp, "%u\n", v->u.ls2.dest.sigtype);
		text_ls2(fp, &v->u.ls2);
		break;
	case LSE_STORE_TYPE:
		label(fp, "Blinded key type");
		fprintf(fp, "%u\n", v->u.enc.blinded.sigtype);
		label(fp, "Encrypted data");
		fprintf(fp, "%u bytes\n", v->u.enc.datalen);
		break;
	case LSM_STORE_TYPE:
		label(fp, "Signature type");
		fprintf(fp, "%u\n", v->u.meta.dest.sigtype);
		text_meta(fp, &v->u.meta);
		break;
	}
}

int
print_leaseset_text(FILE *fp, FILE *err, const uint8_t *data, size_t len)
{
	struct ls_view	*v;
	char		 b64[B64_ENCLEN(32)], when[64];
	int		 verified;

	if ((v = ls_load(err, data, len)) == NULL)
		return -1;
	label(fp, "Type");
	fprintf(fp, "%s (%u)\n", type_name(v->type), v->type);
	b64_encode(b64, sizeof(b64), v->key, 32);
	label(fp, v->type == LSE_STORE_TYPE ? "Blinded key hash" :
	    "Destination");
	fprintf(fp, "%s\n", b64);
	label(fp, v->type == LS1_STORE_TYPE ? "First lease ends" :
	    "Published");
	fprintf(fp, "%s\n", fmt_utc(v->published, when, sizeof(when)));
	label(fp, "Expires");
	fprintf(fp, "%s\n", fmt_utc(v->expires, when, sizeof(when)));
	label(fp, "Size");
	fprintf(fp, "%zu bytes, signature %s%s\n", v->size,
	    v->verified ? "valid" : "INVALID",
	    v->offline ? " (offline key)" : "");
	text_details(fp, v);
	verified = v->verified;
	free(v);
	return verified ? 0 : -1;
}

static void
json_lease(struct json *j, const uint8_t gw[32], uint32_t tunnel,
    uint64_t end)
{
	char	 b64[B64_ENCLEN(32)];

	b64_encode(b64, sizeof(b64), gw, 32);
	json_object_begin(j, NULL);
	json_string(j, "gateway", b64);
	json_uint(j, "tunnel", tunnel);
	json_uint(j, "end", end);
	json_object_end(j);
}

static void
json_details(struct json *j, const struct ls_view *v)
{
	const struct leaseset1	*l1 = &v->u.ls1;
	const struct leaseset2	*l2 = &v->u.ls2;
	const struct meta_leaseset *m = &v->u.meta;
	char			 b64[B64_ENCLEN(32)];
	int			 i;

	switch (v->type) {
	case LS1_STORE_TYPE:
		json_uint(j, "sigtype", l1->dest.sigtype);
		json_array_begin(j, "leases");
		for (i = 0; i < l1->nleases; i++)
			json_lease(j, l1->leases[i].gateway,
			    l1->leases[i].tunnel_id,
			    l1->leases[i].end_date / 1000);
		json_array_end(j);
		break;
	case LS2_STORE_TYPE:
		json_uint(j, "sigtype", l2->dest.sigtype);
		json_array_begin(j, "keys");
		for (i = 0; i < l2->nkeys; i++)
			json_uint(j, NULL, l2->keys[i].type);
		json_array_end(j);
		json_array_begin(j, "leases");
		for (i = 0; i < l2->nleases; i++)
			json_lease(j, l2->leases[i].gateway,
			    l2->leases[i].tunnel_id, l2->leases[i].end_date);
		json_array_end(j);
		break;
	case LSE_STORE_TYPE:
		json_uint(j, "sigtype", v->u.enc.blinded.sigtype);
		json_uint(j, "encrypted_size", v->u.enc.datalen);
		break;
	case LSM_STORE_TYPE:
		json_uint(j, "sigtype", m->dest.sigtype);
		json_array_begin(j, "entries");
		for (i = 0; i < m->nentries; i++) {
			b64_encode(b64, sizeof(b64), m->entries[i].hash, 32);
			json_object_begin(j, NULL);
			json_string(j, "hash", b64);
			json_uint(j, "type", m->entries[i].flags & 0xf);
			json_uint(j, "cost", m->entries[i].cost);
			json_uint(j, "end", m->entries[i].end_date);
			json_object_end(j);
		}
		json_array_end(j);
		json_uint(j, "revoked", m->nrevoked);
		break;
	}
}

int
print_leaseset_json(FILE *fp, FILE *err, int pretty, const uint8_t *data,
    size_t len)
{
	struct ls_view	*v;
	struct json	 j;
	char		 b64[B64_ENCLEN(32)];
	int		 verified;

	if ((v = ls_load(err, data, len)) == NULL)
		return -1;
	b64_encode(b64, sizeof(b64), v->key, 32);
	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "leaseset");
	json_uint(&j, "type", v->type);
	json_string(&j, "type_name", type_name(v->type));
	json_string(&j, v->type == LSE_STORE_TYPE ? "blinded_hash" :
	    "destination", b64);
	json_uint(&j, "published", v->published);
	json_uint(&j, "expires", v->expires);
	json_uint(&j, "size", v->size);
	json_bool(&j, "signature_valid", v->verified);
	json_bool(&j, "offline_key", v->offline);
	json_details(&j, v);
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
	verified = v->verified;
	free(v);
	return verified ? 0 : -1;
}
