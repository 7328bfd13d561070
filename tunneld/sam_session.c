/*
 * SAM sessions and the commands that use them: SESSION CREATE, ADD and
 * REMOVE, DATAGRAM SEND and RAW SEND, the UDP port, received datagrams,
 * NAMING LOOKUP and DEST GENERATE.  What needs a destination goes to
 * struct sam_backend; its answers come back through sam_backend_*().
 *
 * A session lives as long as its control socket (the spec's "SAM
 * sessions live and die with the socket").  IDs are unique over all
 * sessions and subsessions.  Sessions are known to the backend by a
 * number (sid) that is never reused, so a late answer for a session
 * already gone finds nothing and is dropped.
 *
 * Options on SESSION CREATE (api/samv3.html "Tunnel, I2CP, and
 * Streaming Options"): inbound/outbound .length (0-7), .quantity
 * (1-16), .lengthVariance (-7..7) and .backupQuantity (0-16) and
 * i2cp.dontPublishLeaseSet are applied (struct sam_tunnel_opts); a bad
 * value is an I2P_ERROR.  i2cp.leaseSetEncType must list 4 (X25519,
 * the only one we do): libtorrent and Bitcoin send "4,0".  The
 * i2p.streaming.* options the streaming layer knows (stream_opts.c)
 * go to the session's stream host; a bad value is an I2P_ERROR that
 * names the option and what it takes.  Every other option (i2cp.*,
 * i2p.streaming.answerPings, connectDelay, inbound.nickname, ...) is
 * accepted and ignored: clients send them as a matter of course and
 * would fail on a refusal.  SESSION ADD's streaming options are
 * ignored too: subsessions share their PRIMARY's destination, whose
 * stream host the PRIMARY's options made.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "log.h"
#include "sam.h"
#include "stream.h"

#define PROTO_STREAMING		6
#define PROTO_DATAGRAM		17
#define PROTO_RAW		18

static struct sam_sessions	 sessions = TAILQ_HEAD_INITIALIZER(sessions);
static size_t			 nsessions;
static uint32_t			 next_sid = 1;
static struct sam_backend	 backend;
static sam_udp_send_fn		 udp_send;

static void	session_free(struct sam_session *);

void
sam_session_init(const struct sam_backend *be, sam_udp_send_fn send)
{
	struct sam_session	*s;

	while ((s = TAILQ_FIRST(&sessions)) != NULL)
		session_free(s);
	if (be != NULL)
		backend = *be;
	else
		memset(&backend, 0, sizeof(backend));
	udp_send = send;
}

const struct sam_backend *
sam_session_backend(void)
{
	return &backend;
}

const struct sam_sessions *
sam_sessions(void)
{
	return &sessions;
}

size_t
sam_session_count(void)
{
	return nsessions;
}

struct sam_session *
sam_session_find(const char *id)
{
	struct sam_session	*s;

	TAILQ_FOREACH(s, &sessions, entry)
		if (strcmp(s->id, id) == 0)
			return s;
	return NULL;
}

static struct sam_session *
session_by_sid(uint32_t sid)
{
	struct sam_session	*s;

	TAILQ_FOREACH(s, &sessions, entry)
		if (s->sid == sid)
			return s;
	return NULL;
}

static void
session_free(struct sam_session *s)
{
	sam_stream_session_gone(s);
	TAILQ_REMOVE(&sessions, s, entry);
	nsessions--;
	if (s->primary != NULL)
		s->primary->nsub--;
	crypto_wipe(s, sizeof(*s));
	free(s);
}

static const char *
style_name(enum sam_style st)
{
	switch (st) {
	case SAM_STYLE_DATAGRAM:
		return "DATAGRAM";
	case SAM_STYLE_RAW:
		return "RAW";
	case SAM_STYLE_PRIMARY:
		return "PRIMARY";
	case SAM_STYLE_STREAM:
		return "STREAM";
	}
	return "?";
}

const char *
sam_style_name(enum sam_style st)
{
	return style_name(st);
}

/* the control socket is gone: its session and subsessions with it */
void
sam_session_conn_gone(struct sam_conn *c)
{
	struct sam_session	*s, *t;

	if (c->sess == NULL)
		return;
	TAILQ_FOREACH_SAFE(s, &sessions, entry, t)
		if (s->primary == c->sess)
			session_free(s);
	if (backend.close != NULL)
		backend.close(backend.arg, c->sess->sid);
	session_free(c->sess);
	c->sess = NULL;
}

int
sam_num_arg(const struct sam_line *l, const char *key, long min, long max,
    long *v)
{
	const char	*s = sam_arg(l, key), *errstr = NULL;

	if (s == NULL)
		return 0;
	*v = strtonum(s, min, max, &errstr);
	return errstr == NULL ? 0 : -1;
}

int
sam_bool_arg(const struct sam_line *l, const char *key, int *v)
{
	const char	*s = sam_arg(l, key);

	if (s == NULL)
		return 0;
	if (strcasecmp(s, "true") == 0)
		*v = 1;
	else if (strcasecmp(s, "false") == 0)
		*v = 0;
	else
		return -1;
	return 0;
}

static int
style_parse(const char *s, enum sam_style *st)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "DATAGRAM") == 0)
		*st = SAM_STYLE_DATAGRAM;
	else if (strcmp(s, "RAW") == 0)
		*st = SAM_STYLE_RAW;
	else if (strcmp(s, "PRIMARY") == 0 || strcmp(s, "MASTER") == 0)
		*st = SAM_STYLE_PRIMARY;
	else if (strcmp(s, "STREAM") == 0)
		*st = SAM_STYLE_STREAM;
	else
		return -1;
	return 0;
}

