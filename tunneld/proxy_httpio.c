/*
 * HTTP tunnels (proxy.h) on proxy_http.c's message layer.
 *
 * The HTTP proxy reads the browser's request (PC_GREET), answers
 * errors with pages that say what happened, sends the request on
 * rewritten (no identifying headers, Connection: close) and rewrites
 * the response's head; CONNECT to an I2P host becomes a raw stream.
 * A host outside I2P goes to the tunnel's outproxy if it has one (an
 * HTTP proxy: the request in absolute-form, CONNECT as CONNECT, whose
 * answer decides), else gets the 503 page.
 * An HTTP server tunnel rewrites the request it hands its server
 * (X-I2P-* of the peer, Host) and the response's head.
 *
 * Each direction carries one message: a head, rewritten, then the
 * body as its framing says; what comes after it is dropped and the
 * direction ends (filter result 1), so that a second request on one
 * stream cannot pass unrewritten, as the Java router's HTTP server
 * takes one request per socket.  1xx responses are followed by the
 * real one.  A head is held (at most PROXY_HTTP_HEAD_MAX) in a buffer
 * that exists only until it is complete.
 *
 * Keep-alive with the browser: once a response whose end was known
 * (Content-Length, chunked, none) has gone whole after a request that
 * asked for it and came alone, the connection reads the next request,
 * which gets a stream of its own (p_again); HTTP_REQUESTS_MAX requests
 * at most, and PROXY_GREET_WAIT idle between them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <bsd/string.h>
#include <stdio.h>

#include "addrbook.h"
#include "log.h"
#include "proxy_http.h"
#include "proxy_int.h"

#define HTTP_CHUNK	8192
#define HTTP_BUF	32768
/*
 * Keep-alive with the browser: requests taken on one connection; an
 * idle one waits PROXY_GREET_WAIT for its next request
 */
#define HTTP_REQUESTS_MAX	100
_Static_assert(PROXY_HTTP_HEAD_MAX + PROXY_HTTP_ADD_MAX + HTTP_CHUNK <=
    HTTP_BUF, "a rewritten head and a chunk beyond the buffer");

enum hf_state {
	HF_HEAD,		/* a head is coming */
	HF_BODY,		/* its body, as framed */
	HF_DONE,		/* the message is through: the rest goes */
	HF_RAW			/* CONNECT, 101: bytes as they are */
};

struct hflow {
	enum hf_state	 state;
	uint8_t		*held;		/* HF_HEAD: the head so far */
	size_t		 heldlen;
	enum phttp_body	 body;
	uint64_t	 left;		/* PHTTP_BODY_LENGTH */
	struct phttp_chunk chunk;
	int		 connect;	/* a CONNECT's answer: 2xx is raw */
	int		 extra;		/* bytes after the message went */
};

struct http_state {
	struct hflow	 req, resp;
	int		 head_req;	/* the request was HEAD */
	int		 connect;	/* CONNECT: raw once open */
	int		 outproxy;	/* the stream is to the outproxy */
	int		 keep_alive;	/* the browser's request asked */
	int		 resp_keep;	/* ... and the response can */
	char		 host[PROXY_HTTP_HOST_MAX + 1];	/* for pages */
	/* kept from one request of a connection to the next */
	unsigned	 requests;
};

/* a head parsed: rewrite it into out */
typedef int (*hrewrite)(struct proxy_conn *, const struct phttp_head *,
	    struct wbuf *);

/* the jump services of a proxy without a jump list */
static const char *const jump_urls[] = {
	"http://stats.i2p/cgi-bin/jump.cgi?a=",
	"http://i2pjump.i2p/jump/",
	"http://notbob.i2p/cgi-bin/jump.cgi?q=",
};

static void
hflow_body(struct hflow *f, const struct phttp_head *h)
{
	f->state = HF_BODY;
	f->body = h->body;
	f->left = h->content_length;
	phttp_chunk_init(&f->chunk);
}

static void
hflow_clear(struct hflow *f)
{
	if (f->held != NULL) {
		crypto_wipe(f->held, PROXY_HTTP_HEAD_MAX + HTTP_CHUNK);
		free(f->held);
	}
	f->held = NULL;
	f->heldlen = 0;
}

