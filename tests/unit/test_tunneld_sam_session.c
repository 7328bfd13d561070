/*
 * The SAM bridge (tunneld/sam_conn.c, sam_session.c) against a fake
 * backend that records what it is asked and answers when the test
 * says: HELLO and version negotiation, AUTH, PING, QUIT, several
 * commands in one write, line limits; SESSION CREATE with TRANSIENT
 * and private keys, its refusals (DUPLICATED_ID, DUPLICATED_DEST,
 * INVALID_KEY, signature types, options); PRIMARY with ADD/REMOVE and
 * the routing of received datagrams; DATAGRAM/RAW SEND on the control
 * socket and the UDP port; received datagrams on the control socket
 * and forwarded, gated on the version; NAMING LOOKUP; DEST GENERATE;
 * the limits.  Connections have no socket (fd -1): replies are read
 * from their output queue.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bsd/string.h>
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "encoding.h"
#include "i2pdata.h"
#include "i2prd.h"
#include "../../tunneld/sam.h"
#include "../../tunneld/stream.h"
#include "samtest.h"
#include "unit.h"

#define NOW	1790000000

/* ---- the fake backend ---- */

static char			 calls[4096];
static struct sam_open_req	 last_open;
static struct stream_opts	 last_stream;	/* *last_open.stream */
static size_t			 last_privlen;
static uint32_t			 last_reqid;
static uint8_t			 last_hash[32];
static uint8_t			 sent[SAM_RAW_MAX + 1];
static struct sam_dgram		 last_sent;
static int			 nsent, refuse;
static uint8_t			 udp_out[SAM_RAW_MAX * 2];
static size_t			 udp_len;
static struct sockaddr_storage	 udp_to;

static void
record(const char *fmt, const char *a, unsigned n)
{
	size_t	 len = strlen(calls);

	snprintf(calls + len, sizeof(calls) - len, "%s", len ? ", " : "");
	len = strlen(calls);
	snprintf(calls + len, sizeof(calls) - len, fmt, a, n);
}

static int
fake_open(void *arg, const struct sam_open_req *r)
{
	record("open %s %u", r->priv ? "key" : "transient", r->sid);
	last_open = *r;
	last_privlen = r->privlen;
	last_open.priv = NULL;
	/* both pointers are valid during the call only */
	ck_assert_ptr_nonnull(r->stream);
	last_stream = *r->stream;
	last_open.stream = NULL;
	return refuse ? -1 : 0;
}

static void
fake_close(void *arg, uint32_t sid)
{
	record("close%s %u", "", sid);
}

static int
fake_generate(void *arg, uint32_t reqid, uint16_t type)
{
	record("generate%s %u", "", type);
	last_reqid = reqid;
	return refuse ? -1 : 0;
}

static int
fake_lookup(void *arg, uint32_t reqid, const uint8_t hash[32])
{
	record("lookup%s %u", "", hash[0]);
	last_reqid = reqid;
	memcpy(last_hash, hash, 32);
	return 0;
}

static int
fake_send(void *arg, uint32_t sid, const struct sam_dgram *dg)
{
	record("send%s %u", dg->raw ? " raw" : "", sid);
	last_sent = *dg;
	memcpy(sent, dg->payload, dg->len);
	nsent++;
	return refuse ? -1 : 0;
}

static void
fake_udp(const struct sockaddr_storage *to, const void *p, size_t len)
{
	memcpy(udp_out, p, len);
	udp_len = len;
	udp_to = *to;
}

static uint8_t	 dest2[I2P_IDENT_LEN];

/* the address book: one name */
static int
fake_resolve(void *arg, const char *name, uint8_t *d, size_t max,
    size_t *len)
{
	if (strcmp(name, "known.i2p") != 0 || max < sizeof(dest2))
		return -1;
	memcpy(d, dest2, sizeof(dest2));
	*len = sizeof(dest2);
	return 0;
}

static const struct sam_backend fake = {
	.open = fake_open,
	.close = fake_close,
	.generate = fake_generate,
	.lookup = fake_lookup,
	.resolve = fake_resolve,
	.send = fake_send,
};

/* ---- a destination and its private key ---- */

static uint8_t	 dest[I2P_IDENT_LEN], priv[I2P_IDENT_LEN + 256 + 32];
static char	 dest_b64[B64_ENCLEN(sizeof(dest))];
static char	 priv_b64[B64_ENCLEN(sizeof(priv))];
static char	 dest2_b64[B64_ENCLEN(sizeof(dest2))];

static void
make_dest(uint8_t *d, char *b64, size_t b64sz, uint8_t fill)
{
	struct i2p_ident	 id;
	uint8_t			 pub[32];

	memset(pub, fill, sizeof(pub));
	ck_assert_int_eq(ident_build(&id, IDENT_DEST, NULL, pub, NULL), 0);
	ck_assert_uint_eq(id.rawlen, I2P_IDENT_LEN);
	memcpy(d, id.raw, id.rawlen);
	ck_assert_int_ge(b64_encode(b64, b64sz, d, I2P_IDENT_LEN), 0);
}

static void
setup(void)
{
	calls[0] = '\0';
	refuse = 0;
	nsent = 0;
	udp_len = 0;
	sam_init(&fake, fake_udp);
	make_dest(dest, dest_b64, sizeof(dest_b64), 1);
	make_dest(dest2, dest2_b64, sizeof(dest2_b64), 2);
	memcpy(priv, dest, sizeof(dest));
	memset(priv + sizeof(dest), 7, sizeof(priv) - sizeof(dest));
	ck_assert_int_ge(b64_encode(priv_b64, sizeof(priv_b64), priv,
	    sizeof(priv)), 0);
}

static void
teardown(void)
{
	sam_init(&fake, fake_udp);
}

/* ---- connections without sockets ---- */

static struct sam_conn *
conn_from(const char *ip)
{
	return sam_test_conn(ip, NOW);
}

static struct sam_conn *
conn(void)
{
	struct sam_conn	*c = conn_from("127.0.0.1");

	ck_assert_ptr_nonnull(c);
	return c;
}

static struct sam_conn *
hello(const char *version)
{
	struct sam_conn	*c = conn();
	char		 line[64];

	snprintf(line, sizeof(line), "HELLO VERSION MIN=%s MAX=%s\n",
	    version, version);
	in(c, line);
	snprintf(line, sizeof(line), "HELLO REPLY RESULT=OK VERSION=%s\n",
	    version);
	ck_assert_str_eq(out(c), line);
	return c;
}

