/*
 * The reseed signing key and its certificate.  The key is created the
 * first time an operator exports a reseed file, not at start: most
 * routers never serve reseeds, and RSA-4096 generation takes a good
 * part of a second, during which cryptod answers nobody else.
 *
 * The certificate is self-signed, as every reseed signer's is: its
 * common name is the signer ID that su3 files name and readers look
 * up (i2pd by the CN, the Java router by the file name derived from
 * it).  It is issued again, for the same key, when the signer ID in
 * the configuration changes or it nears its end.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "crypto.h"
#include "file.h"
#include "keystore.h"
#include "log.h"
#include "reseedkey.h"

#define KEYFILE_PEM_MAX		8192
#define CERTFILE_PEM_MAX	8192

static EVP_PKEY	*key;
static X509	*cert;

EVP_PKEY *
reseedkey_generate(void)
{
	return EVP_RSA_gen(4096);
}

static int
name_add(X509_NAME *name, const char *field, const char *value)
{
	return X509_NAME_add_entry_by_txt(name, field, MBSTRING_ASC,
	    (const unsigned char *)value, -1, -1, 0);
}

X509 *
reseedkey_certify(EVP_PKEY *k, const char *cn, time_t now)
{
	X509		*x;
	X509_NAME	*name;
	uint8_t		 serial[8];
	BIGNUM		*bn;
	int		 ok;

	if ((x = X509_new()) == NULL)
		return NULL;
	crypto_random_fill(serial, sizeof(serial));
	serial[0] &= 0x7f;			/* positive */
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	name = X509_get_subject_name(x);
	ok = bn != NULL && X509_set_version(x, X509_VERSION_3) &&
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL &&
	    /* a day's slack for readers whose clocks lag */
	    X509_time_adj_ex(X509_getm_notBefore(x), -1, 0, &now) != NULL &&
	    X509_time_adj_ex(X509_getm_notAfter(x), 365 * RESEEDCERT_YEARS,
	    0, &now) != NULL &&
	    name_add(name, "O", "I2P Anonymous Network") &&
	    name_add(name, "OU", "I2P") && name_add(name, "CN", cn) &&
	    X509_set_issuer_name(x, name) && X509_set_pubkey(x, k) &&
	    X509_sign(x, k, EVP_sha512()) > 0;
	BN_free(bn);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* "raw" RSA: PKCS#1 v1.5 padding around the bare digest (NONEwithRSA) */
int
reseedkey_sign(EVP_PKEY *k, const uint8_t digest[64], uint8_t sig[512])
{
	EVP_PKEY_CTX	*ctx;
	size_t		 siglen = 512;
	int		 ok;

	if (EVP_PKEY_get_size(k) != 512 ||
	    (ctx = EVP_PKEY_CTX_new(k, NULL)) == NULL)
		return -1;
	ok = EVP_PKEY_sign_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_sign(ctx, sig, &siglen, digest, 64) == 1 &&
	    siglen == 512;
	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -1;
}

char *
reseedkey_cert_pem(X509 *x, size_t *len)
{
	BIO		*bio;
	char		*pem = NULL, *p;
	long		 n;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (PEM_write_bio_X509(bio, x) == 1 &&
	    (n = BIO_get_mem_data(bio, &p)) > 0 &&
	    (pem = malloc(n)) != NULL) {
		memcpy(pem, p, n);
		*len = n;
	}
	BIO_free(bio);
	return pem;
}

/* PEM in a file of ours; NULL with a reason */
static BIO *
read_pem(const char *path, int secret, size_t cap, uint8_t *buf,
    char *errbuf, size_t errlen)
{
	size_t	len;

	if (keystore_read_file(path, buf, cap, &len, secret, errbuf,
	    errlen) == -1)
		return NULL;
	if (len > cap) {
		snprintf(errbuf, errlen, "%s: too large", path);
		return NULL;
	}
	return BIO_new_mem_buf(buf, len);
}

