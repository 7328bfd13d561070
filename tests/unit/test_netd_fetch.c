/*
 * The CA certificates HTTPS reseeding trusts (netd/fetch.c), as the
 * parent passes them one PEM at a time: good ones kept, empty,
 * truncated, garbled and non-certificate input refused, and a new set
 * replacing the old only when it is complete.  Run under the sanitizers
 * too (make sanitize): nothing refused may leak.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <check.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "../../netd/netd.h"
#include "unit.h"

/* a self-signed certificate, PEM, into buf; its length */
static size_t
make_pem(char *buf, size_t sz)
{
	EVP_PKEY	*key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	X509		*x = X509_new();
	BIO		*bio = BIO_new(BIO_s_mem());
	char		*p;
	long		 n;

	ck_assert_ptr_nonnull(key);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(bio);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
	    MBSTRING_ASC, (const unsigned char *)"test CA", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_set_pubkey(x, key);
	ck_assert_int_gt(X509_sign(x, key, NULL), 0);
	ck_assert_int_eq(PEM_write_bio_X509(bio, x), 1);
	n = BIO_get_mem_data(bio, &p);
	ck_assert_int_lt(n, (long)sz);
	memcpy(buf, p, n);
	BIO_free(bio);
	X509_free(x);
	EVP_PKEY_free(key);
	return n;
}

static void
add(const char *s, size_t len)
{
	fetch_ca_add((const uint8_t *)s, len);
}

START_TEST(test_good_and_bad)
{
	char	 pem[4096], bad[4096], other[4096];
	size_t	 len = make_pem(pem, sizeof(pem));
	size_t	 olen = make_pem(other, sizeof(other));

	fetch_ca_begin();
	add(pem, len);
	add("", 0);					/* empty */
	add(pem, len / 2);				/* truncated */
	add(pem, 27);					/* the header only */
	memcpy(bad, pem, len);
	memset(bad + 100, '!', 40);			/* not base64 */
	add(bad, len);
	memcpy(bad, pem, len);
	bad[28] = 'A';			/* the DER's outer tag: not a SEQUENCE */
	add(bad, len);
	add("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", 54);
	add("no PEM here", 11);
	/* nothing in use until the set is complete */
	ck_assert_uint_eq(fetch_ca_count(), 0);
	fetch_ca_end();
	ck_assert_uint_eq(fetch_ca_count(), 1);
	/* a reload: a new set of two replaces it */
	fetch_ca_begin();
	add(pem, len);
	add(other, olen);
	ck_assert_uint_eq(fetch_ca_count(), 1);
	fetch_ca_end();
	ck_assert_uint_eq(fetch_ca_count(), 2);
	/* an empty set: downloads then refuse to start */
	fetch_ca_begin();
	fetch_ca_end();
	ck_assert_uint_eq(fetch_ca_count(), 0);
	fetch_shutdown();
}
END_TEST

static Suite *
fetch_suite(void)
{
	Suite	*s = suite_create("netd_fetch");
	TCase	*tc = tcase_create("ca");

	tcase_add_test(tc, test_good_and_bad);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(fetch_suite());
}
