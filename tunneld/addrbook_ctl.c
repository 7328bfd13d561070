/*
 * i2pctl addressbook add|del|show|lookup, as routerd relays them.  The
 * request is checked here as any other input: a name by the rules, the
 * Destination parsed.  A change is written to disk before the answer,
 * so an OK means the name survives a restart.
 */
#include <bsd/string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrbook.h"
#include "log.h"

static void
result(struct ctl_result *r, int code, const char *msg, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->code = code;
	snprintf(r->msg, sizeof(r->msg), "%s%s%s", name, *name ? ": " : "",
	    msg);
}

/* the name (lower-cased into out) and the book; NULL or what is wrong */
static const char *
req_check(const struct ctl_ab_req *q, char out[AB_NAME_MAX + 1])
{
	enum ab_bad	why;
	size_t		n;

	if ((n = strnlen(q->name, sizeof(q->name))) == sizeof(q->name))
		return "name not terminated";
	if (ab_name_norm(q->name, n, out, &why) == -1)
		return ab_bad_str(why);
	if (q->book < 0 || q->book >= AB_NBOOKS || q->book == AB_SUBSCRIBED)
		return "only the local and private books are edited by hand";
	return NULL;
}

static const char *const put_msg[] = {
	[AB_PUT_ADDED] = "added",
	[AB_PUT_KNOWN] = "already there",
	[AB_PUT_CONFLICT] = "known with another destination (add replace)",
	[AB_PUT_REPLACED] = "replaced",
	[AB_PUT_FULL] = "the book is full",
	[AB_PUT_ERROR] = "out of memory"
};

void
addrbook_ctl_add(struct addrbook *ab, const struct ctl_ab_req *q,
    struct ctl_result *r)
{
	struct i2p_ident	 id;
	char			 name[AB_NAME_MAX + 1];
	const char		*why;
	enum ab_put		 put;

	if ((why = req_check(q, name)) != NULL) {
		result(r, 1, why, "");
		return;
	}
	if (q->destlen > sizeof(q->dest) || ident_parse_bytes(&id, q->dest,
	    q->destlen, IDENT_DEST, NULL) == -1) {
		result(r, 1, "not a Destination", name);
		return;
	}
	put = ab_put(ab, q->book, name, &id, q->replace ? AB_REPLACE : 0);
	if (put <= AB_PUT_KNOWN || put == AB_PUT_REPLACED) {
		if (addrbook_save(ab) == -1) {
			result(r, 1, "cannot write the book", name);
			return;
		}
		result(r, 0, put_msg[put], name);
	} else
		result(r, 1, put_msg[put], name);
}

void
addrbook_ctl_del(struct addrbook *ab, const struct ctl_ab_req *q,
    struct ctl_result *r)
{
	char		 name[AB_NAME_MAX + 1];
	const char	*why;

	if ((why = req_check(q, name)) != NULL)
		result(r, 1, why, "");
	else if (ab_del(ab, q->book, name) == -1)
		result(r, 1, "not in that book", name);
	else if (addrbook_save(ab) == -1)
		result(r, 1, "cannot write the book", name);
	else
		result(r, 0, "deleted", name);
}

static void
emit_entry(const struct ab_ent *e, enum ab_book b, ab_emit_fn emit,
    void *arg)
{
	struct ctl_ab_entry	ce;

	memset(&ce, 0, sizeof(ce));
	strlcpy(ce.name, e->name, sizeof(ce.name));
	ce.book = b;
	ce.destlen = e->destlen;
	memcpy(ce.dest, e->dest, e->destlen);
	emit(arg, IMSG_CTL_AB_ENTRY, &ce, sizeof(ce));
}

void
addrbook_ctl_lookup(const struct addrbook *ab, const struct ctl_ab_req *q,
    ab_emit_fn emit, void *arg)
{
	const struct ab_ent	*e;
	enum ab_book		 b;

	if (strnlen(q->name, sizeof(q->name)) < sizeof(q->name) &&
	    (e = ab_lookup(ab, q->name, &b)) != NULL)
		emit_entry(e, b, emit, arg);
}

