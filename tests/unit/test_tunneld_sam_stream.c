/*
 * SAM streams (tunneld/sam_stream.c) against a fake backend whose
 * streams are byte buffers the test fills and drains: STREAM CONNECT
 * (OK, each failure, b32 names, SILENT), STREAM ACCEPT (a queue of
 * several, the peer's line by version), STREAM FORWARD to a real
 * loopback listener, back-pressure both ways, EOF both ways, the
 * limits, PRIMARY subsessions routed by LISTEN_PORT and the end of a
 * session.  Client connections have no socket (fd -1); their output
 * is read from the queue, as in test_tunneld_sam_session.c.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bsd/string.h>
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "encoding.h"
#include "i2pdata.h"
#include "i2prd.h"
#include "../../tunneld/sam.h"
#include "samtest.h"
#include "unit.h"

#define NOW	1790000000
#define BIG	(200 * 1024)

/* ---- the fake backend: one stream's bytes watched at a time ---- */

static char		 calls[4096];
static uint32_t		 open_sid, lookup_reqid;
static uint32_t		 conn_id, conn_sid;
static uint16_t		 conn_from, conn_to;
static uint8_t		 conn_dest[SAM_DEST_MAX];
static size_t		 conn_destlen;
static int		 refuse_connect, nconnects;
/* written by the bridge: take at most wr_take a call, wr_budget in all */
static uint8_t		 wr[BIG];
static size_t		 wrlen, wr_take, wr_budget;
static int		 wr_fail;
/* to be read by the bridge, from stream rx_id */
static uint8_t		 rx[BIG];
static size_t		 rxlen, rxoff;
static int		 rx_eof;
static uint32_t		 rx_id;
static uint32_t		 shut_id, close_id;
static int		 nshut, nclose, listening;

static void
record(const char *fmt, unsigned a, unsigned b)
{
	size_t	 len = strlen(calls);

	snprintf(calls + len, sizeof(calls) - len, "%s", len ? ", " : "");
	len = strlen(calls);
	snprintf(calls + len, sizeof(calls) - len, fmt, a, b);
}

static struct sam_open_req	 last_open;

static int
fake_open(void *arg, const struct sam_open_req *r)
{
	open_sid = r->sid;
	last_open = *r;
	last_open.priv = NULL;
	return 0;
}

static void
fake_close(void *arg, uint32_t sid)
{
}

static int
fake_lookup(void *arg, uint32_t reqid, const uint8_t hash[32])
{
	lookup_reqid = reqid;
	record("lookup %u%.0u", reqid, 0);
	return 0;
}

static int
fake_connect(void *arg, uint32_t sid, uint32_t id, const uint8_t *dest,
    size_t len, uint16_t from, uint16_t to)
{
	conn_id = id;
	conn_sid = sid;
	conn_from = from;
	conn_to = to;
	ck_assert_uint_le(len, sizeof(conn_dest));
	memcpy(conn_dest, dest, len);
	conn_destlen = len;
	nconnects++;
	return refuse_connect ? -1 : 0;
}

static void
fake_listen(void *arg, uint32_t sid, int on)
{
	record("listen %u %u", sid, on);
	listening = on;
}

/*
 * Set while sam_backend_stream_incoming runs: the bridge must not read
 * or write the stream it is offered before it has answered with its id
 */
static int	offering;

static ssize_t
fake_write(void *arg, uint32_t id, const void *p, size_t len)
{
	ck_assert_int_eq(offering, 0);
	if (wr_fail)
		return -1;
	if (wr_take != 0 && len > wr_take)
		len = wr_take;
	if (len > wr_budget)
		len = wr_budget;
	ck_assert_uint_le(wrlen + len, sizeof(wr));
	memcpy(wr + wrlen, p, len);
	wrlen += len;
	wr_budget -= len;
	return len;
}

static ssize_t
fake_read(void *arg, uint32_t id, void *p, size_t len)
{
	ck_assert_int_eq(offering, 0);
	if (id != rx_id)
		return 0;
	if (rxoff == rxlen)
		return rx_eof ? -1 : 0;
	if (len > rxlen - rxoff)
		len = rxlen - rxoff;
	memcpy(p, rx + rxoff, len);
	rxoff += len;
	return len;
}

static void
fake_shutdown(void *arg, uint32_t id)
{
	shut_id = id;
	nshut++;
}

static void
fake_stream_close(void *arg, uint32_t id)
{
	close_id = id;
	nclose++;
}

static uint8_t	 peer[I2P_IDENT_LEN];

/* the address book: one name, the peer's */
static int
fake_resolve(void *arg, const char *name, uint8_t *d, size_t max,
    size_t *len)
{
	if (strcasecmp(name, "peer.i2p") != 0 || max < sizeof(peer))
		return -1;
	memcpy(d, peer, sizeof(peer));
	*len = sizeof(peer);
	return 0;
}

static const struct sam_backend fake = {
	.open = fake_open, .close = fake_close, .lookup = fake_lookup,
	.resolve = fake_resolve,
	.stream_connect = fake_connect, .stream_listen = fake_listen,
	.stream_write = fake_write, .stream_read = fake_read,
	.stream_shutdown = fake_shutdown, .stream_close = fake_stream_close,
};

/* the datagram-only backend of before */
static const struct sam_backend nostreams = {
	.open = fake_open, .close = fake_close, .lookup = fake_lookup,
};

/* ---- destinations ---- */

static uint8_t	 dest[I2P_IDENT_LEN];
static uint8_t	 priv[I2P_IDENT_LEN + 256 + 32];
static char	 peer_b64[B64_ENCLEN(sizeof(peer))], peer_b32[I2P_B32_NAMESZ];

static void
make_dest(uint8_t *d, uint8_t fill)
{
	struct i2p_ident	 id;
	uint8_t			 pub[32];

	memset(pub, fill, sizeof(pub));
	ck_assert_int_eq(ident_build(&id, IDENT_DEST, NULL, pub, NULL), 0);
	memcpy(d, id.raw, I2P_IDENT_LEN);
	if (d == peer)
		ck_assert_int_gt(ident_b32(&id, peer_b32, sizeof(peer_b32)),
		    0);
}

static void
setup(void)
{
	calls[0] = '\0';
	refuse_connect = nconnects = 0;
	wrlen = wr_take = 0;
	wr_fail = 0;
	wr_budget = SIZE_MAX;
	rxlen = rxoff = 0;
	rx_eof = 0;
	rx_id = 0;
	nshut = nclose = listening = 0;
	shut_id = close_id = 0;
	sam_init(&fake, NULL);
	make_dest(dest, 1);
	make_dest(peer, 2);
	memcpy(priv, dest, sizeof(dest));
	memset(priv + sizeof(dest), 7, sizeof(priv) - sizeof(dest));
	ck_assert_int_ge(b64_encode(peer_b64, sizeof(peer_b64), peer,
	    sizeof(peer)), 0);
}

