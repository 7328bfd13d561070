/*
 * The parent's side of the children: exec each with its socketpair end
 * on fd 3, hand them the links to each other, stream them the
 * configuration, and stop them in order.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <bsd/string.h>
#include <bsd/unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "parent.h"

/* socket buffers larger than the default, for batched I2NP traffic */
#define CHILD_SOCKBUF	(1024 * 1024)
/* how long a child may take to exit once its link is closed */
#define CHILD_STOP_WAIT_MS	5000

static struct child	 children[PROC_MAX];
/* the order of an orderly stop: clients first, keys last */
static const enum proc_id stop_order[] = {
	PROC_TUNNELD, PROC_ROUTERD, PROC_NETD, PROC_CRYPTOD
};

static void	parent_dispatch_child(struct peer *, struct imsg *);

static void
child_link_closed(struct peer *p)
{
	struct child	*c = p->arg;

	peer_close(p);
	parent_child_lost(c, -1);
}

static void
socketpair_tune(int fd)
{
	int	size = CHILD_SOCKBUF;

	/* a smaller buffer only costs throughput: failure is not fatal */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) == -1)
		log_debug("socket buffer size: %s", strerror(errno));
}

static __attribute__((noreturn)) void
child_exec(enum proc_id id, int fd, const char *libexec, int foreground,
    int verbose)
{
	char		 path[CONF_PATHLEN];
	const char	*argv[10];
	int		 argc = 0;

	if (fd == I2PRD_CHILD_FD) {
		if (fcntl(fd, F_SETFD, 0) == -1)
			_exit(127);
	} else if (dup2(fd, I2PRD_CHILD_FD) == -1)
		_exit(127);
	closefrom(I2PRD_CHILD_FD + 1);
	snprintf(path, sizeof(path), "%s/%s", libexec, proc_progname(id));
	argv[argc++] = proc_progname(id);
	if (foreground)
		argv[argc++] = "-d";
	if (verbose)
		argv[argc++] = "-v";
	argv[argc++] = "-u";
	argv[argc++] = parent_conf->user;
	argv[argc++] = "-s";
	argv[argc++] = parent_conf->statedir;
	argv[argc] = NULL;
	execv(path, (char *const *)argv);
	log_warn("exec %s", path);
	_exit(127);
}

void
children_start(const char *libexec, int foreground, int verbose)
{
	struct child	*c;
	int		 sv[2], id;

	for (id = PROC_CHILD_FIRST; id <= PROC_CHILD_LAST; id++) {
		c = &children[id];
		c->id = id;
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
			fatal("socketpair");
		socketpair_tune(sv[0]);
		socketpair_tune(sv[1]);
		if (fcntl(sv[0], F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(sv[0], F_SETFD, FD_CLOEXEC) == -1)
			fatal("fcntl");
		switch (c->pid = fork()) {
		case -1:
			fatal("fork");
		case 0:
			close(sv[0]);
			child_exec(id, sv[1], libexec, foreground, verbose);
		}
		close(sv[1]);
		peer_init(&c->peer, sv[0], PROC_PARENT, id,
		    parent_dispatch_child, child_link_closed, c);
		peer_register(&c->peer);
		log_debug("started %s, pid %d", proc_name(id), (int)c->pid);
	}
}

/* one socketpair per pair of children that talk, an end to each */
void
children_links(void)
{
	struct proc_link	 link;
	int			 a, b, sv[2];

	for (a = PROC_CHILD_FIRST; a <= PROC_CHILD_LAST; a++) {
		for (b = a + 1; b <= PROC_CHILD_LAST; b++) {
			if ((proc_links(a) & PROC_BIT(b)) == 0)
				continue;
			if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
			    SOCK_CLOEXEC, 0, sv) == -1)
				fatal("socketpair");
			socketpair_tune(sv[0]);
			socketpair_tune(sv[1]);
			link.peer = b;
			peer_compose(&children[a].peer, IMSG_SOCKET_CONN, 0,
			    sv[0], &link, sizeof(link));
			link.peer = a;
			peer_compose(&children[b].peer, IMSG_SOCKET_CONN, 0,
			    sv[1], &link, sizeof(link));
		}
	}
	children_broadcast(IMSG_SOCKET_DONE, NULL, 0);
}

void
children_send_conf(const struct i2prd_conf *conf, uint32_t generation)
{
	struct conf_msg		 cm;
	struct listen_msg	 lm;
	struct listen_addr	*la;
	int			 id, i;

	conf_to_msg(conf, generation, &cm);
	for (id = PROC_CHILD_FIRST; id <= PROC_CHILD_LAST; id++)
		children[id].acked = 0;
	children_broadcast(IMSG_RECONF_CONF, &cm, sizeof(cm));
	TAILQ_FOREACH(la, &conf->listen, entry) {
		listen_to_msg(&la->ss, &lm);
		lm.transport = la->transport;
		children_broadcast(IMSG_RECONF_LISTEN, &lm, sizeof(lm));
	}
	/* the tunnel lines: tunneld's alone */
	for (i = 0; i < conf->nproxies; i++)
		peer_compose(&children[PROC_TUNNELD].peer, IMSG_RECONF_PROXY,
		    0, -1, &conf->proxies[i], sizeof(conf->proxies[i]));
	peer_compose(&children[PROC_TUNNELD].peer, IMSG_RECONF_ADDRBOOK, 0, -1,
	    &conf->addrbook, sizeof(conf->addrbook));
	children_broadcast(IMSG_RECONF_DONE, NULL, 0);
}

