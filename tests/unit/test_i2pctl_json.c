/*
 * i2pctl: the JSON writer and the JSON output back-end.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "../../i2pctl/i2pctl.h"
#include "../../i2pctl/json.h"
#include "unit.h"

/* a writer into memory; done() returns the text (caller frees) */
struct mem {
	FILE	*fp;
	char	*buf;
	size_t	 len;
};

static void
mem_open(struct mem *m)
{
	m->fp = open_memstream(&m->buf, &m->len);
	ck_assert_ptr_nonnull(m->fp);
}

static char *
mem_done(struct mem *m)
{
	fclose(m->fp);
	return m->buf;
}

static char *
escaped(const char *s)
{
	struct mem	 m;

	mem_open(&m);
	json_write_string(m.fp, s);
	return mem_done(&m);
}

#define CHECK_ESC(in, want) do {				\
	char	*got_ = escaped(in);				\
	ck_assert_str_eq(got_, want);				\
	free(got_);						\
} while (0)

START_TEST(test_escape_basic)
{
	CHECK_ESC("", "\"\"");
	CHECK_ESC("plain text", "\"plain text\"");
	CHECK_ESC("a\"b", "\"a\\\"b\"");
	CHECK_ESC("back\\slash", "\"back\\\\slash\"");
	CHECK_ESC("\\\"", "\"\\\\\\\"\"");
	/* '/' needs no escape */
	CHECK_ESC("/var/lib/i2prd", "\"/var/lib/i2prd\"");
	/* DEL is allowed raw in JSON */
	CHECK_ESC("\x7f", "\"\x7f\"");
}
END_TEST

START_TEST(test_escape_controls)
{
	char	 in[2], want[16];
	int	 c;

	/* every control character as \u00XX */
	for (c = 1; c < 0x20; c++) {
		in[0] = (char)c;
		in[1] = '\0';
		snprintf(want, sizeof(want), "\"\\u%04x\"", c);
		CHECK_ESC(in, want);
	}
	CHECK_ESC("a\nb\tc\rd", "\"a\\u000ab\\u0009c\\u000dd\"");
	CHECK_ESC("\033[2J", "\"\\u001b[2J\"");
	CHECK_ESC("\x1f", "\"\\u001f\"");
}
END_TEST

START_TEST(test_escape_utf8)
{
	/* well-formed UTF-8 passes through */
	CHECK_ESC("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	CHECK_ESC("\xe2\x82\xac", "\"\xe2\x82\xac\"");		/* U+20AC */
	CHECK_ESC("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");	/* U+1F600 */
	CHECK_ESC("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");	/* U+10FFFF */
	CHECK_ESC("\xed\x9f\xbf", "\"\xed\x9f\xbf\"");		/* U+D7FF */
	/* anything else becomes U+FFFD, one per bad byte */
	CHECK_ESC("\xff", "\"\\ufffd\"");
	CHECK_ESC("\x80", "\"\\ufffd\"");
	CHECK_ESC("a\xc3", "\"a\\ufffd\"");		/* cut short */
	CHECK_ESC("\xc0\xaf", "\"\\ufffd\\ufffd\"");	/* overlong '/' */
	CHECK_ESC("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");
	CHECK_ESC("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	CHECK_ESC("\xf4\x90\x80\x80",
	    "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");	/* above U+10FFFF */
	CHECK_ESC("\xe2\x82" "x", "\"\\ufffd\\ufffdx\"");
	CHECK_ESC("\xc3\"", "\"\\ufffd\\\"\"");
}
END_TEST