/* body bytes through: 1 when the message ended (the rest goes) */
static int
hflow_pass(struct hflow *f, const uint8_t *p, size_t len, struct wbuf *out)
{
	size_t	 n = len;
	int	 r = 0;

	switch (f->body) {
	case PHTTP_BODY_NONE:
		n = 0;
		r = 1;
		break;
	case PHTTP_BODY_LENGTH:
		if (n > f->left)
			n = f->left;
		f->left -= n;
		r = f->left == 0;
		break;
	case PHTTP_BODY_CHUNKED:
		if ((r = phttp_chunk_scan(&f->chunk, p, len, &n)) == -1)
			return -1;
		break;
	case PHTTP_BODY_CLOSE:
		break;
	}
	if (wbuf_put_bytes(out, p, n) == -1)
		return -1;
	if (r == 1)
		f->state = HF_DONE;
	if (r == 1 && n < len)
		f->extra = 1;
	return r;
}

/*
 * A head is complete in f->held or not yet: rewritten into out and
 * taken off the held bytes.  1xx heads but 101 are followed by the
 * real one, in a loop (a peer's run of them must not deepen the stack):
 * -1 on an error, 0 for more, 1 when the last head is through (the
 * rest of f->held then follows it, by f->state)
 */
static int
hflow_heads(struct proxy_conn *c, struct hflow *f, int request, int head_req,
    struct wbuf *out, hrewrite rw, size_t *head_len)
{
	struct phttp_head	 h;
	struct phttp_err	 err;
	int			 r;

	for (;;) {
		r = request ? phttp_req_parse(f->held, f->heldlen, &h, &err) :
		    phttp_resp_parse(f->held, f->heldlen, head_req, &h, &err);
		if (r == PHTTP_MORE)
			return f->heldlen < PROXY_HTTP_HEAD_MAX ? 0 : -1;
		if (r == PHTTP_ERR || rw(c, &h, out) == -1) {
			log_debug("tunnel %s: connection %u: %s",
			    c->p->conf.dest, c->id, r == PHTTP_ERR ? err.why :
			    "no room to rewrite");
			return -1;
		}
		hflow_body(f, &h);
		*head_len = h.head_len;
		/* the outproxy's tunnel is up: bytes as they are */
		if (f->connect && phttp_connect_ok(h.status)) {
			f->state = HF_RAW;
			return 1;
		}
		if (request || h.status >= 200)
			return 1;
		if (h.status == 101) {
			f->state = HF_RAW;
			return 1;
		}
		/* 1xx: the real response follows */
		f->state = HF_HEAD;
		memmove(f->held, f->held + h.head_len, f->heldlen - h.head_len);
		f->heldlen -= h.head_len;
		if (f->heldlen == 0)
			return 0;
	}
}

/*
 * One direction's bytes: -1 on an error, 1 when its message is through
 * (the direction ends), else 0
 */
static int
hflow_feed(struct proxy_conn *c, struct hflow *f, int request, int head_req,
    const uint8_t *p, size_t len, struct wbuf *out, hrewrite rw)
{
	size_t			 head_len, rest;
	int			 r;

	if (f->state == HF_RAW)
		return wbuf_put_bytes(out, p, len);
	if (f->state == HF_DONE) {
		f->extra |= len > 0;
		return 1;
	}
	if (f->state == HF_BODY)
		return hflow_pass(f, p, len, out);
	if (f->held == NULL &&
	    (f->held = malloc(PROXY_HTTP_HEAD_MAX + HTTP_CHUNK)) == NULL)
		return -1;
	if (len > PROXY_HTTP_HEAD_MAX + HTTP_CHUNK - f->heldlen)
		return -1;
	if (len > 0)
		memmove(f->held + f->heldlen, p, len);
	f->heldlen += len;
	if ((r = hflow_heads(c, f, request, head_req, out, rw,
	    &head_len)) != 1)
		return r;
	rest = f->heldlen - head_len;
	r = f->state == HF_RAW ? wbuf_put_bytes(out, f->held + head_len,
	    rest) : hflow_pass(f, f->held + head_len, rest, out);
	hflow_clear(f);
	return r;
}

/* the tunnel's jump list, or the default one if it gives none */
static void
jumps_of(const struct proxy_conf *pc, const char **urls,
    struct phttp_jumps *j)
{
	uint8_t	 i;

	if (!pc->jumps_set) {
		j->url = jump_urls;
		j->n = sizeof(jump_urls) / sizeof(jump_urls[0]);
		return;
	}
	for (i = 0; i < pc->njumps && i < PROXY_JUMPS_MAX; i++)
		urls[i] = pc->jumps[i];
	j->url = urls;
	j->n = i;
}

