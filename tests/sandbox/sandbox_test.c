/*
 * Sandbox test: loads each child's real seccomp filter (common/sandbox.c)
 * in a forked process and checks, for each of the four processes,
 *
 *  - that the filter is in force (the parent reads "Seccomp: 2" from the
 *    child's /proc/<pid>/status while the child waits, filtered),
 *  - that what the process does at run time still works under it:
 *    descriptors, imsg-style fd passing, memory, time, randomness, a
 *    libevent loop, OpenSSL, and the process's own sockets or files;
 *    the child exits 0 through exit(3), as the daemons do,
 *  - that forbidden calls kill it with SIGSYS: exec, fork and clone,
 *    executable memory, and the calls outside the process's role
 *    (sockets of another family, sockets at all, mkdir, ...).
 *
 * No root needed.  Prints TAP-like "ok - ..." / "not ok - ..." lines and
 * "sandbox: N passed, N failed"; exits 1 if anything failed.
 *
 * "sandbox_test --dump PROC" prints PROC's filter as pseudo filter code.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <ftw.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "privkey.h"
#include "proc.h"

/* a child that hangs is killed by SIGALRM after this many seconds */
#define CHILD_TIMEOUT	10
/* exit status of a child that survived a call it should have died of */
#define EXIT_SURVIVED	99
/* exit status of a child whose allowed operation failed */
#define EXIT_FAILED	10

struct procdesc {
	enum proc_id	  id;
	const char	 *name;
	void		(*install)(void);
	int		  inet;		/* makes network sockets */
	int		  files;	/* opens files in its chroot */
};

static const struct procdesc procs[] = {
	{ PROC_NETD,	"netd",		sandbox_netd,		1, 0 },
	{ PROC_CRYPTOD,	"cryptod",	sandbox_cryptod,	0, 1 },
	{ PROC_ROUTERD,	"routerd",	sandbox_routerd,	0, 1 },
	{ PROC_TUNNELD,	"tunneld",	sandbox_tunneld,	0, 1 },
};

/* what a child sets up before its filter, as child_main and setup do */
struct fixture {
	const struct procdesc	*pd;
	int			 pipe[2];
	int			 dgram[2];	/* connected, like the log socket */
	int			 stream[2];	/* an imsg link */
	void			*page;		/* anonymous, read-write */
	struct event_base	*base;
	char			 dir[512];	/* the process's own directory */
	int			 dirfd;
	int			 ctl_listen;	/* routerd's control socket */
	int			 ctl_client;
};

static char	 tmpdir[256];
static int	 npassed, nfailed;

static void
report(int ok, const char *proc, const char *what, const char *why)
{
	if (ok) {
		npassed++;
		printf("ok - %s: %s\n", proc, what);
	} else {
		nfailed++;
		printf("not ok - %s: %s (%s)\n", proc, what, why);
	}
	fflush(stdout);
}

/*
 * In a filtered child: report what failed on stderr (write(2) only, as
 * the filter allows) and exit with EXIT_FAILED.
 */
static void __attribute__((noreturn, format(printf, 1, 2)))
child_fail(const char *fmt, ...)
{
	char	 buf[256];
	va_list	 ap;
	int	 n, saved_errno = errno;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	(void)write(STDERR_FILENO, "  child: ", 9);
	(void)write(STDERR_FILENO, buf, n);
	n = snprintf(buf, sizeof(buf), " (errno %d)\n", saved_errno);
	(void)write(STDERR_FILENO, buf, n);
	_exit(EXIT_FAILED);
}

#define CHECK(cond, ...) do {				\
	if (!(cond))					\
		child_fail(__VA_ARGS__);		\
} while (0)

/*
 * Fixture, made before the filter
 */

