/*
 * The SOCKS 4, 4a and 5 negotiation (see proxy_socks.h).
 *
 * What the client sent is gathered in a fixed buffer; each step parses
 * one message from its start through the buffer reader, and either
 * wants more bytes (the reader ran short), takes the message and moves
 * on, or fails with the error reply the protocol has for it.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "proxy_socks.h"

enum {
	S_START,
	S5_GREETING,
	S5_AUTH,
	S5_REQUEST,
	S4_REQUEST,
	S_DONE,
	S_CLOSED
};

/* what a step did with the message at the start of the buffer */
enum step {
	STEP_SHORT,	/* incomplete: wait */
	STEP_NEXT,	/* taken; the state moved on */
	STEP_FAIL	/* error reply written; close */
};

#define METHOD_NONE		0x00
#define METHOD_USERPASS		0x02
#define METHOD_UNACCEPTABLE	0xff
#define AUTH_VERSION		0x01
#define CMD_CONNECT		0x01

void
socks_init(struct socks *s, const struct socks_auth *auth)
{
	memset(s, 0, sizeof(*s));
	s->state = S_START;
	if (auth != NULL && auth->user != NULL && auth->pass != NULL)
		s->auth = auth;
}

void
socks_clear(struct socks *s)
{
	crypto_wipe(s->buf, sizeof(s->buf));
	s->len = 0;
}

static enum step
fail(struct socks *s, enum socks_err err)
{
	s->err = err;
	return STEP_FAIL;
}

/* the SOCKS 5 reply with an unspecified bound address */
static void
reply5(struct wbuf *out, uint8_t code)
{
	wbuf_put_u8(out, 5);
	wbuf_put_u8(out, code);
	wbuf_put_u8(out, 0);
	wbuf_put_u8(out, SOCKS_ATYP_IPV4);
	wbuf_put_zero(out, 4 + 2);
}

/* SOCKS 4 answers with VN 0, the code, and a port and address ignored */
static void
reply4(struct wbuf *out, uint8_t code)
{
	wbuf_put_u8(out, 0);
	wbuf_put_u8(out, code);
	wbuf_put_zero(out, 2 + 4);
}

static enum step
fail5(struct socks *s, struct wbuf *out, uint8_t code, enum socks_err err)
{
	reply5(out, code);
	return fail(s, err);
}

static enum step
fail4(struct socks *s, struct wbuf *out, enum socks_err err)
{
	reply4(out, SOCKS4_REJECTED);
	return fail(s, err);
}

/*
 * A host name as the target keeps: printable ASCII without spaces (no
 * NUL, no control bytes to reach a log or a name lookup), lower case.
 */
static int
host_copy(char *dst, const uint8_t *p, size_t n)
{
	size_t	i;

	if (n == 0 || n > SOCKS_FIELD_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		if (p[i] <= 0x20 || p[i] >= 0x7f)
			return -1;
		dst[i] = tolower(p[i]);
	}
	dst[n] = '\0';
	return 0;
}

int
socks_is_i2p(const char *host)
{
	size_t	n = strlen(host);

	return n > 4 && strcasecmp(host + n - 4, ".i2p") == 0;
}

/* the first byte says which protocol the client speaks */
static enum step
step_start(struct socks *s, struct rbuf *r)
{
	uint8_t	v;

	if (rbuf_get_u8(r, &v) == -1)
		return STEP_SHORT;
	/* only a peek: the version byte belongs to the next message */
	rbuf_init(r, s->buf, s->len);
	if (v == 5)
		s->state = S5_GREETING;
	else if (v == 4)
		s->state = S4_REQUEST;
	else
		return fail(s, SOCKS_E_VERSION);	/* no reply to give */
	s->target.version = v;
	return STEP_NEXT;
}

/* RFC 1928 section 3: pick the method the configuration asks for */
static enum step
step_greeting(struct socks *s, struct rbuf *r, struct wbuf *out)
{
	const uint8_t	*m;
	uint8_t		 ver, n, want, got = METHOD_UNACCEPTABLE;
	size_t		 i;

	if (rbuf_get_u8(r, &ver) == -1 || rbuf_get_u8(r, &n) == -1 ||
	    rbuf_get_ptr(r, &m, n) == -1)
		return STEP_SHORT;
	want = s->auth != NULL ? METHOD_USERPASS : METHOD_NONE;
	for (i = 0; i < n; i++)
		if (m[i] == want)
			got = want;
	wbuf_put_u8(out, 5);
	wbuf_put_u8(out, got);
	if (got == METHOD_UNACCEPTABLE)
		return fail(s, n == 0 ? SOCKS_E_MALFORMED : SOCKS_E_METHOD);
	s->state = got == METHOD_USERPASS ? S5_AUTH : S5_REQUEST;
	return STEP_NEXT;
}

