/*
 * Hostile SSU2 handshakes against a router, for tests/interop/ssu2.sh,
 * each from its own UDP sockets on ADDR (inside a test namespace only):
 *
 *   ssu2_probe RI_FILE ADDR tokens N   Token Requests from N ports:
 *                                      "retries R of N"
 *   ssu2_probe RI_FILE ADDR badtoken   a Session Request with a token
 *                                      never issued: "retry" or "nothing"
 *   ssu2_probe RI_FILE ADDR flood N    N handshakes from N ports, each
 *                                      Token Request, Retry, Session
 *                                      Request, never Confirmed:
 *                                      "created C of N"
 *   ssu2_probe RI_FILE ADDR replay     a Session Request, answered, then
 *                                      the same bytes from another port:
 *                                      "first created, replay created"
 *                                      or "... replay refused"
 *
 * RI_FILE is the target's RouterInfo: its SSU2 host, port, "s", "i".
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "testpeer.h"
#include "../../netd/ssu2.h"

#define WAIT_MS		500

static struct ssu2_remote	 bob;
static struct sockaddr_in	 bob_sa;
static struct ssu2_local	 me;
static uint8_t			 fake_ri[512];

static int
sock_on(const char *addr)
{
	struct sockaddr_in	 sin;
	int			 fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1 ||
	    (fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
send_w(int fd, const struct wbuf *w)
{
	(void)sendto(fd, wbuf_data(w), wbuf_len(w), 0,
	    (struct sockaddr *)&bob_sa, sizeof(bob_sa));
}

/* one datagram within WAIT_MS, or 0 */
static ssize_t
recv_one(int fd, uint8_t *buf, size_t len)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };

	if (poll(&pfd, 1, WAIT_MS) != 1)
		return 0;
	return recv(fd, buf, len, 0);
}

static struct ssu2_hs *
alice_new(void)
{
	struct ssu2_hs	*hs;

	if ((hs = ssu2_hs_new()) == NULL ||
	    ssu2_alice_start(hs, &me, &bob) != SSU2_OK) {
		ssu2_hs_free(hs);
		return NULL;
	}
	return hs;
}

/* Token Request and Retry: 1 if a token came */
static int
get_token(int fd, struct ssu2_hs *hs)
{
	uint8_t		 buf[SSU2_PKT_MAX];
	struct wbuf	 w;
	ssize_t		 n;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (ssu2_alice_token_request(hs, &w) != SSU2_OK)
		return 0;
	send_w(fd, &w);
	if ((n = recv_one(fd, buf, sizeof(buf))) <= 0)
		return 0;
	return ssu2_alice_retry(hs, buf, n) == SSU2_OK;
}

/* Session Request (into w), and whether Created came back */
static int
request(int fd, struct ssu2_hs *hs, uint64_t token, struct wbuf *w)
{
	uint8_t		 buf[SSU2_PKT_MAX], pub[32];
	ssize_t		 n;

	if (ssu2_alice_request(hs, token, w) != SSU2_OK)
		return 0;
	send_w(fd, w);
	if ((n = recv_one(fd, buf, sizeof(buf))) <= 0)
		return 0;
	return ssu2_alice_created(hs, buf, n, pub) == SSU2_NEED_DH;
}

static void
tokens(const char *addr, int n)
{
	struct ssu2_hs	*hs;
	int		 i, fd, got = 0;

	for (i = 0; i < n; i++) {
		if ((fd = sock_on(addr)) == -1 || (hs = alice_new()) == NULL)
			exit(2);
		got += get_token(fd, hs);
		ssu2_hs_free(hs);
		close(fd);
	}
	printf("retries %d of %d\n", got, n);
}

static void
badtoken(const char *addr)
{
	uint8_t		 buf[SSU2_PKT_MAX];
	struct ssu2_hs	*hs;
	struct wbuf	 w;
	ssize_t		 n;
	int		 fd;

	if ((fd = sock_on(addr)) == -1 || (hs = alice_new()) == NULL)
		exit(2);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (ssu2_alice_request(hs, 0x1234567890abcdefULL, &w) != SSU2_OK)
		exit(2);
	send_w(fd, &w);
	n = recv_one(fd, buf, sizeof(buf));
	printf("%s\n", n > 0 && ssu2_alice_retry(hs, buf, n) == SSU2_OK ?
	    "retry" : "nothing");
	ssu2_hs_free(hs);
}

static void
flood(const char *addr, int n)
{
	uint8_t		 buf[SSU2_PKT_MAX];
	struct ssu2_hs	*hs;
	struct wbuf	 w;
	int		 i, fd, created = 0;

	for (i = 0; i < n; i++) {
		if ((fd = sock_on(addr)) == -1 || (hs = alice_new()) == NULL)
			exit(2);
		wbuf_init_fixed(&w, buf, sizeof(buf));
		if (get_token(fd, hs))
			created += request(fd, hs, 0, &w);
		ssu2_hs_free(hs);
		close(fd);
	}
	printf("created %d of %d\n", created, n);
}

static void
replay(const char *addr)
{
	uint8_t		 buf[SSU2_PKT_MAX], in[SSU2_PKT_MAX];
	struct ssu2_hs	*hs;
	struct wbuf	 w;
	ssize_t		 n;
	int		 fd, fd2, first = 0, again = 0;

	if ((fd = sock_on(addr)) == -1 || (fd2 = sock_on(addr)) == -1 ||
	    (hs = alice_new()) == NULL)
		exit(2);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (get_token(fd, hs))
		first = request(fd, hs, 0, &w);
	send_w(fd2, &w);
	/* a Retry is not a Created: only the handshake's keys open one */
	if ((n = recv_one(fd2, in, sizeof(in))) > 0 &&
	    ssu2_alice_created(hs, in, n, (uint8_t[32]){ 0 }) == SSU2_NEED_DH)
		again = 1;
	printf("first %s, replay %s\n", first ? "created" : "not created",
	    again ? "created" : "refused");
	ssu2_hs_free(hs);
}

int
main(int argc, char *argv[])
{
	if (argc < 4 || crypto_init() == -1 || tp_ssu2_remote_load(argv[1], &bob, &bob_sa) == -1) {
		fprintf(stderr, "usage: ssu2_probe RI_FILE ADDR "
		    "tokens N|badtoken|flood N|replay\n");
		return 2;
	}
	crypto_random(me.intro_key, 32);
	crypto_random(me.static_pub, 32);
	me.netid = TP_NETID;
	me.ri = fake_ri;
	me.rilen = sizeof(fake_ri);
	me.mtu = 1500;
	if (strcmp(argv[3], "tokens") == 0 && argc == 5)
		tokens(argv[2], atoi(argv[4]));
	else if (strcmp(argv[3], "badtoken") == 0)
		badtoken(argv[2]);
	else if (strcmp(argv[3], "flood") == 0 && argc == 5)
		flood(argv[2], atoi(argv[4]));
	else if (strcmp(argv[3], "replay") == 0)
		replay(argv[2]);
	else
		return 2;
	return 0;
}
