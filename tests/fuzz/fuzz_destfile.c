/*
 * libFuzzer target: tunneld's destination name file (tunneld/destfile.c),
 * read at start from tunneld's directory.  A bad file must stop tunneld
 * with a line and a reason, never crash it.  Checked beyond the
 * sanitizers: a refusal has a reason, a line inside the input and leaves
 * the map empty; what decodes has no duplicate and encodes back to the
 * same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tunneld/tunneld.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

FUZZ_INIT_DEFAULT

static struct destmap	m;

static void
check_refused(const uint8_t *data, size_t len, size_t line, const char *why)
{
	size_t	i, lines = 1;

	for (i = 0; i < len; i++)
		lines += data[i] == '\n';
	if (why == NULL || line < 1 || line > lines || m.n != 0)
		abort();
}

static void
check_map(void)
{
	size_t	i;

	for (i = 0; i < m.n; i++)
		if (m.ent[i].keyid == KEYID_ROUTER ||
		    !dest_name_ok(m.ent[i].name) ||
		    destmap_by_name(&m, m.ent[i].name) != &m.ent[i] ||
		    destmap_by_id(&m, m.ent[i].keyid) != &m.ent[i])
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct wbuf	 w;
	const char	*why = NULL;
	size_t		 line = 0;

	if (destfile_decode(&m, data, len, &line, &why) == -1) {
		check_refused(data, len, line, why);
		return 0;
	}
	check_map();
	if (wbuf_init_dynamic(&w, 64, DESTFILE_MAX) == -1 ||
	    destfile_encode(&m, &w) == -1 || wbuf_len(&w) != len ||
	    memcmp(wbuf_data(&w), data, len) != 0)
		abort();
	wbuf_free(&w);
	return 0;
}