/* a ready session: create, let the backend answer */
static struct sam_conn *
session(const char *version, const char *args)
{
	struct sam_conn	*c = hello(version);
	char		 line[2048], want[2048];

	snprintf(line, sizeof(line), "SESSION CREATE %s\n", args);
	in(c, line);
	ck_assert_str_eq(out(c), "");
	ck_assert_int_eq(c->busy, 1);
	sam_backend_opened(last_open.sid, dest, sizeof(dest), priv,
	    sizeof(priv));
	snprintf(want, sizeof(want), "SESSION STATUS RESULT=OK "
	    "DESTINATION=%s\n", priv_b64);
	ck_assert_str_eq(out(c), want);
	return c;
}

/* ---- HELLO and the connection ---- */

START_TEST(hello_versions)
{
	static const struct {
		const char	*line, *reply;
	} t[] = {
		{ "HELLO VERSION\n", "HELLO REPLY RESULT=OK VERSION=3.3\n" },
		{ "HELLO VERSION MIN=3.0 MAX=3.0\n",
		    "HELLO REPLY RESULT=OK VERSION=3.0\n" },
		{ "HELLO VERSION MIN=3.0 MAX=3.2\r\n",
		    "HELLO REPLY RESULT=OK VERSION=3.2\n" },
		{ "hello version min=3.9 MAX=3\n",
		    "HELLO REPLY RESULT=OK VERSION=3.3\n" },
		{ "HELLO VERSION MIN=3.1\n",
		    "HELLO REPLY RESULT=OK VERSION=3.3\n" },
		{ "HELLO VERSION MAX=3.1\n",
		    "HELLO REPLY RESULT=OK VERSION=3.1\n" },
		{ "HELLO VERSION MIN=3.4\n", "HELLO REPLY RESULT=NOVERSION\n" },
		{ "HELLO VERSION MIN=2.0 MAX=2.9\n",
		    "HELLO REPLY RESULT=NOVERSION\n" },
		{ "HELLO VERSION MAX=x\n", "HELLO REPLY RESULT=I2P_ERROR "
		    "MESSAGE=\"malformed MIN or MAX\"\n" },
		{ "HELLO REPLY\n", "HELLO REPLY RESULT=I2P_ERROR "
		    "MESSAGE=\"expected HELLO VERSION\"\n" },
		{ "NAMING LOOKUP NAME=ME\n", "HELLO REPLY RESULT=I2P_ERROR "
		    "MESSAGE=\"HELLO first\"\n" },
	};
	struct sam_conn	*c;
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c = conn();
		in(c, t[i].line);
		ck_assert_msg(strcmp(out(c), t[i].reply) == 0, "%s",
		    t[i].line);
		/* every refusal closes; "min=" is no MIN (case-sensitive) */
		ck_assert_int_eq(c->closing, strstr(t[i].reply, "OK") == NULL);
		sam_conn_free(c);
	}
}
END_TEST

START_TEST(pipelined_and_split)
{
	struct sam_conn	*c = conn();

	/* several commands in one write, one command over three */
	in(c, "HELLO VERSION\nPING abc\nPONG\nPI");
	ck_assert_str_eq(out(c), "HELLO REPLY RESULT=OK VERSION=3.3\n"
	    "PONG abc\n");
	in(c, "N");
	in(c, "G\nHELLO VERSION\n");
	ck_assert_str_eq(out(c), "PONG\nHELLO REPLY RESULT=I2P_ERROR "
	    "MESSAGE=\"HELLO was already done\"\n");
	in(c, "FOO BAR\nSESSION CREATE ID=\"x\n");
	ck_assert_str_eq(out(c), "SESSION STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"unknown command\"\nSESSION STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"unterminated quote\"\n");
	ck_assert_int_eq(c->closing, 0);
	in(c, "AUTH ENABLE\n");
	ck_assert_ptr_nonnull(strstr(out(c), "RESULT=I2P_ERROR"));
	in(c, "QUIT\nPING\n");
	ck_assert_int_eq(c->closing, 1);
	ck_assert_str_eq(out(c), "");
	ck_assert_uint_eq(sam_stats()->commands, 8);
}
END_TEST

START_TEST(long_line)
{
	struct sam_conn	*c = hello("3.1");
	static char	 big[SAM_LINE_MAX + 2];

	memset(big, 'A', sizeof(big) - 1);
	in(c, big);
	ck_assert_int_eq(c->closing, 1);
	ck_assert_str_eq(out(c), "SESSION STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"line too long\"\n");
}
END_TEST

START_TEST(auth)
{
	struct sam_conn	*c;

	sam_set_auth("alice", "pa ss\"w");
	c = conn();
	in(c, "HELLO VERSION\n");
	ck_assert_str_eq(out(c), "HELLO REPLY RESULT=I2P_ERROR "
	    "MESSAGE=\"USER and PASSWORD required\"\n");
	ck_assert_int_eq(c->closing, 1);
	c = conn();
	in(c, "HELLO VERSION USER=alice PASSWORD=pass\n");
	ck_assert_str_eq(out(c), "HELLO REPLY RESULT=I2P_ERROR "
	    "MESSAGE=\"authentication failed\"\n");
	c = conn();
	in(c, "HELLO VERSION USER=alicealice PASSWORD=\"pa ss\\\"w\"\n");
	ck_assert_ptr_nonnull(strstr(out(c), "authentication failed"));
	c = conn();
	in(c, "HELLO VERSION MAX=3.2 USER=\"alice\" PASSWORD=\"pa ss\\\"w\"\n");
	ck_assert_str_eq(out(c), "HELLO REPLY RESULT=OK VERSION=3.2\n");
	sam_set_auth(NULL, NULL);
}
END_TEST

START_TEST(conn_limits)
{
	struct sam_conn	*c;
	int		 i;

	for (i = 0; i < SAM_CONNS_PER_ADDR; i++)
		ck_assert_ptr_nonnull(conn_from("127.0.0.2"));
	ck_assert_ptr_null(conn_from("127.0.0.2"));
	ck_assert_ptr_nonnull(conn_from("127.0.0.3"));
	ck_assert_uint_eq(sam_stats()->conns_refused, 1);
	/* a client that reads nothing: closed, memory bounded */
	c = hello("3.3");
	for (i = 0; i < SAM_OUTQ_MAX / 5 + 1 && !c->dead; i++)
		in(c, "PING\n");
	ck_assert_int_eq(c->dead, 1);
	ck_assert_uint_le(wbuf_len(&c->out), SAM_OUTQ_MAX);
}
END_TEST

/* ---- SESSION CREATE ---- */

/*
 * i2p.streaming.* options: those stream.c knows go to the backend, a
 * bad value is refused naming the option, others are ignored
 */
