/*
 * The subscription fetcher: each subscribed feed, once every `every'
 * minutes and when i2pctl asks, fetched with a conditional GET through
 * one of tunneld's own HTTP proxy tunnels (as the Java router's address
 * book fetches through its proxy), so the request goes over I2P with
 * the proxy's name resolution, lookups, limits and error pages, and
 * this file needs no stream code of its own.  One fetch at a time; an
 * answer is bounded (SUB_ANSWER_MAX) and timed (SUB_FETCH_WAIT).  A
 * new feed is applied in slices of SUB_APPLY_SLICE bytes, one per turn
 * of the event loop (a 16 MB feed takes half a second to apply, which
 * the streams should not wait for), then addrbook_recorded keeps the
 * subscription's state on disk, so a restart does not fetch again
 * before the time.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <bsd/string.h>
#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addrbook.h"
#include "encoding.h"
#include "log.h"

#define SUB_FIRST_WAIT	120		/* s after start: tunnels first */
#define SUB_RETRY	(30 * 60)	/* s after a failed fetch, at most */
#define SUB_FETCH_WAIT	300		/* s for one whole fetch */
#define SUB_ANSWER_MAX	(16 * 1024 * 1024)
#define SUB_READ_CHUNK	65536
#define SUB_APPLY_SLICE	(256 * 1024)	/* ~500 lines, ~10 ms */

struct sub {
	struct ab_sub	 s;
	time_t		 next;		/* due then */
	char		 err[SUB_ERR_MAX];	/* of the last fetch, "" */
};

static struct addrbook_conf	 conf;
static struct sub		 subs[SUBS_MAX];
static int			 nsubs;
static struct sockaddr_storage	 proxy_ss;	/* family 0: no proxy */
static char			 proxy_auth[B64_ENCLEN(PROXY_USER_MAX +
				    PROXY_PASSWORD_MAX + 1)];
static uint64_t			 fetches, failures;

/* the fetch under way: cur -1 when none */
static struct {
	int		 cur;
	int		 fd;
	struct event	 ev;
	int		 ev_set;
	int		 sent;		/* the whole request is out */
	char		 req[SUB_URL_MAX * 2 + 1024];
	size_t		 reqlen, reqoff;
	uint8_t		*buf;
	size_t		 len, cap;
	time_t		 started;
	/* a 200's body being applied: from off to end of buf */
	struct event	 apply_ev;
	int		 applying;
	struct ab_answer ans;
	size_t		 off, end;
	struct ab_counts counts;
} f = { .cur = -1, .fd = -1 };

static void	fetch_cb(int, short, void *);

static void
fetch_close_fd(void)
{
	if (f.ev_set)
		event_del(&f.ev);
	f.ev_set = 0;
	if (f.fd != -1)
		close(f.fd);
	f.fd = -1;
}

static void
fetch_close(void)
{
	fetch_close_fd();
	if (f.applying)
		evtimer_del(&f.apply_ev);
	f.applying = 0;
	free(f.buf);
	f.buf = NULL;
	f.len = f.cap = 0;
	f.cur = -1;
}

/*
 * The fetch ended: with an answer (200 with its body applied, 304, or
 * another status) or without one (status 0), why it failed if it did
 */
static void
fetch_end(int status, const struct ab_answer *a, const struct ab_counts *c,
    const char *why, time_t now)
{
	struct sub		*sb = &subs[f.cur];
	struct ab_counts	 none;

	if (c == NULL) {
		memset(&none, 0, sizeof(none));
		c = &none;
	}
	strlcpy(sb->err, why != NULL ? why : "", sizeof(sb->err));
	addrbook_recorded(&sb->s, status, a != NULL && a->etag[0] ?
	    a->etag : NULL, a != NULL && a->lastmod[0] ? a->lastmod : NULL,
	    now, c);
	fetches++;
	if (status == 200 || status == 304) {
		sb->next = now + (time_t)conf.every * 60;
		log_info("address book: %s: %d, %u added, %u conflicts, "
		    "%u bad lines, %u commands applied, %u refused",
		    sb->s.url, status, c->added, c->conflicts,
		    ab_counts_bad(c), c->applied, ab_counts_refused(c));
	} else {
		failures++;
		sb->next = now + (conf.every * 60 < SUB_RETRY ?
		    (time_t)conf.every * 60 : SUB_RETRY);
		log_info("address book: %s: %s", sb->s.url,
		    why != NULL ? why : "failed");
	}
	fetch_close();
}

/* one slice of the body, ending at a line's end; then the next turn */
static void
apply_cb(int fd, short what, void *arg)
{
	struct timeval	 tv = { 0, 0 };
	const uint8_t	*nl;
	size_t		 end;

	(void)fd;
	(void)what;
	(void)arg;
	end = f.end - f.off > SUB_APPLY_SLICE ? f.off + SUB_APPLY_SLICE :
	    f.end;
	if (end < f.end && (nl = memchr(f.buf + end, '\n', f.end - end)) !=
	    NULL)
		end = nl - f.buf + 1;
	else if (end < f.end)
		end = f.end;
	ab_apply(addrbook(), AB_SUBSCRIBED, f.buf + f.off, end - f.off,
	    &f.counts);
	f.off = end;
	if (f.off < f.end) {
		evtimer_add(&f.apply_ev, &tv);
		return;
	}
	fetch_end(200, &f.ans, &f.counts, NULL, time(NULL));
}

