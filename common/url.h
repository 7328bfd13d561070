/*
 * Reseed URLs (reseed url "https://..."): the scheme must be https;
 * the host a DNS name, an IPv4 literal or a bracketed IPv6 literal.
 */
#ifndef I2PRD_URL_H
#define I2PRD_URL_H

#include <stdint.h>

#define URL_MAX		512
#define URL_HOST_MAX	253
#define URL_PATH_MAX	400

struct url {
	char		 host[URL_HOST_MAX + 1];	/* no brackets */
	uint16_t	 port;				/* 443 if not given */
	char		 path[URL_PATH_MAX + 1];	/* begins with / */
	int		 ipv6;				/* host is [literal] */
};

/* 0, or -1 with a reason */
int	 url_parse(const char *, struct url *, const char **why);
/*
 * The path to request from a reseed URL: the su3 file it names, or
 * i2pseeds.su3 in the directory it names, with ?netid=N (proposal 147).
 */
int	 url_reseed_path(const struct url *, int netid, char *, size_t);

#endif /* I2PRD_URL_H */
