/*
 * Key custody, tested against the real i2prd-cryptod over its links:
 * the identity is created 0600 and kept across restarts, signatures
 * and DH outputs are right, each process gets only the keys its role
 * needs, bad requests get error replies, corrupt or exposed key files
 * stop cryptod, and no reply ever carries private key bytes.
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
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "harness.h"
#include "../../cryptod/keystore.h"

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

static int
read_keyfile(const char *name, struct key *k)
{
	char		 path[CONF_PATHLEN + 64];
	uint8_t		 buf[KEYFILE_LEN + 1];
	const char	*why;
	ssize_t		 n;
	int		 fd;

	snprintf(path, sizeof(path), "%s/%s", keydir, name);
	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n < 0 ? -1 : keyfile_decode(k, buf, n, &why);
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

static int
contains(const uint8_t *needle, size_t len)
{
	size_t	i;

	for (i = 0; i + len <= seenlen; i++)
		if (memcmp(seen + i, needle, len) == 0)
			return 1;
	return 0;
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
	check(ask(h, PROC_NETD, IMSG_KEY_DH, &dh, sizeof(dh),
	    IMSG_KEY_DH_RESULT, &res, sizeof(res)) == 0 &&
	    memcmp(res.shared, expect, 32) == 0,
	    "netd: static-key DH equals the peer's side");
	check(ask(h, PROC_ROUTERD, IMSG_KEY_DH, &dh, sizeof(dh),
	    IMSG_KEY_DH_RESULT, &res, sizeof(res)) == 0,
	    "routerd: static-key DH (tunnel build records)");
}

static void
test_policy(struct harness *h)
{
	struct key_dh_req	dh;
	uint8_t			req[8] = { 0 };

	check(ask_error(h, PROC_NETD, IMSG_KEY_SIGN, req, sizeof(req)) ==
	    KEY_ERR_NOT_ALLOWED, "netd may not sign with the router key");
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
	check(ask_error(h, PROC_NETD, IMSG_KEY_DH, &dh, sizeof(dh)) ==
	    KEY_ERR_CRYPTO, "DH with a low-order point: error reply");
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
	    &pub, sizeof(pub)) == 0 && pub.keyid != KEYID_ROUTER,
	    "tunneld creates a destination key");
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
	check(ask(h, PROC_TUNNELD, IMSG_KEY_DEST_LIST, NULL, 0, IMSG_KEY_END,
	    NULL, 0) == 0, "list is empty again");
	check(!contains(dk.sign_seed, 32) && !contains(dk.crypto_priv, 32),
	    "no reply carried the destination's private keys");
	ed25519_key_free(dk.signer);
	crypto_wipe(&dk, sizeof(dk));
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
	struct key	rk = { 0 }, rk2 = { 0 };
	char		tmpl[] = "/tmp/cryptod-test.XXXXXX";

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
	test_policy(&h);
	test_dest_keys(&h);
	check(!contains(rk.sign_seed, 32) && !contains(rk.crypto_priv, 32),
	    "no reply carried the router's private keys (%zu bytes seen)",
	    seenlen);
	check(WEXITSTATUS(harness_stop(&h)) == 0, "cryptod exits 0 on EOF");

	check(harness_start(&h, prog, statedir) == 0 &&
	    read_keyfile(KEYFILE_ROUTER, &rk2) == 0 &&
	    memcmp(rk.sign_pub, rk2.sign_pub, 32) == 0,
	    "restart keeps the router identity");
	test_malformed(&h);
	test_bad_files();
	ed25519_key_free(rk.signer);
	ed25519_key_free(rk2.signer);
	crypto_wipe(&rk, sizeof(rk));
	crypto_wipe(&rk2, sizeof(rk2));

	if (fork() == 0) {
		execlp("rm", "rm", "-rf", statedir, (char *)NULL);
		_exit(1);
	}
	wait(NULL);
	printf("cryptod: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
