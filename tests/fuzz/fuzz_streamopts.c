/*
 * libFuzzer target: i2p.streaming.* options as a SAM client or a tunnel
 * configuration gives them (tunneld/stream_opts.c).
 *
 * The input is lines of "name=value" (the name without its
 * "i2p.streaming." prefix, which is added), set in order on the
 * defaults.  Checked beyond the sanitizers:
 *
 *   - a refused option leaves the options as they were;
 *   - a name stream_opts_range does not know is always refused;
 *   - whatever was taken, every value stays inside its range.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tunneld/stream.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 errfd = STDERR_FILENO;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	return 0;
}

static void
die(const char *what)
{
	dprintf(errfd, "fuzz_streamopts: %s\n", what);
	abort();
}

static void
check_bounds(const struct stream_opts *o)
{
	if (o->sndbuf < STREAM_MTU_RATCHET || o->sndbuf > 1024 * 1024 ||
	    o->max_window < 1 || o->max_window > 1024 ||
	    o->initial_window < 1 || o->initial_window > 1024 ||
	    o->initial_rtt < 1 || o->initial_rtt > 60000 ||
	    o->connect_timeout < 1000 || o->connect_timeout > 3600000 ||
	    o->inactivity_timeout > 86400000 ||
	    (o->inactivity_timeout != 0 && o->inactivity_timeout < 1000) ||
	    o->max_resends < 1 || o->max_resends > 16 ||
	    o->mtu < 512 || o->mtu > STREAM_MTU_RATCHET ||
	    o->max_streams < 1 || o->max_streams > STREAM_PER_HOST ||
	    (o->limit_action_reset != 0 && o->limit_action_reset != 1) ||
	    o->rcvbuf != STREAM_RCVBUF)
		die("an option out of its range");
}

/* one "name=value" line */
static void
one(struct stream_opts *o, const char *line)
{
	struct stream_opts	 before = *o;
	char			 name[256];
	const char		*eq;
	size_t			 n;

	if ((eq = strchr(line, '=')) == NULL)
		return;
	n = (size_t)(eq - line);
	if (n > sizeof(name) - 16)
		return;
	snprintf(name, sizeof(name), "i2p.streaming.%.*s", (int)n, line);
	if (stream_opts_set(o, name, eq + 1) == 0) {
		if (stream_opts_range(name) == NULL)
			die("a name not known was taken");
		return;
	}
	if (memcmp(&before, o, sizeof(before)) != 0)
		die("a refused option changed something");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct stream_opts	 o;
	char			 buf[4096], *line, *next;

	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, data, len);
	buf[len] = '\0';
	memset(&o, 0, sizeof(o));
	stream_opts_default(&o);
	for (line = buf; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		one(&o, line);
	}
	check_bounds(&o);
	return 0;
}