static void
teardown(void)
{
	sam_init(&fake, NULL);
}

/* ---- connections without sockets ---- */

static struct sam_conn *
conn_at(const char *ip)
{
	struct sam_conn	*c;

	ck_assert_ptr_nonnull(c = sam_test_conn(ip, NOW));
	return c;
}

static struct sam_conn *
hello_at(const char *ip, const char *version)
{
	struct sam_conn	*c = conn_at(ip);
	char		 line[64];

	snprintf(line, sizeof(line), "HELLO VERSION MIN=%s MAX=%s\n",
	    version, version);
	in(c, line);
	ck_assert_ptr_nonnull(strstr(out(c), "RESULT=OK"));
	return c;
}

static struct sam_conn *
hello(const char *version)
{
	return hello_at("127.0.0.1", version);
}

/* a ready session from its own control socket */
static struct sam_conn *
session(const char *args)
{
	struct sam_conn	*c = hello("3.3");
	char		 line[512];

	snprintf(line, sizeof(line), "SESSION CREATE %s\n", args);
	in(c, line);
	sam_backend_opened(open_sid, dest, sizeof(dest), priv, sizeof(priv));
	ck_assert_ptr_nonnull(strstr(out(c), "RESULT=OK"));
	return c;
}

/* a STREAM CONNECT to the peer, answered OK */
static struct sam_conn *
connected(const char *version, const char *id)
{
	struct sam_conn	*c = hello(version);
	char		 line[1024];

	snprintf(line, sizeof(line), "STREAM CONNECT ID=%s DESTINATION=%s\n",
	    id, peer_b64);
	in(c, line);
	ck_assert_str_eq(out(c), "");
	sam_backend_stream_connected(conn_id, "OK", NULL);
	ck_assert_str_eq(out(c), "STREAM STATUS RESULT=OK\n");
	ck_assert_int_eq(c->mode, SAM_MODE_STREAM);
	return c;
}

static uint32_t
incoming(uint32_t sid, uint16_t from, uint16_t to)
{
	uint32_t	id;

	offering = 1;
	id = sam_backend_stream_incoming(sid, peer, sizeof(peer), from, to);
	offering = 0;
	return id;
}

/* ---- STREAM CONNECT ---- */

START_TEST(connect_ok)
{
	struct sam_conn	*s = session("STYLE=STREAM ID=st DESTINATION=TRANSIENT "
	    "FROM_PORT=7 TO_PORT=8");
	struct sam_conn	*c = hello("3.2");
	char		 line[1024];

	ck_assert_int_eq(s->sess->style, SAM_STYLE_STREAM);
	/* bytes sent before the answer wait, then go first */
	snprintf(line, sizeof(line), "STREAM CONNECT ID=st DESTINATION=%s "
	    "TO_PORT=80\nearly", peer_b64);
	in(c, line);
	ck_assert_str_eq(out(c), "");
	ck_assert_int_eq(c->mode, SAM_MODE_CONNECTING);
	ck_assert_uint_eq(conn_sid, s->sess->sid);
	ck_assert_uint_eq(conn_from, 7);	/* the session's */
	ck_assert_uint_eq(conn_to, 80);		/* the command's */
	ck_assert_uint_eq(conn_destlen, sizeof(peer));
	ck_assert_int_eq(memcmp(conn_dest, peer, sizeof(peer)), 0);
	ck_assert_uint_eq(wrlen, 0);
	sam_backend_stream_connected(conn_id, "OK", NULL);
	ck_assert_str_eq(out(c), "STREAM STATUS RESULT=OK\n");
	ck_assert_uint_eq(wrlen, 5);
	ck_assert_int_eq(memcmp(wr, "early", 5), 0);
	/* no more command lines: "HELLO" is data */
	in(c, "HELLO VERSION\n");
	ck_assert_uint_eq(wrlen, 19);
	ck_assert_str_eq(out(c), "");
	/* and back */
	rx_id = conn_id;
	memcpy(rx, "answer", 6);
	rxlen = 6;
	sam_backend_stream_readable(conn_id);
	ck_assert_str_eq(out(c), "answer");
	ck_assert_uint_eq(sam_stats()->streams_out, 1);
	ck_assert_uint_eq(sam_stats()->sbytes_in, 19);
	ck_assert_uint_eq(sam_stats()->sbytes_out, 6);
	ck_assert_uint_eq(s->sess->streams_out, 1);
	/* a second answer for the same id is ignored */
	sam_backend_stream_connected(conn_id, "OK", NULL);
	ck_assert_str_eq(out(c), "");
	/* the socket goes: the backend forgets the stream */
	sam_conn_free(c);
	ck_assert_uint_eq(close_id, conn_id);
	ck_assert_uint_eq(s->sess->nstreams, 0);
}
END_TEST

START_TEST(connect_failures)
{
	static const struct {
		const char	*result, *msg, *reply;
	} t[] = {
		{ "CANT_REACH_PEER", "no route", "STREAM STATUS "
		    "RESULT=CANT_REACH_PEER MESSAGE=\"no route\"\n" },
		{ "TIMEOUT", NULL, "STREAM STATUS RESULT=TIMEOUT\n" },
		{ "INVALID_KEY", "", "STREAM STATUS RESULT=INVALID_KEY\n" },
		{ "I2P_ERROR", "x", "STREAM STATUS RESULT=I2P_ERROR "
		    "MESSAGE=x\n" },
	};
	struct sam_conn	*c;
	char		 line[1024];
	size_t		 i;

	session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c = hello("3.1");
		snprintf(line, sizeof(line), "STREAM CONNECT ID=st "
		    "DESTINATION=%s\n", peer_b64);
		in(c, line);
		sam_backend_stream_connected(conn_id, t[i].result, t[i].msg);
		ck_assert_str_eq(out(c), t[i].reply);
		ck_assert_int_eq(c->closing, 1);
		nclose = 0;
		sam_conn_free(c);
		/* a failed connect's id is the backend's no more */
		ck_assert_int_eq(nclose, 0);
	}
	ck_assert_uint_eq(sam_stats()->streams_failed, 4);
}
END_TEST

