#!/bin/sh
# Makes openssl.su3: an su3 reseed file whose signature comes from the
# openssl command line, not from our code, over a ZIP made by Python's
# zipfile, so the unit test checks our reader against an independent
# signer (PKCS#1 v1.5 around the bare SHA-512, Java's NONEwithRSA).
# The signer's certificate (signer.crt) is valid for a century; its key
# is not kept.  Run from this directory: sh make.sh
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:4096 -nodes -keyout "$tmp/key.pem" \
    -out signer.crt -days 36500 -sha512 \
    -subj "/O=I2P Anonymous Network/OU=I2P/CN=test-signer@mail.i2p" 2>/dev/null
python3 - "$tmp" <<'PY'
import struct, sys, zipfile
tmp = sys.argv[1]
with zipfile.ZipFile(tmp + "/c.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("routerInfo-AAAA.dat", b"not a RouterInfo: the test parses only the su3")
content = open(tmp + "/c.zip", "rb").read()
version = b"1700000000".ljust(16, b"\0")
signer = b"test-signer@mail.i2p"
hdr = b"I2Psu3" + bytes([0, 0]) + struct.pack(">HH", 6, 512) + bytes([0, len(version), 0, len(signer)])
hdr += struct.pack(">Q", len(content)) + bytes([0, 0, 0, 3]) + bytes(12)
open(tmp + "/signed", "wb").write(hdr + version + signer + content)
PY
openssl dgst -sha512 -binary "$tmp/signed" > "$tmp/digest"
openssl pkeyutl -sign -inkey "$tmp/key.pem" -pkeyopt rsa_padding_mode:pkcs1 \
    -in "$tmp/digest" -out "$tmp/sig"
cat "$tmp/signed" "$tmp/sig" > openssl.su3
