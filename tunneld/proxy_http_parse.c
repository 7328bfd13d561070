/*
 * HTTP/1.x request and response heads (RFC 9112), as the proxy and the
 * server tunnels receive them from clients, browsers and servers.
 *
 * Where we are stricter than a browser-facing server might be, and why:
 *   - lines end in CRLF; a bare CR or LF is refused: lenient line
 *     endings are how request smuggling starts (RFC 9112 2.2);
 *   - obs-fold (a line starting with SP or HTAB) and whitespace before
 *     the colon are refused, as RFC 9112 5.1 and 5.2 tell a proxy to;
 *   - NUL and other control characters are refused everywhere but HTAB
 *     in values: a NUL would cut a string short further on;
 *   - Content-Length must be one header with one decimal value, and
 *     not beside Transfer-Encoding: two framings is a smuggling attempt;
 *   - a request Transfer-Encoding must end in chunked (RFC 9112 6.3)
 *     and come in HTTP/1.1 (6.1); a response's that does not is read
 *     until the connection closes.
 */
#include <bsd/string.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proxy_http.h"

struct head_rd {
	struct rbuf		 rb;
	struct phttp_head	*h;
	struct phttp_err	*err;
	size_t			 used;	/* bytes of h->store */
};

static int
fail(struct phttp_err *err, int status, const char *why)
{
	err->status = status;
	err->why = why;
	return PHTTP_ERR;
}

/*
 * The length of the next line, CRLF included, without consuming it:
 * PHTTP_OK, PHTTP_MORE if the input ends first, PHTTP_ERR on a bare CR
 * or LF or a line over the limit (toolong is the status to answer).
 */
static int
line_len(struct head_rd *r, size_t *len, int toolong)
{
	struct rbuf	 peek = r->rb;
	uint8_t		 c, prev = 0;
	size_t		 n = 0;

	while (rbuf_get_u8(&peek, &c) == 0) {
		n++;
		if (c == '\n' && prev != '\r')
			return fail(r->err, 400, "bare LF");
		if (prev == '\r' && c != '\n')
			return fail(r->err, 400, "bare CR");
		if (n > PROXY_HTTP_LINE_MAX + 2)
			return fail(r->err, toolong, "line too long");
		if (c == '\n') {
			*len = n;
			return PHTTP_OK;
		}
		prev = c;
	}
	return PHTTP_MORE;
}

/* the next line, as a NUL-terminated string in the store */
static int
next_line(struct head_rd *r, char **line, int toolong)
{
	const uint8_t	*p;
	size_t		 len;
	int		 rv;

	if ((rv = line_len(r, &len, toolong)) != PHTTP_OK)
		return rv;
	if (r->rb.off + len > PROXY_HTTP_HEAD_MAX)
		return fail(r->err, 431, "head too long");
	if (rbuf_get_ptr(&r->rb, &p, len) == -1)
		return fail(r->err, 400, "short line");
	if (memchr(p, '\0', len) != NULL)
		return fail(r->err, 400, "NUL in head");
	/* head bytes fit in the store: the CRLF pays for the NUL */
	*line = r->h->store + r->used;
	memcpy(*line, p, len - 2);
	(*line)[len - 2] = '\0';
	r->used += len - 1;
	return PHTTP_OK;
}

static int
is_tchar(int c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) !=
	    NULL);
}

static int
is_token(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!is_tchar((unsigned char)*s))
			return 0;
	return 1;
}

/* field-value characters: VCHAR, obs-text, SP, HTAB */
static int
is_value(const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char	c = *s;

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;
	}
	return 1;
}

/* "HTTP/1.0" or "HTTP/1.1"; 505 for other versions */
static int
parse_version(const char *v, struct phttp_head *h, struct phttp_err *err)
{
	if (strncmp(v, "HTTP/", 5) != 0 || !isdigit((unsigned char)v[5]) ||
	    v[6] != '.' || !isdigit((unsigned char)v[7]) || v[8] != '\0')
		return fail(err, 400, "malformed version");
	if (v[5] != '1' || (v[7] != '0' && v[7] != '1'))
		return fail(err, 505, "version not supported");
	h->minor = v[7] - '0';
	return 0;
}

static int
known_method(const char *m)
{
	static const char	*const methods[] = { "GET", "HEAD", "POST",
	    "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH" };
	size_t			 i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(m, methods[i]) == 0)
			return 1;
	return 0;
}

