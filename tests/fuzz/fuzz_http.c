/*
 * libFuzzer target: the head of an HTTP response a reseed server sends
 * (netd/http.c), and reseed URLs (common/url.c).  Checked beyond the
 * sanitizers: a parsed head lies within the input and ends with the
 * empty line; a parsed URL gives a path that can be requested.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"
#include "../../netd/netd.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

FUZZ_INIT_DEFAULT

static void
one_url(const uint8_t *data, size_t len)
{
	char		 s[URL_MAX + 2], path[URL_PATH_MAX + 64];
	struct url	 u;
	const char	*why;

	if (len > URL_MAX + 1)
		len = URL_MAX + 1;
	memcpy(s, data, len);
	s[len] = '\0';
	if (url_parse(s, &u, &why) == -1)
		return;
	if (u.port == 0 || u.path[0] != '/' || strlen(u.host) == 0 ||
	    url_reseed_path(&u, 2, path, sizeof(path)) == -1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct http_resp	 h;
	const char		*why = NULL;
	int			 rv;

	if (len > 0 && data[0] == 'h') {	/* "https://...": a URL */
		one_url(data, len);
		return 0;
	}
	rv = http_resp_head(data, len, &h, &why);
	if ((rv == -1 && why == NULL) || (rv == 1 && (h.head_len > len ||
	    h.head_len < 4 || memcmp(data + h.head_len - 4, "\r\n\r\n", 4) !=
	    0 || h.status < 0 || h.status > 999)))
		abort();
	return 0;
}
