/*
 * su3 files (routerd/su3.c) and their import (routerd/reseed.c): files
 * we sign with the reseed key code of cryptod (cryptod/reseedkey.c), a
 * file signed by the openssl command line (tests/data/su3), every
 * truncation and byte flip, and the certificates a signer may have.
 */
#include <bsd/string.h>
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/pem.h>

#include "buf.h"
#include "../../cryptod/reseedkey.h"
#include "../../routerd/routerd.h"
#include "../../routerd/su3.h"
#include "../../routerd/zip.h"
#include "rtr.h"
#include "unit.h"

#define SIGNER	"ops@mail.i2p"
#define YEAR	(365L * 24 * 3600)

static EVP_PKEY	*key;		/* made once, in main: RSA-4096 is slow */
static char	*pem;
static size_t	 pemlen;

static void
trust(const char *p, size_t len)
{
	const char	*why;

	su3_signers_begin();
	if (p != NULL)
		ck_assert_msg(su3_signers_add((const uint8_t *)p, len, &why) ==
		    0, "%s", why);
	su3_signers_commit();
}

/* an su3 of content, signed by our key; sigtype and types as given */
static void
make_su3(struct wbuf *w, const uint8_t *content, size_t len,
    uint8_t filetype, uint8_t contenttype)
{
	uint8_t		 digest[64], sig[512];
	unsigned int	 dlen;

	ck_assert_int_eq(wbuf_init_dynamic(w, 1024, 1 << 22), 0);
	ck_assert_int_eq(su3_put_header(w, "1700000000", SIGNER, len), 0);
	wbuf_data(w);
	((uint8_t *)wbuf_data(w))[25] = filetype;
	((uint8_t *)wbuf_data(w))[27] = contenttype;
	ck_assert_int_eq(wbuf_put_bytes(w, content, len), 0);
	ck_assert_int_eq(EVP_Digest(wbuf_data(w), wbuf_len(w), digest, &dlen,
	    EVP_sha512(), NULL), 1);
	ck_assert_int_eq(reseedkey_sign(key, digest, sig), 0);
	ck_assert_int_eq(wbuf_put_bytes(w, sig, sizeof(sig)), 0);
}

static const uint8_t	content[] = "PK\005\006 some content";

START_TEST(test_roundtrip)
{
	struct su3	 s;
	struct wbuf	 w;
	const char	*why;

	make_su3(&w, content, sizeof(content), SU3_FILE_ZIP,
	    SU3_CONTENT_RESEED);
	ck_assert_int_eq(su3_parse(&s, wbuf_data(&w), wbuf_len(&w), &why), 0);
	ck_assert_uint_eq(s.sigtype, SU3_SIG_RSA4096);
	ck_assert_str_eq(s.version, "1700000000");
	ck_assert_str_eq(s.signer, SIGNER);
	ck_assert_uint_eq(s.contentlen, sizeof(content));
	ck_assert_mem_eq(s.content, content, sizeof(content));
	ck_assert_uint_eq(s.siglen, 512);
	ck_assert_uint_eq(s.filetype, SU3_FILE_ZIP);
	ck_assert_uint_eq(s.contenttype, SU3_CONTENT_RESEED);

	trust(NULL, 0);
	ck_assert_int_eq(su3_verify(&s, wbuf_data(&w), &why), -1);
	ck_assert_str_eq(why, "unknown signer");
	trust(pem, pemlen);
	ck_assert_uint_eq(su3_signers_count(), 1);
	ck_assert_int_eq(su3_verify(&s, wbuf_data(&w), &why), 0);
	ck_assert_int_eq(su3_verify_pem(&s, wbuf_data(&w),
	    (const uint8_t *)pem, pemlen, &why), 0);
	su3_signers_free();
	wbuf_free(&w);
}
END_TEST

