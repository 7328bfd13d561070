/*
 * The SAM conformance test: the command lines real clients send,
 * replayed byte for byte against the bridge (tunneld/sam_conn.c,
 * sam_session.c) with a fake backend, and each reply read the way that
 * client reads it (SPECMAP.md section 11; the clients' sources):
 *
 *   libtorrent 2.0.x	 i2p_stream.hpp: the first two words, then
 *			 NAME=VALUE with an optional "..." (no escapes);
 *			 an empty value is a parse failure; RESULT from a
 *			 fixed list
 *   Bitcoin Core	 src/i2p.cpp: split on ' ', KEY=VALUE into a map,
 *			 Get("RESULT"), Get("PRIV"), Get("VALUE")
 *   txi2p		 keys become keyword arguments: no key outside
 *			 the reply's own set
 *   go-i2p/sam3	 whole-line comparisons ("SESSION STATUS
 *			 RESULT=OK DESTINATION=<its own key>", INVALID_KEY
 *			 alone); DEST REPLY with nothing but PUB= and PRIV=;
 *			 forwarded datagrams "<dest>\n<payload>" at 3.1
 *   diva i2p-sam	 DEST GENERATE without SIGNATURE_TYPE; UDP
 *			 "3.0 <id> <dest>\n<payload>"; key=value split
 *			 that drops '=' padding
 *
 * Streams, behind a backend that has them: each client's STREAM
 * CONNECT, ACCEPT and FORWARD lines byte for byte, the STREAM STATUS
 * and the peer's line read the way that client reads them.  Behind a
 * backend without streams (sam_backend.c until it is wired), the same
 * clients must at least read the refusal as an error.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bsd/string.h>
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "encoding.h"
#include "i2pdata.h"
#include "../../tunneld/sam.h"
#include "unit.h"

static struct sam_open_req	 last_open;
static uint32_t			 last_reqid;
static int			 nsent;
static struct sam_dgram		 last_sent;
static uint8_t			 udp_out[4096];
static size_t			 udp_len;

static int
fake_open(void *arg, const struct sam_open_req *r)
{
	last_open = *r;
	last_open.priv = NULL;
	return 0;
}

static void
fake_close(void *arg, uint32_t sid)
{
}

static int
fake_generate(void *arg, uint32_t reqid, uint16_t type)
{
	last_reqid = reqid;
	return 0;
}

static int
fake_lookup(void *arg, uint32_t reqid, const uint8_t hash[32])
{
	last_reqid = reqid;
	return 0;
}

static int
fake_send(void *arg, uint32_t sid, const struct sam_dgram *dg)
{
	last_sent = *dg;
	nsent++;
	return 0;
}

static void
fake_udp(const struct sockaddr_storage *to, const void *p, size_t len)
{
	if (len > sizeof(udp_out))
		len = sizeof(udp_out);
	memcpy(udp_out, p, len);
	udp_len = len;
}

static const struct sam_backend fake = {
	.open = fake_open, .close = fake_close, .generate = fake_generate,
	.lookup = fake_lookup, .send = fake_send,
};

/* streams: the last connect's id and what was written to streams */
static uint32_t		 conn_id;
static uint16_t		 conn_from, conn_to;
static char		 written[256];

static int
fake_connect(void *arg, uint32_t sid, uint32_t id, const uint8_t *d,
    size_t len, uint16_t from, uint16_t to)
{
	conn_id = id;
	conn_from = from;
	conn_to = to;
	return 0;
}

static void
fake_listen(void *arg, uint32_t sid, int on)
{
}

static ssize_t
fake_write(void *arg, uint32_t id, const void *p, size_t len)
{
	strncat(written, p, len < sizeof(written) - strlen(written) - 1 ?
	    len : sizeof(written) - strlen(written) - 1);
	return len;
}

static ssize_t
fake_read(void *arg, uint32_t id, void *p, size_t len)
{
	return 0;
}

static void
fake_id(void *arg, uint32_t id)
{
}

static const struct sam_backend fake_streams = {
	.open = fake_open, .close = fake_close, .generate = fake_generate,
	.lookup = fake_lookup, .send = fake_send,
	.stream_connect = fake_connect, .stream_listen = fake_listen,
	.stream_write = fake_write, .stream_read = fake_read,
	.stream_shutdown = fake_id, .stream_close = fake_id,
};