/* no white space (the spec), printable, not too long */
static int
id_valid(const char *id)
{
	size_t	 n;

	for (n = 0; id[n] != '\0'; n++)
		if (!isgraph((unsigned char)id[n]))
			return 0;
	return n > 0 && n <= SAM_ID_MAX;
}

/*
 * SIGNATURE_TYPE by number or by name (case-insensitive); -1 unknown.
 * Names as in common-structures.rst "Key Certificates".
 */
static int
sigtype_parse(const char *s, uint16_t *type)
{
	static const struct {
		const char	*name;
		uint16_t	 type;
	} names[] = {
		{ "DSA_SHA1", 0 }, { "ECDSA_SHA256_P256", 1 },
		{ "ECDSA_SHA384_P384", 2 }, { "ECDSA_SHA512_P521", 3 },
		{ "RSA_SHA256_2048", 4 }, { "RSA_SHA384_3072", 5 },
		{ "RSA_SHA512_4096", 6 }, { "EdDSA_SHA512_Ed25519", 7 },
		{ "EdDSA_SHA512_Ed25519ph", 8 },
		{ "RedDSA_SHA512_Ed25519", 11 },
	};
	const char	*errstr = NULL;
	size_t		 i;

	if (isdigit((unsigned char)s[0])) {
		*type = strtonum(s, 0, 65535, &errstr);
		return errstr == NULL ? 0 : -1;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].name) == 0) {
			*type = names[i].type;
			return 0;
		}
	return -1;
}

/* NULL if acceptable, else the MESSAGE */
static const char *
sigtype_check(const struct sam_line *l, uint16_t *type)
{
	const char	*s = sam_arg(l, "SIGNATURE_TYPE");

	*type = SIGTYPE_ED25519;
	if (s == NULL)
		return NULL;
	if (sigtype_parse(s, type) == -1)
		return "unknown SIGNATURE_TYPE";
	if (*type != SIGTYPE_ED25519)
		return "only SIGNATURE_TYPE=7 (EdDSA_SHA512_Ed25519) is "
		    "supported";
	return NULL;
}

/* ---- options ---- */

static int
opt_dir(const struct sam_line *l, const char *dir, int d,
    struct sam_tunnel_opts *o)
{
	static const struct {
		const char	*name;
		long		 min, max;
		size_t		 off;
	} opts[] = {
		{ "length", 0, 7, offsetof(struct sam_tunnel_opts, length) },
		{ "quantity", 1, 16,
		    offsetof(struct sam_tunnel_opts, quantity) },
		{ "lengthVariance", -7, 7,
		    offsetof(struct sam_tunnel_opts, variance) },
		{ "backupQuantity", 0, 16,
		    offsetof(struct sam_tunnel_opts, backup) },
	};
	char	 key[64];
	long	 v;
	size_t	 i;
	int	*field;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		snprintf(key, sizeof(key), "%s.%s", dir, opts[i].name);
		v = -1000;
		if (sam_num_arg(l, key, opts[i].min, opts[i].max, &v) == -1)
			return -1;
		field = (int *)((char *)o + opts[i].off);
		field[d] = v == -1000 ? -1 : (int)v;
	}
	return 0;
}

/* "4,0": a list of crypto types, of which we need 4 */
static int
enc_types_ok(const char *s)
{
	char		 buf[64], *p, *tok;
	int		 found = 0;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return 0;
	for (p = buf; (tok = strsep(&p, ",")) != NULL;)
		if (strcmp(tok, "4") == 0)
			found = 1;
	return found;
}

static const char *
tunnel_opts(const struct sam_line *l, struct sam_tunnel_opts *o)
{
	const char	*enc = sam_arg(l, "i2cp.leaseSetEncType");
	int		 dont = 0;

	memset(o, 0, sizeof(*o));
	if (opt_dir(l, "inbound", 0, o) == -1 ||
	    opt_dir(l, "outbound", 1, o) == -1)
		return "bad tunnel option value";
	if (sam_bool_arg(l, "i2cp.dontPublishLeaseSet", &dont) == -1)
		return "bad i2cp.dontPublishLeaseSet";
	o->publish = !dont;
	if (enc != NULL && !enc_types_ok(enc))
		return "i2cp.leaseSetEncType must include 4";
	return NULL;
}

/*
 * The i2p.streaming.* options stream.c knows, over its defaults; NULL,
 * or what is wrong, naming the option (in a buffer of its own: valid
 * until the next call, the reply is written before that)
 */
static const char *
streaming_opts(const struct sam_line *l, struct stream_opts *o)
{
	static char	 msg[160];
	const char	*key, *range;
	size_t		 i;

	stream_opts_default(o);
	for (i = 0; i < l->nargs; i++) {
		key = l->args[i].key;
		if ((range = stream_opts_range(key)) == NULL)
			continue;
		if (stream_opts_set(o, key, l->args[i].val) == -1) {
			snprintf(msg, sizeof(msg), "bad %s: %s", key, range);
			return msg;
		}
	}
	return NULL;
}

/*
 * HOST (an IP address, or the client's own when NULL) and port into
 * ss; NULL or what is wrong
 */
