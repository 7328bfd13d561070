/*
 * libFuzzer target: SSU2's bookkeeping of what peers send
 * (netd/ssu2_track.c), driven by a stream of records:
 *
 *   0  a packet number (4 bytes) into the receive window
 *   1  a fragment: message ID (1 byte), number (1 byte; bit 7 "last"),
 *      length (2 bytes, up to 2000), then that many bytes
 *   2  a second passes (expiry)
 *
 * Checked beyond the sanitizers: a new packet number is seen once, and
 * the window lists it, highest first; reassembly never holds more than
 * its bounds, a whole message is as long as its fragments, and nothing
 * is left held when the session goes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fuzz.h"
#include "../../netd/netd.h"
#include "../../netd/ssu2_io.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 errfd = STDERR_FILENO;

static void
die(const char *what)
{
	dprintf(errfd, "fuzz_ssu2_track: %s\n", what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	errfd = fuzz_stderr();
	return 0;
}

static void
one_pn(struct ssu2_rxwin *w, uint32_t pn)
{
	uint32_t	 pns[SSU2_RXWIN];
	size_t		 n, i;

	if (ssu2_rx_add(w, pn) == 1 && ssu2_rx_add(w, pn) != 0)
		die("a packet number seen twice");
	n = ssu2_rx_list(w, pns, SSU2_RXWIN);
	if (n == 0 || pns[0] != w->max)
		die("the window does not list its top");
	for (i = 1; i < n; i++)
		if (pns[i] >= pns[i - 1])
			die("the window is not in descending order");
}

static void
one_frag(struct ssu2_reasm_set *set, struct rbuf *r, int64_t now,
    size_t *sum)
{
	const uint8_t	*data;
	uint8_t		 id, num, *msg;
	uint16_t	 len;
	size_t		 mlen;

	if (rbuf_get_u8(r, &id) == -1 || rbuf_get_u8(r, &num) == -1 ||
	    rbuf_get_u16(r, &len) == -1 || len > 2000 ||
	    rbuf_get_ptr(r, &data, len) == -1)
		return;
	if (ssu2_reasm_add(set, id, num & 0x7f, num >> 7, data, len, now,
	    &msg, &mlen) == 1) {
		if (mlen == 0 || mlen > NETD_I2NP_MAX)
			die("a whole message of an impossible size");
		free(msg);
	}
	if (set->n > SSU2_REASM_MSGS || set->bytes > SSU2_REASM_BYTES ||
	    ssu2_reasm_all() != set->bytes)
		die("reassembly beyond its bounds");
	*sum += len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ssu2_rxwin	 w;
	struct ssu2_reasm_set	 set;
	struct rbuf		 r;
	uint8_t			 op;
	uint32_t		 pn;
	int64_t			 now = 0;
	size_t			 sum = 0;

	ssu2_rx_init(&w);
	ssu2_reasm_init(&set);
	rbuf_init(&r, data, size);
	while (rbuf_get_u8(&r, &op) == 0) {
		switch (op % 3) {
		case 0:
			if (rbuf_get_u32(&r, &pn) == 0)
				one_pn(&w, pn);
			break;
		case 1:
			one_frag(&set, &r, now, &sum);
			break;
		default:
			now++;
			ssu2_reasm_expire(&set, now);
			break;
		}
	}
	ssu2_reasm_clear(&set);
	if (ssu2_reasm_all() != 0)
		die("bytes held after the session went");
	return 0;
}
