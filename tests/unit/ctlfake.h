/*
 * A fake routerd for the i2pctl tests: i2pctl's end and routerd's of a
 * socketpair, replies queued in full before the reply loop runs (they
 * fit in the socket buffer), the output back-ends writing to memory.
 */
#ifndef I2PRD_TESTS_CTLFAKE_H
#define I2PRD_TESTS_CTLFAKE_H

#include <sys/socket.h>
#include <sys/wait.h>

#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"
#include "../../i2pctl/i2pctl.h"

struct fake {
	int		 sv[2];		/* [0] i2pctl, [1] routerd */
	struct imsgbuf	 cli;
	struct imsgbuf	 srv;
	FILE		*out, *err;
	char		*outbuf, *errbuf;
	size_t		 outlen, errlen;
};

static inline void
fake_open(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, f->sv), 0);
	imsg_init(&f->cli, f->sv[0]);
	imsg_init(&f->srv, f->sv[1]);
	f->out = open_memstream(&f->outbuf, &f->outlen);
	f->err = open_memstream(&f->errbuf, &f->errlen);
	output_setfiles(f->out, f->err);
	output_json_pretty(0);
}

static inline void
fake_send(struct fake *f, uint32_t type, const void *data, size_t len)
{
	/* imsg_compose returns 1 on success, as OpenBSD's does */
	ck_assert_int_ne(imsg_compose(&f->srv, type, 0, 0, -1, data, len),
	    -1);
	ck_assert_int_eq(imsg_flush(&f->srv), 0);
}

static inline void
fake_close(struct fake *f)
{
	imsg_clear(&f->cli);
	close(f->sv[0]);
	if (f->sv[1] != -1) {
		imsg_clear(&f->srv);
		close(f->sv[1]);
	}
	free(f->outbuf);
	free(f->errbuf);
}

/* the child of fake_many: n rows, END, gone (the reader may stop) */
static inline void
fake_many_send(struct fake *f, uint32_t type, const void *row, size_t len,
    size_t n)
{
	size_t	i;

	signal(SIGPIPE, SIG_IGN);
	close(f->sv[0]);
	for (i = 0; i < n; i++)
		if (imsg_compose(&f->srv, type, 0, 0, -1, row, len) == -1 ||
		    imsg_flush(&f->srv) == -1)
			_exit(0);
	if (imsg_compose(&f->srv, IMSG_CTL_END, 0, 0, -1, NULL, 0) != -1)
		(void)imsg_flush(&f->srv);
	_exit(0);
}

/*
 * A reply of n rows of type, then END, read by run(f, arg): the rows
 * outgrow the socket buffer, so a child sends them.  run's result; f
 * is open for fake_close afterwards.
 */
static inline int
fake_many(struct fake *f, uint32_t type, const void *row, size_t len,
    size_t n, int (*run)(struct fake *, void *), void *arg)
{
	pid_t	 pid;
	int	 rv, status;

	fake_open(f);
	if ((pid = fork()) == 0)
		fake_many_send(f, type, row, len, n);
	ck_assert_int_ne(pid, -1);
	imsg_clear(&f->srv);
	close(f->sv[1]);
	f->sv[1] = -1;
	rv = run(f, arg);
	/* the child may still be writing what we no longer read */
	imsg_clear(&f->cli);
	close(f->sv[0]);
	f->sv[0] = open("/dev/null", O_RDONLY);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return rv;
}

#endif /* I2PRD_TESTS_CTLFAKE_H */
