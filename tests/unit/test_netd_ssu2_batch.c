/*
 * Unit tests of netd/ssu2_batch.c over loopback UDP: a batch sent by
 * sendmmsg arrives whole and in order, recvmmsg reads at most a batch,
 * oversized datagrams show as one byte past SSU2_PKT_MAX, a datagram the
 * kernel refuses is lost alone, and what does not fit is refused.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "../../netd/netd.h"
#include "../../netd/ssu2_io.h"

static struct {
	int			 tx, rx;
	struct sockaddr_storage	 to;	/* rx's address */
	struct ssu2_batch	*out, *in;
	uint64_t		 sent, bytes;
} T;

static int
udp_bound(struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	socklen_t		 len = sizeof(*sin);
	int			 fd;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ne(fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0),
	    -1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)sin, len), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)sin, &len), 0);
	return fd;
}

static void
setup(void)
{
	struct sockaddr_storage	 ss;

	memset(&T, 0, sizeof(T));
	T.tx = udp_bound(&ss);
	T.rx = udp_bound(&T.to);
	ck_assert_ptr_nonnull(T.out = calloc(1, sizeof(*T.out)));
	ck_assert_ptr_nonnull(T.in = calloc(1, sizeof(*T.in)));
	ssu2_batch_init_recv(T.in);
}

static void
teardown(void)
{
	close(T.tx);
	close(T.rx);
	free(T.out);
	free(T.in);
}

/* datagram i: i + 100 bytes, each the low byte of i */
static void
queue(unsigned int i)
{
	uint8_t	 pkt[SSU2_PKT_MAX];
	int	 full;

	memset(pkt, i, i + 100);
	full = ssu2_batch_add(T.out, &T.to, sizeof(struct sockaddr_in), pkt,
	    i + 100);
	ck_assert_int_eq(full, T.out->n == SSU2_BATCH);
	if (full)
		ssu2_batch_send(T.tx, T.out, &T.sent, &T.bytes);
}

static void
expect(unsigned int k, unsigned int i)
{
	ck_assert_uint_eq(T.in->msg[k].msg_len, i + 100);
	ck_assert_uint_eq(T.in->buf[k][0], i & 0xff);
	ck_assert_uint_eq(T.in->buf[k][i + 99], i & 0xff);
	ck_assert_uint_eq(T.in->ss[k].ss_family, AF_INET);
}

static void
wait_rx(void)
{
	struct pollfd	 pfd = { T.rx, POLLIN, 0 };

	ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
}

/* 40 datagrams: a full batch goes when it fills, the rest at the flush */
START_TEST(in_order)
{
	unsigned int	 i, k;
	uint64_t	 bytes = 0;

	setup();
	for (i = 0; i < 40; i++) {
		queue(i);
		bytes += i + 100;
	}
	ck_assert_uint_eq(T.sent, SSU2_BATCH);
	ssu2_batch_send(T.tx, T.out, &T.sent, &T.bytes);
	ck_assert_uint_eq(T.out->n, 0);
	ck_assert_uint_eq(T.sent, 40);
	ck_assert_uint_eq(T.bytes, bytes);
	wait_rx();
	ck_assert_uint_eq(ssu2_batch_recv(T.rx, T.in), SSU2_BATCH);
	for (k = 0; k < SSU2_BATCH; k++)
		expect(k, k);
	ck_assert_uint_eq(ssu2_batch_recv(T.rx, T.in), 8);
	for (k = 0; k < 8; k++)
		expect(k, SSU2_BATCH + k);
	ck_assert_uint_eq(ssu2_batch_recv(T.rx, T.in), 0);	/* EAGAIN */
	/* again: the slots the last reads filled are ready once more */
	for (i = 0; i < 40; i++)
		queue(i);
	ssu2_batch_send(T.tx, T.out, &T.sent, &T.bytes);
	wait_rx();
	ck_assert_uint_eq(ssu2_batch_recv(T.rx, T.in), SSU2_BATCH);
	for (k = 0; k < SSU2_BATCH; k++) {
		expect(k, k);
		ck_assert_uint_eq(T.in->msg[k].msg_hdr.msg_namelen,
		    sizeof(struct sockaddr_in));
	}
	teardown();
}
END_TEST

/* the one with an IPv6 address on an IPv4 socket is lost, alone */
START_TEST(one_refused)
{
	struct sockaddr_storage	 bad;
	uint8_t			 pkt[200];

	setup();
	queue(0);
	memset(&bad, 0, sizeof(bad));
	bad.ss_family = AF_INET6;
	memset(pkt, 0xee, sizeof(pkt));
	ck_assert_int_eq(ssu2_batch_add(T.out, &bad,
	    sizeof(struct sockaddr_in6), pkt, sizeof(pkt)), 0);
	queue(1);
	queue(2);
	ssu2_batch_send(T.tx, T.out, &T.sent, &T.bytes);
	ck_assert_uint_eq(T.sent, 3);
	ck_assert_uint_eq(T.bytes, 100 + 101 + 102);
	wait_rx();
	ck_assert_uint_eq(ssu2_batch_recv(T.rx, T.in), 3);
	expect(0, 0);
	expect(1, 1);
	expect(2, 2);
	teardown();
}
END_TEST

/* one past the largest packet shows an oversized datagram, cut */
START_TEST(oversized)
{
	static uint8_t	 big[SSU2_PKT_MAX + 200];

	setup();
	memset(big, 7, sizeof(big));
	ck_assert_int_eq(sendto(T.tx, big, SSU2_PKT_MAX, 0,
	    (struct sockaddr *)&T.to, sizeof(struct sockaddr_in)),
	    SSU2_PKT_MAX);
	ck_assert_int_eq(sendto(T.tx, big, sizeof(big), 0,
	    (struct sockaddr *)&T.to, sizeof(struct sockaddr_in)),
	    (int)sizeof(big));
	wait_rx();
	ck_assert_uint_eq(ssu2_batch_recv(T.rx, T.in), 2);
	ck_assert_uint_eq(T.in->msg[0].msg_len, SSU2_PKT_MAX);
	ck_assert_uint_eq(T.in->msg[1].msg_len, SSU2_PKT_MAX + 1);
	teardown();
}
END_TEST

/* what a batch cannot hold is refused, the batch unchanged */
START_TEST(refused)
{
	static uint8_t	 big[SSU2_PKT_MAX + 1];
	unsigned int	 i;

	setup();
	ck_assert_int_eq(ssu2_batch_add(T.out, &T.to,
	    sizeof(struct sockaddr_in), big, sizeof(big)), -1);
	ck_assert_int_eq(ssu2_batch_add(T.out, &T.to,
	    sizeof(struct sockaddr_storage) + 1, big, 10), -1);
	ck_assert_uint_eq(T.out->n, 0);
	for (i = 0; i < SSU2_BATCH - 1; i++)
		ck_assert_int_eq(ssu2_batch_add(T.out, &T.to,
		    sizeof(struct sockaddr_in), big, 10), 0);
	ck_assert_int_eq(ssu2_batch_add(T.out, &T.to,
	    sizeof(struct sockaddr_in), big, 10), 1);
	ck_assert_int_eq(ssu2_batch_add(T.out, &T.to,
	    sizeof(struct sockaddr_in), big, 10), -1);
	ck_assert_uint_eq(T.out->n, SSU2_BATCH);
	teardown();
}
END_TEST

static Suite *
batch_suite(void)
{
	Suite	*s = suite_create("ssu2_batch");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, in_order);
	tcase_add_test(tc, one_refused);
	tcase_add_test(tc, oversized);
	tcase_add_test(tc, refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(batch_suite());
}