static uint8_t	 dest[I2P_IDENT_LEN], priv[I2P_IDENT_LEN + 256 + 32];
static char	 dest_b64[B64_ENCLEN(sizeof(dest))];
static char	 priv_b64[B64_ENCLEN(sizeof(priv))];
static char	 b32[I2P_B32_NAMESZ];

static void
setup(void)
{
	struct i2p_ident	 id;
	uint8_t			 pub[32];

	sam_init(&fake, fake_udp);
	nsent = 0;
	udp_len = 0;
	memset(pub, 9, sizeof(pub));
	ck_assert_int_eq(ident_build(&id, IDENT_DEST, NULL, pub, NULL), 0);
	memcpy(dest, id.raw, sizeof(dest));
	ck_assert_int_gt(ident_b32(&id, b32, sizeof(b32)), 0);
	memcpy(priv, dest, sizeof(dest));
	memset(priv + sizeof(dest), 3, sizeof(priv) - sizeof(dest));
	ck_assert_int_gt(b64_encode(dest_b64, sizeof(dest_b64), dest,
	    sizeof(dest)), 0);
	ck_assert_int_gt(b64_encode(priv_b64, sizeof(priv_b64), priv,
	    sizeof(priv)), 0);
}

static void
teardown(void)
{
	sam_init(&fake, fake_udp);
}

static struct sam_conn *
conn(void)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sam_conn		*c;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_ptr_nonnull(c = sam_conn_new(-1, &ss, 0));
	return c;
}

static void
send_line(struct sam_conn *c, const char *s)
{
	sam_conn_input(c, s, strlen(s));
}

/* the next reply line (without its newline), consumed */
static const char *
next_line(struct sam_conn *c)
{
	static char	 line[SAM_LINE_MAX * 2];
	const uint8_t	*p = wbuf_data(&c->out);
	size_t		 n = wbuf_len(&c->out), i;

	for (i = 0; i < n && p[i] != '\n'; i++)
		;
	ck_assert_msg(i < n, "no reply line");
	ck_assert_uint_lt(i, sizeof(line));
	memcpy(line, p, i);
	line[i] = '\0';
	memmove(c->out.data, p + i + 1, n - i - 1);
	c->out.len = n - i - 1;
	return line;
}

/* ---- libtorrent's reader ---- */

struct lt_reply {
	char	result[32];	/* "" if none */
	char	value[1024];
	char	dest[2048];
};

/*
 * 0 parsed (result in r), -1 parse_failed: the two words, then
 * NAME=VALUE, a value in quotes running to the next quote.
 */
static int
lt_parse(const char *line, const char *w1, const char *w2, struct lt_reply *r)
{
	static const char *const known[] = { "OK", "CANT_REACH_PEER",
	    "I2P_ERROR", "INVALID_KEY", "INVALID_ID", "TIMEOUT",
	    "KEY_NOT_FOUND", "DUPLICATED_ID" };
	const char	*p = line, *e, *v;
	size_t		 nlen, vlen, i;

	memset(r, 0, sizeof(*r));
	if (strncmp(p, w1, strlen(w1)) != 0 || p[strlen(w1)] != ' ')
		return -1;
	p += strlen(w1) + 1;
	if (strncmp(p, w2, strlen(w2)) != 0 || (p[strlen(w2)] != ' ' &&
	    p[strlen(w2)] != '\0'))
		return -1;
	p += strlen(w2);
	while (*p == ' ')
		p++;
	while (*p != '\0') {
		if ((e = strchr(p, '=')) == NULL)
			break;
		nlen = e - p;
		v = e + 1;
		if (*v == '"') {
			v++;
			if ((e = strchr(v, '"')) == NULL)
				return -1;
			vlen = e - v;
			e++;
		} else {
			vlen = strcspn(v, " ");
			e = v + vlen;
		}
		if (vlen == 0)
			return -1;
		if (nlen == 6 && strncmp(p, "RESULT", 6) == 0) {
			snprintf(r->result, sizeof(r->result), "%.*s",
			    (int)vlen, v);
			for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
				if (strcmp(r->result, known[i]) == 0)
					break;
			if (i == sizeof(known) / sizeof(known[0]))
				return -1;
		} else if (nlen == 5 && strncmp(p, "VALUE", 5) == 0)
			snprintf(r->value, sizeof(r->value), "%.*s",
			    (int)vlen, v);
		else if (nlen == 11 && strncmp(p, "DESTINATION", 11) == 0)
			snprintf(r->dest, sizeof(r->dest), "%.*s",
			    (int)vlen, v);
		for (p = e; *p == ' '; p++)
			;
	}
	return 0;
}

