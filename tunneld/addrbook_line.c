/*
 * hosts.txt lines, as subscriptions serve them and as the books are
 * saved: "name=b64dest", optionally followed by "#!key=val#key=val..."
 * (subscription.rst), "#!key=val#..." alone (remove commands), comments
 * ('#' first, or '#' without '!' after a destination), blank lines,
 * CRLF or LF.  A feed is untrusted network input, so every byte goes
 * through the buffer reader and a bad line is skipped with a reason,
 * never half-applied.
 */
#include <string.h>

#include "addrbook.h"
#include "encoding.h"

/* naming.html: destinations are at most 616 base64 characters */
#define AB_B64_MAX	616

/*
 * The bytes before the next delim (or to the end), the delim consumed;
 * *found says whether there was one.  A copy of the reader looks ahead.
 */
static int
take_until(struct rbuf *r, uint8_t delim, const uint8_t **p, size_t *n,
    int *found)
{
	struct rbuf	s = *r;
	uint8_t		c;

	*n = 0;
	*found = 0;
	while (rbuf_get_u8(&s, &c) == 0) {
		if (c == delim) {
			*found = 1;
			break;
		}
		(*n)++;
	}
	if (rbuf_get_ptr(r, p, *n) == -1)
		return -1;
	return *found ? rbuf_skip(r, 1) : 0;
}

int
ab_next_line(struct rbuf *r, const uint8_t **line, size_t *len)
{
	struct rbuf	s = *r;
	uint8_t		c, prev = 0;
	size_t		n = 0;
	int		found;

	if (rbuf_left(r) == 0)
		return 1;
	while (rbuf_get_u8(&s, &c) == 0 && c != '\n') {
		prev = c;
		n++;
	}
	if (n > AB_LINE_MAX) {
		take_until(r, '\n', line, len, &found);
		*len = 0;
		return -1;
	}
	if (take_until(r, '\n', line, len, &found) == -1)
		return -1;
	if (prev == '\r')
		(*len)--;
	return 0;
}

/* no control bytes; the offsets of the text between blanks at the ends */
static int
line_span(const uint8_t *p, size_t n, size_t *start, size_t *end)
{
	struct rbuf	r;
	uint8_t		c;
	size_t		i;

	rbuf_init(&r, p, n);
	*start = n;
	*end = 0;
	for (i = 0; rbuf_get_u8(&r, &c) == 0; i++) {
		if (c == ' ' || c == '\t')
			continue;
		if (c < 0x20 || c == 0x7f)
			return -1;
		if (*start == n)
			*start = i;
		*end = i + 1;
	}
	if (*start == n)
		*start = *end = 0;
	return 0;
}

static int
key_is(const struct ab_prop *p, const char *key)
{
	size_t	n = strlen(key);

	return p->keylen == n && memcmp(p->key, key, n) == 0;
}

const struct ab_prop *
ab_prop_get(const struct ab_line *l, const char *key)
{
	size_t	i;

	for (i = 0; i < l->nprop; i++)
		if (key_is(&l->prop[i], key))
			return &l->prop[i];
	return NULL;
}

static int
prop_dup(const struct ab_line *l, const struct ab_prop *p)
{
	size_t	i;

	for (i = 0; i < l->nprop; i++)
		if (l->prop[i].keylen == p->keylen &&
		    memcmp(l->prop[i].key, p->key, p->keylen) == 0)
			return 1;
	return 0;
}

/* "key=val#key=val...": keys not empty, not repeated, values may be */
static int
parse_props(struct ab_line *l, struct rbuf *r)
{
	struct rbuf	 item;
	struct ab_prop	*p;
	const uint8_t	*ip;
	size_t		 in;
	int		 more = 1, eq;

	while (more) {
		if (take_until(r, '#', &ip, &in, &more) == -1 || in == 0 ||
		    l->nprop == AB_PROPS_MAX)
			return -1;
		p = &l->prop[l->nprop];
		rbuf_init(&item, ip, in);
		if (take_until(&item, '=', &p->key, &p->keylen, &eq) == -1 ||
		    !eq || p->keylen == 0 || prop_dup(l, p))
			return -1;
		p->vallen = rbuf_left(&item);
		if (rbuf_get_ptr(&item, &p->val, p->vallen) == -1)
			return -1;
		l->nprop++;
	}
	return 0;
}

/* n bytes of the line as a C string (control bytes are refused before) */
static int
copy_str(const uint8_t *p, size_t n, char *buf, size_t sz)
{
	struct rbuf	r;

	if (n >= sz)
		return -1;
	rbuf_init(&r, p, n);
	if (rbuf_get_bytes(&r, buf, n) == -1)
		return -1;
	buf[n] = '\0';
	return 0;
}

static int
parse_name(struct ab_line *l, const uint8_t *p, size_t n, enum ab_bad *why)
{
	char	buf[AB_NAME_MAX + 1];

	*why = AB_BAD_NAME_LEN;
	if (copy_str(p, n, buf, sizeof(buf)) == -1)
		return -1;
	return ab_name_norm(buf, n, l->name, why);
}

static int
parse_dest(struct ab_line *l, const uint8_t *p, size_t n)
{
	char	buf[AB_B64_MAX + 1];

	if (copy_str(p, n, buf, sizeof(buf)) == -1)
		return -1;
	l->b64 = p;
	l->b64len = n;
	return ident_from_b64(&l->dest, buf, IDENT_DEST, NULL);
}

/* after the destination: nothing, "#!keys", or a comment */
static int
parse_tail(struct ab_line *l, struct rbuf *r, enum ab_bad *why)
{
	uint8_t	c;

	if (rbuf_left(r) == 0 || rbuf_get_u8(r, &c) == -1 || c != '!')
		return 0;
	*why = AB_BAD_PROPS;
	return parse_props(l, r);
}

static int
parse_host(struct ab_line *l, struct rbuf *r, enum ab_bad *why)
{
	const uint8_t	*p;
	size_t		 n;
	int		 found;

	*why = AB_BAD_SYNTAX;
	if (take_until(r, '=', &p, &n, &found) == -1 || !found)
		return -1;
	if (parse_name(l, p, n, why) == -1)
		return -1;
	*why = AB_BAD_DEST;
	if (take_until(r, '#', &p, &n, &found) == -1 ||
	    parse_dest(l, p, n) == -1)
		return -1;
	l->kind = AB_LINE_HOST;
	return found ? parse_tail(l, r, why) : 0;
}

int
ab_line_parse(struct ab_line *l, const uint8_t *p, size_t n,
    enum ab_bad *why)
{
	struct rbuf	 r, s;
	size_t		 start, end;
	uint8_t		 c0, c1;

	memset(l, 0, sizeof(*l));
	*why = AB_BAD_CHAR;
	if (line_span(p, n, &start, &end) == -1)
		return -1;
	rbuf_init(&r, p, n);
	if (rbuf_skip(&r, start) == -1 || rbuf_sub(&r, &s, end - start) == -1)
		return -1;
	if (rbuf_left(&s) == 0)
		return 0;
	r = s;
	if (rbuf_get_u8(&r, &c0) == -1 || c0 != '#')
		return parse_host(l, &s, why);
	if (rbuf_get_u8(&r, &c1) == -1 || c1 != '!')
		return 0;
	*why = AB_BAD_PROPS;
	if (parse_props(l, &r) == -1)
		return -1;
	l->kind = AB_LINE_CMD;
	return 0;
}