static void
fixture_init(struct fixture *f, const struct procdesc *pd)
{
	struct sockaddr_un	 sun;

	memset(f, 0, sizeof(*f));
	f->pd = pd;
	f->ctl_listen = f->ctl_client = -1;
	if (pipe2(f->pipe, O_CLOEXEC) == -1 ||
	    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, f->dgram) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    f->stream) == -1)
		fatal("fixture: pipe/socketpair");
	f->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f->page == MAP_FAILED)
		fatal("fixture: mmap");
	snprintf(f->dir, sizeof(f->dir), "%s/%s", tmpdir, pd->name);
	if (mkdir(f->dir, 0700) == -1 && errno != EEXIST)
		fatal("fixture: mkdir %s", f->dir);
	if ((f->dirfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1)
		fatal("fixture: open %s", f->dir);

	if (pd->id == PROC_ROUTERD) {
		/* the control socket, listening before the sandbox */
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path),
		    "%s/ctl.sock", f->dir) >= sizeof(sun.sun_path))
			fatalx("fixture: socket path too long");
		(void)unlink(sun.sun_path);
		if ((f->ctl_listen = socket(AF_UNIX,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1 ||
		    bind(f->ctl_listen, (struct sockaddr *)&sun,
		    sizeof(sun)) == -1 || listen(f->ctl_listen, 5) == -1)
			fatal("fixture: control socket");
		/* an i2pctl: its connect completes into the backlog */
		if ((f->ctl_client = socket(AF_UNIX,
		    SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
		    connect(f->ctl_client, (struct sockaddr *)&sun,
		    sizeof(sun)) == -1)
			fatal("fixture: control client");
	}

	/* the event loop exists before the sandbox, as in child_main */
	if ((f->base = event_base_new()) == NULL)
		fatalx("fixture: event_base_new");
}

/*
 * Allowed operations, run under the filter
 */

static void
ops_time_ids(void)
{
	struct timespec	 ts;
	struct timeval	 tv;

	/* the raw syscalls: the vDSO would not reach the filter */
	CHECK(syscall(SYS_getpid) == getpid(), "getpid");
	CHECK(syscall(SYS_gettid) > 0, "gettid");
	CHECK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) == 0,
	    "clock_gettime");
	CHECK(syscall(SYS_gettimeofday, &tv, NULL) == 0, "gettimeofday");
#ifdef SYS_time
	CHECK(syscall(SYS_time, NULL) > 0, "time");
#endif
	CHECK(clock_gettime(CLOCK_REALTIME, &ts) == 0, "clock_gettime (libc)");
}

static void
ops_memory(struct fixture *f)
{
	char	*p, *q;
	void	*m;

	/* above the mmap threshold: mmap, mremap, munmap */
	CHECK((p = malloc(16 << 20)) != NULL, "malloc 16M");
	memset(p, 0xa5, 16 << 20);
	CHECK((q = realloc(p, 32 << 20)) != NULL, "realloc 32M");
	CHECK(q[(16 << 20) - 1] == (char)0xa5, "realloc contents");
	free(q);
	/* small blocks: brk */
	for (int i = 0; i < 1000; i++) {
		CHECK((p = malloc(4000)) != NULL, "malloc small");
		p[0] = 1;
		free(p);
	}
	m = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED, "mmap rw");
	CHECK(madvise(m, 65536, MADV_DONTNEED) == 0, "madvise");
	CHECK(munmap(m, 65536) == 0, "munmap");
	CHECK(mprotect(f->page, 4096, PROT_READ) == 0, "mprotect r");
	CHECK(mprotect(f->page, 4096, PROT_READ | PROT_WRITE) == 0,
	    "mprotect rw");
}

static void
ops_descriptors(struct fixture *f)
{
	char		 buf[64], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec	 iov[2];
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct stat	 st;
	int		 fl, fd, v;
	socklen_t	 len;

	/* pipe: write/read, writev/readv */
	CHECK(write(f->pipe[1], "abc", 3) == 3, "write");
	CHECK(read(f->pipe[0], buf, sizeof(buf)) == 3, "read");
	iov[0] = (struct iovec){ "ab", 2 };
	iov[1] = (struct iovec){ "cd", 2 };
	CHECK(writev(f->pipe[1], iov, 2) == 4, "writev");
	iov[0] = (struct iovec){ buf, 1 };
	iov[1] = (struct iovec){ buf + 1, 3 };
	CHECK(readv(f->pipe[0], iov, 2) == 4, "readv");

	/* the log path: send(2) on a connected datagram socket */
	CHECK(send(f->dgram[0], "<30>x: y", 8, MSG_NOSIGNAL | MSG_DONTWAIT) ==
	    8, "send (connected)");
	CHECK(recv(f->dgram[1], buf, sizeof(buf), 0) == 8, "recv");

	/* imsg: an fd travels with a message */
	memset(&msg, 0, sizeof(msg));
	memset(cbuf, 0, sizeof(cbuf));
	iov[0] = (struct iovec){ "m", 1 };
	msg.msg_iov = iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	memcpy(CMSG_DATA(cmsg), &f->pipe[0], sizeof(int));
	CHECK(sendmsg(f->stream[0], &msg, MSG_NOSIGNAL) == 1, "sendmsg fd");
	memset(cbuf, 0, sizeof(cbuf));
	iov[0] = (struct iovec){ buf, sizeof(buf) };
	msg.msg_controllen = sizeof(cbuf);
	CHECK(recvmsg(f->stream[1], &msg, MSG_CMSG_CLOEXEC) == 1,
	    "recvmsg fd");
	cmsg = CMSG_FIRSTHDR(&msg);
	CHECK(cmsg != NULL && cmsg->cmsg_type == SCM_RIGHTS, "no fd");
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	CHECK(write(f->pipe[1], "z", 1) == 1, "write");
	CHECK(read(fd, buf, 1) == 1 && buf[0] == 'z', "read passed fd");
	CHECK(close(fd) == 0, "close");

	/* non-blocking, close-on-exec */
	CHECK((fl = fcntl(f->stream[0], F_GETFL)) != -1, "F_GETFL");
	CHECK(fcntl(f->stream[0], F_SETFL, fl | O_NONBLOCK) == 0, "F_SETFL");
	CHECK((fl = fcntl(f->stream[0], F_GETFD)) != -1, "F_GETFD");
	CHECK(fcntl(f->stream[0], F_SETFD, fl | FD_CLOEXEC) == 0, "F_SETFD");
	CHECK(fstat(f->pipe[0], &st) == 0 && S_ISFIFO(st.st_mode), "fstat");
	CHECK(lseek(f->pipe[0], 0, SEEK_CUR) == -1 && errno == ESPIPE,
	    "lseek");
	len = sizeof(v);
	CHECK(getsockopt(f->stream[0], SOL_SOCKET, SO_SNDBUF, &v, &len) == 0,
	    "getsockopt");
	CHECK(shutdown(f->stream[0], SHUT_WR) == 0, "shutdown");
	CHECK(poll(NULL, 0, 1) == 0, "poll");
}