START_TEST(create_streaming_opts)
{
	struct sam_conn		*c = hello("3.1");
	struct stream_opts	 dflt;

	/* a DATAGRAM session: this backend has no streams */
	stream_opts_default(&dflt);
	in(c, "SESSION CREATE STYLE=DATAGRAM ID=st DESTINATION=TRANSIENT "
	    "i2p.streaming.maxWindowSize=64 i2p.streaming.initialRTT=500 "
	    "i2p.streaming.maxConnsPerMinute=10 "
	    "i2p.streaming.answerPings=false i2p.streaming.connectDelay=1000 "
	    "i2p.streaming.inactivityTimeout=0\n");
	ck_assert_int_eq(strncmp(calls, "open transient ", 15), 0);
	ck_assert_uint_eq(last_stream.max_window, 64);
	ck_assert_uint_eq(last_stream.initial_rtt, 500);
	ck_assert_uint_eq(last_stream.conn_per_min, 10);
	ck_assert_uint_eq(last_stream.inactivity_timeout, 0);
	/* what was not given keeps its default */
	ck_assert_uint_eq(last_stream.sndbuf, dflt.sndbuf);
	ck_assert_uint_eq(last_stream.max_resends, dflt.max_resends);
	sam_conn_free(c);

	/* no option: the defaults */
	calls[0] = '\0';
	c = hello("3.1");
	in(c, "SESSION CREATE STYLE=DATAGRAM ID=s2 DESTINATION=TRANSIENT\n");
	ck_assert_int_eq(strncmp(calls, "open transient ", 15), 0);
	ck_assert_mem_eq(&last_stream, &dflt, sizeof(dflt));
	sam_conn_free(c);

	/* out of range, not a number: refused, the backend not asked */
	calls[0] = '\0';
	c = hello("3.1");
	in(c, "SESSION CREATE STYLE=DATAGRAM ID=s3 DESTINATION=TRANSIENT "
	    "i2p.streaming.maxWindowSize=5000\n");
	ck_assert_str_eq(out(c), "SESSION STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"bad i2p.streaming.maxWindowSize: 1 to 1024 "
	    "packets\"\n");
	in(c, "SESSION CREATE STYLE=DATAGRAM ID=s3 DESTINATION=TRANSIENT "
	    "i2p.streaming.initialRTT=fast\n");
	ck_assert_str_eq(out(c), "SESSION STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"bad i2p.streaming.initialRTT: 1 to 60000 ms\"\n");
	ck_assert_str_eq(calls, "");
	ck_assert_ptr_null(sam_session_find("s3"));
	sam_conn_free(c);
}
END_TEST

START_TEST(create_transient)
{
	struct sam_conn	*c = hello("3.1");
	char		 want[2048];

	/* libtorrent 2.0.10 */
	in(c, "SESSION CREATE STYLE=DATAGRAM ID=lt DESTINATION=TRANSIENT "
	    "SIGNATURE_TYPE=7 inbound.quantity=3 outbound.quantity=3 "
	    "inbound.length=3 outbound.length=3 "
	    "i2cp.leaseSetEncType=4,0\nNAMING LOOKUP NAME=ME\n");
	ck_assert_int_eq(strncmp(calls, "open transient ", 15), 0);
	ck_assert_int_eq(last_open.style, SAM_STYLE_DATAGRAM);
	ck_assert_int_eq(last_open.sigtype, 7);
	ck_assert_int_eq(last_open.opts.length[0], 3);
	ck_assert_int_eq(last_open.opts.quantity[1], 3);
	ck_assert_int_eq(last_open.opts.variance[0], -1);
	ck_assert_int_eq(last_open.opts.publish, 1);
	/* the lookup waits for the session's answer */
	ck_assert_str_eq(out(c), "");
	sam_backend_opened(last_open.sid, dest, sizeof(dest), priv,
	    sizeof(priv));
	snprintf(want, sizeof(want), "SESSION STATUS RESULT=OK "
	    "DESTINATION=%s\nNAMING REPLY RESULT=OK NAME=ME VALUE=%s\n",
	    priv_b64, dest_b64);
	ck_assert_str_eq(out(c), want);
	/* a second session on the socket, or a late answer */
	in(c, "SESSION CREATE STYLE=RAW ID=b DESTINATION=TRANSIENT\n");
	ck_assert_ptr_nonnull(strstr(out(c), "has a session already"));
	sam_backend_opened(last_open.sid, dest, sizeof(dest), priv,
	    sizeof(priv));
	ck_assert_str_eq(out(c), "");
	/* the session dies with its socket; its ID is free again */
	calls[0] = '\0';
	sam_conn_free(c);
	snprintf(want, sizeof(want), "close %u", last_open.sid);
	ck_assert_str_eq(calls, want);
	ck_assert_ptr_null(sam_session_find("lt"));
	ck_assert_uint_eq(sam_session_count(), 0);
}
END_TEST

