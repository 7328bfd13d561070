/*
 * Unit tests of netd/limits.c: the message 1 replay filter, the counts
 * per source address (IPv6 per /64), the handshake budgets each way,
 * the session table's size and reserve, and the bounded I2NP queues
 * with their drop policies.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "unit.h"
#include "../../netd/netd.h"

#define NOW	1700000000U	/* a wall clock, for I2NP expirations */

static void
key_of(uint8_t key[32], uint32_t n)
{
	memset(key, 0, 32);
	key[0] = n >> 24;
	key[1] = n >> 16;
	key[2] = n >> 8;
	key[3] = n;
	key[31] = 0xa5;
}

/*
 * Replay filter
 */

START_TEST(test_replay_basic)
{
	struct replay	 r;
	uint8_t		 k1[32], k2[32];

	ck_assert_int_eq(replay_init(&r, 16, 120), 0);
	key_of(k1, 1);
	key_of(k2, 2);
	ck_assert_int_eq(replay_seen(&r, k1, 1000), 0);
	ck_assert_int_eq(replay_add(&r, k1, 1000), 0);
	ck_assert_int_eq(replay_seen(&r, k1, 1000), 1);
	ck_assert_int_eq(replay_seen(&r, k2, 1000), 0);
	/* still refused until the window has passed */
	ck_assert_int_eq(replay_seen(&r, k1, 1119), 1);
	ck_assert_int_eq(replay_seen(&r, k1, 1120), 0);
	ck_assert_uint_eq(r.count, 0);
	replay_free(&r);
}
END_TEST

START_TEST(test_replay_expiry_order)
{
	struct replay	 r;
	uint8_t		 k[32];
	uint32_t	 i;

	ck_assert_int_eq(replay_init(&r, 64, 100), 0);
	/* one key per second */
	for (i = 0; i < 50; i++) {
		key_of(k, i);
		ck_assert_int_eq(replay_add(&r, k, 1000 + i), 0);
	}
	/* at 1120, keys added before 1020 are gone, the rest remain */
	for (i = 0; i < 50; i++) {
		key_of(k, i);
		ck_assert_int_eq(replay_seen(&r, k, 1120), i >= 21);
	}
	ck_assert_uint_eq(r.count, 29);
	replay_free(&r);
}
END_TEST

START_TEST(test_replay_capacity)
{
	struct replay	 r;
	uint8_t		 k[32];
	uint32_t	 i;

	ck_assert_int_eq(replay_init(&r, 8, 120), 0);
	for (i = 0; i < 8; i++) {
		key_of(k, i);
		ck_assert_int_eq(replay_add(&r, k, 1000), 0);
	}
	/* full of live keys: a new one is refused, none is forgotten */
	key_of(k, 100);
	ck_assert_int_eq(replay_add(&r, k, 1010), -1);
	for (i = 0; i < 8; i++) {
		key_of(k, i);
		ck_assert_int_eq(replay_seen(&r, k, 1010), 1);
	}
	/* once they expire there is room again */
	key_of(k, 100);
	ck_assert_int_eq(replay_add(&r, k, 1120), 0);
	ck_assert_int_eq(replay_seen(&r, k, 1120), 1);
	ck_assert_uint_eq(r.count, 1);
	replay_free(&r);
}
END_TEST

/* the ring wraps many times; chains stay consistent */
START_TEST(test_replay_wrap)
{
	struct replay	 r;
	uint8_t		 k[32];
	uint32_t	 i;

	ck_assert_int_eq(replay_init(&r, 32, 5), 0);
	for (i = 0; i < 10000; i++) {
		key_of(k, i);
		ck_assert_int_eq(replay_add(&r, k, i / 4), 0);
		ck_assert_int_eq(replay_seen(&r, k, i / 4), 1);
		if (i >= 100) {
			/* 100 keys ago is 25 s ago: expired */
			key_of(k, i - 100);
			ck_assert_int_eq(replay_seen(&r, k, i / 4), 0);
		}
	}
	ck_assert_uint_le(r.count, 32);
	replay_free(&r);
}
END_TEST

/*
 * The ring grows with the keys held, up to cap (not a power of two
 * here), keeping every key through each resize, and shrinks again once
 * they expired.
 */
