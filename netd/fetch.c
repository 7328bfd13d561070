/*
 * HTTPS reseed downloads (DESIGN.md: netd is the only process on the
 * network).  The parent resolves the reseed URL's host and hands over
 * its addresses, the host name and the path; netd connects to each
 * address in turn, speaks TLS 1.2 or later, checks the server's
 * certificate chain against the CA certificates the parent passed
 * (reseed ca, read at start and reload: netd is chrooted) and its name
 * against the host, sends one GET and reads the response, at most
 * HTTP_BODY_MAX bytes of body, within FETCH_TIMEOUT seconds.  The body
 * goes to routerd in pieces, then a NET_RESEED_DONE saying how it went;
 * routerd verifies the su3 file and imports it.  One download at a
 * time.
 *
 * The request is the one the Java router sends: reseed servers refuse
 * other user agents.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <bsd/string.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "buf.h"
#include "log.h"
#include "netd.h"
#include "proc.h"

#define FETCH_TIMEOUT		60	/* s for the whole download */
#define FETCH_CHUNK		(64 * 1024)	/* bytes a DATA imsg carries */
#define FETCH_USER_AGENT	"Wget/1.11.4"

enum fetch_state { F_IDLE, F_CONNECT, F_TLS, F_SEND, F_RECV };

static struct {
	enum fetch_state	 state;
	struct net_fetch	 req;
	uint32_t		 next_addr;
	int			 fd;
	SSL			*ssl;
	struct event		 ev, timeout;
	struct wbuf		 out;		/* the request */
	size_t			 sent;
	uint8_t			*in;		/* head and body */
	size_t			 inlen;
	int			 head_state;	/* http_resp_head's, once 1 */
	struct http_resp	 head;
} f = { .fd = -1 };

/*
 * The CA certificates are kept as DER, a tenth of what OpenSSL's parsed
 * store takes (about a megabyte for the system's 144), and the TLS
 * context is made from them for each download and freed after it:
 * reseeding is rare, netd lives long.
 */
struct ca_set {
	uint8_t		*der;		/* certificates, one after another */
	size_t		 len, n;
};
static struct ca_set	 cas, pending;	/* in use; arriving */
static SSL_CTX		*ctx;		/* during a download only */

static void	fetch_event(int, short, void *);
static void	fetch_connect_next(void);

static void
ca_set_free(struct ca_set *c)
{
	free(c->der);
	memset(c, 0, sizeof(*c));
}

void
fetch_ca_begin(void)
{
	ca_set_free(&pending);
}

