/*
 * Elligator2 for X25519 public keys, bit for bit as I2P uses it
 * (ecies.rst "2a) Elligator2"; i2pd libi2pd/Elligator.cpp, Java I2P
 * Elligator2.java): the curve is Curve25519 (A = 486662), the non-square
 * is u = 2, numbers are 32 bytes little-endian, and the two top bits of
 * a representative are random on the wire and masked off when read.
 *
 * Map (decode), for a representative r:
 *	v = -A / (1 + 2 r^2)
 *	x = v		if v^3 + A v^2 + v is a non-zero square
 *	x = -v - A	otherwise
 * Inverse (encode), for a public key x: a representative exists iff
 * -2 x (x + A) is a square; then r is a square root of
 *	-x / (2 (x + A))	(i2pd "highY" false; decodes through v = -x - A)
 *	-(x + A) / (2 x)	(i2pd "highY" true; decodes through v = x)
 * Both decode to x for every key X25519 makes (x on the curve proper, so
 * exactly one of v, -v - A has a square right-hand side).  Like i2pd
 * and Java I2P we take the choice from bit 0 of the random byte whose
 * top two bits go on the wire.
 *
 * Square root convention, which decides the bytes on the wire: of the
 * two roots of a square a we send the "low" one, the one <= (p - 1) / 2
 * as a canonical integer (equivalently: twice it mod p is even).  i2pd
 * computes a^((p+3)/8), multiplies by sqrt(-1) = 2^((p-1)/4) if
 * a^((p-1)/4) = -1, then replaces the root by p - root if it exceeds
 * (p - 1) / 2 -- the same root whichever sqrt(-1) is used.  This matters
 * for interoperation: i2pd's Decode rejects r > (p - 1) / 2 (Java I2P
 * even r >= (p - 1) / 2), so we too send only low roots, and we reject
 * the 9 masked values above (p - 1) / 2 as i2pd does.  The i2pd test
 * vectors for both "highY" values pin this down (tests/unit).
 *
 * Public keys are read as 256-bit integers reduced mod p, as i2pd and
 * Java I2P read them (its test key has bit 255 set); X25519 public keys
 * are canonical anyway.  Decode writes the canonical encoding.
 *
 * Field arithmetic mod p = 2^255 - 19: five 51-bit limbs, products in
 * unsigned __int128, no branch or index depending on the values.  Every
 * operation leaves its result weakly reduced: limbs below 2^51 except
 * the second, which may exceed it by a small carry.
 */
#include <stdint.h>
#include <string.h>

#include "crypto.h"
#include "elligator2.h"

#define MASK51		((UINT64_C(1) << 51) - 1)
/* a random key has a representative with probability 1/2 */
#define KEYGEN_TRIES	128

typedef unsigned __int128 u128;

typedef struct {
	uint64_t	 v[5];
} fe;

static const fe	FE_ZERO = { { 0, 0, 0, 0, 0 } };
static const fe	FE_ONE = { { 1, 0, 0, 0, 0 } };
static const fe	FE_A = { { 486662, 0, 0, 0, 0 } };
/* 2^((p-1)/4), the square root of -1 that i2pd uses */
static const fe	FE_SQRTM1 = { {
	0x61b274a0ea0b0, 0xd5a5fc8f189d, 0x7ef5e9cbd0c60, 0x78595a6804c9e,
	0x2b8324804fc1d
} };

/*
 * Weak reduction: carries each limb into the next, the top one times 19
 * into the first (2^255 = 19 mod p).
 */
static void
fe_carry(fe *h)
{
	uint64_t	 c;
	int		 i;

	for (i = 0; i < 4; i++) {
		c = h->v[i] >> 51;
		h->v[i] &= MASK51;
		h->v[i + 1] += c;
	}
	c = h->v[4] >> 51;
	h->v[4] &= MASK51;
	h->v[0] += 19 * c;
	c = h->v[0] >> 51;
	h->v[0] &= MASK51;
	h->v[1] += c;
}