START_TEST(connect_refused)
{
	static const struct {
		const char	*line, *reply;
	} t[] = {
		{ "STREAM CONNECT ID=nope DESTINATION=%s\n",
		    "STREAM STATUS RESULT=INVALID_ID\n" },
		{ "STREAM CONNECT ID=dg DESTINATION=%s\n",
		    "STREAM STATUS RESULT=INVALID_ID\n" },
		{ "STREAM CONNECT ID=st DESTINATION=AAAA%.0s\n",
		    "STREAM STATUS RESULT=INVALID_KEY MESSAGE=\"not a "
		    "destination, a .b32.i2p name or a name in the address "
		    "book\"\n" },
		{ "STREAM CONNECT ID=st DESTINATION=zzz.i2p%.0s\n",
		    "STREAM STATUS RESULT=INVALID_KEY MESSAGE=\"not a "
		    "destination, a .b32.i2p name or a name in the address "
		    "book\"\n" },
		{ "STREAM CONNECT ID=st%.0s\n", "STREAM STATUS "
		    "RESULT=INVALID_KEY MESSAGE=\"DESTINATION missing\"\n" },
		{ "STREAM CONNECT ID=st DESTINATION=%s SILENT=maybe\n",
		    "STREAM STATUS RESULT=I2P_ERROR MESSAGE=\"bad SILENT\"\n" },
		{ "STREAM CONNECT ID=st DESTINATION=%s TO_PORT=70000\n",
		    "STREAM STATUS RESULT=I2P_ERROR MESSAGE=\"bad FROM_PORT "
		    "or TO_PORT\"\n" },
		{ "STREAM LISTEN ID=st%.0s\n", "STREAM STATUS "
		    "RESULT=I2P_ERROR MESSAGE=\"unknown STREAM command\"\n" },
	};
	struct sam_conn	*s, *c;
	char		 line[1024];
	size_t		 i;

	s = session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	session("STYLE=DATAGRAM ID=dg DESTINATION=TRANSIENT");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c = hello("3.1");
		snprintf(line, sizeof(line), t[i].line, peer_b64);
		in(c, line);
		ck_assert_msg(strcmp(out(c), t[i].reply) == 0, "%s", line);
		sam_conn_free(c);
	}
	ck_assert_int_eq(nconnects, 0);
	/* the session's own socket stays a control socket */
	snprintf(line, sizeof(line), "STREAM CONNECT ID=st DESTINATION=%s\n",
	    peer_b64);
	in(s, line);
	ck_assert_str_eq(out(s), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"a session's socket cannot carry a stream\"\n");
	/* the backend cannot take it */
	refuse_connect = 1;
	c = hello("3.1");
	in(c, line);
	ck_assert_str_eq(out(c), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"cannot connect now\"\n");
	ck_assert_int_eq(c->closing, 1);
	ck_assert_uint_eq(s->sess->nstreams, 0);
}
END_TEST

START_TEST(connect_b32)
{
	struct sam_conn	*c;
	char		 line[256];

	session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	snprintf(line, sizeof(line), "STREAM CONNECT ID=st DESTINATION=%s\n",
	    peer_b32);
	c = hello("3.1");
	in(c, line);
	ck_assert_int_eq(nconnects, 0);
	sam_backend_found(lookup_reqid, peer, sizeof(peer));
	ck_assert_int_eq(nconnects, 1);
	ck_assert_int_eq(memcmp(conn_dest, peer, sizeof(peer)), 0);
	sam_backend_stream_connected(conn_id, "OK", NULL);
	ck_assert_str_eq(out(c), "STREAM STATUS RESULT=OK\n");
	/* not found, and found but another destination */
	c = hello("3.1");
	in(c, line);
	sam_backend_found(lookup_reqid, NULL, 0);
	ck_assert_str_eq(out(c), "STREAM STATUS RESULT=CANT_REACH_PEER "
	    "MESSAGE=\"no LeaseSet found\"\n");
	c = hello("3.1");
	in(c, line);
	sam_backend_found(lookup_reqid, dest, sizeof(dest));
	ck_assert_ptr_nonnull(strstr(out(c), "CANT_REACH_PEER"));
	ck_assert_int_eq(nconnects, 1);
}
END_TEST

/* a host name from the address book: connected at once, no lookup */
START_TEST(connect_name)
{
	struct sam_conn	*c;

	session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	c = hello("3.1");
	in(c, "STREAM CONNECT ID=st DESTINATION=Peer.i2p\n");
	ck_assert_int_eq(nconnects, 1);
	ck_assert_uint_eq(conn_destlen, sizeof(peer));
	ck_assert_int_eq(memcmp(conn_dest, peer, sizeof(peer)), 0);
	sam_backend_stream_connected(conn_id, "OK", NULL);
	ck_assert_str_eq(out(c), "STREAM STATUS RESULT=OK\n");
}
END_TEST

/*
 * libtorrent's I2P mode, its lines as it sends them: 2.0.8 (HELLO
 * 3.0, a session with no options) and from 2.0.10 on (HELLO 3.1, the
 * options of its i2p_* settings); NAMING LOOKUP NAME=ME on the
 * control socket; ACCEPT answered with the peer's bare Destination
 * line (all of which libtorrent takes as the Destination); CONNECT to
 * a peer as an I2P tracker lists it, "<base 64>.i2p".
 */
START_TEST(libtorrent)
{
	static const struct {
		const char	*version, *create;
		int		 length, variance;
	} t[] = {
		{ "3.0", "SESSION CREATE STYLE=STREAM "
		    "ID=0123456789abcdef0123456789abcdef01234567 "
		    "DESTINATION=TRANSIENT\n", -1, -1 },
		{ "3.1", "SESSION CREATE STYLE=STREAM "
		    "ID=0123456789abcdef0123456789abcdef01234567 "
		    "DESTINATION=TRANSIENT SIGNATURE_TYPE=7 "
		    "i2cp.leaseSetEncType=4,0 inbound.quantity=3 "
		    "outbound.quantity=3 inbound.length=3 outbound.length=3 "
		    "inbound.lengthVariance=0 outbound.lengthVariance=0\n",
		    3, 0 },
	};
	struct sam_conn	*s, *a, *c;
	char		 line[1024], want[1024];
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		s = hello(t[i].version);
		in(s, t[i].create);
		ck_assert_str_eq(out(s), "");
		ck_assert_int_eq(last_open.sigtype, 7);
		ck_assert_int_eq(last_open.opts.length[0], t[i].length);
		ck_assert_int_eq(last_open.opts.variance[1], t[i].variance);
		sam_backend_opened(open_sid, dest, sizeof(dest), priv,
		    sizeof(priv));
		ck_assert_ptr_nonnull(strstr(out(s), "SESSION STATUS RESULT=OK "
		    "DESTINATION="));
		in(s, "NAMING LOOKUP NAME=ME\n");
		ck_assert_ptr_nonnull(strstr(out(s), "NAMING REPLY RESULT=OK "
		    "NAME=ME VALUE="));
		a = hello(t[i].version);
		in(a, "STREAM ACCEPT ID=0123456789abcdef0123456789abcdef01234567\n");
		ck_assert_str_eq(out(a), "STREAM STATUS RESULT=OK\n");
		ck_assert_uint_ne(incoming(s->sess->sid, 0, 0), 0);
		snprintf(want, sizeof(want), "%s\n", peer_b64);
		ck_assert_str_eq(out(a), want);
		c = hello(t[i].version);
		snprintf(line, sizeof(line), "STREAM CONNECT "
		    "ID=0123456789abcdef0123456789abcdef01234567 "
		    "DESTINATION=%s.i2p\n", peer_b64);
		nconnects = 0;
		conn_destlen = 0;
		in(c, line);
		ck_assert_int_eq(nconnects, 1);
		ck_assert_uint_eq(conn_destlen, sizeof(peer));
		ck_assert_int_eq(memcmp(conn_dest, peer, sizeof(peer)), 0);
		sam_backend_stream_connected(conn_id, "OK", NULL);
		ck_assert_str_eq(out(c), "STREAM STATUS RESULT=OK\n");
		sam_conn_free(c);
		sam_conn_free(a);
		sam_conn_free(s);
	}
}
END_TEST

