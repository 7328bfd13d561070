/*
 * SAM lines (tunneld/sam_parse.c): words and arguments, quoting and
 * escapes, values holding '=', CRLF, case rules, the limits and the
 * malformed lines refused; reply lines (order, quoting, version
 * gating, no empty MESSAGE); the UDP header line; versions; base64
 * without padding.
 */
#include <bsd/string.h>
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "../../tunneld/sam.h"
#include "unit.h"

static struct sam_line	 L;

static int
parse(const char *s)
{
	const char	*why = NULL;

	return sam_line_parse(&L, (const uint8_t *)s, strlen(s), &why);
}

START_TEST(words_and_args)
{
	ck_assert_int_eq(parse("hello version MIN=3.0 MAX=3.3"), 0);
	ck_assert_str_eq(L.cmd, "HELLO");
	ck_assert_str_eq(L.sub, "VERSION");
	ck_assert_uint_eq(L.nargs, 2);
	ck_assert_str_eq(sam_arg(&L, "MIN"), "3.0");
	ck_assert_str_eq(sam_arg(&L, "MAX"), "3.3");
	/* keys are case-sensitive, values never mapped */
	ck_assert_ptr_null(sam_arg(&L, "min"));
	ck_assert_int_eq(parse("SESSION CREATE STYLE=RAW ID=aBc "
	    "inbound.length=2"), 0);
	ck_assert_str_eq(sam_arg(&L, "ID"), "aBc");
	ck_assert_str_eq(sam_arg(&L, "inbound.length"), "2");
}
END_TEST

START_TEST(values)
{
	/* base64 padding stays in the value; only the first '=' splits */
	ck_assert_int_eq(parse("NAMING LOOKUP NAME=AAAA~-==\r"), 0);
	ck_assert_str_eq(sam_arg(&L, "NAME"), "AAAA~-==");
	ck_assert_int_eq(parse("X Y A=\"a b \\\"q\\\" \\\\\" B= C C2=\"\""),
	    0);
	ck_assert_str_eq(sam_arg(&L, "A"), "a b \"q\" \\");
	ck_assert_str_eq(sam_arg(&L, "B"), "");
	ck_assert_str_eq(sam_arg(&L, "C"), "");
	ck_assert_str_eq(sam_arg(&L, "C2"), "");
	/* any number of spaces and tabs (3.2) */
	ck_assert_int_eq(parse("  DEST \t GENERATE   SIGNATURE_TYPE=7  "), 0);
	ck_assert_str_eq(L.cmd, "DEST");
	ck_assert_str_eq(L.sub, "GENERATE");
	ck_assert_str_eq(sam_arg(&L, "SIGNATURE_TYPE"), "7");
	/* a command without sub-command */
	ck_assert_int_eq(parse("QUIT"), 0);
	ck_assert_ptr_null(L.sub);
	ck_assert_int_eq(parse("PING  some text"), 0);
	ck_assert_str_eq(L.cmd, "PING");
	ck_assert_str_eq(L.text, "some text");
	ck_assert_int_eq(parse("HELLO VERSION"), 0);
	ck_assert_uint_eq(L.nargs, 0);
}
END_TEST

START_TEST(malformed)
{
	char	 big[SAM_LINE_MAX + 16];
	char	 many[SAM_ARGS_MAX * 8 + 16];
	size_t	 i;

	ck_assert_int_eq(parse(""), -1);
	ck_assert_int_eq(parse("   \r"), -1);
	ck_assert_int_eq(parse("A B K=\"open"), -1);
	ck_assert_int_eq(parse("A B K=\"x\\"), -1);
	ck_assert_int_eq(parse("A B K=\"x\"junk"), -1);
	ck_assert_int_eq(parse("A B =v"), -1);
	ck_assert_int_eq(parse("A B K=1 K=2"), -1);
	ck_assert_int_eq(sam_line_parse(&L, (const uint8_t *)"A B\0C", 5,
	    &(const char *){ NULL }), -1);
	ck_assert_int_eq(parse("A B K=\x01"), -1);
	memset(big, 'a', sizeof(big));
	big[SAM_LINE_MAX + 1] = '\0';
	ck_assert_int_eq(parse(big), -1);
	big[SAM_LINE_MAX] = '\0';
	ck_assert_int_eq(parse(big), 0);
	strlcpy(many, "A B", sizeof(many));
	for (i = 0; i <= SAM_ARGS_MAX; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
		    " K%zu=1", i);
	ck_assert_int_eq(parse(many), -1);
}
END_TEST

