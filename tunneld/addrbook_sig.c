/*
 * Signed feed commands (subscription.rst).  Every command carries sig,
 * made with the signing key of the Destination it adds or changes (of
 * dest= in a remove); those that name a second Destination carry oldsig
 * too, made with olddest's key.  oldsig is the inner signature: signed
 * without sig and oldsig; sig the outer one: signed with oldsig, without
 * sig.  The bytes signed are "name=b64dest" (commands on a host line),
 * then "#!" and the remaining keys sorted by key, "key=val" joined by
 * '#'.  ident_verify checks every Destination signature type we parse
 * (Ed25519, ECDSA, DSA-SHA1, RedDSA), as streaming does.
 */
#include <stdlib.h>
#include <string.h>

#include "addrbook.h"
#include "encoding.h"

#define AB_B64_MAX	616

static const struct {
	const char	*name;
	enum ab_action	 act;
} actions[] = {
	{ "addname",		AB_ACT_ADDNAME },
	{ "adddest",		AB_ACT_ADDDEST },
	{ "addsubdomain",	AB_ACT_ADDSUBDOMAIN },
	{ "changename",		AB_ACT_CHANGENAME },
	{ "changedest",		AB_ACT_CHANGEDEST },
	{ "update",		AB_ACT_UPDATE },
	{ "remove",		AB_ACT_REMOVE },
	{ "removeall",		AB_ACT_REMOVEALL }
};

/* a value copied out as a C string; -1 if it does not fit */
static int
prop_str(const struct ab_line *l, const char *key, char *buf, size_t sz)
{
	const struct ab_prop	*p;
	struct rbuf		 r;

	if ((p = ab_prop_get(l, key)) == NULL || p->vallen >= sz)
		return -1;
	rbuf_init(&r, p->val, p->vallen);
	if (rbuf_get_bytes(&r, buf, p->vallen) == -1)
		return -1;
	buf[p->vallen] = '\0';
	return 0;
}

int
ab_prop_name(const struct ab_line *l, const char *key,
    char out[AB_NAME_MAX + 1])
{
	char		buf[AB_NAME_MAX + 1];
	enum ab_bad	why;

	if (prop_str(l, key, buf, sizeof(buf)) == -1)
		return -1;
	return ab_name_norm(buf, strlen(buf), out, &why);
}

int
ab_prop_dest(const struct ab_line *l, const char *key, struct i2p_ident *id)
{
	char	buf[AB_B64_MAX + 1];

	if (prop_str(l, key, buf, sizeof(buf)) == -1)
		return -1;
	return ident_from_b64(id, buf, IDENT_DEST, NULL);
}

