/*
 * tunneld's one address book: read from its directory before the
 * sandbox goes on, written back (only the books that changed) after
 * every change, and the resolver the SAM bridge, and later the proxies
 * and client tunnels, look names up through.
 */
#include <string.h>

#include "addrbook.h"
#include "log.h"

static struct addrbook	book;

void
addrbook_start(void)
{
	char	err[256];

	ab_init(&book);
	/* starting empty would let the next save overwrite the books */
	if (ab_load_all(&book, AB_DIR, err, sizeof(err)) == -1)
		fatalx("address book: %s", err);
	log_debug("address book: %zu local, %zu private, %zu subscribed",
	    ab_count(&book, AB_LOCAL), ab_count(&book, AB_PRIVATE),
	    ab_count(&book, AB_SUBSCRIBED));
}

struct addrbook *
addrbook(void)
{
	return &book;
}

int
addrbook_resolve(const char *name, uint8_t *dest, size_t max, size_t *len)
{
	const struct ab_ent	*e;

	if ((e = ab_lookup(&book, name, NULL)) == NULL || e->destlen > max)
		return -1;
	memcpy(dest, e->dest, e->destlen);
	*len = e->destlen;
	return 0;
}

int
addrbook_save(struct addrbook *ab)
{
	return ab_save_dirty(ab, AB_DIR);
}

