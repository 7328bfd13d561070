/*
 * Reseed URLs, parsed strictly: what the operator configures and the
 * parent hands to netd, so netd can connect, name the host in the TLS
 * handshake and check the certificate against it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

static int
host_char(int c)
{
	return isalnum(c) || c == '-' || c == '.';
}

static int
path_char(int c)
{
	return c > ' ' && c < 0x7f && c != '#' && c != '?';
}

/* the host (and brackets) from s; where it ends, or NULL */
static const char *
get_host(const char *s, struct url *u, const char **why)
{
	const char	*end;
	size_t		 n;

	*why = "bad host";
	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL)
			return NULL;
		n = end - (s + 1);
		if (n == 0 || n > 45 || strspn(s + 1, "0123456789abcdefABCDEF:.")
		    < n)
			return NULL;
		memcpy(u->host, s + 1, n);
		u->host[n] = '\0';
		u->ipv6 = 1;
		return end + 1;
	}
	for (n = 0; host_char((unsigned char)s[n]); n++)
		;
	if (n == 0 || n > URL_HOST_MAX || s[0] == '.' || s[0] == '-')
		return NULL;
	memcpy(u->host, s, n);
	u->host[n] = '\0';
	return s + n;
}

int
url_parse(const char *s, struct url *u, const char **why)
{
	unsigned long	 port = 443;
	char		*end;
	size_t		 n;

	memset(u, 0, sizeof(*u));
	*why = "too long";
	if (strlen(s) > URL_MAX)
		return -1;
	*why = "not an https:// URL";
	if (strncmp(s, "https://", 8) != 0)
		return -1;
	if ((s = get_host(s + 8, u, why)) == NULL)
		return -1;
	if (*s == ':') {
		*why = "bad port";
		if (!isdigit((unsigned char)s[1]))
			return -1;
		port = strtoul(s + 1, &end, 10);
		if (port < 1 || port > 65535)
			return -1;
		s = end;
	}
	u->port = port;
	if (*s == '\0')
		s = "/";
	*why = "bad path";
	n = strlen(s);
	if (*s != '/' || n > URL_PATH_MAX)
		return -1;
	for (end = (char *)s; *end != '\0'; end++)
		if (!path_char((unsigned char)*end))
			return -1;
	memcpy(u->path, s, n + 1);
	return 0;
}

int
url_reseed_path(const struct url *u, int netid, char *buf, size_t len)
{
	size_t	n = strlen(u->path);
	int	rv;

	if (n >= 4 && strcmp(u->path + n - 4, ".su3") == 0)
		rv = snprintf(buf, len, "%s?netid=%d", u->path, netid);
	else
		rv = snprintf(buf, len, "%s%si2pseeds.su3?netid=%d", u->path,
		    u->path[n - 1] == '/' ? "" : "/", netid);
	return rv < 0 || (size_t)rv >= len ? -1 : 0;
}
