/*
 * Where a proxy request goes: its target (RFC 9112 3.2) and the kind of
 * host it names (naming.html: names, b32, full destinations).
 *
 * Choices, and why:
 *   - userinfo in an http URI is refused: RFC 9110 4.2.4 forbids
 *     sending it and it is a phishing trick ("http://bank@evil.i2p/");
 *   - only http:// in absolute-form: https goes through CONNECT;
 *   - a host is a reg-name of letters, digits, "-._~=" (the I2P base64
 *     alphabet and padding included) or a bracketed IPv6 literal;
 *     percent-encoding and other sub-delims in hosts are refused.
 */
#include <arpa/inet.h>

#include <bsd/string.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proxy_http.h"

/* the base64 length of the smallest destination (387 bytes) */
#define B64_DEST_MIN	516
/* naming.html: a host name is at most 67 characters, .i2p included */
#define NAME_MAX_LEN	67

static int
bad(struct phttp_err *err, const char *why)
{
	err->status = 400;
	err->why = why;
	return -1;
}

void
phttp_take_until(struct rbuf *rb, const char *stops, const uint8_t **p,
    size_t *n)
{
	struct rbuf	 peek = *rb;
	uint8_t		 c;

	*n = 0;
	while (rbuf_get_u8(&peek, &c) == 0 && strchr(stops, c) == NULL)
		(*n)++;
	if (rbuf_get_ptr(rb, p, *n) == -1)
		*n = 0;
}

int
phttp_next_is(struct rbuf *rb, uint8_t want)
{
	struct rbuf	 peek = *rb;
	uint8_t		 c;

	if (rbuf_get_u8(&peek, &c) == -1 || c != want)
		return 0;
	*rb = peek;
	return 1;
}

static int
reg_name_char(uint8_t c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
	    c == '=';
}

/* "[v6]": the literal without brackets */
static int
ipv6_host(struct rbuf *rb, struct phttp_target *t, struct phttp_err *err)
{
	struct in6_addr	 a;
	const uint8_t	*p;
	size_t		 n;

	phttp_take_until(rb, "]", &p, &n);
	if (!phttp_next_is(rb, ']') || n == 0 || n >= INET6_ADDRSTRLEN)
		return bad(err, "malformed IPv6 literal");
	memcpy(t->host, p, n);
	t->host[n] = '\0';
	if (inet_pton(AF_INET6, t->host, &a) != 1)
		return bad(err, "malformed IPv6 literal");
	t->ipv6 = 1;
	return 0;
}

static int
port(struct rbuf *rb, struct phttp_target *t, struct phttp_err *err)
{
	const uint8_t	*p;
	size_t		 n, i;
	unsigned long	 v = 0;

	phttp_take_until(rb, "/?#", &p, &n);
	if (n == 0)		/* "host:" is the default port */
		return 0;
	for (i = 0; i < n; i++) {
		if (!isdigit(p[i]) || i >= 5)
			return bad(err, "malformed port");
		v = v * 10 + (p[i] - '0');
	}
	if (v == 0 || v > 65535)
		return bad(err, "port out of range");
	t->port = v;
	t->has_port = 1;
	return 0;
}

/* host[:port] up to "/", "?", "#" or the end */
static int
authority(struct rbuf *rb, struct phttp_target *t, struct phttp_err *err)
{
	const uint8_t	*p;
	size_t		 n, i;

	t->port = 80;
	t->has_port = t->ipv6 = 0;
	if (phttp_next_is(rb, '[')) {
		if (ipv6_host(rb, t, err) == -1)
			return -1;
	} else {
		phttp_take_until(rb, ":/?#@", &p, &n);
		if (n == 0 || n > PROXY_HTTP_HOST_MAX)
			return bad(err, "malformed host");
		for (i = 0; i < n; i++)
			if (!reg_name_char(p[i]))
				return bad(err, "malformed host");
		memcpy(t->host, p, n);
		t->host[n] = '\0';
	}
	if (phttp_next_is(rb, '@'))
		return bad(err, "userinfo in URI");
	if (phttp_next_is(rb, ':') && port(rb, t, err) == -1)
		return -1;
	return 0;
}

/* the rest of rb as the origin-form path: "/" if empty or a query */
static int
path(struct rbuf *rb, struct phttp_target *t, struct phttp_err *err)
{
	const uint8_t	*p;
	size_t		 n = rbuf_left(rb), off = 0;

	if (rbuf_get_ptr(rb, &p, n) == -1)
		return bad(err, "short target");
	if (memchr(p, '#', n) != NULL)
		return bad(err, "fragment in target");
	if (n > 0 && p[0] != '/' && p[0] != '?')
		return bad(err, "malformed path");
	if (n == 0 || p[0] == '?')
		t->path[off++] = '/';
	if (off + n >= sizeof(t->path))
		return bad(err, "path too long");
	memcpy(t->path + off, p, n);
	t->path[off + n] = '\0';
	return 0;
}

static int
absolute_form(struct rbuf *rb, struct phttp_target *t,
    struct phttp_err *err)
{
	const uint8_t	*p;

	if (rbuf_get_ptr(rb, &p, 7) == -1 ||
	    strncasecmp((const char *)p, "http://", 7) != 0)
		return bad(err, "not an http URI");
	t->absolute = 1;
	if (authority(rb, t, err) == -1)
		return -1;
	return path(rb, t, err);
}

