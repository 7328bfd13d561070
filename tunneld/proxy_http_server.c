/*
 * The HTTP server tunnel's rewriting (i2ptunnel.html "HTTP server";
 * the Java I2PTunnelHTTPServer): the local server learns who is asking
 * from X-I2P-DestB32, X-I2P-DestHash and X-I2P-DestB64, which only we
 * may set, so whatever X-I2P-* the client sent is dropped first; the
 * response loses the headers that fingerprint the server software and
 * its clock.
 */
#include <string.h>
#include <strings.h>

#include "proxy_http.h"

/* responses: what the Java server drops */
static const char *const resp_dropped[] = {
	"Server", "Date", "X-Powered-By", "X-Runtime", "Proxy"
};

static int
request_line(const struct phttp_head *h, struct wbuf *out)
{
	phttp_put_str(out, h->method);
	phttp_put_str(out, " ");
	phttp_put_str(out, h->target);
	return phttp_put_str(out, h->minor == 0 ? " HTTP/1.0\r\n" :
	    " HTTP/1.1\r\n");
}

/* the three headers that say who the peer is */
static int
put_peer(const struct i2p_ident *peer, struct wbuf *out)
{
	char	b32[I2P_B32_NAMESZ];
	char	hash[B64_ENCLEN(I2P_HASH_LEN)];
	char	b64[B64_ENCLEN(I2P_IDENT_MAXLEN)];

	if (ident_b32(peer, b32, sizeof(b32)) == -1 ||
	    b64_encode(hash, sizeof(hash), peer->hash, sizeof(peer->hash)) ==
	    -1 || ident_to_b64(peer, b64, sizeof(b64)) == -1)
		return -1;
	phttp_put_header(out, "X-I2P-DestB32", b32);
	phttp_put_header(out, "X-I2P-DestHash", hash);
	return phttp_put_header(out, "X-I2P-DestB64", b64);
}

int
phttp_server_request(const struct phttp_head *h, const struct i2p_ident *peer,
    const char *host_override, struct wbuf *out)
{
	const struct phttp_hdr	*hd;
	size_t			 i;

	request_line(h, out);
	for (i = 0; i < h->nhdrs; i++) {
		hd = &h->hdrs[i];
		/* httpoxy: a "Proxy" header becomes HTTP_PROXY in CGI */
		if (phttp_name_prefix(hd->name, "X-I2P-") ||
		    strcasecmp(hd->name, "Proxy") == 0)
			continue;
		if (host_override != NULL && strcasecmp(hd->name, "Host") ==
		    0)
			continue;
		phttp_put_header(out, hd->name, hd->value);
	}
	if (host_override != NULL)
		phttp_put_header(out, "Host", host_override);
	if (put_peer(peer, out) == -1)
		return -1;
	phttp_put_str(out, "\r\n");
	return wbuf_error(out) ? -1 : 0;
}

static int
resp_drop(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(resp_dropped) / sizeof(resp_dropped[0]); i++)
		if (strcasecmp(name, resp_dropped[i]) == 0)
			return 1;
	return 0;
}

int
phttp_server_response(const struct phttp_head *h, struct wbuf *out)
{
	size_t	i;

	if (phttp_put_status_line(out, h) == -1)
		return -1;
	for (i = 0; i < h->nhdrs; i++)
		if (!resp_drop(h->hdrs[i].name))
			phttp_put_header(out, h->hdrs[i].name,
			    h->hdrs[i].value);
	phttp_put_str(out, "\r\n");
	return wbuf_error(out) ? -1 : 0;
}
