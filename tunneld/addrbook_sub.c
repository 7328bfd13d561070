/*
 * A subscription: its URL (an http:// URL on an I2P host, fetched over
 * I2P by the fetcher), the validators of its last answer for a
 * conditional GET (If-None-Match with the ETag, If-Modified-Since with
 * the Last-Modified date, so an unchanged feed costs one short answer),
 * when it was fetched and what applying it did.  The state lives in a
 * small file per subscription named after a hash of the URL, written
 * atomically like the books, so a restart neither refetches everything
 * nor forgets the counts shown.
 */
#include <bsd/string.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrbook.h"
#include "file.h"
#include "proxy_http.h"

#define AB_USER_AGENT	"MYOB/6.66 (AN/ON)"	/* the I2P proxies' own */

/* printable ASCII without spaces where asked: no header injection */
static int
text_ok(const char *s, int spaces)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 + !spaces || *s > 0x7e)
			return 0;
	return 1;
}

int
ab_sub_init(struct ab_sub *s, const char *url, const char **why)
{
	memset(s, 0, sizeof(*s));
	if (sub_url_check(url, why) == -1)
		return -1;
	strlcpy(s->url, url, sizeof(s->url));
	return 0;
}

/*
 * To the HTTP proxy, in absolute form.  HTTP/1.0, so that the answer
 * is never chunked: it ends with its Content-Length or the connection.
 */
int
ab_sub_request(const struct ab_sub *s, const char *auth, char *buf,
    size_t sz)
{
	char		 host[SUB_URL_MAX + 1];
	const char	*path, *why;
	int		 n;

	if (sub_url_split(s->url, host, sizeof(host), &path, &why) == -1)
		return -1;
	n = snprintf(buf, sz, "GET %s HTTP/1.0\r\nHost: %s\r\n"
	    "User-Agent: " AB_USER_AGENT "\r\nAccept-Encoding: identity\r\n"
	    "%s%s%s%s%s%s%s%s%sConnection: close\r\n\r\n", s->url, host,
	    s->etag[0] ? "If-None-Match: " : "", s->etag,
	    s->etag[0] ? "\r\n" : "",
	    s->lastmod[0] ? "If-Modified-Since: " : "", s->lastmod,
	    s->lastmod[0] ? "\r\n" : "",
	    auth != NULL ? "Proxy-Authorization: Basic " : "",
	    auth != NULL ? auth : "", auth != NULL ? "\r\n" : "");
	return n < 0 || (size_t)n >= sz ? -1 : n;
}

/* a validator from a response header, dropped if unusable */
static void
keep(char *dst, size_t sz, const char *val)
{
	dst[0] = '\0';
	if (val != NULL && strlen(val) < sz && text_ok(val, 1))
		strlcpy(dst, val, sz);
}

void
ab_sub_answered(struct ab_sub *s, int status, const char *etag,
    const char *lastmod, time_t now, const struct ab_counts *c)
{
	s->fetched = now;
	s->status = status;
	if (status == 304) {
		/* the validators stand; a server may refresh them */
		if (etag != NULL)
			keep(s->etag, sizeof(s->etag), etag);
		if (lastmod != NULL)
			keep(s->lastmod, sizeof(s->lastmod), lastmod);
		return;
	}
	if (status != 200)
		return;
	keep(s->etag, sizeof(s->etag), etag);
	keep(s->lastmod, sizeof(s->lastmod), lastmod);
	if (c == NULL)
		return;
	s->added = c->added;
	s->conflicts = c->conflicts;
	s->bad = ab_counts_bad(c);
	s->applied = c->applied;
	s->refused = ab_counts_refused(c);
}

