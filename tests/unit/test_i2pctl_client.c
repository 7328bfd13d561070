/*
 * i2pctl: the request and the reply loop, against a fake routerd on the
 * other end of a socketpair (ctlfake.h).  The replies are queued in full
 * before the loop runs, then the fake end is closed or kept open as the
 * case needs.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/string.h>

#include "imsg.h"
#include "../../i2pctl/i2pctl.h"
#include "ctlfake.h"
#include "unit.h"

static void
fake_send_raw(struct fake *f, const void *data, size_t len)
{
	ck_assert_int_eq(write(f->sv[1], data, len), (ssize_t)len);
}

static void
fake_hangup(struct fake *f)
{
	imsg_clear(&f->srv);
	close(f->sv[1]);
	f->sv[1] = -1;
}

/* run the loop; the output streams are closed and readable afterwards */
static int
fake_run(struct fake *f, enum actions action, const struct output *out,
    int timeout)
{
	struct parse_result	 res;
	int			 rv;

	memset(&res, 0, sizeof(res));
	res.action = action;
	rv = ctl_replies(&f->cli, &res, out, timeout);
	output_setfiles(NULL, NULL);
	output_json_pretty(1);
	fclose(f->out);
	fclose(f->err);
	return rv;
}

static void
mk_summary(struct ctl_summary *s)
{
	memset(s, 0, sizeof(*s));
	strlcpy(s->version, "0.1.0", sizeof(s->version));
	strlcpy(s->statedir, "/var/lib/i2prd", sizeof(s->statedir));
	strlcpy(s->log_level, "info", sizeof(s->log_level));
	s->started = 1700000000;
	s->now = s->started + 3723;
	s->netid = 2;
}

static void
mk_proc(struct ctl_proc *p, const char *name, int32_t pid)
{
	memset(p, 0, sizeof(*p));
	strlcpy(p->name, name, sizeof(p->name));
	p->pid = pid;
}

static void
mk_result(struct ctl_result *r, int32_t code, const char *msg)
{
	memset(r, 0, sizeof(*r));
	r->code = code;
	strlcpy(r->msg, msg, sizeof(r->msg));
}

static void
send_summary(struct fake *f)
{
	struct ctl_summary	 s;

	mk_summary(&s);
	fake_send(f, IMSG_CTL_SUMMARY, &s, sizeof(s));
}

static void
send_proc(struct fake *f, const char *name, int32_t pid)
{
	struct ctl_proc	 p;

	mk_proc(&p, name, pid);
	fake_send(f, IMSG_CTL_PROC, &p, sizeof(p));
}

static const char summary_text[] =
    "Version              0.1.0\n"
    "Uptime               01:02:03\n"
    "State directory      /var/lib/i2prd\n"
    "Network ID           2\n"
    "Floodfill            no\n"
    "Log level            info\n"
    "Config generation    0\n"
    "Router hash          (not published yet)\n"
    "Caps                 -\n"
    "\n"
    "Process    PID\n"
    "parent     100\n"
    "routerd    103\n";

START_TEST(test_summary_text)
{
	struct fake	 f;

	fake_open(&f);
	send_summary(&f);
	send_proc(&f, "parent", 100);
	send_proc(&f, "routerd", 103);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	/* the connection stays open: END alone ends the answer */
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), 0);
	ck_assert_str_eq(f.outbuf, summary_text);
	ck_assert_str_eq(f.errbuf, "");
	fake_close(&f);
}
END_TEST

START_TEST(test_summary_json)
{
	struct fake	 f;

	fake_open(&f);
	send_summary(&f);
	send_proc(&f, "parent", 100);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	fake_hangup(&f);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &json_output, 5000), 0);
	ck_assert_str_eq(f.outbuf, "{\"summary\":{\"version\":\"0.1.0\","
	    "\"uptime\":3723,\"statedir\":\"/var/lib/i2prd\",\"netid\":2,"
	    "\"floodfill\":false,\"log_level\":\"info\",\"generation\":0,"
	    "\"router_hash\":\"\",\"caps\":\"\","
	    "\"processes\":[{\"name\":\"parent\",\"pid\":100}]}}\n");
	fake_close(&f);
}
END_TEST

