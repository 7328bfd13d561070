/*
 * tunneld's one address book: read from its directory before the
 * sandbox goes on, written back (only the books that changed) after
 * every change, the resolver the SAM bridge, and later the proxies and
 * client tunnels, look names up through, and where a subscription's
 * fetched answer lands.
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


int
addrbook_recorded(struct ab_sub *s, int status, const char *etag,
    const char *lastmod, time_t now, const struct ab_counts *c)
{
	int	rv;

	ab_sub_answered(s, status, etag, lastmod, now, status == 200 ? c :
	    NULL);
	rv = addrbook_save(&book);
	if (ab_sub_save(s, AB_DIR) == -1) {
		log_warn("address book: %s: cannot save its state", s->url);
		rv = -1;
	}
	return rv;
}

int
addrbook_fetched(struct ab_sub *s, int status, const char *etag,
    const char *lastmod, const void *body, size_t len, time_t now,
    struct ab_counts *c)
{
	memset(c, 0, sizeof(*c));
	if (status == 200)
		ab_apply(&book, AB_SUBSCRIBED, body, len, c);
	return addrbook_recorded(s, status, etag, lastmod, now, c);
}
