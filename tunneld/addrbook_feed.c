/*
 * Applying hosts.txt text to a book: what a subscription fetch brings,
 * and the book files at start.  Plain lines add names first-come; lines
 * with "#!" keys are commands, applied only when their signatures
 * verify (addrbook_sig.c), and only to the book being applied: a feed
 * never removes or changes what the user put in the local or private
 * book.  Every line ends up in exactly one count.
 */
#include <string.h>

#include "addrbook.h"

static void
count_put(struct ab_counts *c, enum ab_put r)
{
	switch (r) {
	case AB_PUT_ADDED:
	case AB_PUT_REPLACED:
		c->added++;
		break;
	case AB_PUT_KNOWN:
		c->known++;
		break;
	case AB_PUT_CONFLICT:
		c->conflicts++;
		break;
	case AB_PUT_FULL:
	case AB_PUT_ERROR:
		c->full++;
		break;
	}
}

static int
ent_is(const struct ab_ent *e, const struct i2p_ident *id)
{
	return e != NULL && memcmp(e->hash, id->hash, I2P_HASH_LEN) == 0;
}

/* addsubdomain: a parent we know must be olddest's */
static int
parent_ok(const struct addrbook *ab, const struct ab_line *l,
    const struct i2p_ident *old)
{
	const struct ab_ent	*e;
	char			 parent[AB_NAME_MAX + 1];

	if (ab_prop_name(l, "oldname", parent) == -1)
		return 0;
	e = ab_lookup(ab, parent, NULL);
	return e == NULL || ent_is(e, old);
}

/*
 * changename: the new name in, and only then the old one out (if it was
 * this Destination's): a refused new name must not cost the old one
 */
static void
changename(struct addrbook *ab, enum ab_book b, const struct ab_line *l,
    struct ab_counts *c)
{
	char		oldname[AB_NAME_MAX + 1];
	enum ab_put	put;

	put = ab_put(ab, b, l->name, &l->dest, 0);
	count_put(c, put);
	if (put != AB_PUT_ADDED && put != AB_PUT_KNOWN)
		return;
	if (ab_prop_name(l, "oldname", oldname) == 0 &&
	    strcmp(oldname, l->name) != 0 &&
	    ent_is(ab_get(ab, b, oldname), &l->dest) &&
	    ab_del(ab, b, oldname) == 0)
		c->removed++;
}

/* changedest: replaces olddest only; 0, or -1 if the name is another's */
static int
changedest(struct addrbook *ab, enum ab_book b, const struct ab_line *l,
    const struct i2p_ident *old, struct ab_counts *c)
{
	const struct ab_ent	*e = ab_get(ab, b, l->name);

	if (e == NULL || ent_is(e, &l->dest))
		count_put(c, ab_put(ab, b, l->name, &l->dest, 0));
	else if (ent_is(e, old))
		count_put(c, ab_put(ab, b, l->name, &l->dest, AB_REPLACE));
	else
		return -1;
	return 0;
}

/* remove: the name goes only if it is the signer's */
static int
remove_name(struct addrbook *ab, enum ab_book b, const struct ab_line *l,
    const struct i2p_ident *old, struct ab_counts *c)
{
	const struct ab_ent	*e;
	char			 name[AB_NAME_MAX + 1];

	if (ab_prop_name(l, "name", name) == -1)
		return -1;
	if ((e = ab_get(ab, b, name)) == NULL)
		return 0;
	if (!ent_is(e, old))
		return -1;
	if (ab_del(ab, b, name) == 0)
		c->removed++;
	return 0;
}

/* a verified command; -1 if what it changes is not as it says */
static int
apply_verified(struct addrbook *ab, enum ab_book b, const struct ab_line *l,
    enum ab_action act, const struct i2p_ident *old, struct ab_counts *c)
{
	switch (act) {
	case AB_ACT_ADDSUBDOMAIN:
		if (!parent_ok(ab, l, old))
			return -1;
		/* FALLTHROUGH */
	case AB_ACT_ADD:
	case AB_ACT_ADDNAME:
		count_put(c, ab_put(ab, b, l->name, &l->dest, 0));
		return 0;
	case AB_ACT_ADDDEST:
		/* one Destination per name: a known olddest stays */
		if (ent_is(ab_get(ab, b, l->name), old)) {
			c->known++;
			return 0;
		}
		count_put(c, ab_put(ab, b, l->name, &l->dest, 0));
		return 0;
	case AB_ACT_CHANGENAME:
		changename(ab, b, l, c);
		return 0;
	case AB_ACT_CHANGEDEST:
		return changedest(ab, b, l, old, c);
	case AB_ACT_UPDATE:
		/* metadata only, and the books keep none */
		c->known++;
		return 0;
	case AB_ACT_REMOVE:
		return remove_name(ab, b, l, old, c);
	case AB_ACT_REMOVEALL:
		c->removed += ab_del_dest(ab, b, old->hash);
		c->removealls++;
		return 0;
	}
	return -1;
}

static void
apply_line(struct addrbook *ab, enum ab_book b, const struct ab_line *l,
    struct ab_counts *c)
{
	struct i2p_ident	old;
	enum ab_action		act;
	enum ab_refuse		why;

	/* keys without sig or action: metadata of a plain add */
	if (l->kind == AB_LINE_HOST && ab_prop_get(l, "sig") == NULL &&
	    ab_prop_get(l, "action") == NULL) {
		count_put(c, ab_put(ab, b, l->name, &l->dest, 0));
		return;
	}
	if (ab_cmd_verify(l, &act, &old, &why) == -1)
		c->refused[why]++;
	else if (act == AB_ACT_REMOVEALL && c->removealls >= AB_REMOVEALL_MAX)
		c->refused[AB_REF_LIMIT]++;
	else if (apply_verified(ab, b, l, act, &old, c) == -1)
		c->refused[AB_REF_MISMATCH]++;
	else
		c->applied++;
}

void
ab_apply(struct addrbook *ab, enum ab_book b, const void *text, size_t len,
    struct ab_counts *c)
{
	struct ab_line	 l;
	struct rbuf	 r;
	const uint8_t	*p;
	size_t		 n;
	enum ab_bad	 why;
	int		 rc;

	rbuf_init(&r, text, len);
	while ((rc = ab_next_line(&r, &p, &n)) != 1) {
		c->lines++;
		if (rc == -1)
			c->bad[AB_BAD_LONG]++;
		else if (ab_line_parse(&l, p, n, &why) == -1)
			c->bad[why]++;
		else if (l.kind == AB_LINE_HOST && l.nprop == 0)
			count_put(c, ab_put(ab, b, l.name, &l.dest, 0));
		else if (l.kind != AB_LINE_NONE)
			apply_line(ab, b, &l, c);
	}
}

static uint32_t
sum(const uint32_t *v, int n)
{
	uint32_t	t = 0;
	int		i;

	for (i = 0; i < n; i++)
		t += v[i];
	return t;
}

uint32_t
ab_counts_bad(const struct ab_counts *c)
{
	return sum(c->bad, AB_BAD_N);
}

uint32_t
ab_counts_refused(const struct ab_counts *c)
{
	return sum(c->refused, AB_REF_N);
}