const char *
sam_host_port(const struct sam_conn *c, const char *host, uint16_t port,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	*ss = c->addr;
	if (host != NULL) {
		memset(ss, 0, sizeof(*ss));
		if (inet_pton(AF_INET, host, &sin->sin_addr) == 1)
			sin->sin_family = AF_INET;
		else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1)
			sin6->sin6_family = AF_INET6;
		else
			return "HOST must be an IP address";
	}
	if (ss->ss_family == AF_INET)
		sin->sin_port = htons(port);
	else
		sin6->sin6_port = htons(port);
	return NULL;
}

/* PORT and HOST: where received datagrams go */
static const char *
forward_opts(struct sam_conn *c, const struct sam_line *l,
    struct sam_session *s)
{
	const char	*host = sam_arg(l, "HOST"), *msg;
	long		 port = 0;

	if (sam_num_arg(l, "PORT", 1, 65535, &port) == -1)
		return "bad PORT";
	if (port == 0)
		return host != NULL ? "HOST without PORT" : NULL;
	if ((msg = sam_host_port(c, host, port, &s->fwd)) != NULL)
		return msg;
	s->has_fwd = 1;
	return NULL;
}

/* FROM_PORT, TO_PORT, PROTOCOL, HEADER and, for ADD, LISTEN_* */
static const char *
port_opts(const struct sam_line *l, struct sam_session *s, int add)
{
	long	 from = 0, to = 0, proto = PROTO_RAW, lport, lproto;
	int	 header = 0;

	if (sam_num_arg(l, "FROM_PORT", 0, 65535, &from) == -1 ||
	    sam_num_arg(l, "TO_PORT", 0, 65535, &to) == -1)
		return "bad FROM_PORT or TO_PORT";
	if (s->style != SAM_STYLE_RAW && (sam_arg(l, "PROTOCOL") != NULL ||
	    sam_arg(l, "HEADER") != NULL ||
	    sam_arg(l, "LISTEN_PROTOCOL") != NULL))
		return "PROTOCOL and HEADER are for STYLE=RAW";
	if (sam_num_arg(l, "PROTOCOL", 0, 255, &proto) == -1 ||
	    proto == PROTO_STREAMING || proto == PROTO_DATAGRAM)
		return "bad PROTOCOL";
	if (sam_bool_arg(l, "HEADER", &header) == -1)
		return "bad HEADER";
	lport = from;
	lproto = proto;
	if (!add && (sam_arg(l, "LISTEN_PORT") != NULL ||
	    sam_arg(l, "LISTEN_PROTOCOL") != NULL))
		return "LISTEN_PORT and LISTEN_PROTOCOL are for SESSION ADD";
	if (sam_num_arg(l, "LISTEN_PORT", 0, 65535, &lport) == -1 ||
	    sam_num_arg(l, "LISTEN_PROTOCOL", 0, 255, &lproto) == -1 ||
	    lproto == PROTO_STREAMING)
		return "bad LISTEN_PORT or LISTEN_PROTOCOL";
	s->from_port = from;
	s->to_port = to;
	s->protocol = proto;
	s->header = header;
	s->listen_port = lport;
	s->listen_protocol = s->style == SAM_STYLE_RAW ? lproto : 0;
	return NULL;
}

/* ---- SESSION CREATE ---- */

/*
 * A private key: Destination, the private key of its crypto type and
 * an Ed25519 signing key (offline-signed keys are not supported).
 * Returns the RESULT for a refusal, or NULL.
 */
static const char *
priv_check(const uint8_t *priv, size_t len, struct sam_session *s,
    const char **msg)
{
	struct i2p_ident	*id;
	struct i2p_err		 err;
	struct rbuf		 rb;
	size_t			 clen;
	const char		*res = NULL;

	if ((id = malloc(sizeof(*id))) == NULL)
		fatal(NULL);
	rbuf_init(&rb, priv, len);
	*msg = "not a private key";
	if (ident_parse(id, &rb, IDENT_DEST, &err) == -1 ||
	    i2p_cryptotype_len(id->cryptotype, &clen) == -1)
		res = "INVALID_KEY";
	else if (id->sigtype != SIGTYPE_ED25519) {
		*msg = "only Ed25519 destinations are supported";
		res = "I2P_ERROR";
	} else if (rbuf_left(&rb) != clen + 32)
		res = "INVALID_KEY";
	else {
		memcpy(s->hash, id->hash, sizeof(s->hash));
		s->has_hash = 1;
	}
	free(id);
	return res;
}

static int
dest_in_use(const struct sam_session *n)
{
	struct sam_session	*s;

	TAILQ_FOREACH(s, &sessions, entry)
		if (s != n && s->has_hash && memcmp(s->hash, n->hash, 32) == 0)
			return 1;
	return 0;
}

static struct sam_session *
session_new(struct sam_conn *c, const char *id, enum sam_style st)
{
	struct sam_session	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal(NULL);
	strlcpy(s->id, id, sizeof(s->id));
	s->style = st;
	s->conn = c;
	s->protocol = PROTO_RAW;
	s->sid = next_sid++;
	TAILQ_INSERT_TAIL(&sessions, s, entry);
	nsessions++;
	return s;
}

/* the common checks of CREATE and ADD; the RESULT for a refusal */
static const char *
session_checks(struct sam_conn *c, const struct sam_line *l,
    enum sam_style *st, const char **msg)
{
	const char	*id = sam_arg(l, "ID");

	*msg = NULL;
	if (style_parse(sam_arg(l, "STYLE"), st) == -1)
		*msg = "STYLE missing or unknown";
	else if (*st == SAM_STYLE_STREAM && !sam_stream_available())
		*msg = "streaming not available";
	else if (id == NULL || !id_valid(id))
		*msg = "ID missing or malformed";
	else if (sam_session_find(id) != NULL)
		return "DUPLICATED_ID";
	else if (nsessions >= SAM_SESSIONS_MAX)
		*msg = "too many sessions";
	return *msg != NULL ? "I2P_ERROR" : NULL;
}

