/*
 * The IRC filter and the WEBIRC line (see proxy_irc.h).
 *
 * A line is parsed through the buffer reader into its tags, prefix,
 * command and parameters (pointers into the line), then judged by the
 * direction's rules.  A line that passes unchanged is copied as it
 * came; a rewritten one is built again from its parts.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proxy_irc.h"

#define CTCP_MARK	0x01

/* a parameter: bytes inside the line, not NUL-terminated */
struct param {
	const uint8_t	*p;
	size_t		 n;
};

struct msg {
	int		 tagged;
	int		 prefixed;
	/* the message after the tags: what an outbound line keeps */
	const uint8_t	*body;
	size_t		 bodylen;
	char		 cmd[IRC_CMD_MAX + 1];
	int		 numeric;
	struct param	 par[IRC_PARAMS_MAX];
	size_t		 npar;
	int		 trailing;	/* the last parameter came after ':' */
};

/*
 * Client to server, beyond PING, PONG, USER, PART and QUIT, which are
 * rewritten: RFC 2812's commands a user types, the IRCv3 capability and
 * SASL negotiation, and as in the Java filter's list the services
 * aliases and the user and operator commands of common servers
 * (UnrealIRCd, InspIRCd).  None of them carries what a client adds by
 * itself.  Sorted for bsearch.
 */
static const char *const out_allowed[] = {
	"ACCEPT", "ADMIN", "AUTHENTICATE", "AWAY", "BOTSERV", "BS", "CAP",
	"CHANSERV", "CHATOPS", "CHGHOST", "CHGIDENT", "CHGNAME", "CNOTICE",
	"COMMANDS", "CPRIVMSG", "CS", "CYCLE", "DCCALLOW", "DEVOICE", "DIE",
	"ELINE", "FPART", "GLINE", "GLOBOPS", "GZLINE", "HELP", "HELPME",
	"HELPOP", "HELPSERV", "HOSTSERV", "HS", "INFO", "INVITE", "ISON",
	"JOIN", "KICK", "KILL", "KLINE", "KNOCK", "LINKS", "LIST", "LOCOPS",
	"LUSERS", "MAP", "MEMOSERV", "MODE", "MOTD", "MS", "NAMES", "NICK",
	"NICKSERV", "NOTICE", "NS", "OPER", "OPERSERV", "OS", "PASS",
	"PRIVMSG", "PROTOCTL", "REHASH", "RESTART", "RULES", "SAJOIN",
	"SAKICK", "SAMODE", "SANICK", "SAPART", "SATOPIC", "SERVICE",
	"SERVLIST", "SETHOST", "SETIDENT", "SETNAME", "SHUN", "SILENCE",
	"SQUERY", "SQUIT", "SSLINFO", "STATS", "STATSERV", "SUMMON", "TBAN",
	"TIME", "TITLE", "TOPIC", "TRACE", "UHNAMES", "UNINVITE", "USERHOST",
	"USERS", "VERSION", "VHOST", "WALLOPS", "WATCH", "WHO", "WHOIS",
	"WHOWAS", "ZLINE",
};

/*
 * Server to client, beyond the numeric replies: what changes the state
 * a client shows (the Java filter's list) and the IRCv3 messages a
 * client that negotiated their capabilities expects ("H" hides an
 * operator's status on some servers).  Sorted.
 */
static const char *const in_allowed[] = {
	"ACCOUNT", "AUTHENTICATE", "AWAY", "BATCH", "CAP", "CHGHOST",
	"ERROR", "FAIL", "H", "INVITE", "JOIN", "KICK", "KILL", "MODE",
	"NICK", "NOTE", "NOTICE", "PART", "PING", "PONG", "PRIVMSG",
	"PROTOCTL", "QUIT", "SETNAME", "TAGMSG", "TOPIC", "WALLOPS", "WARN",
};

static const char *const drop_names[IRC_DROP_NREASONS] = {
	"too long", "malformed", "client prefix", "command not allowed",
	"CTCP", "DCC",
};

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(a, *(const char *const *)b);
}

static int
allowed(const char *const *list, size_t n, const char *cmd)
{
	return bsearch(cmd, list, n, sizeof(*list), cmpstr) != NULL;
}

static int
peek(const struct rbuf *r, uint8_t *c)
{
	struct rbuf	t = *r;

	return rbuf_get_u8(&t, c);
}