static void
ops_random_crypto(void)
{
	unsigned char	 buf[32], md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;

	CHECK(getrandom(buf, sizeof(buf), 0) == sizeof(buf), "getrandom");
	/* the first use of OpenSSL, under the filter */
	CHECK(RAND_bytes(buf, sizeof(buf)) == 1, "RAND_bytes");
	CHECK(EVP_Digest("abc", 3, md, &mdlen, EVP_sha256(), NULL) == 1 &&
	    mdlen == 32 && md[0] == 0xba && md[31] == 0xad, "SHA-256");
}

/*
 * cryptod and tunneld: SAM's private keys made, written, read back and
 * their LeaseSet key derived, the first Ed25519, X25519 and HKDF use
 * under the filter
 */
static void
ops_sam_keys(void)
{
	struct privkey	 pk, back;
	struct wbuf	 w;
	uint8_t		 seed[32], pad[32], buf[PRIVKEY_MAXLEN];
	uint8_t		 lpriv[32], lpub[32];

	memset(seed, 0x5a, sizeof(seed));
	memset(pad, 0xa5, sizeof(pad));
	CHECK(privkey_build(&pk, 0, seed, NULL, pad) == 0, "privkey_build");
	wbuf_init_fixed(&w, buf, sizeof(buf));
	CHECK(privkey_write(&pk, &w) == 0, "privkey_write");
	CHECK(privkey_parse(&back, buf, wbuf_len(&w), NULL) == 0,
	    "privkey_parse");
	CHECK(privkey_ls_key(&back, lpriv, lpub) == 0, "privkey_ls_key");
	privkey_wipe(&pk);
	privkey_wipe(&back);
}

static int	 ev_read_done, ev_timer_done;

static void
ev_read_cb(evutil_socket_t fd, short what, void *arg)
{
	char	 c;

	if (read(fd, &c, 1) == 1)
		ev_read_done = 1;
}

static void
ev_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	ev_timer_done = 1;
}

static void
ev_signal_cb(evutil_socket_t fd, short what, void *arg)
{
}

/* a libevent loop: epoll_ctl, epoll_wait, signal events */
static void
ops_event_loop(struct fixture *f)
{
	struct timeval	 tv = { 0, 10000 };
	struct event	*rd, *tm, *sg;

	CHECK((rd = event_new(f->base, f->pipe[0], EV_READ, ev_read_cb,
	    NULL)) != NULL, "event_new");
	CHECK((tm = evtimer_new(f->base, ev_timer_cb, NULL)) != NULL,
	    "evtimer_new");
	CHECK((sg = evsignal_new(f->base, SIGUSR2, ev_signal_cb, NULL)) !=
	    NULL, "evsignal_new");
	CHECK(event_add(sg, NULL) == 0, "signal event_add");
	CHECK(event_add(rd, NULL) == 0, "event_add");
	CHECK(evtimer_add(tm, &tv) == 0, "evtimer_add");
	CHECK(write(f->pipe[1], "e", 1) == 1, "write");
	/* runs until the read and the timer have fired */
	while (!ev_read_done || !ev_timer_done)
		CHECK(event_base_loop(f->base, EVLOOP_ONCE) == 0,
		    "event_base_loop");
	CHECK(event_del(sg) == 0, "signal event_del");
	event_free(rd);
	event_free(tm);
	event_free(sg);
}

