/*
 * i2pctl [-j] [-s socket] command [argument ...]
 *
 * Control client of i2prd.  Everything but option handling lives in the
 * other files of this directory so the unit tests can link it.
 */
#include <sys/stat.h>

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "i2pctl.h"
#include "imsg.h"
#include "log.h"
#include "parser.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: i2pctl [-j] [-s socket] command [argument ...]\n");
	exit(1);
}

/*
 * reseed export FILE: routerd writes a temporary file beside FILE,
 * created with our rights, which becomes FILE only once it is whole;
 * a failed export leaves FILE as it was.
 */
static int
export_open(struct parse_result *res)
{
	if ((size_t)snprintf(res->tmppath, sizeof(res->tmppath),
	    "%s.XXXXXX", res->path) >= sizeof(res->tmppath)) {
		warnx("%s: name too long", res->path);
		return -1;
	}
	if ((res->fd = mkstemp(res->tmppath)) == -1) {
		warn("%s", res->tmppath);
		return -1;
	}
	/* reseed files are public */
	if (fchmod(res->fd, 0644) == -1) {
		warn("%s", res->tmppath);
		unlink(res->tmppath);
		return -1;
	}
	return 0;
}

static int
export_close(struct parse_result *res, int rv)
{
	/* the descriptor went to routerd: imsg closed it once sent */
	if (rv == 0 && rename(res->tmppath, res->path) == 0)
		return 0;
	if (rv == 0)
		warn("%s", res->path);
	unlink(res->tmppath);
	return -1;
}

int
main(int argc, char *argv[])
{
	struct parse_result	 res;
	struct imsgbuf		 ibuf;
	const struct output	*out = &text_output;
	const char		*sockname = I2PRD_SOCKET;
	int			 ch, fd, rv;

	/* "+": options end at the command, as with BSD getopt */
	while ((ch = getopt(argc, argv, "+js:")) != -1) {
		switch (ch) {
		case 'j':
			out = &json_output;
			break;
		case 's':
			sockname = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();

	if (parse(argc, argv, &res, stderr) == -1)
		exit(1);

	/* proc_check_imsg explains a rejected reply through log.c */
	log_init(1, LOG_USER);
	log_procinit("i2pctl");

	/* a daemon gone mid-request is an error return, not a signal */
	signal(SIGPIPE, SIG_IGN);

	if ((fd = ctl_connect(sockname)) == -1)
		exit(1);
	imsg_init(&ibuf, fd);

	if (res.action == RESEED_EXPORT && export_open(&res) == -1)
		exit(1);
	/* as bgpctl: the metrics have one format, -j or not */
	if (res.action == SHOW_METRICS)
		rv = ctl_metrics(&ibuf, &metrics_output, CTL_TIMEOUT_MS);
	else if (ctl_send(&ibuf, &res) == -1)
		rv = -1;
	else
		rv = ctl_replies(&ibuf, &res, out, res.action ==
		    RESEED_FETCH ? CTL_FETCH_TIMEOUT_MS : CTL_TIMEOUT_MS);
	if (res.action == RESEED_EXPORT && export_close(&res, rv) == -1)
		rv = -1;

	imsg_clear(&ibuf);
	close(fd);

	if (fflush(stdout) == EOF)
		err(1, "stdout");
	exit(rv == 0 ? 0 : 1);
}
