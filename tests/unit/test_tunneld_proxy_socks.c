/*
 * The SOCKS negotiation (tunneld/proxy_socks.c): SOCKS 5 with and
 * without RFC 1929 authentication, every address type, SOCKS 4 and 4a;
 * the replies byte for byte; input split at every byte; pipelined
 * bytes left to the stream; and the malformed: bad versions, zero
 * lengths, unknown address types and commands, over-long messages.
 */
#include <check.h>
#include <string.h>

#include "../../tunneld/proxy_socks.h"
#include "unit.h"

static struct socks	 S;
static uint8_t		 outb[64];
static struct wbuf	 W;
static size_t		 used;

static const struct socks_auth	 auth = { "alice", "s3cret" };

static void
start(const struct socks_auth *a)
{
	socks_init(&S, a);
	wbuf_init_fixed(&W, outb, sizeof(outb));
}

static enum socks_res
feed(const void *p, size_t n)
{
	return socks_input(&S, p, n, &W, &used);
}

#define FEED(lit)	feed(lit, sizeof(lit) - 1)

static void
out_is(const void *want, size_t n)
{
	ck_assert_uint_eq(wbuf_len(&W), n);
	ck_assert_mem_eq(wbuf_data(&W), want, n);
}

#define OUT_IS(lit)	out_is(lit, sizeof(lit) - 1)

static const uint8_t	 ok5[] = "\x05\x00\x00\x01\0\0\0\0\0\0";

START_TEST(v5_name_noauth)
{
	const struct socks_target	*t;

	start(NULL);
	ck_assert_int_eq(FEED("\x05\x01\x00"), SOCKS_MORE);
	OUT_IS("\x05\x00");
	ck_assert_uint_eq(used, 3);
	ck_assert_ptr_null(socks_target(&S));
	ck_assert_int_eq(FEED("\x05\x01\x00\x03\x09Stats.I2P\x00\x50"),
	    SOCKS_DONE);
	ck_assert_uint_eq(used, 4 + 1 + 9 + 2);
	ck_assert_ptr_nonnull(t = socks_target(&S));
	ck_assert_int_eq(t->version, 5);
	ck_assert_int_eq(t->atyp, SOCKS_ATYP_NAME);
	ck_assert_str_eq(t->host, "stats.i2p");
	ck_assert_uint_eq(t->port, 80);
	ck_assert_int_eq(t->i2p, 1);
	OUT_IS("\x05\x00");
	ck_assert_int_eq(socks_reply(&S, SOCKS_OK, &W), 0);
	out_is("\x05\x00\x05\x00\x00\x01\0\0\0\0\0\0", 12);
	/* nothing more is taken once the request is known */
	ck_assert_int_eq(FEED("x"), SOCKS_CLOSE);
	ck_assert_int_eq(S.err, SOCKS_E_STATE);
}
END_TEST

START_TEST(v5_addresses)
{
	const struct socks_target	*t;

	start(NULL);
	ck_assert_int_eq(FEED("\x05\x02\x02\x00" "\x05\x01\x00\x01"
	    "\x0a\x00\x00\x01\x1f\x90"), SOCKS_DONE);
	t = socks_target(&S);
	ck_assert_str_eq(t->host, "10.0.0.1");
	ck_assert_uint_eq(t->port, 8080);
	ck_assert_int_eq(t->atyp, SOCKS_ATYP_IPV4);
	ck_assert_int_eq(t->i2p, 0);
	start(NULL);
	ck_assert_int_eq(FEED("\x05\x01\x00" "\x05\x01\x00\x04"
	    "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01\x01\xbb"), SOCKS_DONE);
	t = socks_target(&S);
	ck_assert_str_eq(t->host, "2001:db8::1");
	ck_assert_uint_eq(t->port, 443);
	ck_assert_int_eq(t->atyp, SOCKS_ATYP_IPV6);
	ck_assert_int_eq(t->i2p, 0);
	/* a clearnet name is not I2P: the engine's outproxy or 0x02 */
	start(NULL);
	ck_assert_int_eq(FEED("\x05\x01\x00" "\x05\x01\x00\x03\x0b"
	    "example.com\x00\x50"), SOCKS_DONE);
	ck_assert_int_eq(socks_target(&S)->i2p, 0);
	ck_assert_int_eq(socks_reply(&S, SOCKS_NOT_ALLOWED, &W), 0);
	out_is("\x05\x00\x05\x02\x00\x01\0\0\0\0\0\0", 12);
}
END_TEST

