/*
 * The HTTP proxy's rewriting of a browser's request before it enters
 * I2P (i2ptunnel.html "HTTP client"; what the Java I2PTunnelHTTPClient
 * and i2pd's HTTPProxy do): nothing that identifies the browser, its
 * machine or the page it came from leaves, and one request goes per
 * stream (Connection: close), as i2pd does.  So Upgrade goes too: no
 * WebSocket through the proxy (i2pd passes "Connection: upgrade").  And the check of the
 * proxy's optional Basic authentication (RFC 7617).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proxy_http.h"

/*
 * Dropped whatever their value: replaced by us (Host, User-Agent,
 * Connection), identifying (Via, From, Forwarded, X-Real-IP, DNT, which
 * few send), hop-by-hop (Keep-Alive, TE, Upgrade; RFC 9110 7.6.1), and
 * Proxy (httpoxy).
 */
static const char *const dropped[] = {
	"Host", "User-Agent", "Connection", "Via", "From", "Forwarded",
	"X-Real-IP", "DNT", "Keep-Alive", "TE", "Upgrade", "Proxy"
};
/*
 * and every header starting with these: Accept-Language and the other
 * Accept* headers differ from browser to browser and from user to
 * user (i2pd drops them too); Accept-Encoding is kept below
 */
static const char *const dropped_prefix[] = {
	"X-Forwarded-", "Proxy-", "Accept"
};

/* framing headers stay even when Connection names them */
static int
framing_header(const char *name)
{
	return strcasecmp(name, "Content-Length") == 0 ||
	    strcasecmp(name, "Transfer-Encoding") == 0;
}

static int
drop(const struct phttp_head *h, const struct phttp_target *t,
    const struct phttp_hdr *hd)
{
	size_t	i;

	if (strcasecmp(hd->name, "Accept-Encoding") == 0)
		return 0;
	/* Android's WebView puts its application's ID here; XHR is kept */
	if (strcasecmp(hd->name, "X-Requested-With") == 0)
		return strstr(hd->value, "HttpRequest") == NULL;
	for (i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++)
		if (strcasecmp(hd->name, dropped[i]) == 0)
			return 1;
	for (i = 0; i < sizeof(dropped_prefix) / sizeof(dropped_prefix[0]);
	    i++)
		if (phttp_name_prefix(hd->name, dropped_prefix[i]))
			return 1;
	if (strcasecmp(hd->name, "Referer") == 0)
		return !phttp_same_origin(hd->value, t);
	/* what the client names in Connection is for the proxy only */
	return !framing_header(hd->name) &&
	    phttp_header_has(h, "Connection", hd->name);
}

/* host[:port], the port if not 80 or if always; IPv6 in brackets */
static int
put_authority(struct wbuf *out, const struct phttp_target *t, int always)
{
	char	port[8];

	if (t->ipv6)
		phttp_put_str(out, "[");
	phttp_put_str(out, t->host);
	if (t->ipv6)
		phttp_put_str(out, "]");
	if (t->port != 80 || always) {
		snprintf(port, sizeof(port), ":%u", t->port);
		phttp_put_str(out, port);
	}
	return wbuf_error(out) ? -1 : 0;
}

static int
request_line(const struct phttp_head *h, const struct phttp_target *t,
    const char *path, int absolute, struct wbuf *out)
{
	phttp_put_str(out, h->method);
	phttp_put_str(out, " ");
	if (absolute) {
		phttp_put_str(out, "http://");
		put_authority(out, t, 0);
	}
	phttp_put_str(out, path);
	phttp_put_str(out, h->minor == 0 ? " HTTP/1.0\r\n" :
	    " HTTP/1.1\r\n");
	phttp_put_str(out, "Host: ");
	put_authority(out, t, 0);
	return phttp_put_str(out, "\r\n");
}

int
phttp_proxy_request(const struct phttp_head *h, const struct phttp_target *t,
    const char *path, int absolute, struct wbuf *out)
{
	size_t	i;

	if (t->connect || path[0] != '/')
		return -1;
	request_line(h, t, path, absolute, out);
	for (i = 0; i < h->nhdrs; i++)
		if (!drop(h, t, &h->hdrs[i]))
			phttp_put_header(out, h->hdrs[i].name,
			    h->hdrs[i].value);
	phttp_put_header(out, "User-Agent", PROXY_HTTP_USER_AGENT);
	phttp_put_header(out, "Connection", "close");
	phttp_put_str(out, "\r\n");
	return wbuf_error(out) ? -1 : 0;
}

