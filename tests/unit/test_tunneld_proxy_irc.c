/*
 * The IRC filter and WEBIRC line (tunneld/proxy_irc.c): exact output
 * for allowed, rewritten and dropped lines in both directions; CTCP
 * VERSION and DCC SEND filtered both ways; IRCv3 tags; the length
 * bounds at and past their limits; malformed lines; line splitting
 * across reads, CR LF and bare LF, over-long lines skipped; counters.
 */
#include <check.h>
#include <string.h>

#include "../../tunneld/proxy_irc.h"
#include "unit.h"

static uint8_t		 outb[3 * IRC_LINE_MAX];
static struct wbuf	 W;
static enum irc_drop	 why;

static enum irc_verdict
line(enum irc_dir dir, const char *s)
{
	wbuf_init_fixed(&W, outb, sizeof(outb));
	why = IRC_DROP_NREASONS;
	return irc_filter_line(dir, (const uint8_t *)s, strlen(s), &W, &why);
}

static void
out_is(const char *want)
{
	ck_assert_uint_eq(wbuf_len(&W), strlen(want));
	ck_assert_mem_eq(wbuf_data(&W), want, strlen(want));
}

/* the line passes unchanged, CR LF ended */
static void
passes(enum irc_dir dir, const char *s)
{
	char	want[IRC_LINE_MAX + 2];

	ck_assert_msg(line(dir, s) == IRC_PASS, "%s", s);
	snprintf(want, sizeof(want), "%s\r\n", s);
	out_is(want);
}

static void
rewrites(const char *s, const char *want)
{
	ck_assert_msg(line(IRC_OUTBOUND, s) == IRC_REWRITE, "%s", s);
	out_is(want);
}

static void
drops(enum irc_dir dir, const char *s, enum irc_drop reason)
{
	ck_assert_msg(line(dir, s) == IRC_DROP, "%s", s);
	ck_assert_msg(why == reason, "%s: %s", s, irc_drop_name(why));
	ck_assert_uint_eq(wbuf_len(&W), 0);
}

START_TEST(out_allowed)
{
	passes(IRC_OUTBOUND, "NICK alice");
	passes(IRC_OUTBOUND, "JOIN #i2p");
	passes(IRC_OUTBOUND, "privmsg #i2p :hello world");
	passes(IRC_OUTBOUND, "NOTICE bob :see you");
	passes(IRC_OUTBOUND, "CAP LS 302");
	passes(IRC_OUTBOUND, "AUTHENTICATE PLAIN");
	passes(IRC_OUTBOUND, "MODE #i2p +o bob");
	passes(IRC_OUTBOUND, "WHOIS bob");
	passes(IRC_OUTBOUND, "NICKSERV IDENTIFY pw");
	passes(IRC_OUTBOUND, "VERSION");
	passes(IRC_OUTBOUND, "PROTOCTL NAMESX");
	passes(IRC_OUTBOUND, "ZLINE 1.2.3.4 :spam");
	/* the ends and middle of the sorted list (bsearch) */
	passes(IRC_OUTBOUND, "ACCEPT +bob");
	passes(IRC_OUTBOUND, "WHOWAS bob");
	passes(IRC_OUTBOUND, "LUSERS");
	passes(IRC_OUTBOUND, "USER joe 0 * :Joe Bloggs");
	passes(IRC_OUTBOUND, "PING token");
	passes(IRC_OUTBOUND, "PONG tok");
	passes(IRC_OUTBOUND, "QUIT :leaving");
	/* /me */
	passes(IRC_OUTBOUND, "PRIVMSG #i2p :\001ACTION waves\001");
	passes(IRC_OUTBOUND, "PRIVMSG #i2p :\001ACTION waves");
	passes(IRC_OUTBOUND, "PRIVMSG #i2p :\001ACTION\001");
}
END_TEST

