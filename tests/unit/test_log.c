/*
 * Unit tests of common/log.c.  Foreground output is checked by pointing
 * fd 2 at a temporary file; the syslog path in a child with its own
 * mount namespace and a private /dev, where the test binds /dev/log.
 */
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "unit.h"

static int	 saved_stderr = -1;

/* start collecting what is written to fd 2 */
static void
capture_start(void)
{
	FILE	*f;
	int	 fd;

	ck_assert_ptr_nonnull(f = tmpfile());
	ck_assert_int_ne(fd = dup(fileno(f)), -1);
	fclose(f);
	ck_assert_int_ne(saved_stderr = dup(STDERR_FILENO), -1);
	ck_assert_int_ne(dup2(fd, STDERR_FILENO), -1);
	close(fd);
}

/* stop collecting; buf gets what was written, NUL-terminated */
static void
capture_end(char *buf, size_t bufsz)
{
	ssize_t	 n;

	ck_assert_int_eq(lseek(STDERR_FILENO, 0, SEEK_SET), 0);
	n = read(STDERR_FILENO, buf, bufsz - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	ck_assert_int_ne(dup2(saved_stderr, STDERR_FILENO), -1);
	close(saved_stderr);
	saved_stderr = -1;
}

/* every test starts from the defaults, also with CK_FORK=no */
static void
setup(void)
{
	log_init(1, LOG_DAEMON);
	log_procinit(NULL);
	log_setlevel(LOG_INFO);
}

START_TEST(test_levelnames)
{
	ck_assert_str_eq(log_levelname(LOG_WARNING), "warning");
	ck_assert_str_eq(log_levelname(LOG_INFO), "info");
	ck_assert_str_eq(log_levelname(LOG_DEBUG), "debug");
	ck_assert_ptr_null(log_levelname(LOG_ERR));
	ck_assert_ptr_null(log_levelname(-1));
	ck_assert_int_eq(log_levelbyname("warning"), LOG_WARNING);
	ck_assert_int_eq(log_levelbyname("info"), LOG_INFO);
	ck_assert_int_eq(log_levelbyname("debug"), LOG_DEBUG);
	ck_assert_int_eq(log_levelbyname("err"), -1);
	ck_assert_int_eq(log_levelbyname(""), -1);
	ck_assert_int_eq(log_levelbyname("infos"), -1);
	ck_assert_int_eq(log_levelbyname(NULL), -1);
}
END_TEST

START_TEST(test_default_level)
{
	ck_assert_int_eq(log_getlevel(), LOG_INFO);
	log_setlevel(LOG_DEBUG);
	ck_assert_int_eq(log_getlevel(), LOG_DEBUG);
}
END_TEST

START_TEST(test_level_filter)
{
	char	 out[1024];

	capture_start();
	log_debug("level-1 debug hidden");
	log_info("level-1 info %d", 1);
	log_warnx("level-1 warn");
	log_setlevel(LOG_DEBUG);
	log_debug("level-2 debug shown");
	log_setlevel(LOG_WARNING);
	log_info("level-3 info hidden");
	log_debug("level-3 debug hidden");
	log_warnx("level-3 warn");
	capture_end(out, sizeof(out));
	ck_assert_str_eq(out,
	    "level-1 info 1\n"
	    "level-1 warn\n"
	    "level-2 debug shown\n"
	    "level-3 warn\n");
}
END_TEST

static void __attribute__((format(printf, 2, 3)))
call_vlog(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

START_TEST(test_vlog_levels)
{
	char	 out[256];

	capture_start();
	call_vlog(LOG_DEBUG, "vlog debug %d", 1);
	call_vlog(LOG_INFO, "vlog info %d", 2);
	call_vlog(LOG_ERR, "vlog err %d", 3);
	log_setlevel(LOG_WARNING);
	call_vlog(LOG_NOTICE, "vlog notice %d", 4);
	call_vlog(LOG_WARNING, "vlog warning %d", 5);
	capture_end(out, sizeof(out));
	ck_assert_str_eq(out, "vlog info 2\nvlog err 3\nvlog warning 5\n");
}
END_TEST

START_TEST(test_procname)
{
	char	 out[256];

	capture_start();
	log_info("no prefix");
	log_procinit("netd");
	log_info("with prefix");
	log_procinit(NULL);
	log_info("no prefix again");
	capture_end(out, sizeof(out));
	ck_assert_str_eq(out,
	    "no prefix\n"
	    "netd: with prefix\n"
	    "no prefix again\n");
}
END_TEST

START_TEST(test_warn_errno)
{
	char	 out[256], want[256];

	capture_start();
	errno = ENOENT;
	log_warn("open %s", "/nonexistent");
	/* logging must not clobber errno */
	ck_assert_int_eq(errno, ENOENT);
	errno = EACCES;
	log_warnx("warnx %s", "plain");
	ck_assert_int_eq(errno, EACCES);
	log_info("info plain");
	ck_assert_int_eq(errno, EACCES);
	capture_end(out, sizeof(out));
	snprintf(want, sizeof(want), "open /nonexistent: %s\n"
	    "warnx plain\ninfo plain\n", strerror(ENOENT));
	ck_assert_str_eq(out, want);
}
END_TEST

START_TEST(test_warn_at_warning_level)
{
	char	 out[256], want[256];

	log_setlevel(LOG_WARNING);
	capture_start();
	errno = EPERM;
	log_warn("warn shown");
	capture_end(out, sizeof(out));
	snprintf(want, sizeof(want), "warn shown: %s\n", strerror(EPERM));
	ck_assert_str_eq(out, want);
}
END_TEST

START_TEST(test_repeat)
{
	char	 out[256];

	capture_start();
	log_info("repeat-1 same");
	log_info("repeat-1 same");
	log_info("repeat-1 same");
	log_info("repeat-1 other");
	capture_end(out, sizeof(out));
	ck_assert_str_eq(out,
	    "repeat-1 same\n"
	    "last message repeated 2 times\n"
	    "repeat-1 other\n");
}
END_TEST

START_TEST(test_repeat_none)
{
	char	 out[256];

	/* a single repeat-free sequence gets no count line */
	capture_start();
	log_info("repeat-2 a");
	log_info("repeat-2 b");
	log_info("repeat-2 a");
	capture_end(out, sizeof(out));
	ck_assert_str_eq(out, "repeat-2 a\nrepeat-2 b\nrepeat-2 a\n");
}
END_TEST

START_TEST(test_repeat_formatted)
{
	char	 out[256];
	int	 i;

	/* the formatted line is compared, not the format */
	capture_start();
	for (i = 0; i < 4; i++)
		log_info("repeat-3 %d", 7);
	for (i = 0; i < 2; i++)
		log_info("repeat-3 %d", i);
	capture_end(out, sizeof(out));
	ck_assert_str_eq(out,
	    "repeat-3 7\n"
	    "last message repeated 3 times\n"
	    "repeat-3 0\n"
	    "repeat-3 1\n");
}
END_TEST

START_TEST(test_repeat_procname)
{
	char	 out[256];

	log_procinit("routerd");
	capture_start();
	log_warnx("repeat-4");
	log_warnx("repeat-4");
	log_info("repeat-4 done");
	capture_end(out, sizeof(out));
	ck_assert_str_eq(out,
	    "routerd: repeat-4\n"
	    "routerd: last message repeated 1 times\n"
	    "routerd: repeat-4 done\n");
}
END_TEST

/* suppressed lines below the level do not count as repeats */
START_TEST(test_repeat_filtered)
{
	char	 out[256];

	capture_start();
	log_info("repeat-5");
	log_debug("repeat-5");
	log_debug("repeat-5");
	log_info("repeat-5 end");
	capture_end(out, sizeof(out));
	ck_assert_str_eq(out, "repeat-5\nrepeat-5 end\n");
}
END_TEST

START_TEST(test_control_chars)
{
	char	 out[256];

	capture_start();
	log_info("ctl %s", "a\nfake: line\r\x1b[0m");
	capture_end(out, sizeof(out));
	ck_assert_str_eq(out, "ctl a?fake: line??[0m\n");
}
END_TEST

START_TEST(test_long_line)
{
	char	 big[4000], out[8192];

	/* truncated to one line, still newline-terminated */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_procinit("netd");
	capture_start();
	log_info("%s", big);
	capture_end(out, sizeof(out));
	ck_assert_uint_gt(strlen(out), 1000);
	ck_assert_uint_lt(strlen(out), 1100);
	ck_assert_int_eq(strncmp(out, "netd: xxx", 9), 0);
	ck_assert_int_eq(out[strlen(out) - 1], '\n');
	ck_assert_ptr_eq(strchr(out, '\n'), out + strlen(out) - 1);
}
END_TEST

/* the exit tests' output is checked by test_fatal_output */
static void
quiet(void)
{
	int	 fd;

	if ((fd = open("/dev/null", O_WRONLY)) != -1) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
}

START_TEST(test_fatalx_exit)
{
	quiet();
	fatalx("fatalx-exit %d", 1);
}
END_TEST

START_TEST(test_fatal_exit)
{
	quiet();
	errno = EINVAL;
	fatal("fatal-exit");
}
END_TEST

/* run f in a child with fd 2 on a pipe; collect output and status */
static int
run_child(void (*f)(void), char *out, size_t outsz)
{
	int	 p[2], status;
	pid_t	 pid;
	size_t	 len = 0;
	ssize_t	 n;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], STDERR_FILENO);
		f();
		_exit(99);
	}
	close(p[1]);
	while (len < outsz - 1 &&
	    (n = read(p[0], out + len, outsz - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void
do_fatalx(void)
{
	log_procinit("cryptod");
	log_info("before");
	log_info("before");
	fatalx("no key %s", "file");
}

static void
do_fatal(void)
{
	errno = ENOSPC;
	fatal("write");
}

START_TEST(test_fatal_output)
{
	char	 out[512], want[512];

	ck_assert_int_eq(run_child(do_fatalx, out, sizeof(out)), 1);
	ck_assert_str_eq(out,
	    "cryptod: before\n"
	    "cryptod: last message repeated 1 times\n"
	    "cryptod: fatal: no key file\n");

	ck_assert_int_eq(run_child(do_fatal, out, sizeof(out)), 1);
	snprintf(want, sizeof(want), "fatal: write: %s\n", strerror(ENOSPC));
	ck_assert_str_eq(out, want);
}
END_TEST

static void
do_fatal_warning(void)
{
	/* fatal is shown even at the lowest level */
	log_setlevel(LOG_WARNING);
	fatalx("quiet");
}

START_TEST(test_fatal_at_warning)
{
	char	 out[512];

	ck_assert_int_eq(run_child(do_fatal_warning, out, sizeof(out)), 1);
	ck_assert_str_eq(out, "fatal: quiet\n");
}
END_TEST

/*
 * Syslog
 */

/* bind a datagram socket on /dev/log */
static int
fake_syslogd(void)
{
	struct sockaddr_un	 sun;
	int			 s;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, "/dev/log");
	unlink(sun.sun_path);
	if ((s = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
		return -1;
	if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(s);
		return -1;
	}
	return s;
}

/* a private /dev where the test may create /dev/log; 0 or -1 */
static int
private_dev(void)
{
	if (unshare(CLONE_NEWNS) == -1 &&
	    unshare(CLONE_NEWUSER | CLONE_NEWNS) == -1)
		return -1;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		return -1;
	if (mount("tmpfs", "/dev", "tmpfs", 0, "mode=0755") == -1)
		return -1;
	return 0;
}

static int
count_fds(void)
{
	int	 fd, n = 0;

	for (fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			n++;
	return n;
}

/*
 * In the child: the lines received by a fake syslogd, separated by
 * '\n', are written to fd out.  Exits 77 if no private /dev can be had.
 */
static void
syslog_child(int out)
{
	char	 buf[2048];
	ssize_t	 n;
	int	 s, s2, nfd;

	if (private_dev() == -1)
		_exit(77);
	if ((s = fake_syslogd()) == -1)
		_exit(2);

	log_init(0, LOG_DAEMON);
	log_setlevel(LOG_INFO);
	log_procinit(NULL);
	log_info("syslog %s", "default ident");
	log_procinit("netd");
	log_debug("syslog hidden");
	log_warnx("syslog warn");
	log_warnx("syslog warn");
	log_info("syslog next");
	while ((n = recv(s, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		buf[n++] = '\n';
		if (write(out, buf, n) != n)
			_exit(6);
	}

	/*
	 * syslogd goes away and comes back: the line in between is
	 * dropped, and no new socket is made to reach the new one.
	 */
	close(s);
	unlink("/dev/log");
	nfd = count_fds();
	log_info("syslog lost");
	if ((s2 = fake_syslogd()) == -1)
		_exit(3);
	log_info("syslog not reconnected");
	if (count_fds() != nfd + 1)
		_exit(4);
	if (recv(s2, buf, sizeof(buf), MSG_DONTWAIT) != -1)
		_exit(5);
	_exit(0);
}

START_TEST(test_syslog)
{
	char	 out[2048], want[2048];
	int	 p[2], status;
	pid_t	 pid;
	size_t	 len = 0;
	ssize_t	 n;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		close(p[0]);
		syslog_child(p[1]);
	}
	close(p[1]);
	while (len < sizeof(out) - 1 &&
	    (n = read(p[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77) {
		fprintf(stderr, "test_syslog: no mount namespace, skipped\n");
		return;
	}
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	/* LOG_DAEMON|LOG_INFO = 30, LOG_DAEMON|LOG_WARNING = 28 */
	snprintf(want, sizeof(want),
	    "<30>%s[%ld]: syslog default ident\n"
	    "<28>netd[%ld]: syslog warn\n"
	    "<28>netd[%ld]: last message repeated 1 times\n"
	    "<30>netd[%ld]: syslog next\n",
	    program_invocation_short_name, (long)pid, (long)pid, (long)pid,
	    (long)pid);
	ck_assert_str_eq(out, want);
}
END_TEST

/* without /dev/log nothing is written anywhere and nothing breaks */
static void
do_no_devlog(void)
{
	if (private_dev() == -1)
		_exit(77);
	log_init(0, LOG_LOCAL0);
	log_warnx("nowhere");
	fatalx("nowhere either");
}

START_TEST(test_syslog_absent)
{
	char	 out[256];
	int	 status;

	status = run_child(do_no_devlog, out, sizeof(out));
	if (status == 77) {
		fprintf(stderr, "test_syslog_absent: no mount namespace, "
		    "skipped\n");
		return;
	}
	ck_assert_int_eq(status, 1);
	ck_assert_str_eq(out, "");
}
END_TEST

static Suite *
log_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("log");

	tc = tcase_create("levels");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_levelnames);
	tcase_add_test(tc, test_default_level);
	tcase_add_test(tc, test_level_filter);
	tcase_add_test(tc, test_vlog_levels);
	tcase_add_test(tc, test_procname);
	tcase_add_test(tc, test_warn_errno);
	tcase_add_test(tc, test_warn_at_warning_level);
	tcase_add_test(tc, test_control_chars);
	tcase_add_test(tc, test_long_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("repeat");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_repeat);
	tcase_add_test(tc, test_repeat_none);
	tcase_add_test(tc, test_repeat_formatted);
	tcase_add_test(tc, test_repeat_procname);
	tcase_add_test(tc, test_repeat_filtered);
	suite_add_tcase(s, tc);

	tc = tcase_create("fatal");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_exit_test(tc, test_fatalx_exit, 1);
	tcase_add_exit_test(tc, test_fatal_exit, 1);
	tcase_add_test(tc, test_fatal_output);
	tcase_add_test(tc, test_fatal_at_warning);
	suite_add_tcase(s, tc);

	tc = tcase_create("syslog");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_syslog);
	tcase_add_test(tc, test_syslog_absent);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(log_suite());
}
