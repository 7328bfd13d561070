/*
 * A destination's messages to and from routerd in batches
 * (tunneld/clientio.c).
 */
#include <check.h>
#include <string.h>

#include "../../tunneld/clientio.h"
#include "i2prd.h"
#include "unit.h"

static int	congested, schedules, nsent;
static uint8_t	sent[8][MAX_IMSGSIZE_CLIENT];
static size_t	sentlen[8];

static void
op_send(const uint8_t *b, size_t len)
{
	ck_assert_int_lt(nsent, 8);
	ck_assert_uint_le(len, MAX_IMSGSIZE_CLIENT);
	memcpy(sent[nsent], b, len);
	sentlen[nsent++] = len;
}

static int
op_congested(void)
{
	return congested;
}

static void
op_schedule(void)
{
	schedules++;
}

static const struct clientio_ops ops = {
	.send = op_send,
	.congested = op_congested,
	.schedule = op_schedule,
};

static uint8_t	msg[60000];

static void
setup(void)
{
	clientio_init(&ops);
	congested = schedules = nsent = 0;
	memset(msg, 0x33, sizeof(msg));
}

static struct client_out
out(size_t len, uint32_t tunnel)
{
	struct client_out	o;

	memset(&o, 0, sizeof(o));
	memset(o.gateway, 0x44, sizeof(o.gateway));
	o.tunnel_id = tunnel;
	o.msg = msg;
	o.len = len;
	return o;
}

static int
count(int i, uint32_t *client)
{
	struct rbuf		r;
	struct client_out	o;
	int			n = 0, rv;

	ck_assert_int_eq(clientbatch_begin(&r, sent[i], sentlen[i], client),
	    0);
	while ((rv = clientbatch_next_out(&r, &o)) == 1)
		n++;
	ck_assert_int_eq(rv, 0);
	return n;
}

/* one batch per client per turn, sent at the flush */
START_TEST(test_batches)
{
	struct client_out	o = out(100, 5);
	uint32_t		c;

	ck_assert_int_eq(clientio_send(1, &o), 0);
	ck_assert_int_eq(clientio_send(2, &o), 0);
	ck_assert_int_eq(clientio_send(1, &o), 0);
	ck_assert_int_eq(schedules, 1);
	ck_assert_int_eq(nsent, 0);
	clientio_flush();
	ck_assert_int_eq(nsent, 2);
	ck_assert_int_eq(count(0, &c), 2);
	ck_assert_uint_eq(c, 1);
	ck_assert_int_eq(count(1, &c), 1);
	ck_assert_uint_eq(c, 2);
	/* the next turn schedules again */
	ck_assert_int_eq(clientio_send(1, &o), 0);
	ck_assert_int_eq(schedules, 2);
	clientio_flush();
	ck_assert_int_eq(nsent, 3);
}
END_TEST

/* a full batch goes at once; the message opens the next */
START_TEST(test_full)
{
	struct client_out	o = out(sizeof(msg), 5);
	struct clientio_stats	s;
	uint32_t		c;

	ck_assert_int_eq(clientio_send(1, &o), 0);
	ck_assert_int_eq(clientio_send(1, &o), 0);
	ck_assert_int_eq(clientio_send(1, &o), 0);
	ck_assert_int_eq(nsent, 1);
	ck_assert_int_eq(count(0, &c), 2);
	clientio_flush();
	ck_assert_int_eq(nsent, 2);
	ck_assert_int_eq(count(1, &c), 1);
	clientio_stats(&s);
	ck_assert_uint_eq(s.msgs_out, 3);
	ck_assert_uint_eq(s.batches_out, 2);
}
END_TEST

/* congested or malformed: dropped and counted */
START_TEST(test_dropped)
{
	struct client_out	o = out(100, 5);
	struct clientio_stats	s;

	congested = 1;
	ck_assert_int_eq(clientio_send(1, &o), -1);
	congested = 0;
	o.tunnel_id = 0;
	ck_assert_int_eq(clientio_send(1, &o), -1);
	clientio_flush();
	clientio_stats(&s);
	ck_assert_uint_eq(s.dropped_congested, 1);
	ck_assert_uint_eq(s.dropped_full, 1);
	ck_assert_uint_eq(s.msgs_out, 0);
}
END_TEST

static int	nin;
static uint32_t	in_client, in_serial;

static void
in_cb(void *arg, uint32_t client, const struct client_in *in)
{
	nin++;
	in_client = client;
	in_serial = in->in_serial;
}

START_TEST(test_recv)
{
	uint8_t			 b[256];
	struct wbuf		 w;
	struct client_in	 in;
	const char		*why;

	wbuf_init_fixed(&w, b, sizeof(b));
	clientbatch_start(&w, 9);
	in.in_serial = 3;
	in.msg = msg;
	in.len = 20;
	ck_assert_int_eq(clientbatch_put_in(&w, &in), 0);
	ck_assert_int_eq(clientbatch_put_in(&w, &in), 0);
	ck_assert_int_eq(clientio_recv(b, wbuf_len(&w), in_cb, NULL, &why), 0);
	ck_assert_int_eq(nin, 2);
	ck_assert_uint_eq(in_client, 9);
	ck_assert_uint_eq(in_serial, 3);
	ck_assert_int_eq(clientio_recv(b, wbuf_len(&w) - 1, in_cb, NULL,
	    &why), -1);
	ck_assert_int_eq(clientio_recv(b, 3, in_cb, NULL, &why), -1);
}
END_TEST

static Suite *
clientio_suite(void)
{
	Suite	*s = suite_create("clientio");
	TCase	*tc = tcase_create("clientio");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_batches);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_dropped);
	tcase_add_test(tc, test_recv);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(clientio_suite());
}
