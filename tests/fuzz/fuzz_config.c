/*
 * libFuzzer target: the i2prd.conf parser (parse_config in
 * i2prd/parse.y) and printer (print_config).
 *
 * Each input is written as a file in a private directory (in /dev/shm if
 * there is one) and parsed.  Relative includes resolve in that
 * directory, where the only files are the input itself, two fixed files
 * to include (inc1.conf, inc2.conf; the seed corpus includes them) and
 * the printed copy below.  A configuration that parses is printed, the printout is
 * parsed again and must print the same: print_config promises output
 * that parses back into the same configuration.
 *
 * The -D macros (cmdline_symset) are the parser's only state that
 * outlives a parse; they are defined once here, before the first input,
 * and no input can change them (a file cannot override a -D macro), so
 * every input sees the same parser.  What the parser logs goes to stderr
 * (run with -close_fd_mask=2).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "i2prd.h"
#include "log.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 dir[PATH_MAX];
static char	 conf_path[PATH_MAX];
static char	 print_path[PATH_MAX];
static char	 inc1_path[PATH_MAX];
static char	 inc2_path[PATH_MAX];
static int	 errfd = STDERR_FILENO;

static void
die(const char *what)
{
	dprintf(errfd, "fuzz_config: %s\n", what);
	abort();
}

static void	 write_file(const char *, const void *, size_t);

static void
cleanup(void)
{
	unlink(conf_path);
	unlink(print_path);
	unlink(inc1_path);
	unlink(inc2_path);
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* writable copies: cmdline_symset takes a char * */
	char		 d1[] = "ext_addr=198.18.0.1";
	char		 d2[] = "ext_port=20000";
	char		 d3[] = "netid=\"2\"";
	static const char inc1[] = "inc_port = 4567\nfloodfill yes\n";
	static const char inc2[] = "include \"inc1.conf\"\n"
	    "listen on 198.18.0.2 port $inc_port\n";
	const char	*tmp;
	struct stat	 st;

	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	log_init(1, LOG_USER);
	log_procinit("fuzz_config");

	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
	    access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";
	else if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(dir, sizeof(dir), "%s/fuzz_config.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL)
		die("mkdtemp");
	snprintf(conf_path, sizeof(conf_path), "%s/i2prd.conf", dir);
	snprintf(print_path, sizeof(print_path), "%s/printed.conf", dir);
	snprintf(inc1_path, sizeof(inc1_path), "%s/inc1.conf", dir);
	snprintf(inc2_path, sizeof(inc2_path), "%s/inc2.conf", dir);
	atexit(cleanup);
	/* an include with a macro for the includer, and a nested one */
	write_file(inc1_path, inc1, sizeof(inc1) - 1);
	write_file(inc2_path, inc2, sizeof(inc2) - 1);

	/* "netid" is a keyword: refused as a macro name */
	if (cmdline_symset(d1) != 0 || cmdline_symset(d2) != 0 ||
	    cmdline_symset(d3) != -1)
		die("cmdline_symset");
	return 0;
}

static void
write_file(const char *path, const void *data, size_t len)
{
	const uint8_t	*p = data;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1)
		die("open");
	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) == -1)
		die("close");
}

/* print_config into a malloc'd string */
static char *
print_string(const struct i2prd_conf *conf, size_t *len)
{
	FILE	*f;
	char	*s = NULL;

	if ((f = open_memstream(&s, len)) == NULL)
		die("open_memstream");
	print_config(f, conf);
	if (fclose(f) != 0)
		die("fclose");
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct i2prd_conf	*conf, *conf2;
	char			*p1, *p2;
	size_t			 len1, len2;

	/* the lexer is byte by byte; longer inputs only cost time */
	if (size > 64 * 1024)
		return 0;
	write_file(conf_path, data, size);
	/* the printed copy from a previous input is not there to include */
	unlink(print_path);

	if ((conf = parse_config(conf_path, 0)) == NULL)
		return 0;

	p1 = print_string(conf, &len1);
	write_file(print_path, p1, len1);
	if ((conf2 = parse_config(print_path, PARSE_CHECK_PERMS)) == NULL) {
		dprintf(errfd, "printed:\n%s", p1);
		die("the printed configuration does not parse");
	}
	p2 = print_string(conf2, &len2);
	if (len1 != len2 || memcmp(p1, p2, len1) != 0) {
		dprintf(errfd, "printed:\n%s\nprinted again:\n%s", p1, p2);
		die("the printed configuration prints differently");
	}
	free(p1);
	free(p2);
	conf_free(conf);
	conf_free(conf2);
	unlink(print_path);
	return 0;
}
