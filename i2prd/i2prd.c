/*
 * i2prd: the parent.  Reads the configuration, prepares the state
 * directories and the control socket as root, execs the four children
 * and wires them together, then supervises: SIGHUP reloads, SIGTERM and
 * SIGINT stop the suite in order, and the death of any child stops it
 * with a non-zero exit.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <bsd/string.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "parent.h"
#include "paths.h"
#include "tunconv.h"

struct i2prd_conf	*parent_conf;
uint32_t		 parent_generation;

static const char	*conffile = I2PRD_CONFFILE;
static int		 parse_flags;
static int		 verbose_override;
static int		 exit_status;
static int		 startup_done;
static int		 pidfile_written;
static int		 csock_created;
static time_t		 started;
static struct event	 ev_sighup, ev_sigterm, ev_sigint, ev_sigchld;

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: i2prd [-dnv] [-D macro=value] [-f file]\n"
	    "       i2prd -T tunnels.conf\n");
	exit(1);
}

/* mkdir if missing, then owner and mode as given (owner only as root) */
static void
state_dir(const char *path, mode_t mode, uid_t uid, gid_t gid, int root)
{
	struct stat	st;

	if (mkdir(path, mode) == -1 && errno != EEXIST)
		fatal("mkdir %s", path);
	if (lstat(path, &st) == -1)
		fatal("stat %s", path);
	if (!S_ISDIR(st.st_mode))
		fatalx("%s is not a directory", path);
	if (root && (st.st_uid != uid || st.st_gid != gid) &&
	    chown(path, uid, gid) == -1)
		fatal("chown %s", path);
	if ((st.st_mode & 07777) != mode && chmod(path, mode) == -1)
		fatal("chmod %s", path);
}

/*
 * <statedir> and netd's empty chroot belong to root so the unprivileged
 * user cannot change them; the other children own their directory.
 */
static void
state_prepare(const struct i2prd_conf *conf, const struct passwd *pw)
{
	char	path[CONF_PATHLEN];
	int	root = pw != NULL;
	uid_t	uid = root ? pw->pw_uid : geteuid();
	gid_t	gid = root ? pw->pw_gid : getegid();
	int	id;

	state_dir(conf->statedir, 0755, 0, 0, root);
	for (id = PROC_CHILD_FIRST; id <= PROC_CHILD_LAST; id++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
		    conf->statedir, proc_dir(id)) >= sizeof(path))
			fatalx("state directory path too long");
		if (id == PROC_NETD)
			state_dir(path, 0755, 0, 0, root);
		else
			state_dir(path, id == PROC_CRYPTOD ? 0700 : 0755,
			    uid, gid, root);
	}
}

static void
pidfile_check(const char *path)
{
	FILE	*f;
	long	 pid;

	if ((f = fopen(path, "r")) == NULL)
		return;
	if (fscanf(f, "%ld", &pid) == 1 && pid > 0 &&
	    kill((pid_t)pid, 0) == 0)
		fatalx("i2prd already running (pid %ld, %s)", pid, path);
	fclose(f);
}

/* written atomically: a reader never sees a partial pid */
static void
pidfile_write(const char *path)
{
	char	 tmp[CONF_PATHLEN + 8];
	FILE	*f;
	int	 fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		fatalx("pid file path too long");
	/*
	 * As root, in a directory the operator chose: a leftover temp file
	 * goes first, and the new one is made afresh, never through a
	 * link someone left there (audit #20).
	 */
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		log_warn("pid file %s", tmp);
		if (fd != -1)
			close(fd);
		return;
	}
	fprintf(f, "%d\n", (int)getpid());
	if (fflush(f) == EOF || fsync(fileno(f)) == -1 || fclose(f) == EOF ||
	    rename(tmp, path) == -1) {
		log_warn("pid file %s", path);
		unlink(tmp);
		return;
	}
	pidfile_written = 1;
}

/*
 * The control socket: refuse to take over one that answers (another
 * i2prd), remove a stale one, create it 0660.
 */
