/*
 * cryptod through its IPC, pipelined (a window of requests in flight,
 * as netd and routerd will use it), next to the same operations called
 * directly in one process: what privilege separation costs per
 * signature and per DH.
 *
 * usage: cryptod_bench BUILD_DIR [count]
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "../cryptod/harness.h"
#include "bench.h"

#define WINDOW		64
#define MSGLEN		100	/* about a small I2NP payload */

static int
compose_req(struct harness *h, enum proc_id from, uint32_t type,
    const void *req, size_t len, uint32_t id)
{
	return imsg_compose(&h->link[from], type, id, 0, -1, req, len);
}

/* n requests with WINDOW in flight; returns requests per second */
static double
pipelined(struct harness *h, enum proc_id from, uint32_t type,
    const void *req, size_t len, uint32_t want, int n)
{
	struct imsg	imsg;
	double		t0 = now();
	int		sent = 0, done = 0;

	while (sent < n && sent < WINDOW)
		compose_req(h, from, type, req, len, ++sent);
	harness_flush(h, from);
	while (done < n) {
		if (harness_recv(h, from, &imsg) == -1 ||
		    imsg.hdr.type != want) {
			fprintf(stderr, "cryptod_bench: bad reply\n");
			exit(1);
		}
		imsg_free(&imsg);
		done++;
		if (sent < n) {
			compose_req(h, from, type, req, len, ++sent);
			if (sent % 16 == 0 || sent == n)
				harness_flush(h, from);
		}
	}
	return n / (now() - t0);
}

static double
direct_sign(int n)
{
	struct sign_key	*key;
	uint8_t		 seed[32], pub[32], sig[64], msg[MSGLEN] = { 0 };
	double		 t0, rate;
	int		 i;

	/* the key imported once, as cryptod holds it */
	ed25519_keygen(seed, pub);
	key = ed25519_key_new(seed);
	t0 = now();
	for (i = 0; i < n; i++)
		ed25519_key_sign(key, sig, msg, sizeof(msg));
	rate = n / (now() - t0);
	ed25519_key_free(key);
	return rate;
}

static double
direct_dh(int n)
{
	uint8_t	priv[32], pub[32], peer_priv[32], peer[32], out[32];
	double	t0 = now();
	int	i;

	x25519_keygen(priv, pub);
	x25519_keygen(peer_priv, peer);
	for (i = 0; i < n; i++)
		x25519(out, priv, peer);
	return n / (now() - t0);
}

int
main(int argc, char *argv[])
{
	struct harness		h;
	struct key_dh_req	dh;
	uint8_t			signreq[sizeof(uint32_t) + MSGLEN] = { 0 };
	uint8_t			eph[32];
	char			prog[CONF_PATHLEN], dir[] = "/tmp/cbench.XXXXXX";
	char			keys[sizeof(dir) + 8];
	int			n = 20000;
	double			ipc_sign, ipc_dh, d_sign, d_dh;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: cryptod_bench BUILD_DIR [count]\n");
		return 1;
	}
	if (argc == 3)
		n = atoi(argv[2]);
	snprintf(prog, sizeof(prog), "%s/i2prd-cryptod", argv[1]);
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(keys, sizeof(keys), "%s/keys", dir);
	mkdir(keys, 0700);
	if (harness_start(&h, prog, dir) == -1) {
		fprintf(stderr, "cryptod_bench: cryptod did not start\n");
		return 1;
	}
	ipc_sign = pipelined(&h, PROC_ROUTERD, IMSG_KEY_SIGN, signreq,
	    sizeof(signreq), IMSG_KEY_SIGNATURE, n);
	/* netd's handshake DH: with the NTCP2 key, the only one it may use */
	memset(&dh, 0, sizeof(dh));
	dh.keyid = KEYID_NTCP2;
	x25519_keygen(eph, dh.peer_pub);
	ipc_dh = pipelined(&h, PROC_NETD, IMSG_KEY_DH, &dh, sizeof(dh),
	    IMSG_KEY_DH_RESULT, n);
	harness_stop(&h);
	d_sign = direct_sign(n);
	d_dh = direct_dh(n);
	printf("%-24s %14s %14s %8s\n", "operation", "cryptod IPC",
	    "direct", "IPC/dir");
	printf("%-24s %12.0f/s %12.0f/s %8.2f\n", "Ed25519 sign, 100 B",
	    ipc_sign, d_sign, ipc_sign / d_sign);
	printf("%-24s %12.0f/s %12.0f/s %8.2f\n", "X25519 DH", ipc_dh,
	    d_dh, ipc_dh / d_dh);
	if (fork() == 0) {
		execlp("rm", "rm", "-rf", dir, (char *)NULL);
		_exit(1);
	}
	wait(NULL);
	return 0;
}
