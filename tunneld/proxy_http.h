/*
 * The HTTP message layer of the HTTP proxy and of HTTP server tunnels
 * (issue 16): pure functions over byte buffers, no sockets, no event
 * loop.  The tunnel engine reads bytes, asks phttp_req_parse or
 * phttp_resp_parse whether a whole head has arrived, rewrites it with
 * the functions below into a struct wbuf, and passes bodies through as
 * the framing says.
 *
 *   proxy_http_parse.c	 request and response heads, body framing
 *   proxy_http_chunk.c	 a bounded scanner of chunked bodies
 *   proxy_http_target.c	 request targets, host kinds
 *   proxy_http_helper.c	 the address helper parameter, the confirm
 *   proxy_http_filter.c	 the proxy's request rewriting, Basic auth
 *   proxy_http_server.c	 the server tunnel's request and response
 *   proxy_http_page.c	 error pages, the helper confirmation page
 *   proxy_http_nonce.c	 the confirmation nonce
 *
 * Every byte from outside is read through struct rbuf.
 */
#ifndef I2PRD_PROXY_HTTP_H
#define I2PRD_PROXY_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"

/*
 * Bounds on what a client or a server may make us hold before a head
 * is complete: the whole head, any line, the number of headers.
 */
#define PROXY_HTTP_HEAD_MAX	16384
#define PROXY_HTTP_LINE_MAX	8192
#define PROXY_HTTP_HDRS_MAX	100
/* a host: a full base64 destination is the longest we accept */
#define PROXY_HTTP_HOST_MAX	(B64_ENCLEN(I2P_IDENT_MAXLEN) + 4)
/*
 * What rewriting adds at most to a head, the size to give an output
 * wbuf beyond the parsed head_len: the host twice toward an outproxy;
 * X-I2P-DestB64 and a Host override of at most PROXY_HTTP_HOST_MAX on
 * the server side.  Rewriting fails (never cuts) when out is short.
 */
#define PROXY_HTTP_ADD_MAX	(2 * PROXY_HTTP_HOST_MAX + 512)
/* the longest confirmation nonce string, NUL included */
#define PROXY_HTTP_NONCE_SZ	(8 + 2 * HMAC_SHA256_LEN + 1)
/* how long a confirmation nonce is good: 10 buckets of 60 s */
#define PROXY_HTTP_NONCE_BUCKET	60
#define PROXY_HTTP_NONCE_SPAN	10
/* the proxy's own host: confirmations go to http://proxy.i2p/add */
#define PROXY_HTTP_LOCAL_HOST	"proxy.i2p"
#define PROXY_HTTP_USER_AGENT	"MYOB/6.66 (AN/ON)"

enum phttp_rv {
	PHTTP_ERR = -1,		/* err says the status to answer with */
	PHTTP_MORE = 0,		/* no complete head yet: read more */
	PHTTP_OK = 1		/* parsed; head_len bytes were the head */
};

struct phttp_err {
	int		 status;	/* 400, 414, 431, 501, 505 */
	const char	*why;		/* static text, for the log */
};

/* how the body after a head ends */
enum phttp_body {
	PHTTP_BODY_NONE,	/* no body: the next message follows */
	PHTTP_BODY_LENGTH,	/* content_length bytes */
	PHTTP_BODY_CHUNKED,	/* chunked: scan with phttp_chunk_scan */
	PHTTP_BODY_CLOSE	/* until the connection closes */
};

struct phttp_hdr {
	char		*name;
	char		*value;		/* without surrounding spaces */
};

struct phttp_head {
	int		 request;	/* 1: request, 0: response */
	char		*method;	/* requests */
	char		*target;
	int		 status;	/* responses */
	char		*reason;
	int		 minor;		/* HTTP/1.minor: 0 or 1 */
	struct phttp_hdr hdrs[PROXY_HTTP_HDRS_MAX];
	size_t		 nhdrs;
	size_t		 head_len;	/* bytes of input, CRLFCRLF included */
	enum phttp_body	 body;
	uint64_t	 content_length;
	int		 keep_alive;	/* the sender wants to keep it open */
	/* the head's lines, NUL-terminated, that the pointers point in */
	char		 store[PROXY_HTTP_HEAD_MAX + 1];
};

/*
 * A request or response head at the start of data.  PHTTP_MORE if the
 * empty line has not come yet and no bound is broken.  A response to a
 * HEAD request has no body whatever it says: say so in head_req.
 */
int	 phttp_req_parse(const void *, size_t, struct phttp_head *,
	    struct phttp_err *);
int	 phttp_resp_parse(const void *, size_t, int head_req,
	    struct phttp_head *, struct phttp_err *);
/* the value of the first header of that name (any case), or NULL */
const char *phttp_header(const struct phttp_head *, const char *);
size_t	 phttp_header_count(const struct phttp_head *, const char *);
/* 1 if the comma-separated header list holds token (any case) */
int	 phttp_header_has(const struct phttp_head *, const char *,
	    const char *);
/* the standard reason phrase of a status we send */
const char *phttp_reason(int);