/* a UDP socket on loopback that sends itself a datagram by address */
static void
udp_self(struct sockaddr_in *sin)
{
	struct sockaddr_in	 from;
	struct pollfd		 pfd;
	socklen_t		 len;
	char			 buf[16];
	int			 u;

	sin->sin_port = 0;
	CHECK((u = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) != -1, "socket(AF_INET, SOCK_DGRAM)");
	CHECK(bind(u, (struct sockaddr *)sin, sizeof(*sin)) == 0, "bind udp");
	len = sizeof(*sin);
	CHECK(getsockname(u, (struct sockaddr *)sin, &len) == 0,
	    "getsockname udp");
	CHECK(sendto(u, "udp", 3, 0, (struct sockaddr *)sin, sizeof(*sin)) ==
	    3, "sendto");
	pfd = (struct pollfd){ u, POLLIN, 0 };
	len = sizeof(from);
	CHECK(poll(&pfd, 1, 5000) == 1 && recvfrom(u, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &len) == 3, "recvfrom");
	close(u);
}

/* netd, tunneld: TCP and UDP on the loopback */
static void
ops_inet(struct fixture *f)
{
	struct sockaddr_in	 sin, peer;
	struct pollfd		 pfd;
	socklen_t		 len;
	char			 buf[16];
	int			 l, c, a, u, err;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK((l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) != -1, "socket(AF_INET, SOCK_STREAM)");
	err = 1;
	CHECK(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &err, sizeof(err)) == 0,
	    "setsockopt");
	CHECK(bind(l, (struct sockaddr *)&sin, sizeof(sin)) == 0, "bind");
	CHECK(listen(l, 5) == 0, "listen");
	len = sizeof(sin);
	CHECK(getsockname(l, (struct sockaddr *)&sin, &len) == 0,
	    "getsockname");

	CHECK((c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) != -1,
	    "socket");
	CHECK(connect(c, (struct sockaddr *)&sin, sizeof(sin)) == 0 ||
	    errno == EINPROGRESS, "connect");
	pfd = (struct pollfd){ l, POLLIN, 0 };
	CHECK(poll(&pfd, 1, 5000) == 1, "poll listen");
	len = sizeof(peer);
	CHECK((a = accept4(l, (struct sockaddr *)&peer, &len,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) != -1, "accept4");
	pfd = (struct pollfd){ c, POLLOUT, 0 };
	CHECK(poll(&pfd, 1, 5000) == 1, "poll connect");
	len = sizeof(err);
	CHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
	    err == 0, "getsockopt SO_ERROR");
	len = sizeof(peer);
	CHECK(getpeername(a, (struct sockaddr *)&peer, &len) == 0,
	    "getpeername");
	CHECK(write(c, "tcp", 3) == 3, "write tcp");
	pfd = (struct pollfd){ a, POLLIN, 0 };
	CHECK(poll(&pfd, 1, 5000) == 1 && read(a, buf, sizeof(buf)) == 3,
	    "read tcp");
	close(a);
	close(c);
	close(l);

	/* SSU2 */
	udp_self(&sin);

	/* IPv6 may be off in this kernel; the filter must let us try */
	u = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
	CHECK(u != -1 || errno == EAFNOSUPPORT, "socket(AF_INET6)");
	if (u != -1)
		close(u);
}

/*
 * IPv6 as netd makes its sockets: IPV6_V6ONLY listeners, a TCP
 * connection on ::1, and a UDP datagram to itself sent to a
 * sockaddr_in6's length.  Skipped where the kernel has no IPv6 or no
 * ::1 (a namespace whose loopback has no IPv6 address).
 */
static int
inet6_socket(int type, struct sockaddr_in6 *sin6)
{
	int	 fd, on = 1;

	memset(sin6, 0, sizeof(*sin6));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = in6addr_loopback;
	fd = socket(AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		CHECK(errno == EAFNOSUPPORT, "socket(AF_INET6)");
		return -1;
	}
	CHECK(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
	    sizeof(on)) == 0, "setsockopt IPV6_V6ONLY");
	if (bind(fd, (struct sockaddr *)sin6, sizeof(*sin6)) == -1) {
		CHECK(errno == EADDRNOTAVAIL, "bind [::1]");
		close(fd);
		return -1;
	}
	return fd;
}