START_TEST(test_replay_grow_shrink)
{
	struct replay	 r;
	uint8_t		 k[32];
	uint32_t	 i;

	ck_assert_int_eq(replay_init(&r, 5000, 100), 0);
	ck_assert_uint_eq(r.size, 64);
	for (i = 0; i < 5000; i++) {
		key_of(k, i);
		ck_assert_int_eq(replay_add(&r, k, 1000 + i / 100), 0);
	}
	ck_assert_uint_eq(r.size, 5000);
	for (i = 0; i < 5000; i++) {
		key_of(k, i);
		ck_assert_int_eq(replay_seen(&r, k, 1050), 1);
	}
	key_of(k, 5000);
	ck_assert_int_eq(replay_add(&r, k, 1050), -1);
	ck_assert_int_eq(replay_seen(&r, k, 1050), 0);
	/* the first 4000 expire: the ring halves, the rest stay */
	key_of(k, 4000);
	ck_assert_int_eq(replay_seen(&r, k, 1139), 1);
	ck_assert_uint_eq(r.count, 1000);
	ck_assert_uint_eq(r.size, 2500);
	for (i = 0; i < 5000; i++) {
		key_of(k, i);
		ck_assert_int_eq(replay_seen(&r, k, 1139), i >= 4000);
	}
	/* all expired: back to the smallest ring, step by step */
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(replay_seen(&r, k, 1200), 0);
	ck_assert_uint_eq(r.count, 0);
	ck_assert_uint_eq(r.size, 64);
	ck_assert_int_eq(replay_add(&r, k, 1200), 0);
	ck_assert_int_eq(replay_seen(&r, k, 1200), 1);
	replay_free(&r);
}
END_TEST

START_TEST(test_replay_init_bad)
{
	struct replay	 r;

	ck_assert_int_eq(replay_init(&r, 0, 120), -1);
	ck_assert_int_eq(replay_init(&r, UINT32_MAX, 120), -1);
}
END_TEST

/*
 * Per-source handshake counts
 */

static void
addr4(uint8_t out[16], const char *s)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, s, &sin->sin_addr), 1);
	ck_assert_int_eq(srclimit_addr(&ss, out), 0);
}

START_TEST(test_srclimit_per_source)
{
	struct srclimit	 sl;
	uint8_t		 a[16], b[16];
	int		 i;

	ck_assert_int_eq(srclimit_init(&sl, 16, 8), 0);
	addr4(a, "198.18.0.1");
	addr4(b, "198.18.0.2");
	for (i = 0; i < 8; i++)
		ck_assert_int_eq(srclimit_add(&sl, a), 0);
	ck_assert_int_eq(srclimit_add(&sl, a), -1);
	ck_assert_uint_eq(srclimit_count(&sl, a), 8);
	/* another source is not affected */
	ck_assert_int_eq(srclimit_add(&sl, b), 0);
	ck_assert_uint_eq(srclimit_count(&sl, b), 1);
	/* one finishes: one more may start */
	srclimit_del(&sl, a);
	ck_assert_int_eq(srclimit_add(&sl, a), 0);
	ck_assert_int_eq(srclimit_add(&sl, a), -1);
	srclimit_free(&sl);
}
END_TEST

START_TEST(test_srclimit_table_full)
{
	struct srclimit	 sl;
	uint8_t		 a[16];
	char		 s[32];
	int		 i;

	ck_assert_int_eq(srclimit_init(&sl, 4, 8), 0);
	for (i = 0; i < 4; i++) {
		snprintf(s, sizeof(s), "198.18.1.%d", i);
		addr4(a, s);
		ck_assert_int_eq(srclimit_add(&sl, a), 0);
	}
	/* the table is the global bound: a fifth source waits */
	addr4(a, "198.18.1.9");
	ck_assert_int_eq(srclimit_add(&sl, a), -1);
	addr4(a, "198.18.1.2");
	srclimit_del(&sl, a);
	ck_assert_uint_eq(sl.used, 3);
	ck_assert_uint_eq(srclimit_count(&sl, a), 0);
	/* the others kept their counts when the table was compacted */
	addr4(a, "198.18.1.3");
	ck_assert_uint_eq(srclimit_count(&sl, a), 1);
	addr4(a, "198.18.1.9");
	ck_assert_int_eq(srclimit_add(&sl, a), 0);
	/* deleting an unknown source changes nothing */
	addr4(a, "203.0.113.1");
	srclimit_del(&sl, a);
	ck_assert_uint_eq(sl.used, 4);
	srclimit_free(&sl);
}
END_TEST

