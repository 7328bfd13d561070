/*
 * show destinations and show sessions in tunneld (tunneld/dest_ctl.c)
 * over real destinations (tunneld/dests.c, IPC recorded and dropped):
 * a configured one with its key and tunnels, one still waiting for its
 * key, a SAM session's; one CTL_DEST each, in order, with what each
 * has, its LeaseSet once signed and verified; no CTL_RSESS while there
 * are no ratchet sessions.  The stream counters of a destination with
 * a stream host (streams.c); show streams' rows for two stream hosts
 * joined in memory, one stream between them, each side's figures.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "../../tunneld/stream.h"
#include "../../tunneld/streams.h"
#include "../../tunneld/tunneld.h"
#include "keypub.h"
#include "unit.h"

#define NOW	1790000000

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

/* the LeaseSet: signed at once with the key's seed, published nowhere */
static uint8_t		 seed[32];
static uint32_t		 sign_reqid;
static uint8_t		 sig[64];
static int		 npublished;

static void
sign_now(uint32_t reqid, uint32_t keyid, const uint8_t *m, size_t len)
{
	sign_reqid = reqid;
	ck_assert_int_eq(ed25519_sign(sig, seed, m, len), 0);
}

static void
publish(const struct ls_publish *lp, const uint8_t *ls, size_t len)
{
	npublished++;
}

static uint32_t
reqid(void)
{
	return 42;
}

static const struct dests_ops ops = {
	.create = nop_name, .open = nop_dest, .close = nop_dest,
	.save = nop_save,
	.ls = { .sign = sign_now, .publish = publish, .reqid = reqid },
};

static struct ctl_dest	 got[4];
static size_t		 ngot, nother;

static void
record(void *arg, uint32_t type, const void *data, size_t len)
{
	ck_assert_ptr_eq(arg, &ngot);
	if (type != IMSG_CTL_DEST || len != sizeof(got[0]) ||
	    ngot == sizeof(got) / sizeof(got[0])) {
		nother++;
		return;
	}
	memcpy(&got[ngot++], data, len);
}

static void
tunnel(uint32_t client, uint32_t serial, int dir)
{
	struct pool_tunnel	 pt;
	const char		*why;

	memset(&pt, 0, sizeof(pt));
	pt.client = client;
	pt.serial = serial;
	pt.dir = dir;
	pt.up = 1;
	memset(pt.gateway, serial, sizeof(pt.gateway));
	pt.gateway_id = serial;
	pt.expires = NOW + 600;
	ck_assert_int_eq(dests_tunnel(&pt, NOW, &why), 0);
}

/* "web" on key 5 with two tunnels in and one out, "new" without a key */
static void
setup(void)
{
	struct dest_conf	 conf[2];
	struct destmap		 m;
	struct key_pub		 k = pub(5);
	const char		*why;
	int			 i;

	crypto_random_fill(seed, sizeof(seed));
	ck_assert_int_eq(ed25519_public(k.sign_pub, seed), 0);
	destmap_init(&m);
	ck_assert_int_eq(destmap_add(&m, "web", 5, &why), 0);
	dests_init(&ops, &m);
	ck_assert_int_eq(dests_key(&k, &why), 0);
	memset(conf, 0, sizeof(conf));
	for (i = 0; i < 2; i++) {
		snprintf(conf[i].name, sizeof(conf[i].name), "%s",
		    i == 0 ? "web" : "new");
		conf[i].length[TUNNEL_IN] = conf[i].length[TUNNEL_OUT] = 3;
		conf[i].quantity[TUNNEL_IN] = conf[i].quantity[TUNNEL_OUT] = 2;
	}
	dests_reconf(conf, 2);
	dests_listed();
	tunnel(5, 1, TUNNEL_IN);
	tunnel(5, 2, TUNNEL_IN);
	tunnel(5, 3, TUNNEL_OUT);
	ngot = nother = 0;
}