static void
ops_inet6(void)
{
	struct sockaddr_in6	 sin6, from;
	struct pollfd		 pfd;
	socklen_t		 len = sizeof(sin6);
	char			 buf[16];
	int			 l, c, a, u;

	if ((l = inet6_socket(SOCK_STREAM, &sin6)) == -1)
		return;
	CHECK(listen(l, 5) == 0 && getsockname(l, (struct sockaddr *)&sin6,
	    &len) == 0, "listen [::1]");
	CHECK((c = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0)) != -1,
	    "socket(AF_INET6, SOCK_STREAM)");
	CHECK(connect(c, (struct sockaddr *)&sin6, sizeof(sin6)) == 0 ||
	    errno == EINPROGRESS, "connect [::1]");
	pfd = (struct pollfd){ l, POLLIN, 0 };
	len = sizeof(from);
	CHECK(poll(&pfd, 1, 5000) == 1 && (a = accept4(l, (struct sockaddr *)
	    &from, &len, SOCK_NONBLOCK)) != -1 && len == sizeof(from),
	    "accept4 [::1]");
	close(a);
	close(c);
	close(l);
	CHECK((u = inet6_socket(SOCK_DGRAM, &sin6)) != -1, "udp [::1]");
	len = sizeof(sin6);
	CHECK(getsockname(u, (struct sockaddr *)&sin6, &len) == 0 &&
	    sendto(u, "udp", 3, 0, (struct sockaddr *)&sin6, sizeof(sin6)) ==
	    3, "sendto [::1]");
	pfd = (struct pollfd){ u, POLLIN, 0 };
	len = sizeof(from);
	CHECK(poll(&pfd, 1, 5000) == 1 && recvfrom(u, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &len) == 3, "recvfrom [::1]");
	close(u);
}

/*
 * tunneld's SAM bridge: a TCP listener (accept finds nobody yet, then
 * a connect of its own, as FORWARD makes), a UDP socket that sends
 * itself a datagram by address
 */
static void
ops_sam(struct fixture *f)
{
	struct sockaddr_in	 sin, from;
	socklen_t		 len;
	int			 l, u, c, on = 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK((l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) != -1, "socket(AF_INET, SOCK_STREAM)");
	CHECK(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == 0,
	    "setsockopt");
	CHECK(bind(l, (struct sockaddr *)&sin, sizeof(sin)) == 0, "bind");
	CHECK(listen(l, 5) == 0, "listen");
	len = sizeof(from);
	CHECK(accept4(l, (struct sockaddr *)&from, &len, SOCK_NONBLOCK |
	    SOCK_CLOEXEC) == -1 && errno == EAGAIN, "accept4");
	len = sizeof(sin);
	CHECK(getsockname(l, (struct sockaddr *)&sin, &len) == 0,
	    "getsockname tcp");
	CHECK((c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) != -1, "socket for connect");
	CHECK(connect(c, (struct sockaddr *)&sin, sizeof(sin)) == 0 ||
	    errno == EINPROGRESS, "connect (FORWARD)");
	close(c);
	close(l);
	udp_self(&sin);
	u = socket(AF_INET6, SOCK_DGRAM, 0);
	CHECK(u != -1 || errno == EAFNOSUPPORT, "socket(AF_INET6)");
	if (u != -1)
		close(u);
}