/* ---- Bitcoin Core's reader: Get(key) from a split on ' ' ---- */

static const char *
btc_get(const char *line, const char *key)
{
	static char	 val[2048];
	char		 copy[SAM_LINE_MAX * 2], *p, *w, *eq;

	strlcpy(copy, line, sizeof(copy));
	for (p = copy; (w = strsep(&p, " ")) != NULL;) {
		if ((eq = strchr(w, '=')) == NULL)
			continue;
		*eq = '\0';
		if (strcmp(w, key) == 0) {
			strlcpy(val, eq + 1, sizeof(val));
			return val;
		}
	}
	return NULL;
}

/* ---- txi2p: every key of a reply must be one it takes ---- */

static int
txi2p_keys_ok(const char *line, const char *const *allowed)
{
	struct sam_line	 l;
	const char	*why;
	size_t		 i, j;

	if (sam_line_parse(&l, (const uint8_t *)line, strlen(line),
	    &why) == -1)
		return 0;
	for (i = 0; i < l.nargs; i++) {
		for (j = 0; allowed[j] != NULL; j++)
			if (strcmp(l.args[i].key, allowed[j]) == 0)
				break;
		if (allowed[j] == NULL || *l.args[i].val == '\0')
			return 0;
	}
	/* RESULT first, MESSAGE last */
	if (l.nargs > 0 && sam_arg(&l, "RESULT") != NULL &&
	    strcmp(l.args[0].key, "RESULT") != 0)
		return 0;
	if (sam_arg(&l, "MESSAGE") != NULL &&
	    strcmp(l.args[l.nargs - 1].key, "MESSAGE") != 0)
		return 0;
	return 1;
}

/* ---- the clients ---- */

START_TEST(libtorrent)
{
	struct sam_conn	*c = conn();
	struct lt_reply	 r;
	char		 line[256];

	/* 2.0.8 and before */
	send_line(c, "HELLO VERSION MIN=3.0 MAX=3.0\n");
	ck_assert_int_eq(lt_parse(next_line(c), "HELLO", "REPLY", &r), 0);
	ck_assert_str_eq(r.result, "OK");
	send_line(c, "SESSION CREATE STYLE=STREAM ID=0a1b2c3d4e5f60718293a4b5"
	    "c6d7e8f901234567 DESTINATION=TRANSIENT\n");
	ck_assert_int_eq(lt_parse(next_line(c), "SESSION", "STATUS", &r), 0);
	ck_assert_str_eq(r.result, "I2P_ERROR");
	sam_conn_free(c);
	/* 2.0.9+: 3.1, its session line; a lookup of a b32 name */
	c = conn();
	send_line(c, "HELLO VERSION MIN=3.1 MAX=3.1\n");
	ck_assert_int_eq(lt_parse(next_line(c), "HELLO", "REPLY", &r), 0);
	ck_assert_str_eq(r.result, "OK");
	send_line(c, "SESSION CREATE STYLE=STREAM ID=ab DESTINATION=TRANSIENT "
	    "SIGNATURE_TYPE=7 inbound.quantity=3 outbound.quantity=3 "
	    "inbound.length=3 outbound.length=3 i2cp.leaseSetEncType=4,0\n");
	ck_assert_int_eq(lt_parse(next_line(c), "SESSION", "STATUS", &r), 0);
	ck_assert_str_eq(r.result, "I2P_ERROR");
	snprintf(line, sizeof(line), "NAMING LOOKUP NAME=%s\n", b32);
	send_line(c, line);
	sam_backend_found(last_reqid, dest, sizeof(dest));
	ck_assert_int_eq(lt_parse(next_line(c), "NAMING", "REPLY", &r), 0);
	ck_assert_str_eq(r.result, "OK");
	ck_assert_str_eq(r.value, dest_b64);
	send_line(c, line);
	sam_backend_found(last_reqid, NULL, 0);
	ck_assert_int_eq(lt_parse(next_line(c), "NAMING", "REPLY", &r), 0);
	ck_assert_str_eq(r.result, "KEY_NOT_FOUND");
	send_line(c, "NAMING LOOKUP NAME=ME\n");
	ck_assert_int_eq(lt_parse(next_line(c), "NAMING", "REPLY", &r), 0);
	ck_assert_str_eq(r.result, "KEY_NOT_FOUND");
	send_line(c, "STREAM ACCEPT ID=ab\n");
	ck_assert_int_eq(lt_parse(next_line(c), "STREAM", "STATUS", &r), 0);
	ck_assert_str_eq(r.result, "I2P_ERROR");
}
END_TEST

