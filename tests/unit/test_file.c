/*
 * Atomic file writes (common/file.c): the whole content or the old one,
 * the mode asked for, no temporary file left behind, and a leftover at
 * the temporary name (its mode, a symbolic link) not used.
 */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "unit.h"

static char	dir[64];

static void
setup(void)
{
	strcpy(dir, "/tmp/test_file.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
}

static void
teardown(void)
{
	char	cmd[128];

	ck_assert_int_eq(chdir("/"), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static size_t
slurp(const char *path, char *buf, size_t cap)
{
	FILE	*fp = fopen(path, "r");
	size_t	 n;

	ck_assert_ptr_nonnull(fp);
	n = fread(buf, 1, cap, fp);
	fclose(fp);
	return n;
}

START_TEST(test_write_and_replace)
{
	struct stat	st;
	char		buf[32];

	ck_assert_int_eq(file_write_atomic("f", "first", 5, 0600,
	    FILE_SYNC_DIR), 0);
	ck_assert_uint_eq(slurp("f", buf, sizeof(buf)), 5);
	ck_assert_mem_eq(buf, "first", 5);
	ck_assert_int_eq(stat("f", &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(file_write_atomic("f", "2nd", 3, 0600, 0), 0);
	ck_assert_uint_eq(slurp("f", buf, sizeof(buf)), 3);
	ck_assert_mem_eq(buf, "2nd", 3);
	ck_assert_int_eq(access("f.tmp", F_OK), -1);
	/* a cache, not fsynced: written and replaced all the same */
	ck_assert_int_eq(file_write_atomic("f", "cache", 5, 0600,
	    FILE_NO_FSYNC), 0);
	ck_assert_uint_eq(slurp("f", buf, sizeof(buf)), 5);
	ck_assert_mem_eq(buf, "cache", 5);
	ck_assert_int_eq(access("f.tmp", F_OK), -1);
	/* in a subdirectory, its directory synced */
	ck_assert_int_eq(mkdir("d", 0755), 0);
	ck_assert_int_eq(file_write_atomic("d/g", "", 0, 0644,
	    FILE_SYNC_DIR), 0);
	ck_assert_int_eq(stat("d/g", &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
}
END_TEST

/*
 * A leftover temporary file goes first: its mode is not kept, and a
 * link planted there is removed, not followed.
 */
START_TEST(test_leftover)
{
	struct stat	st;
	char		buf[32];
	FILE		*fp;

	ck_assert_ptr_nonnull(fp = fopen("f.tmp", "w"));
	fclose(fp);
	ck_assert_int_eq(chmod("f.tmp", 0666), 0);
	ck_assert_int_eq(file_write_atomic("f", "key", 3, 0600, 0), 0);
	ck_assert_int_eq(stat("f", &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(symlink("target", "f.tmp"), 0);
	ck_assert_int_eq(file_write_atomic("f", "new", 3, 0600, 0), 0);
	ck_assert_int_eq(access("target", F_OK), -1);
	ck_assert_int_eq(lstat("f", &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(slurp("f", buf, sizeof(buf)), 3);
	ck_assert_mem_eq(buf, "new", 3);
}
END_TEST

START_TEST(test_failures_keep_the_old)
{
	char	buf[32], longpath[PATH_MAX + 8];

	ck_assert_int_eq(file_write_atomic("f", "old", 3, 0600, 0), 0);
	/* no such directory */
	ck_assert_int_eq(file_write_atomic("nodir/f", "x", 1, 0600, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* a name whose temporary name does not fit */
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	ck_assert_int_eq(file_write_atomic(longpath, "x", 1, 0600, 0), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	/* a directory where the file should be: rename fails, tmp gone */
	ck_assert_int_eq(mkdir("dir", 0755), 0);
	ck_assert_int_eq(file_write_atomic("dir", "x", 1, 0600, 0), -1);
	ck_assert_int_eq(access("dir.tmp", F_OK), -1);
	/* none of it touched the file written first */
	ck_assert_uint_eq(slurp("f", buf, sizeof(buf)), 3);
	ck_assert_mem_eq(buf, "old", 3);
}
END_TEST

static Suite *
file_suite(void)
{
	Suite	*s = suite_create("file");
	TCase	*tc = tcase_create("file");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_write_and_replace);
	tcase_add_test(tc, test_leftover);
	tcase_add_test(tc, test_failures_keep_the_old);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(file_suite());
}