START_TEST(create_refused)
{
	static const struct {
		const char	*args, *reply;
	} t[] = {
		{ "STYLE=STREAM ID=a DESTINATION=TRANSIENT",
		    "RESULT=I2P_ERROR MESSAGE=\"streaming not available\"" },
		{ "STYLE=FOO ID=a DESTINATION=TRANSIENT", "RESULT=I2P_ERROR" },
		{ "STYLE=RAW DESTINATION=TRANSIENT", "RESULT=I2P_ERROR "
		    "MESSAGE=\"ID missing or malformed\"" },
		{ "STYLE=RAW ID=a", "MESSAGE=\"DESTINATION missing\"" },
		{ "STYLE=RAW ID=taken DESTINATION=TRANSIENT",
		    "RESULT=DUPLICATED_ID\n" },
		{ "STYLE=RAW ID=a DESTINATION=TRANSIENT SIGNATURE_TYPE=1",
		    "MESSAGE=\"only SIGNATURE_TYPE=7 (EdDSA_SHA512_Ed25519) "
		    "is supported\"" },
		{ "STYLE=RAW ID=a DESTINATION=TRANSIENT "
		    "SIGNATURE_TYPE=ECDSA_SHA256_P256", "only SIGNATURE_TYPE" },
		{ "STYLE=RAW ID=a DESTINATION=TRANSIENT SIGNATURE_TYPE=Foo",
		    "unknown SIGNATURE_TYPE" },
		{ "STYLE=RAW ID=a DESTINATION=AAAA",
		    "SESSION STATUS RESULT=INVALID_KEY\n" },
		{ "STYLE=RAW ID=a DESTINATION=!!!!", "RESULT=INVALID_KEY" },
		{ "STYLE=RAW ID=a DESTINATION=TRANSIENT inbound.length=8",
		    "bad tunnel option value" },
		{ "STYLE=RAW ID=a DESTINATION=TRANSIENT "
		    "outbound.quantity=0", "bad tunnel option value" },
		{ "STYLE=RAW ID=a DESTINATION=TRANSIENT "
		    "i2cp.leaseSetEncType=0", "must include 4" },
		{ "STYLE=RAW ID=a DESTINATION=TRANSIENT PROTOCOL=6",
		    "bad PROTOCOL" },
		{ "STYLE=DATAGRAM ID=a DESTINATION=TRANSIENT HEADER=true",
		    "are for STYLE=RAW" },
		{ "STYLE=RAW ID=a DESTINATION=TRANSIENT PORT=70000",
		    "bad PORT" },
		{ "STYLE=RAW ID=a DESTINATION=TRANSIENT PORT=7 HOST=x.i2p",
		    "HOST must be an IP address" },
		{ "STYLE=PRIMARY ID=a DESTINATION=TRANSIENT PORT=7",
		    "are for subsessions" },
		{ "STYLE=RAW ID=a DESTINATION=TRANSIENT LISTEN_PORT=7",
		    "are for SESSION ADD" },
	};
	struct sam_conn	*c, *t0;
	char		 line[512];
	size_t		 i;

	t0 = session("3.3", "STYLE=RAW ID=taken DESTINATION=TRANSIENT");
	calls[0] = '\0';
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c = hello("3.3");
		snprintf(line, sizeof(line), "SESSION CREATE %s\n", t[i].args);
		in(c, line);
		ck_assert_msg(strstr(out(c), t[i].reply) != NULL, "%s",
		    t[i].args);
		ck_assert_ptr_null(c->sess);
		ck_assert_int_eq(c->busy, 0);
		sam_conn_free(c);
	}
	ck_assert_str_eq(calls, "");
	/* the backend refuses at once, or later */
	refuse = 1;
	c = hello("3.3");
	in(c, "SESSION CREATE STYLE=RAW ID=a DESTINATION=TRANSIENT\n");
	ck_assert_ptr_nonnull(strstr(out(c), "cannot open a destination"));
	refuse = 0;
	in(c, "SESSION CREATE STYLE=RAW ID=a DESTINATION=TRANSIENT\n");
	sam_backend_open_failed(last_open.sid, "I2P_ERROR", "no tunnels");
	ck_assert_str_eq(out(c), "SESSION STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"no tunnels\"\n");
	ck_assert_ptr_null(sam_session_find("a"));
	ck_assert_ptr_nonnull(sam_session_find("taken"));
	sam_conn_free(t0);
}
END_TEST

START_TEST(create_private_key)
{
	struct sam_conn	*c, *c2;
	char		 line[4096], nopad[2048];

	c = hello("3.1");
	in(c, "SESSION CREATE STYLE=DATAGRAM ID=k DESTINATION=\n");
	ck_assert_ptr_nonnull(strstr(out(c), "RESULT=INVALID_KEY"));
	snprintf(line, sizeof(line), "SESSION CREATE STYLE=DATAGRAM ID=k "
	    "DESTINATION=%s SIGNATURE_TYPE=1\n", priv_b64);
	in(c, line);
	ck_assert_str_eq(out(c), "");
	/* SIGNATURE_TYPE applies to TRANSIENT only */
	ck_assert_int_eq(strncmp(calls, "open key ", 9), 0);
	ck_assert_uint_eq(last_privlen, sizeof(priv));
	sam_backend_opened(last_open.sid, dest, sizeof(dest), priv,
	    sizeof(priv));
	out(c);
	/* the same key again, without its padding: DUPLICATED_DEST */
	strlcpy(nopad, priv_b64, sizeof(nopad));
	nopad[strcspn(nopad, "=")] = '\0';
	ck_assert_uint_ne(strlen(nopad), strlen(priv_b64));
	c2 = hello("3.1");
	snprintf(line, sizeof(line), "SESSION CREATE STYLE=RAW ID=k2 "
	    "DESTINATION=%s\n", nopad);
	in(c2, line);
	ck_assert_str_eq(out(c2), "SESSION STATUS RESULT=DUPLICATED_DEST\n");
	/* a key with bytes missing */
	nopad[strlen(nopad) - 8] = '\0';
	snprintf(line, sizeof(line), "SESSION CREATE STYLE=RAW ID=k2 "
	    "DESTINATION=%s\n", nopad);
	in(c2, line);
	ck_assert_ptr_nonnull(strstr(out(c2), "RESULT=INVALID_KEY"));
	/* once the first session is gone the key is free */
	sam_conn_free(c);
	snprintf(line, sizeof(line), "SESSION CREATE STYLE=RAW ID=k2 "
	    "DESTINATION=%s\n", priv_b64);
	in(c2, line);
	ck_assert_int_eq(c2->busy, 1);
}
END_TEST

/* ---- PRIMARY ---- */

