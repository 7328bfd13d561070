/*
 * SSU2 ACK blocks (ssu2.rst "Ack", "Sending ACK Blocks"): the highest
 * packet number, how many below it follow acknowledged, then pairs of
 * (not acknowledged, acknowledged) counts going down, each 0-255.
 * Runs longer than 255 continue in the next range with the other count
 * zero.  Whatever does not fit is left out, oldest first: the spec
 * lets the sender forget old packets.
 */
#include <stdint.h>
#include <string.h>

#include "ssu2.h"

#define RUN_MAX	255

/* how many of pns[i..] continue the run down from pns[i - 1] */
static size_t
run_len(const uint32_t *pns, size_t n, size_t i, size_t max)
{
	size_t	 k = 0;

	while (i + k < n && k < max && pns[i + k] + 1 == pns[i + k - 1])
		k++;
	return k;
}

static int
descending(const uint32_t *pns, size_t n)
{
	size_t	 i;

	for (i = 1; i < n; i++)
		if (pns[i] >= pns[i - 1])
			return 0;
	return 1;
}

static void
add_range(struct ssu2_ack *a, uint8_t nack, uint8_t ack)
{
	a->nack[a->nranges] = nack;
	a->ack[a->nranges++] = ack;
}

int
ssu2_ack_build(struct ssu2_ack *a, const uint32_t *pns, size_t n,
    size_t maxranges)
{
	size_t		 i, run;
	uint32_t	 gap;

	memset(a, 0, sizeof(*a));
	if (n == 0 || !descending(pns, n))
		return -1;
	if (maxranges > SSU2_ACK_RANGES_MAX)
		maxranges = SSU2_ACK_RANGES_MAX;
	a->through = pns[0];
	i = 1 + run_len(pns, n, 1, RUN_MAX);
	a->acnt = i - 1;
	while (i < n && a->nranges < maxranges) {
		/* pns[i - 1] was acknowledged; pns[i] is the next one */
		gap = pns[i - 1] - pns[i] - 1;
		while (gap > RUN_MAX && a->nranges < maxranges) {
			add_range(a, RUN_MAX, 0);
			gap -= RUN_MAX;
		}
		if (a->nranges == maxranges)
			break;
		run = 1 + run_len(pns, n, i + 1, RUN_MAX - 1);
		add_range(a, gap, run);
		i += run;
	}
	/* a last range acknowledging nothing says nothing */
	while (a->nranges > 0 && a->ack[a->nranges - 1] == 0)
		a->nranges--;
	return 0;
}

int
ssu2_ack_has(const struct ssu2_ack *a, uint32_t pn)
{
	int64_t	 hi, lo;
	size_t	 i;

	hi = a->through;
	lo = hi - a->acnt;
	if (pn > hi)
		return 0;
	if (pn >= lo)
		return 1;
	for (i = 0; i < a->nranges && i < SSU2_ACK_RANGES_MAX; i++) {
		hi = lo - 1 - a->nack[i];
		lo = hi - a->ack[i] + 1;
		if (a->ack[i] > 0 && pn <= hi && pn >= lo)
			return 1;
		if (lo <= 0)
			break;
	}
	return 0;
}
