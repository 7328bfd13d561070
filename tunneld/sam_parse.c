/*
 * SAM lines (api/samv3.html "Encoding and Escaping", "Empty values",
 * "Case Sensitivity"): the text a client sends, split into words and
 * KEY=VALUE arguments; the replies we write back.  Pure: no I/O, no
 * state.  Every byte of client input is read through struct rbuf.
 *
 * The spec's rules, and where we chose:
 *   - the first words are the command; we upper-case them so that
 *     "hello version" works from telnet, as the spec recommends; keys
 *     and values are never case-mapped (they carry I2CP options);
 *   - a value may be quoted, with \" and \\ inside (3.2); a backslash
 *     before any other character stands for that character; outside
 *     quotes a backslash is an ordinary character (base64 has none);
 *   - only the first '=' splits: base64 padding stays in the value;
 *   - KEY, KEY= and KEY="" are all an empty value;
 *   - spaces and tabs separate, any number of them (3.2);
 *   - other control characters are refused: they are never meant, and
 *     a NUL would cut a value short further on.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "encoding.h"
#include "sam.h"

struct sam_tok {
	struct rbuf	 rb;
	struct sam_line	*l;
	size_t		 used;		/* bytes of l->store */
	const char	*why;
};

static int
tok_peek(struct sam_tok *t, uint8_t *c)
{
	struct rbuf	 copy = t->rb;

	return rbuf_get_u8(&copy, c);
}

static int
is_space(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static void
tok_skip_space(struct sam_tok *t)
{
	uint8_t	 c;

	while (tok_peek(t, &c) == 0 && is_space(c))
		(void)rbuf_get_u8(&t->rb, &c);
}

/* store has room for every input byte plus a NUL per token */
static void
tok_put(struct sam_tok *t, char c)
{
	t->l->store[t->used++] = c;
}

static char *
tok_start(struct sam_tok *t)
{
	return &t->l->store[t->used];
}

/* an unquoted run up to a space, or up to '=' if stop_eq */
static char *
tok_word(struct sam_tok *t, int stop_eq)
{
	char	*s = tok_start(t);
	uint8_t	 c;

	while (tok_peek(t, &c) == 0 && !is_space(c) && !(stop_eq && c == '=')) {
		(void)rbuf_get_u8(&t->rb, &c);
		tok_put(t, c);
	}
	tok_put(t, '\0');
	return s;
}

static char *
tok_quoted(struct sam_tok *t)
{
	char	*s = tok_start(t);
	uint8_t	 c;

	(void)rbuf_get_u8(&t->rb, &c);		/* the opening quote */
	for (;;) {
		if (rbuf_get_u8(&t->rb, &c) == -1) {
			t->why = "unterminated quote";
			return NULL;
		}
		if (c == '"')
			break;
		if (c == '\\' && rbuf_get_u8(&t->rb, &c) == -1) {
			t->why = "unterminated quote";
			return NULL;
		}
		tok_put(t, c);
	}
	tok_put(t, '\0');
	if (tok_peek(t, &c) == 0 && !is_space(c)) {
		t->why = "junk after a closing quote";
		return NULL;
	}
	return s;
}

static void
upcase(char *s)
{
	for (; *s != '\0'; s++)
		*s = toupper((unsigned char)*s);
}

static int
tok_arg(struct sam_tok *t)
{
	struct sam_line	*l = t->l;
	const char	*key, *val;
	uint8_t		 c;
	size_t		 i;

	key = tok_word(t, 1);
	if (*key == '\0') {
		t->why = "empty key";
		return -1;
	}
	val = "";
	if (tok_peek(t, &c) == 0 && c == '=') {
		(void)rbuf_get_u8(&t->rb, &c);
		if (tok_peek(t, &c) == 0 && c == '"')
			val = tok_quoted(t);
		else
			val = tok_word(t, 0);
		if (val == NULL)
			return -1;
	}
	for (i = 0; i < l->nargs; i++)
		if (strcmp(l->args[i].key, key) == 0) {
			t->why = "a key given twice";
			return -1;
		}
	if (l->nargs == SAM_ARGS_MAX) {
		t->why = "too many arguments";
		return -1;
	}
	l->args[l->nargs].key = key;
	l->args[l->nargs++].val = val;
	return 0;
}

/* a word with no '=' after the command is its sub-command */
static int
tok_is_word(struct sam_tok *t)
{
	struct rbuf	 copy = t->rb;
	uint8_t		 c;

	if (rbuf_get_u8(&copy, &c) == -1 || c == '"')
		return 0;
	do {
		if (c == '=')
			return 0;
	} while (rbuf_get_u8(&copy, &c) == 0 && !is_space(c));
	return 1;
}

static int
check_bytes(const uint8_t *p, size_t len, const char **why)
{
	struct rbuf	 rb;
	uint8_t		 c;

	rbuf_init(&rb, p, len);
	while (rbuf_get_u8(&rb, &c) == 0)
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			*why = "control character in the line";
			return -1;
		}
	return 0;
}