START_TEST(test_srclimit_addr_forms)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	uint8_t			 a[16], b[16];

	addr4(a, "198.18.0.1");
	memset(&ss, 0, sizeof(ss));
	sin6->sin6_family = AF_INET6;
	inet_pton(AF_INET6, "::ffff:198.18.0.1", &sin6->sin6_addr);
	ck_assert_int_eq(srclimit_addr(&ss, b), 0);
	/* an IPv4-mapped peer is the same source as the IPv4 one */
	ck_assert_mem_eq(a, b, 16);
	ss.ss_family = AF_UNIX;
	ck_assert_int_eq(srclimit_addr(&ss, b), -1);
}
END_TEST

static void
addr6(uint8_t out[16], const char *s)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	sin6->sin6_family = AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, s, &sin6->sin6_addr), 1);
	ck_assert_int_eq(srclimit_addr(&ss, out), 0);
}

/* an IPv6 host has a /64: every address of it is one source */
START_TEST(test_srclimit_ipv6_prefix)
{
	struct srclimit	 sl;
	uint8_t		 a[16], b[16];
	char		 s[64];
	int		 i;

	addr6(a, "2001:db8:1:2::1");
	addr6(b, "2001:db8:1:2:ffff:eeee:dddd:cccc");
	ck_assert_mem_eq(a, b, 16);
	addr6(b, "2001:db8:1:3::1");
	ck_assert_mem_ne(a, b, 16);
	/* IPv4-mapped addresses stay apart: their /64 is all of IPv4 */
	addr6(a, "::ffff:198.18.0.1");
	addr6(b, "::ffff:198.18.0.2");
	ck_assert_mem_ne(a, b, 16);

	ck_assert_int_eq(srclimit_init(&sl, 64, 8), 0);
	for (i = 0; i < 8; i++) {
		snprintf(s, sizeof(s), "2001:db8::%x:%x", i * 7919, i);
		addr6(a, s);
		ck_assert_int_eq(srclimit_add(&sl, a), 0);
	}
	addr6(a, "2001:db8::abcd:1");
	ck_assert_int_eq(srclimit_add(&sl, a), -1);
	ck_assert_uint_eq(srclimit_count(&sl, a), 8);
	ck_assert_uint_eq(sl.used, 1);
	/* the next /64 has its own budget */
	addr6(a, "2001:db8:0:1::1");
	ck_assert_int_eq(srclimit_add(&sl, a), 0);
	srclimit_free(&sl);
}
END_TEST

/*
 * Handshake budgets: inbound ones cannot spend our dials'
 */

START_TEST(test_hs_budget)
{
	struct hs_budget	 b;
	uint32_t		 i;

	hs_budget_init(&b, NETD_HS_IN_MAX, NETD_HS_OUT_MAX);
	/* connections that never send message 1 fill the inbound side */
	for (i = 0; i < NETD_HS_IN_MAX; i++)
		ck_assert_int_eq(hs_budget_take(&b, 1), 0);
	ck_assert_int_eq(hs_budget_take(&b, 1), -1);
	/* our dials still have all of theirs */
	for (i = 0; i < NETD_HS_OUT_MAX; i++)
		ck_assert_int_eq(hs_budget_take(&b, 0), 0);
	ck_assert_int_eq(hs_budget_take(&b, 0), -1);
	/* and the other way round: one done, one more may start */
	hs_budget_put(&b, 0);
	ck_assert_int_eq(hs_budget_take(&b, 1), -1);
	ck_assert_int_eq(hs_budget_take(&b, 0), 0);
	hs_budget_put(&b, 1);
	ck_assert_uint_eq(b.n[1], NETD_HS_IN_MAX - 1);
	ck_assert_int_eq(hs_budget_take(&b, 1), 0);
	/* never below zero */
	hs_budget_init(&b, 1, 1);
	hs_budget_put(&b, 1);
	ck_assert_uint_eq(b.n[1], 0);
	ck_assert_int_eq(hs_budget_take(&b, 1), 0);
	ck_assert_int_eq(hs_budget_take(&b, 1), -1);
}
END_TEST

/*
 * The session table's size and reserve
 */

START_TEST(test_sess_limits_size)
{
	struct sess_limits	 l;

	/* systemd's default soft limit, if the hard one were no higher */
	sess_limits_init(&l, 1024);
	ck_assert_uint_eq(l.max, 1024 - NETD_FD_SPARE);
	ck_assert_uint_eq(l.reserve, l.max / NETD_SESS_RESERVE);
	/* its default hard limit: memory caps the table */
	sess_limits_init(&l, 524288);
	ck_assert_uint_eq(l.max, NETD_SESS_CAP);
	sess_limits_init(&l, UINT64_MAX);
	ck_assert_uint_eq(l.max, NETD_SESS_CAP);
	/* a tiny limit keeps half for what is not a session */
	sess_limits_init(&l, 100);
	ck_assert_uint_eq(l.max, 50);
	ck_assert_uint_eq(l.reserve, 50 / NETD_SESS_RESERVE);
	sess_limits_init(&l, 2 * NETD_FD_SPARE);
	ck_assert_uint_eq(l.max, NETD_FD_SPARE);
	sess_limits_init(&l, 0);
	ck_assert_uint_eq(l.max, 0);
}
END_TEST