/* all 256 bits, little-endian; values >= p are reduced by the arithmetic */
static void
fe_frombytes(fe *h, const uint8_t s[32])
{
	uint64_t	 w[4];
	int		 i, j;

	for (i = 0; i < 4; i++) {
		w[i] = 0;
		for (j = 7; j >= 0; j--)
			w[i] = (w[i] << 8) | s[8 * i + j];
	}
	h->v[0] = w[0] & MASK51;
	h->v[1] = ((w[0] >> 51) | (w[1] << 13)) & MASK51;
	h->v[2] = ((w[1] >> 38) | (w[2] << 26)) & MASK51;
	h->v[3] = ((w[2] >> 25) | (w[3] << 39)) & MASK51;
	h->v[4] = w[3] >> 12;		/* 52 bits: bit 255 too */
	fe_carry(h);
}

/*
 * Canonical encoding.  After fe_carry, p <= h < 2p exactly when h + 19
 * carries out of bit 255; q is that carry, and h - q p = h + 19 q - q 2^255.
 */
static void
fe_tobytes(uint8_t s[32], const fe *f)
{
	fe		 t = *f;
	uint64_t	 q, w[4];
	int		 i, j;

	fe_carry(&t);
	q = (t.v[0] + 19) >> 51;
	for (i = 1; i < 5; i++)
		q = (t.v[i] + q) >> 51;
	t.v[0] += 19 * q;
	for (i = 0; i < 4; i++) {
		t.v[i + 1] += t.v[i] >> 51;
		t.v[i] &= MASK51;
	}
	t.v[4] &= MASK51;
	w[0] = t.v[0] | (t.v[1] << 51);
	w[1] = (t.v[1] >> 13) | (t.v[2] << 38);
	w[2] = (t.v[2] >> 26) | (t.v[3] << 25);
	w[3] = (t.v[3] >> 39) | (t.v[4] << 12);
	for (i = 0; i < 4; i++)
		for (j = 0; j < 8; j++)
			s[8 * i + j] = (uint8_t)(w[i] >> (8 * j));
}

static void
fe_add(fe *h, const fe *f, const fe *g)
{
	int	 i;

	for (i = 0; i < 5; i++)
		h->v[i] = f->v[i] + g->v[i];
	fe_carry(h);
}

/* adds 2p first so that no limb goes below zero */
static void
fe_sub(fe *h, const fe *f, const fe *g)
{
	int	 i;

	h->v[0] = f->v[0] + 2 * (MASK51 - 18) - g->v[0];
	for (i = 1; i < 5; i++)
		h->v[i] = f->v[i] + 2 * MASK51 - g->v[i];
	fe_carry(h);
}

static void
fe_neg(fe *h, const fe *f)
{
	fe_sub(h, &FE_ZERO, f);
}

/* limbs of r below 2^115; h may alias the factors */
static void
fe_carry128(fe *h, u128 r[5])
{
	uint64_t	 c;
	int		 i;

	for (i = 0; i < 4; i++) {
		r[i + 1] += r[i] >> 51;
		h->v[i] = (uint64_t)r[i] & MASK51;
	}
	c = (uint64_t)(r[4] >> 51);
	h->v[4] = (uint64_t)r[4] & MASK51;
	h->v[0] += 19 * c;
	c = h->v[0] >> 51;
	h->v[0] &= MASK51;
	h->v[1] += c;
}

/* schoolbook; limb products past 2^255 fold back times 19 */
static void
fe_mul(fe *h, const fe *f, const fe *g)
{
	const uint64_t	*a = f->v, *b = g->v;
	uint64_t	 b1 = 19 * b[1], b2 = 19 * b[2], b3 = 19 * b[3];
	uint64_t	 b4 = 19 * b[4];
	u128		 r[5];

	r[0] = (u128)a[0] * b[0] + (u128)a[1] * b4 + (u128)a[2] * b3 +
	    (u128)a[3] * b2 + (u128)a[4] * b1;
	r[1] = (u128)a[0] * b[1] + (u128)a[1] * b[0] + (u128)a[2] * b4 +
	    (u128)a[3] * b3 + (u128)a[4] * b2;
	r[2] = (u128)a[0] * b[2] + (u128)a[1] * b[1] + (u128)a[2] * b[0] +
	    (u128)a[3] * b4 + (u128)a[4] * b3;
	r[3] = (u128)a[0] * b[3] + (u128)a[1] * b[2] + (u128)a[2] * b[1] +
	    (u128)a[3] * b[0] + (u128)a[4] * b4;
	r[4] = (u128)a[0] * b[4] + (u128)a[1] * b[3] + (u128)a[2] * b[2] +
	    (u128)a[3] * b[1] + (u128)a[4] * b[0];
	fe_carry128(h, r);
}

