/*
 * libFuzzer target: datagrams as tunneld receives them
 * (tunneld/dgram.c, behind common/i2cpdata.c).
 *
 * The first input byte chooses the way in: bit 0 clear, the rest is a
 * Data message body that i2cpdata_parse inflates before dgram_parse
 * reads it, with the protocol its header gives; bit 0 set, the rest is
 * an inflated datagram, protocol 18 if bit 1 is set, else 17.  Checked
 * beyond the sanitizers:
 *
 *   - a failure names an error and leaves no payload behind;
 *   - a success stays inside its input and DGRAM_MAX, and a repliable
 *     datagram is exactly Destination, signature and payload;
 *   - what is accepted builds again (repliable: with the sender's own
 *     signature) and is accepted again, the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "i2cpdata.h"
#include "i2pdata.h"
#include "../../tunneld/dgram.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 errfd = STDERR_FILENO;
static uint8_t	 inflated[I2CPDATA_MAX];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	if (crypto_init() == -1)
		abort();
	return 0;
}

static void
die(const char *what)
{
	dprintf(errfd, "fuzz_dgram: %s\n", what);
	abort();
}

static void
build_again(const struct dgram *d, const uint8_t *buf, struct wbuf *w)
{
	struct i2p_err	err;
	size_t		siglen = ident_siglen(&d->from);

	if (d->proto == I2CP_PROTO_RAW) {
		if (dgram_raw_build(w, d->src_port, d->dst_port,
		    I2CPDATA_STORE, d->payload, d->len, &err) == -1)
			die("raw datagram does not build again");
		return;
	}
	if (d->from.rawlen + siglen + d->len != (size_t)(d->payload +
	    d->len - buf))
		die("repliable datagram is not from || sig || payload");
	if (d->len > DGRAM1_PAYLOAD_MAX)
		return;		/* valid, but more than we send */
	if (dgram1_build(w, d->src_port, d->dst_port, &d->from,
	    buf + d->from.rawlen, siglen, d->payload, d->len, &err) == -1)
		die("repliable datagram does not build again");
}

/* what was accepted, built and read back, is the same */
static void
round_trip(const struct dgram *d, const uint8_t *buf)
{
	static uint8_t		 msg[I2CPDATA_MAX + 1024];
	static uint8_t		 again[I2CPDATA_MAX];
	struct i2cpdata_hdr	 h;
	struct dgram		 d2;
	struct wbuf		 w;
	size_t			 n;

	wbuf_init_fixed(&w, msg, sizeof(msg));
	build_again(d, buf, &w);
	if (wbuf_len(&w) == 0)
		return;
	if (i2cpdata_parse(&h, msg, wbuf_len(&w), again, sizeof(again), &n,
	    NULL) == -1 || dgram_parse(&d2, &h, again, n, NULL) == -1)
		die("own datagram refused");
	if (d2.proto != d->proto || d2.src_port != d->src_port ||
	    d2.dst_port != d->dst_port || d2.len != d->len ||
	    (d->len > 0 && memcmp(d2.payload, d->payload, d->len) != 0) ||
	    (d->proto == I2CP_PROTO_DATAGRAM &&
	    !ident_equal(&d2.from, &d->from)))
		die("round trip differs");
}

static void
check(const struct i2cpdata_hdr *h, const uint8_t *buf, size_t len)
{
	struct dgram	d;
	struct i2p_err	err = { 0 };

	if (dgram_parse(&d, h, buf, len, &err) == -1) {
		if (err.code <= I2PE_OK || err.code >= I2PE_MAX)
			die("failure without an error");
		if (d.payload != NULL || d.len != 0)
			die("payload left after a failure");
		return;
	}
	if (len > DGRAM_MAX || d.len > len || (d.len > 0 &&
	    (d.payload < buf || d.payload + d.len > buf + len)))
		die("payload outside the input");
	round_trip(&d, buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct i2cpdata_hdr	 h = { 0 };
	size_t			 n;

	if (len < 1)
		return 0;
	if ((data[0] & 1) == 0) {
		if (i2cpdata_parse(&h, data + 1, len - 1, inflated,
		    sizeof(inflated), &n, NULL) == 0)
			check(&h, inflated, n);
		return 0;
	}
	h.proto = (data[0] & 2) ? I2CP_PROTO_RAW : I2CP_PROTO_DATAGRAM;
	h.src_port = data[0];
	check(&h, data + 1, len - 1);
	return 0;
}
