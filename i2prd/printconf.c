/*
 * Prints a configuration in the grammar of i2prd.conf(5): every setting,
 * defaults included, so that "i2prd -n" shows what is in effect.  The
 * output parses back into the same configuration.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "encoding.h"
#include "i2pdata.h"
#include "i2prd.h"
#include "log.h"

/* a quoted string, escaped the way the lexer unescapes it */
static void
print_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
print_setting(FILE *f, const char *kw, const char *val)
{
	fprintf(f, "%s ", kw);
	print_string(f, val);
	fputc('\n', f);
}

/*
 * Both directions, defaults or not.  The name is quoted: bare, one such
 * as "123" or "inbound" would read as another token.
 */
static void
print_allow(FILE *f, const struct proxy_conf *pc)
{
	char	b32[I2P_B32_NAMESZ];
	int	i;

	if (pc->nallow == 0)
		return;
	fputs(" allow {", f);
	for (i = 0; i < pc->nallow; i++) {
		if (b32_encode(b32, sizeof(b32), pc->allow[i], 32) == -1)
			fatalx("%s: b32", __func__);
		fprintf(f, " %s.b32.i2p", b32);
	}
	fputs(" }", f);
}

/* a proxy's outproxy and, if given, its jump list (even an empty one) */
static void
print_outproxy(FILE *f, const struct proxy_conf *pc)
{
	int	 i;

	if (pc->target[0] != '\0') {
		fputs(" outproxy ", f);
		print_string(f, pc->target);
		fprintf(f, " port %u", pc->target_port);
	}
	if (!pc->jumps_set)
		return;
	fputs(" jump {", f);
	for (i = 0; i < pc->njumps; i++) {
		fputc(' ', f);
		print_string(f, pc->jumps[i]);
	}
	fputs(" }", f);
}

/* a tunnel line of a destination's block */
static void
print_proxy(FILE *f, const struct proxy_conf *pc)
{
	char	 addr[INET6_ADDRSTRLEN];

	inet_ntop(pc->family == 4 ? AF_INET : AF_INET6, pc->addr, addr,
	    sizeof(addr));
	switch (pc->kind) {
	case PROXY_CLIENT:
	case PROXY_IRC_CLIENT:
	case PROXY_UDP_CLIENT:
		fprintf(f, "\t%s listen on %s port %u to ",
		    proxy_kind_name(pc->kind), addr, pc->port);
		print_string(f, pc->target);
		fprintf(f, " port %u", pc->target_port);
		break;
	case PROXY_SERVER:
	case PROXY_IRC_SERVER:
	case PROXY_UDP_SERVER:
	case PROXY_HTTP_SERVER:
		fprintf(f, "\t%s to %s port %u i2p port %u",
		    proxy_kind_name(pc->kind), addr, pc->port, pc->i2p_port);
		print_allow(f, pc);
		if (pc->host[0] != '\0') {
			fputs(" host ", f);
			print_string(f, pc->host);
		}
		if (pc->password[0] != '\0') {
			fputs(" webirc password ", f);
			print_string(f, pc->password);
		}
		break;
	case PROXY_SOCKS:
	case PROXY_HTTP:
		fprintf(f, "\t%s listen on %s port %u",
		    proxy_kind_name(pc->kind), addr, pc->port);
		if (pc->user[0] != '\0') {
			fputs(" user ", f);
			print_string(f, pc->user);
			fputs(" password ", f);
			print_string(f, pc->password);
		}
		print_outproxy(f, pc);
		break;
	}
	fputc('\n', f);
}

static void
print_dest(FILE *f, const struct i2prd_conf *conf, const struct dest_conf *d)
{
	int	 i, n = 0;

	fputs("destination ", f);
	print_string(f, d->name);
	fprintf(f, " inbound length %d quantity %d outbound length %d "
	    "quantity %d", d->length[TUNNEL_IN], d->quantity[TUNNEL_IN],
	    d->length[TUNNEL_OUT], d->quantity[TUNNEL_OUT]);
	for (i = 0; i < conf->nproxies; i++) {
		if (strcmp(conf->proxies[i].dest, d->name) != 0)
			continue;
		if (n++ == 0)
			fputs(" {\n", f);
		print_proxy(f, &conf->proxies[i]);
	}
	fputs(n > 0 ? "}\n" : "\n", f);
}

