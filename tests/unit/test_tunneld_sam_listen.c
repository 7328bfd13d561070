/*
 * The SAM bridge's socket glue (tunneld/sam_listen.c) with streams:
 * real client sockets on loopback and libevent's loop, a fake backend
 * behind.  A stream's bytes both ways, a large transfer to a client
 * with a small receive buffer (the bridge pulls only as its socket
 * drains, and every byte arrives in order), EOF each way (shutdown of
 * the write side, then close), and FORWARD: a socket connected out to
 * a listener in the test, with the peer's line first, a target that
 * refuses, and SSL=true to a TLS server in the test (a certificate
 * made at run time).
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <event.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "encoding.h"
#include "i2pdata.h"
#include "i2prd.h"
#include "../../tunneld/sam.h"
#include "samtest.h"
#include "unit.h"

#define BIG	(8 * 1024 * 1024)

static uint32_t		 open_sid, conn_id;
static int		 nconnects, nshut;
static char		 wr[4096];
static size_t		 wrlen;
static uint8_t		*rx;
static size_t		 rxlen, rxoff;
static int		 rx_eof;

static int
fake_open(void *arg, const struct sam_open_req *r)
{
	open_sid = r->sid;
	return 0;
}

static void
fake_close(void *arg, uint32_t sid)
{
}

static int
fake_connect(void *arg, uint32_t sid, uint32_t id, const uint8_t *d,
    size_t len, uint16_t from, uint16_t to)
{
	conn_id = id;
	nconnects++;
	return 0;
}

static void
fake_listen(void *arg, uint32_t sid, int on)
{
}

static ssize_t
fake_write(void *arg, uint32_t id, const void *p, size_t len)
{
	if (len > sizeof(wr) - wrlen)
		len = sizeof(wr) - wrlen;
	memcpy(wr + wrlen, p, len);
	wrlen += len;
	return len;
}

static ssize_t
fake_read(void *arg, uint32_t id, void *p, size_t len)
{
	if (rxoff == rxlen)
		return rx_eof ? -1 : 0;
	if (len > rxlen - rxoff)
		len = rxlen - rxoff;
	memcpy(p, rx + rxoff, len);
	rxoff += len;
	return len;
}

static void
fake_shutdown(void *arg, uint32_t id)
{
	nshut++;
}

static void
fake_id(void *arg, uint32_t id)
{
}

static const struct sam_backend fake = {
	.open = fake_open, .close = fake_close,
	.stream_connect = fake_connect, .stream_listen = fake_listen,
	.stream_write = fake_write, .stream_read = fake_read,
	.stream_shutdown = fake_shutdown, .stream_close = fake_id,
};

static uint8_t	 peer[I2P_IDENT_LEN], priv[I2P_IDENT_LEN + 256 + 32];
static char	 peer_b64[B64_ENCLEN(sizeof(peer))];
static struct sam_conf sc;

/* a loopback port free a moment ago */
static uint16_t
free_port(int type)
{
	uint16_t	 port;

	close(sam_test_bound(type, &port));
	return port;
}

static void
setup(void)
{
	struct i2p_ident	 id;
	uint8_t			 pub[32];

	memset(pub, 2, sizeof(pub));
	ck_assert_int_eq(ident_build(&id, IDENT_DEST, NULL, pub, NULL), 0);
	memcpy(peer, id.raw, sizeof(peer));
	memcpy(priv, peer, sizeof(peer));
	ck_assert_int_ge(b64_encode(peer_b64, sizeof(peer_b64), peer,
	    sizeof(peer)), 0);
	ck_assert_ptr_nonnull(rx = malloc(BIG));
	event_init();
	memset(&sc, 0, sizeof(sc));
	sc.family = 4;
	sc.addr[0] = 127;
	sc.addr[3] = 1;
	sc.port = free_port(SOCK_STREAM);
	sc.udp_port = free_port(SOCK_DGRAM);
	sam_listen_reconf(&sc, &fake);
}

