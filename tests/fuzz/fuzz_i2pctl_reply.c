/*
 * libFuzzer target: i2pctl's reply loop (ctl_replies in i2pctl/client.c),
 * which reads whatever routerd sends on the control socket.
 *
 * Byte 0 of the input chooses the back-end (bit 3: JSON, bit 4:
 * indented), whether an fd rides on the first byte of the replies (bit
 * 5) and whether routerd hangs up after them (bit 6); bit 7 runs show
 * metrics instead (ctl_metrics: each view asked in turn, the metrics
 * back-end).  Byte 1 chooses the request i2pctl is waiting on: 1 + b %
 * AB_COUNTS of enum actions, so every request but NONE, new ones
 * included as long as AB_COUNTS stays last (three bits of byte 0 did
 * this once and reached the first eight only).  The rest is written as the
 * routerd end of a socketpair, as in tests/unit/test_i2pctl_client.c.
 * The loop runs with a zero timeout, so it returns as soon as it has
 * consumed what was sent.  What it prints goes to /dev/null; its
 * warnings go to stderr (run with -close_fd_mask=2).
 *
 * Checked beyond the sanitizers: the result is one of -1, 0, 1 and
 * nothing leaks (fds are counted in /proc/self/fd around each input).
 */
#include <sys/socket.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "imsg.h"
#include "log.h"
#include "../../i2pctl/i2pctl.h"
#include "fuzz.h"

/* more than this is not a reply; it also fits any socket buffer */
#define MAXINPUT	(64 * 1024)

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static FILE	*devnull;
static int	 errfd = STDERR_FILENO;

static void
die(const char *what)
{
	dprintf(errfd, "fuzz_i2pctl_reply: %s\n", what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	/* as i2pctl's main: proc_check_imsg explains refusals via log.c */
	log_init(1, LOG_USER);
	log_procinit("i2pctl");
	/* show metrics writes its requests to a routerd that may be gone */
	signal(SIGPIPE, SIG_IGN);
	if ((devnull = fopen("/dev/null", "we")) == NULL)
		die("/dev/null");
	output_setfiles(devnull, devnull);
	return 0;
}

/* write it all, with fd (if not -1) on the first byte */
static void
send_all(int s, const uint8_t *p, size_t n, int fd)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct msghdr		 msg;
	struct cmsghdr		*cmsg;
	struct iovec		 iov;
	ssize_t			 w;

	while (n > 0) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = (void *)(uintptr_t)p;
		iov.iov_len = n;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if (fd != -1) {
			memset(&cmsgbuf, 0, sizeof(cmsgbuf));
			msg.msg_control = cmsgbuf.buf;
			msg.msg_controllen = sizeof(cmsgbuf.buf);
			cmsg = CMSG_FIRSTHDR(&msg);
			cmsg->cmsg_level = SOL_SOCKET;
			cmsg->cmsg_type = SCM_RIGHTS;
			cmsg->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
		}
		/* blocking: the buffer was made big enough for MAXINPUT */
		if ((w = sendmsg(s, &msg, MSG_NOSIGNAL)) <= 0)
			die("sendmsg");
		fd = -1;
		p += w;
		n -= (size_t)w;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_result		 res;
	struct imsgbuf			 ibuf;
	const struct output		*out;
	int				 sv[2], fd = -1, base, rv;
	int				 bufsz = 4 * MAXINPUT;
	uint8_t				 mode, action;

	if (size < 2 || size > MAXINPUT)
		return 0;
	mode = data[0];
	action = data[1];
	data += 2;
	size -= 2;

	base = fuzz_count_fds();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		die("socketpair");
	(void)setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	(void)setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	imsg_init(&ibuf, sv[0]);

	memset(&res, 0, sizeof(res));
	res.action = (enum actions)(1 + action % AB_COUNTS);
	out = mode & 8 ? &json_output : &text_output;
	output_json_pretty((mode & 16) != 0);
	if ((mode & 32) && size > 0 &&
	    (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		die("open /dev/null");

	send_all(sv[1], data, size, fd);
	if (fd != -1)
		close(fd);
	if (mode & 64) {
		/* routerd hangs up: the loop ends at EOF */
		close(sv[1]);
		sv[1] = -1;
	}

	if (mode & 128)
		rv = ctl_metrics(&ibuf, &metrics_output, 0);
	else
		rv = ctl_replies(&ibuf, &res, out, 0);
	if (rv != -1 && rv != 0 && rv != 1)
		die("ctl_replies result");

	imsg_clear(&ibuf);
	close(sv[0]);
	if (sv[1] != -1)
		close(sv[1]);
	if (fuzz_count_fds() != base)
		die("file descriptor leak");
	return 0;
}