static void
print_sam(FILE *f, const struct sam_conf *sc)
{
	char	 addr[INET6_ADDRSTRLEN];

	if (sc->family == 0)
		return;
	inet_ntop(sc->family == 4 ? AF_INET : AF_INET6, sc->addr, addr,
	    sizeof(addr));
	fprintf(f, "sam listen on %s port %u\n", addr, sc->port);
	fprintf(f, "sam udp port %u\n", sc->udp_port);
	if (sc->user[0] == '\0')
		return;
	fprintf(f, "sam user ");
	print_string(f, sc->user);
	fprintf(f, " password ");
	print_string(f, sc->password);
	fputc('\n', f);
}

void
print_config(FILE *f, const struct i2prd_conf *conf)
{
	const struct listen_addr	*la;
	const char			*level;
	char				 buf[128];
	int				 i;

	print_setting(f, "statedir", conf->statedir);
	print_setting(f, "user", conf->user);
	print_setting(f, "socket", conf->csock);
	print_setting(f, "pidfile", conf->pidfile);
	fprintf(f, "netid %d\n", conf->netid);
	fprintf(f, "floodfill %s\n", conf->floodfill ? "yes" : "no");
	fprintf(f, "floodfill lookups %d burst %d\n", conf->ff_lookup_rate,
	    conf->ff_lookup_burst);
	fprintf(f, "exploratory inbound length %d quantity %d",
	    conf->expl_in_length, conf->expl_in_quantity);
	if (conf->expl_fixed_gw > 0)
		fprintf(f, " fixed gateway %d", conf->expl_fixed_gw);
	fputc('\n', f);
	fprintf(f, "exploratory outbound length %d quantity %d\n",
	    conf->expl_out_length, conf->expl_out_quantity);
	fprintf(f, "transit max %d\n", conf->transit_max);
	fprintf(f, "transit builds %d burst %d\n", conf->transit_rate,
	    conf->transit_burst);
	fprintf(f, "bandwidth %d\n", conf->bandwidth);
	fprintf(f, "share %d\n", conf->share);
	fprintf(f, "build records %s\n", conf->build_long ? "long" : "auto");
	/* a testing knob: printed only when on, so that it stands out */
	if (conf->test_drop > 0)
		fprintf(f, "test drop client-tunnel %d%%\n", conf->test_drop);
	/* the parser only stores levels that have a name */
	if ((level = log_levelname(conf->log_level)) != NULL)
		fprintf(f, "log level %s\n", level);
	else
		fprintf(f, "log level %d\n", conf->log_level);
	TAILQ_FOREACH(la, &conf->listen, entry)
		fprintf(f, "listen on %s%s\n", listen_str(la, buf, sizeof(buf)),
		    la->transport == LISTEN_SSU2 ? " ssu2" : "");
	print_setting(f, "reseed certificates", conf->reseed_certdir);
	print_setting(f, "reseed ca", conf->reseed_ca);
	for (i = 0; i < conf->nreseed_urls; i++)
		print_setting(f, "reseed url", conf->reseed_urls[i]);
	if (conf->reseed_signer[0] != '\0')
		print_setting(f, "reseed signer", conf->reseed_signer);
	for (i = 0; i < conf->addrbook.nsubs; i++)
		print_setting(f, "addressbook subscribe",
		    conf->addrbook.subs[i]);
	fprintf(f, "addressbook fetch every %d minutes\n",
	    conf->addrbook.every);
	if (conf->addrbook.proxy[0] != '\0')
		print_setting(f, "addressbook proxy", conf->addrbook.proxy);
	for (i = 0; i < conf->ndests; i++)
		print_dest(f, conf, &conf->dests[i]);
	print_sam(f, &conf->sam);
}
