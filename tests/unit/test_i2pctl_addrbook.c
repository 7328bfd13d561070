/*
 * i2pctl addressbook: the commands as parsed (books, replace, names
 * and Destinations checked), the requests sent, the replies through
 * the reply loop against a fake routerd, show's table and JSON with
 * conflicts, lookup found and not, and replies malformed or too many.
 */
#include <bsd/string.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../i2pctl/i2pctl.h"
#include "../../i2pctl/parser.h"
#include "ctlfake.h"
#include "encoding.h"
#include "unit.h"

static struct ctl_ab_entry	ent[2];
static struct ctl_ab_conflict	conf;
static struct ctl_ab		sum;
static struct ctl_ab_sub	sub;
static char			b32[2][64];
static char			dest_b64[B64_ENCLEN(CTL_AB_DEST_MAX)];

static void
fill(int64_t now)
{
	uint8_t	h[32];
	int	i;

	memset(ent, 0, sizeof(ent));
	for (i = 0; i < 2; i++) {
		ent[i].destlen = 391;
		unit_fill(ent[i].dest, ent[i].destlen, i + 1);
		ck_assert_int_eq(sha256(h, ent[i].dest, ent[i].destlen), 0);
		ck_assert_int_gt(b32_encode(b32[i], sizeof(b32[i]), h, 32), 0);
		strlcat(b32[i], ".b32.i2p", sizeof(b32[i]));
	}
	strlcpy(ent[0].name, "example.i2p", sizeof(ent[0].name));
	ent[0].book = 0;
	strlcpy(ent[1].name, "stats.i2p", sizeof(ent[1].name));
	ent[1].book = 2;
	ck_assert_int_gt(b64_encode(dest_b64, sizeof(dest_b64), ent[0].dest,
	    ent[0].destlen), 0);
	memset(&conf, 0, sizeof(conf));
	strlcpy(conf.name, "example.i2p", sizeof(conf.name));
	conf.book = 0;
	memset(conf.known, 0, 32);
	memset(conf.offered, 0xff, 32);
	conf.when = now - 3600;
	memset(&sum, 0, sizeof(sum));
	sum.count[0] = 1;
	sum.count[2] = 1;
	sum.shown = 2;
	sum.conflicts = 5;
	sum.fetches = 3;
	sum.fetch_failures = 1;
	sum.subscriptions = 1;
	memset(&sub, 0, sizeof(sub));
	strlcpy(sub.url, "http://stats.i2p/hosts.txt", sizeof(sub.url));
	strlcpy(sub.err, "HTTP status 503", sizeof(sub.err));
	sub.status = 503;
	sub.fetched = now - 60;
	sub.next = now + 1800;
	sub.added = 7;
	sub.refused = 2;
}

static int
parse_words(const char *line, struct parse_result *res)
{
	char	 buf[2048], *argv[8], *p;
	int	 argc = 0, rv;
	FILE	*errf = fopen("/dev/null", "w");

	strlcpy(buf, line, sizeof(buf));
	for (p = strtok(buf, " "); p != NULL && argc < 8; p = strtok(NULL, " "))
		argv[argc++] = p;
	rv = parse(argc, argv, res, errf);
	fclose(errf);
	return rv;
}

