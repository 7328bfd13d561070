/*
 * What the benchmarks share: a monotonic clock and medians.
 */
#ifndef I2PRD_BENCH_H
#define I2PRD_BENCH_H

#include <stdlib.h>
#include <time.h>

/* seconds, monotonic */
static inline double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int
bench_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* the median of n figures (sorts them) */
static inline double
bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof(v[0]), bench_cmp);
	return v[n / 2];
}

#endif /* I2PRD_BENCH_H */
