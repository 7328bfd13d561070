/*
 * libFuzzer target: SAM command lines and UDP datagram headers
 * (tunneld/sam_parse.c).  Checked beyond the sanitizers: every parsed
 * argument written back as a reply line parses again to the same key
 * and value (quoting and escapes round-trip), and a parsed UDP header's
 * payload lies within the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tunneld/sam.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

FUZZ_INIT_DEFAULT

static struct sam_line	 l1, l2;
static struct sam_udp_hdr h;
static uint8_t		 out[SAM_LINE_MAX * 3];

static void
round_trip(void)
{
	struct sam_field	 f[SAM_ARGS_MAX];
	struct wbuf		 w;
	const char		*why;
	size_t			 i;

	for (i = 0; i < l1.nargs; i++)
		f[i] = (struct sam_field){ l1.args[i].key, l1.args[i].val, 0 };
	wbuf_init_fixed(&w, out, sizeof(out));
	if (sam_reply(&w, SAM_VERSION_MAX, "X Y", NULL, f, l1.nargs,
	    NULL) == -1)
		abort();
	/* without the newline; a reply may be longer than a client line */
	if (wbuf_len(&w) - 1 > SAM_LINE_MAX)
		return;
	if (sam_line_parse(&l2, out, wbuf_len(&w) - 1, &why) == -1 ||
	    l2.nargs != l1.nargs)
		abort();
	for (i = 0; i < l1.nargs; i++)
		if (strcmp(l2.args[i].key, l1.args[i].key) != 0 ||
		    strcmp(l2.args[i].val, l1.args[i].val) != 0)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*why = NULL;
	int		 v;

	if (sam_line_parse(&l1, data, len, &why) == 0) {
		if (l1.cmd == NULL)
			abort();
		if (strcmp(l1.cmd, "PING") != 0 && strcmp(l1.cmd, "PONG") != 0)
			round_trip();
		if (l1.sub != NULL)
			(void)sam_version_parse(l1.sub, 1, &v);
	} else if (why == NULL)
		abort();
	if (sam_udp_parse(&h, data, len, &why) == 0 &&
	    (h.payload < data || h.payload + h.len != data + len))
		abort();
	return 0;
}