START_TEST(bitcoin)
{
	struct sam_conn	*c = conn();
	char		 line[256], want[2048];

	send_line(c, "HELLO VERSION MIN=3.1 MAX=3.1\n");
	ck_assert_str_eq(btc_get(next_line(c), "RESULT"), "OK");
	/* persistent key: DEST GENERATE with the number 7 */
	send_line(c, "DEST GENERATE SIGNATURE_TYPE=7\n");
	sam_backend_generated(last_reqid, dest, sizeof(dest), priv,
	    sizeof(priv), NULL);
	ck_assert_str_eq(btc_get(next_line(c), "PRIV"), priv_b64);
	/* NAMING LOOKUP on a socket with no session */
	snprintf(line, sizeof(line), "NAMING LOOKUP NAME=%s\n", b32);
	send_line(c, line);
	sam_backend_found(last_reqid, dest, sizeof(dest));
	ck_assert_str_eq(btc_get(next_line(c), "VALUE"), dest_b64);
	/* its sessions are STREAM: refused, and read as not OK */
	snprintf(want, sizeof(want), "SESSION CREATE STYLE=STREAM "
	    "ID=0123456789 DESTINATION=%s i2cp.leaseSetEncType=4,0 inbound.quantity=3 "
	    "outbound.quantity=3\n", priv_b64);
	send_line(c, want);
	ck_assert_str_ne(btc_get(next_line(c), "RESULT"), "OK");
	send_line(c, "STREAM CONNECT ID=0123456789 DESTINATION=x "
	    "SILENT=false\n");
	ck_assert_str_eq(btc_get(next_line(c), "RESULT"), "I2P_ERROR");
}
END_TEST

START_TEST(txi2p)
{
	static const char *const hello_keys[] = { "RESULT", "VERSION",
	    "MESSAGE", NULL };
	static const char *const session_keys[] = { "RESULT", "DESTINATION",
	    "MESSAGE", NULL };
	static const char *const naming_keys[] = { "RESULT", "NAME", "VALUE",
	    "MESSAGE", NULL };
	static const char *const dest_keys[] = { "RESULT", "PUB", "PRIV",
	    "MESSAGE", NULL };
	struct sam_conn	*c = conn();
	const char	*l;

	send_line(c, "HELLO VERSION MIN=3.0 MAX=3.2\n");
	l = next_line(c);
	ck_assert_str_eq(l, "HELLO REPLY RESULT=OK VERSION=3.2");
	ck_assert(txi2p_keys_ok(l, hello_keys));
	send_line(c, "DEST GENERATE SIGNATURE_TYPE=EdDSA_SHA512_Ed25519\n");
	sam_backend_generated(last_reqid, dest, sizeof(dest), priv,
	    sizeof(priv), NULL);
	ck_assert(txi2p_keys_ok(next_line(c), dest_keys));
	send_line(c, "SESSION CREATE STYLE=DATAGRAM ID=tx "
	    "DESTINATION=TRANSIENT SIGNATURE_TYPE=EdDSA_SHA512_Ed25519 "
	    "FROM_PORT=5 TO_PORT=6\n");
	ck_assert_int_eq(last_open.sigtype, 7);
	sam_backend_opened(last_open.sid, dest, sizeof(dest), priv,
	    sizeof(priv));
	ck_assert(txi2p_keys_ok(next_line(c), session_keys));
	send_line(c, "NAMING LOOKUP NAME=ME\nNAMING LOOKUP NAME=x.i2p\n");
	ck_assert(txi2p_keys_ok(next_line(c), naming_keys));
	ck_assert(txi2p_keys_ok(next_line(c), naming_keys));
	/* keepalive every 120 s */
	send_line(c, "PING 1700000000\n");
	ck_assert_str_eq(next_line(c), "PONG 1700000000");
	/* errors, too, carry only its keys */
	send_line(c, "SESSION CREATE STYLE=RAW ID=tx DESTINATION=TRANSIENT\n"
	    "DEST GENERATE SIGNATURE_TYPE=DSA_SHA1\n");
	ck_assert(txi2p_keys_ok(next_line(c), session_keys));
	ck_assert(txi2p_keys_ok(next_line(c), dest_keys));
}
END_TEST

