/*
 * Logging.  In foreground mode (-d) lines go to stderr; otherwise to
 * syslog through a datagram socket to /dev/log opened by log_init, before
 * the process chroots and sandboxes itself: the process never needs to
 * create a socket again to log (a sandboxed process could not).
 *
 * Levels are syslog priorities: LOG_WARNING, LOG_INFO (default) and
 * LOG_DEBUG.  log_warn and log_warnx log at LOG_WARNING (log_warn adds
 * strerror(errno)); fatal and fatalx log at LOG_CRIT and exit(1).
 *
 * Repeated lines are rate-limited: a line identical to the previous one
 * within LOG_REPEAT_WINDOW seconds is counted, not written; the count is
 * written as "last message repeated N times" before the next line that
 * is written (a different line, or the same one after the window).
 */
#ifndef I2PRD_LOG_H
#define I2PRD_LOG_H

#include <stdarg.h>
#include <syslog.h>

#define LOG_REPEAT_WINDOW	30

void	log_init(int foreground, int facility);
/* name shown as the line's prefix/ident, e.g. "netd" */
void	log_procinit(const char *);
void	log_setlevel(int);
int	log_getlevel(void);
/* the level name for printing ("warning", "info", "debug") or NULL */
const char *log_levelname(int);
/* parse a level name; -1 if unknown */
int	log_levelbyname(const char *);

void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	vlog(int, const char *, va_list) __attribute__((format(printf, 2, 0)));
void	fatal(const char *, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));
void	fatalx(const char *, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

#endif /* I2PRD_LOG_H */