/* inbound connections stop short of the reserve; our dials do not */
START_TEST(test_sess_limits_reserve)
{
	struct sess_limits	 l;
	uint32_t		 n;

	sess_limits_init(&l, 1024);
	for (n = 0; n + l.reserve < l.max; n++)
		ck_assert_int_eq(sess_limits_room(&l, n, 1), 1);
	ck_assert_uint_eq(n, l.max - l.reserve);
	ck_assert_int_eq(sess_limits_room(&l, n, 1), 0);
	for (; n < l.max; n++)
		ck_assert_int_eq(sess_limits_room(&l, n, 0), 1);
	ck_assert_int_eq(sess_limits_room(&l, l.max, 0), 0);
	ck_assert_int_eq(sess_limits_room(&l, l.max + 1, 1), 0);
	/* no slots at all: nobody */
	sess_limits_init(&l, 0);
	ck_assert_int_eq(sess_limits_room(&l, 0, 0), 0);
	ck_assert_int_eq(sess_limits_room(&l, 0, 1), 0);
}
END_TEST

/*
 * Established sessions per source: the table sized like the session
 * table, entries going as the sessions close.
 */
START_TEST(test_srclimit_established)
{
	struct srclimit		 sl;
	struct sess_limits	 l;
	uint8_t			 a[16], b[16];
	uint32_t		 i;

	sess_limits_init(&l, 1024);
	ck_assert_int_eq(srclimit_init(&sl, l.max, NETD_EST_PER_SRC), 0);
	addr4(a, "198.18.0.10");
	addr4(b, "198.18.0.11");
	for (i = 0; i < NETD_EST_PER_SRC; i++)
		ck_assert_int_eq(srclimit_add(&sl, a), 0);
	/* the one host is refused; another is not */
	ck_assert_int_eq(srclimit_add(&sl, a), -1);
	ck_assert_uint_ge(srclimit_count(&sl, a), NETD_EST_PER_SRC);
	ck_assert_int_eq(srclimit_add(&sl, b), 0);
	for (i = 0; i < NETD_EST_PER_SRC; i++)
		srclimit_del(&sl, a);
	ck_assert_uint_eq(srclimit_count(&sl, a), 0);
	ck_assert_uint_eq(sl.used, 1);
	srclimit_free(&sl);
}
END_TEST

/*
 * Message queues
 */

/* an I2NP message in the short form: id n, expiration exp, len bytes */
static size_t
mkmsg(uint8_t *buf, size_t size, uint32_t n, uint32_t exp, size_t len)
{
	struct wbuf	 w;

	wbuf_init_fixed(&w, buf, size);
	wbuf_put_u8(&w, 20);
	wbuf_put_u32(&w, n);
	wbuf_put_u32(&w, exp);
	wbuf_put_zero(&w, len - 9);
	ck_assert_int_eq(wbuf_error(&w), 0);
	return wbuf_len(&w);
}

static uint32_t
msgid(const struct qmsg *m)
{
	struct rbuf	 r;
	uint32_t	 id;

	rbuf_init(&r, m->data, m->len);
	rbuf_skip(&r, 1);
	ck_assert_int_eq(rbuf_get_u32(&r, &id), 0);
	return id;
}

START_TEST(test_msgq_drop_oldest)
{
	struct msgq	 q;
	uint8_t		 buf[100];
	size_t		 len;
	uint32_t	 i;

	msgq_init(&q, 4, 1000, MSGQ_DROP_OLDEST);
	for (i = 1; i <= 6; i++) {
		len = mkmsg(buf, sizeof(buf), i, NOW + 60, 50);
		ck_assert_int_eq(msgq_push(&q, buf, len, NOW), 0);
	}
	/* bounded at 4 messages: 1 and 2 went */
	ck_assert_uint_eq(q.n, 4);
	ck_assert_uint_eq(q.dropped, 2);
	ck_assert_uint_eq(msgid(msgq_first(&q, NOW)), 3);
	msgq_clear(&q);
	ck_assert_uint_eq(q.n, 0);
	ck_assert_uint_eq(q.bytes, 0);
}
END_TEST

