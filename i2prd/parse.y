/*
 * The i2prd.conf(5) parser, in the shape of OpenBSD's daemon parsers: a
 * hand-written lexer with a stack of (included) files and macro expansion,
 * and a line-oriented grammar.  Every statement is one line; an error
 * skips the rest of its line and parsing goes on, so that one run reports
 * every mistake as "file:line: message".
 *
 * The parent calls parse_config() at start and again on every reload, so
 * all state here is reset per call; only the -D macros given on the
 * command line (cmdline_symset) outlive a parse.
 */

%{
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <bsd/string.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include "i2pdata.h"
#include "i2prd.h"
#include "log.h"
#include "url.h"

/* longest token (word, quoted string, macro name), NUL excluded */
#define MAXTOKEN		2047
/* files open at once: the config file plus nested includes */
#define MAXINCLUDE		16

/*
 * Markers pushed around a macro's text so that the lexer does not expand
 * macros within it.  They are outside the range of bytes so that no byte
 * of a file can be taken for one.
 */
#define START_EXPAND		0x100
#define DONE_EXPAND		0x101

struct file {
	TAILQ_ENTRY(file)	 entry;
	FILE			*stream;
	char			*name;
	int			*ungetbuf;	/* LIFO of pushed-back chars */
	size_t			 ungetpos;
	size_t			 ungetsize;
	int			 lineno;
	int			 nlpending;	/* count the last '\n' later */
	int			 eof_reached;
	dev_t			 dev;		/* to recognize an include loop */
	ino_t			 ino;
};
TAILQ_HEAD(files, file);

struct sym {
	TAILQ_ENTRY(sym)	 entry;
	int			 persist;	/* from -D: outlives a parse */
	char			*name;
	char			*val;
};
TAILQ_HEAD(syms, sym);

static struct files	 files = TAILQ_HEAD_INITIALIZER(files);
static struct file	*file, *topfile;
static struct syms	 symhead = TAILQ_HEAD_INITIALIZER(symhead);
static struct i2prd_conf *conf;
static int		 errors;
static int		 checkperms;
static int		 expanding;
/* the lexer reported the error of its ERROR token itself */
static int		 lexerror;

/*
 * What the current line started with, to tell an unknown keyword (a
 * word followed by anything but '=') from other syntax errors.
 */
static int		 line_ntok;
static int		 line_done;
static int		 line_firstword;
static char		 line_first[64];
/* set by lex() when it returns a word that is not a keyword */
static int		 lex_word;
static char		 lex_wordbuf[64];

/*
 * The tunnel clauses of a destination line, as read: they are checked
 * with the name, once the whole line is in.
 */
struct dest_dirs {
	long long	 length[2];	/* TUNNEL_IN, TUNNEL_OUT */
	long long	 quantity[2];
	int		 given;		/* a bit per direction */
	int		 twice;		/* a bit per direction given again */
};

/* each setting may be given once */
static struct {
	int	 statedir;
	int	 user;
	int	 csock;
	int	 pidfile;
	int	 netid;
	int	 floodfill;
	int	 lookups;
	int	 expl[2];
	int	 transit_max;
	int	 transit_builds;
	int	 bandwidth;
	int	 share;
	int	 records;
	int	 test_drop;
	int	 loglevel;
	int	 certdir;
	int	 signer;
	int	 ca;
	int	 sam_listen;
	int	 sam_udp;
	int	 sam_user;
	int	 ab_every;
	int	 ab_proxy;
} seen;

static struct file *pushfile(const char *, char *, size_t);
static int	 popfile(void);
int		 yyparse(void);
static int	 yylex(void);
static void	 yyerror(const char *);
static void	 conferr(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
static int	 lookup(const char *);
static int	 igetc(void);
static int	 lgetc(int);
static void	 lungetc(int);
static int	 findeol(void);
static int	 valid_macro_name(const char *);
static int	 symset(const char *, const char *, int);
static char	*symget(const char *);
static void	 symclear(void);
static int	 set_path(char *, size_t, const char *, char *, int *);
static int	 add_listen(char *, long long, long long);
static int	 sam_listen(char *, long long);
static int	 sam_udp(long long);
static int	 sam_user(char *, char *);
static int	 sam_finish(void);
static int	 ab_subscribe(char *);
static int	 ab_every(long long);
static int	 ab_proxy(char *);
static int	 ab_finish(void);
static int	 add_reseed_url(char *);
static int	 add_dest(char *, const struct dest_dirs *);
static int	 proxy_begin(enum proxy_kind, char *, long long);
static char	*proxy_default_addr(void);
static int	 proxy_to(char *, long long);
static int	 proxy_i2p_port(long long);
static int	 proxy_allow(char *);
static int	 proxy_webirc(char *);
static int	 word_ok(const char *, size_t);
static int	 proxy_auth(char *, char *);
static int	 proxy_outproxy(char *, long long);
static int	 proxy_jump_begin(void);
static int	 proxy_jump(char *);
static int	 proxy_host_override(char *);
static void	 proxy_end(void);

/* the destination whose block is being read, NULL if its line failed */
static const char	*cur_dest;
/* the tunnel line being read; ok 0 once an error was reported */
static struct {
	struct proxy_conf	 pc;
	int			 ok;
	int			 i2p_port_seen;
} cur_proxy;
%}

%union {
	long long	 number;
	char		*string;
	struct dest_dirs dirs;
}

%token	BURST EXPLORATORY FLOODFILL INBOUND INCLUDE LENGTH LEVEL LISTEN LOG
%token	DESTINATION LOOKUPS NETID ON OUTBOUND PIDFILE QUANTITY FIXED GATEWAY
%token	TRANSIT MAX BUILD BUILDS BANDWIDTH SHARE RECORDS
%token	PORT RESEED CA CERTIFICATES SIGNER SOCKET STATEDIR URL USER
%token	SAM UDP PASSWORD
%token	TEST DROP CLIENT_TUNNEL
%token	CLIENT SERVER TO ALLOW I2P IRC WEBIRC SOCKS PROXY HTTP HOST
%token	ADDRESSBOOK SUBSCRIBE FETCH EVERY MINUTES
%token	OUTPROXY JUMP
%token	NTCP2 SSU2
%token	ERROR
%token	<string>	STRING
%token	<number>	NUMBER
%type	<number>	direction fixedgw samport targetport transport
%type	<dirs>		destdirs
%destructor { free($$); } <string>

%%

grammar		: /* empty */
		| grammar '\n'
		| grammar include '\n'
		| grammar varset '\n'
		| grammar main '\n'
		| grammar error '\n'	{
			/* report errors on the following lines too */
			yyerrok;
		}
		;

fixedgw		: /* empty */			{ $$ = 0; }
		| FIXED GATEWAY NUMBER		{ $$ = $3; }
		;

samport		: /* empty */		{ $$ = SAM_PORT_DEFAULT; }
		| PORT NUMBER		{ $$ = $2; }
		;

transport	: /* empty */		{ $$ = LISTEN_NTCP2; }
		| NTCP2			{ $$ = LISTEN_NTCP2; }
		| SSU2			{ $$ = LISTEN_SSU2; }
		;

direction	: INBOUND	{ $$ = TUNNEL_IN; }
		| OUTBOUND	{ $$ = TUNNEL_OUT; }
		;

/* a destination's block of tunnel lines */
destblock	: /* empty */
		| '{' '\n' proxylines '}'
		;

proxylines	: /* empty */
		| proxylines '\n'
		| proxylines proxyline '\n'	{ proxy_end(); }
		| proxylines error '\n'	{ yyerrok; }
		;

proxyline	: CLIENT LISTEN ON STRING PORT NUMBER {
			proxy_begin(PROXY_CLIENT, $4, $6);
			$4 = NULL;	/* freed: not again on an error */
		} TO STRING targetport {
			proxy_to($9, $10);
		}
		| SERVER TO STRING PORT NUMBER {
			proxy_begin(PROXY_SERVER, $3, $5);
			$3 = NULL;	/* freed: not again on an error */
		} serveropts
		| IRC CLIENT LISTEN ON STRING PORT NUMBER {
			proxy_begin(PROXY_IRC_CLIENT, $5, $7);
			$5 = NULL;	/* freed: not again on an error */
		} TO STRING targetport {
			proxy_to($10, $11);
		}
		| IRC SERVER TO STRING PORT NUMBER {
			proxy_begin(PROXY_IRC_SERVER, $4, $6);
			$4 = NULL;	/* freed: not again on an error */
		} serveropts
		| UDP CLIENT LISTEN ON STRING PORT NUMBER {
			proxy_begin(PROXY_UDP_CLIENT, $5, $7);
			$5 = NULL;	/* freed: not again on an error */
		} TO STRING targetport {
			proxy_to($10, $11);
		}
		| UDP SERVER TO STRING PORT NUMBER {
			proxy_begin(PROXY_UDP_SERVER, $4, $6);
			$4 = NULL;	/* freed: not again on an error */
		} serveropts
		| SOCKS PROXY LISTEN ON STRING PORT NUMBER {
			proxy_begin(PROXY_SOCKS, $5, $7);
			$5 = NULL;	/* freed: not again on an error */
		} proxyopts
		| SOCKS PROXY {
			/* i2pd's and the Java router's default */
			proxy_begin(PROXY_SOCKS, proxy_default_addr(),
			    PROXY_SOCKS_PORT_DEFAULT);
		} proxyopts
		| HTTP SERVER TO STRING PORT NUMBER {
			proxy_begin(PROXY_HTTP_SERVER, $4, $6);
			$4 = NULL;	/* freed: not again on an error */
		} serveropts
		| HTTP PROXY LISTEN ON STRING PORT NUMBER {
			proxy_begin(PROXY_HTTP, $5, $7);
			$5 = NULL;	/* freed: not again on an error */
		} proxyopts
		| HTTP PROXY {
			/* the port browsers are told to use for I2P */
			proxy_begin(PROXY_HTTP, proxy_default_addr(),
			    PROXY_HTTP_PORT_DEFAULT);
		} proxyopts
		;

proxyopts	: /* empty */
		| proxyopts USER STRING PASSWORD STRING	{
			proxy_auth($3, $5);
		}
		| proxyopts OUTPROXY STRING targetport	{
			proxy_outproxy($3, $4);
		}
		| proxyopts JUMP '{' { proxy_jump_begin(); } jumplist '}'
		;

jumplist	: /* empty */
		| jumplist STRING	{ proxy_jump($2); }
		| jumplist '\n'
		;

targetport	: /* empty */		{ $$ = 0; }
		| PORT NUMBER		{ $$ = $2; }
		;

serveropts	: /* empty */
		| serveropts I2P PORT NUMBER	{ proxy_i2p_port($4); }
		| serveropts ALLOW '{' allowlist '}'
		| serveropts WEBIRC PASSWORD STRING	{ proxy_webirc($4); }
		| serveropts HOST STRING	{ proxy_host_override($3); }
		;

allowlist	: /* empty */
		| allowlist STRING	{ proxy_allow($2); }
		| allowlist '\n'
		;

destdirs	: /* empty */	{ memset(&$$, 0, sizeof($$)); }
		| destdirs direction LENGTH NUMBER QUANTITY NUMBER {
			$$ = $1;
			if ($$.given & (1 << $2))
				$$.twice |= 1 << $2;
			$$.given |= 1 << $2;
			$$.length[$2] = $4;
			$$.quantity[$2] = $6;
		}
		;

include		: INCLUDE STRING	{
			struct file	*nfile;
			char		*path, *slash, why[128];
			int		 depth = 0;

			/* relative to the including file's directory */
			if ($2[0] != '/' &&
			    (slash = strrchr(file->name, '/')) != NULL) {
				if (asprintf(&path, "%.*s/%s",
				    (int)(slash - file->name), file->name,
				    $2) == -1)
					fatal("%s", __func__);
				free($2);
			} else
				path = $2;

			TAILQ_FOREACH(nfile, &files, entry)
				depth++;
			if (depth >= MAXINCLUDE) {
				conferr("include nesting too deep (max %d)",
				    MAXINCLUDE);
				free(path);
				YYERROR;
			}
			if ((nfile = pushfile(path, why, sizeof(why))) ==
			    NULL) {
				conferr("cannot include \"%s\": %s", path, why);
				free(path);
				YYERROR;
			}
			free(path);
			file = nfile;
			/*
			 * The include statement needs its '\n': the new file
			 * provides it (which is why its lineno starts at 0);
			 * the rest of the including line is read after it.
			 */
			lungetc('\n');
		}
		;

varset		: STRING '=' STRING	{
			if (!valid_macro_name($1))
				conferr("invalid macro name \"%s\"", $1);
			else if (symset($1, $3, 0) == -1)
				fatal("%s", __func__);
			free($1);
			free($3);
		}
		| STRING '=' NUMBER	{
			char	 num[32];

			/* the text is lexed again where used: "5" is 5 */
			snprintf(num, sizeof(num), "%lld", $3);
			if (!valid_macro_name($1))
				conferr("invalid macro name \"%s\"", $1);
			else if (symset($1, num, 0) == -1)
				fatal("%s", __func__);
			free($1);
		}
		;

main		: STATEDIR STRING	{
			if (set_path(conf->statedir, sizeof(conf->statedir),
			    "statedir", $2, &seen.statedir) == -1)
				YYERROR;
		}
		| USER STRING		{
			int	 rv = -1;

			if (seen.user)
				conferr("duplicate user");
			else if ($2[0] == '\0')
				conferr("user name is empty");
			else if (strlen($2) >= sizeof(conf->user))
				conferr("user name too long (max %zu bytes)",
				    sizeof(conf->user) - 1);
			else {
				strlcpy(conf->user, $2, sizeof(conf->user));
				rv = 0;
			}
			seen.user = 1;
			free($2);
			if (rv == -1)
				YYERROR;
		}
		| SOCKET STRING		{
			if (set_path(conf->csock, sizeof(conf->csock),
			    "socket", $2, &seen.csock) == -1)
				YYERROR;
		}
		| PIDFILE STRING	{
			if (set_path(conf->pidfile, sizeof(conf->pidfile),
			    "pidfile", $2, &seen.pidfile) == -1)
				YYERROR;
		}
		| NETID NUMBER		{
			int	 dup = seen.netid;

			seen.netid = 1;
			if (dup) {
				conferr("duplicate netid");
				YYERROR;
			}
			if ($2 < 1 || $2 > 255) {
				conferr("netid %lld out of range (1-255)", $2);
				YYERROR;
			}
			conf->netid = $2;
		}
		| FLOODFILL STRING	{
			int	 rv = 0;

			if (seen.floodfill) {
				conferr("duplicate floodfill");
				rv = -1;
			} else if (strcmp($2, "yes") == 0)
				conf->floodfill = 1;
			else if (strcmp($2, "no") == 0)
				conf->floodfill = 0;
			else {
				conferr("floodfill \"%s\" invalid "
				    "(expected yes or no)", $2);
				rv = -1;
			}
			seen.floodfill = 1;
			free($2);
			if (rv == -1)
				YYERROR;
		}
		| FLOODFILL LOOKUPS NUMBER BURST NUMBER	{
			int	 dup = seen.lookups;

			seen.lookups = 1;
			if (dup) {
				conferr("duplicate floodfill lookups");
				YYERROR;
			}
			if ($3 < 1 || $3 > FF_LOOKUP_RATE_MAX) {
				conferr("floodfill lookups %lld out of range "
				    "(1-%d)", $3, FF_LOOKUP_RATE_MAX);
				YYERROR;
			}
			if ($5 < $3 || $5 > FF_LOOKUP_RATE_MAX) {
				conferr("floodfill lookups burst %lld out of "
				    "range (%lld-%d)", $5, $3,
				    FF_LOOKUP_RATE_MAX);
				YYERROR;
			}
			conf->ff_lookup_rate = $3;
			conf->ff_lookup_burst = $5;
		}
		| EXPLORATORY direction LENGTH NUMBER QUANTITY NUMBER fixedgw {
			const char	*dir = $2 ? "outbound" : "inbound";
			int		 dup = seen.expl[$2];

			seen.expl[$2] = 1;
			if (dup) {
				conferr("duplicate exploratory %s", dir);
				YYERROR;
			}
			if ($4 < 1 || $4 > EXPL_LENGTH_MAX) {
				conferr("exploratory %s length %lld out of "
				    "range (1-%d)", dir, $4, EXPL_LENGTH_MAX);
				YYERROR;
			}
			if ($6 < 1 || $6 > EXPL_QUANTITY_MAX) {
				conferr("exploratory %s quantity %lld out of "
				    "range (1-%d)", dir, $6, EXPL_QUANTITY_MAX);
				YYERROR;
			}
			if ($7 != 0 && $2) {
				conferr("fixed gateway: inbound tunnels only");
				YYERROR;
			}
			if ($7 < 0 || $7 > EXPL_FIXED_GW_MAX) {
				conferr("exploratory inbound fixed gateway %lld "
				    "out of range (0-%d minutes)", $7,
				    EXPL_FIXED_GW_MAX);
				YYERROR;
			}
			if (!$2)
				conf->expl_fixed_gw = $7;
			if ($2) {
				conf->expl_out_length = $4;
				conf->expl_out_quantity = $6;
			} else {
				conf->expl_in_length = $4;
				conf->expl_in_quantity = $6;
			}
		}
		| DESTINATION STRING destdirs	{
			/* its tunnel lines are checked even if it failed */
			cur_dest = NULL;
			if (add_dest($2, &$3) == 0)
				cur_dest = conf->dests[conf->ndests - 1].name;
			$2 = NULL;	/* freed: not again on an error */
		} destblock	{
			cur_dest = NULL;
		}
		| TRANSIT MAX NUMBER	{
			int	 dup = seen.transit_max;

			seen.transit_max = 1;
			if (dup) {
				conferr("duplicate transit max");
				YYERROR;
			}
			if ($3 < 0 || $3 > TRANSIT_MAX_LIMIT) {
				conferr("transit max %lld out of range (0-%d)",
				    $3, TRANSIT_MAX_LIMIT);
				YYERROR;
			}
			conf->transit_max = $3;
		}
		| TRANSIT BUILDS NUMBER BURST NUMBER	{
			int	 dup = seen.transit_builds;

			seen.transit_builds = 1;
			if (dup) {
				conferr("duplicate transit builds");
				YYERROR;
			}
			if ($3 < 1 || $3 > TRANSIT_BUILD_RATE_MAX) {
				conferr("transit builds %lld out of range "
				    "(1-%d)", $3, TRANSIT_BUILD_RATE_MAX);
				YYERROR;
			}
			if ($5 < $3 || $5 > TRANSIT_BUILD_RATE_MAX) {
				conferr("transit builds burst %lld out of "
				    "range (%lld-%d)", $5, $3,
				    TRANSIT_BUILD_RATE_MAX);
				YYERROR;
			}
			conf->transit_rate = $3;
			conf->transit_burst = $5;
		}
		| BANDWIDTH NUMBER	{
			int	 dup = seen.bandwidth;

			seen.bandwidth = 1;
			if (dup) {
				conferr("duplicate bandwidth");
				YYERROR;
			}
			if ($2 < 0 || $2 > BANDWIDTH_MAX) {
				conferr("bandwidth %lld out of range (0-%d KB/s)",
				    $2, BANDWIDTH_MAX);
				YYERROR;
			}
			conf->bandwidth = $2;
		}
		| SHARE NUMBER	{
			int	 dup = seen.share;

			seen.share = 1;
			if (dup) {
				conferr("duplicate share");
				YYERROR;
			}
			if ($2 < 1 || $2 > 100) {
				conferr("share %lld out of range (1-100%%)", $2);
				YYERROR;
			}
			conf->share = $2;
		}
		| TEST DROP CLIENT_TUNNEL NUMBER '%'	{
			int	 dup = seen.test_drop;

			seen.test_drop = 1;
			if (dup) {
				conferr("duplicate test drop client-tunnel");
				YYERROR;
			}
			if ($4 < 0 || $4 > TEST_DROP_MAX) {
				conferr("test drop client-tunnel %lld%% out of "
				    "range (0-%d%%)", $4, TEST_DROP_MAX);
				YYERROR;
			}
			conf->test_drop = $4;
		}
		| BUILD RECORDS STRING	{
			int	 dup = seen.records;

			seen.records = 1;
			if (dup) {
				conferr("duplicate build records");
				free($3);
				YYERROR;
			}
			if (strcmp($3, "auto") != 0 && strcmp($3, "long") != 0) {
				conferr("build records %s: auto or long", $3);
				free($3);
				YYERROR;
			}
			conf->build_long = strcmp($3, "long") == 0;
			free($3);
		}
		| LOG LEVEL STRING	{
			int	 level, rv = -1;

			level = log_levelbyname($3);
			if (seen.loglevel)
				conferr("duplicate log level");
			else if (level != LOG_WARNING && level != LOG_INFO &&
			    level != LOG_DEBUG)
				conferr("log level \"%s\" invalid "
				    "(expected warning, info or debug)", $3);
			else {
				conf->log_level = level;
				rv = 0;
			}
			seen.loglevel = 1;
			free($3);
			if (rv == -1)
				YYERROR;
		}
		| LISTEN ON STRING PORT NUMBER transport	{
			if (add_listen($3, $5, $6) == -1)
				YYERROR;
		}
		| SAM LISTEN ON STRING samport	{
			if (sam_listen($4, $5) == -1)
				YYERROR;
		}
		| SAM UDP PORT NUMBER	{
			if (sam_udp($4) == -1)
				YYERROR;
		}
		| SAM USER STRING PASSWORD STRING	{
			if (sam_user($3, $5) == -1)
				YYERROR;
		}
		| RESEED CERTIFICATES STRING	{
			if (set_path(conf->reseed_certdir,
			    sizeof(conf->reseed_certdir), "reseed certificates",
			    $3, &seen.certdir) == -1)
				YYERROR;
		}
		| RESEED CA STRING	{
			if (set_path(conf->reseed_ca, sizeof(conf->reseed_ca),
			    "reseed ca", $3, &seen.ca) == -1)
				YYERROR;
		}
		| RESEED URL STRING	{
			if (add_reseed_url($3) == -1)
				YYERROR;
		}
		| ADDRESSBOOK SUBSCRIBE STRING	{
			if (ab_subscribe($3) == -1)
				YYERROR;
		}
		| ADDRESSBOOK FETCH EVERY NUMBER MINUTES	{
			if (ab_every($4) == -1)
				YYERROR;
		}
		| ADDRESSBOOK PROXY STRING	{
			if (ab_proxy($3) == -1)
				YYERROR;
		}
		| RESEED SIGNER STRING	{
			int	 rv = -1;

			if (seen.signer)
				conferr("duplicate reseed signer");
			else if (!reseed_signer_ok($3))
				conferr("reseed signer \"%s\" invalid (1-%d "
				    "printable characters, no spaces or /)", $3,
				    RESEED_SIGNER_MAX);
			else {
				strlcpy(conf->reseed_signer, $3,
				    sizeof(conf->reseed_signer));
				rv = 0;
			}
			seen.signer = 1;
			free($3);
			if (rv == -1)
				YYERROR;
		}
		;

%%

/*
 * An error at the current line of the current file.  Counted: any error
 * fails the parse, but only after the whole file has been read.
 */
static void
conferr(const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024];

	errors++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s:%d: %s", file->name, file->lineno, msg);
}