START_TEST(go_sam3)
{
	struct sam_conn	*c = conn();
	char		 line[4096], want[4096];

	send_line(c, "HELLO VERSION MIN=3.1 MAX=3.1\n");
	ck_assert_ptr_nonnull(strstr(next_line(c), "HELLO REPLY RESULT=OK"));
	/* NewKeys: nothing but DEST, REPLY, PUB= and PRIV= */
	send_line(c, "DEST GENERATE SIGNATURE_TYPE=7\n");
	sam_backend_generated(last_reqid, dest, sizeof(dest), priv,
	    sizeof(priv), NULL);
	snprintf(want, sizeof(want), "DEST REPLY PUB=%s PRIV=%s", dest_b64,
	    priv_b64);
	ck_assert_str_eq(next_line(c), want);
	/* its session line: options, then " PORT=n" after a space */
	snprintf(line, sizeof(line), "SESSION CREATE STYLE=DATAGRAM ID=g "
	    "DESTINATION=%s SIGNATURE_TYPE=EdDSA_SHA512_Ed25519 "
	    "inbound.length=1  PORT=40001\n", priv_b64);
	send_line(c, line);
	sam_backend_opened(last_open.sid, dest, sizeof(dest), priv,
	    sizeof(priv));
	/* the key echoed exactly as it was sent */
	snprintf(want, sizeof(want), "SESSION STATUS RESULT=OK DESTINATION=%s",
	    priv_b64);
	ck_assert_str_eq(next_line(c), want);
	/* WriteTo: "3.1 <id> <dest>\n" */
	snprintf(line, sizeof(line), "3.1 g %s\nhello", dest_b64);
	sam_udp_input(line, strlen(line), NULL);
	ck_assert_int_eq(nsent, 1);
	ck_assert_uint_eq(last_sent.len, 5);
	/* ReadFrom: the line before '\n' is the address, nothing else */
	{
		struct sam_dgram	 dg;

		memset(&dg, 0, sizeof(dg));
		dg.dest = dest;
		dg.destlen = sizeof(dest);
		dg.to_port = 3;
		dg.protocol = 17;
		dg.payload = (const uint8_t *)"x";
		dg.len = 1;
		sam_backend_received(last_open.sid, &dg);
	}
	snprintf(want, sizeof(want), "%s\nx", dest_b64);
	ck_assert_uint_eq(udp_len, strlen(want));
	ck_assert_int_eq(memcmp(udp_out, want, udp_len), 0);
	/* whole-line refusals */
	c = conn();
	send_line(c, "HELLO VERSION MIN=3.1 MAX=3.1\n");
	next_line(c);
	send_line(c, "SESSION CREATE STYLE=DATAGRAM ID=g DESTINATION=TRANSIENT "
	    "PORT=1\nSESSION CREATE STYLE=DATAGRAM ID=h DESTINATION=AAAA\n");
	ck_assert_str_eq(next_line(c), "SESSION STATUS RESULT=DUPLICATED_ID");
	ck_assert_str_eq(next_line(c), "SESSION STATUS RESULT=INVALID_KEY");
	snprintf(line, sizeof(line), "SESSION CREATE STYLE=RAW ID=h "
	    "DESTINATION=%s\n", priv_b64);
	send_line(c, line);
	ck_assert_str_eq(next_line(c), "SESSION STATUS RESULT=DUPLICATED_DEST");
	send_line(c, "QUIT\n");
	ck_assert_int_eq(c->closing, 1);
	ck_assert_uint_eq(wbuf_len(&c->out), 0);
}
END_TEST

