#!/usr/bin/env python3
"""A small HTTP BitTorrent tracker (BEP 3) for I2P, for the interop tests.

  tracker.py serve --sam H:P --port PORT --name-out FILE --log FILE
      [--version V] [--opts "k=v ..."] [--seconds S] [--interval N]
  tracker.py announce --sam H:P --url URL --info-hash HEX [--id ID]
      [--opts "k=v ..."] [--hold S]
    A peer's announce over I2P, in the SAM dialogue libtorrent's I2P
    mode uses: HELLO VERSION MIN=3.0 MAX=3.0, SESSION CREATE STYLE=STREAM
    DESTINATION=TRANSIENT, NAMING LOOKUP NAME=ME and NAME=<tracker's
    .b32.i2p> on the session's socket, STREAM CONNECT on another, then
    GET URL?...&compact=1&ip=<own base 64>.i2p.  Each peer of the
    compact answer is looked up by its .b32.i2p name as libtorrent
    does; then it announces again with compact=0 and connects to each
    peer as listed ("<base 64>.i2p", which libtorrent passes to STREAM
    CONNECT unchanged).  Meanwhile it takes streams by STREAM ACCEPT
    as libtorrent does and answers each with one line.  Prints one JSON
    line: peers (their .b32.i2p names), resolved (how many of them
    NAMING LOOKUP found, with the right hash), reached (how many
    answered a STREAM CONNECT with their line), error.  The session is
    kept --hold seconds after (or until SIGTERM), for others to find
    and reach; then it announces event=stopped.

Serves announces on 127.0.0.1:PORT and publishes itself over I2P: a
STYLE=STREAM SAM session with STREAM FORWARD to that port (SILENT=false,
so each connection starts with the peer's Destination line).  The
FORWARD lasts as long as its control socket, which is held open.  The
session's .b32.i2p name goes to --name-out once the FORWARD stands.

The announce's "ip" is the peer's own Destination as I2P clients send it
(libtorrent: base 64 with ".i2p" appended).  The peer list is in the
form the client asks for: compact=1 (libtorrent's) is the 32-byte
hashes of the Destinations, one after the other, which the client turns
into .b32.i2p names; otherwise a list of dictionaries whose "ip" is the
base 64 Destination with ".i2p" (what I2P trackers give), port 6881.
A peer is listed until it sends event=stopped or the tracker ends.

Each announce is one JSON line in --log: info_hash (hex), event, the
hash of the "ip" Destination and of the Destination the SAM bridge said
the connection came from, and how many peers were answered.
"""
import argparse
import base64
import hashlib
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse

from samstream import Line, fields, hello, hostport


def bencode(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, list):
        return b"l" + b"".join(bencode(x) for x in v) + b"e"
    if isinstance(v, dict):
        out = b"d"
        for k in sorted(v, key=lambda k: k.encode() if isinstance(k, str)
                        else k):
            out += bencode(k) + bencode(v[k])
        return out + b"e"
    raise TypeError(type(v))


def i2p_b64decode(s):
    """I2P's base 64 (- and ~ for + and /); None if it is not that."""
    try:
        return base64.b64decode(s.replace("-", "+").replace("~", "/")
                                + "=" * (-len(s) % 4), validate=True)
    except ValueError:
        return None


def dest_of(ip):
    """A Destination's bytes from an announce's ip ("<b64>[.i2p]")."""
    if ip.endswith(".i2p"):
        ip = ip[:-4]
    if len(ip) < 516:
        return None
    raw = i2p_b64decode(ip)
    return raw if raw is not None and len(raw) >= 387 else None


class Swarm:
    """Peers by info_hash: Destination bytes, added and removed."""

    def __init__(self, log, interval):
        self.lock = threading.Lock()
        self.peers = {}
        self.log = log
        self.interval = interval

    def announce(self, q, via):
        ih = q.get("info_hash", [b""])[0]
        ev = q.get("event", [b""])[0].decode(errors="replace")
        ip = q.get("ip", [b""])[0].decode(errors="replace")
        dest = dest_of(ip)
        if len(ih) != 20 or dest is None:
            return {"failure reason": "need info_hash and an I2P ip"}, None
        h = hashlib.sha256(dest).digest()
        with self.lock:
            swarm = self.peers.setdefault(ih, {})
            if ev == "stopped":
                swarm.pop(h, None)
            else:
                swarm[h] = dest
            others = [d for k, d in swarm.items() if k != h]
        if q.get("compact", [b"0"])[0] == b"1":
            peers = b"".join(hashlib.sha256(d).digest() for d in others)
        else:
            peers = [{"ip": base64.b64encode(d, b"-~").decode() + ".i2p",
                      "port": 6881} for d in others]
        rec = {"info_hash": ih.hex(), "event": ev, "ip_hash": h.hex(),
               "sam_hash": via, "peers": len(others),
               "compact": q.get("compact", [b"0"])[0].decode()}
        return {"interval": self.interval, "min interval": 5,
                "complete": 0, "incomplete": len(swarm),
                "peers": peers}, rec

    def record(self, rec):
        with self.lock, open(self.log, "a") as f:
            f.write(json.dumps(rec) + "\n")


