#!/usr/bin/env python3
"""SAM v3 streams, for the interop tests: a server and a client.

  samstream.py serve --sam H:P --id ID --dest-out FILE [--accepts N]
      [--one-accept] [--forward PORT] [--version V] [--opts "k=v ..."] [--seconds S]
    A STYLE=STREAM session; its public Destination goes to FILE.  With
    --forward, STREAM FORWARD to a TCP server of its own on 127.0.0.1
    (or the address of --sam) PORT; else N sockets wait in STREAM ACCEPT
    at once, each taken again when its stream ends.  Each stream starts
    with the peer's line (DEST [FROM_PORT= TO_PORT=]), then a 1-byte
    mode and an 8-byte count: 'E' echoes that many bytes and waits for
    the client to close (the client closes first); 'S' reads an 8-byte
    seed and sends that many bytes of the seed's stream, then closes
    (the server closes first).  No half-close: i2pd's SAM ends the
    whole stream when its client shuts down its side.  With --drop-on
    FILE the session's control socket is closed once FILE exists, the
    stream sockets left open.  With --one-accept the N sockets take
    turns: one waits in ACCEPT at a time, the next once a stream came
    (i2pd 2.45.1's SAM, with several waiting while streams arrive at
    once, may hand two streams to one socket: the second's Destination
    line lands in the first's data, the first is never read).

  samstream.py connect --sam H:P --id ID --to B64 [--streams N]
      [--bytes B] [--mode echo|source] [--version V] [--opts ...]
    A STYLE=STREAM session, then N streams at once, each a STREAM
    CONNECT on its own socket: 'echo' sends B random bytes, closes its
    side and checks what comes back is the same; 'source' asks for B
    bytes and checks them.  Prints one JSON line: streams, ok, bytes,
    seconds, MB/s, connect_ms (median), first_byte_ms (median, source
    mode: from the CONNECT to the first byte of the answer; the first
    stream of a new session to a new server is cold: LeaseSet lookup
    and New Session included), errors.  With --warm, one more 'source'
    stream of 1 byte once the others are done, on the same session:
    warm_first_byte_ms.  'hold' (--held-out FILE) echoes B bytes,
    makes FILE and waits for the peer to end the stream: eof_ms, from
    FILE to the end.
"""
import argparse
import hashlib
import json
import os
import socket
import struct
import sys
import threading
import time


def hostport(s):
    h, p = s.rsplit(":", 1)
    return h, int(p)


