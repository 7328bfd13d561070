/*
 * netd's transport-neutral session layer (netd/session.c, session_io.c).
 *
 * A message from routerd for a router we talked to lately and have no
 * session with starts a redial.  When that dial fails inside connect()
 * (a multicast address does: Linux answers ENETUNREACH at once, and
 * sends nothing), the session is freed there; session_redial() used to
 * return it all the same, and the I2NP going out was queued in freed
 * memory (audit #1).  Under make sanitize the old code fails that test
 * with a heap-use-after-free.
 *
 * The rest drives the layer through a transport of the test's own (a
 * struct transport_ops that counts what it is asked), as SSU2 will
 * plug in beside NTCP2: dials, the per-source handshake limit, one
 * primary session per router, a second one refused with the
 * transport's termination, a secondary taking over, an inbound session
 * taking over our dial's queue, and the transport's state freed with
 * every session (make sanitize reports a leak otherwise).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "unit.h"
#include "../../netd/netd.h"
#include "netd_unit.h"

/* a batch of one DeliveryStatus for hash, as routerd sends them */
static size_t
batch(uint8_t *buf, size_t cap, const uint8_t hash[32])
{
	struct wbuf	w;

	wbuf_init_fixed(&w, buf, cap);
	wbuf_put_bytes(&w, hash, 32);
	wbuf_put_u16(&w, 9 + 12);
	wbuf_put_u8(&w, I2NP_DELIVERY_STATUS);
	wbuf_put_u32(&w, 1234);
	wbuf_put_u32(&w, time(NULL) + 60);
	wbuf_put_zero(&w, 12);
	ck_assert(!wbuf_error(&w));
	return wbuf_len(&w);
}

START_TEST(test_redial_fails_at_once)
{
	struct dial_target	 t;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&t.ss;
	uint8_t			 buf[128];
	size_t			 len;
	int			 i;

	netd_unit_setup();
	for (i = 0; i < 3; i++) {
		memset(&t, 0, sizeof(t));
		t.ops = &ntcp2_ops;
		memset(t.hash, 0x30 + i, sizeof(t.hash));
		memcpy(t.remote.hash, t.hash, 32);
		crypto_random(t.remote.static_pub, 32);
		crypto_random(t.remote.iv, 16);
		sin->sin_family = AF_INET;
		sin->sin_port = htons(20000);
		ck_assert_int_eq(inet_pton(AF_INET, "224.0.0.1",
		    &sin->sin_addr), 1);
		/* a router we had a session with: dialed again for messages */
		session_remember(&t);
		len = batch(buf, sizeof(buf), t.hash);
		session_i2np_out(buf, len);
		/* the dial failed inside connect(): nothing is left of it */
		ck_assert_ptr_null(session_by_hash(t.hash));
	}
}
END_TEST

/* the test's transport: counts what the layer asks of it */
static struct {
	int		 dials, ups, kicks, terms, frees;
	enum sess_end	 end;
} fk;

static int
fake_dial(struct session *s)
{
	fk.dials++;
	ck_assert_int_eq(s->state, SS_HANDSHAKE);
	ck_assert_ptr_nonnull(s->tp = malloc(16));
	return 0;
}

static void
fake_dh_result(struct session *s, const uint8_t shared[32])
{
	ck_abort_msg("no DH was asked for");
}

static void
fake_dh_error(struct session *s)
{
	ck_abort_msg("no DH was asked for");
}

static void
fake_up(struct session *s)
{
	ck_assert_int_eq(s->state, SS_ESTABLISHED);
	fk.ups++;
}

static void
fake_kick(struct session *s)
{
	fk.kicks++;
}

/* a transport with nothing to flush closes at once */
static int
fake_terminate(struct session *s, enum sess_end end, uint32_t down)
{
	fk.terms++;
	fk.end = end;
	session_close(s, down, 0);
	return -1;
}

static void
fake_goodbye(struct session *s)
{
}

static const char *
fake_step(const struct session *s)
{
	return "fake";
}

static void
fake_free(struct session *s)
{
	if (s->tp != NULL)
		fk.frees++;
	free(s->tp);
}

static const struct transport_ops fake_ops = {
	.name = "FAKE",
	.dial = fake_dial,
	.dh_result = fake_dh_result,
	.dh_error = fake_dh_error,
	.up = fake_up,
	.kick = fake_kick,
	.terminate = fake_terminate,
	.goodbye = fake_goodbye,
	.step = fake_step,
	.free = fake_free,
};

/* a second transport, for the fallback: fake_ops by another name */
static struct transport_ops fake2_ops;

static void
addr(struct sockaddr_storage *ss, uint32_t ip)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(20000);
	sin->sin_addr.s_addr = htonl(ip);
}