START_TEST(silent)
{
	struct sam_conn	*s, *c;
	char		 line[1024];
	uint32_t	 id;

	s = session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	snprintf(line, sizeof(line), "STREAM CONNECT ID=st DESTINATION=%s "
	    "SILENT=true\n", peer_b64);
	c = hello("3.1");
	in(c, line);
	sam_backend_stream_connected(conn_id, "CANT_REACH_PEER", NULL);
	ck_assert_str_eq(out(c), "");
	ck_assert_int_eq(c->closing, 1);
	c = hello("3.1");
	in(c, line);
	sam_backend_stream_connected(conn_id, "OK", NULL);
	ck_assert_str_eq(out(c), "");
	ck_assert_int_eq(c->mode, SAM_MODE_STREAM);
	/* ACCEPT: neither the OK nor the peer's line */
	c = hello("3.3");
	in(c, "STREAM ACCEPT ID=st SILENT=true\n");
	ck_assert_str_eq(out(c), "");
	ck_assert_uint_ne(id = incoming(s->sess->sid, 1, 2), 0);
	ck_assert_uint_eq(c->stream, id);
	ck_assert_str_eq(out(c), "");
	/* SILENT=false as Bitcoin Core sends it */
	c = hello("3.1");
	in(c, "STREAM ACCEPT ID=st SILENT=false\n");
	ck_assert_str_eq(out(c), "STREAM STATUS RESULT=OK\n");
}
END_TEST

/* ---- STREAM ACCEPT ---- */

START_TEST(accept_queue)
{
	struct sam_conn	*s, *a[3];
	char		 want[1024];
	uint32_t	 sid, id[3];
	int		 i;

	s = session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	sid = s->sess->sid;
	/* nobody waits: refused */
	ck_assert_uint_eq(incoming(sid, 0, 0), 0);
	ck_assert_uint_eq(sam_stats()->streams_refused, 1);
	for (i = 0; i < 3; i++) {
		a[i] = hello("3.1");
		in(a[i], "STREAM ACCEPT ID=st\n");
		/* OK at once, before any stream */
		ck_assert_str_eq(out(a[i]), "STREAM STATUS RESULT=OK\n");
		ck_assert_int_eq(a[i]->mode, SAM_MODE_ACCEPTING);
	}
	snprintf(want, sizeof(want), "listen %u 1", sid);
	ck_assert_str_eq(calls, want);
	ck_assert_uint_eq(s->sess->naccepts, 3);
	/* the first waiting gets the first stream: its peer's line */
	snprintf(want, sizeof(want), "%s\n", peer_b64);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_ne(id[i] = incoming(sid, 5, 6), 0);
		ck_assert_uint_eq(a[i]->stream, id[i]);
		ck_assert_str_eq(out(a[i]), want);
		ck_assert_int_eq(a[i]->mode, SAM_MODE_STREAM);
	}
	ck_assert_uint_ne(id[0], id[1]);
	/* none waits any more: the backend stops offering */
	snprintf(want, sizeof(want), "listen %u 1, listen %u 0", sid, sid);
	ck_assert_str_eq(calls, want);
	ck_assert_uint_eq(s->sess->naccepts, 0);
	ck_assert_uint_eq(s->sess->nstreams, 3);
	ck_assert_uint_eq(sam_stats()->streams_in, 3);
	/* an ACCEPT whose client left is not served */
	a[0] = hello("3.1");
	in(a[0], "STREAM ACCEPT ID=st\n");
	ck_assert_int_eq(sam_conn_eof(a[0]), -1);
	sam_conn_free(a[0]);
	ck_assert_uint_eq(incoming(sid, 0, 0), 0);
	ck_assert_int_eq(listening, 0);
	/* a malformed peer is refused before anyone sees it */
	a[0] = hello("3.1");
	in(a[0], "STREAM ACCEPT ID=st\n");
	out(a[0]);
	ck_assert_uint_eq(sam_backend_stream_incoming(sid, peer, 10, 0, 0),
	    0);
	ck_assert_uint_eq(sam_backend_stream_incoming(sid + 100, peer,
	    sizeof(peer), 0, 0), 0);
	ck_assert_int_eq(a[0]->mode, SAM_MODE_ACCEPTING);
}
END_TEST

START_TEST(peer_line_versions)
{
	static const struct {
		const char	*version, *ports;
	} t[] = {
		{ "3.0", "" }, { "3.1", "" },
		{ "3.2", " FROM_PORT=1234 TO_PORT=80" },
		{ "3.3", " FROM_PORT=1234 TO_PORT=80" },
	};
	struct sam_conn	*s, *c;
	char		 want[1024];
	size_t		 i;

	s = session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c = hello(t[i].version);
		in(c, "STREAM ACCEPT ID=st\n");
		ck_assert_str_eq(out(c), "STREAM STATUS RESULT=OK\n");
		ck_assert_uint_ne(incoming(s->sess->sid, 1234, 80), 0);
		snprintf(want, sizeof(want), "%s%s\n", peer_b64, t[i].ports);
		ck_assert_str_eq(out(c), want);
	}
}
END_TEST

/* ---- back-pressure and EOF ---- */

