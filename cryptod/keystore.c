/*
 * Key files.  Each holds one key set in a fixed binary layout:
 *
 *	"I2PRDK01"	magic and format version	8
 *	kind		1 router, 2 destination,	1
 *			3 NTCP2 static key
 *	sigtype		7 (Ed25519), big-endian		2
 *	cryptotype	4 (X25519), big-endian		2
 *	sign seed	Ed25519 private key		32
 *	crypto priv	X25519 private key		32
 *	padding		identity padding block		32
 *	check		SHA-256 of all of the above	32
 *
 * An NTCP2 static key (ntcp2.key) uses the X25519 field alone; its sign
 * seed and padding are zero.  It is not the identity's X25519 key, which
 * opens build records and garlic to the router: netd does its handshake
 * DH with this one (audit #9).
 *
 * The check catches truncation and bit rot; a corrupt file stops
 * cryptod with a clear message instead of becoming a new identity
 * silently.  Files are mode 0600, owned by the user cryptod runs as,
 * and written atomically (temporary file, fsync, rename, fsync dir).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "file.h"
#include "log.h"
#include "keystore.h"
#include "privkey.h"

#define SIGTYPE_ED25519		7
#define CRYPTOTYPE_X25519	4
#define KEYFILE_BODY_LEN	(KEYFILE_LEN - SHA256_LEN)

static struct keylist	keys = TAILQ_HEAD_INITIALIZER(keys);
/* the next transient key id: counted up, never given twice */
static uint32_t		next_transient = KEYID_TRANSIENT_MIN;

int
keyfile_encode(const struct key *k, uint8_t out[KEYFILE_LEN])
{
	struct wbuf	w;

	wbuf_init_fixed(&w, out, KEYFILE_LEN);
	wbuf_put_bytes(&w, KEYFILE_MAGIC, 8);
	wbuf_put_u8(&w, k->kind);
	wbuf_put_u16(&w, k->sigtype);
	wbuf_put_u16(&w, k->cryptotype);
	wbuf_put_bytes(&w, k->sign_seed, 32);
	wbuf_put_bytes(&w, k->crypto_priv, 32);
	wbuf_put_bytes(&w, k->padding, 32);
	if (wbuf_error(&w) || wbuf_len(&w) != KEYFILE_BODY_LEN)
		return -1;
	if (sha256(out + KEYFILE_BODY_LEN, out, KEYFILE_BODY_LEN) == -1)
		return -1;
	return 0;
}

/* fills in the public halves and the signer from the private keys */
static int
key_derive(struct key *k)
{
	if (x25519_public(k->crypto_pub, k->crypto_priv) == -1)
		return -1;
	if (k->kind == KEY_KIND_NTCP2)
		return 0;
	if (ed25519_public(k->sign_pub, k->sign_seed) == -1)
		return -1;
	ed25519_key_free(k->signer);
	if ((k->signer = ed25519_key_new(k->sign_seed)) == NULL)
		return -1;
	return 0;
}

int
keyfile_decode(struct key *k, const uint8_t *data, size_t len,
    const char **why)
{
	uint8_t		magic[8], check[SHA256_LEN], kind;
	struct rbuf	r;

	/* k is overwritten; its signer is the caller's to free after */
	memset(k, 0, sizeof(*k));
	*why = "truncated or oversized";
	if (len != KEYFILE_LEN)
		return -1;
	*why = "checksum mismatch (corrupt)";
	if (sha256(check, data, KEYFILE_BODY_LEN) == -1 ||
	    crypto_memcmp(check, data + KEYFILE_BODY_LEN, SHA256_LEN) != 0)
		return -1;
	rbuf_init(&r, data, KEYFILE_BODY_LEN);
	rbuf_get_bytes(&r, magic, sizeof(magic));
	rbuf_get_u8(&r, &kind);
	rbuf_get_u16(&r, &k->sigtype);
	rbuf_get_u16(&r, &k->cryptotype);
	rbuf_get_bytes(&r, k->sign_seed, 32);
	rbuf_get_bytes(&r, k->crypto_priv, 32);
	rbuf_get_bytes(&r, k->padding, 32);
	if (rbuf_end(&r) == -1)
		return -1;
	*why = "not an i2prd key file";
	if (memcmp(magic, KEYFILE_MAGIC, sizeof(magic)) != 0)
		return -1;
	*why = "unknown key kind";
	if (kind != KEY_KIND_ROUTER && kind != KEY_KIND_DEST &&
	    kind != KEY_KIND_NTCP2)
		return -1;
	k->kind = kind;
	*why = "unsupported signature or crypto type";
	if (k->sigtype != SIGTYPE_ED25519 || k->cryptotype != CRYPTOTYPE_X25519)
		return -1;
	*why = "bad key";
	return key_derive(k);
}

