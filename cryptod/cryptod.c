/*
 * i2prd-cryptod: the only process that holds long-term private keys.
 * It never touches the network or the netDb.  netd, routerd and tunneld
 * send it public inputs and get back results: public keys, signatures,
 * DH outputs; never a private key, but those SAM clients bring or take
 * as their own (samkeys.c).
 *
 * Who may use which key (a compromised process gets no more than its
 * role needs): the router key is routerd's (it signs RouterInfos,
 * its DH opens tunnel build records and garlic to the router), but for
 * netd's signatures on SSU2 peer test data, which must begin with that
 * message's prologue (KEY_SIGN_PEERTEST); the
 * NTCP2 static key does DH for netd alone (transport handshakes) and
 * routerd gets its public half to publish; destination keys are
 * tunneld's alone, and so are SAM's transient ones; the reseed signing
 * key signs su3 files for routerd alone.  So a compromised netd holds a
 * DH oracle on its own handshake key only, never on the key that
 * decrypts build records (audit #9).
 */
#include <bsd/string.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "log.h"
#include "proc.h"
#include "cryptod.h"
#include "keystore.h"
#include "reseedkey.h"

/* OP_SIGN_PEERTEST: data that begins with KEY_SIGN_PEERTEST */
enum key_op { OP_SIGN, OP_SIGN_PEERTEST, OP_DH, OP_PUB };

static int
key_allowed(const struct key *k, enum proc_id who, enum key_op op)
{
	switch (k->kind) {
	case KEY_KIND_ROUTER:
		if (who == PROC_NETD)
			return op == OP_SIGN_PEERTEST;
		return who == PROC_ROUTERD;
	case KEY_KIND_NTCP2:
		return (op == OP_DH && who == PROC_NETD) ||
		    (op == OP_PUB && who == PROC_ROUTERD);
	case KEY_KIND_DEST:
	case KEY_KIND_TRANSIENT:
		return who == PROC_TUNNELD;
	}
	return 0;
}

/* the key a request names, if the sender may use it for op */
static struct key *
key_for(struct peer *p, uint32_t reqid, uint32_t keyid, enum key_op op)
{
	struct key	*k;

	if ((k = keystore_get(keyid)) == NULL) {
		reply_error(p, reqid, keyid, KEY_ERR_UNKNOWN_KEY,
		    "no such key");
		return NULL;
	}
	if (!key_allowed(k, p->id, op)) {
		reply_error(p, reqid, keyid, KEY_ERR_NOT_ALLOWED,
		    "key not available to this process");
		return NULL;
	}
	return k;
}

static void
reply_pub(struct peer *p, uint32_t reqid, const struct key *k)
{
	struct key_pub	pub;

	key_to_pub(k, &pub);
	peer_compose(p, IMSG_KEY_PUB, reqid, -1, &pub, sizeof(pub));
}

static void
cryptod_sign(struct peer *p, struct imsg *imsg)
{
	struct key_signature	 ks;
	struct rbuf		 r;
	const uint8_t		*data;
	struct key		*k;
	uint32_t		 reqid = imsg_get_peerid(imsg), keyid;
	size_t			 len;
	enum key_op		 op;

	rbuf_init(&r, imsg->data, imsg->datalen);
	if (rbuf_get_bytes(&r, &keyid, sizeof(keyid)) == -1)
		fatalx("KEY_SIGN: short request");	/* msgtab checked it */
	len = rbuf_left(&r);
	rbuf_get_ptr(&r, &data, len);
	op = OP_SIGN;
	if (len >= KEY_SIGN_PEERTEST_LEN &&
	    memcmp(data, KEY_SIGN_PEERTEST, KEY_SIGN_PEERTEST_LEN) == 0)
		op = OP_SIGN_PEERTEST;
	if ((k = key_for(p, reqid, keyid, op)) == NULL)
		return;
	memset(&ks, 0, sizeof(ks));
	ks.keyid = keyid;
	if (ed25519_key_sign(k->signer, ks.sig, data, len) == -1) {
		reply_error(p, reqid, keyid, KEY_ERR_CRYPTO, "signing failed");
		return;
	}
	peer_compose(p, IMSG_KEY_SIGNATURE, reqid, -1, &ks, sizeof(ks));
}

static void
cryptod_dh(struct peer *p, struct imsg *imsg)
{
	struct key_dh_req	 req;
	struct key_dh_result	 res;
	struct key		*k;
	uint32_t		 reqid = imsg_get_peerid(imsg);

	if (imsg_get_data(imsg, &req, sizeof(req)) == -1)
		fatalx("KEY_DH: bad length");
	if ((k = key_for(p, reqid, req.keyid, OP_DH)) == NULL)
		return;
	memset(&res, 0, sizeof(res));
	res.keyid = req.keyid;
	if (x25519(res.shared, k->crypto_priv, req.peer_pub) == -1) {
		reply_error(p, reqid, req.keyid, KEY_ERR_CRYPTO,
		    "DH with a low-order public key");
		return;
	}
	peer_compose(p, IMSG_KEY_DH_RESULT, reqid, -1, &res, sizeof(res));
	crypto_wipe(&res, sizeof(res));
}

static void
cryptod_dest_create(struct peer *p, uint32_t reqid)
{
	struct key	*k;
	char		 err[128];

	if ((k = keystore_create_dest(err, sizeof(err))) == NULL) {
		log_warnx("destination key: %s", err);
		reply_error(p, reqid, 0, KEY_ERR_STORAGE, err);
		return;
	}
	log_info("created destination key %u", k->keyid);
	reply_pub(p, reqid, k);
}