START_TEST(backpressure_to_stream)
{
	struct sam_conn	*c;
	static uint8_t	 data[20000];

	session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	c = connected("3.1", "st");
	unit_fill(data, sizeof(data), 3);
	/* 3 bytes a call, 9 in all: then it takes nothing */
	wr_take = 3;
	wr_budget = 9;
	sam_conn_input(c, data, sizeof(data));
	ck_assert_uint_eq(wrlen, 9);
	ck_assert_int_eq(c->wblocked, 1);
	/* the socket is not read while the backend takes nothing */
	ck_assert_uint_eq(sam_conn_room(c), 0);
	ck_assert_uint_eq(c->inlen, sizeof(data) - 9);
	/* writable: on, 3 at a time, until all is in */
	wr_budget = SIZE_MAX;
	sam_backend_stream_writable(conn_id);
	ck_assert_uint_eq(wrlen, sizeof(data));
	ck_assert_int_eq(memcmp(wr, data, sizeof(data)), 0);
	ck_assert_int_eq(c->wblocked, 0);
	ck_assert_uint_gt(sam_conn_room(c), 0);
	/* a writable for an unknown id changes nothing */
	sam_backend_stream_writable(conn_id + 1000);
	/* the stream cannot send any more: the socket closes */
	wr_fail = 1;
	sam_conn_input(c, "x", 1);
	ck_assert_int_eq(c->dead, 1);
}
END_TEST

/* a backend that claims more than it was given: the socket closes */
static ssize_t
bad_write(void *arg, uint32_t id, const void *p, size_t len)
{
	return len + 1;
}

START_TEST(backend_errors)
{
	struct sam_backend	 be = fake;
	struct sam_conn		*c;

	be.stream_write = bad_write;
	sam_init(&be, NULL);
	session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	c = connected("3.1", "st");
	in(c, "abc");
	ck_assert_int_eq(c->dead, 1);
}
END_TEST

START_TEST(backpressure_to_client)
{
	struct sam_conn	*c;
	static uint8_t	 got[BIG];
	size_t		 n, gotlen = 0, step = 1000;

	session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	c = connected("3.1", "st");
	rx_id = conn_id;
	unit_fill(rx, BIG, 9);
	rxlen = BIG;
	sam_backend_stream_readable(conn_id);
	/* pulled only as far as the queue has room for */
	ck_assert_uint_eq(wbuf_len(&c->out), SAM_STREAM_OUTQ);
	ck_assert_uint_eq(rxoff, SAM_STREAM_OUTQ);
	/* a slow reader: 1000 bytes at a time, then the queue fills again */
	while (gotlen < BIG) {
		n = wbuf_len(&c->out);
		ck_assert_uint_gt(n, 0);
		if (n > step)
			n = step;
		memcpy(got + gotlen, wbuf_data(&c->out), n);
		gotlen += n;
		memmove(c->out.data, c->out.data + n, wbuf_len(&c->out) - n);
		c->out.len -= n;
		sam_conn_flushed(c);
		ck_assert_uint_le(wbuf_len(&c->out), SAM_STREAM_OUTQ);
	}
	ck_assert_int_eq(memcmp(got, rx, BIG), 0);
	ck_assert_uint_eq(c->sbytes_out, BIG);
}
END_TEST

START_TEST(eof_both_ways)
{
	struct sam_conn	*c;

	session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	/* the client's EOF waits for its bytes to go first */
	c = connected("3.1", "st");
	wr_budget = 2;
	in(c, "abcd");
	ck_assert_int_eq(sam_conn_eof(c), 0);
	ck_assert_int_eq(nshut, 0);
	ck_assert_uint_eq(sam_conn_room(c), 0);
	wr_budget = SIZE_MAX;
	sam_backend_stream_writable(conn_id);
	ck_assert_int_eq(nshut, 1);
	ck_assert_uint_eq(shut_id, conn_id);
	ck_assert_int_eq(c->closing, 0);
	/* then the peer's: the write side shuts, the socket closes */
	rx_id = conn_id;
	memcpy(rx, "bye", 3);
	rxlen = 3;
	rx_eof = 1;
	sam_backend_stream_readable(conn_id);
	ck_assert_str_eq(out(c), "bye");
	ck_assert_int_eq(c->eof_out, 1);
	ck_assert_int_eq(c->closing, 1);
	ck_assert_int_eq(nshut, 1);
	/* the peer's EOF alone: the client may still send */
	c = connected("3.1", "st");
	rx_id = conn_id;
	rxlen = rxoff = 0;
	sam_backend_stream_readable(conn_id);
	ck_assert_int_eq(c->eof_out, 1);
	ck_assert_int_eq(c->closing, 0);
	in(c, "more");
	ck_assert_int_eq(memcmp(wr + wrlen - 4, "more", 4), 0);
	/* a clean close: what is queued goes out, then the socket */
	c = connected("3.1", "st");
	sam_backend_stream_closed(conn_id, NULL);
	ck_assert_int_eq(c->closing, 1);
	ck_assert_int_eq(c->dead, 0);
	ck_assert_int_eq(sam_conn_eof(c), -1);
	nclose = 0;
	sam_conn_free(c);
	ck_assert_int_eq(nclose, 0);	/* the backend said it is gone */
	/* a reset closes at once */
	c = connected("3.1", "st");
	sam_backend_stream_closed(conn_id, "reset by the peer");
	ck_assert_int_eq(c->dead, 1);
	/* closed while connecting: the client hears an error */
	c = hello("3.1");
	{
		char	line[1024];

		snprintf(line, sizeof(line), "STREAM CONNECT ID=st "
		    "DESTINATION=%s\n", peer_b64);
		in(c, line);
	}
	sam_backend_stream_closed(conn_id, "no tunnels");
	ck_assert_str_eq(out(c), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"no tunnels\"\n");
	/* a request and EOF before the answer: both go once it is open */
	c = hello("3.1");
	{
		char	line[1024];

		snprintf(line, sizeof(line), "STREAM CONNECT ID=st "
		    "DESTINATION=%s\nGET /\n", peer_b64);
		in(c, line);
	}
	ck_assert_int_eq(sam_conn_eof(c), 0);
	nshut = 0;
	wrlen = 0;
	sam_backend_stream_connected(conn_id, "OK", NULL);
	ck_assert_uint_eq(wrlen, 6);
	ck_assert_int_eq(memcmp(wr, "GET /\n", 6), 0);
	ck_assert_int_eq(nshut, 1);
	ck_assert_uint_eq(sam_conn_room(c), 0);
}
END_TEST

/* ---- STREAM FORWARD ---- */

static struct sam_conn *
conn_by_stream(uint32_t id)
{
	struct sam_conn	*c;

	TAILQ_FOREACH(c, sam_conns(), entry)
		if (c->stream == id)
			return c;
	return NULL;
}

/* what the glue does when the socket is writable */
static void
fwd_connected(struct sam_conn *c)
{
	struct pollfd	 p = { c->fd, POLLOUT, 0 };
	socklen_t	 len = sizeof(int);
	int		 err = 0;

	ck_assert_int_eq(poll(&p, 1, 2000), 1);
	ck_assert_int_eq(getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len),
	    0);
	sam_stream_fwd_ready(c, err);
}