/* the testing knob's line, only while it is on or has dropped */
START_TEST(test_summary_test_drop)
{
	struct fake		 f;
	struct ctl_summary	 s;

	fake_open(&f);
	mk_summary(&s);
	s.test_drop = 4;
	s.test_dropped_out = 31;
	s.test_dropped_in = 27;
	fake_send(&f, IMSG_CTL_SUMMARY, &s, sizeof(s));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "Config generation    0\n"
	    "Testing              dropping 4% of client tunnel messages, "
	    "31 out and 27 in so far\nRouter hash"));
	fake_close(&f);
	/* switched off since: what it dropped stays */
	fake_open(&f);
	s.test_drop = 0;
	fake_send(&f, IMSG_CTL_SUMMARY, &s, sizeof(s));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "Testing              no "
	    "longer dropping; dropped 31 out and 27 in so far\n"));
	fake_close(&f);
}
END_TEST

START_TEST(test_summary_no_procs)
{
	struct fake	 f;

	fake_open(&f);
	send_summary(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "Config generation    0\n"));
	ck_assert_ptr_null(strstr(f.outbuf, "Process"));
	fake_close(&f);
}
END_TEST

/*
 * Times far apart, as a confused or hostile daemon may send: the uptime
 * must not overflow (it did, found by tests/fuzz/fuzz_i2pctl_reply) and
 * is clamped to INT64_MAX, never negative.
 */
START_TEST(test_summary_uptime_extreme)
{
	static const struct {
		int64_t	 started, now, uptime;
	} cases[] = {
		{ -7668058320836127339LL, 7670357585057650069LL, INT64_MAX },
		{ INT64_MIN, INT64_MAX, INT64_MAX },
		{ -1, INT64_MAX, INT64_MAX },
		{ INT64_MIN, 0, INT64_MAX },
		{ INT64_MIN + 1, 0, INT64_MAX },
		{ 0, INT64_MAX, INT64_MAX },
		{ INT64_MIN, -1, INT64_MAX },
		{ INT64_MAX, INT64_MIN, 0 },
		{ 1700000000, 1700003723, 3723 }
	};
	struct ctl_summary	 s;
	struct fake		 f;
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mk_summary(&s);
		s.started = cases[i].started;
		s.now = cases[i].now;
		ck_assert_msg(summary_uptime(&s) == cases[i].uptime,
		    "case %zu: uptime %lld", i, (long long)summary_uptime(&s));
	}

	fake_open(&f);
	mk_summary(&s);
	s.started = INT64_MIN;
	s.now = INT64_MAX;
	fake_send(&f, IMSG_CTL_SUMMARY, &s, sizeof(s));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &json_output, 5000), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf,
	    "\"uptime\":9223372036854775807,"));
	fake_close(&f);

	fake_open(&f);
	fake_send(&f, IMSG_CTL_SUMMARY, &s, sizeof(s));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf,
	    "Uptime               106751991167300d15h30m\n"));
	fake_close(&f);
}
END_TEST

