/*
 * netd's sessions (netd/session.c, session_io.c): a message from
 * routerd for a router we talked to lately and have no session with
 * starts a redial.  When that dial fails inside connect() (a multicast
 * address does: Linux answers ENETUNREACH at once, and sends nothing),
 * the session is freed there; session_redial() used to return it all
 * the same, and the I2NP going out was queued in freed memory (audit
 * #1).  Under make sanitize the old code fails this test with a
 * heap-use-after-free.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <event.h>
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

static Suite *
session_suite(void)
{
	Suite	*s = suite_create("netd_session");
	TCase	*tc = tcase_create("redial");

	tcase_add_test(tc, test_redial_fails_at_once);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(session_suite());
}
