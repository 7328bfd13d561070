/*
 * Reseed host names, resolved for the parent by a child of its own
 * that runs as the unprivileged user (audit #14): DNS answers come from
 * the network, and glibc's parsing of them must not run as root, nor
 * may a slow resolver hold the supervisor's event loop.  One lookup at
 * a time; the child writes its answer (the addresses, or why not)
 * down a pipe and exits, and the SIGCHLD handler reaps it.  The
 * network-facing children cannot do it: they are chrooted away from
 * /etc/resolv.conf and have no UDP.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <netdb.h>

#include <bsd/string.h>
#include <bsd/unistd.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "parent.h"
#include "url.h"

#define RESOLVE_TIMEOUT		30	/* s the child may take */

struct resolve_answer {
	int32_t			 ok;
	char			 why[96];
	uint32_t		 naddrs;
	struct listen_msg	 addrs[NET_FETCH_ADDRS];
};

static struct event	 ev_answer;
static int		 busy, answer_fd = -1;
static resolve_cb	 done_cb;
static void		*done_arg;

/* in the child: the user's uid, no core, then the lookup */
static void
resolve_child(int fd, const char *user, const char *host, unsigned port)
{
	struct resolve_answer	 a;
	struct addrinfo		 hints, *res, *ai;
	struct passwd		*pw;
	struct rlimit		 rl = { 0, 0 };
	char			 sport[8];
	int			 rv;

	memset(&a, 0, sizeof(a));
	(void)setrlimit(RLIMIT_CORE, &rl);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (geteuid() == 0 && ((pw = getpwnam(user)) == NULL ||
	    setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1))
		_exit(1);	/* the parent sees end of file: failed */
	alarm(RESOLVE_TIMEOUT);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(sport, sizeof(sport), "%u", port);
	if ((rv = getaddrinfo(host, sport, &hints, &res)) != 0) {
		strlcpy(a.why, gai_strerror(rv), sizeof(a.why));
	} else {
		for (ai = res; ai != NULL && a.naddrs < NET_FETCH_ADDRS;
		    ai = ai->ai_next)
			if (ai->ai_family == AF_INET ||
			    ai->ai_family == AF_INET6)
				listen_to_msg((struct sockaddr_storage *)
				    ai->ai_addr, &a.addrs[a.naddrs++]);
		freeaddrinfo(res);
		a.ok = a.naddrs > 0;
		strlcpy(a.why, "no address", sizeof(a.why));
	}
	(void)write(fd, &a, sizeof(a));
	_exit(0);
}

static void
resolve_finish(int ok, const struct resolve_answer *a, const char *why)
{
	resolve_cb	cb = done_cb;

	event_del(&ev_answer);
	close(answer_fd);
	answer_fd = -1;
	busy = 0;
	done_cb = NULL;
	cb(done_arg, ok ? a->addrs : NULL, ok ? a->naddrs : 0, why);
}

static void
resolve_read(int fd, short event, void *arg)
{
	struct resolve_answer	a;
	ssize_t			n;

	if (event & EV_TIMEOUT) {
		resolve_finish(0, NULL, "resolver timed out");
		return;
	}
	do
		n = read(fd, &a, sizeof(a));
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof(a)) {
		resolve_finish(0, NULL, "resolver failed");
		return;
	}
	a.why[sizeof(a.why) - 1] = '\0';
	if (a.naddrs > NET_FETCH_ADDRS)
		a.naddrs = NET_FETCH_ADDRS;
	resolve_finish(a.ok && a.naddrs > 0, &a, a.why);
}

int
resolve_start(const char *user, const char *host, unsigned port,
    resolve_cb cb, void *arg)
{
	struct timeval	 tv = { RESOLVE_TIMEOUT + 5, 0 };
	int		 p[2];
	pid_t		 pid;

	if (busy)
		return -1;
	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		if (p[1] != 3 && dup2(p[1], 3) == -1)
			_exit(1);
		closefrom(4);
		signal(SIGPIPE, SIG_IGN);
		resolve_child(3, user, host, port);
	}
	close(p[1]);
	busy = 1;
	answer_fd = p[0];
	done_cb = cb;
	done_arg = arg;
	event_set(&ev_answer, answer_fd, EV_READ, resolve_read, NULL);
	event_add(&ev_answer, &tv);
	return 0;
}

void
resolve_shutdown(void)
{
	if (!busy)
		return;
	event_del(&ev_answer);
	close(answer_fd);
	answer_fd = -1;
	busy = 0;
	done_cb = NULL;
}