static int
prop_cmp(const struct ab_prop *a, const struct ab_prop *b)
{
	size_t	n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int	c;

	if ((c = memcmp(a->key, b->key, n)) != 0)
		return c;
	return (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

static int
signed_key(const struct ab_prop *p, int inner)
{
	if (p->keylen == 3 && memcmp(p->key, "sig", 3) == 0)
		return 0;
	return !(inner && p->keylen == 6 && memcmp(p->key, "oldsig", 6) == 0);
}

/* the keys that are signed, sorted (insertion sort: at most 16) */
static size_t
sorted_props(const struct ab_line *l, int inner,
    const struct ab_prop *out[AB_PROPS_MAX])
{
	const struct ab_prop	*t;
	size_t			 i, j, n = 0;

	for (i = 0; i < l->nprop; i++) {
		if (!signed_key(&l->prop[i], inner))
			continue;
		out[n++] = &l->prop[i];
		for (j = n - 1; j > 0 && prop_cmp(out[j - 1], out[j]) > 0;
		    j--) {
			t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	}
	return n;
}

int
ab_sig_input(const struct ab_line *l, int inner, struct wbuf *w)
{
	const struct ab_prop	*p[AB_PROPS_MAX];
	size_t			 i, n;

	if (l->kind == AB_LINE_HOST) {
		wbuf_put_bytes(w, l->name, strlen(l->name));
		wbuf_put_u8(w, '=');
		wbuf_put_bytes(w, l->b64, l->b64len);
	}
	if ((n = sorted_props(l, inner, p)) > 0)
		wbuf_put_bytes(w, "#!", 2);
	for (i = 0; i < n; i++) {
		if (i > 0)
			wbuf_put_u8(w, '#');
		wbuf_put_bytes(w, p[i]->key, p[i]->keylen);
		wbuf_put_u8(w, '=');
		wbuf_put_bytes(w, p[i]->val, p[i]->vallen);
	}
	return wbuf_error(w);
}

/* 0 if the signature in key (sig or oldsig) is id's over the input */
static int
sig_ok(const struct ab_line *l, const char *key, int inner,
    const struct i2p_ident *id)
{
	char		 b64[B64_ENCLEN(I2P_SIG_MAXLEN)];
	uint8_t		 sig[I2P_SIG_MAXLEN], msg[AB_LINE_MAX + 8];
	struct wbuf	 w;
	int		 n;

	if (prop_str(l, key, b64, sizeof(b64)) == -1 ||
	    (n = b64_decode(sig, sizeof(sig), b64, strlen(b64))) == -1 ||
	    (size_t)n != ident_siglen(id))
		return -1;
	wbuf_init_fixed(&w, msg, sizeof(msg));
	if (ab_sig_input(l, inner, &w) == -1)
		return -1;
	return ident_verify(id, wbuf_data(&w), wbuf_len(&w), sig, n, NULL);
}

static int
action_of(const struct ab_line *l, enum ab_action *act)
{
	char	buf[16];
	size_t	i;

	if (ab_prop_get(l, "action") == NULL) {
		*act = AB_ACT_ADD;
		return 0;
	}
	if (prop_str(l, "action", buf, sizeof(buf)) == -1)
		return -1;
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(buf, actions[i].name) == 0) {
			*act = actions[i].act;
			return 0;
		}
	return -1;
}

/* a subdomain's name is "<label(s)>.<oldname>" */
static int
subdomain_of(const char *name, const char *parent)
{
	size_t	n = strlen(name), p = strlen(parent);

	return n > p + 1 && name[n - p - 1] == '.' &&
	    strcmp(name + n - p, parent) == 0;
}

/* the keys each action needs, beyond sig */
static int
keys_ok(const struct ab_line *l, enum ab_action act, struct i2p_ident *old)
{
	char	name[AB_NAME_MAX + 1];
	int	host = l->kind == AB_LINE_HOST;

	switch (act) {
	case AB_ACT_ADD:
	case AB_ACT_UPDATE:
		return host ? 0 : -1;
	case AB_ACT_ADDNAME:
	case AB_ACT_CHANGENAME:
		return host ? ab_prop_name(l, "oldname", name) : -1;
	case AB_ACT_ADDDEST:
	case AB_ACT_CHANGEDEST:
		if (!host || ab_prop_get(l, "oldsig") == NULL)
			return -1;
		return ab_prop_dest(l, "olddest", old);
	case AB_ACT_ADDSUBDOMAIN:
		if (!host || ab_prop_get(l, "oldsig") == NULL ||
		    ab_prop_name(l, "oldname", name) == -1 ||
		    !subdomain_of(l->name, name))
			return -1;
		return ab_prop_dest(l, "olddest", old);
	case AB_ACT_REMOVE:
		if (host || ab_prop_name(l, "name", name) == -1)
			return -1;
		return ab_prop_dest(l, "dest", old);
	case AB_ACT_REMOVEALL:
		return host ? -1 : ab_prop_dest(l, "dest", old);
	}
	return -1;
}

int
ab_cmd_verify(const struct ab_line *l, enum ab_action *act,
    struct i2p_ident *old, enum ab_refuse *why)
{
	const struct i2p_ident	*signer = &l->dest;
	int			 remove;

	memset(old, 0, sizeof(*old));
	*why = AB_REF_ACTION;
	if (action_of(l, act) == -1)
		return -1;
	*why = AB_REF_UNSIGNED;
	if (ab_prop_get(l, "sig") == NULL)
		return -1;
	*why = AB_REF_MISSING;
	if (keys_ok(l, *act, old) == -1)
		return -1;
	remove = *act == AB_ACT_REMOVE || *act == AB_ACT_REMOVEALL;
	if (remove)
		signer = old;
	*why = AB_REF_OLDSIG;
	if (!remove && ab_prop_get(l, "oldsig") != NULL &&
	    (old->rawlen == 0 || sig_ok(l, "oldsig", 1, old) == -1))
		return -1;
	*why = AB_REF_SIG;
	return sig_ok(l, "sig", 0, signer);
}
