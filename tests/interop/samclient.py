#!/usr/bin/env python3
"""A small SAM v3 datagram client for the interop tests and benchmarks.

Speaks to any SAM bridge (i2pd's 3.1, ours 3.3) as applications do:
HELLO, SESSION CREATE STYLE=DATAGRAM|RAW with PORT/HOST forwarding to a
local UDP socket, datagrams sent on the bridge's UDP port as
"3.x ID DEST\\n" + payload.

  samclient.py echo --sam H:P --udp H:P --bind H:P --id ID --dest-out F
      [--style DATAGRAM|RAW] [--reply-to B64] [--seconds N] [--opts "k=v ..."]
    makes a session, writes its destination (base64) to F, and sends
    every datagram it receives back: to its sender (DATAGRAM), or to
    --reply-to (RAW).  Counts go to stdout when it ends.

  samclient.py ping --sam H:P --udp H:P --bind H:P --id ID --to B64
      [--style ...] [--count N] [--size S] [--window W] [--seconds N]
    makes a session, sends COUNT datagrams of SIZE bytes (numbered,
    random filler) to B64, at most WINDOW unanswered at once, and checks
    the echoes byte for byte.  Prints one line of JSON: sent, echoed,
    intact, first_ms (first datagram to its echo: lookup, New Session
    and the reply), seconds, rate (echoes per second), bytes per second.

  samclient.py lookup --sam H:P NAME
    prints the VALUE of NAMING LOOKUP NAME (empty if not found).
"""
import argparse
import json
import os
import socket
import struct
import sys
import time


def hostport(s):
    h, p = s.rsplit(":", 1)
    return h, int(p)


class Sam:
    def __init__(self, addr, version_max="3.3", timeout=180):
        self.s = socket.create_connection(addr, timeout=timeout)
        self.f = self.s.makefile("rwb")
        r = self.cmd("HELLO VERSION MIN=3.0 MAX=%s" % version_max)
        if r.get("RESULT") != "OK":
            raise SystemExit("HELLO: %r" % r)
        self.version = r.get("VERSION", "3.0")

    def cmd(self, line):
        self.f.write(line.encode() + b"\n")
        self.f.flush()
        reply = self.f.readline().decode().strip()
        return parse(reply)


def parse(line):
    """A reply line's KEY=VALUE pairs, quoted values unquoted."""
    out, i, words = {}, 0, []
    cur, q = "", False
    for c in line:
        if c == '"':
            q = not q
        elif c == " " and not q:
            words.append(cur)
            cur = ""
        else:
            cur += c
    words.append(cur)
    out["_words"] = [w for w in words if "=" not in w]
    for w in words:
        if "=" in w:
            k, v = w.split("=", 1)
            out[k] = v
    return out


def session(a, sam):
    bh, bp = hostport(a.bind)
    opts = "SIGNATURE_TYPE=7 i2cp.leaseSetEncType=4 " + (a.opts or "")
    key = "TRANSIENT"
    if getattr(a, "priv_file", None):
        with open(a.priv_file) as f:
            key = f.read().strip()
    r = sam.cmd("SESSION CREATE STYLE=%s ID=%s DESTINATION=%s "
                "HOST=%s PORT=%d %s" % (a.style, a.id, key, bh, bp, opts))
    if r.get("RESULT") != "OK":
        raise SystemExit("SESSION CREATE: %r" % r)
    priv = r["DESTINATION"]
    if key != "TRANSIENT" and priv != key:
        raise SystemExit("SESSION CREATE: not the key given back")
    return priv


def pub_of_priv(priv_b64):
    """The public Destination's base64 of a private key's base64."""
    import base64
    raw = base64.b64decode(priv_b64.replace("-", "+").replace("~", "/"))
    # 384 key bytes, then the certificate: type, length, payload
    clen = struct.unpack(">H", raw[385:387])[0]
    dest = raw[:387 + clen]
    return base64.b64encode(dest).decode().replace("+", "-").replace("/", "~")


def split_forwarded(data, style):
    """A forwarded datagram: (sender or None, payload)."""
    if style == "RAW":
        return None, data
    nl = data.index(b"\n")
    head = data[:nl].decode().split(" ")
    return head[0], data[nl + 1:]


def udp_socket(bind):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    u.bind(hostport(bind))
    return u


def send_to(u, bridge, version, sid, dest, payload):
    u.sendto(("%s %s %s\n" % (version, sid, dest)).encode() + payload, bridge)


def reply_to(a):
    """RAW has no sender: a fixed destination, or one from a file."""
    if a.reply_to:
        return a.reply_to
    if a.reply_to_file and os.path.exists(a.reply_to_file):
        with open(a.reply_to_file) as f:
            return f.read().strip()
    return None


def write_dest(path, priv):
    with open(path + ".tmp", "w") as f:
        f.write(pub_of_priv(priv) + "\n")
    os.rename(path + ".tmp", path)


