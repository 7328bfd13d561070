/*
 * Unit tests of netd/ssu2_track.c: the window of received packet
 * numbers (new, duplicate, too old, far jumps, what an ACK lists) and
 * the Retry token table (issue, take once, expiry, per-address and
 * global bounds, wrong endpoint or token), and reassembly from
 * fragments in any order, duplicated, contradicting, oversized.
 */
#include <arpa/inet.h>

#include <check.h>
#include <stdint.h>
#include <string.h>

#include "crypto.h"
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

/* random packet numbers against a model: new once, and within the window */
START_TEST(rx_window_model)
{
	static uint8_t		 seen[8192];
	struct ssu2_rxwin	 w;
	uint32_t		 pn, max = 0, pns[SSU2_RXWIN];
	size_t			 n, i;
	int			 k, want, any = 0;

	ssu2_rx_init(&w);
	memset(seen, 0, sizeof(seen));
	for (k = 0; k < 20000; k++) {
		/* mostly near the top, some jumps of any size up to two windows */
		pn = max + 40 - crypto_random_below(k % 7 ? 80 : 2 * SSU2_RXWIN);
		if (pn >= sizeof(seen) || (int32_t)pn < 0)
			continue;
		want = !seen[pn] && (!any || pn > max || max - pn < SSU2_RXWIN);
		ck_assert_int_eq(ssu2_rx_add(&w, pn), want);
		if (want) {
			seen[pn] = 1;
			if (!any || pn > max)
				max = pn;
			any = 1;
		}
	}
	/* the list: every number seen within the window, newest first */
	n = ssu2_rx_list(&w, pns, SSU2_RXWIN);
	for (i = 0, pn = max + 1; pn-- > 0 && max - pn < SSU2_RXWIN;)
		if (seen[pn]) {
			ck_assert_uint_lt(i, n);
			ck_assert_uint_eq(pns[i++], pn);
		}
	ck_assert_uint_eq(i, n);
}
END_TEST

static const uint8_t A[16] = { 198, 18, 0, 2 }, B[16] = { 198, 18, 0, 3 };
#define TTL	SSU2_TOKEN_TTL

START_TEST(tokens)
{
	struct ssu2_tokens	 t;

	ck_assert_int_eq(ssu2_tok_init(&t, 8, 2), 0);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 1000, 100, 0, TTL), -1);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 1000, 100, 42, TTL), 0);
	/* wrong token, port, address: refused */
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 101, 43), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1001, 101, 42), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, B, 1000, 101, 42), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 101, 0), 0);
	/* once */
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 101, 42), 1);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 101, 42), 0);
	/* expired */
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 1000, 100, 7, TTL), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 100 + SSU2_TOKEN_TTL, 7),
	    0);
	/* a new one for the same endpoint replaces the old */
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 1000, 200, 8, TTL), 0);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 1000, 200, 9, TTL), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 201, 8), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 1000, 201, 9), 1);
	ssu2_tok_free(&t);
}
END_TEST

/* IPv6: the per-source limit counts a /64, the token is the endpoint's */
START_TEST(token_limits_v6)
{
	static const char *const same[] = {
		"2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:2::3",
	};
	struct ssu2_tokens	 t;
	uint8_t			 ip[3][16], other[16];
	int			 i;

	for (i = 0; i < 3; i++)
		ck_assert_int_eq(inet_pton(AF_INET6, same[i], ip[i]), 1);
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8:1:3::1", other), 1);
	ck_assert_int_eq(ssu2_tok_init(&t, 8, 2), 0);
	ck_assert_int_eq(ssu2_tok_issue(&t, ip[0], 1, 100, 1, TTL), 0);
	ck_assert_int_eq(ssu2_tok_issue(&t, ip[1], 1, 100, 2, TTL), 0);
	/* a third address of that /64: refused; the next /64 is not */
	ck_assert_int_eq(ssu2_tok_issue(&t, ip[2], 1, 100, 3, TTL), -1);
	ck_assert_int_eq(ssu2_tok_issue(&t, other, 1, 100, 4, TTL), 0);
	/* the same endpoint replaces its own; another's is not its */
	ck_assert_int_eq(ssu2_tok_issue(&t, ip[1], 1, 100, 5, TTL), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, ip[0], 1, 101, 5), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, ip[1], 1, 101, 2), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, ip[1], 1, 101, 5), 1);
	ck_assert_int_eq(ssu2_tok_take(&t, ip[0], 1, 101, 1), 1);
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
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 1, 100, 1, TTL), 0);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 2, 100, 2, TTL), 0);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 3, 100, 3, TTL), -1);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 2, 100, 4, TTL), 0);
	ck_assert_int_eq(ssu2_tok_take(&t, A, 2, 100, 4), 1);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 3, 100, 3, TTL), 0);
	/* the table is full with 8 addresses; expiry frees it */
	memset(ip, 0, sizeof(ip));
	for (i = 0; i < 6; i++) {
		ip[0] = 10 + i;
		ck_assert_int_eq(ssu2_tok_issue(&t, ip, 5, 100, 10 + i, TTL), 0);
	}
	ip[0] = 99;
	ck_assert_int_eq(ssu2_tok_issue(&t, ip, 5, 100, 99, TTL), -1);
	ck_assert_int_eq(ssu2_tok_issue(&t, ip, 5, 100 + SSU2_TOKEN_TTL, 99, TTL),
	    0);
	ck_assert_int_eq(ssu2_tok_take(&t, ip, 5, 101 + SSU2_TOKEN_TTL, 99),
	    1);
	ssu2_tok_free(&t);
}
END_TEST