static void
cryptod_dest_list(struct peer *p, uint32_t reqid)
{
	const struct key	*k;

	TAILQ_FOREACH(k, keystore_list(), entry)
		if (k->kind == KEY_KIND_DEST)
			reply_pub(p, reqid, k);
	peer_compose(p, IMSG_KEY_END, reqid, -1, NULL, 0);
}

static void
cryptod_dest_delete(struct peer *p, struct imsg *imsg)
{
	struct key_id	 id;
	struct key	*k;
	uint32_t	 reqid = imsg_get_peerid(imsg);

	if (imsg_get_data(imsg, &id, sizeof(id)) == -1)
		fatalx("KEY_DEST_DELETE: bad length");
	if ((k = key_for(p, reqid, id.keyid, OP_SIGN)) == NULL)
		return;
	if ((k->kind != KEY_KIND_DEST && k->kind != KEY_KIND_TRANSIENT) ||
	    keystore_delete(id.keyid) == -1) {
		reply_error(p, reqid, id.keyid, KEY_ERR_STORAGE,
		    "cannot delete that key");
		return;
	}
	if (id.keyid < KEYID_TRANSIENT_MIN)
		log_info("deleted destination key %u", id.keyid);
	else
		log_debug("deleted transient key %08x", id.keyid);
	peer_compose(p, IMSG_KEY_END, reqid, -1, NULL, 0);
}

/* routerd's reseed exports: a signature over an su3 and our certificate */
static void
cryptod_reseed(struct peer *p, struct imsg *imsg)
{
	uint32_t		 reqid = imsg_get_peerid(imsg);
	struct key_reseed_req	 req;
	struct key_reseed	*rep;
	EVP_PKEY		*k;
	X509			*x;
	char			 err[128], *pem;
	size_t			 len;

	if (p->id != PROC_ROUTERD) {
		reply_error(p, reqid, 0, KEY_ERR_NOT_ALLOWED,
		    "only routerd signs reseed files");
		return;
	}
	if (imsg_get_data(imsg, &req, sizeof(req)) == -1 ||
	    memchr(req.signer, '\0', sizeof(req.signer)) == NULL ||
	    !reseed_signer_ok(req.signer)) {
		reply_error(p, reqid, 0, KEY_ERR_BAD_REQUEST, "bad signer");
		return;
	}
	if (reseedkey_get(req.signer, &k, &x, err, sizeof(err)) == -1) {
		reply_error(p, reqid, 0, KEY_ERR_STORAGE, err);
		return;
	}
	if ((pem = reseedkey_cert_pem(x, &len)) == NULL ||
	    len > KEY_RESEED_CERT_MAX ||
	    (rep = calloc(1, sizeof(*rep) + len)) == NULL) {
		free(pem);
		reply_error(p, reqid, 0, KEY_ERR_CRYPTO, "no certificate");
		return;
	}
	memcpy(rep + 1, pem, len);
	free(pem);
	if (req.sign && reseedkey_sign(k, req.digest, rep->sig) == -1)
		reply_error(p, reqid, 0, KEY_ERR_CRYPTO, "signing failed");
	else
		peer_compose(p, IMSG_KEY_RESEED, reqid, -1, rep,
		    sizeof(*rep) + len);
	free(rep);
}

static void
cryptod_dispatch_peer(struct peer *p, struct imsg *imsg)
{
	uint32_t	 reqid = imsg_get_peerid(imsg);
	struct key	*k;

	switch (imsg_get_type(imsg)) {
	case IMSG_KEY_ROUTER_PUB:
		if ((k = key_for(p, reqid, KEYID_ROUTER, OP_PUB)) != NULL)
			reply_pub(p, reqid, k);
		break;
	case IMSG_KEY_NTCP2_PUB:
		if ((k = key_for(p, reqid, KEYID_NTCP2, OP_PUB)) != NULL)
			reply_pub(p, reqid, k);
		break;
	case IMSG_KEY_SIGN:
		cryptod_sign(p, imsg);
		break;
	case IMSG_KEY_DH:
		cryptod_dh(p, imsg);
		break;
	case IMSG_KEY_DEST_CREATE:
		cryptod_dest_create(p, reqid);
		break;
	case IMSG_KEY_DEST_LIST:
		cryptod_dest_list(p, reqid);
		break;
	case IMSG_KEY_DEST_DELETE:
		cryptod_dest_delete(p, imsg);
		break;
	case IMSG_KEY_RESEED_SIGN:
		cryptod_reseed(p, imsg);
		break;
	case IMSG_KEY_DEST_GENERATE:
		samkeys_new(p, imsg, 0);
		break;
	case IMSG_KEY_DEST_TRANSIENT:
		samkeys_new(p, imsg, 1);
		break;
	case IMSG_KEY_DEST_IMPORT:
		samkeys_import(p, imsg);
		break;
	default:
		fatalx("unexpected imsg %s from %s",
		    imsg_type_name(imsg_get_type(imsg)), proc_name(p->id));
	}
}

/* before the sandbox: the key files are read (or created) here */
static void
cryptod_setup(struct child_env *env)
{
	char	err[256];

	if (keystore_open(err, sizeof(err)) == -1)
		fatalx("%s; refusing to start (move a bad file away to create "
		    "a new one: a new router.key is a new identity)", err);
	if (reseedkey_open(err, sizeof(err)) == -1)
		fatalx("%s; refusing to start (move it away to create a new "
		    "reseed signing key)", err);
}

static void
cryptod_shutdown(void)
{
	reseedkey_close();
	keystore_close();
}

static const struct child_ops cryptod_ops = {
	.setup = cryptod_setup,
	.dispatch_peer = cryptod_dispatch_peer,
	.shutdown = cryptod_shutdown,
	.sandbox = sandbox_cryptod,
};

int
main(int argc, char *argv[])
{
	return child_main(PROC_CRYPTOD, argc, argv, &cryptod_ops);
}