def cmd_echo(a):
    sam = Sam(hostport(a.sam), a.version)
    u = udp_socket(a.bind)
    priv = session(a, sam)
    write_dest(a.dest_out, priv)
    bridge = hostport(a.udp)
    end = time.time() + a.seconds
    got = sent = 0
    u.settimeout(1)
    while time.time() < end:
        try:
            data, _ = u.recvfrom(65536)
        except socket.timeout:
            continue
        got += 1
        sender, payload = split_forwarded(data, a.style)
        to = sender if a.style != "RAW" else reply_to(a)
        if to:
            send_to(u, bridge, sam.version, a.id, to, payload)
            sent += 1
    print(json.dumps({"received": got, "echoed": sent}))


FIRST = 1 << 63	# the first datagram's tries are numbered apart


def cmd_ping(a):
    sam = Sam(hostport(a.sam), a.version)
    u = udp_socket(a.bind)
    priv = session(a, sam)
    if a.dest_out:
        write_dest(a.dest_out, priv)
    if a.wait_file:
        while not os.path.exists(a.wait_file):
            time.sleep(0.2)
    bridge = hostport(a.udp)
    sent_at, echoed, intact, first_ms = {}, 0, 0, None
    filler = os.urandom(max(0, a.size - 8))
    t0 = time.time()
    end = t0 + a.seconds
    seq = 0
    tries = 0
    u.settimeout(0.2)
    last_send = 0
    while time.time() < end and echoed < a.count:
        now = time.time()
        # all sent, and the ones still out given up on: lost, done
        if echoed > 0 and seq >= a.count and not sent_at:
            break
        inflight = len(sent_at)
        # the first datagram alone until it comes back: it starts the
        # lookup and the session; sent again every 5 s until then, each
        # try numbered apart so that first_ms is one try's round trip
        if seq == 0 or (echoed == 0 and now - last_send > 5):
            if seq == 0:
                seq = 1
            tries += 1
            sent_at[FIRST | tries] = now
            send_to(u, bridge, sam.version, a.id, a.to,
                    struct.pack(">Q", FIRST | tries) + filler)
            last_send = now
        elif echoed > 0:
            while inflight < a.window and seq < a.count:
                sent_at[seq] = time.time()
                send_to(u, bridge, sam.version, a.id, a.to,
                        struct.pack(">Q", seq) + filler)
                seq += 1
                inflight += 1
            # lost ones: forget after 15 s so the window moves on
            for k in [k for k, t in sent_at.items() if now - t > 15]:
                del sent_at[k]
        try:
            data, _ = u.recvfrom(65536)
        except socket.timeout:
            continue
        _, payload = split_forwarded(data, a.style)
        if len(payload) < 8:
            continue
        n = struct.unpack(">Q", payload[:8])[0]
        if n not in sent_at:
            continue
        if n & FIRST:
            if first_ms is not None:
                continue
            first_ms = int((time.time() - sent_at[n]) * 1000)
            for k in [k for k in sent_at if k & FIRST]:
                del sent_at[k]
        else:
            del sent_at[n]
        echoed += 1
        if payload[8:] == filler:
            intact += 1
    secs = time.time() - t0
    print(json.dumps({"sent": seq, "echoed": echoed, "intact": intact,
                      "first_ms": first_ms, "first_tries": tries,
                      "seconds": round(secs, 2),
                      "rate": round(echoed / secs, 1) if secs else 0,
                      "bytes_per_s": round(echoed * a.size / secs)
                      if secs else 0}), flush=True)
    # the session kept a while, for whoever watches its state
    time.sleep(a.linger)


def cmd_generate(a):
    sam = Sam(hostport(a.sam), a.version)
    r = sam.cmd("DEST GENERATE SIGNATURE_TYPE=7 CRYPTO_TYPE=%d" % a.crypto)
    print(r.get("PRIV", ""))


def cmd_lookup(a):
    sam = Sam(hostport(a.sam), a.version)
    r = sam.cmd("NAMING LOOKUP NAME=%s" % a.name)
    print(r.get("VALUE", "") if r.get("RESULT") == "OK" else "")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="what", required=True)
    for name in ("echo", "ping", "lookup", "generate"):
        q = sub.add_parser(name)
        q.add_argument("--sam", required=True)
        q.add_argument("--version", default="3.3")
        if name == "lookup":
            q.add_argument("name")
            continue
        if name == "generate":
            q.add_argument("--crypto", type=int, default=4)
            continue
        q.add_argument("--udp", required=True)
        q.add_argument("--bind", required=True)
        q.add_argument("--id", required=True)
        q.add_argument("--style", default="DATAGRAM")
        q.add_argument("--opts", default="")
        q.add_argument("--priv-file")
        q.add_argument("--seconds", type=float, default=120)
        if name == "echo":
            q.add_argument("--dest-out", required=True)
            q.add_argument("--reply-to")
            q.add_argument("--reply-to-file")
        else:
            q.add_argument("--dest-out")
            q.add_argument("--wait-file")
            q.add_argument("--to", required=True)
            q.add_argument("--count", type=int, default=100)
            q.add_argument("--size", type=int, default=1024)
            q.add_argument("--window", type=int, default=16)
            q.add_argument("--linger", type=float, default=0)
    a = p.parse_args()
    {"echo": cmd_echo, "ping": cmd_ping, "lookup": cmd_lookup,
     "generate": cmd_generate}[a.what](a)


if __name__ == "__main__":
    sys.exit(main())
