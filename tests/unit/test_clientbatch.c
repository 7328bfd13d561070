/*
 * The batches of a destination's traffic between tunneld and routerd
 * (common/clientbatch.c).
 */
#include <check.h>
#include <string.h>

#include "clientbatch.h"
#include "i2prd.h"
#include "unit.h"

static const uint8_t	msg9[9] = { 20, 1, 2, 3, 4, 5, 6, 7, 8 };
static uint8_t		msg12[12];

/* client 7, then two send records */
static size_t
out_batch(uint8_t *b, size_t cap)
{
	struct wbuf		w;
	struct client_out	o;

	memset(msg12, 0x22, sizeof(msg12));
	wbuf_init_fixed(&w, b, cap);
	ck_assert_int_eq(clientbatch_start(&w, 7), 0);
	memset(&o, 0, sizeof(o));
	o.out_serial = 3;
	memset(o.gateway, 0xaa, sizeof(o.gateway));
	o.tunnel_id = 0x01020304;
	o.msg = msg9;
	o.len = sizeof(msg9);
	ck_assert_int_eq(clientbatch_put_out(&w, &o), 0);
	o.out_serial = 0;
	o.tunnel_id = 9;
	o.msg = msg12;
	o.len = sizeof(msg12);
	ck_assert_int_eq(clientbatch_put_out(&w, &o), 0);
	return wbuf_len(&w);
}

START_TEST(test_out_round_trip)
{
	uint8_t			b[256];
	struct rbuf		r;
	struct client_out	o;
	uint32_t		client;
	size_t			n = out_batch(b, sizeof(b));

	ck_assert_uint_eq(n, 4 + 2 * CLIENTBATCH_OUT_HDR + 9 + 12);
	ck_assert_int_eq(clientbatch_begin(&r, b, n, &client), 0);
	ck_assert_uint_eq(client, 7);
	ck_assert_int_eq(clientbatch_next_out(&r, &o), 1);
	ck_assert_uint_eq(o.out_serial, 3);
	ck_assert_uint_eq(o.gateway[31], 0xaa);
	ck_assert_uint_eq(o.tunnel_id, 0x01020304);
	ck_assert_uint_eq(o.len, 9);
	ck_assert_mem_eq(o.msg, msg9, 9);
	ck_assert_int_eq(clientbatch_next_out(&r, &o), 1);
	ck_assert_uint_eq(o.out_serial, 0);
	ck_assert_uint_eq(o.len, 12);
	ck_assert_int_eq(clientbatch_next_out(&r, &o), 0);
}
END_TEST

/* every cut inside a record is malformed, every cut between is not */
START_TEST(test_out_truncated)
{
	uint8_t			b[256];
	struct rbuf		r;
	struct client_out	o;
	uint32_t		client;
	size_t			cut, first, n = out_batch(b, sizeof(b));
	int			rv;

	first = 4 + CLIENTBATCH_OUT_HDR + 9;
	for (cut = 0; cut < 4; cut++)
		ck_assert_int_eq(clientbatch_begin(&r, b, cut, &client), -1);
	for (cut = 4; cut < n; cut++) {
		ck_assert_int_eq(clientbatch_begin(&r, b, cut, &client), 0);
		while ((rv = clientbatch_next_out(&r, &o)) == 1)
			;
		ck_assert_int_eq(rv, cut == 4 || cut == first ? 0 : -1);
	}
}
END_TEST

