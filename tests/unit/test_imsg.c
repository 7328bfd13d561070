/*
 * Unit tests for imsg: framing, partial and batched reads, large
 * messages, fd passing, and rejection of malformed input.
 *
 * Every test talks over a non-blocking AF_UNIX socketpair inside one
 * process; where both directions must make progress at once (messages
 * larger than the socket buffer) the helpers alternate between writing
 * and reading.  Leaks of descriptors are caught by counting the entries
 * of /proc/self/fd, and leaks of memory by LSan under "make sanitize".
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"
#include "unit.h"

/* Both ends of the socketpair under test, wrapped in imsgbufs. */
struct pair {
	int		 sv[2];
	struct imsgbuf	 a;	/* usually the writer */
	struct imsgbuf	 b;	/* usually the reader */
};

static void
set_nonblock(int fd)
{
	int	 fl;

	fl = fcntl(fd, F_GETFL);
	ck_assert_int_ne(fl, -1);
	ck_assert_int_ne(fcntl(fd, F_SETFL, fl | O_NONBLOCK), -1);
}

static void
pair_open(struct pair *p)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, p->sv), 0);
	set_nonblock(p->sv[0]);
	set_nonblock(p->sv[1]);
	imsg_init(&p->a, p->sv[0]);
	imsg_init(&p->b, p->sv[1]);
}

static void
pair_close(struct pair *p)
{
	imsg_clear(&p->a);
	imsg_clear(&p->b);
	if (p->sv[0] != -1)
		close(p->sv[0]);
	if (p->sv[1] != -1)
		close(p->sv[1]);
}

/* Number of open descriptors, to prove that nothing leaked. */
static int
count_fds(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	d = opendir("/proc/self/fd");
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

static void
fill_pattern(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 31 + seed);
}

/*
 * Get the next message on p->b, writing p->a's queue and reading p->b's
 * socket as needed.  Fails the test on error, EOF or lack of progress.
 */
static ssize_t
xfer(struct pair *p, struct imsg *imsg)
{
	struct pollfd	 pfd[2];
	ssize_t		 n;
	int		 i, rv;

	for (i = 0; i < 100000; i++) {
		if ((n = imsg_get(&p->b, imsg)) != 0)
			return n;
		if (msgbuf_queuelen(&p->a.w) > 0) {
			rv = msgbuf_write(&p->a.w);
			ck_assert(rv == 1 || (rv == -1 && errno == EAGAIN));
		}
		n = imsg_read(&p->b);
		ck_assert_int_ne(n, 0);
		if (n == -1) {
			ck_assert_int_eq(errno, EAGAIN);
			pfd[0].fd = p->sv[1];
			pfd[0].events = POLLIN;
			pfd[1].fd = p->sv[0];
			pfd[1].events = msgbuf_queuelen(&p->a.w) > 0 ?
			    POLLOUT : 0;
			ck_assert_int_gt(poll(pfd, 2, 2000), 0);
		}
	}
	ck_abort_msg("no message after many rounds");
	return -1;
}

/* Read raw bytes into p->b until imsg_get yields a result (or error). */
static ssize_t
read_get(struct pair *p, struct imsg *imsg)
{
	ssize_t	 n;

	for (;;) {
		if ((n = imsg_get(&p->b, imsg)) != 0)
			return n;
		n = imsg_read(&p->b);
		ck_assert_int_gt(n, 0);
	}
}

static void
write_all(int fd, const void *buf, size_t len)
{
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
}

static void
write_hdr(int fd, uint32_t type, uint32_t len, uint16_t flags)
{
	struct imsg_hdr	 hdr;

	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.len = len;
	hdr.flags = flags;
	write_all(fd, &hdr, sizeof(hdr));
}

/*
 * The read end of a pipe sees EOF only once every copy of the write end
 * is closed, which proves that no copy leaked.  Non-blocking, so that a
 * leak fails the test at once instead of hanging it.
 */
static void
expect_eof(int rfd)
{
	char	 c;

	set_nonblock(rfd);
	ck_assert_int_eq(read(rfd, &c, 1), 0);
	close(rfd);
}

/* Write a string through fd and expect it, then EOF, on the pipe's end. */
static void
check_pipe(int wfd, int rfd, const char *msg)
{
	char	 buf[64];

	write_all(wfd, msg, strlen(msg));
	close(wfd);
	ck_assert_int_eq(read(rfd, buf, sizeof(buf)), (ssize_t)strlen(msg));
	ck_assert(memcmp(buf, msg, strlen(msg)) == 0);
	expect_eof(rfd);
}

