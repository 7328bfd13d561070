/*
 * i2pctl: command line parser, uptime formatter and text output.
 */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "../../i2pctl/i2pctl.h"
#include "../../i2pctl/parser.h"
#include "unit.h"

/* parse a NULL-terminated word list; *errtext gets what parse wrote */
static int
run_parse(const struct token *table, struct parse_result *res,
    char **errtext, ...)
{
	va_list	 ap;
	char	*argv[16], *w;
	int	 argc = 0, rv;
	size_t	 len;
	FILE	*errf;

	va_start(ap, errtext);
	while ((w = va_arg(ap, char *)) != NULL && argc < 15)
		argv[argc++] = w;
	va_end(ap);
	argv[argc] = NULL;

	errf = open_memstream(errtext, &len);
	ck_assert_ptr_nonnull(errf);
	if (table == NULL)
		rv = parse(argc, argv, res, errf);
	else
		rv = parse_table(table, argc, argv, res, errf);
	fclose(errf);
	return rv;
}

static void
check_ok(enum actions want, ...)
{
	struct parse_result	 res;
	va_list			 ap;
	char			*argv[16], *w, *errtext;
	int			 argc = 0, rv;
	size_t			 len;
	FILE			*errf;

	va_start(ap, want);
	while ((w = va_arg(ap, char *)) != NULL && argc < 15)
		argv[argc++] = w;
	va_end(ap);
	argv[argc] = NULL;

	errf = open_memstream(&errtext, &len);
	rv = parse(argc, argv, &res, errf);
	fclose(errf);
	ck_assert_msg(rv == 0, "parse of \"%s\" failed: %s",
	    argc > 0 ? argv[0] : "", errtext);
	ck_assert_int_eq(res.action, want);
	ck_assert_str_eq(errtext, "");
	free(errtext);
}

static void
check_err(const char *want, ...)
{
	struct parse_result	 res;
	va_list			 ap;
	char			*argv[16], *w, *errtext;
	int			 argc = 0, rv;
	size_t			 len;
	FILE			*errf;

	va_start(ap, want);
	while ((w = va_arg(ap, char *)) != NULL && argc < 15)
		argv[argc++] = w;
	va_end(ap);
	argv[argc] = NULL;

	errf = open_memstream(&errtext, &len);
	rv = parse(argc, argv, &res, errf);
	fclose(errf);
	ck_assert_int_eq(rv, -1);
	ck_assert_str_eq(errtext, want);
	free(errtext);
}

#define MAIN_LIST \
	"valid commands/arguments:\n  show\n  reload\n  reseed\n  log\n" \
	"  addressbook\n"
#define SHOW_LIST \
	"valid commands/arguments:\n  <cr>\n  summary\n  router\n  peers\n" \
	"  transports\n  netdb\n  floodfill\n  transit\n  tunnels\n  profiles\n  sam\n" \
	"  destinations\n  sessions\n  streams\n  addressbook\n" \
	"  metrics\n"
#define LOG_LIST \
	"valid commands/arguments:\n  verbose\n  brief\n"

START_TEST(test_parse_full_words)
{
	check_ok(SHOW_SUMMARY, "show", "summary", NULL);
	check_ok(SHOW_SUMMARY, "show", NULL);
	check_ok(RELOAD, "reload", NULL);
	check_ok(LOG_VERBOSE, "log", "verbose", NULL);
	check_ok(LOG_BRIEF, "log", "brief", NULL);
	check_ok(SHOW_NETDB, "show", "netdb", NULL);
	check_ok(SHOW_FLOODFILL, "show", "floodfill", NULL);
	check_ok(SHOW_SAM, "show", "sam", NULL);
	check_ok(SHOW_DESTS, "show", "destinations", NULL);
	check_ok(SHOW_RSESS, "show", "sessions", NULL);
	check_ok(SHOW_STREAMS, "show", "streams", NULL);
	check_ok(SHOW_TRANSIT, "show", "transit", NULL);
	check_ok(SHOW_PEERS_LIMITS, "show", "peers", "limits", NULL);
	check_ok(SHOW_TRANSPORTS, "show", "transports", NULL);
	check_ok(SHOW_TUNNELS, "show", "tunnels", NULL);
	check_ok(SHOW_PROFILES, "show", "profiles", NULL);
	check_ok(SHOW_METRICS, "show", "metrics", NULL);
}
END_TEST