static void
skip_spaces(struct rbuf *r)
{
	uint8_t	c;

	while (peek(r, &c) == 0 && c == ' ')
		rbuf_skip(r, 1);
}

/* the bytes up to the next space or the end */
static void
get_word(struct rbuf *r, const uint8_t **p, size_t *n)
{
	struct rbuf	t = *r;
	uint8_t		c;

	*n = 0;
	while (rbuf_get_u8(&t, &c) == 0 && c != ' ')
		(*n)++;
	rbuf_get_ptr(r, p, *n);
}

static void
get_rest(struct rbuf *r, const uint8_t **p, size_t *n)
{
	*n = rbuf_left(r);
	rbuf_get_ptr(r, p, *n);
}

/* no NUL, CR or LF inside a line (RFC 1459 2.3.1) */
static int
line_clean(const uint8_t *line, size_t len)
{
	struct rbuf	r;
	uint8_t		c;

	rbuf_init(&r, line, len);
	while (rbuf_get_u8(&r, &c) == 0)
		if (c == '\0' || c == '\r' || c == '\n')
			return -1;
	return 0;
}

/* letters, or three digits (a numeric reply); upper-cased into m->cmd */
static int
set_command(struct msg *m, const uint8_t *p, size_t n)
{
	struct rbuf	r;
	uint8_t		c;
	size_t		i, digits = 0;

	if (n == 0 || n > IRC_CMD_MAX)
		return -1;
	rbuf_init(&r, p, n);
	for (i = 0; rbuf_get_u8(&r, &c) == 0; i++) {
		if (isdigit(c))
			digits++;
		else if (!isalpha(c))
			return -1;
		m->cmd[i] = toupper(c);
	}
	m->cmd[i] = '\0';
	if (digits != 0 && (digits != n || n != 3))
		return -1;
	m->numeric = digits == 3;
	return 0;
}

/* the parameters after the command; the last may follow ':' */
static void
get_params(struct rbuf *r, struct msg *m)
{
	struct param	*pp;
	uint8_t		 c;

	for (;;) {
		skip_spaces(r);
		if (peek(r, &c) == -1)
			return;
		pp = &m->par[m->npar++];
		/* the 15th takes the rest, colon or not (RFC 2812 2.3.1) */
		if (c == ':' || m->npar == IRC_PARAMS_MAX) {
			if (c == ':')
				rbuf_skip(r, 1);
			get_rest(r, &pp->p, &pp->n);
			m->trailing = 1;
			return;
		}
		get_word(r, &pp->p, &pp->n);
	}
}

/* the optional "@tags " and ":prefix " */
static int
get_tags_prefix(struct rbuf *r, struct msg *m, enum irc_drop *why)
{
	const uint8_t	*p;
	size_t		 n;
	uint8_t		 c;

	*why = IRC_DROP_MALFORMED;
	if (peek(r, &c) == 0 && c == '@') {
		rbuf_skip(r, 1);
		get_word(r, &p, &n);
		if (n == 0)
			return -1;
		if (n + 2 > IRC_TAGS_MAX) {
			*why = IRC_DROP_TOOLONG;
			return -1;
		}
		m->tagged = 1;
		skip_spaces(r);
	}
	if (rbuf_left(r) + 2 > IRC_MSG_MAX) {
		*why = IRC_DROP_TOOLONG;
		return -1;
	}
	m->bodylen = rbuf_left(r);
	if (rbuf_get_ptr(r, &m->body, 0) == -1)
		return -1;
	if (peek(r, &c) == 0 && c == ':') {
		rbuf_skip(r, 1);
		get_word(r, &p, &n);
		if (n == 0)
			return -1;
		m->prefixed = 1;
		skip_spaces(r);
	}
	return 0;
}

static int
parse(struct msg *m, const uint8_t *line, size_t len, enum irc_drop *why)
{
	struct rbuf	 r;
	const uint8_t	*p;
	size_t		 n;

	memset(m, 0, sizeof(*m));
	*why = IRC_DROP_MALFORMED;
	if (len == 0 || line_clean(line, len) == -1)
		return -1;
	rbuf_init(&r, line, len);
	if (get_tags_prefix(&r, m, why) == -1)
		return -1;
	*why = IRC_DROP_MALFORMED;
	get_word(&r, &p, &n);
	if (set_command(m, p, n) == -1)
		return -1;
	get_params(&r, m);
	return rbuf_error(&r) ? -1 : 0;
}

