/*
 * SAM private keys for the interop test (samkeys.sh), through
 * common/privkey.c as cryptod makes and reads them:
 *
 *	privkey_tool gen CRYPTOTYPE	a new key: "PRIV PUB", base64
 *	privkey_tool check PRIV		"ok PUB", or the reason, exit 1
 *	privkey_tool sign PRIV MSG	the base64 signature of MSG, as a
 *					name server signs feed lines
 *					(subscription.rst), for addrbook tests
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "privkey.h"

static int
gen(int cryptotype)
{
	struct privkey	pk;
	struct wbuf	w;
	uint8_t		buf[PRIVKEY_MAXLEN], seed[32], x[32], pad[32];
	char		priv[B64_ENCLEN(PRIVKEY_MAXLEN)];
	char		pub[B64_ENCLEN(I2P_IDENT_MAXLEN)];

	crypto_random_fill(seed, sizeof(seed));
	crypto_random_fill(x, sizeof(x));
	crypto_random_fill(pad, sizeof(pad));
	if (privkey_build(&pk, cryptotype, seed, x, pad) == -1)
		return 1;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (privkey_write(&pk, &w) == -1 ||
	    b64_encode(priv, sizeof(priv), buf, wbuf_len(&w)) == -1 ||
	    ident_to_b64(&pk.dest, pub, sizeof(pub)) == -1)
		return 1;
	printf("%s %s\n", priv, pub);
	return 0;
}

static int
check(const char *s)
{
	struct privkey	 pk;
	struct i2p_err	 err = { 0 };
	uint8_t		 buf[4096];
	char		 pub[B64_ENCLEN(I2P_IDENT_MAXLEN)], msg[128];
	int		 n;

	if ((n = b64_decode(buf, sizeof(buf), s, strlen(s))) == -1) {
		printf("bad base64\n");
		return 1;
	}
	if (privkey_parse(&pk, buf, n, &err) == -1) {
		printf("%s\n", i2p_errstr(&err, msg, sizeof(msg)));
		return 1;
	}
	if (ident_to_b64(&pk.dest, pub, sizeof(pub)) == -1)
		return 1;
	printf("ok %s\n", pub);
	privkey_wipe(&pk);
	return 0;
}

static int
sign(const char *s, const char *msg)
{
	struct privkey	 pk;
	struct i2p_err	 err = { 0 };
	uint8_t		 buf[4096], sig[ED25519_SIG_LEN];
	char		 out[B64_ENCLEN(ED25519_SIG_LEN)], why[128];
	int		 n;

	if ((n = b64_decode(buf, sizeof(buf), s, strlen(s))) == -1 ||
	    privkey_parse(&pk, buf, n, &err) == -1) {
		fprintf(stderr, "%s\n", n == -1 ? "bad base64" :
		    i2p_errstr(&err, why, sizeof(why)));
		return 1;
	}
	n = ed25519_sign(sig, pk.sign_seed, msg, strlen(msg));
	privkey_wipe(&pk);
	if (n == -1 || b64_encode(out, sizeof(out), sig, sizeof(sig)) == -1)
		return 1;
	printf("%s\n", out);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (crypto_init() == -1)
		return 1;
	if (argc == 3 && strcmp(argv[1], "gen") == 0)
		return gen(atoi(argv[2]));
	if (argc == 3 && strcmp(argv[1], "check") == 0)
		return check(argv[2]);
	if (argc == 4 && strcmp(argv[1], "sign") == 0)
		return sign(argv[2], argv[3]);
	fprintf(stderr, "usage: privkey_tool gen CRYPTOTYPE | check PRIV | "
	    "sign PRIV MSG\n");
	return 2;
}