START_TEST(i2p_rule)
{
	ck_assert_int_eq(socks_is_i2p("a.i2p"), 1);
	ck_assert_int_eq(socks_is_i2p("XYZ.B32.I2P"), 1);
	ck_assert_int_eq(socks_is_i2p(".i2p"), 0);
	ck_assert_int_eq(socks_is_i2p("i2p"), 0);
	ck_assert_int_eq(socks_is_i2p("a.i2p.com"), 0);
	ck_assert_int_eq(socks_is_i2p("ai2p"), 0);
	ck_assert_int_eq(socks_is_i2p(""), 0);
}
END_TEST

/* every reply code the engine may give, both versions */
START_TEST(replies)
{
	static const enum socks_status	 codes[] = { SOCKS_FAILURE,
	    SOCKS_NOT_ALLOWED, SOCKS_HOST_UNREACH, SOCKS_REFUSED,
	    SOCKS_TTL_EXPIRED };
	uint8_t				 want[10];
	size_t				 i;

	start(NULL);
	ck_assert_int_eq(socks_reply(&S, SOCKS_OK, &W), -1);
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		start(NULL);
		ck_assert_int_eq(FEED("\x05\x01\x00\x05\x01\x00\x03\x05"
		    "a.i2p\x00\x01"), SOCKS_DONE);
		wbuf_init_fixed(&W, outb, sizeof(outb));
		ck_assert_int_eq(socks_reply(&S, codes[i], &W), 0);
		memcpy(want, ok5, 10);
		want[1] = codes[i];
		out_is(want, 10);
		start(NULL);
		ck_assert_int_eq(FEED("\x04\x01\x00\x50\x00\x00\x00\x01\x00"
		    "a.i2p\x00"), SOCKS_DONE);
		wbuf_init_fixed(&W, outb, sizeof(outb));
		ck_assert_int_eq(socks_reply(&S, codes[i], &W), 0);
		OUT_IS("\x00\x5b\0\0\0\0\0\0");
	}
	wbuf_init_fixed(&W, outb, sizeof(outb));
	ck_assert_int_eq(socks_reply(&S, SOCKS_OK, &W), 0);
	OUT_IS("\x00\x5a\0\0\0\0\0\0");
	/* a full output buffer is an error, not a short reply */
	wbuf_init_fixed(&W, outb, 5);
	ck_assert_int_eq(socks_reply(&S, SOCKS_OK, &W), -1);
}
END_TEST

START_TEST(v5_auth)
{
	start(&auth);
	/* no-auth alone is not acceptable when a password is configured */
	ck_assert_int_eq(FEED("\x05\x01\x00"), SOCKS_CLOSE);
	OUT_IS("\x05\xff");
	ck_assert_int_eq(S.err, SOCKS_E_METHOD);
	start(&auth);
	ck_assert_int_eq(FEED("\x05\x02\x00\x02"), SOCKS_MORE);
	OUT_IS("\x05\x02");
	ck_assert_int_eq(FEED("\x01\x05" "alice" "\x06" "s3cret"), SOCKS_MORE);
	OUT_IS("\x05\x02\x01\x00");
	ck_assert_int_eq(FEED("\x05\x01\x00\x03\x05" "a.i2p\x00\x16"),
	    SOCKS_DONE);
	ck_assert_uint_eq(socks_target(&S)->port, 22);
	/* the password is gone from the state */
	ck_assert_ptr_null(memmem(&S, sizeof(S), "s3cret", 6));
}
END_TEST