/* method SP request-target SP HTTP-version: exactly single spaces */
static int
request_line(char *line, struct phttp_head *h, struct phttp_err *err)
{
	char	*sp1, *sp2;

	if ((sp1 = strchr(line, ' ')) == NULL ||
	    (sp2 = strchr(sp1 + 1, ' ')) == NULL || strchr(sp2 + 1, ' '))
		return fail(err, 400, "malformed request line");
	*sp1 = *sp2 = '\0';
	h->method = line;
	h->target = sp1 + 1;
	if (!is_token(h->method))
		return fail(err, 400, "malformed method");
	if (*h->target == '\0' || !is_value(h->target) ||
	    strchr(h->target, '\t') != NULL)
		return fail(err, 400, "malformed target");
	if (parse_version(sp2 + 1, h, err) == -1)
		return PHTTP_ERR;
	if (!known_method(h->method))
		return fail(err, 501, "unknown method");
	return 0;
}

/* HTTP-version SP 3DIGIT [SP reason]; the reason may be missing */
static int
status_line(char *line, struct phttp_head *h, struct phttp_err *err)
{
	char	*sp, *code;

	if ((sp = strchr(line, ' ')) == NULL)
		return fail(err, 400, "malformed status line");
	*sp = '\0';
	if (parse_version(line, h, err) == -1)
		return PHTTP_ERR;
	code = sp + 1;
	if (!isdigit((unsigned char)code[0]) ||
	    !isdigit((unsigned char)code[1]) ||
	    !isdigit((unsigned char)code[2]) ||
	    (code[3] != '\0' && code[3] != ' ') || code[0] == '0')
		return fail(err, 400, "malformed status code");
	h->status = (code[0] - '0') * 100 + (code[1] - '0') * 10 +
	    (code[2] - '0');
	h->reason = code[3] == '\0' ? code + 3 : code + 4;
	if (!is_value(h->reason))
		return fail(err, 400, "malformed reason");
	return 0;
}

static char *
trim(char *s)
{
	size_t	n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static int
header_line(char *line, struct phttp_head *h, struct phttp_err *err)
{
	char	*colon;

	if (line[0] == ' ' || line[0] == '\t')
		return fail(err, 400, "obs-fold");
	if ((colon = strchr(line, ':')) == NULL)
		return fail(err, 400, "header without colon");
	*colon = '\0';
	if (!is_token(line))
		return fail(err, 400, "malformed header name");
	if (!is_value(colon + 1))
		return fail(err, 400, "control character in header");
	if (h->nhdrs == PROXY_HTTP_HDRS_MAX)
		return fail(err, 431, "too many headers");
	h->hdrs[h->nhdrs].name = line;
	h->hdrs[h->nhdrs].value = trim(colon + 1);
	h->nhdrs++;
	return 0;
}

/* the start line, then headers up to the empty line */
static int
read_head(struct head_rd *r)
{
	char	*line;
	int	 rv;

	if ((rv = next_line(r, &line, r->h->request ? 414 : 400)) !=
	    PHTTP_OK)
		return rv;
	if (line[0] == '\0')
		return fail(r->err, 400, "empty start line");
	if ((r->h->request ? request_line(line, r->h, r->err) :
	    status_line(line, r->h, r->err)) == PHTTP_ERR)
		return PHTTP_ERR;
	for (;;) {
		if ((rv = next_line(r, &line, 431)) != PHTTP_OK)
			return rv;
		if (line[0] == '\0')
			break;
		if (header_line(line, r->h, r->err) == PHTTP_ERR)
			return PHTTP_ERR;
	}
	r->h->head_len = r->rb.off;
	return PHTTP_OK;
}

/* 1*DIGIT that fits in 63 bits */
static int
parse_length(const char *s, uint64_t *len)
{
	uint64_t	v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s) || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*len = v;
	return 0;
}

/* 1 if the last transfer coding of the header is chunked */
static int
last_chunked(const char *te)
{
	const char	*last = strrchr(te, ',');
	char		 buf[16];

	last = last == NULL ? te : last + 1;
	while (*last == ' ' || *last == '\t')
		last++;
	if (strlen(last) >= sizeof(buf))
		return 0;
	strlcpy(buf, last, sizeof(buf));
	trim(buf);
	return strcasecmp(buf, "chunked") == 0;
}