START_TEST(test_numbers)
{
	struct mem	 m;
	struct json	 j;
	char		*s;

	mem_open(&m);
	json_init(&j, m.fp, 0);
	ck_assert_int_eq(json_array_begin(&j, NULL), 0);
	ck_assert_int_eq(json_int(&j, NULL, 0), 0);
	ck_assert_int_eq(json_int(&j, NULL, -1), 0);
	ck_assert_int_eq(json_int(&j, NULL, 3723), 0);
	ck_assert_int_eq(json_int(&j, NULL, INT64_MAX), 0);
	ck_assert_int_eq(json_int(&j, NULL, INT64_MIN), 0);
	ck_assert_int_eq(json_uint(&j, NULL, UINT64_MAX), 0);
	ck_assert_int_eq(json_uint(&j, NULL, 4294967295U), 0);
	ck_assert_int_eq(json_bool(&j, NULL, 1), 0);
	ck_assert_int_eq(json_bool(&j, NULL, 0), 0);
	ck_assert_int_eq(json_bool(&j, NULL, 42), 0);
	ck_assert_int_eq(json_null(&j, NULL), 0);
	ck_assert_int_eq(json_array_end(&j), 0);
	ck_assert_int_eq(json_finish(&j), 0);
	s = mem_done(&m);
	ck_assert_str_eq(s, "[0,-1,3723,9223372036854775807,"
	    "-9223372036854775808,18446744073709551615,4294967295,"
	    "true,false,true,null]\n");
	free(s);
}
END_TEST

static void
write_nested(struct json *j)
{
	ck_assert_int_eq(json_object_begin(j, NULL), 0);
	ck_assert_int_eq(json_string(j, "a", "x"), 0);
	ck_assert_int_eq(json_object_begin(j, "empty"), 0);
	ck_assert_int_eq(json_object_end(j), 0);
	ck_assert_int_eq(json_array_begin(j, "none"), 0);
	ck_assert_int_eq(json_array_end(j), 0);
	ck_assert_int_eq(json_array_begin(j, "list"), 0);
	ck_assert_int_eq(json_int(j, NULL, 1), 0);
	ck_assert_int_eq(json_object_begin(j, NULL), 0);
	ck_assert_int_eq(json_bool(j, "k\"ey", 1), 0);
	ck_assert_int_eq(json_object_end(j), 0);
	ck_assert_int_eq(json_array_begin(j, NULL), 0);
	ck_assert_int_eq(json_array_begin(j, NULL), 0);
	ck_assert_int_eq(json_array_end(j), 0);
	ck_assert_int_eq(json_array_end(j), 0);
	ck_assert_int_eq(json_array_end(j), 0);
	ck_assert_int_eq(json_object_end(j), 0);
	ck_assert_int_eq(json_finish(j), 0);
}

START_TEST(test_nesting_compact)
{
	struct mem	 m;
	struct json	 j;
	char		*s;

	mem_open(&m);
	json_init(&j, m.fp, 0);
	write_nested(&j);
	s = mem_done(&m);
	ck_assert_str_eq(s, "{\"a\":\"x\",\"empty\":{},\"none\":[],"
	    "\"list\":[1,{\"k\\\"ey\":true},[[]]]}\n");
	free(s);
}
END_TEST

START_TEST(test_nesting_pretty)
{
	struct mem	 m;
	struct json	 j;
	char		*s;

	mem_open(&m);
	json_init(&j, m.fp, 1);
	write_nested(&j);
	s = mem_done(&m);
	ck_assert_str_eq(s,
	    "{\n"
	    "  \"a\": \"x\",\n"
	    "  \"empty\": {},\n"
	    "  \"none\": [],\n"
	    "  \"list\": [\n"
	    "    1,\n"
	    "    {\n"
	    "      \"k\\\"ey\": true\n"
	    "    },\n"
	    "    [\n"
	    "      []\n"
	    "    ]\n"
	    "  ]\n"
	    "}\n");
	free(s);
}
END_TEST

START_TEST(test_scalar_document)
{
	struct mem	 m;
	struct json	 j;
	char		*s;

	mem_open(&m);
	json_init(&j, m.fp, 1);
	ck_assert_int_eq(json_string(&j, NULL, "only"), 0);
	/* one top-level value only */
	ck_assert_int_eq(json_int(&j, NULL, 1), -1);
	ck_assert_int_eq(json_finish(&j), -1);
	s = mem_done(&m);
	ck_assert_str_eq(s, "\"only\"");
	free(s);
}
END_TEST