START_TEST(test_roundtrip)
{
	static const size_t	 sizes[] = { 0, 1, 7, 16, 64, 1000, 4096,
				    IBUF_READ_SIZE - IMSG_HEADER_SIZE };
	struct pair		 p;
	struct imsg		 imsg;
	struct ibuf		*wbuf;
	struct iovec		 iov[3];
	unsigned char		*buf, *out;
	size_t			 i, max = IBUF_READ_SIZE;
	ssize_t			 n;

	pair_open(&p);
	buf = malloc(max);
	out = malloc(max);
	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(out);

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fill_pattern(buf, sizes[i], (unsigned int)i);
		ck_assert_int_eq(imsg_compose(&p.a, 100 + i, 7 * i,
		    i % 2 ? 4242 : 0, -1, buf, sizes[i]), 1);
		n = xfer(&p, &imsg);
		ck_assert_int_eq(n, (ssize_t)(sizes[i] + IMSG_HEADER_SIZE));
		ck_assert_uint_eq(imsg_get_type(&imsg), 100 + i);
		ck_assert_uint_eq(imsg_get_peerid(&imsg), 7 * i);
		ck_assert_int_eq(imsg_get_pid(&imsg),
		    i % 2 ? 4242 : getpid());
		ck_assert_uint_eq(imsg_get_len(&imsg), sizes[i]);
		ck_assert_int_eq(imsg.fd, -1);
		ck_assert_int_eq(imsg.hdr.flags, 0);
		if (sizes[i] == 0)
			ck_assert_ptr_null(imsg.data);
		ck_assert_int_eq(imsg_get_data(&imsg, out, sizes[i]), 0);
		ck_assert(memcmp(out, buf, sizes[i]) == 0);
		imsg_free(&imsg);
	}

	/* imsg_create/imsg_add/imsg_close build the same thing */
	wbuf = imsg_create(&p.a, 9, 1, 0, 10);
	ck_assert_ptr_nonnull(wbuf);
	ck_assert_int_eq(imsg_add(wbuf, "hello", 5), 5);
	ck_assert_int_eq(imsg_add(wbuf, "world", 5), 5);
	imsg_close(&p.a, wbuf);
	ck_assert_int_eq(xfer(&p, &imsg), 10 + IMSG_HEADER_SIZE);
	ck_assert_uint_eq(imsg_get_type(&imsg), 9);
	ck_assert(memcmp(imsg.data, "helloworld", 10) == 0);
	imsg_free(&imsg);

	/* and so does imsg_composev, including an empty iovec */
	iov[0].iov_base = "ab";
	iov[0].iov_len = 2;
	iov[1].iov_base = NULL;
	iov[1].iov_len = 0;
	iov[2].iov_base = "cde";
	iov[2].iov_len = 3;
	ck_assert_int_eq(imsg_composev(&p.a, 11, 0, 0, -1, iov, 3), 1);
	ck_assert_int_eq(xfer(&p, &imsg), 5 + IMSG_HEADER_SIZE);
	ck_assert(memcmp(imsg.data, "abcde", 5) == 0);
	imsg_free(&imsg);

	ck_assert_int_eq(imsg_get(&p.b, &imsg), 0);
	free(buf);
	free(out);
	pair_close(&p);
}
END_TEST

/* what imsg_get took leaves no copy in the read buffer (private keys) */
START_TEST(test_read_wiped)
{
	static const unsigned char	 zero[64];
	struct pair			 p;
	struct imsg			 imsg;

	pair_open(&p);
	ck_assert_int_eq(imsg_compose(&p.a, 5, 1, 0, -1, "a private key", 13),
	    1);
	ck_assert_int_eq(xfer(&p, &imsg), 13 + IMSG_HEADER_SIZE);
	ck_assert(memcmp(imsg.data, "a private key", 13) == 0);
	ck_assert(memcmp(p.b.r.buf, zero, 13 + IMSG_HEADER_SIZE) == 0);
	imsg_free(&imsg);
	pair_close(&p);
}
END_TEST

/*
 * No read buffer before the first read; an emptied one is released, one
 * holding part of a message is kept, and reading takes a new one.
 */
START_TEST(test_read_release)
{
	struct pair	 p;
	struct imsg	 imsg;
	unsigned char	 hdr[IMSG_HEADER_SIZE];

	pair_open(&p);
	ck_assert_ptr_null(p.b.r.buf);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), 0);
	ck_assert_int_eq(imsg_compose(&p.a, 5, 1, 0, -1, "one", 3), 1);
	ck_assert_int_eq(xfer(&p, &imsg), 3 + IMSG_HEADER_SIZE);
	imsg_free(&imsg);
	ck_assert_ptr_nonnull(p.b.r.buf);
	imsg_read_release(&p.b);
	ck_assert_ptr_null(p.b.r.buf);
	/* half a header waits in the buffer: kept */
	memset(hdr, 0, sizeof(hdr));
	ck_assert_int_eq(write(p.sv[0], hdr, 8), 8);
	ck_assert_int_eq(imsg_read(&p.b), 8);
	imsg_read_release(&p.b);
	ck_assert_ptr_nonnull(p.b.r.buf);
	ck_assert_uint_eq(p.b.r.wpos, 8);
	pair_close(&p);
	ck_assert_ptr_null(p.b.r.buf);
}
END_TEST

START_TEST(test_many_in_one_read)
{
	struct pair	 p;
	struct imsg	 imsg;
	uint32_t	 i, v;
	ssize_t		 n;
	const uint32_t	 count = 500;

	pair_open(&p);
	for (i = 0; i < count; i++)
		ck_assert_int_eq(imsg_compose(&p.a, 1, i, 0, -1, &i,
		    sizeof(i)), 1);
	ck_assert_uint_eq(msgbuf_queuelen(&p.a.w), count);
	/* 500 small messages fit one sendmsg and one socket buffer */
	ck_assert_int_eq(msgbuf_write(&p.a.w), 1);
	ck_assert_uint_eq(msgbuf_queuelen(&p.a.w), 0);

	n = imsg_read(&p.b);
	ck_assert_int_eq(n, count * (IMSG_HEADER_SIZE + sizeof(i)));
	for (i = 0; i < count; i++) {
		ck_assert_int_eq(imsg_get(&p.b, &imsg),
		    IMSG_HEADER_SIZE + sizeof(i));
		ck_assert_uint_eq(imsg_get_peerid(&imsg), i);
		ck_assert_int_eq(imsg_get_data(&imsg, &v, sizeof(v)), 0);
		ck_assert_uint_eq(v, i);
		imsg_free(&imsg);
	}
	ck_assert_int_eq(imsg_get(&p.b, &imsg), 0);
	ck_assert_int_eq(imsg_read(&p.b), -1);
	ck_assert_int_eq(errno, EAGAIN);
	pair_close(&p);
}
END_TEST