/* tokens routers gave us: found by endpoint, once, until they expire */
START_TEST(tokens_given)
{
	struct ssu2_tokens	 t;

	ck_assert_int_eq(ssu2_tok_init(&t, 4, 4), 0);
	ck_assert_uint_eq(ssu2_tok_get(&t, A, 20000, 100), 0);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 20000, 100, 77, 3000), 0);
	ck_assert_uint_eq(ssu2_tok_get(&t, A, 20001, 101), 0);
	ck_assert_uint_eq(ssu2_tok_get(&t, B, 20000, 101), 0);
	ck_assert_uint_eq(ssu2_tok_get(&t, A, 20000, 2000), 77);
	ck_assert_uint_eq(ssu2_tok_get(&t, A, 20000, 2000), 0);
	ck_assert_int_eq(ssu2_tok_issue(&t, A, 20000, 100, 78, 3000), 0);
	ck_assert_uint_eq(ssu2_tok_get(&t, A, 20000, 3100), 0);
	ssu2_tok_free(&t);
}
END_TEST

static int
add(struct ssu2_reasm_set *set, uint32_t id, int num, int last,
    const char *text, int64_t now, uint8_t **msg, size_t *len)
{
	return ssu2_reasm_add(set, id, num, last, (const uint8_t *)text,
	    strlen(text), now, msg, len);
}

START_TEST(reasm_orders)
{
	struct ssu2_reasm_set	 set;
	uint8_t			*msg;
	size_t			 len;

	ssu2_reasm_init(&set);
	/* in order */
	ck_assert_int_eq(add(&set, 1, 0, 0, "HEADER+ab", 0, &msg, &len), 0);
	ck_assert_int_eq(add(&set, 1, 1, 0, "cd", 0, &msg, &len), 0);
	ck_assert_int_eq(add(&set, 1, 2, 1, "ef", 0, &msg, &len), 1);
	ck_assert_uint_eq(len, 13);
	ck_assert_mem_eq(msg, "HEADER+abcdef", 13);
	free(msg);
	/* last first, duplicates, first last */
	ck_assert_int_eq(add(&set, 2, 2, 1, "3", 0, &msg, &len), 0);
	ck_assert_int_eq(add(&set, 2, 2, 1, "3", 0, &msg, &len), 0);
	ck_assert_int_eq(add(&set, 2, 1, 0, "2", 0, &msg, &len), 0);
	ck_assert_int_eq(add(&set, 2, 1, 0, "2", 0, &msg, &len), 0);
	ck_assert_uint_eq(set.n, 1);
	ck_assert_int_eq(add(&set, 2, 0, 0, "1", 0, &msg, &len), 1);
	ck_assert_mem_eq(msg, "123", 3);
	free(msg);
	ck_assert_uint_eq(set.n, 0);
	ck_assert_uint_eq(set.bytes, 0);
	ck_assert_uint_eq(ssu2_reasm_all(), 0);
	ck_assert_uint_eq(set.dropped, 0);
}
END_TEST

START_TEST(reasm_malformed)
{
	struct ssu2_reasm_set	 set;
	uint8_t			*msg, big[1024];
	size_t			 len;
	int			 i;

	ssu2_reasm_init(&set);
	/* numbers out of range; a first fragment cannot be last */
	ck_assert_int_eq(add(&set, 1, -1, 0, "x", 0, &msg, &len), -1);
	ck_assert_int_eq(add(&set, 1, SSU2_FRAG_NUM_MAX + 1, 1, "x", 0, &msg,
	    &len), -1);
	ck_assert_int_eq(add(&set, 1, 0, 1, "x", 0, &msg, &len), -1);
	/* empty */
	ck_assert_int_eq(add(&set, 1, 1, 0, "", 0, &msg, &len), -1);
	/* two last fragments, or one after the last: the message goes */
	ck_assert_int_eq(add(&set, 3, 2, 1, "c", 0, &msg, &len), 0);
	ck_assert_int_eq(add(&set, 3, 4, 1, "e", 0, &msg, &len), -1);
	ck_assert_int_eq(add(&set, 4, 2, 1, "c", 0, &msg, &len), 0);
	ck_assert_int_eq(add(&set, 4, 3, 0, "d", 0, &msg, &len), -1);
	ck_assert_int_eq(add(&set, 5, 3, 0, "d", 0, &msg, &len), 0);
	ck_assert_int_eq(add(&set, 5, 2, 1, "c", 0, &msg, &len), -1);
	ck_assert_uint_eq(set.n, 0);
	ck_assert_uint_eq(set.dropped, 7);
	/* bigger than any message: given up */
	memset(big, 'a', sizeof(big));
	for (i = 0; i <= SSU2_FRAG_NUM_MAX; i++)
		if (ssu2_reasm_add(&set, 6, i, 0, big, sizeof(big), 0, &msg,
		    &len) == -1)
			break;
	ck_assert_int_le(i * sizeof(big), NETD_I2NP_MAX);
	ck_assert_int_gt((i + 1) * sizeof(big), NETD_I2NP_MAX);
	ck_assert_uint_eq(set.n, 0);
	ck_assert_uint_eq(ssu2_reasm_all(), 0);
	ssu2_reasm_clear(&set);
}
END_TEST

