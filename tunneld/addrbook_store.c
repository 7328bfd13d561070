/*
 * The three books in memory: a chained hash table per book, keyed by
 * the name under a random SipHash key (names come from feeds: a fixed
 * hash would let a feed pile them into one chain).  Destinations are
 * kept as their bytes, parsed again when used.  The table doubles when
 * it holds as many entries as buckets; each book has its own maximum.
 */
#include <bsd/string.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "addrbook.h"

#define AB_TAB_MIN	64

static const size_t book_max[AB_NBOOKS] = {
	AB_LOCAL_MAX, AB_PRIVATE_MAX, AB_SUBSCRIBED_MAX
};

void
ab_init(struct addrbook *ab)
{
	int	i;

	memset(ab, 0, sizeof(*ab));
	crypto_random_fill(ab->key, sizeof(ab->key));
	for (i = 0; i < AB_NBOOKS; i++)
		ab->book[i].max = book_max[i];
}

static void
table_free(struct ab_table *t)
{
	struct ab_ent	*e, *next;
	size_t		 i;

	for (i = 0; i < t->ntab; i++)
		for (e = t->tab[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	free(t->tab);
	t->tab = NULL;
	t->ntab = t->n = 0;
}

void
ab_free(struct addrbook *ab)
{
	int	i;

	for (i = 0; i < AB_NBOOKS; i++)
		table_free(&ab->book[i]);
}

static size_t
bucket(const struct addrbook *ab, const struct ab_table *t, const char *name)
{
	return siphash24(ab->key, name, strlen(name)) & (t->ntab - 1);
}

static struct ab_ent **
find(const struct addrbook *ab, const struct ab_table *t, const char *name)
{
	struct ab_ent	**pp;

	if (t->ntab == 0)
		return NULL;
	for (pp = &t->tab[bucket(ab, t, name)]; *pp != NULL;
	    pp = &(*pp)->next)
		if (strcmp((*pp)->name, name) == 0)
			return pp;
	return NULL;
}

const struct ab_ent *
ab_get(const struct addrbook *ab, enum ab_book b, const char *name)
{
	struct ab_ent	**pp;

	if ((unsigned)b >= AB_NBOOKS)
		return NULL;
	pp = find(ab, &ab->book[b], name);
	return pp != NULL ? *pp : NULL;
}

const struct ab_ent *
ab_lookup(const struct addrbook *ab, const char *name, enum ab_book *where)
{
	const struct ab_ent	*e;
	char			 lower[AB_NAME_MAX + 1];
	size_t			 i, n = strlen(name);
	int			 b;

	if (n > AB_NAME_MAX)
		return NULL;
	for (i = 0; i <= n; i++)
		lower[i] = tolower((unsigned char)name[i]);
	for (b = 0; b < AB_NBOOKS; b++)
		if ((e = ab_get(ab, b, lower)) != NULL) {
			if (where != NULL)
				*where = b;
			return e;
		}
	return NULL;
}

const struct ab_ent *
ab_reverse(const struct addrbook *ab, const uint8_t hash[I2P_HASH_LEN],
    enum ab_book *where)
{
	const struct ab_ent	*e;
	size_t			 i;
	int			 b;

	for (b = 0; b < AB_NBOOKS; b++)
		for (i = 0; i < ab->book[b].ntab; i++)
			for (e = ab->book[b].tab[i]; e != NULL; e = e->next)
				if (memcmp(e->hash, hash, I2P_HASH_LEN) == 0) {
					if (where != NULL)
						*where = b;
					return e;
				}
	return NULL;
}

/* twice the buckets; the entries move to their new chains */
static int
grow(const struct addrbook *ab, struct ab_table *t)
{
	struct ab_table	 n = *t;
	struct ab_ent	*e, *next;
	size_t		 i, h;

	n.ntab = t->ntab == 0 ? AB_TAB_MIN : t->ntab * 2;
	if ((n.tab = calloc(n.ntab, sizeof(*n.tab))) == NULL)
		return -1;
	for (i = 0; i < t->ntab; i++)
		for (e = t->tab[i]; e != NULL; e = next) {
			next = e->next;
			h = bucket(ab, &n, e->name);
			e->next = n.tab[h];
			n.tab[h] = e;
		}
	free(t->tab);
	*t = n;
	return 0;
}

static struct ab_ent *
ent_new(const char *name, const struct i2p_ident *id)
{
	struct ab_ent	*e;

	if ((e = calloc(1, sizeof(*e) + id->rawlen)) == NULL)
		return NULL;
	strlcpy(e->name, name, sizeof(e->name));
	memcpy(e->hash, id->hash, sizeof(e->hash));
	memcpy(e->dest, id->raw, id->rawlen);
	e->destlen = id->rawlen;
	return e;
}

static enum ab_put
insert(struct addrbook *ab, enum ab_book b, const char *name,
    const struct i2p_ident *id)
{
	struct ab_table	*t = &ab->book[b];
	struct ab_ent	*e;
	size_t		 h;

	if (t->n >= t->max)
		return AB_PUT_FULL;
	if (t->n >= t->ntab && grow(ab, t) == -1)
		return AB_PUT_ERROR;
	if ((e = ent_new(name, id)) == NULL)
		return AB_PUT_ERROR;
	h = bucket(ab, t, name);
	e->next = t->tab[h];
	t->tab[h] = e;
	t->n++;
	ab->dirty[b] = 1;
	return AB_PUT_ADDED;
}

static void
conflict(struct addrbook *ab, enum ab_book where, const struct ab_ent *e,
    const struct i2p_ident *id)
{
	struct ab_conflict	*c = &ab->conflict[ab->conflict_next];

	memset(c, 0, sizeof(*c));
	strlcpy(c->name, e->name, sizeof(c->name));
	c->book = where;
	memcpy(c->known, e->hash, sizeof(c->known));
	memcpy(c->offered, id->hash, sizeof(c->offered));
	c->when = time(NULL);
	ab->conflict_next = (ab->conflict_next + 1) % AB_CONFLICTS_KEPT;
	if (ab->nconflict < AB_CONFLICTS_KEPT)
		ab->nconflict++;
	ab->conflicts++;
}

const struct ab_conflict *
ab_conflict_at(const struct addrbook *ab, size_t i)
{
	size_t	first;

	if (i >= ab->nconflict)
		return NULL;
	first = ab->nconflict < AB_CONFLICTS_KEPT ? 0 : ab->conflict_next;
	return &ab->conflict[(first + i) % AB_CONFLICTS_KEPT];
}

static int
same_dest(const struct ab_ent *e, const struct i2p_ident *id)
{
	return e->destlen == id->rawlen &&
	    memcmp(e->dest, id->raw, id->rawlen) == 0;
}

/* the entry a new name would clash with: the books it is checked in */
static const struct ab_ent *
known(const struct addrbook *ab, enum ab_book b, const char *name,
    enum ab_book *where)
{
	const struct ab_ent	*e;

	*where = b == AB_SUBSCRIBED ? AB_LOCAL : b;
	if ((e = ab_get(ab, *where, name)) != NULL || b != AB_SUBSCRIBED)
		return e;
	*where = AB_SUBSCRIBED;
	return ab_get(ab, AB_SUBSCRIBED, name);
}

enum ab_put
ab_put(struct addrbook *ab, enum ab_book b, const char *name,
    const struct i2p_ident *id, int flags)
{
	const struct ab_ent	*e;
	enum ab_book		 where;
	enum ab_bad		 why;

	if ((unsigned)b >= AB_NBOOKS ||
	    ab_name_check(name, strlen(name), &why) == -1)
		return AB_PUT_ERROR;
	if ((e = known(ab, b, name, &where)) == NULL)
		return insert(ab, b, name, id);
	if (same_dest(e, id))
		return AB_PUT_KNOWN;
	if (!(flags & AB_REPLACE) || where != b) {
		conflict(ab, where, e, id);
		return AB_PUT_CONFLICT;
	}
	ab_del(ab, b, name);
	return insert(ab, b, name, id) == AB_PUT_ADDED ? AB_PUT_REPLACED :
	    AB_PUT_ERROR;
}

int
ab_del(struct addrbook *ab, enum ab_book b, const char *name)
{
	struct ab_ent	**pp, *e;

	if ((unsigned)b >= AB_NBOOKS ||
	    (pp = find(ab, &ab->book[b], name)) == NULL)
		return -1;
	e = *pp;
	*pp = e->next;
	free(e);
	ab->book[b].n--;
	ab->dirty[b] = 1;
	return 0;
}

size_t
ab_del_dest(struct addrbook *ab, enum ab_book b,
    const uint8_t hash[I2P_HASH_LEN])
{
	struct ab_table	*t = &ab->book[b];
	struct ab_ent	**pp, *e;
	size_t		 i, n = 0;

	for (i = 0; i < t->ntab; i++)
		for (pp = &t->tab[i]; (e = *pp) != NULL;) {
			if (memcmp(e->hash, hash, I2P_HASH_LEN) != 0) {
				pp = &e->next;
				continue;
			}
			*pp = e->next;
			free(e);
			t->n--;
			n++;
		}
	if (n > 0)
		ab->dirty[b] = 1;
	return n;
}

size_t
ab_count(const struct addrbook *ab, enum ab_book b)
{
	return (unsigned)b < AB_NBOOKS ? ab->book[b].n : 0;
}

static int
ent_cmp(const void *a, const void *b)
{
	const struct ab_ent *const	*x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

const struct ab_ent **
ab_sorted(const struct addrbook *ab, enum ab_book b, size_t *n)
{
	const struct ab_table	 *t = &ab->book[b];
	const struct ab_ent	**v, *e;
	size_t			  i;

	*n = 0;
	if (t->n == 0 || (v = calloc(t->n, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < t->ntab; i++)
		for (e = t->tab[i]; e != NULL; e = e->next)
			v[(*n)++] = e;
	qsort(v, *n, sizeof(*v), ent_cmp);
	return v;
}