START_TEST(test_dests)
{
	struct i2p_ident	 id;
	struct dest_conf	 sc;
	uint8_t			 lspub[32];
	char			 b32[64];
	const char		*why;

	setup();
	id = dests_find("web")->ident;
	id.hash[0] ^= 1;
	memset(lspub, 9, sizeof(lspub));
	memset(&sc, 0, sizeof(sc));
	ck_assert_int_eq(dests_session_add("lt", 77, &id, lspub, &sc, 0,
	    &why), 0);
	dest_ctl_dests(record, &ngot);
	ck_assert_uint_eq(nother, 0);
	ck_assert_uint_eq(ngot, 3);

	ck_assert_str_eq(got[0].name, "web");
	ck_assert_int_eq(ident_b32(&dests_find("web")->ident, b32,
	    sizeof(b32)) > 0, 1);
	ck_assert_str_eq(got[0].b32, b32);
	ck_assert_uint_eq(got[0].session, 0);
	ck_assert_uint_eq(got[0].tunnels_in, 2);
	ck_assert_uint_eq(got[0].tunnels_out, 1);
	/* nothing built, published or said by routerd yet */
	ck_assert_uint_eq(got[0].ls_state, 0);
	ck_assert_int_eq(got[0].published, 0);
	ck_assert_uint_eq(got[0].leases, 0);
	ck_assert_uint_eq(got[0].sessions, 0);
	ck_assert_uint_eq(got[0].sent, 0);

	/* no key yet: a name and nothing more */
	ck_assert_str_eq(got[1].name, "new");
	ck_assert_str_eq(got[1].b32, "");
	ck_assert_uint_eq(got[1].tunnels_in, 0);

	ck_assert_str_eq(got[2].name, "lt");
	ck_assert_uint_eq(got[2].session, 1);
	ck_assert_int_eq(ident_b32(&id, b32, sizeof(b32)) > 0, 1);
	ck_assert_str_eq(got[2].b32, b32);
	ck_assert_str_ne(got[2].b32, got[0].b32);
	dests_session_remove(77);
}
END_TEST

/* signed, published and verified: the state, floodfill, time, leases */
START_TEST(test_leaseset)
{
	struct ls_status	 st;
	const char		*why;

	setup();
	sign_reqid = 0;
	npublished = 0;
	dests_tick(NOW + 5);
	ck_assert_uint_eq(sign_reqid, 42);
	ck_assert_int_eq(dests_signed(sign_reqid, sig), 1);
	ck_assert_int_eq(npublished, 1);
	ck_assert_ptr_nonnull(dests_leaseset(5));
	memset(&st, 0, sizeof(st));
	st.client = 5;
	st.published = dests_leaseset(5)->published;
	st.state = LS_VERIFIED;
	memset(st.floodfill, 0xab, sizeof(st.floodfill));
	ck_assert_int_eq(dests_ls_status(&st, NOW + 9, &why), 0);
	dest_ctl_dests(record, &ngot);
	ck_assert_uint_eq(ngot, 2);
	ck_assert_uint_eq(got[0].ls_state, LS_VERIFIED);
	ck_assert_mem_eq(got[0].floodfill, st.floodfill, 32);
	ck_assert_int_eq(got[0].ls_at, NOW + 9);
	ck_assert_int_eq(got[0].published, st.published);
	ck_assert_uint_eq(got[0].leases, 2);
	/* the one without a key says nothing of LeaseSets */
	ck_assert_uint_eq(got[1].ls_state, 0);
	ck_assert_int_eq(got[1].published, 0);
}
END_TEST

START_TEST(test_sessions_none)
{
	setup();
	dest_ctl_sessions(record, &ngot);
	ck_assert_uint_eq(ngot + nother, 0);
}
END_TEST

START_TEST(test_empty)
{
	struct destmap	 m;

	destmap_init(&m);
	dests_init(&ops, &m);
	ngot = nother = 0;
	dest_ctl_dests(record, &ngot);
	dest_ctl_sessions(record, &ngot);
	ck_assert_uint_eq(ngot + nother, 0);
}
END_TEST

