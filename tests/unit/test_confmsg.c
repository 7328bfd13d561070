/*
 * The configuration messages from the parent to the children
 * (common/confmsg.c): what the parent writes a child accepts unchanged,
 * and a child refuses every field out of its range.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bsd/string.h>
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "i2prd.h"
#include "unit.h"

static void
dest(struct i2prd_conf *c, const char *name, int inlen, int inqty,
    int outlen, int outqty)
{
	struct dest_conf	*d = &c->dests[c->ndests++];

	strlcpy(d->name, name, sizeof(d->name));
	d->length[TUNNEL_IN] = inlen;
	d->quantity[TUNNEL_IN] = inqty;
	d->length[TUNNEL_OUT] = outlen;
	d->quantity[TUNNEL_OUT] = outqty;
}

static void
sample(struct i2prd_conf *c)
{
	strlcpy(c->statedir, "/var/lib/i2prd", sizeof(c->statedir));
	strlcpy(c->user, "_i2prd", sizeof(c->user));
	c->netid = 42;
	c->floodfill = 1;
	c->ff_lookup_rate = 100;
	c->ff_lookup_burst = 500;
	c->log_level = LOG_DEBUG;
	c->build_long = 1;
	c->test_drop = 5;
	dest(c, "web", 1, 16, 7, 1);
	dest(c, "irc.client", CLIENT_LENGTH, CLIENT_QUANTITY, 2, 4);
}

START_TEST(test_round_trip)
{
	struct i2prd_conf	*a = conf_new(), *b = conf_new();
	struct conf_msg		 cm;

	sample(a);
	conf_to_msg(a, 7, &cm);
	ck_assert_uint_eq(cm.generation, 7);
	ck_assert_int_eq(conf_from_msg(b, &cm), 0);
	ck_assert_str_eq(b->statedir, a->statedir);
	ck_assert_str_eq(b->user, a->user);
	ck_assert_str_eq(b->csock, a->csock);
	ck_assert_int_eq(b->netid, 42);
	ck_assert_int_eq(b->floodfill, 1);
	ck_assert_int_eq(b->ff_lookup_rate, 100);
	ck_assert_int_eq(b->ff_lookup_burst, 500);
	ck_assert_int_eq(b->log_level, LOG_DEBUG);
	ck_assert_int_eq(b->build_long, 1);
	ck_assert_int_eq(b->test_drop, 5);
	ck_assert_int_eq(b->ndests, 2);
	ck_assert_mem_eq(b->dests, a->dests, sizeof(a->dests));
	conf_free(a);
	conf_free(b);
}
END_TEST

/* each way a destination can be wrong, one at a time */
START_TEST(test_dests_refused)
{
	struct i2prd_conf	*a = conf_new(), *b = conf_new();
	struct conf_msg		 good, cm;
	int			 i;

	sample(a);
	conf_to_msg(a, 0, &good);
	ck_assert_int_eq(conf_from_msg(b, &good), 0);
	for (i = 0; i < 20; i++) {
		cm = good;
		switch (i) {
		/* names: not terminated, empty, bytes outside the set */
		case 0: memset(cm.dests[1].name, 'x', sizeof(cm.dests[1].name));
			break;
		case 1: cm.dests[0].name[0] = '\0'; break;
		case 2: cm.dests[0].name[0] = '.'; break;
		case 3: cm.dests[0].name[1] = '/'; break;
		case 4: cm.dests[0].name[1] = ' '; break;
		case 5: cm.dests[0].name[1] = '\xc3'; break;
		case 6: cm.dests[1].name[2] = '\n'; break;
		/* a name twice */
		case 7: strlcpy(cm.dests[1].name, "web",
			    sizeof(cm.dests[1].name)); break;
		/* counts out of range, each direction */
		case 8: cm.dests[0].length[TUNNEL_IN] = 0; break;
		case 9: cm.dests[0].length[TUNNEL_IN] = EXPL_LENGTH_MAX + 1;
			break;
		case 10: cm.dests[1].length[TUNNEL_OUT] = -1; break;
		case 11: cm.dests[0].quantity[TUNNEL_IN] = 0; break;
		case 12: cm.dests[1].quantity[TUNNEL_OUT] =
			    EXPL_QUANTITY_MAX + 1; break;
		case 13: cm.dests[1].quantity[TUNNEL_IN] = INT32_MIN; break;
		/* the count itself */
		case 14: cm.ndests = -1; break;
		case 15: cm.ndests = DESTS_MAX + 1; break;
		case 16: cm.ndests = INT32_MAX; break;
		case 17: cm.ndests = INT32_MIN; break;
		/* past the two: an entry of zeroes, an empty name */
		case 18: cm.ndests = 3; break;
		case 19: cm.ndests = DESTS_MAX; break;
		}
		ck_assert_msg(conf_from_msg(b, &cm) == -1, "case %d", i);
	}
	conf_free(a);
	conf_free(b);
}
END_TEST

