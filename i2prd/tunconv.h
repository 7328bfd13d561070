/*
 * i2prd -T: i2pd's tunnels.conf read and printed as i2prd.conf tunnel
 * blocks, so that an operator can move over.  What has no equivalent is
 * reported, as a comment in the output and a warning on stderr, never
 * dropped in silence.
 */
#ifndef I2PRD_TUNCONV_H
#define I2PRD_TUNCONV_H

#include <stddef.h>
#include <stdio.h>

/*
 * Bounds of the INI reader: a tunnels.conf is written by hand and holds a
 * few dozen sections; these are far above that and keep a hostile or
 * broken file from taking the memory of the parent.
 */
#define INI_LINE_MAX		4096
#define INI_SECTIONS_MAX	256
#define INI_KEYS_MAX		64
#define INI_FILE_MAX		(1024 * 1024)

struct ini_key {
	char	*name;
	char	*value;
	int	 line;
};

struct ini_section {
	char		*name;
	int		 line;
	int		 nkeys;
	struct ini_key	 keys[INI_KEYS_MAX];
};

struct ini {
	struct ini_section	**sections;
	int			  nsections;
	int			  cap;
};

/* where reports go: comments in the output, warnings on stderr */
struct tc_report {
	const char	*label;		/* the file's name in reports */
	FILE		*out;		/* "# label:LINE: ..." lines */
	FILE		*err;		/* "label:LINE: ..." lines */
	const char	*indent;	/* before the comment, inside a block */
	int		 count;
};

/* one report, to both streams */
void	 tc_warn(struct tc_report *, int line, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/* i2prd/tunini.c */
/*
 * Sections "[name]", "key = value" lines, '#' and ';' comments, blank
 * lines, LF or CRLF.  A malformed line is reported and skipped.  -1 only
 * if the text could not be read at all (too big, out of memory).
 */
int	 ini_parse(struct ini *, const void *, size_t, struct tc_report *);
void	 ini_free(struct ini *);
/* the key of that name in a section, NULL if absent */
const struct ini_key *ini_get(const struct ini_section *, const char *);

/* i2prd/tunconv.c */
/* the i2prd.conf lines for a parsed tunnels.conf, to rep->out */
int	 tunconv_print(const struct ini *, struct tc_report *);
/* parse and print: 0 if the text was read, -1 if not */
int	 tunconv_buf(const void *, size_t, const char *label, FILE *out,
	    FILE *err);
/* the same for a file (at most INI_FILE_MAX bytes) */
int	 tunconv_file(const char *path, FILE *out, FILE *err);

#endif /* I2PRD_TUNCONV_H */
