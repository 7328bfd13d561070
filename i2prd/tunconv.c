/*
 * i2prd -T: i2pd's tunnels.conf as i2prd.conf tunnel blocks.
 *
 * The meaning of each key and its default are i2pd 2.45.1's
 * (ClientContext::ReadTunnels): sections that share a "keys" value share
 * one local destination, whose tunnel options are those of the section
 * that made it; a client's "keys" defaults to "transient", a destination
 * of its own; a server needs "keys".  Each destination becomes one
 * "destination NAME ... { }" block holding its tunnel lines.  Whatever
 * has no i2prd equivalent is reported (tc_warn) where it would have gone,
 * and a section that cannot be converted is reported and left out.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <bsd/string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "i2pdata.h"
#include "i2prd.h"
#include "tunconv.h"

enum tc_kind {
	TC_CLIENT, TC_UDPCLIENT, TC_HTTPPROXY, TC_SOCKS,
	TC_SERVER, TC_HTTP, TC_IRC, TC_UDPSERVER
};

#define TC_OPTS_MAX	8

struct tc_type {
	const char	*name;
	enum tc_kind	 kind;
	const char	*line;			/* i2prd.conf's words */
	const char	*opts[TC_OPTS_MAX];	/* converted, NULL-ended */
};

/* i2pd's section types and the keys it reads that i2prd has too */
static const struct tc_type tc_types[] = {
	{ "client", TC_CLIENT, "client",
	    { "address", "port", "destination", "destinationport" } },
	{ "udpclient", TC_UDPCLIENT, "udp client",
	    { "address", "port", "destination", "destinationport" } },
	{ "httpproxy", TC_HTTPPROXY, "http proxy",
	    { "address", "port", "outproxy" } },
	{ "socks", TC_SOCKS, "socks proxy", { "address", "port" } },
	{ "server", TC_SERVER, "server",
	    { "host", "port", "inport", "accesslist", "whitelist" } },
	{ "http", TC_HTTP, "http server", { "host", "port", "inport",
	    "accesslist", "whitelist", "hostoverride" } },
	{ "irc", TC_IRC, "irc server", { "host", "port", "inport",
	    "accesslist", "whitelist", "webircpassword" } },
	{ "udpserver", TC_UDPSERVER, "udp server", { "host", "port" } },
};

/* the tunnel pool keys, i2pd's defaults, i2prd's maxima */
#define TC_POOL	4
static const char *const pool_keys[TC_POOL] = {
	"inbound.length", "inbound.quantity",
	"outbound.length", "outbound.quantity"
};
static const long pool_default[TC_POOL] = { 3, 5, 3, 5 };
static const long pool_max[TC_POOL] = {
	EXPL_LENGTH_MAX, EXPL_QUANTITY_MAX, EXPL_LENGTH_MAX, EXPL_QUANTITY_MAX
};

#define TC_HOST_MAX	255	/* an outproxy's host name */
#define TC_STRING_MAX	2047	/* i2prd.conf's longest string (parse.y) */
#define TC_B32_LEN	52	/* base32 of a 32-byte hash */

/* why a destination was made, said before its block */
enum tc_origin { TC_KEYFILE, TC_TRANSIENT, TC_SHARED };

struct tc_dest {
	char		 name[DEST_NAME_MAX + 1];
	const char	*id;		/* the "keys" value; NULL: one section */
	enum tc_origin	 origin;
	int		 line;		/* of "keys", or of the section */
	int		 first;		/* its first tunnel */
	long		 pool[TC_POOL];
};

struct tc_tun {
	const struct ini_section *sec;
	const struct tc_type	*type;
	int			 dest;
	char			 addr[INET6_ADDRSTRLEN];
	long			 port;
	long			 tport;		/* destinationport */
	long			 inport;	/* 0: not given */
	int			 i2pport;	/* print "i2p port" */
	const char		*target;
	const char		*hostover;
	const char		*webirc;
	const char		*allow;
	char			 outproxy[TC_HOST_MAX + 1];
	int			 outproxy_bad;	/* given, not convertible */
	long			 outproxy_port;	/* 0: none given */
};