/*
 * DESTS_MAX of them; what lies past ndests, or past a name's NUL, is
 * neither looked at nor kept
 */
START_TEST(test_dests_max)
{
	struct i2prd_conf	*a = conf_new(), *b = conf_new();
	struct conf_msg		 cm, back;
	char			 name[DEST_NAME_MAX + 1];
	int			 i;

	for (i = 0; i < DESTS_MAX; i++) {
		snprintf(name, sizeof(name), "d%d", i);
		dest(a, name, i % EXPL_LENGTH_MAX + 1, i + 1, 1, 1);
	}
	conf_to_msg(a, 0, &cm);
	ck_assert_int_eq(cm.ndests, DESTS_MAX);
	ck_assert_int_eq(conf_from_msg(b, &cm), 0);
	ck_assert_int_eq(b->ndests, DESTS_MAX);
	ck_assert_mem_eq(b->dests, a->dests, sizeof(a->dests));
	conf_free(b);

	/* the parent writes zeroes past ndests; a child ignores them */
	cm.ndests = 1;
	memset(cm.dests[0].name + 3, 'x', sizeof(cm.dests[0].name) - 4);
	b = conf_new();
	ck_assert_int_eq(conf_from_msg(b, &cm), 0);
	ck_assert_int_eq(b->ndests, 1);
	ck_assert_str_eq(b->dests[0].name, "d0");
	ck_assert_str_eq(b->dests[1].name, "");
	conf_to_msg(b, 0, &back);
	ck_assert_int_eq(back.ndests, 1);
	for (i = 2; i < (int)sizeof(back.dests[0].name); i++)
		ck_assert_int_eq(back.dests[0].name[i], '\0');
	ck_assert_str_eq(back.dests[1].name, "");
	conf_free(b);

	/* none */
	a->ndests = 0;
	conf_to_msg(a, 0, &cm);
	ck_assert_int_eq(cm.ndests, 0);
	ck_assert_str_eq(cm.dests[0].name, "");
	b = conf_new();
	ck_assert_int_eq(conf_from_msg(b, &cm), 0);
	ck_assert_int_eq(b->ndests, 0);
	conf_free(a);
	conf_free(b);
}
END_TEST

/* each field out of range, one at a time */
START_TEST(test_refused)
{
	struct i2prd_conf	*a = conf_new(), *b = conf_new();
	struct conf_msg		 good, cm;
	int			 i;

	sample(a);
	conf_to_msg(a, 0, &good);
	for (i = 0; i < 13; i++) {
		cm = good;
		switch (i) {
		case 0: memset(cm.statedir, 'x', sizeof(cm.statedir)); break;
		case 1: memset(cm.user, 'x', sizeof(cm.user)); break;
		case 2: memset(cm.csock, 'x', sizeof(cm.csock)); break;
		case 3: memset(cm.pidfile, 'x', sizeof(cm.pidfile)); break;
		case 4: cm.netid = 0; break;
		case 5: cm.netid = 256; break;
		case 6: cm.floodfill = 2; break;
		case 7: cm.ff_lookup_rate = 0; break;
		case 8: cm.ff_lookup_burst = cm.ff_lookup_rate - 1; break;
		case 9: cm.log_level = 12345; break;
		case 10: cm.build_long = 2; break;
		case 11: cm.test_drop = -1; break;
		case 12: cm.test_drop = TEST_DROP_MAX + 1; break;
		}
		ck_assert_msg(conf_from_msg(b, &cm) == -1, "case %d", i);
	}
	conf_free(a);
	conf_free(b);
}
END_TEST