/* the page for an error into w */
static int
page_into(struct proxy_conn *c, struct wbuf *w, enum phttp_page kind,
    int status, const char *detail)
{
	struct http_state	*st = c->ps;
	const char		*urls[PROXY_JUMPS_MAX];
	struct phttp_jumps	 j;

	jumps_of(&c->p->conf, urls, &j);
	return phttp_page(w, kind, status, st->host[0] != '\0' ? st->host :
	    NULL, detail, &j);
}

/* the page for an error, to the browser; the connection then closes */
static void
page(struct proxy_conn *c, enum phttp_page kind, int status,
    const char *detail)
{
	uint8_t		*buf;
	struct wbuf	 w;

	/* as large as c->out: a jump list may make a long page */
	if ((buf = malloc(c->bufsz)) == NULL)
		return;
	wbuf_init_fixed(&w, buf, c->bufsz);
	if (page_into(c, &w, kind, status, detail) == 0)
		(void)pconn_reply(c, wbuf_data(&w), wbuf_len(&w));
	free(buf);
}

static void
h_clear(struct proxy_conn *c)
{
	struct http_state	*st = c->ps;

	hflow_clear(&st->req);
	hflow_clear(&st->resp);
}

/*
 * The browser's request, rewritten toward the server; toward an
 * outproxy, an HTTP proxy, in absolute-form, and a CONNECT as one
 */
static int
proxy_req(struct proxy_conn *c, const struct phttp_head *h,
    const struct phttp_target *t, const char *path, struct wbuf *out)
{
	struct http_state	*st = c->ps;

	if (t->connect)
		return st->outproxy ? phttp_connect_request(t, out) : 0;
	return phttp_proxy_request(h, t, path, st->outproxy, out);
}

/* where the request goes, from its host; -1 after a page */
static int
proxy_where(struct proxy_conn *c, const struct phttp_target *t)
{
	struct http_state	*st = c->ps;
	struct phttp_host	 host;

	strlcpy(st->host, t->host, sizeof(st->host));
	if (phttp_host_classify(t->host, &host) == -1) {
		page(c, PHTTP_PAGE_BAD_REQUEST, 400, "not a valid host name");
		return -1;
	}
	switch (host.kind) {
	case PHTTP_HOST_OTHER:
		if (pconn_outproxy(c) == -1) {
			page(c, PHTTP_PAGE_NO_OUTPROXY, 0, NULL);
			return -1;
		}
		st->outproxy = 1;
		return 0;
	case PHTTP_HOST_B32:
		if (host.blinded) {
			page(c, PHTTP_PAGE_UNREACHABLE, 0, "encrypted "
			    "LeaseSets (b33 addresses) are not supported");
			return -1;
		}
		c->tkind = PT_HASH;
		memcpy(c->thash, host.hash, sizeof(c->thash));
		break;
	case PHTTP_HOST_B64:
		c->tkind = PT_DEST;
		c->tdest = host.dest;
		memcpy(c->thash, host.hash, sizeof(c->thash));
		break;
	case PHTTP_HOST_NAME:
		c->tkind = PT_NAME;
		strlcpy(st->host, host.name, sizeof(st->host));
		strlcpy(c->tname, host.name, sizeof(c->tname));
		break;
	}
	c->tport = t->port;
	return 0;
}

/*
 * c->in from its head on: the rewritten request, then what came after
 * the head (the body's start, through the request's flow)
 */
static int
proxy_rewrite(struct proxy_conn *c, const struct phttp_head *h,
    const struct phttp_target *t, const char *path)
{
	struct http_state	*st = c->ps;
	uint8_t			*buf;
	struct wbuf		 w;
	int			 r;

	if ((buf = malloc(c->bufsz)) == NULL)
		return -1;
	wbuf_init_fixed(&w, buf, c->bufsz);
	r = proxy_req(c, h, t, path, &w);
	if (r == 0 && t->connect) {
		st->req.state = HF_RAW;
		r = wbuf_put_bytes(&w, c->in + h->head_len,
		    c->inlen - h->head_len);
	} else if (r == 0) {
		hflow_body(&st->req, h);
		if (hflow_pass(&st->req, c->in + h->head_len,
		    c->inlen - h->head_len, &w) == -1)
			r = -1;
	}
	if (r == 0 && !wbuf_error(&w)) {
		memcpy(c->in, wbuf_data(&w), wbuf_len(&w));
		c->inlen = wbuf_len(&w);
	} else
		r = -1;
	crypto_wipe(buf, c->bufsz);
	free(buf);
	return r;
}

