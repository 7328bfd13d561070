/*
 * i2prd -T: the tunnels.conf reader and converter (i2prd/tunini.c,
 * i2prd/tunconv.c).
 *
 * tests/data/tunconv/NAME/tunnels.conf is converted with tunconv_file;
 * what it prints must be NAME/out exactly and its warnings NAME/err.
 * "real" is a tunnels.conf as an operator has one (every tunnel type,
 * key files and transient keys, options without an equivalent); "edge"
 * the cases where i2pd's rules decide (shared keys, clashes, names,
 * ranges).  Malformed INI is built here, byte by byte.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "../../i2prd/tunconv.h"
#include "i2prd.h"
#include "log.h"
#include "unit.h"

#ifndef TESTS_DIR
#define TESTS_DIR	"tests"
#endif
#define DATA_DIR	TESTS_DIR "/data/tunconv"

struct conv {
	char	*out, *err;
	size_t	 outlen, errlen;
	int	 rv;
};

/* a run of the converter, its output and warnings caught in memory */
static void
conv_run(struct conv *cv, const char *text, size_t len, const char *path)
{
	FILE	*out, *err;

	memset(cv, 0, sizeof(*cv));
	out = open_memstream(&cv->out, &cv->outlen);
	err = open_memstream(&cv->err, &cv->errlen);
	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(err);
	if (path != NULL)
		cv->rv = tunconv_file(path, out, err);
	else
		cv->rv = tunconv_buf(text, len, "tunnels.conf", out, err);
	ck_assert_int_eq(fclose(out), 0);
	ck_assert_int_eq(fclose(err), 0);
}

static void
conv_buf(struct conv *cv, const char *text, size_t len)
{
	conv_run(cv, text, len, NULL);
}

static void
conv_file(struct conv *cv, const char *path)
{
	conv_run(cv, NULL, 0, path);
}

static void
conv_free(struct conv *cv)
{
	free(cv->out);
	free(cv->err);
}

/* the whole of a file, NUL-terminated */
static char *
slurp(const char *path)
{
	static uint8_t	 buf[64 * 1024];
	size_t		 n;
	char		*s;

	n = unit_load(path, buf, sizeof(buf) - 1);
	ck_assert_uint_lt(n, sizeof(buf) - 1);
	ck_assert_ptr_nonnull(s = malloc(n + 1));
	memcpy(s, buf, n);
	s[n] = '\0';
	return s;
}

/*
 * Every report is both a comment of the output and a line of stderr, in
 * the same order: the comment lines "# tunnels.conf:" (indented or not)
 * with "# " taken off must be stderr, line for line.
 */
static void
check_reports_twice(const struct conv *cv)
{
	const char	*p = cv->out, *nl, *q;
	char		*expect = NULL;
	size_t		 len = 0;
	FILE		*f = open_memstream(&expect, &len);

	ck_assert_ptr_nonnull(f);
	for (; *p != '\0'; p = nl + 1) {
		ck_assert_ptr_nonnull(nl = strchr(p, '\n'));
		q = p + strspn(p, "\t");
		if (strncmp(q, "# tunnels.conf:", 15) == 0)
			fprintf(f, "%.*s\n", (int)(nl - q - 2), q + 2);
	}
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(expect, cv->err);
	free(expect);
}

static void
golden(const char *name)
{
	char		 path[256];
	char		*out, *err;
	struct conv	 cv;

	snprintf(path, sizeof(path), "%s/%s/tunnels.conf", DATA_DIR, name);
	conv_file(&cv, path);
	ck_assert_int_eq(cv.rv, 0);
	snprintf(path, sizeof(path), "%s/%s/out", DATA_DIR, name);
	out = slurp(path);
	snprintf(path, sizeof(path), "%s/%s/err", DATA_DIR, name);
	err = slurp(path);
	ck_assert_str_eq(cv.out, out);
	ck_assert_str_eq(cv.err, err);
	check_reports_twice(&cv);
	free(out);
	free(err);
	conv_free(&cv);
}

START_TEST(test_real)
{
	golden("real");
}
END_TEST

START_TEST(test_edge)
{
	golden("edge");
}
END_TEST

/*
 * Until the tunnel blocks are in parse.y, the destination lines alone
 * (without " {") must already be i2prd.conf that parses, with the names
 * and tunnel options printed.
 */