START_TEST(test_listen)
{
	struct sockaddr_storage	 ss, back;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct listen_msg	 lm;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(20000);
	inet_pton(AF_INET, "198.18.0.1", &sin->sin_addr);
	listen_to_msg(&ss, &lm);
	ck_assert_int_eq(listen_from_msg(&back, &lm), 0);
	ck_assert_mem_eq(&back, &ss, sizeof(struct sockaddr_in));
	memset(&ss, 0, sizeof(ss));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(7654);
	inet_pton(AF_INET6, "::1", &sin6->sin6_addr);
	listen_to_msg(&ss, &lm);
	ck_assert_int_eq(listen_from_msg(&back, &lm), 0);
	ck_assert_mem_eq(&back, &ss, sizeof(struct sockaddr_in6));
	lm.port = 0;
	ck_assert_int_eq(listen_from_msg(&back, &lm), -1);
	lm.port = 1;
	lm.family = 5;
	ck_assert_int_eq(listen_from_msg(&back, &lm), -1);
}
END_TEST

/* the SAM bridge's settings travel whole; malformed ones are refused */
START_TEST(test_sam)
{
	struct i2prd_conf	*a = conf_new(), *b = conf_new();
	struct conf_msg		 cm;

	a->sam.family = 4;
	a->sam.addr[0] = 127;
	a->sam.addr[3] = 1;
	a->sam.port = 7656;
	a->sam.udp_port = 7655;
	strlcpy(a->sam.user, "u", sizeof(a->sam.user));
	strlcpy(a->sam.password, "p w", sizeof(a->sam.password));
	conf_to_msg(a, 0, &cm);
	ck_assert_int_eq(conf_from_msg(b, &cm), 0);
	ck_assert_mem_eq(&b->sam, &a->sam, sizeof(a->sam));
	cm.sam.udp_port = cm.sam.port;
	ck_assert_int_eq(conf_from_msg(b, &cm), -1);
	cm.sam.udp_port = 7655;
	cm.sam.family = 5;
	ck_assert_int_eq(conf_from_msg(b, &cm), -1);
	cm.sam.family = 0;
	ck_assert_int_eq(conf_from_msg(b, &cm), -1);	/* off, with a port */
	cm.sam.family = 4;
	memset(cm.sam.password, 'x', sizeof(cm.sam.password));
	ck_assert_int_eq(conf_from_msg(b, &cm), -1);
	memset(&cm.sam, 0, sizeof(cm.sam));
	ck_assert_int_eq(conf_from_msg(b, &cm), 0);
	ck_assert_int_eq(b->sam.family, 0);
	conf_free(a);
	conf_free(b);
}
END_TEST

static void
proxy(struct proxy_conf *pc, enum proxy_kind kind)
{
	memset(pc, 0, sizeof(*pc));
	strlcpy(pc->dest, "site", sizeof(pc->dest));
	pc->kind = kind;
	pc->family = 4;
	pc->addr[0] = 127;
	pc->addr[3] = 1;
	pc->port = 8080;
	if (kind == PROXY_CLIENT)
		strlcpy(pc->target, "x.i2p", sizeof(pc->target));
}

