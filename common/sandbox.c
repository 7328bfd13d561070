/*
 * seccomp filters, one allowlist per child, all in this file so that
 * what each process may do can be read in one place (STYLE.md,
 * "Sandboxing"; the shape follows OpenSSH's sandbox-seccomp-filter.c).
 *
 * A child installs its filter as the last step of its start-up
 * (child.c): chrooted, unprivileged, event loop set up, imsg sockets,
 * log socket and whatever files it needs already open.  From then on
 * the process only reads and writes those descriptors, manages its own
 * memory and, depending on its role, makes network sockets (netd;
 * tunneld for SAM) or touches files inside its
 * chroot (cryptod, routerd, tunneld).  Nobody may fork, exec, ptrace,
 * change credentials, mount, map executable memory, or create sockets
 * of another family.
 *
 * The default action kills the whole process (SCMP_ACT_KILL_PROCESS):
 * the parent sees the child die of SIGSYS and stops the suite.  Built
 * with -DSANDBOX_DEBUG, a forbidden call instead traps into a SIGSYS
 * handler that prints its name and number before the process dies, to
 * find what a filter is missing.
 *
 * libseccomp sets no-new-privs and checks the architecture (a syscall
 * made with another ABI, e.g. int 0x80 from an x86_64 process, kills).
 * Names that do not exist on the build architecture ("time", "poll"
 * and "epoll_wait" on arm64, "mmap2" on x86_64) are skipped, so one
 * list serves every architecture.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef SANDBOX_DEBUG
#include <sys/syscall.h>
#endif

#include "log.h"
#include "proc.h"

#ifdef SANDBOX_DEBUG
#define SANDBOX_DEFAULT_ACTION	SCMP_ACT_TRAP
#else
#define SANDBOX_DEFAULT_ACTION	SCMP_ACT_KILL_PROCESS
#endif

/* the kernel's SOCK_TYPE_MASK: socket(2)'s type without its flags */
#define SANDBOX_SOCK_TYPE_MASK	0xf

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/*
 * Every child: its descriptors (imsg sockets, log socket, the event
 * loop's epoll fd and signal socketpair), memory, signals, time and
 * randomness.  Calls with an argument check are added separately
 * (sandbox_base).
 */
static const char *const sandbox_base_calls[] = {
	/* I/O on descriptors already open; imsg passes fds by sendmsg */
	"read", "readv", "write", "writev", "close", "lseek",
	"recvmsg", "sendmsg", "recvfrom", "shutdown",
	/* SO_ERROR after a connect, SO_PEERCRED, buffer sizes */
	"getsockopt",
	/*
	 * stdio and opendir look at what a descriptor is; glibc 2.33 and
	 * later implement fstat(3) with newfstatat(fd, "", AT_EMPTY_PATH)
	 */
	"fstat", "newfstatat", "fstat64", "fstatat64",
	/* the event loop (libevent's epoll and poll back-ends) */
	"epoll_wait", "epoll_pwait", "epoll_ctl", "poll", "ppoll",
	/* signals: libevent's signal events, fatal's exit */
	"rt_sigreturn", "rt_sigprocmask", "rt_sigaction", "restart_syscall",
	"exit", "exit_group",
	/* malloc (mmap and mprotect have their own rules below) */
	"brk", "munmap", "mremap", "madvise",
	/* locks inside libc and OpenSSL */
	"futex",
	/* log lines carry the pid; OpenSSL checks it for fork detection */
	"getpid", "gettid",
	/* the vDSO normally answers these; the fallback is the syscall */
	"clock_gettime", "gettimeofday", "time",
	/* OpenSSL's seed */
	"getrandom",
	/*
	 * glibc's qsort asks how much memory there is before sorting a
	 * large array (OpenSSL sorts the CA certificates of a reseed
	 * download's trust store so); the answer is harmless
	 */
	"sysinfo",
};

