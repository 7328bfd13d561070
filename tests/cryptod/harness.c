/*
 * The fake parent and siblings of i2prd-cryptod; see harness.h.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <bsd/string.h>
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "harness.h"

static const enum proc_id siblings[] = { PROC_NETD, PROC_ROUTERD, PROC_TUNNELD };

static int
wait_type(struct imsgbuf *ib, uint32_t type)
{
	struct imsg	 imsg;
	struct pollfd	 pfd = { ib->fd, POLLIN, 0 };
	ssize_t		 n;

	for (;;) {
		if ((n = imsg_get(ib, &imsg)) == -1)
			return -1;
		if (n > 0) {
			n = imsg.hdr.type == type;
			imsg_free(&imsg);
			if (n)
				return 0;
			continue;
		}
		if (poll(&pfd, 1, 10000) != 1)
			return -1;
		if ((n = imsg_read(ib)) == 0 || (n == -1 && errno != EAGAIN))
			return -1;
	}
}

static void
exec_cryptod(int fd, const char *prog, const char *statedir)
{
	const char	*user;

	dup2(fd, I2PRD_CHILD_FD);
	if (fd != I2PRD_CHILD_FD)
		close(fd);
	user = geteuid() == 0 ? "root" : getpwuid(geteuid())->pw_name;
	execl(prog, "i2prd-cryptod", "-d", "-u", user, "-s", statedir,
	    (char *)NULL);
	_exit(127);
}

static int
send_links(struct harness *h)
{
	struct proc_link	link;
	struct mesh_hello	hello;
	size_t			i;
	int			sv[2];

	for (i = 0; i < sizeof(siblings) / sizeof(siblings[0]); i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
			return -1;
		link.peer = siblings[i];
		imsg_compose(&h->parent, IMSG_SOCKET_CONN, 0, 0, sv[0], &link,
		    sizeof(link));
		imsg_init(&h->link[siblings[i]], sv[1]);
		hello.from = siblings[i];
		hello.pid = getpid();
		imsg_compose(&h->link[siblings[i]], IMSG_MESH_HELLO, 0, 0, -1,
		    &hello, sizeof(hello));
		if (imsg_flush(&h->link[siblings[i]]) == -1)
			return -1;
	}
	imsg_compose(&h->parent, IMSG_SOCKET_DONE, 0, 0, -1, NULL, 0);
	return 0;
}

static void
send_conf(struct harness *h)
{
	struct i2prd_conf	*conf;
	struct conf_msg		 cm;

	/* the defaults as the parent has them, and the test's paths */
	if ((conf = conf_new()) == NULL)
		abort();
	strlcpy(conf->statedir, h->statedir, sizeof(conf->statedir));
	strlcpy(conf->user, "test", sizeof(conf->user));
	strlcpy(conf->csock, "/nonexistent", sizeof(conf->csock));
	strlcpy(conf->pidfile, "/nonexistent", sizeof(conf->pidfile));
	conf->netid = 99;
	conf->log_level = LOG_WARNING;
	conf_to_msg(conf, 0, &cm);
	conf_free(conf);
	imsg_compose(&h->parent, IMSG_RECONF_CONF, 0, 0, -1, &cm, sizeof(cm));
	imsg_compose(&h->parent, IMSG_RECONF_DONE, 0, 0, -1, NULL, 0);
}

int
harness_start(struct harness *h, const char *prog, const char *statedir)
{
	size_t	i;
	int	sv[2];

	memset(h, 0, sizeof(*h));
	strlcpy(h->statedir, statedir, sizeof(h->statedir));
	signal(SIGPIPE, SIG_IGN);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return -1;
	if ((h->pid = fork()) == -1)
		return -1;
	if (h->pid == 0) {
		close(sv[0]);
		exec_cryptod(sv[1], prog, statedir);
	}
	close(sv[1]);
	imsg_init(&h->parent, sv[0]);
	if (send_links(h) == -1)
		return -1;
	send_conf(h);
	if (imsg_flush(&h->parent) == -1 ||
	    wait_type(&h->parent, IMSG_CHILD_READY) == -1)
		return -1;
	for (i = 0; i < sizeof(siblings) / sizeof(siblings[0]); i++)
		if (wait_type(&h->link[siblings[i]], IMSG_MESH_HELLO) == -1)
			return -1;
	return 0;
}

int
harness_stop(struct harness *h)
{
	size_t	i;
	int	status = -1;

	for (i = 0; i < sizeof(siblings) / sizeof(siblings[0]); i++) {
		imsg_clear(&h->link[siblings[i]]);
		close(h->link[siblings[i]].fd);
	}
	imsg_clear(&h->parent);
	close(h->parent.fd);
	if (h->pid > 0)
		waitpid(h->pid, &status, 0);
	return status;
}

int
harness_send(struct harness *h, enum proc_id from, uint32_t type,
    uint32_t reqid, const void *data, size_t len)
{
	if (imsg_compose(&h->link[from], type, reqid, 0, -1, data, len) == -1)
		return -1;
	return imsg_flush(&h->link[from]);
}

int
harness_flush(struct harness *h, enum proc_id from)
{
	return imsg_flush(&h->link[from]);
}

int
harness_recv(struct harness *h, enum proc_id on, struct imsg *imsg)
{
	struct imsgbuf	*ib = &h->link[on];
	struct pollfd	 pfd = { ib->fd, POLLIN, 0 };
	ssize_t		 n;

	for (;;) {
		if ((n = imsg_get(ib, imsg)) == -1)
			return -1;
		if (n > 0)
			return 0;
		if (poll(&pfd, 1, 10000) != 1)
			return -1;
		if ((n = imsg_read(ib)) == 0 || (n == -1 && errno != EAGAIN))
			return -1;
	}
}
