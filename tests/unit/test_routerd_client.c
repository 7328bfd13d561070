/*
 * A client's data path (routerd/client.c) with fake tunnels and a fake
 * tunneld link: CLIENT_SEND records out of the client's tunnels (the
 * lease as delivery TUNNEL, the 9-byte header read), counters, a
 * malformed batch fatal; CLIENT_RECV batched per client until the
 * flush, split when full, dropped while tunneld's queue is long; what
 * routerd takes at a client's end and what it never takes (audit #3);
 * "test drop client-tunnel" dropping tunneld's messages, not routerd's.
 */
#include <check.h>
#include <string.h>

#include "buf.h"
#include "clientbatch.h"
#include "crypto.h"
#include "i2pdata.h"
#include "../../routerd/routerd.h"
#include "../../routerd/client.h"
#include "../../routerd/garlic.h"
#include "../../routerd/tmsg.h"
#include "rclient.h"
#include "unit.h"

#define CLIENT		7
#define OTHER		8
#define CLIENT_RECV_BURST_TEST	2000	/* client.c's burst */

struct out_rec {
	uint32_t	 client, serial;
	struct tdi	 dest;
	struct i2np_hdr	 h;
	size_t		 len;
	uint8_t		 first;
};

static struct out_rec	 outs[16];
static int		 nouts, out_ok;
static uint8_t		*emitted[16];
static size_t		 emitted_len[16];
static int		 nemit;
static size_t		 backlog;

static int
f_send_out(uint32_t client, uint32_t serial, const struct tdi *dest,
    struct i2np_hdr *h, const uint8_t *p, size_t len)
{
	if (!out_ok)
		return -1;
	ck_assert_int_lt(nouts, 16);
	outs[nouts].client = client;
	outs[nouts].serial = serial;
	outs[nouts].dest = *dest;
	outs[nouts].h = *h;
	outs[nouts].len = len;
	outs[nouts].first = len > 0 ? p[0] : 0;
	nouts++;
	return 0;
}

static int
f_emit(const void *data, size_t len)
{
	ck_assert_int_lt(nemit, 16);
	emitted[nemit] = malloc(len);
	memcpy(emitted[nemit], data, len);
	emitted_len[nemit++] = len;
	return 0;
}

static size_t
f_backlog(void)
{
	return backlog;
}

/* a clock that stands still: the rate refills nothing */
static uint64_t
f_clock(void)
{
	return 1000000;
}

static const struct client_io fakes = {
	f_send_out, f_emit, f_backlog, f_clock
};

static void
setup(void)
{
	nouts = nemit = 0;
	out_ok = 1;
	backlog = 0;
	client_init(&fakes, 0);
	rclient_open(CLIENT, NULL);
	rclient_open(OTHER, NULL);
}

static void
teardown(void)
{
	int	i;

	loss_set(0);
	client_shutdown();
	tunnels_shutdown();
	for (i = 0; i < nemit; i++)
		free(emitted[i]);
}

/* an I2NP message, 9-byte header, of type and payload length n */
static size_t
msg_short(uint8_t *buf, size_t sz, uint8_t type, uint32_t id, size_t n)
{
	struct i2np_hdr	 h;
	struct wbuf	 w;
	uint8_t		*p = calloc(1, n + 1);

	memset(p, 0x5a, n);
	memset(&h, 0, sizeof(h));
	h.type = type;
	h.msg_id = id;
	h.expiration = ((uint64_t)time(NULL) + 60) * 1000;
	wbuf_init_fixed(&w, buf, sz);
	ck_assert_int_eq(i2np_msg_write_short(&h, p, n, &w), 0);
	free(p);
	return wbuf_len(&w);
}

static size_t
batch_out(uint8_t *buf, size_t sz, uint32_t client, int nrec)
{
	struct client_out	 o;
	struct wbuf		 w;
	uint8_t			 m[256];
	int			 i;

	wbuf_init_fixed(&w, buf, sz);
	ck_assert_int_eq(clientbatch_start(&w, client), 0);
	for (i = 0; i < nrec; i++) {
		memset(&o, 0, sizeof(o));
		o.out_serial = 40 + i;
		memset(o.gateway, 0xc0 + i, 32);
		o.tunnel_id = 900 + i;
		o.msg = m;
		o.len = msg_short(m, sizeof(m), I2NP_GARLIC, 300 + i, 20 + i);
		ck_assert_int_eq(clientbatch_put_out(&w, &o), 0);
	}
	return wbuf_len(&w);
}