def seeded(seed, n):
    """n bytes of SHA-256 in counter mode over an 8-byte seed."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(seed + struct.pack(">Q", i)).digest()
        i += 1
    return bytes(out[:n])


class Line:
    """A socket read a line at a time, then as bytes."""

    def __init__(self, sock):
        self.s = sock
        self.buf = b""

    def line(self):
        while b"\n" not in self.buf:
            d = self.s.recv(4096)
            if not d:
                raise EOFError("closed before a line")
            self.buf += d
        ln, self.buf = self.buf.split(b"\n", 1)
        return ln.decode(errors="replace").strip()

    def exact(self, n):
        while len(self.buf) < n:
            d = self.s.recv(65536)
            if not d:
                raise EOFError("closed after %d of %d" % (len(self.buf), n))
            self.buf += d
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def rest(self):
        out = [self.buf]
        self.buf = b""
        while True:
            d = self.s.recv(65536)
            if not d:
                return b"".join(out)
            out.append(d)


def fields(line):
    import shlex
    out = {}
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split(" ")
    for w in words:
        if "=" in w:
            k, v = w.split("=", 1)
            out[k] = v
    return out


def hello(sam, version):
    s = socket.create_connection(hostport(sam), timeout=300)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    r = Line(s)
    s.sendall(b"HELLO VERSION MIN=3.0 MAX=%s\n" % version.encode())
    f = fields(r.line())
    if f.get("RESULT") != "OK":
        raise SystemExit("HELLO: %r" % f)
    return s, r


def session(a):
    s, r = hello(a.sam, a.version)
    opts = "SIGNATURE_TYPE=7 i2cp.leaseSetEncType=4 " + (a.opts or "")
    s.sendall(b"SESSION CREATE STYLE=STREAM ID=%s DESTINATION=TRANSIENT %s\n"
              % (a.id.encode(), opts.encode()))
    f = fields(r.line())
    if f.get("RESULT") != "OK":
        raise SystemExit("SESSION CREATE: %r" % f)
    return s, r, f["DESTINATION"]


def pub_of_priv(priv_b64):
    import base64
    raw = base64.b64decode(priv_b64.replace("-", "+").replace("~", "/"))
    clen = struct.unpack(">H", raw[385:387])[0]
    return base64.b64encode(raw[:387 + clen]).decode() \
        .replace("+", "-").replace("/", "~")


def serve_stream(r):
    """One stream after its peer line: as its first byte says."""
    mode, n = struct.unpack(">cQ", r.exact(9))
    if mode == b"E":
        while n > 0:
            d = r.buf or r.s.recv(min(n, 65536))
            r.buf = b""
            if not d:
                return
            r.s.sendall(d)
            n -= len(d)
        # the client closes once it has all back
        r.s.settimeout(60)
        try:
            while r.s.recv(65536):
                pass
        except OSError:
            pass
    elif mode == b"S":
        seed = r.exact(8)
        r.s.sendall(seeded(seed, n))
    else:
        print("serve: unknown request %r" % mode, file=sys.stderr, flush=True)


def acceptor(a, stop, waiting, turn):
    while not stop.is_set():
        # with --one-accept, one socket at a time waits in ACCEPT
        held = turn.acquire() if turn is not None else False
        s = None
        try:
            s, r = hello(a.sam, a.version)
            s.sendall(b"STREAM ACCEPT ID=%s SILENT=false\n" % a.id.encode())
            f = fields(r.line())
            if f.get("RESULT") != "OK":
                time.sleep(1)
                continue
            waiting.release()
            r.line()            # the peer's Destination, ports from 3.2
            if held:
                turn.release()
                held = False
            serve_stream(r)
        except (OSError, EOFError) as e:
            # said, for a benchmark's or test's log to tell which end quit
            print("acceptor: %s" % e, file=sys.stderr, flush=True)
            time.sleep(0.2)
        finally:
            if held:
                turn.release()
            if s is not None:
                s.close()


def forward_server(port, bind, stop):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((bind, port))
    ls.listen(64)
    ls.settimeout(1)
    while not stop.is_set():
        try:
            c, _ = ls.accept()
        except socket.timeout:
            continue

        def one(c=c):
            try:
                r = Line(c)
                r.line()
                serve_stream(r)
            except (OSError, EOFError):
                pass
            finally:
                c.close()
        threading.Thread(target=one, daemon=True).start()


def cmd_serve(a):
    ctl, r, priv = session(a)
    stop = threading.Event()
    if a.forward:
        bind = hostport(a.sam)[0]
        threading.Thread(target=forward_server, args=(a.forward, bind, stop),
                         daemon=True).start()
        s, fr = hello(a.sam, a.version)
        s.sendall(b"STREAM FORWARD ID=%s PORT=%d HOST=%s\n"
                  % (a.id.encode(), a.forward, bind.encode()))
        f = fields(fr.line())
        if f.get("RESULT") != "OK":
            raise SystemExit("STREAM FORWARD: %r" % f)
    else:
        # the address is given out once the ACCEPTs wait
        waiting = threading.Semaphore(0)
        turn = threading.Lock() if a.one_accept else None
        for _ in range(a.accepts):
            threading.Thread(target=acceptor, args=(a, stop, waiting, turn),
                             daemon=True).start()
        for _ in range(1 if a.one_accept else a.accepts):
            waiting.acquire(timeout=60)
    tmp = a.dest_out + ".tmp"
    with open(tmp, "w") as f:
        f.write(pub_of_priv(priv))
    os.rename(tmp, a.dest_out)
    end = time.time() + a.seconds
    if a.drop_on:
        # the session ends (its control socket closed) once the file
        # is there; the stream sockets stay open
        while time.time() < end and not os.path.exists(a.drop_on):
            time.sleep(0.1)
        ctl.close()
    time.sleep(max(0, end - time.time()))
    stop.set()


def client_stream(a, res, i):
    t0 = time.time()
    try:
        s, r = hello(a.sam, a.version)
        s.sendall(b"STREAM CONNECT ID=%s DESTINATION=%s SILENT=false\n"
                  % (a.id.encode(), a.to.encode()))
        f = fields(r.line())
        if f.get("RESULT") != "OK":
            res["errors"].append("CONNECT %d: %s" % (i, f))
            return
        res["connect_ms"].append(int((time.time() - t0) * 1000))
        if a.mode == "echo":
            want = os.urandom(a.bytes)
            s.sendall(struct.pack(">cQ", b"E", a.bytes))
            w = threading.Thread(target=s.sendall, args=(want,),
                                 daemon=True)
            w.start()
            got = r.exact(a.bytes)
            w.join()
        elif a.mode == "hold":
            # echoed, then held open till the peer ends it: how long
            # after the marker file its end took
            want = os.urandom(a.bytes)
            s.sendall(struct.pack(">cQ", b"E", a.bytes) + want)
            got = r.exact(a.bytes)
            t1 = time.time()
            with open(a.held_out, "w"):
                pass
            r.rest()
            res["eof_ms"].append(int((time.time() - t1) * 1000))
        else:
            seed = os.urandom(8)
            s.sendall(struct.pack(">cQ", b"S", a.bytes) + seed)
            got = r.exact(1) if a.bytes > 0 else b""
            res["first_byte_ms"].append(int((time.time() - t0) * 1000))
            got += r.rest()
            want = seeded(seed, a.bytes)
        s.close()
        if got == want:
            res["ok"] += 1
            res["bytes"] += len(got)
        else:
            res["errors"].append("stream %d: %d bytes back of %d%s" % (
                i, len(got), len(want),
                ", differing" if len(got) == len(want) else ""))
    except (OSError, EOFError) as e:
        res["errors"].append("stream %d: %s" % (i, e))


def cmd_connect(a):
    ctl, r, priv = session(a)
    res = {"ok": 0, "bytes": 0, "connect_ms": [], "first_byte_ms": [],
           "eof_ms": [], "errors": []}
    t0 = time.time()
    ts = [threading.Thread(target=client_stream, args=(a, res, i))
          for i in range(a.streams)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(a.seconds)
    secs = time.time() - t0
    cms = sorted(res["connect_ms"])
    fbs = sorted(res["first_byte_ms"])
    warm = None
    if a.warm:
        w = {"ok": 0, "bytes": 0, "connect_ms": [], "first_byte_ms": [],
             "errors": []}
        one = argparse.Namespace(**vars(a))
        one.mode, one.bytes = "source", 1
        client_stream(one, w, a.streams)
        warm = w["first_byte_ms"][0] if w["first_byte_ms"] else None
    print(json.dumps({
        "streams": a.streams, "ok": res["ok"], "bytes": res["bytes"],
        "seconds": round(secs, 2),
        "mb_per_s": round(res["bytes"] / secs / 1e6, 3) if secs else 0,
        "connect_ms": cms[len(cms) // 2] if cms else None,
        "first_byte_ms": fbs[len(fbs) // 2] if fbs else None,
        "warm_first_byte_ms": warm,
        "eof_ms": max(res["eof_ms"]) if res["eof_ms"] else None,
        "errors": res["errors"][:5]}))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="what", required=True)
    for name in ("serve", "connect"):
        q = sub.add_parser(name)
        q.add_argument("--sam", required=True)
        q.add_argument("--id", required=True)
        q.add_argument("--version", default="3.3")
        q.add_argument("--opts", default="")
        q.add_argument("--seconds", type=float, default=300)
        if name == "serve":
            q.add_argument("--dest-out", required=True)
            q.add_argument("--accepts", type=int, default=4)
            q.add_argument("--one-accept", action="store_true")
            q.add_argument("--forward", type=int)
            q.add_argument("--drop-on", help="end the session once this "
                           "file exists")
        else:
            q.add_argument("--to", required=True)
            q.add_argument("--streams", type=int, default=1)
            q.add_argument("--bytes", type=int, default=1 << 20)
            q.add_argument("--warm", action="store_true")
            q.add_argument("--mode", choices=("echo", "source", "hold"),
                           default="echo")
            q.add_argument("--held-out", help="hold: made once echoed")
    a = p.parse_args()
    {"serve": cmd_serve, "connect": cmd_connect}[a.what](a)


if __name__ == "__main__":
    sys.exit(main())
