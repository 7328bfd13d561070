/*
 * The reseed signing key (i2pctl reseed export): RSA-4096, the only
 * type su3 readers accept, kept in cryptod's directory beside the
 * router key, with a self-signed certificate whose common name is the
 * signer ID that operators install to trust our su3 files.
 */
#ifndef I2PRD_RESEEDKEY_H
#define I2PRD_RESEEDKEY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#define RESEEDKEY_FILE		"reseed.key"	/* PKCS#8 PEM, 0600 */
#define RESEEDCERT_FILE		"reseed.crt"	/* PEM, public */
#define RESEEDCERT_YEARS	10
#define RESEEDCERT_RENEW	(30 * 24 * 3600)	/* s before expiry */

/* key and certificate generation and use, exposed for the tests */
EVP_PKEY *reseedkey_generate(void);
X509	 *reseedkey_certify(EVP_PKEY *, const char *cn, time_t now);
int	  reseedkey_sign(EVP_PKEY *, const uint8_t digest[64],
	    uint8_t sig[512]);
/* the certificate's PEM in a malloc'd buffer */
char	 *reseedkey_cert_pem(X509 *, size_t *);

/*
 * Loads the key and certificate if there are any; -1 with a reason if
 * the key file is corrupt or readable by others.
 */
int	  reseedkey_open(char *errbuf, size_t);
/*
 * The key and a certificate for signer, each created (and saved) on
 * first use or when the signer changes or the certificate nears its
 * end; -1 with a reason.
 */
int	  reseedkey_get(const char *signer, EVP_PKEY **, X509 **,
	    char *errbuf, size_t);
void	  reseedkey_close(void);

#endif /* I2PRD_RESEEDKEY_H */