/* PRIVMSG and its kin: the last parameter is text that may hold CTCP */
static int
is_message(const struct msg *m)
{
	return strcmp(m->cmd, "PRIVMSG") == 0 ||
	    strcmp(m->cmd, "NOTICE") == 0 ||
	    strcmp(m->cmd, "CPRIVMSG") == 0 ||
	    strcmp(m->cmd, "CNOTICE") == 0;
}

static int
starts_with(const struct param *pp, const char *s)
{
	size_t	n = strlen(s);

	return pp->n >= n && strncasecmp((const char *)pp->p, s, n) == 0;
}

static int
has_byte(const struct param *pp, uint8_t want)
{
	struct rbuf	r;
	uint8_t		c;

	rbuf_init(&r, pp->p, pp->n);
	while (rbuf_get_u8(&r, &c) == 0)
		if (c == want)
			return 1;
	return 0;
}

/* a word can be a middle parameter: not empty, no space, no ':' first */
static int
is_word(const struct param *pp)
{
	return pp->n > 0 && !starts_with(pp, ":") && !has_byte(pp, ' ');
}

enum ctcp { CTCP_NONE, CTCP_ACTION, CTCP_DCC, CTCP_OTHER };

/*
 * A message text with CTCP: ACTION alone passes, and only as the whole
 * text ("\1ACTION waves\1", the closing mark optional); anything else,
 * several CTCPs in one text included, does not.
 */
static enum ctcp
ctcp_text(const struct param *t)
{
	struct rbuf	 r;
	struct param	 cmd;
	uint8_t		 c;
	size_t		 marks = 0, i, last = 0;

	rbuf_init(&r, t->p, t->n);
	for (i = 0; rbuf_get_u8(&r, &c) == 0; i++)
		if (c == CTCP_MARK) {
			marks++;
			last = i;
		}
	if (marks == 0)
		return CTCP_NONE;
	rbuf_init(&r, t->p, t->n);
	if (rbuf_get_u8(&r, &c) == -1 || c != CTCP_MARK)
		return CTCP_OTHER;
	get_rest(&r, &cmd.p, &cmd.n);
	if (starts_with(&cmd, "DCC ") || starts_with(&cmd, "DCC\1"))
		return CTCP_DCC;
	if (marks > 2 || (marks == 2 && last != t->n - 1))
		return CTCP_OTHER;
	if (starts_with(&cmd, "ACTION ") || starts_with(&cmd, "ACTION\1") ||
	    (cmd.n == 6 && starts_with(&cmd, "ACTION")))
		return CTCP_ACTION;
	return CTCP_OTHER;
}

/* CTCP anywhere but in a message's text is refused as well */
static enum ctcp
ctcp_of(const struct msg *m)
{
	enum ctcp	 k = CTCP_NONE;
	size_t		 i;

	for (i = 0; i < m->npar; i++) {
		if (!has_byte(&m->par[i], CTCP_MARK))
			continue;
		if (!is_message(m) || i + 1 != m->npar || m->npar < 2)
			return CTCP_OTHER;
		k = ctcp_text(&m->par[i]);
	}
	return k;
}

/* a CTCP verdict as a drop reason; 0 if the line may go on */
static int
ctcp_drop(const struct msg *m, enum irc_drop *why)
{
	switch (ctcp_of(m)) {
	case CTCP_DCC:
		*why = IRC_DROP_DCC;
		return -1;
	case CTCP_OTHER:
		*why = IRC_DROP_CTCP;
		return -1;
	default:
		return 0;
	}
}

static void
put_bytes(struct wbuf *w, const uint8_t *p, size_t n)
{
	wbuf_put_bytes(w, p, n);
}

static void
put_str(struct wbuf *w, const char *s)
{
	wbuf_put_bytes(w, s, strlen(s));
}

static void
put_last(struct wbuf *w, const struct param *pp)
{
	put_str(w, is_word(pp) ? " " : " :");
	put_bytes(w, pp->p, pp->n);
}