struct tc_conv {
	struct tc_report	*rep;
	struct tc_tun		*tuns;
	int			 ntuns;
	struct tc_dest		*dests;
	int			 ndests;
};

static const char *
opt(const struct ini_section *s, const char *name)
{
	const struct ini_key	*k = ini_get(s, name);

	return k != NULL ? k->value : NULL;
}

static int
opt_line(const struct ini_section *s, const char *name)
{
	const struct ini_key	*k = ini_get(s, name);

	return k != NULL ? k->line : s->line;
}

static int
is_server(const struct tc_tun *t)
{
	return t->type->kind >= TC_SERVER;
}

/* a TCP server: one of those that share the stream ports */
static int
is_stream_server(const struct tc_tun *t)
{
	return is_server(t) && t->type->kind != TC_UDPSERVER;
}

/* a decimal number in [min, max] and nothing else */
static int
num_parse(const char *s, long min, long max, long *v)
{
	long	n = 0;
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i == 9)
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	if (i == 0 || n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

/* a numeric option; def < 0: it must be given */
static int
num_opt(struct tc_conv *c, const struct ini_section *s, const char *name,
    long min, long max, long def, long *v)
{
	const char	*val = opt(s, name);

	if (val == NULL && def >= 0) {
		*v = def;
		return 0;
	}
	if (val == NULL) {
		tc_warn(c->rep, s->line, "[%s] has no \"%s\" (i2pd refuses "
		    "it too): section skipped", s->name, name);
		return -1;
	}
	if (num_parse(val, min, max, v) == -1) {
		tc_warn(c->rep, opt_line(s, name), "[%s]: \"%s\" is not a "
		    "number in %ld-%ld: section skipped", s->name, name, min,
		    max);
		return -1;
	}
	return 0;
}

/*
 * A literal IPv4 or IPv6 address, as i2prd.conf takes them; "localhost",
 * which i2pd resolves, is 127.0.0.1.  def NULL: the option must be given.
 */
static int
addr_opt(struct tc_conv *c, const struct ini_section *s, const char *name,
    const char *def, char *dst)
{
	const char	*val = opt(s, name);
	uint8_t		 a[16];

	if (val == NULL && def == NULL) {
		tc_warn(c->rep, s->line, "[%s] has no \"%s\" (i2pd refuses "
		    "it too): section skipped", s->name, name);
		return -1;
	}
	if (val == NULL)
		val = def;
	if (strcmp(val, "localhost") == 0) {
		tc_warn(c->rep, opt_line(s, name), "[%s]: \"%s\" = "
		    "\"localhost\": 127.0.0.1 used", s->name, name);
		val = "127.0.0.1";
	}
	if ((inet_pton(AF_INET, val, a) != 1 &&
	    inet_pton(AF_INET6, val, a) != 1) ||
	    strlen(val) >= INET6_ADDRSTRLEN) {
		tc_warn(c->rep, opt_line(s, name), "[%s]: \"%s\" = \"%s\" is "
		    "not an IP address (i2prd.conf takes literal addresses "
		    "only): section skipped", s->name, name, val);
		return -1;
	}
	strlcpy(dst, val, INET6_ADDRSTRLEN);
	return 0;
}

/* a host name, b32 address or base64 Destination: no other bytes */
static int
target_ok(const char *s)
{
	size_t	i;
	char	c;

	for (i = 0; (c = s[i]) != '\0'; i++)
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '.' && c != '-' &&
		    c != '~' && c != '=' && c != '_')
			return 0;
	return i > 0;
}

/* s ends in suffix (ASCII case ignored) */
static int
ends_with(const char *s, const char *suffix)
{
	size_t	ls = strlen(s), lx = strlen(suffix);

	return ls > lx && strcasecmp(s + ls - lx, suffix) == 0;
}

/*
 * i2pd's HTTP proxy takes its outproxy as a URL.  An http:// one (or one
 * without a scheme) whose host is an .i2p name is reached through I2P,
 * which is what i2prd's outproxy is; a socks:// or clearnet one is not.
 * i2pd goes to port 80 when the URL names none; so does the line.
 */