static size_t
recv_all(int fd, char *buf, size_t want)
{
	struct pollfd	 p = { fd, POLLIN, 0 };
	size_t		 got = 0;
	ssize_t		 n;

	while (got < want && poll(&p, 1, 2000) == 1) {
		if ((n = read(fd, buf + got, want - got)) <= 0)
			break;
		got += n;
	}
	buf[got] = '\0';
	return got;
}

START_TEST(forward)
{
	struct sam_conn	*s, *f, *fc;
	char		 line[256], want[1024], buf[1024];
	uint16_t	 port;
	uint32_t	 id;
	int		 lfd, afd;

	lfd = sam_test_listener(&port);
	s = session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	f = hello("3.2");
	/* no HOST: the client's own address (127.0.0.1) */
	snprintf(line, sizeof(line), "STREAM FORWARD ID=st PORT=%u\n", port);
	in(f, line);
	ck_assert_str_eq(out(f), "STREAM STATUS RESULT=OK\n");
	ck_assert_int_eq(listening, 1);
	/* the FORWARD socket stays a control socket */
	in(f, "PING x\n");
	ck_assert_str_eq(out(f), "PONG x\n");
	/* ACCEPT is not allowed while a FORWARD is on, nor a second one */
	fc = hello("3.1");
	in(fc, "STREAM ACCEPT ID=st\n");
	ck_assert_str_eq(out(fc), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"a FORWARD is on for this ID\"\n");
	in(s, line);
	ck_assert_str_eq(out(s), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"a FORWARD is on already\"\n");
	/* a stream comes: the bridge connects out, the peer line first */
	ck_assert_uint_ne(id = incoming(s->sess->sid, 11, 22), 0);
	ck_assert_ptr_nonnull(fc = conn_by_stream(id));
	ck_assert_int_eq(fc->forwarded, 1);
	ck_assert_int_ge(fc->fd, 0);
	ck_assert_int_ge(afd = accept(lfd, NULL, NULL), 0);
	if (fc->mode == SAM_MODE_FWD_CONNECTING)
		fwd_connected(fc);
	ck_assert_int_eq(fc->mode, SAM_MODE_STREAM);
	rx_id = id;
	memcpy(rx, "data", 4);
	rxlen = 4;
	sam_backend_stream_readable(id);
	ck_assert_int_eq(sam_conn_flush(fc), 0);
	snprintf(want, sizeof(want), "%s FROM_PORT=11 TO_PORT=22\ndata",
	    peer_b64);
	ck_assert_uint_eq(recv_all(afd, buf, strlen(want)), strlen(want));
	ck_assert_str_eq(buf, want);
	/* the target's bytes go to the stream */
	ck_assert_int_eq(write(afd, "reply", 5), 5);
	ck_assert_uint_eq(recv_all(fc->fd, buf, 5), 5);
	sam_conn_input(fc, buf, 5);
	ck_assert_int_eq(memcmp(wr, "reply", 5), 0);
	ck_assert_uint_eq(sam_stats()->streams_in, 1);
	/* the FORWARD ends with its socket; its streams go on */
	sam_conn_free(f);
	ck_assert_int_eq(listening, 0);
	ck_assert_uint_eq(incoming(s->sess->sid, 0, 0), 0);
	ck_assert_int_eq(fc->mode, SAM_MODE_STREAM);
	close(afd);
	close(lfd);
}
END_TEST

START_TEST(forward_failures)
{
	struct sam_conn	*s, *f, *fc;
	char		 line[256];
	uint16_t	 port;
	uint32_t	 id;
	int		 lfd;

	/* a port nobody listens on (one that was just closed) */
	lfd = sam_test_listener(&port);
	close(lfd);
	s = session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	f = hello("3.1");
	in(f, "STREAM FORWARD ID=st PORT=1 SSL=maybe\n"
	    "STREAM FORWARD ID=nope PORT=1\n"
	    "STREAM FORWARD ID=st\n"
	    "STREAM FORWARD ID=st PORT=1 HOST=localhost\n");
	ck_assert_str_eq(out(f), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"bad SILENT or SSL\"\n"
	    "STREAM STATUS RESULT=INVALID_ID\n"
	    "STREAM STATUS RESULT=I2P_ERROR MESSAGE=\"PORT missing or bad\"\n"
	    "STREAM STATUS RESULT=I2P_ERROR MESSAGE=\"HOST must be an IP "
	    "address\"\n");
	ck_assert_int_eq(f->closing, 0);
	/* SILENT=true still answers */
	snprintf(line, sizeof(line), "STREAM FORWARD ID=st PORT=%u "
	    "HOST=127.0.0.1 SILENT=true\n", port);
	in(f, line);
	ck_assert_str_eq(out(f), "STREAM STATUS RESULT=OK\n");
	id = incoming(s->sess->sid, 0, 0);
	if (id != 0) {
		ck_assert_ptr_nonnull(fc = conn_by_stream(id));
		fwd_connected(fc);
		ck_assert_int_eq(fc->dead, 1);
		sam_conn_free(fc);
		ck_assert_uint_eq(close_id, id);
	}
	ck_assert_uint_eq(sam_stats()->fwd_failed, 1);
	ck_assert_uint_eq(s->sess->nstreams, 0);
	/* FORWARD is refused while an ACCEPT waits */
	fc = hello("3.1");
	in(fc, "STREAM ACCEPT ID=st\n");
	ck_assert_str_eq(out(fc), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"a FORWARD is on for this ID\"\n");
	sam_conn_free(f);
	fc = hello("3.1");
	in(fc, "STREAM ACCEPT ID=st\n");
	ck_assert_str_eq(out(fc), "STREAM STATUS RESULT=OK\n");
	f = hello("3.1");
	in(f, line);
	ck_assert_str_eq(out(f), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"an ACCEPT waits on this ID\"\n");
}
END_TEST

/* ---- limits ---- */

static const char *
ip(int i)
{
	static char	 buf[32];

	/* SAM_CONNS_PER_ADDR clients per address */
	snprintf(buf, sizeof(buf), "127.0.1.%d", i / 16 + 1);
	return buf;
}