static int
control_create(const char *path)
{
	struct sockaddr_un	sun;
	mode_t			old_umask;
	int			fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		fatalx("control socket path too long: %s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		fatal("socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		fatalx("control socket %s is in use: i2prd already running?",
		    path);
	close(fd);
	if (unlink(path) == -1 && errno != ENOENT)
		fatal("unlink %s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		fatal("socket");
	old_umask = umask(S_IXUSR | S_IXGRP | S_IRWXO);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		fatal("bind %s", path);
	umask(old_umask);
	csock_created = 1;
	if (chmod(path, 0660) == -1)
		fatal("chmod %s", path);
	if (listen(fd, 16) == -1)
		fatal("listen %s", path);
	return fd;
}

static void
libexec_check(const char *dir)
{
	char	path[CONF_PATHLEN];
	int	id;

	for (id = PROC_CHILD_FIRST; id <= PROC_CHILD_LAST; id++) {
		snprintf(path, sizeof(path), "%s/%s", dir, proc_progname(id));
		if (access(path, X_OK) == -1)
			fatal("cannot execute %s (set I2PRD_LIBEXEC for a "
			    "build tree)", path);
	}
}

void
parent_startup_complete(void)
{
	if (startup_done)
		return;
	startup_done = 1;
	pidfile_write(parent_conf->pidfile);
	log_info("i2prd %s started: %d processes, netid %d",
	    I2PRD_VERSION, PROC_CHILD_LAST - PROC_CHILD_FIRST + 2,
	    parent_conf->netid);
}

void
parent_child_lost(struct child *c, int status)
{
	if (exit_status == 0)
		log_warnx("%s (pid %d) has stopped: stopping the suite",
		    proc_name(c->id), (int)c->pid);
	exit_status = 1;
	event_loopexit(NULL);
}

void
parent_log_verbose(int verbose)
{
	struct ctl_log_verbose	v = { .verbose = verbose };

	verbose_override = verbose;
	log_setlevel(verbose ? LOG_DEBUG : parent_conf->log_level);
	children_broadcast(IMSG_CTL_LOG_VERBOSE, &v, sizeof(v));
	log_info("logging %s", verbose ? "verbose" : "brief");
}

/* keep what only a restart can change; say so if the file changed it */
static void
reload_keep(struct i2prd_conf *nconf)
{
	if (strcmp(nconf->statedir, parent_conf->statedir) != 0 ||
	    strcmp(nconf->user, parent_conf->user) != 0 ||
	    strcmp(nconf->csock, parent_conf->csock) != 0 ||
	    strcmp(nconf->pidfile, parent_conf->pidfile) != 0)
		log_warnx("reload: statedir, user, socket and pidfile "
		    "changes take effect only after a restart");
	strlcpy(nconf->statedir, parent_conf->statedir,
	    sizeof(nconf->statedir));
	strlcpy(nconf->user, parent_conf->user, sizeof(nconf->user));
	strlcpy(nconf->csock, parent_conf->csock, sizeof(nconf->csock));
	strlcpy(nconf->pidfile, parent_conf->pidfile, sizeof(nconf->pidfile));
}

int
parent_reload(char *msg, size_t len)
{
	struct i2prd_conf	*nconf;

	log_info("reloading configuration from %s", conffile);
	if ((nconf = parse_config(conffile, parse_flags)) == NULL) {
		log_warnx("reload: %s has errors, keeping the running "
		    "configuration", conffile);
		snprintf(msg, len, "reload failed: %s has errors, see the log",
		    conffile);
		return 1;
	}
	reload_keep(nconf);
	conf_free(parent_conf);
	parent_conf = nconf;
	parent_generation++;
	log_setlevel(verbose_override ? LOG_DEBUG : parent_conf->log_level);
	children_send_conf(parent_conf, parent_generation);
	children_send_reseed(parent_conf);
	log_info("configuration generation %u sent to the processes",
	    parent_generation);
	snprintf(msg, len, "reload: configuration generation %u in place",
	    parent_generation);
	return 0;
}

static void
parent_sig(int sig, short event, void *arg)
{
	char	msg[256];

	switch (sig) {
	case SIGHUP:
		parent_reload(msg, sizeof(msg));
		break;
	case SIGTERM:
	case SIGINT:
		log_info("stopping on signal %d", sig);
		event_loopexit(NULL);
		break;
	case SIGCHLD:
		if (children_reap()) {
			exit_status = 1;
			log_warnx("a child process has stopped: stopping "
			    "the suite");
			event_loopexit(NULL);
		}
		break;
	}
}

static void
parent_signals(void)
{
	signal(SIGPIPE, SIG_IGN);
	signal_set(&ev_sighup, SIGHUP, parent_sig, NULL);
	signal_set(&ev_sigterm, SIGTERM, parent_sig, NULL);
	signal_set(&ev_sigint, SIGINT, parent_sig, NULL);
	signal_set(&ev_sigchld, SIGCHLD, parent_sig, NULL);
	signal_add(&ev_sighup, NULL);
	signal_add(&ev_sigterm, NULL);
	signal_add(&ev_sigint, NULL);
	signal_add(&ev_sigchld, NULL);
}

static void
parent_cleanup(void)
{
	if (csock_created)
		unlink(parent_conf->csock);
	if (pidfile_written)
		unlink(parent_conf->pidfile);
}

static struct passwd *
parent_user(void)
{
	struct passwd	*pw;

	if (geteuid() != 0) {
		log_warnx("not running as root: development mode, the "
		    "children keep this user and are not chrooted");
		return NULL;
	}
	if ((pw = getpwnam(parent_conf->user)) == NULL)
		fatalx("unknown user %s", parent_conf->user);
	return pw;
}

static void
parent_run(int foreground, int verbose)
{
	struct proc_info	 pi;
	const char		*libexec;
	struct passwd		*pw;
	int			 csock, id;

	if ((libexec = getenv("I2PRD_LIBEXEC")) == NULL)
		libexec = I2PRD_LIBEXECDIR;
	libexec_check(libexec);
	pw = parent_user();
	state_prepare(parent_conf, pw);
	pidfile_check(parent_conf->pidfile);
	csock = control_create(parent_conf->csock);
	if (!foreground) {
		if (daemon(1, 0) == -1)
			fatal("daemon");
		log_init(0, LOG_DAEMON);
	}
	started = time(NULL);
	event_init();
	parent_signals();
	children_start(libexec, foreground, verbose);
	children_links();
	peers_trim_start();
	memset(&pi, 0, sizeof(pi));
	pi.started = started;
	pi.pids[PROC_PARENT] = getpid();
	for (id = PROC_CHILD_FIRST; id <= PROC_CHILD_LAST; id++)
		pi.pids[id] = child_pid(id);
	children_send_control(csock, &pi);
	children_send_conf(parent_conf, parent_generation);
	children_send_reseed(parent_conf);

	event_dispatch();

	resolve_shutdown();
	children_stop();
	parent_cleanup();
	log_info("stopped%s", exit_status ? " after a child stopped" : "");
}

int
main(int argc, char *argv[])
{
	const char	*tunconf = NULL;
	int		 ch, foreground = 0, noaction = 0, verbose = 0;

	log_init(1, LOG_DAEMON);
	while ((ch = getopt(argc, argv, "dD:f:nT:v")) != -1) {
		switch (ch) {
		case 'd':
			foreground = 1;
			break;
		case 'D':
			if (cmdline_symset(optarg) == -1)
				fatalx("could not parse macro definition %s",
				    optarg);
			break;
		case 'f':
			conffile = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'T':
			tunconf = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (argc != optind)
		usage();
	/* a conversion to read, not a router to start: no config, no root */
	if (tunconf != NULL)
		exit(tunconv_file(tunconf, stdout, stderr) == 0 ? 0 : 1);
	verbose_override = verbose;
	if (geteuid() == 0)
		parse_flags = PARSE_CHECK_PERMS;
	if ((parent_conf = parse_config(conffile, parse_flags)) == NULL)
		exit(1);
	if (noaction) {
		print_config(stdout, parent_conf);
		fprintf(stderr, "configuration OK\n");
		exit(0);
	}
	/* prefix lines only once the children share stderr with us */
	log_procinit("parent");
	log_setlevel(verbose ? LOG_DEBUG : parent_conf->log_level);
	parent_run(foreground, verbose);
	conf_free(parent_conf);
	return exit_status;
}