static struct phttp_nonce_key	 nonce_key;
static int			 nonce_key_made;

static const struct phttp_nonce_key *
key(void)
{
	if (!nonce_key_made && phttp_nonce_key_init(&nonce_key) == 0)
		nonce_key_made = 1;
	return nonce_key_made ? &nonce_key : NULL;
}

/*
 * An address helper in the request: the books' destination for the
 * name goes on (0); another, or none, gets the confirmation page, so
 * that no page can add or change a name by itself (-1)
 */
static int
phttp_helper(struct proxy_conn *c, const struct phttp_target *t,
    const char *path, const struct i2p_ident *dest)
{
	struct http_state	*st = c->ps;
	struct i2p_ident	 known;
	char			 nonce[PROXY_HTTP_NONCE_SZ];
	char			 url[PROXY_HTTP_LINE_MAX];
	uint8_t			 buf[8192];
	struct wbuf		 w;
	int			 have;

	if (c->tkind != PT_NAME)
		return 0;
	have = proxy_resolve(st->host, &known) == 0;
	if (have && memcmp(known.hash, dest->hash, 32) == 0)
		return 0;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (key() == NULL || phttp_nonce_make(key(), st->host, dest->hash,
	    time(NULL), nonce, sizeof(nonce)) == -1 ||
	    (size_t)snprintf(url, sizeof(url), "http://%s%s", t->host,
	    path) >= sizeof(url) ||
	    phttp_page_helper(&w, st->host, dest, have ? &known : NULL,
	    nonce, url) == -1)
		page(c, PHTTP_PAGE_BAD_HELPER, 0, "the address helper "
		    "cannot be shown");
	else
		(void)pconn_reply(c, wbuf_data(&w), wbuf_len(&w));
	return -1;
}

/*
 * http://proxy.i2p/add?...: a confirmed address helper puts the name in
 * the private book and the browser goes on to the page; -1 always (the
 * answer is ours, no stream)
 */
static int
phttp_local(struct proxy_conn *c, const struct phttp_head *h,
    const struct phttp_target *t)
{
	struct phttp_confirm	 cf;
	uint8_t			 buf[PROXY_HTTP_LINE_MAX + 512];
	struct wbuf		 w;
	enum ab_put		 put;

	if (strncmp(t->path, "/add?", 5) != 0) {
		page(c, PHTTP_PAGE_FORBIDDEN, 0, "nothing here");
		return -1;
	}
	if (key() == NULL || phttp_confirm_parse(key(), t->path, time(NULL),
	    &cf) == -1) {
		page(c, PHTTP_PAGE_BAD_HELPER, 0, NULL);
		return -1;
	}
	put = ab_put(addrbook(), AB_PRIVATE, cf.name, &cf.dest, AB_REPLACE);
	if (put == AB_PUT_FULL || put == AB_PUT_ERROR) {
		page(c, PHTTP_PAGE_FORBIDDEN, 0, "the address book is full");
		return -1;
	}
	(void)addrbook_save(addrbook());
	log_info("tunnel %s: address helper: %s added to the private book",
	    c->p->conf.dest, cf.name);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (phttp_page_redirect(&w, cf.url) == 0)
		(void)pconn_reply(c, wbuf_data(&w), wbuf_len(&w));
	return -1;
}

