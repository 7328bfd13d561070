/*
 * libFuzzer target: hosts.txt lines (tunneld/addrbook_line.c,
 * addrbook_name.c), as a subscription serves them and as the book files
 * are read at start.  Beyond the sanitizers: every line is accepted or
 * refused with a reason; what is accepted has a name that passes the
 * rules and a Destination that parses again; a book filled from the
 * input writes a file that reads back into the same book.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tunneld/addrbook.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	(void)fuzz_stderr();
	if (crypto_init() == -1)
		abort();
	return 0;
}

static void
check_line(const uint8_t *p, size_t n)
{
	struct ab_line		l;
	struct i2p_ident	id;
	enum ab_bad		why = AB_BAD_N;

	if (ab_line_parse(&l, p, n, &why) == -1) {
		if ((unsigned)why >= AB_BAD_N)
			abort();
		return;
	}
	if (l.kind != AB_LINE_HOST)
		return;
	if (ab_name_check(l.name, strlen(l.name), &why) == -1 ||
	    ident_parse_bytes(&id, l.dest.raw, l.dest.rawlen, IDENT_DEST,
	    NULL) == -1 || !ident_equal(&id, &l.dest) ||
	    l.nprop > AB_PROPS_MAX)
		abort();
}

static void
encode(const struct addrbook *ab, struct wbuf *w)
{
	if (wbuf_init_dynamic(w, 64, AB_FILE_MAX) == -1 ||
	    ab_encode(ab, AB_LOCAL, w) == -1)
		abort();
}

/* the book written and read back: the same bytes again */
static void
check_book(const uint8_t *data, size_t len)
{
	struct addrbook		ab, again;
	struct ab_counts	c;
	struct wbuf		w1, w2;

	ab_init(&ab);
	ab_init(&again);
	memset(&c, 0, sizeof(c));
	ab_apply(&ab, AB_LOCAL, data, len, &c);
	encode(&ab, &w1);
	memset(&c, 0, sizeof(c));
	ab_apply(&again, AB_LOCAL, wbuf_data(&w1), wbuf_len(&w1), &c);
	encode(&again, &w2);
	if (ab_count(&ab, AB_LOCAL) != ab_count(&again, AB_LOCAL) ||
	    c.added != ab_count(&ab, AB_LOCAL) || ab_counts_bad(&c) != 0 ||
	    wbuf_len(&w1) != wbuf_len(&w2) ||
	    memcmp(wbuf_data(&w1), wbuf_data(&w2), wbuf_len(&w1)) != 0)
		abort();
	wbuf_free(&w1);
	wbuf_free(&w2);
	ab_free(&ab);
	ab_free(&again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rbuf	 r;
	const uint8_t	*p;
	size_t		 n;
	int		 rc;

	rbuf_init(&r, data, len);
	while ((rc = ab_next_line(&r, &p, &n)) != 1)
		if (rc == 0)
			check_line(p, n);
	check_book(data, len);
	return 0;
}