static const char *
create_key(struct sam_conn *c, const struct sam_line *l,
    struct sam_session *s, struct sam_open_req *req, uint8_t *priv,
    const char **msg)
{
	const char	*d = sam_arg(l, "DESTINATION");
	const char	*res;
	int		 n;

	if (d == NULL) {
		*msg = "DESTINATION missing";
		return "I2P_ERROR";
	}
	if (strcmp(d, "TRANSIENT") == 0) {
		if ((*msg = sigtype_check(l, &req->sigtype)) != NULL)
			return "I2P_ERROR";
		return NULL;
	}
	req->sigtype = SIGTYPE_ED25519;
	if ((n = sam_b64_decode(priv, SAM_PRIV_MAX, d)) == -1) {
		*msg = "DESTINATION is not base64";
		return "INVALID_KEY";
	}
	if ((res = priv_check(priv, n, s, msg)) != NULL)
		return res;
	if (dest_in_use(s)) {
		*msg = NULL;
		return "DUPLICATED_DEST";
	}
	req->priv = priv;
	req->privlen = n;
	return NULL;
}

static const char *
create_opts(struct sam_conn *c, const struct sam_line *l,
    struct sam_session *s, struct sam_open_req *req,
    struct stream_opts *so)
{
	const char	*msg;

	if (s->style == SAM_STYLE_PRIMARY) {
		static const char *const bad[] = { "PORT", "HOST",
		    "FROM_PORT", "TO_PORT", "PROTOCOL", "HEADER" };
		size_t	 i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (sam_arg(l, bad[i]) != NULL)
				return "PORT, HOST, FROM_PORT, TO_PORT, "
				    "PROTOCOL and HEADER are for subsessions";
	} else if (s->style == SAM_STYLE_STREAM &&
	    (sam_arg(l, "PORT") != NULL || sam_arg(l, "HOST") != NULL))
		return "PORT and HOST are for DATAGRAM and RAW";
	else if ((msg = port_opts(l, s, 0)) != NULL ||
	    (msg = forward_opts(c, l, s)) != NULL)
		return msg;
	if ((msg = streaming_opts(l, so)) != NULL)
		return msg;
	req->stream = so;
	return tunnel_opts(l, &req->opts);
}

static void
session_create(struct sam_conn *c, const struct sam_line *l)
{
	struct sam_open_req	 req;
	struct stream_opts	 so;
	struct sam_session	*s;
	enum sam_style		 st;
	const char		*res, *msg;
	uint8_t			 priv[SAM_PRIV_MAX];

	if (c->sess != NULL) {
		sam_conn_reply(c, "SESSION STATUS", "I2P_ERROR", NULL, 0,
		    "this socket has a session already");
		return;
	}
	if ((res = session_checks(c, l, &st, &msg)) != NULL) {
		sam_conn_reply(c, "SESSION STATUS", res, NULL, 0, msg);
		return;
	}
	s = session_new(c, sam_arg(l, "ID"), st);
	memset(&req, 0, sizeof(req));
	req.sid = s->sid;
	req.style = st;
	if ((res = create_key(c, l, s, &req, priv, &msg)) == NULL &&
	    (msg = create_opts(c, l, s, &req, &so)) != NULL)
		res = "I2P_ERROR";
	if (res == NULL && (backend.open == NULL ||
	    backend.open(backend.arg, &req) == -1)) {
		res = "I2P_ERROR";
		msg = "cannot open a destination now";
	}
	crypto_wipe(priv, sizeof(priv));
	/* go-i2p/sam3 compares INVALID_KEY lines whole: no MESSAGE */
	if (res != NULL && strcmp(res, "INVALID_KEY") == 0)
		msg = NULL;
	if (res != NULL) {
		session_free(s);
		sam_conn_reply(c, "SESSION STATUS", res, NULL, 0, msg);
		return;
	}
	c->sess = s;
	c->busy = 1;	/* until the backend answers */
}

static struct sam_conn *
pending_conn(uint32_t sid, struct sam_session **sp)
{
	struct sam_session	*s;

	if ((s = session_by_sid(sid)) == NULL || s->ready ||
	    s->primary != NULL)
		return NULL;
	*sp = s;
	return s->conn;
}

void
sam_backend_opened(uint32_t sid, const uint8_t *pub, size_t publen,
    const uint8_t *priv, size_t privlen)
{
	struct sam_session	*s;
	struct sam_conn		*c;
	struct sam_field	 f[1];
	char			 b64[B64_ENCLEN(SAM_PRIV_MAX)];

	if ((c = pending_conn(sid, &s)) == NULL)
		return;
	if (publen > sizeof(s->dest) || privlen > SAM_PRIV_MAX ||
	    b64_encode(b64, sizeof(b64), priv, privlen) == -1)
		fatalx("sam: the backend's destination is malformed");
	memcpy(s->dest, pub, publen);
	s->destlen = publen;
	s->ready = 1;
	f[0] = (struct sam_field){ "DESTINATION", b64, 0 };
	sam_conn_reply(c, "SESSION STATUS", "OK", f, 1, NULL);
	crypto_wipe(b64, sizeof(b64));
	log_info("sam: session %s (%s) ready", s->id, style_name(s->style));
	sam_conn_resume(c);
}

