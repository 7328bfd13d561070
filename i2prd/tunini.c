/*
 * The INI reader of i2prd -T: i2pd's tunnels.conf as boost's read_ini
 * sees it (sections, "key = value", whole-line '#' and ';' comments; no
 * comment after a value, which belongs to the value).  Where boost refuses
 * the whole file (a duplicate section or key, a line without '='), this
 * reader reports the line and goes on, so that the operator sees every
 * problem in one run.
 */
#include <bsd/string.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tunconv.h"

void
tc_warn(struct tc_report *rep, int line, const char *fmt, ...)
{
	va_list	 ap;

	rep->count++;
	if (rep->out != NULL) {
		fprintf(rep->out, "%s# %s:%d: ", rep->indent != NULL ?
		    rep->indent : "", rep->label, line);
		va_start(ap, fmt);
		vfprintf(rep->out, fmt, ap);
		va_end(ap);
		fputc('\n', rep->out);
	}
	if (rep->err != NULL) {
		fprintf(rep->err, "%s:%d: ", rep->label, line);
		va_start(ap, fmt);
		vfprintf(rep->err, fmt, ap);
		va_end(ap);
		fputc('\n', rep->err);
	}
}

/*
 * The next line into buf, without its LF (and CR before it).  Returns its
 * length, -1 at the end of the text, -2 for a line longer than the limit
 * (consumed and dropped).
 */
static int
ini_line(struct rbuf *rb, char *buf, size_t bufsz)
{
	struct rbuf	scan = *rb;
	uint8_t		c = 0;
	size_t		n = 0;

	if (rbuf_left(rb) == 0)
		return -1;
	while (rbuf_get_u8(&scan, &c) == 0 && c != '\n')
		n++;
	if (n >= bufsz) {
		rbuf_skip(rb, n);
		rbuf_skip(rb, rbuf_left(rb) > 0 ? 1 : 0);
		return -2;
	}
	rbuf_get_bytes(rb, buf, n);
	rbuf_skip(rb, rbuf_left(rb) > 0 ? 1 : 0);
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return (int)n;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* s without its leading and trailing blanks, in place */
static char *
trim(char *s)
{
	size_t	len;

	while (is_space(*s))
		s++;
	len = strlen(s);
	while (len > 0 && is_space(s[len - 1]))
		s[--len] = '\0';
	return s;
}

/*
 * Control characters (NUL, CR, escape sequences) have no business in a
 * tunnels.conf, and refusing them here means that nothing printed later
 * can break a line of the output or of a terminal.
 */
static int
has_control(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f)
			return 1;
	return 0;
}

static struct ini_section *
ini_find(const struct ini *ini, const char *name)
{
	int	i;

	for (i = 0; i < ini->nsections; i++)
		if (strcmp(ini->sections[i]->name, name) == 0)
			return ini->sections[i];
	return NULL;
}

/*
 * A section line's name: 0 and *out set if taken, 1 if refused (reported),
 * -1 if memory ran out.
 */
static int
ini_section(struct ini *ini, const char *name, int line,
    struct tc_report *rep, struct ini_section **out)
{
	struct ini_section	**ns, *s;
	int			  cap;

	if (*name == '\0') {
		tc_warn(rep, line, "empty section name: its lines are skipped");
		return 1;
	}
	if (ini_find(ini, name) != NULL) {
		tc_warn(rep, line, "duplicate section [%s] (i2pd refuses the "
		    "file): its lines are skipped", name);
		return 1;
	}
	if (ini->nsections == INI_SECTIONS_MAX) {
		tc_warn(rep, line, "more than %d sections: [%s] is skipped",
		    INI_SECTIONS_MAX, name);
		return 1;
	}
	if (ini->nsections == ini->cap) {
		cap = ini->cap == 0 ? 16 : ini->cap * 2;
		if ((ns = reallocarray(ini->sections, cap, sizeof(*ns))) ==
		    NULL)
			return -1;
		ini->sections = ns;
		ini->cap = cap;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	if ((s->name = strdup(name)) == NULL) {
		free(s);
		return -1;
	}
	s->line = line;
	ini->sections[ini->nsections++] = s;
	*out = s;
	return 0;
}

/* "key = value" into the current section; 0 taken or reported, -1 ENOMEM */
static int
ini_keyval(struct ini_section *s, char *text, int line,
    struct tc_report *rep)
{
	struct ini_key	*k;
	char		*name, *value;
	size_t		 eq;