START_TEST(primary)
{
	struct sam_conn		*c, *other;
	struct sam_dgram	 dg;
	char			 want[1024];

	c = session("3.3", "STYLE=MASTER ID=m DESTINATION=TRANSIENT "
	    "i2cp.dontPublishLeaseSet=true");
	ck_assert_int_eq(last_open.style, SAM_STYLE_PRIMARY);
	ck_assert_int_eq(last_open.opts.publish, 0);
	in(c, "SESSION ADD STYLE=DATAGRAM ID=d1 PORT=9001 FROM_PORT=5\n");
	ck_assert_str_eq(out(c), "SESSION STATUS RESULT=OK ID=d1 "
	    "MESSAGE=\"ADD d1\"\n");
	in(c, "SESSION ADD STYLE=DATAGRAM ID=d2 PORT=9002 HOST=127.0.0.5\n");
	ck_assert_ptr_nonnull(strstr(out(c), "RESULT=OK"));
	in(c, "SESSION ADD STYLE=RAW ID=r1 PORT=9003 LISTEN_PROTOCOL=18 "
	    "HEADER=true\n");
	ck_assert_ptr_nonnull(strstr(out(c), "RESULT=OK"));
	/* refused: same listen port, no PORT, DESTINATION, STREAM */
	in(c, "SESSION ADD STYLE=DATAGRAM ID=d3 PORT=1 LISTEN_PORT=5\n"
	    "SESSION ADD STYLE=DATAGRAM ID=d3\n"
	    "SESSION ADD STYLE=RAW ID=d3 PORT=1 DESTINATION=TRANSIENT\n"
	    "SESSION ADD STYLE=RAW ID=d3 PORT=1 LISTEN_PROTOCOL=6\n"
	    "SESSION ADD STYLE=STREAM ID=d3\n"
	    "SESSION ADD STYLE=RAW ID=d1 PORT=1\n");
	ck_assert_str_eq(out(c), "SESSION STATUS RESULT=I2P_ERROR MESSAGE="
	    "\"a subsession listens on that port and protocol\"\n"
	    "SESSION STATUS RESULT=I2P_ERROR MESSAGE=\"PORT is required for "
	    "DATAGRAM and RAW subsessions\"\n"
	    "SESSION STATUS RESULT=I2P_ERROR MESSAGE=\"no DESTINATION on "
	    "SESSION ADD\"\n"
	    "SESSION STATUS RESULT=I2P_ERROR MESSAGE=\"bad LISTEN_PORT or "
	    "LISTEN_PROTOCOL\"\n"
	    "SESSION STATUS RESULT=I2P_ERROR MESSAGE=\"streaming not "
	    "available\"\n"
	    "SESSION STATUS RESULT=DUPLICATED_ID\n");
	/* routing: to port 5 -> d1, other ports -> d2 (wildcard) */
	memset(&dg, 0, sizeof(dg));
	dg.dest = dest2;
	dg.destlen = sizeof(dest2);
	dg.from_port = 77;
	dg.to_port = 5;
	dg.protocol = 17;
	dg.payload = (const uint8_t *)"hi";
	dg.len = 2;
	sam_backend_received(last_open.sid, &dg);
	snprintf(want, sizeof(want), "%s FROM_PORT=77 TO_PORT=5\nhi",
	    dest2_b64);
	ck_assert_uint_eq(udp_len, strlen(want));
	ck_assert_int_eq(memcmp(udp_out, want, udp_len), 0);
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&udp_to)->sin_port),
	    9001);
	dg.to_port = 6;
	sam_backend_received(last_open.sid, &dg);
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&udp_to)->sin_port),
	    9002);
	dg.raw = 1;
	dg.protocol = 18;
	dg.dest = NULL;
	sam_backend_received(last_open.sid, &dg);
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&udp_to)->sin_port),
	    9003);
	ck_assert_uint_eq(udp_len, strlen("FROM_PORT=77 TO_PORT=6 "
	    "PROTOCOL=18\nhi"));
	dg.protocol = 19;	/* no RAW subsession listens there */
	sam_backend_received(last_open.sid, &dg);
	ck_assert_uint_eq(sam_stats()->dgrams_dropped, 1);
	/* sending from a subsession goes out of the PRIMARY's sid */
	calls[0] = '\0';
	snprintf(want, sizeof(want), "3.3 d1 %s TO_PORT=9\nabc", dest2_b64);
	sam_udp_input(want, strlen(want), NULL);
	ck_assert_int_eq(nsent, 1);
	ck_assert_uint_eq(last_sent.from_port, 5);
	ck_assert_uint_eq(last_sent.to_port, 9);
	calls[0] = '\0';
	/* REMOVE: only a subsession of this socket's PRIMARY */
	other = hello("3.3");
	in(other, "SESSION REMOVE ID=d1\n");
	ck_assert_ptr_nonnull(strstr(out(other), "I2P_ERROR"));
	in(c, "SESSION REMOVE ID=d1\nSESSION REMOVE ID=m\n");
	ck_assert_str_eq(out(c), "SESSION STATUS RESULT=OK ID=d1 "
	    "MESSAGE=\"REMOVE d1\"\nSESSION STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"no such subsession on this socket\"\n");
	ck_assert_ptr_null(sam_session_find("d1"));
	ck_assert_uint_eq(sam_session_count(), 3);
	sam_conn_free(c);
	ck_assert_uint_eq(sam_session_count(), 0);
	snprintf(want, sizeof(want), "close %u", last_open.sid);
	ck_assert_str_eq(calls, want);
}
END_TEST

/* ---- datagrams ---- */

START_TEST(send_control)
{
	struct sam_conn	*c;
	char		 line[2048];

	c = session("3.2", "STYLE=DATAGRAM ID=s DESTINATION=TRANSIENT "
	    "FROM_PORT=4 TO_PORT=5");
	calls[0] = '\0';
	snprintf(line, sizeof(line), "DATAGRAM SEND DESTINATION=%s SIZE=5\n"
	    "he", dest2_b64);
	in(c, line);
	ck_assert_int_eq(nsent, 0);	/* the payload is incomplete */
	in(c, "llo\nPING\n");
	ck_assert_int_eq(nsent, 1);
	ck_assert_int_eq(strncmp(calls, "send ", 5), 0);
	ck_assert_uint_eq(last_sent.len, 5);
	ck_assert_int_eq(memcmp(sent, "hello", 5), 0);
	ck_assert_uint_eq(last_sent.destlen, sizeof(dest2));
	ck_assert_uint_eq(last_sent.from_port, 4);
	ck_assert_uint_eq(last_sent.to_port, 5);
	ck_assert_uint_eq(last_sent.protocol, 17);
	ck_assert_str_eq(out(c), "PONG\n");
	/* per-datagram ports; RAW SEND on a DATAGRAM session is dropped */
	snprintf(line, sizeof(line), "DATAGRAM SEND DESTINATION=%s SIZE=1 "
	    "TO_PORT=99\nxRAW SEND DESTINATION=%s SIZE=1\ny", dest2_b64,
	    dest2_b64);
	in(c, line);
	ck_assert_int_eq(nsent, 2);
	ck_assert_uint_eq(last_sent.to_port, 99);
	/* a bad target is dropped, the payload still consumed; empty
	 * lines are ignored */
	in(c, "DATAGRAM SEND DESTINATION=AAAA SIZE=2\nzzPING\n");
	ck_assert_int_eq(nsent, 2);
	ck_assert_str_eq(out(c), "PONG\n");
	/* a name from the address book; one it does not know is dropped */
	in(c, "DATAGRAM SEND DESTINATION=known.i2p SIZE=1\nk"
	    "DATAGRAM SEND DESTINATION=unknown.i2p SIZE=1\nu");
	ck_assert_int_eq(nsent, 3);
	ck_assert_int_eq(memcmp(sent, "k", 1), 0);
	ck_assert_uint_eq(last_sent.destlen, sizeof(dest2));
	/* no SIZE or a bad one: the stream cannot be framed, close */
	in(c, "DATAGRAM SEND DESTINATION=x SIZE=40000\n");
	ck_assert_int_eq(c->closing, 1);
	ck_assert_str_eq(out(c), "DATAGRAM STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"SIZE missing or bad\"\n");
}
END_TEST