/* the rows of one book, up to the room left; how many */
static uint32_t
show_book(const struct addrbook *ab, enum ab_book b, uint32_t room,
    ab_emit_fn emit, void *arg)
{
	const struct ab_ent	**v;
	size_t			  i, n;

	if ((v = ab_sorted(ab, b, &n)) == NULL)
		return 0;
	for (i = 0; i < n && i < room; i++)
		emit_entry(v[i], b, emit, arg);
	free(v);
	return i;
}

void
addrbook_ctl_show(const struct addrbook *ab, const struct ctl_ab_req *q,
    ab_emit_fn emit, void *arg)
{
	struct ctl_ab_conflict	 cc;
	struct ctl_ab		 sum;
	const struct ab_conflict *c;
	size_t			 i;
	int			 b;

	memset(&sum, 0, sizeof(sum));
	for (b = 0; b < AB_NBOOKS; b++) {
		sum.count[b] = ab_count(ab, b);
		if (q->book == CTL_AB_ALL || q->book == b)
			sum.shown += show_book(ab, b, CTL_AB_SHOW_MAX -
			    sum.shown, emit, arg);
	}
	for (i = 0; q->book != CTL_AB_COUNTS &&
	    (c = ab_conflict_at(ab, i)) != NULL; i++) {
		memset(&cc, 0, sizeof(cc));
		strlcpy(cc.name, c->name, sizeof(cc.name));
		cc.book = c->book;
		memcpy(cc.known, c->known, sizeof(cc.known));
		memcpy(cc.offered, c->offered, sizeof(cc.offered));
		cc.when = c->when;
		emit(arg, IMSG_CTL_AB_CONFLICT, &cc, sizeof(cc));
	}
	if (q->book == CTL_AB_ALL)
		addrbook_fetch_rows(emit, arg);
	sum.conflicts = ab->conflicts;
	addrbook_fetch_counts(&sum.fetches, &sum.fetch_failures,
	    &sum.subscriptions);
	emit(arg, IMSG_CTL_AB, &sum, sizeof(sum));
}

void
addrbook_ctl_dispatch(struct addrbook *ab, uint32_t type, const void *data,
    size_t len, ab_emit_fn emit, void *arg)
{
	struct ctl_ab_req	q;
	struct ctl_result	r;
	int			n;

	if (type == IMSG_CTL_AB_FETCH) {
		if ((n = addrbook_fetch_now()) == -1)
			result(&r, 1, "no http proxy to fetch through", "");
		else if (n == 0)
			result(&r, 1, "no subscriptions", "");
		else {
			result(&r, 0, "", "");
			snprintf(r.msg, sizeof(r.msg), "fetching %d "
			    "subscription%s", n, n == 1 ? "" : "s");
		}
		emit(arg, IMSG_CTL_RESULT, &r, sizeof(r));
		return;
	}
	/* msgtab checked the length; a copy is aligned */
	if (len != sizeof(q))
		fatalx("%s: bad length", imsg_type_name(type));
	memcpy(&q, data, sizeof(q));
	switch (type) {
	case IMSG_CTL_AB_ADD:
		addrbook_ctl_add(ab, &q, &r);
		emit(arg, IMSG_CTL_RESULT, &r, sizeof(r));
		return;
	case IMSG_CTL_AB_DEL:
		addrbook_ctl_del(ab, &q, &r);
		emit(arg, IMSG_CTL_RESULT, &r, sizeof(r));
		return;
	case IMSG_CTL_AB_LOOKUP:
		addrbook_ctl_lookup(ab, &q, emit, arg);
		break;
	default:
		addrbook_ctl_show(ab, &q, emit, arg);
	}
	emit(arg, IMSG_CTL_END, NULL, 0);
}