/* bison's own errors: "syntax error", "memory exhausted" */
static void
yyerror(const char *msg)
{
	if (lexerror) {
		/* the lexer has said what is wrong with its ERROR token */
		lexerror = 0;
		return;
	}
	/* at the first token in a block, at the second elsewhere */
	if (strcmp(msg, "syntax error") == 0 && line_ntok <= 2 &&
	    line_firstword)
		conferr("unknown keyword \"%s\"", line_first);
	else
		conferr("%s", msg);
}

struct keywords {
	const char	*k_name;
	int		 k_val;
};

static int
kw_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct keywords *)e)->k_name);
}

static int
lookup(const char *s)
{
	/* sorted, for bsearch */
	static const struct keywords keywords[] = {
		{ "addressbook", ADDRESSBOOK },
		{ "allow",	ALLOW },
		{ "bandwidth",	BANDWIDTH },
		{ "build",	BUILD },
		{ "builds",	BUILDS },
		{ "burst",	BURST },
		{ "ca",		CA },
		{ "certificates", CERTIFICATES },
		{ "client",	CLIENT },
		{ "client-tunnel", CLIENT_TUNNEL },
		{ "destination", DESTINATION },
		{ "drop",	DROP },
		{ "every",	EVERY },
		{ "exploratory", EXPLORATORY },
		{ "fetch",	FETCH },
		{ "fixed",	FIXED },
		{ "floodfill",	FLOODFILL },
		{ "gateway",	GATEWAY },
		{ "host",	HOST },
		{ "http",	HTTP },
		{ "i2p",	I2P },
		{ "inbound",	INBOUND },
		{ "include",	INCLUDE },
		{ "irc",	IRC },
		{ "jump",	JUMP },
		{ "length",	LENGTH },
		{ "level",	LEVEL },
		{ "listen",	LISTEN },
		{ "log",	LOG },
		{ "lookups",	LOOKUPS },
		{ "max",	MAX },
		{ "minutes",	MINUTES },
		{ "netid",	NETID },
		{ "ntcp2",	NTCP2 },
		{ "on",		ON },
		{ "outbound",	OUTBOUND },
		{ "outproxy",	OUTPROXY },
		{ "password",	PASSWORD },
		{ "pidfile",	PIDFILE },
		{ "port",	PORT },
		{ "proxy",	PROXY },
		{ "quantity",	QUANTITY },
		{ "records",	RECORDS },
		{ "reseed",	RESEED },
		{ "sam",	SAM },
		{ "server",	SERVER },
		{ "share",	SHARE },
		{ "signer",	SIGNER },
		{ "socket",	SOCKET },
		{ "socks",	SOCKS },
		{ "ssu2",	SSU2 },
		{ "statedir",	STATEDIR },
		{ "subscribe",	SUBSCRIBE },
		{ "test",	TEST },
		{ "to",		TO },
		{ "transit",	TRANSIT },
		{ "udp",	UDP },
		{ "url",	URL },
		{ "user",	USER },
		{ "webirc",	WEBIRC },
	};
	const struct keywords	*p;

	p = bsearch(s, keywords, sizeof(keywords) / sizeof(keywords[0]),
	    sizeof(keywords[0]), kw_cmp);
	return p != NULL ? p->k_val : STRING;
}