struct peer *
child_peer(enum proc_id id)
{
	return &children[id].peer;
}

void
children_send_control(int fd, const struct proc_info *pi)
{
	struct peer	*p = &children[PROC_ROUTERD].peer;

	peer_compose(p, IMSG_CONTROL_FD, 0, fd, NULL, 0);
	peer_compose(p, IMSG_PROC_INFO, 0, -1, pi, sizeof(*pi));
}

void
children_broadcast(uint32_t type, const void *data, size_t len)
{
	int	id;

	for (id = PROC_CHILD_FIRST; id <= PROC_CHILD_LAST; id++)
		peer_compose(&children[id].peer, type, 0, -1, data, len);
}

int
children_all_ready(void)
{
	int	id;

	for (id = PROC_CHILD_FIRST; id <= PROC_CHILD_LAST; id++)
		if (!children[id].ready || !children[id].acked)
			return 0;
	return 1;
}

pid_t
child_pid(enum proc_id id)
{
	if (id < PROC_CHILD_FIRST || id > PROC_CHILD_LAST)
		return 0;
	return children[id].pid;
}

struct child *
child_by_pid(pid_t pid)
{
	int	id;

	for (id = PROC_CHILD_FIRST; id <= PROC_CHILD_LAST; id++)
		if (children[id].pid == pid && pid > 0)
			return &children[id];
	return NULL;
}

static void
child_log_status(struct child *c, int status)
{
	if (WIFSIGNALED(status))
		log_warnx("%s (pid %d) terminated by signal %d",
		    proc_name(c->id), (int)c->pid, WTERMSIG(status));
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		log_warnx("%s (pid %d) exited with status %d",
		    proc_name(c->id), (int)c->pid, WEXITSTATUS(status));
	else
		log_debug("%s (pid %d) exited", proc_name(c->id), (int)c->pid);
}

/* reaps any child that has exited; returns 1 if one did */
int
children_reap(void)
{
	struct child	*c;
	pid_t		 pid;
	int		 status, any = 0;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if ((c = child_by_pid(pid)) == NULL)
			continue;
		child_log_status(c, status);
		c->pid = 0;
		any = 1;
	}
	return any;
}

static void
child_wait(struct child *c)
{
	struct timespec	 tick = { 0, 10 * 1000 * 1000 };
	int		 ms;

	for (ms = 0; c->pid != 0 && ms < CHILD_STOP_WAIT_MS; ms += 10) {
		children_reap();
		if (c->pid != 0)
			nanosleep(&tick, NULL);
	}
	if (c->pid != 0) {
		log_warnx("%s (pid %d) did not stop, killing it",
		    proc_name(c->id), (int)c->pid);
		kill(c->pid, SIGKILL);
		while (c->pid != 0 && children_reap() >= 0 &&
		    waitpid(c->pid, NULL, 0) == -1 && errno == EINTR)
			;
		c->pid = 0;
	}
}

/*
 * Closing a child's link is its signal to stop (it sees end of file);
 * stop them one at a time in stop_order.
 */
void
children_stop(void)
{
	struct child	*c;
	size_t		 i;

	for (i = 0; i < sizeof(stop_order) / sizeof(stop_order[0]); i++) {
		c = &children[stop_order[i]];
		if (c->peer.ibuf.fd != -1) {
			imsg_flush(&c->peer.ibuf);
			peer_close(&c->peer);
		}
		if (c->pid != 0)
			child_wait(c);
	}
}

static void
parent_ctl_result(struct peer *p, uint32_t connid, int code, const char *msg)
{
	struct ctl_result	r;

	memset(&r, 0, sizeof(r));
	r.code = code;
	strlcpy(r.msg, msg, sizeof(r.msg));
	peer_compose(p, IMSG_CTL_RESULT, connid, -1, &r, sizeof(r));
}

static void
parent_dispatch_child(struct peer *p, struct imsg *imsg)
{
	struct child		*c = p->arg;
	struct ctl_log_verbose	 v;
	struct reseed_req	 rr;
	char			 msg[256];
	int			 code;

	switch (imsg_get_type(imsg)) {
	case IMSG_CHILD_READY:
		c->ready = 1;
		if (children_all_ready())
			parent_startup_complete();
		break;
	case IMSG_RECONF_ACK:
		c->acked = 1;
		if (children_all_ready())
			parent_startup_complete();
		break;
	case IMSG_RESEED_REQUEST:
		if (imsg_get_data(imsg, &rr, sizeof(rr)) == -1)
			fatalx("RESEED_REQUEST: bad length");
		parent_reseed_request(&rr);
		break;
	case IMSG_CTL_RELOAD:
		code = parent_reload(msg, sizeof(msg));
		parent_ctl_result(p, imsg_get_peerid(imsg), code, msg);
		break;
	case IMSG_CTL_LOG_VERBOSE:
		if (imsg_get_data(imsg, &v, sizeof(v)) == -1)
			fatalx("CTL_LOG_VERBOSE: bad length");
		parent_log_verbose(v.verbose != 0);
		parent_ctl_result(p, imsg_get_peerid(imsg), 0,
		    v.verbose ? "logging verbose" : "logging brief");
		break;
	default:
		fatalx("unexpected imsg %s from %s",
		    imsg_type_name(imsg_get_type(imsg)), proc_name(p->id));
	}
}