START_TEST(v5_auth_wrong)
{
	static const char	*bad[] = {
		"\x01\x05" "alice" "\x06" "s3creT",
		"\x01\x05" "alicE" "\x06" "s3cret",
		"\x01\x04" "alic" "\x06" "s3cret",
		"\x01\x05" "alice" "\x07" "s3cret!",
		"\x01\x05" "alice" "\x05" "s3cre",
		"\x01\x05" "alice" "\x00",
	};
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		start(&auth);
		ck_assert_int_eq(FEED("\x05\x01\x02"), SOCKS_MORE);
		ck_assert_int_eq(feed(bad[i], 2 + (uint8_t)bad[i][1] + 1 +
		    (uint8_t)bad[i][2 + (uint8_t)bad[i][1]]), SOCKS_CLOSE);
		OUT_IS("\x05\x02\x01\x01");
		ck_assert_int_eq(S.err, SOCKS_E_AUTH);
	}
	/* a zero-length user name against an empty configured one */
	{
		static const struct socks_auth	 empty = { "", "" };

		start(&empty);
		ck_assert_int_eq(FEED("\x05\x01\x02\x01\x00\x00"), SOCKS_CLOSE);
		OUT_IS("\x05\x02\x01\x01");
	}
	/* sub-negotiation version 5 instead of 1 */
	start(&auth);
	ck_assert_int_eq(FEED("\x05\x01\x02" "\x05\x05" "alice" "\x06"
	    "s3cret"), SOCKS_CLOSE);
	OUT_IS("\x05\x02\x01\x01");
	ck_assert_int_eq(S.err, SOCKS_E_VERSION);
}
END_TEST

START_TEST(v4)
{
	const struct socks_target	*t;

	start(NULL);
	ck_assert_int_eq(FEED("\x04\x01\x1a\x0b\x7f\x00\x00\x01" "bob\x00"),
	    SOCKS_DONE);
	ck_assert_uint_eq(used, 12);
	t = socks_target(&S);
	ck_assert_int_eq(t->version, 4);
	ck_assert_str_eq(t->host, "127.0.0.1");
	ck_assert_str_eq(t->userid, "bob");
	ck_assert_uint_eq(t->port, 6667);
	ck_assert_int_eq(t->i2p, 0);
	ck_assert_uint_eq(wbuf_len(&W), 0);
	/* 4a: 0.0.0.x then the host name after the (empty) user id */
	start(NULL);
	ck_assert_int_eq(FEED("\x04\x01\x00\x50\x00\x00\x00\x07\x00"
	    "IRC.Postman.I2P\x00"), SOCKS_DONE);
	t = socks_target(&S);
	ck_assert_str_eq(t->host, "irc.postman.i2p");
	ck_assert_str_eq(t->userid, "");
	ck_assert_int_eq(t->i2p, 1);
	/* 0.0.0.0 is a plain SOCKS 4 address, not 4a */
	start(NULL);
	ck_assert_int_eq(FEED("\x04\x01\x00\x50\0\0\0\0\x00"), SOCKS_DONE);
	ck_assert_str_eq(socks_target(&S)->host, "0.0.0.0");
}
END_TEST

START_TEST(v4_refused)
{
	/* BIND */
	start(NULL);
	ck_assert_int_eq(FEED("\x04\x02\x00\x50\x7f\0\0\x01\x00"),
	    SOCKS_CLOSE);
	OUT_IS("\x00\x5b\0\0\0\0\0\0");
	ck_assert_int_eq(S.err, SOCKS_E_COMMAND);
	/* no password in SOCKS 4: refused when one is configured */
	start(&auth);
	ck_assert_int_eq(FEED("\x04\x01\x00\x50\x7f\0\0\x01" "alice\x00"),
	    SOCKS_CLOSE);
	OUT_IS("\x00\x5b\0\0\0\0\0\0");
	ck_assert_int_eq(S.err, SOCKS_E_AUTH);
	/* 4a with an empty host name */
	start(NULL);
	ck_assert_int_eq(FEED("\x04\x01\x00\x50\0\0\0\x01\x00\x00"),
	    SOCKS_CLOSE);
	OUT_IS("\x00\x5b\0\0\0\0\0\0");
	ck_assert_int_eq(S.err, SOCKS_E_MALFORMED);
	/* 4a with a control byte in the host name */
	start(NULL);
	ck_assert_int_eq(FEED("\x04\x01\x00\x50\0\0\0\x01\x00" "a\nb.i2p\x00"),
	    SOCKS_CLOSE);
	ck_assert_int_eq(S.err, SOCKS_E_MALFORMED);
}
END_TEST