/* a PEM certificate from the parent, checked, kept as DER */
void
fetch_ca_add(const uint8_t *pem, size_t len)
{
	BIO	*bio;
	X509	*x = NULL;
	uint8_t	*der = NULL, *n;
	int	 dlen = -1;

	if ((bio = BIO_new_mem_buf(pem, len)) != NULL) {
		x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	if (x != NULL)
		dlen = i2d_X509(x, &der);
	X509_free(x);
	ERR_clear_error();	/* not to be taken for a later TLS error */
	if (dlen <= 0) {
		log_debug("reseed: a CA certificate that does not parse");
		return;
	}
	if ((n = realloc(pending.der, pending.len + dlen)) != NULL) {
		memcpy(n + pending.len, der, dlen);
		pending.der = n;
		pending.len += dlen;
		pending.n++;
	}
	OPENSSL_free(der);
}

/* downloads from now on trust the new set */
void
fetch_ca_end(void)
{
	ca_set_free(&cas);
	cas = pending;
	memset(&pending, 0, sizeof(pending));
	log_debug("reseed: %zu CA certificates for HTTPS", cas.n);
}

size_t
fetch_ca_count(void)
{
	return cas.n;
}

/* a TLS context around a store of the CA certificates, or NULL */
static SSL_CTX *
ctx_make(void)
{
	const uint8_t	*p = cas.der, *end = cas.der + cas.len;
	X509_STORE	*store;
	SSL_CTX		*n;
	X509		*x;

	if ((n = SSL_CTX_new(TLS_client_method())) == NULL)
		return NULL;
	SSL_CTX_set_min_proto_version(n, TLS1_2_VERSION);
	SSL_CTX_set_verify(n, SSL_VERIFY_PEER, NULL);
	/* a server may close without close_notify: lengths are checked */
	SSL_CTX_set_options(n, SSL_OP_IGNORE_UNEXPECTED_EOF);
	store = SSL_CTX_get_cert_store(n);
	while (p < end && (x = d2i_X509(NULL, &p, end - p)) != NULL) {
		X509_STORE_add_cert(store, x);
		X509_free(x);
	}
	ERR_clear_error();
	return n;
}

static void
done(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
done(int code, const char *fmt, ...)
{
	struct net_fetch_done	 d;
	struct peer		*routerd = peer_get(PROC_ROUTERD);
	va_list			 ap;

	memset(&d, 0, sizeof(d));
	d.code = code;
	va_start(ap, fmt);
	vsnprintf(d.msg, sizeof(d.msg), fmt, ap);
	va_end(ap);
	if (routerd != NULL)
		peer_compose(routerd, IMSG_NET_RESEED_DONE, 0, -1, &d,
		    sizeof(d));
	if (f.ssl != NULL)
		SSL_free(f.ssl);
	SSL_CTX_free(ctx);
	ctx = NULL;
	if (f.fd != -1) {
		event_del(&f.ev);
		close(f.fd);
	}
	evtimer_del(&f.timeout);
	wbuf_free(&f.out);
	free(f.in);
	memset(&f, 0, sizeof(f));
	f.fd = -1;
	f.state = F_IDLE;
}

static void
want(short what)
{
	event_del(&f.ev);
	event_set(&f.ev, f.fd, what, fetch_event, NULL);
	event_add(&f.ev, NULL);
}

static void
fetch_timeout(int fd, short event, void *arg)
{
	done(1, "reseed from %s: timed out after %d s", f.req.host,
	    FETCH_TIMEOUT);
}

static void
fetch_connect_next(void)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;

	if (f.ssl != NULL) {
		SSL_free(f.ssl);
		f.ssl = NULL;
	}
	if (f.fd != -1) {
		event_del(&f.ev);
		close(f.fd);
		f.fd = -1;
	}
	for (; f.next_addr < f.req.naddrs; f.next_addr++) {
		if (listen_from_msg(&ss, &f.req.addrs[f.next_addr]) == -1 ||
		    (f.fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0)) == -1)
			continue;
		sslen = ss.ss_family == AF_INET ? sizeof(struct sockaddr_in) :
		    sizeof(struct sockaddr_in6);
		if (connect(f.fd, (struct sockaddr *)&ss, sslen) == 0 ||
		    errno == EINPROGRESS) {
			f.next_addr++;
			f.state = F_CONNECT;
			want(EV_WRITE);
			return;
		}
		close(f.fd);
		f.fd = -1;
	}
	done(1, "reseed from %s: cannot connect to port %u", f.req.host,
	    f.req.port);
}

/* TLS on the connected socket: SNI and the name the certificate needs */
static int
tls_start(void)
{
	struct in6_addr	a;
	int		literal;

	if ((f.ssl = SSL_new(ctx)) == NULL || SSL_set_fd(f.ssl, f.fd) != 1)
		return -1;
	literal = inet_pton(AF_INET, f.req.host, &a) == 1 ||
	    inet_pton(AF_INET6, f.req.host, &a) == 1;
	if (literal)
		return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(f.ssl),
		    f.req.host) == 1 ? 0 : -1;
	return SSL_set_tlsext_host_name(f.ssl, f.req.host) == 1 &&
	    SSL_set1_host(f.ssl, f.req.host) == 1 ? 0 : -1;
}

/* why the handshake failed, for the operator */
static const char *
tls_error(char *buf, size_t len)
{
	long	v = SSL_get_verify_result(f.ssl);

	if (v != X509_V_OK)
		return X509_verify_cert_error_string(v);
	ERR_error_string_n(ERR_peek_last_error(), buf, len);
	return buf;
}

/* 1 done, 0 wait (rearmed), -1 failed: for SSL_connect/write/read */
static int
tls_step(int rv)
{
	switch (SSL_get_error(f.ssl, rv)) {
	case SSL_ERROR_NONE:
		return 1;
	case SSL_ERROR_WANT_READ:
		want(EV_READ);
		return 0;
	case SSL_ERROR_WANT_WRITE:
		want(EV_WRITE);
		return 0;
	default:
		return -1;
	}
}

