/*
 * A small streaming JSON writer: objects, arrays, strings, integers,
 * booleans and null, written straight to a FILE.  The writer tracks the
 * nesting so the caller never places a comma or a key by hand; a value
 * inside an object needs a key, anywhere else it must have none.
 *
 * Misuse (a missing or extra key, closing the wrong container, nesting
 * deeper than JSON_MAXDEPTH, a second top-level value) and write errors
 * are sticky: the call returns -1, nothing more is written and
 * json_finish reports the failure.
 */
#ifndef I2PCTL_JSON_H
#define I2PCTL_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAXDEPTH	16

struct json {
	FILE		*fp;
	int		 pretty;
	int		 err;
	int		 done;		/* the top-level value is complete */
	int		 depth;		/* open containers */
	char		 type[JSON_MAXDEPTH];	/* '{' or '[' per level */
	size_t		 count[JSON_MAXDEPTH];	/* members written so far */
};

void	 json_init(struct json *, FILE *, int pretty);
int	 json_object_begin(struct json *, const char *key);
int	 json_object_end(struct json *);
int	 json_array_begin(struct json *, const char *key);
int	 json_array_end(struct json *);
int	 json_string(struct json *, const char *key, const char *);
int	 json_int(struct json *, const char *key, int64_t);
int	 json_uint(struct json *, const char *key, uint64_t);
int	 json_bool(struct json *, const char *key, int);
int	 json_null(struct json *, const char *key);
/* ends the document with a newline; -1 if incomplete or on any error */
int	 json_finish(struct json *);

/*
 * s as a JSON string literal, quotes included: '"' and '\\' escaped,
 * control characters as \u00XX, bytes that are not valid UTF-8 replaced
 * by \ufffd so the output is always valid JSON.
 */
void	 json_write_string(FILE *, const char *);

#endif /* I2PCTL_JSON_H */
