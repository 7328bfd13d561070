/*
 * libFuzzer target: I2P base64 and base32 (common/encoding.c).
 *
 * The input is decoded as text by both decoders, into a heap buffer of
 * exactly the size allowed (so ASan sees one byte too many), and encoded
 * as bytes by both encoders.  Checked beyond the sanitizers:
 *
 *   - decoding is strict: whatever decodes re-encodes to the very same
 *     text, so there is one valid encoding per byte string;
 *   - a decode succeeds with dstsz equal to its result and fails with one
 *     byte less;
 *   - encode gives the documented length and decode(encode(x)) == x;
 *   - an encode into one byte less than B64_ENCLEN/B32_ENCLEN fails.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "encoding.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 errfd = STDERR_FILENO;

typedef int	(*enc_fn)(char *, size_t, const void *, size_t);
typedef int	(*dec_fn)(void *, size_t, const char *, size_t);

static void
die(const char *codec, const char *what)
{
	dprintf(errfd, "fuzz_encoding: %s: %s\n", codec, what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	return 0;
}

static void *
xmalloc(size_t n)
{
	void	*p;

	/* malloc(0) may be NULL; one byte keeps the pointer valid */
	if ((p = malloc(n > 0 ? n : 1)) == NULL)
		abort();
	return p;
}

/* the input as text: decode, and what decodes must re-encode to it */
static void
check_decode(const char *codec, enc_fn enc, dec_fn dec, const char *src,
    size_t len)
{
	uint8_t	*dst, *dst2;
	char	*text;
	size_t	 cap = len;
	int	 n, m;

	dst = xmalloc(cap);
	n = dec(dst, cap, src, len);
	if (n < -1 || (n >= 0 && (size_t)n > cap))
		die(codec, "decode result out of range");
	if (n == -1) {
		free(dst);
		return;
	}

	/* exactly n bytes of room suffice, n - 1 do not */
	dst2 = xmalloc(n);
	if (dec(dst2, n, src, len) != n || memcmp(dst, dst2, n) != 0)
		die(codec, "decode into an exact buffer differs");
	if (n > 0 && dec(dst2, n - 1, src, len) != -1)
		die(codec, "decode into a short buffer succeeded");
	free(dst2);

	/* strict: the one encoding of what was decoded is the input */
	text = xmalloc(len + 1);
	m = enc(text, len + 1, dst, n);
	if (m < 0 || (size_t)m != len || memcmp(text, src, len) != 0)
		die(codec, "decoded text does not re-encode to itself");
	free(text);
	free(dst);
}

/* the input as bytes: encode, check the length, decode back */
static void
check_roundtrip(const char *codec, enc_fn enc, dec_fn dec, size_t enclen,
    const uint8_t *src, size_t len)
{
	char	*text;
	uint8_t	*back;
	int	 n, m;

	text = xmalloc(enclen);
	/* one byte short of the documented size must fail */
	if (enc(text, enclen - 1, src, len) != -1)
		die(codec, "encode into a short buffer succeeded");
	if (enclen > 1 && text[0] != '\0')
		die(codec, "failed encode left a non-empty string");
	n = enc(text, enclen, src, len);
	if (n < 0 || (size_t)n != enclen - 1 || text[n] != '\0' ||
	    strlen(text) != (size_t)n)
		die(codec, "encode length");

	back = xmalloc(len);
	m = dec(back, len, text, n);
	if (m < 0 || (size_t)m != len || memcmp(back, src, len) != 0)
		die(codec, "decode(encode(x)) != x");
	free(back);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*src;

	/* a private copy without slack: the decoders must stay within len */
	src = xmalloc(size);
	memcpy(src, data, size);
	check_decode("base64", b64_encode, b64_decode, src, size);
	check_decode("base32", b32_encode, b32_decode, src, size);
	free(src);

	check_roundtrip("base64", b64_encode, b64_decode, B64_ENCLEN(size),
	    data, size);
	check_roundtrip("base32", b32_encode, b32_decode, B32_ENCLEN(size),
	    data, size);
	return 0;
}