/* each unterminated string field is an error and prints nothing */
START_TEST(test_summary_unterminated)
{
	struct fake		 f;
	struct ctl_summary	 s;
	int			 which = _i;

	fake_open(&f);
	mk_summary(&s);
	switch (which) {
	case 0:
		memset(s.version, 'v', sizeof(s.version));
		break;
	case 1:
		memset(s.statedir, 'd', sizeof(s.statedir));
		break;
	case 2:
		memset(s.log_level, 'l', sizeof(s.log_level));
		break;
	}
	fake_send(&f, IMSG_CTL_SUMMARY, &s, sizeof(s));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

START_TEST(test_proc_unterminated)
{
	struct fake	 f;
	struct ctl_proc	 p;

	fake_open(&f);
	send_summary(&f);
	mk_proc(&p, "x", 1);
	memset(p.name, 'n', sizeof(p.name));
	fake_send(&f, IMSG_CTL_PROC, &p, sizeof(p));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &json_output, 5000), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

/* one byte short or long: the table's exact size rejects it */
START_TEST(test_summary_bad_size)
{
	struct fake	 f;
	unsigned char	 buf[sizeof(struct ctl_summary) + 1];
	size_t		 len = _i == 0 ? sizeof(struct ctl_summary) - 1 :
			    sizeof(struct ctl_summary) + 1;

	memset(buf, 0, sizeof(buf));
	fake_open(&f);
	fake_send(&f, IMSG_CTL_SUMMARY, buf, len);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

START_TEST(test_proc_bad_size)
{
	struct fake	 f;
	unsigned char	 buf[sizeof(struct ctl_proc) - 1];

	memset(buf, 0, sizeof(buf));
	fake_open(&f);
	send_summary(&f);
	fake_send(&f, IMSG_CTL_PROC, buf, sizeof(buf));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

START_TEST(test_out_of_order)
{
	struct fake	 f;

	/* PROC before SUMMARY */
	fake_open(&f);
	send_proc(&f, "parent", 1);
	send_summary(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);

	/* END before SUMMARY */
	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	fake_close(&f);

	/* a second SUMMARY */
	fake_open(&f);
	send_summary(&f);
	send_summary(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);

	/* a summary answering a reload */
	fake_open(&f);
	send_summary(&f);
	ck_assert_int_eq(fake_run(&f, RELOAD, &text_output, 5000), -1);
	fake_close(&f);
}
END_TEST

/* show netdb and show floodfill: one NETDB, then END */
START_TEST(test_netdb)
{
	struct ctl_netdb	 nd;
	struct fake		 f;

	memset(&nd, 0, sizeof(nd));
	nd.routers = 7;
	nd.ff.lookups_in = 3;
	fake_open(&f);
	fake_send(&f, IMSG_CTL_NETDB, &nd, sizeof(nd));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_NETDB, &text_output, 5000), 0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "RouterInfos"));
	fake_close(&f);

	fake_open(&f);
	fake_send(&f, IMSG_CTL_NETDB, &nd, sizeof(nd));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_FLOODFILL, &json_output, 5000),
	    0);
	ck_assert_ptr_nonnull(strstr(f.outbuf, "\"lookups_received\":3"));
	fake_close(&f);

	/* END alone, two NETDBs, a short one: refused, nothing printed */
	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_NETDB, &text_output, 5000), -1);
	fake_close(&f);
	fake_open(&f);
	fake_send(&f, IMSG_CTL_NETDB, &nd, sizeof(nd));
	fake_send(&f, IMSG_CTL_NETDB, &nd, sizeof(nd));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_NETDB, &text_output, 5000), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
	fake_open(&f);
	fake_send(&f, IMSG_CTL_NETDB, &nd, sizeof(nd) - 1);
	ck_assert_int_eq(fake_run(&f, SHOW_FLOODFILL, &text_output, 5000),
	    -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

/*
 * show tunnels: a client's pools arrive before the exploratory figures;
 * a name not terminated or not a destination name refuses the answer.
 */
START_TEST(test_client_pool)
{
	struct ctl_tunnels	 sum;
	struct ctl_pool		 cp;
	struct fake		 f;
	int			 bad;

	memset(&sum, 0, sizeof(sum));
	for (bad = 0; bad < 3; bad++) {
		memset(&cp, 0, sizeof(cp));
		cp.client = 3;
		strcpy(cp.name, "web");
		if (bad == 1)
			memset(cp.name, 'n', sizeof(cp.name));
		if (bad == 2)
			strcpy(cp.name, "we b\n");
		fake_open(&f);
		fake_send(&f, IMSG_CTL_POOL, &cp, sizeof(cp));
		fake_send(&f, IMSG_CTL_TUNNELS, &sum, sizeof(sum));
		ck_assert_int_eq(fake_run(&f, SHOW_TUNNELS, &text_output,
		    5000), bad ? -1 : 0);
		if (bad)
			ck_assert_str_eq(f.outbuf, "");
		else
			ck_assert_ptr_nonnull(strstr(f.outbuf,
			    "Client web (AAAAAAAA) inbound"));
		fake_close(&f);
	}
}
END_TEST

/* show netdb router|leaseset: the entry or END alone */
START_TEST(test_netdb_entry)
{
	struct fake	 f;
	uint8_t		 junk[40];

	memset(junk, 0x5a, sizeof(junk));
	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_NETDB_ROUTER, &text_output, 5000),
	    0);
	ck_assert_str_eq(f.outbuf, "no such RouterInfo in the netDb\n");
	fake_close(&f);

	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_NETDB_LEASESET, &json_output,
	    5000), 0);
	ck_assert_str_eq(f.outbuf, "{\"leaseset\":null}\n");
	fake_close(&f);

	/* a RouterInfo does not answer a LeaseSet request */
	fake_open(&f);
	fake_send(&f, IMSG_CTL_ROUTER_INFO, junk, sizeof(junk));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_NETDB_LEASESET, &text_output,
	    5000), -1);
	fake_close(&f);

	/* a LeaseSet that does not parse is an error, not a table */
	fake_open(&f);
	fake_send(&f, IMSG_CTL_LEASESET, junk, sizeof(junk));
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_NETDB_LEASESET, &text_output,
	    5000), -1);
	ck_assert_str_eq(f.outbuf, "");
	ck_assert_ptr_nonnull(strstr(f.errbuf, "malformed LeaseSet"));
	fake_close(&f);
}
END_TEST

