/*
 * The SAM backend (tunneld/sam_backend.c) over the real bridge,
 * destkeys, dests and streams, with a fake cryptod: a STREAM session's
 * i2p.streaming.* options reach its destination's stream host, made
 * when the session first wants streams (a listen), not before.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "privkey.h"
#include "../../tunneld/destkeys.h"
#include "../../tunneld/sam.h"
#include "../../tunneld/sam_backend.h"
#include "../../tunneld/stream.h"
#include "../../tunneld/streams.h"
#include "../../tunneld/tunneld.h"
#include "samtest.h"
#include "unit.h"

#define NOW	1790000000
#define KEYID	(KEYID_TRANSIENT_MIN + 5)

/* ---- a fake cryptod: the requests kept, answered by the test ---- */

static uint32_t		 sent_type, sent_reqid;
static size_t		 nsent;
static struct privkey	 pk;

static void
k_send(uint32_t type, uint32_t reqid, const void *data, size_t len)
{
	sent_type = type;
	sent_reqid = reqid;
	nsent++;
}

static const struct destkeys_ops kops = { .send = k_send };

/* cryptod's KEY_DEST_PRIV for a transient key: header, private key */
static void
answer_transient(uint32_t reqid)
{
	struct key_dest	 kd;
	struct wbuf	 w;
	uint8_t		 buf[2048], lpriv[32];
	const char	*why;

	memset(&kd, 0, sizeof(kd));
	kd.keyid = KEYID;
	kd.sigtype = pk.dest.sigtype;
	kd.cryptotype = pk.dest.cryptotype;
	ck_assert_int_eq(privkey_ls_key(&pk, lpriv, kd.ls_pub), 0);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	wbuf_put_bytes(&w, &kd, sizeof(kd));
	privkey_write(&pk, &w);
	ck_assert_int_eq(wbuf_error(&w), 0);
	ck_assert_int_eq(destkeys_reply(IMSG_KEY_DEST_PRIV, reqid, buf,
	    wbuf_len(&w), &why), 0);
}

/* ---- dests without routerd ---- */

static void
nop_name(const char *name)
{
}

static void
nop_dest(const struct dest *d)
{
}

static void
nop_save(const struct destmap *m)
{
}

static void
nop_sign(uint32_t reqid, uint32_t keyid, const uint8_t *m, size_t len)
{
}

static void
nop_publish(const struct ls_publish *lp, const uint8_t *ls, size_t len)
{
}

static uint32_t
reqid(void)
{
	return 42;
}

static const struct dests_ops dops = {
	.create = nop_name, .open = nop_dest, .close = nop_dest,
	.save = nop_save,
	.ls = { .sign = nop_sign, .publish = nop_publish, .reqid = reqid },
};

static void
nop_sched(void)
{
}

static void
setup(void)
{
	static const struct streams_app_ops	 aops;
	struct destmap				 m;
	uint8_t					 seed[32], pad[32];

	destkeys_init(&kops);
	destmap_init(&m);
	dests_init(&dops, &m);
	streams_init(&aops);
	sam_session_init(sam_backend_get(nop_sched), NULL);
	nsent = 0;
	memset(seed, 0x61, sizeof(seed));
	memset(pad, 0x0f, sizeof(pad));
	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_ELGAMAL, seed, NULL,
	    pad), 0);
}

static void
teardown(void)
{
	privkey_wipe(&pk);
}

/* a client that said HELLO and asked for a session with line */
static struct sam_conn *
create(const char *line)
{
	struct sam_conn	*c = sam_test_conn("127.0.0.1", NOW);

	ck_assert_ptr_nonnull(c);
	in(c, "HELLO VERSION MIN=3.1 MAX=3.1\n");
	ck_assert_str_eq(out(c), "HELLO REPLY RESULT=OK VERSION=3.1\n");
	in(c, line);
	return c;
}

START_TEST(test_streaming_opts_reach_host)
{
	const struct sam_backend	*be = sam_session_backend();
	const struct sam_session	*s;
	struct stream_host		*h;
	struct stream_opts		 o;
	struct sam_conn			*c;

	c = create("SESSION CREATE STYLE=STREAM ID=st DESTINATION=TRANSIENT "
	    "i2p.streaming.maxWindowSize=64 i2p.streaming.initialRTT=700 "
	    "i2p.streaming.answerPings=false\n");
	ck_assert_uint_eq(nsent, 1);
	ck_assert_uint_eq(sent_type, IMSG_KEY_DEST_TRANSIENT);
	answer_transient(sent_reqid);
	/* the destination is up; its stream host waits for a use */
	ck_assert_ptr_nonnull(dests_io(KEYID));
	ck_assert_ptr_null(streams_find(KEYID));
	ck_assert_ptr_nonnull(s = sam_session_find("st"));
	be->stream_listen(be->arg, s->sid, 1);
	ck_assert_ptr_nonnull(h = streams_find(KEYID));
	stream_host_opts(h, &o);
	ck_assert_uint_eq(o.max_window, 64);
	ck_assert_uint_eq(o.initial_rtt, 700);
	/* the session goes: its destination's streams with it */
	sam_conn_free(c);
	ck_assert_ptr_null(streams_find(KEYID));
}
END_TEST

START_TEST(test_streaming_opts_default)
{
	const struct sam_backend	*be = sam_session_backend();
	struct stream_opts		 o, dflt;
	struct sam_conn			*c;

	c = create("SESSION CREATE STYLE=STREAM ID=st DESTINATION=TRANSIENT"
	    "\n");
	answer_transient(sent_reqid);
	be->stream_listen(be->arg, sam_session_find("st")->sid, 1);
	ck_assert_ptr_nonnull(streams_find(KEYID));
	stream_host_opts(streams_find(KEYID), &o);
	stream_opts_default(&dflt);
	/* (the host sets the MTU it announces itself) */
	ck_assert_uint_eq(o.max_window, dflt.max_window);
	ck_assert_uint_eq(o.initial_rtt, dflt.initial_rtt);
	ck_assert_uint_eq(o.conn_per_min, dflt.conn_per_min);
	sam_conn_free(c);
}
END_TEST

START_TEST(test_streaming_opts_bad)
{
	struct sam_conn	*c;

	c = create("SESSION CREATE STYLE=STREAM ID=st DESTINATION=TRANSIENT "
	    "i2p.streaming.maxConnsPerMinute=-3\n");
	ck_assert_str_eq(out(c), "SESSION STATUS RESULT=I2P_ERROR "
	    "MESSAGE=\"bad i2p.streaming.maxConnsPerMinute: 0 (none) to "
	    "4294967295\"\n");
	/* no key asked for, no session */
	ck_assert_uint_eq(nsent, 0);
	ck_assert_ptr_null(sam_session_find("st"));
	sam_conn_free(c);
}
END_TEST

static Suite *
sam_backend_suite(void)
{
	Suite	*s = suite_create("tunneld_sam_backend");
	TCase	*tc = tcase_create("streaming_opts");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_streaming_opts_reach_host);
	tcase_add_test(tc, test_streaming_opts_default);
	tcase_add_test(tc, test_streaming_opts_bad);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(sam_backend_suite());
}
