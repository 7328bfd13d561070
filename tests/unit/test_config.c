/*
 * The configuration parser and printer, in the manner of bgpd's
 * regress/config: every tests/config/NAME.in is parsed with the current
 * directory set to tests/config, so that file names in messages are
 * predictable.
 *
 *   NAME.in	  must parse; print_config() must give NAME.ok exactly,
 *		  and that output must parse and print the same again.
 *   bad-NAME.in  must fail; what is logged must be bad-NAME.ok exactly.
 *
 * Leading lines "#-D name=value" of a .in file are passed to
 * cmdline_symset() first, as "i2prd -D" would.  Files included by the
 * cases are named *.inc, so they are not cases themselves.
 *
 * -D macros outlive a parse by design, so every case runs in a process
 * of its own (Check's fork mode, forced on below).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <bsd/string.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "i2prd.h"
#include "log.h"

#ifndef TESTS_DIR
#define TESTS_DIR	"tests"
#endif
#define CONFIG_DIR	TESTS_DIR "/config"
#define EXAMPLE_CONF	TESTS_DIR "/../etc/i2prd.conf"

static char	**good, **bad;
static size_t	  ngood, nbad;

/* the whole of a file, NUL-terminated; NULL if it cannot be read */
static char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0, n;
	char	 chunk[4096];

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf = realloc(buf, len + n + 1);
		ck_assert_ptr_nonnull(buf);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (buf == NULL)
		buf = calloc(1, 1);
	else
		buf[len] = '\0';
	return buf;
}

static char *
conf_text(const struct i2prd_conf *conf)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0;

	f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	print_config(f, conf);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

