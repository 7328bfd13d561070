/*
 * The configuration object shared by the parent (which parses it) and the
 * children (which receive it as RECONF messages), and the names of the
 * processes.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <bsd/string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "i2prd.h"

struct proc_names {
	const char	*name;
	const char	*progname;
	const char	*dir;
};

static const struct proc_names proc_names[PROC_MAX] = {
	[PROC_PARENT] =		{ "parent",	"i2prd",		NULL },
	[PROC_NETD] =		{ "netd",	"i2prd-netd",		DIR_EMPTY },
	[PROC_CRYPTOD] =	{ "cryptod",	"i2prd-cryptod",	DIR_KEYS },
	[PROC_ROUTERD] =	{ "routerd",	"i2prd-routerd",	DIR_ROUTER },
	[PROC_TUNNELD] =	{ "tunneld",	"i2prd-tunneld",	DIR_CLIENT },
	[PROC_CONTROL] =	{ "control",	"i2pctl",		NULL },
};

struct i2prd_conf *
conf_new(void)
{
	struct i2prd_conf	*conf;

	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		return NULL;
	strlcpy(conf->statedir, I2PRD_STATEDIR, sizeof(conf->statedir));
	strlcpy(conf->user, I2PRD_USER, sizeof(conf->user));
	strlcpy(conf->csock, I2PRD_SOCKET, sizeof(conf->csock));
	strlcpy(conf->pidfile, I2PRD_PIDFILE, sizeof(conf->pidfile));
	conf->netid = I2PRD_NETID_DEFAULT;
	conf->floodfill = 0;
	conf->ff_lookup_rate = FF_LOOKUP_RATE;
	conf->ff_lookup_burst = FF_LOOKUP_BURST;
	conf->expl_in_length = conf->expl_out_length = EXPL_LENGTH;
	conf->expl_in_quantity = conf->expl_out_quantity = EXPL_QUANTITY;
	conf->transit_max = TRANSIT_MAX_DEFAULT;
	conf->transit_rate = TRANSIT_BUILD_RATE;
	conf->transit_burst = TRANSIT_BUILD_BURST;
	conf->share = SHARE_DEFAULT;
	conf->log_level = LOG_INFO;
	conf->addrbook.every = SUB_EVERY_DEFAULT;
	strlcpy(conf->reseed_certdir, I2PRD_RESEEDDIR,
	    sizeof(conf->reseed_certdir));
	strlcpy(conf->reseed_ca, I2PRD_RESEED_CA, sizeof(conf->reseed_ca));
	TAILQ_INIT(&conf->listen);
	return conf;
}

/*
 * A signer ID (an e-mail style certificate common name): printable,
 * no spaces or '/', which would not survive i2pd's parsing or ours
 */
int
id_printable(const char *id)
{
	if (*id == '\0')
		return 0;
	for (; *id != '\0'; id++)
		if (*id <= ' ' || *id > '~' || *id == '/')
			return 0;
	return 1;
}

int
reseed_signer_ok(const char *id)
{
	return strlen(id) <= RESEED_SIGNER_MAX && id_printable(id);
}

/*
 * A destination's name: it stands for the destination's key across
 * restarts in tunneld's state and shows in i2pctl's output, so only
 * characters that no file or output has to escape, and no leading '.'
 * (never ".", ".." or a hidden file, should it name one).  Reads at
 * most DEST_NAME_MAX + 1 bytes.
 */
int
dest_name_ok(const char *name)
{
	size_t	 i;
	char	 c;

	for (i = 0; (c = name[i]) != '\0'; i++) {
		if (i == DEST_NAME_MAX)
			return 0;
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '-' && c != '_' &&
		    c != '.')
			return 0;
	}
	return i > 0 && name[0] != '.';
}

void
conf_free(struct i2prd_conf *conf)
{
	struct listen_addr	*la;

	if (conf == NULL)
		return;
	while ((la = TAILQ_FIRST(&conf->listen)) != NULL) {
		TAILQ_REMOVE(&conf->listen, la, entry);
		free(la);
	}
	free(conf);
}

/* Appends a copy; returns -1 if out of memory. */
int
conf_add_listen(struct i2prd_conf *conf, const struct sockaddr_storage *ss,
    enum listen_transport transport)
{
	struct listen_addr	*la;

	if ((la = calloc(1, sizeof(*la))) == NULL)
		return -1;
	la->ss = *ss;
	la->transport = transport;
	TAILQ_INSERT_TAIL(&conf->listen, la, entry);
	return 0;
}

const char *
proc_name(enum proc_id id)
{
	if ((unsigned)id >= PROC_MAX)
		return "unknown";
	return proc_names[id].name;
}

const char *
proc_progname(enum proc_id id)
{
	if ((unsigned)id >= PROC_MAX)
		return "unknown";
	return proc_names[id].progname;
}

/*
 * The mesh: who talks to whom (DESIGN.md).  Client traffic goes
 * tunneld -> routerd -> netd; cryptod serves the other three.
 */
uint32_t
proc_links(enum proc_id id)
{
	switch (id) {
	case PROC_NETD:
		return PROC_BIT(PROC_ROUTERD) | PROC_BIT(PROC_CRYPTOD);
	case PROC_CRYPTOD:
		return PROC_BIT(PROC_NETD) | PROC_BIT(PROC_ROUTERD) |
		    PROC_BIT(PROC_TUNNELD);
	case PROC_ROUTERD:
		return PROC_BIT(PROC_NETD) | PROC_BIT(PROC_CRYPTOD) |
		    PROC_BIT(PROC_TUNNELD);
	case PROC_TUNNELD:
		return PROC_BIT(PROC_ROUTERD) | PROC_BIT(PROC_CRYPTOD);
	default:
		return 0;
	}
}

const char *
proc_dir(enum proc_id id)
{
	if ((unsigned)id >= PROC_MAX)
		return NULL;
	return proc_names[id].dir;
}

const char *
listen_str(const struct listen_addr *la, char *buf, size_t len)
{
	char			 addr[INET6_ADDRSTRLEN];
	const struct sockaddr_in *sin;
	const struct sockaddr_in6 *sin6;
	uint16_t		 port;

	switch (la->ss.ss_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)&la->ss;
		inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof(addr));
		port = ntohs(sin->sin_port);
		break;
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)&la->ss;
		inet_ntop(AF_INET6, &sin6->sin6_addr, addr, sizeof(addr));
		port = ntohs(sin6->sin6_port);
		break;
	default:
		strlcpy(buf, "unknown", len);
		return buf;
	}
	snprintf(buf, len, "%s port %u", addr, port);
	return buf;
}

/* Appends a copy; returns -1 if there are PROXIES_MAX already. */
int
conf_add_proxy(struct i2prd_conf *conf, const struct proxy_conf *pc)
{
	if (conf->nproxies >= PROXIES_MAX)
		return -1;
	conf->proxies[conf->nproxies++] = *pc;
	return 0;
}

socklen_t
sockaddr_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);
}

int
sockaddr_same_host(const struct sockaddr_storage *a,
    const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
		    &((const struct sockaddr_in *)b)->sin_addr,
		    sizeof(struct in_addr)) == 0;
	if (a->ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		    &((const struct sockaddr_in6 *)b)->sin6_addr,
		    sizeof(struct in6_addr)) == 0;
	return 0;
}