START_TEST(send_udp)
{
	struct sam_conn	*c;
	char		 pkt[2048];
	static uint8_t	 big[SAM_RAW_MAX + 600];
	int		 n;

	c = session("3.3", "STYLE=RAW ID=r DESTINATION=TRANSIENT "
	    "PROTOCOL=200");
	calls[0] = '\0';
	/* diva i2p-sam: "3.0 <id> <dest>\n<payload>" */
	n = snprintf(pkt, sizeof(pkt), "3.0 r %s\npayload", dest2_b64);
	sam_udp_input(pkt, n, NULL);
	ck_assert_int_eq(strncmp(calls, "send raw ", 9), 0);
	ck_assert_uint_eq(last_sent.protocol, 200);
	ck_assert_uint_eq(last_sent.len, 7);
	n = snprintf(pkt, sizeof(pkt), "3.3 r %s PROTOCOL=201 FROM_PORT=3 "
	    "SEND_TAGS=4\nx", dest2_b64);
	sam_udp_input(pkt, n, NULL);
	ck_assert_uint_eq(last_sent.protocol, 201);
	ck_assert_uint_eq(last_sent.from_port, 3);
	/* unknown ID, bad header, too large: dropped and counted */
	n = snprintf(pkt, sizeof(pkt), "3.0 nope %s\nx", dest2_b64);
	sam_udp_input(pkt, n, NULL);
	sam_udp_input("garbage", 7, NULL);
	n = snprintf((char *)big, sizeof(big), "3.0 r %s\n", dest2_b64);
	sam_udp_input(big, n + SAM_RAW_MAX + 1, NULL);
	ck_assert_int_eq(nsent, 2);
	ck_assert_uint_eq(sam_stats()->errors, 3);
	sam_udp_input(big, n + SAM_RAW_MAX, NULL);
	ck_assert_int_eq(nsent, 3);
	/* the backend drops it */
	refuse = 1;
	n = snprintf(pkt, sizeof(pkt), "3.0 r %s\npayload", dest2_b64);
	sam_udp_input(pkt, n, NULL);
	ck_assert_uint_eq(sam_stats()->dgrams_dropped, 1);
	sam_conn_free(c);
}
END_TEST

static void
receive(uint32_t sid, int raw, const char *payload)
{
	struct sam_dgram	 dg;

	memset(&dg, 0, sizeof(dg));
	dg.raw = raw;
	dg.dest = raw ? NULL : dest2;
	dg.destlen = raw ? 0 : sizeof(dest2);
	dg.from_port = 1;
	dg.to_port = 2;
	dg.protocol = raw ? 18 : 17;
	dg.payload = (const uint8_t *)payload;
	dg.len = strlen(payload);
	sam_backend_received(sid, &dg);
}