START_TEST(out_rewritten)
{
	/* the client's host and server names */
	rewrites("USER joe joe-laptop irc.postman.i2p :Joe Bloggs",
	    "USER joe 0 * :Joe Bloggs\r\n");
	rewrites("USER joe 8 * Joe", "USER joe 0 * :Joe\r\n");
	/* messages that name the client */
	rewrites("QUIT :HexChat 2.16.1: www.hexchat.org",
	    "QUIT :leaving\r\n");
	rewrites("QUIT", "QUIT :leaving\r\n");
	rewrites("PART #i2p :Konversation terminated!",
	    "PART #i2p :leaving\r\n");
	rewrites("part #a,#b", "PART #a,#b :leaving\r\n");
	/* BitchX's PING with the proxy's address; PONG keeps the token */
	rewrites("PING 1234567890 127.0.0.1", "PING 1234567890\r\n");
	rewrites("PING :irc.postman.i2p", "PING irc.postman.i2p\r\n");
	rewrites("PONG laptop.lan :irc.postman.i2p",
	    "PONG irc.postman.i2p\r\n");
	passes(IRC_OUTBOUND, "PONG :two words");
	/* the client's tags go, the rest is kept as it was */
	rewrites("@label=x;+typing=active PRIVMSG #c :hi",
	    "PRIVMSG #c :hi\r\n");
	rewrites("@a=b   JOIN  #c", "JOIN  #c\r\n");
}
END_TEST

START_TEST(out_dropped)
{
	drops(IRC_OUTBOUND, ":alice PRIVMSG #c :hi", IRC_DROP_PREFIX);
	drops(IRC_OUTBOUND, "WEBIRC pw cgiirc host 1.2.3.4", IRC_DROP_COMMAND);
	drops(IRC_OUTBOUND, "CONNECT irc.example.org 6667", IRC_DROP_COMMAND);
	drops(IRC_OUTBOUND, "SERVER x 1 :y", IRC_DROP_COMMAND);
	drops(IRC_OUTBOUND, "ENCAP * X", IRC_DROP_COMMAND);
	drops(IRC_OUTBOUND, "TAGMSG #c", IRC_DROP_COMMAND);
	drops(IRC_OUTBOUND, "001 alice :hi", IRC_DROP_COMMAND);
	/* CTCP requests and replies a client makes by itself */
	drops(IRC_OUTBOUND, "PRIVMSG bob :\001VERSION\001", IRC_DROP_CTCP);
	drops(IRC_OUTBOUND, "NOTICE bob :\001VERSION HexChat 2.16.1 / "
	    "Linux 6.1\001", IRC_DROP_CTCP);
	drops(IRC_OUTBOUND, "NOTICE bob :\001TIME Mon Dec 7 13:00\001",
	    IRC_DROP_CTCP);
	drops(IRC_OUTBOUND, "PRIVMSG bob :\001PING 1700000000\001",
	    IRC_DROP_CTCP);
	drops(IRC_OUTBOUND, "PRIVMSG bob :\001FINGER\001", IRC_DROP_CTCP);
	drops(IRC_OUTBOUND, "PRIVMSG bob :\001USERINFO\001", IRC_DROP_CTCP);
	drops(IRC_OUTBOUND, "PRIVMSG bob :\001CLIENTINFO\001", IRC_DROP_CTCP);
	drops(IRC_OUTBOUND, "PRIVMSG bob :\001ACTIONX\001", IRC_DROP_CTCP);
	drops(IRC_OUTBOUND, "PRIVMSG bob :hi \001ACTION x\001", IRC_DROP_CTCP);
	drops(IRC_OUTBOUND, "PRIVMSG bob :\001ACTION a\001\001VERSION\001",
	    IRC_DROP_CTCP);
	drops(IRC_OUTBOUND, "PRIVMSG bob :\001ACTION a\001 b", IRC_DROP_CTCP);
	drops(IRC_OUTBOUND, "TOPIC #c :\001VERSION\001", IRC_DROP_CTCP);
	drops(IRC_OUTBOUND, "PRIVMSG \001 :x", IRC_DROP_CTCP);
	/* DCC, as CTCP and as mIRC's plain NOTICE */
	drops(IRC_OUTBOUND, "PRIVMSG bob :\001DCC SEND file.txt 3232235777 "
	    "5000 1024\001", IRC_DROP_DCC);
	drops(IRC_OUTBOUND, "PRIVMSG bob :\001dcc chat chat 3232235777 "
	    "5001\001", IRC_DROP_DCC);
	drops(IRC_OUTBOUND, "NOTICE bob :DCC Send file.txt (192.168.1.1)",
	    IRC_DROP_DCC);
	/* a rewritten command without what it needs */
	drops(IRC_OUTBOUND, "USER joe", IRC_DROP_MALFORMED);
	drops(IRC_OUTBOUND, "USER joe a b c d", IRC_DROP_MALFORMED);
	drops(IRC_OUTBOUND, "PART", IRC_DROP_MALFORMED);
	drops(IRC_OUTBOUND, "PART :#a #b", IRC_DROP_MALFORMED);
}
END_TEST