static void
outproxy_read(struct tc_tun *t, const char *val)
{
	char	*end;
	size_t	 n;

	if (*val == '\0')
		return;			/* i2pd: no outproxy */
	if (strncasecmp(val, "http://", 7) == 0)
		val += 7;
	n = strcspn(val, ":/");
	if (strstr(val, "://") != NULL || n == 0 || n > TC_HOST_MAX) {
		t->outproxy_bad = 1;
		return;
	}
	memcpy(t->outproxy, val, n);
	t->outproxy[n] = '\0';
	if (!target_ok(t->outproxy) || !ends_with(t->outproxy, ".i2p")) {
		t->outproxy[0] = '\0';
		t->outproxy_bad = 1;
		return;
	}
	t->outproxy_port = 80;
	if (val[n] != ':')
		return;
	t->outproxy_port = strtol(val + n + 1, &end, 10);
	if (end == val + n + 1 || (*end != '\0' && *end != '/') ||
	    t->outproxy_port < 1 || t->outproxy_port > 65535) {
		t->outproxy[0] = '\0';
		t->outproxy_bad = 1;
	}
}

/*
 * The next entry of i2pd's comma-separated access list: the hash in
 * base32 (52 of a-z 2-7), ".b32.i2p" tolerated, blanks dropped.  1 and
 * b32 filled (lower case, the bare hash), 0 at the end, -1 for an entry
 * that is not one (b32 then holds it, cut short, for the report).
 */
static int
allow_next(struct rbuf *rb, char *b32, size_t b32sz)
{
	char	entry[TC_B32_LEN + 16];
	uint8_t	hash[I2P_HASH_LEN];
	size_t	n = 0, i;
	uint8_t	ch;

	while (rbuf_get_u8(rb, &ch) == 0) {
		if (ch == ',' && n > 0)
			break;
		if (ch != ',' && ch != ' ' && ch != '\t' &&
		    n < sizeof(entry) - 1)
			entry[n++] = (char)ch;
	}
	entry[n] = '\0';
	if (n == 0)
		return 0;
	strlcpy(b32, entry, b32sz);
	if (ends_with(entry, ".b32.i2p"))
		entry[n - 8] = '\0';
	if (strlen(entry) != TC_B32_LEN)
		return -1;
	for (i = 0; i < TC_B32_LEN; i++) {
		if (entry[i] >= 'A' && entry[i] <= 'Z')
			entry[i] += 'a' - 'A';
		if (!(entry[i] >= 'a' && entry[i] <= 'z') &&
		    !(entry[i] >= '2' && entry[i] <= '7'))
			return -1;
	}
	strlcpy(b32, entry, b32sz);
	/* and it decodes to a hash: its last character's low bits are 0 */
	if (strlcat(entry, ".b32.i2p", sizeof(entry)) >= sizeof(entry) ||
	    b32_name_hash(entry, hash) == -1)
		return -1;
	return 1;
}

/* every entry a b32 and at least one; else reported */
static int
allow_check(struct tc_conv *c, const struct ini_section *s, const char *key,
    const char *list)
{
	struct rbuf	rb;
	char		b32[TC_B32_LEN + 16];
	int		rv, n = 0;

	rbuf_init(&rb, list, strlen(list));
	while ((rv = allow_next(&rb, b32, sizeof(b32))) == 1)
		n++;
	if (rv == -1)
		tc_warn(c->rep, opt_line(s, key), "[%s]: \"%s\" entry \"%s\" "
		    "is not a b32 address: section skipped", s->name, key,
		    b32);
	else if (n == 0)
		tc_warn(c->rep, opt_line(s, key), "[%s]: \"%s\" lists no "
		    "address: section skipped", s->name, key);
	return rv == -1 || n == 0 ? -1 : 0;
}

/* a string that i2prd.conf's lexer takes whole; else reported */
static int
str_ok(struct tc_conv *c, const struct ini_section *s, const char *name,
    const char *val)
{
	if (val == NULL || strlen(val) <= TC_STRING_MAX)
		return 0;
	tc_warn(c->rep, opt_line(s, name), "[%s]: \"%s\" is longer than "
	    "i2prd.conf's %d bytes: section skipped", s->name, name,
	    TC_STRING_MAX);
	return -1;
}