def http_reply(c, code, body):
    c.sendall(b"HTTP/1.0 %d %s\r\nContent-Type: text/plain\r\n"
              b"Content-Length: %d\r\nConnection: close\r\n\r\n"
              % (code, b"OK" if code == 200 else b"Not Found", len(body))
              + body)


def query_of(target):
    """The query string's fields, as bytes (info_hash is binary)."""
    qs = target.split("?", 1)[1] if "?" in target else ""
    out = {}
    for part in qs.split("&"):
        if "=" in part:
            k, v = part.split("=", 1)
            out.setdefault(k, []).append(
                urllib.parse.unquote_to_bytes(v.replace("+", " ")))
    return out


def one(c, swarm):
    """One connection: the SAM peer line, then one HTTP request."""
    try:
        c.settimeout(120)
        r = Line(c)
        peer = r.line().split(" ")[0]
        raw = i2p_b64decode(peer)
        via = hashlib.sha256(raw).hexdigest() if raw else None
        req = r.line().split(" ")
        # the headers, ignored; a request is short
        for _ in range(64):
            if not r.line():
                break
        else:
            http_reply(c, 404, b"too many header lines")
            return
        if len(req) < 2 or not req[1].startswith("/announce"):
            http_reply(c, 404, b"no such page")
            return
        reply, rec = swarm.announce(query_of(req[1]), via)
        http_reply(c, 200, bencode(reply))
        if rec is not None:
            swarm.record(rec)
    except (OSError, EOFError, UnicodeError):
        pass
    finally:
        c.close()


def serve(port, swarm):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(64)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=one, args=(c, swarm), daemon=True).start()


def b32_of(pub_b64):
    h = hashlib.sha256(i2p_b64decode(pub_b64)).digest()
    return base64.b32encode(h).decode().lower().rstrip("=") + ".b32.i2p"


def bdecode(b, i=0):
    """(value, next index) of the bencoded value at b[i]."""
    c = b[i:i + 1]
    if c == b"i":
        j = b.index(b"e", i)
        return int(b[i + 1:j]), j + 1
    if c in (b"l", b"d"):
        out, i = [], i + 1
        while b[i:i + 1] != b"e":
            v, i = bdecode(b, i)
            out.append(v)
        if c == b"l":
            return out, i + 1
        return dict(zip(out[0::2], out[1::2])), i + 1
    j = b.index(b":", i)
    n = int(b[i:j])
    return b[j + 1:j + 1 + n], j + 1 + n


def lookup(ctl, r, name):
    ctl.sendall(b"NAMING LOOKUP NAME=%s\n" % name.encode())
    return fields(r.line()).get("VALUE")


def b32_hash(h):
    return base64.b32encode(h).decode().lower().rstrip("=") + ".b32.i2p"


def http_get(a, dest, target):
    s, r = hello(a.sam, "3.0")
    s.sendall(b"STREAM CONNECT ID=%s DESTINATION=%s\n"
              % (a.id.encode(), dest.encode()))
    f = fields(r.line())
    if f.get("RESULT") != "OK":
        raise EOFError("STREAM CONNECT: %r" % f)
    host = urllib.parse.urlsplit(a.url).hostname
    s.sendall(b"GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
              % (target.encode(), host.encode()))
    body = r.rest()
    head, _, body = body.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.0 200"):
        raise EOFError("HTTP: %r" % head[:40])
    return bdecode(body)[0]


def greeter(a, me):
    """STREAM ACCEPTs one after the other, in libtorrent's form (no
    SILENT, the peer's line first); each stream gets one line."""
    while True:
        try:
            s, r = hello(a.sam, "3.0")
            s.sendall(b"STREAM ACCEPT ID=%s\n" % a.id.encode())
            if fields(r.line()).get("RESULT") != "OK":
                time.sleep(1)
                continue
            peer = r.line()
            s.sendall(b"hello from %s to %s\n" % (
                a.id.encode(), peer[:12].encode()))
            s.close()
        except (OSError, EOFError):
            time.sleep(0.5)


def greeted(a, dest):
    """A STREAM CONNECT to dest as a tracker gave it; whether the peer's
    greeting came back."""
    try:
        s, r = hello(a.sam, "3.0")
        s.sendall(b"STREAM CONNECT ID=%s DESTINATION=%s\n"
                  % (a.id.encode(), dest.encode()))
        if fields(r.line()).get("RESULT") != "OK":
            return False
        return r.line().startswith("hello from ")
    except (OSError, EOFError):
        return False