START_TEST(test_split_read)
{
	struct pair	 p;
	struct imsg	 imsg;
	struct ibuf	*wb;
	unsigned char	 wire[2 * (IMSG_HEADER_SIZE + 100)];
	unsigned char	 payload[100];
	size_t		 len, off, piece, cuts[] = { 1, 3, IMSG_HEADER_SIZE - 4,
			    1, 50, 48, 4 };
	size_t		 i;

	pair_open(&p);
	fill_pattern(payload, sizeof(payload), 3);
	/* two messages; take their bytes from the queue, not the socket */
	ck_assert_int_eq(imsg_compose(&p.a, 5, 0, 0, -1, payload, 100), 1);
	ck_assert_int_eq(imsg_compose(&p.a, 6, 0, 0, -1, payload, 100), 1);
	len = 0;
	TAILQ_FOREACH(wb, &p.a.w.bufs, entry) {
		memcpy(wire + len, wb->buf, wb->wpos);
		len += wb->wpos;
	}
	ck_assert_uint_eq(len, sizeof(wire));

	/* first message in pieces, split inside the header and payload */
	off = 0;
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		piece = cuts[i];
		ck_assert_int_eq(imsg_get(&p.b, &imsg), 0);
		write_all(p.sv[0], wire + off, piece);
		off += piece;
		ck_assert_int_eq(imsg_read(&p.b), (ssize_t)piece);
	}
	/* the last piece completed message 1 and began message 2 */
	ck_assert_uint_eq(off, IMSG_HEADER_SIZE + 100 + 3);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), IMSG_HEADER_SIZE + 100);
	ck_assert_uint_eq(imsg_get_type(&imsg), 5);
	ck_assert(memcmp(imsg.data, payload, 100) == 0);
	imsg_free(&imsg);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), 0);

	/* the rest of message 2 one byte short, then the last byte */
	write_all(p.sv[0], wire + off, len - off - 1);
	ck_assert_int_eq(imsg_read(&p.b), (ssize_t)(len - off - 1));
	ck_assert_int_eq(imsg_get(&p.b, &imsg), 0);
	write_all(p.sv[0], wire + len - 1, 1);
	ck_assert_int_eq(imsg_read(&p.b), 1);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), IMSG_HEADER_SIZE + 100);
	ck_assert_uint_eq(imsg_get_type(&imsg), 6);
	ck_assert(memcmp(imsg.data, payload, 100) == 0);
	imsg_free(&imsg);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), 0);
	/*
	 * Taken, nothing of them is left where the bytes were written, the
	 * copies moved from (message 2's first 3 bytes) included
	 */
	for (i = 0; i < IMSG_HEADER_SIZE + 100 + 3; i++)
		ck_assert_msg(p.b.r.buf[i] == 0, "byte %zu: %u", i, p.b.r.buf[i]);

	msgbuf_clear(&p.a.w);
	pair_close(&p);
}
END_TEST

/* Send one message of datalen bytes then a small one; check both. */
static void
large_roundtrip(struct pair *p, size_t datalen)
{
	struct imsg	 imsg;
	unsigned char	*buf;

	buf = malloc(datalen);
	ck_assert_ptr_nonnull(buf);
	fill_pattern(buf, datalen, (unsigned int)datalen);
	ck_assert_int_eq(imsg_compose(&p->a, 77, 0, 0, -1, buf, datalen), 1);
	ck_assert_int_eq(imsg_compose(&p->a, 78, 0, 0, -1, "tail", 4), 1);

	ck_assert_int_eq(xfer(p, &imsg), (ssize_t)(datalen + IMSG_HEADER_SIZE));
	ck_assert_uint_eq(imsg_get_type(&imsg), 77);
	ck_assert_uint_eq(imsg_get_len(&imsg), datalen);
	ck_assert(memcmp(imsg.data, buf, datalen) == 0);
	imsg_free(&imsg);

	ck_assert_int_eq(xfer(p, &imsg), 4 + IMSG_HEADER_SIZE);
	ck_assert_uint_eq(imsg_get_type(&imsg), 78);
	ck_assert(memcmp(imsg.data, "tail", 4) == 0);
	imsg_free(&imsg);
	free(buf);
}

START_TEST(test_large)
{
	struct pair	 p;

	pair_open(&p);
	large_roundtrip(&p, IBUF_READ_SIZE);	/* just over, with header */
	large_roundtrip(&p, 200000);
	large_roundtrip(&p, MAX_IMSGSIZE - IMSG_HEADER_SIZE);	/* exactly max */
	large_roundtrip(&p, 10);

	/* a raised limit on both ends allows bigger messages */
	ck_assert_int_eq(imsgbuf_set_maxsize(&p.a, 3 * 1024 * 1024), 0);
	ck_assert_int_eq(imsgbuf_set_maxsize(&p.b, 3 * 1024 * 1024), 0);
	large_roundtrip(&p, 3 * 1024 * 1024 - IMSG_HEADER_SIZE);
	pair_close(&p);
}
END_TEST