int
ab_sub_file(const struct ab_sub *s, char *buf, size_t sz)
{
	uint8_t	h[SHA256_LEN];
	int	n;

	if (sha256(h, s->url, strlen(s->url)) == -1)
		return -1;
	n = snprintf(buf, sz, "sub-%02x%02x%02x%02x%02x%02x%02x%02x.txt",
	    h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

/* the state file: "key value" lines, each key at most once */
enum { F_STR, F_I64, F_INT, F_U32 };

#define FIELD(k, t, m) { k, t, offsetof(struct ab_sub, m), \
	sizeof(((struct ab_sub *)0)->m) }

static const struct field {
	const char	*key;
	int		 type;
	size_t		 off;
	size_t		 sz;
} fields[] = {
	FIELD("url", F_STR, url),
	FIELD("etag", F_STR, etag),
	FIELD("last-modified", F_STR, lastmod),
	FIELD("fetched", F_I64, fetched),
	FIELD("status", F_INT, status),
	FIELD("added", F_U32, added),
	FIELD("conflicts", F_U32, conflicts),
	FIELD("bad", F_U32, bad),
	FIELD("applied", F_U32, applied),
	FIELD("refused", F_U32, refused)
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

static long long
field_num(const struct ab_sub *s, const struct field *f)
{
	const char	*p = (const char *)s + f->off;

	switch (f->type) {
	case F_I64:
		return *(const int64_t *)(const void *)p;
	case F_INT:
		return *(const int *)(const void *)p;
	default:
		return *(const uint32_t *)(const void *)p;
	}
}

int
ab_sub_encode(const struct ab_sub *s, struct wbuf *w)
{
	char		 num[32];
	const char	*str;
	size_t		 i;

	for (i = 0; i < NFIELDS; i++) {
		if (fields[i].type == F_STR) {
			str = (const char *)s + fields[i].off;
			if (*str == '\0')
				continue;
		} else {
			snprintf(num, sizeof(num), "%lld",
			    field_num(s, &fields[i]));
			str = num;
		}
		wbuf_put_bytes(w, fields[i].key, strlen(fields[i].key));
		wbuf_put_u8(w, ' ');
		wbuf_put_bytes(w, str, strlen(str));
		wbuf_put_u8(w, '\n');
	}
	return wbuf_error(w);
}

/* a decimal number in [min, max], nothing else */
static int
parse_num(const char *v, long long min, long long max, long long *out)
{
	char	*end;

	if (*v == '\0' || strspn(v, "-0123456789") != strlen(v) ||
	    strlen(v) > 20)
		return -1;
	*out = strtoll(v, &end, 10);
	return *end == '\0' && *out >= min && *out <= max ? 0 : -1;
}

static int
field_set(struct ab_sub *s, const struct field *f, const char *v)
{
	char		*p = (char *)s + f->off;
	long long	 n;

	switch (f->type) {
	case F_STR:
		if (strlen(v) >= f->sz || *v == '\0')
			return -1;
		strlcpy(p, v, f->sz);
		return 0;
	case F_I64:
		if (parse_num(v, 0, INT64_MAX, &n) == -1)
			return -1;
		*(int64_t *)(void *)p = n;
		return 0;
	case F_INT:
		if (parse_num(v, 0, 999, &n) == -1)
			return -1;
		*(int *)(void *)p = n;
		return 0;
	default:
		if (parse_num(v, 0, UINT32_MAX, &n) == -1)
			return -1;
		*(uint32_t *)(void *)p = n;
		return 0;
	}
}

/* one "key value" line; seen marks the keys already read */
static int
decode_line(struct ab_sub *s, const uint8_t *p, size_t n, int seen[],
    const char **why)
{
	char		 buf[AB_LINE_MAX + 1], *v;
	struct rbuf	 r;
	size_t		 i;

	*why = "control byte or not text";
	rbuf_init(&r, p, n);
	if (rbuf_get_bytes(&r, buf, n) == -1)
		return -1;
	buf[n] = '\0';
	if (strlen(buf) != n || !text_ok(buf, 1))
		return -1;
	*why = "not \"key value\"";
	if ((v = strchr(buf, ' ')) == NULL)
		return -1;
	*v++ = '\0';
	for (i = 0; i < NFIELDS; i++)
		if (strcmp(buf, fields[i].key) == 0)
			break;
	*why = "unknown or repeated key";
	if (i == NFIELDS || seen[i]++)
		return -1;
	*why = "bad value";
	return field_set(s, &fields[i], v);
}

int
ab_sub_decode(struct ab_sub *s, const uint8_t *buf, size_t len,
    const char **why)
{
	struct ab_sub	 t;
	struct rbuf	 r;
	const uint8_t	*p;
	size_t		 n;
	int		 rc, seen[NFIELDS] = { 0 };

	memset(s, 0, sizeof(*s));
	rbuf_init(&r, buf, len);
	while ((rc = ab_next_line(&r, &p, &n)) != 1) {
		*why = "line too long";
		if (rc == -1 || decode_line(s, p, n, seen, why) == -1) {
			memset(s, 0, sizeof(*s));
			return -1;
		}
	}
	if (ab_sub_init(&t, s->url, why) == -1) {
		memset(s, 0, sizeof(*s));
		return -1;
	}
	return 0;
}

int
ab_sub_save(const struct ab_sub *s, const char *dir)
{
	uint8_t		buf[AB_SUB_FILE_MAX];
	char		name[64], path[1024];
	struct wbuf	w;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (ab_sub_file(s, name, sizeof(name)) == -1 ||
	    ab_sub_encode(s, &w) == -1 ||
	    snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path))
		return -1;
	return file_write_atomic(path, wbuf_data(&w), wbuf_len(&w), 0600,
	    FILE_SYNC_DIR);
}

int
ab_sub_load(struct ab_sub *s, const char *dir, const char *url, char *err,
    size_t errlen)
{
	char		 name[64], path[1024];
	uint8_t		*buf;
	size_t		 len;
	const char	*why;
	int		 rv = -1;

	if (ab_sub_init(s, url, &why) == -1) {
		snprintf(err, errlen, "%s: %s", url, why);
		return -1;
	}
	if (ab_sub_file(s, name, sizeof(name)) == -1 ||
	    snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	if (ab_slurp(path, AB_SUB_FILE_MAX, &buf, &len, err, errlen) == -1)
		return -1;
	if (buf == NULL)
		return 1;
	if (ab_sub_decode(s, buf, len, &why) == -1)
		snprintf(err, errlen, "%s: %s", path, why);
	else if (strcmp(s->url, url) != 0)
		snprintf(err, errlen, "%s: holds another URL", path);
	else
		rv = 0;
	if (rv == -1)
		ab_sub_init(s, url, &why);
	free(buf);
	return rv;
}

int
ab_answer_parse(const uint8_t *buf, size_t len, struct ab_answer *a,
    const char **why)
{
	struct phttp_head	*h;
	struct phttp_err	 err;
	const char		*v;
	size_t			 rest;
	int			 rv = -1;

	memset(a, 0, sizeof(*a));
	if ((h = malloc(sizeof(*h))) == NULL) {
		*why = "out of memory";
		return -1;
	}
	switch (phttp_resp_parse(buf, len, 0, h, &err)) {
	case PHTTP_OK:
		break;
	case PHTTP_MORE:
		*why = "the answer ended inside its head";
		goto done;
	default:
		*why = err.why;
		goto done;
	}
	a->status = h->status;
	if ((v = phttp_header(h, "ETag")) != NULL)
		keep(a->etag, sizeof(a->etag), v);
	if ((v = phttp_header(h, "Last-Modified")) != NULL)
		keep(a->lastmod, sizeof(a->lastmod), v);
	a->body_off = h->head_len;
	rest = len - h->head_len;
	switch (h->body) {
	case PHTTP_BODY_NONE:
		break;
	case PHTTP_BODY_LENGTH:
		*why = "the body is shorter than its Content-Length";
		if (h->content_length > rest)
			goto done;
		a->body_len = h->content_length;
		break;
	case PHTTP_BODY_CLOSE:
		a->body_len = rest;
		break;
	case PHTTP_BODY_CHUNKED:
		/* asked as HTTP/1.0: a chunked answer breaks the protocol */
		*why = "a chunked answer to an HTTP/1.0 request";
		goto done;
	}
	rv = 0;
done:
	free(h);
	return rv;
}