/* PC_GREET: the browser's request */
static int
p_greet(struct proxy_conn *c)
{
	struct http_state	*st = c->ps;
	struct phttp_head	 h;
	struct phttp_target	 t;
	struct phttp_err	 err;
	char			 path[PROXY_HTTP_LINE_MAX + 2];
	struct i2p_ident	 helper;
	int			 r;

	r = phttp_req_parse(c->in, c->inlen, &h, &err);
	if (r == PHTTP_MORE && c->inlen < c->bufsz)
		return 0;
	if (r != PHTTP_OK) {
		page(c, PHTTP_PAGE_BAD_REQUEST, r == PHTTP_MORE ? 431 :
		    err.status, r == PHTTP_MORE ? "the request is too large" :
		    err.why);
		return -1;
	}
	if (c->p->conf.user[0] != '\0' && phttp_auth_check(&h,
	    c->p->conf.user, c->p->conf.password) == -1) {
		page(c, PHTTP_PAGE_AUTH, 0, NULL);
		return -1;
	}
	if (phttp_target_parse(&h, &t, &err) == -1) {
		page(c, PHTTP_PAGE_BAD_REQUEST, err.status, err.why);
		return -1;
	}
	if (strcasecmp(t.host, PROXY_HTTP_LOCAL_HOST) == 0)
		return phttp_local(c, &h, &t);
	if (proxy_where(c, &t) == -1)
		return -1;
	strlcpy(path, t.path, sizeof(path));
	if (!t.connect && !st->outproxy && (r = phttp_helper_strip(t.path, path, sizeof(path),
	    &helper)) != 0) {
		if (r == -1) {
			page(c, PHTTP_PAGE_BAD_HELPER, 0, "a malformed "
			    "address helper");
			return -1;
		}
		if (phttp_helper(c, &t, path, &helper) == -1)
			return -1;
	}
	st->head_req = strcmp(h.method, "HEAD") == 0;
	st->connect = t.connect;
	st->keep_alive = h.keep_alive && !t.connect &&
	    ++st->requests < HTTP_REQUESTS_MAX;
	if (proxy_rewrite(c, &h, &t, path) == -1) {
		page(c, PHTTP_PAGE_BAD_REQUEST, 431, "the request is too "
		    "large");
		return -1;
	}
	return 1;
}

/* the stream is open: CONNECT is answered, then bytes as they are */
static void
p_connected(struct proxy_conn *c)
{
	struct http_state	*st = c->ps;
	uint8_t			 buf[256];
	struct wbuf		 w;

	if (!st->connect)
		return;
	/* the outproxy answers our CONNECT: its answer decides */
	if (st->outproxy) {
		st->resp.connect = 1;
		return;
	}
	st->resp.state = HF_RAW;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (phttp_connect_reply(&w) == 0)
		(void)pconn_reply(c, wbuf_data(&w), wbuf_len(&w));
}

/* why the outproxy could not be had, for its page */
static const char *
outproxy_why(enum pfail why)
{
	switch (why) {
	case PF_UNKNOWN_HOST:
		return "the outproxy's name is not in the address book";
	case PF_NOT_FOUND:
		return "the outproxy's LeaseSet was not found";
	case PF_TIMEOUT:
		return "the outproxy did not answer in time";
	case PF_NO_DEST:
		return "the proxy's destination has no tunnels yet";
	case PF_LIMIT:
		return "over a stream limit";
	default:
		return "the outproxy did not answer through its tunnels";
	}
}

static void
p_failed(struct proxy_conn *c, enum pfail why)
{
	struct http_state	*st = c->ps;

	if (st->outproxy) {
		page(c, PHTTP_PAGE_OUTPROXY, 0, outproxy_why(why));
		return;
	}
	switch (why) {
	case PF_UNKNOWN_HOST:
		page(c, PHTTP_PAGE_UNKNOWN_HOST, 0, NULL);
		break;
	case PF_NOT_FOUND:
		page(c, PHTTP_PAGE_NO_LEASESET, 0, NULL);
		break;
	case PF_UNREACHABLE:
		page(c, PHTTP_PAGE_UNREACHABLE, 0, NULL);
		break;
	case PF_TIMEOUT:
		page(c, PHTTP_PAGE_TIMEOUT, 0, NULL);
		break;
	case PF_NOT_I2P:
		page(c, PHTTP_PAGE_NO_OUTPROXY, 0, NULL);
		break;
	case PF_NO_DEST:
		page(c, PHTTP_PAGE_UNREACHABLE, 0, "the proxy's destination "
		    "has no tunnels yet");
		break;
	case PF_LIMIT:
		page(c, PHTTP_PAGE_UNREACHABLE, 0, "over a stream limit");
		break;
	}
}

/* the browser's body, as its request framed it */
static int
p_to_i2p(struct proxy_conn *c, const uint8_t *p, size_t len, struct wbuf *w)
{
	struct http_state	*st = c->ps;

	return hflow_feed(c, &st->req, 1, 0, p, len, w, NULL);
}