START_TEST(test_parse)
{
	struct parse_result	res;
	char			line[2048];

	fill(0);
	snprintf(line, sizeof(line), "addressbook add web.i2p %s", dest_b64);
	ck_assert_int_eq(parse_words(line, &res), 0);
	ck_assert_int_eq(res.action, AB_ADD);
	ck_assert_str_eq(res.abname, "web.i2p");
	ck_assert_uint_eq(res.abdestlen, 391);
	ck_assert(memcmp(res.abdest, ent[0].dest, 391) == 0);
	snprintf(line, sizeof(line), "addressbook add web.i2p %s private",
	    dest_b64);
	ck_assert_int_eq(parse_words(line, &res), 0);
	ck_assert_int_eq(res.action, AB_ADD_PRIVATE);
	snprintf(line, sizeof(line), "addr add web.i2p %s priv rep", dest_b64);
	ck_assert_int_eq(parse_words(line, &res), 0);
	ck_assert_int_eq(res.action, AB_ADD_PRIVATE_REPLACE);
	snprintf(line, sizeof(line), "addressbook add web.i2p %s replace",
	    dest_b64);
	ck_assert_int_eq(parse_words(line, &res), 0);
	ck_assert_int_eq(res.action, AB_ADD_REPLACE);
	ck_assert_int_eq(parse_words("addressbook del web.i2p", &res), 0);
	ck_assert_int_eq(res.action, AB_DEL);
	ck_assert_int_eq(parse_words("addressbook del web.i2p private", &res),
	    0);
	ck_assert_int_eq(res.action, AB_DEL_PRIVATE);
	ck_assert_int_eq(parse_words("addressbook lookup Web.I2P", &res), 0);
	ck_assert_int_eq(res.action, AB_LOOKUP);
	ck_assert_str_eq(res.abname, "Web.I2P");
	ck_assert_int_eq(parse_words("addressbook show", &res), 0);
	ck_assert_int_eq(res.action, AB_SHOW);
	ck_assert_int_eq(parse_words("addressbook show sub", &res), 0);
	ck_assert_int_eq(res.action, AB_SHOW_SUBSCRIBED);
	/* refused */
	ck_assert_int_eq(parse_words("addressbook add web.i2p", &res), -1);
	ck_assert_int_eq(parse_words("addressbook add web.i2p not*b64", &res),
	    -1);
	snprintf(line, sizeof(line), "addressbook add web.i2p %s private x",
	    dest_b64);
	ck_assert_int_eq(parse_words(line, &res), -1);
	ck_assert_int_eq(parse_words("addressbook lookup aaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.i2p", &res),
	    -1);
	ck_assert_int_eq(parse_words("addressbook show all", &res), -1);
	ck_assert_int_eq(parse_words("addressbook fetch", &res), 0);
	ck_assert_int_eq(res.action, AB_FETCH);
	ck_assert_int_eq(parse_words("addressbook fetch now", &res), -1);
}
END_TEST

/* the request i2pctl sends for a command */
static void
request(const char *line, uint32_t type, struct ctl_ab_req *q)
{
	struct parse_result	 res;
	struct fake		 f;
	struct imsg		 imsg;

	ck_assert_int_eq(parse_words(line, &res), 0);
	fake_open(&f);
	ck_assert_int_eq(ctl_send(&f.cli, &res), 0);
	ck_assert_int_gt(imsg_read(&f.srv), 0);
	ck_assert_int_gt(imsg_get(&f.srv, &imsg), 0);
	ck_assert_uint_eq(imsg_get_type(&imsg), type);
	if (q == NULL)		/* a request without a payload */
		ck_assert_uint_eq(imsg_get_len(&imsg), 0);
	else
		ck_assert_int_eq(imsg_get_data(&imsg, q, sizeof(*q)), 0);
	imsg_free(&imsg);
	output_setfiles(NULL, NULL);
	fclose(f.out);
	fclose(f.err);
	fake_close(&f);
}

START_TEST(test_requests)
{
	struct ctl_ab_req	q;
	char			line[2048];

	fill(0);
	snprintf(line, sizeof(line), "addressbook add web.i2p %s private "
	    "replace", dest_b64);
	request(line, IMSG_CTL_AB_ADD, &q);
	ck_assert_str_eq(q.name, "web.i2p");
	ck_assert(q.book == 1 && q.replace == 1 && q.destlen == 391);
	ck_assert(memcmp(q.dest, ent[0].dest, 391) == 0);
	snprintf(line, sizeof(line), "addressbook add web.i2p %s", dest_b64);
	request(line, IMSG_CTL_AB_ADD, &q);
	ck_assert(q.book == 0 && q.replace == 0);
	request("addressbook del web.i2p private", IMSG_CTL_AB_DEL, &q);
	ck_assert(q.book == 1 && q.destlen == 0);
	request("addressbook lookup web.i2p", IMSG_CTL_AB_LOOKUP, &q);
	ck_assert_str_eq(q.name, "web.i2p");
	request("addressbook show", IMSG_CTL_SHOW_AB, &q);
	ck_assert_int_eq(q.book, CTL_AB_ALL);
	request("addressbook show private", IMSG_CTL_SHOW_AB, &q);
	ck_assert_int_eq(q.book, 1);
	request("addressbook fetch", IMSG_CTL_AB_FETCH, NULL);
}
END_TEST

static int
run(struct fake *f, enum actions action, const char *name,
    const struct output *out)
{
	struct parse_result	 res;
	int			 rv;

	memset(&res, 0, sizeof(res));
	res.action = action;
	strlcpy(res.abname, name, sizeof(res.abname));
	rv = ctl_replies(&f->cli, &res, out, 2000);
	output_setfiles(NULL, NULL);
	fclose(f->out);
	fclose(f->err);
	return rv;
}