static void
key_free(struct key *k)
{
	ed25519_key_free(k->signer);
	crypto_wipe(k, sizeof(*k));
	free(k);
}

static struct key *
key_generate(enum key_kind kind, uint32_t keyid)
{
	struct key	*k;

	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->keyid = keyid;
	k->kind = kind;
	k->sigtype = SIGTYPE_ED25519;
	k->cryptotype = CRYPTOTYPE_X25519;
	if (x25519_keygen(k->crypto_priv, k->crypto_pub) == -1 ||
	    (kind != KEY_KIND_NTCP2 &&
	    (ed25519_keygen(k->sign_seed, k->sign_pub) == -1 ||
	    crypto_random(k->padding, sizeof(k->padding)) == -1)) ||
	    key_derive(k) == -1) {
		key_free(k);
		return NULL;
	}
	return k;
}


static int
keyfile_write(const char *path, const struct key *k)
{
	uint8_t	buf[KEYFILE_LEN];
	int	rv = -1;

	if (keyfile_encode(k, buf) == 0)
		rv = file_write_atomic(path, buf, sizeof(buf), 0600,
		    FILE_SYNC_DIR);
	crypto_wipe(buf, sizeof(buf));
	return rv;
}

/*
 * Reads at most cap bytes of a file that must be regular, ours and,
 * if secret, mode 0600; -1 with a reason, or *len bytes (cap + 1 read
 * means larger than cap).
 */
int
keystore_read_file(const char *path, uint8_t *buf, size_t cap, size_t *len,
    int secret, char *errbuf, size_t errlen)
{
	struct stat	 st;
	ssize_t		 n = 0;
	int		 fd, rv = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(errbuf, errlen, "%s: not a regular file", path);
		goto out;
	}
	if (secret && ((st.st_mode & 0077) != 0 || st.st_uid != geteuid())) {
		snprintf(errbuf, errlen, "%s: mode %04o owner %u: must be 0600 "
		    "and owned by uid %u", path, (unsigned)(st.st_mode & 07777),
		    (unsigned)st.st_uid, (unsigned)geteuid());
		goto out;
	}
	for (*len = 0; *len < cap + 1; *len += n)
		if ((n = read(fd, buf + *len, cap + 1 - *len)) <= 0)
			break;
	if (n == -1) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	rv = 0;
out:
	close(fd);
	return rv;
}

/* reads a key file, refusing one that others could read or replace */
static int
keyfile_read(const char *path, struct key *k, char *errbuf, size_t len)
{
	uint8_t		 buf[KEYFILE_LEN + 1];
	const char	*why;
	size_t		 n;
	int		 rv = -1;

	if (keystore_read_file(path, buf, KEYFILE_LEN, &n, 1, errbuf,
	    len) == -1)
		goto out;
	if (keyfile_decode(k, buf, n, &why) == -1) {
		snprintf(errbuf, len, "%s: %s", path, why);
		goto out;
	}
	rv = 0;
out:
	crypto_wipe(buf, sizeof(buf));
	return rv;
}

/*
 * A key of its own file (router.key, ntcp2.key): read, or made when the
 * file does not exist.  A file that exists but cannot be read or is of
 * another kind stops cryptod rather than being replaced.
 */