/* a destination's stream host: its counters in its CTL_DEST, no rows */
START_TEST(test_dest_streams)
{
	static const struct streams_app_ops	 aops;
	struct stream_opts			 o;
	static const uint8_t			 junk[3] = { 1, 2, 3 };

	setup();
	streams_init(&aops);
	stream_opts_default(&o);
	ck_assert_ptr_nonnull(streams_host(5, &o));
	ck_assert_ptr_eq(streams_find(5), streams_host(5, &o));
	ck_assert_ptr_null(streams_find(6));
	/* too short to be a packet: counted as malformed */
	streams_input(5, junk, sizeof(junk), 1, 2, NULL);
	dest_ctl_dests(record, &ngot);
	ck_assert_uint_eq(ngot, 2);
	ck_assert_uint_eq(got[0].streams, 0);
	ck_assert_uint_eq(got[0].smalformed, 1);
	ck_assert_uint_eq(got[0].spackets_in, 1);
	ck_assert_uint_eq(got[1].smalformed, 0);
	ngot = 0;
	dest_ctl_streams(record, &ngot);
	ck_assert_uint_eq(ngot + nother, 0);
	streams_drop(5);
	ck_assert_ptr_null(streams_find(5));
}
END_TEST

/* ---- two stream hosts joined in memory ---- */

#define SMS		1000		/* the streams' clock at start, ms */
#define NPKT		256

struct pkt {
	int		 to;
	uint16_t	 sport, dport;
	size_t		 len;
	uint8_t		 buf[2048];
};

static struct {
	struct stream_host	*h[2];
	struct i2p_ident	 id[2];
	uint8_t			 seed[2][32];
	struct stream		*s[2];
	struct pkt		 q[NPKT];
	size_t			 nq;
	int64_t			 now;
	size_t			 got[2];	/* bytes read */
} J;

static void
j_queue(int to, uint16_t sport, uint16_t dport, const uint8_t *pkt,
    size_t len)
{
	struct pkt	*p;

	ck_assert_uint_lt(J.nq, NPKT);
	ck_assert_uint_le(len, sizeof(p->buf));
	p = &J.q[J.nq++];
	p->to = to;
	p->sport = sport;
	p->dport = dport;
	p->len = len;
	memcpy(p->buf, pkt, len);
}

/* a lead goes in the same message, first */
static int
j_send(void *arg, const uint8_t remote[32], uint16_t sport, uint16_t dport,
    const uint8_t *lead, size_t leadlen, const uint8_t *pkt, size_t len)
{
	int	 from = (int)(intptr_t)arg;

	ck_assert_mem_eq(remote, J.id[1 - from].hash, 32);
	if (lead != NULL)
		j_queue(1 - from, sport, dport, lead, leadlen);
	j_queue(1 - from, sport, dport, pkt, len);
	return 0;
}

static int
j_sign(void *arg, uint64_t cookie, const uint8_t *msg, size_t len)
{
	int	 i = (int)(intptr_t)arg;
	uint8_t	 sig[64];

	ck_assert_int_eq(ed25519_sign(sig, J.seed[i], msg, len), 0);
	stream_host_signed(J.h[i], cookie, sig, sizeof(sig), J.now);
	return 0;
}

static void
j_event(void *app, struct stream *s, enum stream_event ev)
{
	uint8_t	 buf[4096];
	size_t	 n;

	if (ev != STREAM_EV_READABLE)
		return;
	while ((n = stream_read(s, buf, sizeof(buf), J.now)) > 0)
		J.got[(intptr_t)app] += n;
}

static int
j_accept(void *arg, struct stream *s)
{
	J.s[1] = s;
	stream_set_app(s, j_event, (void *)(intptr_t)1);
	return 0;
}