static void
apply_start(const struct ab_answer *a)
{
	struct timeval	tv = { 0, 0 };

	fetch_close_fd();
	f.ans = *a;
	f.off = a->body_off;
	f.end = a->body_off + a->body_len;
	memset(&f.counts, 0, sizeof(f.counts));
	f.applying = 1;
	evtimer_set(&f.apply_ev, apply_cb, NULL);
	evtimer_add(&f.apply_ev, &tv);
}

static void
fetch_done(int status, const struct ab_answer *a, const char *why,
    time_t now)
{
	fetch_end(status, a, NULL, why, now);
}

/* the connection ended: the answer is whole */
static void
fetch_answer(time_t now)
{
	struct ab_answer	 a;
	const char		*why;
	char			 msg[SUB_ERR_MAX];

	if (ab_answer_parse(f.buf, f.len, &a, &why) == -1) {
		fetch_done(0, NULL, why, now);
		return;
	}
	if (a.status == 200) {
		apply_start(&a);
		return;
	}
	if (a.status == 304) {
		fetch_done(a.status, &a, NULL, now);
		return;
	}
	/* the proxy's error pages say what went wrong by their status */
	snprintf(msg, sizeof(msg), "HTTP status %d", a.status);
	fetch_done(a.status, NULL, msg, now);
}

static int
fetch_read(void)
{
	uint8_t	*nb;
	size_t	 ncap;
	ssize_t	 n;

	if (f.cap - f.len < SUB_READ_CHUNK) {
		if (f.cap >= SUB_ANSWER_MAX) {
			errno = EFBIG;
			return -1;
		}
		ncap = f.cap == 0 ? SUB_READ_CHUNK * 2 : f.cap * 2;
		if (ncap > SUB_ANSWER_MAX)
			ncap = SUB_ANSWER_MAX;
		if ((nb = realloc(f.buf, ncap)) == NULL)
			return -1;
		f.buf = nb;
		f.cap = ncap;
	}
	n = read(f.fd, f.buf + f.len, f.cap - f.len);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 1 : -1;
	f.len += n;
	return n == 0 ? 0 : 1;
}

static void
fetch_arm(void)
{
	struct timeval	tv = { SUB_FETCH_WAIT, 0 };

	if (f.ev_set)
		event_del(&f.ev);
	event_set(&f.ev, f.fd, (f.sent ? EV_READ : EV_WRITE) | EV_PERSIST,
	    fetch_cb, NULL);
	event_add(&f.ev, &tv);
	f.ev_set = 1;
}

static void
fetch_cb(int fd, short what, void *arg)
{
	time_t		 now = time(NULL);
	ssize_t		 n;
	int		 err = 0, rv;
	socklen_t	 len = sizeof(err);

	(void)fd;
	(void)arg;
	if ((what & EV_TIMEOUT) || now - f.started > SUB_FETCH_WAIT) {
		fetch_done(0, NULL, "timed out", now);
		return;
	}
	if (!f.sent) {
		if (f.reqoff == 0 && (getsockopt(f.fd, SOL_SOCKET, SO_ERROR,
		    &err, &len) == -1 || err != 0)) {
			fetch_done(0, NULL, "cannot connect to the proxy", now);
			return;
		}
		n = write(f.fd, f.req + f.reqoff, f.reqlen - f.reqoff);
		if (n == -1 && errno != EAGAIN && errno != EINTR) {
			fetch_done(0, NULL, "the proxy closed", now);
			return;
		}
		if (n > 0)
			f.reqoff += n;
		if (f.reqoff == f.reqlen) {
			f.sent = 1;
			fetch_arm();
		}
		return;
	}
	if ((rv = fetch_read()) == -1)
		fetch_done(0, NULL, errno == EFBIG ? "the answer is too big" :
		    "read error", now);
	else if (rv == 0)
		fetch_answer(now);
}