void
sam_backend_open_failed(uint32_t sid, const char *result, const char *msg)
{
	struct sam_session	*s;
	struct sam_conn		*c;

	if ((c = pending_conn(sid, &s)) == NULL)
		return;
	c->sess = NULL;
	session_free(s);
	sam_conn_reply(c, "SESSION STATUS", result, NULL, 0, msg);
	sam_conn_resume(c);
}

/* ---- SESSION ADD and REMOVE ---- */

static int
listen_taken(const struct sam_session *p, const struct sam_session *n)
{
	struct sam_session	*s;

	TAILQ_FOREACH(s, &sessions, entry)
		if (s != n && s->primary == p && s->style == n->style &&
		    s->listen_port == n->listen_port &&
		    s->listen_protocol == n->listen_protocol)
			return 1;
	return 0;
}

static const char *
add_opts(struct sam_conn *c, const struct sam_line *l, struct sam_session *s)
{
	const char	*msg;

	if (sam_arg(l, "DESTINATION") != NULL)
		return "no DESTINATION on SESSION ADD";
	if (s->style == SAM_STYLE_STREAM) {
		if (sam_arg(l, "PORT") != NULL || sam_arg(l, "HOST") != NULL)
			return "PORT and HOST are for DATAGRAM and RAW";
		if ((msg = port_opts(l, s, 1)) != NULL)
			return msg;
		/* the spec: a STREAM subsession listens on FROM_PORT or 0 */
		if (s->listen_port != 0 && s->listen_port != s->from_port)
			return "LISTEN_PORT of a STREAM subsession must be "
			    "FROM_PORT or 0";
	} else if (sam_arg(l, "PORT") == NULL)
		return "PORT is required for DATAGRAM and RAW subsessions";
	else if ((msg = port_opts(l, s, 1)) != NULL ||
	    (msg = forward_opts(c, l, s)) != NULL)
		return msg;
	if (listen_taken(s->primary, s))
		return "a subsession listens on that port and protocol";
	return NULL;
}

static void
session_add(struct sam_conn *c, const struct sam_line *l)
{
	struct sam_session	*p = c->sess, *s;
	struct sam_field	 f[1];
	enum sam_style		 st;
	const char		*res, *msg;
	char			 m[SAM_ID_MAX + 8];

	if (p == NULL || p->style != SAM_STYLE_PRIMARY) {
		sam_conn_reply(c, "SESSION STATUS", "I2P_ERROR", NULL, 0,
		    "SESSION ADD needs a PRIMARY session on this socket");
		return;
	}
	if ((res = session_checks(c, l, &st, &msg)) == NULL &&
	    (st == SAM_STYLE_PRIMARY || p->nsub >= SAM_SUBSESSIONS_MAX)) {
		res = "I2P_ERROR";
		msg = st == SAM_STYLE_PRIMARY ? "no PRIMARY subsessions" :
		    "too many subsessions";
	}
	if (res != NULL) {
		sam_conn_reply(c, "SESSION STATUS", res, NULL, 0, msg);
		return;
	}
	s = session_new(c, sam_arg(l, "ID"), st);
	s->primary = p;
	p->nsub++;
	if ((msg = add_opts(c, l, s)) != NULL) {
		session_free(s);
		sam_conn_reply(c, "SESSION STATUS", "I2P_ERROR", NULL, 0, msg);
		return;
	}
	s->ready = 1;
	f[0] = (struct sam_field){ "ID", s->id, 0 };
	snprintf(m, sizeof(m), "ADD %s", s->id);
	sam_conn_reply(c, "SESSION STATUS", "OK", f, 1, m);
}

static void
session_remove(struct sam_conn *c, const struct sam_line *l)
{
	const char		*id = sam_arg(l, "ID");
	struct sam_session	*s;
	struct sam_field	 f[1];
	char			 m[SAM_ID_MAX + 8];

	if (id == NULL || (s = sam_session_find(id)) == NULL ||
	    c->sess == NULL || s->primary != c->sess) {
		sam_conn_reply(c, "SESSION STATUS", "I2P_ERROR", NULL, 0,
		    "no such subsession on this socket");
		return;
	}
	f[0] = (struct sam_field){ "ID", id, 0 };
	snprintf(m, sizeof(m), "REMOVE %s", id);
	sam_conn_reply(c, "SESSION STATUS", "OK", f, 1, m);
	session_free(s);
}

/* ---- sending ---- */

int
sam_send_size(const struct sam_line *l, size_t *size)
{
	long	 v = 0;

	if (sam_arg(l, "SIZE") == NULL ||
	    sam_num_arg(l, "SIZE", 1, SAM_RAW_MAX, &v) == -1)
		return -1;
	*size = v;
	return 0;
}

/*
 * The Destination a client names as the target: its base 64, also
 * with ".i2p" after it.  I2P trackers list peers that way (a
 * non-compact answer's "ip"), and libtorrent passes such a name on
 * to STREAM CONNECT unchanged; no host name is that long.
 */
int
sam_target_parse(const char *b64, uint8_t *dest, size_t *len)
{
	struct i2p_ident	 id;
	struct i2p_err		 err;
	char			 buf[SAM_PRIV_MAX * 2];
	size_t			 n = strlen(b64);
	int			 r;

	if (n > 4 && strcasecmp(b64 + n - 4, ".i2p") == 0) {
		if (n - 4 >= sizeof(buf))
			return -1;
		memcpy(buf, b64, n - 4);
		buf[n - 4] = '\0';
		b64 = buf;
	}
	r = sam_b64_decode(dest, SAM_PRIV_MAX, b64);
	/* a client may name its private key here: no copy of it stays */
	crypto_wipe(buf, sizeof(buf));
	if (r == -1 || ident_parse_bytes(&id, dest, r, IDENT_DEST, &err) == -1) {
		/* a private key is no Destination: not kept either */
		crypto_wipe(dest, SAM_PRIV_MAX);
		return -1;
	}
	*len = r;
	return 0;
}