static int
tun_client(struct tc_conv *c, const struct ini_section *s, struct tc_tun *t)
{
	const char	*val;

	if (addr_opt(c, s, "address", "127.0.0.1", t->addr) == -1 ||
	    num_opt(c, s, "port", 1, 65535, -1, &t->port) == -1)
		return -1;
	if (t->port < 1024) {
		tc_warn(c->rep, opt_line(s, "port"), "[%s]: port %ld: i2prd "
		    "listens on ports 1024-65535 only (tunneld binds without "
		    "root): section skipped", s->name, t->port);
		return -1;
	}
	if (t->type->kind == TC_HTTPPROXY &&
	    (val = opt(s, "outproxy")) != NULL)
		outproxy_read(t, val);
	if (t->type->kind != TC_CLIENT && t->type->kind != TC_UDPCLIENT)
		return 0;
	if ((t->target = opt(s, "destination")) == NULL) {
		tc_warn(c->rep, s->line, "[%s] has no \"destination\" (i2pd "
		    "refuses it too): section skipped", s->name);
		return -1;
	}
	if (str_ok(c, s, "destination", t->target) == -1)
		return -1;
	if (!target_ok(t->target)) {
		tc_warn(c->rep, opt_line(s, "destination"), "[%s]: "
		    "\"destination\" is not a host name, b32 address or "
		    "Destination: section skipped", s->name);
		return -1;
	}
	return num_opt(c, s, "destinationport", 0, 65535, 0, &t->tport);
}

/* an option whose empty value i2pd takes as not given */
static const char *
opt_nonempty(const struct ini_section *s, const char *name)
{
	const char	*val = opt(s, name);

	return val != NULL && *val != '\0' ? val : NULL;
}

static int
tun_server(struct tc_conv *c, const struct ini_section *s, struct tc_tun *t)
{
	const char	*key = "accesslist";

	if (addr_opt(c, s, "host", NULL, t->addr) == -1 ||
	    num_opt(c, s, "port", 1, 65535, -1, &t->port) == -1)
		return -1;
	if (t->type->kind == TC_UDPSERVER)
		return 0;
	/* i2pd: inport 0 or absent is the same as port */
	if (num_opt(c, s, "inport", 0, 65535, 0, &t->inport) == -1)
		return -1;
	/* "whitelist" is i2pd's older name, read if accesslist is not */
	if ((t->allow = opt_nonempty(s, key)) == NULL)
		t->allow = opt_nonempty(s, key = "whitelist");
	if (t->allow != NULL && allow_check(c, s, key, t->allow) == -1)
		return -1;
	if (t->type->kind == TC_HTTP)
		t->hostover = opt_nonempty(s, "hostoverride");
	if (t->type->kind == TC_IRC)
		t->webirc = opt_nonempty(s, "webircpassword");
	if (str_ok(c, s, "hostoverride", t->hostover) == -1 ||
	    str_ok(c, s, "webircpassword", t->webirc) == -1)
		return -1;
	return 0;
}

static int
tun_type(struct tc_conv *c, const struct ini_section *s, struct tc_tun *t)
{
	const char	*val;
	size_t		 i;

	if ((val = opt(s, "type")) == NULL) {
		tc_warn(c->rep, s->line, "[%s] has no \"type\" (i2pd refuses "
		    "it too): section skipped", s->name);
		return -1;
	}
	for (i = 0; i < sizeof(tc_types) / sizeof(tc_types[0]); i++) {
		if (strcmp(val, tc_types[i].name) == 0) {
			t->type = &tc_types[i];
			return 0;
		}
	}
	tc_warn(c->rep, opt_line(s, "type"), "[%s]: type \"%s\" has no i2prd "
	    "equivalent: section skipped", s->name, val);
	return -1;
}

