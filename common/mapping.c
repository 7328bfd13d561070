/*
 * The I2P Mapping (common-structures.rst, Mapping) and the error
 * reporting shared by all of i2pdata.h.
 *
 * A mapping keeps its strings in one pool inside the struct and refers
 * to them by offset, so a struct mapping can be copied with memcpy.
 * Entries are held sorted by key, so lookups are binary searches and
 * mapping_write always produces the sorted form that signed mappings
 * need (spec: "must be sorted by key so that the signature will be
 * invariant").  Duplicate keys are always refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "encoding.h"
#include "i2pdata.h"

static const char *const i2p_errstrs[I2PE_MAX] = {
	[I2PE_OK] = "no error",
	[I2PE_TRUNCATED] = "truncated",
	[I2PE_TRAILING] = "trailing bytes",
	[I2PE_TOO_LARGE] = "too large",
	[I2PE_TOO_MANY] = "too many entries",
	[I2PE_BAD_CERT] = "bad certificate length",
	[I2PE_CERTTYPE] = "unsupported certificate type",
	[I2PE_SIGTYPE] = "unsupported signature type",
	[I2PE_CRYPTOTYPE] = "unsupported crypto type",
	[I2PE_KEYLEN] = "key length does not match its type",
	[I2PE_SYNTAX] = "malformed entry",
	[I2PE_STRING] = "string holds a NUL",
	[I2PE_DUPKEY] = "duplicate key",
	[I2PE_UNSORTED] = "keys not sorted",
	[I2PE_FIELD] = "invalid field",
	[I2PE_SIGNATURE] = "bad signature",
	[I2PE_EXPIRED] = "offline signature expired",
	[I2PE_SIGN] = "signing failed",
	[I2PE_ENCODING] = "bad base64",
	[I2PE_ARG] = "invalid argument",
	[I2PE_INTERNAL] = "internal error",
	[I2PE_MISMATCH] = "private key does not match the public key",
	[I2PE_OFFLINE] = "offline signature not supported",
};

int
i2p_seterr(struct i2p_err *err, int code, unsigned arg, const char *where)
{
	if (err != NULL) {
		err->code = code;
		err->arg = arg;
		err->where = where;
	}
	return -1;
}

const char *
i2p_strerror(int code)
{
	if (code < 0 || code >= I2PE_MAX || i2p_errstrs[code] == NULL)
		return "unknown error";
	return i2p_errstrs[code];
}

const char *
i2p_errstr(const struct i2p_err *err, char *buf, size_t len)
{
	const char	*where = err->where != NULL ? err->where : "data";

	switch (err->code) {
	case I2PE_CERTTYPE:
	case I2PE_SIGTYPE:
	case I2PE_CRYPTOTYPE:
		snprintf(buf, len, "%s: %s %u", where,
		    i2p_strerror(err->code), err->arg);
		break;
	default:
		snprintf(buf, len, "%s: %s", where, i2p_strerror(err->code));
		break;
	}
	return buf;
}

/*
 * Lookup and editing
 */

void
mapping_init(struct mapping *m)
{
	m->n = 0;
	m->used = 0;
	m->pool[0] = '\0';
}

size_t
mapping_count(const struct mapping *m)
{
	return m->n;
}

const char *
mapping_key(const struct mapping *m, size_t i)
{
	return i < m->n ? m->pool + m->ent[i].key : NULL;
}

const char *
mapping_val(const struct mapping *m, size_t i)
{
	return i < m->n ? m->pool + m->ent[i].val : NULL;
}

/*
 * Binary search: the index of key, or -1 with *ins where it would go.
 * strcmp compares as unsigned char, the order i2pd (std::string) and
 * Java (String.compareTo, for ASCII) sort in.
 */