/*
 * A CONNECT toward an outproxy: the target and nothing of the browser's
 * headers (its Proxy-Authorization was for us, not for the outproxy).
 */
int
phttp_connect_request(const struct phttp_target *t, struct wbuf *out)
{
	if (!t->connect)
		return -1;
	phttp_put_str(out, "CONNECT ");
	put_authority(out, t, 1);
	phttp_put_str(out, " HTTP/1.1\r\nHost: ");
	put_authority(out, t, 1);
	phttp_put_str(out, "\r\n");
	phttp_put_header(out, "User-Agent", PROXY_HTTP_USER_AGENT);
	phttp_put_str(out, "\r\n");
	return wbuf_error(out) ? -1 : 0;
}

/* hop-by-hop headers of a response, ours to set toward the browser */
static int
resp_hop(const struct phttp_head *h, const char *name)
{
	return strcasecmp(name, "Connection") == 0 ||
	    strcasecmp(name, "Keep-Alive") == 0 ||
	    strcasecmp(name, "Proxy-Connection") == 0 ||
	    (!framing_header(name) && phttp_header_has(h, "Connection", name));
}

int
phttp_proxy_response(const struct phttp_head *h, int keep_alive,
    struct wbuf *out)
{
	size_t	i;

	if (phttp_put_status_line(out, h) == -1)
		return -1;
	for (i = 0; i < h->nhdrs; i++)
		if (!resp_hop(h, h->hdrs[i].name))
			phttp_put_header(out, h->hdrs[i].name,
			    h->hdrs[i].value);
	/* a body that ends with the stream ends the browser's connection */
	keep_alive = keep_alive && h->body != PHTTP_BODY_CLOSE;
	phttp_put_header(out, "Connection", keep_alive ? "keep-alive" :
	    "close");
	phttp_put_str(out, "\r\n");
	return wbuf_error(out) ? -1 : 0;
}

/* "Basic" SP token68 in the standard base64 alphabet, decoded */
static int
basic_decode(const char *v, char *out, size_t outsz)
{
	char	b64[512];
	size_t	i, n;
	int	len;

	if (strncasecmp(v, "Basic ", 6) != 0)
		return -1;
	v += 6;
	while (*v == ' ')
		v++;
	if ((n = strlen(v)) >= sizeof(b64))
		return -1;
	/* our decoder knows I2P's alphabet: '-' and '~' for '+' and '/' */
	for (i = 0; i < n; i++) {
		if (v[i] == '-' || v[i] == '~')
			return -1;
		b64[i] = v[i];
		if (v[i] == '+')
			b64[i] = '-';
		else if (v[i] == '/')
			b64[i] = '~';
	}
	b64[n] = '\0';
	if ((len = b64_decode(out, outsz - 1, b64, n)) < 0)
		return -1;
	out[len] = '\0';
	return len;
}

int
phttp_auth_check(const struct phttp_head *h, const char *user,
    const char *pass)
{
	uint8_t		 got[SHA256_LEN], want[SHA256_LEN];
	char		 cred[384], expect[384];
	const char	*v;
	int		 len, n, ok;

	if (phttp_header_count(h, "Proxy-Authorization") != 1)
		return -1;
	v = phttp_header(h, "Proxy-Authorization");
	if ((len = basic_decode(v, cred, sizeof(cred))) < 0)
		return -1;
	n = snprintf(expect, sizeof(expect), "%s:%s", user, pass);
	/* digests compared so that neither length nor bytes leak */
	ok = n > 0 && (size_t)n < sizeof(expect) &&
	    sha256(got, cred, len) == 0 && sha256(want, expect, n) == 0 &&
	    crypto_memcmp(got, want, sizeof(got)) == 0;
	crypto_wipe(cred, sizeof(cred));
	crypto_wipe(expect, sizeof(expect));
	return ok ? 0 : -1;
}
