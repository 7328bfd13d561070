/*
 * tunneld's destination name file (tunneld/destfile.c): good files
 * round-trip byte for byte; every malformed one is refused whole, with
 * the line and the reason; the map's own rules; the file on disk
 * (absent is empty, written atomically with no temporary left over, a
 * failed write leaves the old file as it was).
 */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tunneld/tunneld.h"
#include "unit.h"

static struct destmap	m;

static int
decode(const char *s, size_t *line, const char **why)
{
	return destfile_decode(&m, (const uint8_t *)s, strlen(s), line, why);
}

/* decodes s, encodes it back: the same bytes */
static void
roundtrip(const char *s, size_t n)
{
	struct wbuf	 w;
	const char	*why = NULL;
	size_t		 line;

	ck_assert_int_eq(decode(s, &line, &why), 0);
	ck_assert_uint_eq(m.n, n);
	ck_assert_int_eq(wbuf_init_dynamic(&w, 16, DESTFILE_MAX), 0);
	ck_assert_int_eq(destfile_encode(&m, &w), 0);
	ck_assert_uint_eq(wbuf_len(&w), strlen(s));
	ck_assert(memcmp(wbuf_data(&w), s, strlen(s)) == 0);
	wbuf_free(&w);
}

START_TEST(test_good)
{
	roundtrip("", 0);
	roundtrip("web 00000001\n", 1);
	ck_assert_str_eq(m.ent[0].name, "web");
	ck_assert_uint_eq(m.ent[0].keyid, 1);
	roundtrip("web 00000001\nmail.2 0000a0ff\nx_y-Z ffffffff\n", 3);
	ck_assert_str_eq(m.ent[1].name, "mail.2");
	ck_assert_uint_eq(m.ent[1].keyid, 0xa0ff);
	ck_assert_uint_eq(m.ent[2].keyid, 0xffffffff);
	ck_assert_ptr_eq(destmap_by_name(&m, "x_y-Z"), &m.ent[2]);
	ck_assert_ptr_eq(destmap_by_id(&m, 0xa0ff), &m.ent[1]);
	ck_assert_ptr_null(destmap_by_name(&m, "WEB"));
	ck_assert_ptr_null(destmap_by_id(&m, 2));
	/* the longest name there is */
	roundtrip("abcdefghijklmnopqrstuvwxyz01234 00000002\n", 1);
}
END_TEST

static const struct {
	const char	*in;
	size_t		 line;
	const char	*why;
} bad[] = {
	{ "web 00000001", 1, "truncated" },
	{ "web 00000001\nmail 00000002", 2, "truncated" },
	{ "web\n", 1, "not NAME KEYID" },
	{ "\n", 1, "not NAME KEYID" },
	{ "web 00000001\n\n", 2, "not NAME KEYID" },
	{ "web 0000001\n", 1, "bad key id" },
	{ "web 000000001\n", 1, "bad key id" },
	{ "web 0000000A\n", 1, "bad key id" },
	{ "web 0000000g\n", 1, "bad key id" },
	{ "web -0000001\n", 1, "bad key id" },
	{ "web 0x000001\n", 1, "bad key id" },
	{ "web  00000001\n", 1, "bad key id" },
	{ "web 00000001 \n", 1, "bad key id" },
	{ "web 00000001\r\n", 1, "bad key id" },
	{ "web 00000000\n", 1, "key id 0" },
	{ " 00000001\n", 1, "bad name" },
	{ ".web 00000001\n", 1, "bad name" },
	{ "we/b 00000001\n", 1, "bad name" },
	{ "we b 00000001\n", 1, "bad key id" },
	{ "w\xc3\xa9 00000001\n", 1, "bad name" },
	{ "web\t00000001\n", 1, "not NAME KEYID" },
	{ "abcdefghijklmnopqrstuvwxyz012345 00000002\n", 1, "line too long" },
	{ "web 00000001\nweb 00000002\n", 2, "duplicate name" },
	{ "web 00000001\nmail 00000001\n", 2, "duplicate key id" },
};

START_TEST(test_bad)
{
	const char	*why = NULL;
	size_t		 line = 0;

	ck_assert_int_eq(decode(bad[_i].in, &line, &why), -1);
	ck_assert_uint_eq(line, bad[_i].line);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, bad[_i].why) != NULL, "%s: \"%s\"",
	    bad[_i].in, why);
	/* nothing of a refused file is kept */
	ck_assert_uint_eq(m.n, 0);
}
END_TEST

