/*
 * libFuzzer target: the IRC filter (tunneld/proxy_irc.c) in both
 * directions, the input fed whole and in pieces of the size its first
 * byte picks, and the WEBIRC builder over the input cut at NULs.
 * Checked beyond the sanitizers: the output fits IRC_OUT_ROOM, whole
 * and split feeding write the same bytes, every line written passes the
 * same filter again unchanged (what comes out is already clean), and a
 * WEBIRC line built parses as a command with four parameters.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tunneld/proxy_irc.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

FUZZ_INIT_DEFAULT

static struct irc_filter	 fa, fb;

static void
feed(struct irc_filter *f, enum irc_dir dir, const uint8_t *data,
    size_t len, size_t step, struct wbuf *w)
{
	size_t	off, n;

	irc_filter_init(f, dir);
	for (off = 0; off < len; off += n) {
		n = len - off < step ? len - off : step;
		if (irc_filter_feed(f, data + off, n, w) == -1)
			abort();
	}
}

/* each CR LF ended line of out passes the filter again as it is */
static void
clean(enum irc_dir dir, const uint8_t *out, size_t len)
{
	static uint8_t	 again[IRC_LINE_MAX + 64];
	struct wbuf	 w;
	enum irc_drop	 why;
	const uint8_t	*nl;
	size_t		 n;

	while (len > 0) {
		if ((nl = memchr(out, '\n', len)) == NULL || nl == out ||
		    nl[-1] != '\r')
			abort();
		n = nl - out - 1;
		wbuf_init_fixed(&w, again, sizeof(again));
		if (irc_filter_line(dir, out, n, &w, &why) != IRC_PASS ||
		    wbuf_len(&w) != n + 2 || memcmp(again, out, n) != 0)
			abort();
		len -= n + 2;
		out += n + 2;
	}
}

static void
one_dir(enum irc_dir dir, const uint8_t *data, size_t len, size_t step)
{
	uint8_t		*a, *b;
	struct wbuf	 wa, wb;

	if ((a = malloc(IRC_OUT_ROOM(len))) == NULL ||
	    (b = malloc(IRC_OUT_ROOM(len))) == NULL)
		abort();
	wbuf_init_fixed(&wa, a, IRC_OUT_ROOM(len));
	wbuf_init_fixed(&wb, b, IRC_OUT_ROOM(len));
	feed(&fa, dir, data, len, len > 0 ? len : 1, &wa);
	feed(&fb, dir, data, len, step, &wb);
	if (wbuf_len(&wa) != wbuf_len(&wb) ||
	    memcmp(a, b, wbuf_len(&wa)) != 0)
		abort();
	clean(dir, a, wbuf_len(&wa));
	free(a);
	free(b);
}

/* four NUL-separated fields of the input as WEBIRC's */
static void
webirc(const uint8_t *data, size_t len)
{
	static char	 s[4096 + 4], want[4096 + 64];
	uint8_t		 out[IRC_MSG_MAX], again[IRC_MSG_MAX + 16];
	const char	*f[4];
	struct wbuf	 w;
	enum irc_drop	 why;
	size_t		 i, k = 1;

	if (len > 4096)
		return;
	memcpy(s, data, len);
	memset(s + len, 0, 4);
	f[0] = s;
	for (i = 0; i < len && k < 4; i++)
		if (s[i] == '\0')
			f[k++] = s + i + 1;
	while (k < 4)
		f[k++] = s + len;
	wbuf_init_fixed(&w, out, sizeof(out));
	if (irc_webirc(&w, f[0], f[1], f[2], f[3]) == -1)
		return;
	/* exactly the four words, and a line the parser takes whole */
	if (snprintf(want, sizeof(want), "WEBIRC %s %s %s %s%s\r\n", f[0],
	    f[1], f[2], f[3][0] == ':' ? "0" : "", f[3]) < 0 ||
	    wbuf_len(&w) != strlen(want) || wbuf_len(&w) > IRC_MSG_MAX ||
	    memcmp(out, want, wbuf_len(&w)) != 0)
		abort();
	wbuf_init_fixed(&w, again, sizeof(again));
	if (irc_filter_line(IRC_INBOUND, out, strlen(want) - 2, &w,
	    &why) != IRC_DROP || why != IRC_DROP_COMMAND)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	size_t	step;

	if (len < 1)
		return 0;
	step = data[0] + 1;
	data++;
	len--;
	one_dir(IRC_OUTBOUND, data, len, step);
	one_dir(IRC_INBOUND, data, len, step);
	webirc(data, len);
	return 0;
}