START_TEST(test_parse_prefixes)
{
	check_ok(SHOW_SUMMARY, "sh", "su", NULL);
	check_ok(SHOW_SUMMARY, "s", "su", NULL);
	check_ok(SHOW_SAM, "s", "sa", NULL);
	check_ok(SHOW_RSESS, "s", "se", NULL);
	check_ok(SHOW_SUMMARY, "s", NULL);
	check_ok(RESEED_IMPORT, "res", "i", "/tmp/x.zip", NULL);
	check_ok(RESEED_EXPORT, "reseed", "export", "/tmp/x.su3", NULL);
	check_ok(RESEED_CERT, "reseed", "cert", NULL);
	check_ok(RESEED_FETCH, "reseed", "f", NULL);
	check_ok(RELOAD, "rel", NULL);
	check_ok(LOG_VERBOSE, "l", "v", NULL);
	check_ok(LOG_BRIEF, "lo", "br", NULL);
	check_ok(SHOW_NETDB, "sh", "n", NULL);
	check_ok(SHOW_FLOODFILL, "sh", "f", NULL);
	check_ok(SHOW_METRICS, "sh", "m", NULL);
}
END_TEST

/* show netdb router|leaseset HASH: the hash decoded into the result */
START_TEST(test_parse_hash)
{
	struct parse_result	 res;
	char			*argv[5], *errtext;
	const char		*h = "DIdCPwIcGu6jRX90vg9WWxwun06bxJ9wG~6jSG8-yqQ=";
	size_t			 len;
	FILE			*errf;

	argv[0] = "show";
	argv[1] = "netdb";
	argv[2] = "router";
	argv[3] = (char *)h;
	argv[4] = NULL;
	errf = open_memstream(&errtext, &len);
	ck_assert_int_eq(parse(4, argv, &res, errf), 0);
	fclose(errf);
	free(errtext);
	ck_assert_int_eq(res.action, SHOW_NETDB_ROUTER);
	ck_assert_uint_eq(res.hash[0], 0x0c);
	ck_assert_uint_eq(res.hash[31], 0xa4);
	check_ok(SHOW_NETDB_LEASESET, "show", "netdb", "leaseset", h, NULL);
	check_ok(SHOW_NETDB_ROUTER, "sh", "n", "r", h, NULL);
	check_ok(SHOW_NETDB, "show", "netdb", NULL);
	check_err("not a base64 hash: abc\nvalid commands/arguments:\n"
	    "  <hash>\n", "show", "netdb", "router", "abc", NULL);
	check_err("missing argument:\nvalid commands/arguments:\n"
	    "  <hash>\n", "show", "netdb", "leaseset", NULL);
	check_err("superfluous argument: x\n", "show", "netdb", "router", h,
	    "x", NULL);
}
END_TEST

START_TEST(test_parse_unknown)
{
	check_err("unknown argument: foo\n" MAIN_LIST, "foo", NULL);
	/* reload and reseed share "re" */
	check_err("ambiguous argument: re\n" MAIN_LIST, "re", NULL);
	check_err("missing argument:\nvalid commands/arguments:\n  <file>\n",
	    "reseed", "import", NULL);
	/* longer than the keyword is not a prefix */
	check_err("unknown argument: shows\n" MAIN_LIST, "shows", NULL);
	/* case matters, as in bgpctl */
	check_err("unknown argument: Show\n" MAIN_LIST, "Show", NULL);
	check_err("unknown argument: foo\n" SHOW_LIST, "show", "foo", NULL);
	/* summary, sam and sessions share "s" */
	check_err("ambiguous argument: s\n" SHOW_LIST, "show", "s", NULL);
	check_err("unknown argument: loud\n" LOG_LIST, "log", "loud", NULL);
	/* "" is a prefix of everything but names nothing */
	check_err("unknown argument: \n" MAIN_LIST, "", NULL);
	check_err("unknown argument: \n" LOG_LIST, "log", "", NULL);
}
END_TEST