START_TEST(reasm_bounds)
{
	struct ssu2_reasm_set	 set;
	uint8_t			*msg, chunk[1000];
	size_t			 len, held;
	uint32_t		 id;

	ssu2_reasm_init(&set);
	memset(chunk, 'b', sizeof(chunk));
	/* more messages than a session may hold: the oldest go */
	for (id = 0; id < SSU2_REASM_MSGS + 5; id++)
		ck_assert_int_eq(ssu2_reasm_add(&set, id, 1, 0, chunk, 10, 0,
		    &msg, &len), 0);
	ck_assert_uint_eq(set.n, SSU2_REASM_MSGS);
	ck_assert_uint_eq(set.dropped, 5);
	/* the bytes of one session */
	ssu2_reasm_clear(&set);
	held = 0;
	for (id = 0; held + sizeof(chunk) <= SSU2_REASM_BYTES; id++) {
		ck_assert_int_eq(ssu2_reasm_add(&set, id / 60, 1 + id % 60, 0,
		    chunk, sizeof(chunk), 0, &msg, &len), 0);
		held += sizeof(chunk);
	}
	ck_assert_uint_eq(set.bytes, held);
	ck_assert_int_eq(ssu2_reasm_add(&set, id / 60, 1 + id % 60, 0, chunk,
	    sizeof(chunk), 0, &msg, &len), -1);
	ck_assert_uint_le(set.bytes, SSU2_REASM_BYTES);
	ck_assert_uint_eq(ssu2_reasm_all(), set.bytes);
	/* expiry */
	ck_assert_uint_gt(ssu2_reasm_expire(&set, SSU2_REASM_TTL), 0);
	ck_assert_uint_eq(set.n, 0);
	ck_assert_uint_eq(ssu2_reasm_all(), 0);
}
END_TEST

/* Path Responses: per session first, then in all, per second */
START_TEST(path_limits)
{
	struct ssu2_pathlim	 g;
	int64_t			 last[SSU2_PATH_PER_SEC + 1];
	int64_t			 t = 5000000;
	int			 i;

	memset(&g, 0, sizeof(g));
	memset(last, 0, sizeof(last));
	ck_assert_int_eq(ssu2_path_allow(&last[0], &g, t), 1);
	ck_assert(last[0] == t);
	/* the same session again: not before the gap */
	ck_assert_int_eq(ssu2_path_allow(&last[0], &g, t + 1), 0);
	ck_assert_int_eq(ssu2_path_allow(&last[0], &g,
	    t + SSU2_PATH_GAP_MS - 1), 0);
	ck_assert_uint_eq(g.n, 1);	/* refusals per session cost nothing */
	/* other sessions, until the second's budget is spent */
	for (i = 1; i < SSU2_PATH_PER_SEC; i++)
		ck_assert_int_eq(ssu2_path_allow(&last[i], &g, t + 10), 1);
	ck_assert_int_eq(ssu2_path_allow(&last[SSU2_PATH_PER_SEC], &g,
	    t + 20), 0);
	ck_assert(last[SSU2_PATH_PER_SEC] == 0);
	/* the next second has its own */
	ck_assert_int_eq(ssu2_path_allow(&last[SSU2_PATH_PER_SEC], &g,
	    t + 1000), 1);
	ck_assert_int_eq(ssu2_path_allow(&last[0], &g,
	    t + SSU2_PATH_GAP_MS), 1);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("netd_ssu2_track");
	TCase	*tc = tcase_create("track");

	tcase_add_test(tc, rx_window);
	tcase_add_test(tc, rx_window_slide);
	tcase_add_test(tc, rx_window_model);
	tcase_add_test(tc, tokens);
	tcase_add_test(tc, token_limits);
	tcase_add_test(tc, token_limits_v6);
	tcase_add_test(tc, tokens_given);
	tcase_add_test(tc, reasm_orders);
	tcase_add_test(tc, reasm_malformed);
	tcase_add_test(tc, reasm_bounds);
	tcase_add_test(tc, path_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}