/* a file signed by the openssl command line verifies here */
START_TEST(test_openssl_signed)
{
	uint8_t		 file[4096];
	char		 crt[8192];
	struct su3	 s;
	const char	*why;
	size_t		 len, crtlen;
	FILE		*f;

	ck_assert_ptr_nonnull(f = fopen(TESTS_DIR "/data/su3/openssl.su3",
	    "r"));
	len = fread(file, 1, sizeof(file), f);
	fclose(f);
	ck_assert_ptr_nonnull(f = fopen(TESTS_DIR "/data/su3/signer.crt",
	    "r"));
	crtlen = fread(crt, 1, sizeof(crt), f);
	fclose(f);
	ck_assert_int_eq(su3_parse(&s, file, len, &why), 0);
	ck_assert_str_eq(s.signer, "test-signer@mail.i2p");
	trust(crt, crtlen);
	ck_assert_int_eq(su3_verify(&s, file, &why), 0);
	file[60] ^= 1;			/* in the signer ID's bytes */
	ck_assert_int_eq(su3_parse(&s, file, len, &why), 0);
	ck_assert_int_eq(su3_verify(&s, file, &why), -1);
	ck_assert_str_eq(why, "unknown signer");
	file[60] ^= 1;
	file[len - 1] ^= 1;
	ck_assert_int_eq(su3_parse(&s, file, len, &why), 0);
	ck_assert_int_eq(su3_verify(&s, file, &why), -1);
	ck_assert_str_eq(why, "bad signature");
	su3_signers_free();
}
END_TEST

/* every prefix is refused; so is a byte more */
START_TEST(test_truncated)
{
	struct su3	 s;
	struct wbuf	 w;
	const char	*why;
	uint8_t		*copy;
	size_t		 len, i;

	make_su3(&w, content, sizeof(content), SU3_FILE_ZIP,
	    SU3_CONTENT_RESEED);
	len = wbuf_len(&w);
	for (i = 0; i < len; i++)
		ck_assert_int_eq(su3_parse(&s, wbuf_data(&w), i, &why), -1);
	ck_assert_str_eq(why, "truncated file");
	ck_assert_ptr_nonnull(copy = calloc(1, len + 1));
	memcpy(copy, wbuf_data(&w), len);
	ck_assert_int_eq(su3_parse(&s, copy, len + 1, &why), -1);
	ck_assert_str_eq(why, "bytes after the signature");
	free(copy);
	wbuf_free(&w);
}
END_TEST

/* no single flipped bit gets through both parse and verify */
START_TEST(test_flips)
{
	struct su3	 s;
	struct wbuf	 w;
	const char	*why;
	uint8_t		*f;
	size_t		 len, i;
	int		 bit, passed;

	make_su3(&w, content, sizeof(content), SU3_FILE_ZIP,
	    SU3_CONTENT_RESEED);
	trust(pem, pemlen);
	f = (uint8_t *)wbuf_data(&w);
	len = wbuf_len(&w);
	for (i = 0; i < len; i++) {
		/* unused header bytes are ignored, as the Java reader does */
		if (i == 6 || i == 12 || i == 14 || i == 24 || i == 26 ||
		    (i >= 28 && i < 40))
			continue;
		for (bit = 0; bit < 8; bit += 3) {
			f[i] ^= 1 << bit;
			passed = su3_parse(&s, f, len, &why) == 0 &&
			    su3_verify(&s, f, &why) == 0;
			f[i] ^= 1 << bit;
			ck_assert_msg(!passed, "flip at %zu bit %d passed", i,
			    bit);
		}
	}
	su3_signers_free();
	wbuf_free(&w);
}
END_TEST

static void
expect_parse(const uint8_t *f, size_t len, const char *want)
{
	struct su3	 s;
	const char	*why;

	ck_assert_int_eq(su3_parse(&s, f, len, &why), -1);
	ck_assert_str_eq(why, want);
}