/*
 * A chunked body as it passes through: scan each piece of bytes as it
 * comes; it says how many of them belong to the body.  Chunk-size
 * lines, extensions and trailers are bounded by PROXY_HTTP_LINE_MAX
 * each and PROXY_HTTP_HEAD_MAX in all.
 */
struct phttp_chunk {
	int		 state;
	uint64_t	 left;		/* data bytes left in this chunk */
	size_t		 line;		/* bytes of the current line */
	size_t		 trailer;	/* bytes of trailers so far */
	int		 digits;	/* hex digits of the size */
};

void	 phttp_chunk_init(struct phttp_chunk *);
/*
 * Consumes bytes of data; *used gets how many belong to the body.
 * Returns 1 when the body ended (the rest of data is the next
 * message), 0 if more is needed, -1 if the body is malformed.
 */
int	 phttp_chunk_scan(struct phttp_chunk *, const void *, size_t,
	    size_t *used);

/* where a request goes */
struct phttp_target {
	char		 host[PROXY_HTTP_HOST_MAX + 1];	/* no brackets */
	uint16_t	 port;
	int		 has_port;	/* the port was written */
	int		 ipv6;		/* host was a [literal] */
	int		 absolute;	/* the request had absolute-form */
	int		 connect;	/* authority-form of CONNECT */
	/* origin-form "/..." to send on; "" for CONNECT */
	char		 path[PROXY_HTTP_LINE_MAX + 2];
};

/*
 * The target of a parsed request: absolute-form http://host[:port]/p,
 * authority-form host:port for CONNECT, origin-form with the Host
 * header.  Userinfo, fragments, schemes other than http, ports out of
 * 1-65535 are refused (status 400).  The port is 80 if not given.
 */
int	 phttp_target_parse(const struct phttp_head *, struct phttp_target *,
	    struct phttp_err *);

enum phttp_hostkind {
	PHTTP_HOST_NAME,	/* NAME.i2p: the address book */
	PHTTP_HOST_B32,		/* 52 chars: a hash; 56+: blinded (b33) */
	PHTTP_HOST_B64,		/* a full destination, .i2p or not */
	PHTTP_HOST_OTHER	/* not I2P: outproxy or refused */
};

struct phttp_host {
	enum phttp_hostkind kind;
	char		 name[PROXY_HTTP_HOST_MAX + 1];	/* lower case but B64 */
	uint8_t		 hash[I2P_HASH_LEN];	/* B32 of 52 chars, B64 */
	int		 blinded;		/* B32 longer than a hash */
	struct i2p_ident dest;			/* B64 */
};

/* 1 if uri is http:// on the same host and port as t */
int	 phttp_same_origin(const char *uri, const struct phttp_target *t);

/* -1 if host breaks the naming rules of its kind */
int	 phttp_host_classify(const char *, struct phttp_host *);

/*
 * The i2paddresshelper= query parameter of path: 1 if found, with the
 * path without it in out and the destination it names in dest (its
 * base64 as written, percent-decoded, checked); 0 if none (out is the
 * path); -1 if malformed or out is short.
 */
int	 phttp_helper_strip(const char *path, char *out, size_t outsz,
	    struct i2p_ident *dest);

/*
 * The proxy's request toward an I2P server, into out: origin-form
 * (absolute-form if absolute: toward an outproxy), Host host[:port],
 * our User-Agent, Referer only from the same origin, identifying and
 * hop-by-hop headers and Accept* but Accept-Encoding removed,
 * Connection: close.  path is the path to
 * send (phttp_helper_strip's out, or t->path).
 */
int	 phttp_proxy_request(const struct phttp_head *,
	    const struct phttp_target *, const char *path, int absolute,
	    struct wbuf *);
/*
 * A response from I2P toward the browser: its hop-by-hop headers
 * replaced by Connection: keep-alive if keep_alive (the browser's
 * request asked for it) and the body's end can be found, else close.
 */
int	 phttp_proxy_response(const struct phttp_head *, int keep_alive,
	    struct wbuf *);
/* CONNECT host:port toward an outproxy, for a CONNECT target */
int	 phttp_connect_request(const struct phttp_target *, struct wbuf *);
/* the answer to a CONNECT once the stream is open */
int	 phttp_connect_reply(struct wbuf *);
/*
 * The outproxy's answer to our CONNECT at the start of data: PHTTP_OK
 * with the final status (after any 1xx) and head_len, the bytes of all
 * its heads (what follows a 2xx is the tunnel's); PHTTP_MORE; or
 * PHTTP_ERR if malformed or if max bytes hold no final head.
 */
int	 phttp_connect_status(const void *, size_t, size_t max, int *status,
	    size_t *head_len, struct phttp_err *);
/* 1 if status says the outproxy's tunnel is up (2xx) */
int	 phttp_connect_ok(int status);
/*
 * 0 if the request carries one Proxy-Authorization: Basic with user
 * and password (compared in constant time), else -1.
 */
int	 phttp_auth_check(const struct phttp_head *, const char *user,
	    const char *pass);