/* each misuse fails, sticks, and json_finish reports it */
START_TEST(test_misuse)
{
	struct mem	 m;
	struct json	 j;
	char		*s;
	int		 i;

	/* key missing inside an object */
	mem_open(&m);
	json_init(&j, m.fp, 0);
	json_object_begin(&j, NULL);
	ck_assert_int_eq(json_int(&j, NULL, 1), -1);
	ck_assert_int_eq(json_int(&j, "k", 1), -1);	/* sticky */
	ck_assert_int_eq(json_object_end(&j), -1);
	ck_assert_int_eq(json_finish(&j), -1);
	s = mem_done(&m);
	ck_assert_str_eq(s, "{");
	free(s);

	/* key given inside an array, and at top level */
	mem_open(&m);
	json_init(&j, m.fp, 0);
	json_array_begin(&j, NULL);
	ck_assert_int_eq(json_string(&j, "k", "v"), -1);
	ck_assert_int_eq(json_finish(&j), -1);
	free(mem_done(&m));

	mem_open(&m);
	json_init(&j, m.fp, 0);
	ck_assert_int_eq(json_object_begin(&j, "k"), -1);
	free(mem_done(&m));

	/* closing the wrong kind, or too many */
	mem_open(&m);
	json_init(&j, m.fp, 0);
	json_object_begin(&j, NULL);
	ck_assert_int_eq(json_array_end(&j), -1);
	free(mem_done(&m));

	mem_open(&m);
	json_init(&j, m.fp, 0);
	ck_assert_int_eq(json_object_end(&j), -1);
	free(mem_done(&m));

	/* unbalanced at the end */
	mem_open(&m);
	json_init(&j, m.fp, 0);
	json_array_begin(&j, NULL);
	ck_assert_int_eq(json_finish(&j), -1);
	free(mem_done(&m));

	/* nothing written at all */
	mem_open(&m);
	json_init(&j, m.fp, 0);
	ck_assert_int_eq(json_finish(&j), -1);
	free(mem_done(&m));

	/* nesting limit */
	mem_open(&m);
	json_init(&j, m.fp, 0);
	for (i = 0; i < JSON_MAXDEPTH; i++)
		ck_assert_int_eq(json_array_begin(&j, NULL), 0);
	ck_assert_int_eq(json_array_begin(&j, NULL), -1);
	ck_assert_int_eq(json_array_end(&j), -1);
	free(mem_done(&m));
}
END_TEST

START_TEST(test_depth_limit_ok)
{
	struct mem	 m;
	struct json	 j;
	char		*s;
	int		 i;

	mem_open(&m);
	json_init(&j, m.fp, 0);
	for (i = 0; i < JSON_MAXDEPTH; i++)
		ck_assert_int_eq(json_array_begin(&j, NULL), 0);
	for (i = 0; i < JSON_MAXDEPTH; i++)
		ck_assert_int_eq(json_array_end(&j), 0);
	ck_assert_int_eq(json_finish(&j), 0);
	s = mem_done(&m);
	ck_assert_str_eq(s, "[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]\n");
	free(s);
}
END_TEST

static void
fill(struct ctl_summary *s, struct ctl_proc *p)
{
	memset(s, 0, sizeof(*s));
	strlcpy(s->version, "0.1.0", sizeof(s->version));
	strlcpy(s->statedir, "/var/lib/i2prd", sizeof(s->statedir));
	strlcpy(s->log_level, "info", sizeof(s->log_level));
	s->started = 1700000000;
	s->now = s->started + 3723;
	s->netid = 2;
	s->floodfill = 0;
	s->generation = 3;
	memset(p, 0, 2 * sizeof(*p));
	strlcpy(p[0].name, "parent", sizeof(p[0].name));
	p[0].pid = 1234;
	strlcpy(p[1].name, "netd", sizeof(p[1].name));
	p[1].pid = 1235;
}

