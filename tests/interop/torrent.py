#!/usr/bin/python3
"""BitTorrent over I2P with python3-libtorrent (Debian's), for the
interop tests: libtorrent speaks SAM to the router by itself.

  torrent.py probe [--seconds S]
    Whether this libtorrent's SAM client works at all, against a stand-in
    bridge on 127.0.0.1 that answers OK to everything: exit 0 if it sends
    SESSION CREATE after HELLO, else 1.
  torrent.py make --file F --tracker URL --out T
    A v1 torrent of F (64 KiB pieces) announcing to URL.
  torrent.py seed --sam H:P --torrent T --dir D [--seconds S] [--log L]
      [--sam-log L]
    Seeds T from D (checked first) until S seconds have passed.
  torrent.py leech --sam H:P --torrent T --dir D --expect F
      [--seconds S] [--log L] [--sam-log L]
    Downloads T into D, then compares it with F byte for byte; exit 0
    if it is the same, else 1 with the reason (also on a timeout).

Both sessions: I2P only (allow_i2p_mixed off, the SAM bridge as
i2p_proxy), no DHT, LSD, UPnP, NAT-PMP; libtorrent needs a listen
socket to announce from, so it has one on loopback, which an I2P torrent
takes no peer from.  The SAM session's tunnels are as short as the
bridge allows where libtorrent has settings for them (2.0.9 on); 2.0.8
has none and the bridge's defaults (3 hops) apply.  Every alert goes
to --log, one line each, for the test to show when it fails.

With --sam-log, libtorrent reaches the bridge through a relay on
127.0.0.1 that copies bytes unchanged and writes the SAM command lines
of each connection, both ways, to that file (destinations shortened):
the record of what libtorrent asks of the bridge.
"""
import argparse
import base64
import os
import socket
import sys
import threading
import time

import libtorrent as lt


def short(line):
    """A SAM line with its long base 64 words cut to 12 characters."""
    return " ".join(w if len(w) < 80 else w[:12] + "..(%d)" % len(w)
                    for w in line.split(" "))


def copy(src, dst, tag, log):
    """Bytes from src to dst; the first text lines logged."""
    text, buf = True, b""
    try:
        while True:
            d = src.recv(65536)
            if not d:
                break
            if text:
                buf += d
                while text and b"\n" in buf:
                    ln, buf = buf.split(b"\n", 1)
                    if not ln.isascii() or not ln[:1].isalpha():
                        text = False
                    else:
                        log("%s %s" % (tag, short(ln.decode())))
                if len(buf) > 4096 or (buf and not buf[:1].isalpha()):
                    text = False
            dst.sendall(d)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def relay(sam, log):
    """A relay to the bridge on 127.0.0.1; its "host:port"."""
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(64)
    n = [0]

    def run():
        while True:
            c, _ = ls.accept()
            try:
                b = socket.create_connection(sam)
            except OSError as e:
                log("relay: %s" % e)
                c.close()
                continue
            n[0] += 1
            for src, dst, tag in ((c, b, "%d >" % n[0]),
                                  (b, c, "%d <" % n[0])):
                threading.Thread(target=copy, args=(src, dst, tag, log),
                                 daemon=True).start()
    threading.Thread(target=run, daemon=True).start()
    return "127.0.0.1:%d" % ls.getsockname()[1]


def session(a):
    """
    No outgoing_interfaces: with one set, libtorrent (2.0.11) checks
    the local address of every incoming connection against it, and an
    I2P one, a SAM socket, has none it knows (peer_blocked_alert
    invalid_local_interface).
    """
    sam = a.sam
    if a.sam_log:
        h, p = sam.rsplit(":", 1)
        sam = relay((h, int(p)), Log(a.sam_log))
    host, port = sam.rsplit(":", 1)
    known = lt.default_settings()
    # the SAM session's tunnels (libtorrent 2.0.9 on), as short as the
    # bridge builds them (a length of 0 becomes 1 there)
    tunnels = {k: v for k, v in (
        ("i2p_inbound_length", 1), ("i2p_outbound_length", 1),
        ("i2p_inbound_quantity", 2), ("i2p_outbound_quantity", 2),
        ("i2p_inbound_length_variance", 0),
        ("i2p_outbound_length_variance", 0)) if k in known}
    return lt.session(dict(tunnels, **{
        "listen_interfaces": "127.0.0.1:%d" % a.listen,
        "i2p_hostname": host,
        "i2p_port": int(port),
        "proxy_type": lt.proxy_type_t.i2p_proxy,
        "proxy_hostname": host,
        "proxy_port": int(port),
        "allow_i2p_mixed": False,
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        # I2P is slow to connect: a SAM CONNECT answers once the
        # stream is open, a lookup may take seconds
        "peer_connect_timeout": 120,
        "handshake_timeout": 120,
        "inactivity_timeout": 300,
        "tracker_completion_timeout": 180,
        "tracker_receive_timeout": 120,
        "request_timeout": 120,
        "alert_mask": lt.alert.category_t.all_categories,
        "user_agent": "i2prd-interop",
    }))


class Log:
    def __init__(self, path):
        self.f = open(path, "a") if path else sys.stderr
        self.lock = threading.Lock()

    def __call__(self, msg):
        with self.lock:
            self.f.write("%.1f %s\n" % (time.time(), msg))
            self.f.flush()