START_TEST(diva)
{
	struct sam_conn	*c = conn();
	char		 line[4096], *pv;

	send_line(c, "HELLO VERSION MIN=3.0 MAX=3.3\n");
	ck_assert_str_eq(next_line(c), "HELLO REPLY RESULT=OK VERSION=3.3");
	/* no SIGNATURE_TYPE: Ed25519, not DSA */
	send_line(c, "DEST GENERATE\n");
	sam_backend_generated(last_reqid, dest, sizeof(dest), priv,
	    sizeof(priv), NULL);
	strlcpy(line, next_line(c), sizeof(line));
	/* its split on '=' drops the padding: the key still works */
	ck_assert_ptr_nonnull(strstr(line, "PUB="));
	ck_assert_ptr_nonnull(pv = strstr(line, "PRIV="));
	pv += 5;
	pv[strcspn(pv, "=")] = '\0';
	c = conn();
	send_line(c, "HELLO VERSION MIN=3.0 MAX=3.3\n");
	next_line(c);
	{
		char	cmd[4096];

		snprintf(cmd, sizeof(cmd), "SESSION CREATE STYLE=DATAGRAM "
		    "ID=diva DESTINATION=%s PORT=20211 HOST=127.0.0.1\n", pv);
		send_line(c, cmd);
	}
	ck_assert_int_eq(c->busy, 1);
	sam_backend_opened(last_open.sid, dest, sizeof(dest), priv,
	    sizeof(priv));
	ck_assert_ptr_nonnull(strstr(next_line(c), "RESULT=OK"));
	/* "3.0 <id> <dest>\n<payload>", a destination without padding */
	snprintf(line, sizeof(line), "3.0 diva %.*s\npayload",
	    (int)strcspn(dest_b64, "="), dest_b64);
	sam_udp_input(line, strlen(line), NULL);
	ck_assert_int_eq(nsent, 1);
	ck_assert_uint_eq(last_sent.destlen, sizeof(dest));
}
END_TEST

/* ---- streams ---- */

static const char *const stream_keys[] = { "RESULT", "MESSAGE", NULL };

/* a STREAM session on its own socket, after the client's HELLO */
static struct sam_conn *
stream_session(const char *hello, const char *create)
{
	struct sam_conn	*c;

	sam_init(&fake_streams, fake_udp);
	c = conn();
	written[0] = '\0';
	send_line(c, hello);
	ck_assert_ptr_nonnull(strstr(next_line(c), "RESULT=OK"));
	send_line(c, create);
	sam_backend_opened(last_open.sid, dest, sizeof(dest), priv,
	    sizeof(priv));
	ck_assert_ptr_nonnull(strstr(next_line(c), "RESULT=OK"));
	return c;
}

/* a new socket, its HELLO answered, then one command line */
static struct sam_conn *
stream_socket(const char *hello, const char *line)
{
	struct sam_conn	*c = conn();

	send_line(c, hello);
	ck_assert_ptr_nonnull(strstr(next_line(c), "RESULT=OK"));
	send_line(c, line);
	return c;
}

static uint32_t
peer_arrives(struct sam_conn *sess, uint16_t from, uint16_t to)
{
	return sam_backend_stream_incoming(sess->sess->sid, dest, sizeof(dest),
	    from, to);
}

START_TEST(libtorrent_stream)
{
	struct sam_conn	*s, *c;
	struct lt_reply	 r;
	char		 line[1024];

	s = stream_session("HELLO VERSION MIN=3.1 MAX=3.1\n",
	    "SESSION CREATE STYLE=STREAM ID=ab DESTINATION=TRANSIENT "
	    "SIGNATURE_TYPE=7 inbound.quantity=3 outbound.quantity=3 "
	    "inbound.length=3 outbound.length=3 i2cp.leaseSetEncType=4,0\n");
	/* send_connect: "STREAM CONNECT ID=%s DESTINATION=%s\n" */
	snprintf(line, sizeof(line), "STREAM CONNECT ID=ab DESTINATION=%s\n",
	    dest_b64);
	c = stream_socket("HELLO VERSION MIN=3.1 MAX=3.1\n", line);
	sam_backend_stream_connected(conn_id, "OK", NULL);
	ck_assert_int_eq(lt_parse(next_line(c), "STREAM", "STATUS", &r), 0);
	ck_assert_str_eq(r.result, "OK");
	send_line(c, "BitTorrent protocol");
	ck_assert_str_eq(written, "BitTorrent protocol");
	/* every failure a RESULT it knows, no empty value */
	c = stream_socket("HELLO VERSION MIN=3.1 MAX=3.1\n", line);
	sam_backend_stream_connected(conn_id, "CANT_REACH_PEER", "");
	ck_assert_int_eq(lt_parse(next_line(c), "STREAM", "STATUS", &r), 0);
	ck_assert_str_eq(r.result, "CANT_REACH_PEER");
	c = stream_socket("HELLO VERSION MIN=3.1 MAX=3.1\n",
	    "STREAM CONNECT ID=ab DESTINATION=nothing.i2p\n");
	ck_assert_int_eq(lt_parse(next_line(c), "STREAM", "STATUS", &r), 0);
	ck_assert_str_eq(r.result, "INVALID_KEY");
	/* send_accept: "STREAM ACCEPT ID=%s\n"; the next line whole is the
	 * peer's destination (2.0.8 and before at 3.0, the same) */
	c = stream_socket("HELLO VERSION MIN=3.0 MAX=3.0\n",
	    "STREAM ACCEPT ID=ab\n");
	ck_assert_int_eq(lt_parse(next_line(c), "STREAM", "STATUS", &r), 0);
	ck_assert_str_eq(r.result, "OK");
	ck_assert_uint_ne(peer_arrives(s, 4, 5), 0);
	ck_assert_str_eq(next_line(c), dest_b64);
}
END_TEST

