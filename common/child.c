/*
 * The start-up sequence every child follows (STYLE.md, "Process model"):
 * open logging, look up the user, chroot into the process's own
 * directory, drop privileges, set up the event loop on fd 3, let the
 * process open what it needs, and only then install its seccomp filter.
 * Then the common messages from the parent: mesh links, configuration,
 * log level.  Everything else goes to the process's own dispatchers.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <bsd/string.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "log.h"
#include "proc.h"

static struct child_env		 env;
static const struct child_ops	*ops;
static struct peer		 parent_peer;
static struct peer		 mesh_peers[PROC_MAX];
static uint32_t			 links_up;	/* PROC_BITs with SOCKET_CONN */
static uint32_t			 hellos;	/* PROC_BITs that said hello */
static int			 socket_done, ready_sent;
static struct i2prd_conf	*conf, *nconf;
static uint32_t			 conf_generation;
static int			 log_verbose;
static struct event		 ev_sigterm;

static void	child_dispatch_parent(struct peer *, struct imsg *);
static void	child_dispatch_mesh(struct peer *, struct imsg *);

const struct i2prd_conf *
child_conf(void)
{
	return conf;
}

uint32_t
child_conf_generation(void)
{
	return conf_generation;
}

static __attribute__((noreturn)) void
child_usage(enum proc_id self)
{
	fprintf(stderr, "usage: %s [-dv] -u user -s statedir\n"
	    "(started by i2prd, not by hand)\n", proc_progname(self));
	exit(1);
}

static void
child_args(enum proc_id self, int argc, char **argv)
{
	int	ch;

	env.self = self;
	while ((ch = getopt(argc, argv, "dvu:s:")) != -1) {
		switch (ch) {
		case 'd':
			env.foreground = 1;
			break;
		case 'v':
			env.verbose = 1;
			break;
		case 'u':
			env.user = optarg;
			break;
		case 's':
			env.statedir = optarg;
			break;
		default:
			child_usage(self);
		}
	}
	if (argc != optind || env.user == NULL || env.statedir == NULL)
		child_usage(self);
}

/*
 * No core file and no ptrace by the same user, in every child and first
 * of all: cryptod holds the private keys, netd and routerd session and
 * tunnel keys.  setresuid() would clear the dumpable flag as a side
 * effect, but only as root, and a core handler (fs.suid_dumpable 2)
 * may still write one; development mode never changes uid at all.
 */
static void
child_nodump(void)
{
	struct rlimit	rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) == -1)
		fatal("setrlimit RLIMIT_CORE");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		fatal("prctl PR_SET_DUMPABLE");
}

/*
 * chroot to the process's directory and become the unprivileged user;
 * without root, stay as we are and only change directory.
 */