static int
keystore_load_fixed(const char *path, enum key_kind kind, uint32_t keyid,
    const char *what, char *errbuf, size_t len)
{
	struct key	*k;

	if ((k = calloc(1, sizeof(*k))) == NULL)
		fatal(NULL);
	if (access(path, F_OK) == -1 && errno == ENOENT) {
		free(k);
		if ((k = key_generate(kind, keyid)) == NULL ||
		    keyfile_write(path, k) == -1) {
			snprintf(errbuf, len, "%s: cannot create: %s", path,
			    strerror(errno));
			if (k != NULL)
				key_free(k);
			return -1;
		}
		log_info("created a new %s in %s", what, path);
	} else if (keyfile_read(path, k, errbuf, len) == -1 ||
	    k->kind != kind) {
		if (k->kind != kind && errbuf[0] == '\0')
			snprintf(errbuf, len, "%s: wrong kind of key", path);
		key_free(k);
		return -1;
	}
	k->keyid = keyid;
	TAILQ_INSERT_TAIL(&keys, k, entry);
	return 0;
}

/* dest-XXXXXXXX.key: the hex digits are the key id */
static int
keyfile_dest_id(const char *name, uint32_t *keyid)
{
	unsigned int	id;
	char		check[32];

	if (sscanf(name, "dest-%8x.key", &id) != 1 || id == KEYID_ROUTER ||
	    id == KEYID_NTCP2)
		return -1;
	snprintf(check, sizeof(check), KEYFILE_DEST_FMT, id);
	if (strcmp(check, name) != 0)
		return -1;
	*keyid = id;
	return 0;
}

static int
keystore_load_dests(char *errbuf, size_t len)
{
	DIR		*dir;
	struct dirent	*de;
	struct key	*k;
	uint32_t	 keyid;
	int		 n = 0, rv = 0;

	if ((dir = opendir(".")) == NULL) {
		snprintf(errbuf, len, "key directory: %s", strerror(errno));
		return -1;
	}
	while (rv == 0 && (de = readdir(dir)) != NULL) {
		if (keyfile_dest_id(de->d_name, &keyid) == -1)
			continue;
		/* not ours: those ids are handed out to transient keys */
		if (keyid >= KEYID_TRANSIENT_MIN) {
			log_warnx("%s: id in the transient range, ignored",
			    de->d_name);
			continue;
		}
		if (++n > KEYSTORE_MAX_DESTS) {
			snprintf(errbuf, len, "more than %d destination keys",
			    KEYSTORE_MAX_DESTS);
			rv = -1;
			break;
		}
		if ((k = calloc(1, sizeof(*k))) == NULL)
			fatal(NULL);
		if (keyfile_read(de->d_name, k, errbuf, len) == -1 ||
		    k->kind != KEY_KIND_DEST) {
			if (errbuf[0] == '\0')
				snprintf(errbuf, len, "%s: not a destination "
				    "key", de->d_name);
			key_free(k);
			rv = -1;
			break;
		}
		k->keyid = keyid;
		TAILQ_INSERT_TAIL(&keys, k, entry);
	}
	closedir(dir);
	return rv;
}

int
keystore_open(char *errbuf, size_t len)
{
	errbuf[0] = '\0';
	if (keystore_load_fixed(KEYFILE_ROUTER, KEY_KIND_ROUTER, KEYID_ROUTER,
	    "router identity", errbuf, len) == -1 ||
	    keystore_load_fixed(KEYFILE_NTCP2, KEY_KIND_NTCP2, KEYID_NTCP2,
	    "NTCP2 static key", errbuf, len) == -1 ||
	    keystore_load_dests(errbuf, len) == -1) {
		keystore_close();
		return -1;
	}
	return 0;
}

struct key *
keystore_get(uint32_t keyid)
{
	struct key	*k;

	TAILQ_FOREACH(k, &keys, entry)
		if (k->keyid == keyid)
			return k;
	return NULL;
}

/* destinations count up from 1; KEYID_NTCP2 is the top of the range */
static uint32_t
keystore_next_id(void)
{
	struct key	*k;
	uint32_t	 max = KEYID_ROUTER;

	TAILQ_FOREACH(k, &keys, entry)
		if (k->kind == KEY_KIND_DEST && k->keyid > max)
			max = k->keyid;
	return max + 1;
}

