/*
 * What the proxy answers itself: error pages that say what happened
 * (and, for an unknown name, where to look it up), the address helper's
 * confirmation page, the redirect after a confirm.  Each is a complete
 * response with Connection: close.  Everything that came from a request
 * is HTML-escaped, and percent-encoded where it goes into a URL: a page
 * of ours must never run a script someone put in a link.
 *
 * And the writers the rewriting modules share.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "proxy_http.h"

/* a page body never grows past this */
#define PAGE_MAX	(64 * 1024)

struct page_text {
	int		 status;
	const char	*title;
	const char	*text;
};

/* in the order of enum phttp_page */
static const struct page_text texts[] = {
	{ 400, "Bad request", "The proxy could not understand the "
	    "request your browser sent." },
	{ 404, "Unknown host", "This name is not in your address book. "
	    "A jump service may know it; after it, the page asks you to "
	    "confirm the name." },
	{ 504, "Site not found", "The site's LeaseSet could not be found "
	    "in the network database: the site may be down, or not yet "
	    "published.  Try again in a minute." },
	{ 502, "Site unreachable", "The site's LeaseSet was found, but the "
	    "site did not answer through its tunnels." },
	{ 504, "Timeout", "The site did not answer in time." },
	{ 503, "No outproxy", "This address is not in I2P and no outproxy "
	    "is configured: the proxy does not go to the Internet." },
	{ 407, "Authentication required", "This proxy needs a user name "
	    "and a password." },
	{ 403, "Forbidden", "The proxy does not allow this request." },
	{ 403, "Confirmation invalid", "This address helper confirmation "
	    "is invalid or expired.  Follow the original link again and "
	    "confirm on the page it shows." },
	{ 502, "Outproxy failed", "This address is not in I2P: the "
	    "request went to the proxy's outproxy, which could not be "
	    "reached or did not answer properly." }
};

int
phttp_put_str(struct wbuf *out, const char *s)
{
	return wbuf_put_bytes(out, s, strlen(s));
}

int
phttp_put_header(struct wbuf *out, const char *name, const char *value)
{
	phttp_put_str(out, name);
	phttp_put_str(out, ": ");
	phttp_put_str(out, value);
	return phttp_put_str(out, "\r\n");
}

int
phttp_put_status_line(struct wbuf *out, const struct phttp_head *h)
{
	char	line[32];

	if (h->request || h->status < 100 || h->status > 999)
		return -1;
	snprintf(line, sizeof(line), "HTTP/1.%d %03d ", h->minor, h->status);
	phttp_put_str(out, line);
	phttp_put_str(out, h->reason);
	return phttp_put_str(out, "\r\n");
}

int
phttp_connect_reply(struct wbuf *out)
{
	return phttp_put_str(out, "HTTP/1.1 200 Connection established\r\n"
	    "\r\n");
}

int
phttp_name_prefix(const char *name, const char *prefix)
{
	return strncasecmp(name, prefix, strlen(prefix)) == 0;
}

int
phttp_put_escaped(struct wbuf *out, const char *s)
{
	const char	*e;

	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default:
			wbuf_put_u8(out, *s);
			continue;
		}
		phttp_put_str(out, e);
	}
	return wbuf_error(out) ? -1 : 0;
}

/* s percent-encoded but for unreserved characters (RFC 3986 2.3) */
static int
put_urlenc(struct wbuf *out, const char *s)
{
	char	hex[4];

	for (; *s != '\0'; s++) {
		if (isalnum((unsigned char)*s) || strchr("-._~", *s) != NULL) {
			wbuf_put_u8(out, *s);
			continue;
		}
		snprintf(hex, sizeof(hex), "%%%02X", (unsigned char)*s);
		phttp_put_str(out, hex);
	}
	return wbuf_error(out) ? -1 : 0;
}

static void
put_jumps(struct wbuf *b, const char *host, const struct phttp_jumps *j)
{
	size_t	i;

	if (j == NULL || j->n == 0 || host == NULL)
		return;
	phttp_put_str(b, "<p>Jump services:</p>\n<ul>\n");
	for (i = 0; i < j->n; i++) {
		phttp_put_str(b, "<li><a href=\"");
		phttp_put_escaped(b, j->url[i]);
		put_urlenc(b, host);
		phttp_put_str(b, "\">");
		phttp_put_escaped(b, j->url[i]);
		phttp_put_escaped(b, host);
		phttp_put_str(b, "</a></li>\n");
	}
	phttp_put_str(b, "</ul>\n");
}

static void
put_top(struct wbuf *b, int status, const char *title)
{
	char	code[8];

	snprintf(code, sizeof(code), "%d ", status);
	phttp_put_str(b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	    "<title>");
	phttp_put_str(b, code);
	phttp_put_escaped(b, title);
	phttp_put_str(b, "</title></head>\n<body><h1>");
	phttp_put_escaped(b, title);
	phttp_put_str(b, "</h1>\n");
}

/* status line, the common headers, one more header if name, body */
static int
respond(struct wbuf *out, int status, const char *name, const char *value,
    const struct wbuf *body)
{
	char	line[128];

	if (wbuf_error(body))
		return -1;
	snprintf(line, sizeof(line), "HTTP/1.1 %d %s\r\n", status,
	    phttp_reason(status));
	phttp_put_str(out, line);
	phttp_put_str(out, "Content-Type: text/html; charset=utf-8\r\n");
	snprintf(line, sizeof(line), "Content-Length: %zu\r\n",
	    wbuf_len(body));
	phttp_put_str(out, line);
	phttp_put_str(out, "Cache-Control: no-store\r\n"
	    "Connection: close\r\n");
	if (name != NULL)
		phttp_put_header(out, name, value);
	phttp_put_str(out, "\r\n");
	wbuf_put_bytes(out, wbuf_data(body), wbuf_len(body));
	return wbuf_error(out) ? -1 : 0;
}

