/*
 * The i2p.streaming.* options (tunneld/stream_opts.c): the defaults,
 * each option at both ends of its range and just outside, the special
 * values (0, -1, http), numbers that are not plain decimals, names
 * not known.
 */
#include <check.h>
#include <string.h>

#include "../../tunneld/stream.h"
#include "unit.h"

START_TEST(test_defaults)
{
	struct stream_opts	 o;

	memset(&o, 0xa5, sizeof(o));
	stream_opts_default(&o);
	ck_assert_uint_eq(o.sndbuf, STREAM_SNDBUF);
	ck_assert_uint_eq(o.rcvbuf, STREAM_RCVBUF);
	ck_assert_uint_eq(o.max_window, 512);
	ck_assert_uint_eq(o.initial_window, 6);
	ck_assert_uint_eq(o.initial_rtt, 8000);
	ck_assert_uint_eq(o.connect_timeout, 300000);
	ck_assert_uint_eq(o.inactivity_timeout, 90000);
	ck_assert_uint_eq(o.max_resends, 6);
	ck_assert_uint_eq(o.mtu, STREAM_MTU_DEFAULT);
	ck_assert_uint_eq(o.conn_per_min, 0);
	ck_assert_uint_eq(o.conn_per_hour, 0);
	ck_assert_uint_eq(o.conn_per_day, 0);
	ck_assert_uint_eq(o.total_conn_per_min, 0);
	ck_assert_uint_eq(o.total_conn_per_hour, 0);
	ck_assert_int_eq(o.limit_action_reset, 1);
	ck_assert_uint_eq(o.max_streams, STREAM_PER_HOST);
}
END_TEST

/* name, the field it sets, lowest and highest value taken */
struct range {
	const char	*name;
	size_t		 off;
	int		 is16;
	const char	*lo, *hi;	/* taken */
	const char	*below, *above;	/* refused; NULL: none */
	uint32_t	 vlo, vhi;
};

#define F(m)	offsetof(struct stream_opts, m)

static const struct range ranges[] = {
	{ "bufferSize", F(sndbuf), 0, "1812", "1048576", "1811", "1048577",
	    1812, 1048576 },
	{ "connectTimeout", F(connect_timeout), 0, "1000", "3600000", "999",
	    "3600001", 1000, 3600000 },
	{ "inactivityTimeout", F(inactivity_timeout), 0, "1000", "86400000",
	    "999", "86400001", 1000, 86400000 },
	{ "initialRTT", F(initial_rtt), 0, "1", "60000", "0", "60001",
	    1, 60000 },
	{ "initialWindowSize", F(initial_window), 0, "1", "1024", "0", "1025",
	    1, 1024 },
	{ "maxConcurrentStreams", F(max_streams), 0, "1", "512", "-2", "513",
	    1, 512 },
	{ "maxConnsPerDay", F(conn_per_day), 0, "0", "4294967295", "-1",
	    "4294967296", 0, 4294967295u },
	{ "maxConnsPerHour", F(conn_per_hour), 0, "0", "4294967295", "-1",
	    "4294967296", 0, 4294967295u },
	{ "maxConnsPerMinute", F(conn_per_min), 0, "0", "4294967295", "-1",
	    "4294967296", 0, 4294967295u },
	{ "maxMessageSize", F(mtu), 1, "512", "1812", "511", "1813",
	    512, 1812 },
	{ "maxResends", F(max_resends), 0, "1", "16", "0", "17", 1, 16 },
	{ "maxTotalConnsPerHour", F(total_conn_per_hour), 0, "0",
	    "4294967295", "-1", "4294967296", 0, 4294967295u },
	{ "maxTotalConnsPerMinute", F(total_conn_per_min), 0, "0",
	    "4294967295", "-1", "4294967296", 0, 4294967295u },
	{ "maxWindowSize", F(max_window), 0, "1", "1024", "0", "1025", 1, 1024 },
};

#undef F

static uint32_t
field(const struct stream_opts *o, const struct range *r)
{
	uint16_t	 v16;
	uint32_t	 v32;

	if (r->is16) {
		memcpy(&v16, (const uint8_t *)o + r->off, sizeof(v16));
		return v16;
	}
	memcpy(&v32, (const uint8_t *)o + r->off, sizeof(v32));
	return v32;
}

static void
set_ok(struct stream_opts *o, const char *name, const char *v)
{
	char	 full[128];

	snprintf(full, sizeof(full), "i2p.streaming.%s", name);
	ck_assert_msg(stream_opts_set(o, full, v) == 0, "%s=%s", full, v);
}