/* PASS if what was written is the line as it came, else REWRITE */
static enum irc_verdict
finish(struct wbuf *out, size_t start, const uint8_t *line, size_t len)
{
	size_t	n = wbuf_len(out) - start;

	put_str(out, "\r\n");
	if (n == len && memcmp(wbuf_data(out) + start, line, len) == 0)
		return IRC_PASS;
	return IRC_REWRITE;
}

/*
 * PING keeps its first parameter: BitchX adds the proxy's address as a
 * second.  PONG keeps its last, the token the server sent in its PING.
 */
static int
rewrite_ping(const struct msg *m, struct wbuf *out)
{
	put_str(out, m->cmd);
	if (m->npar > 0)
		put_last(out, strcmp(m->cmd, "PING") == 0 ? &m->par[0] :
		    &m->par[m->npar - 1]);
	return 0;
}

/* USER <user> <mode> <unused> :<realname>: the client's host goes */
static int
rewrite_user(const struct msg *m, struct wbuf *out)
{
	if (m->npar != 4 || !is_word(&m->par[0]))
		return -1;
	put_str(out, "USER ");
	put_bytes(out, m->par[0].p, m->par[0].n);
	put_str(out, " 0 * :");
	put_bytes(out, m->par[3].p, m->par[3].n);
	return 0;
}

/* PART and QUIT: the client's message (often its version) goes */
static int
rewrite_leave(const struct msg *m, struct wbuf *out)
{
	if (strcmp(m->cmd, "QUIT") == 0) {
		put_str(out, "QUIT :leaving");
		return 0;
	}
	if (m->npar < 1 || !is_word(&m->par[0]))
		return -1;
	put_str(out, "PART ");
	put_bytes(out, m->par[0].p, m->par[0].n);
	put_str(out, " :leaving");
	return 0;
}

static int
rewrite(const struct msg *m, struct wbuf *out)
{
	if (strcmp(m->cmd, "PING") == 0 || strcmp(m->cmd, "PONG") == 0)
		return rewrite_ping(m, out);
	if (strcmp(m->cmd, "USER") == 0)
		return rewrite_user(m, out);
	return rewrite_leave(m, out);
}

static int
is_rewritten(const char *cmd)
{
	return strcmp(cmd, "PING") == 0 || strcmp(cmd, "PONG") == 0 ||
	    strcmp(cmd, "USER") == 0 || strcmp(cmd, "PART") == 0 ||
	    strcmp(cmd, "QUIT") == 0;
}

static enum irc_verdict
filter_out(const struct msg *m, const uint8_t *line, size_t len,
    struct wbuf *out, enum irc_drop *why)
{
	size_t	start = wbuf_len(out);

	*why = IRC_DROP_PREFIX;
	if (m->prefixed)
		return IRC_DROP;
	if (ctcp_drop(m, why) == -1)
		return IRC_DROP;
	/* mIRC announces a DCC in a plain NOTICE, IP address and all */
	*why = IRC_DROP_DCC;
	if (is_message(m) && m->npar >= 2 &&
	    starts_with(&m->par[m->npar - 1], "DCC "))
		return IRC_DROP;
	if (is_rewritten(m->cmd)) {
		*why = IRC_DROP_MALFORMED;
		if (rewrite(m, out) == -1)
			return IRC_DROP;
	} else if (!m->numeric && allowed(out_allowed, sizeof(out_allowed) /
	    sizeof(out_allowed[0]), m->cmd))
		put_bytes(out, m->body, m->bodylen);
	else {
		*why = IRC_DROP_COMMAND;
		return IRC_DROP;
	}
	return finish(out, start, line, len);
}

static enum irc_verdict
filter_in(const struct msg *m, const uint8_t *line, size_t len,
    struct wbuf *out, enum irc_drop *why)
{
	if (ctcp_drop(m, why) == -1)
		return IRC_DROP;
	*why = IRC_DROP_COMMAND;
	if (!m->numeric && !allowed(in_allowed, sizeof(in_allowed) /
	    sizeof(in_allowed[0]), m->cmd))
		return IRC_DROP;
	put_bytes(out, line, len);
	put_str(out, "\r\n");
	return IRC_PASS;
}

enum irc_verdict
irc_filter_line(enum irc_dir dir, const uint8_t *line, size_t len,
    struct wbuf *out, enum irc_drop *why)
{
	struct msg	m;