int
phttp_page(struct wbuf *out, enum phttp_page page, int status,
    const char *host, const char *detail, const struct phttp_jumps *jumps)
{
	const struct page_text	*t;
	struct wbuf		 b;
	int			 rv;

	if ((size_t)page >= sizeof(texts) / sizeof(texts[0]))
		return -1;
	t = &texts[page];
	if (page != PHTTP_PAGE_BAD_REQUEST || status < 400 || status > 599)
		status = t->status;
	if (wbuf_init_dynamic(&b, 1024, PAGE_MAX) == -1)
		return -1;
	put_top(&b, status, t->title);
	phttp_put_str(&b, "<p>");
	phttp_put_escaped(&b, t->text);
	phttp_put_str(&b, "</p>\n");
	if (host != NULL) {
		phttp_put_str(&b, "<p>Host: <code>");
		phttp_put_escaped(&b, host);
		phttp_put_str(&b, "</code></p>\n");
	}
	if (detail != NULL) {
		phttp_put_str(&b, "<p>");
		phttp_put_escaped(&b, detail);
		phttp_put_str(&b, "</p>\n");
	}
	if (page == PHTTP_PAGE_UNKNOWN_HOST)
		put_jumps(&b, host, jumps);
	phttp_put_str(&b, "</body></html>\n");
	if (page == PHTTP_PAGE_AUTH)
		rv = respond(out, status, "Proxy-Authenticate",
		    "Basic realm=\"i2prd\"", &b);
	else
		rv = respond(out, status, NULL, NULL, &b);
	wbuf_free(&b);
	return rv;
}

static void
put_hidden(struct wbuf *b, const char *name, const char *value)
{
	phttp_put_str(b, "<input type=\"hidden\" name=\"");
	phttp_put_str(b, name);
	phttp_put_str(b, "\" value=\"");
	phttp_put_escaped(b, value);
	phttp_put_str(b, "\">\n");
}

/* what the helper page says the name is now, if it is known */
static void
put_known(struct wbuf *b, const char *name, const struct i2p_ident *known)
{
	char	b32[I2P_B32_NAMESZ];

	if (known == NULL || ident_b32(known, b32, sizeof(b32)) == -1)
		return;
	phttp_put_str(b, "<p><b>Your address book already has ");
	phttp_put_escaped(b, name);
	phttp_put_str(b, " for another destination, <code>");
	phttp_put_str(b, b32);
	phttp_put_str(b, "</code>: confirming replaces it.  A link that "
	    "changes a name you know may be an attack.</b></p>\n");
}

int
phttp_page_helper(struct wbuf *out, const char *name,
    const struct i2p_ident *dest, const struct i2p_ident *known,
    const char *nonce, const char *url)
{
	char		 b32[I2P_B32_NAMESZ], b64[B64_ENCLEN(I2P_IDENT_MAXLEN)];
	struct wbuf	 b;
	int		 rv;

	if (ident_b32(dest, b32, sizeof(b32)) == -1 ||
	    ident_to_b64(dest, b64, sizeof(b64)) == -1 ||
	    wbuf_init_dynamic(&b, 4096, PAGE_MAX) == -1)
		return -1;
	put_top(&b, 200, "Add a name to the address book?");
	phttp_put_str(&b, "<p>The link you followed asks to add the name "
	    "<b>");
	phttp_put_escaped(&b, name);
	phttp_put_str(&b, "</b> for the destination <code>");
	phttp_put_str(&b, b32);
	phttp_put_str(&b, "</code>.  Confirm only if you trust the site "
	    "that gave you the link.</p>\n");
	put_known(&b, name, known);
	phttp_put_str(&b, "<form method=\"get\" action=\"http://"
	    PROXY_HTTP_LOCAL_HOST "/add\">\n");
	put_hidden(&b, "name", name);
	put_hidden(&b, "dest", b64);
	put_hidden(&b, "nonce", nonce);
	put_hidden(&b, "url", url);
	phttp_put_str(&b, "<button type=\"submit\">Add ");
	phttp_put_escaped(&b, name);
	phttp_put_str(&b, " and go on</button>\n</form>\n<p><a href=\"http://");
	phttp_put_str(&b, b32);
	phttp_put_str(&b, "/\">Visit without adding</a></p>\n"
	    "</body></html>\n");
	rv = respond(out, 200, NULL, NULL, &b);
	wbuf_free(&b);
	return rv;
}

int
phttp_page_redirect(struct wbuf *out, const char *location)
{
	struct wbuf	 b;
	const char	*p;
	int		 rv;

	/* a CR or LF in Location would split the response */
	for (p = location; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return -1;
	if (wbuf_init_dynamic(&b, 1024, PAGE_MAX) == -1)
		return -1;
	put_top(&b, 302, "Found");
	phttp_put_str(&b, "<p><a href=\"");
	phttp_put_escaped(&b, location);
	phttp_put_str(&b, "\">Go on</a></p>\n</body></html>\n");
	rv = respond(out, 302, "Location", location, &b);
	wbuf_free(&b);
	return rv;
}