static void
fe_sq(fe *h, const fe *f)
{
	fe_mul(h, f, f);
}

/* h = f^(2^n) */
static void
fe_sqn(fe *h, const fe *f, int n)
{
	*h = *f;
	while (n-- > 0)
		fe_sq(h, h);
}

/*
 * The addition chain shared by inversion and fe_pow22523:
 * z250 = z^(2^250 - 1), z11 = z^11.
 */
static void
fe_pow250(fe *z250, fe *z11, const fe *z)
{
	fe	 t, z9, z5, z10, z20, z50, z100;

	fe_sq(&t, z);			/* 2 */
	fe_sqn(&z9, &t, 2);		/* 8 */
	fe_mul(&z9, &z9, z);		/* 9 */
	fe_mul(z11, &z9, &t);		/* 11 */
	fe_sq(&t, z11);			/* 22 */
	fe_mul(&z5, &t, &z9);		/* 2^5 - 1 */
	fe_sqn(&t, &z5, 5);
	fe_mul(&z10, &t, &z5);		/* 2^10 - 1 */
	fe_sqn(&t, &z10, 10);
	fe_mul(&z20, &t, &z10);		/* 2^20 - 1 */
	fe_sqn(&t, &z20, 20);
	fe_mul(&t, &t, &z20);		/* 2^40 - 1 */
	fe_sqn(&t, &t, 10);
	fe_mul(&z50, &t, &z10);		/* 2^50 - 1 */
	fe_sqn(&t, &z50, 50);
	fe_mul(&z100, &t, &z50);	/* 2^100 - 1 */
	fe_sqn(&t, &z100, 100);
	fe_mul(&t, &t, &z100);		/* 2^200 - 1 */
	fe_sqn(&t, &t, 50);
	fe_mul(z250, &t, &z50);		/* 2^250 - 1 */
}

/* h = z^(p-2) = z^(2^255 - 21) = 1/z; 0 for 0 */
static void
fe_invert(fe *h, const fe *z)
{
	fe	 z250, z11;

	fe_pow250(&z250, &z11, z);
	fe_sqn(&z250, &z250, 5);
	fe_mul(h, &z250, &z11);
}

/* h = z^((p-5)/8) = z^(2^252 - 3) */
static void
fe_pow22523(fe *h, const fe *z)
{
	fe	 z250, z11;

	fe_pow250(&z250, &z11, z);
	fe_sqn(&z250, &z250, 2);
	fe_mul(h, &z250, z);
}

/* f = g if b (0 or 1), without a branch */
static void
fe_cmov(fe *f, const fe *g, unsigned int b)
{
	uint64_t	 mask = 0 - (uint64_t)b;
	int		 i;

	for (i = 0; i < 5; i++)
		f->v[i] ^= mask & (f->v[i] ^ g->v[i]);
}

/* swaps f and g if b (0 or 1), without a branch */
static void
fe_cswap(fe *f, fe *g, unsigned int b)
{
	uint64_t	 mask = 0 - (uint64_t)b, t;
	int		 i;

	for (i = 0; i < 5; i++) {
		t = mask & (f->v[i] ^ g->v[i]);
		f->v[i] ^= t;
		g->v[i] ^= t;
	}
}

/* 1 if f = 0 mod p, else 0 */
static unsigned int
fe_iszero(const fe *f)
{
	uint8_t		 s[32];
	uint32_t	 d = 0;
	int		 i;

	fe_tobytes(s, f);
	for (i = 0; i < 32; i++)
		d |= s[i];
	return (d - 1) >> 31;
}

static unsigned int
fe_eq(const fe *f, const fe *g)
{
	fe	 t;

	fe_sub(&t, f, g);
	return fe_iszero(&t);
}

/*
 * 1 if f, as a canonical integer, is above (p - 1) / 2: exactly then is
 * 2f mod p = 2f - p odd.
 */