static int
mapping_find(const struct mapping *m, const char *key, size_t *ins)
{
	size_t	 lo = 0, hi = m->n, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(key, m->pool + m->ent[mid].key);
		if (c == 0) {
			if (ins != NULL)
				*ins = mid;
			return (int)mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (ins != NULL)
		*ins = lo;
	return -1;
}

const char *
mapping_get(const struct mapping *m, const char *key)
{
	int	 i;

	if ((i = mapping_find(m, key, NULL)) == -1)
		return NULL;
	return m->pool + m->ent[i].val;
}

/* copies a string into the pool; its offset or -1 when full */
static int
pool_put(struct mapping *m, const char *s, size_t len)
{
	int	 off = m->used;

	if (len + 1 > sizeof(m->pool) - m->used)
		return -1;
	memcpy(m->pool + m->used, s, len);
	m->pool[m->used + len] = '\0';
	m->used += len + 1;
	return off;
}

/* inserts at position i; the caller checked the key is not there */
static int
mapping_insert(struct mapping *m, size_t i, const char *key, size_t klen,
    const char *val, size_t vlen, struct i2p_err *err)
{
	int	 koff, voff;

	if (klen > MAPPING_STRMAX || vlen > MAPPING_STRMAX)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "mapping");
	if (m->n >= MAPPING_MAX)
		return i2p_seterr(err, I2PE_TOO_MANY, 0, "mapping");
	if ((koff = pool_put(m, key, klen)) == -1 ||
	    (voff = pool_put(m, val, vlen)) == -1)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "mapping");
	memmove(&m->ent[i + 1], &m->ent[i], (m->n - i) * sizeof(m->ent[0]));
	m->ent[i].key = koff;
	m->ent[i].val = voff;
	m->n++;
	return 0;
}

int
mapping_add(struct mapping *m, const char *key, const char *val,
    struct i2p_err *err)
{
	size_t	 ins;

	if (mapping_find(m, key, &ins) != -1)
		return i2p_seterr(err, I2PE_DUPKEY, 0, "mapping");
	return mapping_insert(m, ins, key, strlen(key), val, strlen(val),
	    err);
}

/*
 * Rebuilds the pool without entry skip (-1: none), so that replaced and
 * deleted strings do not use up the pool.
 */
static void
mapping_compact(struct mapping *m, int skip)
{
	struct mapping	 t;
	size_t		 i;
	const char	*k, *v;

	mapping_init(&t);
	for (i = 0; i < m->n; i++) {
		if ((int)i == skip)
			continue;
		k = m->pool + m->ent[i].key;
		v = m->pool + m->ent[i].val;
		/* cannot fail: the strings fitted before */
		(void)mapping_insert(&t, t.n, k, strlen(k), v, strlen(v),
		    NULL);
	}
	memcpy(m, &t, sizeof(t));
}

int
mapping_del(struct mapping *m, const char *key)
{
	int	 i;

	if ((i = mapping_find(m, key, NULL)) == -1)
		return -1;
	mapping_compact(m, i);
	return 0;
}

int
mapping_set(struct mapping *m, const char *key, const char *val)
{
	struct mapping	 t;

	if (strlen(key) > MAPPING_STRMAX || strlen(val) > MAPPING_STRMAX)
		return -1;
	/* on a copy, so that a full pool leaves m as it was */
	memcpy(&t, m, sizeof(t));
	if (mapping_del(&t, key) == 0 && mapping_add(&t, key, val, NULL) == 0) {
		memcpy(m, &t, sizeof(t));
		return 0;
	}
	return mapping_add(m, key, val, NULL);
}

/*
 * Typed values
 */