/* authority-form: host:port and nothing else, the port required */
static int
connect_form(struct rbuf *rb, struct phttp_target *t,
    struct phttp_err *err)
{
	t->connect = 1;
	if (authority(rb, t, err) == -1)
		return -1;
	if (!t->has_port || rbuf_left(rb) != 0)
		return bad(err, "CONNECT needs host:port");
	t->path[0] = '\0';
	return 0;
}

/* origin-form: the path, and the host from the Host header */
static int
origin_form(const struct phttp_head *h, struct rbuf *rb,
    struct phttp_target *t, struct phttp_err *err)
{
	struct rbuf	 hrb;
	const char	*host;

	if ((host = phttp_header(h, "Host")) == NULL || *host == '\0')
		return bad(err, "no host");
	rbuf_init(&hrb, host, strlen(host));
	if (authority(&hrb, t, err) == -1)
		return -1;
	if (rbuf_left(&hrb) != 0)
		return bad(err, "malformed Host");
	return path(rb, t, err);
}

int
phttp_target_parse(const struct phttp_head *h, struct phttp_target *t,
    struct phttp_err *err)
{
	struct rbuf	 rb;

	memset(t, 0, offsetof(struct phttp_target, path));
	t->path[0] = '\0';
	rbuf_init(&rb, h->target, strlen(h->target));
	if (strcmp(h->method, "CONNECT") == 0)
		return connect_form(&rb, t, err);
	if (h->target[0] == '/')
		return origin_form(h, &rb, t, err);
	return absolute_form(&rb, t, err);
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t	n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* X.b32.i2p: 52 base32 chars for a hash, 56 and more for a b33 */
static int
classify_b32(struct phttp_host *out, size_t n)
{
	uint8_t	 buf[PROXY_HTTP_HOST_MAX];
	int	 len;

	out->kind = PHTTP_HOST_B32;
	if (n == 52)
		return b32_decode(out->hash, sizeof(out->hash), out->name,
		    n) == I2P_HASH_LEN ? 0 : -1;
	if (n < 56)
		return -1;
	len = b32_decode(buf, sizeof(buf), out->name, n);
	out->blinded = 1;
	return len >= 35 ? 0 : -1;
}

/* a full destination in base64, the .i2p suffix already cut */
static int
classify_b64(const char *s, size_t n, struct phttp_host *out)
{
	char	 b64[PROXY_HTTP_HOST_MAX + 1];

	if (n >= sizeof(b64))
		return -1;
	memcpy(b64, s, n);
	b64[n] = '\0';
	if (ident_from_b64(&out->dest, b64, IDENT_DEST, NULL) == -1)
		return -1;
	out->kind = PHTTP_HOST_B64;
	memcpy(out->hash, out->dest.hash, sizeof(out->hash));
	return 0;
}

static int
b64_chars(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '~' && s[i] != '=')
			return 0;
	return 1;
}

/* labels of [a-z0-9-], not empty, no hyphen at either end */
static int
valid_name(const char *s)
{
	size_t	len = strlen(s), i, label = 0;

	if (len > NAME_MAX_LEN)
		return 0;
	for (i = 0; i <= len; i++) {
		if (s[i] == '.' || s[i] == '\0') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (label == 0 && s[i] == '-')
			return 0;
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '-')
			return 0;
		label++;
	}
	return 1;
}

int
phttp_host_classify(const char *host, struct phttp_host *out)
{
	size_t	n = strlen(host), i;

	memset(out, 0, sizeof(*out));
	if (n == 0 || n > PROXY_HTTP_HOST_MAX)
		return -1;
	if (b64_chars(host, has_suffix(host, ".i2p") ? n - 4 : n) &&
	    n >= B64_DEST_MIN) {
		strlcpy(out->name, host, sizeof(out->name));
		return classify_b64(host, has_suffix(host, ".i2p") ? n - 4 :
		    n, out);
	}
	for (i = 0; i <= n; i++)
		out->name[i] = tolower((unsigned char)host[i]);
	if (has_suffix(out->name, ".b32.i2p"))
		return classify_b32(out, n - 8);
	if (!has_suffix(out->name, ".i2p")) {
		out->kind = PHTTP_HOST_OTHER;
		return 0;
	}
	out->kind = PHTTP_HOST_NAME;
	return valid_name(out->name) ? 0 : -1;
}

int
phttp_same_origin(const char *uri, const struct phttp_target *t)
{
	struct phttp_target	*o;
	struct phttp_err	 err;
	struct rbuf		 rb;
	const uint8_t		*p;
	int			 same;

	rbuf_init(&rb, uri, strlen(uri));
	if (rbuf_get_ptr(&rb, &p, 7) == -1 ||
	    strncasecmp((const char *)p, "http://", 7) != 0)
		return 0;
	/* a target is big (its path): not on the stack */
	if ((o = malloc(sizeof(*o))) == NULL)
		return 0;
	same = authority(&rb, o, &err) == 0 && o->port == t->port &&
	    o->ipv6 == t->ipv6 && strcasecmp(o->host, t->host) == 0;
	free(o);
	return same;
}
