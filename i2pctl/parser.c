/*
 * i2pctl command line parser.  Adding a command means adding a keyword to
 * a table (and an action); the matching and the error messages are
 * generic.
 */
#include <bsd/string.h>
#include <stdio.h>
#include <string.h>

#include "encoding.h"
#include "i2pctl.h"
#include "parser.h"

static const struct token t_show[];
static const struct token t_netdb[];
static const struct token t_peers[];
static const struct token t_tunnels[];
static const struct token t_hash[];
static const struct token t_log[];
static const struct token t_reseed[];
static const struct token t_file[];
static const struct token t_ab[];
static const struct token t_ab_add[];
static const struct token t_ab_dest[];
static const struct token t_ab_add_opt[];
static const struct token t_ab_add_priv[];
static const struct token t_ab_del[];
static const struct token t_ab_del_opt[];
static const struct token t_ab_show[];
static const struct token t_ab_name[];

static const struct token t_main[] = {
	{ KEYWORD,	"show",		SHOW_SUMMARY,	t_show },
	{ KEYWORD,	"reload",	RELOAD,		NULL },
	{ KEYWORD,	"reseed",	NONE,		t_reseed },
	{ KEYWORD,	"log",		NONE,		t_log },
	{ KEYWORD,	"addressbook",	NONE,		t_ab },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

/* "show" alone is "show summary", so the command may end here */
static const struct token t_show[] = {
	{ ENDTOKEN,	"",		NONE,		NULL },
	{ KEYWORD,	"summary",	SHOW_SUMMARY,	NULL },
	{ KEYWORD,	"router",	SHOW_ROUTER,	NULL },
	{ KEYWORD,	"peers",	SHOW_PEERS,	t_peers },
	{ KEYWORD,	"transports",	SHOW_TRANSPORTS, NULL },
	{ KEYWORD,	"netdb",	SHOW_NETDB,	t_netdb },
	{ KEYWORD,	"floodfill",	SHOW_FLOODFILL,	NULL },
	{ KEYWORD,	"transit",	SHOW_TRANSIT,	NULL },
	{ KEYWORD,	"tunnels",	SHOW_TUNNELS,	t_tunnels },
	{ KEYWORD,	"profiles",	SHOW_PROFILES,	NULL },
	{ KEYWORD,	"sam",		SHOW_SAM,	NULL },
	{ KEYWORD,	"destinations",	SHOW_DESTS,	NULL },
	{ KEYWORD,	"sessions",	SHOW_RSESS,	NULL },
	{ KEYWORD,	"streams",	SHOW_STREAMS,	NULL },
	/* the same as "addressbook show" */
	{ KEYWORD,	"addressbook",	AB_SHOW,	t_ab_show },
	{ KEYWORD,	"metrics",	SHOW_METRICS,	NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_peers[] = {
	{ ENDTOKEN,	"",		NONE,		NULL },
	{ KEYWORD,	"limits",	SHOW_PEERS_LIMITS, NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

/* the router's pools, or the tunnel lines of destination blocks */
static const struct token t_tunnels[] = {
	{ ENDTOKEN,	"",		NONE,		NULL },
	{ KEYWORD,	"clients",	SHOW_PROXIES,	NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_netdb[] = {
	{ ENDTOKEN,	"",		NONE,		NULL },
	{ KEYWORD,	"router",	SHOW_NETDB_ROUTER, t_hash },
	{ KEYWORD,	"leaseset",	SHOW_NETDB_LEASESET, t_hash },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_hash[] = {
	{ HASHARG,	"hash",		NONE,		NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_reseed[] = {
	{ KEYWORD,	"import",	RESEED_IMPORT,	t_file },
	{ KEYWORD,	"export",	RESEED_EXPORT,	t_file },
	{ KEYWORD,	"certificate",	RESEED_CERT,	NULL },
	{ KEYWORD,	"fetch",	RESEED_FETCH,	NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_file[] = {
	{ FILEARG,	"file",		NONE,		NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

/* addressbook add NAME DEST [private] [replace] | del NAME [private] | ... */
static const struct token t_ab[] = {
	{ KEYWORD,	"add",		AB_ADD,		t_ab_add },
	{ KEYWORD,	"del",		AB_DEL,		t_ab_del },
	{ KEYWORD,	"fetch",	AB_FETCH,	NULL },
	{ KEYWORD,	"lookup",	AB_LOOKUP,	t_ab_name },
	{ KEYWORD,	"show",		AB_SHOW,	t_ab_show },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_ab_add[] = {
	{ NAMEARG,	"name",		NONE,		t_ab_dest },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_ab_dest[] = {
	{ DESTARG,	"destination",	NONE,		t_ab_add_opt },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_ab_add_opt[] = {
	{ ENDTOKEN,	"",		NONE,		NULL },
	{ KEYWORD,	"private",	AB_ADD_PRIVATE,	t_ab_add_priv },
	{ KEYWORD,	"replace",	AB_ADD_REPLACE,	NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_ab_add_priv[] = {
	{ ENDTOKEN,	"",		NONE,		NULL },
	{ KEYWORD,	"replace",	AB_ADD_PRIVATE_REPLACE, NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_ab_del[] = {
	{ NAMEARG,	"name",		NONE,		t_ab_del_opt },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_ab_del_opt[] = {
	{ ENDTOKEN,	"",		NONE,		NULL },
	{ KEYWORD,	"private",	AB_DEL_PRIVATE,	NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_ab_show[] = {
	{ ENDTOKEN,	"",		NONE,		NULL },
	{ KEYWORD,	"local",	AB_SHOW_LOCAL,	NULL },
	{ KEYWORD,	"private",	AB_SHOW_PRIVATE, NULL },
	{ KEYWORD,	"subscribed",	AB_SHOW_SUBSCRIBED, NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_ab_name[] = {
	{ NAMEARG,	"name",		NONE,		NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token t_log[] = {
	{ KEYWORD,	"verbose",	LOG_VERBOSE,	NULL },
	{ KEYWORD,	"brief",	LOG_BRIEF,	NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

static const struct token *match_token(const char *, const struct token *,
	    struct parse_result *, FILE *);

/* an address book name (checked by tunneld) or a Destination's base64 */
static const struct token *
match_arg(const char *word, const struct token *t, struct parse_result *res,
    FILE *errf)
{
	int	n;

	if (t->type == NAMEARG) {
		if (strlcpy(res->abname, word, sizeof(res->abname)) <
		    sizeof(res->abname))
			return t;
		fprintf(errf, "name too long: %s\n", word);
		return NULL;
	}
	n = b64_decode(res->abdest, sizeof(res->abdest), word, strlen(word));
	if (n > 0) {
		res->abdestlen = n;
		return t;
	}
	fprintf(errf, "not a base64 destination: %.40s...\n", word);
	return NULL;
}

int
parse(int argc, char *argv[], struct parse_result *res, FILE *errf)
{
	return parse_table(t_main, argc, argv, res, errf);
}

int
parse_table(const struct token *table, int argc, char *argv[],
    struct parse_result *res, FILE *errf)
{
	const struct token	*match;
	const char		*word;
	int			 i = 0;

	memset(res, 0, sizeof(*res));
	res->action = NONE;

	for (;;) {
		word = i < argc ? argv[i] : NULL;
		if ((match = match_token(word, table, res, errf)) == NULL) {
			fprintf(errf, "valid commands/arguments:\n");
			show_valid_args(table, errf);
			return -1;
		}
		if (match->type == ENDTOKEN)
			break;
		i++;
		if (match->next == NULL)
			break;
		table = match->next;
	}

	if (i < argc) {
		fprintf(errf, "superfluous argument: %s\n", argv[i]);
		return -1;
	}
	return 0;
}

/*
 * The entry of table that word selects: an exact keyword, else the one
 * keyword it is a prefix of; with no word, the table's ENDTOKEN.  NULL
 * after saying why not.
 */
static const struct token *
match_token(const char *word, const struct token *table,
    struct parse_result *res, FILE *errf)
{
	const struct token	*t, *match = NULL;
	size_t			 wordlen;
	int			 nmatch = 0;

	if (word == NULL) {
		for (t = table; t->type != NOTOKEN; t++)
			if (t->type == ENDTOKEN)
				return t;
		fprintf(errf, "missing argument:\n");
		return NULL;
	}

	/* a path where one is expected: the word itself */
	for (t = table; t->type != NOTOKEN; t++)
		if (t->type == FILEARG) {
			res->path = word;
			return t;
		}

	/* a name or a Destination where one is expected */
	for (t = table; t->type != NOTOKEN; t++)
		if (t->type == NAMEARG || t->type == DESTARG)
			return match_arg(word, t, res, errf);

	/* a hash where one is expected: 44 characters of I2P base64 */
	for (t = table; t->type != NOTOKEN; t++)
		if (t->type == HASHARG) {
			if (b64_decode(res->hash, sizeof(res->hash), word,
			    strlen(word)) == sizeof(res->hash))
				return t;
			fprintf(errf, "not a base64 hash: %s\n", word);
			return NULL;
		}

	/* "" would be a prefix of every keyword; it names none of them */
	wordlen = strlen(word);
	for (t = table; wordlen > 0 && t->type != NOTOKEN; t++) {
		if (t->type != KEYWORD)
			continue;
		if (strcmp(word, t->keyword) == 0) {
			/* a keyword that is a prefix of another still works */
			match = t;
			nmatch = 1;
			break;
		}
		if (strncmp(word, t->keyword, wordlen) == 0) {
			match = t;
			nmatch++;
		}
	}

	if (nmatch > 1) {
		fprintf(errf, "ambiguous argument: %s\n", word);
		return NULL;
	}
	if (nmatch == 0) {
		fprintf(errf, "unknown argument: %s\n", word);
		return NULL;
	}
	if (match->value != NONE)
		res->action = match->value;
	return match;
}

void
show_valid_args(const struct token *table, FILE *fp)
{
	const struct token	*t;

	for (t = table; t->type != NOTOKEN; t++) {
		switch (t->type) {
		case ENDTOKEN:
			fprintf(fp, "  <cr>\n");
			break;
		case KEYWORD:
			fprintf(fp, "  %s\n", t->keyword);
			break;
		case HASHARG:
		case FILEARG:
		case NAMEARG:
		case DESTARG:
			fprintf(fp, "  <%s>\n", t->keyword);
			break;
		case NOTOKEN:
			break;
		}
	}
}