START_TEST(test_summary_json)
{
	struct ctl_summary	 s;
	struct ctl_proc		 p[2];
	struct mem		 m;
	char			*out;

	fill(&s, p);
	mem_open(&m);
	print_summary_json(m.fp, 0, &s, p, 2);
	out = mem_done(&m);
	ck_assert_str_eq(out, "{\"summary\":{\"version\":\"0.1.0\","
	    "\"uptime\":3723,\"statedir\":\"/var/lib/i2prd\",\"netid\":2,"
	    "\"floodfill\":false,\"log_level\":\"info\",\"generation\":3,\"router_hash\":\"\",\"caps\":\"\","
	    "\"processes\":[{\"name\":\"parent\",\"pid\":1234},"
	    "{\"name\":\"netd\",\"pid\":1235}]}}\n");
	free(out);

	/* floodfill is any non-zero; no processes is an empty array */
	s.floodfill = 7;
	s.now = s.started - 10;
	strlcpy(s.statedir, "/tmp/a\"b\\c\n", sizeof(s.statedir));
	mem_open(&m);
	print_summary_json(m.fp, 0, &s, NULL, 0);
	out = mem_done(&m);
	ck_assert_str_eq(out, "{\"summary\":{\"version\":\"0.1.0\","
	    "\"uptime\":0,\"statedir\":\"/tmp/a\\\"b\\\\c\\u000a\","
	    "\"netid\":2,\"floodfill\":true,\"log_level\":\"info\","
	    "\"generation\":3,\"router_hash\":\"\",\"caps\":\"\","
	    "\"processes\":[]}}\n");
	free(out);
}
END_TEST

START_TEST(test_summary_json_pretty)
{
	struct ctl_summary	 s;
	struct ctl_proc		 p[2];
	struct mem		 m;
	char			*out;

	fill(&s, p);
	mem_open(&m);
	print_summary_json(m.fp, 1, &s, p, 1);
	out = mem_done(&m);
	ck_assert_str_eq(out,
	    "{\n"
	    "  \"summary\": {\n"
	    "    \"version\": \"0.1.0\",\n"
	    "    \"uptime\": 3723,\n"
	    "    \"statedir\": \"/var/lib/i2prd\",\n"
	    "    \"netid\": 2,\n"
	    "    \"floodfill\": false,\n"
	    "    \"log_level\": \"info\",\n"
	    "    \"generation\": 3,\n"
	    "    \"router_hash\": \"\",\n"
	    "    \"caps\": \"\",\n"
	    "    \"processes\": [\n"
	    "      {\n"
	    "        \"name\": \"parent\",\n"
	    "        \"pid\": 1234\n"
	    "      }\n"
	    "    ]\n"
	    "  }\n"
	    "}\n");
	free(out);
}
END_TEST

START_TEST(test_result_json)
{
	struct mem	 m;
	char		*out;

	mem_open(&m);
	print_result_json(m.fp, 0, 0, "reload requested");
	print_result_json(m.fp, 0, 1, "bad \"config\"");
	out = mem_done(&m);
	ck_assert_str_eq(out,
	    "{\"result\":{\"code\":0,\"message\":\"reload requested\"}}\n"
	    "{\"result\":{\"code\":1,\"message\":\"bad \\\"config\\\"\"}}\n");
	free(out);
}
END_TEST

/* the back-end through its callbacks: a failure still goes to stdout */
START_TEST(test_json_output_callbacks)
{
	struct parse_result	 res = { .action = RELOAD };
	struct mem		 o, e;
	char			*out, *err;

	mem_open(&o);
	mem_open(&e);
	output_setfiles(o.fp, e.fp);
	output_json_pretty(0);
	json_output.head(&res);
	json_output.result(2, "failed");
	json_output.tail();
	output_json_pretty(1);
	output_setfiles(NULL, NULL);
	out = mem_done(&o);
	err = mem_done(&e);
	ck_assert_str_eq(out,
	    "{\"result\":{\"code\":2,\"message\":\"failed\"}}\n");
	ck_assert_str_eq(err, "");
	free(out);
	free(err);
}
END_TEST

static Suite *
i2pctl_json_suite(void)
{
	Suite	*s = suite_create("i2pctl_json");
	TCase	*tc;

	tc = tcase_create("writer");
	tcase_add_test(tc, test_escape_basic);
	tcase_add_test(tc, test_escape_controls);
	tcase_add_test(tc, test_escape_utf8);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_nesting_compact);
	tcase_add_test(tc, test_nesting_pretty);
	tcase_add_test(tc, test_scalar_document);
	tcase_add_test(tc, test_misuse);
	tcase_add_test(tc, test_depth_limit_ok);
	suite_add_tcase(s, tc);

	tc = tcase_create("output");
	tcase_add_test(tc, test_summary_json);
	tcase_add_test(tc, test_summary_json_pretty);
	tcase_add_test(tc, test_result_json);
	tcase_add_test(tc, test_json_output_callbacks);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(i2pctl_json_suite());
}