/* a response's head; the outproxy's yes to a CONNECT is ours */
static int
p_resp(struct proxy_conn *c, const struct phttp_head *h, struct wbuf *w)
{
	struct http_state	*st = c->ps;

	if (st->resp.connect && phttp_connect_ok(h->status))
		return phttp_connect_reply(w);
	/*
	 * The browser's connection stays if it asked, if its request went
	 * whole and alone, and if the response's end can be found
	 */
	st->resp_keep = st->keep_alive && st->req.state == HF_DONE &&
	    !st->req.extra && h->body != PHTTP_BODY_CLOSE;
	return phttp_proxy_response(h, st->resp_keep, w);
}

/*
 * Keep-alive: the response went whole as promised, so the next request
 * may come on the connection; the state starts again but its count
 */
static int
p_again(struct proxy_conn *c)
{
	struct http_state	*st = c->ps;
	unsigned		 requests = st->requests;

	if (!st->resp_keep || st->resp.state != HF_DONE ||
	    st->req.state != HF_DONE || st->req.extra)
		return 0;
	h_clear(c);
	memset(st, 0, sizeof(*st));
	st->requests = requests;
	return 1;
}

/* no response came, or a malformed one: a page says so */
static int
p_bad_response(struct proxy_conn *c, struct wbuf *w, const char *detail)
{
	struct http_state	*st = c->ps;

	return page_into(c, w, st->outproxy ? PHTTP_PAGE_OUTPROXY :
	    PHTTP_PAGE_UNREACHABLE, 0, detail);
}

static int
p_from_i2p(struct proxy_conn *c, const uint8_t *p, size_t len,
    struct wbuf *w)
{
	struct http_state	*st = c->ps;
	int			 r;

	r = hflow_feed(c, &st->resp, 0, st->head_req, p, len, w, p_resp);
	/* nothing of it went to the browser yet: it may hear why */
	if (r == -1 && st->resp.state == HF_HEAD && wbuf_len(w) == 0 &&
	    !wbuf_error(w)) {
		hflow_clear(&st->resp);
		return p_bad_response(c, w, "its response was malformed") ==
		    0 ? 1 : -1;
	}
	return r;
}

/* the stream ended before a response did */
static void
p_eof(struct proxy_conn *c, struct wbuf *w)
{
	struct http_state	*st = c->ps;

	if (st->resp.state == HF_HEAD)
		(void)p_bad_response(c, w, st->resp.heldlen == 0 ?
		    "it closed without a response" :
		    "it closed within its response's head");
}

const struct pproto pproto_http = {
	.greet = p_greet,
	.connected = p_connected,
	.failed = p_failed,
	.to_i2p = p_to_i2p,
	.from_i2p = p_from_i2p,
	.eof = p_eof,
	.again = p_again,
	.chunk = HTTP_CHUNK,
	.bufsz = HTTP_BUF,
	.state_size = sizeof(struct http_state),
	.clear = h_clear,
};

/* the server tunnel: the remote's request toward our server */
static int
s_req(struct proxy_conn *c, const struct phttp_head *h, struct wbuf *w)
{
	struct http_state	*st = c->ps;
	const struct i2p_ident	*peer = stream_peer(c->s);

	if (peer == NULL)
		return -1;
	st->head_req = strcmp(h->method, "HEAD") == 0;
	return phttp_server_request(h, peer, c->p->conf.host[0] != '\0' ?
	    c->p->conf.host : NULL, w);
}

static int
s_from_i2p(struct proxy_conn *c, const uint8_t *p, size_t len,
    struct wbuf *w)
{
	struct http_state	*st = c->ps;

	return hflow_feed(c, &st->req, 1, 0, p, len, w, s_req);
}

static int
s_resp(struct proxy_conn *c, const struct phttp_head *h, struct wbuf *w)
{
	return phttp_server_response(h, w);
}

/* our server's response toward the remote */
static int
s_to_i2p(struct proxy_conn *c, const uint8_t *p, size_t len, struct wbuf *w)
{
	struct http_state	*st = c->ps;

	return hflow_feed(c, &st->resp, 0, st->head_req, p, len, w, s_resp);
}

const struct pproto pproto_http_server = {
	.to_i2p = s_to_i2p,
	.from_i2p = s_from_i2p,
	.chunk = HTTP_CHUNK,
	.bufsz = HTTP_BUF,
	.state_size = sizeof(struct http_state),
	.clear = h_clear,
};