START_TEST(accept_limits)
{
	struct sam_conn	*c;
	char		 line[64];
	int		 i, j;

	for (j = 0; j < SAM_ACCEPTS_MAX / SAM_ACCEPTS_PER_SESSION + 1; j++) {
		snprintf(line, sizeof(line), "STYLE=STREAM ID=s%d "
		    "DESTINATION=TRANSIENT", j);
		session(line);
	}
	for (i = 0; i < SAM_ACCEPTS_MAX; i++) {
		c = hello_at(ip(i), "3.1");
		snprintf(line, sizeof(line), "STREAM ACCEPT ID=s%d\n",
		    i / SAM_ACCEPTS_PER_SESSION);
		in(c, line);
		ck_assert_str_eq(out(c), "STREAM STATUS RESULT=OK\n");
	}
	/* per session, then in all */
	c = hello_at("127.0.2.1", "3.1");
	in(c, "STREAM ACCEPT ID=s0\n");
	ck_assert_str_eq(out(c), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"too many ACCEPTs waiting\"\n");
	ck_assert_int_eq(c->closing, 1);
	snprintf(line, sizeof(line), "STREAM ACCEPT ID=s%d\n",
	    SAM_ACCEPTS_MAX / SAM_ACCEPTS_PER_SESSION);
	c = hello_at("127.0.2.1", "3.1");
	in(c, line);
	ck_assert_ptr_nonnull(strstr(out(c), "too many ACCEPTs"));
	ck_assert_uint_eq(sam_stats()->streams_limited, 2);
}
END_TEST

START_TEST(stream_limits)
{
	struct sam_conn	*s, *c;
	char		 line[1024];
	int		 i;

	s = session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	snprintf(line, sizeof(line), "STREAM CONNECT ID=st DESTINATION=%s\n",
	    peer_b64);
	for (i = 0; i < SAM_STREAMS_PER_SESSION; i++) {
		c = hello_at(ip(i), "3.1");
		in(c, line);
		if (i % 2)
			sam_backend_stream_connected(conn_id, "OK", NULL);
	}
	ck_assert_uint_eq(s->sess->nstreams, SAM_STREAMS_PER_SESSION);
	c = hello_at("127.0.2.1", "3.1");
	in(c, line);
	ck_assert_str_eq(out(c), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"too many streams\"\n");
	/* an incoming stream over the limit is refused, and counted */
	c = hello_at("127.0.2.1", "3.1");
	ck_assert_uint_eq(s->sess->naccepts, 0);
	in(c, "STREAM ACCEPT ID=st\n");
	ck_assert_uint_eq(incoming(s->sess->sid, 0, 0), 0);
	ck_assert_int_eq(c->mode, SAM_MODE_ACCEPTING);
	ck_assert_uint_eq(sam_stats()->streams_limited, 2);
	ck_assert_uint_eq(sam_stats()->streams_refused, 1);
}
END_TEST

START_TEST(forward_limit)
{
	struct sam_conn	*s[2], *f;
	char		 line[256];
	uint16_t	 port;
	int		 lfd, i, j;

	lfd = sam_test_listener(&port);
	for (j = 0; j < 2; j++) {
		snprintf(line, sizeof(line), "STYLE=STREAM ID=s%d "
		    "DESTINATION=TRANSIENT", j);
		s[j] = session(line);
		f = hello("3.1");
		snprintf(line, sizeof(line), "STREAM FORWARD ID=s%d PORT=%u "
		    "HOST=127.0.0.1\n", j, port);
		in(f, line);
		ck_assert_str_eq(out(f), "STREAM STATUS RESULT=OK\n");
	}
	for (i = 0; i < SAM_FORWARDED_MAX; i++)
		ck_assert_uint_ne(incoming(s[i % 2]->sess->sid, 0, 0), 0);
	ck_assert_uint_eq(incoming(s[0]->sess->sid, 0, 0), 0);
	ck_assert_uint_eq(sam_stats()->streams_limited, 1);
	/* forwarded sockets are no client's: clients still come in */
	ck_assert_ptr_nonnull(sam_conn_new(-1,
	    &TAILQ_FIRST(sam_conns())->addr, NOW));
	sam_init(&fake, NULL);
	close(lfd);
}
END_TEST

/* ---- PRIMARY subsessions ---- */

START_TEST(primary_routing)
{
	struct sam_conn	*m, *a80, *a0;
	char		 line[1024];
	uint32_t	 sid;

	m = session("STYLE=PRIMARY ID=m DESTINATION=TRANSIENT");
	sid = m->sess->sid;
	in(m, "SESSION ADD STYLE=STREAM ID=web FROM_PORT=80\n"
	    "SESSION ADD STYLE=STREAM ID=any\n"
	    "SESSION ADD STYLE=STREAM ID=bad FROM_PORT=1 LISTEN_PORT=5\n"
	    "SESSION ADD STYLE=STREAM ID=bad PORT=5\n"
	    "SESSION ADD STYLE=STREAM ID=dup LISTEN_PORT=0\n");
	ck_assert_str_eq(out(m), "SESSION STATUS RESULT=OK ID=web "
	    "MESSAGE=\"ADD web\"\n"
	    "SESSION STATUS RESULT=OK ID=any MESSAGE=\"ADD any\"\n"
	    "SESSION STATUS RESULT=I2P_ERROR MESSAGE=\"LISTEN_PORT of a "
	    "STREAM subsession must be FROM_PORT or 0\"\n"
	    "SESSION STATUS RESULT=I2P_ERROR MESSAGE=\"PORT and HOST are "
	    "for DATAGRAM and RAW\"\n"
	    "SESSION STATUS RESULT=I2P_ERROR MESSAGE=\"a subsession listens "
	    "on that port and protocol\"\n");
	/* nothing waits: not taken */
	ck_assert_uint_eq(incoming(sid, 0, 80), 0);
	a80 = hello("3.3");
	in(a80, "STREAM ACCEPT ID=web\n");
	a0 = hello("3.3");
	in(a0, "STREAM ACCEPT ID=any\n");
	out(a80);
	out(a0);
	snprintf(line, sizeof(line), "listen %u 1", sid);
	ck_assert_str_eq(calls, line);
	/* to port 81: the default; to port 80: web */
	ck_assert_uint_ne(incoming(sid, 3, 81), 0);
	ck_assert_int_eq(a0->mode, SAM_MODE_STREAM);
	ck_assert_int_eq(a80->mode, SAM_MODE_ACCEPTING);
	ck_assert_uint_ne(incoming(sid, 3, 80), 0);
	ck_assert_int_eq(a80->mode, SAM_MODE_STREAM);
	snprintf(line, sizeof(line), "%s FROM_PORT=3 TO_PORT=80\n", peer_b64);
	ck_assert_str_eq(out(a80), line);
	/* a subsession's CONNECT goes out of the PRIMARY, from its port */
	a0 = hello("3.3");
	snprintf(line, sizeof(line), "STREAM CONNECT ID=web DESTINATION=%s\n",
	    peer_b64);
	in(a0, line);
	ck_assert_uint_eq(conn_sid, sid);
	ck_assert_uint_eq(conn_from, 80);
	/* the PRIMARY itself takes no STREAM command */
	a0 = hello("3.3");
	in(a0, "STREAM ACCEPT ID=m\n");
	ck_assert_str_eq(out(a0), "STREAM STATUS RESULT=INVALID_ID\n");
	/* REMOVE: its waiting ACCEPT hears so */
	a0 = hello("3.3");
	in(a0, "STREAM ACCEPT ID=any\n");
	out(a0);
	in(m, "SESSION REMOVE ID=any\n");
	ck_assert_str_eq(out(a0), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"Session was closed\"\n");
	ck_assert_uint_eq(incoming(sid, 3, 81), 0);
}
END_TEST