/* every packet out, and each host's timers, for ms of the clock */
static void
j_run(int64_t ms)
{
	struct pkt	 p;
	int64_t		 end = J.now + ms;

	for (; J.now < end; J.now += 5) {
		while (J.nq > 0) {
			p = J.q[0];
			memmove(J.q, J.q + 1, --J.nq * sizeof(J.q[0]));
			stream_host_input(J.h[p.to], p.buf, p.len, p.sport,
			    p.dport, &J.id[1 - p.to], J.now);
		}
		stream_host_tick(J.h[0], J.now);
		stream_host_tick(J.h[1], J.now);
	}
}

static void
j_setup(void)
{
	static struct stream_ops	 o[2];
	struct stream_opts		 so;
	uint8_t				 pub[32];
	int				 i;

	memset(&J, 0, sizeof(J));
	J.now = SMS;
	stream_opts_default(&so);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(ed25519_keygen(J.seed[i], pub), 0);
		ck_assert_int_eq(ident_build(&J.id[i], IDENT_DEST, NULL, pub,
		    NULL), 0);
		o[i].send = j_send;
		o[i].sign = j_sign;
		o[i].accept = j_accept;
		o[i].arg = (void *)(intptr_t)i;
		ck_assert_ptr_nonnull(J.h[i] = stream_host_new(&J.id[i], &so,
		    &o[i]));
	}
}

static struct ctl_stream	 srow[2];
static size_t			 nsrow;

static void
record_stream(void *arg, uint32_t type, const void *data, size_t len)
{
	ck_assert_ptr_eq(arg, &nsrow);
	ck_assert_uint_eq(type, IMSG_CTL_STREAM);
	ck_assert_uint_eq(len, sizeof(srow[0]));
	ck_assert_uint_lt(nsrow, 2);
	memcpy(&srow[nsrow++], data, len);
}

/*
 * a's destination closes: its open stream is reset, signed, and b's
 * stream learns it at once; a stream already closed gets no RESET.
 */
START_TEST(test_reset_all)
{
	struct stream	*closed, *b1, *b2;

	j_setup();
	J.s[0] = stream_connect(J.h[0], &J.id[1], 1234, 80, J.now);
	ck_assert_ptr_nonnull(J.s[0]);
	stream_set_app(J.s[0], j_event, (void *)(intptr_t)0);
	j_run(100);
	ck_assert_ptr_nonnull(b1 = J.s[1]);
	ck_assert_int_eq(stream_write(J.s[0], "hi", 2, J.now), 2);
	j_run(100);
	ck_assert_uint_eq(J.got[1], 2);

	/* a second one, closed both ways before the end */
	closed = stream_connect(J.h[0], &J.id[1], 1235, 80, J.now);
	ck_assert_ptr_nonnull(closed);
	j_run(100);
	ck_assert_ptr_ne(b2 = J.s[1], b1);
	stream_shutdown(closed, J.now);
	stream_shutdown(b2, J.now);
	j_run(500);
	ck_assert_int_eq(stream_eof(b2), 1);

	ck_assert_int_eq(stream_host_reset_all(J.h[0], J.now), 1);
	/* signed at once here: nothing awaited */
	ck_assert_int_eq(stream_host_signing(J.h[0]), 0);
	j_run(100);
	ck_assert_int_eq(stream_error(b1), STREAM_ERR_RESET);
	ck_assert_int_eq(stream_error(b2), STREAM_ERR_NONE);
	stream_host_free(J.h[0]);
	stream_host_free(J.h[1]);
}
END_TEST