/* the two share what i2pd keys its tunnels by, so it starts only one */
static int
tun_same_place(const struct tc_tun *a, const struct tc_tun *b)
{
	int	udp_a, udp_b;

	if (is_server(a) != is_server(b))
		return 0;
	udp_a = a->type->kind == TC_UDPCLIENT || a->type->kind ==
	    TC_UDPSERVER;
	udp_b = b->type->kind == TC_UDPCLIENT || b->type->kind ==
	    TC_UDPSERVER;
	if (udp_a != udp_b)
		return 0;
	if (!is_server(a))		/* the local endpoint */
		return a->port == b->port && strcmp(a->addr, b->addr) == 0;
	if (a->dest != b->dest)
		return 0;
	/* UDP: destination and port; TCP: destination and inport as given */
	return udp_a ? a->port == b->port : a->inport == b->inport;
}

/*
 * i2pd starts only the first of two tunnels in the same place (it logs
 * "already exists"); the second is reported and left out.  A TCP server
 * that is not its destination's first is given its stream port: i2pd
 * hands the first one the streams to every port no other server takes,
 * which is what i2prd does for a server without "i2p port".
 */
static int
tun_place(struct tc_conv *c, struct tc_tun *t)
{
	const struct tc_tun	*o;
	int			 i;

	for (i = 0; i < c->ntuns; i++) {
		o = &c->tuns[i];
		if (tun_same_place(o, t)) {
			tc_warn(c->rep, t->sec->line, "[%s]: i2pd does not "
			    "start it, [%s] (line %d) is in its place: "
			    "section skipped", t->sec->name, o->sec->name,
			    o->sec->line);
			return -1;
		}
		if (is_stream_server(t) && is_stream_server(o) &&
		    o->dest == t->dest)
			t->i2pport = 1;
	}
	return 0;
}

static int
name_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/*
 * A destination name from a key file's name (its last component without
 * the extension) or from a section name: other characters become '_'.
 */
static void
name_from(char *dst, const char *src, int keyfile)
{
	size_t	i, n = 0, start = 0, end = strlen(src);

	for (i = 0; keyfile && src[i] != '\0'; i++)
		if (src[i] == '/' || src[i] == '\\')
			start = i + 1;
	for (i = end; keyfile && i > start + 1; i--)
		if (src[i - 1] == '.') {
			end = i - 1;
			break;
		}
	for (i = start; i < end && n < DEST_NAME_MAX; i++)
		dst[n++] = name_char_ok(src[i]) ? src[i] : '_';
	dst[n] = '\0';
	if (n == 0)
		strlcpy(dst, "dest", DEST_NAME_MAX + 1);
}

static int
name_taken(const struct tc_conv *c, const char *name)
{
	int	i;

	for (i = 0; i < c->ndests; i++)
		if (strcmp(c->dests[i].name, name) == 0)
			return 1;
	return 0;
}

/* "name", or "name-2", "name-3"... if another destination has it */
static void
name_unique(const struct tc_conv *c, char *name)
{
	char	base[DEST_NAME_MAX + 1], suffix[16];
	int	i, keep;

	strlcpy(base, name, sizeof(base));
	for (i = 2; name_taken(c, name); i++) {
		snprintf(suffix, sizeof(suffix), "-%d", i);
		keep = DEST_NAME_MAX - (int)strlen(suffix);
		snprintf(name, DEST_NAME_MAX + 1, "%.*s%s", keep, base,
		    suffix);
	}
}

static void
dest_add(struct tc_conv *c, struct tc_tun *t, const char *id,
    enum tc_origin origin, int line)
{
	struct tc_dest	*d = &c->dests[c->ndests];

	memset(d, 0, sizeof(*d));
	if (origin == TC_SHARED)
		strlcpy(d->name, "shared", sizeof(d->name));
	else if (id == NULL)
		name_from(d->name, t->sec->name, 0);
	else
		name_from(d->name, id, origin == TC_KEYFILE);
	name_unique(c, d->name);
	d->id = id;
	d->origin = origin;
	d->line = line;
	d->first = c->ntuns;
	t->dest = c->ndests++;
}