int
reseedkey_open(char *errbuf, size_t errlen)
{
	uint8_t	buf[KEYFILE_PEM_MAX + 1];
	BIO	*bio;
	int	rv = -1;

	if (access(RESEEDKEY_FILE, F_OK) == -1)
		return 0;		/* none yet: made on first use */
	if ((bio = read_pem(RESEEDKEY_FILE, 1, KEYFILE_PEM_MAX, buf, errbuf,
	    errlen)) == NULL)
		goto out;
	key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (key == NULL || !EVP_PKEY_is_a(key, "RSA") ||
	    EVP_PKEY_get_bits(key) != 4096) {
		snprintf(errbuf, errlen, "%s: not an RSA-4096 private key",
		    RESEEDKEY_FILE);
		EVP_PKEY_free(key);
		key = NULL;
		goto out;
	}
	rv = 0;
	/* the certificate is public and can always be issued again */
	if ((bio = read_pem(RESEEDCERT_FILE, 0, CERTFILE_PEM_MAX, buf, errbuf,
	    errlen)) != NULL) {
		cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		BIO_free(bio);
		if (cert != NULL && X509_check_private_key(cert, key) != 1) {
			X509_free(cert);
			cert = NULL;
		}
	}
out:
	crypto_wipe(buf, sizeof(buf));
	return rv;
}

static int
save_key(EVP_PKEY *k, char *errbuf, size_t errlen)
{
	BIO	*bio;
	char	*p;
	long	 n;
	int	 rv = -1;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return -1;
	if (PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL) == 1 &&
	    (n = BIO_get_mem_data(bio, &p)) > 0) {
		rv = file_write_atomic(RESEEDKEY_FILE, p, n, 0600, FILE_SYNC_DIR);
		crypto_wipe(p, n);
	}
	BIO_free(bio);
	if (rv == -1)
		snprintf(errbuf, errlen, "cannot write %s", RESEEDKEY_FILE);
	return rv;
}

/* the certificate names signer and is good for a while yet */
static int
cert_current(X509 *x, const char *signer, time_t now)
{
	char	cn[256];
	time_t	soon = now + RESEEDCERT_RENEW;

	return x != NULL && X509_NAME_get_text_by_NID(X509_get_subject_name(x),
	    NID_commonName, cn, sizeof(cn)) > 0 && strcmp(cn, signer) == 0 &&
	    X509_cmp_time(X509_get0_notAfter(x), &soon) > 0;
}

static int
issue_cert(const char *signer, time_t now, char *errbuf, size_t errlen)
{
	X509	*x;
	char	*pem;
	size_t	 len;
	int	 rv;

	if ((x = reseedkey_certify(key, signer, now)) == NULL ||
	    (pem = reseedkey_cert_pem(x, &len)) == NULL) {
		X509_free(x);
		snprintf(errbuf, errlen, "cannot issue a certificate");
		return -1;
	}
	rv = file_write_atomic(RESEEDCERT_FILE, pem, len, 0644,
	    FILE_SYNC_DIR);
	free(pem);
	if (rv == -1) {
		X509_free(x);
		snprintf(errbuf, errlen, "cannot write %s", RESEEDCERT_FILE);
		return -1;
	}
	X509_free(cert);
	cert = x;
	log_info("reseed certificate issued for signer %s", signer);
	return 0;
}

int
reseedkey_get(const char *signer, EVP_PKEY **kp, X509 **xp, char *errbuf,
    size_t errlen)
{
	time_t	now = time(NULL);

	if (key == NULL) {
		log_info("generating the RSA-4096 reseed signing key");
		if ((key = reseedkey_generate()) == NULL) {
			snprintf(errbuf, errlen, "cannot generate a key");
			return -1;
		}
		if (save_key(key, errbuf, errlen) == -1) {
			EVP_PKEY_free(key);
			key = NULL;
			return -1;
		}
	}
	if (!cert_current(cert, signer, now) &&
	    issue_cert(signer, now, errbuf, errlen) == -1)
		return -1;
	*kp = key;
	*xp = cert;
	return 0;
}

void
reseedkey_close(void)
{
	EVP_PKEY_free(key);
	X509_free(cert);
	key = NULL;
	cert = NULL;
}