/* cryptod, routerd, tunneld: write a file safely, read it, remove it */
static void
ops_files(struct fixture *f)
{
	char	 a[PATH_MAX], b[PATH_MAX], buf[16];
	int	 fd, sync_all;

	/* ftruncate and fdatasync: cryptod and routerd only */
	sync_all = f->pd->id != PROC_TUNNELD;
	CHECK((fd = openat(f->dirfd, "key.tmp",
	    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) != -1, "openat");
	CHECK(write(fd, "secret-key", 10) == 10, "write file");
	if (sync_all) {
		CHECK(ftruncate(fd, 6) == 0, "ftruncate");
		CHECK(fdatasync(fd) == 0, "fdatasync");
	}
	CHECK(fsync(fd) == 0, "fsync");
	CHECK(close(fd) == 0, "close");
	CHECK(renameat(f->dirfd, "key.tmp", f->dirfd, "key.1") == 0,
	    "renameat");
	/* the rename is on disk once the directory is */
	CHECK((fd = openat(f->dirfd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) != -1, "openat directory");
	CHECK(fsync(fd) == 0, "fsync directory");
	CHECK(close(fd) == 0, "close directory");
	CHECK(renameat2(f->dirfd, "key.1", f->dirfd, "key.2", RENAME_NOREPLACE)
	    == 0, "renameat2");
	snprintf(a, sizeof(a), "%s/key.2", f->dir);
	snprintf(b, sizeof(b), "%s/key", f->dir);
	CHECK(rename(a, b) == 0, "rename");
	CHECK((fd = open(b, O_RDONLY | O_CLOEXEC)) != -1, "open");
	CHECK(read(fd, buf, sizeof(buf)) == (sync_all ? 6 : 10), "read file");
	close(fd);

	CHECK((fd = openat(f->dirfd, "gone", O_WRONLY | O_CREAT | O_CLOEXEC,
	    0600)) != -1, "openat");
	close(fd);
	CHECK(unlinkat(f->dirfd, "gone", 0) == 0, "unlinkat");
	CHECK(unlink(b) == 0, "unlink");
}

/* routerd: netDb directories, the control socket */
static void
ops_routerd(struct fixture *f)
{
	struct ucred	 cred;
	socklen_t	 len;
	char		 path[PATH_MAX];
	DIR		*d;
	struct dirent	*de;
	int		 n = 0, fd;

	CHECK(mkdirat(f->dirfd, "netDb", 0700) == 0 || errno == EEXIST,
	    "mkdirat");
	snprintf(path, sizeof(path), "%s/netDb/r0", f->dir);
	CHECK(mkdir(path, 0700) == 0 || errno == EEXIST, "mkdir");
	snprintf(path, sizeof(path), "%s/netDb", f->dir);
	CHECK((d = opendir(path)) != NULL, "opendir");
	while ((de = readdir(d)) != NULL)
		n++;
	CHECK(n == 3, "readdir found %d entries", n);
	closedir(d);

	CHECK((fd = accept4(f->ctl_listen, NULL, NULL,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) != -1, "accept4 control");
	len = sizeof(cred);
	CHECK(getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
	    cred.pid == getpid(), "SO_PEERCRED");
	close(fd);
}

/* netd has no files: opening one fails, it does not kill */
static void
ops_netd_nofiles(void)
{
	CHECK(open("/dev/null", O_RDONLY) == -1 && errno == EACCES,
	    "open refused with EACCES");
}

static void
ops_allowed(struct fixture *f)
{
	ops_time_ids();
	ops_memory(f);
	ops_descriptors(f);
	ops_event_loop(f);
	ops_random_crypto();
	if (f->pd->inet) {
		ops_inet(f);
		ops_inet6();
	}
	if (f->pd->files)
		ops_files(f);
	if (f->pd->id == PROC_ROUTERD)
		ops_routerd(f);
	if (f->pd->id == PROC_NETD)
		ops_netd_nofiles();
	if (f->pd->id == PROC_CRYPTOD || f->pd->id == PROC_TUNNELD)
		ops_sam_keys();
	if (f->pd->id == PROC_TUNNELD)
		ops_sam(f);
}

/*
 * Forbidden operations: each must kill the child
 */

/*
 * A path that cannot be run: were execve let through, it would return
 * and the child survive.  (A real program would die of SIGSYS anyway,
 * under the inherited filter, when its loader maps code executable,
 * and so hide an execve the filter allowed.)
 */
static void
bad_execve(struct fixture *f)
{
	char	*argv[] = { "true", NULL }, *envp[] = { NULL };

	execve("/nonexistent/bin/true", argv, envp);
}

static void
bad_mmap_exec(struct fixture *f)
{
	(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void
bad_mprotect_exec(struct fixture *f)
{
	(void)mprotect(f->page, 4096, PROT_READ | PROT_EXEC);
}

/* a clone that, if it were let through, behaves as fork */
static void
bad_clone(struct fixture *f)
{
	if (syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0) == 0)
		_exit(0);
}

#ifdef SYS_fork
static void
bad_fork(struct fixture *f)
{
	if (syscall(SYS_fork) == 0)
		_exit(0);
}
#endif

#ifdef SYS_clone3
static void
bad_clone3(struct fixture *f)
{
	uint64_t	 args[11];		/* struct clone_args */

	memset(args, 0, sizeof(args));
	args[4] = SIGCHLD;			/* exit_signal */
	if (syscall(SYS_clone3, args, sizeof(args)) == 0)
		_exit(0);
}
#endif

static void
bad_kill(struct fixture *f)
{
	(void)syscall(SYS_kill, getpid(), 0);
}

static void
bad_fcntl_dupfd(struct fixture *f)
{
	(void)fcntl(f->pipe[0], F_DUPFD, 10);
}

static void
bad_socket_unix(struct fixture *f)
{
	(void)socket(AF_UNIX, SOCK_STREAM, 0);
}

static void
bad_socket_inet(struct fixture *f)
{
	(void)socket(AF_INET, SOCK_STREAM, 0);
}

static void
bad_socket_raw(struct fixture *f)
{
	(void)socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
}

static void
bad_socket_raw6(struct fixture *f)
{
	(void)socket(AF_INET6, SOCK_RAW, IPPROTO_UDP);
}

/* UDP-Lite over IPv6: a module again; UDP is protocol 0 only */
static void
bad_socket_udplite6(struct fixture *f)
{
	(void)socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE);
}

/* a protocol that may load a kernel module: only 0 or TCP */
static void
bad_socket_sctp(struct fixture *f)
{
	(void)socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
}

/* datagram sockets (SSU2, SAM): protocol 0 only */
static void
bad_socket_udp_proto(struct fixture *f)
{
	(void)socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
}

static void
bad_socket_netlink(struct fixture *f)
{
	(void)socket(AF_NETLINK, SOCK_DGRAM, 0);
}

static void
bad_connect(struct fixture *f)
{
	struct sockaddr_in	 sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(9);
	(void)connect(f->stream[0], (struct sockaddr *)&sin, sizeof(sin));
}

static void
log_path(struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path, sizeof(sun->sun_path), "/dev/log");
}

/* a connect to a path address: nobody (tunneld: inet lengths only) */
static void
bad_connect_path(struct fixture *f)
{
	struct sockaddr_un	 sun;

	log_path(&sun);
	(void)connect(f->dgram[0], (struct sockaddr *)&sun, sizeof(sun));
}

/* a datagram to a path address: nobody (tunneld: inet lengths only) */
static void
bad_sendto_addr(struct fixture *f)
{
	struct sockaddr_un	 sun;

	log_path(&sun);
	(void)sendto(f->dgram[0], "x", 1, 0, (struct sockaddr *)&sun,
	    sizeof(sun));
}

static void
bad_mkdirat(struct fixture *f)
{
	(void)mkdirat(f->dirfd, "dir", 0700);
}

static void
bad_getdents(struct fixture *f)
{
	char	 buf[1024];

	(void)syscall(SYS_getdents64, f->dirfd, buf, sizeof(buf));
}

static void
bad_setuid(struct fixture *f)
{
	(void)syscall(SYS_setuid, 0);
}

static void
bad_ptrace(struct fixture *f)
{
	(void)syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0);
}

typedef void (*bad_fn)(struct fixture *);

struct forbidden {
	const char	*what;
	bad_fn		 fn;
	unsigned int	 procs;		/* PROC_BITs it is tested in */
};

#define ALL	(PROC_BIT(PROC_NETD) | PROC_BIT(PROC_CRYPTOD) | \
		 PROC_BIT(PROC_ROUTERD) | PROC_BIT(PROC_TUNNELD))
