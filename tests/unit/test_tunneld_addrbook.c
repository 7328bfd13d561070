/*
 * The address book in memory (tunneld/addrbook_*.c): naming.html's
 * rules name by name, hosts.txt lines good and malformed, signed feed
 * commands (subscription.rst) made here with real keys, accepted and
 * refused, and the books: lookup order, first-come, conflicts counted
 * and kept, limits.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "abtest.h"
#include "unit.h"

static struct addrbook	ab;
static struct abkey	ka, kb;
static char		line[8192], sig[300], osig[300], msg[8192];

static void
setup(void)
{
	ab_init(&ab);
	abkey_new(&ka, SIGTYPE_ED25519);
	abkey_new(&kb, SIGTYPE_ED25519);
}

static void
teardown(void)
{
	ab_free(&ab);
	tkey_free(&ka.k);
	tkey_free(&kb.k);
}

static int
name_ok(const char *name, enum ab_bad *why)
{
	return ab_name_check(name, strlen(name), why);
}

static void
refused(const char *name, enum ab_bad expect)
{
	enum ab_bad	why = AB_BAD_N;

	ck_assert_msg(name_ok(name, &why) == -1, "%s accepted", name);
	ck_assert_msg(why == expect, "%s: %s", name, ab_bad_str(why));
}

START_TEST(test_names)
{
	enum ab_bad	why;
	char		out[AB_NAME_MAX + 1];
	const char	*good[] = { "a.i2p", "example.i2p", "stats.i2p",
			    "a-b.c-d.i2p", "xn--bcher-kva.i2p",
			    "www.xn--bcher-kva.i2p", "0.i2p", "www.example.i2p",
			    "b32x.i2p", "i2p.i2p" };
	char		longest[AB_NAME_MAX + 2];
	size_t		i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(name_ok(good[i], &why) == 0, "%s: %s", good[i],
		    ab_bad_str(why));
	memset(longest, 'a', sizeof(longest));
	strcpy(longest + AB_NAME_MAX - 4, ".i2p");
	ck_assert_int_eq(name_ok(longest, &why), 0);
	memset(longest, 'a', sizeof(longest));
	strcpy(longest + AB_NAME_MAX - 3, ".i2p");
	refused(longest, AB_BAD_NAME_LEN);
	refused("", AB_BAD_NAME);
	refused(".i2p", AB_BAD_NAME);
	refused("-a.i2p", AB_BAD_NAME);
	refused(".a.i2p", AB_BAD_NAME);
	refused("a..b.i2p", AB_BAD_NAME);
	refused("a-.i2p", AB_BAD_NAME);
	refused("a.-b.i2p", AB_BAD_NAME);
	refused("a--b.i2p", AB_BAD_NAME);
	refused("axn--b.i2p", AB_BAD_NAME);
	refused("a_b.i2p", AB_BAD_NAME);
	refused("a b.i2p", AB_BAD_NAME);
	refused("Upper.i2p", AB_BAD_NAME);
	refused("caf\xc3\xa9.i2p", AB_BAD_NAME);
	refused("example.com", AB_BAD_TLD);
	refused("example.i2p.", AB_BAD_TLD);
	refused("example.i2pp", AB_BAD_TLD);
	refused("i2p", AB_BAD_TLD);
	refused("b32.i2p", AB_BAD_B32);
	refused("ukeu3k5oycgaauneqgtnvselmt4yemvoilkln7jpvamvfx7dnkdq.b32.i2p",
	    AB_BAD_B32);
	refused("ukeu3k5oycgaauneqgtnvselmt4yemvoilkln7jpvamvfx7dnkdq.i2p",
	    AB_BAD_B32);
	refused("proxy.i2p", AB_BAD_RESERVED);
	refused("router.i2p", AB_BAD_RESERVED);
	refused("console.i2p", AB_BAD_RESERVED);
	refused("mail.i2p", AB_BAD_RESERVED);
	refused("a.b.proxy.i2p", AB_BAD_RESERVED);
	refused("x.console.i2p", AB_BAD_RESERVED);
	ck_assert_int_eq(name_ok("myproxy.i2p", &why), 0);
	/* import lower-cases first */
	ck_assert_int_eq(ab_name_norm("ExAmple.I2P", 11, out, &why), 0);
	ck_assert_str_eq(out, "example.i2p");
	ck_assert_int_eq(ab_name_norm("PROXY.I2P", 9, out, &why), -1);
	ck_assert_int_eq(why, AB_BAD_RESERVED);
}
END_TEST

