#!/usr/bin/env python3
# Known-good Datagram1 messages for tests/unit/test_tunneld_dgram.c,
# made apart from i2prd's code: Python's zlib and the cryptography
# package (datagrams.rst "Datagram1", protocol/i2cp.html "gzip header").
# Each NAME.bin is a Data message body (4-byte length, gzip member with
# ports 1234 -> 5678 and protocol 17) holding from || signature ||
# payload; NAME.hash is SHA-256 of the sender's Destination.  DSA and
# ECDSA signatures are randomized, so a new run writes other bytes.
import hashlib, struct, zlib
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import \
    decode_dss_signature

PAYLOAD = b"a repliable datagram from Python\n" * 3
UNUSED = bytes([0x5e]) * 256		# the crypto field, unused
PAD = bytes(range(0xa0, 0xc0))		# one 32-byte block, repeated

# cryptography.rst "DSA"
P = int("9C05B2AA960D9B97B8931963C9CC9E8C3026E9B8ED92FAD0A69CC886D5BF8015"
        "FCADAE31A0AD18FAB3F01B00A358DE237655C4964AFAA2B337E96AD316B9FB1C"
        "C564B5AEC5B69A9FF6C3E4548707FEF8503D91DD8602E867E6D35D2235C1869C"
        "E2479C3B9D5401DE04E0727FB33D6511285D4CF29538D9E3B6051F5B22CC1C93", 16)
Q = int("A5DFC28FEF4CA1E286744CD8EED9D29D684046B7", 16)
G = int("0C1F4D27D40093B429E962D7223824E0BBC47E7C832A39236FC683AF84889581"
        "075FF9082ED32353D4374D7301CDA1D23C431F4698599DDA02451824FF369752"
        "593647CC3DDC197DE985E43D136CDCFC6BD5409CD2F450821142A5E6F8EB1C3A"
        "B5D0484B8129FCF17BCE4F7F33321C3CB3DBB14A905E7B2B3E93BE4708CBCC82", 16)


def dest(sigtype, pub):
    if sigtype == 0:			# NULL certificate
        return UNUSED + pub + b"\x00\x00\x00"
    pad = (PAD * 4)[:128 - len(pub)]
    return UNUSED + pad + pub + struct.pack(">BHHH", 5, 4, sigtype, 0)


def rs(der, n):
    r, s = decode_dss_signature(der)
    return r.to_bytes(n, "big") + s.to_bytes(n, "big")


def ed25519_dgram():
    k = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    pub = k.public_key().public_bytes_raw()
    return dest(7, pub), k.sign(PAYLOAD)


def dsa_dgram():
    nums = dsa.DSAParameterNumbers(P, Q, G)
    k = nums.parameters().generate_private_key()
    pub = k.public_key().public_numbers().y.to_bytes(128, "big")
    # DSA_SHA1 signs the SHA-256 of the payload, not the payload
    digest = hashlib.sha256(PAYLOAD).digest()
    return dest(0, pub), rs(k.sign(digest, hashes.SHA1()), 20)


def p256_dgram():
    k = ec.generate_private_key(ec.SECP256R1())
    n = k.public_key().public_numbers()
    pub = n.x.to_bytes(32, "big") + n.y.to_bytes(32, "big")
    return dest(1, pub), rs(k.sign(PAYLOAD, ec.ECDSA(hashes.SHA256())), 32)


def data_message(body):
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    deflated = co.compress(body) + co.flush()
    hdr = b"\x1f\x8b\x08\x00" + struct.pack(">HH", 1234, 5678) + b"\x00\x11"
    member = hdr + deflated + struct.pack("<II", zlib.crc32(body), len(body))
    return struct.pack(">I", len(member)) + member


for name, make in (("ed25519", ed25519_dgram), ("dsa", dsa_dgram),
                   ("p256", p256_dgram)):
    d, sig = make()
    open(name + ".bin", "wb").write(data_message(d + sig + PAYLOAD))
    open(name + ".hash", "wb").write(hashlib.sha256(d).digest())
