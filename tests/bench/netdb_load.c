/*
 * DatabaseLookups against a live floodfill, i2pd or ours, for
 * tests/bench/netdb_net.sh:
 *
 *   netdb_load ROUTER.INFO FROM SECONDS WORKERS KEYFILE
 *
 * WORKERS processes, each a router of its own at FROM + i, open one
 * NTCP2 session each and keep WINDOW RouterInfo lookups outstanding
 * (direct replies) for keys drawn at random from KEYFILE (base64
 * hashes, one a line, as netdb_gen writes), for SECONDS.  Counted: the
 * DatabaseStores that answer (the router's own, sent as the session
 * opens, left out) and DatabaseSearchReplies.  Prints answers/s.
 */
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "../interop/testpeer.h"
#include "bench.h"

#define WORKERS_MAX	64
#define KEYS_MAX	32000
#define WINDOW		64
#define PER_FRAME	16

struct target {
	struct ntcp2_remote	 rem;
	char			 host[64];
	unsigned		 port;
	char			 from[INET_ADDRSTRLEN];
};

struct tally {
	long		 stores, searches;
	const uint8_t	*router;	/* its own store is not an answer */
};

static uint8_t	 keys[KEYS_MAX][32];
static size_t	 nkeys;

static void
load_keys(const char *path)
{
	char	 line[128];
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	while (nkeys < KEYS_MAX && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (b64_decode(keys[nkeys], 32, line, strlen(line)) == 32)
			nkeys++;
	}
	fclose(f);
	if (nkeys == 0)
		errx(1, "%s: no keys", path);
}

/* a frame of PER_FRAME RouterInfo lookups, replies straight to us */
static int
send_lookups(int fd, struct ntcp2_session *s, const uint8_t me[32])
{
	uint8_t		 msg[9 + 67], plain[PER_FRAME * (3 + sizeof(msg))];
	uint8_t		 frame[sizeof(plain) + 64];
	struct wbuf	 m, p, f;
	uint32_t	 id, exp = time(NULL) + 60;
	int		 i;

	wbuf_init_fixed(&p, plain, sizeof(plain));
	for (i = 0; i < PER_FRAME; i++) {
		crypto_random(&id, sizeof(id));
		wbuf_init_fixed(&m, msg, sizeof(msg));
		wbuf_put_u8(&m, I2NP_DATABASE_LOOKUP);
		wbuf_put_u32(&m, id);
		wbuf_put_u32(&m, exp);
		wbuf_put_bytes(&m, keys[arc4random_uniform(nkeys)], 32);
		wbuf_put_bytes(&m, me, 32);
		wbuf_put_u8(&m, 0x08);		/* RouterInfo, direct */
		wbuf_put_u16(&m, 0);		/* nothing excluded */
		ntcp2_put_i2np(&p, msg, wbuf_len(&m));
	}
	wbuf_init_fixed(&f, frame, sizeof(frame));
	if (wbuf_error(&p) || ntcp2_frame_seal(&s->send, plain, wbuf_len(&p),
	    &f) != NTCP2_OK)
		return -1;
	return tp_write_full(fd, frame, wbuf_len(&f));
}

static int
count_block(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	struct tally	*ty = arg;

	/* an I2NP block: type, ID, expiration, then the payload */
	if (type != NTCP2_B_I2NP || len < 9 + 32)
		return 0;
	if (body[0] == I2NP_DATABASE_STORE &&
	    memcmp(body + 9, ty->router, 32) != 0)
		ty->stores++;
	else if (body[0] == I2NP_DATABASE_SEARCH_REPLY)
		ty->searches++;
	return 0;
}

static void
worker(const struct target *t, int id, double secs, int out)
{
	struct ntcp2_session	 s;
	struct tp_sizes		 sz;
	struct tp_me		*me;
	struct tally		 ty = { 0, 0, t->rem.hash };
	struct in_addr		 a;
	char			 from[INET_ADDRSTRLEN];
	uint8_t			*buf;
	size_t			 plen;
	long			 sent = 0, answered;
	double			 until;
	int			 fd;

	inet_pton(AF_INET, t->from, &a);
	a.s_addr = htonl(ntohl(a.s_addr) + id);
	inet_ntop(AF_INET, &a, from, sizeof(from));
	if ((me = malloc(sizeof(*me))) == NULL ||
	    (buf = malloc(NTCP2_FRAME_MAX)) == NULL ||
	    tp_me_make(me, from, 30000) == -1 ||
	    (fd = tp_dial(from, t->host, t->port)) == -1 ||
	    tp_alice(fd, me, &t->rem, &s, &sz) != TP_DONE)
		_exit(1);
	until = now() + secs;
	while (now() < until) {
		answered = ty.stores + ty.searches;
		if (sent - answered <= WINDOW - PER_FRAME) {
			if (send_lookups(fd, &s, me->local.hash) == -1)
				break;
			sent += PER_FRAME;
			continue;
		}
		if (tp_read_frame(fd, &s, buf, &plen, 10000) == -1 ||
		    ntcp2_blocks(buf, plen, count_block, &ty) != 0)
			break;
	}
	if (write(out, &ty.stores, sizeof(long)) != sizeof(long) ||
	    write(out, &ty.searches, sizeof(long)) != sizeof(long))
		_exit(1);
	_exit(0);
}

int
main(int argc, char *argv[])
{
	struct target	 t;
	double		 secs, t0;
	long		 stores = 0, searches = 0, v[2];
	int		 p[WORKERS_MAX][2], workers, i;

	if (argc != 6 || (workers = atoi(argv[4])) < 1 ||
	    workers > WORKERS_MAX || (secs = atof(argv[3])) <= 0)
		errx(2, "usage: netdb_load ROUTER.INFO FROM SECONDS "
		    "WORKERS(1-%d) KEYFILE", WORKERS_MAX);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (crypto_init() == -1 || tp_remote_load(argv[1], &t.rem, t.host,
	    sizeof(t.host), &t.port) == -1)
		errx(1, "%s: not a RouterInfo with an NTCP2 address", argv[1]);
	strlcpy(t.from, argv[2], sizeof(t.from));
	load_keys(argv[5]);
	t0 = now();
	for (i = 0; i < workers; i++) {
		if (pipe(p[i]) == -1)
			err(1, "pipe");
		switch (fork()) {
		case -1:
			err(1, "fork");
		case 0:
			close(p[i][0]);
			worker(&t, i, secs, p[i][1]);
		}
		close(p[i][1]);
	}
	for (i = 0; i < workers; i++)
		if (tp_read_full(p[i][0], (uint8_t *)v, sizeof(v), -1) == 0) {
			stores += v[0];
			searches += v[1];
		}
	while (wait(NULL) > 0)
		;
	printf("lookups answered %ld (entry %ld, search reply %ld) in %.2f s: "
	    "%.1f/s\n", stores + searches, stores, searches, now() - t0,
	    (stores + searches) / secs);
	return stores + searches > 0 ? 0 : 1;
}