static int
parse(struct ab_line *l, const char *s, enum ab_bad *why)
{
	return ab_line_parse(l, (const uint8_t *)s, strlen(s), why);
}

static void
bad_line(const char *s, enum ab_bad expect)
{
	struct ab_line	l;
	enum ab_bad	why = AB_BAD_N;

	ck_assert_msg(parse(&l, s, &why) == -1, "accepted: %.60s", s);
	ck_assert_msg(why == expect, "%.60s: %s", s, ab_bad_str(why));
}

START_TEST(test_lines)
{
	struct ab_line	l;
	enum ab_bad	why;
	char		d[800];

	snprintf(line, sizeof(line), "Example.i2p=%s", ka.b64);
	ck_assert_int_eq(parse(&l, line, &why), 0);
	ck_assert_int_eq(l.kind, AB_LINE_HOST);
	ck_assert_str_eq(l.name, "example.i2p");
	ck_assert(ident_equal(&l.dest, &ka.id));
	ck_assert_uint_eq(l.nprop, 0);
	snprintf(line, sizeof(line), "  a.i2p=%s\t", ka.b64);
	ck_assert_int_eq(parse(&l, line, &why), 0);
	ck_assert_int_eq(l.kind, AB_LINE_HOST);
	snprintf(line, sizeof(line), "a.i2p=%s# a comment", ka.b64);
	ck_assert_int_eq(parse(&l, line, &why), 0);
	ck_assert_uint_eq(l.nprop, 0);
	snprintf(line, sizeof(line), "a.i2p=%s#!date=1#x=#sig=abc", ka.b64);
	ck_assert_int_eq(parse(&l, line, &why), 0);
	ck_assert_uint_eq(l.nprop, 3);
	ck_assert_ptr_nonnull(ab_prop_get(&l, "x"));
	ck_assert_uint_eq(ab_prop_get(&l, "x")->vallen, 0);
	ck_assert_ptr_null(ab_prop_get(&l, "si"));
	ck_assert_int_eq(parse(&l, "", &why), 0);
	ck_assert_int_eq(l.kind, AB_LINE_NONE);
	ck_assert_int_eq(parse(&l, "# comment = x", &why), 0);
	ck_assert_int_eq(l.kind, AB_LINE_NONE);
	ck_assert_int_eq(parse(&l, "#!action=removeall#dest=x#sig=y", &why), 0);
	ck_assert_int_eq(l.kind, AB_LINE_CMD);
	ck_assert_uint_eq(l.nprop, 3);

	bad_line("no equals sign", AB_BAD_SYNTAX);
	bad_line("a.i2p", AB_BAD_SYNTAX);
	bad_line("a\x01.i2p=x", AB_BAD_CHAR);
	bad_line("a.i2p=AAAA\rBBBB", AB_BAD_CHAR);
	bad_line("a.i2p=", AB_BAD_DEST);
	bad_line("a.i2p=not*base64", AB_BAD_DEST);
	bad_line("=abcd", AB_BAD_NAME);
	bad_line("proxy.i2p=abcd", AB_BAD_RESERVED);
	/* a Destination one byte short, one too long, a router's */
	snprintf(d, sizeof(d), "%s", ka.b64);
	d[strlen(d) - 4] = '\0';
	snprintf(line, sizeof(line), "a.i2p=%s", d);
	bad_line(line, AB_BAD_DEST);
	snprintf(line, sizeof(line), "a.i2p=%sAAAA", ka.b64);
	bad_line(line, AB_BAD_DEST);
	snprintf(line, sizeof(line), "a.i2p=%s#!", ka.b64);
	bad_line(line, AB_BAD_PROPS);
	snprintf(line, sizeof(line), "a.i2p=%s#!a=1#a=2", ka.b64);
	bad_line(line, AB_BAD_PROPS);
	snprintf(line, sizeof(line), "a.i2p=%s#!a=1##b=2", ka.b64);
	bad_line(line, AB_BAD_PROPS);
	snprintf(line, sizeof(line), "a.i2p=%s#!novalue", ka.b64);
	bad_line(line, AB_BAD_PROPS);
	snprintf(line, sizeof(line), "a.i2p=%s#!=v", ka.b64);
	bad_line(line, AB_BAD_PROPS);
	snprintf(line, sizeof(line), "a.i2p=%s#!a=1#", ka.b64);
	bad_line(line, AB_BAD_PROPS);
	snprintf(line, sizeof(line),
	    "a.i2p=%s#!a=1#b=1#c=1#d=1#e=1#f=1#g=1#h=1#i=1#j=1#k=1#l=1#m=1"
	    "#n=1#o=1#p=1#q=1", ka.b64);
	bad_line(line, AB_BAD_PROPS);
	bad_line("#!", AB_BAD_PROPS);
}
END_TEST