static void
fetch_start(int i, time_t now)
{
	struct sub	*sb = &subs[i];

	f.cur = i;
	f.sent = 0;
	f.reqoff = 0;
	f.started = now;
	if (ab_sub_request(&sb->s, proxy_auth[0] ? proxy_auth : NULL,
	    f.req, sizeof(f.req)) == -1) {
		fetch_done(0, NULL, "cannot make the request", now);
		return;
	}
	f.reqlen = strlen(f.req);
	f.fd = socket(proxy_ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (f.fd == -1 || (connect(f.fd, (struct sockaddr *)&proxy_ss,
	    sockaddr_len(&proxy_ss)) == -1 && errno != EINPROGRESS)) {
		fetch_done(0, NULL, "cannot connect to the proxy", now);
		return;
	}
	log_debug("address book: fetching %s", sb->s.url);
	fetch_arm();
}

void
addrbook_fetch_tick(time_t now)
{
	int	i;

	if (f.cur != -1 && !f.applying && now - f.started > SUB_FETCH_WAIT)
		fetch_done(0, NULL, "timed out", now);
	if (f.cur != -1 || proxy_ss.ss_family == 0)
		return;
	for (i = 0; i < nsubs; i++)
		if (subs[i].next <= now) {
			fetch_start(i, now);
			return;
		}
}

int
addrbook_fetch_now(void)
{
	int	i;

	for (i = 0; i < nsubs; i++)
		if (f.cur != i)
			subs[i].next = 0;
	if (proxy_ss.ss_family == 0)
		return -1;
	addrbook_fetch_tick(time(NULL));
	return nsubs;
}

/* where to reach the proxy: its address, or loopback if it is any */
static void
proxy_reach(const struct proxy_conf *pc)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&proxy_ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&proxy_ss;
	char			 cred[PROXY_USER_MAX + PROXY_PASSWORD_MAX + 2];
	size_t			 i;

	memset(&proxy_ss, 0, sizeof(proxy_ss));
	if (pc->family == 4) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, pc->addr, 4);
		sin->sin_port = htons(pc->port);
		if (sin->sin_addr.s_addr == htonl(INADDR_ANY))
			sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	} else {
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, pc->addr, 16);
		sin6->sin6_port = htons(pc->port);
		if (IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr))
			sin6->sin6_addr = in6addr_loopback;
	}
	proxy_auth[0] = '\0';
	if (pc->user[0] == '\0')
		return;
	snprintf(cred, sizeof(cred), "%s:%s", pc->user, pc->password);
	/* Basic is the standard alphabet; ours is I2P's */
	if (b64_encode(proxy_auth, sizeof(proxy_auth), cred,
	    strlen(cred)) == -1)
		proxy_auth[0] = '\0';
	for (i = 0; proxy_auth[i] != '\0'; i++) {
		if (proxy_auth[i] == '-')
			proxy_auth[i] = '+';
		else if (proxy_auth[i] == '~')
			proxy_auth[i] = '/';
	}
	explicit_bzero(cred, sizeof(cred));
}

/* a subscription that stays keeps its state; a new one reads its file */
static void
sub_set(struct sub *sb, const char *url, const struct sub *old, int nold,
    time_t now)
{
	char	err[256];
	int	i;

	for (i = 0; i < nold; i++)
		if (strcmp(old[i].s.url, url) == 0) {
			*sb = old[i];
			return;
		}
	memset(sb, 0, sizeof(*sb));
	if (ab_sub_load(&sb->s, AB_DIR, url, err, sizeof(err)) == -1)
		log_warnx("address book: %s (starting afresh)", err);
	sb->next = sb->s.fetched > 0 ? (time_t)sb->s.fetched +
	    (time_t)conf.every * 60 : now + SUB_FIRST_WAIT;
	if (sb->s.fetched > 0 && sb->next < now + SUB_FIRST_WAIT)
		sb->next = now + SUB_FIRST_WAIT;
}

void
addrbook_fetch_reconf(const struct addrbook_conf *ac,
    const struct proxy_conf *proxies, int nproxies)
{
	static struct sub	 old[SUBS_MAX];
	time_t			 now = time(NULL);
	int			 i, nold = nsubs;

	/* a fetch under way is of the old configuration */
	if (f.cur != -1)
		fetch_close();
	memcpy(old, subs, sizeof(old));
	conf = *ac;
	nsubs = conf.nsubs;
	for (i = 0; i < nsubs; i++)
		sub_set(&subs[i], conf.subs[i], old, nold, now);
	memset(&proxy_ss, 0, sizeof(proxy_ss));
	for (i = 0; i < nproxies; i++)
		if (proxies[i].kind == PROXY_HTTP && (conf.proxy[0] == '\0' ||
		    strcmp(proxies[i].dest, conf.proxy) == 0)) {
			proxy_reach(&proxies[i]);
			break;
		}
	if (nsubs > 0 && proxy_ss.ss_family == 0)
		log_warnx("address book: no http proxy to fetch through");
}

void
addrbook_fetch_rows(ab_emit_fn emit, void *arg)
{
	struct ctl_ab_sub	 row;
	int			 i;

	for (i = 0; i < nsubs; i++) {
		memset(&row, 0, sizeof(row));
		strlcpy(row.url, subs[i].s.url, sizeof(row.url));
		strlcpy(row.err, subs[i].err, sizeof(row.err));
		row.status = subs[i].s.status;
		row.fetching = f.cur == i;
		row.fetched = subs[i].s.fetched;
		row.next = subs[i].next;
		row.added = subs[i].s.added;
		row.conflicts = subs[i].s.conflicts;
		row.bad = subs[i].s.bad;
		row.applied = subs[i].s.applied;
		row.refused = subs[i].s.refused;
		emit(arg, IMSG_CTL_AB_SUB, &row, sizeof(row));
	}
}

void
addrbook_fetch_counts(uint64_t *done, uint64_t *failed, uint32_t *n)
{
	*done = fetches;
	*failed = failures;
	*n = nsubs;
}