/* the next char, pushed-back ones first; tracks macro expansion */
static int
igetc(void)
{
	int	 c;

	for (;;) {
		if (file->ungetpos > 0) {
			c = file->ungetbuf[--file->ungetpos];
			if (c == START_EXPAND) {
				expanding = 1;
				continue;
			}
			if (c == DONE_EXPAND) {
				expanding = 0;
				continue;
			}
			return c;
		}
		return getc(file->stream);
	}
}

/*
 * The next char of the input.  Outside quotes (quoted == 0), the end of a
 * file reads as one '\n' first, so that a last line without one still
 * ends its statement (and its errors name the right file), and then the
 * reading goes on in the including file.
 */
static int
lgetc(int quoted)
{
	int	 c;

	c = igetc();
	if (quoted || c != EOF)
		return c;
	if (!file->eof_reached) {
		file->eof_reached = 1;
		return '\n';
	}
	while (c == EOF) {
		if (file == topfile || popfile() == EOF)
			return EOF;
		c = igetc();
	}
	return c;
}

static void
lungetc(int c)
{
	int	*p;
	size_t	 n;

	if (c == EOF)
		return;
	if (file->ungetpos >= file->ungetsize) {
		n = file->ungetsize ? file->ungetsize * 2 : 64;
		if ((p = reallocarray(file->ungetbuf, n, sizeof(*p))) == NULL)
			fatal("%s", __func__);
		file->ungetbuf = p;
		file->ungetsize = n;
	}
	file->ungetbuf[file->ungetpos++] = c;
}

