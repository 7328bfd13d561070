/*
 * The head of an HTTP/1.x response, as a reseed server sends it: the
 * status line and the header fields up to the empty line.  Only what
 * a download needs is kept: the status, the Content-Length and whether
 * the body is chunked.  Read through the buffer reader, bounded by
 * HTTP_HEAD_MAX; anything malformed is refused with a reason.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "netd.h"

#define HTTP_LINE_MAX	1024

/* the next CRLF-ended line, NUL-terminated in line; -1 if malformed */
static int
get_line(struct rbuf *r, char *line)
{
	uint8_t	c;
	size_t	n = 0;

	for (;;) {
		if (rbuf_get_u8(r, &c) == -1)
			return -1;
		if (c == '\r')
			break;
		/* field values may hold tabs; nothing else below space */
		if ((c < ' ' && c != '\t') || c == 0x7f || n == HTTP_LINE_MAX)
			return -1;
		line[n++] = c;
	}
	if (rbuf_get_u8(r, &c) == -1 || c != '\n')
		return -1;
	line[n] = '\0';
	return 0;
}

static int
status_line(const char *line, struct http_resp *h)
{
	if (strncmp(line, "HTTP/1.", 7) != 0 || (line[7] != '0' &&
	    line[7] != '1') || line[8] != ' ' || !isdigit((unsigned char)line[9])
	    || !isdigit((unsigned char)line[10]) ||
	    !isdigit((unsigned char)line[11]) ||
	    (line[12] != ' ' && line[12] != '\0'))
		return -1;
	h->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 +
	    (line[11] - '0');
	return 0;
}

/* "Name: value": the fields a download needs; others are skipped */
static int
header_field(char *line, struct http_resp *h, const char **why)
{
	char		*value, *end;
	long long	 n;

	*why = "malformed header field";
	if ((value = strchr(line, ':')) == NULL || value == line)
		return -1;
	*value++ = '\0';
	value += strspn(value, " \t");
	if (strcasecmp(line, "Content-Length") == 0) {
		if (!isdigit((unsigned char)*value) || h->content_length != -1)
			return -1;
		n = strtoll(value, &end, 10);
		if (*end != '\0' && strspn(end, " \t") != strlen(end))
			return -1;
		*why = "body too large";
		if (n < 0 || n > HTTP_BODY_MAX)
			return -1;
		h->content_length = n;
	} else if (strcasecmp(line, "Transfer-Encoding") == 0)
		h->chunked |= strcasestr(value, "chunked") != NULL;
	return 0;
}

int
http_resp_head(const uint8_t *buf, size_t len, struct http_resp *h,
    const char **why)
{
	struct rbuf	 r;
	const uint8_t	*end;
	char		 line[HTTP_LINE_MAX + 1];

	memset(h, 0, sizeof(h[0]));
	h->content_length = -1;
	end = memmem(buf, len < HTTP_HEAD_MAX ? len : HTTP_HEAD_MAX,
	    "\r\n\r\n", 4);
	if (end == NULL) {
		*why = "response head too large";
		return len >= HTTP_HEAD_MAX ? -1 : 0;
	}
	h->head_len = end + 4 - buf;
	rbuf_init(&r, buf, h->head_len);
	*why = "malformed status line";
	if (get_line(&r, line) == -1 || status_line(line, h) == -1)
		return -1;
	for (;;) {
		*why = "malformed header field";
		if (get_line(&r, line) == -1)
			return -1;
		if (line[0] == '\0')
			break;
		if (header_field(line, h, why) == -1)
			return -1;
	}
	return rbuf_end(&r) == 0 ? 1 : -1;
}