START_TEST(in_lines)
{
	passes(IRC_INBOUND, ":irc.postman.i2p 001 alice :Welcome");
	passes(IRC_INBOUND, "@time=2026-12-07T13:00:00.000Z :bob!b@x "
	    "PRIVMSG #i2p :hi");
	passes(IRC_INBOUND, ":bob!b@x PRIVMSG #i2p :\001ACTION waves\001");
	passes(IRC_INBOUND, "PING :irc.postman.i2p");
	passes(IRC_INBOUND, ":srv PONG srv :tok");
	passes(IRC_INBOUND, ":bob!b@x QUIT :Client Quit");
	passes(IRC_INBOUND, ":srv CAP * ACK :message-tags");
	passes(IRC_INBOUND, "ERROR :Closing link");
	passes(IRC_INBOUND, ":bob!b@x NICK bobby");
	/* CTCP requests that would make the client answer */
	drops(IRC_INBOUND, ":bob!b@x PRIVMSG alice :\001VERSION\001",
	    IRC_DROP_CTCP);
	drops(IRC_INBOUND, ":bob!b@x PRIVMSG alice :\001TIME\001",
	    IRC_DROP_CTCP);
	drops(IRC_INBOUND, ":bob!b@x NOTICE alice :\001PING 1\001",
	    IRC_DROP_CTCP);
	drops(IRC_INBOUND, ":bob!b@x PRIVMSG alice :\001DCC SEND evil.exe "
	    "2130706433 4000 100\001", IRC_DROP_DCC);
	drops(IRC_INBOUND, ":srv SQUIT x", IRC_DROP_COMMAND);
	drops(IRC_INBOUND, ":srv WHOIS alice", IRC_DROP_COMMAND);
	drops(IRC_INBOUND, ":srv WEBIRC pw u h 1.2.3.4", IRC_DROP_COMMAND);
	passes(IRC_INBOUND, ":srv PROTOCTL NAMESX");
	passes(IRC_INBOUND, ":bob!b@x ACCOUNT bob");
	passes(IRC_INBOUND, ":srv WARN REHASH CERTS_EXPIRED :soon");
	passes(IRC_INBOUND, ":bob!b@x MODE #c +v alice");
	drops(IRC_INBOUND, ":srv 12 alice", IRC_DROP_MALFORMED);
}
END_TEST

START_TEST(malformed)
{
	static const char	*bad[] = {
		"   ", "@ JOIN #a", "@tags", "@t  ", ": JOIN #a", ":p",
		"JO1N #a", "1234 x", "12 x", "JOIN\r#a", "J\nOIN",
		"#JOIN", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG x",
	};
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		drops(IRC_OUTBOUND, bad[i], IRC_DROP_MALFORMED);
		drops(IRC_INBOUND, bad[i], IRC_DROP_MALFORMED);
	}
	wbuf_init_fixed(&W, outb, sizeof(outb));
	ck_assert_int_eq(irc_filter_line(IRC_OUTBOUND,
	    (const uint8_t *)"JO\0IN", 5, &W, &why), IRC_DROP);
	ck_assert_int_eq(why, IRC_DROP_MALFORMED);
	ck_assert_int_eq(irc_filter_line(IRC_INBOUND, outb, 0, &W, &why),
	    IRC_DROP);
	ck_assert_int_eq(why, IRC_DROP_MALFORMED);
	ck_assert_str_eq(irc_drop_name(IRC_DROP_DCC), "DCC");
	ck_assert_str_eq(irc_drop_name(IRC_DROP_NREASONS), "unknown");
}
END_TEST

/* many parameters: the 15th takes the rest */
START_TEST(params)
{
	rewrites("PING a b c d e f g h i j k l m n o p q",
	    "PING a\r\n");
	rewrites("PONG a b c d e f g h i j k l m n o p q",
	    "PONG :o p q\r\n");
}
END_TEST

