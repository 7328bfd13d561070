/*
 * libFuzzer target: the ECIES garlic payload block reader
 * (common/garlicblk.c).  Checked beyond the sanitizers: every block
 * read lies inside the input, a clove's message inside its block, a
 * failure has a reason, and what was read writes back to a block of
 * the same size.
 */
#include <stdint.h>
#include <stdlib.h>

#include "garlicblk.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

FUZZ_INIT_DEFAULT

static int
inside(const uint8_t *p, size_t n, const uint8_t *data, size_t len)
{
	return n == 0 || (p >= data && p + n <= data + len);
}

/* blocks whose fields the writer covers write back at the same size */
static void
rewrite(const struct gblk *b)
{
	uint8_t		 out[GBLK_PAYLOAD_MAX];
	struct wbuf	 w;

	wbuf_init_fixed(&w, out, sizeof(out));
	switch (b->type) {
	case GBLK_CLOVE:
		gblk_put_clove(&w, &b->u.clove);
		break;
	case GBLK_NEXTKEY:
		gblk_put_nextkey(&w, b->u.nextkey.flags, b->u.nextkey.key_id,
		    (b->u.nextkey.flags & GBLK_NK_KEY) ? b->u.nextkey.key :
		    NULL);
		break;
	case GBLK_OPTIONS:
		gblk_put_options(&w, &b->u.opts);
		break;
	default:
		return;
	}
	if (wbuf_error(&w) || wbuf_len(&w) != b->len + GBLK_HDR_LEN)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct gblk_iter	 it;
	struct gblk		 b;
	struct gblk_ack		 a;
	const char		*why = NULL;
	size_t			 i;
	int			 rv;

	gblk_iter_init(&it, data, len);
	while ((rv = gblk_next(&it, &b, &why)) == 1) {
		if (!inside(b.data, b.len, data, len))
			abort();
		if (b.type == GBLK_CLOVE && !inside(b.u.clove.msg,
		    b.u.clove.msglen, b.data, b.len))
			abort();
		for (i = 0; b.type == GBLK_ACK && i < b.u.nacks; i++)
			if (gblk_ack_get(&b, i, &a) == -1)
				abort();
		rewrite(&b);
	}
	if (rv == -1 && why == NULL)
		abort();
	return 0;
}