/* our dial to hash, started by a message for it (a router known lately) */
static struct session *
fake_dial_for(uint8_t fill)
{
	struct dial_target	 t;
	struct session		*s;
	uint8_t			 buf[128];
	int			 dials = fk.dials;

	memset(&t, 0, sizeof(t));
	t.ops = &fake_ops;
	memset(t.hash, fill, sizeof(t.hash));
	addr(&t.ss, 0xc6120032);	/* 198.18.0.50 */
	session_remember(&t);
	session_i2np_out(buf, batch(buf, sizeof(buf), t.hash));
	ck_assert_int_eq(fk.dials, dials + 1);
	ck_assert_ptr_nonnull(s = session_by_hash(t.hash));
	ck_assert_ptr_eq(s->ops, &fake_ops);
	ck_assert(!s->inbound);
	ck_assert_uint_eq(s->sendq.n, 1);
	return s;
}

/* an inbound session from ip, its handshake done, as router fill */
static struct session *
fake_inbound(uint32_t ip, uint8_t fill)
{
	struct sockaddr_storage	 ss;
	struct session		*s;

	addr(&ss, ip);
	ck_assert_ptr_nonnull(s = session_inbound(&fake_ops, &ss));
	ck_assert_int_eq(s->state, SS_HANDSHAKE);
	ck_assert_ptr_nonnull(s->tp = malloc(16));
	memset(s->hash, fill, sizeof(s->hash));
	return s;
}

START_TEST(test_ops_dial_up_close)
{
	struct session	*s;
	uint8_t		 buf[128], hash[32];
	int		 frees;

	netd_unit_setup();
	memset(&fk, 0, sizeof(fk));
	s = fake_dial_for(0x41);
	memcpy(hash, s->hash, sizeof(hash));
	/* a dial's queue takes messages; nothing to kick yet */
	session_i2np_out(buf, batch(buf, sizeof(buf), hash));
	ck_assert_uint_eq(s->sendq.n, 2);
	ck_assert_int_eq(fk.kicks, 0);
	ck_assert_int_eq(session_established(s), 0);
	ck_assert_int_eq(fk.ups, 1);
	ck_assert(s->reported && s->primary);
	session_i2np_out(buf, batch(buf, sizeof(buf), hash));
	ck_assert_int_eq(fk.kicks, 1);
	ck_assert_uint_eq(s->sendq.n, 3);
	frees = fk.frees;
	session_close(s, NET_DOWN_CLOSED, 0);
	ck_assert_int_eq(fk.frees, frees + 1);
	ck_assert_ptr_null(session_by_hash(hash));
}
END_TEST

/* handshakes from one address: NETD_HS_PER_SRC, then refused */
START_TEST(test_inbound_per_source)
{
	struct sockaddr_storage	 ss;
	struct session		*s[NETD_HS_PER_SRC];
	int			 i;

	netd_unit_setup();
	addr(&ss, 0xc612003c);	/* 198.18.0.60 */
	for (i = 0; i < NETD_HS_PER_SRC; i++)
		ck_assert_ptr_nonnull(s[i] = session_inbound(&fake_ops, &ss));
	ck_assert_ptr_null(session_inbound(&fake_ops, &ss));
	/* a closed handshake gives its place back */
	session_close(s[0], NET_DOWN_DIAL_FAILED, 0);
	ck_assert_ptr_nonnull(s[0] = session_inbound(&fake_ops, &ss));
	for (i = 0; i < NETD_HS_PER_SRC; i++)
		session_close(s[i], NET_DOWN_DIAL_FAILED, 0);
}
END_TEST

/*
 * One router, three inbound sessions: the first is the primary, the
 * second a secondary, the third is ended with the transport's own
 * termination; when the primary goes the secondary takes over.
 */
START_TEST(test_one_primary_per_router)
{
	struct session	*s1, *s2, *s3;
	uint8_t		 hash[32];

	netd_unit_setup();
	memset(&fk, 0, sizeof(fk));
	memset(hash, 0x61, sizeof(hash));
	s1 = fake_inbound(0xc6120047, 0x61);
	ck_assert_int_eq(session_established(s1), 0);
	ck_assert_ptr_eq(session_by_hash(hash), s1);
	s2 = fake_inbound(0xc6120048, 0x61);
	ck_assert_int_eq(session_established(s2), 0);
	ck_assert_ptr_eq(session_by_hash(hash), s1);
	ck_assert(!s2->primary);
	ck_assert_int_eq(fk.ups, 2);
	s3 = fake_inbound(0xc6120049, 0x61);
	ck_assert_int_eq(session_established(s3), -1);
	ck_assert_int_eq(fk.terms, 1);
	ck_assert_int_eq(fk.end, SESS_END_NORMAL);
	ck_assert_int_eq(fk.frees, 1);
	/* the primary goes: the secondary carries on, kicked */
	session_close(s1, NET_DOWN_CLOSED, 0);
	ck_assert_ptr_eq(session_by_hash(hash), s2);
	ck_assert(s2->primary && s2->reported);
	ck_assert_int_eq(fk.kicks, 1);
	session_close(s2, NET_DOWN_CLOSED, 0);
	ck_assert_ptr_null(session_by_hash(hash));
	ck_assert_int_eq(fk.frees, 3);
}
END_TEST

