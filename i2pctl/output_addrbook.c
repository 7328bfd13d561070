/*
 * addressbook show and lookup: names with their book and b32 address,
 * the counts of each book, and the last conflicts (a feed offering a
 * known name with another Destination, which is kept as it was).  The
 * names passed tunneld's rules, but they still print through
 * output_safe(): the output goes to a terminal.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <bsd/string.h>

#include "crypto.h"
#include "encoding.h"
#include "i2pctl.h"
#include "json.h"

static const char *const books[CTL_AB_BOOKS] = {
	"local", "private", "subscribed"
};

/* client.c checked the book; a bad one still prints, as "?" */
static const char *
book(int32_t b)
{
	return b >= 0 && b < CTL_AB_BOOKS ? books[b] : "?";
}

/* "<52 base32>.b32.i2p" of a hash */
static const char *
hash_b32(const uint8_t h[32], char *buf, size_t sz)
{
	if (b32_encode(buf, sz, h, 32) == -1 ||
	    strlcat(buf, ".b32.i2p", sz) >= sz)
		return "?";
	return buf;
}

static const char *
dest_b32(const struct ctl_ab_entry *e, char *buf, size_t sz)
{
	uint8_t	h[SHA256_LEN];

	if (sha256(h, e->dest, e->destlen) == -1)
		return "?";
	return hash_b32(h, buf, sz);
}

static void
conflicts_text(FILE *fp, const struct ab_view *v, int64_t now)
{
	char	name[CTL_AB_NAMESZ], k[64], o[64], tf[32];
	size_t	i;

	fprintf(fp, "\nConflicts (the last %zu): the known name stays\n",
	    v->nc);
	fprintf(fp, "%-32s %-10s %-60s %-60s %s\n", "Name", "Known in",
	    "Known", "Offered", "Age");
	for (i = 0; i < v->nc; i++)
		fprintf(fp, "%-32s %-10s %-60s %-60s %s\n",
		    output_safe(v->c[i].name, name, sizeof(name)),
		    book(v->c[i].book), hash_b32(v->c[i].known, k, sizeof(k)),
		    hash_b32(v->c[i].offered, o, sizeof(o)),
		    fmt_timeframe(output_age(v->c[i].when, now), tf,
		    sizeof(tf)));
}

/* what the last fetch gave: "200", "304", "never", or why it failed */
static const char *
sub_status(const struct ctl_ab_sub *s, char *buf, size_t sz)
{
	char	err[SUB_ERR_MAX];

	if (s->fetching)
		return "fetching";
	if (s->fetched == 0)
		return "never";
	if (s->err[0] == '\0')
		snprintf(buf, sz, "%d", s->status);
	else
		snprintf(buf, sz, "%s", output_safe(s->err, err, sizeof(err)));
	return buf;
}

static void
subs_text(FILE *fp, const struct ab_view *v, int64_t now)
{
	char	url[SUB_URL_MAX + 1], st[SUB_ERR_MAX], tf[32], nx[32];
	size_t	i;

	fprintf(fp, "\nSubscriptions: %zu\n", v->ns);
	fprintf(fp, "%-50s %-24s %9s %6s %9s %5s %7s %7s %s\n", "URL",
	    "Last fetch", "Ago", "Added", "Conflicts", "Bad", "Applied",
	    "Refused", "Next in");
	for (i = 0; i < v->ns; i++)
		fprintf(fp, "%-50s %-24s %9s %6u %9u %5u %7u %7u %s\n",
		    output_safe(v->s[i].url, url, sizeof(url)),
		    sub_status(&v->s[i], st, sizeof(st)),
		    v->s[i].fetched == 0 ? "-" : fmt_timeframe(output_age(
		    v->s[i].fetched, now), tf, sizeof(tf)), v->s[i].added,
		    v->s[i].conflicts, v->s[i].bad, v->s[i].applied,
		    v->s[i].refused, v->s[i].next <= now ? "now" :
		    fmt_timeframe(v->s[i].next - now, nx, sizeof(nx)));
}

void
print_ab_text(FILE *fp, const struct ab_view *v, int64_t now)
{
	char	name[CTL_AB_NAMESZ], b32[64];
	size_t	i;

	if (v->n == 0)
		fprintf(fp, "no names\n");
	else
		fprintf(fp, "%-32s %-10s %s\n", "Name", "Book", "Destination");
	for (i = 0; i < v->n; i++)
		fprintf(fp, "%-32s %-10s %s\n", output_safe(v->e[i].name, name,
		    sizeof(name)), book(v->e[i].book),
		    dest_b32(&v->e[i], b32, sizeof(b32)));
	if (v->n >= CTL_AB_SHOW_MAX)
		fprintf(fp, "(%d rows, the limit of a reply: the books hold "
		    "more)\n", CTL_AB_SHOW_MAX);
	fprintf(fp, "\n%" PRIu32 " local, %" PRIu32 " private, %" PRIu32
	    " subscribed; %" PRIu64 " conflicts since start\n",
	    v->sum->count[0], v->sum->count[1], v->sum->count[2],
	    v->sum->conflicts);
	if (v->nc > 0)
		conflicts_text(fp, v, now);
	if (v->ns > 0)
		subs_text(fp, v, now);
}

