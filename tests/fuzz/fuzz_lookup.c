/*
 * libFuzzer target: I2NP DatabaseLookup and DatabaseSearchReply as
 * peers send them (routerd/lookup.c).  The first byte picks the parser.
 * Checked beyond the sanitizers: what parses builds back to the same
 * bytes (except an ElGamal/AES lookup, which we never build), and the
 * hash lists lie inside the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "../../routerd/lookup.h"
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
same_bytes(const char *what, struct wbuf *w, const uint8_t *data,
    size_t len)
{
	if (wbuf_error(w) || wbuf_len(w) != len ||
	    memcmp(wbuf_data(w), data, len) != 0) {
		dprintf(errfd, "fuzz_lookup: %s does not build back\n", what);
		abort();
	}
}

static void
inside(const uint8_t *p, size_t n, const uint8_t *data, size_t len)
{
	if (n > 0 && (p < data || p + n > data + len))
		abort();
}

static void
one_lookup(const uint8_t *data, size_t len)
{
	struct dblookup	 l;
	struct wbuf	 w;
	uint8_t		 buf[64 + 1 + 4 + 2 + DBL_EXCLUDE_MAX * 32 + 64];
	const char	*why = NULL;

	if (dbl_parse(&l, data, len, &why) == -1) {
		if (why == NULL)
			abort();
		return;
	}
	inside(l.excluded, (size_t)l.nexcluded * 32, data, len);
	if (l.nexcluded > DBL_EXCLUDE_MAX || l.reply == DBL_REPLY_AES)
		return;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (dbl_build(&w, &l) == -1)
		abort();
	same_bytes("DatabaseLookup", &w, data, len);
}

static void
one_dsrm(const uint8_t *data, size_t len)
{
	struct dsrm	 d;
	struct wbuf	 w;
	uint8_t		 buf[32 + 1 + DSRM_PEERS_MAX * 32 + 32];
	const char	*why = NULL;

	if (dsrm_parse(&d, data, len, &why) == -1) {
		if (why == NULL)
			abort();
		return;
	}
	inside(d.peers, (size_t)d.npeers * 32, data, len);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (dsrm_build(&w, d.key, d.peers, d.npeers, d.from) == -1)
		abort();
	same_bytes("DatabaseSearchReply", &w, data, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	if (len < 1)
		return 0;
	if (data[0] & 1)
		one_dsrm(data + 1, len - 1);
	else
		one_lookup(data + 1, len - 1);
	return 0;
}