/*
 * After a lexical error (already reported): skip the rest of the line,
 * leaving the '\n' to end the statement, and hand the parser a token
 * that no rule accepts so that it recovers at that '\n'.
 */
static int
findeol(void)
{
	int	 c;

	while ((c = lgetc(0)) != '\n' && c != EOF)
		;
	lungetc(c);
	lexerror = 1;
	return ERROR;
}

#define allowed_in_word(c)						\
	((c) != EOF && (c) != '\0' &&					\
	    (isalnum((unsigned char)(c)) || strchr("-_.:/", (c)) != NULL))

static int
lex(void)
{
	char		 buf[MAXTOKEN + 1];
	char		*p, *val;
	long long	 num;
	int		 quotec, next, c, tok;
	size_t		 len;

	lex_word = 0;
top:
	p = buf;
	while ((c = lgetc(0)) == ' ' || c == '\t' || c == '\r')
		;
	if (c == '#')
		while ((c = lgetc(0)) != '\n' && c != EOF)
			;

	if (c == '$' && !expanding) {
		while ((c = lgetc(0)) != EOF &&
		    (isalnum((unsigned char)c) || c == '_')) {
			if (p - buf >= MAXTOKEN) {
				conferr("macro name too long (max %d bytes)",
				    MAXTOKEN);
				return findeol();
			}
			*p++ = c;
		}
		*p = '\0';
		lungetc(c);
		if (buf[0] == '\0') {
			conferr("macro name expected after '$'");
			return findeol();
		}
		if ((val = symget(buf)) == NULL) {
			conferr("macro \"%s\" not defined", buf);
			return findeol();
		}
		/* read the value next, as if it stood here in the file */
		lungetc(DONE_EXPAND);
		for (len = strlen(val); len > 0; len--)
			lungetc((unsigned char)val[len - 1]);
		lungetc(START_EXPAND);
		goto top;
	}

	switch (c) {
	case '\'':
	case '"':
		quotec = c;
		for (;;) {
			c = lgetc(1);
			if (c == EOF || c == '\n') {
				lungetc(c);
				conferr("unterminated quoted string");
				return findeol();
			}
			if (c == '\0') {
				conferr("NUL byte in quoted string");
				return findeol();
			}
			if (c == quotec)
				break;
			/* \" and \\ escape; other backslashes are literal */
			if (c == '\\') {
				next = lgetc(1);
				if (next == quotec || next == '\\')
					c = next;
				else
					lungetc(next);
			}
			if (p - buf >= MAXTOKEN) {
				conferr("string too long (max %d bytes)",
				    MAXTOKEN);
				return findeol();
			}
			*p++ = c;
		}
		*p = '\0';
		if ((yylval.string = strdup(buf)) == NULL)
			fatal("%s", __func__);
		return STRING;
	case '\0':
		conferr("NUL byte in input");
		return findeol();
	}

	/* a number, unless more word follows as in 198.18.0.1 */
	if (c == '-' || isdigit(c)) {
		do {
			if (p - buf >= MAXTOKEN) {
				conferr("word too long (max %d bytes)",
				    MAXTOKEN);
				return findeol();
			}
			*p++ = c;
		} while ((c = lgetc(0)) != EOF && isdigit(c));
		lungetc(c);
		*p = '\0';
		if (p - buf > 1 || buf[0] != '-') {
			if (!allowed_in_word(c)) {
				errno = 0;
				num = strtoll(buf, NULL, 10);
				if (errno == ERANGE) {
					conferr("number %s out of range", buf);
					return findeol();
				}
				yylval.number = num;
				return NUMBER;
			}
		}
		/* push it all back to read it as a word */
		while (p > buf + 1)
			lungetc((unsigned char)*--p);
		c = (unsigned char)*--p;
	}

	if (allowed_in_word(c)) {
		do {
			if (p - buf >= MAXTOKEN) {
				conferr("word too long (max %d bytes)",
				    MAXTOKEN);
				return findeol();
			}
			*p++ = c;
		} while ((c = lgetc(0)) != EOF && allowed_in_word(c));
		lungetc(c);
		*p = '\0';
		if ((tok = lookup(buf)) == STRING) {
			if ((yylval.string = strdup(buf)) == NULL)
				fatal("%s", __func__);
			lex_word = 1;
			strlcpy(lex_wordbuf, buf, sizeof(lex_wordbuf));
		}
		return tok;
	}

	if (c == '\n')
		file->nlpending = 1;
	if (c == EOF)
		return 0;
	return c;
}