static void
conflicts_json(struct json *j, const struct ab_view *v, int64_t now)
{
	char	b32[64];
	size_t	i;

	json_array_begin(j, "conflicts");
	for (i = 0; i < v->nc; i++) {
		json_object_begin(j, NULL);
		json_string(j, "name", v->c[i].name);
		json_string(j, "known_in", book(v->c[i].book));
		json_string(j, "known", hash_b32(v->c[i].known, b32,
		    sizeof(b32)));
		json_string(j, "offered", hash_b32(v->c[i].offered, b32,
		    sizeof(b32)));
		json_int(j, "when", v->c[i].when);
		json_int(j, "age", output_age(v->c[i].when, now));
		json_object_end(j);
	}
	json_array_end(j);
}

static void
subs_json(struct json *j, const struct ab_view *v)
{
	size_t	i;

	json_array_begin(j, "subscriptions");
	for (i = 0; i < v->ns; i++) {
		json_object_begin(j, NULL);
		json_string(j, "url", v->s[i].url);
		json_bool(j, "fetching", v->s[i].fetching != 0);
		json_int(j, "fetched", v->s[i].fetched);
		json_int(j, "status", v->s[i].status);
		json_string(j, "error", v->s[i].err);
		json_int(j, "next", v->s[i].next);
		json_uint(j, "added", v->s[i].added);
		json_uint(j, "conflicts", v->s[i].conflicts);
		json_uint(j, "bad", v->s[i].bad);
		json_uint(j, "applied", v->s[i].applied);
		json_uint(j, "refused", v->s[i].refused);
		json_object_end(j);
	}
	json_array_end(j);
}

void
print_ab_json(FILE *fp, int pretty, const struct ab_view *v, int64_t now)
{
	struct json	j;
	char		b32[64];
	size_t		i;
	int		b;

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "names");
	for (i = 0; i < v->n; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "name", v->e[i].name);
		json_string(&j, "book", book(v->e[i].book));
		json_string(&j, "b32", dest_b32(&v->e[i], b32, sizeof(b32)));
		json_object_end(&j);
	}
	json_array_end(&j);
	json_bool(&j, "limit_reached", v->n >= CTL_AB_SHOW_MAX);
	json_object_begin(&j, "books");
	for (b = 0; b < CTL_AB_BOOKS; b++)
		json_uint(&j, books[b], v->sum->count[b]);
	json_object_end(&j);
	json_uint(&j, "conflicts_total", v->sum->conflicts);
	conflicts_json(&j, v, now);
	subs_json(&j, v);
	json_uint(&j, "fetches_total", v->sum->fetches);
	json_uint(&j, "fetch_failures_total", v->sum->fetch_failures);
	json_object_end(&j);
	json_finish(&j);
}

void
print_ab_lookup_text(FILE *out, FILE *err, const char *asked,
    const struct ctl_ab_entry *e)
{
	char	name[CTL_AB_NAMESZ], b32[64];
	char	b64[B64_ENCLEN(CTL_AB_DEST_MAX)];

	if (e == NULL) {
		fprintf(err, "%s: in no address book\n",
		    output_safe(asked, name, sizeof(name)));
		return;
	}
	if (b64_encode(b64, sizeof(b64), e->dest, e->destlen) == -1)
		strlcpy(b64, "?", sizeof(b64));
	fprintf(out, "name:        %s\nbook:        %s\nb32:         %s\n"
	    "destination: %s\n", output_safe(e->name, name, sizeof(name)),
	    book(e->book), dest_b32(e, b32, sizeof(b32)), b64);
}

void
print_ab_lookup_json(FILE *fp, int pretty, const char *asked,
    const struct ctl_ab_entry *e)
{
	struct json	j;
	char		b32[64], b64[B64_ENCLEN(CTL_AB_DEST_MAX)];

	json_init(&j, fp, pretty);
	json_object_begin(&j, NULL);
	json_string(&j, "name", e != NULL ? e->name : asked);
	json_bool(&j, "found", e != NULL);
	if (e != NULL && b64_encode(b64, sizeof(b64), e->dest,
	    e->destlen) != -1) {
		json_string(&j, "book", book(e->book));
		json_string(&j, "b32", dest_b32(e, b32, sizeof(b32)));
		json_string(&j, "destination", b64);
	}
	json_object_end(&j);
	json_finish(&j);
}