START_TEST(test_next_line)
{
	static const char	 text[] = "a\r\nb\n\r\nlast";
	char			 big[AB_LINE_MAX + 10];
	struct rbuf		 r;
	const uint8_t		*p;
	size_t			 n;

	rbuf_init(&r, text, strlen(text));
	ck_assert_int_eq(ab_next_line(&r, &p, &n), 0);
	ck_assert(n == 1 && p[0] == 'a');
	ck_assert_int_eq(ab_next_line(&r, &p, &n), 0);
	ck_assert(n == 1 && p[0] == 'b');
	ck_assert_int_eq(ab_next_line(&r, &p, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(ab_next_line(&r, &p, &n), 0);
	ck_assert(n == 4 && memcmp(p, "last", 4) == 0);
	ck_assert_int_eq(ab_next_line(&r, &p, &n), 1);
	/* AB_LINE_MAX bytes pass; one more is skipped whole */
	memset(big, 'x', sizeof(big));
	big[AB_LINE_MAX] = '\n';
	rbuf_init(&r, big, AB_LINE_MAX + 1);
	ck_assert_int_eq(ab_next_line(&r, &p, &n), 0);
	ck_assert_uint_eq(n, AB_LINE_MAX);
	big[AB_LINE_MAX] = 'x';
	big[AB_LINE_MAX + 1] = '\n';
	big[AB_LINE_MAX + 2] = 'y';
	rbuf_init(&r, big, AB_LINE_MAX + 3);
	ck_assert_int_eq(ab_next_line(&r, &p, &n), -1);
	ck_assert_int_eq(ab_next_line(&r, &p, &n), 0);
	ck_assert(n == 1 && p[0] == 'y');
	ck_assert_int_eq(ab_next_line(&r, &p, &n), 1);
}
END_TEST

static void
apply(enum ab_book b, const char *text, struct ab_counts *c)
{
	memset(c, 0, sizeof(*c));
	ab_apply(&ab, b, text, strlen(text), c);
}

static int
maps_to(const char *name, const struct abkey *k)
{
	const struct ab_ent	*e = ab_lookup(&ab, name, NULL);

	return e != NULL && e->destlen == k->id.rawlen &&
	    memcmp(e->dest, k->id.raw, e->destlen) == 0;
}

/* "name=dest#!keys#sig=..." signed by k over "name=dest#!sorted" */
static void
signed_add(const char *name, const struct abkey *k, const char *sorted)
{
	snprintf(msg, sizeof(msg), "%s=%s%s%s", name, k->b64,
	    *sorted ? "#!" : "", sorted);
	abkey_sign(k, msg, sig, sizeof(sig));
	snprintf(line, sizeof(line), "%s=%s#!sig=%s%s%s\n", name, k->b64, sig,
	    *sorted ? "#" : "", sorted);
}

START_TEST(test_signed_add)
{
	struct ab_counts	c;
	static const uint16_t	types[] = { SIGTYPE_DSA_SHA1,
				    SIGTYPE_ECDSA_P256, SIGTYPE_ECDSA_P384,
				    SIGTYPE_ECDSA_P521 };
	struct abkey		k;
	char			name[32];
	size_t			i;

	signed_add("signed.i2p", &ka, "date=1700000000");
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.applied, 1);
	ck_assert_uint_eq(c.added, 1);
	ck_assert(maps_to("signed.i2p", &ka));
	/* tampered: the signed date changed */
	signed_add("other.i2p", &ka, "date=1700000000");
	*strstr(line, "date=17") = 'D';
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.refused[AB_REF_SIG], 1);
	ck_assert_uint_eq(c.added, 0);
	ck_assert_ptr_null(ab_lookup(&ab, "other.i2p", NULL));
	/* signed by another key than the line's Destination */
	snprintf(msg, sizeof(msg), "third.i2p=%s", ka.b64);
	abkey_sign(&kb, msg, sig, sizeof(sig));
	snprintf(line, sizeof(line), "third.i2p=%s#!sig=%s", ka.b64, sig);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.refused[AB_REF_SIG], 1);
	/* a command without sig, an unknown action */
	snprintf(line, sizeof(line), "x.i2p=%s#!action=addname#oldname=a.i2p",
	    ka.b64);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.refused[AB_REF_UNSIGNED], 1);
	snprintf(line, sizeof(line), "x.i2p=%s#!action=steal#sig=AAAA",
	    ka.b64);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.refused[AB_REF_ACTION], 1);
	/* keys without sig or action: a plain add */
	snprintf(line, sizeof(line), "meta.i2p=%s#!date=5", ka.b64);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.added, 1);
	/* every other signature type ident_verify knows */
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		abkey_new(&k, types[i]);
		snprintf(name, sizeof(name), "type%u.i2p", types[i]);
		signed_add(name, &k, "");
		apply(AB_SUBSCRIBED, line, &c);
		ck_assert_msg(c.applied == 1, "sig type %u", types[i]);
		ck_assert(maps_to(name, &k));
		tkey_free(&k.k);
	}
}
END_TEST