/* the response is in: check it, hand the body to routerd */
static void
finish(void)
{
	struct peer		*routerd = peer_get(PROC_ROUTERD);
	struct http_resp	 h;
	const char		*why;
	size_t			 off, n, body;

	if (http_resp_head(f.in, f.inlen, &h, &why) != 1) {
		done(1, "reseed from %s: %s", f.req.host, f.inlen == 0 ?
		    "empty response" : http_resp_head(f.in, f.inlen, &h,
		    &why) == 0 ? "response head incomplete" : why);
		return;
	}
	body = f.inlen - h.head_len;
	if (h.status != 200)
		done(1, "reseed from %s: HTTP status %d", f.req.host, h.status);
	else if (h.chunked)
		done(1, "reseed from %s: chunked responses not supported",
		    f.req.host);
	else if (h.content_length != -1 && body < (size_t)h.content_length)
		done(1, "reseed from %s: body of %zu bytes, %lld announced",
		    f.req.host, body, h.content_length);
	else if (body == 0)
		done(1, "reseed from %s: empty body", f.req.host);
	else {
		if (h.content_length != -1)	/* what follows is not ours */
			body = h.content_length;
		for (off = 0; off < body && routerd != NULL; off += n) {
			n = body - off < FETCH_CHUNK ? body - off : FETCH_CHUNK;
			peer_compose(routerd, IMSG_NET_RESEED_DATA, 0, -1,
			    f.in + h.head_len + off, n);
		}
		done(0, "%zu bytes from %s", body, f.req.host);
	}
}

/* 1 when the whole response is in (close, or Content-Length reached) */
/*
 * 1 when the whole response is in (close, or Content-Length reached),
 * 0 to come back (the event is armed), -1 failed.  The head is parsed
 * until it is complete, not again; a callback reads at most
 * RECV_BURST records, then lets the event loop run (a server sending
 * tiny records must not hold netd's other sessions up).
 */
#define RECV_BURST	64

static int
recv_some(void)
{
	struct timeval	 now = { 0, 0 };
	const char	*why;
	size_t		 cap = HTTP_HEAD_MAX + HTTP_BODY_MAX;
	int		 n, st, i;

	for (i = 0; i < RECV_BURST; i++) {
		if (f.inlen == cap)
			return -1;
		ERR_clear_error();
		n = SSL_read(f.ssl, f.in + f.inlen, cap - f.inlen);
		if (n > 0) {
			f.inlen += n;
			if (f.head_state == 0)
				f.head_state = http_resp_head(f.in, f.inlen,
				    &f.head, &why);
			if (f.head_state == 1 && f.head.content_length != -1 &&
			    f.inlen >= f.head.head_len +
			    (size_t)f.head.content_length)
				return 1;
			continue;
		}
		st = SSL_get_error(f.ssl, n);
		if (st == SSL_ERROR_ZERO_RETURN || st == SSL_ERROR_SYSCALL)
			return 1;	/* closed: finish() checks lengths */
		return tls_step(n) == 0 ? 0 : -1;
	}
	/* OpenSSL may hold more already: come back at once, not on EV_READ */
	event_del(&f.ev);
	evtimer_set(&f.ev, fetch_event, NULL);
	evtimer_add(&f.ev, &now);
	return 0;
}