START_TEST(test_msgq_bytes_bound)
{
	struct msgq	 q;
	uint8_t		 buf[400];
	size_t		 len;
	uint32_t	 i;

	msgq_init(&q, 100, 1000, MSGQ_DROP_OLDEST);
	for (i = 1; i <= 5; i++) {
		len = mkmsg(buf, sizeof(buf), i, NOW + 60, 300);
		ck_assert_int_eq(msgq_push(&q, buf, len, NOW), 0);
		ck_assert_uint_le(q.bytes, 1000);
	}
	ck_assert_uint_eq(q.n, 3);
	ck_assert_uint_eq(msgid(msgq_first(&q, NOW)), 3);
	msgq_clear(&q);
	/* a message larger than the whole bound is never queued */
	msgq_init(&q, 100, 200, MSGQ_DROP_OLDEST);
	len = mkmsg(buf, sizeof(buf), 9, NOW + 60, 300);
	ck_assert_int_eq(msgq_push(&q, buf, len, NOW), -1);
	ck_assert_uint_eq(q.n, 0);
}
END_TEST

/* a full queue sheds expired messages before live ones */
START_TEST(test_msgq_expired_first)
{
	struct msgq	 q;
	uint8_t		 buf[100];
	size_t		 len;
	struct qmsg	*m;

	msgq_init(&q, 3, 1000, MSGQ_DROP_OLDEST);
	len = mkmsg(buf, sizeof(buf), 1, NOW + 60, 20);
	msgq_push(&q, buf, len, NOW);
	len = mkmsg(buf, sizeof(buf), 2, NOW + 5, 20);
	msgq_push(&q, buf, len, NOW);
	len = mkmsg(buf, sizeof(buf), 3, NOW + 60, 20);
	msgq_push(&q, buf, len, NOW);
	/* ten seconds later message 2 has expired: it goes, not 1 */
	len = mkmsg(buf, sizeof(buf), 4, NOW + 60, 20);
	ck_assert_int_eq(msgq_push(&q, buf, len, NOW + 10), 0);
	ck_assert_uint_eq(q.n, 3);
	ck_assert_uint_eq(q.dropped, 1);
	m = msgq_first(&q, NOW + 10);
	ck_assert_uint_eq(msgid(m), 1);
	m = TAILQ_NEXT(m, entry);
	ck_assert_uint_eq(msgid(m), 3);
	m = TAILQ_NEXT(m, entry);
	ck_assert_uint_eq(msgid(m), 4);
	msgq_clear(&q);
}
END_TEST

START_TEST(test_msgq_drop_newest)
{
	struct msgq	 q;
	uint8_t		 buf[100];
	size_t		 len;
	uint32_t	 i;

	msgq_init(&q, 3, 1000, MSGQ_DROP_NEWEST);
	for (i = 1; i <= 3; i++) {
		len = mkmsg(buf, sizeof(buf), i, NOW + 60, 20);
		ck_assert_int_eq(msgq_push(&q, buf, len, NOW), 0);
	}
	len = mkmsg(buf, sizeof(buf), 4, NOW + 60, 20);
	ck_assert_int_eq(msgq_push(&q, buf, len, NOW), -1);
	ck_assert_uint_eq(q.n, 3);
	ck_assert_uint_eq(q.dropped, 1);
	ck_assert_uint_eq(msgid(msgq_first(&q, NOW)), 1);
	/* ...unless expired messages make room */
	len = mkmsg(buf, sizeof(buf), 5, NOW + 600, 20);
	ck_assert_int_eq(msgq_push(&q, buf, len, NOW + 100), 0);
	ck_assert_uint_eq(q.n, 1);
	ck_assert_uint_eq(msgid(msgq_first(&q, NOW + 100)), 5);
	msgq_clear(&q);
}
END_TEST

START_TEST(test_msgq_refuses_expired_and_short)
{
	struct msgq	 q;
	uint8_t		 buf[100];
	size_t		 len;

	msgq_init(&q, 10, 1000, MSGQ_DROP_OLDEST);
	len = mkmsg(buf, sizeof(buf), 1, NOW - 1, 20);
	ck_assert_int_eq(msgq_push(&q, buf, len, NOW), -1);
	/* shorter than the 9-byte header: no expiration to read */
	ck_assert_int_eq(msgq_push(&q, buf, 8, NOW), -1);
	ck_assert_uint_eq(q.n, 0);
	ck_assert_uint_eq(q.dropped, 2);
}
END_TEST