/* PING and PONG carry arbitrary text after one space */
static void
tok_text(struct sam_tok *t)
{
	char	*s = tok_start(t);
	uint8_t	 c;

	tok_skip_space(t);
	while (rbuf_get_u8(&t->rb, &c) == 0)
		tok_put(t, c);
	tok_put(t, '\0');
	t->l->text = s;
}

/* udp: three words (version, ID, destination), no case mapping */
static int
line_parse(struct sam_line *l, const uint8_t *p, size_t len, int udp,
    const char **why)
{
	struct sam_tok	 t;
	char		*w;
	uint8_t		 c;

	memset(l, 0, offsetof(struct sam_line, store));
	l->text = "";
	if (len > 0 && p[len - 1] == '\r')
		len--;
	if (len > SAM_LINE_MAX) {
		*why = "line too long";
		return -1;
	}
	if (check_bytes(p, len, why) == -1)
		return -1;
	memset(&t, 0, sizeof(t));
	rbuf_init(&t.rb, p, len);
	t.l = l;
	tok_skip_space(&t);
	if (tok_peek(&t, &c) == -1) {
		*why = "empty line";
		return -1;
	}
	w = tok_word(&t, 0);
	l->cmd = w;
	if (udp) {
		tok_skip_space(&t);
		l->sub = tok_word(&t, 0);
		tok_skip_space(&t);
		l->dest = tok_word(&t, 0);
	} else
		upcase(w);
	if (!udp && (strcmp(w, "PING") == 0 || strcmp(w, "PONG") == 0)) {
		tok_text(&t);
		return 0;
	}
	tok_skip_space(&t);
	if (!udp && tok_is_word(&t)) {
		w = tok_word(&t, 0);
		upcase(w);
		l->sub = w;
	}
	for (tok_skip_space(&t); rbuf_left(&t.rb) > 0; tok_skip_space(&t))
		if (tok_arg(&t) == -1) {
			*why = t.why;
			return -1;
		}
	return 0;
}

int
sam_line_parse(struct sam_line *l, const uint8_t *p, size_t len,
    const char **why)
{
	return line_parse(l, p, len, 0, why);
}

const char *
sam_arg(const struct sam_line *l, const char *key)
{
	size_t	 i;

	for (i = 0; i < l->nargs; i++)
		if (strcmp(l->args[i].key, key) == 0)
			return l->args[i].val;
	return NULL;
}

/*
 * "3" alone means 3.0 as a minimum and any 3.x as a maximum (3.1:
 * "single-digit versions such as 3").
 */