static void
teardown(void)
{
	struct sam_conf	 off;

	memset(&off, 0, sizeof(off));
	sam_listen_reconf(&off, &fake);
	free(rx);
}

/* the event loop, until nothing is left to do for a while */
static void
pump(void)
{
	int	 i;

	for (i = 0; i < 20; i++) {
		event_loop(EVLOOP_NONBLOCK);
		usleep(1000);
	}
}

static int
client(uint16_t port, int rcvbuf)
{
	struct sockaddr_in	 sin;
	int			 fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	ck_assert_int_ge(fd = socket(AF_INET, SOCK_STREAM, 0), 0);
	if (rcvbuf != 0)
		ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF,
		    &rcvbuf, sizeof(rcvbuf)), 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	return fd;
}

static void
say(int fd, const char *s)
{
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	pump();
}

/* up to want bytes, or fewer if none come for a while; 0 at EOF */
static size_t
hear(int fd, char *buf, size_t want)
{
	struct pollfd	 p = { fd, POLLIN, 0 };
	size_t		 got = 0;
	ssize_t		 n;

	while (got < want) {
		if (poll(&p, 1, 0) != 1)
			pump();
		if (poll(&p, 1, 200) != 1)
			break;
		if ((n = read(fd, buf + got, want - got)) <= 0)
			break;
		got += n;
	}
	return got;
}

/* one line, without its newline */
static const char *
line(int fd)
{
	static char	 buf[2048];
	size_t		 n = 0;

	while (n < sizeof(buf) - 1 && hear(fd, buf + n, 1) == 1 &&
	    buf[n] != '\n')
		n++;
	buf[n] = '\0';
	return buf;
}

static int
session(void)
{
	int	 fd = client(sc.port, 0);

	say(fd, "HELLO VERSION\nSESSION CREATE STYLE=STREAM ID=g "
	    "DESTINATION=TRANSIENT\n");
	sam_backend_opened(open_sid, peer, sizeof(peer), priv, sizeof(priv));
	pump();
	ck_assert_str_eq(line(fd), "HELLO REPLY RESULT=OK VERSION=3.3");
	ck_assert_ptr_nonnull(strstr(line(fd), "SESSION STATUS RESULT=OK"));
	return fd;
}

static int
stream(int rcvbuf)
{
	char	 cmd[1024];
	int	 fd = client(sc.port, rcvbuf);

	snprintf(cmd, sizeof(cmd), "HELLO VERSION\nSTREAM CONNECT ID=g "
	    "DESTINATION=%s\n", peer_b64);
	say(fd, cmd);
	ck_assert_int_eq(nconnects, 1);
	sam_backend_stream_connected(conn_id, "OK", NULL);
	pump();
	ck_assert_str_eq(line(fd), "HELLO REPLY RESULT=OK VERSION=3.3");
	ck_assert_str_eq(line(fd), "STREAM STATUS RESULT=OK");
	return fd;
}

static size_t
nconns(void)
{
	const struct sam_conn	*c;
	size_t			 n = 0;

	TAILQ_FOREACH(c, sam_conns(), entry)
		n++;
	return n;
}

START_TEST(stream_bytes_and_eof)
{
	char	 buf[64];
	int	 ctl, fd;

	ctl = session();
	fd = stream(0);
	say(fd, "ping");
	ck_assert_uint_eq(wrlen, 4);
	ck_assert_int_eq(memcmp(wr, "ping", 4), 0);
	memcpy(rx, "pong", 4);
	rxlen = 4;
	sam_backend_stream_readable(conn_id);
	ck_assert_uint_eq(hear(fd, buf, 4), 4);
	ck_assert_int_eq(memcmp(buf, "pong", 4), 0);
	/* the client's EOF goes on; the stream's shuts the socket */
	ck_assert_int_eq(shutdown(fd, SHUT_WR), 0);
	pump();
	ck_assert_int_eq(nshut, 1);
	ck_assert_uint_eq(nconns(), 2);
	rx_eof = 1;
	sam_backend_stream_readable(conn_id);
	ck_assert_uint_eq(hear(fd, buf, sizeof(buf)), 0);
	/* both ends done: the bridge's socket is gone */
	pump();
	ck_assert_uint_eq(nconns(), 1);
	close(fd);
	close(ctl);
}
END_TEST