/*
 * The lexer proper is lex(); this wrapper keeps the line numbers and what
 * the line started with.  A '\n' counts towards the next line only once
 * the next token is asked for, so that an error found at the '\n' (a
 * statement cut short, or an action run with '\n' as lookahead) is
 * reported on the line it ends.
 */
static int
yylex(void)
{
	int	 tok;

	lexerror = 0;
	if (file->nlpending) {
		file->nlpending = 0;
		file->lineno++;
	}
	if (line_done) {
		line_done = 0;
		line_ntok = 0;
	}
	tok = lex();
	if (++line_ntok == 1) {
		line_firstword = lex_word;
		strlcpy(line_first, lex_wordbuf, sizeof(line_first));
	}
	if (tok == '\n')
		line_done = 1;
	return tok;
}

/*
 * Opens a config file or an include; NULL with the reason in why if it
 * cannot be used.  With PARSE_CHECK_PERMS, like bgpd's
 * check_file_secrecy(): anyone who can write the file controls the
 * router, so it must belong to root or the user running us and be
 * writable by its owner alone.
 */
static struct file *
pushfile(const char *name, char *why, size_t whylen)
{
	struct file	*nfile;
	struct stat	 st;
	FILE		*f;

	if ((f = fopen(name, "re")) == NULL) {
		strlcpy(why, strerror(errno), whylen);
		return NULL;
	}
	if (fstat(fileno(f), &st) == -1) {
		strlcpy(why, strerror(errno), whylen);
		fclose(f);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		strlcpy(why, strerror(EISDIR), whylen);
		fclose(f);
		return NULL;
	}
	/*
	 * A file already being read: without this an include loop ends
	 * only at MAXINCLUDE, and a file including itself three times
	 * would be read 3^MAXINCLUDE times.
	 */
	TAILQ_FOREACH(nfile, &files, entry) {
		if (nfile->dev == st.st_dev && nfile->ino == st.st_ino) {
			strlcpy(why, "include loop", whylen);
			fclose(f);
			return NULL;
		}
	}
	if (checkperms && st.st_uid != 0 && st.st_uid != getuid()) {
		snprintf(why, whylen, "refusing: owned by uid %u, "
		    "not by root or uid %u", (unsigned)st.st_uid,
		    (unsigned)getuid());
		fclose(f);
		return NULL;
	}
	if (checkperms && (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(why, whylen, "refusing: group or world writable "
		    "(mode %04o)", (unsigned)(st.st_mode & 07777));
		fclose(f);
		return NULL;
	}
	if ((nfile = calloc(1, sizeof(*nfile))) == NULL ||
	    (nfile->name = strdup(name)) == NULL)
		fatal("%s", __func__);
	nfile->stream = f;
	nfile->dev = st.st_dev;
	nfile->ino = st.st_ino;
	/* an include's first line is counted by the '\n' pushed for it */
	nfile->lineno = TAILQ_EMPTY(&files) ? 1 : 0;
	TAILQ_INSERT_TAIL(&files, nfile, entry);
	return nfile;
}

/* closes the current file; EOF if it was the last one */
static int
popfile(void)
{
	struct file	*prev;

	prev = TAILQ_PREV(file, files, entry);
	TAILQ_REMOVE(&files, file, entry);
	fclose(file->stream);
	free(file->name);
	free(file->ungetbuf);
	free(file);
	file = prev;
	return file != NULL ? 0 : EOF;
}

struct i2prd_conf *
parse_config(const char *filename, int flags)
{
	struct i2prd_conf	*nconf;
	char			 why[128];

	errors = 0;
	expanding = 0;
	lexerror = 0;
	line_ntok = 0;
	line_done = 0;
	line_firstword = 0;
	line_first[0] = '\0';
	lex_word = 0;
	memset(&seen, 0, sizeof(seen));
	checkperms = (flags & PARSE_CHECK_PERMS) != 0;
	/* a previous parse ended with them cleared; be sure anyway */
	symclear();

	if ((conf = conf_new()) == NULL) {
		log_warn("%s", __func__);
		return NULL;
	}
	if ((file = pushfile(filename, why, sizeof(why))) == NULL) {
		log_warnx("%s: %s", filename, why);
		conf_free(conf);
		conf = NULL;
		return NULL;
	}
	topfile = file;

	/* nonzero only if it gave up (a reported error, or EOF in one) */
	if (yyparse() != 0 && errors == 0)
		errors++;
	if (errors == 0 && sam_finish() == -1)
		errors++;
	if (errors == 0 && ab_finish() == -1)
		errors++;

	while (file != NULL)
		popfile();
	topfile = NULL;
	/* the file's macros are for this parse only; -D ones stay */
	symclear();

	nconf = conf;
	conf = NULL;
	if (errors) {
		conf_free(nconf);
		return NULL;
	}
	return nconf;
}

/* [A-Za-z][A-Za-z0-9_]*, and not a keyword */
static int
valid_macro_name(const char *name)
{
	const char	*s = name;

	if (!isalpha((unsigned char)*s))
		return 0;
	for (s++; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return lookup(name) == STRING;
}

/*
 * Defines a macro; a later definition replaces an earlier one, except
 * that one from the command line is not replaced by one from the file.
 */
static int
symset(const char *name, const char *val, int persist)
{
	struct sym	*sym;

	TAILQ_FOREACH(sym, &symhead, entry)
		if (strcmp(name, sym->name) == 0)
			break;
	if (sym != NULL) {
		if (sym->persist && !persist)
			return 0;
		TAILQ_REMOVE(&symhead, sym, entry);
		free(sym->name);
		free(sym->val);
		free(sym);
	}
	if ((sym = calloc(1, sizeof(*sym))) == NULL)
		return -1;
	if ((sym->name = strdup(name)) == NULL ||
	    (sym->val = strdup(val)) == NULL) {
		free(sym->name);
		free(sym);
		return -1;
	}
	sym->persist = persist;
	TAILQ_INSERT_TAIL(&symhead, sym, entry);
	return 0;
}

static char *
symget(const char *name)
{
	struct sym	*sym;

	TAILQ_FOREACH(sym, &symhead, entry)
		if (strcmp(name, sym->name) == 0)
			return sym->val;
	return NULL;
}

/* forgets the macros of the file, keeps those from the command line */
static void
symclear(void)
{
	struct sym	*sym, *next;

	for (sym = TAILQ_FIRST(&symhead); sym != NULL; sym = next) {
		next = TAILQ_NEXT(sym, entry);
		if (sym->persist)
			continue;
		TAILQ_REMOVE(&symhead, sym, entry);
		free(sym->name);
		free(sym->val);
		free(sym);
	}
}

/* -D name=value; 0, or -1 if it is not of that form */
int
cmdline_symset(char *s)
{
	char	*eq, *name;
	int	 rv;

	if ((eq = strchr(s, '=')) == NULL)
		return -1;
	/* a newline would end the statement the macro is used in */
	if (strchr(eq + 1, '\n') != NULL)
		return -1;
	if ((name = strndup(s, eq - s)) == NULL)
		return -1;
	if (!valid_macro_name(name)) {
		free(name);
		return -1;
	}
	rv = symset(name, eq + 1, 1);
	free(name);
	return rv;
}

/* statedir, socket, pidfile: absolute and fitting; frees path */
static int
set_path(char *dst, size_t dstlen, const char *kw, char *path, int *seenp)
{
	int	 rv = -1;

	if (*seenp)
		conferr("duplicate %s", kw);
	else if (path[0] != '/')
		conferr("%s \"%s\" is not an absolute path", kw, path);
	else if (strlen(path) >= dstlen)
		conferr("%s path too long (max %zu bytes)", kw, dstlen - 1);
	else {
		strlcpy(dst, path, dstlen);
		rv = 0;
	}
	*seenp = 1;
	free(path);
	return rv;
}

/* reseed url: https only, each once, RESEED_URLS_MAX at most */
static int
add_reseed_url(char *s)
{
	struct url	 u;
	const char	*why;
	int		 i, rv = -1;

	if (url_parse(s, &u, &why) == -1)
		conferr("reseed url \"%s\": %s", s, why);
	else if (conf->nreseed_urls == RESEED_URLS_MAX)
		conferr("more than %d reseed urls", RESEED_URLS_MAX);
	else {
		for (i = 0; i < conf->nreseed_urls; i++)
			if (strcmp(conf->reseed_urls[i], s) == 0)
				break;
		if (i < conf->nreseed_urls)
			conferr("duplicate reseed url \"%s\"", s);
		else {
			strlcpy(conf->reseed_urls[conf->nreseed_urls++], s,
			    sizeof(conf->reseed_urls[0]));
			rv = 0;
		}
	}
	free(s);
	return rv;
}

/*
 * listen on ADDRESS port NUMBER [ntcp2 | ssu2]: NTCP2 (TCP) unless it
 * says SSU2 (UDP); the same address and port may carry both.  Frees addr.
 */
static int
add_listen(char *addr, long long port, long long transport)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct listen_addr	*la, nla;
	char			 buf[INET6_ADDRSTRLEN + 16];
	int			 rv = 0;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1)
		sin->sin_family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1)
		sin6->sin6_family = AF_INET6;
	else {
		conferr("listen address \"%s\" is not an IPv4 or IPv6 "
		    "address", addr);
		rv = -1;
	}
	free(addr);
	if (port < 1 || port > 65535) {
		conferr("port %lld out of range (1-65535)", port);
		rv = -1;
	}
	if (rv == -1)
		return -1;

	if (ss.ss_family == AF_INET)
		sin->sin_port = htons(port);
	else
		sin6->sin6_port = htons(port);

	/* the same address and port twice is a mistake, not a no-op */
	TAILQ_FOREACH(la, &conf->listen, entry) {
		if (la->ss.ss_family != ss.ss_family ||
		    la->transport != transport)
			continue;
		if ((ss.ss_family == AF_INET &&
		    memcmp(&((struct sockaddr_in *)&la->ss)->sin_addr,
		    &sin->sin_addr, sizeof(sin->sin_addr)) == 0 &&
		    ((struct sockaddr_in *)&la->ss)->sin_port ==
		    sin->sin_port) ||
		    (ss.ss_family == AF_INET6 &&
		    memcmp(&((struct sockaddr_in6 *)&la->ss)->sin6_addr,
		    &sin6->sin6_addr, sizeof(sin6->sin6_addr)) == 0 &&
		    ((struct sockaddr_in6 *)&la->ss)->sin6_port ==
		    sin6->sin6_port)) {
			nla.ss = ss;
			nla.transport = transport;
			conferr("duplicate listen on %s",
			    listen_str(&nla, buf, sizeof(buf)));
			return -1;
		}
	}
	if (conf_add_listen(conf, &ss, transport) == -1)
		fatal("%s", __func__);
	return 0;
}

