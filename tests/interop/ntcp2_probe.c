/*
 * Sends one NTCP2 message 1 to a router and reports how the router
 * answered, for the interop tests of message-1 handling:
 *
 *   ntcp2_probe RI_FILE ADDR PORT netid|stale|random|good
 *
 * RI_FILE is the target's RouterInfo (for its hash, "s" and "i").
 * "netid" sends netId 42, "stale" a timestamp an hour old, "random" 64
 * random bytes, "good" a correct message 1.  Prints "closed after N ms"
 * when the router closed the connection (or "reply N bytes" when it
 * answered, as it should only to "good"), within 30 s.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "testpeer.h"

/* message 1 as the mode asks: a real one, or one made wrong */
static int
make_msg1(const char *mode, const struct ntcp2_remote *rem, struct wbuf *w)
{
	struct ntcp2_local	 me;
	struct ntcp2_hs		*hs;
	int			 rv;

	static const uint8_t	 fake_ri[512];

	memset(&me, 0, sizeof(me));
	/* message 1 announces message 3's length: a RouterInfo's size */
	me.ri = fake_ri;
	me.rilen = sizeof(fake_ri);
	if (strcmp(mode, "random") == 0) {
		uint8_t	junk[NTCP2_MSG1_LEN];

		crypto_random(junk, sizeof(junk));
		return wbuf_put_bytes(w, junk, sizeof(junk));
	}
	x25519_keygen((uint8_t[32]){ 0 }, me.static_pub);
	crypto_random(me.hash, sizeof(me.hash));
	me.netid = strcmp(mode, "netid") == 0 ? 42 : 99;
	if ((hs = ntcp2_hs_new()) == NULL)
		return -1;
	if (strcmp(mode, "stale") == 0)
		ntcp2_hs_set_time(hs, time(NULL) - 3600);
	rv = ntcp2_alice_start(hs, &me, rem, w);
	ntcp2_hs_free(hs);
	return rv == NTCP2_OK ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	struct ntcp2_remote	 rem;
	struct pollfd		 pfd;
	struct timespec		 t0, t1;
	struct wbuf		 w;
	uint8_t			 out[NTCP2_MSG1_LEN + NTCP2_PAD_MAX], in[512];
	char			 host[64];
	unsigned		 port;
	ssize_t			 n;
	long			 ms;
	int			 s;

	if (argc != 5) {
		fprintf(stderr, "usage: ntcp2_probe RI_FILE ADDR PORT "
		    "netid|stale|random|good\n");
		return 2;
	}
	wbuf_init_fixed(&w, out, sizeof(out));
	if (tp_remote_load(argv[1], &rem, host, sizeof(host), &port) == -1 ||
	    make_msg1(argv[4], &rem, &w) == -1 ||
	    (s = tp_dial(NULL, argv[2], atoi(argv[3]))) == -1) {
		fprintf(stderr, "ntcp2_probe: setup failed\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (write(s, wbuf_data(&w), wbuf_len(&w)) != (ssize_t)wbuf_len(&w))
		return 2;
	pfd.fd = s;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 30000) != 1) {
		printf("no answer in 30 s\n");
		return 1;
	}
	n = read(s, in, sizeof(in));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) /
	    1000000;
	if (n > 0)
		printf("reply %zd bytes after %ld ms\n", n, ms);
	else
		printf("closed after %ld ms\n", ms);
	close(s);
	return 0;
}