START_TEST(stream_big_slow_reader)
{
	static char	 got[BIG];
	size_t		 n = 0;
	int		 ctl, fd, i;

	ctl = session();
	fd = stream(16 * 1024);
	unit_fill(rx, BIG, 5);
	rxlen = BIG;
	sam_backend_stream_readable(conn_id);
	/* the client reads nothing: the bridge pulls only what fits */
	for (i = 0; i < 5; i++)
		pump();
	ck_assert_uint_lt(rxoff, BIG);
	ck_assert_uint_ge(rxoff, SAM_STREAM_OUTQ);
	while (n < BIG && hear(fd, got + n, 1) == 1)
		n += hear(fd, got + n + 1, BIG - n - 1) + 1;
	ck_assert_uint_eq(n, BIG);
	ck_assert_int_eq(memcmp(got, rx, BIG), 0);
	close(fd);
	close(ctl);
}
END_TEST

/*
 * A FORWARD of session g to a listener (its socket in *lfd), asked on
 * its own socket (*f) with the options given; then a stream comes and
 * the target's end of it is accepted (returned).
 */
static int
forwarded(const char *opts, int *f, int *lfd, uint32_t *id)
{
	char		 cmd[256];
	uint16_t	 port;
	int		 afd;

	*lfd = sam_test_listener(&port);
	*f = client(sc.port, 0);
	snprintf(cmd, sizeof(cmd), "HELLO VERSION\nSTREAM FORWARD ID=g "
	    "PORT=%u%s\n", port, opts);
	say(*f, cmd);
	ck_assert_str_eq(line(*f), "HELLO REPLY RESULT=OK VERSION=3.3");
	ck_assert_str_eq(line(*f), "STREAM STATUS RESULT=OK");
	ck_assert_uint_ne(*id = sam_backend_stream_incoming(open_sid, peer,
	    sizeof(peer), 5, 6), 0);
	pump();
	ck_assert_int_ge(afd = accept(*lfd, NULL, NULL), 0);
	return afd;
}

START_TEST(forward)
{
	char		 want[1024], buf[1024];
	uint32_t	 id;
	int		 ctl, f, lfd, afd;

	ctl = session();
	afd = forwarded("", &f, &lfd, &id);
	memcpy(rx, "hi", 2);
	rxlen = 2;
	sam_backend_stream_readable(id);
	snprintf(want, sizeof(want), "%s FROM_PORT=5 TO_PORT=6\nhi", peer_b64);
	ck_assert_uint_eq(hear(afd, buf, strlen(want)), strlen(want));
	ck_assert_int_eq(memcmp(buf, want, strlen(want)), 0);
	ck_assert_int_eq(write(afd, "yo", 2), 2);
	pump();
	ck_assert_int_eq(memcmp(wr, "yo", 2), 0);
	/* the target closes: its EOF goes on as a shutdown */
	close(afd);
	pump();
	ck_assert_int_eq(nshut, 1);
	/* a target that refuses (at once or later): no socket, counted */
	close(lfd);
	(void)sam_backend_stream_incoming(open_sid, peer, sizeof(peer), 5, 6);
	pump();
	ck_assert_uint_eq(sam_stats()->fwd_failed, 1);
	ck_assert_uint_eq(nconns(), 3);	/* ctl, f, the first stream */
	close(f);
	close(ctl);
}
END_TEST