/*
 * sam listen on ADDRESS [port N]: one address.  Sockets are made by
 * tunneld after it dropped root, so ports below 1024 cannot be bound.
 */
static int
sam_listen(char *addr, long long port)
{
	struct sam_conf	*sc = &conf->sam;
	int		 rv = 0;

	if (seen.sam_listen) {
		conferr("duplicate sam listen on");
		rv = -1;
	} else if (inet_pton(AF_INET, addr, sc->addr) == 1)
		sc->family = 4;
	else if (inet_pton(AF_INET6, addr, sc->addr) == 1)
		sc->family = 6;
	else {
		conferr("sam listen address \"%s\" is not an IPv4 or IPv6 "
		    "address", addr);
		rv = -1;
	}
	seen.sam_listen = 1;
	free(addr);
	if (rv == 0 && (port < 1024 || port > 65535)) {
		conferr("sam port %lld out of range (1024-65535)", port);
		rv = -1;
	}
	if (rv == 0)
		sc->port = port;
	return rv;
}

static int
sam_udp(long long port)
{
	if (seen.sam_udp) {
		conferr("duplicate sam udp port");
		return -1;
	}
	seen.sam_udp = 1;
	if (port < 1024 || port > 65535) {
		conferr("sam udp port %lld out of range (1024-65535)", port);
		return -1;
	}
	conf->sam.udp_port = port;
	return 0;
}

static int
sam_user(char *user, char *password)
{
	struct sam_conf	*sc = &conf->sam;
	int		 rv = -1;

	if (seen.sam_user)
		conferr("duplicate sam user");
	else if (*user == '\0' || strlen(user) > SAM_USER_MAX ||
	    strpbrk(user, " \t\"\\") != NULL)
		conferr("sam user \"%s\" invalid (1-%d characters, no spaces, "
		    "quotes or backslashes)", user, SAM_USER_MAX);
	else if (*password == '\0' || strlen(password) > SAM_PASSWORD_MAX)
		conferr("sam password must have 1-%d characters",
		    SAM_PASSWORD_MAX);
	else {
		strlcpy(sc->user, user, sizeof(sc->user));
		strlcpy(sc->password, password, sizeof(sc->password));
		rv = 0;
	}
	seen.sam_user = 1;
	free(user);
	explicit_bzero(password, strlen(password));
	free(password);
	return rv;
}

/* after the whole file: the UDP port's default, what needs a listener */
static int
sam_finish(void)
{
	struct sam_conf	*sc = &conf->sam;

	if (sc->family == 0) {
		if (seen.sam_udp || seen.sam_user) {
			log_warnx("%s: sam udp port and sam user need sam "
			    "listen on", topfile->name);
			return -1;
		}
		return 0;
	}
	if (sc->udp_port == 0)
		sc->udp_port = sc->port - 1;
	if (sc->udp_port < 1024 || sc->udp_port == sc->port) {
		log_warnx("%s: sam udp port %u: not below 1024, not the "
		    "control port", topfile->name, sc->udp_port);
		return -1;
	}
	return 0;
}