START_TEST(test_not_from_routerd)
{
	struct fake	 f;

	/* a type routerd may not send to a control client */
	fake_open(&f);
	fake_send(&f, IMSG_CTL_SHOW_SUMMARY, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	fake_close(&f);

	/* an unknown type */
	fake_open(&f);
	fake_send(&f, IMSG_MAX + 7, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	fake_close(&f);
}
END_TEST

START_TEST(test_unexpected_fd)
{
	struct fake	 f;
	int		 fd;

	fake_open(&f);
	send_summary(&f);
	ck_assert_int_ne(fd = open("/dev/null", O_RDONLY), -1);
	ck_assert_int_ne(imsg_compose(&f.srv, IMSG_CTL_END, 0, 0, fd,
	    NULL, 0), -1);
	ck_assert_int_eq(imsg_flush(&f.srv), 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

START_TEST(test_eof_early)
{
	struct fake	 f;

	/* nothing at all */
	fake_open(&f);
	fake_hangup(&f);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	fake_close(&f);

	/* summary and a process, then gone */
	fake_open(&f);
	send_summary(&f);
	send_proc(&f, "parent", 1);
	fake_hangup(&f);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);

	/* half a message, then gone */
	fake_open(&f);
	{
		struct imsg_hdr	 hdr;

		memset(&hdr, 0, sizeof(hdr));
		hdr.type = IMSG_CTL_RESULT;
		hdr.len = IMSG_HEADER_SIZE + sizeof(struct ctl_result);
		fake_send_raw(&f, &hdr, sizeof(hdr));
		fake_send_raw(&f, "abc", 3);
	}
	fake_hangup(&f);
	ck_assert_int_eq(fake_run(&f, RELOAD, &text_output, 5000), -1);
	fake_close(&f);
}
END_TEST

START_TEST(test_bad_header)
{
	struct fake	 f;
	struct imsg_hdr	 hdr;

	/* a length shorter than the header itself */
	fake_open(&f);
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = IMSG_CTL_END;
	hdr.len = 4;
	fake_send_raw(&f, &hdr, sizeof(hdr));
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	fake_close(&f);

	/* claims an fd that never came */
	fake_open(&f);
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = IMSG_CTL_RESULT;
	hdr.len = IMSG_HEADER_SIZE;
	hdr.flags = IMSGF_HASFD;
	fake_send_raw(&f, &hdr, sizeof(hdr));
	ck_assert_int_eq(fake_run(&f, RELOAD, &text_output, 5000), -1);
	fake_close(&f);

	/* far larger than any message may be */
	fake_open(&f);
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = IMSG_CTL_SUMMARY;
	hdr.len = UINT32_MAX;
	fake_send_raw(&f, &hdr, sizeof(hdr));
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	fake_close(&f);
}
END_TEST

START_TEST(test_too_many_procs)
{
	struct fake	 f;
	int		 i;

	fake_open(&f);
	send_summary(&f);
	for (i = 0; i <= CTL_MAXPROCS; i++)
		send_proc(&f, "p", i);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);

	/* exactly the limit is fine */
	fake_open(&f);
	send_summary(&f);
	for (i = 0; i < CTL_MAXPROCS; i++)
		send_proc(&f, "p", i);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 5000), 0);
	fake_close(&f);
}
END_TEST