/* the whole output, blocks and tunnel lines, parses as i2prd.conf */
START_TEST(test_dest_lines_parse)
{
	struct i2prd_conf	*conf;
	struct conv		 cv;
	char			 path[] = "/tmp/test_tunconv.XXXXXX";
	const char		*p, *nl;
	FILE			*f;
	int			 fd, n = 0, i;

	conv_file(&cv, DATA_DIR "/real/tunnels.conf");
	ck_assert_int_ne(fd = mkstemp(path), -1);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	ck_assert_int_eq(fputs(cv.out, f) >= 0, 1);
	for (p = cv.out; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		if (strncmp(p, "destination ", 12) == 0)
			n++;
	ck_assert_int_eq(fclose(f), 0);
	log_init(1, LOG_USER);
	conf = parse_config(path, 0);
	unlink(path);
	ck_assert_ptr_nonnull(conf);
	ck_assert_int_eq(conf->ndests, 7);
	ck_assert_int_eq(n, 7);
	ck_assert_str_eq(conf->dests[1].name, "mysite");
	ck_assert_int_eq(conf->dests[1].length[TUNNEL_IN], 2);
	ck_assert_int_eq(conf->dests[1].quantity[TUNNEL_OUT], 3);
	ck_assert_str_eq(conf->dests[3].name, "transient-vpn");
	ck_assert_int_eq(conf->dests[3].quantity[TUNNEL_IN], 5);
	/* every tunnel line printed is one of the configuration */
	for (i = 0, p = cv.out; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		if (*p == '\t' && p[1] != '#')
			i++;
	ck_assert_int_eq(conf->nproxies, i);
	conf_free(conf);
	conv_free(&cv);
}
END_TEST

#define HEADER	"# i2prd.conf tunnels from i2pd's tunnels.conf (i2prd -T)\n"

/* one client, to see what survives of the lines around it */
#define CLIENT_OUT							\
	"\n# tunnels.conf:2: transient keys: i2prd keeps the keys of "	\
	"destination \"ok\" across restarts\n"				\
	"destination \"ok\" inbound length 3 quantity 5 outbound length "\
	"3 quantity 5 {\n"						\
	"\t# [ok] tunnels.conf:2\n"					\
	"\tclient listen on \"127.0.0.1\" port 6000 to \"a.i2p\"\n"	\
	"}\n"

START_TEST(test_malformed)
{
	static const char in[] =
	    "orphan = 1\r\n"
	    "[ok]\r\n"
	    "type = client\r\n"
	    "port = 6000\r\n"
	    "destination = a.i2p\r\n"
	    "type = server\r\n"
	    "  ; comment\r\n"
	    "junk line\r\n"
	    "= nokey\r\n"
	    "[unterminated\r\n"
	    "port = 1\r\n"
	    "[ok]\r\n"
	    "port = 2\r\n"
	    "[]\r\n"
	    "port = 3\r\n"
	    "\t# comment\n"
	    "x = a\033[2Jb\n"
	    "y = a\0b\n"
	    "[";
	static const char want[] = HEADER
	    "# tunnels.conf:1: key \"orphan\" outside a section: skipped\n"
	    "# tunnels.conf:6: duplicate key \"type\" in [ok] (i2pd refuses "
	    "the file): skipped\n"
	    "# tunnels.conf:8: not a section, a comment or key = value: "
	    "skipped\n"
	    "# tunnels.conf:9: no key before '=': skipped\n"
	    "# tunnels.conf:10: section line without ']': its lines are "
	    "skipped\n"
	    "# tunnels.conf:12: duplicate section [ok] (i2pd refuses the "
	    "file): its lines are skipped\n"
	    "# tunnels.conf:14: empty section name: its lines are skipped\n"
	    "# tunnels.conf:17: control character: line skipped\n"
	    "# tunnels.conf:18: control character: line skipped\n"
	    "# tunnels.conf:19: section line without ']': its lines are "
	    "skipped\n"
	    CLIENT_OUT;
	struct conv	cv;

	conv_buf(&cv, in, sizeof(in) - 1);
	ck_assert_int_eq(cv.rv, 0);
	ck_assert_str_eq(cv.out, want);
	check_reports_twice(&cv);
	conv_free(&cv);
}
END_TEST

static const char client_in[] =
    "[ok]\ntype = client\nport = 6000\ndestination = a.i2p\n";

/* a line over the limit is dropped whole, the next one read */
START_TEST(test_long_line)
{
	size_t		 len = INI_LINE_MAX + 1;
	char		*in = malloc(len + 1 + sizeof(client_in));
	struct conv	 cv;

	ck_assert_ptr_nonnull(in);
	memset(in, 'k', len);
	in[len] = '\n';
	memcpy(in + len + 1, client_in, sizeof(client_in));
	conv_buf(&cv, in, len + sizeof(client_in));
	ck_assert_int_eq(cv.rv, 0);
	ck_assert_str_eq(cv.out, HEADER "# tunnels.conf:1: line longer than "
	    "4096 bytes: skipped\n" CLIENT_OUT);
	conv_free(&cv);

	/* exactly the limit is a line like any other */
	in[INI_LINE_MAX - 2] = '=';
	in[INI_LINE_MAX - 1] = 'v';
	in[INI_LINE_MAX] = '\n';
	memcpy(in + INI_LINE_MAX + 1, client_in, sizeof(client_in));
	conv_buf(&cv, in, INI_LINE_MAX + sizeof(client_in));
	ck_assert_ptr_nonnull(strstr(cv.out, "outside a section: skipped"));
	ck_assert_ptr_null(strstr(cv.out, "longer than"));
	conv_free(&cv);
	free(in);
}
END_TEST

/* more sections and keys than the reader takes */
START_TEST(test_limits)
{
	char		*in = NULL, want[128];
	size_t		 len = 0;
	FILE		*f = open_memstream(&in, &len);
	struct conv	 cv;
	int		 i;

	ck_assert_ptr_nonnull(f);
	fprintf(f, "[many]\n");
	for (i = 0; i <= INI_KEYS_MAX; i++)
		fprintf(f, "k%d = %d\n", i, i);
	for (i = 1; i <= INI_SECTIONS_MAX; i++)
		fprintf(f, "[s%d]\n", i);
	ck_assert_int_eq(fclose(f), 0);
	conv_buf(&cv, in, len);
	ck_assert_int_eq(cv.rv, 0);
	snprintf(want, sizeof(want), "# tunnels.conf:%d: more than %d keys "
	    "in [many]: \"k%d\" skipped\n", INI_KEYS_MAX + 2, INI_KEYS_MAX,
	    INI_KEYS_MAX);
	ck_assert_ptr_nonnull(strstr(cv.out, want));
	snprintf(want, sizeof(want), "# tunnels.conf:%d: more than %d "
	    "sections: [s%d] is skipped\n", INI_KEYS_MAX + 2 +
	    INI_SECTIONS_MAX, INI_SECTIONS_MAX, INI_SECTIONS_MAX);
	ck_assert_ptr_nonnull(strstr(cv.out, want));
	/* [s255] was read: it is reported for its missing type */
	ck_assert_ptr_nonnull(strstr(cv.out, "[s255] has no \"type\""));
	check_reports_twice(&cv);
	conv_free(&cv);
	free(in);
}
END_TEST

START_TEST(test_too_big)
{
	size_t		 len = INI_FILE_MAX + 1;
	char		*in = malloc(len);
	struct conv	 cv;

	ck_assert_ptr_nonnull(in);
	memset(in, '\n', len);
	conv_buf(&cv, in, len);
	ck_assert_int_eq(cv.rv, -1);
	ck_assert_str_eq(cv.err, "tunnels.conf:0: larger than 1048576 "
	    "bytes: not read\n");
	conv_free(&cv);
	conv_buf(&cv, in, len - 1);
	ck_assert_int_eq(cv.rv, 0);
	ck_assert_str_eq(cv.out, HEADER);
	ck_assert_str_eq(cv.err, "");
	conv_free(&cv);
	free(in);
}
END_TEST

START_TEST(test_file_errors)
{
	struct conv	cv;

	conv_file(&cv, DATA_DIR "/no-such-file");
	ck_assert_int_eq(cv.rv, -1);
	ck_assert_str_eq(cv.out, "");
	ck_assert_ptr_nonnull(strstr(cv.err, "No such file"));
	conv_free(&cv);
	conv_file(&cv, DATA_DIR);	/* a directory: read fails */
	ck_assert_int_eq(cv.rv, -1);
	conv_free(&cv);
}
END_TEST

/*
 * Quotes and backslashes in values are escaped; names made from section
 * names keep only [A-Za-z0-9_-] and DEST_NAME_MAX bytes (of a key file:
 * the name after the last slash or backslash, without its extension); a
 * name taken is suffixed.
 */
START_TEST(test_quoting_names)
{
	static const char in[] =
	    "[a \"b\" {c}]\ntype = irc\nhost = 127.0.0.1\nport = 6667\n"
	    "keys = \"quoted\\\" } x.dat\nwebircpassword = p\"w\\\" }\n"
	    "[0123456789012345678901234567890123456789]\ntype = socks\n"
	    "port = 7000\n"
	    "[01234567890123456789012345678901234]\ntype = socks\n"
	    "port = 7001\n";
	struct conv	cv;

	conv_buf(&cv, in, sizeof(in) - 1);
	ck_assert_int_eq(cv.rv, 0);
	ck_assert_ptr_nonnull(strstr(cv.out, "destination \"____x\" "));
	ck_assert_ptr_nonnull(strstr(cv.out, "\tirc server to \"127.0.0.1\" "
	    "port 6667 webirc password \"p\\\"w\\\\\\\" }\"\n"));
	ck_assert_ptr_nonnull(strstr(cv.out, "\t# [a \"b\" {c}] "
	    "tunnels.conf:1\n"));
	ck_assert_ptr_nonnull(strstr(cv.out,
	    "destination \"0123456789012345678901234567890\" "));
	ck_assert_ptr_nonnull(strstr(cv.out,
	    "destination \"01234567890123456789012345678-2\" "));
	conv_free(&cv);
}
END_TEST

/* a string i2prd.conf's lexer could not take is reported, not printed */
START_TEST(test_long_strings)
{
	char		*in = NULL;
	size_t		 len = 0;
	FILE		*f = open_memstream(&in, &len);
	struct conv	 cv;

	ck_assert_ptr_nonnull(f);
	fprintf(f, "[big]\ntype = client\nport = 7000\ndestination = "
	    "%0*d\n", 2048, 0);
	fprintf(f, "[ok]\ntype = irc\nhost = 127.0.0.1\nport = 6667\n"
	    "keys = k.dat\nwebircpassword = %0*d\n", 2047, 0);
	ck_assert_int_eq(fclose(f), 0);
	conv_buf(&cv, in, len);
	ck_assert_ptr_nonnull(strstr(cv.out, "# tunnels.conf:4: [big]: "
	    "\"destination\" is longer than i2prd.conf's 2047 bytes: "
	    "section skipped\n"));
	ck_assert_ptr_nonnull(strstr(cv.out, "webirc password \"0000"));
	ck_assert_ptr_null(strstr(cv.out, "\tclient listen"));
	conv_free(&cv);
	free(in);
}
END_TEST

/* i2prd.conf takes at most DESTS_MAX destinations: said, not cut */
START_TEST(test_dests_max)
{
	char		*in = NULL;
	size_t		 len = 0;
	FILE		*f = open_memstream(&in, &len);
	struct conv	 cv;
	int		 i;

	ck_assert_ptr_nonnull(f);
	for (i = 0; i < 17; i++)
		fprintf(f, "[c%d]\ntype = socks\nport = %d\n", i, 7000 + i);
	ck_assert_int_eq(fclose(f), 0);
	conv_buf(&cv, in, len);
	ck_assert_ptr_nonnull(strstr(cv.out, "# tunnels.conf:49: more than "
	    "16 destinations: i2prd.conf takes at most 16\n"));
	ck_assert_ptr_nonnull(strstr(cv.out, "destination \"c16\" "));
	conv_free(&cv);
	free(in);
}
END_TEST

/* nothing in, nothing but the header out */
START_TEST(test_empty)
{
	struct conv	cv;

	conv_buf(&cv, "", 0);
	ck_assert_int_eq(cv.rv, 0);
	ck_assert_str_eq(cv.out, HEADER);
	ck_assert_str_eq(cv.err, "");
	conv_free(&cv);
	conv_buf(&cv, "\n\n# only\n;comments\n", 19);
	ck_assert_str_eq(cv.out, HEADER);
	conv_free(&cv);
}
END_TEST

static Suite *
tunconv_suite(void)
{
	Suite	*s = suite_create("i2prd_tunconv");
	TCase	*tc;

	tc = tcase_create("convert");
	tcase_add_test(tc, test_real);
	tcase_add_test(tc, test_edge);
	tcase_add_test(tc, test_dest_lines_parse);
	tcase_add_test(tc, test_quoting_names);
	tcase_add_test(tc, test_dests_max);
	tcase_add_test(tc, test_long_strings);
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);

	tc = tcase_create("ini");
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_too_big);
	tcase_add_test(tc, test_file_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(tunconv_suite());
}