/* IMSG_RECONF_ADDRBOOK: subscriptions as the parser takes them */
START_TEST(test_addrbook)
{
	struct i2prd_conf	*c = conf_new();
	struct addrbook_conf	 ac;
	const char		*why;

	ck_assert_int_eq(c->addrbook.every, SUB_EVERY_DEFAULT);
	ck_assert_int_eq(addrbook_conf_check(&c->addrbook), 0);
	ac = c->addrbook;
	ac.nsubs = 2;
	strlcpy(ac.subs[0], "http://a.i2p/hosts.txt", sizeof(ac.subs[0]));
	strlcpy(ac.subs[1], "http://b.i2p:8080/x", sizeof(ac.subs[1]));
	strlcpy(ac.proxy, "browse", sizeof(ac.proxy));
	ck_assert_int_eq(addrbook_conf_check(&ac), 0);
	strlcpy(ac.subs[1], "http://a.i2p/hosts.txt", sizeof(ac.subs[1]));
	ck_assert_int_eq(addrbook_conf_check(&ac), -1);	/* twice */
	strlcpy(ac.subs[1], "http://10.0.0.1/x", sizeof(ac.subs[1]));
	ck_assert_int_eq(addrbook_conf_check(&ac), -1);	/* not I2P */
	ac.nsubs = 1;
	ac.every = SUB_EVERY_MIN - 1;
	ck_assert_int_eq(addrbook_conf_check(&ac), -1);
	ac.every = SUB_EVERY_MAX + 1;
	ck_assert_int_eq(addrbook_conf_check(&ac), -1);
	ac.every = 60;
	ac.nsubs = SUBS_MAX + 1;
	ck_assert_int_eq(addrbook_conf_check(&ac), -1);
	ac.nsubs = -1;
	ck_assert_int_eq(addrbook_conf_check(&ac), -1);
	ac.nsubs = 1;
	memset(ac.subs[0], 'a', sizeof(ac.subs[0]));	/* unterminated */
	ck_assert_int_eq(addrbook_conf_check(&ac), -1);
	strlcpy(ac.subs[0], "http://a.i2p/hosts.txt", sizeof(ac.subs[0]));
	strlcpy(ac.proxy, "no spaces", sizeof(ac.proxy));
	ck_assert_int_eq(addrbook_conf_check(&ac), -1);
	/* the URL rules */
	ck_assert_int_eq(sub_url_check("http://a.i2p", &why), 0);
	ck_assert_int_eq(sub_url_check("http://a.i2p:", &why), -1);
	ck_assert_int_eq(sub_url_check("http://a.i2p:123456/", &why), -1);
	ck_assert_int_eq(sub_url_check("http://A.i2p/", &why), -1);
	ck_assert_int_eq(sub_url_check("http://a.i2p/x y", &why), -1);
	ck_assert_int_eq(sub_url_check("http://.i2p/", &why), -1);
	conf_free(c);
}
END_TEST

