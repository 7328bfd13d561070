/*
 * What the handshake load generators (ntcp2_load.c, ssu2_load.c) share:
 * WORKERS processes, each a router of its own, making handshakes one at
 * a time until a deadline; their latencies and their failures, counted
 * by step, come back through pipes and are printed as one line:
 *
 *   handshakes N failed F (STEP n, ...) seconds S rate R/s p50 ... max M ms
 */
#ifndef I2PRD_HSLOAD_H
#define I2PRD_HSLOAD_H

#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "../interop/testpeer.h"
#include "bench.h"

#define HSL_WORKERS_MAX	64
#define HSL_SAMPLES_MAX	65536
#define HSL_STEPS_MAX	8

struct hsl {
	const char	*name;		/* the program's */
	const char	*transport;	/* the RouterInfo address it needs */
	/* arg (the target) from the RouterInfo file and our address */
	int		 (*load)(void *arg, const char *ri, const char *from);
	/* worker id's own state (identity, address), NULL if it failed */
	void		*(*setup)(void *arg, int id);
	/* one handshake: its seconds, or -1 with failed[step] counted */
	double		 (*one)(void *ctx, int *failed);
	void		*arg;
	const char	*steps[HSL_STEPS_MAX];	/* failure counters' names */
	int		 nsteps;
	/* the data phase: one session, MBYTES into the router */
	int		 (*bulk)(void *arg, double mbytes);
};

/*
 * worker id's source address, base + id: routers limit pending
 * handshakes per address (i2pd takes one), so each has its own
 */
static inline int
hsl_addr(const char *base, int id, char out[INET_ADDRSTRLEN])
{
	struct in_addr	 a;

	if (inet_pton(AF_INET, base, &a) != 1)
		return -1;
	a.s_addr = htonl(ntohl(a.s_addr) + id);
	return inet_ntop(AF_INET, &a, out, INET_ADDRSTRLEN) == NULL ? -1 : 0;
}

/* a worker: handshakes until the deadline; latencies down the pipe */
static inline void
hsl_worker(const struct hsl *h, int id, double until, int out)
{
	static float	 lat[HSL_SAMPLES_MAX];
	int		 failed[HSL_STEPS_MAX] = { 0 }, n = 0;
	void		*ctx;
	double		 d;

	if ((ctx = h->setup(h->arg, id)) == NULL)
		_exit(1);
	while (now() < until && n < HSL_SAMPLES_MAX)
		if ((d = h->one(ctx, failed)) >= 0)
			lat[n++] = d;
	if (write(out, failed, sizeof(failed)) != sizeof(failed) ||
	    write(out, &n, sizeof(n)) != sizeof(n) ||
	    tp_write_full(out, (uint8_t *)lat, n * sizeof(float)) == -1)
		_exit(1);
	_exit(0);
}

static inline int
hsl_cmp_float(const void *a, const void *b)
{
	float	x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

/* each worker's counts and samples, read before it can block on them */
static inline int
hsl_collect(int fd, float *all, int *total, int *failed)
{
	int	 f[HSL_STEPS_MAX], n, i;

	if (tp_read_full(fd, (uint8_t *)f, sizeof(f), -1) == -1 ||
	    tp_read_full(fd, (uint8_t *)&n, sizeof(n), -1) == -1 ||
	    n < 0 || n > HSL_SAMPLES_MAX ||
	    tp_read_full(fd, (uint8_t *)(all + *total), n * sizeof(float),
	    -1) == -1)
		return -1;
	*total += n;
	for (i = 0; i < HSL_STEPS_MAX; i++)
		failed[i] += f[i];
	return 0;
}

static inline void
hsl_print(const struct hsl *h, float *all, int total, const int *failed,
    double elapsed)
{
	int	 i, nf = 0;

	for (i = 0; i < h->nsteps; i++)
		nf += failed[i];
	printf("handshakes %d failed %d (", total, nf);
	for (i = 0; i < h->nsteps; i++)
		printf("%s%s %d", i ? ", " : "", h->steps[i], failed[i]);
	printf(") seconds %.2f", elapsed);
	if (total == 0) {
		printf("\n");
		return;
	}
	qsort(all, total, sizeof(float), hsl_cmp_float);
	printf(" rate %.1f/s p50 %.2f ms p90 %.2f ms p99 %.2f ms max %.2f ms\n",
	    total / elapsed, all[total / 2] * 1e3, all[total * 9 / 10] * 1e3,
	    all[total * 99 / 100] * 1e3, all[total - 1] * 1e3);
}

/* WORKERS processes for SECS seconds; -1 if none succeeded */
static inline int
hsl_run(const struct hsl *h, double secs, int workers)
{
	static float	 all[HSL_WORKERS_MAX * HSL_SAMPLES_MAX];
	double		 t0 = now(), until = t0 + secs;
	int		 p[HSL_WORKERS_MAX][2], i, total = 0;
	int		 failed[HSL_STEPS_MAX] = { 0 };

	if (workers < 1 || workers > HSL_WORKERS_MAX)
		return -1;
	for (i = 0; i < workers; i++) {
		if (pipe(p[i]) == -1)
			return -1;
		switch (fork()) {
		case -1:
			return -1;
		case 0:
			close(p[i][0]);
			hsl_worker(h, i, until, p[i][1]);
		}
		close(p[i][1]);
	}
	for (i = 0; i < workers; i++)
		if (hsl_collect(p[i][0], all, &total, failed) == -1)
			return -1;
	while (wait(NULL) > 0)
		;
	hsl_print(h, all, total, failed, now() - t0);
	return total > 0 ? 0 : -1;
}

/*
 *   NAME hs ROUTER.INFO FROM SECONDS WORKERS
 *   NAME bulk ROUTER.INFO FROM MBYTES
 */
static inline int
hsl_main(const struct hsl *h, int argc, char *argv[])
{
	int	 hs = argc == 6 && strcmp(argv[1], "hs") == 0;
	int	 w = hs ? atoi(argv[5]) : 0;

	if (!hs && !(argc == 5 && strcmp(argv[1], "bulk") == 0)) {
		fprintf(stderr, "usage: %s hs ROUTER.INFO FROM SECONDS WORKERS\n"
		    "       %s bulk ROUTER.INFO FROM MBYTES\n", h->name,
		    h->name);
		return 2;
	}
	if (hs && (w < 1 || w > HSL_WORKERS_MAX)) {
		fprintf(stderr, "%s: workers: 1 to %d\n", h->name,
		    HSL_WORKERS_MAX);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (crypto_init() == -1 || h->load(h->arg, argv[2], argv[3]) == -1) {
		fprintf(stderr, "%s: %s: not a RouterInfo with an %s "
		    "address\n", h->name, argv[2], h->transport);
		return 1;
	}
	if (hs)
		return hsl_run(h, atof(argv[4]), w) == 0 ? 0 : 1;
	return h->bulk(h->arg, atof(argv[4])) == 0 ? 0 : 1;
}

#endif /* I2PRD_HSLOAD_H */
