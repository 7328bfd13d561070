/*
 * libFuzzer target: streaming packets as tunneld receives them
 * (tunneld/stream_pkt.c).
 *
 * The first input byte chooses the signer given for a packet without
 * FROM: bit 0 clear, none; set, a fixed Ed25519 Destination (bit 1
 * clear) or ECDSA P-256 key (bit 1 set: another signature length).
 * The rest is the packet.  Checked beyond the sanitizers:
 *
 *   - a failure names an error and leaves nothing behind;
 *   - a success stays inside its input: payload and signature;
 *   - stream_pkt_verify of what parsed returns 0 or -1 with an error;
 *   - what parsed builds again (without its offline block, which the
 *     builder never writes) and, with the signature copied in, the
 *     bytes are the input's and parse again the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "../../tunneld/stream_pkt.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int		 errfd = STDERR_FILENO;
static struct i2p_ident	 signers[2];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t	 pub[64];

	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	if (crypto_init() == -1)
		abort();
	/* any key bytes: verify fails, the lengths are what count */
	memset(pub, 0x42, sizeof(pub));
	if (ident_signer(&signers[0], SIGTYPE_ED25519, pub, 32) == -1 ||
	    ident_signer(&signers[1], SIGTYPE_ECDSA_P256, pub, 64) == -1)
		abort();
	return 0;
}

static void
die(const char *what)
{
	dprintf(errfd, "fuzz_streampkt: %s\n", what);
	abort();
}

static int
inside(const uint8_t *p, size_t n, const uint8_t *buf, size_t len)
{
	return n == 0 || (p != NULL && p >= buf && p + n <= buf + len);
}

/* built again, the packet is its input byte for byte */
static void
round_trip(const struct stream_pkt *p, const uint8_t *buf, size_t len,
    const struct i2p_ident *signer)
{
	static uint8_t		 again[SP_PACKET_MAX];
	struct stream_pkt	 q;
	struct wbuf		 w;
	size_t			 sig_off = 0;

	if (p->flags & SPF_OFFLINE_SIGNATURE)
		return;
	wbuf_init_fixed(&w, again, sizeof(again));
	if (stream_pkt_build(&w, p, p->siglen, &sig_off, NULL) == -1)
		die("parsed packet does not build again");
	if (p->flags & SPF_SIGNATURE_INCLUDED) {
		if (sig_off != p->sig_off)
			die("signature moved");
		stream_pkt_put_sig(again, sig_off, p->sig, p->siglen);
	}
	if (wbuf_len(&w) != len || memcmp(again, buf, len) != 0)
		die("round trip differs");
	if (stream_pkt_parse(&q, again, len, signer, NULL) == -1)
		die("own packet refused");
	if (q.flags != p->flags || q.len != p->len || q.nnacks != p->nnacks)
		die("reparse differs");
}

static void
check(const uint8_t *buf, size_t len, const struct i2p_ident *signer)
{
	struct stream_pkt	 p;
	struct i2p_err		 err = { 0 };

	if (stream_pkt_parse(&p, buf, len, signer, &err) == -1) {
		if (err.code <= I2PE_OK || err.code >= I2PE_MAX)
			die("failure without an error");
		if (p.payload != NULL || p.sig != NULL || p.len != 0)
			die("pointers left after a failure");
		return;
	}
	if (len > SP_PACKET_MAX || !inside(p.payload, p.len, buf, len) ||
	    !inside(p.sig, p.siglen, buf, len))
		die("outside the input");
	if ((p.flags & SPF_SIGNATURE_INCLUDED) && p.sig != buf + p.sig_off)
		die("sig_off is not where sig is");
	memset(&err, 0, sizeof(err));
	if (stream_pkt_verify(&p, buf, len, signer, 1700000000u, &err) ==
	    -1 && (err.code <= I2PE_OK || err.code >= I2PE_MAX))
		die("verify failure without an error");
	round_trip(&p, buf, len, signer);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const struct i2p_ident	*signer = NULL;

	if (len < 1)
		return 0;
	if (data[0] & 1)
		signer = &signers[(data[0] >> 1) & 1];
	check(data + 1, len - 1, signer);
	return 0;
}