START_TEST(bitcoin_stream)
{
	struct sam_conn	*s, *c;
	char		 line[2048];

	snprintf(line, sizeof(line), "SESSION CREATE STYLE=STREAM "
	    "ID=0123456789 DESTINATION=%s SIGNATURE_TYPE=7 "
	    "i2cp.leaseSetEncType=4,0 inbound.quantity=3 "
	    "outbound.quantity=3\n", priv_b64);
	s = stream_session("HELLO VERSION MIN=3.1 MAX=3.1\n", line);
	/* Connect(): after its NAMING LOOKUP, a full destination */
	snprintf(line, sizeof(line), "STREAM CONNECT ID=0123456789 "
	    "DESTINATION=%s SILENT=false\n", dest_b64);
	c = stream_socket("HELLO VERSION MIN=3.1 MAX=3.1\n", line);
	sam_backend_stream_connected(conn_id, "OK", NULL);
	ck_assert_str_eq(btc_get(next_line(c), "RESULT"), "OK");
	c = stream_socket("HELLO VERSION MIN=3.1 MAX=3.1\n", line);
	sam_backend_stream_connected(conn_id, "TIMEOUT", "no answer");
	ck_assert_str_eq(btc_get(next_line(c), "RESULT"), "TIMEOUT");
	/* StreamAccept(), then Accept() reads the peer's destination */
	c = stream_socket("HELLO VERSION MIN=3.1 MAX=3.1\n",
	    "STREAM ACCEPT ID=0123456789 SILENT=false\n");
	ck_assert_str_eq(btc_get(next_line(c), "RESULT"), "OK");
	ck_assert_uint_ne(peer_arrives(s, 0, 0), 0);
	ck_assert_str_eq(next_line(c), dest_b64);
	/* its session goes: the line it looks for instead */
	c = stream_socket("HELLO VERSION MIN=3.1 MAX=3.1\n",
	    "STREAM ACCEPT ID=0123456789 SILENT=false\n");
	ck_assert_str_eq(btc_get(next_line(c), "RESULT"), "OK");
	sam_conn_free(s);
	ck_assert_str_eq(next_line(c),
	    "STREAM STATUS RESULT=I2P_ERROR MESSAGE=\"Session was closed\"");
	/* a stale ID: INVALID_ID, on which it makes a new session */
	c = stream_socket("HELLO VERSION MIN=3.1 MAX=3.1\n",
	    "STREAM ACCEPT ID=0123456789 SILENT=false\n");
	ck_assert_str_eq(btc_get(next_line(c), "RESULT"), "INVALID_ID");
}
END_TEST

START_TEST(txi2p_stream)
{
	struct sam_conn	*s, *c;
	struct sam_line	 l;
	const char	*why, *ln;
	char		 line[1024];

	s = stream_session("HELLO VERSION MIN=3.0 MAX=3.2\n",
	    "SESSION CREATE STYLE=STREAM ID=tx DESTINATION=TRANSIENT "
	    "SIGNATURE_TYPE=EdDSA_SHA512_Ed25519 FROM_PORT=81\n");
	/* sendStreamConnect: SILENT first, then TO_PORT, FROM_PORT */
	snprintf(line, sizeof(line), "STREAM CONNECT ID=tx DESTINATION=%s "
	    "SILENT=false TO_PORT=80 FROM_PORT=8080\n", dest_b64);
	c = stream_socket("HELLO VERSION MIN=3.0 MAX=3.2\n", line);
	ck_assert_uint_eq(conn_from, 8080);
	ck_assert_uint_eq(conn_to, 80);
	sam_backend_stream_connected(conn_id, "CANT_REACH_PEER", "gone");
	ck_assert(txi2p_keys_ok(next_line(c), stream_keys));
	/* sendStreamAccept; peerSAM splits the line on ' ' and '=' */
	c = stream_socket("HELLO VERSION MIN=3.0 MAX=3.2\n",
	    "STREAM ACCEPT ID=tx SILENT=false\n");
	ck_assert(txi2p_keys_ok(next_line(c), stream_keys));
	ck_assert_uint_ne(peer_arrives(s, 1234, 81), 0);
	snprintf(line, sizeof(line), "%s FROM_PORT=1234 TO_PORT=81",
	    dest_b64);
	ck_assert_str_eq(next_line(c), line);
	/* sendStreamForward: no HOST, the client's address */
	c = stream_socket("HELLO VERSION MIN=3.0 MAX=3.2\n",
	    "STREAM FORWARD ID=tx PORT=8081 SILENT=false\n");
	ln = next_line(c);
	ck_assert(txi2p_keys_ok(ln, stream_keys));
	ck_assert_int_eq(sam_line_parse(&l, (const uint8_t *)ln, strlen(ln),
	    &why), 0);
	ck_assert_str_eq(sam_arg(&l, "RESULT"), "OK");
}
END_TEST