	/* a rewrite adds at most " :leaving" and CR LF */
	if (wbuf_room(out) < len + 16) {
		*why = IRC_DROP_TOOLONG;
		return IRC_DROP;
	}
	if (parse(&m, line, len, why) == -1)
		return IRC_DROP;
	if (dir == IRC_OUTBOUND)
		return filter_out(&m, line, len, out, why);
	return filter_in(&m, line, len, out, why);
}

void
irc_filter_init(struct irc_filter *f, enum irc_dir dir)
{
	memset(f, 0, sizeof(*f));
	f->dir = dir;
}

static void
count(struct irc_filter *f, enum irc_verdict v, enum irc_drop why)
{
	if (v == IRC_PASS)
		f->count.passed++;
	else if (v == IRC_REWRITE)
		f->count.rewritten++;
	else
		f->count.dropped[why]++;
}

/* a line feed ended the held line: judge it (an empty one is ignored) */
static int
end_line(struct irc_filter *f, struct wbuf *out)
{
	struct rbuf	 r;
	const uint8_t	*p;
	enum irc_drop	 why = IRC_DROP_MALFORMED;
	enum irc_verdict v;
	size_t		 n = f->len;
	uint8_t		 c;

	f->len = 0;
	if (f->skipping) {
		f->skipping = 0;
		return 0;
	}
	rbuf_init(&r, f->line, n);
	if (n > 0 && rbuf_skip(&r, n - 1) == 0 && rbuf_get_u8(&r, &c) == 0 &&
	    c == '\r')
		n--;
	if (n == 0)
		return 0;
	if (wbuf_room(out) < n + 16)
		return -1;
	rbuf_init(&r, f->line, n);
	rbuf_get_ptr(&r, &p, n);
	v = irc_filter_line(f->dir, p, n, out, &why);
	count(f, v, why);
	return 0;
}

int
irc_filter_feed(struct irc_filter *f, const uint8_t *data, size_t len,
    struct wbuf *out)
{
	struct rbuf	r;
	uint8_t		c;

	rbuf_init(&r, data, len);
	while (rbuf_get_u8(&r, &c) == 0) {
		if (c == '\n') {
			if (end_line(f, out) == -1)
				return -1;
			continue;
		}
		if (f->skipping)
			continue;
		if (f->len == sizeof(f->line)) {
			/* counted once; the rest of it is skipped */
			f->count.dropped[IRC_DROP_TOOLONG]++;
			f->skipping = 1;
			continue;
		}
		f->line[f->len++] = c;
	}
	return wbuf_error(out) ? -1 : 0;
}

const char *
irc_drop_name(enum irc_drop why)
{
	if ((unsigned)why >= IRC_DROP_NREASONS)
		return "unknown";
	return drop_names[why];
}

/* a WEBIRC field: a non-empty word of printable ASCII */
static int
webirc_word(const char *s)
{
	struct rbuf	r;
	uint8_t		c;
	size_t		n = strlen(s);

	if (n == 0 || s[0] == ':')
		return -1;
	rbuf_init(&r, s, n);
	while (rbuf_get_u8(&r, &c) == 0)
		if (c <= 0x20 || c >= 0x7f)
			return -1;
	return 0;
}

int
irc_webirc(struct wbuf *out, const char *password, const char *user,
    const char *host, const char *ip)
{
	uint8_t	addr[16];
	size_t	n;

	if (webirc_word(password) == -1 || webirc_word(user) == -1 ||
	    webirc_word(host) == -1)
		return -1;
	if (inet_pton(AF_INET, ip, addr) != 1 &&
	    inet_pton(AF_INET6, ip, addr) != 1)
		return -1;
	/* "WEBIRC", four spaces, a '0' maybe, CR LF: within one message */
	n = 6 + 4 + 1 + strlen(password) + strlen(user) + strlen(host) +
	    strlen(ip) + 2;
	if (n > IRC_MSG_MAX || wbuf_room(out) < n)
		return -1;
	put_str(out, "WEBIRC ");
	put_str(out, password);
	put_str(out, " ");
	put_str(out, user);
	put_str(out, " ");
	put_str(out, host);
	/* "::1" would read as a trailing ":1"; "0::1" is the same address */
	put_str(out, ip[0] == ':' ? " 0" : " ");
	put_str(out, ip);
	put_str(out, "\r\n");
	return wbuf_error(out) ? -1 : 0;
}