START_TEST(v4_toolong)
{
	uint8_t	 big[SOCKS_MSG_MAX + 40];
	size_t	 i;

	/* a user id over 255 bytes */
	memset(big, 'u', sizeof(big));
	memcpy(big, "\x04\x01\x00\x50\x7f\0\0\x01", 8);
	start(NULL);
	ck_assert_int_eq(feed(big, 8 + 300), SOCKS_CLOSE);
	OUT_IS("\x00\x5b\0\0\0\0\0\0");
	ck_assert_int_eq(S.err, SOCKS_E_TOOLONG);
	/* a 4a host name over 255 bytes */
	memcpy(big, "\x04\x01\x00\x50\0\0\0\x01\x00", 9);
	start(NULL);
	ck_assert_int_eq(feed(big, 9 + 300), SOCKS_CLOSE);
	ck_assert_int_eq(S.err, SOCKS_E_TOOLONG);
	/* the longest legal 4a request, fed a byte at a time */
	memset(big, 'a', sizeof(big));
	memcpy(big, "\x04\x01\x00\x50\0\0\0\x01", 8);
	big[8 + 255] = '\0';
	memcpy(big + 8 + 256 + 251, ".i2p", 4);
	big[8 + 256 + 255] = '\0';
	start(NULL);
	for (i = 0; i < 8 + 256 + 255; i++)
		ck_assert_int_eq(feed(big + i, 1), SOCKS_MORE);
	ck_assert_int_eq(feed(big + 8 + 256 + 255, 1), SOCKS_DONE);
	ck_assert_int_eq(socks_target(&S)->i2p, 1);
	ck_assert_uint_eq(strlen(socks_target(&S)->host), 255);
}
END_TEST

START_TEST(v5_malformed)
{
	/* neither 4 nor 5: nothing to answer */
	start(NULL);
	ck_assert_int_eq(FEED("\x06\x01\x00"), SOCKS_CLOSE);
	ck_assert_uint_eq(wbuf_len(&W), 0);
	ck_assert_int_eq(S.err, SOCKS_E_VERSION);
	start(NULL);
	ck_assert_int_eq(FEED("GET / HTTP/1.1\r\n"), SOCKS_CLOSE);
	/* zero methods */
	start(NULL);
	ck_assert_int_eq(FEED("\x05\x00"), SOCKS_CLOSE);
	OUT_IS("\x05\xff");
	ck_assert_int_eq(S.err, SOCKS_E_MALFORMED);
	/* only GSSAPI */
	start(NULL);
	ck_assert_int_eq(FEED("\x05\x01\x01"), SOCKS_CLOSE);
	OUT_IS("\x05\xff");
	/* request with version 4 after a SOCKS 5 greeting */
	start(NULL);
	ck_assert_int_eq(FEED("\x05\x01\x00\x04\x01\x00\x01\x7f\0\0\x01\0\x50"),
	    SOCKS_CLOSE);
	out_is("\x05\x00\x05\x01\x00\x01\0\0\0\0\0\0", 12);
	ck_assert_int_eq(S.err, SOCKS_E_VERSION);
	/* an odd address type */
	start(NULL);
	ck_assert_int_eq(FEED("\x05\x01\x00\x05\x01\x00\x02\x7f\0\0\x01\0\x50"),
	    SOCKS_CLOSE);
	out_is("\x05\x00\x05\x08\x00\x01\0\0\0\0\0\0", 12);
	ck_assert_int_eq(S.err, SOCKS_E_ATYP);
	/* an empty host name */
	start(NULL);
	ck_assert_int_eq(FEED("\x05\x01\x00\x05\x01\x00\x03\x00\0\x50"),
	    SOCKS_CLOSE);
	out_is("\x05\x00\x05\x01\x00\x01\0\0\0\0\0\0", 12);
	ck_assert_int_eq(S.err, SOCKS_E_MALFORMED);
	/* a NUL inside the host name */
	start(NULL);
	ck_assert_int_eq(FEED("\x05\x01\x00\x05\x01\x00\x03\x05" "a\0.i2"
	    "\0\x50"), SOCKS_CLOSE);
	ck_assert_int_eq(S.err, SOCKS_E_MALFORMED);
	/* reserved byte set */
	start(NULL);
	ck_assert_int_eq(FEED("\x05\x01\x00\x05\x01\x01\x01\x7f\0\0\x01\0\x50"),
	    SOCKS_CLOSE);
	ck_assert_int_eq(S.err, SOCKS_E_MALFORMED);
}
END_TEST

START_TEST(v5_commands)
{
	static const uint8_t	 cmds[] = { 0x02, 0x03, 0x00, 0x04, 0xff };
	uint8_t			 req[] = "\x05\x01\x00\x05\x01\x00\x01\x7f\0\0"
				     "\x01\0\x50";
	size_t			 i;

	for (i = 0; i < sizeof(cmds); i++) {
		start(NULL);
		req[4] = cmds[i];
		ck_assert_int_eq(feed(req, sizeof(req) - 1), SOCKS_CLOSE);
		out_is("\x05\x00\x05\x07\x00\x01\0\0\0\0\0\0", 12);
		ck_assert_int_eq(S.err, SOCKS_E_COMMAND);
	}
}
END_TEST

