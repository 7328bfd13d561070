/*
 * Unit tests of netd/ssu2_track.c: the window of received packet
 * numbers (new, duplicate, too old, far jumps, what an ACK lists) and
 * the Retry token table (issue, take once, expiry, per-address and
 * global bounds, wrong endpoint or token).
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "unit.h"
#include "../../netd/netd.h"
#include "../../netd/ssu2_io.h"

START_TEST(rx_window)
{
	struct ssu2_rxwin	 w;
	uint32_t		 pns[SSU2_RXWIN];
	size_t			 n;

	ssu2_rx_init(&w);
	ck_assert_uint_eq(ssu2_rx_list(&w, pns, SSU2_RXWIN), 0);
	ck_assert_int_eq(ssu2_rx_add(&w, 0), 1);
	ck_assert_int_eq(ssu2_rx_add(&w, 0), 0);	/* duplicate */
	ck_assert_int_eq(ssu2_rx_add(&w, 2), 1);
	ck_assert_int_eq(ssu2_rx_add(&w, 5), 1);
	ck_assert_int_eq(ssu2_rx_add(&w, 2), 0);
	ck_assert_int_eq(ssu2_rx_add(&w, 1), 1);	/* late, new */
	n = ssu2_rx_list(&w, pns, SSU2_RXWIN);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(pns[0], 5);
	ck_assert_uint_eq(pns[1], 2);
	ck_assert_uint_eq(pns[2], 1);
	ck_assert_uint_eq(pns[3], 0);
	/* cap respected, highest first */
	ck_assert_uint_eq(ssu2_rx_list(&w, pns, 2), 2);
	ck_assert_uint_eq(pns[1], 2);
	/* a jump beyond the window forgets everything below it */
	ck_assert_int_eq(ssu2_rx_add(&w, 5 + SSU2_RXWIN + 10), 1);
	ck_assert_uint_eq(ssu2_rx_list(&w, pns, SSU2_RXWIN), 1);
	/* older than the window: refused, it may be a replay */
	ck_assert_int_eq(ssu2_rx_add(&w, 5), 0);
	ck_assert_int_eq(ssu2_rx_add(&w, 15), 0);
	ck_assert_int_eq(ssu2_rx_add(&w, 16), 1);	/* just inside */
	/* the top of the number space */
	ssu2_rx_init(&w);
	ck_assert_int_eq(ssu2_rx_add(&w, UINT32_MAX), 1);
	ck_assert_int_eq(ssu2_rx_add(&w, UINT32_MAX), 0);
	ck_assert_int_eq(ssu2_rx_add(&w, UINT32_MAX - 1), 1);
	ck_assert_uint_eq(ssu2_rx_list(&w, pns, SSU2_RXWIN), 2);
}
END_TEST

START_TEST(rx_window_slide)
{
	struct ssu2_rxwin	 w;
	uint32_t		 pns[SSU2_RXWIN], i;

	ssu2_rx_init(&w);
	for (i = 0; i < 3 * SSU2_RXWIN; i += 2)
		ck_assert_int_eq(ssu2_rx_add(&w, i), 1);
	ck_assert_uint_eq(ssu2_rx_list(&w, pns, SSU2_RXWIN), SSU2_RXWIN / 2);
	ck_assert_uint_eq(pns[0], 3 * SSU2_RXWIN - 2);
	for (i = 1; i < SSU2_RXWIN / 2; i++)
		ck_assert_uint_eq(pns[i - 1] - pns[i], 2);
	/* the odd ones inside the window are still new */
	ck_assert_int_eq(ssu2_rx_add(&w, 3 * SSU2_RXWIN - 3), 1);
	ck_assert_int_eq(ssu2_rx_add(&w, 3 * SSU2_RXWIN - 3), 0);
}
END_TEST

static const uint8_t A[16] = { 198, 18, 0, 2 }, B[16] = { 198, 18, 0, 3 };

START_TEST(tokens)
{
	struct ssu2_tokens	 t;

	ck_assert_int_eq(ssu2_tok_init(&t, 8, 2), 0);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 1000, 100, 0), -1);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 1000, 100, 42), 0);
	/* wrong token, port, address: refused */
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 101, 43), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1001, 101, 42), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, B, 1000, 101, 42), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 101, 0), 0);
	/* once */
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 101, 42), 1);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 101, 42), 0);
	/* expired */
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 1000, 100, 7), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 100 + SSU2_TOKEN_TTL, 7),
	    0);
	/* a new one for the same endpoint replaces the old */
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 1000, 200, 8), 0);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 1000, 200, 9), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 201, 8), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 201, 9), 1);
	ssu2_tok_free(&t);
}
END_TEST

START_TEST(token_limits)
{
	struct ssu2_tokens	 t;
	uint8_t			 ip[16];
	int			 i;

	ck_assert_int_eq(ssu2_tok_init(&t, 8, 2), 0);
	/* two ports per address, the third refused, and replacing works */
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 1, 100, 1), 0);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 2, 100, 2), 0);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 3, 100, 3), -1);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 2, 100, 4), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 2, 100, 4), 1);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 3, 100, 3), 0);
	/* the table is full with 8 addresses; expiry frees it */
	memset(ip, 0, sizeof(ip));
	for (i = 0; i < 6; i++) {
		ip[0] = 10 + i;
		ck_assert_int_eq(ssu2_tok_issue(&t, ip, 5, 100, 10 + i), 0);
	}
	ip[0] = 99;
	ck_assert_int_eq(ssu2_tok_issue(&t, ip, 5, 100, 99), -1);
	ck_assert_int_eq(ssu2_tok_issue(&t, ip, 5, 100 + SSU2_TOKEN_TTL, 99),
	    0);
	ck_assert_int_eq(ssu2_tok_take(&t, ip, 5, 101 + SSU2_TOKEN_TTL, 99),
	    1);
	ssu2_tok_free(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("netd_ssu2_track");
	TCase	*tc = tcase_create("track");

	tcase_add_test(tc, rx_window);
	tcase_add_test(tc, rx_window_slide);
	tcase_add_test(tc, tokens);
	tcase_add_test(tc, token_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}