START_TEST(test_send_out)
{
	uint8_t			 b[2048];
	size_t			 n = batch_out(b, sizeof(b), CLIENT, 3);
	struct client_stats	*c = tunnels_client_counters(CLIENT);
	int			 i;

	client_send(b, n);
	ck_assert_int_eq(nouts, 3);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(outs[i].client, CLIENT);
		ck_assert_uint_eq(outs[i].serial, 40 + i);
		ck_assert_int_eq(outs[i].dest.type, TDI_TUNNEL);
		ck_assert_uint_eq(outs[i].dest.tunnel_id, 900 + i);
		ck_assert_uint_eq(outs[i].dest.hash[0], 0xc0 + i);
		ck_assert_uint_eq(outs[i].h.type, I2NP_GARLIC);
		ck_assert_uint_eq(outs[i].h.msg_id, 300 + i);
		ck_assert_uint_eq(outs[i].len, 20 + i);
		ck_assert_uint_eq(outs[i].first, 0x5a);
	}
	ck_assert_uint_eq(c->msgs_out, 3);
	ck_assert_uint_eq(c->bytes_out, 3 * 9 + 20 + 21 + 22);
	out_ok = 0;
	client_send(b, n);
	ck_assert_uint_eq(c->no_tunnel, 3);
	ck_assert_uint_eq(c->msgs_out, 3);
	/* a client closed meanwhile: dropped, nothing counted */
	n = batch_out(b, sizeof(b), 55, 2);
	out_ok = 1;
	client_send(b, n);
	ck_assert_int_eq(nouts, 3);
	/* an empty batch is no error */
	n = batch_out(b, sizeof(b), CLIENT, 0);
	client_send(b, n);
	ck_assert_int_eq(nouts, 3);
}
END_TEST

START_TEST(test_send_truncated_fatal)
{
	uint8_t	b[2048];
	size_t	n = batch_out(b, sizeof(b), CLIENT, 2);

	client_send(b, n - 1);
}
END_TEST

START_TEST(test_send_short_fatal)
{
	uint8_t	b[4] = { 0, 0, 0 };

	client_send(b, 3);
}
END_TEST

START_TEST(test_send_zero_tunnel_fatal)
{
	uint8_t	b[2048];
	size_t	n = batch_out(b, sizeof(b), CLIENT, 1);

	/* the lease's tunnel ID: 4 + 4 + 32 bytes in */
	memset(b + 40, 0, 4);
	client_send(b, n);
}
END_TEST

/* a message as it comes out of an inbound tunnel: header, payload */
static void
recv_one(uint32_t client, uint32_t serial, uint32_t id, size_t n, int expect)
{
	struct i2np_hdr	 h;
	uint8_t		*p = malloc(n + 1);

	memset(p, id & 0xff, n);
	memset(&h, 0, sizeof(h));
	h.type = I2NP_GARLIC;
	h.msg_id = id;
	h.expiration = ((uint64_t)time(NULL) + 60) * 1000;
	h.size = n;
	ck_assert_int_eq(client_recv(client, serial, &h, p), expect);
	free(p);
}

/* the records of emitted batch i: their count; the client in *client */
static int
batch_in(int i, uint32_t *client, struct client_in *in, int max)
{
	struct rbuf	r;
	int		n = 0, rv;

	ck_assert_int_eq(clientbatch_begin(&r, emitted[i], emitted_len[i],
	    client), 0);
	while ((rv = clientbatch_next_in(&r, &in[n < max ? n : max - 1])) ==
	    1)
		n++;
	ck_assert_int_eq(rv, 0);
	return n;
}

START_TEST(test_recv_batched)
{
	struct client_in	 in[8];
	struct i2np_hdr		 h;
	struct rbuf		 payload;
	uint32_t		 client;

	recv_one(CLIENT, 11, 1, 100, 0);
	recv_one(OTHER, 21, 2, 50, 0);
	recv_one(CLIENT, 12, 3, 70, 0);
	ck_assert_int_eq(nemit, 0);
	client_flush();
	ck_assert_int_eq(nemit, 2);
	ck_assert_int_eq(batch_in(0, &client, in, 8), 2);
	ck_assert_uint_eq(client, CLIENT);
	ck_assert_uint_eq(in[0].in_serial, 11);
	ck_assert_uint_eq(in[1].in_serial, 12);
	ck_assert_int_eq(i2np_msg_parse_short(&h, &payload, in[1].msg,
	    in[1].len, NULL), 0);
	ck_assert_uint_eq(h.type, I2NP_GARLIC);
	ck_assert_uint_eq(h.msg_id, 3);
	ck_assert_uint_eq(h.size, 70);
	ck_assert_int_eq(batch_in(1, &client, in, 8), 1);
	ck_assert_uint_eq(client, OTHER);
	ck_assert_uint_eq(tunnels_client_counters(CLIENT)->msgs_in, 2);
	ck_assert_uint_eq(tunnels_client_counters(CLIENT)->bytes_in,
	    9 + 100 + 9 + 70);
	/* nothing left */
	client_flush();
	ck_assert_int_eq(nemit, 2);
	/* an unknown client's message is not queued */
	recv_one(55, 1, 4, 10, -1);
	client_flush();
	ck_assert_int_eq(nemit, 2);
}
END_TEST