#define INET	PROC_BIT(PROC_NETD)
#define NOINET	(PROC_BIT(PROC_CRYPTOD) | PROC_BIT(PROC_ROUTERD))
#define SAM	PROC_BIT(PROC_TUNNELD)

static const struct forbidden forbidden[] = {
	{ "execve",			bad_execve,		ALL },
	{ "mmap PROT_EXEC",		bad_mmap_exec,		ALL },
	{ "mprotect PROT_EXEC",		bad_mprotect_exec,	ALL },
	{ "clone",			bad_clone,		ALL },
#ifdef SYS_fork
	{ "fork",			bad_fork,		ALL },
#endif
#ifdef SYS_clone3
	{ "clone3",			bad_clone3,		ALL },
#endif
	{ "kill",			bad_kill,		ALL },
	{ "setuid",			bad_setuid,		ALL },
	{ "ptrace",			bad_ptrace,		ALL },
	{ "fcntl F_DUPFD",		bad_fcntl_dupfd,	ALL },
	{ "socket(AF_UNIX)",		bad_socket_unix,	ALL },
	{ "socket(AF_NETLINK)",		bad_socket_netlink,	ALL },
	{ "socket(AF_INET, SOCK_RAW)",	bad_socket_raw,		INET | SAM },
	{ "socket(AF_INET6, SOCK_RAW)",	bad_socket_raw6,	INET | SAM },
	{ "socket(AF_INET6, IPPROTO_UDPLITE)", bad_socket_udplite6,
	    INET | SAM },
	{ "socket(AF_INET, IPPROTO_SCTP)", bad_socket_sctp,	INET | SAM },
	{ "socket(AF_INET)",		bad_socket_inet,	NOINET },
	{ "connect",			bad_connect,		NOINET },
	{ "connect to a path",		bad_connect_path,	SAM },
	{ "sendto with an address",	bad_sendto_addr,	ALL },
	{ "socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)", bad_socket_udp_proto,
	    INET | SAM },
	{ "mkdirat",			bad_mkdirat,
	    PROC_BIT(PROC_NETD) | PROC_BIT(PROC_CRYPTOD) |
	    PROC_BIT(PROC_TUNNELD) },
	{ "getdents64",			bad_getdents,
	    PROC_BIT(PROC_NETD) | PROC_BIT(PROC_CRYPTOD) |
	    PROC_BIT(PROC_TUNNELD) },
};

/*
 * Parent side
 */

static void
status_str(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "status 0x%x", status);
}

