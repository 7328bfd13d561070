/*
 * libFuzzer target: I2NP DatabaseStore as peers send it
 * (routerd/dsm.c), gzip inflation bounded.  Checked beyond the
 * sanitizers: a parsed RouterInfo store builds back into one that parses
 * to the same fields and data.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "../../routerd/dsm.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int		 errfd = STDERR_FILENO;
static struct dsm	*d, *d2;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	if ((d = malloc(sizeof(*d))) == NULL ||
	    (d2 = malloc(sizeof(*d2))) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*why = NULL;
	uint8_t		 buf[DSM_RI_MAX + 256];
	struct wbuf	 w;

	if (dsm_parse(d, data, len, &why) == -1) {
		if (why == NULL)
			abort();
		return 0;
	}
	if (d->datalen > sizeof(d->data))
		abort();
	if (d->type != DSM_TYPE_RI)
		return 0;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (dsm_build_ri(&w, d->key, d->data, d->datalen, d->reply_token,
	    d->reply_tunnel, d->reply_gateway) == -1)
		return 0;	/* incompressible beyond the buffer: fine */
	if (dsm_parse(d2, wbuf_data(&w), wbuf_len(&w), &why) == -1 ||
	    d2->datalen != d->datalen ||
	    memcmp(d2->data, d->data, d->datalen) != 0 ||
	    d2->reply_token != d->reply_token ||
	    memcmp(d2->key, d->key, 32) != 0) {
		dprintf(errfd, "fuzz_dsm: does not build back\n");
		abort();
	}
	return 0;
}