/* changedest of name from old to new, oldsig by oldsigner */
static void
changedest(const char *name, const struct abkey *old,
    const struct abkey *oldsigner, const struct abkey *new)
{
	snprintf(msg, sizeof(msg), "%s=%s#!action=changedest#date=9#olddest=%s",
	    name, new->b64, old->b64);
	abkey_sign(oldsigner, msg, osig, sizeof(osig));
	snprintf(msg, sizeof(msg),
	    "%s=%s#!action=changedest#date=9#olddest=%s#oldsig=%s",
	    name, new->b64, old->b64, osig);
	abkey_sign(new, msg, sig, sizeof(sig));
	snprintf(line, sizeof(line),
	    "%s=%s#!olddest=%s#action=changedest#sig=%s#oldsig=%s#date=9",
	    name, new->b64, old->b64, sig, osig);
}

START_TEST(test_changedest)
{
	struct ab_counts	c;

	snprintf(line, sizeof(line), "site.i2p=%s\n", ka.b64);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert(maps_to("site.i2p", &ka));
	/* oldsig made by the new key, not the old one */
	changedest("site.i2p", &ka, &kb, &kb);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.refused[AB_REF_OLDSIG], 1);
	ck_assert(maps_to("site.i2p", &ka));
	/* without oldsig at all */
	changedest("site.i2p", &ka, &ka, &kb);
	*strstr(line, "#oldsig=") = '\0';
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.refused[AB_REF_MISSING], 1);
	ck_assert(maps_to("site.i2p", &ka));
	/* valid: the name moves to the new Destination */
	changedest("site.i2p", &ka, &ka, &kb);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.applied, 1);
	ck_assert_uint_eq(c.added, 1);
	ck_assert(maps_to("site.i2p", &kb));
	ck_assert_uint_eq(ab_count(&ab, AB_SUBSCRIBED), 1);
	/* replayed: the name is already the new Destination's */
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.applied, 1);
	ck_assert_uint_eq(c.known, 1);
	ck_assert(maps_to("site.i2p", &kb));
	/* the name in upper case signs as the lower-case name */
	changedest("SITE.i2p", &kb, &kb, &ka);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.refused[AB_REF_OLDSIG], 1);
	ck_assert(maps_to("site.i2p", &kb));
}
END_TEST