def announce(a, tracker, me, compact, event="started"):
    q = urllib.parse.urlencode({
        "info_hash": bytes.fromhex(a.info_hash), "peer_id": os.urandom(20),
        "port": 6881, "uploaded": 0, "downloaded": 0, "left": 0,
        "event": event, "compact": compact},
        quote_via=urllib.parse.quote)
    return http_get(a, tracker, urllib.parse.urlsplit(a.url).path
                    + "?" + q + "&ip=" + me + ".i2p").get(b"peers", b"")


def peers_of(a, ctl, r, me, tracker, out):
    """Both answer forms: compact hashes found by NAMING LOOKUP of their
    .b32.i2p names, listed Destinations reached by STREAM CONNECT."""
    peers = announce(a, tracker, me, 1)
    hashes = [peers[i:i + 32] for i in range(0, len(peers) - 31, 32)]
    out["peers"] = [b32_hash(h) for h in hashes]
    for h in hashes:
        v = lookup(ctl, r, b32_hash(h))
        raw = i2p_b64decode(v) if v else None
        if raw and hashlib.sha256(raw).digest() == h:
            out["resolved"] += 1
    for p in announce(a, tracker, me, 0):
        if greeted(a, p[b"ip"].decode()):
            out["reached"] += 1


def interrupted(signum, frame):
    raise KeyboardInterrupt


def cmd_announce(a):
    signal.signal(signal.SIGTERM, interrupted)
    out = {"peers": [], "resolved": 0, "reached": 0, "error": None}
    ctl, r = hello(a.sam, "3.0")
    ctl.sendall(b"SESSION CREATE STYLE=STREAM ID=%s DESTINATION=TRANSIENT "
                b"%s\n" % (a.id.encode(), a.opts.encode()))
    try:
        f = fields(r.line())
        if f.get("RESULT") != "OK":
            raise EOFError("SESSION CREATE: %r" % f)
        me = lookup(ctl, r, "ME")
        threading.Thread(target=greeter, args=(a, me), daemon=True).start()
        host = urllib.parse.urlsplit(a.url).hostname
        tracker = None
        for _ in range(a.tries):
            tracker = lookup(ctl, r, host)
            if tracker:
                break
            time.sleep(5)
        if not tracker:
            raise EOFError("NAMING LOOKUP %s: not found" % host)
        peers_of(a, ctl, r, me, tracker, out)
        print(json.dumps(out), flush=True)
        try:
            time.sleep(a.hold)
        except KeyboardInterrupt:
            pass
        # gone from the swarm before the session goes: nobody is sent
        # to a Destination that no longer answers
        announce(a, tracker, me, 1, "stopped")
        return 0
    except (OSError, EOFError, ValueError, KeyError) as e:
        out["error"] = str(e)
    print(json.dumps(out), flush=True)
    return 1


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("announce")
    q.add_argument("--sam", required=True)
    q.add_argument("--url", required=True)
    q.add_argument("--info-hash", required=True)
    q.add_argument("--id", default="peer")
    q.add_argument("--opts", default="")
    q.add_argument("--hold", type=float, default=0)
    q.add_argument("--tries", type=int, default=12)
    p0 = sub.add_parser("serve")
    p0.add_argument("--sam", required=True)
    p0.add_argument("--port", type=int, required=True)
    p0.add_argument("--name-out", required=True)
    p0.add_argument("--log", required=True)
    p0.add_argument("--id", default="tracker")
    p0.add_argument("--version", default="3.3")
    p0.add_argument("--opts", default="")
    p0.add_argument("--seconds", type=float, default=600)
    p0.add_argument("--interval", type=int, default=15)
    a = p.parse_args()
    if a.cmd == "announce":
        return cmd_announce(a)
    swarm = Swarm(a.log, a.interval)
    threading.Thread(target=serve, args=(a.port, swarm), daemon=True).start()
    ctl, r = hello(a.sam, a.version)
    opts = "SIGNATURE_TYPE=7 i2cp.leaseSetEncType=4 " + a.opts
    ctl.sendall(b"SESSION CREATE STYLE=STREAM ID=%s DESTINATION=TRANSIENT "
                b"%s\n" % (a.id.encode(), opts.encode()))
    f = fields(r.line())
    if f.get("RESULT") != "OK":
        raise SystemExit("SESSION CREATE: %r" % f)
    ctl.sendall(b"NAMING LOOKUP NAME=ME\n")
    me = fields(r.line()).get("VALUE")
    if not me:
        raise SystemExit("NAMING LOOKUP ME: no VALUE")
    fwd, fr = hello(a.sam, a.version)
    fwd.sendall(b"STREAM FORWARD ID=%s PORT=%d HOST=127.0.0.1 SILENT=false\n"
                % (a.id.encode(), a.port))
    f = fields(fr.line())
    if f.get("RESULT") != "OK":
        raise SystemExit("STREAM FORWARD: %r" % f)
    tmp = a.name_out + ".tmp"
    with open(tmp, "w") as out:
        out.write(b32_of(me) + "\n")
    os.rename(tmp, a.name_out)
    # both sockets stay open: the session and its FORWARD with them
    time.sleep(a.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
