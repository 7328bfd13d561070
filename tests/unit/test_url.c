/*
 * Reseed URLs (common/url.c): what the configuration accepts, and the
 * path a reseed download asks for.
 */
#include <check.h>
#include <string.h>

#include "url.h"
#include "unit.h"

START_TEST(test_good)
{
	struct url	 u;
	const char	*why;
	char		 path[512];

	ck_assert_int_eq(url_parse("https://reseed.example.org/", &u, &why),
	    0);
	ck_assert_str_eq(u.host, "reseed.example.org");
	ck_assert_uint_eq(u.port, 443);
	ck_assert_str_eq(u.path, "/");
	ck_assert_int_eq(url_reseed_path(&u, 2, path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/i2pseeds.su3?netid=2");

	ck_assert_int_eq(url_parse("https://198.51.100.7:8443/seeds", &u,
	    &why), 0);
	ck_assert_str_eq(u.host, "198.51.100.7");
	ck_assert_uint_eq(u.port, 8443);
	ck_assert_int_eq(url_reseed_path(&u, 99, path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/seeds/i2pseeds.su3?netid=99");

	ck_assert_int_eq(url_parse("https://[2001:db8::7]:444/x/my.su3", &u,
	    &why), 0);
	ck_assert_str_eq(u.host, "2001:db8::7");
	ck_assert_int_eq(u.ipv6, 1);
	ck_assert_uint_eq(u.port, 444);
	ck_assert_int_eq(url_reseed_path(&u, 2, path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/x/my.su3?netid=2");

	ck_assert_int_eq(url_parse("https://h", &u, &why), 0);
	ck_assert_str_eq(u.path, "/");
	ck_assert_int_eq(url_reseed_path(&u, 2, path, 10), -1);
}
END_TEST

START_TEST(test_bad)
{
	static const struct {
		const char	*url, *why;
	} bad[] = {
		{ "http://reseed.example.org/", "not an https:// URL" },
		{ "HTTPS://reseed.example.org/", "not an https:// URL" },
		{ "https://", "bad host" },
		{ "https:///x", "bad host" },
		{ "https://-a.example/", "bad host" },
		{ "https://a_b.example/", "bad path" },
		{ "https://user@host/", "bad path" },
		{ "https://[2001:db8::7/", "bad host" },
		{ "https://[]/", "bad host" },
		{ "https://[g::1]/", "bad host" },
		{ "https://host:/", "bad port" },
		{ "https://host:0/", "bad port" },
		{ "https://host:65536/", "bad port" },
		{ "https://host:-1/", "bad port" },
		{ "https://host/a b", "bad path" },
		{ "https://host/a?b=1", "bad path" },
		{ "https://host/a#b", "bad path" },
		{ "https://host/\x01", "bad path" },
	};
	struct url	 u;
	const char	*why;
	char		 longurl[600];
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(url_parse(bad[i].url, &u, &why) == -1, "%s",
		    bad[i].url);
		ck_assert_msg(strcmp(why, bad[i].why) == 0, "%s: %s",
		    bad[i].url, why);
	}
	memset(longurl, 'a', sizeof(longurl) - 1);
	longurl[sizeof(longurl) - 1] = '\0';
	memcpy(longurl, "https://h/", 10);
	ck_assert_int_eq(url_parse(longurl, &u, &why), -1);
	ck_assert_str_eq(why, "too long");
}
END_TEST

static Suite *
url_suite(void)
{
	Suite	*s = suite_create("url");
	TCase	*tc = tcase_create("url");

	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_bad);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(url_suite());
}