START_TEST(test_recv_full_batch)
{
	struct client_in	in[8];
	uint32_t		client;
	int			i;

	/* three of 60000 bytes do not fit in one batch of 128 KiB */
	for (i = 0; i < 3; i++)
		recv_one(CLIENT, 1, i + 1, 60000, 0);
	ck_assert_int_eq(nemit, 1);
	ck_assert_uint_le(emitted_len[0], CLIENT_BATCH_MAX);
	ck_assert_int_eq(batch_in(0, &client, in, 8), 2);
	client_flush();
	ck_assert_int_eq(nemit, 2);
	ck_assert_int_eq(batch_in(1, &client, in, 8), 1);
	ck_assert_uint_eq(in[0].len, 9 + 60000);
}
END_TEST

START_TEST(test_recv_backlog)
{
	backlog = CLIENT_RECV_QUEUE_MAX;
	recv_one(CLIENT, 1, 1, 10, -1);
	ck_assert_uint_eq(tunnels_client_counters(CLIENT)->dropped_in, 1);
	ck_assert_uint_eq(tunnels_client_counters(CLIENT)->msgs_in, 0);
	backlog = CLIENT_RECV_QUEUE_MAX - 1;
	recv_one(CLIENT, 1, 2, 10, 0);
	client_flush();
	ck_assert_int_eq(nemit, 1);
}
END_TEST

/* while the link is busy, a flooded client is cut first, not the rest */
START_TEST(test_recv_share)
{
	struct client_stats	*c = tunnels_client_counters(CLIENT);
	int			 i;

	backlog = CLIENT_RECV_QUEUE_MAX / 4 - 1;
	for (i = 0; i < 3000; i++)
		recv_one(CLIENT, 1, i, 10, 0);
	backlog = CLIENT_RECV_QUEUE_MAX / 4;
	for (i = 0; i < 3000; i++)
		client_recv(CLIENT, 1, &(struct i2np_hdr){ .type = I2NP_GARLIC,
		    .size = 1 }, (const uint8_t *)"x");
	/* the burst went through, the rest was cut */
	ck_assert_uint_eq(c->dropped_in, 3000 - CLIENT_RECV_BURST_TEST);
	recv_one(OTHER, 2, 1, 10, 0);
	ck_assert_uint_eq(tunnels_client_counters(OTHER)->dropped_in, 0);
}
END_TEST

static int	tested;

static int
f_test(void *arg, const uint8_t *p, size_t len)
{
	return tested = len == 12 && p[0] == 0x77;
}

/* one message of type at the client's inbound end; client_in's verdict */
static int
arrive(uint8_t type, const uint8_t *p, size_t n, int64_t expires_in)
{
	struct i2np_hdr	h;

	memset(&h, 0, sizeof(h));
	h.type = type;
	h.msg_id = 9;
	h.expiration = ((int64_t)time(NULL) + expires_in) * 1000;
	h.size = n;
	return client_in(CLIENT, 31, &h, p, (uint64_t)time(NULL) * 1000,
	    f_test, NULL);
}

/*
 * Audit #3 at a client's end: only its own tests and garlic for the
 * destination pass; netDb messages and builds are dropped, and garlic
 * under one of the router's own reply tags is not opened by the router
 * but handed on, unopened, like any other garlic, its tag not used up.
 */