/* making TCP and UDP sockets: netd (NTCP2, SSU2, reseed) */
static const char *const sandbox_inet_calls[] = {
	"bind", "listen", "connect", "accept", "accept4", "setsockopt",
	"getsockname", "getpeername",
};

/* cryptod: writing a key file means temp file, fsync, rename */
static const char *const sandbox_cryptod_calls[] = {
	"openat", "unlinkat", "unlink", "renameat", "renameat2", "rename",
	"fsync", "fdatasync", "ftruncate",
};

/*
 * routerd: netDb and profile files inside its chroot (including the
 * directories of the netDb), and connections on its control socket.
 */
static const char *const sandbox_routerd_calls[] = {
	"accept", "accept4",
	"openat", "mkdirat", "mkdir", "getdents64",
	"unlinkat", "unlink", "renameat", "renameat2", "rename",
	"fsync", "fdatasync", "ftruncate",
};

/*
 * tunneld: its files (the destination names, the address book), each
 * written as temp file, fsync, rename, fsync of the directory
 */
static const char *const sandbox_tunneld_calls[] = {
	"openat", "unlinkat", "unlink", "renameat", "renameat2", "rename",
	"fsync",
};

/*
 * tunneld's SAM bridge: TCP listeners and their clients, the UDP port
 * (received with recvfrom, which every process has)
 */
static const char *const sandbox_sam_calls[] = {
	"bind", "listen", "accept", "accept4", "setsockopt", "getsockname",
};

/* fcntl(2) commands for non-blocking mode and close-on-exec only */
static const int sandbox_fcntl_cmds[] = {
	F_GETFL, F_SETFL, F_GETFD, F_SETFD,
};

static const char *
sandbox_errstr(int rc)
{
	return strerror(rc < 0 ? -rc : rc);
}

/* the syscall's number, or -1 if it does not exist on this architecture */
static int
sandbox_nr(const char *name)
{
	int	 nr;

	/*
	 * libseccomp gives negative "pseudo" numbers to calls it knows
	 * but the architecture lacks; a rule for them would never match.
	 */
	nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR || nr < 0)
		return -1;
	return nr;
}

static void
sandbox_rule(scmp_filter_ctx ctx, enum proc_id id, uint32_t action,
    const char *name, unsigned int argc, const struct scmp_arg_cmp *argv)
{
	int	 nr, rc;

	if ((nr = sandbox_nr(name)) == -1)
		return;
	rc = seccomp_rule_add_array(ctx, action, nr, argc, argv);
	if (rc != 0)
		fatalx("sandbox: %s: seccomp_rule_add %s: %s", proc_name(id),
		    name, sandbox_errstr(rc));
}

static void
sandbox_allow(scmp_filter_ctx ctx, enum proc_id id, const char *name)
{
	sandbox_rule(ctx, id, SCMP_ACT_ALLOW, name, 0, NULL);
}

static void
sandbox_allow_list(scmp_filter_ctx ctx, enum proc_id id,
    const char *const *names, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		sandbox_allow(ctx, id, names[i]);
}

/* allowed when one argument compares as `cmp' (an SCMP_A* comparison) says */
static void
sandbox_allow_arg(scmp_filter_ctx ctx, enum proc_id id, const char *name,
    struct scmp_arg_cmp cmp)
{
	sandbox_rule(ctx, id, SCMP_ACT_ALLOW, name, 1, &cmp);
}