/* the same negotiation cut at every byte gives the same result */
START_TEST(split_everywhere)
{
	static const uint8_t	 all[] = "\x05\x02\x00\x02" "\x01\x05"
				     "alice\x06s3cret" "\x05\x01\x00\x03\x05"
				     "b.i2p\x01\xbb" "GET /";
	const size_t		 n = sizeof(all) - 1, req = n - 5;
	size_t			 cut, got;
	enum socks_res		 rv;

	for (cut = 0; cut <= req; cut++) {
		start(&auth);
		ck_assert_int_eq(feed(all, cut), cut == req ? SOCKS_DONE :
		    SOCKS_MORE);
		got = used;
		if (cut < req) {
			rv = feed(all + cut, n - cut);
			ck_assert_int_eq(rv, SOCKS_DONE);
			got += used;
		}
		/* exactly the negotiation taken; "GET /" left to the stream */
		ck_assert_uint_eq(got, req);
		ck_assert_str_eq(socks_target(&S)->host, "b.i2p");
		ck_assert_uint_eq(socks_target(&S)->port, 443);
		OUT_IS("\x05\x02\x01\x00");
	}
}
END_TEST

START_TEST(pipelined)
{
	uint8_t	 big[2000];

	/* stream bytes after the request, more than the buffer holds */
	memset(big, 'z', sizeof(big));
	memcpy(big, "\x04\x01\x00\x50\0\0\0\x09\x00" "x.i2p\x00", 15);
	start(NULL);
	ck_assert_int_eq(feed(big, sizeof(big)), SOCKS_DONE);
	ck_assert_uint_eq(used, 15);
	/* SOCKS 5 in one write, data behind it */
	start(NULL);
	ck_assert_int_eq(FEED("\x05\x01\x00\x05\x01\x00\x03\x05" "c.i2p"
	    "\x00\x50" "hello"), SOCKS_DONE);
	ck_assert_uint_eq(used, 3 + 4 + 1 + 5 + 2);
	/* too little room for the replies: closed before anything */
	socks_init(&S, NULL);
	wbuf_init_fixed(&W, outb, SOCKS_OUT_MIN - 1);
	ck_assert_int_eq(FEED("\x05\x01\x00"), SOCKS_CLOSE);
	ck_assert_uint_eq(wbuf_len(&W), 0);
	/* truncated greeting and request wait, they do not fail */
	start(NULL);
	ck_assert_int_eq(FEED("\x05"), SOCKS_MORE);
	ck_assert_int_eq(FEED("\x02\x00"), SOCKS_MORE);
	ck_assert_uint_eq(wbuf_len(&W), 0);
	ck_assert_int_eq(FEED("\x01"), SOCKS_MORE);
	ck_assert_int_eq(FEED("\x05\x01\x00\x04\x20\x01"), SOCKS_MORE);
	ck_assert_int_eq(FEED(""), SOCKS_MORE);
	ck_assert_ptr_null(socks_target(&S));
	socks_clear(&S);
}
END_TEST

START_TEST(error_names)
{
	int	e;

	for (e = SOCKS_E_NONE; e <= SOCKS_E_STATE; e++)
		ck_assert_str_ne(socks_strerror(e), "unknown error");
	ck_assert_str_eq(socks_strerror(SOCKS_E_STATE + 1), "unknown error");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("proxy_socks");
	TCase	*tc = tcase_create("socks");

	tcase_add_test(tc, v5_name_noauth);
	tcase_add_test(tc, v5_addresses);
	tcase_add_test(tc, i2p_rule);
	tcase_add_test(tc, replies);
	tcase_add_test(tc, v5_auth);
	tcase_add_test(tc, v5_auth_wrong);
	tcase_add_test(tc, v4);
	tcase_add_test(tc, v4_refused);
	tcase_add_test(tc, v4_toolong);
	tcase_add_test(tc, v5_malformed);
	tcase_add_test(tc, v5_commands);
	tcase_add_test(tc, split_everywhere);
	tcase_add_test(tc, pipelined);
	tcase_add_test(tc, error_names);
	suite_add_tcase(s, tc);
	return unit_run_crypto(s);
}