START_TEST(test_msgq_first_skips_expired)
{
	struct msgq	 q;
	uint8_t		 buf[100];
	size_t		 len;

	msgq_init(&q, 10, 1000, MSGQ_DROP_OLDEST);
	len = mkmsg(buf, sizeof(buf), 1, NOW + 5, 20);
	msgq_push(&q, buf, len, NOW);
	len = mkmsg(buf, sizeof(buf), 2, NOW + 60, 20);
	msgq_push(&q, buf, len, NOW);
	ck_assert_uint_eq(msgid(msgq_first(&q, NOW + 10)), 2);
	ck_assert_uint_eq(q.n, 1);
	ck_assert_uint_eq(q.bytes, 20);
	msgq_remove(&q, msgq_first(&q, NOW + 10));
	ck_assert_ptr_null(msgq_first(&q, NOW + 10));
	ck_assert_uint_eq(q.bytes, 0);
}
END_TEST

/* a dial's queue handed to the session that replaces it */
START_TEST(test_msgq_move)
{
	struct msgq	 a, b;
	uint8_t		 buf[100];
	size_t		 len;
	uint32_t	 i;

	msgq_init(&a, 10, 1000, MSGQ_DROP_OLDEST);
	msgq_init(&b, 4, 1000, MSGQ_DROP_NEWEST);
	len = mkmsg(buf, sizeof(buf), 100, NOW + 60, 20);
	msgq_push(&b, buf, len, NOW);
	for (i = 1; i <= 5; i++) {
		len = mkmsg(buf, sizeof(buf), i, i == 2 ? NOW : NOW + 60,
		    20);
		msgq_push(&a, buf, len, NOW);
	}
	msgq_move(&b, &a, NOW + 1);
	ck_assert_uint_eq(a.n, 0);
	ck_assert_uint_eq(a.bytes, 0);
	/* 2 expired; 5 did not fit the destination's bound */
	ck_assert_uint_eq(b.n, 4);
	ck_assert_uint_eq(b.dropped, 2);
	ck_assert_uint_eq(msgid(msgq_first(&b, NOW + 1)), 100);
	msgq_clear(&b);
}
END_TEST

START_TEST(test_msgq_expiry)
{
	uint8_t		 buf[20];
	uint32_t	 exp;
	size_t		 len;

	len = mkmsg(buf, sizeof(buf), 7, 0x01020304, 12);
	ck_assert_int_eq(msgq_expiry(buf, len, &exp), 0);
	ck_assert_uint_eq(exp, 0x01020304);
	ck_assert_int_eq(msgq_expiry(buf, 8, &exp), -1);
}
END_TEST

static Suite *
netd_limits_suite(void)
{
	Suite	*s = suite_create("netd_limits");
	TCase	*tc;

	tc = tcase_create("replay");
	tcase_add_test(tc, test_replay_basic);
	tcase_add_test(tc, test_replay_expiry_order);
	tcase_add_test(tc, test_replay_capacity);
	tcase_add_test(tc, test_replay_wrap);
	tcase_add_test(tc, test_replay_grow_shrink);
	tcase_add_test(tc, test_replay_init_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("srclimit");
	tcase_add_test(tc, test_srclimit_per_source);
	tcase_add_test(tc, test_srclimit_table_full);
	tcase_add_test(tc, test_srclimit_addr_forms);
	tcase_add_test(tc, test_srclimit_ipv6_prefix);
	tcase_add_test(tc, test_srclimit_established);
	suite_add_tcase(s, tc);

	tc = tcase_create("sess_limits");
	tcase_add_test(tc, test_hs_budget);
	tcase_add_test(tc, test_sess_limits_size);
	tcase_add_test(tc, test_sess_limits_reserve);
	suite_add_tcase(s, tc);

	tc = tcase_create("msgq");
	tcase_add_test(tc, test_msgq_drop_oldest);
	tcase_add_test(tc, test_msgq_bytes_bound);
	tcase_add_test(tc, test_msgq_expired_first);
	tcase_add_test(tc, test_msgq_drop_newest);
	tcase_add_test(tc, test_msgq_refuses_expired_and_short);
	tcase_add_test(tc, test_msgq_first_skips_expired);
	tcase_add_test(tc, test_msgq_move);
	tcase_add_test(tc, test_msgq_expiry);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	if (crypto_init() == -1)
		return EXIT_FAILURE;
	return unit_run(netd_limits_suite());
}