/*
 * 0 if the field equals want.  Both sides are padded to the largest
 * field and compared whole, so the time taken tells nothing of how many
 * bytes matched nor of the configured length.
 */
static int
field_differs(const uint8_t *got, size_t glen, const char *want)
{
	uint8_t	a[SOCKS_FIELD_MAX], b[SOCKS_FIELD_MAX];
	size_t	wlen = strnlen(want, sizeof(b) + 1);
	int	diff;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memcpy(a, got, glen);
	memcpy(b, want, wlen > sizeof(b) ? sizeof(b) : wlen);
	diff = crypto_memcmp(a, b, sizeof(a)) | (glen != wlen);
	crypto_wipe(a, sizeof(a));
	crypto_wipe(b, sizeof(b));
	return diff;
}

/* RFC 1929: VER 1, ULEN, UNAME, PLEN, PASSWD; status 0 is success */
static enum step
step_auth(struct socks *s, struct rbuf *r, struct wbuf *out)
{
	const uint8_t	*user, *pass;
	uint8_t		 ver, ulen, plen;
	int		 bad;

	if (rbuf_get_u8(r, &ver) == -1 || rbuf_get_u8(r, &ulen) == -1 ||
	    rbuf_get_ptr(r, &user, ulen) == -1 ||
	    rbuf_get_u8(r, &plen) == -1 || rbuf_get_ptr(r, &pass, plen) == -1)
		return STEP_SHORT;
	wbuf_put_u8(out, AUTH_VERSION);
	if (ver != AUTH_VERSION) {
		wbuf_put_u8(out, 1);
		return fail(s, SOCKS_E_VERSION);
	}
	/* both compared always: no early exit on a wrong user name */
	bad = field_differs(user, ulen, s->auth->user);
	bad |= field_differs(pass, plen, s->auth->pass);
	if (bad || ulen == 0) {
		wbuf_put_u8(out, 1);
		return fail(s, SOCKS_E_AUTH);
	}
	wbuf_put_u8(out, 0);
	s->state = S5_REQUEST;
	return STEP_NEXT;
}

/* DST.ADDR of a SOCKS 5 request: 0 read, 1 short, -1 bad */
static int
get_addr5(struct socks *s, struct rbuf *r, uint8_t atyp)
{
	const uint8_t	*p;
	uint8_t		 n;
	int		 af = AF_INET;

	switch (atyp) {
	case SOCKS_ATYP_NAME:
		if (rbuf_get_u8(r, &n) == -1 || rbuf_get_ptr(r, &p, n) == -1)
			return 1;
		return host_copy(s->target.host, p, n);
	case SOCKS_ATYP_IPV6:
		af = AF_INET6;
		n = 16;
		break;
	default:
		n = 4;
		break;
	}
	if (rbuf_get_ptr(r, &p, n) == -1)
		return 1;
	if (inet_ntop(af, p, s->target.host, sizeof(s->target.host)) == NULL)
		return -1;
	return 0;
}

/* RFC 1928 section 4: VER CMD RSV ATYP DST.ADDR DST.PORT */
static enum step
step_request5(struct socks *s, struct rbuf *r, struct wbuf *out)
{
	uint8_t		 ver, cmd, rsv, atyp;
	uint16_t	 port;
	int		 rv;

	if (rbuf_get_u8(r, &ver) == -1 || rbuf_get_u8(r, &cmd) == -1 ||
	    rbuf_get_u8(r, &rsv) == -1 || rbuf_get_u8(r, &atyp) == -1)
		return STEP_SHORT;
	if (ver != 5)
		return fail5(s, out, SOCKS_FAILURE, SOCKS_E_VERSION);
	if (atyp != SOCKS_ATYP_IPV4 && atyp != SOCKS_ATYP_NAME &&
	    atyp != SOCKS_ATYP_IPV6)
		return fail5(s, out, SOCKS_ATYP_UNSUPP, SOCKS_E_ATYP);
	if ((rv = get_addr5(s, r, atyp)) == 1 || rbuf_get_u16(r, &port) == -1)
		return STEP_SHORT;
	if (rv == -1 || rsv != 0)
		return fail5(s, out, SOCKS_FAILURE, SOCKS_E_MALFORMED);
	if (cmd != CMD_CONNECT)
		return fail5(s, out, SOCKS_CMD_UNSUPP, SOCKS_E_COMMAND);
	s->target.atyp = atyp;
	s->target.port = port;
	s->target.i2p = atyp == SOCKS_ATYP_NAME &&
	    socks_is_i2p(s->target.host);
	s->state = S_DONE;
	return STEP_NEXT;
}