/*
 * The destination of a tunnel, as i2pd picks it: by the "keys" value,
 * shared with the sections before that gave the same one; "transient"
 * (a client's default) alone is one of its own for a client.
 */
static int
tun_dest(struct tc_conv *c, struct tc_tun *t)
{
	const struct ini_section	*s = t->sec;
	const char			*keys = opt(s, "keys");
	int				 i, line = opt_line(s, "keys");

	if (is_server(t) && (keys == NULL || *keys == '\0')) {
		tc_warn(c->rep, line, "[%s] has no \"keys\" (i2pd requires "
		    "them for a server): section skipped", s->name);
		return -1;
	}
	if (keys == NULL)
		keys = "transient";
	for (i = 0; i < c->ndests; i++) {
		if (c->dests[i].id != NULL &&
		    strcmp(c->dests[i].id, keys) == 0) {
			t->dest = i;
			return 0;
		}
	}
	if (*keys == '\0')
		dest_add(c, t, keys, TC_SHARED, line);
	else if (!is_server(t) && strcmp(keys, "transient") == 0)
		dest_add(c, t, NULL, TC_TRANSIENT, line);
	else if (strncmp(keys, "transient", 9) == 0)
		dest_add(c, t, keys, TC_TRANSIENT, line);
	else
		dest_add(c, t, keys, TC_KEYFILE, line);
	return 0;
}

static int
tun_read(struct tc_conv *c, const struct ini_section *s, struct tc_tun *t)
{
	memset(t, 0, sizeof(*t));
	t->sec = s;
	t->dest = -1;
	if (tun_type(c, s, t) == -1)
		return -1;
	if ((is_server(t) ? tun_server(c, s, t) : tun_client(c, s, t)) == -1)
		return -1;
	/* clients clash by endpoint, before a destination is made for them */
	if (!is_server(t) && tun_place(c, t) == -1)
		return -1;
	if (tun_dest(c, t) == -1)
		return -1;
	return is_server(t) ? tun_place(c, t) : 0;
}

/*
 * The destination's tunnel options: i2pd makes a destination with the
 * options of the section that names it first, its defaults for what that
 * section leaves out, and ignores those of the sections after.  Values
 * outside what i2prd takes (a 0-hop tunnel, more than its maximum) are
 * brought into range, and said so.  i2pd's values in ipool.
 */
static void
pool_first(struct tc_conv *c, struct tc_dest *d, long *ipool)
{
	const struct ini_section	*s = c->tuns[d->first].sec;
	const char			*val;
	int				 i;

	for (i = 0; i < TC_POOL; i++) {
		ipool[i] = d->pool[i] = pool_default[i];
		if ((val = opt(s, pool_keys[i])) == NULL)
			continue;
		if (num_parse(val, 0, 999, &ipool[i]) == -1) {
			ipool[i] = -1;
			tc_warn(c->rep, opt_line(s, pool_keys[i]), "option "
			    "\"%s\" = \"%s\" is not a number: %ld used",
			    pool_keys[i], val, d->pool[i]);
			continue;
		}
		d->pool[i] = ipool[i] < 1 ? 1 : ipool[i];
		if (d->pool[i] > pool_max[i])
			d->pool[i] = pool_max[i];
		if (d->pool[i] != ipool[i])
			tc_warn(c->rep, opt_line(s, pool_keys[i]), "option "
			    "\"%s\" = %ld is outside i2prd's 1-%ld: %ld used",
			    pool_keys[i], ipool[i], pool_max[i], d->pool[i]);
	}
}

static void
pool_resolve(struct tc_conv *c, int di)
{
	struct tc_dest			*d = &c->dests[di];
	const struct ini_section	*s, *first = c->tuns[d->first].sec;
	const char			*val;
	long				 ipool[TC_POOL], n;
	int				 i, t;

	pool_first(c, d, ipool);
	for (t = d->first + 1; t < c->ntuns; t++) {
		if (c->tuns[t].dest != di)
			continue;
		s = c->tuns[t].sec;
		for (i = 0; i < TC_POOL; i++) {
			if ((val = opt(s, pool_keys[i])) == NULL ||
			    (num_parse(val, 0, 999, &n) == 0 && n == ipool[i]))
				continue;
			tc_warn(c->rep, opt_line(s, pool_keys[i]), "option "
			    "\"%s\" = \"%s\" ignored: destination \"%s\" has "
			    "the tunnel options of [%s] (line %d), as in i2pd",
			    pool_keys[i], val, d->name, first->name,
			    first->line);
		}
	}
}