/* the router dials us while we dial it: ours goes, its queue moves */
START_TEST(test_inbound_takes_over_dial)
{
	struct session	*d, *s;

	netd_unit_setup();
	memset(&fk, 0, sizeof(fk));
	d = fake_dial_for(0x71);
	s = fake_inbound(0xc6120051, 0x71);
	ck_assert_int_eq(session_established(s), 0);
	ck_assert_int_eq(fk.frees, 1);		/* the dial, freed */
	ck_assert_ptr_eq(session_by_hash(s->hash), s);
	ck_assert_uint_eq(s->sendq.n, 1);
	ck_assert(s->reported);
	(void)d;
	session_close(s, NET_DOWN_CLOSED, 0);
	ck_assert_int_eq(fk.frees, 2);
}
END_TEST

/* our dial fails: the router's other transport dials, with the queue */
START_TEST(test_dial_falls_back)
{
	struct dial_target	 t;
	struct session		*s, *n;
	uint8_t			 buf[128];
	int			 dials;

	netd_unit_setup();
	fake2_ops = fake_ops;
	fake2_ops.name = "FAKE2";
	memset(&t, 0, sizeof(t));
	t.ops = &fake_ops;
	t.alt_ops = &fake2_ops;
	memset(t.hash, 0x77, sizeof(t.hash));
	addr(&t.ss, 0xc6120033);	/* 198.18.0.51 */
	addr(&t.alt_ss, 0xc6120034);	/* 198.18.0.52 */
	session_remember(&t);
	dials = fk.dials;
	session_i2np_out(buf, batch(buf, sizeof(buf), t.hash));
	ck_assert_ptr_nonnull(s = session_by_hash(t.hash));
	ck_assert_ptr_eq(s->ops, &fake_ops);
	ck_assert_uint_eq(s->sendq.n, 1);
	session_close(s, NET_DOWN_DIAL_FAILED, 0);
	/* the other transport took the dial and its message */
	ck_assert_int_eq(fk.dials, dials + 2);
	ck_assert_ptr_nonnull(n = session_by_hash(t.hash));
	ck_assert_ptr_eq(n->ops, &fake2_ops);
	ck_assert_uint_eq(n->sendq.n, 1);
	ck_assert_mem_eq(&n->ss, &t.alt_ss, sizeof(n->ss));
	/* that one fails too: no third try */
	session_close(n, NET_DOWN_DIAL_FAILED, 0);
	ck_assert_ptr_null(session_by_hash(t.hash));
	ck_assert_int_eq(fk.dials, dials + 2);
}
END_TEST

/* IPv4 failed: the same transport over IPv6, with that address's keys */
START_TEST(test_dial_falls_back_family)
{
	struct dial_target	 t;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&t.alt_ss;
	struct session		*s, *n;
	uint8_t			 buf[128];

	netd_unit_setup();
	memset(&t, 0, sizeof(t));
	t.ops = &fake_ops;
	t.alt_ops = &fake_ops;
	memset(t.hash, 0x78, sizeof(t.hash));
	addr(&t.ss, 0xc6120035);	/* 198.18.0.53 */
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(20001);
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:2::53",
	    &sin6->sin6_addr), 1);
	memset(t.remote.iv, 0x04, sizeof(t.remote.iv));
	memset(t.alt_remote.iv, 0x06, sizeof(t.alt_remote.iv));
	t.ssu2_mtu = 1500;
	t.alt_ssu2_mtu = 1280;
	session_remember(&t);
	session_i2np_out(buf, batch(buf, sizeof(buf), t.hash));
	ck_assert_ptr_nonnull(s = session_by_hash(t.hash));
	ck_assert_int_eq(s->ss.ss_family, AF_INET);
	session_close(s, NET_DOWN_DIAL_FAILED, 0);
	ck_assert_ptr_nonnull(n = session_by_hash(t.hash));
	ck_assert_ptr_eq(n->ops, &fake_ops);
	ck_assert_mem_eq(&n->ss, &t.alt_ss, sizeof(n->ss));
	ck_assert_mem_eq(n->target.remote.iv, t.alt_remote.iv,
	    sizeof(t.alt_remote.iv));
	ck_assert_uint_eq(n->target.ssu2_mtu, 1280);
	ck_assert_uint_eq(n->sendq.n, 1);
	session_close(n, NET_DOWN_DIAL_FAILED, 0);
	ck_assert_ptr_null(session_by_hash(t.hash));
}
END_TEST

static Suite *
session_suite(void)
{
	Suite	*s = suite_create("netd_session");
	TCase	*tc = tcase_create("redial");

	tcase_add_test(tc, test_redial_fails_at_once);
	suite_add_tcase(s, tc);
	tc = tcase_create("transport");
	tcase_add_test(tc, test_ops_dial_up_close);
	tcase_add_test(tc, test_inbound_per_source);
	tcase_add_test(tc, test_one_primary_per_router);
	tcase_add_test(tc, test_inbound_takes_over_dial);
	tcase_add_test(tc, test_dial_falls_back);
	tcase_add_test(tc, test_dial_falls_back_family);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(session_suite());
}
