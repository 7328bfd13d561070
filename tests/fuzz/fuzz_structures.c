/*
 * libFuzzer target: the I2P structure parsers (common/mapping.c,
 * identity.c, routerinfo.c, leaseset2.c, i2np.c), the ones every
 * RouterInfo, LeaseSet and I2NP message from a peer goes through.
 *
 * The first input byte picks the parser, the rest is its input.
 * Checked beyond the sanitizers: whatever parses serializes back to the
 * very bytes it was parsed from (one encoding per value, so a parser
 * cannot be tricked into accepting something the signer did not sign),
 * and a failed parse says why.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "i2pdata.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 errfd = STDERR_FILENO;
static struct router_info	*ri;
static struct leaseset2		*ls;

static void
die(const char *what)
{
	dprintf(errfd, "fuzz_structures: %s\n", what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	/* large structs: once, on the heap */
	if ((ri = malloc(sizeof(*ri))) == NULL ||
	    (ls = malloc(sizeof(*ls))) == NULL)
		die("out of memory");
	return 0;
}

/* the parse failed: it must have said why */
static void
failed(const struct i2p_err *err)
{
	if (err->code == 0)
		die("parse failed without an error code");
}

static void
same(const struct wbuf *w, const uint8_t *data, size_t len, const char *what)
{
	if (wbuf_error(w) || wbuf_len(w) != len ||
	    memcmp(wbuf_data(w), data, len) != 0)
		die(what);
}

static void
fuzz_mapping(const uint8_t *data, size_t len, int sorted)
{
	struct mapping	m;
	struct i2p_err	err = { 0 };
	struct wbuf	w;
	uint8_t		out[MAPPING_WIREMAX + 2];

	if (mapping_parse_bytes(&m, data, len, sorted ? MAPPING_SORTED : 0,
	    &err) == -1) {
		failed(&err);
		return;
	}
	/* written sorted: identical only for input that was sorted */
	wbuf_init_fixed(&w, out, sizeof(out));
	mapping_write(&m, &w);
	if (sorted)
		same(&w, data, len, "mapping does not write back the same");
}

static void
fuzz_ident(const uint8_t *data, size_t len, enum ident_kind kind)
{
	struct i2p_ident	id;
	struct i2p_err		err = { 0 };
	struct wbuf		w;
	uint8_t			out[I2P_IDENT_MAXLEN];

	if (ident_parse_bytes(&id, data, len, kind, &err) == -1) {
		failed(&err);
		return;
	}
	wbuf_init_fixed(&w, out, sizeof(out));
	ident_write(&id, &w);
	same(&w, data, len, "identity does not write back the same");
}

static void
fuzz_routerinfo(const uint8_t *data, size_t len)
{
	struct i2p_err	err = { 0 };
	struct wbuf	w;
	uint8_t		out[RI_MAXLEN];

	if (ri_parse(ri, data, len, &err) == -1) {
		failed(&err);
		return;
	}
	if (ri->rawlen != len || ri->signedlen > len)
		die("RouterInfo lengths");
	(void)ri_verify(ri, &err);
	wbuf_init_fixed(&w, out, sizeof(out));
	ri_write_body(ri, &w);
	same(&w, data, ri->signedlen, "RouterInfo body differs");
}

static void
fuzz_leaseset2(const uint8_t *data, size_t len)
{
	struct i2p_err	err = { 0 };
	struct wbuf	w;
	uint8_t		out[LS2_MAXLEN];

	if (ls2_parse(ls, data, len, &err) == -1) {
		failed(&err);
		return;
	}
	if (ls->rawlen != len || ls->signedlen > len)
		die("LeaseSet2 lengths");
	(void)ls2_verify(ls, ls->published, &err);
	wbuf_init_fixed(&w, out, sizeof(out));
	ls2_write_body(ls, &w);
	same(&w, data, ls->signedlen, "LeaseSet2 body differs");
}

static void
fuzz_i2np(const uint8_t *data, size_t len, int isshort)
{
	struct i2np_hdr	 h;
	struct i2p_err	 err = { 0 };
	struct rbuf	 payload;
	struct wbuf	 w;
	const uint8_t	*p;
	uint8_t		*out;
	size_t		 plen;
	int		 rv;

	rv = isshort ? i2np_msg_parse_short(&h, &payload, data, len, &err) :
	    i2np_msg_parse_long(&h, &payload, data, len, &err);
	if (rv == -1) {
		failed(&err);
		return;
	}
	plen = rbuf_left(&payload);
	if (plen != h.size || rbuf_get_ptr(&payload, &p, plen) == -1)
		die("I2NP payload length");
	if ((out = malloc(len + 1)) == NULL)
		die("out of memory");
	wbuf_init_fixed(&w, out, len + 1);
	if (isshort)
		i2np_msg_write_short(&h, p, plen, &w);
	else
		i2np_msg_write_long(&h, p, plen, &w);
	/* the long form's checksum is recomputed, so compare the rest */
	if (wbuf_error(&w) || wbuf_len(&w) != len ||
	    memcmp(out + (isshort ? 0 : 16), data + (isshort ? 0 : 16),
	    len - (isshort ? 0 : 16)) != 0 ||
	    memcmp(out, data, isshort ? len : 15) != 0)
		die("I2NP message does not write back the same");
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	if (len < 1)
		return 0;
	switch (data[0] % 8) {
	case 0:
		fuzz_mapping(data + 1, len - 1, 0);
		break;
	case 1:
		fuzz_mapping(data + 1, len - 1, 1);
		break;
	case 2:
		fuzz_ident(data + 1, len - 1, IDENT_ROUTER);
		break;
	case 3:
		fuzz_ident(data + 1, len - 1, IDENT_DEST);
		break;
	case 4:
		fuzz_routerinfo(data + 1, len - 1);
		break;
	case 5:
		fuzz_leaseset2(data + 1, len - 1);
		break;
	case 6:
		fuzz_i2np(data + 1, len - 1, 0);
		break;
	case 7:
		fuzz_i2np(data + 1, len - 1, 1);
		break;
	}
	return 0;
}