/* tunnel ID 0 is no lease; a message shorter than its header is none */
START_TEST(test_out_malformed)
{
	uint8_t			b[256];
	struct rbuf		r;
	struct client_out	o;
	struct wbuf		w;
	uint32_t		client;
	size_t			n = out_batch(b, sizeof(b));

	b[4 + 4 + 32 + 3] = 0;
	b[4 + 4 + 32 + 2] = 0;
	b[4 + 4 + 32 + 1] = 0;
	b[4 + 4 + 32] = 0;
	ck_assert_int_eq(clientbatch_begin(&r, b, n, &client), 0);
	ck_assert_int_eq(clientbatch_next_out(&r, &o), -1);
	ck_assert_int_eq(clientbatch_next_out(&r, &o), -1);

	n = out_batch(b, sizeof(b));
	b[4 + 4 + 32 + 4 + 1] = 8;
	ck_assert_int_eq(clientbatch_begin(&r, b, n, &client), 0);
	ck_assert_int_eq(clientbatch_next_out(&r, &o), -1);

	/* the writer refuses them too, and what does not fit */
	wbuf_init_fixed(&w, b, 4 + CLIENTBATCH_OUT_HDR + 8);
	ck_assert_int_eq(clientbatch_start(&w, 1), 0);
	memset(&o, 0, sizeof(o));
	o.tunnel_id = 1;
	o.msg = msg12;
	o.len = 8;
	ck_assert_int_eq(clientbatch_put_out(&w, &o), -1);
	o.len = 9;
	ck_assert_int_eq(clientbatch_put_out(&w, &o), -1);
	ck_assert_uint_eq(wbuf_len(&w), 4);
	o.tunnel_id = 0;
	o.len = 8;
	ck_assert_int_eq(clientbatch_put_out(&w, &o), -1);
	ck_assert_int_eq(wbuf_error(&w), 0);
}
END_TEST

START_TEST(test_in_records)
{
	uint8_t			b[64];
	struct wbuf		w;
	struct rbuf		r;
	struct client_in	in;
	uint32_t		client;
	size_t			n, cut;
	int			rv;

	wbuf_init_fixed(&w, b, sizeof(b));
	ck_assert_int_eq(clientbatch_start(&w, 9), 0);
	in.in_serial = 44;
	in.msg = msg9;
	in.len = sizeof(msg9);
	ck_assert_int_eq(clientbatch_put_in(&w, &in), 0);
	n = wbuf_len(&w);
	ck_assert_uint_eq(n, 4 + CLIENTBATCH_IN_HDR + 9);
	ck_assert_int_eq(clientbatch_begin(&r, b, n, &client), 0);
	ck_assert_uint_eq(client, 9);
	ck_assert_int_eq(clientbatch_next_in(&r, &in), 1);
	ck_assert_uint_eq(in.in_serial, 44);
	ck_assert_mem_eq(in.msg, msg9, 9);
	ck_assert_int_eq(clientbatch_next_in(&r, &in), 0);
	for (cut = 5; cut < n; cut++) {
		ck_assert_int_eq(clientbatch_begin(&r, b, cut, &client), 0);
		while ((rv = clientbatch_next_in(&r, &in)) == 1)
			;
		ck_assert_int_eq(rv, -1);
	}
}
END_TEST

/* a full-size batch holds what CLIENT_BATCH_MAX promises */
START_TEST(test_capacity)
{
	static uint8_t		b[MAX_IMSGSIZE_CLIENT], big[UINT16_MAX];
	struct wbuf		w;
	struct client_out	o;
	int			n = 0;

	wbuf_init_fixed(&w, b, sizeof(struct client_batch) + CLIENT_BATCH_MAX);
	ck_assert_int_eq(clientbatch_start(&w, 1), 0);
	memset(&o, 0, sizeof(o));
	o.tunnel_id = 1;
	o.msg = big;
	o.len = sizeof(big);
	while (clientbatch_put_out(&w, &o) == 0)
		n++;
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(wbuf_error(&w), 0);
	ck_assert_uint_le(wbuf_len(&w), MAX_IMSGSIZE_CLIENT);
	o.len = UINT16_MAX + 1;
	ck_assert_int_eq(clientbatch_put_out(&w, &o), -1);
}
END_TEST

static Suite *
clientbatch_suite(void)
{
	Suite	*s = suite_create("clientbatch");
	TCase	*tc = tcase_create("clientbatch");

	tcase_add_test(tc, test_out_round_trip);
	tcase_add_test(tc, test_out_truncated);
	tcase_add_test(tc, test_out_malformed);
	tcase_add_test(tc, test_in_records);
	tcase_add_test(tc, test_capacity);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(clientbatch_suite());
}
