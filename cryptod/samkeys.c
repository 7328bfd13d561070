/*
 * SAM's destination keys.  DEST GENERATE: a new key pair whose private
 * key goes to the client and is kept nowhere here.  SESSION CREATE
 * DESTINATION=TRANSIENT: the same, and the key is kept in memory for
 * the session.  DESTINATION=$privkey: the client's key, checked and
 * kept in memory.  Kept keys are transient (keystore.c): never written,
 * gone with KEY_DEST_DELETE or when cryptod stops.
 *
 * These are the only replies that carry private key bytes, and the
 * only requests (privkey in msgtab.c): the client owns them.  Every
 * copy made here is wiped before the handler returns; the imsg buffers
 * are freed with freezero.
 *
 * Making keys is rate-limited (a token bucket, burst and rate below):
 * tunneld is the one requester, and the limit keeps a flood of SAM
 * requests from filling the transient table or the CPU.  Per SAM
 * client limits are tunneld's (destkeys.c).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "cryptod.h"
#include "keystore.h"
#include "log.h"
#include "privkey.h"

#define KEYGEN_BURST	32
#define KEYGEN_RATE	16	/* per second */

static int64_t	 bucket_ms;	/* the last refill, monotonic */
/* tokens, in thousandths */
static int64_t	 bucket = KEYGEN_BURST * 1000;

static int64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
keygen_allowed(void)
{
	int64_t	now = mono_ms();

	if (bucket_ms != 0)
		bucket += (now - bucket_ms) * KEYGEN_RATE;
	if (bucket > KEYGEN_BURST * 1000)
		bucket = KEYGEN_BURST * 1000;
	bucket_ms = now;
	if (bucket < 1000)
		return 0;
	bucket -= 1000;
	return 1;
}

/* the header both replies start with */
static int
key_dest_fill(struct key_dest *kd, uint32_t keyid, const struct privkey *pk)
{
	uint8_t	ls_priv[32];
	int	rv;

	memset(kd, 0, sizeof(*kd));
	kd->keyid = keyid;
	kd->sigtype = pk->dest.sigtype;
	kd->cryptotype = pk->dest.cryptotype;
	rv = privkey_ls_key(pk, ls_priv, kd->ls_pub);
	crypto_wipe(ls_priv, sizeof(ls_priv));
	return rv;
}

/*
 * KEY_DEST_PRIV: the header, then the private key; KEY_DEST_MADE: the
 * header, then the Destination
 */
static void
reply_key(struct peer *p, uint32_t type, uint32_t reqid, uint32_t keyid,
    const struct privkey *pk)
{
	uint8_t		buf[sizeof(struct key_dest) + PRIVKEY_MAXLEN];
	struct key_dest	kd;
	struct wbuf	w;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (key_dest_fill(&kd, keyid, pk) == 0) {
		wbuf_put_bytes(&w, &kd, sizeof(kd));
		if (type == IMSG_KEY_DEST_PRIV)
			privkey_write(pk, &w);
		else
			ident_write(&pk->dest, &w);
	}
	if (wbuf_error(&w) || wbuf_len(&w) <= sizeof(kd))
		reply_error(p, reqid, keyid, KEY_ERR_CRYPTO, "no key to send");
	else
		peer_compose(p, type, reqid, -1, buf, wbuf_len(&w));
	crypto_wipe(buf, sizeof(buf));
}

/* refused before any work: -1 after a LIMIT reply */
static int
samkeys_limit(struct peer *p, uint32_t reqid, int keep)
{
	const char	*why = NULL;

	if (keep && !keystore_transient_room())
		why = "too many transient keys";
	else if (!keygen_allowed())
		why = "keys asked for too fast";
	if (why == NULL)
		return 0;
	reply_error(p, reqid, 0, KEY_ERR_LIMIT, why);
	return -1;
}

/* a new key pair of the types asked for; -1 after an error reply */
static int
samkeys_make(struct peer *p, uint32_t reqid, const struct key_dest_new *req,
    struct privkey *pk)
{
	uint8_t	seed[32], x[32], pad[32];
	char	msg[64];
	int	rv;

	if (req->sigtype != SIGTYPE_ED25519) {
		snprintf(msg, sizeof(msg), "signature type %u: only 7 "
		    "(Ed25519)", req->sigtype);
		reply_error(p, reqid, 0, KEY_ERR_UNSUPPORTED, msg);
		return -1;
	}
	if (req->cryptotype != CRYPTOTYPE_ELGAMAL &&
	    req->cryptotype != CRYPTOTYPE_X25519) {
		snprintf(msg, sizeof(msg), "crypto type %u: only 0 or 4",
		    req->cryptotype);
		reply_error(p, reqid, 0, KEY_ERR_UNSUPPORTED, msg);
		return -1;
	}
	crypto_random_fill(seed, sizeof(seed));
	crypto_random_fill(x, sizeof(x));
	crypto_random_fill(pad, sizeof(pad));
	rv = privkey_build(pk, req->cryptotype, seed, x, pad);
	crypto_wipe(seed, sizeof(seed));
	crypto_wipe(x, sizeof(x));
	if (rv == -1)
		reply_error(p, reqid, 0, KEY_ERR_CRYPTO, "no key made");
	return rv;
}

void
samkeys_new(struct peer *p, struct imsg *imsg, int keep)
{
	struct key_dest_new	 req;
	struct privkey		 pk;
	struct key		*k = NULL;
	uint32_t		 reqid = imsg_get_peerid(imsg);
	char			 err[128];

	if (imsg_get_data(imsg, &req, sizeof(req)) == -1)
		fatalx("KEY_DEST_%s: bad length", keep ? "TRANSIENT" :
		    "GENERATE");
	if (samkeys_limit(p, reqid, keep) == -1 ||
	    samkeys_make(p, reqid, &req, &pk) == -1)
		return;
	if (keep && (k = keystore_add_transient(&pk, err, sizeof(err))) ==
	    NULL)
		reply_error(p, reqid, 0, KEY_ERR_LIMIT, err);
	else
		reply_key(p, IMSG_KEY_DEST_PRIV, reqid,
		    k != NULL ? k->keyid : 0, &pk);
	privkey_wipe(&pk);
}

/* how a client's key was refused, for SAM's answer */
static enum key_errcode
import_errcode(const struct i2p_err *e)
{
	switch (e->code) {
	case I2PE_SIGTYPE:
	case I2PE_CRYPTOTYPE:
	case I2PE_CERTTYPE:
	case I2PE_OFFLINE:
		return KEY_ERR_UNSUPPORTED;
	}
	return KEY_ERR_BAD_KEY;
}

void
samkeys_import(struct peer *p, struct imsg *imsg)
{
	struct privkey	 pk;
	struct i2p_err	 e = { 0 };
	struct key	*k;
	uint32_t	 reqid = imsg_get_peerid(imsg);
	char		 err[128];

	if (samkeys_limit(p, reqid, 1) == -1)
		return;
	if (privkey_parse(&pk, imsg->data, imsg->datalen, &e) == -1) {
		reply_error(p, reqid, 0, import_errcode(&e),
		    i2p_errstr(&e, err, sizeof(err)));
		return;
	}
	if ((k = keystore_add_transient(&pk, err, sizeof(err))) == NULL)
		reply_error(p, reqid, 0, KEY_ERR_LIMIT, err);
	else
		reply_key(p, IMSG_KEY_DEST_MADE, reqid, k->keyid, &pk);
	privkey_wipe(&pk);
}