struct key *
keystore_create_dest(char *errbuf, size_t len)
{
	struct key	*k;
	char		 path[32];
	int		 n = 0;

	TAILQ_FOREACH(k, &keys, entry)
		n += k->kind == KEY_KIND_DEST;
	if (n >= KEYSTORE_MAX_DESTS) {
		snprintf(errbuf, len, "at most %d destination keys",
		    KEYSTORE_MAX_DESTS);
		return NULL;
	}
	if (keystore_next_id() >= KEYID_TRANSIENT_MIN) {
		snprintf(errbuf, len, "destination key ids used up");
		return NULL;
	}
	if ((k = key_generate(KEY_KIND_DEST, keystore_next_id())) == NULL) {
		snprintf(errbuf, len, "key generation failed");
		return NULL;
	}
	snprintf(path, sizeof(path), KEYFILE_DEST_FMT, k->keyid);
	if (keyfile_write(path, k) == -1) {
		snprintf(errbuf, len, "%s: %s", path, strerror(errno));
		key_free(k);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&keys, k, entry);
	return k;
}

int
keystore_delete(uint32_t keyid)
{
	struct key	*k;
	char		 path[32], aside[64];

	if ((k = keystore_get(keyid)) != NULL && k->kind == KEY_KIND_TRANSIENT) {
		TAILQ_REMOVE(&keys, k, entry);
		key_free(k);
		return 0;
	}
	if (k == NULL || k->kind != KEY_KIND_DEST) {
		errno = ENOENT;
		return -1;
	}
	snprintf(path, sizeof(path), KEYFILE_DEST_FMT, keyid);
	/*
	 * Set aside, never unlinked: a destination's key is its address,
	 * and a compromised tunneld must not be able to destroy it for
	 * good (audit #20).  The operator removes *.deleted files; the
	 * loader ignores them.
	 */
	snprintf(aside, sizeof(aside), "%s.deleted.%lld", path,
	    (long long)time(NULL));
	if (rename(path, aside) == -1)
		return -1;
	TAILQ_REMOVE(&keys, k, entry);
	key_free(k);
	return 0;
}

static int
transient_count(void)
{
	struct key	*k;
	int		 n = 0;

	TAILQ_FOREACH(k, &keys, entry)
		n += k->kind == KEY_KIND_TRANSIENT;
	return n;
}

int
keystore_transient_room(void)
{
	return transient_count() < KEY_TRANSIENT_MAX &&
	    next_transient != KEYID_NTCP2;
}

struct key *
keystore_add_transient(const struct privkey *pk, char *errbuf, size_t len)
{
	struct key	*k;

	if (transient_count() >= KEY_TRANSIENT_MAX) {
		snprintf(errbuf, len, "at most %d transient destination keys",
		    KEY_TRANSIENT_MAX);
		return NULL;
	}
	/* never wrap: tunneld may still name an old id */
	if (next_transient == KEYID_NTCP2) {
		snprintf(errbuf, len, "transient key ids used up");
		return NULL;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		snprintf(errbuf, len, "out of memory");
		return NULL;
	}
	k->keyid = next_transient;
	k->kind = KEY_KIND_TRANSIENT;
	k->sigtype = SIGTYPE_ED25519;
	k->cryptotype = CRYPTOTYPE_X25519;	/* the DH key's */
	memcpy(k->sign_seed, pk->sign_seed, sizeof(k->sign_seed));
	if (privkey_ls_key(pk, k->crypto_priv, k->crypto_pub) == -1 ||
	    key_derive(k) == -1) {
		snprintf(errbuf, len, "bad key");
		key_free(k);
		return NULL;
	}
	next_transient++;
	TAILQ_INSERT_TAIL(&keys, k, entry);
	return k;
}

const struct keylist *
keystore_list(void)
{
	return &keys;
}

void
keystore_close(void)
{
	struct key	*k;

	while ((k = TAILQ_FIRST(&keys)) != NULL) {
		TAILQ_REMOVE(&keys, k, entry);
		key_free(k);
	}
}

void
key_to_pub(const struct key *k, struct key_pub *pub)
{
	memset(pub, 0, sizeof(*pub));
	pub->keyid = k->keyid;
	pub->sigtype = k->sigtype;
	pub->cryptotype = k->cryptotype;
	memcpy(pub->sign_pub, k->sign_pub, sizeof(pub->sign_pub));
	memcpy(pub->crypto_pub, k->crypto_pub, sizeof(pub->crypto_pub));
	memcpy(pub->padding, k->padding, sizeof(pub->padding));
}
