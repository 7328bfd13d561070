/*
 * Command line grammar of i2pctl: static tables of tokens, each keyword
 * leading to the table of what may follow it (the shape of bgpctl's
 * parser).  A word matches a keyword it is a unique prefix of.
 */
#ifndef I2PCTL_PARSER_H
#define I2PCTL_PARSER_H

#include <stdio.h>

#include "i2pctl.h"

enum token_type {
	NOTOKEN,
	ENDTOKEN,	/* the command may end here */
	KEYWORD,
	HASHARG,	/* a router or destination hash, base64 */
	FILEARG,	/* a path */
	NAMEARG,	/* an address book name (tunneld checks the rules) */
	DESTARG		/* a Destination, base64 */
};

struct token {
	enum token_type		 type;
	const char		*keyword;
	int			 value;	/* enum actions, NONE: keep */
	const struct token	*next;	/* NULL: nothing may follow */
};

/*
 * Parse the words after the options into *res.  0 on success; -1 after
 * writing the reason and the valid words at that point to errf.
 */
int	 parse(int, char *[], struct parse_result *, FILE *errf);
/* the same from another grammar (the unit tests use their own) */
int	 parse_table(const struct token *, int, char *[],
	    struct parse_result *, FILE *errf);
/* the list printed after an error: one "  word" per line */
void	 show_valid_args(const struct token *, FILE *);

#endif /* I2PCTL_PARSER_H */