/* Three large messages read with the whole stream already queued. */
START_TEST(test_large_batched)
{
	struct pair	 p;
	struct imsg	 imsg;
	unsigned char	*buf;
	size_t		 len = 100000;
	int		 i, got = 0;
	ssize_t		 n;

	pair_open(&p);
	buf = calloc(1, len);
	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < 3; i++) {
		buf[0] = (unsigned char)i;
		ck_assert_int_eq(imsg_compose(&p.a, i, 0, 0, -1, buf, len), 1);
		ck_assert_int_eq(imsg_compose(&p.a, 10 + i, 0, 0, -1, NULL, 0),
		    1);
	}
	/* read/get in the usual pattern: drain imsg_get after each read */
	while (got < 6) {
		if (msgbuf_queuelen(&p.a.w) > 0)
			(void)msgbuf_write(&p.a.w);
		n = imsg_read(&p.b);
		ck_assert(n > 0 || (n == -1 && errno == EAGAIN));
		while ((n = imsg_get(&p.b, &imsg)) > 0) {
			if (got % 2 == 0) {
				ck_assert_uint_eq(imsg_get_type(&imsg), got / 2);
				ck_assert_uint_eq(imsg.datalen, len);
				ck_assert_uint_eq(((unsigned char *)imsg.data)[0],
				    got / 2);
			} else {
				ck_assert_uint_eq(imsg_get_type(&imsg),
				    10 + got / 2);
				ck_assert_uint_eq(imsg.datalen, 0);
			}
			imsg_free(&imsg);
			got++;
		}
		ck_assert_int_eq(n, 0);
	}
	free(buf);
	pair_close(&p);
}
END_TEST

START_TEST(test_fd_pass)
{
	struct pair	 p;
	struct imsg	 imsg;
	int		 pfd[2], fd, before;

	before = count_fds();
	pair_open(&p);
	ck_assert_int_eq(pipe(pfd), 0);
	ck_assert_int_eq(imsg_compose(&p.a, 3, 0, 0, pfd[1], "pipe", 4), 1);
	ck_assert_int_eq(imsg_flush(&p.a), 0);
	ck_assert_int_eq(read_get(&p, &imsg), 4 + IMSG_HEADER_SIZE);
	ck_assert(imsg.hdr.flags & IMSGF_HASFD);
	ck_assert(memcmp(imsg.data, "pipe", 4) == 0);
	fd = imsg_get_fd(&imsg);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(imsg.fd, -1);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	imsg_free(&imsg);	/* must not close the claimed fd */
	/* sender's copy closed once sent: EOF after we close ours */
	check_pipe(fd, pfd[0], "through the pipe");
	pair_close(&p);
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

START_TEST(test_fd_empty_payload)
{
	struct pair	 p;
	struct imsg	 imsg;
	int		 pfd[2], before;

	before = count_fds();
	pair_open(&p);
	ck_assert_int_eq(pipe(pfd), 0);
	ck_assert_int_eq(imsg_compose(&p.a, 4, 0, 0, pfd[1], NULL, 0), 1);
	ck_assert_int_eq(imsg_flush(&p.a), 0);
	ck_assert_int_eq(read_get(&p, &imsg), IMSG_HEADER_SIZE);
	ck_assert_ptr_null(imsg.data);
	ck_assert_uint_eq(imsg.datalen, 0);
	ck_assert_int_eq(imsg_get_data(&imsg, NULL, 0), 0);
	check_pipe(imsg_get_fd(&imsg), pfd[0], "empty");
	imsg_free(&imsg);
	pair_close(&p);
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

START_TEST(test_fd_several)
{
	struct pair	 p;
	struct imsg	 imsg;
	int		 pipes[4][2], i, got, before;
	uint32_t	 idx;
	char		 msg[32];

	before = count_fds();
	pair_open(&p);
	/* fd messages back to back and between plain ones */
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pipe(pipes[i]), 0);
		idx = (uint32_t)i;
		ck_assert_int_eq(imsg_compose(&p.a, 1, 0, 0, pipes[i][1],
		    &idx, sizeof(idx)), 1);
		if (i == 1 || i == 2)
			ck_assert_int_eq(imsg_compose(&p.a, 2, 0, 0, -1,
			    "plain", 5), 1);
	}
	ck_assert_int_eq(imsg_flush(&p.a), 0);

	for (got = 0; got < 6; got++) {
		ck_assert_int_gt(read_get(&p, &imsg), 0);
		if (imsg_get_type(&imsg) == 2) {
			ck_assert_int_eq(imsg.fd, -1);
			imsg_free(&imsg);
			continue;
		}
		ck_assert_int_eq(imsg_get_data(&imsg, &idx, sizeof(idx)), 0);
		ck_assert_uint_lt(idx, 4);
		snprintf(msg, sizeof(msg), "fd %u", idx);
		check_pipe(imsg_get_fd(&imsg), pipes[idx][0], msg);
		imsg_free(&imsg);
	}
	ck_assert_int_eq(imsg_get(&p.b, &imsg), 0);
	pair_close(&p);
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

/* Unclaimed fds are closed by imsg_free, imsg_clear and failed compose. */
START_TEST(test_fd_ownership)
{
	struct pair	 p;
	struct imsg	 imsg;
	int		 pfd[2], pfd2[2], pfd3[2], before;

	before = count_fds();
	pair_open(&p);

	ck_assert_int_eq(pipe(pfd), 0);
	ck_assert_int_eq(imsg_compose(&p.a, 1, 0, 0, pfd[1], NULL, 0), 1);
	ck_assert_int_eq(imsg_flush(&p.a), 0);
	ck_assert_int_eq(read_get(&p, &imsg), IMSG_HEADER_SIZE);
	imsg_free(&imsg);
	expect_eof(pfd[0]);

	/* queued but never sent: imsg_clear closes it */
	ck_assert_int_eq(pipe(pfd2), 0);
	ck_assert_int_eq(imsg_compose(&p.a, 1, 0, 0, pfd2[1], NULL, 0), 1);
	imsg_clear(&p.a);
	expect_eof(pfd2[0]);

	/* received but never fetched: imsg_clear closes it too */
	ck_assert_int_eq(pipe(pfd3), 0);
	ck_assert_int_eq(imsg_compose(&p.a, 1, 0, 0, pfd3[1], "x", 1), 1);
	ck_assert_int_eq(imsg_flush(&p.a), 0);
	ck_assert_int_gt(imsg_read(&p.b), 0);
	imsg_clear(&p.b);
	expect_eof(pfd3[0]);

	pair_close(&p);
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

START_TEST(test_oversized_header)
{
	struct pair	 p;
	struct imsg	 imsg;

	pair_open(&p);
	write_hdr(p.sv[0], 1, MAX_IMSGSIZE + 1, 0);
	ck_assert_int_eq(imsg_read(&p.b), IMSG_HEADER_SIZE);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), -1);
	ck_assert(errno == ERANGE || errno == EBADMSG);
	/* the error sticks: the stream cannot be resynchronised */
	ck_assert_int_eq(imsg_get(&p.b, &imsg), -1);
	pair_close(&p);

	/* a lowered limit is enforced on the read side */
	pair_open(&p);
	ck_assert_int_eq(imsgbuf_set_maxsize(&p.b, 1024), 0);
	write_hdr(p.sv[0], 1, 1025, 0);
	ck_assert_int_eq(imsg_read(&p.b), IMSG_HEADER_SIZE);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), -1);
	ck_assert(errno == ERANGE || errno == EBADMSG);
	pair_close(&p);

	/* a huge length must not make imsg_read allocate for it */
	pair_open(&p);
	write_hdr(p.sv[0], 1, UINT32_MAX, 0);
	ck_assert_int_eq(imsg_read(&p.b), IMSG_HEADER_SIZE);
	ck_assert_ptr_null(p.b.rbig);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), -1);
	pair_close(&p);
}
END_TEST