/* a TLS server's context with a fresh self-signed certificate */
static SSL_CTX *
tls_server(void)
{
	EVP_PKEY	*pk;
	X509		*x;
	X509_NAME	*name;
	SSL_CTX		*sctx;

	ck_assert_ptr_nonnull(pk = EVP_EC_gen("P-256"));
	ck_assert_ptr_nonnull(x = X509_new());
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, pk);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"target", -1, -1, 0);
	X509_set_issuer_name(x, name);
	ck_assert_int_gt(X509_sign(x, pk, EVP_sha256()), 0);
	ck_assert_ptr_nonnull(sctx = SSL_CTX_new(TLS_server_method()));
	ck_assert_int_eq(SSL_CTX_use_certificate(sctx, x), 1);
	ck_assert_int_eq(SSL_CTX_use_PrivateKey(sctx, pk), 1);
	X509_free(x);
	EVP_PKEY_free(pk);
	return sctx;
}

/* the server's side of the handshake, the bridge's loop turning */
static SSL *
tls_accept(SSL_CTX *sctx, int fd)
{
	SSL	*ssl;
	int	 i, rv = 0;

	ck_assert_ptr_nonnull(ssl = SSL_new(sctx));
	SSL_set_fd(ssl, fd);
	for (i = 0; i < 100 && (rv = SSL_accept(ssl)) != 1; i++) {
		ck_assert_int_eq(SSL_get_error(ssl, rv), SSL_ERROR_WANT_READ);
		pump();
	}
	ck_assert_int_eq(rv, 1);
	return ssl;
}

static size_t
tls_hear(SSL *ssl, char *buf, size_t want)
{
	size_t	 got = 0;
	int	 i, n;

	for (i = 0; i < 100 && got < want; i++) {
		if ((n = SSL_read(ssl, buf + got, want - got)) > 0)
			got += n;
		else
			pump();
	}
	return got;
}

START_TEST(forward_tls)
{
	SSL_CTX		*sctx = tls_server();
	SSL		*ssl;
	char		 want[1024], buf[1024];
	uint32_t	 id;
	int		 ctl, f, lfd, afd;

	ctl = session();
	afd = forwarded(" HOST=127.0.0.1 SSL=true", &f, &lfd, &id);
	ck_assert_int_eq(fcntl(afd, F_SETFL, O_NONBLOCK), 0);
	ssl = tls_accept(sctx, afd);
	memcpy(rx, "secret", 6);
	rxlen = 6;
	sam_backend_stream_readable(id);
	snprintf(want, sizeof(want), "%s FROM_PORT=5 TO_PORT=6\nsecret",
	    peer_b64);
	ck_assert_uint_eq(tls_hear(ssl, buf, strlen(want)), strlen(want));
	ck_assert_int_eq(memcmp(buf, want, strlen(want)), 0);
	ck_assert_int_eq(SSL_write(ssl, "reply", 5), 5);
	pump();
	ck_assert_uint_eq(wrlen, 5);
	ck_assert_int_eq(memcmp(wr, "reply", 5), 0);
	/* the peer's end: close_notify, then the socket's FIN */
	rx_eof = 1;
	sam_backend_stream_readable(id);
	ck_assert_uint_eq(tls_hear(ssl, buf, 1), 0);
	ck_assert_int_eq(SSL_get_error(ssl, SSL_read(ssl, buf, 1)),
	    SSL_ERROR_ZERO_RETURN);
	/* a target that speaks no TLS: the handshake fails, counted */
	close(afd);
	ck_assert_uint_ne(sam_backend_stream_incoming(open_sid, peer,
	    sizeof(peer), 5, 6), 0);
	pump();
	ck_assert_int_ge(afd = accept(lfd, NULL, NULL), 0);
	ck_assert_int_eq(write(afd, "HTTP/1.0 400 no\r\n\r\n", 19), 19);
	pump();
	ck_assert_uint_eq(sam_stats()->fwd_failed, 1);
	SSL_free(ssl);
	SSL_CTX_free(sctx);
	close(afd);
	close(lfd);
	close(f);
	close(ctl);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("tunneld_sam_listen");
	TCase	*tc = tcase_create("glue");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, stream_bytes_and_eof);
	tcase_add_test(tc, stream_big_slow_reader);
	tcase_add_test(tc, forward);
	tcase_add_test(tc, forward_tls);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
