/*
 * I2P base64 (RFC 4648 alphabet with '-' and '~' in place of '+' and '/',
 * '=' padding) and base32 (RFC 4648 alphabet in lower case, no padding,
 * as in .b32.i2p names).
 */
#ifndef I2PRD_ENCODING_H
#define I2PRD_ENCODING_H

#include <stddef.h>
#include <stdint.h>

/* encoded length including the terminating NUL */
#define B64_ENCLEN(n)	((((n) + 2) / 3) * 4 + 1)
#define B32_ENCLEN(n)	((((n) * 8) + 4) / 5 + 1)

/* returns the string length written (without NUL) or -1 if dst is short */
int	b64_encode(char *, size_t, const void *, size_t);
/*
 * returns the number of bytes decoded or -1 on any error: characters
 * outside the alphabet, bad padding, non-zero trailing bits, length not a
 * multiple of 4, or dst too small.
 */
int	b64_decode(void *, size_t, const char *, size_t);
int	b32_encode(char *, size_t, const void *, size_t);
/* rejects upper case, padding, impossible lengths, non-zero trailing bits */
int	b32_decode(void *, size_t, const char *, size_t);

#endif /* I2PRD_ENCODING_H */