START_TEST(test_malformed_header)
{
	struct pair	 p;
	struct imsg	 imsg;
	struct imsg_hdr	 hdr;
	struct ibuf	*wb;
	void		*big;
	int		 i;

	/* shorter than its own header */
	pair_open(&p);
	write_hdr(p.sv[0], 1, IMSG_HEADER_SIZE - 1, 0);
	ck_assert_int_eq(imsg_read(&p.b), IMSG_HEADER_SIZE);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), -1);
	ck_assert_int_eq(errno, EBADMSG);
	pair_close(&p);

	pair_open(&p);
	write_hdr(p.sv[0], 1, 0, 0);
	ck_assert_int_eq(imsg_read(&p.b), IMSG_HEADER_SIZE);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), -1);
	ck_assert_int_eq(errno, EBADMSG);
	pair_close(&p);

	/* flags we do not know */
	pair_open(&p);
	write_hdr(p.sv[0], 1, IMSG_HEADER_SIZE, 0x8000);
	ck_assert_int_eq(imsg_read(&p.b), IMSG_HEADER_SIZE);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), -1);
	ck_assert_int_eq(errno, EBADMSG);
	pair_close(&p);

	/* HASFD, but no fd came with it */
	pair_open(&p);
	write_hdr(p.sv[0], 1, IMSG_HEADER_SIZE, IMSGF_HASFD);
	ck_assert_int_eq(imsg_read(&p.b), IMSG_HEADER_SIZE);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), -1);
	ck_assert_int_eq(errno, EBADMSG);
	pair_close(&p);

	/* the same for a message large enough to be read into rbig */
	pair_open(&p);
	big = calloc(1, 200000);
	ck_assert_ptr_nonnull(big);
	ck_assert_int_eq(imsg_compose(&p.a, 1, 0, 0, -1, big, 200000), 1);
	wb = TAILQ_FIRST(&p.a.w.bufs);
	memcpy(&hdr, wb->buf, sizeof(hdr));
	hdr.flags |= IMSGF_HASFD;	/* forge the flag, send no fd */
	memcpy(wb->buf, &hdr, sizeof(hdr));
	for (i = 0; i < 1000 && msgbuf_queuelen(&p.a.w) > 0; i++) {
		(void)msgbuf_write(&p.a.w);
		(void)imsg_read(&p.b);
	}
	ck_assert_uint_eq(msgbuf_queuelen(&p.a.w), 0);
	while (imsg_read(&p.b) > 0)
		;
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_ptr_nonnull(p.b.rbig);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), -1);
	ck_assert_int_eq(errno, EBADMSG);
	free(big);
	pair_close(&p);
}
END_TEST

/* A peer sending two fds at once gets both closed and a read error. */
START_TEST(test_extra_fds_rejected)
{
	struct pair	 p;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(2 * sizeof(int))];
	} cm;
	struct imsg_hdr	 hdr;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cmsg;
	int		 pa[2], pb[2], fds[2], before;

	before = count_fds();
	pair_open(&p);
	ck_assert_int_eq(pipe(pa), 0);
	ck_assert_int_eq(pipe(pb), 0);
	fds[0] = pa[1];
	fds[1] = pb[1];

	memset(&hdr, 0, sizeof(hdr));
	hdr.len = IMSG_HEADER_SIZE;
	hdr.flags = IMSGF_HASFD;
	iov.iov_base = &hdr;
	iov.iov_len = sizeof(hdr);
	memset(&msg, 0, sizeof(msg));
	memset(&cm, 0, sizeof(cm));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(cmsg), fds, sizeof(fds));
	ck_assert_int_eq(sendmsg(p.sv[0], &msg, 0), (ssize_t)sizeof(hdr));
	close(pa[1]);
	close(pb[1]);

	ck_assert_int_eq(imsg_read(&p.b), -1);
	ck_assert_int_eq(errno, EBADMSG);
	/* neither received copy survives */
	expect_eof(pa[0]);
	expect_eof(pb[0]);
	pair_close(&p);
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