static void
set_bad(struct stream_opts *o, const char *name, const char *v)
{
	struct stream_opts	 before = *o;
	char			 full[128];

	snprintf(full, sizeof(full), "i2p.streaming.%s", name);
	ck_assert_msg(stream_opts_set(o, full, v) == -1, "%s=%s", full, v);
	ck_assert_mem_eq(&before, o, sizeof(before));
	ck_assert_ptr_nonnull(stream_opts_range(full));
}

START_TEST(test_ranges)
{
	const struct range	*r = &ranges[_i];
	struct stream_opts	 o;

	stream_opts_default(&o);
	set_ok(&o, r->name, r->lo);
	ck_assert_uint_eq(field(&o, r), r->vlo);
	set_ok(&o, r->name, r->hi);
	ck_assert_uint_eq(field(&o, r), r->vhi);
	set_bad(&o, r->name, r->below);
	set_bad(&o, r->name, r->above);
	/* not plain decimal numbers */
	set_bad(&o, r->name, "");
	set_bad(&o, r->name, "+5");
	set_bad(&o, r->name, " 5");
	set_bad(&o, r->name, "5 ");
	set_bad(&o, r->name, "0x10");
	set_bad(&o, r->name, "1e3");
	set_bad(&o, r->name, "-");
	set_bad(&o, r->name, "99999999999");
	set_bad(&o, r->name, "00000000001000");
	ck_assert_int_eq(stream_opts_set(&o, "i2p.streaming.maxResends",
	    NULL), -1);
}
END_TEST

START_TEST(test_special_values)
{
	struct stream_opts	 o;

	stream_opts_default(&o);
	/* Java's unlimited is our bound */
	set_ok(&o, "maxConcurrentStreams", "7");
	ck_assert_uint_eq(o.max_streams, 7);
	set_ok(&o, "maxConcurrentStreams", "-1");
	ck_assert_uint_eq(o.max_streams, STREAM_PER_HOST);
	set_ok(&o, "maxConcurrentStreams", "7");
	set_ok(&o, "maxConcurrentStreams", "0");
	ck_assert_uint_eq(o.max_streams, STREAM_PER_HOST);
	/* no keepalive */
	set_ok(&o, "inactivityTimeout", "0");
	ck_assert_uint_eq(o.inactivity_timeout, 0);
	set_bad(&o, "inactivityTimeout", "-1");
	/* forever is not a timeout */
	set_bad(&o, "connectTimeout", "-1");
	set_bad(&o, "connectTimeout", "0");
	set_ok(&o, "limitAction", "drop");
	ck_assert_int_eq(o.limit_action_reset, 0);
	set_ok(&o, "limitAction", "reset");
	ck_assert_int_eq(o.limit_action_reset, 1);
	set_ok(&o, "limitAction", "drop");
	set_ok(&o, "limitAction", "http");
	ck_assert_int_eq(o.limit_action_reset, 1);
	set_bad(&o, "limitAction", "HTTP/1.1 429 Too Many\\r\\n");
	set_bad(&o, "limitAction", "");
	set_bad(&o, "limitAction", "Reset");
}
END_TEST

START_TEST(test_unknown_names)
{
	static const char	*bad[] = { "i2p.streaming.", "maxWindowSize",
	    "i2p.streaming.maxwindowsize", "i2p.streaming.maxWindowSize ",
	    "i2p.streaming.maxTotalConnsPerDay", "i2p.streaming.answerPings",
	    "i2p.streaming.profile", "i2cp.streaming.maxWindowSize",
	    "i2p.streaming.maxWindowSizeX", "" };
	struct stream_opts	 o, before;
	size_t			 i;

	stream_opts_default(&o);
	before = o;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(stream_opts_set(&o, bad[i], "1"), -1);
		ck_assert_ptr_null(stream_opts_range(bad[i]));
	}
	ck_assert_int_eq(stream_opts_set(&o, NULL, "1"), -1);
	ck_assert_ptr_null(stream_opts_range(NULL));
	ck_assert_mem_eq(&before, &o, sizeof(o));
	ck_assert_str_eq(stream_opts_range("i2p.streaming.maxWindowSize"),
	    "1 to 1024 packets");
}
END_TEST

static Suite *
stream_opts_suite(void)
{
	Suite	*s = suite_create("stream_opts");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_defaults);
	tcase_add_loop_test(tc, test_ranges, 0,
	    sizeof(ranges) / sizeof(ranges[0]));
	tcase_add_test(tc, test_special_values);
	tcase_add_test(tc, test_unknown_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(stream_opts_suite());
}
