/*
 * The address helper (naming.html "Addresshelper"): the
 * i2paddresshelper= parameter a link carries, and the confirm request
 * our confirmation page sends to http://proxy.i2p/add (its nonce is made
 * and checked in proxy_http_nonce.c).  And the percent-decoding both
 * need.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "proxy_http.h"

int
phttp_hexval(uint8_t c)
{
	if (isdigit(c))
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int
phttp_unescape(const void *p, size_t n, int form, char *out, size_t outsz)
{
	struct rbuf	 rb;
	uint8_t		 c, h[2];
	size_t		 o = 0;

	rbuf_init(&rb, p, n);
	while (rbuf_get_u8(&rb, &c) == 0) {
		if (c == '%') {
			if (rbuf_get_bytes(&rb, h, 2) == -1 ||
			    phttp_hexval(h[0]) < 0 || phttp_hexval(h[1]) < 0)
				return -1;
			c = phttp_hexval(h[0]) * 16 + phttp_hexval(h[1]);
		} else if (c == '+' && form)
			c = ' ';
		if (c == '\0' || o + 1 >= outsz)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

static int
append(char *out, size_t outsz, size_t *o, const void *p, size_t n)
{
	if (*o + n >= outsz)
		return -1;
	memcpy(out + *o, p, n);
	*o += n;
	out[*o] = '\0';
	return 0;
}

#define HELPER_KEY	"i2paddresshelper="

/* the query's parameters but the helper into out; the helper to dest */
static int
strip_query(struct rbuf *rb, char *out, size_t outsz, size_t *o,
    struct i2p_ident *dest)
{
	char		 b64[PROXY_HTTP_HOST_MAX + 1];
	const uint8_t	*p;
	size_t		 n, kl = strlen(HELPER_KEY), kept = 0;
	int		 found = 0;

	do {
		phttp_take_until(rb, "&", &p, &n);
		if (n >= kl && memcmp(p, HELPER_KEY, kl) == 0) {
			if (found++ || phttp_unescape(p + kl, n - kl, 0,
			    b64, sizeof(b64)) == -1 || ident_from_b64(dest, b64,
			    IDENT_DEST, NULL) == -1)
				return -1;
			continue;
		}
		if (append(out, outsz, o, kept++ ? "&" : "?", 1) == -1 ||
		    append(out, outsz, o, p, n) == -1)
			return -1;
	} while (phttp_next_is(rb, '&'));
	return found;
}

int
phttp_helper_strip(const char *path, char *out, size_t outsz,
    struct i2p_ident *dest)
{
	struct rbuf	 rb;
	const uint8_t	*p;
	size_t		 n, o = 0;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	rbuf_init(&rb, path, strlen(path));
	phttp_take_until(&rb, "?", &p, &n);
	if (append(out, outsz, &o, p, n) == -1)
		return -1;
	if (!phttp_next_is(&rb, '?'))
		return 0;
	return strip_query(&rb, out, outsz, &o, dest);
}

/* one key=value of a confirm query, decoded into its field */
static int
confirm_param(const uint8_t *p, size_t n, struct phttp_confirm *c,
    char *b64, size_t b64sz, unsigned *seen)
{
	const struct {
		const char	*key;
		char		*field;
		size_t		 size;
	} params[] = {
		{ "name", c->name, sizeof(c->name) },
		{ "dest", b64, b64sz },
		{ "nonce", c->nonce, sizeof(c->nonce) },
		{ "url", c->url, sizeof(c->url) }
	};
	const uint8_t	*eq;
	size_t		 i, kl;

	if ((eq = memchr(p, '=', n)) == NULL)
		return -1;
	kl = eq - p;
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		if (kl != strlen(params[i].key) ||
		    memcmp(p, params[i].key, kl) != 0)
			continue;
		if (*seen & (1U << i))
			return -1;
		*seen |= 1U << i;
		return phttp_unescape(eq + 1, n - kl - 1, 1, params[i].field,
		    params[i].size);
	}
	return -1;
}

/* a URL to redirect to: http://, no control characters */
static int
valid_url(const char *u)
{
	if (strncmp(u, "http://", 7) != 0)
		return 0;
	for (; *u != '\0'; u++)
		if ((unsigned char)*u <= 0x20 || *u == 0x7f)
			return 0;
	return 1;
}

int
phttp_confirm_parse(const struct phttp_nonce_key *key, const char *path,
    time_t now, struct phttp_confirm *c)
{
	char		 b64[PROXY_HTTP_HOST_MAX + 1];
	struct phttp_host *h;
	struct rbuf	 rb;
	const uint8_t	*p;
	size_t		 n;
	unsigned	 seen = 0;
	int		 ok;

	rbuf_init(&rb, path, strlen(path));
	phttp_take_until(&rb, "?", &p, &n);
	if (n != 4 || memcmp(p, "/add", 4) != 0 || !phttp_next_is(&rb, '?'))
		return -1;
	do {
		phttp_take_until(&rb, "&", &p, &n);
		if (confirm_param(p, n, c, b64, sizeof(b64), &seen) == -1)
			return -1;
	} while (phttp_next_is(&rb, '&'));
	if (seen != 0xf || !valid_url(c->url) ||
	    ident_from_b64(&c->dest, b64, IDENT_DEST, NULL) == -1)
		return -1;
	/* a host is big (it holds a destination): not on the stack */
	if ((h = malloc(sizeof(*h))) == NULL)
		return -1;
	ok = phttp_host_classify(c->name, h) == 0 &&
	    h->kind == PHTTP_HOST_NAME && strcmp(h->name, c->name) == 0;
	free(h);
	if (!ok)
		return -1;
	return phttp_nonce_check(key, c->name, c->dest.hash, now, c->nonce);
}