START_TEST(test_nul)
{
	static const char	 in[] = "web 00000001\nma\0l 00000002\n";
	const char		*why = NULL;
	size_t			 line;

	ck_assert_int_eq(destfile_decode(&m, (const uint8_t *)in,
	    sizeof(in) - 1, &line, &why), -1);
	ck_assert_uint_eq(line, 2);
	ck_assert_str_eq(why, "NUL byte");
	/* a NUL where the name ends */
	ck_assert_int_eq(destfile_decode(&m, (const uint8_t *)"\0", 1, &line,
	    &why), -1);
	ck_assert_uint_eq(line, 1);
}
END_TEST

/* a line far longer than any name: refused at the bound, not read on */
START_TEST(test_overlong)
{
	char		*in;
	const char	*why = NULL;
	size_t		 line, len = 100000;

	ck_assert_ptr_nonnull(in = malloc(len + 1));
	memset(in, 'a', len);
	in[len - 1] = '\n';
	in[len] = '\0';
	ck_assert_int_eq(decode(in, &line, &why), -1);
	ck_assert_str_eq(why, "line too long");
	free(in);
}
END_TEST

/* DESTMAP_MAX names fit, one more does not */
START_TEST(test_full)
{
	char		*in, *p;
	const char	*why = NULL;
	size_t		 i, line;

	ck_assert_ptr_nonnull(in = malloc((DESTMAP_MAX + 1) * 20 + 1));
	for (p = in, i = 0; i < DESTMAP_MAX; i++)
		p += sprintf(p, "d%zu %08zx\n", i, i + 1);
	ck_assert_int_eq(decode(in, &line, &why), 0);
	ck_assert_uint_eq(m.n, DESTMAP_MAX);
	sprintf(p, "more %08x\n", DESTMAP_MAX + 1);
	ck_assert_int_eq(decode(in, &line, &why), -1);
	ck_assert_uint_eq(line, DESTMAP_MAX + 1);
	ck_assert_str_eq(why, "too many names");
	free(in);
}
END_TEST

START_TEST(test_map)
{
	const char	*why;

	destmap_init(&m);
	ck_assert_int_eq(destmap_add(&m, "a", 1, &why), 0);
	ck_assert_int_eq(destmap_add(&m, "b", 2, &why), 0);
	ck_assert_int_eq(destmap_add(&m, "c", 3, &why), 0);
	ck_assert_int_eq(destmap_add(&m, "a", 4, &why), -1);
	ck_assert_int_eq(destmap_add(&m, "d", 3, &why), -1);
	ck_assert_int_eq(destmap_add(&m, "d", KEYID_ROUTER, &why), -1);
	ck_assert_int_eq(destmap_add(&m, "", 4, &why), -1);
	ck_assert_int_eq(destmap_add(&m, "d d", 4, &why), -1);
	/* set: another id for a name, an id taken, a new name appended */
	ck_assert_int_eq(destmap_set(&m, "b", 7, &why), 0);
	ck_assert_uint_eq(destmap_by_name(&m, "b")->keyid, 7);
	ck_assert_int_eq(destmap_set(&m, "b", 3, &why), -1);
	ck_assert_str_eq(why, "duplicate key id");
	ck_assert_int_eq(destmap_set(&m, "b", 7, &why), 0);
	ck_assert_int_eq(destmap_set(&m, "e", 8, &why), 0);
	ck_assert_uint_eq(m.n, 4);
	/* delete keeps the order of the rest */
	destmap_del_id(&m, 7);
	destmap_del_id(&m, 99);
	ck_assert_uint_eq(m.n, 3);
	ck_assert_str_eq(m.ent[0].name, "a");
	ck_assert_str_eq(m.ent[1].name, "c");
	ck_assert_str_eq(m.ent[2].name, "e");
	ck_assert_ptr_null(destmap_by_name(&m, "b"));
}
END_TEST

static char	 dir[64];

/* every file test in an empty directory of its own, as tunneld's chroot */
static void
dir_setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_destfile.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
}

