/*
 * Streaming JSON writer; see json.h.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

#define JSON_INDENT	"  "

static int	 json_value_begin(struct json *, const char *);
static int	 json_container_begin(struct json *, const char *, char);
static int	 json_container_end(struct json *, char);
static size_t	 utf8_seqlen(const unsigned char *);

void
json_init(struct json *j, FILE *fp, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->fp = fp;
	j->pretty = pretty;
}

static void
json_newline(struct json *j, int depth)
{
	int	 i;

	if (!j->pretty)
		return;
	fputc('\n', j->fp);
	for (i = 0; i < depth; i++)
		fputs(JSON_INDENT, j->fp);
}

/*
 * Everything that goes before a value: the separator from the previous
 * member, the indentation and the key.  Checks that a key is given
 * exactly when the value is an object member.
 */
static int
json_value_begin(struct json *j, const char *key)
{
	int	 inobject;

	if (j->err)
		return -1;
	if (j->done) {
		j->err = 1;
		return -1;
	}
	inobject = j->depth > 0 && j->type[j->depth - 1] == '{';
	if ((key != NULL) != inobject) {
		j->err = 1;
		return -1;
	}
	if (j->depth > 0) {
		if (j->count[j->depth - 1]++ > 0)
			fputc(',', j->fp);
		json_newline(j, j->depth);
	}
	if (key != NULL) {
		json_write_string(j->fp, key);
		fputs(j->pretty ? ": " : ":", j->fp);
	}
	return 0;
}

/* after a scalar or a closed container: at top level the document ends */
static int
json_value_end(struct json *j)
{
	if (j->depth == 0)
		j->done = 1;
	if (ferror(j->fp)) {
		j->err = 1;
		return -1;
	}
	return 0;
}

static int
json_container_begin(struct json *j, const char *key, char type)
{
	if (j->err)
		return -1;
	if (j->depth >= JSON_MAXDEPTH) {
		j->err = 1;
		return -1;
	}
	if (json_value_begin(j, key) == -1)
		return -1;
	fputc(type, j->fp);
	j->type[j->depth] = type;
	j->count[j->depth] = 0;
	j->depth++;
	if (ferror(j->fp)) {
		j->err = 1;
		return -1;
	}
	return 0;
}

static int
json_container_end(struct json *j, char type)
{
	if (j->err)
		return -1;
	if (j->depth == 0 || j->type[j->depth - 1] != type) {
		j->err = 1;
		return -1;
	}
	j->depth--;
	/* empty containers stay on one line: {} and [] */
	if (j->count[j->depth] > 0)
		json_newline(j, j->depth);
	fputc(type == '{' ? '}' : ']', j->fp);
	return json_value_end(j);
}

int
json_object_begin(struct json *j, const char *key)
{
	return json_container_begin(j, key, '{');
}

int
json_object_end(struct json *j)
{
	return json_container_end(j, '{');
}

int
json_array_begin(struct json *j, const char *key)
{
	return json_container_begin(j, key, '[');
}

int
json_array_end(struct json *j)
{
	return json_container_end(j, '[');
}

int
json_string(struct json *j, const char *key, const char *s)
{
	if (json_value_begin(j, key) == -1)
		return -1;
	json_write_string(j->fp, s);
	return json_value_end(j);
}

int
json_int(struct json *j, const char *key, int64_t v)
{
	if (json_value_begin(j, key) == -1)
		return -1;
	fprintf(j->fp, "%" PRId64, v);
	return json_value_end(j);
}

int
json_uint(struct json *j, const char *key, uint64_t v)
{
	if (json_value_begin(j, key) == -1)
		return -1;
	fprintf(j->fp, "%" PRIu64, v);
	return json_value_end(j);
}

int
json_bool(struct json *j, const char *key, int v)
{
	if (json_value_begin(j, key) == -1)
		return -1;
	fputs(v ? "true" : "false", j->fp);
	return json_value_end(j);
}

int
json_null(struct json *j, const char *key)
{
	if (json_value_begin(j, key) == -1)
		return -1;
	fputs("null", j->fp);
	return json_value_end(j);
}

int
json_finish(struct json *j)
{
	if (j->err || !j->done || j->depth != 0)
		return -1;
	fputc('\n', j->fp);
	if (ferror(j->fp)) {
		j->err = 1;
		return -1;
	}
	return 0;
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 if there is none.
 * Stops at the terminating NUL since a continuation byte is never 0.
 */
static size_t
utf8_seqlen(const unsigned char *s)
{
	size_t	 len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return 0;

	/* the second byte has the tighter range, the rest 0x80-0xbf */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

void
json_write_string(FILE *fp, const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 n;

	fputc('"', fp);
	while (*s != '\0') {
		if (*s == '"' || *s == '\\') {
			fputc('\\', fp);
			fputc(*s, fp);
			s++;
		} else if (*s < 0x20) {
			fprintf(fp, "\\u%04x", *s);
			s++;
		} else if ((n = utf8_seqlen(s)) == 0) {
			fputs("\\ufffd", fp);
			s++;
		} else {
			fwrite(s, 1, n, fp);
			s += n;
		}
	}
	fputc('"', fp);
}