int
sam_resolve(const char *name, uint8_t dest[SAM_PRIV_MAX], size_t *len)
{
	if (backend.resolve == NULL)
		return -1;
	return backend.resolve(backend.arg, name, dest, SAM_PRIV_MAX, len);
}

/* the session a datagram goes out of: a subsession's is its PRIMARY's */
static const char *
send_checks(const struct sam_session *s, const struct sam_line *l,
    struct sam_dgram *dg)
{
	long	 from = s->from_port, to = s->to_port, proto = s->protocol;

	if (sam_num_arg(l, "FROM_PORT", 0, 65535, &from) == -1 ||
	    sam_num_arg(l, "TO_PORT", 0, 65535, &to) == -1 ||
	    sam_num_arg(l, "PROTOCOL", 0, 255, &proto) == -1 ||
	    proto == PROTO_STREAMING || proto == PROTO_DATAGRAM)
		return "bad FROM_PORT, TO_PORT or PROTOCOL";
	if (dg->len == 0 || dg->len > (dg->raw ? SAM_RAW_MAX : SAM_DGRAM_MAX))
		return "datagram too large or empty";
	dg->from_port = from;
	dg->to_port = to;
	dg->protocol = dg->raw ? proto : PROTO_DATAGRAM;
	return NULL;
}

static const char *
send_dgram(struct sam_session *s, const struct sam_line *l,
    const char *target, struct sam_dgram *dg)
{
	uint8_t		 dest[SAM_PRIV_MAX];
	const char	*msg;
	uint32_t	 sid;

	if ((msg = send_checks(s, l, dg)) != NULL)
		return msg;
	if (target == NULL ||
	    (sam_target_parse(target, dest, &dg->destlen) == -1 &&
	    sam_resolve(target, dest, &dg->destlen) == -1))
		return "DESTINATION missing, not a destination or unknown";
	dg->dest = dest;
	sid = s->primary != NULL ? s->primary->sid : s->sid;
	if (backend.send == NULL || backend.send(backend.arg, sid, dg) == -1) {
		sam_stats()->dgrams_dropped++;
		return "dropped";
	}
	s->dgrams_out++;
	sam_stats()->dgrams_out++;
	sam_stats()->bytes_out += dg->len;
	return NULL;
}

/*
 * DATAGRAM SEND and RAW SEND on the control socket (v1/v2): to this
 * socket's session of that style.  No reply is specified: an error
 * is logged and counted, and the datagram dropped.
 */
static void
send_cmd(struct sam_conn *c, const struct sam_line *l, int raw,
    const uint8_t *payload, size_t len)
{
	struct sam_session	*s = c->sess;
	struct sam_dgram	 dg;
	const char		*msg;

	memset(&dg, 0, sizeof(dg));
	dg.raw = raw;
	dg.payload = payload;
	dg.len = len;
	if (s == NULL || !s->ready ||
	    s->style != (raw ? SAM_STYLE_RAW : SAM_STYLE_DATAGRAM))
		msg = "no session of this style on this socket";
	else
		msg = send_dgram(s, l, sam_arg(l, "DESTINATION"), &dg);
	if (msg != NULL) {
		sam_stats()->errors++;
		log_debug("sam: client %u: %s SEND: %s", c->id, l->cmd, msg);
	}
}

void
sam_udp_input(const void *p, size_t len, const struct sockaddr_storage *from)
{
	struct sam_udp_hdr	*h;
	struct sam_session	*s;
	struct sam_dgram	 dg;
	const char		*msg = NULL;

	if ((h = malloc(sizeof(*h))) == NULL)
		fatal(NULL);
	memset(&dg, 0, sizeof(dg));
	if (sam_udp_parse(h, p, len, &msg) == -1)
		;
	else if ((s = sam_session_find(h->line.sub)) == NULL || !s->ready ||
	    (s->style != SAM_STYLE_DATAGRAM && s->style != SAM_STYLE_RAW))
		msg = "no DATAGRAM or RAW session of that ID";
	else {
		dg.raw = s->style == SAM_STYLE_RAW;
		dg.payload = h->payload;
		dg.len = h->len;
		msg = send_dgram(s, &h->line, h->line.dest, &dg);
	}
	if (msg != NULL) {
		sam_stats()->errors++;
		log_debug("sam: datagram on the UDP port: %s", msg);
	}
	free(h);
}

/* ---- receiving ---- */

/*
 * A PRIMARY's subsession for a datagram (api/samv3.html "Creating a
 * Subsession"): same style, LISTEN_PORT equal or 0, for RAW also
 * LISTEN_PROTOCOL equal or 0; the most specific one wins.
 */
static struct sam_session *
route(struct sam_session *p, const struct sam_dgram *dg)
{
	struct sam_session	*s, *best = NULL;
	int			 score, best_score = -1;

	TAILQ_FOREACH(s, &sessions, entry) {
		if (s->primary != p || s->style != (dg->raw ?
		    SAM_STYLE_RAW : SAM_STYLE_DATAGRAM))
			continue;
		if (s->listen_port != 0 && s->listen_port != dg->to_port)
			continue;
		if (s->listen_protocol != 0 &&
		    s->listen_protocol != dg->protocol)
			continue;
		score = (s->listen_port != 0) * 2 + (s->listen_protocol != 0);
		if (score > best_score) {
			best = s;
			best_score = score;
		}
	}
	return best;
}