START_TEST(bounds)
{
	static char	 s[IRC_LINE_MAX + 8];
	size_t		 n;

	/* 510 bytes of message are allowed, 511 are not */
	memset(s, 0, sizeof(s));
	memcpy(s, "PRIVMSG #c :", 12);
	memset(s + 12, 'x', 510 - 12);
	passes(IRC_OUTBOUND, s);
	passes(IRC_INBOUND, s);
	s[510] = 'x';
	drops(IRC_OUTBOUND, s, IRC_DROP_TOOLONG);
	drops(IRC_INBOUND, s, IRC_DROP_TOOLONG);
	/* tags up to 8191 bytes with '@' and the space, then 510 more */
	memset(s, 0, sizeof(s));
	s[0] = '@';
	memset(s + 1, 't', 8189);
	n = 8190;
	s[n++] = ' ';
	memcpy(s + n, "PRIVMSG #c :", 12);
	memset(s + n + 12, 'y', 510 - 12);
	passes(IRC_INBOUND, s);
	ck_assert_int_eq(line(IRC_OUTBOUND, s), IRC_REWRITE);
	ck_assert_uint_eq(wbuf_len(&W), 512);
	memmove(s + 2, s + 1, strlen(s + 1) + 1);
	s[1] = 't';
	drops(IRC_INBOUND, s, IRC_DROP_TOOLONG);
	/* no room in the output: dropped, nothing written */
	wbuf_init_fixed(&W, outb, 20);
	ck_assert_int_eq(irc_filter_line(IRC_OUTBOUND,
	    (const uint8_t *)"JOIN #a", 7, &W, &why), IRC_DROP);
	ck_assert_int_eq(why, IRC_DROP_TOOLONG);
	ck_assert_uint_eq(wbuf_len(&W), 0);
}
END_TEST

static struct irc_filter	 F;

static int
feed(const char *s)
{
	return irc_filter_feed(&F, (const uint8_t *)s, strlen(s), &W);
}

/* a session through the filter, cut in odd places, counted */
START_TEST(feed_out)
{
	irc_filter_init(&F, IRC_OUTBOUND);
	wbuf_init_fixed(&W, outb, sizeof(outb));
	ck_assert_int_eq(feed("NICK alice\r\nUSER a b c :A\r"), 0);
	ck_assert_int_eq(feed("\nJO"), 0);
	ck_assert_int_eq(feed("IN #i2p\n\r\n\nPRIVMSG bob :\001VERSION\001\r\n"
	    "PRIVMSG bob :\001DCC SEND f 1 2 3\001\r\nFOO\r\n"), 0);
	ck_assert_int_eq(feed("QUIT :bye from my laptop\r\nPART #"), 0);
	out_is("NICK alice\r\nUSER a 0 * :A\r\nJOIN #i2p\r\n"
	    "QUIT :leaving\r\n");
	ck_assert_uint_eq(F.count.passed, 2);
	ck_assert_uint_eq(F.count.rewritten, 2);
	ck_assert_uint_eq(F.count.dropped[IRC_DROP_CTCP], 1);
	ck_assert_uint_eq(F.count.dropped[IRC_DROP_DCC], 1);
	ck_assert_uint_eq(F.count.dropped[IRC_DROP_COMMAND], 1);
	/* the held "PART #" completes with the next read */
	ck_assert_int_eq(feed("x\n"), 0);
	out_is("NICK alice\r\nUSER a 0 * :A\r\nJOIN #i2p\r\n"
	    "QUIT :leaving\r\nPART #x :leaving\r\n");
}
END_TEST

START_TEST(feed_in)
{
	irc_filter_init(&F, IRC_INBOUND);
	wbuf_init_fixed(&W, outb, sizeof(outb));
	ck_assert_int_eq(feed(":s 001 a :hi\n:b!b@h PRIVMSG a :\001VERSION"
	    "\001\n:b!b@h PRIVMSG a :\001DCC SEND x 2130706433 1 1\001\r\n"
	    ":b!b@h PRIVMSG a :ok\r\n"), 0);
	out_is(":s 001 a :hi\r\n:b!b@h PRIVMSG a :ok\r\n");
	ck_assert_uint_eq(F.count.passed, 2);
	ck_assert_uint_eq(F.count.dropped[IRC_DROP_CTCP], 1);
	ck_assert_uint_eq(F.count.dropped[IRC_DROP_DCC], 1);
}
END_TEST