static void
fetch_event(int fd, short event, void *arg)
{
	char		buf[160];
	socklen_t	len = sizeof(int);
	int		err = 0, rv;

	switch (f.state) {
	case F_CONNECT:
		if (getsockopt(f.fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 ||
		    err != 0) {
			log_debug("reseed from %s: connect: %s", f.req.host,
			    strerror(err));
			fetch_connect_next();
			return;
		}
		if (tls_start() == -1) {
			done(1, "reseed from %s: cannot set up TLS",
			    f.req.host);
			return;
		}
		f.state = F_TLS;
		/* FALLTHROUGH */
	case F_TLS:
		ERR_clear_error();
		if ((rv = tls_step(SSL_connect(f.ssl))) == 0)
			return;
		if (rv == -1) {
			done(1, "reseed from %s: TLS: %s", f.req.host,
			    tls_error(buf, sizeof(buf)));
			return;
		}
		f.state = F_SEND;
		/* FALLTHROUGH */
	case F_SEND:
		while (f.sent < wbuf_len(&f.out)) {
			ERR_clear_error();
			rv = SSL_write(f.ssl, wbuf_data(&f.out) + f.sent,
			    wbuf_len(&f.out) - f.sent);
			if (rv > 0) {
				f.sent += rv;
				continue;
			}
			if ((rv = tls_step(rv)) == 0)
				return;
			done(1, "reseed from %s: cannot send the request",
			    f.req.host);
			return;
		}
		f.state = F_RECV;
		if ((f.in = malloc(HTTP_HEAD_MAX + HTTP_BODY_MAX)) == NULL) {
			done(1, "reseed: out of memory");
			return;
		}
		/* FALLTHROUGH */
	case F_RECV:
		if ((rv = recv_some()) == 1)
			finish();
		else if (rv == -1)
			done(1, "reseed from %s: %s", f.req.host,
			    f.inlen == HTTP_HEAD_MAX + HTTP_BODY_MAX ?
			    "response too large" : "TLS read failed");
		break;
	case F_IDLE:
		break;
	}
}

/* an IPv6 literal goes in brackets in a URL and a Host header */
static int
host_is_v6(const char *host)
{
	struct in6_addr	a;

	return inet_pton(AF_INET6, host, &a) == 1;
}

static int
build_request(void)
{
	char		req[1024], port[8] = "";
	int		v6 = host_is_v6(f.req.host);
	int		n;

	if (f.req.port != 443)
		snprintf(port, sizeof(port), ":%u", f.req.port);
	n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s%s%s%s\r\n"
	    "User-Agent: " FETCH_USER_AGENT "\r\nConnection: close\r\n\r\n",
	    f.req.path, v6 ? "[" : "", f.req.host, v6 ? "]" : "", port);
	if (n < 0 || (size_t)n >= sizeof(req) ||
	    wbuf_init_dynamic(&f.out, n, n) == -1)
		return -1;
	return wbuf_put_bytes(&f.out, req, n);
}

void
fetch_start(const struct net_fetch *req)
{
	struct timeval	tv = { FETCH_TIMEOUT, 0 };
	int		v6;

	if (f.state != F_IDLE) {
		struct net_fetch_done	 d;
		struct peer		*routerd = peer_get(PROC_ROUTERD);

		/* routerd waits for an answer to every request */
		memset(&d, 0, sizeof(d));
		d.code = 1;
		strlcpy(d.msg, "reseed: a download is running", sizeof(d.msg));
		if (routerd != NULL)
			peer_compose(routerd, IMSG_NET_RESEED_DONE, 0, -1, &d,
			    sizeof(d));
		return;
	}
	f.req = *req;
	f.req.host[sizeof(f.req.host) - 1] = '\0';
	f.req.path[sizeof(f.req.path) - 1] = '\0';
	if (f.req.naddrs > NET_FETCH_ADDRS)
		f.req.naddrs = NET_FETCH_ADDRS;
	evtimer_set(&f.timeout, fetch_timeout, NULL);
	evtimer_add(&f.timeout, &tv);
	f.state = F_CONNECT;
	if (cas.n == 0) {
		done(1, "reseed: no CA certificates for HTTPS");
		return;
	}
	if ((ctx = ctx_make()) == NULL) {
		done(1, "reseed: cannot make a TLS context");
		return;
	}
	if (build_request() == -1) {
		done(1, "reseed: out of memory");
		return;
	}
	v6 = host_is_v6(f.req.host);
	log_info("reseed: downloading https://%s%s%s:%u%s", v6 ? "[" : "",
	    f.req.host, v6 ? "]" : "", f.req.port, f.req.path);
	fetch_connect_next();
}

void
fetch_shutdown(void)
{
	if (f.state != F_IDLE)
		done(1, "reseed: stopping");
	SSL_CTX_free(ctx);
	ctx = NULL;
	ca_set_free(&cas);
	ca_set_free(&pending);
}
