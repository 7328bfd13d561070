/*
 * Messages to ourselves (routerd/selfq.c): handled later, in order, a
 * turn at a time, so that a loop through our own tunnels costs a
 * message per turn and never the stack (audit #2); bounded in messages
 * and bytes, the excess dropped and counted.
 */
#include <check.h>
#include <string.h>

#include "i2pdata.h"
#include "../../routerd/routerd.h"
#include "unit.h"

static uint32_t	seen[SELFQ_MAX_MSGS + 8];
static size_t	nseen;
static int	depth, max_depth, requeue;

/* a tunnel hop that sends each message on to ourselves again */
static void
deliver(const struct i2np_hdr *h, const uint8_t *payload)
{
	struct i2np_hdr	next = *h;

	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (nseen < sizeof(seen) / sizeof(seen[0]))
		seen[nseen++] = h->msg_id;
	if (requeue) {
		next.msg_id = h->msg_id + 1000;
		selfq_push(&next, payload, h->size);
	}
	depth--;
}

static void
reset(int again)
{
	selfq_shutdown();
	selfq_init(deliver, 0);
	nseen = 0;
	depth = max_depth = 0;
	requeue = again;
}

START_TEST(test_order)
{
	struct i2np_hdr	h;
	uint8_t		p[16] = { 7 };
	uint32_t	i;

	reset(0);
	memset(&h, 0, sizeof(h));
	for (i = 1; i <= 3; i++) {
		h.msg_id = i;
		ck_assert_int_eq(selfq_push(&h, p, sizeof(p)), 0);
	}
	ck_assert_uint_eq(nseen, 0);		/* nothing handled yet */
	ck_assert_uint_eq(selfq_run(), 3);
	ck_assert_uint_eq(nseen, 3);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(seen[i], i + 1);
	ck_assert_uint_eq(selfq_run(), 0);
}
END_TEST

START_TEST(test_loop)
{
	struct selfq_stats	st;
	struct i2np_hdr		h;
	uint8_t			p[1024];
	int			turn;

	reset(1);
	memset(&h, 0, sizeof(h));
	memset(p, 0x5a, sizeof(p));
	h.msg_id = 1;
	selfq_push(&h, p, sizeof(p));
	/* a loop: each turn handles one message, which queues the next */
	for (turn = 0; turn < 10000; turn++)
		ck_assert_uint_eq(selfq_run(), 1);
	ck_assert_int_eq(max_depth, 1);
	selfq_stats(&st);
	ck_assert_uint_eq(st.waiting, 1);
	ck_assert_uint_eq(st.peak, 1);
}
END_TEST

START_TEST(test_bounds)
{
	struct selfq_stats	before, after;
	struct i2np_hdr		h;
	static uint8_t		big[I2NP_MAX_PAYLOAD + 1];
	size_t			i;

	reset(0);
	memset(&h, 0, sizeof(h));
	selfq_stats(&before);
	ck_assert_int_eq(selfq_push(&h, big, sizeof(big)), -1);
	for (i = 0; i < SELFQ_MAX_MSGS; i++)
		ck_assert_int_eq(selfq_push(&h, big, 1), 0);
	ck_assert_int_eq(selfq_push(&h, big, 1), -1);	/* messages */
	selfq_run();
	/* bytes: 4 MiB in messages of 64 KB */
	for (i = 0; i < SELFQ_MAX_BYTES / I2NP_MAX_PAYLOAD; i++)
		ck_assert_int_eq(selfq_push(&h, big, I2NP_MAX_PAYLOAD), 0);
	ck_assert_int_eq(selfq_push(&h, big, I2NP_MAX_PAYLOAD), -1);
	selfq_stats(&after);
	ck_assert_uint_eq(after.dropped - before.dropped, 2);
	ck_assert_uint_eq(after.waiting, SELFQ_MAX_BYTES / I2NP_MAX_PAYLOAD);
	selfq_shutdown();
	selfq_stats(&after);
	ck_assert_uint_eq(after.waiting, 0);
}
END_TEST

static Suite *
selfq_suite(void)
{
	Suite	*s = suite_create("selfq");
	TCase	*tc = tcase_create("selfq");

	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_loop);
	tcase_add_test(tc, test_bounds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(selfq_suite());
}
