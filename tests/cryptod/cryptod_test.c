/*
 * Key custody, tested against the real i2prd-cryptod over its links:
 * the identity and the NTCP2 static key are created 0600 and kept
 * across restarts, a key directory of a router made before the NTCP2
 * key existed keeps its identity and gets one, signatures and DH
 * outputs are right, each process gets only the keys its role needs,
 * bad requests get error replies, corrupt or exposed key files stop
 * cryptod, and no reply carries private key bytes but those of SAM's
 * own keys: DEST GENERATE, transient and imported keys (their types,
 * checks, limits, ids, and that nothing is written for them).
 *
 * usage: cryptod_test BUILD_DIR
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <bsd/string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "harness.h"
#include "privkey.h"
#include "../../cryptod/keystore.h"
#include "../../cryptod/reseedkey.h"

#include <openssl/pem.h>
#include <openssl/rsa.h>

static int	 passed, failed;
static char	 prog[CONF_PATHLEN], statedir[CONF_PATHLEN];
static char	 keydir[CONF_PATHLEN + 8];
/* every reply payload seen, to search for private key bytes */
static uint8_t	 seen[1 << 20];
static size_t	 seenlen;

static void
check(int cond, const char *fmt, ...)
{
	va_list	ap;

	printf("%s - ", cond ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (cond)
		passed++;
	else
		failed++;
}

/* one request, one reply of the expected type; payload copied out */
static int
ask(struct harness *h, enum proc_id from, uint32_t type, const void *data,
    size_t len, uint32_t want, void *out, size_t outlen)
{
	static uint32_t	reqid;
	struct imsg	imsg;
	int		rv = -1;

	if (harness_send(h, from, type, ++reqid, data, len) == -1 ||
	    harness_recv(h, from, &imsg) == -1)
		return -1;
	if (imsg.datalen > 0 && seenlen + imsg.datalen <= sizeof(seen)) {
		memcpy(seen + seenlen, imsg.data, imsg.datalen);
		seenlen += imsg.datalen;
	}
	if (imsg.hdr.type == want && imsg.hdr.peerid == reqid &&
	    (out == NULL || imsg_get_data(&imsg, out, outlen) == 0))
		rv = 0;
	imsg_free(&imsg);
	return rv;
}

static uint32_t
ask_error(struct harness *h, enum proc_id from, uint32_t type,
    const void *data, size_t len)
{
	struct key_error	e;

	if (ask(h, from, type, data, len, IMSG_KEY_ERROR, &e, sizeof(e)) == -1)
		return 0;
	return e.code;
}

static int
sign_req(struct harness *h, enum proc_id from, uint32_t keyid,
    const char *msg, struct key_signature *ks)
{
	uint8_t	buf[sizeof(uint32_t) + 64];
	size_t	len = strlen(msg);

	memcpy(buf, &keyid, sizeof(keyid));
	memcpy(buf + sizeof(keyid), msg, len);
	return ask(h, from, IMSG_KEY_SIGN, buf, sizeof(keyid) + len,
	    IMSG_KEY_SIGNATURE, ks, sizeof(*ks));
}

/* up to len bytes of a file in the key directory, or -1 */
static ssize_t
key_file_bytes(const char *name, uint8_t *buf, size_t len)
{
	char	path[CONF_PATHLEN + 64];
	ssize_t	n;
	int	fd;

	snprintf(path, sizeof(path), "%s/%s", keydir, name);
	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	n = read(fd, buf, len);
	close(fd);
	return n;
}

static int
read_keyfile(const char *name, struct key *k)
{
	uint8_t		 buf[KEYFILE_LEN + 1];
	const char	*why;
	ssize_t		 n;

	n = key_file_bytes(name, buf, sizeof(buf));
	return n < 0 ? -1 : keyfile_decode(k, buf, n, &why);
}

/* a key file under another name, 0600 */
static int
copy_keyfile(const char *from, const char *to)
{
	char	path[CONF_PATHLEN + 64];
	uint8_t	buf[KEYFILE_LEN];
	ssize_t	n;
	int	fd;

	if (key_file_bytes(from, buf, sizeof(buf)) != KEYFILE_LEN)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", keydir, to);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1)
		return -1;
	n = write(fd, buf, sizeof(buf));
	close(fd);
	return n == KEYFILE_LEN ? 0 : -1;
}

static int
file_mode_ok(const char *name)
{
	char		path[CONF_PATHLEN + 64];
	struct stat	st;

	snprintf(path, sizeof(path), "%s/%s", keydir, name);
	return stat(path, &st) == 0 && (st.st_mode & 07777) == 0600 &&
	    st.st_uid == geteuid();
}

static int
key_file_exists(const char *name)
{
	char	path[CONF_PATHLEN + 64];

	snprintf(path, sizeof(path), "%s/%s", keydir, name);
	return access(path, F_OK) == 0;
}

/* a NAME.deleted.* file in the key directory */
static int
aside_exists(const char *name)
{
	char		 prefix[64];
	struct dirent	*de;
	DIR		*d;
	int		 found = 0;

	snprintf(prefix, sizeof(prefix), "%s.deleted.", name);
	if ((d = opendir(keydir)) == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL)
		found = strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return found;
}

static int
contains(const uint8_t *needle, size_t len)
{
	size_t	i;

	for (i = 0; i + len <= seenlen; i++)
		if (memcmp(seen + i, needle, len) == 0)
			return 1;
	return 0;
}

/* netd signs SSU2 peer test data with the router key, nothing else */
static void
test_netd_sign(struct harness *h, const struct key_pub *pub)
{
	struct key_signature	 ks;
	const char		*pt = KEY_SIGN_PEERTEST "bob hash, data";
	uint8_t			 req[8] = { 0 };
	uint32_t		 ntcp2 = KEYID_NTCP2;

	check(sign_req(h, PROC_NETD, KEYID_ROUTER, pt, &ks) == 0 &&
	    ed25519_verify(ks.sig, pub->sign_pub, pt, strlen(pt)) == 0,
	    "netd: a peer test signature with the router key verifies");
	check(ask_error(h, PROC_NETD, IMSG_KEY_SIGN, req, sizeof(req)) ==
	    KEY_ERR_NOT_ALLOWED, "netd may not sign other data with it");
	check(sign_req(h, PROC_NETD, KEYID_ROUTER, "PeerTestValidat",
	    &ks) == -1, "nor data shorter than the prologue");
	memcpy(req, &ntcp2, sizeof(ntcp2));
	check(ask_error(h, PROC_NETD, IMSG_KEY_SIGN, req, sizeof(req)) ==
	    KEY_ERR_NOT_ALLOWED, "netd signs nothing with the NTCP2 key");
}

static void
test_router_key(struct harness *h, struct key *rk)
{
	struct key_pub		pub;
	struct key_signature	ks;
	struct key_dh_req	dh;
	struct key_dh_result	res;
	uint8_t			eph[32], expect[32];

	check(ask(h, PROC_ROUTERD, IMSG_KEY_ROUTER_PUB, NULL, 0, IMSG_KEY_PUB,
	    &pub, sizeof(pub)) == 0, "routerd gets the router public keys");
	check(pub.sigtype == 7 && pub.cryptotype == 4 &&
	    memcmp(pub.sign_pub, rk->sign_pub, 32) == 0 &&
	    memcmp(pub.crypto_pub, rk->crypto_pub, 32) == 0 &&
	    memcmp(pub.padding, rk->padding, 32) == 0,
	    "public keys match the key file (Ed25519, X25519)");
	check(sign_req(h, PROC_ROUTERD, KEYID_ROUTER, "router info", &ks) == 0 &&
	    ed25519_verify(ks.sig, pub.sign_pub, "router info", 11) == 0,
	    "routerd: router signature verifies");
	memset(&dh, 0, sizeof(dh));
	dh.keyid = KEYID_ROUTER;
	x25519_keygen(eph, dh.peer_pub);
	x25519(expect, eph, pub.crypto_pub);
	check(ask(h, PROC_ROUTERD, IMSG_KEY_DH, &dh, sizeof(dh),
	    IMSG_KEY_DH_RESULT, &res, sizeof(res)) == 0 &&
	    memcmp(res.shared, expect, 32) == 0,
	    "routerd: router DH equals the peer's side (build records)");
	/* the DH that opens build records and garlic: not netd's (#9) */
	check(ask_error(h, PROC_NETD, IMSG_KEY_DH, &dh, sizeof(dh)) ==
	    KEY_ERR_NOT_ALLOWED, "netd may not DH with the router key");
	test_netd_sign(h, &pub);
}

/* netd's handshake key: its own, not the identity's (audit #9) */
static void
test_ntcp2_key(struct harness *h, const struct key *rk, struct key *nk)
{
	struct key_pub		pub;
	struct key_dh_req	dh;
	struct key_dh_result	res;
	uint8_t			eph[32], expect[32];

	check(file_mode_ok(KEYFILE_NTCP2), "ntcp2.key created 0600, ours");
	check(read_keyfile(KEYFILE_NTCP2, nk) == 0 &&
	    nk->kind == KEY_KIND_NTCP2 && nk->signer == NULL,
	    "ntcp2.key decodes: an X25519 key, no signing key");
	check(memcmp(nk->crypto_pub, rk->crypto_pub, 32) != 0,
	    "the NTCP2 static key is not the identity's X25519 key");
	check(ask(h, PROC_ROUTERD, IMSG_KEY_NTCP2_PUB, NULL, 0, IMSG_KEY_PUB,
	    &pub, sizeof(pub)) == 0 && pub.keyid == KEYID_NTCP2 &&
	    memcmp(pub.crypto_pub, nk->crypto_pub, 32) == 0,
	    "routerd gets the NTCP2 public key, as in the key file");
	memset(&dh, 0, sizeof(dh));
	dh.keyid = KEYID_NTCP2;
	x25519_keygen(eph, dh.peer_pub);
	x25519(expect, eph, nk->crypto_pub);
	check(ask(h, PROC_NETD, IMSG_KEY_DH, &dh, sizeof(dh),
	    IMSG_KEY_DH_RESULT, &res, sizeof(res)) == 0 &&
	    res.keyid == KEYID_NTCP2 && memcmp(res.shared, expect, 32) == 0,
	    "netd: DH with the NTCP2 key equals the peer's side");
	check(ask_error(h, PROC_ROUTERD, IMSG_KEY_DH, &dh, sizeof(dh)) ==
	    KEY_ERR_NOT_ALLOWED, "routerd may not DH with the NTCP2 key");
	check(ask_error(h, PROC_TUNNELD, IMSG_KEY_DH, &dh, sizeof(dh)) ==
	    KEY_ERR_NOT_ALLOWED, "tunneld may not DH with the NTCP2 key");
	check(ask_error(h, PROC_ROUTERD, IMSG_KEY_SIGN, &dh.keyid, 4) ==
	    KEY_ERR_NOT_ALLOWED, "nobody signs with the NTCP2 key");
}

/*
 * A key directory as the code before the NTCP2 key left it: router.key
 * alone.  cryptod keeps that identity and makes an NTCP2 key beside it.
 */
static void
test_upgrade(const struct key *rk)
{
	struct harness	 h;
	struct key	 k = { 0 }, nk = { 0 };
	struct key_pub	 pub;
	char		 path[CONF_PATHLEN + 64];
	uint8_t		 buf[KEYFILE_LEN];

	snprintf(path, sizeof(path), "%s/%s", keydir, KEYFILE_NTCP2);
	unlink(path);
	check(harness_start(&h, prog, statedir) == 0,
	    "cryptod starts on a key directory without ntcp2.key");
	check(read_keyfile(KEYFILE_ROUTER, &k) == 0 &&
	    keyfile_encode(&k, buf) == 0 && memcmp(k.sign_pub, rk->sign_pub,
	    32) == 0 && memcmp(k.crypto_pub, rk->crypto_pub, 32) == 0,
	    "router.key is the same identity");
	check(ask(&h, PROC_ROUTERD, IMSG_KEY_ROUTER_PUB, NULL, 0, IMSG_KEY_PUB,
	    &pub, sizeof(pub)) == 0 && memcmp(pub.sign_pub, rk->sign_pub,
	    32) == 0, "routerd gets the same identity");
	check(file_mode_ok(KEYFILE_NTCP2) && read_keyfile(KEYFILE_NTCP2,
	    &nk) == 0 && memcmp(nk.crypto_pub, rk->crypto_pub, 32) != 0,
	    "a new ntcp2.key is made, 0600, not the identity's key");
	check(ask(&h, PROC_ROUTERD, IMSG_KEY_NTCP2_PUB, NULL, 0, IMSG_KEY_PUB,
	    &pub, sizeof(pub)) == 0 && memcmp(pub.crypto_pub, nk.crypto_pub,
	    32) == 0, "routerd gets the new NTCP2 public key");
	check(WEXITSTATUS(harness_stop(&h)) == 0, "cryptod exits 0 on EOF");
	ed25519_key_free(k.signer);
	crypto_wipe(&k, sizeof(k));
	crypto_wipe(&nk, sizeof(nk));
}

static void
test_policy(struct harness *h)
{
	struct key_dh_req	dh;
	uint8_t			req[8] = { 0 };

	check(ask_error(h, PROC_TUNNELD, IMSG_KEY_SIGN, req, sizeof(req)) ==
	    KEY_ERR_NOT_ALLOWED, "tunneld may not sign with the router key");
	memset(&dh, 0, sizeof(dh));
	dh.peer_pub[0] = 9;
	check(ask_error(h, PROC_TUNNELD, IMSG_KEY_DH, &dh, sizeof(dh)) ==
	    KEY_ERR_NOT_ALLOWED, "tunneld may not use the router DH key");
	check(ask_error(h, PROC_TUNNELD, IMSG_KEY_ROUTER_PUB, NULL, 0) ==
	    KEY_ERR_NOT_ALLOWED, "tunneld gets no router key at all");
	dh.keyid = 4242;
	check(ask_error(h, PROC_ROUTERD, IMSG_KEY_DH, &dh, sizeof(dh)) ==
	    KEY_ERR_UNKNOWN_KEY, "unknown key id: error reply");
	dh.keyid = KEYID_ROUTER;
	memset(dh.peer_pub, 0, sizeof(dh.peer_pub));
	check(ask_error(h, PROC_ROUTERD, IMSG_KEY_DH, &dh, sizeof(dh)) ==
	    KEY_ERR_CRYPTO, "DH with a low-order point: error reply");
	dh.keyid = KEYID_NTCP2;
	check(ask_error(h, PROC_NETD, IMSG_KEY_DH, &dh, sizeof(dh)) ==
	    KEY_ERR_CRYPTO, "the same for netd's NTCP2 key");
}

static void
test_dest_keys(struct harness *h)
{
	struct key_pub		pub, listed;
	struct key_signature	ks;
	struct key_id		id;
	struct key		dk = { 0 };
	struct imsg		end;
	char			name[32];

	check(ask(h, PROC_TUNNELD, IMSG_KEY_DEST_CREATE, NULL, 0, IMSG_KEY_PUB,
	    &pub, sizeof(pub)) == 0 && pub.keyid != KEYID_ROUTER &&
	    pub.keyid != KEYID_NTCP2, "tunneld creates a destination key");
	snprintf(name, sizeof(name), KEYFILE_DEST_FMT, pub.keyid);
	check(key_file_exists(name) && file_mode_ok(name),
	    "%s is 0600 and ours", name);
	check(read_keyfile(name, &dk) == 0 &&
	    memcmp(dk.sign_pub, pub.sign_pub, 32) == 0,
	    "destination key file matches the reply");
	check(sign_req(h, PROC_TUNNELD, pub.keyid, "lease set", &ks) == 0 &&
	    ed25519_verify(ks.sig, pub.sign_pub, "lease set", 9) == 0,
	    "tunneld: destination signature verifies");
	check(ask_error(h, PROC_ROUTERD, IMSG_KEY_SIGN, &pub.keyid, 4) ==
	    KEY_ERR_NOT_ALLOWED, "routerd may not use destination keys");
	check(ask(h, PROC_TUNNELD, IMSG_KEY_DEST_LIST, NULL, 0, IMSG_KEY_PUB,
	    &listed, sizeof(listed)) == 0 && listed.keyid == pub.keyid,
	    "list shows the destination");
	check(harness_recv(h, PROC_TUNNELD, &end) == 0 &&
	    end.hdr.type == IMSG_KEY_END, "list ends");
	imsg_free(&end);
	id.keyid = pub.keyid;
	check(ask(h, PROC_TUNNELD, IMSG_KEY_DEST_DELETE, &id, sizeof(id),
	    IMSG_KEY_END, NULL, 0) == 0, "delete the destination key");
	check(!key_file_exists(name), "its file is gone");
	check(aside_exists(name), "set aside as %s.deleted.*, not unlinked",
	    name);
	check(ask(h, PROC_TUNNELD, IMSG_KEY_DEST_LIST, NULL, 0, IMSG_KEY_END,
	    NULL, 0) == 0, "list is empty again");
	check(!contains(dk.sign_seed, 32) && !contains(dk.crypto_priv, 32),
	    "no reply carried the destination's private keys");
	ed25519_key_free(dk.signer);
	crypto_wipe(&dk, sizeof(dk));
}

/*
 * SAM's keys.  One request, its reply (any type) with the payload
 * copied to buf; returns the reply type, 0 on no reply or another id.
 */
static uint32_t
ask_sam(struct harness *h, uint32_t type, const void *data, size_t len,
    uint8_t *buf, size_t *buflen)
{
	static uint32_t	reqid = 5000;
	struct imsg	imsg;
	uint32_t	rv = 0;

	if (harness_send(h, PROC_TUNNELD, type, ++reqid, data, len) == -1 ||
	    harness_recv(h, PROC_TUNNELD, &imsg) == -1)
		return 0;
	if (imsg.hdr.peerid == reqid && imsg.datalen <= *buflen) {
		memcpy(buf, imsg.data, imsg.datalen);
		*buflen = imsg.datalen;
		rv = imsg.hdr.type;
	}
	imsg_free(&imsg);
	return rv;
}

/* a new key: KEY_DEST_PRIV parsed into kd and pk; -1 otherwise */
static int
sam_new(struct harness *h, uint32_t type, uint16_t sigtype,
    uint16_t cryptotype, struct key_dest *kd, struct privkey *pk,
    uint32_t *errcode)
{
	struct key_dest_new	 req = { sigtype, cryptotype };
	struct key_error	 e;
	uint8_t			 buf[2048];
	size_t			 len = sizeof(buf);
	uint32_t		 got;

	got = ask_sam(h, type, &req, sizeof(req), buf, &len);
	if (got == IMSG_KEY_ERROR && len == sizeof(e)) {
		memcpy(&e, buf, sizeof(e));
		*errcode = e.code;
		return -1;
	}
	*errcode = 0;
	if (got != IMSG_KEY_DEST_PRIV || len <= sizeof(*kd))
		return -1;
	memcpy(kd, buf, sizeof(*kd));
	return privkey_parse(pk, buf + sizeof(*kd), len - sizeof(*kd), NULL);
}

/* KEY_DEST_IMPORT; the KEY_ERROR code, or 0 with kd and the Destination */
static uint32_t
sam_import(struct harness *h, const uint8_t *priv, size_t privlen,
    struct key_dest *kd, uint8_t *dest, size_t *destlen, char *msg)
{
	struct key_error	 e;
	uint8_t			 buf[2048];
	size_t			 len = sizeof(buf);
	uint32_t		 got;

	got = ask_sam(h, IMSG_KEY_DEST_IMPORT, priv, privlen, buf, &len);
	if (got == IMSG_KEY_ERROR && len == sizeof(e)) {
		memcpy(&e, buf, sizeof(e));
		if (msg != NULL)
			strlcpy(msg, e.msg, sizeof(e.msg));
		return e.code;
	}
	if (got != IMSG_KEY_DEST_MADE || len <= sizeof(*kd) ||
	    len - sizeof(*kd) > *destlen)
		return 999;
	memcpy(kd, buf, sizeof(*kd));
	*destlen = len - sizeof(*kd);
	memcpy(dest, buf + sizeof(*kd), *destlen);
	return 0;
}

static int
priv_bytes(const struct privkey *pk, uint8_t *buf, size_t len)
{
	struct wbuf	w;

	wbuf_init_fixed(&w, buf, len);
	privkey_write(pk, &w);
	return wbuf_error(&w) ? -1 : (int)wbuf_len(&w);
}

/* KEY_SIGN and KEY_DH with a key tunneld was given */
static int
sam_key_works(struct harness *h, uint32_t keyid, const struct privkey *pk,
    const uint8_t ls_pub[32])
{
	struct key_signature	ks;
	struct key_dh_req	dh;
	struct key_dh_result	res;
	uint8_t			eph[32], expect[32];

	if (sign_req(h, PROC_TUNNELD, keyid, "sam lease set", &ks) == -1 ||
	    ed25519_verify(ks.sig, pk->dest.sign_pub, "sam lease set",
	    13) == -1)
		return 0;
	memset(&dh, 0, sizeof(dh));
	dh.keyid = keyid;
	x25519_keygen(eph, dh.peer_pub);
	x25519(expect, eph, ls_pub);
	return ask(h, PROC_TUNNELD, IMSG_KEY_DH, &dh, sizeof(dh),
	    IMSG_KEY_DH_RESULT, &res, sizeof(res)) == 0 &&
	    memcmp(res.shared, expect, 32) == 0;
}

static int
count_key_files(void)
{
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	if ((d = opendir(keydir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void
test_sam_generate(struct harness *h)
{
	struct key_dest	 kd;
	struct privkey	 pk;
	uint8_t		 lpriv[32], lpub[32];
	uint32_t	 code;

	check(sam_new(h, IMSG_KEY_DEST_GENERATE, 7, 0, &kd, &pk, &code) == 0 &&
	    kd.keyid == 0 && kd.sigtype == 7 && kd.cryptotype == 0 &&
	    pk.dest.rawlen == 391 && pk.crypto_privlen == 256,
	    "DEST GENERATE: a private key of type 7/0, kept nowhere (key 0)");
	check(privkey_ls_key(&pk, lpriv, lpub) == 0 &&
	    memcmp(lpub, kd.ls_pub, 32) == 0,
	    "its LeaseSet key is the one derived from the seed");
	privkey_wipe(&pk);
	check(sam_new(h, IMSG_KEY_DEST_GENERATE, 7, 4, &kd, &pk, &code) == 0 &&
	    kd.cryptotype == 4 && pk.crypto_privlen == 32 &&
	    memcmp(kd.ls_pub, pk.dest.crypto_pub, 32) == 0,
	    "DEST GENERATE crypto type 4: the Destination's X25519 key");
	privkey_wipe(&pk);
	check(sam_new(h, IMSG_KEY_DEST_GENERATE, 11, 0, &kd, &pk, &code) == -1 &&
	    code == KEY_ERR_UNSUPPORTED, "signature type 11 refused");
	check(sam_new(h, IMSG_KEY_DEST_GENERATE, 0, 0, &kd, &pk, &code) == -1 &&
	    code == KEY_ERR_UNSUPPORTED, "signature type 0 (DSA) refused");
	check(sam_new(h, IMSG_KEY_DEST_TRANSIENT, 7, 1, &kd, &pk, &code) == -1 &&
	    code == KEY_ERR_UNSUPPORTED, "crypto type 1 refused");
	crypto_wipe(lpriv, sizeof(lpriv));
}

/* transient keys: usable, private to tunneld, unlisted, never written */
static void
test_sam_transient(struct harness *h)
{
	struct key_dest	 kd, kd2;
	struct privkey	 pk, pk2;
	struct key_id	 id;
	uint32_t	 code;
	int		 files = count_key_files();

	memset(&kd, 0, sizeof(kd));
	if (sam_new(h, IMSG_KEY_DEST_TRANSIENT, 7, 0, &kd, &pk, &code) == -1)
		memset(&pk, 0, sizeof(pk));
	check(kd.keyid >= KEYID_TRANSIENT_MIN && kd.keyid != KEYID_NTCP2,
	    "a transient key, id %08x", kd.keyid);
	check(sam_key_works(h, kd.keyid, &pk, kd.ls_pub),
	    "KEY_SIGN and KEY_DH work with it");
	check(ask_error(h, PROC_ROUTERD, IMSG_KEY_SIGN, &kd.keyid, 4) ==
	    KEY_ERR_NOT_ALLOWED, "routerd may not use it");
	check(sam_new(h, IMSG_KEY_DEST_TRANSIENT, 7, 0, &kd2, &pk2, &code) == 0 &&
	    kd2.keyid > kd.keyid, "the next one gets a higher id");
	check(ask(h, PROC_TUNNELD, IMSG_KEY_DEST_LIST, NULL, 0, IMSG_KEY_END,
	    NULL, 0) == 0, "KEY_DEST_LIST does not list transient keys");
	check(count_key_files() == files, "no file written for them");
	id.keyid = kd.keyid;
	check(ask(h, PROC_TUNNELD, IMSG_KEY_DEST_DELETE, &id, sizeof(id),
	    IMSG_KEY_END, NULL, 0) == 0, "KEY_DEST_DELETE drops one");
	check(ask_error(h, PROC_TUNNELD, IMSG_KEY_SIGN, &kd.keyid, 4) ==
	    KEY_ERR_UNKNOWN_KEY, "it is gone");
	check(sam_key_works(h, kd2.keyid, &pk2, kd2.ls_pub),
	    "the other still works");
	check(sam_new(h, IMSG_KEY_DEST_TRANSIENT, 7, 0, &kd, &pk, &code) == 0 &&
	    kd.keyid > kd2.keyid, "a deleted key's id is not given again");
	privkey_wipe(&pk);
	privkey_wipe(&pk2);
}

/* a client's own key: checked, kept, and what comes back is public */
static void
test_sam_import(struct harness *h)
{
	struct key_dest	 kd, kd2;
	struct privkey	 pk;
	uint8_t		 priv[2048], dest[1024], lpriv[32], lpub[32];
	size_t		 destlen = sizeof(dest);
	uint32_t	 code;
	char		 msg[128];
	int		 n;

	if (sam_new(h, IMSG_KEY_DEST_GENERATE, 7, 0, &kd, &pk, &code) == -1 ||
	    (n = priv_bytes(&pk, priv, sizeof(priv))) == -1) {
		check(0, "a key to import");
		return;
	}
	check(sam_import(h, priv, n, &kd2, dest, &destlen, NULL) == 0 &&
	    kd2.keyid >= KEYID_TRANSIENT_MIN && destlen == pk.dest.rawlen &&
	    memcmp(dest, pk.dest.raw, destlen) == 0 &&
	    memcmp(kd2.ls_pub, kd.ls_pub, 32) == 0,
	    "an imported key: its Destination and the same LeaseSet key");
	check(sam_key_works(h, kd2.keyid, &pk, kd2.ls_pub),
	    "KEY_SIGN and KEY_DH work with the imported key");
	check(sam_import(h, priv, n - 1, &kd2, dest, &destlen, NULL) ==
	    KEY_ERR_BAD_KEY, "a truncated key: BAD_KEY");
	priv[n] = 0;
	check(sam_import(h, priv, n + 1, &kd2, dest, &destlen, NULL) ==
	    KEY_ERR_BAD_KEY, "a trailing byte: BAD_KEY");
	priv[n - 1] ^= 1;
	check(sam_import(h, priv, n, &kd2, dest, &destlen, msg) ==
	    KEY_ERR_BAD_KEY && strstr(msg, "does not match") != NULL,
	    "a seed not matching the Destination: %s", msg);
	priv[n - 1] ^= 1;
	memset(priv + n - 32, 0, 32);
	check(sam_import(h, priv, n, &kd2, dest, &destlen, msg) ==
	    KEY_ERR_UNSUPPORTED, "an offline signature: %s", msg);
	priv[388] = 11;		/* the certificate's signature type */
	check(sam_import(h, priv, n, &kd2, dest, &destlen, msg) ==
	    KEY_ERR_UNSUPPORTED, "signature type 11: %s", msg);
	check(privkey_ls_key(&pk, lpriv, lpub) == 0, "LeaseSet key");
	crypto_wipe(lpriv, sizeof(lpriv));
	crypto_wipe(priv, sizeof(priv));
	privkey_wipe(&pk);
}

/* several SAM sessions at once: each reply names its request */
static void
test_sam_pipelined(struct harness *h)
{
	struct key_dest_new	 req = { 7, 0 };
	struct imsg		 imsg;
	uint32_t		 i, ok = 0;

	for (i = 0; i < 4; i++)
		harness_send(h, PROC_TUNNELD, i % 2 ? IMSG_KEY_DEST_TRANSIENT :
		    IMSG_KEY_DEST_GENERATE, 7000 + i, &req, sizeof(req));
	for (i = 0; i < 4; i++) {
		if (harness_recv(h, PROC_TUNNELD, &imsg) == -1)
			break;
		ok += imsg.hdr.peerid == 7000 + i &&
		    imsg.hdr.type == IMSG_KEY_DEST_PRIV;
		imsg_free(&imsg);
	}
	check(ok == 4, "pipelined requests answered with their ids");
}

/* asked too fast: refused with LIMIT, and it refills */
static void
test_sam_rate(struct harness *h)
{
	struct key_dest	 kd;
	struct privkey	 pk;
	uint32_t	 code;
	int		 i, limited = 0;

	for (i = 0; i < 40 && !limited; i++) {
		if (sam_new(h, IMSG_KEY_DEST_GENERATE, 7, 0, &kd, &pk,
		    &code) == 0)
			privkey_wipe(&pk);
		else
			limited = code == KEY_ERR_LIMIT;
	}
	check(limited, "a burst of key requests is limited (after %d)", i);
	usleep(300000);
	check(sam_new(h, IMSG_KEY_DEST_GENERATE, 7, 0, &kd, &pk, &code) == 0,
	    "and allowed again a moment later");
	privkey_wipe(&pk);
}

/*
 * A key file named with an id in the transient range is not loaded:
 * that id belongs to the first transient key after the restart.
 */
static void
test_transient_range_file(struct harness *h, struct key_pub *pub)
{
	char	name[32];

	if (ask(h, PROC_TUNNELD, IMSG_KEY_DEST_CREATE, NULL, 0, IMSG_KEY_PUB,
	    pub, sizeof(*pub)) == -1) {
		check(0, "a destination key to copy");
		return;
	}
	snprintf(name, sizeof(name), KEYFILE_DEST_FMT, pub->keyid);
	check(copy_keyfile(name, "dest-80000000.key") == 0,
	    "%s copied to dest-80000000.key", name);
}

static void
test_transient_range(struct harness *h, const struct key_pub *pub)
{
	struct key_pub	 listed;
	struct key_dest	 kd;
	struct privkey	 pk;
	struct imsg	 end;
	uint32_t	 code;

	check(ask(h, PROC_TUNNELD, IMSG_KEY_DEST_LIST, NULL, 0, IMSG_KEY_PUB,
	    &listed, sizeof(listed)) == 0 && listed.keyid == pub->keyid,
	    "after a restart the list has the destination key");
	check(harness_recv(h, PROC_TUNNELD, &end) == 0 &&
	    end.hdr.type == IMSG_KEY_END, "and not the file in the transient "
	    "range");
	imsg_free(&end);
	memset(&pk, 0, sizeof(pk));
	check(sam_new(h, IMSG_KEY_DEST_TRANSIENT, 7, 0, &kd, &pk, &code) == 0 &&
	    kd.keyid == KEYID_TRANSIENT_MIN && sam_key_works(h, kd.keyid, &pk,
	    kd.ls_pub) && memcmp(pk.dest.sign_pub, pub->sign_pub, 32) != 0,
	    "its id is the first transient key's, with the new key");
	privkey_wipe(&pk);
}

/* cryptod must exit non-zero before it reports ready */
static int
start_fails(void)
{
	struct harness	h;
	int		status;

	if (harness_start(&h, prog, statedir) == 0) {
		harness_stop(&h);
		return 0;
	}
	status = harness_stop(&h);
	return WIFEXITED(status) && WEXITSTATUS(status) != 0;
}

static void
test_bad_files(void)
{
	char	path[CONF_PATHLEN + 64];
	int	fd;

	/* the reseed key first, then it goes: the router key's turn */
	snprintf(path, sizeof(path), "%s/%s", keydir, RESEEDKEY_FILE);
	chmod(path, 0640);
	check(start_fails(), "a reseed key readable by others stops cryptod");
	chmod(path, 0600);
	if ((fd = open(path, O_WRONLY)) == -1 ||
	    pwrite(fd, "!!!!", 4, 100) != 4)
		check(0, "cannot corrupt %s", path);
	close(fd);
	check(start_fails(), "a corrupt reseed key stops cryptod");
	unlink(path);

	/* a corrupt NTCP2 key is not silently replaced either */
	snprintf(path, sizeof(path), "%s/%s", keydir, KEYFILE_NTCP2);
	chmod(path, 0644);
	check(start_fails(), "an NTCP2 key readable by others stops cryptod");
	chmod(path, 0600);
	if ((fd = open(path, O_WRONLY)) == -1 || pwrite(fd, "X", 1, 50) != 1)
		check(0, "cannot corrupt %s", path);
	close(fd);
	check(start_fails(), "a corrupt NTCP2 key stops cryptod");
	unlink(path);
	check(copy_keyfile(KEYFILE_ROUTER, KEYFILE_NTCP2) == 0 && start_fails(),
	    "router.key copied to ntcp2.key stops cryptod (wrong kind)");
	unlink(path);

	snprintf(path, sizeof(path), "%s/%s", keydir, KEYFILE_ROUTER);
	chmod(path, 0644);
	check(start_fails(), "a key file readable by others stops "
	    "cryptod");
	chmod(path, 0600);
	if ((fd = open(path, O_WRONLY)) == -1 || pwrite(fd, "X", 1, 40) != 1)
		check(0, "cannot corrupt %s", path);
	close(fd);
	check(start_fails(), "a corrupt key file stops cryptod");
	if (truncate(path, 100) == -1)
		check(0, "cannot truncate %s", path);
	check(start_fails(), "a truncated key file stops cryptod");
}

/* the reseed signature and certificate; the certificate's PEM in pem */
static int
reseed_req(struct harness *h, const char *signer, const uint8_t digest[64],
    uint8_t sig[512], char *pem, size_t pemlen)
{
	static uint32_t		 reqid = 1000;
	struct key_reseed_req	 req;
	struct imsg		 imsg;
	size_t			 n;
	int			 rv = -1;

	memset(&req, 0, sizeof(req));
	strlcpy(req.signer, signer, sizeof(req.signer));
	req.sign = 1;
	memcpy(req.digest, digest, 64);
	if (harness_send(h, PROC_ROUTERD, IMSG_KEY_RESEED_SIGN, ++reqid, &req,
	    sizeof(req)) == -1 || harness_recv(h, PROC_ROUTERD, &imsg) == -1)
		return -1;
	if (seenlen + imsg.datalen <= sizeof(seen)) {
		memcpy(seen + seenlen, imsg.data, imsg.datalen);
		seenlen += imsg.datalen;
	}
	n = imsg.datalen - 512;
	if (imsg.hdr.type == IMSG_KEY_RESEED && imsg.hdr.peerid == reqid &&
	    imsg.datalen > 512 && n < pemlen) {
		memcpy(sig, imsg.data, 512);
		memcpy(pem, (uint8_t *)imsg.data + 512, n);
		pem[n] = '\0';
		rv = 0;
	}
	imsg_free(&imsg);
	return rv;
}

/* raw RSA verification of digest with the certificate's key */
static int
reseed_sig_ok(const char *pem, const uint8_t digest[64],
    const uint8_t sig[512], const char *cn)
{
	BIO		*bio = BIO_new_mem_buf(pem, -1);
	X509		*x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	EVP_PKEY_CTX	*ctx;
	char		 name[128];
	int		 ok;

	BIO_free(bio);
	if (x == NULL)
		return 0;
	ctx = EVP_PKEY_CTX_new(X509_get0_pubkey(x), NULL);
	ok = ctx != NULL && EVP_PKEY_verify_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_verify(ctx, sig, 512, digest, 64) == 1 &&
	    X509_NAME_get_text_by_NID(X509_get_subject_name(x),
	    NID_commonName, name, sizeof(name)) > 0 && strcmp(name, cn) == 0;
	EVP_PKEY_CTX_free(ctx);
	X509_free(x);
	return ok;
}

/* the private exponent of keys/reseed.key, for the custody check */
static size_t
reseed_private(uint8_t *d, size_t len)
{
	char		 path[CONF_PATHLEN + 64];
	EVP_PKEY	*k = NULL;
	BIGNUM		*bn = NULL;
	FILE		*f;
	size_t		 n = 0;

	snprintf(path, sizeof(path), "%s/%s", keydir, RESEEDKEY_FILE);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (k != NULL && EVP_PKEY_get_bn_param(k, "d", &bn) == 1 &&
	    (size_t)BN_num_bytes(bn) <= len)
		n = BN_bn2bin(bn, d);
	BN_clear_free(bn);
	EVP_PKEY_free(k);
	return n;
}

static void
test_reseed_key(struct harness *h, char *pem, size_t pemlen)
{
	struct key_reseed_req	req;
	uint8_t			digest[64], sig[512];
	char			pem2[KEY_RESEED_CERT_MAX + 1];

	check(!key_file_exists(RESEEDKEY_FILE), "no reseed key before use");
	memset(digest, 0x5a, sizeof(digest));
	check(reseed_req(h, "ops@mail.i2p", digest, sig, pem, pemlen) == 0,
	    "routerd gets a reseed signature and certificate");
	check(reseed_sig_ok(pem, digest, sig, "ops@mail.i2p"),
	    "the signature verifies with the certificate (raw PKCS#1 v1.5)");
	check(file_mode_ok(RESEEDKEY_FILE), "reseed.key created 0600, ours");
	check(reseed_req(h, "ops@mail.i2p", digest, sig, pem2,
	    sizeof(pem2)) == 0 && strcmp(pem, pem2) == 0,
	    "the same signer keeps its certificate");
	check(reseed_req(h, "other@mail.i2p", digest, sig, pem2,
	    sizeof(pem2)) == 0 && reseed_sig_ok(pem2, digest, sig,
	    "other@mail.i2p"), "a new signer ID gets a new certificate");
	check(reseed_req(h, "ops@mail.i2p", digest, sig, pem,
	    pemlen) == 0, "and back");
	memset(&req, 0, sizeof(req));
	strlcpy(req.signer, "bad signer", sizeof(req.signer));
	check(ask_error(h, PROC_ROUTERD, IMSG_KEY_RESEED_SIGN, &req,
	    sizeof(req)) == KEY_ERR_BAD_REQUEST, "a malformed signer ID is "
	    "refused");
}

static void
test_malformed(struct harness *h)
{
	uint8_t	junk[10] = { 0 };
	int	status;

	harness_send(h, PROC_NETD, IMSG_KEY_DH, 1, junk, sizeof(junk));
	status = harness_stop(h);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 1,
	    "a malformed request from a sibling is fatal to cryptod");
}

int
main(int argc, char *argv[])
{
	struct harness	h;
	struct key	rk = { 0 }, rk2 = { 0 }, nk = { 0 }, nk2 = { 0 };
	struct key_pub	dpub;
	char		tmpl[] = "/tmp/cryptod-test.XXXXXX";
	char		pem[KEY_RESEED_CERT_MAX + 1], pem2[sizeof(pem)];
	uint8_t		d[512], digest[64], sig[512];
	size_t		dlen;

	if (argc != 2) {
		fprintf(stderr, "usage: cryptod_test BUILD_DIR\n");
		return 1;
	}
	snprintf(prog, sizeof(prog), "%s/i2prd-cryptod", argv[1]);
	if (mkdtemp(tmpl) == NULL)
		return 1;
	strlcpy(statedir, tmpl, sizeof(statedir));
	snprintf(keydir, sizeof(keydir), "%s/keys", statedir);
	mkdir(keydir, 0700);

	check(harness_start(&h, prog, statedir) == 0, "cryptod starts");
	check(file_mode_ok(KEYFILE_ROUTER), "router.key created 0600, ours");
	check(read_keyfile(KEYFILE_ROUTER, &rk) == 0, "router.key decodes");
	test_router_key(&h, &rk);
	test_ntcp2_key(&h, &rk, &nk);
	test_policy(&h);
	test_dest_keys(&h);
	test_reseed_key(&h, pem, sizeof(pem));
	test_sam_generate(&h);
	test_sam_transient(&h);
	test_sam_import(&h);
	test_sam_pipelined(&h);
	test_sam_rate(&h);
	test_transient_range_file(&h, &dpub);
	check(!contains(rk.sign_seed, 32) && !contains(rk.crypto_priv, 32),
	    "no reply carried the router's private keys (%zu bytes seen)",
	    seenlen);
	check(!contains(nk.crypto_priv, 32),
	    "no reply carried the NTCP2 private key");
	check((dlen = reseed_private(d, sizeof(d))) > 256 &&
	    !contains(d, dlen), "no reply carried the reseed private key");
	check(WEXITSTATUS(harness_stop(&h)) == 0, "cryptod exits 0 on EOF");

	check(harness_start(&h, prog, statedir) == 0 &&
	    read_keyfile(KEYFILE_ROUTER, &rk2) == 0 &&
	    memcmp(rk.sign_pub, rk2.sign_pub, 32) == 0,
	    "restart keeps the router identity");
	check(read_keyfile(KEYFILE_NTCP2, &nk2) == 0 &&
	    memcmp(nk.crypto_pub, nk2.crypto_pub, 32) == 0,
	    "restart keeps the NTCP2 static key");
	memset(digest, 0xa5, sizeof(digest));
	check(reseed_req(&h, "ops@mail.i2p", digest, sig, pem2,
	    sizeof(pem2)) == 0 && strcmp(pem, pem2) == 0 &&
	    reseed_sig_ok(pem, digest, sig, "ops@mail.i2p"),
	    "restart keeps the reseed key and certificate");
	test_transient_range(&h, &dpub);
	test_malformed(&h);
	test_upgrade(&rk);
	test_bad_files();
	ed25519_key_free(rk.signer);
	ed25519_key_free(rk2.signer);
	crypto_wipe(&rk, sizeof(rk));
	crypto_wipe(&rk2, sizeof(rk2));
	crypto_wipe(&nk, sizeof(nk));
	crypto_wipe(&nk2, sizeof(nk2));

	if (fork() == 0) {
		execlp("rm", "rm", "-rf", statedir, (char *)NULL);
		_exit(1);
	}
	wait(NULL);
	printf("cryptod: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