/* IMSG_RECONF_PROXY: tunneld takes what the parser makes, nothing else */
START_TEST(test_proxy)
{
	struct i2prd_conf	*c = conf_new();
	struct proxy_conf	 pc;
	int			 i;

	proxy(&pc, PROXY_CLIENT);
	ck_assert_int_eq(proxy_conf_check(&pc), 0);
	pc.target_port = 80;
	ck_assert_int_eq(proxy_conf_check(&pc), 0);
	pc.i2p_port = 80;		/* a server's */
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	proxy(&pc, PROXY_CLIENT);
	pc.nallow = 1;			/* a server's */
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	proxy(&pc, PROXY_CLIENT);
	pc.target[0] = '\0';		/* a client needs one */
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	proxy(&pc, PROXY_CLIENT);
	memset(pc.target, 'a', sizeof(pc.target));	/* unterminated */
	ck_assert_int_eq(proxy_conf_check(&pc), -1);

	proxy(&pc, PROXY_SERVER);
	pc.i2p_port = 80;
	pc.nallow = PROXY_ALLOW_MAX;
	ck_assert_int_eq(proxy_conf_check(&pc), 0);
	pc.nallow = PROXY_ALLOW_MAX + 1;
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	proxy(&pc, PROXY_SERVER);
	strlcpy(pc.target, "x.i2p", sizeof(pc.target));	/* a client's */
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	proxy(&pc, PROXY_SERVER);
	pc.port = 0;
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	proxy(&pc, PROXY_SERVER);
	pc.family = 5;
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	proxy(&pc, PROXY_SERVER);
	pc.kind = PROXY_KIND_LAST + 1;
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	pc.kind = 0;
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	proxy(&pc, PROXY_SERVER);
	strlcpy(pc.dest, "bad name", sizeof(pc.dest));
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	memset(pc.dest, 'a', sizeof(pc.dest));
	ck_assert_int_eq(proxy_conf_check(&pc), -1);

	/* socks: no target, a user and password together or neither */
	proxy(&pc, PROXY_SOCKS);
	ck_assert_int_eq(proxy_conf_check(&pc), 0);
	strlcpy(pc.user, "u", sizeof(pc.user));
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	strlcpy(pc.password, "p", sizeof(pc.password));
	ck_assert_int_eq(proxy_conf_check(&pc), 0);
	memset(pc.password, 'p', sizeof(pc.password));	/* unterminated */
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	/* a proxy's target is its outproxy; a port only with one */
	proxy(&pc, PROXY_SOCKS);
	strlcpy(pc.target, "x.i2p", sizeof(pc.target));
	pc.target_port = 3128;
	ck_assert_int_eq(proxy_conf_check(&pc), 0);
	pc.target[0] = '\0';
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	proxy(&pc, PROXY_SOCKS);
	pc.jumps_set = 1;		/* an http proxy's */
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	/* a password is an irc server's (WEBIRC) or a socks proxy's */
	proxy(&pc, PROXY_IRC_SERVER);
	strlcpy(pc.password, "p", sizeof(pc.password));
	ck_assert_int_eq(proxy_conf_check(&pc), 0);
	proxy(&pc, PROXY_SERVER);
	strlcpy(pc.password, "p", sizeof(pc.password));
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	proxy(&pc, PROXY_IRC_CLIENT);
	ck_assert_int_eq(proxy_conf_check(&pc), -1);	/* no target */
	strlcpy(pc.target, "x.i2p", sizeof(pc.target));
	ck_assert_int_eq(proxy_conf_check(&pc), 0);
	strlcpy(pc.user, "u", sizeof(pc.user));
	ck_assert_int_eq(proxy_conf_check(&pc), -1);

	/* jump URLs: an http proxy's, bounded, terminated, well-formed */
	proxy(&pc, PROXY_HTTP);
	pc.jumps_set = 1;
	ck_assert_int_eq(proxy_conf_check(&pc), 0);	/* jump { } */
	for (i = 0; i < PROXY_JUMPS_MAX; i++)
		strlcpy(pc.jumps[i], "http://j.i2p/?h=", sizeof(pc.jumps[i]));
	pc.njumps = PROXY_JUMPS_MAX;
	ck_assert_int_eq(proxy_conf_check(&pc), 0);
	pc.njumps = PROXY_JUMPS_MAX + 1;
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	pc.njumps = 1;
	pc.jumps_set = 0;		/* URLs without the list */
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	pc.jumps_set = 2;
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	pc.jumps_set = 1;
	memset(pc.jumps[0], 'h', sizeof(pc.jumps[0]));	/* unterminated */
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	strlcpy(pc.jumps[0], "ftp://j.i2p/", sizeof(pc.jumps[0]));
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	strlcpy(pc.jumps[0], "http://j .i2p/", sizeof(pc.jumps[0]));
	ck_assert_int_eq(proxy_conf_check(&pc), -1);
	pc.jumps[0][0] = '\0';
	ck_assert_int_eq(proxy_conf_check(&pc), -1);

	/* PROXIES_MAX in a configuration, no more */
	proxy(&pc, PROXY_SERVER);
	for (i = 0; i < PROXIES_MAX; i++)
		ck_assert_int_eq(conf_add_proxy(c, &pc), 0);
	ck_assert_int_eq(conf_add_proxy(c, &pc), -1);
	ck_assert_int_eq(c->nproxies, PROXIES_MAX);
	conf_free(c);
}
END_TEST

static Suite *
confmsg_suite(void)
{
	Suite	*s = suite_create("confmsg");
	TCase	*tc = tcase_create("confmsg");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_dests_refused);
	tcase_add_test(tc, test_dests_max);
	tcase_add_test(tc, test_sam);
	tcase_add_test(tc, test_listen);
	tcase_add_test(tc, test_proxy);
	tcase_add_test(tc, test_addrbook);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(confmsg_suite());
}