/* a quoted string, escaped as i2prd.conf's lexer unescapes it */
static void
tc_quote(FILE *f, const char *s)
{
	size_t	i;

	fputc('"', f);
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '"' || s[i] == '\\')
			fputc('\\', f);
		fputc(s[i], f);
	}
	fputc('"', f);
}

static int
is_pool_key(const char *name)
{
	int	i;

	for (i = 0; i < TC_POOL; i++)
		if (strcmp(name, pool_keys[i]) == 0)
			return 1;
	return 0;
}

static int
is_converted(const struct tc_type *type, const char *name)
{
	int	i;

	if (strcmp(name, "type") == 0 || strcmp(name, "keys") == 0 ||
	    is_pool_key(name))
		return 1;
	for (i = 0; i < TC_OPTS_MAX && type->opts[i] != NULL; i++)
		if (strcmp(name, type->opts[i]) == 0)
			return 1;
	return 0;
}

/* the section's options that the tunnel line does not carry */
static void
tun_report(struct tc_conv *c, const struct tc_tun *t)
{
	const struct ini_key	*k;
	int			 i;

	for (i = 0; i < t->sec->nkeys; i++) {
		k = &t->sec->keys[i];
		if (!is_converted(t->type, k->name))
			tc_warn(c->rep, k->line, "option \"%s\" has no i2prd "
			    "equivalent", k->name);
		else if (strcmp(k->name, "outproxy") == 0 && t->outproxy_bad)
			tc_warn(c->rep, k->line, "option \"%s\" has no i2prd "
			    "equivalent: \"%s\" is not an http:// outproxy "
			    "with an .i2p host and a port of 1-65535",
			    k->name, k->value);
	}
}

static void
print_allow(FILE *f, const char *list)
{
	struct rbuf	rb;
	char		b32[TC_B32_LEN + 16];

	fputs(" allow {", f);
	rbuf_init(&rb, list, strlen(list));
	while (allow_next(&rb, b32, sizeof(b32)) == 1)
		fprintf(f, " \"%s.b32.i2p\"", b32);
	fputs(" }", f);
}

/* everything after the type words; strings quoted */
static void
print_tail(FILE *f, const struct tc_tun *t)
{
	fputs(is_server(t) ? " to " : " listen on ", f);
	tc_quote(f, t->addr);
	fprintf(f, " port %ld", t->port);
	if (t->target != NULL) {
		fputs(" to ", f);
		tc_quote(f, t->target);
		if (t->tport != 0)
			fprintf(f, " port %ld", t->tport);
	}
	if (t->i2pport)
		fprintf(f, " i2p port %ld", t->inport != 0 ? t->inport :
		    t->port);
	if (t->hostover != NULL) {
		fputs(" host ", f);
		tc_quote(f, t->hostover);
	}
	if (t->webirc != NULL) {
		fputs(" webirc password ", f);
		tc_quote(f, t->webirc);
	}
	if (t->allow != NULL)
		print_allow(f, t->allow);
	if (t->outproxy[0] != '\0') {
		fputs(" outproxy ", f);
		tc_quote(f, t->outproxy);
		fprintf(f, " port %ld", t->outproxy_port);
	}
}

static void
tun_print(struct tc_conv *c, const struct tc_tun *t)
{
	FILE	*f = c->rep->out;

	fprintf(f, "\t# [%s] %s:%d\n", t->sec->name, c->rep->label,
	    t->sec->line);
	tun_report(c, t);
	fprintf(f, "\t%s", t->type->line);
	print_tail(f, t);
	fputc('\n', f);
}