/* addressbook subscribe URL: an http:// URL on an I2P host, each once */
static int
ab_subscribe(char *url)
{
	struct addrbook_conf	*ac = &conf->addrbook;
	const char		*why;
	int			 i, rv = -1;

	if (sub_url_check(url, &why) == -1)
		conferr("addressbook subscribe \"%s\": %s", url, why);
	else if (ac->nsubs == SUBS_MAX)
		conferr("more than %d addressbook subscriptions", SUBS_MAX);
	else {
		for (i = 0; i < ac->nsubs; i++)
			if (strcmp(ac->subs[i], url) == 0)
				break;
		if (i < ac->nsubs)
			conferr("duplicate addressbook subscription \"%s\"",
			    url);
		else {
			strlcpy(ac->subs[ac->nsubs++], url,
			    sizeof(ac->subs[0]));
			rv = 0;
		}
	}
	free(url);
	return rv;
}

static int
ab_every(long long minutes)
{
	if (seen.ab_every) {
		conferr("duplicate addressbook fetch every");
		return -1;
	}
	seen.ab_every = 1;
	if (minutes < SUB_EVERY_MIN || minutes > SUB_EVERY_MAX) {
		conferr("addressbook fetch every %lld minutes: out of range "
		    "(%d-%d)", minutes, SUB_EVERY_MIN, SUB_EVERY_MAX);
		return -1;
	}
	conf->addrbook.every = minutes;
	return 0;
}

/* addressbook proxy NAME: the destination whose http proxy fetches */
static int
ab_proxy(char *name)
{
	int	rv = -1;

	if (seen.ab_proxy)
		conferr("duplicate addressbook proxy");
	else if (!dest_name_ok(name))
		conferr("addressbook proxy \"%s\": not a destination name",
		    name);
	else {
		strlcpy(conf->addrbook.proxy, name,
		    sizeof(conf->addrbook.proxy));
		rv = 0;
	}
	seen.ab_proxy = 1;
	free(name);
	return rv;
}

/* subscriptions need an http proxy tunnel to go through */
static int
ab_finish(void)
{
	const struct addrbook_conf	*ac = &conf->addrbook;
	int				 i;

	for (i = 0; i < conf->nproxies; i++)
		if (conf->proxies[i].kind == PROXY_HTTP &&
		    (ac->proxy[0] == '\0' ||
		    strcmp(conf->proxies[i].dest, ac->proxy) == 0))
			return 0;
	if (ac->proxy[0] != '\0') {
		log_warnx("%s: addressbook proxy \"%s\": that destination "
		    "has no http proxy line", topfile->name, ac->proxy);
		return -1;
	}
	if (ac->nsubs > 0) {
		log_warnx("%s: addressbook subscribe: no http proxy line to "
		    "fetch through", topfile->name);
		return -1;
	}
	return 0;
}

/* what is wrong with a destination line, reported; 0 if nothing */
static int
dest_check(const char *name, const struct dest_dirs *dd)
{
	const char	*dirname;
	int		 dir, i;

	if (!dest_name_ok(name)) {
		conferr("destination name \"%s\" invalid (1-%d of A-Z a-z "
		    "0-9 - _ ., not starting with .)", name, DEST_NAME_MAX);
		return -1;
	}
	for (dir = TUNNEL_IN; dir <= TUNNEL_OUT; dir++) {
		dirname = dir == TUNNEL_IN ? "inbound" : "outbound";
		if (dd->twice & (1 << dir)) {
			conferr("duplicate %s in destination \"%s\"", dirname,
			    name);
			return -1;
		}
		if (!(dd->given & (1 << dir)))
			continue;
		if (dd->length[dir] < 1 || dd->length[dir] > EXPL_LENGTH_MAX) {
			conferr("destination \"%s\" %s length %lld out of "
			    "range (1-%d)", name, dirname, dd->length[dir],
			    EXPL_LENGTH_MAX);
			return -1;
		}
		if (dd->quantity[dir] < 1 ||
		    dd->quantity[dir] > EXPL_QUANTITY_MAX) {
			conferr("destination \"%s\" %s quantity %lld out of "
			    "range (1-%d)", name, dirname, dd->quantity[dir],
			    EXPL_QUANTITY_MAX);
			return -1;
		}
	}
	/* a name stands for one key: two lines would share it */
	for (i = 0; i < conf->ndests; i++) {
		if (strcmp(conf->dests[i].name, name) == 0) {
			conferr("duplicate destination \"%s\"", name);
			return -1;
		}
	}
	if (conf->ndests == DESTS_MAX) {
		conferr("more than %d destinations", DESTS_MAX);
		return -1;
	}
	return 0;
}

/*
 * destination NAME [inbound ...] [outbound ...]: a direction not given
 * gets the client tunnel defaults.  Frees name.
 */
static int
add_dest(char *name, const struct dest_dirs *dd)
{
	struct dest_conf	*d;
	int			 dir;

	if (dest_check(name, dd) == -1) {
		free(name);
		return -1;
	}
	d = &conf->dests[conf->ndests++];
	strlcpy(d->name, name, sizeof(d->name));
	for (dir = TUNNEL_IN; dir <= TUNNEL_OUT; dir++) {
		if (dd->given & (1 << dir)) {
			d->length[dir] = dd->length[dir];
			d->quantity[dir] = dd->quantity[dir];
		} else {
			d->length[dir] = CLIENT_LENGTH;
			d->quantity[dir] = CLIENT_QUANTITY;
		}
	}
	free(name);
	return 0;
}

/*
 * A tunnel line of the current destination's block: cur_proxy is
 * filled as the line is read and added by proxy_end() at its end.
 * Frees addr.
 */
/* a proxy line without "listen on": loopback, as i2pd and Java */
static char *
proxy_default_addr(void)
{
	char	*s;

	if ((s = strdup("127.0.0.1")) == NULL)
		fatal(NULL);
	return s;
}

static int
proxy_begin(enum proxy_kind kind, char *addr, long long port)
{
	struct proxy_conf	*pc = &cur_proxy.pc;
	const char		*what;

	memset(&cur_proxy, 0, sizeof(cur_proxy));
	cur_proxy.ok = cur_dest != NULL;
	what = proxy_kind_listens(kind) ? "listen on" : "to";
	pc->kind = kind;
	if (cur_dest != NULL)
		strlcpy(pc->dest, cur_dest, sizeof(pc->dest));
	if (inet_pton(AF_INET, addr, pc->addr) == 1)
		pc->family = 4;
	else if (inet_pton(AF_INET6, addr, pc->addr) == 1)
		pc->family = 6;
	else {
		conferr("%s %s address \"%s\" is not an IPv4 or IPv6 address",
		    proxy_kind_name(kind), what, addr);
		cur_proxy.ok = 0;
	}
	free(addr);
	/* tunneld binds after dropping root; servers may go anywhere */
	if (proxy_kind_listens(kind) && (port < 1024 || port > 65535)) {
		conferr("%s port %lld out of range (1024-65535)",
		    proxy_kind_name(kind), port);
		cur_proxy.ok = 0;
	} else if (port < 1 || port > 65535) {
		conferr("%s port %lld out of range (1-65535)",
		    proxy_kind_name(kind), port);
		cur_proxy.ok = 0;
	} else
		pc->port = port;
	return cur_proxy.ok ? 0 : -1;
}

/* a .i2p name, a .b32.i2p address or a base64 Destination */
static int
target_ok(const char *t)
{
	size_t	 n = strlen(t);

	if (n > 4 && strcasecmp(t + n - 4, ".i2p") == 0)
		return 1;
	return ident_check_b64(t, IDENT_DEST) == 0;
}