/*
 * The server tunnel.  Toward the local server: the client's X-I2P-*
 * and Proxy headers dropped, X-I2P-DestB32, -DestHash and -DestB64 of
 * peer added, Host set to host_override unless NULL.  Toward the
 * client: Server, Date, X-Powered-By, X-Runtime and Proxy dropped.
 */
int	 phttp_server_request(const struct phttp_head *,
	    const struct i2p_ident *peer, const char *host_override,
	    struct wbuf *);
int	 phttp_server_response(const struct phttp_head *, struct wbuf *);

enum phttp_page {
	PHTTP_PAGE_BAD_REQUEST,		/* status from the parser */
	PHTTP_PAGE_UNKNOWN_HOST,	/* 404, with jump links */
	PHTTP_PAGE_NO_LEASESET,		/* 504 */
	PHTTP_PAGE_UNREACHABLE,		/* 502 */
	PHTTP_PAGE_TIMEOUT,		/* 504 */
	PHTTP_PAGE_NO_OUTPROXY,		/* 503 */
	PHTTP_PAGE_AUTH,		/* 407 with Proxy-Authenticate */
	PHTTP_PAGE_FORBIDDEN,		/* 403 */
	PHTTP_PAGE_BAD_HELPER,		/* 403: a confirm without a nonce */
	PHTTP_PAGE_OUTPROXY		/* 502: the outproxy failed */
};

/* jump services: each URL gets the host name appended */
struct phttp_jumps {
	const char	*const *url;
	size_t		 n;
};

/*
 * A complete response (Connection: close) for page; host and detail
 * (either may be NULL) are shown HTML-escaped; status is used by
 * PHTTP_PAGE_BAD_REQUEST only (the parser's err.status).
 */
int	 phttp_page(struct wbuf *, enum phttp_page, int status,
	    const char *host, const char *detail, const struct phttp_jumps *);
/* HTML-escaped s appended to out */
int	 phttp_put_escaped(struct wbuf *, const char *);

/* the per-process secret the confirmation nonces are made with */
struct phttp_nonce_key {
	uint8_t		 key[32];
};

int	 phttp_nonce_key_init(struct phttp_nonce_key *);
void	 phttp_nonce_key_wipe(struct phttp_nonce_key *);
/* the nonce of (name, destination hash) at time now, into out */
int	 phttp_nonce_make(const struct phttp_nonce_key *, const char *name,
	    const uint8_t hash[I2P_HASH_LEN], time_t now, char *out,
	    size_t outsz);
/* 0 if nonce was made for them less than 10 minutes before now */
int	 phttp_nonce_check(const struct phttp_nonce_key *, const char *name,
	    const uint8_t hash[I2P_HASH_LEN], time_t now, const char *nonce);

/*
 * The confirmation page of an address helper: name and the b32 of
 * dest, a form to http://proxy.i2p/add carrying name, dest, nonce and
 * the URL to go on to (url, the original request without the helper).
 * known (NULL if none) is the destination the address book has for
 * name now: the page warns that confirming replaces it.  The nonce is
 * made with name as phttp_host_classify gives it (lower case).
 */
int	 phttp_page_helper(struct wbuf *, const char *name,
	    const struct i2p_ident *dest, const struct i2p_ident *known,
	    const char *nonce, const char *url);

/* what a confirm request (GET http://proxy.i2p/add?...) carries */
struct phttp_confirm {
	char		 name[PROXY_HTTP_HOST_MAX + 1];
	struct i2p_ident dest;
	char		 nonce[PROXY_HTTP_NONCE_SZ];
	char		 url[PROXY_HTTP_LINE_MAX];
};

/*
 * Parses the path of a confirm request and checks its nonce: 0 and c
 * filled only if all is there and the nonce is valid at now.
 */
int	 phttp_confirm_parse(const struct phttp_nonce_key *, const char *path,
	    time_t now, struct phttp_confirm *c);
/* a 302 to location (after a confirm) */
int	 phttp_page_redirect(struct wbuf *, const char *location);

/* shared by the rewriting modules: one header line, one raw string */
int	 phttp_put_header(struct wbuf *, const char *, const char *);
/* a response's status line as parsed; -1 for a request */
int	 phttp_put_status_line(struct wbuf *, const struct phttp_head *);
int	 phttp_put_str(struct wbuf *, const char *);
/*
 * Percent-decodes n bytes of p into out, NUL-terminated; '+' is a space
 * if form (HTML form fields).  -1 on a bad escape, a NUL, no room.
 */
int	 phttp_unescape(const void *p, size_t n, int form, char *out,
	    size_t outsz);
/* over rb: the bytes up to the first of stops or the end (unread) */
void	 phttp_take_until(struct rbuf *, const char *stops,
	    const uint8_t **, size_t *);
/* 1 and the byte read if it is want; 0 and nothing read if not */
int	 phttp_next_is(struct rbuf *, uint8_t want);
/* the value of a hex digit (either case), or -1 */
int	 phttp_hexval(uint8_t);
/* 1 if name starts with prefix, any case */
int	 phttp_name_prefix(const char *, const char *);

#endif /* I2PRD_PROXY_HTTP_H */