/* what becomes of i2pd's keys, said before the block */
static void
dest_origin(struct tc_conv *c, const struct tc_dest *d)
{
	switch (d->origin) {
	case TC_KEYFILE:
		tc_warn(c->rep, d->line, "keys \"%s\": i2prd does not read "
		    "i2pd's key files, destination \"%s\" gets new keys (a "
		    "new address) that it keeps by name", d->id, d->name);
		break;
	case TC_TRANSIENT:
		tc_warn(c->rep, d->line, "transient keys: i2prd keeps the "
		    "keys of destination \"%s\" across restarts", d->name);
		break;
	case TC_SHARED:
		tc_warn(c->rep, d->line, "empty keys (i2pd's shared local "
		    "destination): destination \"%s\"", d->name);
		break;
	}
}

static void
dest_print(struct tc_conv *c, int di)
{
	const struct tc_dest	*d = &c->dests[di];
	FILE			*f = c->rep->out;
	int			 t;

	fputc('\n', f);
	dest_origin(c, d);
	pool_resolve(c, di);
	fputs("destination ", f);
	tc_quote(f, d->name);
	fprintf(f, " inbound length %ld quantity %ld outbound length %ld "
	    "quantity %ld {\n", d->pool[0], d->pool[1], d->pool[2],
	    d->pool[3]);
	c->rep->indent = "\t";
	for (t = d->first; t < c->ntuns; t++)
		if (c->tuns[t].dest == di)
			tun_print(c, &c->tuns[t]);
	c->rep->indent = NULL;
	fputs("}\n", f);
}

int
tunconv_print(const struct ini *ini, struct tc_report *rep)
{
	struct tc_conv	c;
	size_t		n = ini->nsections > 0 ? (size_t)ini->nsections : 1;
	int		i;

	memset(&c, 0, sizeof(c));
	c.rep = rep;
	if ((c.tuns = calloc(n, sizeof(*c.tuns))) == NULL ||
	    (c.dests = calloc(n, sizeof(*c.dests))) == NULL) {
		free(c.tuns);
		return -1;
	}
	for (i = 0; i < ini->nsections; i++)
		if (tun_read(&c, ini->sections[i], &c.tuns[c.ntuns]) == 0)
			c.ntuns++;
	if (c.ndests > DESTS_MAX)
		tc_warn(rep, c.dests[DESTS_MAX].line, "more than %d "
		    "destinations: i2prd.conf takes at most %d", DESTS_MAX,
		    DESTS_MAX);
	for (i = 0; i < c.ndests; i++)
		dest_print(&c, i);
	free(c.tuns);
	free(c.dests);
	return 0;
}

int
tunconv_buf(const void *data, size_t len, const char *label, FILE *out,
    FILE *err)
{
	struct tc_report	rep;
	struct ini		ini;
	int			rv;

	memset(&rep, 0, sizeof(rep));
	rep.label = label;
	rep.out = out;
	rep.err = err;
	fprintf(out, "# i2prd.conf tunnels from i2pd's %s (i2prd -T)\n",
	    label);
	if (ini_parse(&ini, data, len, &rep) == -1)
		return -1;
	rv = tunconv_print(&ini, &rep);
	ini_free(&ini);
	return rv;
}

/* at most max bytes of the file into a new buffer; -1 (errno) if not */
static int
read_all(int fd, size_t max, char **data, size_t *len)
{
	ssize_t	n;

	*len = 0;
	if ((*data = malloc(max + 1)) == NULL)
		return -1;
	while (*len <= max) {
		n = read(fd, *data + *len, max + 1 - *len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(*data);
			return -1;
		}
		if (n == 0)
			return 0;
		*len += (size_t)n;
	}
	return 0;
}

int
tunconv_file(const char *path, FILE *out, FILE *err)
{
	const char	*label = strrchr(path, '/');
	char		*data;
	size_t		 len;
	int		 fd, rv;

	label = label != NULL && label[1] != '\0' ? label + 1 : path;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    read_all(fd, INI_FILE_MAX, &data, &len) == -1) {
		fprintf(err, "i2prd: %s: %s\n", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	rv = tunconv_buf(data, len, label, out, err);
	free(data);
	return rv;
}