def pump(ses, log):
    for al in ses.pop_alerts():
        log("%s: %s" % (type(al).__name__, al.message()))


def fake_sam(seen):
    """A SAM bridge on 127.0.0.1 that answers every command OK, for the
    probe; what it was sent goes to seen.  Its port."""
    dest = base64.b64encode(os.urandom(384) + b"\0\0\0", b"-~").decode()
    replies = {"HELLO": "HELLO REPLY RESULT=OK VERSION=3.0",
               "SESSION": "SESSION STATUS RESULT=OK DESTINATION=" + dest,
               "NAMING": "NAMING REPLY RESULT=OK NAME=ME VALUE=" + dest,
               "STREAM": "STREAM STATUS RESULT=OK"}
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)

    def one(c):
        buf = b""
        while True:
            d = c.recv(4096)
            if not d:
                return
            buf += d
            while b"\n" in buf:
                ln, buf = buf.split(b"\n", 1)
                ln = ln.decode(errors="replace")
                seen.append(ln)
                r = replies.get(ln.split(" ")[0])
                if r:
                    c.sendall(r.encode() + b"\n")

    def run():
        while True:
            c, _ = ls.accept()
            threading.Thread(target=one, args=(c,), daemon=True).start()
    threading.Thread(target=run, daemon=True).start()
    return ls.getsockname()[1]


def cmd_probe(a):
    """
    Whether this libtorrent's SAM client gets past HELLO, against a
    bridge that answers everything OK: 2.0.0 to 2.0.8 post two reads
    for each byte of a reply after its first and lose the line
    (upstream's "fix I2P issue introduced in 2.0.0", 2.0.9), so they
    never send SESSION CREATE to any bridge.
    """
    seen = []
    a.sam = "127.0.0.1:%d" % fake_sam(seen)
    a.sam_log = None
    ses = session(a)
    end = time.time() + a.seconds
    while time.time() < end and not any(x.startswith("SESSION CREATE")
                                        for x in seen):
        ses.pop_alerts()
        time.sleep(0.1)
    for ln in seen:
        print("probe: libtorrent %s sent: %s" % (lt.__version__, short(ln)))
    if not any(x.startswith("SESSION CREATE") for x in seen):
        print("probe: libtorrent %s sent no SESSION CREATE after HELLO"
              % lt.__version__)
        return 1
    return 0


def cmd_make(a):
    fs = lt.file_storage()
    lt.add_files(fs, a.file)
    ct = lt.create_torrent(fs, 65536, lt.create_torrent.v1_only)
    ct.add_tracker(a.tracker)
    lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(a.file)))
    with open(a.out, "wb") as f:
        f.write(lt.bencode(ct.generate()))
    return 0


def add(ses, a):
    ti = lt.torrent_info(a.torrent)
    return ses.add_torrent({"ti": ti, "save_path": a.dir}), ti


def run(a, stop):
    """The torrent in a session until stop(status) or --seconds; its
    last status and torrent_info.  Alerts and status changes logged."""
    log = Log(a.log)
    ses = session(a)
    h, ti = add(ses, a)
    end = time.time() + a.seconds
    last = ""
    while True:
        pump(ses, log)
        st = h.status()
        line = "state %s seed %s peers %d done %d of %d up %d" % (
            st.state, st.is_seeding, st.num_peers, st.total_wanted_done,
            st.total_wanted, st.total_payload_upload)
        if line != last:
            log(line)
            last = line
        if stop(st) or time.time() >= end:
            return st, ti
        time.sleep(0.5)


def cmd_seed(a):
    run(a, lambda st: False)
    return 0


def same(path, expect):
    with open(path, "rb") as f, open(expect, "rb") as g:
        return f.read() == g.read()


def cmd_leech(a):
    t0 = time.time()
    st, ti = run(a, lambda st: st.is_seeding)
    if not st.is_seeding:
        print("leech: timeout after %d s, %d of %d bytes, %d peers" % (
            a.seconds, st.total_wanted_done, st.total_wanted, st.num_peers))
        return 1
    path = os.path.join(a.dir, ti.files().file_path(0))
    if not same(path, a.expect):
        print("leech: %s differs from %s" % (path, a.expect))
        return 1
    print("leech: %d bytes byte-exact in %.0f s" % (
        os.path.getsize(path), time.time() - t0))
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("--file", required=True)
    m.add_argument("--tracker", required=True)
    m.add_argument("--out", required=True)
    pr = sub.add_parser("probe")
    pr.add_argument("--seconds", type=float, default=5)
    pr.add_argument("--listen", type=int, default=6883)
    for name in ("seed", "leech"):
        q = sub.add_parser(name)
        q.add_argument("--sam", required=True)
        q.add_argument("--torrent", required=True)
        q.add_argument("--dir", required=True)
        q.add_argument("--seconds", type=float, default=300)
        q.add_argument("--listen", type=int, default=6881)
        q.add_argument("--log")
        q.add_argument("--sam-log")
        if name == "leech":
            q.add_argument("--expect", required=True)
    a = p.parse_args()
    return {"make": cmd_make, "seed": cmd_seed, "leech": cmd_leech,
            "probe": cmd_probe}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
