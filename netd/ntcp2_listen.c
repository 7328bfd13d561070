/*
 * Listening sockets for NTCP2, one per "listen on" of the configuration.
 * On every reload the set is compared with what is open: sockets no
 * longer configured close, new ones open, the rest stay (and keep their
 * connections).  An address that cannot be bound (not yet configured on
 * the host, say) is logged and tried again at the next reload; it does
 * not stop netd.  Accepted connections go to ntcp2_accept, and the
 * session layer applies its limits.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "netd.h"
#include "ntcp2_io.h"

#define LISTEN_BACKLOG		128
#define LISTEN_BURST		16	/* accepts per event */
#define LISTEN_PAUSE		1	/* s not accepting, out of fds */

struct listener {
	TAILQ_ENTRY(listener)	 entry;
	struct sockaddr_storage	 ss;
	int			 fd;
	int			 seen;	/* in the new configuration */
	struct event		 ev, ev_pause;
};

static TAILQ_HEAD(, listener)	 listeners =
    TAILQ_HEAD_INITIALIZER(listeners);

static socklen_t
listen_sslen(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
}

static const char *
listen_name(const struct sockaddr_storage *ss)
{
	static char			 buf[INET6_ADDRSTRLEN + 16];
	char				 host[INET6_ADDRSTRLEN];
	const struct sockaddr_in	*sin = (const void *)ss;
	const struct sockaddr_in6	*sin6 = (const void *)ss;

	if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		snprintf(buf, sizeof(buf), "%s port %u", host,
		    ntohs(sin6->sin6_port));
	} else {
		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(buf, sizeof(buf), "%s port %u", host,
		    ntohs(sin->sin_port));
	}
	return buf;
}

static int
listen_same(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	return a->ss_family == b->ss_family &&
	    memcmp(a, b, listen_sslen(a)) == 0;
}

static void
listen_accept(int fd, short event, void *arg)
{
	struct listener		*l = arg;
	struct sockaddr_storage	 ss;
	struct timeval		 pause = { LISTEN_PAUSE, 0 };
	socklen_t		 len;
	int			 i, s;

	if (event & EV_TIMEOUT) {
		event_add(&l->ev, NULL);
		return;
	}
	for (i = 0; i < LISTEN_BURST; i++) {
		len = sizeof(ss);
		memset(&ss, 0, sizeof(ss));
		if ((s = accept4(l->fd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
			if (errno == ENFILE || errno == EMFILE) {
				log_warnx("out of descriptors: not accepting "
				    "for %d s", LISTEN_PAUSE);
				event_del(&l->ev);
				evtimer_add(&l->ev_pause, &pause);
				return;
			}
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN)
				log_warn("accept %s", listen_name(&l->ss));
			return;
		}
		ntcp2_accept(s, &ss);
	}
}

static int
listen_open(struct listener *l)
{
	int	 one = 1;

	if ((l->fd = socket(l->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 ||
	    (l->ss.ss_family == AF_INET6 && setsockopt(l->fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &one, sizeof(one)) == -1) ||
	    bind(l->fd, (struct sockaddr *)&l->ss, listen_sslen(&l->ss)) ==
	    -1 || listen(l->fd, LISTEN_BACKLOG) == -1) {
		close(l->fd);
		l->fd = -1;
		return -1;
	}
	event_set(&l->ev, l->fd, EV_READ | EV_PERSIST, listen_accept, l);
	event_add(&l->ev, NULL);
	evtimer_set(&l->ev_pause, listen_accept, l);
	return 0;
}

static void
listen_close(struct listener *l)
{
	log_info("no longer listening on %s", listen_name(&l->ss));
	event_del(&l->ev);
	evtimer_del(&l->ev_pause);
	close(l->fd);
	TAILQ_REMOVE(&listeners, l, entry);
	free(l);
}

static void
listen_add(const struct sockaddr_storage *ss)
{
	struct listener	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL) {
		log_warn("listener");
		return;
	}
	l->ss = *ss;
	if (listen_open(l) == -1) {
		log_warn("cannot listen on %s", listen_name(ss));
		free(l);
		return;
	}
	l->seen = 1;
	TAILQ_INSERT_TAIL(&listeners, l, entry);
	log_info("listening on %s", listen_name(ss));
}

void
ntcp2_listen_reconf(const struct i2prd_conf *conf)
{
	struct listen_addr	*la;
	struct listener		*l, *next;

	TAILQ_FOREACH(l, &listeners, entry)
		l->seen = 0;
	TAILQ_FOREACH(la, &conf->listen, entry) {
		if (la->transport != LISTEN_NTCP2)
			continue;
		TAILQ_FOREACH(l, &listeners, entry)
			if (listen_same(&l->ss, &la->ss))
				break;
		if (l != NULL)
			l->seen = 1;
		else
			listen_add(&la->ss);
	}
	for (l = TAILQ_FIRST(&listeners); l != NULL; l = next) {
		next = TAILQ_NEXT(l, entry);
		if (!l->seen)
			listen_close(l);
	}
}

void
ntcp2_listen_close_all(void)
{
	struct listener	*l;

	while ((l = TAILQ_FIRST(&listeners)) != NULL)
		listen_close(l);
}