/* the rules every child gets */
static void
sandbox_base(scmp_filter_ctx ctx, enum proc_id id)
{
	size_t	 i;

	sandbox_allow_list(ctx, id, sandbox_base_calls,
	    nitems(sandbox_base_calls));

	/*
	 * Memory, but never executable: no JIT, no loading code.  mmap2
	 * is the 32-bit architectures' mmap; prot is the third argument
	 * of all three.
	 */
	sandbox_allow_arg(ctx, id, "mmap",
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	sandbox_allow_arg(ctx, id, "mmap2",
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	sandbox_allow_arg(ctx, id, "mprotect",
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));

	/* non-blocking and close-on-exec flags, not F_DUPFD or locks */
	for (i = 0; i < nitems(sandbox_fcntl_cmds); i++) {
		sandbox_allow_arg(ctx, id, "fcntl",
		    SCMP_A1(SCMP_CMP_EQ, sandbox_fcntl_cmds[i], 0));
		sandbox_allow_arg(ctx, id, "fcntl64",
		    SCMP_A1(SCMP_CMP_EQ, sandbox_fcntl_cmds[i], 0));
	}

	/*
	 * send(2) on connected sockets only (dest_addr NULL): the log
	 * socket to /dev/log and libevent's signal socketpair.  Only
	 * tunneld addresses datagrams (SAM, sandbox_sam).
	 */
	sandbox_allow_arg(ctx, id, "sendto", SCMP_A4(SCMP_CMP_EQ, 0, 0));
}

/*
 * Network sockets, IPv4 and IPv6: TCP for NTCP2 and reseeds, protocol 0
 * or TCP, and UDP for SSU2, protocol 0 only; not AF_UNIX or AF_NETLINK
 * (nothing local to reach), not AF_PACKET or SOCK_RAW, and no other
 * protocol, so that socket(2) cannot make the kernel load a rarely
 * used module (SCTP, DCCP, MPTCP, UDP-Lite) for us.  SSU2's datagrams
 * go out by sendto to an inet address's length only, so never to a
 * path on the inherited Unix sockets.
 */
static void
sandbox_inet(scmp_filter_ctx ctx, enum proc_id id)
{
	static const int	 families[] = { AF_INET, AF_INET6 };
	static const struct {
		int	 type, proto;
	} kinds[] = {
		{ SOCK_STREAM, 0 }, { SOCK_STREAM, IPPROTO_TCP },
		{ SOCK_DGRAM, 0 }
	};
	struct scmp_arg_cmp	 cmp[3];
	size_t			 i, j;

	for (i = 0; i < nitems(families); i++) {
		for (j = 0; j < nitems(kinds); j++) {
			cmp[0] = SCMP_A0(SCMP_CMP_EQ, families[i], 0);
			/* the type without SOCK_NONBLOCK and SOCK_CLOEXEC */
			cmp[1] = SCMP_A1(SCMP_CMP_MASKED_EQ,
			    SANDBOX_SOCK_TYPE_MASK, kinds[j].type);
			cmp[2] = SCMP_A2(SCMP_CMP_EQ, kinds[j].proto, 0);
			sandbox_rule(ctx, id, SCMP_ACT_ALLOW, "socket", 3,
			    cmp);
		}
	}
	sandbox_allow_arg(ctx, id, "sendto",
	    SCMP_A5(SCMP_CMP_EQ, sizeof(struct sockaddr_in), 0));
	sandbox_allow_arg(ctx, id, "sendto",
	    SCMP_A5(SCMP_CMP_EQ, sizeof(struct sockaddr_in6), 0));
	sandbox_allow_list(ctx, id, sandbox_inet_calls,
	    nitems(sandbox_inet_calls));
}

/*
 * tunneld: IPv4 and IPv6 stream and datagram sockets, protocol 0,
 * listening, accepting, and connecting (SAM STREAM FORWARD's targets)
 * and sending datagrams to an address of an inet family's length only,
 * so never to a path on the inherited Unix sockets.
 */
static void
sandbox_sam(scmp_filter_ctx ctx, enum proc_id id)
{
	static const int	 families[] = { AF_INET, AF_INET6 };
	static const int	 types[] = { SOCK_STREAM, SOCK_DGRAM };
	struct scmp_arg_cmp	 cmp[3];
	size_t			 i, j;

	for (i = 0; i < nitems(families); i++) {
		for (j = 0; j < nitems(types); j++) {
			cmp[0] = SCMP_A0(SCMP_CMP_EQ, families[i], 0);
			/* the type without SOCK_NONBLOCK and SOCK_CLOEXEC */
			cmp[1] = SCMP_A1(SCMP_CMP_MASKED_EQ,
			    SANDBOX_SOCK_TYPE_MASK, types[j]);
			cmp[2] = SCMP_A2(SCMP_CMP_EQ, 0, 0);
			sandbox_rule(ctx, id, SCMP_ACT_ALLOW, "socket", 3,
			    cmp);
		}
	}
	sandbox_allow_arg(ctx, id, "sendto",
	    SCMP_A5(SCMP_CMP_EQ, sizeof(struct sockaddr_in), 0));
	sandbox_allow_arg(ctx, id, "sendto",
	    SCMP_A5(SCMP_CMP_EQ, sizeof(struct sockaddr_in6), 0));
	sandbox_allow_arg(ctx, id, "connect",
	    SCMP_A2(SCMP_CMP_EQ, sizeof(struct sockaddr_in), 0));
	sandbox_allow_arg(ctx, id, "connect",
	    SCMP_A2(SCMP_CMP_EQ, sizeof(struct sockaddr_in6), 0));
	sandbox_allow_list(ctx, id, sandbox_sam_calls,
	    nitems(sandbox_sam_calls));
}

static scmp_filter_ctx
sandbox_build(enum proc_id id)
{
	scmp_filter_ctx	 ctx;
	int		 rc;

	if ((ctx = seccomp_init(SANDBOX_DEFAULT_ACTION)) == NULL)
		fatalx("sandbox: %s: seccomp_init failed", proc_name(id));
	/* a syscall through another ABI (int 0x80, x32) kills as well */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS)) != 0)
		fatalx("sandbox: %s: seccomp_attr_set BADARCH: %s",
		    proc_name(id), sandbox_errstr(rc));
	/* the default, but the filter relies on it: no setuid exec ever */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1)) != 0)
		fatalx("sandbox: %s: seccomp_attr_set NNP: %s",
		    proc_name(id), sandbox_errstr(rc));

	sandbox_base(ctx, id);
	switch (id) {
	case PROC_NETD:
		sandbox_inet(ctx, id);
		/*
		 * netd has no files, but library code may look for some
		 * after the sandbox is in place (OpenSSL's config file at
		 * the first TLS context for a reseed): refuse rather than
		 * kill, as OpenSSH's sandbox does.  Its chroot is empty
		 * anyway.
		 */
		sandbox_rule(ctx, id, SCMP_ACT_ERRNO(EACCES), "openat", 0,
		    NULL);
		sandbox_rule(ctx, id, SCMP_ACT_ERRNO(EACCES), "open", 0,
		    NULL);
		break;
	case PROC_CRYPTOD:
		sandbox_allow_list(ctx, id, sandbox_cryptod_calls,
		    nitems(sandbox_cryptod_calls));
		break;
	case PROC_ROUTERD:
		sandbox_allow_list(ctx, id, sandbox_routerd_calls,
		    nitems(sandbox_routerd_calls));
		break;
	case PROC_TUNNELD:
		sandbox_allow_list(ctx, id, sandbox_tunneld_calls,
		    nitems(sandbox_tunneld_calls));
		sandbox_sam(ctx, id);
		break;
	default:
		fatalx("sandbox: no filter for process %s", proc_name(id));
	}
	return ctx;
}

