/*
 * su3 files (updates.rst): a 40-byte header, the version and the
 * signer's ID, the content, and a signature over all that.  Reseed
 * files are signed "raw" with RSA-SHA512-4096: PKCS#1 v1.5 padding
 * around the bare SHA-512 digest, no DigestInfo (Java's NONEwithRSA).
 * The signer's key comes from a certificate the operator trusts,
 * looked up by the signer ID, which is the certificate's common name
 * (as the reseed certificates shipped with i2pd and the Java router
 * have it, and as i2pd looks them up).
 *
 * Unused header bytes are ignored, as the Java reader ignores them;
 * the file format version must be 0.
 */
#include <limits.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "buf.h"
#include "i2prd.h"
#include "su3.h"

#define SIGNERS_MAX	64

struct signer {
	char		 cn[SU3_SIGNER_MAX + 1];
	EVP_PKEY	*key;
};

static struct signer	signers[SIGNERS_MAX], pending[SIGNERS_MAX];
static size_t		nsigners, npending;

static int
get_version(struct rbuf *r, size_t len, char *out, size_t outlen)
{
	const uint8_t	*p;
	size_t		 n;

	if (rbuf_get_ptr(r, &p, len) == -1)
		return -1;
	for (n = len; n > 0 && p[n - 1] == '\0'; n--)
		;
	if (n >= outlen || memchr(p, '\0', n) != NULL)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

int
su3_parse(struct su3 *s, const uint8_t *file, size_t len, const char **why)
{
	struct rbuf	 r;
	uint8_t		 hdr[SU3_HEADER_LEN];
	uint16_t	 siglen;
	uint64_t	 clen;
	size_t		 vlen, slen, left;

	memset(s, 0, sizeof(*s));
	rbuf_init(&r, file, len);
	*why = "truncated file";
	if (rbuf_get_bytes(&r, hdr, sizeof(hdr)) == -1)
		return -1;
	*why = "not an su3 file";
	if (memcmp(hdr, SU3_MAGIC, 6) != 0)
		return -1;
	*why = "su3 format version not 0";
	if (hdr[7] != 0)
		return -1;
	s->sigtype = hdr[8] << 8 | hdr[9];
	siglen = hdr[10] << 8 | hdr[11];
	vlen = hdr[13];
	slen = hdr[15];
	clen = (uint64_t)hdr[16] << 56 | (uint64_t)hdr[17] << 48 |
	    (uint64_t)hdr[18] << 40 | (uint64_t)hdr[19] << 32 |
	    (uint64_t)hdr[20] << 24 | hdr[21] << 16 | hdr[22] << 8 | hdr[23];
	s->filetype = hdr[25];
	s->contenttype = hdr[27];
	*why = "version field shorter than 16 bytes";
	if (vlen < SU3_VERSION_MIN)
		return -1;
	*why = "signature length does not match its type";
	if (s->sigtype == SU3_SIG_RSA4096 && siglen != SU3_SIGLEN_RSA4096)
		return -1;
	*why = "no signer ID";
	if (slen == 0)
		return -1;
	*why = "truncated file";
	left = rbuf_left(&r);
	if (left < vlen + slen || clen > left - vlen - slen ||
	    left - vlen - slen - clen < siglen)
		return -1;
	*why = "bytes after the signature";
	if (left - vlen - slen - clen > siglen)
		return -1;
	*why = "malformed version";
	if (get_version(&r, vlen, s->version, sizeof(s->version)) == -1)
		return -1;
	*why = "malformed signer ID";
	if (rbuf_get_bytes(&r, s->signer, slen) == -1)
		return -1;
	s->signer[slen] = '\0';
	if (!id_printable(s->signer) || strlen(s->signer) != slen)
		return -1;
	rbuf_get_ptr(&r, &s->content, clen);
	s->contentlen = clen;
	s->signedlen = SU3_HEADER_LEN + vlen + slen + clen;
	s->siglen = siglen;
	rbuf_get_ptr(&r, &s->sig, siglen);
	return rbuf_end(&r);
}

int
su3_put_header(struct wbuf *w, const char *version, const char *signer,
    uint64_t contentlen)
{
	size_t	vlen = strlen(version), slen = strlen(signer);
	size_t	vfield = vlen < SU3_VERSION_MIN ? SU3_VERSION_MIN : vlen;

	if (vfield > 255 || slen == 0 || slen > SU3_SIGNER_MAX)
		return -1;
	wbuf_put_bytes(w, SU3_MAGIC, 6);
	wbuf_put_u8(w, 0);
	wbuf_put_u8(w, 0);			/* format version */
	wbuf_put_u16(w, SU3_SIG_RSA4096);
	wbuf_put_u16(w, SU3_SIGLEN_RSA4096);
	wbuf_put_u8(w, 0);
	wbuf_put_u8(w, vfield);
	wbuf_put_u8(w, 0);
	wbuf_put_u8(w, slen);
	wbuf_put_u64(w, contentlen);
	wbuf_put_u8(w, 0);
	wbuf_put_u8(w, SU3_FILE_ZIP);
	wbuf_put_u8(w, 0);
	wbuf_put_u8(w, SU3_CONTENT_RESEED);
	wbuf_put_zero(w, 12);
	wbuf_put_bytes(w, version, vlen);
	wbuf_put_zero(w, vfield - vlen);
	wbuf_put_bytes(w, signer, slen);
	return wbuf_error(w) ? -1 : 0;
}

static void
signers_clear(struct signer *set, size_t *n)
{
	size_t	i;

	for (i = 0; i < *n; i++)
		EVP_PKEY_free(set[i].key);
	*n = 0;
}

void
su3_signers_begin(void)
{
	signers_clear(pending, &npending);
}

/* the certificate's CN and RSA-4096 key, if it is valid now */
static EVP_PKEY *
cert_key(X509 *x, char *cn, size_t cnlen, const char **why)
{
	EVP_PKEY	*key;

	*why = "certificate without a usable common name";
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(x),
	    NID_commonName, cn, cnlen) <= 0 || !id_printable(cn))
		return NULL;
	*why = "certificate not valid yet";
	if (X509_cmp_current_time(X509_get0_notBefore(x)) >= 0)
		return NULL;
	*why = "certificate expired";
	if (X509_cmp_current_time(X509_get0_notAfter(x)) <= 0)
		return NULL;
	*why = "certificate key is not RSA-4096";
	if ((key = X509_get_pubkey(x)) == NULL)
		return NULL;
	if (!EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_get_bits(key) != 4096) {
		EVP_PKEY_free(key);
		return NULL;
	}
	return key;
}