static void
child_privdrop(void)
{
	char		 dir[CONF_PATHLEN];
	struct passwd	*pw;

	child_nodump();
	if ((size_t)snprintf(dir, sizeof(dir), "%s/%s", env.statedir,
	    proc_dir(env.self)) >= sizeof(dir))
		fatalx("state directory path too long");
	if (geteuid() != 0) {
		log_warnx("not running as root: no chroot and no privilege "
		    "drop (development mode); seccomp is still on");
		if (chdir(dir) == -1)
			fatal("chdir %s", dir);
		return;
	}
	if ((pw = getpwnam(env.user)) == NULL)
		fatalx("unknown user %s", env.user);
	if (chroot(dir) == -1)
		fatal("chroot %s", dir);
	if (chdir("/") == -1)
		fatal("chdir /");
	if (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal("cannot drop privileges");
	env.root = 1;
}

static void
child_sigterm(int sig, short event, void *arg)
{
	log_info("terminating on signal %d", sig);
	event_loopexit(NULL);
}

static void
child_parent_closed(struct peer *p)
{
	/* the parent closes our link to stop us: a normal exit */
	peer_close(p);
	event_loopexit(NULL);
}

/*
 * A sibling's link closes when it stops: in an orderly stop the parent
 * stops us next, in a crash it stops the whole suite.  Either way the
 * parent decides; we only stop using the link.
 */
static void
child_mesh_closed(struct peer *p)
{
	log_debug("link to %s closed", proc_name(p->id));
	peer_close(p);
}

int
child_main(enum proc_id self, int argc, char **argv,
    const struct child_ops *cops)
{
	struct stat	st;

	ops = cops;
	child_args(self, argc, argv);
	log_init(env.foreground, LOG_DAEMON);
	log_procinit(proc_name(self));
	log_verbose = env.verbose;
	if (log_verbose)
		log_setlevel(LOG_DEBUG);
	if (fstat(I2PRD_CHILD_FD, &st) == -1 || !S_ISSOCK(st.st_mode))
		fatalx("fd %d is not a socket: start %s through i2prd",
		    I2PRD_CHILD_FD, proc_progname(self));
	child_privdrop();

	/* the parent handles HUP and INT (the terminal's ^C) for the suite */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	event_init();
	signal_set(&ev_sigterm, SIGTERM, child_sigterm, NULL);
	signal_add(&ev_sigterm, NULL);
	peer_init(&parent_peer, I2PRD_CHILD_FD, self, PROC_PARENT,
	    child_dispatch_parent, child_parent_closed, NULL);
	peer_register(&parent_peer);
	peers_trim_start();
	/* OpenSSL may read its configuration on first use: do it now */
	if ((!ops->errstrings && crypto_no_errstrings() == -1) ||
	    crypto_init() == -1)
		fatalx("crypto initialisation failed");
	if (ops->setup != NULL)
		ops->setup(&env);
	ops->sandbox();
	log_debug("started, pid %d", (int)getpid());

	event_dispatch();

	if (ops->shutdown != NULL)
		ops->shutdown();
	conf_free(conf);
	conf_free(nconf);
	log_debug("exiting");
	exit(0);
}

static void
child_check_ready(void)
{
	uint32_t	want = proc_links(env.self);

	if (ready_sent || !socket_done || hellos != want)
		return;
	ready_sent = 1;
	peer_compose(&parent_peer, IMSG_CHILD_READY, 0, -1, NULL, 0);
	log_debug("links to the other processes are up");
}

static void
child_socket_conn(struct imsg *imsg)
{
	struct proc_link	 link;
	struct mesh_hello	 hello;
	struct peer		*p;
	int			 fd;

	if (imsg_get_data(imsg, &link, sizeof(link)) == -1)
		fatalx("SOCKET_CONN: bad length");
	if (link.peer >= PROC_MAX ||
	    (proc_links(env.self) & PROC_BIT(link.peer)) == 0 ||
	    (links_up & PROC_BIT(link.peer)) != 0)
		fatalx("SOCKET_CONN: unexpected link to %u", link.peer);
	fd = imsg_get_fd(imsg);
	links_up |= PROC_BIT(link.peer);
	p = &mesh_peers[link.peer];
	peer_init(p, fd, env.self, link.peer, child_dispatch_mesh,
	    child_mesh_closed, NULL);
	peer_register(p);
	hello.from = env.self;
	hello.pid = getpid();
	peer_compose(p, IMSG_MESH_HELLO, 0, -1, &hello, sizeof(hello));
}

static void
child_reconf_conf(struct imsg *imsg)
{
	struct conf_msg	 cm;

	if (imsg_get_data(imsg, &cm, sizeof(cm)) == -1)
		fatalx("RECONF_CONF: bad length");
	conf_free(nconf);
	if ((nconf = conf_new()) == NULL)
		fatal(NULL);
	if (conf_from_msg(nconf, &cm) == -1)
		fatalx("RECONF_CONF: invalid configuration");
	conf_generation = cm.generation;
}

static void
child_reconf_listen(struct imsg *imsg)
{
	struct listen_msg	 lm;
	struct sockaddr_storage	 ss;

	if (nconf == NULL || imsg_get_data(imsg, &lm, sizeof(lm)) == -1)
		fatalx("RECONF_LISTEN: unexpected");
	if (listen_from_msg(&ss, &lm) == -1 || lm.transport > LISTEN_SSU2 ||
	    conf_add_listen(nconf, &ss, lm.transport) == -1)
		fatalx("RECONF_LISTEN: bad listen address");
}

static void
child_reconf_proxy(struct imsg *imsg)
{
	struct proxy_conf	 pc;

	if (nconf == NULL || imsg_get_data(imsg, &pc, sizeof(pc)) == -1)
		fatalx("RECONF_PROXY: unexpected");
	if (proxy_conf_check(&pc) == -1 || conf_add_proxy(nconf, &pc) == -1)
		fatalx("RECONF_PROXY: bad tunnel");
}

static void
child_reconf_addrbook(struct imsg *imsg)
{
	if (nconf == NULL || imsg_get_data(imsg, &nconf->addrbook,
	    sizeof(nconf->addrbook)) == -1)
		fatalx("RECONF_ADDRBOOK: unexpected");
	if (addrbook_conf_check(&nconf->addrbook) == -1)
		fatalx("RECONF_ADDRBOOK: bad subscriptions");
}

/* the new configuration is complete: swap it in atomically */
static void
child_reconf_done(void)
{
	if (nconf == NULL)
		fatalx("RECONF_DONE without RECONF_CONF");
	conf_free(conf);
	conf = nconf;
	nconf = NULL;
	log_setlevel(log_verbose ? LOG_DEBUG : conf->log_level);
	if (ops->reconf != NULL)
		ops->reconf(conf);
	log_debug("configuration generation %u in place", conf_generation);
	peer_compose(&parent_peer, IMSG_RECONF_ACK, 0, -1, NULL, 0);
}

static void
child_log_verbose(struct imsg *imsg)
{
	struct ctl_log_verbose	v;

	if (imsg_get_data(imsg, &v, sizeof(v)) == -1)
		fatalx("CTL_LOG_VERBOSE: bad length");
	log_verbose = v.verbose != 0;
	if (log_verbose)
		log_setlevel(LOG_DEBUG);
	else if (conf != NULL)
		log_setlevel(conf->log_level);
	log_debug("verbose logging on");
}

static void
child_dispatch_parent(struct peer *p, struct imsg *imsg)
{
	switch (imsg_get_type(imsg)) {
	case IMSG_SOCKET_CONN:
		child_socket_conn(imsg);
		break;
	case IMSG_SOCKET_DONE:
		if (links_up != proc_links(env.self))
			fatalx("SOCKET_DONE before all links arrived");
		socket_done = 1;
		child_check_ready();
		break;
	case IMSG_RECONF_CONF:
		child_reconf_conf(imsg);
		break;
	case IMSG_RECONF_LISTEN:
		child_reconf_listen(imsg);
		break;
	case IMSG_RECONF_PROXY:
		child_reconf_proxy(imsg);
		break;
	case IMSG_RECONF_ADDRBOOK:
		child_reconf_addrbook(imsg);
		break;
	case IMSG_RECONF_DONE:
		child_reconf_done();
		break;
	case IMSG_CTL_LOG_VERBOSE:
		child_log_verbose(imsg);
		break;
	default:
		if (ops->dispatch_parent == NULL)
			fatalx("unexpected imsg %s from parent",
			    imsg_type_name(imsg_get_type(imsg)));
		ops->dispatch_parent(p, imsg);
	}
}

static void
child_dispatch_mesh(struct peer *p, struct imsg *imsg)
{
	struct mesh_hello	hello;

	if (imsg_get_type(imsg) != IMSG_MESH_HELLO) {
		if ((hellos & PROC_BIT(p->id)) == 0)
			fatalx("message from %s before its hello",
			    proc_name(p->id));
		if (ops->dispatch_peer == NULL)
			fatalx("unexpected imsg %s from %s",
			    imsg_type_name(imsg_get_type(imsg)),
			    proc_name(p->id));
		ops->dispatch_peer(p, imsg);
		return;
	}
	if (imsg_get_data(imsg, &hello, sizeof(hello)) == -1 ||
	    hello.from != p->id || (hellos & PROC_BIT(p->id)) != 0)
		fatalx("bad hello from %s", proc_name(p->id));
	hellos |= PROC_BIT(p->id);
	log_debug("link to %s (pid %u) up", proc_name(p->id), hello.pid);
	child_check_ready();
}
