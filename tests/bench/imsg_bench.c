/*
 * imsg throughput: a child process composes messages and writes them
 * with msgbuf_write; the parent reads them with imsg_read/imsg_get over
 * an AF_UNIX socketpair, as the i2prd processes talk to each other.
 *
 * usage: imsg_bench [count]
 *
 * Prints one line per payload size: messages per second and payload
 * megabytes (10^6 bytes) per second, timed on the reading side from fork
 * until the last message was taken.  The default count makes each size
 * run for a second or two on a small machine.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "imsg.h"

/* messages composed ahead of each write: enough to fill a sendmsg */
#define BENCH_BATCH	1024

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
wait_fd(int fd, short events)
{
	struct pollfd	 pfd;

	pfd.fd = fd;
	pfd.events = events;
	if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
		err(1, "poll");
}

/* Child: send count messages of size bytes, keeping the queue short. */
static void __attribute__((noreturn))
writer(int fd, size_t size, uint64_t count)
{
	struct imsgbuf	 ibuf;
	unsigned char	*payload;
	uint64_t	 sent = 0;
	int		 rv;

	if ((payload = calloc(1, size)) == NULL)
		err(1, NULL);
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
		err(1, "fcntl");
	imsg_init(&ibuf, fd);

	while (sent < count || msgbuf_queuelen(&ibuf.w) > 0) {
		while (sent < count && msgbuf_queuelen(&ibuf.w) < BENCH_BATCH) {
			if (imsg_compose(&ibuf, 1, (uint32_t)sent, 0, -1,
			    payload, size) == -1)
				err(1, "imsg_compose");
			sent++;
		}
		rv = msgbuf_write(&ibuf.w);
		if (rv == 0)
			errx(1, "reader went away");
		if (rv == -1) {
			if (errno != EAGAIN)
				err(1, "msgbuf_write");
			wait_fd(fd, POLLOUT);
		}
	}
	imsg_clear(&ibuf);
	free(payload);
	_exit(0);
}

/* Parent: take count messages, checking each; return elapsed seconds. */
static double
reader(int fd, size_t size, uint64_t count, double start)
{
	struct imsgbuf	 ibuf;
	struct imsg	 imsg;
	uint64_t	 got = 0;
	ssize_t		 n;

	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
		err(1, "fcntl");
	imsg_init(&ibuf, fd);
	while (got < count) {
		n = imsg_read(&ibuf);
		if (n == 0)
			errx(1, "writer went away after %llu messages",
			    (unsigned long long)got);
		if (n == -1) {
			if (errno != EAGAIN)
				err(1, "imsg_read");
			wait_fd(fd, POLLIN);
			continue;
		}
		while ((n = imsg_get(&ibuf, &imsg)) > 0) {
			if (imsg.datalen != size ||
			    imsg_get_peerid(&imsg) != (uint32_t)got)
				errx(1, "message %llu is wrong",
				    (unsigned long long)got);
			imsg_free(&imsg);
			got++;
		}
		if (n == -1)
			err(1, "imsg_get");
	}
	imsg_clear(&ibuf);
	return now() - start;
}

static void
run(size_t size, uint64_t count)
{
	double	 start, secs;
	pid_t	 pid;
	int	 sv[2], status;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		err(1, "socketpair");
	start = now();
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		close(sv[1]);
		writer(sv[0], size, count);
	}
	close(sv[0]);
	secs = reader(sv[1], size, count, start);
	close(sv[1]);
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(1, "writer failed");

	printf("imsg %4zu B: %9.0f msg/s %8.1f MB/s  (%llu msgs, %.2f s)\n",
	    size, count / secs, count * (double)size / secs / 1e6,
	    (unsigned long long)count, secs);
	fflush(stdout);
}

int
main(int argc, char *argv[])
{
	static const struct {
		size_t		 size;
		uint64_t	 count;
	} sizes[] = {
		{ 64, 10000000 },
		{ 1024, 3000000 },
	};
	unsigned long long	 n = 0;
	char			*end;
	size_t			 i;

	if (argc > 2) {
		fprintf(stderr, "usage: imsg_bench [count]\n");
		return 1;
	}
	if (argc == 2) {
		errno = 0;
		n = strtoull(argv[1], &end, 10);
		if (errno != 0 || *end != '\0' || n == 0)
			errx(1, "bad count: %s", argv[1]);
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		run(sizes[i].size, n != 0 ? n : sizes[i].count);
	return 0;
}