/* a PEM certificate's key and CN, if it is one a signer may have */
static EVP_PKEY *
pem_key(const uint8_t *pem, size_t len, char *cn, size_t cnlen,
    const char **why)
{
	EVP_PKEY	*key;
	BIO		*bio;
	X509		*x;

	*why = "not a PEM certificate";
	if (len > INT_MAX || (bio = BIO_new_mem_buf(pem, len)) == NULL)
		return NULL;
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (x == NULL)
		return NULL;
	key = cert_key(x, cn, cnlen, why);
	X509_free(x);
	return key;
}

int
su3_signers_add(const uint8_t *pem, size_t len, const char **why)
{
	struct signer	*s;
	size_t		 i;

	*why = "too many signers";
	if (npending == SIGNERS_MAX)
		return -1;
	s = &pending[npending];
	if ((s->key = pem_key(pem, len, s->cn, sizeof(s->cn), why)) == NULL)
		return -1;
	for (i = 0; i < npending; i++)
		if (strcmp(pending[i].cn, s->cn) == 0) {
			*why = "a second certificate for the same signer";
			EVP_PKEY_free(s->key);
			return -1;
		}
	npending++;
	return 0;
}

void
su3_signers_commit(void)
{
	signers_clear(signers, &nsigners);
	memcpy(signers, pending, npending * sizeof(pending[0]));
	nsigners = npending;
	npending = 0;
}

size_t
su3_signers_count(void)
{
	return nsigners;
}

void
su3_signers_free(void)
{
	signers_clear(pending, &npending);
	signers_clear(signers, &nsigners);
}

static EVP_PKEY *
signer_key(const char *id)
{
	size_t	i;

	for (i = 0; i < nsigners; i++)
		if (strcmp(signers[i].cn, id) == 0)
			return signers[i].key;
	return NULL;
}

static int
verify_with(const struct su3 *s, const uint8_t *file, EVP_PKEY *key,
    const char **why)
{
	EVP_PKEY_CTX	*ctx;
	uint8_t		 digest[64];
	unsigned int	 dlen;
	int		 ok;

	*why = "cannot hash the file";
	if (EVP_Digest(file, s->signedlen, digest, &dlen, EVP_sha512(),
	    NULL) != 1 || (ctx = EVP_PKEY_CTX_new(key, NULL)) == NULL)
		return -1;
	ok = EVP_PKEY_verify_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_verify(ctx, s->sig, s->siglen, digest, dlen) == 1;
	EVP_PKEY_CTX_free(ctx);
	*why = "bad signature";
	return ok ? 0 : -1;
}

int
su3_verify(const struct su3 *s, const uint8_t *file, const char **why)
{
	EVP_PKEY	*key;

	*why = "signature type not supported (only RSA-SHA512-4096)";
	if (s->sigtype != SU3_SIG_RSA4096)
		return -1;
	*why = "unknown signer";
	if ((key = signer_key(s->signer)) == NULL)
		return -1;
	return verify_with(s, file, key, why);
}

int
su3_verify_pem(const struct su3 *s, const uint8_t *file, const uint8_t *pem,
    size_t len, const char **why)
{
	EVP_PKEY	*key;
	char		 cn[SU3_SIGNER_MAX + 1];
	int		 rv;

	*why = "signature type not supported (only RSA-SHA512-4096)";
	if (s->sigtype != SU3_SIG_RSA4096)
		return -1;
	if ((key = pem_key(pem, len, cn, sizeof(cn), why)) == NULL)
		return -1;
	*why = "certificate names another signer";
	rv = strcmp(cn, s->signer) == 0 ? verify_with(s, file, key, why) : -1;
	EVP_PKEY_free(key);
	return rv;
}