/* ---- the end of a session ---- */

START_TEST(session_gone)
{
	struct sam_conn	*s, *a, *st, *f;

	s = session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	a = hello("3.1");
	in(a, "STREAM ACCEPT ID=st\n");
	out(a);
	st = connected("3.1", "st");
	nclose = 0;
	sam_conn_free(s);
	/* as Bitcoin Core expects where the peer's line would be */
	ck_assert_str_eq(out(a), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"Session was closed\"\n");
	ck_assert_int_eq(a->closing, 1);
	ck_assert_int_eq(st->dead, 1);
	ck_assert_int_eq(nclose, 1);
	ck_assert_ptr_null(st->ssess);
	/* later answers find nothing */
	sam_backend_stream_readable(conn_id);
	sam_backend_stream_closed(conn_id, NULL);
	sam_conn_free(st);
	ck_assert_int_eq(nclose, 1);
	/* a FORWARD's socket closes with the session it served */
	s = session("STYLE=STREAM ID=fw DESTINATION=TRANSIENT");
	f = hello("3.1");
	in(f, "STREAM FORWARD ID=fw PORT=9 HOST=127.0.0.1\n");
	ck_assert_str_eq(out(f), "STREAM STATUS RESULT=OK\n");
	sam_conn_free(s);
	ck_assert_int_eq(f->closing, 1);
	ck_assert_ptr_null(f->fwd_sess);
}
END_TEST

START_TEST(no_streams)
{
	struct sam_conn	*c;

	sam_init(&nostreams, NULL);
	c = hello("3.1");
	in(c, "SESSION CREATE STYLE=STREAM ID=x DESTINATION=TRANSIENT\n");
	ck_assert_str_eq(out(c), "SESSION STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"streaming not available\"\n");
	in(c, "STREAM ACCEPT ID=x\n");
	ck_assert_str_eq(out(c), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"streaming not available\"\n");
	c = hello("3.1");
	in(c, "STREAM FORWARD ID=x PORT=9\n");
	ck_assert_str_eq(out(c), "STREAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"streaming not available\"\n");
	ck_assert_uint_eq(sam_backend_stream_incoming(1, peer, sizeof(peer),
	    0, 0), 0);
}
END_TEST

/* ---- show sam ---- */

static struct ctl_sam_client	 rows[8];
static size_t			 nrows;
static struct ctl_sam_session	 srows[2];
static size_t			 nsrows;
static struct ctl_sam		 ssum;

static void
emit(void *arg, uint32_t type, const void *p, size_t len)
{
	if (type == IMSG_CTL_SAM_CLIENT && nrows < 8)
		memcpy(&rows[nrows++], p, sizeof(rows[0]));
	if (type == IMSG_CTL_SAM_SESSION && nsrows < 2)
		memcpy(&srows[nsrows++], p, sizeof(srows[0]));
	if (type == IMSG_CTL_SAM)
		memcpy(&ssum, p, sizeof(ssum));
}

START_TEST(show_sam)
{
	struct sam_conf	 sc;
	struct sam_conn	*a, *f, *c;

	memset(&sc, 0, sizeof(sc));
	session("STYLE=STREAM ID=st DESTINATION=TRANSIENT");
	a = hello("3.1");
	in(a, "STREAM ACCEPT ID=st\n");
	c = connected("3.1", "st");
	in(c, "hello");
	f = hello("3.1");
	in(f, "STREAM FORWARD ID=st PORT=9\n");
	ck_assert_str_eq(out(a), "STREAM STATUS RESULT=OK\n");
	ck_assert_ptr_nonnull(strstr(out(f), "I2P_ERROR"));
	sam_conn_free(a);
	in(f, "STREAM FORWARD ID=st PORT=9\n");
	ck_assert_str_eq(out(f), "STREAM STATUS RESULT=OK\n");
	nrows = nsrows = 0;
	sam_ctl(&sc, emit, NULL);
	ck_assert_uint_eq(nrows, 3);
	/* the session's socket, the stream's, the FORWARD's */
	ck_assert_str_eq(rows[0].session, "st");
	ck_assert_str_eq(rows[1].session, "st");
	ck_assert_str_eq(rows[2].session, "st");
	ck_assert_str_eq(rows[1].version, "3.1");
	/* what each does; the stream's socket carries the stream */
	ck_assert_str_eq(rows[0].mode, "control");
	ck_assert_uint_eq(rows[0].stream, 0);
	ck_assert_str_eq(rows[1].mode, "stream");
	ck_assert_uint_eq(rows[1].stream, conn_id);
	ck_assert_uint_eq(rows[1].sbytes_in, 5);
	ck_assert_str_eq(rows[2].mode, "control");
	ck_assert_uint_eq(nsrows, 1);
	ck_assert_uint_eq(srows[0].streams, 1);
	ck_assert_uint_eq(ssum.streams_out, 1);
	ck_assert_uint_eq(ssum.sbytes_in, 5);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("tunneld_sam_stream");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, connect_ok);
	tcase_add_test(tc, connect_failures);
	tcase_add_test(tc, connect_refused);
	tcase_add_test(tc, connect_b32);
	tcase_add_test(tc, connect_name);
	tcase_add_test(tc, silent);
	tcase_add_test(tc, accept_queue);
	tcase_add_test(tc, peer_line_versions);
	tcase_add_test(tc, backpressure_to_stream);
	tcase_add_test(tc, backend_errors);
	tcase_add_test(tc, backpressure_to_client);
	tcase_add_test(tc, eof_both_ways);
	tcase_add_test(tc, forward);
	tcase_add_test(tc, forward_failures);
	tcase_add_test(tc, accept_limits);
	tcase_add_test(tc, stream_limits);
	tcase_add_test(tc, forward_limit);
	tcase_add_test(tc, primary_routing);
	tcase_add_test(tc, session_gone);
	tcase_add_test(tc, no_streams);
	tcase_add_test(tc, show_sam);
	tcase_add_test(tc, libtorrent);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
