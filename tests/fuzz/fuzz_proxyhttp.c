/*
 * libFuzzer target: the HTTP layer of the proxy and the server tunnels
 * (tunneld/proxy_http*.c).  The first byte picks what the rest is:
 *   0: a request head, then its target, host, helper, the proxy's and
 *      the server's rewriting (or the CONNECT toward an outproxy) and
 *      the auth check;
 *   1: a response head and the server's response rewriting;
 *   2: a chunked body, fed in pieces;
 *   3: a confirm path and a path with a helper;
 *   4: a host and a detail shown on error pages;
 *   5: an outproxy's answer to CONNECT (the next byte sets the bound).
 * Checked beyond the sanitizers: a parsed head lies within the input
 * and ends with the empty line; every rewritten head parses again and
 * carries none of what was to be dropped; pages parse back with a
 * Content-Length that is their body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../tunneld/proxy_http.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

static struct phttp_head	 head, again;
static struct phttp_target	 target;
static struct phttp_host	 host;
static struct phttp_confirm	 confirm;
static struct phttp_nonce_key	 key;
static struct i2p_ident		 peer;
static char			 path[PROXY_HTTP_LINE_MAX + 2];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t	pub[32];

	(void)argc;
	(void)argv;
	(void)fuzz_stderr();
	if (crypto_init() == -1 || phttp_nonce_key_init(&key) == -1)
		abort();
	memset(pub, 7, sizeof(pub));
	if (ident_build(&peer, IDENT_DEST, NULL, pub, pub) == -1)
		abort();
	return 0;
}

static void
check_head(const struct phttp_head *h, const uint8_t *data, size_t len)
{
	if (h->head_len > len || h->head_len < 4 ||
	    h->head_len > PROXY_HTTP_HEAD_MAX ||
	    memcmp(data + h->head_len - 4, "\r\n\r\n", 4) != 0 ||
	    h->nhdrs > PROXY_HTTP_HDRS_MAX)
		abort();
}

/*
 * out must parse again, if it fits the bounds: rewriting adds up to 3
 * headers (and the head may then be over the bound for a server)
 */
static const struct phttp_head *
reparse(struct wbuf *out, int request)
{
	struct phttp_err	err;
	int			rv;

	if (wbuf_len(out) > PROXY_HTTP_HEAD_MAX ||
	    head.nhdrs > PROXY_HTTP_HDRS_MAX - 3)
		return NULL;
	rv = request ? phttp_req_parse(wbuf_data(out), wbuf_len(out), &again,
	    &err) : phttp_resp_parse(wbuf_data(out), wbuf_len(out), 0, &again,
	    &err);
	if (rv != PHTTP_OK || again.head_len != wbuf_len(out))
		abort();
	return &again;
}

