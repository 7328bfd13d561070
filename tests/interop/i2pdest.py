#!/usr/bin/env python3
"""The names and netDb keys of a destination in an i2pd keys file.

    i2pdest.py KEYS_FILE hash|b32|sigtype|b33|blinded [YYYYMMDD]

hash     its Destination's hash, I2P Base64: the netDb key of its
         LeaseSet (type 1) or LeaseSet2 (type 3)
b32      the same hash as a .b32.i2p name
sigtype  its signature type
b33      the .b32.i2p name of its EncryptedLeaseSet (proposal 149,
         b32encrypted.rst): Ed25519 (7) or RedDSA (11) keys only
blinded  the netDb key of its EncryptedLeaseSet on that UTC day (today
         by default): SHA-256 of the blinded key's sig type (11) and the
         blinded key (encryptedleaseset.rst, "Key Blinding"), computed
         here as i2pd's Blinding.cpp does, so that a floodfill's key is
         checked against an independent computation.

A keys file is the Destination (256-byte crypto key, 128-byte signing
key field, certificate) followed by private keys, which are not read.
"""
import base64
import datetime
import hashlib
import hmac
import sys
import zlib

SIGTYPE_ED25519, SIGTYPE_REDDSA = 7, 11


def destination(raw):
    """the Destination's bytes and its signature type"""
    certlen = int.from_bytes(raw[385:387], "big")
    dest = raw[:387 + certlen]
    sigtype = 0
    if raw[384] == 5:		# KEY certificate: sig type, crypto type
        sigtype = int.from_bytes(raw[387:389], "big")
    return dest, sigtype


def b64(b):
    return base64.b64encode(b, b"-~").decode()


def b32(b):
    return base64.b32encode(b).decode().lower().rstrip("=") + ".b32.i2p"


# Ed25519 in affine coordinates: slow, but a handful of operations
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def x_of(y, sign):
    xx = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    x = pow(xx, (P + 3) // 8, P)
    if (x * x - xx) % P:
        x = x * SQRT_M1 % P
    if (x * x - xx) % P:
        raise ValueError("not a point")
    return P - x if x & 1 != sign else x


def add(a, b):
    (x1, y1), (x2, y2) = a, b
    t = D * x1 * x2 * y1 * y2 % P
    return ((x1 * y2 + x2 * y1) * pow(1 + t, P - 2, P) % P,
            (y1 * y2 + x1 * x2) * pow(1 - t, P - 2, P) % P)


def mul(pt, k):
    r = (0, 1)
    while k:
        if k & 1:
            r = add(r, pt)
        pt = add(pt, pt)
        k >>= 1
    return r


BASE_Y = 4 * pow(5, P - 2, P) % P
BASE = (x_of(BASE_Y, 0), BASE_Y)


def decode(s):
    y = int.from_bytes(s, "little") & ((1 << 255) - 1)
    return (x_of(y, s[31] >> 7), y)


def encode(pt):
    x, y = pt
    return (y | (x & 1) << 255).to_bytes(32, "little")


def hkdf(salt, ikm, info, n):
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:n]


def blinded_key(pub, sigtype, day):
    """A' = A + alpha * B, alpha from the key, its types and the day"""
    types = sigtype.to_bytes(2, "big") + SIGTYPE_REDDSA.to_bytes(2, "big")
    salt = hashlib.sha256(b"I2PGenerateAlpha" + pub + types).digest()
    seed = hkdf(salt, day.encode(), b"i2pblinding1", 64)
    alpha = int.from_bytes(seed, "little") % L
    return encode(add(decode(pub), mul(BASE, alpha)))


def b33(pub, sigtype):
    """flags, sig type, blinded sig type, key; CRC-32 of the key
    (little-endian) over the first three bytes"""
    a = bytearray([0, sigtype, SIGTYPE_REDDSA]) + pub
    crc = zlib.crc32(pub)
    for i in range(3):
        a[i] ^= (crc >> (8 * i)) & 0xff
    return b32(bytes(a))


def main():
    raw = open(sys.argv[1], "rb").read()
    what = sys.argv[2]
    dest, sigtype = destination(raw)
    pub = dest[384 - 32:384]
    if what == "hash":
        print(b64(hashlib.sha256(dest).digest()))
    elif what == "b32":
        print(b32(hashlib.sha256(dest).digest()))
    elif what == "sigtype":
        print(sigtype)
    elif sigtype not in (SIGTYPE_ED25519, SIGTYPE_REDDSA):
        sys.exit("%s: sig type %d cannot be blinded here" %
                 (sys.argv[1], sigtype))
    elif what == "b33":
        print(b33(pub, sigtype))
    elif what == "blinded":
        day = sys.argv[3] if len(sys.argv) > 3 else \
            datetime.datetime.utcnow().strftime("%Y%m%d")
        key = blinded_key(pub, sigtype, day)
        print(b64(hashlib.sha256(SIGTYPE_REDDSA.to_bytes(2, "big") +
                                 key).digest()))
    else:
        sys.exit("usage: i2pdest.py KEYS_FILE "
                 "hash|b32|sigtype|b33|blinded [YYYYMMDD]")


if __name__ == "__main__":
    main()