START_TEST(go_sam3_stream)
{
	struct sam_conn	*s, *c;
	char		 line[1024];

	s = stream_session("HELLO VERSION MIN=3.1 MAX=3.1\n",
	    "SESSION CREATE STYLE=STREAM ID=g DESTINATION=TRANSIENT "
	    "SIGNATURE_TYPE=EdDSA_SHA512_Ed25519 inbound.length=1\n");
	/* DialI2P: ports before the destination; a scan for RESULT=OK */
	snprintf(line, sizeof(line), "STREAM CONNECT ID=g FROM_PORT=0 "
	    "TO_PORT=0 DESTINATION=%s SILENT=false\n", dest_b64);
	c = stream_socket("HELLO VERSION MIN=3.1 MAX=3.1\n", line);
	sam_backend_stream_connected(conn_id, "OK", NULL);
	ck_assert_str_eq(next_line(c), "STREAM STATUS RESULT=OK");
	c = stream_socket("HELLO VERSION MIN=3.1 MAX=3.1\n", line);
	sam_backend_stream_connected(conn_id, "I2P_ERROR", "x");
	ck_assert_ptr_nonnull(strstr(next_line(c), " RESULT=I2P_ERROR"));
	/* AcceptI2P: the whole status line, then the destination alone */
	c = stream_socket("HELLO VERSION MIN=3.1 MAX=3.1\n",
	    "STREAM ACCEPT ID=g SILENT=false\n");
	ck_assert_str_eq(next_line(c), "STREAM STATUS RESULT=OK");
	ck_assert_uint_ne(peer_arrives(s, 7, 8), 0);
	ck_assert_str_eq(next_line(c), dest_b64);
}
END_TEST

START_TEST(diva_stream)
{
	struct sam_conn	*c;
	char		 line[2048];

	/* HELLO without MIN and MAX: 3.3 */
	snprintf(line, sizeof(line), "SESSION CREATE ID=dv DESTINATION=%s "
	    "STYLE=STREAM\n", priv_b64);
	stream_session("HELLO VERSION\n", line);
	/* SILENT before ID; its reply split on ' ', then on '=' */
	snprintf(line, sizeof(line), "STREAM CONNECT SILENT=false ID=dv "
	    "DESTINATION=%s\n", dest_b64);
	c = stream_socket("HELLO VERSION\n", line);
	sam_backend_stream_connected(conn_id, "OK", NULL);
	ck_assert_str_eq(btc_get(next_line(c), "RESULT"), "OK");
	c = stream_socket("HELLO VERSION\n", "STREAM FORWARD SILENT=false "
	    "ID=dv PORT=20222 HOST=127.0.0.1\n");
	ck_assert_str_eq(next_line(c), "STREAM STATUS RESULT=OK");
	/* some clients end the FORWARD line with a space: read, refused */
	c = stream_socket("HELLO VERSION\n", "STREAM FORWARD ID=dv "
	    "PORT=20223 \n");
	ck_assert_str_eq(next_line(c), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"a FORWARD is on already\"");
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("tunneld_sam_clients");
	TCase	*tc = tcase_create("clients");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, libtorrent);
	tcase_add_test(tc, bitcoin);
	tcase_add_test(tc, txi2p);
	tcase_add_test(tc, go_sam3);
	tcase_add_test(tc, diva);
	tcase_add_test(tc, libtorrent_stream);
	tcase_add_test(tc, bitcoin_stream);
	tcase_add_test(tc, txi2p_stream);
	tcase_add_test(tc, go_sam3_stream);
	tcase_add_test(tc, diva_stream);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