static void
proxy_side(void)
{
	static const char	*const gone[] = { "Via", "From", "Forwarded",
	    "X-Real-IP", "Proxy", "Keep-Alive", "TE", "Upgrade", "DNT",
	    "Accept", "Accept-Language" };
	const struct phttp_head	*h;
	struct wbuf		 out;
	size_t			 i;

	/* head_len + PROXY_HTTP_ADD_MAX is always room enough */
	if (wbuf_init_dynamic(&out, 1024, head.head_len +
	    PROXY_HTTP_ADD_MAX) == -1)
		abort();
	if (phttp_proxy_request(&head, &target, path, 1, &out) == -1)
		abort();
	out.len = 0;
	if (phttp_proxy_request(&head, &target, path, 0, &out) == -1)
		abort();
	if ((h = reparse(&out, 1)) != NULL) {
		for (i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
			if (phttp_header(h, gone[i]) != NULL)
				abort();
		for (i = 0; i < h->nhdrs; i++)
			if (phttp_name_prefix(h->hdrs[i].name, "X-Forwarded-") ||
			    phttp_name_prefix(h->hdrs[i].name, "Proxy-"))
				abort();
		if (phttp_header_count(h, "User-Agent") != 1 ||
		    strcmp(phttp_header(h, "User-Agent"),
		    PROXY_HTTP_USER_AGENT) != 0 ||
		    phttp_header_count(h, "Connection") != 1 || h->keep_alive)
			abort();
	}
	wbuf_free(&out);
}

static void
server_side(void)
{
	const struct phttp_head	*h;
	struct wbuf		 out;
	size_t			 i, n = 0;

	if (wbuf_init_dynamic(&out, 1024, head.head_len +
	    PROXY_HTTP_ADD_MAX) == -1)
		abort();
	if (phttp_server_request(&head, &peer, NULL, &out) == -1)
		abort();
	if ((h = reparse(&out, 1)) != NULL) {
		for (i = 0; i < h->nhdrs; i++)
			n += phttp_name_prefix(h->hdrs[i].name, "X-I2P-");
		if (n != 3 || phttp_header_count(h, "X-I2P-DestB32") != 1)
			abort();
	}
	wbuf_free(&out);
}

/* a CONNECT toward an outproxy fits and parses again */
static void
connect_side(void)
{
	struct phttp_err	err;
	struct wbuf		out;

	if (wbuf_init_dynamic(&out, 256, PROXY_HTTP_ADD_MAX) == -1)
		abort();
	if (phttp_connect_request(&target, &out) == -1 ||
	    phttp_req_parse(wbuf_data(&out), wbuf_len(&out), &again, &err) !=
	    PHTTP_OK || strcmp(again.method, "CONNECT") != 0)
		abort();
	wbuf_free(&out);
}

static void
one_request(const uint8_t *data, size_t len)
{
	struct phttp_err	err;
	struct i2p_ident	helper;

	if (phttp_req_parse(data, len, &head, &err) != PHTTP_OK) {
		if (err.status == 0 && len >= PROXY_HTTP_HEAD_MAX)
			abort();
		return;
	}
	check_head(&head, data, len);
	(void)phttp_auth_check(&head, "user", "pass");
	server_side();
	if (phttp_target_parse(&head, &target, &err) == -1)
		return;
	(void)phttp_host_classify(target.host, &host);
	if (target.connect) {
		connect_side();
		return;
	}
	if (phttp_helper_strip(target.path, path, sizeof(path), &helper) ==
	    -1)
		return;
	proxy_side();
}

static void
one_response(const uint8_t *data, size_t len)
{
	struct phttp_err	 err;
	const struct phttp_head	*h;
	struct wbuf		 out;

	if (phttp_resp_parse(data, len, len & 1, &head, &err) != PHTTP_OK)
		return;
	check_head(&head, data, len);
	if (wbuf_init_dynamic(&out, 1024, PROXY_HTTP_HEAD_MAX) == -1)
		abort();
	if (phttp_server_response(&head, &out) == 0 &&
	    (h = reparse(&out, 0)) != NULL && (phttp_header(h, "Server") ||
	    phttp_header(h, "Date") || phttp_header(h, "X-Powered-By")))
		abort();
	out.len = 0;
	if (phttp_proxy_response(&head, 1, &out) == 0 &&
	    (h = reparse(&out, 0)) != NULL &&
	    (phttp_header_count(h, "Connection") != 1 ||
	    phttp_header(h, "Keep-Alive") != NULL))
		abort();
	wbuf_free(&out);
}

static void
one_chunked(const uint8_t *data, size_t len)
{
	struct phttp_chunk	c;
	size_t			off = 0, step, used;
	int			rv = 0;

	phttp_chunk_init(&c);
	step = len > 0 ? data[0] % 64 + 1 : 1;
	while (off < len && rv == 0) {
		size_t	n = len - off < step ? len - off : step;

		if ((rv = phttp_chunk_scan(&c, data + off, n, &used)) >= 0 &&
		    used > n)
			abort();
		if (rv == 0 && used != n)
			abort();
		off += n;
	}
}

/* data as a NUL-terminated string of at most max bytes; NULs cut it */
static char *
string(const uint8_t *data, size_t len, size_t max)
{
	char	*s;

	if (len > max)
		len = max;
	if ((s = malloc(len + 1)) == NULL)
		abort();
	memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

static void
one_path(const uint8_t *data, size_t len)
{
	struct i2p_ident	 helper;
	char			*s = string(data, len, PROXY_HTTP_LINE_MAX);

	(void)phttp_confirm_parse(&key, s, 1796648430, &confirm);
	(void)phttp_helper_strip(s, path, sizeof(path), &helper);
	(void)phttp_host_classify(s, &host);
	free(s);
}

static void
one_page(const uint8_t *data, size_t len)
{
	struct phttp_err	 err;
	struct wbuf		 out;
	char			*s = string(data, len, 4096);
	static const char	*const jumps[] = { "http://j.i2p/?a=" };
	struct phttp_jumps	 j = { jumps, 1 };

	if (wbuf_init_dynamic(&out, 1024, 256 * 1024) == -1)
		abort();
	if (phttp_page(&out, PHTTP_PAGE_UNKNOWN_HOST, 0, s, s, &j) == -1 ||
	    phttp_resp_parse(wbuf_data(&out), wbuf_len(&out), 0, &head,
	    &err) != PHTTP_OK || head.content_length != wbuf_len(&out) -
	    head.head_len)
		abort();
	wbuf_free(&out);
	free(s);
}

/* the heads it took lie within the bound; a final status or none */
static void
one_outproxy(const uint8_t *data, size_t len)
{
	struct phttp_err	 err;
	size_t			 max, head_len = 0;
	int			 status = 0;

	if (len == 0)
		return;
	max = 64 + (size_t)data[0] * 64;
	if (phttp_connect_status(data + 1, len - 1, max, &status, &head_len,
	    &err) != PHTTP_OK)
		return;
	if (head_len > len - 1 || head_len > max || head_len < 4 ||
	    (status != 101 && (status < 200 || status > 999)) ||
	    memcmp(data + 1 + head_len - 4, "\r\n\r\n", 4) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	if (len == 0)
		return 0;
	switch (data[0] % 6) {
	case 0: one_request(data + 1, len - 1); break;
	case 1: one_response(data + 1, len - 1); break;
	case 2: one_chunked(data + 1, len - 1); break;
	case 3: one_path(data + 1, len - 1); break;
	case 4: one_page(data + 1, len - 1); break;
	case 5: one_outproxy(data + 1, len - 1); break;
	}
	return 0;
}