	eq = strcspn(text, "=");
	if (text[eq] == '\0') {
		tc_warn(rep, line, "not a section, a comment or key = value: "
		    "skipped");
		return 0;
	}
	text[eq] = '\0';
	name = trim(text);
	value = trim(text + eq + 1);
	if (*name == '\0') {
		tc_warn(rep, line, "no key before '=': skipped");
		return 0;
	}
	if (s == NULL) {
		tc_warn(rep, line, "key \"%s\" outside a section: skipped",
		    name);
		return 0;
	}
	if (ini_get(s, name) != NULL) {
		tc_warn(rep, line, "duplicate key \"%s\" in [%s] (i2pd refuses "
		    "the file): skipped", name, s->name);
		return 0;
	}
	if (s->nkeys == INI_KEYS_MAX) {
		tc_warn(rep, line, "more than %d keys in [%s]: \"%s\" skipped",
		    INI_KEYS_MAX, s->name, name);
		return 0;
	}
	k = &s->keys[s->nkeys];
	if ((k->name = strdup(name)) == NULL)
		return -1;
	if ((k->value = strdup(value)) == NULL) {
		free(k->name);
		return -1;
	}
	k->line = line;
	s->nkeys++;
	return 0;
}

/*
 * One line.  cur is the section keys go to: NULL before the first one and
 * after a section that was refused, whose keys are then dropped quietly
 * (the refusal was reported).  -1 only when memory runs out.
 */
static int
ini_do_line(struct ini *ini, struct ini_section **cur, int *skipping,
    char *buf, int line, struct tc_report *rep)
{
	char	*text = trim(buf);
	size_t	 len = strlen(text);
	int	 rv;

	if (len == 0 || text[0] == '#' || text[0] == ';')
		return 0;
	if (text[0] == '[') {
		*cur = NULL;
		*skipping = 1;
		if (len < 2 || text[len - 1] != ']') {
			tc_warn(rep, line, "section line without ']': its "
			    "lines are skipped");
			return 0;
		}
		text[len - 1] = '\0';
		rv = ini_section(ini, trim(text + 1), line, rep, cur);
		*skipping = *cur == NULL;
		return rv == -1 ? -1 : 0;
	}
	if (*cur == NULL && *skipping)
		return 0;
	return ini_keyval(*cur, text, line, rep);
}

int
ini_parse(struct ini *ini, const void *data, size_t len,
    struct tc_report *rep)
{
	struct ini_section	*cur = NULL;
	struct rbuf		 rb;
	char			 buf[INI_LINE_MAX + 1];
	int			 n, line = 0, skipping = 0;

	memset(ini, 0, sizeof(*ini));
	if (len > INI_FILE_MAX) {
		tc_warn(rep, 0, "larger than %d bytes: not read",
		    INI_FILE_MAX);
		return -1;
	}
	rbuf_init(&rb, data, len);
	while ((n = ini_line(&rb, buf, sizeof(buf))) != -1) {
		line++;
		if (n == -2) {
			tc_warn(rep, line, "line longer than %d bytes: "
			    "skipped", INI_LINE_MAX);
			continue;
		}
		if (has_control(buf, (size_t)n)) {
			tc_warn(rep, line, "control character: line skipped");
			continue;
		}
		if (ini_do_line(ini, &cur, &skipping, buf, line, rep) == -1) {
			tc_warn(rep, line, "out of memory");
			ini_free(ini);
			return -1;
		}
	}
	return 0;
}

void
ini_free(struct ini *ini)
{
	struct ini_section	*s;
	int			 i, k;

	for (i = 0; i < ini->nsections; i++) {
		s = ini->sections[i];
		for (k = 0; k < s->nkeys; k++) {
			free(s->keys[k].name);
			free(s->keys[k].value);
		}
		free(s->name);
		free(s);
	}
	free(ini->sections);
	memset(ini, 0, sizeof(*ini));
}

const struct ini_key *
ini_get(const struct ini_section *s, const char *name)
{
	int	i;

	for (i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i].name, name) == 0)
			return &s->keys[i];
	return NULL;
}
