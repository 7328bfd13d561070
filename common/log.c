/*
 * Logging to stderr (foreground) or syslog.
 *
 * Not glibc's openlog/syslog: those (re)connect to /dev/log lazily, i.e.
 * call socket() and connect() at the first message or after an error,
 * which a sandboxed process may not do.  Here log_init opens the socket
 * once; later a line is either sent on it or dropped.
 *
 * Nothing on the logging path allocates: a process may log when memory
 * is short, and the last line is kept in a fixed buffer.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_PATH	"/dev/log"
#define LOG_MSGLEN	1024		/* a message is truncated to this */
#define LOG_IDENTLEN	32

static int	 log_foreground = 1;	/* stderr until log_init says else */
static int	 log_facility = LOG_DAEMON;
static int	 log_level = LOG_INFO;
static int	 log_fd = -1;
static char	 log_proc[LOG_IDENTLEN];

/* the last line written, for suppressing repeats */
static struct {
	char		 line[LOG_MSGLEN];
	int		 pri;
	int		 valid;
	time_t		 when;		/* monotonic seconds */
	unsigned long	 repeats;	/* suppressed since it was written */
} log_last;

static void	 log_emit(int, const char *);
static void	 vlog_errno(int, int, const char *, const char *, va_list)
		    __attribute__((format(printf, 4, 0)));

void
log_init(int foreground, int facility)
{
	struct sockaddr_un	 sun;

	log_foreground = foreground;
	log_facility = facility & LOG_FACMASK;
	if (log_fd != -1) {
		close(log_fd);
		log_fd = -1;
	}
	if (foreground)
		return;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, LOG_PATH, sizeof(LOG_PATH));
	/*
	 * Non-blocking: when syslogd falls behind, lines are dropped rather
	 * than the event loop stalling.
	 */
	log_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (log_fd == -1)
		return;
	if (connect(log_fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(log_fd);
		log_fd = -1;
	}
}

void
log_procinit(const char *name)
{
	if (name == NULL)
		log_proc[0] = '\0';
	else
		snprintf(log_proc, sizeof(log_proc), "%s", name);
}

void
log_setlevel(int level)
{
	log_level = level;
}

int
log_getlevel(void)
{
	return log_level;
}

static const struct {
	int		 level;
	const char	*name;
} log_levels[] = {
	{ LOG_WARNING,	"warning" },
	{ LOG_INFO,	"info" },
	{ LOG_DEBUG,	"debug" },
};

const char *
log_levelname(int level)
{
	size_t	 i;

	for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (log_levels[i].level == level)
			return log_levels[i].name;
	return NULL;
}

int
log_levelbyname(const char *name)
{
	size_t	 i;

	if (name == NULL)
		return -1;
	for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (strcmp(log_levels[i].name, name) == 0)
			return log_levels[i].level;
	return -1;
}

static time_t
log_now(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;
	return ts.tv_sec;
}

/* write(2) all of it; a lost log line is not worth failing over */
static void
log_write(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= n;
	}
}

/*
 * Writes one line to its destination, each in a single write so lines
 * of processes sharing stderr do not interleave.
 */
static void
log_output(int pri, const char *msg)
{
	char		 buf[LOG_MSGLEN + LOG_IDENTLEN + 64];
	const char	*ident;
	int		 n;

	if (log_foreground) {
		if (log_proc[0] != '\0')
			n = snprintf(buf, sizeof(buf), "%s: %s\n", log_proc,
			    msg);
		else
			n = snprintf(buf, sizeof(buf), "%s\n", msg);
		if (n < 0)
			return;
		if ((size_t)n >= sizeof(buf)) {
			n = sizeof(buf) - 1;
			buf[n - 1] = '\n';
		}
		log_write(STDERR_FILENO, buf, n);
		return;
	}

	if (log_fd == -1)
		return;
	ident = log_proc[0] != '\0' ? log_proc :
	    program_invocation_short_name;
	n = snprintf(buf, sizeof(buf), "<%d>%s[%ld]: %s",
	    log_facility | LOG_PRI(pri), ident, (long)getpid(), msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	/* failure (syslogd gone, queue full) drops the line: see top */
	(void)send(log_fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/*
 * Suppresses a line identical to the last one within LOG_REPEAT_WINDOW
 * seconds, so a peer cannot flood the log by repeating one error.  The
 * count is reported before the next line that is written.
 */
static void
log_emit(int pri, const char *msg)
{
	char	 rep[64];
	time_t	 now;

	now = log_now();
	/* never swallow the last words of a dying process */
	if (pri > LOG_CRIT && log_last.valid && log_last.pri == pri &&
	    now - log_last.when < LOG_REPEAT_WINDOW &&
	    strcmp(log_last.line, msg) == 0) {
		log_last.repeats++;
		return;
	}
	if (log_last.repeats > 0) {
		snprintf(rep, sizeof(rep), "last message repeated %lu times",
		    log_last.repeats);
		log_output(log_last.pri, rep);
	}
	snprintf(log_last.line, sizeof(log_last.line), "%s", msg);
	log_last.pri = pri;
	log_last.valid = 1;
	log_last.when = now;
	log_last.repeats = 0;
	log_output(pri, msg);
}

/*
 * Formats and logs a message: prefix (may be empty), the message, and
 * ": strerror(errnum)" unless errnum is -1.  Control characters are
 * replaced so that text from the network cannot forge extra log lines.
 */
static void
vlog_errno(int pri, int errnum, const char *prefix, const char *fmt,
    va_list ap)
{
	char	 msg[LOG_MSGLEN], ebuf[128];
	char	*p;
	size_t	 len;

	if (pri > log_level && pri > LOG_WARNING)
		return;
	len = strnlen(prefix, sizeof(msg) - 1);
	memcpy(msg, prefix, len);
	if (vsnprintf(msg + len, sizeof(msg) - len, fmt, ap) < 0)
		return;
	for (p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (errnum != -1) {
		len = strlen(msg);
		/* the GNU strerror_r: no allocation for unknown errors */
		snprintf(msg + len, sizeof(msg) - len, ": %s",
		    strerror_r(errnum, ebuf, sizeof(ebuf)));
	}
	log_emit(pri, msg);
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	int	 saved_errno = errno;

	vlog_errno(pri, -1, "", fmt, ap);
	errno = saved_errno;
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved_errno = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_WARNING, saved_errno, "", fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved_errno = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_WARNING, -1, "", fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved_errno = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_INFO, -1, "", fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved_errno = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_DEBUG, -1, "", fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

static void __attribute__((noreturn, format(printf, 2, 0)))
vfatal(int errnum, const char *fmt, va_list ap)
{
	vlog_errno(LOG_CRIT, errnum, "fatal: ", fmt, ap);
	exit(1);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved_errno = errno;

	va_start(ap, fmt);
	vfatal(saved_errno, fmt, ap);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vfatal(-1, fmt, ap);
}