int
sam_version_parse(const char *s, int is_max, int *v)
{
	char		*end;
	long		 maj, min;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	maj = strtol(s, &end, 10);
	if (maj < 1 || maj > 9)
		return -1;
	if (*end == '\0') {
		*v = SAM_V(maj, is_max ? 99 : 0);
		return 0;
	}
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return -1;
	min = strtol(end + 1, &end, 10);
	if (*end != '\0' || min < 0 || min > 99)
		return -1;
	*v = SAM_V(maj, min);
	return 0;
}

static int
needs_quotes(const char *v)
{
	return *v == '\0' || strpbrk(v, " \t\"\\") != NULL;
}

static int
put_str(struct wbuf *w, const char *s)
{
	return wbuf_put_bytes(w, s, strlen(s));
}

static int
put_value(struct wbuf *w, const char *v)
{
	if (!needs_quotes(v))
		return put_str(w, v);
	wbuf_put_u8(w, '"');
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\')
			wbuf_put_u8(w, '\\');
		wbuf_put_u8(w, *v);
	}
	return wbuf_put_u8(w, '"');
}

static void
put_kv(struct wbuf *w, const char *key, const char *val, int *first)
{
	if (!*first)
		wbuf_put_u8(w, ' ');
	*first = 0;
	put_str(w, key);
	wbuf_put_u8(w, '=');
	put_value(w, val);
}

static void
put_fields(struct wbuf *w, int ver, const struct sam_field *f, size_t n,
    int *first)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (f[i].val != NULL && ver >= f[i].minver)
			put_kv(w, f[i].key, f[i].val, first);
}

int
sam_reply(struct wbuf *w, int ver, const char *words, const char *result,
    const struct sam_field *f, size_t n, const char *message)
{
	int	 first = 0;

	put_str(w, words);
	if (result != NULL)
		put_kv(w, "RESULT", result, &first);
	put_fields(w, ver, f, n, &first);
	if (message != NULL && *message != '\0')
		put_kv(w, "MESSAGE", message, &first);
	return wbuf_put_u8(w, '\n');
}

int
sam_put_fields(struct wbuf *w, int ver, const struct sam_field *f, size_t n)
{
	int	 first = 1;

	put_fields(w, ver, f, n, &first);
	return wbuf_error(w);
}

/*
 * The first line of a datagram on the UDP port: "3.x ID DEST" and
 * options (3.2), then the payload.  The words are those of a command
 * line, so the same tokenizer reads them: the version is the command,
 * the ID the sub-command, the destination the first argument's key.
 */
int
sam_udp_parse(struct sam_udp_hdr *h, const uint8_t *p, size_t len,
    const char **why)
{
	struct rbuf	 rb;
	const uint8_t	*line;
	size_t		 n;
	uint8_t		 c = 0;

	rbuf_init(&rb, p, len);
	for (n = 0; rbuf_get_u8(&rb, &c) == 0 && c != '\n'; n++)
		;
	if (c != '\n' || rbuf_error(&rb)) {
		*why = "no header line";
		return -1;
	}
	rbuf_init(&rb, p, len);
	if (rbuf_get_ptr(&rb, &line, n) == -1 || rbuf_skip(&rb, 1) == -1 ||
	    rbuf_get_ptr(&rb, &h->payload, rbuf_left(&rb)) == -1)
		return -1;
	h->len = len - n - 1;
	if (line_parse(&h->line, line, n, 1, why) == -1)
		return -1;
	if (strncmp(h->line.cmd, "3.", 2) != 0 || *h->line.sub == '\0' ||
	    *h->line.dest == '\0') {
		*why = "header is not \"3.x ID DESTINATION\"";
		return -1;
	}
	return 0;
}

int
sam_b64_decode(uint8_t *dst, size_t dstsz, const char *s)
{
	char	 buf[SAM_PRIV_MAX * 2];
	size_t	 len = strlen(s);
	int	 n;

	if (len + 3 >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	while (len % 4 != 0)
		buf[len++] = '=';
	n = b64_decode(dst, dstsz, buf, len);
	crypto_wipe(buf, sizeof(buf));
	return n;
}