START_TEST(versions)
{
	int	 v;

	ck_assert_int_eq(sam_version_parse("3.1", 0, &v), 0);
	ck_assert_int_eq(v, 301);
	ck_assert_int_eq(sam_version_parse("3", 0, &v), 0);
	ck_assert_int_eq(v, 300);
	ck_assert_int_eq(sam_version_parse("3", 1, &v), 0);
	ck_assert_int_eq(v, 399);
	ck_assert_int_eq(sam_version_parse("3.10", 1, &v), 0);
	ck_assert_int_eq(v, 310);
	ck_assert_int_eq(sam_version_parse("", 0, &v), -1);
	ck_assert_int_eq(sam_version_parse("3.", 0, &v), -1);
	ck_assert_int_eq(sam_version_parse("3.1x", 0, &v), -1);
	ck_assert_int_eq(sam_version_parse("0.9", 0, &v), -1);
	ck_assert_int_eq(sam_version_parse("-3", 0, &v), -1);
	ck_assert_int_eq(sam_version_parse("3.100", 0, &v), -1);
}
END_TEST

static const char *
reply(int ver, const char *words, const char *result,
    const struct sam_field *f, size_t n, const char *msg)
{
	static char	 out[1024];
	struct wbuf	 w;

	wbuf_init_fixed(&w, out, sizeof(out) - 1);
	ck_assert_int_eq(sam_reply(&w, ver, words, result, f, n, msg), 0);
	out[wbuf_len(&w)] = '\0';
	return out;
}

START_TEST(replies)
{
	struct sam_field f[] = {
		{ "DESTINATION", "AB==", 0 },
		{ "FROM_PORT", "5", SAM_V(3, 2) },
		{ "X", "a \"b\" \\", 0 },
		{ "E", "", 0 },
		{ "N", NULL, 0 },
	};

	ck_assert_str_eq(reply(300, "HELLO REPLY", "OK", NULL, 0, NULL),
	    "HELLO REPLY RESULT=OK\n");
	ck_assert_str_eq(reply(301, "S T", "I2P_ERROR", f, 5, "bad thing"),
	    "S T RESULT=I2P_ERROR DESTINATION=AB== X=\"a \\\"b\\\" \\\\\" "
	    "E=\"\" MESSAGE=\"bad thing\"\n");
	ck_assert_str_eq(reply(302, "S T", "OK", f, 2, ""),
	    "S T RESULT=OK DESTINATION=AB== FROM_PORT=5\n");
	ck_assert_str_eq(reply(303, "DEST REPLY", NULL, f, 1, NULL),
	    "DEST REPLY DESTINATION=AB==\n");
}
END_TEST

START_TEST(udp_header)
{
	struct sam_udp_hdr	 h;
	const char		*why;
	const char		*d = "3.0 sess AAAA== FROM_PORT=7\nhello";

	ck_assert_int_eq(sam_udp_parse(&h, (const uint8_t *)d, strlen(d),
	    &why), 0);
	ck_assert_str_eq(h.line.cmd, "3.0");
	ck_assert_str_eq(h.line.sub, "sess");
	ck_assert_str_eq(h.line.dest, "AAAA==");
	ck_assert_str_eq(sam_arg(&h.line, "FROM_PORT"), "7");
	ck_assert_uint_eq(h.len, 5);
	ck_assert_int_eq(memcmp(h.payload, "hello", 5), 0);
	d = "3.3 s D\n";
	ck_assert_int_eq(sam_udp_parse(&h, (const uint8_t *)d, strlen(d),
	    &why), 0);
	ck_assert_uint_eq(h.len, 0);
	d = "3.0 s D";
	ck_assert_int_eq(sam_udp_parse(&h, (const uint8_t *)d, strlen(d),
	    &why), -1);
	d = "2.0 s D\nx";
	ck_assert_int_eq(sam_udp_parse(&h, (const uint8_t *)d, strlen(d),
	    &why), -1);
	d = "3.0 s\nx";
	ck_assert_int_eq(sam_udp_parse(&h, (const uint8_t *)d, strlen(d),
	    &why), -1);
	ck_assert_int_eq(sam_udp_parse(&h, (const uint8_t *)"", 0, &why), -1);
}
END_TEST

START_TEST(b64_padding)
{
	uint8_t	 b[8];

	ck_assert_int_eq(sam_b64_decode(b, sizeof(b), "YWI="), 2);
	ck_assert_int_eq(sam_b64_decode(b, sizeof(b), "YWI"), 2);
	ck_assert_int_eq(memcmp(b, "ab", 2), 0);
	ck_assert_int_eq(sam_b64_decode(b, sizeof(b), "YW+"), -1);
	ck_assert_int_eq(sam_b64_decode(b, sizeof(b), "Y"), -1);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("tunneld_sam_parse");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, words_and_args);
	tcase_add_test(tc, values);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, versions);
	tcase_add_test(tc, replies);
	tcase_add_test(tc, udp_header);
	tcase_add_test(tc, b64_padding);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}