static void
port_fields(struct sam_field *f, const struct sam_dgram *dg, char *from,
    char *to, char *proto)
{
	snprintf(from, 16, "%u", dg->from_port);
	snprintf(to, 16, "%u", dg->to_port);
	snprintf(proto, 16, "%u", dg->protocol);
	f[0] = (struct sam_field){ "FROM_PORT", from, SAM_V(3, 2) };
	f[1] = (struct sam_field){ "TO_PORT", to, SAM_V(3, 2) };
	f[2] = (struct sam_field){ "PROTOCOL", proto, SAM_V(3, 2) };
}

/* the header before the payload, forwarded or on the control socket */
static int
dgram_header(struct wbuf *w, const struct sam_session *s,
    const struct sam_dgram *dg, char *b64)
{
	struct sam_field f[5];
	char		 from[16], to[16], proto[16], size[16];
	int		 ver = s->conn->version;

	port_fields(f + 2, dg, from, to, proto);
	snprintf(size, sizeof(size), "%zu", dg->len);
	f[0] = (struct sam_field){ "DESTINATION", b64, 0 };
	f[1] = (struct sam_field){ "SIZE", size, 0 };
	if (!s->has_fwd)
		return sam_reply(w, ver, dg->raw ? "RAW RECEIVED" :
		    "DATAGRAM RECEIVED", NULL, dg->raw ? f + 1 : f,
		    4, NULL);
	if (!dg->raw) {
		wbuf_put_bytes(w, b64, strlen(b64));
		if (ver >= SAM_V(3, 2))
			wbuf_put_u8(w, ' ');
		sam_put_fields(w, ver, f + 2, 2);
		return wbuf_put_u8(w, '\n');
	}
	if (!s->header)
		return 0;
	sam_put_fields(w, SAM_VERSION_MAX, f + 2, 3);
	return wbuf_put_u8(w, '\n');
}

static void
deliver(struct sam_session *s, const struct sam_dgram *dg)
{
	struct sam_conn	*c = s->conn;
	struct wbuf	 w;
	char		 b64[B64_ENCLEN(SAM_DEST_MAX)] = "";

	if (!dg->raw && b64_encode(b64, sizeof(b64), dg->dest,
	    dg->destlen) == -1)
		return;
	if (!s->has_fwd && wbuf_len(&c->out) > SAM_OUTQ_DGRAM_MAX) {
		sam_stats()->dgrams_dropped++;
		return;
	}
	if (wbuf_init_dynamic(&w, 1024, SAM_LINE_MAX + SAM_RAW_MAX) == -1)
		fatal(NULL);
	dgram_header(&w, s, dg, b64);
	wbuf_put_bytes(&w, dg->payload, dg->len);
	if (wbuf_error(&w))
		fatalx("sam: received datagram does not fit");
	if (s->has_fwd)
		udp_send(&s->fwd, wbuf_data(&w), wbuf_len(&w));
	else
		sam_conn_write(c, wbuf_data(&w), wbuf_len(&w));
	wbuf_free(&w);
	s->dgrams_in++;
	sam_stats()->dgrams_in++;
	sam_stats()->bytes_in += dg->len;
	if (!s->has_fwd && sam_conn_changed != NULL)
		sam_conn_changed(c);
}

void
sam_backend_received(uint32_t sid, const struct sam_dgram *dg)
{
	struct sam_session	*s;

	if ((s = session_by_sid(sid)) == NULL || !s->ready ||
	    s->primary != NULL)
		return;
	if (s->style == SAM_STYLE_PRIMARY)
		s = route(s, dg);
	if (s == NULL || s->style != (dg->raw ? SAM_STYLE_RAW :
	    SAM_STYLE_DATAGRAM) || dg->len > SAM_RAW_MAX ||
	    (!dg->raw && (dg->dest == NULL || dg->destlen > SAM_DEST_MAX))) {
		sam_stats()->dgrams_dropped++;
		return;
	}
	deliver(s, dg);
}

/* ---- NAMING LOOKUP and DEST GENERATE ---- */

static void
naming_reply(struct sam_conn *c, const char *name, const char *result,
    const char *value, const char *msg)
{
	struct sam_field	f[2];

	f[0] = (struct sam_field){ "NAME", name, 0 };
	f[1] = (struct sam_field){ "VALUE", value, 0 };
	sam_conn_reply(c, "NAMING REPLY", result, f, 2, msg);
}

static void
naming_me(struct sam_conn *c, const char *name)
{
	struct sam_session	*s = c->sess;
	char			 b64[B64_ENCLEN(SAM_DEST_MAX)];

	if (s == NULL || !s->ready) {
		naming_reply(c, name, "KEY_NOT_FOUND", NULL,
		    "no session on this socket");
		return;
	}
	if (b64_encode(b64, sizeof(b64), s->dest, s->destlen) == -1)
		fatalx("sam: session destination too long");
	naming_reply(c, name, "OK", b64, NULL);
}

/* a name that is a Destination: its base 64 without ".i2p", if any */
static void
naming_dest(struct sam_conn *c, const char *name, const uint8_t *dest,
    size_t len)
{
	char	 b64[B64_ENCLEN(SAM_PRIV_MAX)];

	if (b64_encode(b64, sizeof(b64), dest, len) == -1)
		fatalx("sam: destination too long");
	naming_reply(c, name, "OK", b64, NULL);
}