/*
 * A NUL-terminated SOCKS 4 field: 0 read (start and length in *p, *n),
 * 1 short, -1 longer than SOCKS_FIELD_MAX.
 */
static int
get_cstr4(struct rbuf *r, const uint8_t **p, size_t *n)
{
	struct rbuf	 peek = *r;
	uint8_t		 c;
	size_t		 i;

	for (i = 0; i <= SOCKS_FIELD_MAX; i++) {
		if (rbuf_get_u8(&peek, &c) == -1)
			return 1;
		if (c == '\0') {
			*n = i;
			if (rbuf_get_ptr(r, p, i) == -1 || rbuf_skip(r, 1) == -1)
				return 1;
			return 0;
		}
	}
	return -1;
}

/* the address 0.0.0.x, x not 0, means a 4a host name follows the id */
static int
is_socks4a(const uint8_t ip[4])
{
	return ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0;
}

/* SOCKS 4: VN 4, CD, DSTPORT, DSTIP, USERID NUL [, HOST NUL] */
static enum step
step_request4(struct socks *s, struct rbuf *r, struct wbuf *out)
{
	const uint8_t	*ip, *p;
	uint8_t		 ver, cmd;
	uint16_t	 port;
	size_t		 n;
	int		 rv;

	if (rbuf_get_u8(r, &ver) == -1 || rbuf_get_u8(r, &cmd) == -1 ||
	    rbuf_get_u16(r, &port) == -1 || rbuf_get_ptr(r, &ip, 4) == -1)
		return STEP_SHORT;
	if ((rv = get_cstr4(r, &p, &n)) == 1)
		return STEP_SHORT;
	if (rv == -1)
		return fail4(s, out, SOCKS_E_TOOLONG);
	memcpy(s->target.userid, p, n);
	s->target.userid[n] = '\0';
	if (is_socks4a(ip)) {
		if ((rv = get_cstr4(r, &p, &n)) == 1)
			return STEP_SHORT;
		if (rv == -1)
			return fail4(s, out, SOCKS_E_TOOLONG);
		if (host_copy(s->target.host, p, n) == -1)
			return fail4(s, out, SOCKS_E_MALFORMED);
		s->target.atyp = SOCKS_ATYP_NAME;
	} else {
		if (inet_ntop(AF_INET, ip, s->target.host,
		    sizeof(s->target.host)) == NULL)
			return fail4(s, out, SOCKS_E_MALFORMED);
		s->target.atyp = SOCKS_ATYP_IPV4;
	}
	if (cmd != CMD_CONNECT)
		return fail4(s, out, SOCKS_E_COMMAND);
	/* SOCKS 4 carries no password: a proxy that wants one refuses it */
	if (s->auth != NULL)
		return fail4(s, out, SOCKS_E_AUTH);
	s->target.port = port;
	s->target.i2p = s->target.atyp == SOCKS_ATYP_NAME &&
	    socks_is_i2p(s->target.host);
	s->state = S_DONE;
	return STEP_NEXT;
}

static enum step
step(struct socks *s, struct rbuf *r, struct wbuf *out)
{
	switch (s->state) {
	case S_START:
		return step_start(s, r);
	case S5_GREETING:
		return step_greeting(s, r, out);
	case S5_AUTH:
		return step_auth(s, r, out);
	case S5_REQUEST:
		return step_request5(s, r, out);
	case S4_REQUEST:
		return step_request4(s, r, out);
	default:
		return fail(s, SOCKS_E_STATE);
	}
}