static void
dir_teardown(void)
{
	unlink(DESTFILE);
	unlink(DESTFILE ".tmp");
	rmdir(DESTFILE ".tmp");
	rmdir(DESTFILE);
	ck_assert_int_eq(chdir("/"), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}

static void
put_file(const char *s)
{
	FILE	*fp;

	ck_assert_ptr_nonnull(fp = fopen(DESTFILE, "w"));
	fputs(s, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

static size_t
file_size(const char *path)
{
	struct stat	st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_size;
}

START_TEST(test_load_save)
{
	struct destmap	 got;
	struct stat	 st;
	char		 err[256];
	const char	*why;

	/* absent: empty */
	ck_assert_int_eq(destfile_load(DESTFILE, &got, err, sizeof(err)), 0);
	ck_assert_uint_eq(got.n, 0);

	destmap_init(&m);
	ck_assert_int_eq(destmap_add(&m, "web", 0x12, &why), 0);
	ck_assert_int_eq(destmap_add(&m, "mail", 0xabcdef01, &why), 0);
	ck_assert_int_eq(destfile_save(DESTFILE, &m), 0);
	ck_assert_int_eq(access(DESTFILE ".tmp", F_OK), -1);
	ck_assert_int_eq(stat(DESTFILE, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_uint_eq(file_size(DESTFILE), strlen("web 00000012\n"
	    "mail abcdef01\n"));
	ck_assert_int_eq(destfile_load(DESTFILE, &got, err, sizeof(err)), 0);
	ck_assert_uint_eq(got.n, 2);
	ck_assert_str_eq(got.ent[1].name, "mail");
	ck_assert_uint_eq(got.ent[1].keyid, 0xabcdef01);

	/* an empty map is an empty file */
	destmap_init(&m);
	ck_assert_int_eq(destfile_save(DESTFILE, &m), 0);
	ck_assert_uint_eq(file_size(DESTFILE), 0);
	ck_assert_int_eq(destfile_load(DESTFILE, &got, err, sizeof(err)), 0);
	ck_assert_uint_eq(got.n, 0);
}
END_TEST

START_TEST(test_load_bad)
{
	struct destmap	 got;
	char		 err[256], *big;
	size_t		 i;

	put_file("web 00000001\nmail 0000000X\n");
	ck_assert_int_eq(destfile_load(DESTFILE, &got, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, DESTFILE " line 2: bad key id") != NULL,
	    "%s", err);
	ck_assert_uint_eq(got.n, 0);

	/* larger than any good file: refused before parsing */
	ck_assert_ptr_nonnull(big = malloc(DESTFILE_MAX + 2));
	for (i = 0; i < DESTFILE_MAX + 1; i++)
		big[i] = i % 16 == 15 ? '\n' : 'a';
	big[DESTFILE_MAX + 1] = '\0';
	put_file(big);
	free(big);
	ck_assert_int_eq(destfile_load(DESTFILE, &got, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "larger than") != NULL, "%s", err);

	/* not a regular file */
	ck_assert_int_eq(unlink(DESTFILE), 0);
	ck_assert_int_eq(mkdir(DESTFILE, 0700), 0);
	ck_assert_int_eq(destfile_load(DESTFILE, &got, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "not a regular file") != NULL, "%s", err);

	/* a symbolic link is not followed */
	ck_assert_int_eq(rmdir(DESTFILE), 0);
	ck_assert_int_eq(symlink("/etc/passwd", DESTFILE), 0);
	ck_assert_int_eq(destfile_load(DESTFILE, &got, err, sizeof(err)), -1);
}
END_TEST

/* a write that fails leaves the file as it was */
START_TEST(test_save_fails)
{
	struct destmap	 got;
	char		 err[256];
	const char	*why;

	put_file("web 00000001\n");
	/* the temporary file cannot be made: a directory is in its place */
	ck_assert_int_eq(mkdir(DESTFILE ".tmp", 0700), 0);
	destmap_init(&m);
	ck_assert_int_eq(destmap_add(&m, "mail", 2, &why), 0);
	errno = 0;
	ck_assert_int_eq(destfile_save(DESTFILE, &m), -1);
	ck_assert_int_ne(errno, 0);
	ck_assert_int_eq(destfile_load(DESTFILE, &got, err, sizeof(err)), 0);
	ck_assert_uint_eq(got.n, 1);
	ck_assert_str_eq(got.ent[0].name, "web");
}
END_TEST

static Suite *
destfile_suite(void)
{
	Suite	*s = suite_create("tunneld destfile");
	TCase	*tc = tcase_create("decode");
	TCase	*tf = tcase_create("file");

	tcase_add_test(tc, test_good);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_overlong);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_map);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tf, dir_setup, dir_teardown);
	tcase_add_test(tf, test_load_save);
	tcase_add_test(tf, test_load_bad);
	tcase_add_test(tf, test_save_fails);
	suite_add_tcase(s, tf);
	return s;
}

int
main(void)
{
	return unit_run(destfile_suite());
}