START_TEST(test_timeout)
{
	struct fake	 f;

	fake_open(&f);
	send_summary(&f);
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &text_output, 100), -1);
	ck_assert_str_eq(f.outbuf, "");
	fake_close(&f);
}
END_TEST

START_TEST(test_result_ok)
{
	struct fake		 f;
	struct ctl_result	 r;

	fake_open(&f);
	mk_result(&r, 0, "reload requested");
	fake_send(&f, IMSG_CTL_RESULT, &r, sizeof(r));
	ck_assert_int_eq(fake_run(&f, RELOAD, &text_output, 5000), 0);
	ck_assert_str_eq(f.outbuf, "reload requested\n");
	ck_assert_str_eq(f.errbuf, "");
	fake_close(&f);

	fake_open(&f);
	mk_result(&r, 0, "log level debug");
	fake_send(&f, IMSG_CTL_RESULT, &r, sizeof(r));
	ck_assert_int_eq(fake_run(&f, LOG_VERBOSE, &json_output, 5000), 0);
	ck_assert_str_eq(f.outbuf,
	    "{\"result\":{\"code\":0,\"message\":\"log level debug\"}}\n");
	fake_close(&f);
}
END_TEST

START_TEST(test_result_failed)
{
	struct fake		 f;
	struct ctl_result	 r;

	fake_open(&f);
	mk_result(&r, 1, "reload failed");
	fake_send(&f, IMSG_CTL_RESULT, &r, sizeof(r));
	ck_assert_int_eq(fake_run(&f, RELOAD, &text_output, 5000), 1);
	ck_assert_str_eq(f.outbuf, "");
	ck_assert_str_eq(f.errbuf, "reload failed\n");
	fake_close(&f);

	/* a daemon refusing show summary answers with a result */
	fake_open(&f);
	mk_result(&r, 1, "not ready");
	fake_send(&f, IMSG_CTL_RESULT, &r, sizeof(r));
	ck_assert_int_eq(fake_run(&f, SHOW_SUMMARY, &json_output, 5000), 1);
	ck_assert_str_eq(f.outbuf,
	    "{\"result\":{\"code\":1,\"message\":\"not ready\"}}\n");
	fake_close(&f);
}
END_TEST

START_TEST(test_result_malformed)
{
	struct fake		 f;
	struct ctl_result	 r;
	unsigned char		 buf[sizeof(r) + 8];

	fake_open(&f);
	mk_result(&r, 0, "");
	memset(r.msg, 'm', sizeof(r.msg));
	fake_send(&f, IMSG_CTL_RESULT, &r, sizeof(r));
	ck_assert_int_eq(fake_run(&f, LOG_BRIEF, &text_output, 5000), -1);
	ck_assert_str_eq(f.outbuf, "");
	ck_assert_str_eq(f.errbuf, "");
	fake_close(&f);

	fake_open(&f);
	memset(buf, 0, sizeof(buf));
	fake_send(&f, IMSG_CTL_RESULT, buf, sizeof(buf));
	ck_assert_int_eq(fake_run(&f, RELOAD, &text_output, 5000), -1);
	fake_close(&f);

	fake_open(&f);
	fake_send(&f, IMSG_CTL_RESULT, NULL, 0);
	ck_assert_int_eq(fake_run(&f, RELOAD, &text_output, 5000), -1);
	fake_close(&f);

	/* END is no answer to a reload */
	fake_open(&f);
	fake_send(&f, IMSG_CTL_END, NULL, 0);
	ck_assert_int_eq(fake_run(&f, RELOAD, &text_output, 5000), -1);
	fake_close(&f);
}
END_TEST