START_TEST(test_in_router_kept_apart)
{
	static const uint8_t	 key[32] = { 1 }, tag[8] = "routertg";
	uint8_t			 g[4 + 8 + 40], ds[12], other[64], out[64];
	struct client_in	 in[4];
	struct wbuf		 w;
	const char		*why;
	uint32_t		 client;
	int			 known;

	ck_assert_int_eq(garlic_expect(key, tag, time(NULL) + 60), 0);
	wbuf_init_fixed(&w, g, sizeof(g));
	wbuf_put_u32(&w, 8 + 40);
	wbuf_put_bytes(&w, tag, 8);
	memset(out, 0, sizeof(out));
	wbuf_put_bytes(&w, out, 40);
	ck_assert_int_eq(arrive(I2NP_GARLIC, g, sizeof(g), 60), 0);
	ck_assert_int_eq(garlic_open_tagged(g, sizeof(g), time(NULL), out,
	    &known, &why), -1);
	ck_assert_int_eq(known, 1);	/* still there: the AEAD refused */
	memset(other, 0x33, sizeof(other));
	ck_assert_int_eq(arrive(I2NP_DATABASE_STORE, other, 40, 60), -1);
	ck_assert_int_eq(arrive(I2NP_DATABASE_SEARCH_REPLY, other, 33, 60),
	    -1);
	ck_assert_int_eq(arrive(I2NP_DATABASE_LOOKUP, other, 40, 60), -1);
	ck_assert_int_eq(arrive(I2NP_SHORT_TUNNEL_BUILD, other, 64, 60), -1);
	ck_assert_int_eq(arrive(I2NP_DATA, other, 20, 60), -1);
	memset(ds, 0, sizeof(ds));
	ds[0] = 0x76;
	ck_assert_int_eq(arrive(I2NP_DELIVERY_STATUS, ds, sizeof(ds), 60), -1);
	ds[0] = 0x77;
	ck_assert_int_eq(arrive(I2NP_DELIVERY_STATUS, ds, sizeof(ds), 60), 0);
	ck_assert_int_eq(tested, 1);
	/* long expired: dropped */
	ck_assert_int_eq(arrive(I2NP_GARLIC, g, sizeof(g), -120), -1);
	client_flush();
	ck_assert_int_eq(nemit, 1);
	ck_assert_int_eq(batch_in(0, &client, in, 4), 1);
	ck_assert_uint_eq(in[0].in_serial, 31);
	ck_assert_uint_eq(in[0].len, 9 + sizeof(g));
	ck_assert_mem_eq(in[0].msg + 9, g, sizeof(g));
}
END_TEST

/*
 * The testing knob at 100%: every record of tunneld's out and every
 * garlic for tunneld in is dropped and counted as such, not as another
 * drop; what routerd waits for at the client's end (its tunnel tests)
 * still arrives.  Back at 0% all goes again.
 */
START_TEST(test_test_drop)
{
	uint8_t			 b[2048], g[16], ds[12];
	size_t			 n = batch_out(b, sizeof(b), CLIENT, 3);
	struct client_stats	*c = tunnels_client_counters(CLIENT);

	loss_set(TEST_DROP_MAX);
	client_send(b, n);
	ck_assert_int_eq(nouts, 0);
	ck_assert_uint_eq(c->test_drop_out, 3);
	ck_assert_uint_eq(c->msgs_out, 0);
	ck_assert_uint_eq(c->no_tunnel, 0);
	memset(g, 0x44, sizeof(g));
	ck_assert_int_eq(arrive(I2NP_GARLIC, g, sizeof(g), 60), -1);
	ck_assert_uint_eq(c->test_drop_in, 1);
	ck_assert_uint_eq(c->dropped_in, 0);
	ck_assert_uint_eq(c->msgs_in, 0);
	memset(ds, 0, sizeof(ds));
	ds[0] = 0x77;
	tested = 0;
	ck_assert_int_eq(arrive(I2NP_DELIVERY_STATUS, ds, sizeof(ds), 60), 0);
	ck_assert_int_eq(tested, 1);
	client_flush();
	ck_assert_int_eq(nemit, 0);
	loss_set(0);
	client_send(b, n);
	ck_assert_int_eq(nouts, 3);
	ck_assert_int_eq(arrive(I2NP_GARLIC, g, sizeof(g), 60), 0);
	client_flush();
	ck_assert_int_eq(nemit, 1);
	ck_assert_uint_eq(c->test_drop_out, 3);
	ck_assert_uint_eq(c->test_drop_in, 1);
}
END_TEST

static Suite *
client_suite(void)
{
	Suite	*s = suite_create("routerd_client");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_send_out);
	tcase_add_exit_test(tc, test_send_truncated_fatal, 1);
	tcase_add_exit_test(tc, test_send_short_fatal, 1);
	tcase_add_exit_test(tc, test_send_zero_tunnel_fatal, 1);
	tcase_add_test(tc, test_recv_batched);
	tcase_add_test(tc, test_recv_full_batch);
	tcase_add_test(tc, test_recv_backlog);
	tcase_add_test(tc, test_recv_share);
	tcase_add_test(tc, test_in_router_kept_apart);
	tcase_add_test(tc, test_test_drop);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(client_suite());
}
