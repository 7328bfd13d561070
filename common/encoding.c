/*
 * I2P base64 and base32.
 *
 * The character <-> value mappings are branch-free arithmetic rather
 * than table lookups: key files are stored in base64, and an index into
 * a table leaks the secret through the cache.  The decoders are strict
 * (one valid encoding per byte string) so that names and hashes compare
 * equal exactly when their encodings do.
 */
#include <limits.h>
#include <string.h>

#include "encoding.h"

/*
 * For 0 <= x <= 255: (((lo - x) & (x - hi)) >> 8) is all ones when
 * lo < x < hi, else zero (gcc shifts negative ints arithmetically).
 */
#define RANGE_MASK(x, lo, hi)	((((lo) - (x)) & ((x) - (hi))) >> 8)

/* 0..63 -> A-Z a-z 0-9 - ~ */
static char
b64_chr(int v)
{
	int	 c = v + 'A';

	c += ((25 - v) >> 8) & ('a' - 'A' - 26);
	c -= ((51 - v) >> 8) & ('a' + 26 - '0');
	c -= ((61 - v) >> 8) & ('0' + 10 - '-');
	c += ((62 - v) >> 8) & ('~' - '-' - 1);
	return c;
}

/* A-Z a-z 0-9 - ~ -> 0..63, anything else -> -1 */
static int
b64_val(int x)
{
	int	 v = -1;

	v += RANGE_MASK(x, 'A' - 1, 'Z' + 1) & (x - 'A' + 1);
	v += RANGE_MASK(x, 'a' - 1, 'z' + 1) & (x - 'a' + 27);
	v += RANGE_MASK(x, '0' - 1, '9' + 1) & (x - '0' + 53);
	v += RANGE_MASK(x, '-' - 1, '-' + 1) & 63;
	v += RANGE_MASK(x, '~' - 1, '~' + 1) & 64;
	return v;
}

/* 0..31 -> a-z 2-7 */
static char
b32_chr(int v)
{
	int	 c = v + 'a';

	c -= ((25 - v) >> 8) & ('a' + 26 - '2');
	return c;
}

/* a-z 2-7 -> 0..31, anything else (upper case too) -> -1 */
static int
b32_val(int x)
{
	int	 v = -1;

	v += RANGE_MASK(x, 'a' - 1, 'z' + 1) & (x - 'a' + 1);
	v += RANGE_MASK(x, '2' - 1, '7' + 1) & (x - '2' + 27);
	return v;
}

int
b64_encode(char *dst, size_t dstsz, const void *src, size_t n)
{
	const uint8_t	*s = src;
	uint32_t	 w;
	size_t		 i, o = 0;

	/* the result length must fit the int return */
	if (n > ((size_t)INT_MAX / 4 - 1) * 3 || dstsz < B64_ENCLEN(n)) {
		if (dstsz > 0)
			dst[0] = '\0';
		return -1;
	}
	for (i = 0; i + 3 <= n; i += 3) {
		w = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		dst[o++] = b64_chr(w >> 18);
		dst[o++] = b64_chr((w >> 12) & 0x3f);
		dst[o++] = b64_chr((w >> 6) & 0x3f);
		dst[o++] = b64_chr(w & 0x3f);
	}
	if (n - i > 0) {
		w = (uint32_t)s[i] << 16;
		if (n - i == 2)
			w |= (uint32_t)s[i + 1] << 8;
		dst[o++] = b64_chr(w >> 18);
		dst[o++] = b64_chr((w >> 12) & 0x3f);
		dst[o++] = n - i == 2 ? b64_chr((w >> 6) & 0x3f) : '=';
		dst[o++] = '=';
	}
	dst[o] = '\0';
	return o;
}

/*
 * How many '=' end a base64 string of len (a non-zero multiple of 4):
 * 0, 1 or 2; -1 if '=' appears anywhere else.
 */
static int
b64_padding(const char *src, size_t len)
{
	const char	*eq;
	int		 pad = 0;

	if (src[len - 1] == '=')
		pad = src[len - 2] == '=' ? 2 : 1;
	eq = memchr(src, '=', len);
	if (eq != NULL && (size_t)(eq - src) != len - pad)
		return -1;
	return pad;
}

int
b64_decode(void *dst, size_t dstsz, const char *src, size_t len)
{
	uint8_t		*d = dst;
	uint32_t	 w = 0;
	size_t		 i, o = 0, outlen;
	int		 pad, v, bad = 0;

	if (len == 0)
		return 0;
	if (len % 4 != 0 || len > INT_MAX ||
	    (pad = b64_padding(src, len)) == -1)
		return -1;
	outlen = len / 4 * 3 - pad;
	if (dstsz < outlen)
		return -1;
	for (i = 0; i < len - pad; i++) {
		v = b64_val((uint8_t)src[i]);
		bad |= v;
		w = w << 6 | (v & 0x3f);
		if (i % 4 == 3) {
			d[o++] = w >> 16;
			d[o++] = w >> 8;
			d[o++] = w;
			w = 0;
		}
	}
	/* the tail: 3 chars carry 2 bytes + 2 bits, 2 chars 1 byte + 4 bits */
	if (pad == 1) {
		bad |= -(int)(w & 0x3);
		d[o++] = w >> 10;
		d[o++] = w >> 2;
	} else if (pad == 2) {
		bad |= -(int)(w & 0xf);
		d[o++] = w >> 4;
	}
	if (bad < 0) {
		/* what was decoded may be part of a key */
		explicit_bzero(dst, o);
		return -1;
	}
	return o;
}

int
b32_encode(char *dst, size_t dstsz, const void *src, size_t n)
{
	const uint8_t	*s = src;
	uint32_t	 acc = 0;
	size_t		 i, o = 0;
	int		 bits = 0;

	/* the result length must fit the int return */
	if (n > ((size_t)INT_MAX / 8 - 1) * 5 || dstsz < B32_ENCLEN(n)) {
		if (dstsz > 0)
			dst[0] = '\0';
		return -1;
	}
	for (i = 0; i < n; i++) {
		acc = (acc << 8 | s[i]) & 0xfff;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			dst[o++] = b32_chr((acc >> bits) & 0x1f);
		}
	}
	if (bits > 0)
		dst[o++] = b32_chr((acc << (5 - bits)) & 0x1f);
	dst[o] = '\0';
	return o;
}

int
b32_decode(void *dst, size_t dstsz, const char *src, size_t len)
{
	uint8_t		*d = dst;
	uint32_t	 acc = 0;
	size_t		 i, o = 0;
	int		 bits = 0, v, bad = 0;

	/*
	 * Every 8 chars make 5 bytes; a tail of 1, 3 or 6 chars holds a
	 * whole unused char and no encoder produces it.
	 */
	switch (len % 8) {
	case 1:
	case 3:
	case 6:
		return -1;
	}
	if (len > INT_MAX || dstsz < len * 5 / 8)
		return -1;
	for (i = 0; i < len; i++) {
		v = b32_val((uint8_t)src[i]);
		bad |= v;
		acc = (acc << 5 | (v & 0x1f)) & 0xfff;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			d[o++] = acc >> bits;
		}
	}
	/* the unused low bits of the last char must be zero */
	bad |= -(int)(acc & ((1U << bits) - 1));
	if (bad < 0) {
		explicit_bzero(dst, o);
		return -1;
	}
	return o;
}