START_TEST(test_header)
{
	struct wbuf	 w;
	uint8_t		*f;
	size_t		 len;

	make_su3(&w, content, sizeof(content), SU3_FILE_ZIP,
	    SU3_CONTENT_RESEED);
	f = (uint8_t *)wbuf_data(&w);
	len = wbuf_len(&w);
	f[0] = 'i';
	expect_parse(f, len, "not an su3 file");
	f[0] = 'I';
	f[7] = 1;
	expect_parse(f, len, "su3 format version not 0");
	f[7] = 0;
	f[10] = 0x01;			/* signature length 256 */
	expect_parse(f, len, "signature length does not match its type");
	f[10] = 0x02;
	f[13] = 15;
	expect_parse(f, len, "version field shorter than 16 bytes");
	f[13] = 16;
	f[15] = 0;
	expect_parse(f, len, "no signer ID");
	f[15] = strlen(SIGNER);
	f[40 + 16] = ' ';		/* the signer ID's first byte */
	expect_parse(f, len, "malformed signer ID");
	f[40 + 16] = SIGNER[0];
	f[40 + 3] = '\0';		/* a NUL inside the version */
	expect_parse(f, len, "malformed version");
	wbuf_free(&w);
}
END_TEST

START_TEST(test_sigtype)
{
	struct su3	 s;
	struct wbuf	 w;
	const char	*why;
	uint8_t		*f;

	make_su3(&w, content, sizeof(content), SU3_FILE_ZIP,
	    SU3_CONTENT_RESEED);
	f = (uint8_t *)wbuf_data(&w);
	f[9] = 5;			/* RSA-SHA384-3072 */
	ck_assert_int_eq(su3_parse(&s, f, wbuf_len(&w), &why), 0);
	trust(pem, pemlen);
	ck_assert_int_eq(su3_verify(&s, f, &why), -1);
	ck_assert_str_eq(why, "signature type not supported "
	    "(only RSA-SHA512-4096)");
	su3_signers_free();
	wbuf_free(&w);
}
END_TEST

static char *
cert_pem(EVP_PKEY *k, const char *cn, time_t now, size_t *len)
{
	X509	*x;
	char	*p;

	ck_assert_ptr_nonnull(x = reseedkey_certify(k, cn, now));
	ck_assert_ptr_nonnull(p = reseedkey_cert_pem(x, len));
	X509_free(x);
	return p;
}

static void
expect_cert(const char *p, size_t len, const char *want)
{
	const char	*why;

	ck_assert_int_eq(su3_signers_add((const uint8_t *)p, len, &why), -1);
	ck_assert_str_eq(why, want);
}

START_TEST(test_certificates)
{
	EVP_PKEY	*small;
	const char	*why;
	char		*p;
	size_t		 len;
	time_t		 now = time(NULL);

	su3_signers_begin();
	p = cert_pem(key, SIGNER, now - 11 * YEAR, &len);
	expect_cert(p, len, "certificate expired");
	free(p);
	p = cert_pem(key, SIGNER, now + YEAR, &len);
	expect_cert(p, len, "certificate not valid yet");
	free(p);
	p = cert_pem(key, "two words", now, &len);
	expect_cert(p, len, "certificate without a usable common name");
	free(p);
	ck_assert_ptr_nonnull(small = EVP_RSA_gen(2048));
	p = cert_pem(small, SIGNER, now, &len);
	expect_cert(p, len, "certificate key is not RSA-4096");
	free(p);
	EVP_PKEY_free(small);
	expect_cert("-----BEGIN CERTIFICATE-----\nAAAA\n", 33,
	    "not a PEM certificate");
	expect_cert(pem, pemlen / 2, "not a PEM certificate");
	ck_assert_int_eq(su3_signers_add((const uint8_t *)pem, pemlen, &why),
	    0);
	expect_cert(pem, pemlen, "a second certificate for the same signer");
	su3_signers_commit();
	ck_assert_uint_eq(su3_signers_count(), 1);
	su3_signers_free();
	ck_assert_uint_eq(su3_signers_count(), 0);
}
END_TEST

/*
 * The shipped signers (etc/reseed) are all accepted, RSA-4096 with their
 * e-mail style IDs; one that has expired since is refused for that alone.
 */