/* a's stream to b: 5000 bytes out, 300 back, both sides' rows */
START_TEST(test_stream_rows)
{
	static uint8_t	 data[5000];
	char		 b32[64];
	size_t		 n = 0;
	time_t		 wall = NOW;

	j_setup();
	J.s[0] = stream_connect(J.h[0], &J.id[1], 1234, 80, J.now);
	ck_assert_ptr_nonnull(J.s[0]);
	stream_set_app(J.s[0], j_event, (void *)(intptr_t)0);
	j_run(100);
	ck_assert_ptr_nonnull(J.s[1]);
	ck_assert_int_eq(stream_write(J.s[0], data, sizeof(data), J.now),
	    (ssize_t)sizeof(data));
	ck_assert_int_eq(stream_write(J.s[1], data, 300, J.now), 300);
	j_run(1000);
	ck_assert_uint_eq(J.got[1], sizeof(data));
	ck_assert_uint_eq(J.got[0], 300);

	/* 3 s on the streams' clock since a's stream was made */
	nsrow = 0;
	dest_ctl_host_streams("a", J.h[0], SMS + 3000, wall, record_stream,
	    &nsrow, &n);
	dest_ctl_host_streams("b", J.h[1], SMS + 3000, wall, record_stream,
	    &nsrow, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(nsrow, 2);
	ck_assert_str_eq(srow[0].dest, "a");
	ck_assert_int_eq(ident_b32(&J.id[1], b32, sizeof(b32)) > 0, 1);
	ck_assert_str_eq(srow[0].peer, b32);
	ck_assert_uint_eq(srow[0].outbound, 1);
	ck_assert_uint_eq(srow[0].local_port, 1234);
	ck_assert_uint_eq(srow[0].remote_port, 80);
	ck_assert_uint_eq(srow[0].state, CTL_STREAM_OPEN);
	ck_assert_uint_eq(srow[0].bytes_out, sizeof(data));
	ck_assert_uint_eq(srow[0].bytes_in, 300);
	ck_assert_uint_eq(srow[0].resends, 0);
	ck_assert_uint_eq(srow[0].unacked, 0);
	ck_assert_uint_eq(srow[0].flags, 0);
	ck_assert_int_eq(srow[0].created, wall - 3);
	/* the RTT of a link without delay, the RTO at its floor */
	ck_assert_uint_le(srow[0].rtt, 250);
	ck_assert_uint_ge(srow[0].rto, 100);
	ck_assert_uint_gt(srow[0].window, 0);

	ck_assert_str_eq(srow[1].dest, "b");
	ck_assert_int_eq(ident_b32(&J.id[0], b32, sizeof(b32)) > 0, 1);
	ck_assert_str_eq(srow[1].peer, b32);
	ck_assert_uint_eq(srow[1].outbound, 0);
	ck_assert_uint_eq(srow[1].local_port, 80);
	ck_assert_uint_eq(srow[1].remote_port, 1234);
	ck_assert_uint_eq(srow[1].state, CTL_STREAM_OPEN);
	ck_assert_uint_eq(srow[1].bytes_in, sizeof(data));
	ck_assert_uint_eq(srow[1].bytes_out, 300);
	/* each side's ids, the other's the other way round */
	ck_assert_uint_eq(srow[0].send_id, srow[1].recv_id);
	ck_assert_uint_eq(srow[1].send_id, srow[0].recv_id);
	ck_assert_uint_ne(srow[0].recv_id, 0);

	/* a reply at its limit takes no more rows */
	n = CTL_STREAMS_MAX;
	dest_ctl_host_streams("a", J.h[0], SMS, wall, record_stream, &nsrow,
	    &n);
	ck_assert_uint_eq(n, CTL_STREAMS_MAX);
	ck_assert_uint_eq(nsrow, 2);
	stream_host_free(J.h[0]);
	stream_host_free(J.h[1]);
}
END_TEST

static Suite *
dest_ctl_suite(void)
{
	Suite	*s = suite_create("tunneld_dest_ctl");
	TCase	*tc = tcase_create("dest_ctl");

	tcase_add_test(tc, test_dests);
	tcase_add_test(tc, test_leaseset);
	tcase_add_test(tc, test_sessions_none);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_dest_streams);
	tcase_add_test(tc, test_stream_rows);
	tcase_add_test(tc, test_reset_all);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(dest_ctl_suite());
}