/* a temporary file holding text; the caller unlinks and frees it */
static char *
write_temp(const char *text, mode_t mode)
{
	const char	*dir;
	char		*path;
	int		 fd;
	size_t		 len = strlen(text);

	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	ck_assert_int_ne(asprintf(&path, "%s/test_config.XXXXXX", dir), -1);
	fd = mkstemp(path);
	ck_assert_msg(fd != -1, "mkstemp %s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

/*
 * Logging goes to fd 2 in foreground mode; catching it there also
 * catches anything the parser might print some other way.
 */
struct capture {
	int	 saved;
	FILE	*tmp;
};

static void
capture_start(struct capture *c)
{
	fflush(stderr);
	c->tmp = tmpfile();
	ck_assert_ptr_nonnull(c->tmp);
	c->saved = dup(STDERR_FILENO);
	ck_assert_int_ne(c->saved, -1);
	ck_assert_int_ne(dup2(fileno(c->tmp), STDERR_FILENO), -1);
}

static char *
capture_end(struct capture *c)
{
	char	*buf;
	long	 len;

	fflush(stderr);
	ck_assert_int_ne(dup2(c->saved, STDERR_FILENO), -1);
	close(c->saved);
	len = ftell(c->tmp);
	ck_assert_int_ge(len, 0);
	buf = calloc(1, len + 1);
	ck_assert_ptr_nonnull(buf);
	rewind(c->tmp);
	ck_assert_int_eq(fread(buf, 1, len, c->tmp), (size_t)len);
	fclose(c->tmp);
	return buf;
}

/* parse_config() with whatever it logs returned in *out */
static struct i2prd_conf *
parse_capture(const char *path, int flags, char **out)
{
	struct capture		 c;
	struct i2prd_conf	*conf;

	capture_start(&c);
	conf = parse_config(path, flags);
	*out = capture_end(&c);
	return conf;
}

/* the "#-D name=value" lines a case starts with */
static void
apply_cmdline(const char *path)
{
	FILE	*f;
	char	 line[1024];
	size_t	 len;

	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL &&
	    strncmp(line, "#-D ", 4) == 0) {
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		ck_assert_msg(cmdline_symset(line + 4) == 0,
		    "%s: cmdline_symset(\"%s\") failed", path, line + 4);
	}
	fclose(f);
}

static char *
ok_name(const char *in)
{
	char	*ok;
	size_t	 len = strlen(in);

	ck_assert(len > 3 && strcmp(in + len - 3, ".in") == 0);
	ck_assert_int_ne(asprintf(&ok, "%.*s.ok", (int)(len - 3), in), -1);
	return ok;
}

static void
enter_config_dir(void)
{
	ck_assert_msg(chdir(CONFIG_DIR) == 0, "chdir %s: %s", CONFIG_DIR,
	    strerror(errno));
}

/*
 * The printed form parses into the same config: printing it again gives
 * the same text.
 */
static void
check_round_trip(const char *name, const char *text)
{
	struct i2prd_conf	*conf;
	char			*path, *again, *err;

	path = write_temp(text, 0600);
	conf = parse_capture(path, 0, &err);
	ck_assert_msg(conf != NULL, "%s: printed config does not parse:\n"
	    "%s\n%s", name, text, err);
	ck_assert_msg(*err == '\0', "%s: printed config: %s", name, err);
	again = conf_text(conf);
	ck_assert_msg(strcmp(text, again) == 0, "%s: round trip differs:\n"
	    "%s\n---\n%s", name, text, again);
	conf_free(conf);
	unlink(path);
	free(path);
	free(again);
	free(err);
}

START_TEST(test_good)
{
	const char		*name = good[_i];
	struct i2prd_conf	*conf;
	char			*ok, *expected, *text, *err;

	enter_config_dir();
	apply_cmdline(name);
	conf = parse_capture(name, 0, &err);
	ck_assert_msg(conf != NULL, "%s does not parse:\n%s", name, err);
	ck_assert_msg(*err == '\0', "%s: unexpected messages:\n%s", name,
	    err);
	text = conf_text(conf);
	ok = ok_name(name);
	expected = slurp(ok);
	ck_assert_msg(expected != NULL, "%s: %s", ok, strerror(errno));
	ck_assert_msg(strcmp(text, expected) == 0,
	    "%s: got\n%s--- expected (%s)\n%s", name, text, ok, expected);
	check_round_trip(name, text);
	conf_free(conf);
	free(ok);
	free(expected);
	free(text);
	free(err);
}
END_TEST

START_TEST(test_bad)
{
	const char		*name = bad[_i];
	struct i2prd_conf	*conf;
	char			*ok, *expected, *err;

	enter_config_dir();
	apply_cmdline(name);
	conf = parse_capture(name, 0, &err);
	ck_assert_msg(conf == NULL, "%s parses but must not", name);
	ok = ok_name(name);
	expected = slurp(ok);
	ck_assert_msg(expected != NULL, "%s: %s", ok, strerror(errno));
	ck_assert_msg(strcmp(err, expected) == 0,
	    "%s: got\n%s--- expected (%s)\n%s", name, err, ok, expected);
	free(ok);
	free(expected);
	free(err);
}
END_TEST

START_TEST(test_example)
{
	struct i2prd_conf	*conf;
	char			*text, *err;

	if (access(EXAMPLE_CONF, F_OK) == -1) {
		printf("test_example: %s absent, skipped\n", EXAMPLE_CONF);
		return;
	}
	conf = parse_capture(EXAMPLE_CONF, 0, &err);
	ck_assert_msg(conf != NULL, "%s does not parse:\n%s", EXAMPLE_CONF,
	    err);
	ck_assert_msg(*err == '\0', "%s: %s", EXAMPLE_CONF, err);
	text = conf_text(conf);
	check_round_trip(EXAMPLE_CONF, text);
	conf_free(conf);
	free(text);
	free(err);
}
END_TEST

START_TEST(test_cmdline_symset)
{
	struct i2prd_conf	*conf;
	char			*path, *err;
	char			 bad1[] = "noequals", bad2[] = "=x";
	char			 bad3[] = "1a=x", bad4[] = "a-b=x";
	char			 bad5[] = "a=x\ny", bad6[] = "netid=5";
	char			 d1[] = "id=7", d2[] = "id=9", d3[] = "empty=";
	char			 d4[] = "ff=floodfill yes";

	ck_assert_int_eq(cmdline_symset(bad1), -1);
	ck_assert_int_eq(cmdline_symset(bad2), -1);
	ck_assert_int_eq(cmdline_symset(bad3), -1);
	ck_assert_int_eq(cmdline_symset(bad4), -1);
	ck_assert_int_eq(cmdline_symset(bad5), -1);
	/* a keyword cannot be a macro name */
	ck_assert_int_eq(cmdline_symset(bad6), -1);

	path = write_temp("id = 5\nnetid $id\n", 0600);
	conf = parse_capture(path, 0, &err);
	ck_assert_msg(conf != NULL, "%s", err);
	ck_assert_int_eq(conf->netid, 5);
	conf_free(conf);
	free(err);

	/* -D overrides the file, and stays for the next parse (reload) */
	ck_assert_int_eq(cmdline_symset(d1), 0);
	conf = parse_capture(path, 0, &err);
	ck_assert_msg(conf != NULL, "%s", err);
	ck_assert_int_eq(conf->netid, 7);
	conf_free(conf);
	free(err);
	conf = parse_capture(path, 0, &err);
	ck_assert_msg(conf != NULL, "%s", err);
	ck_assert_int_eq(conf->netid, 7);
	conf_free(conf);
	free(err);

	/* of two -D of one name, the later counts */
	ck_assert_int_eq(cmdline_symset(d2), 0);
	conf = parse_capture(path, 0, &err);
	ck_assert_msg(conf != NULL, "%s", err);
	ck_assert_int_eq(conf->netid, 9);
	conf_free(conf);
	free(err);
	unlink(path);
	free(path);

	/* a -D not in the file; an empty one; one of several tokens */
	ck_assert_int_eq(cmdline_symset(d3), 0);
	ck_assert_int_eq(cmdline_symset(d4), 0);
	path = write_temp("netid $id $empty\n$ff\n", 0600);
	conf = parse_capture(path, 0, &err);
	ck_assert_msg(conf != NULL, "%s", err);
	ck_assert_int_eq(conf->netid, 9);
	ck_assert_int_eq(conf->floodfill, 1);
	conf_free(conf);
	free(err);
	unlink(path);
	free(path);
}
END_TEST

/* with PARSE_CHECK_PERMS, as the daemon parses it (not with -n) */
START_TEST(test_check_perms)
{
	struct i2prd_conf	*conf;
	char			*path, *inc, *text, *expected, *err;

	path = write_temp("netid 3\n", 0644);
	conf = parse_capture(path, PARSE_CHECK_PERMS, &err);
	ck_assert_msg(conf != NULL, "%s", err);
	ck_assert_int_eq(conf->netid, 3);
	conf_free(conf);
	free(err);

	ck_assert_int_eq(chmod(path, 0666), 0);
	conf = parse_capture(path, PARSE_CHECK_PERMS, &err);
	ck_assert_ptr_null(conf);
	ck_assert_int_ne(asprintf(&expected, "%s: refusing: group or world "
	    "writable (mode 0666)\n", path), -1);
	ck_assert_str_eq(err, expected);
	free(expected);
	free(err);

	ck_assert_int_eq(chmod(path, 0620), 0);
	conf = parse_capture(path, PARSE_CHECK_PERMS, &err);
	ck_assert_ptr_null(conf);
	ck_assert_int_ne(asprintf(&expected, "%s: refusing: group or world "
	    "writable (mode 0620)\n", path), -1);
	ck_assert_str_eq(err, expected);
	free(expected);
	free(err);

	/* without the flag, the mode does not matter */
	conf = parse_capture(path, 0, &err);
	ck_assert_msg(conf != NULL, "%s", err);
	conf_free(conf);
	free(err);

	/* an include is checked as well */
	ck_assert_int_eq(chmod(path, 0602), 0);
	ck_assert_int_ne(asprintf(&text, "include \"%s\"\n", path), -1);
	inc = write_temp(text, 0600);
	conf = parse_capture(inc, PARSE_CHECK_PERMS, &err);
	ck_assert_ptr_null(conf);
	ck_assert_int_ne(asprintf(&expected, "%s:1: cannot include \"%s\": "
	    "refusing: group or world writable (mode 0602)\n", inc, path), -1);
	ck_assert_str_eq(err, expected);
	free(expected);
	free(err);
	free(text);

	/* someone else's file: only root can make one to test with */
	if (getuid() == 0) {
		ck_assert_int_eq(chmod(path, 0644), 0);
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
		conf = parse_capture(path, PARSE_CHECK_PERMS, &err);
		ck_assert_ptr_null(conf);
		ck_assert_int_ne(asprintf(&expected, "%s: refusing: owned by "
		    "uid 65534, not by root or uid 0\n", path), -1);
		ck_assert_str_eq(err, expected);
		free(expected);
		free(err);
	} else
		printf("test_check_perms: not root, owner check skipped\n");

	unlink(inc);
	unlink(path);
	free(inc);
	free(path);
}
END_TEST

/* the parent parses again on every reload: nothing may carry over */
START_TEST(test_reparse)
{
	struct i2prd_conf	*conf;
	char			*first, *text, *err;

	enter_config_dir();

	conf = parse_capture("all.in", 0, &err);
	ck_assert_msg(conf != NULL, "%s", err);
	first = conf_text(conf);
	conf_free(conf);
	free(err);

	/* errors do not carry over */
	conf = parse_capture("bad-netid.in", 0, &err);
	ck_assert_ptr_null(conf);
	ck_assert_str_eq(err, "bad-netid.in:3: netid 300 out of range "
	    "(1-255)\n");
	free(err);

	/* neither do settings, "already set" flags or listen addresses */
	conf = parse_capture("all.in", 0, &err);
	ck_assert_msg(conf != NULL, "%s", err);
	text = conf_text(conf);
	ck_assert_str_eq(text, first);
	conf_free(conf);
	free(text);
	free(err);

	/* nor the file's macros: macros.in defines dir */
	conf = parse_capture("macros.in", 0, &err);
	ck_assert_msg(conf != NULL, "%s", err);
	conf_free(conf);
	free(err);
	text = write_temp("statedir $dir\n", 0600);
	conf = parse_capture(text, 0, &err);
	ck_assert_ptr_null(conf);
	free(first);
	ck_assert_int_ne(asprintf(&first, "%s:1: macro \"dir\" not defined\n",
	    text), -1);
	ck_assert_str_eq(err, first);
	unlink(text);
	free(text);
	free(first);
	free(err);

	/* an include stack left behind by an error inside an include */
	conf = parse_capture("bad-include-error.in", 0, &err);
	ck_assert_ptr_null(conf);
	free(err);
	conf = parse_capture("include.in", 0, &err);
	ck_assert_msg(conf != NULL, "%s", err);
	ck_assert_int_eq(conf->netid, 200);
	conf_free(conf);
	free(err);
}
END_TEST

START_TEST(test_open_errors)
{
	struct i2prd_conf	*conf;
	char			*err;

	enter_config_dir();
	conf = parse_capture("no-such-file.conf", 0, &err);
	ck_assert_ptr_null(conf);
	ck_assert_str_eq(err, "no-such-file.conf: No such file or "
	    "directory\n");
	free(err);

	conf = parse_capture(".", 0, &err);
	ck_assert_ptr_null(conf);
	ck_assert_str_eq(err, ".: Is a directory\n");
	free(err);
}
END_TEST

/* the printer quotes what the lexer would otherwise take apart */
START_TEST(test_print_escapes)
{
	struct i2prd_conf	*conf;
	char			*text;

	conf = conf_new();
	ck_assert_ptr_nonnull(conf);
	strlcpy(conf->user, "a \"b\" \\c # $d", sizeof(conf->user));
	text = conf_text(conf);
	ck_assert_ptr_nonnull(strstr(text,
	    "user \"a \\\"b\\\" \\\\c # $d\"\n"));
	check_round_trip("escapes", text);
	conf_free(conf);
	free(text);
}
END_TEST

/* the names the parser takes, and every child checks again */
START_TEST(test_dest_name)
{
	static const char *const ok[] = {
		"a", "web", "irc.client", "-x_y", "A-Z.0_9", "a..", "123",
		"a234567890123456789012345678901",	/* DEST_NAME_MAX */
	};
	static const char *const bad[] = {
		"", ".", "..", ".hidden", "a/b", "a b", "a:b", "a\"b",
		"a\n", "a\t", "caf\xc3\xa9", "\xff",
		"a2345678901234567890123456789012",	/* one too long */
	};
	size_t	 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		ck_assert_msg(dest_name_ok(ok[i]), "\"%s\" refused", ok[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!dest_name_ok(bad[i]), "\"%s\" taken", bad[i]);
}
END_TEST

/* none by default, and then no destination line printed */
START_TEST(test_dest_default)
{
	struct i2prd_conf	*conf;
	char			*text;

	conf = conf_new();
	ck_assert_ptr_nonnull(conf);
	ck_assert_int_eq(conf->ndests, 0);
	text = conf_text(conf);
	ck_assert_ptr_null(strstr(text, "destination"));
	conf_free(conf);
	free(text);
}
END_TEST

static void
find_cases(void)
{
	glob_t	 g;
	size_t	 i;
	char	*name;

	if (glob(CONFIG_DIR "/*.in", 0, NULL, &g) != 0) {
		fprintf(stderr, "no %s/*.in\n", CONFIG_DIR);
		exit(1);
	}
	good = calloc(g.gl_pathc, sizeof(*good));
	bad = calloc(g.gl_pathc, sizeof(*bad));
	if (good == NULL || bad == NULL)
		exit(1);
	for (i = 0; i < g.gl_pathc; i++) {
		name = strrchr(g.gl_pathv[i], '/') + 1;
		if ((name = strdup(name)) == NULL)
			exit(1);
		if (strncmp(name, "bad-", 4) == 0)
			bad[nbad++] = name;
		else
			good[ngood++] = name;
	}
	globfree(&g);
	if (ngood == 0 || nbad == 0) {
		fprintf(stderr, "%s: good or bad cases missing\n", CONFIG_DIR);
		exit(1);
	}
}

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;
	size_t	 i;

	log_init(1, LOG_DAEMON);
	find_cases();

	s = suite_create("config");
	tc = tcase_create("cases");
	tcase_add_loop_test(tc, test_good, 0, ngood);
	tcase_add_loop_test(tc, test_bad, 0, nbad);
	suite_add_tcase(s, tc);
	tc = tcase_create("api");
	tcase_add_test(tc, test_example);
	tcase_add_test(tc, test_cmdline_symset);
	tcase_add_test(tc, test_check_perms);
	tcase_add_test(tc, test_reparse);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_print_escapes);
	tcase_add_test(tc, test_dest_name);
	tcase_add_test(tc, test_dest_default);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	/* each case in a process of its own: -D macros and cwd persist */
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("config cases: %zu good, %zu bad\n", ngood, nbad);
	for (i = 0; i < ngood; i++)
		free(good[i]);
	for (i = 0; i < nbad; i++)
		free(bad[i]);
	free(good);
	free(bad);
	return failed == 0 ? 0 : 1;
}