/* Content-Length and Transfer-Encoding into h->body */
static int
framing(struct phttp_head *h, struct phttp_err *err)
{
	size_t		 ncl = phttp_header_count(h, "Content-Length");
	size_t		 nte = phttp_header_count(h, "Transfer-Encoding");

	if (ncl > 1 || (ncl == 1 && nte > 0))
		return fail(err, 400, "conflicting body framing");
	if (nte > 0) {
		/* RFC 9112 6.1: in HTTP/1.0 the framing is faulty */
		if (nte == 1 && h->minor == 1 && last_chunked(phttp_header(h,
		    "Transfer-Encoding")))
			h->body = PHTTP_BODY_CHUNKED;
		else if (h->request)
			return fail(err, 400, "transfer coding not chunked");
		else
			h->body = PHTTP_BODY_CLOSE;
		return 0;
	}
	if (ncl == 1) {
		if (parse_length(phttp_header(h, "Content-Length"),
		    &h->content_length) == -1)
			return fail(err, 400, "malformed Content-Length");
		h->body = h->content_length == 0 ? PHTTP_BODY_NONE :
		    PHTTP_BODY_LENGTH;
		return 0;
	}
	h->body = h->request ? PHTTP_BODY_NONE : PHTTP_BODY_CLOSE;
	return 0;
}

static void
keep_alive(struct phttp_head *h)
{
	if (h->minor == 1)
		h->keep_alive = !phttp_header_has(h, "Connection", "close");
	else
		h->keep_alive = phttp_header_has(h, "Connection",
		    "keep-alive");
	/* a body that ends with the connection ends it */
	if (h->body == PHTTP_BODY_CLOSE)
		h->keep_alive = 0;
}

static int
parse(const void *data, size_t len, struct phttp_head *h,
    struct phttp_err *err)
{
	struct head_rd	 r;
	int		 rv;

	r.h = h;
	r.err = err;
	r.used = 0;
	rbuf_init(&r.rb, data, len);
	h->nhdrs = 0;
	h->head_len = 0;
	h->content_length = 0;
	err->status = 0;
	err->why = NULL;
	if ((rv = read_head(&r)) == PHTTP_MORE && len >= PROXY_HTTP_HEAD_MAX)
		return fail(err, 431, "head too long");
	return rv;
}

int
phttp_req_parse(const void *data, size_t len, struct phttp_head *h,
    struct phttp_err *err)
{
	int	rv;

	memset(h, 0, offsetof(struct phttp_head, store));
	h->request = 1;
	if ((rv = parse(data, len, h, err)) != PHTTP_OK)
		return rv;
	if (phttp_header_count(h, "Host") > 1 ||
	    (h->minor == 1 && phttp_header_count(h, "Host") == 0))
		return fail(err, 400, "Host missing or repeated");
	if (framing(h, err) == -1)
		return PHTTP_ERR;
	keep_alive(h);
	return PHTTP_OK;
}

int
phttp_resp_parse(const void *data, size_t len, int head_req,
    struct phttp_head *h, struct phttp_err *err)
{
	int	rv;

	memset(h, 0, offsetof(struct phttp_head, store));
	h->request = 0;
	if ((rv = parse(data, len, h, err)) != PHTTP_OK)
		return rv;
	if (framing(h, err) == -1)
		return PHTTP_ERR;
	/* RFC 9112 6.3: these never have a body, whatever they say */
	if (head_req || h->status / 100 == 1 || h->status == 204 ||
	    h->status == 304) {
		h->body = PHTTP_BODY_NONE;
		h->content_length = 0;
	}
	keep_alive(h);
	return PHTTP_OK;
}

const char *
phttp_header(const struct phttp_head *h, const char *name)
{
	size_t	i;

	for (i = 0; i < h->nhdrs; i++)
		if (strcasecmp(h->hdrs[i].name, name) == 0)
			return h->hdrs[i].value;
	return NULL;
}

size_t
phttp_header_count(const struct phttp_head *h, const char *name)
{
	size_t	i, n = 0;

	for (i = 0; i < h->nhdrs; i++)
		if (strcasecmp(h->hdrs[i].name, name) == 0)
			n++;
	return n;
}

/* 1 if the comma-separated list s holds token, any case */
static int
list_has(const char *s, const char *token)
{
	size_t	tl = strlen(token), n;

	while (*s != '\0') {
		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		n = strcspn(s, ", \t");
		if (n == tl && strncasecmp(s, token, n) == 0)
			return 1;
		s += n;
		while (*s != '\0' && *s != ',')
			s++;
	}
	return 0;
}

int
phttp_header_has(const struct phttp_head *h, const char *name,
    const char *token)
{
	size_t	i;

	for (i = 0; i < h->nhdrs; i++)
		if (strcasecmp(h->hdrs[i].name, name) == 0 &&
		    list_has(h->hdrs[i].value, token))
			return 1;
	return 0;
}

const char *
phttp_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 302: return "Found";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 407: return "Proxy Authentication Required";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	case 505: return "HTTP Version Not Supported";
	}
	return "Error";
}
