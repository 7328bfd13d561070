/*
 * The address book's subscriptions as configured: the URLs the parser
 * takes and tunneld fetches (through the same check, so that neither
 * takes what the other refuses), and the IMSG_RECONF_ADDRBOOK check.
 */
#include <bsd/string.h>
#include <stdlib.h>
#include <string.h>

#include "i2prd.h"

/* printable ASCII without spaces: nothing to inject into a request */
static int
url_text_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s <= 0x20 || *s > 0x7e)
			return 0;
	return 1;
}

int
sub_url_split(const char *url, char *host, size_t hostsz, const char **path,
    const char **why)
{
	const char	*h, *slash;
	size_t		 n;

	*why = "not an http:// URL";
	if (strncmp(url, "http://", 7) != 0)
		return -1;
	h = url + 7;
	slash = strchr(h, '/');
	n = slash != NULL ? (size_t)(slash - h) : strlen(h);
	*why = "bad host";
	if (n == 0 || n >= hostsz)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	*path = slash != NULL ? slash : "/";
	return 0;
}

/* HOST[:PORT] is an I2P name with a port in range, if any */
static int
host_ok(char *host)
{
	char	*colon;
	long	 port;
	size_t	 n;

	if ((colon = strchr(host, ':')) != NULL) {
		if (colon[1] == '\0' || strlen(colon + 1) > 5 ||
		    strspn(colon + 1, "0123456789") != strlen(colon + 1))
			return 0;
		port = strtol(colon + 1, NULL, 10);
		if (port < 1 || port > 65535)
			return 0;
		*colon = '\0';
	}
	n = strlen(host);
	return n > 4 && strcmp(host + n - 4, ".i2p") == 0 &&
	    strspn(host, "abcdefghijklmnopqrstuvwxyz0123456789.-") == n;
}

int
sub_url_check(const char *url, const char **why)
{
	char		 host[SUB_URL_MAX + 1];
	const char	*path;

	*why = "URL too long or not printable";
	if (strlen(url) > SUB_URL_MAX || !url_text_ok(url))
		return -1;
	if (sub_url_split(url, host, sizeof(host), &path, why) == -1)
		return -1;
	*why = "not an I2P host";
	return host_ok(host) ? 0 : -1;
}

int
addrbook_conf_check(const struct addrbook_conf *ac)
{
	const char	*why;
	int		 i, j;

	if (ac->every < SUB_EVERY_MIN || ac->every > SUB_EVERY_MAX ||
	    ac->nsubs < 0 || ac->nsubs > SUBS_MAX ||
	    memchr(ac->proxy, '\0', sizeof(ac->proxy)) == NULL ||
	    (ac->proxy[0] != '\0' && !dest_name_ok(ac->proxy)))
		return -1;
	for (i = 0; i < ac->nsubs; i++) {
		if (memchr(ac->subs[i], '\0', sizeof(ac->subs[i])) == NULL ||
		    sub_url_check(ac->subs[i], &why) == -1)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(ac->subs[i], ac->subs[j]) == 0)
				return -1;
	}
	return 0;
}