START_TEST(received_gated)
{
	struct sam_conn	*c;
	char		 want[1024];

	/* 3.0: no ports in the header */
	c = session("3.0", "STYLE=DATAGRAM ID=a DESTINATION=TRANSIENT");
	receive(last_open.sid, 0, "abc");
	snprintf(want, sizeof(want), "DATAGRAM RECEIVED DESTINATION=%s "
	    "SIZE=3\nabc", dest2_b64);
	ck_assert_str_eq(out(c), want);
	receive(last_open.sid, 1, "raw");	/* wrong style: dropped */
	ck_assert_str_eq(out(c), "");
	sam_conn_free(c);
	/* 3.2: with ports */
	c = session("3.2", "STYLE=DATAGRAM ID=a DESTINATION=TRANSIENT");
	receive(last_open.sid, 0, "abc");
	snprintf(want, sizeof(want), "DATAGRAM RECEIVED DESTINATION=%s "
	    "SIZE=3 FROM_PORT=1 TO_PORT=2\nabc", dest2_b64);
	ck_assert_str_eq(out(c), want);
	sam_conn_free(c);
	c = session("3.1", "STYLE=RAW ID=a DESTINATION=TRANSIENT");
	receive(last_open.sid, 1, "xy");
	ck_assert_str_eq(out(c), "RAW RECEIVED SIZE=2\nxy");
	sam_conn_free(c);
	c = session("3.3", "STYLE=RAW ID=a DESTINATION=TRANSIENT");
	receive(last_open.sid, 1, "xy");
	ck_assert_str_eq(out(c), "RAW RECEIVED SIZE=2 FROM_PORT=1 TO_PORT=2 "
	    "PROTOCOL=18\nxy");
	/* a client that reads nothing loses datagrams, not its socket */
	while (wbuf_len(&c->out) <= SAM_OUTQ_DGRAM_MAX)
		receive(last_open.sid, 1, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	receive(last_open.sid, 1, "lost");
	ck_assert_uint_eq(sam_stats()->dgrams_dropped, 2);
	ck_assert_int_eq(c->dead, 0);
	sam_conn_free(c);
	/* forwarded, 3.1: the destination alone; raw: the payload alone */
	c = session("3.1", "STYLE=DATAGRAM ID=a DESTINATION=TRANSIENT "
	    "PORT=7000");
	receive(last_open.sid, 0, "abc");
	snprintf(want, sizeof(want), "%s\nabc", dest2_b64);
	ck_assert_uint_eq(udp_len, strlen(want));
	ck_assert_int_eq(memcmp(udp_out, want, udp_len), 0);
	ck_assert_int_eq(((struct sockaddr_in *)&udp_to)->sin_addr.s_addr,
	    htonl(INADDR_LOOPBACK));
	sam_conn_free(c);
	c = session("3.3", "STYLE=RAW ID=a DESTINATION=TRANSIENT PORT=7000 "
	    "HOST=::1");
	receive(last_open.sid, 1, "abc");
	ck_assert_uint_eq(udp_len, 3);
	ck_assert_int_eq(udp_to.ss_family, AF_INET6);
	sam_conn_free(c);
}
END_TEST

/* ---- NAMING LOOKUP, DEST GENERATE ---- */

START_TEST(naming)
{
	struct sam_conn		*c = hello("3.1");
	struct i2p_ident	 id;
	struct i2p_err		 err;
	char			 line[2048], want[2048], b32[I2P_B32_NAMESZ];

	ck_assert_int_eq(ident_parse_bytes(&id, dest2, sizeof(dest2),
	    IDENT_DEST, &err), 0);
	ck_assert_int_gt(ident_b32(&id, b32, sizeof(b32)), 0);
	/* Bitcoin Core: on a socket with no session */
	in(c, "NAMING LOOKUP NAME=ME\n");
	ck_assert_str_eq(out(c), "NAMING REPLY RESULT=KEY_NOT_FOUND NAME=ME "
	    "MESSAGE=\"no session on this socket\"\n");
	snprintf(line, sizeof(line), "NAMING LOOKUP NAME=%s\nPING\n", b32);
	in(c, line);
	ck_assert_int_eq(strncmp(calls, "lookup ", 7), 0);
	ck_assert_int_eq(memcmp(last_hash, id.hash, 32), 0);
	ck_assert_str_eq(out(c), "");
	sam_backend_found(last_reqid + 1, dest2, sizeof(dest2));
	ck_assert_str_eq(out(c), "");	/* not ours */
	sam_backend_found(last_reqid, dest2, sizeof(dest2));
	snprintf(want, sizeof(want), "NAMING REPLY RESULT=OK NAME=%s "
	    "VALUE=%s\nPONG\n", b32, dest2_b64);
	ck_assert_str_eq(out(c), want);
	in(c, line);
	sam_backend_found(last_reqid, NULL, 0);
	snprintf(want, sizeof(want), "NAMING REPLY RESULT=KEY_NOT_FOUND "
	    "NAME=%s MESSAGE=\"not found\"\nPONG\n", b32);
	ck_assert_str_eq(out(c), want);
	snprintf(line, sizeof(line), "NAMING LOOKUP NAME=%s\n", dest2_b64);
	in(c, line);
	snprintf(want, sizeof(want), "NAMING REPLY RESULT=OK NAME=%s "
	    "VALUE=%s\n", dest2_b64, dest2_b64);
	ck_assert_str_eq(out(c), want);
	/* as I2P trackers list peers: ".i2p" after the base 64 */
	snprintf(line, sizeof(line), "NAMING LOOKUP NAME=%s.i2p\n", dest2_b64);
	in(c, line);
	snprintf(want, sizeof(want), "NAMING REPLY RESULT=OK NAME=%s.i2p "
	    "VALUE=%s\n", dest2_b64, dest2_b64);
	ck_assert_str_eq(out(c), want);
	/* the same, its certificate cut short */
	snprintf(line, sizeof(line), "NAMING LOOKUP NAME=%.*s.I2P\n",
	    (int)strlen(dest2_b64) - 8, dest2_b64);
	in(c, line);
	ck_assert_ptr_nonnull(strstr(out(c), "RESULT=KEY_NOT_FOUND"));
	/* a name in the address book, answered at once */
	in(c, "NAMING LOOKUP NAME=known.i2p\n");
	snprintf(want, sizeof(want), "NAMING REPLY RESULT=OK NAME=known.i2p "
	    "VALUE=%s\n", dest2_b64);
	ck_assert_str_eq(out(c), want);
	in(c, "NAMING LOOKUP NAME=zzz.i2p\nNAMING LOOKUP\n");
	ck_assert_str_eq(out(c), "NAMING REPLY RESULT=KEY_NOT_FOUND "
	    "NAME=zzz.i2p MESSAGE=\"no such name\"\n"
	    "NAMING REPLY RESULT=INVALID_KEY MESSAGE=\"NAME missing\"\n");
}
END_TEST

START_TEST(generate)
{
	struct sam_conn	*c = hello("3.1");
	char		 want[4096];

	/* Bitcoin Core sends 7; diva i2p-sam nothing; txi2p a name */
	in(c, "DEST GENERATE SIGNATURE_TYPE=7\n");
	ck_assert_str_eq(calls, "generate 7");
	sam_backend_generated(last_reqid, dest, sizeof(dest), priv,
	    sizeof(priv), NULL);
	snprintf(want, sizeof(want), "DEST REPLY PUB=%s PRIV=%s\n", dest_b64,
	    priv_b64);
	ck_assert_str_eq(out(c), want);
	in(c, "DEST GENERATE\n");
	sam_backend_generated(last_reqid, NULL, 0, NULL, 0, "cryptod says no");
	ck_assert_str_eq(out(c), "DEST REPLY RESULT=I2P_ERROR "
	    "MESSAGE=\"cryptod says no\"\n");
	in(c, "DEST GENERATE SIGNATURE_TYPE=eddsa_sha512_ed25519\n"
	    "DEST GENERATE SIGNATURE_TYPE=0\n");
	ck_assert_str_eq(out(c), "");
	sam_backend_generated(last_reqid, dest, sizeof(dest), priv,
	    sizeof(priv), NULL);
	ck_assert_str_eq(strstr(out(c), "\n") + 1, "DEST REPLY "
	    "RESULT=I2P_ERROR MESSAGE=\"only SIGNATURE_TYPE=7 "
	    "(EdDSA_SHA512_Ed25519) is supported\"\n");
	ck_assert_str_eq(calls, "generate 7, generate 7, generate 7");
	/* an answer for a connection that is gone */
	in(c, "DEST GENERATE\n");
	sam_conn_free(c);
	sam_backend_generated(last_reqid, dest, sizeof(dest), priv,
	    sizeof(priv), NULL);
}
END_TEST

START_TEST(session_limit)
{
	struct sam_conn	*c;
	char		 args[128];
	int		 i;

	for (i = 0; i < SAM_SESSIONS_MAX; i++) {
		snprintf(args, sizeof(args), "127.0.%d.1", i);
		ck_assert_ptr_nonnull(c = conn_from(args));
		in(c, "HELLO VERSION\n");
		snprintf(args, sizeof(args), "SESSION CREATE STYLE=RAW ID=s%d "
		    "DESTINATION=TRANSIENT\n", i);
		in(c, args);
	}
	ck_assert_uint_eq(sam_session_count(), SAM_SESSIONS_MAX);
	c = conn_from("127.0.9.9");
	in(c, "HELLO VERSION\nSESSION CREATE STYLE=RAW ID=last "
	    "DESTINATION=TRANSIENT\n");
	ck_assert_ptr_nonnull(strstr(out(c), "too many sessions"));
}
END_TEST

/* tunneld before the integrator's backend: refusals, no crash */
START_TEST(no_backend)
{
	struct sam_conn	*c;
	char		 line[1024];

	sam_init(NULL, fake_udp);
	c = hello("3.1");
	in(c, "SESSION CREATE STYLE=RAW ID=a DESTINATION=TRANSIENT\n"
	    "DEST GENERATE\nPING\n");
	ck_assert_str_eq(out(c), "SESSION STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"cannot open a destination now\"\nDEST REPLY "
	    "RESULT=I2P_ERROR MESSAGE=\"cannot generate a key now\"\n"
	    "PONG\n");
	snprintf(line, sizeof(line), "NAMING LOOKUP NAME=%s\n", dest_b64);
	in(c, line);
	ck_assert_ptr_nonnull(strstr(out(c), "RESULT=OK"));
	ck_assert_int_eq(c->busy, 0);
}
END_TEST

/* show sam: what tunneld reports, in the order i2pctl reads it */
static int			 nemit;
static uint32_t			 emitted[16];
static struct ctl_sam_client	 e_client;
static struct ctl_sam_session	 e_sess[2];
static struct ctl_sam		 e_sum;

static void
emit(void *arg, uint32_t type, const void *data, size_t len)
{
	ck_assert_int_lt(nemit, 16);
	emitted[nemit++] = type;
	if (type == IMSG_CTL_SAM_CLIENT) {
		ck_assert_uint_eq(len, sizeof(e_client));
		memcpy(&e_client, data, len);
	} else if (type == IMSG_CTL_SAM_SESSION) {
		ck_assert_uint_eq(len, sizeof(e_sess[0]));
		memcpy(&e_sess[nemit == 2 ? 0 : 1], data, len);
	} else {
		ck_assert_uint_eq(len, sizeof(e_sum));
		memcpy(&e_sum, data, len);
	}
}

START_TEST(show_sam)
{
	struct sam_conf		 sc;
	struct sam_conn		*c;
	struct i2p_ident	 id;
	struct i2p_err		 err;
	char			 b32[I2P_B32_NAMESZ];

	memset(&sc, 0, sizeof(sc));
	sc.family = 4;
	sc.port = 7656;
	sc.udp_port = 7655;
	c = session("3.3", "STYLE=PRIMARY ID=p DESTINATION=TRANSIENT");
	in(c, "SESSION ADD STYLE=RAW ID=r PORT=9\n");
	receive(last_open.sid, 1, "x");
	nemit = 0;
	sam_ctl(&sc, emit, NULL);
	ck_assert_int_eq(nemit, 4);
	ck_assert_uint_eq(emitted[0], IMSG_CTL_SAM_CLIENT);
	ck_assert_uint_eq(emitted[3], IMSG_CTL_SAM);
	ck_assert_str_eq(e_client.addr, "127.0.0.1 port 40000");
	ck_assert_str_eq(e_client.version, "3.3");
	ck_assert_str_eq(e_client.session, "p");
	ck_assert_int_eq(e_client.since, NOW);
	ck_assert_uint_eq(e_client.id, c->id);
	ck_assert_str_eq(e_sess[0].id, "p");
	ck_assert_str_eq(e_sess[0].style, "PRIMARY");
	ck_assert_int_eq(ident_parse_bytes(&id, dest, sizeof(dest),
	    IDENT_DEST, &err), 0);
	ck_assert_int_gt(ident_b32(&id, b32, sizeof(b32)), 0);
	ck_assert_str_eq(e_sess[0].b32, b32);
	ck_assert_uint_eq(e_sess[0].nsub, 1);
	ck_assert_str_eq(e_sess[1].id, "r");
	ck_assert_str_eq(e_sess[1].primary, "p");
	ck_assert_str_eq(e_sess[1].b32, "");
	ck_assert_uint_eq(e_sess[1].dgrams_in, 1);
	ck_assert_uint_eq(e_sum.enabled, 1);
	ck_assert_uint_eq(e_sum.udp_port, 7655);
	ck_assert_uint_eq(e_sum.clients, 1);
	ck_assert_uint_eq(e_sum.sessions, 2);
	ck_assert_uint_eq(e_sum.dgrams_in, 1);
	ck_assert_uint_eq(e_sum.bytes_in, 1);
	ck_assert_uint_eq(e_sum.sessions_max, SAM_SESSIONS_MAX);
}
END_TEST

/*
 * The longest echo a client can provoke: a NAME of quotes, literal
 * outside a quoted value, each escaped to two bytes in the reply
 */
START_TEST(long_echo)
{
	struct sam_conn	*c = hello("3.3");
	static char	 line[SAM_LINE_MAX + 2];
	size_t		 n;

	n = strlcpy(line, "NAMING LOOKUP NAME=a", sizeof(line));
	while (n < SAM_LINE_MAX)
		line[n++] = '"';
	line[n++] = '\n';
	line[n] = '\0';
	in(c, line);
	ck_assert_int_eq(c->dead, 0);
	ck_assert_uint_gt(wbuf_len(&c->out), 2 * SAM_LINE_MAX - 100);
	ck_assert_ptr_nonnull(strstr(out(c), "RESULT=KEY_NOT_FOUND "
	    "NAME=\"a\\\"\\\""));
}
END_TEST

/* the spec's HELLO timeout: an I2P_ERROR, then the client goes */
START_TEST(hello_timeout)
{
	struct sam_conn	*c = conn(), *d = conn();

	ck_assert_int_eq(sam_conn_hello_left(c, NOW + 10),
	    SAM_HELLO_TIMEOUT - 10);
	ck_assert_int_eq(c->closing, 0);
	ck_assert_int_eq(sam_conn_hello_left(c, NOW + SAM_HELLO_TIMEOUT), 0);
	ck_assert_int_eq(c->closing, 1);
	ck_assert_str_eq(out(c), "HELLO REPLY RESULT=I2P_ERROR "
	    "MESSAGE=\"no HELLO in time\"\n");
	ck_assert_int_eq(sam_conn_hello_left(c, NOW + SAM_HELLO_TIMEOUT), -1);
	ck_assert_str_eq(out(c), "");
	in(d, "HELLO VERSION\n");
	out(d);
	ck_assert_int_eq(sam_conn_hello_left(d, NOW + 3600), -1);
	ck_assert_int_eq(d->closing, 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("tunneld_sam_session");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, hello_versions);
	tcase_add_test(tc, pipelined_and_split);
	tcase_add_test(tc, long_line);
	tcase_add_test(tc, auth);
	tcase_add_test(tc, conn_limits);
	tcase_add_test(tc, create_transient);
	tcase_add_test(tc, create_refused);
	tcase_add_test(tc, create_private_key);
	tcase_add_test(tc, primary);
	tcase_add_test(tc, send_control);
	tcase_add_test(tc, send_udp);
	tcase_add_test(tc, received_gated);
	tcase_add_test(tc, naming);
	tcase_add_test(tc, generate);
	tcase_add_test(tc, session_limit);
	tcase_add_test(tc, no_backend);
	tcase_add_test(tc, show_sam);
	tcase_add_test(tc, create_streaming_opts);
	tcase_add_test(tc, long_echo);
	tcase_add_test(tc, hello_timeout);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