static void
answer_show(struct fake *f)
{
	fake_send(f, IMSG_CTL_AB_ENTRY, &ent[0], sizeof(ent[0]));
	fake_send(f, IMSG_CTL_AB_ENTRY, &ent[1], sizeof(ent[1]));
	fake_send(f, IMSG_CTL_AB_CONFLICT, &conf, sizeof(conf));
	fake_send(f, IMSG_CTL_AB_SUB, &sub, sizeof(sub));
	fake_send(f, IMSG_CTL_AB, &sum, sizeof(sum));
	fake_send(f, IMSG_CTL_END, NULL, 0);
}

START_TEST(test_show_text)
{
	struct fake	f;
	char		want[1024];

	fill(time(NULL));
	fake_open(&f);
	answer_show(&f);
	ck_assert_int_eq(run(&f, AB_SHOW, "", &text_output), 0);
	snprintf(want, sizeof(want), "Name                             Book  "
	    "     Destination\nexample.i2p                      local      "
	    "%s\nstats.i2p                        subscribed %s\n\n1 local, "
	    "0 private, 1 subscribed; 5 conflicts since start\n", b32[0],
	    b32[1]);
	ck_assert_int_eq(strncmp(f.outbuf, want, strlen(want)), 0);
	snprintf(want, sizeof(want), "\nexample.i2p%21s local      %s "
	    "%s 01:00:00\n", "", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".b32.i2p", "777777777777777777777777777777777777777777777777777q"
	    ".b32.i2p");
	ck_assert_ptr_nonnull(strstr(f.outbuf, want));
	snprintf(want, sizeof(want), "\nSubscriptions: 1\n");
	ck_assert_ptr_nonnull(strstr(f.outbuf, want));
	snprintf(want, sizeof(want), "\n%-50s %-24s %9s %6u %9u %5u %7u %7u "
	    "%s\n", "http://stats.i2p/hosts.txt", "HTTP status 503",
	    "00:01:00", 7, 0, 0, 0, 2, "00:30:00");
	ck_assert_ptr_nonnull(strstr(f.outbuf, want));
	fake_close(&f);
}
END_TEST

START_TEST(test_show_json)
{
	struct fake	 f;
	int64_t		 now = time(NULL);
	char		 want[2048];

	fill(now);
	fake_open(&f);
	answer_show(&f);
	ck_assert_int_eq(run(&f, AB_SHOW, "", &json_output), 0);
	snprintf(want, sizeof(want), "{\"names\":[{\"name\":\"example.i2p\","
	    "\"book\":\"local\",\"b32\":\"%s\"},{\"name\":\"stats.i2p\","
	    "\"book\":\"subscribed\",\"b32\":\"%s\"}],\"limit_reached\":false,"
	    "\"books\":{\"local\":1,\"private\":0,\"subscribed\":1},"
	    "\"conflicts_total\":5,\"conflicts\":[{\"name\":\"example.i2p\","
	    "\"known_in\":\"local\",\"known\":\"%.52s.b32.i2p\",\"offered\":"
	    "\"%.52s.b32.i2p\",\"when\":%lld,\"age\":3600}],"
	    "\"subscriptions\":[{\"url\":\"http://stats.i2p/hosts.txt\","
	    "\"fetching\":false,\"fetched\":%lld,\"status\":503,\"error\":"
	    "\"HTTP status 503\",\"next\":%lld,\"added\":7,\"conflicts\":0,"
	    "\"bad\":0,\"applied\":0,\"refused\":2}],\"fetches_total\":3,"
	    "\"fetch_failures_total\":1}\n", b32[0], b32[1],
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "777777777777777777777777777777777777777777777777777q",
	    (long long)(now - 3600), (long long)(now - 60),
	    (long long)(now + 1800));
	ck_assert_str_eq(f.outbuf, want);
	fake_close(&f);
}
END_TEST

START_TEST(test_lookup)
{
	struct fake	f;
	char		want[2048];

	fill(0);
	fake_open(&f);
	fake_send(&f, IMSG_CTL_AB_ENTRY, &ent[0], sizeof(ent[0]));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, AB_LOOKUP, "Example.i2p", &text_output), 0);
	snprintf(want, sizeof(want), "name:        example.i2p\nbook:        "
	    "local\nb32:         %s\ndestination: %s\n", b32[0], dest_b64);
	ck_assert_str_eq(f.outbuf, want);
	fake_close(&f);
	/* in no book: said on stderr, the run fails */
	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, AB_LOOKUP, "nope.i2p", &text_output), -1);
	ck_assert_str_eq(f.errbuf, "nope.i2p: in no address book\n");
	fake_close(&f);
	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, AB_LOOKUP, "nope.i2p", &json_output), 0);
	ck_assert_str_eq(f.outbuf, "{\"name\":\"nope.i2p\",\"found\":false}\n");
	fake_close(&f);
}
END_TEST