static void
naming_lookup(struct sam_conn *c, const struct sam_line *l)
{
	const char	*name = sam_arg(l, "NAME");
	uint8_t		 hash[32], dest[SAM_PRIV_MAX];
	size_t		 len;

	if (name == NULL || *name == '\0')
		naming_reply(c, NULL, "INVALID_KEY", NULL, "NAME missing");
	else if (strcmp(name, "ME") == 0)
		naming_me(c, name);
	else if (b32_name_hash(name, hash) == 0) {
		strlcpy(c->lookup, name, sizeof(c->lookup));
		if (backend.lookup == NULL ||
		    backend.lookup(backend.arg, sam_new_reqid(c), hash) == -1) {
			sam_conn_unbusy(c);
			naming_reply(c, name, "I2P_ERROR", NULL,
			    "cannot look up now");
		}
	} else if ((strlen(name) >= 516 &&
	    sam_target_parse(name, dest, &len) == 0) ||
	    sam_resolve(name, dest, &len) == 0)
		naming_dest(c, name, dest, len);
	else
		naming_reply(c, name, "KEY_NOT_FOUND", NULL, "no such name");
}

void
sam_backend_found(uint32_t reqid, const uint8_t *dest, size_t len)
{
	struct sam_conn		*c;
	struct i2p_ident	 id;
	struct i2p_err		 err;
	char			 b64[B64_ENCLEN(SAM_DEST_MAX)];
	char			 name[I2P_B32_NAMESZ];

	if ((c = sam_conn_by_reqid(reqid)) == NULL)
		return;
	if (c->mode == SAM_MODE_CONNECTING) {
		sam_stream_found(c, dest, len);
		return;
	}
	/* the answer must be the destination of the name asked for */
	if (dest == NULL || ident_parse_bytes(&id, dest, len, IDENT_DEST,
	    &err) == -1 || b64_encode(b64, sizeof(b64), dest, len) == -1 ||
	    ident_b32(&id, name, sizeof(name)) == -1 ||
	    strcasecmp(name, c->lookup) != 0)
		naming_reply(c, c->lookup, "KEY_NOT_FOUND", NULL, "not found");
	else
		naming_reply(c, c->lookup, "OK", b64, NULL);
	sam_conn_resume(c);
}

static void
dest_generate(struct sam_conn *c, const struct sam_line *l)
{
	const char	*msg;
	uint16_t	 type;

	if (l->sub == NULL || strcmp(l->sub, "GENERATE") != 0)
		msg = "unknown DEST command";
	else if ((msg = sigtype_check(l, &type)) == NULL &&
	    (backend.generate == NULL ||
	    backend.generate(backend.arg, sam_new_reqid(c), type) == -1)) {
		sam_conn_unbusy(c);
		msg = "cannot generate a key now";
	}
	if (msg != NULL)
		sam_conn_reply(c, "DEST REPLY", "I2P_ERROR", NULL, 0, msg);
}

void
sam_backend_generated(uint32_t reqid, const uint8_t *pub, size_t publen,
    const uint8_t *priv, size_t privlen, const char *msg)
{
	struct sam_conn		*c;
	struct sam_field	 f[2];
	char			 pb[B64_ENCLEN(SAM_DEST_MAX)];
	char			 vb[B64_ENCLEN(SAM_PRIV_MAX)];

	if ((c = sam_conn_by_reqid(reqid)) == NULL)
		return;
	if (pub == NULL || priv == NULL ||
	    b64_encode(pb, sizeof(pb), pub, publen) == -1 ||
	    b64_encode(vb, sizeof(vb), priv, privlen) == -1)
		sam_conn_reply(c, "DEST REPLY", "I2P_ERROR", NULL, 0,
		    msg != NULL ? msg : "key generation failed");
	else {
		f[0] = (struct sam_field){ "PUB", pb, 0 };
		f[1] = (struct sam_field){ "PRIV", vb, 0 };
		sam_conn_reply(c, "DEST REPLY", NULL, f, 2, NULL);
	}
	crypto_wipe(vb, sizeof(vb));
	sam_conn_resume(c);
}

/* ---- dispatch ---- */

static int
sub_is(const struct sam_line *l, const char *sub)
{
	return l->sub != NULL && strcmp(l->sub, sub) == 0;
}

int
sam_session_command(struct sam_conn *c, const struct sam_line *l,
    const uint8_t *payload, size_t len)
{
	if (strcmp(l->cmd, "SESSION") == 0 && sub_is(l, "CREATE"))
		session_create(c, l);
	else if (strcmp(l->cmd, "SESSION") == 0 && sub_is(l, "ADD"))
		session_add(c, l);
	else if (strcmp(l->cmd, "SESSION") == 0 && sub_is(l, "REMOVE"))
		session_remove(c, l);
	else if (strcmp(l->cmd, "DATAGRAM") == 0 && sub_is(l, "SEND"))
		send_cmd(c, l, 0, payload, len);
	else if (strcmp(l->cmd, "RAW") == 0 && sub_is(l, "SEND"))
		send_cmd(c, l, 1, payload, len);
	else if (strcmp(l->cmd, "NAMING") == 0 && sub_is(l, "LOOKUP"))
		naming_lookup(c, l);
	else if (strcmp(l->cmd, "DEST") == 0)
		dest_generate(c, l);
	else if (strcmp(l->cmd, "STREAM") == 0)
		sam_stream_command(c, l);
	else
		return -1;
	return 0;
}