/* what routerd receives for each request */
START_TEST(test_send)
{
	static const struct {
		enum actions	 action;
		uint32_t	 type;
		int		 verbose;	/* -1: no payload */
	} cases[] = {
		{ SHOW_SUMMARY,	IMSG_CTL_SHOW_SUMMARY,	-1 },
		{ RELOAD,	IMSG_CTL_RELOAD,	-1 },
		{ LOG_VERBOSE,	IMSG_CTL_LOG_VERBOSE,	1 },
		{ LOG_BRIEF,	IMSG_CTL_LOG_VERBOSE,	0 }
	};
	struct parse_result	 res;
	struct ctl_log_verbose	 lv;
	struct imsg		 imsg;
	struct fake		 f;
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fake_open(&f);
		memset(&res, 0, sizeof(res));
		res.action = cases[i].action;
		ck_assert_int_eq(ctl_send(&f.cli, &res), 0);
		ck_assert_int_gt(imsg_read(&f.srv), 0);
		ck_assert_int_gt(imsg_get(&f.srv, &imsg), 0);
		ck_assert_uint_eq(imsg_get_type(&imsg), cases[i].type);
		ck_assert_int_eq(imsg.fd, -1);
		if (cases[i].verbose == -1)
			ck_assert_uint_eq(imsg_get_len(&imsg), 0);
		else {
			ck_assert_int_eq(imsg_get_data(&imsg, &lv,
			    sizeof(lv)), 0);
			ck_assert_int_eq(lv.verbose, cases[i].verbose);
		}
		imsg_free(&imsg);
		/* exactly one message */
		ck_assert_int_eq(imsg_get(&f.srv, &imsg), 0);
		fclose(f.out);
		fclose(f.err);
		output_setfiles(NULL, NULL);
		fake_close(&f);
	}

	memset(&res, 0, sizeof(res));
	fake_open(&f);
	ck_assert_int_eq(ctl_send(&f.cli, &res), -1);
	ck_assert_int_eq(fake_run(&f, NONE, &text_output, 100), -1);
	fake_close(&f);
}
END_TEST

START_TEST(test_connect)
{
	struct sockaddr_un	 sun;
	char			 dir[] = "/tmp/i2pctl-test.XXXXXX";
	char			 path[sizeof(sun.sun_path) + 16];
	int			 s, fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ctl.sock", dir);

	/* nobody there */
	ck_assert_int_eq(ctl_connect(path), -1);

	ck_assert_int_ne(s = socket(AF_UNIX, SOCK_STREAM, 0), -1);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(listen(s, 1), 0);
	ck_assert_int_ge(fd = ctl_connect(path), 0);
	close(fd);
	close(s);
	unlink(path);
	rmdir(dir);

	/* a path that cannot fit in sun_path */
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	ck_assert_int_eq(ctl_connect(path), -1);
}
END_TEST

static Suite *
i2pctl_client_suite(void)
{
	Suite	*s = suite_create("i2pctl_client");
	TCase	*tc;

	tc = tcase_create("summary");
	tcase_add_test(tc, test_summary_text);
	tcase_add_test(tc, test_summary_json);
	tcase_add_test(tc, test_summary_test_drop);
	tcase_add_test(tc, test_summary_no_procs);
	tcase_add_test(tc, test_summary_uptime_extreme);
	tcase_add_loop_test(tc, test_summary_unterminated, 0, 3);
	tcase_add_test(tc, test_proc_unterminated);
	tcase_add_loop_test(tc, test_summary_bad_size, 0, 2);
	tcase_add_test(tc, test_proc_bad_size);
	tcase_add_test(tc, test_out_of_order);
	tcase_add_test(tc, test_netdb);
	tcase_add_test(tc, test_netdb_entry);
	tcase_add_test(tc, test_client_pool);
	tcase_add_test(tc, test_not_from_routerd);
	tcase_add_test(tc, test_unexpected_fd);
	tcase_add_test(tc, test_eof_early);
	tcase_add_test(tc, test_bad_header);
	tcase_add_test(tc, test_too_many_procs);
	tcase_add_test(tc, test_timeout);
	suite_add_tcase(s, tc);

	tc = tcase_create("result");
	tcase_add_test(tc, test_result_ok);
	tcase_add_test(tc, test_result_failed);
	tcase_add_test(tc, test_result_malformed);
	tcase_add_test(tc, test_send);
	tcase_add_test(tc, test_connect);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(i2pctl_client_suite());
}