START_TEST(test_compose_too_big)
{
	struct pair	 p;
	struct imsg	 imsg;
	struct ibuf	*wbuf;
	struct iovec	 iov[2];
	unsigned char	*buf;
	size_t		 max = MAX_IMSGSIZE - IMSG_HEADER_SIZE;
	int		 pfd[2], before;

	before = count_fds();
	pair_open(&p);
	buf = calloc(1, max + 1);
	ck_assert_ptr_nonnull(buf);

	errno = 0;
	ck_assert_int_eq(imsg_compose(&p.a, 1, 0, 0, -1, buf, max + 1), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_uint_eq(msgbuf_queuelen(&p.a.w), 0);
	ck_assert_ptr_null(imsg_create(&p.a, 1, 0, 0, max + 1));
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_ptr_null(imsg_create(&p.a, 1, 0, 0, SIZE_MAX));

	/* growing past the limit with imsg_add fails too */
	wbuf = imsg_create(&p.a, 1, 0, 0, 10);
	ck_assert_ptr_nonnull(wbuf);
	ck_assert_int_eq(imsg_add(wbuf, buf, max), (int)max);
	ck_assert_int_eq(imsg_add(wbuf, buf, 1), -1);	/* frees wbuf */
	ck_assert_int_eq(errno, ERANGE);

	/* iovecs that add up to too much, with an fd that must be closed */
	ck_assert_int_eq(pipe(pfd), 0);
	iov[0].iov_base = buf;
	iov[0].iov_len = max;
	iov[1].iov_base = buf;
	iov[1].iov_len = 1;
	ck_assert_int_eq(imsg_composev(&p.a, 1, 0, 0, pfd[1], iov, 2), -1);
	ck_assert_int_eq(errno, ERANGE);
	expect_eof(pfd[0]);
	ck_assert_uint_eq(msgbuf_queuelen(&p.a.w), 0);

	/* exactly at the limit is fine */
	ck_assert_int_eq(imsg_compose(&p.a, 2, 0, 0, -1, buf, max), 1);
	ck_assert_int_eq(xfer(&p, &imsg), MAX_IMSGSIZE);
	imsg_free(&imsg);

	/* a lowered limit applies to composing as well */
	ck_assert_int_eq(imsgbuf_set_maxsize(&p.a, 100), 0);
	ck_assert_int_eq(imsg_compose(&p.a, 1, 0, 0, -1, buf,
	    100 - IMSG_HEADER_SIZE + 1), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(imsg_compose(&p.a, 1, 0, 0, -1, buf,
	    100 - IMSG_HEADER_SIZE), 1);

	free(buf);
	pair_close(&p);
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

START_TEST(test_set_maxsize)
{
	struct imsgbuf	 ib;

	imsg_init(&ib, -1);
	ck_assert_uint_eq(ib.maxsize, MAX_IMSGSIZE);
	ck_assert_int_eq(imsgbuf_set_maxsize(&ib, IMSG_HEADER_SIZE - 1), -1);
	ck_assert_int_eq(imsgbuf_set_maxsize(&ib, MAX_IMSGSIZE_LIMIT + 1), -1);
	ck_assert_uint_eq(ib.maxsize, MAX_IMSGSIZE);
	ck_assert_int_eq(imsgbuf_set_maxsize(&ib, IMSG_HEADER_SIZE), 0);
	ck_assert_int_eq(imsgbuf_set_maxsize(&ib, MAX_IMSGSIZE_LIMIT), 0);
	ck_assert_uint_eq(ib.maxsize, MAX_IMSGSIZE_LIMIT);
	imsg_clear(&ib);
}
END_TEST

START_TEST(test_eof)
{
	struct pair	 p;
	struct imsg	 imsg;

	pair_open(&p);
	/* nothing yet: EAGAIN, not EOF */
	ck_assert_int_eq(imsg_read(&p.b), -1);
	ck_assert_int_eq(errno, EAGAIN);

	/* buffered messages are still delivered before EOF */
	ck_assert_int_eq(imsg_compose(&p.a, 1, 0, 0, -1, "x", 1), 1);
	ck_assert_int_eq(imsg_flush(&p.a), 0);
	close(p.sv[0]);
	p.sv[0] = -1;
	ck_assert_int_gt(imsg_read(&p.b), 0);
	ck_assert_int_eq(imsg_read(&p.b), 0);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), IMSG_HEADER_SIZE + 1);
	imsg_free(&imsg);
	ck_assert_int_eq(imsg_get(&p.b, &imsg), 0);
	pair_close(&p);
}
END_TEST

START_TEST(test_get_data_mismatch)
{
	struct pair	 p;
	struct imsg	 imsg;
	uint64_t	 v = 0x0102030405060708ULL, out = 0;
	uint32_t	 small;

	pair_open(&p);
	ck_assert_int_eq(imsg_compose(&p.a, 1, 0, 0, -1, &v, sizeof(v)), 1);
	ck_assert_int_eq(xfer(&p, &imsg), IMSG_HEADER_SIZE + sizeof(v));
	errno = 0;
	ck_assert_int_eq(imsg_get_data(&imsg, &small, sizeof(small)), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_int_eq(imsg_get_data(&imsg, NULL, 0), -1);
	ck_assert_int_eq(imsg_get_data(&imsg, &out, sizeof(out) + 1), -1);
	ck_assert_int_eq(imsg_get_data(&imsg, &out, sizeof(out)), 0);
	ck_assert(out == v);
	imsg_free(&imsg);

	/* an empty payload only matches a zero length */
	ck_assert_int_eq(imsg_compose(&p.a, 1, 0, 0, -1, NULL, 0), 1);
	ck_assert_int_eq(xfer(&p, &imsg), IMSG_HEADER_SIZE);
	ck_assert_int_eq(imsg_get_data(&imsg, &out, sizeof(out)), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_int_eq(imsg_get_data(&imsg, NULL, 0), 0);
	imsg_free(&imsg);
	pair_close(&p);
}
END_TEST

START_TEST(test_write_closed_peer)
{
	struct pair	 p;
	int		 pfd[2], before;

	/* make sure a SIGPIPE would kill us, failing the test */
	signal(SIGPIPE, SIG_DFL);
	before = count_fds();
	pair_open(&p);
	close(p.sv[1]);
	p.sv[1] = -1;
	ck_assert_int_eq(imsg_compose(&p.a, 1, 0, 0, -1, "x", 1), 1);
	ck_assert_int_eq(msgbuf_write(&p.a.w), 0);
	ck_assert_int_eq(imsg_flush(&p.a), -1);

	/* an fd waiting in a dead queue is closed by imsg_clear */
	ck_assert_int_eq(pipe(pfd), 0);
	ck_assert_int_eq(imsg_compose(&p.a, 1, 0, 0, pfd[1], NULL, 0), 1);
	ck_assert_int_eq(msgbuf_write(&p.a.w), 0);
	imsg_clear(&p.a);
	expect_eof(pfd[0]);
	pair_close(&p);
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

/*
 * A tiny socket buffer forces partial writes, also of buffers that
 * carry fds; a random mix of sizes and fds must arrive intact and in
 * order.
 */
START_TEST(test_partial_writes)
{
	struct pair	 p;
	struct imsg	 imsg;
	unsigned char	*buf;
	int		 pfd[2], before, sz = 4096;
	uint32_t	 i, count = 300, len, seed = 12345;

	before = count_fds();
	pair_open(&p);
	ck_assert_int_eq(setsockopt(p.sv[0], SOL_SOCKET, SO_SNDBUF, &sz,
	    sizeof(sz)), 0);
	ck_assert_int_eq(setsockopt(p.sv[1], SOL_SOCKET, SO_RCVBUF, &sz,
	    sizeof(sz)), 0);
	buf = malloc(MAX_IMSGSIZE);
	ck_assert_ptr_nonnull(buf);

	for (i = 0; i < count; i++) {
		seed = seed * 1103515245 + 12345;
		len = (seed >> 8) % (i % 10 == 0 ? 150000 : 3000);
		fill_pattern(buf, len, i);
		if (i % 7 == 0) {
			ck_assert_int_eq(pipe(pfd), 0);
			ck_assert_int_eq(imsg_compose(&p.a, i, pfd[0], 0,
			    pfd[1], buf, len), 1);
		} else
			ck_assert_int_eq(imsg_compose(&p.a, i, len, 0, -1,
			    buf, len), 1);
	}
	for (i = 0; i < count; i++) {
		ck_assert_int_gt(xfer(&p, &imsg), 0);
		ck_assert_uint_eq(imsg_get_type(&imsg), i);
		fill_pattern(buf, imsg.datalen, i);
		ck_assert(imsg.datalen == 0 ||
		    memcmp(imsg.data, buf, imsg.datalen) == 0);
		if (i % 7 == 0) {
			/* peerid carries the read end of the passed pipe */
			ck_assert_int_ne(imsg.fd, -1);
			imsg_free(&imsg);
			expect_eof((int)imsg_get_peerid(&imsg));
		} else {
			ck_assert_int_eq(imsg.fd, -1);
			ck_assert_uint_eq(imsg_get_peerid(&imsg), imsg.datalen);
			imsg_free(&imsg);
		}
	}
	ck_assert_uint_eq(msgbuf_queuelen(&p.a.w), 0);
	free(buf);
	pair_close(&p);
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

/* ibuf on its own: fixed and growable buffers, limits, raw msgbuf use. */
START_TEST(test_ibuf)
{
	struct pair	 p;
	struct ibuf	*b;
	unsigned char	 big[5000], out[5000];
	void		*r;

	b = ibuf_open(4);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(ibuf_add(b, "abcd", 4), 0);
	ck_assert_int_eq(ibuf_add(b, "e", 1), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_uint_eq(ibuf_size(b), 4);
	ibuf_free(b);
	ibuf_free(NULL);

	ck_assert_ptr_null(ibuf_dynamic(10, 5));

	/* a dynamic buffer grows from nothing up to exactly its max */
	b = ibuf_dynamic(0, sizeof(big));
	ck_assert_ptr_nonnull(b);
	fill_pattern(big, sizeof(big), 9);
	ck_assert_int_eq(ibuf_add(b, big, 3), 0);
	r = ibuf_reserve(b, 100);
	ck_assert_ptr_nonnull(r);
	memcpy(r, big + 3, 100);
	ck_assert_int_eq(ibuf_add(b, big + 103, sizeof(big) - 103), 0);
	ck_assert_uint_eq(ibuf_size(b), sizeof(big));
	ck_assert_ptr_null(ibuf_reserve(b, 1));
	ck_assert_ptr_null(ibuf_reserve(b, SIZE_MAX));

	/* raw bytes through a msgbuf arrive as they are */
	pair_open(&p);
	ibuf_close(&p.a.w, b);
	ck_assert_uint_eq(msgbuf_queuelen(&p.a.w), 1);
	ck_assert_int_eq(msgbuf_write(&p.a.w), 1);
	ck_assert_uint_eq(msgbuf_queuelen(&p.a.w), 0);
	ck_assert_int_eq(msgbuf_write(&p.a.w), 1);	/* nothing to do */
	ck_assert_int_eq(read(p.sv[1], out, sizeof(out)), (ssize_t)sizeof(out));
	ck_assert(memcmp(out, big, sizeof(big)) == 0);
	pair_close(&p);
}
END_TEST

/* imsg_read never overruns its buffer if the caller forgets imsg_get. */
START_TEST(test_read_without_get)
{
	struct pair	 p;
	struct imsg	 imsg;
	unsigned char	 payload[1000];
	int		 i, got = 0, count = 100;
	ssize_t		 n;

	pair_open(&p);
	memset(payload, 0, sizeof(payload));
	for (i = 0; i < count; i++)
		ck_assert_int_eq(imsg_compose(&p.a, i, 0, 0, -1, payload,
		    sizeof(payload)), 1);
	ck_assert_int_eq(imsg_flush(&p.a), 0);	/* 100 KB fit the socket */

	while ((n = imsg_read(&p.b)) > 0)
		;
	ck_assert_int_eq(n, -1);
	ck_assert_int_eq(errno, ENOBUFS);
	for (;;) {
		while ((n = imsg_get(&p.b, &imsg)) > 0) {
			ck_assert_uint_eq(imsg_get_type(&imsg), got);
			imsg_free(&imsg);
			got++;
		}
		ck_assert_int_eq(n, 0);
		if (got == count)
			break;
		ck_assert_int_gt(imsg_read(&p.b), 0);
	}
	pair_close(&p);
}
END_TEST

/*
 * imsg_flush blocks (in poll) until a slow reader in another process has
 * taken several socket buffers' worth; more messages than fit one
 * sendmsg call are queued.
 */
START_TEST(test_flush_blocking)
{
	struct pair	 p;
	struct imsg	 imsg;
	struct pollfd	 pfd;
	unsigned char	 payload[700];
	uint32_t	 i, count = 5000, want = 0;
	int		 status, bad = 0;
	pid_t		 pid;
	ssize_t		 n;

	pair_open(&p);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		/* child: read everything, check order, report by exit code */
		close(p.sv[0]);
		pfd.fd = p.sv[1];
		pfd.events = POLLIN;
		while (want < count && !bad) {
			usleep(want % 1000 == 0 ? 20000 : 0);
			if (poll(&pfd, 1, 5000) != 1)
				_exit(2);
			n = imsg_read(&p.b);
			if (n == 0 || (n == -1 && errno != EAGAIN))
				_exit(3);
			while ((n = imsg_get(&p.b, &imsg)) > 0) {
				if (imsg_get_type(&imsg) != want++ ||
				    imsg.datalen != sizeof(payload))
					bad = 1;
				imsg_free(&imsg);
			}
			if (n == -1)
				_exit(4);
		}
		imsg_clear(&p.b);
		_exit(bad);
	}
	close(p.sv[1]);
	p.sv[1] = -1;
	memset(payload, 0xa5, sizeof(payload));
	for (i = 0; i < count; i++)
		ck_assert_int_eq(imsg_compose(&p.a, i, 0, 0, -1, payload,
		    sizeof(payload)), 1);
	ck_assert_int_eq(imsg_flush(&p.a), 0);
	ck_assert_uint_eq(msgbuf_queuelen(&p.a.w), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	pair_close(&p);
}
END_TEST

static Suite *
imsg_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("imsg");

	tc = tcase_create("framing");
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_read_wiped);
	tcase_add_test(tc, test_read_release);
	tcase_add_test(tc, test_many_in_one_read);
	tcase_add_test(tc, test_split_read);
	tcase_add_test(tc, test_eof);
	tcase_add_test(tc, test_get_data_mismatch);
	tcase_add_test(tc, test_set_maxsize);
	tcase_add_test(tc, test_ibuf);
	tcase_add_test(tc, test_read_without_get);
	suite_add_tcase(s, tc);

	tc = tcase_create("large");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_large);
	tcase_add_test(tc, test_large_batched);
	tcase_add_test(tc, test_partial_writes);
	tcase_add_test(tc, test_flush_blocking);
	suite_add_tcase(s, tc);

	tc = tcase_create("fdpass");
	tcase_add_test(tc, test_fd_pass);
	tcase_add_test(tc, test_fd_empty_payload);
	tcase_add_test(tc, test_fd_several);
	tcase_add_test(tc, test_fd_ownership);
	suite_add_tcase(s, tc);

	tc = tcase_create("reject");
	tcase_add_test(tc, test_oversized_header);
	tcase_add_test(tc, test_malformed_header);
	tcase_add_test(tc, test_extra_fds_rejected);
	tcase_add_test(tc, test_compose_too_big);
	tcase_add_test(tc, test_write_closed_peer);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(imsg_suite());
}
