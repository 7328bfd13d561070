/*
 * ZIP reading and writing (routerd/zip.c): our archives, archives
 * Python's zipfile wrote (deflated, stored, with data descriptors), the
 * limits, and every truncation and byte flip of an archive.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "../../routerd/zip.h"
#include "unit.h"

#define ZIP_DIR	TESTS_DIR "/data/zip/"

struct seen {
	int	 n;
	char	 names[8][ZIP_NAME_MAX + 1];
	size_t	 lens[8];
	uint8_t	 first[1024];	/* content of the first entry */
	int	 stop_at;	/* return 7 at this entry, 0: never */
};

static int
seen_cb(void *arg, const char *name, const uint8_t *data, size_t len)
{
	struct seen	*s = arg;

	if (s->n < 8) {
		snprintf(s->names[s->n], sizeof(s->names[0]), "%s", name);
		s->lens[s->n] = len;
	}
	if (s->n == 0 && len <= sizeof(s->first))
		memcpy(s->first, data, len);
	s->n++;
	return s->stop_at == s->n ? 7 : 0;
}

static uint8_t	content[700];

static void
fill_content(void)
{
	size_t	i;

	for (i = 0; i < sizeof(content); i++)
		content[i] = i * 7 + 3;
}

static size_t
load(const char *name, uint8_t *buf, size_t sz)
{
	char	 path[256];
	FILE	*f;
	size_t	 n;

	snprintf(path, sizeof(path), ZIP_DIR "%s", name);
	ck_assert_ptr_nonnull(f = fopen(path, "rb"));
	n = fread(buf, 1, sz, f);
	fclose(f);
	return n;
}

/* ours: three entries, one empty */
static size_t
make_zip(struct wbuf *w)
{
	struct zip_writer	zw;

	fill_content();
	ck_assert_int_eq(zip_begin(&zw, w), 0);
	ck_assert_int_eq(zip_add(&zw, "routerInfo-a.dat", content,
	    sizeof(content)), 0);
	ck_assert_int_eq(zip_add(&zw, "empty", content, 0), 0);
	ck_assert_int_eq(zip_add(&zw, "b", (const uint8_t *)"bb", 2), 0);
	ck_assert_int_eq(zip_end(&zw), 0);
	return wbuf_len(w);
}

START_TEST(test_round_trip)
{
	struct seen	 s = { 0 };
	struct wbuf	 w;
	const char	*why;

	ck_assert_int_eq(wbuf_init_dynamic(&w, 1024, 1 << 20), 0);
	make_zip(&w);
	ck_assert_int_eq(zip_walk(wbuf_data(&w), wbuf_len(&w), 10, 4096,
	    seen_cb, &s, &why), 0);
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.names[0], "routerInfo-a.dat");
	ck_assert_uint_eq(s.lens[0], sizeof(content));
	ck_assert_mem_eq(s.first, content, sizeof(content));
	ck_assert_str_eq(s.names[1], "empty");
	ck_assert_uint_eq(s.lens[1], 0);
	ck_assert_uint_eq(s.lens[2], 2);
	wbuf_free(&w);
}
END_TEST

START_TEST(test_python_archives)
{
	static const char	*files[] = { "python-deflate.zip",
	    "python-stream.zip", "python-stored.zip" };
	uint8_t			 buf[4096];
	const char		*why;
	size_t			 i, n;

	fill_content();
	for (i = 0; i < 3; i++) {
		struct seen	 s = { 0 };

		n = load(files[i], buf, sizeof(buf));
		ck_assert_msg(zip_walk(buf, n, 10, 4096, seen_cb, &s, &why) ==
		    0, "%s: %s", files[i], why);
		ck_assert_str_eq(s.names[0], "routerInfo-test.dat");
		ck_assert_uint_eq(s.lens[0], sizeof(content));
		ck_assert_mem_eq(s.first, content, sizeof(content));
	}
}
END_TEST

START_TEST(test_limits_and_stop)
{
	struct seen	 s = { 0 };
	struct wbuf	 w;
	const char	*why;

	ck_assert_int_eq(wbuf_init_dynamic(&w, 1024, 1 << 20), 0);
	make_zip(&w);
	ck_assert_int_eq(zip_walk(wbuf_data(&w), wbuf_len(&w), 2, 4096,
	    seen_cb, &s, &why), -1);
	ck_assert_str_eq(why, "too many entries");
	ck_assert_int_eq(zip_walk(wbuf_data(&w), wbuf_len(&w), 10, 699,
	    seen_cb, &s, &why), -1);
	ck_assert_str_eq(why, "entry too large");
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	ck_assert_int_eq(zip_walk(wbuf_data(&w), wbuf_len(&w), 10, 4096,
	    seen_cb, &s, &why), 7);
	ck_assert_int_eq(s.n, 2);
	wbuf_free(&w);
}
END_TEST

/*
 * Every prefix fails; every byte flipped either fails or, where the
 * byte is one the reader ignores (versions, dates), reads the same.
 */
START_TEST(test_damage)
{
	struct wbuf	 w;
	uint8_t		*z;
	const char	*why;
	size_t		 n, i;
	int		 rv;

	ck_assert_int_eq(wbuf_init_dynamic(&w, 1024, 1 << 20), 0);
	n = make_zip(&w);
	ck_assert_ptr_nonnull(z = malloc(n));
	memcpy(z, wbuf_data(&w), n);
	for (i = 0; i < n; i++) {
		struct seen	 s = { 0 };

		ck_assert_int_eq(zip_walk(z, i, 10, 4096, seen_cb, &s, &why),
		    -1);
	}
	for (i = 0; i < n; i++) {
		struct seen	 s = { 0 };

		z[i] ^= 0x41;
		rv = zip_walk(z, n, 10, 4096, seen_cb, &s, &why);
		if (rv == 0) {
			ck_assert_int_eq(s.n, 3);
			ck_assert_mem_eq(s.first, content, sizeof(content));
		} else
			ck_assert_int_eq(rv, -1);
		z[i] ^= 0x41;
	}
	free(z);
	wbuf_free(&w);
}
END_TEST

static Suite *
zip_suite(void)
{
	Suite	*s = suite_create("zip");
	TCase	*tc = tcase_create("zip");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_python_archives);
	tcase_add_test(tc, test_limits_and_stop);
	tcase_add_test(tc, test_damage);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(zip_suite());
}
