/*
 * i2pctl [-j] [-s socket] command [argument ...]
 *
 * Control client of i2prd.  Everything but option handling lives in the
 * other files of this directory so the unit tests can link it.
 */
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

	if (ctl_send(&ibuf, &res) == -1)
		exit(1);
	rv = ctl_replies(&ibuf, &res, out, CTL_TIMEOUT_MS);

	imsg_clear(&ibuf);
	close(fd);

	if (fflush(stdout) == EOF)
		err(1, "stdout");
	exit(rv == 0 ? 0 : 1);
}
