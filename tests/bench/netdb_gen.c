/*
 * Writes N signed RouterInfos (network 99, each with its own NTCP2
 * address in 198.18.128.0/17, which nothing routes) into a netDb
 * directory in the layout i2pd and i2prd load, and their hashes, one
 * base64 per line, to a key file: the lookup benchmark's database.
 *
 *   netdb_gen NETDB_DIR N KEYFILE
 */
#include <sys/stat.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>

#include "crypto.h"
#include "encoding.h"
#include "../interop/testpeer.h"

static const char	b64_first[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~";

int
main(int argc, char *argv[])
{
	struct tp_me	*me;
	char		 host[32], b64[B64_ENCLEN(32)], path[1024];
	FILE		*keys, *f;
	long		 n, i;

	if (argc != 4 || (n = strtol(argv[2], NULL, 10)) < 1 || n > 32000)
		errx(2, "usage: netdb_gen NETDB_DIR N(1-32000) KEYFILE");
	if (crypto_init() == -1 || (me = malloc(sizeof(*me))) == NULL)
		errx(1, "init");
	mkdir(argv[1], 0755);
	/* i2pd saves only into r<C> directories that exist */
	for (i = 0; b64_first[i] != '\0'; i++) {
		snprintf(path, sizeof(path), "%s/r%c", argv[1], b64_first[i]);
		mkdir(path, 0755);
	}
	if ((keys = fopen(argv[3], "w")) == NULL)
		err(1, "%s", argv[3]);
	for (i = 0; i < n; i++) {
		snprintf(host, sizeof(host), "198.18.%ld.%ld", 128 + i / 256,
		    i % 256);
		if (tp_me_make(me, host, 20000) == -1)
			errx(1, "RouterInfo %ld", i);
		b64_encode(b64, sizeof(b64), me->local.hash, 32);
		snprintf(path, sizeof(path), "%s/r%c/routerInfo-%s.dat",
		    argv[1], b64[0], b64);
		if ((f = fopen(path, "w")) == NULL ||
		    fwrite(me->ri, 1, me->local.rilen, f) != me->local.rilen ||
		    fclose(f) == EOF)
			err(1, "%s", path);
		fprintf(keys, "%s\n", b64);
	}
	if (fclose(keys) == EOF)
		err(1, "%s", argv[3]);
	return 0;
}