START_TEST(test_changedest_mismatch)
{
	struct ab_counts	c;
	struct abkey		kc;

	abkey_new(&kc, SIGTYPE_ED25519);
	snprintf(line, sizeof(line), "site.i2p=%s\n", kc.b64);
	apply(AB_SUBSCRIBED, line, &c);
	/* validly signed by a and b, but the name is c's */
	changedest("site.i2p", &ka, &ka, &kb);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.refused[AB_REF_MISMATCH], 1);
	ck_assert(maps_to("site.i2p", &kc));
	/* nor does it touch a local name */
	ab_free(&ab);
	ab_init(&ab);
	snprintf(line, sizeof(line), "site.i2p=%s\n", ka.b64);
	apply(AB_LOCAL, line, &c);
	changedest("site.i2p", &ka, &ka, &kb);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.conflicts, 1);
	ck_assert(maps_to("site.i2p", &ka));
	tkey_free(&kc.k);
}
END_TEST

START_TEST(test_remove)
{
	struct ab_counts	c;

	snprintf(line, sizeof(line), "a.i2p=%s\nb.i2p=%s\nc.i2p=%s\n",
	    ka.b64, ka.b64, kb.b64);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.added, 3);
	/* remove: "#!" and the sorted keys, signed by dest= */
	snprintf(msg, sizeof(msg), "#!action=remove#dest=%s#name=a.i2p",
	    ka.b64);
	abkey_sign(&ka, msg, sig, sizeof(sig));
	snprintf(line, sizeof(line), "#!action=remove#name=a.i2p#dest=%s#sig=%s",
	    ka.b64, sig);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.applied, 1);
	ck_assert_uint_eq(c.removed, 1);
	ck_assert_ptr_null(ab_lookup(&ab, "a.i2p", NULL));
	/* c.i2p is b's: a cannot remove it */
	snprintf(msg, sizeof(msg), "#!action=remove#dest=%s#name=c.i2p",
	    ka.b64);
	abkey_sign(&ka, msg, sig, sizeof(sig));
	snprintf(line, sizeof(line), "#!action=remove#name=c.i2p#dest=%s#sig=%s",
	    ka.b64, sig);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.refused[AB_REF_MISMATCH], 1);
	ck_assert(maps_to("c.i2p", &kb));
	/* removeall by b */
	snprintf(msg, sizeof(msg), "#!action=removeall#dest=%s", kb.b64);
	abkey_sign(&kb, msg, sig, sizeof(sig));
	snprintf(line, sizeof(line), "#!sig=%s#action=removeall#dest=%s", sig,
	    kb.b64);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.removed, 1);
	ck_assert_ptr_null(ab_lookup(&ab, "c.i2p", NULL));
	ck_assert(maps_to("b.i2p", &ka));
	/* removeall scans the book: a few per feed, no more */
	{
		static char	feed[AB_REMOVEALL_MAX * 1024 + 2048];
		size_t		i, n = 0;

		snprintf(msg, sizeof(msg), "#!action=removeall#dest=%s",
		    ka.b64);
		abkey_sign(&ka, msg, sig, sizeof(sig));
		for (i = 0; i <= AB_REMOVEALL_MAX; i++)
			n += snprintf(feed + n, sizeof(feed) - n,
			    "#!action=removeall#dest=%s#sig=%s\n", ka.b64, sig);
		apply(AB_SUBSCRIBED, feed, &c);
		ck_assert_uint_eq(c.applied, AB_REMOVEALL_MAX);
		ck_assert_uint_eq(c.refused[AB_REF_LIMIT], 1);
		ck_assert_uint_eq(c.removed, 1);
	}
	/* a remove on a host line is malformed */
	snprintf(line, sizeof(line), "b.i2p=%s#!action=remove#sig=AAAA", ka.b64);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.refused[AB_REF_MISSING], 1);
}
END_TEST