int
mapping_get_uint(const struct mapping *m, const char *key,
    unsigned long long max, unsigned long long *out)
{
	const char		*v;
	unsigned long long	 x = 0, d;

	if ((v = mapping_get(m, key)) == NULL || *v == '\0')
		return -1;
	/* "0" alone, else no leading zero: one spelling per number */
	if (v[0] == '0' && v[1] != '\0')
		return -1;
	for (; *v != '\0'; v++) {
		if (*v < '0' || *v > '9')
			return -1;
		d = *v - '0';
		if (d > max || x > (max - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*out = x;
	return 0;
}

int
mapping_get_b64(const struct mapping *m, const char *key, void *out,
    size_t len)
{
	const char	*v;
	uint8_t		 tmp[MAPPING_STRMAX];
	int		 n;

	if ((v = mapping_get(m, key)) == NULL)
		return -1;
	n = b64_decode(tmp, sizeof(tmp), v, strlen(v));
	if (n < 0 || (size_t)n != len)
		return -1;
	memcpy(out, tmp, len);
	return 0;
}

/*
 * Wire format
 */

size_t
mapping_wirelen(const struct mapping *m)
{
	size_t	 i, len = 2;

	for (i = 0; i < m->n; i++)
		len += 4 + strlen(m->pool + m->ent[i].key) +
		    strlen(m->pool + m->ent[i].val);
	return len;
}

/*
 * One String into dst (dstsz >= 256): distinguishes running out of
 * bytes (malformed: an entry overruns the mapping size) from a NUL.
 */
static int
get_string(struct rbuf *r, char *dst, size_t *len, struct i2p_err *err)
{
	uint8_t	 n;

	if (rbuf_get_u8(r, &n) == -1 || rbuf_get_bytes(r, dst, n) == -1)
		return i2p_seterr(err, I2PE_SYNTAX, 0, "mapping");
	/* a NUL would silently cut the string short for C code */
	if (memchr(dst, '\0', n) != NULL)
		return i2p_seterr(err, I2PE_STRING, 0, "mapping");
	dst[n] = '\0';
	*len = n;
	return 0;
}

/* key=value; entry and its insertion in sorted position */
static int
mapping_parse_entry(struct mapping *m, struct rbuf *r, int flags,
    struct i2p_err *err)
{
	char	 key[MAPPING_STRMAX + 1], val[MAPPING_STRMAX + 1];
	size_t	 klen, vlen, ins;
	uint8_t	 eq, semi;

	if (get_string(r, key, &klen, err) == -1)
		return -1;
	if (rbuf_get_u8(r, &eq) == -1 || eq != '=')
		return i2p_seterr(err, I2PE_SYNTAX, 0, "mapping");
	if (get_string(r, val, &vlen, err) == -1)
		return -1;
	if (rbuf_get_u8(r, &semi) == -1 || semi != ';')
		return i2p_seterr(err, I2PE_SYNTAX, 0, "mapping");
	if (mapping_find(m, key, &ins) != -1)
		return i2p_seterr(err, I2PE_DUPKEY, 0, "mapping");
	if ((flags & MAPPING_SORTED) && ins != m->n)
		return i2p_seterr(err, I2PE_UNSORTED, 0, "mapping");
	return mapping_insert(m, ins, key, klen, val, vlen, err);
}

int
mapping_parse(struct mapping *m, struct rbuf *r, int flags,
    struct i2p_err *err)
{
	struct rbuf	 sub;
	uint16_t	 size;

	mapping_init(m);
	if (rbuf_get_u16(r, &size) == -1 || rbuf_sub(r, &sub, size) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "mapping");
	while (rbuf_left(&sub) > 0) {
		if (mapping_parse_entry(m, &sub, flags, err) == -1) {
			mapping_init(m);
			return -1;
		}
	}
	return 0;
}

int
mapping_parse_bytes(struct mapping *m, const void *data, size_t len,
    int flags, struct i2p_err *err)
{
	struct rbuf	 r;

	rbuf_init(&r, data, len);
	if (mapping_parse(m, &r, flags, err) == -1)
		return -1;
	if (rbuf_end(&r) == -1) {
		mapping_init(m);
		return i2p_seterr(err, I2PE_TRAILING, 0, "mapping");
	}
	return 0;
}

int
mapping_write(const struct mapping *m, struct wbuf *w)
{
	size_t	 i, len = mapping_wirelen(m) - 2;

	if (len > MAPPING_WIREMAX)
		return -1;
	wbuf_put_u16(w, len);
	for (i = 0; i < m->n; i++) {
		wbuf_put_str8(w, m->pool + m->ent[i].key);
		wbuf_put_u8(w, '=');
		wbuf_put_str8(w, m->pool + m->ent[i].val);
		wbuf_put_u8(w, ';');
	}
	return wbuf_error(w);
}
