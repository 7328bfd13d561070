#!/usr/bin/env python3
"""Exit 0 if no file under the netd, routerd or tunneld chroots holds the
router's private keys (router.key: Ed25519 seed at 13, X25519 key at 45)
or the NTCP2 static key (ntcp2.key: X25519 key at 45), 1 and the file's
name otherwise."""
import os
import sys

state = sys.argv[1]
raw = open(os.path.join(state, "keys", "router.key"), "rb").read()
secrets = [raw[13:45], raw[45:77]]
raw = open(os.path.join(state, "keys", "ntcp2.key"), "rb").read()
secrets.append(raw[45:77])
for sub in ("empty", "router", "client"):
    for root, _, files in os.walk(os.path.join(state, sub)):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                data = f.read()
            if any(s in data for s in secrets):
                print("key material in", os.path.join(root, name))
                sys.exit(1)
sys.exit(0)