START_TEST(test_names_commands)
{
	struct ab_counts	c;

	snprintf(line, sizeof(line), "old.i2p=%s\n", ka.b64);
	apply(AB_SUBSCRIBED, line, &c);
	signed_add("new.i2p", &ka, "action=changename#oldname=old.i2p");
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.applied, 1);
	ck_assert_uint_eq(c.removed, 1);
	ck_assert(maps_to("new.i2p", &ka));
	ck_assert_ptr_null(ab_lookup(&ab, "old.i2p", NULL));
	/* a new name someone else holds: the old name stays */
	ck_assert_int_eq(ab_put(&ab, AB_LOCAL, "taken.i2p", &kb.id, 0),
	    AB_PUT_ADDED);
	signed_add("taken.i2p", &ka, "action=changename#oldname=new.i2p");
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.conflicts, 1);
	ck_assert_uint_eq(c.removed, 0);
	ck_assert(maps_to("new.i2p", &ka) && maps_to("taken.i2p", &kb));
	signed_add("alias.i2p", &ka, "action=addname#oldname=new.i2p");
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert(maps_to("alias.i2p", &ka) && maps_to("new.i2p", &ka));
	/* addsubdomain: oldsig by the parent's Destination */
	snprintf(msg, sizeof(msg), "sub.new.i2p=%s#!action=addsubdomain"
	    "#olddest=%s#oldname=new.i2p", kb.b64, ka.b64);
	abkey_sign(&ka, msg, osig, sizeof(osig));
	snprintf(msg, sizeof(msg), "sub.new.i2p=%s#!action=addsubdomain"
	    "#olddest=%s#oldname=new.i2p#oldsig=%s", kb.b64, ka.b64, osig);
	abkey_sign(&kb, msg, sig, sizeof(sig));
	snprintf(line, sizeof(line), "sub.new.i2p=%s#!action=addsubdomain"
	    "#oldname=new.i2p#olddest=%s#oldsig=%s#sig=%s", kb.b64, ka.b64,
	    osig, sig);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.applied, 1);
	ck_assert(maps_to("sub.new.i2p", &kb));
	/* a subdomain of a name that is not its parent's */
	signed_add("sub.other.i2p", &kb, "action=addsubdomain#olddest=x"
	    "#oldname=new.i2p#oldsig=x");
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.refused[AB_REF_MISSING], 1);
}
END_TEST

