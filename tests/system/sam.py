#!/usr/bin/env python3
"""The SAM bridge of a running tunneld, over real sockets.

usage: sam.py HOST PORT UDPPORT

Prints "ok - ..." or "not ok - ..." per check, exits 1 if any failed.
The suite runs alone, with no network to build tunnels through: DEST
GENERATE answers with a key pair cryptod made, a session's destination
is made and then given up when its client leaves before its tunnels
exist, and the bridge stays up through all of it.
"""
import socket
import sys
import time

host, port, udp_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
failed = 0


def check(what, cond):
    global failed
    print(("ok - " if cond else "not ok - ") + "sam: " + what)
    if not cond:
        failed += 1


def client():
    s = socket.create_connection((host, port), timeout=5)
    return s, s.makefile("rb")


def line(f):
    return f.readline().decode()


def closed(s):
    try:
        s.settimeout(5)
        return s.recv(1) == b""
    except (ConnectionResetError, socket.timeout):
        return False


def keys(reply):
    """A reply's KEY=VALUE pairs in order, as the clients split them."""
    return [w.split("=", 1)[0] for w in reply.split()[2:] if "=" in w]


s, f = client()
s.sendall(b"HELLO VERSION MIN=3.0 MAX=3.3\n")
check("HELLO gives 3.3", line(f) == "HELLO REPLY RESULT=OK VERSION=3.3\n")
# several commands in one write, CRLF
s.sendall(b"PING abc\r\nNAMING LOOKUP NAME=ME\n")
check("PING answers PONG", line(f) == "PONG abc\n")
r = line(f)
check("NAMING LOOKUP NAME=ME without a session: KEY_NOT_FOUND, RESULT "
      "first, MESSAGE last", r.startswith("NAMING REPLY RESULT=KEY_NOT_FOUND")
      and keys(r) == ["RESULT", "NAME", "MESSAGE"])
s.sendall(b"DEST GENERATE SIGNATURE_TYPE=7\n")
r = line(f)
pub = [w[4:] for w in r.split() if w.startswith("PUB=")]
priv = [w[5:] for w in r.split() if w.startswith("PRIV=")]
check("DEST GENERATE: a Destination and its private key, PUB then PRIV",
      r.startswith("DEST REPLY PUB=") and pub and priv and
      len(priv[0]) > len(pub[0]) > 500 and keys(r) == ["PUB", "PRIV"])
s.sendall(b"SESSION CREATE STYLE=DATAGRAM ID=sys DESTINATION=AAAA "
          b"SIGNATURE_TYPE=7\n")
r = line(f)
check("SESSION CREATE with a malformed private key: INVALID_KEY",
      r.startswith("SESSION STATUS RESULT=INVALID_KEY"))
# a session whose client leaves while its tunnels are being built
s3, f3 = client()
s3.sendall(b"HELLO VERSION\nSESSION CREATE STYLE=DATAGRAM ID=gone "
           b"DESTINATION=TRANSIENT SIGNATURE_TYPE=7\n")
line(f3)
time.sleep(1)
s3.close()
time.sleep(1)

s2, f2 = client()
s2.sendall(b"NAMING LOOKUP NAME=ME\n")
check("a command before HELLO: I2P_ERROR, then closed",
      line(f2).startswith("HELLO REPLY RESULT=I2P_ERROR") and closed(s2))
s2, f2 = client()
s2.sendall(b"HELLO VERSION\n" + b"A" * 9000)
line(f2)
check("a line too long: an error, then closed",
      line(f2).startswith("SESSION STATUS RESULT=I2P_ERROR") and closed(s2))

u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(b"3.0 nobody AAAA\npayload", (host, udp_port))
u.sendto(b"\xff" * 2000, (host, udp_port))
u.close()
time.sleep(0.2)
s.sendall(b"PING after-udp\n")
check("junk on the UDP port changes nothing", line(f) == "PONG after-udp\n")

# the per-address limit: the extra connections are closed at once
many = []
for _ in range(140):
    many.append(socket.create_connection((host, port), timeout=5))
ncl = 0
for c in many:
    c.sendall(b"HELLO VERSION\n")
    try:
        c.settimeout(2)
        if c.recv(64) == b"":
            ncl += 1
    except (ConnectionResetError, socket.timeout):
        ncl += 1
check("connections per address are limited (%d of 140 closed)" % ncl,
      ncl >= 140 - 128)
for c in many:
    c.close()
s.sendall(b"QUIT\n")
check("QUIT closes", closed(s))
sys.exit(1 if failed else 0)
