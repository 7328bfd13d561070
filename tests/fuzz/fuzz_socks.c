/*
 * libFuzzer target: the SOCKS negotiation (tunneld/proxy_socks.c), the
 * input fed whole and in pieces of the sizes its first byte picks, with
 * and without a password configured.  Checked beyond the sanitizers:
 * the bytes taken never exceed those given, the replies stay within
 * what one call may write, a finished negotiation has a host name the
 * I2P rule agrees with, and whole and split feeding reach the same end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tunneld/proxy_socks.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

FUZZ_INIT_DEFAULT

static const struct socks_auth	 auth = { "user", "pass" };

/* the negotiation over data in pieces of step bytes; its last result */
static enum socks_res
run(struct socks *s, const struct socks_auth *a, const uint8_t *data,
    size_t len, size_t step)
{
	uint8_t		 out[SOCKS_OUT_MIN * 4];
	struct wbuf	 w;
	enum socks_res	 rv = SOCKS_MORE;
	size_t		 off = 0, n, used, before;

	socks_init(s, a);
	wbuf_init_fixed(&w, out, sizeof(out));
	while (off < len && rv == SOCKS_MORE) {
		n = len - off < step ? len - off : step;
		before = wbuf_len(&w);
		rv = socks_input(s, data + off, n, &w, &used);
		if (used > n || wbuf_len(&w) - before > SOCKS_OUT_MIN)
			abort();
		if (rv == SOCKS_MORE && used != n)
			abort();
		off += used;
		if (wbuf_room(&w) < SOCKS_OUT_MIN)
			wbuf_init_fixed(&w, out, sizeof(out));
	}
	return rv;
}

static void
check_done(const struct socks *s)
{
	const struct socks_target	*t = socks_target(s);
	uint8_t				 out[SOCKS_REPLY_MAX];
	struct wbuf			 w;

	if (t == NULL || memchr(t->host, '\0', sizeof(t->host)) == NULL ||
	    t->host[0] == '\0')
		abort();
	if (t->i2p != (t->atyp == SOCKS_ATYP_NAME && socks_is_i2p(t->host)))
		abort();
	wbuf_init_fixed(&w, out, sizeof(out));
	if (socks_reply(s, SOCKS_REFUSED, &w) == -1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct socks	 a, b;
	const struct socks_auth	*conf;
	enum socks_res		 ra, rb;
	size_t			 step;

	if (len < 1)
		return 0;
	conf = data[0] & 0x80 ? &auth : NULL;
	step = (data[0] & 0x3f) + 1;
	data++;
	len--;
	ra = run(&a, conf, data, len, len > 0 ? len : 1);
	rb = run(&b, conf, data, len, step);
	if (ra != rb)
		abort();
	if (ra == SOCKS_DONE) {
		check_done(&a);
		check_done(&b);
		if (strcmp(a.target.host, b.target.host) != 0 ||
		    a.target.port != b.target.port)
			abort();
	} else if (ra == SOCKS_CLOSE && a.err != b.err)
		abort();
	return 0;
}