/* the child's "Seccomp:" mode from /proc, or -1 */
static int
seccomp_mode(pid_t pid)
{
	char	 path[64], line[256];
	FILE	*fp;
	int	 mode = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			break;
	fclose(fp);
	return mode;
}

/* a child that installs the filter, then makes a forbidden call */
static pid_t
spawn_bad(const struct procdesc *pd, bad_fn bad)
{
	struct fixture	 f;
	pid_t		 pid;

	fflush(NULL);		/* the child must not write it again */
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid != 0)
		return pid;

	/* no core files from the SIGSYS deaths; a hung child is killed */
	(void)prctl(PR_SET_DUMPABLE, 0);
	alarm(CHILD_TIMEOUT);
	fixture_init(&f, pd);
	pd->install();
	bad(&f);
	_exit(EXIT_SURVIVED);
}

static void
test_allowed(const struct procdesc *pd)
{
	struct fixture	 f;
	char		 why[128], c;
	pid_t		 pid;
	int		 status, mode, sync[2], go[2];

	if (pipe(sync) == -1 || pipe(go) == -1)
		fatal("pipe");
	memset(&f, 0, sizeof(f));
	fflush(NULL);		/* the child's exit(3) must not repeat it */
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid == 0) {
		/* no core file if it dies; a hung child is killed */
		close(sync[0]);
		close(go[1]);
		(void)prctl(PR_SET_DUMPABLE, 0);
		alarm(CHILD_TIMEOUT);
		fixture_init(&f, pd);
		pd->install();
		CHECK(write(sync[1], "l", 1) == 1, "sync write");
		CHECK(read(go[0], &c, 1) == 1, "sync read");
		ops_allowed(&f);
		exit(0);
	}
	close(sync[1]);
	close(go[0]);

	/* the child waits, filtered, until it is told to go on */
	mode = -1;
	if (read(sync[0], &c, 1) == 1)
		mode = seccomp_mode(pid);
	snprintf(why, sizeof(why), "Seccomp mode %d", mode);
	report(mode == 2, pd->name, "filter in force (Seccomp: 2)", why);
	(void)write(go[1], "g", 1);
	close(sync[0]);
	close(go[1]);

	if (waitpid(pid, &status, 0) == -1)
		fatal("waitpid");
	status_str(status, why, sizeof(why));
	report(WIFEXITED(status) && WEXITSTATUS(status) == 0, pd->name,
	    "allowed operations succeed", why);
}

static void
test_forbidden(const struct procdesc *pd, const struct forbidden *fb)
{
	char		 what[128], why[128];
	pid_t		 pid;
	int		 status;

	pid = spawn_bad(pd, fb->fn);
	if (waitpid(pid, &status, 0) == -1)
		fatal("waitpid");
	status_str(status, why, sizeof(why));
	snprintf(what, sizeof(what), "%s kills with SIGSYS", fb->what);
	report(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS, pd->name,
	    what, why);
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (remove(path) == -1)
		log_warn("remove %s", path);
	return 0;
}

static const struct procdesc *
proc_byname(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(procs) / sizeof(procs[0]); i++)
		if (strcmp(procs[i].name, name) == 0)
			return &procs[i];
	return NULL;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: sandbox_test [--dump netd|cryptod|routerd|"
	    "tunneld]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	const struct procdesc	*pd;
	const char		*t;
	size_t			 i, j;

	log_init(1, LOG_DAEMON);
	log_procinit("sandbox_test");

	if (argc == 3 && strcmp(argv[1], "--dump") == 0) {
		if ((pd = proc_byname(argv[2])) == NULL)
			usage();
		fflush(stdout);
		sandbox_export(pd->id, STDOUT_FILENO);
		return 0;
	}
	if (argc != 1)
		usage();

	if ((t = getenv("TMPDIR")) == NULL || *t == '\0')
		t = "/tmp";
	if ((size_t)snprintf(tmpdir, sizeof(tmpdir), "%s/sandbox_test.XXXXXX",
	    t) >= sizeof(tmpdir) - 64)
		fatalx("TMPDIR too long");
	if (mkdtemp(tmpdir) == NULL)
		fatal("mkdtemp %s", tmpdir);

	for (i = 0; i < sizeof(procs) / sizeof(procs[0]); i++) {
		pd = &procs[i];
		test_allowed(pd);
		for (j = 0; j < sizeof(forbidden) / sizeof(forbidden[0]); j++)
			if (forbidden[j].procs & PROC_BIT(pd->id))
				test_forbidden(pd, &forbidden[j]);
	}

	(void)nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	printf("sandbox: %d passed, %d failed\n", npassed, nfailed);
	return nfailed == 0 ? 0 : 1;
}