#ifdef SANDBOX_DEBUG
/*
 * Names of the syscalls, looked up before the filter is loaded: the
 * handler runs in signal context and may not call libseccomp (which
 * allocates).  Never freed; debug builds only.
 */
#define SANDBOX_DEBUG_NAMES	1024
static char		*sandbox_names[SANDBOX_DEBUG_NAMES];
static const char	*sandbox_proc = "?";

static size_t
sandbox_fmt_uint(char *buf, size_t size, unsigned long v)
{
	char	 tmp[24];
	size_t	 n = 0, i;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v != 0 && n < sizeof(tmp));
	for (i = 0; i < n && i < size; i++)
		buf[i] = tmp[n - 1 - i];
	return i;
}

static size_t
sandbox_fmt_str(char *buf, size_t size, const char *s)
{
	size_t	 n;

	for (n = 0; s[n] != '\0' && n < size; n++)
		buf[n] = s[n];
	return n;
}

/* only write(2) and the calls that end the process: async-signal-safe */
static void
sandbox_sigsys(int sig, siginfo_t *info, void *uctx)
{
	struct sigaction	 sa;
	char			 msg[256];
	const char		*name = NULL;
	size_t			 n = 0;
	int			 nr = info->si_syscall;

	if (nr >= 0 && nr < SANDBOX_DEBUG_NAMES)
		name = sandbox_names[nr];
	n += sandbox_fmt_str(msg + n, sizeof(msg) - n, "sandbox: ");
	n += sandbox_fmt_str(msg + n, sizeof(msg) - n, sandbox_proc);
	n += sandbox_fmt_str(msg + n, sizeof(msg) - n,
	    ": forbidden syscall ");
	n += sandbox_fmt_str(msg + n, sizeof(msg) - n,
	    name != NULL ? name : "?");
	n += sandbox_fmt_str(msg + n, sizeof(msg) - n, " (nr ");
	n += sandbox_fmt_uint(msg + n, sizeof(msg) - n, (unsigned)nr);
	n += sandbox_fmt_str(msg + n, sizeof(msg) - n, ")\n");
	(void)write(STDERR_FILENO, msg, n);

	/*
	 * Die of SIGSYS as the release build would, so the parent logs
	 * the same thing: with the default disposition restored, the next
	 * forbidden call (kill(2) is in no allowlist; signal 0 would be
	 * harmless anyway) traps to a fatal SIGSYS.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	(void)sigaction(SIGSYS, &sa, NULL);
	(void)syscall(SYS_kill, 0, 0);
	_exit(1);
}

static void
sandbox_debug_init(enum proc_id id)
{
	struct sigaction	 sa;
	sigset_t		 set;
	int			 nr;

	sandbox_proc = proc_name(id);
	for (nr = 0; nr < SANDBOX_DEBUG_NAMES; nr++)
		sandbox_names[nr] = seccomp_syscall_resolve_num_arch(
		    SCMP_ARCH_NATIVE, nr);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sandbox_sigsys;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSYS, &sa, NULL) == -1)
		fatal("sandbox: %s: sigaction SIGSYS", proc_name(id));
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	if (sigprocmask(SIG_UNBLOCK, &set, NULL) == -1)
		fatal("sandbox: %s: sigprocmask", proc_name(id));
	log_warnx("sandbox: %s: debug filter, forbidden calls trap",
	    proc_name(id));
}
#endif /* SANDBOX_DEBUG */

static void
sandbox_load(enum proc_id id)
{
	scmp_filter_ctx	 ctx;
	int		 rc;

	ctx = sandbox_build(id);
#ifdef SANDBOX_DEBUG
	sandbox_debug_init(id);
#endif
	if ((rc = seccomp_load(ctx)) != 0)
		fatalx("sandbox: %s: seccomp_load: %s", proc_name(id),
		    sandbox_errstr(rc));
	seccomp_release(ctx);
}

void
sandbox_netd(void)
{
	sandbox_load(PROC_NETD);
}

void
sandbox_cryptod(void)
{
	sandbox_load(PROC_CRYPTOD);
}

void
sandbox_routerd(void)
{
	sandbox_load(PROC_ROUTERD);
}

void
sandbox_tunneld(void)
{
	sandbox_load(PROC_TUNNELD);
}

/* writes a process's filter as pseudo filter code, for review */
void
sandbox_export(enum proc_id id, int fd)
{
	scmp_filter_ctx	 ctx;
	int		 rc;

	ctx = sandbox_build(id);
	if ((rc = seccomp_export_pfc(ctx, fd)) != 0)
		fatalx("sandbox: %s: seccomp_export_pfc: %s", proc_name(id),
		    sandbox_errstr(rc));
	seccomp_release(ctx);
}