/* a client's target or a proxy's outproxy, what says which: frees target */
static int
proxy_target_set(const char *what, char *target, long long port)
{
	struct proxy_conf	*pc = &cur_proxy.pc;

	if (!target_ok(target) || strlen(target) > PROXY_TARGET_MAX) {
		conferr("%s \"%.64s\" is not a .i2p name, a .b32.i2p "
		    "address or a base64 destination", what, target);
		cur_proxy.ok = 0;
	} else
		strlcpy(pc->target, target, sizeof(pc->target));
	free(target);
	if (port < 0 || port > 65535) {
		conferr("%s port %lld out of range (0-65535)", what, port);
		cur_proxy.ok = 0;
	} else
		pc->target_port = port;
	return cur_proxy.ok ? 0 : -1;
}

/* to TARGET [port N]: frees target */
static int
proxy_to(char *target, long long port)
{
	return proxy_target_set("tunnel target", target, port);
}

/* outproxy TARGET [port N] of a socks or http proxy: frees target */
static int
proxy_outproxy(char *target, long long port)
{
	if (cur_proxy.pc.target[0] != '\0') {
		conferr("duplicate outproxy");
		cur_proxy.ok = 0;
		free(target);
		return -1;
	}
	return proxy_target_set("outproxy", target, port);
}

/* jump { ... } of an http proxy: given, so the default list is not */
static int
proxy_jump_begin(void)
{
	struct proxy_conf	*pc = &cur_proxy.pc;

	if (pc->kind != PROXY_HTTP) {
		conferr("jump: for http proxies only");
		cur_proxy.ok = 0;
	} else if (pc->jumps_set) {
		conferr("duplicate jump list");
		cur_proxy.ok = 0;
	}
	pc->jumps_set = 1;
	return cur_proxy.ok ? 0 : -1;
}

/* one URL of a jump list: frees url */
static int
proxy_jump(char *url)
{
	struct proxy_conf	*pc = &cur_proxy.pc;

	if (pc->njumps == PROXY_JUMPS_MAX) {
		conferr("jump: more than %d URLs", PROXY_JUMPS_MAX);
		cur_proxy.ok = 0;
	} else if (strlen(url) > PROXY_JUMP_MAX ||
	    !proxy_jump_ok(url, strlen(url) + 1)) {
		conferr("jump: \"%.64s\" is not an http:// or https:// URL "
		    "of 1-%d characters without spaces", url, PROXY_JUMP_MAX);
		cur_proxy.ok = 0;
	} else
		strlcpy(pc->jumps[pc->njumps++], url, sizeof(pc->jumps[0]));
	free(url);
	return cur_proxy.ok ? 0 : -1;
}

static int
proxy_i2p_port(long long port)
{
	if (cur_proxy.i2p_port_seen) {
		conferr("duplicate i2p port");
		cur_proxy.ok = 0;
	} else if (port < 0 || port > 65535) {
		conferr("i2p port %lld out of range (0-65535)", port);
		cur_proxy.ok = 0;
	} else
		cur_proxy.pc.i2p_port = port;
	cur_proxy.i2p_port_seen = 1;
	return cur_proxy.ok ? 0 : -1;
}

/* one b32 address of an allow list: frees b32 */
static int
proxy_allow(char *b32)
{
	struct proxy_conf	*pc = &cur_proxy.pc;
	uint8_t			 hash[I2P_HASH_LEN];

	if (b32_name_hash(b32, hash) == -1) {
		conferr("allow: \"%.64s\" is not a .b32.i2p address", b32);
		cur_proxy.ok = 0;
	} else if (pc->nallow == PROXY_ALLOW_MAX) {
		conferr("allow: more than %d addresses", PROXY_ALLOW_MAX);
		cur_proxy.ok = 0;
	} else
		memcpy(pc->allow[pc->nallow++], hash, sizeof(hash));
	free(b32);
	return cur_proxy.ok ? 0 : -1;
}

/* webirc password P: an IRC server's alone; frees password */
static int
proxy_webirc(char *password)
{
	struct proxy_conf	*pc = &cur_proxy.pc;

	if (pc->kind != PROXY_IRC_SERVER) {
		conferr("webirc password: for irc servers only");
		cur_proxy.ok = 0;
	} else if (pc->password[0] != '\0') {
		conferr("duplicate webirc password");
		cur_proxy.ok = 0;
	} else if (!word_ok(password, PROXY_PASSWORD_MAX)) {
		conferr("webirc password must have 1-%d characters, no "
		    "spaces or control characters", PROXY_PASSWORD_MAX);
		cur_proxy.ok = 0;
	} else
		strlcpy(pc->password, password, sizeof(pc->password));
	free(password);
	return cur_proxy.ok ? 0 : -1;
}

/* host H of an http server: the Host its server is sent; frees host */
static int
proxy_host_override(char *host)
{
	struct proxy_conf	*pc = &cur_proxy.pc;

	if (pc->kind != PROXY_HTTP_SERVER) {
		conferr("host: for http servers only");
		cur_proxy.ok = 0;
	} else if (pc->host[0] != '\0') {
		conferr("duplicate host");
		cur_proxy.ok = 0;
	} else if (!word_ok(host, PROXY_HOST_MAX)) {
		conferr("host must have 1-%d characters, no spaces or "
		    "control characters", PROXY_HOST_MAX);
		cur_proxy.ok = 0;
	} else
		strlcpy(pc->host, host, sizeof(pc->host));
	free(host);
	return cur_proxy.ok ? 0 : -1;
}

/* user U password P of a socks or http proxy: frees both */
static int
proxy_auth(char *user, char *password)
{
	struct proxy_conf	*pc = &cur_proxy.pc;

	/* RFC 1929: each 1 to 255 bytes */
	if (pc->user[0] != '\0') {
		conferr("duplicate proxy user");
		cur_proxy.ok = 0;
	} else if (*user == '\0' || strlen(user) > PROXY_USER_MAX ||
	    *password == '\0' || strlen(password) > PROXY_PASSWORD_MAX) {
		conferr("proxy user must have 1-%d characters, its password "
		    "1-%d", PROXY_USER_MAX, PROXY_PASSWORD_MAX);
		cur_proxy.ok = 0;
	} else {
		strlcpy(pc->user, user, sizeof(pc->user));
		strlcpy(pc->password, password, sizeof(pc->password));
	}
	explicit_bzero(password, strlen(password));
	free(password);
	free(user);
	return cur_proxy.ok ? 0 : -1;
}

/* a word of printable characters without spaces, 1 to max long */
static int
word_ok(const char *s, size_t max)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!isgraph((unsigned char)s[i]))
			return 0;
	return 1;
}

/* two tunnels may not take one local port, nor one i2p port */
static int
proxy_clash(const struct proxy_conf *a, const struct proxy_conf *b)
{
	int	 la = proxy_kind_listens(a->kind);
	int	 lb = proxy_kind_listens(b->kind);

	/* UDP and TCP ports, datagrams and streams, are apart */
	if (proxy_kind_udp(a->kind) != proxy_kind_udp(b->kind))
		return 0;
	if (la && lb)
		return a->family == b->family && a->port == b->port &&
		    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
	if (!la && !lb)
		return strcmp(a->dest, b->dest) == 0 &&
		    a->i2p_port == b->i2p_port;
	return 0;
}

/* the end of a tunnel line: checked against the others and added */
static void
proxy_end(void)
{
	struct proxy_conf	*pc = &cur_proxy.pc;
	int			 i;

	if (!cur_proxy.ok)
		return;
	for (i = 0; i < conf->nproxies; i++) {
		if (!proxy_clash(pc, &conf->proxies[i]))
			continue;
		if (!proxy_kind_listens(pc->kind))
			conferr("two servers of destination \"%s\" on i2p "
			    "port %u", pc->dest, pc->i2p_port);
		else
			conferr("two tunnels listen on port %u", pc->port);
		return;
	}
	if (conf_add_proxy(conf, pc) == -1)
		conferr("more than %d tunnels", PROXIES_MAX);
}