START_TEST(feed_toolong)
{
	static uint8_t	 big[IRC_LINE_MAX * 2];

	irc_filter_init(&F, IRC_INBOUND);
	wbuf_init_fixed(&W, outb, sizeof(outb));
	/* a line with no end fills the buffer; the rest of it is skipped */
	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(irc_filter_feed(&F, big, sizeof(big), &W), 0);
	ck_assert_int_eq(irc_filter_feed(&F, big, sizeof(big), &W), 0);
	ck_assert_uint_eq(F.count.dropped[IRC_DROP_TOOLONG], 1);
	ck_assert_int_eq(feed("still the long line\nPING :x\n"), 0);
	out_is("PING :x\r\n");
	ck_assert_uint_eq(F.count.dropped[IRC_DROP_TOOLONG], 1);
	ck_assert_uint_eq(F.count.passed, 1);
	/* a line that fits the buffer but not the limits */
	memset(big, 'x', 600);
	big[600] = '\n';
	ck_assert_int_eq(irc_filter_feed(&F, big, 601, &W), 0);
	ck_assert_uint_eq(F.count.dropped[IRC_DROP_TOOLONG], 2);
	/* no room for a line's output: the engine closes */
	wbuf_init_fixed(&W, outb, 8);
	ck_assert_int_eq(feed("PING :x\n"), -1);
}
END_TEST

START_TEST(webirc)
{
	static const char	 b32[] =
	    "ukeu3k5oycgaauneqgtnvselmt4yemvoilkln7jpvamvfx7dnkdq.b32.i2p";
	char			 want[256];
	char			 longhost[600];

	wbuf_init_fixed(&W, outb, sizeof(outb));
	ck_assert_int_eq(irc_webirc(&W, "s3cret", "cgiirc", b32,
	    "127.0.0.1"), 0);
	snprintf(want, sizeof(want), "WEBIRC s3cret cgiirc %s 127.0.0.1\r\n",
	    b32);
	out_is(want);
	/* an address starting with ':' would read as a trailing parameter */
	wbuf_init_fixed(&W, outb, sizeof(outb));
	ck_assert_int_eq(irc_webirc(&W, "pw", "cgiirc", b32, "::1"), 0);
	snprintf(want, sizeof(want), "WEBIRC pw cgiirc %s 0::1\r\n", b32);
	out_is(want);
	wbuf_init_fixed(&W, outb, sizeof(outb));
	ck_assert_int_eq(irc_webirc(&W, "pw", "u", "h", "fd00::1"), 0);
	out_is("WEBIRC pw u h fd00::1\r\n");
	/* refused */
	ck_assert_int_eq(irc_webirc(&W, "", "u", "h", "1.2.3.4"), -1);
	ck_assert_int_eq(irc_webirc(&W, "a b", "u", "h", "1.2.3.4"), -1);
	ck_assert_int_eq(irc_webirc(&W, ":pw", "u", "h", "1.2.3.4"), -1);
	ck_assert_int_eq(irc_webirc(&W, "pw\r\nQUIT", "u", "h", "1.2.3.4"),
	    -1);
	ck_assert_int_eq(irc_webirc(&W, "pw", "", "h", "1.2.3.4"), -1);
	ck_assert_int_eq(irc_webirc(&W, "pw", "u", "h\x7f", "1.2.3.4"), -1);
	ck_assert_int_eq(irc_webirc(&W, "pw", "u", "h", "localhost"), -1);
	ck_assert_int_eq(irc_webirc(&W, "pw", "u", "h", "1.2.3"), -1);
	ck_assert_int_eq(irc_webirc(&W, "pw", "u", "h", ""), -1);
	memset(longhost, 'h', sizeof(longhost) - 1);
	longhost[sizeof(longhost) - 1] = '\0';
	ck_assert_int_eq(irc_webirc(&W, "pw", "u", longhost, "1.2.3.4"), -1);
	/* nothing was written by a refused call */
	out_is("WEBIRC pw u h fd00::1\r\n");
	/* a full buffer */
	wbuf_init_fixed(&W, outb, 10);
	ck_assert_int_eq(irc_webirc(&W, "pw", "u", "h", "1.2.3.4"), -1);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("proxy_irc");
	TCase	*tc = tcase_create("irc");

	tcase_add_test(tc, out_allowed);
	tcase_add_test(tc, out_rewritten);
	tcase_add_test(tc, out_dropped);
	tcase_add_test(tc, in_lines);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, params);
	tcase_add_test(tc, bounds);
	tcase_add_test(tc, feed_out);
	tcase_add_test(tc, feed_in);
	tcase_add_test(tc, feed_toolong);
	tcase_add_test(tc, webirc);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