START_TEST(test_parse_missing)
{
	check_err("missing argument:\n" LOG_LIST, "log", NULL);
	check_err("missing argument:\n" LOG_LIST, "l", NULL);
	/* no words at all (main prints usage before it gets here) */
	check_err("missing argument:\n" MAIN_LIST, NULL);
}
END_TEST

START_TEST(test_parse_superfluous)
{
	check_err("superfluous argument: now\n", "reload", "now", NULL);
	check_err("superfluous argument: x\n", "show", "summary", "x", NULL);
	check_err("superfluous argument: x\n", "log", "verbose", "x", "y",
	    NULL);
}
END_TEST

/* a grammar with shared prefixes, which the real one lacks today */
static const struct token t_sub[] = {
	{ KEYWORD,	"one",		RELOAD,		NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};
static const struct token t_amb[] = {
	{ KEYWORD,	"ab",		LOG_BRIEF,	NULL },
	{ KEYWORD,	"abc",		LOG_VERBOSE,	NULL },
	{ KEYWORD,	"abd",		SHOW_SUMMARY,	t_sub },
	{ ENDTOKEN,	"",		NONE,		NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL }
};

START_TEST(test_parse_ambiguous)
{
	struct parse_result	 res;
	char			*e;

	ck_assert_int_eq(run_parse(t_amb, &res, &e, "a", NULL), -1);
	ck_assert_str_eq(e, "ambiguous argument: a\n"
	    "valid commands/arguments:\n  ab\n  abc\n  abd\n  <cr>\n");
	free(e);

	/* an exact keyword wins over the longer ones it prefixes */
	ck_assert_int_eq(run_parse(t_amb, &res, &e, "ab", NULL), 0);
	ck_assert_int_eq(res.action, LOG_BRIEF);
	free(e);

	ck_assert_int_eq(run_parse(t_amb, &res, &e, "abc", NULL), 0);
	ck_assert_int_eq(res.action, LOG_VERBOSE);
	free(e);

	/* the value is set by the keyword, kept through the next table */
	ck_assert_int_eq(run_parse(t_amb, &res, &e, "abd", "o", NULL), 0);
	ck_assert_int_eq(res.action, RELOAD);
	free(e);

	ck_assert_int_eq(run_parse(t_amb, &res, &e, "abd", NULL), -1);
	ck_assert_str_eq(e, "missing argument:\n"
	    "valid commands/arguments:\n  one\n");
	free(e);

	/* ENDTOKEN: nothing at all is fine here */
	ck_assert_int_eq(run_parse(t_amb, &res, &e, NULL), 0);
	ck_assert_int_eq(res.action, NONE);
	free(e);
}
END_TEST

static const char *
tf(int64_t t)
{
	static char	 buf[64];

	return fmt_timeframe(t, buf, sizeof(buf));
}

START_TEST(test_fmt_timeframe)
{
	ck_assert_str_eq(tf(0), "00:00:00");
	ck_assert_str_eq(tf(1), "00:00:01");
	ck_assert_str_eq(tf(59), "00:00:59");
	ck_assert_str_eq(tf(60), "00:01:00");
	ck_assert_str_eq(tf(3723), "01:02:03");
	ck_assert_str_eq(tf(86399), "23:59:59");
	ck_assert_str_eq(tf(86400), "1d00h00m");
	ck_assert_str_eq(tf(93780), "1d02h03m");
	ck_assert_str_eq(tf(93789), "1d02h03m");	/* seconds dropped */
	ck_assert_str_eq(tf(10 * 86400 + 23 * 3600 + 59 * 60), "10d23h59m");
	ck_assert_str_eq(tf(400 * 86400LL), "400d00h00m");
	ck_assert_str_eq(tf(-5), "00:00:00");
	ck_assert_str_eq(tf(INT64_MIN), "00:00:00");
	ck_assert_str_eq(tf(INT64_MAX), "106751991167300d15h30m");

	/* a too short buffer truncates, never overflows */
	{
		char	 small[4];

		ck_assert_str_eq(fmt_timeframe(3723, small, sizeof(small)),
		    "01:");
	}
}
END_TEST

START_TEST(test_uptime)
{
	struct ctl_summary	 s;

	memset(&s, 0, sizeof(s));
	s.started = 1000;
	s.now = 4723;
	ck_assert_int_eq(summary_uptime(&s), 3723);
	s.now = 999;		/* clock stepped back */
	ck_assert_int_eq(summary_uptime(&s), 0);
	s.now = 1000;
	ck_assert_int_eq(summary_uptime(&s), 0);
}
END_TEST

static void
fill_summary(struct ctl_summary *s)
{
	memset(s, 0, sizeof(*s));
	strlcpy(s->version, "0.1.0", sizeof(s->version));
	strlcpy(s->statedir, "/var/lib/i2prd", sizeof(s->statedir));
	strlcpy(s->log_level, "info", sizeof(s->log_level));
	s->started = 1700000000;
	s->now = s->started + 93780;
	s->netid = 2;
	s->floodfill = 0;
	s->generation = 0;
}

static void
fill_proc(struct ctl_proc *p, const char *name, int pid)
{
	memset(p, 0, sizeof(*p));
	strlcpy(p->name, name, sizeof(p->name));
	p->pid = pid;
}

static const char summary_text[] =
    "Version              0.1.0\n"
    "Uptime               1d02h03m\n"
    "State directory      /var/lib/i2prd\n"
    "Network ID           2\n"
    "Floodfill            no\n"
    "Log level            info\n"
    "Config generation    0\n"
    "Router hash          (not published yet)\n"
    "Caps                 -\n"
    "\n"
    "Process    PID\n"
    "parent     1234\n"
    "netd       1235\n"
    "cryptod    1236\n"
    "routerd    1237\n"
    "tunneld    1238\n";

START_TEST(test_text_summary)
{
	struct ctl_summary	 s;
	struct ctl_proc		 p[5];
	char			*text;
	size_t			 len;
	FILE			*fp;

	fill_summary(&s);
	fill_proc(&p[0], "parent", 1234);
	fill_proc(&p[1], "netd", 1235);
	fill_proc(&p[2], "cryptod", 1236);
	fill_proc(&p[3], "routerd", 1237);
	fill_proc(&p[4], "tunneld", 1238);

	fp = open_memstream(&text, &len);
	print_summary_text(fp, &s, p, 5);
	fclose(fp);
	ck_assert_str_eq(text, summary_text);
	free(text);
}
END_TEST

/* the same through the callback table, as the reply loop drives it */
START_TEST(test_text_output_callbacks)
{
	struct parse_result	 res = { .action = SHOW_SUMMARY };
	struct ctl_summary	 s;
	struct ctl_proc		 p;
	char			*text, *etext;
	size_t			 len, elen;
	FILE			*fp, *efp;
	static const char *names[] =
	    { "parent", "netd", "cryptod", "routerd", "tunneld" };
	int			 i;

	fp = open_memstream(&text, &len);
	efp = open_memstream(&etext, &elen);
	output_setfiles(fp, efp);
	fill_summary(&s);
	text_output.head(&res);
	text_output.summary(&s);
	for (i = 0; i < 5; i++) {
		fill_proc(&p, names[i], 1234 + i);
		text_output.proc(&p);
	}
	/* nothing is printed before tail */
	fflush(fp);
	ck_assert_uint_eq(len, 0);
	text_output.tail();
	output_setfiles(NULL, NULL);
	fclose(fp);
	fclose(efp);
	ck_assert_str_eq(text, summary_text);
	ck_assert_str_eq(etext, "");
	free(text);
	free(etext);
}
END_TEST

START_TEST(test_text_summary_widths)
{
	struct ctl_summary	 s;
	struct ctl_proc		 p[2];
	char			*text;
	size_t			 len;
	FILE			*fp;

	fill_summary(&s);
	s.now = s.started + 3723;
	s.floodfill = 1;
	s.netid = 99;
	s.generation = 4294967295U;
	strlcpy(s.log_level, "debug", sizeof(s.log_level));
	/* the name column follows the widest name */
	fill_proc(&p[0], "averyveryverylongname", 1);
	fill_proc(&p[1], "x", 2147483647);

	fp = open_memstream(&text, &len);
	print_summary_text(fp, &s, p, 2);
	fclose(fp);
	ck_assert_str_eq(text,
	    "Version              0.1.0\n"
	    "Uptime               01:02:03\n"
	    "State directory      /var/lib/i2prd\n"
	    "Network ID           99\n"
	    "Floodfill            yes\n"
	    "Log level            debug\n"
	    "Config generation    4294967295\n"
	    "Router hash          (not published yet)\n"
	    "Caps                 -\n"
	    "\n"
	    "Process                  PID\n"
	    "averyveryverylongname    1\n"
	    "x                        2147483647\n");
	free(text);
}
END_TEST

START_TEST(test_text_summary_noprocs_and_controls)
{
	struct ctl_summary	 s;
	char			*text;
	size_t			 len;
	FILE			*fp;

	fill_summary(&s);
	/* a terminal escape in a daemon string is neutralised */
	strlcpy(s.statedir, "/tmp/\033[2Jx\n\x7f" "\xc3\xa9",
	    sizeof(s.statedir));
	fp = open_memstream(&text, &len);
	print_summary_text(fp, &s, NULL, 0);
	fclose(fp);
	ck_assert_str_eq(text,
	    "Version              0.1.0\n"
	    "Uptime               1d02h03m\n"
	    "State directory      /tmp/?[2Jx??\xc3\xa9\n"
	    "Network ID           2\n"
	    "Floodfill            no\n"
	    "Log level            info\n"
	    "Config generation    0\n"
	    "Router hash          (not published yet)\n"
	    "Caps                 -\n");
	free(text);
}
END_TEST

START_TEST(test_text_result)
{
	char	*o, *e;
	size_t	 ol, el;
	FILE	*ofp, *efp;

	ofp = open_memstream(&o, &ol);
	efp = open_memstream(&e, &el);
	print_result_text(ofp, efp, 0, "reload requested");
	print_result_text(ofp, efp, 0, "");
	print_result_text(ofp, efp, 1, "reload failed: syntax error");
	print_result_text(ofp, efp, -3, "");
	fclose(ofp);
	fclose(efp);
	ck_assert_str_eq(o, "reload requested\nrequest processed\n");
	ck_assert_str_eq(e, "reload failed: syntax error\nrequest failed\n");
	free(o);
	free(e);
}
END_TEST

static Suite *
i2pctl_parser_suite(void)
{
	Suite	*s = suite_create("i2pctl_parser");
	TCase	*tc;

	tc = tcase_create("parser");
	tcase_add_test(tc, test_parse_full_words);
	tcase_add_test(tc, test_parse_prefixes);
	tcase_add_test(tc, test_parse_unknown);
	tcase_add_test(tc, test_parse_hash);
	tcase_add_test(tc, test_parse_missing);
	tcase_add_test(tc, test_parse_superfluous);
	tcase_add_test(tc, test_parse_ambiguous);
	suite_add_tcase(s, tc);

	tc = tcase_create("output");
	tcase_add_test(tc, test_fmt_timeframe);
	tcase_add_test(tc, test_uptime);
	tcase_add_test(tc, test_text_summary);
	tcase_add_test(tc, test_text_output_callbacks);
	tcase_add_test(tc, test_text_summary_widths);
	tcase_add_test(tc, test_text_summary_noprocs_and_controls);
	tcase_add_test(tc, test_text_result);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(i2pctl_parser_suite());
}