START_TEST(test_store)
{
	struct ab_counts	 c;
	const struct ab_ent	*e;
	enum ab_book		 where;

	snprintf(line, sizeof(line), "same.i2p=%s\nonly.i2p=%s\n", kb.b64,
	    kb.b64);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.added, 2);
	/* local before private before subscribed */
	ck_assert_int_eq(ab_put(&ab, AB_PRIVATE, "same.i2p", &ka.id, 0),
	    AB_PUT_ADDED);
	ck_assert_ptr_nonnull(e = ab_lookup(&ab, "SAME.i2p", &where));
	ck_assert_int_eq(where, AB_PRIVATE);
	ck_assert_int_eq(ab_put(&ab, AB_LOCAL, "same.i2p", &kb.id, 0),
	    AB_PUT_ADDED);
	ck_assert_ptr_nonnull(e = ab_lookup(&ab, "same.i2p", &where));
	ck_assert_int_eq(where, AB_LOCAL);
	ck_assert_ptr_nonnull(ab_lookup(&ab, "only.i2p", &where));
	ck_assert_int_eq(where, AB_SUBSCRIBED);
	/* first-come: a local add replaces only when told to */
	ck_assert_int_eq(ab_put(&ab, AB_LOCAL, "same.i2p", &ka.id, 0),
	    AB_PUT_CONFLICT);
	ck_assert(maps_to("same.i2p", &kb));
	ck_assert_int_eq(ab_put(&ab, AB_LOCAL, "same.i2p", &kb.id, 0),
	    AB_PUT_KNOWN);
	ck_assert_int_eq(ab_put(&ab, AB_LOCAL, "same.i2p", &ka.id,
	    AB_REPLACE), AB_PUT_REPLACED);
	ck_assert(maps_to("same.i2p", &ka));
	/* a feed never replaces: counted and kept for show */
	snprintf(line, sizeof(line), "only.i2p=%s\nsame.i2p=%s\n", ka.b64,
	    kb.b64);
	apply(AB_SUBSCRIBED, line, &c);
	ck_assert_uint_eq(c.conflicts, 2);
	ck_assert(maps_to("only.i2p", &kb));
	ck_assert_uint_eq(ab.nconflict, 3);
	ck_assert_str_eq(ab_conflict_at(&ab, 2)->name, "same.i2p");
	ck_assert_int_eq(ab_conflict_at(&ab, 2)->book, AB_LOCAL);
	ck_assert(memcmp(ab_conflict_at(&ab, 1)->offered, ka.id.hash, 32) == 0);
	ck_assert(memcmp(ab_conflict_at(&ab, 1)->known, kb.id.hash, 32) == 0);
	ck_assert_ptr_null(ab_conflict_at(&ab, 3));
	/* reverse lookup and delete */
	ck_assert_ptr_nonnull(e = ab_reverse(&ab, ka.id.hash, &where));
	ck_assert_int_eq(where, AB_LOCAL);
	ck_assert_int_eq(ab_del(&ab, AB_LOCAL, "same.i2p"), 0);
	ck_assert_int_eq(ab_del(&ab, AB_LOCAL, "same.i2p"), -1);
	ck_assert_ptr_nonnull(ab_lookup(&ab, "same.i2p", &where));
	ck_assert_int_eq(where, AB_PRIVATE);
	ck_assert_int_eq(ab_put(&ab, AB_LOCAL, "bad..i2p", &ka.id, 0),
	    AB_PUT_ERROR);
}
END_TEST