static unsigned int
fe_ishigh(const fe *f)
{
	uint8_t	 s[32];
	fe	 t;

	fe_add(&t, f, f);
	fe_tobytes(s, &t);
	return s[0] & 1;
}

/*
 * 1 if f is a non-zero square: its Legendre symbol f^((p-1)/2) is 1.
 * (p-1)/2 = 4 (p-5)/8 + 2.
 */
static unsigned int
fe_issquare(const fe *f)
{
	fe	 e, f2;

	fe_pow22523(&e, f);
	fe_sqn(&e, &e, 2);
	fe_sq(&f2, f);
	fe_mul(&e, &e, &f2);
	return fe_eq(&e, &FE_ONE);
}

/*
 * The low square root (<= (p-1)/2) of a square a.  b = a^((p+3)/8) has
 * b^2 = a or -a; in the second case sqrt(-1) b is a root.
 */
static void
fe_sqrt(fe *h, const fe *a)
{
	fe	 b, t;

	fe_pow22523(&b, a);
	fe_mul(&b, &b, a);
	fe_sq(&t, &b);
	fe_add(&t, &t, a);
	fe_mul(h, &b, &FE_SQRTM1);
	fe_cmov(&b, h, fe_iszero(&t));
	fe_neg(h, &b);
	fe_cmov(&b, h, fe_ishigh(&b));
	*h = b;
}

int
elligator2_encode(uint8_t repr[32], const uint8_t pub[32],
    uint8_t random_bits)
{
	fe		 x, xa, w;
	unsigned int	 ok;

	fe_frombytes(&x, pub);
	fe_add(&xa, &x, &FE_A);
	fe_neg(&xa, &xa);			/* -(x + A) */
	fe_mul(&w, &x, &xa);
	fe_add(&w, &w, &w);			/* -2 x (x + A) */
	ok = fe_issquare(&w);
	/* r^2 = x / (2 xa), or xa / (2 x) with bit 0 set */
	fe_cswap(&x, &xa, random_bits & 1);
	fe_add(&xa, &xa, &xa);
	fe_invert(&xa, &xa);
	fe_mul(&w, &x, &xa);
	fe_sqrt(&w, &w);
	fe_tobytes(repr, &w);
	repr[31] |= random_bits & 0xc0;
	crypto_wipe(&x, sizeof(x));
	crypto_wipe(&xa, sizeof(xa));
	crypto_wipe(&w, sizeof(w));
	if (!ok) {
		memset(repr, 0, 32);
		return -1;
	}
	return 0;
}

int
elligator2_decode(uint8_t pub[32], const uint8_t repr[32])
{
	uint8_t		 b[32];
	fe		 r, v, t, x;
	unsigned int	 high;

	memcpy(b, repr, sizeof(b));
	b[31] &= 0x3f;
	fe_frombytes(&r, b);
	high = fe_ishigh(&r);
	fe_sq(&v, &r);
	fe_add(&v, &v, &v);
	fe_add(&v, &v, &FE_ONE);
	fe_invert(&v, &v);
	fe_mul(&v, &v, &FE_A);
	fe_neg(&v, &v);				/* -A / (1 + 2 r^2) */
	fe_add(&x, &v, &FE_A);
	fe_sq(&t, &v);
	fe_mul(&t, &t, &x);
	fe_add(&t, &t, &v);			/* v^3 + A v^2 + v */
	fe_neg(&x, &x);				/* -v - A */
	fe_cmov(&x, &v, fe_issquare(&t));
	fe_tobytes(pub, &x);
	if (high) {
		memset(pub, 0, 32);
		return -1;
	}
	return 0;
}

int
elligator2_keygen(uint8_t priv[32], uint8_t pub[32], uint8_t repr[32])
{
	uint8_t	 rnd;
	int	 i;

	for (i = 0; i < KEYGEN_TRIES; i++) {
		if (x25519_keygen(priv, pub) == -1 ||
		    crypto_random(&rnd, sizeof(rnd)) == -1)
			break;
		if (elligator2_encode(repr, pub, rnd) == 0) {
			crypto_wipe(&rnd, sizeof(rnd));
			return 0;
		}
	}
	crypto_wipe(priv, 32);
	crypto_wipe(&rnd, sizeof(rnd));
	return -1;
}