/* a message that cannot fit: the reply its state has for that */
static void
too_long(struct socks *s, struct wbuf *out)
{
	s->err = SOCKS_E_TOOLONG;
	switch (s->state) {
	case S5_GREETING:
		wbuf_put_u8(out, 5);
		wbuf_put_u8(out, METHOD_UNACCEPTABLE);
		break;
	case S5_AUTH:
		wbuf_put_u8(out, AUTH_VERSION);
		wbuf_put_u8(out, 1);
		break;
	case S5_REQUEST:
		reply5(out, SOCKS_FAILURE);
		break;
	case S4_REQUEST:
		reply4(out, SOCKS4_REJECTED);
		break;
	}
}

/* drop the n bytes of a message taken, wiping them (a password) */
static void
take(struct socks *s, size_t n)
{
	memmove(s->buf, s->buf + n, s->len - n);
	s->len -= n;
	crypto_wipe(s->buf + s->len, n);
}

static enum socks_res
closed(struct socks *s)
{
	s->state = S_CLOSED;
	socks_clear(s);
	return SOCKS_CLOSE;
}

enum socks_res
socks_input(struct socks *s, const uint8_t *data, size_t len,
    struct wbuf *out, size_t *used)
{
	struct rbuf	 r;
	size_t		 n;

	*used = 0;
	if (s->state == S_DONE || s->state == S_CLOSED) {
		s->err = SOCKS_E_STATE;
		return SOCKS_CLOSE;
	}
	if (wbuf_room(out) < SOCKS_OUT_MIN)
		return closed(s);
	n = len < sizeof(s->buf) - s->len ? len : sizeof(s->buf) - s->len;
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	*used = n;
	while (s->len > 0) {
		rbuf_init(&r, s->buf, s->len);
		switch (step(s, &r, out)) {
		case STEP_SHORT:
			if (s->len < sizeof(s->buf))
				return SOCKS_MORE;
			too_long(s, out);
			return closed(s);
		case STEP_FAIL:
			return closed(s);
		case STEP_NEXT:
			break;
		}
		take(s, s->len - rbuf_left(&r));
		if (s->state == S_DONE) {
			/* what follows the request came in this call */
			*used = n - s->len;
			socks_clear(s);
			return SOCKS_DONE;
		}
	}
	return SOCKS_MORE;
}

const struct socks_target *
socks_target(const struct socks *s)
{
	return s->state == S_DONE ? &s->target : NULL;
}

int
socks_reply(const struct socks *s, enum socks_status st, struct wbuf *out)
{
	if (s->state != S_DONE)
		return -1;
	if (s->target.version == 4)
		reply4(out, st == SOCKS_OK ? SOCKS4_GRANTED : SOCKS4_REJECTED);
	else
		reply5(out, st);
	return wbuf_error(out) ? -1 : 0;
}

const char *
socks_strerror(enum socks_err e)
{
	switch (e) {
	case SOCKS_E_NONE:
		return "no error";
	case SOCKS_E_VERSION:
		return "unknown SOCKS version";
	case SOCKS_E_TOOLONG:
		return "message too long";
	case SOCKS_E_METHOD:
		return "no acceptable authentication method";
	case SOCKS_E_AUTH:
		return "authentication failed";
	case SOCKS_E_COMMAND:
		return "command not supported";
	case SOCKS_E_ATYP:
		return "address type not supported";
	case SOCKS_E_MALFORMED:
		return "malformed message";
	case SOCKS_E_STATE:
		return "input after the negotiation";
	}
	return "unknown error";
}

/*
 * An outproxy is an HTTP proxy: the status it answers our CONNECT with
 * becomes the SOCKS reply.  Its rules or its want of a password are
 * ours to the client (not allowed); a timeout is one (TTL expired, as
 * for our own); a host it cannot name or reach is unreachable; any
 * other refusal is "connection refused".
 */
enum socks_status
socks_outproxy_status(int http_status)
{
	if (http_status >= 200 && http_status <= 299)
		return SOCKS_OK;
	switch (http_status) {
	case 403:
	case 405:
	case 407:
		return SOCKS_NOT_ALLOWED;
	case 504:
		return SOCKS_TTL_EXPIRED;
	case 400:
	case 404:
	case 502:
	case 503:
		return SOCKS_HOST_UNREACH;
	default:
		return SOCKS_REFUSED;
	}
}