START_TEST(test_limits)
{
	struct ab_counts	 c;
	const struct ab_ent	**v;
	char			 name[32];
	size_t			 i, n;

	ab.book[AB_PRIVATE].max = 300;
	for (i = 0; i < 301; i++) {
		snprintf(name, sizeof(name), "n%zu.i2p", i);
		ck_assert_int_eq(ab_put(&ab, AB_PRIVATE, name, &ka.id, 0),
		    i < 300 ? AB_PUT_ADDED : AB_PUT_FULL);
	}
	ck_assert_uint_eq(ab_count(&ab, AB_PRIVATE), 300);
	ck_assert_uint_ge(ab.book[AB_PRIVATE].ntab, 256);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "n%zu.i2p", i);
		ck_assert_ptr_nonnull(ab_get(&ab, AB_PRIVATE, name));
	}
	ck_assert_ptr_nonnull(v = ab_sorted(&ab, AB_PRIVATE, &n));
	ck_assert_uint_eq(n, 300);
	for (i = 1; i < n; i++)
		ck_assert_int_lt(strcmp(v[i - 1]->name, v[i]->name), 0);
	free(v);
	ck_assert_uint_eq(ab_del_dest(&ab, AB_PRIVATE, ka.id.hash), 300);
	ck_assert_uint_eq(ab_count(&ab, AB_PRIVATE), 0);
	/* the conflicts kept are the last ones */
	for (i = 0; i < AB_CONFLICTS_KEPT + 5; i++)
		ck_assert_int_eq(ab_put(&ab, AB_LOCAL, "x.i2p",
		    i == 0 ? &ka.id : &kb.id, 0),
		    i == 0 ? AB_PUT_ADDED : AB_PUT_CONFLICT);
	ck_assert_uint_eq(ab.nconflict, AB_CONFLICTS_KEPT);
	ck_assert_uint_eq(ab.conflicts, AB_CONFLICTS_KEPT + 4);
	/* bad lines counted by reason, none applied */
	apply(AB_SUBSCRIBED, "a\nproxy.i2p=x\nb32.i2p=x\n\n#c\nx.com=y\r\n",
	    &c);
	ck_assert_uint_eq(c.lines, 6);
	ck_assert_uint_eq(c.bad[AB_BAD_SYNTAX], 1);
	ck_assert_uint_eq(c.bad[AB_BAD_RESERVED], 1);
	ck_assert_uint_eq(c.bad[AB_BAD_B32], 1);
	ck_assert_uint_eq(c.bad[AB_BAD_TLD], 1);
	ck_assert_uint_eq(ab_counts_bad(&c), 4);
	ck_assert_uint_eq(ab_count(&ab, AB_SUBSCRIBED), 0);
}
END_TEST

/*
 * Feeds signed by another implementation (Python's cryptography, when
 * the fuzz seeds were written): the same bytes signed, the same answer.
 */
START_TEST(test_foreign_feed)
{
	struct ab_counts	 c;
	static uint8_t		 buf[8192];
	const struct ab_ent	*s, *t;
	size_t			 n;

	n = unit_load(TESTS_DIR "/fuzz/corpus/fuzz_feed/changedest", buf,
	    sizeof(buf));
	memset(&c, 0, sizeof(c));
	ab_apply(&ab, AB_SUBSCRIBED, buf, n, &c);
	ck_assert_uint_eq(c.applied, 1);
	ck_assert_uint_eq(c.added, 2);
	ck_assert_uint_eq(ab_counts_refused(&c), 0);
	n = unit_load(TESTS_DIR "/fuzz/corpus/fuzz_feed/add", buf,
	    sizeof(buf));
	memset(&c, 0, sizeof(c));
	ab_apply(&ab, AB_SUBSCRIBED, buf, n, &c);
	ck_assert_uint_eq(c.applied, 1);
	/* s.i2p moved to t.i2p's Destination; the first add is old news */
	ck_assert_ptr_nonnull(s = ab_lookup(&ab, "s.i2p", NULL));
	ck_assert_ptr_nonnull(t = ab_lookup(&ab, "t.i2p", NULL));
	ck_assert(memcmp(s->hash, t->hash, I2P_HASH_LEN) == 0);
	ck_assert_uint_eq(c.conflicts, 1);
	n = unit_load(TESTS_DIR "/fuzz/corpus/fuzz_feed/remove", buf,
	    sizeof(buf));
	ab_free(&ab);
	ab_init(&ab);
	memset(&c, 0, sizeof(c));
	ab_apply(&ab, AB_SUBSCRIBED, buf, n, &c);
	ck_assert_uint_eq(c.applied, 2);
	ck_assert_uint_eq(c.removed, 2);
	ck_assert_uint_eq(ab_count(&ab, AB_SUBSCRIBED), 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("tunneld_addrbook");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_next_line);
	tcase_add_test(tc, test_signed_add);
	tcase_add_test(tc, test_changedest);
	tcase_add_test(tc, test_changedest_mismatch);
	tcase_add_test(tc, test_remove);
	tcase_add_test(tc, test_names_commands);
	tcase_add_test(tc, test_store);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_foreign_feed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
