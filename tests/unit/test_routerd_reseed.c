/*
 * Reseeding from a file (routerd/reseed.c): zips of fresh, stale and
 * foreign RouterInfos, empty and oversized files.  Runs in a temporary
 * directory: the netDb lives under ./netDb.
 */
#include <bsd/string.h>
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "../../routerd/routerd.h"
#include "../../routerd/zip.h"
#include "rtr.h"
#include "unit.h"

#define DAY_MS	(24ULL * 3600 * 1000)

/* imports a zip of n routers, the first nstale published 4 days ago */
static int
import(int n, int nstale, int netid, char *msg, size_t msglen)
{
	static struct rtr	 r;
	struct zip_writer	 zw;
	struct wbuf		 w;
	uint64_t		 now = (uint64_t)time(NULL) * 1000;
	char			 name[64];
	int			 i, fd, rv;

	ck_assert_int_eq(wbuf_init_dynamic(&w, 4096, 1 << 20), 0);
	ck_assert_int_eq(zip_begin(&zw, &w), 0);
	for (i = 0; i < n; i++) {
		rtr_make(&r, 0, i < nstale ? now - 4 * DAY_MS : now - 1000);
		if (netid != NETID)
			rtr_sign(&r, 0, netid, now - 1000);
		snprintf(name, sizeof(name), "routerInfo-%d.dat", i);
		ck_assert_int_eq(zip_add(&zw, name, r.raw, r.len), 0);
	}
	ck_assert_int_eq(zip_end(&zw), 0);
	ck_assert_int_ne(fd = open("in.zip", O_RDWR | O_CREAT | O_TRUNC,
	    0600), -1);
	ck_assert_int_eq(write(fd, wbuf_data(&w), wbuf_len(&w)),
	    (ssize_t)wbuf_len(&w));
	lseek(fd, 0, SEEK_SET);
	rv = reseed_import(fd, msg, msglen);
	close(fd);
	wbuf_free(&w);
	return rv;
}

START_TEST(test_fresh)
{
	char	msg[256];

	ck_assert_int_eq(import(4, 0, NETID, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "reseed: 4 RouterInfos imported, 0 already "
	    "known, 0 refused");
	ck_assert_uint_eq(netdb_count(NULL), 4);
}
END_TEST

START_TEST(test_stale)
{
	char	msg[256];

	ck_assert_int_eq(import(4, 3, NETID, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "reseed refused: too many stale RouterInfos "
	    "(3 of 4 older than 3 days)");
	ck_assert_uint_eq(netdb_count(NULL), 0);
	/* half is not too many */
	ck_assert_int_eq(import(4, 2, NETID, msg, sizeof(msg)), 0);
	ck_assert_uint_eq(netdb_count(NULL), 4);
}
END_TEST

START_TEST(test_refused)
{
	char	 msg[256];
	uint8_t	*big;
	int	 fd;

	ck_assert_int_eq(import(2, 0, 7, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "reseed refused: entry routerInfo-0.dat: "
	    "wrong netId");
	ck_assert_int_eq(import(0, 0, NETID, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "reseed refused: no RouterInfos");
	/* larger than any reseed file should be */
	ck_assert_ptr_nonnull(big = calloc(1, 8 * 1024 * 1024 + 1));
	memcpy(big, "PK\003\004", 4);
	ck_assert_int_ne(fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0600),
	    -1);
	ck_assert_int_eq(write(fd, big, 8 * 1024 * 1024 + 1),
	    8 * 1024 * 1024 + 1);
	lseek(fd, 0, SEEK_SET);
	ck_assert_int_eq(reseed_import(fd, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "reseed refused: file too large");
	close(fd);
	free(big);
	/* a truncated zip */
	ck_assert_int_ne(fd = open("cut", O_RDWR | O_CREAT | O_TRUNC, 0600),
	    -1);
	ck_assert_int_eq(write(fd, "PK\003\004\024\000", 6), 6);
	lseek(fd, 0, SEEK_SET);
	ck_assert_int_eq(reseed_import(fd, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "reseed refused: no end of central directory");
	close(fd);
	ck_assert_uint_eq(netdb_count(NULL), 0);
}
END_TEST

static Suite *
reseed_suite(void)
{
	Suite	*s = suite_create("reseed");
	TCase	*tc = tcase_create("reseed");

	tcase_add_checked_fixture(tc, rtr_netdb_setup, rtr_netdb_teardown);
	tcase_add_test(tc, test_fresh);
	tcase_add_test(tc, test_stale);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(reseed_suite());
}
