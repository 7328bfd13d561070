/*
 * Starts the real i2prd-cryptod as the parent does (socketpair on fd 3,
 * links, configuration) and plays the other processes on its links, so
 * tests and benchmarks talk to cryptod exactly as netd, routerd and
 * tunneld do.
 */
#ifndef I2PRD_TESTS_HARNESS_H
#define I2PRD_TESTS_HARNESS_H

#include <sys/types.h>

#include "imsg.h"
#include "i2prd.h"

struct harness {
	pid_t		 pid;
	char		 statedir[CONF_PATHLEN];
	struct imsgbuf	 parent;
	struct imsgbuf	 link[PROC_MAX];	/* netd, routerd, tunneld */
};

/* 0 when cryptod is up and ready; -1 if it did not start */
int	 harness_start(struct harness *, const char *prog, const char *statedir);
/* closes the links and waits; returns the wait status */
int	 harness_stop(struct harness *);
int	 harness_send(struct harness *, enum proc_id from, uint32_t type,
	    uint32_t reqid, const void *, size_t);
/* next message on a link within 10 s; 0 ok, -1 timeout, EOF or error */
int	 harness_recv(struct harness *, enum proc_id on, struct imsg *);
/* flushes one link's output (for pipelined benchmarks) */
int	 harness_flush(struct harness *, enum proc_id);

#endif