START_TEST(test_malformed)
{
	struct fake		f;
	struct ctl_ab_entry	bad;
	struct ctl_ab_sub	bad_sub;
	struct ctl_result	r;

	fill(0);
	/* a name not terminated, a bad book, a dest too long, bad sizes */
	bad = ent[0];
	memset(bad.name, 'a', sizeof(bad.name));
	fake_open(&f);
	fake_send(&f, IMSG_CTL_AB_ENTRY, &bad, sizeof(bad));
	ck_assert_int_eq(run(&f, AB_SHOW, "", &text_output), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
	bad = ent[0];
	bad.book = 3;
	fake_open(&f);
	fake_send(&f, IMSG_CTL_AB_ENTRY, &bad, sizeof(bad));
	ck_assert_int_eq(run(&f, AB_SHOW, "", &text_output), -1);
	fake_close(&f);
	bad = ent[0];
	bad.destlen = CTL_AB_DEST_MAX + 1;
	fake_open(&f);
	fake_send(&f, IMSG_CTL_AB_ENTRY, &bad, sizeof(bad));
	ck_assert_int_eq(run(&f, AB_LOOKUP, "x.i2p", &text_output), -1);
	fake_close(&f);
	fake_open(&f);
	fake_send(&f, IMSG_CTL_AB_ENTRY, &ent[0], sizeof(ent[0]) - 1);
	ck_assert_int_eq(run(&f, AB_SHOW, "", &text_output), -1);
	fake_close(&f);
	/* two entries for one lookup, rows after the counts */
	fake_open(&f);
	fake_send(&f, IMSG_CTL_AB_ENTRY, &ent[0], sizeof(ent[0]));
	fake_send(&f, IMSG_CTL_AB_ENTRY, &ent[0], sizeof(ent[0]));
	ck_assert_int_eq(run(&f, AB_LOOKUP, "x.i2p", &text_output), -1);
	fake_close(&f);
	fake_open(&f);
	fake_send(&f, IMSG_CTL_AB, &sum, sizeof(sum));
	fake_send(&f, IMSG_CTL_AB_ENTRY, &ent[0], sizeof(ent[0]));
	ck_assert_int_eq(run(&f, AB_SHOW, "", &text_output), -1);
	fake_close(&f);
	/* a subscription row with an unterminated URL */
	memset(&bad_sub, 'x', sizeof(bad_sub));
	fake_open(&f);
	fake_send(&f, IMSG_CTL_AB_SUB, &bad_sub, sizeof(bad_sub));
	ck_assert_int_eq(run(&f, AB_SHOW, "", &text_output), -1);
	fake_close(&f);
	/* END alone: no counts, nothing printed */
	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(run(&f, AB_SHOW, "", &text_output), -1);
	ck_assert_str_eq(f.errbuf, "i2pctl: no address book answer from "
	    "i2prd\n");
	fake_close(&f);
	/* add: tunneld's answer printed, its failure on stderr */
	memset(&r, 0, sizeof(r));
	r.code = 1;
	strlcpy(r.msg, "web.i2p: known with another destination",
	    sizeof(r.msg));
	fake_open(&f);
	fake_send(&f, IMSG_CTL_RESULT, &r, sizeof(r));
	ck_assert_int_eq(run(&f, AB_ADD, "web.i2p", &text_output), 1);
	ck_assert_str_eq(f.errbuf, "web.i2p: known with another destination\n");
	fake_close(&f);
}
END_TEST

static int
run_show(struct fake *f, void *arg)
{
	return run(f, AB_SHOW, "", &text_output);
}

/* more rows than tunneld may send is a daemon gone wrong */
START_TEST(test_too_many)
{
	struct fake	f;

	fill(0);
	ck_assert_int_eq(fake_many(&f, IMSG_CTL_AB_ENTRY, &ent[0],
	    sizeof(ent[0]), CTL_AB_SHOW_MAX + 1, run_show, NULL), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("i2pctl_addrbook");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_requests);
	tcase_add_test(tc, test_show_text);
	tcase_add_test(tc, test_show_json);
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_too_many);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