START_TEST(test_shipped)
{
	struct dirent	*de;
	const char	*why;
	char		 path[512], crt[16384];
	size_t		 len, n = 0, ok = 0;
	DIR		*d;
	FILE		*f;

	ck_assert_ptr_nonnull(d = opendir(TESTS_DIR "/../etc/reseed"));
	su3_signers_begin();
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".crt") == NULL)
			continue;
		snprintf(path, sizeof(path), TESTS_DIR "/../etc/reseed/%s",
		    de->d_name);
		ck_assert_ptr_nonnull(f = fopen(path, "r"));
		len = fread(crt, 1, sizeof(crt), f);
		fclose(f);
		n++;
		if (su3_signers_add((const uint8_t *)crt, len, &why) == 0)
			ok++;
		else
			ck_assert_msg(strcmp(why, "certificate expired") == 0,
			    "%s: %s", de->d_name, why);
	}
	closedir(d);
	su3_signers_commit();
	ck_assert_uint_ge(n, 10);
	ck_assert_uint_eq(su3_signers_count(), ok);
	su3_signers_free();
}
END_TEST

/* an su3 of n fresh RouterInfos, imported as i2pctl reseed import does */
static int
import(uint8_t contenttype, int flip, char *msg, size_t msglen)
{
	static struct rtr	 r;
	struct zip_writer	 zw;
	struct wbuf		 zip, su3;
	char			 name[64];
	int			 i, fd, rv;

	ck_assert_int_eq(wbuf_init_dynamic(&zip, 4096, 1 << 20), 0);
	ck_assert_int_eq(zip_begin(&zw, &zip), 0);
	for (i = 0; i < 3; i++) {
		rtr_new(&r, 0);
		snprintf(name, sizeof(name), "routerInfo-%d.dat", i);
		ck_assert_int_eq(zip_add(&zw, name, r.raw, r.len), 0);
	}
	ck_assert_int_eq(zip_end(&zw), 0);
	make_su3(&su3, wbuf_data(&zip), wbuf_len(&zip), SU3_FILE_ZIP,
	    contenttype);
	if (flip)
		((uint8_t *)wbuf_data(&su3))[wbuf_len(&su3) - 600] ^= 0x10;
	ck_assert_int_ne(fd = open("in.su3", O_RDWR | O_CREAT | O_TRUNC,
	    0600), -1);
	ck_assert_int_eq(write(fd, wbuf_data(&su3), wbuf_len(&su3)),
	    (ssize_t)wbuf_len(&su3));
	lseek(fd, 0, SEEK_SET);
	rv = reseed_import(fd, msg, msglen);
	close(fd);
	wbuf_free(&zip);
	wbuf_free(&su3);
	return rv;
}

START_TEST(test_import)
{
	char	msg[256];

	trust(NULL, 0);
	ck_assert_int_eq(import(SU3_CONTENT_RESEED, 0, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "reseed refused: su3: unknown signer " SIGNER);
	trust(pem, pemlen);
	ck_assert_int_eq(import(SU3_CONTENT_RESEED, 1, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "reseed refused: su3: bad signature");
	ck_assert_int_eq(import(4, 0, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "reseed refused: su3 file is not reseed data "
	    "(file type 0, content type 4)");
	ck_assert_uint_eq(netdb_count(NULL), 0);
	ck_assert_int_eq(import(SU3_CONTENT_RESEED, 0, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "reseed: 3 RouterInfos imported, 0 already "
	    "known, 0 refused");
	ck_assert_uint_eq(netdb_count(NULL), 3);
	su3_signers_free();
}
END_TEST

static Suite *
su3_suite(void)
{
	Suite	*s = suite_create("su3");
	TCase	*tc = tcase_create("su3");
	TCase	*tci = tcase_create("import");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_openssl_signed);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_flips);
	tcase_add_test(tc, test_header);
	tcase_add_test(tc, test_sigtype);
	tcase_add_test(tc, test_certificates);
	tcase_add_test(tc, test_shipped);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tci, rtr_netdb_setup, rtr_netdb_teardown);
	tcase_add_test(tci, test_import);
	suite_add_tcase(s, tci);
	return s;
}

int
main(void)
{
	X509	*x;

	/* outside any test: no ck_assert here */
	if ((key = reseedkey_generate()) == NULL ||
	    (x = reseedkey_certify(key, SIGNER, time(NULL))) == NULL ||
	    (pem = reseedkey_cert_pem(x, &pemlen)) == NULL) {
		fprintf(stderr, "test_routerd_su3: cannot make the test key "
		    "(key %p)\n", (void *)key);
		return 1;
	}
	X509_free(x);
	return unit_run_crypto(su3_suite());
}
